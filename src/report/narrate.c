/* The narration (--narrate): the story of a run, told from its trace
 * events as they come, for teaching and demos (tracelog.h).
 *
 * Most events are not worth a line of their own: the narrator keeps a
 * little state per image in flight, per pool, per lifecycle policy and per
 * consumer, and speaks at the moments a person would want to hear about
 * (an image starts distributing or ends, a pool first fills or drains, an
 * execution ends, launches start failing, a build starts on a new version
 * of what its recipe uses, the supply chain first refuses a pipeline's
 * builds and lets it build again, a RAM invitation is sent or answered).
 * Events at the same simulated
 * instant are gathered first: a pool that fills is told with the queue it
 * has once every copy of that instant has asked, and many pools filling
 * at once make one line. Lines beyond max_per_hour in a simulated hour are
 * counted, not printed.
 *
 * The state is bounded by the model (pools, policies, consumers, the
 * pipelines whose builds the supply chain refuses) and by the images in
 * flight; nothing is kept per event.
 */
#include <stdarg.h>
#include <string.h>

#include "amisim/report.h"
#include "amisim/tracelog.h"

/* Pools told one by one when they fill at the same instant; more make one line. */
#define FILLING_TOLD 3
/* Routine lines (an image starts distributing, an image is available, a
 * dependent build starts) told per simulated hour, of each; the others are
 * counted. */
#define ROUTINE_PER_HOUR 3

/* What a line tells: routine lines have a small budget of their own, so
 * that a night of 80 images does not crowd out the pool that fills. */
typedef enum
{
  LINE_STARTS,             /* an image starts distributing */
  LINE_AVAILABLE,          /* an image is available */
  LINE_DEPENDENT,          /* a build starts on a new version of what its recipe uses */
  LINE_OTHER,
  N_LINES
} Line;

G_STATIC_ASSERT (AMS_CAUSE_COUNT <= 64);

typedef struct
{
  char *name;              /* "eu-west-1/333333333333" */
  gboolean full;           /* copies are waiting */
  gboolean filling;        /* in n->filling (filled at the current instant) */
  AmsTime since;
  guint busy, queued, limit;
  guint max_queued;
} PoolState;

typedef struct
{
  AmsTime started;
  AmsTime dist;            /* distribution start, or -1 */
  guint failed[AMS_CAUSE_COUNT];
  guint64 told;            /* causes whose first failure was told */
  gboolean retried;        /* a RetryImage: times count from the retry */
  gboolean building;       /* its build started */
} ImageState;

typedef struct
{
  guint done[3][4];        /* [DEPRECATE, DISABLE, DELETE][image, ami, snapshot, container] */
  guint skipped;
  char *skipped_why;       /* the first reason */
  guint failed;
  char *failed_why;
} PolicyState;

/* A pipeline whose builds the supply chain refuses (what its recipe uses
 * is not shared with it, …): the first refusal of each cause is told, the
 * others counted until it builds again. */
typedef struct
{
  AmsTime since;
  guint runs;              /* runs refused */
  guint64 told;            /* causes told */
} RefusedState;

typedef struct
{
  gboolean ever_ok;        /* failures before the first launch that worked are not told */
  char *outage;            /* the outage it is in (key of n->outages), or NULL */
} ConsumerState;

/* Consumers of one pipeline in one region failing for one reason on one
 * AMI: told when the first starts failing and when the last works again. */
typedef struct
{
  AmsTime since;
  guint failing;           /* consumers failing now */
  guint consumers;         /* consumers that failed in this outage */
  guint launches;          /* launches that failed */
  char *status;
} Outage;

struct AmsNarrator
{
  FILE *out;
  AmsTime start;
  guint max_per_hour;
  int64_t hour;            /* the simulated hour whose lines are counted */
  guint told[N_LINES];     /* lines told in that hour, by what they tell */
  guint untold[N_LINES];   /* and not told */
  AmsTime instant;         /* time of the events being gathered */
  GPtrArray *filling;      /* of PoolState*: pools that filled at `instant` */
  GHashTable *pools;       /* name -> PoolState* */
  GHashTable *images;      /* "pipeline version" -> ImageState* (in flight) */
  GHashTable *places;      /* "pipeline/account/region" -> guint64 mask of the causes told
                              there since its last copy that worked */
  GHashTable *policies;    /* "account/policy" -> PolicyState* */
  GHashTable *consumers;   /* "region/account/pipeline" -> ConsumerState* */
  GHashTable *outages;     /* "region/pipeline/version/status" -> Outage* (going on) */
  GHashTable *refused;     /* pipeline -> RefusedState* (its builds are refused) */
  GString *text;
};

static void
pool_state_free (gpointer p)
{
  PoolState *ps = p;
  g_free (ps->name);
  g_free (ps);
}

static void
policy_state_free (gpointer p)
{
  PolicyState *ps = p;
  g_free (ps->skipped_why);
  g_free (ps->failed_why);
  g_free (ps);
}

static void
consumer_state_free (gpointer p)
{
  ConsumerState *cs = p;
  g_free (cs->outage);
  g_free (cs);
}

static void
outage_free (gpointer p)
{
  Outage *o = p;
  g_free (o->status);
  g_free (o);
}

AmsNarrator *
ams_narrator_new (FILE *out, AmsTime start, guint max_per_hour)
{
  g_return_val_if_fail (out != NULL, NULL);
  AmsNarrator *n = g_new0 (AmsNarrator, 1);
  n->out = out;
  n->start = start;
  n->max_per_hour = max_per_hour > 0 ? max_per_hour : G_MAXUINT;
  n->hour = -1;
  n->instant = -1;
  n->filling = g_ptr_array_new ();
  n->pools = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, pool_state_free);
  n->images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  n->places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  n->policies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, policy_state_free);
  n->consumers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, consumer_state_free);
  n->outages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, outage_free);
  n->refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  n->text = g_string_new (NULL);
  return n;
}

void
ams_narrator_free (AmsNarrator *n)
{
  if (n == NULL)
    return;
  g_ptr_array_unref (n->filling);
  g_hash_table_unref (n->pools);
  g_hash_table_unref (n->images);
  g_hash_table_unref (n->places);
  g_hash_table_unref (n->policies);
  g_hash_table_unref (n->consumers);
  g_hash_table_unref (n->outages);
  g_hash_table_unref (n->refused);
  g_string_free (n->text, TRUE);
  g_free (n);
}

void
ams_narrate_when (char *buf, gsize len, AmsTime start, AmsTime t)
{
  AmsTime day = AMS_DAYS (1);
  AmsTime abs = ((start % day) + day) % day + t; /* from the start day's midnight */
  AmsTime in_day = abs % day;
  g_snprintf (buf, len, "day %" G_GINT64_FORMAT " %02d:%02d", abs / day + 1,
              (int) (in_day / AMS_HOURS (1)), (int) (in_day % AMS_HOURS (1) / AMS_MINUTES (1)));
}

static char *
duration (AmsTime d)
{
  return ams_report_format_seconds (ams_time_to_s (d));
}

static const char *
plural (guint count, const char *one, const char *many)
{
  return count == 1 ? one : many;
}

/* The lines not told in the hour that ended, and a new count. */
static void
new_hour (AmsNarrator *n, int64_t hour)
{
  static const char *const what[N_LINES][2] = {
    [LINE_STARTS] = { "image started distributing", "images started distributing" },
    [LINE_AVAILABLE] = { "image became available", "images became available" },
    [LINE_DEPENDENT] = { "dependent build started", "dependent builds started" },
    [LINE_OTHER] = { "line", "lines" },
  };
  g_autoptr (GString) s = g_string_new (NULL);
  for (guint i = 0; i < N_LINES; i++)
    if (n->untold[i] > 0)
      g_string_append_printf (s, "%s%u more %s", s->len ? ", " : "", n->untold[i],
                              what[i][n->untold[i] != 1]);
  if (s->len > 0)
    fprintf (n->out, "              (… in that hour: %s)\n", s->str);
  n->hour = hour;
  memset (n->told, 0, sizeof n->told);
  memset (n->untold, 0, sizeof n->untold);
}

/* One line at time t, counted against its hour. */
static void
say (AmsNarrator *n, AmsTime t, Line line, const char *fmt, ...) G_GNUC_PRINTF (4, 5);

static void
say (AmsNarrator *n, AmsTime t, Line line, const char *fmt, ...)
{
  int64_t hour = t / AMS_HOURS (1);
  if (hour != n->hour)
    new_hour (n, hour);
  if (n->told[line] >= (line == LINE_OTHER ? n->max_per_hour : ROUTINE_PER_HOUR))
    {
      n->untold[line]++;
      return;
    }
  n->told[line]++;
  char when[48];
  ams_narrate_when (when, sizeof when, n->start, t);
  va_list ap;
  va_start (ap, fmt);
  g_string_vprintf (n->text, fmt, ap);
  va_end (ap);
  fprintf (n->out, "%-12s  %s\n", when, n->text->str);
}

/* ---- pools --------------------------------------------------------------- */

/* The pools that filled at the instant that ends, with their queues once
 * every copy of that instant has asked. */
static void
flush_instant (AmsNarrator *n)
{
  guint told = 0, more = 0, most = 0;
  for (guint i = 0; i < n->filling->len; i++)
    {
      PoolState *ps = n->filling->pdata[i];
      ps->filling = FALSE;
      if (!ps->full)
        continue; /* drained at the same instant */
      if (told < FILLING_TOLD)
        {
          say (n, n->instant, LINE_OTHER, "%s pool full (%u/%u), %u waiting", ps->name,
               ps->busy, ps->limit, ps->queued);
          told++;
        }
      else
        {
          more++;
          most = MAX (most, ps->queued);
        }
    }
  if (more > 0)
    say (n, n->instant, LINE_OTHER, "… and %u more %s full (up to %u waiting)", more,
         plural (more, "pool", "pools"), most);
  g_ptr_array_set_size (n->filling, 0);
}

static void
on_pool (AmsNarrator *n, const AmsTraceEvent *ev)
{
  if (ev->account == NULL || ev->region == NULL)
    return;
  g_autofree char *name = g_strdup_printf ("%s/%s", ev->region, ev->account);
  PoolState *ps = g_hash_table_lookup (n->pools, name);
  if (ps == NULL)
    {
      ps = g_new0 (PoolState, 1);
      ps->name = g_steal_pointer (&name);
      g_hash_table_insert (n->pools, ps->name, ps);
    }
  ps->busy = ev->busy;
  ps->queued = ev->queued;
  ps->limit = ev->limit;
  if (!ps->full)
    {
      if (ev->queued == 0)
        return;
      ps->full = TRUE;
      ps->since = ev->t;
      ps->max_queued = ev->queued;
      if (!ps->filling)
        {
          ps->filling = TRUE;
          g_ptr_array_add (n->filling, ps);
        }
      return;
    }
  ps->max_queued = MAX (ps->max_queued, ev->queued);
  if (ev->queued > 0)
    return;
  ps->full = FALSE;
  if (ps->filling)
    return; /* filled and drained at one instant: nothing to tell */
  g_autofree char *d = duration (ev->t - ps->since);
  say (n, ev->t, LINE_OTHER, "%s queue drained after %s (up to %u waited)", ps->name, d,
       ps->max_queued);
}

/* ---- images -------------------------------------------------------------- */

static char *
image_key (const AmsTraceEvent *ev)
{
  return g_strdup_printf ("%s %s", ev->image, ev->version ? ev->version : "");
}

static ImageState *
image_state (AmsNarrator *n, const AmsTraceEvent *ev, gboolean create)
{
  g_autofree char *key = image_key (ev);
  ImageState *is = g_hash_table_lookup (n->images, key);
  if (is == NULL && create)
    {
      is = g_new0 (ImageState, 1);
      is->started = ev->t;
      is->dist = -1;
      g_hash_table_insert (n->images, g_steal_pointer (&key), is);
    }
  return is;
}

/* A build started because what its recipe uses has a new version: the
 * version that triggered it, told like the other routine lines. */
static void
on_image_started (AmsNarrator *n, const AmsTraceEvent *ev)
{
  image_state (n, ev, TRUE);
  if (ev->trigger == NULL || strcmp (ev->trigger, "dependency") != 0)
    return;
  if (ev->upstream != NULL)
    say (n, ev->t, LINE_DEPENDENT, "%s %s builds on %s (new)", ev->image, ev->version,
         ev->upstream);
  else
    say (n, ev->t, LINE_DEPENDENT, "%s %s builds on a new version of what its recipe uses",
         ev->image, ev->version);
}

/* The causes of the supply chain (DOMAIN.md §5): a build refused because it
 * may not use what its recipe references. */
static gboolean
supply_cause (AmsCause c)
{
  switch (c)
    {
    case AMS_CAUSE_RESOURCE_NOT_SHARED:
    case AMS_CAUSE_INVITATION_PENDING:
    case AMS_CAUSE_ORG_SHARING_DISABLED:
    case AMS_CAUSE_EXTERNAL_PRINCIPAL_DENIED:
    case AMS_CAUSE_RESOURCE_WRONG_REGION:
    case AMS_CAUSE_RESOURCE_UNAVAILABLE:
    case AMS_CAUSE_PARENT_AMI_NOT_SHARED:
    case AMS_CAUSE_NOT_RESOURCE_OWNER:
    case AMS_CAUSE_RESOURCE_STILL_SHARED:
    case AMS_CAUSE_RESOURCE_IN_USE:
    case AMS_CAUSE_RESOURCE_QUOTA_EXCEEDED:
      return TRUE;
    default:
      return FALSE;
    }
}

/* An image the supply chain refused at its start: the first refusal of
 * each cause of its pipeline is told with the reason, the others counted
 * until the pipeline builds again. */
static void
on_refused (AmsNarrator *n, const AmsTraceEvent *ev)
{
  RefusedState *rs = g_hash_table_lookup (n->refused, ev->image);
  if (rs == NULL)
    {
      rs = g_new0 (RefusedState, 1);
      rs->since = ev->t;
      g_hash_table_insert (n->refused, g_strdup (ev->image), rs);
    }
  rs->runs++;
  guint64 bit = G_GUINT64_CONSTANT (1) << ev->cause;
  if (rs->told & bit)
    return;
  rs->told |= bit;
  say (n, ev->t, LINE_OTHER, "%s %s cannot build (%s): %s", ev->image, ev->version,
       ams_cause_name (ev->cause), ev->message);
}

/* A build starts; if its pipeline's builds were refused, it builds again. */
static void
on_build_started (AmsNarrator *n, const AmsTraceEvent *ev)
{
  if (ev->image == NULL)
    return;
  image_state (n, ev, TRUE)->building = TRUE;
  if (g_hash_table_size (n->refused) == 0)
    return;
  RefusedState *rs = g_hash_table_lookup (n->refused, ev->image);
  if (rs == NULL)
    return;
  g_autofree char *d = duration (ev->t - rs->since);
  say (n, ev->t, LINE_OTHER, "%s builds again after %u refused %s (%s)", ev->image, rs->runs,
       plural (rs->runs, "run", "runs"), d);
  g_hash_table_remove (n->refused, ev->image);
}

static void
on_distribution (AmsNarrator *n, const AmsTraceEvent *ev)
{
  gboolean retry = image_state (n, ev, FALSE) == NULL; /* its state went when it failed */
  ImageState *is = image_state (n, ev, TRUE);
  is->dist = ev->t;
  is->retried = retry;
  g_autofree char *where = ev->copies > 0
    ? g_strdup_printf ("distributes to %u %s in %u %s (%u %s)", ev->accounts,
                       plural (ev->accounts, "account", "accounts"), ev->regions,
                       plural (ev->regions, "region", "regions"), ev->copies,
                       plural (ev->copies, "copy", "copies"))
    : g_strdup_printf ("distributes in %u %s (no copies)", ev->regions,
                       plural (ev->regions, "region", "regions"));
  if (retry)
    {
      say (n, ev->t, LINE_STARTS, "%s %s retried: %s again", ev->image, ev->version, where);
      return;
    }
  g_autofree char *d = duration (ev->t - is->started);
  say (n, ev->t, LINE_STARTS, "%s %s built and tested in %s; %s", ev->image, ev->version, d, where);
}

static void
on_output_failed (AmsNarrator *n, const AmsTraceEvent *ev)
{
  ImageState *is = image_state (n, ev, TRUE);
  is->failed[ev->cause]++;
  guint64 bit = G_GUINT64_CONSTANT (1) << ev->cause;
  if (is->told & bit)
    return; /* the first of each cause is told; the others are counted at the end */
  is->told |= bit;
  /* nor again night after night in the same place: the image's end counts it */
  g_autofree char *key = g_strdup_printf ("%s/%s/%s", ev->image, ev->account ? ev->account : "",
                                          ev->region);
  guint64 *place = g_hash_table_lookup (n->places, key);
  if (place == NULL)
    {
      place = g_new0 (guint64, 1);
      g_hash_table_insert (n->places, g_steal_pointer (&key), place);
    }
  if (*place & bit)
    return;
  *place |= bit;
  const char *cause = ams_cause_name (ev->cause);
  if (ev->kind == AMS_TRACE_SHARE_FAILED)
    say (n, ev->t, LINE_OTHER, "%s %s launch permission or template update for %s in %s fails (%s)",
         ev->image, ev->version, ev->account ? ev->account : "?", ev->region, cause);
  else if (ev->message != NULL)
    say (n, ev->t, LINE_OTHER, "%s %s copy to %s in %s fails (%s): %s", ev->image, ev->version,
         ev->account, ev->region, cause, ev->message);
  else
    say (n, ev->t, LINE_OTHER, "%s %s copy to %s in %s fails (%s)", ev->image, ev->version,
         ev->account, ev->region, cause);
}

static void
on_image_end (AmsNarrator *n, const AmsTraceEvent *ev)
{
  g_autofree char *key = image_key (ev);
  ImageState *is = g_hash_table_lookup (n->images, key);
  AmsTime started = is != NULL ? is->started : ev->t;
  AmsTime dist = is != NULL && is->dist >= 0 ? is->dist : ev->t;
  g_autofree char *total = duration (ev->t - started);
  const char *since = is != NULL && is->retried ? "the retry" : "it started";
  if (ev->kind == AMS_TRACE_IMAGE_FAILED && supply_cause (ev->cause) && ev->message != NULL
      && ev->image != NULL && (is == NULL || (!is->building && is->dist < 0)))
    on_refused (n, ev); /* refused before building */
  else if (ev->kind == AMS_TRACE_IMAGE_AVAILABLE)
    {
      g_autofree char *d = duration (ev->t - dist);
      say (n, ev->t, LINE_AVAILABLE, "%s %s available: %u %s done in %s (%s after %s)",
           ev->image, ev->version, ev->outputs, plural (ev->outputs, "output", "outputs"), d,
           total, since);
    }
  else if (ev->cause == AMS_CAUSE_BUILD_FAILED || ev->cause == AMS_CAUSE_TEST_FAILED)
    say (n, ev->t, LINE_OTHER, "%s %s fails its %s (%s after it started)", ev->image, ev->version,
         ev->cause == AMS_CAUSE_BUILD_FAILED ? "build" : "tests", total);
  else
    {
      g_autoptr (GString) why = g_string_new (NULL);
      for (guint c = 0; is != NULL && c < AMS_CAUSE_COUNT; c++)
        if (is->failed[c] > 0)
          g_string_append_printf (why, "%s%s %u", why->len ? ", " : "", ams_cause_name (c),
                                  is->failed[c]);
      if (why->len == 0)
        g_string_append (why, ams_cause_name (ev->cause));
      say (n, ev->t, LINE_OTHER, "%s %s FAILED: %u of %u %s failed (%s); %s after %s",
           ev->image, ev->version, ev->failed, ev->outputs,
           plural (ev->outputs, "output", "outputs"), why->str, total, since);
    }
  g_hash_table_remove (n->images, key);
}

/* ---- lifecycle ----------------------------------------------------------- */

static PolicyState *
policy_state (AmsNarrator *n, const AmsTraceEvent *ev)
{
  const char *account = ev->policy_account != NULL ? ev->policy_account : ev->account;
  g_autofree char *key = g_strdup_printf ("%s/%s", account, ev->policy);
  PolicyState *ps = g_hash_table_lookup (n->policies, key);
  if (ps == NULL)
    {
      ps = g_new0 (PolicyState, 1);
      g_hash_table_insert (n->policies, g_steal_pointer (&key), ps);
    }
  return ps;
}

static void
policy_reset (PolicyState *ps)
{
  memset (ps->done, 0, sizeof ps->done);
  ps->skipped = ps->failed = 0;
  g_clear_pointer (&ps->skipped_why, g_free);
  g_clear_pointer (&ps->failed_why, g_free);
}

static int
action_index (const char *action)
{
  if (action == NULL)
    return -1;
  return strcmp (action, "DEPRECATE") == 0 ? 0
         : strcmp (action, "DISABLE") == 0 ? 1
         : strcmp (action, "DELETE") == 0  ? 2
                                           : -1;
}

static int
resource_index (const char *resource)
{
  static const char *const names[] = { "image", "ami", "snapshot", "container" };
  for (guint i = 0; resource != NULL && i < G_N_ELEMENTS (names); i++)
    if (strcmp (names[i], resource) == 0)
      return (int) i;
  return -1;
}

/* An image row that only repeats what its AMIs' rows said (some were not
 * deregistered, the policy was disabled while they waited): not counted
 * again. An image left out by a tag is news. */
static gboolean
r_is_consequence (const AmsTraceEvent *ev)
{
  return ev->resource != NULL && strcmp (ev->resource, "image") == 0
         && (ev->message == NULL || strcmp (ev->message, "exclusionRules.tagMap") != 0);
}

static void
on_lifecycle_action (AmsNarrator *n, const AmsTraceEvent *ev)
{
  PolicyState *ps = policy_state (n, ev);
  const char *status = ev->status != NULL ? ev->status : "";
  if (strcmp (status, "SUCCESS") == 0)
    {
      int a = action_index (ev->action), r = resource_index (ev->resource);
      if (a >= 0 && r >= 0)
        ps->done[a][r]++;
    }
  else if (r_is_consequence (ev))
    return;
  else if (strcmp (status, "SKIPPED") == 0)
    {
      ps->skipped++;
      if (ps->skipped_why == NULL && ev->message != NULL)
        ps->skipped_why = g_strdup (ev->message);
    }
  else if (strcmp (status, "FAILED") == 0)
    {
      ps->failed++;
      if (ps->failed_why == NULL && ev->message != NULL)
        ps->failed_why = g_strdup (ev->message);
    }
}

static void
on_lifecycle_done (AmsNarrator *n, const AmsTraceEvent *ev)
{
  PolicyState *ps = policy_state (n, ev);
  if (ev->cause != AMS_CAUSE_NONE)
    {
      say (n, ev->t, LINE_OTHER, "lifecycle %s (%s %s) cannot run (%s): %s", ev->policy,
           ev->account, ev->region, ams_cause_name (ev->cause), ev->message ? ev->message : "");
      policy_reset (ps);
      return;
    }
  static const char *const verbs[] = { "deprecated", "disabled", "deleted" };
  static const char *const one[] = { "image", "AMI", "snapshot", "container image" };
  static const char *const many[] = { "images", "AMIs", "snapshots", "container images" };
  g_autoptr (GString) what = g_string_new (NULL);
  for (guint a = 0; a < 3; a++)
    {
      gboolean any = FALSE;
      for (guint r = 0; r < 4; r++)
        {
          guint c = ps->done[a][r];
          if (c == 0)
            continue;
          if (!any)
            g_string_append_printf (what, "%s%s ", what->len ? "; " : "", verbs[a]);
          g_string_append_printf (what, "%s%u %s", any ? ", " : "", c, plural (c, one[r], many[r]));
          any = TRUE;
        }
    }
  if (ps->skipped > 0)
    g_string_append_printf (what, "%sskipped %u (%s)", what->len ? "; " : "", ps->skipped,
                            ps->skipped_why ? ps->skipped_why : "?");
  if (ps->failed > 0)
    g_string_append_printf (what, "%sfailed %u (%s)", what->len ? "; " : "", ps->failed,
                            ps->failed_why ? ps->failed_why : "?");
  if (what->len > 0)
    say (n, ev->t, LINE_OTHER, "lifecycle %s (%s %s): %s", ev->policy, ev->account, ev->region,
         what->str);
  policy_reset (ps);
}

/* ---- launches ------------------------------------------------------------ */

static void
on_launch (AmsNarrator *n, const AmsTraceEvent *ev)
{
  g_autofree char *key = g_strdup_printf ("%s/%s/%s", ev->region, ev->account, ev->image);
  ConsumerState *cs = g_hash_table_lookup (n->consumers, key);
  if (cs == NULL)
    {
      cs = g_new0 (ConsumerState, 1);
      g_hash_table_insert (n->consumers, g_steal_pointer (&key), cs);
    }
  if (ev->kind == AMS_TRACE_LAUNCH)
    {
      cs->ever_ok = TRUE;
      if (cs->outage == NULL)
        return;
      Outage *o = g_hash_table_lookup (n->outages, cs->outage);
      if (--o->failing == 0)
        {
          g_autofree char *d = duration (ev->t - o->since);
          say (n, ev->t, LINE_OTHER,
               "consumers of %s in %s launch again: %u %s failed %u %s in %s (%s)", ev->image,
               ev->region, o->consumers, plural (o->consumers, "consumer", "consumers"),
               o->launches, plural (o->launches, "launch", "launches"), d, o->status);
          g_hash_table_remove (n->outages, cs->outage);
        }
      g_clear_pointer (&cs->outage, g_free);
      return;
    }
  if (cs->outage != NULL)
    {
      ((Outage *) g_hash_table_lookup (n->outages, cs->outage))->launches++;
      return;
    }
  if (!cs->ever_ok)
    return; /* no AMI yet at the start of the run: not news */
  const char *status = ev->status != NULL ? ev->status : "";
  cs->outage = g_strdup_printf ("%s/%s/%s/%s", ev->region, ev->image,
                                ev->version ? ev->version : "", status);
  Outage *o = g_hash_table_lookup (n->outages, cs->outage);
  if (o == NULL)
    {
      o = g_new0 (Outage, 1);
      o->since = ev->t;
      o->status = g_strdup (status);
      g_hash_table_insert (n->outages, g_strdup (cs->outage), o);
      say (n, ev->t, LINE_OTHER, "%s in %s cannot launch %s%s%s: %s", ev->account, ev->region,
           ev->image, ev->version ? " " : "", ev->version ? ev->version : "",
           ev->message ? ev->message : status);
    }
  o->failing++;
  o->consumers++;
  o->launches++;
}

/* ---- everything else ----------------------------------------------------- */

static void
on_event_applied (AmsNarrator *n, const AmsTraceEvent *ev)
{
  g_autoptr (GString) s = g_string_new (NULL);
  g_string_append_printf (s, "what-if: %s", ev->action != NULL ? ev->action : "?");
  const char *parts[] = { ev->image, ev->policy, ev->account, ev->region, ev->message };
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL)
      g_string_append_printf (s, " %s", parts[i]);
  say (n, ev->t, LINE_OTHER, "%s", s->str);
}

/* A what-if event the service refused, with why. */
static void
on_event_refused (AmsNarrator *n, const AmsTraceEvent *ev)
{
  g_autoptr (GString) s = g_string_new (NULL);
  g_string_append_printf (s, "what-if refused: %s", ev->action ? ev->action : "?");
  const char *parts[] = { ev->image, ev->policy, ev->account, ev->region };
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL)
      g_string_append_printf (s, " %s", parts[i]);
  if (ev->cause != AMS_CAUSE_NONE)
    g_string_append_printf (s, " (%s)", ams_cause_name (ev->cause));
  if (ev->message != NULL)
    g_string_append_printf (s, ": %s", ev->message);
  say (n, ev->t, LINE_OTHER, "%s", s->str);
}

/* A RAM resource share invitation sent, accepted, rejected or expired: one
 * line each (they are few). */
static void
on_invitation (AmsNarrator *n, const AmsTraceEvent *ev)
{
  const char *share = ev->share != NULL ? ev->share : "?";
  const char *principal = ev->principal != NULL ? ev->principal
                          : ev->account != NULL ? ev->account
                                                : "?";
  const char *who = ev->account != NULL ? ev->account : principal;
  const char *status = ev->status != NULL ? ev->status : "";
  if (strcmp (status, "SENT") == 0)
    {
      if (ev->account != NULL)
        say (n, ev->t, LINE_OTHER, "share %s invites %s (answered by account %s)", share,
             principal, ev->account);
      else
        say (n, ev->t, LINE_OTHER, "share %s invites %s (no account of the scenario answers it)",
             share, principal);
    }
  else if (strcmp (status, "ACCEPTED") == 0)
    say (n, ev->t, LINE_OTHER, "account %s accepts the invitation to share %s", who, share);
  else if (strcmp (status, "REJECTED") == 0)
    say (n, ev->t, LINE_OTHER, "account %s rejects the invitation to share %s", who, share);
  else if (strcmp (status, "EXPIRED") == 0)
    say (n, ev->t, LINE_OTHER, "the invitation of %s to share %s expires unanswered", principal,
         share);
  else
    say (n, ev->t, LINE_OTHER, "share %s, invitation of %s: %s", share, principal, status);
}

void
ams_narrator_event (AmsNarrator *n, const AmsTraceEvent *ev)
{
  g_return_if_fail (n != NULL && ev != NULL);
  if (ev->t != n->instant)
    {
      if (n->filling->len > 0)
        flush_instant (n);
      n->instant = ev->t;
    }
  switch (ev->kind)
    {
    case AMS_TRACE_IMAGE_STARTED:
      on_image_started (n, ev);
      break;
    case AMS_TRACE_BUILD_STARTED:
      on_build_started (n, ev);
      break;
    case AMS_TRACE_DISTRIBUTION_STARTED:
      on_distribution (n, ev);
      break;
    case AMS_TRACE_COPY_FAILED:
    case AMS_TRACE_SHARE_FAILED:
      on_output_failed (n, ev);
      break;
    case AMS_TRACE_COPY_DONE:
      if (g_hash_table_size (n->places) > 0)
        {
          /* a copy there works again: its next failure is news */
          g_autofree char *key = g_strdup_printf ("%s/%s/%s", ev->image, ev->account, ev->region);
          g_hash_table_remove (n->places, key);
        }
      break;
    case AMS_TRACE_IMAGE_AVAILABLE:
    case AMS_TRACE_IMAGE_FAILED:
      on_image_end (n, ev);
      break;
    case AMS_TRACE_POOL_STATE:
      on_pool (n, ev);
      break;
    case AMS_TRACE_PIPELINE_DISABLED:
      say (n, ev->t, LINE_OTHER,
           "pipeline %s is disabled after consecutive failed runs (the last failed with %s)",
           ev->image,
           ams_cause_name (ev->cause));
      break;
    case AMS_TRACE_EVENT_APPLIED:
      on_event_applied (n, ev);
      break;
    case AMS_TRACE_LIFECYCLE_RUN_STARTED:
      policy_reset (policy_state (n, ev));
      break;
    case AMS_TRACE_LIFECYCLE_RUN_SKIPPED:
      say (n, ev->t, LINE_OTHER,
           "lifecycle %s (%s %s): the previous execution is still going; no new one", ev->policy,
           ev->account, ev->region);
      break;
    case AMS_TRACE_LIFECYCLE_ACTION:
      on_lifecycle_action (n, ev);
      break;
    case AMS_TRACE_LIFECYCLE_RUN_DONE:
      on_lifecycle_done (n, ev);
      break;
    case AMS_TRACE_LAUNCH:
    case AMS_TRACE_LAUNCH_FAILED:
      on_launch (n, ev);
      break;
    case AMS_TRACE_WARMUP_DONE:
      say (n, ev->t, LINE_OTHER, "the warm-up is over: the statistics start from here");
      break;
    case AMS_TRACE_INVITATION:
      on_invitation (n, ev);
      break;
    case AMS_TRACE_EVENT_REFUSED:
      on_event_refused (n, ev);
      break;
    default:
      break;
    }
}

void
ams_narrator_finish (AmsNarrator *n, AmsTime end)
{
  g_return_if_fail (n != NULL);
  if (n->filling->len > 0)
    flush_instant (n);
  guint waiting = 0;
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, n->pools);
  while (g_hash_table_iter_next (&it, NULL, &value))
    waiting += ((PoolState *) value)->full;
  guint flying = g_hash_table_size (n->images);
  guint stuck = 0;
  g_hash_table_iter_init (&it, n->outages);
  while (g_hash_table_iter_next (&it, NULL, &value))
    stuck += ((Outage *) value)->failing;
  /* the end is told whatever the hour's count */
  if (end / AMS_HOURS (1) != n->hour)
    new_hour (n, end / AMS_HOURS (1));
  n->told[LINE_OTHER] = 0;
  g_autoptr (GString) s = g_string_new (NULL);
  if (flying > 0)
    g_string_append_printf (s, "%u %s in flight", flying, plural (flying, "image", "images"));
  if (waiting > 0)
    g_string_append_printf (s, "%s%u %s", s->len ? ", " : "", waiting,
                            plural (waiting, "pool with copies waiting for a slot",
                                    "pools with copies waiting for a slot"));
  if (stuck > 0)
    g_string_append_printf (s, "%s%u %s", s->len ? ", " : "", stuck,
                            plural (stuck, "consumer that cannot launch",
                                    "consumers that cannot launch"));
  guint refused = g_hash_table_size (n->refused);
  if (refused > 0)
    g_string_append_printf (s, "%s%u %s", s->len ? ", " : "", refused,
                            plural (refused, "pipeline whose builds are refused",
                                    "pipelines whose builds are refused"));
  say (n, end, LINE_OTHER, "the run ends%s%s", s->len ? " with " : "", s->str);
  new_hour (n, n->hour);
  fflush (n->out);
}

/* Tests of amis[], the AMIs that exist when the run starts
 * (docs/scenario-reference.md "AMIs at the start"; src/scenario/schema_amis.c,
 * seed_amis in src/engine/inventory.c, the grouping by img->semver in
 * src/engine/lifecycle.c).
 *
 * As in test_lifecycle.c (whose run helpers are copied here, cut down; the
 * scenario fragments are shared in lc_scenario.h), every
 * scenario is inline and deterministic:
 *   - start 2026-01-01T00:00:00Z (Unix 1767225600);
 *   - lifecycle policies run daily at 03:00 (t = d·24h + 3h on day d); every
 *     resource state update takes 1 min, at most 50 at once (the default
 *     limits.lifecycle_state_updates), so a DELETE decided at a run
 *     deregisters the AMI at +1 min, deletes its snapshot at +2 min, then the
 *     image record (+2 min);
 *   - a pipeline built at all builds at 04:00 of day 0 only, 10 min build, no
 *     test: its AMI is registered at 04:10; the others have no schedule (they
 *     never start by themselves).
 * Run with AMS_LC_DUMP=1 to print the records and the loader's messages. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ams_test.h"
#include "lc_scenario.h"
#include "amisim/engine.h"

/* ---- running a scenario and keeping its records ------------------------- */

typedef struct
{
  AmsTime t;
  char *pipeline;
  char *version;
  AmsLcResource resource;
  char *resource_id;
  char *account;
  char *region;
  char *action;
  AmsLcStatus status;
  char *reason;
} Row;

typedef struct
{
  AmsScenario *sc;
  AmsWorld *w;
  AmsEngine *e;
  const AmsResults *r;
  GArray *rows;      /* of Row: the lifecycle records of resources */
  GPtrArray *builds; /* of char*: "pipeline version outcome" of each image the run made */
} Run;

static void
row_clear (gpointer data)
{
  Row *row = data;
  g_free (row->pipeline);
  g_free (row->version);
  g_free (row->resource_id);
  g_free (row->account);
  g_free (row->region);
  g_free (row->action);
  g_free (row->reason);
}

static void
on_lifecycle (void *user, const AmsLifecycleRecord *r)
{
  Run *run = user;
  if (r->resource == AMS_LC_RESOURCE_POLICY)
    return;
  Row row = {
    .t = r->t,
    .pipeline = g_strdup (r->pipeline),
    .version = g_strdup (r->version),
    .resource = r->resource,
    .resource_id = g_strdup (r->resource_id),
    .account = g_strdup (r->account),
    .region = g_strdup (r->region),
    .action = g_strdup (r->action),
    .status = r->status,
    .reason = g_strdup (r->reason),
  };
  g_array_append_val (run->rows, row);
}

static void
on_image (void *user, const AmsImageRecord *r)
{
  Run *run = user;
  g_ptr_array_add (run->builds, g_strdup_printf ("%s %s %s", r->pipeline, r->version,
                                                 r->outcome == AMS_IMAGE_AVAILABLE ? "AVAILABLE"
                                                                                   : "FAILED"));
}

static const char *const resource_names[] = { "IMAGE", "AMI", "SNAPSHOT", "CONTAINER", "POLICY" };
static const char *const status_names[] = { "SUCCESS", "FAILED", "SKIPPED" };

static void
dump (const char *title, const Run *run)
{
  if (g_getenv ("AMS_LC_DUMP") == NULL)
    return;
  printf ("\n-- %s: %u lifecycle records\n", title, run->rows->len);
  for (guint i = 0; i < run->rows->len; i++)
    {
      const Row *w = &g_array_index (run->rows, Row, i);
      AmsTime s = w->t / AMS_TICKS_PER_SECOND;
      printf ("%3" G_GINT64_FORMAT "h%02" G_GINT64_FORMAT "m%02" G_GINT64_FORMAT "s %-8s %-9s "
              "%-9s %-22s %s %-10s %-7s %-8s %s\n",
              s / 3600, s / 60 % 60, s % 60, w->pipeline, w->version, resource_names[w->resource],
              w->resource_id, w->account, w->region, w->action, status_names[w->status],
              w->reason);
    }
  for (guint i = 0; i < run->builds->len; i++)
    printf ("build: %s\n", (const char *) run->builds->pdata[i]);
  const AmsResults *r = run->r;
  printf ("lc_runs %" G_GUINT64_FORMAT " deleted %" G_GUINT64_FORMAT " skipped %" G_GUINT64_FORMAT
          " amis %" G_GUINT64_FORMAT " gib %.3f gib_months %.6f launches %" G_GUINT64_FORMAT
          " ok %" G_GUINT64_FORMAT " disabled %" G_GUINT64_FORMAT " no_ami %" G_GUINT64_FORMAT
          " quota %" G_GUINT64_FORMAT "\n",
          r->lc_runs, r->lc_deleted, r->lc_skipped, r->amis, r->storage_gib,
          r->storage_gib_months, r->launches, r->launches_ok, r->launches_disabled,
          r->launches_no_ami, r->failures_by_cause[AMS_CAUSE_AMI_QUOTA_EXCEEDED]);
}

/* Loads `text` with the overrides and runs it (seed 1); NULL (with the
 * loader's message printed) if it does not load. */
static Run *
run_with (const char *text, const AmsOverride *ov, guint n)
{
  g_autoptr (GError) error = NULL;
  AmsScenario *sc = ams_scenario_load_data ("inline.yaml", text, -1, ov, n, &error);
  if (sc == NULL)
    {
      printf ("\n%s\n", error->message);
      return NULL;
    }
  Run *run = g_new0 (Run, 1);
  run->sc = sc;
  run->w = ams_world_new (sc);
  run->e = ams_engine_new (sc, run->w, 1, 0);
  run->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (run->rows, row_clear);
  run->builds = g_ptr_array_new_with_free_func (g_free);
  AmsRecorder rec = { .lifecycle = on_lifecycle, .image = on_image, .user = run };
  ams_engine_set_recorder (run->e, &rec);
  ams_engine_run (run->e);
  run->r = ams_engine_results (run->e);
  return run;
}

static void
run_free (Run *run)
{
  if (run == NULL)
    return;
  g_array_unref (run->rows);
  g_ptr_array_unref (run->builds);
  ams_engine_free (run->e);
  ams_world_free (run->w);
  ams_scenario_free (run->sc);
  g_free (run);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* Matching rows: NULL or -1 match anything. */
typedef struct
{
  int resource;          /* AmsLcResource or -1 */
  const char *version;
  const char *action;
  int status;            /* AmsLcStatus or -1 */
  const char *reason;
  const char *resource_id;
  AmsTime t;             /* -1: any time */
} Want;

static gboolean
row_matches (const Row *w, const Want *q)
{
  return (q->resource < 0 || (int) w->resource == q->resource)
         && (q->version == NULL || strcmp (w->version, q->version) == 0)
         && (q->action == NULL || strcmp (w->action, q->action) == 0)
         && (q->status < 0 || (int) w->status == q->status)
         && (q->reason == NULL || strcmp (w->reason, q->reason) == 0)
         && (q->resource_id == NULL || strcmp (w->resource_id, q->resource_id) == 0)
         && (q->t < 0 || w->t == q->t);
}

static guint
count_rows (const Run *run, Want q)
{
  guint n = 0;
  for (guint i = 0; i < run->rows->len; i++)
    n += row_matches (&g_array_index (run->rows, Row, i), &q);
  return n;
}

/* rows of any kind about `version` */
static guint
rows_of (const Run *run, const char *version)
{
  return count_rows (run, (Want) { -1, version, NULL, -1, NULL, NULL, -1 });
}

/* rows of any kind naming resource `id` */
static guint
rows_naming (const Run *run, const char *id)
{
  return count_rows (run, (Want) { -1, NULL, NULL, -1, NULL, id, -1 });
}

#define GIB ((uint64_t) 1 << 30)

/* ---- scenario fragments (and lc_scenario.h) ------------------------------ */

/* a pipeline that never starts by itself (no schedule, no arrivals) */
#define IDLE_PIPELINE(name, recipe, version)                                                 \
  "  - name: " name "\n"                                                                   \
  "    account: \"111111111111\"\n"                                                        \
  "    region: us-east-1\n"                                                                \
  "    recipe: {name: " recipe ", version: " version ", snapshot_size: 10GiB}\n"

/* an AMI of the owner in us-east-1 with one 10 GiB snapshot; `extra` are
 * more keys (4 spaces in) */
#define AMI_AT(id, snap, created, extra)                                                     \
  "  - id: " id "\n"                                                                       \
  "    account: \"111111111111\"\n"                                                        \
  "    region: us-east-1\n"                                                                \
  "    created: " created "\n"                                                             \
  "    snapshots: [{id: " snap ", size: 10}]\n" extra

/* ---- 1. the loader: a valid list ------------------------------------------ */

#define LOADER_HEAD                                                                          \
  HEAD ("1d")                                                                              \
  "regions: [{name: us-east-1}, {name: eu-west-1}]\n"                                      \
  "accounts:\n"                                                                            \
  "  - id: \"111111111111\"\n"                                                             \
  "  - id: \"222222222222\"\n"                                                             \
  "pipelines:\n" IDLE_PIPELINE ("golden", "golden", "1.0.0")                               \
  "amis:\n"

static const char valid_amis[] =
  LOADER_HEAD
  "  - id: ami-0a1b2c3d4e5f60718\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    name: golden 2025-12-31\n"
  "    created: 2025-12-31T12:00:00Z\n"
  "    snapshots:\n"
  "      - {id: snap-0123456789abcdef0, size: 30}\n"
  "      - {id: snap-0123456789abcdef1, size: 30GiB}\n"
  "    tags: {Name: golden, team: infra}\n"
  "    launchPermission: {userIds: [\"222222222222\"]}\n"
  "    pipeline: golden\n"
  "    version: 1.0.0/3\n"
  "  - id: ami-12345678\n"
  "    account: \"222222222222\"\n"
  "    region: eu-west-1\n"
  "    created: 2025-12-01T00:00:00Z\n"
  "    state: disabled\n"
  "    deprecation_time: 2026-01-02T00:00:00Z\n"
  "    encrypted: true\n"
  "    snapshots: [{id: snap-abcdef01, size: 8}]\n";

/* created 2025-12-31T12:00:00Z = 1767225600 - 12·3600 = 1767182400 s since
 * the epoch; relative to the start: -12 h. The second: 31 days before the
 * start (-744 h), deprecated one day after it. Bytes: 30 GiB + 30 GiB. */
static void
test_amis_loader_valid (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsScenario) sc = ams_scenario_load_data ("inline.yaml", valid_amis, -1, NULL, 0,
                                                       &error);
  if (sc == NULL)
    printf ("\n%s\n", error->message);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  CU_ASSERT_EQUAL_FATAL (sc->amis->len, 2);

  const AmsScAmi *a = sc->amis->pdata[0];
  CU_ASSERT_STRING_EQUAL (a->id, "ami-0a1b2c3d4e5f60718");
  CU_ASSERT_STRING_EQUAL (a->account.value, "111111111111");
  CU_ASSERT_STRING_EQUAL (a->region.value, "us-east-1");
  CU_ASSERT_STRING_EQUAL (a->name, "golden 2025-12-31");
  CU_ASSERT_EQUAL (a->created_abs, (AmsTime) 1767182400 * AMS_TICKS_PER_SECOND);
  CU_ASSERT_EQUAL (a->created, -AMS_HOURS (12));
  CU_ASSERT_FALSE (a->disabled);
  CU_ASSERT_EQUAL (a->deprecated_at, AMS_TIME_NEVER);
  CU_ASSERT_EQUAL_FATAL (a->snapshots->len, 2);
  const AmsScSnapshot *s0 = &g_array_index (a->snapshots, AmsScSnapshot, 0);
  const AmsScSnapshot *s1 = &g_array_index (a->snapshots, AmsScSnapshot, 1);
  CU_ASSERT_STRING_EQUAL (s0->id, "snap-0123456789abcdef0");
  CU_ASSERT_STRING_EQUAL (s1->id, "snap-0123456789abcdef1");
  CU_ASSERT_EQUAL (s0->bytes, 30 * GIB); /* size: 30 is GiB */
  CU_ASSERT_EQUAL (s1->bytes, 30 * GIB); /* size: 30GiB */
  CU_ASSERT_EQUAL (a->bytes, 60 * GIB);
  CU_ASSERT_EQUAL_FATAL (a->traits->ami_tags->len, 2);
  const AmsScTag *t0 = &g_array_index (a->traits->ami_tags, AmsScTag, 0);
  const AmsScTag *t1 = &g_array_index (a->traits->ami_tags, AmsScTag, 1);
  CU_ASSERT_STRING_EQUAL (t0->key, "Name");
  CU_ASSERT_STRING_EQUAL (t0->value, "golden");
  CU_ASSERT_STRING_EQUAL (t1->key, "team");
  CU_ASSERT_STRING_EQUAL (t1->value, "infra");
  CU_ASSERT_EQUAL_FATAL (a->traits->lp_user_ids->len, 1);
  CU_ASSERT_STRING_EQUAL (g_array_index (a->traits->lp_user_ids, AmsScRef, 0).value,
                          "222222222222");
  CU_ASSERT_FALSE (a->traits->lp_public);
  CU_ASSERT_STRING_EQUAL (a->pipeline.value, "golden");
  CU_ASSERT_STRING_EQUAL (a->version, "1.0.0/3");
  CU_ASSERT_STRING_EQUAL (a->semver, "1.0.0");
  CU_ASSERT_EQUAL (a->build, 3);
  CU_ASSERT_PTR_NULL (a->traits->kms_key_id.value);

  const AmsScAmi *b = sc->amis->pdata[1];
  CU_ASSERT_STRING_EQUAL (b->id, "ami-12345678");
  CU_ASSERT_STRING_EQUAL (b->account.value, "222222222222");
  CU_ASSERT_STRING_EQUAL (b->region.value, "eu-west-1");
  CU_ASSERT_PTR_NULL (b->name);
  CU_ASSERT_EQUAL (b->created, -AMS_DAYS (31));
  CU_ASSERT_TRUE (b->created < 0);
  CU_ASSERT_TRUE (b->disabled);
  CU_ASSERT_EQUAL (b->deprecated_at, AMS_DAYS (1));
  CU_ASSERT_EQUAL (b->bytes, 8 * GIB);
  CU_ASSERT_TRUE (b->traits->encrypted == TRUE);
  CU_ASSERT_PTR_NULL (b->pipeline.value);
  CU_ASSERT_PTR_NULL (b->version);
  CU_ASSERT_EQUAL (b->traits->lp_user_ids->len, 0);
}

/* ---- 2. the loader: what it refuses ------------------------------------------ */

/* "inline.yaml:LINE:COL" of the first `needle` in `text` (1-based). */
static char *
position_of (const char *text, const char *needle)
{
  const char *at = strstr (text, needle);
  g_assert (at != NULL);
  guint line = 1;
  const char *bol = text;
  for (const char *p = text; p < at; p++)
    if (*p == '\n')
      {
        line++;
        bol = p + 1;
      }
  return g_strdup_printf ("inline.yaml:%u:%u:", line, (guint) (at - bol) + 1);
}

/* `text` with the first `bad` replaced by `good`. */
static char *
replaced (const char *text, const char *bad, const char *good)
{
  const char *at = strstr (text, bad);
  g_assert (at != NULL);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, good, at + strlen (bad));
}

/* `text` is refused, with a message at the position of `at` that holds
 * every word of `words` (NULL-terminated); with `bad` replaced by `good` it
 * loads (the healthy case). */
static void
refused (const char *title, const char *text, const char *at, const char *bad, const char *good,
         const char *const *words)
{
  g_autoptr (GError) error = NULL;
  AmsScenario *sc = ams_scenario_load_data ("inline.yaml", text, -1, NULL, 0, &error);
  if (g_getenv ("AMS_LC_DUMP") != NULL && error != NULL)
    printf ("\n-- %s:\n%s\n", title, error->message);
  CU_ASSERT_PTR_NULL (sc);
  if (sc != NULL)
    {
      printf ("\n-- %s: loaded, expected refused\n", title);
      ams_scenario_free (sc);
      return;
    }
  CU_ASSERT_TRUE (g_error_matches (error, AMS_SCENARIO_ERROR, AMS_SCENARIO_ERROR_INVALID));
  g_autofree char *pos = position_of (text, at);
  gboolean all = strstr (error->message, pos) != NULL;
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, pos));
  for (const char *const *w = words; *w != NULL; w++)
    {
      all &= strstr (error->message, *w) != NULL;
      CU_ASSERT_PTR_NOT_NULL (strstr (error->message, *w));
    }
  if (!all)
    printf ("\n-- %s: expected %s and the words in:\n%s\n", title, pos, error->message);

  g_autofree char *fixed = replaced (text, bad, good);
  g_autoptr (GError) none = NULL;
  AmsScenario *ok = ams_scenario_load_data ("inline.yaml", fixed, -1, NULL, 0, &none);
  if (ok == NULL)
    printf ("\n-- %s, fixed: %s\n", title, none->message);
  CU_ASSERT_PTR_NOT_NULL (ok);
  if (ok != NULL)
    ams_scenario_free (ok);
}

#define WORDS(...) ((const char *const[]) { __VA_ARGS__, NULL })

/* one owner AMI of the golden pipeline, version 1.0.0/1, then `extra` */
#define ONE(id, extra)                                                                       \
  "  - id: " id "\n"                                                                       \
  "    account: \"111111111111\"\n"                                                        \
  "    region: us-east-1\n"                                                                \
  "    created: 2025-12-31T00:00:00Z\n"                                                    \
  "    snapshots: [{id: snap-0000000a, size: 8}]\n" extra

static void
test_amis_loader_refused (void)
{
  refused ("bad id", LOADER_HEAD ONE ("ami-xyz", ""), "ami-xyz", "ami-xyz", "ami-0000abcd",
           WORDS ("amis[0].id", "ami-0123456789abcdef0", "\"ami-xyz\"", "8 or 17 hex digits"));

  /* created one day after the start; at the start exactly is allowed */
  refused ("created after start",
           LOADER_HEAD
           "  - id: ami-0000000b\n"
           "    account: \"111111111111\"\n"
           "    region: us-east-1\n"
           "    created: 2026-01-02T00:00:00Z\n"
           "    snapshots: [{id: snap-0000000a, size: 8}]\n",
           "id: ami-0000000b", "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z",
           WORDS ("ami-0000000b", "created after the start", "2026-01-01T00:00:00Z"));

  refused ("state pending", LOADER_HEAD ONE ("ami-0000000b", "    state: pending\n"), "pending",
           "pending", "disabled", WORDS ("amis[0].state", "available or disabled", "\"pending\""));

  refused ("pipeline without version", LOADER_HEAD ONE ("ami-0000000b", "    pipeline: golden\n"),
           "id: ami-0000000b", "    pipeline: golden\n",
           "    pipeline: golden\n    version: 1.0.0/1\n",
           WORDS ("pipeline and version go together"));
  refused ("version without pipeline", LOADER_HEAD ONE ("ami-0000000b", "    version: 1.0.0/1\n"),
           "id: ami-0000000b", "    version: 1.0.0/1\n",
           "    pipeline: golden\n    version: 1.0.0/1\n",
           WORDS ("pipeline and version go together"));

  refused ("unknown pipeline",
           LOADER_HEAD ONE ("ami-0000000b", "    pipeline: goldne\n    version: 1.0.0/1\n"),
           "goldne", "goldne", "golden",
           WORDS ("amis[0].pipeline", "no pipeline named 'goldne'", "did you mean 'golden'?"));

  refused ("version 1.0/3",
           LOADER_HEAD ONE ("ami-0000000b", "    pipeline: golden\n    version: 1.0/3\n"),
           "1.0/3", "1.0/3", "1.0.0/3",
           WORDS ("amis[0].version", "like 1.0.0/3", "\"1.0/3\""));
  refused ("version 1.0.0/0",
           LOADER_HEAD ONE ("ami-0000000b", "    pipeline: golden\n    version: 1.0.0/0\n"),
           "1.0.0/0", "1.0.0/0", "1.0.0/1",
           WORDS ("amis[0].version", "like 1.0.0/3", "\"1.0.0/0\""));

  /* the second entry (its keys in another order, so that its position can
   * be told apart) repeats the first's id: reported at the second, naming
   * the first */
  static const char dup[] =
    LOADER_HEAD
    ONE ("ami-0000000b", "")
    "  - account: \"111111111111\"\n"
    "    id: ami-0000000b\n"
    "    region: us-east-1\n"
    "    created: 2025-12-31T00:00:00Z\n"
    "    snapshots: [{id: snap-0000000c, size: 8}]\n";
  g_autofree char *first = position_of (dup, "id: ami-0000000b");
  /* "inline.yaml:L:C:" -> "first at L:C" */
  g_auto (GStrv) parts = g_strsplit (first, ":", -1);
  g_autofree char *first_at = g_strdup_printf ("first at %s:%s)", parts[1], parts[2]);
  refused ("duplicate id", dup, "account: \"111111111111\"\n    id: ami-0000000b",
           "    id: ami-0000000b\n    region", "    id: ami-0000000d\n    region",
           WORDS ("amis[1]", "AMI ami-0000000b is listed twice", first_at));

  /* one snapshot in two AMIs of different regions (and in two of the same
   * account and region: allowed) */
  static const char two_regions[] =
    LOADER_HEAD
    ONE ("ami-0000000b", "")
    "  - id: ami-0000000c\n"
    "    account: \"111111111111\"\n"
    "    region: eu-west-1\n"
    "    created: 2025-12-31T00:00:00Z\n"
    "    snapshots: [{id: snap-0000000a, size: 8}]\n";
  refused ("snapshot in two regions", two_regions, "id: ami-0000000c", "region: eu-west-1",
           "region: us-east-1",
           WORDS ("snapshot snap-0000000a", "us-east-1", "eu-west-1", "ami-0000000b"));

  static const char two_sizes[] =
    LOADER_HEAD
    ONE ("ami-0000000b", "")
    "  - id: ami-0000000c\n"
    "    account: \"111111111111\"\n"
    "    region: us-east-1\n"
    "    created: 2025-12-31T00:00:00Z\n"
    "    snapshots: [{id: snap-0000000a, size: 9}]\n";
  refused ("snapshot with two sizes", two_sizes, "id: ami-0000000c", "size: 9}", "size: 8GiB}",
           WORDS ("snapshot snap-0000000a has another size"));

  refused ("kms_key with encrypted false",
           LOADER_HEAD ONE ("ami-0000000b", "    kms_key: alias/golden\n    encrypted: false\n"),
           "alias/golden", "encrypted: false", "encrypted: true",
           WORDS ("alias/golden", "encrypted: false"));

  refused ("undefined account",
           LOADER_HEAD
           "  - id: ami-0000000b\n"
           "    account: \"999999999999\"\n"
           "    region: us-east-1\n"
           "    created: 2025-12-31T00:00:00Z\n"
           "    snapshots: [{id: snap-0000000a, size: 8}]\n",
           "\"999999999999\"", "999999999999", "222222222222",
           WORDS ("amis[0].account", "account '999999999999' is not defined"));

  refused ("no snapshots",
           LOADER_HEAD
           "  - id: ami-0000000b\n"
           "    account: \"111111111111\"\n"
           "    region: us-east-1\n"
           "    created: 2025-12-31T00:00:00Z\n"
           "    snapshots: []\n",
           "[]", "[]", "[{id: snap-0000000a, size: 8}]",
           WORDS ("amis[0].snapshots", "expected 1 to 128 snapshots, got 0"));
}

/* ---- 3. storage from time 0 ----------------------------------------------- */

/* Three AMIs that exist at the start, none of a pipeline (the one pipeline
 * never starts): A 10 GiB (snap-…a), B 20 GiB (snap-…b), C listing A's
 * snapshot (10 GiB, stored once). amis 3; stored 10 + 20 = 30 GiB from time
 * 0 to the horizon, 10 days = 240 h: 30 × 240 / 730 GiB-months
 * (AWS bills 730 h a month) = 9.8630137 GiB-months. Without the shared
 * snapshot (C on a snapshot of its own) 40 GiB. The same with a consumer
 * (inventory records kept) as without. */
static const char storage[] =
  HEAD ("10d")
  "regions: [{name: us-east-1}]\n"
  "accounts:\n" OWNER
  "pipelines:\n" IDLE_PIPELINE ("golden", "golden", "1.0.0")
  "amis:\n"
  "  - id: ami-0000000a\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    created: 2025-12-01T00:00:00Z\n"
  "    snapshots: [{id: snap-0000000a, size: 10}]\n"
  "  - id: ami-0000000b\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    created: 2025-12-02T00:00:00Z\n"
  "    snapshots: [{id: snap-0000000b, size: 20GiB}]\n"
  "  - id: ami-0000000c\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    created: 2025-12-03T00:00:00Z\n"
  "    snapshots: [{id: snap-0000000a, size: 10}]\n"
  SIMULATION;

static void
assert_storage (const Run *run, guint amis, double gib, double hours)
{
  const AmsResults *r = run->r;
  CU_ASSERT_EQUAL (r->amis, amis);
  CU_ASSERT_DOUBLE_EQUAL (r->storage_gib, gib, 1e-9);
  double want = gib * hours / 730.0;
  CU_ASSERT_TRUE (fabs (r->storage_gib_months - want) <= 1e-6 * want);
  if (fabs (r->storage_gib_months - want) > 1e-6 * want)
    printf ("\n storage_gib_months %.9f, expected %.9f\n", r->storage_gib_months, want);
  CU_ASSERT_EQUAL (r->images_started, 0);
  CU_ASSERT_EQUAL (r->failures_by_cause[AMS_CAUSE_AMI_QUOTA_EXCEEDED], 0);
}

static void
test_amis_storage_from_start (void)
{
  g_autoptr (Run) run = run_with (storage, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("storage", run);
  assert_storage (run, 3, 30.0, 240.0);
  CU_ASSERT_DOUBLE_EQUAL (run->r->storage_gib_months, 30.0 * 240.0 / 730.0, 1e-5);
  CU_ASSERT_EQUAL (run->r->amis_max, 3);
  CU_ASSERT_DOUBLE_EQUAL (run->r->storage_gib_max, 30.0, 1e-9);

  /* C on a snapshot of its own: 40 GiB */
  g_autofree char *apart = g_strdup (storage);
  char *third = strstr (strstr (apart, "ami-0000000c"), "snap-0000000a");
  third[strlen ("snap-0000000")] = 'c';
  g_autoptr (Run) own = run_with (apart, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (own);
  assert_storage (own, 3, 40.0, 240.0);

  /* with a consumer the inventory keeps records: the same storage */
  g_autofree char *with_launches = g_strconcat (storage,
    "launches:\n"
    "  - {name: fleet, accounts: [\"111111111111\"], region: us-east-1, pipeline: golden, "
    "rate: 24/d, refresh: 0s}\n", NULL);
  g_autoptr (Run) kept = run_with (with_launches, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (kept);
  dump ("storage, records kept", kept);
  assert_storage (kept, 3, 30.0, 240.0);
  /* none of them is the pipeline's: the consumer finds none */
  CU_ASSERT_TRUE (kept->r->launches > 0);
  CU_ASSERT_EQUAL (kept->r->launches_no_ami, kept->r->launches);
}

/* ---- 4. the AMI quota ------------------------------------------------------ */

/* engine.c: an image's own AMI is refused (ami_quota_exceeded) when its
 * account and region already hold amis + binned >= limits.amis_per_account_region,
 * a copy likewise in its destination. Quota 3; "golden" builds once, day 0
 * at 04:00 (AMI at 04:10), distributing to us-east-1 (home) only, or also
 * copying to eu-west-1. The AMIs of the start in 111111111111 us-east-1:
 *   3: they fill the quota: the image fails ami_quota_exceeded, amis stay 3;
 *   2: the image's AMI is the third: available, amis 3.
 * The same with the AMIs of the start in eu-west-1 and a copy there: with
 * 3 the copy fails (1 failure, the image FAILED), the home AMI is made:
 * amis 3 + 1 = 4; with 2 the copy succeeds: amis 2 + 1 + 1 = 4, no failure.
 * 3 AMIs in 222222222222's us-east-1 do not count against 111111111111's:
 * the build succeeds, amis 3 + 1 = 4. */
static char *
quota_scenario (guint n, const char *account, const char *region, gboolean copy)
{
  GString *amis = g_string_new ("amis:\n");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (amis,
                            "  - id: ami-0000000%u\n"
                            "    account: \"%s\"\n"
                            "    region: %s\n"
                            "    created: 2025-12-0%uT00:00:00Z\n"
                            "    snapshots: [{id: snap-0000000%u, size: 10}]\n",
                            i + 1, account, region, i + 1, i + 1);
  char *text = g_strdup_printf (HEAD ("1d")
                                "regions: [{name: us-east-1}, {name: eu-west-1}]\n"
                                "accounts:\n" OWNER
                                "  - id: \"222222222222\"\n"
                                "pipelines:\n"
                                PIPELINE ("golden", "golden", "1.0.0", "4", "1")
                                "    distribution:\n"
                                "      name: home\n"
                                "      distributions:\n"
                                "        - region: us-east-1\n"
                                "          amiDistributionConfiguration: {name: \"a {{ imagebuilder:buildDate }}\"}\n"
                                "%s"
                                "%s"
                                SIMULATION
                                "  limits: {amis_per_account_region: 3}\n",
                                copy ? "        - region: eu-west-1\n"
                                       "          amiDistributionConfiguration: {name: \"b {{ imagebuilder:buildDate }}\"}\n"
                                     : "",
                                amis->str);
  g_string_free (amis, TRUE);
  return text;
}

static void
test_amis_quota (void)
{
  g_autofree char *t_full = quota_scenario (3, "111111111111", "us-east-1", FALSE);
  g_autoptr (Run) full = run_with (t_full, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (full);
  dump ("quota: 3 of 3", full);
  CU_ASSERT_EQUAL (full->r->images_started, 1);
  CU_ASSERT_EQUAL (full->r->images_failed, 1);
  CU_ASSERT_EQUAL (full->r->images_available, 0);
  CU_ASSERT_EQUAL (full->r->failures_by_cause[AMS_CAUSE_AMI_QUOTA_EXCEEDED], 1);
  CU_ASSERT_EQUAL (full->r->amis, 3);
  CU_ASSERT_DOUBLE_EQUAL (full->r->storage_gib, 30.0, 1e-9);

  g_autofree char *t_room = quota_scenario (2, "111111111111", "us-east-1", FALSE);
  g_autoptr (Run) room = run_with (t_room, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (room);
  dump ("quota: 2 of 3", room);
  CU_ASSERT_EQUAL (room->r->images_started, 1);
  CU_ASSERT_EQUAL (room->r->images_available, 1);
  CU_ASSERT_EQUAL (room->r->images_failed, 0);
  CU_ASSERT_EQUAL (room->r->failures_by_cause[AMS_CAUSE_AMI_QUOTA_EXCEEDED], 0);
  CU_ASSERT_EQUAL (room->r->amis, 3);
  CU_ASSERT_DOUBLE_EQUAL (room->r->storage_gib, 30.0, 1e-9);

  /* another account's AMIs do not fill 111111111111's quota */
  g_autofree char *t_other = quota_scenario (3, "222222222222", "us-east-1", FALSE);
  g_autoptr (Run) other = run_with (t_other, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (other);
  CU_ASSERT_EQUAL (other->r->images_available, 1);
  CU_ASSERT_EQUAL (other->r->failures_by_cause[AMS_CAUSE_AMI_QUOTA_EXCEEDED], 0);
  CU_ASSERT_EQUAL (other->r->amis, 4);

  /* a copy to eu-west-1, where 3 AMIs exist: refused; the home AMI is made */
  g_autofree char *t_copy = quota_scenario (3, "111111111111", "eu-west-1", TRUE);
  g_autoptr (Run) copy = run_with (t_copy, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (copy);
  dump ("quota: copy into 3 of 3", copy);
  CU_ASSERT_EQUAL (copy->r->copies_succeeded, 0);
  CU_ASSERT_EQUAL (copy->r->images_failed, 1);
  CU_ASSERT_EQUAL (copy->r->failures_by_cause[AMS_CAUSE_AMI_QUOTA_EXCEEDED], 1);
  CU_ASSERT_EQUAL (copy->r->amis, 4);

  g_autofree char *t_copy2 = quota_scenario (2, "111111111111", "eu-west-1", TRUE);
  g_autoptr (Run) copy2 = run_with (t_copy2, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (copy2);
  dump ("quota: copy into 2 of 3", copy2);
  CU_ASSERT_EQUAL (copy2->r->copies_succeeded, 1);
  CU_ASSERT_EQUAL (copy2->r->failures_by_cause[AMS_CAUSE_AMI_QUOTA_EXCEEDED], 0);
  CU_ASSERT_EQUAL (copy2->r->images_available, 1);
  CU_ASSERT_EQUAL (copy2->r->amis, 4);
}

/* ---- 5. lifecycle policies act on them --------------------------------------- */

/* Pipeline "pip" (recipe base 1.0.0) builds once, day 0 at 04:00. At the
 * start exist, one 10 GiB AMI each (ami-a000000N, snap-b000000N):
 *   base 1.0.0/1..5, created 5, 4, 3, 2, 1 days before the start;
 *   base 0.9.0/1..3 (an older recipe version of "pip"), 12, 11, 10 days before;
 *   ami-c0000001: no pipeline, 30 days before.
 * Horizon 5h: one lifecycle run, at 03:00 of day 0. Policy "keep-two" on
 * base 1.x.x, DELETE COUNT 2, ranks 1.0.0's images alone (per recipe
 * version; 0.9.0 is not selected by 1.x.x): /5, /4 kept; /3, /2, /1
 * deleted: AMIs at 03:01, snapshots and images at 03:02, the records
 * naming the given ids. Then the build at 04:00 is 1.0.0/6 (builds of 1.0.0
 * go on from the highest listed; 0.9.0/3 does not matter), its AMI at 04:10.
 * AMIs left: 9 - 3 + 1 = 7, 70 GiB. ami-c0000001 appears in no record.
 * With semanticVersion 0.x.x the policy selects the 0.9.0 images by their
 * own version (the pipeline's is 1.0.0): COUNT 2 deletes 0.9.0/1 only, no
 * 1.0.0 image: 9 - 1 + 1 = 9 AMIs. */
static const char lifecycle_given[] =
  HEAD ("5h")
  "regions: [{name: us-east-1}]\n"
  "accounts:\n" OWNER
  "pipelines:\n"
  PIPELINE ("pip", "base", "1.0.0", "4", "1") HOME_ONLY
  "amis:\n"
  AMI_AT ("ami-a0000003", "snap-b0000003", "2025-12-29T00:00:00Z",
          "    pipeline: pip\n    version: 1.0.0/3\n")
  AMI_AT ("ami-a0000001", "snap-b0000001", "2025-12-27T00:00:00Z",
          "    pipeline: pip\n    version: 1.0.0/1\n")
  AMI_AT ("ami-a0000002", "snap-b0000002", "2025-12-28T00:00:00Z",
          "    pipeline: pip\n    version: 1.0.0/2\n")
  AMI_AT ("ami-a0000005", "snap-b0000005", "2025-12-31T00:00:00Z",
          "    pipeline: pip\n    version: 1.0.0/5\n")
  AMI_AT ("ami-a0000004", "snap-b0000004", "2025-12-30T00:00:00Z",
          "    pipeline: pip\n    version: 1.0.0/4\n")
  AMI_AT ("ami-a0000091", "snap-b0000091", "2025-12-20T00:00:00Z",
          "    pipeline: pip\n    version: 0.9.0/1\n")
  AMI_AT ("ami-a0000092", "snap-b0000092", "2025-12-21T00:00:00Z",
          "    pipeline: pip\n    version: 0.9.0/2\n")
  AMI_AT ("ami-a0000093", "snap-b0000093", "2025-12-22T00:00:00Z",
          "    pipeline: pip\n    version: 0.9.0/3\n")
  AMI_AT ("ami-c0000001", "snap-d0000001", "2025-12-02T00:00:00Z", "")
  "lifecycle_policies:\n"
  POLICY ("keep-two", "base", "1.x.x")
  DELETE_ALL
  "        filter: {type: COUNT, value: 2}\n"
  SIMULATION;

static void
test_amis_lifecycle_acts (void)
{
  g_autoptr (Run) run = run_with (lifecycle_given, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("lifecycle on the AMIs of the start", run);
  const AmsResults *r = run->r;
  CU_ASSERT_EQUAL (r->lc_runs, 1);
  CU_ASSERT_EQUAL (r->lc_deleted, 3);
  CU_ASSERT_EQUAL (r->lc_amis_deregistered, 3);
  CU_ASSERT_EQUAL (r->lc_snapshots_deleted, 3);
  CU_ASSERT_EQUAL (r->lc_skipped, 0);
  CU_ASSERT_EQUAL (r->lc_failed, 0);
  CU_ASSERT_EQUAL (run->rows->len, 3 * 3);
  for (guint b = 1; b <= 3; b++)
    {
      g_autofree char *v = g_strdup_printf ("1.0.0/%u", b);
      g_autofree char *ami = g_strdup_printf ("ami-a000000%u", b);
      g_autofree char *snap = g_strdup_printf ("snap-b000000%u", b);
      CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, v, "DELETE", OK, "", ami, RUN_PLUS (0, 1) }), 1);
      CU_ASSERT_EQUAL (count_rows (run, (Want) { SNAP, v, "DELETE", OK, "", snap, RUN_PLUS (0, 2) }), 1);
      CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, v, "DELETE", OK, "", NULL, RUN_PLUS (0, 2) }), 1);
    }
  for (guint i = 0; i < run->rows->len; i++)
    {
      const Row *w = &g_array_index (run->rows, Row, i);
      CU_ASSERT_STRING_EQUAL (w->pipeline, "pip");
      CU_ASSERT_STRING_EQUAL (w->account, "111111111111");
      CU_ASSERT_STRING_EQUAL (w->region, "us-east-1");
    }
  CU_ASSERT_EQUAL (rows_of (run, "1.0.0/4"), 0);
  CU_ASSERT_EQUAL (rows_of (run, "1.0.0/5"), 0);
  CU_ASSERT_EQUAL (rows_of (run, "0.9.0/1"), 0);
  CU_ASSERT_EQUAL (rows_of (run, "0.9.0/2"), 0);
  CU_ASSERT_EQUAL (rows_of (run, "0.9.0/3"), 0);
  CU_ASSERT_EQUAL (rows_naming (run, "ami-c0000001"), 0);
  /* the run's first build goes on from /5 */
  CU_ASSERT_EQUAL_FATAL (run->builds->len, 1);
  CU_ASSERT_STRING_EQUAL (run->builds->pdata[0], "pip 1.0.0/6 AVAILABLE");
  CU_ASSERT_EQUAL (r->images_available, 1);
  CU_ASSERT_EQUAL (r->amis, 7);
  CU_ASSERT_DOUBLE_EQUAL (r->storage_gib, 70.0, 1e-9);

  /* 0.x.x: the older version's images, by their own version */
  AmsOverride zero[] = {
    { "lifecycle_policies[0].resourceSelection.recipes[0].semanticVersion", "0.x.x", "test" },
  };
  g_autoptr (Run) old = run_with (lifecycle_given, zero, 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL (old);
  dump ("lifecycle on 0.x.x", old);
  CU_ASSERT_EQUAL (old->r->lc_deleted, 1);
  CU_ASSERT_EQUAL (old->rows->len, 3);
  CU_ASSERT_EQUAL (count_rows (old, (Want) { AMI, "0.9.0/1", "DELETE", OK, "", "ami-a0000091", RUN_PLUS (0, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (old, (Want) { SNAP, "0.9.0/1", "DELETE", OK, "", "snap-b0000091", RUN_PLUS (0, 2) }), 1);
  CU_ASSERT_EQUAL (count_rows (old, (Want) { IMG, "0.9.0/1", "DELETE", OK, "", NULL, RUN_PLUS (0, 2) }), 1);
  CU_ASSERT_EQUAL (rows_naming (old, "ami-c0000001"), 0);
  CU_ASSERT_EQUAL_FATAL (old->builds->len, 1);
  CU_ASSERT_STRING_EQUAL (old->builds->pdata[0], "pip 1.0.0/6 AVAILABLE");
  CU_ASSERT_EQUAL (old->r->amis, 9);
  CU_ASSERT_DOUBLE_EQUAL (old->r->storage_gib, 90.0, 1e-9);
}

/* The AMI without a pipeline is never acted on, even by a policy that would
 * take everything: DELETE AGE 1 DAYS on base 1.x.x with the start's AMIs
 * 1.0.0/1 (5 days old) and ami-c0000001 (30 days old, no pipeline), the
 * pipeline idle. Run of day 0: 1.0.0/1 deleted; ami-c0000001 in no record,
 * still stored: amis 1, 10 GiB. */
static void
test_amis_plain_ami_untouched (void)
{
  static const char text[] =
    HEAD ("5h")
    "regions: [{name: us-east-1}]\n"
    "accounts:\n" OWNER
    "pipelines:\n" IDLE_PIPELINE ("pip", "base", "1.0.0")
    "amis:\n"
    AMI_AT ("ami-a0000001", "snap-b0000001", "2025-12-27T00:00:00Z",
            "    pipeline: pip\n    version: 1.0.0/1\n")
    AMI_AT ("ami-c0000001", "snap-d0000001", "2025-12-02T00:00:00Z", "")
    "lifecycle_policies:\n"
    POLICY ("one-day", "base", "1.x.x")
    DELETE_ALL
    "        filter: {type: AGE, value: 1, unit: DAYS}\n"
    SIMULATION;
  g_autoptr (Run) run = run_with (text, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("plain AMI", run);
  CU_ASSERT_EQUAL (run->r->lc_deleted, 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", OK, "", "ami-a0000001", RUN_PLUS (0, 1) }), 1);
  CU_ASSERT_EQUAL (rows_naming (run, "ami-c0000001"), 0);
  CU_ASSERT_EQUAL (rows_naming (run, "snap-d0000001"), 0);
  CU_ASSERT_EQUAL (run->r->amis, 1);
  CU_ASSERT_DOUBLE_EQUAL (run->r->storage_gib, 10.0, 1e-9);
}

/* ---- 6. AGE ------------------------------------------------------------------ */

/* DELETE AGE 30 DAYS on base 1.x.x; the pipeline idle; images at the start:
 * 1.0.0/1 created 40 days before (2025-11-22), 1.0.0/2 10 days before
 * (2025-12-22). At the run of day 0 (03:00) /1 is 40d3h old: deleted
 * (AMI 03:01, image 03:02); /2 10d3h: not. /2 reaches 30 days at 2026-01-21
 * 00:00 = day 20: at the run of day 19 it is 29d3h old (kept), at the run of
 * day 20 30d3h: deleted then. Horizon 20d4h: runs of days 0..20, 2 deleted;
 * horizon 19d4h: 1. */
static const char age_given[] =
  HEAD ("20d4h")
  "regions: [{name: us-east-1}]\n"
  "accounts:\n" OWNER
  "pipelines:\n" IDLE_PIPELINE ("pip", "base", "1.0.0")
  "amis:\n"
  AMI_AT ("ami-a0000001", "snap-b0000001", "2025-11-22T00:00:00Z",
          "    pipeline: pip\n    version: 1.0.0/1\n")
  AMI_AT ("ami-a0000002", "snap-b0000002", "2025-12-22T00:00:00Z",
          "    pipeline: pip\n    version: 1.0.0/2\n")
  "lifecycle_policies:\n"
  POLICY ("thirty-days", "base", "1.x.x")
  DELETE_ALL
  "        filter: {type: AGE, value: 30, unit: DAYS}\n"
  SIMULATION;

static void
test_amis_age (void)
{
  g_autoptr (Run) run = run_with (age_given, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("age", run);
  CU_ASSERT_EQUAL (run->r->lc_runs, 21);
  CU_ASSERT_EQUAL (run->r->lc_deleted, 2);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", OK, "", "ami-a0000001", RUN_PLUS (0, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/1", "DELETE", OK, "", NULL, RUN_PLUS (0, 2) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/2", "DELETE", OK, "", "ami-a0000002", RUN_PLUS (20, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/2", "DELETE", OK, "", NULL, RUN_PLUS (20, 2) }), 1);
  CU_ASSERT_EQUAL (run->rows->len, 6);
  CU_ASSERT_EQUAL (run->r->amis, 0);

  AmsOverride shorter[] = { { "horizon", "19d4h", "test" } };
  g_autoptr (Run) early = run_with (age_given, shorter, 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL (early);
  CU_ASSERT_EQUAL (early->r->lc_runs, 20);
  CU_ASSERT_EQUAL (early->r->lc_deleted, 1);
  CU_ASSERT_EQUAL (rows_of (early, "1.0.0/2"), 0);
  CU_ASSERT_EQUAL (early->r->amis, 1);
}

/* ---- 7. exclusion by AMI tags -------------------------------------------------- */

/* DELETE COUNT 1 with exclusionRules.amis.tagMap {keep: "yes"}; images at
 * the start 1.0.0/1 (AMI tagged keep=yes), /2, /3 (newest); the pipeline
 * idle. Run of day 0: /3 kept; /2 deleted; /1's AMI SKIPPED
 * "exclusionRules.amis.tagMap", so its image is not deleted (SKIPPED
 * "1 AMIs not deregistered", not counted again). lc_deleted 1, lc_skipped 1,
 * amis 2. Without the tag on the AMI: /1 and /2 deleted, amis 1. */
static const char tag_given[] =
  HEAD ("5h")
  "regions: [{name: us-east-1}]\n"
  "accounts:\n" OWNER
  "pipelines:\n" IDLE_PIPELINE ("pip", "base", "1.0.0")
  "amis:\n"
  AMI_AT ("ami-a0000001", "snap-b0000001", "2025-12-27T00:00:00Z",
          "    tags: {keep: \"yes\"}\n    pipeline: pip\n    version: 1.0.0/1\n")
  AMI_AT ("ami-a0000002", "snap-b0000002", "2025-12-28T00:00:00Z",
          "    pipeline: pip\n    version: 1.0.0/2\n")
  AMI_AT ("ami-a0000003", "snap-b0000003", "2025-12-29T00:00:00Z",
          "    pipeline: pip\n    version: 1.0.0/3\n")
  "lifecycle_policies:\n"
  POLICY ("keep-one", "base", "1.x.x")
  DELETE_ALL
  "        filter: {type: COUNT, value: 1}\n"
  "        exclusionRules: {amis: {tagMap: {keep: \"yes\"}}}\n"
  SIMULATION;

static void
test_amis_tag_exclusion (void)
{
  g_autoptr (Run) run = run_with (tag_given, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("AMI tag exclusion", run);
  CU_ASSERT_EQUAL (run->r->lc_deleted, 1);
  CU_ASSERT_EQUAL (run->r->lc_skipped, 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", SKIPPED, "exclusionRules.amis.tagMap", "ami-a0000001", RUN (0) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/1", "DELETE", SKIPPED, "1 AMIs not deregistered", NULL, -1 }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/1", "DELETE", OK, NULL, NULL, -1 }), 0);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/2", "DELETE", OK, "", "ami-a0000002", RUN_PLUS (0, 1) }), 1);
  CU_ASSERT_EQUAL (rows_of (run, "1.0.0/3"), 0);
  CU_ASSERT_EQUAL (run->r->amis, 2);

  g_autofree char *untagged = replaced (tag_given, "    tags: {keep: \"yes\"}\n", "");
  g_autoptr (Run) plain = run_with (untagged, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (plain);
  dump ("no AMI tag", plain);
  CU_ASSERT_EQUAL (plain->r->lc_deleted, 2);
  CU_ASSERT_EQUAL (plain->r->lc_skipped, 0);
  CU_ASSERT_EQUAL (count_rows (plain, (Want) { AMI, "1.0.0/1", "DELETE", OK, "", "ami-a0000001", RUN_PLUS (0, 1) }), 1);
  CU_ASSERT_EQUAL (plain->r->amis, 1);
}

/* ---- 8. consumers launch from them ----------------------------------------------- */

/* The idle pipeline "golden" has one AMI at the start, 1.0.0/1 in
 * 111111111111 us-east-1 (created a day before), shared with
 * 222222222222; a consumer in `account` launches from golden in us-east-1
 * 240 times a day, refresh 0s (it looks for the newest AMI at every
 * launch); horizon 1d. inventory.c: a consumer's search skips disabled
 * AMIs and those deprecated by now (describe-images hides them), so a
 * disabled AMI, or one deprecated before the start, is never found: every
 * launch counts as launches_no_ami (not launches_disabled, which is for an
 * AMI the consumer already held). `owner_extra`: more keys of the owner
 * account; `ami_extra`: more keys of the AMI. */
static char *
launch_scenario_with (const char *account, const char *owner_extra, const char *ami_extra)
{
  return g_strdup_printf (HEAD ("1d")
                          "regions: [{name: us-east-1}]\n"
                          "accounts:\n" OWNER
                          "%s"
                          "  - id: \"222222222222\"\n"
                          "  - id: \"333333333333\"\n"
                          "pipelines:\n" IDLE_PIPELINE ("golden", "golden", "1.0.0")
                          "amis:\n"
                          AMI_AT ("ami-a0000001", "snap-b0000001", "2025-12-31T00:00:00Z",
                                  "%s"
                                  "    launchPermission: {userIds: [\"222222222222\"]}\n"
                                  "    pipeline: golden\n    version: 1.0.0/1\n")
                          "launches:\n"
                          "  - {name: fleet, accounts: [\"%s\"], region: us-east-1, "
                          "pipeline: golden, rate: 240/d, refresh: 0s}\n"
                          SIMULATION,
                          owner_extra, ami_extra, account);
}

static void
test_amis_launches (void)
{
  g_autofree char *t_ok = launch_scenario_with ("111111111111", "", "");
  g_autoptr (Run) ok = run_with (t_ok, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (ok);
  dump ("launch from an AMI of the start", ok);
  CU_ASSERT_TRUE (ok->r->launches > 0);
  CU_ASSERT_EQUAL (ok->r->launches_ok, ok->r->launches);
  CU_ASSERT_EQUAL (ok->r->launches_no_ami, 0);
  CU_ASSERT_EQUAL (ok->r->launches_disabled, 0);

  /* shared with 222222222222 by its launch permission */
  g_autofree char *t_shared = launch_scenario_with ("222222222222", "", "");
  g_autoptr (Run) shared = run_with (t_shared, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (shared);
  CU_ASSERT_TRUE (shared->r->launches > 0);
  CU_ASSERT_EQUAL (shared->r->launches_ok, shared->r->launches);
  CU_ASSERT_EQUAL (shared->r->launches_no_ami, 0);
  /* not with 333333333333 */
  g_autofree char *t_other = launch_scenario_with ("333333333333", "", "");
  g_autoptr (Run) other = run_with (t_other, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (other);
  CU_ASSERT_TRUE (other->r->launches > 0);
  CU_ASSERT_EQUAL (other->r->launches_ok, 0);
  CU_ASSERT_EQUAL (other->r->launches_no_ami, other->r->launches);

  /* state: disabled: never found */
  g_autofree char *t_dis = replaced (t_ok, "    launchPermission:", "    state: disabled\n    launchPermission:");
  g_autoptr (Run) dis = run_with (t_dis, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (dis);
  dump ("launch from a disabled AMI", dis);
  CU_ASSERT_EQUAL (dis->r->launches, ok->r->launches); /* the consumer's own random stream */
  CU_ASSERT_EQUAL (dis->r->launches_ok, 0);
  CU_ASSERT_EQUAL (dis->r->launches_no_ami, dis->r->launches);
  CU_ASSERT_EQUAL (dis->r->launches_disabled, 0);
  CU_ASSERT_EQUAL (dis->r->amis, 1); /* still registered and stored */

  /* deprecated before the start: hidden from the consumer */
  g_autofree char *t_dep = replaced (t_ok, "    launchPermission:",
                                     "    deprecation_time: 2025-12-31T12:00:00Z\n    launchPermission:");
  g_autoptr (Run) dep = run_with (t_dep, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (dep);
  dump ("launch from a deprecated AMI", dep);
  CU_ASSERT_EQUAL (dep->r->launches, ok->r->launches);
  CU_ASSERT_EQUAL (dep->r->launches_ok, 0);
  CU_ASSERT_EQUAL (dep->r->launches_no_ami, dep->r->launches);

  /* deprecated at 12:00 of day 0: found before, not after */
  g_autofree char *t_mid = replaced (t_ok, "    launchPermission:",
                                     "    deprecation_time: 2026-01-01T12:00:00Z\n    launchPermission:");
  g_autoptr (Run) mid = run_with (t_mid, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (mid);
  CU_ASSERT_TRUE (mid->r->launches_ok > 0);
  CU_ASSERT_TRUE (mid->r->launches_no_ami > 0);
  CU_ASSERT_EQUAL (mid->r->launches_ok + mid->r->launches_no_ami, mid->r->launches);
}

/* ---- 9. determinism ------------------------------------------------------------ */

static void
test_amis_same_results (void)
{
  g_autofree char *text = g_strconcat (lifecycle_given,
    "launches:\n"
    "  - {name: fleet, accounts: [\"111111111111\"], region: us-east-1, pipeline: pip, "
    "rate: 240/d, refresh: 1h}\n", NULL);
  g_autoptr (Run) a = run_with (text, NULL, 0);
  g_autoptr (Run) b = run_with (text, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (a);
  CU_ASSERT_PTR_NOT_NULL_FATAL (b);
  CU_ASSERT_EQUAL (a->r->amis, 7);
  CU_ASSERT_EQUAL (a->r->lc_deleted, 3);
  CU_ASSERT_TRUE (a->r->launches_ok > 0);
  CU_ASSERT_EQUAL (a->r->amis, b->r->amis);
  CU_ASSERT_EQUAL (a->r->storage_gib, b->r->storage_gib);
  CU_ASSERT_EQUAL (a->r->storage_gib_months, b->r->storage_gib_months);
  CU_ASSERT_EQUAL (a->r->lc_runs, b->r->lc_runs);
  CU_ASSERT_EQUAL (a->r->lc_deleted, b->r->lc_deleted);
  CU_ASSERT_EQUAL (a->r->lc_amis_deregistered, b->r->lc_amis_deregistered);
  CU_ASSERT_EQUAL (a->r->lc_snapshots_deleted, b->r->lc_snapshots_deleted);
  CU_ASSERT_EQUAL (a->r->lc_skipped, b->r->lc_skipped);
  CU_ASSERT_EQUAL (a->r->launches, b->r->launches);
  CU_ASSERT_EQUAL (a->r->launches_ok, b->r->launches_ok);
  CU_ASSERT_EQUAL (a->r->launches_no_ami, b->r->launches_no_ami);
  CU_ASSERT_EQUAL_FATAL (a->rows->len, b->rows->len);
  for (guint i = 0; i < a->rows->len; i++)
    {
      const Row *x = &g_array_index (a->rows, Row, i), *y = &g_array_index (b->rows, Row, i);
      CU_ASSERT_EQUAL (x->t, y->t);
      CU_ASSERT_STRING_EQUAL (x->version, y->version);
      CU_ASSERT_STRING_EQUAL (x->resource_id, y->resource_id);
      CU_ASSERT_STRING_EQUAL (x->action, y->action);
      CU_ASSERT_EQUAL (x->status, y->status);
    }
  CU_ASSERT_EQUAL_FATAL (a->builds->len, b->builds->len);
  for (guint i = 0; i < a->builds->len; i++)
    CU_ASSERT_STRING_EQUAL (a->builds->pdata[i], b->builds->pdata[i]);
}


/* ---- 10. the AMIs of one version are one image ------------------------------ */

/* 1.0.0/1 has its own AMI in us-east-1, created 40 days before the start,
 * and a distributed copy in eu-west-1 created 5 days before: one image,
 * created when its first AMI was (40 days ago). DELETE AGE 30 DAYS at the
 * run of day 0: the image is 40d3h old: both AMIs deregistered (03:01),
 * both snapshots deleted and the image (03:02): lc_deleted 1 (images),
 * lc_amis_deregistered 2, lc_snapshots_deleted 2, 5 records. /2 (10 days
 * old, us-east-1) is not matched: amis 1, 10 GiB. */
static void
test_amis_one_image_many_amis (void)
{
  static const char text[] =
    HEAD ("5h")
    "regions: [{name: us-east-1}, {name: eu-west-1}]\n"
    "accounts:\n" OWNER
    "pipelines:\n" IDLE_PIPELINE ("pip", "base", "1.0.0")
    "amis:\n"
    AMI_AT ("ami-a0000001", "snap-b0000001", "2025-11-22T00:00:00Z",
            "    pipeline: pip\n    version: 1.0.0/1\n")
    "  - id: ami-e0000001\n"
    "    account: \"111111111111\"\n"
    "    region: eu-west-1\n"
    "    created: 2025-12-27T00:00:00Z\n"
    "    snapshots: [{id: snap-f0000001, size: 10}]\n"
    "    pipeline: pip\n    version: 1.0.0/1\n"
    AMI_AT ("ami-a0000002", "snap-b0000002", "2025-12-22T00:00:00Z",
            "    pipeline: pip\n    version: 1.0.0/2\n")
    "lifecycle_policies:\n"
    POLICY ("thirty-days", "base", "1.x.x")
    DELETE_ALL
    "        filter: {type: AGE, value: 30, unit: DAYS}\n"
    SIMULATION;
  g_autoptr (Run) run = run_with (text, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("one image, two AMIs", run);
  CU_ASSERT_EQUAL (run->r->lc_deleted, 1);
  CU_ASSERT_EQUAL (run->r->lc_amis_deregistered, 2);
  CU_ASSERT_EQUAL (run->r->lc_snapshots_deleted, 2);
  CU_ASSERT_EQUAL (run->rows->len, 5);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", OK, "", "ami-a0000001", RUN_PLUS (0, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", OK, "", "ami-e0000001", RUN_PLUS (0, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { SNAP, "1.0.0/1", "DELETE", OK, "", "snap-f0000001", RUN_PLUS (0, 2) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/1", "DELETE", OK, "", NULL, RUN_PLUS (0, 2) }), 1);
  for (guint i = 0; i < run->rows->len; i++)
    {
      const Row *w = &g_array_index (run->rows, Row, i);
      if (strcmp (w->resource_id, "ami-e0000001") == 0 || strcmp (w->resource_id, "snap-f0000001") == 0)
        CU_ASSERT_STRING_EQUAL (w->region, "eu-west-1");
    }
  CU_ASSERT_EQUAL (rows_of (run, "1.0.0/2"), 0);
  CU_ASSERT_EQUAL (run->r->amis, 1);
  CU_ASSERT_DOUBLE_EQUAL (run->r->storage_gib, 10.0, 1e-9);
}

/* ---- 11. launches ask the AMI's key ----------------------------------------- */

/* The AMI of the start is encrypted with kms_key alias/golden, a key of
 * 111111111111 in us-east-1 with the default key policy (its own account's
 * root only), and shared with 222222222222. The owner's consumer launches
 * (its account may use its key): all ok. 222222222222's finds the AMI (the
 * launch permission covers it) but the key policy does not let it use the
 * key: every launch launches_key_denied, none ok, none no_ami. Without the
 * key (not encrypted) 222222222222 launches. */
static void
test_amis_launch_key (void)
{
  const char *key = "    kms_keys: [{id: 1234abcd-12ab-34cd-56ef-1234567890ab, region: us-east-1, "
                    "alias: alias/golden}]\n";
  const char *encrypted = "    kms_key: alias/golden\n";
  g_autofree char *base = launch_scenario_with ("222222222222", key, "");
  g_autofree char *keyed = launch_scenario_with ("222222222222", key, encrypted);
  g_autofree char *own = launch_scenario_with ("111111111111", key, encrypted);

  g_autoptr (Run) other = run_with (keyed, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (other);
  dump ("encrypted, shared consumer", other);
  CU_ASSERT_TRUE (other->r->launches > 0);
  CU_ASSERT_EQUAL (other->r->launches_ok, 0);
  CU_ASSERT_EQUAL (other->r->launches_no_ami, 0);
  CU_ASSERT_EQUAL (other->r->launches_key_denied, other->r->launches);

  g_autoptr (Run) plain = run_with (base, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (plain);
  CU_ASSERT_EQUAL (plain->r->launches_ok, plain->r->launches);
  CU_ASSERT_EQUAL (plain->r->launches, other->r->launches);

  g_autoptr (Run) mine = run_with (own, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (mine);
  dump ("encrypted, owner consumer", mine);
  CU_ASSERT_TRUE (mine->r->launches > 0);
  CU_ASSERT_EQUAL (mine->r->launches_ok, mine->r->launches);
  CU_ASSERT_EQUAL (mine->r->launches_key_denied, 0);
}

/* ---- the table ------------------------------------------------------------- */

/* ---- 10. a snapshot of the start shared with an AMI lifecycle does not delete ---- */

/* "a snapshot that several AMIs list is stored once" and a snapshot cannot
 * be deleted while a registered AMI uses it (lifecycle.c: SKIPPED "in use
 * by another AMI"). Images at the start of the idle pipeline: 1.0.0/1
 * (ami-a0000001: snap-b0000001 10 GiB) and 1.0.0/2 (ami-a0000002), and
 * ami-c0000001 with no pipeline; DELETE COUNT 1 on 1.x.x: /1 is deleted
 * at the run of day 0, /2 and ami-c0000001 stay.
 *   (a) ami-c0000001 (no pipeline) lists snap-b0000001 too: after /1's AMI
 *       is deregistered the snapshot is still in use by ami-c0000001: its
 *       deletion SKIPPED "in use by another AMI"; stored: snap-b0000001 10
 *       + /2's 10 = 20 GiB, amis 2.
 *   (b) /2's AMI lists [snap-b0000002 10, snap-b0000001 10] (ami-c0000001
 *       its own snap-d0000001 10): snap-b0000001 is /1's first snapshot and
 *       /2's second: after /1 goes it is still in use by /2: SKIPPED;
 *       stored: snap-b0000001 + snap-b0000002 + snap-d0000001 = 30 GiB. */
static const char shared_snap[] =
  HEAD ("5h")
  "regions: [{name: us-east-1}]\n"
  "accounts:\n" OWNER
  "pipelines:\n" IDLE_PIPELINE ("pip", "base", "1.0.0")
  "amis:\n"
  AMI_AT ("ami-a0000001", "snap-b0000001", "2025-12-27T00:00:00Z",
          "    pipeline: pip\n    version: 1.0.0/1\n")
  AMI_AT ("ami-a0000002", "snap-b0000002", "2025-12-28T00:00:00Z",
          "    pipeline: pip\n    version: 1.0.0/2\n")
  AMI_AT ("ami-c0000001", "snap-b0000001", "2025-12-02T00:00:00Z", "")
  "lifecycle_policies:\n"
  POLICY ("keep-one", "base", "1.x.x")
  DELETE_ALL
  "        filter: {type: COUNT, value: 1}\n"
  SIMULATION;

static void
test_amis_shared_snapshot_with_plain_ami (void)
{
  g_autoptr (Run) run = run_with (shared_snap, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("snapshot shared with an AMI without pipeline", run);
  CU_ASSERT_EQUAL (run->r->lc_deleted, 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", OK, "", "ami-a0000001", RUN_PLUS (0, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { SNAP, "1.0.0/1", "DELETE", SKIPPED, "in use by another AMI", "snap-b0000001", RUN_PLUS (0, 2) }), 1);
  CU_ASSERT_EQUAL (run->r->lc_snapshots_deleted, 0);
  CU_ASSERT_EQUAL (run->r->amis, 2);
  CU_ASSERT_DOUBLE_EQUAL (run->r->storage_gib, 20.0, 1e-9);
}

static void
test_amis_shared_second_snapshot (void)
{
  g_autofree char *t1 = replaced (shared_snap, "snapshots: [{id: snap-b0000002, size: 10}]",
                                  "snapshots: [{id: snap-b0000002, size: 10}, {id: snap-b0000001, size: 10}]");
  /* ami-c0000001 on a snapshot of its own */
  char *c = strstr (t1, "id: ami-c0000001");
  CU_ASSERT_PTR_NOT_NULL_FATAL (c);
  char *sn = strstr (c, "snap-b0000001");
  memcpy (sn, "snap-d0000001", strlen ("snap-d0000001"));
  g_autoptr (Run) run = run_with (t1, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("first snapshot of one AMI, second of another", run);
  CU_ASSERT_EQUAL (run->r->lc_deleted, 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", OK, "", "ami-a0000001", RUN_PLUS (0, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { SNAP, "1.0.0/1", "DELETE", SKIPPED, "in use by another AMI", "snap-b0000001", RUN_PLUS (0, 2) }), 1);
  CU_ASSERT_EQUAL (run->r->amis, 2);
  CU_ASSERT_DOUBLE_EQUAL (run->r->storage_gib, 30.0, 1e-9);
}


/* (c) both deleted: /1 [snap-b0000001 10 GiB], /2 [snap-b0000002 10,
 * snap-b0000001 10], no other AMI; DELETE AGE 1 DAYS takes both at the run
 * of day 0. Stored at the start: 10 + 10 = 20 GiB (snap-b0000001 once);
 * once both AMIs are gone nothing is left: amis 0, 0 GiB. */
static void
test_amis_shared_snapshot_all_deleted (void)
{
  static const char text[] =
    HEAD ("5h")
    "regions: [{name: us-east-1}]\n"
    "accounts:\n" OWNER
    "pipelines:\n" IDLE_PIPELINE ("pip", "base", "1.0.0")
    "amis:\n"
    AMI_AT ("ami-a0000001", "snap-b0000001", "2025-12-27T00:00:00Z",
            "    pipeline: pip\n    version: 1.0.0/1\n")
    "  - id: ami-a0000002\n"
    "    account: \"111111111111\"\n"
    "    region: us-east-1\n"
    "    created: 2025-12-28T00:00:00Z\n"
    "    snapshots: [{id: snap-b0000002, size: 10}, {id: snap-b0000001, size: 10}]\n"
    "    pipeline: pip\n    version: 1.0.0/2\n"
    "lifecycle_policies:\n"
    POLICY ("one-day", "base", "1.x.x")
    DELETE_ALL
    "        filter: {type: AGE, value: 1, unit: DAYS}\n"
    SIMULATION;
  g_autoptr (Run) run = run_with (text, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("shared snapshot, all deleted", run);
  CU_ASSERT_EQUAL (run->r->lc_deleted, 2);
  CU_ASSERT_EQUAL (run->r->amis, 0);
  CU_ASSERT_DOUBLE_EQUAL (run->r->storage_gib, 0.0, 1e-9);
}

/* A version written with both keys but malformed is one error: the
 * version's; the entry does have both pipeline and version, so "pipeline
 * and version go together" is not true of it and must not be added. */
static void
test_amis_loader_bad_version_alone (void)
{
  static const char text[] =
    LOADER_HEAD ONE ("ami-0000000b", "    pipeline: golden\n    version: 1.0/3\n");
  g_autoptr (GError) error = NULL;
  AmsScenario *sc = ams_scenario_load_data ("inline.yaml", text, -1, NULL, 0, &error);
  CU_ASSERT_PTR_NULL_FATAL (sc);
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, "like 1.0.0/3"));
  CU_ASSERT_PTR_NULL (strstr (error->message, "go together"));
  if (strstr (error->message, "go together") != NULL)
    printf ("\n%s\n", error->message);
}

/* ---- the images of the start in the supply chain ---------------------------- */

/* A runtime pipeline builds on the golden pipeline's images (x.x.x) at
 * 01:00 on days 0 and 1 (horizon 1d2h: two builds); the golden pipeline
 * builds nothing. With a golden image of the start (one AMI of 1.0.0/1)
 * both runtime builds use it and are AVAILABLE; without, no version exists
 * and both fail with resource_unavailable. */
#define SUPPLY_SCENARIO(amis)                                                                \
  HEAD ("1d2h")                                                                            \
  "regions: [{name: us-east-1}]\n"                                                         \
  "accounts:\n" OWNER                                                                      \
  "pipelines:\n" IDLE_PIPELINE ("golden", "golden", "1.0.0")                               \
  "  - name: runtime\n"                                                                    \
  "    account: \"111111111111\"\n"                                                        \
  "    region: us-east-1\n"                                                                \
  "    schedule: {scheduleExpression: \"cron(0 1 * * ? *)\", "                             \
  "pipelineExecutionStartCondition: EXPRESSION_MATCH_ONLY}\n"                             \
  "    recipe: {name: runtime, version: 1.0.0, parentImage: "                              \
  "\"arn:aws:imagebuilder:us-east-1:111111111111:image/golden/x.x.x\"}\n"                 \
  "    build_time: 10m\n"                                                                  \
  "    test_time: 0s\n" HOME_ONLY amis SIMULATION

static void
test_amis_supply_chain (void)
{
  static const char with[] = SUPPLY_SCENARIO (
    "amis:\n" AMI_AT ("ami-a0000001", "snap-b0000001", "2025-12-20T00:00:00Z",
                      "    pipeline: golden\n    version: 1.0.0/1\n"));
  static const char without[] = SUPPLY_SCENARIO ("");
  g_autoptr (Run) run = run_with (with, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  CU_ASSERT_EQUAL (run->r->images_available, 2);
  CU_ASSERT_EQUAL (run->r->failures_by_cause[AMS_CAUSE_RESOURCE_UNAVAILABLE], 0);
  g_autoptr (Run) none = run_with (without, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (none);
  CU_ASSERT_EQUAL (none->r->images_available, 0);
  CU_ASSERT_EQUAL (none->r->failures_by_cause[AMS_CAUSE_RESOURCE_UNAVAILABLE], 2);
}

/* ---- a deprecation time still to come is not "deprecated already" ---------- */

/* An image of the start (1.0.0/1, created 2025-12-01) whose AMI has a
 * DeprecationTime 30 days after the start; a DEPRECATE rule on images older
 * than one day: the run of day 0 deprecates the AMI now (one AMI record,
 * 03:01). With the deprecation time before the start the AMI is deprecated
 * already: no AMI record. */
#define DEPRECATE_SCENARIO(when)                                                             \
  HEAD ("5h")                                                                              \
  "regions: [{name: us-east-1}]\n"                                                         \
  "accounts:\n" OWNER                                                                      \
  "pipelines:\n" IDLE_PIPELINE ("pip", "base", "1.0.0")                                    \
  "amis:\n"                                                                                \
  AMI_AT ("ami-a0000001", "snap-b0000001", "2025-12-01T00:00:00Z",                         \
          "    pipeline: pip\n    version: 1.0.0/1\n    deprecation_time: " when "\n")     \
  "lifecycle_policies:\n"                                                                  \
  POLICY ("deprecate-old", "base", "1.x.x")                                                \
  "      - action: {type: DEPRECATE, includeResources: {amis: true}}\n"                    \
  "        filter: {type: AGE, value: 1, unit: DAYS}\n"                                    \
  SIMULATION

static void
test_amis_future_deprecation (void)
{
  static const char future[] = DEPRECATE_SCENARIO ("2026-01-31T00:00:00Z");
  static const char past[] = DEPRECATE_SCENARIO ("2025-12-15T00:00:00Z");
  g_autoptr (Run) run = run_with (future, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DEPRECATE", OK, "", "ami-a0000001",
                                             RUN_PLUS (0, 1) }), 1);
  g_autoptr (Run) already = run_with (past, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (already);
  CU_ASSERT_EQUAL (count_rows (already, (Want) { AMI, NULL, NULL, -1, NULL, NULL, -1 }), 0);
}

static const AmsTestCase cases[] = {
  { "test_amis_future_deprecation", test_amis_future_deprecation },
  { "test_amis_supply_chain", test_amis_supply_chain },
  { "test_amis_shared_snapshot_with_plain_ami", test_amis_shared_snapshot_with_plain_ami },
  { "test_amis_shared_second_snapshot", test_amis_shared_second_snapshot },
  { "test_amis_shared_snapshot_all_deleted", test_amis_shared_snapshot_all_deleted },
  { "test_amis_loader_bad_version_alone", test_amis_loader_bad_version_alone },
  { "test_amis_loader_valid", test_amis_loader_valid },
  { "test_amis_loader_refused", test_amis_loader_refused },
  { "test_amis_storage_from_start", test_amis_storage_from_start },
  { "test_amis_quota", test_amis_quota },
  { "test_amis_lifecycle_acts", test_amis_lifecycle_acts },
  { "test_amis_plain_ami_untouched", test_amis_plain_ami_untouched },
  { "test_amis_age", test_amis_age },
  { "test_amis_tag_exclusion", test_amis_tag_exclusion },
  { "test_amis_launches", test_amis_launches },
  { "test_amis_same_results", test_amis_same_results },
  { "test_amis_launch_key", test_amis_launch_key },
  { "test_amis_one_image_many_amis", test_amis_one_image_many_amis },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("amis", cases);
}

/* The data of `amisim plot` (plotdata.h): gathered while a run goes, written
 * as one gnuplot-ready file at its end (or from a sweep's report).
 *
 * Times on the pictures' time axes are clock times (UTC): the scenario's
 * `start` plus the simulated time, written as seconds since the Unix epoch
 * for gnuplot's time axes. The copies' Gantt chart and the pool queues show
 * one window, not the whole run: the UTC day with the most copies started
 * (the Gantt chart) or with the longest queues (the queues), zoomed to
 * where things happen in it; the titles say which and of how many.
 */
#include <math.h>
#include <string.h>

#include "amisim/report.h"
#include "report/aggregate.h"
#include "report/plotdata.h"

/* How many pools the per-pool pictures show; how many copies the Gantt
 * chart draws at most (the first of its day recorded); how many days it
 * keeps copies of at once; how many pool changes a day of the queues keeps;
 * how many time bins the storage and lifecycle series have at most; how
 * many points a CDF has. */
#define TIMELINE_POOLS 8
#define TIMELINE_MAX_BARS 20000
#define TIMELINE_KEEP_DAYS 4
#define QUEUE_POOLS 4
#define QUEUE_MAX_ROWS 200000
#define SERIES_BINS 1000
#define CDF_POINTS 200

#define DAY_US ((AmsTime) 86400 * AMS_TICKS_PER_SECOND)

/* ---- gathering ---- */

typedef struct
{
  double start, end; /* seconds since time 0 */
  guint pool;
  int kind;          /* 0 got a slot at once, 1 waited, 2 failed */
} Bar;

typedef struct
{
  gint64 day;        /* UTC day number (days since the epoch) */
  guint64 copies;    /* copies started that day (bars or not) */
  GArray *bars;      /* of Bar, at most TIMELINE_MAX_BARS */
} CopyDay;

typedef struct
{
  double t;
  guint pool, busy, queued, limit;
} QRow;

typedef struct
{
  gint64 day;
  double queued_s, busy_s; /* integrals over the day, copy-seconds */
  GArray *rows;            /* of QRow */
  gboolean full;           /* stopped at QUEUE_MAX_ROWS */
} QueueDay;

typedef struct
{
  guint busy, queued, limit;
  gboolean seen;
  gint64 row_day;   /* the day of its last row kept (G_MININT64: none) */
  double gib, base_gib;
} PoolState;

typedef struct
{
  guint n[2][3]; /* [image, ami][deprecate, disable, delete] */
} LcBin;

struct AmsPlotData
{
  AmsTime start, horizon;
  double bin_s;               /* width of a storage or lifecycle bin */
  AmsRecorder next, base_next;

  GHashTable *pool_ids;       /* "account region" -> id + 1 */
  GString *key_buf;
  GPtrArray *pool_keys;       /* [id] */
  GArray *pools;              /* of PoolState, [id] */

  /* copies: per day (index from day0) how many started; the bars of a few */
  gint64 day0;
  GArray *day_copies;         /* of guint64 */
  GPtrArray *copy_days;       /* of CopyDay*, at most TIMELINE_KEEP_DAYS */
  gint64 copies_max_day;

  /* pool queues: the current day and the busiest so far */
  QueueDay *q_now, *q_best;
  guint q_days;               /* days that had a pool change */
  double q_last_t, q_total_busy, q_total_queued;

  /* storage, with and without lifecycle: the total at the end of each bin
   * (NAN: no change in it) */
  GArray *storage, *storage_base; /* of double */
  double total_gib, total_base_gib;
  gboolean any_base;

  /* lifecycle actions that succeeded, per bin, and the others */
  GArray *lc;                 /* of LcBin */
  guint64 lc_skipped, lc_failed;

  /* images */
  guint64 images, images_available;
  AmsQuantiles *dist, *e2e;
};

static void
copy_day_free (gpointer p)
{
  CopyDay *d = p;
  g_array_unref (d->bars);
  g_free (d);
}

static QueueDay *
queue_day_new (gint64 day)
{
  QueueDay *q = g_new0 (QueueDay, 1);
  q->day = day;
  q->rows = g_array_new (FALSE, FALSE, sizeof (QRow));
  return q;
}

static void
queue_day_free (QueueDay *q)
{
  if (q == NULL)
    return;
  g_array_unref (q->rows);
  g_free (q);
}

AmsPlotData *
ams_plotdata_new (AmsTime start, AmsTime horizon)
{
  AmsPlotData *pd = g_new0 (AmsPlotData, 1);
  pd->start = start;
  pd->horizon = MAX (horizon, (AmsTime) 1);
  pd->bin_s = MAX (60.0, ceil (ams_time_to_s (pd->horizon) / SERIES_BINS));
  pd->pool_ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);
  pd->key_buf = g_string_new (NULL);
  pd->pool_keys = g_ptr_array_new_with_free_func (g_free);
  pd->pools = g_array_new (FALSE, TRUE, sizeof (PoolState));
  pd->day0 = start >= 0 ? start / DAY_US : -((-start + DAY_US - 1) / DAY_US);
  pd->day_copies = g_array_new (FALSE, TRUE, sizeof (guint64));
  pd->copy_days = g_ptr_array_new_with_free_func (copy_day_free);
  pd->copies_max_day = G_MININT64;
  pd->q_last_t = 0;
  pd->storage = g_array_new (FALSE, FALSE, sizeof (double));
  pd->storage_base = g_array_new (FALSE, FALSE, sizeof (double));
  pd->lc = g_array_new (FALSE, TRUE, sizeof (LcBin));
  pd->dist = ams_quantiles_new ();
  pd->e2e = ams_quantiles_new ();
  return pd;
}

void
ams_plotdata_free (AmsPlotData *pd)
{
  if (pd == NULL)
    return;
  g_hash_table_unref (pd->pool_ids);
  g_string_free (pd->key_buf, TRUE);
  g_ptr_array_unref (pd->pool_keys);
  g_array_unref (pd->pools);
  g_array_unref (pd->day_copies);
  g_ptr_array_unref (pd->copy_days);
  queue_day_free (pd->q_now);
  queue_day_free (pd->q_best);
  g_array_unref (pd->storage);
  g_array_unref (pd->storage_base);
  g_array_unref (pd->lc);
  ams_quantiles_free (pd->dist);
  ams_quantiles_free (pd->e2e);
  g_free (pd);
}

static guint
pool_id (AmsPlotData *pd, const char *account, const char *region)
{
  /* the key in a reused buffer: nothing allocated per record */
  g_string_assign (pd->key_buf, account);
  g_string_append_c (pd->key_buf, ' ');
  g_string_append (pd->key_buf, region);
  gpointer v = g_hash_table_lookup (pd->pool_ids, pd->key_buf->str);
  if (v != NULL)
    return GPOINTER_TO_UINT (v) - 1;
  char *key = g_strdup (pd->key_buf->str);
  guint id = pd->pool_keys->len;
  g_ptr_array_add (pd->pool_keys, key);
  g_hash_table_insert (pd->pool_ids, key, GUINT_TO_POINTER (id + 1));
  PoolState st = { .row_day = G_MININT64 };
  g_array_append_val (pd->pools, st);
  return id;
}

/* The UTC day of simulated time t. */
static gint64
day_of (const AmsPlotData *pd, AmsTime t)
{
  AmsTime abs = pd->start + t;
  return abs >= 0 ? abs / DAY_US : -((-abs + DAY_US - 1) / DAY_US);
}

static guint
bin_of (const AmsPlotData *pd, AmsTime t)
{
  double b = floor (ams_time_to_s (MAX (t, (AmsTime) 0)) / pd->bin_s);
  return (guint) MIN (b, (double) G_MAXUINT / 2);
}

static void
on_image (void *user, const AmsImageRecord *r)
{
  AmsPlotData *pd = user;
  pd->images++;
  if (r->outcome == AMS_IMAGE_AVAILABLE && r->end != AMS_TIME_NEVER)
    {
      pd->images_available++;
      if (r->built != AMS_TIME_NEVER)
        ams_quantiles_add (pd->dist, ams_time_to_s (r->end - r->built));
      if (r->start != AMS_TIME_NEVER)
        ams_quantiles_add (pd->e2e, ams_time_to_s (r->end - r->start));
    }
  if (pd->next.image != NULL)
    pd->next.image (pd->next.user, r);
}

/* The kept day of copies `day`, made when there is room (evicting the
 * smallest finished day other than the busiest); NULL: not kept. */
static CopyDay *
copy_day (AmsPlotData *pd, gint64 day)
{
  for (guint i = 0; i < pd->copy_days->len; i++)
    if (((CopyDay *) pd->copy_days->pdata[i])->day == day)
      return pd->copy_days->pdata[i];
  if (pd->copy_days->len >= TIMELINE_KEEP_DAYS)
    {
      /* the busiest is never evicted; nor the two latest days (still going) */
      guint best = 0, victim = G_MAXUINT;
      for (guint i = 1; i < pd->copy_days->len; i++)
        if (((CopyDay *) pd->copy_days->pdata[i])->copies
            > ((CopyDay *) pd->copy_days->pdata[best])->copies)
          best = i;
      for (guint i = 0; i < pd->copy_days->len; i++)
        {
          const CopyDay *d = pd->copy_days->pdata[i];
          if (i == best || d->day >= pd->copies_max_day - 1)
            continue;
          if (victim == G_MAXUINT
              || d->copies < ((CopyDay *) pd->copy_days->pdata[victim])->copies)
            victim = i;
        }
      if (victim == G_MAXUINT || day < pd->copies_max_day - 1)
        return NULL;
      g_ptr_array_remove_index (pd->copy_days, victim);
    }
  CopyDay *d = g_new0 (CopyDay, 1);
  d->day = day;
  d->bars = g_array_new (FALSE, FALSE, sizeof (Bar));
  g_ptr_array_add (pd->copy_days, d);
  return d;
}

static void
on_copy (void *user, const AmsCopyRecord *r)
{
  AmsPlotData *pd = user;
  if (r->started != AMS_TIME_NEVER)
    {
      gint64 day = day_of (pd, r->started);
      pd->copies_max_day = MAX (pd->copies_max_day, day);
      if (day >= pd->day0)
        {
          guint i = (guint) MIN (day - pd->day0, (gint64) G_MAXUINT / 2);
          if (i >= pd->day_copies->len)
            g_array_set_size (pd->day_copies, i + 1);
          g_array_index (pd->day_copies, guint64, i)++;
        }
      CopyDay *d = copy_day (pd, day);
      if (d != NULL)
        {
          d->copies++;
          if (d->bars->len < TIMELINE_MAX_BARS)
            {
              Bar b = { .start = ams_time_to_s (r->started),
                        .end = ams_time_to_s (MAX (r->ended, r->started)),
                        .pool = pool_id (pd, r->account, r->region),
                        .kind = !r->ok ? 2 : r->started > r->requested ? 1 : 0 };
              g_array_append_val (d->bars, b);
            }
        }
    }
  if (pd->next.copy != NULL)
    pd->next.copy (pd->next.user, r);
}

/* The day that had queues the longest (then slots busy the longest) of the
 * two is kept. */
static void
queue_day_done (AmsPlotData *pd)
{
  QueueDay *q = pd->q_now;
  pd->q_now = NULL;
  if (q == NULL)
    return;
  if (pd->q_best == NULL || q->queued_s > pd->q_best->queued_s
      || (q->queued_s == pd->q_best->queued_s && q->busy_s > pd->q_best->busy_s))
    {
      queue_day_free (pd->q_best);
      pd->q_best = q;
    }
  else
    queue_day_free (q);
}

static void
series_set (GArray *a, guint bin, double v)
{
  if (bin >= a->len)
    {
      guint from = a->len;
      g_array_set_size (a, bin + 1);
      for (guint i = from; i <= bin; i++)
        g_array_index (a, double, i) = NAN;
    }
  g_array_index (a, double, bin) = v;
}

static void
on_pool (void *user, const AmsPoolSample *s)
{
  AmsPlotData *pd = user;
  guint id = pool_id (pd, s->account, s->region);
  PoolState *p = &g_array_index (pd->pools, PoolState, id);
  double t = ams_time_to_s (s->t);

  /* queues: integrate the totals, then the day's row if a level changed */
  gint64 day = day_of (pd, s->t);
  double dt = MAX (t - pd->q_last_t, 0);
  if (pd->q_now != NULL)
    {
      pd->q_now->queued_s += pd->q_total_queued * dt;
      pd->q_now->busy_s += pd->q_total_busy * dt;
    }
  pd->q_last_t = t;
  if (!p->seen || s->busy != p->busy || s->queued != p->queued || s->limit != p->limit)
    {
      if (pd->q_now == NULL || pd->q_now->day != day)
        {
          queue_day_done (pd);
          pd->q_now = queue_day_new (day);
          pd->q_days++;
        }
      QueueDay *q = pd->q_now;
      if (!q->full && p->seen && p->row_day != day)
        {
          /* the level it had when the day began */
          QRow before = { ams_time_to_s ((AmsTime) day * DAY_US - pd->start), id, p->busy,
                          p->queued, p->limit };
          before.t = MAX (before.t, 0);
          g_array_append_val (q->rows, before);
        }
      if (q->rows->len >= QUEUE_MAX_ROWS)
        q->full = TRUE;
      if (!q->full)
        {
          QRow row = { t, id, s->busy, s->queued, s->limit };
          g_array_append_val (q->rows, row);
          p->row_day = day;
        }
      pd->q_total_busy += (double) s->busy - p->busy;
      pd->q_total_queued += (double) s->queued - p->queued;
      p->busy = s->busy;
      p->queued = s->queued;
      p->limit = s->limit;
      p->seen = TRUE;
    }

  /* storage */
  pd->total_gib += s->snapshot_gib - p->gib;
  p->gib = s->snapshot_gib;
  series_set (pd->storage, bin_of (pd, s->t), pd->total_gib);

  if (pd->next.pool != NULL)
    pd->next.pool (pd->next.user, s);
}

static void
on_base_pool (void *user, const AmsPoolSample *s)
{
  AmsPlotData *pd = user;
  guint id = pool_id (pd, s->account, s->region);
  PoolState *p = &g_array_index (pd->pools, PoolState, id);
  pd->total_base_gib += s->snapshot_gib - p->base_gib;
  p->base_gib = s->snapshot_gib;
  pd->any_base = TRUE;
  series_set (pd->storage_base, bin_of (pd, s->t), pd->total_base_gib);
  if (pd->base_next.pool != NULL)
    pd->base_next.pool (pd->base_next.user, s);
}

static void
on_lifecycle (void *user, const AmsLifecycleRecord *r)
{
  AmsPlotData *pd = user;
  if (r->status == AMS_LC_SKIPPED)
    pd->lc_skipped++;
  else if (r->status == AMS_LC_FAILED)
    pd->lc_failed++;
  else if (r->resource == AMS_LC_RESOURCE_IMAGE || r->resource == AMS_LC_RESOURCE_AMI)
    {
      int action = strcmp (r->action, "DEPRECATE") == 0 ? 0
                   : strcmp (r->action, "DISABLE") == 0 ? 1
                   : strcmp (r->action, "DELETE") == 0  ? 2
                                                        : -1;
      if (action >= 0)
        {
          guint bin = bin_of (pd, r->t);
          if (bin >= pd->lc->len)
            g_array_set_size (pd->lc, bin + 1);
          g_array_index (pd->lc, LcBin, bin).n[r->resource == AMS_LC_RESOURCE_AMI][action]++;
        }
    }
  if (pd->next.lifecycle != NULL)
    pd->next.lifecycle (pd->next.user, r);
}

void
ams_plotdata_bind (AmsPlotData *pd, const AmsRecorder *next, AmsRecorder *out)
{
  pd->next = next != NULL ? *next : (AmsRecorder) { 0 };
  *out = (AmsRecorder) { on_image, on_copy, on_pool, on_lifecycle, pd };
}

void
ams_plotdata_bind_base (AmsPlotData *pd, const AmsRecorder *next, AmsRecorder *out)
{
  pd->base_next = next != NULL ? *next : (AmsRecorder) { 0 };
  *out = (AmsRecorder) { NULL, NULL, on_base_pool, NULL, pd };
}

/* ---- writing ---- */

/* A number for gnuplot: C notation whatever the locale; NaN for none. */
static void
put_num (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (isnan (v))
    g_string_append (s, " NaN");
  else
    {
      g_string_append_c (s, ' ');
      g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.13g", v == 0.0 ? 0.0 : v));
    }
}

/* Whether a string's byte is written: no control characters (a line break
 * would end the line) and no backquote (gnuplot's command substitution;
 * `amisim plot` refuses a plotdata.gp with one). */
static gboolean
safe_byte (char c)
{
  return (unsigned char) c >= 0x20 && c != 0x7f && c != '`';
}

/* A string in a datablock, in double quotes (without its own). */
static void
put_str (GString *s, const char *v)
{
  g_string_append (s, " \"");
  for (const char *p = v; *p; p++)
    if (*p != '"' && safe_byte (*p))
      g_string_append_c (s, *p);
  g_string_append_c (s, '"');
}

/* name = 'value' (single quotes: '' stands for '). */
static void
var_str (GString *vars, const char *name, const char *value)
{
  g_string_append_printf (vars, "  %s = '", name);
  for (const char *p = value; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (vars, '\'');
      if (safe_byte (*p))
        g_string_append_c (vars, *p);
    }
  g_string_append (vars, "'\n");
}

/* A number, always a float (gnuplot divides integers as integers). */
static void
var_num (GString *vars, const char *name, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (buf, sizeof buf, "%.13g", value == 0.0 ? 0.0 : value);
  g_string_append_printf (vars, "  %s = %s%s\n", name, buf, strpbrk (buf, ".en") ? "" : ".0");
}

static void
var_int (GString *vars, const char *name, guint value)
{
  g_string_append_printf (vars, "  %s = %u\n", name, value);
}

static void
block_begin (GString *out, const char *name)
{
  g_string_append_printf (out, "$%s << EOD\n", name);
}

static void
block_end (GString *out)
{
  g_string_append (out, "EOD\n");
}

/* The clock (seconds since the Unix epoch) at simulated second t. */
static double
clock_s (const AmsPlotData *pd, double t)
{
  return (double) (pd->start / AMS_TICKS_PER_SECOND) + t
         + (double) (pd->start % AMS_TICKS_PER_SECOND) / AMS_TICKS_PER_SECOND;
}

/* An epoch second formatted in UTC (g_date_time_format's `fmt`). */
static char *
utc (double epoch_s, const char *fmt)
{
  g_autoptr (GDateTime) d = g_date_time_new_from_unix_utc ((gint64) floor (epoch_s + 0.5));
  return d != NULL ? g_date_time_format (d, fmt) : g_strdup ("?");
}

/* "2026-01-03 01:10 to 05:40 UTC" (the date again when it changes). */
static char *
utc_span (double from, double to)
{
  g_autofree char *d0 = utc (from, "%Y-%m-%d"), *d1 = utc (to, "%Y-%m-%d");
  g_autofree char *a = utc (from, "%Y-%m-%d %H:%M");
  g_autofree char *b = utc (to, strcmp (d0, d1) == 0 ? "%H:%M" : "%Y-%m-%d %H:%M");
  return g_strdup_printf ("%s to %s UTC", a, b);
}

/* A clock-time x axis from `from` to `to` (epoch seconds), `pad` seconds
 * more on each side: xlo, xhi, the ticks' format (xfmt) and the axis label
 * (xlabel, the date or dates of from and to). */
static void
var_clock_axis (GString *vars, double from, double to, double pad)
{
  if (!(to > from))
    to = from + 60;
  double span = to - from;
  g_autofree char *d0 = utc (from, "%Y-%m-%d"), *d1 = utc (to, "%Y-%m-%d");
  const char *fmt = span <= 86400 && strcmp (d0, d1) == 0 ? "%H:%M"
                    : span <= 4 * 86400                   ? "%m-%d %H:%M"
                                                          : "%Y-%m-%d";
  g_autofree char *label
    = strcmp (fmt, "%H:%M") == 0 ? g_strdup_printf ("time (UTC) on %s", d0)
                                 : g_strdup_printf ("time (UTC), %s to %s", d0, d1);
  var_num (vars, "xlo", from - pad);
  var_num (vars, "xhi", to + pad);
  var_str (vars, "xfmt", fmt);
  var_str (vars, "xlabel", label);
}

/* The unit of a duration axis whose largest value is `max_s` seconds. */
static void
var_time_unit (GString *vars, double max_s)
{
  double scale = 86400;
  const char *name = "d";
  if (max_s <= 3 * 3600)
    scale = 60, name = "min";
  else if (max_s <= 3 * 86400)
    scale = 3600, name = "h";
  var_num (vars, "tscale", scale);
  var_str (vars, "tunit", name);
}

/* pools='"a r" "b r"' (quoted labels for word()) and npools. */
static void
var_pools (GString *vars, const AmsPlotData *pd, const guint *ids, guint n)
{
  g_autoptr (GString) labels = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      put_str (labels, pd->pool_keys->pdata[ids[i]]);
    }
  var_str (vars, "pools", labels->len ? labels->str + 1 : "");
  var_int (vars, "npools", n);
}

typedef struct
{
  guint id;
  double a, b; /* the ranking keys, larger first */
} Rank;

static int
by_rank (gconstpointer x, gconstpointer y, gpointer keys)
{
  const GPtrArray *rank_keys = keys; /* for the tie break */
  const Rank *p = x, *q = y;
  if (p->a != q->a)
    return p->a > q->a ? -1 : 1;
  if (p->b != q->b)
    return p->b > q->b ? -1 : 1;
  return strcmp (rank_keys->pdata[p->id], rank_keys->pdata[q->id]);
}

static void
sort_ranks (const AmsPlotData *pd, GArray *ranks)
{
  g_array_sort_with_data (ranks, by_rank, pd->pool_keys);
}

static int
by_start (gconstpointer a, gconstpointer b)
{
  const Bar *x = a, *y = b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return (x->pool > y->pool) - (x->pool < y->pool);
}

/* (a) copies-timeline: the copies of the busiest day, per pool, in lanes. */
static gboolean
run_timeline (const AmsPlotData *pd, GString *data, GString *vars, char **why)
{
  const CopyDay *best = NULL;
  for (guint i = 0; i < pd->copy_days->len; i++)
    {
      const CopyDay *d = pd->copy_days->pdata[i];
      if (d->bars->len > 0 && (best == NULL || d->copies > best->copies
                               || (d->copies == best->copies && d->day < best->day)))
        best = d;
    }
  if (best == NULL)
    {
      *why = g_strdup ("no copy started");
      return FALSE;
    }
  guint days = 0;
  for (guint i = 0; i < pd->day_copies->len; i++)
    days += g_array_index (pd->day_copies, guint64, i) > 0;

  /* the day's pools by copies */
  g_autoptr (GArray) ranks = g_array_new (FALSE, TRUE, sizeof (Rank));
  g_autofree guint *rank_of = g_new0 (guint, pd->pool_keys->len + 1);
  for (guint i = 0; i < best->bars->len; i++)
    {
      const Bar *b = &g_array_index (best->bars, Bar, i);
      if (rank_of[b->pool] == 0)
        {
          Rank r = { b->pool, 0, 0 };
          g_array_append_val (ranks, r);
          rank_of[b->pool] = ranks->len;
        }
      g_array_index (ranks, Rank, rank_of[b->pool] - 1).a++;
    }
  sort_ranks (pd, ranks);
  guint n_pools = MIN (ranks->len, (guint) TIMELINE_POOLS);
  memset (rank_of, 0, sizeof (guint) * (pd->pool_keys->len + 1));
  g_autofree guint *ids = g_new0 (guint, n_pools + 1);
  for (guint i = 0; i < n_pools; i++)
    {
      ids[i] = g_array_index (ranks, Rank, i).id;
      rank_of[ids[i]] = i + 1;
    }

  g_autoptr (GArray) bars = g_array_new (FALSE, FALSE, sizeof (Bar));
  for (guint i = 0; i < best->bars->len; i++)
    if (rank_of[g_array_index (best->bars, Bar, i).pool] > 0)
      g_array_append_val (bars, g_array_index (best->bars, Bar, i));
  g_array_sort (bars, by_start);

  /* lanes: each copy takes the first lane of its pool free at its start */
  g_autoptr (GPtrArray) lanes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint i = 0; i < n_pools; i++)
    g_ptr_array_add (lanes, g_array_new (FALSE, FALSE, sizeof (double)));
  g_autofree guint *lane_of = g_new0 (guint, bars->len + 1);
  double t0 = G_MAXDOUBLE, t1 = -G_MAXDOUBLE;
  for (guint i = 0; i < bars->len; i++)
    {
      const Bar *b = &g_array_index (bars, Bar, i);
      GArray *l = lanes->pdata[rank_of[b->pool] - 1];
      guint lane = 0;
      while (lane < l->len && g_array_index (l, double, lane) > b->start)
        lane++;
      if (lane == l->len)
        g_array_append_val (l, b->end);
      else
        g_array_index (l, double, lane) = b->end;
      lane_of[i] = lane;
      t0 = MIN (t0, b->start);
      t1 = MAX (t1, b->end);
    }

  block_begin (data, "timeline");
  for (guint i = 0; i < bars->len; i++)
    {
      const Bar *b = &g_array_index (bars, Bar, i);
      guint rank = rank_of[b->pool];
      double n_lanes = ((GArray *) lanes->pdata[rank - 1])->len;
      double band = n_pools - rank + 0.1;
      put_num (data, clock_s (pd, b->start));
      put_num (data, b->end - b->start);
      put_num (data, band + 0.8 * (lane_of[i] + 0.5) / n_lanes);
      put_num (data, 0.4 * 0.8 / n_lanes);
      put_num (data, b->kind);
      g_string_append_c (data, '\n');
    }
  block_end (data);

  double pad = MAX ((t1 - t0) * 0.02, 30);
  g_autofree char *span = utc_span (clock_s (pd, t0), clock_s (pd, t1));
  g_autoptr (GString) title = g_string_new (NULL);
  g_string_append_printf (title, "Copies per destination pool, %s", span);
  if (days > 1)
    g_string_append_printf (title, " (the busiest of %u days)", days);
  if (ranks->len > n_pools)
    g_string_append_printf (title, ", the %u busiest of %u pools", n_pools, ranks->len);
  if (best->copies > best->bars->len)
    g_string_append_printf (title, ", its first %u of %" G_GUINT64_FORMAT " copies",
                            best->bars->len, best->copies);
  var_str (vars, "data", "$timeline");
  var_str (vars, "title", title->str);
  var_pools (vars, pd, ids, n_pools);
  var_clock_axis (vars, clock_s (pd, t0), clock_s (pd, t1), pad);
  return TRUE;
}

/* (b) pool-queues: busy slots, limit and copies waiting on the day with the
 * longest queues, for its most congested pools. */
static gboolean
run_queues (const AmsPlotData *pd, GString *data, GString *vars, char **why)
{
  const QueueDay *q = pd->q_best;
  /* the day still going at the end competes too */
  if (pd->q_now != NULL
      && (q == NULL || pd->q_now->queued_s > q->queued_s
          || (pd->q_now->queued_s == q->queued_s && pd->q_now->busy_s > q->busy_s)))
    q = pd->q_now;
  guint n_all = pd->pool_keys->len;
  g_autofree double *max_busy = g_new0 (double, n_all + 1);
  g_autofree double *max_queued = g_new0 (double, n_all + 1);
  g_autofree double *max_limit = g_new0 (double, n_all + 1);
  g_autofree gboolean *in_day = g_new0 (gboolean, n_all + 1);
  for (guint i = 0; q != NULL && i < q->rows->len; i++)
    {
      const QRow *r = &g_array_index (q->rows, QRow, i);
      max_busy[r->pool] = MAX (max_busy[r->pool], r->busy);
      max_queued[r->pool] = MAX (max_queued[r->pool], r->queued);
      max_limit[r->pool] = MAX (max_limit[r->pool], r->limit);
      in_day[r->pool] = TRUE;
    }
  g_autoptr (GArray) ranks = g_array_new (FALSE, TRUE, sizeof (Rank));
  for (guint id = 0; id < n_all; id++)
    if (in_day[id])
      {
        Rank r = { id, max_queued[id], max_busy[id] };
        g_array_append_val (ranks, r);
      }
  sort_ranks (pd, ranks);
  guint n_pools = 0;
  while (n_pools < ranks->len && n_pools < QUEUE_POOLS
         && g_array_index (ranks, Rank, n_pools).a + g_array_index (ranks, Rank, n_pools).b > 0)
    n_pools++;
  if (n_pools == 0)
    {
      *why = g_strdup ("no copy held a slot in any pool");
      return FALSE;
    }
  g_autofree guint *ids = g_new0 (guint, n_pools);
  for (guint i = 0; i < n_pools; i++)
    ids[i] = g_array_index (ranks, Rank, i).id;

  /* the window: from the first row of a chosen pool with something busy or
   * waiting to its last row (back to nothing) */
  double t0 = G_MAXDOUBLE, t1 = -G_MAXDOUBLE;
  for (guint i = 0; i < q->rows->len; i++)
    {
      const QRow *r = &g_array_index (q->rows, QRow, i);
      gboolean chosen = FALSE;
      for (guint k = 0; k < n_pools; k++)
        chosen = chosen || ids[k] == r->pool;
      if (!chosen)
        continue;
      if (r->busy + r->queued > 0)
        t0 = MIN (t0, r->t);
      t1 = MAX (t1, r->t);
    }
  if (t1 <= t0)
    t1 = t0 + 60;
  double pad = MAX ((t1 - t0) * 0.03, 30);

  block_begin (data, "queues");
  double busy_top = 1, queued_top = 1;
  for (guint k = 0; k < n_pools; k++)
    {
      if (k > 0)
        g_string_append (data, "\n\n");
      const QRow *last = NULL;
      for (guint i = 0; i < q->rows->len; i++)
        {
          const QRow *r = &g_array_index (q->rows, QRow, i);
          if (r->pool != ids[k])
            continue;
          put_num (data, clock_s (pd, r->t));
          put_num (data, r->busy);
          put_num (data, r->queued);
          put_num (data, r->limit);
          g_string_append_c (data, '\n');
          last = r;
        }
      /* the last level holds to the window's end */
      put_num (data, clock_s (pd, t1 + pad));
      put_num (data, last->busy);
      put_num (data, last->queued);
      put_num (data, last->limit);
      g_string_append_c (data, '\n');
      busy_top = MAX (busy_top, MAX (max_busy[ids[k]], max_limit[ids[k]]));
      queued_top = MAX (queued_top, max_queued[ids[k]]);
    }
  block_end (data);

  g_autofree char *span = utc_span (clock_s (pd, t0), clock_s (pd, t1));
  g_autoptr (GString) title = g_string_new (NULL);
  g_string_append_printf (title, "Busy slots and copies waiting, %s", span);
  if (pd->q_days > 1)
    g_string_append_printf (title, " (the longest queues of %u days)", pd->q_days);
  if (ranks->len > n_pools)
    g_string_append_printf (title, ", the %u most congested of %u pools", n_pools, ranks->len);
  if (q->full)
    g_string_append_printf (title, ", its first %u changes", QUEUE_MAX_ROWS);
  var_str (vars, "data", "$queues");
  var_num (vars, "busymax", busy_top);
  var_num (vars, "queuedmax", queued_top);
  var_str (vars, "title", title->str);
  var_pools (vars, pd, ids, n_pools);
  var_clock_axis (vars, clock_s (pd, t0), clock_s (pd, t1), pad);
  return TRUE;
}

/* (c) completion-cdf: the distribution and end-to-end times of the images
 * that became available, from quantile sketches. */
static gboolean
run_cdf (const AmsPlotData *pd, GString *data, GString *vars, char **why)
{
  if (ams_quantiles_count (pd->dist) == 0 && ams_quantiles_count (pd->e2e) == 0)
    {
      *why = g_strdup (pd->images ? "no image became available" : "no image was built");
      return FALSE;
    }
  block_begin (data, "cdf");
  double t_max = 0;
  const AmsQuantiles *series[2] = { pd->dist, pd->e2e };
  for (guint s = 0; s < 2; s++)
    {
      if (s > 0)
        g_string_append (data, "\n\n");
      if (ams_quantiles_count (series[s]) == 0)
        {
          g_string_append (data, " NaN NaN\n");
          continue;
        }
      put_num (data, ams_quantiles_get (series[s], 0));
      put_num (data, 0);
      g_string_append_c (data, '\n');
      for (guint i = 1; i <= CDF_POINTS; i++)
        {
          double p = (double) i / CDF_POINTS, v = ams_quantiles_get (series[s], p);
          put_num (data, v);
          put_num (data, p);
          g_string_append_c (data, '\n');
          t_max = MAX (t_max, v);
        }
    }
  block_end (data);
  char title[160];
  g_snprintf (title, sizeof title,
              "Distribution completion per image (%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
              " images available)",
              pd->images_available, pd->images);
  var_str (vars, "data", "$cdf");
  var_num (vars, "tmax", t_max);
  var_str (vars, "title", title);
  var_time_unit (vars, t_max);
  return TRUE;
}

/* (d) failures by cause (means over the replications). */
static gboolean
run_failures (const AmsResults *const *r, guint n, GString *data, GString *vars, char **why)
{
  double count[AMS_CAUSE_COUNT] = { 0 }, total = 0;
  guint order[AMS_CAUSE_COUNT], k = 0;
  for (guint c = 0; c < AMS_CAUSE_COUNT; c++)
    {
      for (guint i = 0; i < n; i++)
        count[c] += (double) r[i]->failures_by_cause[c];
      count[c] /= n;
      if (count[c] > 0)
        order[k++] = c;
      total += count[c];
    }
  if (k == 0)
    {
      *why = g_strdup ("nothing failed");
      return FALSE;
    }
  /* most first, then by name */
  for (guint i = 1; i < k; i++)
    for (guint j = i; j > 0; j--)
      {
        guint a = order[j - 1], b = order[j];
        if (count[a] > count[b]
            || (count[a] == count[b]
                && strcmp (ams_cause_name (a), ams_cause_name (b)) <= 0))
          break;
        order[j - 1] = b, order[j] = a;
      }
  block_begin (data, "failures");
  for (guint i = 0; i < k; i++)
    {
      g_string_append_printf (data, "%u", i);
      put_str (data, ams_cause_name (order[i]));
      put_num (data, count[order[i]]);
      g_string_append_c (data, '\n');
    }
  block_end (data);
  char title[200];
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_snprintf (title, sizeof title, "Failures by cause (%s in all%s)",
              g_ascii_formatd (buf, sizeof buf, "%.10g", total),
              n > 1 ? ", means over the replications" : "");
  var_str (vars, "data", "$failures");
  var_str (vars, "title", title);
  var_int (vars, "ncauses", k);
  return TRUE;
}

/* A binned series (NAN: unchanged in the bin) as steps: one point per bin
 * that changed, at its end, then the last value held to `t_end`. */
static void
put_series (const AmsPlotData *pd, GString *data, const GArray *a, double t_end, double *top)
{
  double last = 0;
  put_num (data, clock_s (pd, 0));
  put_num (data, 0);
  g_string_append_c (data, '\n');
  for (guint i = 0; i < a->len; i++)
    {
      double v = g_array_index (a, double, i);
      if (isnan (v))
        continue;
      put_num (data, clock_s (pd, MIN ((i + 1) * pd->bin_s, t_end)));
      put_num (data, v);
      g_string_append_c (data, '\n');
      last = v;
      *top = MAX (*top, v);
    }
  put_num (data, clock_s (pd, t_end));
  put_num (data, last);
  g_string_append_c (data, '\n');
}

static double
series_last (const GArray *a)
{
  for (guint i = a->len; i-- > 0;)
    if (!isnan (g_array_index (a, double, i)))
      return g_array_index (a, double, i);
  return 0;
}

/* Where a series over the run ends: when the run stopped (nothing is
 * recorded after), else the end of its last bin. */
static double
run_end (const AmsPlotData *pd, const AmsResults *r0, guint bins)
{
  double end = ams_time_to_s (r0->end);
  return end > 0 ? end : MAX (bins * pd->bin_s, 1);
}

/* (e) storage over time, with and without lifecycle. */
static gboolean
run_storage (const AmsPlotData *pd, const AmsResults *r0, GString *data, GString *vars,
             char **why)
{
  double top = 0;
  for (guint i = 0; i < pd->storage->len; i++)
    if (!isnan (g_array_index (pd->storage, double, i)))
      top = MAX (top, g_array_index (pd->storage, double, i));
  if (top <= 0)
    {
      *why = g_strdup ("no snapshot storage");
      return FALSE;
    }
  double t_end = run_end (pd, r0, pd->storage->len);
  block_begin (data, "storage");
  put_series (pd, data, pd->storage, t_end, &top);
  block_end (data);
  if (pd->any_base)
    {
      block_begin (data, "storage_base");
      put_series (pd, data, pd->storage_base, t_end, &top);
      block_end (data);
    }
  gboolean tib = top >= 10 * 1024;
  g_autoptr (GString) title = g_string_new ("Snapshot storage, all accounts and regions");
  if (pd->any_base)
    {
      char buf[160];
      g_snprintf (buf, sizeof buf, ": %.0f GiB at the end with lifecycle, %.0f GiB without",
                  series_last (pd->storage), series_last (pd->storage_base));
      g_string_append (title, buf);
    }
  var_str (vars, "data", "$storage");
  var_str (vars, "base", pd->any_base ? "$storage_base" : "");
  var_str (vars, "title", title->str);
  var_num (vars, "gscale", tib ? 1024 : 1);
  var_str (vars, "gunit", tib ? "TiB" : "GiB");
  var_clock_axis (vars, clock_s (pd, 0), clock_s (pd, t_end), 0);
  return TRUE;
}

/* (f) lifecycle: AMIs (or, without any, images) deprecated, disabled and
 * deleted over time, cumulative. */
static gboolean
run_lifecycle (const AmsPlotData *pd, const AmsResults *r0, GString *data, GString *vars,
               char **why)
{
  guint64 tot[2] = { 0, 0 };
  for (guint i = 0; i < pd->lc->len; i++)
    for (guint a = 0; a < 3; a++)
      for (guint k = 0; k < 2; k++)
        tot[k] += g_array_index (pd->lc, LcBin, i).n[k][a];
  if (tot[0] + tot[1] == 0)
    {
      *why = g_strdup (pd->lc_skipped + pd->lc_failed > 0
                         ? "no lifecycle action succeeded"
                         : "no lifecycle policy acted");
      return FALSE;
    }
  guint k = tot[1] > 0 ? 1 : 0; /* AMIs, else images */
  double t_end = run_end (pd, r0, pd->lc->len);
  guint64 sum[3] = { 0, 0, 0 };
  block_begin (data, "lifecycle");
  put_num (data, clock_s (pd, 0));
  g_string_append (data, " 0 0 0\n");
  for (guint i = 0; i < pd->lc->len; i++)
    {
      const LcBin *b = &g_array_index (pd->lc, LcBin, i);
      if (b->n[k][0] + b->n[k][1] + b->n[k][2] == 0)
        continue;
      for (guint a = 0; a < 3; a++)
        sum[a] += b->n[k][a];
      put_num (data, clock_s (pd, MIN ((i + 1) * pd->bin_s, t_end)));
      for (guint a = 0; a < 3; a++)
        put_num (data, (double) sum[a]);
      g_string_append_c (data, '\n');
    }
  put_num (data, clock_s (pd, t_end));
  for (guint a = 0; a < 3; a++)
    put_num (data, (double) sum[a]);
  g_string_append_c (data, '\n');
  block_end (data);
  g_autoptr (GString) title = g_string_new (NULL);
  g_string_append_printf (title,
                          "Lifecycle: %s deprecated %" G_GUINT64_FORMAT ", disabled %"
                          G_GUINT64_FORMAT ", %s %" G_GUINT64_FORMAT,
                          k ? "AMIs" : "images", sum[0], sum[1],
                          k ? "deregistered" : "deleted", sum[2]);
  if (pd->lc_skipped + pd->lc_failed > 0)
    g_string_append_printf (title, " (resources skipped %" G_GUINT64_FORMAT ", actions failed %"
                            G_GUINT64_FORMAT ")", pd->lc_skipped, pd->lc_failed);
  var_str (vars, "data", "$lifecycle");
  var_str (vars, "title", title->str);
  var_str (vars, "what", k ? "AMIs" : "images");
  var_str (vars, "gone", k ? "deregistered" : "deleted");
  var_num (vars, "ymax", (double) MAX (MAX (sum[0], sum[1]), MAX (sum[2], (guint64) 1)));
  var_clock_axis (vars, clock_s (pd, 0), clock_s (pd, t_end), 0);
  return TRUE;
}

/* (g) launches by outcome (means over the replications). */
static gboolean
run_launches (const AmsResults *const *r, guint n, GString *data, GString *vars, char **why)
{
  static const char *const names[]
    = { "launched", "AMI disabled", "AMI deregistered", "no AMI yet", "key denied" };
  double v[5] = { 0 }, asked = 0;
  for (guint i = 0; i < n; i++)
    {
      v[0] += (double) r[i]->launches_ok;
      v[1] += (double) r[i]->launches_disabled;
      v[2] += (double) r[i]->launches_deleted;
      v[3] += (double) r[i]->launches_no_ami;
      v[4] += (double) r[i]->launches_key_denied;
      asked += (double) r[i]->launches;
    }
  if (asked == 0)
    {
      *why = g_strdup ("no launch was asked for (the scenario has no launches:)");
      return FALSE;
    }
  block_begin (data, "launches");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_string_append_printf (data, "%u", i);
      put_str (data, names[i]);
      put_num (data, v[i] / n);
      g_string_append_c (data, '\n');
    }
  block_end (data);
  char title[200], buf[G_ASCII_DTOSTR_BUF_SIZE], pct[32];
  double failed = (v[1] + v[2] + v[3] + v[4]) / asked;
  g_snprintf (pct, sizeof pct, "%.1f%%", 100 * failed);
  g_snprintf (title, sizeof title, "Launches by outcome (%s asked for, %s failed%s)",
              g_ascii_formatd (buf, sizeof buf, "%.10g", asked / n), pct,
              n > 1 ? "; means over the replications" : "");
  var_str (vars, "data", "$launches");
  var_str (vars, "title", title);
  return TRUE;
}

typedef gboolean (*RunPicture) (const AmsPlotData *pd, const AmsResults *const *r, guint n,
                                GString *data, GString *vars, char **why);

static gboolean
pic_timeline (const AmsPlotData *pd, const AmsResults *const *r, guint n, GString *data,
              GString *vars, char **why)
{
  (void) r, (void) n;
  return run_timeline (pd, data, vars, why);
}

static gboolean
pic_queues (const AmsPlotData *pd, const AmsResults *const *r, guint n, GString *data,
            GString *vars, char **why)
{
  (void) r, (void) n;
  return run_queues (pd, data, vars, why);
}

static gboolean
pic_cdf (const AmsPlotData *pd, const AmsResults *const *r, guint n, GString *data,
         GString *vars, char **why)
{
  (void) r, (void) n;
  return run_cdf (pd, data, vars, why);
}

static gboolean
pic_failures (const AmsPlotData *pd, const AmsResults *const *r, guint n, GString *data,
              GString *vars, char **why)
{
  (void) pd;
  return run_failures (r, n, data, vars, why);
}

static gboolean
pic_storage (const AmsPlotData *pd, const AmsResults *const *r, guint n, GString *data,
             GString *vars, char **why)
{
  (void) n;
  return run_storage (pd, r[0], data, vars, why);
}

static gboolean
pic_lifecycle (const AmsPlotData *pd, const AmsResults *const *r, guint n, GString *data,
               GString *vars, char **why)
{
  (void) n;
  return run_lifecycle (pd, r[0], data, vars, why);
}

static gboolean
pic_launches (const AmsPlotData *pd, const AmsResults *const *r, guint n, GString *data,
              GString *vars, char **why)
{
  (void) pd;
  return run_launches (r, n, data, vars, why);
}

static const struct
{
  const char *name;
  RunPicture make;
} run_pictures[] = {
  { "copies-timeline", pic_timeline }, { "pool-queues", pic_queues },
  { "completion-cdf", pic_cdf },       { "failures", pic_failures },
  { "storage", pic_storage },          { "lifecycle", pic_lifecycle },
  { "launches", pic_launches },
};

/* The file: the magic line, the list, the datablocks, the variables. */
static GString *
assemble (const GString *list, const GString *data, const GString *vars)
{
  GString *out = g_string_new (AMS_PLOTDATA_MAGIC "\n");
  g_string_append (out, "# Written by amisim for amisim plot: gnuplot datablocks and, per "
                        "picture, the\n# variables of its script in plots/ (set when the "
                        "variable picture names it).\n");
  g_string_append (out, list->str);
  g_string_append (out, data->str);
  g_string_append (out, vars->str);
  return out;
}

static void
add_picture (GString *list, GString *all_vars, const char *name, gboolean ok, const char *why,
             const GString *vars)
{
  if (!ok)
    {
      g_string_append_printf (list, "# skip %s: %s\n", name, why);
      return;
    }
  g_string_append_printf (list, "# draw %s\n", name);
  g_string_append_printf (all_vars, "if (picture eq '%s') {\n%s}\n", name, vars->str);
}

GString *
ams_plotdata_run (const AmsPlotData *pd, const AmsResults *const *r, guint n)
{
  g_return_val_if_fail (pd != NULL && r != NULL && n > 0, NULL);
  g_autoptr (GString) list = g_string_new (NULL), data = g_string_new (NULL),
                      all_vars = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (run_pictures); i++)
    {
      g_autoptr (GString) vars = g_string_new (NULL), block = g_string_new (NULL);
      g_autofree char *why = NULL;
      gboolean ok = run_pictures[i].make (pd, r, n, block, vars, &why);
      if (ok)
        g_string_append (data, block->str);
      add_picture (list, all_vars, run_pictures[i].name, ok, why, vars);
    }
  return assemble (list, data, all_vars);
}

/* ---- a sweep ---- */

/* The panels, in order: measures, then the failures. */
static const struct
{
  AmsMeasure m;
  const char *title;
  gboolean from_zero; /* a duration: its axis starts at 0; else a moment */
} sweep_measures[] = {
  { AMS_MEASURE_END_TO_END, "image end to end (mean, available images)", TRUE },
  { AMS_MEASURE_WAIT, "copy wait for a slot (mean)", TRUE },
  { AMS_MEASURE_LAST_COPY, "last copy done (mean)", FALSE },
};

static const AmsMeasure sweep_failures[]
  = { AMS_MEASURE_IMAGES_FAILED, AMS_MEASURE_COPIES_FAILED, AMS_MEASURE_LAUNCHES_FAILED };

static void
string_free (gpointer s)
{
  g_string_free (s, TRUE);
}

static const char *
path_leaf (const char *path)
{
  const char *dot = strrchr (path, '.');
  return dot ? dot + 1 : path;
}

static gboolean
parse_num (const char *s, double *v)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  char *end = NULL;
  *v = g_ascii_strtod (s, &end);
  return end != s && *end == '\0';
}

static void
agg_point (const AmsSweepReport *s, guint p, AmsMeasure m, AmsAgg *a)
{
  g_autofree double *v = g_new (double, s->replications);
  for (guint i = 0; i < s->replications; i++)
    v[i] = ams_measure_value (m, s->results[(gsize) p * s->replications + i]);
  ams_agg_of (a, v, s->replications);
}

static void
put_agg (GString *rows, const AmsAgg *a, double *lo_seen, double *hi_seen)
{
  double v[3] = { a->mean, isnan (a->low) ? a->mean : a->low,
                  isnan (a->high) ? a->mean : a->high };
  for (guint j = 0; j < 3; j++)
    {
      put_num (rows, v[j]);
      if (!isnan (v[j]))
        *lo_seen = MIN (*lo_seen, v[j]), *hi_seen = MAX (*hi_seen, v[j]);
    }
}

GString *
ams_plotdata_sweep (const AmsSweepReport *s)
{
  g_return_val_if_fail (s != NULL, NULL);
  g_autoptr (GString) list = g_string_new (NULL), data = g_string_new (NULL),
                      all_vars = g_string_new (NULL), vars = g_string_new (NULL);
  if (s->n_axes == 0 || s->n_points == 0)
    {
      add_picture (list, all_vars, "sweep", FALSE, "no swept axis", vars);
      return assemble (list, data, all_vars);
    }
  enum { NM = G_N_ELEMENTS (sweep_measures), NF = G_N_ELEMENTS (sweep_failures) };
  double ymin[NM + NF], ymax[NM + NF];
  for (guint m = 0; m < NM + NF; m++)
    ymin[m] = G_MAXDOUBLE, ymax[m] = 0;

  /* One curve per combination of the other axes' values; x: the first
   * axis's values in the order met (words, durations or numbers). */
  g_autoptr (GHashTable) xpos = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);
  g_autoptr (GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) group_rows
    = g_ptr_array_new_with_free_func (string_free);
  g_autoptr (GPtrArray) group_names = g_ptr_array_new_with_free_func (g_free);
  gboolean numeric = TRUE, any_launch_failed = FALSE;
  double xmin = G_MAXDOUBLE, xmax = -G_MAXDOUBLE;
  for (guint p = 0; p < s->n_points; p++)
    {
      const char *x = s->values[(gsize) p * s->n_axes];
      double xv;
      if (parse_num (x, &xv))
        xmin = MIN (xmin, xv), xmax = MAX (xmax, xv);
      else
        numeric = FALSE;
      gpointer pos;
      if (!g_hash_table_lookup_extended (xpos, x, NULL, &pos))
        {
          pos = GUINT_TO_POINTER (g_hash_table_size (xpos));
          g_hash_table_insert (xpos, (char *) x, pos);
        }
      g_autoptr (GString) gname = g_string_new (NULL);
      for (guint a = 1; a < s->n_axes; a++)
        g_string_append_printf (gname, "%s%s=%s", a > 1 ? ", " : "", path_leaf (s->axes[a]),
                                s->values[(gsize) p * s->n_axes + a]);
      gpointer gi;
      if (!g_hash_table_lookup_extended (groups, gname->str, NULL, &gi))
        {
          gi = GUINT_TO_POINTER (group_rows->len);
          g_hash_table_insert (groups, g_strdup (gname->str), gi);
          g_ptr_array_add (group_rows, g_string_new (NULL));
          g_ptr_array_add (group_names, g_strdup (gname->str));
        }
      GString *rows = group_rows->pdata[GPOINTER_TO_UINT (gi)];
      g_string_append_printf (rows, "%u", GPOINTER_TO_UINT (pos));
      put_num (rows, parse_num (x, &xv) ? xv : NAN);
      put_str (rows, x);
      for (guint m = 0; m < NM + NF; m++)
        {
          AmsAgg a;
          AmsMeasure which = m < NM ? sweep_measures[m].m : sweep_failures[m - NM];
          agg_point (s, p, which, &a);
          if (m < NM && !sweep_measures[m].from_zero)
            {
              /* a moment: clock time, seconds since the Unix epoch */
              double t0 = (double) s->start / AMS_TICKS_PER_SECOND;
              a.mean += t0, a.low += t0, a.high += t0;
            }
          if (which == AMS_MEASURE_LAUNCHES_FAILED && a.mean > 0)
            any_launch_failed = TRUE;
          put_agg (rows, &a, &ymin[m], &ymax[m]);
        }
      g_string_append_c (rows, '\n');
    }

  block_begin (data, "sweep");
  for (guint g = 0; g < group_rows->len; g++)
    {
      if (g > 0)
        g_string_append (data, "\n\n");
      g_autoptr (GString) head = g_string_new (NULL);
      put_str (head, group_names->pdata[g]);
      g_string_append_printf (data, "%s\n", head->str + 1);
      g_string_append (data, ((GString *) group_rows->pdata[g])->str);
    }
  block_end (data);

  gboolean xlog = numeric && xmin > 0 && xmax / xmin >= 10;
  gboolean reps = s->replications > 1;
  g_autofree char *title
    = g_strdup_printf ("Sweep over %s (%u points; %s)", s->axes[0], s->n_points,
                       reps ? "bars: 95% intervals of the mean" : "one replication: no intervals");
  var_str (vars, "data", "$sweep");
  var_str (vars, "title", title);
  var_str (vars, "xname", path_leaf (s->axes[0]));
  var_int (vars, "xlog", xlog);
  var_int (vars, "ngroups", group_rows->len);
  var_int (vars, "nm", NM);
  g_autoptr (GString) titles = g_string_new (NULL), scales = g_string_new (NULL),
                      units = g_string_new (NULL), lows = g_string_new (NULL),
                      highs = g_string_new (NULL), clocks = g_string_new (NULL);
  for (guint m = 0; m < NM; m++)
    {
      if (sweep_measures[m].from_zero || !(ymin[m] <= ymax[m]))
        put_str (titles, sweep_measures[m].title);
      else
        {
          /* a clock time: the date (or dates) of the values, in UTC */
          g_autofree char *d0 = utc (ymin[m], "%Y-%m-%d"), *d1 = utc (ymax[m], "%Y-%m-%d");
          g_autofree char *t
            = strcmp (d0, d1) == 0
                ? g_strdup_printf ("%s, UTC on %s", sweep_measures[m].title, d0)
                : g_strdup_printf ("%s, UTC %s to %s", sweep_measures[m].title, d0, d1);
          put_str (titles, t);
        }
      double scale = 86400, lo = 0, hi = ymax[m] > 0 ? ymax[m] * 1.1 : 1;
      const char *unit = "d";
      if (ymax[m] <= 3 * 3600)
        scale = 60, unit = "min";
      else if (ymax[m] <= 3 * 86400)
        scale = 3600, unit = "h";
      const char *clock = "0";
      if (!sweep_measures[m].from_zero)
        {
          /* a clock time: its ticks' format for the span shown */
          double span = ymax[m] - ymin[m], pad = span > 0 ? 0.15 * span : 600;
          lo = ymin[m] <= ymax[m] ? ymin[m] - pad : 0, hi = ymin[m] <= ymax[m] ? ymax[m] + pad : 1;
          scale = 1, unit = "UTC";
          clock = span + 2 * pad <= 86400 ? "%H:%M" : span + 2 * pad <= 4 * 86400 ? "%m-%d %H:%M"
                                                                                   : "%Y-%m-%d";
        }
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      const char *sep = m ? " " : "";
      put_str (clocks, clock);
      g_string_append_printf (scales, "%s%s", sep, g_ascii_formatd (buf, sizeof buf, "%.10g", scale));
      g_string_append_printf (units, "%s%s", sep, unit);
      g_string_append_printf (lows, "%s%s", sep, g_ascii_formatd (buf, sizeof buf, "%.10g", lo));
      g_string_append_printf (highs, "%s%s", sep, g_ascii_formatd (buf, sizeof buf, "%.10g", hi));
    }
  var_str (vars, "mtitles", titles->str + 1);
  var_str (vars, "tscales", scales->str);
  var_str (vars, "tunits", units->str);
  var_str (vars, "ylows", lows->str);
  var_str (vars, "yhighs", highs->str);
  var_str (vars, "yclocks", clocks->str + 1);
  /* the failures panel: images and copies failed, launches when any */
  double fmax = 0;
  for (guint m = NM; m < NM + NF; m++)
    fmax = MAX (fmax, ymax[m]);
  var_int (vars, "nf", any_launch_failed ? 3 : 2);
  var_num (vars, "fmax", fmax > 0 ? fmax * 1.15 : 1);
  add_picture (list, all_vars, "sweep", TRUE, NULL, vars);
  return assemble (list, data, all_vars);
}

/* Figures over replications (aggregate.h): means and Student-t 95 %
 * intervals of the mean, and the union of what each replication lists
 * (pools, failures, storage places), always in replication order so that
 * the bytes written do not depend on which thread ran which replication. */
#include <math.h>
#include <string.h>
#include "amisim/stats.h"
#include "report/aggregate.h"

void
ams_agg_of (AmsAgg *a, const double *v, guint n)
{
  AmsReplStat rs;
  ams_repl_init (&rs);
  for (guint i = 0; i < n; i++)
    if (!isnan (v[i]))
      ams_repl_add (&rs, v[i]);
  a->n = (guint) ams_repl_n (&rs);
  a->mean = a->n > 0 ? ams_repl_mean (&rs) : NAN;
  a->low = a->high = NAN;
  if (a->n >= 2)
    ams_repl_ci95 (&rs, &a->low, &a->high);
}

double
ams_agg_half (const AmsAgg *a)
{
  return a->n >= 2 ? (a->high - a->low) / 2.0 : NAN;
}

/* The same field of every replication, by its offset in r[0]. */
static gsize
offset_of (const AmsResults *const *r, const void *first)
{
  g_assert ((const char *) first >= (const char *) r[0]
            && (const char *) first < (const char *) r[0] + sizeof (AmsResults));
  return (gsize) ((const char *) first - (const char *) r[0]);
}

#define FIELD(type, ri, off) ((const type *) (const void *) ((const char *) (ri) + (off)))

void
ams_agg_u64 (AmsAgg *out, const AmsResults *const *r, guint n, const uint64_t *first)
{
  gsize off = offset_of (r, first);
  g_autofree double *v = g_new (double, n);
  for (guint i = 0; i < n; i++)
    v[i] = (double) *FIELD (uint64_t, r[i], off);
  ams_agg_of (out, v, n);
}

void
ams_agg_double (AmsAgg *out, const AmsResults *const *r, guint n, const double *first)
{
  gsize off = offset_of (r, first);
  g_autofree double *v = g_new (double, n);
  for (guint i = 0; i < n; i++)
    v[i] = *FIELD (double, r[i], off);
  ams_agg_of (out, v, n);
}

void
ams_agg_stat (AmsAggStat *out, const AmsResults *const *r, guint n, const AmsStat *first)
{
  gsize off = offset_of (r, first);
  enum { COUNT, MEAN, SD, MIN, P50, P90, P99, MAX, FIELDS };
  g_autofree double *v = g_new (double, (gsize) n * FIELDS);
  for (guint i = 0; i < n; i++)
    {
      AmsStatSummary s;
      ams_stat_summary (FIELD (AmsStat, r[i], off), &s);
      /* a replication that observed nothing has no mean, quantiles… */
#define OBSERVED(x) (s.count > 0 ? (x) : NAN)
      v[COUNT * n + i] = (double) s.count;
      v[MEAN * n + i] = OBSERVED (s.mean);
      v[SD * n + i] = OBSERVED (s.sd);
      v[MIN * n + i] = OBSERVED (s.min);
      v[P50 * n + i] = OBSERVED (s.p50);
      v[P90 * n + i] = OBSERVED (s.p90);
      v[P99 * n + i] = OBSERVED (s.p99);
      v[MAX * n + i] = OBSERVED (s.max);
#undef OBSERVED
    }
  AmsAgg *dst[FIELDS] = { &out->count, &out->mean, &out->sd, &out->min,
                          &out->p50, &out->p90, &out->p99, &out->max };
  for (guint f = 0; f < FIELDS; f++)
    ams_agg_of (dst[f], v + (gsize) f * n, n);
}

/* ---- unions of the places replications list ---- */

/* The places (rows of `out`, each `size` bytes, found by key) that any
 * replication lists. `add` appends the row of element k of replication i
 * if its key is new; the rows are then sorted with `cmp`, and `index` maps
 * each key to its row + 1. */
typedef struct
{
  GArray *out;
  GHashTable *index; /* key (owned) -> row + 1 */
} Union;

static void
union_init (Union *u, gsize size)
{
  u->out = g_array_new (FALSE, TRUE, (guint) size);
  u->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* TRUE (and the key kept) if `key` is new: the caller appends its row. */
static gboolean
union_add (Union *u, char *key)
{
  if (g_hash_table_contains (u->index, key))
    {
      g_free (key);
      return FALSE;
    }
  g_hash_table_insert (u->index, key, GUINT_TO_POINTER (1));
  return TRUE;
}

/* After sorting u->out: each key to its row (`key_of` gives a row's key). */
static void
union_reindex (Union *u, char *(*key_of) (const void *row))
{
  g_hash_table_remove_all (u->index);
  for (guint k = 0; k < u->out->len; k++)
    g_hash_table_insert (u->index,
                         key_of (u->out->data + (gsize) k * g_array_get_element_size (u->out)),
                         GUINT_TO_POINTER (k + 1));
}

static guint
union_row (const Union *u, const char *key)
{
  guint at = GPOINTER_TO_UINT (g_hash_table_lookup (u->index, key));
  g_assert (at > 0);
  return at - 1;
}

static char *
place_key (const char *a, const char *b)
{
  return g_strconcat (a, "\x1f", b, NULL);
}

/* pools */

static char *
pool_key (const void *row)
{
  const AmsAggPool *p = row;
  return place_key (p->account, p->region);
}

static int
pool_cmp (gconstpointer a, gconstpointer b)
{
  const AmsAggPool *x = a, *y = b;
  int c = strcmp (x->account, y->account);
  return c != 0 ? c : strcmp (x->region, y->region);
}

GArray *
ams_agg_pools (const AmsResults *const *r, guint n)
{
  Union u;
  union_init (&u, sizeof (AmsAggPool));
  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < r[i]->pools->len; k++)
      {
        const AmsPoolReport *p = &g_array_index (r[i]->pools, AmsPoolReport, k);
        if (union_add (&u, place_key (p->account, p->region)))
          {
            AmsAggPool row = { .account = p->account, .region = p->region, .limit = p->limit };
            g_array_append_val (u.out, row);
          }
      }
  g_array_sort (u.out, pool_cmp);
  union_reindex (&u, pool_key);

  enum { COPIES, WAITED, UTIL, BUSY, BUSY_MAX, QUEUE, QUEUE_MAX, AT_LIMIT_S, AT_LIMIT, WAIT_MAX,
         FIELDS };
  guint rows = u.out->len;
  g_autofree double *v = g_new0 (double, (gsize) rows * FIELDS * n); /* absent: 0 */
  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < r[i]->pools->len; k++)
      {
        const AmsPoolReport *p = &g_array_index (r[i]->pools, AmsPoolReport, k);
        g_autofree char *key = place_key (p->account, p->region);
        double *at = v + (gsize) union_row (&u, key) * FIELDS * n + i;
        at[COPIES * n] = (double) p->copies;
        at[WAITED * n] = (double) p->waited;
        at[UTIL * n] = p->utilization;
        at[BUSY * n] = p->busy_mean;
        at[BUSY_MAX * n] = p->busy_max;
        at[QUEUE * n] = p->queue_mean;
        at[QUEUE_MAX * n] = p->queue_max;
        at[AT_LIMIT_S * n] = p->at_limit_s;
        at[AT_LIMIT * n] = p->at_limit;
        at[WAIT_MAX * n] = p->wait_max_s;
      }
  for (guint k = 0; k < rows; k++)
    {
      AmsAggPool *p = &g_array_index (u.out, AmsAggPool, k);
      AmsAgg *dst[FIELDS] = { &p->copies, &p->waited, &p->utilization, &p->busy_mean,
                              &p->busy_max, &p->queue_mean, &p->queue_max, &p->at_limit_s,
                              &p->at_limit, &p->wait_max_s };
      for (guint f = 0; f < FIELDS; f++)
        ams_agg_of (dst[f], v + ((gsize) k * FIELDS + f) * n, n);
    }
  g_hash_table_unref (u.index);
  return u.out;
}

/* failures */

static char *
failure_key (const void *row)
{
  const AmsAggFailure *f = row;
  return g_strdup_printf ("%d\x1f%s\x1f%s", (int) f->cause, f->region, f->account);
}

static int
failure_cmp (gconstpointer a, gconstpointer b)
{
  const AmsAggFailure *x = a, *y = b;
  if (x->cause != y->cause)
    return x->cause < y->cause ? -1 : 1;
  int c = strcmp (x->region, y->region);
  return c != 0 ? c : strcmp (x->account, y->account);
}

GArray *
ams_agg_failures (const AmsResults *const *r, guint n)
{
  Union u;
  union_init (&u, sizeof (AmsAggFailure));
  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < r[i]->failures->len; k++)
      {
        const AmsFailureCount *f = &g_array_index (r[i]->failures, AmsFailureCount, k);
        AmsAggFailure row = { .cause = f->cause, .region = f->region, .account = f->account };
        if (union_add (&u, failure_key (&row)))
          g_array_append_val (u.out, row);
      }
  g_array_sort (u.out, failure_cmp);
  union_reindex (&u, failure_key);

  guint rows = u.out->len;
  g_autofree double *v = g_new0 (double, (gsize) rows * n);
  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < r[i]->failures->len; k++)
      {
        const AmsFailureCount *f = &g_array_index (r[i]->failures, AmsFailureCount, k);
        AmsAggFailure probe = { .cause = f->cause, .region = f->region, .account = f->account };
        g_autofree char *key = failure_key (&probe);
        v[(gsize) union_row (&u, key) * n + i] = (double) f->count;
      }
  for (guint k = 0; k < rows; k++)
    ams_agg_of (&g_array_index (u.out, AmsAggFailure, k).count, v + (gsize) k * n, n);
  g_hash_table_unref (u.index);
  return u.out;
}

/* storage */

static char *
storage_key (const void *row)
{
  const AmsAggStorage *s = row;
  return place_key (s->account, s->region);
}

static int
storage_cmp (gconstpointer a, gconstpointer b)
{
  const AmsAggStorage *x = a, *y = b;
  int c = strcmp (x->account, y->account);
  return c != 0 ? c : strcmp (x->region, y->region);
}

GArray *
ams_agg_storage (const AmsResults *const *r, guint n)
{
  Union u;
  union_init (&u, sizeof (AmsAggStorage));
  for (guint i = 0; i < n; i++)
    for (guint k = 0; r[i]->storage != NULL && k < r[i]->storage->len; k++)
      {
        const AmsStorageReport *s = &g_array_index (r[i]->storage, AmsStorageReport, k);
        if (union_add (&u, place_key (s->account, s->region)))
          {
            AmsAggStorage row = { .account = s->account, .region = s->region };
            g_array_append_val (u.out, row);
          }
      }
  g_array_sort (u.out, storage_cmp);
  union_reindex (&u, storage_key);

  enum { AMIS, AMIS_MAX, GIB, GIB_MONTHS, FIELDS };
  guint rows = u.out->len;
  g_autofree double *v = g_new0 (double, (gsize) rows * FIELDS * n);
  for (guint i = 0; i < n; i++)
    for (guint k = 0; r[i]->storage != NULL && k < r[i]->storage->len; k++)
      {
        const AmsStorageReport *s = &g_array_index (r[i]->storage, AmsStorageReport, k);
        g_autofree char *key = place_key (s->account, s->region);
        double *at = v + (gsize) union_row (&u, key) * FIELDS * n + i;
        at[AMIS * n] = s->amis;
        at[AMIS_MAX * n] = s->amis_max;
        at[GIB * n] = s->gib;
        at[GIB_MONTHS * n] = s->gib_months;
      }
  for (guint k = 0; k < rows; k++)
    {
      AmsAggStorage *s = &g_array_index (u.out, AmsAggStorage, k);
      AmsAgg *dst[FIELDS] = { &s->amis, &s->amis_max, &s->gib, &s->gib_months };
      for (guint f = 0; f < FIELDS; f++)
        ams_agg_of (dst[f], v + ((gsize) k * FIELDS + f) * n, n);
    }
  g_hash_table_unref (u.index);
  return u.out;
}

static int
day_cmp (gconstpointer a, gconstpointer b)
{
  int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
  return (x > y) - (x < y);
}

GArray *
ams_agg_days (const AmsResults *const *r, guint n)
{
  /* the union of the days, in order */
  g_autoptr (GArray) days = g_array_new (FALSE, FALSE, sizeof (int64_t));
  for (guint i = 0; i < n; i++)
    for (guint k = 0; r[i]->days != NULL && k < r[i]->days->len; k++)
      g_array_append_val (days, g_array_index (r[i]->days, AmsDayReport, k).day);
  g_array_sort (days, day_cmp);
  GArray *out = g_array_new (FALSE, TRUE, sizeof (AmsAggDay));
  g_autofree double *v = g_new (double, (gsize) n * 3);
  g_autofree guint *at = g_new0 (guint, n); /* each replication's next day */
  for (guint k = 0; k < days->len; k++)
    {
      int64_t day = g_array_index (days, int64_t, k);
      if (out->len > 0 && g_array_index (out, AmsAggDay, out->len - 1).day == day)
        continue;
      for (guint i = 0; i < n; i++)
        {
          const AmsDayReport *d = NULL;
          if (r[i]->days != NULL && at[i] < r[i]->days->len
              && g_array_index (r[i]->days, AmsDayReport, at[i]).day == day)
            d = &g_array_index (r[i]->days, AmsDayReport, at[i]++);
          v[i] = d ? (double) d->copies : 0.0;
          v[n + i] = d ? ams_clock_of_day_s (r[i]->start, d->last) : NAN;
          v[2 * n + i] = d ? ams_time_to_s (d->last) : NAN;
        }
      AmsAggDay row = { .day = day };
      ams_agg_of (&row.copies, v, n);
      ams_agg_of (&row.last_of_day_s, v + n, n);
      ams_agg_of (&row.last_s, v + 2 * n, n);
      g_array_append_val (out, row);
    }
  return out;
}

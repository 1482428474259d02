/* `amisim plot OUTDIR`: renders the plots of a finished run (`amisim run
 * --out OUTDIR`) or sweep (`amisim sweep --out OUTDIR`) with gnuplot.
 *
 * The gnuplot scripts in plots/ draw; this file prepares their data, because
 * what they need is beyond gnuplot: columns picked by their header names,
 * pools ranked and the busiest chosen, totals summed over pools as time goes,
 * CDFs, lanes of a Gantt chart. Each plot reads its CSV file(s), writes small
 * .dat files into a temporary folder inside OUTDIR and runs gnuplot there
 * once per format. When every plot is drawn, the data files are removed and
 * the temporary folder replaces OUTDIR/plots: the folder is written whole or
 * not at all. The working folder, its data files and the pictures are
 * registered with the signal handler (report/cleanup.h), which also kills
 * gnuplot: an interrupted plot leaves OUTDIR as it was. A plot whose input
 * is missing or empty is skipped, with the reason on stderr.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "amisim/cli.h"
#include "amisim/report.h"
#include "cli/cli-private.h"
#include "cli/plot-config.h"
#include "report/cleanup.h"

/* How many pools the per-pool plots show, how many bars a Gantt chart draws
 * at most, and how many copies it reads at most (the earliest) to find the
 * busy period it shows: pictures stay readable, and memory and gnuplot's
 * time stay small on runs with millions of copies. */
#define TIMELINE_POOLS 8
#define TIMELINE_MAX_BARS 20000
#define TIMELINE_KEEP_BARS 200000
#define QUEUE_POOLS 4

/* ---- reading CSV by header name ---- */

/* A CSV file read one record at a time (RFC 4180: quoted fields, "" for a
 * quote, line breaks inside quotes). The fields of the current record live
 * NUL-separated in one reused buffer: the reader allocates nothing per row. */
typedef struct
{
  FILE *f;
  char *name;       /* file name for messages */
  char *line;
  size_t cap;
  GString *rec;     /* the current record's fields, each NUL-terminated */
  GArray *offs;     /* of gsize: where each field starts in rec */
  GStrv header;
  guint n_header;
} Csv;

static void
csv_free (Csv *c)
{
  if (c == NULL)
    return;
  if (c->f != NULL)
    fclose (c->f);
  g_free (c->name);
  free (c->line);
  g_string_free (c->rec, TRUE);
  g_array_unref (c->offs);
  g_strfreev (c->header);
  g_free (c);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Csv, csv_free)

/* Reads the next record; FALSE at the end of the file. Blank lines are
 * skipped. */
static gboolean
csv_next (Csv *c)
{
  for (;;)
    {
      g_string_truncate (c->rec, 0);
      g_array_set_size (c->offs, 0);
      gsize start = 0;
      g_array_append_val (c->offs, start);
      gboolean quoted = FALSE, any = FALSE;
      for (;;)
        {
          ssize_t n = getline (&c->line, &c->cap, c->f);
          if (n < 0)
            break;
          any = TRUE;
          for (ssize_t i = 0; i < n; i++)
            {
              char ch = c->line[i];
              if (quoted)
                {
                  if (ch != '"')
                    g_string_append_c (c->rec, ch);
                  else if (i + 1 < n && c->line[i + 1] == '"')
                    {
                      g_string_append_c (c->rec, '"');
                      i++;
                    }
                  else
                    quoted = FALSE;
                }
              else if (ch == '"')
                quoted = TRUE;
              else if (ch == ',')
                {
                  g_string_append_c (c->rec, '\0');
                  start = c->rec->len;
                  g_array_append_val (c->offs, start);
                }
              else if (ch != '\n' && ch != '\r')
                g_string_append_c (c->rec, ch);
            }
          if (!quoted)
            break;
        }
      if (!any)
        return FALSE;
      if (c->offs->len == 1 && c->rec->len == 0)
        continue; /* a blank line */
      return TRUE;
    }
}

static guint
csv_n_fields (const Csv *c)
{
  return c->offs->len;
}

/* Field `col` of the current record; "" when the record is shorter or col
 * is -1 (a column the file does not have). */
static const char *
csv_get (const Csv *c, int col)
{
  if (col < 0 || (guint) col >= c->offs->len)
    return "";
  return c->rec->str + g_array_index (c->offs, gsize, (guint) col);
}

/* Opens `dir/name` and reads its header. NULL with *why set when the file
 * does not exist (a reason to skip a plot); NULL with `error` set when it
 * exists but cannot be read. */
static Csv *
csv_open (const char *dir, const char *name, char **why, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  FILE *f = fopen (path, "r");
  if (f == NULL)
    {
      int err = errno;
      if (err == ENOENT)
        {
          *why = g_strdup_printf ("no %s", name);
          return NULL;
        }
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err), "cannot read %s: %s",
                   path, g_strerror (err));
      return NULL;
    }
  Csv *c = g_new0 (Csv, 1);
  c->f = f;
  c->name = g_strdup (name);
  c->rec = g_string_new (NULL);
  c->offs = g_array_new (FALSE, FALSE, sizeof (gsize));
  if (!csv_next (c))
    {
      *why = g_strdup_printf ("%s is empty", name);
      csv_free (c);
      return NULL;
    }
  c->n_header = csv_n_fields (c);
  c->header = g_new0 (char *, c->n_header + 1);
  for (guint i = 0; i < c->n_header; i++)
    c->header[i] = g_strdup (csv_get (c, (int) i));
  return c;
}

/* The index of the column named `name`, or -1. */
static int
csv_col (const Csv *c, const char *name)
{
  for (guint i = 0; i < c->n_header; i++)
    if (strcmp (c->header[i], name) == 0)
      return (int) i;
  return -1;
}

/* Finds every column of `names` (NULL-terminated); FALSE with *why naming
 * the first one missing. */
static gboolean
csv_cols (const Csv *c, const char *const *names, int *cols, char **why)
{
  for (guint i = 0; names[i] != NULL; i++)
    if ((cols[i] = csv_col (c, names[i])) < 0)
      {
        *why = g_strdup_printf ("%s has no column %s", c->name, names[i]);
        return FALSE;
      }
  return TRUE;
}

/* A number in C notation (whatever the locale); FALSE when `s` is empty or
 * not wholly a number. */
static gboolean
parse_num (const char *s, double *v)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  char *end = NULL;
  *v = g_ascii_strtod (s, &end);
  return end != s && *end == '\0';
}

static double
csv_num (const Csv *c, int col, double fallback)
{
  double v;
  return parse_num (csv_get (c, col), &v) ? v : fallback;
}

/* ---- writing data files and gnuplot variables ---- */

typedef struct
{
  const char *dir;     /* OUTDIR */
  const char *work;    /* the temporary folder, gnuplot's working folder */
  GPtrArray *data;     /* AmsTemp* of the .dat files written, removed before publishing */
  GPtrArray *pictures; /* AmsTemp* of the pictures gnuplot writes, published with the folder */
} Ctx;

static FILE *
dat_create (Ctx *ctx, const char *name, GError **error)
{
  g_autofree char *path = g_build_filename (ctx->work, name, NULL);
  FILE *f = NULL;
  AmsTemp *t = ams_temp_create_file (path, &f);
  if (t == NULL)
    {
      int err = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err), "cannot write %s: %s",
                   path, g_strerror (err));
      return NULL;
    }
  g_ptr_array_add (ctx->data, t);
  return f;
}

static gboolean
dat_close (FILE *f, const char *name, GError **error)
{
  gboolean ok = !ferror (f);
  int err = 0;
  errno = 0;
  if (fflush (f) != 0)
    ok = FALSE, err = errno;
  if (fclose (f) != 0 && err == 0)
    ok = FALSE, err = errno;
  if (!ok)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write %s: %s", name,
                 err ? g_strerror (err) : "a write failed (disk full?)");
  return ok;
}

/* A number for gnuplot: C notation whatever the locale; NaN for missing. */
static void
put_num (FILE *f, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (v != v)
    fputs (" NaN", f);
  else
    {
      fputc (' ', f);
      fputs (g_ascii_formatd (buf, sizeof buf, "%.10g", v), f);
    }
}

/* A string for gnuplot's data files, in double quotes (without any of its
 * own double quotes, which gnuplot's data files cannot escape). */
static void
put_str (GString *s, const char *v)
{
  g_string_append_c (s, '"');
  for (const char *p = v; *p; p++)
    if (*p != '"')
      g_string_append_c (s, *p);
  g_string_append_c (s, '"');
}

/* name='value' for gnuplot's -e; in single quotes, '' stands for '. */
static void
var_str (GString *vars, const char *name, const char *value)
{
  g_string_append_printf (vars, "%s='", name);
  for (const char *p = value; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (vars, '\'');
      g_string_append_c (vars, *p);
    }
  g_string_append (vars, "'; ");
}

/* A number, always written as a float (gnuplot divides integers as
 * integers), and a count. */
static void
var_num (GString *vars, const char *name, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (buf, sizeof buf, "%.10g", value);
  g_string_append_printf (vars, "%s=%s%s; ", name, buf,
                          strpbrk (buf, ".en") != NULL ? "" : ".0");
}

static void
var_int (GString *vars, const char *name, guint value)
{
  g_string_append_printf (vars, "%s=%u; ", name, value);
}

/* The unit of a time axis whose largest value is `max_s` seconds. */
static void
time_unit (double max_s, double *scale, const char **name)
{
  *scale = 86400, *name = "d";
  if (max_s <= 3 * 3600)
    *scale = 60, *name = "min";
  else if (max_s <= 3 * 86400)
    *scale = 3600, *name = "h";
}

/* tscale (seconds per unit) and tunit (its name) for the scripts. */
static void
var_time_unit (GString *vars, double max_s)
{
  double scale;
  const char *name;
  time_unit (max_s, &scale, &name);
  var_num (vars, "tscale", scale);
  var_str (vars, "tunit", name);
}

/* A simulated time for people: "day 2 01:35" (day 1 is the first). */
static char *
format_time (double s)
{
  gint64 m = (gint64) (s / 60 + 0.5);
  return g_strdup_printf ("day %" G_GINT64_FORMAT " %02d:%02d", m / 1440 + 1, (int) (m % 1440 / 60),
                          (int) (m % 60));
}

/* ---- pools ---- */

typedef struct
{
  char *key;        /* "account region", the label */
  double n;         /* copies (timeline) */
  double max_busy;  /* pool queues */
  double max_queued;
  double max_limit;
  guint rank;       /* 1-based among the chosen; 0: not chosen */
  GString *rows;    /* pool queues: this pool's data block */
  double last_busy, last_queued, last_limit;
  GArray *lanes;    /* timeline: end time of the last copy in each lane */
} Pool;

static void
pool_free (gpointer p)
{
  Pool *pool = p;
  g_free (pool->key);
  if (pool->rows != NULL)
    g_string_free (pool->rows, TRUE);
  if (pool->lanes != NULL)
    g_array_unref (pool->lanes);
  g_free (pool);
}

static Pool *
pool_get (GHashTable *pools, const char *account, const char *region)
{
  g_autofree char *key = g_strdup_printf ("%s %s", account, region);
  Pool *p = g_hash_table_lookup (pools, key);
  if (p == NULL)
    {
      p = g_new0 (Pool, 1);
      p->key = g_steal_pointer (&key);
      p->last_busy = p->last_queued = p->last_limit = -1;
      g_hash_table_insert (pools, p->key, p);
    }
  return p;
}

static int
by_copies (gconstpointer a, gconstpointer b)
{
  const Pool *x = *(Pool *const *) a, *y = *(Pool *const *) b;
  if (x->n != y->n)
    return x->n > y->n ? -1 : 1;
  return strcmp (x->key, y->key);
}

static int
by_congestion (gconstpointer a, gconstpointer b)
{
  const Pool *x = *(Pool *const *) a, *y = *(Pool *const *) b;
  if (x->max_queued != y->max_queued)
    return x->max_queued > y->max_queued ? -1 : 1;
  if (x->max_busy != y->max_busy)
    return x->max_busy > y->max_busy ? -1 : 1;
  return strcmp (x->key, y->key);
}

/* The pools of `pools` sorted by `cmp`, the first `keep` ranked 1…keep. */
static GPtrArray *
rank_pools (GHashTable *pools, GCompareFunc cmp, guint keep)
{
  GPtrArray *sorted = g_ptr_array_new ();
  GHashTableIter it;
  gpointer pool;
  g_hash_table_iter_init (&it, pools);
  while (g_hash_table_iter_next (&it, NULL, &pool))
    g_ptr_array_add (sorted, pool);
  g_ptr_array_sort (sorted, cmp);
  for (guint i = 0; i < sorted->len && i < keep; i++)
    ((Pool *) sorted->pdata[i])->rank = i + 1;
  return sorted;
}

/* pools="…" (quoted labels, for gnuplot's word()) and npools. */
static void
var_pools (GString *vars, GPtrArray *sorted, guint n)
{
  g_autoptr (GString) labels = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (labels, ' ');
      put_str (labels, ((Pool *) sorted->pdata[i])->key);
    }
  var_str (vars, "pools", labels->str);
  var_int (vars, "npools", n);
}

/* ---- (a) copies-timeline: a Gantt chart of copies per pool ---- */

typedef struct
{
  double start, end;
  Pool *pool;
  int kind; /* 0 no wait, 1 waited for a slot, 2 failed */
} Bar;

static int
by_start (gconstpointer a, gconstpointer b)
{
  const Bar *x = a, *y = b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return (x->end > y->end) - (x->end < y->end);
}

/* Keeps the `cap` earliest bars. */
static void
trim_bars (GArray *bars, guint cap)
{
  g_array_sort (bars, by_start);
  if (bars->len > cap)
    g_array_set_size (bars, cap);
}

static gboolean
prep_timeline (Ctx *ctx, GString *vars, char **why, GError **error)
{
  static const char *const need[] = { "account", "region", "started_s", "ended_s", NULL };
  int col[4];
  g_autoptr (Csv) csv = csv_open (ctx->dir, "copies.csv", why, error);
  if (csv == NULL || !csv_cols (csv, need, col, why))
    return FALSE;
  int wait_col = csv_col (csv, "wait_s"), outcome_col = csv_col (csv, "outcome");

  /* First pass: copies that got a slot, per pool. */
  g_autoptr (GHashTable) pools = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, pool_free);
  double started = 0;
  while (csv_next (csv))
    {
      double s;
      if (!parse_num (csv_get (csv, col[2]), &s))
        continue; /* refused before it held a slot */
      pool_get (pools, csv_get (csv, col[0]), csv_get (csv, col[1]))->n++;
      started++;
    }
  if (started == 0)
    {
      *why = g_strdup ("copies.csv has no copy that started");
      return FALSE;
    }
  g_autoptr (GPtrArray) sorted = rank_pools (pools, by_copies, TIMELINE_POOLS);
  guint n_pools = MIN (sorted->len, (guint) TIMELINE_POOLS);

  /* Second pass: the chosen pools' copies (the earliest TIMELINE_KEEP_BARS
   * of them, trimmed as they come so that memory stays bounded). */
  rewind (csv->f);
  csv_next (csv); /* the header */
  g_autoptr (GArray) bars = g_array_new (FALSE, FALSE, sizeof (Bar));
  while (csv_next (csv))
    {
      Bar b = { 0 };
      if (!parse_num (csv_get (csv, col[2]), &b.start))
        continue;
      g_autofree char *key
        = g_strdup_printf ("%s %s", csv_get (csv, col[0]), csv_get (csv, col[1]));
      b.pool = g_hash_table_lookup (pools, key);
      if (b.pool == NULL || b.pool->rank == 0)
        continue;
      b.end = MAX (csv_num (csv, col[3], b.start), b.start);
      b.kind = strcmp (csv_get (csv, outcome_col), "failed") == 0 ? 2
               : csv_num (csv, wait_col, 0) > 0                  ? 1
                                                                 : 0;
      g_array_append_val (bars, b);
      if (bars->len >= 2 * TIMELINE_KEEP_BARS)
        trim_bars (bars, TIMELINE_KEEP_BARS);
    }
  trim_bars (bars, TIMELINE_KEEP_BARS);

  /* Copies come in bursts (nightly builds): a whole run would draw each
   * burst a few pixels wide. So the chart shows the busy period (no gap
   * between copies of these pools) with the most copies, and in it at most
   * TIMELINE_MAX_BARS copies, the first. */
  guint n_periods = 0, best_from = 0, best_n = 0;
  double busy_until = -G_MAXDOUBLE;
  for (guint i = 0, from = 0; i <= bars->len; i++)
    {
      const Bar *b = i < bars->len ? &g_array_index (bars, Bar, i) : NULL;
      if (b != NULL && b->start <= busy_until)
        {
          busy_until = MAX (busy_until, b->end);
          continue;
        }
      if (i > 0 && i - from > best_n)
        best_from = from, best_n = i - from;
      if (b != NULL)
        {
          n_periods++;
          from = i;
          busy_until = b->end;
        }
    }
  guint shown = MIN (best_n, (guint) TIMELINE_MAX_BARS);

  /* Lanes: each copy takes the first lane of its pool free at its start, so
   * concurrent copies stack and a pool's height shows its busy slots. */
  g_autofree guint *lane_of = g_new0 (guint, shown ? shown : 1);
  double t_min = G_MAXDOUBLE, t_max = 0;
  for (guint i = 0; i < shown; i++)
    {
      Bar *b = &g_array_index (bars, Bar, best_from + i);
      Pool *p = b->pool;
      if (p->lanes == NULL)
        p->lanes = g_array_new (FALSE, FALSE, sizeof (double));
      guint lane = 0;
      while (lane < p->lanes->len && g_array_index (p->lanes, double, lane) > b->start)
        lane++;
      if (lane == p->lanes->len)
        g_array_append_val (p->lanes, b->end);
      else
        g_array_index (p->lanes, double, lane) = b->end;
      lane_of[i] = lane;
      t_min = MIN (t_min, b->start);
      t_max = MAX (t_max, b->end);
    }

  FILE *f = dat_create (ctx, "copies-timeline.dat", error);
  if (f == NULL)
    return FALSE;
  for (guint i = 0; i < shown; i++)
    {
      const Bar *b = &g_array_index (bars, Bar, best_from + i);
      /* The busiest pool on top; each pool a band of height 0.8 split into
       * its lanes. */
      double lanes = b->pool->lanes->len;
      double band = n_pools - b->pool->rank + 0.1;
      put_num (f, b->start);
      put_num (f, b->end - b->start);
      put_num (f, band + 0.8 * (lane_of[i] + 0.5) / lanes);
      put_num (f, 0.4 * 0.8 / lanes);
      put_num (f, b->kind);
      fputc ('\n', f);
    }
  if (!dat_close (f, "copies-timeline.dat", error))
    return FALSE;

  g_autoptr (GString) title = g_string_new ("Copies per destination pool");
  if (sorted->len > n_pools)
    g_string_append_printf (title, " (the %u busiest of %u)", n_pools, sorted->len);
  g_autofree char *from_s = format_time (t_min), *to_s = format_time (t_max);
  const char *to_time = strchr (to_s, ' ') ? strchr (strchr (to_s, ' ') + 1, ' ') + 1 : to_s;
  gboolean same_day = strncmp (from_s, to_s, (gsize) (to_time - to_s)) == 0;
  g_string_append_printf (title, ", %s to %s", from_s, same_day ? to_time : to_s);
  if (n_periods > 1)
    g_string_append_printf (title, ": the busiest of %u busy periods", n_periods);
  if (shown < best_n)
    g_string_append_printf (title, ", its first %u of %u copies", shown, best_n);
  var_str (vars, "data", "copies-timeline.dat");
  var_str (vars, "title", title->str);
  var_pools (vars, sorted, n_pools);
  return TRUE;
}

/* ---- timeseries.csv: (b) pool-queues and (e) storage ---- */

/* Total snapshot GiB over time from a timeseries file: the sum over pools of
 * each pool's latest snapshot_gib, one (t, GiB) point per time at which it
 * changed. NULL with *why when the file is missing or has no rows, NULL
 * with `error` when it cannot be read. */
typedef struct
{
  double t, gib;
} Point;

static GArray *
storage_series (Ctx *ctx, const char *name, char **why, GError **error)
{
  static const char *const need[] = { "t_s", "account", "region", "snapshot_gib", NULL };
  int col[4];
  g_autoptr (Csv) csv = csv_open (ctx->dir, name, why, error);
  if (csv == NULL || !csv_cols (csv, need, col, why))
    return NULL;
  g_autoptr (GHashTable) last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GArray) points = g_array_new (FALSE, FALSE, sizeof (Point));
  Point now = { 0, 0 };
  guint rows = 0;
  while (csv_next (csv))
    {
      double t, gib;
      if (!parse_num (csv_get (csv, col[0]), &t) || !parse_num (csv_get (csv, col[3]), &gib))
        continue;
      /* The total at now.t is final once time moves on (rows come in time
       * order); a point only where it changed. */
      if (rows > 0 && t != now.t
          && (points->len == 0 || g_array_index (points, Point, points->len - 1).gib != now.gib))
        g_array_append_val (points, now);
      g_autofree char *key
        = g_strdup_printf ("%s %s", csv_get (csv, col[1]), csv_get (csv, col[2]));
      double *v = g_hash_table_lookup (last, key);
      if (v == NULL)
        {
          v = g_new0 (double, 1);
          g_hash_table_insert (last, g_steal_pointer (&key), v);
        }
      now.gib += gib - *v;
      *v = gib;
      now.t = t;
      rows++;
    }
  if (rows == 0)
    {
      *why = g_strdup_printf ("%s has no rows", name);
      return NULL;
    }
  g_array_append_val (points, now); /* the last time, even if unchanged */
  return g_steal_pointer (&points);
}

static double
series_max (const GArray *a)
{
  double m = 0;
  for (guint i = 0; i < a->len; i++)
    m = MAX (m, g_array_index (a, Point, i).gib);
  return m;
}

/* Writes a series to `name`, its last level held to `t_end`. */
static gboolean
write_series (Ctx *ctx, const char *name, const GArray *a, double t_end, GError **error)
{
  FILE *f = dat_create (ctx, name, error);
  if (f == NULL)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      put_num (f, g_array_index (a, Point, i).t);
      put_num (f, g_array_index (a, Point, i).gib);
      fputc ('\n', f);
    }
  put_num (f, t_end);
  put_num (f, g_array_index (a, Point, a->len - 1).gib);
  fputc ('\n', f);
  return dat_close (f, name, error);
}

static gboolean
prep_storage (Ctx *ctx, GString *vars, char **why, GError **error)
{
  g_autoptr (GArray) with = storage_series (ctx, "timeseries.csv", why, error);
  if (with == NULL)
    return FALSE;
  double top = series_max (with);
  if (top <= 0)
    {
      *why = g_strdup ("timeseries.csv records no snapshot storage");
      return FALSE;
    }
  /* The same run without lifecycle, when `run` was asked to compare. */
  g_autofree char *no_base = NULL;
  g_autoptr (GArray) without
    = storage_series (ctx, "timeseries-without-lifecycle.csv", &no_base, error);
  if (without == NULL && error != NULL && *error != NULL)
    return FALSE;

  double t_end = g_array_index (with, Point, with->len - 1).t;
  if (without != NULL)
    {
      t_end = MAX (t_end, g_array_index (without, Point, without->len - 1).t);
      top = MAX (top, series_max (without));
    }
  if (!write_series (ctx, "storage.dat", with, t_end, error)
      || (without != NULL
          && !write_series (ctx, "storage-without-lifecycle.dat", without, t_end, error)))
    return FALSE;

  gboolean tib = top >= 10 * 1024;
  g_autoptr (GString) title = g_string_new ("Snapshot storage, all accounts and regions");
  if (without != NULL)
    {
      char buf[160];
      g_snprintf (buf, sizeof buf, ": %.0f GiB at the end with lifecycle, %.0f GiB without",
                  g_array_index (with, Point, with->len - 1).gib,
                  g_array_index (without, Point, without->len - 1).gib);
      g_string_append (title, buf);
    }
  var_str (vars, "data", "storage.dat");
  var_str (vars, "base", without != NULL ? "storage-without-lifecycle.dat" : "");
  var_str (vars, "title", title->str);
  var_num (vars, "gscale", tib ? 1024 : 1);
  var_str (vars, "gunit", tib ? "TiB" : "GiB");
  var_time_unit (vars, t_end);
  return TRUE;
}

static gboolean
prep_queues (Ctx *ctx, GString *vars, char **why, GError **error)
{
  static const char *const need[] = { "t_s", "account", "region", "busy", "queued", NULL };
  int col[5];
  g_autoptr (Csv) csv = csv_open (ctx->dir, "timeseries.csv", why, error);
  if (csv == NULL || !csv_cols (csv, need, col, why))
    return FALSE;
  int limit_col = csv_col (csv, "limit");

  /* First pass: the most congested pools (longest queue, then most busy). */
  g_autoptr (GHashTable) pools = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, pool_free);
  double t_max = 0;
  while (csv_next (csv))
    {
      Pool *p = pool_get (pools, csv_get (csv, col[1]), csv_get (csv, col[2]));
      p->max_busy = MAX (p->max_busy, csv_num (csv, col[3], 0));
      p->max_queued = MAX (p->max_queued, csv_num (csv, col[4], 0));
      t_max = MAX (t_max, csv_num (csv, col[0], 0));
    }
  g_autoptr (GPtrArray) sorted = rank_pools (pools, by_congestion, QUEUE_POOLS);
  guint n_pools = 0;
  while (n_pools < sorted->len && n_pools < QUEUE_POOLS
         && ((Pool *) sorted->pdata[n_pools])->max_busy
                + ((Pool *) sorted->pdata[n_pools])->max_queued
              > 0)
    n_pools++;
  if (n_pools == 0)
    {
      *why = g_strdup ("timeseries.csv shows no copy in any pool");
      return FALSE;
    }

  /* Second pass: the chosen pools' rows, only where busy, queued or the
   * limit changed (storage changes repeat them). */
  rewind (csv->f);
  csv_next (csv);
  while (csv_next (csv))
    {
      g_autofree char *key
        = g_strdup_printf ("%s %s", csv_get (csv, col[1]), csv_get (csv, col[2]));
      Pool *p = g_hash_table_lookup (pools, key);
      if (p == NULL || p->rank == 0 || p->rank > n_pools)
        continue;
      double t = csv_num (csv, col[0], 0), busy = csv_num (csv, col[3], 0),
             queued = csv_num (csv, col[4], 0), limit = csv_num (csv, limit_col, NAN);
      if (busy == p->last_busy && queued == p->last_queued
          && (limit == p->last_limit || (limit != limit && p->last_limit != p->last_limit)))
        continue;
      if (p->rows == NULL)
        p->rows = g_string_new (NULL);
      char buf[4][G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (p->rows, "%s %s %s %s\n",
                              g_ascii_formatd (buf[0], sizeof buf[0], "%.10g", t),
                              g_ascii_formatd (buf[1], sizeof buf[1], "%.10g", busy),
                              g_ascii_formatd (buf[2], sizeof buf[2], "%.10g", queued),
                              limit == limit ? g_ascii_formatd (buf[3], sizeof buf[3], "%.10g",
                                                                limit)
                                             : "NaN");
      p->last_busy = busy;
      p->last_queued = queued;
      p->last_limit = limit;
      if (limit == limit)
        p->max_limit = MAX (p->max_limit, limit);
    }

  FILE *f = dat_create (ctx, "pool-queues.dat", error);
  if (f == NULL)
    return FALSE;
  for (guint i = 0; i < n_pools; i++)
    {
      Pool *p = sorted->pdata[i];
      if (i > 0)
        fputs ("\n\n", f);
      if (p->rows != NULL)
        fputs (p->rows->str, f);
      /* The last level holds to the end of the series. */
      put_num (f, t_max);
      put_num (f, MAX (p->last_busy, 0));
      put_num (f, MAX (p->last_queued, 0));
      put_num (f, p->last_limit);
      fputc ('\n', f);
    }
  if (!dat_close (f, "pool-queues.dat", error))
    return FALSE;

  /* The scripts set the y ranges: gnuplot warns on an all-zero autoscale. */
  double busy_top = 1, queued_top = 1;
  for (guint i = 0; i < n_pools; i++)
    {
      Pool *p = sorted->pdata[i];
      busy_top = MAX (busy_top, MAX (p->max_busy, p->max_limit));
      queued_top = MAX (queued_top, p->max_queued);
    }
  g_autoptr (GString) title = g_string_new ("Busy slots and copies waiting");
  if (sorted->len > n_pools)
    g_string_append_printf (title, ", the %u most congested of %u pools", n_pools,
                            sorted->len);
  var_str (vars, "data", "pool-queues.dat");
  var_num (vars, "busymax", busy_top);
  var_num (vars, "queuedmax", queued_top);
  var_str (vars, "title", title->str);
  var_pools (vars, sorted, n_pools);
  var_time_unit (vars, t_max);
  return TRUE;
}

/* ---- (c) completion-cdf: distribution and end-to-end times per image ---- */

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static gboolean
prep_cdf (Ctx *ctx, GString *vars, char **why, GError **error)
{
  static const char *const need[] = { "start_s", "built_s", "end_s", "status", NULL };
  int col[4];
  g_autoptr (Csv) csv = csv_open (ctx->dir, "images.csv", why, error);
  if (csv == NULL || !csv_cols (csv, need, col, why))
    return FALSE;
  g_autoptr (GArray) dist = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) e2e = g_array_new (FALSE, FALSE, sizeof (double));
  guint images = 0;
  while (csv_next (csv))
    {
      images++;
      double start, built, end;
      if (strcmp (csv_get (csv, col[3]), "AVAILABLE") != 0
          || !parse_num (csv_get (csv, col[2]), &end))
        continue;
      if (parse_num (csv_get (csv, col[1]), &built))
        {
          double d = end - built;
          g_array_append_val (dist, d);
        }
      if (parse_num (csv_get (csv, col[0]), &start))
        {
          double d = end - start;
          g_array_append_val (e2e, d);
        }
    }
  if (dist->len == 0 && e2e->len == 0)
    {
      *why = g_strdup (images ? "images.csv has no image that became available"
                              : "images.csv has no rows");
      return FALSE;
    }
  FILE *f = dat_create (ctx, "completion-cdf.dat", error);
  if (f == NULL)
    return FALSE;
  double t_max = 0;
  GArray *series[2] = { dist, e2e };
  for (guint s = 0; s < 2; s++)
    {
      GArray *a = series[s];
      g_array_sort (a, cmp_double);
      if (s > 0)
        fputs ("\n\n", f);
      /* A step from 0 to each value's cumulative fraction. */
      if (a->len > 0)
        {
          put_num (f, g_array_index (a, double, 0));
          put_num (f, 0);
          fputc ('\n', f);
        }
      for (guint i = 0; i < a->len; i++)
        {
          put_num (f, g_array_index (a, double, i));
          put_num (f, (i + 1.0) / a->len);
          fputc ('\n', f);
          t_max = MAX (t_max, g_array_index (a, double, i));
        }
      if (a->len == 0)
        fputs (" NaN NaN\n", f);
    }
  if (!dat_close (f, "completion-cdf.dat", error))
    return FALSE;
  char title[160];
  g_snprintf (title, sizeof title,
              "Distribution completion per image (%u of %u images available)", e2e->len, images);
  var_str (vars, "data", "completion-cdf.dat");
  var_num (vars, "tmax", t_max);
  var_str (vars, "title", title);
  var_time_unit (vars, t_max);
  return TRUE;
}

/* ---- (d) failures: counts by cause ---- */

typedef struct
{
  const char *cause;
  double count;
} Cause;

static int
by_count (gconstpointer a, gconstpointer b)
{
  const Cause *x = a, *y = b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->cause, y->cause);
}

static gboolean
prep_failures (Ctx *ctx, GString *vars, char **why, GError **error)
{
  static const char *const need[] = { "cause", "count", NULL };
  int col[2];
  g_autoptr (Csv) csv = csv_open (ctx->dir, "failures.csv", why, error);
  if (csv == NULL || !csv_cols (csv, need, col, why))
    return FALSE;
  g_autoptr (GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while (csv_next (csv))
    {
      double n = csv_num (csv, col[1], 0);
      const char *cause = csv_get (csv, col[0]);
      if (n <= 0 || *cause == '\0')
        continue;
      double *v = g_hash_table_lookup (counts, cause);
      if (v == NULL)
        {
          v = g_new0 (double, 1);
          g_hash_table_insert (counts, g_strdup (cause), v);
        }
      *v += n;
    }
  if (g_hash_table_size (counts) == 0)
    {
      *why = g_strdup ("failures.csv has no rows (nothing failed)");
      return FALSE;
    }
  g_autoptr (GArray) causes = g_array_new (FALSE, FALSE, sizeof (Cause));
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, counts);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      Cause c = { k, *(double *) v };
      g_array_append_val (causes, c);
    }
  g_array_sort (causes, by_count);
  FILE *f = dat_create (ctx, "failures.dat", error);
  if (f == NULL)
    return FALSE;
  double total = 0;
  for (guint i = 0; i < causes->len; i++)
    {
      const Cause *c = &g_array_index (causes, Cause, i);
      g_autoptr (GString) label = g_string_new (NULL);
      put_str (label, c->cause);
      fprintf (f, "%u %s", i, label->str);
      put_num (f, c->count);
      fputc ('\n', f);
      total += c->count;
    }
  if (!dat_close (f, "failures.dat", error))
    return FALSE;
  char title[160];
  g_snprintf (title, sizeof title, "Failures by cause (%.0f in all)", total);
  var_str (vars, "data", "failures.dat");
  var_str (vars, "title", title);
  var_int (vars, "ncauses", causes->len);
  return TRUE;
}

/* ---- (f) sweep: measures over the first swept axis ---- */

/* The measures drawn, in panels, when sweep.csv has them. */
static const struct
{
  const char *column, *title;
  gboolean from_zero; /* a duration: its axis starts at 0; else a moment */
} sweep_measures[] = {
  { "end_to_end_s", "image end to end (mean)", TRUE },
  { "wait_s", "copy wait for a slot (mean)", TRUE },
  { "last_copy_s", "last copy done (mean)", FALSE },
};

static void
string_free (gpointer s)
{
  g_string_free (s, TRUE);
}

/* The last component of a scenario path: "copies_per_account_region". */
static const char *
path_leaf (const char *path)
{
  const char *dot = strrchr (path, '.');
  return dot ? dot + 1 : path;
}

static gboolean
prep_sweep (Ctx *ctx, GString *vars, char **why, GError **error)
{
  g_autoptr (Csv) csv = csv_open (ctx->dir, "sweep.csv", why, error);
  if (csv == NULL)
    return FALSE;
  int reps = csv_col (csv, "replications");
  if (reps <= 0)
    {
      *why = g_strdup (reps < 0 ? "sweep.csv has no column replications"
                                : "sweep.csv names no swept axis");
      return FALSE;
    }
  int mcol[G_N_ELEMENTS (sweep_measures)][3];
  double ymax[G_N_ELEMENTS (sweep_measures)] = { 0 };
  double ymin[G_N_ELEMENTS (sweep_measures)];
  guint which[G_N_ELEMENTS (sweep_measures)]; /* index in sweep_measures */
  guint nm = 0;
  g_autoptr (GString) titles = g_string_new (NULL);
  for (guint m = 0; m < G_N_ELEMENTS (sweep_measures); m++)
    {
      const char *name = sweep_measures[m].column;
      g_autofree char *lo = g_strconcat (name, "_ci_low", NULL);
      g_autofree char *hi = g_strconcat (name, "_ci_high", NULL);
      int c = csv_col (csv, name);
      if (c < 0)
        continue;
      which[nm] = m;
      ymin[nm] = G_MAXDOUBLE;
      mcol[nm][0] = c;
      mcol[nm][1] = csv_col (csv, lo);
      mcol[nm][2] = csv_col (csv, hi);
      if (titles->len)
        g_string_append_c (titles, ' ');
      put_str (titles, sweep_measures[m].title);
      nm++;
    }
  if (nm == 0)
    {
      *why = g_strdup ("sweep.csv has none of end_to_end_s, wait_s, last_copy_s");
      return FALSE;
    }

  /* One curve per combination of the other axes' values; x positions are
   * the first axis's distinct values in the order met (they may be words,
   * durations or numbers; the ticks name them). */
  g_autoptr (GHashTable) xpos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) group_rows = g_ptr_array_new_with_free_func (string_free);
  g_autoptr (GPtrArray) group_names = g_ptr_array_new_with_free_func (g_free);
  gboolean numeric = TRUE;
  double xmin = G_MAXDOUBLE, xmax = -G_MAXDOUBLE;
  gboolean any_ci = FALSE; /* interval cells are empty with one replication */
  guint points = 0;
  while (csv_next (csv))
    {
      const char *x = csv_get (csv, 0);
      double xv;
      if (parse_num (x, &xv))
        xmin = MIN (xmin, xv), xmax = MAX (xmax, xv);
      else
        numeric = FALSE;
      gpointer pos;
      if (!g_hash_table_lookup_extended (xpos, x, NULL, &pos))
        {
          pos = GUINT_TO_POINTER (g_hash_table_size (xpos));
          g_hash_table_insert (xpos, g_strdup (x), pos);
        }
      g_autoptr (GString) gname = g_string_new (NULL);
      for (int a = 1; a < reps; a++)
        g_string_append_printf (gname, "%s%s=%s", a > 1 ? ", " : "", path_leaf (csv->header[a]),
                                csv_get (csv, a));
      gpointer gi;
      if (!g_hash_table_lookup_extended (groups, gname->str, NULL, &gi))
        {
          gi = GUINT_TO_POINTER (group_rows->len);
          g_hash_table_insert (groups, g_strdup (gname->str), gi);
          g_ptr_array_add (group_rows, g_string_new (NULL));
          g_ptr_array_add (group_names, g_strdup (gname->str));
        }
      /* pos value "label": the script takes the value on a log axis, else
       * the position. */
      GString *rows = group_rows->pdata[GPOINTER_TO_UINT (gi)];
      char xbuf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (rows, "%u %s ", GPOINTER_TO_UINT (pos),
                              parse_num (x, &xv) ? g_ascii_formatd (xbuf, sizeof xbuf, "%.10g", xv)
                                                 : "NaN");
      put_str (rows, x);
      for (guint m = 0; m < nm; m++)
        {
          double mean = csv_num (csv, mcol[m][0], NAN);
          double lo = csv_num (csv, mcol[m][1], mean), hi = csv_num (csv, mcol[m][2], mean);
          any_ci = any_ci || *csv_get (csv, mcol[m][1]) != '\0';
          char buf[3][G_ASCII_DTOSTR_BUF_SIZE];
          double v[3] = { mean, lo, hi };
          for (guint j = 0; j < 3; j++)
            {
              g_string_append_c (rows, ' ');
              g_string_append (rows, v[j] == v[j] ? g_ascii_formatd (buf[j], sizeof buf[j],
                                                                     "%.10g", v[j])
                                                  : "NaN");
              if (v[j] == v[j])
                ymax[m] = MAX (ymax[m], v[j]), ymin[m] = MIN (ymin[m], v[j]);
            }
        }
      g_string_append_c (rows, '\n');
      points++;
    }
  if (points == 0)
    {
      *why = g_strdup ("sweep.csv has no rows");
      return FALSE;
    }

  /* Numbers spread over a decade or more read best on a log axis. */
  gboolean xlog = numeric && xmin > 0 && xmax / xmin >= 10;
  FILE *f = dat_create (ctx, "sweep.dat", error);
  if (f == NULL)
    return FALSE;
  for (guint g = 0; g < group_rows->len; g++)
    {
      if (g > 0)
        fputs ("\n\n", f);
      g_autoptr (GString) head = g_string_new (NULL);
      put_str (head, group_names->pdata[g]);
      fprintf (f, "%s\n", head->str);
      fputs (((GString *) group_rows->pdata[g])->str, f);
    }
  if (!dat_close (f, "sweep.dat", error))
    return FALSE;

  g_autofree char *title
    = g_strdup_printf ("Sweep over %s (%u points; %s)", csv->header[0], points,
                       any_ci ? "bars: 95% intervals of the mean" : "one replication: no intervals");
  var_str (vars, "data", "sweep.dat");
  var_str (vars, "title", title);
  var_str (vars, "xname", path_leaf (csv->header[0]));
  var_int (vars, "xlog", xlog);
  var_int (vars, "ngroups", group_rows->len);
  var_int (vars, "nm", nm);
  var_str (vars, "mtitles", titles->str);
  /* Each panel's unit and y range (set here: gnuplot warns on a range of
   * one value): from 0 for durations, around the values for moments. */
  g_autoptr (GString) scales = g_string_new (NULL), units = g_string_new (NULL),
                      lows = g_string_new (NULL), highs = g_string_new (NULL);
  for (guint m = 0; m < nm; m++)
    {
      double scale, lo = 0, hi = ymax[m] > 0 ? ymax[m] * 1.1 : 1;
      const char *unit;
      time_unit (ymax[m], &scale, &unit);
      if (!sweep_measures[which[m]].from_zero && ymin[m] <= ymax[m])
        {
          double pad = ymax[m] > ymin[m] ? 0.15 * (ymax[m] - ymin[m]) : scale;
          lo = MAX (0, ymin[m] - pad), hi = ymax[m] + pad;
        }
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      const char *sep = m ? " " : "";
      g_string_append_printf (scales, "%s%s", sep, g_ascii_formatd (buf, sizeof buf, "%.10g", scale));
      g_string_append_printf (units, "%s%s", sep, unit);
      g_string_append_printf (lows, "%s%s", sep, g_ascii_formatd (buf, sizeof buf, "%.10g", lo));
      g_string_append_printf (highs, "%s%s", sep, g_ascii_formatd (buf, sizeof buf, "%.10g", hi));
    }
  var_str (vars, "tscales", scales->str);
  var_str (vars, "tunits", units->str);
  var_str (vars, "ylows", lows->str);
  var_str (vars, "yhighs", highs->str);
  return TRUE;
}

/* ---- rendering and publishing ---- */

typedef struct
{
  const char *name; /* plots/NAME.gp draws OUTDIR/plots/NAME.{png,svg} */
  gboolean sweep;   /* a sweep's plot (sweep.csv), else a run's (summary.json) */
  gboolean (*prepare) (Ctx *ctx, GString *vars, char **why, GError **error);
} Plot;

static const Plot plots[] = {
  { "copies-timeline", FALSE, prep_timeline },
  { "pool-queues", FALSE, prep_queues },
  { "completion-cdf", FALSE, prep_cdf },
  { "failures", FALSE, prep_failures },
  { "storage", FALSE, prep_storage },
  { "sweep", TRUE, prep_sweep },
};

/* Where the scripts are: $AMISIM_PLOTS_DIR, else the source tree's plots/,
 * else the installed copy. NULL with a message when none holds them. */
static char *
find_scripts (GError **error)
{
  const char *env = g_getenv ("AMISIM_PLOTS_DIR");
  if (env != NULL && *env != '\0')
    {
      if (g_file_test (env, G_FILE_TEST_IS_DIR))
        return g_strdup (env);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "AMISIM_PLOTS_DIR=%s is not a folder of gnuplot scripts", env);
      return NULL;
    }
  const char *candidates[] = { AMS_PLOTS_SOURCE_DIR, AMS_PLOTS_INSTALL_DIR };
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *probe = g_build_filename (candidates[i], "storage.gp", NULL);
      if (g_file_test (probe, G_FILE_TEST_IS_REGULAR))
        return g_strdup (candidates[i]);
    }
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
               "the gnuplot scripts are in neither %s nor %s; set AMISIM_PLOTS_DIR to the "
               "plots/ folder of amisim's source",
               AMS_PLOTS_SOURCE_DIR, AMS_PLOTS_INSTALL_DIR);
  return NULL;
}

/* Runs gnuplot (argv) in `cwd`, its stdout to /dev/null, its stderr into
 * `err`; the signal handler (report/cleanup.h) kills it, so that it writes
 * nothing once amisim is interrupted. */
static gboolean
spawn_gnuplot (const char *cwd, const char *const *argv, char **err, int *status,
               GError **error)
{
  GPid pid = 0;
  int err_fd = -1;
  sigset_t saved;
  ams_cleanup_block (&saved); /* no signal between the fork and the pid known */
  gboolean ok = g_spawn_async_with_pipes (cwd, (char **) argv, NULL,
                                          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                          ams_cleanup_child_setup, NULL, &pid, NULL, NULL,
                                          &err_fd, error);
  if (ok)
    ams_cleanup_set_child (pid);
  ams_cleanup_unblock (&saved);
  if (!ok)
    return FALSE;
  g_autoptr (GString) text = g_string_new (NULL);
  char buf[4096];
  for (;;)
    {
      ssize_t n = read (err_fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_string_append_len (text, buf, n);
    }
  close (err_fd);
  while (waitpid (pid, status, 0) < 0 && errno == EINTR)
    ;
  ams_cleanup_set_child (0);
  g_spawn_close_pid (pid);
  *err = g_string_free (g_steal_pointer (&text), FALSE);
  return TRUE;
}

/* Runs gnuplot on plots/NAME.gp in the working folder; the picture must
 * come out non-empty. gnuplot's own messages go in the error. */
static gboolean
render (const char *gnuplot, const char *scripts, Ctx *ctx, const char *name,
        const char *vars, const char *fmt, gboolean quiet, GError **error)
{
  g_autofree char *script_name = g_strconcat (name, ".gp", NULL);
  g_autofree char *script = g_build_filename (scripts, script_name, NULL);
  if (!g_file_test (script, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "no gnuplot script %s", script);
      return FALSE;
    }
  g_autofree char *out = g_strdup_printf ("%s.%s", name, fmt);
  g_autofree char *path = g_build_filename (ctx->work, out, NULL);
  g_ptr_array_add (ctx->pictures, ams_temp_track (path, FALSE)); /* before gnuplot makes it */
  g_autoptr (GString) e = g_string_new (vars);
  var_str (e, "out", out);
  var_str (e, "fmt", fmt);
  /* -d: no ~/.gnuplot, so a user's settings cannot change the pictures. */
  const char *argv[] = { gnuplot, "-d", "-e", e->str, script, NULL };
  g_autofree char *err = NULL;
  int status = 0;
  if (!spawn_gnuplot (ctx->work, argv, &err, &status, error))
    return FALSE;
  g_strchomp (err);
  g_autoptr (GError) wait_error = NULL;
  if (!g_spawn_check_wait_status (status, &wait_error))
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "gnuplot failed on %s (%s)%s%s",
                   script, wait_error->message, *err ? ":\n" : "", err);
      return FALSE;
    }
  GStatBuf st;
  if (g_stat (path, &st) != 0 || st.st_size == 0)
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "gnuplot wrote no %s from %s%s%s",
                   out, script, *err ? ":\n" : "", err);
      return FALSE;
    }
  if (*err && !quiet)
    fprintf (stderr, "amisim plot: gnuplot on %s said:\n%s\n", script, err);
  return TRUE;
}

/* Removes a folder and what it holds (one level of files; amisim writes no
 * deeper), best effort. */
static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d != NULL)
    for (const char *n = g_dir_read_name (d); n != NULL; n = g_dir_read_name (d))
      {
        g_autofree char *p = g_build_filename (dir, n, NULL);
        if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
          remove_tree (p);
        else
          g_unlink (p);
      }
  g_rmdir (dir);
}

/* Puts the rendered folder in place of OUTDIR/plots, with the signals
 * blocked: the old one is moved aside first and removed only once the new
 * one is in place; then the folder's manifest lists plots/ (so that the
 * next run written there retires these pictures with its own outputs). */
static gboolean
publish (const char *work, const char *final, const char *dir, AmsManifestEdit *manifest,
         GError **error)
{
  g_autofree char *old = NULL;
  if (g_file_test (final, G_FILE_TEST_EXISTS))
    {
      if (!g_file_test (final, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                       "%s exists and is not a folder; remove it or move it away", final);
          return FALSE;
        }
      g_autofree char *name = g_strdup_printf (".plots-old.tmp-%d", (int) getpid ());
      old = g_build_filename (dir, name, NULL);
      if (g_rename (final, old) != 0)
        {
          int err = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                       "cannot replace %s: %s", final, g_strerror (err));
          return FALSE;
        }
    }
  if (g_rename (work, final) != 0)
    {
      int err = errno;
      if (old != NULL)
        g_rename (old, final);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err), "cannot create %s: %s",
                   final, g_strerror (err));
      return FALSE;
    }
  if (old != NULL)
    remove_tree (old);
  g_autoptr (GError) listed = NULL;
  if (manifest != NULL && !ams_outdir_manifest_commit (manifest, &listed))
    fprintf (stderr, "amisim plot: %s (the plots are in place, but the next run into %s will "
                     "not replace them)\n", listed->message, dir);
  return TRUE;
}

/* Removes what plot made in OUTDIR: the pictures and data files, then the
 * working folder. */
static void
discard (Ctx *ctx, AmsTemp *work)
{
  for (guint i = ctx->pictures->len; i-- > 0;)
    ams_temp_remove (ctx->pictures->pdata[i]);
  g_ptr_array_set_size (ctx->pictures, 0);
  for (guint i = ctx->data->len; i-- > 0;)
    ams_temp_remove (ctx->data->pdata[i]);
  g_ptr_array_set_size (ctx->data, 0);
  remove_tree (ams_temp_path (work)); /* anything gnuplot left besides */
  ams_temp_remove (work);
}

int
ams_cli_plot (const AmsPlotOptions *opt)
{
  g_return_val_if_fail (opt != NULL && opt->dir != NULL, AMS_EXIT_BAD_INPUT);
  const char *dir = opt->dir;
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      fprintf (stderr, "amisim plot: %s: %s\n", dir,
               g_file_test (dir, G_FILE_TEST_EXISTS)
                 ? "not a folder; give the folder of amisim run --out DIR"
                 : "no such folder; write one with amisim run --out DIR");
      return AMS_EXIT_BAD_INPUT;
    }
  g_autofree char *summary = g_build_filename (dir, "summary.json", NULL);
  g_autofree char *sweep = g_build_filename (dir, "sweep.csv", NULL);
  gboolean is_sweep = g_file_test (sweep, G_FILE_TEST_IS_REGULAR);
  gboolean is_run = g_file_test (summary, G_FILE_TEST_IS_REGULAR) && !is_sweep;
  /* A sweep writes summary.json too; a run's CSV files say it is a run's. */
  static const char *const run_files[] = { "images.csv", "copies.csv", "timeseries.csv",
                                           "failures.csv" };
  for (guint i = 0; i < G_N_ELEMENTS (run_files) && !is_run; i++)
    {
      g_autofree char *path = g_build_filename (dir, run_files[i], NULL);
      is_run = g_file_test (path, G_FILE_TEST_IS_REGULAR);
    }
  if (!is_run && !is_sweep)
    {
      fprintf (stderr,
               "amisim plot: %s is not the output of a run: it has neither summary.json nor "
               "sweep.csv (write one with amisim run --out DIR or amisim sweep --out DIR)\n",
               dir);
      return AMS_EXIT_BAD_INPUT;
    }

  g_autofree char *gnuplot = g_find_program_in_path ("gnuplot");
  if (gnuplot == NULL)
    {
      fputs ("amisim plot: gnuplot not found; run tools/bootstrap\n", stderr);
      return AMS_EXIT_FAILURE;
    }
  g_autoptr (GError) error = NULL;
  g_autofree char *scripts = find_scripts (&error);
  if (scripts == NULL)
    {
      fprintf (stderr, "amisim plot: %s\n", error->message);
      return AMS_EXIT_FAILURE;
    }

  /* Inside OUTDIR, so that the final rename stays on one file system;
   * registered with the signal handler, as is everything made in it. */
  g_autofree char *work_name = g_strdup_printf (".plots.tmp-%d", (int) getpid ());
  g_autofree char *work_path = g_build_filename (dir, work_name, NULL);
  AmsTemp *work = ams_temp_create_folder (work_path);
  if (work == NULL)
    {
      int err = errno;
      fprintf (stderr, "amisim plot: cannot create a folder in %s: %s\n", dir, g_strerror (err));
      return AMS_EXIT_FAILURE;
    }
  g_autoptr (GPtrArray) data = g_ptr_array_new ();
  g_autoptr (GPtrArray) pictures = g_ptr_array_new ();
  Ctx ctx = { .dir = dir, .work = work_path, .data = data, .pictures = pictures };
  AmsPlotFormat formats = opt->formats ? opt->formats : AMS_PLOT_BOTH;
  const char *fmts[] = { "png", "svg" };
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  int status = AMS_EXIT_OK;

  for (guint i = 0; i < G_N_ELEMENTS (plots) && status == AMS_EXIT_OK; i++)
    {
      /* A run's folder says nothing of the sweep plot, and the other way. */
      if (plots[i].sweep ? !is_sweep : !is_run)
        continue;
      g_autoptr (GString) vars = g_string_new (NULL);
      g_autofree char *why = NULL;
      if (!plots[i].prepare (&ctx, vars, &why, &error))
        {
          if (error != NULL)
            {
              fprintf (stderr, "amisim plot: %s\n", error->message);
              status = AMS_EXIT_FAILURE;
            }
          else if (!opt->quiet)
            fprintf (stderr, "amisim plot: skipped %s: %s\n", plots[i].name, why);
          continue;
        }
      for (guint k = 0; k < G_N_ELEMENTS (fmts) && status == AMS_EXIT_OK; k++)
        {
          if (!(formats & (1u << k)))
            continue;
          if (!render (gnuplot, scripts, &ctx, plots[i].name, vars->str, fmts[k], opt->quiet,
                       &error))
            {
              fprintf (stderr, "amisim plot: %s\n", error->message);
              status = AMS_EXIT_FAILURE;
            }
          else
            g_ptr_array_add (written, g_strdup_printf ("%s.%s", plots[i].name, fmts[k]));
        }
    }
  for (guint i = data->len; i-- > 0;)
    ams_temp_remove (data->pdata[i]);
  g_ptr_array_set_size (data, 0);

  g_autofree char *final = g_build_filename (dir, "plots", NULL);
  if (status == AMS_EXIT_OK && written->len == 0)
    {
      fprintf (stderr, "amisim plot: nothing to plot in %s; %s left as it was\n", dir, final);
      discard (&ctx, work);
      return AMS_EXIT_OK;
    }
  g_autoptr (AmsManifestEdit) manifest = NULL;
  if (status == AMS_EXIT_OK)
    {
      manifest = ams_outdir_manifest_add (dir, "plots/", &error);
      if (manifest == NULL && error != NULL)
        {
          fprintf (stderr, "amisim plot: %s\n", error->message);
          status = AMS_EXIT_FAILURE;
        }
    }
  sigset_t saved;
  ams_cleanup_block (&saved);
  gboolean published = status == AMS_EXIT_OK && publish (work_path, final, dir, manifest, &error);
  if (published)
    {
      for (guint i = 0; i < pictures->len; i++)
        ams_temp_release (pictures->pdata[i]);
      g_ptr_array_set_size (pictures, 0);
      ams_temp_release (work);
    }
  ams_cleanup_unblock (&saved);
  if (!published)
    {
      if (status == AMS_EXIT_OK)
        fprintf (stderr, "amisim plot: %s\n", error->message);
      discard (&ctx, work);
      return AMS_EXIT_FAILURE;
    }
  if (!opt->quiet)
    for (guint i = 0; i < written->len; i++)
      {
        g_autofree char *p = g_build_filename (final, written->pdata[i], NULL);
        ams_cli_printf ("%s\n", p);
      }
  return ams_cli_stdout_ok () ? AMS_EXIT_OK : AMS_EXIT_FAILURE;
}

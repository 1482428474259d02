/* The CSV outputs (SCENARIO.md §3): images.csv, copies.csv,
 * timeseries.csv and lifecycle.csv streamed while the run goes (one row per
 * image, per copy, per change of a pool or of its storage, per lifecycle
 * action on a resource), pools.csv, failures.csv and storage.csv at the end.
 *
 * Times are seconds since the simulation start, with microsecond
 * precision (the kernel's tick), so rows are exact and byte-identical for
 * the same scenario and seed; each time column X_s has a companion X_at,
 * the same instant in ISO 8601 UTC (milliseconds), empty where X_s is.
 * Account ids are always quoted ("000000000042" is a string, not a
 * number). timeseries.csv stops at a row limit (a year-long run changes its
 * pools millions of times); the summary says when it did. The columns are
 * those of docs/outputs.md (tests/report/test_outputs_doc.c holds the two
 * together). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "amisim/report.h"
#include "report/aggregate.h"
#include "report/json.h"

struct AmsCsvRecorder
{
  FILE *images;
  FILE *copies;
  FILE *timeseries;
  FILE *lifecycle;
  AmsTime start; /* µs since the Unix epoch: the clock at time 0 */
  guint max_rows;
  guint rows;
  gboolean truncated;
};

/* A field that may need quoting (names with commas or quotes). */
static void
field (FILE *f, const char *s)
{
  if (s == NULL)
    return;
  if (strpbrk (s, ",\"\n") == NULL)
    {
      fputs (s, f);
      return;
    }
  fputc ('"', f);
  for (const char *p = s; *p; p++)
    {
      if (*p == '"')
        fputc ('"', f);
      fputc (*p, f);
    }
  fputc ('"', f);
}

/* An account id: always quoted (RFC 4180), so that it reads as the string
 * it is ("000000000042", not 42). */
static void
account (FILE *f, const char *s)
{
  fputc ('"', f);
  for (const char *p = s != NULL ? s : ""; *p; p++)
    {
      if (*p == '"')
        fputc ('"', f);
      fputc (*p, f);
    }
  fputc ('"', f);
}

/* Seconds with microseconds, or nothing for "never". */
static void
seconds (FILE *f, AmsTime t)
{
  if (t == AMS_TIME_NEVER)
    return;
  fprintf (f, "%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT, t / AMS_TICKS_PER_SECOND,
           t % AMS_TICKS_PER_SECOND);
}

/* A time: seconds since the start, a comma, the instant in ISO 8601 UTC
 * (both empty for "never"). */
static void
instant (FILE *f, AmsTime start, AmsTime t)
{
  char iso[AMS_ISO_TIME_LEN];
  seconds (f, t);
  fputc (',', f);
  fputs (ams_iso_time (iso, start, t), f);
}

/* A double with `decimals` fixed decimals (0-9), the same bytes whatever the
 * locale; never "-0.000". */
static void
fixed (FILE *f, double v, guint decimals)
{
  char fmt[8], buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_snprintf (fmt, sizeof fmt, "%%.%uf", MIN (decimals, 9u));
  g_ascii_formatd (buf, sizeof buf, fmt, v);
  const char *s = buf;
  if (*s == '-' && strspn (s + 1, "0.") == strlen (s + 1))
    s++;
  fputs (s, f);
}

/* %.10g as in summary.json, the same bytes whatever the locale. */
static const char *
general (char buf[G_ASCII_DTOSTR_BUF_SIZE], double v)
{
  return g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.10g", v == 0.0 ? 0.0 : v);
}

static void
on_image (void *user, const AmsImageRecord *r)
{
  AmsCsvRecorder *c = user;
  FILE *f = c->images;
  field (f, r->pipeline);
  fputc (',', f);
  field (f, r->recipe);
  fputc (',', f);
  field (f, r->version);
  fputc (',', f);
  instant (f, c->start, r->start);
  fputc (',', f);
  instant (f, c->start, r->built);
  fputc (',', f);
  instant (f, c->start, r->end);
  fprintf (f, ",%s,%s,%u,%u,", r->outcome == AMS_IMAGE_AVAILABLE ? "AVAILABLE" : "FAILED",
           r->cause == AMS_CAUSE_NONE ? "" : ams_cause_name (r->cause), r->outputs,
           r->failed_outputs);
  /* the supply chain: what started it, the new version it uses, its ripple,
   * why it was refused (empty when none) */
  field (f, r->trigger);
  fputc (',', f);
  field (f, r->upstream);
  fputc (',', f);
  field (f, r->ripple);
  fputc (',', f);
  field (f, r->message);
  fputc ('\n', f);
}

static void
on_copy (void *user, const AmsCopyRecord *r)
{
  AmsCsvRecorder *c = user;
  FILE *f = c->copies;
  field (f, r->pipeline);
  fputc (',', f);
  field (f, r->version);
  fprintf (f, ",%s,%s,", r->source_region, r->region);
  account (f, r->account);
  fputc (',', f);
  instant (f, c->start, r->requested);
  fputc (',', f);
  instant (f, c->start, r->started);
  fputc (',', f);
  instant (f, c->start, r->ended);
  fputc (',', f);
  if (r->started != AMS_TIME_NEVER)
    {
      seconds (f, r->started - r->requested);
      fputc (',', f);
      seconds (f, r->ended - r->started);
    }
  else
    {
      seconds (f, r->ended - r->requested);
      fputc (',', f);
    }
  fprintf (f, ",%s,%s,%s,", r->ok ? "succeeded" : "failed",
           r->ok ? "" : ams_cause_name (r->cause), r->ok ? "" : ams_step_name (r->step));
  field (f, r->message);
  fputc ('\n', f);
}

static void
on_pool (void *user, const AmsPoolSample *s)
{
  AmsCsvRecorder *c = user;
  if (c->rows >= c->max_rows)
    {
      c->truncated = TRUE;
      return;
    }
  c->rows++;
  instant (c->timeseries, c->start, s->t);
  fputc (',', c->timeseries);
  account (c->timeseries, s->account);
  fprintf (c->timeseries, ",%s,%u,%u,%u,%u,", s->region, s->busy, s->queued, s->limit,
           s->amis);
  fixed (c->timeseries, s->snapshot_gib, 3);
  fputc ('\n', c->timeseries);
}

static const char *
lc_resource_name (AmsLcResource r)
{
  switch (r)
    {
    case AMS_LC_RESOURCE_IMAGE: return "image";
    case AMS_LC_RESOURCE_AMI: return "ami";
    case AMS_LC_RESOURCE_SNAPSHOT: return "snapshot";
    case AMS_LC_RESOURCE_CONTAINER: return "container";
    case AMS_LC_RESOURCE_POLICY: return "policy";
    }
  return "";
}

static const char *
lc_status_name (AmsLcStatus s)
{
  switch (s)
    {
    case AMS_LC_SUCCESS: return "SUCCESS";
    case AMS_LC_FAILED: return "FAILED";
    case AMS_LC_SKIPPED: return "SKIPPED";
    }
  return "";
}

static void
on_lifecycle (void *user, const AmsLifecycleRecord *r)
{
  AmsCsvRecorder *c = user;
  FILE *f = c->lifecycle;
  instant (f, c->start, r->t);
  fputc (',', f);
  field (f, r->policy);
  fputc (',', f);
  field (f, r->pipeline);
  fputc (',', f);
  field (f, r->version);
  fprintf (f, ",%s,", lc_resource_name (r->resource));
  field (f, r->resource_id);
  fputc (',', f);
  account (f, r->account);
  fputc (',', f);
  field (f, r->region);
  fputc (',', f);
  field (f, r->action);
  /* the cause code (snake_case, docs/causes.md) apart from the prose: a
   * failure of a cause gives its name as the reason, said once */
  const char *cause = r->cause != AMS_CAUSE_NONE ? ams_cause_name (r->cause) : "";
  const char *message = r->reason != NULL ? r->reason : "";
  if (strcmp (message, cause) == 0)
    message = "";
  fprintf (f, ",%s,%s,", lc_status_name (r->status), cause);
  field (f, message);
  fputc ('\n', f);
}

AmsCsvRecorder *
ams_csv_recorder_new (FILE *images, FILE *copies, FILE *timeseries, FILE *lifecycle,
                      guint max_rows)
{
  AmsCsvRecorder *c = g_new0 (AmsCsvRecorder, 1);
  c->images = images;
  c->copies = copies;
  c->timeseries = timeseries;
  c->lifecycle = lifecycle;
  c->max_rows = max_rows;
  if (images != NULL)
    fputs ("pipeline,recipe,version,start_s,start_at,built_s,built_at,end_s,end_at,status,cause,"
           "outputs,failed_outputs,trigger,upstream,ripple,message\n", images);
  if (copies != NULL)
    fputs ("pipeline,version,source_region,region,account,requested_s,requested_at,started_s,"
           "started_at,ended_s,ended_at,wait_s,transfer_s,outcome,cause,step,message\n", copies);
  if (timeseries != NULL)
    fputs ("t_s,t_at,account,region,busy,queued,limit,amis,snapshot_gib\n", timeseries);
  if (lifecycle != NULL)
    fputs ("t_s,t_at,policy,pipeline,version,resource,resource_id,account,region,action,status,"
           "cause,message\n", lifecycle);
  return c;
}

void
ams_csv_recorder_set_start (AmsCsvRecorder *c, AmsTime start)
{
  c->start = start;
}

void
ams_csv_recorder_free (AmsCsvRecorder *c)
{
  g_free (c);
}

void
ams_csv_recorder_bind (AmsCsvRecorder *c, AmsRecorder *out)
{
  out->image = c->images != NULL ? on_image : NULL;
  out->copy = c->copies != NULL ? on_copy : NULL;
  out->pool = c->timeseries != NULL ? on_pool : NULL;
  out->lifecycle = c->lifecycle != NULL ? on_lifecycle : NULL;
  out->user = c;
}

gboolean
ams_csv_recorder_truncated (const AmsCsvRecorder *c)
{
  return c->truncated;
}

void
ams_csv_pools (FILE *out, const AmsResults *r)
{
  fputs ("account,region,limit,copies,waited,utilization,busy_mean,busy_max,queue_mean,"
         "queue_max,at_limit_s,at_limit,wait_max_s\n", out);
  for (guint i = 0; i < r->pools->len; i++)
    {
      const AmsPoolReport *p = &g_array_index (r->pools, AmsPoolReport, i);
      char u[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE], q[G_ASCII_DTOSTR_BUF_SIZE];
      char ls[G_ASCII_DTOSTR_BUF_SIZE], lf[G_ASCII_DTOSTR_BUF_SIZE], w[G_ASCII_DTOSTR_BUF_SIZE];
      account (out, p->account);
      fprintf (out, ",%s,%u,%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%s,%s,%u,%s,%u,%s,%s,%s\n",
               p->region, p->limit, (guint64) p->copies, (guint64) p->waited,
               g_ascii_formatd (u, sizeof u, "%.10g", p->utilization),
               g_ascii_formatd (b, sizeof b, "%.10g", p->busy_mean), p->busy_max,
               g_ascii_formatd (q, sizeof q, "%.10g", p->queue_mean), p->queue_max,
               g_ascii_formatd (ls, sizeof ls, "%.10g", p->at_limit_s),
               g_ascii_formatd (lf, sizeof lf, "%.10g", p->at_limit),
               g_ascii_formatd (w, sizeof w, "%.10g", p->wait_max_s));
    }
}

void
ams_csv_failures (FILE *out, const AmsResults *r)
{
  fputs ("cause,region,account,count\n", out);
  for (guint i = 0; i < r->failures->len; i++)
    {
      const AmsFailureCount *f = &g_array_index (r->failures, AmsFailureCount, i);
      fprintf (out, "%s,%s,", ams_cause_name (f->cause), f->region);
      account (out, f->account);
      fprintf (out, ",%" G_GUINT64_FORMAT "\n", (guint64) f->count);
    }
}

void
ams_csv_storage (FILE *out, const AmsResults *r)
{
  fputs ("account,region,amis,amis_max,snapshot_gib,gib_months\n", out);
  for (guint i = 0; r->storage != NULL && i < r->storage->len; i++)
    {
      const AmsStorageReport *s = &g_array_index (r->storage, AmsStorageReport, i);
      char g[G_ASCII_DTOSTR_BUF_SIZE], m[G_ASCII_DTOSTR_BUF_SIZE];
      account (out, s->account);
      fputc (',', out);
      field (out, s->region);
      fprintf (out, ",%u,%u,%s,%s\n", s->amis, s->amis_max, general (g, s->gib),
               general (m, s->gib_months));
    }
}

/* ---- the same over replications: means in the same columns ---- */

/* A mean for a CSV cell: %.10g, or nothing when there is none. */
static void
mean_cell (FILE *f, const AmsAgg *a)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (!isnan (a->mean))
    fputs (general (buf, a->mean), f);
}

void
ams_csv_pools_n (FILE *out, const AmsResults *const *r, guint n)
{
  if (n == 1)
    {
      ams_csv_pools (out, r[0]);
      return;
    }
  fputs ("account,region,limit,copies,waited,utilization,busy_mean,busy_max,queue_mean,"
         "queue_max,at_limit_s,at_limit,wait_max_s\n", out);
  g_autoptr (GArray) pools = ams_agg_pools (r, n);
  for (guint i = 0; i < pools->len; i++)
    {
      const AmsAggPool *p = &g_array_index (pools, AmsAggPool, i);
      const AmsAgg *cells[] = { &p->copies, &p->waited, &p->utilization, &p->busy_mean,
                                &p->busy_max, &p->queue_mean, &p->queue_max, &p->at_limit_s,
                                &p->at_limit, &p->wait_max_s };
      account (out, p->account);
      fputc (',', out);
      field (out, p->region);
      fprintf (out, ",%u", p->limit);
      for (guint k = 0; k < G_N_ELEMENTS (cells); k++)
        {
          fputc (',', out);
          mean_cell (out, cells[k]);
        }
      fputc ('\n', out);
    }
}

void
ams_csv_failures_n (FILE *out, const AmsResults *const *r, guint n)
{
  if (n == 1)
    {
      ams_csv_failures (out, r[0]);
      return;
    }
  fputs ("cause,region,account,count\n", out);
  g_autoptr (GArray) failures = ams_agg_failures (r, n);
  for (guint i = 0; i < failures->len; i++)
    {
      const AmsAggFailure *f = &g_array_index (failures, AmsAggFailure, i);
      fprintf (out, "%s,", ams_cause_name (f->cause));
      field (out, f->region);
      fputc (',', out);
      account (out, f->account);
      fputc (',', out);
      mean_cell (out, &f->count);
      fputc ('\n', out);
    }
}

void
ams_csv_storage_n (FILE *out, const AmsResults *const *r, guint n)
{
  if (n == 1)
    {
      ams_csv_storage (out, r[0]);
      return;
    }
  fputs ("account,region,amis,amis_max,snapshot_gib,gib_months\n", out);
  g_autoptr (GArray) places = ams_agg_storage (r, n);
  for (guint i = 0; i < places->len; i++)
    {
      const AmsAggStorage *s = &g_array_index (places, AmsAggStorage, i);
      const AmsAgg *cells[] = { &s->amis, &s->amis_max, &s->gib, &s->gib_months };
      account (out, s->account);
      fputc (',', out);
      field (out, s->region);
      for (guint k = 0; k < G_N_ELEMENTS (cells); k++)
        {
          fputc (',', out);
          mean_cell (out, cells[k]);
        }
      fputc ('\n', out);
    }
}

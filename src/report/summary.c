/* summary.json: the machine-readable result of a run (SCENARIO.md §3).
 *
 * Field names are part of the contract; new fields may be added, none may be
 * renamed. Pools are listed in (account, region) order so that the file is
 * byte-identical for the same scenario and seed, except for `wall_s`. */
#include "amisim/report.h"
#include "report/json.h"

static void
stat_object (AmsJson *j, const char *key, const AmsStat *st)
{
  AmsStatSummary s;
  ams_stat_summary (st, &s);
  ams_json_begin_object (j, key);
  ams_json_uint (j, "count", s.count);
  ams_json_double (j, "mean", s.mean);
  ams_json_double (j, "sd", s.sd);
  ams_json_double (j, "min", s.min);
  ams_json_double (j, "p50", s.p50);
  ams_json_double (j, "p90", s.p90);
  ams_json_double (j, "p99", s.p99);
  ams_json_double (j, "max", s.max);
  ams_json_end_object (j);
}

GString *
ams_report_summary_json (const AmsResults *r, const AmsRunInfo *info)
{
  GString *out = g_string_sized_new (4096);
  AmsJson j;
  ams_json_init (&j, out);
  ams_json_begin_object (&j, NULL);
  ams_json_string (&j, "amisim_version", PACKAGE_VERSION);
  ams_json_string (&j, "scenario", info->scenario);
  ams_json_string (&j, "scenario_file", info->scenario_file);
  ams_json_uint (&j, "seed", r->seed);
  ams_json_uint (&j, "replications", info->replications);
  ams_json_double (&j, "horizon_s", ams_time_to_s (r->horizon));
  ams_json_double (&j, "simulated_s", ams_time_to_s (r->end));
  ams_json_uint (&j, "events", r->events);
  ams_json_double (&j, "wall_s", info->wall_s);

  ams_json_begin_object (&j, "images");
  ams_json_uint (&j, "started", r->images_started);
  ams_json_uint (&j, "available", r->images_available);
  ams_json_uint (&j, "failed", r->images_failed);
  ams_json_uint (&j, "in_flight", r->images_in_flight);
  ams_json_uint (&j, "runs_skipped", r->runs_skipped);
  stat_object (&j, "build_s", &r->build_s);
  stat_object (&j, "distribution_s", &r->distribution_s);
  stat_object (&j, "end_to_end_s", &r->end_to_end_s);
  ams_json_end_object (&j);

  ams_json_begin_object (&j, "copies");
  ams_json_uint (&j, "requested", r->copies_requested);
  ams_json_uint (&j, "succeeded", r->copies_succeeded);
  ams_json_uint (&j, "failed", r->copies_failed);
  ams_json_uint (&j, "in_flight", r->copies_in_flight);
  ams_json_uint (&j, "waited", r->copies_waited);
  ams_json_double (&j, "p_wait",
                   r->copies_requested > 0
                     ? (double) r->copies_waited / (double) r->copies_requested : 0.0);
  stat_object (&j, "wait_s", &r->wait_s);
  stat_object (&j, "transfer_s", &r->transfer_s);
  stat_object (&j, "total_s", &r->total_s);
  ams_json_end_object (&j);

  ams_json_begin_array (&j, "pools");
  for (guint i = 0; i < r->pools->len; i++)
    {
      const AmsPoolReport *p = &g_array_index (r->pools, AmsPoolReport, i);
      ams_json_begin_object (&j, NULL);
      ams_json_string (&j, "account", p->account);
      ams_json_string (&j, "region", p->region);
      ams_json_uint (&j, "limit", p->limit);
      ams_json_uint (&j, "copies", p->copies);
      ams_json_uint (&j, "waited", p->waited);
      ams_json_double (&j, "utilization", p->utilization);
      ams_json_double (&j, "busy_mean", p->busy_mean);
      ams_json_uint (&j, "busy_max", p->busy_max);
      ams_json_double (&j, "queue_mean", p->queue_mean);
      ams_json_uint (&j, "queue_max", p->queue_max);
      ams_json_end_object (&j);
    }
  ams_json_end_array (&j);
  ams_json_end_object (&j);
  return out;
}

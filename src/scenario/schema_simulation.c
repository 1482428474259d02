/* amisim — scenario loader: simulation (limits, copy model, on_limit, …).
 *
 * The copy limit the simulator centres on is Image Builder's documented 50
 * concurrent AMI copies per destination account and region. The other caps
 * named in the format are off unless set, and setting them comes with a
 * later step; null means off and is accepted. The copy duration default,
 * lognormal(mean=25m, sd=8m), follows users' reports of ~27-30 min per
 * copy; the schedule delay default, uniform(min=0s, max=60s), the
 * documented "a run may start up to about a minute late".
 */
#include "schema.h"

static void
limit_copies (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  guint64 v;
  if (ams_get_uint (c, value, 1, 100000, &v))
    sc->sim.copies_per_account_region = (guint) v;
}

static const AmsField limit_fields[] = {
  { "copies_per_account_region", limit_copies, 0, NULL },
  { "copies_per_region", NULL, AMS_FIELD_NOT_YET, "the EC2-wide copy limits" },
  { "copies_per_source_region", NULL, AMS_FIELD_NOT_YET, "the EC2-wide copy limits" },
  { "snapshot_copies_per_region", NULL, AMS_FIELD_NOT_YET, "the EBS snapshot copy limit" },
  { "concurrent_builds", NULL, AMS_FIELD_NOT_YET, "build quotas" },
  { "lifecycle_state_updates", NULL, AMS_FIELD_NOT_YET, "lifecycle policies" },
  { NULL },
};

static void
sim_limits (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, limit_fields, 0, target);
}

static void
sim_on_limit (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  static const char *const names[] = { "queue", "retry" };
  guint i;
  if (ams_get_enum (c, value, names, G_N_ELEMENTS (names), &i) && i == 1)
    ams_check_not_yet (c, value, "'retry'", "it comes with the retry client mode",
                       "use on_limit: queue");
}

static void
copy_model (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  static const char *const names[] = { "duration", "bandwidth" };
  guint i;
  if (ams_get_enum (c, value, names, G_N_ELEMENTS (names), &i) && i == 1)
    ams_check_not_yet (c, value, "'bandwidth'", "it comes with the bandwidth copy model",
                       "use model: duration");
}

static void
copy_duration (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  ams_get_dist (c, value, &sc->sim.copy_duration);
}

static const AmsField copy_fields[] = {
  { "model", copy_model, 0, NULL },
  { "duration", copy_duration, 0, NULL },
  { "per_copy_throughput", NULL, AMS_FIELD_NOT_YET, "the bandwidth copy model" },
  { "region_pair_throughput", NULL, AMS_FIELD_NOT_YET, "the bandwidth copy model" },
  { "incremental_fraction", NULL, AMS_FIELD_NOT_YET, "the bandwidth copy model" },
  { NULL },
};

static void
sim_copy (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, copy_fields, 0, target);
}

static void
sim_schedule_delay (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  ams_get_dist (c, value, &sc->sim.schedule_delay);
}

static void
sim_drain (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  ams_get_bool (c, value, &sc->sim.drain);
}

static void
sim_encryption_overhead (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  ams_get_dist (c, value, &sc->sim.encryption_overhead);
}

static void
sim_transient (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  ams_get_probability (c, value, &sc->sim.transient_failure_probability);
}

static void
sim_distribution_timeout (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                          gpointer target)
{
  AmsScenario *sc = target;
  AmsTime t;
  if (!ams_get_duration (c, value, &t))
    return;
  /* the service allows 30 to 720 minutes */
  if (t < AMS_MINUTES (30) || t > AMS_MINUTES (720))
    {
      ams_check_error (c, value, "the distribution timeout must be from 30m to 720m (12h), got "
                                 "\"%s\"", value->text);
      return;
    }
  sc->sim.distribution_timeout = t;
}

static void
output_copies (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  ams_get_bool (c, value, &sc->sim.output_copies);
}

static void
output_timeseries_rows (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  guint64 v;
  if (ams_get_uint (c, value, 0, 100000000, &v))
    sc->sim.timeseries_max_rows = (guint) v;
}

static const AmsField output_fields[] = {
  { "copies", output_copies, 0, NULL },
  { "timeseries_max_rows", output_timeseries_rows, 0, NULL },
  { NULL },
};

static void
sim_output (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, output_fields, 0, target);
}

static const AmsField sim_fields[] = {
  { "limits", sim_limits, 0, NULL },
  { "on_limit", sim_on_limit, 0, NULL },
  { "copy", sim_copy, 0, NULL },
  { "schedule_delay", sim_schedule_delay, 0, NULL },
  { "drain", sim_drain, 0, NULL },
  { "retry", NULL, AMS_FIELD_NOT_YET, "the retry client mode" },
  { "encryption_overhead", sim_encryption_overhead, 0, NULL },
  { "transient_failure_probability", sim_transient, 0, NULL },
  { "distribution_timeout", sim_distribution_timeout, 0, NULL },
  { "output", sim_output, 0, NULL },
  { "lifecycle_run_at", NULL, AMS_FIELD_NOT_YET, "lifecycle policies" },
  { "warmup", NULL, AMS_FIELD_NOT_YET, "warm-up periods in the statistics" },
  { NULL },
};

void
ams_schema_simulation (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer sc)
{
  ams_check_mapping (c, value, sim_fields, 0, sc);
}

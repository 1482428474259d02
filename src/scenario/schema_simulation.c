/* amisim — scenario loader: simulation (limits, copy model, on_limit, …).
 *
 * The copy limit the simulator centres on is Image Builder's documented 50
 * concurrent AMI copies per destination account and region, with
 * overrides for some accounts or regions. The other caps named in the
 * format are off unless set (null means off). The copy duration default,
 * lognormal(mean=25m, sd=8m), follows users' reports of ~27-30 min per
 * copy; the schedule delay default, uniform(min=0s, max=60s), the
 * documented "a run may start up to about a minute late". Lifecycle
 * policies run daily at lifecycle_run_at (03:00 UTC unless set; the
 * service picks a time of its own) with at most lifecycle_state_updates
 * (50, the documented quota) resource state updates at once; update_time,
 * fixed(2s), is an assumption. Snapshot storage is priced at the EBS
 * snapshot standard tier, 0.05 USD per GiB-month. A RAM invitation expires
 * when not answered in 7 days (RAM's rule); how long an account takes to
 * accept one, exponential(mean=4h), is an assumption.
 */
#include <math.h>
#include <string.h>

#include "schema.h"

static void
limit_copies (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  guint64 v;
  if (ams_get_uint (c, value, 1, 100000, &v))
    sc->sim.copies_per_account_region = (guint) v;
}

static gboolean
cap (AmsCheck *c, const AmsYNode *value, guint *out)
{
  guint64 v;
  if (!ams_get_uint (c, value, 1, 100000, &v))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

static void
limit_per_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  cap (c, value, &((AmsScenario *) target)->sim.copies_per_region);
}

static void
limit_per_source_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                         gpointer target)
{
  cap (c, value, &((AmsScenario *) target)->sim.copies_per_source_region);
}

static void
limit_snapshots (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  cap (c, value, &((AmsScenario *) target)->sim.snapshot_copies_per_region);
}

static void
limit_amis (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  guint64 v;
  if (ams_get_uint (c, value, 1, 10000000, &v))
    ((AmsScenario *) target)->sim.amis_per_account_region = (guint) v;
}

static void
limit_builds (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  cap (c, value, &((AmsScenario *) target)->sim.concurrent_builds);
}

static void
limit_state_updates (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  cap (c, value, &((AmsScenario *) target)->sim.lifecycle_state_updates);
}

static void
limit_components (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  guint64 v;
  if (ams_get_uint (c, value, 0, 10000000, &v))
    ((AmsScenario *) target)->sim.components_per_account_region = (guint) v;
}

static void
override_account (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScLimitOverride *o = target;
  ams_get_ref (c, value, AMS_PAT_ACCOUNT_ID, &o->account);
}

static void
override_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScLimitOverride *o = target;
  ams_get_ref (c, value, AMS_PAT_REGION, &o->region);
}

static void
override_copies (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  cap (c, value, &((AmsScLimitOverride *) target)->copies);
}

static const AmsField override_fields[] = {
  { "account", override_account, 0, NULL },
  { "region", override_region, 0, NULL },
  { "copies_per_account_region", override_copies, AMS_FIELD_REQUIRED,
    "the limit for these accounts and regions, e.g. copies_per_account_region: 100" },
  { NULL },
};

static void
override_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScenario *sc = target;
  AmsScLimitOverride *o = g_new0 (AmsScLimitOverride, 1);
  ams_check_loc (c, item, &o->loc);
  if (ams_check_mapping (c, item, override_fields, 0, o) && o->account.value == NULL
      && o->region.value == NULL)
    ams_check_error (c, item, "an override names an account, a region or both; for every "
                              "account and region set copies_per_account_region itself");
  if (o->copies == 0 || (o->account.value == NULL && o->region.value == NULL))
    {
      g_free (o);
      return;
    }
  g_ptr_array_add (sc->sim.limit_overrides, o);
}

static void
limit_overrides (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_sequence (c, value, override_item, target);
}

static const AmsField limit_fields[] = {
  { "copies_per_account_region", limit_copies, 0, NULL },
  { "overrides", limit_overrides, 0, NULL },
  { "copies_per_region", limit_per_region, 0, NULL },
  { "copies_per_source_region", limit_per_source_region, 0, NULL },
  { "snapshot_copies_per_region", limit_snapshots, 0, NULL },
  { "concurrent_builds", limit_builds, 0, NULL },
  { "amis_per_account_region", limit_amis, 0, NULL },
  { "lifecycle_state_updates", limit_state_updates, 0, NULL },
  { "components_per_account_region", limit_components, 0, NULL },
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
  if (ams_get_enum (c, value, names, G_N_ELEMENTS (names), &i))
    ((AmsScenario *) target)->sim.on_limit = i == 1 ? AMS_SC_ON_LIMIT_RETRY : AMS_SC_ON_LIMIT_QUEUE;
}

static void
retry_base (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsTime t;
  if (ams_get_duration (c, value, &t))
    {
      if (t <= 0)
        ams_check_error (c, value, "the base delay must be longer than 0s, got \"%s\"", value->text);
      else
        ((AmsScenario *) target)->sim.retry_base = t;
    }
}

static void
retry_max (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsTime t;
  if (ams_get_duration (c, value, &t))
    {
      if (t <= 0)
        ams_check_error (c, value, "the longest delay must be longer than 0s, got \"%s\"",
                         value->text);
      else
        ((AmsScenario *) target)->sim.retry_max = t;
    }
}

static void
retry_attempts (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  guint64 v;
  if (ams_get_uint (c, value, 1, 1000, &v))
    ((AmsScenario *) target)->sim.retry_attempts = (guint) v;
}

static const AmsField retry_fields[] = {
  { "base", retry_base, 0, NULL },
  { "max", retry_max, 0, NULL },
  { "attempts", retry_attempts, 0, NULL },
  { NULL },
};

static void
sim_retry (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  if (ams_check_mapping (c, value, retry_fields, 0, target) && sc->sim.retry_max < sc->sim.retry_base)
    ams_check_error (c, value, "retry.max (the longest delay) is shorter than retry.base");
}

static void
copy_model (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  static const char *const names[] = { "duration", "bandwidth" };
  guint i;
  if (ams_get_enum (c, value, names, G_N_ELEMENTS (names), &i))
    ((AmsScenario *) target)->sim.copy_bandwidth = i == 1;
}

static void
positive_throughput (AmsCheck *c, const AmsYNode *value, double *out)
{
  double v;
  if (!ams_get_throughput (c, value, &v))
    return;
  if (!(v > 0))
    {
      ams_check_error (c, value, "a throughput must be more than 0, got \"%s\"", value->text);
      return;
    }
  *out = v;
}

static void
copy_per_copy (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  positive_throughput (c, value, &((AmsScenario *) target)->sim.per_copy_throughput);
}

static void
copy_region_pair (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  positive_throughput (c, value, &((AmsScenario *) target)->sim.region_pair_throughput);
}

static void
copy_incremental (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_probability (c, value, &((AmsScenario *) target)->sim.incremental_fraction);
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
  { "per_copy_throughput", copy_per_copy, 0, NULL },
  { "region_pair_throughput", copy_region_pair, 0, NULL },
  { "incremental_fraction", copy_incremental, 0, NULL },
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

/* ---- lifecycle ---- */

/* lifecycle_run_at: "HH:MM" (UTC), the time of day lifecycle policies run.
 * A plain 03:00 is a string to this YAML reader, as is "03:00". */
static void
sim_lifecycle_run_at (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  const char *text;
  if (!ams_get_scalar (c, value, "a time of day \"HH:MM\" (UTC)", &text))
    return;
  /* H:MM or HH:MM */
  gsize len = strlen (text);
  const char *colon = strchr (text, ':');
  gsize hours = colon != NULL ? (gsize) (colon - text) : 0;
  gboolean ok = (hours == 1 || hours == 2) && len == hours + 3;
  for (gsize i = 0; ok && i < len; i++)
    ok = text + i == colon || g_ascii_isdigit (text[i]);
  guint h = ok ? (guint) g_ascii_strtoull (text, NULL, 10) : 0;
  guint m = ok ? (guint) g_ascii_strtoull (colon + 1, NULL, 10) : 0;
  if (!ok || h > 23 || m > 59)
    {
      g_autofree char *esc = g_strescape (text, NULL);
      ams_check_error (c, value, "expected a time of day \"HH:MM\" (UTC) from 00:00 to 23:59, "
                                 "got \"%s\"", esc);
      return;
    }
  sc->sim.lifecycle_run_at = AMS_HOURS (h) + AMS_MINUTES (m);
}

static void
lifecycle_enabled (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_bool (c, value, &((AmsScenario *) target)->sim.lifecycle_enabled);
}

static void
lifecycle_compare (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_bool (c, value, &((AmsScenario *) target)->sim.lifecycle_compare);
}

static void
lifecycle_update_time (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_dist (c, value, &((AmsScenario *) target)->sim.lifecycle_update_time);
}

static const AmsField lifecycle_fields[] = {
  { "enabled", lifecycle_enabled, 0, NULL },
  { "compare", lifecycle_compare, 0, NULL },
  { "update_time", lifecycle_update_time, 0, NULL },
  { NULL },
};

static void
sim_lifecycle (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, lifecycle_fields, 0, target);
}

/* ---- storage ---- */

static void
storage_price (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_number (c, value, 0.0, INFINITY, &((AmsScenario *) target)->sim.storage_price);
}

static const AmsField storage_fields[] = {
  { "price_per_gib_month", storage_price, 0, NULL },
  { NULL },
};

static void
sim_storage (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, storage_fields, 0, target);
}

/* ---- RAM ---- */

static void
ram_acceptance_delay (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_dist (c, value, &((AmsScenario *) target)->sim.ram_acceptance_delay);
}

static void
ram_invitation_expiry (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsTime t;
  if (!ams_get_duration (c, value, &t))
    return;
  if (t <= 0)
    {
      ams_check_error (c, value, "an invitation expiry must be longer than 0s, got \"%s\"",
                       value->text);
      return;
    }
  ((AmsScenario *) target)->sim.ram_invitation_expiry = t;
}

static const AmsField ram_fields[] = {
  { "acceptance_delay", ram_acceptance_delay, 0, NULL },
  { "invitation_expiry", ram_invitation_expiry, 0, NULL },
  { NULL },
};

static void
sim_ram (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, ram_fields, 0, target);
}

/* ---- warm-up ---- */

static void
sim_warmup (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  if (ams_get_duration (c, value, &sc->sim.warmup))
    ams_check_loc (c, value, &sc->sim.warmup_loc);
}

static const AmsField sim_fields[] = {
  { "limits", sim_limits, 0, NULL },
  { "on_limit", sim_on_limit, 0, NULL },
  { "copy", sim_copy, 0, NULL },
  { "schedule_delay", sim_schedule_delay, 0, NULL },
  { "drain", sim_drain, 0, NULL },
  { "retry", sim_retry, 0, NULL },
  { "encryption_overhead", sim_encryption_overhead, 0, NULL },
  { "transient_failure_probability", sim_transient, 0, NULL },
  { "distribution_timeout", sim_distribution_timeout, 0, NULL },
  { "output", sim_output, 0, NULL },
  { "lifecycle_run_at", sim_lifecycle_run_at, 0, NULL },
  { "lifecycle", sim_lifecycle, 0, NULL },
  { "storage", sim_storage, 0, NULL },
  { "warmup", sim_warmup, 0, NULL },
  { "ram", sim_ram, 0, NULL },
  { NULL },
};

void
ams_schema_simulation (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer sc)
{
  ams_check_mapping (c, value, sim_fields, 0, sc);
}

void
ams_schema_resolve_simulation (AmsCheck *c, AmsScenario *sc)
{
  /* the horizon may be written after simulation:, or come from --horizon */
  if (sc->sim.warmup > 0 && sc->horizon > 0 && sc->sim.warmup >= sc->horizon)
    {
      g_autofree char *w = ams_format_duration (sc->sim.warmup);
      g_autofree char *h = ams_format_duration (sc->horizon);
      ams_check_error_at (c, &sc->sim.warmup_loc,
                          "the warm-up (%s) must be shorter than the horizon (%s): statistics "
                          "are gathered from the warm-up to the horizon", w, h);
    }
}

const AmsSchemaTable *
ams_schema_simulation_tables (void)
{
  static const AmsSchemaTable tables[] = {
    AMS_SCHEMA_TABLE ("simulation", sim_fields),
    AMS_SCHEMA_TABLE ("simulation.limits", limit_fields),
    AMS_SCHEMA_TABLE ("simulation.limits.overrides[]", override_fields),
    AMS_SCHEMA_TABLE ("simulation.retry", retry_fields),
    AMS_SCHEMA_TABLE ("simulation.copy", copy_fields),
    AMS_SCHEMA_TABLE ("simulation.output", output_fields),
    AMS_SCHEMA_TABLE ("simulation.lifecycle", lifecycle_fields),
    AMS_SCHEMA_TABLE ("simulation.storage", storage_fields),
    AMS_SCHEMA_TABLE ("simulation.ram", ram_fields),
    { NULL },
  };
  return tables;
}

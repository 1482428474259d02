/* amisim — scenario loader: every key table of the format with the path it
 * applies at, gathered from the schema_*.c files (see schema.h), for the
 * scenario reference and its test. */
#include "schema.h"

void
ams_schema_tables (GArray *out)
{
  const AmsSchemaTable *(*const lists[]) (void) = {
    ams_schema_top_tables,          ams_schema_world_tables,
    ams_schema_pipeline_tables,     ams_schema_distribution_tables,
    ams_schema_supply_tables,       ams_schema_infra_tables,
    ams_schema_lifecycle_tables,
    ams_schema_launches_tables,     ams_schema_amis_tables,
    ams_schema_simulation_tables,
    ams_schema_events_tables,
  };
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    for (const AmsSchemaTable *t = lists[i] (); t->path != NULL; t++)
      g_array_append_val (out, *t);
}

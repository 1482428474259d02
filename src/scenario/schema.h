/* amisim — scenario loader: the tables of the v1 format, one per mapping
 * (private to src/scenario/).
 *
 * schema_top.c       the document, regions, accounts, reference resolution
 * schema_pipeline.c  pipelines[]: schedule or arrivals, recipe, durations
 * schema_distribution.c  pipelines[].distribution (CreateDistributionConfiguration
 *                    request, or get-distribution-configuration output)
 * schema_simulation.c    simulation: limits, copy, on_limit, …
 */
#pragma once

#include "check.h"

G_BEGIN_DECLS

/* Checks the whole document into `sc` (whose defaults are already set);
 * problems go to `diag`. */
void ams_schema_check_scenario (AmsDiag *diag, const AmsYNode *root, AmsScenario *sc);

/* pipelines[i] (an AmsItemFn; target: the AmsScenario). */
void ams_schema_pipeline (AmsCheck *c, guint index, const AmsYNode *item, gpointer sc);

/* pipelines[i].distribution into `pl`. */
void ams_schema_distribution (AmsCheck *c, const AmsYNode *node, AmsScPipeline *pl);

/* simulation (an AmsFieldFn; target: the AmsScenario). */
void ams_schema_simulation (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                            gpointer sc);

/* Allocation of the scenario's entries, shared with loader.c. */
AmsScPipeline *ams_sc_pipeline_new (void);
void ams_sc_pipeline_free (gpointer pl);

G_END_DECLS

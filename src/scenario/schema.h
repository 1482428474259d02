/* amisim — scenario loader: the tables of the v1 format, one per mapping
 * (private to src/scenario/).
 *
 * schema_top.c       the document, regions, accounts, reference resolution
 * schema_pipeline.c  pipelines[]: schedule or arrivals, recipe, durations
 * schema_distribution.c  pipelines[].distribution (CreateDistributionConfiguration
 *                    request, or get-distribution-configuration output)
 * schema_simulation.c    simulation: limits, copy, on_limit, …
 * schema_lifecycle.c     lifecycle_policies[] (CreateLifecyclePolicy requests)
 * schema_launches.c      launches[] (instances launched from a pipeline's AMIs)
 * schema_supply.c        components[], recipes[], container_recipes[],
 *                    resource_shares[], resource_policies[] (the Image Builder
 *                    supply chain and its RAM sharing); their values (Image
 *                    Builder ARNs, principals) are read by arn.c (check.h)
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

/* simulation (an AmsFieldFn; target: the AmsScenario), and its checks against
 * top-level keys once all is read (warmup < horizon). */
void ams_schema_simulation (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                            gpointer sc);
void ams_schema_resolve_simulation (AmsCheck *c, AmsScenario *sc);

/* schema_world.c: accounts' keys, roles and settings (AmsFieldFn; target:
 * the AmsScAccount), organizations[i] and account_sets[i] (AmsItemFn;
 * target: the AmsScenario), and their references once all is read. */
void ams_schema_account_enabled_regions (AmsCheck *c, const AmsYNode *key,
                                         const AmsYNode *value, gpointer account);
void ams_schema_account_kms_keys (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                  gpointer account);
void ams_schema_account_roles (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                               gpointer account);
void ams_schema_account_block_public (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                      gpointer account);
void ams_schema_account_repositories (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                      gpointer target);
void ams_schema_account_recycle_bin (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                     gpointer account);
void ams_schema_account_ram_invitations (AmsCheck *c, const AmsYNode *key,
                                         const AmsYNode *value, gpointer account);
void ams_schema_organization (AmsCheck *c, guint index, const AmsYNode *item, gpointer sc);
void ams_schema_account_set (AmsCheck *c, guint index, const AmsYNode *item, gpointer sc);
void ams_schema_resolve_world (AmsCheck *c, AmsScenario *sc);
/* TRUE if `id` is listed in accounts or created by an account set. */
gboolean ams_schema_account_defined (AmsCheck *c, const char *id);

/* schema_distribution.c: launch permissions and keys of the distribution,
 * checked against organizations once all is read; and every distribution
 * configuration (pipelines' and set_distribution events') has an entry for
 * the pipeline's build region. */
void ams_schema_resolve_sharing (AmsCheck *c, AmsScenario *sc);
/* A distribution entry with its lists empty (schema_distribution.c), and
 * its free function (schema_pipeline.c); a launchPermission mapping
 * (userIds, userGroups, organizationArns, organizationalUnitArns) read into
 * `dr` (amis[].launchPermission uses the distribution's form). */
AmsScDistRegion *ams_sc_dist_region_new (void);
void ams_sc_dist_region_free (gpointer dr);
void ams_schema_launch_permission (AmsCheck *c, const AmsYNode *value, AmsScDistRegion *dr);

/* schema_amis.c: amis[] (an AmsFieldFn; target: the AmsScenario), the AMIs
 * that exist when the run starts, their references once all is read, and
 * the entries' free function. */
void ams_schema_amis (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer sc);
void ams_schema_resolve_amis (AmsCheck *c, AmsScenario *sc);
void ams_sc_ami_free (gpointer ami);

/* schema_events.c: events (AmsFieldFn; target: the AmsScenario), their
 * references once all is read, and the free function of their entries. */
void ams_schema_events (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer sc);
void ams_schema_resolve_events (AmsCheck *c, AmsScenario *sc);
GDestroyNotify ams_sc_event_free_func (void);
/* schema_world.c: is `id` the root or an OU of an organization? */
gboolean ams_schema_org_node_defined (const AmsScenario *sc, const char *id);

/* schema_lifecycle.c: lifecycle_policies[i] (an AmsItemFn; target: the
 * AmsScenario), their references once all is read, and their free function. */
void ams_schema_lifecycle_policy (AmsCheck *c, guint index, const AmsYNode *item, gpointer sc);
void ams_schema_resolve_lifecycle (AmsCheck *c, AmsScenario *sc);
void ams_sc_lifecycle_policy_free (gpointer lp);

/* schema_launches.c: launches (an AmsFieldFn; target: the AmsScenario),
 * their references once all is read, and the free function of an entry. */
void ams_schema_launches (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer sc);
void ams_schema_resolve_launches (AmsCheck *c, AmsScenario *sc);
void ams_sc_launches_free (gpointer l);

/* schema_supply.c: the supply chain's top-level lists (AmsFieldFn; target:
 * the AmsScenario), their references once all is read (pipelines' recipes
 * first: the rest of the loader reads their flat recipe fields), and the
 * allocation of their entries. */
void ams_schema_components (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer sc);
void ams_schema_recipes (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer sc);
void ams_schema_container_recipes (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                   gpointer sc);
void ams_schema_resource_shares (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                 gpointer sc);
void ams_schema_resource_policies (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                   gpointer sc);
void ams_schema_resolve_supply (AmsCheck *c, AmsScenario *sc);
AmsScRecipe *ams_sc_recipe_new (void);
void ams_sc_recipe_free (gpointer r);
void ams_sc_component_free (gpointer co);
void ams_sc_resource_share_free (gpointer s);
void ams_sc_resource_policy_free (gpointer p);

/* A recipe's keys shared by recipes[], container_recipes[] and a pipeline's
 * recipe block (AmsFieldFn; target: the AmsScRecipe): amisim's
 * snapshot_size, encrypted, kms_key, virtualization, and AWS's parentImage
 * and components. The parentImage handler reads r->container, so set it
 * before the mapping is walked. */
void ams_schema_recipe_snapshot_size (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                      gpointer r);
void ams_schema_recipe_encrypted (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                  gpointer r);
void ams_schema_recipe_kms_key (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                gpointer r);
void ams_schema_recipe_virtualization (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                       gpointer r);
void ams_schema_recipe_parent_image (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                     gpointer r);
void ams_schema_recipe_components (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                   gpointer r);
/* Rules across a recipe's keys, once its mapping `node` is read (a kms_key
 * goes with encrypted: true). */
void ams_schema_recipe_check (AmsCheck *c, const AmsYNode *node, const AmsScRecipe *r);
/* "arn:aws:imagebuilder:REGION:ACCOUNT:image-recipe/NAME/VERSION" (container-recipe
 * for container recipes), owned by the scenario; NULL while a part is missing. */
const char *ams_schema_recipe_arn (AmsCheck *c, const AmsScRecipe *r);

/* After the walk: does `ref` name a resource of the scenario (a components[]
 * entry, a recipe, the images of a pipeline)? With `later_builds`, any build
 * of any version of a components[] entry's name counts (publish_component
 * events make them). Reports where `ref` was written and returns FALSE if
 * not. */
gboolean ams_schema_check_resource (AmsCheck *c, const AmsScResRef *ref, gboolean later_builds);
/* An organization or OU ARN among RAM principals agrees with the scenario's
 * organizations (schema_distribution.c; account ids pass). */
void ams_schema_check_principal (AmsCheck *c, const AmsScenario *sc, const AmsScRef *ref);
/* The resource_shares[] entry named by `ref`; reports (with a "did you
 * mean") and returns NULL if there is none. */
const AmsScResourceShare *ams_schema_find_share (AmsCheck *c, const AmsScenario *sc,
                                                 const AmsScRef *ref);
/* The pipeline named `name`, or NULL. */
const AmsScPipeline *ams_schema_find_pipeline (const AmsScenario *sc, const char *name);

/* schema_top.c: a region / account reference that must resolve. */
void ams_schema_resolve_region (AmsCheck *c, const AmsScRef *ref);
void ams_schema_resolve_account (AmsCheck *c, const AmsScRef *ref);

/* Allocation of the scenario's entries, shared with loader.c. */
AmsScPipeline *ams_sc_pipeline_new (void);
void ams_sc_pipeline_free (gpointer pl);
AmsScAccount *ams_sc_account_new (void);
void ams_sc_account_free (gpointer a);
void ams_sc_org_free (gpointer o);

/* ---- the format's key tables, for the scenario reference ----
 *
 * Each schema_*.c lists its AmsField tables with the document path each
 * applies at ("" is the document; "[]" stands for any item of a list, as
 * in "pipelines[].recipe"), so that a test can hold docs/scenario-reference.md
 * and the tables to each other (tests/scenario/test_reference.c). A table
 * read at more than one place is listed once, at the place documented in
 * full; the others say "the same as …" in the reference. */
typedef struct
{
  const char *path;        /* NULL ends a list */
  const AmsField *fields;
  const char *name;        /* the table's name in its source file */
  const char *file;        /* that source file (__FILE__) */
} AmsSchemaTable;

#define AMS_SCHEMA_TABLE(path, table) { path, table, #table, __FILE__ }

const AmsSchemaTable *ams_schema_top_tables (void);
const AmsSchemaTable *ams_schema_world_tables (void);
const AmsSchemaTable *ams_schema_pipeline_tables (void);
const AmsSchemaTable *ams_schema_distribution_tables (void);
const AmsSchemaTable *ams_schema_simulation_tables (void);
const AmsSchemaTable *ams_schema_lifecycle_tables (void);
const AmsSchemaTable *ams_schema_launches_tables (void);
const AmsSchemaTable *ams_schema_amis_tables (void);
const AmsSchemaTable *ams_schema_events_tables (void);
const AmsSchemaTable *ams_schema_supply_tables (void);
const AmsSchemaTable *ams_schema_infra_tables (void);

/* schema_infra.c: infrastructure_configurations (an AmsFieldFn; target: the
 * AmsScenario), a pipeline's infrastructureConfigurationArn, their
 * resolution once all is read, and the entries' free function. */
void ams_schema_infrastructure (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                gpointer sc);
void ams_schema_pipeline_infrastructure (AmsCheck *c, const AmsYNode *value, AmsScRef *ref);
void ams_schema_resolve_infrastructure (AmsCheck *c, AmsScenario *sc);
GDestroyNotify ams_sc_infra_free_func (void);

/* schema_tables.c: every list above, appended to `out` (of AmsSchemaTable),
 * in the order of the document. */
void ams_schema_tables (GArray *out);

/* schema_events.c: an action of events[] and the keys it needs and may
 * have besides at and action (NULL after the last used slot). */
#define AMS_SCHEMA_ACTION_KEYS 3
typedef struct
{
  const char *name;
  AmsScEventKind kind;
  const char *needs[AMS_SCHEMA_ACTION_KEYS];
  const char *may[AMS_SCHEMA_ACTION_KEYS];
} AmsSchemaAction;

/* Every action, in the order of the loader's table; *n is their count. */
const AmsSchemaAction *ams_schema_event_actions (guint *n);

G_END_DECLS

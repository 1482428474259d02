/* amisim — the world: regions and accounts.
 *
 * The world is built once from a validated scenario and is read-only while
 * a simulation runs. Entities get dense indices (0..n-1) so that the engine
 * can keep per-entity state in plain arrays; lookups by name go through hash
 * tables and are meant for set-up, not for the event loop.
 */
#pragma once

#include <glib.h>
#include "amisim/scenario.h"

G_BEGIN_DECLS

typedef struct
{
  guint index;
  const char *name;        /* borrowed from the scenario */
} AmsRegion;

typedef struct
{
  guint index;
  const char *id;          /* 12 digits, borrowed from the scenario */
  const char *name;        /* may be NULL */
} AmsAccount;

typedef struct AmsWorld AmsWorld;

/* Builds the world of a validated scenario. The world borrows strings from
 * `sc`, which must outlive it. Never NULL. */
AmsWorld *ams_world_new (const AmsScenario *sc);
void ams_world_free (AmsWorld *w); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsWorld, ams_world_free)

guint ams_world_n_regions (const AmsWorld *w);
guint ams_world_n_accounts (const AmsWorld *w);
const AmsRegion *ams_world_region (const AmsWorld *w, guint index);
const AmsAccount *ams_world_account (const AmsWorld *w, guint index);
/* NULL when there is no such region / account. */
const AmsRegion *ams_world_find_region (const AmsWorld *w, const char *name);
const AmsAccount *ams_world_find_account (const AmsWorld *w, const char *id);

G_END_DECLS

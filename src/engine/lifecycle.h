/* Engine-private: lifecycle policies (lifecycle.c), as engine.c drives them.
 *
 * Each call does nothing unless the inventory runs policies (inventory.h,
 * Inventory.lifecycle), so engine.c calls them unconditionally, each right
 * after (set-up, arming) or before (freeing) the inventory's own: the
 * inventory never calls up into the policies that act on it.
 */
#pragma once

#include "engine/engine-private.h"

/* After ams_inv_setup: the policies, their streams and update slots. */
void ams_lc_setup (AmsEngine *e);
/* After ams_inv_arm: the first daily run. */
void ams_lc_arm (AmsEngine *e);
/* Before ams_inv_free (it frees what the policies' records point to). */
void ams_lc_free (AmsEngine *e);
/* set_lifecycle_policy: enables or disables the policy. */
void ams_lc_set_status (AmsEngine *e, const AmsScEvent *ev);

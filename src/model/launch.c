/* Launching from an encrypted AMI (access.h, ams_access_check_launch).
 *
 * A launch permission lets an account see an AMI; launching from it also
 * needs its snapshots' key: EC2 creates the instance's volumes from them,
 * as the consumer, so the key must be enabled and its policy must allow the
 * consumer (and the consumer's SCPs the calls) at the moment of the launch.
 * The same three actions the launch permission check of `explain` asks
 * about (access.c), so that what `explain` names for a share is what fails
 * the consumers' launches in a run.
 */
#include "access-private.h"

gboolean
ams_access_check_launch (AmsAccess *ax, const AmsAccount *consumer, const AmsRegion *region,
                        const char *ami, const AmsKeyInfo *k, AmsKeyLookup found,
                        const char *ref, AmsBlocker *b)
{
  ams_blocker_init (b);
  g_autofree char *purpose = g_strdup_printf ("the key of %s", ami);
  AmsActor actor;
  ams__actor_root (ax, consumer, &actor);
  if (ams__key_usable (found, k, ref, k->account != NULL ? k->account : consumer, region,
                       AMS_STEP_LAUNCH, purpose, b)
      && ams__key_allows (ax, &actor, k, ams__launch_key_actions, AMS_STEP_LAUNCH, b))
    return TRUE;
  g_autofree char *msg = g_strdup_printf ("account %s cannot launch from %s in %s: %s",
                                          consumer->id, ami, region->name, b->message);
  g_free (b->message);
  b->message = g_steal_pointer (&msg);
  b->account = consumer;
  b->region = region;
  return FALSE;
}

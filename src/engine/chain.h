/* Engine-private: the supply chain in a run (chain.c), between engine.c
 * and the parts below it (engine-private.h).
 *
 * engine.c asks at each schedule match whether a pipeline's build would
 * use something new, and at each image's start what it uses (or why it
 * may not build); chain.c keeps, per pipeline, what its last build used,
 * gives each image its trigger and its ripple, registers the images
 * others use as they become AVAILABLE, answers and expires invitations at
 * their simulated moments, and applies the RAM what-if events. */
#pragma once

#include "engine/engine-private.h"

/* Sets up e->supply when the scenario has a supply chain (a recipe that
 * references Image Builder resources, or any share or resource policy). */
void ams_chain_setup (AmsEngine *e);
/* Associates the shares' principals; invitations get their answers and
 * expiries scheduled. */
void ams_chain_arm (AmsEngine *e);
void ams_chain_free (AmsEngine *e);

/* Why the next build of `p` could not use what its recipe references
 * (*message says more), or AMS_CAUSE_NONE. */
AmsCause ams_chain_blocked (AmsEngine *e, Pipeline *p, const char **message);
/* A schedule match under the default start condition: TRUE when the next
 * build of `p` would use a version of something its recipe references
 * that its last build did not use (what it cannot reach, it cannot see
 * updates of). */
gboolean ams_chain_updates (AmsEngine *e, Pipeline *p);

/* An image starts (img->trigger set by the caller): what it uses, which
 * may make it a "dependency" build of some ripple. AMS_CAUSE_NONE, or the
 * cause why it may not build (img->message says why). */
AmsCause ams_chain_image_start (AmsEngine *e, Image *img);
/* The image is AVAILABLE or FAILED. */
void ams_chain_image_end (AmsEngine *e, Image *img, gboolean failed);
/* The image is gone before its end was reported (the engine is freed). */
void ams_chain_image_release (Image *img);

/* A RAM what-if event (associate_resource_share … publish_component). */
void ams_chain_event (AmsEngine *e, const AmsScEvent *ev);

/* The ripples' figures into the results. */
void ams_chain_collect (AmsEngine *e);
/* Warm-up: ripples counted from now on are those whose build comes after. */
void ams_chain_reset_stats (AmsEngine *e);

/* "golden 1.0.0/3", the ripple's build (NULL for none). */
const char *ams_chain_ripple_name (const Ripple *r);

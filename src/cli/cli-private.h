/* amisim — command-line internals shared by the commands' files. */
#pragma once

#include <glib.h>
#include "amisim/cli.h"
#include "amisim/engine.h"

G_BEGIN_DECLS

/* What --trace, --narrate and the progress bar attach to a run (observe.c).
 * NULL with no error when nothing is asked for. Errors (a trace file that
 * cannot be written): G_FILE_ERROR, the message naming the path. */
typedef struct AmsObservers AmsObservers;
AmsObservers *ams_cli_observers_new (const AmsRunOptions *opt, const AmsScenario *sc,
                                     GError **error);
/* Before ams_engine_run of the one engine observed (the first replication). */
void ams_cli_observers_attach (AmsObservers *obs, AmsEngine *e);
/* After the run: flushes and closes what was written. */
gboolean ams_cli_observers_finish (AmsObservers *obs, GError **error);
void ams_cli_observers_free (AmsObservers *obs); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsObservers, ams_cli_observers_free)

G_END_DECLS

/* amisim — temporaries that a signal must not leave behind.
 *
 * Every temporary file and folder amisim makes while it writes outputs
 * (the staging folder of --out and the files in it, the trace file's
 * temporary, plot's working folder) is registered here before it exists
 * and forgotten once it is published or removed. On SIGINT, SIGTERM or
 * SIGHUP the handler kills the one child process amisim may be waiting
 * for (gnuplot), removes what is registered, newest first (so a folder's
 * files go before the folder), writes one line on stderr and exits with
 * 128 + the signal: 130, 143, 129. On SIGPIPE (the reader of stdout went
 * away: `amisim run --narrate | head`) it removes them too, silently, and
 * ends by SIGPIPE as a shell expects. The handler does only what is
 * async-signal-safe (kill, waitpid, unlink, rmdir, write, signal,
 * pthread_sigmask, raise, _exit) on a list whose entries were allocated
 * before they were linked in.
 *
 * The registry is changed only with those signals blocked in the
 * calling thread; threads that run replications block them for good
 * (ams_cleanup_block_here), so the handler always runs on a thread that is
 * not in the middle of a change. A commit (renaming temporaries into
 * place) runs between ams_cleanup_block and ams_cleanup_unblock: a signal
 * that arrives then waits until the commit is whole.
 */
#pragma once

#include <glib.h>
#include <signal.h>
#include <stdio.h>

G_BEGIN_DECLS

/* Installs the handler for SIGINT, SIGTERM, SIGHUP and SIGPIPE; a signal
 * ignored when amisim started (nohup, a shell's background job) stays
 * ignored (an ignored SIGPIPE: writes fail with EPIPE, reported as any
 * failed write). Idempotent. */
void ams_cleanup_install (void);

/* One registered temporary. */
typedef struct AmsTemp AmsTemp;

/* Registers `path`, which something else will create (gnuplot's pictures):
 * a file, or with `folder` a folder removed with rmdir once its registered
 * files are gone. */
AmsTemp *ams_temp_track (const char *path, gboolean folder);
/* Creates the file `path` (which must not exist yet) for writing and
 * registers it, with no moment in between when a signal would leave it
 * behind. NULL with errno set when it cannot be created. */
AmsTemp *ams_temp_create_file (const char *path, FILE **f);
/* The same for a folder (mode 0777 less the umask). */
AmsTemp *ams_temp_create_folder (const char *path);
/* Its path. */
const char *ams_temp_path (const AmsTemp *t);
/* Forgets it without touching it: it was published (renamed into place).
 * Accepts NULL. */
void ams_temp_release (AmsTemp *t);
/* Removes it (unlink, or rmdir for a folder) and forgets it. Accepts
 * NULL. */
void ams_temp_remove (AmsTemp *t);

/* The child process the handler kills (SIGKILL) and reaps before it
 * removes anything, so that it writes nothing after; 0: none. */
void ams_cleanup_set_child (GPid pid);

/* A GSpawnChildSetupFunc for the children amisim runs (gnuplot): gives
 * them the handled signals as amisim found them (not its handler) and
 * unblocks them. */
void ams_cleanup_child_setup (gpointer unused);

/* Whether a progress bar is on stderr's last line: the handler then clears
 * the line before its message. */
void ams_cleanup_set_progress_line (gboolean drawn);

/* Blocks the handled signals in this thread, saving the mask in `saved`;
 * ams_cleanup_unblock restores it (a signal that arrived meanwhile is
 * handled then). Nests. */
void ams_cleanup_block (sigset_t *saved);
void ams_cleanup_unblock (const sigset_t *saved);
/* Blocks them in this thread for good (replication threads). */
void ams_cleanup_block_here (void);

G_END_DECLS

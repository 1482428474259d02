/* Temporaries that a signal must not leave behind (cleanup.h).
 *
 * The registry is a list, newest first. An entry is allocated and filled
 * before it is linked in, and unlinked before it is freed; both happen
 * with the signals handled blocked in the thread that does them
 * (and under a mutex, for threads other than the main one), so the
 * handler, which runs only on a thread with the signals unblocked, never
 * sees a half-made change. The handler walks the list and calls nothing
 * but async-signal-safe functions. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report/cleanup.h"

struct AmsTemp
{
  AmsTemp *older;
  AmsTemp *newer;
  gboolean folder;
  char path[];
};

static AmsTemp *volatile newest;          /* the handler walks from here */
static volatile sig_atomic_t child_pid;   /* 0: none */
static volatile sig_atomic_t progress_drawn;
static GMutex registry_lock;

static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

static void
handled_set (sigset_t *set)
{
  sigemptyset (set);
  for (guint i = 0; i < G_N_ELEMENTS (handled); i++)
    sigaddset (set, handled[i]);
}

/* ---- the handler ---------------------------------------------------------- */

static void
put (const char *s, size_t n)
{
  while (n > 0)
    {
      ssize_t w = write (STDERR_FILENO, s, n);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        return;
      s += w;
      n -= (size_t) w;
    }
}

#define PUT(lit) put ((lit), sizeof (lit) - 1)

static void
on_signal (int sig)
{
  pid_t pid = (pid_t) child_pid;
  if (pid > 0)
    {
      kill (pid, SIGKILL);
      while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
        ;
    }
  for (const AmsTemp *t = newest; t != NULL; t = t->older)
    {
      if (t->folder)
        rmdir (t->path);
      else
        unlink (t->path);
    }
  if (sig == SIGPIPE)
    {
      /* the reader of stdout went away (| head): no message, and the end
       * a shell expects, by SIGPIPE itself */
      sigset_t pipe_only;
      sigemptyset (&pipe_only);
      sigaddset (&pipe_only, SIGPIPE);
      signal (SIGPIPE, SIG_DFL);
      pthread_sigmask (SIG_UNBLOCK, &pipe_only, NULL);
      raise (SIGPIPE);
      _exit (128 + SIGPIPE);
    }
  if (progress_drawn)
    PUT ("\r\033[K");
  switch (sig)
    {
    case SIGINT:
      PUT ("amisim: interrupted by SIGINT; temporary files removed\n");
      break;
    case SIGTERM:
      PUT ("amisim: interrupted by SIGTERM; temporary files removed\n");
      break;
    default:
      PUT ("amisim: interrupted by SIGHUP; temporary files removed\n");
      break;
    }
  _exit (128 + sig);
}

void
ams_cleanup_install (void)
{
  static gsize done = 0;
  if (!g_once_init_enter (&done))
    return;
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  handled_set (&sa.sa_mask); /* one handler at a time on a thread */
  for (guint i = 0; i < G_N_ELEMENTS (handled); i++)
    {
      struct sigaction old;
      if (sigaction (handled[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
        continue; /* nohup, or a shell's background job: stay ignored */
      sigaction (handled[i], &sa, NULL);
    }
  g_once_init_leave (&done, 1);
}

/* ---- blocking ------------------------------------------------------------- */

void
ams_cleanup_block (sigset_t *saved)
{
  sigset_t set;
  handled_set (&set);
  pthread_sigmask (SIG_BLOCK, &set, saved);
}

void
ams_cleanup_unblock (const sigset_t *saved)
{
  pthread_sigmask (SIG_SETMASK, saved, NULL);
}

void
ams_cleanup_block_here (void)
{
  sigset_t set;
  handled_set (&set);
  pthread_sigmask (SIG_BLOCK, &set, NULL);
}

/* ---- the registry --------------------------------------------------------- */

static AmsTemp *
temp_new (const char *path, gboolean folder)
{
  gsize len = strlen (path);
  AmsTemp *t = g_malloc0 (sizeof *t + len + 1);
  memcpy (t->path, path, len + 1);
  t->folder = folder;
  return t;
}

/* Links `t` in; the caller has the signals blocked. */
static void
link_in (AmsTemp *t)
{
  g_mutex_lock (&registry_lock);
  t->older = newest;
  t->newer = NULL;
  if (newest != NULL)
    newest->newer = t;
  newest = t;
  g_mutex_unlock (&registry_lock);
}

/* Unlinks `t`; the caller has the signals blocked. */
static void
unlink_out (AmsTemp *t)
{
  g_mutex_lock (&registry_lock);
  if (t->newer != NULL)
    t->newer->older = t->older;
  else
    newest = t->older;
  if (t->older != NULL)
    t->older->newer = t->newer;
  g_mutex_unlock (&registry_lock);
}

AmsTemp *
ams_temp_track (const char *path, gboolean folder)
{
  g_return_val_if_fail (path != NULL, NULL);
  AmsTemp *t = temp_new (path, folder);
  sigset_t saved;
  ams_cleanup_block (&saved);
  link_in (t);
  ams_cleanup_unblock (&saved);
  return t;
}

AmsTemp *
ams_temp_create_file (const char *path, FILE **f)
{
  g_return_val_if_fail (path != NULL && f != NULL, NULL);
  AmsTemp *t = temp_new (path, FALSE);
  sigset_t saved;
  ams_cleanup_block (&saved);
  *f = fopen (path, "wx"); /* x: O_EXCL, never someone else's file */
  int err = errno;
  if (*f != NULL)
    link_in (t);
  ams_cleanup_unblock (&saved);
  if (*f == NULL)
    {
      g_free (t);
      errno = err;
      return NULL;
    }
  return t;
}

AmsTemp *
ams_temp_create_folder (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);
  AmsTemp *t = temp_new (path, TRUE);
  sigset_t saved;
  ams_cleanup_block (&saved);
  int rc = mkdir (path, 0777);
  int err = errno;
  if (rc == 0)
    link_in (t);
  ams_cleanup_unblock (&saved);
  if (rc != 0)
    {
      g_free (t);
      errno = err;
      return NULL;
    }
  return t;
}

const char *
ams_temp_path (const AmsTemp *t)
{
  g_return_val_if_fail (t != NULL, NULL);
  return t->path;
}

void
ams_temp_release (AmsTemp *t)
{
  if (t == NULL)
    return;
  sigset_t saved;
  ams_cleanup_block (&saved);
  unlink_out (t);
  ams_cleanup_unblock (&saved);
  g_free (t);
}

void
ams_temp_remove (AmsTemp *t)
{
  if (t == NULL)
    return;
  sigset_t saved;
  ams_cleanup_block (&saved);
  if (t->folder)
    rmdir (t->path);
  else
    unlink (t->path);
  unlink_out (t);
  ams_cleanup_unblock (&saved);
  g_free (t);
}

void
ams_cleanup_set_child (GPid pid)
{
  child_pid = (sig_atomic_t) pid;
}

void
ams_cleanup_child_setup (gpointer unused)
{
  /* in the child, between fork and exec: async-signal-safe calls only */
  for (guint i = 0; i < G_N_ELEMENTS (handled); i++)
    {
      struct sigaction old;
      if (sigaction (handled[i], NULL, &old) == 0 && old.sa_handler == on_signal)
        signal (handled[i], SIG_DFL);
    }
  sigset_t set;
  handled_set (&set);
  sigprocmask (SIG_UNBLOCK, &set, NULL);
}

void
ams_cleanup_set_progress_line (gboolean drawn)
{
  progress_drawn = drawn ? 1 : 0;
}

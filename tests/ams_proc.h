/* Tests that run the amisim binary (AMISIM_BINARY, set by meson) from the
 * source root and look at its exit status, stdout and stderr. */
#pragma once

#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>

#include "ams_test.h"

typedef struct
{
  int status;   /* exit status, 128 if it did not exit */
  char *out;
  char *err;
} Run;

static inline void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs amisim with `args` (NULL-terminated) and the environment `envp`
 * (NULL: this process's). */
static inline void
amisim_argv (Run *r, char **envp, const char *const *args)
{
  const char *bin = g_getenv ("AMISIM_BINARY");
  g_assert_nonnull (bin);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) bin);
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (char *) *args);
  g_ptr_array_add (argv, NULL);
  g_autofree char *root = ams_source_path ("");
  int wait_status = 0;
  g_autoptr (GError) error = NULL;
  gboolean ok = g_spawn_sync (root, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                              &r->out, &r->err, &wait_status, &error);
  g_assert_true (ok);
  r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128;
}

/* The same with the arguments listed, ending with NULL. */
static inline void
amisim_env (Run *r, char **envp, ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  va_start (ap, envp);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  amisim_argv (r, envp, (const char *const *) args->pdata);
}

#define amisim(r, ...) amisim_env ((r), NULL, __VA_ARGS__)

/* The first line of `s` (newly allocated). */
static inline char *
first_line (const char *s)
{
  const char *nl = strchr (s, '\n');
  return nl ? g_strndup (s, (gsize) (nl - s)) : g_strdup (s);
}

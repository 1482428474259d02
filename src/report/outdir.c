/* Writing an output folder whole or not at all.
 *
 * Every file is first written under a temporary name in the target folder
 * (same file system, so rename is atomic); only when all of them are
 * written are they renamed into place. A failure removes the temporaries,
 * so a reader never sees a mix of old and new files from a failed run. */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include "amisim/report.h"

gboolean
ams_report_write_dir (const char *dir, const AmsOutputFile *files, guint n, GError **error)
{
  g_return_val_if_fail (dir != NULL && (files != NULL || n == 0), FALSE);

  if (g_file_test (dir, G_FILE_TEST_EXISTS) && !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR,
                   "%s: exists and is not a folder", dir);
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      int err = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                   "%s: cannot create folder: %s", dir, g_strerror (err));
      return FALSE;
    }

  g_autoptr (GPtrArray) temps = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = TRUE;
  for (guint i = 0; i < n && ok; i++)
    {
      g_autofree char *name = g_strdup_printf (".%s.tmp-%d", files[i].name, (int) getpid ());
      char *tmp = g_build_filename (dir, name, NULL);
      g_ptr_array_add (temps, tmp);
      GError *local = NULL;
      if (!g_file_set_contents (tmp, files[i].data->str, (gssize) files[i].data->len, &local))
        {
          g_set_error (error, G_FILE_ERROR, local->code, "%s", local->message);
          g_error_free (local);
          ok = FALSE;
        }
    }
  for (guint i = 0; i < n && ok; i++)
    {
      g_autofree char *final = g_build_filename (dir, files[i].name, NULL);
      if (g_rename (g_ptr_array_index (temps, i), final) != 0)
        {
          int err = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                       "%s: cannot write: %s", final, g_strerror (err));
          ok = FALSE;
        }
    }
  if (!ok)
    for (guint i = 0; i < temps->len; i++)
      g_unlink (g_ptr_array_index (temps, i)); /* already renamed ones are gone: harmless */
  return ok;
}

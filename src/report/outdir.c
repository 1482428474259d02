/* Writing an output folder whole or not at all.
 *
 * Every file is first written under a temporary name in the target folder
 * (same file system, so rename is atomic); only when all of them are
 * written are they renamed into place. A failure removes the temporaries,
 * so a reader never sees a mix of old and new files from a failed run.
 * Large files (one row per copy) are streamed to their temporary while the
 * run goes, so memory does not grow with them. */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include "amisim/report.h"

typedef struct
{
  char *final;
  char *temp;
  FILE *f;
} OutFile;

struct AmsOutDir
{
  char *dir;
  GArray *files;   /* of OutFile */
  gboolean committed;
};

AmsOutDir *
ams_outdir_open (const char *dir, GError **error)
{
  g_return_val_if_fail (dir != NULL, NULL);
  if (g_file_test (dir, G_FILE_TEST_EXISTS) && !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR, "%s: exists and is not a folder", dir);
      return NULL;
    }
  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      int err = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                   "%s: cannot create folder: %s", dir, g_strerror (err));
      return NULL;
    }
  AmsOutDir *od = g_new0 (AmsOutDir, 1);
  od->dir = g_strdup (dir);
  od->files = g_array_new (FALSE, TRUE, sizeof (OutFile));
  return od;
}

FILE *
ams_outdir_create (AmsOutDir *od, const char *name, GError **error)
{
  g_return_val_if_fail (od != NULL && name != NULL && !od->committed, NULL);
  g_autofree char *base = g_strdup_printf (".%s.tmp-%d", name, (int) getpid ());
  OutFile f = {
    .final = g_build_filename (od->dir, name, NULL),
    .temp = g_build_filename (od->dir, base, NULL),
  };
  f.f = fopen (f.temp, "w");
  if (f.f == NULL)
    {
      int err = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err), "%s: cannot write: %s",
                   f.final, g_strerror (err));
      g_free (f.final);
      g_free (f.temp);
      return NULL;
    }
  g_array_append_val (od->files, f);
  return f.f;
}

gboolean
ams_outdir_commit (AmsOutDir *od, GError **error)
{
  g_return_val_if_fail (od != NULL && !od->committed, FALSE);
  for (guint i = 0; i < od->files->len; i++)
    {
      OutFile *f = &g_array_index (od->files, OutFile, i);
      gboolean bad = ferror (f->f) != 0;
      if (fclose (f->f) != 0)
        bad = TRUE;
      f->f = NULL;
      if (bad)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: cannot write (disk full?)",
                       f->final);
          return FALSE;
        }
    }
  for (guint i = 0; i < od->files->len; i++)
    {
      OutFile *f = &g_array_index (od->files, OutFile, i);
      if (g_rename (f->temp, f->final) != 0)
        {
          int err = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err), "%s: cannot write: %s",
                       f->final, g_strerror (err));
          return FALSE;
        }
      g_clear_pointer (&f->temp, g_free);
    }
  od->committed = TRUE;
  return TRUE;
}

void
ams_outdir_free (AmsOutDir *od)
{
  if (od == NULL)
    return;
  for (guint i = 0; i < od->files->len; i++)
    {
      OutFile *f = &g_array_index (od->files, OutFile, i);
      if (f->f != NULL)
        fclose (f->f);
      if (f->temp != NULL)
        g_unlink (f->temp); /* not published: leave nothing behind */
      g_free (f->temp);
      g_free (f->final);
    }
  g_array_unref (od->files);
  g_free (od->dir);
  g_free (od);
}

gboolean
ams_report_write_dir (const char *dir, const AmsOutputFile *files, guint n, GError **error)
{
  g_return_val_if_fail (dir != NULL && (files != NULL || n == 0), FALSE);
  g_autoptr (AmsOutDir) od = ams_outdir_open (dir, error);
  if (od == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      FILE *f = ams_outdir_create (od, files[i].name, error);
      if (f == NULL)
        return FALSE;
      fwrite (files[i].data->str, 1, files[i].data->len, f);
    }
  return ams_outdir_commit (od, error);
}

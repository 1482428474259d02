/* `amisim import OUTDIR [-o FILE]`: an estate export turned into a
 * scenario (docs/import.md; the work is src/import/).
 *
 * The output is checked before the export is read: `-o FILE` must be a file
 * in a folder that exists (not a folder itself). The notes of the import go
 * to stderr as they are found ("amisim import: note: …"); the scenario goes
 * to stdout (no -o, or -o -) or into FILE, written whole or not at all:
 * a temporary beside it (.NAME.tmp-PID, registered with report/cleanup.h so
 * that a signal removes it) renamed into place once complete. Exit status:
 * 0 written; 2 bad input (the export, or -o naming something that cannot
 * be a file), nothing written; 1 the scenario could not be written (the
 * reason on stderr; FILE as it was).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "amisim/cli.h"
#include "amisim/import.h"
#include "cli/cli-private.h"
#include "report/cleanup.h"

/* Whether `path` can become the output file: its folder exists and it is
 * not a folder itself. */
static gboolean
output_possible (const char *path)
{
  GStatBuf st;
  if (g_stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      fprintf (stderr, "amisim import: -o %s: is a folder; give a file name\n", path);
      return FALSE;
    }
  g_autofree char *dir = g_path_get_dirname (path);
  if (g_stat (dir, &st) != 0 || !S_ISDIR (st.st_mode))
    {
      fprintf (stderr, "amisim import: -o %s: the folder %s does not exist\n", path, dir);
      return FALSE;
    }
  return TRUE;
}

/* Writes `text` to `path` through a temporary renamed into place. */
static gboolean
write_whole (const char *path, const GString *text)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *temp_name = g_strdup_printf (".%s.tmp-%d", base, (int) getpid ());
  g_autofree char *temp_path = g_build_filename (dir, temp_name, NULL);
  FILE *f = NULL;
  AmsTemp *temp = ams_temp_create_file (temp_path, &f);
  int err = temp == NULL ? errno : 0;
  if (temp != NULL)
    {
      errno = 0;
      if (fwrite (text->str, 1, text->len, f) != text->len)
        err = errno != 0 ? errno : EIO;
      errno = 0;
      if (fflush (f) != 0 && err == 0)
        err = errno != 0 ? errno : EIO;
      if (ferror (f) && err == 0)
        err = EIO;
      errno = 0;
      if (fclose (f) != 0 && err == 0)
        err = errno != 0 ? errno : EIO;
    }
  if (err == 0)
    {
      sigset_t saved;
      ams_cleanup_block (&saved);
      if (g_rename (temp_path, path) != 0)
        err = errno != 0 ? errno : EIO;
      else
        ams_temp_release (temp);
      ams_cleanup_unblock (&saved);
    }
  if (err != 0)
    {
      ams_temp_remove (temp);
      fprintf (stderr, "amisim import: cannot write %s: %s\n", path, g_strerror (err));
      return FALSE;
    }
  return TRUE;
}

int
ams_cli_import (const AmsImportOptions *opt)
{
  gboolean to_stdout = opt->output == NULL || strcmp (opt->output, "-") == 0;
  if (!to_stdout && !output_possible (opt->output))
    return AMS_EXIT_BAD_INPUT;

  AmsImportNotes notes;
  ams_import_notes_init (&notes);
  g_autoptr (GString) yaml = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  gboolean ok = ams_import_dir (opt->dir, yaml, &notes, &error);
  for (guint i = 0; !opt->quiet && i < notes.lines->len; i++)
    fprintf (stderr, "amisim import: note: %s\n", (char *) notes.lines->pdata[i]);
  guint n_notes = notes.lines->len;
  ams_import_notes_clear (&notes);
  if (!ok)
    {
      fprintf (stderr, "amisim import: error: %s\n", error->message);
      return AMS_EXIT_BAD_INPUT;
    }
  if (to_stdout)
    {
      ams_cli_print_string (yaml);
      return ams_cli_stdout_ok () ? AMS_EXIT_OK : AMS_EXIT_FAILURE;
    }
  if (!write_whole (opt->output, yaml))
    return AMS_EXIT_FAILURE;
  if (opt->quiet)
    return AMS_EXIT_OK;
  fprintf (stderr, "amisim import: wrote %s (%u note%s above)\n", opt->output, n_notes,
           n_notes == 1 ? "" : "s");
  return AMS_EXIT_OK;
}

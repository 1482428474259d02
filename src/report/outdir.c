/* Writing an output folder whole or not at all.
 *
 * Every file is first written into a staging folder, registered with the
 * signal handler (cleanup.h) from before it exists, on the target's file
 * system so that renames are atomic:
 *
 * - when the target folder does not exist, the staging folder is made
 *   beside it (PARENT/.NAME.tmp-PID, after the missing parents, which are
 *   registered too) and renamed into place at the end: one rename, so a
 *   reader sees no folder or the whole one;
 * - when it exists (an earlier run's outputs, or a folder holding other
 *   things: `--out .`), the staging folder is made inside it
 *   (DIR/.amisim-out.tmp-PID) and the commit replaces the files one by one
 *   with rename, each old file first hard-linked (or, where links are not
 *   possible, moved) into the staging folder. If any step fails, what was
 *   done is undone: the earlier files are renamed back over the new ones,
 *   and the new files without an earlier one are removed. The signals are
 *   blocked for the whole commit, so it is never cut in half.
 *
 * With AMS_OUTDIR_MANIFEST the folder keeps a list of the files amisim
 * published there (AMS_OUTDIR_MANIFEST_NAME). The next commit removes (with
 * the same undo) the listed files it does not write itself, so that an
 * earlier run's copies.csv does not stay beside a run that writes none;
 * files the list does not name are never touched.
 *
 * Large files (one row per copy) are streamed to their staging file while
 * the run goes, so memory does not grow with them. */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "amisim/report.h"
#include "report/cleanup.h"

/* The manifest lists at most this many bytes; a bigger one is not ours. */
#define MANIFEST_MAX (64 * 1024)

typedef struct
{
  char *name;
  char *temp;       /* in the staging folder */
  FILE *f;          /* NULL once closed */
  AmsTemp *reg;
} OutFile;

struct AmsOutDir
{
  char *dir;        /* the target, without trailing slashes */
  char *stage;      /* the staging folder */
  gboolean beside;  /* the target did not exist: the staging folder becomes it */
  AmsOutDirFlags flags;
  AmsTemp *stage_reg;
  GPtrArray *made;  /* of AmsTemp*: missing parents made, outermost first */
  GArray *files;    /* of OutFile */
  gboolean closed;
  gboolean committed;
};

/* `path` without trailing slashes ("/" stays). */
static char *
strip_slashes (const char *path)
{
  gsize n = strlen (path);
  while (n > 1 && G_IS_DIR_SEPARATOR (path[n - 1]))
    n--;
  return g_strndup (path, n);
}

/* "PATH: WHAT: REASON" */
static gboolean
set_errno_error (GError **error, int err, const char *path, const char *what)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err), "%s: %s: %s", path, what,
               g_strerror (err));
  return FALSE;
}

/* Makes the missing folders of `path`, outermost first, each registered. */
static gboolean
make_parents (AmsOutDir *od, const char *path, GError **error)
{
  GStatBuf st;
  if (g_stat (path, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        return TRUE;
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR, "%s: exists and is not a folder",
                   path);
      return FALSE;
    }
  g_autofree char *up = g_path_get_dirname (path);
  if (strcmp (up, path) != 0 && !make_parents (od, up, error))
    return FALSE;
  AmsTemp *t = ams_temp_create_folder (path);
  if (t == NULL)
    return set_errno_error (error, errno, path, "cannot create folder");
  g_ptr_array_add (od->made, t);
  return TRUE;
}

AmsOutDir *
ams_outdir_open (const char *dir, AmsOutDirFlags flags, GError **error)
{
  g_return_val_if_fail (dir != NULL && *dir != '\0', NULL);
  g_autoptr (AmsOutDir) od = g_new0 (AmsOutDir, 1);
  od->dir = strip_slashes (dir);
  od->flags = flags;
  od->made = g_ptr_array_new ();
  od->files = g_array_new (FALSE, TRUE, sizeof (OutFile));
  GStatBuf st;
  if (g_stat (od->dir, &st) == 0)
    {
      if (!S_ISDIR (st.st_mode))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR, "%s: exists and is not a folder",
                       od->dir);
          return NULL;
        }
      g_autofree char *name = g_strdup_printf (".amisim-out.tmp-%d", (int) getpid ());
      od->stage = g_build_filename (od->dir, name, NULL);
    }
  else
    {
      g_autofree char *parent = g_path_get_dirname (od->dir);
      g_autofree char *base = g_path_get_basename (od->dir);
      if (!make_parents (od, parent, error))
        return NULL;
      g_autofree char *name = g_strdup_printf (".%s.tmp-%d", base, (int) getpid ());
      od->stage = g_build_filename (parent, name, NULL);
      od->beside = TRUE;
    }
  od->stage_reg = ams_temp_create_folder (od->stage);
  if (od->stage_reg == NULL)
    {
      int err = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                   "%s: cannot create a folder to write in (%s): %s", od->dir, od->stage,
                   g_strerror (err));
      return NULL;
    }
  return g_steal_pointer (&od);
}

FILE *
ams_outdir_create (AmsOutDir *od, const char *name, GError **error)
{
  g_return_val_if_fail (od != NULL && name != NULL && !od->closed, NULL);
  g_return_val_if_fail (strchr (name, '/') == NULL && *name != '.', NULL);
  OutFile f = {
    .name = g_strdup (name),
    .temp = g_build_filename (od->stage, name, NULL),
  };
  f.reg = ams_temp_create_file (f.temp, &f.f);
  if (f.reg == NULL)
    {
      int err = errno;
      g_autofree char *final = g_build_filename (od->dir, name, NULL);
      set_errno_error (error, err, final, "cannot write");
      g_free (f.name);
      g_free (f.temp);
      return NULL;
    }
  g_array_append_val (od->files, f);
  return f.f;
}

/* Flushes and closes `f`, checking that every write went through. */
static gboolean
close_checked (FILE *f, const char *what, GError **error)
{
  gboolean bad = ferror (f) != 0;
  int err = 0;
  errno = 0;
  if (fflush (f) != 0)
    {
      bad = TRUE;
      err = errno;
    }
  if (fclose (f) != 0 && err == 0)
    {
      bad = TRUE;
      err = errno;
    }
  if (!bad)
    return TRUE;
  if (err != 0)
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err), "%s: cannot write: %s",
                 what, g_strerror (err));
  else
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO,
                 "%s: cannot write: a write failed (disk full?)", what);
  return FALSE;
}

gboolean
ams_outdir_close (AmsOutDir *od, GError **error)
{
  g_return_val_if_fail (od != NULL && !od->committed, FALSE);
  gboolean ok = TRUE;
  for (guint i = 0; i < od->files->len; i++)
    {
      OutFile *f = &g_array_index (od->files, OutFile, i);
      if (f->f == NULL)
        continue;
      g_autofree char *final = g_build_filename (od->dir, f->name, NULL);
      if (!close_checked (f->f, final, ok ? error : NULL))
        ok = FALSE;
      f->f = NULL;
    }
  od->closed = TRUE;
  return ok;
}

/* ---- the manifest --------------------------------------------------------- */

/* An entry of a manifest: a file name, or a folder's with a trailing
 * slash ("plots/"); nothing that leaves the folder. */
static gboolean
manifest_entry_ok (const char *e)
{
  gsize n = strlen (e);
  if (n == 0 || n > 255 || !g_utf8_validate (e, -1, NULL))
    return FALSE;
  const char *slash = strchr (e, '/');
  if (slash != NULL && (slash != e + n - 1 || n == 1))
    return FALSE;
  return strcmp (e, ".") != 0 && strcmp (e, "..") != 0 && strcmp (e, "./") != 0
         && strcmp (e, "../") != 0 && strcmp (e, AMS_OUTDIR_MANIFEST_NAME) != 0;
}

/* The entries of DIR's manifest; NULL when it has none (or one amisim did
 * not write). */
static GPtrArray *
manifest_read (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, AMS_OUTDIR_MANIFEST_NAME, NULL);
  GStatBuf st;
  if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > MANIFEST_MAX)
    return NULL;
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  GPtrArray *entries = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l != NULL; l++)
    if (**l != '#' && manifest_entry_ok (*l))
      g_ptr_array_add (entries, g_strdup (*l));
  return entries;
}

static gboolean
has_entry (const GPtrArray *entries, const char *e)
{
  for (guint i = 0; i < entries->len; i++)
    if (strcmp (entries->pdata[i], e) == 0)
      return TRUE;
  return FALSE;
}

static GString *
manifest_text (const GPtrArray *entries)
{
  GString *s = g_string_new ("# amisim: what amisim wrote in this folder. The next run written here\n"
                             "# replaces these and removes those it does not write; it never\n"
                             "# touches files this list does not name.\n");
  for (guint i = 0; i < entries->len; i++)
    g_string_append_printf (s, "%s\n", (const char *) entries->pdata[i]);
  return s;
}

/* Writes `text` to a new registered file `path`, checked. */
static AmsTemp *
write_temp (const char *path, const GString *text, const char *what, GError **error)
{
  FILE *f = NULL;
  AmsTemp *t = ams_temp_create_file (path, &f);
  if (t == NULL)
    {
      set_errno_error (error, errno, what, "cannot write");
      return NULL;
    }
  fwrite (text->str, 1, text->len, f);
  if (!close_checked (f, what, error))
    {
      ams_temp_remove (t);
      return NULL;
    }
  return t;
}

/* ---- publishing ----------------------------------------------------------- */

/* One name the commit replaces (a new file) or retires (a listed one this
 * commit does not write). */
typedef struct
{
  char *final;      /* DIR/NAME */
  char *temp;       /* the new file in the staging folder; NULL when retired */
  char *backup;     /* where the earlier one is kept meanwhile */
  gboolean earlier; /* there is an earlier one */
  gboolean folder;  /* a retired folder (plots/) */
  gboolean kept;    /* the earlier one is at `backup` (linked or moved) */
  gboolean moved;   /* ... and no longer at `final` */
  gboolean done;    /* the new one is at `final`, or the retired one gone from it */
} Step;

static void
step_clear (gpointer p)
{
  Step *s = p;
  g_free (s->final);
  g_free (s->temp);
  g_free (s->backup);
}

/* Removes a folder and what it holds (a retired plots/), best effort. */
static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d != NULL)
    for (const char *n = g_dir_read_name (d); n != NULL; n = g_dir_read_name (d))
      {
        g_autofree char *p = g_build_filename (dir, n, NULL);
        GStatBuf st;
        if (g_lstat (p, &st) == 0 && S_ISDIR (st.st_mode))
          remove_tree (p);
        else
          g_unlink (p);
      }
  g_rmdir (dir);
}

/* Undoes the steps done, last first. FALSE when an earlier file could not
 * be put back; `why` then says where it is. */
static gboolean
undo (GArray *steps, GString *why)
{
  gboolean ok = TRUE;
  for (guint i = steps->len; i-- > 0;)
    {
      Step *s = &g_array_index (steps, Step, i);
      if (s->done && s->temp != NULL && !s->earlier)
        {
          /* a new file with nothing before it: back to the staging folder */
          if (g_rename (s->final, s->temp) != 0)
            g_unlink (s->final);
          s->done = FALSE;
          continue;
        }
      if (s->kept && (s->done || s->moved))
        {
          if (g_rename (s->backup, s->final) != 0)
            {
              int err = errno;
              g_string_append_printf (why, "; the earlier %s could not be put back (%s): it is "
                                           "%s", s->final, g_strerror (err), s->backup);
              ok = FALSE;
              continue;
            }
          s->kept = s->moved = s->done = FALSE;
        }
      else if (s->kept)
        {
          g_unlink (s->backup); /* a link: the earlier file is still in place */
          s->kept = FALSE;
        }
    }
  return ok;
}

/* Replaces DIR's files with the staged ones, retiring the listed ones not
 * written; all or, undone, nothing. The signals are blocked. */
static gboolean
publish_files (AmsOutDir *od, GError **error)
{
  g_autoptr (GArray) steps = g_array_new (FALSE, TRUE, sizeof (Step));
  g_array_set_clear_func (steps, step_clear);
  g_autofree char *keep = g_build_filename (od->stage, ".earlier", NULL);

  /* what is there now: nothing, a file (or link) to replace; a folder or a
   * device in the way stops the commit before it touches anything */
  for (guint i = 0; i < od->files->len; i++)
    {
      const OutFile *f = &g_array_index (od->files, OutFile, i);
      Step s = {
        .final = g_build_filename (od->dir, f->name, NULL),
        .temp = g_strdup (f->temp),
        .backup = g_build_filename (keep, f->name, NULL),
      };
      g_array_append_val (steps, s);
      GStatBuf st;
      if (g_lstat (s.final, &st) == 0)
        {
          if (S_ISDIR (st.st_mode))
            {
              g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                           "%s: a folder is in the way of the file amisim writes there; move "
                           "it away (nothing was written)", s.final);
              return FALSE;
            }
          if (!S_ISREG (st.st_mode) && !S_ISLNK (st.st_mode))
            {
              g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                           "%s: exists and is not a regular file; amisim does not replace it "
                           "(nothing was written)", s.final);
              return FALSE;
            }
          g_array_index (steps, Step, steps->len - 1).earlier = TRUE;
        }
      else if (errno != ENOENT)
        return set_errno_error (error, errno, s.final, "cannot look at it (nothing was written)");
    }
  /* what the earlier commit listed and this one does not write */
  g_autoptr (GPtrArray) listed = od->flags & AMS_OUTDIR_MANIFEST ? manifest_read (od->dir) : NULL;
  for (guint i = 0; listed != NULL && i < listed->len; i++)
    {
      g_autofree char *name = strip_slashes (listed->pdata[i]);
      gboolean folder = g_str_has_suffix (listed->pdata[i], "/");
      gboolean written = FALSE;
      for (guint k = 0; k < od->files->len && !written; k++)
        written = strcmp (g_array_index (od->files, OutFile, k).name, name) == 0;
      g_autofree char *final = g_build_filename (od->dir, name, NULL);
      GStatBuf st;
      if (written || g_lstat (final, &st) != 0
          || (folder ? !S_ISDIR (st.st_mode) : !(S_ISREG (st.st_mode) || S_ISLNK (st.st_mode))))
        continue; /* gone already, or not what amisim wrote there */
      Step s = {
        .final = g_steal_pointer (&final),
        .backup = g_build_filename (keep, name, NULL),
        .earlier = TRUE,
        .folder = folder,
      };
      g_array_append_val (steps, s);
    }

  AmsTemp *keep_reg = ams_temp_create_folder (keep);
  if (keep_reg == NULL)
    return set_errno_error (error, errno, keep, "cannot create (nothing was written)");

  gboolean ok = TRUE;
  int err = 0;
  const char *failed = NULL;
  /* keep the earlier files: a hard link leaves each in place until the new
   * one replaces it; where links are not possible, move them aside */
  for (guint i = 0; i < steps->len && ok; i++)
    {
      Step *s = &g_array_index (steps, Step, i);
      if (!s->earlier)
        continue;
      if (s->temp != NULL && link (s->final, s->backup) == 0)
        s->kept = TRUE;
      else if (g_rename (s->final, s->backup) == 0)
        s->kept = s->moved = TRUE;
      else
        {
          ok = FALSE;
          err = errno;
          failed = s->final;
        }
      if (s->kept && s->temp == NULL)
        s->done = TRUE; /* retired */
    }
  /* the new files in place */
  for (guint i = 0; i < steps->len && ok; i++)
    {
      Step *s = &g_array_index (steps, Step, i);
      if (s->temp == NULL)
        continue;
      if (g_rename (s->temp, s->final) == 0)
        s->done = TRUE;
      else
        {
          ok = FALSE;
          err = errno;
          failed = s->final;
        }
    }

  if (!ok)
    {
      g_autoptr (GString) why = g_string_new (NULL);
      gboolean undone = undo (steps, why);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                   "%s: cannot write: %s; %s%s", failed, g_strerror (err),
                   undone ? "the earlier files are as they were, nothing was written"
                          : "the earlier files could not all be put back",
                   why->str);
      if (!undone)
        ams_temp_release (keep_reg); /* it holds what could not be put back */
      else
        ams_temp_remove (keep_reg);
      return FALSE;
    }

  /* published: the earlier files go */
  for (guint i = 0; i < steps->len; i++)
    {
      Step *s = &g_array_index (steps, Step, i);
      if (!s->kept)
        continue;
      if (s->folder)
        remove_tree (s->backup);
      else
        g_unlink (s->backup);
    }
  ams_temp_remove (keep_reg);
  return TRUE;
}

gboolean
ams_outdir_commit (AmsOutDir *od, GError **error)
{
  g_return_val_if_fail (od != NULL && !od->committed, FALSE);
  if (!od->closed && !ams_outdir_close (od, error))
    return FALSE;
  if (od->flags & AMS_OUTDIR_MANIFEST)
    {
      g_autoptr (GPtrArray) names = g_ptr_array_new ();
      for (guint i = 0; i < od->files->len; i++)
        g_ptr_array_add (names, g_array_index (od->files, OutFile, i).name);
      g_autoptr (GString) text = manifest_text (names);
      OutFile m = {
        .name = g_strdup (AMS_OUTDIR_MANIFEST_NAME),
        .temp = g_build_filename (od->stage, AMS_OUTDIR_MANIFEST_NAME, NULL),
      };
      g_autofree char *final = g_build_filename (od->dir, AMS_OUTDIR_MANIFEST_NAME, NULL);
      m.reg = write_temp (m.temp, text, final, error);
      if (m.reg == NULL)
        {
          g_free (m.name);
          g_free (m.temp);
          return FALSE;
        }
      g_array_append_val (od->files, m); /* published last */
    }

  sigset_t saved;
  ams_cleanup_block (&saved);
  gboolean ok;
  if (od->beside && g_rename (od->stage, od->dir) == 0)
    ok = TRUE;
  else if (od->beside && errno != EEXIST && errno != ENOTEMPTY)
    ok = set_errno_error (error, errno, od->dir, "cannot create");
  else
    ok = publish_files (od, error); /* it existed, or appeared while the run went */
  if (ok)
    {
      od->committed = TRUE;
      for (guint i = 0; i < od->files->len; i++)
        g_clear_pointer (&g_array_index (od->files, OutFile, i).reg, ams_temp_release);
      if (od->beside && !g_file_test (od->stage, G_FILE_TEST_EXISTS))
        ams_temp_release (od->stage_reg);
      else
        ams_temp_remove (od->stage_reg);
      od->stage_reg = NULL;
      for (guint i = 0; i < od->made->len; i++)
        ams_temp_release (od->made->pdata[i]);
      g_ptr_array_set_size (od->made, 0);
    }
  ams_cleanup_unblock (&saved);
  return ok;
}

void
ams_outdir_free (AmsOutDir *od)
{
  if (od == NULL)
    return;
  /* not published: leave nothing behind, newest first */
  for (guint i = od->files->len; i-- > 0;)
    {
      OutFile *f = &g_array_index (od->files, OutFile, i);
      if (f->f != NULL)
        fclose (f->f);
      ams_temp_remove (f->reg);
      g_free (f->temp);
      g_free (f->name);
    }
  ams_temp_remove (od->stage_reg);
  for (guint i = od->made->len; i-- > 0;)
    ams_temp_remove (od->made->pdata[i]);
  g_ptr_array_unref (od->made);
  g_array_unref (od->files);
  g_free (od->stage);
  g_free (od->dir);
  g_free (od);
}

/* ---- one more entry in a manifest (plot's plots/) ------------------------- */

struct AmsManifestEdit
{
  char *path;       /* DIR/.amisim-outputs */
  AmsTemp *reg;     /* the new list, beside it */
};

AmsManifestEdit *
ams_outdir_manifest_add (const char *dir, const char *entry, GError **error)
{
  g_return_val_if_fail (dir != NULL && entry != NULL && manifest_entry_ok (entry), NULL);
  g_autoptr (GPtrArray) entries = manifest_read (dir);
  if (entries == NULL || has_entry (entries, entry))
    return NULL;
  g_ptr_array_add (entries, g_strdup (entry));
  g_autoptr (GString) text = manifest_text (entries);
  g_autofree char *path = g_build_filename (dir, AMS_OUTDIR_MANIFEST_NAME, NULL);
  g_autofree char *name = g_strdup_printf (".%s.tmp-%d", AMS_OUTDIR_MANIFEST_NAME, (int) getpid ());
  g_autofree char *temp = g_build_filename (dir, name, NULL);
  AmsTemp *reg = write_temp (temp, text, path, error);
  if (reg == NULL)
    return NULL;
  AmsManifestEdit *e = g_new0 (AmsManifestEdit, 1);
  e->path = g_steal_pointer (&path);
  e->reg = reg;
  return e;
}

gboolean
ams_outdir_manifest_commit (AmsManifestEdit *e, GError **error)
{
  g_return_val_if_fail (e != NULL && e->reg != NULL, FALSE);
  sigset_t saved;
  ams_cleanup_block (&saved);
  gboolean ok = g_rename (ams_temp_path (e->reg), e->path) == 0;
  int err = errno;
  if (ok)
    g_clear_pointer (&e->reg, ams_temp_release);
  ams_cleanup_unblock (&saved);
  if (!ok)
    return set_errno_error (error, err, e->path, "cannot write");
  return TRUE;
}

void
ams_outdir_manifest_edit_free (AmsManifestEdit *e)
{
  if (e == NULL)
    return;
  ams_temp_remove (e->reg);
  g_free (e->path);
  g_free (e);
}

/* ---- a folder written at once --------------------------------------------- */

gboolean
ams_report_write_dir (const char *dir, const AmsOutputFile *files, guint n, GError **error)
{
  return ams_report_write_dir_full (dir, AMS_OUTDIR_NONE, files, n, error);
}

gboolean
ams_report_write_dir_full (const char *dir, AmsOutDirFlags flags, const AmsOutputFile *files,
                           guint n, GError **error)
{
  g_return_val_if_fail (dir != NULL && (files != NULL || n == 0), FALSE);
  g_autoptr (AmsOutDir) od = ams_outdir_open (dir, flags, error);
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

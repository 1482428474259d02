/* `amisim plot OUTDIR`: renders the plots of a finished run (`amisim run
 * --out OUTDIR`) or sweep (`amisim sweep --out OUTDIR`) with gnuplot.
 *
 * The run or sweep prepared the data already (report/plotdata.h):
 * OUTDIR/plotdata.gp lists the pictures to draw (and why the others are
 * not) and holds their data and variables. This file checks that it holds
 * nothing else (gnuplot runs what it loads), reads that list, copies what
 * it checked into a temporary folder inside OUTDIR and runs gnuplot there
 * on each picture's script in plots/, once per format, loading that copy
 * first; it reads no CSV. When every picture is drawn, the temporary folder replaces
 * OUTDIR/plots: the folder is written whole or not at all. The working
 * folder and the pictures are registered with the signal handler
 * (report/cleanup.h), which also kills gnuplot: an interrupted plot leaves
 * OUTDIR as it was.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "amisim/cli.h"
#include "amisim/report.h"
#include "cli/cli-private.h"
#include "cli/plot-config.h"
#include "report/cleanup.h"
#include "report/plotdata.h"

typedef struct
{
  const char *work;    /* the temporary folder, gnuplot's working folder */
  AmsTemp *data;       /* the checked copy of plotdata.gp in it, removed before publishing */
  GPtrArray *pictures; /* AmsTemp* of the pictures gnuplot writes, published with the folder */
} Ctx;

/* name='value' for gnuplot's -e; in single quotes, '' stands for '. */
static void
var_str (GString *vars, const char *name, const char *value)
{
  g_string_append_printf (vars, "%s='", name);
  for (const char *p = value; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (vars, '\'');
      g_string_append_c (vars, *p);
    }
  g_string_append (vars, "'; ");
}

/* One picture listed in plotdata.gp. */
typedef struct
{
  char *name;
  char *why; /* NULL: to draw; else why it is not drawn */
} Listed;

static void
listed_free (gpointer p)
{
  Listed *l = p;
  g_free (l->name);
  g_free (l->why);
  g_free (l);
}

/* The pictures plotdata.gp lists ("# draw NAME", "# skip NAME: why", after
 * its first line). NULL with *old set when the file is not there or not of
 * this amisim (a folder of an older one); NULL with `error` when it cannot
 * be read. */
static GPtrArray *
read_list (const char *path, gboolean *old, GError **error)
{
  FILE *f = fopen (path, "r");
  if (f == NULL)
    {
      int err = errno;
      if (err == ENOENT)
        *old = TRUE;
      else
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err), "cannot read %s: %s",
                     path, g_strerror (err));
      return NULL;
    }
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (listed_free);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  gboolean first = TRUE;
  while ((n = getline (&line, &cap, f)) > 0 && line[0] == '#')
    {
      g_strchomp (line);
      if (first)
        {
          first = FALSE;
          if (strcmp (line, AMS_PLOTDATA_MAGIC) != 0)
            break;
          continue;
        }
      Listed *l = NULL;
      if (g_str_has_prefix (line, "# draw "))
        {
          l = g_new0 (Listed, 1);
          l->name = g_strdup (line + 7);
        }
      else if (g_str_has_prefix (line, "# skip "))
        {
          const char *colon = strstr (line + 7, ": ");
          l = g_new0 (Listed, 1);
          l->name = colon ? g_strndup (line + 7, (gsize) (colon - line - 7)) : g_strdup (line + 7);
          l->why = g_strdup (colon ? colon + 2 : "no data");
        }
      if (l != NULL && (*l->name == '\0' || strpbrk (l->name, "/'\\") != NULL))
        {
          listed_free (l); /* not a picture's name */
          l = NULL;
        }
      if (l != NULL)
        g_ptr_array_add (list, l);
    }
  int read_err = ferror (f) ? errno : 0;
  free (line);
  fclose (f);
  if (read_err != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (read_err), "cannot read %s: %s",
                   path, g_strerror (read_err));
      return NULL;
    }
  if (first || list->len == 0)
    {
      *old = TRUE;
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* ---- checking plotdata.gp ---- */

/* gnuplot runs what it loads, so plot loads only what amisim writes: after
 * the comment lines, datablocks ($NAME << EOD … EOD), picture blocks (if
 * (picture eq 'NAME') { … }) and, in them, "  NAME = 'TEXT'" or
 * "  NAME = NUMBER"; no backquote anywhere. */
static gboolean
word_ok (const char *s, gsize n, const char *extra)
{
  if (n == 0)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (s[i]) && s[i] != '_' && strchr (extra, s[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* "  name = 'text'" ('' for ') or "  name = 1.5e-3". */
static gboolean
assignment_ok (const char *line)
{
  if (!g_str_has_prefix (line, "  "))
    return FALSE;
  const char *eq = strstr (line, " = ");
  if (eq == NULL || !word_ok (line + 2, (gsize) (eq - line - 2), ""))
    return FALSE;
  const char *v = eq + 3;
  if (*v == '\'')
    {
      for (v++; *v; v++)
        if (*v == '\'')
          {
            if (v[1] == '\'')
              v++;
            else
              return v[1] == '\0';
          }
      return FALSE;
    }
  return *v != '\0' && strspn (v, "0123456789.eE+-") == strlen (v);
}

/* NULL when `path` holds only plot data, its lines then in `copy` (what
 * gnuplot loads: what was checked, whatever happens to the file after);
 * else what is wrong, with its line. */
static char *
check_data (const char *path, GString *copy)
{
  FILE *f = fopen (path, "r");
  if (f == NULL)
    return g_strdup_printf ("cannot read it: %s", g_strerror (errno));
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  guint no = 0;
  gboolean in_block = FALSE, in_picture = FALSE;
  char *why = NULL;
  while (why == NULL && (n = getline (&line, &cap, f)) >= 0)
    {
      no++;
      if (n > 0 && line[n - 1] == '\n')
        line[--n] = '\0';
      if (memchr (line, '`', (size_t) n) != NULL || strlen (line) != (size_t) n)
        why = g_strdup ("a backquote or NUL");
      else if (in_block)
        in_block = strcmp (line, "EOD") != 0;
      else if (*line == '#' || *line == '\0')
        {
          /* a comment or a blank line */
        }
      else if (*line == '$' && g_str_has_suffix (line, " << EOD")
               && word_ok (line + 1, (gsize) n - 8, "") && !in_picture)
        in_block = TRUE;
      else if (g_str_has_prefix (line, "if (picture eq '") && g_str_has_suffix (line, "') {")
               && word_ok (line + 16, (gsize) n - 20, "-") && !in_picture)
        in_picture = TRUE;
      else if (strcmp (line, "}") == 0 && in_picture)
        in_picture = FALSE;
      else if (!in_picture || !assignment_ok (line))
        why = g_strdup ("not a line of plot data");
      if (why == NULL)
        {
          g_string_append_len (copy, line, n);
          g_string_append_c (copy, '\n');
        }
      if (why != NULL)
        {
          char *with_line = g_strdup_printf ("line %u: %s", no, why);
          g_free (why);
          why = with_line;
        }
    }
  if (why == NULL && ferror (f))
    why = g_strdup_printf ("cannot read it: %s", g_strerror (errno));
  if (why == NULL && (in_block || in_picture))
    why = g_strdup_printf ("it ends inside a %s", in_block ? "datablock" : "picture's block");
  free (line);
  fclose (f);
  return why;
}

/* ---- rendering and publishing ---- */

/* Where the scripts are: $AMISIM_PLOTS_DIR, else the source tree's plots/,
 * else the installed copy. NULL with a message when none holds them. */
static char *
find_scripts (GError **error)
{
  const char *env = g_getenv ("AMISIM_PLOTS_DIR");
  if (env != NULL && *env != '\0')
    {
      if (g_file_test (env, G_FILE_TEST_IS_DIR))
        return g_strdup (env);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "AMISIM_PLOTS_DIR=%s is not a folder of gnuplot scripts", env);
      return NULL;
    }
  const char *candidates[] = { AMS_PLOTS_SOURCE_DIR, AMS_PLOTS_INSTALL_DIR };
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *probe = g_build_filename (candidates[i], "storage.gp", NULL);
      if (g_file_test (probe, G_FILE_TEST_IS_REGULAR))
        return g_strdup (candidates[i]);
    }
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
               "the gnuplot scripts are in neither %s nor %s; set AMISIM_PLOTS_DIR to the "
               "plots/ folder of amisim's source",
               AMS_PLOTS_SOURCE_DIR, AMS_PLOTS_INSTALL_DIR);
  return NULL;
}

/* Runs gnuplot (argv) in `cwd`, its stdout to /dev/null, its stderr into
 * `err`; the signal handler (report/cleanup.h) kills it, so that it writes
 * nothing once amisim is interrupted. */
static gboolean
spawn_gnuplot (const char *cwd, const char *const *argv, char **err, int *status,
               GError **error)
{
  GPid pid = 0;
  int err_fd = -1;
  sigset_t saved;
  ams_cleanup_block (&saved); /* no signal between the fork and the pid known */
  gboolean ok = g_spawn_async_with_pipes (cwd, (char **) argv, NULL,
                                          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                          ams_cleanup_child_setup, NULL, &pid, NULL, NULL,
                                          &err_fd, error);
  if (ok)
    ams_cleanup_set_child (pid);
  ams_cleanup_unblock (&saved);
  if (!ok)
    return FALSE;
  g_autoptr (GString) text = g_string_new (NULL);
  char buf[4096];
  for (;;)
    {
      ssize_t n = read (err_fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_string_append_len (text, buf, n);
    }
  close (err_fd);
  while (waitpid (pid, status, 0) < 0 && errno == EINTR)
    ;
  ams_cleanup_set_child (0);
  g_spawn_close_pid (pid);
  *err = g_string_free (g_steal_pointer (&text), FALSE);
  return TRUE;
}

/* Runs gnuplot on plots/NAME.gp in the working folder; the picture must
 * come out non-empty. gnuplot's own messages go in the error. */
static gboolean
render (const char *gnuplot, const char *scripts, Ctx *ctx, const char *name,
        const char *fmt, gboolean quiet, GError **error)
{
  g_autofree char *script_name = g_strconcat (name, ".gp", NULL);
  g_autofree char *script = g_build_filename (scripts, script_name, NULL);
  if (!g_file_test (script, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "no gnuplot script %s", script);
      return FALSE;
    }
  g_autofree char *out = g_strdup_printf ("%s.%s", name, fmt);
  g_autofree char *path = g_build_filename (ctx->work, out, NULL);
  g_ptr_array_add (ctx->pictures, ams_temp_track (path, FALSE)); /* before gnuplot makes it */
  g_autoptr (GString) e = g_string_new (NULL);
  var_str (e, "picture", name);
  var_str (e, "out", out);
  var_str (e, "fmt", fmt);
  /* -d: no ~/.gnuplot, so a user's settings cannot change the pictures;
   * the data first (the working folder is inside OUTDIR). */
  const char *argv[] = { gnuplot, "-d", "-e", e->str, "-e", "load '" AMS_PLOTDATA_NAME "'",
                         script, NULL };
  g_autofree char *err = NULL;
  int status = 0;
  if (!spawn_gnuplot (ctx->work, argv, &err, &status, error))
    return FALSE;
  g_strchomp (err);
  g_autoptr (GError) wait_error = NULL;
  if (!g_spawn_check_wait_status (status, &wait_error))
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "gnuplot failed on %s (%s)%s%s",
                   script, wait_error->message, *err ? ":\n" : "", err);
      return FALSE;
    }
  GStatBuf st;
  if (g_stat (path, &st) != 0 || st.st_size == 0)
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "gnuplot wrote no %s from %s%s%s",
                   out, script, *err ? ":\n" : "", err);
      return FALSE;
    }
  if (*err && !quiet)
    fprintf (stderr, "amisim plot: gnuplot on %s said:\n%s\n", script, err);
  return TRUE;
}

/* Removes a folder and what it holds (one level of files; amisim writes no
 * deeper), best effort. */
static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d != NULL)
    for (const char *n = g_dir_read_name (d); n != NULL; n = g_dir_read_name (d))
      {
        g_autofree char *p = g_build_filename (dir, n, NULL);
        if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
          remove_tree (p);
        else
          g_unlink (p);
      }
  g_rmdir (dir);
}

/* Puts the rendered folder in place of OUTDIR/plots, with the signals
 * blocked: the old one is moved aside first and removed only once the new
 * one is in place; then the folder's manifest lists plots/ (so that the
 * next run written there retires these pictures with its own outputs). */
static gboolean
publish (const char *work, const char *final, const char *dir, AmsManifestEdit *manifest,
         GError **error)
{
  g_autofree char *old = NULL;
  if (g_file_test (final, G_FILE_TEST_EXISTS))
    {
      if (!g_file_test (final, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                       "%s exists and is not a folder; remove it or move it away", final);
          return FALSE;
        }
      g_autofree char *name = g_strdup_printf (".plots-old.tmp-%d", (int) getpid ());
      old = g_build_filename (dir, name, NULL);
      if (g_rename (final, old) != 0)
        {
          int err = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                       "cannot replace %s: %s", final, g_strerror (err));
          return FALSE;
        }
    }
  if (g_rename (work, final) != 0)
    {
      int err = errno;
      if (old != NULL)
        g_rename (old, final);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err), "cannot create %s: %s",
                   final, g_strerror (err));
      return FALSE;
    }
  if (old != NULL)
    remove_tree (old);
  g_autoptr (GError) listed = NULL;
  if (manifest != NULL && !ams_outdir_manifest_commit (manifest, &listed))
    fprintf (stderr, "amisim plot: %s (the plots are in place, but the next run into %s will "
                     "not replace them)\n", listed->message, dir);
  return TRUE;
}

/* Removes what plot made in OUTDIR: the pictures, then the working
 * folder. */
static void
discard (Ctx *ctx, AmsTemp *work)
{
  for (guint i = ctx->pictures->len; i-- > 0;)
    ams_temp_remove (ctx->pictures->pdata[i]);
  g_ptr_array_set_size (ctx->pictures, 0);
  ams_temp_remove (ctx->data);
  ctx->data = NULL;
  remove_tree (ams_temp_path (work)); /* anything gnuplot left besides */
  ams_temp_remove (work);
}

int
ams_cli_plot (const AmsPlotOptions *opt)
{
  g_return_val_if_fail (opt != NULL && opt->dir != NULL, AMS_EXIT_BAD_INPUT);
  const char *dir = opt->dir;
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      fprintf (stderr, "amisim plot: %s: %s\n", dir,
               g_file_test (dir, G_FILE_TEST_EXISTS)
                 ? "not a folder; give the folder of amisim run --out DIR"
                 : "no such folder; write one with amisim run --out DIR");
      return AMS_EXIT_BAD_INPUT;
    }
  g_autoptr (GError) error = NULL;
  g_autofree char *data_path = g_build_filename (dir, AMS_PLOTDATA_NAME, NULL);
  gboolean old = FALSE;
  g_autoptr (GPtrArray) list = read_list (data_path, &old, &error);
  if (list == NULL && error != NULL)
    {
      fprintf (stderr, "amisim plot: %s\n", error->message);
      return AMS_EXIT_FAILURE;
    }
  if (list == NULL)
    {
      g_autofree char *summary = g_build_filename (dir, "summary.json", NULL);
      g_autofree char *sweep = g_build_filename (dir, "sweep.csv", NULL);
      if (g_file_test (summary, G_FILE_TEST_IS_REGULAR)
          || g_file_test (sweep, G_FILE_TEST_IS_REGULAR))
        fprintf (stderr,
                 "amisim plot: %s has no plot data of this amisim (%s): it was written by an "
                 "older one; write it again with this version (amisim run --out DIR, or amisim "
                 "sweep --out DIR)\n",
                 dir, AMS_PLOTDATA_NAME);
      else
        fprintf (stderr,
                 "amisim plot: %s is not the output of a run: it has neither summary.json nor "
                 "sweep.csv (write one with amisim run --out DIR or amisim sweep --out DIR)\n",
                 dir);
      return AMS_EXIT_BAD_INPUT;
    }
  g_autoptr (GString) checked = g_string_new (NULL);
  g_autofree char *bad = check_data (data_path, checked);
  if (bad != NULL)
    {
      fprintf (stderr,
               "amisim plot: %s: %s; this is not plot data amisim wrote (write it again with "
               "amisim run --out DIR, or amisim sweep --out DIR)\n",
               data_path, bad);
      return AMS_EXIT_BAD_INPUT;
    }

  g_autofree char *gnuplot = g_find_program_in_path ("gnuplot");
  if (gnuplot == NULL)
    {
      fputs ("amisim plot: gnuplot not found; run tools/bootstrap\n", stderr);
      return AMS_EXIT_FAILURE;
    }
  g_autofree char *scripts = find_scripts (&error);
  if (scripts == NULL)
    {
      fprintf (stderr, "amisim plot: %s\n", error->message);
      return AMS_EXIT_FAILURE;
    }

  /* Inside OUTDIR, so that the final rename stays on one file system;
   * registered with the signal handler, as is everything made in it. */
  g_autofree char *work_name = g_strdup_printf (".plots.tmp-%d", (int) getpid ());
  g_autofree char *work_path = g_build_filename (dir, work_name, NULL);
  AmsTemp *work = ams_temp_create_folder (work_path);
  if (work == NULL)
    {
      int err = errno;
      fprintf (stderr, "amisim plot: cannot create a folder in %s: %s\n", dir, g_strerror (err));
      return AMS_EXIT_FAILURE;
    }
  g_autoptr (GPtrArray) pictures = g_ptr_array_new ();
  Ctx ctx = { .work = work_path, .pictures = pictures };
  g_autofree char *copy_path = g_build_filename (work_path, AMS_PLOTDATA_NAME, NULL);
  FILE *copy = NULL;
  ctx.data = ams_temp_create_file (copy_path, &copy);
  gboolean copied = ctx.data != NULL && fwrite (checked->str, 1, checked->len, copy) == checked->len;
  int copy_err = errno;
  if (copy != NULL && fclose (copy) != 0 && copied)
    copied = FALSE, copy_err = errno;
  if (!copied)
    {
      fprintf (stderr, "amisim plot: cannot write %s: %s\n", copy_path, g_strerror (copy_err));
      discard (&ctx, work);
      return AMS_EXIT_FAILURE;
    }
  AmsPlotFormat formats = opt->formats ? opt->formats : AMS_PLOT_BOTH;
  const char *fmts[] = { "png", "svg" };
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  int status = AMS_EXIT_OK;

  for (guint i = 0; i < list->len && status == AMS_EXIT_OK; i++)
    {
      const Listed *l = list->pdata[i];
      if (l->why != NULL)
        {
          if (!opt->quiet)
            fprintf (stderr, "amisim plot: skipped %s: %s\n", l->name, l->why);
          continue;
        }
      for (guint k = 0; k < G_N_ELEMENTS (fmts) && status == AMS_EXIT_OK; k++)
        {
          if (!(formats & (1u << k)))
            continue;
          if (!render (gnuplot, scripts, &ctx, l->name, fmts[k], opt->quiet, &error))
            {
              fprintf (stderr, "amisim plot: %s\n", error->message);
              status = AMS_EXIT_FAILURE;
            }
          else
            g_ptr_array_add (written, g_strdup_printf ("%s.%s", l->name, fmts[k]));
        }
    }

  ams_temp_remove (ctx.data); /* the pictures alone are published */
  ctx.data = NULL;

  g_autofree char *final = g_build_filename (dir, "plots", NULL);
  if (status == AMS_EXIT_OK && written->len == 0)
    {
      fprintf (stderr, "amisim plot: nothing to plot in %s; %s left as it was\n", dir, final);
      discard (&ctx, work);
      return AMS_EXIT_OK;
    }
  g_autoptr (AmsManifestEdit) manifest = NULL;
  if (status == AMS_EXIT_OK)
    {
      manifest = ams_outdir_manifest_add (dir, "plots/", &error);
      if (manifest == NULL && error != NULL)
        {
          fprintf (stderr, "amisim plot: %s\n", error->message);
          status = AMS_EXIT_FAILURE;
        }
    }
  sigset_t saved;
  ams_cleanup_block (&saved);
  gboolean published = status == AMS_EXIT_OK && publish (work_path, final, dir, manifest, &error);
  if (published)
    {
      for (guint i = 0; i < pictures->len; i++)
        ams_temp_release (pictures->pdata[i]);
      g_ptr_array_set_size (pictures, 0);
      ams_temp_release (work);
    }
  ams_cleanup_unblock (&saved);
  if (!published)
    {
      if (status == AMS_EXIT_OK)
        fprintf (stderr, "amisim plot: %s\n", error->message);
      discard (&ctx, work);
      return AMS_EXIT_FAILURE;
    }
  if (!opt->quiet)
    for (guint i = 0; i < written->len; i++)
      {
        g_autofree char *p = g_build_filename (final, written->pdata[i], NULL);
        ams_cli_printf ("%s\n", p);
      }
  return ams_cli_stdout_ok () ? AMS_EXIT_OK : AMS_EXIT_FAILURE;
}

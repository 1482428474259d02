/* `amisim plot` through the real binary.
 *
 *   test_plot errors   exit codes and messages that need no gnuplot
 *   test_plot render   pictures from a small run and from a sweep.csv;
 *                      exits 77 (meson: SKIP) with a message when gnuplot is
 *                      not installed, so a machine without it neither fails
 *                      nor passes silently
 */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "ams_proc.h"


#define ASSERT_FIRST_ERR(r, want)                                              \
  do                                                                           \
    {                                                                          \
      g_autofree char *fl_ = first_line ((r).err);                             \
      if (strcmp (fl_, (want)) != 0)                                           \
        printf ("\n    got:  %s\n    want: %s\n", fl_, (want));               \
      CU_ASSERT_STRING_EQUAL (fl_, (want));                                    \
    }                                                                          \
  while (0)

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d != NULL)
    for (const char *n = g_dir_read_name (d); n != NULL; n = g_dir_read_name (d))
      {
        g_autofree char *p = g_build_filename (dir, n, NULL);
        if (g_file_test (p, G_FILE_TEST_IS_DIR))
          remove_tree (p);
        else
          g_unlink (p);
      }
  g_rmdir (dir);
}

static int
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The names in `dir`, sorted, joined with spaces. */
static char *
list_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  if (d != NULL)
    for (const char *n = g_dir_read_name (d); n != NULL; n = g_dir_read_name (d))
      g_ptr_array_add (names, g_strdup (n));
  g_ptr_array_sort (names, by_name);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* A PNG file: non-empty, with PNG's signature. */
static gboolean
is_png (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  return len > 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0;
}

/* An SVG file: non-empty, with an <svg element. */
static gboolean
is_svg (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = NULL;
  if (!g_file_get_contents (path, &data, NULL, NULL))
    return FALSE;
  return strstr (data, "<svg") != NULL && strstr (data, "</svg>") != NULL;
}

static void
write_file (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

/* ---- without gnuplot ---- */

static void
test_plot_bad_outdir_exits_2 (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-plot-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (tmp, "missing", NULL);
  g_autofree char *want = NULL;

  g_auto (Run) a = { 0 };
  amisim (&a, "plot", missing, NULL);
  CU_ASSERT_EQUAL (a.status, 2);
  want = g_strdup_printf ("amisim plot: %s: no such folder; write one with amisim run --out DIR",
                          missing);
  ASSERT_FIRST_ERR (a, want);

  write_file (tmp, "notes.txt", "not a run\n");
  g_autofree char *file = g_build_filename (tmp, "notes.txt", NULL);
  g_auto (Run) b = { 0 };
  amisim (&b, "plot", file, NULL);
  CU_ASSERT_EQUAL (b.status, 2);
  g_free (want);
  want = g_strdup_printf ("amisim plot: %s: not a folder; give the folder of amisim run --out DIR",
                          file);
  ASSERT_FIRST_ERR (b, want);

  g_auto (Run) c = { 0 };
  amisim (&c, "plot", tmp, NULL);
  CU_ASSERT_EQUAL (c.status, 2);
  g_free (want);
  want = g_strdup_printf ("amisim plot: %s is not the output of a run: it has neither "
                          "summary.json nor sweep.csv (write one with amisim run --out DIR or "
                          "amisim sweep --out DIR)",
                          tmp);
  ASSERT_FIRST_ERR (c, want);
  CU_ASSERT_FALSE (g_file_test (file, G_FILE_TEST_IS_DIR));
  g_autofree char *names = list_dir (tmp);
  CU_ASSERT_STRING_EQUAL (names, "notes.txt"); /* nothing written */
  remove_tree (tmp);
}

static void
test_plot_misuse_exits_2 (void)
{
  g_auto (Run) a = { 0 };
  amisim (&a, "plot", NULL);
  CU_ASSERT_EQUAL (a.status, 2);
  ASSERT_FIRST_ERR (a, "amisim plot: expected one output folder, got 0");

  g_auto (Run) b = { 0 };
  amisim (&b, "plot", "out", "--format", "jpg", NULL);
  CU_ASSERT_EQUAL (b.status, 2);
  ASSERT_FIRST_ERR (b, "amisim plot: --format expects png, svg or both, got 'jpg'");

  g_auto (Run) h = { 0 };
  amisim (&h, "plot", "--help", NULL);
  CU_ASSERT_EQUAL (h.status, 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (h.out, "--format"));

  g_auto (Run) u = { 0 };
  amisim (&u, "--help", NULL);
  CU_ASSERT_PTR_NOT_NULL (strstr (u.out, "plot OUTDIR"));
}

static void
test_plot_without_gnuplot_exits_1 (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-plot-XXXXXX", NULL);
  g_autofree char *empty = g_build_filename (tmp, "bin", NULL);
  g_mkdir (empty, 0755);
  write_file (tmp, "summary.json", "{}\n");
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "PATH", empty, TRUE);
  g_auto (Run) r = { 0 };
  amisim_env (&r, env, "plot", tmp, NULL);
  CU_ASSERT_EQUAL (r.status, 1);
  ASSERT_FIRST_ERR (r, "amisim plot: gnuplot not found; run tools/bootstrap");
  g_autofree char *plots = g_build_filename (tmp, "plots", NULL);
  CU_ASSERT_FALSE (g_file_test (plots, G_FILE_TEST_EXISTS));
  remove_tree (tmp);
}

/* ---- with gnuplot ---- */

static const char *const run_plots[]
  = { "copies-timeline", "pool-queues", "completion-cdf", "failures", "storage" };

static void
test_plot_run_renders_every_plot (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-plot-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_auto (Run) run = { 0 };
  /* The default scenario: queueing, a failure cause, and with compare the
   * storage curve without lifecycle too. */
  amisim (&run, "run", "--quiet", "--out", out, "--set", "simulation.lifecycle.compare=true",
          NULL);
  CU_ASSERT_EQUAL_FATAL (run.status, 0);

  g_auto (Run) r = { 0 };
  amisim (&r, "plot", out, NULL);
  CU_ASSERT_EQUAL (r.status, 0);
  CU_ASSERT_STRING_EQUAL (r.err, ""); /* every plot drawn, gnuplot said nothing */
  g_autofree char *plots = g_build_filename (out, "plots", NULL);
  g_autoptr (GString) want = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (run_plots); i++)
    {
      g_autofree char *png = g_strconcat (run_plots[i], ".png", NULL);
      g_autofree char *svg = g_strconcat (run_plots[i], ".svg", NULL);
      if (!is_png (plots, png) || !is_svg (plots, svg))
        printf ("\n    not drawn: %s\n", run_plots[i]);
      CU_ASSERT_TRUE (is_png (plots, png));
      CU_ASSERT_TRUE (is_svg (plots, svg));
      g_string_append_printf (want, "%s/%s\n%s/%s\n", plots, png, plots, svg);
    }
  CU_ASSERT_STRING_EQUAL (r.out, want->str); /* the files written, one a line */
  /* Only pictures: no data files, no temporary folder left behind. */
  g_autofree char *names = list_dir (plots);
  CU_ASSERT_STRING_EQUAL (names, "completion-cdf.png completion-cdf.svg copies-timeline.png "
                                 "copies-timeline.svg failures.png failures.svg "
                                 "pool-queues.png pool-queues.svg storage.png storage.svg");
  g_autofree char *top = list_dir (out);
  CU_ASSERT_PTR_NULL (strstr (top, ".plots"));
  CU_ASSERT_PTR_NOT_NULL (strstr (top, " plots "));

  /* Again, PNG only: plots/ is replaced whole (a stray file goes too). */
  write_file (plots, "stale.txt", "old\n");
  g_auto (Run) p = { 0 };
  amisim (&p, "plot", "--format", "png", "--quiet", out, NULL);
  CU_ASSERT_EQUAL (p.status, 0);
  CU_ASSERT_STRING_EQUAL (p.out, "");
  CU_ASSERT_STRING_EQUAL (p.err, "");
  g_autofree char *pngs = list_dir (plots);
  CU_ASSERT_STRING_EQUAL (pngs, "completion-cdf.png copies-timeline.png failures.png "
                                "pool-queues.png storage.png");
  remove_tree (tmp);
}

static void
test_plot_gnuplot_failure_keeps_old_plots (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-plot-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_auto (Run) run = { 0 };
  amisim (&run, "run", "--quiet", "--out", out, "scenarios/quickstart.yaml", NULL);
  CU_ASSERT_EQUAL_FATAL (run.status, 0);
  g_autofree char *plots = g_build_filename (out, "plots", NULL);
  g_mkdir (plots, 0755);
  write_file (plots, "old.png", "old\n");

  /* A copy of the scripts with one broken. */
  g_autofree char *scripts = g_build_filename (tmp, "scripts", NULL);
  g_mkdir (scripts, 0755);
  g_autofree char *src = ams_source_path ("plots");
  g_autoptr (GDir) d = g_dir_open (src, 0, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  for (const char *n = g_dir_read_name (d); n != NULL; n = g_dir_read_name (d))
    {
      if (!g_str_has_suffix (n, ".gp"))
        continue;
      g_autofree char *path = g_build_filename (src, n, NULL);
      g_autofree char *text = NULL;
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      if (strcmp (n, "completion-cdf.gp") == 0)
        {
          char *more = g_strconcat (text, "plot no_such_function(x)\n", NULL);
          g_free (text);
          text = more;
        }
      write_file (scripts, n, text);
    }
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "AMISIM_PLOTS_DIR", scripts, TRUE);
  g_auto (Run) r = { 0 };
  amisim_env (&r, env, "plot", "--format", "png", out, NULL);
  CU_ASSERT_EQUAL (r.status, 1);
  g_autofree char *want = g_strdup_printf ("amisim plot: gnuplot failed on %s/completion-cdf.gp "
                                           "(Child process exited with code 1):",
                                           scripts);
  ASSERT_FIRST_ERR (r, want);
  CU_ASSERT_PTR_NOT_NULL (strstr (r.err, "no_such_function")); /* gnuplot's own words */
  CU_ASSERT_STRING_EQUAL (r.out, "");
  g_autofree char *names = list_dir (plots);
  CU_ASSERT_STRING_EQUAL (names, "old.png"); /* as it was */
  g_autofree char *top = list_dir (out);
  CU_ASSERT_PTR_NULL (strstr (top, ".plots"));
  remove_tree (tmp);
}

static void
test_plot_skips_missing_inputs (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-plot-XXXXXX", NULL);
  write_file (tmp, "summary.json", "{}\n");
  write_file (tmp, "failures.csv", "cause,region,account,count\n");
  write_file (tmp, "images.csv", "pipeline,recipe,version,start_s,built_s,end_s,status\n"
                                 "p,r,1.0.0/1,0,3600,5400,AVAILABLE\n"
                                 "p,r,1.0.0/2,0,,,FAILED\n");
  g_auto (Run) r = { 0 };
  amisim (&r, "plot", tmp, "--format", "svg", NULL);
  CU_ASSERT_EQUAL (r.status, 0);
  CU_ASSERT_STRING_EQUAL (r.err, "amisim plot: skipped copies-timeline: no copies.csv\n"
                                 "amisim plot: skipped pool-queues: no timeseries.csv\n"
                                 "amisim plot: skipped failures: failures.csv has no rows "
                                 "(nothing failed)\n"
                                 "amisim plot: skipped storage: no timeseries.csv\n");
  g_autofree char *plots = g_build_filename (tmp, "plots", NULL);
  g_autofree char *names = list_dir (plots);
  CU_ASSERT_STRING_EQUAL (names, "completion-cdf.svg");
  CU_ASSERT_TRUE (is_svg (plots, "completion-cdf.svg"));

  /* Nothing to draw at all: said even with --quiet, plots/ left alone. */
  g_autofree char *images = g_build_filename (tmp, "images.csv", NULL);
  g_unlink (images);
  g_auto (Run) q = { 0 };
  amisim (&q, "plot", "--quiet", tmp, NULL);
  CU_ASSERT_EQUAL (q.status, 0);
  g_autofree char *want
    = g_strdup_printf ("amisim plot: nothing to plot in %s; %s left as it was", tmp, plots);
  ASSERT_FIRST_ERR (q, want);
  g_autofree char *after = list_dir (plots);
  CU_ASSERT_STRING_EQUAL (after, "completion-cdf.svg");
  remove_tree (tmp);
}

static void
test_plot_sweep_csv (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-plot-XXXXXX", NULL);
  /* Two axes (curves per on_limit value), one point without intervals
   * (1 replication: empty cells), a measure missing (last_copy_s). */
  write_file (tmp, "sweep.csv",
              "simulation.limits.copies_per_account_region,simulation.on_limit,replications,"
              "end_to_end_s,end_to_end_s_ci_low,end_to_end_s_ci_high,"
              "wait_s,wait_s_ci_low,wait_s_ci_high,p_wait,p_wait_ci_low,p_wait_ci_high\n"
              "25,queue,3,6000,5800,6200,900,850,950,0.5,0.4,0.6\n"
              "50,queue,3,5000,4900,5100,300,250,350,0.3,0.2,0.4\n"
              "100,queue,3,4700,4650,4750,0,0,0,0,0,0\n"
              "25,retry,1,6500,,,1200,,,0.5,,\n"
              "50,retry,3,5200,5000,5400,400,350,450,0.3,0.2,0.4\n"
              "100,retry,3,4700,4650,4750,0,0,0,0,0,0\n");
  write_file (tmp, "summary.json", "{}\n"); /* a sweep writes one too */
  g_auto (Run) r = { 0 };
  amisim (&r, "plot", tmp, NULL);
  CU_ASSERT_EQUAL (r.status, 0);
  CU_ASSERT_STRING_EQUAL (r.err, ""); /* no notes on a run's plots in a sweep's folder */
  g_autofree char *plots = g_build_filename (tmp, "plots", NULL);
  g_autofree char *names = list_dir (plots);
  CU_ASSERT_STRING_EQUAL (names, "sweep.png sweep.svg");
  CU_ASSERT_TRUE (is_png (plots, "sweep.png"));
  CU_ASSERT_TRUE (is_svg (plots, "sweep.svg"));

  /* Words on the first axis, one axis only. */
  write_file (tmp, "sweep.csv",
              "simulation.on_limit,replications,end_to_end_s,end_to_end_s_ci_low,"
              "end_to_end_s_ci_high\n"
              "queue,1,6000,,\nretry,1,6500,,\n");
  g_auto (Run) w = { 0 };
  amisim (&w, "plot", "--format", "png", tmp, NULL);
  CU_ASSERT_EQUAL (w.status, 0);
  CU_ASSERT_STRING_EQUAL (w.err, "");
  CU_ASSERT_TRUE (is_png (plots, "sweep.png"));
  remove_tree (tmp);
}

static const AmsTestCase error_cases[] = {
  { "test_plot_bad_outdir_exits_2", test_plot_bad_outdir_exits_2 },
  { "test_plot_misuse_exits_2", test_plot_misuse_exits_2 },
  { "test_plot_without_gnuplot_exits_1", test_plot_without_gnuplot_exits_1 },
  { NULL, NULL },
};

static const AmsTestCase render_cases[] = {
  { "test_plot_run_renders_every_plot", test_plot_run_renders_every_plot },
  { "test_plot_gnuplot_failure_keeps_old_plots", test_plot_gnuplot_failure_keeps_old_plots },
  { "test_plot_skips_missing_inputs", test_plot_skips_missing_inputs },
  { "test_plot_sweep_csv", test_plot_sweep_csv },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  if (argc == 2 && strcmp (argv[1], "errors") == 0)
    return ams_test_main ("plot errors", error_cases);
  if (argc == 2 && strcmp (argv[1], "render") == 0)
    {
      g_autofree char *gnuplot = g_find_program_in_path ("gnuplot");
      if (gnuplot == NULL)
        {
          printf ("skipped: gnuplot not installed (tools/bootstrap installs it); "
                  "amisim plot is not tested\n");
          return 77; /* meson: SKIP */
        }
      return ams_test_main ("plot render", render_cases);
    }
  fprintf (stderr, "usage: test_plot errors|render\n");
  return 2;
}

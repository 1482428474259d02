/* `amisim plot` through the real binary, and the plot data `amisim run
 * --out` and `amisim sweep --out` prepare for it (plotdata.gp).
 *
 *   test_plot errors   exit codes and messages, and the prepared data: none
 *                      of it needs gnuplot
 *   test_plot render   pictures from runs and a sweep, with their CSV files
 *                      removed (plot reads none);
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

static char *
read_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

/* The value of `  name = …` in the block of plotdata.gp's picture `pic`
 * (without quotes); "" when there is none. */
static char *
plot_var (const char *data, const char *pic, const char *name)
{
  g_autofree char *open = g_strdup_printf ("if (picture eq '%s') {\n", pic);
  const char *b = strstr (data, open);
  if (b == NULL)
    return g_strdup ("");
  const char *end = strstr (b, "\n}\n");
  g_autofree char *key = g_strdup_printf ("\n  %s = ", name);
  const char *v = strstr (b, key);
  if (v == NULL || (end != NULL && v > end))
    return g_strdup ("");
  v += strlen (key);
  const char *nl = strchr (v, '\n');
  char *val = g_strndup (v, (gsize) (nl - v));
  if (*val == '\'')
    {
      memmove (val, val + 1, strlen (val));
      val[strlen (val) - 1] = '\0';
    }
  return val;
}

/* Runs amisim (NULL-terminated arguments) and asserts it exits 0. */
#define RUN_OK(...)                                                            \
  do                                                                           \
    {                                                                          \
      g_auto (Run) r_ = { 0 };                                                 \
      amisim (&r_, __VA_ARGS__, NULL);                                         \
      if (r_.status != 0)                                                      \
        printf ("\n    %s", r_.err);                                           \
      CU_ASSERT_EQUAL_FATAL (r_.status, 0);                                    \
    }                                                                          \
  while (0)

/* Removes every *.csv of `dir`: plot must not need them. */
static void
remove_csvs (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  if (d != NULL)
    for (const char *n = g_dir_read_name (d); n != NULL; n = g_dir_read_name (d))
      if (g_str_has_suffix (n, ".csv"))
        g_ptr_array_add (gone, g_build_filename (dir, n, NULL));
  for (guint i = 0; i < gone->len; i++)
    g_unlink (gone->pdata[i]);
  CU_ASSERT_TRUE (gone->len > 0);
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
  write_file (tmp, "plotdata.gp", "# amisim plot data 2\n# draw storage\n");
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "PATH", empty, TRUE);
  g_auto (Run) r = { 0 };
  amisim_env (&r, env, "plot", tmp, NULL);
  CU_ASSERT_EQUAL (r.status, 1);
  ASSERT_FIRST_ERR (r, "amisim plot: gnuplot not found; run tools/bootstrap");
  g_autofree char *plots = g_build_filename (tmp, "plots", NULL);
  CU_ASSERT_FALSE (g_file_test (plots, G_FILE_TEST_EXISTS));
  remove_tree (tmp);
}


/* A folder of an older amisim (its CSV files, no plotdata.gp, or one of
 * another version): exit 2, saying to run again; nothing written. */
static void
test_plot_older_outdir_exits_2 (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-plot-XXXXXX", NULL);
  write_file (tmp, "summary.json", "{}\n");
  write_file (tmp, "copies.csv", "pipeline,version,source_region,region,account,requested_s,"
                                 "started_s,ended_s\np,1.0.0/1,us-east-1,eu-west-1,1,0,0,60\n");
  g_autofree char *want
    = g_strdup_printf ("amisim plot: %s has no plot data of this amisim (plotdata.gp): it was "
                       "written by an older one; write it again with this version (amisim run "
                       "--out DIR, or amisim sweep --out DIR)",
                       tmp);
  g_auto (Run) a = { 0 };
  amisim (&a, "plot", tmp, NULL);
  CU_ASSERT_EQUAL (a.status, 2);
  ASSERT_FIRST_ERR (a, want);
  CU_ASSERT_STRING_EQUAL (a.out, "");

  write_file (tmp, "plotdata.gp", "# amisim plot data 1\n# draw storage\n");
  g_auto (Run) b = { 0 };
  amisim (&b, "plot", tmp, NULL);
  CU_ASSERT_EQUAL (b.status, 2);
  ASSERT_FIRST_ERR (b, want);
  g_autofree char *names = list_dir (tmp);
  CU_ASSERT_STRING_EQUAL (names, "copies.csv plotdata.gp summary.json");

  /* a sweep's folder too */
  g_autofree char *sweep_dir = g_build_filename (tmp, "sweep", NULL);
  g_mkdir (sweep_dir, 0755);
  write_file (sweep_dir, "sweep.csv", "simulation.on_limit,replications\nqueue,1\n");
  g_auto (Run) c = { 0 };
  amisim (&c, "plot", sweep_dir, NULL);
  CU_ASSERT_EQUAL (c.status, 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (c.err, "written by an older one"));
  remove_tree (tmp);
}

/* gnuplot runs what it loads: a plotdata.gp with anything but plot data is
 * refused (exit 2, naming the line) before gnuplot sees it. */
static void
test_plot_refuses_commands (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-plot-XXXXXX", NULL);
  write_file (tmp, "summary.json", "{}\n");
  static const struct
  {
    const char *text;
    const char *why;
  } cases[] = {
    { "# amisim plot data 2\n# draw storage\nif (picture eq 'storage') {\n"
      "  title = 'x'\n  system('touch pwned')\n}\n",
      "line 5: not a line of plot data" },
    { "# amisim plot data 2\n# draw storage\nsystem('touch pwned')\n",
      "line 3: not a line of plot data" },
    { "# amisim plot data 2\n# draw storage\n$storage << EOD\n1 `touch pwned`\nEOD\n",
      "line 4: a backquote or NUL" },
    { "# amisim plot data 2\n# draw storage\nif (picture eq 'storage') {\n"
      "  title = 'a' . system('touch pwned')\n}\n",
      "line 4: not a line of plot data" },
    { "# amisim plot data 2\n# draw storage\n$storage << EOD\n1 2\n",
      "it ends inside a datablock" },
  };
  g_autofree char *data = g_build_filename (tmp, "plotdata.gp", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      write_file (tmp, "plotdata.gp", cases[i].text);
      g_auto (Run) r = { 0 };
      amisim (&r, "plot", tmp, NULL);
      CU_ASSERT_EQUAL (r.status, 2);
      g_autofree char *want
        = g_strdup_printf ("amisim plot: %s: %s; this is not plot data amisim wrote (write it "
                           "again with amisim run --out DIR, or amisim sweep --out DIR)",
                           data, cases[i].why);
      ASSERT_FIRST_ERR (r, want);
    }
  g_autofree char *names = list_dir (tmp);
  CU_ASSERT_STRING_EQUAL (names, "plotdata.gp summary.json"); /* nothing ran, nothing written */
  remove_tree (tmp);
}

/* `run --out` prepares the plot data: clock-time axes from the scenario's
 * start (UTC), titles that name the window shown and agree with the axis,
 * pictures listed; the same bytes whatever --threads. */
static void
test_plot_data_run (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-plot-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (tmp, "a", NULL);
  g_autofree char *b = g_build_filename (tmp, "b", NULL);
  g_autofree char *c = g_build_filename (tmp, "c", NULL);
  RUN_OK ("run", "scenarios/quickstart.yaml", "--quiet", "--out", a, "--replications", "2",
          "--threads", "1");
  RUN_OK ("run", "scenarios/quickstart.yaml", "--quiet", "--out", b, "--replications", "2",
          "--threads", "2");
  /* the same run a day and a half later on the clock */
  RUN_OK ("run", "scenarios/quickstart.yaml", "--quiet", "--out", c, "--set",
          "start=2030-06-01T12:00:00Z");
  g_autofree char *da = read_file (a, "plotdata.gp");
  g_autofree char *db = read_file (b, "plotdata.gp");
  g_autofree char *dc = read_file (c, "plotdata.gp");
  CU_ASSERT_STRING_EQUAL (da, db);
  CU_ASSERT_TRUE (g_str_has_prefix (da, "# amisim plot data 2\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (da, "\n# draw copies-timeline\n# draw pool-queues\n"
                                      "# draw completion-cdf\n# skip failures: nothing failed\n"
                                      "# draw storage\n"
                                      "# skip lifecycle: no lifecycle policy acted\n"
                                      "# skip launches: no launch was asked for (the scenario "
                                      "has no launches:)\n"));

  /* quickstart starts 2026-01-05T00:00:00Z, builds nightly for 7 days */
  g_autofree char *title = plot_var (da, "copies-timeline", "title");
  g_autofree char *label = plot_var (da, "copies-timeline", "xlabel");
  g_autofree char *fmt = plot_var (da, "copies-timeline", "xfmt");
  CU_ASSERT_STRING_EQUAL (fmt, "%H:%M");
  CU_ASSERT_TRUE (g_str_has_prefix (label, "time (UTC) on 2026-01-"));
  CU_ASSERT_TRUE (g_str_has_prefix (title, "Copies per destination pool, 2026-01-"));
  CU_ASSERT_PTR_NOT_NULL (strstr (title, label + strlen ("time (UTC) on "))); /* the same day */
  CU_ASSERT_PTR_NOT_NULL (strstr (title, " UTC (the busiest of 7 days)"));
  g_autofree char *qtitle = plot_var (da, "pool-queues", "title");
  g_autofree char *qlabel = plot_var (da, "pool-queues", "xlabel");
  CU_ASSERT_PTR_NOT_NULL (strstr (qtitle, "(the longest queues of 7 days)"));
  CU_ASSERT_PTR_NOT_NULL (strstr (qtitle, qlabel + strlen ("time (UTC) on ")));

  /* the window is a busy period, not the run: under a day, inside the run */
  g_autofree char *lo = plot_var (da, "copies-timeline", "xlo");
  g_autofree char *hi = plot_var (da, "copies-timeline", "xhi");
  double xlo = g_ascii_strtod (lo, NULL), xhi = g_ascii_strtod (hi, NULL);
  double start = 1767571200; /* 2026-01-05T00:00:00Z */
  CU_ASSERT_TRUE (xlo > start && xhi > xlo && xhi - xlo < 86400 && xhi < start + 8 * 86400);
  g_autofree char *qlo = plot_var (da, "pool-queues", "xlo");
  g_autofree char *qhi = plot_var (da, "pool-queues", "xhi");
  double yl = g_ascii_strtod (qlo, NULL), yh = g_ascii_strtod (qhi, NULL);
  CU_ASSERT_TRUE (yl > start && yh > yl && yh - yl < 86400 && yh < start + 8 * 86400);
  /* storage: the whole run, from the start */
  g_autofree char *slo = plot_var (da, "storage", "xlo");
  CU_ASSERT_STRING_EQUAL (slo, "1767571200.0");

  /* the clock moves the axes, not the shapes */
  g_autofree char *slo_c = plot_var (dc, "storage", "xlo");
  CU_ASSERT_STRING_EQUAL (slo_c, "1906545600.0"); /* 2030-06-01T12:00:00Z */
  g_autofree char *label_c = plot_var (dc, "copies-timeline", "xlabel");
  CU_ASSERT_TRUE (g_str_has_prefix (label_c, "time (UTC) on 2030-06-"));
  remove_tree (tmp);
}

/* The data comes from the run, not its CSV files: without copies.csv and
 * with timeseries.csv cut at one row, the same plot data. */
static void
test_plot_data_not_from_csv (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-plot-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (tmp, "a", NULL);
  g_autofree char *b = g_build_filename (tmp, "b", NULL);
  RUN_OK ("run", "scenarios/quickstart.yaml", "--quiet", "--out", a);
  RUN_OK ("run", "scenarios/quickstart.yaml", "--quiet", "--out", b, "--set",
          "simulation.output.copies=false", "--set", "simulation.output.timeseries_max_rows=1");
  g_autofree char *copies = g_build_filename (b, "copies.csv", NULL);
  CU_ASSERT_FALSE (g_file_test (copies, G_FILE_TEST_EXISTS));
  g_autofree char *da = read_file (a, "plotdata.gp");
  g_autofree char *db = read_file (b, "plotdata.gp");
  CU_ASSERT_PTR_NOT_NULL (strstr (db, "\n# draw copies-timeline\n# draw pool-queues\n"));
  CU_ASSERT_STRING_EQUAL (da, db);
  remove_tree (tmp);
}

/* Lifecycle and launches are prepared from scenarios that have them. */
static void
test_plot_data_lifecycle_launches (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-plot-XXXXXX", NULL);
  RUN_OK ("run", "scenarios/lifecycle-consumers.yaml", "--quiet", "--out", tmp);
  g_autofree char *d = read_file (tmp, "plotdata.gp");
  CU_ASSERT_PTR_NOT_NULL (strstr (d, "\n# draw lifecycle\n# draw launches\n"));
  g_autofree char *lt = plot_var (d, "lifecycle", "title");
  CU_ASSERT_STRING_EQUAL (lt, "Lifecycle: AMIs deprecated 0, disabled 25, deregistered 0");
  g_autofree char *what = plot_var (d, "lifecycle", "what");
  CU_ASSERT_STRING_EQUAL (what, "AMIs");
  /* launches by outcome: the numbers of summary.json */
  g_autofree char *title = plot_var (d, "launches", "title");
  CU_ASSERT_TRUE (g_str_has_prefix (title, "Launches by outcome ("));
  g_autofree char *summary = read_file (tmp, "summary.json");
  const char *l = strstr (summary, "\"launches\"");
  CU_ASSERT_PTR_NOT_NULL_FATAL (l);
  const char *asked = strstr (title, "(") + 1;
  g_autofree char *n = g_strndup (asked, strcspn (asked, " "));
  g_autofree char *key = g_strdup_printf (": %s", n);
  CU_ASSERT_PTR_NOT_NULL (strstr (l, key));
  CU_ASSERT_PTR_NOT_NULL (strstr (d, "$launches << EOD\n0 \"launched\""));
  remove_tree (tmp);
}

/* `sweep --out` prepares the sweep's data with the failures beside every
 * measure: on_limit retry looks faster at 25 slots, and its failed images
 * are there. */
static void
test_plot_data_sweep (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-plot-XXXXXX", NULL);
  RUN_OK ("sweep", "scenarios/default.yaml", "--quiet", "--out", tmp, "--set",
          "simulation.on_limit=queue,retry", "--set",
          "simulation.limits.copies_per_account_region=25");
  g_autofree char *d = read_file (tmp, "plotdata.gp");
  CU_ASSERT_TRUE (g_str_has_prefix (d, "# amisim plot data 2\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (d, "\n# draw sweep\n"));
  g_autofree char *nf = plot_var (d, "sweep", "nf");
  CU_ASSERT_STRING_EQUAL (nf, "2");
  /* rows: position value "label", then mean low high of 3 measures and of
   * 3 failure counts */
  const char *rows = strstr (d, "$sweep << EOD\n");
  CU_ASSERT_PTR_NOT_NULL_FATAL (rows);
  g_auto (GStrv) lines = g_strsplit (rows, "\n", 6);
  CU_ASSERT_TRUE_FATAL (g_strv_length (lines) >= 5);
  double e2e[2], failed[2];
  for (guint i = 0; i < 2; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[2 + i], " ", 0);
      CU_ASSERT_EQUAL_FATAL (g_strv_length (f), 21);
      CU_ASSERT_STRING_EQUAL (f[2], i ? "\"retry\"" : "\"queue\"");
      e2e[i] = g_ascii_strtod (f[3], NULL);
      /* the last copy's end: a clock time, after the start 2026-01-05T00:00:00Z */
      double last = g_ascii_strtod (f[9], NULL);
      CU_ASSERT_TRUE (last > 1767571200 && last < 1767571200 + 8 * 86400);
      failed[i] = g_ascii_strtod (f[12], NULL); /* images failed */
    }
  g_autofree char *clocks = plot_var (d, "sweep", "yclocks");
  CU_ASSERT_STRING_EQUAL (clocks, "\"0\" \"0\" \"%H:%M\"");
  g_autofree char *titles = plot_var (d, "sweep", "mtitles");
  CU_ASSERT_PTR_NOT_NULL (strstr (titles, "\"last copy done (mean), UTC on 2026-01-"));
  CU_ASSERT_TRUE (e2e[1] < e2e[0]);          /* retry looks faster… */
  CU_ASSERT_TRUE (failed[1] > 10 * failed[0]); /* …because its failures left the sample */
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
  remove_csvs (out); /* plot reads none */

  g_auto (Run) r = { 0 };
  amisim (&r, "plot", out, NULL);
  CU_ASSERT_EQUAL (r.status, 0);
  /* every plot of the run drawn, gnuplot said nothing */
  CU_ASSERT_STRING_EQUAL (r.err, "amisim plot: skipped lifecycle: no lifecycle policy acted\n"
                                 "amisim plot: skipped launches: no launch was asked for (the "
                                 "scenario has no launches:)\n");
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

/* Lifecycle and launch pictures from a scenario that has them; the
 * pictures it has no data for skipped, with the reason. */
static void
test_plot_lifecycle_and_launches (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-plot-XXXXXX", NULL);
  RUN_OK ("run", "scenarios/lifecycle-consumers.yaml", "--quiet", "--out", tmp);
  remove_csvs (tmp);
  g_auto (Run) r = { 0 };
  amisim (&r, "plot", tmp, "--format", "svg", NULL);
  CU_ASSERT_EQUAL (r.status, 0);
  CU_ASSERT_STRING_EQUAL (r.err, "amisim plot: skipped copies-timeline: no copy started\n"
                                 "amisim plot: skipped pool-queues: no copy held a slot in any "
                                 "pool\n"
                                 "amisim plot: skipped failures: nothing failed\n");
  g_autofree char *plots = g_build_filename (tmp, "plots", NULL);
  g_autofree char *names = list_dir (plots);
  CU_ASSERT_STRING_EQUAL (names, "completion-cdf.svg launches.svg lifecycle.svg storage.svg");
  CU_ASSERT_TRUE (is_svg (plots, "lifecycle.svg"));
  CU_ASSERT_TRUE (is_svg (plots, "launches.svg"));
  /* the title and the clock-time axis in the picture */
  g_autofree char *svg = read_file (plots, "lifecycle.svg");
  CU_ASSERT_PTR_NOT_NULL (strstr (svg, "Lifecycle: AMIs deprecated 0, disabled 25"));
  CU_ASSERT_PTR_NOT_NULL (strstr (svg, "time (UTC), 2026-"));
  remove_tree (tmp);
}

/* Nothing to draw at all: said even with --quiet, plots/ left alone. */
static void
test_plot_nothing_to_draw (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-plot-XXXXXX", NULL);
  write_file (tmp, "summary.json", "{}\n");
  write_file (tmp, "plotdata.gp", "# amisim plot data 2\n# skip storage: no snapshot storage\n");
  g_autofree char *plots = g_build_filename (tmp, "plots", NULL);
  g_mkdir (plots, 0755);
  write_file (plots, "old.png", "old\n");
  g_auto (Run) q = { 0 };
  amisim (&q, "plot", "--quiet", tmp, NULL);
  CU_ASSERT_EQUAL (q.status, 0);
  g_autofree char *want
    = g_strdup_printf ("amisim plot: nothing to plot in %s; %s left as it was", tmp, plots);
  ASSERT_FIRST_ERR (q, want);
  g_autofree char *after = list_dir (plots);
  CU_ASSERT_STRING_EQUAL (after, "old.png");
  remove_tree (tmp);
}

/* A sweep's pictures: the measures and the failures beside them. */
static void
test_plot_sweep (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-plot-XXXXXX", NULL);
  RUN_OK ("sweep", "scenarios/quickstart.yaml", "--quiet", "--out", tmp, "--replications", "2",
          "--set", "simulation.limits.copies_per_account_region=1,2,20", "--set",
          "simulation.on_limit=queue,retry");
  remove_csvs (tmp);
  g_auto (Run) r = { 0 };
  amisim (&r, "plot", tmp, NULL);
  CU_ASSERT_EQUAL (r.status, 0);
  CU_ASSERT_STRING_EQUAL (r.err, ""); /* no notes on a run's plots in a sweep's folder */
  g_autofree char *plots = g_build_filename (tmp, "plots", NULL);
  g_autofree char *names = list_dir (plots);
  CU_ASSERT_STRING_EQUAL (names, "sweep.png sweep.svg");
  CU_ASSERT_TRUE (is_png (plots, "sweep.png"));
  CU_ASSERT_TRUE (is_svg (plots, "sweep.svg"));
  g_autofree char *svg = read_file (plots, "sweep.svg");
  CU_ASSERT_PTR_NOT_NULL (strstr (svg, "failed per run (mean)"));
  CU_ASSERT_PTR_NOT_NULL (strstr (svg, "image end to end (mean, available images)"));
  remove_tree (tmp);
}

static const AmsTestCase error_cases[] = {
  { "test_plot_bad_outdir_exits_2", test_plot_bad_outdir_exits_2 },
  { "test_plot_misuse_exits_2", test_plot_misuse_exits_2 },
  { "test_plot_without_gnuplot_exits_1", test_plot_without_gnuplot_exits_1 },
  { "test_plot_older_outdir_exits_2", test_plot_older_outdir_exits_2 },
  { "test_plot_refuses_commands", test_plot_refuses_commands },
  { "test_plot_data_run", test_plot_data_run },
  { "test_plot_data_not_from_csv", test_plot_data_not_from_csv },
  { "test_plot_data_lifecycle_launches", test_plot_data_lifecycle_launches },
  { "test_plot_data_sweep", test_plot_data_sweep },
  { NULL, NULL },
};

static const AmsTestCase render_cases[] = {
  { "test_plot_run_renders_every_plot", test_plot_run_renders_every_plot },
  { "test_plot_gnuplot_failure_keeps_old_plots", test_plot_gnuplot_failure_keeps_old_plots },
  { "test_plot_lifecycle_and_launches", test_plot_lifecycle_and_launches },
  { "test_plot_nothing_to_draw", test_plot_nothing_to_draw },
  { "test_plot_sweep", test_plot_sweep },
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

/* The command line against hostile use, through the real binary: absurd
 * counts, bad options after which nothing may exist, arguments that are
 * not UTF-8, a folder in the way of the outputs, signals in the middle of a
 * run or a plot, a reader of stdout that goes away, standard output on a
 * full device. Each fault is checked both ways: caught (exit code, message,
 * nothing created or changed), and the healthy neighbour still working. */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ams_proc.h"

#define ASSERT_FIRST_ERR(err, want)                                            \
  do                                                                           \
    {                                                                          \
      g_autofree char *fl_ = first_line (err);                                 \
      if (strcmp (fl_, (want)) != 0)                                           \
        printf ("\n    got:  %s\n    want: %s\n", fl_, (want));               \
      CU_ASSERT_STRING_EQUAL (fl_, (want));                                    \
    }                                                                          \
  while (0)

/* A child that exited: its code; killed by signal S: 1000 + S. */
static int
status_of (int wait_status)
{
  if (WIFEXITED (wait_status))
    return WEXITSTATUS (wait_status);
  return WIFSIGNALED (wait_status) ? 1000 + WTERMSIG (wait_status) : -1;
}

/* In the child before exec: the signals amisim handles as a fresh process
 * has them, whatever the test runner ignores or blocks; SIGPIPE ignored
 * when `ignore_pipe` points to TRUE. */
static void
default_signals (gpointer ignore_pipe)
{
  const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
  sigset_t set;
  sigemptyset (&set);
  for (guint i = 0; i < G_N_ELEMENTS (sigs); i++)
    {
      signal (sigs[i], SIG_DFL);
      sigaddset (&set, sigs[i]);
    }
  sigprocmask (SIG_UNBLOCK, &set, NULL);
  if (ignore_pipe != NULL && *(gboolean *) ignore_pipe)
    signal (SIGPIPE, SIG_IGN);
}

static gboolean ignore_pipe; /* for the next start () */

/* Starts amisim in `cwd` (NULL: the source root) with `args`, its stdout
 * to `out_fd` (-1: /dev/null), its stderr to a pipe (*err_fd). */
static GPid
start (const char *cwd, int out_fd, char **envp, const char *const *args, int *err_fd)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) g_getenv ("AMISIM_BINARY"));
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (char *) *args);
  g_ptr_array_add (argv, NULL);
  g_autofree char *root = ams_source_path ("");
  GPid pid = 0;
  g_autoptr (GError) error = NULL;
  GSpawnFlags flags = G_SPAWN_DO_NOT_REAP_CHILD | (out_fd < 0 ? G_SPAWN_STDOUT_TO_DEV_NULL : 0);
  gboolean ok = g_spawn_async_with_pipes_and_fds (cwd ? cwd : root,
                                                  (const char *const *) argv->pdata,
                                                  (const char *const *) envp, flags,
                                                  default_signals, &ignore_pipe, -1, out_fd, -1,
                                                  NULL,
                                                  NULL, 0, &pid, NULL, NULL, err_fd, &error);
  if (!ok)
    printf ("\n    cannot start amisim: %s\n", error->message);
  g_assert_true (ok);
  return pid;
}

/* Everything on `fd` until its end, then closes it. */
static char *
read_all (int fd)
{
  GString *s = g_string_new (NULL);
  char buf[4096];
  ssize_t n;
  while ((n = read (fd, buf, sizeof buf)) != 0)
    {
      if (n < 0)
        break;
      g_string_append_len (s, buf, n);
    }
  close (fd);
  return g_string_free (s, FALSE);
}

/* Waits for `pid` at most `seconds` (a hang is killed and fails). */
static int
wait_for (GPid pid, double seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  int st = 0;
  for (;;)
    {
      pid_t r = waitpid (pid, &st, WNOHANG);
      if (r == pid)
        return status_of (st);
      if (g_get_monotonic_time () > until)
        {
          printf ("\n    amisim still running after %.0f s: killed\n", seconds);
          kill (pid, SIGKILL);
          waitpid (pid, &st, 0);
          CU_FAIL ("amisim hung");
          return -1;
        }
      g_usleep (5000);
    }
}

/* Runs amisim to its end: the exit code and stderr. */
static int
run_in (const char *cwd, int out_fd, char **envp, const char *const *args, char **err)
{
  int err_fd = -1;
  GPid pid = start (cwd, out_fd, envp, args, &err_fd);
  *err = read_all (err_fd);
  int status = wait_for (pid, 240);
  g_spawn_close_pid (pid);
  return status;
}

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

static int
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* What `dir` holds, recursively: one line per entry, sorted, with each
 * file's SHA-256 ("" when the folder does not exist). */
static char *
snapshot (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  if (d != NULL)
    for (const char *n = g_dir_read_name (d); n != NULL; n = g_dir_read_name (d))
      {
        g_autofree char *p = g_build_filename (dir, n, NULL);
        GStatBuf st;
        g_assert_true (g_lstat (p, &st) == 0);
        if (S_ISDIR (st.st_mode))
          {
            g_autofree char *inner = snapshot (p);
            g_ptr_array_add (lines, g_strdup_printf ("%s/ {\n%s}", n, inner));
            continue;
          }
        g_autofree char *data = NULL;
        gsize len = 0;
        g_assert_true (g_file_get_contents (p, &data, &len, NULL));
        g_autofree char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) data, len);
        g_ptr_array_add (lines, g_strdup_printf ("%s %s", n, sum));
      }
  g_ptr_array_sort (lines, by_name);
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (s, "%s\n", (const char *) lines->pdata[i]);
  return g_string_free (s, FALSE);
}

/* The names in `dir`, sorted, joined with spaces. */
static char *
names (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  if (d != NULL)
    for (const char *n = g_dir_read_name (d); n != NULL; n = g_dir_read_name (d))
      g_ptr_array_add (list, g_strdup (n));
  g_ptr_array_sort (list, by_name);
  g_ptr_array_add (list, NULL);
  return g_strjoinv (" ", (char **) list->pdata);
}

/* Whether `dir` holds an entry whose name contains `part`. */
static gboolean
holds (const char *dir, const char *part)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d != NULL)
    for (const char *n = g_dir_read_name (d); n != NULL; n = g_dir_read_name (d))
      if (strstr (n, part) != NULL)
        return TRUE;
  return FALSE;
}

static char *
read_text (const char *dir, const char *name)
{
  g_autofree char *p = g_build_filename (dir, name, NULL);
  char *text = NULL;
  return g_file_get_contents (p, &text, NULL, NULL) ? text : NULL;
}

/* ---- options checked before anything is made --------------------------- */

static void
test_counts_have_limits (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *trace = g_build_filename (tmp, "t.jsonl", NULL);
  const struct
  {
    const char *args[12];
    const char *first;
  } cases[] = {
    { { "run", "--replications", "1000000000", "--out", out, "--trace", trace },
      "amisim run: --replications 1000000000: too many; at most 100000 replications" },
    { { "run", "--replications", "18446744073709551616", "--out", out },
      "amisim run: --replications 18446744073709551616: too many; at most 100000 replications" },
    { { "run", "--replications", "0", "--out", out },
      "amisim run: --replications 0: must be at least 1" },
    { { "run", "--replications", "-3", "--out", out },
      "amisim run: --replications '-3': expected a whole number from 1 to 100000" },
    { { "run", "--threads", "100000", "--out", out },
      "amisim run: --threads 100000: too many; at most 256 threads" },
    { { "sweep", "scenarios/mmc.yaml", "--set", "seed=1,2", "--replications", "60000", "--out",
        out },
      "amisim sweep: 2 points × 60000 replications = 120000 runs: too many; at most 100000 "
      "(sweep fewer values or replications at once)" },
    { { "sweep", "scenarios/mmc.yaml", "--set", "seed=1,2", "--replications", "100001" },
      "amisim sweep: --replications 100001: too many; at most 100000 replications" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, cases[i].args, &err), 2);
      ASSERT_FIRST_ERR (err, cases[i].first);
      g_autofree char *left = names (tmp);
      CU_ASSERT_STRING_EQUAL (left, ""); /* no folder, no temporary, no file */
    }

  /* at the limits' healthy side */
  const char *const ok[] = { "run", "scenarios/mmc.yaml", "--horizon", "1h", "--replications",
                             "3", "--threads", "2", "--quiet", "--out", out, "--trace", trace,
                             NULL };
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, ok, &err), 0);
  CU_ASSERT_STRING_EQUAL (err, "");
  g_autofree char *summary = read_text (out, "summary.json");
  CU_ASSERT_PTR_NOT_NULL (summary);
  if (summary != NULL)
    CU_ASSERT_PTR_NOT_NULL (strstr (summary, "\"replications\": 3"));
  CU_ASSERT_TRUE (g_file_test (trace, G_FILE_TEST_IS_REGULAR));
  remove_tree (tmp);
}

static void
test_bad_trace_options_create_nothing (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *trace = g_build_filename (tmp, "t.jsonl", NULL);
  g_autofree char *in_out = g_build_filename (out, "t.jsonl", NULL);
  g_autofree char *want_dir = g_strdup_printf ("amisim: --trace %s: is a folder; give a file name",
                                               tmp);
  g_autofree char *want_in_out
    = g_strdup_printf ("amisim: --trace %s: no folder %s yet; --out makes it only when the run "
                       "ends, so create it first or write the trace elsewhere", in_out, out);
  const struct
  {
    const char *args[12];
    const char *first;
  } cases[] = {
    { { "run", "--trace", trace, "--trace-kind", "copy_finished", "--out", out },
      "amisim: --trace-kind copy_finished: no such event kind; the kinds are: image_started, "
      "build_started, build_done, build_failed, test_failed, distribution_started, "
      "image_available, image_failed, copy_requested, copy_queued, copy_started, copy_retry, "
      "copy_done, copy_failed, share_failed, pool_state, schedule_skipped, pipeline_disabled, "
      "event_applied, lifecycle_run_started, lifecycle_run_skipped, lifecycle_action, "
      "lifecycle_run_done, launch, launch_failed, warmup_done, invitation, event_refused" },
    { { "run", "--trace", trace, "--trace-account", "999999999999", "--out", out },
      "amisim: --trace-account 999999999999: the scenario has no such account" },
    { { "run", "--trace", trace, "--trace-region", "mars-east-1", "--out", out },
      "amisim: --trace-region mars-east-1: the scenario has no such region" },
    { { "run", "--trace", trace, "--trace-image", "team-81", "--out", out },
      "amisim: --trace-image team-81: the scenario has no pipeline so named" },
    { { "run", "scenarios/encrypted-multiregion.yaml", "--trace", trace, "--trace-account",
        "600000000020", "--out", out },
      "amisim: --trace-account 600000000020: the scenario has no such account" },
    { { "run", "--trace", tmp, "--out", out }, want_dir },
    { { "run", "--trace", in_out, "--out", out }, want_in_out },
    { { "run", "--narrate", "--json", "--out", out },
      "amisim: --narrate and --json both print on stdout; use one of them (--out DIR writes "
      "summary.json)" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, cases[i].args, &err), 2);
      ASSERT_FIRST_ERR (err, cases[i].first);
      g_autofree char *left = names (tmp);
      CU_ASSERT_STRING_EQUAL (left, "");
    }

  /* the scenario's own account, and one an account set makes: traced */
  const char *const good[] = { "run", "--quiet", "--trace", trace, "--trace-account",
                               "333333333333", "--trace-kind", "copy_done", "--out", out, NULL };
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, good, &err), 0);
  CU_ASSERT_STRING_EQUAL (err, "");
  g_autofree char *text = read_text (tmp, "t.jsonl");
  CU_ASSERT_PTR_NOT_NULL_FATAL (text);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  /* the header, 240 images × 3 regions, "" at the end */
  CU_ASSERT_EQUAL (g_strv_length (lines), 1 + 720 + 1);
  CU_ASSERT_PTR_NOT_NULL (strstr (lines[0], "\"kind\": \"header\""));
  for (char **l = lines + 1; *l != NULL && **l != '\0'; l++)
    CU_ASSERT_PTR_NOT_NULL (strstr (*l, "\"account\": \"333333333333\""));
  CU_ASSERT_TRUE (g_file_test (out, G_FILE_TEST_IS_DIR));
  const char *const set[] = { "run", "scenarios/encrypted-multiregion.yaml", "--quiet", "--horizon",
                              "1d", "--trace", trace, "--trace-account", "600000000019", NULL };
  g_autofree char *err2 = NULL;
  CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, set, &err2), 0);
  CU_ASSERT_STRING_EQUAL (err2, "");
  remove_tree (tmp);
}

static void
test_arguments_not_utf8_are_named (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *trace = g_build_filename (tmp, "t.jsonl", NULL);
  const struct
  {
    const char *args[8];
    const char *first;
  } cases[] = {
    { { "run", "--trace", trace, "--trace-account", "33\xff", "--out", out },
      "amisim run: --trace-account '33\\xFF': not valid UTF-8" },
    { { "run", "--trace", trace, "--trace-image", "\xc3", "--out", out },
      "amisim run: --trace-image '\\xC3': not valid UTF-8" },
    { { "run", "--set", "name=caf\xe9", "--out", out },
      "amisim run: --set 'name=caf\\xE9': not valid UTF-8" },
    { { "run", "--horizon", "1\xff", "--out", out },
      "amisim run: --horizon '1\\xFF': not valid UTF-8" },
    { { "run", "--replications", "\xff", "--out", out },
      "amisim run: --replications '\\xFF': not valid UTF-8" },
    { { "validate", "--set", "seed=\xfe", "scenarios/mmc.yaml" },
      "amisim validate: --set 'seed=\\xFE': not valid UTF-8" },
    { { "sweep", "scenarios/mmc.yaml", "--set", "seed=1,\xff", "--out", out },
      "amisim sweep: --set 'seed=1,\\xFF': not valid UTF-8" },
    { { "plot", "--format", "pn\xff", out },
      "amisim plot: --format expects png, svg or both, got 'pn\\xFF'" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, cases[i].args, &err), 2);
      ASSERT_FIRST_ERR (err, cases[i].first);
      g_autofree char *left = names (tmp);
      CU_ASSERT_STRING_EQUAL (left, "");
    }

  /* UTF-8 beyond ASCII is taken as it is, whatever the locale: here it
   * reaches the scenario check, which names it */
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "LC_ALL", "C", TRUE);
  const char *const named[] = { "run", "--trace", trace, "--trace-image", "équipe", NULL };
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL (run_in (NULL, -1, env, named, &err), 2);
  ASSERT_FIRST_ERR (err, "amisim: --trace-image équipe: the scenario has no pipeline so named");
  g_autofree char *left = names (tmp);
  CU_ASSERT_STRING_EQUAL (left, "");
  remove_tree (tmp);
}

static void
test_sweep_needs_an_axis (void)
{
  const char *want = "amisim sweep: nothing to sweep: give at least one axis, --set "
                     "PATH=V1,V2,… (the values separated by commas); to run one point, use "
                     "amisim run --replications N";
  const char *const none[] = { "sweep", "scenarios/mmc.yaml", NULL };
  const char *const fixed[] = { "sweep", "scenarios/mmc.yaml", "--set", "seed=5", NULL };
  g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL;
  CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, none, &e1), 2);
  ASSERT_FIRST_ERR (e1, want);
  CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, fixed, &e2), 2);
  ASSERT_FIRST_ERR (e2, want);
  const char *const axis[] = { "sweep", "scenarios/mmc.yaml", "--set", "seed=1,2", "--horizon",
                               "10m", NULL };
  CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, axis, &e3), 0);
  CU_ASSERT_STRING_EQUAL (e3, "");
}

/* ---- outputs all or nothing --------------------------------------------- */

static void
test_folder_in_the_way_publishes_nothing (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *blocker = g_build_filename (out, "summary.json", NULL);
  g_assert_true (g_mkdir_with_parents (blocker, 0755) == 0);

  /* nothing there before: nothing after but the folder in the way */
  const char *const run[] = { "run", "scenarios/quickstart.yaml", "--quiet", "--out", out, NULL };
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, run, &err), 1);
  g_autofree char *want = g_strdup_printf ("amisim: %s: a folder is in the way of the file amisim "
                                           "writes there; move it away (nothing was written)",
                                           blocker);
  ASSERT_FIRST_ERR (err, want);
  g_autofree char *left = names (out);
  CU_ASSERT_STRING_EQUAL (left, "summary.json");
  g_rmdir (blocker);

  /* an earlier run's outputs: byte for byte as they were */
  const char *const first[] = { "run", "scenarios/quickstart.yaml", "--quiet", "--out", out,
                                "--set", "simulation.output.copies=false", NULL };
  g_autofree char *err1 = NULL;
  CU_ASSERT_EQUAL_FATAL (run_in (NULL, -1, NULL, first, &err1), 0);
  g_autofree char *copies = g_build_filename (out, "copies.csv", NULL);
  CU_ASSERT_FALSE (g_file_test (copies, G_FILE_TEST_EXISTS));
  g_assert_true (g_mkdir (copies, 0755) == 0);
  g_autofree char *before = snapshot (out);
  const char *const second[] = { "run", "scenarios/quickstart.yaml", "--quiet", "--out", out,
                                 "--seed", "2", NULL };
  g_autofree char *err2 = NULL;
  CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, second, &err2), 1);
  g_autofree char *want2 = g_strdup_printf ("amisim: %s: a folder is in the way of the file "
                                            "amisim writes there; move it away (nothing was "
                                            "written)", copies);
  ASSERT_FIRST_ERR (err2, want2);
  g_autofree char *after = snapshot (out);
  CU_ASSERT_STRING_EQUAL (after, before);
  CU_ASSERT_FALSE (holds (out, ".tmp"));
  CU_ASSERT_FALSE (holds (tmp, ".tmp"));

  /* the folder moved away: the same run publishes everything */
  g_rmdir (copies);
  g_autofree char *err3 = NULL;
  CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, second, &err3), 0);
  CU_ASSERT_TRUE (g_file_test (copies, G_FILE_TEST_IS_REGULAR));
  g_autofree char *summary = read_text (out, "summary.json");
  CU_ASSERT_PTR_NOT_NULL (summary);
  if (summary != NULL)
    CU_ASSERT_PTR_NOT_NULL (strstr (summary, "\"seed\": 2"));
  remove_tree (tmp);
}

/* A run written into a folder replaces what the earlier run wrote there,
 * removes what it does not write (copies.csv), and leaves anything else. */
static void
test_earlier_outputs_retired_others_kept (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *scenario = ams_source_path ("scenarios/quickstart.yaml");
  g_autofree char *notes = g_build_filename (tmp, "notes.txt", NULL);
  g_assert_true (g_file_set_contents (notes, "mine\n", -1, NULL));
  /* a copies.csv amisim did not write stays, even when a run writes none */
  g_autofree char *copies = g_build_filename (tmp, "copies.csv", NULL);
  g_assert_true (g_file_set_contents (copies, "my own copies\n", -1, NULL));
  const char *const without[] = { "run", scenario, "--quiet", "--out", ".", "--set",
                                  "simulation.output.copies=false", NULL };
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL (run_in (tmp, -1, NULL, without, &err), 0);
  g_autofree char *mine = read_text (tmp, "copies.csv");
  CU_ASSERT_STRING_EQUAL (mine, "my own copies\n");

  /* with copies: amisim's copies.csv replaces it (its name is amisim's) */
  const char *const with[] = { "run", scenario, "--quiet", "--out", ".", NULL };
  g_autofree char *err2 = NULL;
  CU_ASSERT_EQUAL (run_in (tmp, -1, NULL, with, &err2), 0);
  g_autofree char *theirs = read_text (tmp, "copies.csv");
  CU_ASSERT_TRUE (theirs != NULL && g_str_has_prefix (theirs, "pipeline,"));

  /* without again: amisim's own copies.csv goes, the notes stay */
  g_autofree char *err3 = NULL;
  CU_ASSERT_EQUAL (run_in (tmp, -1, NULL, without, &err3), 0);
  g_autofree char *left = names (tmp);
  CU_ASSERT_STRING_EQUAL (left, ".amisim-outputs failures.csv images.csv lifecycle.csv notes.txt "
                                "plotdata.gp pools.csv storage.csv summary.json timeseries.csv");
  g_autofree char *kept = read_text (tmp, "notes.txt");
  CU_ASSERT_STRING_EQUAL (kept, "mine\n");
  g_autofree char *manifest = read_text (tmp, ".amisim-outputs");
  CU_ASSERT_TRUE (manifest != NULL && strstr (manifest, "\nsummary.json\n") != NULL
                  && strstr (manifest, "copies.csv") == NULL);
  remove_tree (tmp);
}

/* ---- signals ------------------------------------------------------------- */

/* Waits until `dir` holds an entry containing `part` (or the child ended). */
static gboolean
wait_for_entry (GPid pid, const char *dir, const char *part)
{
  gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    {
      if (holds (dir, part))
        return TRUE;
      int st;
      if (waitpid (pid, &st, WNOHANG) == pid)
        {
          printf ("\n    amisim ended (%d) before %s appeared in %s\n", status_of (st), part, dir);
          return FALSE;
        }
      g_usleep (2000);
    }
  return FALSE;
}

/* Waits until `pid` handles `sig` (/proc/PID/status, SigCgt): before
 * that, a signal would only find the default action. */
static gboolean
wait_for_handler (GPid pid, int sig)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    {
      g_autofree char *text = NULL;
      if (g_file_get_contents (path, &text, NULL, NULL))
        {
          const char *cgt = strstr (text, "\nSigCgt:");
          if (cgt != NULL
              && (g_ascii_strtoull (cgt + strlen ("\nSigCgt:"), NULL, 16) >> (sig - 1)) & 1)
            return TRUE;
        }
      g_usleep (2000);
    }
  return FALSE;
}

static void
test_signals_leave_nothing (void)
{
  const struct
  {
    int sig;
    int code;
    const char *line;
    const char *threads;
  } sigs[] = {
    { SIGINT, 130, "amisim: interrupted by SIGINT; temporary files removed\n", "1" },
    { SIGTERM, 143, "amisim: interrupted by SIGTERM; temporary files removed\n", "2" },
    { SIGHUP, 129, "amisim: interrupted by SIGHUP; temporary files removed\n", "1" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (sigs); i++)
    {
      g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
      g_autofree char *out = g_build_filename (tmp, "out", NULL);
      g_autofree char *trace = g_build_filename (tmp, "t.jsonl", NULL);
      /* earlier outputs and an earlier trace */
      const char *const first[] = { "run", "scenarios/quickstart.yaml", "--quiet", "--out", out,
                                    "--trace", trace, NULL };
      g_autofree char *err1 = NULL;
      CU_ASSERT_EQUAL_FATAL (run_in (NULL, -1, NULL, first, &err1), 0);
      g_autofree char *before = snapshot (tmp);

      /* a run for days of simulated years, stopped once its temporaries are there */
      const char *const long_run[] = { "run", "--quiet", "--horizon", "100000d", "--out", out,
                                       "--trace", trace, "--replications", "2", "--threads",
                                       sigs[i].threads, NULL };
      int err_fd = -1;
      GPid pid = start (NULL, -1, NULL, long_run, &err_fd);
      gboolean seen = wait_for_entry (pid, out, ".amisim-out.tmp-")
                      && wait_for_entry (pid, tmp, ".t.jsonl.tmp-")
                      && wait_for_handler (pid, sigs[i].sig);
      CU_ASSERT_TRUE (seen);
      g_usleep (100000); /* into the run */
      kill (pid, sigs[i].sig);
      int status = wait_for (pid, 60);
      g_autofree char *err = read_all (err_fd);
      g_spawn_close_pid (pid);
      CU_ASSERT_EQUAL (status, sigs[i].code);
      CU_ASSERT_STRING_EQUAL (err, sigs[i].line);
      CU_ASSERT_FALSE (holds (out, ".tmp"));
      CU_ASSERT_FALSE (holds (tmp, ".tmp"));
      g_autofree char *after = snapshot (tmp);
      CU_ASSERT_STRING_EQUAL (after, before); /* earlier outputs untouched */
      remove_tree (tmp);
    }

  /* a new folder (staged beside it) and a sweep: nothing at all */
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "new", "out", NULL);
  const char *const fresh[] = { "run", "--quiet", "--horizon", "100000d", "--out", out, NULL };
  int err_fd = -1;
  GPid pid = start (NULL, -1, NULL, fresh, &err_fd);
  g_autofree char *parent = g_build_filename (tmp, "new", NULL);
  CU_ASSERT_TRUE (wait_for_entry (pid, parent, ".out.tmp-") && wait_for_handler (pid, SIGTERM));
  kill (pid, SIGTERM);
  CU_ASSERT_EQUAL (wait_for (pid, 60), 143);
  g_free (read_all (err_fd));
  g_spawn_close_pid (pid);
  g_autofree char *left = names (tmp);
  CU_ASSERT_STRING_EQUAL (left, ""); /* not even the parent it made */

  g_autofree char *sweep_out = g_build_filename (tmp, "sweep", NULL);
  const char *const sweep[] = { "sweep", "scenarios/default.yaml", "--set", "seed=1,2",
                                "--horizon", "100000d", "--out", sweep_out, "--quiet", NULL };
  pid = start (NULL, -1, NULL, sweep, &err_fd);
  CU_ASSERT_TRUE (wait_for_handler (pid, SIGINT));
  g_usleep (200000); /* into the runs */
  kill (pid, SIGINT);
  CU_ASSERT_EQUAL (wait_for (pid, 60), 130);
  g_autofree char *serr = read_all (err_fd);
  g_spawn_close_pid (pid);
  CU_ASSERT_STRING_EQUAL (serr, "amisim: interrupted by SIGINT; temporary files removed\n");
  g_autofree char *left2 = names (tmp);
  CU_ASSERT_STRING_EQUAL (left2, "");
  remove_tree (tmp);
}

/* The reader of stdout goes away while the story is told (`| head`). */
static void
test_broken_pipe_leaves_nothing (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *trace = g_build_filename (tmp, "t.jsonl", NULL);

  /* SIGPIPE as usual: the temporaries go, amisim ends by SIGPIPE, silently */
  const char *const long_run[] = { "run", "--narrate", "--horizon", "100000d", "--out", out,
                                   "--trace", trace, NULL };
  int fds[2];
  g_assert_true (pipe (fds) == 0);
  int err_fd = -1;
  GPid pid = start (NULL, fds[1], NULL, long_run, &err_fd);
  close (fds[1]);
  CU_ASSERT_TRUE (wait_for_entry (pid, tmp, ".out.tmp-") && wait_for_handler (pid, SIGPIPE));
  close (fds[0]); /* the reader goes */
  CU_ASSERT_EQUAL (wait_for (pid, 60), 1000 + SIGPIPE);
  g_autofree char *err = read_all (err_fd);
  g_spawn_close_pid (pid);
  CU_ASSERT_STRING_EQUAL (err, "");
  g_autofree char *left = names (tmp);
  CU_ASSERT_STRING_EQUAL (left, "");

  /* SIGPIPE ignored: the run ends, publishes, and says the story was lost */
  const char *const short_run[] = { "run", "scenarios/quickstart.yaml", "--narrate", "--out",
                                    out, "--trace", trace, NULL };
  g_assert_true (pipe (fds) == 0);
  close (fds[0]);
  ignore_pipe = TRUE;
  pid = start (NULL, fds[1], NULL, short_run, &err_fd);
  ignore_pipe = FALSE;
  close (fds[1]);
  CU_ASSERT_EQUAL (wait_for (pid, 240), 1);
  g_autofree char *err2 = read_all (err_fd);
  g_spawn_close_pid (pid);
  ASSERT_FIRST_ERR (err2, "amisim: cannot write standard output: Broken pipe");
  g_autofree char *summary = read_text (out, "summary.json");
  CU_ASSERT_PTR_NOT_NULL (summary);
  CU_ASSERT_FALSE (holds (out, ".tmp"));
  CU_ASSERT_FALSE (holds (tmp, ".tmp"));

  /* read to the end: the story, exit 0 */
  const char *const story[] = { "run", "scenarios/quickstart.yaml", "--narrate", NULL };
  g_auto (Run) r = { 0 };
  amisim_argv (&r, NULL, story);
  CU_ASSERT_EQUAL (r.status, 0);
  CU_ASSERT_TRUE (g_str_has_prefix (r.out, "The story of quickstart"));
  remove_tree (tmp);
}

/* plot, stopped while gnuplot draws: OUTDIR as it was, gnuplot gone. */
static void
test_plot_interrupted_leaves_nothing (void)
{
  g_autofree char *gnuplot = g_find_program_in_path ("gnuplot");
  if (gnuplot == NULL)
    {
      printf ("(gnuplot not installed: skipped) ");
      return;
    }
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  const char *const run[] = { "run", "scenarios/quickstart.yaml", "--quiet", "--out", out, NULL };
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL_FATAL (run_in (NULL, -1, NULL, run, &err), 0);
  const char *const plot[] = { "plot", "--format", "png", "--quiet", out, NULL };
  g_autofree char *err1 = NULL;
  CU_ASSERT_EQUAL_FATAL (run_in (NULL, -1, NULL, plot, &err1), 0);
  g_autofree char *before = snapshot (out);

  /* scripts whose first picture takes a minute */
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
      g_autofree char *dest = g_build_filename (scripts, n, NULL);
      g_assert_true (g_file_set_contents (dest, strcmp (n, "copies-timeline.gp") == 0
                                                  ? "pause 60\n" : text, -1, NULL));
    }
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "AMISIM_PLOTS_DIR", scripts, TRUE);
  int err_fd = -1;
  GPid pid = start (NULL, -1, env, plot, &err_fd);
  CU_ASSERT_TRUE (wait_for_entry (pid, out, ".plots.tmp-") && wait_for_handler (pid, SIGINT));
  g_usleep (300000); /* gnuplot pausing */
  gint64 t0 = g_get_monotonic_time ();
  kill (pid, SIGINT);
  CU_ASSERT_EQUAL (wait_for (pid, 60), 130);
  CU_ASSERT (g_get_monotonic_time () - t0 < 30 * G_USEC_PER_SEC); /* not waiting for gnuplot */
  g_autofree char *perr = read_all (err_fd);
  g_spawn_close_pid (pid);
  CU_ASSERT_STRING_EQUAL (perr, "amisim: interrupted by SIGINT; temporary files removed\n");
  g_autofree char *after = snapshot (out);
  CU_ASSERT_STRING_EQUAL (after, before);
  CU_ASSERT_FALSE (holds (out, ".tmp"));
  CU_ASSERT_FALSE (holds (out, ".plots"));

  /* a later run retires the earlier run's plots with its outputs */
  g_autofree char *plots = g_build_filename (out, "plots", NULL);
  CU_ASSERT_TRUE (g_file_test (plots, G_FILE_TEST_IS_DIR));
  g_autofree char *err2 = NULL;
  CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, run, &err2), 0);
  CU_ASSERT_FALSE (g_file_test (plots, G_FILE_TEST_EXISTS));
  remove_tree (tmp);
}

/* ---- writes checked ------------------------------------------------------ */

static void
test_stdout_on_a_full_device (void)
{
  int full = open ("/dev/full", O_WRONLY);
  int null = open ("/dev/null", O_WRONLY);
  if (full < 0 || null < 0)
    {
      printf ("(no /dev/full here: skipped) ");
      return;
    }
  const struct
  {
    const char *args[8];
    int healthy;
  } cases[] = {
    { { "validate", "scenarios/mmc.yaml" }, 0 },
    { { "validate", "--json", "scenarios/mmc.yaml" }, 0 },
    { { "policy", "eval", "scenarios/policy/org-path.json" }, 0 },
    { { "policy", "eval", "--json", "scenarios/policy/org-path.json" }, 0 },
    { { "run", "scenarios/mmc.yaml", "--horizon", "1h", "--json" }, 0 },
    { { "run", "scenarios/mmc.yaml", "--horizon", "1h" }, 0 },
    { { "explain" }, 3 },
    { { "explain", "--quiet", "scenarios/mmc.yaml" }, 0 },
    { { "sweep", "scenarios/mmc.yaml", "--set", "seed=1,2", "--horizon", "10m", "--json" }, 0 },
    { { "--version" }, 0 },
    { { "run", "--help" }, 0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL, *ok_err = NULL;
      int status = run_in (NULL, full, NULL, cases[i].args, &err);
      if (status != 1)
        printf ("\n    %s %s: exit %d\n", cases[i].args[0], cases[i].args[1], status);
      CU_ASSERT_EQUAL (status, 1);
      const char *said = strstr (err, "amisim: cannot write standard output: ");
      CU_ASSERT_PTR_NOT_NULL (said);
      if (said != NULL)
        {
          g_autofree char *line = first_line (said);
          CU_ASSERT_STRING_EQUAL (line, "amisim: cannot write standard output: No space left "
                                        "on device");
        }
      CU_ASSERT_EQUAL (run_in (NULL, null, NULL, cases[i].args, &ok_err), cases[i].healthy);
      CU_ASSERT_STRING_EQUAL (ok_err, "");
    }

  /* the trace file on a full device: exit 1 with the reason, the outputs
   * not published; /dev/null takes it and stays a device */
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  const char *const traced[] = { "run", "scenarios/quickstart.yaml", "--quiet", "--trace",
                                 "/dev/full", "--out", out, NULL };
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, traced, &err), 1);
  ASSERT_FIRST_ERR (err, "amisim: --trace /dev/full: cannot write: No space left on device");
  g_autofree char *left = names (tmp);
  CU_ASSERT_STRING_EQUAL (left, "");
  const char *const discarded[] = { "run", "scenarios/quickstart.yaml", "--quiet", "--trace",
                                    "/dev/null", "--out", out, NULL };
  g_autofree char *err2 = NULL;
  CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, discarded, &err2), 0);
  CU_ASSERT_STRING_EQUAL (err2, "");
  GStatBuf st;
  CU_ASSERT_TRUE (g_stat ("/dev/null", &st) == 0 && S_ISCHR (st.st_mode));
  CU_ASSERT_TRUE (g_file_test (out, G_FILE_TEST_IS_DIR));
  remove_tree (tmp);
  close (full);
  close (null);
}

static const AmsTestCase cases[] = {
  { "test_counts_have_limits", test_counts_have_limits },
  { "test_bad_trace_options_create_nothing", test_bad_trace_options_create_nothing },
  { "test_arguments_not_utf8_are_named", test_arguments_not_utf8_are_named },
  { "test_sweep_needs_an_axis", test_sweep_needs_an_axis },
  { "test_folder_in_the_way_publishes_nothing", test_folder_in_the_way_publishes_nothing },
  { "test_earlier_outputs_retired_others_kept", test_earlier_outputs_retired_others_kept },
  { "test_signals_leave_nothing", test_signals_leave_nothing },
  { "test_broken_pipe_leaves_nothing", test_broken_pipe_leaves_nothing },
  { "test_plot_interrupted_leaves_nothing", test_plot_interrupted_leaves_nothing },
  { "test_stdout_on_a_full_device", test_stdout_on_a_full_device },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("hostile", cases);
}

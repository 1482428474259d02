/* The command line against hostile use, through the real binary: absurd
 * counts, bad options after which nothing may exist, arguments that are
 * not UTF-8, a sweep without an axis, standard output and the trace on a
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

/* In the child before exec: the three signals as a fresh process has them,
 * whatever the test runner ignores or blocks. */
static void
default_signals (gpointer unused)
{
  const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
  sigset_t set;
  sigemptyset (&set);
  for (guint i = 0; i < G_N_ELEMENTS (sigs); i++)
    {
      signal (sigs[i], SIG_DFL);
      sigaddset (&set, sigs[i]);
    }
  sigprocmask (SIG_UNBLOCK, &set, NULL);
}

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
                                                  default_signals, NULL, -1, out_fd, -1, NULL,
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
  CU_ASSERT_EQUAL (g_strv_length (lines), 720 + 1); /* 240 images × 3 regions, "" at the end */
  for (char **l = lines; *l != NULL && **l != '\0'; l++)
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

  /* the trace file on a full device: exit 1 with the reason; /dev/null
   * takes it and stays a device */
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  const char *const traced[] = { "run", "scenarios/quickstart.yaml", "--quiet", "--trace",
                                 "/dev/full", NULL };
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL (run_in (NULL, -1, NULL, traced, &err), 1);
  ASSERT_FIRST_ERR (err, "amisim: --trace /dev/full: cannot write: No space left on device");
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
  { "test_stdout_on_a_full_device", test_stdout_on_a_full_device },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("hostile", cases);
}

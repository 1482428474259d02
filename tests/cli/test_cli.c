/* Command-line tests through the real binary: exit codes, the first line of
 * every misuse message, output folders, and byte-identical outputs. */
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
test_cli_version_and_help (void)
{
  g_auto (Run) r = { 0 };
  amisim (&r, "--version", NULL);
  CU_ASSERT_EQUAL (r.status, 0);
  CU_ASSERT_TRUE (g_str_has_prefix (r.out, "amisim "));

  g_auto (Run) h = { 0 };
  amisim (&h, "--help", NULL);
  CU_ASSERT_EQUAL (h.status, 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (h.out, "validate SCENARIO"));

  g_auto (Run) rh = { 0 };
  amisim (&rh, "run", "--help", NULL);
  CU_ASSERT_EQUAL (rh.status, 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (rh.out, "--set"));

  g_auto (Run) hv = { 0 };
  amisim (&hv, "help", "validate", NULL);
  CU_ASSERT_EQUAL (hv.status, 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (hv.out, "SCENARIO"));
}

static void
test_cli_misuse_exits_2 (void)
{
  struct
  {
    const char *args[5];
    const char *first;
  } cases[] = {
    { { "bogus" }, "amisim: unknown command 'bogus'" },
    { { "default.yaml" }, "amisim: unknown command 'default.yaml'; to run a scenario: amisim run default.yaml" },
    { { "help", "bogus" }, "amisim: unknown command 'bogus'" },
    { { "run", "--bogus" }, "amisim run: Unknown option --bogus" },
    { { "run", "a.yaml", "b.yaml" }, "amisim run: expected at most one scenario file, got 2" },
    { { "run", "--set", "nonsense" },
      "amisim run: --set expects PATH=VALUE (for example --set "
      "simulation.limits.copies_per_account_region=100), got 'nonsense'" },
    { { "run", "--seed" }, "amisim run: Missing argument for --seed" },
    { { "run", "--out", "" }, "amisim run: --out needs a folder name" },
    { { "validate" }, "amisim validate: expected at least one scenario file" },
    { { "validate", "--quiet", "-x", "scenarios/mmc.yaml" }, "amisim validate: Unknown option -x" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (Run) r = { 0 };
      const char *const *a = cases[i].args;
      amisim (&r, a[0], a[1], a[2], a[3], a[4]);
      CU_ASSERT_EQUAL (r.status, 2);
      ASSERT_FIRST_ERR (r, cases[i].first);
      CU_ASSERT_STRING_EQUAL (r.out, "");
    }
}

static void
test_cli_bad_scenario_input_exits_2 (void)
{
  g_auto (Run) r = { 0 };
  amisim (&r, "run", "--seed", "abc", "--quiet", NULL);
  CU_ASSERT_EQUAL (r.status, 2);
  CU_ASSERT_TRUE (g_str_has_prefix (r.err, "--seed:1:1: error: seed: "));

  g_auto (Run) h = { 0 };
  amisim (&h, "run", "--horizon", "soon", NULL);
  CU_ASSERT_EQUAL (h.status, 2);
  CU_ASSERT_TRUE (g_str_has_prefix (h.err, "--horizon:1:1: error: horizon: "));

  g_auto (Run) m = { 0 };
  amisim (&m, "run", "no-such-file.yaml", NULL);
  CU_ASSERT_EQUAL (m.status, 2);
  CU_ASSERT_TRUE (g_str_has_prefix (m.err, "no-such-file.yaml:1:1: error: "));

  g_auto (Run) s = { 0 };
  amisim (&s, "run", "--set", "simulation.limits.copies_per_acount_region=5", NULL);
  CU_ASSERT_EQUAL (s.status, 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (s.err, "did you mean 'copies_per_account_region'"));

  g_auto (Run) v = { 0 };
  amisim (&v, "validate", "scenarios/mmc.yaml", "no-such-file.yaml", NULL);
  CU_ASSERT_EQUAL (v.status, 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (v.out, "scenarios/mmc.yaml: valid"));
}

static void
test_cli_validate_shipped_scenarios (void)
{
  g_auto (Run) r = { 0 };
  amisim (&r, "validate", "scenarios/default.yaml", "scenarios/mmc.yaml", "scenarios/bench-mmc.yaml", NULL);
  CU_ASSERT_EQUAL (r.status, 0);
  CU_ASSERT_STRING_EQUAL (r.err, "");
}

static char *
read_summary (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "summary.json", NULL);
  char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  /* wall_s is the one machine-dependent number: drop its line. */
  char *w = strstr (text, "\n  \"wall_s\": ");
  if (w != NULL)
    {
      char *eol = strchr (w + 1, '\n');
      memmove (w, eol, strlen (eol) + 1);
    }
  return text;
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

static void
test_cli_outputs_are_byte_identical (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-cli-XXXXXX", NULL);
  g_autofree char *d1 = g_build_filename (tmp, "one", NULL);
  g_autofree char *d2 = g_build_filename (tmp, "two", NULL);
  g_auto (Run) a = { 0 }, b = { 0 };
  amisim (&a, "run", "--quiet", "--out", d1, NULL);
  amisim (&b, "--quiet", "--out", d2, NULL);
  CU_ASSERT_EQUAL (a.status, 0);
  CU_ASSERT_EQUAL (b.status, 0);
  CU_ASSERT_STRING_EQUAL (a.out, "");
  g_autofree char *s1 = read_summary (d1), *s2 = read_summary (d2);
  CU_ASSERT_PTR_NOT_NULL_FATAL (s1);
  CU_ASSERT_PTR_NOT_NULL_FATAL (s2);
  CU_ASSERT_STRING_EQUAL (s1, s2);
  CU_ASSERT_PTR_NOT_NULL (strstr (s1, "\"scenario\": \"nightly-factory\""));
  CU_ASSERT_PTR_NOT_NULL (strstr (s1, "\"pools\": ["));
  /* every CSV, byte for byte */
  const char *csvs[] = { "images.csv", "copies.csv", "pools.csv", "timeseries.csv", "failures.csv",
                         "lifecycle.csv", "storage.csv" };
  for (guint i = 0; i < G_N_ELEMENTS (csvs); i++)
    {
      g_autofree char *p1 = g_build_filename (d1, csvs[i], NULL);
      g_autofree char *p2 = g_build_filename (d2, csvs[i], NULL);
      g_autofree char *c1 = NULL, *c2 = NULL;
      gsize l1 = 0, l2 = 0;
      CU_ASSERT_TRUE (g_file_get_contents (p1, &c1, &l1, NULL));
      CU_ASSERT_TRUE (g_file_get_contents (p2, &c2, &l2, NULL));
      CU_ASSERT (l1 > 0 && l1 == l2 && memcmp (c1, c2, l1) == 0);
    }
  /* lifecycle.csv and storage.csv are written even when they have no rows */
  const struct { const char *file, *header; } heads[] = {
    { "timeseries.csv", "t_s,t_at,account,region,busy,queued,limit,amis,snapshot_gib\n" },
    { "lifecycle.csv", "t_s,t_at,policy,pipeline,version,resource,resource_id,account,region,"
                       "action,status,cause,message\n" },
    { "storage.csv", "account,region,amis,amis_max,snapshot_gib,gib_months\n" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    {
      g_autofree char *p = g_build_filename (d1, heads[i].file, NULL);
      g_autofree char *c = NULL;
      CU_ASSERT_TRUE_FATAL (g_file_get_contents (p, &c, NULL, NULL));
      CU_ASSERT (g_str_has_prefix (c, heads[i].header));
    }
  CU_ASSERT_PTR_NOT_NULL (strstr (s1, "\"lifecycle\": {"));
  CU_ASSERT_PTR_NOT_NULL (strstr (s1, "\"launches\": {"));
  CU_ASSERT_PTR_NOT_NULL (strstr (s1, "\"storage\": {"));
  g_autofree char *cp = g_build_filename (d1, "copies.csv", NULL);
  g_autofree char *copies = NULL;
  g_assert_true (g_file_get_contents (cp, &copies, NULL, NULL));
  guint rows = 0;
  for (const char *q = copies; *q; q++)
    rows += *q == '\n';
  CU_ASSERT_EQUAL (rows, 1 + 240 * 7 + 3); /* header + one row per copy */
  remove_tree (d1);
  remove_tree (d2);
  g_rmdir (tmp);
}

static void
test_cli_out_onto_a_file_writes_nothing (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-cli-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (tmp, "taken", NULL);
  g_assert_true (g_file_set_contents (file, "keep me", -1, NULL));
  g_auto (Run) r = { 0 };
  amisim (&r, "run", "--out", file, NULL);
  CU_ASSERT_EQUAL (r.status, 2);
  g_autofree char *want = g_strdup_printf ("amisim: --out %s: exists and is not a folder", file);
  ASSERT_FIRST_ERR (r, want);
  CU_ASSERT_STRING_EQUAL (r.out, "");
  g_autofree char *kept = NULL;
  CU_ASSERT_TRUE (g_file_get_contents (file, &kept, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (kept, "keep me");

  /* A path below a plain file cannot be created: refused before running. */
  g_autofree char *below = g_build_filename (file, "sub", NULL);
  g_auto (Run) b = { 0 };
  amisim (&b, "run", "--quiet", "--out", below, NULL);
  CU_ASSERT_EQUAL (b.status, 2);
  g_autofree char *want_below = g_strdup_printf ("amisim: --out %s: %s is not a folder", below, file);
  ASSERT_FIRST_ERR (b, want_below);

  g_unlink (file);
  g_rmdir (tmp);
}

static void
test_cli_json_and_table (void)
{
  g_auto (Run) j = { 0 };
  amisim (&j, "run", "scenarios/mmc.yaml", "--horizon", "1h", "--json", NULL);
  CU_ASSERT_EQUAL (j.status, 0);
  CU_ASSERT_TRUE (g_str_has_prefix (j.out, "{\n  \"amisim_version\""));
  CU_ASSERT_PTR_NOT_NULL (strstr (j.out, "\"horizon_s\": 3600"));

  g_auto (Run) t = { 0 };
  amisim (&t, "run", "scenarios/mmc.yaml", "--horizon", "1h", "--seed", "3", NULL);
  CU_ASSERT_EQUAL (t.status, 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (t.out, "seed 3"));
  CU_ASSERT_PTR_NOT_NULL (strstr (t.out, "most congested pools"));
  CU_ASSERT_STRING_EQUAL (t.err, "");
}

static const char *
last_line (const char *s)
{
  static char buf[4096];
  gsize n = strlen (s);
  while (n > 0 && s[n - 1] == '\n')
    n--;
  gsize start = n;
  while (start > 0 && s[start - 1] != '\n')
    start--;
  g_strlcpy (buf, s + start, MIN (sizeof buf, n - start + 1));
  return buf;
}

static void
test_cli_explain (void)
{
  g_auto (Run) ok = { 0 };
  amisim (&ok, "explain", "scenarios/mmc.yaml", NULL);
  CU_ASSERT_EQUAL (ok.status, 0);
  CU_ASSERT_STRING_EQUAL (last_line (ok.out), "0 blockers (0 distinct) in 2 checks");

  g_auto (Run) def = { 0 };
  amisim (&def, "explain", NULL);
  CU_ASSERT_EQUAL (def.status, 3);
  CU_ASSERT_STRING_EQUAL (last_line (def.out), "1 blocker (1 distinct) in 801 checks: role_missing 1");

  g_auto (Run) broken = { 0 };
  amisim (&broken, "explain", "scenarios/broken-permissions.yaml", NULL);
  CU_ASSERT_EQUAL (broken.status, 3);
  CU_ASSERT_TRUE (g_str_has_prefix (last_line (broken.out), "15 blockers (15 distinct) in 24 checks: "));
  CU_ASSERT_PTR_NOT_NULL (strstr (broken.out, "key_policy_denies  account 222222222222, us-east-1, "
                                              "step decrypt\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (broken.out, "SCP no-image-copies, statement 0 \"DenyCopies\" "
                                              "(scenarios/broken-permissions.yaml:"));

  g_auto (Run) quiet = { 0 };
  amisim (&quiet, "explain", "--quiet", "scenarios/broken-permissions.yaml", NULL);
  CU_ASSERT_EQUAL (quiet.status, 3);
  CU_ASSERT_TRUE (g_str_has_prefix (quiet.out, "15 blockers"));

  g_auto (Run) json = { 0 };
  amisim (&json, "explain", "--json", "scenarios/broken-permissions.yaml", NULL);
  CU_ASSERT_EQUAL (json.status, 3);
  CU_ASSERT_PTR_NOT_NULL (strstr (json.out, "\"blockers_total\": 15"));
  CU_ASSERT_PTR_NOT_NULL (strstr (json.out, "\"cause\": \"scp_denies\""));

  g_auto (Run) fixed = { 0 };
  amisim (&fixed, "explain", "--quiet", "scenarios/broken-permissions.yaml", "--set",
          "accounts[0].kms_keys[0].policy.Statement[1].Condition.ForAnyValue:StringLike"
          ".aws:PrincipalOrgPaths[0]=o-a1b2c3d4e5/r-a1b2/ou-a1b2-aaaaaaaa/*", NULL);
  CU_ASSERT_EQUAL (fixed.status, 3);
  CU_ASSERT_TRUE (g_str_has_prefix (fixed.out, "14 blockers"));

  g_auto (Run) missing = { 0 };
  amisim (&missing, "explain", "no-such-file.yaml", NULL);
  CU_ASSERT_EQUAL (missing.status, 2);
  CU_ASSERT_TRUE (g_str_has_prefix (missing.err, "no-such-file.yaml:1:1: error: "));

  g_auto (Run) two = { 0 };
  amisim (&two, "explain", "a.yaml", "b.yaml", NULL);
  CU_ASSERT_EQUAL (two.status, 2);
  ASSERT_FIRST_ERR (two, "amisim explain: expected at most one scenario file, got 2");
}

static void
test_cli_policy_eval (void)
{
  g_auto (Run) allow = { 0 };
  amisim (&allow, "policy", "eval", "scenarios/policy/org-path.json", NULL);
  CU_ASSERT_EQUAL (allow.status, 0);
  CU_ASSERT_TRUE (g_str_has_prefix (allow.out, "Allow\n"));

  g_auto (Run) deny = { 0 };
  amisim (&deny, "policy", "eval", "scenarios/policy/org-path-exact.yaml", NULL);
  CU_ASSERT_EQUAL (deny.status, 0);
  CU_ASSERT_TRUE (g_str_has_prefix (deny.out, "ImplicitDeny\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (deny.out,
    "  closest statements (they grant the action, but not here):\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (deny.out,
    "    key policy, statement 1 \"AllowWorkloadsOnly\" (scenarios/policy/org-path-exact.yaml:21:9):\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (deny.out,
    "      but ForAnyValue:StringLike on aws:PrincipalOrgPaths "
    "[\"o-a1b2c3d4e5/r-a1b2/ou-a1b2-aaaaaaaa/\"] is false for "
    "[\"o-a1b2c3d4e5/r-a1b2/ou-a1b2-aaaaaaaa/ou-a1b2-bbbbbbbb/\"]\n"));

  g_auto (Run) json = { 0 };
  amisim (&json, "policy", "eval", "--json", "scenarios/policy/org-path.json", NULL);
  CU_ASSERT_EQUAL (json.status, 0);
  CU_ASSERT_TRUE (g_str_has_prefix (json.out, "{\n  \"decision\": \"Allow\""));

  g_autofree char *tmp = g_dir_make_tmp ("amisim-cli-XXXXXX", NULL);
  g_autofree char *bad = g_build_filename (tmp, "bad.json", NULL);
  g_assert_true (g_file_set_contents (bad, "{\"policies\": {\"identity\": []},\n"
                                           " \"request\": {\"resource\": \"*\"}}\n", -1, NULL));
  g_auto (Run) b = { 0 };
  amisim (&b, "policy", "eval", bad, NULL);
  CU_ASSERT_EQUAL (b.status, 2);
  g_autofree char *prefix = g_strdup_printf ("%s:2:13: error: request: the request has no \"action\"", bad);
  CU_ASSERT_TRUE (g_str_has_prefix (b.err, prefix));
  CU_ASSERT_STRING_EQUAL (b.out, "");
  g_unlink (bad);
  g_rmdir (tmp);

  g_auto (Run) none = { 0 };
  amisim (&none, "policy", NULL);
  CU_ASSERT_EQUAL (none.status, 2);
  ASSERT_FIRST_ERR (none, "amisim policy eval: expected a subcommand: eval");
  g_auto (Run) other = { 0 };
  amisim (&other, "policy", "check", NULL);
  CU_ASSERT_EQUAL (other.status, 2);
  g_auto (Run) nofile = { 0 };
  amisim (&nofile, "policy", "eval", NULL);
  CU_ASSERT_EQUAL (nofile.status, 2);
  ASSERT_FIRST_ERR (nofile, "amisim policy eval: expected one request file, got 0");
  g_auto (Run) missing = { 0 };
  amisim (&missing, "policy", "eval", "no-such.json", NULL);
  CU_ASSERT_EQUAL (missing.status, 2);
  ASSERT_FIRST_ERR (missing, "no-such.json:1:1: error: (file): cannot read file: No such file or directory");
}

/* amisim with `args` (NULL-terminated) and standard input from `input`
 * (a file under the source root), through a pipe. */
static void
amisim_piped (Run *r, const char *input, const char *const *args)
{
  g_autoptr (GString) cmd = g_string_new ("cat ");
  g_autofree char *in = g_shell_quote (input);
  g_autofree char *bin = g_shell_quote (g_getenv ("AMISIM_BINARY"));
  g_string_append_printf (cmd, "%s | %s", in, bin);
  for (; *args != NULL; args++)
    {
      g_autofree char *a = g_shell_quote (*args);
      g_string_append_printf (cmd, " %s", a);
    }
  const char *argv[] = { "/bin/sh", "-c", cmd->str, NULL };
  g_autofree char *root = ams_source_path ("");
  int wait_status = 0;
  CU_ASSERT_TRUE_FATAL (g_spawn_sync (root, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                      &r->out, &r->err, &wait_status, NULL));
  r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128;
}

/* `-` is standard input for every command that reads a scenario or a
 * policy document, read once (a sweep's points share it), and named
 * <stdin> in messages; `--trace -` is standard output, with nothing else
 * there; `--` ends the options. */
static void
test_cli_dash_is_stdin_and_stdout (void)
{
  g_auto (Run) v = { 0 };
  amisim_piped (&v, "scenarios/default.yaml", (const char *const[]) { "validate", "-", NULL });
  CU_ASSERT_EQUAL (v.status, 0);
  CU_ASSERT_STRING_EQUAL (v.out, "<stdin>: valid (3 regions, 4 accounts, 80 pipelines)\n");

  g_auto (Run) e = { 0 };
  amisim_piped (&e, "scenarios/broken-permissions.yaml",
                (const char *const[]) { "explain", "-", "-q", NULL });
  CU_ASSERT_EQUAL (e.status, 3);
  CU_ASSERT_PTR_NOT_NULL (strstr (e.out, "15 blockers"));

  g_auto (Run) p = { 0 };
  amisim_piped (&p, "scenarios/policy/org-path.json",
                (const char *const[]) { "policy", "eval", "-", NULL });
  CU_ASSERT_EQUAL (p.status, 0);
  CU_ASSERT_TRUE (g_str_has_prefix (p.out, "Allow\n"));

  /* a sweep's two points from one read of standard input */
  g_auto (Run) s = { 0 };
  amisim_piped (&s, "scenarios/default.yaml",
                (const char *const[]) { "sweep", "-", "--set",
                                        "simulation.limits.copies_per_account_region=25,50",
                                        "--horizon", "1d12h", "--json", NULL });
  CU_ASSERT_EQUAL (s.status, 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (s.out, "\"scenario_file\": \"<stdin>\""));
  CU_ASSERT_PTR_NULL (strstr (s.err, "not a valid scenario"));

  /* errors name <stdin> with the line */
  g_auto (Run) bad = { 0 };
  amisim_piped (&bad, "tests/cli/meson.build", (const char *const[]) { "run", "-", NULL });
  CU_ASSERT_EQUAL (bad.status, 2);
  CU_ASSERT_TRUE (g_str_has_prefix (bad.err, "<stdin>:"));

  /* --trace -: JSON Lines on stdout and nothing else; no file named - */
  g_auto (Run) t = { 0 };
  amisim (&t, "run", "--horizon", "1d6h", "--trace", "-", "--trace-kind", "image_available",
          NULL);
  CU_ASSERT_EQUAL (t.status, 0);
  CU_ASSERT_TRUE (g_str_has_prefix (t.out, "{"));
  CU_ASSERT_PTR_NULL (strstr (t.out, "amisim 0.1.0"));
  CU_ASSERT_PTR_NOT_NULL (strstr (t.out, "image_available"));
  g_autofree char *dash = ams_source_path ("-");
  CU_ASSERT_FALSE (g_file_test (dash, G_FILE_TEST_EXISTS));
  g_auto (Run) tn = { 0 };
  amisim (&tn, "run", "--trace", "-", "--narrate", NULL);
  CU_ASSERT_EQUAL (tn.status, 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (tn.err, "--trace - writes the trace on stdout"));

  /* validate counts the accounts its account sets make: 2 listed + 250 */
  g_auto (Run) cap = { 0 };
  amisim (&cap, "validate", "scenarios/capacity.yaml", NULL);
  CU_ASSERT_STRING_EQUAL (cap.out, "scenarios/capacity.yaml: valid (8 regions, 252 accounts, "
                                   "80 pipelines)\n");

  /* -- ends the options */
  g_auto (Run) dd = { 0 };
  amisim (&dd, "validate", "--", "scenarios/default.yaml", NULL);
  CU_ASSERT_EQUAL (dd.status, 0);
  g_auto (Run) dr = { 0 };
  amisim (&dr, "run", "--quiet", "--horizon", "1d", "--", "scenarios/default.yaml", NULL);
  CU_ASSERT_EQUAL (dr.status, 0);
  /* after --, a name that starts with a dash is a file, first or not */
  g_auto (Run) odd = { 0 };
  amisim (&odd, "run", "--", "-no-such.yaml", NULL);
  CU_ASSERT_EQUAL (odd.status, 2);
  CU_ASSERT_TRUE (g_str_has_prefix (odd.err, "-no-such.yaml:1:1: error: (file): cannot read"));
  g_auto (Run) odd2 = { 0 };
  amisim (&odd2, "validate", "--json", "--", "-no-such.yaml", NULL);
  CU_ASSERT_EQUAL (odd2.status, 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (odd2.out, "\"file\": \"-no-such.yaml\""));
  /* before it, an unknown option is still one */
  g_auto (Run) unk = { 0 };
  amisim (&unk, "validate", "-x", "--", "scenarios/default.yaml", NULL);
  CU_ASSERT_EQUAL (unk.status, 2);
}

static const AmsTestCase cases[] = {
  { "test_cli_dash_is_stdin_and_stdout", test_cli_dash_is_stdin_and_stdout },
  { "test_cli_explain", test_cli_explain },
  { "test_cli_policy_eval", test_cli_policy_eval },
  { "test_cli_version_and_help", test_cli_version_and_help },
  { "test_cli_misuse_exits_2", test_cli_misuse_exits_2 },
  { "test_cli_bad_scenario_input_exits_2", test_cli_bad_scenario_input_exits_2 },
  { "test_cli_validate_shipped_scenarios", test_cli_validate_shipped_scenarios },
  { "test_cli_outputs_are_byte_identical", test_cli_outputs_are_byte_identical },
  { "test_cli_out_onto_a_file_writes_nothing", test_cli_out_onto_a_file_writes_nothing },
  { "test_cli_json_and_table", test_cli_json_and_table },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("cli", cases);
}

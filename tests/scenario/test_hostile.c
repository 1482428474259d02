/* amisim tests — hostile scenario files (docs/limits.md): each limit of
 * src/scenario/input-limits.h and each kind of input refused, both ways:
 * the hostile input is refused quickly with its FILE:LINE:COL and a message
 * that names the limit, and a healthy input at the limit is accepted.
 *
 * Alias bombs, 100,000 nested brackets and braces, a scalar past 1 MiB, a
 * file past 256 MiB (sparse), folders, FIFOs without a writer and devices,
 * control characters in names, keys, free text and an inline key policy,
 * tags outside the core schema, and a scenario of a million accounts. The
 * inputs are generated here, not committed. Some cases also run the amisim
 * binary, for the exit status a user sees.
 */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "amisim/scenario.h"
#include "ams_proc.h"
#include "diag.h"
#include "input-limits.h"
#include "ynode.h"

/* What a refusal may take, in seconds: far above the milliseconds it
 * takes, so that sanitizers and a busy machine stay within it. */
#define QUICK 5.0

#define HEAD "amisim: 1\nhorizon: 1d\n"

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

/* The whole error message of loading `text` as "t.yaml", or "(loaded)";
 * *took gets the seconds it took. */
static char *
errors_of (const char *text, gsize len, const AmsOverride *ov, guint n_ov, double *took)
{
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();
  AmsScenario *sc = ams_scenario_load_data ("t.yaml", text, (gssize) len, ov, n_ov, &error);
  if (took != NULL)
    *took = seconds_since (start);
  if (sc != NULL)
    {
      CU_ASSERT_PTR_NULL (error);
      ams_scenario_free (sc);
      return g_strdup ("(loaded)");
    }
  CU_ASSERT_TRUE (g_error_matches (error, AMS_SCENARIO_ERROR, AMS_SCENARIO_ERROR_INVALID));
  char *m = g_strdup (error->message);
  g_error_free (error);
  return m;
}

static void
expect (const char *text, const char *expected)
{
  g_autofree char *got = errors_of (text, strlen (text), NULL, 0, NULL);
  if (strcmp (got, expected) != 0)
    fprintf (stderr, "\n  got:\n%s\n  expected:\n%s\n", got, expected);
  CU_ASSERT_STRING_EQUAL (got, expected);
}

/* Like expect, for a refusal that must also be quick. */
static void
expect_quick (const char *text, const char *expected)
{
  double took = 0;
  g_autofree char *got = errors_of (text, strlen (text), NULL, 0, &took);
  if (strcmp (got, expected) != 0)
    fprintf (stderr, "\n  got:\n%.2000s\n  expected:\n%.2000s\n", got, expected);
  CU_ASSERT_STRING_EQUAL (got, expected);
  CU_ASSERT_TRUE (took < QUICK);
}

/* The problems of parsing `text` within `limits`, or "(parsed)". */
static char *
parse_errors (const char *text, const AmsYLimits *limits)
{
  g_autoptr (AmsDiag) diag = ams_diag_new ("t.yaml");
  g_autoptr (AmsYDoc) doc = ams_ydoc_parse_limited ("t.yaml", text, strlen (text), NULL, limits,
                                                    diag);
  GError *error = NULL;
  if (ams_diag_take_error (diag, AMS_SCENARIO_ERROR_INVALID, &error))
    {
      CU_ASSERT_PTR_NULL (doc);
      char *m = g_strdup (error->message);
      g_error_free (error);
      return m;
    }
  CU_ASSERT_PTR_NOT_NULL (doc);
  return g_strdup ("(parsed)");
}

static void
expect_parse (const char *text, const AmsYLimits *limits, const char *expected)
{
  g_autofree char *got = parse_errors (text, limits);
  if (strcmp (got, expected) != 0)
    fprintf (stderr, "\n  got:\n%s\n  expected:\n%s\n", got, expected);
  CU_ASSERT_STRING_EQUAL (got, expected);
}

/* Writes `text` to `dir`/`name`; returns the path. */
static char *
write_file (const char *dir, const char *name, const char *text, gssize len)
{
  char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, len, NULL));
  return path;
}

/* The error of loading the file `path`, which must be an I/O error. */
static char *
file_error (const char *path, double *took)
{
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();
  AmsScenario *sc = ams_scenario_load_file (path, NULL, 0, &error);
  *took = seconds_since (start);
  CU_ASSERT_PTR_NULL (sc);
  ams_scenario_free (sc);
  if (error == NULL)
    return g_strdup ("(loaded)");
  CU_ASSERT_TRUE (g_error_matches (error, AMS_SCENARIO_ERROR, AMS_SCENARIO_ERROR_IO));
  char *m = g_strdup (error->message);
  g_error_free (error);
  return m;
}

/* Runs `amisim validate path`: it must exit 2 quickly, its first line of
 * stderr `first`. */
static void
validate_refuses (const char *path, const char *first)
{
  g_auto (Run) r = { 0 };
  gint64 start = g_get_monotonic_time ();
  amisim (&r, "validate", path, NULL);
  CU_ASSERT_TRUE (seconds_since (start) < QUICK);
  CU_ASSERT_EQUAL (r.status, 2);
  g_autofree char *line = first_line (r.err);
  if (strcmp (line, first) != 0)
    fprintf (stderr, "\n  got:\n%.2000s\n  expected:\n%.2000s\n", line, first);
  CU_ASSERT_STRING_EQUAL (line, first);
}

/* ---- aliases and the node limits ---- */

/* Ten levels of ten aliases: 10^10 nodes from half a kilobyte. */
static char *
alias_bomb (const char *head, const char *indent)
{
  GString *s = g_string_new (head);
  g_string_append_printf (s, "%sl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
                          indent);
  for (guint i = 1; i < 10; i++)
    {
      g_string_append_printf (s, "%sl%u: &l%u [", indent, i, i);
      for (guint j = 0; j < 10; j++)
        g_string_append_printf (s, "%s*l%u", j ? ", " : "", i - 1);
      g_string_append (s, "]\n");
    }
  return g_string_free (s, FALSE);
}

static void
test_hostile_alias_bomb (void)
{
  /* Each *l4 adds 111,111 nodes; after 123,440 from the levels above, the
   * eighth *l4 passes 1,000,000: refused there, while parsing. */
  g_autofree char *bomb = alias_bomb (HEAD "x-bomb:\n", "  ");
  CU_ASSERT_TRUE (strlen (bomb) < 1024);
  expect_quick (bomb, "t.yaml:9:47: error: x-bomb.l5[7]: aliases add more than 1000000 nodes "
                      "to the document, the limit (an alias counts every node of what it "
                      "names); refusing to go on");

  /* At the limit: a 1,000-node anchor used 1,000 times adds exactly
   * 1,000,000 nodes and loads; one alias more (of a one-node scalar) is
   * refused at that alias. */
  GString *s = g_string_new (HEAD "x-s: &s s\nx-a: &a [a");
  for (guint i = 1; i < 999; i++)
    g_string_append (s, ", a");
  g_string_append (s, "]\nx-uses: [*a");
  for (guint i = 1; i < 1000; i++)
    g_string_append (s, ", *a");
  g_autofree char *at_limit = g_strconcat (s->str, "]\n", NULL);
  g_autofree char *past = g_strconcat (s->str, ", *s]\n", NULL);
  g_string_free (s, TRUE);
  double took = 0;
  g_autofree char *ok = errors_of (at_limit, strlen (at_limit), NULL, 0, &took);
  CU_ASSERT_STRING_EQUAL (ok, "(loaded)");
  CU_ASSERT_TRUE (took < QUICK);
  expect_quick (past, "t.yaml:5:4010: error: x-uses[1000]: aliases add more than 1000000 nodes "
                      "to the document, the limit (an alias counts every node of what it "
                      "names); refusing to go on");

  /* the binary: exit 2, the same line */
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *path = write_file (tmp, "bomb.yaml", bomb, -1);
  g_autofree char *want = g_strdup_printf ("%s:9:47: error: x-bomb.l5[7]: aliases add more "
                                           "than 1000000 nodes to the document, the limit (an "
                                           "alias counts every node of what it names); refusing "
                                           "to go on", path);
  validate_refuses (path, want);
  g_unlink (path);
  g_rmdir (tmp);
}

static void
test_hostile_node_limit (void)
{
  /* The expanded tree counts aliases too; smaller limits reach it cheaply
   * (the real one, 20,000,000, lets the million accounts below load). */
  AmsYLimits lim = ams_ylimits_default;
  lim.nodes = 100;
  /* root, key, sequence and 97 items: 100 nodes */
  GString *s = g_string_new ("k: [a");
  for (guint i = 1; i < 97; i++)
    g_string_append (s, ", a");
  g_autofree char *at_limit = g_strconcat (s->str, "]\n", NULL);
  g_autofree char *past = g_strconcat (s->str, ", b]\n", NULL);
  g_string_free (s, TRUE);
  expect_parse (at_limit, &lim, "(parsed)");
  expect_parse (past, &lim, "t.yaml:1:296: error: k[97]: the document has more than 100 nodes, "
                            "the limit (aliases count every node of what they name); refusing to "
                            "go on");
  /* 51 nodes written, then an alias of the 49-node sequence: 101 */
  s = g_string_new ("a: &a [x");
  for (guint i = 1; i < 48; i++)
    g_string_append (s, ", x");
  g_string_append (s, "]\nb: *a\n");
  expect_parse (s->str, &lim, "t.yaml:2:4: error: b: the document has more than 100 nodes, the "
                              "limit (aliases count every node of what they name); refusing to "
                              "go on");
  g_string_free (s, TRUE);

  /* the limit on what aliases add, the same way */
  lim = ams_ylimits_default;
  lim.alias_nodes = 10;
  expect_parse ("a: &a [x, x, x, x]\nb: [*a, *a]\n", &lim, "(parsed)");
  expect_parse ("a: &a [x, x, x, x]\nb: [*a, *a, *a]\n", &lim,
                "t.yaml:2:13: error: b[2]: aliases add more than 10 nodes to the document, the "
                "limit (an alias counts every node of what it names); refusing to go on");

  /* merge keys copy pairs, within their own limit */
  lim = ams_ylimits_default;
  lim.merged_pairs = 4;
  expect_parse ("d: &d {a: 1, b: 2}\nm: {<<: [*d], c: 3}\nn: {<<: *d}\n", &lim, "(parsed)");
  expect_parse ("d: &d {a: 1, b: 2}\nm: {<<: [*d], c: 3}\nn: {<<: *d}\no: {<<: *d}\n", &lim,
                "t.yaml:4:4: error: o: merge keys (<<) copy more than 4 keys, the limit; "
                "refusing to go on");
}

/* ---- nesting ---- */

static void
test_hostile_nesting (void)
{
  /* The document's mapping is the first collection: the 63rd bracket in
   * it is the 64th, the limit; the 64th bracket is refused. */
  const guint n = 100000, inside = AMS_LIMIT_DEPTH - 1;
  g_autoptr (GString) path = g_string_new ("x-deep");
  for (guint i = 0; i < inside; i++)
    g_string_append (path, "[0]");
  g_autofree char *want = g_strdup_printf ("t.yaml:3:72: error: %s: collections nested more "
                                           "than 64 deep, the limit; refusing to go on",
                                           path->str);
  /* 100,000 brackets, closed or not: refused at the 64th, at once */
  g_autofree char *open = g_strnfill (n, '[');
  g_autofree char *close = g_strnfill (n, ']');
  g_autofree char *closed = g_strconcat (HEAD "x-deep: ", open, close, "\n", NULL);
  g_autofree char *unclosed = g_strconcat (HEAD "x-deep: ", open, "\n", NULL);
  expect_quick (closed, want);
  expect_quick (unclosed, want);

  /* braces: {a: {a: ... b}} */
  GString *s = g_string_new (HEAD "x-deep: ");
  for (guint i = 0; i < n; i++)
    g_string_append (s, "{a: ");
  g_string_append_c (s, 'b');
  for (guint i = 0; i < n; i++)
    g_string_append_c (s, '}');
  g_string_append_c (s, '\n');
  g_autoptr (GString) bpath = g_string_new ("x-deep");
  for (guint i = 0; i < inside; i++)
    g_string_append (bpath, ".a");
  g_autofree char *bwant = g_strdup_printf ("t.yaml:3:261: error: %s: collections nested more "
                                            "than 64 deep, the limit; refusing to go on",
                                            bpath->str);
  expect_quick (s->str, bwant);
  g_string_free (s, TRUE);

  /* block style, one level per line: the 64th "-" (line 67) is refused */
  s = g_string_new (HEAD "x-deep:\n");
  for (guint i = 0; i < AMS_LIMIT_DEPTH; i++)
    g_string_append_printf (s, "%*s-\n", (int) (2 * i), "");
  g_string_append_printf (s, "%*sx\n", (int) (2 * AMS_LIMIT_DEPTH), "");
  g_autofree char *lwant = g_strdup_printf ("t.yaml:67:127: error: %s: collections nested more "
                                            "than 64 deep, the limit; refusing to go on",
                                            path->str);
  expect_quick (s->str, lwant);
  g_string_free (s, TRUE);

  /* 64 deep: loads */
  g_autofree char *o63 = g_strnfill (inside, '[');
  g_autofree char *c63 = g_strnfill (inside, ']');
  g_autofree char *ok = g_strconcat (HEAD "x-deep: ", o63, c63, "\n", NULL);
  expect_quick (ok, "(loaded)");

  /* the binary: exit 2, quickly */
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *file = write_file (tmp, "deep.yaml", closed, -1);
  g_autofree char *bin_want = g_strdup_printf ("%s%s", file, want + strlen ("t.yaml"));
  validate_refuses (file, bin_want);
  g_unlink (file);
  g_rmdir (tmp);
}

/* ---- sizes ---- */

static void
test_hostile_scalar_length (void)
{
  g_autofree char *big = g_strnfill (AMS_LIMIT_SCALAR_BYTES, 'x');
  g_autofree char *at_limit = g_strconcat (HEAD "description: ", big, "\n", NULL);
  g_autofree char *past = g_strconcat (HEAD "description: ", big, "y\n", NULL);
  expect_quick (at_limit, "(loaded)");
  expect_quick (past, "t.yaml:3:14: error: description: a scalar of 1048577 bytes, more than "
                      "the limit of 1 MiB; refusing to go on");
  /* a key is a scalar too (a long one is written as an explicit key) */
  g_autofree char *key = g_strconcat (HEAD "? x-", big, "\n: 1\n", NULL);
  expect_quick (key, "t.yaml:3:3: error: ?: a scalar of 1048578 bytes, more than the limit of "
                     "1 MiB; refusing to go on");
}

static void
test_hostile_input_size (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  /* sparse files: no disk space, a size past the limit or at it */
  g_autofree char *past = g_build_filename (tmp, "past.yaml", NULL);
  g_autofree char *at = g_build_filename (tmp, "at.yaml", NULL);
  for (guint i = 0; i < 2; i++)
    {
      int fd = g_open (i == 0 ? past : at, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      CU_ASSERT_TRUE_FATAL (fd >= 0);
      CU_ASSERT_EQUAL (ftruncate (fd, (off_t) AMS_LIMIT_INPUT_BYTES + (i == 0)), 0);
      close (fd);
    }
  double took = 0;
  g_autofree char *err = file_error (past, &took);
  g_autofree char *want = g_strdup_printf ("%s:1:1: error: (file): the file is 268435457 bytes, "
                                           "more than the limit of 256 MiB", past);
  CU_ASSERT_STRING_EQUAL (err, want);
  CU_ASSERT_TRUE (took < QUICK);
  validate_refuses (past, want);

  /* at the limit, the file is read whole (and refused for what it holds:
   * NUL bytes, which YAML does not allow) */
  gsize len = 0;
  GError *error = NULL;
  g_autofree char *data = ams_read_file (at, &len, &error);
  CU_ASSERT_PTR_NOT_NULL (data);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_EQUAL (len, AMS_LIMIT_INPUT_BYTES);
  g_clear_error (&error);
  g_unlink (past);
  g_unlink (at);
  g_rmdir (tmp);

  /* a text given as data, against a smaller limit */
  AmsYLimits lim = ams_ylimits_default;
  lim.input_bytes = 10;
  expect_parse ("a: 1234567", &lim, "(parsed)");
  expect_parse ("a: 12345678", &lim,
                "t.yaml:1:1: error: (root): the text is 11 bytes, more than the limit of 10 "
                "bytes");
}

/* ---- special files ---- */

static void
test_hostile_special_files (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (tmp, "fifo.yaml", NULL);
  CU_ASSERT_EQUAL_FATAL (mkfifo (fifo, 0600), 0);
  static const char tail[] = ", not a regular file; amisim reads scenarios and policy documents "
                             "from regular files only";
  const struct
  {
    const char *path;
    const char *what;
  } cases[] = {
    { tmp, "a folder" },
    { fifo, "a FIFO (named pipe)" },
    { "/dev/zero", "a character device" },
    { "/dev/urandom", "a character device" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (!g_file_test (cases[i].path, G_FILE_TEST_EXISTS))
        continue;
      double took = 0;
      g_autofree char *err = file_error (cases[i].path, &took);
      g_autofree char *want = g_strdup_printf ("%s:1:1: error: (file): %s%s", cases[i].path,
                                               cases[i].what, tail);
      CU_ASSERT_STRING_EQUAL (err, want);
      CU_ASSERT_TRUE (took < QUICK);
      validate_refuses (cases[i].path, want);
    }
  /* a FIFO did not block, and it still has no writer; a regular file loads */
  g_autofree char *file = write_file (tmp, "ok.yaml", HEAD, -1);
  GError *error = NULL;
  g_autoptr (AmsScenario) sc = ams_scenario_load_file (file, NULL, 0, &error);
  CU_ASSERT_PTR_NOT_NULL (sc);
  CU_ASSERT_PTR_NULL (error);
  g_clear_error (&error);
  g_unlink (fifo);
  g_unlink (file);
  g_rmdir (tmp);
}

/* ---- control characters ---- */

#define STRICT "; names and values hold no control characters (free text such as a " \
               "description may hold tabs and line breaks)"
#define ANY "; no string may hold one (free text such as a description may hold tabs and " \
            "line breaks)"

static void
test_hostile_controls (void)
{
  /* a name with a line feed would forge lines of the table output */
  expect (HEAD "name: \"quick\\nstart\"\n",
          "t.yaml:3:7: error: name: expected a string, got one with control character U+000A "
          "(line feed) at character 6" STRICT);
  expect (HEAD "name: |\n  quick\n  start\n",
          "t.yaml:3:7: error: name: expected a string, got one with control character U+000A "
          "(line feed) at character 6" STRICT);
  expect (HEAD "accounts:\n  - {id: \"111111111111\", name: \"a\\tb\"}\n",
          "t.yaml:4:32: error: accounts[0].name: expected a string, got one with control "
          "character U+0009 (tab) at character 2" STRICT);
  expect (HEAD "name: \"golden\\x7f\"\n",
          "t.yaml:3:7: error: name: control character U+007F (DEL) at character 7" ANY);
  /* what no string may hold, whatever it is: refused where it is read */
  expect (HEAD "name: \"quick\\0start\"\n",
          "t.yaml:3:7: error: name: control character U+0000 (NUL) at character 6" ANY);
  expect (HEAD "name: \"quick\\Nstart\"\n",
          "t.yaml:3:7: error: name: control character U+0085 (a C1 control) at character 6" ANY);
  expect (HEAD "description: \"in \\e[31mred\"\n",
          "t.yaml:3:14: error: description: control character U+001B (escape) at character 4"
          ANY);
  expect (HEAD "x-note: \"\\r\"\n",
          "t.yaml:3:9: error: x-note: control character U+000D (carriage return) at character "
          "1" ANY);
  /* keys: none at all */
  expect (HEAD "\"na\\nme\": x\n",
          "t.yaml:3:1: error: na\\nme: control character U+000A (line feed) at character 3 of "
          "a key; "
          "a key holds no control characters");
  /* free text may hold tabs and line feeds */
  expect (HEAD "name: quick-start\ndescription: |\n  first line\n  \tand a tab\n", "(loaded)");
  /* and a value from the command line is read like one from the file */
  const AmsOverride ov[] = { { "name", "a\033b", "--set" } };
  g_autofree char *got = errors_of (HEAD, strlen (HEAD), ov, 1, NULL);
  CU_ASSERT_STRING_EQUAL (got, "--set:1:1: error: name: expected a string, got one with "
                               "control character U+001B (escape) at character 2" STRICT);

  /* an inline key policy: kms:Encrypt\u0000x must not be read as kms:Encrypt,
   * nor a Deny of ...:root\0x as a Deny of the root */
  static const char key_head[] =
    HEAD "regions: [{name: us-east-1}]\n"
    "accounts:\n"
    "  - id: \"111111111111\"\n"
    "    kms_keys:\n"
    "      - id: 1234abcd-12ab-34cd-56ef-1234567890ab\n"
    "        region: us-east-1\n"
    "        policy: {\"Version\": \"2012-10-17\", \"Statement\": [\n";
  g_autofree char *nul_action = g_strconcat (
    key_head,
    "          {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111111111111:root\"},\n"
    "           \"Action\": \"kms:Encrypt\\u0000x\", \"Resource\": \"*\"}]}\n", NULL);
  expect (nul_action, "t.yaml:11:22: error: accounts[0].kms_keys[0].policy.Statement[0].Action: "
                      "control character U+0000 (NUL) at character 12" ANY);
  g_autofree char *nul_principal = g_strconcat (
    key_head,
    "          {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111111111111:root\"},\n"
    "           \"Action\": \"kms:*\", \"Resource\": \"*\"},\n"
    "          {\"Effect\": \"Deny\", \"Principal\": {\"AWS\": \"arn:aws:iam::222222222222:root\\0x\"},\n"
    "           \"Action\": \"kms:*\", \"Resource\": \"*\"}]}\n", NULL);
  expect (nul_principal,
          "t.yaml:12:51: error: accounts[0].kms_keys[0].policy.Statement[1].Principal.AWS: "
          "control character U+0000 (NUL) at character 31" ANY);
  /* a tab, which YAML text may hold, is refused by the policy compiler */
  g_autofree char *tab_action = g_strconcat (
    key_head,
    "          {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111111111111:root\"},\n"
    "           \"Action\": \"kms:Encrypt\\tx\", \"Resource\": \"*\"}]}\n", NULL);
  expect (tab_action, "t.yaml:11:22: error: accounts[0].kms_keys[0].policy.Statement[0].Action: "
                      "control character U+0009 (tab) at character 12; policy documents and "
                      "requests hold no control characters in their strings");
  /* and the same policy without them loads */
  g_autofree char *healthy = g_strconcat (
    key_head,
    "          {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111111111111:root\"},\n"
    "           \"Action\": \"kms:Encrypt\", \"Resource\": \"*\"}]}\n", NULL);
  expect (healthy, "(loaded)");
}

/* The name in the table of `amisim run` comes from the file: one with a
 * line feed is refused before anything runs. */
static void
test_hostile_name_binary (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *file = write_file (tmp, "forged.yaml",
                                      HEAD "name: \"quick\\nTOTAL  0 failures\"\n", -1);
  g_autofree char *want = g_strdup_printf ("%s:3:7: error: name: expected a string, got one "
                                           "with control character U+000A (line feed) at "
                                           "character 6" STRICT, file);
  validate_refuses (file, want);
  g_auto (Run) r = { 0 };
  amisim (&r, "run", file, NULL);
  CU_ASSERT_EQUAL (r.status, 2);
  CU_ASSERT_PTR_NULL (strstr (r.out, "TOTAL"));
  g_unlink (file);
  g_rmdir (tmp);
}

/* ---- tags ---- */

#define CORE_ONLY " is not supported (amisim reads YAML's core schema only: !!str, !!int, " \
                  "!!float, !!bool, !!null, !!seq, !!map, and !!merge on <<); remove it"

static void
test_hostile_tags (void)
{
  expect_quick (HEAD "x-exec: !!python/object/apply:os.system [\"rm -rf /\"]\n",
                "t.yaml:3:9: error: x-exec: YAML tag '!!python/object/apply:os.system'"
                CORE_ONLY);
  expect_quick (HEAD "name: !!python/object:builtins.str golden\n",
                "t.yaml:3:7: error: name: YAML tag '!!python/object:builtins.str'" CORE_ONLY);
  expect_quick (HEAD "description: !!binary aGVsbG8=\n",
                "t.yaml:3:14: error: description: YAML tag '!!binary'" CORE_ONLY);
  expect_quick (HEAD "horizon2: !Ref Horizon\n",
                "t.yaml:3:11: error: horizon2: YAML tag '!Ref'" CORE_ONLY);
  expect_quick (HEAD "regions: !!set {us-east-1: null}\n",
                "t.yaml:3:10: error: regions: YAML tag '!!set'" CORE_ONLY);
  /* a core tag on a node it does not fit */
  expect_quick (HEAD "regions: !!str [{name: us-east-1}]\n",
                "t.yaml:3:10: error: regions: YAML tag '!!str' does not fit a sequence; "
                "remove it");
  expect_quick (HEAD "x-m: {!!merge a: 1}\n",
                "t.yaml:3:7: error: x-m.?: YAML tag '!!merge' does not fit anything but the "
                "key <<; remove it");
  /* the core schema is read */
  expect (HEAD "name: !!str golden\nseed: !!int 7\nregions: !!seq [!!map {name: us-east-1}]\n"
               "x-d: &d {name: eu-west-1}\nx-e: {!!merge <<: *d}\n", "(loaded)");
}

/* ---- a million accounts ---- */

static void
test_hostile_million_accounts (void)
{
  const guint n = 1000000;
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  GString *s = g_string_sized_new ((gsize) n * 24 + 64);
  g_string_append (s, HEAD "regions: [{name: us-east-1}]\naccounts:\n");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "  - id: \"%012" G_GUINT64_FORMAT "\"\n", UINT64_C (200000000000) + i);
  g_autofree char *file = write_file (tmp, "million.yaml", s->str, (gssize) s->len);
  gsize size = s->len;
  g_string_free (s, TRUE);

  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (AmsScenario) sc = ams_scenario_load_file (file, NULL, 0, &error);
  double took = seconds_since (start);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  CU_ASSERT_EQUAL (sc->accounts->len, n);
  CU_ASSERT_STRING_EQUAL (((AmsScAccount *) sc->accounts->pdata[n - 1])->id, "200000999999");
  /* linear, not quadratic: seconds (a quadratic step would take hours) */
  CU_ASSERT_TRUE (took < 120.0);
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  if (g_getenv ("AMS_TEST_VERBOSE") != NULL)
    fprintf (stderr, "\n  %u accounts, %" G_GSIZE_FORMAT " bytes: %.2f s, peak RSS %ld KiB\n",
             n, size, took, ru.ru_maxrss);
  g_clear_error (&error);
  g_unlink (file);
  g_rmdir (tmp);
}

int
main (void)
{
  static const AmsTestCase cases[] = {
    { "hostile_alias_bomb", test_hostile_alias_bomb },
    { "hostile_node_limit", test_hostile_node_limit },
    { "hostile_nesting", test_hostile_nesting },
    { "hostile_scalar_length", test_hostile_scalar_length },
    { "hostile_input_size", test_hostile_input_size },
    { "hostile_special_files", test_hostile_special_files },
    { "hostile_controls", test_hostile_controls },
    { "hostile_name_binary", test_hostile_name_binary },
    { "hostile_tags", test_hostile_tags },
    { "hostile_million_accounts", test_hostile_million_accounts },
    { NULL, NULL },
  };
  return ams_test_main ("scenario_hostile", cases);
}

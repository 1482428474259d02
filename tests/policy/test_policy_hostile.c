/* amisim tests — hostile policy documents (docs/limits.md): the `policy
 * eval` input, read by the scenario module's loader (ams_value_load_*), and
 * the policy module's own JSON reader (ams_policy_compile_json), each limit
 * and each kind of input both ways: refused quickly at its FILE:LINE:COL
 * with a message that names the limit, and accepted at the limit.
 *
 * An alias bomb, 100,000 nested brackets, a string past 1 MiB, a file past
 * 256 MiB (sparse), folders, FIFOs and devices, control characters (a NUL
 * escape that used to cut "kms:Encrypt\u0000x" to "kms:Encrypt", tabs and
 * line feeds in every element), and tags outside YAML's core schema. The
 * inputs are generated here; some cases run the binary.
 */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ams_proc.h"
#include "input-limits.h"
#include "policy-private.h"
#include "policy_test.h"

#define QUICK 5.0 /* seconds: far above what a refusal takes */

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

/* The error of loading `text` as a `policy eval` input "in.yaml", or
 * "(loaded)"; *took: seconds. */
static char *
load_errors (const char *text, gsize len, double *took)
{
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();
  AmsValueDoc *doc = ams_value_load_data ("in.yaml", text, (gssize) len, &error);
  if (took != NULL)
    *took = seconds_since (start);
  if (doc != NULL)
    {
      CU_ASSERT_PTR_NULL (error);
      ams_value_doc_free (doc);
      return g_strdup ("(loaded)");
    }
  char *m = g_strdup (error->message);
  g_error_free (error);
  return m;
}

static void
expect_load (const char *text, const char *expected)
{
  double took = 0;
  g_autofree char *got = load_errors (text, strlen (text), &took);
  if (strcmp (got, expected) != 0)
    fprintf (stderr, "\n  got:\n%.2000s\n  expected:\n%.2000s\n", got, expected);
  CU_ASSERT_STRING_EQUAL (got, expected);
  CU_ASSERT_TRUE (took < QUICK);
}

/* The errors of compiling `json` as a policy of `kind` with the JSON
 * reader, "LINE:COL: PATH: MESSAGE" joined by new lines, or "(compiled)". */
static char *
json_errors (const char *json, AmsPolicyKind kind, double *took)
{
  PtErrors e;
  pt_errors_init (&e);
  gint64 start = g_get_monotonic_time ();
  AmsPolicy *p = ams_policy_compile_json ("text", json, kind, "P", pt_collect, &e);
  if (took != NULL)
    *took = seconds_since (start);
  char *out;
  if (p != NULL)
    {
      CU_ASSERT_EQUAL (e.lines->len, 0);
      out = g_strdup ("(compiled)");
    }
  else
    {
      g_ptr_array_add (e.lines, NULL);
      out = g_strjoinv ("\n", (char **) e.lines->pdata);
      g_ptr_array_remove_index (e.lines, e.lines->len - 1);
    }
  ams_policy_unref (p);
  pt_errors_clear (&e);
  return out;
}

static void
expect_json (const char *json, AmsPolicyKind kind, const char *expected)
{
  double took = 0;
  g_autofree char *got = json_errors (json, kind, &took);
  if (strcmp (got, expected) != 0)
    fprintf (stderr, "\n  got:\n%.2000s\n  expected:\n%.2000s\n", got, expected);
  CU_ASSERT_STRING_EQUAL (got, expected);
  CU_ASSERT_TRUE (took < QUICK);
}

/* The errors of compiling the document in `text` (loaded as "t.json"),
 * as expect_json. */
static char *
compile_errors (const char *text)
{
  g_autoptr (AmsValueDoc) doc = pt_load (text);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  PtErrors e;
  pt_errors_init (&e);
  AmsPolicy *p = ams_policy_compile (ams_value_doc_root (doc), AMS_POLICY_RESOURCE, "P",
                                     pt_collect, &e);
  char *out;
  if (p != NULL)
    out = g_strdup ("(compiled)");
  else
    {
      g_ptr_array_add (e.lines, NULL);
      out = g_strjoinv ("\n", (char **) e.lines->pdata);
      g_ptr_array_remove_index (e.lines, e.lines->len - 1);
    }
  ams_policy_unref (p);
  pt_errors_clear (&e);
  return out;
}

static char *
write_file (const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* `amisim policy eval path`: exit `status` quickly, with `first` as the
 * first line of stderr (NULL: stderr empty) and `out` the first of stdout. */
static void
policy_eval (const char *path, int status, const char *first, const char *out)
{
  g_auto (Run) r = { 0 };
  gint64 start = g_get_monotonic_time ();
  amisim (&r, "policy", "eval", path, NULL);
  CU_ASSERT_TRUE (seconds_since (start) < QUICK);
  CU_ASSERT_EQUAL (r.status, status);
  g_autofree char *line = first_line (r.err);
  g_autofree char *out_line = first_line (r.out);
  if (strcmp (line, first != NULL ? first : "") != 0)
    fprintf (stderr, "\n  got:\n%.2000s\n  expected:\n%.2000s\n", line, first);
  CU_ASSERT_STRING_EQUAL (line, first != NULL ? first : "");
  if (out != NULL)
    CU_ASSERT_STRING_EQUAL (out_line, out);
}

#define REQUEST "request:\n  action: kms:Decrypt\n  resource: \"*\"\n" \
                "  principal: arn:aws:iam::222222222222:role/R\n"
#define REQUEST_S3 "request:\n  action: s3:GetObject\n  resource: \"*\"\n" \
                   "  principal: arn:aws:iam::222222222222:role/R\n"

/* ---- the readers' limits are one set ---- */

static void
test_policy_hostile_same_limits (void)
{
  CU_ASSERT_EQUAL (AMS__JSON_MAX_BYTES, AMS_LIMIT_INPUT_BYTES);
  CU_ASSERT_EQUAL (AMS__JSON_MAX_NODES, AMS_LIMIT_NODES);
  CU_ASSERT_EQUAL (AMS__JSON_MAX_DEPTH, AMS_LIMIT_DEPTH);
  CU_ASSERT_EQUAL (AMS__JSON_MAX_STRING, AMS_LIMIT_SCALAR_BYTES);
  CU_ASSERT_EQUAL (AMS__JSON_MAX_STRING_DOCS, AMS_LIMIT_POLICY_ALIAS_TEXT_BYTES);
}

#define I AMS_POLICY_IDENTITY
#define R AMS_POLICY_RESOURCE

/* ---- aliases ---- */

static void
test_policy_hostile_alias_bomb (void)
{
  /* ten levels of ten aliases as the identity policies: 10^10 nodes from a
   * kilobyte, refused while parsing at the alias that passes 1,000,000 */
  GString *s = g_string_new ("x-bomb:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, "
                             "lol]\n");
  for (guint i = 1; i < 10; i++)
    {
      g_string_append_printf (s, "  l%u: &l%u [", i, i);
      for (guint j = 0; j < 10; j++)
        g_string_append_printf (s, "%s*l%u", j ? ", " : "", i - 1);
      g_string_append (s, "]\n");
    }
  g_string_append (s, "policies:\n  identity: *l9\n" REQUEST);
  CU_ASSERT_TRUE (s->len < 1024);
  static const char msg[] = "x-bomb.l5[7]: aliases add more than 1000000 nodes to the "
                            "document, the limit (an alias counts every node of what it "
                            "names); refusing to go on";
  g_autofree char *want = g_strdup_printf ("in.yaml:7:47: error: %s", msg);
  expect_load (s->str, want);

  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *path = write_file (tmp, "bomb.yaml", s->str);
  g_autofree char *bin_want = g_strdup_printf ("%s:7:47: error: %s", path, msg);
  policy_eval (path, 2, bin_want, "");
  g_string_free (s, TRUE);

  /* aliases are fine below the limit: one statement used twice */
  g_autofree char *ok = write_file (tmp, "ok.yaml",
    "policies:\n  identity: [{Version: \"2012-10-17\", Statement: [&s {Effect: Allow, "
    "Action: s3:GetObject, Resource: \"*\"}, *s]}]\n" REQUEST_S3);
  policy_eval (ok, 0, NULL, "Allow");
  g_unlink (path);
  g_unlink (ok);
  g_rmdir (tmp);
}

/* ---- nesting ---- */

static void
test_policy_hostile_nesting (void)
{
  const guint n = 100000, inside = AMS_LIMIT_DEPTH - 1;
  g_autofree char *open = g_strnfill (n, '[');
  g_autofree char *close = g_strnfill (n, ']');

  /* the `policy eval` input: its mapping and "policies" are the first two
   * collections, so the 63rd bracket of the identity policies is refused */
  g_autoptr (GString) path = g_string_new ("policies.identity");
  for (guint i = 0; i < inside - 1; i++)
    g_string_append (path, "[0]");
  g_autofree char *want = g_strdup_printf ("in.yaml:1:89: error: %s: collections nested more "
                                           "than 64 deep, the limit; refusing to go on",
                                           path->str);
  g_autofree char *closed = g_strconcat ("{\"policies\": {\"identity\": ", open, close,
                                         "}, \"request\": {}}\n", NULL);
  g_autofree char *unclosed = g_strconcat ("{\"policies\": {\"identity\": ", open, "\n", NULL);
  expect_load (closed, want);
  expect_load (unclosed, want);
  g_autofree char *o62 = g_strnfill (inside - 1, '[');
  g_autofree char *c62 = g_strnfill (inside - 1, ']');
  g_autofree char *at_limit = g_strconcat ("{\"policies\": {\"identity\": ", o62, c62,
                                           "}, \"request\": {}}\n", NULL);
  expect_load (at_limit, "(loaded)");

  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *file = write_file (tmp, "deep.json", closed);
  g_autofree char *bin_want = g_strdup_printf ("%s%s", file, want + strlen ("in.yaml"));
  policy_eval (file, 2, bin_want, "");
  g_unlink (file);
  g_rmdir (tmp);

  /* the JSON reader: the document's object is the first collection, so
   * the 64th bracket is refused */
  g_autoptr (GString) jpath = g_string_new ("Statement");
  for (guint i = 0; i < inside; i++)
    g_string_append (jpath, "[0]");
  g_autofree char *jwant = g_strdup_printf ("1:103: %s: collections nested more than 64 deep, "
                                            "the limit; refusing to go on", jpath->str);
  g_autofree char *doc = g_strconcat ("{\"Version\": \"2012-10-17\", \"Statement\": ", open,
                                      close, "}", NULL);
  g_autofree char *doc_open = g_strconcat ("{\"Version\": \"2012-10-17\", \"Statement\": ",
                                           open, NULL);
  expect_json (doc, I, jwant);
  expect_json (doc_open, I, jwant);
  /* braces */
  GString *s = g_string_new ("{\"Version\": \"2012-10-17\", \"Statement\": [");
  for (guint i = 0; i < n; i++)
    g_string_append (s, "{\"a\": ");
  g_string_append (s, "1");
  for (guint i = 0; i < n; i++)
    g_string_append_c (s, '}');
  g_string_append (s, "]}");
  g_autoptr (GString) bpath = g_string_new ("Statement[0]");
  for (guint i = 0; i < inside - 1; i++)
    g_string_append (bpath, ".a");
  g_autofree char *bwant = g_strdup_printf ("1:%u: %s: collections nested more than 64 deep, "
                                            "the limit; refusing to go on",
                                            41 + 6 * (inside - 1), bpath->str);
  expect_json (s->str, I, bwant);
  g_string_free (s, TRUE);
  /* at the limit, the reader reads it (and the compiler says what is wrong) */
  g_autofree char *o63 = g_strnfill (inside, '[');
  g_autofree char *c63 = g_strnfill (inside, ']');
  g_autofree char *doc63 = g_strconcat ("{\"Version\": \"2012-10-17\", \"Statement\": ", o63,
                                        c63, "}", NULL);
  g_autofree char *got = json_errors (doc63, I, NULL);
  CU_ASSERT_TRUE (g_str_has_prefix (got, "1:41: Statement[0]: a statement must be an object"));
  CU_ASSERT_PTR_NULL (strstr (got, "nested"));
}

/* ---- sizes ---- */

static void
test_policy_hostile_string_length (void)
{
  g_autofree char *big = g_strnfill (AMS_LIMIT_SCALAR_BYTES, 'x');
  /* the `policy eval` input */
  g_autofree char *past = g_strconcat ("{\"policies\": {\"identity\": [{\"Statement\": "
                                       "[{\"Sid\": \"", big, "y\"}]}]}}\n", NULL);
  g_autofree char *at = g_strconcat ("{\"policies\": {\"identity\": [{\"Statement\": "
                                     "[{\"Sid\": \"", big, "\"}]}]}}\n", NULL);
  expect_load (past, "in.yaml:1:51: error: policies.identity[0].Statement[0].Sid: a scalar of "
                     "1048577 bytes, more than the limit of 1 MiB; refusing to go on");
  expect_load (at, "(loaded)");
  /* the JSON reader */
  g_autofree char *jpast = g_strconcat ("{\"Statement\": {\"Sid\": \"", big, "y\", \"Effect\": "
                                        "\"Allow\", \"Action\": \"kms:Decrypt\", "
                                        "\"Resource\": \"*\"}}", NULL);
  g_autofree char *jat = g_strconcat ("{\"Statement\": {\"Sid\": \"", big, "\", \"Effect\": "
                                      "\"Allow\", \"Action\": \"kms:Decrypt\", "
                                      "\"Resource\": \"*\"}}", NULL);
  expect_json (jpast, I, "1:23: Statement.Sid: a string of more than 1048576 bytes, the limit; "
                      "refusing to go on");
  expect_json (jat, I, "(compiled)");
}

static void
test_policy_hostile_files (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (tmp, "fifo.json", NULL);
  CU_ASSERT_EQUAL_FATAL (mkfifo (fifo, 0600), 0);
  g_autofree char *big = g_build_filename (tmp, "big.json", NULL);
  int fd = g_open (big, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CU_ASSERT_TRUE_FATAL (fd >= 0);
  CU_ASSERT_EQUAL (ftruncate (fd, (off_t) AMS_LIMIT_INPUT_BYTES + 1), 0); /* sparse */
  close (fd);
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
    { big, NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (!g_file_test (cases[i].path, G_FILE_TEST_EXISTS))
        continue;
      g_autofree char *want
        = cases[i].what != NULL
            ? g_strdup_printf ("%s:1:1: error: (file): %s%s", cases[i].path, cases[i].what, tail)
            : g_strdup_printf ("%s:1:1: error: (file): the file is 268435457 bytes, more than "
                               "the limit of 256 MiB", cases[i].path);
      GError *error = NULL;
      gint64 start = g_get_monotonic_time ();
      AmsValueDoc *doc = ams_value_load_file (cases[i].path, &error);
      CU_ASSERT_TRUE (seconds_since (start) < QUICK);
      CU_ASSERT_PTR_NULL (doc);
      ams_value_doc_free (doc);
      CU_ASSERT_TRUE (g_error_matches (error, AMS_SCENARIO_ERROR, AMS_SCENARIO_ERROR_IO));
      if (error != NULL)
        CU_ASSERT_STRING_EQUAL (error->message, want);
      g_clear_error (&error);
      policy_eval (cases[i].path, 2, want, "");
    }
  /* a regular file is read */
  g_autofree char *ok = write_file (tmp, "ok.yaml",
    "policies:\n  identity: [{Statement: {Effect: Allow, Action: s3:GetObject, Resource: "
    "\"*\"}}]\n" REQUEST_S3);
  policy_eval (ok, 0, NULL, "Allow");
  g_unlink (ok);
  g_unlink (fifo);
  g_unlink (big);
  g_rmdir (tmp);
}

/* ---- control characters ---- */

static void
test_policy_hostile_controls (void)
{
  /* A NUL escape used to cut the string: "kms:Encrypt\u0000x" was decided
   * as kms:Encrypt, and allowed. Now the input is refused where the string
   * is. */
  static const char nul_doc[] =
    "{\"policies\": {\"identity\": [{\"Version\": \"2012-10-17\", \"Statement\": [\n"
    "  {\"Sid\": \"E\", \"Effect\": \"Allow\", \"Action\": \"kms:Encrypt\\u0000x\", "
    "\"Resource\": \"*\"}]}],\n"
    "  \"resource\": {\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": "
    "\"arn:aws:iam::111111111111:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}]}},\n"
    " \"request\": {\"action\": \"kms:Encrypt\", \"resource\": "
    "\"arn:aws:kms:us-east-1:111111111111:key/k\", "
    "\"principal\": \"arn:aws:iam::111111111111:role/R\"}}\n";
  static const char nul_msg[] = "policies.identity[0].Statement[0].Action: control character "
                                "U+0000 (NUL) at character 12; no string may hold one (free "
                                "text such as a description may hold tabs and line breaks)";
  g_autofree char *want = g_strdup_printf ("in.yaml:2:45: error: %s", nul_msg);
  expect_load (nul_doc, want);
  /* and a Deny of ...:root\0x is not a Deny of the root */
  static const char deny_doc[] =
    "{\"policies\": {\"identity\": [], \"resource\": {\"Version\": \"2012-10-17\", \"Statement\": [\n"
    "  {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111111111111:root\"}, "
    "\"Action\": \"kms:*\", \"Resource\": \"*\"},\n"
    "  {\"Effect\": \"Deny\", \"Principal\": {\"AWS\": \"arn:aws:iam::111111111111:root\\u0000x\"}, "
    "\"Action\": \"kms:*\", \"Resource\": \"*\"}]}},\n"
    " \"request\": {\"action\": \"kms:Decrypt\", \"resource\": "
    "\"arn:aws:kms:us-east-1:111111111111:key/k\", \"principal\": "
    "\"arn:aws:iam::111111111111:role/R\"}}\n";
  expect_load (deny_doc, "in.yaml:3:43: error: policies.resource.Statement[1].Principal.AWS: "
                         "control character U+0000 (NUL) at character 31; no string may hold "
                         "one (free text such as a description may hold tabs and line breaks)");
  g_autofree char *tmp = g_dir_make_tmp ("amisim-hostile-XXXXXX", NULL);
  g_autofree char *file = write_file (tmp, "nul.json", nul_doc);
  g_autofree char *bin_want = g_strdup_printf ("%s:2:45: error: %s", file, nul_msg);
  policy_eval (file, 2, bin_want, "");
  /* the same without the escape is decided */
  g_autofree char *clean = g_strdup (nul_doc);
  char *esc = strstr (clean, "\\u0000x");
  memmove (esc, esc + 7, strlen (esc + 7) + 1);
  g_autofree char *ok = write_file (tmp, "ok.json", clean);
  policy_eval (ok, 0, NULL, "Allow");
  g_unlink (file);
  g_unlink (ok);
  g_rmdir (tmp);

  /* The JSON reader refuses \u0000 itself (just after it). */
  expect_json ("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"kms:Encrypt\\u0000x\", "
               "\"Resource\": \"*\"}}", I,
               "1:63: Statement.Action: \\u0000 is not allowed in a string");

  /* Tabs, line feeds and the rest: in every element, refused by the
   * compiler after the JSON reader, where they are written; YAML refuses
   * what no text may hold (all but tabs and line feeds) as it reads it,
   * and member names with any, and leaves the rest to the compiler. */
  static const struct
  {
    const char *doc;
    const char *pos;
    const char *path;
    const char *what;
    gboolean name;     /* in a member name */
    gboolean in_yaml;  /* refused by the YAML reader */
  } bad[] = {
    { "{\"Statement\": {\"Sid\": \"a\\tb\", \"Effect\": \"Allow\", \"Principal\": \"*\", "
      "\"Action\": \"kms:*\"}}",
      "1:23", "Statement.Sid", "control character U+0009 (tab) at character 2", FALSE, FALSE },
    { "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", "
      "\"Action\": [\"kms:Decrypt\", \"kms:Encrypt\\n\"]}}",
      "1:79", "Statement.Action[1]", "control character U+000A (line feed) at character 12",
      FALSE, FALSE },
    { "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:*\", "
      "\"Resource\": \"arn:aws:kms:us-east-1:111111111111:key/\\u001b[2J\"}}",
      "1:84", "Statement.Resource", "control character U+001B (escape) at character 40", FALSE,
      TRUE },
    { "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": "
      "\"arn:aws:iam::111111111111:root\\r\"}, \"Action\": \"kms:*\"}}",
      "1:56", "Statement.Principal.AWS",
      "control character U+000D (carriage return) at character 31", FALSE, TRUE },
    { "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:*\", "
      "\"Condition\": {\"StringEquals\": {\"aws:PrincipalOrgID\\t\": \"o-a1b2c3d4e5\"}}}}",
      "1:103", "Statement.Condition.StringEquals.aws:PrincipalOrgID\\t",
      "control character U+0009 (tab) at character 19", TRUE, TRUE },
    { "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:*\", "
      "\"Condition\": {\"StringEquals\": {\"aws:PrincipalOrgID\": [\"o-a1b2c3d4e5\", "
      "\"o-\\u0085\"]}}}}",
      "1:142", "Statement.Condition.StringEquals.aws:PrincipalOrgID[1]",
      "control character U+0085 (a C1 control) at character 3", FALSE, TRUE },
    { "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:*\", "
      "\"Condition\": {\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-a1b2\\u007f\"}}}}",
      "1:125", "Statement.Condition.StringEquals.aws:PrincipalOrgID",
      "control character U+007F (DEL) at character 7", FALSE, TRUE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *compiled = g_strdup_printf (
        "%s: %s: %s%s", bad[i].pos, bad[i].path, bad[i].what,
        bad[i].name ? " of a member name; policy documents and requests hold no control "
                      "characters"
                    : "; policy documents and requests hold no control characters in their "
                      "strings");
      g_autofree char *got = json_errors (bad[i].doc, R, NULL);
      if (strcmp (got, compiled) != 0)
        fprintf (stderr, "\n  case %u, got:\n%s\n  expected:\n%s\n", i, got, compiled);
      CU_ASSERT_STRING_EQUAL (got, compiled);
      /* through the loader (YAML reads the same JSON) */
      g_autofree char *loaded = load_errors (bad[i].doc, strlen (bad[i].doc), NULL);
      if (bad[i].in_yaml)
        {
          g_autofree char *read = g_strdup_printf (
            "in.yaml:%s: error: %s: %s%s", bad[i].pos, bad[i].path, bad[i].what,
            bad[i].name ? " of a key; a key holds no control characters"
                        : "; no string may hold one (free text such as a description may hold "
                          "tabs and line breaks)");
          if (strcmp (loaded, read) != 0)
            fprintf (stderr, "\n  case %u, got:\n%s\n  expected:\n%s\n", i, loaded, read);
          CU_ASSERT_STRING_EQUAL (loaded, read);
        }
      else
        {
          CU_ASSERT_STRING_EQUAL (loaded, "(loaded)");
          g_autofree char *after = compile_errors (bad[i].doc);
          CU_ASSERT_STRING_EQUAL (after, compiled);
        }
    }
  /* healthy: the same elements without them compile */
  expect_json ("{\"Statement\": {\"Sid\": \"ab\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": "
               "\"arn:aws:iam::111111111111:root\"}, \"Action\": [\"kms:Decrypt\"], "
               "\"Resource\": \"arn:aws:kms:us-east-1:111111111111:key/k\", \"Condition\": "
               "{\"StringEquals\": {\"aws:PrincipalOrgID\": [\"o-a1b2c3d4e5\", \"o-b\"]}}}}",
               R, "(compiled)");

  /* the request's strings too */
  PtErrors e;
  pt_errors_init (&e);
  g_autoptr (AmsValueDoc) req = pt_load (
    "{\"policies\": {\"identity\": []}, \"request\": {\"action\": \"kms:Decrypt\\n\", "
    "\"resource\": \"*\", \"principal\": \"arn:aws:iam::111111111111:role/R\"}}");
  CU_ASSERT_PTR_NOT_NULL_FATAL (req);
  AmsEvalInput *in = ams_eval_input_compile (ams_value_doc_root (req), pt_collect, &e);
  CU_ASSERT_PTR_NULL (in);
  ams_eval_input_free (in);
  CU_ASSERT_EQUAL_FATAL (e.lines->len, 1);
  CU_ASSERT_STRING_EQUAL (g_ptr_array_index (e.lines, 0),
                          "1:54: request.action: control character U+000A (line feed) at "
                          "character 12; policy documents and requests hold no control "
                          "characters in their strings");
  pt_errors_clear (&e);
}

/* ---- tags ---- */

static void
test_policy_hostile_tags (void)
{
  expect_load ("policies: !!python/object/apply:os.system [\"true\"]\n" REQUEST,
               "in.yaml:1:11: error: policies: YAML tag '!!python/object/apply:os.system' is "
               "not supported (amisim reads YAML's core schema only: !!str, !!int, !!float, "
               "!!bool, !!null, !!seq, !!map, and !!merge on <<); remove it");
  expect_load ("policies:\n  identity: [{Statement: {Effect: Allow, Action: !!binary a21zOio=, "
               "Resource: \"*\"}}]\n" REQUEST,
               "in.yaml:2:50: error: policies.identity[0].Statement.Action: YAML tag '!!binary' "
               "is not supported (amisim reads YAML's core schema only: !!str, !!int, !!float, "
               "!!bool, !!null, !!seq, !!map, and !!merge on <<); remove it");
  expect_load ("policies:\n  identity: [{Statement: {Effect: !!str Allow, Action: kms:Decrypt, "
               "Resource: \"*\"}}]\n" REQUEST, "(loaded)");
}

int
main (void)
{
  static const AmsTestCase cases[] = {
    { "policy_hostile_same_limits", test_policy_hostile_same_limits },
    { "policy_hostile_alias_bomb", test_policy_hostile_alias_bomb },
    { "policy_hostile_nesting", test_policy_hostile_nesting },
    { "policy_hostile_string_length", test_policy_hostile_string_length },
    { "policy_hostile_files", test_policy_hostile_files },
    { "policy_hostile_controls", test_policy_hostile_controls },
    { "policy_hostile_tags", test_policy_hostile_tags },
    { NULL, NULL },
  };
  return ams_test_main ("policy_hostile", cases);
}

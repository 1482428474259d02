/* amisim tests — the YAML node tree (src/scenario/ynode.c) and overrides
 * applied to it (src/scenario/override.c): raw text and positions, anchors,
 * aliases, merge keys, duplicate keys, the document-level errors, JSON, and
 * --set paths that change exactly one place even through shared nodes. */
#include <string.h>

#include "ams_test.h"
#include "diag.h"
#include "ynode.h"

/* Parses `text`; *message gets the formatted problems (or NULL). */
static AmsYDoc *
parse (const char *text, char **message)
{
  g_autoptr (AmsDiag) diag = ams_diag_new ("t.yaml");
  AmsYDoc *doc = ams_ydoc_parse ("t.yaml", text, strlen (text), NULL, diag);
  GError *error = NULL;
  *message = NULL;
  if (ams_diag_take_error (diag, 1, &error))
    {
      *message = g_strdup (error->message);
      g_error_free (error);
    }
  return doc;
}

/* The first line of the problems found in `text`. */
static char *
first_error (const char *text)
{
  char *message = NULL;
  ams_ydoc_free (parse (text, &message));
  if (message == NULL)
    return g_strdup ("(no error)");
  char *nl = strchr (message, '\n');
  if (nl != NULL)
    *nl = '\0';
  return message;
}

static void
expect_error (const char *text, const char *expected)
{
  g_autofree char *got = first_error (text);
  if (strcmp (got, expected) != 0)
    fprintf (stderr, "\n  got      %s\n  expected %s\n", got, expected);
  CU_ASSERT_STRING_EQUAL (got, expected);
}

static AmsYNode *
at (AmsYNode *n, const char *key)
{
  AmsYNode *v = ams_ynode_lookup (n, key);
  CU_ASSERT_PTR_NOT_NULL_FATAL (v);
  return v;
}

static void
test_ynode_scalars (void)
{
  char *msg;
  g_autoptr (AmsYDoc) doc = parse ("# c\n"
                                   "a: 012345678901\n"
                                   "b: \"012345678901\"\n"
                                   "c: 'it''s'\n"
                                   "d: |\n"
                                   "  lit\n"
                                   "e: ~\n"
                                   "f:\n"
                                   "g: !!str 5\n"
                                   "h: null\n"
                                   "i: 1.0.0\n",
                                   &msg);
  CU_ASSERT_PTR_NULL (msg);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  AmsYNode *root = doc->root;
  CU_ASSERT_EQUAL (root->kind, AMS_YNODE_MAPPING);
  CU_ASSERT_EQUAL (root->line, 2);
  CU_ASSERT_EQUAL (root->col, 1);
  AmsYNode *a = at (root, "a");
  CU_ASSERT_STRING_EQUAL (a->text, "012345678901");
  CU_ASSERT_EQUAL (a->style, AMS_YSTYLE_PLAIN);
  CU_ASSERT_EQUAL (a->line, 2);
  CU_ASSERT_EQUAL (a->col, 4);
  CU_ASSERT_FALSE (ams_ynode_is_string (a));
  AmsYNode *b = at (root, "b");
  CU_ASSERT_STRING_EQUAL (b->text, "012345678901");
  CU_ASSERT_EQUAL (b->style, AMS_YSTYLE_DOUBLE_QUOTED);
  CU_ASSERT_TRUE (ams_ynode_is_string (b));
  CU_ASSERT_STRING_EQUAL (at (root, "c")->text, "it's");
  CU_ASSERT_EQUAL (at (root, "c")->style, AMS_YSTYLE_SINGLE_QUOTED);
  CU_ASSERT_STRING_EQUAL (at (root, "d")->text, "lit\n");
  CU_ASSERT_EQUAL (at (root, "d")->style, AMS_YSTYLE_LITERAL);
  CU_ASSERT_TRUE (ams_ynode_is_null (at (root, "e")));
  CU_ASSERT_TRUE (ams_ynode_is_null (at (root, "f")));
  CU_ASSERT_TRUE (ams_ynode_is_null (at (root, "h")));
  CU_ASSERT_FALSE (ams_ynode_is_null (b));
  AmsYNode *g = at (root, "g");
  CU_ASSERT_STRING_EQUAL (g->text, "5");
  CU_ASSERT_STRING_EQUAL (g->tag, "tag:yaml.org,2002:str");
  CU_ASSERT_TRUE (ams_ynode_is_string (g));
  CU_ASSERT_STRING_EQUAL (at (root, "i")->text, "1.0.0");
  CU_ASSERT_STRING_EQUAL (ams_ynode_describe (root), "a mapping");
  CU_ASSERT_STRING_EQUAL (ams_ynode_describe (a), "a scalar");
  CU_ASSERT_STRING_EQUAL (ams_ynode_describe (at (root, "e")), "null");
}

static void
test_ynode_json (void)
{
  char *msg;
  g_autoptr (AmsYDoc) doc = parse (
      "{\"Version\": \"2012-10-17\",\n"
      "\t\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111111111111:root\"},\n"
      "\t\t\"Action\": [\"kms:Decrypt\", \"kms:DescribeKey\"], \"Resource\": \"*\",\n"
      "\t\t\"Condition\": {\"Bool\": {\"aws:SecureTransport\": true}}}]}\n",
      &msg);
  CU_ASSERT_PTR_NULL (msg);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  CU_ASSERT_EQUAL (doc->root->style, AMS_YSTYLE_FLOW);
  AmsYNode *st = at (doc->root, "Statement");
  CU_ASSERT_EQUAL_FATAL (st->kind, AMS_YNODE_SEQUENCE);
  AmsYNode *s0 = g_ptr_array_index (st->items, 0);
  CU_ASSERT_EQUAL (s0->line, 2);
  CU_ASSERT_EQUAL (at (s0, "Action")->items->len, 2);
  AmsYNode *b = at (at (at (s0, "Condition"), "Bool"), "aws:SecureTransport");
  CU_ASSERT_STRING_EQUAL (b->text, "true");
  CU_ASSERT_EQUAL (b->style, AMS_YSTYLE_PLAIN);
  CU_ASSERT_STRING_EQUAL (at (at (s0, "Principal"), "AWS")->text,
                          "arn:aws:iam::111111111111:root");
}

static void
test_ynode_anchors_and_merges (void)
{
  char *msg;
  g_autoptr (AmsYDoc) doc = parse ("x-base: &base\n"
                                   "  a: 1\n"
                                   "  b: 2\n"
                                   "  nested: &n {k: v}\n"
                                   "x-more: &more {b: 20, c: 30}\n"
                                   "one:\n"
                                   "  b: explicit-before\n"
                                   "  <<: *base\n"
                                   "two:\n"
                                   "  <<: [*more, *base]\n"
                                   "  c: explicit-after\n"
                                   "alias: *n\n"
                                   "three: {<<: *base, a: 9}\n",
                                   &msg);
  CU_ASSERT_PTR_NULL (msg);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  AmsYNode *root = doc->root;
  AmsYNode *base = at (root, "x-base");
  CU_ASSERT_STRING_EQUAL (base->anchor, "base");

  /* explicit keys win wherever they are written */
  AmsYNode *one = at (root, "one");
  CU_ASSERT_STRING_EQUAL (at (one, "b")->text, "explicit-before");
  CU_ASSERT_STRING_EQUAL (at (one, "a")->text, "1");
  CU_ASSERT_EQUAL (one->pairs->len, 3);
  CU_ASSERT_FALSE (g_array_index (one->pairs, AmsYPair, 0).merged);
  CU_ASSERT_TRUE (g_array_index (one->pairs, AmsYPair, 1).merged);
  /* a merged value is the anchored node itself, with its own position */
  CU_ASSERT_PTR_EQUAL (at (one, "nested"), at (base, "nested"));
  CU_ASSERT_EQUAL (at (one, "a")->line, 2);

  /* in a list of sources, earlier ones win */
  AmsYNode *two = at (root, "two");
  CU_ASSERT_STRING_EQUAL (at (two, "b")->text, "20");
  CU_ASSERT_STRING_EQUAL (at (two, "c")->text, "explicit-after");
  CU_ASSERT_STRING_EQUAL (at (two, "a")->text, "1");
  CU_ASSERT_EQUAL (two->pairs->len, 4);

  /* an alias is the anchored node */
  CU_ASSERT_PTR_EQUAL (at (root, "alias"), at (base, "nested"));
  CU_ASSERT_STRING_EQUAL (at (at (root, "alias"), "k")->text, "v");
  CU_ASSERT_STRING_EQUAL (at (at (root, "three"), "a")->text, "9");
}

static void
test_ynode_errors (void)
{
  expect_error ("", "t.yaml:1:1: error: (root): the file is empty");
  expect_error ("# only\n# comments\n", "t.yaml:1:1: error: (root): the file is empty");
  expect_error ("a: 1\n---\nb: 2\n",
                "t.yaml:2:1: error: (root): more than one YAML document; a file holds one");
  expect_error ("a:\n  b: 1\n\tc: 2\n",
                "t.yaml:3:1: error: (root): tab character in indentation; YAML indents with "
                "spaces");
  expect_error ("a:\n  b: 1\n  \tc: 2\n",
                "t.yaml:3:3: error: (root): tab character in indentation; YAML indents with "
                "spaces");
  expect_error ("a: [1, 2\n", "t.yaml:2:1: error: (root): YAML syntax error: did not find "
                              "expected ',' or ']'");
  expect_error ("a: b: c\n", "t.yaml:1:5: error: (root): YAML syntax error: mapping values "
                             "are not allowed in this context");
  expect_error ("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n",
                "t.yaml:5:3: error: b.c: duplicate key 'c' (first at 3:3)");
  expect_error ("l:\n  - {x: 1, x: 2}\n",
                "t.yaml:2:12: error: l[0].x: duplicate key 'x' (first at 2:6)");
  expect_error ("a: *nowhere\n",
                "t.yaml:1:4: error: a: alias '*nowhere' names no anchor; define '&nowhere' "
                "before using it");
  expect_error ("a: &x [1, *x]\n",
                "t.yaml:1:11: error: a[1]: alias '*x' refers to a node that contains it "
                "(a cycle)");
  expect_error ("s: &s hello\nm:\n  <<: *s\n",
                "t.yaml:1:4: error: m.<<: a merge key (<<) takes a mapping or a list of "
                "mappings (usually an alias such as *defaults), got a scalar");
  expect_error ("a: \"\\xZZ\"\n", "t.yaml:1:7: error: (root): YAML syntax error: did not find "
                                  "expected hexdecimal number");
  /* a merged key is never a duplicate; an explicit one after a merge is not either */
  expect_error ("b: &b {x: 1}\nm: {<<: *b, x: 2}\n", "(no error)");
  /* tabs are fine inside flow collections (JSON) and after a colon */
  expect_error ("a:\t1\nb: {\n\t\"c\": 1\n}\n", "(no error)");
}

/* ---- overrides ---- */

static char *
dump (const AmsYNode *n)
{
  GString *s = g_string_new (NULL);
  if (n->kind == AMS_YNODE_SCALAR)
    g_string_append (s, n->text);
  else if (n->kind == AMS_YNODE_SEQUENCE)
    {
      g_string_append_c (s, '[');
      for (guint i = 0; i < n->items->len; i++)
        {
          g_autofree char *d = dump (g_ptr_array_index (n->items, i));
          g_string_append_printf (s, "%s%s", i ? "," : "", d);
        }
      g_string_append_c (s, ']');
    }
  else
    {
      g_string_append_c (s, '{');
      for (guint i = 0; i < n->pairs->len; i++)
        {
          const AmsYPair *p = &g_array_index (n->pairs, AmsYPair, i);
          g_autofree char *d = dump (p->value);
          g_string_append_printf (s, "%s%s:%s", i ? "," : "", p->key->text, d);
        }
      g_string_append_c (s, '}');
    }
  return g_string_free (s, FALSE);
}

/* Applies path=value to `text` and returns the tree (or the first error). */
static char *
apply (const char *text, const char *path, const char *value)
{
  g_autoptr (AmsDiag) diag = ams_diag_new ("t.yaml");
  g_autoptr (AmsYDoc) doc = ams_ydoc_parse ("t.yaml", text, strlen (text), NULL, diag);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  AmsOverride ov = { path, value, "--set" };
  gboolean ok = ams_ydoc_apply_override (doc, &ov, diag);
  GError *error = NULL;
  if (ams_diag_take_error (diag, 1, &error))
    {
      CU_ASSERT_FALSE (ok);
      char *m = g_strdup (error->message);
      g_error_free (error);
      return m;
    }
  CU_ASSERT_TRUE (ok);
  return dump (doc->root);
}

static void
expect_apply (const char *text, const char *path, const char *value, const char *expected)
{
  g_autofree char *got = apply (text, path, value);
  if (strcmp (got, expected) != 0)
    fprintf (stderr, "\n  %s=%s\n    got      %s\n    expected %s\n", path, value, got,
             expected);
  CU_ASSERT_STRING_EQUAL (got, expected);
}

static void
test_ynode_override_paths (void)
{
  const char *doc = "a: 1\nl: [{x: 1}, {x: 2}]\ns: {t: {u: 1}}\nn:\n";
  expect_apply (doc, "a", "2", "{a:2,l:[{x:1},{x:2}],s:{t:{u:1}},n:}");
  expect_apply (doc, "l[1].x", "9", "{a:1,l:[{x:1},{x:9}],s:{t:{u:1}},n:}");
  expect_apply (doc, "l.1.x", "9", "{a:1,l:[{x:1},{x:9}],s:{t:{u:1}},n:}");
  expect_apply (doc, "s.t.u", "v", "{a:1,l:[{x:1},{x:2}],s:{t:{u:v}},n:}");
  /* missing keys are created, a null becomes a mapping */
  expect_apply (doc, "s.t.new", "7", "{a:1,l:[{x:1},{x:2}],s:{t:{u:1,new:7}},n:}");
  expect_apply (doc, "b.c.d", "7", "{a:1,l:[{x:1},{x:2}],s:{t:{u:1}},n:,b:{c:{d:7}}}");
  expect_apply (doc, "n.k", "7", "{a:1,l:[{x:1},{x:2}],s:{t:{u:1}},n:{k:7}}");
  expect_apply (doc, "l[0]", "flat", "{a:1,l:[flat,{x:2}],s:{t:{u:1}},n:}");
  expect_apply (doc, "s", "", "{a:1,l:[{x:1},{x:2}],s:,n:}");

  expect_apply (doc, "l[2].x", "1",
                "--set:1:1: error: l[2]: index 2 is out of range: 'l' has 2 entries (0 to 1)");
  expect_apply ("l: []\n", "l[0]", "1",
                "--set:1:1: error: l[0]: index 0 is out of range: 'l' has no entries");
  expect_apply (doc, "a.b", "1",
                "--set:1:1: error: a.b: cannot set 'b': 'a' is a scalar, not a mapping");
  expect_apply (doc, "s[0]", "1",
                "--set:1:1: error: s[0]: cannot use an index: 's' is a mapping, not a sequence");
  expect_apply (doc, "l.x", "1",
                "--set:1:1: error: l.x: 'l' is a sequence; use an index, as in l[0].x");
  expect_apply (doc, "missing[0]", "1",
                "--set:1:1: error: missing[0]: cannot use an index: 'missing' is a mapping, "
                "not a sequence");
  expect_apply (doc, "", "1",
                "--set:1:1: error: (root): empty path; expected PATH=VALUE such as "
                "simulation.drain=true");
  expect_apply (doc, "a..b", "1",
                "--set:1:1: error: a..b: empty key in path; keys are separated by single dots");
  expect_apply (doc, "a.", "1",
                "--set:1:1: error: a.: empty key in path; keys are separated by single dots");
  expect_apply (doc, ".a", "1",
                "--set:1:1: error: .a: empty key in path; keys are separated by single dots");
  expect_apply (doc, "l[x]", "1",
                "--set:1:1: error: l[x]: bad index in path; write [N] with N a whole number, "
                "as in pipelines[0]");
  expect_apply (doc, "l[0]x", "1",
                "--set:1:1: error: l[0]x: unexpected character in path; expected key.key or "
                "key[N]");
}

static void
test_ynode_override_shared (void)
{
  /* through an alias and a merge: only the path named changes */
  const char *text = "x: &d {t: {u: 1}, v: 2}\n"
                     "p:\n"
                     "  - {<<: *d, name: a}\n"
                     "  - {<<: *d, name: b}\n"
                     "q: *d\n"
                     "r: *d\n";
  expect_apply (text, "p[0].t.u", "9",
                "{x:{t:{u:1},v:2},p:[{name:a,t:{u:9},v:2},{name:b,t:{u:1},v:2}],"
                "q:{t:{u:1},v:2},r:{t:{u:1},v:2}}");
  expect_apply (text, "p[1].v", "9",
                "{x:{t:{u:1},v:2},p:[{name:a,t:{u:1},v:2},{name:b,t:{u:1},v:9}],"
                "q:{t:{u:1},v:2},r:{t:{u:1},v:2}}");
  expect_apply (text, "q.t.u", "9",
                "{x:{t:{u:1},v:2},p:[{name:a,t:{u:1},v:2},{name:b,t:{u:1},v:2}],"
                "q:{t:{u:9},v:2},r:{t:{u:1},v:2}}");
  expect_apply (text, "x.v", "9",
                "{x:{t:{u:1},v:9},p:[{name:a,t:{u:1},v:2},{name:b,t:{u:1},v:2}],"
                "q:{t:{u:1},v:2},r:{t:{u:1},v:2}}");

  /* the new nodes carry the override's origin */
  g_autoptr (AmsDiag) diag = ams_diag_new ("t.yaml");
  g_autoptr (AmsYDoc) doc = ams_ydoc_parse ("t.yaml", text, strlen (text), NULL, diag);
  AmsOverride ov = { "q.new.deep", "1", "--seed" };
  CU_ASSERT_TRUE (ams_ydoc_apply_override (doc, &ov, diag));
  AmsYNode *v = at (at (at (doc->root, "q"), "new"), "deep");
  CU_ASSERT_STRING_EQUAL (v->file, "--seed");
  CU_ASSERT_EQUAL (v->line, 1);
  CU_ASSERT_EQUAL (v->col, 1);
  CU_ASSERT_EQUAL (v->style, AMS_YSTYLE_PLAIN);
  CU_ASSERT_PTR_NULL (ams_ynode_lookup (at (doc->root, "r"), "new"));
}

static void
test_ynode_suggest (void)
{
  static const char *const keys[] = { "horizon", "regions", "accounts", "name" };
  CU_ASSERT_STRING_EQUAL (ams_suggest ("horizn", keys, 4), "horizon");
  CU_ASSERT_STRING_EQUAL (ams_suggest ("Horizon", keys, 4), "horizon");
  CU_ASSERT_STRING_EQUAL (ams_suggest ("acounts", keys, 4), "accounts");
  CU_ASSERT_PTR_NULL (ams_suggest ("pipelines", keys, 4));
  CU_ASSERT_PTR_NULL (ams_suggest ("zz", keys, 4));
  CU_ASSERT_EQUAL (ams_levenshtein ("kitten", "sitting"), 3);
  CU_ASSERT_EQUAL (ams_levenshtein ("", "abc"), 3);
}

int
main (void)
{
  static const AmsTestCase cases[] = {
    { "ynode_scalars", test_ynode_scalars },
    { "ynode_json", test_ynode_json },
    { "ynode_anchors_and_merges", test_ynode_anchors_and_merges },
    { "ynode_errors", test_ynode_errors },
    { "ynode_override_paths", test_ynode_override_paths },
    { "ynode_override_shared", test_ynode_override_shared },
    { "ynode_suggest", test_ynode_suggest },
    { NULL, NULL },
  };
  return ams_test_main ("scenario_ynode", cases);
}

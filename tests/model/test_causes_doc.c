/* The reference of failure causes (docs/causes.md) held to the code.
 *
 * Every cause of cause.h (ams_cause_name (1 .. AMS_CAUSE_COUNT-1)) has
 * exactly one table row whose first cell is its name in backticks
 * (| `name` | …), and every such row names a cause: a cause added without
 * its row, a row left behind by a cause that went, or a row written twice
 * fails the suite. The causes amisim adds beyond its specification's list
 * (from AMS_CAUSE_ROLE_EC2_DENIED on) say so in their row ("amisim's own"),
 * and the others do not.
 */
#include <string.h>

#include "ams_test.h"
#include "amisim/cause.h"

#define OWN_MARK "amisim's own"

typedef struct
{
  char *name;   /* the first cell's name, without backticks */
  char *line;   /* the whole row */
  guint lineno; /* 1-based */
} Row;

static void
row_free (gpointer p)
{
  Row *r = p;
  g_free (r->name);
  g_free (r->line);
  g_free (r);
}

/* The rows of `text` whose first cell is `name` in backticks. */
static GPtrArray *
rows_of (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (row_free);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *s = lines[i];
      while (*s == ' ')
        s++;
      if (*s != '|')
        continue;
      s++;
      while (*s == ' ')
        s++;
      if (*s != '`')
        continue; /* a header, a separator, or a row about something else */
      const char *start = s + 1;
      const char *end = strchr (start, '`');
      if (end == NULL)
        continue;
      const char *after = end + 1;
      while (*after == ' ')
        after++;
      if (*after != '|')
        continue; /* the first cell is more than one name */
      Row *r = g_new0 (Row, 1);
      r->name = g_strndup (start, (gsize) (end - start));
      r->line = g_strdup (lines[i]);
      r->lineno = i + 1;
      g_ptr_array_add (rows, r);
    }
  return rows;
}

static char *
read_doc (void)
{
  g_autofree char *path = ams_source_path ("docs/causes.md");
  g_autoptr (GError) error = NULL;
  char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, &error))
    {
      g_printerr ("\n  cannot read %s: %s\n", path, error->message);
      return NULL;
    }
  return text;
}

static void
test_causes_doc_every_cause_has_one_row (void)
{
  g_autofree char *text = read_doc ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (text);
  g_autoptr (GPtrArray) rows = rows_of (text);
  guint missing = 0, twice = 0;
  for (guint c = 1; c < AMS_CAUSE_COUNT; c++)
    {
      const char *name = ams_cause_name ((AmsCause) c);
      guint n = 0;
      for (guint i = 0; i < rows->len; i++)
        if (strcmp (((const Row *) rows->pdata[i])->name, name) == 0)
          n++;
      if (n == 0)
        {
          g_printerr ("\n  docs/causes.md: no row | `%s` | for cause %u", name, c);
          missing++;
        }
      else if (n > 1)
        {
          g_printerr ("\n  docs/causes.md: %u rows for cause %s", n, name);
          twice++;
        }
    }
  CU_ASSERT_EQUAL (missing, 0);
  CU_ASSERT_EQUAL (twice, 0);
}

static void
test_causes_doc_no_stale_rows (void)
{
  g_autofree char *text = read_doc ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (text);
  g_autoptr (GPtrArray) rows = rows_of (text);
  guint stale = 0;
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = rows->pdata[i];
      AmsCause c;
      if (!ams_cause_from_name (r->name, &c) || c == AMS_CAUSE_NONE)
        {
          g_printerr ("\n  docs/causes.md:%u: `%s` is not a cause", r->lineno, r->name);
          stale++;
        }
    }
  CU_ASSERT_EQUAL (stale, 0);
  /* the document is the table it claims to be: one row per cause */
  CU_ASSERT_EQUAL (rows->len, AMS_CAUSE_COUNT - 1);
}

static void
test_causes_doc_own_causes_marked (void)
{
  g_autofree char *text = read_doc ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (text);
  g_autoptr (GPtrArray) rows = rows_of (text);
  guint wrong = 0;
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = rows->pdata[i];
      AmsCause c;
      if (!ams_cause_from_name (r->name, &c) || c == AMS_CAUSE_NONE)
        continue; /* reported by test_causes_doc_no_stale_rows */
      gboolean own = c >= AMS_CAUSE_ROLE_EC2_DENIED;
      gboolean marked = strstr (r->line, OWN_MARK) != NULL;
      if (own != marked)
        {
          g_printerr ("\n  docs/causes.md:%u: `%s` %s", r->lineno, r->name,
                      own ? "is amisim's own but its row does not say so"
                          : "is not amisim's own but its row says so");
          wrong++;
        }
    }
  CU_ASSERT_EQUAL (wrong, 0);
}

/* The parser itself: what counts as a row, and that a row removed is seen. */
static void
test_causes_doc_parser (void)
{
  const char *sample = "| Cause | What |\n"
                       "|---|---|\n"
                       "| `role_missing` | a row |\n"
                       "  |  `key_disabled`  | indented, spaced |\n"
                       "| `a` and `b` | not one name |\n"
                       "text with | `role_missing` | inside\n"
                       "| `no_end\n";
  g_autoptr (GPtrArray) rows = rows_of (sample);
  CU_ASSERT_EQUAL_FATAL (rows->len, 2);
  CU_ASSERT_STRING_EQUAL (((const Row *) rows->pdata[0])->name, "role_missing");
  CU_ASSERT_EQUAL (((const Row *) rows->pdata[0])->lineno, 3);
  CU_ASSERT_STRING_EQUAL (((const Row *) rows->pdata[1])->name, "key_disabled");
}

static const AmsTestCase cases[] = {
  { "test_causes_doc_every_cause_has_one_row", test_causes_doc_every_cause_has_one_row },
  { "test_causes_doc_no_stale_rows", test_causes_doc_no_stale_rows },
  { "test_causes_doc_own_causes_marked", test_causes_doc_own_causes_marked },
  { "test_causes_doc_parser", test_causes_doc_parser },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("causes_doc", cases);
}

/* amisim tests — docs/outputs.md's data dictionary against the real files.
 *
 * The dictionary documents every output in Markdown tables, one section
 * ("### `images.csv`", "### Trace event lines", …) per file or kind of
 * line. Its convention, which this test enforces: the first table after a
 * section's heading lists the columns (or keys) in its first cells, each in
 * backticks; a cell may list several (`M`, `M_ci_low`, `M_ci_high`), in
 * order; `<PATH>` stands for a sweep axis, `<M>` for a measure, `<KEY>` for
 * any figure.
 *
 * The test runs the binary on scenarios that write every file (the default
 * with a trace; lifecycle-retention with the comparison run; the default
 * with two replications; a sweep) and checks that
 *  - each CSV's header row is exactly the documented columns, in order (so
 *    a column added, renamed or moved without the dictionary fails);
 *  - the trace's header line has exactly the documented keys, in order,
 *    and every event line's keys are documented and in documented order;
 *  - every key path of each summary.json is documented.
 * And the conventions it states: account ids quoted, every _at the ISO
 * form of its _s, null in empty statistics.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ams_proc.h"
#include "amisim/scenario.h"
#include "amisim/value.h"
#include "report/json.h"

#define DICTIONARY "docs/outputs.md"

/* ---- the dictionary ------------------------------------------------------ */

/* The names of the first table after the heading `heading` (exact line):
 * the backticked names of each row's first cell, in order. NULL when the
 * section is missing. */
static GPtrArray *
documented (const char *heading)
{
  g_autofree char *path = ams_source_path (DICTIONARY);
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  char **l = lines;
  while (*l != NULL && strcmp (*l, heading) != 0)
    l++;
  if (*l == NULL)
    return NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  gboolean in_table = FALSE;
  for (l++; *l != NULL && !g_str_has_prefix (*l, "#"); l++)
    {
      if (!g_str_has_prefix (*l, "|"))
        {
          if (in_table)
            break; /* the first table only */
          continue;
        }
      in_table = TRUE;
      if (g_str_has_prefix (*l, "| column |") || g_str_has_prefix (*l, "| key |")
          || g_str_has_prefix (*l, "|---"))
        continue;
      const char *cell = *l + 1;
      const char *end = strchr (cell, '|');
      if (end == NULL)
        continue;
      for (const char *p = cell; p < end;)
        {
          const char *open = memchr (p, '`', (gsize) (end - p));
          if (open == NULL)
            break;
          const char *close = memchr (open + 1, '`', (gsize) (end - open - 1));
          if (close == NULL)
            break;
          g_ptr_array_add (names, g_strndup (open + 1, (gsize) (close - open - 1)));
          p = close + 1;
        }
    }
  return names;
}

/* `name` is listed; an array (empty here) is when its items are */
static gboolean
has (const GPtrArray *names, const char *name)
{
  g_autofree char *items = g_strconcat (name, "[]", NULL);
  for (guint i = 0; i < names->len; i++)
    if (strcmp (names->pdata[i], name) == 0 || g_str_has_prefix (names->pdata[i], items))
      return TRUE;
  return FALSE;
}

/* ---- the runs ------------------------------------------------------------ */

static char *tmp;     /* the runs' folder */

static char *
out_path (const char *a, const char *b)
{
  return g_build_filename (tmp, a, b, NULL);
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
        remove_tree (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}

/* Runs every command once, before the cases. */
static void
runs (void)
{
  if (tmp != NULL)
    return;
  tmp = g_dir_make_tmp ("amisim-outputs-doc-XXXXXX", NULL);
  g_assert_nonnull (tmp);
  g_autofree char *plain = g_build_filename (tmp, "plain", NULL);
  g_autofree char *trace = g_build_filename (tmp, "trace.jsonl", NULL);
  g_autofree char *lc = g_build_filename (tmp, "lifecycle", NULL);
  g_autofree char *reps = g_build_filename (tmp, "reps", NULL);
  g_autofree char *sweep = g_build_filename (tmp, "sweep", NULL);
  g_auto (Run) a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
  amisim (&a, "run", "--quiet", "--out", plain, "--trace", trace, NULL);
  g_assert_cmpint (a.status, ==, 0);
  amisim (&b, "run", "scenarios/lifecycle-retention.yaml", "--quiet", "--set",
          "simulation.lifecycle.compare=true", "--out", lc, NULL);
  g_assert_cmpint (b.status, ==, 0);
  amisim (&c, "run", "--quiet", "--replications", "2", "--out", reps, NULL);
  g_assert_cmpint (c.status, ==, 0);
  amisim (&d, "sweep", "scenarios/quickstart.yaml", "--quiet", "--replications", "2", "--set",
          "simulation.limits.copies_per_account_region=25,50", "--out", sweep, NULL);
  g_assert_cmpint (d.status, ==, 0);
}

static char *
read_text (const char *path)
{
  char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

/* The header row of a CSV, split (no header cell is quoted). */
static GStrv
header_of (const char *path)
{
  g_autofree char *text = read_text (path);
  if (text == NULL)
    return NULL;
  char *nl = strchr (text, '\n');
  if (nl != NULL)
    *nl = '\0';
  return g_strsplit (text, ",", -1);
}

/* The file's header row is the section's columns, in order (`<PATH>`:
 * `axis`). */
static void
check_csv (const char *path, const char *heading, const char *axis)
{
  g_autoptr (GPtrArray) doc = documented (heading);
  if (doc == NULL)
    printf ("\n    %s: no section \"%s\"\n", DICTIONARY, heading);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  g_auto (GStrv) cols = header_of (path);
  if (cols == NULL)
    printf ("\n    %s: not written\n", path);
  CU_ASSERT_PTR_NOT_NULL_FATAL (cols);
  g_autoptr (GString) want = g_string_new (NULL), got = g_string_new (NULL);
  for (guint i = 0; i < doc->len; i++)
    g_string_append_printf (want, "%s%s", i ? "," : "",
                            strcmp (doc->pdata[i], "<PATH>") == 0 && axis != NULL
                              ? axis
                              : (const char *) doc->pdata[i]);
  for (guint i = 0; cols[i] != NULL; i++)
    g_string_append_printf (got, "%s%s", i ? "," : "", cols[i]);
  if (strcmp (want->str, got->str) != 0)
    printf ("\n    %s\n      written:    %s\n      documented: %s\n", path, got->str, want->str);
  CU_ASSERT_STRING_EQUAL (got->str, want->str);
}

static void
test_outputs_doc_run_csvs (void)
{
  runs ();
  static const char *const files[] = { "images.csv", "copies.csv", "timeseries.csv",
                                       "lifecycle.csv", "pools.csv", "failures.csv",
                                       "storage.csv", "timeseries-without-lifecycle.csv" };
  /* every file of a run, from the run that writes them all */
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *heading = g_strdup_printf ("### `%s`", files[i]);
      g_autofree char *path = out_path ("lifecycle", files[i]);
      check_csv (path, heading, NULL);
      /* and the same columns in the other runs that write it */
      g_autofree char *plain = out_path ("plain", files[i]);
      g_autofree char *reps = out_path ("reps", files[i]);
      if (g_file_test (plain, G_FILE_TEST_EXISTS))
        check_csv (plain, heading, NULL);
      if (g_file_test (reps, G_FILE_TEST_EXISTS))
        check_csv (reps, heading, NULL);
    }
  /* the run's folder holds nothing the dictionary does not describe */
  g_autofree char *dir = g_build_filename (tmp, "lifecycle", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (name[0] == '.' || strcmp (name, "summary.json") == 0)
        continue;
      if (strcmp (name, "plotdata.gp") == 0) /* described in prose: not a table */
        {
          g_autoptr (GPtrArray) section = documented ("### `plotdata.gp`");
          if (section == NULL)
            printf ("\n    %s: not in the dictionary\n", name);
          CU_ASSERT_PTR_NOT_NULL (section);
          continue;
        }
      gboolean known = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        known = known || strcmp (files[i], name) == 0;
      if (!known)
        printf ("\n    %s: not in the dictionary\n", name);
      CU_ASSERT_TRUE (known);
    }
}

static void
test_outputs_doc_sweep_csv (void)
{
  runs ();
  g_autofree char *path = out_path ("sweep", "sweep.csv");
  check_csv (path, "### `sweep.csv`", "simulation.limits.copies_per_account_region");
}

/* ---- the trace ----------------------------------------------------------- */

static void
test_outputs_doc_trace (void)
{
  runs ();
  g_autoptr (GPtrArray) head = documented ("### Trace header line");
  g_autoptr (GPtrArray) keys = documented ("### Trace event lines");
  CU_ASSERT_PTR_NOT_NULL_FATAL (head);
  CU_ASSERT_PTR_NOT_NULL_FATAL (keys);
  g_autofree char *path = g_build_filename (tmp, "trace.jsonl", NULL);
  g_autofree char *text = read_text (path);
  CU_ASSERT_PTR_NOT_NULL_FATAL (text);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr (AmsValueDoc) doc = ams_value_load_data ("line", lines[i], -1, NULL);
      CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
      const AmsValue *v = ams_value_doc_root (doc);
      CU_ASSERT_EQUAL_FATAL (v->kind, AMS_VALUE_OBJECT);
      if (i == 0)
        {
          /* the header: exactly the documented keys, in order */
          CU_ASSERT_EQUAL (v->n, head->len);
          for (guint k = 0; k < v->n && k < head->len; k++)
            {
              if (strcmp (v->keys[k], head->pdata[k]) != 0)
                printf ("\n    trace header key %u: %s, documented %s\n", k, v->keys[k],
                        (const char *) head->pdata[k]);
              CU_ASSERT_STRING_EQUAL (v->keys[k], head->pdata[k]);
            }
          continue;
        }
      /* an event: documented keys, in the documented order */
      guint at = 0;
      for (guint k = 0; k < v->n; k++)
        {
          guint j = at;
          while (j < keys->len && strcmp (keys->pdata[j], v->keys[k]) != 0)
            j++;
          if (j == keys->len && g_hash_table_add (seen, (gpointer) g_intern_string (v->keys[k])))
            printf ("\n    trace key %s (line %u): not documented, or out of order\n",
                    v->keys[k], i + 1);
          CU_ASSERT_TRUE (j < keys->len);
          at = j < keys->len ? j + 1 : at;
        }
    }
}

/* ---- summary.json -------------------------------------------------------- */

static gboolean
is_stats (const AmsValue *v)
{
  if (v->kind != AMS_VALUE_OBJECT)
    return FALSE;
  gboolean count = FALSE, p50 = FALSE;
  for (guint i = 0; i < v->n; i++)
    {
      count = count || strcmp (v->keys[i], "count") == 0;
      p50 = p50 || strcmp (v->keys[i], "p50") == 0;
    }
  return count && p50;
}

/* Every key path under `v` (at `path`) into `out`: arrays of objects as
 * `[]`, a stats object as its own path, sweep axes and measures as <PATH>
 * and <M>, a point's summary as itself. */
static void
key_paths (const AmsValue *v, const char *path, GHashTable *out)
{
  if (v->kind == AMS_VALUE_ARRAY)
    {
      for (guint i = 0; i < v->n; i++)
        if (v->items[i]->kind == AMS_VALUE_OBJECT || v->items[i]->kind == AMS_VALUE_ARRAY)
          {
            g_autofree char *p = g_strconcat (path, "[]", NULL);
            key_paths (v->items[i], p, out);
          }
      if (v->n == 0 || (v->items[0]->kind != AMS_VALUE_OBJECT))
        g_hash_table_add (out, g_strdup (path));
      return;
    }
  if (v->kind != AMS_VALUE_OBJECT || is_stats (v))
    {
      g_hash_table_add (out, g_strdup (path));
      return;
    }
  for (guint i = 0; i < v->n; i++)
    {
      const char *key = v->keys[i];
      if (g_str_has_suffix (path, "points[].axes"))
        key = "<PATH>";
      else if (g_str_has_suffix (path, "points[].measures")
               || g_str_has_suffix (path, "points[].vs_first"))
        key = "<M>";
      else if (g_str_has_suffix (key, "_ci95") && strcmp (key, "mean_ci95") != 0)
        key = "<KEY>_ci95";
      g_autofree char *p = path[0] ? g_strconcat (path, ".", key, NULL) : g_strdup (key);
      if (strcmp (p, "points[].summary") == 0)
        {
          g_hash_table_add (out, g_strdup (p)); /* checked as a run's */
          continue;
        }
      if (strcmp (key, "<KEY>_ci95") == 0)
        {
          g_hash_table_add (out, g_strdup ("<KEY>_ci95"));
          continue;
        }
      key_paths (v->items[i], p, out);
    }
}

static void
check_summary (const char *path, const char *heading)
{
  g_autoptr (GPtrArray) doc = documented (heading);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  g_autofree char *text = read_text (path);
  CU_ASSERT_PTR_NOT_NULL_FATAL (text);
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsValueDoc) json = ams_value_load_data ("summary.json", text, -1, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (json);
  g_autoptr (GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  key_paths (ams_value_doc_root (json), "", paths);
  g_autofree const char **all = (const char **) g_hash_table_get_keys_as_array (paths, NULL);
  for (const char **p = all; *p != NULL; p++)
    {
      if (!has (doc, *p))
        printf ("\n    %s: %s not documented in \"%s\"\n", path, *p, heading);
      CU_ASSERT_TRUE (has (doc, *p));
    }
}

static void
test_outputs_doc_summaries (void)
{
  runs ();
  static const char *const run_dirs[] = { "plain", "lifecycle", "reps" };
  for (guint i = 0; i < G_N_ELEMENTS (run_dirs); i++)
    {
      g_autofree char *path = out_path (run_dirs[i], "summary.json");
      check_summary (path, "### `summary.json` of `run`");
    }
  g_autofree char *sweep = out_path ("sweep", "summary.json");
  check_summary (sweep, "### `summary.json` of `sweep`");
  /* each point's summary is a run's */
  g_autofree char *text = read_text (sweep);
  g_autoptr (AmsValueDoc) json = ams_value_load_data ("summary.json", text, -1, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (json);
  const AmsValue *points = ams_value_get (ams_value_doc_root (json), "points");
  CU_ASSERT_FATAL (points != NULL && points->n == 2);
  g_autoptr (GPtrArray) doc = documented ("### `summary.json` of `run`");
  g_autoptr (GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  key_paths (ams_value_get (points->items[1], "summary"), "", paths);
  g_autofree const char **all = (const char **) g_hash_table_get_keys_as_array (paths, NULL);
  for (const char **p = all; *p != NULL; p++)
    {
      if (!has (doc, *p))
        printf ("\n    sweep point summary: %s not documented\n", *p);
      CU_ASSERT_TRUE (has (doc, *p));
    }
}

/* ---- the conventions ----------------------------------------------------- */

/* "2026-01-02T01:23:45.678Z" -> µs since the epoch */
static AmsTime
parse_iso (const char *s)
{
  AmsTime t = 0;
  g_assert_true (ams_parse_time (s, &t, NULL));
  return t;
}

/* The start, the run's clock: summary.json's and the trace header's agree. */
static AmsTime
run_start (const char *dir)
{
  g_autofree char *path = out_path (dir, "summary.json");
  g_autofree char *text = read_text (path);
  g_autoptr (AmsValueDoc) json = ams_value_load_data ("summary.json", text, -1, NULL);
  g_assert_nonnull (json);
  const AmsValue *start = ams_value_get (ams_value_doc_root (json), "start");
  g_assert_true (start != NULL && start->kind == AMS_VALUE_STRING);
  return parse_iso (start->text);
}

/* A CSV row's fields (RFC 4180, no line breaks in the rows checked). */
static GPtrArray *
fields (const char *line, GPtrArray *quoted)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  GString *f = g_string_new (NULL);
  gboolean in_quotes = FALSE, was_quoted = FALSE;
  for (const char *p = line;; p++)
    {
      if (in_quotes)
        {
          if (*p == '"' && p[1] == '"')
            g_string_append_c (f, *p++);
          else if (*p == '"')
            in_quotes = FALSE;
          else if (*p == '\0')
            break;
          else
            g_string_append_c (f, *p);
          continue;
        }
      if (*p == '"')
        {
          in_quotes = was_quoted = TRUE;
          continue;
        }
      if (*p == ',' || *p == '\0')
        {
          g_ptr_array_add (out, g_string_free (g_steal_pointer (&f), FALSE));
          if (quoted != NULL)
            g_ptr_array_add (quoted, GINT_TO_POINTER (was_quoted));
          if (*p == '\0')
            break;
          f = g_string_new (NULL);
          was_quoted = FALSE;
          continue;
        }
      g_string_append_c (f, *p);
    }
  if (f != NULL)
    g_string_free (f, TRUE);
  return out;
}

/* In every CSV of the run: account cells quoted, each X_at the instant of
 * X_s (to the millisecond, empty together). */
static void
test_outputs_doc_conventions (void)
{
  runs ();
  static const char *const files[] = { "images.csv", "copies.csv", "timeseries.csv",
                                       "lifecycle.csv", "pools.csv", "failures.csv",
                                       "storage.csv", "timeseries-without-lifecycle.csv" };
  static const char *const dirs[] = { "plain", "lifecycle" };
  guint checked_at = 0, checked_accounts = 0;
  for (guint di = 0; di < G_N_ELEMENTS (dirs); di++)
    {
      AmsTime start = run_start (dirs[di]);
      for (guint fi = 0; fi < G_N_ELEMENTS (files); fi++)
        {
          g_autofree char *path = out_path (dirs[di], files[fi]);
          g_autofree char *text = read_text (path);
          if (text == NULL)
            continue;
          g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
          g_autoptr (GPtrArray) head = fields (lines[0], NULL);
          for (guint li = 1; lines[li] != NULL && lines[li][0] != '\0' && li < 400; li++)
            {
              g_autoptr (GPtrArray) quoted = g_ptr_array_new ();
              g_autoptr (GPtrArray) row = fields (lines[li], quoted);
              if (row->len != head->len)
                continue; /* a message with a line break: not this test's */
              for (guint c = 0; c < head->len; c++)
                {
                  const char *col = head->pdata[c];
                  if (strcmp (col, "account") == 0)
                    {
                      CU_ASSERT_TRUE (GPOINTER_TO_INT (quoted->pdata[c]));
                      checked_accounts++;
                    }
                  if (!g_str_has_suffix (col, "_at"))
                    continue;
                  /* its _s column is the one before */
                  g_autofree char *stem = g_strndup (col, strlen (col) - 3);
                  g_autofree char *s_col = g_strconcat (stem, "_s", NULL);
                  CU_ASSERT_FATAL (c > 0 && strcmp (head->pdata[c - 1], s_col) == 0);
                  const char *s = row->pdata[c - 1], *at = row->pdata[c];
                  CU_ASSERT_EQUAL (s[0] == '\0', at[0] == '\0');
                  if (s[0] == '\0' || at[0] == '\0')
                    continue;
                  gint64 us = (gint64) llround (g_ascii_strtod (s, NULL) * 1e6);
                  CU_ASSERT_EQUAL (parse_iso (at), start + us / 1000 * 1000);
                  checked_at++;
                }
            }
        }
    }
  CU_ASSERT_TRUE (checked_at > 100);
  CU_ASSERT_TRUE (checked_accounts > 100);

  /* empty statistics: the count 0, the rest null */
  g_autofree char *path = out_path ("plain", "summary.json");
  g_autofree char *text = read_text (path);
  g_autoptr (AmsValueDoc) json = ams_value_load_data ("summary.json", text, -1, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (json);
  const AmsValue *supply = ams_value_get (ams_value_doc_root (json), "supply");
  CU_ASSERT_PTR_NOT_NULL_FATAL (supply);
  const AmsValue *delay = ams_value_get (supply, "delay_s");
  CU_ASSERT_PTR_NOT_NULL_FATAL (delay);
  CU_ASSERT_STRING_EQUAL (ams_value_get (delay, "count")->text, "0");
  for (guint i = 0; i < delay->n; i++)
    if (strcmp (delay->keys[i], "count") != 0)
      CU_ASSERT_EQUAL (delay->items[i]->kind, AMS_VALUE_NULL);
  /* a self-describing header: the version, the scenario, the seed, the start */
  const AmsValue *root = ams_value_doc_root (json);
  CU_ASSERT_STRING_EQUAL (ams_value_get (root, "amisim_version")->text, PACKAGE_VERSION);
  CU_ASSERT_STRING_EQUAL (ams_value_get (root, "scenario_file")->text, "builtin:default.yaml");
  CU_ASSERT_STRING_EQUAL (ams_value_get (root, "seed")->text, "42");
  CU_ASSERT_STRING_EQUAL (ams_value_get (root, "start")->text, "2026-01-05T00:00:00.000Z");

  /* with replications: the same, and the interval of nothing is null too */
  g_autofree char *reps_path = out_path ("reps", "summary.json");
  g_autofree char *reps_text = read_text (reps_path);
  g_autoptr (AmsValueDoc) reps = ams_value_load_data ("summary.json", reps_text, -1, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (reps);
  const AmsValue *rsupply = ams_value_get (ams_value_doc_root (reps), "supply");
  CU_ASSERT_PTR_NOT_NULL_FATAL (rsupply);
  const AmsValue *rdelay = ams_value_get (rsupply, "delay_s");
  CU_ASSERT_PTR_NOT_NULL_FATAL (rdelay);
  for (guint i = 0; i < rdelay->n; i++)
    {
      const AmsValue *f = rdelay->items[i];
      if (strcmp (rdelay->keys[i], "count") == 0)
        {
          CU_ASSERT_STRING_EQUAL (f->text, "0");
        }
      else if (strcmp (rdelay->keys[i], "mean_ci95") == 0)
        {
          CU_ASSERT_TRUE (f->n == 2 && f->items[0]->kind == AMS_VALUE_NULL
                          && f->items[1]->kind == AMS_VALUE_NULL);
        }
      else
        {
          CU_ASSERT_EQUAL (f->kind, AMS_VALUE_NULL);
        }
    }

  /* the sweep's summary and each point's: version, scenario, seed, start */
  g_autofree char *sweep_path = out_path ("sweep", "summary.json");
  g_autofree char *sweep_text = read_text (sweep_path);
  g_autoptr (AmsValueDoc) sweep = ams_value_load_data ("summary.json", sweep_text, -1, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sweep);
  const AmsValue *sroot = ams_value_doc_root (sweep);
  CU_ASSERT_STRING_EQUAL (ams_value_get (sroot, "amisim_version")->text, PACKAGE_VERSION);
  CU_ASSERT_STRING_EQUAL (ams_value_get (sroot, "scenario_file")->text,
                          "scenarios/quickstart.yaml");
  CU_ASSERT_STRING_EQUAL (ams_value_get (sroot, "seed")->text, "1");
  CU_ASSERT_STRING_EQUAL (ams_value_get (sroot, "start")->text, "2026-01-05T00:00:00.000Z");
  const AmsValue *points = ams_value_get (sroot, "points");
  CU_ASSERT_FATAL (points != NULL && points->n == 2);
  for (guint p = 0; p < points->n; p++)
    {
      const AmsValue *summary = ams_value_get (points->items[p], "summary");
      CU_ASSERT_PTR_NOT_NULL_FATAL (summary);
      CU_ASSERT_STRING_EQUAL (ams_value_get (summary, "start")->text,
                              "2026-01-05T00:00:00.000Z");
    }
}

/* ams_iso_time: the calendar, leap days, before the epoch, never. */
static void
test_outputs_doc_iso_time (void)
{
  char buf[AMS_ISO_TIME_LEN];
  const AmsTime s = AMS_TICKS_PER_SECOND;
  CU_ASSERT_STRING_EQUAL (ams_iso_time (buf, 0, 0), "1970-01-01T00:00:00.000Z");
  CU_ASSERT_STRING_EQUAL (ams_iso_time (buf, INT64_C (1767225600) * s, 5025 * s + 678999),
                          "2026-01-01T01:23:45.678Z");
  CU_ASSERT_STRING_EQUAL (ams_iso_time (buf, INT64_C (951782400) * s, 0),
                          "2000-02-29T00:00:00.000Z");
  CU_ASSERT_STRING_EQUAL (ams_iso_time (buf, INT64_C (4107542400) * s, -1),
                          "2100-02-28T23:59:59.999Z");
  CU_ASSERT_STRING_EQUAL (ams_iso_time (buf, 0, -1), "1969-12-31T23:59:59.999Z");
  CU_ASSERT_STRING_EQUAL (ams_iso_time (buf, INT64_C (1767225600) * s, AMS_TIME_NEVER), "");
  CU_ASSERT_STRING_EQUAL (ams_iso_time_s (buf, INT64_C (1767225600) * s, 1.001),
                          "2026-01-01T00:00:01.001Z");
  CU_ASSERT_STRING_EQUAL (ams_iso_time_s (buf, 0, NAN), "");
  /* every day of four centuries agrees with the loader's parser */
  for (AmsTime day = -146097; day < 146097; day += 7)
    {
      AmsTime t = day * 86400 * s + 3723 * s + 4000;
      ams_iso_time (buf, 0, t);
      CU_ASSERT_EQUAL (parse_iso (buf), t);
    }
}

static void
test_outputs_doc_cleanup (void)
{
  if (tmp != NULL)
    remove_tree (tmp);
  g_clear_pointer (&tmp, g_free);
}

static const AmsTestCase cases[] = {
  { "test_outputs_doc_iso_time", test_outputs_doc_iso_time },
  { "test_outputs_doc_run_csvs", test_outputs_doc_run_csvs },
  { "test_outputs_doc_sweep_csv", test_outputs_doc_sweep_csv },
  { "test_outputs_doc_trace", test_outputs_doc_trace },
  { "test_outputs_doc_summaries", test_outputs_doc_summaries },
  { "test_outputs_doc_conventions", test_outputs_doc_conventions },
  { "test_outputs_doc_cleanup", test_outputs_doc_cleanup },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("outputs_doc", cases);
}

/* amisim tests — every loader error path as a fixture.
 *
 * Each file in tests/scenario/fixtures/invalid/ starts with the line
 *   # expect: <the exact first error line>
 * where FILE is the fixture's base name (it is loaded under that name).
 * The folder is walked, so a new fixture is a new case. Every file in
 * fixtures/valid/ must load. */
#include <string.h>

#include "amisim/scenario.h"
#include "ams_test.h"

#define EXPECT "# expect: "

static gint
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static GPtrArray *
list_fixtures (const char *sub)
{
  g_autofree char *rel = g_build_filename ("scenario", "fixtures", sub, NULL);
  g_autofree char *dir = ams_test_path (rel);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".yaml"))
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (files, by_name);
  return files;
}

static void
test_fixtures_invalid (void)
{
  g_autoptr (GPtrArray) files = list_fixtures ("invalid");
  CU_ASSERT_TRUE (files->len >= 50);
  guint failures = 0;
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = files->pdata[i];
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *data = NULL;
      gsize len;
      CU_ASSERT_TRUE_FATAL (g_file_get_contents (path, &data, &len, NULL));
      if (!g_str_has_prefix (data, EXPECT))
        {
          fprintf (stderr, "\n  %s: first line must be '" EXPECT "…'\n", base);
          CU_FAIL ("fixture without expectation");
          failures++;
          continue;
        }
      const char *eol = strchr (data, '\n');
      g_autofree char *expected = g_strndup (data + strlen (EXPECT),
                                             (gsize) (eol - data) - strlen (EXPECT));
      GError *error = NULL;
      AmsScenario *sc = ams_scenario_load_data (base, data, (gssize) len, NULL, 0, &error);
      CU_ASSERT_PTR_NULL (sc);
      ams_scenario_free (sc);
      if (error == NULL)
        {
          fprintf (stderr, "\n  %s: loaded without error\n", base);
          CU_FAIL ("invalid fixture loaded");
          failures++;
          continue;
        }
      CU_ASSERT_TRUE (g_error_matches (error, AMS_SCENARIO_ERROR, AMS_SCENARIO_ERROR_INVALID));
      const char *nl = strchr (error->message, '\n');
      g_autofree char *first = nl != NULL ? g_strndup (error->message,
                                                       (gsize) (nl - error->message))
                                          : g_strdup (error->message);
      if (strcmp (first, expected) != 0)
        {
          fprintf (stderr, "\n  %s:\n    got      %s\n    expected %s\n", base, first, expected);
          failures++;
        }
      CU_ASSERT_STRING_EQUAL (first, expected);
      g_error_free (error);
    }
  fprintf (stderr, "\n  %u invalid fixtures, %u failed\n", files->len, failures);
}

static void
test_fixtures_valid (void)
{
  g_autoptr (GPtrArray) files = list_fixtures ("valid");
  CU_ASSERT_TRUE (files->len >= 3);
  for (guint i = 0; i < files->len; i++)
    {
      GError *error = NULL;
      AmsScenario *sc = ams_scenario_load_file (files->pdata[i], NULL, 0, &error);
      if (sc == NULL)
        fprintf (stderr, "\n  %s:\n%s\n", (const char *) files->pdata[i], error->message);
      CU_ASSERT_PTR_NOT_NULL (sc);
      g_clear_error (&error);
      ams_scenario_free (sc);
    }
}

/* The scenarios shipped in scenarios/ load. */
static void
test_fixtures_shipped (void)
{
  g_autofree char *dir = ams_source_path ("scenarios");
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (!g_str_has_suffix (name, ".yaml"))
        continue;
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GError *error = NULL;
      AmsScenario *sc = ams_scenario_load_file (path, NULL, 0, &error);
      if (sc == NULL)
        fprintf (stderr, "\n  %s:\n%s\n", path, error->message);
      CU_ASSERT_PTR_NOT_NULL (sc);
      g_clear_error (&error);
      ams_scenario_free (sc);
    }
}

int
main (void)
{
  static const AmsTestCase cases[] = {
    { "fixtures_invalid", test_fixtures_invalid },
    { "fixtures_valid", test_fixtures_valid },
    { "fixtures_shipped", test_fixtures_shipped },
    { NULL, NULL },
  };
  return ams_test_main ("scenario_fixtures", cases);
}

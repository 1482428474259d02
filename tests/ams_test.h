/* amisim tests — a tiny layer over CUnit shared by every test executable.
 *
 * Each test file lists its cases in a table and ends with
 *   int main (void) { return ams_test_main ("suite", cases); }
 * The executable exits 0 when every assertion passed, 1 otherwise, so that
 * meson test sees failures; CUnit's basic interface prints the run summary.
 */
#pragma once

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <glib.h>
#include <stdlib.h>

typedef struct
{
  const char *name;
  void (*fn) (void);
} AmsTestCase;

/* Path of a file below the source tree's tests/ folder. Free with g_free. */
static inline char *
ams_test_path (const char *relative)
{
  const char *root = g_getenv ("AMISIM_SOURCE_ROOT");
  if (root == NULL)
    root = ".";
  return g_build_filename (root, "tests", relative, NULL);
}

/* Path of a file below the source tree (scenarios/, ...). Free with g_free. */
static inline char *
ams_source_path (const char *relative)
{
  const char *root = g_getenv ("AMISIM_SOURCE_ROOT");
  if (root == NULL)
    root = ".";
  return g_build_filename (root, relative, NULL);
}

/* Counts "amisim" critical messages instead of printing them, for tests
 * that provoke a programming-error check on purpose:
 *   guint id = g_log_set_handler ("amisim", G_LOG_LEVEL_CRITICAL, ams_test_count_log, &n); */
static inline void
ams_test_count_log (const gchar *domain, GLogLevelFlags level, const gchar *message,
                    gpointer counter)
{
  (*(guint *) counter)++;
}

static inline int
ams_test_main (const char *suite_name, const AmsTestCase *cases)
{
  if (CU_initialize_registry () != CUE_SUCCESS)
    return 2;
  CU_pSuite suite = CU_add_suite (suite_name, NULL, NULL);
  if (suite == NULL)
    return 2;
  for (const AmsTestCase *c = cases; c->name != NULL; c++)
    if (CU_add_test (suite, c->name, c->fn) == NULL)
      return 2;
  CU_basic_set_mode (CU_BRM_VERBOSE);
  CU_basic_run_tests ();
  unsigned failed = CU_get_number_of_failures () + CU_get_number_of_tests_failed ();
  unsigned run = CU_get_number_of_tests_run ();
  CU_cleanup_registry ();
  if (run == 0)
    return 1;
  return failed == 0 ? 0 : 1;
}

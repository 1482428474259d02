/* Report tests: JSON writer shape and escaping, human durations, and the
 * whole-or-nothing output folder. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ams_test.h"
#include "amisim/report.h"
#include "report/json.h"

static void
test_report_json_shape_and_escaping (void)
{
  g_autoptr (GString) s = g_string_new (NULL);
  AmsJson j;
  ams_json_init (&j, s);
  ams_json_begin_object (&j, NULL);
  ams_json_string (&j, "a", "q\"uote\\ \n\x01");
  ams_json_uint (&j, "n", 18446744073709551615ull);
  ams_json_double (&j, "x", 0.1);
  ams_json_double (&j, "nan", NAN);
  ams_json_begin_array (&j, "empty");
  ams_json_end_array (&j);
  ams_json_begin_array (&j, "list");
  ams_json_int (&j, NULL, -3);
  ams_json_bool (&j, NULL, TRUE);
  ams_json_string (&j, NULL, NULL);
  ams_json_end_array (&j);
  ams_json_end_object (&j);
  CU_ASSERT_STRING_EQUAL (s->str,
                          "{\n"
                          "  \"a\": \"q\\\"uote\\\\ \\n\\u0001\",\n"
                          "  \"n\": 18446744073709551615,\n"
                          "  \"x\": 0.1,\n"
                          "  \"nan\": null,\n"
                          "  \"empty\": [],\n"
                          "  \"list\": [\n"
                          "    -3,\n"
                          "    true,\n"
                          "    null\n"
                          "  ]\n"
                          "}\n");
}

static void
test_report_format_seconds (void)
{
  const struct { double s; const char *want; } cases[] = {
    { 0, "0.0s" }, { 12.34, "12.3s" }, { 59.94, "59.9s" }, { 60, "1m00s" }, { 245, "4m05s" },
    { 3599.4, "59m59s" }, { 3600, "1h00m" }, { 11520, "3h12m" }, { 86400, "1d00h" },
    { 183600, "2d03h" }, { -90, "-1m30s" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = ams_report_format_seconds (cases[i].s);
      CU_ASSERT_STRING_EQUAL (got, cases[i].want);
    }
}

static void
test_report_write_dir_whole (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-report-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "a", "b", NULL);
  g_autoptr (GString) one = g_string_new ("1\n"), two = g_string_new ("2\n");
  AmsOutputFile files[] = { { "one.txt", one }, { "two.txt", two } };
  g_autoptr (GError) error = NULL;
  CU_ASSERT_TRUE (ams_report_write_dir (dir, files, 2, &error));
  g_autofree char *p1 = g_build_filename (dir, "one.txt", NULL);
  g_autofree char *p2 = g_build_filename (dir, "two.txt", NULL);
  g_autofree char *c1 = NULL;
  CU_ASSERT_TRUE (g_file_get_contents (p1, &c1, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (c1, "1\n");
  CU_ASSERT_TRUE (g_file_test (p2, G_FILE_TEST_IS_REGULAR));

  /* A folder with nothing but the two files: no temporaries left. */
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  while (g_dir_read_name (d))
    n++;
  CU_ASSERT_EQUAL (n, 2);
  g_unlink (p1);
  g_unlink (p2);
  g_rmdir (dir);
  g_autofree char *mid = g_build_filename (tmp, "a", NULL);
  g_rmdir (mid);
  g_rmdir (tmp);
}

static void
test_report_write_dir_refuses_a_file (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-report-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (tmp, "plain", NULL);
  CU_ASSERT_TRUE (g_file_set_contents (file, "x", 1, NULL));
  g_autoptr (GString) one = g_string_new ("1\n");
  AmsOutputFile files[] = { { "one.txt", one } };
  g_autoptr (GError) error = NULL;
  CU_ASSERT_FALSE (ams_report_write_dir (file, files, 1, &error));
  CU_ASSERT_PTR_NOT_NULL (error);
  if (error)
    CU_ASSERT_PTR_NOT_NULL (strstr (error->message, "not a folder"));
  g_unlink (file);
  g_rmdir (tmp);
}

static const AmsTestCase cases[] = {
  { "test_report_json_shape_and_escaping", test_report_json_shape_and_escaping },
  { "test_report_format_seconds", test_report_format_seconds },
  { "test_report_write_dir_whole", test_report_write_dir_whole },
  { "test_report_write_dir_refuses_a_file", test_report_write_dir_refuses_a_file },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("report", cases);
}

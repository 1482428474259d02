/* amisim fuzzing — the bytes as a scenario file.
 *
 * The input goes through the public loader (ams_scenario_load_data) the
 * way `amisim run FILE` reads a file, and everything it returns is freed.
 * Besides crashes, sanitizer reports, leaks, hangs and GLib criticals,
 * the target holds the loader to its contract (include/amisim/scenario.h):
 * either a scenario or an error of AMS_SCENARIO_ERROR_INVALID whose first
 * line is "FILE:LINE:COL: error: PATH: MESSAGE", never both, never
 * neither.
 */
#include <string.h>

#include "amisim/scenario.h"
#include "fuzz.h"

#define DISPLAY_NAME "fuzz.yaml"

/* "fuzz.yaml:LINE:COL: error: " at the start of the first line. */
static gboolean
is_located_error (const char *message)
{
  if (!g_str_has_prefix (message, DISPLAY_NAME ":"))
    return FALSE;
  const char *p = message + strlen (DISPLAY_NAME ":");
  for (int field = 0; field < 2; field++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
      if (*p++ != ':')
        return FALSE;
    }
  return g_str_has_prefix (p, " error: ");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ams_fuzz_begin ();
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsScenario) sc = ams_scenario_load_data (DISPLAY_NAME, ams_fuzz_text (data, size),
                                                       (gssize) size, NULL, 0, &error);
  if (sc != NULL)
    {
      g_assert_null (error);
      ams_fuzz_accept ();
      return 0;
    }
  g_assert_nonnull (error);
  g_assert_true (g_error_matches (error, AMS_SCENARIO_ERROR, AMS_SCENARIO_ERROR_INVALID));
  ams_fuzz_refuse (error->message);
  if (!is_located_error (error->message))
    g_error ("the loader refused the input without a located error: %s", error->message);
  return 0;
}

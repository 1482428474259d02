/* amisim fuzzing — what every target shares; see fuzz.h. */
#include "fuzz.h"

#include <string.h>

static gboolean accepted;
static char reason[512];

void
ams_fuzz_begin (void)
{
  static gsize once = 0;
  if (g_once_init_enter (&once))
    {
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      g_once_init_leave (&once, 1);
    }
  accepted = FALSE;
  reason[0] = '\0';
}

void
ams_fuzz_accept (void)
{
  accepted = TRUE;
}

gboolean
ams_fuzz_accepted (void)
{
  return accepted;
}

void
ams_fuzz_refuse (const char *why)
{
  if (reason[0] != '\0' || why == NULL)
    return;
  gsize n = strcspn (why, "\n");
  if (n >= sizeof reason)
    n = sizeof reason - 1;
  memcpy (reason, why, n);
  reason[n] = '\0';
}

const char *
ams_fuzz_reason (void)
{
  return reason;
}

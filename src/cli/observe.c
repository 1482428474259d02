/* --trace, --narrate and the progress bar (cli-private.h). */
#include "cli/cli-private.h"

struct AmsObservers
{
  int unused;
};

AmsObservers *
ams_cli_observers_new (const AmsRunOptions *opt, const AmsScenario *sc, GError **error)
{
  return NULL;
}

void
ams_cli_observers_attach (AmsObservers *obs, AmsEngine *e)
{
}

gboolean
ams_cli_observers_finish (AmsObservers *obs, GError **error)
{
  return TRUE;
}

void
ams_cli_observers_free (AmsObservers *obs)
{
  g_free (obs);
}

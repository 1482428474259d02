/* Initialisation and release of AmsResults (results.h). */
#include <string.h>
#include "amisim/results.h"

void
ams_results_init (AmsResults *r)
{
  memset (r, 0, sizeof *r);
  ams_stat_init (&r->build_s);
  ams_stat_init (&r->distribution_s);
  ams_stat_init (&r->end_to_end_s);
  ams_stat_init (&r->wait_s);
  ams_stat_init (&r->transfer_s);
  ams_stat_init (&r->total_s);
  ams_stat_init (&r->lc_execution_s);
  r->pools = g_array_new (FALSE, TRUE, sizeof (AmsPoolReport));
  r->failures = g_array_new (FALSE, TRUE, sizeof (AmsFailureCount));
  r->storage = g_array_new (FALSE, TRUE, sizeof (AmsStorageReport));
}

void
ams_results_clear (AmsResults *r)
{
  ams_stat_clear (&r->build_s);
  ams_stat_clear (&r->distribution_s);
  ams_stat_clear (&r->end_to_end_s);
  ams_stat_clear (&r->wait_s);
  ams_stat_clear (&r->transfer_s);
  ams_stat_clear (&r->total_s);
  ams_stat_clear (&r->lc_execution_s);
  if (r->storage != NULL)
    g_array_unref (r->storage);
  r->storage = NULL;
  if (r->pools != NULL)
    g_array_unref (r->pools);
  if (r->failures != NULL)
    g_array_unref (r->failures);
  r->pools = NULL;
  r->failures = NULL;
}

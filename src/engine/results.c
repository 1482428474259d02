/* Initialisation, release and detaching of AmsResults (results.h). */
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
  ams_stat_init (&r->ripple_size);
  ams_stat_init (&r->ripple_delay_s);
  r->pools = g_array_new (FALSE, TRUE, sizeof (AmsPoolReport));
  r->failures = g_array_new (FALSE, TRUE, sizeof (AmsFailureCount));
  r->storage = g_array_new (FALSE, TRUE, sizeof (AmsStorageReport));
  r->days = g_array_new (FALSE, TRUE, sizeof (AmsDayReport));
  r->last_copy = AMS_TIME_NEVER;
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
  ams_stat_clear (&r->ripple_size);
  ams_stat_clear (&r->ripple_delay_s);
  if (r->storage != NULL)
    g_array_unref (r->storage);
  r->storage = NULL;
  if (r->days != NULL)
    g_array_unref (r->days);
  r->days = NULL;
  if (r->pools != NULL)
    g_array_unref (r->pools);
  if (r->failures != NULL)
    g_array_unref (r->failures);
  r->pools = NULL;
  r->failures = NULL;
  if (r->strings != NULL)
    g_string_chunk_free (r->strings);
  r->strings = NULL;
}

void
ams_results_detach (AmsResults *r)
{
  if (r->strings == NULL)
    r->strings = g_string_chunk_new (1024);
  GStringChunk *s = r->strings;
  for (guint i = 0; r->pools != NULL && i < r->pools->len; i++)
    {
      AmsPoolReport *p = &g_array_index (r->pools, AmsPoolReport, i);
      p->account = g_string_chunk_insert_const (s, p->account);
      p->region = g_string_chunk_insert_const (s, p->region);
    }
  for (guint i = 0; r->failures != NULL && i < r->failures->len; i++)
    {
      AmsFailureCount *f = &g_array_index (r->failures, AmsFailureCount, i);
      f->account = g_string_chunk_insert_const (s, f->account);
      f->region = g_string_chunk_insert_const (s, f->region);
    }
  for (guint i = 0; r->storage != NULL && i < r->storage->len; i++)
    {
      AmsStorageReport *st = &g_array_index (r->storage, AmsStorageReport, i);
      st->account = g_string_chunk_insert_const (s, st->account);
      st->region = g_string_chunk_insert_const (s, st->region);
    }
}

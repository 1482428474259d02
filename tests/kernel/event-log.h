/* amisim tests — a log of the events a kernel ran, shared by the kernel's
 * event-queue and relay suites: handlers append their `arg` and the time. */
#pragma once

#include <amisim/kernel.h>
#include <glib.h>

typedef struct
{
  GArray *ids;   /* uint64_t */
  GArray *times; /* AmsTime  */
} Log;

static inline void
log_init (Log *l)
{
  l->ids = g_array_new (FALSE, FALSE, sizeof (uint64_t));
  l->times = g_array_new (FALSE, FALSE, sizeof (AmsTime));
}

static inline void
log_clear (Log *l)
{
  g_array_free (l->ids, TRUE);
  g_array_free (l->times, TRUE);
}

static inline uint64_t
log_id (const Log *l, guint i)
{
  return g_array_index (l->ids, uint64_t, i);
}

static inline AmsTime
log_time (const Log *l, guint i)
{
  return g_array_index (l->times, AmsTime, i);
}

static inline void
on_log (AmsKernel *k, void *data, uint64_t arg)
{
  Log *l = data;
  AmsTime now = ams_kernel_now (k);
  g_array_append_val (l->ids, arg);
  g_array_append_val (l->times, now);
}

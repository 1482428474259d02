/* amisim — the simulation kernel: clock and event queue.
 *
 * An AmsKernel owns a clock (AmsTime ticks, starting at 0) and a pending-event
 * set ordered by (time, priority, insertion order): at equal time a lower
 * priority number runs first, and at equal priority the event scheduled
 * first runs first. The set is a ladder queue over a 4-ary heap (kernel.c):
 * push and pop are O(1) amortized, O(log n) below 1024 pending, and cancel
 * is O(1) (the entry is dropped when reached). Event records are pooled: scheduling
 * does not call malloc once the pool has grown to the peak number pending.
 *
 * There is no global state but an atomic counter that numbers the kernels
 * (so that a handle of one is never taken for an event of another): any
 * number of kernels can live in one process, in any threads.
 * The kernel knows nothing of what the events mean.
 *
 * Handlers may schedule and cancel freely, including cancelling events
 * scheduled at the current time and (harmlessly) the event being run.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include "amisim/time.h"

G_BEGIN_DECLS

typedef struct AmsKernel AmsKernel;
typedef struct AmsEvent AmsEvent;

/* An event handler. `data` and `arg` are the values given to schedule. */
typedef void (*AmsEventFn) (AmsKernel *k, void *data, uint64_t arg);

/* A handle to a scheduled event, valid for cancel until the event has run
 * or been cancelled; afterwards cancel with it is a harmless no-op, even if
 * the event record has been reused (the sequence number tells them apart).
 * A zero-initialised handle is valid and refers to no event. */
typedef struct
{
  AmsEvent *ev;
  uint64_t seq;
} AmsEventHandle;

#define AMS_PRIORITY_MIN (-30000)
#define AMS_PRIORITY_MAX 30000
#define AMS_PRIORITY_DEFAULT 0

/* A new kernel with the clock at 0 and nothing pending. Never NULL. */
AmsKernel *ams_kernel_new (void);
/* Frees the kernel and every pending event (their handlers are not run).
 * Accepts NULL. */
void ams_kernel_free (AmsKernel *k);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsKernel, ams_kernel_free)

/* Current simulated time. */
AmsTime ams_kernel_now (const AmsKernel *k);

/* Schedules fn(k, data, arg) at absolute time `at` (>= now; an earlier time
 * is a programming error and is clamped to now with a critical warning).
 * `priority` must be within [AMS_PRIORITY_MIN, AMS_PRIORITY_MAX]. */
AmsEventHandle ams_kernel_schedule (AmsKernel *k, AmsTime at, int priority,
                                    AmsEventFn fn, void *data, uint64_t arg);

/* Same, `delay` ticks after now (delay >= 0; saturates at AMS_TIME_MAX). */
AmsEventHandle ams_kernel_schedule_in (AmsKernel *k, AmsTime delay, int priority,
                                       AmsEventFn fn, void *data, uint64_t arg);

/* A relay: an event at now + delay (priority) whose handler would do
 * nothing but schedule fn(k, data, arg) `then` after it (priority2). fn
 * runs exactly where it would run had that first event run and scheduled
 * it: at now + delay + then, and among events of the same time and
 * priority2 in the order of the first event's run, not of this call. The
 * kernel pushes fn alone, one event instead of two, and runs the first
 * event (counted in events run) only when an event scheduled meanwhile
 * with fn's time and priority2 needs it to keep that order. Not
 * cancellable. delay, then >= 0 (saturating at AMS_TIME_MAX). */
void ams_kernel_schedule_relay (AmsKernel *k, AmsTime delay, int priority, AmsTime then,
                                int priority2, AmsEventFn fn, void *data, uint64_t arg);

/* Removes a pending event. Returns TRUE if it was pending and is now
 * cancelled, FALSE if it had already run, was already cancelled, or h is the
 * zero handle. O(1). */
gboolean ams_kernel_cancel (AmsKernel *k, AmsEventHandle h);

/* TRUE if the handle refers to an event still pending. */
gboolean ams_kernel_is_pending (const AmsKernel *k, AmsEventHandle h);

/* Runs the earliest pending event, if any, advancing the clock to its time.
 * Returns FALSE when nothing is pending. */
gboolean ams_kernel_step (AmsKernel *k);

/* Runs events in order while the earliest pending time is <= `until` and
 * ams_kernel_stop has not been called. Afterwards the clock reads `until`
 * if the run reached it (nothing left at or before `until`), else the time of
 * the last event run. Returns the number of events run by this call. */
uint64_t ams_kernel_run_until (AmsKernel *k, AmsTime until);

/* Asks ams_kernel_run_until to return after the current handler. The
 * request is consumed by the run_until that honours it, which leaves the
 * clock at the time of the last event it ran; asked outside any run, it
 * makes the next run_until return at once without running anything. */
void ams_kernel_stop (AmsKernel *k);

/* Called between two events (see ams_kernel_set_tick). */
typedef void (*AmsKernelTickFn) (AmsKernel *k, void *user);

/* Calls fn(k, user) after every `every` events run (every > 0), between
 * two events, e.g. for a progress display; NULL fn: none (the default).
 * When none is set the run pays one comparison per event. */
void ams_kernel_set_tick (AmsKernel *k, uint64_t every, AmsKernelTickFn fn, void *user);

/* The application's warm-up: called with the handler and data of pending
 * events that will run soon, `ahead` stages before (stages - 1 down to 0,
 * each a few events after the one before), so that a handler's chain of
 * reads (the data, what it points to, what that points to) can be asked
 * of the cache one link per stage, each link read once the stage before
 * has fetched it: the first stage (stages - 1) should ask for the data
 * itself, which the kernel then does not (the event's record is fetched
 * already). Called only while the pending set is spread over the
 * ladder's rungs (an estate's night), never for a cancelled event. It
 * must only read: it may not change anything, schedule or cancel. */
typedef void (*AmsKernelWarmFn) (AmsEventFn fn, void *data, unsigned ahead);

/* Sets the warm-up (NULL: none, the default) and its number of stages
 * (1 to 8). */
void ams_kernel_set_warm (AmsKernel *k, AmsKernelWarmFn fn, unsigned stages);

/* Events run since the kernel was created. */
uint64_t ams_kernel_events_run (const AmsKernel *k);

/* Number of pending events. */
size_t ams_kernel_pending (const AmsKernel *k);

/* Time of the earliest pending event, or AMS_TIME_NEVER if none. */
AmsTime ams_kernel_next_time (const AmsKernel *k);

G_END_DECLS

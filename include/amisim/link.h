/* amisim — a shared transfer capacity with fair sharing (a "link").
 *
 * A link carries flows: transfers of a given number of bytes that start and
 * finish at any time. It has a total capacity C and a per-flow cap P (both
 * in bytes per second; a value <= 0 means unlimited). At every moment the n
 * active flows all progress at the same rate r = min (P, C / n), which is
 * max-min fair sharing when every flow has the same cap. With C unlimited
 * r = P; with both unlimited a flow finishes at the time it starts. This is
 * what models AMI copies between a pair of regions (DOMAIN.md §4 "Copy
 * time": 2,000 MiB/s shared, at most 500 MiB/s per snapshot copy).
 *
 * When a flow's bytes are done its callback runs, at that simulated time,
 * from a kernel event (never from inside ams_link_start or another link
 * call). Finish times fall on whole ticks: a flow finishes at the first tick
 * at or after the exact instant its last byte arrives (never earlier by more
 * than 1/1000 of a tick, the allowance for floating-point noise), so it is
 * at most one tick late. Flows finishing at the same tick finish in order of
 * their exact finish instant, then in the order they were started. Whenever
 * the set of flows, the capacity or the cap changes, every remaining finish
 * time follows the new rate from that instant on.
 *
 * Complexity: start, cancel and each completion are O(log n) in the number
 * of active flows, plus one O(log m) kernel reschedule; a capacity or cap
 * change is one O(log m) reschedule. (Once per 2^40 bytes of service to
 * each flow, the bookkeeping is renumbered in O(n).) The link keeps exactly one kernel event
 * pending while it has active flows, and none while idle. Flow records are
 * pooled: memory grows to the peak number of flows in flight, not with the
 * number of flows ever started.
 *
 * There is no global state. The link knows nothing of what the bytes are.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include "amisim/kernel.h"

G_BEGIN_DECLS

typedef struct AmsLink AmsLink;
typedef struct AmsFlow AmsFlow;

/* Called when a flow's bytes are done, from a kernel event at the finish
 * time, with `data` as given to ams_link_start and duration = finish time -
 * start time. The callback may start and cancel flows on the same link,
 * change its capacity or cap, and free it (the free is then completed when
 * the callback returns; flows still pending are dropped). */
typedef void (*AmsFlowDoneFn) (AmsKernel *k, void *data, AmsTime duration);

/* A handle to a flow, valid for cancel and remaining until the flow has
 * finished (its callback is about to run) or been cancelled; afterwards it
 * is harmless, even if the record has been reused for another flow (the
 * sequence number tells them apart). A zero-initialised handle is valid and
 * refers to no flow. */
typedef struct
{
  AmsFlow *flow;
  uint64_t seq;
} AmsFlowHandle;

/* A new idle link on kernel `k` with total capacity `capacity` and per-flow
 * cap `per_flow_cap` (bytes per second; <= 0 or +inf means unlimited; NaN is
 * a programming error and gives NULL). Statistics start at the kernel's
 * current time. The link borrows `k`, which must outlive it. */
AmsLink *ams_link_new (AmsKernel *k, double capacity, double per_flow_cap);

/* Frees the link; pending flows are dropped without their callbacks and its
 * kernel event is cancelled. Accepts NULL. Called from a callback of this
 * link, the free is deferred until that callback returns. */
void ams_link_free (AmsLink *l);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsLink, ams_link_free)

/* Starts a flow of `bytes` (finite, >= 0; 0 finishes at the current time,
 * still through the kernel event) now. `fn` may be NULL (no callback).
 * Returns the zero handle on a programming error (bad bytes, NULL link). */
AmsFlowHandle ams_link_start (AmsLink *l, double bytes, AmsFlowDoneFn fn, void *data);

/* Removes a pending flow without running its callback; the bytes it had
 * received count as delivered. Returns TRUE if it was pending, FALSE if it
 * had finished, was already cancelled, belongs to another link, or h is the
 * zero handle. The other flows speed up from now on. */
gboolean ams_link_cancel (AmsLink *l, AmsFlowHandle h);

/* Changes the total capacity (<= 0 or +inf: unlimited; NaN rejected) or the
 * per-flow cap, taking effect at the current time. */
void ams_link_set_capacity (AmsLink *l, double capacity);
void ams_link_set_per_flow_cap (AmsLink *l, double cap);

/* The current capacity and cap, +inf when unlimited. */
double ams_link_capacity (const AmsLink *l);
double ams_link_per_flow_cap (const AmsLink *l);

/* Number of active flows (started, neither finished nor cancelled). */
guint ams_link_active (const AmsLink *l);

/* The current per-flow rate in bytes per second: 0 if no flow is active,
 * +inf if both capacity and cap are unlimited. */
double ams_link_rate (const AmsLink *l);

/* Bytes the flow still has to receive at the current time, or -1 if the
 * handle does not name a pending flow of this link. */
double ams_link_remaining (const AmsLink *l, AmsFlowHandle h);

typedef struct
{
  uint64_t started;        /* flows started                                  */
  uint64_t completed;      /* flows that finished (callback run or NULL)     */
  uint64_t cancelled;      /* flows cancelled while pending                  */
  double bytes_delivered;  /* bytes received by all flows: whole sizes of    *
                            * completed ones, partial ones of cancelled and  *
                            * active ones                                    */
  double active_mean;      /* time-average number of active flows            */
  guint active_max;
  double utilisation_mean; /* time-average of n * r / C; 0 while C unlimited */
  AmsTime observed;        /* length of the observation window               */
} AmsLinkStats;

/* Statistics over [window start, now]; the window starts at creation or at
 * the last ams_link_reset_stats. */
void ams_link_stats (const AmsLink *l, AmsLinkStats *out);

/* Restarts the statistics at now (warm-up deletion); counts and bytes go to
 * 0, active flows carry on. */
void ams_link_reset_stats (AmsLink *l);

G_END_DECLS

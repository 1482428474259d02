/* amisim — kernel internals shared with the kernel's own tests.
 *
 * Nothing here is part of the public contract: these hooks exist so that
 * the tests can reach states that would otherwise take days of events.
 */
#pragma once

#include "amisim/kernel.h"

G_BEGIN_DECLS

/* The ordering counter is 48 bits wide (see kernel.c); when it runs out the
 * pending events are renumbered. Tests move the counter close to the limit
 * to exercise the renumbering. */
#define AMS__KERNEL_ORDER_LIMIT (UINT64_C(1) << 48)

void ams__kernel_set_order_counter (AmsKernel *k, uint64_t next);
uint64_t ams__kernel_order_counter (const AmsKernel *k);
/* Number of event records allocated (pending or on the free list). */
size_t ams__kernel_records_allocated (const AmsKernel *k);

G_END_DECLS

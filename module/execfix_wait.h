/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded wait for a counter of calls in flight to drop to zero.
 */
#ifndef EXECFIX_WAIT_H
#define EXECFIX_WAIT_H

#include <linux/jiffies.h>
#include <linux/sched.h>

/*
 * Sleep until *count is 0 or timeout_ms have passed on the jiffies clock
 * (a sleep lasts at least a tick, so counting sleeps does not measure time).
 * Returns what is left.
 */
static inline int execfix_wait_for_zero(atomic_t *count,
					unsigned int timeout_ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);

	while (atomic_read(count) && time_before(jiffies, deadline))
		schedule_timeout_uninterruptible(1);
	return atomic_read(count);
}

#endif

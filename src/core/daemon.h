/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * daemon.h - the simulated kernel threads: work that runs when simulated
 * time passes, not when a caller asks (kcompactd now; kswapd, kpromoted
 * and friends with the subsystems that bring them).
 *
 * Map: sim->daemons[] holds one struct hn_daemon per thread, in the order
 * they were registered.  Each has the simulated time it next runs at
 * (HN_DAEMON_ASLEEP: only when woken).  hn_sim_advance() moves the clock;
 * every daemon whose time has come runs, earliest first (ties in
 * registration order), with the clock set to its due time, and sets its
 * own next time before it returns.  A wake-up from inside the simulation
 * (wakeup_kcompactd()) makes a daemon due at once: it runs at the next
 * advance, as a woken kernel thread runs at the next schedule, never in
 * the middle of the allocation that woke it.
 *
 * Invariant: sim->daemon_next_ns == min over daemons of next_ns.
 *
 * Locking is the caller's.
 */
#ifndef HN_CORE_DAEMON_H
#define HN_CORE_DAEMON_H

#include <stdint.h>

#include "core/mmzone.h"

#define HN_DAEMON_ASLEEP UINT64_MAX

struct hn_daemon {
	char name[24];			/* the kernel thread's name, "kcompactd0" */
	uint64_t next_ns;		/* when it runs next, or HN_DAEMON_ASLEEP */
	void (*run)(struct hn_sim *sim, struct hn_daemon *d);
	void *arg;
	uint64_t runs;			/* how often it ran */
};

/* Add a daemon; its index (>= 0) or -ENOMEM.  It starts asleep. */
int hn_daemon_register(struct hn_sim *sim, const char *name,
		       void (*run)(struct hn_sim *sim, struct hn_daemon *d), void *arg);
/* Make daemon @i due no later than @at_ns (a wake-up, or a sleep's timeout). */
void hn_daemon_schedule(struct hn_sim *sim, int i, uint64_t at_ns);
void hn_daemons_free(struct hn_sim *sim);

#endif /* HN_CORE_DAEMON_H */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * daemon.c - simulated kernel threads and the passing of simulated time
 * (daemon.h has the rules).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <hnuma/sim.h>

#include "core/daemon.h"

static void recompute_next(struct hn_sim *sim)
{
	uint64_t next = HN_DAEMON_ASLEEP;

	for (unsigned int i = 0; i < sim->nr_daemons; i++)
		if (sim->daemons[i].next_ns < next)
			next = sim->daemons[i].next_ns;
	sim->daemon_next_ns = next;
}

int hn_daemon_register(struct hn_sim *sim, const char *name,
		       void (*run)(struct hn_sim *sim, struct hn_daemon *d), void *arg)
{
	struct hn_daemon *n = hn_sim_realloc(sim, sim->daemons,
					     (sim->nr_daemons + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	sim->daemons = n;
	n = &sim->daemons[sim->nr_daemons];
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->next_ns = HN_DAEMON_ASLEEP;
	n->run = run;
	n->arg = arg;
	n->runs = 0;
	if (!sim->nr_daemons)
		sim->daemon_next_ns = HN_DAEMON_ASLEEP;
	return (int)sim->nr_daemons++;
}

void hn_daemon_schedule(struct hn_sim *sim, int i, uint64_t at_ns)
{
	struct hn_daemon *d = &sim->daemons[i];

	if (at_ns < d->next_ns)
		d->next_ns = at_ns;
	if (at_ns < sim->daemon_next_ns)
		sim->daemon_next_ns = at_ns;
}

void hn_daemons_free(struct hn_sim *sim)
{
	free(sim->daemons);
	sim->daemons = NULL;
	sim->nr_daemons = 0;
}

int hn_sim_advance(struct hn_sim *sim, uint64_t ns)
{
	uint64_t until;

	if (!sim)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	until = ns > UINT64_MAX - sim->clock_ns ? UINT64_MAX - 1 : sim->clock_ns + ns;
	while (sim->daemon_next_ns <= until) {
		struct hn_daemon *d = NULL;

		/* the earliest due, the first registered among equals */
		for (unsigned int i = 0; i < sim->nr_daemons; i++)
			if (sim->daemons[i].next_ns == sim->daemon_next_ns) {
				d = &sim->daemons[i];
				break;
			}
		if (!d) {
			recompute_next(sim);	/* a stale minimum: nothing is due */
			continue;
		}
		if (d->next_ns > sim->clock_ns)
			sim->clock_ns = d->next_ns;
		d->next_ns = HN_DAEMON_ASLEEP;
		d->runs++;
		d->run(sim, d);
		recompute_next(sim);
	}
	sim->clock_ns = until;
	return 0;
}

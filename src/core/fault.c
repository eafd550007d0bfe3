/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fault.c - failure sites (lib/fault-inject.c should_fail_ex()), and the
 * instance's host allocator, which is one of them.
 *
 * The order of the tests follows the kernel: fail-nth first (it counts
 * every crossing of every site), then times, interval and probability.
 */
#include <errno.h>
#include <stdlib.h>

#include "core/mmzone.h"

static const char *const site_names[HN_FAULT_NR_SITES] = {
	[HN_FAULT_HOST_ALLOC] = "host_alloc",
	[HN_FAULT_PAGE_ALLOC] = "page_alloc",
	[HN_FAULT_PCP_REFILL] = "pcp_refill",
	[HN_FAULT_MIGRATE_TARGET] = "migrate_target",
	[HN_FAULT_MIGRATE_BUSY] = "migrate_busy",
	[HN_FAULT_MIGRATE_PINNED] = "migrate_pinned",
};

const char *hn_fault_site_name(enum hn_fault_site site)
{
	if ((unsigned int)site >= HN_FAULT_NR_SITES)
		return NULL;
	return site_names[site];
}

static void rearm(struct hn_sim *sim)
{
	sim->faults_armed = sim->fail_nth != 0;
	for (int i = 0; i < HN_FAULT_NR_SITES; i++)
		if (sim->fault[i].attr.probability)
			sim->faults_armed = true;
	hn_fastpath_update(sim);
}

void hn_fault_init(struct hn_sim *sim)
{
	/* A stream of its own: enabling faults must not move the simulation's draws. */
	hn_rng_seed(&sim->fault_rng, sim->cfg.seed ^ 0x6661756c74ULL);
	for (int i = 0; i < HN_FAULT_NR_SITES; i++)
		sim->fault[i].attr = sim->cfg.faults[i];
	sim->fail_nth = sim->cfg.fail_nth;
	rearm(sim);
}

bool hn_should_fail_slow(struct hn_sim *sim, enum hn_fault_site site)
{
	struct hn_fault_site_state *f = &sim->fault[site];

	f->stats.crossings++;
	if (sim->fail_nth) {
		if (--sim->fail_nth == 0) {
			rearm(sim);
			goto fail;
		}
		return false;
	}
	if (!f->attr.probability)
		return false;
	if (f->attr.times && f->failed_times >= f->attr.times)
		return false;
	if (f->attr.interval > 1 && ++f->count % f->attr.interval)
		return false;
	if (f->attr.probability <= hn_rng_below(&sim->fault_rng, 100))
		return false;
	f->failed_times++;
fail:
	f->stats.failures++;
	return true;
}

void *hn_sim_malloc(struct hn_sim *sim, size_t size)
{
	if (hn_should_fail(sim, HN_FAULT_HOST_ALLOC))
		return NULL;
	return malloc(size);
}

void *hn_sim_calloc(struct hn_sim *sim, size_t n, size_t size)
{
	if (hn_should_fail(sim, HN_FAULT_HOST_ALLOC))
		return NULL;
	return calloc(n, size);
}

void *hn_sim_realloc(struct hn_sim *sim, void *ptr, size_t size)
{
	if (hn_should_fail(sim, HN_FAULT_HOST_ALLOC))
		return NULL;
	return realloc(ptr, size);
}

int hn_fault_set(struct hn_sim *sim, enum hn_fault_site site, const struct hn_fault_attr *attr)
{
	if (!sim || !attr || (unsigned int)site >= HN_FAULT_NR_SITES || attr->probability > 100)
		return -EINVAL;
	sim->fault[site].attr = *attr;
	sim->fault[site].count = 0;
	sim->fault[site].failed_times = 0;
	rearm(sim);
	return 0;
}

int hn_fault_set_fail_nth(struct hn_sim *sim, uint64_t nth)
{
	if (!sim)
		return -EINVAL;
	sim->fail_nth = nth;
	rearm(sim);
	return 0;
}

int hn_fault_stats(const struct hn_sim *sim, enum hn_fault_site site, struct hn_fault_stats *out)
{
	if (!sim || !out || (unsigned int)site >= HN_FAULT_NR_SITES)
		return -EINVAL;
	*out = sim->fault[site].stats;
	return 0;
}

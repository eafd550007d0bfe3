/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hnuma/fault.h - fault injection, in the vocabulary of the kernel's
 * lib/fault-inject.c and Documentation/fault-injection.
 *
 * A failure site is a point where the simulation asks "should this fail?"
 * before doing something that can fail for real.  Each site has its own
 * attributes (probability, interval, times, min_order); one instance-wide
 * fail-nth counter fails exactly the Nth crossing of any site, as the
 * kernel's /proc/<pid>/fail-nth does for a task.  Decisions draw from a
 * PRNG seeded from the instance seed, apart from the simulation's own, so
 * a run with faults replays exactly and turning faults on does not change
 * the simulation's other random draws.
 *
 * What a failure does at each site:
 *   HN_FAULT_HOST_ALLOC   a host allocation of the instance (boot tables,
 *                         per-CPU lists, zonelists, memblock arrays, the
 *                         machine copy) fails: the operation returns -ENOMEM
 *                         and leaves the instance as it was
 *   HN_FAULT_PAGE_ALLOC   should_fail_alloc_page(): __alloc_pages() fails at
 *                         once (-ENOSPC), without the slow path; requests
 *                         below min_order and __GFP_NOFAIL ones are exempt
 *   HN_FAULT_PCP_REFILL   rmqueue_bulk() brings nothing: the request falls
 *                         through to the buddy lists as when the pcp list
 *                         cannot be refilled
 *   HN_FAULT_MIGRATE_TARGET  migration's new-page function finds no page:
 *                         migrate_pages() stops with -ENOMEM, as when the
 *                         target node is full
 *   HN_FAULT_MIGRATE_BUSY the page to move is locked by someone else
 *                         (folio_trylock() fails): -EAGAIN, retried by the
 *                         next pass
 *   HN_FAULT_MIGRATE_PINNED  the page to move has a reference migration did
 *                         not expect (a transient get_user_pages() pin):
 *                         folio_migrate_mapping() says -EAGAIN
 */
#ifndef HNUMA_FAULT_H
#define HNUMA_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include <hnuma/export.h>

HN_BEGIN_DECLS

struct hn_sim;

enum hn_fault_site {
	HN_FAULT_HOST_ALLOC,
	HN_FAULT_PAGE_ALLOC,
	HN_FAULT_PCP_REFILL,
	HN_FAULT_MIGRATE_TARGET,
	HN_FAULT_MIGRATE_BUSY,
	HN_FAULT_MIGRATE_PINNED,
	HN_FAULT_NR_SITES,
};

/*
 * The attributes of one site.  All zero means "never fails" (apart from
 * fail-nth).  Unlike the kernel, where times == -1 is "no limit", times == 0
 * is "no limit" here so that a zeroed structure with only a probability set
 * does what it says.
 */
struct hn_fault_attr {
	unsigned int probability;	/* percent, 0..100 */
	unsigned int interval;		/* consider only every interval-th crossing; 0/1: all */
	uint64_t times;			/* failures left; 0: no limit */
	unsigned int min_order;		/* page sites: requests of smaller order never fail */
	bool ignore_gfp_reclaim;	/* HN_FAULT_PAGE_ALLOC: exempt __GFP_DIRECT_RECLAIM requests */
};

struct hn_fault_stats {
	uint64_t crossings;		/* times the site was asked */
	uint64_t failures;		/* times it said yes */
};

/*
 * Set a site's attributes (also resets its interval counter).
 * Returns 0, or -EINVAL for a NULL argument, an unknown site or a
 * probability above 100.
 */
HN_EXPORT int hn_fault_set(struct hn_sim *sim, enum hn_fault_site site,
			   const struct hn_fault_attr *attr);

/*
 * Fail exactly the @nth crossing (1-based) of any site from now on, once;
 * 0 switches it off.  Returns 0 or -EINVAL (NULL sim).
 */
HN_EXPORT int hn_fault_set_fail_nth(struct hn_sim *sim, uint64_t nth);

/* 0, or -EINVAL for NULL arguments or an unknown site. */
HN_EXPORT int hn_fault_stats(const struct hn_sim *sim, enum hn_fault_site site,
			     struct hn_fault_stats *out);

/* The site's name ("host_alloc", "page_alloc", "pcp_refill", "migrate_target", ...), or NULL. */
HN_EXPORT const char *hn_fault_site_name(enum hn_fault_site site);

HN_END_DECLS

#endif /* HNUMA_FAULT_H */

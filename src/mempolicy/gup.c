/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * gup.c - pinning a task's pages (mm/gup.c: pin_user_pages(),
 * __gup_longterm_locked(), check_and_migrate_movable_folios(),
 * unpin_user_pages()).
 *
 * A pin is a reference the pinner holds for DMA: the page cannot be
 * migrated (try_to_migrate() refuses it, rmap.c) and outlives its mapping.
 * A long-term pin first moves its pages out of ZONE_MOVABLE, whose whole
 * point is to stay movable, as the kernel does (MR_LONGTERM_PIN); pins
 * hold a reference and a pincount each, the kernel's FOLL_PIN counting
 * without GUP_PIN_COUNTING_BIAS.
 */
#include <errno.h>

#include <hnuma/migrate.h>

#include "core/page.h"
#include "mempolicy/mm.h"
#include "mempolicy/mpol.h"
#include "zonelist/zonelist.h"

#define LONGTERM_RETRIES 3	/* passes of check_and_migrate before -EBUSY */

/* The pfn mapped at @addr after faulting it in, or HN_PFN_NONE with *@err. */
static uint64_t fault_in(struct hn_task *t, uint64_t addr, bool write, int *err)
{
	uint64_t pfn;
	unsigned int flags;

	/* a pin needs a page of its own: the zero page is unshared by a write fault */
	*err = hn_task_touch(t, addr, true);
	if (*err)
		return HN_PFN_NONE;
	if (!write)
		*err = hn_task_touch(t, addr, false);
	if (!*err)
		*err = hn_task_pte(t, addr, &pfn, &flags);
	return *err ? HN_PFN_NONE : pfn;
}

/* folio_is_longterm_pinnable(): not in ZONE_MOVABLE, not in an isolated pageblock. */
static bool longterm_pinnable(const struct hn_sim *sim, uint64_t pfn)
{
	const struct hn_zone *zone = hn_pfn_zone(sim, pfn);

	return zone->idx != HN_ZONE_MOVABLE &&
	       !is_migrate_isolate(get_pageblock_migratetype(zone->zone_pgdat, pfn));
}

/*
 * check_and_migrate_movable_folios(): the pages of @pfns that may not be
 * pinned long-term move elsewhere on their node.  0: all pinnable now;
 * 1: some moved (fault them in again); -EBUSY: some could not move.
 */
static int migrate_longterm_unpinnable(struct hn_task *t, const uint64_t *pfns, unsigned long nr)
{
	struct migration_target_control mtc = {
		.nid = HN_NUMA_NO_NODE,
		.gfp_mask = GFP_USER | __GFP_NOWARN,
		.reason = HN_MR_LONGTERM_PIN,
	};
	struct hn_sim *sim = t->sim;
	struct hn_folio_list list;
	int ret = 0;

	hn_folio_list_init(&list, sim);
	for (unsigned long i = 0; i < nr; i++) {
		struct hn_pglist_data *pgdat;
		struct hn_page *page;

		if (longterm_pinnable(sim, pfns[i]))
			continue;
		pgdat = pfn_pgdat(sim, pfns[i]);
		page = pfn_to_page(pgdat, pfns[i]);
		if (!(page->flags & PG_lru) || (page->flags & PG_locked) ||
		    hn_folio_list_add(&list, pfns[i])) {
			ret = -EBUSY;
			break;
		}
		page->flags &= ~(uint32_t)PG_lru;
		page_ext_of(pgdat, pfns[i])->refcount++;
		__mod_node_page_state(pgdat, NR_ISOLATED_ANON, 1);
	}
	if (!hn_folio_list_empty(&list)) {
		int failed = -EOPNOTSUPP;

		if (!ret && sim->migrate_ops)
			failed = sim->migrate_ops->migrate_pages(sim, &list,
								 sim->migrate_ops->alloc_migration_target,
								 NULL, (unsigned long)&mtc,
								 HN_MIGRATE_SYNC, HN_MR_LONGTERM_PIN, NULL);
		if (!hn_folio_list_empty(&list)) {
			if (sim->migrate_ops)
				sim->migrate_ops->putback_movable_pages(sim, &list);
		}
		if (failed)
			ret = -EBUSY;
		else if (!ret)
			ret = 1;
	}
	hn_folio_list_free(&list);
	return ret;
}

static void pin_one(struct hn_sim *sim, uint64_t pfn)
{
	struct hn_pglist_data *pgdat = pfn_pgdat(sim, pfn);
	struct hn_page_ext *ext = page_ext_of(pgdat, pfn);

	ext->refcount++;
	ext->pincount++;
	__mod_node_page_state(pgdat, NR_FOLL_PIN_ACQUIRED, 1);
}

int hn_pin_user_pages(struct hn_task *t, uint64_t start, unsigned long nr, unsigned int flags,
		      uint64_t *pfns)
{
	unsigned long i;
	int err = 0;

	if (!t || !pfns || !nr || (start & (t->sim->page_size - 1)) ||
	    (flags & ~(unsigned int)(HN_FOLL_WRITE | HN_FOLL_LONGTERM)))
		return -EINVAL;
	if (nr > (UINT64_MAX - start) >> t->sim->page_shift)
		return -EINVAL;
	for (int pass = 0;; pass++) {
		for (i = 0; i < nr; i++) {
			pfns[i] = fault_in(t, start + (i << t->sim->page_shift), flags & HN_FOLL_WRITE,
					   &err);
			if (err)
				return err == -EAGAIN ? -EBUSY : err;
		}
		if (!(flags & HN_FOLL_LONGTERM))
			break;
		err = migrate_longterm_unpinnable(t, pfns, nr);
		if (err < 0)
			return err;
		if (!err)
			break;
		if (pass == LONGTERM_RETRIES)
			return -EBUSY;
	}
	for (i = 0; i < nr; i++)
		pin_one(t->sim, pfns[i]);
	return 0;
}

int hn_unpin_user_pages(struct hn_sim *sim, const uint64_t *pfns, unsigned long nr)
{
	if (!sim || (!pfns && nr))
		return -EINVAL;
	/* check them all first: a bad one leaves every pin in place */
	for (unsigned long i = 0; i < nr; i++) {
		struct hn_page *page = hn_folio(sim, pfns[i]);

		if (!page || !(page->flags & PG_anon) ||
		    !page_ext_of(pfn_pgdat(sim, pfns[i]), pfns[i])->pincount)
			return -EINVAL;
	}
	for (unsigned long i = 0; i < nr; i++) {
		struct hn_pglist_data *pgdat = pfn_pgdat(sim, pfns[i]);

		/* a page listed twice runs out of pins on its second visit */
		if (!page_ext_of(pgdat, pfns[i])->pincount)
			return -EINVAL;
		page_ext_of(pgdat, pfns[i])->pincount--;
		__mod_node_page_state(pgdat, NR_FOLL_PIN_RELEASED, 1);
		hn_folio_put(sim, pfns[i]);
	}
	return 0;
}

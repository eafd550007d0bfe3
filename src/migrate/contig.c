/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * contig.c - making a given range free by moving what is in it
 * (mm/page_alloc.c: alloc_contig_range(), __alloc_contig_migrate_range(),
 * alloc_contig_pages(), free_contig_range(); mm/memory_hotplug.c:
 * offline_pages(), do_migrate_range()).
 *
 * Both isolate the range's pageblocks first (MIGRATE_ISOLATE: the
 * allocator stops handing out their free pages), migrate every page in
 * use somewhere else, and check that the whole range is free.  A contig
 * allocation then takes the free pages for its caller; offlining leaves
 * them free for the hotplug code to take away.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "migrate/migrate.h"
#include "util/util.h"
#include "zonelist/zonelist.h"

#define CONTIG_TRIES 5		/* __alloc_contig_migrate_range()'s limit per batch */

/* start_isolate_page_range(): every pageblock of [start, end); undone on failure. */
static int isolate_pageblocks(struct hn_sim *sim, struct hn_zone *zone, uint64_t start,
			      uint64_t end)
{
	uint64_t nr = sim->pageblock_nr_pages;
	uint64_t first = start & ~(nr - 1), pfn;
	int ret = 0;

	hn_drain_all_zone_pages(sim, zone);
	for (pfn = first; pfn < end; pfn += nr) {
		ret = hn_set_migratetype_isolate(zone, pfn);
		if (ret)
			break;
	}
	if (ret)
		for (uint64_t p = first; p < pfn; p += nr)
			hn_unset_migratetype_isolate(zone, p, HN_MIGRATE_MOVABLE);
	return ret;
}

static void undo_isolate_pageblocks(struct hn_sim *sim, struct hn_zone *zone, uint64_t start,
				    uint64_t end)
{
	uint64_t nr = sim->pageblock_nr_pages;

	for (uint64_t pfn = start & ~(nr - 1); pfn < end; pfn += nr)
		hn_unset_migratetype_isolate(zone, pfn, HN_MIGRATE_MOVABLE);
}

/* test_pages_isolated(): [start, end) is isolated and free, block by block. */
static bool pages_isolated(struct hn_sim *sim, struct hn_zone *zone, uint64_t start, uint64_t end)
{
	const struct hn_pglist_data *pgdat = zone->zone_pgdat;

	for (uint64_t pfn = start; pfn < end;) {
		int order;

		if (!is_migrate_isolate(get_pageblock_migratetype(pgdat, pfn)))
			return false;
		order = hn_buddy_order_at(pgdat, pfn);
		if (order < 0)
			return false;
		pfn += 1ULL << order;
	}
	return true;
}

/*
 * __alloc_contig_migrate_range(): isolate what can move in [start, end) a
 * batch at a time and migrate it out with @mtc; a batch that will not go
 * after CONTIG_TRIES attempts is -EBUSY.
 */
static int migrate_range(struct hn_sim *sim, struct compact_control *cc, uint64_t start,
			 uint64_t end, struct migration_target_control *mtc)
{
	uint64_t pfn = start;
	unsigned int tries = 0;
	int ret = 0;

	while (pfn < end || cc->migratepages.nr) {
		if (!cc->migratepages.nr) {
			cc->nr_migratepages = 0;
			ret = hn_isolate_migratepages_range(sim, cc, pfn, end);
			if (ret && ret != -EAGAIN)
				break;
			pfn = cc->migrate_pfn;
			tries = 0;
			/* nothing isolated and nothing left to scan: done */
			if (!cc->migratepages.nr && pfn >= end)
				break;
		} else if (++tries == CONTIG_TRIES) {
			ret = -EBUSY;
			break;
		}
		ret = hn_migrate_folios(sim, &cc->migratepages, hn_alloc_migration_target, NULL,
					(unsigned long)mtc, cc->mode, mtc->reason, NULL);
		if (ret == -ENOMEM)
			break;
	}
	if (ret < 0)
		hn_putback_movable_pages(sim, &cc->migratepages);
	return ret < 0 ? ret : 0;
}

/* The zone of [start, end), or NULL when the range is not wholly inside one. */
static struct hn_zone *range_zone(const struct hn_sim *sim, uint64_t start, uint64_t end)
{
	struct hn_zone *zone;

	if (start >= end || end > sim->max_pfn)
		return NULL;
	zone = hn_pfn_zone(sim, start);
	if (!zone || !managed_zone(zone) || end > hn_zone_run_end(zone, start) ||
	    hn_pfn_zone(sim, end - 1) != zone)
		return NULL;
	return zone;
}

/* split_free_pages(): the isolated free blocks become order-0 allocated pages. */
static void split_free_pages(struct hn_sim *sim, struct compact_control *cc, int mt)
{
	for (unsigned int o = 0; o < sim->nr_page_orders; o++) {
		for (uint32_t i = 0; i < cc->freepages[o].nr; i++) {
			uint64_t head = cc->freepages[o].pfn[i];
			struct hn_pglist_data *pgdat = pfn_pgdat(sim, head);

			for (uint64_t p = head; p < head + (1ULL << o); p++) {
				struct hn_page *page = pfn_to_page(pgdat, p);

				page->flags = PG_allocated;
				page->private = (uint32_t)mt << 8;
			}
		}
		cc->freepages[o].nr = 0;
	}
	cc->nr_freepages = 0;
}

/* free_contig_range() of pages the caller does not get: [start, end), order-0 each. */
static void free_pages_range(struct hn_sim *sim, uint64_t start, uint64_t end)
{
	for (uint64_t p = start; p < end; p++)
		hn_free_pages(sim, p, 0);
}

/* A compact_control for isolating and emptying a range of @zone, as alloc_contig_range() sets it up. */
static void contig_control_init(struct hn_sim *sim, struct compact_control *cc, struct hn_zone *zone,
				hn_gfp_t gfp_mask)
{
	hn_compact_control_init(cc, sim);
	cc->order = -1;
	cc->zone = zone;
	cc->mode = HN_MIGRATE_SYNC;
	cc->ignore_skip_hint = true;
	cc->no_set_skip_hint = true;
	cc->alloc_contig = true;
	cc->gfp_mask = gfp_mask;
}

static int alloc_contig_range_locked(struct hn_sim *sim, struct hn_zone *zone, uint64_t start,
				     uint64_t end, hn_gfp_t gfp)
{
	struct migration_target_control mtc = {
		.nid = zone_to_nid(zone),
		.reason = HN_MR_CONTIG_RANGE,
	};
	struct compact_control cc;
	uint64_t outer_start, outer_end;
	int ret;

	/* __alloc_contig_verify_gfp_mask(): the reclaim bits, plus movable targets elsewhere */
	contig_control_init(sim, &cc, zone, (gfp & (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_NOWARN)) |
						    __GFP_HARDWALL | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL);
	mtc.gfp_mask = cc.gfp_mask;
	ret = isolate_pageblocks(sim, zone, start, end);
	if (ret)
		goto out;
	ret = migrate_range(sim, &cc, start, end, &mtc);
	if (ret && ret != -EBUSY)
		goto done;
	/* pages freed by migration may wait on per-CPU lists: they must be counted free */
	hn_drain_all_zone_pages(sim, zone);
	outer_start = hn_find_large_buddy(zone->zone_pgdat, start);
	if (!pages_isolated(sim, zone, outer_start, end)) {
		ret = -EBUSY;
		goto done;
	}
	outer_end = hn_isolate_freepages_range(sim, &cc, outer_start, end);
	if (!outer_end) {
		ret = -EBUSY;
		goto done;
	}
	ret = 0;
	if (!(gfp & __GFP_COMP)) {
		split_free_pages(sim, &cc, gfp_migratetype(sim, gfp));
		free_pages_range(sim, outer_start, start);
		free_pages_range(sim, end, outer_end);
	} else if (start == outer_start && end == outer_end && !((end - start) & (end - start - 1))) {
		/* one compound page: the free blocks' heads become its tail pages */
		for (unsigned int o = 0; o < sim->nr_page_orders; o++) {
			for (uint32_t i = 0; i < cc.freepages[o].nr; i++) {
				struct hn_page *p = pfn_to_page(zone->zone_pgdat, cc.freepages[o].pfn[i]);

				p->flags = 0;
				p->private = 0;
			}
			cc.freepages[o].nr = 0;
		}
		cc.nr_freepages = 0;
		pfn_to_page(zone->zone_pgdat, start)->flags = PG_allocated;
		pfn_to_page(zone->zone_pgdat, start)->private =
			hn_ilog2(end - start) | (uint32_t)gfp_migratetype(sim, gfp) << 8;
	} else {
		hn_release_free_list(sim, &cc);
		ret = -EINVAL;
	}
done:
	undo_isolate_pageblocks(sim, zone, start, end);
out:
	hn_compact_control_fini(&cc);
	return ret;
}

static int check_contig_gfp(const struct hn_sim *sim, hn_gfp_t gfp)
{
	if (gfp & ~(__GFP_BITS_MASK))
		return -EINVAL;
	return hn_gfp_zone(gfp) < 0 ? -EINVAL : 0;
}

int hn_alloc_contig_range(struct hn_sim *sim, uint64_t start, uint64_t end, hn_gfp_t gfp)
{
	struct hn_zone *zone;
	int ret;

	if (!sim)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	zone = range_zone(sim, start, end);
	if (!zone || check_contig_gfp(sim, gfp))
		return -EINVAL;
	ret = alloc_contig_range_locked(sim, zone, start, end, gfp);
	if (!ret && hn_debug_check_migrate(sim))
		return -EUCLEAN;
	return ret;
}

/* pfn_range_valid_contig(): [start, start + nr) is memory of @zone, none of it reserved. */
static bool pfn_range_valid_contig(const struct hn_sim *sim, const struct hn_zone *zone,
				   uint64_t start, uint64_t nr)
{
	const struct hn_pglist_data *pgdat = zone->zone_pgdat;

	for (uint64_t p = start; p < start + nr; p++) {
		if (pfn_to_nid(sim, p) < 0 || hn_pfn_zone(sim, p) != zone ||
		    (pfn_to_page(pgdat, p)->flags & PG_reserved))
			return false;
	}
	return true;
}

int hn_alloc_contig_pages(struct hn_sim *sim, uint64_t nr, hn_gfp_t gfp, int nid,
			  const struct hn_nodemask *nodemask, uint64_t *out)
{
	struct hn_zonelist *zl;
	struct hn_zoneref *z;
	struct hn_zone *zone;
	uint64_t align;

	if (!sim || !out || !nr || check_contig_gfp(sim, gfp))
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	if (nid != HN_NUMA_NO_NODE && (nid < 0 || nid >= sim->nr_node_ids))
		return -EINVAL;
	if (nid == HN_NUMA_NO_NODE)
		nid = sim->cur_nid;
	if (!node_online(sim, nid))
		return -EINVAL;
	/* no zone spans more pages than the machine has */
	if (nr > sim->max_pfn)
		return -ENOMEM;
	align = 1;
	while (align < nr)
		align <<= 1;
	zl = node_zonelist(sim, nid, gfp);
	for_each_zone_zonelist_nodemask(zone, z, zl, hn_gfp_zone(gfp), nodemask) {
		uint64_t pfn = hn_align_up(zone->zone_start_pfn, align);

		while (zone_spans_pfn(zone, pfn + nr - 1)) {
			if (pfn_range_valid_contig(sim, zone, pfn, nr) &&
			    !alloc_contig_range_locked(sim, zone, pfn, pfn + nr, gfp)) {
				*out = pfn;
				return hn_debug_check_migrate(sim);
			}
			pfn += align;
		}
	}
	return -ENOMEM;
}

int hn_free_contig_range(struct hn_sim *sim, uint64_t pfn, uint64_t nr)
{
	const struct hn_page *head;

	if (!sim || !nr || pfn + nr < pfn)
		return -EINVAL;
	head = hn_folio(sim, pfn);
	if (!head)
		return -EINVAL;
	/* a compound allocation goes back whole */
	if (folio_order(head)) {
		if (nr != 1ULL << folio_order(head))
			return -EINVAL;
		return hn_free_pages(sim, pfn, folio_order(head));
	}
	for (uint64_t p = pfn; p < pfn + nr; p++) {
		const struct hn_page *page = hn_folio(sim, p);

		if (!page || page->flags != PG_allocated || folio_order(page))
			return -EINVAL;
	}
	for (uint64_t p = pfn; p < pfn + nr; p++)
		hn_free_pages(sim, p, 0);
	return 0;
}

/*
 * offline_pages() of [start, end) of @zone: isolate it, migrate out what
 * is in use (MR_MEMORY_HOTPLUG), and on success leave it free and isolated
 * for the caller to take away (which then undoes the isolation).  Pages on
 * an attribute node move to memory with the same attribute word, else the
 * closest (hn_alloc_migration_target()), or nowhere.  0, or -EBUSY with the
 * range as it was.
 */
/*
 * The set of @az's parent zone without @az, for allocations while @az is
 * offlined: copies of the other nodes, whose owner is the real attribute
 * zone, in a set of their own.  0 or -ENOMEM.
 */
static int set_without(struct hn_sim *sim, const struct hn_zone *az, struct hn_attr_set *set,
		       struct hn_attr_node **copies)
{
	const struct hn_attr_set *full = az->parent->attrs;
	unsigned int k = 0;

	hn_attr_set_init(set);
	*copies = hn_sim_calloc(sim, full->nr, sizeof(**copies));
	if (!*copies)
		return -ENOMEM;
	for (unsigned int i = 0; i < full->nr; i++) {
		const struct hn_attr_node *n = full->nodes[i];
		struct hn_attr_node *c = &(*copies)[k];

		if (&attr_zone_of(n)->zone == az)
			continue;
		c->mattr = n->mattr;
		c->start_pfn = n->start_pfn;
		c->end_pfn = n->end_pfn;
		c->owner = n->owner;
		if (hn_attr_set_insert(set, c)) {
			hn_attr_set_fini(set);
			free(*copies);
			return -ENOMEM;
		}
		k++;
	}
	return 0;
}

int hn_offline_pages(struct hn_sim *sim, struct hn_zone *zone, uint64_t start, uint64_t end)
{
	struct migration_target_control mtc = {
		.nid = HN_NUMA_NO_NODE,
		.gfp_mask = GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL,
		.reason = HN_MR_MEMORY_HOTPLUG,
	};
	struct hn_attr_node *copies = NULL;
	struct hn_attr_set others;
	struct compact_control cc;
	int ret;

	ret = isolate_pageblocks(sim, zone, start, end);
	if (ret)
		return -EBUSY;
	/* an attribute node's pages go to the zone's other attribute nodes */
	if (zone->parent) {
		if (set_without(sim, zone, &others, &copies)) {
			undo_isolate_pageblocks(sim, zone, start, end);
			return -ENOMEM;
		}
		sim->attr_offline.zone = zone->parent;
		sim->attr_offline.set = &others;
	}
	contig_control_init(sim, &cc, zone, mtc.gfp_mask);
	ret = migrate_range(sim, &cc, start, end, &mtc);
	hn_compact_control_fini(&cc);
	if (zone->parent) {
		sim->attr_offline.zone = NULL;
		sim->attr_offline.set = NULL;
		hn_attr_set_fini(&others);
		free(copies);
	}
	hn_drain_all_zone_pages(sim, zone);
	if (ret || !pages_isolated(sim, zone, start, end)) {
		undo_isolate_pageblocks(sim, zone, start, end);
		return -EBUSY;
	}
	return 0;
}

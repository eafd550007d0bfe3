/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcp.c - per-CPU page lists (struct per_cpu_pages in mm/page_alloc.c).
 *
 * Each CPU keeps, per zone, small lists of free blocks of orders 0..3 and
 * of the pageblock (THP) order, so most allocations and frees never touch
 * the buddy lists.  A list is refilled in batches (rmqueue_bulk) when empty
 * and trimmed in batches (free_pcppages_bulk) when the CPU holds more than
 * pcp->high pages.  high moves between high_min and high_max: allocations
 * without frees grow the refill batch (alloc_factor), frees without
 * allocations grow the free batch (free_count), as in 6.12.
 *
 * The simulated CPU is sim->cur_cpu.  A zone with no CPUs to serve it
 * (nr_cpu_ids == 0) has no pcp lists; everything goes to the buddy.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "buddy/buddy.h"
#include "util/util.h"

/* The boot pageset: pcp lists effectively disabled until the zone is set up. */
#define BOOT_PAGESET_HIGH 0
#define BOOT_PAGESET_BATCH 1
#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8

static inline unsigned int order_to_pindex(const struct hn_sim *sim, int mt, unsigned int order)
{
	if (order > HN_PAGE_ALLOC_COSTLY_ORDER) {
		(void)sim;
		return HN_NR_LOWORDER_PCP_LISTS + (mt == HN_MIGRATE_MOVABLE);
	}
	return HN_MIGRATE_PCPTYPES * order + (unsigned int)mt;
}

static inline unsigned int pindex_to_order(const struct hn_sim *sim, unsigned int pindex)
{
	if (pindex >= HN_NR_LOWORDER_PCP_LISTS)
		return sim->pageblock_order;
	return pindex / HN_MIGRATE_PCPTYPES;
}

static void per_cpu_pages_init(struct hn_per_cpu_pages *pcp)
{
	*pcp = (struct hn_per_cpu_pages){ 0 };
	for (int i = 0; i < HN_NR_PCP_LISTS; i++)
		pcp->lists[i].head = pcp->lists[i].tail = HN_NIL;
	pcp->high_min = BOOT_PAGESET_HIGH;
	pcp->high_max = BOOT_PAGESET_HIGH;
	pcp->batch = BOOT_PAGESET_BATCH;
}

int hn_pcp_init_zone(struct hn_sim *sim, struct hn_zone *zone)
{
	if (!sim->nr_cpu_ids || (sim->cfg.flags & HN_SIM_NO_PCP))
		return 0;
	zone->per_cpu_pageset = hn_sim_malloc(sim, sim->nr_cpu_ids * sizeof(*zone->per_cpu_pageset));
	if (!zone->per_cpu_pageset)
		return -ENOMEM;
	for (unsigned int cpu = 0; cpu < sim->nr_cpu_ids; cpu++)
		per_cpu_pages_init(&zone->per_cpu_pageset[cpu]);
	return 0;
}

void hn_pcp_free_zone(struct hn_zone *zone)
{
	free(zone->per_cpu_pageset);
	zone->per_cpu_pageset = NULL;
	zone->this_cpu_pcp = NULL;
}

/*
 * zone_batchsize(): about 0.1% of the zone or 1 MiB, whichever is smaller,
 * divided by 4 and rounded to 2^n - 1 (powers of two alias badly in caches
 * when two tasks take alternate batches).
 */
static int zone_batchsize(const struct hn_sim *sim, const struct hn_zone *zone)
{
	uint64_t batch = HN_MIN(zone->managed_pages >> 10, HN_MiB / sim->page_size);

	batch /= 4;
	if (batch < 1)
		batch = 1;
	batch = (1ULL << hn_ilog2(batch + batch / 2)) - 1;
	return (int)batch;
}

/*
 * zone_highsize(): the low watermark (or managed / high_fraction) split
 * across the CPUs of the zone's node (all CPUs for a CPU-less node), and at
 * least four batches.
 */
static int zone_highsize(const struct hn_sim *sim, const struct hn_zone *zone, int batch,
			 int high_fraction)
{
	uint64_t total_pages = high_fraction ? zone->managed_pages / (uint64_t)high_fraction :
					       low_wmark_pages(zone);
	unsigned int nr_split_cpus = zone->zone_pgdat->nr_cpus;

	if (!nr_split_cpus)
		nr_split_cpus = sim->nr_cpu_ids ? sim->nr_cpu_ids : 1;
	return (int)HN_MAX(total_pages / nr_split_cpus, (uint64_t)batch << 2);
}

void hn_zone_pcp_update(struct hn_sim *sim, struct hn_zone *zone)
{
	int batch, high_min, high_max;

	if (!zone->per_cpu_pageset)
		return;
	batch = HN_MAX(1, zone_batchsize(sim, zone));
	high_min = zone_highsize(sim, zone, batch, 0);
	high_max = zone_highsize(sim, zone, batch, MIN_PERCPU_PAGELIST_HIGH_FRACTION);
	for (unsigned int cpu = 0; cpu < sim->nr_cpu_ids; cpu++) {
		struct hn_per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		pcp->batch = batch;
		pcp->high_min = high_min;
		pcp->high_max = high_max;
		pcp->flags |= PCPF_HIGH_UNCLAMPED;
	}
}

/* ---- page state on pcp lists ----------------------------------------- */

static inline void pcp_list_add(struct hn_pglist_data *pgdat, struct hn_free_list *l,
				uint64_t pfn, unsigned int order, bool tail)
{
	struct hn_page *page = pfn_to_page(pgdat, pfn);

	page->flags = (page->flags & ~PG_STATE_MASK) | PG_pcp;
	page->private = order;
	hn_ilist_add(pgdat->mem_map, l, (uint32_t)(pfn - pgdat->node_start_pfn), tail);
}

static inline uint64_t pcp_list_take(struct hn_pglist_data *pgdat, struct hn_free_list *l,
				     bool from_tail)
{
	uint32_t idx = from_tail ? l->tail : l->head;
	struct hn_page *page = &pgdat->mem_map[idx];

	if (from_tail)
		hn_ilist_del(pgdat->mem_map, l, idx);
	else
		hn_ilist_del_head(pgdat->mem_map, l);
	page->flags &= ~PG_pcp;
	page->private = 0;
	return pgdat->node_start_pfn + idx;
}

/* ---- freeing to and from pcp ---------------------------------------- */

/*
 * free_pcppages_bulk(): @count pages back to the buddy, round robin over
 * the lists starting with @pindex, oldest pages (the tail) first.
 */
static void free_pcppages_bulk(struct hn_sim *sim, struct hn_zone *zone, int count,
			       struct hn_per_cpu_pages *pcp, int pindex)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;

	count = HN_MIN(pcp->count, count);
	pindex = pindex - 1;
	while (count > 0) {
		struct hn_free_list *list;
		unsigned int order;
		int nr_pages;

		do {
			if (++pindex > HN_NR_PCP_LISTS - 1)
				pindex = 0;
			list = &pcp->lists[pindex];
		} while (hn_ilist_empty(list));
		order = pindex_to_order(sim, (unsigned int)pindex);
		nr_pages = 1 << order;
		do {
			uint64_t pfn = pcp_list_take(pgdat, list, true);
			int mt = get_pageblock_migratetype(pgdat, pfn);

			count -= nr_pages;
			pcp->count -= nr_pages;
			hn_free_one_page_locked(zone, pfn, order, mt, FPI_NONE);
			if (hn_tracing(sim)) {
				struct hn_trace_event ev = {
					.id = HN_TRACE_MM_PAGE_PCPU_DRAIN,
					.nid = pgdat->node_id,
					.zone = (int)zone->idx,
					.pfn = pfn,
					.order = order,
					.migratetype = mt,
				};

				hn_trace_emit(sim, &ev);
			}
		} while (count > 0 && !hn_ilist_empty(list));
	}
}

static int nr_pcp_free(struct hn_per_cpu_pages *pcp, int batch, int high, bool free_high)
{
	if (free_high)
		return HN_MIN(pcp->count, batch << HN_PCP_BATCH_SCALE_MAX);
	if (high < batch)
		return 1;
	/* leave at least a batch; free more after a run of frees */
	return HN_CLAMP(pcp->free_count, batch, high - batch);
}

/*
 * nr_pcp_high(): the high limit for this free.  The simulation has no
 * reclaim yet, so ZONE_RECLAIM_ACTIVE is never set; ZONE_BELOW_HIGH is
 * kept by the allocation path exactly as the kernel keeps it.
 */
static int nr_pcp_high(struct hn_per_cpu_pages *pcp, struct hn_zone *zone, int batch,
		       bool free_high)
{
	int high, high_min = pcp->high_min, high_max = pcp->high_max;

	high = pcp->high = HN_CLAMP(pcp->high, high_min, high_max);
	pcp->flags &= ~PCPF_HIGH_UNCLAMPED;
	if (!high)
		return 0;
	if (free_high) {
		pcp->high = HN_MAX(high - (batch << HN_PCP_BATCH_SCALE_MAX), high_min);
		return 0;
	}
	if (zone->flags & ZONE_RECLAIM_ACTIVE) {
		int free_count = HN_MAX(pcp->free_count, batch);

		pcp->high = HN_MAX(high - free_count, high_min);
		return HN_MIN(batch << 2, pcp->high);
	}
	if (high_min == high_max)
		return high;
	if (zone->flags & ZONE_BELOW_HIGH) {
		int free_count = HN_MAX(pcp->free_count, batch);

		pcp->high = HN_MAX(high - free_count, high_min);
		high = HN_MAX(pcp->count, high_min);
	} else if (pcp->count >= high) {
		int need_high = pcp->free_count + batch;

		if (pcp->high < need_high)
			pcp->high = HN_CLAMP(need_high, high_min, high_max);
	}
	return high;
}

void hn_free_unref_page(struct hn_sim *sim, struct hn_zone *zone, uint64_t pfn,
			unsigned int order)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	struct hn_per_cpu_pages *pcp;
	int mt = get_pageblock_migratetype(pgdat, pfn);
	int high, batch, pindex;
	bool free_high = false;

	/*
	 * Isolated blocks go straight to the buddy (they are being taken
	 * out); HighAtomic and other types ride on the movable list.
	 */
	if (mt >= HN_MIGRATE_PCPTYPES) {
		if (is_migrate_isolate(mt) || !zone->per_cpu_pageset) {
			hn_free_one_page(zone, pfn, order, FPI_NONE);
			return;
		}
		mt = HN_MIGRATE_MOVABLE;
	}
	if (!zone->per_cpu_pageset) {
		hn_free_one_page(zone, pfn, order, FPI_NONE);
		return;
	}
	pcp = &zone->per_cpu_pageset[sim->cur_cpu];
	pcp->alloc_factor >>= 1;
	__count_vm_events(sim, PGFREE, 1ULL << order);
	pindex = (int)order_to_pindex(sim, mt, order);
	pcp_list_add(pgdat, &pcp->lists[pindex], pfn, order, false);
	pcp->count += 1 << order;

	batch = pcp->batch;
	/*
	 * High-order pages other than THP fragment memory while they sit on
	 * pcp lists: a run of such frees is flushed early.
	 */
	if (order && order <= HN_PAGE_ALLOC_COSTLY_ORDER) {
		free_high = pcp->free_count >= batch && (pcp->flags & PCPF_PREV_FREE_HIGH_ORDER) &&
			    (!(pcp->flags & PCPF_FREE_HIGH_BATCH) || pcp->count >= batch);
		pcp->flags |= PCPF_PREV_FREE_HIGH_ORDER;
	} else if (pcp->flags & PCPF_PREV_FREE_HIGH_ORDER) {
		pcp->flags &= ~PCPF_PREV_FREE_HIGH_ORDER;
	}
	if (pcp->free_count < (batch << HN_PCP_BATCH_SCALE_MAX))
		pcp->free_count += 1 << order;
	high = nr_pcp_high(pcp, zone, batch, free_high);
	if (pcp->count >= high) {
		free_pcppages_bulk(sim, zone, nr_pcp_free(pcp, batch, high, free_high), pcp, pindex);
		if ((zone->flags & ZONE_BELOW_HIGH) &&
		    hn_zone_watermark_ok(zone, 0, high_wmark_pages(zone), HN_ZONE_MOVABLE, 0))
			zone->flags &= ~ZONE_BELOW_HIGH;
	}
}

/* ---- allocating from pcp ----------------------------------------------- */

/*
 * nr_pcp_alloc(): how many blocks a refill takes.  Consecutive order-0
 * refills without frees double the batch, up to 2^PCP_BATCH_SCALE_MAX.
 */
static int nr_pcp_alloc(struct hn_per_cpu_pages *pcp, struct hn_zone *zone, unsigned int order)
{
	int high, base_batch = pcp->batch, batch, max_nr_alloc;
	int high_min = pcp->high_min, high_max = pcp->high_max;

	high = pcp->high = HN_CLAMP(pcp->high, high_min, high_max);
	pcp->flags &= ~PCPF_HIGH_UNCLAMPED;
	if (high < base_batch)
		return 1;
	batch = order ? base_batch : (base_batch << pcp->alloc_factor);
	if (high_min != high_max && !(zone->flags & ZONE_BELOW_HIGH))
		high = pcp->high = HN_MIN(high + batch, high_max);
	if (!order) {
		max_nr_alloc = HN_MAX(high - pcp->count - base_batch, base_batch);
		if (batch <= max_nr_alloc && pcp->alloc_factor < HN_PCP_BATCH_SCALE_MAX)
			pcp->alloc_factor++;
		batch = HN_MIN(batch, max_nr_alloc);
	}
	if (batch > 1)
		batch = HN_MAX(batch >> order, 2);
	return batch;
}

uint64_t hn_rmqueue_pcplist(struct hn_sim *sim, struct hn_zone *zone, unsigned int order, int mt,
			    unsigned int alloc_flags)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	struct hn_per_cpu_pages *pcp;
	struct hn_free_list *list;

	if (!zone->per_cpu_pageset)
		return HN_PFN_NONE;
	pcp = &zone->per_cpu_pageset[sim->cur_cpu];
	pcp->free_count >>= 1;
	list = &pcp->lists[order_to_pindex(sim, mt, order)];
	if (hn_ilist_empty(list)) {
		int batch = nr_pcp_alloc(pcp, zone, order), mode = 0, i;

		/* a failed refill leaves the list empty: the buddy serves instead */
		if (hn_should_fail(sim, HN_FAULT_PCP_REFILL))
			batch = 0;
		/*
		 * rmqueue_bulk(): split blocks arrive in physical order; each
		 * goes to the tail so the list hands them out in that order.
		 */
		for (i = 0; i < batch; i++) {
			uint64_t pfn = hn_rmqueue(zone, order, mt, alloc_flags, &mode);

			if (pfn == HN_PFN_NONE)
				break;
			pcp_list_add(pgdat, list, pfn, order, true);
		}
		pcp->count += i << order;
		if (hn_ilist_empty(list))
			return HN_PFN_NONE;
	}
	pcp->count -= 1 << order;
	return pcp_list_take(pgdat, list, false);
}

/* ---- draining ------------------------------------------------------------ */

void hn_drain_pages_zone(struct hn_sim *sim, unsigned int cpu, struct hn_zone *zone)
{
	struct hn_per_cpu_pages *pcp;

	if (!zone->per_cpu_pageset)
		return;
	pcp = &zone->per_cpu_pageset[cpu];
	while (pcp->count) {
		int to_drain = HN_MIN(pcp->count, pcp->batch << HN_PCP_BATCH_SCALE_MAX);

		free_pcppages_bulk(sim, zone, to_drain, pcp, 0);
	}
}

void hn_drain_all_zone_pages(struct hn_sim *sim, struct hn_zone *zone)
{
	for (unsigned int cpu = 0; cpu < sim->nr_cpu_ids; cpu++)
		hn_drain_pages_zone(sim, cpu, zone);
}

/* ---- checks ------------------------------------------------------------- */

int hn_check_pcp(struct hn_sim *sim, struct hn_zone *zone, uint64_t *pcp_pages)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	uint64_t total = 0;
	int bad = 0;

	*pcp_pages = 0;
	if (!zone->per_cpu_pageset)
		return 0;
	for (unsigned int cpu = 0; cpu < sim->nr_cpu_ids; cpu++) {
		struct hn_per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		uint64_t pages = 0;

		for (unsigned int pindex = 0; pindex < HN_NR_PCP_LISTS; pindex++) {
			unsigned int order = pindex_to_order(sim, pindex);
			uint32_t prev = HN_NIL, idx = pcp->lists[pindex].head;
			uint64_t n = 0;

			while (idx != HN_NIL) {
				const struct hn_page *page = &pgdat->mem_map[idx];
				uint64_t pfn = pgdat->node_start_pfn + idx;

				if (page->prev != prev || ++n > zone->spanned_pages) {
					hn_report(sim, "pcp list corrupted", "free_pcppages_bulk",
						  pgdat->node_id, (int)zone->idx, pfn, order,
						  "cpu %u list %u", cpu, pindex);
					return -EUCLEAN;
				}
				if ((page->flags & PG_STATE_MASK) != PG_pcp || page->private != order ||
				    !zone_spans_pfn(zone, pfn) || (pfn & ((1ULL << order) - 1))) {
					hn_report(sim, "bad page on pcp list", "free_unref_page",
						  pgdat->node_id, (int)zone->idx, pfn, order,
						  "cpu %u list %u flags %#x private %u", cpu, pindex,
						  page->flags, page->private);
					bad = 1;
				}
				pages += 1ULL << order;
				prev = idx;
				idx = page->next;
			}
			if (pcp->lists[pindex].tail != prev) {
				hn_report(sim, "pcp list corrupted", "free_pcppages_bulk", pgdat->node_id,
					  (int)zone->idx, UINT64_MAX, order, "cpu %u list %u tail", cpu,
					  pindex);
				return -EUCLEAN;
			}
		}
		if (!(pcp->flags & PCPF_HIGH_UNCLAMPED) &&
		    (pcp->high < pcp->high_min || pcp->high > pcp->high_max)) {
			hn_report(sim, "pcp high out of range", "free_unref_page", pgdat->node_id,
				  (int)zone->idx, UINT64_MAX, 0, "cpu %u high %d outside [%d, %d]", cpu,
				  pcp->high, pcp->high_min, pcp->high_max);
			bad = 1;
		}
		if (pages != (uint64_t)pcp->count) {
			hn_report(sim, "pcp count mismatch", "free_unref_page", pgdat->node_id,
				  (int)zone->idx, UINT64_MAX, 0,
				  "cpu %u count %d, lists hold %" PRIu64, cpu, pcp->count, pages);
			bad = 1;
		}
		total += pages;
	}
	*pcp_pages = total;
	return bad ? -EUCLEAN : 0;
}

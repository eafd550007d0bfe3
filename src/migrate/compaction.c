/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * compaction.c - memory compaction (mm/compaction.c of Linux 6.12).
 *
 * Compaction makes large free blocks out of scattered ones: a migrate
 * scanner walks a zone upwards from its start isolating pages that can
 * move, a free scanner walks downwards from its end isolating free pages,
 * and the first are migrated into the second until the two meet or a free
 * block of the wanted order exists.  Pageblock skip hints remember blocks
 * where isolation found nothing; deferral skips compaction at an order
 * that failed recently; kcompactd does the same in the background, woken
 * by allocations or every 500 ms for proactive compaction.
 *
 * Map, kernel name -> here (the names are the kernel's; hn_ where shared):
 *   compact_zone(), compact_zone_order(), try_to_compact_pages()
 *   isolate_migratepages(), isolate_migratepages_block()
 *   isolate_freepages(), isolate_freepages_block()
 *   compaction_alloc(), compaction_free(), release_free_list()
 *   compaction_suitable(), __compaction_suitable(),
 *   compaction_suit_allocation_order(), compaction_zonelist_suitable()
 *   compact_finished(), __compact_finished()
 *   defer_compaction(), compaction_deferred(), compaction_defer_reset(),
 *   compaction_restarting()
 *   get/set/clear_pageblock_skip(), __reset_isolation_suitable(),
 *   test_and_set_skip(), update_pageblock_skip(), update_cached_migrate()
 *   fragmentation_score_zone/_node(), should_proactive_compact_node()
 *   kcompactd(), kcompactd_do_work(), wakeup_kcompactd(), compact_node()
 *
 * What is left out (docs/faithfulness.md): fast_isolate_freepages() and
 * fast_find_migrateblock(), the free-list searches that let the scanners
 * jump ahead (the linear scanners they shortcut are here); page capture
 * (capture_control); lock contention, which a single-threaded simulation
 * does not have; hugetlb and THP pages, which do not exist.
 *
 * Hierarchical NUMA: an attribute node is a zone of its own (mmzone.h), so
 * compacting it keeps both scanners inside its range and its free lists;
 * compacting an ordinary zone skips the attribute ranges inside it (their
 * pageblocks belong to another zone).  Direct compaction for a request
 * with attributes compacts the attribute node the request is matched to
 * in each zone (the slides: compact_control carries the attributes and
 * zone_to_area_mattr() finds the free area).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "core/daemon.h"
#include "core/vmstat.h"
#include "migrate/migrate.h"
#include "util/util.h"
#include "zonelist/zonelist.h"

#define COMPACT_CLUSTER_MAX 32		/* SWAP_CLUSTER_MAX */
#define COMPACT_MAX_DEFER_SHIFT 6
#define HPAGE_FRAG_CHECK_INTERVAL_NS (500ULL * 1000 * 1000)

/* isolate_mode_t */
#define ISOLATE_ASYNC_MIGRATE 0x4u
#define ISOLATE_UNEVICTABLE 0x8u

static inline bool is_via_compact_memory(int order)
{
	return order == -1;
}

/* compact_gap(): what migration needs free beyond the watermark. */
static inline uint64_t compact_gap(int order)
{
	return 2ULL << order;
}

static inline uint64_t pageblock_start_pfn(const struct hn_sim *sim, uint64_t pfn)
{
	return pfn & ~(sim->pageblock_nr_pages - 1);
}

static inline uint64_t pageblock_end_pfn(const struct hn_sim *sim, uint64_t pfn)
{
	return pageblock_start_pfn(sim, pfn) + sim->pageblock_nr_pages;
}

static inline bool pageblock_aligned(const struct hn_sim *sim, uint64_t pfn)
{
	return !(pfn & (sim->pageblock_nr_pages - 1));
}

/* The end of the @order-aligned block holding @pfn (block_end_pfn()). */
static inline uint64_t block_end_pfn(uint64_t pfn, int order)
{
	return (pfn | ((1ULL << order) - 1)) + 1;
}

/* ---- tracing --------------------------------------------------------------- */

static void trace_zone_event(struct hn_sim *sim, enum hn_trace_event_id id, const struct hn_zone *zone,
			     int order, int status)
{
	struct hn_trace_event ev = {
		.id = id,
		.nid = zone_to_nid(zone),
		.zone = (int)zone->idx,
		.order = (unsigned int)order,
		.status = status,
		.order_failed = zone->compact_order_failed,
		.considered = zone->compact_considered,
		.defer_shift = zone->compact_defer_shift,
	};

	if (hn_tracing(sim))
		hn_trace_emit(sim, &ev);
}

static void trace_isolate(struct hn_sim *sim, enum hn_trace_event_id id, uint64_t start,
			  uint64_t end, uint64_t scanned, uint64_t taken)
{
	struct hn_trace_event ev = {
		.id = id,
		.start_pfn = start,
		.end_pfn = end,
		.nr_scanned = scanned,
		.nr_taken = taken,
	};

	if (hn_tracing(sim))
		hn_trace_emit(sim, &ev);
}

static void trace_compaction_range(struct hn_sim *sim, enum hn_trace_event_id id,
				   const struct compact_control *cc, uint64_t start, uint64_t end,
				   int status)
{
	struct hn_trace_event ev = {
		.id = id,
		.nid = zone_to_nid(cc->zone),
		.zone = (int)cc->zone->idx,
		.zone_start = start,
		.zone_end = end,
		.migrate_pfn = cc->migrate_pfn,
		.free_pfn = cc->free_pfn,
		.sync = cc->mode != HN_MIGRATE_ASYNC,
		.status = status,
	};

	if (hn_tracing(sim))
		hn_trace_emit(sim, &ev);
}

/* ---- deferral -------------------------------------------------------------- */

/* defer_compaction(): skip the next 1 << compact_defer_shift attempts at @order or above. */
static void defer_compaction(struct hn_sim *sim, struct hn_zone *zone, int order)
{
	zone->compact_considered = 0;
	zone->compact_defer_shift++;
	if (order < zone->compact_order_failed)
		zone->compact_order_failed = order;
	if (zone->compact_defer_shift > COMPACT_MAX_DEFER_SHIFT)
		zone->compact_defer_shift = COMPACT_MAX_DEFER_SHIFT;
	trace_zone_event(sim, HN_TRACE_MM_COMPACTION_DEFER_COMPACTION, zone, order, 0);
}

/* compaction_deferred(): true when this attempt is one of the skipped ones. */
static bool compaction_deferred(struct hn_sim *sim, struct hn_zone *zone, int order)
{
	unsigned long defer_limit = 1UL << zone->compact_defer_shift;

	if (order < zone->compact_order_failed)
		return false;
	if (++zone->compact_considered >= defer_limit) {
		zone->compact_considered = (unsigned int)defer_limit;
		return false;
	}
	trace_zone_event(sim, HN_TRACE_MM_COMPACTION_DEFERRED, zone, order, 0);
	return true;
}

void hn_compaction_defer_reset(void *ctx, struct hn_zone *zone, unsigned int order,
			       bool alloc_success)
{
	(void)ctx;
	if (alloc_success) {
		zone->compact_considered = 0;
		zone->compact_defer_shift = 0;
	}
	if ((int)order >= zone->compact_order_failed)
		zone->compact_order_failed = (int)order + 1;
	trace_zone_event(zone->zone_pgdat->sim, HN_TRACE_MM_COMPACTION_DEFER_RESET, zone,
			 (int)order, 0);
}

/* compaction_restarting(): deferred to the limit, and the limit reached. */
static bool compaction_restarting(const struct hn_zone *zone, int order)
{
	if (order < zone->compact_order_failed)
		return false;
	return zone->compact_defer_shift == COMPACT_MAX_DEFER_SHIFT &&
	       zone->compact_considered >= 1UL << zone->compact_defer_shift;
}

/* ---- pageblock skip hints --------------------------------------------------- */

static uint8_t *skip_byte(const struct hn_zone *zone, uint64_t pfn)
{
	const struct hn_pglist_data *pgdat = zone->zone_pgdat;
	unsigned int pbo = pgdat->sim->pageblock_order;

	return &pgdat->pageblock_skip[(pfn >> pbo) - (pgdat->node_start_pfn >> pbo)];
}

static bool get_pageblock_skip(const struct hn_zone *zone, uint64_t pfn)
{
	return *skip_byte(zone, pfn);
}

static void set_pageblock_skip(const struct hn_zone *zone, uint64_t pfn)
{
	*skip_byte(zone, pfn) = 1;
}

static void clear_pageblock_skip(const struct hn_zone *zone, uint64_t pfn)
{
	*skip_byte(zone, pfn) = 0;
}

static bool isolation_suitable(const struct compact_control *cc, uint64_t pfn)
{
	return cc->ignore_skip_hint || !get_pageblock_skip(cc->zone, pfn);
}

static void reset_cached_positions(struct hn_zone *zone)
{
	const struct hn_sim *sim = zone->zone_pgdat->sim;

	zone->compact_cached_migrate_pfn[0] = zone->zone_start_pfn;
	zone->compact_cached_migrate_pfn[1] = zone->zone_start_pfn;
	zone->compact_cached_free_pfn = pageblock_start_pfn(sim, zone_end_pfn(zone) - 1);
}

/* A page of the zone's own: valid memory whose zone is @zone (attribute ranges are not). */
static bool pfn_in_zone(const struct hn_sim *sim, const struct hn_zone *zone, uint64_t pfn)
{
	return zone_spans_pfn(zone, pfn) && pfn_to_nid(sim, pfn) >= 0 &&
	       hn_pfn_zone(sim, pfn) == zone;
}

/* The head of a live block of order >= pageblock order at @pfn: compound_order() of a head. */
static int allocated_order(const struct hn_pglist_data *pgdat, uint64_t pfn)
{
	const struct hn_page *page = pfn_to_page(pgdat, pfn);

	return (page->flags & PG_allocated) ? (int)(page->private & 0xff) : -1;
}

/* pageblock_skip_persistent(): a block that is one large allocation stays skipped. */
static bool pageblock_skip_persistent(const struct hn_zone *zone, uint64_t pfn)
{
	return allocated_order(zone->zone_pgdat, pfn) >= (int)zone->zone_pgdat->sim->pageblock_order;
}

/*
 * __reset_isolation_pfn(): clear the skip hint of @pfn's pageblock when a
 * sample of it shows an anonymous page (a migration source) or a free
 * block (a target), every 1 << PAGE_ALLOC_COSTLY_ORDER pages.
 */
static bool reset_isolation_pfn(struct hn_zone *zone, uint64_t pfn, bool check_source,
				bool check_target)
{
	const struct hn_pglist_data *pgdat = zone->zone_pgdat;
	const struct hn_sim *sim = pgdat->sim;
	uint64_t start, end;

	if (!pfn_in_zone(sim, zone, pfn) || pageblock_skip_persistent(zone, pfn))
		return false;
	if (check_source && check_target && !get_pageblock_skip(zone, pfn))
		return true;
	if (!check_source && check_target &&
	    get_pageblock_migratetype(pgdat, pfn) != HN_MIGRATE_MOVABLE)
		return false;
	start = HN_MAX(pageblock_start_pfn(sim, pfn), zone->zone_start_pfn);
	end = HN_MIN(pageblock_end_pfn(sim, pfn), zone_end_pfn(zone)) - 1;
	if (!pfn_in_zone(sim, zone, end) || !pfn_in_zone(sim, zone, start))
		return false;
	for (uint64_t p = start; p <= end; p += 1u << HN_PAGE_ALLOC_COSTLY_ORDER) {
		const struct hn_page *page = pfn_to_page(pgdat, p);

		if ((check_source && (page->flags & PG_lru)) ||
		    (check_target && hn_buddy_order_at(pgdat, p) >= 0)) {
			clear_pageblock_skip(zone, p);
			return true;
		}
	}
	return false;
}

/*
 * __reset_isolation_suitable(): after a full compaction the skip hints
 * are stale; walk the zone from both ends, clearing the hints of blocks
 * worth scanning again and moving the cached scanner positions to the
 * first such blocks.
 */
static void reset_isolation_suitable_zone(struct hn_zone *zone)
{
	const struct hn_sim *sim = zone->zone_pgdat->sim;
	uint64_t migrate_pfn = zone->zone_start_pfn, free_pfn = zone_end_pfn(zone) - 1;
	uint64_t reset_migrate = free_pfn, reset_free = migrate_pfn;
	bool source_set = false, free_set = false;

	if (!zone->compact_blockskip_flush)
		return;
	zone->compact_blockskip_flush = false;
	for (; migrate_pfn < free_pfn && free_pfn >= sim->pageblock_nr_pages;
	     migrate_pfn += sim->pageblock_nr_pages, free_pfn -= sim->pageblock_nr_pages) {
		if (reset_isolation_pfn(zone, migrate_pfn, true, source_set) &&
		    migrate_pfn < reset_migrate) {
			source_set = true;
			reset_migrate = migrate_pfn;
			zone->compact_init_migrate_pfn = reset_migrate;
			zone->compact_cached_migrate_pfn[0] = reset_migrate;
			zone->compact_cached_migrate_pfn[1] = reset_migrate;
		}
		if (reset_isolation_pfn(zone, free_pfn, free_set, true) && free_pfn > reset_free) {
			free_set = true;
			reset_free = free_pfn;
			zone->compact_init_free_pfn = reset_free;
			zone->compact_cached_free_pfn = reset_free;
		}
	}
	if (reset_migrate >= reset_free) {
		zone->compact_cached_migrate_pfn[0] = migrate_pfn;
		zone->compact_cached_migrate_pfn[1] = migrate_pfn;
		zone->compact_cached_free_pfn = free_pfn;
	}
}

/* test_and_set_skip(): whether the hint was set; set it if not (and allowed). */
static bool test_and_set_skip(struct compact_control *cc, uint64_t pfn)
{
	bool skip;

	if (cc->ignore_skip_hint)
		return false;
	skip = get_pageblock_skip(cc->zone, pfn);
	if (!skip && !cc->no_set_skip_hint)
		set_pageblock_skip(cc->zone, pfn);
	return skip;
}

static void update_cached_migrate(struct compact_control *cc, uint64_t pfn)
{
	struct hn_zone *zone = cc->zone;

	if (cc->no_set_skip_hint)
		return;
	pfn = pageblock_end_pfn(zone->zone_pgdat->sim, pfn);
	if (pfn > zone->compact_cached_migrate_pfn[0])
		zone->compact_cached_migrate_pfn[0] = pfn;
	if (cc->mode != HN_MIGRATE_ASYNC && pfn > zone->compact_cached_migrate_pfn[1])
		zone->compact_cached_migrate_pfn[1] = pfn;
}

static void update_pageblock_skip(struct compact_control *cc, uint64_t block_pfn, uint64_t pfn)
{
	struct hn_zone *zone = cc->zone;

	if (cc->no_set_skip_hint)
		return;
	set_pageblock_skip(zone, block_pfn);
	if (pfn < zone->compact_cached_free_pfn)
		zone->compact_cached_free_pfn = pfn;
}

/*
 * pageblock_pfn_to_page(): whether [start, end) is memory of the zone
 * throughout, judged by its ends (a block has no holes in between: a
 * hole is a whole section).
 */
static bool pageblock_in_zone(const struct hn_sim *sim, const struct hn_zone *zone, uint64_t start,
			      uint64_t end)
{
	return start < end && pfn_in_zone(sim, zone, start) && pfn_in_zone(sim, zone, end - 1);
}

/* ---- the free scanner -------------------------------------------------------- */

void hn_compact_control_init(struct compact_control *cc, struct hn_sim *sim)
{
	memset(cc, 0, sizeof(*cc));
	for (unsigned int o = 0; o < HN_MAX_ORDER_LIMIT + 1; o++)
		hn_folio_list_init(&cc->freepages[o], sim);
	hn_folio_list_init(&cc->migratepages, sim);
}

void hn_compact_control_fini(struct compact_control *cc)
{
	for (unsigned int o = 0; o < HN_MAX_ORDER_LIMIT + 1; o++)
		hn_folio_list_free(&cc->freepages[o]);
	hn_folio_list_free(&cc->migratepages);
}

/*
 * isolate_freepages_block(): the free blocks of [*start, end), every
 * @stride pages, onto cc->freepages by order; stops when enough are taken
 * (unless @strict: then every page must be free, and the first that is
 * not ends it with 0).  *@start returns where it stopped.
 */
static uint64_t isolate_freepages_block(struct hn_sim *sim, struct compact_control *cc,
					uint64_t *start, uint64_t end, unsigned int stride,
					bool strict)
{
	struct hn_pglist_data *pgdat = cc->zone->zone_pgdat;
	uint64_t nr_scanned = 0, total = 0, pfn = *start;

	if (strict)
		stride = 1;
	for (; pfn < end; pfn += stride) {
		int order;
		uint64_t isolated;

		nr_scanned++;
		/* a large allocation is skipped at once */
		order = allocated_order(pgdat, pfn);
		if (order > 0) {
			if ((unsigned int)order <= sim->max_page_order && pfn + (1ULL << order) <= end) {
				pfn += (1ULL << order) - 1;
				nr_scanned += (1ULL << order) - 1;
			}
			goto isolate_fail;
		}
		order = hn_buddy_order_at(pgdat, pfn);
		if (order < 0)
			goto isolate_fail;
		isolated = hn_isolate_free_page(cc->zone, pfn, (unsigned int)order);
		if (!isolated)
			break;
		if (hn_folio_list_add(&cc->freepages[order], pfn)) {
			/* no host memory to keep it: give it back, stop */
			hn_free_pages(sim, pfn, (unsigned int)order);
			break;
		}
		nr_scanned += isolated - 1;
		total += isolated;
		cc->nr_freepages += (unsigned int)isolated;
		if (!strict && cc->nr_migratepages <= cc->nr_freepages) {
			pfn += isolated;
			break;
		}
		pfn += isolated - 1;
		continue;
isolate_fail:
		if (strict)
			break;
	}
	if (pfn > end)
		pfn = end;
	trace_isolate(sim, HN_TRACE_MM_COMPACTION_ISOLATE_FREEPAGES, *start, pfn, nr_scanned, total);
	*start = pfn;
	if (strict && pfn < end)
		total = 0;
	cc->total_free_scanned += nr_scanned;
	if (total)
		__count_vm_events(sim, COMPACTISOLATED, total);
	return total;
}

/*
 * isolate_freepages_range(): every page of [start, end) must be free; each
 * free block is isolated onto cc->freepages.  The end of what was
 * isolated (a free block may reach past @end), or 0 with nothing kept.
 */
uint64_t hn_isolate_freepages_range(struct hn_sim *sim, struct compact_control *cc,
				    uint64_t start, uint64_t end)
{
	uint64_t pfn = start, isolated = 0;
	uint64_t block_start = HN_MAX(pageblock_start_pfn(sim, pfn), cc->zone->zone_start_pfn);
	uint64_t block_end = pageblock_end_pfn(sim, pfn);

	for (; pfn < end;
	     pfn += isolated, block_start = block_end, block_end += sim->pageblock_nr_pages) {
		uint64_t isolate_start = pfn;

		/* a free block larger than a pageblock took us past this one */
		if (pfn >= block_end) {
			block_start = pageblock_start_pfn(sim, pfn);
			block_end = pageblock_end_pfn(sim, pfn);
		}
		block_end = HN_MIN(block_end, end);
		if (!pageblock_in_zone(sim, cc->zone, block_start, block_end))
			break;
		isolated = isolate_freepages_block(sim, cc, &isolate_start, block_end, 1, true);
		if (!isolated)
			break;
	}
	if (pfn < end) {
		hn_release_free_list(sim, cc);
		return 0;
	}
	return pfn;
}

static bool suitable_migration_target(const struct compact_control *cc, uint64_t pfn)
{
	const struct hn_pglist_data *pgdat = cc->zone->zone_pgdat;
	int order = hn_buddy_order_at(pgdat, pfn);

	/* a large free block already: leave it as it is */
	if (order >= 0 && order >= (cc->order > 0 ? cc->order : (int)pgdat->sim->pageblock_order))
		return false;
	if (cc->ignore_block_suitable)
		return true;
	return get_pageblock_migratetype(pgdat, pfn) == HN_MIGRATE_MOVABLE;
}

/*
 * isolate_freepages(): from where the free scanner stopped, pageblock by
 * pageblock downwards, until as many free pages as pages to migrate are
 * isolated or the scanner reaches the migrate scanner's block.  The
 * stride grows while blocks yield nothing, in async mode.
 */
static void isolate_freepages(struct hn_sim *sim, struct compact_control *cc)
{
	struct hn_zone *zone = cc->zone;
	uint64_t nr = sim->pageblock_nr_pages;
	uint64_t isolate_start = cc->free_pfn;
	uint64_t block_start = pageblock_start_pfn(sim, isolate_start);
	uint64_t block_end = HN_MIN(block_start + nr, zone_end_pfn(zone));
	uint64_t low_pfn = pageblock_end_pfn(sim, cc->migrate_pfn);
	unsigned int stride = cc->mode == HN_MIGRATE_ASYNC ? COMPACT_CLUSTER_MAX : 1;

	for (; block_start >= low_pfn;
	     block_end = block_start, block_start -= nr, isolate_start = block_start) {
		uint64_t isolated;

		/* (block_start never goes below low_pfn, itself a block end: no wrap) */
		if (!pageblock_in_zone(sim, zone, block_start, block_end) ||
		    !suitable_migration_target(cc, block_start) ||
		    !isolation_suitable(cc, block_start))
			continue;
		isolated = isolate_freepages_block(sim, cc, &isolate_start, block_end, stride, false);
		if (isolate_start == block_end)
			update_pageblock_skip(cc, block_start, block_start - nr);
		if (cc->nr_freepages >= cc->nr_migratepages) {
			/* restart in the previous block if this one is used up */
			if (isolate_start >= block_end)
				isolate_start = block_start - nr;
			break;
		} else if (isolate_start < block_end) {
			break;	/* isolation failed early: the zone is at its watermark */
		}
		if (isolated)
			stride = 1;
		else
			stride = HN_MIN((unsigned int)COMPACT_CLUSTER_MAX, stride << 1);
	}
	cc->free_pfn = isolate_start;
}

uint64_t hn_compaction_alloc(struct hn_sim *sim, uint64_t src, unsigned long data)
{
	struct compact_control *cc = (struct compact_control *)data;
	unsigned int order = folio_order(hn_folio(sim, src)), start_order;
	bool has_isolated_pages = false;
	struct hn_pglist_data *pgdat;
	uint64_t pfn;

again:
	for (start_order = order; start_order < sim->nr_page_orders; start_order++)
		if (!hn_folio_list_empty(&cc->freepages[start_order]))
			break;
	if (start_order == sim->nr_page_orders) {
		if (has_isolated_pages)
			return HN_PFN_NONE;
		isolate_freepages(sim, cc);
		has_isolated_pages = true;
		goto again;
	}
	pfn = cc->freepages[start_order].pfn[0];
	hn_folio_list_del(&cc->freepages[start_order], 0);
	pgdat = cc->zone->zone_pgdat;
	/* split down to @order; the upper halves go back on the lists */
	while (start_order > order) {
		uint64_t half;
		struct hn_page *hp;

		start_order--;
		half = pfn + (1ULL << start_order);
		hp = pfn_to_page(pgdat, half);
		hp->flags = PG_allocated;
		hp->private = start_order | (uint32_t)HN_MIGRATE_MOVABLE << 8;
		/* room was there for the whole block: cannot fail for want of more */
		if (hn_folio_list_add(&cc->freepages[start_order], half)) {
			hn_free_pages(sim, half, start_order);
			cc->nr_freepages -= 1u << start_order;
		}
	}
	pfn_to_page(pgdat, pfn)->private = order | (uint32_t)HN_MIGRATE_MOVABLE << 8;
	cc->nr_freepages -= 1u << order;
	cc->nr_migratepages -= 1u << order;
	return pfn;
}

void hn_compaction_free(struct hn_sim *sim, uint64_t dst, unsigned long data)
{
	struct compact_control *cc = (struct compact_control *)data;
	unsigned int order = folio_order(hn_folio(sim, dst));

	if (hn_folio_list_add(&cc->freepages[order], dst))
		hn_free_pages(sim, dst, order);	/* no room to keep it: to the buddy */
	else
		cc->nr_freepages += 1u << order;
	cc->nr_migratepages += 1u << order;
}

uint64_t hn_release_free_list(struct hn_sim *sim, struct compact_control *cc)
{
	uint64_t high = 0;

	for (unsigned int o = 0; o < sim->nr_page_orders; o++) {
		for (uint32_t i = 0; i < cc->freepages[o].nr; i++) {
			uint64_t pfn = cc->freepages[o].pfn[i];

			hn_free_pages(sim, pfn, o);
			if (pfn > high)
				high = pfn;
		}
		cc->freepages[o].nr = 0;
	}
	cc->nr_freepages = 0;
	return high;
}

/* ---- the migrate scanner ------------------------------------------------------- */

/*
 * too_many_isolated(): more pages isolated on the node than half its LRU
 * (all mapped anonymous pages are on it: nr_anon_pages), an eighth with
 * __GFP_FS.
 */
static bool too_many_isolated(const struct compact_control *cc)
{
	const struct hn_pglist_data *pgdat = cc->zone->zone_pgdat;
	int64_t lru = pgdat->vm_stat[NR_ANON_MAPPED] + pgdat->vm_stat[NR_ISOLATED_ANON];
	int64_t isolated = pgdat->vm_stat[NR_ISOLATED_ANON];

	if (cc->gfp_mask & __GFP_FS)
		lru >>= 3;
	return isolated > lru / 2;
}

static bool skip_isolation_on_order(const struct hn_sim *sim, int order, int target_order)
{
	if (!is_via_compact_memory(target_order) && order >= target_order)
		return true;
	return order >= (int)sim->pageblock_order;
}

/*
 * isolate_migratepages_block(): the pages of [low, end) that can move onto
 * cc->migratepages, COMPACT_CLUSTER_MAX at a time unless the block is to
 * be scanned to its end.  Anonymous pages on the LRU leave it (unless
 * pinned: they could not move); non-LRU movable pages go through their
 * owner; free blocks and large allocations are stepped over.  Returns 0 or
 * -EAGAIN (too many pages isolated already).
 */
static int isolate_migratepages_block(struct hn_sim *sim, struct compact_control *cc, uint64_t low_pfn,
				      uint64_t end_pfn, unsigned int mode)
{
	struct hn_pglist_data *pgdat = cc->zone->zone_pgdat;
	uint64_t nr_scanned = 0, nr_isolated = 0, start_pfn = low_pfn, next_skip_pfn = 0;
	bool skip_on_failure = false, skip_updated = false, valid = false;
	uint64_t valid_pfn = 0;

	cc->migrate_pfn = low_pfn;
	if (too_many_isolated(cc))
		return -EAGAIN;
	if (cc->direct_compaction && cc->mode == HN_MIGRATE_ASYNC) {
		skip_on_failure = true;
		next_skip_pfn = block_end_pfn(low_pfn, cc->order);
	}
	for (; low_pfn < end_pfn; low_pfn++) {
		struct hn_page *page;
		struct hn_page_ext *ext;
		int order;

		if (skip_on_failure && low_pfn >= next_skip_pfn) {
			/* the previous order-aligned block is isolated whole: migrate it */
			if (nr_isolated)
				break;
			next_skip_pfn = block_end_pfn(low_pfn, cc->order);
		}
		nr_scanned++;
		page = pfn_to_page(pgdat, low_pfn);
		if (!valid && (pageblock_aligned(sim, low_pfn) || low_pfn == cc->zone->zone_start_pfn)) {
			if (!isolation_suitable(cc, low_pfn)) {
				low_pfn = end_pfn;
				goto isolate_abort;
			}
			valid = true;
			valid_pfn = low_pfn;
		}
		/* a free block: step over it */
		order = hn_buddy_order_at(pgdat, low_pfn);
		if (order >= 0) {
			if (order > 0 && (unsigned int)order <= sim->max_page_order) {
				low_pfn += (1ULL << order) - 1;
				nr_scanned += (1ULL << order) - 1;
			}
			continue;
		}
		if (!(page->flags & PG_allocated))
			goto isolate_fail;
		order = (int)folio_order(page);
		if (order > 0 && !cc->alloc_contig && skip_isolation_on_order(sim, order, cc->order)) {
			if ((unsigned int)order <= sim->max_page_order) {
				low_pfn += (1ULL << order) - 1;
				nr_scanned += (1ULL << order) - 1;
			}
			goto isolate_fail;
		}
		if (!(page->flags & PG_lru)) {
			/* a non-LRU movable page goes through its owner */
			if ((page->flags & PG_movable) && !(page->flags & PG_isolated) &&
			    hn_folio_list_add(&cc->migratepages, low_pfn) == 0) {
				if (hn_isolate_movable_page(sim, low_pfn, cc->mode))
					goto isolate_success;
				cc->migratepages.nr--;
			}
			goto isolate_fail;
		}
		ext = page_ext_of(pgdat, low_pfn);
		/* a pinned page cannot move: not worth isolating */
		if (ext->refcount > ext->mapcount)
			goto isolate_fail;
		if (!skip_updated && valid) {
			skip_updated = true;
			if (test_and_set_skip(cc, valid_pfn) && !cc->finish_pageblock) {
				low_pfn = end_pfn;
				goto isolate_abort;
			}
		}
		if (hn_folio_list_add(&cc->migratepages, low_pfn))
			goto isolate_fail;
		hn_folio_isolate_lru(sim, low_pfn);
isolate_success:
		cc->nr_migratepages++;
		nr_isolated++;
		/* enough for one migration, unless the block is to be finished */
		if (cc->nr_migratepages >= COMPACT_CLUSTER_MAX && !cc->finish_pageblock &&
		    !cc->contended) {
			low_pfn++;
			break;
		}
		continue;
isolate_fail:
		if (!skip_on_failure)
			continue;
		/*
		 * async direct compaction: one page of this order-aligned block
		 * cannot move, so the block cannot become free; give back what
		 * it isolated and move to the next block
		 */
		if (nr_isolated) {
			hn_putback_movable_pages(sim, &cc->migratepages);
			cc->nr_migratepages = 0;
			nr_isolated = 0;
		}
		if (low_pfn < next_skip_pfn) {
			low_pfn = next_skip_pfn - 1;
			next_skip_pfn += 1ULL << cc->order;
		}
	}
	if (low_pfn > end_pfn)
		low_pfn = end_pfn;
isolate_abort:
	/* a block scanned to its end with nothing isolated (or twice) is skipped from now on */
	if (low_pfn == end_pfn && (!nr_isolated || cc->finish_pageblock)) {
		if (!cc->no_set_skip_hint && valid && !skip_updated)
			set_pageblock_skip(cc->zone, valid_pfn);
		update_cached_migrate(cc, low_pfn);
	}
	trace_isolate(sim, HN_TRACE_MM_COMPACTION_ISOLATE_MIGRATEPAGES, start_pfn, low_pfn, nr_scanned,
		      nr_isolated);
	cc->total_migrate_scanned += nr_scanned;
	if (nr_isolated)
		__count_vm_events(sim, COMPACTISOLATED, nr_isolated);
	cc->migrate_pfn = low_pfn;
	return 0;
}

int hn_isolate_migratepages_range(struct hn_sim *sim, struct compact_control *cc, uint64_t start,
				  uint64_t end)
{
	uint64_t pfn = start, block_start = pageblock_start_pfn(sim, pfn);
	uint64_t block_end = pageblock_end_pfn(sim, pfn);
	int ret = 0;

	if (block_start < cc->zone->zone_start_pfn)
		block_start = cc->zone->zone_start_pfn;
	for (; pfn < end;
	     pfn = block_end, block_start = block_end, block_end += sim->pageblock_nr_pages) {
		block_end = HN_MIN(block_end, end);
		if (!pageblock_in_zone(sim, cc->zone, block_start, block_end))
			continue;
		ret = isolate_migratepages_block(sim, cc, pfn, block_end, ISOLATE_UNEVICTABLE);
		if (ret)
			break;
		if (cc->nr_migratepages >= COMPACT_CLUSTER_MAX)
			break;
	}
	return ret;
}

static bool suitable_migration_source(const struct compact_control *cc, uint64_t pfn)
{
	int block_mt;

	if (pageblock_skip_persistent(cc->zone, pfn))
		return false;
	if (cc->mode != HN_MIGRATE_ASYNC || !cc->direct_compaction)
		return true;
	block_mt = get_pageblock_migratetype(cc->zone->zone_pgdat, pfn);
	if (cc->migratetype == HN_MIGRATE_MOVABLE)
		return block_mt == HN_MIGRATE_MOVABLE;
	return block_mt == cc->migratetype;
}

enum isolate_migrate {
	ISOLATE_ABORT,
	ISOLATE_NONE,
	ISOLATE_SUCCESS,
};

/*
 * isolate_migratepages(): from where the migrate scanner stopped, the
 * first suitable pageblock below the free scanner is isolated from.
 */
static enum isolate_migrate isolate_migratepages(struct hn_sim *sim, struct compact_control *cc)
{
	unsigned int mode = (sim->compact_unevictable_allowed ? ISOLATE_UNEVICTABLE : 0) |
			    (cc->mode != HN_MIGRATE_SYNC ? ISOLATE_ASYNC_MIGRATE : 0);
	uint64_t low_pfn = cc->migrate_pfn;
	uint64_t block_start = pageblock_start_pfn(sim, low_pfn);
	uint64_t block_end = pageblock_end_pfn(sim, low_pfn);

	if (block_start < cc->zone->zone_start_pfn)
		block_start = cc->zone->zone_start_pfn;
	for (; block_end <= cc->free_pfn;
	     cc->migrate_pfn = low_pfn = block_end, block_start = block_end,
	     block_end += sim->pageblock_nr_pages) {
		if (!pageblock_in_zone(sim, cc->zone, block_start, block_end))
			continue;
		if ((pageblock_aligned(sim, low_pfn) || low_pfn == cc->zone->zone_start_pfn) &&
		    !isolation_suitable(cc, block_start))
			continue;
		if (!suitable_migration_source(cc, block_start)) {
			update_cached_migrate(cc, block_end);
			continue;
		}
		if (isolate_migratepages_block(sim, cc, low_pfn, block_end, mode))
			return ISOLATE_ABORT;
		break;
	}
	return cc->nr_migratepages ? ISOLATE_SUCCESS : ISOLATE_NONE;
}

/* ---- fragmentation scores ---------------------------------------------------------- */

/* extfrag_for_order(): the share of free memory in blocks below @order, 0..100. */
static unsigned int extfrag_for_order(const struct hn_sim *sim, const struct hn_zone *zone,
				      unsigned int order)
{
	struct hn_contig_page_info info;

	hn_fill_contig_page_info(sim, zone, order, &info);
	if (!info.free_pages)
		return 0;
	return (unsigned int)((info.free_pages - (info.free_blocks_suitable << order)) * 100 /
			      info.free_pages);
}

/* fragmentation_score_zone(): external fragmentation for the PMD order. */
static unsigned int fragmentation_score_zone(const struct hn_zone *zone)
{
	const struct hn_sim *sim = zone->zone_pgdat->sim;

	return extfrag_for_order(sim, zone, sim->pageblock_order);
}

static unsigned int fragmentation_score_zone_weighted(const struct hn_zone *zone)
{
	uint64_t score = zone->present_pages * fragmentation_score_zone(zone);

	return (unsigned int)(score / (zone->zone_pgdat->node_present_pages + 1));
}

/* Every zone compaction works on in @pgdat: the populated zones and their attribute nodes. */
#define for_each_compact_zone(pgdat, zone, z__, a__)                                        \
	for (int z__ = 0; z__ < HN_MAX_NR_ZONES; z__++)                                   \
		for (unsigned int a__ = 0; a__ == 0 || ((pgdat)->node_zones[z__].attrs &&  \
							a__ <= (pgdat)->node_zones[z__].attrs->nr); \
		     a__++)                                                                \
			for (struct hn_zone *zone = a__ ?                                    \
				     &attr_zone_of((pgdat)->node_zones[z__].attrs->nodes[a__ - 1])->zone : \
				     &(pgdat)->node_zones[z__];                                   \
			     zone; zone = NULL)                                              \
				if (populated_zone(zone))

static unsigned int fragmentation_score_node(struct hn_pglist_data *pgdat)
{
	unsigned int score = 0;

	for_each_compact_zone(pgdat, zone, z, a)
		score += fragmentation_score_zone_weighted(zone);
	return score;
}

static unsigned int fragmentation_score_wmark(const struct hn_sim *sim, bool low)
{
	unsigned int wmark_low = HN_MAX(100u - sim->compaction_proactiveness, 5u);

	return low ? wmark_low : HN_MIN(wmark_low + 10, 100u);
}

/* kswapd_is_running(): no kswapd yet (reclaim), so never. */
static bool kswapd_is_running(const struct hn_pglist_data *pgdat)
{
	(void)pgdat;
	return false;
}

static bool should_proactive_compact_node(struct hn_pglist_data *pgdat)
{
	const struct hn_sim *sim = pgdat->sim;

	if (!sim->compaction_proactiveness || kswapd_is_running(pgdat))
		return false;
	return fragmentation_score_node(pgdat) > fragmentation_score_wmark(sim, false);
}

int hn_sim_fragmentation_score(const struct hn_sim *sim, int nid)
{
	if (!sim || nid < 0 || nid >= sim->nr_node_ids)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	if (!NODE_DATA(sim, nid) || !node_online(sim, nid))
		return -ENODEV;
	return (int)fragmentation_score_node(NODE_DATA(sim, nid));
}

/* ---- when compaction runs and when it is done -------------------------------------- */

static bool compact_scanners_met(const struct compact_control *cc)
{
	unsigned int pbo = cc->zone->zone_pgdat->sim->pageblock_order;

	return (cc->free_pfn >> pbo) <= (cc->migrate_pfn >> pbo);
}

static enum hn_compact_result __compact_finished(struct hn_sim *sim, struct compact_control *cc)
{
	enum hn_compact_result ret;

	if (compact_scanners_met(cc)) {
		reset_cached_positions(cc->zone);
		/* kswapd clears the skip hints when it next sleeps */
		if (cc->direct_compaction)
			cc->zone->compact_blockskip_flush = true;
		return cc->whole_zone ? COMPACT_COMPLETE : COMPACT_PARTIAL_SKIPPED;
	}
	if (cc->proactive_compaction) {
		if (kswapd_is_running(cc->zone->zone_pgdat))
			return COMPACT_PARTIAL_SKIPPED;
		ret = fragmentation_score_zone(cc->zone) > fragmentation_score_wmark(sim, true) ?
		      COMPACT_CONTINUE : COMPACT_SUCCESS;
		goto out;
	}
	if (is_via_compact_memory(cc->order))
		return COMPACT_CONTINUE;
	/* always finish a pageblock: fewer fallbacks later */
	if (!pageblock_aligned(sim, cc->migrate_pfn))
		return COMPACT_CONTINUE;
	ret = COMPACT_NO_SUITABLE_PAGE;
	for (unsigned int o = (unsigned int)cc->order; o < sim->nr_page_orders; o++) {
		const struct hn_free_area *area = &cc->zone->free_area[o];
		bool can_steal;

		if (area->free_list[cc->migratetype].head != HN_NIL)
			return COMPACT_SUCCESS;
		if (hn_find_suitable_fallback(sim, area, o, cc->migratetype, true, &can_steal) != -1)
			return COMPACT_SUCCESS;
	}
out:
	if (cc->contended)
		ret = COMPACT_CONTENDED;
	return ret;
}

static enum hn_compact_result compact_finished(struct hn_sim *sim, struct compact_control *cc)
{
	enum hn_compact_result ret = __compact_finished(sim, cc);

	trace_zone_event(sim, HN_TRACE_MM_COMPACTION_FINISHED, cc->zone, cc->order, (int)ret);
	return ret == COMPACT_NO_SUITABLE_PAGE ? COMPACT_CONTINUE : ret;
}

/*
 * __compaction_suitable(): free memory above the watermark (low for
 * costly orders, else min) plus what migration needs, with the lowmem
 * reserve toward @highest_zoneidx.
 */
static bool __compaction_suitable(const struct hn_zone *zone, int order, int highest_zoneidx,
				  int64_t wmark_target)
{
	uint64_t watermark = order > HN_PAGE_ALLOC_COSTLY_ORDER ? low_wmark_pages(zone) :
								min_wmark_pages(zone);

	watermark += compact_gap(order);
	return __zone_watermark_ok(zone, 0, watermark, highest_zoneidx, ALLOC_CMA, wmark_target);
}

/*
 * compaction_suitable(): enough free memory, and for costly orders a
 * failure that fragmentation explains (fragmentation_index() above
 * vm.extfrag_threshold; near 0 the failure is for want of memory).
 */
static bool compaction_suitable(struct hn_sim *sim, struct hn_zone *zone, int order,
				int highest_zoneidx)
{
	enum hn_compact_result result;
	bool suitable = __compaction_suitable(zone, order, highest_zoneidx,
					      zone->vm_stat[NR_FREE_PAGES]);

	if (suitable) {
		result = COMPACT_CONTINUE;
		if (order > HN_PAGE_ALLOC_COSTLY_ORDER) {
			struct hn_contig_page_info info;
			int fragindex;

			hn_fill_contig_page_info(sim, zone, (unsigned int)order, &info);
			fragindex = hn_fragmentation_index((unsigned int)order, &info);
			if (fragindex >= 0 && fragindex <= sim->extfrag_threshold) {
				suitable = false;
				result = COMPACT_NOT_SUITABLE_ZONE;
			}
		}
	} else {
		result = COMPACT_SKIPPED;
	}
	trace_zone_event(sim, HN_TRACE_MM_COMPACTION_SUITABLE, zone, order, (int)result);
	return suitable;
}

/*
 * compaction_suit_allocation_order(): COMPACT_SUCCESS when the allocation
 * would succeed already, COMPACT_SKIPPED when compaction would not help,
 * COMPACT_CONTINUE to compact.
 */
static enum hn_compact_result compaction_suit_allocation_order(struct hn_sim *sim,
								struct hn_zone *zone, int order,
								int highest_zoneidx,
								unsigned int alloc_flags)
{
	uint64_t watermark = zone->_watermark[alloc_flags & ALLOC_WMARK_MASK] + zone->watermark_boost;

	if (hn_zone_watermark_ok(zone, (unsigned int)order, watermark, highest_zoneidx, alloc_flags))
		return COMPACT_SUCCESS;
	if (!compaction_suitable(sim, zone, order, highest_zoneidx))
		return COMPACT_SKIPPED;
	return COMPACT_CONTINUE;
}

/* zone_reclaimable_pages(): no LRU to reclaim from yet. */
static uint64_t zone_reclaimable_pages(const struct hn_zone *zone)
{
	(void)zone;
	return 0;
}

bool hn_compaction_zonelist_suitable(void *ctx, struct hn_sim *sim, unsigned int order,
				     unsigned int alloc_flags, struct hn_zonelist *zonelist,
				     int highest_zoneidx, const struct hn_nodemask *nodemask)
{
	struct hn_zoneref *z;
	struct hn_zone *zone;

	(void)ctx;
	(void)alloc_flags;
	for_each_zone_zonelist_nodemask(zone, z, zonelist, highest_zoneidx, nodemask) {
		int64_t available = (int64_t)(zone_reclaimable_pages(zone) / order) +
				    zone->vm_stat[NR_FREE_PAGES];

		if (__compaction_suitable(zone, (int)order, highest_zoneidx, available))
			return true;
	}
	return false;
}

/* ---- compact_zone ------------------------------------------------------------------ */

enum hn_compact_result hn_compact_zone(struct hn_sim *sim, struct compact_control *cc)
{
	struct hn_zone *zone = cc->zone;
	uint64_t start_pfn = zone->zone_start_pfn, end_pfn = zone_end_pfn(zone);
	uint64_t last_migrated_pfn;
	bool sync = cc->mode != HN_MIGRATE_ASYNC, update_cached;
	enum hn_compact_result ret;

	cc->total_migrate_scanned = 0;
	cc->total_free_scanned = 0;
	cc->nr_migratepages = 0;
	cc->nr_freepages = 0;
	cc->migratetype = gfp_migratetype(sim, cc->gfp_mask);
	if (!is_via_compact_memory(cc->order)) {
		ret = compaction_suit_allocation_order(sim, zone, cc->order, cc->highest_zoneidx,
						       cc->alloc_flags);
		if (ret != COMPACT_CONTINUE)
			return ret;
	}
	/* skip hints go after failures enough to restart from deferral */
	if (compaction_restarting(zone, cc->order))
		reset_isolation_suitable_zone(zone);
	if (cc->whole_zone) {
		cc->migrate_pfn = start_pfn;
		cc->free_pfn = pageblock_start_pfn(sim, end_pfn - 1);
	} else {
		cc->migrate_pfn = zone->compact_cached_migrate_pfn[sync];
		cc->free_pfn = zone->compact_cached_free_pfn;
		if (cc->free_pfn < start_pfn || cc->free_pfn >= end_pfn) {
			cc->free_pfn = pageblock_start_pfn(sim, end_pfn - 1);
			zone->compact_cached_free_pfn = cc->free_pfn;
		}
		if (cc->migrate_pfn < start_pfn || cc->migrate_pfn >= end_pfn) {
			cc->migrate_pfn = start_pfn;
			zone->compact_cached_migrate_pfn[0] = cc->migrate_pfn;
			zone->compact_cached_migrate_pfn[1] = cc->migrate_pfn;
		}
		if (cc->migrate_pfn <= zone->compact_init_migrate_pfn)
			cc->whole_zone = true;
	}
	last_migrated_pfn = 0;
	update_cached = !sync && zone->compact_cached_migrate_pfn[0] == zone->compact_cached_migrate_pfn[1];
	trace_compaction_range(sim, HN_TRACE_MM_COMPACTION_BEGIN, cc, start_pfn, end_pfn, 0);

	while ((ret = compact_finished(sim, cc)) == COMPACT_CONTINUE) {
		uint64_t iteration_start_pfn = cc->migrate_pfn;
		unsigned int nr_succeeded = 0, nr_migratepages;
		int err;

		/* a block scanned twice in a row is finished whole, then skipped */
		cc->finish_pageblock = pageblock_start_pfn(sim, last_migrated_pfn) ==
				       pageblock_start_pfn(sim, iteration_start_pfn);
rescan:
		switch (isolate_migratepages(sim, cc)) {
		case ISOLATE_ABORT:
			ret = COMPACT_CONTENDED;
			hn_putback_movable_pages(sim, &cc->migratepages);
			cc->nr_migratepages = 0;
			goto out;
		case ISOLATE_NONE:
			if (update_cached)
				zone->compact_cached_migrate_pfn[1] = zone->compact_cached_migrate_pfn[0];
			goto check_drain;
		case ISOLATE_SUCCESS:
			update_cached = false;
			last_migrated_pfn = HN_MAX(zone->zone_start_pfn,
						   pageblock_start_pfn(sim, cc->migrate_pfn - 1));
			break;
		}
		nr_migratepages = cc->nr_migratepages;
		err = hn_migrate_folios(sim, &cc->migratepages, hn_compaction_alloc, hn_compaction_free,
					(unsigned long)cc, cc->mode, HN_MR_COMPACTION, &nr_succeeded);
		if (hn_tracing(sim)) {
			struct hn_trace_event ev = {
				.id = HN_TRACE_MM_COMPACTION_MIGRATEPAGES,
				.nr_succeeded = nr_succeeded,
				.nr_failed = nr_migratepages - nr_succeeded,
			};

			hn_trace_emit(sim, &ev);
		}
		cc->nr_migratepages = 0;
		if (err) {
			hn_putback_movable_pages(sim, &cc->migratepages);
			if (err == -ENOMEM && !compact_scanners_met(cc)) {
				ret = COMPACT_CONTENDED;
				goto out;
			}
			/* finish the pageblock where a page failed: it gets skipped next time */
			if (!pageblock_aligned(sim, cc->migrate_pfn) && !cc->ignore_skip_hint &&
			    !cc->finish_pageblock && cc->mode < HN_MIGRATE_SYNC) {
				cc->finish_pageblock = true;
				if (cc->order == (int)sim->pageblock_order)
					last_migrated_pfn = 0;
				goto rescan;
			}
		}
check_drain:
		/*
		 * Past the order-aligned block it migrated from: the pages freed
		 * there wait on this CPU's lists; drain them so they merge and
		 * compact_finished() sees the block.
		 */
		if (cc->order > 0 && last_migrated_pfn) {
			uint64_t current_block_start = cc->migrate_pfn & ~((1ULL << cc->order) - 1);

			if (last_migrated_pfn < current_block_start) {
				hn_drain_pages_zone(sim, sim->cur_cpu, zone);
				last_migrated_pfn = 0;
			}
		}
	}
out:
	if (cc->nr_freepages > 0) {
		uint64_t free_pfn = hn_release_free_list(sim, cc);

		free_pfn = pageblock_start_pfn(sim, free_pfn);
		/* only back, never forward: compact_finished() may have reset it */
		if (free_pfn > zone->compact_cached_free_pfn)
			zone->compact_cached_free_pfn = free_pfn;
	}
	__count_vm_events(sim, COMPACTMIGRATE_SCANNED, cc->total_migrate_scanned);
	__count_vm_events(sim, COMPACTFREE_SCANNED, cc->total_free_scanned);
	trace_compaction_range(sim, HN_TRACE_MM_COMPACTION_END, cc, start_pfn, end_pfn, (int)ret);
	return ret;
}

/* compact_zone_order(): one zone for a direct compaction at priority @prio. */
static enum hn_compact_result compact_zone_order(struct hn_sim *sim, struct hn_zone *zone, int order,
						 hn_gfp_t gfp, enum hn_compact_priority prio,
						 unsigned int alloc_flags, int highest_zoneidx)
{
	struct compact_control cc;
	enum hn_compact_result ret;

	hn_compact_control_init(&cc, sim);
	cc.order = order;
	cc.gfp_mask = gfp;
	cc.zone = zone;
	cc.mode = prio == COMPACT_PRIO_ASYNC ? HN_MIGRATE_ASYNC : HN_MIGRATE_SYNC_LIGHT;
	cc.alloc_flags = alloc_flags;
	cc.highest_zoneidx = highest_zoneidx;
	cc.direct_compaction = true;
	cc.whole_zone = prio == MIN_COMPACT_PRIORITY;
	cc.ignore_skip_hint = prio == MIN_COMPACT_PRIORITY;
	cc.ignore_block_suitable = prio == MIN_COMPACT_PRIORITY;
	ret = hn_compact_zone(sim, &cc);
	hn_compact_control_fini(&cc);
	return ret;
}

/*
 * The zone a request is served from: @zone itself, or for a request with
 * attributes the attribute node of @zone it is matched to (NULL: none).
 */
static struct hn_zone *request_zone(const struct hn_sim *sim, struct hn_zone *zone, hn_gfp_t gfp)
{
	const struct hn_attr_node *n;
	hn_mattr_t want = sim->hnuma ? hn_gfp_to_mattr(gfp) : 0;

	if (!want)
		return zone;
	if (!zone->attrs)
		return NULL;
	n = sim->attr_match->match(zone->attrs, want, sim->attr_weights, NULL);
	return n ? &attr_zone_of(n)->zone : NULL;
}

enum hn_compact_result hn_try_to_compact_pages(void *ctx, struct hn_sim *sim, hn_gfp_t gfp,
					       unsigned int order, unsigned int alloc_flags,
					       struct hn_zonelist *zonelist, int highest_zoneidx,
					       const struct hn_nodemask *nodemask,
					       enum hn_compact_priority prio)
{
	enum hn_compact_result rc = COMPACT_SKIPPED;
	struct hn_zoneref *z;
	struct hn_zone *zone;

	(void)ctx;
	if (hn_tracing(sim)) {
		struct hn_trace_event ev = {
			.id = HN_TRACE_MM_COMPACTION_TRY_TO_COMPACT_PAGES,
			.order = order,
			.gfp = gfp,
			.prio = (int)prio,
		};

		hn_trace_emit(sim, &ev);
	}
	for_each_zone_zonelist_nodemask(zone, z, zonelist, highest_zoneidx, nodemask) {
		struct hn_zone *target = request_zone(sim, zone, gfp);
		enum hn_compact_result status;

		if (!target)
			continue;
		if (prio > MIN_COMPACT_PRIORITY && compaction_deferred(sim, target, (int)order)) {
			rc = HN_MAX(COMPACT_DEFERRED, rc);
			continue;
		}
		status = compact_zone_order(sim, target, (int)order, gfp, prio, alloc_flags,
					    highest_zoneidx);
		rc = HN_MAX(status, rc);
		if (status == COMPACT_SUCCESS) {
			/* likely, not certain: the allocation resets it for good */
			hn_compaction_defer_reset(NULL, target, order, false);
			break;
		}
		if (prio != COMPACT_PRIO_ASYNC &&
		    (status == COMPACT_COMPLETE || status == COMPACT_PARTIAL_SKIPPED))
			defer_compaction(sim, target, (int)order);
	}
	return rc;
}

/* ---- whole nodes -------------------------------------------------------------------- */

/* compact_node(): every zone of the node, sync, skip hints ignored. */
static void compact_node(struct hn_sim *sim, struct hn_pglist_data *pgdat, bool proactive)
{
	for_each_compact_zone(pgdat, zone, z, a) {
		struct compact_control cc;

		hn_compact_control_init(&cc, sim);
		cc.order = -1;
		cc.mode = proactive ? HN_MIGRATE_SYNC_LIGHT : HN_MIGRATE_SYNC;
		cc.ignore_skip_hint = true;
		cc.whole_zone = true;
		cc.gfp_mask = GFP_KERNEL;
		cc.proactive_compaction = proactive;
		cc.zone = zone;
		hn_compact_zone(sim, &cc);
		if (proactive) {
			__count_vm_events(sim, KCOMPACTD_MIGRATE_SCANNED, cc.total_migrate_scanned);
			__count_vm_events(sim, KCOMPACTD_FREE_SCANNED, cc.total_free_scanned);
		}
		hn_compact_control_fini(&cc);
	}
}

static int check_compact_args(const struct hn_sim *sim)
{
	if (!sim)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	return 0;
}

int hn_compact_node(struct hn_sim *sim, int nid)
{
	int ret = check_compact_args(sim);

	if (ret)
		return ret;
	if (nid < 0 || nid >= sim->nr_node_ids)
		return -EINVAL;
	if (!node_online(sim, nid))
		return -ENODEV;
	compact_node(sim, NODE_DATA(sim, nid), false);
	return hn_debug_check_migrate(sim);
}

int hn_compact_memory(struct hn_sim *sim)
{
	int ret = check_compact_args(sim);

	if (ret)
		return ret;
	for (int nid = 0; nid < sim->nr_node_ids; nid++)
		if (node_online(sim, nid))
			compact_node(sim, NODE_DATA(sim, nid), false);
	return hn_debug_check_migrate(sim);
}

/* ---- kcompactd ---------------------------------------------------------------------- */

static bool kcompactd_node_suitable(struct hn_sim *sim, struct hn_pglist_data *pgdat)
{
	int highest = pgdat->kcompactd_highest_zoneidx;

	for_each_compact_zone(pgdat, zone, z, a) {
		if ((int)zone->idx > highest)
			continue;
		if (compaction_suit_allocation_order(sim, zone, pgdat->kcompactd_max_order, highest,
						     ALLOC_WMARK_MIN) == COMPACT_CONTINUE)
			return true;
	}
	return false;
}

static void trace_kcompactd(struct hn_sim *sim, enum hn_trace_event_id id, int nid, int order,
			    int highest_zoneidx)
{
	struct hn_trace_event ev = {
		.id = id,
		.nid = nid,
		.order = (unsigned int)order,
		.zone = highest_zoneidx,
	};

	if (hn_tracing(sim))
		hn_trace_emit(sim, &ev);
}

void hn_wakeup_kcompactd(struct hn_sim *sim, struct hn_pglist_data *pgdat, int order,
			 int highest_zoneidx)
{
	int d = sim->migrate ? sim->migrate->kcompactd[pgdat->node_id] : -1;

	if (!order || d < 0)
		return;
	if (pgdat->kcompactd_max_order < order)
		pgdat->kcompactd_max_order = order;
	if (pgdat->kcompactd_highest_zoneidx > highest_zoneidx)
		pgdat->kcompactd_highest_zoneidx = highest_zoneidx;
	/* already woken and not yet run: it will see the new request */
	if (pgdat->kcompactd_woken)
		return;
	if (!kcompactd_node_suitable(sim, pgdat))
		return;
	trace_kcompactd(sim, HN_TRACE_MM_COMPACTION_WAKEUP_KCOMPACTD, pgdat->node_id, order,
			highest_zoneidx);
	pgdat->kcompactd_woken = true;
	hn_daemon_schedule(sim, d, sim->clock_ns);
}

/* kcompactd_do_work(): compact the zones up to the wanted index for the wanted order. */
static void kcompactd_do_work(struct hn_sim *sim, struct hn_pglist_data *pgdat)
{
	int order = pgdat->kcompactd_max_order, highest = pgdat->kcompactd_highest_zoneidx;

	trace_kcompactd(sim, HN_TRACE_MM_COMPACTION_KCOMPACTD_WAKE, pgdat->node_id, order, highest);
	__count_vm_events(sim, KCOMPACTD_WAKE, 1);
	for_each_compact_zone(pgdat, zone, z, a) {
		struct compact_control cc;
		enum hn_compact_result status;

		if ((int)zone->idx > highest)
			continue;
		if (compaction_deferred(sim, zone, order))
			continue;
		if (compaction_suit_allocation_order(sim, zone, order, (int)zone->idx,
						     ALLOC_WMARK_MIN) != COMPACT_CONTINUE)
			continue;
		hn_compact_control_init(&cc, sim);
		cc.order = order;
		cc.highest_zoneidx = highest;
		cc.mode = HN_MIGRATE_SYNC_LIGHT;
		cc.gfp_mask = GFP_KERNEL;
		cc.zone = zone;
		status = hn_compact_zone(sim, &cc);
		if (status == COMPACT_SUCCESS) {
			hn_compaction_defer_reset(NULL, zone, (unsigned int)order, false);
		} else if (status == COMPACT_PARTIAL_SKIPPED || status == COMPACT_COMPLETE) {
			/* pages stranded on per-CPU lists might complete the order */
			hn_drain_all_zone_pages(sim, zone);
			defer_compaction(sim, zone, order);
		}
		__count_vm_events(sim, KCOMPACTD_MIGRATE_SCANNED, cc.total_migrate_scanned);
		__count_vm_events(sim, KCOMPACTD_FREE_SCANNED, cc.total_free_scanned);
		hn_compact_control_fini(&cc);
	}
	if (pgdat->kcompactd_max_order <= order)
		pgdat->kcompactd_max_order = 0;
	if (pgdat->kcompactd_highest_zoneidx >= highest)
		pgdat->kcompactd_highest_zoneidx = pgdat->nr_zones - 1;
}

/*
 * One wake-up of kcompactd (the body of kcompactd()'s loop): the work an
 * allocation asked for, or, when its timeout came first, a proactive
 * compaction if the node's fragmentation score is above the high mark.
 * Then it sleeps again for HPAGE_FRAG_CHECK_INTERVAL_MSEC (longer after a
 * proactive run that did not help), or until woken when proactiveness is 0.
 */
void hn_kcompactd_run(struct hn_sim *sim, struct hn_daemon *d)
{
	struct hn_pglist_data *pgdat = d->arg;
	uint64_t timeout = HPAGE_FRAG_CHECK_INTERVAL_NS;
	uint64_t saved = sim->charged_ns;

	if (pgdat->kcompactd_woken && !pgdat->proactive_compact_trigger) {
		pgdat->kcompactd_woken = false;
		kcompactd_do_work(sim, pgdat);
	} else {
		pgdat->kcompactd_woken = false;
		if (should_proactive_compact_node(pgdat)) {
			unsigned int prev = fragmentation_score_node(pgdat), score;

			compact_node(sim, pgdat, true);
			score = fragmentation_score_node(pgdat);
			if (score >= prev)
				timeout <<= COMPACT_MAX_DEFER_SHIFT;
		}
		pgdat->proactive_compact_trigger = false;
	}
	/* kcompactd's own time is its own: no task pays for it */
	sim->charged_ns = saved;
	trace_kcompactd(sim, HN_TRACE_MM_COMPACTION_KCOMPACTD_SLEEP, pgdat->node_id, 0, 0);
	if (sim->compaction_proactiveness)
		hn_daemon_schedule(sim, (int)(d - sim->daemons), sim->clock_ns + timeout);
}

/* ---- sysctls ------------------------------------------------------------------------ */

int hn_sim_set_compaction_proactiveness(struct hn_sim *sim, unsigned int value)
{
	if (!sim || value > 100)
		return -EINVAL;
	sim->compaction_proactiveness = value;
	/* compaction_proactiveness_sysctl_handler(): a write wakes every kcompactd */
	if (value && sim->booted && sim->migrate) {
		for (int nid = 0; nid < sim->nr_node_ids; nid++) {
			struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);
			int d = sim->migrate->kcompactd[nid];

			if (!pgdat || d < 0 || !node_online(sim, nid) || pgdat->proactive_compact_trigger)
				continue;
			pgdat->proactive_compact_trigger = true;
			trace_kcompactd(sim, HN_TRACE_MM_COMPACTION_WAKEUP_KCOMPACTD, nid, -1,
					pgdat->nr_zones - 1);
			hn_daemon_schedule(sim, d, sim->clock_ns);
		}
	}
	return 0;
}

int hn_sim_set_extfrag_threshold(struct hn_sim *sim, int value)
{
	if (!sim || value < 0 || value > 1000)
		return -EINVAL;
	sim->extfrag_threshold = value;
	return 0;
}

int hn_sim_set_compact_unevictable_allowed(struct hn_sim *sim, bool allowed)
{
	if (!sim)
		return -EINVAL;
	sim->compact_unevictable_allowed = allowed;
	return 0;
}

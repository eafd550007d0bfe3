/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * page_alloc.c - the allocation path: __alloc_pages() → get_page_from_freelist()
 * → rmqueue(), the slow path, the free path with its bad_page() checks,
 * bulk allocation, pcp draining and page isolation (mm/page_alloc.c,
 * mm/page_isolation.c of Linux 6.12).
 *
 * The public entry points validate everything and return -errno; the
 * static functions below them trust their callers, as the kernel's do.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "buddy/buddy.h"
#include "core/contents.h"
#include "core/page.h"
#include "core/vmstat.h"
#include "util/util.h"
#include "zonelist/zonelist.h"

/* The fast path is a handful of small steps; keep them in one frame. */
#define hn_always_inline inline __attribute__((always_inline))

#define MAX_RECLAIM_RETRIES 16
#define MAX_COMPACT_RETRIES 16
#define WARN_ALLOC_INTERVAL_NS (10ULL * 1000000000ULL)	/* DEFINE_RATELIMIT_STATE(.., 10*HZ, 1) */

struct alloc_context {
	struct hn_zonelist *zonelist;
	const struct hn_nodemask *nodemask;
	struct hn_zoneref *preferred_zoneref;
	int migratetype;
	int highest_zoneidx;
	hn_mattr_t mattr;	/* HN_SIM_HNUMA: the attributes asked for (0: a plain request) */
};

void hn_update_numa_node_id(struct hn_sim *sim)
{
	int nid = cpu_to_node(sim, sim->cur_cpu);

	if (nid < 0) {
		/* No CPUs at all: the first node with memory stands in. */
		for (nid = 0; nid < sim->nr_node_ids; nid++)
			if (NODE_DATA(sim, nid) &&
			    hn_bit_test(sim->node_states[HN_N_MEMORY], (unsigned int)nid))
				break;
		if (nid == sim->nr_node_ids)
			nid = 0;
	}
	sim->cur_nid = nid;
	hn_update_local_zones(sim);
}

void hn_update_local_zones(struct hn_sim *sim)
{
	int nid = sim->cur_nid;
	bool usable = nid >= 0 && nid < sim->nr_node_ids && NODE_DATA(sim, nid) &&
		      node_online(sim, nid);

	for (int t = 0; t < MAX_ZONELISTS; t++) {
		struct hn_zonelist *zl = usable ? &NODE_DATA(sim, nid)->node_zonelists[t] : NULL;

		for (hn_gfp_t low = 0; low < (1u << HN_LOCAL_GFP_BITS); low++)
			sim->local_gfp[t][low] = hn_local_gfp_of(sim, zl, low);
	}
	hn_update_this_cpu(sim);
}

void hn_update_this_cpu(struct hn_sim *sim)
{
	sim->this_cpu_pcp_offset = sim->cur_cpu * sizeof(struct hn_per_cpu_pages);
	for_each_zone(sim, zone) {
		zone->this_cpu_pcp = hn_zone_this_cpu_pcp(sim, zone);
		zone->numa_local_stat = hn_zone_numa_local_stat(sim, zone);
	}
}

/* ---- statistics ---------------------------------------------------------- */

/*
 * zone_statistics(): numa_hit when the page came from the preferred node,
 * numa_miss (and numa_foreign on the preferred zone) otherwise; numa_local
 * when the node is the allocating CPU's, numa_other otherwise.
 */
static hn_always_inline void zone_statistics(const struct hn_sim *sim, struct hn_zone *preferred,
					     struct hn_zone *z, uint64_t nr)
{
	enum hn_numa_stat_item local_stat = NUMA_LOCAL;

	if (zone_to_nid(z) != hn_numa_node_id(sim))
		local_stat = NUMA_OTHER;
	if (zone_to_nid(z) == zone_to_nid(preferred)) {
		__count_numa_events(z, NUMA_HIT, nr);
	} else {
		__count_numa_events(z, NUMA_MISS, nr);
		__count_numa_events(preferred, NUMA_FOREIGN, nr);
	}
	__count_numa_events(z, local_stat, nr);
}

/* ---- watermarks ---------------------------------------------------------- */

static hn_always_inline bool zone_watermark_fast(const struct hn_zone *z, unsigned int order, uint64_t mark,
				int highest_zoneidx, unsigned int alloc_flags)
{
	int64_t free_pages = z->vm_stat[NR_FREE_PAGES];

	/* Order-0 fast check; the full one when it fails. */
	if (!order) {
		int64_t reserved = zone_watermark_unusable_free(z, 0, alloc_flags);
		int64_t usable = free_pages - HN_MIN(free_pages, reserved);

		if (usable > (int64_t)mark + z->lowmem_reserve[highest_zoneidx])
			return true;
	}
	if (__zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages))
		return true;
	/*
	 * The min watermark ignores boosting for __GFP_HIGH order-0 requests:
	 * boosting exists to wake kswapd early, not to fail atomic requests.
	 */
	if (!order && (alloc_flags & ALLOC_MIN_RESERVE) && z->watermark_boost &&
	    (alloc_flags & ALLOC_WMARK_MASK) == WMARK_MIN)
		return __zone_watermark_ok(z, order, z->_watermark[WMARK_MIN], highest_zoneidx,
					   alloc_flags, free_pages);
	return false;
}

static uint64_t wmark_pages(const struct hn_zone *z, unsigned int alloc_flags)
{
	return z->_watermark[alloc_flags & ALLOC_WMARK_MASK] + z->watermark_boost;
}

/* ---- kswapd stand-in ------------------------------------------------------ */

/*
 * wakeup_kswapd(): the reclaim subsystem's, through the slowpath table.
 * With no kswapd registered, what kswapd would end with for a boosted
 * zone is what balance_pgdat() does last: drop the boost.
 */
static void wakeup_kswapd(struct hn_sim *sim, struct hn_zone *zone, unsigned int order, hn_gfp_t gfp,
			  int highest_zoneidx)
{
	if (sim->slowpath && sim->slowpath->wake_kswapd) {
		sim->slowpath->wake_kswapd(sim->slowpath_ctx, sim, zone, order, gfp, highest_zoneidx);
		return;
	}
	for (int z = 0; z <= highest_zoneidx; z++)
		zone->zone_pgdat->node_zones[z].watermark_boost = 0;
}

static void wake_all_kswapds(struct hn_sim *sim, unsigned int order, hn_gfp_t gfp,
			     const struct alloc_context *ac)
{
	struct hn_zoneref *z;
	struct hn_zone *zone;
	struct hn_pglist_data *last = NULL;

	for_each_zone_zonelist_nodemask(zone, z, ac->zonelist, ac->highest_zoneidx, ac->nodemask) {
		if (zone->zone_pgdat != last)
			wakeup_kswapd(sim, zone, order, gfp, ac->highest_zoneidx);
		last = zone->zone_pgdat;
	}
}

/* drain_all_pages(NULL): every CPU's lists in every zone back to the buddy. */
static void drain_all_pages(struct hn_sim *sim)
{
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat)
			continue;
		for (int z = 0; z < HN_MAX_NR_ZONES; z++)
			if (populated_zone(&pgdat->node_zones[z]))
				hn_drain_all_zone_pages(sim, &pgdat->node_zones[z]);
	}
}

/* ---- rmqueue ------------------------------------------------------------ */

/* prep_new_page(): the block now belongs to the caller. */
static hn_always_inline void prep_new_page(struct hn_zone *zone, uint64_t pfn, unsigned int order, int mt)
{
	struct hn_page *page = pfn_to_page(zone->zone_pgdat, pfn);

	page->flags = (page->flags & ~PG_STATE_MASK) | PG_allocated;
	/* The order, and the migratetype for the movable-page counts of fallback. */
	page->private = order | ((uint32_t)mt << 8);
	zone->nr_allocated += 1ULL << order;
}

static hn_always_inline uint64_t rmqueue(struct hn_sim *sim, struct hn_zone *preferred, struct hn_zone *zone,
			unsigned int order, hn_gfp_t gfp, unsigned int alloc_flags, int mt)
{
	uint64_t pfn = HN_PFN_NONE;

	if (pcp_allowed_order(sim, order))
		pfn = hn_rmqueue_pcplist(sim, zone, order, mt, alloc_flags);
	if (pfn == HN_PFN_NONE)
		pfn = hn_rmqueue_buddy(zone, order, alloc_flags, mt);
	if (pfn != HN_PFN_NONE) {
		__count_zid_vm_events(sim, PGALLOC_DMA, (int)zone->idx, 1ULL << order);
		zone_statistics(sim, preferred, zone, 1);
	}
	if ((alloc_flags & ALLOC_KSWAPD) && (zone->flags & ZONE_BOOSTED_WATERMARK)) {
		zone->flags &= ~ZONE_BOOSTED_WATERMARK;
		wakeup_kswapd(sim, zone, 0, gfp, (int)zone->idx);
	}
	return pfn;
}

/*
 * alloc_flags_nofragment(): the first pass of a request preferring Normal
 * on a node that also has DMA32 may not fall back to other migratetypes
 * in a way that splits pageblocks; locality comes first, then
 * fragmentation avoidance, then anything.
 */
static hn_always_inline unsigned int alloc_flags_nofragment(const struct hn_sim *sim, const struct hn_zone *zone,
					   hn_gfp_t gfp)
{
	unsigned int alloc_flags = (gfp & __GFP_KSWAPD_RECLAIM) ? ALLOC_KSWAPD : 0;

	if (!zone || zone->idx != HN_ZONE_NORMAL)
		return alloc_flags;
	if (sim->nr_online_nodes > 1 && !populated_zone(&zone->zone_pgdat->node_zones[HN_ZONE_DMA32]))
		return alloc_flags;
	return alloc_flags | ALLOC_NOFRAGMENT;
}

/* ---- attribute nodes (HN_SIM_HNUMA) --------------------------------------- */

/*
 * zone_to_area_mattr(): the attribute node of @zone, as a zone with its own
 * free area, that a request for @want should use: the machine's matching
 * strategy decides (attr_match.c).  NULL when the zone holds none.
 */
static struct hn_zone *zone_to_area_mattr(const struct hn_sim *sim, const struct hn_zone *zone,
					  hn_mattr_t want)
{
	const struct hn_attr_set *set = zone->attrs;
	const struct hn_attr_node *n;

	if (!set)
		return NULL;
	/* a node being offlined is no target: its zone matches without it */
	if (hn_unlikely(sim->attr_offline.zone == zone))
		set = sim->attr_offline.set;
	n = sim->attr_match->match(set, want, sim->attr_weights, NULL);
	return n ? &attr_zone_of(n)->zone : NULL;
}

static void trace_attr_match(struct hn_sim *sim, const struct hn_zone *az, unsigned int order,
			     hn_mattr_t want, bool served)
{
	const struct hn_attr_zone *a;
	struct hn_trace_event ev;

	if (!hn_tracing(sim))
		return;
	a = attr_zone_of_zone(az);
	ev = (struct hn_trace_event){
		.id = HN_TRACE_HNUMA_ATTR_MATCH,
		.nid = zone_to_nid(az),
		.zone = (int)az->idx,
		.pfn = a->node.start_pfn,
		.order = order,
		.mattr_want = want,
		.mattr_got = a->node.mattr,
		.attr_node = (int)a->node.id,
		.served = served,
	};
	hn_trace_emit(sim, &ev);
}

/*
 * get_page_from_freelist() for a request with attributes: the same zonelist
 * walk, but in each zone the request goes to the attribute node that
 * matches it, never to the zone's own free lists.  The node's watermarks
 * (its share of min_free_kbytes, and its zone's lowmem_reserve) decide
 * whether it can give pages; if not, the walk moves on to the next zone,
 * as it would for a zone below its watermark.
 */
static __attribute__((noinline)) uint64_t
get_page_from_attr_nodes(struct hn_sim *sim, unsigned int order, unsigned int alloc_flags,
			 const struct alloc_context *ac)
{
	struct hn_zoneref *z = ac->preferred_zoneref;
	struct hn_zone *zone;

	for_next_zone_zonelist_nodemask(zone, z, ac->highest_zoneidx, ac->nodemask) {
		struct hn_zone *az = zone_to_area_mattr(sim, zone, ac->mattr);
		uint64_t pfn;

		if (!az)
			continue;
		if (!zone_watermark_fast(az, order, wmark_pages(az, alloc_flags), ac->highest_zoneidx,
					 alloc_flags) && !(alloc_flags & ALLOC_NO_WATERMARKS)) {
			trace_attr_match(sim, az, order, ac->mattr, false);
			continue;
		}
		pfn = hn_rmqueue_buddy(az, order, alloc_flags, ac->migratetype);
		if (pfn == HN_PFN_NONE)
			continue;
		trace_attr_match(sim, az, order, ac->mattr, true);
		__count_zid_vm_events(sim, PGALLOC_DMA, (int)az->idx, 1ULL << order);
		zone_statistics(sim, ac->preferred_zoneref->zone, az, 1);
		prep_new_page(az, pfn, order, ac->migratetype);
		return pfn;
	}
	return HN_PFN_NONE;
}

static hn_always_inline uint64_t get_page_from_freelist(struct hn_sim *sim, hn_gfp_t gfp,
							 unsigned int order, unsigned int alloc_flags,
							 const struct alloc_context *ac)
{
	unsigned int online = sim->nr_online_nodes;
	struct hn_zoneref *z;
	struct hn_zone *zone;
	bool no_fallback;

	if (hn_unlikely(ac->mattr))
		return get_page_from_attr_nodes(sim, order, alloc_flags, ac);
retry:
	no_fallback = alloc_flags & ALLOC_NOFRAGMENT;
	z = ac->preferred_zoneref;
	for_next_zone_zonelist_nodemask(zone, z, ac->highest_zoneidx, ac->nodemask) {
		uint64_t mark, pfn;

		if (no_fallback && zone != ac->preferred_zoneref->zone && online > 1 &&
		    zone_to_nid(zone) != zone_to_nid(ac->preferred_zoneref->zone)) {
			/* Moving to a remote node: locality beats fragmentation. */
			alloc_flags &= ~ALLOC_NOFRAGMENT;
			goto retry;
		}
		/*
		 * Below the high watermark the zone is marked so the free path
		 * keeps fewer pages on pcp lists (ZONE_BELOW_HIGH).
		 */
		if (!(zone->flags & ZONE_BELOW_HIGH)) {
			mark = high_wmark_pages(zone);
			if (zone_watermark_fast(zone, order, mark, ac->highest_zoneidx, alloc_flags))
				goto try_this_zone;
			zone->flags |= ZONE_BELOW_HIGH;
		}
		mark = wmark_pages(zone, alloc_flags);
		if (!zone_watermark_fast(zone, order, mark, ac->highest_zoneidx, alloc_flags)) {
			if (alloc_flags & ALLOC_NO_WATERMARKS)
				goto try_this_zone;
			/* node_reclaim is off (node_reclaim_mode 0), as by default */
			continue;
		}
try_this_zone:
		pfn = rmqueue(sim, ac->preferred_zoneref->zone, zone, order, gfp, alloc_flags,
			      ac->migratetype);
		if (pfn != HN_PFN_NONE) {
			prep_new_page(zone, pfn, order, ac->migratetype);
			if (alloc_flags & ALLOC_HIGHATOMIC)
				hn_reserve_highatomic_pageblock(zone, pfn, order);
			return pfn;
		}
	}
	if (no_fallback) {
		alloc_flags &= ~ALLOC_NOFRAGMENT;
		goto retry;
	}
	return HN_PFN_NONE;
}

/* The slow path's copy: out of line, so only the fast path carries it inlined. */
static __attribute__((noinline)) uint64_t
get_page_from_freelist_slow(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order,
			    unsigned int alloc_flags, const struct alloc_context *ac)
{
	return get_page_from_freelist(sim, gfp, order, alloc_flags, ac);
}

/* ---- the slow path ------------------------------------------------------ */

static unsigned int gfp_to_alloc_flags(hn_gfp_t gfp, unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;

	if (gfp & __GFP_HIGH)
		alloc_flags |= ALLOC_MIN_RESERVE;
	if (gfp & __GFP_KSWAPD_RECLAIM)
		alloc_flags |= ALLOC_KSWAPD;
	if (!(gfp & __GFP_DIRECT_RECLAIM)) {
		/* A caller that cannot sleep may dig a little deeper. */
		if (!(gfp & __GFP_NOMEMALLOC)) {
			alloc_flags |= ALLOC_NON_BLOCK;
			if (order > 0 && (alloc_flags & ALLOC_MIN_RESERVE))
				alloc_flags |= ALLOC_HIGHATOMIC;
		}
		/* GFP_ATOMIC ignores the cpuset rather than fail */
		if (alloc_flags & ALLOC_MIN_RESERVE)
			alloc_flags &= ~ALLOC_CPUSET;
	}
	return alloc_flags;
}

/* __gfp_pfmemalloc_flags(): __GFP_MEMALLOC may ignore watermarks. */
static unsigned int gfp_pfmemalloc_flags(hn_gfp_t gfp)
{
	if (gfp & __GFP_NOMEMALLOC)
		return 0;
	if (gfp & __GFP_MEMALLOC)
		return ALLOC_NO_WATERMARKS;
	return 0;
}

static void warn_alloc(struct hn_sim *sim, hn_gfp_t gfp, const struct hn_nodemask *nodemask,
		       unsigned int order, const char *what)
{
	char flags[256], nodes[256] = "(null)";

	if (gfp & __GFP_NOWARN)
		return;
	/* One message per 10 simulated seconds, as the kernel's ratelimit */
	if (sim->warn_alloc_last_ns && sim->clock_ns - sim->warn_alloc_last_ns < WARN_ALLOC_INTERVAL_NS)
		return;
	sim->warn_alloc_last_ns = sim->clock_ns ? sim->clock_ns : 1;
	if (nodemask)
		hn_format_idlist(nodemask->bits, (unsigned int)sim->nr_node_ids, nodes, sizeof(nodes));
	hn_gfp_format(gfp, flags, sizeof(flags));
	hn_printk(sim, HN_LOG_WARNING, "hnuma: %s: order:%u, mode:%#x(%s), nodemask=%s", what, order,
		  (unsigned int)gfp, flags, nodes);
}

/*
 * Pages reclaim could free in a zone.  No LRU exists yet, so none; the
 * reclaim subsystem will supply the count through the slowpath ops.
 */
static uint64_t zone_reclaimable_pages(const struct hn_zone *zone)
{
	(void)zone;
	return 0;
}

/*
 * should_reclaim_retry(): retry while some zone could pass the min
 * watermark if everything reclaimable were reclaimed, at most
 * MAX_RECLAIM_RETRIES times without progress.  Before giving up, the
 * HighAtomic reserve is released (forcibly) and that counts as a reason to
 * try again.
 */
static bool should_reclaim_retry(struct hn_sim *sim, unsigned int order, struct alloc_context *ac,
				 unsigned int alloc_flags, bool progress, int *no_progress_loops)
{
	struct hn_zoneref *z;
	struct hn_zone *zone;
	bool ret = false;

	if (progress && order <= HN_PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops <= MAX_RECLAIM_RETRIES) {
		for_each_zone_zonelist_nodemask(zone, z, ac->zonelist, ac->highest_zoneidx,
						ac->nodemask) {
			int64_t available = (int64_t)zone_reclaimable_pages(zone) +
					    zone->vm_stat[NR_FREE_PAGES];

			if (__zone_watermark_ok(zone, order, min_wmark_pages(zone), ac->highest_zoneidx,
						alloc_flags, available)) {
				ret = true;
				break;
			}
		}
	}
	if (!ret)
		return hn_unreserve_highatomic_pageblock(sim, ac->zonelist, ac->highest_zoneidx,
							 ac->nodemask, ac->migratetype, true);
	return ret;
}

/* gfp_compaction_allowed(): compaction may do I/O-free migration only with __GFP_IO. */
static bool gfp_compaction_allowed(const struct hn_sim *sim, hn_gfp_t gfp)
{
	return sim->slowpath && sim->slowpath->try_to_compact_pages && (gfp & __GFP_IO);
}

/*
 * __alloc_pages_direct_compact(): compact the zones of the request, then
 * try the free lists.  A run that compaction skipped everywhere is no
 * stall; any other is, and ends in a success or a failure.  Compaction
 * here does not capture the page it freed (capture_control): the free
 * lists are tried afterwards, as when nothing was captured.
 */
static uint64_t alloc_pages_direct_compact(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order,
					   unsigned int alloc_flags, const struct alloc_context *ac,
					   enum hn_compact_priority prio,
					   enum hn_compact_result *result)
{
	uint64_t pfn;

	if (!order)
		return HN_PFN_NONE;
	sim->memalloc_noreclaim = true;
	*result = sim->slowpath->try_to_compact_pages(sim->slowpath_ctx, sim, gfp, order, alloc_flags,
						      ac->zonelist, ac->highest_zoneidx,
						      ac->nodemask, prio);
	sim->memalloc_noreclaim = false;
	if (*result == COMPACT_SKIPPED)
		return HN_PFN_NONE;
	__count_vm_events(sim, COMPACTSTALL, 1);
	pfn = get_page_from_freelist_slow(sim, gfp, order, alloc_flags, ac);
	if (pfn != HN_PFN_NONE) {
		struct hn_zone *zone = hn_pfn_zone(sim, pfn);

		zone->compact_blockskip_flush = false;
		if (sim->slowpath->compaction_defer_reset)
			sim->slowpath->compaction_defer_reset(sim->slowpath_ctx, zone, order, true);
		__count_vm_events(sim, COMPACTSUCCESS, 1);
		return pfn;
	}
	__count_vm_events(sim, COMPACTFAIL, 1);
	return HN_PFN_NONE;
}

/*
 * should_compact_retry(): after a skipped run, retry while reclaim could
 * give compaction its order-0 targets; after a success that the
 * allocation then lost, retry a few times; after a failure, retry at the
 * next higher priority until the last.
 */
static bool should_compact_retry(struct hn_sim *sim, struct alloc_context *ac, unsigned int order,
				 unsigned int alloc_flags, enum hn_compact_result result,
				 enum hn_compact_priority *prio, int *retries)
{
	int max_retries = MAX_COMPACT_RETRIES;
	enum hn_compact_priority min_priority;

	if (!order)
		return false;
	if (result == COMPACT_SKIPPED)
		return sim->slowpath->compaction_zonelist_suitable &&
		       sim->slowpath->compaction_zonelist_suitable(sim->slowpath_ctx, sim, order,
								    alloc_flags, ac->zonelist,
								    ac->highest_zoneidx,
								    ac->nodemask);
	if (result == COMPACT_SUCCESS) {
		if (order > HN_PAGE_ALLOC_COSTLY_ORDER)
			max_retries /= 4;
		if (++(*retries) <= max_retries)
			return true;
	}
	min_priority = order > HN_PAGE_ALLOC_COSTLY_ORDER ? MIN_COMPACT_COSTLY_PRIORITY :
							     MIN_COMPACT_PRIORITY;
	if (*prio > min_priority) {
		(*prio)--;
		*retries = 0;
		return true;
	}
	return false;
}

static uint64_t alloc_pages_slowpath(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order,
				     struct alloc_context *ac)
{
	bool can_direct_reclaim = gfp & __GFP_DIRECT_RECLAIM;
	bool can_compact = gfp_compaction_allowed(sim, gfp);
	bool costly_order = order > HN_PAGE_ALLOC_COSTLY_ORDER;
	bool nofail = gfp & __GFP_NOFAIL;
	enum hn_compact_priority compact_priority = DEF_COMPACT_PRIORITY;
	enum hn_compact_result compact_result = COMPACT_SKIPPED;
	int no_progress_loops = 0, compaction_retries = 0;
	unsigned int alloc_flags, reserve_flags;
	uint64_t pfn, progress;

	/* wakeups, unreserving and drains may reach every zone of the list */
	sim->debug_touched_all = true;

	alloc_flags = gfp_to_alloc_flags(gfp, order);
	ac->preferred_zoneref = first_zones_zonelist(ac->zonelist, ac->highest_zoneidx, ac->nodemask);
	if (!ac->preferred_zoneref->zone)
		goto nopage;
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(sim, order, gfp, ac);
	pfn = get_page_from_freelist_slow(sim, gfp, order, alloc_flags, ac);
	if (pfn != HN_PFN_NONE)
		return pfn;

	/*
	 * Costly and unmovable high-order requests try compaction before
	 * reclaim (async first: cheap, and often enough); a costly
	 * __GFP_NORETRY request that compaction skipped or deferred, or that
	 * must stay on its node, gives up right here.
	 */
	if (can_direct_reclaim && can_compact &&
	    (costly_order || (order > 0 && ac->migratetype != HN_MIGRATE_MOVABLE)) &&
	    !gfp_pfmemalloc_flags(gfp) && !sim->memalloc_noreclaim) {
		pfn = alloc_pages_direct_compact(sim, gfp, order, alloc_flags, ac,
						 INIT_COMPACT_PRIORITY, &compact_result);
		if (pfn != HN_PFN_NONE)
			return pfn;
		if (costly_order && (gfp & __GFP_NORETRY)) {
			if (compact_result == COMPACT_SKIPPED || compact_result == COMPACT_DEFERRED)
				goto nopage;
			if (gfp & __GFP_THISNODE)
				goto nopage;
			compact_priority = INIT_COMPACT_PRIORITY;
		}
	}

retry:
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(sim, order, gfp, ac);
	reserve_flags = gfp_pfmemalloc_flags(gfp);
	if (reserve_flags)
		alloc_flags = reserve_flags | (alloc_flags & ALLOC_KSWAPD);
	if (!(alloc_flags & ALLOC_CPUSET) || reserve_flags) {
		ac->nodemask = NULL;
		ac->preferred_zoneref = first_zones_zonelist(ac->zonelist, ac->highest_zoneidx, NULL);
	}
	pfn = get_page_from_freelist_slow(sim, gfp, order, alloc_flags, ac);
	if (pfn != HN_PFN_NONE)
		return pfn;
	if (!can_direct_reclaim)
		goto nopage;
	/* PF_MEMALLOC: compaction's and reclaim's own allocations never recurse */
	if (sim->memalloc_noreclaim)
		goto nopage;

	/* Direct reclaim: counted as a stall whether or not it finds anything. */
	__count_zid_vm_events(sim, ALLOCSTALL_DMA, ac->highest_zoneidx, 1);
	progress = 0;
	if (sim->slowpath && sim->slowpath->direct_reclaim)
		progress = sim->slowpath->direct_reclaim(sim->slowpath_ctx, sim, order, gfp,
							 ac->nodemask);
	if (progress) {
		pfn = get_page_from_freelist_slow(sim, gfp, order, alloc_flags, ac);
		if (pfn == HN_PFN_NONE) {
			hn_unreserve_highatomic_pageblock(sim, ac->zonelist, ac->highest_zoneidx,
							  ac->nodemask, ac->migratetype, false);
			drain_all_pages(sim);
			pfn = get_page_from_freelist_slow(sim, gfp, order, alloc_flags, ac);
		}
		if (pfn != HN_PFN_NONE)
			return pfn;
	}
	if (can_compact) {
		pfn = alloc_pages_direct_compact(sim, gfp, order, alloc_flags, ac, compact_priority,
						 &compact_result);
		if (pfn != HN_PFN_NONE)
			return pfn;
	}
	if (gfp & __GFP_NORETRY)
		goto nopage;
	if (costly_order && (!can_compact || !(gfp & __GFP_RETRY_MAYFAIL)))
		goto nopage;
	if (should_reclaim_retry(sim, order, ac, alloc_flags, progress != 0, &no_progress_loops))
		goto retry;
	if (progress && can_compact &&
	    should_compact_retry(sim, ac, order, alloc_flags, compact_result, &compact_priority,
				 &compaction_retries))
		goto retry;
	/* The OOM killer has no tasks to choose from yet: no progress. */

nopage:
	if (nofail && can_direct_reclaim) {
		/*
		 * The kernel gives __GFP_NOFAIL some of the atomic reserve and
		 * then loops forever; a simulation cannot wait for memory that
		 * nobody will free, so it reports instead of hanging.
		 */
		pfn = get_page_from_freelist_slow(sim, gfp, order, ALLOC_MIN_RESERVE, ac);
		if (pfn != HN_PFN_NONE)
			return pfn;
		hn_report(sim, "__GFP_NOFAIL allocation failed", "__alloc_pages_slowpath", -1, -1,
			  UINT64_MAX, order, "no memory left and nothing to reclaim");
	}
	warn_alloc(sim, gfp, ac->nodemask, order, "page allocation failure");
	return HN_PFN_NONE;
}

/* ---- entry points ---------------------------------------------------------- */

static hn_always_inline int check_alloc_args(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order, int *nid,
			    int *highest_zoneidx, bool offline_ok)
{
	if (!sim->booted) {
		hn_logf(&sim->log, HN_LOG_ERR, "allocation before boot");
		return -EAGAIN;
	}
	if (order > sim->max_page_order) {
		hn_logf(&sim->log, HN_LOG_ERR, "order %u exceeds MAX_PAGE_ORDER %u", order,
			sim->max_page_order);
		return -EINVAL;
	}
	if (gfp & ~(__GFP_BITS_MASK | __GFP_MATTR_MASK | __GFP_MATTR_FALLBACK)) {
		hn_logf(&sim->log, HN_LOG_ERR, "unknown GFP bits %#" PRIx64,
			gfp & ~(__GFP_BITS_MASK | __GFP_MATTR_MASK | __GFP_MATTR_FALLBACK));
		return -EINVAL;
	}
	if (hn_unlikely(gfp & __GFP_MATTR_MASK) && !hn_mattr_valid(hn_gfp_to_mattr(gfp))) {
		hn_logf(&sim->log, HN_LOG_ERR, "attribute request %#" PRIx64
			" has a level without its property", gfp & __GFP_MATTR_MASK);
		return -EINVAL;
	}
	*highest_zoneidx = hn_gfp_zone(gfp);
	if (*highest_zoneidx < 0) {
		hn_logf(&sim->log, HN_LOG_ERR, "GFP zone modifiers %#" PRIx64 " conflict",
			gfp & GFP_ZONEMASK);
		return -EINVAL;
	}
	if ((gfp & GFP_MOVABLE_MASK) == GFP_MOVABLE_MASK) {
		hn_logf(&sim->log, HN_LOG_ERR, "__GFP_MOVABLE and __GFP_RECLAIMABLE together");
		return -EINVAL;
	}
	if (*nid == HN_NUMA_NO_NODE)
		*nid = hn_numa_node_id(sim);
	if (*nid < 0 || *nid >= sim->nr_node_ids) {
		hn_logf(&sim->log, HN_LOG_ERR, "node %d out of range", *nid);
		return -EINVAL;
	}
	if (!offline_ok && !node_online(sim, *nid)) {
		hn_logf(&sim->log, HN_LOG_ERR, "node %d is not online", *nid);
		return -ENODEV;
	}
	return 0;
}

/*
 * should_fail_alloc_page(): the page-allocation failure site, with the
 * kernel's exemptions (small orders, __GFP_NOFAIL, optionally requests that
 * may reclaim) decided before the site counts as crossed.
 */
static bool should_fail_alloc_page(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order)
{
	const struct hn_fault_attr *a = &sim->fault[HN_FAULT_PAGE_ALLOC].attr;

	if (hn_likely(!sim->faults_armed))
		return false;
	if (order < a->min_order || (gfp & __GFP_NOFAIL))
		return false;
	if (a->ignore_gfp_reclaim && (gfp & __GFP_DIRECT_RECLAIM))
		return false;
	return hn_should_fail(sim, HN_FAULT_PAGE_ALLOC);
}

static hn_always_inline void prepare_alloc_pages(struct hn_sim *sim, hn_gfp_t gfp, int nid, int highest_zoneidx,
				const struct hn_nodemask *nodemask, struct alloc_context *ac)
{
	ac->highest_zoneidx = highest_zoneidx;
	ac->zonelist = node_zonelist(sim, nid, gfp);
	ac->nodemask = nodemask;
	ac->migratetype = gfp_migratetype(sim, gfp);
	ac->preferred_zoneref = first_zones_zonelist(ac->zonelist, ac->highest_zoneidx, nodemask);
	/* attribute bits mean nothing to a mainline machine */
	ac->mattr = sim->hnuma ? hn_gfp_to_mattr(gfp) : 0;
}

static uint64_t alloc_pages_locked(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order, int nid,
				   int highest_zoneidx, const struct hn_nodemask *nodemask)
{
	struct alloc_context ac;
	unsigned int alloc_flags = ALLOC_WMARK_LOW;
	uint64_t pfn;

	prepare_alloc_pages(sim, gfp, nid, highest_zoneidx, nodemask, &ac);
	alloc_flags |= alloc_flags_nofragment(sim, ac.preferred_zoneref->zone, gfp);
	pfn = get_page_from_freelist(sim, gfp, order, alloc_flags, &ac);
	if (pfn != HN_PFN_NONE)
		return pfn;
	if (hn_unlikely(ac.mattr) && (gfp & __GFP_MATTR_FALLBACK)) {
		/*
		 * A request that may fall back tries its attribute nodes down
		 * to their min watermark, without reclaim, then becomes a
		 * plain request with the whole slow path behind it.
		 */
		pfn = get_page_from_freelist_slow(sim, gfp, order, gfp_to_alloc_flags(gfp, order),
						  &ac);
		if (pfn != HN_PFN_NONE)
			return pfn;
		sim->attr_fallbacks++;
		ac.mattr = 0;
		alloc_flags = ALLOC_WMARK_LOW | alloc_flags_nofragment(sim, ac.preferred_zoneref->zone, gfp);
		pfn = get_page_from_freelist(sim, gfp, order, alloc_flags, &ac);
		if (pfn != HN_PFN_NONE)
			return pfn;
	}
	ac.nodemask = nodemask;
	return alloc_pages_slowpath(sim, gfp, order, &ac);
}

/* ---- the order-0 fast paths ------------------------------------------------ */

/*
 * What every fast allocation does last: prep_new_page() and the counters.
 * The page was free in state @from (PG_pcp or PG_buddy, as the list it
 * came off guarantees), so one exclusive or makes it PG_allocated.
 */
static hn_always_inline void alloc_fast_prep(struct hn_sim *sim, struct hn_zone *zone,
					     struct hn_page *page, int mt, enum hn_pageflags from)
{
	page->flags ^= from ^ PG_allocated;
	page->private = (uint32_t)mt << 8;
	zone->nr_allocated++;
	__count_zid_vm_events(sim, PGALLOC_DMA, (int)zone->idx, 1);
	/* zone_statistics(zone, zone): a hit, local or not as kept for this CPU */
	__count_numa_events(zone, NUMA_HIT, 1);
	__count_numa_events(zone, zone->numa_local_stat, 1);
	if (HN_DEBUG_VM_ENABLED)
		sim->fastpath_hits++;
}

/*
 * A zone without pcp lists: the page at the head of the order-0 free list,
 * so that __rmqueue_smallest() neither splits nor falls back.
 */
static hn_always_inline bool alloc_fast_buddy(struct hn_sim *sim, struct hn_zone *zone,
					    int mt, uint64_t *pfn)
{
	/* order 0 is below MAX_PAGE_ORDER (never 0): its list runs through mem_map */
	struct hn_free_list *list = &zone->free_area[0].free_list[mt];
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	uint32_t idx = list->head;

	if (idx == HN_NIL)
		return false;
	/* del_page_from_free_list(), nothing to expand */
	hn_ilist_del_head(pgdat->mem_map, list);
	zone->free_area[0].nr_free--;
	zone->vm_stat[NR_FREE_PAGES]--;
	alloc_fast_prep(sim, zone, &pgdat->mem_map[idx], mt, PG_buddy);
	*pfn = pgdat->node_start_pfn + idx;
	return true;
}

/*
 * alloc_fast(): the general path below, specialised to the case that makes
 * up nearly every order-0 request: the first zone of the zonelist is above
 * its high watermark with no boost and no ZONE_BELOW_HIGH, and a page is
 * waiting at the head of this CPU's pcp list for the migratetype (or, in a
 * zone without pcp lists, at the head of the order-0 free list, so that
 * __rmqueue_smallest() neither splits nor falls back).  Then
 * get_page_from_freelist() takes that zone at once and nothing else
 * happens but the page's state and the counters.  This function makes
 * exactly those changes and stores the pfn, or returns false, having
 * changed nothing, for anything else: tracing, armed fault sites,
 * attribute requests, invalid arguments, an empty list, a zone at or below
 * its high watermark.  The general path then runs from the start.
 * test_fastpath.c holds both paths to the same results.
 */
static hn_always_inline bool alloc_fast(struct hn_sim *sim, hn_gfp_t gfp, int nid,
					const struct hn_nodemask *nodemask, bool offline_ok,
					uint64_t *pfn)
{
	struct hn_per_cpu_pages *pcp;
	struct hn_pglist_data *pgdat;
	struct hn_free_list *list;
	struct hn_zoneref *zr;
	struct hn_zone *zone;
	struct hn_page *map;
	uint32_t idx;
	int hz, mt;

	/* the fast paths are on; no attribute bits, no unknown bits */
	if (hn_unlikely(!sim->fastpath) || hn_unlikely(gfp & ~__GFP_BITS_MASK))
		return false;
	/* a local request: the preferred zone, zone index and migratetype are kept */
	if ((nid == HN_NUMA_NO_NODE || nid == sim->cur_nid) && !nodemask) {
		const struct hn_local_gfp *l =
			&sim->local_gfp[!!(gfp & __GFP_THISNODE)][gfp & ((1u << HN_LOCAL_GFP_BITS) - 1)];

		zone = l->zone;
		hz = l->highest_zoneidx;
		mt = l->migratetype;
		if (hn_likely(zone))
			goto found;
	}
	/* a valid zone and migratetype, then first_zones_zonelist() */
	if ((gfp & GFP_MOVABLE_MASK) == GFP_MOVABLE_MASK)
		return false;
	hz = hn_gfp_zone_table[gfp & GFP_ZONEMASK];
	if (hn_unlikely(hz < 0))
		return false;
	mt = gfp_migratetype(sim, gfp);
	if (nid == HN_NUMA_NO_NODE)
		nid = sim->cur_nid;
	if (hn_unlikely(nid < 0 || nid >= sim->nr_node_ids) || (!offline_ok && !node_online(sim, nid)))
		return false;
	zr = node_zonelist(sim, nid, gfp)->_zonerefs;
	while (zr->zone && (zr->zone_idx > hz || !zref_in_nodemask(zr, nodemask)))
		zr++;
	zone = zr->zone;
	if (hn_unlikely(!zone))
		return false;
found:
	if (zone->flags & (ZONE_BELOW_HIGH | ZONE_BOOSTED_WATERMARK))
		return false;
	/*
	 * zone_watermark_fast() at the high mark, order 0, no reserves:
	 * free - min(free, nr_free_highatomic) > mark + lowmem_reserve, which
	 * for a mark of at least 0 is free > mark + lowmem_reserve +
	 * nr_free_highatomic (when free <= highatomic both sides are false).
	 */
	if (zone->vm_stat[NR_FREE_PAGES] <= (int64_t)(high_wmark_pages(zone) + zone->lowmem_reserve[hz] +
						      zone->nr_free_highatomic))
		return false;

	pcp = zone->this_cpu_pcp;
	if (hn_unlikely(!pcp))
		return alloc_fast_buddy(sim, zone, mt, pfn);
	list = &pcp->lists[mt];		/* order_to_pindex(mt, 0) */
	idx = list->head;
	if (idx == HN_NIL)
		return false;

	/* From here on, what rmqueue_pcplist() and the rest would do. */
	pgdat = zone->zone_pgdat;
	map = pgdat->mem_map;
	hn_ilist_del_head(map, list);
	pcp->free_count >>= 1;
	pcp->count--;
	alloc_fast_prep(sim, zone, &map[idx], mt, PG_pcp);
	*pfn = pgdat->node_start_pfn + idx;
	return true;
}

/* The general path: every request the fast path declined. */
static hn_always_inline int alloc_pages_general(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order,
						int preferred_nid, const struct hn_nodemask *nodemask,
						uint64_t *pfn, bool offline_ok)
{
	int ret, highest_zoneidx;
	uint64_t p;

	*pfn = HN_PFN_NONE;
	ret = check_alloc_args(sim, gfp, order, &preferred_nid, &highest_zoneidx, offline_ok);
	if (ret)
		return ret;
	if (should_fail_alloc_page(sim, gfp, order))
		return -ENOSPC;
	p = alloc_pages_locked(sim, gfp, order, preferred_nid, highest_zoneidx, nodemask);
	if (hn_tracing(sim)) {
		struct hn_zone *z = p == HN_PFN_NONE ? NULL : hn_pfn_zone(sim, p);
		struct hn_trace_event ev = {
			.id = HN_TRACE_MM_PAGE_ALLOC,
			.nid = z ? zone_to_nid(z) : -1,
			.zone = z ? (int)z->idx : -1,
			.pfn = p,
			.order = order,
			.migratetype = gfp_migratetype(sim, gfp),
			.gfp = gfp,
		};

		hn_trace_emit(sim, &ev);
	}
	if (HN_DEBUG_VM_ENABLED &&
	    hn_debug_check(sim, p == HN_PFN_NONE ? NULL : hn_pfn_zone(sim, p)))
		return -EUCLEAN;
	if (p == HN_PFN_NONE)
		return -ENOSPC;
	*pfn = p;
	return 0;
}

/*
 * Its two entries, with six arguments each so that the fast path's caller
 * reaches them by a tail call and needs no stack frame of its own.
 */
static __attribute__((noinline)) int alloc_pages_online(struct hn_sim *sim, hn_gfp_t gfp,
							unsigned int order, int preferred_nid,
							const struct hn_nodemask *nodemask,
							uint64_t *pfn)
{
	return alloc_pages_general(sim, gfp, order, preferred_nid, nodemask, pfn, false);
}

static __attribute__((noinline)) int alloc_pages_offline_ok(struct hn_sim *sim, hn_gfp_t gfp,
							    unsigned int order, int preferred_nid,
							    const struct hn_nodemask *nodemask,
							    uint64_t *pfn)
{
	return alloc_pages_general(sim, gfp, order, preferred_nid, nodemask, pfn, true);
}

static hn_always_inline int alloc_pages_entry(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order,
					      int preferred_nid, const struct hn_nodemask *nodemask,
					      uint64_t *pfn, bool offline_ok)
{
	if (!sim || !pfn)
		return -EINVAL;
	if (hn_likely(!order)) {
		if (hn_likely(alloc_fast(sim, gfp, preferred_nid, nodemask, offline_ok, pfn))) {
			if (HN_DEBUG_VM_ENABLED && hn_debug_check(sim, hn_pfn_zone(sim, *pfn))) {
				*pfn = HN_PFN_NONE;
				return -EUCLEAN;
			}
			return 0;
		}
	}
	if (offline_ok)
		return alloc_pages_offline_ok(sim, gfp, order, preferred_nid, nodemask, pfn);
	return alloc_pages_online(sim, gfp, order, preferred_nid, nodemask, pfn);
}

int hn_alloc_pages(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order, int preferred_nid,
		   const struct hn_nodemask *nodemask, uint64_t *pfn)
{
	return alloc_pages_entry(sim, gfp, order, preferred_nid, nodemask, pfn, false);
}

/*
 * A node that went offline keeps its pglist_data and its zonelists (they
 * list other nodes' zones, its own are empty), so the kernel's fault path
 * can still start from it: a task on one of its CPUs, or a policy naming
 * it, falls back by distance instead of failing.  Only the public entry
 * point refuses an offline node outright.
 */
int hn_alloc_pages_policy(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order, int preferred_nid,
			  const struct hn_nodemask *nodemask, uint64_t *pfn)
{
	return alloc_pages_entry(sim, gfp, order, preferred_nid, nodemask, pfn, true);
}

/*
 * free_pages_prepare()'s checks, as named reports.  The block at @pfn must
 * be the head of an allocation of exactly @order.
 */
static hn_always_inline int check_free(struct hn_sim *sim, uint64_t pfn, unsigned int order, struct hn_zone **zonep)
{
	struct hn_zone *zone;
	struct hn_pglist_data *pgdat;
	const struct hn_page *page;
	uint64_t head;
	int nid, bo;

	if (order > sim->max_page_order) {
		hn_logf(&sim->log, HN_LOG_ERR, "free of order %u exceeds MAX_PAGE_ORDER %u", order,
			sim->max_page_order);
		return -EINVAL;
	}
	zone = pfn < sim->max_pfn ? hn_pfn_zone(sim, pfn) : NULL;
	nid = zone ? zone_to_nid(zone) : -1;
	if (!zone || !managed_zone(zone) || pfn + (1ULL << order) > zone_end_pfn(zone)) {
		hn_report(sim, "page outside any zone", "__free_pages", nid, -1, pfn, order,
			  "no zone with managed pages holds [%#" PRIx64 ", +%llu)", pfn,
			  1ULL << order);
		return -EINVAL;
	}
	if (pfn & ((1ULL << order) - 1)) {
		hn_report(sim, "pfn not aligned to order", "__free_pages", nid, (int)zone->idx, pfn,
			  order, "a block of order %u starts on a multiple of %llu", order,
			  1ULL << order);
		return -EINVAL;
	}
	pgdat = zone->zone_pgdat;
	page = pfn_to_page(pgdat, pfn);
	/* The common case first: the head of a live block of this order. */
	if (page->flags == PG_allocated && (page->private & 0xff) == order)
		goto ok;
	if ((page->flags & PG_STATE_MASK) == PG_allocated && (page->private & 0xff) == order) {
		/*
		 * free_page_is_bad(): the page still belongs to someone.  Its
		 * owner releases it (folio_put()), never a raw free.
		 */
		const struct hn_page_ext *ext = page_ext_of(pgdat, pfn);
		const char *why = ext->mapcount ? "nonzero mapcount" :
				  (page->flags & (PG_anon | PG_movable)) ? "non-NULL mapping" :
				  "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";

		hn_report(sim, why, "__free_pages", nid, (int)zone->idx, pfn, order,
			  "flags %#x, mapcount %u, refcount %u", page->flags, ext->mapcount,
			  ext->refcount);
		return -EINVAL;
	}
	if (page->flags & PG_pcp) {
		hn_report(sim, "double free", "__free_pages", nid, (int)zone->idx, pfn, order,
			  "the page is already free on a per-CPU list");
		return -EINVAL;
	}
	bo = hn_find_free_block(zone, pfn, &head);
	if (bo >= 0) {
		hn_report(sim, "double free", "__free_pages", nid, (int)zone->idx, pfn, order,
			  "the page is inside the free block %#" PRIx64 " of order %d", head, bo);
		return -EINVAL;
	}
	if (!(page->flags & PG_allocated)) {
		hn_report(sim, "page not allocated", "__free_pages", nid, (int)zone->idx, pfn, order,
			  "%s", (page->flags & PG_reserved) ? "the page is reserved" :
			  "not the head of an allocated block");
		return -EINVAL;
	}
	hn_report(sim, "wrong order", "__free_pages", nid, (int)zone->idx, pfn, order,
		  "allocated at order %u, freed at order %u", page->private & 0xff, order);
	return -EINVAL;
ok:
	*zonep = zone;
	return 0;
}

static hn_always_inline void free_pages_locked(struct hn_sim *sim, struct hn_zone *zone, uint64_t pfn,
			      unsigned int order)
{
	struct hn_page *page = pfn_to_page(zone->zone_pgdat, pfn);

	page->flags &= ~PG_allocated;
	page->private = 0;
	zone->nr_allocated -= 1ULL << order;
	if (pcp_allowed_order(sim, order))
		hn_free_unref_page(sim, zone, pfn, order);
	else
		hn_free_one_page(zone, pfn, order, FPI_NONE);
}

/* The general path: every free the fast path declined. */
static __attribute__((noinline)) int free_pages_general(struct hn_sim *sim, uint64_t pfn,
							unsigned int order)
{
	struct hn_zone *zone;
	int ret;

	if (!sim->booted)
		return -EAGAIN;
	ret = check_free(sim, pfn, order, &zone);
	if (ret)
		return ret;
	if (hn_tracing(sim)) {
		struct hn_trace_event ev = {
			.id = HN_TRACE_MM_PAGE_FREE,
			.nid = zone_to_nid(zone),
			.zone = (int)zone->idx,
			.pfn = pfn,
			.order = order,
		};

		hn_trace_emit(sim, &ev);
	}
	free_pages_locked(sim, zone, pfn, order);
	if (HN_DEBUG_VM_ENABLED && hn_debug_check(sim, zone))
		return -EUCLEAN;
	return 0;
}

/*
 * free_fast(): the order-0 free that check_free() passes at its first test
 * and that changes nothing but one list.  The page lies in a section one
 * zone covers whole (so inside that zone's span), is the head of a live
 * order-0 allocation, and its pageblock is of a pcp type.  With pcp lists,
 * the list must stay below pcp->high with the zone in neither
 * ZONE_BELOW_HIGH nor ZONE_RECLAIM_ACTIVE (the states in which
 * nr_pcp_high() does more than clamp).  Without them, the page's buddy must
 * not be free, so __free_one_page() merges nothing (free_fast_buddy(),
 * which hands its own refusals to the general path).  Returns the result of
 * the free, or FREE_DECLINED, having changed nothing, for anything else.
 */
#define FREE_DECLINED 1

static __attribute__((noinline)) int free_fast_buddy(struct hn_sim *sim, struct hn_zone *zone,
						     uint64_t pfn, int mt)
{
	struct hn_page *map = zone->zone_pgdat->mem_map;
	uint32_t idx = (uint32_t)(pfn - zone->zone_pgdat->node_start_pfn);
	struct hn_page *page = &map[idx];

	/* __free_one_page(): a free order-0 buddy would merge */
	if (hn_page_is_buddy(zone, pfn ^ 1, 0))
		return free_pages_general(sim, pfn, 0);
	zone->nr_allocated--;
	__count_vm_events(sim, PGFREE, 1);
	zone->vm_stat[NR_FREE_PAGES]++;
	zone->free_area[0].nr_free++;
	page->flags ^= PG_allocated ^ PG_buddy;	/* it was PG_allocated */
	page->private = 0;
	hn_ilist_add(map, &zone->free_area[0].free_list[mt], idx, hn_buddy_merge_likely(zone, pfn, 0));
	if (HN_DEBUG_VM_ENABLED) {
		sim->fastpath_hits++;
		return hn_debug_check(sim, zone) ? -EUCLEAN : 0;
	}
	return 0;
}

static hn_always_inline int free_fast(struct hn_sim *sim, uint64_t pfn)
{
	const struct hn_section *sec;
	struct hn_per_cpu_pages *pcp;
	struct hn_zone *zone;
	struct hn_page *map, *page;
	uint32_t idx;
	int mt;

	/* fast paths on, and the pfn below max_pfn */
	if (pfn >= sim->fastpath_max_pfn)
		return FREE_DECLINED;
	/*
	 * Below max_pfn, so inside the section table (sized from max_pfn at
	 * boot).  The page, its pageblock's type and this CPU's pcp lists are
	 * all one lookup away from the pfn.
	 */
	sec = &sim->sections[pfn >> sim->pfn_section_shift];
	zone = sec->zone;
	if (hn_unlikely(!zone))
		return FREE_DECLINED;
	map = sec->mem_map;
	idx = (uint32_t)(pfn - sec->node_start_pfn);
	page = &map[idx];
	/*
	 * The head of a live order-0 allocation.  Its zone is managed: a zone
	 * holds no more allocated pages than it manages (hn_sim_check()).
	 */
	if (page->flags != PG_allocated || (page->private & 0xff))
		return FREE_DECLINED;
	/* get_pageblock_migratetype() */
	mt = *(const uint8_t *)(sec->pageblock_mt_base + (pfn >> sim->pageblock_order));
	if (hn_unlikely(mt >= HN_MIGRATE_PCPTYPES))
		return FREE_DECLINED;
	pcp = sec->per_cpu_pageset;
	if (hn_unlikely(!pcp)) {
		int ret = free_fast_buddy(sim, zone, pfn, mt);

		/* it hands its refusals to the general path itself: tell the compiler */
		if (ret == FREE_DECLINED)
			__builtin_unreachable();
		return ret;
	}
	pcp = (struct hn_per_cpu_pages *)((char *)pcp + sim->this_cpu_pcp_offset);
	/* nr_pcp_high() would only clamp pcp->high, and it is clamped already */
	if ((zone->flags & (ZONE_BELOW_HIGH | ZONE_RECLAIM_ACTIVE)) ||
	    (pcp->flags & PCPF_HIGH_UNCLAMPED) || pcp->count + 1 >= pcp->high)
		return FREE_DECLINED;

	/* From here on, what free_unref_page() would do. */
	zone->nr_allocated--;
	__count_vm_events(sim, PGFREE, 1);
	pcp->alloc_factor >>= 1;
	page->flags ^= PG_allocated ^ PG_pcp;	/* it was PG_allocated */
	page->private = 0;
	hn_ilist_add(map, &pcp->lists[mt], idx, false);	/* order_to_pindex(mt, 0) */
	pcp->count++;
	pcp->flags &= (uint8_t)~PCPF_PREV_FREE_HIGH_ORDER;
	if (pcp->free_count < (pcp->batch << HN_PCP_BATCH_SCALE_MAX))
		pcp->free_count++;
	if (HN_DEBUG_VM_ENABLED) {
		sim->fastpath_hits++;
		return hn_debug_check(sim, zone) ? -EUCLEAN : 0;
	}
	return 0;
}

/*
 * folio_put() of a page with an owner: drop one reference; the last one
 * frees the page (__folio_put()): its contents released, its owner's
 * fields and flags cleared, the block back to the allocator.
 */
void hn_folio_put(struct hn_sim *sim, uint64_t pfn)
{
	struct hn_pglist_data *pgdat = pfn_pgdat(sim, pfn);
	struct hn_page *page = pfn_to_page(pgdat, pfn);
	struct hn_page_ext *ext = page_ext_of(pgdat, pfn);

	if (--ext->refcount)
		return;
	if (ext->data)
		hn_page_data_free(sim, ext->data);
	memset(ext, 0, sizeof(*ext));
	page->flags &= PG_STATE_MASK;
	hn_free_pages(sim, pfn, folio_order(page));
}

int hn_free_pages(struct hn_sim *sim, uint64_t pfn, unsigned int order)
{
	if (!sim)
		return -EINVAL;
	if (hn_likely(!order)) {
		int ret = free_fast(sim, pfn);

		if (hn_likely(ret != FREE_DECLINED))
			return ret;
	}
	return free_pages_general(sim, pfn, order);
}

/*
 * free_reserved_area() and free_reserved_page(): pages memblock reserved at
 * boot (the kernel image's init sections, an initrd) given to the buddy
 * one by one, each joining its zone's managed pages.  Pages that are not
 * reserved (a hole, or freed already) are skipped.  The kernel's
 * __free_page() puts them on the pcp lists of the CPU running
 * kernel_init(); here they go straight to the buddy, so a boot still ends
 * with empty pcp lists (docs/faithfulness.md).
 */
uint64_t hn_free_reserved_area(struct hn_sim *sim, uint64_t start, uint64_t end, const char *what)
{
	uint64_t spfn = (start + sim->page_size - 1) >> sim->page_shift;
	uint64_t epfn = end >> sim->page_shift, pages = 0;

	for (uint64_t pfn = spfn; pfn < epfn && pfn < sim->max_pfn; pfn++) {
		struct hn_zone *zone = hn_pfn_zone(sim, pfn);
		struct hn_page *page;

		if (!zone)
			continue;
		page = pfn_to_page(zone->zone_pgdat, pfn);
		if ((page->flags & PG_STATE_MASK) != PG_reserved)
			continue;
		page->flags &= ~PG_reserved;
		/* adjust_managed_page_count() */
		zone->managed_pages++;
		sim->totalram_pages++;
		hn_free_one_page(zone, pfn, 0, FPI_NONE);
		pages++;
	}
	if (pages && what)
		hn_printk(sim, HN_LOG_INFO, "Freeing %s memory: %" PRIu64 "K", what,
			  pages << (sim->page_shift - 10));
	return pages;
}

/*
 * alloc_pages_bulk(): one watermark check for the whole batch on the first
 * local zone that passes it, then straight from that zone's pcp list; any
 * trouble falls back to one ordinary allocation.
 */
int hn_alloc_pages_bulk(struct hn_sim *sim, hn_gfp_t gfp, int preferred_nid,
			const struct hn_nodemask *nodemask, unsigned int nr, uint64_t *pfns,
			unsigned int *nr_populated)
{
	unsigned int populated = 0, nr_account = 0;
	unsigned int online;
	struct alloc_context ac;
	struct hn_zoneref *z;
	struct hn_zone *zone;
	uint64_t pfn;
	int ret, highest_zoneidx;

	if (!sim || !nr_populated || (nr && !pfns))
		return -EINVAL;
	*nr_populated = 0;
	ret = check_alloc_args(sim, gfp, 0, &preferred_nid, &highest_zoneidx, false);
	if (ret)
		return ret;
	while (populated < nr && pfns[populated] != HN_PFN_NONE)
		populated++;
	if (populated == nr)
		goto out;
	/* prepare_alloc_pages() fails the whole request, as in the kernel */
	if (should_fail_alloc_page(sim, gfp, 0))
		goto out;
	/* attribute requests take pages one at a time from their nodes */
	if (hn_unlikely(sim->hnuma && (gfp & __GFP_MATTR_MASK)))
		goto failed;
	/* Count the holes still to fill; one page goes the ordinary way. */
	{
		unsigned int holes = 0;

		for (unsigned int i = populated; i < nr; i++)
			holes += pfns[i] == HN_PFN_NONE;
		if (holes == 1)
			goto failed;
	}
	prepare_alloc_pages(sim, gfp, preferred_nid, highest_zoneidx, nodemask, &ac);
	online = sim->nr_online_nodes;
	z = ac.preferred_zoneref;
	for_next_zone_zonelist_nodemask(zone, z, ac.highest_zoneidx, ac.nodemask) {
		if (online > 1 && zone != ac.preferred_zoneref->zone &&
		    zone_to_nid(zone) != zone_to_nid(ac.preferred_zoneref->zone))
			goto failed;
		if (zone_watermark_fast(zone, 0, wmark_pages(zone, ALLOC_WMARK_LOW) + nr,
					ac.preferred_zoneref->zone_idx, ALLOC_WMARK_LOW))
			break;
	}
	if (!zone || !zone->per_cpu_pageset)
		goto failed;
	while (populated < nr) {
		if (pfns[populated] != HN_PFN_NONE) {
			populated++;
			continue;
		}
		pfn = hn_rmqueue_pcplist(sim, zone, 0, ac.migratetype, 0);
		if (pfn == HN_PFN_NONE) {
			if (!nr_account)
				goto failed;
			break;
		}
		nr_account++;
		prep_new_page(zone, pfn, 0, ac.migratetype);
		pfns[populated++] = pfn;
	}
	__count_zid_vm_events(sim, PGALLOC_DMA, (int)zone->idx, nr_account);
	zone_statistics(sim, ac.preferred_zoneref->zone, zone, nr_account);
	goto out;
failed:
	pfn = alloc_pages_locked(sim, gfp, 0, preferred_nid, highest_zoneidx, nodemask);
	if (pfn != HN_PFN_NONE) {
		while (pfns[populated] != HN_PFN_NONE)
			populated++;
		pfns[populated++] = pfn;
	}
out:
	/* The kernel's count: the array's filled prefix. */
	while (populated < nr && pfns[populated] != HN_PFN_NONE)
		populated++;
	*nr_populated = populated;
	if (HN_DEBUG_VM_ENABLED && hn_debug_check(sim, NULL))
		return -EUCLEAN;
	return 0;
}

/* ---- explaining an attribute request ------------------------------------- */

struct explain_ctx {
	FILE *f;
};

static void explain_step(void *ctx, const struct hn_attr_node *n, long score, const char *why)
{
	struct explain_ctx *e = ctx;
	char word[64];

	fprintf(e->f, "    attr %u key %2u %-38s score %4ld  %s\n", n->id, n->key,
		hn_mattr_format(n->mattr, word, sizeof(word)), score, why);
}

/*
 * The fast path's walk of get_page_from_attr_nodes(), narrated: the same
 * zonelist, nodemask-free, at the low watermark.
 */
int hn_sim_explain_attr(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order, int nid, FILE *f)
{
	struct explain_ctx e = { f };
	const struct hn_attr_explain ex = { explain_step, &e };
	struct alloc_context ac;
	struct hn_zoneref *z;
	struct hn_zone *zone;
	int ret, highest_zoneidx;
	bool served = false;
	char word[64];

	if (!sim || !f)
		return -EINVAL;
	ret = check_alloc_args(sim, gfp, order, &nid, &highest_zoneidx, false);
	if (ret)
		return ret;
	if (!sim->hnuma)
		return -EOPNOTSUPP;
	if (!hn_gfp_to_mattr(gfp))
		return -EINVAL;
	prepare_alloc_pages(sim, gfp, nid, highest_zoneidx, NULL, &ac);
	fprintf(f, "request %s order %u from node %d, matching '%s'\n",
		hn_mattr_format(ac.mattr, word, sizeof(word)), order, nid, sim->attr_match->name);
	z = ac.preferred_zoneref;
	for_next_zone_zonelist_nodemask(zone, z, ac.highest_zoneidx, NULL) {
		const struct hn_attr_node *n;
		const struct hn_zone *az;
		uint64_t mark;

		fprintf(f, "  node %d zone %s:", zone_to_nid(zone), zone->name);
		if (!zone->attrs || !zone->attrs->nr) {
			fprintf(f, " no attribute nodes\n");
			continue;
		}
		fputc('\n', f);
		n = sim->attr_match->match(zone->attrs, ac.mattr, sim->attr_weights, &ex);
		if (!n) {
			fprintf(f, "    no match\n");
			continue;
		}
		az = &attr_zone_of(n)->zone;
		mark = low_wmark_pages(az);
		if (zone_watermark_fast(az, order, mark, ac.highest_zoneidx, ALLOC_WMARK_LOW)) {
			fprintf(f, "    attr %u passes its low watermark (%" PRIu64 " free, low %" PRIu64
				"): served here\n", n->id, zone_page_state(az, NR_FREE_PAGES), mark);
			served = true;
			break;
		}
		fprintf(f, "    attr %u is below its low watermark (%" PRIu64 " free, low %" PRIu64
			"): next zone\n", n->id, zone_page_state(az, NR_FREE_PAGES), mark);
	}
	if (!served)
		fprintf(f, "no attribute node can serve it at the low watermark: %s\n",
			(gfp & __GFP_MATTR_FALLBACK) ?
			"after a pass at the min watermark it falls back to plain memory" :
			"the slow path retries the attribute nodes; without __GFP_MATTR_FALLBACK it "
			"never takes plain memory");
	return hn_view_done(f);
}

/* ---- CPUs and draining ---------------------------------------------------- */

int hn_sim_set_cpu(struct hn_sim *sim, unsigned int cpu)
{
	if (!sim)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	if (cpu >= sim->nr_cpu_ids || sim->cpu_to_node[cpu] < 0)
		return -EINVAL;
	sim->cur_cpu = cpu;
	/* another CPU of the same node: numa_node_id() and the local zones stand */
	if (sim->cpu_to_node[cpu] != sim->cur_nid)
		hn_update_numa_node_id(sim);
	else
		hn_update_this_cpu(sim);
	return 0;
}

unsigned int hn_sim_current_cpu(const struct hn_sim *sim)
{
	return sim ? sim->cur_cpu : 0;
}

#define for_each_populated_zone(sim, zone) \
	for_each_zone(sim, zone)           \
		if (populated_zone(zone))

int hn_drain_local_pages(struct hn_sim *sim)
{
	if (!sim)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	for_each_populated_zone(sim, zone)
		hn_drain_pages_zone(sim, sim->cur_cpu, zone);
	return HN_DEBUG_VM_ENABLED ? hn_debug_check(sim, NULL) : 0;
}

int hn_drain_all_pages(struct hn_sim *sim)
{
	if (!sim)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	drain_all_pages(sim);
	return HN_DEBUG_VM_ENABLED ? hn_debug_check(sim, NULL) : 0;
}

/* ---- isolation -------------------------------------------------------- */

static int check_isolate_range(struct hn_sim *sim, uint64_t start, uint64_t end,
			       struct hn_zone **zonep)
{
	struct hn_zone *zone;

	if (!sim)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	if (start >= end || (start | end) & (sim->pageblock_nr_pages - 1)) {
		hn_logf(&sim->log, HN_LOG_ERR,
			"isolation range [%#" PRIx64 ", %#" PRIx64 ") is empty or not pageblock aligned",
			start, end);
		return -EINVAL;
	}
	zone = end <= sim->max_pfn ? hn_pfn_zone(sim, start) : NULL;
	if (!zone || !managed_zone(zone) || end > hn_zone_run_end(zone, start)) {
		hn_logf(&sim->log, HN_LOG_ERR,
			"isolation range [%#" PRIx64 ", %#" PRIx64 ") is not inside one zone", start, end);
		return -EINVAL;
	}
	*zonep = zone;
	return 0;
}

int hn_isolate_range(struct hn_sim *sim, uint64_t start_pfn, uint64_t end_pfn)
{
	struct hn_zone *zone;
	uint64_t pfn;
	int ret = check_isolate_range(sim, start_pfn, end_pfn, &zone);

	if (ret)
		return ret;
	/* zone_pcp_disable() + drain: pcp pages count as free here */
	hn_drain_all_zone_pages(sim, zone);
	for (pfn = start_pfn; pfn < end_pfn; pfn += sim->pageblock_nr_pages) {
		ret = hn_set_migratetype_isolate(zone, pfn);
		if (ret)
			break;
	}
	if (ret) {
		/* undo what was done, in the kernel's order */
		for (uint64_t p = start_pfn; p < pfn; p += sim->pageblock_nr_pages)
			hn_unset_migratetype_isolate(zone, p, HN_MIGRATE_MOVABLE);
	}
	if (HN_DEBUG_VM_ENABLED && hn_debug_check(sim, zone))
		return -EUCLEAN;
	return ret;
}

int hn_undo_isolate_range(struct hn_sim *sim, uint64_t start_pfn, uint64_t end_pfn, int mt)
{
	struct hn_zone *zone;
	int ret = check_isolate_range(sim, start_pfn, end_pfn, &zone);

	if (ret)
		return ret;
	if (mt < 0 || mt >= HN_MIGRATE_PCPTYPES)
		return -EINVAL;
	for (uint64_t pfn = start_pfn; pfn < end_pfn; pfn += sim->pageblock_nr_pages)
		hn_unset_migratetype_isolate(zone, pfn, mt);
	if (HN_DEBUG_VM_ENABLED && hn_debug_check(sim, zone))
		return -EUCLEAN;
	return 0;
}

int hn_test_pages_isolated(struct hn_sim *sim, uint64_t start_pfn, uint64_t end_pfn)
{
	struct hn_zone *zone;
	int ret = check_isolate_range(sim, start_pfn, end_pfn, &zone);

	if (ret)
		return ret;
	for (uint64_t pfn = start_pfn; pfn < end_pfn;) {
		uint64_t head;
		int order;

		if (!is_migrate_isolate(get_pageblock_migratetype(zone->zone_pgdat, pfn)))
			return -EBUSY;
		order = hn_find_free_block(zone, pfn, &head);
		if (order < 0)
			return -EBUSY;
		pfn = head + (1ULL << order);
	}
	return 0;
}

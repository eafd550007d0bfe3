/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hnuma/alloc.h - the page allocator: alloc_pages, free_pages, bulk
 * allocation, per-CPU lists, isolation, zonelists and their views.
 *
 * Pages are named by pfn (physical address >> page shift).  An allocation
 * of order n returns the first pfn of a naturally aligned block of 2^n
 * pages; free it with the same order.  The simulated "current CPU" (set
 * with hn_sim_set_cpu()) decides which per-CPU lists serve order <= 3
 * allocations and which node NUMA_NO_NODE means, as smp_processor_id() and
 * numa_node_id() do in the kernel.
 *
 * Errors: -EINVAL for a bad argument (with the reason through the log
 * sink), -ENOSPC when simulated memory cannot satisfy a request (the
 * kernel's NULL, with its "page allocation failure" message unless
 * __GFP_NOWARN), -ENODEV for a node that is not online, and -EAGAIN from
 * every function below that needs memory before the instance has booted
 * (HN_SIM_STOP_BEFORE_MM): allocation, free, bulk, setting the CPU,
 * drains, isolation, node online/offline, counters and the views.  A bad
 * free is refused with -EINVAL and a named report through the report hook
 * (the kernel's bad_page() reasons); the allocator's state is left
 * untouched.
 */
#ifndef HNUMA_ALLOC_H
#define HNUMA_ALLOC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <hnuma/export.h>
#include <hnuma/gfp.h>
#include <hnuma/hw.h>
#include <hnuma/mattr.h>
#include <hnuma/sim.h>

HN_BEGIN_DECLS

struct hn_sim;

#define HN_NUMA_NO_NODE (-1)
#define HN_PFN_NONE UINT64_MAX

/* A set of node ids, the kernel's nodemask_t (MAX_NUMNODES bits). */
struct hn_nodemask {
	uint64_t bits[HN_MAX_NUMNODES / 64];
};

static inline void hn_nodemask_clear_all(struct hn_nodemask *m)
{
	for (unsigned int i = 0; i < HN_MAX_NUMNODES / 64; i++)
		m->bits[i] = 0;
}

static inline void hn_nodemask_set(struct hn_nodemask *m, int nid)
{
	if (nid >= 0 && nid < HN_MAX_NUMNODES)
		m->bits[nid / 64] |= 1ULL << (nid % 64);
}

static inline void hn_nodemask_clear(struct hn_nodemask *m, int nid)
{
	if (nid >= 0 && nid < HN_MAX_NUMNODES)
		m->bits[nid / 64] &= ~(1ULL << (nid % 64));
}

static inline bool hn_nodemask_test(const struct hn_nodemask *m, int nid)
{
	return nid >= 0 && nid < HN_MAX_NUMNODES && ((m->bits[nid / 64] >> (nid % 64)) & 1);
}

/*
 * hn_alloc_pages - __alloc_pages(gfp, order, preferred_nid, nodemask).
 * @preferred_nid: a node id, or HN_NUMA_NO_NODE for the current CPU's node.
 * @nodemask: NULL for "any node the zonelist reaches".
 * @pfn: receives the first pfn of the block.
 *
 * Walks the preferred node's zonelist (FALLBACK, or NOFALLBACK with
 * __GFP_THISNODE) up to gfp_zone(gfp), checks each zone's watermark as
 * get_page_from_freelist() does, and takes pages from the per-CPU lists
 * (order <= 3, and the pageblock order) or the buddy free lists.  When the
 * fast path fails the slow path runs: wake kswapd, retry at the min
 * watermark with the reserves the flags allow, direct reclaim and
 * compaction (hooks that report no progress until those subsystems
 * exist), retries as __GFP_NORETRY/__GFP_RETRY_MAYFAIL/__GFP_NOFAIL say.
 *
 * Returns 0; -EINVAL (NULL pfn, order > MAX_PAGE_ORDER, bad flags such as
 * __GFP_DMA|__GFP_DMA32, nid out of range); -ENODEV (preferred node not
 * online); -ENOSPC (no memory, including a @nodemask with no online node
 * that has memory: empty, only offline, absent or out-of-range nodes, as
 * the kernel returns NULL).  __GFP_NOFAIL never loops forever here:
 * once the slow path has nothing left to try it fails with -ENOSPC and a
 * report ("__GFP_NOFAIL allocation failed"), where the kernel would spin.
 */
HN_EXPORT int hn_alloc_pages(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order,
			     int preferred_nid, const struct hn_nodemask *nodemask,
			     uint64_t *pfn);

/*
 * hn_free_pages - __free_pages(page, order).
 * Returns 0; -EINVAL with a named report when the pfn is outside every
 * zone, not aligned to @order, already free ("double free"), not the head
 * of an allocation ("page not allocated"), or was allocated with another
 * order ("wrong order"); order > MAX_PAGE_ORDER is -EINVAL.
 */
HN_EXPORT int hn_free_pages(struct hn_sim *sim, uint64_t pfn, unsigned int order);

/*
 * hn_alloc_pages_bulk - alloc_pages_bulk_array(): fill the entries of
 * @pfns[0..nr) that hold HN_PFN_NONE with order-0 pages, taking them from
 * one zone's per-CPU list under one watermark check when it can, falling
 * back to single allocations otherwise.  *@nr_populated receives, as the
 * kernel returns, the length of the array's filled prefix: the index of the
 * first entry still HN_PFN_NONE (or @nr when none is left).
 * Returns 0 even when fewer than @nr could be allocated (as the kernel
 * returns the count); -EINVAL for bad arguments; -ENODEV as above.
 */
HN_EXPORT int hn_alloc_pages_bulk(struct hn_sim *sim, hn_gfp_t gfp, int preferred_nid,
				  const struct hn_nodemask *nodemask, unsigned int nr,
				  uint64_t *pfns, unsigned int *nr_populated);

/*
 * The simulated CPU that allocates (smp_processor_id()).  set: 0; -EINVAL
 * (NULL, a CPU the machine does not have); -EAGAIN before boot.  current:
 * 0 for a NULL @sim and before boot.
 */
HN_EXPORT int hn_sim_set_cpu(struct hn_sim *sim, unsigned int cpu);
HN_EXPORT unsigned int hn_sim_current_cpu(const struct hn_sim *sim);

/*
 * Per-CPU lists: drain_local_pages() for the current CPU, drain_all_pages()
 * for every CPU.  Return 0 or -EINVAL.
 */
HN_EXPORT int hn_drain_local_pages(struct hn_sim *sim);
HN_EXPORT int hn_drain_all_pages(struct hn_sim *sim);

/*
 * Page isolation (mm/page_isolation.c): start_isolate_page_range() marks
 * every pageblock of [start_pfn, end_pfn) MIGRATE_ISOLATE so its free pages
 * stay out of allocation; undo_isolate_page_range() gives them back to
 * @migratetype (HN_MIGRATE_MOVABLE usually).  The range must be pageblock
 * aligned and inside one zone.  Returns 0, -EINVAL, or -EBUSY when a
 * pageblock is already isolated or holds unmovable allocated pages.
 */
HN_EXPORT int hn_isolate_range(struct hn_sim *sim, uint64_t start_pfn, uint64_t end_pfn);
HN_EXPORT int hn_undo_isolate_range(struct hn_sim *sim, uint64_t start_pfn, uint64_t end_pfn,
				    int migratetype);
/* test_pages_isolated(): 0 when every page of the range is free and isolated, else -EBUSY. */
HN_EXPORT int hn_test_pages_isolated(struct hn_sim *sim, uint64_t start_pfn, uint64_t end_pfn);

/*
 * Bring a node offline or online again; zonelists are rebuilt.  A node can
 * go offline only while none of its pages is allocated (-EBUSY otherwise).
 * Returns 0, -EINVAL, -ENODEV (not a possible node).
 */
HN_EXPORT int hn_sim_set_node_online(struct hn_sim *sim, int nid, bool online);

/*
 * Views, each in the kernel's format: /proc/buddyinfo, /proc/pagetypeinfo,
 * /proc/vmstat, debugfs extfrag/extfrag_index and extfrag/unusable_index,
 * the zonelists (the mminit_verify_zonelist() lines), and the zonelists
 * as a Graphviz digraph.  0, -EINVAL, -EAGAIN before boot, -EIO.
 */
HN_EXPORT int hn_sim_show_buddyinfo(const struct hn_sim *sim, FILE *f);
HN_EXPORT int hn_sim_show_pagetypeinfo(const struct hn_sim *sim, FILE *f);
HN_EXPORT int hn_sim_show_vmstat(const struct hn_sim *sim, FILE *f);
HN_EXPORT int hn_sim_show_extfrag_index(const struct hn_sim *sim, FILE *f);
HN_EXPORT int hn_sim_show_unusable_index(const struct hn_sim *sim, FILE *f);
HN_EXPORT int hn_sim_show_zonelists(const struct hn_sim *sim, FILE *f);
HN_EXPORT int hn_sim_dot_zonelists(const struct hn_sim *sim, FILE *f);
/*
 * numastat(8) of the online nodes: with @megabytes false its default
 * output (the per-node numastat counters in pages, "node<N>" columns), with
 * true what `numastat -n` prints (megabytes, "Node <N>" and "Total").
 * 0, -EINVAL, -EAGAIN before boot, -EIO.
 */
HN_EXPORT int hn_sim_show_numastat(const struct hn_sim *sim, FILE *f, bool megabytes);

/*
 * Hierarchical NUMA (HN_SIM_HNUMA, hnuma/mattr.h).
 *
 * hn_sim_show_attrs(): every attribute node, zone by zone: its pfn range,
 * key and decoded word, its managed, free and allocated pages, watermarks
 * and free blocks per order; a header line with the strategy and the
 * number of requests that fell back to plain memory.  On a mainline
 * machine, one line saying the variant is off.
 * hn_sim_dot_attrs(): each zone's attribute tree and caches as a Graphviz
 * digraph (none on a mainline machine).
 * Both: 0, -EINVAL (NULL), -EAGAIN before boot, -EIO.
 */
HN_EXPORT int hn_sim_show_attrs(const struct hn_sim *sim, FILE *f);
HN_EXPORT int hn_sim_dot_attrs(const struct hn_sim *sim, FILE *f);

/* A snapshot of one attribute node, like struct hn_zone_info for a zone. */
struct hn_attr_node_info {
	int nid;
	enum hn_zone_type zone;		/* the zone that holds it */
	unsigned int id;		/* its index in the zone, by start pfn */
	uint64_t start_pfn, end_pfn;	/* [start, end) */
	hn_mattr_t mattr;
	unsigned int key;		/* hn_mattr_cumulative(mattr) */
	uint64_t present_pages, managed_pages, free_pages, allocated_pages;
	uint64_t watermark_min, watermark_low, watermark_high;
	uint64_t nr_free[32];		/* free blocks per order (0..max_page_order) */
};

/*
 * Attribute node @i (0, 1, ... by start pfn) of zone @zt of node @nid.
 * 0; -EINVAL (NULL, a zone type out of range); -ENODEV (no such node);
 * -ENOENT (the zone has no node @i: always so on a mainline machine);
 * -EAGAIN before boot.
 */
HN_EXPORT int hn_sim_attr_node_info(const struct hn_sim *sim, int nid, enum hn_zone_type zt,
				    unsigned int i, struct hn_attr_node_info *out);

/*
 * The attribute word of the memory holding @pfn: its attribute node's,
 * or 0 for ordinary memory (and for every page of a mainline machine).
 * 0; -EINVAL (NULL); -EAGAIN before boot; -ENOENT (no zone holds @pfn).
 */
HN_EXPORT int hn_sim_pfn_mattr(const struct hn_sim *sim, uint64_t pfn, hn_mattr_t *mattr);

/*
 * Memory hotplug of attribute ranges (HN_SIM_HNUMA), the slides' "updated
 * during boot and memory hotplug": hn_sim_attr_range_add() turns the
 * ordinary memory [start_pfn, end_pfn) of one zone into an attribute node
 * with word @mattr; hn_sim_attr_range_remove() gives the node that starts
 * at @start_pfn back to its zone.  Per-CPU lists are drained, free blocks
 * change lists, and the watermarks, protection, totalreserve_pages and the
 * search caches are recomputed.  Both need every page of the range free.
 * add: 0; -EINVAL (NULL, a range empty, beyond the machine, not aligned to
 * MAX_PAGE_ORDER blocks or not inside one zone; a word that is 0 or
 * malformed); -EEXIST (overlaps an attribute node); -EBUSY (a page is
 * allocated, or a pageblock isolated or HighAtomic); -ENOMEM.
 * remove: 0; -EINVAL (NULL); -ENOENT (no node starts at @start_pfn);
 * -EBUSY (a page allocated, a pageblock isolated or HighAtomic).
 * Both: -EAGAIN before boot; -EOPNOTSUPP on a mainline machine.
 */
HN_EXPORT int hn_sim_attr_range_add(struct hn_sim *sim, uint64_t start_pfn, uint64_t end_pfn,
				    hn_mattr_t mattr);
HN_EXPORT int hn_sim_attr_range_remove(struct hn_sim *sim, uint64_t start_pfn);

/*
 * How an attribute request would be served, without serving it: the
 * zonelist of node @nid (HN_NUMA_NO_NODE: the current CPU's) as
 * hn_alloc_pages() walks it, and in each zone with attribute nodes every
 * step of the matching strategy and the chosen node's watermark verdict;
 * then what __GFP_MATTR_FALLBACK would do.  Nothing is allocated and no
 * counter moves.  0; -EINVAL (NULL, bad @gfp or @order, no attributes in
 * @gfp, a node out of range); -ENODEV (node offline); -EAGAIN before boot;
 * -EOPNOTSUPP (not an HN_SIM_HNUMA machine); -EIO.
 */
HN_EXPORT int hn_sim_explain_attr(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order, int nid,
				  FILE *f);

/*
 * A counter by its /proc/vmstat name ("numa_hit", "pgalloc_normal",
 * "nr_free_pages", ...), summed over the machine.  0; -EINVAL (NULL);
 * -ENOENT for a name the simulation does not keep; -EAGAIN before boot.
 */
HN_EXPORT int hn_sim_vmstat(const struct hn_sim *sim, const char *name, uint64_t *value);

HN_END_DECLS

#endif /* HNUMA_ALLOC_H */

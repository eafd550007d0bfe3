/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mmzone.h - the simulated mm's data model: the instance, nodes, zones,
 * free areas and the per-page state.  The names follow include/linux/mmzone.h
 * so that the two can be read side by side.
 *
 * Map:
 *
 *   hn_sim                          one simulated machine (no globals anywhere)
 *     machine                       private copy of the description (src/hw)
 *     memblock                      early allocator (src/core/memblock.c)
 *     node_data[nid] -> hn_pglist_data    NULL for nodes that are not possible
 *       node_zones[HN_MAX_NR_ZONES] -> hn_zone
 *         free_area[nr_page_orders] -> hn_free_area
 *           free_list[HN_MIGRATE_TYPES]   index lists through hn_page.lru
 *       mem_map[pfn - node_start_pfn]   struct hn_page, one per simulated page
 *       block_map[pfn >> max_order - node_start_pfn >> max_order]
 *                                       struct hn_page standing for the head
 *                                       page of a free block of max order
 *       pageblock_mt[(pfn - node_start_pfn) >> pageblock_order]
 *     section_nid[pfn >> pfn_section_shift]   pfn -> node, HN_NO_NODE for holes
 *
 * Per-page state is 16 bytes and lives in one host mapping per node that the
 * host OS fills with zero pages lazily: a page the simulation never touched
 * reads as all-zero, which is the valid state "not free, not reserved, no
 * owner".  Zone and node of a page are computed from its pfn (zone spans are
 * few and sorted) instead of being stored in page flags as the kernel does.
 *
 * Free blocks of the largest order are the common case after boot (a 1 TiB
 * machine has 256K of them) and their head pages sit 1024 struct pages
 * apart, so writing them into mem_map would fault in one host page per
 * block.  Their head state therefore lives in block_map, a dense array with
 * one struct hn_page per max-order block; mem_map is written only where
 * blocks are split or pages reserved.  hn_buddy_head() picks the right
 * array: order == max_page_order uses block_map, every other order mem_map.
 * The kernel's deferred struct page init avoids the same cost differently.
 *
 * Invariants (checked by hn_sim_check(), see buddy/check.c):
 *   zone: present_pages <= spanned_pages; managed_pages <= present_pages;
 *         free_pages == sum over orders o of (nr_free[o] << o);
 *         free_pages <= managed_pages;
 *         min <= low <= high <= promo.
 *   free_area[o].nr_free == sum over mt of length(free_list[mt]).
 *   every page on free_list[mt] of free_area[o]: PG_buddy set, order == o,
 *         pfn aligned to 1 << o, block inside the zone, pageblock type mt
 *         (or the list is the one the kernel would use for the block).
 *   no free block of order o < max_order has its buddy free at order o too.
 *   a page is on at most one list (follows from PG_buddy + order + the
 *         list walk visiting each page once).
 *
 * Locking is the caller's: one thread uses one instance at a time.
 */
#ifndef HN_CORE_MMZONE_H
#define HN_CORE_MMZONE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hnuma/alloc.h>
#include <hnuma/sim.h>
#include <hnuma/trace.h>

#include "hw/machine.h"
#include "hw/rng.h"
#include "mattr/attr.h"
#include "util/util.h"

#define HN_NIL UINT32_MAX		/* end of an index list */
#define HN_NO_NODE UINT16_MAX		/* section without memory */
#define HN_MAX_ORDER_LIMIT 20		/* largest max_page_order we accept */
#define HN_SECTION_SIZE_BITS 27		/* x86_64 SECTION_SIZE_BITS: 128 MiB */

/*
 * Page flags.  Only what the simulation needs.  A page is in exactly one of
 * these states (the all-zero state is "inside some block, not its head"):
 *   PG_reserved    never given to the buddy (memblock reserved, or a hole)
 *   PG_buddy       head of a free block on a buddy free list; private = order
 *   PG_pcp         head of a free block on a per-CPU list; private = order
 *   PG_allocated   head of a block handed out by the allocator; private =
 *                  order | migratetype << 8
 * The kernel tells these apart with page_type and _refcount; one word of
 * flags is enough here and lets the free path name what is wrong.
 *
 * An allocated page may carry more (include/linux/page-flags.h), and only
 * an allocated page: a free block's head has its state bit alone, so the
 * fast paths can test the whole word.
 *   PG_locked      folio_lock(): someone is changing the page (migration)
 *   PG_lru         an anonymous page on the LRU: what migration isolates
 *                  by clearing it (folio_isolate_lru()); a mapped anonymous
 *                  page without it is isolated
 *   PG_isolated    a non-LRU movable page its owner let migration isolate
 *   PG_movable     non-LRU movable (__SetPageMovable()): page_ext->owner
 *                  names the movable_operations that move it
 *   PG_anon        anonymous memory of a task: page_ext holds its rmap
 *   PG_dirty       written since the contents were last clean; set from the
 *                  pte when migration unmaps the page, as try_to_migrate()
 *                  does, and carried to the new page
 * page_ext (below) is all zero unless PG_anon or PG_movable is set.
 */
enum hn_pageflags {
	PG_reserved = 1u << 0,
	PG_buddy = 1u << 1,
	PG_pcp = 1u << 2,
	PG_allocated = 1u << 3,
	PG_locked = 1u << 4,
	PG_lru = 1u << 5,
	PG_isolated = 1u << 6,
	PG_movable = 1u << 7,
	PG_anon = 1u << 8,
	PG_dirty = 1u << 9,
};
#define PG_STATE_MASK (PG_reserved | PG_buddy | PG_pcp | PG_allocated)
/* What folio_migrate_flags() carries from the old page to the new one. */
#define PG_MIGRATE_MASK (PG_dirty)

/*
 * The per-page state: 16 bytes.  lru links are indices into the node's
 * mem_map (pfn - node_start_pfn), HN_NIL terminated, so a node spans at most
 * 2^32 - 1 pages (16 TiB with 4 KiB pages).
 */
struct hn_page {
	uint32_t flags;
	uint32_t private;		/* buddy order while PG_buddy */
	uint32_t next;
	uint32_t prev;
};

/*
 * The cold half of a page's state (the kernel keeps it in struct folio and
 * page_ext): what an allocated page is used for, and by whom.  One per
 * simulated page, in a per-node lazily mapped array beside mem_map, so it
 * costs host memory only for pages that get an owner.  All zero unless the
 * page has PG_anon or PG_movable.
 *
 *   refcount      folio_ref_count() once the page has an owner (the
 *                 allocator's single reference is implicit before): each
 *                 mapping holds one, an isolation one, each pin one
 *   mapcount      folio_mapcount(): page-table entries mapping the page
 *   pincount      pin_user_pages() pins; a pinned page is never migrated
 *   owner, index  PG_anon: the id of the address space mapping the page and
 *                 the virtual page number there (the anon rmap: anon_vma
 *                 plus folio->index, folded, as one page has one mapper);
 *                 PG_movable: the registered movable owner and its cookie
 *   mattr         the hierarchical-NUMA attribute word the page was asked
 *                 for (0: none); migration keeps it
 *   last_cpupid   written by NUMA balancing when it arrives; zero until then
 *   data          the page's bytes when the instance keeps contents
 *
 * Invariants: mapcount + pincount <= refcount; refcount > 0 with PG_anon
 * or PG_movable; an anonymous page mapped by no pte is held by an isolation
 * or a pin, or migration has replaced its pte with a migration entry.
 */
struct hn_page_data;

struct hn_page_ext {
	uint64_t index;
	uint32_t owner;
	hn_mattr_t mattr;
	uint16_t refcount;
	uint8_t mapcount;
	uint8_t pincount;
	uint32_t last_cpupid;
	struct hn_page_data *data;
};

struct hn_free_list {
	uint32_t head;
	uint32_t tail;
};

struct hn_free_area {
	struct hn_free_list free_list[HN_MIGRATE_TYPES];
	uint64_t nr_free;
};

/*
 * Per-CPU page lists (struct per_cpu_pages).  Lists 0..11 hold orders 0..3
 * for the three PCP migratetypes (index = MIGRATE_PCPTYPES * order + mt);
 * lists 12 and 13 hold pageblock-order blocks, unmovable and movable (the
 * kernel's NR_PCP_THP lists).  Elements are mem_map indices; count is in
 * pages.  high is between high_min and high_max and moves with the
 * kernel's adaptive rules (nr_pcp_high(), nr_pcp_alloc()).
 */
#define HN_PAGE_ALLOC_COSTLY_ORDER 3
#define HN_NR_LOWORDER_PCP_LISTS (HN_MIGRATE_PCPTYPES * (HN_PAGE_ALLOC_COSTLY_ORDER + 1))
#define HN_NR_PCP_THP 2
#define HN_NR_PCP_LISTS (HN_NR_LOWORDER_PCP_LISTS + HN_NR_PCP_THP)
#define HN_PCP_BATCH_SCALE_MAX 5	/* CONFIG_PCP_BATCH_SCALE_MAX */
#define PCPF_PREV_FREE_HIGH_ORDER 0x01
#define PCPF_FREE_HIGH_BATCH 0x02
/*
 * Not a kernel flag: high_min or high_max changed since pcp->high was last
 * clamped to them, so pcp->high may lie outside.  The kernel re-clamps at
 * every free; the order-0 fast free leaves a pcp with this flag to the
 * general path, which clamps and clears it, and so skips the clamp.
 */
#define PCPF_HIGH_UNCLAMPED 0x80

struct hn_per_cpu_pages {
	int count;
	int high;
	int high_min;
	int high_max;
	int batch;
	uint8_t flags;
	uint8_t alloc_factor;
	int free_count;
	struct hn_free_list lists[HN_NR_PCP_LISTS];
};

/*
 * Zonelists (struct zonelist): an array of zone references ending with a
 * NULL zone.  Each node has two: FALLBACK (all nodes, nearest first, zones
 * high to low within a node) and NOFALLBACK (this node only, for
 * __GFP_THISNODE).
 */
enum hn_zonelist_type {
	ZONELIST_FALLBACK,
	ZONELIST_NOFALLBACK,
	MAX_ZONELISTS,
};

/* The GFP bits that pick zone and migratetype: GFP_ZONEMASK | GFP_MOVABLE_MASK. */
#define HN_LOCAL_GFP_BITS 5

struct hn_zoneref {
	struct hn_zone *zone;
	int zone_idx;
};

struct hn_zonelist {
	struct hn_zoneref *_zonerefs;	/* nr_node_ids * HN_MAX_NR_ZONES + 1 entries */
};

/* Zone flags (enum zone_flags). */
enum hn_zone_flags {
	ZONE_BOOSTED_WATERMARK = 1u << 0,
	ZONE_RECLAIM_ACTIVE = 1u << 1,
	ZONE_BELOW_HIGH = 1u << 2,
};

/* NUMA allocation counters per zone (enum numa_stat_item). */
enum hn_numa_stat_item {
	NUMA_HIT,
	NUMA_MISS,
	NUMA_FOREIGN,
	NUMA_INTERLEAVE_HIT,
	NUMA_LOCAL,
	NUMA_OTHER,
	NR_VM_NUMA_EVENT_ITEMS,
};

/*
 * Machine-wide event counters (enum vm_event_item): the subset the
 * simulation maintains, in the kernel's order.  src/core/vmstat.c maps each
 * to its /proc/vmstat name.
 */
enum hn_vm_event_item {
	PGALLOC_DMA,			/* + zone index: one per zone type */
	PGALLOC_DMA32,
	PGALLOC_NORMAL,
	PGALLOC_MOVABLE,
	PGALLOC_DEVICE,
	ALLOCSTALL_DMA,
	ALLOCSTALL_DMA32,
	ALLOCSTALL_NORMAL,
	ALLOCSTALL_MOVABLE,
	ALLOCSTALL_DEVICE,
	PGFREE,
	PGMIGRATE_SUCCESS,
	PGMIGRATE_FAIL,
	COMPACTMIGRATE_SCANNED,
	COMPACTFREE_SCANNED,
	COMPACTISOLATED,
	COMPACTSTALL,
	COMPACTFAIL,
	COMPACTSUCCESS,
	KCOMPACTD_WAKE,
	KCOMPACTD_MIGRATE_SCANNED,
	KCOMPACTD_FREE_SCANNED,
	NR_VM_EVENT_ITEMS,
};

enum hn_zone_wmark {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	WMARK_PROMO,
	NR_WMARK,
};

/* Zone counters: the kernel's zone_stat_item (ZSMALLOC and UNACCEPTED_MEMORY on). */
enum hn_zone_stat_item {
	NR_FREE_PAGES,
	NR_ZONE_INACTIVE_ANON,
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_ZONE_WRITE_PENDING,
	NR_MLOCK,
	NR_BOUNCE,
	NR_ZSPAGES,
	NR_FREE_CMA_PAGES,
	NR_UNACCEPTED,
	NR_VM_ZONE_STAT_ITEMS,
};

/*
 * Node counters: the kernel's node_stat_item, the ones the simulation
 * keeps, in its order (/proc/vmstat prints them between the NUMA events
 * and the vm events).
 */
enum hn_node_stat_item {
	NR_ISOLATED_ANON,		/* anonymous pages isolated for migration */
	NR_ANON_MAPPED,			/* "nr_anon_pages": mapped anonymous pages */
	NR_FOLL_PIN_ACQUIRED,		/* pin_user_pages() pins taken */
	NR_FOLL_PIN_RELEASED,		/* unpin_user_page() pins dropped */
	NR_VM_NODE_STAT_ITEMS,
};

struct hn_pglist_data;

struct hn_zone {
	uint64_t _watermark[NR_WMARK];
	uint64_t watermark_boost;
	int64_t lowmem_reserve[HN_MAX_NR_ZONES];
	struct hn_pglist_data *zone_pgdat;
	uint64_t zone_start_pfn;
	uint64_t spanned_pages;
	uint64_t present_pages;
	uint64_t managed_pages;
	uint64_t cma_pages;
	const char *name;
	enum hn_zone_type idx;
	struct hn_free_area *free_area;	/* [nr_page_orders] */
	int64_t vm_stat[NR_VM_ZONE_STAT_ITEMS];
	uint64_t vm_numa_event[NR_VM_NUMA_EVENT_ITEMS];
	struct hn_per_cpu_pages *per_cpu_pageset;	/* [nr_cpu_ids], NULL if unmanaged */
	/*
	 * For the order-0 fast paths: this_cpu_ptr(per_cpu_pageset) for
	 * sim->cur_cpu (NULL without pcp lists), and the numa event
	 * (NUMA_LOCAL or NUMA_OTHER) an allocation from this zone counts for
	 * the current CPU.  hn_update_this_cpu() keeps both whenever cur_cpu
	 * or cur_nid changes, in the node zones (attribute zones never take
	 * the fast paths, and leave these zero).
	 */
	struct hn_per_cpu_pages *this_cpu_pcp;
	enum hn_numa_stat_item numa_local_stat;
	uint64_t nr_reserved_highatomic;
	uint64_t nr_free_highatomic;
	uint64_t nr_isolate_pageblock;
	/*
	 * Pages handed out and not yet freed: not a kernel counter (the kernel
	 * trusts its callers), kept so hn_sim_check() can prove
	 * managed == free on buddy lists + free on pcp lists + allocated.
	 */
	uint64_t nr_allocated;
	unsigned int flags;		/* enum hn_zone_flags */
	/*
	 * Hierarchical NUMA (HN_SIM_HNUMA): an ordinary zone may hold
	 * attribute nodes (attrs != NULL).  Each node's pages live in a zone of
	 * their own (struct hn_attr_zone below), so the buddy code serves
	 * both unchanged; such a zone points back to its parent.
	 */
	struct hn_attr_set *attrs;
	struct hn_zone *parent;
	/*
	 * Compaction's memory between runs (struct zone's compact_* fields,
	 * mm/compaction.c): where the free scanner and the two migrate
	 * scanners (async, sync) restart, where a whole-zone run started, and
	 * the deferral state: after a failure at order compact_order_failed,
	 * 1 << compact_defer_shift attempts are skipped (compact_considered
	 * counts them).  compact_blockskip_flush asks for the pageblock skip
	 * hints to be cleared.
	 */
	uint64_t compact_cached_free_pfn;
	uint64_t compact_cached_migrate_pfn[2];
	uint64_t compact_init_migrate_pfn;
	uint64_t compact_init_free_pfn;
	unsigned int compact_considered;
	unsigned int compact_defer_shift;
	int compact_order_failed;
	bool compact_blockskip_flush;
};

/*
 * An attribute node with its buddy: the slides' cdm_node.  node.owner
 * points back here.  The zone part covers exactly [start_pfn, end_pfn),
 * which boot aligns to MAX_PAGE_ORDER blocks so that no buddy pair ever
 * straddles an attribute boundary.
 */
struct hn_attr_zone {
	struct hn_attr_node node;
	struct hn_zone zone;
};

static inline struct hn_attr_zone *attr_zone_of(const struct hn_attr_node *n)
{
	return n->owner;
}

/* The attribute node whose zone part is @az (az->parent != NULL). */
static inline const struct hn_attr_zone *attr_zone_of_zone(const struct hn_zone *az)
{
	return (const struct hn_attr_zone *)((const char *)az - offsetof(struct hn_attr_zone, zone));
}

/* The attribute zone holding @pfn inside the ordinary @zone, or NULL (mmzone.c). */
struct hn_zone *hn_attr_zone_lookup(const struct hn_zone *zone, uint64_t pfn);

/* Every attribute zone of @zone (none unless HN_SIM_HNUMA). */
#define for_each_attr_zone(parent, az, i__)                                              \
	for (unsigned int i__ = 0; (parent)->attrs && i__ < (parent)->attrs->nr; i__++)   \
		for (struct hn_zone *az = &attr_zone_of((parent)->attrs->nodes[i__])->zone; az; \
		     az = NULL)

struct hn_pglist_data {
	struct hn_sim *sim;
	int node_id;
	int nr_zones;			/* 1 + highest populated zone index */
	struct hn_zone node_zones[HN_MAX_NR_ZONES];
	uint64_t node_start_pfn;
	uint64_t node_spanned_pages;
	uint64_t node_present_pages;
	uint64_t zone_movable_pfn;	/* 0 = no ZONE_MOVABLE on this node */
	struct hn_page *mem_map;
	size_t mem_map_bytes;		/* host mapping length */
	struct hn_page *block_map;	/* heads of free max-order blocks */
	size_t block_map_bytes;
	uint64_t nr_blocks;
	uint8_t *pageblock_mt;		/* one migratetype per pageblock */
	/*
	 * pageblock_mt's address less node_start_pfn's pageblock number, so
	 * that base + (pfn >> pageblock_order) addresses the pfn's byte with no
	 * subtraction.  An integer: the biased address itself points nowhere.
	 */
	uintptr_t pageblock_mt_base;
	uint64_t nr_pageblocks;
	uint64_t nodedata_pa;		/* where simulated NODE_DATA was allocated */
	unsigned int nr_cpus;
	struct hn_zonelist node_zonelists[MAX_ZONELISTS];
	/* one hn_page_ext per page, beside mem_map, lazily mapped like it */
	struct hn_page_ext *page_ext;
	size_t page_ext_bytes;
	/* PB_migrate_skip: compaction's "nothing to do here" hint, per pageblock */
	uint8_t *pageblock_skip;
	int64_t vm_stat[NR_VM_NODE_STAT_ITEMS];
	/*
	 * kcompactd (mm/compaction.c): the largest order and the tightest
	 * zone index asked of it since it last ran, a proactive run asked
	 * for, and when it next wakes by itself (simulated ns; 0: only when
	 * woken).  The migrate layer runs it.
	 */
	int kcompactd_max_order;
	int kcompactd_highest_zoneidx;
	bool proactive_compact_trigger;
	bool kcompactd_woken;
	uint64_t kcompactd_next_ns;
	uint64_t kcompactd_timeout_ns;
};

struct hn_slowpath_ops;
struct hn_mm;
struct hn_migrate_ops;
struct hn_migrate_state;
struct hn_contents;
struct hn_daemon;

/* One failure site's attributes and counters (fault.c). */
struct hn_fault_site_state {
	struct hn_fault_attr attr;
	uint64_t count;			/* crossings seen by the interval test */
	uint64_t failed_times;		/* failures charged against attr.times */
	struct hn_fault_stats stats;
};

/* The kernel's printk ring, simplified: an append-only text buffer. */
struct hn_dmesg {
	char *buf;
	size_t len, cap;
};

/*
 * One entry per memory section (SECTION_SIZE_BITS of physical address):
 * the zone when one zone covers the whole section, which is every section
 * but those at zone boundaries, holes, ZONE_DEVICE and attribute nodes;
 * and, for those, what pfn_to_page(), get_pageblock_migratetype() and
 * this_cpu_ptr(zone->per_cpu_pageset) need, copied from the node and the
 * zone (none of them changes after boot), so that the free path reaches
 * its page and its pcp list in one lookup, as the kernel's section_mem_map
 * lets it reach the page.  All zero when zone is NULL.
 */
struct hn_section {
	struct hn_zone *zone;
	struct hn_page *mem_map;
	uint64_t node_start_pfn;
	uintptr_t pageblock_mt_base;
	struct hn_per_cpu_pages *per_cpu_pageset;
};

struct hn_sim {
	struct hn_sim_config cfg;	/* resolved: no zero "defaults" left */
	struct hn_machine *machine;
	struct hn_memblock *memblock;
	bool booted;

	unsigned int page_shift;
	uint64_t page_size;
	unsigned int max_page_order;
	unsigned int nr_page_orders;	/* max_page_order + 1 */
	unsigned int pageblock_order;
	uint64_t pageblock_nr_pages;
	unsigned int pfn_section_shift;	/* SECTION_SIZE_BITS - page_shift */

	int nr_node_ids;
	struct hn_pglist_data **node_data;
	uint64_t *node_states[HN_NR_NODE_STATES];	/* bitmaps of nr_node_ids bits */
	uint16_t *section_nid;
	struct hn_section *sections;	/* [nr_sections] */
	uint64_t nr_sections;
	unsigned int nr_online_nodes;	/* weight of node_states[N_ONLINE] */
	uint64_t max_pfn;

	unsigned int nr_cpu_ids;
	int *cpu_to_node;
	unsigned int cur_cpu;		/* smp_processor_id() of the simulated caller */
	int cur_nid;			/* numa_node_id(): cur_cpu's node, kept with it */

	uint64_t arch_zone_lowest_possible_pfn[HN_MAX_NR_ZONES];
	uint64_t arch_zone_highest_possible_pfn[HN_MAX_NR_ZONES];
	uint64_t min_free_kbytes;
	/* user_min_free_kbytes: -1 until vm.min_free_kbytes is written */
	int64_t user_min_free_kbytes;
	/* transparent_hugepage/enabled, and whether khugepaged runs (khugepaged.c) */
	enum hn_thp_enabled thp_enabled;
	bool khugepaged_running;
	/* where the simulated kernel image lies, for free_initmem() */
	uint64_t kernel_image_base;
	uint64_t totalram_pages;
	uint64_t totalreserve_pages;
	unsigned int watermark_boost_factor;	/* sysctl, default 15000 */
	uint64_t warn_alloc_last_ns;		/* warn_alloc()'s ratelimit */
	bool debug_touched_all;			/* debug_vm: the last operation may have touched any zone */
	bool page_group_by_mobility_disabled;
	enum hn_zone_type policy_zone;
	unsigned int *node_load;		/* build_zonelists() scratch, [nr_node_ids] */
	/* cpumask_of_node() is filled: find_next_best_node()'s CPU penalty applies */
	bool node_cpumasks_filled;
	uint64_t vm_events[NR_VM_EVENT_ITEMS];
	/* mems_allowed of the simulated caller's cpuset; all online nodes by default */
	struct hn_nodemask mems_allowed;
	/* tasks (src/mempolicy/mempolicy.c), newest first, and the last pid given */
	struct hn_task *tasks;
	int last_pid;
	/* weighted_interleave/nodeN: 0 means the default weight, 1 */
	uint8_t il_weight[HN_MAX_NUMNODES];
	/* Slow-path steps that later subsystems fill; NULL means "no progress". */
	const struct hn_slowpath_ops *slowpath;
	void *slowpath_ctx;
	/* PF_MEMALLOC of direct compaction and reclaim: their allocations never recurse */
	bool memalloc_noreclaim;
	/*
	 * Address spaces by id (src/mempolicy), so that a page's rmap can
	 * name its mapper in 32 bits; [0] is never used, a freed slot is NULL.
	 */
	struct hn_mm **mm_table;
	uint32_t mm_table_size;
	/* What the task layer asks of migration (src/migrate fills it at boot). */
	const struct hn_migrate_ops *migrate_ops;
	/* The migrate layer's own state: statistics, movable owners, kcompactd. */
	struct hn_migrate_state *migrate;
	/*
	 * Simulated time the kernel spent on behalf of the caller since the
	 * run engine last took it (a migration's copy, a compaction): the
	 * task that made the call pays it.
	 */
	uint64_t charged_ns;
	/* Page contents (contents.c); NULL: metadata only, the default. */
	struct hn_contents *contents;
	/*
	 * The simulated kernel threads and timers that run when simulated
	 * time passes (daemon.c): kcompactd now, kswapd with reclaim.
	 */
	struct hn_daemon *daemons;
	unsigned int nr_daemons;
	uint64_t daemon_next_ns;	/* the earliest next_ns of any daemon */
	/* vm.extfrag_threshold, vm.compaction_proactiveness, vm.compact_unevictable_allowed */
	int extfrag_threshold;
	unsigned int compaction_proactiveness;
	bool compact_unevictable_allowed;
	/*
	 * HN_SIM_HNUMA: the flag, the matching strategy and its weights, and
	 * how many attribute requests fell back to plain memory.
	 */
	bool hnuma;
	uint64_t attr_fallbacks;
	/*
	 * While an attribute node of @zone is being offlined (its pages
	 * migrating out), allocations in @zone match against @set, the zone's
	 * set without that node: offline_pages()'s nodemask that leaves out
	 * the memory going away.  Both NULL otherwise.
	 */
	struct {
		const struct hn_zone *zone;
		const struct hn_attr_set *set;
	} attr_offline;
	const struct hn_attr_match_ops *attr_match;
	unsigned int attr_weights[HN_MATTR_NR_PROPS];

	struct hn_rng rng;
	struct hn_rng fault_rng;
	struct hn_fault_site_state fault[HN_FAULT_NR_SITES];
	uint64_t fail_nth;		/* fail the fail_nth-th crossing of any site; 0 off */
	bool faults_armed;		/* any site can fail: the fast test in hn_should_fail() */
	uint64_t clock_ns;
	struct hn_dmesg dmesg;
	struct hn_log_sink log;
	hn_trace_fn trace_fn;		/* NULL: tracing off */
	void *trace_ctx;
	uint64_t trace_index;
	/*
	 * The order-0 fast paths of page_alloc.c may run: booted, not
	 * tracing, no fault site armed.  One byte for them to test, kept by
	 * hn_fastpath_update() wherever one of those changes.
	 */
	bool fastpath;
	bool fastpath_disabled;	/* tests: the general path only */
	uint64_t fastpath_max_pfn;	/* max_pfn while fastpath, else 0: one test for free_fast() */
	/* cur_cpu's byte offset in a per_cpu_pageset array, kept with cur_cpu */
	size_t this_cpu_pcp_offset;
	uint64_t fastpath_hits;	/* debug_vm builds: requests the fast paths served */
	/*
	 * What a local request needs from its GFP mask, by the mask's low five
	 * bits (zone modifiers and mobility) and __GFP_THISNODE: the first
	 * zone of cur_nid's FALLBACK or NOFALLBACK list for gfp_zone(), with
	 * no nodemask, and that zone index and gfp_migratetype().  zone is
	 * NULL for a mask that names no valid zone or migratetype, and when
	 * cur_nid is offline or has no lists yet.  hn_update_local_zones()
	 * recomputes it whenever cur_nid, the zonelists or mobility grouping
	 * change.
	 */
	struct hn_local_gfp {
		struct hn_zone *zone;
		int8_t highest_zoneidx;
		int8_t migratetype;
	} local_gfp[MAX_ZONELISTS][1u << HN_LOCAL_GFP_BITS];
};

#define HN_DEBUG_VM_ENABLED (HNUMA_DEBUG_VM + 0)

static inline void hn_fastpath_update(struct hn_sim *sim)
{
	sim->fastpath = sim->booted && !sim->trace_fn && !sim->faults_armed && !sim->fastpath_disabled;
	sim->fastpath_max_pfn = sim->fastpath ? sim->max_pfn : 0;
}

static inline struct hn_pglist_data *NODE_DATA(const struct hn_sim *sim, int nid)
{
	return sim->node_data[nid];
}

static inline bool populated_zone(const struct hn_zone *z)
{
	return z->present_pages != 0;
}

static inline bool managed_zone(const struct hn_zone *z)
{
	return z->managed_pages != 0;
}

static inline uint64_t zone_end_pfn(const struct hn_zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}

static inline bool zone_spans_pfn(const struct hn_zone *z, uint64_t pfn)
{
	return z->zone_start_pfn <= pfn && pfn < zone_end_pfn(z);
}

static inline uint64_t pgdat_end_pfn(const struct hn_pglist_data *p)
{
	return p->node_start_pfn + p->node_spanned_pages;
}

static inline uint64_t min_wmark_pages(const struct hn_zone *z)
{
	return z->_watermark[WMARK_MIN] + z->watermark_boost;
}

static inline uint64_t low_wmark_pages(const struct hn_zone *z)
{
	return z->_watermark[WMARK_LOW] + z->watermark_boost;
}

static inline uint64_t high_wmark_pages(const struct hn_zone *z)
{
	return z->_watermark[WMARK_HIGH] + z->watermark_boost;
}

static inline uint64_t promo_wmark_pages(const struct hn_zone *z)
{
	return z->_watermark[WMARK_PROMO] + z->watermark_boost;
}

/* Node of a pfn through the section table; -1 for a hole. */
static inline int pfn_to_nid(const struct hn_sim *sim, uint64_t pfn)
{
	uint64_t sec = pfn >> sim->pfn_section_shift;

	if (sec >= sim->nr_sections || sim->section_nid[sec] == HN_NO_NODE)
		return -1;
	return sim->section_nid[sec];
}

/*
 * The end of the run of pfns from @pfn that belong to @zone: the zone's
 * end, or for an ordinary zone holding attribute nodes, the start of the
 * next one.
 */
static inline uint64_t hn_zone_run_end(const struct hn_zone *zone, uint64_t pfn)
{
	uint64_t end = zone->zone_start_pfn + zone->spanned_pages;

	if (zone->attrs) {
		for (unsigned int i = 0; i < zone->attrs->nr; i++) {
			const struct hn_attr_node *n = zone->attrs->nodes[i];

			if (n->start_pfn > pfn && n->start_pfn < end) {
				end = n->start_pfn;
				break;
			}
		}
	}
	return end;
}

/* The zone that spans @pfn on its node, or NULL (the slow search). */
struct hn_zone *hn_pfn_zone_slow(const struct hn_sim *sim, uint64_t pfn);

/*
 * page_zone(): the section table names the zone when one zone covers the
 * whole section, which is every section but those at zone boundaries.
 */
static inline struct hn_zone *hn_pfn_zone(const struct hn_sim *sim, uint64_t pfn)
{
	uint64_t sec = pfn >> sim->pfn_section_shift;

	if (sim->sections && sec < sim->nr_sections && sim->sections[sec].zone)
		return sim->sections[sec].zone;
	return hn_pfn_zone_slow(sim, pfn);
}

static inline struct hn_page *pfn_to_page(const struct hn_pglist_data *pgdat, uint64_t pfn)
{
	return &pgdat->mem_map[pfn - pgdat->node_start_pfn];
}

/* Index of the max-order block holding @pfn in the node's block_map. */
static inline uint64_t block_index(const struct hn_pglist_data *pgdat, uint64_t pfn)
{
	unsigned int mo = pgdat->sim->max_page_order;

	return (pfn >> mo) - (pgdat->node_start_pfn >> mo);
}

/*
 * The struct hn_page that carries the free-list state of a block of @order
 * starting at @pfn: block_map for max-order blocks, mem_map otherwise.
 */
static inline struct hn_page *hn_buddy_head(const struct hn_pglist_data *pgdat, uint64_t pfn,
					    unsigned int order)
{
	if (order == pgdat->sim->max_page_order)
		return &pgdat->block_map[block_index(pgdat, pfn)];
	return &pgdat->mem_map[pfn - pgdat->node_start_pfn];
}

static inline uint64_t page_to_pfn(const struct hn_pglist_data *pgdat, const struct hn_page *page)
{
	return pgdat->node_start_pfn + (uint64_t)(page - pgdat->mem_map);
}

/*
 * Pageblocks are aligned to absolute pfns, not to the node start: the
 * pfn's pageblock number indexes pageblock_mt_base (see there).
 */
static inline uint8_t *pageblock_mt_byte(const struct hn_pglist_data *pgdat, uint64_t pfn)
{
	return (uint8_t *)(pgdat->pageblock_mt_base + (pfn >> pgdat->sim->pageblock_order));
}

static inline int get_pageblock_migratetype(const struct hn_pglist_data *pgdat, uint64_t pfn)
{
	return *pageblock_mt_byte(pgdat, pfn);
}

static inline void set_pageblock_migratetype(struct hn_pglist_data *pgdat, uint64_t pfn, int mt)
{
	*pageblock_mt_byte(pgdat, pfn) = (uint8_t)mt;
}

/*
 * compaction's verdicts (enum compact_result) and how hard a direct
 * compaction tries (enum compact_priority), in the kernel's order: the
 * slow path compares results with < and >, as the kernel does.
 */
enum hn_compact_result {
	COMPACT_NOT_SUITABLE_ZONE,	/* for tracing: the zone cannot be compacted */
	COMPACT_SKIPPED,		/* not enough free memory to compact */
	COMPACT_DEFERRED,		/* failed recently at this order: not now */
	COMPACT_NO_SUITABLE_PAGE,	/* for tracing: no page suits yet */
	COMPACT_CONTINUE,		/* keep going */
	COMPACT_COMPLETE,		/* the whole zone scanned, no page made */
	COMPACT_PARTIAL_SKIPPED,	/* a partial scan, from cached positions */
	COMPACT_CONTENDED,		/* stopped early (too many isolated pages) */
	COMPACT_SUCCESS,		/* a page of the order is free now */
};

enum hn_compact_priority {
	COMPACT_PRIO_SYNC_FULL,
	MIN_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_FULL,
	COMPACT_PRIO_SYNC_LIGHT,
	MIN_COMPACT_COSTLY_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	DEF_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	COMPACT_PRIO_ASYNC,
	INIT_COMPACT_PRIORITY = COMPACT_PRIO_ASYNC,
};

/*
 * The slow path's steps that belong to the subsystems above the allocator,
 * which fill this table at boot (sim->slowpath; a NULL step does nothing,
 * as the kernel behaves with an empty LRU or no compaction):
 *   wake_kswapd           wakeup_kswapd() for @zone's node
 *   direct_reclaim        try_to_free_pages(): pages made available
 *   try_to_compact_pages  direct compaction of the zones @zonelist offers
 *                         the request (highest zone index, nodemask); the
 *                         compact_result
 *   compaction_defer_reset  an allocation succeeded after compaction
 *   compaction_zonelist_suitable  whether some zone would have enough
 *                         order-0 memory for compaction if reclaim ran
 */
struct hn_zonelist;

struct hn_slowpath_ops {
	void (*wake_kswapd)(void *ctx, struct hn_sim *sim, struct hn_zone *zone, unsigned int order,
			    hn_gfp_t gfp, int highest_zoneidx);
	uint64_t (*direct_reclaim)(void *ctx, struct hn_sim *sim, unsigned int order, hn_gfp_t gfp,
				   const struct hn_nodemask *nodemask);
	enum hn_compact_result (*try_to_compact_pages)(void *ctx, struct hn_sim *sim, hn_gfp_t gfp,
						       unsigned int order, unsigned int alloc_flags,
						       struct hn_zonelist *zonelist,
						       int highest_zoneidx,
						       const struct hn_nodemask *nodemask,
						       enum hn_compact_priority prio);
	void (*compaction_defer_reset)(void *ctx, struct hn_zone *zone, unsigned int order,
				       bool alloc_success);
	bool (*compaction_zonelist_suitable)(void *ctx, struct hn_sim *sim, unsigned int order,
					     unsigned int alloc_flags, struct hn_zonelist *zonelist,
					     int highest_zoneidx,
					     const struct hn_nodemask *nodemask);
};

/*
 * gfp_zone(): the highest zone index a request may use, through the
 * kernel's GFP_ZONE_TABLE (gfp.c).  Returns -EINVAL for the combinations
 * GFP_ZONE_BAD forbids (e.g. __GFP_DMA|__GFP_DMA32): the kernel's
 * VM_BUG_ON becomes a refusal, since the caller passed it.  Every machine
 * uses the x86_64 table (gfp.c); zone population decides what exists.
 */
extern const signed char hn_gfp_zone_table[16];

static inline int hn_gfp_zone(hn_gfp_t gfp)
{
	int z = hn_gfp_zone_table[gfp & GFP_ZONEMASK];

	return z < 0 ? -EINVAL : z;
}

/* gfp_migratetype(): MOVABLE, RECLAIMABLE, UNMOVABLE (or UNMOVABLE always
 * when mobility grouping is disabled). */
static inline int gfp_migratetype(const struct hn_sim *sim, hn_gfp_t gfp)
{
	if (sim->page_group_by_mobility_disabled)
		return HN_MIGRATE_UNMOVABLE;
	return (int)((gfp & GFP_MOVABLE_MASK) >> 3);
}

static inline bool node_online(const struct hn_sim *sim, int nid)
{
	return nid >= 0 && nid < sim->nr_node_ids &&
	       ((sim->node_states[HN_N_ONLINE][nid / 64] >> (nid % 64)) & 1);
}

static inline int zone_to_nid(const struct hn_zone *z)
{
	return z->zone_pgdat->node_id;
}

static inline int cpu_to_node(const struct hn_sim *sim, unsigned int cpu)
{
	return cpu < sim->nr_cpu_ids ? sim->cpu_to_node[cpu] : -1;
}

/* numa_node_id(): the node of the current CPU, or the first node with memory. */
static inline int hn_numa_node_id(const struct hn_sim *sim)
{
	return sim->cur_nid;
}

/* Every zone of every node that has a pglist_data, empty ones included. */
#define for_each_zone(sim, zone)                                                    \
	for (int nid__ = 0; nid__ < (sim)->nr_node_ids; nid__++)                     \
		for (struct hn_zone *zone = NODE_DATA(sim, nid__) ?                   \
			     NODE_DATA(sim, nid__)->node_zones : NULL;                \
		     zone && zone < NODE_DATA(sim, nid__)->node_zones + HN_MAX_NR_ZONES; \
		     zone++)

/* What zone->this_cpu_pcp and zone->numa_local_stat stand for. */
static inline struct hn_per_cpu_pages *hn_zone_this_cpu_pcp(const struct hn_sim *sim,
							    const struct hn_zone *zone)
{
	return zone->per_cpu_pageset ? &zone->per_cpu_pageset[sim->cur_cpu] : NULL;
}

static inline enum hn_numa_stat_item hn_zone_numa_local_stat(const struct hn_sim *sim,
							     const struct hn_zone *zone)
{
	return zone_to_nid(zone) == sim->cur_nid ? NUMA_LOCAL : NUMA_OTHER;
}

/* vmstat bookkeeping, the kernel's helpers of the same names. */
static inline void __count_vm_events(struct hn_sim *sim, enum hn_vm_event_item item, uint64_t n)
{
	sim->vm_events[item] += n;
}

/* PGALLOC_DMA + zone index, ALLOCSTALL_DMA + zone index, ... */
static inline void __count_zid_vm_events(struct hn_sim *sim, enum hn_vm_event_item base, int zid,
					 uint64_t n)
{
	sim->vm_events[base + zid] += n;
}

static inline void __count_numa_events(struct hn_zone *zone, enum hn_numa_stat_item item, uint64_t n)
{
	zone->vm_numa_event[item] += n;
}

static inline void __mod_zone_page_state(struct hn_zone *zone, enum hn_zone_stat_item item,
					 int64_t delta)
{
	zone->vm_stat[item] += delta;
}

static inline void __mod_node_page_state(struct hn_pglist_data *pgdat, enum hn_node_stat_item item,
					 int64_t delta)
{
	pgdat->vm_stat[item] += delta;
}

/*
 * Failure sites (fault.c).  hn_should_fail() is the kernel's should_fail():
 * true means "fail this one".  The inline test keeps uninstrumented runs at
 * one branch per crossing; crossings are counted only while faults are armed.
 */
void hn_fault_init(struct hn_sim *sim);
bool hn_should_fail_slow(struct hn_sim *sim, enum hn_fault_site site);

static inline bool hn_should_fail(struct hn_sim *sim, enum hn_fault_site site)
{
	if (hn_likely(!sim->faults_armed))
		return false;
	return hn_should_fail_slow(sim, site);
}

/* Tracing (trace.c): fill the event's own fields, then emit. */
void hn_trace_emit(struct hn_sim *sim, struct hn_trace_event *ev);

static inline bool hn_tracing(const struct hn_sim *sim)
{
	return hn_unlikely(sim->trace_fn != NULL);
}

/* The instance's host allocator: a failure site (HN_FAULT_HOST_ALLOC). */
void *hn_sim_malloc(struct hn_sim *sim, size_t size);
void *hn_sim_calloc(struct hn_sim *sim, size_t n, size_t size);
void *hn_sim_realloc(struct hn_sim *sim, void *ptr, size_t size);

/* printk into the instance's log buffer (and the log sink). */
void hn_printk(struct hn_sim *sim, enum hn_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Send a corruption report to the hook and the log.  Never fails. */
void hn_report(struct hn_sim *sim, const char *reason, const char *function,
	       int nid, int zone, uint64_t pfn, unsigned int order,
	       const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* hn_report() of a zone-wide violation found by hn_sim_check()'s walks. */
#define zone_report(sim, zone, reason, ...)                                         \
	hn_report(sim, reason, "hn_sim_check", (zone)->zone_pgdat->node_id,          \
		  (int)(zone)->idx, UINT64_MAX, 0, __VA_ARGS__)

/* Host memory for large, mostly-untouched tables (host.c). */
void *hn_host_map_zeroed(size_t bytes);
void *hn_host_map_huge(size_t bytes);
void hn_host_unmap(void *p, size_t bytes);

#endif /* HN_CORE_MMZONE_H */

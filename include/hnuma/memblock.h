/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file hnuma/memblock.h
 * @brief Boot-time physical memory map: the simulated counterpart of the
 *        kernel's memblock (mm/memblock.c, Linux 6.12).
 *
 * A memblock describes the simulated machine's physical memory as two sorted
 * lists of regions: "memory" (what exists, with its NUMA node, flags and
 * hnuma attribute word) and "reserved" (what early boot has taken).  The
 * allocation calls find a free range top-down or bottom-up exactly as the
 * kernel does and record it in "reserved".
 *
 * Conventions, shared by every function below:
 *  - functions returning int return 0 (or a documented non-negative value) on
 *    success and a negative errno on failure:
 *      -EINVAL  bad argument (NULL pointer, node id out of range, alignment not
 *               a power of two, unknown flag bits);
 *      -ENOMEM  the host ran out of memory (state unchanged);
 *      -ENOSPC  simulated memory cannot satisfy the request: no free range for
 *               an allocation, or a region array must grow and cannot (growth
 *               is refused until hn_memblock_allow_resize(), and after it needs
 *               a free simulated range for the doubled array).
 *  - a size that would run past the top of the physical address space is cut
 *    at HN_PHYS_ADDR_MAX (the kernel's memblock_cap_size()).
 *  - node ids: 0..max_nodes-1 are nodes.  Memory added with hn_memblock_add()
 *    and every reserved region carry nid == max_nodes, the kernel's
 *    MAX_NUMNODES ("no node assigned").  HN_NUMA_NO_NODE (-1) is accepted
 *    wherever the kernel accepts NUMA_NO_NODE.
 *  - a memblock is not thread-safe: locking is the caller's.  Distinct
 *    memblocks are independent.
 *  - nothing is printed; diagnostics (the kernel's memblock_dbg, pr_warn and
 *    WARN lines) go to the optional log sink in the configuration.
 */
#ifndef HNUMA_MEMBLOCK_H
#define HNUMA_MEMBLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <hnuma/export.h>
#include <hnuma/log.h>

HN_BEGIN_DECLS

#ifndef HN_NUMA_NO_NODE
/** The kernel's NUMA_NO_NODE: "any node" in requests. */
#define HN_NUMA_NO_NODE (-1)
#endif

/** Highest physical address (phys_addr_t all ones). */
#define HN_PHYS_ADDR_MAX UINT64_MAX

/** @c end / @c max_addr values with the kernel's meaning. */
#define HN_MEMBLOCK_ALLOC_ANYWHERE UINT64_MAX
/** Use the current limit (hn_memblock_get_current_limit()) as the end. */
#define HN_MEMBLOCK_ALLOC_ACCESSIBLE 0ULL
/** Same as ACCESSIBLE (in the kernel it also skips kmemleak). */
#define HN_MEMBLOCK_ALLOC_NOLEAKTRACE 1ULL

/** The kernel's INIT_MEMBLOCK_REGIONS: default length of each region array. */
#define HN_MEMBLOCK_INIT_REGIONS 128u
/** Default and largest accepted hn_memblock_config::max_nodes. */
#define HN_MEMBLOCK_DEFAULT_MAX_NODES 64
#define HN_MEMBLOCK_MAX_NODES_LIMIT 1024

struct hn_memblock;

/** Construction settings.  A zeroed struct means "the kernel's defaults". */
struct hn_memblock_config {
	/** Allocate bottom-up (memblock_set_bottom_up()); default top-down. */
	bool bottom_up;
	/** memblock.current_limit; 0 means HN_MEMBLOCK_ALLOC_ANYWHERE. */
	uint64_t current_limit;
	/** MAX_NUMNODES; 0 means 64; at most 1024. */
	int max_nodes;
	/** Initial entries in each region array; 0 means 128. */
	unsigned int init_regions;
	/** Diagnostics sink; fn == NULL drops messages. */
	struct hn_log_sink log;
	/** PAGE_SHIFT of the simulated machine; 0 means 12.  Range 6..30. */
	unsigned int page_shift;
	/** The kernel's "movable_node" boot option: allocations skip HOTPLUG memory. */
	bool movable_node;
	/** The kernel's "kernelcore=mirror": without it mark_mirror is a no-op. */
	bool mirrored_kernelcore;
	/**
	 * Fault injection: asked before every host allocation; returning true
	 * makes that allocation fail (-ENOMEM, state unchanged).  NULL: never.
	 */
	bool (*host_alloc_fails)(void *ctx);
	void *host_alloc_ctx;
};

/** Region flags, same values as enum memblock_flags. */
enum hn_memblock_flags {
	HN_MEMBLOCK_NONE = 0x0,
	HN_MEMBLOCK_HOTPLUG = 0x1,
	HN_MEMBLOCK_MIRROR = 0x2,
	HN_MEMBLOCK_NOMAP = 0x4,
	HN_MEMBLOCK_DRIVER_MANAGED = 0x8,
	HN_MEMBLOCK_RSRV_NOINIT = 0x10,
};

/** Which region list (memblock.memory or memblock.reserved). */
enum hn_memblock_type_id {
	HN_MEMBLOCK_MEMORY,
	HN_MEMBLOCK_RESERVED,
};

/** One region, as a value (struct memblock_region plus the attribute word). */
struct hn_memblock_region {
	uint64_t base;
	uint64_t size;
	uint32_t flags;  /**< enum hn_memblock_flags bits */
	int nid;         /**< node, HN_NUMA_NO_NODE, or max_nodes when unassigned */
	uint32_t mattr;  /**< hierarchical NUMA attribute word (0 = plain) */
};

/**
 * Cursor for the range iterators.  Initialise with HN_MEMBLOCK_ITER_INIT;
 * @c idx holds the kernel's u64 loop variable (low 32 bits: index into
 * memory, high 32 bits: index of the gap between reserved regions).
 */
struct hn_memblock_iter {
	uint64_t idx;
	bool started;
};
#define HN_MEMBLOCK_ITER_INIT { 0, false }

/**
 * Create a memblock with empty "memory" and "reserved" lists.
 * @param out  receives the new memblock
 * @param cfg  settings, or NULL for the defaults
 * @return 0; -EINVAL for NULL @p out or a setting out of range; -ENOMEM.
 */
HN_EXPORT int hn_memblock_create(struct hn_memblock **out,
				 const struct hn_memblock_config *cfg);

/** Free a memblock.  NULL is accepted and ignored. */
HN_EXPORT void hn_memblock_destroy(struct hn_memblock *mb);

/**
 * Add [base, base+size) to "memory" with no node (nid = max_nodes), merging
 * with compatible neighbours (memblock_add()).  Overlaps with existing
 * regions leave those regions unchanged.  size 0 is accepted and does nothing.
 * @return 0; -EINVAL (NULL @p mb); -ENOSPC (array full and cannot grow); -ENOMEM.
 */
HN_EXPORT int hn_memblock_add(struct hn_memblock *mb, uint64_t base, uint64_t size);

/**
 * Add [base, base+size) to "memory" on node @p nid with @p flags
 * (memblock_add_node()).
 * @param nid  0..max_nodes-1, HN_NUMA_NO_NODE or max_nodes
 * @return 0; -EINVAL (NULL @p mb, @p nid out of range, unknown flag bits);
 *         -ENOSPC; -ENOMEM.
 */
HN_EXPORT int hn_memblock_add_node(struct hn_memblock *mb, uint64_t base,
				   uint64_t size, int nid, uint32_t flags);

/**
 * Remove [base, base+size) from "memory", splitting regions at the edges
 * (memblock_remove()).
 * @return 0; -EINVAL (NULL @p mb); -ENOSPC (a split needs a bigger array and
 *         it cannot grow); -ENOMEM.
 */
HN_EXPORT int hn_memblock_remove(struct hn_memblock *mb, uint64_t base, uint64_t size);

/**
 * Add [base, base+size) to "reserved" (memblock_reserve()).  size 0 does
 * nothing.
 * @return 0; -EINVAL (NULL @p mb); -ENOSPC; -ENOMEM.
 */
HN_EXPORT int hn_memblock_reserve(struct hn_memblock *mb, uint64_t base, uint64_t size);

/**
 * Remove [base, base+size) from "reserved" (memblock_phys_free()).
 * @return 0; -EINVAL (NULL @p mb); -ENOSPC; -ENOMEM.
 */
HN_EXPORT int hn_memblock_free(struct hn_memblock *mb, uint64_t base, uint64_t size);

/**
 * Set HN_MEMBLOCK_HOTPLUG on the memory in [base, base+size)
 * (memblock_mark_hotplug()).  The range is isolated first, so regions are
 * split at its edges and re-merged where possible.
 * @return 0; -EINVAL (NULL @p mb); -ENOSPC; -ENOMEM.
 */
HN_EXPORT int hn_memblock_mark_hotplug(struct hn_memblock *mb, uint64_t base, uint64_t size);

/**
 * Clear HN_MEMBLOCK_HOTPLUG on the memory in [base, base+size)
 * (memblock_clear_hotplug()).
 * @return 0; -EINVAL (NULL @p mb); -ENOSPC; -ENOMEM.
 */
HN_EXPORT int hn_memblock_clear_hotplug(struct hn_memblock *mb, uint64_t base, uint64_t size);

/**
 * Set HN_MEMBLOCK_MIRROR on the memory in [base, base+size)
 * (memblock_mark_mirror()).  As in the kernel this does nothing unless the
 * configuration has mirrored_kernelcore; once it has marked something, every
 * allocation tries mirrored memory first and falls back with a warning.
 * @return 0; -EINVAL (NULL @p mb); -ENOSPC; -ENOMEM.
 */
HN_EXPORT int hn_memblock_mark_mirror(struct hn_memblock *mb, uint64_t base, uint64_t size);

/**
 * Set HN_MEMBLOCK_NOMAP on the memory in [base, base+size)
 * (memblock_mark_nomap()).  NOMAP memory is never allocated from and is not
 * "map memory".
 * @return 0; -EINVAL (NULL @p mb); -ENOSPC; -ENOMEM.
 */
HN_EXPORT int hn_memblock_mark_nomap(struct hn_memblock *mb, uint64_t base, uint64_t size);

/**
 * Clear HN_MEMBLOCK_NOMAP on the memory in [base, base+size)
 * (memblock_clear_nomap()).
 * @return 0; -EINVAL (NULL @p mb); -ENOSPC; -ENOMEM.
 */
HN_EXPORT int hn_memblock_clear_nomap(struct hn_memblock *mb, uint64_t base, uint64_t size);

/**
 * Set HN_MEMBLOCK_RSRV_NOINIT on the reserved regions in [base, base+size)
 * (memblock_reserved_mark_noinit()).
 * @return 0; -EINVAL (NULL @p mb); -ENOSPC; -ENOMEM.
 */
HN_EXPORT int hn_memblock_reserved_mark_noinit(struct hn_memblock *mb, uint64_t base,
					       uint64_t size);

/**
 * Set the hierarchical NUMA attribute word of the memory in [base, base+size).
 * Works like memblock_setclr_flag(): isolate, set, merge.  Regions whose
 * attribute words differ never merge.
 * @return 0; -EINVAL (NULL @p mb); -ENOSPC; -ENOMEM.
 */
HN_EXPORT int hn_memblock_set_mattr(struct hn_memblock *mb, uint64_t base, uint64_t size,
				    uint32_t mattr);

/**
 * Assign node @p nid to the memory in [base, base+size)
 * (memblock_set_node(base, size, &memblock.memory, nid)).
 * @param nid  0..max_nodes-1, HN_NUMA_NO_NODE or max_nodes
 * @return 0; -EINVAL (NULL @p mb, @p nid out of range); -ENOSPC; -ENOMEM.
 */
HN_EXPORT int hn_memblock_set_node(struct hn_memblock *mb, uint64_t base, uint64_t size,
				   int nid);

/** Choose the allocation direction (memblock_set_bottom_up()).  NULL ignored. */
HN_EXPORT void hn_memblock_set_bottom_up(struct hn_memblock *mb, bool enable);

/** True when allocating bottom-up (memblock_bottom_up()); false for NULL. */
HN_EXPORT bool hn_memblock_bottom_up(const struct hn_memblock *mb);

/**
 * Set memblock.current_limit, the end used for HN_MEMBLOCK_ALLOC_ACCESSIBLE
 * (memblock_set_current_limit()).  The value is stored as given: 0 here
 * means "nothing is accessible", as in the kernel.  NULL ignored.
 */
HN_EXPORT void hn_memblock_set_current_limit(struct hn_memblock *mb, uint64_t limit);

/** memblock_get_current_limit(); 0 for NULL. */
HN_EXPORT uint64_t hn_memblock_get_current_limit(const struct hn_memblock *mb);

/**
 * Allow the region arrays to grow (memblock_allow_resize()).  After this,
 * a full array is doubled: the new array's simulated memory is found with
 * the allocator's rules and reserved, and the old one (unless it is the
 * initial array) is freed.  NULL ignored.
 */
HN_EXPORT void hn_memblock_allow_resize(struct hn_memblock *mb);

/**
 * Core allocator (memblock_alloc_range_nid()): find @p size bytes aligned to
 * @p align within [start, end) on node @p nid and reserve them.  When @p nid
 * cannot satisfy it and @p exact_nid is false, any node is tried.  @p end
 * HN_MEMBLOCK_ALLOC_ACCESSIBLE/NOLEAKTRACE means the current limit; the first
 * page is never returned.  @p align 0 is replaced by 64 (SMP_CACHE_BYTES)
 * with a warning, as the kernel does.  @p size 0 is not rejected (the kernel
 * returns an address and reserves nothing).
 * @param out  receives the physical address
 * @return 0; -EINVAL (NULL @p mb or @p out, @p align not a power of two,
 *         @p nid out of range); -ENOSPC (no free range); -ENOMEM.
 */
HN_EXPORT int hn_memblock_alloc_range_nid(struct hn_memblock *mb, uint64_t size,
					  uint64_t align, uint64_t start, uint64_t end,
					  int nid, bool exact_nid, uint64_t *out);

/**
 * memblock_phys_alloc(): any node, below the current limit.
 * @return as hn_memblock_alloc_range_nid().
 */
HN_EXPORT int hn_memblock_phys_alloc(struct hn_memblock *mb, uint64_t size,
				     uint64_t align, uint64_t *out);

/**
 * memblock_phys_alloc_range(): any node, within [start, end).
 * @return as hn_memblock_alloc_range_nid().
 */
HN_EXPORT int hn_memblock_phys_alloc_range(struct hn_memblock *mb, uint64_t size,
					   uint64_t align, uint64_t start, uint64_t end,
					   uint64_t *out);

/**
 * memblock_phys_alloc_try_nid(): node @p nid first, then any node, below the
 * current limit.
 * @return as hn_memblock_alloc_range_nid().
 */
HN_EXPORT int hn_memblock_phys_alloc_try_nid(struct hn_memblock *mb, uint64_t size,
					     uint64_t align, int nid, uint64_t *out);

/**
 * memblock_alloc_try_nid(): @p max_addr is capped at the current limit; node
 * @p nid first, then any node; if nothing fits above @p min_addr, the lower
 * bound is dropped and everything is tried again from 0.
 * @return as hn_memblock_alloc_range_nid().
 */
HN_EXPORT int hn_memblock_alloc_try_nid(struct hn_memblock *mb, uint64_t size,
					uint64_t align, uint64_t min_addr,
					uint64_t max_addr, int nid, uint64_t *out);

/**
 * memblock_alloc_exact_nid_raw(): like hn_memblock_alloc_try_nid() but never
 * falls back to another node (the @p min_addr drop still applies).
 * @return as hn_memblock_alloc_range_nid().
 */
HN_EXPORT int hn_memblock_alloc_exact_nid_raw(struct hn_memblock *mb, uint64_t size,
					      uint64_t align, uint64_t min_addr,
					      uint64_t max_addr, int nid, uint64_t *out);

/** Total size of "memory" (memblock_phys_mem_size()); 0 for NULL. */
HN_EXPORT uint64_t hn_memblock_phys_mem_size(const struct hn_memblock *mb);

/** Total size of "reserved" (memblock_reserved_size()); 0 for NULL. */
HN_EXPORT uint64_t hn_memblock_reserved_size(const struct hn_memblock *mb);

/** Base of the lowest memory region (memblock_start_of_DRAM()); 0 if none or NULL. */
HN_EXPORT uint64_t hn_memblock_start_of_DRAM(const struct hn_memblock *mb);

/**
 * End (exclusive) of the highest memory region (memblock_end_of_DRAM());
 * 0 if there is no memory (the kernel reads out of bounds there) or NULL.
 */
HN_EXPORT uint64_t hn_memblock_end_of_DRAM(const struct hn_memblock *mb);

/** Whether @p addr is in "memory" (memblock_is_memory()); false for NULL. */
HN_EXPORT bool hn_memblock_is_memory(const struct hn_memblock *mb, uint64_t addr);

/** Whether @p addr is in "reserved" (memblock_is_reserved()); false for NULL. */
HN_EXPORT bool hn_memblock_is_reserved(const struct hn_memblock *mb, uint64_t addr);

/**
 * Whether @p addr is memory without HN_MEMBLOCK_NOMAP
 * (memblock_is_map_memory()); false for NULL.
 */
HN_EXPORT bool hn_memblock_is_map_memory(const struct hn_memblock *mb, uint64_t addr);

/**
 * Whether [base, base+size) lies inside one memory region
 * (memblock_is_region_memory()); false for NULL.
 */
HN_EXPORT bool hn_memblock_is_region_memory(const struct hn_memblock *mb, uint64_t base,
					    uint64_t size);

/**
 * Whether [base, base+size) intersects a reserved region
 * (memblock_is_region_reserved()); false for NULL.
 */
HN_EXPORT bool hn_memblock_is_region_reserved(const struct hn_memblock *mb, uint64_t base,
					      uint64_t size);

/**
 * Find the memory region holding page frame @p pfn
 * (memblock_search_pfn_nid()).  @p start_pfn / @p end_pfn (either may be
 * NULL) receive its pfn bounds, rounded down.
 * @param page_shift  PAGE_SHIFT for the pfn arithmetic, 0..63
 * @return the region's nid (>= 0, or HN_NUMA_NO_NODE when the region was
 *         added with it); -ENOENT when @p pfn is not memory; -EINVAL (NULL
 *         @p mb, @p page_shift > 63).
 */
HN_EXPORT int hn_memblock_search_pfn_nid(const struct hn_memblock *mb, uint64_t pfn,
					 unsigned int page_shift, uint64_t *start_pfn,
					 uint64_t *end_pfn);

/**
 * Shrink every memory region to @p align boundaries and drop those that
 * vanish (memblock_trim_memory()).  Unlike the kernel, total_size follows
 * the trim (the kernel leaves it stale).
 * @return 0; -EINVAL (NULL @p mb, @p align not a power of two).
 */
HN_EXPORT int hn_memblock_trim_memory(struct hn_memblock *mb, uint64_t align);

/**
 * Keep only the first @p limit bytes of memory: remove memory and reserved
 * regions above the address where they end (memblock_enforce_memory_limit(),
 * the mem= option).  @p limit 0 or beyond the total does nothing.
 * Memory is cut before reserved; if the second cut fails (a split that
 * cannot get room) the first stays done, and the error is returned.
 * @return 0; -EINVAL (NULL @p mb); -ENOSPC; -ENOMEM.
 */
HN_EXPORT int hn_memblock_enforce_memory_limit(struct hn_memblock *mb, uint64_t limit);

/**
 * Remove all memory outside [base, base+size) except NOMAP regions, and all
 * reserved ranges outside it (memblock_cap_memory_range()).  @p size 0 does
 * nothing.  As with hn_memblock_enforce_memory_limit(), a failure while
 * trimming "reserved" leaves the memory trim done.
 * @return 0; -ENOENT (no memory registered yet, the kernel's pr_warn case);
 *         -EINVAL (NULL @p mb); -ENOSPC; -ENOMEM.
 */
HN_EXPORT int hn_memblock_cap_memory_range(struct hn_memblock *mb, uint64_t base,
					   uint64_t size);

/**
 * Like hn_memblock_enforce_memory_limit() but keeps NOMAP regions above the
 * limit (memblock_mem_limit_remove_map()).
 * @return 0; -EINVAL (NULL @p mb); -ENOSPC; -ENOMEM.
 */
HN_EXPORT int hn_memblock_mem_limit_remove_map(struct hn_memblock *mb, uint64_t limit);

/** Number of regions in a list (memblock_type.cnt); 0 for NULL or a bad type. */
HN_EXPORT unsigned long hn_memblock_region_count(const struct hn_memblock *mb,
						 enum hn_memblock_type_id type);

/**
 * Copy region @p idx of a list into @p out.
 * @return 0; -EINVAL (NULL @p mb or @p out, bad @p type); -ENOENT
 *         (@p idx >= hn_memblock_region_count()).
 */
HN_EXPORT int hn_memblock_region_get(const struct hn_memblock *mb,
				     enum hn_memblock_type_id type, unsigned long idx,
				     struct hn_memblock_region *out);

/**
 * Next free range (memory and not reserved), ascending
 * (for_each_free_mem_range(), __next_mem_range()).  Ranges are split at
 * region boundaries of both lists.  @p nid HN_NUMA_NO_NODE (or max_nodes)
 * means all nodes.  @p flags selects memory as the allocator does: MIRROR
 * keeps only mirrored memory, NOMAP / DRIVER_MANAGED admit such memory,
 * HOTPLUG admits hotpluggable memory when movable_node is on.  Any output
 * pointer may be NULL.
 * @return true with a range; false at the end, or on a bad argument (NULL
 *         @p mb or @p it, @p nid out of range, unknown flag bits).
 */
HN_EXPORT bool hn_memblock_next_free_range(struct hn_memblock *mb, struct hn_memblock_iter *it,
					   int nid, uint32_t flags, uint64_t *start,
					   uint64_t *end, int *out_nid);

/**
 * As hn_memblock_next_free_range(), descending
 * (for_each_free_mem_range_reverse(), __next_mem_range_rev()).
 */
HN_EXPORT bool hn_memblock_prev_free_range(struct hn_memblock *mb, struct hn_memblock_iter *it,
					   int nid, uint32_t flags, uint64_t *start,
					   uint64_t *end, int *out_nid);

/**
 * Next memory region as whole page frames [start_pfn, end_pfn), skipping
 * regions that hold no whole page (for_each_mem_pfn_range()).  @p nid
 * HN_NUMA_NO_NODE or max_nodes means all nodes.  Output pointers may be NULL.
 * @return true with a range; false at the end or on a bad argument (NULL
 *         @p mb or @p it, @p nid out of range, @p page_shift > 63).
 */
HN_EXPORT bool hn_memblock_next_mem_pfn_range(struct hn_memblock *mb,
					      struct hn_memblock_iter *it, int nid,
					      unsigned int page_shift, uint64_t *start_pfn,
					      uint64_t *end_pfn, int *out_nid);

/**
 * Print both lists in the format of /sys/kernel/debug/memblock/memory and
 * .../reserved (memblock_debug_show()): a line "memory:", that file's lines,
 * a line "reserved:", that file's lines.  Each region line reads
 * "%4d: 0x%016llx..0x%016llx %4d FLAGS" (nid "   x" when not a node, FLAGS
 * "NONE" or names joined by '|').  The attribute word is not shown.
 * @return 0; -EINVAL (NULL @p mb or @p f); -EIO (write error).
 */
HN_EXPORT int hn_memblock_dump(const struct hn_memblock *mb, FILE *f);

/**
 * Validate both lists: sorted, non-overlapping, no two adjacent regions
 * with equal nid, flags and attribute word, no zero sizes (except the empty
 * list's zero dummy), total_size equal to the sum, cnt <= max, known flags,
 * node ids in range, no region wrapping past the top.
 * @return 0; -EUCLEAN with the reason sent to the log sink; -EINVAL (NULL).
 */
HN_EXPORT int hn_memblock_check(const struct hn_memblock *mb);

HN_END_DECLS

#endif /* HNUMA_MEMBLOCK_H */

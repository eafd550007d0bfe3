/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * core/memblock.h - the memblock data model (mm/memblock.c, Linux 6.12).
 *
 * Map
 * ---
 *   struct hn_memblock            one boot memory map; owns two region lists
 *     .memory   hn_memblock_type  what physical memory exists ("memory")
 *     .reserved hn_memblock_type  what early boot has taken ("reserved")
 *     plus the kernel's file-scope statics, made per instance:
 *     can_resize (memblock_can_resize), system_has_some_mirror, the
 *     boot options movable_node / mirrored_kernelcore, MAX_NUMNODES
 *     (max_nodes) and PAGE_SHIFT.
 *   struct hn_memblock_type       a sorted array regions[0..cnt) of
 *                                 struct hn_memblock_region (the public value
 *                                 struct doubles as the element), room for max.
 *
 * The kernel starts each list in a static __initdata array.  We model that
 * array as "array_static": it has no simulated address.  Once
 * memblock_double_array() replaces it, the new array lives at a simulated
 * physical address (array_phys) that is reserved in .reserved, exactly as
 * the kernel accounts its own metadata; the host keeps the entries in a
 * realloc'd buffer.  A simulated region entry is HN_MEMBLOCK_REGION_BYTES
 * (the kernel's sizeof(struct memblock_region) with CONFIG_NUMA on 64-bit),
 * so doubled arrays take the same simulated room as in the kernel.
 *
 * Invariants (hn_memblock_check() verifies all of them), for each type t:
 *   1 <= t.max,  t.cnt <= t.max
 *   t.cnt == 0  =>  t.regions[0] == { base 0, size 0, flags 0 }   (dummy)
 *   for 0 <= i < t.cnt:  r[i].size > 0,  r[i].base + r[i].size <= PHYS_ADDR_MAX
 *   for 0 < i < t.cnt:   r[i-1].base + r[i-1].size <= r[i].base
 *                        and if equal: (nid, flags, mattr)[i-1] != (...)[i]
 *   t.total_size == sum over i < t.cnt of r[i].size
 *   -1 <= r[i].nid <= max_nodes;  r[i].flags & ~HN_MEMBLOCK_FLAGS_MASK == 0
 * The dummy region is what add_range tests (regions[0].size == 0) to detect
 * an empty list, and what memblock_search() reads on an empty list.
 *
 * Thread-safety: none inside.  A memblock is used by one thread at a time;
 * locking is the caller's.
 */
#ifndef HN_CORE_MEMBLOCK_H
#define HN_CORE_MEMBLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include <hnuma/log.h>
#include <hnuma/memblock.h>

/* Simulated bytes per region entry: base, size, flags, nid (kernel: 24). */
#define HN_MEMBLOCK_REGION_BYTES 24u

#define HN_MEMBLOCK_FLAGS_MASK                                               \
	(HN_MEMBLOCK_HOTPLUG | HN_MEMBLOCK_MIRROR | HN_MEMBLOCK_NOMAP |        \
	 HN_MEMBLOCK_DRIVER_MANAGED | HN_MEMBLOCK_RSRV_NOINIT)

struct hn_memblock_type {
	unsigned long cnt;              /* regions in use */
	unsigned long max;              /* entries allocated */
	uint64_t total_size;            /* sum of region sizes */
	struct hn_memblock_region *regions;
	const char *name;               /* "memory" / "reserved" */
	uint64_t array_phys;            /* simulated address of regions[] */
	bool array_static;              /* still the initial (unplaced) array */
};

struct hn_memblock {
	bool bottom_up;
	uint64_t current_limit;
	struct hn_memblock_type memory;
	struct hn_memblock_type reserved;

	bool can_resize;
	bool system_has_some_mirror;
	bool movable_node;
	bool mirrored_kernelcore;
	int max_nodes;                  /* MAX_NUMNODES */
	unsigned int page_shift;        /* PAGE_SHIFT */
	struct hn_log_sink log;
	bool (*host_alloc_fails)(void *ctx);	/* fault injection, see the config */
	void *host_alloc_ctx;
};

/*
 * Construct / tear down a memblock embedded in a larger object (the core's
 * hn_sim).  hn_memblock_init returns 0, -EINVAL or -ENOMEM and leaves nothing
 * to free on failure; hn_memblock_fini accepts a zeroed or finished struct.
 */
int hn_memblock_init(struct hn_memblock *mb, const struct hn_memblock_config *cfg);
void hn_memblock_fini(struct hn_memblock *mb);

/*
 * The kernel's __next_mem_range() / __next_mem_range_rev(): one step of a walk
 * over type_a minus type_b (or type_a alone when type_b is NULL).  *idx == 0
 * starts a forward walk, UINT64_MAX a reverse one; UINT64_MAX on return ends
 * it.  Filtering by nid/flags applies only when type_a is mb->memory.
 */
void hn_memblock_next_mem_range(const struct hn_memblock *mb, uint64_t *idx, int nid,
				uint32_t flags, const struct hn_memblock_type *type_a,
				const struct hn_memblock_type *type_b, uint64_t *out_start,
				uint64_t *out_end, int *out_nid);
void hn_memblock_next_mem_range_rev(const struct hn_memblock *mb, uint64_t *idx, int nid,
				    uint32_t flags, const struct hn_memblock_type *type_a,
				    const struct hn_memblock_type *type_b,
				    uint64_t *out_start, uint64_t *out_end, int *out_nid);

/* memblock_overlaps_region() */
bool hn_memblock_overlaps_region(const struct hn_memblock_type *type, uint64_t base,
				 uint64_t size);

/* numa_valid_node() against this memblock's MAX_NUMNODES. */
static inline bool hn_memblock_valid_node(const struct hn_memblock *mb, int nid)
{
	return nid >= 0 && nid < mb->max_nodes;
}

#define hn_for_each_mem_range_type(mb, i, type_a, type_b, nid, flags, p_start, p_end, p_nid) \
	for ((i) = 0, hn_memblock_next_mem_range((mb), &(i), (nid), (flags), (type_a),      \
						 (type_b), (p_start), (p_end), (p_nid));  \
	     (i) != UINT64_MAX;                                                            \
	     hn_memblock_next_mem_range((mb), &(i), (nid), (flags), (type_a), (type_b),    \
					(p_start), (p_end), (p_nid)))

#define hn_for_each_mem_range_type_rev(mb, i, type_a, type_b, nid, flags, p_start, p_end,    \
				       p_nid)                                               \
	for ((i) = UINT64_MAX,                                                              \
	    hn_memblock_next_mem_range_rev((mb), &(i), (nid), (flags), (type_a), (type_b),  \
					   (p_start), (p_end), (p_nid));                    \
	     (i) != UINT64_MAX;                                                             \
	     hn_memblock_next_mem_range_rev((mb), &(i), (nid), (flags), (type_a), (type_b), \
					    (p_start), (p_end), (p_nid)))

/* for_each_free_mem_range(): memory && !reserved, ascending. */
#define hn_for_each_free_mem_range(mb, i, nid, flags, p_start, p_end, p_nid)             \
	hn_for_each_mem_range_type(mb, i, &(mb)->memory, &(mb)->reserved, nid, flags,    \
				   p_start, p_end, p_nid)

/* for_each_free_mem_range_reverse(): memory && !reserved, descending. */
#define hn_for_each_free_mem_range_reverse(mb, i, nid, flags, p_start, p_end, p_nid)     \
	hn_for_each_mem_range_type_rev(mb, i, &(mb)->memory, &(mb)->reserved, nid, flags, \
				       p_start, p_end, p_nid)

/* for_each_reserved_mem_range(): every reserved region. */
#define hn_for_each_reserved_mem_range(mb, i, p_start, p_end)                            \
	hn_for_each_mem_range_type(mb, i, &(mb)->reserved, NULL, HN_NUMA_NO_NODE,        \
				   HN_MEMBLOCK_NONE, p_start, p_end, NULL)

/* for_each_mem_region() / for_each_reserved_mem_region(). */
#define hn_for_each_mem_region(mb, r)                                                    \
	for ((r) = (mb)->memory.regions; (r) < (mb)->memory.regions + (mb)->memory.cnt; (r)++)
#define hn_for_each_reserved_mem_region(mb, r)                                           \
	for ((r) = (mb)->reserved.regions;                                               \
	     (r) < (mb)->reserved.regions + (mb)->reserved.cnt; (r)++)

#endif /* HN_CORE_MEMBLOCK_H */

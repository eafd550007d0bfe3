/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * memblock.c - the kernel's boot-time memory map, mm/memblock.c of Linux 6.12,
 * rewritten for a simulated machine.
 *
 * DOC: how it maps onto the kernel
 *
 * The kernel keeps one global "struct memblock memblock" with two region
 * lists and a handful of file-scope flags.  Here every one of those lives in
 * a caller-owned struct hn_memblock (see core/memblock.h for the map and the
 * invariants), so many machines can boot side by side.  The algorithms keep
 * the kernel's shape and names so the two files read side by side:
 *
 *   memblock_add_range()      two passes: count the pieces the new range
 *                             needs, grow the array, then insert and merge
 *   memblock_isolate_range()  split regions at the edges of a range so an
 *                             operation can act on whole regions
 *   memblock_merge_regions()  join neighbours that touch and agree on nid,
 *                             flags (and, for hnuma, the attribute word)
 *   memblock_double_array()   grow a full list, placing the new array in
 *                             simulated memory and reserving it
 *   find_range_top_down() / find_range_bottom_up()
 *                             the kernel's __memblock_find_range_*() over
 *                             the free-range walk __next_mem_range*()
 *   memblock_alloc_range_nid() and the wrappers: node fallback, mirror
 *                             fallback, the dropped lower bound
 *
 * Where we differ (each noted at the spot): failures are -errno instead of
 * panic/BUG/0; the kernel's WARN and memblock_dbg lines go to the log sink;
 * trim_memory keeps total_size right; end_of_DRAM on an empty map is 0.
 */
#include "core/memblock.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* The kernel substitutes this for a zero alignment (x86-64 L1 line). */
#define SMP_CACHE_BYTES 64u

/* Arrays never grow past this: __next_mem_range packs indices in 32 bits. */
#define MEMBLOCK_MAX_REGIONS (1ul << 30)

#define PA_FMT "0x%016" PRIx64

#define memblock_dbg(mb, ...) hn_logf(&(mb)->log, HN_LOG_DEBUG, __VA_ARGS__)
#define memblock_warn(mb, ...) hn_logf(&(mb)->log, HN_LOG_WARNING, __VA_ARGS__)
#define memblock_err(mb, ...) hn_logf(&(mb)->log, HN_LOG_ERR, __VA_ARGS__)

static inline uint64_t page_size(const struct hn_memblock *mb)
{
	return 1ull << mb->page_shift;
}

static inline uint64_t page_align(const struct hn_memblock *mb, uint64_t x)
{
	return hn_align_up(x, page_size(mb));
}

/* Trim *size so that base + *size cannot wrap; returns the new size. */
static inline uint64_t memblock_cap_size(uint64_t base, uint64_t *size)
{
	*size = HN_MIN(*size, HN_PHYS_ADDR_MAX - base);
	return *size;
}

static inline bool memblock_addrs_overlap(uint64_t base1, uint64_t size1, uint64_t base2,
					  uint64_t size2)
{
	return base1 < base2 + size2 && base2 < base1 + size1;
}

/* Node ids a caller may pass: NUMA_NO_NODE, a node, or MAX_NUMNODES. */
static inline bool nid_arg_ok(const struct hn_memblock *mb, int nid)
{
	return nid >= HN_NUMA_NO_NODE && nid <= mb->max_nodes;
}

static inline bool align_arg_ok(uint64_t align)
{
	return align == 0 || hn_is_power_of_2(align);
}

bool hn_memblock_overlaps_region(const struct hn_memblock_type *type, uint64_t base,
				 uint64_t size)
{
	memblock_cap_size(base, &size);
	for (unsigned long i = 0; i < type->cnt; i++)
		if (memblock_addrs_overlap(base, size, type->regions[i].base,
					   type->regions[i].size))
			return true;
	return false;
}

/* ------------------------------------------------------------------------ */
/* Construction                                                              */

/* The configuration's fault-injection hook, asked before each host allocation. */
static inline bool host_alloc_fails(const struct hn_memblock *mb)
{
	return mb->host_alloc_fails && mb->host_alloc_fails(mb->host_alloc_ctx);
}

static int type_init(struct hn_memblock *mb, struct hn_memblock_type *type, const char *name,
		     unsigned long max)
{
	type->regions = host_alloc_fails(mb) ? NULL : calloc(max, sizeof(*type->regions));
	if (!type->regions)
		return -ENOMEM;
	/*
	 * The kernel's static arrays are zero-filled, so the first dummy region
	 * has nid 0; only memblock_remove_region() writes MAX_NUMNODES into it.
	 */
	type->cnt = 0;
	type->max = max;
	type->total_size = 0;
	type->name = name;
	type->array_phys = 0;
	type->array_static = true;
	return 0;
}

int hn_memblock_init(struct hn_memblock *mb, const struct hn_memblock_config *cfg)
{
	struct hn_memblock_config def = { 0 };
	unsigned int init_regions;
	int ret;

	if (!mb)
		return -EINVAL;
	if (!cfg)
		cfg = &def;
	if (cfg->max_nodes < 0 || cfg->max_nodes > HN_MEMBLOCK_MAX_NODES_LIMIT)
		return -EINVAL;
	if (cfg->init_regions > (1u << 20))
		return -EINVAL;
	if (cfg->page_shift && (cfg->page_shift < 6 || cfg->page_shift > 30))
		return -EINVAL;

	memset(mb, 0, sizeof(*mb));
	mb->bottom_up = cfg->bottom_up;
	mb->current_limit = cfg->current_limit ? cfg->current_limit
					       : HN_MEMBLOCK_ALLOC_ANYWHERE;
	mb->max_nodes = cfg->max_nodes ? cfg->max_nodes : HN_MEMBLOCK_DEFAULT_MAX_NODES;
	mb->page_shift = cfg->page_shift ? cfg->page_shift : 12;
	mb->movable_node = cfg->movable_node;
	mb->mirrored_kernelcore = cfg->mirrored_kernelcore;
	mb->log = cfg->log;
	mb->host_alloc_fails = cfg->host_alloc_fails;
	mb->host_alloc_ctx = cfg->host_alloc_ctx;
	init_regions = cfg->init_regions ? cfg->init_regions : HN_MEMBLOCK_INIT_REGIONS;

	ret = type_init(mb, &mb->memory, "memory", init_regions);
	if (ret)
		return ret;
	ret = type_init(mb, &mb->reserved, "reserved", init_regions);
	if (ret) {
		free(mb->memory.regions);
		mb->memory.regions = NULL;
		return ret;
	}
	return 0;
}

void hn_memblock_fini(struct hn_memblock *mb)
{
	if (!mb)
		return;
	free(mb->memory.regions);
	free(mb->reserved.regions);
	mb->memory.regions = NULL;
	mb->reserved.regions = NULL;
	mb->memory.cnt = mb->reserved.cnt = 0;
	mb->memory.max = mb->reserved.max = 0;
}

int hn_memblock_create(struct hn_memblock **out, const struct hn_memblock_config *cfg)
{
	struct hn_memblock *mb;
	int ret;

	if (!out)
		return -EINVAL;
	if (cfg && cfg->host_alloc_fails && cfg->host_alloc_fails(cfg->host_alloc_ctx))
		return -ENOMEM;
	mb = malloc(sizeof(*mb));
	if (!mb)
		return -ENOMEM;
	ret = hn_memblock_init(mb, cfg);
	if (ret) {
		free(mb);
		return ret;
	}
	*out = mb;
	return 0;
}

void hn_memblock_destroy(struct hn_memblock *mb)
{
	if (!mb)
		return;
	hn_memblock_fini(mb);
	free(mb);
}

/* ------------------------------------------------------------------------ */
/* Free-range walks: __next_mem_range() and __next_mem_range_rev()           */

static bool should_skip_region(const struct hn_memblock *mb,
			       const struct hn_memblock_type *type,
			       const struct hn_memblock_region *m, int nid, uint32_t flags)
{
	/* Only "memory" carries nodes and flags that matter to a walk. */
	if (type != &mb->memory)
		return false;
	if (hn_memblock_valid_node(mb, nid) && nid != m->nid)
		return true;
	if (mb->movable_node && (m->flags & HN_MEMBLOCK_HOTPLUG) &&
	    !(flags & HN_MEMBLOCK_HOTPLUG))
		return true;
	if ((flags & HN_MEMBLOCK_MIRROR) && !(m->flags & HN_MEMBLOCK_MIRROR))
		return true;
	if (!(flags & HN_MEMBLOCK_NOMAP) && (m->flags & HN_MEMBLOCK_NOMAP))
		return true;
	if (!(flags & HN_MEMBLOCK_DRIVER_MANAGED) && (m->flags & HN_MEMBLOCK_DRIVER_MANAGED))
		return true;
	return false;
}

/*
 * The u64 cursor keeps two signed 32-bit indices, as the kernel's ints: the
 * low half indexes type_a, the high half the gaps of type_b, where gap j is
 * [end of region j-1, base of region j) with gap 0 starting at 0 and gap cnt
 * ending at PHYS_ADDR_MAX.  The packing below reproduces the kernel's
 * "(u32)idx_a | (u64)idx_b << 32", sign extension included.
 */
static inline uint64_t pack_idx(int32_t a, int32_t b)
{
	return (uint64_t)(uint32_t)a | (uint64_t)(int64_t)b << 32;
}

static inline uint64_t gap_start(const struct hn_memblock_type *t, int32_t j)
{
	return j ? t->regions[j - 1].base + t->regions[j - 1].size : 0;
}

static inline uint64_t gap_end(const struct hn_memblock_type *t, int32_t j)
{
	return (unsigned long)j < t->cnt ? t->regions[j].base : HN_PHYS_ADDR_MAX;
}

static inline void put_range(uint64_t *out_start, uint64_t *out_end, int *out_nid,
			     uint64_t s, uint64_t e, int nid)
{
	if (out_start)
		*out_start = s;
	if (out_end)
		*out_end = e;
	if (out_nid)
		*out_nid = nid;
}

void hn_memblock_next_mem_range(const struct hn_memblock *mb, uint64_t *idx, int nid,
				uint32_t flags, const struct hn_memblock_type *type_a,
				const struct hn_memblock_type *type_b, uint64_t *out_start,
				uint64_t *out_end, int *out_nid)
{
	int32_t ia = (int32_t)(uint32_t)(*idx & 0xffffffffu);
	int32_t ib = (int32_t)(uint32_t)(*idx >> 32);

	for (; ia >= 0 && (unsigned long)ia < type_a->cnt; ia++) {
		const struct hn_memblock_region *m = &type_a->regions[ia];
		uint64_t m_start = m->base, m_end = m->base + m->size;

		if (should_skip_region(mb, type_a, m, nid, flags))
			continue;

		if (!type_b) {
			put_range(out_start, out_end, out_nid, m_start, m_end, m->nid);
			*idx = pack_idx(ia + 1, ib);
			return;
		}

		for (; ib >= 0 && (unsigned long)ib < type_b->cnt + 1; ib++) {
			uint64_t r_start = gap_start(type_b, ib);
			uint64_t r_end = gap_end(type_b, ib);

			/* This gap starts beyond m: move on to the next m. */
			if (r_start >= m_end)
				break;
			if (m_start < r_end) {
				put_range(out_start, out_end, out_nid, HN_MAX(m_start, r_start),
					  HN_MIN(m_end, r_end), m->nid);
				/* Advance whichever of the two ends first. */
				if (m_end <= r_end)
					ia++;
				else
					ib++;
				*idx = pack_idx(ia, ib);
				return;
			}
		}
	}
	*idx = UINT64_MAX;
}

void hn_memblock_next_mem_range_rev(const struct hn_memblock *mb, uint64_t *idx, int nid,
				    uint32_t flags, const struct hn_memblock_type *type_a,
				    const struct hn_memblock_type *type_b,
				    uint64_t *out_start, uint64_t *out_end, int *out_nid)
{
	int32_t ia = (int32_t)(uint32_t)(*idx & 0xffffffffu);
	int32_t ib = (int32_t)(uint32_t)(*idx >> 32);

	if (*idx == UINT64_MAX) {
		ia = (int32_t)type_a->cnt - 1;
		ib = type_b ? (int32_t)type_b->cnt : 0;
	}

	for (; ia >= 0; ia--) {
		const struct hn_memblock_region *m = &type_a->regions[ia];
		uint64_t m_start = m->base, m_end = m->base + m->size;

		if (should_skip_region(mb, type_a, m, nid, flags))
			continue;

		if (!type_b) {
			put_range(out_start, out_end, out_nid, m_start, m_end, m->nid);
			*idx = pack_idx(ia - 1, ib);
			return;
		}

		for (; ib >= 0; ib--) {
			uint64_t r_start = gap_start(type_b, ib);
			uint64_t r_end = gap_end(type_b, ib);

			/* This gap ends below m: move on to the previous m. */
			if (r_end <= m_start)
				break;
			if (m_end > r_start) {
				put_range(out_start, out_end, out_nid, HN_MAX(m_start, r_start),
					  HN_MIN(m_end, r_end), m->nid);
				if (m_start >= r_start)
					ia--;
				else
					ib--;
				*idx = pack_idx(ia, ib);
				return;
			}
		}
	}
	*idx = UINT64_MAX;
}

/* ------------------------------------------------------------------------ */
/* Finding free ranges                                                       */

/*
 * __memblock_find_range_bottom_up(): the first free range (in address order)
 * that, clamped to [start, end), holds @size bytes from its first @align
 * boundary.  0 means nothing found; a round-up that wraps past the top also
 * yields 0, and ends the search, as in the kernel.
 */
static uint64_t find_range_bottom_up(const struct hn_memblock *mb, uint64_t start,
				     uint64_t end, uint64_t size, uint64_t align, int nid,
				     uint32_t flags)
{
	uint64_t this_start, this_end, cand, i;

	hn_for_each_free_mem_range(mb, i, nid, flags, &this_start, &this_end, NULL) {
		this_start = HN_CLAMP(this_start, start, end);
		this_end = HN_CLAMP(this_end, start, end);

		cand = hn_align_up(this_start, align);
		if (cand < this_end && this_end - cand >= size)
			return cand;
	}
	return 0;
}

/*
 * __memblock_find_range_top_down(): walking free ranges from the top, the
 * highest @align boundary at which @size bytes end inside the clamped range.
 */
static uint64_t find_range_top_down(const struct hn_memblock *mb, uint64_t start,
				    uint64_t end, uint64_t size, uint64_t align, int nid,
				    uint32_t flags)
{
	uint64_t this_start, this_end, cand, i;

	hn_for_each_free_mem_range_reverse(mb, i, nid, flags, &this_start, &this_end, NULL) {
		this_start = HN_CLAMP(this_start, start, end);
		this_end = HN_CLAMP(this_end, start, end);

		if (this_end < size)
			continue;
		cand = hn_align_down(this_end - size, align);
		if (cand >= this_start)
			return cand;
	}
	return 0;
}

static uint64_t memblock_find_in_range_node(const struct hn_memblock *mb, uint64_t size,
					    uint64_t align, uint64_t start, uint64_t end,
					    int nid, uint32_t flags)
{
	if (end == HN_MEMBLOCK_ALLOC_ACCESSIBLE || end == HN_MEMBLOCK_ALLOC_NOLEAKTRACE)
		end = mb->current_limit;

	/* Page 0 is never handed out: 0 is the "not found" answer. */
	start = HN_MAX(start, page_size(mb));
	end = HN_MAX(start, end);

	if (mb->bottom_up)
		return find_range_bottom_up(mb, start, end, size, align, nid, flags);
	return find_range_top_down(mb, start, end, size, align, nid, flags);
}

static uint32_t choose_memblock_flags(const struct hn_memblock *mb)
{
	return mb->system_has_some_mirror ? HN_MEMBLOCK_MIRROR : HN_MEMBLOCK_NONE;
}

/* memblock_find_in_range(): any node, mirrored memory first if there is any. */
static uint64_t memblock_find_in_range(struct hn_memblock *mb, uint64_t start, uint64_t end,
				       uint64_t size, uint64_t align)
{
	uint32_t flags = choose_memblock_flags(mb);
	uint64_t ret;

	for (;;) {
		ret = memblock_find_in_range_node(mb, size, align, start, end,
						  HN_NUMA_NO_NODE, flags);
		if (ret || !(flags & HN_MEMBLOCK_MIRROR))
			return ret;
		memblock_warn(mb, "Could not allocate " PA_FMT " bytes of mirrored memory",
			      size);
		flags &= ~(uint32_t)HN_MEMBLOCK_MIRROR;
	}
}

/* ------------------------------------------------------------------------ */
/* Region array surgery                                                      */

static void memblock_remove_region(struct hn_memblock *mb, struct hn_memblock_type *type,
				   unsigned long r)
{
	type->total_size -= type->regions[r].size;
	memmove(&type->regions[r], &type->regions[r + 1],
		(type->cnt - (r + 1)) * sizeof(type->regions[r]));
	type->cnt--;

	/* An emptied list gets its dummy back: add_range keys on size == 0. */
	if (type->cnt == 0) {
		if (type->total_size != 0)
			memblock_warn(mb, "memblock: %s emptied with total_size " PA_FMT,
				      type->name, type->total_size);
		type->regions[0].base = 0;
		type->regions[0].size = 0;
		type->regions[0].flags = 0;
		type->regions[0].mattr = 0;
		type->regions[0].nid = mb->max_nodes;
	}
}

static int memblock_add_range(struct hn_memblock *mb, struct hn_memblock_type *type,
			      uint64_t base, uint64_t size, int nid, uint32_t flags,
			      uint32_t mattr);
static int memblock_remove_range(struct hn_memblock *mb, struct hn_memblock_type *type,
				 uint64_t base, uint64_t size);

/*
 * memblock_double_array(): make room in a full list.
 *
 * The kernel panics if resizing is not allowed yet; we refuse with -ENOSPC.
 * The new array is looked for above the range the caller is about to add
 * (only when growing "reserved", where that range is not reserved yet and
 * must not be handed out twice), then below it.
 *
 * Order matters, as in the kernel: the host copy moves over first, then the
 * old simulated array is freed and the new one reserved -- both of which
 * edit "reserved", possibly the very list that just grew.  A host realloc
 * failure leaves everything as it was.  If the closing reserve fails (the
 * kernel's BUG_ON) the list has still grown and stays valid; the error is
 * passed up.
 */
static int memblock_double_array(struct hn_memblock *mb, struct hn_memblock_type *type,
				 uint64_t new_area_start, uint64_t new_area_size)
{
	struct hn_memblock_region *new_array;
	uint64_t old_size, new_size, old_alloc_size, new_alloc_size, addr;
	uint64_t old_phys;
	bool old_static;
	int ret;

	if (!mb->can_resize) {
		memblock_err(mb, "memblock: cannot resize %s array", type->name);
		return -ENOSPC;
	}
	if (type->max >= MEMBLOCK_MAX_REGIONS) {
		memblock_err(mb, "memblock: %s array already has %lu entries", type->name,
			     type->max);
		return -ENOSPC;
	}

	old_size = (uint64_t)type->max * HN_MEMBLOCK_REGION_BYTES;
	new_size = old_size << 1;
	/* Whole pages, so that the array can later be freed whole. */
	old_alloc_size = page_align(mb, old_size);
	new_alloc_size = page_align(mb, new_size);

	if (type != &mb->reserved)
		new_area_start = new_area_size = 0;

	addr = memblock_find_in_range(mb, new_area_start + new_area_size, mb->current_limit,
				      new_alloc_size, page_size(mb));
	if (!addr && new_area_size)
		addr = memblock_find_in_range(mb, 0, HN_MIN(new_area_start, mb->current_limit),
					      new_alloc_size, page_size(mb));
	if (!addr) {
		memblock_err(mb, "memblock: Failed to double %s array from %lu to %lu entries !",
			     type->name, type->max, type->max * 2);
		return -ENOSPC;
	}

	new_array = host_alloc_fails(mb) ? NULL :
		    realloc(type->regions, 2 * type->max * sizeof(*new_array));
	if (!new_array)
		return -ENOMEM;
	memset(new_array + type->max, 0, type->max * sizeof(*new_array));
	type->regions = new_array;
	type->max <<= 1;

	memblock_dbg(mb, "memblock: %s is doubled to %lu at [" PA_FMT "-" PA_FMT "]",
		     type->name, type->max, addr, addr + new_size - 1);

	old_static = type->array_static;
	old_phys = type->array_phys;
	type->array_static = false;
	type->array_phys = addr;

	/* The initial array is part of the kernel image: nothing to free. */
	if (!old_static) {
		ret = memblock_remove_range(mb, &mb->reserved, old_phys, old_alloc_size);
		if (ret)
			memblock_err(mb, "memblock: freeing old %s array failed (%d)",
				     type->name, ret);
	}

	ret = memblock_add_range(mb, &mb->reserved, addr, new_alloc_size, mb->max_nodes, 0, 0);
	if (ret) {
		memblock_err(mb, "memblock: reserving new %s array failed (%d)", type->name, ret);
		return ret;
	}
	return 0;
}

/*
 * memblock_merge_regions(): walk the pairs (i, i+1) for i in
 * [start_rgn - 1, end_rgn) and fold each compatible pair into one.  The pair
 * just below the range and the pair just above it are included, which is
 * what keeps a list minimal after an edit touching [start_rgn, end_rgn).
 */
static void memblock_merge_regions(struct hn_memblock_type *type, unsigned long start_rgn,
				   unsigned long end_rgn)
{
	unsigned long i = 0;

	if (start_rgn)
		i = start_rgn - 1;
	end_rgn = HN_MIN(end_rgn, type->cnt - 1);
	while (i < end_rgn) {
		struct hn_memblock_region *this = &type->regions[i];
		struct hn_memblock_region *next = &type->regions[i + 1];

		if (this->base + this->size != next->base || this->nid != next->nid ||
		    this->flags != next->flags || this->mattr != next->mattr) {
			assert(this->base + this->size <= next->base);
			i++;
			continue;
		}

		this->size += next->size;
		memmove(next, next + 1, (type->cnt - (i + 2)) * sizeof(*next));
		type->cnt--;
		end_rgn--;
	}
}

/* memblock_insert_region(): open a slot at @idx; the caller made room. */
static void memblock_insert_region(struct hn_memblock_type *type, unsigned long idx,
				   uint64_t base, uint64_t size, int nid, uint32_t flags,
				   uint32_t mattr)
{
	struct hn_memblock_region *rgn = &type->regions[idx];

	assert(type->cnt < type->max);
	memmove(rgn + 1, rgn, (type->cnt - idx) * sizeof(*rgn));
	rgn->base = base;
	rgn->size = size;
	rgn->flags = flags;
	rgn->nid = nid;
	rgn->mattr = mattr;
	type->cnt++;
	type->total_size += size;
}

/*
 * memblock_add_range(): cover [base, base+size) in @type.  Existing regions
 * keep their attributes; only the uncovered holes become new regions with
 * (@nid, @flags, @mattr).  The first pass counts the holes (skipped when the
 * array can take the worst case, cnt + 1 new pieces, already), the array
 * grows as needed, the second pass inserts, and a merge makes it minimal.
 */
static int memblock_add_range(struct hn_memblock *mb, struct hn_memblock_type *type,
			      uint64_t base, uint64_t size, int nid, uint32_t flags,
			      uint32_t mattr)
{
	bool insert = false;
	uint64_t obase = base;
	uint64_t end = base + memblock_cap_size(base, &size);
	unsigned long idx, start_rgn = 0, end_rgn = 0;
	bool have_start = false;
	unsigned long nr_new;
	int ret;

	if (!size)
		return 0;

	if (type->regions[0].size == 0) {
		if (type->cnt != 0 || type->total_size)
			memblock_warn(mb, "memblock: %s has a zero-size first region", type->name);
		type->regions[0].base = base;
		type->regions[0].size = size;
		type->regions[0].flags = flags;
		type->regions[0].nid = nid;
		type->regions[0].mattr = mattr;
		type->total_size = size;
		type->cnt = 1;
		return 0;
	}

	if (type->cnt * 2 + 1 <= type->max)
		insert = true;

repeat:
	base = obase;
	nr_new = 0;

	for (idx = 0; idx < type->cnt; idx++) {
		const struct hn_memblock_region *rgn = &type->regions[idx];
		uint64_t rbase = rgn->base;
		uint64_t rend = rbase + rgn->size;

		if (rbase >= end)
			break;
		if (rend <= base)
			continue;
		/* rgn overlaps; the part of the new range below it is a hole. */
		if (rbase > base) {
			if (insert && (nid != rgn->nid || flags != rgn->flags))
				memblock_warn(mb, "memblock_add_range: %s [" PA_FMT "-" PA_FMT
					      "] meets region with nid %d flags %#x",
					      type->name, base, rbase - 1, rgn->nid,
					      rgn->flags);
			nr_new++;
			if (insert) {
				if (!have_start) {
					start_rgn = idx;
					have_start = true;
				}
				end_rgn = idx + 1;
				memblock_insert_region(type, idx++, base, rbase - base, nid,
						       flags, mattr);
			}
		}
		base = HN_MIN(rend, end);
	}

	if (base < end) {
		nr_new++;
		if (insert) {
			if (!have_start) {
				start_rgn = idx;
				have_start = true;
			}
			end_rgn = idx + 1;
			memblock_insert_region(type, idx, base, end - base, nid, flags, mattr);
		}
	}

	if (!nr_new)
		return 0;

	if (!insert) {
		while (type->cnt + nr_new > type->max) {
			ret = memblock_double_array(mb, type, obase, size);
			if (ret)
				return ret;
		}
		insert = true;
		goto repeat;
	}
	memblock_merge_regions(type, start_rgn, end_rgn);
	return 0;
}

/*
 * memblock_isolate_range(): split the regions crossing either edge of
 * [base, base+size) so that the range is made of whole regions
 * [*start_rgn, *end_rgn).  Both are 0 when nothing lies inside.
 */
static int memblock_isolate_range(struct hn_memblock *mb, struct hn_memblock_type *type,
				  uint64_t base, uint64_t size, unsigned long *start_rgn,
				  unsigned long *end_rgn)
{
	uint64_t end = base + memblock_cap_size(base, &size);
	unsigned long idx;
	int ret;

	*start_rgn = *end_rgn = 0;
	if (!size)
		return 0;

	/* At most two splits: make room before touching anything. */
	while (type->cnt + 2 > type->max) {
		ret = memblock_double_array(mb, type, base, size);
		if (ret)
			return ret;
	}

	for (idx = 0; idx < type->cnt; idx++) {
		struct hn_memblock_region *rgn = &type->regions[idx];
		uint64_t rbase = rgn->base;
		uint64_t rend = rbase + rgn->size;

		if (rbase >= end)
			break;
		if (rend <= base)
			continue;

		if (rbase < base) {
			/* Crosses the lower edge: cut off the part below, carry on
			 * with the upper part, now at idx + 1. */
			rgn->base = base;
			rgn->size -= base - rbase;
			type->total_size -= base - rbase;
			memblock_insert_region(type, idx, rbase, base - rbase, rgn->nid,
					       rgn->flags, rgn->mattr);
		} else if (rend > end) {
			/* Crosses the upper edge: cut off the part below end and
			 * look at it again (idx stays). */
			rgn->base = end;
			rgn->size -= end - rbase;
			type->total_size -= end - rbase;
			memblock_insert_region(type, idx, rbase, end - rbase, rgn->nid,
					       rgn->flags, rgn->mattr);
			idx--;
		} else {
			if (!*end_rgn)
				*start_rgn = idx;
			*end_rgn = idx + 1;
		}
	}
	return 0;
}

static int memblock_remove_range(struct hn_memblock *mb, struct hn_memblock_type *type,
				 uint64_t base, uint64_t size)
{
	unsigned long start_rgn, end_rgn;
	int ret;

	ret = memblock_isolate_range(mb, type, base, size, &start_rgn, &end_rgn);
	if (ret)
		return ret;
	for (unsigned long i = end_rgn; i > start_rgn; i--)
		memblock_remove_region(mb, type, i - 1);
	return 0;
}

/* memblock_setclr_flag(), also used for the attribute word and the node. */
enum setclr_op { OP_SET_FLAG, OP_CLEAR_FLAG, OP_SET_MATTR, OP_SET_NID };

static int memblock_setclr(struct hn_memblock *mb, struct hn_memblock_type *type,
			   uint64_t base, uint64_t size, enum setclr_op op, uint32_t val)
{
	unsigned long start_rgn, end_rgn;
	int ret;

	ret = memblock_isolate_range(mb, type, base, size, &start_rgn, &end_rgn);
	if (ret)
		return ret;

	for (unsigned long i = start_rgn; i < end_rgn; i++) {
		struct hn_memblock_region *r = &type->regions[i];

		switch (op) {
		case OP_SET_FLAG:
			r->flags |= val;
			break;
		case OP_CLEAR_FLAG:
			r->flags &= ~val;
			break;
		case OP_SET_MATTR:
			r->mattr = val;
			break;
		case OP_SET_NID:
			r->nid = (int)val;
			break;
		}
	}
	memblock_merge_regions(type, start_rgn, end_rgn);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Public editing calls                                                      */

int hn_memblock_add_node(struct hn_memblock *mb, uint64_t base, uint64_t size, int nid,
			 uint32_t flags)
{
	if (!mb || !nid_arg_ok(mb, nid) || (flags & ~(uint32_t)HN_MEMBLOCK_FLAGS_MASK))
		return -EINVAL;
	memblock_dbg(mb, "memblock_add_node: [" PA_FMT "-" PA_FMT "] nid=%d flags=%x", base,
		     base + size - 1, nid, flags);
	return memblock_add_range(mb, &mb->memory, base, size, nid, flags, 0);
}

int hn_memblock_add(struct hn_memblock *mb, uint64_t base, uint64_t size)
{
	if (!mb)
		return -EINVAL;
	memblock_dbg(mb, "memblock_add: [" PA_FMT "-" PA_FMT "]", base, base + size - 1);
	return memblock_add_range(mb, &mb->memory, base, size, mb->max_nodes, 0, 0);
}

int hn_memblock_remove(struct hn_memblock *mb, uint64_t base, uint64_t size)
{
	if (!mb)
		return -EINVAL;
	memblock_dbg(mb, "memblock_remove: [" PA_FMT "-" PA_FMT "]", base, base + size - 1);
	return memblock_remove_range(mb, &mb->memory, base, size);
}

int hn_memblock_free(struct hn_memblock *mb, uint64_t base, uint64_t size)
{
	if (!mb)
		return -EINVAL;
	memblock_dbg(mb, "memblock_phys_free: [" PA_FMT "-" PA_FMT "]", base,
		     base + size - 1);
	return memblock_remove_range(mb, &mb->reserved, base, size);
}

int hn_memblock_reserve(struct hn_memblock *mb, uint64_t base, uint64_t size)
{
	if (!mb)
		return -EINVAL;
	memblock_dbg(mb, "memblock_reserve: [" PA_FMT "-" PA_FMT "]", base, base + size - 1);
	return memblock_add_range(mb, &mb->reserved, base, size, mb->max_nodes, 0, 0);
}

int hn_memblock_mark_hotplug(struct hn_memblock *mb, uint64_t base, uint64_t size)
{
	if (!mb)
		return -EINVAL;
	return memblock_setclr(mb, &mb->memory, base, size, OP_SET_FLAG, HN_MEMBLOCK_HOTPLUG);
}

int hn_memblock_clear_hotplug(struct hn_memblock *mb, uint64_t base, uint64_t size)
{
	if (!mb)
		return -EINVAL;
	return memblock_setclr(mb, &mb->memory, base, size, OP_CLEAR_FLAG,
			       HN_MEMBLOCK_HOTPLUG);
}

int hn_memblock_mark_mirror(struct hn_memblock *mb, uint64_t base, uint64_t size)
{
	if (!mb)
		return -EINVAL;
	/* Without kernelcore=mirror the kernel ignores firmware's mirror map. */
	if (!mb->mirrored_kernelcore)
		return 0;
	mb->system_has_some_mirror = true;
	return memblock_setclr(mb, &mb->memory, base, size, OP_SET_FLAG, HN_MEMBLOCK_MIRROR);
}

int hn_memblock_mark_nomap(struct hn_memblock *mb, uint64_t base, uint64_t size)
{
	if (!mb)
		return -EINVAL;
	return memblock_setclr(mb, &mb->memory, base, size, OP_SET_FLAG, HN_MEMBLOCK_NOMAP);
}

int hn_memblock_clear_nomap(struct hn_memblock *mb, uint64_t base, uint64_t size)
{
	if (!mb)
		return -EINVAL;
	return memblock_setclr(mb, &mb->memory, base, size, OP_CLEAR_FLAG, HN_MEMBLOCK_NOMAP);
}

int hn_memblock_reserved_mark_noinit(struct hn_memblock *mb, uint64_t base, uint64_t size)
{
	if (!mb)
		return -EINVAL;
	return memblock_setclr(mb, &mb->reserved, base, size, OP_SET_FLAG,
			       HN_MEMBLOCK_RSRV_NOINIT);
}

int hn_memblock_set_mattr(struct hn_memblock *mb, uint64_t base, uint64_t size,
			  uint32_t mattr)
{
	if (!mb)
		return -EINVAL;
	return memblock_setclr(mb, &mb->memory, base, size, OP_SET_MATTR, mattr);
}

int hn_memblock_set_node(struct hn_memblock *mb, uint64_t base, uint64_t size, int nid)
{
	if (!mb || !nid_arg_ok(mb, nid))
		return -EINVAL;
	return memblock_setclr(mb, &mb->memory, base, size, OP_SET_NID, (uint32_t)nid);
}

void hn_memblock_set_bottom_up(struct hn_memblock *mb, bool enable)
{
	if (mb)
		mb->bottom_up = enable;
}

bool hn_memblock_bottom_up(const struct hn_memblock *mb)
{
	return mb && mb->bottom_up;
}

void hn_memblock_set_current_limit(struct hn_memblock *mb, uint64_t limit)
{
	if (mb)
		mb->current_limit = limit;
}

uint64_t hn_memblock_get_current_limit(const struct hn_memblock *mb)
{
	return mb ? mb->current_limit : 0;
}

void hn_memblock_allow_resize(struct hn_memblock *mb)
{
	if (mb)
		mb->can_resize = true;
}

/* ------------------------------------------------------------------------ */
/* Allocation                                                                */

/*
 * memblock_alloc_range_nid().  Each attempt is "find, then reserve"; a
 * reserve that fails (the reserved list could not grow) moves on to the next
 * attempt as in the kernel.  The order of attempts is the kernel's:
 *   1. @nid with the mirror preference,
 *   2. any node with it (unless @exact_nid or @nid is not a node),
 *   3. both again without the mirror preference, after a warning.
 */
static int alloc_range_nid(struct hn_memblock *mb, uint64_t size, uint64_t align,
			   uint64_t start, uint64_t end, int nid, bool exact_nid,
			   uint64_t *out)
{
	uint32_t flags = choose_memblock_flags(mb);
	uint64_t found;
	int err = -ENOSPC, ret;

	if (!align) {
		memblock_warn(mb, "memblock_alloc_range_nid: zero alignment, using %u",
			      SMP_CACHE_BYTES);
		align = SMP_CACHE_BYTES;
	}

	for (;;) {
		found = memblock_find_in_range_node(mb, size, align, start, end, nid, flags);
		if (found) {
			ret = memblock_add_range(mb, &mb->reserved, found, size, mb->max_nodes,
						 0, 0);
			if (!ret)
				goto done;
			if (ret == -ENOMEM)
				err = ret;
		}

		if (hn_memblock_valid_node(mb, nid) && !exact_nid) {
			found = memblock_find_in_range_node(mb, size, align, start, end,
							    HN_NUMA_NO_NODE, flags);
			if (found) {
				ret = memblock_add_range(mb, &mb->reserved, found, size,
							 mb->max_nodes, 0, 0);
				if (!ret)
					goto done;
				if (ret == -ENOMEM)
					err = ret;
			}
		}

		if (!(flags & HN_MEMBLOCK_MIRROR))
			return err;
		flags &= ~(uint32_t)HN_MEMBLOCK_MIRROR;
		memblock_warn(mb, "Could not allocate " PA_FMT " bytes of mirrored memory",
			      size);
	}

done:
	*out = found;
	return 0;
}

static int alloc_args_ok(const struct hn_memblock *mb, uint64_t align, int nid,
			 const uint64_t *out)
{
	return mb && out && align_arg_ok(align) && nid_arg_ok(mb, nid);
}

int hn_memblock_alloc_range_nid(struct hn_memblock *mb, uint64_t size, uint64_t align,
				uint64_t start, uint64_t end, int nid, bool exact_nid,
				uint64_t *out)
{
	if (!alloc_args_ok(mb, align, nid, out))
		return -EINVAL;
	return alloc_range_nid(mb, size, align, start, end, nid, exact_nid, out);
}

int hn_memblock_phys_alloc_range(struct hn_memblock *mb, uint64_t size, uint64_t align,
				 uint64_t start, uint64_t end, uint64_t *out)
{
	if (!alloc_args_ok(mb, align, HN_NUMA_NO_NODE, out))
		return -EINVAL;
	memblock_dbg(mb, "memblock_phys_alloc_range: %" PRIu64 " bytes align=0x%" PRIx64
		     " from=" PA_FMT " max_addr=" PA_FMT, size, align, start, end);
	return alloc_range_nid(mb, size, align, start, end, HN_NUMA_NO_NODE, false, out);
}

int hn_memblock_phys_alloc(struct hn_memblock *mb, uint64_t size, uint64_t align,
			   uint64_t *out)
{
	return hn_memblock_phys_alloc_range(mb, size, align, 0, HN_MEMBLOCK_ALLOC_ACCESSIBLE,
					    out);
}

int hn_memblock_phys_alloc_try_nid(struct hn_memblock *mb, uint64_t size, uint64_t align,
				   int nid, uint64_t *out)
{
	if (!alloc_args_ok(mb, align, nid, out))
		return -EINVAL;
	return alloc_range_nid(mb, size, align, 0, HN_MEMBLOCK_ALLOC_ACCESSIBLE, nid, false,
			       out);
}

/*
 * memblock_alloc_internal(): cap @max_addr at the current limit, and when
 * nothing fits above @min_addr, give up the lower bound and try from 0.
 */
static int alloc_internal(struct hn_memblock *mb, uint64_t size, uint64_t align,
			  uint64_t min_addr, uint64_t max_addr, int nid, bool exact_nid,
			  uint64_t *out)
{
	int ret;

	if (max_addr > mb->current_limit)
		max_addr = mb->current_limit;

	ret = alloc_range_nid(mb, size, align, min_addr, max_addr, nid, exact_nid, out);
	if (ret && min_addr)
		ret = alloc_range_nid(mb, size, align, 0, max_addr, nid, exact_nid, out);
	return ret;
}

int hn_memblock_alloc_try_nid(struct hn_memblock *mb, uint64_t size, uint64_t align,
			      uint64_t min_addr, uint64_t max_addr, int nid, uint64_t *out)
{
	if (!alloc_args_ok(mb, align, nid, out))
		return -EINVAL;
	memblock_dbg(mb, "memblock_alloc_try_nid: %" PRIu64 " bytes align=0x%" PRIx64
		     " nid=%d from=" PA_FMT " max_addr=" PA_FMT, size, align, nid, min_addr,
		     max_addr);
	return alloc_internal(mb, size, align, min_addr, max_addr, nid, false, out);
}

int hn_memblock_alloc_exact_nid_raw(struct hn_memblock *mb, uint64_t size, uint64_t align,
				    uint64_t min_addr, uint64_t max_addr, int nid,
				    uint64_t *out)
{
	if (!alloc_args_ok(mb, align, nid, out))
		return -EINVAL;
	memblock_dbg(mb, "memblock_alloc_exact_nid_raw: %" PRIu64 " bytes align=0x%" PRIx64
		     " nid=%d from=" PA_FMT " max_addr=" PA_FMT, size, align, nid, min_addr,
		     max_addr);
	return alloc_internal(mb, size, align, min_addr, max_addr, nid, true, out);
}

/* ------------------------------------------------------------------------ */
/* Queries                                                                   */

uint64_t hn_memblock_phys_mem_size(const struct hn_memblock *mb)
{
	return mb ? mb->memory.total_size : 0;
}

uint64_t hn_memblock_reserved_size(const struct hn_memblock *mb)
{
	return mb ? mb->reserved.total_size : 0;
}

uint64_t hn_memblock_start_of_DRAM(const struct hn_memblock *mb)
{
	/* On an empty list this reads the dummy, as the kernel does: 0. */
	return mb ? mb->memory.regions[0].base : 0;
}

uint64_t hn_memblock_end_of_DRAM(const struct hn_memblock *mb)
{
	const struct hn_memblock_region *r;

	/* The kernel indexes regions[-1] here when empty; we answer 0. */
	if (!mb || !mb->memory.cnt)
		return 0;
	r = &mb->memory.regions[mb->memory.cnt - 1];
	return r->base + r->size;
}

/*
 * memblock_search(): binary search; on an empty list it looks once at the
 * zero-size dummy and fails.  Returns the index or -1.
 */
static long memblock_search(const struct hn_memblock_type *type, uint64_t addr)
{
	unsigned long left = 0, right = type->cnt;

	do {
		unsigned long mid = (right + left) / 2;

		if (addr < type->regions[mid].base)
			right = mid;
		else if (addr >= type->regions[mid].base + type->regions[mid].size)
			left = mid + 1;
		else
			return (long)mid;
	} while (left < right);
	return -1;
}

bool hn_memblock_is_memory(const struct hn_memblock *mb, uint64_t addr)
{
	return mb && memblock_search(&mb->memory, addr) != -1;
}

bool hn_memblock_is_reserved(const struct hn_memblock *mb, uint64_t addr)
{
	return mb && memblock_search(&mb->reserved, addr) != -1;
}

bool hn_memblock_is_map_memory(const struct hn_memblock *mb, uint64_t addr)
{
	long i;

	if (!mb)
		return false;
	i = memblock_search(&mb->memory, addr);
	if (i == -1)
		return false;
	return !(mb->memory.regions[i].flags & HN_MEMBLOCK_NOMAP);
}

bool hn_memblock_is_region_memory(const struct hn_memblock *mb, uint64_t base, uint64_t size)
{
	long idx;
	uint64_t end;

	if (!mb)
		return false;
	idx = memblock_search(&mb->memory, base);
	end = base + memblock_cap_size(base, &size);
	if (idx == -1)
		return false;
	return mb->memory.regions[idx].base + mb->memory.regions[idx].size >= end;
}

bool hn_memblock_is_region_reserved(const struct hn_memblock *mb, uint64_t base,
				    uint64_t size)
{
	return mb && hn_memblock_overlaps_region(&mb->reserved, base, size);
}

int hn_memblock_search_pfn_nid(const struct hn_memblock *mb, uint64_t pfn,
			       unsigned int page_shift, uint64_t *start_pfn, uint64_t *end_pfn)
{
	const struct hn_memblock_region *r;
	long mid;

	if (!mb || page_shift > 63)
		return -EINVAL;
	mid = memblock_search(&mb->memory, pfn << page_shift);
	if (mid == -1)
		return -ENOENT;
	r = &mb->memory.regions[mid];
	if (start_pfn)
		*start_pfn = r->base >> page_shift;
	if (end_pfn)
		*end_pfn = (r->base + r->size) >> page_shift;
	return r->nid;
}

/* ------------------------------------------------------------------------ */
/* Limits and trimming                                                       */

int hn_memblock_trim_memory(struct hn_memblock *mb, uint64_t align)
{
	struct hn_memblock_type *type;

	if (!mb || !hn_is_power_of_2(align))
		return -EINVAL;
	type = &mb->memory;

	for (unsigned long i = 0; i < type->cnt; i++) {
		struct hn_memblock_region *r = &type->regions[i];
		uint64_t orig_start = r->base;
		uint64_t orig_end = r->base + r->size;
		uint64_t start = hn_align_up(orig_start, align);
		uint64_t end = hn_align_down(orig_end, align);

		if (start == orig_start && end == orig_end)
			continue;

		/*
		 * Two deliberate differences from the kernel: a round-up that
		 * wraps past the top (only a region at the very top) means "no
		 * aligned page", not a region starting at 0; and total_size
		 * follows the shrink, which the kernel forgets.
		 */
		if (start >= orig_start && start < end) {
			type->total_size -= r->size - (end - start);
			r->base = start;
			r->size = end - start;
		} else {
			memblock_remove_region(mb, type, i);
			i--;
		}
	}
	return 0;
}

/*
 * __find_max_addr(): the address at which the first @limit bytes of memory
 * end, or PHYS_ADDR_MAX if there is not that much memory.
 */
static uint64_t find_max_addr(const struct hn_memblock *mb, uint64_t limit)
{
	for (unsigned long i = 0; i < mb->memory.cnt; i++) {
		const struct hn_memblock_region *r = &mb->memory.regions[i];

		if (limit <= r->size)
			return r->base + limit;
		limit -= r->size;
	}
	return HN_PHYS_ADDR_MAX;
}

int hn_memblock_enforce_memory_limit(struct hn_memblock *mb, uint64_t limit)
{
	uint64_t max_addr;
	int ret;

	if (!mb)
		return -EINVAL;
	if (!limit)
		return 0;
	max_addr = find_max_addr(mb, limit);
	if (max_addr == HN_PHYS_ADDR_MAX)
		return 0;

	ret = memblock_remove_range(mb, &mb->memory, max_addr, HN_PHYS_ADDR_MAX);
	if (ret)
		return ret;
	return memblock_remove_range(mb, &mb->reserved, max_addr, HN_PHYS_ADDR_MAX);
}

int hn_memblock_cap_memory_range(struct hn_memblock *mb, uint64_t base, uint64_t size)
{
	unsigned long start_rgn, end_rgn;
	int ret;

	if (!mb)
		return -EINVAL;
	if (!size)
		return 0;
	if (!mb->memory.total_size) {
		memblock_warn(mb, "memblock_cap_memory_range: No memory registered yet");
		return -ENOENT;
	}
	/* The kernel caps only inside isolate; capping here keeps the reserved
	 * trim below from wrapping past the top. */
	memblock_cap_size(base, &size);

	ret = memblock_isolate_range(mb, &mb->memory, base, size, &start_rgn, &end_rgn);
	if (ret)
		return ret;

	/*
	 * Everything outside [start_rgn, end_rgn) goes unless it is NOMAP.  If
	 * the range held no region at all, both are 0 and all mappable memory
	 * goes, as in the kernel.
	 */
	for (unsigned long i = mb->memory.cnt; i > end_rgn; i--)
		if (!(mb->memory.regions[i - 1].flags & HN_MEMBLOCK_NOMAP))
			memblock_remove_region(mb, &mb->memory, i - 1);
	for (unsigned long i = start_rgn; i > 0; i--)
		if (!(mb->memory.regions[i - 1].flags & HN_MEMBLOCK_NOMAP))
			memblock_remove_region(mb, &mb->memory, i - 1);
	/*
	 * A NOMAP region the isolation cut at a cap edge stays, in two pieces;
	 * the kernel leaves them apart, we join them so the list stays minimal.
	 */
	if (mb->memory.cnt > 1)
		memblock_merge_regions(&mb->memory, 0, mb->memory.cnt);

	ret = memblock_remove_range(mb, &mb->reserved, 0, base);
	if (ret)
		return ret;
	return memblock_remove_range(mb, &mb->reserved, base + size, HN_PHYS_ADDR_MAX);
}

int hn_memblock_mem_limit_remove_map(struct hn_memblock *mb, uint64_t limit)
{
	uint64_t max_addr;

	if (!mb)
		return -EINVAL;
	if (!limit)
		return 0;
	max_addr = find_max_addr(mb, limit);
	if (max_addr == HN_PHYS_ADDR_MAX)
		return 0;
	return hn_memblock_cap_memory_range(mb, 0, max_addr);
}

/* ------------------------------------------------------------------------ */
/* Inspection                                                                */

static const struct hn_memblock_type *type_of(const struct hn_memblock *mb,
					      enum hn_memblock_type_id id)
{
	switch (id) {
	case HN_MEMBLOCK_MEMORY:
		return &mb->memory;
	case HN_MEMBLOCK_RESERVED:
		return &mb->reserved;
	}
	return NULL;
}

unsigned long hn_memblock_region_count(const struct hn_memblock *mb,
				       enum hn_memblock_type_id id)
{
	const struct hn_memblock_type *type;

	if (!mb)
		return 0;
	type = type_of(mb, id);
	return type ? type->cnt : 0;
}

int hn_memblock_region_get(const struct hn_memblock *mb, enum hn_memblock_type_id id,
			   unsigned long idx, struct hn_memblock_region *out)
{
	const struct hn_memblock_type *type;

	if (!mb || !out)
		return -EINVAL;
	type = type_of(mb, id);
	if (!type)
		return -EINVAL;
	if (idx >= type->cnt)
		return -ENOENT;
	*out = type->regions[idx];
	return 0;
}

static bool iter_args_ok(const struct hn_memblock *mb, const struct hn_memblock_iter *it,
			 int nid, uint32_t flags)
{
	return mb && it && nid_arg_ok(mb, nid) && !(flags & ~(uint32_t)HN_MEMBLOCK_FLAGS_MASK);
}

bool hn_memblock_next_free_range(struct hn_memblock *mb, struct hn_memblock_iter *it,
				 int nid, uint32_t flags, uint64_t *start, uint64_t *end,
				 int *out_nid)
{
	if (!iter_args_ok(mb, it, nid, flags))
		return false;
	if (!it->started) {
		it->started = true;
		it->idx = 0;
	} else if (it->idx == UINT64_MAX) {
		return false;
	}
	hn_memblock_next_mem_range(mb, &it->idx, nid, flags, &mb->memory, &mb->reserved, start,
				   end, out_nid);
	return it->idx != UINT64_MAX;
}

bool hn_memblock_prev_free_range(struct hn_memblock *mb, struct hn_memblock_iter *it,
				 int nid, uint32_t flags, uint64_t *start, uint64_t *end,
				 int *out_nid)
{
	if (!iter_args_ok(mb, it, nid, flags))
		return false;
	if (!it->started) {
		it->started = true;
		it->idx = UINT64_MAX;
	} else if (it->idx == UINT64_MAX) {
		/* For the reverse walk UINT64_MAX also means "start"; a finished
		 * walk must not silently begin again. */
		return false;
	}
	hn_memblock_next_mem_range_rev(mb, &it->idx, nid, flags, &mb->memory, &mb->reserved,
				       start, end, out_nid);
	return it->idx != UINT64_MAX;
}

/*
 * __next_mem_pfn_range(): the kernel's int cursor starts at -1 and ends at
 * -1; we keep it sign-extended in the u64.
 */
bool hn_memblock_next_mem_pfn_range(struct hn_memblock *mb, struct hn_memblock_iter *it,
				    int nid, unsigned int page_shift, uint64_t *start_pfn,
				    uint64_t *end_pfn, int *out_nid)
{
	const struct hn_memblock_type *type;
	const struct hn_memblock_region *r = NULL;
	long i;

	if (!iter_args_ok(mb, it, nid, 0) || page_shift > 63)
		return false;
	type = &mb->memory;
	if (!it->started) {
		it->started = true;
		i = -1;
	} else {
		i = (long)(int64_t)it->idx;
		if (i < 0)
			return false;
	}

	while ((unsigned long)++i < type->cnt) {
		uint64_t pfn_up, pfn_down;

		r = &type->regions[i];
		pfn_up = (r->base + (1ull << page_shift) - 1) >> page_shift;
		pfn_down = (r->base + r->size) >> page_shift;
		if (pfn_up >= pfn_down)
			continue;
		if (!hn_memblock_valid_node(mb, nid) || nid == r->nid)
			break;
	}
	if ((unsigned long)i >= type->cnt) {
		it->idx = UINT64_MAX;
		return false;
	}
	it->idx = (uint64_t)(int64_t)i;
	if (start_pfn)
		*start_pfn = (r->base + (1ull << page_shift) - 1) >> page_shift;
	if (end_pfn)
		*end_pfn = (r->base + r->size) >> page_shift;
	if (out_nid)
		*out_nid = r->nid;
	return true;
}

/* Bit i of the flags word names flagname[i] (mm/memblock.c's debugfs). */
static const char *const flagname[] = {
	"HOTPLUG", "MIRROR", "NOMAP", "DRV_MNG", "RSV_NIT",
};

static int dump_type(const struct hn_memblock *mb, const struct hn_memblock_type *type,
		     FILE *f)
{
	for (unsigned long i = 0; i < type->cnt; i++) {
		const struct hn_memblock_region *reg = &type->regions[i];
		uint64_t end = reg->base + reg->size - 1;

		if (fprintf(f, "%4d: " PA_FMT ".." PA_FMT " ", (int)i, reg->base, end) < 0)
			return -EIO;
		if (hn_memblock_valid_node(mb, reg->nid)) {
			if (fprintf(f, "%4d ", reg->nid) < 0)
				return -EIO;
		} else if (fprintf(f, "%4c ", 'x') < 0) {
			return -EIO;
		}
		if (reg->flags) {
			uint32_t flags = reg->flags;
			bool first = true;

			for (unsigned int j = 0; flags; j++, flags >>= 1) {
				if (!(flags & 1))
					continue;
				if (fprintf(f, "%s%s", first ? "" : "|",
					    j < HN_ARRAY_SIZE(flagname) ? flagname[j]
									: "UNKNOWN") < 0)
					return -EIO;
				first = false;
			}
			if (fputc('\n', f) == EOF)
				return -EIO;
		} else if (fputs("NONE\n", f) == EOF) {
			return -EIO;
		}
	}
	return 0;
}

int hn_memblock_dump(const struct hn_memblock *mb, FILE *f)
{
	int ret;

	if (!mb || !f)
		return -EINVAL;
	if (fputs("memory:\n", f) == EOF)
		return -EIO;
	ret = dump_type(mb, &mb->memory, f);
	if (ret)
		return ret;
	if (fputs("reserved:\n", f) == EOF)
		return -EIO;
	ret = dump_type(mb, &mb->reserved, f);
	if (ret)
		return ret;
	return ferror(f) ? -EIO : 0;
}

/* ------------------------------------------------------------------------ */
/* Validator                                                                 */

#define check_fail(mb, ...)                                                    \
	do {                                                                   \
		hn_logf(&(mb)->log, HN_LOG_ERR, __VA_ARGS__);                  \
		return -EUCLEAN;                                               \
	} while (0)

static int check_type(const struct hn_memblock *mb, const struct hn_memblock_type *t)
{
	uint64_t sum = 0;

	if (!t->regions || t->max < 1)
		check_fail(mb, "memblock check: %s: no region array", t->name);
	if (t->cnt > t->max)
		check_fail(mb, "memblock check: %s: cnt %lu > max %lu", t->name, t->cnt, t->max);
	if (t->cnt == 0) {
		const struct hn_memblock_region *d = &t->regions[0];

		if (d->base || d->size || d->flags || d->mattr)
			check_fail(mb, "memblock check: %s: empty list without zero dummy",
				   t->name);
		if (t->total_size)
			check_fail(mb, "memblock check: %s: empty list, total_size " PA_FMT,
				   t->name, t->total_size);
		return 0;
	}

	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct hn_memblock_region *r = &t->regions[i];

		if (!r->size)
			check_fail(mb, "memblock check: %s[%lu]: zero size", t->name, i);
		if (r->size > HN_PHYS_ADDR_MAX - r->base)
			check_fail(mb, "memblock check: %s[%lu]: wraps past the top", t->name, i);
		if (r->flags & ~(uint32_t)HN_MEMBLOCK_FLAGS_MASK)
			check_fail(mb, "memblock check: %s[%lu]: unknown flags %#x", t->name, i,
				   r->flags);
		if (r->nid < HN_NUMA_NO_NODE || r->nid > mb->max_nodes)
			check_fail(mb, "memblock check: %s[%lu]: nid %d out of range", t->name, i,
				   r->nid);
		if (i) {
			const struct hn_memblock_region *p = &t->regions[i - 1];
			uint64_t pend = p->base + p->size;

			if (pend > r->base)
				check_fail(mb, "memblock check: %s[%lu]: unsorted or overlaps [%lu]",
					   t->name, i, i - 1);
			if (pend == r->base && p->nid == r->nid && p->flags == r->flags &&
			    p->mattr == r->mattr)
				check_fail(mb, "memblock check: %s[%lu]: mergeable with [%lu]",
					   t->name, i, i - 1);
		}
		sum += r->size;
	}
	if (sum != t->total_size)
		check_fail(mb, "memblock check: %s: total_size " PA_FMT " != sum " PA_FMT, t->name,
			   t->total_size, sum);
	return 0;
}

int hn_memblock_check(const struct hn_memblock *mb)
{
	int ret;

	if (!mb)
		return -EINVAL;
	ret = check_type(mb, &mb->memory);
	if (ret)
		return ret;
	return check_type(mb, &mb->reserved);
}

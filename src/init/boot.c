/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * boot.c - from a machine description to nodes, zones and a populated buddy.
 *
 * The phases and their kernel counterparts, in order:
 *
 *   hn_boot_memblock()
 *     e820/SRAT -> memblock        e820__memblock_setup(), numa_init()
 *     early reservations           early_reserve_memory(): first MiB, kernel image
 *   hn_boot_mm()
 *     node ids and states          numa_register_memblks(), setup_nr_node_ids()
 *     NODE_DATA                    alloc_node_data() / alloc_offline_node_data()
 *     memory map                   sparse_init(): one memblock buffer per node
 *     zone and node sizing         free_area_init(), free_area_init_node()
 *     memmap_init                  memmap_init(): pageblocks, unavailable ranges
 *     reserved pages               memmap_init_reserved_pages()
 *     memblock_free_all            free_low_memory_core_early()
 *     watermarks, lowmem_reserve   init_per_zone_wmark_min()
 *
 * Every line the kernel prints in these phases is printed with the same
 * format into the instance's log buffer.  Where the simulation has to make a
 * choice the kernel leaves to firmware (where the kernel image sits, how big
 * pg_data_t is) the choice is a named constant below and documented in
 * docs/faithfulness.md.
 *
 * Addresses print as the kernel's %#018Lx does.  The kernel's vsprintf keeps
 * the 0x prefix for zero where C's '#' flag drops it, so the formats spell
 * the prefix out ("0x%016" PRIx64).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buddy/buddy.h"
#include "core/contents.h"
#include "core/mmzone.h"
#include "init/init.h"
#include "migrate/migrate.h"
#include "util/util.h"
#include "zonelist/zonelist.h"

/* x86_64 physical load address of the kernel (CONFIG_PHYSICAL_START). */
#define X86_KERNEL_PHYS_START (16 * HN_MiB)
/* sizeof(pg_data_t) of a 6.12 x86_64 distribution kernel, rounded to a page. */
#define PGDAT_SIZE UINT64_C(0x2b000)
#define SMP_CACHE_BYTES 64
/* MAX_DMA_ADDRESS on x86_64: sparse_init allocates memory maps above it. */
#define X86_MAX_DMA_ADDRESS (16 * HN_MiB)

static inline uint64_t pfn_up(const struct hn_sim *sim, uint64_t addr)
{
	return (addr >> sim->page_shift) + ((addr & (sim->page_size - 1)) != 0);
}

static inline uint64_t pfn_down(const struct hn_sim *sim, uint64_t addr)
{
	return addr >> sim->page_shift;
}

static inline uint64_t pfn_phys(const struct hn_sim *sim, uint64_t pfn)
{
	return pfn << sim->page_shift;
}

/* A device whose pages go to ZONE_DEVICE is never given to memblock. */
static bool memdev_is_device_zone(const struct hn_memdev_desc *d)
{
	return d->zone == HN_ZONE_HINT_DEVICE;
}

struct add_ctx {
	struct hn_sim *sim;
	const struct hn_memdev_desc *d;
	hn_mattr_t mattr;
};

static int add_range_cb(void *ctx, uint64_t base, uint64_t size)
{
	struct add_ctx *a = ctx;
	uint32_t flags = a->d->hotplug ? HN_MEMBLOCK_HOTPLUG : HN_MEMBLOCK_NONE;
	int ret;

	ret = hn_memblock_add_node(a->sim->memblock, base, size, a->d->nid, flags);
	if (!ret && a->mattr)
		ret = hn_memblock_set_mattr(a->sim->memblock, base, size, a->mattr);
	return ret;
}

/*
 * The attribute word memblock records for a device: only in the
 * hierarchical-NUMA variant; there, an explicit word wins, and every kind
 * but DRAM gets one derived from its figures (DRAM stays ordinary memory,
 * the slides' "zone keeps its free_area for DRAM").
 */
static hn_mattr_t memdev_mattr(const struct hn_sim *sim, const struct hn_memdev_desc *d)
{
	if (!(sim->cfg.flags & HN_SIM_HNUMA))
		return 0;
	if (d->mattr)
		return hn_mattr_from_memdev(d);
	return d->kind == HN_MEM_DRAM ? 0 : hn_mattr_from_memdev(d);
}

/* memblock's host allocations are the instance's: one failure site. */
static bool memblock_host_alloc_fails(void *ctx)
{
	return hn_should_fail(ctx, HN_FAULT_HOST_ALLOC);
}

int hn_boot_memblock(struct hn_sim *sim)
{
	const struct hn_machine *m = sim->machine;
	struct hn_memblock_config mbc = {
		.bottom_up = false,
		.max_nodes = sim->cfg.max_nodes,
		.page_shift = sim->page_shift,
		/* early allocations keep off hotpluggable memory, as in the kernel */
		.movable_node = (sim->cfg.flags & HN_SIM_MOVABLE_NODE) != 0,
		.log = sim->cfg.log,
		.host_alloc_fails = memblock_host_alloc_fails,
		.host_alloc_ctx = sim,
	};
	uint64_t image = sim->cfg.kernel_image_size, image_base;
	int ret;

	ret = hn_memblock_create(&sim->memblock, &mbc);
	if (ret)
		return ret;
	for (int i = 0; i < m->nr_memdevs; i++) {
		struct add_ctx a = { sim, &m->memdevs[i], memdev_mattr(sim, &m->memdevs[i]) };

		if (memdev_is_device_zone(&m->memdevs[i]))
			continue;
		ret = hn_memdev_for_each_range(m, &m->memdevs[i], add_range_cb, &a);
		if (ret)
			return ret;
	}
	/* e820__memblock_setup() trims every region to whole pages. */
	hn_memblock_trim_memory(sim->memblock, sim->page_size);
	if (!hn_memblock_phys_mem_size(sim->memblock)) {
		hn_logf(&sim->log, HN_LOG_ERR, "no memory left after trimming to %" PRIu64 "-byte pages",
			sim->page_size);
		return -EINVAL;
	}

	/*
	 * x86 reserves the whole first MiB (BIOS areas, real-mode trampoline)
	 * since 5.13, and loads the kernel at CONFIG_PHYSICAL_START.  Other
	 * architectures load it at the start of DRAM.
	 */
	if (m->arch == HN_ARCH_X86_64) {
		ret = hn_memblock_reserve(sim->memblock, 0, HN_MiB);
		if (ret)
			return ret;
		image_base = X86_KERNEL_PHYS_START;
		if (!hn_memblock_is_region_memory(sim->memblock, image_base, image))
			image_base = UINT64_MAX;
	} else {
		image_base = hn_memblock_start_of_DRAM(sim->memblock);
		if (!hn_memblock_is_region_memory(sim->memblock, image_base, image))
			image_base = UINT64_MAX;
	}
	if (image) {
		if (image_base == UINT64_MAX) {
			/* No memory at the usual place: take the lowest fit. */
			bool td = hn_memblock_bottom_up(sim->memblock);

			hn_memblock_set_bottom_up(sim->memblock, true);
			ret = hn_memblock_phys_alloc(sim->memblock, image, 2 * HN_MiB, &image_base);
			hn_memblock_set_bottom_up(sim->memblock, td);
			if (ret) {
				hn_logf(&sim->log, HN_LOG_ERR,
					"no room for a %" PRIu64 "-byte kernel image", image);
				return -ENOSPC;
			}
		} else {
			ret = hn_memblock_reserve(sim->memblock, image_base, image);
			if (ret)
				return ret;
		}
		sim->kernel_image_base = image_base;
	}
	hn_memblock_allow_resize(sim->memblock);
	return 0;
}

/* ---- node ids, sections ------------------------------------------------ */

static int mark_sections(struct hn_sim *sim, uint64_t start_pfn, uint64_t end_pfn, int nid)
{
	uint64_t first = start_pfn >> sim->pfn_section_shift;
	uint64_t last = (end_pfn - 1) >> sim->pfn_section_shift;

	for (uint64_t s = first; s <= last; s++) {
		uint16_t cur = sim->section_nid[s];

		if (cur != HN_NO_NODE && cur != nid) {
			hn_logf(&sim->log, HN_LOG_ERR,
				"nodes %u and %d share the memory section at %#" PRIx64
				" (sections are %u MiB)", cur, nid,
				s << HN_SECTION_SIZE_BITS, 1u << (HN_SECTION_SIZE_BITS - 20));
			return -EINVAL;
		}
		sim->section_nid[s] = (uint16_t)nid;
	}
	return 0;
}

static int setup_sections(struct hn_sim *sim)
{
	const struct hn_machine *m = sim->machine;
	uint64_t max_end = hn_memblock_end_of_DRAM(sim->memblock);
	struct hn_memblock_region r;
	unsigned long n;
	int ret;

	for (int i = 0; i < m->nr_memdevs; i++)
		if (memdev_is_device_zone(&m->memdevs[i]))
			max_end = HN_MAX(max_end, hn_memdev_span_end(m, &m->memdevs[i]));
	if (max_end > HN_MAX_PHYS_ADDR) {
		/* memblock memory added before boot, beyond what any MAX_PHYSMEM_BITS maps */
		hn_logf(&sim->log, HN_LOG_ERR, "memory ends at %#" PRIx64 ", above the 52-bit physical space",
			max_end);
		return -EINVAL;
	}
	sim->max_pfn = pfn_up(sim, max_end);
	sim->nr_sections = (sim->max_pfn >> sim->pfn_section_shift) + 1;
	sim->section_nid = hn_sim_malloc(sim, sim->nr_sections * sizeof(*sim->section_nid));
	if (!sim->section_nid)
		return -ENOMEM;
	memset(sim->section_nid, 0xff, sim->nr_sections * sizeof(*sim->section_nid));

	n = hn_memblock_region_count(sim->memblock, HN_MEMBLOCK_MEMORY);
	for (unsigned long i = 0; i < n; i++) {
		uint64_t s, e;

		hn_memblock_region_get(sim->memblock, HN_MEMBLOCK_MEMORY, i, &r);
		s = pfn_up(sim, r.base);
		e = pfn_down(sim, r.base + r.size);
		if (s >= e)
			continue;
		/*
		 * memblock_validate_numa_coverage(): memory that no node claims
		 * (added with hn_memblock_add() before boot) cannot be placed.
		 */
		if (!hn_machine_node_exists(m, r.nid)) {
			hn_logf(&sim->log, HN_LOG_ERR,
				"memory [%#" PRIx64 "-%#" PRIx64 "] is not covered by any node",
				r.base, r.base + r.size - 1);
			ret = -EINVAL;
			goto fail;
		}
		ret = mark_sections(sim, s, e, r.nid);
		if (ret)
			goto fail;
	}
	for (int i = 0; i < m->nr_memdevs; i++) {
		const struct hn_memdev_desc *d = &m->memdevs[i];

		if (!memdev_is_device_zone(d))
			continue;
		ret = mark_sections(sim, pfn_up(sim, d->base),
				    pfn_down(sim, d->base + d->size), d->nid);
		if (ret)
			goto fail;
	}
	return 0;
fail:
	/* a retried boot allocates the table again */
	free(sim->section_nid);
	sim->section_nid = NULL;
	return ret;
}

static int setup_nodes(struct hn_sim *sim)
{
	const struct hn_machine *m = sim->machine;
	int n = m->nr_node_ids;

	sim->nr_node_ids = n;
	sim->node_data = hn_sim_calloc(sim, (size_t)n, sizeof(*sim->node_data));
	if (!sim->node_data)
		return -ENOMEM;
	for (int s = 0; s < HN_NR_NODE_STATES; s++) {
		sim->node_states[s] = hn_sim_calloc(sim, ((size_t)n + 63) / 64, sizeof(uint64_t));
		if (!sim->node_states[s])
			return -ENOMEM;
	}
	for (int nid = 0; nid < n; nid++) {
		struct hn_pglist_data *pgdat;

		if (!hn_machine_node_exists(m, nid))
			continue;
		pgdat = hn_sim_calloc(sim, 1, sizeof(*pgdat));
		if (!pgdat)
			return -ENOMEM;
		/* owned by the instance from here on, so a failure below frees it */
		sim->node_data[nid] = pgdat;
		pgdat->sim = sim;
		pgdat->node_id = nid;
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			struct hn_zone *zone = &pgdat->node_zones[z];

			zone->zone_pgdat = pgdat;
			zone->idx = (enum hn_zone_type)z;
			zone->name = hn_zone_name(z);
			zone->free_area = hn_sim_calloc(sim, sim->nr_page_orders, sizeof(*zone->free_area));
			if (!zone->free_area)
				return -ENOMEM;
			hn_zone_init_free_lists(zone, sim->nr_page_orders);
		}
		hn_bit_set(sim->node_states[HN_N_POSSIBLE], (unsigned int)nid);
		if (hn_machine_node_has_memory(m, nid) || hn_machine_node_is_initiator(m, nid)) {
			hn_bit_set(sim->node_states[HN_N_ONLINE], (unsigned int)nid);
			sim->nr_online_nodes++;
		}
	}

	sim->nr_cpu_ids = hn_machine_nr_cpu_ids(m);
	if (sim->nr_cpu_ids) {
		sim->cpu_to_node = hn_sim_malloc(sim, sim->nr_cpu_ids * sizeof(*sim->cpu_to_node));
		if (!sim->cpu_to_node)
			return -ENOMEM;
	}
	for (unsigned int cpu = 0; cpu < sim->nr_cpu_ids; cpu++) {
		int nid = hn_machine_cpu_to_node(m, cpu);

		sim->cpu_to_node[cpu] = nid;
		if (nid >= 0) {
			sim->node_data[nid]->nr_cpus++;
			hn_bit_set(sim->node_states[HN_N_CPU], (unsigned int)nid);
		}
	}
	/* smp_processor_id() of the simulated caller: the first CPU there is */
	for (unsigned int cpu = 0; cpu < sim->nr_cpu_ids; cpu++) {
		if (sim->cpu_to_node[cpu] >= 0) {
			sim->cur_cpu = cpu;
			break;
		}
	}
	/* zone_pcp_init(): every zone starts with the boot pageset */
	for (int nid = 0; nid < n; nid++) {
		if (!sim->node_data[nid])
			continue;
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			int ret = hn_pcp_init_zone(sim, &sim->node_data[nid]->node_zones[z]);

			if (ret)
				return ret;
		}
	}
	for (int i = 0; i < m->nr_inits; i++) {
		int nid = m->inits[i].d.nid;

		if (m->inits[i].d.kind == HN_INIT_GPU &&
		    !hn_bit_test(sim->node_states[HN_N_CPU], (unsigned int)nid))
			hn_bit_set(sim->node_states[HN_N_GENERIC_INITIATOR], (unsigned int)nid);
	}
	return 0;
}

/* ---- NODE_DATA and the memory map ------------------------------------- */

static int alloc_node_data(struct hn_sim *sim, struct hn_pglist_data *pgdat, bool has_memory)
{
	uint64_t pa;
	int ret, tnid;

	if (has_memory) {
		ret = hn_memblock_phys_alloc_try_nid(sim->memblock, PGDAT_SIZE, SMP_CACHE_BYTES,
						     pgdat->node_id, &pa);
		if (ret)
			goto fail;
		hn_printk(sim, HN_LOG_INFO, "NODE_DATA(%d) allocated [mem 0x%08" PRIx64 "-0x%08" PRIx64 "]",
			  pgdat->node_id, pa, pa + PGDAT_SIZE - 1);
		tnid = pfn_to_nid(sim, pfn_down(sim, pa));
		if (tnid != pgdat->node_id)
			hn_printk(sim, HN_LOG_INFO, "    NODE_DATA(%d) on node %d", pgdat->node_id, tnid);
	} else {
		ret = hn_memblock_phys_alloc(sim->memblock, PGDAT_SIZE, SMP_CACHE_BYTES, &pa);
		if (ret)
			goto fail;
	}
	pgdat->nodedata_pa = pa;
	return 0;
fail:
	hn_logf(&sim->log, HN_LOG_ERR, "cannot allocate %llu bytes for node %d data",
		(unsigned long long)PGDAT_SIZE, pgdat->node_id);
	return ret == -ENOMEM ? ret : -ENOSPC;
}

/*
 * sparse_init() allocates, per node, one buffer holding the struct page
 * arrays of all its present sections, aligned to the size of one section's
 * array, above MAX_DMA_ADDRESS, preferring the node itself.  The simulation
 * charges that much simulated memory so that managed < present by the same
 * margin as on a real machine.
 */
static int reserve_node_memmap(struct hn_sim *sim, int nid)
{
	uint64_t pages_per_section = 1ULL << sim->pfn_section_shift;
	uint64_t map_size = pages_per_section * sim->cfg.struct_page_size;
	uint64_t count = 0, pa;
	int ret;

	if (sim->cfg.flags & HN_SIM_NO_MEMMAP_RESERVE)
		return 0;
	for (uint64_t s = 0; s < sim->nr_sections; s++)
		if (sim->section_nid[s] == nid)
			count++;
	if (!count)
		return 0;
	ret = hn_memblock_alloc_try_nid(sim->memblock, count * map_size, map_size,
					sim->machine->arch == HN_ARCH_X86_64 ? X86_MAX_DMA_ADDRESS : 0,
					0, nid, &pa);
	if (ret) {
		hn_logf(&sim->log, HN_LOG_ERR,
			"node %d: cannot allocate %" PRIu64 " bytes of memory map", nid,
			count * map_size);
		return ret == -ENOMEM ? ret : -ENOSPC;
	}
	return 0;
}

/* ---- zone sizing (free_area_init) ------------------------------------ */

static void set_arch_zone_limits(struct hn_sim *sim)
{
	uint64_t max_zone_pfn[HN_MAX_NR_ZONES] = { 0 };
	uint64_t start_pfn = pfn_down(sim, hn_memblock_start_of_DRAM(sim->memblock));

	if (sim->machine->arch == HN_ARCH_X86_64) {
		/* zone_sizes_init(): MAX_DMA_PFN, MAX_DMA32_PFN, max_pfn */
		max_zone_pfn[HN_ZONE_DMA] = pfn_down(sim, 16 * HN_MiB);
		max_zone_pfn[HN_ZONE_DMA32] = pfn_down(sim, 4 * HN_GiB);
	}
	max_zone_pfn[HN_ZONE_NORMAL] = pfn_up(sim, hn_memblock_end_of_DRAM(sim->memblock));
	for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
		uint64_t end;

		if (z == HN_ZONE_MOVABLE)
			continue;
		end = HN_MAX(max_zone_pfn[z], start_pfn);
		sim->arch_zone_lowest_possible_pfn[z] = start_pfn;
		sim->arch_zone_highest_possible_pfn[z] = end;
		start_pfn = end;
	}
}

/*
 * find_zone_movable_pfns_for_nodes(), the movable_node branch: ZONE_MOVABLE
 * of a node starts at its lowest hotpluggable memory and takes everything
 * above, rounded up to MAX_ORDER_NR_PAGES.  A device may also ask for
 * ZONE_MOVABLE explicitly (zone: movable), which the kernel expresses by
 * onlining hotplugged memory with online_movable.
 */
static void find_zone_movable_pfns_for_nodes(struct hn_sim *sim)
{
	const struct hn_machine *m = sim->machine;
	bool movable_node = sim->cfg.flags & HN_SIM_MOVABLE_NODE;

	for (int i = 0; i < m->nr_memdevs; i++) {
		const struct hn_memdev_desc *d = &m->memdevs[i];
		struct hn_pglist_data *pgdat = NODE_DATA(sim, d->nid);
		uint64_t start;

		if (!(d->zone == HN_ZONE_HINT_MOVABLE ||
		      (d->zone == HN_ZONE_HINT_AUTO && d->hotplug && movable_node)))
			continue;
		start = pfn_up(sim, d->base);
		if (!pgdat->zone_movable_pfn || start < pgdat->zone_movable_pfn)
			pgdat->zone_movable_pfn = start;
	}
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (pgdat && pgdat->zone_movable_pfn)
			pgdat->zone_movable_pfn = hn_align_up(pgdat->zone_movable_pfn,
							      1ULL << sim->max_page_order);
	}
}

static void get_pfn_range_for_nid(struct hn_sim *sim, int nid, uint64_t *start, uint64_t *end)
{
	const struct hn_machine *m = sim->machine;
	struct hn_memblock_iter it = HN_MEMBLOCK_ITER_INIT;
	uint64_t s, e;
	int rnid;

	*start = UINT64_MAX;
	*end = 0;
	while (hn_memblock_next_mem_pfn_range(sim->memblock, &it, nid, sim->page_shift,
					      &s, &e, &rnid)) {
		*start = HN_MIN(*start, s);
		*end = HN_MAX(*end, e);
	}
	/* ZONE_DEVICE memory extends the node span like memremap_pages(). */
	for (int i = 0; i < m->nr_memdevs; i++) {
		const struct hn_memdev_desc *d = &m->memdevs[i];

		if (d->nid != nid || !memdev_is_device_zone(d))
			continue;
		*start = HN_MIN(*start, pfn_up(sim, d->base));
		*end = HN_MAX(*end, pfn_down(sim, d->base + d->size));
	}
	if (*start == UINT64_MAX)
		*start = *end = 0;
}

/* Pages of memblock.memory of @nid inside [start, end). */
static uint64_t present_pages_in_range(struct hn_sim *sim, int nid, uint64_t start, uint64_t end)
{
	struct hn_memblock_iter it = HN_MEMBLOCK_ITER_INIT;
	uint64_t s, e, n = 0;
	int rnid;

	while (hn_memblock_next_mem_pfn_range(sim->memblock, &it, nid, sim->page_shift,
					      &s, &e, &rnid)) {
		s = HN_CLAMP(s, start, end);
		e = HN_CLAMP(e, start, end);
		n += e - s;
	}
	return n;
}

static uint64_t zone_spanned_pages_in_node(struct hn_sim *sim, struct hn_pglist_data *pgdat,
					   int zt, uint64_t node_start, uint64_t node_end,
					   uint64_t *zs, uint64_t *ze)
{
	uint64_t low = sim->arch_zone_lowest_possible_pfn[zt];
	uint64_t high = sim->arch_zone_highest_possible_pfn[zt];
	uint64_t zmp = pgdat->zone_movable_pfn;

	*zs = HN_CLAMP(node_start, low, high);
	*ze = HN_CLAMP(node_end, low, high);
	/* adjust_zone_range_for_zone_movable() */
	if (zmp) {
		if (zt == HN_ZONE_MOVABLE) {
			*zs = zmp;
			*ze = HN_MIN(node_end, sim->arch_zone_highest_possible_pfn[HN_ZONE_NORMAL]);
		} else if (*zs < zmp && *ze > zmp) {
			*ze = zmp;
		} else if (*zs >= zmp) {
			*zs = *ze;
		}
	}
	if (*ze < node_start || *zs > node_end)
		return 0;
	*ze = HN_MIN(*ze, node_end);
	*zs = HN_MAX(*zs, node_start);
	return *ze > *zs ? *ze - *zs : 0;
}

static void calculate_node_totalpages(struct hn_sim *sim, struct hn_pglist_data *pgdat,
				      uint64_t node_start, uint64_t node_end)
{
	const struct hn_machine *m = sim->machine;
	uint64_t totalpages = 0, realtotalpages = 0;

	for (int zt = 0; zt < HN_MAX_NR_ZONES; zt++) {
		struct hn_zone *zone = &pgdat->node_zones[zt];
		uint64_t zs = 0, ze = 0, spanned = 0, present = 0;

		if (zt == HN_ZONE_DEVICE) {
			/*
			 * ZONE_DEVICE spans its devices but has no present
			 * pages: memremap_pages() never onlines them.
			 */
			zs = UINT64_MAX;
			for (int i = 0; i < m->nr_memdevs; i++) {
				const struct hn_memdev_desc *d = &m->memdevs[i];

				if (d->nid != pgdat->node_id || !memdev_is_device_zone(d))
					continue;
				zs = HN_MIN(zs, pfn_up(sim, d->base));
				ze = HN_MAX(ze, pfn_down(sim, d->base + d->size));
			}
			if (zs == UINT64_MAX)
				zs = ze = 0;
			spanned = ze - zs;
		} else {
			spanned = zone_spanned_pages_in_node(sim, pgdat, zt, node_start, node_end,
							     &zs, &ze);
			present = spanned ? present_pages_in_range(sim, pgdat->node_id, zs, ze) : 0;
		}
		zone->zone_start_pfn = spanned ? zs : 0;
		zone->spanned_pages = spanned;
		zone->present_pages = present;
		totalpages += zt == HN_ZONE_DEVICE ? 0 : spanned;
		realtotalpages += present;
		if (spanned)
			pgdat->nr_zones = zt + 1;
	}
	(void)totalpages;
	pgdat->node_present_pages = realtotalpages;
}

static int alloc_node_mem_map(struct hn_sim *sim, struct hn_pglist_data *pgdat)
{
	uint64_t pbo = sim->pageblock_order;
	uint64_t start = pgdat->node_start_pfn, end = pgdat_end_pfn(pgdat);

	if (!pgdat->node_spanned_pages)
		return 0;
	if (pgdat->node_spanned_pages >= HN_NIL) {
		hn_logf(&sim->log, HN_LOG_ERR,
			"node %d spans %" PRIu64 " pages; a node may span at most %u",
			pgdat->node_id, pgdat->node_spanned_pages, HN_NIL - 1);
		return -EINVAL;
	}
	if (hn_should_fail(sim, HN_FAULT_HOST_ALLOC))
		return -ENOMEM;
	pgdat->mem_map_bytes = pgdat->node_spanned_pages * sizeof(struct hn_page);
	pgdat->mem_map = hn_host_map_zeroed(pgdat->mem_map_bytes);
	if (!pgdat->mem_map)
		return -ENOMEM;
	pgdat->nr_blocks = ((end - 1) >> sim->max_page_order) - (start >> sim->max_page_order) + 1;
	if (hn_should_fail(sim, HN_FAULT_HOST_ALLOC))
		return -ENOMEM;
	pgdat->block_map_bytes = pgdat->nr_blocks * sizeof(struct hn_page);
	pgdat->block_map = hn_host_map_zeroed(pgdat->block_map_bytes);
	if (!pgdat->block_map)
		return -ENOMEM;
	if (hn_should_fail(sim, HN_FAULT_HOST_ALLOC))
		return -ENOMEM;
	/* page_ext: the cold half of each page's state, as lazy as mem_map */
	pgdat->page_ext_bytes = pgdat->node_spanned_pages * sizeof(struct hn_page_ext);
	pgdat->page_ext = hn_host_map_zeroed(pgdat->page_ext_bytes);
	if (!pgdat->page_ext)
		return -ENOMEM;
	pgdat->nr_pageblocks = ((end - 1) >> pbo) - (start >> pbo) + 1;
	pgdat->pageblock_mt = hn_sim_calloc(sim, pgdat->nr_pageblocks, 1);	/* MIGRATE_UNMOVABLE */
	if (!pgdat->pageblock_mt)
		return -ENOMEM;
	pgdat->pageblock_skip = hn_sim_calloc(sim, pgdat->nr_pageblocks, 1);
	if (!pgdat->pageblock_skip)
		return -ENOMEM;
	pgdat->pageblock_mt_base = (uintptr_t)pgdat->pageblock_mt - (uintptr_t)(start >> pbo);
	return 0;
}

static void free_area_init_node(struct hn_sim *sim, struct hn_pglist_data *pgdat)
{
	uint64_t start, end;

	get_pfn_range_for_nid(sim, pgdat->node_id, &start, &end);
	pgdat->node_start_pfn = start;
	pgdat->node_spanned_pages = end - start;
	if (start != end) {
		hn_printk(sim, HN_LOG_INFO, "Initmem setup node %d [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]",
			  pgdat->node_id, pfn_phys(sim, start),
			  end ? pfn_phys(sim, end) - 1 : 0);
		calculate_node_totalpages(sim, pgdat, start, end);
	} else {
		hn_printk(sim, HN_LOG_INFO, "Initmem setup node %d as memoryless", pgdat->node_id);
	}
}

static void print_zone_ranges(struct hn_sim *sim)
{
	struct hn_memblock_iter it = HN_MEMBLOCK_ITER_INIT;
	uint64_t s, e;
	int nid;

	hn_printk(sim, HN_LOG_INFO, "Zone ranges:");
	for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
		if (z == HN_ZONE_MOVABLE)
			continue;
		if (sim->arch_zone_lowest_possible_pfn[z] == sim->arch_zone_highest_possible_pfn[z])
			hn_printk(sim, HN_LOG_INFO, "  %-8s empty", hn_zone_name(z));
		else
			hn_printk(sim, HN_LOG_INFO, "  %-8s [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]",
				  hn_zone_name(z), pfn_phys(sim, sim->arch_zone_lowest_possible_pfn[z]),
				  pfn_phys(sim, sim->arch_zone_highest_possible_pfn[z]) - 1);
	}
	hn_printk(sim, HN_LOG_INFO, "Movable zone start for each node");
	for (int n = 0; n < sim->nr_node_ids; n++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, n);

		if (pgdat && pgdat->zone_movable_pfn)
			hn_printk(sim, HN_LOG_INFO, "  Node %d: 0x%016" PRIx64, n,
				  pfn_phys(sim, pgdat->zone_movable_pfn));
	}
	hn_printk(sim, HN_LOG_INFO, "Early memory node ranges");
	while (hn_memblock_next_mem_pfn_range(sim->memblock, &it, HN_NUMA_NO_NODE,
					      sim->page_shift, &s, &e, &nid))
		hn_printk(sim, HN_LOG_INFO, "  node %3d: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]",
			  nid, pfn_phys(sim, s), pfn_phys(sim, e) - 1);
}

/* ---- attribute nodes (HN_SIM_HNUMA) ------------------------------------ */

int hn_attach_attr_zone(struct hn_sim *sim, struct hn_zone *zone, uint64_t start, uint64_t end,
			hn_mattr_t mattr)
{
	uint64_t max_block = 1ULL << sim->max_page_order;
	struct hn_attr_zone *az;
	int ret;

	/*
	 * Only whole MAX_PAGE_ORDER blocks: then no buddy pair straddles an
	 * attribute boundary and the buddy code needs no extra checks.
	 */
	start = hn_align_up(start, max_block);
	end = hn_align_down(end, max_block);
	if (start >= end)
		return 0;
	if (!zone->attrs) {
		zone->attrs = hn_sim_calloc(sim, 1, sizeof(*zone->attrs));
		if (!zone->attrs)
			return -ENOMEM;
		hn_attr_set_init(zone->attrs);
	}
	az = hn_sim_calloc(sim, 1, sizeof(*az));
	if (!az)
		return -ENOMEM;
	az->zone.free_area = hn_sim_calloc(sim, sim->nr_page_orders, sizeof(*az->zone.free_area));
	if (!az->zone.free_area) {
		free(az);
		return -ENOMEM;
	}
	hn_zone_init_free_lists(&az->zone, sim->nr_page_orders);
	az->zone.zone_pgdat = zone->zone_pgdat;
	az->zone.idx = zone->idx;
	az->zone.name = zone->name;
	az->zone.zone_start_pfn = start;
	az->zone.spanned_pages = end - start;
	az->zone.present_pages = present_pages_in_range(sim, zone->zone_pgdat->node_id, start, end);
	az->zone.parent = zone;
	az->node.mattr = mattr;
	az->node.start_pfn = start;
	az->node.end_pfn = end;
	az->node.owner = az;
	ret = hn_attr_set_insert(zone->attrs, &az->node);
	if (ret) {
		free(az->zone.free_area);
		free(az);
		return ret;
	}
	return 0;
}

/* The boot log's attribute columns: every node with its range, key and word. */
static void print_attr_nodes(struct hn_sim *sim)
{
	hn_printk(sim, HN_LOG_INFO, "Attribute nodes (hierarchical NUMA, matching '%s')",
		  sim->attr_match->name);
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		for (int z = 0; pgdat && z < HN_MAX_NR_ZONES; z++) {
			const struct hn_attr_set *set = pgdat->node_zones[z].attrs;

			for (unsigned int i = 0; set && i < set->nr; i++) {
				const struct hn_attr_node *n = set->nodes[i];
				char word[64];

				hn_printk(sim, HN_LOG_INFO,
					  "  node %3d %-7s attr %u: [mem 0x%016" PRIx64 "-0x%016" PRIx64
					  "] key %2u %s", nid, pgdat->node_zones[z].name, i,
					  pfn_phys(sim, n->start_pfn), pfn_phys(sim, n->end_pfn) - 1, n->key,
					  hn_mattr_format(n->mattr, word, sizeof(word)));
			}
		}
	}
}

/*
 * Contiguous memory with one attribute word becomes one attribute node of
 * the zone that holds it (the slides: "contiguous memory_regions need to
 * have same memory attribute to be a single CDM node").
 */
static int build_attr_zones(struct hn_sim *sim)
{
	struct hn_memblock_region r;
	unsigned long n;

	if (!(sim->cfg.flags & HN_SIM_HNUMA))
		return 0;
	n = hn_memblock_region_count(sim->memblock, HN_MEMBLOCK_MEMORY);
	for (unsigned long i = 0; i < n; i++) {
		uint64_t s, e;

		hn_memblock_region_get(sim->memblock, HN_MEMBLOCK_MEMORY, i, &r);
		if (!r.mattr || r.nid < 0 || r.nid >= sim->nr_node_ids || !NODE_DATA(sim, r.nid))
			continue;
		s = pfn_up(sim, r.base);
		e = pfn_down(sim, r.base + r.size);
		/* extend over following regions with the same word and node */
		while (i + 1 < n) {
			struct hn_memblock_region nx;

			hn_memblock_region_get(sim->memblock, HN_MEMBLOCK_MEMORY, i + 1, &nx);
			if (nx.mattr != r.mattr || nx.nid != r.nid || pfn_up(sim, nx.base) != e)
				break;
			e = pfn_down(sim, nx.base + nx.size);
			i++;
		}
		for (int z = 0; z < HN_ZONE_DEVICE; z++) {
			struct hn_zone *zone = &NODE_DATA(sim, r.nid)->node_zones[z];
			uint64_t zs = HN_MAX(s, zone->zone_start_pfn), ze = HN_MIN(e, zone_end_pfn(zone));
			int ret;

			if (!zone->spanned_pages || zs >= ze)
				continue;
			ret = hn_attach_attr_zone(sim, zone, zs, ze, r.mattr);
			if (ret)
				return ret;
		}
	}
	print_attr_nodes(sim);
	return 0;
}

void hn_free_attr_zones(struct hn_sim *sim)
{
	for (int nid = 0; sim->node_data && nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = sim->node_data[nid];

		if (!pgdat)
			continue;
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			struct hn_attr_set *set = pgdat->node_zones[z].attrs;

			if (!set)
				continue;
			for (unsigned int i = 0; i < set->nr; i++) {
				struct hn_attr_zone *az = attr_zone_of(set->nodes[i]);

				free(az->zone.free_area);
				free(az);
			}
			hn_attr_set_fini(set);
			free(set);
			pgdat->node_zones[z].attrs = NULL;
		}
	}
}

/*
 * The zone of every section that lies wholly inside one zone, so that
 * page_zone() is one table lookup, with the node's mem_map and pageblock
 * table beside it; sections cut by a zone boundary or touching ZONE_DEVICE
 * keep the span search.  An entry is written only when it changes, so a
 * sparse machine's table stays untouched (and unbacked) in its holes.
 */
void hn_fill_section_zones(struct hn_sim *sim)
{
	uint64_t pps = 1ULL << sim->pfn_section_shift;

	for (uint64_t sec = 0; sec < sim->nr_sections; sec++) {
		uint64_t first = sec * pps, last = first + pps - 1;
		struct hn_pglist_data *pgdat = NULL;
		struct hn_zone *found = NULL;
		struct hn_section entry;

		if (sim->section_nid[sec] == HN_NO_NODE)
			goto set;
		pgdat = NODE_DATA(sim, sim->section_nid[sec]);
		if (pgdat->node_zones[HN_ZONE_DEVICE].spanned_pages &&
		    pgdat->node_zones[HN_ZONE_DEVICE].zone_start_pfn <= last &&
		    first < zone_end_pfn(&pgdat->node_zones[HN_ZONE_DEVICE]))
			goto set;
		for (int z = 0; z < HN_ZONE_DEVICE; z++) {
			struct hn_zone *zone = &pgdat->node_zones[z];

			if (zone_spans_pfn(zone, first) && zone_spans_pfn(zone, last))
				found = zone;
		}
		/* attribute nodes are found by the slow search */
		if (found && found->attrs) {
			const struct hn_attr_set *set = found->attrs;

			for (unsigned int i = 0; i < set->nr; i++)
				if (set->nodes[i]->start_pfn <= last && first < set->nodes[i]->end_pfn)
					found = NULL;
		}
set:
		if (!found) {
			if (sim->sections[sec].zone)
				sim->sections[sec] = (struct hn_section){ 0 };
			continue;
		}
		entry = (struct hn_section){
			.zone = found,
			.mem_map = pgdat->mem_map,
			.node_start_pfn = pgdat->node_start_pfn,
			.pageblock_mt_base = pgdat->pageblock_mt_base,
			.per_cpu_pageset = found->per_cpu_pageset,
		};
		if (memcmp(&sim->sections[sec], &entry, sizeof(entry)))
			sim->sections[sec] = entry;
	}
}

static int setup_section_zones(struct hn_sim *sim)
{
	sim->sections = hn_sim_calloc(sim, sim->nr_sections, sizeof(*sim->sections));
	if (!sim->sections)
		return -ENOMEM;
	hn_fill_section_zones(sim);
	return 0;
}

/* ---- memmap_init ------------------------------------------------------ */

static bool section_valid(const struct hn_sim *sim, uint64_t pfn)
{
	uint64_t sec = pfn >> sim->pfn_section_shift;

	return sec < sim->nr_sections && sim->section_nid[sec] != HN_NO_NODE;
}

/*
 * init_unavailable_range(): holes inside valid sections are marked reserved
 * and counted; whole pageblocks in invalid sections are skipped.
 */
static void init_unavailable_range(struct hn_sim *sim, uint64_t spfn, uint64_t epfn,
				   int zt, int nid)
{
	struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);
	uint64_t pbsize = sim->pageblock_nr_pages, count = 0;

	for (uint64_t pfn = spfn; pfn < epfn; pfn++) {
		uint64_t pb_start = pfn & ~(pbsize - 1);

		if (!section_valid(sim, pb_start)) {
			/*
			 * The kernel steps a pageblock at a time; a whole invalid
			 * section has no valid pageblock, so skip it at once (the
			 * holes between a machine's nodes can be terabytes wide).
			 */
			pfn = (pfn | ((1ULL << sim->pfn_section_shift) - 1));
			continue;
		}
		if (pfn >= pgdat->node_start_pfn && pfn < pgdat_end_pfn(pgdat))
			pfn_to_page(pgdat, pfn)->flags |= PG_reserved;
		count++;
	}
	if (count)
		hn_printk(sim, HN_LOG_INFO, "On node %d, zone %s: %" PRIu64 " pages in unavailable ranges",
			  nid, hn_zone_name(zt), count);
}

static void memmap_init_zone_range(struct hn_sim *sim, struct hn_zone *zone,
				   uint64_t start, uint64_t end, uint64_t *hole_pfn)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	uint64_t zs = zone->zone_start_pfn, ze = zone_end_pfn(zone);
	uint64_t pbsize = sim->pageblock_nr_pages;

	start = HN_CLAMP(start, zs, ze);
	end = HN_CLAMP(end, zs, ze);
	if (start >= end)
		return;
	/* memmap_init_range(): every pageblock that *starts* in the range. */
	for (uint64_t pfn = hn_align_up(start, pbsize); pfn < end; pfn += pbsize)
		set_pageblock_migratetype(pgdat, pfn, HN_MIGRATE_MOVABLE);
	if (*hole_pfn < start)
		init_unavailable_range(sim, *hole_pfn, start, (int)zone->idx, pgdat->node_id);
	*hole_pfn = end;
}

static void memmap_init(struct hn_sim *sim)
{
	struct hn_memblock_iter it = HN_MEMBLOCK_ITER_INIT;
	uint64_t s, e = 0, hole_pfn = 0;
	int nid = 0, last_nid = -1, zone_id = 0;
	uint64_t pages_per_section = 1ULL << sim->pfn_section_shift;

	while (hn_memblock_next_mem_pfn_range(sim->memblock, &it, HN_NUMA_NO_NODE,
					      sim->page_shift, &s, &e, &nid)) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			struct hn_zone *zone = &pgdat->node_zones[z];

			if (!populated_zone(zone))
				continue;
			memmap_init_zone_range(sim, zone, s, e, &hole_pfn);
			zone_id = z;
		}
		last_nid = nid;
	}
	if (last_nid >= 0) {
		e = hn_align_up(e, pages_per_section);
		if (hole_pfn < e)
			init_unavailable_range(sim, hole_pfn, e, zone_id, last_nid);
	}
}

/* memmap_init_reserved_pages(): reserved and nomap ranges get PG_reserved. */
static void reserve_bootmem_region(struct hn_sim *sim, uint64_t start, uint64_t end)
{
	/* nothing past the last pfn has a struct page: a huge reservation stops there */
	uint64_t end_pfn = HN_MIN(pfn_up(sim, end), sim->max_pfn);

	for (uint64_t pfn = pfn_down(sim, start); pfn < end_pfn; pfn++) {
		int nid = pfn_to_nid(sim, pfn);
		struct hn_pglist_data *pgdat;

		if (nid < 0) {
			/* Skip the rest of an invalid section at once. */
			pfn |= (1ULL << sim->pfn_section_shift) - 1;
			continue;
		}
		pgdat = NODE_DATA(sim, nid);
		if (pfn >= pgdat->node_start_pfn && pfn < pgdat_end_pfn(pgdat))
			pfn_to_page(pgdat, pfn)->flags |= PG_reserved;
	}
}

static void memmap_init_reserved_pages(struct hn_sim *sim)
{
	struct hn_memblock_region r;
	unsigned long n;

	n = hn_memblock_region_count(sim->memblock, HN_MEMBLOCK_MEMORY);
	for (unsigned long i = 0; i < n; i++) {
		hn_memblock_region_get(sim->memblock, HN_MEMBLOCK_MEMORY, i, &r);
		if (r.flags & HN_MEMBLOCK_NOMAP)
			reserve_bootmem_region(sim, r.base, r.base + r.size);
	}
	n = hn_memblock_region_count(sim->memblock, HN_MEMBLOCK_RESERVED);
	for (unsigned long i = 0; i < n; i++) {
		hn_memblock_region_get(sim->memblock, HN_MEMBLOCK_RESERVED, i, &r);
		if (!(r.flags & HN_MEMBLOCK_RSRV_NOINIT))
			reserve_bootmem_region(sim, r.base, r.base + r.size);
	}
}

/*
 * free_low_memory_core_early().  Clearing the hotplug flags (so that
 * movable_node memory is freed too) merges regions that a hotplug edge
 * kept apart; if that edge lay inside a page, the merged free range would
 * hand out a page no zone counted present.  So the free ranges are cut to
 * the pfn ranges zone sizing saw, taken before the flags are cleared.  (The
 * kernel frees that page; firmware never puts a hotplug edge inside one.)
 */
static int memblock_free_all(struct hn_sim *sim, uint64_t *freed)
{
	struct hn_memblock_iter it = HN_MEMBLOCK_ITER_INIT;
	uint64_t start, end, count = 0, (*seen)[2];
	unsigned long nseen = 0, max = hn_memblock_region_count(sim->memblock, HN_MEMBLOCK_MEMORY);
	int nid;

	seen = hn_sim_malloc(sim, (max ? max : 1) * sizeof(*seen));
	if (!seen)
		return -ENOMEM;
	while (nseen < max && hn_memblock_next_mem_pfn_range(sim->memblock, &it, HN_NUMA_NO_NODE,
							     sim->page_shift, &seen[nseen][0],
							     &seen[nseen][1], &nid))
		nseen++;
	hn_memblock_clear_hotplug(sim->memblock, 0, UINT64_MAX);
	memmap_init_reserved_pages(sim);
	it = (struct hn_memblock_iter)HN_MEMBLOCK_ITER_INIT;
	while (hn_memblock_next_free_range(sim->memblock, &it, HN_NUMA_NO_NODE,
					   HN_MEMBLOCK_NONE, &start, &end, &nid)) {
		uint64_t spfn = pfn_up(sim, start), epfn = HN_MIN(pfn_down(sim, end), sim->max_pfn);

		for (unsigned long k = 0; k < nseen && spfn < epfn; k++) {
			uint64_t s = HN_MAX(spfn, seen[k][0]), e = HN_MIN(epfn, seen[k][1]);

			if (s < e)
				count += hn_free_pages_memory(sim, s, e);
		}
	}
	free(seen);
	*freed = count;
	return 0;
}

/* ---- the mm phase ----------------------------------------------------- */

static void set_node_memory_states(struct hn_sim *sim, struct hn_pglist_data *pgdat)
{
	unsigned int nid = (unsigned int)pgdat->node_id;

	if (!pgdat->node_present_pages)
		return;
	hn_bit_set(sim->node_states[HN_N_MEMORY], nid);
	/* check_for_memory(): a populated zone at or below ZONE_NORMAL. */
	for (int z = 0; z < HN_ZONE_MOVABLE; z++) {
		if (populated_zone(&pgdat->node_zones[z])) {
			hn_bit_set(sim->node_states[HN_N_NORMAL_MEMORY], nid);
			break;
		}
	}
}

static void print_memory_line(struct hn_sim *sim)
{
	uint64_t physpages = 0, free = 0, kib = sim->page_size >> 10;
	uint64_t img = sim->cfg.kernel_image_size >> 10;

	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat)
			continue;
		physpages += pgdat->node_present_pages;
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			free += (uint64_t)pgdat->node_zones[z].vm_stat[NR_FREE_PAGES];
			for_each_attr_zone(&pgdat->node_zones[z], az, i)
				free += (uint64_t)az->vm_stat[NR_FREE_PAGES];
		}
	}
	/*
	 * The simulated image is split the way a distribution vmlinux roughly
	 * is: 40% text, 10% rwdata, 25% rodata, 10% init, 15% bss.
	 */
	hn_printk(sim, HN_LOG_INFO,
		  "Memory: %" PRIu64 "K/%" PRIu64 "K available (%" PRIu64 "K kernel code, %" PRIu64
		  "K rwdata, %" PRIu64 "K rodata, %" PRIu64 "K init, %" PRIu64 "K bss, %" PRIu64
		  "K reserved, 0K cma-reserved)",
		  free * kib, physpages * kib, img * 40 / 100, img * 10 / 100, img * 25 / 100,
		  img * 10 / 100, img * 15 / 100, (physpages - sim->totalram_pages) * kib);
}

/*
 * free_initmem(): the image's init sections, no longer needed once the
 * initcalls ran, go back to the buddy ("Freeing unused kernel image
 * (initmem) memory").  The simulated image is laid out as vmlinux is on
 * x86-64 (text, rodata, data, init, bss) with the shares of the
 * "Memory:" line, so init is the tenth that starts three quarters in.
 * Every architecture's free_initmem() prints the same line
 * (free_initmem_default() on powerpc, free_kernel_image_pages() on x86).
 */
static void free_initmem(struct hn_sim *sim)
{
	uint64_t img = sim->cfg.kernel_image_size;
	uint64_t init_begin = sim->kernel_image_base + img * 75 / 100;

	if (!img)
		return;
	hn_free_reserved_area(sim, init_begin, init_begin + img * 10 / 100,
			      "unused kernel image (initmem)");
}

/*
 * What init/main.c does after mm_core_init() that changes zone counters
 * or watermarks, in its order (docs/faithfulness.md lists every step,
 * those that change nothing here too):
 *
 *   postcore initcall  init_per_zone_wmark_min()      (done with the boot above)
 *   subsys initcall    hugepage_init(): khugepaged starts and raises
 *                      min_free_kbytes, every watermark recomputed
 *   kernel_init()      free_initmem(): the init sections freed, managed
 *                      pages grow; the watermarks are not recomputed
 *                      do_sysctl_args(): sysctl.vm.min_free_kbytes= from
 *                      the command line (hn_sim_config.min_free_kbytes),
 *                      written as the sysctl handler does
 */
static void boot_after_mm_core_init(struct hn_sim *sim)
{
	hn_hugepage_init(sim);
	free_initmem(sim);
	if (sim->cfg.min_free_kbytes) {
		sim->min_free_kbytes = sim->cfg.min_free_kbytes;
		sim->user_min_free_kbytes = (int64_t)sim->cfg.min_free_kbytes;
		hn_setup_per_zone_wmarks_all(sim);
	}
}

int hn_boot_mm(struct hn_sim *sim)
{
	int ret;

	ret = setup_sections(sim);
	if (!ret)
		ret = setup_nodes(sim);
	if (ret)
		return ret;

	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat || !hn_bit_test(sim->node_states[HN_N_ONLINE], (unsigned int)nid))
			continue;
		ret = alloc_node_data(sim, pgdat,
				      present_pages_in_range(sim, nid, 0, UINT64_MAX) != 0);
		if (ret)
			return ret;
	}
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		if (!NODE_DATA(sim, nid))
			continue;
		ret = reserve_node_memmap(sim, nid);
		if (ret)
			return ret;
	}

	set_arch_zone_limits(sim);
	find_zone_movable_pfns_for_nodes(sim);
	print_zone_ranges(sim);
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat)
			continue;
		if (!hn_bit_test(sim->node_states[HN_N_ONLINE], (unsigned int)nid)) {
			/* alloc_offline_node_data(): possible but not online */
			ret = alloc_node_data(sim, pgdat, false);
			if (ret)
				return ret;
		}
		free_area_init_node(sim, pgdat);
		ret = alloc_node_mem_map(sim, pgdat);
		if (ret)
			return ret;
		set_node_memory_states(sim, pgdat);
	}
	ret = build_attr_zones(sim);
	if (ret)
		return ret;
	memmap_init(sim);
	ret = setup_section_zones(sim);
	if (ret)
		return ret;

	ret = memblock_free_all(sim, &sim->totalram_pages);
	if (ret)
		return ret;

	hn_init_per_zone_wmark_min(sim);
	/*
	 * build_all_zonelists() runs before memblock_free_all() in the kernel,
	 * when managed pages still equal present pages; it runs here once the
	 * zones are final, and prints its lines before the "Memory:" line as
	 * the kernel does.
	 */
	hn_update_numa_node_id(sim);
	/*
	 * Whether cpumask_of_node() already holds the CPUs when
	 * build_all_zonelists() runs in mm_core_init(): not on x86-64, where
	 * numa_add_cpu() comes later (arch_cpu_finalize_init(), smp_init());
	 * on ppc64 setup_arch() has mapped every CPU to its node before.  The
	 * generic architecture keeps the ppc64 order.  From here on they are
	 * filled, for every later rebuild.
	 */
	sim->node_cpumasks_filled = sim->machine->arch != HN_ARCH_X86_64;
	ret = hn_build_all_zonelists(sim, true);
	sim->node_cpumasks_filled = true;
	hn_update_local_zones(sim);
	if (ret)
		return ret;
	/* cpuset_init_current_mems_allowed(): every node */
	for (int nid = 0; nid < sim->nr_node_ids; nid++)
		hn_nodemask_set(&sim->mems_allowed, nid);
	/* the subsystems above the allocator: contents, migration, compaction */
	ret = hn_contents_init(sim);
	if (!ret)
		ret = hn_migrate_init(sim);
	if (ret)
		return ret;
	print_memory_line(sim);
	sim->booted = true;
	hn_fastpath_update(sim);
	boot_after_mm_core_init(sim);
	return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim.c - the hn_sim instance: configuration, lifetime, log buffer, reports
 * and the read-only accessors.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hnuma.h>

#include "buddy/buddy.h"
#include "core/mmzone.h"
#include "util/util.h"
#include "zonelist/zonelist.h"

#define DEFAULT_MAX_NODES 64
#define DEFAULT_MAX_PAGE_ORDER 10
#define DEFAULT_STRUCT_PAGE_SIZE 64
#define DEFAULT_KERNEL_IMAGE (32 * HN_MiB)
#define DEFAULT_WATERMARK_SCALE_FACTOR 10

/* sysctl_lowmem_reserve_ratio defaults: DMA 256, DMA32 256, Normal 32. */
static const unsigned int default_lowmem_reserve_ratio[HN_MAX_NR_ZONES] = {
	[HN_ZONE_DMA] = 256,
	[HN_ZONE_DMA32] = 256,
	[HN_ZONE_NORMAL] = 32,
	[HN_ZONE_MOVABLE] = 0,
	[HN_ZONE_DEVICE] = 0,
};

static const char *const migratetype_names[HN_MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate",
};

const char *hn_migratetype_name(enum hn_migratetype mt)
{
	if ((unsigned int)mt >= HN_MIGRATE_TYPES)
		return NULL;
	return migratetype_names[mt];
}

/* ---- the log buffer --------------------------------------------------- */

static void dmesg_append(struct hn_dmesg *d, const char *s, size_t n)
{
	if (d->len + n + 1 > d->cap) {
		size_t cap = d->cap ? d->cap : 4096;
		char *nb;

		while (cap < d->len + n + 1)
			cap *= 2;
		nb = realloc(d->buf, cap);
		if (!nb)
			return;	/* the log is best effort; the simulation goes on */
		d->buf = nb;
		d->cap = cap;
	}
	memcpy(d->buf + d->len, s, n);
	d->len += n;
	d->buf[d->len] = '\0';
}

void hn_printk(struct hn_sim *sim, enum hn_log_level level, const char *fmt, ...)
{
	char line[512], prefix[32];
	va_list ap;
	int n, p;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	/* printk's "[seconds.microseconds] " prefix from the simulated clock */
	p = snprintf(prefix, sizeof(prefix), "[%5" PRIu64 ".%06" PRIu64 "] ",
		     sim->clock_ns / UINT64_C(1000000000), (sim->clock_ns / 1000) % 1000000);
	dmesg_append(&sim->dmesg, prefix, (size_t)p);
	dmesg_append(&sim->dmesg, line, (size_t)n);
	dmesg_append(&sim->dmesg, "\n", 1);
	if (sim->log.fn)
		sim->log.fn(sim->log.ctx, level, line);
}

void hn_report(struct hn_sim *sim, const char *reason, const char *function, int nid,
	       int zone, uint64_t pfn, unsigned int order, const char *fmt, ...)
{
	struct hn_report r = {
		.reason = reason,
		.function = function,
		.nid = nid,
		.zone = zone,
		.pfn = pfn,
		.order = order,
	};
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r.detail, sizeof(r.detail), fmt, ap);
	va_end(ap);
	if (sim->cfg.report)
		sim->cfg.report(sim->cfg.report_ctx, &r);
	if (pfn != UINT64_MAX)
		hn_logf(&sim->log, HN_LOG_ERR, "BUG: %s: %s (node %d pfn %#" PRIx64 " order %u): %s",
			function, reason, nid, pfn, order, r.detail);
	else
		hn_logf(&sim->log, HN_LOG_ERR, "BUG: %s: %s (node %d): %s", function, reason, nid,
			r.detail);
}

/* ---- configuration ---------------------------------------------------- */

static int resolve_config(struct hn_sim *sim, const struct hn_machine *m,
			  const struct hn_sim_config *in)
{
	struct hn_sim_config c = in ? *in : (struct hn_sim_config){ 0 };
	unsigned int shift = c.page_shift;

	if (!shift)
		shift = m->page_size ? hn_ilog2(m->page_size) : 12;
	if (shift < 12 || shift > 21) {
		hn_logf(&c.log, HN_LOG_ERR, "page_shift %u out of range 12..21", shift);
		return -EINVAL;
	}
	if (!c.max_page_order)
		c.max_page_order = DEFAULT_MAX_PAGE_ORDER;
	if (c.max_page_order > HN_MAX_ORDER_LIMIT || shift + c.max_page_order > 40) {
		hn_logf(&c.log, HN_LOG_ERR, "max_page_order %u too large for %u-bit pages",
			c.max_page_order, shift);
		return -EINVAL;
	}
	if (!c.pageblock_order) {
		/* pageblock_order follows the PMD huge page (2 MiB) when it can */
		c.pageblock_order = shift >= 21 ? 0 : 21 - shift;
		if (c.pageblock_order > c.max_page_order)
			c.pageblock_order = c.max_page_order;
	}
	if (c.pageblock_order > c.max_page_order) {
		hn_logf(&c.log, HN_LOG_ERR, "pageblock_order %u exceeds max_page_order %u",
			c.pageblock_order, c.max_page_order);
		return -EINVAL;
	}
	if (!c.max_nodes)
		c.max_nodes = DEFAULT_MAX_NODES;
	if (c.max_nodes < 1 || c.max_nodes > HN_MAX_NUMNODES) {
		hn_logf(&c.log, HN_LOG_ERR, "max_nodes %d out of range 1..%d", c.max_nodes,
			HN_MAX_NUMNODES);
		return -EINVAL;
	}
	if (!c.watermark_scale_factor)
		c.watermark_scale_factor = DEFAULT_WATERMARK_SCALE_FACTOR;
	if (c.watermark_scale_factor > 3000) {	/* the sysctl's upper bound */
		hn_logf(&c.log, HN_LOG_ERR, "watermark_scale_factor %u above 3000",
			c.watermark_scale_factor);
		return -EINVAL;
	}
	if (c.min_free_kbytes > (1ULL << 40)) {
		hn_logf(&c.log, HN_LOG_ERR, "min_free_kbytes %" PRIu64 " is absurd", c.min_free_kbytes);
		return -EINVAL;
	}
	if (!c.lowmem_reserve_ratio_set)
		memcpy(c.lowmem_reserve_ratio, default_lowmem_reserve_ratio,
		       sizeof(c.lowmem_reserve_ratio));
	if (!c.struct_page_size)
		c.struct_page_size = DEFAULT_STRUCT_PAGE_SIZE;
	if (c.struct_page_size > 4096) {
		hn_logf(&c.log, HN_LOG_ERR, "struct_page_size %u above 4096", c.struct_page_size);
		return -EINVAL;
	}
	if (!c.kernel_image_size)
		c.kernel_image_size = DEFAULT_KERNEL_IMAGE;
	for (int i = 0; i < HN_FAULT_NR_SITES; i++) {
		if (c.faults[i].probability > 100) {
			hn_logf(&c.log, HN_LOG_ERR, "fault site %s: probability %u above 100",
				hn_fault_site_name((enum hn_fault_site)i), c.faults[i].probability);
			return -EINVAL;
		}
	}
	if (c.flags & ~(unsigned int)(HN_SIM_STOP_BEFORE_MM | HN_SIM_MOVABLE_NODE |
				      HN_SIM_NO_MEMMAP_RESERVE | HN_SIM_NO_PCP | HN_SIM_HNUMA)) {
		hn_logf(&c.log, HN_LOG_ERR, "unknown flags %#x", c.flags);
		return -EINVAL;
	}
	sim->attr_match = hn_attr_match_by_name(c.attr_match ? c.attr_match : "slides");
	if (!sim->attr_match) {
		hn_logf(&c.log, HN_LOG_ERR, "unknown attribute matching strategy '%s'", c.attr_match);
		return -EINVAL;
	}
	for (int p = 0; p < HN_MATTR_NR_PROPS; p++) {
		if (c.attr_weights[p] > 1000000) {
			hn_logf(&c.log, HN_LOG_ERR, "attribute weight %u above 1000000", c.attr_weights[p]);
			return -EINVAL;
		}
		sim->attr_weights[p] = c.attr_weights[p] ? c.attr_weights[p] : 1;
	}
	c.attr_match = NULL;	/* the caller's string need not outlive the call */
	sim->hnuma = c.flags & HN_SIM_HNUMA;
	c.page_shift = shift;
	sim->cfg = c;
	sim->log = c.log;
	sim->page_shift = shift;
	sim->page_size = 1ULL << shift;
	sim->max_page_order = c.max_page_order;
	sim->nr_page_orders = c.max_page_order + 1;
	sim->pageblock_order = c.pageblock_order;
	sim->pageblock_nr_pages = 1ULL << c.pageblock_order;
	sim->pfn_section_shift = HN_SECTION_SIZE_BITS - shift;
	sim->watermark_boost_factor = 15000;	/* the sysctl's default */
	return 0;
}

/* ---- lifetime --------------------------------------------------------- */

int hn_sim_create(struct hn_sim **out, const struct hn_machine *machine,
		  const struct hn_sim_config *cfg)
{
	struct hn_sim *sim;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!machine)
		return -EINVAL;
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return -ENOMEM;
	ret = resolve_config(sim, machine, cfg);
	if (ret)
		goto fail;
	hn_rng_seed(&sim->rng, sim->cfg.seed);
	hn_fault_init(sim);
	/* the machine copy counts as one host allocation */
	ret = hn_should_fail(sim, HN_FAULT_HOST_ALLOC) ? -ENOMEM :
	      hn_machine_clone(&sim->machine, machine);
	if (ret)
		goto fail;
	ret = hn_machine_validate(sim->machine, sim->cfg.max_nodes, &sim->log);
	if (ret)
		goto fail;
	ret = hn_boot_memblock(sim);
	if (ret)
		goto fail;
	if (!(sim->cfg.flags & HN_SIM_STOP_BEFORE_MM)) {
		ret = hn_boot_mm(sim);
		if (ret)
			goto fail;
		if (HN_DEBUG_VM_ENABLED && hn_sim_check(sim)) {
			ret = -EUCLEAN;
			goto fail;
		}
	}
	*out = sim;
	return 0;
fail:
	hn_sim_destroy(sim);
	return ret;
}

int hn_sim_boot(struct hn_sim *sim)
{
	int ret;

	if (!sim)
		return -EINVAL;
	if (sim->booted || sim->node_data)
		return -EBUSY;
	ret = hn_boot_mm(sim);
	if (ret)
		return ret;
	if (HN_DEBUG_VM_ENABLED && hn_sim_check(sim))
		return -EUCLEAN;
	return 0;
}

void hn_sim_destroy(struct hn_sim *sim)
{
	if (!sim)
		return;
	hn_free_tasks(sim);
	if (sim->node_data) {
		hn_free_zonelists(sim);
		hn_free_attr_zones(sim);
	}
	for (int nid = 0; sim->node_data && nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = sim->node_data[nid];

		if (!pgdat)
			continue;
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			free(pgdat->node_zones[z].free_area);
			hn_pcp_free_zone(&pgdat->node_zones[z]);
		}
		hn_host_unmap(pgdat->mem_map, pgdat->mem_map_bytes);
		hn_host_unmap(pgdat->block_map, pgdat->block_map_bytes);
		free(pgdat->pageblock_mt);
		free(pgdat);
	}
	free(sim->node_data);
	for (int s = 0; s < HN_NR_NODE_STATES; s++)
		free(sim->node_states[s]);
	free(sim->section_nid);
	free(sim->sections);
	free(sim->cpu_to_node);
	free(sim->dmesg.buf);
	hn_memblock_destroy(sim->memblock);
	hn_machine_free(sim->machine);
	free(sim);
}

/* ---- accessors -------------------------------------------------------- */

struct hn_memblock *hn_sim_memblock(struct hn_sim *sim)
{
	return sim ? sim->memblock : NULL;
}

const struct hn_machine *hn_sim_machine(const struct hn_sim *sim)
{
	return sim ? sim->machine : NULL;
}

bool hn_sim_booted(const struct hn_sim *sim)
{
	return sim && sim->booted;
}

uint64_t hn_sim_now_ns(const struct hn_sim *sim)
{
	return sim ? sim->clock_ns : 0;
}

uint64_t hn_sim_random(struct hn_sim *sim)
{
	return sim ? hn_rng_next(&sim->rng) : 0;
}

unsigned int hn_sim_page_shift(const struct hn_sim *sim)
{
	return sim ? sim->page_shift : 0;
}

unsigned int hn_sim_max_page_order(const struct hn_sim *sim)
{
	return sim ? sim->max_page_order : 0;
}

unsigned int hn_sim_pageblock_order(const struct hn_sim *sim)
{
	return sim ? sim->pageblock_order : 0;
}

int hn_sim_nr_node_ids(const struct hn_sim *sim)
{
	return sim ? sim->machine->nr_node_ids : 0;
}

unsigned int hn_sim_nr_cpu_ids(const struct hn_sim *sim)
{
	return sim ? hn_machine_nr_cpu_ids(sim->machine) : 0;
}

int hn_sim_cpu_to_node(const struct hn_sim *sim, unsigned int cpu)
{
	int nid;

	if (!sim)
		return -EINVAL;
	nid = hn_machine_cpu_to_node(sim->machine, cpu);
	return nid < 0 ? -EINVAL : nid;
}

bool hn_sim_node_state(const struct hn_sim *sim, int nid, enum hn_node_state s)
{
	if (!sim || !sim->booted || nid < 0 || nid >= sim->nr_node_ids ||
	    (unsigned int)s >= HN_NR_NODE_STATES)
		return false;
	return hn_bit_test(sim->node_states[s], (unsigned int)nid);
}

static int check_node_arg(const struct hn_sim *sim, int nid)
{
	if (!sim)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	if (nid < 0 || nid >= sim->nr_node_ids || !sim->node_data[nid])
		return -ENODEV;
	return 0;
}

int hn_sim_node_info(const struct hn_sim *sim, int nid, struct hn_node_info *out)
{
	const struct hn_pglist_data *pgdat;
	int ret = check_node_arg(sim, nid);

	if (ret)
		return ret;
	if (!out)
		return -EINVAL;
	pgdat = NODE_DATA(sim, nid);
	memset(out, 0, sizeof(*out));
	out->nid = nid;
	out->node_start_pfn = pgdat->node_start_pfn;
	out->node_spanned_pages = pgdat->node_spanned_pages;
	out->node_present_pages = pgdat->node_present_pages;
	out->nr_cpus = pgdat->nr_cpus;
	out->host_memmap_bytes = pgdat->mem_map_bytes + pgdat->block_map_bytes;
	for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
		out->managed_pages += pgdat->node_zones[z].managed_pages;
		out->free_pages += (uint64_t)pgdat->node_zones[z].vm_stat[NR_FREE_PAGES];
		/* attribute nodes are the node's memory too */
		for_each_attr_zone(&pgdat->node_zones[z], az, i) {
			out->managed_pages += az->managed_pages;
			out->free_pages += (uint64_t)az->vm_stat[NR_FREE_PAGES];
		}
	}
	return 0;
}

int hn_sim_zone_info(const struct hn_sim *sim, int nid, enum hn_zone_type zt,
		     struct hn_zone_info *out)
{
	const struct hn_zone *zone;
	int ret = check_node_arg(sim, nid);

	if (ret)
		return ret;
	if (!out || (unsigned int)zt >= HN_MAX_NR_ZONES)
		return -EINVAL;
	zone = &NODE_DATA(sim, nid)->node_zones[zt];
	memset(out, 0, sizeof(*out));
	out->nid = nid;
	out->type = zt;
	out->name = zone->name;
	out->zone_start_pfn = zone->zone_start_pfn;
	out->spanned_pages = zone->spanned_pages;
	out->present_pages = zone->present_pages;
	out->managed_pages = zone->managed_pages;
	out->free_pages = (uint64_t)zone->vm_stat[NR_FREE_PAGES];
	out->watermark_min = zone->_watermark[WMARK_MIN];
	out->watermark_low = zone->_watermark[WMARK_LOW];
	out->watermark_high = zone->_watermark[WMARK_HIGH];
	out->watermark_promo = zone->_watermark[WMARK_PROMO];
	out->watermark_boost = zone->watermark_boost;
	memcpy(out->lowmem_reserve, zone->lowmem_reserve, sizeof(out->lowmem_reserve));
	for (unsigned int o = 0; o < sim->nr_page_orders && o < HN_ARRAY_SIZE(out->nr_free); o++)
		out->nr_free[o] = zone->free_area[o].nr_free;
	return 0;
}

uint64_t hn_sim_min_free_kbytes(const struct hn_sim *sim)
{
	return sim ? sim->min_free_kbytes : 0;
}

const char *hn_version(void)
{
	return HNUMA_VERSION_STRING;
}

const char *hn_strerror(int err)
{
	if (err < 0)
		err = err == INT_MIN ? INT_MAX : -err;	/* -INT_MIN does not exist */
	switch (err) {
	case 0: return "success";
	case EINVAL: return "invalid argument";
	case ENOMEM: return "host out of memory";
	case ENOSPC: return "simulated memory exhausted";
	case EBUSY: return "busy";
	case EAGAIN: return "try again";
	case ENOENT: return "not found";
	case EEXIST: return "already exists";
	case ENODEV: return "node offline or absent";
	case EFAULT: return "address not mapped";
	case EPERM: return "operation not permitted";
	case EIO: return "policy violated or I/O error";
	case EUCLEAN: return "state corrupted (invariant violated)";
	case EOPNOTSUPP: return "not supported by this build or configuration";
	case EFBIG: return "input too large";
	case ERANGE: return "result out of range";
	/* what reading the caller's files can return, passed on from open(2) */
	case EACCES: return "permission denied";
	case EISDIR: return "is a directory, not a file";
	case ENOTDIR: return "a path component is not a directory";
	case ENAMETOOLONG: return "file name too long";
	case ELOOP: return "too many symbolic links";
	case EMFILE: case ENFILE: return "too many open files";
	case EBADF: return "bad file (a file mapping without a file)";
	/* a run: the caller's limit, the caller's stop */
	case E2BIG: return "more work than the caller's limit";
	case EINTR: return "stopped by the caller";
	case EDOM: return "value out of its domain";
	case ENODATA: return "no data";
	default: return "unknown error";
	}
}

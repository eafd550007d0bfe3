/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim.c - the hn_sim instance's services to every layer above: the log
 * buffer (printk), corruption reports, error names and the read-only
 * accessors.  Creating, booting and destroying an instance is the init
 * layer's (src/init/create.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hnuma.h>

#include "core/mmzone.h"
#include "util/util.h"

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

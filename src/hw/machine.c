/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * machine.c - building, validating and reading machine descriptions.
 *
 * A description is deliberately forgiving while it is being built (devices
 * may name nodes that nothing else mentions yet, distances may come before
 * devices) and strict once hn_machine_validate() runs: that is the point at
 * which a file, a QEMU command line or hand-written code all meet the same
 * rules, with one reason per rejection.
 */
#include "hw/machine.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static const char *const mem_kind_names[HN_MEM_NR_KINDS] = {
	[HN_MEM_DRAM] = "dram",
	[HN_MEM_HBM] = "hbm",
	[HN_MEM_NVDIMM] = "nvdimm",
	[HN_MEM_GPU] = "gpu",
	[HN_MEM_CXL] = "cxl",
	[HN_MEM_CXL_COMPRESSED] = "cxl-compressed",
};

const char *hn_mem_kind_name(enum hn_mem_kind k)
{
	if ((unsigned int)k >= HN_MEM_NR_KINDS)
		return NULL;
	return mem_kind_names[k];
}

int hn_mem_kind_parse(const char *s, enum hn_mem_kind *out)
{
	if (!s || !out)
		return -EINVAL;
	for (unsigned int i = 0; i < HN_MEM_NR_KINDS; i++) {
		if (!strcmp(s, mem_kind_names[i])) {
			*out = (enum hn_mem_kind)i;
			return 0;
		}
	}
	/* Accept the common synonyms people write in machine files. */
	if (!strcmp(s, "mcdram") || !strcmp(s, "hbm2") || !strcmp(s, "hbm3"))
		*out = HN_MEM_HBM;
	else if (!strcmp(s, "pmem") || !strcmp(s, "optane"))
		*out = HN_MEM_NVDIMM;
	else if (!strcmp(s, "cdm"))
		*out = HN_MEM_GPU;
	else if (!strcmp(s, "cxl-zip") || !strcmp(s, "cram"))
		*out = HN_MEM_CXL_COMPRESSED;
	else if (!strcmp(s, "ddr4") || !strcmp(s, "ddr5"))
		*out = HN_MEM_DRAM;
	else
		return -EINVAL;
	return 0;
}

int hn_machine_new(struct hn_machine **out, const char *name)
{
	struct hn_machine *m;

	if (!out)
		return -EINVAL;
	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	hn_strlcpy(m->name, name ? name : "unnamed", sizeof(m->name));
	m->arch = HN_ARCH_X86_64;
	*out = m;
	return 0;
}

void hn_machine_free(struct hn_machine *m)
{
	if (!m)
		return;
	free(m->description);
	free(m->memdevs);
	free(m->inits);
	free(m->caches);
	free(m->links);
	free(m->node_declared);
	free(m->distance);
	free(m->access);
	free(m);
}

static void *dup_array(const void *src, size_t n, size_t sz, bool *failed)
{
	void *p;

	if (!n)
		return NULL;
	p = malloc(n * sz);
	if (!p) {
		*failed = true;
		return NULL;
	}
	memcpy(p, src, n * sz);
	return p;
}

int hn_machine_clone(struct hn_machine **out, const struct hn_machine *m)
{
	struct hn_machine *c;
	bool failed = false;
	size_t nn;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!m)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	*c = *m;
	nn = (size_t)m->nr_node_ids;
	c->description = m->description ? strdup(m->description) : NULL;
	if (m->description && !c->description)
		failed = true;
	c->memdevs = dup_array(m->memdevs, (size_t)m->nr_memdevs, sizeof(*m->memdevs), &failed);
	c->cap_memdevs = m->nr_memdevs;
	c->inits = dup_array(m->inits, (size_t)m->nr_inits, sizeof(*m->inits), &failed);
	c->cap_inits = m->nr_inits;
	c->caches = dup_array(m->caches, (size_t)m->nr_caches, sizeof(*m->caches), &failed);
	c->cap_caches = m->nr_caches;
	c->links = dup_array(m->links, (size_t)m->nr_links, sizeof(*m->links), &failed);
	c->cap_links = m->nr_links;
	c->node_declared = dup_array(m->node_declared, nn, 1, &failed);
	c->distance = dup_array(m->distance, nn * nn, 1, &failed);
	c->access = dup_array(m->access, nn * nn, sizeof(*m->access), &failed);
	if (failed) {
		hn_machine_free(c);
		return -ENOMEM;
	}
	*out = c;
	return 0;
}

/* Grow the per-node tables so that @nid is a valid index. */
static int ensure_node(struct hn_machine *m, int nid)
{
	size_t old = (size_t)m->nr_node_ids, n;
	uint8_t *decl, *dist;
	struct hn_access_desc *acc;

	if (nid < 0 || nid >= HN_MAX_NUMNODES)
		return -EINVAL;
	if (nid < m->nr_node_ids)
		return 0;
	n = (size_t)nid + 1;
	decl = calloc(n, 1);
	dist = calloc(n * n, 1);
	acc = calloc(n * n, sizeof(*acc));
	if (!decl || !dist || !acc) {
		free(decl);
		free(dist);
		free(acc);
		return -ENOMEM;
	}
	for (size_t a = 0; a < old; a++) {
		decl[a] = m->node_declared[a];
		for (size_t b = 0; b < old; b++) {
			dist[a * n + b] = m->distance[a * old + b];
			acc[a * n + b] = m->access[a * old + b];
		}
	}
	free(m->node_declared);
	free(m->distance);
	free(m->access);
	m->node_declared = decl;
	m->distance = dist;
	m->access = acc;
	m->nr_node_ids = (int)n;
	return 0;
}

static int declare_node(struct hn_machine *m, int nid)
{
	int ret = ensure_node(m, nid);

	if (ret)
		return ret;
	m->node_declared[nid] = 1;
	return 0;
}

static int grow(void **arr, int *cap, int need, size_t sz)
{
	void *p;
	int ncap;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*arr, (size_t)ncap * sz);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

int hn_machine_set_description(struct hn_machine *m, const char *text)
{
	char *d;

	if (!m || !text)
		return -EINVAL;
	d = strdup(text);
	if (!d)
		return -ENOMEM;
	free(m->description);
	m->description = d;
	return 0;
}

int hn_machine_set_arch(struct hn_machine *m, enum hn_arch arch)
{
	if (!m || (unsigned int)arch > HN_ARCH_GENERIC)
		return -EINVAL;
	m->arch = arch;
	return 0;
}

int hn_machine_set_page_size(struct hn_machine *m, uint32_t page_size)
{
	if (!m || (page_size && (!hn_is_power_of_2(page_size) ||
				 page_size < 4096 || page_size > 2 * HN_MiB)))
		return -EINVAL;
	m->page_size = page_size;
	return 0;
}

int hn_curve_check(const struct hn_curve_point *p, uint32_t n)
{
	if (n > HN_CURVE_MAX_POINTS)
		return HN_CURVE_MAX_POINTS;
	for (uint32_t i = 0; i < n; i++) {
		if (p[i].util_permille > 1000 || !p[i].latency_ns)
			return (int)i;
		if (i && (p[i].util_permille <= p[i - 1].util_permille ||
			  p[i].latency_ns < p[i - 1].latency_ns))
			return (int)i;
	}
	return -1;
}

const char *hn_llc_problem(const struct hn_initiator_desc *d)
{
	if (!d->llc_size)
		return NULL;
	if (d->llc_line < 8 || d->llc_line > 4096 || (d->llc_line & (d->llc_line - 1)))
		return "the line must be a power of two from 8 to 4096 bytes";
	if (!d->llc_ways || d->llc_ways > 64)
		return "the ways must be 1 to 64";
	if (d->llc_size % ((uint64_t)d->llc_line * d->llc_ways))
		return "the size must be a multiple of line * ways";
	if (d->llc_size / d->llc_line > (1ULL << 26))
		return "the size must be at most 2^26 lines";
	if (!d->llc_latency_ns)
		return "the hit latency must be given";
	return NULL;
}

int hn_machine_add_memdev(struct hn_machine *m, const struct hn_memdev_desc *d)
{
	int ret;

	if (!m || !d)
		return -EINVAL;
	if ((unsigned int)d->kind >= HN_MEM_NR_KINDS || d->nid < 0 ||
	    d->nid >= HN_MAX_NUMNODES || d->size == 0 || d->size % 4096 ||
	    (d->base != HN_ADDR_AUTO && d->base % 4096) ||
	    (unsigned int)d->zone > HN_ZONE_HINT_DEVICE ||
	    (unsigned int)d->compress.algo > HN_COMPRESS_MODEL)
		return -EINVAL;
	if (d->base != HN_ADDR_AUTO && d->size > UINT64_MAX - d->base)
		return -EINVAL;
	if (!d->read_latency_ns || !d->read_bw_mbps)
		return -EINVAL;
	if ((d->kind == HN_MEM_CXL_COMPRESSED) != (d->compress.algo != HN_COMPRESS_NONE))
		return -EINVAL;
	if (d->compress.algo != HN_COMPRESS_NONE && d->compress.ratio_x100 < 100)
		return -EINVAL;
	if (hn_curve_check(d->loaded, d->nr_loaded) >= 0 ||
	    (d->write_cost_x100 && d->write_cost_x100 < 100))
		return -EINVAL;
	ret = grow((void **)&m->memdevs, &m->cap_memdevs, m->nr_memdevs + 1,
		   sizeof(*m->memdevs));
	if (!ret)
		ret = declare_node(m, d->nid);
	if (ret)
		return ret;
	m->memdevs[m->nr_memdevs] = *d;
	m->memdevs[m->nr_memdevs].name[HN_NAME_LEN - 1] = '\0';
	if (!m->memdevs[m->nr_memdevs].write_latency_ns)
		m->memdevs[m->nr_memdevs].write_latency_ns = d->read_latency_ns;
	if (!m->memdevs[m->nr_memdevs].write_bw_mbps)
		m->memdevs[m->nr_memdevs].write_bw_mbps = d->read_bw_mbps;
	m->nr_memdevs++;
	return 0;
}

int hn_machine_add_initiator(struct hn_machine *m, const struct hn_initiator_desc *d)
{
	struct hn_initiator *in;
	int ret;

	if (!m || !d || d->nid < 0 || d->nid >= HN_MAX_NUMNODES ||
	    (unsigned int)d->kind > HN_INIT_GPU)
		return -EINVAL;
	if (memchr(d->cpus, '\0', sizeof(d->cpus)) == NULL)
		return -EINVAL;
	if (hn_llc_problem(d))
		return -EINVAL;
	ret = grow((void **)&m->inits, &m->cap_inits, m->nr_inits + 1, sizeof(*m->inits));
	if (ret)
		return ret;
	in = &m->inits[m->nr_inits];
	memset(in, 0, sizeof(*in));
	in->d = *d;
	in->d.name[HN_NAME_LEN - 1] = '\0';
	if (hn_parse_idlist(d->cpus, in->cpumask, HN_MAX_CPUS))
		return -EINVAL;
	if (d->kind == HN_INIT_CPU && !hn_bitmap_weight(in->cpumask, HN_MAX_CPUS))
		return -EINVAL;
	ret = declare_node(m, d->nid);
	if (ret)
		return ret;
	m->nr_inits++;
	return 0;
}

int hn_machine_add_memcache(struct hn_machine *m, const struct hn_memcache_desc *d)
{
	int ret;

	if (!m || !d || d->nid < 0 || d->nid >= HN_MAX_NUMNODES ||
	    d->level < 1 || d->level > 3 || !d->size ||
	    (unsigned int)d->assoc > HN_CACHE_COMPLEX ||
	    (unsigned int)d->policy > HN_CACHE_WRITE_THROUGH)
		return -EINVAL;
	ret = grow((void **)&m->caches, &m->cap_caches, m->nr_caches + 1, sizeof(*m->caches));
	if (!ret)
		ret = declare_node(m, d->nid);
	if (ret)
		return ret;
	m->caches[m->nr_caches++] = *d;
	return 0;
}

int hn_machine_add_link(struct hn_machine *m, const struct hn_link_desc *d)
{
	int ret;

	if (!m || !d || d->a < 0 || d->a >= HN_MAX_NUMNODES || d->b < 0 ||
	    d->b >= HN_MAX_NUMNODES || d->a == d->b || !d->bw_mbps)
		return -EINVAL;
	ret = grow((void **)&m->links, &m->cap_links, m->nr_links + 1, sizeof(*m->links));
	if (ret)
		return ret;
	m->links[m->nr_links] = *d;
	m->links[m->nr_links].name[HN_NAME_LEN - 1] = '\0';
	m->nr_links++;
	return 0;
}

int hn_machine_add_node(struct hn_machine *m, int nid)
{
	if (!m)
		return -EINVAL;
	return declare_node(m, nid);
}

int hn_machine_set_distance(struct hn_machine *m, int from, int to, uint8_t distance)
{
	int ret;

	if (!m || from < 0 || to < 0 || distance < HN_LOCAL_DISTANCE)
		return -EINVAL;
	ret = declare_node(m, from);
	if (!ret)
		ret = declare_node(m, to);
	if (ret)
		return ret;
	m->distance[from * m->nr_node_ids + to] = distance;
	return 0;
}

int hn_machine_set_access(struct hn_machine *m, int initiator_nid, int target_nid,
			  const struct hn_access_desc *a)
{
	struct hn_access_desc *e;
	int ret;

	if (!m || !a || initiator_nid < 0 || target_nid < 0)
		return -EINVAL;
	ret = declare_node(m, initiator_nid);
	if (!ret)
		ret = declare_node(m, target_nid);
	if (ret)
		return ret;
	e = &m->access[initiator_nid * m->nr_node_ids + target_nid];
	/* Merge, so latency and bandwidth may arrive in separate entries (QEMU). */
	if (a->read_latency_ns)
		e->read_latency_ns = a->read_latency_ns;
	if (a->write_latency_ns)
		e->write_latency_ns = a->write_latency_ns;
	if (a->read_bw_mbps)
		e->read_bw_mbps = a->read_bw_mbps;
	if (a->write_bw_mbps)
		e->write_bw_mbps = a->write_bw_mbps;
	return 0;
}

/*
 * x86 firmware layout for a device that starts at physical 0.  The BIOS page
 * and the legacy window [640 KiB, 1 MiB) are simply lost, as on real boards;
 * the 32-bit PCI hole [3 GiB, 4 GiB) is remapped: the DRAM it hides
 * reappears above 4 GiB, so a 64 GiB device ends at 65 GiB.
 */
#define X86_PCI_HOLE_START 0xc0000000ULL
#define X86_PCI_HOLE_END 0x100000000ULL

static const struct {
	uint64_t start, end;
} x86_holes[] = {
	{ 0, 0x1000 },				/* page 0: BIOS data area */
	{ 0xa0000 - 0x1000, 0x100000 },		/* EBDA page, VGA and ROM window */
	{ X86_PCI_HOLE_START, X86_PCI_HOLE_END },
};

int hn_memdev_for_each_range(const struct hn_machine *m,
			     const struct hn_memdev_desc *d, hn_range_fn fn,
			     void *ctx)
{
	uint64_t pos = d->base, end = d->base + d->size;

	if (m->arch != HN_ARCH_X86_64 || d->base != 0)
		return fn(ctx, d->base, d->size);
	if (end > X86_PCI_HOLE_START) {
		if (end > UINT64_MAX - (X86_PCI_HOLE_END - X86_PCI_HOLE_START))
			return -EINVAL;	/* the remapped tail would wrap */
		end += X86_PCI_HOLE_END - X86_PCI_HOLE_START;
	}
	for (unsigned int i = 0; i < HN_ARRAY_SIZE(x86_holes) && pos < end; i++) {
		uint64_t hs = x86_holes[i].start, he = x86_holes[i].end;

		if (pos < hs) {
			uint64_t chunk_end = HN_MIN(end, hs);
			int ret = fn(ctx, pos, chunk_end - pos);

			if (ret)
				return ret;
		}
		pos = HN_MAX(pos, he);
	}
	if (pos < end)
		return fn(ctx, pos, end - pos);
	return 0;
}

static int span_end_cb(void *ctx, uint64_t base, uint64_t size)
{
	*(uint64_t *)ctx = base + size;
	return 0;
}

uint64_t hn_memdev_span_end(const struct hn_machine *m, const struct hn_memdev_desc *d)
{
	uint64_t end = d->base;

	if (hn_memdev_for_each_range(m, d, span_end_cb, &end))
		return d->base;	/* unplaceable: an empty span, rejected by validate */
	return end;
}

/*
 * Place devices given without an address, in node order and then insertion
 * order, each on a 1 GiB boundary after the previous one, stepping over any
 * device placed explicitly (GPU memory far up, say).  Node 0's first device
 * starts at 0 so that a default x86 box has the familiar DMA/DMA32 layout.
 */
static const struct hn_memdev_desc *overlapping_placed(const struct hn_machine *m,
							const struct hn_memdev_desc *d)
{
	uint64_t end = hn_memdev_span_end(m, d);

	for (int i = 0; i < m->nr_memdevs; i++) {
		const struct hn_memdev_desc *o = &m->memdevs[i];

		if (o == d || o->base == HN_ADDR_AUTO)
			continue;
		if (o->base < end && d->base < hn_memdev_span_end(m, o))
			return o;
	}
	return NULL;
}

int hn_machine_layout(struct hn_machine *m)
{
	uint64_t next = 0;

	if (!m)
		return -EINVAL;
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		for (int i = 0; i < m->nr_memdevs; i++) {
			struct hn_memdev_desc *d = &m->memdevs[i];
			const struct hn_memdev_desc *o;
			uint64_t end;

			if (d->nid != nid || d->base != HN_ADDR_AUTO)
				continue;
			d->base = hn_align_up(next, HN_GiB);
			while (d->base >= next && (o = overlapping_placed(m, d)))
				d->base = hn_align_up(hn_memdev_span_end(m, o), HN_GiB);
			end = hn_memdev_span_end(m, d);
			if (d->base < next || end < d->base || end - d->base < d->size) {
				d->base = HN_ADDR_AUTO;
				return -EINVAL;	/* ran off the top of the address space */
			}
			next = end;
		}
	}
	return 0;
}

void hn_access_for_each_lb(const struct hn_access_desc *e, int i, int t, hn_lb_fn fn, void *ctx)
{
	if (e->read_latency_ns && e->read_latency_ns == e->write_latency_ns) {
		fn(ctx, i, t, "access-latency", "latency", e->read_latency_ns);
	} else {
		if (e->read_latency_ns)
			fn(ctx, i, t, "read-latency", "latency", e->read_latency_ns);
		if (e->write_latency_ns)
			fn(ctx, i, t, "write-latency", "latency", e->write_latency_ns);
	}
	/* MB/s are 10^6 bytes/s, so the conversion is exact both ways. */
	if (e->read_bw_mbps && e->read_bw_mbps == e->write_bw_mbps) {
		fn(ctx, i, t, "access-bandwidth", "bandwidth", e->read_bw_mbps * 1000000ULL);
	} else {
		if (e->read_bw_mbps)
			fn(ctx, i, t, "read-bandwidth", "bandwidth", e->read_bw_mbps * 1000000ULL);
		if (e->write_bw_mbps)
			fn(ctx, i, t, "write-bandwidth", "bandwidth", e->write_bw_mbps * 1000000ULL);
	}
}

bool hn_machine_node_is_initiator(const struct hn_machine *m, int nid)
{
	for (int i = 0; i < m->nr_inits; i++)
		if (m->inits[i].d.nid == nid)
			return true;
	return false;
}

bool hn_machine_node_has_memory(const struct hn_machine *m, int nid)
{
	for (int i = 0; i < m->nr_memdevs; i++)
		if (m->memdevs[i].nid == nid)
			return true;
	return false;
}

unsigned int hn_machine_nr_cpu_ids(const struct hn_machine *m)
{
	unsigned int n = 0;

	for (int i = 0; i < m->nr_inits; i++)
		for (unsigned int c = 0; c < HN_MAX_CPUS; c++)
			if (hn_bit_test(m->inits[i].cpumask, c) && c + 1 > n)
				n = c + 1;
	return n;
}

int hn_machine_cpu_to_node(const struct hn_machine *m, unsigned int cpu)
{
	if (cpu >= HN_MAX_CPUS)
		return -1;
	for (int i = 0; i < m->nr_inits; i++)
		if (hn_bit_test(m->inits[i].cpumask, cpu))
			return m->inits[i].d.nid;
	return -1;
}

/* The fastest device on a node stands for the node in derived HMAT entries. */
static const struct hn_memdev_desc *node_primary_memdev(const struct hn_machine *m, int nid)
{
	const struct hn_memdev_desc *best = NULL;

	for (int i = 0; i < m->nr_memdevs; i++) {
		const struct hn_memdev_desc *d = &m->memdevs[i];

		if (d->nid != nid)
			continue;
		if (!best || d->read_latency_ns < best->read_latency_ns)
			best = d;
	}
	return best;
}

/*
 * Derive missing HMAT entries.  A device's own figures are what its nearest
 * initiator sees (a DIMM from its socket, a CXL expander from the socket
 * it hangs off).  SLIT distances are relative latencies, so an initiator at
 * distance d from the target, when the nearest is at d0, sees the latency
 * scaled by d / d0 and the bandwidth by d0 / d.  A user who knows better
 * gives the entry explicitly.
 */
static void derive_access(struct hn_machine *m)
{
	int n = m->nr_node_ids;

	for (int t = 0; t < n; t++) {
		const struct hn_memdev_desc *d = node_primary_memdev(m, t);
		uint64_t d0 = UINT64_MAX;

		if (!d)
			continue;
		for (int i = 0; i < n; i++)
			if (hn_machine_node_is_initiator(m, i) && m->distance[i * n + t] < d0)
				d0 = m->distance[i * n + t];
		for (int i = 0; i < n; i++) {
			struct hn_access_desc *e = &m->access[i * n + t];
			uint64_t dist = m->distance[i * n + t];

			if (!hn_machine_node_is_initiator(m, i))
				continue;
			if (!e->read_latency_ns)
				e->read_latency_ns = (uint32_t)((uint64_t)d->read_latency_ns * dist / d0);
			if (!e->write_latency_ns)
				e->write_latency_ns = (uint32_t)((uint64_t)d->write_latency_ns * dist / d0);
			if (!e->read_bw_mbps)
				e->read_bw_mbps = (uint32_t)((uint64_t)d->read_bw_mbps * d0 / dist);
			if (!e->write_bw_mbps)
				e->write_bw_mbps = (uint32_t)((uint64_t)d->write_bw_mbps * d0 / dist);
		}
	}
}

int hn_machine_validate(struct hn_machine *m, int max_nodes, const struct hn_log_sink *log)
{
	int n, ret;

	if (!m)
		return -EINVAL;
	if (max_nodes <= 0 || max_nodes > HN_MAX_NUMNODES)
		max_nodes = HN_MAX_NUMNODES;
	n = m->nr_node_ids;
	if (!m->nr_memdevs) {
		hn_logf(log, HN_LOG_ERR, "machine %s: no memory devices", m->name);
		return -EINVAL;
	}
	if (n > max_nodes) {
		hn_logf(log, HN_LOG_ERR,
			"machine %s: node %d is beyond the configured maximum of %d nodes",
			m->name, n - 1, max_nodes);
		return -EINVAL;
	}
	for (int i = 0; i < m->nr_memdevs; i++) {
		if (!m->memdevs[i].size) {
			hn_logf(log, HN_LOG_ERR, "machine %s: device %s has zero size",
				m->name, m->memdevs[i].name);
			return -EINVAL;
		}
	}
	ret = hn_machine_layout(m);
	if (ret) {
		hn_logf(log, HN_LOG_ERR, "machine %s: devices do not fit in the physical address space",
			m->name);
		return ret;
	}
	for (int i = 0; i < m->nr_memdevs; i++) {
		const struct hn_memdev_desc *a = &m->memdevs[i];
		uint64_t ae = hn_memdev_span_end(m, a);

		if (ae <= a->base) {
			hn_logf(log, HN_LOG_ERR,
				"machine %s: device %s has no usable range (it wraps the address space or lies within firmware holes)",
				m->name, a->name);
			return -EINVAL;
		}
		/* MAX_PHYSMEM_BITS: no Linux architecture addresses memory above 52 bits */
		if (ae > HN_MAX_PHYS_ADDR) {
			hn_logf(log, HN_LOG_ERR,
				"machine %s: device %s ends at %#" PRIx64 ", above the 52-bit physical address space",
				m->name, a->name, ae);
			return -EINVAL;
		}
		for (int j = i + 1; j < m->nr_memdevs; j++) {
			const struct hn_memdev_desc *b = &m->memdevs[j];
			uint64_t be = hn_memdev_span_end(m, b);

			if (a->base < be && b->base < ae) {
				hn_logf(log, HN_LOG_ERR,
					"machine %s: devices %s [%#" PRIx64 "-%#" PRIx64
					") and %s [%#" PRIx64 "-%#" PRIx64 ") overlap",
					m->name, a->name, a->base, ae, b->name, b->base, be);
				return -EINVAL;
			}
		}
	}
	for (int i = 0; i < m->nr_inits; i++) {
		for (int j = i + 1; j < m->nr_inits; j++) {
			for (unsigned int w = 0; w < HN_MAX_CPUS / 64; w++) {
				uint64_t both = m->inits[i].cpumask[w] & m->inits[j].cpumask[w];

				if (both) {
					unsigned int cpu = w * 64 + (unsigned int)__builtin_ctzll(both);

					hn_logf(log, HN_LOG_ERR,
						"machine %s: cpu %u is in both %s (node %d) and %s (node %d)",
						m->name, cpu, m->inits[i].d.name, m->inits[i].d.nid,
						m->inits[j].d.name, m->inits[j].d.nid);
					return -EINVAL;
				}
			}
		}
	}
	for (int a = 0; a < n; a++) {
		if (!m->node_declared[a])
			continue;
		for (int b = 0; b < n; b++) {
			uint8_t dab = m->distance[a * n + b], dba = m->distance[b * n + a];

			if (!m->node_declared[b])
				continue;
			if (a == b) {
				if (dab && dab != HN_LOCAL_DISTANCE) {
					hn_logf(log, HN_LOG_ERR,
						"machine %s: distance from node %d to itself is %u, must be %d",
						m->name, a, dab, HN_LOCAL_DISTANCE);
					return -EINVAL;
				}
				continue;
			}
			if ((dab && dab <= HN_LOCAL_DISTANCE) || (dba && dba <= HN_LOCAL_DISTANCE)) {
				hn_logf(log, HN_LOG_ERR,
					"machine %s: distance between nodes %d and %d is %u, remote distances must exceed %d",
					m->name, a, b, dab ? dab : dba, HN_LOCAL_DISTANCE);
				return -EINVAL;
			}
			if (dab && dba && dab != dba) {
				hn_logf(log, HN_LOG_ERR,
					"machine %s: distance %d->%d is %u but %d->%d is %u (asymmetric)",
					m->name, a, b, dab, b, a, dba);
				return -EINVAL;
			}
		}
	}
	for (int i = 0; i < n; i++) {
		for (int t = 0; t < n; t++) {
			const struct hn_access_desc *e = &m->access[i * n + t];

			if (!(e->read_latency_ns | e->write_latency_ns | e->read_bw_mbps |
			      e->write_bw_mbps))
				continue;
			if (!hn_machine_node_is_initiator(m, i)) {
				hn_logf(log, HN_LOG_ERR,
					"machine %s: access entry from node %d, which has no initiator",
					m->name, i);
				return -EINVAL;
			}
			if (!hn_machine_node_has_memory(m, t)) {
				hn_logf(log, HN_LOG_ERR,
					"machine %s: access entry to node %d, which has no memory",
					m->name, t);
				return -EINVAL;
			}
		}
	}
	for (int i = 0; i < m->nr_links; i++) {
		const struct hn_link_desc *l = &m->links[i];

		if (!hn_machine_node_exists(m, l->a) || !hn_machine_node_exists(m, l->b)) {
			hn_logf(log, HN_LOG_ERR, "machine %s: link %s joins node %d, which is not declared",
				m->name, l->name, hn_machine_node_exists(m, l->a) ? l->b : l->a);
			return -EINVAL;
		}
	}
	for (int i = 0; i < m->nr_caches; i++) {
		const struct hn_memcache_desc *c = &m->caches[i];
		uint64_t behind = 0;

		for (int d = 0; d < m->nr_memdevs; d++)
			if (m->memdevs[d].nid == c->nid)
				behind += m->memdevs[d].size;
		if (c->size > behind) {
			hn_logf(log, HN_LOG_ERR,
				"machine %s: the level-%u memory-side cache of node %d (%" PRIu64
				" bytes) is larger than the memory behind it (%" PRIu64 " bytes)",
				m->name, c->level, c->nid, c->size, behind);
			return -EINVAL;
		}
	}
	/* Everything checked: fill in what was left implicit. */
	for (int a = 0; a < n; a++) {
		if (!m->node_declared[a])
			continue;
		for (int b = 0; b < n; b++) {
			uint8_t *d = &m->distance[a * n + b];

			if (!m->node_declared[b] || *d)
				continue;
			if (a == b)
				*d = HN_LOCAL_DISTANCE;
			else if (m->distance[b * n + a])
				*d = m->distance[b * n + a];
			else
				*d = HN_REMOTE_DISTANCE;
		}
	}
	derive_access(m);
	return 0;
}

const char *hn_machine_name(const struct hn_machine *m)
{
	return m ? m->name : NULL;
}

const char *hn_machine_description(const struct hn_machine *m)
{
	return m && m->description ? m->description : "";
}

enum hn_arch hn_machine_arch(const struct hn_machine *m)
{
	return m ? m->arch : HN_ARCH_GENERIC;
}

uint32_t hn_machine_page_size(const struct hn_machine *m)
{
	return m ? m->page_size : 0;
}

int hn_machine_nr_memdevs(const struct hn_machine *m)
{
	return m ? m->nr_memdevs : -EINVAL;
}

int hn_machine_memdev(const struct hn_machine *m, int i, struct hn_memdev_desc *out)
{
	if (!m || !out)
		return -EINVAL;
	if (i < 0 || i >= m->nr_memdevs)
		return -ENOENT;
	*out = m->memdevs[i];
	return 0;
}

int hn_machine_nr_initiators(const struct hn_machine *m)
{
	return m ? m->nr_inits : -EINVAL;
}

int hn_machine_initiator(const struct hn_machine *m, int i, struct hn_initiator_desc *out)
{
	if (!m || !out)
		return -EINVAL;
	if (i < 0 || i >= m->nr_inits)
		return -ENOENT;
	*out = m->inits[i].d;
	return 0;
}

int hn_machine_nr_memcaches(const struct hn_machine *m)
{
	return m ? m->nr_caches : -EINVAL;
}

int hn_machine_memcache(const struct hn_machine *m, int i, struct hn_memcache_desc *out)
{
	if (!m || !out)
		return -EINVAL;
	if (i < 0 || i >= m->nr_caches)
		return -ENOENT;
	*out = m->caches[i];
	return 0;
}

int hn_machine_nr_links(const struct hn_machine *m)
{
	return m ? m->nr_links : 0;
}

int hn_machine_link(const struct hn_machine *m, int i, struct hn_link_desc *out)
{
	if (!m || !out)
		return -EINVAL;
	if (i < 0 || i >= m->nr_links)
		return -ENOENT;
	*out = m->links[i];
	return 0;
}

int hn_machine_nr_node_ids(const struct hn_machine *m)
{
	return m ? m->nr_node_ids : 0;
}

bool hn_machine_node_exists(const struct hn_machine *m, int nid)
{
	return m && nid >= 0 && nid < m->nr_node_ids && m->node_declared[nid];
}

int hn_machine_distance(const struct hn_machine *m, int from, int to)
{
	if (!hn_machine_node_exists(m, from) || !hn_machine_node_exists(m, to))
		return 0;
	return m->distance[from * m->nr_node_ids + to];
}

int hn_machine_access(const struct hn_machine *m, int initiator_nid, int target_nid,
		      struct hn_access_desc *out)
{
	if (!m || !out)
		return -EINVAL;
	if (!hn_machine_node_exists(m, initiator_nid) || !hn_machine_node_exists(m, target_nid))
		return -ENODEV;
	*out = m->access[initiator_nid * m->nr_node_ids + target_nid];
	if (!(out->read_latency_ns | out->read_bw_mbps))
		return -ENOENT;
	return 0;
}

uint64_t hn_machine_total_memory(const struct hn_machine *m)
{
	uint64_t t = 0;

	if (!m)
		return 0;
	for (int i = 0; i < m->nr_memdevs; i++)
		t += m->memdevs[i].size;
	return t;
}

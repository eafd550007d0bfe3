/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_ops.c - libFuzzer harness: the public API driven by an op sequence.
 *
 * The input is a little program.  Its head picks a machine and a
 * configuration; the rest is a loop of operations, each an opcode byte and
 * the bytes its arguments need (missing bytes read as zero, so every input
 * is a valid program):
 *
 *   head   [0] machine (mod 16): 0..4 a built-in machine scaled to its smallest size
 *              (64 KiB pages, so the page count stays small), else a
 *              hand-built 1-3 node machine of 64-512 MiB per node
 *              (x86 or generic, CPU-less and hotplug nodes possible)
 *          [1] page_shift (12/13/16), max_page_order (5..10)
 *          [2] flags: NO_PCP, MOVABLE_NODE, STOP_BEFORE_MM, kernel image size
 *          [3] seed
 *          hand-built: [4] node count, arch, [5..] per node size/flags
 *
 *   ops    alloc, free of a live block, deliberately bad free (double free,
 *          wrong order, random pfn, order too large), bulk, drain
 *          local/all, set_cpu, isolate/undo/test on pageblock-aligned and
 *          unaligned ranges, node offline/online, every view into
 *          /dev/null, vmstat and info lookups, memblock calls (before
 *          boot), hn_sim_boot.
 *
 * What must hold, beyond "no crash, no sanitizer report, no hang":
 *   - hn_sim_check() == 0 after every operation;
 *   - the report hook stays silent except during a bad free (which must
 *     also be refused) and a failed __GFP_NOFAIL request;
 *   - a returned block is aligned to its order, inside one zone and
 *     disjoint from every block we hold; __GFP_THISNODE blocks are on the
 *     preferred node; order > MAX_PAGE_ORDER and __GFP_DMA|__GFP_DMA32
 *     never succeed; bulk's *nr_populated is the filled prefix;
 *   - a free of a block we hold succeeds; a node with blocks we hold never
 *     goes offline;
 *   - return codes are 0 or one of the documented negative errnos;
 *   - log lines are single lines;
 *   - at the end, with every block freed and the per-CPU lists drained,
 *     every zone is back to free == managed (when nothing was isolated).
 *
 * Work per input is bounded (MAX_OPS, small machines) so libFuzzer runs
 * several hundred inputs a second.  Nothing is printed unless a promise is
 * broken; then the harness says which and aborts.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hnuma.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MiB (1ULL << 20)
#define MAX_OPS 2000
#define MAX_OPS_BUILTIN 64 	/* hundreds of CPUs: each check walks every pcp */
#define MAX_LIVE 256
#define FREED_RING 32
#define MAX_ZONES 64
#define MAX_ISO 16
#define MAX_BULK 96

/* ---- input decoding ---------------------------------------------------- */

struct in {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint16_t u16(struct in *in)
{
	return (uint16_t)(u8(in) | (uint16_t)u8(in) << 8);
}

static uint32_t u32(struct in *in)
{
	return u16(in) | (uint32_t)u16(in) << 16;
}

static uint64_t u64(struct in *in)
{
	return u32(in) | (uint64_t)u32(in) << 32;
}

/* ---- state ------------------------------------------------------------- */

struct blk {
	uint64_t pfn;
	unsigned int order;
};

struct zspan {
	int nid;
	int zt;
	uint64_t start, end;
};

struct range {
	uint64_t start, end;
};

struct fz {
	struct hn_sim *sim;
	struct hn_machine *machine;
	FILE *devnull;
	bool booted;
	bool boot_failed;
	unsigned int cfg_flags;
	unsigned int cfg_page_shift;
	int max_ops;
	int nr_nodes;
	unsigned int nr_cpus;
	unsigned int max_order;
	unsigned int pb_order;
	struct zspan zs[MAX_ZONES];
	int nr_zs;
	struct blk live[MAX_LIVE];
	int nr_live;
	struct blk freed[FREED_RING];
	unsigned int nr_freed;
	struct range iso[MAX_ISO];
	int nr_iso;
	bool ever_isolated;
	/* report hook */
	int reports;
	char last_reason[64];
	char last_log[160];
	bool trace;		/* FUZZ_OPS_TRACE set: ops and log lines to stderr */
	bool avoid_known;	/* FUZZ_OPS_AVOID_KNOWN set: steer clear of known bugs */
	/* what the current op is, for the failure message */
	int op;
	const char *what;
};

static void fail(const struct fz *f, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

static void fail(const struct fz *f, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_ops: op %d (%s): ", f->op, f->what ? f->what : "setup");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (last report: '%s'; last log: '%s')\n", f->last_reason, f->last_log);
	abort();
}

static void report_hook(void *ctx, const struct hn_report *r)
{
	struct fz *f = ctx;

	f->reports++;
	snprintf(f->last_reason, sizeof(f->last_reason), "%s", r && r->reason ? r->reason : "(null)");
}

/* The library promises one complete line per message. */
static void log_hook(void *ctx, enum hn_log_level level, const char *msg)
{
	struct fz *f = ctx;

	if (level < HN_LOG_ERR || level > HN_LOG_DEBUG || !msg || strchr(msg, '\n'))
		abort();
	if (f->trace)
		fprintf(stderr, "  log %d: %s\n", level, msg);
	if (level <= HN_LOG_WARNING)
		snprintf(f->last_log, sizeof(f->last_log), "%s", msg);
}

/* Return codes: 0 or one of the errnos the API documents. */
static void check_ret(const struct fz *f, int ret)
{
	switch (ret) {
	case 0:
	case -EINVAL:
	case -ENOMEM:
	case -ENOSPC:
	case -EBUSY:
	case -EAGAIN:
	case -ENOENT:
	case -EEXIST:
	case -ENODEV:
	case -EFAULT:
	case -EPERM:
	case -EIO:
		return;
	default:
		fail(f, "undocumented return %d (%s)", ret, hn_strerror(ret));
	}
}

/*
 * Whether [pfn, pfn + 2^order) lies inside one zone span of node @nid (any
 * node for -1).  Node spans may interleave (memblock can give a node memory
 * above another's), so a pfn can sit in the spans of several nodes' zones.
 */
static bool block_in_zone_of(const struct fz *f, uint64_t pfn, unsigned int order, int nid)
{
	for (int i = 0; i < f->nr_zs; i++)
		if ((nid < 0 || f->zs[i].nid == nid) && f->zs[i].start <= pfn &&
		    pfn + (1ULL << order) <= f->zs[i].end)
			return true;
	return false;
}

static int live_find(const struct fz *f, uint64_t pfn, unsigned int order)
{
	for (int i = 0; i < f->nr_live; i++)
		if (f->live[i].pfn == pfn && f->live[i].order == order)
			return i;
	return -1;
}

static int live_overlap(const struct fz *f, uint64_t pfn, unsigned int order)
{
	uint64_t end = pfn + (1ULL << order);

	for (int i = 0; i < f->nr_live; i++) {
		uint64_t s = f->live[i].pfn, e = s + (1ULL << f->live[i].order);

		if (s < end && pfn < e)
			return i;
	}
	return -1;
}

static void drop_live(struct fz *f, int i)
{
	f->freed[f->nr_freed++ % FREED_RING] = f->live[i];
	f->live[i] = f->live[--f->nr_live];
}

/* A valid free: must succeed without a report. */
static void free_live(struct fz *f, int i)
{
	int before = f->reports;
	int ret = hn_free_pages(f->sim, f->live[i].pfn, f->live[i].order);

	if (ret || f->reports != before)
		fail(f, "free of live block %#" PRIx64 " order %u: %d (%s), %d reports", f->live[i].pfn,
		     f->live[i].order, ret, hn_strerror(ret), f->reports - before);
	drop_live(f, i);
}

/* A block the allocator handed out: check it and hold it. */
static void take(struct fz *f, uint64_t pfn, unsigned int order, hn_gfp_t gfp, int pref)
{
	int o;

	if (pfn == HN_PFN_NONE || (pfn & ((1ULL << order) - 1)))
		fail(f, "block %#" PRIx64 " not aligned to order %u", pfn, order);
	if (!block_in_zone_of(f, pfn, order, -1))
		fail(f, "block %#" PRIx64 " order %u not inside one zone", pfn, order);
	o = live_overlap(f, pfn, order);
	if (o >= 0)
		fail(f, "block %#" PRIx64 " order %u overlaps held block %#" PRIx64 " order %u", pfn, order,
		     f->live[o].pfn, f->live[o].order);
	if ((gfp & __GFP_THISNODE) && pref >= 0 && !block_in_zone_of(f, pfn, order, pref))
		fail(f, "__GFP_THISNODE block %#" PRIx64 " not on preferred node %d", pfn, pref);
	if (f->nr_live == MAX_LIVE) {
		/* Table full: give the oldest entry back (a valid free). */
		free_live(f, 0);
	}
	f->live[f->nr_live++] = (struct blk){ pfn, order };
}

/* Learn the zone spans once the instance has booted. */
static void learn_zones(struct fz *f)
{
	f->nr_nodes = hn_sim_nr_node_ids(f->sim);
	f->nr_cpus = hn_sim_nr_cpu_ids(f->sim);
	f->max_order = hn_sim_max_page_order(f->sim);
	f->pb_order = hn_sim_pageblock_order(f->sim);
	f->nr_zs = 0;
	for (int nid = 0; nid < f->nr_nodes; nid++) {
		for (int zt = 0; zt < HN_MAX_NR_ZONES && f->nr_zs < MAX_ZONES; zt++) {
			struct hn_zone_info zi;

			if (hn_sim_zone_info(f->sim, nid, (enum hn_zone_type)zt, &zi) || !zi.spanned_pages)
				continue;
			f->zs[f->nr_zs++] = (struct zspan){ nid, zt, zi.zone_start_pfn,
							    zi.zone_start_pfn + zi.spanned_pages };
		}
	}
}

/* ---- argument decoders ------------------------------------------------- */

static const hn_gfp_t gfp_table[] = {
	GFP_KERNEL,
	GFP_ATOMIC,
	GFP_NOWAIT,
	GFP_NOIO,
	GFP_NOFS,
	GFP_USER,
	GFP_HIGHUSER,
	GFP_HIGHUSER_MOVABLE,
	GFP_TRANSHUGE_LIGHT,
	GFP_TRANSHUGE,
	GFP_DMA,
	GFP_DMA32,
	GFP_KERNEL_ACCOUNT,
	GFP_KERNEL | __GFP_THISNODE,
	GFP_KERNEL | __GFP_DMA32,
	GFP_ATOMIC | __GFP_NOWARN,
	GFP_KERNEL | __GFP_NOFAIL,
	GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN,
	GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_NORETRY,
	GFP_NOWAIT | __GFP_MEMALLOC,
	GFP_KERNEL | __GFP_RECLAIMABLE,
	0,
};

/*
 * A gfp: a kernel composition, plus up to three modifier bits.  Bits 0..22
 * are the kernel's; 23..63 are invalid or the attribute-request bits.
 */
static hn_gfp_t dec_gfp(struct in *in)
{
	uint8_t b = u8(in);
	hn_gfp_t gfp = gfp_table[(b & 31) % (sizeof(gfp_table) / sizeof(gfp_table[0]))];

	for (int i = 0; i < (b >> 5) % 4; i++) {
		uint8_t m = u8(in);

		gfp |= (hn_gfp_t)1 << (m & 0x80 ? m & 63 : (m & 63) % 23);
	}
	if (b & 0x80)
		gfp |= __GFP_NOWARN;
	return gfp;
}

static int dec_nid(struct fz *f, struct in *in)
{
	uint8_t b = u8(in);
	int n = f->nr_nodes > 0 ? f->nr_nodes : 1;

	switch (b & 7) {
	case 0:
		return HN_NUMA_NO_NODE;
	case 5:
		return n;
	case 6: {
		static const int odd[] = { HN_MAX_NUMNODES, HN_MAX_NUMNODES - 1, INT_MAX, -2, INT_MIN, 63, 64, 65 };

		return odd[(b >> 3) % 8];
	}
	case 7:
		return b >> 3;
	default:
		return (b >> 3) % n;
	}
}

static const struct hn_nodemask *dec_mask(struct in *in, struct hn_nodemask *mask)
{
	uint8_t b = u8(in);

	if (!(b & 1))
		return NULL;
	hn_nodemask_clear_all(mask);
	mask->bits[0] = b >> 1;
	if (b & 0x80)
		hn_nodemask_set(mask, HN_MAX_NUMNODES - 1);
	return mask;
}

/* ---- operations -------------------------------------------------------- */

static void op_alloc(struct fz *f, struct in *in)
{
	uint8_t ob = u8(in);
	unsigned int order = ob & 0x80 ? ob & 0x7f : (ob & 0x7f) % 4;
	hn_gfp_t gfp = dec_gfp(in);
	int pref = dec_nid(f, in);
	struct hn_nodemask mask;
	const struct hn_nodemask *nm = dec_mask(in, &mask);
	uint64_t pfn = HN_PFN_NONE;
	int before = f->reports;
	int ret = hn_alloc_pages(f->sim, gfp, order, pref, nm, &pfn);

	check_ret(f, ret);
	if (f->reports != before && !((gfp & __GFP_NOFAIL) && ret == -ENOSPC))
		fail(f, "report during alloc order %u gfp %#" PRIx64 " -> %d", order, gfp, ret);
	if (ret)
		return;
	if (!f->booted)
		fail(f, "alloc succeeded before boot");
	if (order > f->max_order)
		fail(f, "order %u > max %u succeeded", order, f->max_order);
	if ((gfp & __GFP_DMA) && (gfp & __GFP_DMA32))
		fail(f, "__GFP_DMA|__GFP_DMA32 succeeded");
	take(f, pfn, order, gfp, pref);
}

static void op_free(struct fz *f, struct in *in)
{
	uint8_t b = u8(in);

	if (!f->nr_live)
		return;
	free_live(f, b % f->nr_live);
}

/*
 * A free the caller has no right to make.  It must be refused (with a
 * report) unless, by chance, it names a block we hold with its order.
 */
static void op_bad_free(struct fz *f, struct in *in)
{
	uint8_t b = u8(in);
	uint64_t pfn;
	unsigned int order;
	int i, ret;

	switch (b & 3) {
	case 0: /* double free of a recently freed block */
		if (!f->nr_freed)
			return;
		i = (int)(u8(in) % (f->nr_freed < FREED_RING ? f->nr_freed : FREED_RING));
		pfn = f->freed[i].pfn;
		order = f->freed[i].order;
		break;
	case 1: /* a held block with the wrong order, or its tail */
		if (!f->nr_live)
			return;
		i = u8(in) % f->nr_live;
		pfn = f->live[i].pfn;
		order = f->live[i].order;
		if (b & 4)
			order = order + 1 + (b >> 4) % 3;
		else if (order && (b & 8))
			order--;
		else
			pfn += 1 + (b >> 4) % ((1u << order) + 1);
		break;
	case 2: /* a pfn out of nowhere */
		pfn = b & 4 ? u64(in) : u32(in);
		order = (b >> 3) & 15;
		break;
	default: /* a pfn inside some zone */
		if (!f->nr_zs)
			return;
		i = u8(in) % f->nr_zs;
		pfn = f->zs[i].start + u32(in) % (f->zs[i].end - f->zs[i].start);
		order = (b >> 3) % 12;
		break;
	}
	i = live_find(f, pfn, order);
	if (i >= 0) {
		free_live(f, i);
		return;
	}
	ret = hn_free_pages(f->sim, pfn, order);
	check_ret(f, ret);
	if (!ret)
		fail(f, "bad free of %#" PRIx64 " order %u accepted", pfn, order);
}

static void op_bulk(struct fz *f, struct in *in)
{
	uint64_t pfns[MAX_BULK];
	bool prefilled[MAX_BULK];
	uint8_t b = u8(in);
	unsigned int nr = u8(in) % (MAX_BULK + 1);
	hn_gfp_t gfp = dec_gfp(in);
	int pref = dec_nid(f, in);
	struct hn_nodemask mask;
	const struct hn_nodemask *nm = dec_mask(in, &mask);
	unsigned int populated = UINT_MAX, prefix;
	int before = f->reports, ret;

	for (unsigned int i = 0; i < nr; i++) {
		/* Some entries are "already filled": bulk must leave them alone. */
		prefilled[i] = (b & 1) && (i % 7 == (b >> 1) % 7);
		pfns[i] = prefilled[i] ? 0xfeedf00dULL + i : HN_PFN_NONE;
	}
	ret = hn_alloc_pages_bulk(f->sim, gfp, pref, nm, nr, pfns, b & 0x80 ? NULL : &populated);
	check_ret(f, ret);
	if (f->reports != before && !(gfp & __GFP_NOFAIL))
		fail(f, "report during bulk of %u gfp %#" PRIx64 " -> %d", nr, gfp, ret);
	if (ret) {
		for (unsigned int i = 0; i < nr; i++)
			if (!prefilled[i] && pfns[i] != HN_PFN_NONE)
				fail(f, "bulk failed with %d but filled entry %u", ret, i);
		return;
	}
	for (prefix = 0; prefix < nr && pfns[prefix] != HN_PFN_NONE; prefix++)
		;
	if (!(b & 0x80) && populated != prefix)
		fail(f, "bulk: *nr_populated %u, filled prefix %u", populated, prefix);
	for (unsigned int i = 0; i < nr; i++) {
		if (prefilled[i]) {
			if (pfns[i] != 0xfeedf00dULL + i)
				fail(f, "bulk overwrote filled entry %u", i);
			continue;
		}
		if (pfns[i] != HN_PFN_NONE)
			take(f, pfns[i], 0, gfp, pref);
	}
}

static void op_set_cpu(struct fz *f, struct in *in)
{
	uint8_t b = u8(in);
	static const unsigned int odd[] = { UINT_MAX, HN_MAX_CPUS, HN_MAX_CPUS - 1, 0x80000000u };
	unsigned int cpu;
	int ret;

	if (b & 0x80)
		cpu = odd[b & 3];
	else if (b & 0x40)
		cpu = f->nr_cpus + (b & 7);
	else
		cpu = f->nr_cpus ? (b & 0x3f) % f->nr_cpus : b & 0x3f;
	ret = hn_sim_set_cpu(f->sim, cpu);
	check_ret(f, ret);
	if (!ret && f->booted && cpu >= f->nr_cpus)
		fail(f, "set_cpu(%u) with %u CPUs succeeded", cpu, f->nr_cpus);
}

/* A pfn range for isolation: mostly pageblock-aligned inside a zone. */
static struct range dec_range(struct fz *f, struct in *in)
{
	uint8_t b = u8(in);
	uint64_t pb = 1ULL << f->pb_order;
	struct range r;

	if (!f->nr_zs || (b & 3) == 3) {
		r.start = u32(in);
		r.end = r.start + u16(in);
		if (b & 4)
			r.end = u64(in);
		return r;
	}
	{
		const struct zspan *z = &f->zs[u8(in) % f->nr_zs];
		uint64_t first = (z->start + pb - 1) & ~(pb - 1);
		uint64_t nblocks = z->end > first ? (z->end - first) / pb + 2 : 2;

		r.start = first + (u16(in) % nblocks) * pb;
		r.end = r.start + (1 + (b >> 4)) * pb;
		if ((b & 3) == 1)
			r.start += u8(in) % pb;
		else if ((b & 3) == 2)
			r.end -= 1 + u8(in) % pb;
		if (b & 8) {
			uint64_t t = r.start;

			r.start = r.end;
			r.end = t;
		}
	}
	return r;
}

static void op_isolate(struct fz *f, struct in *in)
{
	uint8_t b = u8(in);
	struct range r;
	int ret, mt, i;

	switch (b & 3) {
	case 0:
		r = dec_range(f, in);
		ret = hn_isolate_range(f->sim, r.start, r.end);
		check_ret(f, ret);
		if (!ret) {
			f->ever_isolated = true;
			if (f->nr_iso < MAX_ISO)
				f->iso[f->nr_iso++] = r;
		}
		break;
	case 1:
		if (f->nr_iso && (b & 8)) {
			i = u8(in) % f->nr_iso;
			r = f->iso[i];
			f->iso[i] = f->iso[--f->nr_iso];
		} else {
			r = dec_range(f, in);
		}
		mt = b & 0x10 ? (int)(u8(in) % (HN_MIGRATE_TYPES + 2)) - 1 : HN_MIGRATE_MOVABLE;
		ret = hn_undo_isolate_range(f->sim, r.start, r.end, mt);
		check_ret(f, ret);
		break;
	default:
		if (f->nr_iso && (b & 8))
			r = f->iso[u8(in) % f->nr_iso];
		else
			r = dec_range(f, in);
		ret = hn_test_pages_isolated(f->sim, r.start, r.end);
		check_ret(f, ret);
		break;
	}
}

static void op_node_online(struct fz *f, struct in *in)
{
	uint8_t b = u8(in);
	int nid = dec_nid(f, in);
	bool online = b & 1;
	int ret = hn_sim_set_node_online(f->sim, nid, online);

	check_ret(f, ret);
	if (ret || online)
		return;
	for (int i = 0; i < f->nr_live; i++) {
		bool other = false;

		/* Only a block that can be on no other node must be on this one. */
		for (int n = 0; n < f->nr_nodes && !other; n++)
			other = n != nid && block_in_zone_of(f, f->live[i].pfn, f->live[i].order, n);
		if (!other && block_in_zone_of(f, f->live[i].pfn, f->live[i].order, nid))
			fail(f, "node %d went offline holding block %#" PRIx64, nid, f->live[i].pfn);
	}
}

typedef int (*view_fn)(const struct hn_sim *sim, FILE *f);

static const view_fn views[] = {
	hn_sim_dmesg,
	hn_sim_show_zoneinfo,
	hn_sim_show_hardware,
	hn_sim_show_summary,
	hn_sim_show_memblock,
	hn_sim_show_buddyinfo,
	hn_sim_show_pagetypeinfo,
	hn_sim_show_vmstat,
	hn_sim_show_extfrag_index,
	hn_sim_show_unusable_index,
	hn_sim_show_zonelists,
	hn_sim_dot_zonelists,
};

static void op_view(struct fz *f, struct in *in)
{
	uint8_t b = u8(in);
	int ret = views[b % (sizeof(views) / sizeof(views[0]))](f->sim, f->devnull);

	check_ret(f, ret);
}

static const char *const vmstat_names[] = {
	"nr_free_pages", "numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local",
	"numa_other", "pgalloc_dma", "pgalloc_dma32", "pgalloc_normal", "pgalloc_movable",
	"pgalloc_device", "allocstall_normal", "pgfree", "compact_stall", "nr_unstable",
	"nr_zone_active_anon", "nr_free_cma", "", "nr_free_pages ", "NR_FREE_PAGES", "pgfree\n",
};

static void op_query(struct fz *f, struct in *in)
{
	uint8_t b = u8(in);
	uint64_t v;
	int ret = 0;

	switch (b & 7) {
	case 0:
	case 1: {
		const char *name = vmstat_names[(b >> 3) % (sizeof(vmstat_names) / sizeof(vmstat_names[0]))];

		ret = hn_sim_vmstat(f->sim, name, &v);
		break;
	}
	case 2: {
		char name[17];
		unsigned int len = u8(in) % 17;

		for (unsigned int i = 0; i < len; i++)
			name[i] = (char)(u8(in) | 1);
		name[len] = '\0';
		ret = hn_sim_vmstat(f->sim, name, &v);
		break;
	}
	case 3: {
		struct hn_node_info ni;

		ret = hn_sim_node_info(f->sim, dec_nid(f, in), &ni);
		break;
	}
	case 4: {
		struct hn_zone_info zi;
		int nid = dec_nid(f, in);

		ret = hn_sim_zone_info(f->sim, nid, (enum hn_zone_type)((int)(u8(in) % (HN_MAX_NR_ZONES + 2)) - 1), &zi);
		break;
	}
	case 5:
		(void)hn_sim_cpu_to_node(f->sim, b & 0x80 ? UINT_MAX : (b >> 3) % 16);
		(void)hn_sim_node_state(f->sim, dec_nid(f, in),
					(enum hn_node_state)((int)(u8(in) % (HN_NR_NODE_STATES + 2)) - 1));
		break;
	case 6:
		(void)hn_sim_random(f->sim);
		(void)hn_sim_now_ns(f->sim);
		(void)hn_sim_min_free_kbytes(f->sim);
		(void)hn_sim_current_cpu(f->sim);
		break;
	default:
		ret = b & 8 ? hn_drain_all_pages(f->sim) : hn_drain_local_pages(f->sim);
		break;
	}
	check_ret(f, ret);
}

/* ---- memblock, before boot --------------------------------------------- */

static uint64_t dec_addr(struct hn_memblock *mb, struct in *in)
{
	uint8_t b = u8(in);
	uint64_t end = hn_memblock_end_of_DRAM(mb);
	uint64_t span = end + end / 4 + 1;

	switch (b & 3) {
	case 0:
		return ((uint64_t)u16(in) << 12) % span & ~0xfffULL;
	case 1:
		return ((uint64_t)u16(in) << 16) % span;
	case 2:
		return u64(in);
	default:
		return HN_PHYS_ADDR_MAX - u16(in);
	}
}

static uint64_t dec_size(struct in *in)
{
	uint8_t b = u8(in);

	switch (b & 3) {
	case 0:
		return (uint64_t)u8(in) << 12;
	case 1:
		return (uint64_t)u8(in) * MiB;
	case 2:
		return u64(in);
	default:
		return u16(in);
	}
}

static uint64_t dec_align(struct in *in)
{
	uint8_t b = u8(in);

	if (b & 0x80)
		return b & 0x7f;	/* often not a power of two */
	return 1ULL << (b % 40);
}


/*
 * Known bugs, skipped only when FUZZ_OPS_AVOID_KNOWN is set so that a long
 * campaign can look past them; the corpus runner never sets it.  None is
 * open: the six the first campaigns found (cap-nomap-split,
 * boot-huge-reserved, boot-nodeless-memory, boot-retry-leak,
 * boot-high-memory, managed-exceeds-present) are fixed and their inputs
 * are corpus/ops/fixed-*.bin.
 */

static void op_memblock(struct fz *f, struct in *in)
{
	struct hn_memblock *mb = hn_sim_memblock(f->sim);
	uint8_t b = u8(in);
	uint64_t base, size, out, s, e;
	int ret = 0, nid;

	if (f->booted || !mb)
		return;
	switch ((b & 0x1f) % 24) {
	case 0:
		base = dec_addr(mb, in);
		ret = hn_memblock_add(mb, base, dec_size(in));
		break;
	case 1:
		base = dec_addr(mb, in);
		size = dec_size(in);
		nid = dec_nid(f, in);
		ret = hn_memblock_add_node(mb, base, size, nid, u8(in) & 0x1f);
		break;
	case 2:
		base = dec_addr(mb, in);
		ret = hn_memblock_remove(mb, base, dec_size(in));
		break;
	case 3:
		base = dec_addr(mb, in);
		ret = hn_memblock_reserve(mb, base, dec_size(in));
		break;
	case 4:
		base = dec_addr(mb, in);
		ret = hn_memblock_free(mb, base, dec_size(in));
		break;
	case 5:
		base = dec_addr(mb, in);
		size = dec_size(in);
		ret = b & 0x80 ? hn_memblock_clear_hotplug(mb, base, size) : hn_memblock_mark_hotplug(mb, base, size);
		break;
	case 6:
		base = dec_addr(mb, in);
		ret = hn_memblock_mark_mirror(mb, base, dec_size(in));
		break;
	case 7:
		base = dec_addr(mb, in);
		size = dec_size(in);
		ret = b & 0x80 ? hn_memblock_clear_nomap(mb, base, size) : hn_memblock_mark_nomap(mb, base, size);
		break;
	case 8:
		base = dec_addr(mb, in);
		ret = hn_memblock_reserved_mark_noinit(mb, base, dec_size(in));
		break;
	case 9:
		base = dec_addr(mb, in);
		size = dec_size(in);
		ret = hn_memblock_set_mattr(mb, base, size, u32(in));
		break;
	case 10:
		base = dec_addr(mb, in);
		size = dec_size(in);
		ret = hn_memblock_set_node(mb, base, size, dec_nid(f, in));
		break;
	case 11:
		hn_memblock_set_bottom_up(mb, b & 0x80);
		if (b & 0x40)
			hn_memblock_allow_resize(mb);
		break;
	case 12:
		hn_memblock_set_current_limit(mb, dec_addr(mb, in));
		break;
	case 13:
		size = dec_size(in);
		s = dec_align(in);
		base = dec_addr(mb, in);
		e = dec_addr(mb, in);
		nid = dec_nid(f, in);
		ret = hn_memblock_alloc_range_nid(mb, size, s, base, e, nid, b & 0x80, &out);
		break;
	case 14:
		size = dec_size(in);
		ret = hn_memblock_phys_alloc(mb, size, dec_align(in), &out);
		break;
	case 15:
		size = dec_size(in);
		s = dec_align(in);
		base = dec_addr(mb, in);
		ret = hn_memblock_phys_alloc_range(mb, size, s, base, dec_addr(mb, in), &out);
		break;
	case 16:
		size = dec_size(in);
		s = dec_align(in);
		ret = hn_memblock_phys_alloc_try_nid(mb, size, s, dec_nid(f, in), &out);
		break;
	case 17:
		size = dec_size(in);
		s = dec_align(in);
		base = dec_addr(mb, in);
		e = dec_addr(mb, in);
		nid = dec_nid(f, in);
		ret = b & 0x80 ? hn_memblock_alloc_exact_nid_raw(mb, size, s, base, e, nid, &out)
			       : hn_memblock_alloc_try_nid(mb, size, s, base, e, nid, &out);
		break;
	case 18:
		ret = hn_memblock_trim_memory(mb, dec_align(in));
		break;
	case 19:
		ret = b & 0x80 ? hn_memblock_mem_limit_remove_map(mb, dec_addr(mb, in))
			       : hn_memblock_enforce_memory_limit(mb, dec_addr(mb, in));
		break;
	case 20:
		base = dec_addr(mb, in);
		ret = hn_memblock_cap_memory_range(mb, base, dec_size(in));
		break;
	case 21: {
		struct hn_memblock_iter it = HN_MEMBLOCK_ITER_INIT;
		int n = 0, on;

		nid = dec_nid(f, in);
		if (b & 0x80) {
			while (n++ < 64 && hn_memblock_next_mem_pfn_range(mb, &it, nid, u8(in) % 66, &s, &e, &on))
				;
		} else if (b & 0x40) {
			while (n++ < 64 && hn_memblock_prev_free_range(mb, &it, nid, b & 0x1f, &s, &e, &on))
				;
		} else {
			while (n++ < 64 && hn_memblock_next_free_range(mb, &it, nid, b & 0x1f, &s, &e, &on))
				;
		}
		break;
	}
	case 22:
		base = dec_addr(mb, in);
		(void)hn_memblock_is_memory(mb, base);
		(void)hn_memblock_is_reserved(mb, base);
		(void)hn_memblock_is_map_memory(mb, base);
		size = dec_size(in);
		(void)hn_memblock_is_region_memory(mb, base, size);
		(void)hn_memblock_is_region_reserved(mb, base, size);
		ret = hn_memblock_search_pfn_nid(mb, base >> 12, u8(in) % 66, &s, &e);
		if (ret > 0 || ret == HN_NUMA_NO_NODE)
			ret = 0;
		break;
	default: {
		struct hn_memblock_region r;

		(void)hn_memblock_phys_mem_size(mb);
		(void)hn_memblock_reserved_size(mb);
		(void)hn_memblock_start_of_DRAM(mb);
		ret = hn_memblock_region_get(mb, (enum hn_memblock_type_id)(b >> 7), u8(in), &r);
		if (!ret)
			ret = hn_memblock_dump(mb, f->devnull);
		break;
	}
	}
	if (f->trace) {
		fprintf(stderr, "memblock op %d -> %d\n", (b & 0x1f) % 24, ret);
		hn_memblock_dump(mb, stderr);
	}
	check_ret(f, ret);
}

static bool boot_known_bug(const struct fz *f, struct hn_memblock *mb)
{
	(void)f;
	(void)mb;
	return false;	/* none known: add a check here while a boot bug is open */
}

static void op_boot(struct fz *f)
{
	int ret;

	if (f->avoid_known && !f->booted &&
	    (f->boot_failed || (hn_sim_memblock(f->sim) && boot_known_bug(f, hn_sim_memblock(f->sim)))))
		return;
	ret = hn_sim_boot(f->sim);
	f->boot_failed |= ret && ret != -EBUSY;

	check_ret(f, ret);
	if (f->booted && ret != -EBUSY)
		fail(f, "second boot returned %d", ret);
	if (!ret) {
		f->booted = true;
		learn_zones(f);
	}
	if (f->booted != hn_sim_booted(f->sim))
		fail(f, "hn_sim_booted() disagrees after boot returned %d", ret);
}

/* ---- the machine ------------------------------------------------------- */

static const char *const builtin_names[] = { "default", "knl-flat", "power9-v100", "dram-nvdimm", "cxl-tiered" };
/* The smallest total each built-in machine scales to (probed). */
static const uint64_t builtin_min[] = { 7168 * MiB, 2048 * MiB, 6144 * MiB, 4096 * MiB, 4096 * MiB };

static struct hn_machine *hand_built(struct in *in)
{
	struct hn_machine *m;
	uint8_t b = u8(in);
	int nodes = 1 + (b & 3) % 3;

	if (hn_machine_new(&m, "fuzz"))
		return NULL;
	if (hn_machine_set_arch(m, b & 4 ? HN_ARCH_GENERIC : HN_ARCH_X86_64))
		goto bad;
	for (int n = 0; n < nodes; n++) {
		uint8_t nb = u8(in);
		struct hn_memdev_desc d;
		struct hn_initiator_desc c;

		memset(&d, 0, sizeof(d));
		snprintf(d.name, sizeof(d.name), "mem%d", n);
		d.kind = nb & 0x40 ? HN_MEM_CXL : HN_MEM_DRAM;
		d.nid = n;
		d.base = HN_ADDR_AUTO;
		d.size = (64 * MiB) << ((nb & 7) / 2);	/* 64, 64, 128, 128, 256, 256, 512, 512 */
		d.read_latency_ns = 90 + 100 * (n != 0);
		d.read_bw_mbps = 50000;
		d.hotplug = n && (nb & 8);
		if (n && (nb & 0x80))
			d.zone = HN_ZONE_HINT_MOVABLE;
		if (hn_machine_add_memdev(m, &d))
			goto bad;
		/* Node 0 always has CPUs; the others may be memory-only. */
		if (!n || !(nb & 0x10)) {
			memset(&c, 0, sizeof(c));
			c.kind = HN_INIT_CPU;
			c.nid = n;
			snprintf(c.name, sizeof(c.name), "cpu%d", n);
			snprintf(c.cpus, sizeof(c.cpus), "%d-%d", 2 * n, 2 * n + 1);
			if (hn_machine_add_initiator(m, &c))
				goto bad;
		}
		for (int o = 0; o < n; o++)
			if (hn_machine_set_distance(m, o, n, (uint8_t)(11 + (nb >> 5) * 5 + o)))
				goto bad;
	}
	return m;
bad:
	hn_machine_free(m);
	return NULL;
}

static int setup(struct fz *f, struct in *in)
{
	static const unsigned int shifts[] = { 12, 13, 16, 16 };
	struct hn_sim_config cfg;
	uint8_t mb = u8(in), gb = u8(in), fb = u8(in);
	unsigned int sel = mb % 16;	/* 5 of 16: built-in (costly: hundreds of CPUs) */

	memset(&cfg, 0, sizeof(cfg));
	cfg.seed = u8(in);
	cfg.page_shift = shifts[gb & 3];
	cfg.max_page_order = 5 + (gb >> 2) % 6;
	if (fb & 1)
		cfg.flags |= HN_SIM_NO_PCP;
	if (fb & 2)
		cfg.flags |= HN_SIM_MOVABLE_NODE;
	if (fb & 4)
		cfg.flags |= HN_SIM_STOP_BEFORE_MM;
	if (fb & 8)
		cfg.kernel_image_size = 4 * MiB;
	if (fb & 16)
		cfg.flags |= HN_SIM_NO_MEMMAP_RESERVE;
	cfg.log = (struct hn_log_sink){ log_hook, f };
	cfg.report = report_hook;
	cfg.report_ctx = f;
	f->max_ops = sel < 5 ? MAX_OPS_BUILTIN : MAX_OPS;
	f->cfg_flags = cfg.flags;
	f->cfg_page_shift = sel < 5 ? 16 : cfg.page_shift;
	if (sel < 5) {
		cfg.page_shift = 16;	/* gigabytes of 4 KiB pages would be slow */
		if (hn_machine_builtin_scaled(&f->machine, builtin_names[sel], builtin_min[sel]))
			fail(f, "builtin %s does not scale to %" PRIu64 " MiB", builtin_names[sel],
			     (uint64_t)(builtin_min[sel] / MiB));
	} else {
		f->machine = hand_built(in);
		if (!f->machine)
			return -1;
	}
	if (hn_sim_create(&f->sim, f->machine, &cfg))
		return -1;
	f->booted = hn_sim_booted(f->sim);
	if (f->booted == !!(cfg.flags & HN_SIM_STOP_BEFORE_MM))
		fail(f, "booted %d with flags %#x", f->booted, cfg.flags);
	f->nr_nodes = hn_sim_nr_node_ids(f->sim);
	f->nr_cpus = hn_sim_nr_cpu_ids(f->sim);
	if (f->booted)
		learn_zones(f);
	return 0;
}

/* Every block freed and the lists drained: each zone is whole again. */
static void check_all_free(struct fz *f)
{
	if (!f->booted || f->ever_isolated)
		return;
	if (hn_drain_all_pages(f->sim))
		fail(f, "final drain failed");
	for (int nid = 0; nid < f->nr_nodes; nid++) {
		for (int zt = 0; zt < HN_MAX_NR_ZONES; zt++) {
			struct hn_zone_info zi;

			if (hn_sim_zone_info(f->sim, nid, (enum hn_zone_type)zt, &zi))
				continue;
			if (zi.free_pages != zi.managed_pages)
				fail(f, "node %d zone %s: %" PRIu64 " free of %" PRIu64 " managed after freeing all",
				     nid, zi.name, zi.free_pages, zi.managed_pages);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct fz *f = calloc(1, sizeof(*f));

	if (!f)
		return 0;
	f->trace = getenv("FUZZ_OPS_TRACE") != NULL;
	f->avoid_known = getenv("FUZZ_OPS_AVOID_KNOWN") != NULL;
	f->devnull = fopen("/dev/null", "w");
	if (!f->devnull)
		abort();
	if (setup(f, &in))
		goto out;
	f->what = "create";
	if (hn_sim_check(f->sim))
		fail(f, "hn_sim_check after create");
	for (f->op = 0; f->op < f->max_ops && in.n; f->op++) {
		uint8_t op = u8(&in);
		int before = f->reports;

		switch (op % 16) {
		case 0:
		case 1:
		case 2:
			f->what = "alloc";
			op_alloc(f, &in);
			break;
		case 3:
		case 4:
			f->what = "free";
			op_free(f, &in);
			break;
		case 5:
			f->what = "bad free";
			op_bad_free(f, &in);
			before = f->reports;	/* its reports are expected */
			break;
		case 6:
			f->what = "bulk";
			op_bulk(f, &in);
			break;
		case 7:
			f->what = "drain";
			check_ret(f, op & 0x10 ? hn_drain_all_pages(f->sim) : hn_drain_local_pages(f->sim));
			break;
		case 8:
			f->what = "set_cpu";
			op_set_cpu(f, &in);
			break;
		case 9:
			f->what = "isolate";
			op_isolate(f, &in);
			break;
		case 10:
			f->what = "node online";
			op_node_online(f, &in);
			break;
		case 11:
			f->what = "view";
			op_view(f, &in);
			break;
		case 12:
			f->what = "query";
			op_query(f, &in);
			break;
		case 13:
		case 14:
			f->what = "memblock";
			op_memblock(f, &in);
			break;
		default:
			f->what = "boot";
			op_boot(f);
			break;
		}
		if (f->trace)
			fprintf(stderr, "op %d: %s (%d live)\n", f->op, f->what, f->nr_live);
		if (f->reports != before && strcmp(f->what, "alloc") && strcmp(f->what, "bulk"))
			fail(f, "unexpected report");
		if (hn_sim_check(f->sim))
			fail(f, "hn_sim_check failed");
	}
	f->what = "teardown";
	while (f->nr_live)
		free_live(f, f->nr_live - 1);
	check_all_free(f);
	if (hn_sim_check(f->sim))
		fail(f, "hn_sim_check failed at the end");
out:
	hn_sim_destroy(f->sim);
	hn_machine_free(f->machine);
	fclose(f->devnull);
	free(f);
	return 0;
}

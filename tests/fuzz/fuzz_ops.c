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
 *          [0] bits 4-5 both set: the extended set, with one more head
 *              byte (bit 6 of [0] adds HN_SIM_HNUMA; the byte picks the
 *              attribute matching strategy and weights)
 *
 *   ops    alloc, free of a live block, deliberately bad free (double free,
 *          wrong order, random pfn, order too large), bulk, drain
 *          local/all, set_cpu, isolate/undo/test on pageblock-aligned and
 *          unaligned ranges, node offline/online, every view into
 *          /dev/null, vmstat and info lookups, memblock calls (before
 *          boot), hn_sim_boot.
 *   ext    opcodes 0x80 and up (extended set only; see xop_table): tasks
 *          (create, exit, set_cpu, cpuset mems), set_mempolicy /
 *          get_mempolicy / mbind with user-style node masks, mmap, munmap,
 *          mprotect, touch, hmadvise, per-task and per-range attributes,
 *          task and libnuma-style allocation, task queries, hn_run() of a
 *          tiny scenario, weighted-interleave weights, the task views.
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
 *   - a page a task maps is inside a zone, on a node its cpuset allows and
 *     outside every block we hold; after the task exits, freeing a page it
 *     had mapped is refused as a double free;
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
#include <math.h>
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
#define MAX_TASKS 8
#define MAX_TREC 256
#define TREC_PAGES 64		/* populate and prefetch ranges are cut to this */
#define MAX_ATTR 16
#define VA_TOP (1ULL << 47)	/* the simulated address space: TASK_SIZE is a page below */

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

/* A task we created, and the cpuset we gave it. */
struct ftask {
	struct hn_task *t;
	struct hn_nodemask mems;
};

/* Pages a task may map: [addr, addr + n pages).  See task_holds_pfn(). */
struct trec {
	const struct hn_task *t;
	uint64_t addr;
	unsigned int n;
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
	/* the extended op set (head [0] bits 4-5 set) */
	bool ext;
	bool hnuma;
	uint64_t page_size;
	unsigned long *mbuf;	/* a node mask buffer of exactly one page, as a system call reads it */
	struct ftask task[MAX_TASKS];
	int nr_tasks;
	int last_pid;
	struct trec trec[MAX_TREC];
	int nr_trec;
	bool trec_lost;		/* a task may map pages no record names */
	uint64_t attr_start[MAX_ATTR];	/* attribute ranges we added */
	int nr_attr;
	struct hn_scenario sc;
	struct hn_run_result rr;
	/* what the current op is, for the failure message */
	int op;
	const char *what;
};

static void fail(const struct fz *f, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static bool task_holds_pfn(struct fz *f, uint64_t pfn);

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
	if (!order && f->nr_tasks && task_holds_pfn(f, pfn))
		return;	/* a page a task maps: freeing it is the task's business */
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
	int ret;

	ret = hn_sim_set_node_online(f->sim, nid, online);

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
 * campaign can look past them; the corpus runner never sets it.  The six
 * the first campaigns found (cap-nomap-split, boot-huge-reserved,
 * boot-nodeless-memory, boot-retry-leak, boot-high-memory,
 * managed-exceeds-present) are fixed and their inputs are
 * corpus/ops/fixed-*.bin.  The extended op set found four more, fixed
 * too: run-theta-nan (hn_run() took a NaN zipf_theta), offline-attr-pages
 * (a node went offline under allocated attribute-node pages),
 * fault-enodev (a fault starting from an offline node failed with
 * -ENODEV instead of falling back) and getpol-eacces (MPOL_F_NODE |
 * MPOL_F_ADDR on a PROT_NONE mapping gave -EACCES, not GUP's -EFAULT).
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

/* ---- the newer API: tasks, policies, address spaces, attributes ------- */

/*
 * Return codes of the newer calls are checked against what each function's
 * header comment lists, not against the union of every errno.
 */
enum {
	R_INVAL = 1u << 0,
	R_NOMEM = 1u << 1,
	R_NOSPC = 1u << 2,
	R_BUSY = 1u << 3,
	R_AGAIN = 1u << 4,
	R_NOENT = 1u << 5,
	R_EXIST = 1u << 6,
	R_NODEV = 1u << 7,
	R_FAULT = 1u << 8,
	R_PERM = 1u << 9,
	R_IO = 1u << 10,
	R_BADF = 1u << 11,
	R_NOTSUP = 1u << 12,
	R_ACCES = 1u << 13,
};

static unsigned int err_bit(int ret)
{
	switch (ret) {
	case -EINVAL:
		return R_INVAL;
	case -ENOMEM:
		return R_NOMEM;
	case -ENOSPC:
		return R_NOSPC;
	case -EBUSY:
		return R_BUSY;
	case -EAGAIN:
		return R_AGAIN;
	case -ENOENT:
		return R_NOENT;
	case -EEXIST:
		return R_EXIST;
	case -ENODEV:
		return R_NODEV;
	case -EFAULT:
		return R_FAULT;
	case -EPERM:
		return R_PERM;
	case -EIO:
		return R_IO;
	case -EBADF:
		return R_BADF;
	case -EOPNOTSUPP:
		return R_NOTSUP;
	case -EACCES:
		return R_ACCES;
	default:
		return 0;
	}
}

static void check_errs(const struct fz *f, const char *fn, int ret, unsigned int allowed)
{
	if (f->trace)
		fprintf(stderr, "  %s -> %d\n", fn, ret);
	if (!ret)
		return;
	if (ret == -EUCLEAN)
		fail(f, "%s returned -EUCLEAN: it left an invariant broken", fn);
	if (!(err_bit(ret) & allowed))
		fail(f, "%s returned %d (%s), which its header does not list", fn, ret, hn_strerror(ret));
}

/* The call must have been refused with @want. */
static void want_err(const struct fz *f, const char *fn, int ret, int want, const char *why)
{
	if (ret != want)
		fail(f, "%s returned %d (%s), want %d for %s", fn, ret, hn_strerror(ret), want, why);
}

static uint64_t task_size(const struct fz *f)
{
	return VA_TOP - f->page_size;
}

static uint64_t page_up(const struct fz *f, uint64_t len)
{
	return (len + f->page_size - 1) & ~(f->page_size - 1);
}

/* A task of ours, or NULL (the call is then made with a NULL task). */
static struct ftask *pick_task(struct fz *f, struct in *in)
{
	uint8_t b = u8(in);

	if (!f->nr_tasks)
		return NULL;
	return &f->task[b % f->nr_tasks];
}

static struct hn_task *tsk(const struct ftask *ft)
{
	return ft ? ft->t : NULL;
}

/* A CPU id: mostly one the machine has, sometimes a hole, the end or absurd. */
static unsigned int dec_cpu(struct fz *f, struct in *in)
{
	static const unsigned int odd[] = { UINT_MAX, HN_MAX_CPUS, HN_MAX_CPUS - 1, INT_MAX, 0x80000000u, 64, 4095, 1 };
	uint8_t b = u8(in);
	unsigned int n = f->nr_cpus ? f->nr_cpus : 1;

	switch (b & 3) {
	case 0:
	case 1:
		return (b >> 2) % n;
	case 2:
		return b & 4 ? n : odd[(b >> 3) % 8];
	default:
		return b >> 2;
	}
}

static bool cpu_exists(const struct fz *f, unsigned int cpu)
{
	return hn_sim_cpu_to_node(f->sim, cpu) >= 0;
}

/* Whether node @nid has memory now. */
static bool has_memory(const struct fz *f, int nid)
{
	return hn_sim_node_state(f->sim, nid, HN_N_MEMORY);
}

static void mbuf_set(struct fz *f, unsigned long bit)
{
	const unsigned long bpl = 8 * sizeof(unsigned long);

	if (bit < f->page_size * 8)
		f->mbuf[bit / bpl] |= 1UL << (bit % bpl);
}

static bool mbuf_test(const struct fz *f, unsigned long bit)
{
	const unsigned long bpl = 8 * sizeof(unsigned long);

	return bit < f->page_size * 8 && (f->mbuf[bit / bpl] >> (bit % bpl) & 1);
}

/*
 * maxnode as set_mempolicy(2), get_mempolicy(2) and mbind(2) take it:
 * maxnode - 1 bits are read.  The edges: none, one word, exactly the node
 * ids, exactly up to the last node bit (HN_MAX_NUMNODES + 1), one past it,
 * exactly a page of bits and one more, ULONG_MAX.
 */
static unsigned long dec_maxnode(struct fz *f, struct in *in)
{
	uint8_t b = u8(in);
	unsigned long bits = (unsigned long)f->page_size * 8, n = (unsigned long)(f->nr_nodes > 0 ? f->nr_nodes : 1);

	switch (b & 15) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return 2;
	case 3:
		return n;
	case 4:
		return n + 1;
	case 5:
		return HN_MAX_NUMNODES;
	case 6:
		return HN_MAX_NUMNODES + 1;
	case 7:
		return HN_MAX_NUMNODES + 2;
	case 8:
		return bits;
	case 9:
		return bits + 1;
	case 10:
		return bits + 2;
	case 11:
		return ULONG_MAX;
	case 12:
		return 63 + (b >> 4);
	case 13:
		return u16(in);
	default:
		return n + 1 + (b >> 4);
	}
}

/*
 * The mask behind nmask, in the page-sized buffer (so that a read past what
 * maxnode allows is a sanitizer report): nodes 0-3 from the byte, and bits
 * at the edges maxnode defines.  NULL a quarter of the time.
 */
static unsigned long *dec_nmask(struct fz *f, struct in *in, unsigned long maxnode)
{
	uint8_t b = u8(in);

	if (!(b & 3))
		return NULL;
	memset(f->mbuf, 0, f->page_size);
	f->mbuf[0] = (b >> 2) & 15;
	if (b & 0x40)
		mbuf_set(f, HN_MAX_NUMNODES - 1);
	if ((b & 0x80) && maxnode >= 2)
		mbuf_set(f, maxnode - 2);	/* the last bit read */
	if ((b & 3) == 2 && maxnode >= 1)
		mbuf_set(f, maxnode - 1);	/* the first bit not read */
	if ((b & 3) == 3)
		mbuf_set(f, b & 0x80 ? HN_MAX_NUMNODES : u16(in) % (f->page_size * 8));
	return f->mbuf;
}

/* The nodes set_mempolicy() reads from @nm: bits below maxnode - 1 and the node limit. */
static void nmask_read(const struct fz *f, const unsigned long *nm, unsigned long maxnode,
		       struct hn_nodemask *out)
{
	hn_nodemask_clear_all(out);
	if (!nm || maxnode <= 1)
		return;
	for (unsigned long bit = 0; bit < maxnode - 1 && bit < HN_MAX_NUMNODES; bit++)
		if (mbuf_test(f, bit))
			hn_nodemask_set(out, (int)bit);
}

/* A mode: each MPOL_* (and MPOL_MAX) with each flag combination; sometimes any int. */
static int dec_mode(struct in *in)
{
	static const int flags[] = {
		0,
		0,
		MPOL_F_STATIC_NODES,
		MPOL_F_RELATIVE_NODES,
		MPOL_F_NUMA_BALANCING,
		MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES,
		MPOL_F_STATIC_NODES | MPOL_F_NUMA_BALANCING,
		MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING,
	};
	uint8_t b = u8(in);

	switch (b >> 6) {
	case 3:
		return (int)u32(in);
	case 2:
		return (b & 7) | flags[(b >> 3) & 7] | 1 << (8 + (b & 3));
	default:
		return (b & 7) | flags[(b >> 3) & 7];
	}
}

/* A mode the calls accept on its own (the mask and cpuset still decide). */
static bool mode_ok(int mode)
{
	int m = mode & ~MPOL_MODE_FLAGS, fl = mode & MPOL_MODE_FLAGS;

	if (m < 0 || m >= MPOL_MAX)
		return false;
	if ((fl & MPOL_F_STATIC_NODES) && (fl & MPOL_F_RELATIVE_NODES))
		return false;
	return !(fl & MPOL_F_NUMA_BALANCING) || m == MPOL_BIND || m == MPOL_PREFERRED_MANY;
}

/* An attribute word: well formed, a single property, 0, or anything. */
static hn_mattr_t dec_mattr(struct in *in)
{
	uint8_t b = u8(in);

	switch (b & 3) {
	case 0:
		return HN_MATTR_ALL_PRESENT | (u32(in) & 0xffffff);
	case 1:
		return hn_mattr_prop((enum hn_mattr_prop)((b >> 2) % HN_MATTR_NR_PROPS), 1 + u8(in) % 16) |
		       (b & 0x80 ? hn_mattr_prop(HN_MATTR_DENSITY, 1 + (b >> 5) % 4) : 0);
	case 2:
		return b & 4 ? 0 : (hn_mattr_t)1 << (b >> 3);
	default:
		return u32(in);
	}
}

/* The @i-th VMA of @t, or false. */
static bool vma_at(struct hn_task *t, int i, uint64_t *s, uint64_t *e, int *prot)
{
	int p;

	if (hn_task_vma(t, (unsigned int)i, s, e, prot ? prot : &p))
		return false;
	return true;
}

/*
 * A virtual address: inside a mapping (most often), a mapping's edge, page
 * aligned anywhere, unaligned, the edges of the address space, anything.
 */
static uint64_t dec_vaddr(struct fz *f, struct in *in, struct hn_task *t)
{
	uint8_t b = u8(in);
	int n = t ? hn_task_nr_vmas(t) : 0;
	uint64_t s, e, ps = f->page_size;

	switch (b & 7) {
	case 0:
	case 1:
	case 2:
		if (n > 0 && vma_at(t, u8(in) % n, &s, &e, NULL))
			return s + (u16(in) % ((e - s) / ps)) * ps;
		return (uint64_t)u32(in) * ps % VA_TOP;
	case 3:
		if (n > 0 && vma_at(t, u8(in) % n, &s, &e, NULL))
			return b & 8 ? e : s;
		return 0;
	case 4:
		return (uint64_t)u32(in) * ps % VA_TOP;
	case 5:
		if (n > 0 && vma_at(t, u8(in) % n, &s, &e, NULL))
			return s + 1 + u16(in) % (ps - 1);
		return u16(in);
	case 6: {
		const uint64_t odd[] = { 0, 0x10000 - ps, 0x10000, task_size(f) - ps, task_size(f), VA_TOP,
					 UINT64_MAX & ~(ps - 1), task_size(f) - (128ULL << 20) };

		return odd[(b >> 3) % 8];
	}
	default:
		return u64(in);
	}
}

/*
 * A length: a few pages (most often), a few bytes, 0, a mapping's length,
 * large ones up to 1 TiB, and ones past the address space.
 */
static uint64_t dec_vlen(struct fz *f, struct in *in, struct hn_task *t)
{
	uint8_t b = u8(in);
	int n = t ? hn_task_nr_vmas(t) : 0;
	uint64_t s, e, ps = f->page_size;

	switch (b & 7) {
	case 0:
	case 1:
	case 2:
		return (1 + (uint64_t)(b >> 3)) * ps;
	case 3:
		return (1 + (uint64_t)u8(in)) * ps;
	case 4:
		return u16(in);
	case 5:
		return 0;
	case 6: {
		const uint64_t odd[] = { 1ULL << 30, 1ULL << 40, task_size(f), VA_TOP, UINT64_MAX,
					 UINT64_MAX - ps + 2, task_size(f) + 1, 3ULL << 28 };

		return odd[(b >> 3) % 8];
	}
	default:
		if (n > 0 && vma_at(t, u8(in) % n, &s, &e, NULL))
			return e - s;
		return ps;
	}
}

/* Whether @t's mappings cover [start, end), each with protection @prot (-1: any). */
static bool vmas_cover(struct hn_task *t, uint64_t start, uint64_t end, int prot)
{
	int n = hn_task_nr_vmas(t);

	for (int i = 0; i < n && start < end; i++) {
		uint64_t s, e;
		int p;

		if (!vma_at(t, i, &s, &e, &p))
			return false;
		if (e <= start)
			continue;
		if (s > start || (prot >= 0 && p != prot))
			return false;
		start = e;
	}
	return start >= end;
}

static bool vmas_intersect(struct hn_task *t, uint64_t start, uint64_t end)
{
	int n = hn_task_nr_vmas(t);

	for (int i = 0; i < n; i++) {
		uint64_t s, e;

		if (vma_at(t, i, &s, &e, NULL) && s < end && start < e)
			return true;
	}
	return false;
}

/* The VMA holding @addr: 1 with its protection, or 0. */
static int vma_prot_at(struct hn_task *t, uint64_t addr, int *prot)
{
	int n = hn_task_nr_vmas(t);

	for (int i = 0; i < n; i++) {
		uint64_t s, e;

		if (vma_at(t, i, &s, &e, prot) && s <= addr && addr < e)
			return 1;
	}
	return 0;
}

/* ---- pages tasks map ---------------------------------------------------- */

/*
 * The records say where a task may have pages, so that a deliberately bad
 * free never names one of them (the allocator cannot tell such a free from
 * the owner's).  When they cannot say (too many, or a range too long),
 * trec_lost makes every bad free that could hit a task page stand down.
 */
static void trec_add(struct fz *f, const struct hn_task *t, uint64_t addr, uint64_t pages)
{
	struct trec *last = f->nr_trec ? &f->trec[f->nr_trec - 1] : NULL;

	if (!pages)
		return;
	if (pages > TREC_PAGES) {
		f->trec_lost = true;
		return;
	}
	if (last && last->t == t && last->addr + (uint64_t)last->n * f->page_size == addr &&
	    last->n + pages <= TREC_PAGES) {
		last->n += (unsigned int)pages;
		return;
	}
	if (f->nr_trec == MAX_TREC) {
		f->trec_lost = true;
		return;
	}
	f->trec[f->nr_trec++] = (struct trec){ t, addr, (unsigned int)pages };
}

static bool task_holds_pfn(struct fz *f, uint64_t pfn)
{
	if (f->trec_lost) {
		for (int i = 0; i < f->nr_tasks; i++)
			if (hn_task_rss(f->task[i].t))
				return true;
		return false;
	}
	for (int i = 0; i < f->nr_trec; i++) {
		const struct trec *r = &f->trec[i];

		for (unsigned int k = 0; k < r->n; k++) {
			uint64_t p;
			unsigned int fl;

			if (!hn_task_pte(r->t, r->addr + k * f->page_size, &p, &fl) && !(fl & HN_PTE_ZERO) &&
			    p == pfn)
				return true;
		}
	}
	return false;
}

/*
 * Exit: every page the task maps goes back.  A few of them are freed again
 * afterwards: each must be refused as a double free, with a report.
 */
static void task_exit(struct fz *f, int i)
{
	const struct hn_task *t = f->task[i].t;
	uint64_t pfns[8];
	int w = 0, np = 0;

	for (int r = 0; r < f->nr_trec && np < 8; r++) {
		for (unsigned int k = 0; f->trec[r].t == t && k < f->trec[r].n && np < 8; k++) {
			unsigned int fl;

			if (!hn_task_pte(t, f->trec[r].addr + k * f->page_size, &pfns[np], &fl) &&
			    !(fl & HN_PTE_ZERO))
				np++;
		}
	}
	hn_task_destroy(f->task[i].t);
	for (int k = 0; k < np; k++) {
		int before = f->reports, ret = hn_free_pages(f->sim, pfns[k], 0);

		if (ret != -EINVAL || f->reports != before + 1)
			fail(f, "free of pfn %#" PRIx64 " after its task exited: %d, %d reports", pfns[k], ret,
			     f->reports - before);
		f->reports = before;
	}
	f->task[i] = f->task[--f->nr_tasks];
	for (int r = 0; r < f->nr_trec; r++)
		if (f->trec[r].t != t)
			f->trec[w++] = f->trec[r];
	f->nr_trec = w;
	if (!f->nr_tasks)
		f->trec_lost = false;
}

/* Whether [pfn, pfn + 2^order) lies on a node of @mems. */
static bool block_in_mems(const struct fz *f, uint64_t pfn, unsigned int order, const struct hn_nodemask *mems)
{
	for (int nid = 0; nid < f->nr_nodes; nid++)
		if (hn_nodemask_test(mems, nid) && block_in_zone_of(f, pfn, order, nid))
			return true;
	return false;
}

/* ---- task ops ------------------------------------------------------------ */

static void op_task_create(struct fz *f, struct in *in)
{
	unsigned int cpu = dec_cpu(f, in);
	struct hn_task *t = (struct hn_task *)f;	/* must be overwritten */
	int ret, pid;

	if (f->nr_tasks == MAX_TASKS)
		task_exit(f, 0);
	ret = hn_task_create(f->sim, cpu, &t);
	check_errs(f, "hn_task_create", ret, R_INVAL | R_AGAIN | R_NOMEM);
	if (!f->booted)
		want_err(f, "hn_task_create", ret, -EAGAIN, "an instance not booted");
	else if (!cpu_exists(f, cpu))
		want_err(f, "hn_task_create", ret, -EINVAL, "a CPU the machine does not have");
	else if (ret == -EINVAL)
		fail(f, "hn_task_create(cpu %u) refused a CPU the machine has", cpu);
	if (ret) {
		if (t)
			fail(f, "hn_task_create failed with %d but left *out set", ret);
		return;
	}
	pid = hn_task_pid(t);
	if (hn_task_cpu(t) != (int)cpu || hn_task_node(t) != hn_sim_cpu_to_node(f->sim, cpu) ||
	    pid <= f->last_pid || hn_task_nr_vmas(t) != 0 || hn_task_rss(t) != 0)
		fail(f, "new task: cpu %d node %d pid %d (last %d) vmas %d rss %" PRIu64, hn_task_cpu(t),
		     hn_task_node(t), pid, f->last_pid, hn_task_nr_vmas(t), hn_task_rss(t));
	f->last_pid = pid;
	f->task[f->nr_tasks].t = t;
	hn_nodemask_clear_all(&f->task[f->nr_tasks].mems);
	for (int nid = 0; nid < f->nr_nodes; nid++)
		hn_nodemask_set(&f->task[f->nr_tasks].mems, nid);
	f->nr_tasks++;
}

static void op_task_exit(struct fz *f, struct in *in)
{
	uint8_t b = u8(in);

	if (!f->nr_tasks) {
		hn_task_destroy(NULL);
		return;
	}
	task_exit(f, b % f->nr_tasks);
}

static void op_task_set_cpu(struct fz *f, struct in *in)
{
	struct ftask *ft = pick_task(f, in);
	unsigned int cpu = dec_cpu(f, in);
	int before = ft ? hn_task_cpu(ft->t) : -1;
	int ret = hn_task_set_cpu(tsk(ft), cpu);

	check_errs(f, "hn_task_set_cpu", ret, R_INVAL);
	if (!ft) {
		want_err(f, "hn_task_set_cpu", ret, -EINVAL, "a NULL task");
		return;
	}
	if (!cpu_exists(f, cpu))
		want_err(f, "hn_task_set_cpu", ret, -EINVAL, "a CPU the machine does not have");
	else if (ret)
		fail(f, "hn_task_set_cpu(%u) refused a CPU the machine has: %d", cpu, ret);
	if (hn_task_cpu(ft->t) != (ret ? before : (int)cpu) ||
	    hn_task_node(ft->t) != hn_sim_cpu_to_node(f->sim, (unsigned int)hn_task_cpu(ft->t)))
		fail(f, "task on cpu %d node %d after set_cpu(%u) -> %d", hn_task_cpu(ft->t),
		     hn_task_node(ft->t), cpu, ret);
}

static void op_task_mems(struct fz *f, struct in *in)
{
	struct ftask *ft = pick_task(f, in);
	struct hn_nodemask mask;
	const struct hn_nodemask *nm = dec_mask(in, &mask);
	bool usable = false;
	int ret = hn_task_set_mems_allowed(tsk(ft), nm);

	check_errs(f, "hn_task_set_mems_allowed", ret, R_INVAL);
	for (int nid = 0; nm && nid < f->nr_nodes; nid++)
		usable |= hn_nodemask_test(nm, nid) && has_memory(f, nid);
	if (!ft || !usable)
		want_err(f, "hn_task_set_mems_allowed", ret, -EINVAL, "no task, or no node with memory");
	else if (ret)
		fail(f, "hn_task_set_mems_allowed refused a mask with memory: %d", ret);
	if (!ret)
		ft->mems = *nm;
}

/* What get_mempolicy() must say after a successful set_mempolicy(@mode). */
static void check_policy_mode(const struct fz *f, const char *what, int mode, int got)
{
	int m = mode & ~MPOL_MODE_FLAGS, fl = mode & MPOL_MODE_FLAGS;
	bool ok;

	if (m == MPOL_DEFAULT)
		ok = got == MPOL_DEFAULT;
	else if (m == MPOL_PREFERRED)
		ok = got == mode || (got == MPOL_LOCAL && !fl);
	else
		ok = got == mode;
	if (!ok)
		fail(f, "%s with mode %#x: get_mempolicy says %#x", what, (unsigned int)mode, (unsigned int)got);
}

static void op_set_mempolicy(struct fz *f, struct in *in)
{
	struct ftask *ft = pick_task(f, in);
	int mode = dec_mode(in), got = -1;
	unsigned long maxnode = dec_maxnode(f, in);
	unsigned long *nm = dec_nmask(f, in, maxnode);
	const unsigned long words = ((unsigned long)f->nr_nodes + 63) / 64;
	struct hn_nodemask asked;
	int ret;

	nmask_read(f, nm, maxnode, &asked);
	ret = hn_set_mempolicy(tsk(ft), mode, nm, maxnode);
	check_errs(f, "hn_set_mempolicy", ret, R_INVAL | R_NOMEM);
	if (!ft || !mode_ok(mode))
		want_err(f, "hn_set_mempolicy", ret, -EINVAL, "no task, or a bad mode");
	if (ret)
		return;
	/* what the task now has, through the other system call */
	memset(f->mbuf, 0xa5, f->page_size);
	ret = hn_get_mempolicy(ft->t, &got, f->mbuf, HN_MAX_NUMNODES + 1, 0, 0);
	if (ret)
		fail(f, "get_mempolicy after set_mempolicy: %d", ret);
	check_policy_mode(f, "set_mempolicy", mode, got);
	/*
	 * A policy with mode flags shows the nodes as given (the kernel's
	 * mpol_store_user_nodemask()); the others, nodes of the cpuset.
	 */
	for (unsigned long bit = 0; bit < words * 64; bit++) {
		bool have = mbuf_test(f, bit), want = hn_nodemask_test(&asked, (int)bit);

		if (got & MPOL_MODE_FLAGS ? have != want : have && !want)
			fail(f, "policy %#x given nodes %#" PRIx64 " shows node %lu %s", (unsigned int)got,
			     asked.bits[0], bit, have ? "set" : "clear");
		if (have && !(got & MPOL_MODE_FLAGS) &&
		    (!hn_nodemask_test(&ft->mems, (int)bit) || (int)bit >= f->nr_nodes))
			fail(f, "policy %#x holds node %lu outside the cpuset", (unsigned int)got, bit);
	}
}

static void op_get_mempolicy(struct fz *f, struct in *in)
{
	struct ftask *ft = pick_task(f, in);
	uint8_t b = u8(in);
	unsigned long flags = b & 7, maxnode, copy;
	uint64_t addr = 0;
	unsigned long *nm = NULL;
	int pol = -12345, ret;
	const unsigned char *bytes = (const unsigned char *)f->mbuf;

	if (b & 8)
		flags |= 1UL << (u8(in) % 64);
	if ((flags & MPOL_F_ADDR) || (b & 0x10))
		addr = dec_vaddr(f, in, tsk(ft));
	maxnode = dec_maxnode(f, in);
	if (!(b & 0x20)) {
		memset(f->mbuf, 0xa5, f->page_size);
		nm = f->mbuf;
	}
	ret = hn_get_mempolicy(tsk(ft), b & 0x40 ? NULL : &pol, nm, maxnode, addr, flags);
	check_errs(f, "hn_get_mempolicy", ret, R_INVAL | R_FAULT);
	if (!ft)
		want_err(f, "hn_get_mempolicy", ret, -EINVAL, "a NULL task");
	else if (nm && maxnode < (unsigned long)f->nr_nodes)
		want_err(f, "hn_get_mempolicy", ret, -EINVAL, "maxnode below the node ids");
	else if (flags & ~7UL)
		want_err(f, "hn_get_mempolicy", ret, -EINVAL, "unknown flags");
	else if ((flags & MPOL_F_MEMS_ALLOWED) && (flags & (MPOL_F_NODE | MPOL_F_ADDR)))
		want_err(f, "hn_get_mempolicy", ret, -EINVAL, "MPOL_F_MEMS_ALLOWED with another flag");
	else if (!(flags & (MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED)) && addr)
		want_err(f, "hn_get_mempolicy", ret, -EINVAL, "an address without MPOL_F_ADDR");
	if (ret || !nm)
		return;
	/* nothing written past what maxnode covers (the kernel's copy size) */
	copy = (((maxnode - 1) + 63) & ~63UL) / 8;
	for (unsigned long i = copy; i < f->page_size; i++)
		if (bytes[i] != 0xa5)
			fail(f, "get_mempolicy(maxnode %lu) wrote byte %lu of the mask", maxnode, i);
	if ((flags & MPOL_F_MEMS_ALLOWED) && copy)
		for (int nid = 0; nid < f->nr_nodes && (unsigned long)nid < copy * 8; nid++)
			if (mbuf_test(f, (unsigned long)nid) != hn_nodemask_test(&ft->mems, nid))
				fail(f, "MPOL_F_MEMS_ALLOWED: node %d %s, the cpuset says otherwise", nid,
				     mbuf_test(f, (unsigned long)nid) ? "set" : "clear");
}

static unsigned int dec_mbind_flags(struct in *in)
{
	uint8_t b = u8(in);
	unsigned int fl = b & 7;

	if (b & 8)
		fl |= 1u << (b >> 3);
	return fl;
}

static void op_mbind(struct fz *f, struct in *in)
{
	struct ftask *ft = pick_task(f, in);
	uint64_t start = dec_vaddr(f, in, tsk(ft)), len = dec_vlen(f, in, tsk(ft));
	int mode = dec_mode(in), got = -1;
	unsigned long maxnode = dec_maxnode(f, in);
	unsigned long *nm = dec_nmask(f, in, maxnode);
	unsigned int flags = dec_mbind_flags(in);
	int ret = hn_mbind(tsk(ft), start, len, mode, nm, maxnode, flags);

	check_errs(f, "hn_mbind", ret, R_INVAL | R_FAULT | R_IO | R_NOTSUP | R_NOMEM);
	if (!ft || !mode_ok(mode) || (flags & ~7u))
		want_err(f, "hn_mbind", ret, -EINVAL, "no task, a bad mode or unknown flags");
	if (ret || !len || start & (f->page_size - 1) || start + page_up(f, len) <= start)
		return;
	if ((mode & ~MPOL_MODE_FLAGS) == MPOL_DEFAULT)
		return;
	if (!vmas_cover(ft->t, start, start + page_up(f, len), -1))
		fail(f, "mbind of [%#" PRIx64 ", +%#" PRIx64 ") succeeded over a hole", start, len);
	ret = hn_get_mempolicy(ft->t, &got, NULL, 0, start, MPOL_F_ADDR);
	if (ret)
		fail(f, "get_mempolicy(MPOL_F_ADDR) after mbind: %d", ret);
	check_policy_mode(f, "mbind", mode, got);
}

static int dec_mmap_flags(struct in *in)
{
	static const int base[] = {
		HN_MAP_PRIVATE | HN_MAP_ANONYMOUS,
		HN_MAP_PRIVATE | HN_MAP_ANONYMOUS,
		HN_MAP_PRIVATE | HN_MAP_ANONYMOUS,
		HN_MAP_PRIVATE | HN_MAP_ANONYMOUS | HN_MAP_FIXED,
		HN_MAP_PRIVATE | HN_MAP_ANONYMOUS | HN_MAP_FIXED_NOREPLACE,
		HN_MAP_SHARED | HN_MAP_ANONYMOUS,
		HN_MAP_PRIVATE,
		HN_MAP_PRIVATE | HN_MAP_SHARED | HN_MAP_ANONYMOUS,
	};
	uint8_t b = u8(in);
	int fl = base[b & 7];

	if (b & 8)
		fl |= HN_MAP_POPULATE;
	if (b & 0x10)
		fl |= (int)(1u << (b >> 5 << 2 | (u8(in) & 3)));	/* any of the 32 bits */
	if ((b & 0xe0) == 0xe0)
		fl = (int)u32(in);
	return fl;
}

static int dec_prot(struct in *in)
{
	uint8_t b = u8(in);

	return b & 0x80 ? (int)((b & 7) | 1u << (3 + (b >> 3) % 29)) : (int)(b & 7);
}

static void op_mmap(struct fz *f, struct in *in)
{
	struct ftask *ft = pick_task(f, in);
	uint64_t addr = dec_vaddr(f, in, tsk(ft)), len = dec_vlen(f, in, tsk(ft)), out = 1;
	int prot = dec_prot(in), flags = dec_mmap_flags(in);
	int ret;

	/* populating a long range would allocate for a long time: cut it */
	if ((flags & HN_MAP_POPULATE) && len > TREC_PAGES * f->page_size)
		flags &= ~HN_MAP_POPULATE;
	ret = hn_mmap(tsk(ft), addr, len, prot, flags, &out);
	check_errs(f, "hn_mmap", ret, R_INVAL | R_BADF | R_NOTSUP | R_PERM | R_EXIST | R_NOMEM);
	if (!ft || !len)
		want_err(f, "hn_mmap", ret, -EINVAL, "no task or length 0");
	if (ret) {
		if (out)
			fail(f, "mmap failed with %d but *out is %#" PRIx64, ret, out);
		return;
	}
	if (!(flags & HN_MAP_ANONYMOUS) || (flags & HN_MAP_SHARED) || !(flags & HN_MAP_PRIVATE))
		fail(f, "mmap with flags %#x succeeded", (unsigned int)flags);
	if ((out & (f->page_size - 1)) || out < 0x10000 || out > task_size(f) - page_up(f, len) ||
	    ((flags & (HN_MAP_FIXED | HN_MAP_FIXED_NOREPLACE)) && out != addr))
		fail(f, "mmap(%#" PRIx64 ", %#" PRIx64 ", flags %#x) placed at %#" PRIx64, addr, len,
		     (unsigned int)flags, out);
	if (!vmas_cover(ft->t, out, out + page_up(f, len), prot & 7))
		fail(f, "mmap at %#" PRIx64 " +%#" PRIx64 ": not one mapping with prot %d", out, len, prot & 7);
	if ((flags & HN_MAP_POPULATE) && (prot & HN_PROT_WRITE))
		trec_add(f, ft->t, out, page_up(f, len) / f->page_size);
}

static void op_munmap(struct fz *f, struct in *in)
{
	struct ftask *ft = pick_task(f, in);
	uint64_t addr = dec_vaddr(f, in, tsk(ft)), len = dec_vlen(f, in, tsk(ft));
	int ret = (u8(in) & 1) ? hn_numa_free(tsk(ft), addr, len) : hn_munmap(tsk(ft), addr, len);

	check_errs(f, "hn_munmap", ret, R_INVAL);
	if (!ft || !len || (addr & (f->page_size - 1)))
		want_err(f, "hn_munmap", ret, -EINVAL, "no task, length 0 or an unaligned start");
	if (!ret && vmas_intersect(ft->t, addr, addr + page_up(f, len)))
		fail(f, "munmap of [%#" PRIx64 ", +%#" PRIx64 ") left a mapping there", addr, len);
}

static void op_mprotect(struct fz *f, struct in *in)
{
	struct ftask *ft = pick_task(f, in);
	uint64_t addr = dec_vaddr(f, in, tsk(ft)), len = dec_vlen(f, in, tsk(ft));
	int prot = dec_prot(in);
	int ret = hn_mprotect(tsk(ft), addr, len, prot);

	check_errs(f, "hn_mprotect", ret, R_INVAL | R_NOMEM);
	if (!ft || (addr & (f->page_size - 1)) || (prot & ~7))
		want_err(f, "hn_mprotect", ret, -EINVAL, "no task, an unaligned start or unknown bits");
	if (!ret && len && !vmas_cover(ft->t, addr, addr + page_up(f, len), prot))
		fail(f, "mprotect of [%#" PRIx64 ", +%#" PRIx64 ") to %d: the range does not have it", addr,
		     len, prot);
}

/* A page a task just got: allocated to nobody else, inside a zone, in its cpuset. */
static void check_task_page(struct fz *f, const struct ftask *ft, uint64_t pfn, const char *how)
{
	int o;

	if (!block_in_zone_of(f, pfn, 0, -1))
		fail(f, "%s mapped pfn %#" PRIx64 ", inside no zone", how, pfn);
	o = live_overlap(f, pfn, 0);
	if (o >= 0)
		fail(f, "%s mapped pfn %#" PRIx64 ", inside our block %#" PRIx64 " order %u", how, pfn,
		     f->live[o].pfn, f->live[o].order);
	if (!block_in_mems(f, pfn, 0, &ft->mems))
		fail(f, "%s mapped pfn %#" PRIx64 ", on no node of the task's cpuset", how, pfn);
}

static void op_touch(struct fz *f, struct in *in)
{
	struct ftask *ft = pick_task(f, in);
	uint64_t addr = dec_vaddr(f, in, tsk(ft)), pfn = 0, pfn0;
	bool write = u8(in) & 1;
	unsigned int fl = 0, fl0 = 0;
	bool had_page;
	int prot = 0, in_vma, ret;

	if (!ft) {
		want_err(f, "hn_task_touch", hn_task_touch(NULL, addr, write), -EINVAL, "a NULL task");
		return;
	}
	had_page = !hn_task_pte(ft->t, addr, &pfn0, &fl0) && !(fl0 & HN_PTE_ZERO);
	in_vma = vma_prot_at(ft->t, addr, &prot);
	ret = hn_task_touch(ft->t, addr, write);
	check_errs(f, "hn_task_touch", ret, R_INVAL | R_FAULT | R_ACCES | R_NOMEM);
	if (!in_vma)
		want_err(f, "hn_task_touch", ret, -EFAULT, "an address no mapping covers");
	else if (write ? !(prot & HN_PROT_WRITE) : !prot)
		want_err(f, "hn_task_touch", ret, -EACCES, "the mapping's protection");
	if (ret)
		return;
	ret = hn_task_pte(ft->t, addr, &pfn, &fl);
	if (ret || !(fl & HN_PTE_PRESENT) || !(fl & HN_PTE_YOUNG) ||
	    (write && (!(fl & HN_PTE_DIRTY) || (fl & HN_PTE_ZERO))))
		fail(f, "after a %s at %#" PRIx64 ": pte %d flags %#x", write ? "write" : "read", addr, ret, fl);
	if (fl & HN_PTE_ZERO) {
		if (pfn != HN_PFN_NONE)
			fail(f, "the zero page's pte names pfn %#" PRIx64, pfn);
		return;
	}
	if (had_page) {
		if (pfn != pfn0)
			fail(f, "a touch moved the page at %#" PRIx64 " from %#" PRIx64 " to %#" PRIx64, addr,
			     pfn0, pfn);
		return;
	}
	check_task_page(f, ft, pfn, "a write fault");
	trec_add(f, ft->t, addr & ~(f->page_size - 1), 1);
}

static void op_hmadvise(struct fz *f, struct in *in)
{
	static const int hints[] = { HN_MADV_DONTNEED, HN_MADV_PREFETCH, HN_MADV_PREFETCH, 0, 1, HN_MADV_PREFETCH | HN_MADV_DONTNEED, -1, INT_MIN };
	struct ftask *ft = pick_task(f, in);
	uint8_t b = u8(in);
	int nid = dec_nid(f, in), hint = hints[b & 7];
	uint64_t start = dec_vaddr(f, in, tsk(ft)), len = dec_vlen(f, in, tsk(ft));
	int ret;

	if (hint == HN_MADV_PREFETCH && len > TREC_PAGES * f->page_size && len <= (1ULL << 40))
		len = TREC_PAGES * f->page_size;
	ret = hn_hmadvise(tsk(ft), nid, start, len, hint);
	check_errs(f, "hn_hmadvise", ret, R_INVAL | R_NOMEM);
	if (!ft || !len || (start & (f->page_size - 1)) ||
	    (hint != HN_MADV_PREFETCH && hint != HN_MADV_DONTNEED))
		want_err(f, "hn_hmadvise", ret, -EINVAL, "no task, an empty or unaligned range, a bad hint");
	else if (hint == HN_MADV_PREFETCH && !has_memory(f, nid))
		want_err(f, "hn_hmadvise", ret, -EINVAL, "PREFETCH to a node without memory");
	/* pages moved before running out stay moved: record the range either way */
	if (ft && hint == HN_MADV_PREFETCH && (!ret || ret == -ENOMEM))
		trec_add(f, ft->t, start, page_up(f, len) / f->page_size);
	if (ret || hint != HN_MADV_PREFETCH)
		return;
	for (uint64_t a = start; a < start + page_up(f, len); a += f->page_size) {
		uint64_t pfn;
		unsigned int fl;

		if (hn_task_pte(ft->t, a, &pfn, &fl) || (fl & HN_PTE_ZERO) || !block_in_zone_of(f, pfn, 0, nid))
			fail(f, "after PREFETCH to node %d the page at %#" PRIx64 " is not there", nid, a);
	}
}

static void op_mattr(struct fz *f, struct in *in)
{
	struct ftask *ft = pick_task(f, in);
	uint8_t b = u8(in);
	hn_mattr_t m = dec_mattr(in);
	uint64_t start, len;
	int ret;

	if (b & 1) {
		ret = hn_task_set_mattr(tsk(ft), m);
		check_errs(f, "hn_task_set_mattr", ret, R_INVAL);
		if (!ft || !hn_mattr_valid(m))
			want_err(f, "hn_task_set_mattr", ret, -EINVAL, "no task or a malformed word");
		else if (ret)
			fail(f, "hn_task_set_mattr(%#x) refused a well-formed word", m);
		return;
	}
	start = dec_vaddr(f, in, tsk(ft));
	len = dec_vlen(f, in, tsk(ft));
	ret = hn_madvise_mattr(tsk(ft), start, len, m);
	check_errs(f, "hn_madvise_mattr", ret, R_INVAL | R_NOMEM);
	if (!ft || !hn_mattr_valid(m) || !len || (start & (f->page_size - 1)))
		want_err(f, "hn_madvise_mattr", ret, -EINVAL, "no task, a malformed word, a bad range");
}

static void op_task_alloc(struct fz *f, struct in *in)
{
	struct ftask *ft = pick_task(f, in);
	uint8_t ob = u8(in);
	unsigned int order = ob & 0x80 ? ob & 0x7f : (ob & 0x7f) % 4;
	hn_gfp_t gfp = dec_gfp(in);
	uint64_t pfn = HN_PFN_NONE;
	int before = f->reports;
	int ret = hn_task_alloc_pages(tsk(ft), gfp, order, &pfn);

	check_errs(f, "hn_task_alloc_pages", ret, R_INVAL | R_NODEV | R_NOSPC);
	if (f->reports != before && !((gfp & __GFP_NOFAIL) && ret == -ENOSPC))
		fail(f, "report during task alloc order %u gfp %#" PRIx64 " -> %d", order, gfp, ret);
	if (!ft)
		want_err(f, "hn_task_alloc_pages", ret, -EINVAL, "a NULL task");
	if (ret)
		return;
	if (order > f->max_order || ((gfp & __GFP_DMA) && (gfp & __GFP_DMA32)))
		fail(f, "task alloc order %u gfp %#" PRIx64 " succeeded", order, gfp);
	if (!block_in_mems(f, pfn, order, &ft->mems))
		fail(f, "task alloc %#" PRIx64 " order %u on no node of the task's cpuset", pfn, order);
	take(f, pfn, order, gfp, hn_task_node(ft->t));
}

static void op_numa_alloc(struct fz *f, struct in *in)
{
	struct ftask *ft = pick_task(f, in);
	uint8_t b = u8(in);
	uint64_t size = dec_vlen(f, in, tsk(ft)), addr = 1;
	struct hn_bitmask *bm = NULL;
	int ret, node = 0;

	switch (b & 3) {
	case 0:
		node = dec_nid(f, in);
		ret = hn_numa_alloc_onnode(tsk(ft), size, node, &addr);
		break;
	case 1:
		ret = hn_numa_alloc_interleaved(tsk(ft), size, &addr);
		break;
	case 2: {
		uint8_t nb = u8(in);

		if (nb & 0x80) {
			bm = hn_bitmask_alloc(nb & 0x40 ? HN_MAX_NUMNODES + 64 : 1 + (nb & 7));
			for (int n = 0; bm && n < 6; n++)
				if (nb >> n & 1)
					hn_bitmask_setbit(bm, (unsigned int)n);
			if (bm && (nb & 0x40))
				hn_bitmask_setbit(bm, HN_MAX_NUMNODES + (nb & 7));
		}
		ret = hn_numa_alloc_interleaved_subset(tsk(ft), size, bm, &addr);
		hn_bitmask_free(bm);
		break;
	}
	default:
		ret = hn_numa_alloc_local(tsk(ft), size, &addr);
		break;
	}
	check_errs(f, "hn_numa_alloc_*", ret, R_INVAL | R_NOMEM);
	if (!ft || !size)
		want_err(f, "hn_numa_alloc_*", ret, -EINVAL, "no task or size 0");
	if (ret) {
		if (addr)
			fail(f, "hn_numa_alloc_* failed with %d but *addr is %#" PRIx64, ret, addr);
		return;
	}
	if (!vmas_cover(ft->t, addr, addr + page_up(f, size), HN_PROT_READ | HN_PROT_WRITE))
		fail(f, "hn_numa_alloc_*: [%#" PRIx64 ", +%#" PRIx64 ") is not mapped read-write", addr, size);
	if (b & 4) {
		ret = hn_numa_free(ft->t, addr, size);
		if (ret)
			fail(f, "hn_numa_free of what hn_numa_alloc_* gave: %d", ret);
	}
}

/* numa_maps into /dev/null, and the task's queries agreeing with each other. */
static void op_task_query(struct fz *f, struct in *in)
{
	struct ftask *ft = pick_task(f, in);
	uint64_t s, e, prev = 0, addr, pfn;
	unsigned int fl;
	int n, prot, ret = hn_task_show_numa_maps(tsk(ft), f->devnull);

	check_errs(f, "hn_task_show_numa_maps", ret, R_INVAL | R_NOMEM | R_IO);
	if (!ft) {
		want_err(f, "hn_task_show_numa_maps", ret, -EINVAL, "a NULL task");
		return;
	}
	if (ret)
		return;
	n = hn_task_nr_vmas(ft->t);
	for (int i = 0; i < n; i++) {
		if (!vma_at(ft->t, i, &s, &e, &prot) || s >= e || s < prev || (s | e) & (f->page_size - 1) ||
		    e > task_size(f) || (prot & ~7))
			fail(f, "VMA %d of %d: [%#" PRIx64 ", %#" PRIx64 ") prot %d after %#" PRIx64, i, n, s, e,
			     prot, prev);
		prev = e;
	}
	if (hn_task_vma(ft->t, (unsigned int)n, &s, &e, &prot) != -ENOENT)
		fail(f, "hn_task_vma past the last mapping is not -ENOENT");
	addr = dec_vaddr(f, in, ft->t);
	ret = hn_task_pte(ft->t, addr, &pfn, &fl);
	check_errs(f, "hn_task_pte", ret, R_INVAL | R_FAULT | R_NOENT);
	if (!vma_prot_at(ft->t, addr, &prot))
		want_err(f, "hn_task_pte", ret, -EFAULT, "an address no mapping covers");
	if (!ret && !(fl & HN_PTE_ZERO) && !block_in_zone_of(f, pfn, 0, -1))
		fail(f, "the pte at %#" PRIx64 " names pfn %#" PRIx64 ", inside no zone", addr, pfn);
}

/* ---- attribute ranges (hierarchical NUMA) ---------------------------------- */

static void op_attr_range(struct fz *f, struct in *in)
{
	uint8_t b = u8(in);
	uint64_t blk = 1ULL << f->max_order, s, e;
	hn_mattr_t m;
	int ret;

	if (b & 1) {
		if (f->nr_attr && !(b & 2)) {
			int i = u8(in) % f->nr_attr;

			s = f->attr_start[i];
			f->attr_start[i] = f->attr_start[--f->nr_attr];
		} else if (f->nr_zs && (b & 4)) {
			struct hn_attr_node_info ai;
			const struct zspan *z = &f->zs[u8(in) % f->nr_zs];

			s = hn_sim_attr_node_info(f->sim, z->nid, (enum hn_zone_type)z->zt, u8(in) % 4, &ai)
				    ? z->start
				    : ai.start_pfn;
		} else {
			s = b & 8 ? u64(in) : u32(in);
		}
		ret = hn_sim_attr_range_remove(f->sim, s);
		check_errs(f, "hn_sim_attr_range_remove", ret, R_INVAL | R_NOENT | R_BUSY | R_AGAIN | R_NOTSUP);
		if (!f->booted)
			want_err(f, "hn_sim_attr_range_remove", ret, -EAGAIN, "an instance not booted");
		else if (!f->hnuma)
			want_err(f, "hn_sim_attr_range_remove", ret, -EOPNOTSUPP, "a mainline machine");
		if (!ret && (hn_sim_pfn_mattr(f->sim, s, &m) || m))
			fail(f, "after removing the attribute range at %#" PRIx64 " its word is %#x", s, m);
		return;
	}
	if (f->nr_zs && (b & 6) != 6) {
		const struct zspan *z = &f->zs[u8(in) % f->nr_zs];
		uint64_t first = (z->start + blk - 1) & ~(blk - 1);
		uint64_t nblocks = z->end > first ? (z->end - first) / blk + 1 : 1;

		s = first + (u16(in) % nblocks) * blk;
		e = s + (1 + (uint64_t)(b >> 4)) * blk;
		if ((b & 6) == 2)
			s += 1 + u8(in) % blk;
		else if ((b & 6) == 4)
			e = b & 8 ? s : s - blk;
	} else {
		s = u32(in);
		e = b & 8 ? u64(in) : s + u16(in);
	}
	m = dec_mattr(in);
	ret = hn_sim_attr_range_add(f->sim, s, e, m);
	check_errs(f, "hn_sim_attr_range_add", ret, R_INVAL | R_EXIST | R_BUSY | R_NOMEM | R_AGAIN | R_NOTSUP);
	if (!f->booted)
		want_err(f, "hn_sim_attr_range_add", ret, -EAGAIN, "an instance not booted");
	else if (!f->hnuma)
		want_err(f, "hn_sim_attr_range_add", ret, -EOPNOTSUPP, "a mainline machine");
	else if (!m || !hn_mattr_valid(m) || s >= e || ((s | e) & (blk - 1)))
		want_err(f, "hn_sim_attr_range_add", ret, -EINVAL, "a bad word or range");
	if (ret)
		return;
	for (uint64_t p = s; p < e; p += (e - s) / 2 ? (e - s) / 2 : 1) {
		hn_mattr_t got;

		if (hn_sim_pfn_mattr(f->sim, p, &got) || got != m)
			fail(f, "attribute range [%#" PRIx64 ", %#" PRIx64 ") word %#x: pfn %#" PRIx64 " has %#x", s,
			     e, m, p, got);
	}
	if (f->nr_attr < MAX_ATTR)
		f->attr_start[f->nr_attr++] = s;
}

/* ---- a tiny hn_run() ---------------------------------------------------------- */

static void op_run(struct fz *f, struct in *in)
{
	static const double thetas[] = { 0, 0.5, 0.99, 0.01, 1.0, -0.25, NAN, 0.999999 };
	struct hn_scenario *sc = &f->sc;
	uint8_t b = u8(in);
	bool bad = false;
	int ret;

	memset(sc, 0, sizeof(*sc));
	snprintf(sc->name, sizeof(sc->name), "fuzz");
	sc->nr_tasks = (b & 3) < 3 ? 1 + (b & 1) : (b & 4 ? HN_RUN_MAX_TASKS + 1 : 0);
	sc->epoch_ns = (b >> 4) % 4 == 1 ? 1 : (b >> 4) % 4 == 2 ? UINT64_MAX : 0;
	bad = !sc->nr_tasks || sc->nr_tasks > HN_RUN_MAX_TASKS;
	for (unsigned int i = 0; i < sc->nr_tasks && i < 2; i++) {
		struct hn_run_task *d = &sc->task[i];
		const unsigned int sizes[] = { 0, 0, 64, 1, (unsigned int)f->page_size, 3,
					       2 * (unsigned int)f->page_size, 4096 };
		uint8_t tb = u8(in), pb;

		d->cpu = dec_cpu(f, in);
		d->policy = dec_mode(in);
		d->nodes = u8(in);
		d->working_set = tb & 0x80 ? u16(in) : (1 + (tb & 15)) * f->page_size;
		d->access_size = sizes[(tb >> 4) & 7];
		pb = u8(in);
		d->nr_phases = (pb & 3) == 3 ? (pb & 4 ? HN_RUN_MAX_PHASES + 1 : 0) : 1 + (pb & 1);
		bad |= !cpu_exists(f, d->cpu) || !d->working_set || !d->nr_phases ||
		       d->nr_phases > HN_RUN_MAX_PHASES ||
		       (d->access_size && (d->access_size > f->page_size || (d->access_size & (d->access_size - 1))));
		for (unsigned int p = 0; p < d->nr_phases && p < 2; p++) {
			struct hn_run_phase *ph = &d->phase[p];
			uint8_t kb = u8(in), w = u8(in);

			ph->kind = (enum hn_workload_kind)((kb & 7) % 5);
			ph->accesses = kb & 0x80 ? 0 : 1 + u8(in) % 32;
			ph->write_pct = w <= 100 ? w : w > 250 ? 101 : w % 101;
			ph->zipf_theta = thetas[(kb >> 3) & 7];
			/* theta 0 means the default; otherwise it must lie in (0, 1), NaN included */
			bad |= ph->kind >= HN_WL_NR_KINDS || !ph->accesses || ph->write_pct > 100 ||
			       !(ph->zipf_theta == 0 || (ph->zipf_theta > 0 && ph->zipf_theta < 1));
		}
	}
	ret = hn_run(f->sim, sc, &f->rr, NULL);
	check_errs(f, "hn_run", ret, R_INVAL | R_AGAIN | R_NOMEM | R_NOSPC);
	if (!f->booted)
		want_err(f, "hn_run", ret, -EAGAIN, "an instance not booted");
	else if (bad)
		want_err(f, "hn_run", ret, -EINVAL, "a bad scenario");
	if (ret)
		return;
	if (f->rr.nr_tasks != sc->nr_tasks)
		fail(f, "hn_run: %u tasks in the result, %u run", f->rr.nr_tasks, sc->nr_tasks);
	for (unsigned int i = 0; i < sc->nr_tasks; i++) {
		const struct hn_run_task_result *r = &f->rr.task[i];
		uint64_t want = 0, bytes = 0;
		unsigned int size = sc->task[i].access_size ? sc->task[i].access_size : 64;

		for (unsigned int p = 0; p < sc->task[i].nr_phases; p++)
			want += sc->task[i].phase[p].accesses;
		for (int n = 0; n < HN_RUN_MAX_NODES; n++)
			bytes += r->bytes[n];
		if (r->accesses != want || r->writes > r->accesses || r->local + r->remote != r->accesses ||
		    r->faults > r->accesses || r->cpu != sc->task[i].cpu ||
		    (f->nr_nodes <= HN_RUN_MAX_NODES && bytes != want * size))
			fail(f, "hn_run task %u: %" PRIu64 " accesses of %" PRIu64 ", %" PRIu64 " writes, %" PRIu64
			     " local, %" PRIu64 " remote, %" PRIu64 " faults, %" PRIu64 " bytes", i, r->accesses, want,
			     r->writes, r->local, r->remote, r->faults, bytes);
	}
}

/* ---- weights and the newer views --------------------------------------------- */

static void op_il_weight(struct fz *f, struct in *in)
{
	int nid = dec_nid(f, in);
	uint8_t w = u8(in);
	int ret = hn_sim_set_il_weight(f->sim, nid, w), got;

	check_errs(f, "hn_sim_set_il_weight", ret, R_INVAL);
	if (nid < 0 || nid >= f->nr_nodes)
		want_err(f, "hn_sim_set_il_weight", ret, -EINVAL, "a node out of range");
	got = hn_sim_il_weight(f->sim, nid);
	if (ret ? got != -EINVAL : got != (w ? w : 1))
		fail(f, "il_weight of node %d is %d after setting %u -> %d", nid, got, w, ret);
}

static void op_views2(struct fz *f, struct in *in)
{
	uint8_t b = u8(in);
	int ret;

	switch (b & 7) {
	case 0:
	case 1:
		ret = hn_sim_show_numastat(f->sim, f->devnull, b & 1);
		check_errs(f, "hn_sim_show_numastat", ret, R_INVAL | R_AGAIN | R_IO);
		break;
	case 2:
		ret = b & 8 ? hn_sim_dot_attrs(f->sim, f->devnull) : hn_sim_show_attrs(f->sim, f->devnull);
		check_errs(f, "hn_sim_show_attrs", ret, R_INVAL | R_AGAIN | R_IO);
		break;
	case 3: {
		uint8_t ob = u8(in);
		hn_gfp_t gfp = dec_gfp(in);
		int nid = dec_nid(f, in);

		if (b & 8)
			gfp |= (hn_gfp_t)dec_mattr(in) << HN_GFP_MATTR_SHIFT;
		ret = hn_sim_explain_attr(f->sim, gfp, ob % 12, nid, f->devnull);
		check_errs(f, "hn_sim_explain_attr", ret, R_INVAL | R_NODEV | R_AGAIN | R_NOTSUP | R_IO);
		break;
	}
	case 4: {
		hn_mattr_t m;
		uint64_t pfn;

		if (f->nr_zs && !(b & 8)) {
			const struct zspan *z = &f->zs[u8(in) % f->nr_zs];

			pfn = z->start + u32(in) % (z->end - z->start);
		} else {
			pfn = b & 16 ? u64(in) : u32(in);
		}
		ret = hn_sim_pfn_mattr(f->sim, pfn, &m);
		check_errs(f, "hn_sim_pfn_mattr", ret, R_INVAL | R_AGAIN | R_NOENT);
		if (!ret && !f->hnuma && m)
			fail(f, "a mainline machine has word %#x at pfn %#" PRIx64, m, pfn);
		break;
	}
	default: {
		struct hn_attr_node_info ai;
		int nid = dec_nid(f, in);
		int zt = (int)(u8(in) % (HN_MAX_NR_ZONES + 2)) - 1;
		unsigned int i = u8(in) % 8;

		ret = hn_sim_attr_node_info(f->sim, nid, (enum hn_zone_type)zt, i, &ai);
		check_errs(f, "hn_sim_attr_node_info", ret, R_INVAL | R_NODEV | R_NOENT | R_AGAIN);
		if (!ret && (!f->hnuma || ai.free_pages > ai.managed_pages || ai.start_pfn >= ai.end_pfn))
			fail(f, "attribute node [%#" PRIx64 ", %#" PRIx64 ") free %" PRIu64 " managed %" PRIu64,
			     ai.start_pfn, ai.end_pfn, ai.free_pages, ai.managed_pages);
		break;
	}
	}
}

/*
 * The extended opcodes, 0x80 + k: k (mod 32) through this table.  The
 * first twenty are each call once; the rest repeat the frequent ones.
 */
enum xop {
	X_TASK_CREATE,
	X_TASK_EXIT,
	X_TASK_SET_CPU,
	X_TASK_MEMS,
	X_SET_MEMPOLICY,
	X_GET_MEMPOLICY,
	X_MBIND,
	X_MMAP,
	X_MUNMAP,
	X_MPROTECT,
	X_TOUCH,
	X_HMADVISE,
	X_MATTR,
	X_TASK_ALLOC,
	X_NUMA_ALLOC,
	X_TASK_QUERY,
	X_ATTR_RANGE,
	X_RUN,
	X_IL_WEIGHT,
	X_VIEWS2,
	X_NR,
};

static const uint8_t xop_table[32] = {
	X_TASK_CREATE, X_TASK_EXIT, X_TASK_SET_CPU, X_TASK_MEMS, X_SET_MEMPOLICY, X_GET_MEMPOLICY,
	X_MBIND, X_MMAP, X_MUNMAP, X_MPROTECT, X_TOUCH, X_HMADVISE, X_MATTR, X_TASK_ALLOC,
	X_NUMA_ALLOC, X_TASK_QUERY, X_ATTR_RANGE, X_RUN, X_IL_WEIGHT, X_VIEWS2,
	X_MMAP, X_TOUCH, X_TOUCH, X_TASK_CREATE, X_SET_MEMPOLICY, X_MBIND, X_ATTR_RANGE,
	X_TASK_ALLOC, X_TOUCH, X_MMAP, X_GET_MEMPOLICY, X_TASK_EXIT,
};

static void op_extended(struct fz *f, uint8_t op, struct in *in)
{
	static const char *const names[X_NR] = {
		"task create", "task exit", "task set_cpu", "set_mems_allowed", "set_mempolicy",
		"get_mempolicy", "mbind", "mmap", "munmap", "mprotect", "touch", "hmadvise",
		"mattr", "task alloc", "numa_alloc", "task query", "attr range", "run",
		"il_weight", "views2",
	};
	enum xop x = (enum xop)xop_table[(op - 0x80) % 32];

	f->what = names[x];
	switch (x) {
	case X_TASK_CREATE:
		op_task_create(f, in);
		break;
	case X_TASK_EXIT:
		op_task_exit(f, in);
		break;
	case X_TASK_SET_CPU:
		op_task_set_cpu(f, in);
		break;
	case X_TASK_MEMS:
		op_task_mems(f, in);
		break;
	case X_SET_MEMPOLICY:
		op_set_mempolicy(f, in);
		break;
	case X_GET_MEMPOLICY:
		op_get_mempolicy(f, in);
		break;
	case X_MBIND:
		op_mbind(f, in);
		break;
	case X_MMAP:
		op_mmap(f, in);
		break;
	case X_MUNMAP:
		op_munmap(f, in);
		break;
	case X_MPROTECT:
		op_mprotect(f, in);
		break;
	case X_TOUCH:
		op_touch(f, in);
		break;
	case X_HMADVISE:
		op_hmadvise(f, in);
		break;
	case X_MATTR:
		op_mattr(f, in);
		break;
	case X_TASK_ALLOC:
		op_task_alloc(f, in);
		break;
	case X_NUMA_ALLOC:
		op_numa_alloc(f, in);
		break;
	case X_TASK_QUERY:
		op_task_query(f, in);
		break;
	case X_ATTR_RANGE:
		op_attr_range(f, in);
		break;
	case X_RUN:
		op_run(f, in);
		break;
	case X_IL_WEIGHT:
		op_il_weight(f, in);
		break;
	default:
		op_views2(f, in);
		break;
	}
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
	f->ext = (mb & 0x30) == 0x30;
	if (f->ext) {
		static const char *const match[] = { NULL, "slides", "slides-tree", "weighted", "lexicographic", "linear", NULL, NULL };
		uint8_t xb = u8(in);

		if (mb & 0x40)
			cfg.flags |= HN_SIM_HNUMA;
		cfg.attr_match = match[xb & 7];
		for (int p = 0; (xb & 8) && p < 6; p++)
			cfg.attr_weights[p] = 1 + (unsigned int)((xb >> 4) + 3 * p) % 8;
	}
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
	f->hnuma = cfg.flags & HN_SIM_HNUMA;
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
	f->page_size = 1ULL << hn_sim_page_shift(f->sim);
	if (f->ext) {
		f->mbuf = malloc(f->page_size);	/* exactly a page: ASan sees a read past it */
		if (!f->mbuf)
			return -1;
	}
	if (f->booted)
		learn_zones(f);
	return 0;
}

/*
 * Every task gone, every block freed and the lists drained: each zone, and
 * each attribute node, is whole again.
 */
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
			for (unsigned int i = 0; f->hnuma; i++) {
				struct hn_attr_node_info ai;

				if (hn_sim_attr_node_info(f->sim, nid, (enum hn_zone_type)zt, i, &ai))
					break;
				if (ai.free_pages != ai.managed_pages)
					fail(f, "node %d zone %s attribute node %u: %" PRIu64 " free of %" PRIu64
					     " managed after freeing all", nid, zi.name, i, ai.free_pages,
					     ai.managed_pages);
			}
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

		if (f->ext && op >= 0x80) {
			op_extended(f, op, &in);
			goto checks;
		}
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
checks:
		if (f->trace)
			fprintf(stderr, "op %d: %s (%d live, %d tasks)\n", f->op, f->what, f->nr_live, f->nr_tasks);
		if (f->reports != before && strcmp(f->what, "alloc") && strcmp(f->what, "bulk") &&
		    strcmp(f->what, "task alloc"))
			fail(f, "unexpected report");
		if (hn_sim_check(f->sim))
			fail(f, "hn_sim_check failed");
	}
	f->what = "teardown";
	while (f->nr_tasks)
		task_exit(f, f->nr_tasks - 1);
	if (hn_sim_check(f->sim))
		fail(f, "hn_sim_check failed after the tasks exited");
	while (f->nr_live)
		free_live(f, f->nr_live - 1);
	check_all_free(f);
	if (hn_sim_check(f->sim))
		fail(f, "hn_sim_check failed at the end");
out:
	hn_sim_destroy(f->sim);
	hn_machine_free(f->machine);
	fclose(f->devnull);
	free(f->mbuf);
	free(f);
	return 0;
}

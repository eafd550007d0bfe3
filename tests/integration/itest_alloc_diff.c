/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * itest_alloc_diff - the page allocator against a trivially correct model,
 * run by Check in fork mode (one process per seed).
 *
 * The model is one byte per pfn of the machine, "1 while we hold it", plus
 * the list of blocks we hold.  A long random sequence of operations drives
 * both: alloc (orders 0..MAX_PAGE_ORDER, weighted toward small; mixed gfp;
 * any preferred node or NUMA_NO_NODE; sometimes a nodemask), free of a
 * random live block, bulk allocation of 1..64 pages with some entries
 * already filled, drain (local or all), set_cpu, and now and then a bad
 * free that must be refused without changing anything.  After each
 * operation the result is checked against the request:
 *
 *   a returned block of order o      pfn % 2^o == 0
 *   lies in one zone of one node     [pfn, pfn + 2^o) inside one zone span
 *   is not held already              model[pfn .. pfn + 2^o) all 0
 *   respects the request             zone index <= gfp_zone(gfp); node in the
 *                                    nodemask (except where the kernel's slow
 *                                    path drops it: GFP_ATOMIC); node ==
 *                                    preferred with THISNODE
 *   a free of a live block           returns 0
 *   no report fires                  the report hook stays silent (debug_vm
 *                                    runs hn_sim_check() after every call)
 *
 * and every DRAIN_EVERY operations, after draining every per-CPU list:
 *
 *   for every zone z:  managed(z) - free(z) == pages the model holds in z
 *
 * plus hn_sim_check() == 0 every CHECK_EVERY operations.  Two oracles
 * follow the fast path's logic without copying it: a zone that clears its
 * low watermark by a wide margin ("plenty", first_plenty()) cannot be
 * passed over, so a request is served from it or from a zone before it in
 * zonelist order (the preferred node first, the highest zone first) and
 * never fails; and after an order-0 failure the eligible zones, drained,
 * really are at their reserves (no spurious -ENOSPC).  Bulk allocation is
 * held to the kernel's contract: *nr_populated is the filled prefix of the
 * array, and a short preferred node makes it fall back to one page.  At
 * the end everything is freed and every zone must be back to free ==
 * managed.  (Not compared with the boot buddyinfo: highatomic pageblocks
 * reserved by GFP_ATOMIC stay reserved and do not merge, as in the kernel.)
 *
 * The hierarchical-NUMA run (TCase "hnuma") boots the same two sockets with
 * an HBM and a CXL device beside each node's DRAM and HN_SIM_HNUMA, so each
 * Normal zone holds two attribute nodes, and a third of the requests carry
 * attributes (one property or two, half of them __GFP_MATTR_FALLBACK).  On
 * top of the checks above:
 *
 *   a plain request                  never lands on an attribute node
 *   an attribute request             lands on the node an independent
 *                                    implementation of the slides' rule
 *                                    picks in an eligible zone, or on
 *                                    plain memory only with the fallback
 *   no block straddles a node edge   [pfn, pfn + 2^o) in one node or none
 *   hn_sim_pfn_mattr()               agrees with the model's node map
 *   per attribute node               managed - free == pages held there
 *
 * The fast-path oracles (plenty, no spurious failure) judge plain requests
 * only: an attribute request's zones are its nodes, not the zone figures.
 *
 * The task run (TCase "tasks") mixes in two simulated tasks that map
 * anonymous regions (1-64 pages) under random policies (default, BIND,
 * PREFERRED, INTERLEAVE over random nodes), write random pages of them and
 * unmap them.  Each faulted page joins the model like an allocated block
 * (no overlap with anything held, counted in its zone), a BIND fault lands
 * on a bound node, and each unmap gives its pages back; at the end the
 * tasks exit and every zone must be whole again: faults and munmaps leak
 * nothing.
 *
 * Sizes: HN_DIFF_OPS operations per seed (default 250000), HN_DIFF_SEEDS
 * seeds (default 4; the fixed list is extended deterministically), and
 * HN_TEST_SEED=<n> replays one seed.  Every failure message carries the
 * seed, the operation index and the environment that replays it.
 *
 * Machine: two x86 sockets of 1 GiB, CPUs 0-1 and 2-3.  Even seeds let the
 * layout place node 1 right after node 0 (both nodes below 4 GiB: DMA and
 * DMA32 on node 0, DMA32 only on node 1); odd seeds put node 1 at 4 GiB
 * (node 1 is all ZONE_NORMAL, so GFP_DMA32|__GFP_THISNODE there must fail).
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hnuma.h>
#include <hnuma/alloc.h>
#include <hnuma/mempolicy.h>

#define GiB (1ULL << 30)

#define DEFAULT_OPS 250000
#define DEFAULT_SEEDS 4
#define DRAIN_EVERY 1000
#define CHECK_EVERY 1000
#define MAX_BULK 64
#define FREED_RING 64
#define MAX_ZSPANS 16
#define MAX_ANODES 16
#define MAX_REGIONS 32
#define NR_TASKS 2
#define MiB (1ULL << 20)

static const uint64_t fixed_seeds[] = {
	1, 2, 0x5eed, 0xc0ffee, 20261121, 0xdeadbeef0ULL, 77, 0x1234567890abcdeeULL,
};

/* splitmix64: the op sequence has its own PRNG, independent of the library's. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int rnd_below(uint64_t *s, unsigned int n)
{
	return (unsigned int)(rnd(s) % n);
}

struct zspan {
	int nid;
	int zt;
	uint64_t start, end;	/* [start, end): the zone's span */
	uint64_t managed;
	uint64_t held;		/* pages of this zone the model holds */
};

struct blk {
	uint64_t pfn;
	unsigned int order;
};

/* An attribute node, from hn_sim_attr_node_info() at boot. */
struct anode {
	int nid, zt;
	uint64_t start, end;
	uint64_t managed;
	uint64_t held;
	hn_mattr_t mattr;
	unsigned int key;
};

struct diff {
	struct hn_sim *sim;
	struct hn_machine *machine;
	uint64_t seed;
	uint64_t op;		/* index of the operation being checked */
	uint64_t rng;
	int nr_nodes;
	unsigned int nr_cpus;
	unsigned int cpu;	/* the model's idea of the current CPU */
	unsigned int max_order;
	struct zspan zs[MAX_ZSPANS];
	int nr_zs;
	uint64_t end_pfn;	/* one past the highest pfn of any zone */
	bool hnuma;
	bool tasks;
	struct hn_task *task[NR_TASKS];
	struct region {
		int task;
		uint64_t addr, pages;
		int mode;
		unsigned long nodes;
	} rg[MAX_REGIONS];
	int nr_rg;
	uint64_t task_pages, n_faults, n_unmaps;
	uint64_t migrated;	/* pgmigrate_success when the model last followed the pages */
	struct anode an[MAX_ANODES];
	int nr_an;
	uint64_t n_attr_ok, n_attr_fallback;
	uint8_t *held;		/* [end_pfn]: 1 while the model holds the page */
	uint64_t held_pages;
	struct blk *live;
	size_t nr_live, cap_live;
	struct blk freed[FREED_RING];
	unsigned int nr_freed;
	/* report hook and log sink */
	int reports;
	char last_reason[64];
	char last_log[256];
	/* what happened, for the summary line and the determinism digest */
	uint64_t digest;
	uint64_t n_alloc_ok, n_alloc_fail, n_free, n_bulk_pages, n_bad_free, n_drain;
};

static void diff_fail(const struct diff *d, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

static void diff_fail(const struct diff *d, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ck_abort_msg("line %d: seed %" PRIu64 " op %" PRIu64 ": %s (last report: '%s'; last log: '%s'; "
		     "replay with HN_TEST_SEED=%" PRIu64 " HN_DIFF_OPS=%" PRIu64 ")",
		     line, d->seed, d->op, msg, d->last_reason, d->last_log, d->seed, d->op + 1);
	abort(); /* not reached: ck_abort_msg does not return */
}

#define DIFF_ASSERT(d, cond, ...)                               \
	do {                                                    \
		if (!(cond))                                    \
			diff_fail((d), __LINE__, __VA_ARGS__);  \
	} while (0)

static void report_hook(void *ctx, const struct hn_report *r)
{
	struct diff *d = ctx;

	d->reports++;
	snprintf(d->last_reason, sizeof(d->last_reason), "%s", r->reason ? r->reason : "(null)");
}

static void log_hook(void *ctx, enum hn_log_level level, const char *msg)
{
	struct diff *d = ctx;

	(void)level;
	snprintf(d->last_log, sizeof(d->last_log), "%s", msg);
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long x;

	if (!v || !*v)
		return dflt;
	x = strtoull(v, &end, 0);
	return *end ? dflt : (uint64_t)x;
}

static uint64_t seed_for(int i)
{
	const char *replay = getenv("HN_TEST_SEED");
	uint64_t s;

	if (replay && *replay)
		return env_u64("HN_TEST_SEED", 1);
	if (i < (int)(sizeof(fixed_seeds) / sizeof(fixed_seeds[0])))
		return fixed_seeds[i];
	s = (uint64_t)i;
	return rnd(&s);
}

static int nr_seeds(void)
{
	if (getenv("HN_TEST_SEED") && *getenv("HN_TEST_SEED"))
		return 1;
	return (int)env_u64("HN_DIFF_SEEDS", DEFAULT_SEEDS);
}

/* ---- the machine ------------------------------------------------------- */

static struct hn_machine *two_sockets_1g(bool node1_at_4g)
{
	struct hn_machine *m;
	struct hn_memdev_desc d[2];
	struct hn_initiator_desc c[2];

	for (int n = 0; n < 2; n++) {
		memset(&d[n], 0, sizeof(d[n]));
		snprintf(d[n].name, sizeof(d[n].name), "dram%d", n);
		d[n].kind = HN_MEM_DRAM;
		d[n].nid = n;
		d[n].base = HN_ADDR_AUTO;
		d[n].size = GiB;
		d[n].read_latency_ns = 90;
		d[n].read_bw_mbps = 50000;
		memset(&c[n], 0, sizeof(c[n]));
		c[n].kind = HN_INIT_CPU;
		c[n].nid = n;
		snprintf(c[n].name, sizeof(c[n].name), "socket%d", n);
		snprintf(c[n].cpus, sizeof(c[n].cpus), "%d-%d", 2 * n, 2 * n + 1);
	}
	if (node1_at_4g) {
		d[0].base = 0;
		d[1].base = 4 * GiB;
	}
	ck_assert_int_eq(hn_machine_new(&m, node1_at_4g ? "diff-4g" : "diff-low"), 0);
	for (int n = 0; n < 2; n++) {
		ck_assert_int_eq(hn_machine_add_memdev(m, &d[n]), 0);
		ck_assert_int_eq(hn_machine_add_initiator(m, &c[n]), 0);
	}
	ck_assert_int_eq(hn_machine_set_distance(m, 0, 1, 21), 0);
	return m;
}

/* A word with all six levels given, as memory has. */
static hn_mattr_t word6(unsigned int lat, unsigned int bw, unsigned int rel, unsigned int pwr,
			unsigned int cmp, unsigned int den)
{
	const unsigned int levels[6] = { lat, bw, rel, pwr, cmp, den };
	hn_mattr_t m = 0;

	ck_assert_int_eq(hn_mattr_make(levels, &m), 0);
	return m;
}

/*
 * The two sockets of two_sockets_1g(false), and beside each node's DRAM an
 * HBM and a CXL device of 256 MiB with explicit words that differ between
 * the nodes, placed by the layout.
 */
static struct hn_machine *two_sockets_hier(void)
{
	struct hn_machine *m = two_sockets_1g(false);
	const hn_mattr_t words[2][2] = {
		{ word6(14, 16, 12, 6, 1, 8), word6(8, 6, 11, 9, 1, 10) },
		{ word6(13, 15, 12, 7, 1, 8), word6(6, 5, 12, 10, 1, 12) },
	};

	for (int n = 0; n < 2; n++) {
		for (int k = 0; k < 2; k++) {
			struct hn_memdev_desc dev;

			memset(&dev, 0, sizeof(dev));
			snprintf(dev.name, sizeof(dev.name), "%s%d", k ? "cxl" : "hbm", n);
			dev.kind = k ? HN_MEM_CXL : HN_MEM_HBM;
			dev.nid = n;
			dev.base = HN_ADDR_AUTO;
			dev.size = 256 * MiB;
			dev.read_latency_ns = k ? 250 : 110;
			dev.read_bw_mbps = k ? 30000 : 400000;
			dev.mattr = words[n][k];
			ck_assert_int_eq(hn_machine_add_memdev(m, &dev), 0);
		}
	}
	return m;
}

static void diff_init(struct diff *d, uint64_t seed, bool hnuma, bool tasks)
{
	struct hn_sim_config cfg = { .seed = seed };
	int ret;

	memset(d, 0, sizeof(*d));
	d->seed = seed;
	d->rng = seed ^ 0xa110cd1ffULL;
	d->hnuma = hnuma;
	d->machine = hnuma ? two_sockets_hier() : two_sockets_1g(seed & 1);
	if (hnuma)
		cfg.flags = HN_SIM_HNUMA;
	cfg.report = report_hook;
	cfg.report_ctx = d;
	cfg.log = (struct hn_log_sink){ log_hook, d };
	ret = hn_sim_create(&d->sim, d->machine, &cfg);
	DIFF_ASSERT(d, ret == 0, "hn_sim_create: %s", hn_strerror(ret));
	d->nr_nodes = hn_sim_nr_node_ids(d->sim);
	d->nr_cpus = hn_sim_nr_cpu_ids(d->sim);
	d->max_order = hn_sim_max_page_order(d->sim);
	DIFF_ASSERT(d, d->nr_nodes == 2 && d->nr_cpus == 4, "machine has %d nodes, %u cpus",
		    d->nr_nodes, d->nr_cpus);
	for (int nid = 0; nid < d->nr_nodes; nid++) {
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			struct hn_zone_info zi;

			if (hn_sim_zone_info(d->sim, nid, (enum hn_zone_type)z, &zi) || !zi.spanned_pages)
				continue;
			ck_assert_int_lt(d->nr_zs, MAX_ZSPANS);
			d->zs[d->nr_zs++] = (struct zspan){ .nid = nid, .zt = z,
							    .start = zi.zone_start_pfn,
							    .end = zi.zone_start_pfn + zi.spanned_pages,
							    .managed = zi.managed_pages };
			if (zi.zone_start_pfn + zi.spanned_pages > d->end_pfn)
				d->end_pfn = zi.zone_start_pfn + zi.spanned_pages;
		}
	}
	for (int nid = 0; hnuma && nid < d->nr_nodes; nid++) {
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			struct hn_attr_node_info ai;

			for (unsigned int i = 0;
			     !hn_sim_attr_node_info(d->sim, nid, (enum hn_zone_type)z, i, &ai); i++) {
				ck_assert_int_lt(d->nr_an, MAX_ANODES);
				d->an[d->nr_an++] = (struct anode){ .nid = nid, .zt = z,
								    .start = ai.start_pfn, .end = ai.end_pfn,
								    .managed = ai.managed_pages,
								    .mattr = ai.mattr, .key = ai.key };
			}
		}
	}
	DIFF_ASSERT(d, !hnuma || d->nr_an == 4, "the machine has %d attribute nodes, not 4", d->nr_an);
	d->held = calloc(d->end_pfn, 1);
	ck_assert_ptr_nonnull(d->held);
	d->tasks = tasks;
	for (int i = 0; i < NR_TASKS && tasks; i++)
		DIFF_ASSERT(d, hn_task_create(d->sim, (unsigned int)(2 * i), &d->task[i]) == 0, "task");
	d->cap_live = 1024;
	d->live = malloc(d->cap_live * sizeof(*d->live));
	ck_assert_ptr_nonnull(d->live);
	d->cpu = hn_sim_current_cpu(d->sim);
	d->digest = 0xcbf29ce484222325ULL;
}

static void diff_destroy(struct diff *d)
{
	hn_sim_destroy(d->sim);
	hn_machine_free(d->machine);
	free(d->held);
	free(d->live);
}

static void fold(struct diff *d, uint64_t v)
{
	d->digest = (d->digest ^ v) * 0x100000001b3ULL;
}

/* ---- the model --------------------------------------------------------- */

/*
 * gfp_zone() for x86_64 (GFP_ZONE_TABLE): DMA, DMA32, MOVABLE for
 * HIGHMEM|MOVABLE, NORMAL otherwise (HIGHMEM alone is NORMAL on 64-bit).
 */
static int model_gfp_zone(hn_gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return HN_ZONE_DMA;
	if (gfp & __GFP_DMA32)
		return HN_ZONE_DMA32;
	if ((gfp & (__GFP_HIGHMEM | __GFP_MOVABLE)) == (__GFP_HIGHMEM | __GFP_MOVABLE))
		return HN_ZONE_MOVABLE;
	return HN_ZONE_NORMAL;
}

static struct zspan *zspan_of(struct diff *d, uint64_t pfn)
{
	for (int i = 0; i < d->nr_zs; i++)
		if (d->zs[i].start <= pfn && pfn < d->zs[i].end)
			return &d->zs[i];
	return NULL;
}

static struct anode *anode_of(struct diff *d, uint64_t pfn)
{
	for (int i = 0; i < d->nr_an; i++)
		if (d->an[i].start <= pfn && pfn < d->an[i].end)
			return &d->an[i];
	return NULL;
}

/*
 * The slides' rule, written from its description and nothing else: one
 * property, the distance is the node's level minus the requested one;
 * several, the node's key minus the sum of the requested levels.  Least
 * |distance|, then a node above before one below, then the lower key, then
 * the lower start pfn.  Among the attribute nodes of one zone.
 */
static const struct anode *model_match(const struct diff *d, int nid, int zt, hn_mattr_t want)
{
	unsigned int present = (want >> 24) & 0x3f;
	const struct anode *best = NULL;
	long best_d = 0;

	for (int i = 0; i < d->nr_an; i++) {
		const struct anode *a = &d->an[i];
		long dist;
		bool wins;

		if (a->nid != nid || a->zt != zt)
			continue;
		if (!(present & (present - 1))) {
			enum hn_mattr_prop p = (enum hn_mattr_prop)__builtin_ctz(present);

			dist = (long)hn_mattr_level(a->mattr, p) - (long)hn_mattr_level(want, p);
		} else {
			long cum = 0;

			for (int p = 0; p < 6; p++)
				cum += hn_mattr_level(want, (enum hn_mattr_prop)p);
			dist = (long)a->key - cum;
		}
		if (!best)
			wins = true;
		else if (labs(dist) != labs(best_d))
			wins = labs(dist) < labs(best_d);
		else if ((dist >= 0) != (best_d >= 0))
			wins = dist >= 0;
		else if (a->key != best->key)
			wins = a->key < best->key;
		else
			wins = a->start < best->start;
		if (wins) {
			best = a;
			best_d = dist;
		}
	}
	return best;
}

struct req {
	hn_gfp_t gfp;
	unsigned int order;
	int pref;			/* as passed: a nid or HN_NUMA_NO_NODE */
	int eff_pref;			/* the node it means */
	bool use_mask;
	struct hn_nodemask mask;
};

static bool has_attrs(const struct req *rq)
{
	return rq->gfp & __GFP_MATTR_MASK;
}

static void describe(const struct req *rq, char *buf, size_t len)
{
	char g[160];

	hn_gfp_format(rq->gfp, g, sizeof(g));
	snprintf(buf, len, "order %u gfp %s pref %d (eff %d) mask %s%" PRIx64, rq->order, g, rq->pref,
		 rq->eff_pref, rq->use_mask ? "0x" : "none ", rq->use_mask ? rq->mask.bits[0] : 0);
}

/*
 * Whether the nodemask binds the whole allocation.  It does not for a
 * non-blocking __GFP_HIGH request (GFP_ATOMIC) or one allowed to dip into
 * the reserves: the kernel's slow path drops ALLOC_CPUSET for those
 * (gfp_to_alloc_flags(): "Ignore cpuset mems for non-blocking __GFP_HIGH
 * ... rather than fail") and then resets ac->nodemask to NULL ("memory
 * policies can be ignored.  These allocations are high priority and system
 * rather than user oriented").  __GFP_THISNODE still binds: its zonelist
 * holds only the preferred node.
 */
static bool nodemask_binds(hn_gfp_t gfp)
{
	if (!(gfp & __GFP_DIRECT_RECLAIM) && (gfp & __GFP_HIGH))
		return false;
	if ((gfp & __GFP_MEMALLOC) && !(gfp & __GFP_NOMEMALLOC))
		return false;
	return true;
}

/* Where a block landed, for a hierarchical-NUMA run: the table in the header. */
static void check_attr_block(struct diff *d, const struct req *rq, uint64_t pfn, unsigned int order,
			     const char *what)
{
	const struct anode *a = anode_of(d, pfn), *m;
	hn_mattr_t want = (hn_mattr_t)((rq->gfp & __GFP_MATTR_MASK) >> HN_GFP_MATTR_SHIFT);
	hn_mattr_t word = 0xdead;

	DIFF_ASSERT(d, hn_sim_pfn_mattr(d->sim, pfn, &word) == 0 && word == (a ? a->mattr : 0),
		    "hn_sim_pfn_mattr(%#" PRIx64 ") = %#x, the model says %#x", pfn, word, a ? a->mattr : 0);
	DIFF_ASSERT(d, anode_of(d, pfn + (1ULL << order) - 1) == a,
		    "block %#" PRIx64 " order %u straddles an attribute node's edge (%s)", pfn, order, what);
	if (!want) {
		DIFF_ASSERT(d, !a, "a plain request landed on attribute node %#x at %#" PRIx64 " (%s)",
			    a ? a->mattr : 0, pfn, what);
		return;
	}
	if (!a) {
		DIFF_ASSERT(d, rq->gfp & __GFP_MATTR_FALLBACK,
			    "an attribute request without __GFP_MATTR_FALLBACK landed on plain memory %#" PRIx64
			    " (%s)", pfn, what);
		d->n_attr_fallback++;
		return;
	}
	m = model_match(d, a->nid, a->zt, want);
	DIFF_ASSERT(d, m == a, "attribute request %#x served by node %#x (key %u) at %#" PRIx64
		    "; in that zone the rule picks %#x (%s)", want, a->mattr, a->key, pfn,
		    m ? m->mattr : 0, what);
	d->n_attr_ok++;
}

static void follow_migrations(struct diff *d);

/*
 * A block the allocator returned: check it against the request and take it.
 * Direct compaction inside that allocation may have moved task pages out of
 * the very range it returned, so the model follows migrations first.
 */
static void take_block(struct diff *d, const struct req *rq, uint64_t pfn, unsigned int order)
{
	uint64_t n = 1ULL << order;
	struct zspan *z;
	char what[256];

	follow_migrations(d);
	describe(rq, what, sizeof(what));
	DIFF_ASSERT(d, pfn != HN_PFN_NONE && pfn < d->end_pfn, "pfn %#" PRIx64 " outside the machine (%s)",
		    pfn, what);
	DIFF_ASSERT(d, (pfn & (n - 1)) == 0, "pfn %#" PRIx64 " not aligned to order %u (%s)", pfn, order,
		    what);
	z = zspan_of(d, pfn);
	DIFF_ASSERT(d, z, "pfn %#" PRIx64 " in no zone (%s)", pfn, what);
	DIFF_ASSERT(d, pfn + n <= z->end, "block %#" PRIx64 "+%" PRIu64 " crosses the end of node %d zone %d (%s)",
		    pfn, n, z->nid, z->zt, what);
	DIFF_ASSERT(d, z->zt <= model_gfp_zone(rq->gfp), "block %#" PRIx64 " in zone %d above gfp_zone %d (%s)",
		    pfn, z->zt, model_gfp_zone(rq->gfp), what);
	if (rq->use_mask && nodemask_binds(rq->gfp))
		DIFF_ASSERT(d, hn_nodemask_test(&rq->mask, z->nid), "block %#" PRIx64 " on node %d outside the nodemask (%s)",
			    pfn, z->nid, what);
	if (rq->gfp & __GFP_THISNODE)
		DIFF_ASSERT(d, z->nid == rq->eff_pref, "__GFP_THISNODE block %#" PRIx64 " on node %d (%s)", pfn,
			    z->nid, what);
	if (d->hnuma)
		check_attr_block(d, rq, pfn, order, what);
	for (uint64_t i = 0; i < n; i++) {
		DIFF_ASSERT(d, !d->held[pfn + i], "block %#" PRIx64 " order %u overlaps page %#" PRIx64
			    " that is still allocated (%s)", pfn, order, pfn + i, what);
		d->held[pfn + i] = 1;
	}
	if (anode_of(d, pfn))
		anode_of(d, pfn)->held += n;
	else
		z->held += n;
	d->held_pages += n;
	if (d->nr_live == d->cap_live) {
		d->cap_live *= 2;
		d->live = realloc(d->live, d->cap_live * sizeof(*d->live));
		ck_assert_ptr_nonnull(d->live);
	}
	d->live[d->nr_live++] = (struct blk){ pfn, order };
	fold(d, pfn << 5 | order);
}

static void drop_block(struct diff *d, size_t i)
{
	struct blk b = d->live[i];
	uint64_t n = 1ULL << b.order;
	struct zspan *z = zspan_of(d, b.pfn);

	for (uint64_t p = 0; p < n; p++)
		d->held[b.pfn + p] = 0;
	if (anode_of(d, b.pfn))
		anode_of(d, b.pfn)->held -= n;
	else
		z->held -= n;
	d->held_pages -= n;
	d->live[i] = d->live[--d->nr_live];
	d->freed[d->nr_freed++ % FREED_RING] = b;
}

/* After draining: managed - free == what the model holds, zone by zone. */
static void compare_counts(struct diff *d)
{
	int ret = hn_drain_all_pages(d->sim);

	DIFF_ASSERT(d, ret == 0, "hn_drain_all_pages: %s", hn_strerror(ret));
	for (int i = 0; i < d->nr_zs; i++) {
		struct zspan *z = &d->zs[i];
		struct hn_zone_info zi;

		ret = hn_sim_zone_info(d->sim, z->nid, (enum hn_zone_type)z->zt, &zi);
		DIFF_ASSERT(d, ret == 0, "zone_info: %s", hn_strerror(ret));
		DIFF_ASSERT(d, zi.managed_pages == z->managed, "node %d zone %s managed changed %" PRIu64 " -> %" PRIu64,
			    z->nid, zi.name, z->managed, zi.managed_pages);
		DIFF_ASSERT(d, zi.free_pages <= zi.managed_pages, "node %d zone %s free %" PRIu64 " > managed %" PRIu64,
			    z->nid, zi.name, zi.free_pages, zi.managed_pages);
		DIFF_ASSERT(d, zi.managed_pages - zi.free_pages == z->held,
			    "node %d zone %s: managed %" PRIu64 " - free %" PRIu64 " = %" PRIu64
			    " allocated, the model holds %" PRIu64,
			    z->nid, zi.name, zi.managed_pages, zi.free_pages,
			    zi.managed_pages - zi.free_pages, z->held);
	}
	for (int i = 0; i < d->nr_an; i++) {
		struct anode *a = &d->an[i];
		struct hn_attr_node_info ai;
		unsigned int k = 0;

		/* the node's index in its zone: nodes of one zone are in start order */
		for (int j = 0; j < i; j++)
			k += d->an[j].nid == a->nid && d->an[j].zt == a->zt;
		ret = hn_sim_attr_node_info(d->sim, a->nid, (enum hn_zone_type)a->zt, k, &ai);
		DIFF_ASSERT(d, ret == 0 && ai.start_pfn == a->start, "attr_node_info: %s", hn_strerror(ret));
		DIFF_ASSERT(d, ai.managed_pages == a->managed && ai.managed_pages - ai.free_pages == a->held,
			    "attribute node %#x: managed %" PRIu64 " (was %" PRIu64 ") - free %" PRIu64
			    ", the model holds %" PRIu64, a->mattr, ai.managed_pages, a->managed,
			    ai.free_pages, a->held);
	}
}

static void check_sim(struct diff *d)
{
	int before = d->reports;
	int ret = hn_sim_check(d->sim);

	DIFF_ASSERT(d, ret == 0 && d->reports == before, "hn_sim_check: %s, %d reports", hn_strerror(ret),
		    d->reports - before);
}

/*
 * No spurious failure: after an order-0 request failed, the zones it could
 * use must really be at their reserves.  Each eligible zone may keep its
 * min watermark, boost and lowmem_reserve for the request's zone, plus
 * slack for the highatomic reserve (at most 1% of the zone and a
 * pageblock, mm/page_alloc.c reserve_highatomic_pageblock()) and a few
 * pageblocks of rounding; anything beyond is memory the allocator refused
 * to hand out.  Free is NR_FREE_PAGES as the watermark check saw it,
 * before the drain: pages parked on per-CPU lists are not free to the
 * allocator, and the kernel drains other CPUs' lists only after direct
 * reclaim made progress (__alloc_pages_direct_reclaim()), which it cannot
 * here.  How many may be parked grows with the low watermark
 * (zone_highsize()), so it is no fixed slack.
 */
static void check_failure_is_real(struct diff *d, const struct req *rq)
{
	uint64_t free = 0, allowed = 0;
	int hi = model_gfp_zone(rq->gfp);
	char what[256];

	if (rq->order)
		return;
	for (int i = 0; i < d->nr_zs; i++) {
		struct zspan *z = &d->zs[i];
		struct hn_zone_info zi;

		if (z->zt > hi || !z->managed)
			continue;
		if ((rq->gfp & __GFP_THISNODE) && z->nid != rq->eff_pref)
			continue;
		if (rq->use_mask && !hn_nodemask_test(&rq->mask, z->nid))
			continue;
		DIFF_ASSERT(d, hn_sim_zone_info(d->sim, z->nid, (enum hn_zone_type)z->zt, &zi) == 0, "zone_info");
		free += zi.free_pages;
		allowed += zi.watermark_min + zi.watermark_boost +
			   (uint64_t)(zi.lowmem_reserve[hi] > 0 ? zi.lowmem_reserve[hi] : 0) +
			   zi.managed_pages / 50 + 4 * 512;
	}
	DIFF_ASSERT(d, hn_drain_all_pages(d->sim) == 0, "drain");
	describe(rq, what, sizeof(what));
	DIFF_ASSERT(d, free <= allowed,
		    "-ENOSPC for %s while the eligible zones hold %" PRIu64 " free pages (reserves allow %" PRIu64 ")",
		    what, free, allowed);
}

/*
 * The zones a request may use, in the order its zonelist walks them
 * (build_zonelists(): the preferred node first, then the others by
 * distance -- with two nodes, simply the other one; within a node from the
 * highest zone to the lowest), filtered by gfp_zone(), __GFP_THISNODE and
 * the nodemask as the fast path filters them.
 */
static int walk_order(struct diff *d, const struct req *rq, int *out)
{
	int hi = model_gfp_zone(rq->gfp), n = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (int i = d->nr_zs - 1; i >= 0; i--) {
			const struct zspan *z = &d->zs[i];

			if ((pass == 0) != (z->nid == rq->eff_pref) || z->zt > hi || !z->managed)
				continue;
			if ((rq->gfp & __GFP_THISNODE) && z->nid != rq->eff_pref)
				continue;
			if (rq->use_mask && !hn_nodemask_test(&rq->mask, z->nid))
				continue;
			out[n++] = i;
		}
	}
	return n;
}

/*
 * "Plenty": a zone the fast path cannot refuse.  get_page_from_freelist()
 * takes the first zone in walk order that passes the low watermark
 * (plus boost and the lowmem_reserve for the request's zone) and has a
 * block of the order on a non-reserved list.  A zone whose NR_FREE_PAGES
 * clears that mark by a margin covering the highatomic reserve (at most
 * 1% of the zone and a pageblock, subtracted as unusable) and whose free
 * blocks of order >= o hold more than that reserve surely passes.  So:
 *   - the request is served from that zone or one before it in walk
 *     order (locality: the preferred node first, the highest zone first);
 *   - the request does not fail.
 * Returns the walk position of the first such zone, or -1.
 */
static int first_plenty(struct diff *d, const struct req *rq, unsigned int order, const int *walk,
			int nwalk)
{
	int hi = model_gfp_zone(rq->gfp);

	for (int k = 0; k < nwalk; k++) {
		const struct zspan *z = &d->zs[walk[k]];
		struct hn_zone_info zi;
		uint64_t slack, mark, blocks = 0;

		DIFF_ASSERT(d, hn_sim_zone_info(d->sim, z->nid, (enum hn_zone_type)z->zt, &zi) == 0, "zone_info");
		slack = zi.managed_pages / 50 + 2 * 512;
		mark = zi.watermark_low + zi.watermark_boost +
		       (uint64_t)(zi.lowmem_reserve[hi] > 0 ? zi.lowmem_reserve[hi] : 0) + slack;
		for (unsigned int j = order; j <= d->max_order; j++)
			blocks += zi.nr_free[j] << j;
		if (zi.free_pages >= (1ULL << order) && zi.free_pages - ((1ULL << order) - 1) > mark &&
		    blocks > slack)
			return k;
	}
	return -1;
}

static int walk_pos(struct diff *d, const int *walk, int nwalk, uint64_t pfn)
{
	const struct zspan *z = zspan_of(d, pfn);

	for (int k = 0; k < nwalk; k++)
		if (&d->zs[walk[k]] == z)
			return k;
	return nwalk; /* not eligible at all; take_block() reports why */
}

/* ---- operations -------------------------------------------------------- */

/* Orders weighted toward small ones; 0..3 take the per-CPU lists. */
static unsigned int pick_order(struct diff *d)
{
	static const unsigned int weight[] = { 40, 14, 10, 9, 3, 3, 3, 3, 3, 7, 5 };
	unsigned int r = rnd_below(&d->rng, 100), acc = 0;

	for (unsigned int o = 0; o < sizeof(weight) / sizeof(weight[0]); o++) {
		acc += weight[o];
		if (r < acc)
			return o <= d->max_order ? o : d->max_order;
	}
	return 0;
}

static void pick_req(struct diff *d, struct req *rq)
{
	static const hn_gfp_t gfps[] = {
		GFP_KERNEL, GFP_KERNEL, GFP_KERNEL, GFP_USER, GFP_HIGHUSER_MOVABLE, GFP_HIGHUSER_MOVABLE,
		GFP_HIGHUSER_MOVABLE, GFP_ATOMIC, GFP_KERNEL | __GFP_THISNODE, GFP_DMA32,
	};
	unsigned int r;

	memset(rq, 0, sizeof(*rq));
	rq->gfp = gfps[rnd_below(&d->rng, sizeof(gfps) / sizeof(gfps[0]))] | __GFP_NOWARN;
	r = rnd_below(&d->rng, 3);
	rq->pref = r == 2 ? HN_NUMA_NO_NODE : (int)r;
	rq->eff_pref = rq->pref == HN_NUMA_NO_NODE ? hn_sim_cpu_to_node(d->sim, d->cpu) : rq->pref;
	if (d->hnuma && rnd_below(&d->rng, 3) == 0) {
		hn_mattr_t want = hn_mattr_prop((enum hn_mattr_prop)rnd_below(&d->rng, 6),
						1 + rnd_below(&d->rng, 16));

		if (rnd_below(&d->rng, 3) == 0)
			want |= hn_mattr_prop((enum hn_mattr_prop)rnd_below(&d->rng, 6),
					      1 + rnd_below(&d->rng, 16));
		rq->gfp |= (hn_gfp_t)want << HN_GFP_MATTR_SHIFT;
		if (rnd_below(&d->rng, 2))
			rq->gfp |= __GFP_MATTR_FALLBACK;
	}
	r = rnd_below(&d->rng, 100);
	if (r < 20) {
		rq->use_mask = true;
		hn_nodemask_clear_all(&rq->mask);
		if (r >= 1) {	/* 1 in 20 masks is empty: nothing may be returned */
			unsigned int bits = 1 + rnd_below(&d->rng, 3);

			if (bits & 1)
				hn_nodemask_set(&rq->mask, 0);
			if (bits & 2)
				hn_nodemask_set(&rq->mask, 1);
		}
	}
}

static void op_alloc(struct diff *d)
{
	struct req rq;
	uint64_t pfn = HN_PFN_NONE;
	int before = d->reports, ret;
	char what[256];

	int walk[MAX_ZSPANS], nwalk, plenty;

	pick_req(d, &rq);
	rq.order = pick_order(d);
	nwalk = walk_order(d, &rq, walk);
	plenty = has_attrs(&rq) ? -1 : first_plenty(d, &rq, rq.order, walk, nwalk);
	ret = hn_alloc_pages(d->sim, rq.gfp, rq.order, rq.pref, rq.use_mask ? &rq.mask : NULL, &pfn);
	describe(&rq, what, sizeof(what));
	DIFF_ASSERT(d, ret == 0 || ret == -ENOSPC, "hn_alloc_pages(%s) returned %s", what, hn_strerror(ret));
	DIFF_ASSERT(d, d->reports == before, "hn_alloc_pages(%s) fired a report", what);
	fold(d, (uint64_t)(int64_t)ret);
	if (ret == 0) {
		take_block(d, &rq, pfn, rq.order);
		DIFF_ASSERT(d, plenty < 0 || walk_pos(d, walk, nwalk, pfn) <= plenty,
			    "hn_alloc_pages(%s) took %#" PRIx64 " from node %d zone %d, past node %d zone %d "
			    "which has plenty free", what, pfn, zspan_of(d, pfn)->nid, zspan_of(d, pfn)->zt,
			    d->zs[walk[plenty]].nid, d->zs[walk[plenty]].zt);
		d->n_alloc_ok++;
	} else {
		DIFF_ASSERT(d, plenty < 0, "hn_alloc_pages(%s): -ENOSPC while node %d zone %d has plenty free",
			    what, d->zs[walk[plenty]].nid, d->zs[walk[plenty]].zt);
		d->n_alloc_fail++;
		if (!has_attrs(&rq))
			check_failure_is_real(d, &rq);
	}
}

static void op_free(struct diff *d)
{
	size_t i;
	struct blk b;
	int before = d->reports, ret;

	if (!d->nr_live)
		return;
	i = (size_t)(rnd(&d->rng) % d->nr_live);
	b = d->live[i];
	ret = hn_free_pages(d->sim, b.pfn, b.order);
	DIFF_ASSERT(d, ret == 0, "hn_free_pages(%#" PRIx64 ", %u) of a live block: %s", b.pfn, b.order,
		    hn_strerror(ret));
	DIFF_ASSERT(d, d->reports == before, "hn_free_pages(%#" PRIx64 ", %u) fired a report", b.pfn, b.order);
	drop_block(d, i);
	fold(d, b.pfn);
	d->n_free++;
}

static void op_bulk(struct diff *d)
{
	struct req rq;
	uint64_t pfns[MAX_BULK], prefilled[MAX_BULK];
	unsigned int nr = 1 + rnd_below(&d->rng, MAX_BULK), nr_populated = 12345, holding = 0, prefix = 0;
	int before = d->reports, ret;
	char what[256];

	int walk[MAX_ZSPANS], nwalk, plenty;

	pick_req(d, &rq);
	nwalk = walk_order(d, &rq, walk);
	plenty = has_attrs(&rq) ? -1 : first_plenty(d, &rq, 0, walk, nwalk);
	/* Some entries already hold one of our order-0 pages: bulk must skip them. */
	for (unsigned int i = 0; i < nr; i++) {
		pfns[i] = HN_PFN_NONE;
		if (d->nr_live && rnd_below(&d->rng, 8) == 0) {
			struct blk b = d->live[rnd(&d->rng) % d->nr_live];
			bool dup = false;

			for (unsigned int j = 0; j < i; j++)
				dup |= pfns[j] == b.pfn;
			if (b.order == 0 && !dup)
				pfns[i] = b.pfn;
		}
		prefilled[i] = pfns[i];
	}
	ret = hn_alloc_pages_bulk(d->sim, rq.gfp, rq.pref, rq.use_mask ? &rq.mask : NULL, nr, pfns,
				  &nr_populated);
	describe(&rq, what, sizeof(what));
	DIFF_ASSERT(d, ret == 0, "hn_alloc_pages_bulk(%u, %s): %s", nr, what, hn_strerror(ret));
	DIFF_ASSERT(d, d->reports == before, "hn_alloc_pages_bulk(%u, %s) fired a report", nr, what);
	for (unsigned int i = 0; i < nr; i++) {
		if (prefilled[i] != HN_PFN_NONE) {
			DIFF_ASSERT(d, pfns[i] == prefilled[i], "bulk entry %u: pre-filled %#" PRIx64 " became %#" PRIx64,
				    i, prefilled[i], pfns[i]);
			holding++;
		} else if (pfns[i] != HN_PFN_NONE) {
			take_block(d, &rq, pfns[i], 0);
			DIFF_ASSERT(d, plenty < 0 || walk_pos(d, walk, nwalk, pfns[i]) <= plenty,
				    "bulk (%s) took %#" PRIx64 " from node %d zone %d, past node %d zone %d which has plenty free",
				    what, pfns[i], zspan_of(d, pfns[i])->nid, zspan_of(d, pfns[i])->zt,
				    d->zs[walk[plenty]].nid, d->zs[walk[plenty]].zt);
			d->n_bulk_pages++;
			holding++;
		}
	}
	/*
	 * *nr_populated is the kernel's count: the length of the filled
	 * prefix of the array (__alloc_pages_bulk() returns the index it
	 * reached), which equals the number of entries holding a page only
	 * when no hole is left before a pre-filled entry.
	 */
	while (prefix < nr && pfns[prefix] != HN_PFN_NONE)
		prefix++;
	/*
	 * Bulk fills the whole array when a zone with plenty is on the node of
	 * the first zone it looks at; a zone on another node makes it fall back
	 * to one ordinary allocation (__alloc_pages_bulk(): "if (nr_online_nodes
	 * > 1 && zone != ac.preferred_zoneref->zone && zone_to_nid(zone) !=
	 * zone_to_nid(ac.preferred_zoneref->zone)) goto failed").
	 */
	DIFF_ASSERT(d, plenty < 0 || d->zs[walk[plenty]].nid != d->zs[walk[0]].nid || nr_populated == nr,
		    "bulk (%s): %u of %u populated while node %d zone %d has plenty free",
		    what, nr_populated, nr, plenty < 0 ? -1 : d->zs[walk[plenty]].nid,
		    plenty < 0 ? -1 : d->zs[walk[plenty]].zt);
	DIFF_ASSERT(d, nr_populated == prefix,
		    "hn_alloc_pages_bulk(%u, %s): *nr_populated %u but the filled prefix is %u (%u entries hold a page)",
		    nr, what, nr_populated, prefix, holding);
	fold(d, nr_populated);
}

static void op_drain(struct diff *d)
{
	int ret = rnd_below(&d->rng, 2) ? hn_drain_all_pages(d->sim) : hn_drain_local_pages(d->sim);

	DIFF_ASSERT(d, ret == 0, "drain: %s", hn_strerror(ret));
	d->n_drain++;
}

static void op_set_cpu(struct diff *d)
{
	unsigned int cpu = rnd_below(&d->rng, d->nr_cpus + 1);
	int ret = hn_sim_set_cpu(d->sim, cpu);

	if (cpu == d->nr_cpus) {
		DIFF_ASSERT(d, ret == -EINVAL, "hn_sim_set_cpu(%u) of an absent CPU: %s", cpu, hn_strerror(ret));
	} else {
		DIFF_ASSERT(d, ret == 0, "hn_sim_set_cpu(%u): %s", cpu, hn_strerror(ret));
		d->cpu = cpu;
	}
	DIFF_ASSERT(d, hn_sim_current_cpu(d->sim) == d->cpu, "current cpu %u, expected %u",
		    hn_sim_current_cpu(d->sim), d->cpu);
}

struct snapshot {
	uint64_t free[MAX_ZSPANS];
	uint64_t nr_free[MAX_ZSPANS][32];
};

static void take_snapshot(struct diff *d, struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < d->nr_zs; i++) {
		struct hn_zone_info zi;

		DIFF_ASSERT(d, hn_sim_zone_info(d->sim, d->zs[i].nid, (enum hn_zone_type)d->zs[i].zt, &zi) == 0,
			    "zone_info");
		s->free[i] = zi.free_pages;
		memcpy(s->nr_free[i], zi.nr_free, sizeof(zi.nr_free));
	}
}

/*
 * A free the allocator must refuse with -EINVAL and a report, touching
 * nothing: a double free of a recently freed block that nobody holds now,
 * a live block freed with another order, a tail page of a live block, a pfn
 * past the end of memory.
 */
static void op_bad_free(struct diff *d)
{
	struct snapshot before, after;
	uint64_t pfn = HN_PFN_NONE;
	unsigned int order = 0, kind = rnd_below(&d->rng, 4);
	int reports = d->reports, ret;
	const char *name = "";

	if (kind == 0 && d->nr_freed) {
		unsigned int k = d->nr_freed < FREED_RING ? d->nr_freed : FREED_RING;
		struct blk b = d->freed[rnd_below(&d->rng, k)];
		bool nobody = true;

		for (uint64_t p = 0; p < (1ULL << b.order); p++)
			nobody &= !d->held[b.pfn + p];
		if (!nobody)
			return;
		pfn = b.pfn;
		order = b.order;
		name = "double free";
	} else if ((kind == 1 || kind == 2) && d->nr_live) {
		struct blk b = d->live[rnd(&d->rng) % d->nr_live];

		if (!b.order)
			return;
		if (kind == 1) {
			pfn = b.pfn;
			order = rnd_below(&d->rng, b.order); /* smaller: still aligned */
			name = "wrong order";
		} else {
			pfn = b.pfn + 1 + rnd_below(&d->rng, (1u << b.order) - 1);
			order = 0;
			name = "tail page";
		}
	} else if (kind == 3) {
		pfn = d->end_pfn + rnd_below(&d->rng, 4096);
		order = 0;
		name = "past the end";
	} else {
		return;
	}
	take_snapshot(d, &before);
	ret = hn_free_pages(d->sim, pfn, order);
	take_snapshot(d, &after);
	DIFF_ASSERT(d, ret == -EINVAL, "bad free (%s) of %#" PRIx64 " order %u returned %s", name, pfn, order,
		    hn_strerror(ret));
	DIFF_ASSERT(d, d->reports > reports, "bad free (%s) of %#" PRIx64 " order %u: no report", name, pfn,
		    order);
	DIFF_ASSERT(d, !memcmp(&before, &after, sizeof(before)),
		    "bad free (%s) of %#" PRIx64 " order %u changed the free counts", name, pfn, order);
	d->n_bad_free++;
}

/* ---- tasks: faults and munmaps ------------------------------------------- */

/* The model takes the page a task's pte now maps at @addr. */
static void take_task_page(struct diff *d, const struct region *r, uint64_t addr)
{
	uint64_t pfn;
	unsigned int flags;
	struct zspan *z;

	DIFF_ASSERT(d, hn_task_pte(d->task[r->task], addr, &pfn, &flags) == 0, "pte after a fault");
	DIFF_ASSERT(d, (flags & HN_PTE_PRESENT) && !(flags & HN_PTE_ZERO), "a write fault mapped no page");
	DIFF_ASSERT(d, pfn < d->end_pfn && !d->held[pfn], "fault at %#" PRIx64 " mapped pfn %#" PRIx64
		    " that is already held", addr, pfn);
	z = zspan_of(d, pfn);
	DIFF_ASSERT(d, z, "fault mapped pfn %#" PRIx64 " in no zone", pfn);
	if (r->mode == MPOL_BIND)
		DIFF_ASSERT(d, (r->nodes >> z->nid) & 1, "BIND %#lx fault on node %d", r->nodes, z->nid);
	d->held[pfn] = 2;
	z->held++;
	d->held_pages++;
	d->task_pages++;
	fold(d, pfn);
}

/*
 * Direct compaction in an allocation's slow path may move task pages (and
 * only those: nothing else the test allocates is movable).  When
 * pgmigrate_success moved, the model forgets where its task pages were
 * and reads their new pfns from the page tables; a task page that landed
 * on a page the model holds otherwise is a bug.
 */
static void follow_migrations(struct diff *d)
{
	uint64_t moved, pg = 4096ULL, seen = 0;

	if (!d->tasks || hn_sim_vmstat(d->sim, "pgmigrate_success", &moved) || moved == d->migrated)
		return;
	d->migrated = moved;
	for (uint64_t pfn = 0; pfn < d->end_pfn; pfn++) {
		if (d->held[pfn] != 2)
			continue;
		d->held[pfn] = 0;
		zspan_of(d, pfn)->held--;
		d->held_pages--;
	}
	for (int k = 0; k < d->nr_rg; k++) {
		const struct region *r = &d->rg[k];

		for (uint64_t i = 0; i < r->pages; i++) {
			uint64_t pfn;
			unsigned int flags;

			if (hn_task_pte(d->task[r->task], r->addr + i * pg, &pfn, &flags) ||
			    (flags & HN_PTE_ZERO))
				continue;
			DIFF_ASSERT(d, pfn < d->end_pfn && !d->held[pfn], "a migrated task page at %#"
				    PRIx64 " landed on pfn %#" PRIx64 ", which is held", r->addr + i * pg, pfn);
			DIFF_ASSERT(d, r->mode != MPOL_BIND || ((r->nodes >> zspan_of(d, pfn)->nid) & 1),
				    "compaction moved a BIND %#lx page to node %d", r->nodes,
				    zspan_of(d, pfn)->nid);
			d->held[pfn] = 2;
			zspan_of(d, pfn)->held++;
			d->held_pages++;
			seen++;
		}
	}
	DIFF_ASSERT(d, seen == d->task_pages, "the page tables map %" PRIu64 " task pages, the model %"
		    PRIu64, seen, d->task_pages);
}

static void drop_region(struct diff *d, int k)
{
	struct region *r = &d->rg[k];
	uint64_t pg = 4096ULL;

	for (uint64_t i = 0; i < r->pages; i++) {
		uint64_t pfn;
		unsigned int flags;

		if (hn_task_pte(d->task[r->task], r->addr + i * pg, &pfn, &flags) ||
		    (flags & HN_PTE_ZERO))
			continue;
		DIFF_ASSERT(d, d->held[pfn] == 2, "unmapping pfn %#" PRIx64 " the model did not see", pfn);
		d->held[pfn] = 0;
		zspan_of(d, pfn)->held--;
		d->held_pages--;
		d->task_pages--;
	}
	DIFF_ASSERT(d, hn_munmap(d->task[r->task], r->addr, r->pages * pg) == 0, "munmap");
	d->rg[k] = d->rg[--d->nr_rg];
	d->n_unmaps++;
}

static void op_task(struct diff *d)
{
	static const int modes[] = { MPOL_DEFAULT, MPOL_BIND, MPOL_PREFERRED, MPOL_INTERLEAVE };
	uint64_t pg = 4096ULL;
	unsigned int r = rnd_below(&d->rng, 10);

	if (r < 3 && d->nr_rg < MAX_REGIONS) {
		struct region *g = &d->rg[d->nr_rg];
		int ret;

		g->task = (int)rnd_below(&d->rng, NR_TASKS);
		g->pages = 1 + rnd_below(&d->rng, 64);
		g->mode = modes[rnd_below(&d->rng, 4)];
		g->nodes = 1 + rnd_below(&d->rng, 3);	/* nodes 0, 1 or both */
		ret = hn_mmap(d->task[g->task], 0, g->pages * pg, HN_PROT_READ | HN_PROT_WRITE,
			      HN_MAP_PRIVATE | HN_MAP_ANONYMOUS, &g->addr);
		DIFF_ASSERT(d, ret == 0, "mmap: %s", hn_strerror(ret));
		if (g->mode != MPOL_DEFAULT) {
			ret = hn_mbind(d->task[g->task], g->addr, g->pages * pg, g->mode, &g->nodes, 65, 0);
			DIFF_ASSERT(d, ret == 0, "mbind: %s", hn_strerror(ret));
		}
		d->nr_rg++;
	} else if (r < 9 && d->nr_rg) {
		const struct region *g = &d->rg[rnd_below(&d->rng, (unsigned int)d->nr_rg)];
		uint64_t addr = g->addr + rnd_below(&d->rng, (unsigned int)g->pages) * pg, pfn;
		unsigned int flags;
		bool fresh = hn_task_pte(d->task[g->task], addr, &pfn, &flags) != 0 || (flags & HN_PTE_ZERO);
		int ret = hn_task_touch(d->task[g->task], addr, true);

		if (ret == -ENOMEM) {
			/* a BIND node or the whole machine is full: nothing was mapped */
			DIFF_ASSERT(d, fresh, "-ENOMEM for a page already there");
			return;
		}
		DIFF_ASSERT(d, ret == 0, "touch: %s", hn_strerror(ret));
		if (fresh) {
			take_task_page(d, g, addr);
			d->n_faults++;
		}
	} else if (d->nr_rg) {
		drop_region(d, (int)rnd_below(&d->rng, (unsigned int)d->nr_rg));
	}
}

/* ---- the run ----------------------------------------------------------- */

static void free_everything(struct diff *d)
{
	while (d->nr_live)
		op_free(d);
	while (d->nr_rg)
		drop_region(d, d->nr_rg - 1);
	for (int i = 0; i < NR_TASKS && d->tasks; i++) {
		hn_task_destroy(d->task[i]);
		d->task[i] = NULL;
	}
	DIFF_ASSERT(d, d->task_pages == 0, "the model still holds %" PRIu64 " task pages", d->task_pages);
	compare_counts(d);
	for (int i = 0; i < d->nr_zs; i++) {
		struct hn_zone_info zi;

		DIFF_ASSERT(d, hn_sim_zone_info(d->sim, d->zs[i].nid, (enum hn_zone_type)d->zs[i].zt, &zi) == 0,
			    "zone_info");
		DIFF_ASSERT(d, zi.free_pages == zi.managed_pages,
			    "leak: node %d zone %s free %" PRIu64 " managed %" PRIu64 " after freeing everything",
			    d->zs[i].nid, zi.name, zi.free_pages, zi.managed_pages);
	}
	/* compare_counts() above saw every attribute node with held == 0 */
	for (int i = 0; i < d->nr_an; i++)
		DIFF_ASSERT(d, d->an[i].held == 0, "the model still holds %" PRIu64 " pages of node %#x",
			    d->an[i].held, d->an[i].mattr);
	check_sim(d);
}

/*
 * Each phase of a few thousand operations aims at a fill level, from a
 * fifth of memory to more than there is: allocation is likelier below the
 * target and freeing above it, so runs spend time both with plenty of
 * memory and at the watermarks (where -ENOSPC, reserves, highatomic and
 * fallbacks happen).
 */
static void run(struct diff *d, uint64_t nops)
{
	static const unsigned int target_pct[] = { 20, 50, 80, 95, 110 };
	uint64_t managed = 0, target = 0, phase_end = 0;

	for (int i = 0; i < d->nr_zs; i++)
		managed += d->zs[i].managed;
	for (int i = 0; i < d->nr_an; i++)
		managed += d->an[i].managed;
	for (d->op = 0; d->op < nops; d->op++) {
		unsigned int r = rnd_below(&d->rng, 1000);

		if (d->op == phase_end) {
			target = managed / 100 *
				 target_pct[rnd_below(&d->rng, sizeof(target_pct) / sizeof(target_pct[0]))];
			phase_end += 2000 + rnd_below(&d->rng, 20000);
		}
		if (r < 5)
			op_drain(d);
		else if (r < 15)
			op_set_cpu(d);
		else if (r < 20)
			op_bad_free(d);
		else if (r < 40)
			op_bulk(d);
		else if (d->tasks && r < 140) {
			op_task(d);
			/* a task's fault runs on its own CPU; the model's CPU comes back */
			DIFF_ASSERT(d, hn_sim_set_cpu(d->sim, d->cpu) == 0, "set_cpu");
		}
		else if (rnd_below(&d->rng, 100) < (d->held_pages < target ? 75u : 25u) || !d->nr_live)
			op_alloc(d);
		else
			op_free(d);
		follow_migrations(d);
		if (d->op % DRAIN_EVERY == DRAIN_EVERY - 1)
			compare_counts(d);
		if (d->op % CHECK_EVERY == CHECK_EVERY / 2)
			check_sim(d);
	}
	compare_counts(d);
	check_sim(d);
}

static void run_seed(uint64_t seed, bool hnuma, bool tasks)
{
	struct diff d;
	uint64_t nops = env_u64("HN_DIFF_OPS", DEFAULT_OPS);

	diff_init(&d, seed, hnuma, tasks);
	run(&d, nops);
	fprintf(stderr,
		"alloc-diff: seed %" PRIu64 " %s: %" PRIu64 " ops, %" PRIu64 " allocs ok, %" PRIu64
		" -ENOSPC, %" PRIu64 " frees, %" PRIu64 " bulk pages, %" PRIu64 " bad frees refused, "
		"%zu blocks (%" PRIu64 " pages) live at the end, digest %016" PRIx64 "\n",
		d.seed, hn_machine_name(d.machine), nops, d.n_alloc_ok, d.n_alloc_fail, d.n_free,
		d.n_bulk_pages, d.n_bad_free, d.nr_live, d.held_pages, d.digest);
	/* the run must have reached both regimes, or it tested less than it claims */
	if (nops >= 100000)
		ck_assert_msg(d.n_alloc_fail > 0 && d.n_alloc_ok > nops / 10,
			      "seed %" PRIu64 ": op mix never hit -ENOSPC or rarely succeeded", d.seed);
	if (tasks) {
		fprintf(stderr, "alloc-diff: seed %" PRIu64 " tasks: %" PRIu64 " faults, %" PRIu64
			" munmaps, %" PRIu64 " task pages at the end\n", d.seed, d.n_faults, d.n_unmaps,
			d.task_pages);
		if (nops >= 50000)
			ck_assert_msg(d.n_faults > nops / 50 && d.n_unmaps > nops / 500,
				      "seed %" PRIu64 ": too few faults or munmaps", d.seed);
	}
	if (hnuma) {
		fprintf(stderr, "alloc-diff: seed %" PRIu64 " hnuma: %" PRIu64 " blocks from attribute "
			"nodes, %" PRIu64 " attribute requests fell back\n", d.seed, d.n_attr_ok,
			d.n_attr_fallback);
		if (nops >= 50000)
			ck_assert_msg(d.n_attr_ok > nops / 50 && d.n_attr_fallback > 0,
				      "seed %" PRIu64 ": attribute requests were rarely served or never "
				      "fell back", d.seed);
	}
	free_everything(&d);
	diff_destroy(&d);
}

START_TEST(alloc_matches_flat_model)
{
	run_seed(seed_for(_i), false, false);
}
END_TEST

START_TEST(tasks_match_flat_model)
{
	run_seed(seed_for(_i), false, true);
}
END_TEST

START_TEST(hnuma_matches_flat_model)
{
	run_seed(seed_for(_i), true, false);
}
END_TEST

/* Same machine, same seed, same operations: the same pfns, twice over. */
START_TEST(same_seed_same_blocks)
{
	uint64_t nops = env_u64("HN_DIFF_OPS", DEFAULT_OPS) / 5, digest[2];

	for (int k = 0; k < 2; k++) {
		struct diff d;

		diff_init(&d, seed_for(0), false, false);
		run(&d, nops);
		free_everything(&d);
		digest[k] = d.digest;
		diff_destroy(&d);
	}
	ck_assert_msg(digest[0] == digest[1], "seed %" PRIu64 ": digests %016" PRIx64 " != %016" PRIx64,
		      seed_for(0), digest[0], digest[1]);
}
END_TEST

static Suite *diff_suite(void)
{
	Suite *s = suite_create("alloc-diff");
	TCase *tc = tcase_create("random-ops");

	/* generous: the ASan+debug_vm build runs hn_sim_check() after every call */
	tcase_set_timeout(tc, 3600);
	tcase_add_loop_test(tc, alloc_matches_flat_model, 0, nr_seeds());
	tcase_add_test(tc, same_seed_same_blocks);
	suite_add_tcase(s, tc);
	tc = tcase_create("tasks");
	tcase_set_timeout(tc, 3600);
	tcase_add_loop_test(tc, tasks_match_flat_model, 0, nr_seeds());
	suite_add_tcase(s, tc);
	tc = tcase_create("hnuma");
	tcase_set_timeout(tc, 3600);
	tcase_add_loop_test(tc, hnuma_matches_flat_model, 0, nr_seeds());
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(diff_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cost.c - the cost model (hnuma/cost.h; docs/cost-model.md has the
 * equations, the fitted constants and the validation table).
 *
 * Map:
 *   pair[i * nr + t]     the HMAT figures from initiator node i to target t,
 *                        in ns and bytes per ns, and the links of the
 *                        fewest-hop path from i to t (link * 2 + direction)
 *   mem[t]               node t's memory: its curve, write cost, peak, the
 *                        sliding window of weighted bytes, its statistics;
 *                        and its memory-side cache, if it has one
 *   lnk[l * 2 + dir]     a link's two directions (0: a -> b), each a window
 *   llc[i]               initiator node i's last-level-cache filter
 *   epoch[t], bytes[t]   the static model's step queue
 *
 * A window is WIN_BUCKETS buckets of window / WIN_BUCKETS ns; its sum is
 * the weighted bytes of the last window, and utilisation is that sum over
 * what the peak moves in a window.  Buckets age as time passes; a bucket
 * is reused only after its whole slot has gone by, so the sum never counts
 * bytes older than one window.
 */
#include "hw/cost.h"

#include <errno.h>
#include <math.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "hw/machine.h"
#include "util/util.h"

#define WIN_BUCKETS 8
#define MAX_HOPS 4
#define UNKNOWN_LAT_NS 300	/* a pair HMAT does not describe: slow, remote-looking */
#define UNKNOWN_BW_MBPS 10000
#define MAX_ACCESS (1u << 21)
#define MC_MAX_BLOCKS (1ULL << 22)	/* memory-side cache tags kept per cache */
#define MC_COMPLEX_WAYS 8

/* The analytic default's constants (docs/cost-model.md, "The default curve"). */
#define CURVE_A 0.6
#define CURVE_B 0.6

struct window {
	uint64_t cur;			/* the newest bucket's slot number */
	double sum;
	double bucket[WIN_BUCKETS];
	/* the backlog: bytes offered and not yet moved at the peak, as of @last ns */
	double backlog;
	uint64_t last;
};

struct pair {
	double lat_r, lat_w;		/* ns */
	double bw_r, bw_w;		/* bytes per ns */
	double extra;			/* lat_r over the target's best initiator's */
	int16_t path[MAX_HOPS];		/* link * 2 + dir, -1 past the end */
};

/*
 * Cache tags are 32 bits: the set is implied by the slot, so a tag holds
 * index / sets + 1 (0 is an empty way) and the dirty bit.  The machine's
 * highest physical address bounds the index: a memory-side cache widens
 * its tracked block until the tags fit, and an LLC too small for the
 * address space is refused (hn_cost_new()).
 */
#define DIRTY (1u << 31)
#define TAG_MAX (DIRTY - 1)

struct mcache {
	uint64_t block, sets;		/* bytes per tag, and the sets */
	uint32_t ways, line;
	bool write_back;
	double hit_ns, hit_bw;		/* bytes per ns */
	uint32_t *tag;			/* [set * ways + way], most recent first */
	struct window win;		/* the cache's own bandwidth */
};

struct mem {
	bool has_memory;
	double peak;			/* bytes per ns */
	double write_cost;
	double idle;			/* the curve's latency at 0 (ns) */
	uint32_t nr_pts;
	double pu[HN_CURVE_MAX_POINTS], pl[HN_CURVE_MAX_POINTS];	/* the curve, utilisation as a fraction */
	double comp_ns;
	struct window win;
	struct mcache *mc;
	struct hn_cost_node_stats st;
};

struct lnk {
	struct hn_link_desc d;
	double peak;			/* bytes per ns, one direction */
	struct window win[2];
	uint64_t bytes[2];
	double util_max[2];
};

struct llc {
	uint64_t sets;
	uint32_t ways, stride, line_shift;	/* stride: 16 slots with @order, else @ways */
	double hit_ns;
	uint32_t *tag;			/* [set * ways + way]; with @order, in no order */
	/*
	 * Up to 16 ways, each set's recency as a list of 4-bit way numbers,
	 * the most recent in the low nibble: a hit or a fill moves one nibble
	 * instead of the tags.  NULL with more ways (tags kept most recent first).
	 */
	uint64_t *order;
	struct hn_cost_llc_stats st;
};

/* Where physical memory is: the node of a written-back line. */
struct range {
	uint64_t base, end;
	int nid;
};

struct hn_cost_model {
	unsigned int parts;
	int nr;
	uint64_t window_ns, bucket_ns;
	double window_f;
	struct pair *pair;
	struct mem *mem;
	int nr_links;
	struct lnk *lnk;
	struct llc *llc;		/* NULL when no initiator has one or LLC is off */
	struct range *ranges;		/* sorted by base, with LLC on */
	int nr_ranges;
	uint64_t *epoch, *bytes;
	double *node_bw;		/* the static model's capacity: the node's best HMAT read bandwidth */
};

/* ---- names ----------------------------------------------------------------- */

static const char *const part_names[] = { "loaded", "links", "memcache", "llc" };

int hn_cost_parse(const char *s, unsigned int *parts)
{
	unsigned int p = 0;

	if (!s || !parts)
		return -EINVAL;
	if (!strcmp(s, "static")) {
		*parts = 0;
		return 0;
	}
	if (!strcmp(s, "full")) {
		*parts = HN_COST_FULL;
		return 0;
	}
	while (*s) {
		size_t len = strcspn(s, ",+");
		unsigned int i;

		for (i = 0; i < HN_ARRAY_SIZE(part_names); i++)
			if (len == strlen(part_names[i]) && !strncmp(s, part_names[i], len))
				break;
		if (i == HN_ARRAY_SIZE(part_names))
			return -EINVAL;
		p |= 1u << i;
		s += len;
		if (*s && !*++s)
			return -EINVAL;		/* a trailing separator */
	}
	if (!p)
		return -EINVAL;
	*parts = p;
	return 0;
}

const char *hn_cost_name(unsigned int parts, char *buf, size_t len)
{
	size_t at = 0;

	if (!buf || !len)
		return NULL;
	parts &= HN_COST_FULL;
	if (parts == 0 || parts == HN_COST_FULL) {
		if (len < 7)
			return NULL;
		strcpy(buf, parts ? "full" : "static");
		return buf;
	}
	buf[0] = '\0';
	for (unsigned int i = 0; i < HN_ARRAY_SIZE(part_names); i++) {
		size_t w = strlen(part_names[i]) + (at ? 1 : 0);

		if (!(parts & (1u << i)))
			continue;
		if (at + w + 1 > len)
			return NULL;
		at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? "," : "", part_names[i]);
	}
	return buf;
}

/* ---- curves ---------------------------------------------------------------- */

double hn_cost_default_curve(double u)
{
	if (!(u > 0))
		return 1.0;
	if (u > 1)
		u = 1;
	return 1.0 + CURVE_A * u * u / (1.0 - CURVE_B * u);
}

/* The node's loaded read latency at utilisation @u (its own socket's view). */
static double mem_curve(const struct mem *m, double u)
{
	uint32_t k;

	if (u > 1)
		u = 1;
	if (m->nr_pts < 2)
		return m->idle * hn_cost_default_curve(u);
	if (u <= m->pu[0])
		return m->pl[0];
	for (k = 1; k < m->nr_pts - 1 && u > m->pu[k]; k++)
		;
	/* between points k-1 and k, or past the last along its final segment */
	return m->pl[k - 1] + (m->pl[k] - m->pl[k - 1]) * (u - m->pu[k - 1]) / (m->pu[k] - m->pu[k - 1]);
}

/* ---- windows --------------------------------------------------------------- */

/* Add @bytes at time @now; returns the window's sum after. */
static double window_add(struct window *w, uint64_t slot, double bytes)
{
	if (slot > w->cur) {
		uint64_t steps = slot - w->cur;

		if (steps >= WIN_BUCKETS) {
			memset(w->bucket, 0, sizeof(w->bucket));
			w->sum = 0;
		} else {
			for (uint64_t s = w->cur + 1; s <= slot; s++) {
				w->sum -= w->bucket[s % WIN_BUCKETS];
				w->bucket[s % WIN_BUCKETS] = 0;
			}
			if (w->sum < 0)
				w->sum = 0;	/* rounding */
		}
		w->cur = slot;
	} else if (w->cur - slot >= WIN_BUCKETS) {
		slot = w->cur - (WIN_BUCKETS - 1);	/* older than the window: its oldest bucket */
	}
	w->bucket[slot % WIN_BUCKETS] += bytes;
	w->sum += bytes;
	return w->sum;
}

/*
 * Load @bytes onto a resource of @peak bytes per ns whose idle latency is
 * @idle: the rise of its curve (*loaded) and the wait past 100% (*queue).
 * @m is the node's memory for a device (its curve), NULL for a link (the
 * analytic default).  Returns the utilisation the access saw.
 *
 * The wait comes from the backlog, which drains at the peak: a burst up
 * to one window's worth passes (the curve prices it), more than that
 * waits for the excess to drain.  Offered faster than the peak for long,
 * the backlog and the waits grow until the senders slow to the peak, so
 * throughput can never exceed it.
 */
static double load(const struct hn_cost_model *cm, struct window *w, const struct mem *m,
		   double idle, double peak, double bytes, uint64_t now, double *loaded, double *queue)
{
	double cap = peak * cm->window_f;
	double u = window_add(w, now / cm->bucket_ns, bytes) / cap;

	if (now > w->last) {
		w->backlog -= peak * (double)(now - w->last);
		if (w->backlog < 0)
			w->backlog = 0;
		w->last = now;
	}
	w->backlog += bytes;
	if (m)
		*loaded += mem_curve(m, u) - m->idle;
	else
		*loaded += idle * (hn_cost_default_curve(u) - 1.0);
	if (w->backlog > cap)
		*queue += (w->backlog - cap) / peak;
	return u;
}

/* ---- caches ---------------------------------------------------------------- */

/*
 * Look @key (1..TAG_MAX) up in the @ways-way set at @set, most recent
 * first, moving it to the front or inserting it there.  Returns true on a
 * hit; on a miss *@evicted is the tag pushed out (0 when the way was
 * empty).  @dirty marks the entry written.
 */
static bool set_lookup(uint32_t *set, uint32_t ways, uint32_t key, bool dirty, uint32_t *evicted)
{
	uint32_t w, e;

	for (w = 0; w < ways; w++)
		if ((set[w] & ~DIRTY) == key)
			break;
	if (w < ways) {
		e = set[w];
		memmove(set + 1, set, w * sizeof(*set));
		set[0] = e | (dirty ? DIRTY : 0);
		*evicted = 0;
		return true;
	}
	*evicted = set[ways - 1];
	memmove(set + 1, set, (ways - 1) * sizeof(*set));
	set[0] = key | (dirty ? DIRTY : 0);
	return false;
}

/*
 * The ways of a 16-slot set that hold @key, as a bit mask (slots past the
 * set's ways stay 0, which no key is).  Four compares of four tags where
 * SSE2 is there (every x86-64), a loop elsewhere.
 */
static inline uint32_t find16(const uint32_t *set, uint32_t key)
{
	uint32_t bits = 0;
#if defined(__SSE2__)
	const __m128i k = _mm_set1_epi32((int)key), m = _mm_set1_epi32((int)TAG_MAX);

	for (int i = 0; i < 4; i++) {
		__m128i t = _mm_and_si128(_mm_loadu_si128((const __m128i *)(const void *)(set + 4 * i)), m);

		bits |= (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(t, k))) << (4 * i);
	}
#else
	for (int w = 0; w < 16; w++)
		bits |= (uint32_t)((set[w] & ~DIRTY) == key) << w;
#endif
	return bits;
}

/* set_lookup() for a 16-slot set whose recency is the nibble list *@order. */
static bool set_lookup_nibbles(uint32_t *set, uint64_t *order, uint32_t ways, uint32_t key,
			       bool dirty, uint32_t *evicted)
{
	uint64_t o = *order;
	uint32_t w, pos, found = find16(set, key);
	bool hit = found != 0;

	w = hit ? (uint32_t)__builtin_ctz(found) : ways;
	if (hit) {
		for (pos = 0; ((o >> (4 * pos)) & 15) != w; pos++)
			;
		set[w] |= dirty ? DIRTY : 0;
		*evicted = 0;
	} else {
		pos = ways - 1;		/* the least recent way makes room */
		w = (uint32_t)(o >> (4 * pos)) & 15;
		*evicted = set[w];
		set[w] = key | (dirty ? DIRTY : 0);
	}
	/* take the nibble at @pos out and put it in front */
	if (pos) {
		uint64_t low = o & ((1ULL << (4 * pos)) - 1);
		uint64_t high = pos == 15 ? 0 : o >> (4 * pos + 4) << (4 * pos + 4);

		*order = high | low << 4 | w;
	}
	return hit;
}

/* The node holding physical address @pa, or -1. */
static int range_nid(const struct hn_cost_model *cm, uint64_t pa)
{
	int lo = 0, hi = cm->nr_ranges - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (pa < cm->ranges[mid].base)
			hi = mid - 1;
		else if (pa >= cm->ranges[mid].end)
			lo = mid + 1;
		else
			return cm->ranges[mid].nid;
	}
	return -1;
}

/* ---- building ---------------------------------------------------------------- */

void hn_cost_free(struct hn_cost_model *cm)
{
	if (!cm)
		return;
	if (cm->mem) {
		for (int i = 0; i < cm->nr; i++) {
			if (cm->mem[i].mc)
				free(cm->mem[i].mc->tag);
			free(cm->mem[i].mc);
		}
	}
	if (cm->llc) {
		for (int i = 0; i < cm->nr; i++) {
			free(cm->llc[i].tag);
			free(cm->llc[i].order);
		}
	}
	free(cm->llc);
	free(cm->ranges);
	free(cm->pair);
	free(cm->mem);
	free(cm->lnk);
	free(cm->epoch);
	free(cm->bytes);
	free(cm->node_bw);
	free(cm);
}

/* The fewest-hop path over the links from every node to every other (BFS per source). */
static int build_paths(struct hn_cost_model *cm, const struct hn_machine *m)
{
	int n = cm->nr;
	int *prev = malloc((size_t)n * sizeof(int)), *via = malloc((size_t)n * sizeof(int));
	int *queue = malloc((size_t)n * sizeof(int)), *hops = malloc((size_t)n * sizeof(int));

	if (!prev || !via || !queue || !hops) {
		free(prev);
		free(via);
		free(queue);
		free(hops);
		return -ENOMEM;
	}
	for (int s = 0; s < n; s++) {
		int head = 0, tail = 0;

		for (int v = 0; v < n; v++)
			hops[v] = -1;
		hops[s] = 0;
		queue[tail++] = s;
		while (head < tail) {
			int u = queue[head++];

			if (hops[u] == MAX_HOPS)
				continue;
			/* links in file order: the lowest link wins a tie, deterministically */
			for (int l = 0; l < m->nr_links; l++) {
				const struct hn_link_desc *d = &m->links[l];
				int v = d->a == u ? d->b : d->b == u ? d->a : -1;

				if (v < 0 || v >= n || hops[v] >= 0)
					continue;
				hops[v] = hops[u] + 1;
				prev[v] = u;
				via[v] = l * 2 + (d->a == u ? 0 : 1);
				queue[tail++] = v;
			}
		}
		for (int t = 0; t < n; t++) {
			int16_t *path = cm->pair[s * n + t].path;

			for (int k = 0; k < MAX_HOPS; k++)
				path[k] = -1;
			if (t == s || hops[t] <= 0)
				continue;
			for (int v = t, k = hops[t] - 1; v != s; v = prev[v], k--)
				path[k] = (int16_t)via[v];
		}
	}
	free(prev);
	free(via);
	free(queue);
	free(hops);
	return 0;
}

static int build_memcache(struct mem *mm, const struct hn_memcache_desc *c, const struct pair *local,
			  uint64_t max_pa)
{
	struct mcache *mc = calloc(1, sizeof(*mc));
	uint64_t blocks;

	if (!mc)
		return -ENOMEM;
	mc->line = c->line ? c->line : 64;
	mc->ways = c->assoc == HN_CACHE_COMPLEX ? MC_COMPLEX_WAYS : 1;
	mc->write_back = c->policy != HN_CACHE_WRITE_THROUGH;
	/* tags per line when they fit, else per the smallest power-of-two block that does */
	mc->block = mc->line;
	while (c->size / mc->block > MC_MAX_BLOCKS ||
	       max_pa / mc->block / HN_MAX(c->size / mc->block / mc->ways, 1) >= TAG_MAX)
		mc->block <<= 1;
	blocks = c->size / mc->block;
	mc->sets = blocks / mc->ways ? blocks / mc->ways : 1;
	mc->hit_ns = c->hit_latency_ns ? c->hit_latency_ns : (local ? local->lat_r : mm->idle);
	mc->hit_bw = (c->hit_bw_mbps ? c->hit_bw_mbps : mm->peak * 1000.0) / 1000.0;
	mc->tag = calloc(mc->sets * mc->ways, sizeof(*mc->tag));
	if (!mc->tag) {
		free(mc);
		return -ENOMEM;
	}
	mm->mc = mc;
	mm->st.memcache = true;
	return 0;
}

static int build_llc(struct llc *l, const struct hn_initiator_desc *d, uint64_t max_pa)
{
	l->line_shift = hn_ilog2(d->llc_line);
	l->ways = d->llc_ways;
	l->sets = d->llc_size / d->llc_line / d->llc_ways;
	if ((max_pa >> l->line_shift) / l->sets >= TAG_MAX)
		return -EINVAL;
	l->hit_ns = d->llc_latency_ns;
	l->stride = l->ways <= 16 ? 16 : l->ways;
	l->tag = calloc(l->sets * l->stride, sizeof(*l->tag));
	l->st.present = true;
	if (!l->tag)
		return -ENOMEM;
	if (l->ways <= 16) {
		uint64_t first = 0;

		l->order = malloc(l->sets * sizeof(*l->order));
		if (!l->order)
			return -ENOMEM;
		for (uint32_t w = 0; w < l->ways; w++)
			first |= (uint64_t)w << (4 * w);
		for (uint64_t i = 0; i < l->sets; i++)
			l->order[i] = first;
	}
	return 0;
}

struct range_ctx {
	struct hn_cost_model *cm;
	int nid, cap;
};

static int range_cb(void *ctx, uint64_t base, uint64_t size)
{
	struct range_ctx *r = ctx;
	struct hn_cost_model *cm = r->cm;

	if (cm->nr_ranges == r->cap) {
		int cap = r->cap ? 2 * r->cap : 16;
		struct range *n = realloc(cm->ranges, (size_t)cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		cm->ranges = n;
		r->cap = cap;
	}
	cm->ranges[cm->nr_ranges++] = (struct range){ base, base + size, r->nid };
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

static int build_ranges(struct hn_cost_model *cm, const struct hn_machine *m)
{
	struct range_ctx r = { cm, 0, 0 };

	for (int d = 0; d < m->nr_memdevs; d++) {
		int ret;

		r.nid = m->memdevs[d].nid;
		ret = hn_memdev_for_each_range(m, &m->memdevs[d], range_cb, &r);
		if (ret)
			return ret;
	}
	qsort(cm->ranges, (size_t)cm->nr_ranges, sizeof(*cm->ranges), cmp_range);
	return 0;
}

int hn_cost_new(struct hn_cost_model **out, const struct hn_machine *m0, unsigned int parts,
		uint64_t window_ns)
{
	struct hn_machine *m = NULL;
	struct hn_cost_model *cm;
	uint64_t max_pa = 0;
	int n, ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!m0 || parts & ~HN_COST_FULL || window_ns > HN_COST_MAX_WINDOW_NS)
		return -EINVAL;
	ret = hn_machine_clone(&m, m0);
	if (ret)
		return ret;
	ret = hn_machine_validate(m, 0, NULL);
	if (ret) {
		hn_machine_free(m);
		return -EINVAL;
	}
	cm = calloc(1, sizeof(*cm));
	if (!cm) {
		hn_machine_free(m);
		return -ENOMEM;
	}
	n = cm->nr = m->nr_node_ids;
	cm->parts = parts;
	cm->window_ns = window_ns ? window_ns : 1000;
	cm->bucket_ns = HN_MAX(cm->window_ns / WIN_BUCKETS, 1);
	cm->window_f = (double)(cm->bucket_ns * WIN_BUCKETS);
	cm->pair = calloc((size_t)n * (size_t)n, sizeof(*cm->pair));
	cm->mem = calloc((size_t)n, sizeof(*cm->mem));
	cm->epoch = calloc((size_t)n, sizeof(uint64_t));
	cm->bytes = calloc((size_t)n, sizeof(uint64_t));
	cm->node_bw = calloc((size_t)n, sizeof(double));
	cm->nr_links = m->nr_links;
	cm->lnk = calloc((size_t)HN_MAX(m->nr_links, 1), sizeof(*cm->lnk));
	if (!cm->pair || !cm->mem || !cm->epoch || !cm->bytes || !cm->node_bw || !cm->lnk) {
		ret = -ENOMEM;
		goto fail;
	}
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < n; j++) {
			struct hn_access_desc a = { 0 };
			struct pair *p = &cm->pair[i * n + j];

			hn_machine_access(m, i, j, &a);
			p->lat_r = a.read_latency_ns ? a.read_latency_ns : UNKNOWN_LAT_NS;
			p->lat_w = a.write_latency_ns ? a.write_latency_ns : p->lat_r;
			p->bw_r = (a.read_bw_mbps ? a.read_bw_mbps : UNKNOWN_BW_MBPS) / 1000.0;
			p->bw_w = (a.write_bw_mbps ? a.write_bw_mbps : a.read_bw_mbps ? a.read_bw_mbps :
						 UNKNOWN_BW_MBPS) / 1000.0;
			if (p->bw_r > cm->node_bw[j])
				cm->node_bw[j] = p->bw_r;
		}
	}
	/* each node's memory: its devices' peak summed, the first device with a curve gives it */
	for (int d = 0; d < m->nr_memdevs; d++) {
		const struct hn_memdev_desc *md = &m->memdevs[d];
		struct mem *mm = &cm->mem[md->nid];
		double wc = md->write_cost_x100 ? md->write_cost_x100 / 100.0 :
			    (double)md->read_bw_mbps / (double)md->write_bw_mbps;

		if (md->kind == HN_MEM_CXL_COMPRESSED && md->compress.compress_ns > mm->comp_ns)
			mm->comp_ns = md->compress.compress_ns;
		if (!mm->has_memory || wc > mm->write_cost)
			mm->write_cost = HN_MAX(wc, 1.0);
		mm->peak += md->read_bw_mbps / 1000.0;
		if (!mm->has_memory || (!mm->nr_pts && md->nr_loaded >= 2)) {
			mm->idle = md->read_latency_ns;
			mm->nr_pts = md->nr_loaded >= 2 ? md->nr_loaded : 0;
			for (uint32_t k = 0; k < mm->nr_pts; k++) {
				mm->pu[k] = md->loaded[k].util_permille / 1000.0;
				mm->pl[k] = md->loaded[k].latency_ns;
			}
			if (mm->nr_pts)
				mm->idle = mm->pl[0];
		}
		mm->has_memory = true;
	}
	for (int t = 0; t < n; t++) {
		double best = 0;

		cm->mem[t].st.peak_mbps = cm->mem[t].peak * 1000.0;
		for (int i = 0; i < n; i++)
			if (hn_machine_node_is_initiator(m, i) && (!best || cm->pair[i * n + t].lat_r < best))
				best = cm->pair[i * n + t].lat_r;
		for (int i = 0; i < n; i++)
			cm->pair[i * n + t].extra = HN_MAX(cm->pair[i * n + t].lat_r - best, 0.0);
	}
	for (int l = 0; l < m->nr_links; l++) {
		cm->lnk[l].d = m->links[l];
		cm->lnk[l].peak = m->links[l].bw_mbps / 1000.0;
	}
	for (int d = 0; d < m->nr_memdevs; d++)
		max_pa = HN_MAX(max_pa, hn_memdev_span_end(m, &m->memdevs[d]));
	ret = build_paths(cm, m);
	for (int i = 0; !ret && (parts & HN_COST_MEMCACHE) && i < m->nr_caches; i++) {
		const struct hn_memcache_desc *c = &m->caches[i];
		int best = -1;

		/* one cache per node: the level nearest the memory (the largest level) */
		if (!cm->mem[c->nid].has_memory)
			continue;
		for (int j = 0; j < m->nr_caches; j++)
			if (m->caches[j].nid == c->nid && (best < 0 || m->caches[j].level > m->caches[best].level))
				best = j;
		if (best != i)
			continue;
		for (int j = 0; j < n; j++)
			if (hn_machine_node_is_initiator(m, j) && cm->pair[j * n + c->nid].extra == 0) {
				ret = build_memcache(&cm->mem[c->nid], c, &cm->pair[j * n + c->nid], max_pa);
				break;
			}
		if (!ret && !cm->mem[c->nid].mc)
			ret = build_memcache(&cm->mem[c->nid], c, NULL, max_pa);
	}
	if (!ret && (parts & HN_COST_LLC))
		ret = build_ranges(cm, m);
	for (int i = 0; !ret && (parts & HN_COST_LLC) && i < m->nr_inits; i++) {
		const struct hn_initiator_desc *d = &m->inits[i].d;

		if (!d->llc_size)
			continue;
		if (!cm->llc) {
			cm->llc = calloc((size_t)n, sizeof(*cm->llc));
			if (!cm->llc) {
				ret = -ENOMEM;
				break;
			}
		}
		if (!cm->llc[d->nid].tag)
			ret = build_llc(&cm->llc[d->nid], d, max_pa);
	}
	if (ret)
		goto fail;
	hn_machine_free(m);
	*out = cm;
	return 0;
fail:
	hn_machine_free(m);
	hn_cost_free(cm);
	return ret;
}

unsigned int hn_cost_parts(const struct hn_cost_model *cm)
{
	return cm ? cm->parts : 0;
}

double hn_cost_write_cost(const struct hn_cost_model *cm, int nid)
{
	return cm->mem[nid].has_memory ? cm->mem[nid].write_cost : 1.0;
}

double hn_cost_write_bw(const struct hn_cost_model *cm, int initiator, int target)
{
	return cm->pair[initiator * cm->nr + target].bw_w;
}

/* ---- one access ------------------------------------------------------------ */

/* The static model: HMAT figures, compression, and the epoch's step queue. */
static double static_cost(struct hn_cost_model *cm, const struct pair *p, int target, bool write,
			  unsigned int size, uint64_t now, double *queue)
{
	uint64_t e = now / cm->window_ns;
	double cap = cm->node_bw[target] * (double)cm->window_ns, t;

	if (e > cm->epoch[target]) {
		cm->epoch[target] = e;
		cm->bytes[target] = 0;
	}
	cm->bytes[target] += size;
	*queue = (double)cm->bytes[target] > cap ? ((double)cm->bytes[target] - cap) / cm->node_bw[target] : 0;
	t = (write ? p->lat_w + size / p->bw_w : p->lat_r + size / p->bw_r) + cm->mem[target].comp_ns;
	return t + *queue;
}

/* Bytes moving over the links of @p's path; reads flow back from the target. */
static void load_links(struct hn_cost_model *cm, const struct pair *p, bool toward_target,
		       double bytes, uint64_t now, double *loaded, double *queue)
{
	for (int k = 0; k < MAX_HOPS && p->path[k] >= 0; k++) {
		int dir = (p->path[k] & 1) ^ !toward_target;
		struct lnk *l = &cm->lnk[p->path[k] >> 1];
		double u = load(cm, &l->win[dir], NULL, l->d.latency_ns, l->peak, bytes, now, loaded,
				queue);

		l->bytes[dir] += (uint64_t)bytes;
		if (u > l->util_max[dir])
			l->util_max[dir] = u;
	}
}

/* Traffic that costs the access nothing (fills, write-backs) but loads the memory. */
static void background(struct hn_cost_model *cm, int nid, bool write, double bytes, uint64_t now)
{
	struct mem *mm = &cm->mem[nid];
	double ignore = 0, q = 0;

	if (write)
		mm->st.write_bytes += (uint64_t)bytes;
	else
		mm->st.read_bytes += (uint64_t)bytes;
	if (cm->parts & HN_COST_LOADED)
		load(cm, &mm->win, mm, mm->idle, mm->peak, write ? bytes * mm->write_cost : bytes, now,
		     &ignore, &q);
}

/*
 * The last-level cache: true when every line of the access hits.  Lines
 * that miss are inserted; a dirty line pushed out is written back to the
 * node it came from.
 */
static bool llc_access(struct hn_cost_model *cm, struct llc *l, uint64_t paddr, bool write,
		       unsigned int size, uint64_t now)
{
	uint64_t first = paddr >> l->line_shift, last = (paddr + size - 1) >> l->line_shift;
	/* one division per access: consecutive lines walk the sets, wrapping into the next tag */
	uint64_t set = first % l->sets;
	uint32_t tag = (uint32_t)(first / l->sets + 1);
	/* write-backs go to memory together, one call per run of lines from one node */
	double wb = 0;
	int wb_nid = -1;
	bool all = true;

	for (uint64_t line = first; line <= last; line++, set++) {
		uint32_t evicted;

		if (set == l->sets) {
			set = 0;
			tag++;
		}
		if (l->order ? set_lookup_nibbles(&l->tag[set * l->stride], &l->order[set], l->ways, tag,
						  write, &evicted) :
			       set_lookup(&l->tag[set * l->stride], l->ways, tag, write, &evicted)) {
			l->st.hits++;
			continue;
		}
		l->st.misses++;
		all = false;
		if (evicted & DIRTY) {
			uint64_t pa = (((evicted & ~DIRTY) - 1) * l->sets + set) << l->line_shift;
			int nid = range_nid(cm, pa);

			l->st.writeback_bytes += 1u << l->line_shift;
			if (nid != wb_nid && wb_nid >= 0) {
				background(cm, wb_nid, true, wb, now);
				wb = 0;
			}
			wb_nid = nid;
			if (nid >= 0)
				wb += (double)(1u << l->line_shift);
		}
	}
	if (wb_nid >= 0 && wb > 0)
		background(cm, wb_nid, true, wb, now);
	return all;
}

int hn_cost_access(struct hn_cost_model *cm, int initiator, int target, uint64_t paddr, bool write,
		   unsigned int size, uint64_t now, struct hn_cost_charge *out)
{
	const struct pair *p;
	struct mem *mm;
	double lat, bw, bytes, u;

	if (!cm || !out || initiator < 0 || initiator >= cm->nr || target < 0 || target >= cm->nr ||
	    !size || size > MAX_ACCESS)
		return -EINVAL;
	p = &cm->pair[initiator * cm->nr + target];
	mm = &cm->mem[target];
	out->queue_ns = out->loaded_ns = 0;
	out->llc_hit = false;
	out->memcache = -1;
	if (!cm->parts) {
		out->ns = static_cost(cm, p, target, write, size, now, &out->queue_ns);
		return 0;
	}
	if (cm->llc && cm->llc[initiator].tag &&
	    llc_access(cm, &cm->llc[initiator], paddr, write, size, now)) {
		out->llc_hit = true;
		out->ns = cm->llc[initiator].hit_ns;
		return 0;
	}
	lat = write ? p->lat_w : p->lat_r;
	bw = write ? p->bw_w : p->bw_r;
	bytes = size;
	if (mm->mc) {
		struct mcache *mc = mm->mc;
		uint64_t block = paddr / mc->block, set = block % mc->sets;
		uint32_t evicted;
		bool hit = set_lookup(&mc->tag[set * mc->ways], mc->ways, (uint32_t)(block / mc->sets + 1),
				      write && mc->write_back, &evicted);

		out->memcache = hit;
		/* the cache's own bandwidth carries hits and fills */
		if (cm->parts & HN_COST_LOADED)
			load(cm, &mc->win, NULL, mc->hit_ns, mc->hit_bw, bytes, now, &out->loaded_ns,
			     &out->queue_ns);
		if (hit) {
			mm->st.mc_hits++;
			if (write && !mc->write_back)
				background(cm, target, true, bytes, now);
			if (cm->parts & HN_COST_LINKS)
				load_links(cm, p, write, bytes, now, &out->loaded_ns, &out->queue_ns);
			out->ns = mc->hit_ns + p->extra + size / HN_MIN(mc->hit_bw, bw) + out->loaded_ns +
				  out->queue_ns;
			return 0;
		}
		mm->st.mc_misses++;
		if (evicted & DIRTY) {
			mm->st.mc_writeback_bytes += mc->line;
			background(cm, target, true, mc->line, now);
		}
		/* a miss reads the memory behind into the cache (a write allocates the same way) */
		write = false;
		bytes = HN_MAX(size, mc->line);
		mm->st.mc_fill_bytes += (uint64_t)bytes;
	}
	mm->st.accesses++;
	if (write)
		mm->st.write_bytes += size;
	else
		mm->st.read_bytes += (uint64_t)bytes;
	if (cm->parts & HN_COST_LOADED) {
		u = load(cm, &mm->win, mm, mm->idle, mm->peak, write ? bytes * mm->write_cost : bytes,
			 now, &out->loaded_ns, &out->queue_ns);
		mm->st.util_sum += u;
		if (u > mm->st.util_max)
			mm->st.util_max = u;
	}
	if (cm->parts & HN_COST_LINKS)
		load_links(cm, p, write, bytes, now, &out->loaded_ns, &out->queue_ns);
	/* a memory-side cache miss costs the memory's own figures: HMAT gives them for the node */
	out->ns = lat + size / bw + mm->comp_ns + out->loaded_ns + out->queue_ns;
	mm->st.latency_ns += out->ns;
	return 0;
}

/* ---- questions ------------------------------------------------------------- */

int hn_cost_loaded_latency(const struct hn_cost_model *cm, int initiator, int target, double util,
			   double *ns)
{
	const struct mem *mm;

	if (!cm || !ns || initiator < 0 || initiator >= cm->nr || target < 0 || target >= cm->nr ||
	    !(util >= 0))
		return -EINVAL;
	mm = &cm->mem[target];
	if (!mm->has_memory)
		return -EINVAL;
	*ns = cm->pair[initiator * cm->nr + target].lat_r + mem_curve(mm, util) - mm->idle;
	return 0;
}

int hn_cost_node_stats(const struct hn_cost_model *cm, int nid, struct hn_cost_node_stats *out)
{
	if (!cm || !out)
		return -EINVAL;
	if (nid < 0 || nid >= cm->nr || !cm->mem[nid].has_memory)
		return -ENOENT;
	*out = cm->mem[nid].st;
	return 0;
}

int hn_cost_link_stats(const struct hn_cost_model *cm, int i, struct hn_cost_link_stats *out)
{
	if (!cm || !out)
		return -EINVAL;
	if (i < 0 || i >= cm->nr_links)
		return -ENOENT;
	out->d = cm->lnk[i].d;
	for (int d = 0; d < 2; d++) {
		out->bytes[d] = cm->lnk[i].bytes[d];
		out->util_max[d] = cm->lnk[i].util_max[d];
	}
	return 0;
}

int hn_cost_llc_stats(const struct hn_cost_model *cm, int nid, struct hn_cost_llc_stats *out)
{
	if (!cm || !out)
		return -EINVAL;
	if (nid < 0 || nid >= cm->nr || !cm->llc || !cm->llc[nid].tag)
		return -ENOENT;
	*out = cm->llc[nid].st;
	return 0;
}

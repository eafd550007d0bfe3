/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * attr_set.c - the attribute nodes of a zone: the slides' rb_cdm, nr_cdm,
 * cdm_ind and cdm_cum (../shared/seeds/hierarchical-numa-slides.txt,
 * "Buddy System (PGLIST_DATA)").
 *
 *   hn_attr_set_insert()          a cdm_node into the tree and nodes[]
 *   hn_attr_set_remove()          hot-remove of one
 *   hn_attr_set_rebuild_caches()  the "updated during boot and memory
 *                                 hotplug" step for both search caches
 *   hn_attr_set_check()           the invariants of attr.h
 *   hn_attr_set_dot()             the tree and the caches for Graphviz
 *
 * The slides key the tree by the cumulative mattr alone.  Equal keys are
 * common (any two nodes whose six levels sum alike), so we break ties by
 * start pfn: the in-order walk is then a total order, the leftmost node of
 * a key is the one with the lowest start pfn, i.e. the lowest id, and the
 * tree descent in attr_match.c lands on the node the default rule's last
 * tie-break picks without a second pass.
 *
 * nodes[] is the same set by start pfn.  It exists because the tree cannot
 * answer "does this range overlap" or "which node has id i", and because
 * the linear and weighted strategies want a flat array to scan.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mattr/attr.h"

/* Levels with "absent" (0) included: the cdm_ind scan works on 0..16. */
#define NR_LEVELS0 (HN_MATTR_LEVELS + 1)

static inline struct hn_attr_node *rb_to_attr(const struct hn_rb_node *rb)
{
	return rb ? hn_rb_entry(rb, struct hn_attr_node, rb) : NULL;
}

/* The tree's order: key, then start pfn (nodes never share a start pfn). */
static inline bool attr_less(const struct hn_attr_node *a, const struct hn_attr_node *b)
{
	if (a->key != b->key)
		return a->key < b->key;
	return a->start_pfn < b->start_pfn;
}

void hn_attr_set_init(struct hn_attr_set *set)
{
	memset(set, 0, sizeof(*set));
	set->tree = HN_RB_ROOT;
}

/* The hook survives fini, so a test can reuse its set. */
void hn_attr_set_fini(struct hn_attr_set *set)
{
	void *(*host_realloc)(void *, size_t);

	if (!set)
		return;
	host_realloc = set->host_realloc;
	free(set->nodes);
	hn_attr_set_init(set);
	set->host_realloc = host_realloc;
}

/* ---- the caches ------------------------------------------------------- */

/*
 * The default rule for every possible request at once, into @ind and @cum.
 *
 * One property: bucket the nodes by their level of p, keeping per level the
 * node that wins the tail of the tie chain (lower key, then lower id; nodes[]
 * is in id order, so "strictly lower key" keeps the lower id on equal keys).
 * A request for level l then takes the first non-empty bucket in the order
 * l, l+1, l-1, l+2, l-2, ...: least |d|, above before below.
 *
 * Several properties: per key the lowest-id node (the first one met), then
 * for each cumulative value c the nearest non-empty key at or above and at
 * or below, from two sweeps; the one above wins on equal distance.
 */
static void compute_caches(const struct hn_attr_set *set,
			   struct hn_attr_node *ind[HN_MATTR_NR_PROPS][HN_MATTR_LEVELS],
			   struct hn_attr_node *cum[HN_ATTR_MAX_CUM + 1])
{
	struct hn_attr_node *by_level[HN_MATTR_NR_PROPS][NR_LEVELS0];
	struct hn_attr_node *by_key[HN_ATTR_MAX_CUM + 1];
	struct hn_attr_node *up[HN_ATTR_MAX_CUM + 2], *down;

	memset(by_level, 0, sizeof(by_level));
	memset(by_key, 0, sizeof(by_key));
	for (unsigned int i = 0; i < set->nr; i++) {
		struct hn_attr_node *n = set->nodes[i];

		for (int p = 0; p < HN_MATTR_NR_PROPS; p++) {
			struct hn_attr_node **b = &by_level[p][hn_mattr_level(n->mattr, p)];

			if (!*b || n->key < (*b)->key)
				*b = n;
		}
		/* a key above 96 cannot come from hn_mattr_cumulative(); be safe */
		if (n->key <= HN_ATTR_MAX_CUM && !by_key[n->key])
			by_key[n->key] = n;
	}

	for (int p = 0; p < HN_MATTR_NR_PROPS; p++) {
		for (int l = 1; l <= HN_MATTR_LEVELS; l++) {
			struct hn_attr_node *hit = NULL;

			for (int d = 0; !hit && d < NR_LEVELS0; d++) {
				if (l + d <= HN_MATTR_LEVELS)
					hit = by_level[p][l + d];
				if (!hit && l - d >= 0)
					hit = by_level[p][l - d];
			}
			ind[p][l - 1] = hit;
		}
	}

	up[HN_ATTR_MAX_CUM + 1] = NULL;
	for (int c = HN_ATTR_MAX_CUM; c >= 0; c--)
		up[c] = by_key[c] ? by_key[c] : up[c + 1];
	down = NULL;
	for (int c = 0; c <= HN_ATTR_MAX_CUM; c++) {
		if (by_key[c])
			down = by_key[c];
		if (up[c] && (!down || up[c]->key - (unsigned int)c <= (unsigned int)c - down->key))
			cum[c] = up[c];
		else
			cum[c] = down;
	}
}

/* The subtree level masks of @rb's subtree, post-order; returns @rb's. */
static const uint32_t *compute_sub_levels(struct hn_rb_node *rb)
{
	static const uint32_t none[HN_MATTR_NR_PROPS];
	struct hn_attr_node *n;
	const uint32_t *l, *r;

	if (!rb)
		return none;
	n = rb_to_attr(rb);
	l = compute_sub_levels(rb->rb_left);
	r = compute_sub_levels(rb->rb_right);
	for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
		n->sub_levels[p] = l[p] | r[p] | 1u << hn_mattr_level(n->mattr, p);
	return n->sub_levels;
}

void hn_attr_set_rebuild_caches(struct hn_attr_set *set)
{
	compute_caches(set, set->cdm_ind, set->cdm_cum);
	compute_sub_levels(set->tree.rb_node);
}

/* ---- insert and remove ------------------------------------------------ */

/* The index of the first node starting after @pfn (nodes[] by start pfn). */
static unsigned int nodes_upper_bound(const struct hn_attr_set *set, uint64_t pfn)
{
	unsigned int lo = 0, hi = set->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (set->nodes[mid]->start_pfn <= pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void renumber(struct hn_attr_set *set, unsigned int from)
{
	for (unsigned int i = from; i < set->nr; i++)
		set->nodes[i]->id = i;
}

static void debug_check(const struct hn_attr_set *set)
{
	char why[160];

	/* HNUMA_DEBUG_VM builds prove the invariants after every change */
	if ((HNUMA_DEBUG_VM + 0) && hn_attr_set_check(set, why, sizeof(why))) {
		fprintf(stderr, "hnuma: attr set corrupted: %s\n", why);
		assert(!"attr set corrupted");
	}
}

int hn_attr_set_insert(struct hn_attr_set *set, struct hn_attr_node *n)
{
	struct hn_rb_node **link, *parent = NULL;
	unsigned int pos;

	if (!set || !n || n->start_pfn >= n->end_pfn)
		return -EINVAL;

	/*
	 * Ranges are disjoint, so the only candidates for overlap are the
	 * neighbours by start pfn.  A shared start pfn is an overlap too.
	 */
	pos = nodes_upper_bound(set, n->start_pfn);
	if (pos > 0 && set->nodes[pos - 1]->end_pfn > n->start_pfn)
		return -EEXIST;
	if (pos < set->nr && set->nodes[pos]->start_pfn < n->end_pfn)
		return -EEXIST;

	/* grow before touching anything, so -ENOMEM leaves the set as it was */
	if (set->nr == set->cap) {
		unsigned int cap = set->cap ? set->cap * 2 : 8;
		struct hn_attr_node **nodes;

		if (cap < set->cap)
			return -ENOMEM;
		nodes = (set->host_realloc ? set->host_realloc : realloc)(set->nodes,
									 (size_t)cap * sizeof(*nodes));
		if (!nodes)
			return -ENOMEM;
		set->nodes = nodes;
		set->cap = cap;
	}

	n->key = hn_mattr_cumulative(n->mattr);
	memmove(&set->nodes[pos + 1], &set->nodes[pos],
		(size_t)(set->nr - pos) * sizeof(*set->nodes));
	set->nodes[pos] = n;
	set->nr++;
	renumber(set, pos);

	link = &set->tree.rb_node;
	while (*link) {
		parent = *link;
		link = attr_less(n, rb_to_attr(parent)) ? &parent->rb_left : &parent->rb_right;
	}
	hn_rb_link_node(&n->rb, parent, link);
	hn_rb_insert_color(&n->rb, &set->tree);

	hn_attr_set_rebuild_caches(set);
	debug_check(set);
	return 0;
}

void hn_attr_set_remove(struct hn_attr_set *set, struct hn_attr_node *n)
{
	unsigned int id;

	if (!set || !n)
		return;
	id = n->id;
	/* a node from another set, or one already removed: a caller bug */
	if (id >= set->nr || set->nodes[id] != n) {
		assert(!"hn_attr_set_remove: node not in this set");
		return;
	}
	hn_rb_erase(&n->rb, &set->tree);
	memmove(&set->nodes[id], &set->nodes[id + 1],
		(size_t)(set->nr - id - 1) * sizeof(*set->nodes));
	set->nr--;
	renumber(set, id);
	hn_attr_set_rebuild_caches(set);
	debug_check(set);
}

/* ---- the validator ---------------------------------------------------- */

#define CHECK_FAIL(...)                                        \
	do {                                                   \
		if (why && len)                                \
			snprintf(why, (size_t)len, __VA_ARGS__); \
		return -EUCLEAN;                               \
	} while (0)

int hn_attr_set_check(const struct hn_attr_set *set, char *why, unsigned long len)
{
	struct hn_attr_node *ind[HN_MATTR_NR_PROPS][HN_MATTR_LEVELS];
	struct hn_attr_node *cum[HN_ATTR_MAX_CUM + 1];
	const struct hn_attr_node *prev = NULL;
	const struct hn_rb_node *rb;
	const char *rbwhy = NULL;
	unsigned int bh, count = 0;

	if (why && len)
		why[0] = '\0';
	if (!set)
		CHECK_FAIL("NULL set");
	if (set->nr > set->cap || (set->cap && !set->nodes))
		CHECK_FAIL("nr %u cap %u nodes %s", set->nr, set->cap, set->nodes ? "set" : "NULL");
	if (hn_rb_check(&set->tree, &bh, &rbwhy))
		CHECK_FAIL("rbtree: %s", rbwhy ? rbwhy : "invalid");

	for (unsigned int i = 0; i < set->nr; i++) {
		const struct hn_attr_node *n = set->nodes[i];

		if (!n)
			CHECK_FAIL("nodes[%u] is NULL", i);
		if (n->id != i)
			CHECK_FAIL("nodes[%u] has id %u", i, n->id);
		if (n->start_pfn >= n->end_pfn)
			CHECK_FAIL("node %u: empty range [%#" PRIx64 ", %#" PRIx64 ")", i,
				   n->start_pfn, n->end_pfn);
		if (i && set->nodes[i - 1]->end_pfn > n->start_pfn)
			CHECK_FAIL("nodes %u and %u: ranges out of order or overlapping", i - 1, i);
		if (n->key != hn_mattr_cumulative(n->mattr))
			CHECK_FAIL("node %u: key %u, cumulative mattr %u", i, n->key,
				   hn_mattr_cumulative(n->mattr));
	}

	/*
	 * Every tree node is nodes[its id], and there are nr of them; nodes[]
	 * holds distinct pointers (strictly increasing start pfns), so the
	 * two hold the same set.
	 */
	for (rb = hn_rb_first(&set->tree); rb; rb = hn_rb_next(rb)) {
		const struct hn_attr_node *n = rb_to_attr(rb);

		if (++count > set->nr)
			CHECK_FAIL("tree holds more than nr %u nodes", set->nr);
		if (n->id >= set->nr || set->nodes[n->id] != n)
			CHECK_FAIL("tree node with id %u is not nodes[%u]", n->id, n->id);
		if (prev && !attr_less(prev, n))
			CHECK_FAIL("in-order keys: node %u (key %u) before node %u (key %u)",
				   prev->id, prev->key, n->id, n->key);
		prev = n;
	}
	if (count != set->nr)
		CHECK_FAIL("tree holds %u nodes, nr %u", count, set->nr);
	/* the augmentation, once the tree itself is known to be sound */
	for (rb = hn_rb_first(&set->tree); rb; rb = hn_rb_next(rb)) {
		const struct hn_attr_node *n = rb_to_attr(rb);

		for (int p = 0; p < HN_MATTR_NR_PROPS; p++) {
			uint32_t has = 1u << hn_mattr_level(n->mattr, p);

			if (rb->rb_left)
				has |= rb_to_attr(rb->rb_left)->sub_levels[p];
			if (rb->rb_right)
				has |= rb_to_attr(rb->rb_right)->sub_levels[p];
			if (n->sub_levels[p] != has)
				CHECK_FAIL("node %u: sub_levels[%s] %#x, subtree has %#x", n->id,
					   hn_mattr_prop_name(p), n->sub_levels[p], has);
		}
	}

	compute_caches(set, ind, cum);
	for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
		for (int l = 0; l < HN_MATTR_LEVELS; l++)
			if (ind[p][l] != set->cdm_ind[p][l])
				CHECK_FAIL("cdm_ind[%s][%d] stale", hn_mattr_prop_name(p), l);
	for (int c = 0; c <= HN_ATTR_MAX_CUM; c++)
		if (cum[c] != set->cdm_cum[c])
			CHECK_FAIL("cdm_cum[%d] stale", c);
	return 0;
}

/* ---- Graphviz --------------------------------------------------------- */

/* @s as the inside of a DOT/HTML string: no quotes, brackets or ampersands. */
static void dot_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '"':
			fputs("&quot;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputc(' ', f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

static void dot_cache_cell(FILE *f, const struct hn_attr_node *n)
{
	if (n)
		fprintf(f, "<TD>%u</TD>", n->id);
	else
		fputs("<TD>-</TD>", f);
}

/*
 * Nodes are named by id, never by address, so two runs print the same text.
 * An only child gets an invisible sibling so that "left" and "right" stay
 * visible in the drawing (dot has no notion of them otherwise).
 */
int hn_attr_set_dot(const struct hn_attr_set *set, FILE *f, const char *title)
{
	const struct hn_rb_node *rb;
	char buf[96];

	if (!set || !f)
		return -EINVAL;
	fputs("digraph attr_set {\n", f);
	fputs("\tlabelloc=t;\n\tlabel=\"", f);
	dot_escape(f, title ? title : "attribute nodes");
	fprintf(f, " (%u nodes)\";\n", set->nr);
	fputs("\tordering=out;\n", f);
	fputs("\tnode [shape=box, style=filled, fontname=\"monospace\", fontsize=10];\n", f);

	for (rb = hn_rb_first(&set->tree); rb; rb = hn_rb_next(rb)) {
		const struct hn_attr_node *n = rb_to_attr(rb);
		bool red = hn_rb_is_red(rb);

		fprintf(f, "\tn%u [label=\"key %u  id %u\\n[%#" PRIx64 ", %#" PRIx64 ")\\n", n->id,
			n->key, n->id, n->start_pfn, n->end_pfn);
		dot_escape(f, hn_mattr_format(n->mattr, buf, sizeof(buf)));
		fprintf(f, "\", fillcolor=%s, fontcolor=%s, color=%s];\n", red ? "red" : "black",
			"white", red ? "red" : "black");
	}
	for (rb = hn_rb_first(&set->tree); rb; rb = hn_rb_next(rb)) {
		const struct hn_attr_node *n = rb_to_attr(rb);
		const struct hn_rb_node *kid[2] = { rb->rb_left, rb->rb_right };

		if (!kid[0] && !kid[1])
			continue;
		for (int k = 0; k < 2; k++) {
			if (kid[k]) {
				fprintf(f, "\tn%u -> n%u;\n", n->id, rb_to_attr(kid[k])->id);
			} else {
				fprintf(f, "\tnil%u%c [shape=point, style=invis];\n", n->id, "lr"[k]);
				fprintf(f, "\tn%u -> nil%u%c [style=invis];\n", n->id, n->id, "lr"[k]);
			}
		}
	}

	/* the caches as tables of node ids ("-": no node) */
	fputs("\tcdm_ind [shape=plaintext, style=\"\", label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" "
	      "CELLSPACING=\"0\">\n\t\t<TR><TD>cdm_ind</TD>",
	      f);
	for (int l = 1; l <= HN_MATTR_LEVELS; l++)
		fprintf(f, "<TD>%d</TD>", l);
	fputs("</TR>\n", f);
	for (int p = 0; p < HN_MATTR_NR_PROPS; p++) {
		fprintf(f, "\t\t<TR><TD>%s</TD>", hn_mattr_prop_name(p));
		for (int l = 0; l < HN_MATTR_LEVELS; l++)
			dot_cache_cell(f, set->cdm_ind[p][l]);
		fputs("</TR>\n", f);
	}
	fputs("\t\t</TABLE>>];\n", f);

	fputs("\tcdm_cum [shape=plaintext, style=\"\", label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" "
	      "CELLSPACING=\"0\">\n\t\t<TR><TD>cdm_cum</TD>",
	      f);
	for (int c = 0; c < 16; c++)
		fprintf(f, "<TD>+%d</TD>", c);
	fputs("</TR>\n", f);
	for (int row = 0; row <= HN_ATTR_MAX_CUM; row += 16) {
		fprintf(f, "\t\t<TR><TD>%d</TD>", row);
		for (int c = row; c < row + 16; c++) {
			if (c <= HN_ATTR_MAX_CUM)
				dot_cache_cell(f, set->cdm_cum[c]);
			else
				fputs("<TD></TD>", f);
		}
		fputs("</TR>\n", f);
	}
	fputs("\t\t</TABLE>>];\n", f);
	fputs("}\n", f);
	return ferror(f) ? -EIO : 0;
}

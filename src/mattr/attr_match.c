/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * attr_match.c - which attribute node serves a request: the slides' rule
 * ("Memory Attribute Matching") and the alternatives we compare it with.
 *
 *   strategy        answers                          cost per lookup
 *   slides          the default rule, from cdm_ind    O(1)
 *                   / cdm_cum (the slides' caches)
 *   slides-tree     the default rule, from the tree   O(log n)
 *                   (one property: with the per-
 *                   subtree level masks)
 *   weighted        least sum of w_p * |difference|   O(n)
 *   lexicographic   least |difference| property by    O(n)
 *                   property, most important first
 *   linear          the default rule, scanning        O(n): the baseline
 *                   nodes[]
 *
 * The default rule (attr.h): one property requested, distance is the node's
 * level of it minus the requested level; several, distance is the node's
 * key minus the request's cumulative value.
 *
 * A quirk kept on purpose: for several properties the slides compare the
 * node's cumulative value, the sum of ALL SIX of its levels, with the
 * request's, the sum of the requested levels ONLY.  A request for
 * latency 16 and bandwidth 16 (cumulative 32) therefore matches a node
 * whose six levels sum to 32 - say all about 5 - and not the node that has
 * latency 16 and bandwidth 16.  That is what the slides say ("exact or
 * closest match for cumulative value"), so "slides" does it; "weighted" and
 * "lexicographic" are what one would do instead, and bench/mattr measures
 * the difference in match quality.
 *
 * Ties, the same chain for every strategy after its own score:
 *   1. the lower score (|d| for the default rule);
 *   2. "above" before "below": a node better than asked before one worse.
 *      The default rule: d >= 0.  weighted: sum of w_p * (node - want)
 *      >= 0.  lexicographic: the first property in priority order where
 *      node and request differ has node > want;
 *   3. the lower key (cumulative value);
 *   4. the lower id, i.e. the lower start pfn.
 * So every strategy is a function of the set and the request alone: scan
 * order never decides, which is why slides, slides-tree and linear can be
 * tested for equality on every request.
 *
 * One-property requests and the tree: it is ordered by the sum of six
 * levels, which says little about any one of them (a key k node has
 * level(p) anywhere in [k - 80, k - 5] clamped to 1..16), so a plain tree
 * can only walk in order.  slides-tree therefore keeps, in every node, the
 * levels present in its subtree per property (attr.h, sub_levels; 24 bytes
 * a node, rebuilt with the caches): the root says which level wins, and
 * one descent finds its first node in tree order.  The slides have no such
 * augmentation; their cdm_ind cache answers the same question in O(1).
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mattr/attr.h"

#define PRESENT_BITS(m) (((m) >> HN_MATTR_PRESENT_SHIFT) & 0x3fu)

static inline const struct hn_attr_node *rb_to_attr(const struct hn_rb_node *rb)
{
	return rb ? hn_rb_entry(rb, struct hn_attr_node, rb) : NULL;
}

static inline bool explaining(const struct hn_attr_explain *ex)
{
	return ex && ex->step;
}

static inline void explain(const struct hn_attr_explain *ex, const struct hn_attr_node *n,
			   long score, const char *why)
{
	if (explaining(ex))
		ex->step(ex->ctx, n, score, why);
}

/* ---- the tie chain ---------------------------------------------------- */

/*
 * The best node so far.  @score is what the strategy minimises, @surplus
 * says above (>= 0) or below, @shown is what explain() reports.
 */
struct best {
	const struct hn_attr_node *n;
	long score, surplus, shown;
};

/* Whether @n (with @score and @surplus) beats @b, and which rule said so. */
static bool beats(const struct best *b, const struct hn_attr_node *n, long score, long surplus,
		  const char **why)
{
	bool above, b_above;

	if (!b->n) {
		*why = !score ? "exact" : surplus >= 0 ? "first, above" : "first, below";
		return true;
	}
	if (score != b->score) {
		if (score > b->score) {
			*why = "farther";
			return false;
		}
		*why = !score ? "exact" : surplus >= 0 ? "closer above" : "closer below";
		return true;
	}
	above = surplus >= 0;
	b_above = b->surplus >= 0;
	if (above != b_above) {
		*why = above ? "tie: above before below" : "tie: below after above";
		return above;
	}
	if (n->key != b->n->key) {
		*why = n->key < b->n->key ? "tie: lower key" : "tie: higher key";
		return n->key < b->n->key;
	}
	if (n->id != b->n->id) {
		*why = n->id < b->n->id ? "tie: lower id" : "tie: higher id";
		return n->id < b->n->id;
	}
	*why = "same node";
	return false;
}

static inline void consider(struct best *b, const struct hn_attr_node *n, long score, long surplus,
			    long shown, const struct hn_attr_explain *ex)
{
	const char *why;

	if (beats(b, n, score, surplus, &why)) {
		b->n = n;
		b->score = score;
		b->surplus = surplus;
		b->shown = shown;
	}
	explain(ex, n, shown, why);
}

static inline const struct hn_attr_node *chosen(const struct best *b,
						const struct hn_attr_explain *ex)
{
	if (b->n)
		explain(ex, b->n, b->shown, "chosen");
	return b->n;
}

/* ---- the default rule ------------------------------------------------- */

/* A request as the default rule sees it. */
struct rule {
	int prop;		/* the one property, or -1 for several */
	long want;		/* its level, or the request's cumulative value */
};

static inline bool rule_init(struct rule *r, hn_mattr_t want)
{
	unsigned int present = PRESENT_BITS(want);

	if (!present)
		return false;
	if (!(present & (present - 1))) {
		r->prop = __builtin_ctz(present);
		r->want = (long)hn_mattr_level(want, r->prop);
	} else {
		r->prop = -1;
		r->want = (long)hn_mattr_cumulative(want);
	}
	return true;
}

/* The signed distance d of the default rule. */
static inline long rule_distance(const struct rule *r, const struct hn_attr_node *n)
{
	if (r->prop >= 0)
		return (long)hn_mattr_level(n->mattr, r->prop) - r->want;
	return (long)n->key - r->want;
}

static inline void rule_consider(struct best *b, const struct rule *r,
				 const struct hn_attr_node *n, const struct hn_attr_explain *ex)
{
	long d = rule_distance(r, n);

	consider(b, n, d < 0 ? -d : d, d, d, ex);
}

/* ---- slides: the caches ----------------------------------------------- */

static const struct hn_attr_node *slides_cached_match(const struct hn_attr_set *set, hn_mattr_t want,
						      const unsigned int *weights,
						      const struct hn_attr_explain *ex)
{
	unsigned int present = PRESENT_BITS(want), c;
	const struct hn_attr_node *n;
	struct rule r;

	if (!present)
		return NULL;
	if (!(present & (present - 1))) {
		int p = __builtin_ctz(present);

		n = set->cdm_ind[p][hn_mattr_level(want, p) - 1];
	} else {
		c = hn_mattr_cumulative(want);
		n = set->cdm_cum[c <= HN_ATTR_MAX_CUM ? c : HN_ATTR_MAX_CUM];
	}
	if (explaining(ex) && n) {
		rule_init(&r, want);
		explain(ex, n, rule_distance(&r, n), r.prop >= 0 ? "cdm_ind" : "cdm_cum");
		explain(ex, n, rule_distance(&r, n), "chosen");
	}
	return n;
}

/* ---- slides-tree: no caches ------------------------------------------- */

/*
 * The in-order first node with key >= @key: go left on >=, so among equal
 * keys we end on the leftmost, the lowest start pfn.  @r gives the distance
 * explain() reports, relative to the request even on the second descent.
 */
static const struct hn_attr_node *tree_lower_bound(const struct hn_attr_set *set, unsigned int key,
						   const struct rule *r,
						   const struct hn_attr_explain *ex)
{
	const struct hn_rb_node *rb = set->tree.rb_node;
	const struct hn_attr_node *hit = NULL;

	while (rb) {
		const struct hn_attr_node *n = rb_to_attr(rb);

		if (n->key >= key) {
			hit = n;
			rb = rb->rb_left;
			explain(ex, n, rule_distance(r, n), "descend left");
		} else {
			rb = rb->rb_right;
			explain(ex, n, rule_distance(r, n), "descend right");
		}
	}
	return hit;
}

/*
 * Several properties: the ceiling (least key >= c, lowest start pfn) by one
 * descent; unless it is exact, its in-order predecessor has the greatest
 * key < c.  Only when that key is strictly closer does the floor win, and
 * then we need the lowest start pfn of its key: a second descent.
 */
static const struct hn_attr_node *tree_match_cumulative(const struct hn_attr_set *set,
							const struct rule *r,
							const struct hn_attr_explain *ex)
{
	const struct hn_attr_node *ceil, *fl;
	unsigned int c = (unsigned int)r->want;
	struct best b = { 0 };

	ceil = tree_lower_bound(set, c, r, ex);
	if (ceil)
		rule_consider(&b, r, ceil, ex);
	if (!ceil || ceil->key != c) {
		fl = rb_to_attr(ceil ? hn_rb_prev(&ceil->rb) : hn_rb_last(&set->tree));
		if (fl && (!ceil || c - fl->key < ceil->key - c))
			fl = tree_lower_bound(set, fl->key, r, ex);
		if (fl)
			rule_consider(&b, r, fl, ex);
	}
	return chosen(&b, ex);
}

static const struct hn_attr_node *slides_tree_match(const struct hn_attr_set *set, hn_mattr_t want,
						    const unsigned int *weights,
						    const struct hn_attr_explain *ex)
{
	const struct hn_rb_node *rb;
	struct best b = { 0 };
	struct rule r;

	if (!rule_init(&r, want))
		return NULL;
	if (r.prop < 0)
		return tree_match_cumulative(set, &r, ex);
	rb = set->tree.rb_node;
	if (!rb)
		return NULL;
	/*
	 * One property: the root's sub_levels say which levels exist at all,
	 * so the winning level is known before any descent (least |d|, above
	 * before below).  The winner is then the in-order first node with
	 * that level (lower key, then lower start pfn): go left whenever the
	 * left subtree has the level.
	 */
	{
		uint32_t levels = rb_to_attr(rb)->sub_levels[r.prop];
		long level = -1;

		for (long d = 0; level < 0 && d <= HN_MATTR_LEVELS; d++) {
			if (r.want + d <= HN_MATTR_LEVELS && (levels >> (r.want + d) & 1))
				level = r.want + d;
			else if (r.want - d >= 0 && (levels >> (r.want - d) & 1))
				level = r.want - d;
		}
		while (rb) {
			const struct hn_attr_node *n = rb_to_attr(rb);

			if (rb->rb_left && (rb_to_attr(rb->rb_left)->sub_levels[r.prop] >> level & 1)) {
				explain(ex, n, rule_distance(&r, n), "descend left");
				rb = rb->rb_left;
			} else if ((long)hn_mattr_level(n->mattr, r.prop) == level) {
				rule_consider(&b, &r, n, ex);
				break;
			} else {
				explain(ex, n, rule_distance(&r, n), "descend right");
				rb = rb->rb_right;
			}
		}
	}
	return chosen(&b, ex);
}

/* ---- linear: the baseline --------------------------------------------- */

static const struct hn_attr_node *linear_match(const struct hn_attr_set *set, hn_mattr_t want,
					       const unsigned int *weights,
					       const struct hn_attr_explain *ex)
{
	struct best b = { 0 };
	struct rule r;

	if (!rule_init(&r, want))
		return NULL;
	for (unsigned int i = 0; i < set->nr; i++)
		rule_consider(&b, &r, set->nodes[i], ex);
	return chosen(&b, ex);
}

/* ---- weighted and lexicographic --------------------------------------- */

/* The requested properties, in priority order for lexicographic. */
struct wanted_prop {
	int prop;
	long level;
	long weight;
};

struct wanted {
	unsigned int nr;
	struct wanted_prop p[HN_MATTR_NR_PROPS];
};

static bool wanted_init(struct wanted *w, hn_mattr_t want, const unsigned int *weights)
{
	unsigned int present = PRESENT_BITS(want);

	w->nr = 0;
	for (int p = 0; p < HN_MATTR_NR_PROPS; p++) {
		if (!(present & (1u << p)))
			continue;
		w->p[w->nr].prop = p;
		w->p[w->nr].level = (long)hn_mattr_level(want, p);
		w->p[w->nr].weight = weights ? (long)weights[p] : 1;
		w->nr++;
	}
	return w->nr != 0;
}

/*
 * Highest weight first, equal weights by property index.  Insertion sort of
 * at most six, stable, so the index order survives among equal weights.
 */
static void wanted_sort_by_weight(struct wanted *w)
{
	for (unsigned int i = 1; i < w->nr; i++) {
		struct wanted_prop x = w->p[i];
		unsigned int j = i;

		while (j > 0 && w->p[j - 1].weight < x.weight) {
			w->p[j] = w->p[j - 1];
			j--;
		}
		w->p[j] = x;
	}
}

static const struct hn_attr_node *weighted_match(const struct hn_attr_set *set, hn_mattr_t want,
						 const unsigned int *weights,
						 const struct hn_attr_explain *ex)
{
	struct best b = { 0 };
	struct wanted w;

	if (!wanted_init(&w, want, weights))
		return NULL;
	for (unsigned int i = 0; i < set->nr; i++) {
		const struct hn_attr_node *n = set->nodes[i];
		long score = 0, surplus = 0;

		for (unsigned int k = 0; k < w.nr; k++) {
			long d = (long)hn_mattr_level(n->mattr, w.p[k].prop) - w.p[k].level;

			score += w.p[k].weight * (d < 0 ? -d : d);
			surplus += w.p[k].weight * d;
		}
		consider(&b, n, score, surplus, score, ex);
	}
	return chosen(&b, ex);
}

/*
 * |d| of each property as one base-17 number, most important property in
 * the top digit (|d| is at most 16, against an absent level 0), so that
 * comparing the numbers compares the vectors lexicographically: 17^6 fits.
 */
static const struct hn_attr_node *lexicographic_match(const struct hn_attr_set *set,
						      hn_mattr_t want,
						      const unsigned int *weights,
						      const struct hn_attr_explain *ex)
{
	struct best b = { 0 };
	struct wanted w;

	if (!wanted_init(&w, want, weights))
		return NULL;
	wanted_sort_by_weight(&w);
	for (unsigned int i = 0; i < set->nr; i++) {
		const struct hn_attr_node *n = set->nodes[i];
		long score = 0, surplus = 0;

		for (unsigned int k = 0; k < w.nr; k++) {
			long d = (long)hn_mattr_level(n->mattr, w.p[k].prop) - w.p[k].level;

			score = score * 17 + (d < 0 ? -d : d);
			if (!surplus)
				surplus = d;
		}
		consider(&b, n, score, surplus, score, ex);
	}
	return chosen(&b, ex);
}

/* ---- the table -------------------------------------------------------- */

const struct hn_attr_match_ops hn_attr_match_slides_cached = {
	.name = "slides",
	.summary = "the slides' rule from the cdm_ind/cdm_cum caches, O(1)",
	.match = slides_cached_match,
};

const struct hn_attr_match_ops hn_attr_match_slides_tree = {
	.name = "slides-tree",
	.summary = "the slides' rule from the RB tree: O(log n) for several properties, "
		   "an in-order walk for one",
	.match = slides_tree_match,
};

const struct hn_attr_match_ops hn_attr_match_weighted = {
	.name = "weighted",
	.summary = "least sum of weight * |level difference| over the requested properties",
	.match = weighted_match,
};

const struct hn_attr_match_ops hn_attr_match_lexicographic = {
	.name = "lexicographic",
	.summary = "least |level difference| property by property, highest weight first",
	.match = lexicographic_match,
};

const struct hn_attr_match_ops hn_attr_match_linear = {
	.name = "linear",
	.summary = "the slides' rule by scanning every node (the baseline)",
	.match = linear_match,
};

static const struct hn_attr_match_ops *const strategies[] = {
	&hn_attr_match_slides_cached,
	&hn_attr_match_slides_tree,
	&hn_attr_match_weighted,
	&hn_attr_match_lexicographic,
	&hn_attr_match_linear,
};

const struct hn_attr_match_ops *hn_attr_match_nth(unsigned int i)
{
	return i < sizeof(strategies) / sizeof(strategies[0]) ? strategies[i] : NULL;
}

const struct hn_attr_match_ops *hn_attr_match_by_name(const char *name)
{
	if (!name)
		return NULL;
	for (unsigned int i = 0; i < sizeof(strategies) / sizeof(strategies[0]); i++)
		if (!strcmp(strategies[i]->name, name))
			return strategies[i];
	return NULL;
}

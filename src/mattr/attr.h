/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * attr.h - hierarchical-NUMA attribute nodes of a zone and the matching of
 * requests to them (../shared/seeds/hierarchical-numa-slides.txt).
 *
 * Map:
 *   hn_attr_set                    one per zone (the slides' zone fields)
 *     tree                         RB tree of attribute nodes keyed by
 *                                  cumulative mattr, ties by start pfn
 *     nodes[nr]                    the same nodes in start-pfn order (ids)
 *     cdm_ind[prop][level-1]       search cache: the node a one-property
 *                                  request of that level matches
 *     cdm_cum[cumulative]          search cache: the node a multi-property
 *                                  request of that cumulative value matches
 *   hn_attr_node                   the slides' cdm_node: rb node, mattr,
 *                                  its own free areas (wired by the core)
 *
 * Matching is an ops table (struct hn_attr_match_ops) so strategies can be
 * compared on one machine and seed.  Every strategy returns a node or NULL
 * (nothing can serve the request) and may explain its decision.
 *
 * The default rule (the slides'; "slides", "slides-tree" and "linear" give
 * its answers, attr_match.c says how each finds them):
 *   one property p at level l:  distance d = level(node, p) - l
 *                               (an absent property has level 0)
 *   several properties:         distance d = node->key - cumulative(want),
 *                               i.e. the node's six levels summed against
 *                               the requested levels only (the slides
 *                               compare these literally)
 *   winner: the least |d|; then d >= 0 before d < 0 (a node better than
 *   asked before a worse one); then the lower key; then the lower id (the
 *   lower start pfn).  Every strategy breaks ties of its own score in the
 *   same order, with its own notion of "above" (attr_match.c).
 *
 * Invariants (hn_attr_set_check()):
 *   the tree is a valid red-black tree (hn_rb_check());
 *   in-order (key, start_pfn) strictly increasing;
 *   node->key == hn_mattr_cumulative(node->mattr);
 *   the tree holds exactly nodes[0..nr), and nodes[i]->id == i;
 *   every node's sub_levels[p] is the union of its own level bit and its
 *   children's sub_levels[p];
 *   nodes[i]->start_pfn < nodes[i]->end_pfn <= nodes[i + 1]->start_pfn;
 *   cdm_ind and cdm_cum equal what the default rule computes from nodes[].
 * insert and remove keep all of these, caches included.
 *
 * Locking is the caller's.
 */
#ifndef HN_MATTR_ATTR_H
#define HN_MATTR_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <hnuma/mattr.h>

#include "util/rbtree.h"

#define HN_ATTR_MAX_CUM (HN_MATTR_LEVELS * HN_MATTR_NR_PROPS)	/* 96 */

struct hn_attr_node {
	struct hn_rb_node rb;
	hn_mattr_t mattr;
	unsigned int key;		/* hn_mattr_cumulative(mattr) */
	unsigned int id;		/* index in hn_attr_set.nodes[]; changes on insert/remove */
	uint64_t start_pfn, end_pfn;	/* the contiguous range it covers, [start, end) */
	void *owner;			/* the core's per-node state (free areas) */
	/*
	 * Augmentation for "slides-tree": bit l of sub_levels[p] is set when
	 * some node of this subtree has level l (0 = absent) of property p.
	 * Rebuilt with the caches; lets a one-property search descend in
	 * O(log n) instead of walking the tree in order.
	 */
	uint32_t sub_levels[HN_MATTR_NR_PROPS];
};

struct hn_attr_set {
	struct hn_rb_root tree;
	struct hn_attr_node **nodes;	/* by start pfn */
	unsigned int nr, cap;
	struct hn_attr_node *cdm_ind[HN_MATTR_NR_PROPS][HN_MATTR_LEVELS];
	struct hn_attr_node *cdm_cum[HN_ATTR_MAX_CUM + 1];
	/*
	 * How nodes[] grows; NULL (what init sets): realloc(3).  A seam for
	 * tests to fail host allocations without wrapping the C library; what
	 * it returns is released with free(3).
	 */
	void *(*host_realloc)(void *ptr, size_t size);
};

/*
 * One step of a decision, for hn_attr_explain-style traces.  step() is called
 * for every node a strategy looks at, in the order it looks, with the
 * strategy's score for it (the default rule: the signed distance d; weighted:
 * the weighted distance; lexicographic: the |differences| as base-17 digits,
 * most important first) and why it wins or loses against the best so far
 * ("exact", "first, above", "closer above", "closer below", "farther",
 * "tie: above before below", "tie: lower key", "tie: higher id", ...; the
 * tree descent says "descend left" / "descend right", the caches "cdm_ind" /
 * "cdm_cum").  The last call names the node returned, with why == "chosen".
 * Nothing is called when the answer is NULL and nothing was looked at.
 */
struct hn_attr_explain {
	void (*step)(void *ctx, const struct hn_attr_node *n, long score, const char *why);
	void *ctx;
};

/*
 * A matching strategy.  match() returns the node a request for @want
 * (a word with at least one property present) should use, or NULL: for an
 * empty set, or a @want with no property present.  @weights is the caller's
 * per-property weights, HN_MATTR_NR_PROPS of them, for strategies that use
 * them (NULL: all 1); @ex may be NULL.  Strategies must be deterministic:
 * ties are broken by the documented rule of each.  match() never allocates
 * and never changes the set, so lookups may run concurrently with each other.
 */
struct hn_attr_match_ops {
	const char *name;
	const char *summary;
	const struct hn_attr_node *(*match)(const struct hn_attr_set *set, hn_mattr_t want,
					    const unsigned int *weights,
					    const struct hn_attr_explain *ex);
};

/* The strategies shipped (attr_match.c), all reachable by name. */
extern const struct hn_attr_match_ops hn_attr_match_slides_cached;	/* "slides" (default) */
extern const struct hn_attr_match_ops hn_attr_match_slides_tree;	/* "slides-tree" */
extern const struct hn_attr_match_ops hn_attr_match_weighted;		/* "weighted" */
extern const struct hn_attr_match_ops hn_attr_match_lexicographic;	/* "lexicographic" */
extern const struct hn_attr_match_ops hn_attr_match_linear;		/* "linear" */
const struct hn_attr_match_ops *hn_attr_match_by_name(const char *name);
const struct hn_attr_match_ops *hn_attr_match_nth(unsigned int i);	/* NULL past the end */

/*
 * Set maintenance (attr_set.c).  insert sets n->key and n->id (and renumbers
 * the nodes after it) from n->mattr and n->start_pfn, and rebuilds the
 * caches.  0; -EINVAL (NULL, or an empty range); -EEXIST (the range overlaps
 * a node's in the set); -ENOMEM (host memory; the set is unchanged).
 * remove takes a node that is in the set (anything else is a caller bug)
 * and rebuilds the caches.
 */
void hn_attr_set_init(struct hn_attr_set *set);
void hn_attr_set_fini(struct hn_attr_set *set);	/* frees the array, not the nodes */
int hn_attr_set_insert(struct hn_attr_set *set, struct hn_attr_node *n);
void hn_attr_set_remove(struct hn_attr_set *set, struct hn_attr_node *n);
/*
 * Recompute both caches from the nodes: O(nr + 6 * 17 * 17 + 97).  insert
 * and remove already call it, so boot and hotplug need not; it stays public
 * for the slides' "updated during boot and memory hotplug" step to be named
 * where the core does it, and for tests.
 */
void hn_attr_set_rebuild_caches(struct hn_attr_set *set);
/* 0, or -EUCLEAN with the first violation described into @why. */
int hn_attr_set_check(const struct hn_attr_set *set, char *why, unsigned long len);
/* Graphviz: the tree with keys and colours, and the caches. */
int hn_attr_set_dot(const struct hn_attr_set *set, FILE *f, const char *title);

#endif /* HN_MATTR_ATTR_H */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rbtree.h - intrusive red-black trees, shaped like the kernel's
 * include/linux/rbtree.h so that code using them reads the same.
 *
 * The caller embeds struct hn_rb_node in its object, finds the insertion
 * point by its own comparison (walking rb_left/rb_right from the root),
 * links the node with hn_rb_link_node() and rebalances with
 * hn_rb_insert_color().  The colour lives in the low bit of the parent
 * pointer, as in the kernel.
 *
 * Invariants (hn_rb_check()): the root is black; a red node has no red
 * child; every path from a node to its leaves has the same number of black
 * nodes; parent pointers agree with child pointers.  Ordering is the
 * caller's to check (it owns the comparison).
 *
 * Locking is the caller's.  No allocation happens here.
 */
#ifndef HN_UTIL_RBTREE_H
#define HN_UTIL_RBTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hn_rb_node {
	uintptr_t rb_parent_color;	/* parent pointer | colour bit (1 = black) */
	struct hn_rb_node *rb_right;
	struct hn_rb_node *rb_left;
};

struct hn_rb_root {
	struct hn_rb_node *rb_node;
};

#define HN_RB_ROOT ((struct hn_rb_root){ NULL })
#define HN_RB_RED 0
#define HN_RB_BLACK 1

#define hn_rb_entry(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

static inline struct hn_rb_node *hn_rb_parent(const struct hn_rb_node *n)
{
	return (struct hn_rb_node *)(n->rb_parent_color & ~(uintptr_t)3);
}

static inline bool hn_rb_is_black(const struct hn_rb_node *n)
{
	return !n || (n->rb_parent_color & 1);
}

static inline bool hn_rb_is_red(const struct hn_rb_node *n)
{
	return !hn_rb_is_black(n);
}

static inline bool hn_rb_empty_root(const struct hn_rb_root *root)
{
	return root->rb_node == NULL;
}

/* Put @node, a new red leaf, at *@link below @parent. */
static inline void hn_rb_link_node(struct hn_rb_node *node, struct hn_rb_node *parent,
				   struct hn_rb_node **link)
{
	node->rb_parent_color = (uintptr_t)parent;
	node->rb_left = node->rb_right = NULL;
	*link = node;
}

/* Rebalance after hn_rb_link_node(). */
void hn_rb_insert_color(struct hn_rb_node *node, struct hn_rb_root *root);
/* Unlink @node and rebalance. */
void hn_rb_erase(struct hn_rb_node *node, struct hn_rb_root *root);

/* In-order iteration; NULL at either end. */
struct hn_rb_node *hn_rb_first(const struct hn_rb_root *root);
struct hn_rb_node *hn_rb_last(const struct hn_rb_root *root);
struct hn_rb_node *hn_rb_next(const struct hn_rb_node *node);
struct hn_rb_node *hn_rb_prev(const struct hn_rb_node *node);

/*
 * The colour and link invariants above.  Returns 0, or -1 with a short
 * reason in @why; *@black_height receives the tree's black height.
 */
int hn_rb_check(const struct hn_rb_root *root, unsigned int *black_height, const char **why);

#endif /* HN_UTIL_RBTREE_H */

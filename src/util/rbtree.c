// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * rbtree.c - the red-black tree behind attribute nodes and other ordered
 * sets, written for hnuma to follow the case analysis of the kernel's
 * lib/rbtree.c (insert Cases 1-3, erase Cases 1-4) so a student can read
 * the two side by side.  The augmented callbacks and the lockless-lookup
 * store ordering of the kernel are left out: nothing here is augmented
 * and the caller serialises every access.
 *
 * The properties kept (checked by hn_rb_check()):
 *   1) every node is red or black;
 *   2) the root is black;
 *   3) NULL leaves count as black;
 *   4) a red node has two black children;
 *   5) every path from a node down to a NULL leaf crosses the same number
 *      of black nodes.
 * 4) and 5) bound the height by 2 * log2(n + 1): the longest path
 * alternates red and black, the shortest is all black.
 *
 * Pictures: upper case is black, lower case red, (x) either colour.
 */
#include "rbtree.h"

/*
 * The parent word is pointer | colour.  Nodes are at least 4-byte aligned
 * (they hold pointers), so bit 0 is free for the colour and bit 1 stays 0.
 */
static inline void rb_set_parent(struct hn_rb_node *n, struct hn_rb_node *p)
{
	n->rb_parent_color = (n->rb_parent_color & 1) | (uintptr_t)p;
}

static inline void rb_set_parent_color(struct hn_rb_node *n, struct hn_rb_node *p,
				       int color)
{
	n->rb_parent_color = (uintptr_t)p | (uintptr_t)color;
}

static inline void rb_set_black(struct hn_rb_node *n)
{
	n->rb_parent_color |= HN_RB_BLACK;
}

/*
 * A red node's parent word has the colour bit clear, so it is the parent
 * pointer as it stands; the insert loop only asks this of red nodes.
 */
static inline struct hn_rb_node *rb_red_parent(const struct hn_rb_node *red)
{
	return (struct hn_rb_node *)red->rb_parent_color;
}

/* Make @parent (or the root, when @parent is NULL) point at @new instead of @old. */
static inline void change_child(struct hn_rb_node *old, struct hn_rb_node *new,
				struct hn_rb_node *parent, struct hn_rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/*
 * The tail of every rotation: @new takes @old's place below @old's parent
 * (and @old's colour with it), @old hangs below @new with @color.  The
 * caller has already moved the subtree that changes sides.
 */
static inline void rotate_set_parents(struct hn_rb_node *old, struct hn_rb_node *new,
				      struct hn_rb_root *root, int color)
{
	struct hn_rb_node *parent = hn_rb_parent(old);

	new->rb_parent_color = old->rb_parent_color;
	rb_set_parent_color(old, new, color);
	change_child(old, new, parent, root);
}

void hn_rb_insert_color(struct hn_rb_node *node, struct hn_rb_root *root)
{
	struct hn_rb_node *parent = rb_red_parent(node), *gparent, *tmp;

	for (;;) {
		/* @node is red here on every pass. */
		if (!parent) {
			/*
			 * @node is the root: a first node, or Case 1 pushed the
			 * red up to the top.  Blackening the root adds one to
			 * every path, so 5) holds.
			 */
			rb_set_parent_color(node, NULL, HN_RB_BLACK);
			break;
		}
		/* Under a black parent a red node breaks nothing. */
		if (hn_rb_is_black(parent))
			break;

		/* A red parent is never the root, so the grandparent exists. */
		gparent = rb_red_parent(parent);

		tmp = gparent->rb_right;
		if (parent != tmp) {
			/* @parent is gparent's left child; @tmp is the uncle. */
			if (tmp && hn_rb_is_red(tmp)) {
				/*
				 * Case 1 - red uncle: recolour.
				 *
				 *       G            g
				 *      / \          / \
				 *     p   u  -->   P   U
				 *    /            /
				 *   n            n
				 *
				 * Black heights below G are unchanged, but g may
				 * now sit under a red node: go round again at g.
				 */
				rb_set_parent_color(tmp, gparent, HN_RB_BLACK);
				rb_set_parent_color(parent, gparent, HN_RB_BLACK);
				node = gparent;
				parent = hn_rb_parent(node);
				rb_set_parent_color(node, parent, HN_RB_RED);
				continue;
			}

			tmp = parent->rb_right;
			if (node == tmp) {
				/*
				 * Case 2 - black uncle, @node is an inner
				 * grandchild: rotate left at p so that the red
				 * pair lines up on the outside for Case 3.
				 *
				 *      G             G
				 *     / \           / \
				 *    p   U  -->    n   U
				 *     \           /
				 *      n         p
				 */
				tmp = node->rb_left;
				parent->rb_right = tmp;
				node->rb_left = parent;
				if (tmp)
					rb_set_parent_color(tmp, parent, HN_RB_BLACK);
				rb_set_parent_color(parent, node, HN_RB_RED);
				parent = node;
				tmp = node->rb_right;
			}

			/*
			 * Case 3 - black uncle, @node is an outer grandchild:
			 * rotate right at G; p takes G's black, G turns red.
			 *
			 *        G           P
			 *       / \         / \
			 *      p   U  -->  n   g
			 *     /                 \
			 *    n                   U
			 *
			 * Both sides keep their black count; no red pair left.
			 */
			gparent->rb_left = tmp;
			parent->rb_right = gparent;
			if (tmp)
				rb_set_parent_color(tmp, gparent, HN_RB_BLACK);
			rotate_set_parents(gparent, parent, root, HN_RB_RED);
			break;
		} else {
			/* The mirror image: @parent is gparent's right child. */
			tmp = gparent->rb_left;
			if (tmp && hn_rb_is_red(tmp)) {
				/* Case 1 - red uncle: recolour, retry at g. */
				rb_set_parent_color(tmp, gparent, HN_RB_BLACK);
				rb_set_parent_color(parent, gparent, HN_RB_BLACK);
				node = gparent;
				parent = hn_rb_parent(node);
				rb_set_parent_color(node, parent, HN_RB_RED);
				continue;
			}

			tmp = parent->rb_left;
			if (node == tmp) {
				/* Case 2 - inner grandchild: rotate right at p. */
				tmp = node->rb_right;
				parent->rb_left = tmp;
				node->rb_right = parent;
				if (tmp)
					rb_set_parent_color(tmp, parent, HN_RB_BLACK);
				rb_set_parent_color(parent, node, HN_RB_RED);
				parent = node;
				tmp = node->rb_left;
			}

			/* Case 3 - outer grandchild: rotate left at G. */
			gparent->rb_right = tmp;
			parent->rb_left = gparent;
			if (tmp)
				rb_set_parent_color(tmp, gparent, HN_RB_BLACK);
			rotate_set_parents(gparent, parent, root, HN_RB_RED);
			break;
		}
	}
}

/*
 * Restore 5) after a black node left the tree below @parent.  On entry the
 * paths through @parent on the side that lost the node are one black short;
 * that side's child (@node) is NULL on the first pass and black after.
 */
static void erase_color(struct hn_rb_node *parent, struct hn_rb_root *root)
{
	struct hn_rb_node *node = NULL, *sibling, *tmp1, *tmp2;

	for (;;) {
		sibling = parent->rb_right;
		if (node != sibling) {
			/* @node is parent's left child. */
			if (hn_rb_is_red(sibling)) {
				/*
				 * Case 1 - red sibling: rotate left at P so that
				 * N's new sibling (Sl) is black, then go on with
				 * Cases 2-4 below a red p.
				 *
				 *     P               S
				 *    / \             / \
				 *   N   s    -->    p   Sr
				 *      / \         / \
				 *     Sl  Sr      N   Sl
				 */
				tmp1 = sibling->rb_left;
				parent->rb_right = tmp1;
				sibling->rb_left = parent;
				rb_set_parent_color(tmp1, parent, HN_RB_BLACK);
				rotate_set_parents(parent, sibling, root, HN_RB_RED);
				sibling = tmp1;
			}
			tmp1 = sibling->rb_right;
			if (hn_rb_is_black(tmp1)) {
				tmp2 = sibling->rb_left;
				if (hn_rb_is_black(tmp2)) {
					/*
					 * Case 2 - black sibling with black
					 * children: make S red, so both sides of
					 * (p) are one short.
					 *
					 *    (p)           (p)
					 *    / \           / \
					 *   N   S    -->  N   s
					 *      / \           / \
					 *     Sl  Sr        Sl  Sr
					 *
					 * A red p turns black and pays the debt
					 * (always the case after Case 1); a black P
					 * passes it up one level.
					 */
					rb_set_parent_color(sibling, parent, HN_RB_RED);
					if (hn_rb_is_red(parent)) {
						rb_set_black(parent);
					} else {
						node = parent;
						parent = hn_rb_parent(node);
						if (parent)
							continue;
					}
					break;
				}
				/*
				 * Case 3 - black sibling, red inner nephew:
				 * rotate right at S so the red nephew is on
				 * the outside, which Case 4 needs.
				 *
				 *   (p)           (p)
				 *   / \           / \
				 *  N   S    -->  N   sl
				 *     / \             \
				 *    sl  Sr            S
				 *                       \
				 *                        Sr
				 *
				 * sl keeps its red for the moment; Case 4 gives
				 * it p's colour and so never leaves two reds.
				 */
				tmp1 = tmp2->rb_right;
				sibling->rb_left = tmp1;
				tmp2->rb_right = sibling;
				parent->rb_right = tmp2;
				if (tmp1)
					rb_set_parent_color(tmp1, sibling, HN_RB_BLACK);
				tmp1 = sibling;
				sibling = tmp2;
			}
			/*
			 * Case 4 - black sibling, red outer nephew: rotate left
			 * at (p); S takes p's colour, P and Sr go black.  N's
			 * side gains a black (P) and S's side keeps its count
			 * (Sr replaces S), so the debt is paid.
			 *
			 *      (p)             (s)
			 *      / \             / \
			 *     N   S     -->   P   Sr
			 *        / \         / \
			 *      (sl) sr      N  (sl)
			 */
			tmp2 = sibling->rb_left;
			parent->rb_right = tmp2;
			sibling->rb_left = parent;
			rb_set_parent_color(tmp1, sibling, HN_RB_BLACK);
			if (tmp2)
				rb_set_parent(tmp2, parent);
			rotate_set_parents(parent, sibling, root, HN_RB_BLACK);
			break;
		} else {
			/* The mirror image: @node is parent's right child. */
			sibling = parent->rb_left;
			if (hn_rb_is_red(sibling)) {
				/* Case 1 - red sibling: rotate right at P. */
				tmp1 = sibling->rb_right;
				parent->rb_left = tmp1;
				sibling->rb_right = parent;
				rb_set_parent_color(tmp1, parent, HN_RB_BLACK);
				rotate_set_parents(parent, sibling, root, HN_RB_RED);
				sibling = tmp1;
			}
			tmp1 = sibling->rb_left;
			if (hn_rb_is_black(tmp1)) {
				tmp2 = sibling->rb_right;
				if (hn_rb_is_black(tmp2)) {
					/* Case 2 - recolour S, pay or pass up. */
					rb_set_parent_color(sibling, parent, HN_RB_RED);
					if (hn_rb_is_red(parent)) {
						rb_set_black(parent);
					} else {
						node = parent;
						parent = hn_rb_parent(node);
						if (parent)
							continue;
					}
					break;
				}
				/* Case 3 - rotate left at S. */
				tmp1 = tmp2->rb_left;
				sibling->rb_right = tmp1;
				tmp2->rb_left = sibling;
				parent->rb_left = tmp2;
				if (tmp1)
					rb_set_parent_color(tmp1, sibling, HN_RB_BLACK);
				tmp1 = sibling;
				sibling = tmp2;
			}
			/* Case 4 - rotate right at (p) and recolour. */
			tmp2 = sibling->rb_right;
			parent->rb_left = tmp2;
			sibling->rb_right = parent;
			rb_set_parent_color(tmp1, sibling, HN_RB_BLACK);
			if (tmp2)
				rb_set_parent(tmp2, parent);
			rotate_set_parents(parent, sibling, root, HN_RB_BLACK);
			break;
		}
	}
}

/*
 * Unlink @node, keeping the tree a valid binary search tree, and return
 * the node below which a black was lost (NULL when colours were fixed
 * locally).  A node with two children is replaced by its successor, which
 * takes over its position and colour, so the only node that really leaves
 * a path is the successor's old spot.
 */
static struct hn_rb_node *erase_unlink(struct hn_rb_node *node, struct hn_rb_root *root)
{
	struct hn_rb_node *child = node->rb_right;
	struct hn_rb_node *tmp = node->rb_left;
	struct hn_rb_node *parent, *rebalance;
	uintptr_t pc;

	if (!tmp) {
		/*
		 * Case 1 - at most one child (the right one).  By 5) a lone
		 * child is a red leaf and by 4) @node is then black: the
		 * child takes @node's place and colour and nothing else moves.
		 * A childless black node leaves a path short.
		 */
		pc = node->rb_parent_color;
		parent = hn_rb_parent(node);
		change_child(node, child, parent, root);
		if (child) {
			child->rb_parent_color = pc;
			rebalance = NULL;
		} else {
			rebalance = (pc & HN_RB_BLACK) ? parent : NULL;
		}
	} else if (!child) {
		/* Case 1 again, the lone child on the left. */
		pc = node->rb_parent_color;
		tmp->rb_parent_color = pc;
		parent = hn_rb_parent(node);
		change_child(node, tmp, parent, root);
		rebalance = NULL;
	} else {
		struct hn_rb_node *successor = child, *child2;

		tmp = child->rb_left;
		if (!tmp) {
			/*
			 * Case 2 - the successor is the right child itself.
			 *
			 *    (n)          (s)
			 *    / \          / \
			 *  (x) (s)  ->  (x) (c)
			 *        \
			 *        (c)
			 */
			parent = successor;
			child2 = successor->rb_right;
		} else {
			/*
			 * Case 3 - the successor is the leftmost node of the
			 * right subtree; its right child (c) takes its place.
			 *
			 *    (n)          (s)
			 *    / \          / \
			 *  (x) (y)  ->  (x) (y)
			 *      /            /
			 *    (p)          (p)
			 *    /            /
			 *  (s)          (c)
			 *    \
			 *    (c)
			 */
			do {
				parent = successor;
				successor = tmp;
				tmp = tmp->rb_left;
			} while (tmp);
			child2 = successor->rb_right;
			parent->rb_left = child2;
			successor->rb_right = child;
			rb_set_parent(child, successor);
		}

		tmp = node->rb_left;
		successor->rb_left = tmp;
		rb_set_parent(tmp, successor);

		pc = node->rb_parent_color;
		change_child(node, successor, hn_rb_parent(node), root);

		/*
		 * The successor's old spot lost the successor.  A child there
		 * is a red leaf (the successor has no left child, see Case 1)
		 * and blackening it pays for a black successor; with no child
		 * a black successor leaves @parent's left side short.  The
		 * colour test must read the successor before it takes @pc.
		 */
		if (child2) {
			rb_set_parent_color(child2, parent, HN_RB_BLACK);
			rebalance = NULL;
		} else {
			rebalance = hn_rb_is_black(successor) ? parent : NULL;
		}
		successor->rb_parent_color = pc;
	}
	return rebalance;
}

void hn_rb_erase(struct hn_rb_node *node, struct hn_rb_root *root)
{
	struct hn_rb_node *rebalance = erase_unlink(node, root);

	if (rebalance)
		erase_color(rebalance, root);
}

struct hn_rb_node *hn_rb_first(const struct hn_rb_root *root)
{
	struct hn_rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_left)
		n = n->rb_left;
	return n;
}

struct hn_rb_node *hn_rb_last(const struct hn_rb_root *root)
{
	struct hn_rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_right)
		n = n->rb_right;
	return n;
}

struct hn_rb_node *hn_rb_next(const struct hn_rb_node *node)
{
	struct hn_rb_node *parent;

	/* With a right subtree, the next node is that subtree's leftmost. */
	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct hn_rb_node *)node;
	}
	/*
	 * Otherwise everything below is smaller: climb while we come from a
	 * right child; the first ancestor reached from its left is next.
	 */
	while ((parent = hn_rb_parent(node)) && node == parent->rb_right)
		node = parent;
	return parent;
}

struct hn_rb_node *hn_rb_prev(const struct hn_rb_node *node)
{
	struct hn_rb_node *parent;

	if (node->rb_left) {
		node = node->rb_left;
		while (node->rb_right)
			node = node->rb_right;
		return (struct hn_rb_node *)node;
	}
	while ((parent = hn_rb_parent(node)) && node == parent->rb_left)
		node = parent;
	return parent;
}

/*
 * hn_rb_check() walks the tree without recursion (a corrupt tree could be
 * deep, and the validator must not be what crashes) and without host
 * memory: it follows child links down and parent links up, so a parent
 * link that disagrees is caught before it is trusted for the climb.  A
 * node count bounds the walk in case the child links form a cycle.
 */
#define RB_CHECK_MAX_NODES (1ul << 28)

int hn_rb_check(const struct hn_rb_root *root, unsigned int *black_height, const char **why)
{
	const struct hn_rb_node *n = root->rb_node, *prev = NULL;
	unsigned long nodes = 0;
	unsigned int depth_black = 0;	/* blacks on the path root..n inclusive */
	long leaf_black = -1;		/* blacks on every root..NULL path */
	const char *reason = NULL;

	if (black_height)
		*black_height = 0;
	if (!n)
		goto out;
	if (hn_rb_parent(n)) {
		reason = "root has a parent";
		goto out;
	}
	if (!hn_rb_is_black(n)) {
		reason = "root is red";
		goto out;
	}

	/*
	 * Iterative in-order walk: @prev says where we came from, so each
	 * node is entered once from its parent and left once upwards.
	 */
	while (n) {
		const struct hn_rb_node *next;

		if (prev == hn_rb_parent(n)) {
			/* First visit: check the node and its links. */
			if (++nodes > RB_CHECK_MAX_NODES) {
				reason = "child links form a cycle";
				goto out;
			}
			if (n->rb_parent_color & 2) {
				reason = "stray bit in the parent word";
				goto out;
			}
			if (hn_rb_is_black(n))
				depth_black++;
			else if (hn_rb_is_red(n->rb_left) || hn_rb_is_red(n->rb_right)) {
				reason = "red node has a red child";
				goto out;
			}
			if (n->rb_left && hn_rb_parent(n->rb_left) != n) {
				reason = "left child's parent link is wrong";
				goto out;
			}
			if (n->rb_right && hn_rb_parent(n->rb_right) != n) {
				reason = "right child's parent link is wrong";
				goto out;
			}
			if (n->rb_left && n->rb_left == n->rb_right) {
				reason = "both children are the same node";
				goto out;
			}
			/* A missing child is a NULL leaf: all must agree on blacks. */
			if (!n->rb_left || !n->rb_right) {
				if (leaf_black < 0)
					leaf_black = depth_black;
				else if (leaf_black != (long)depth_black) {
					reason = "black heights differ";
					goto out;
				}
			}
			if (n->rb_left) {
				prev = n;
				n = n->rb_left;
				continue;
			}
			prev = n->rb_left;	/* NULL: as if back from the left */
		}
		if (prev == n->rb_left && n->rb_right) {
			prev = n;
			n = n->rb_right;
			continue;
		}
		/* Both subtrees done: leave upwards. */
		if (hn_rb_is_black(n))
			depth_black--;
		next = hn_rb_parent(n);
		prev = n;
		n = next;
	}
	if (black_height)
		*black_height = (unsigned int)leaf_black;
out:
	if (why)
		*why = reason;
	return reason ? -1 : 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_rbtree.c - the red-black tree against a sorted-array model.
 *
 * Every scenario checks the whole tree after every step: the in-order walk
 * forwards and backwards equals the model's sorted keys, next/prev agree,
 * hn_rb_check() passes, the height is at most 2 * log2(n + 1), and the
 * kernel's rbtree_test check() holds (n >= 2^blacks - 1).  Random
 * scenarios draw from splitmix64; a failure prints the seed, and
 * HN_TEST_SEED=<seed> replays it.
 */
#include "hn_test.h"

#include <inttypes.h>

#include "util/rbtree.h"
#include "util/util.h"

#define MAX_NODES 1000

struct tnode {
	struct hn_rb_node rb;
	uint32_t key;
	bool linked;
};

/*
 * The model: the keys in the tree, kept sorted.  Duplicates are allowed;
 * the tree puts an equal key to the right, so it keeps insertion order
 * among equals, but the model compares keys only.
 */
struct model {
	struct hn_rb_root root;
	struct tnode nodes[MAX_NODES];
	uint32_t keys[MAX_NODES];
	unsigned int n;
	uint64_t seed;		/* this scenario's stream */
	uint64_t replay;	/* what HN_TEST_SEED must be to replay it */
	const char *scenario;
};

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned int rnd(uint64_t *s, unsigned int n)
{
	return (unsigned int)(splitmix64(s) % n);
}

static uint64_t random_seed(void)
{
	const char *e = getenv("HN_TEST_SEED");

	return e && *e ? strtoull(e, NULL, 0) : 0x7262747265650aull;
}

static void model_init(struct model *m, uint64_t seed, const char *scenario)
{
	memset(m, 0, sizeof(*m));
	m->root = HN_RB_ROOT;
	m->seed = seed;
	m->replay = random_seed();
	m->scenario = scenario;
}

static void tree_insert(struct hn_rb_root *root, struct tnode *t)
{
	struct hn_rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (t->key < hn_rb_entry(parent, struct tnode, rb)->key)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	hn_rb_link_node(&t->rb, parent, link);
	hn_rb_insert_color(&t->rb, root);
}

static void model_insert(struct model *m, struct tnode *t, uint32_t key)
{
	unsigned int i = m->n;

	t->key = key;
	t->linked = true;
	tree_insert(&m->root, t);
	while (i > 0 && m->keys[i - 1] > key) {
		m->keys[i] = m->keys[i - 1];
		i--;
	}
	m->keys[i] = key;
	m->n++;
}

static void model_erase(struct model *m, struct tnode *t)
{
	unsigned int i = 0;

	hn_rb_erase(&t->rb, &m->root);
	t->linked = false;
	while (i < m->n && m->keys[i] != t->key)
		i++;
	assert_true(i < m->n);
	memmove(&m->keys[i], &m->keys[i + 1], (m->n - i - 1) * sizeof(m->keys[0]));
	m->n--;
}

static unsigned int height(const struct hn_rb_node *n)
{
	unsigned int l, r;

	if (!n)
		return 0;
	l = height(n->rb_left);
	r = height(n->rb_right);
	return 1 + HN_MAX(l, r);
}

/* Blacks from @n up to the root, as the kernel's black_path_count(). */
static unsigned int black_path_count(const struct hn_rb_node *n)
{
	unsigned int count = 0;

	for (; n; n = hn_rb_parent(n))
		count += hn_rb_is_black(n);
	return count;
}

/* The whole check; NULL when the tree agrees with the model. */
static const char *model_check_reason(const struct model *m)
{
	const struct hn_rb_node *rb, *prev = NULL;
	unsigned int i = 0, bh = 0, blacks = 0, h;
	const char *why = NULL;

	if (hn_rb_check(&m->root, &bh, &why))
		return why ? why : "hn_rb_check failed without a reason";
	if (why)
		return "hn_rb_check passed but gave a reason";
	if (hn_rb_empty_root(&m->root) != (m->n == 0))
		return "empty root disagrees with the model";

	for (rb = hn_rb_first(&m->root); rb; prev = rb, rb = hn_rb_next(rb), i++) {
		const struct tnode *t = hn_rb_entry(rb, struct tnode, rb);

		if (i >= m->n)
			return "forward walk longer than the model";
		if (t->key != m->keys[i])
			return "forward walk differs from the sorted keys";
		if (hn_rb_prev(rb) != prev)
			return "prev(next(x)) != x";
		/* The kernel's check(): no red root, no red under red... */
		if (hn_rb_is_red(rb) && (!hn_rb_parent(rb) || hn_rb_is_red(hn_rb_parent(rb))))
			return "red root or red child of a red node";
		/* ...and equal blacks on the way up from every leaf-ish node. */
		if (!i)
			blacks = black_path_count(rb);
		else if ((!rb->rb_left || !rb->rb_right) && blacks != black_path_count(rb))
			return "black path counts differ";
	}
	if (i != m->n)
		return "forward walk shorter than the model";
	if (prev != hn_rb_last(&m->root))
		return "last is not the end of the forward walk";

	i = m->n;
	for (rb = hn_rb_last(&m->root); rb; rb = hn_rb_prev(rb)) {
		if (i == 0)
			return "backward walk longer than the model";
		if (hn_rb_entry(rb, struct tnode, rb)->key != m->keys[--i])
			return "backward walk differs from the sorted keys";
	}
	if (i != 0)
		return "backward walk shorter than the model";

	if (m->n) {
		if (bh != black_path_count(hn_rb_last(&m->root)))
			return "hn_rb_check black height differs from the path count";
		/* Kernel: a tree of black height b holds at least 2^b - 1 nodes. */
		if ((uint64_t)m->n < (1ull << bh) - 1)
			return "too few nodes for the black height";
	} else if (bh != 0) {
		return "empty tree with a black height";
	}
	/* height <= 2 log2(n + 1)  <=>  2^height <= (n + 1)^2 */
	h = height(m->root.rb_node);
	if ((1ull << h) > (uint64_t)(m->n + 1) * (m->n + 1))
		return "height above 2 * log2(n + 1)";
	/* black height <= log2(n + 1) follows; the brief asks for this bound. */
	if ((1ull << bh) > (uint64_t)(m->n + 1) * (m->n + 1))
		return "black height above 2 * log2(n + 1)";
	return NULL;
}

#define model_check(m, step)                                                           \
	do {                                                                           \
		const char *r_ = model_check_reason(m);                                \
		if (r_)                                                                \
			fail_msg("%s: seed %#" PRIx64 " n %u step %u: %s (replay: HN_TEST_SEED=%#" PRIx64 ")", \
				 (m)->scenario, (m)->seed, (m)->n, (unsigned int)(step), r_, (m)->replay); \
	} while (0)

static void shuffle(unsigned int *a, unsigned int n, uint64_t *s)
{
	for (unsigned int i = n; i > 1; i--) {
		unsigned int j = rnd(s, i), t = a[i - 1];

		a[i - 1] = a[j];
		a[j] = t;
	}
}

/*
 * Insert @n random keys (from @range values, so small ranges give many
 * duplicates), then erase every node in a random order down to empty.
 * With @every_step the whole check runs after each operation, otherwise
 * only when the tree is full and when it is empty again.
 */
static void fill_and_drain(struct model *m, unsigned int n, uint32_t range, bool every_step)
{
	uint64_t s = m->seed;
	unsigned int order[MAX_NODES];

	for (unsigned int i = 0; i < n; i++) {
		model_insert(m, &m->nodes[i], (uint32_t)(splitmix64(&s) % range));
		if (every_step)
			model_check(m, i);
	}
	model_check(m, n);
	for (unsigned int i = 0; i < n; i++)
		order[i] = i;
	shuffle(order, n, &s);
	for (unsigned int i = 0; i < n; i++) {
		model_erase(m, &m->nodes[order[i]]);
		if (every_step)
			model_check(m, n + i);
	}
	model_check(m, 2 * n);
	assert_true(hn_rb_empty_root(&m->root));
	assert_null(hn_rb_first(&m->root));
	assert_null(hn_rb_last(&m->root));
}

/*
 * An empty tree: first/last are NULL, the check passes with black height 0.
 * Expect no node and no reason.
 */
static void rbtree_empty_check(void **state)
{
	struct hn_rb_root root = HN_RB_ROOT;
	unsigned int bh = 99;
	const char *why = "x";

	(void)state;
	assert_null(hn_rb_first(&root));
	assert_null(hn_rb_last(&root));
	assert_int_equal(hn_rb_check(&root, &bh, &why), 0);
	assert_int_equal(bh, 0);
	assert_null(why);
	/* Both outputs are optional. */
	assert_int_equal(hn_rb_check(&root, NULL, NULL), 0);
}

/*
 * One node: it is the root, black, and alone in the walk.
 *
 *   K
 *
 * Expect black height 1, next/prev NULL; erasing it empties the tree.
 */
static void rbtree_single_node_check(void **state)
{
	struct model *m = calloc(1, sizeof(*m));

	(void)state;
	model_init(m, 0, "single");
	model_insert(m, &m->nodes[0], 42);
	model_check(m, 0);
	assert_true(hn_rb_is_black(&m->nodes[0].rb));
	assert_null(hn_rb_next(&m->nodes[0].rb));
	assert_null(hn_rb_prev(&m->nodes[0].rb));
	model_erase(m, &m->nodes[0]);
	model_check(m, 1);
	free(m);
}

/*
 * Every size from 1 to 1000: random keys in, all out in random order.
 * Sizes up to 100 and the sizes 255, 256, 511, 512, 1000 are checked after
 * every step, the rest when full and when empty.
 * Expect the model to agree throughout.
 */
static void rbtree_random_sizes_check(void **state)
{
	struct model *m = calloc(1, sizeof(*m));
	uint64_t base = random_seed();

	(void)state;
	for (unsigned int n = 1; n <= MAX_NODES; n++) {
		bool every = n <= 100 || n == 255 || n == 256 || n == 511 || n == 512 ||
			     n == MAX_NODES;

		model_init(m, base + n, "random sizes");
		fill_and_drain(m, n, UINT32_MAX, every);
	}
	free(m);
}

/*
 * Many duplicates: 1000 nodes over 8 key values, then 1000 over 1 value.
 * Expect the walk to be non-decreasing and to hold each key as often as
 * the model does (the model's sorted array says both).
 */
static void rbtree_duplicates_check(void **state)
{
	struct model *m = calloc(1, sizeof(*m));
	uint64_t base = random_seed();

	(void)state;
	model_init(m, base ^ 0xd0b1e5ull, "duplicates (8 keys)");
	fill_and_drain(m, MAX_NODES, 8, true);
	model_init(m, base ^ 0x5a3eull, "duplicates (1 key)");
	fill_and_drain(m, MAX_NODES, 1, true);
	free(m);
}

/*
 * Sorted input, the insert cases' worst friend: ascending and descending
 * keys, each then erased ascending, descending and from the middle out.
 *
 *   1 2 3 4 ... 1000   and   1000 999 ... 1
 *
 * Expect a balanced tree after every step (height bound) in all six runs.
 */
static void rbtree_sorted_orders_check(void **state)
{
	struct model *m = calloc(1, sizeof(*m));

	(void)state;
	for (int ins = 0; ins < 2; ins++) {
		for (int del = 0; del < 3; del++) {
			model_init(m, (uint64_t)(ins * 3 + del), ins ? "descending" : "ascending");
			for (unsigned int i = 0; i < MAX_NODES; i++) {
				uint32_t key = ins ? MAX_NODES - i : i + 1;

				model_insert(m, &m->nodes[i], key);
				model_check(m, i);
			}
			for (unsigned int i = 0; i < MAX_NODES; i++) {
				unsigned int k;	/* index of the key to erase, 0-based key order */

				if (del == 0)
					k = i;
				else if (del == 1)
					k = MAX_NODES - 1 - i;
				else	/* middle out: 500, 499, 501, 498, ... */
					k = i & 1 ? MAX_NODES / 2 - 1 - i / 2 : MAX_NODES / 2 + i / 2;
				/* nodes[] holds key k+1 at k (ascending) or at 999-k. */
				model_erase(m, &m->nodes[ins ? MAX_NODES - 1 - k : k]);
				model_check(m, MAX_NODES + i);
			}
		}
	}
	free(m);
}

/*
 * Interleaved random inserts and erases on a pool of 1000 nodes for 20000
 * steps, biased to grow, then to shrink, then balanced.
 * Expect the model to agree after every step.
 */
static void rbtree_random_mixed_check(void **state)
{
	struct model *m = calloc(1, sizeof(*m));
	uint64_t s;
	unsigned int free_idx[MAX_NODES], nfree = MAX_NODES;

	(void)state;
	model_init(m, random_seed() ^ 0x31415ull, "mixed");
	s = m->seed;
	for (unsigned int i = 0; i < MAX_NODES; i++)
		free_idx[i] = i;
	for (unsigned int step = 0; step < 20000; step++) {
		/* Percent chance to insert: grow, shrink, then hover. */
		unsigned int p = step < 5000 ? 75 : step < 10000 ? 25 : 50;
		bool ins = nfree && (m->n == 0 || rnd(&s, 100) < p);

		if (ins) {
			unsigned int j = rnd(&s, nfree), idx = free_idx[j];

			free_idx[j] = free_idx[--nfree];
			model_insert(m, &m->nodes[idx], (uint32_t)rnd(&s, 4096));
		} else {
			/* Erase a random linked node: walk from a random pool slot. */
			unsigned int idx = rnd(&s, MAX_NODES);

			while (!m->nodes[idx].linked)
				idx = (idx + 1) % MAX_NODES;
			model_erase(m, &m->nodes[idx]);
			free_idx[nfree++] = idx;
		}
		if (step % 7 == 0 || m->n < 64)
			model_check(m, step);
	}
	model_check(m, 20000);
	free(m);
}

/*
 * The detector flips one node's colour in a valid 100-node tree, for each
 * node in turn.  Flipping any node changes the black count of the paths
 * through it and of no other path; flipping the root makes it red.
 * Expect hn_rb_check to fail with a reason every time, and to pass again
 * once the colour is restored.
 */
static void rbtree_check_detects_colour_flip(void **state)
{
	struct model *m = calloc(1, sizeof(*m));
	uint64_t s = 7;
	const char *why;

	(void)state;
	model_init(m, 7, "colour flip");
	for (unsigned int i = 0; i < 100; i++)
		model_insert(m, &m->nodes[i], (uint32_t)splitmix64(&s));
	model_check(m, 0);
	for (unsigned int i = 0; i < 100; i++) {
		struct hn_rb_node *rb = &m->nodes[i].rb;

		why = NULL;
		rb->rb_parent_color ^= 1;
		assert_int_equal(hn_rb_check(&m->root, NULL, &why), -1);
		assert_non_null(why);
		if (rb == m->root.rb_node)
			assert_string_equal(why, "root is red");
		rb->rb_parent_color ^= 1;
		assert_int_equal(hn_rb_check(&m->root, NULL, &why), 0);
	}
	free(m);
}

/*
 * Named colour faults on the three-node tree built from 1, 2, 3:
 *
 *      2            2            2
 *     / \   -->    / \   or     / \     (x = red made black / red)
 *    1   3        X   3        1   3
 *                                   \
 *                                    4 (red under red)
 *
 * Expect "black heights differ" for a red leaf made black, and "red node
 * has a red child" for a red leaf given a red child by hand.
 */
static void rbtree_check_names_colour_faults(void **state)
{
	struct model *m = calloc(1, sizeof(*m));
	struct hn_rb_node *three;
	const char *why;

	(void)state;
	model_init(m, 0, "named colour faults");
	for (unsigned int i = 0; i < 3; i++)
		model_insert(m, &m->nodes[i], i + 1);
	model_check(m, 0);
	assert_true(hn_rb_is_red(&m->nodes[0].rb));
	assert_true(hn_rb_is_red(&m->nodes[2].rb));

	m->nodes[0].rb.rb_parent_color |= HN_RB_BLACK;
	assert_int_equal(hn_rb_check(&m->root, NULL, &why), -1);
	assert_string_equal(why, "black heights differ");
	m->nodes[0].rb.rb_parent_color &= ~(uintptr_t)HN_RB_BLACK;

	/* Hang a red node under red 3 without rebalancing. */
	three = &m->nodes[2].rb;
	m->nodes[3].key = 4;
	hn_rb_link_node(&m->nodes[3].rb, three, &three->rb_right);
	assert_int_equal(hn_rb_check(&m->root, NULL, &why), -1);
	assert_string_equal(why, "red node has a red child");
	three->rb_right = NULL;
	assert_int_equal(hn_rb_check(&m->root, NULL, &why), 0);
	free(m);
}

/*
 * Link faults in a 50-node tree: each non-root node's parent pointer is
 * pointed at itself (colour kept), then the root is given a parent.
 * Expect a parent-link reason for every node and "root has a parent" for
 * the root; a stray bit 1 in the parent word is named too.
 */
static void rbtree_check_detects_parent_link(void **state)
{
	struct model *m = calloc(1, sizeof(*m));
	uint64_t s = 11;
	const char *why;

	(void)state;
	model_init(m, 11, "parent link");
	for (unsigned int i = 0; i < 50; i++)
		model_insert(m, &m->nodes[i], (uint32_t)splitmix64(&s));
	model_check(m, 0);
	for (unsigned int i = 0; i < 50; i++) {
		struct hn_rb_node *rb = &m->nodes[i].rb;
		uintptr_t saved = rb->rb_parent_color;

		if (rb == m->root.rb_node)
			continue;
		rb->rb_parent_color = (uintptr_t)rb | (saved & 1);
		assert_int_equal(hn_rb_check(&m->root, NULL, &why), -1);
		assert_non_null(why);
		assert_non_null(strstr(why, "parent link is wrong"));
		rb->rb_parent_color = saved;
		/* Bit 1 is never set in a valid tree. */
		rb->rb_parent_color |= 2;
		assert_int_equal(hn_rb_check(&m->root, NULL, &why), -1);
		assert_string_equal(why, "stray bit in the parent word");
		rb->rb_parent_color = saved;
		assert_int_equal(hn_rb_check(&m->root, NULL, &why), 0);
	}
	m->root.rb_node->rb_parent_color |= (uintptr_t)&m->nodes[0].rb;
	assert_int_equal(hn_rb_check(&m->root, NULL, &why), -1);
	assert_string_equal(why, "root has a parent");
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rbtree_empty_check),
		cmocka_unit_test(rbtree_single_node_check),
		cmocka_unit_test(rbtree_random_sizes_check),
		cmocka_unit_test(rbtree_duplicates_check),
		cmocka_unit_test(rbtree_sorted_orders_check),
		cmocka_unit_test(rbtree_random_mixed_check),
		cmocka_unit_test(rbtree_check_detects_colour_flip),
		cmocka_unit_test(rbtree_check_names_colour_faults),
		cmocka_unit_test(rbtree_check_detects_parent_link),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_attr.c - the attribute nodes of a zone and the matching strategies
 * (src/buddy/attr.h).
 *
 * The scenarios use one small set drawn below; each table row is a request,
 * the node every strategy of a kind must pick, and why.  The random
 * scenarios check, against a reference written here from the rule in
 * attr.h (not from attr_match.c):
 *   - slides, slides-tree and linear agree on every one-property request
 *     and every cumulative value, and on 10^4 random multi-property ones,
 *     over 256 random nodes (some missing a property);
 *   - insert/remove sequences keep hn_attr_set_check() clean after every
 *     step and the set equal to a model.
 * A failure prints the seed; HN_TEST_SEED=<seed> replays it.  Host
 * allocation failures are injected through set->host_realloc.
 */
#include "hn_test.h"

#include <errno.h>
#include <inttypes.h>

#include "mattr/attr.h"
#include "util/util.h"

/* hn_mattr_prop() as a constant expression, for static tables. */
#define P(p, l) (HN_MATTR_PRESENT(p) | ((hn_mattr_t)((l) - 1) << HN_MATTR_FIELD_SHIFT(p)))
/* A memory word with all six levels. */
#define M(lat, bw, rel, pwr, cmp, den)                                             \
	(P(HN_MATTR_LATENCY, lat) | P(HN_MATTR_BANDWIDTH, bw) | P(HN_MATTR_RELIABILITY, rel) | \
	 P(HN_MATTR_POWER, pwr) | P(HN_MATTR_COMPUTE, cmp) | P(HN_MATTR_DENSITY, den))
#define LAT(l) P(HN_MATTR_LATENCY, l)
#define BW(l) P(HN_MATTR_BANDWIDTH, l)
#define REL(l) P(HN_MATTR_RELIABILITY, l)
#define DEN(l) P(HN_MATTR_DENSITY, l)

#define CHECK(set)                                                          \
	do {                                                                \
		char why_[200];                                             \
		if (hn_attr_set_check((set), why_, sizeof(why_)))           \
			fail_msg("hn_attr_set_check: %s", why_);            \
	} while (0)

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

static uint64_t test_seed(uint64_t dflt)
{
	const char *e = getenv("HN_TEST_SEED");

	return e && *e ? strtoull(e, NULL, 0) : dflt;
}

/* ------------------------------------------------------------------------ */
/* Host allocation failure injection                                         */

/* Allocations to let through before failing one; -1: never.  Test-only. */
static long realloc_fail_after = -1;

static void *failing_realloc(void *p, size_t n)
{
	if (realloc_fail_after == 0) {
		realloc_fail_after = -1;
		return NULL;
	}
	if (realloc_fail_after > 0)
		realloc_fail_after--;
	return realloc(p, n);
}

/* ------------------------------------------------------------------------ */
/* The reference: the rules of attr.h, written plainly                       */

static unsigned int want_nr(hn_mattr_t w)
{
	unsigned int n = 0;

	for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
		n += hn_mattr_level(w, p) != 0;
	return n;
}

static long want_sum(hn_mattr_t w)
{
	long s = 0;

	for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
		s += hn_mattr_level(w, p);
	return s;
}

/* Lexicographic on (score, below, key, id): true if a is better. */
static bool ref_better(long sa, long ua, const struct hn_attr_node *a, long sb, long ub,
		       const struct hn_attr_node *b)
{
	if (!b)
		return true;
	if (sa != sb)
		return sa < sb;
	if ((ua < 0) != (ub < 0))
		return ua >= 0;
	if (a->key != b->key)
		return a->key < b->key;
	return a->id < b->id;
}

static void ref_score(const struct hn_attr_node *n, hn_mattr_t want, const unsigned int *w,
		      const char *kind, long *score, long *surplus)
{
	*score = 0;
	*surplus = 0;
	if (!strcmp(kind, "default")) {
		long d = 0;

		if (want_nr(want) == 1) {
			for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
				if (hn_mattr_level(want, p))
					d = (long)hn_mattr_level(n->mattr, p) - hn_mattr_level(want, p);
		} else {
			d = (long)want_sum(n->mattr) - want_sum(want);
		}
		*score = labs(d);
		*surplus = d;
	} else if (!strcmp(kind, "weighted")) {
		for (int p = 0; p < HN_MATTR_NR_PROPS; p++) {
			long d, wt = w ? w[p] : 1;

			if (!hn_mattr_level(want, p))
				continue;
			d = (long)hn_mattr_level(n->mattr, p) - hn_mattr_level(want, p);
			*score += wt * labs(d);
			*surplus += wt * d;
		}
	} else {
		/* lexicographic: by weight, then index; digits base 17 */
		bool used[HN_MATTR_NR_PROPS] = { 0 };

		for (;;) {
			int pick = -1;
			long d;

			for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
				if (hn_mattr_level(want, p) && !used[p] &&
				    (pick < 0 || (w ? w[p] : 1) > (w ? w[pick] : 1)))
					pick = p;
			if (pick < 0)
				break;
			used[pick] = true;
			d = (long)hn_mattr_level(n->mattr, pick) - hn_mattr_level(want, pick);
			*score = *score * 17 + labs(d);
			if (!*surplus)
				*surplus = d;
		}
	}
}

static const struct hn_attr_node *ref_match(const struct hn_attr_set *set, hn_mattr_t want,
					    const unsigned int *w, const char *kind)
{
	const struct hn_attr_node *best = NULL;
	long bs = 0, bu = 0;

	if (!want_nr(want))
		return NULL;
	for (unsigned int i = 0; i < set->nr; i++) {
		long s, u;

		ref_score(set->nodes[i], want, w, kind, &s, &u);
		if (ref_better(s, u, set->nodes[i], bs, bu, best)) {
			best = set->nodes[i];
			bs = s;
			bu = u;
		}
	}
	return best;
}

static const char *kind_of(const struct hn_attr_match_ops *ops)
{
	if (!strcmp(ops->name, "weighted"))
		return "weighted";
	if (!strcmp(ops->name, "lexicographic"))
		return "lexicographic";
	return "default";
}

/* ------------------------------------------------------------------------ */
/* The small set of the table tests                                          */

/*
 *  id  name  pfn range        lat bw rel pwr cmp den   key
 *   0  A     [0x000, 0x100)    4   4   4   4   4   4    24
 *   1  B     [0x100, 0x200)    8   8   8   8   8   8    48
 *   2  C     [0x200, 0x300)   16   2   2   2   2   2    26
 *   3  D     [0x300, 0x400)   12  12  12  12  12  12    72
 *   4  E     [0x400, 0x500)    8   1   1   1   1  12    24
 *   5  F     [0x500, 0x600)    4   4   4   4   4   4    24   (A's twin)
 *
 * In tree order (key, pfn): A E F C B D.
 */
struct six {
	struct hn_attr_set set;
	struct hn_attr_node n[6];
};

enum { A, B, C, D, E, F, NONE = -1 };

static void six_build(struct six *s, const int *which, unsigned int nr)
{
	static const hn_mattr_t words[6] = {
		M(4, 4, 4, 4, 4, 4),	   M(8, 8, 8, 8, 8, 8),	     M(16, 2, 2, 2, 2, 2),
		M(12, 12, 12, 12, 12, 12), M(8, 1, 1, 1, 1, 12),     M(4, 4, 4, 4, 4, 4),
	};

	memset(s->n, 0, sizeof(s->n));
	hn_attr_set_init(&s->set);
	for (int i = 0; i < 6; i++) {
		s->n[i].mattr = words[i];
		s->n[i].start_pfn = 0x100u * (unsigned int)i;
		s->n[i].end_pfn = 0x100u * (unsigned int)(i + 1);
	}
	for (unsigned int i = 0; i < nr; i++) {
		assert_int_equal(hn_attr_set_insert(&s->set, &s->n[which[i]]), 0);
		CHECK(&s->set);
	}
}

static void six_all(struct six *s)
{
	static const int all[] = { A, B, C, D, E, F };

	six_build(s, all, 6);
}

struct row {
	hn_mattr_t want;
	int expect;
	const char *why;	/* for the failure message */
};

static void run_table(const struct hn_attr_match_ops *ops, const struct six *s,
		      const struct row *rows, size_t nr, const unsigned int *w)
{
	for (size_t i = 0; i < nr; i++) {
		const struct hn_attr_node *got = ops->match(&s->set, rows[i].want, w, NULL);
		const struct hn_attr_node *exp = rows[i].expect == NONE ? NULL : &s->n[rows[i].expect];
		char buf[96];

		if (got != exp)
			fail_msg("%s: want %s (%s): expected %c, got %c", ops->name,
				 hn_mattr_format(rows[i].want, buf, sizeof(buf)), rows[i].why,
				 exp ? (char)('A' + (exp - s->n)) : '-',
				 got ? (char)('A' + (got - s->n)) : '-');
	}
}

static const struct hn_attr_match_ops *const default_rule_ops[] = {
	&hn_attr_match_slides_cached,
	&hn_attr_match_slides_tree,
	&hn_attr_match_linear,
};

/* ------------------------------------------------------------------------ */
/* Set maintenance                                                           */

/* Expect an empty set to validate, to match nothing, and to cache nothing. */
static void attr_set_empty_check(void **state)
{
	struct hn_attr_set set;

	(void)state;
	hn_attr_set_init(&set);
	CHECK(&set);
	for (unsigned int i = 0; hn_attr_match_nth(i); i++) {
		assert_null(hn_attr_match_nth(i)->match(&set, LAT(3), NULL, NULL));
		assert_null(hn_attr_match_nth(i)->match(&set, LAT(3) | BW(4), NULL, NULL));
	}
	for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
		for (int l = 0; l < HN_MATTR_LEVELS; l++)
			assert_null(set.cdm_ind[p][l]);
	for (int c = 0; c <= HN_ATTR_MAX_CUM; c++)
		assert_null(set.cdm_cum[c]);
	hn_attr_set_fini(&set);
	hn_attr_set_fini(NULL);
}

/*
 *   0x000   0x100          0x200   0x300
 *   |  A    |              |  B    |
 * Expect [0x80, 0x180) and [0x180, 0x280) to be -EEXIST (they overlap A,
 * B), the gap [0x100, 0x200) to fit exactly, a node sharing a start pfn or
 * covering everything to be -EEXIST, an empty range -EINVAL; the set
 * unchanged by every failure.
 */
static void attr_insert_overlap_eexist(void **state)
{
	struct hn_attr_node a = { .mattr = M(1, 1, 1, 1, 1, 1), .start_pfn = 0, .end_pfn = 0x100 };
	struct hn_attr_node b = { .mattr = M(2, 2, 2, 2, 2, 2), .start_pfn = 0x200, .end_pfn = 0x300 };
	struct hn_attr_node x = { .mattr = M(3, 3, 3, 3, 3, 3) };
	struct hn_attr_set set;

	(void)state;
	hn_attr_set_init(&set);
	assert_int_equal(hn_attr_set_insert(&set, &a), 0);
	assert_int_equal(hn_attr_set_insert(&set, &b), 0);
	CHECK(&set);

	x.start_pfn = 0x80, x.end_pfn = 0x180;
	assert_int_equal(hn_attr_set_insert(&set, &x), -EEXIST);
	x.start_pfn = 0x180, x.end_pfn = 0x280;
	assert_int_equal(hn_attr_set_insert(&set, &x), -EEXIST);
	x.start_pfn = 0x0, x.end_pfn = 0x300;
	assert_int_equal(hn_attr_set_insert(&set, &x), -EEXIST);
	x.start_pfn = 0x200, x.end_pfn = 0x201;
	assert_int_equal(hn_attr_set_insert(&set, &x), -EEXIST);
	x.start_pfn = 0x2ff, x.end_pfn = 0x400;
	assert_int_equal(hn_attr_set_insert(&set, &x), -EEXIST);
	x.start_pfn = 0x150, x.end_pfn = 0x150;
	assert_int_equal(hn_attr_set_insert(&set, &x), -EINVAL);
	assert_int_equal(hn_attr_set_insert(&set, NULL), -EINVAL);
	assert_int_equal(hn_attr_set_insert(NULL, &x), -EINVAL);
	assert_int_equal(set.nr, 2);
	CHECK(&set);

	x.start_pfn = 0x100, x.end_pfn = 0x200;
	assert_int_equal(hn_attr_set_insert(&set, &x), 0);
	CHECK(&set);
	assert_int_equal(set.nr, 3);
	assert_ptr_equal(set.nodes[0], &a);
	assert_ptr_equal(set.nodes[1], &x);
	assert_ptr_equal(set.nodes[2], &b);
	assert_int_equal(x.id, 1);
	assert_int_equal(b.id, 2);
	assert_int_equal(x.key, 18);
	hn_attr_set_fini(&set);
}

/*
 * Expect a failed growth of nodes[] to return -ENOMEM and leave the set
 * exactly as it was (array, ids, tree, caches): on the first insert and on
 * the ninth, when the array of 8 grows.
 */
static void attr_insert_enomem(void **state)
{
	struct hn_attr_node n[9], extra;
	struct hn_attr_set set, before;

	(void)state;
	memset(n, 0, sizeof(n));
	memset(&extra, 0, sizeof(extra));
	hn_attr_set_init(&set);
	set.host_realloc = failing_realloc;
	n[0].mattr = M(5, 5, 5, 5, 5, 5);
	n[0].start_pfn = 0, n[0].end_pfn = 1;
	realloc_fail_after = 0;
	assert_int_equal(hn_attr_set_insert(&set, &n[0]), -ENOMEM);
	assert_int_equal(set.nr, 0);
	assert_null(set.nodes);
	assert_true(hn_rb_empty_root(&set.tree));
	CHECK(&set);

	for (unsigned int i = 0; i < 8; i++) {
		n[i].mattr = M(i + 1, 2, 3, 4, 5, 16 - i);
		n[i].start_pfn = 10 * i + 10;
		n[i].end_pfn = 10 * i + 15;
		assert_int_equal(hn_attr_set_insert(&set, &n[i]), 0);
	}
	assert_int_equal(set.cap, 8);
	before = set;
	extra.mattr = M(16, 16, 16, 16, 16, 16);
	extra.start_pfn = 0, extra.end_pfn = 5;
	realloc_fail_after = 0;
	assert_int_equal(hn_attr_set_insert(&set, &extra), -ENOMEM);
	assert_memory_equal(&set, &before, sizeof(set));
	for (unsigned int i = 0; i < 8; i++)
		assert_int_equal(n[i].id, i);
	CHECK(&set);

	/* and the same insert succeeds once memory is back */
	assert_int_equal(hn_attr_set_insert(&set, &extra), 0);
	assert_int_equal(extra.id, 0);
	assert_int_equal(n[7].id, 8);
	CHECK(&set);
	hn_attr_set_fini(&set);
	assert_ptr_equal(set.host_realloc, failing_realloc);
}

/*
 * Insert A..F in reverse and shuffled orders, remove them in another.
 * Expect ids to follow start pfn after every step, the tree order to be
 * A E F C B D, and the set to validate throughout.
 */
static void attr_insert_remove_orders(void **state)
{
	static const int rev[] = { F, E, D, C, B, A };
	static const int shuf[] = { C, A, F, B, E, D };
	static const int tree_order[] = { A, E, F, C, B, D };
	struct six s;
	const struct hn_rb_node *rb;
	int k = 0;

	(void)state;
	six_build(&s, rev, 6);
	for (int i = 0; i < 6; i++)
		assert_int_equal(s.n[i].id, i);
	for (rb = hn_rb_first(&s.set.tree); rb; rb = hn_rb_next(rb), k++)
		assert_ptr_equal(hn_rb_entry(rb, struct hn_attr_node, rb), &s.n[tree_order[k]]);
	assert_int_equal(k, 6);
	hn_attr_set_fini(&s.set);

	six_build(&s, shuf, 6);
	for (int i = 0; i < 6; i++)
		assert_int_equal(s.n[i].id, i);
	hn_attr_set_remove(&s.set, &s.n[C]);
	CHECK(&s.set);
	assert_int_equal(s.n[D].id, 2);
	hn_attr_set_remove(&s.set, &s.n[A]);
	CHECK(&s.set);
	hn_attr_set_remove(&s.set, &s.n[F]);
	CHECK(&s.set);
	assert_int_equal(s.n[B].id, 0);
	assert_int_equal(s.n[D].id, 1);
	assert_int_equal(s.n[E].id, 2);
	hn_attr_set_remove(&s.set, &s.n[B]);
	hn_attr_set_remove(&s.set, &s.n[D]);
	hn_attr_set_remove(&s.set, &s.n[E]);
	CHECK(&s.set);
	assert_int_equal(s.set.nr, 0);
	assert_true(hn_rb_empty_root(&s.set.tree));
	assert_null(s.set.cdm_cum[24]);
	hn_attr_set_fini(&s.set);
}

/* Expect the validator to name each kind of corruption. */
static void attr_check_detects_corruption(void **state)
{
	struct six s;
	struct hn_attr_node *saved;
	char why[200];

	(void)state;
	six_all(&s);

	saved = s.set.cdm_cum[40];
	s.set.cdm_cum[40] = &s.n[D];
	assert_int_equal(hn_attr_set_check(&s.set, why, sizeof(why)), -EUCLEAN);
	assert_non_null(strstr(why, "cdm_cum[40]"));
	s.set.cdm_cum[40] = saved;

	saved = s.set.cdm_ind[HN_MATTR_DENSITY][11];
	s.set.cdm_ind[HN_MATTR_DENSITY][11] = &s.n[A];
	assert_int_equal(hn_attr_set_check(&s.set, why, sizeof(why)), -EUCLEAN);
	assert_non_null(strstr(why, "cdm_ind[density][11]"));
	s.set.cdm_ind[HN_MATTR_DENSITY][11] = saved;

	s.n[C].key++;
	assert_int_equal(hn_attr_set_check(&s.set, why, sizeof(why)), -EUCLEAN);
	assert_non_null(strstr(why, "key"));
	s.n[C].key--;

	s.n[B].id = 4;
	assert_int_equal(hn_attr_set_check(&s.set, why, sizeof(why)), -EUCLEAN);
	assert_non_null(strstr(why, "id"));
	s.n[B].id = 1;

	s.n[B].end_pfn = 0x201;
	assert_int_equal(hn_attr_set_check(&s.set, why, sizeof(why)), -EUCLEAN);
	assert_non_null(strstr(why, "overlapping"));
	s.n[B].end_pfn = 0x200;

	/* a red root */
	s.set.tree.rb_node->rb_parent_color &= ~(uintptr_t)1;
	assert_int_equal(hn_attr_set_check(&s.set, why, sizeof(why)), -EUCLEAN);
	assert_non_null(strstr(why, "rbtree"));
	s.set.tree.rb_node->rb_parent_color |= 1;

	/* the tree's order: swap the keys of A's and D's words in place */
	s.n[A].mattr = M(12, 12, 12, 12, 12, 12);
	s.n[A].key = 72;
	s.n[D].mattr = M(4, 4, 4, 4, 4, 4);
	s.n[D].key = 24;
	assert_int_equal(hn_attr_set_check(&s.set, why, sizeof(why)), -EUCLEAN);
	assert_non_null(strstr(why, "in-order"));
	s.n[A].mattr = M(4, 4, 4, 4, 4, 4);
	s.n[A].key = 24;
	s.n[D].mattr = M(12, 12, 12, 12, 12, 12);
	s.n[D].key = 72;

	s.set.nr--;
	assert_int_equal(hn_attr_set_check(&s.set, why, sizeof(why)), -EUCLEAN);
	s.set.nr++;
	CHECK(&s.set);
	assert_int_equal(hn_attr_set_check(NULL, why, sizeof(why)), -EUCLEAN);
	hn_attr_set_fini(&s.set);
}

/* ------------------------------------------------------------------------ */
/* The default rule: tables                                                  */

/*
 * One property.  Levels of latency: A 4, B 8, C 16, D 12, E 8, F 4;
 * density: A 4, B 8, C 2, D 12, E 12, F 4.
 * Expect exact first; then the least distance; at equal distance the node
 * above; then the lower key; then the lower id.
 */
static const struct row one_prop_rows[] = {
	{ LAT(16), C, "exact" },
	{ LAT(12), D, "exact" },
	{ LAT(8), E, "exact on B and E: lower key" },
	{ LAT(4), A, "exact on A and F (same key): lower id" },
	{ LAT(5), A, "closest below (A, F at -1: lower id)" },
	{ LAT(13), D, "closest below (D -1, C +3)" },
	{ LAT(1), A, "closest above (A, F +3: lower id)" },
	{ LAT(9), E, "closest below (B, E at -1: lower key)" },
	{ LAT(10), D, "tie at 2: D above beats B, E below" },
	{ LAT(14), C, "tie at 2: C above beats D below" },
	{ LAT(6), E, "tie at 2: above B, E (lower key) beat A, F below" },
	{ DEN(12), E, "exact on D and E: lower key" },
	{ DEN(1), C, "closest above" },
	{ DEN(16), E, "closest below: D and E at -4, lower key" },
	{ REL(16), D, "closest below" },
	{ 0, NONE, "nothing requested" },
};

static void attr_match_one_property_table(void **state)
{
	struct six s;
	struct row rows[sizeof(one_prop_rows) / sizeof(one_prop_rows[0])];

	(void)state;
	memcpy(rows, one_prop_rows, sizeof(rows));
	six_all(&s);
	for (size_t i = 0; i < HN_ARRAY_SIZE(default_rule_ops); i++)
		run_table(default_rule_ops[i], &s, rows, HN_ARRAY_SIZE(rows), NULL);
	/* weighted and lexicographic reduce to the default rule for one property */
	run_table(&hn_attr_match_weighted, &s, rows, HN_ARRAY_SIZE(rows), NULL);
	run_table(&hn_attr_match_lexicographic, &s, rows, HN_ARRAY_SIZE(rows), NULL);
	hn_attr_set_fini(&s.set);
}

/*
 * Several properties: the request's sum against the node's key.
 * Keys: A 24, E 24, F 24, C 26, B 48, D 72.
 */
static const struct row multi_prop_rows[] = {
	{ LAT(12) | BW(12), A, "c 24, exact on A E F: lower id" },
	{ LAT(13) | BW(13), C, "c 26, exact" },
	{ LAT(12) | BW(13), C, "c 25: C +1 above beats A -1" },
	{ LAT(16) | BW(16) | REL(4), C, "c 36: closest below (C -10, B +12)" },
	{ LAT(16) | BW(16) | REL(8), B, "c 40: closest above (B +8, C -14)" },
	{ LAT(16) | BW(16) | REL(16) | DEN(16) | P(HN_MATTR_POWER, 16), D,
	  "c 80: closest below" },
	{ M(10, 10, 10, 10, 10, 10), D, "c 60: tie at 12, D above beats B below" },
	{ LAT(1) | BW(1), A, "c 2: closest above, A E F: lower id" },
	{ LAT(16) | BW(16) | REL(16) | DEN(16) | P(HN_MATTR_POWER, 16) |
		  P(HN_MATTR_COMPUTE, 16),
	  D, "c 96" },
};

static void attr_match_multi_property_table(void **state)
{
	struct six s;

	(void)state;
	six_all(&s);
	for (size_t i = 0; i < HN_ARRAY_SIZE(default_rule_ops); i++)
		run_table(default_rule_ops[i], &s, multi_prop_rows, HN_ARRAY_SIZE(multi_prop_rows),
			  NULL);
	hn_attr_set_fini(&s.set);
}

/*
 * The slides' quirk, kept: a node with exactly the latency and bandwidth
 * asked for loses to one whose six levels sum to what was asked.
 *   P: lat 16 bw 16, the rest 1 (key 36);  Q: all 5, lat 7 (key 32)
 * Expect latency 16 + bandwidth 16 (c 32) to get Q from the slides' rule
 * and P from weighted and lexicographic.
 */
static void attr_match_slides_cumulative_quirk(void **state)
{
	struct hn_attr_node p = { .mattr = M(16, 16, 1, 1, 1, 1), .start_pfn = 0, .end_pfn = 1 };
	struct hn_attr_node q = { .mattr = M(7, 5, 5, 5, 5, 5), .start_pfn = 1, .end_pfn = 2 };
	struct hn_attr_set set;

	(void)state;
	hn_attr_set_init(&set);
	assert_int_equal(hn_attr_set_insert(&set, &p), 0);
	assert_int_equal(hn_attr_set_insert(&set, &q), 0);
	for (size_t i = 0; i < HN_ARRAY_SIZE(default_rule_ops); i++)
		assert_ptr_equal(default_rule_ops[i]->match(&set, LAT(16) | BW(16), NULL, NULL), &q);
	assert_ptr_equal(hn_attr_match_weighted.match(&set, LAT(16) | BW(16), NULL, NULL), &p);
	assert_ptr_equal(hn_attr_match_lexicographic.match(&set, LAT(16) | BW(16), NULL, NULL), &p);
	hn_attr_set_fini(&set);
}

/* ------------------------------------------------------------------------ */
/* weighted and lexicographic: tables                                        */

static void attr_match_weighted_table(void **state)
{
	/* latency weighs 3, density 1 (the others 1, unused) */
	static const unsigned int w31[HN_MATTR_NR_PROPS] = { 3, 1, 1, 1, 1, 1 };
	static const struct row plain[] = {
		{ LAT(16) | BW(2), C, "exact" },
		{ LAT(8) | DEN(12), E, "exact" },
		/* A 10, B 2 (-2), D 6, E 2 (+2): tie at 2, above */
		{ LAT(8) | DEN(10), E, "tie at 2: E above beats B below" },
		/* A 12, B 4 (-4), C 14, D 4 (+4), E 4 (-2 + 2 = 0: above) */
		{ LAT(10) | DEN(10), E, "tie at 4: D and E above, lower key" },
		/* A/F 0+0+...: lat 4 bw 4 rel 4 */
		{ LAT(4) | BW(4) | REL(4), A, "exact on A and F: lower id" },
	};
	static const struct row weighted[] = {
		/* A 18+8, B 6+4, C 18+10, D 6+0 (+6), E 6+0 (-6) */
		{ LAT(10) | DEN(12), D, "tie at 6: D above beats E below" },
		/* A 3*4+8=20, B 0+4=4, C 24+10=34, D 12+0=12, E 0+0=0 */
		{ LAT(8) | DEN(12), E, "exact" },
		/* A 3*1+1=4 (-4), B 3*3+3=12, E 3*3+7=16, F as A: A lower id */
		{ LAT(5) | DEN(5), A, "closest below, A and F: lower id" },
	};
	struct six s;

	(void)state;
	six_all(&s);
	run_table(&hn_attr_match_weighted, &s, plain, HN_ARRAY_SIZE(plain), NULL);
	run_table(&hn_attr_match_weighted, &s, weighted, HN_ARRAY_SIZE(weighted), w31);
	hn_attr_set_fini(&s.set);
}

static void attr_match_lexicographic_table(void **state)
{
	/* density before latency */
	static const unsigned int den_first[HN_MATTR_NR_PROPS] = { 1, 1, 1, 1, 1, 2 };
	static const struct row plain[] = {
		{ LAT(8) | DEN(12), E, "exact" },
		/* latency first: B (0, 4), E (0, 8) */
		{ LAT(8) | DEN(4), B, "latency decides, then density" },
		/* B (2,2) -2, D (2,2) +2, E (2,2) -2: D above on latency */
		{ LAT(10) | DEN(10), D, "all (2,2): D above on latency" },
		/* C (0, 14) against A (12, 0): latency first */
		{ LAT(16) | BW(4), C, "latency first" },
	};
	static const struct row dens[] = {
		/* density first: A, F (0, 4), B (4, 0): A lower id */
		{ LAT(8) | DEN(4), A, "density first, A and F: lower id" },
		/* density 12: D (0, 4) E (0, 0) */
		{ LAT(8) | DEN(12), E, "exact" },
		/* density 2: C (0, 6) */
		{ LAT(10) | DEN(2), C, "density decides" },
	};
	struct six s;

	(void)state;
	six_all(&s);
	run_table(&hn_attr_match_lexicographic, &s, plain, HN_ARRAY_SIZE(plain), NULL);
	run_table(&hn_attr_match_lexicographic, &s, dens, HN_ARRAY_SIZE(dens), den_first);
	hn_attr_set_fini(&s.set);
}

/* ------------------------------------------------------------------------ */
/* Explain                                                                   */

struct trace {
	char text[4096];
	size_t len;
};

static void trace_step(void *ctx, const struct hn_attr_node *n, long score, const char *why)
{
	struct trace *t = ctx;
	int w = snprintf(t->text + t->len, sizeof(t->text) - t->len, "%u %ld %s\n", n->id, score,
			 why);

	if (w > 0 && t->len + (size_t)w < sizeof(t->text))
		t->len += (size_t)w;
}

static const char *explain_of(const struct hn_attr_match_ops *ops, const struct hn_attr_set *set,
			      hn_mattr_t want, const unsigned int *w, struct trace *t,
			      const struct hn_attr_node **got)
{
	struct hn_attr_explain ex = { trace_step, t };

	memset(t, 0, sizeof(*t));
	*got = ops->match(set, want, w, &ex);
	return t->text;
}

/*
 * latency 10 on A..F: ids 0..5 are A B C D E F, latencies 4 8 16 12 8 4.
 * Expect each strategy to report every node it looks at, in its order,
 * with its score and why, and the answer last.
 */
static void attr_explain_one_property(void **state)
{
	const struct hn_attr_node *got;
	struct trace t;
	struct six s;

	(void)state;
	six_all(&s);
	assert_string_equal(explain_of(&hn_attr_match_linear, &s.set, LAT(10), NULL, &t, &got),
			    "0 -6 first, below\n"
			    "1 -2 closer below\n"
			    "2 6 farther\n"
			    "3 2 tie: above before below\n"
			    "4 -2 tie: below after above\n"
			    "5 -6 farther\n"
			    "3 2 chosen\n");
	assert_ptr_equal(got, &s.n[D]);
	/*
	 * tree order A E F C B D, root C: the root's level mask has 12 as the
	 * closest level above 10 (8 is as close, but below), C's left subtree
	 * (A E F: 4 8 4) has no 12, C is 16, so right to B, whose left has no
	 * 12 either and which is 8, so right to D.
	 */
	assert_string_equal(explain_of(&hn_attr_match_slides_tree, &s.set, LAT(10), NULL, &t, &got),
			    "2 6 descend right\n"
			    "1 -2 descend right\n"
			    "3 2 first, above\n"
			    "3 2 chosen\n");
	assert_ptr_equal(got, &s.n[D]);
	/*
	 * latency 8 exists (B and E); the in-order first is E (key 24, in C's
	 * left subtree, where E is the subtree's root)
	 */
	assert_string_equal(explain_of(&hn_attr_match_slides_tree, &s.set, LAT(8), NULL, &t, &got),
			    "2 8 descend left\n"
			    "4 0 exact\n"
			    "4 0 chosen\n");
	assert_string_equal(explain_of(&hn_attr_match_slides_cached, &s.set, LAT(10), NULL, &t, &got),
			    "3 2 cdm_ind\n"
			    "3 2 chosen\n");
	/* weighted reports its score, |d| for one property */
	assert_string_equal(explain_of(&hn_attr_match_weighted, &s.set, LAT(5), NULL, &t, &got),
			    "0 1 first, below\n"
			    "1 3 farther\n"
			    "2 11 farther\n"
			    "3 7 farther\n"
			    "4 3 farther\n"
			    "5 1 tie: higher id\n"
			    "0 1 chosen\n");
	/* nothing requested: NULL, and nothing to explain */
	assert_string_equal(explain_of(&hn_attr_match_linear, &s.set, 0, NULL, &t, &got), "");
	assert_null(got);
	hn_attr_set_fini(&s.set);
}

/*
 * Several properties, cumulative 36, on { A 24, C 26, B 48 } - inserted in
 * key order, so the tree is C (black) with children A and B (red):
 *
 *          C 26
 *         /    \
 *      A 24    B 48
 *
 * Expect slides-tree to descend to the ceiling B (+12), find its
 * predecessor C (-10) strictly closer, descend again for the lowest start
 * pfn of key 26, and choose C.
 */
static void attr_explain_tree_descent(void **state)
{
	static const int three[] = { A, C, B };
	const struct hn_attr_node *got;
	const hn_mattr_t want = LAT(16) | BW(16) | REL(4);
	struct trace t;
	struct six s;

	(void)state;
	six_build(&s, three, 3);	/* ids: A 0, B 1, C 2 */
	assert_ptr_equal(hn_rb_entry(s.set.tree.rb_node, struct hn_attr_node, rb), &s.n[C]);
	assert_string_equal(explain_of(&hn_attr_match_slides_tree, &s.set, want, NULL, &t, &got),
			    "2 -10 descend right\n"
			    "1 12 descend left\n"
			    "1 12 first, above\n"
			    "2 -10 descend left\n"
			    "0 -12 descend right\n"
			    "2 -10 closer below\n"
			    "2 -10 chosen\n");
	assert_ptr_equal(got, &s.n[C]);
	assert_string_equal(explain_of(&hn_attr_match_slides_cached, &s.set, want, NULL, &t, &got),
			    "2 -10 cdm_cum\n"
			    "2 -10 chosen\n");
	/* c 40: the ceiling B (+8) wins, C (-14) is only looked at */
	assert_string_equal(explain_of(&hn_attr_match_slides_tree, &s.set, LAT(16) | BW(16) | REL(8),
				       NULL, &t, &got),
			    "2 -14 descend right\n"
			    "1 8 descend left\n"
			    "1 8 first, above\n"
			    "2 -14 farther\n"
			    "1 8 chosen\n");
	/* the lexicographic score: base-17 digits, latency first: 0 then 8 */
	assert_string_equal(explain_of(&hn_attr_match_lexicographic, &s.set, LAT(16) | DEN(10),
				       NULL, &t, &got),
			    "0 210 first, below\n"
			    "1 138 closer below\n"
			    "2 8 closer below\n"
			    "2 8 chosen\n");
	hn_attr_set_fini(&s.set);
}

/* ------------------------------------------------------------------------ */
/* Graphviz                                                                  */

static char *dot_of(const struct hn_attr_set *set, const char *title)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(hn_attr_set_dot(set, f, title), 0);
	fclose(f);
	return buf;
}

/*
 * Two copies of the set at different host addresses, built alike.
 * Expect byte-identical text naming keys, colours, decoded words and both
 * caches, and no host pointer in it.
 */
static void attr_dot_deterministic(void **state)
{
	static const int three[] = { A, C, B };
	struct six *s1 = calloc(1, sizeof(*s1)), *s2 = calloc(1, sizeof(*s2));
	char *a, *b, buf[32];

	(void)state;
	assert_non_null(s1);
	assert_non_null(s2);
	six_build(s1, three, 3);
	six_build(s2, three, 3);
	a = dot_of(&s1->set, "zone \"Normal\" <node 0>");
	b = dot_of(&s2->set, "zone \"Normal\" <node 0>");
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "digraph attr_set {\n"));
	assert_non_null(strstr(a, "label=\"zone &quot;Normal&quot; &lt;node 0&gt; (3 nodes)\""));
	assert_non_null(strstr(a, "\tn2 [label=\"key 26  id 2\\n[0x200, 0x300)\\n"
				  "lat=16,bw=2,rel=2,pwr=2,cmp=2,den=2\", fillcolor=black"));
	assert_non_null(strstr(a, "\tn0 [label=\"key 24  id 0\\n[0, 0x100)\\n"));
	assert_non_null(strstr(a, "fillcolor=red"));
	assert_non_null(strstr(a, "\tn2 -> n0;\n\tn2 -> n1;\n"));
	assert_non_null(strstr(a, "<TR><TD>latency</TD><TD>0</TD>"));
	assert_non_null(strstr(a, "<TR><TD>16</TD><TD>0</TD>"));
	assert_non_null(strstr(a, "</TABLE>>];\n}\n"));
	snprintf(buf, sizeof(buf), "%p", (void *)&s1->n[0]);
	assert_null(strstr(a, buf));
	assert_int_equal(hn_attr_set_dot(NULL, stdout, NULL), -EINVAL);
	free(a);
	free(b);
	hn_attr_set_fini(&s1->set);
	hn_attr_set_fini(&s2->set);
	free(s1);
	free(s2);
}

/* ------------------------------------------------------------------------ */
/* The table of strategies                                                   */

static void attr_match_by_name_nth(void **state)
{
	static const char *const names[] = { "slides", "slides-tree", "weighted", "lexicographic",
					     "linear" };
	unsigned int i;

	(void)state;
	for (i = 0; hn_attr_match_nth(i); i++) {
		const struct hn_attr_match_ops *ops = hn_attr_match_nth(i);

		assert_true(i < HN_ARRAY_SIZE(names));
		assert_string_equal(ops->name, names[i]);
		assert_ptr_equal(hn_attr_match_by_name(names[i]), ops);
		assert_non_null(ops->summary);
		assert_non_null(ops->match);
	}
	assert_int_equal(i, HN_ARRAY_SIZE(names));
	assert_ptr_equal(hn_attr_match_by_name("slides"), &hn_attr_match_slides_cached);
	assert_null(hn_attr_match_by_name("first-fit"));
	assert_null(hn_attr_match_by_name(""));
	assert_null(hn_attr_match_by_name(NULL));
	assert_null(hn_attr_match_nth(100));
}

/* ------------------------------------------------------------------------ */
/* Random                                                                    */

static hn_mattr_t random_word(uint64_t *s, bool allow_missing)
{
	hn_mattr_t m = 0;

	for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
		m |= hn_mattr_prop(p, 1 + rnd(s, 16));
	/* one node in 16 lacks a property: absent counts as level 0 */
	if (allow_missing && !rnd(s, 16)) {
		int p = (int)rnd(s, HN_MATTR_NR_PROPS);

		m &= ~(HN_MATTR_PRESENT(p) | (0xfu << HN_MATTR_FIELD_SHIFT(p)));
	}
	return m;
}

static hn_mattr_t random_multi_request(uint64_t *s)
{
	hn_mattr_t m = 0;

	while (want_nr(m) < 2) {
		m = 0;
		for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
			if (rnd(s, 2))
				m |= hn_mattr_prop(p, 1 + rnd(s, 16));
	}
	return m;
}

/* A request with several properties whose levels sum to @c (2..96). */
static hn_mattr_t multi_request_of(unsigned int c)
{
	unsigned int k = (c + 15) / 16 < 2 ? 2 : (c + 15) / 16;
	hn_mattr_t m = 0;

	for (unsigned int i = 0; i < k; i++)
		m |= hn_mattr_prop(i, c / k + (i < c % k));
	return m;
}

#define RND_FAIL(seed, fmt, ...)                                                       \
	fail_msg("seed 0x%016" PRIx64 " (HN_TEST_SEED to replay): " fmt, (seed), __VA_ARGS__)

static void agree(const struct hn_attr_set *set, hn_mattr_t want, const unsigned int *w,
		  uint64_t seed)
{
	for (unsigned int i = 0; hn_attr_match_nth(i); i++) {
		const struct hn_attr_match_ops *ops = hn_attr_match_nth(i);
		const struct hn_attr_node *got = ops->match(set, want, w, NULL);
		const struct hn_attr_node *exp = ref_match(set, want, w, kind_of(ops));
		char buf[96];

		if (got != exp)
			RND_FAIL(seed, "%s, want %s: node %d, reference %d", ops->name,
				 hn_mattr_format(want, buf, sizeof(buf)), got ? (int)got->id : -1,
				 exp ? (int)exp->id : -1);
	}
}

/*
 * 256 random nodes (random words from the seed, 1 in 16 missing a
 * property; ranges distinct, inserted in random order).
 * Expect every strategy to equal the reference - so slides, slides-tree and
 * linear equal each other - on all 6 x 16 one-property requests, on a
 * request of every cumulative value 2..96, and on 10^4 random
 * multi-property requests, with and without weights.
 */
static void attr_match_random_agree(void **state)
{
	const uint64_t seed = test_seed(0x61747472ull);
	uint64_t s = seed;
	struct hn_attr_node *n = calloc(256, sizeof(*n));
	unsigned int order[256], w[HN_MATTR_NR_PROPS];
	struct hn_attr_set set;

	(void)state;
	assert_non_null(n);
	hn_attr_set_init(&set);
	for (unsigned int i = 0; i < 256; i++)
		order[i] = i;
	for (unsigned int i = 255; i > 0; i--) {
		unsigned int j = rnd(&s, i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (unsigned int i = 0; i < 256; i++) {
		struct hn_attr_node *x = &n[order[i]];

		x->mattr = random_word(&s, true);
		x->start_pfn = (uint64_t)order[i] << 18;
		x->end_pfn = x->start_pfn + 1 + rnd(&s, 1u << 18);
		if (hn_attr_set_insert(&set, x))
			RND_FAIL(seed, "insert %u", i);
	}
	CHECK(&set);

	for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
		for (unsigned int l = 1; l <= HN_MATTR_LEVELS; l++)
			agree(&set, hn_mattr_prop(p, l), NULL, seed);
	for (unsigned int c = 2; c <= HN_ATTR_MAX_CUM; c++) {
		assert_int_equal(want_sum(multi_request_of(c)), c);
		agree(&set, multi_request_of(c), NULL, seed);
	}
	for (unsigned int i = 0; i < 10000; i++)
		agree(&set, random_multi_request(&s), NULL, seed);
	for (unsigned int i = 0; i < 2000; i++) {
		for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
			w[p] = rnd(&s, 5);
		agree(&set, random_multi_request(&s), w, seed);
	}
	hn_attr_set_fini(&set);
	free(n);
}

/*
 * 4000 random inserts and removes over 96 node slots with random ranges in
 * a space of 4096 pfns, so many inserts overlap.
 * Expect insert to succeed exactly when the model says the range is free
 * (-EEXIST otherwise), the set to validate after every step, nodes[] to
 * equal the model in start-pfn order, and every strategy to equal the
 * reference on a few random requests after every step.
 */
static void attr_insert_remove_random(void **state)
{
	const uint64_t seed = test_seed(0x6174747232ull);
	uint64_t s = seed;
	struct hn_attr_node n[96];
	bool in[96] = { 0 };
	struct hn_attr_set set;
	char why[200];

	(void)state;
	memset(n, 0, sizeof(n));
	hn_attr_set_init(&set);
	for (unsigned int op = 0; op < 4000; op++) {
		unsigned int i = rnd(&s, 96), expect_nr = 0;

		if (in[i]) {
			hn_attr_set_remove(&set, &n[i]);
			in[i] = false;
		} else {
			bool overlap = false;
			int ret;

			n[i].mattr = random_word(&s, true);
			n[i].start_pfn = rnd(&s, 4096);
			n[i].end_pfn = n[i].start_pfn + 1 + rnd(&s, 64);
			for (unsigned int j = 0; j < 96; j++)
				if (in[j] && n[j].start_pfn < n[i].end_pfn &&
				    n[i].start_pfn < n[j].end_pfn)
					overlap = true;
			ret = hn_attr_set_insert(&set, &n[i]);
			if (ret != (overlap ? -EEXIST : 0))
				RND_FAIL(seed, "op %u: insert returned %d, model says %s", op, ret,
					 overlap ? "overlap" : "free");
			in[i] = !overlap;
		}
		if (hn_attr_set_check(&set, why, sizeof(why)))
			RND_FAIL(seed, "op %u: %s", op, why);
		for (unsigned int j = 0; j < 96; j++)
			expect_nr += in[j];
		if (set.nr != expect_nr)
			RND_FAIL(seed, "op %u: nr %u, model %u", op, set.nr, expect_nr);
		for (unsigned int j = 0; j < set.nr; j++) {
			unsigned int below = 0, k = (unsigned int)(set.nodes[j] - n);

			if (k >= 96 || !in[k])
				RND_FAIL(seed, "op %u: nodes[%u] not in the model", op, j);
			for (unsigned int m = 0; m < 96; m++)
				below += in[m] && n[m].start_pfn < set.nodes[j]->start_pfn;
			if (below != j)
				RND_FAIL(seed, "op %u: nodes[%u] out of start-pfn order", op, j);
		}
		agree(&set, hn_mattr_prop(rnd(&s, 6), 1 + rnd(&s, 16)), NULL, seed);
		agree(&set, random_multi_request(&s), NULL, seed);
	}
	hn_attr_set_fini(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(attr_set_empty_check),
		cmocka_unit_test(attr_insert_overlap_eexist),
		cmocka_unit_test(attr_insert_enomem),
		cmocka_unit_test(attr_insert_remove_orders),
		cmocka_unit_test(attr_check_detects_corruption),
		cmocka_unit_test(attr_match_one_property_table),
		cmocka_unit_test(attr_match_multi_property_table),
		cmocka_unit_test(attr_match_slides_cumulative_quirk),
		cmocka_unit_test(attr_match_weighted_table),
		cmocka_unit_test(attr_match_lexicographic_table),
		cmocka_unit_test(attr_explain_one_property),
		cmocka_unit_test(attr_explain_tree_descent),
		cmocka_unit_test(attr_dot_deterministic),
		cmocka_unit_test(attr_match_by_name_nth),
		cmocka_unit_test(attr_match_random_agree),
		cmocka_unit_test(attr_insert_remove_random),
	};

	return cmocka_run_group_tests_name("attr", tests, NULL, NULL);
}

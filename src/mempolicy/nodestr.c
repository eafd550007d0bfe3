/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nodestr.c - libnuma's bitmasks and node strings (hnuma/numa.h).
 *
 * The parser follows numa_parse_nodestring() of libnuma 2.0 step by step:
 * an optional "!" (invert), an optional "+" (relative), then "all" or a
 * comma-separated list of numbers and ranges; every number read as
 * strtoul(..., 0) reads it (so "0x3" is node 3), mapped through the
 * allowed set when relative; each named node, and both ends of a range,
 * must be allowed; a range adds only the allowed nodes between its ends.
 * Inversion is over the configured nodes.  What libnuma would print as a
 * warning goes to the instance's log, and the call fails with -EINVAL.
 * libnuma also accepts the name of a file or network device ("the nodes
 * near eth0"); a simulated machine has neither, so a name other than
 * "all" is an error here.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/numa.h>

#include "core/mmzone.h"
#include "util/util.h"

#define WORDS(bits) (((bits) + 63) / 64)

struct hn_bitmask *hn_bitmask_alloc(unsigned int nbits)
{
	struct hn_bitmask *b;

	if (!nbits)
		return NULL;
	b = malloc(sizeof(*b));
	if (!b)
		return NULL;
	b->size = nbits;
	b->maskp = calloc(WORDS(nbits), sizeof(*b->maskp));
	if (!b->maskp) {
		free(b);
		return NULL;
	}
	return b;
}

void hn_bitmask_free(struct hn_bitmask *b)
{
	if (!b)
		return;
	free(b->maskp);
	free(b);
}

struct hn_bitmask *hn_bitmask_setbit(struct hn_bitmask *b, unsigned int n)
{
	if (b && n < b->size)
		b->maskp[n / 64] |= 1ULL << (n % 64);
	return b;
}

struct hn_bitmask *hn_bitmask_clearbit(struct hn_bitmask *b, unsigned int n)
{
	if (b && n < b->size)
		b->maskp[n / 64] &= ~(1ULL << (n % 64));
	return b;
}

struct hn_bitmask *hn_bitmask_setall(struct hn_bitmask *b)
{
	if (!b)
		return NULL;
	for (unsigned long i = 0; i < b->size; i++)
		b->maskp[i / 64] |= 1ULL << (i % 64);
	return b;
}

struct hn_bitmask *hn_bitmask_clearall(struct hn_bitmask *b)
{
	if (b)
		memset(b->maskp, 0, WORDS(b->size) * sizeof(*b->maskp));
	return b;
}

bool hn_bitmask_isbitset(const struct hn_bitmask *b, unsigned int n)
{
	return b && n < b->size && (b->maskp[n / 64] >> (n % 64) & 1);
}

static unsigned long bitmask_size(const struct hn_bitmask *b)
{
	return b ? b->size : 0;
}

bool hn_bitmask_equal(const struct hn_bitmask *a, const struct hn_bitmask *b)
{
	unsigned long n = HN_MAX(bitmask_size(a), bitmask_size(b));

	for (unsigned long i = 0; i < n; i++)
		if (hn_bitmask_isbitset(a, (unsigned int)i) != hn_bitmask_isbitset(b, (unsigned int)i))
			return false;
	return true;
}

unsigned int hn_bitmask_weight(const struct hn_bitmask *b)
{
	unsigned int w = 0;

	for (unsigned long i = 0; b && i < WORDS(b->size); i++)
		w += (unsigned int)__builtin_popcountll(b->maskp[i]);
	return w;
}

unsigned int hn_bitmask_nbytes(const struct hn_bitmask *b)
{
	return b ? (unsigned int)(WORDS(b->size) * sizeof(*b->maskp)) : 0;
}

int hn_bitmask_to_nodemask(const struct hn_bitmask *b, struct hn_nodemask *m)
{
	if (!b || !m)
		return -EINVAL;
	hn_nodemask_clear_all(m);
	for (unsigned int i = 0; i < HN_MAX_NUMNODES; i++)
		if (hn_bitmask_isbitset(b, i))
			hn_nodemask_set(m, (int)i);
	return 0;
}

int hn_bitmask_from_nodemask(struct hn_bitmask *b, const struct hn_nodemask *m)
{
	if (!b || !m)
		return -EINVAL;
	hn_bitmask_clearall(b);
	for (unsigned int i = 0; i < HN_MAX_NUMNODES && i < b->size; i++)
		if (hn_nodemask_test(m, (int)i))
			hn_bitmask_setbit(b, i);
	return 0;
}

/* ---- node strings --------------------------------------------------------- */

/*
 * get_nr(): a number at @s as strtoul(, 0) reads it; relative numbers are
 * indices into @allowed (the n-th allowed node, from 0).  Sets *@end to @s
 * when nothing was read; a relative index past the allowed nodes gives
 * ULONG_MAX, which no node is.
 */
static unsigned long get_nr(const char *s, const char **end, const struct hn_bitmask *allowed,
			    bool relative)
{
	unsigned long n;
	char *e;

	*end = s;
	/* strtoul would also take spaces and a sign; libnuma's users never write them */
	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	n = strtoul(s, &e, 0);
	if (errno)
		n = ULONG_MAX;
	*end = e;
	if (relative) {
		unsigned long seen = 0;

		for (unsigned long i = 0; i < allowed->size; i++) {
			if (!hn_bitmask_isbitset(allowed, (unsigned int)i))
				continue;
			if (seen++ == n)
				return i;
		}
		return ULONG_MAX;
	}
	return n;
}

static bool allowed_node(const struct hn_bitmask *allowed, unsigned long n)
{
	return n < allowed->size && hn_bitmask_isbitset(allowed, (unsigned int)n);
}

static int parse_nodestring(struct hn_sim *sim, const char *s, const struct hn_bitmask *allowed,
			    struct hn_bitmask *mask)
{
	const char *start = s, *end;
	bool invert = false, relative = false;
	unsigned long a = 0, b;

	if (!*s)
		return 0;
	if (*s == '!') {
		invert = true;
		s++;
	}
	if (*s == '+') {
		relative = true;
		s++;
	}
	for (;;) {
		/* "all" may also end a list, as in libnuma ("1,all") */
		if (!strcmp(s, "all")) {
			for (unsigned long i = 0; i < allowed->size; i++)
				if (hn_bitmask_isbitset(allowed, (unsigned int)i))
					hn_bitmask_setbit(mask, (unsigned int)i);
			break;
		}
		a = get_nr(s, &end, allowed, relative);
		if (end == s)
			goto unparseable;
		if (!allowed_node(allowed, a))
			goto out_of_range;
		hn_bitmask_setbit(mask, (unsigned int)a);
		s = end;
		if (*s == '-') {
			b = get_nr(++s, &end, allowed, relative);
			if (end == s)
				goto unparseable;
			if (!allowed_node(allowed, b)) {
				a = b;
				goto out_of_range;
			}
			if (b < a) {
				hn_logf(&sim->log, HN_LOG_ERR, "node range %lu-%lu is reversed in '%s'", a,
					b, start);
				return -EINVAL;
			}
			for (unsigned long i = a; i <= b; i++)
				if (allowed_node(allowed, i))
					hn_bitmask_setbit(mask, (unsigned int)i);
			s = end;
		}
		if (*s == '\0')
			break;
		if (*s != ',')
			goto unparseable;
		s++;
	}
	if (invert) {
		for (int nid = 0; nid < sim->nr_node_ids; nid++) {
			if (!NODE_DATA(sim, nid))
				continue;
			if (hn_bitmask_isbitset(mask, (unsigned int)nid))
				hn_bitmask_clearbit(mask, (unsigned int)nid);
			else
				hn_bitmask_setbit(mask, (unsigned int)nid);
		}
	}
	return 0;
unparseable:
	hn_logf(&sim->log, HN_LOG_ERR, "unparseable node description '%s'", start);
	return -EINVAL;
out_of_range:
	if (a == ULONG_MAX)
		hn_logf(&sim->log, HN_LOG_ERR, "node argument out of range in '%s'", start);
	else
		hn_logf(&sim->log, HN_LOG_ERR, "node argument %lu is out of range in '%s'", a, start);
	return -EINVAL;
}

static int parse_common(const struct hn_sim *csim, const char *s, struct hn_bitmask **out,
			bool all)
{
	struct hn_sim *sim = (struct hn_sim *)csim;	/* only the log is written */
	struct hn_bitmask *allowed, *mask;
	int ret;

	if (out)
		*out = NULL;
	if (!sim || !s || !out)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	allowed = hn_bitmask_alloc(HN_MAX_NUMNODES);
	mask = hn_bitmask_alloc(HN_MAX_NUMNODES);
	if (!allowed || !mask) {
		hn_bitmask_free(allowed);
		hn_bitmask_free(mask);
		return -ENOMEM;
	}
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		if (!NODE_DATA(sim, nid))
			continue;
		if (all || (hn_nodemask_test(&sim->mems_allowed, nid) &&
			    hn_bit_test(sim->node_states[HN_N_MEMORY], (unsigned int)nid)))
			hn_bitmask_setbit(allowed, (unsigned int)nid);
	}
	ret = parse_nodestring(sim, s, allowed, mask);
	hn_bitmask_free(allowed);
	if (ret) {
		hn_bitmask_free(mask);
		return ret;
	}
	*out = mask;
	return 0;
}

int hn_parse_nodestring(const struct hn_sim *sim, const char *s, struct hn_bitmask **out)
{
	return parse_common(sim, s, out, false);
}

int hn_parse_nodestring_all(const struct hn_sim *sim, const char *s, struct hn_bitmask **out)
{
	return parse_common(sim, s, out, true);
}

int hn_nodestring_format(const struct hn_bitmask *b, char *buf, size_t len)
{
	if (!b || (!buf && len))
		return -EINVAL;
	return hn_snprint_idlist(buf, len, b->maskp, b->size);
}

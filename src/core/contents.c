/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * contents.c - page contents: the block pool, the content models and the
 * checksum (contents.h says why each is as it is).
 *
 * The models, for what compression will make of them (CRAM builds on it):
 *   zero     the page stays as the fault zeroed it: compresses to nothing
 *   text     words from a small vocabulary, spaces and line breaks, as a
 *            text file or a log would be: a 2-3x ratio for LZ-class codecs
 *   random   uniformly random bytes: incompressible
 *   mix      the first page_size * 100 / ratio bytes random, the rest zero,
 *            so that a codec that removes the zeros reaches about the ratio
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/contents.h"
#include "core/page.h"

/*
 * Blocks come in chunks mapped from the host, each twice the last up to
 * 8192 blocks (32 MiB of 4 KiB pages): a small run takes little, a large
 * one few mappings.  Chunks of 2 MiB and more ask for transparent huge
 * pages, so filling a page rarely costs a host page fault of its own.
 */
#define CHUNK_MIN_SHIFT 6
#define CHUNK_MAX_SHIFT 13

static const char *const vocabulary[] = {
	"the", "page", "memory", "node", "zone", "of", "and", "to", "a", "in",
	"free", "list", "order", "buddy", "allocation", "is", "for", "migrate",
	"policy", "that", "with", "cache", "latency", "bandwidth", "on", "tier",
	"compaction", "reclaim", "device", "an", "was", "it", "by", "from",
};

/* splitmix64: the generator's step (one word of state, good enough for bytes). */
static inline uint64_t mix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The generator of one write: the instance seed, the page's identity and the write count. */
static uint64_t write_seed(const struct hn_sim *sim, const struct hn_page_data *d)
{
	uint64_t s = sim->cfg.seed ^ 0x636f6e74656e7473ULL;	/* "contents" */

	s ^= mix64(&(uint64_t){ ((uint64_t)d->owner << 32) | d->writes });
	s ^= mix64(&(uint64_t){ d->index });
	return s;
}

static void gen_random(unsigned char *p, size_t len, uint64_t *state)
{
	while (len >= 8) {
		uint64_t w = mix64(state);

		memcpy(p, &w, 8);
		p += 8;
		len -= 8;
	}
	if (len) {
		uint64_t w = mix64(state);

		memcpy(p, &w, len);
	}
}

static void gen_text(unsigned char *p, size_t len, uint64_t *state)
{
	size_t nwords = sizeof(vocabulary) / sizeof(vocabulary[0]), col = 0;

	while (len) {
		uint64_t r = mix64(state);
		const char *w = vocabulary[r % nwords];
		size_t n = strlen(w);

		if (n > len)
			n = len;
		memcpy(p, w, n);
		p += n;
		len -= n;
		col += n;
		if (!len)
			break;
		*p++ = (col > 60 && (r >> 32) % 4 == 0) ? '\n' : ' ';
		col = p[-1] == '\n' ? 0 : col + 1;
		len--;
	}
}

/* Write @len bytes at @off of @d as the model says. */
static void generate(const struct hn_sim *sim, struct hn_page_data *d, size_t off, size_t len)
{
	const struct hn_contents *c = sim->contents;
	uint64_t state = write_seed(sim, d);
	unsigned char *p = d->bytes + off;

	switch (c->model) {
	case HN_CONTENTS_TEXT:
		gen_text(p, len, &state);
		break;
	case HN_CONTENTS_RANDOM:
		gen_random(p, len, &state);
		break;
	case HN_CONTENTS_MIX: {
		/* random up to the boundary, zeros after it */
		size_t boundary = c->page_size * 100 / c->ratio;
		size_t rnd = off >= boundary ? 0 : HN_MIN(len, boundary - off);

		gen_random(p, rnd, &state);
		memset(p + rnd, 0, len - rnd);
		break;
	}
	default:
		memset(p, 0, len);
		break;
	}
}

uint64_t hn_page_data_csum(const struct hn_sim *sim, const struct hn_page_data *d)
{
	size_t n = sim->contents->page_size;
	uint64_t h = 0x6a09e667f3bcc908ULL ^ (n * 0x9e3779b97f4a7c15ULL);
	const unsigned char *p = d->bytes;

	/* a multiply-rotate over 8-byte words, then a final avalanche */
	for (size_t i = 0; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		h ^= w * 0x87c37b91114253d5ULL;
		h = ((h << 31) | (h >> 33)) * 0x4cf5ad432745937fULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 29;
	return h;
}

int hn_contents_init(struct hn_sim *sim)
{
	struct hn_contents *c;
	unsigned int model = sim->cfg.contents;

	if (model == HN_CONTENTS_NONE)
		return 0;
	if (model > HN_CONTENTS_MIX)
		return -EINVAL;
	if (model == HN_CONTENTS_MIX && (sim->cfg.contents_ratio < 100 ||
					 sim->cfg.contents_ratio > 100 * 1000))
		return -EINVAL;
	c = hn_sim_calloc(sim, 1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->model = model;
	c->ratio = sim->cfg.contents_ratio;
	c->page_size = sim->page_size;
	c->block_size = sizeof(struct hn_page_data) + sim->page_size;
	sim->contents = c;
	return 0;
}

static size_t chunk_bytes(const struct hn_contents *c, unsigned int i)
{
	unsigned int shift = CHUNK_MIN_SHIFT + HN_MIN(i, CHUNK_MAX_SHIFT - CHUNK_MIN_SHIFT);

	return (c->block_size << shift);
}

void hn_contents_fini(struct hn_sim *sim)
{
	struct hn_contents *c = sim->contents;

	if (!c)
		return;
	for (unsigned int i = 0; i < c->nr_chunks; i++)
		hn_host_unmap(c->chunks[i], chunk_bytes(c, i));
	free(c->chunks);
	free(c);
	sim->contents = NULL;
}

/* Another chunk of blocks onto the free list. */
static int grow(struct hn_sim *sim, struct hn_contents *c)
{
	unsigned char *chunk;
	size_t blocks;

	if (c->nr_chunks == c->cap_chunks) {
		unsigned int cap = c->cap_chunks ? 2 * c->cap_chunks : 16;
		void **n = hn_sim_realloc(sim, c->chunks, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		c->chunks = n;
		c->cap_chunks = cap;
	}
	if (hn_should_fail(sim, HN_FAULT_HOST_ALLOC))
		return -ENOMEM;
	chunk = hn_host_map_huge(chunk_bytes(c, c->nr_chunks));
	if (!chunk)
		return -ENOMEM;
	blocks = chunk_bytes(c, c->nr_chunks) / c->block_size;
	c->chunks[c->nr_chunks++] = chunk;
	for (size_t i = blocks; i-- > 0;) {
		struct hn_page_data *d = (struct hn_page_data *)(chunk + i * c->block_size);

		d->next_free = c->free;
		c->free = d;
	}
	return 0;
}

struct hn_page_data *hn_page_data_alloc(struct hn_sim *sim)
{
	struct hn_contents *c = sim->contents;
	struct hn_page_data *d;

	if (!c->free && grow(sim, c))
		return NULL;
	d = c->free;
	c->free = d->next_free;
	c->nr_live++;
	d->owner = 0;
	d->writes = 0;
	d->index = 0;
	d->csum = 0;
	return d;
}

void hn_page_data_free(struct hn_sim *sim, struct hn_page_data *d)
{
	struct hn_contents *c = sim->contents;

	d->next_free = c->free;
	c->free = d;
	c->nr_live--;
}

void hn_page_data_fill(struct hn_sim *sim, struct hn_page_data *d, uint32_t owner, uint64_t index)
{
	d->owner = owner;
	d->index = index;
	d->writes = 0;
	generate(sim, d, 0, sim->contents->page_size);
	d->csum = hn_page_data_csum(sim, d);
}

void hn_page_data_write(struct hn_sim *sim, struct hn_page_data *d, size_t offset, size_t len)
{
	size_t size = sim->contents->page_size;

	if (offset >= size)
		return;
	if (len > size - offset)
		len = size - offset;
	d->writes++;
	generate(sim, d, offset, len);
	d->csum = hn_page_data_csum(sim, d);
}

void hn_page_data_copy(const struct hn_sim *sim, struct hn_page_data *dst,
		       const struct hn_page_data *src)
{
	dst->owner = src->owner;
	dst->writes = src->writes;
	dst->index = src->index;
	dst->csum = src->csum;
	memcpy(dst->bytes, src->bytes, sim->contents->page_size);
}

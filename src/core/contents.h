/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * contents.h - page contents, when an instance keeps them.
 *
 * Off by default: the simulation is about metadata, and a page without
 * contents costs nothing.  With hn_sim_config.contents set, every page a
 * task writes gets real bytes (struct hn_page_data, hung off its page_ext),
 * filled by a content model the moment the page is first written and
 * changed by every later write, and a checksum taken after each write.
 * Migration copies the bytes to the new page; the integrity check walks
 * every mapped page and compares (mempolicy/mm.c).
 *
 * Map:
 *   struct hn_contents    one per instance: the model, the block size, a
 *                         free list of blocks, the chunks they came from
 *   struct hn_page_data   one page's bytes, whom they were written for (the
 *                         mm id and virtual page, so a page mapped at the
 *                         wrong place is caught), how often, and the
 *                         checksum after the last write
 *
 * The bytes a model writes come from a generator seeded by the instance
 * seed, the owner, the virtual page and the write count, never from the
 * instance's PRNG: turning contents on changes no other random draw, so a
 * run places its pages the same with and without them.
 *
 * Invariant: csum == hn_page_data_csum(bytes) for every block in use (the
 * integrity check); nr_live == blocks handed out and not freed.
 *
 * Locking is the caller's.
 */
#ifndef HN_CORE_CONTENTS_H
#define HN_CORE_CONTENTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/mmzone.h"

struct hn_page_data {
	union {
		struct {
			uint32_t owner;		/* the mm id it was written for */
			uint32_t writes;	/* writes since it was filled */
		};
		struct hn_page_data *next_free;	/* on the free list */
	};
	uint64_t index;			/* the virtual page it was written for */
	uint64_t csum;			/* of bytes[], after the last write */
	unsigned char bytes[];		/* page_size of them */
};

struct hn_contents {
	unsigned int model;		/* enum hn_contents_model */
	unsigned int ratio;		/* HN_CONTENTS_MIX: target ratio x 100 */
	size_t page_size;
	size_t block_size;		/* sizeof(struct hn_page_data) + page_size */
	struct hn_page_data *free;
	uint64_t nr_live;
	void **chunks;
	unsigned int nr_chunks, cap_chunks;
};

/* Set up sim->contents for cfg.contents; 0, -EINVAL (a bad model or ratio), -ENOMEM. */
int hn_contents_init(struct hn_sim *sim);
void hn_contents_fini(struct hn_sim *sim);

/* A block for one page, its bytes undefined; NULL when the host is out of memory. */
struct hn_page_data *hn_page_data_alloc(struct hn_sim *sim);
void hn_page_data_free(struct hn_sim *sim, struct hn_page_data *d);

/*
 * The first write to a page: fill every byte as the model says, for the
 * page @index of address space @owner, and take the checksum.
 */
void hn_page_data_fill(struct hn_sim *sim, struct hn_page_data *d, uint32_t owner, uint64_t index);
/* A later write of @len bytes at @offset (clamped to the page): new bytes, new checksum. */
void hn_page_data_write(struct hn_sim *sim, struct hn_page_data *d, size_t offset, size_t len);
/* migrate_folio()'s copy: the bytes, whom they belong to, their checksum. */
void hn_page_data_copy(const struct hn_sim *sim, struct hn_page_data *dst,
		       const struct hn_page_data *src);
/* The checksum of @d's bytes as they are now. */
uint64_t hn_page_data_csum(const struct hn_sim *sim, const struct hn_page_data *d);

#endif /* HN_CORE_CONTENTS_H */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * movable_pool - a driver's pages that compaction may move.
 *
 * A zsmalloc-like pool keeps objects in pages it allocated itself.  They
 * are not on any LRU list and no task maps them, so migration cannot find
 * their users by rmap.  The pool registers struct movable_operations
 * (hnuma/migrate.h) and marks its pages movable; compaction then moves
 * them like task pages, asking the pool to isolate each page, to move its
 * data and repoint its own table, or to take it back.
 *
 * The program fills a 64 MiB node with pool pages, frees every third one
 * (fragmenting the node), compacts it, and checks that every object is
 * still where the pool's table says and holds what it held.  Read it next
 * to mm/zsmalloc.c's zs_page_isolate/zs_page_migrate/zs_page_putback.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <hnuma/hnuma.h>

#define NR_PAGES 12000

/* The pool: which pfn holds object i, and the value stored in it. */
struct pool {
	uint64_t pfn[NR_PAGES];
	uint64_t value[NR_PAGES];	/* the "data": what the page holds */
	uint64_t stored[NR_PAGES];	/* the copy the pool's page would carry */
	unsigned int owner;
	unsigned int isolated, moved, put_back;
};

/* isolate_page: may migration take object page @pfn now?  This pool always lets it. */
static bool pool_isolate(void *ctx, struct hn_sim *sim, uint64_t pfn, enum hn_migrate_mode mode)
{
	struct pool *p = ctx;

	(void)sim, (void)pfn, (void)mode;
	p->isolated++;
	return true;
}

/*
 * migrate_page: move the object from @src to @dst.  The cookie given to
 * hn_set_page_movable() is the object's index, so the pool finds its entry
 * without a search; hnuma passes the cookie on to @dst when this returns 0.
 */
static int pool_migrate(void *ctx, struct hn_sim *sim, uint64_t dst, uint64_t src,
			enum hn_migrate_mode mode)
{
	struct pool *p = ctx;
	unsigned int owner;
	uint64_t i;

	(void)mode;
	if (hn_page_movable(sim, src, &owner, &i) || owner != p->owner || p->pfn[i] != src)
		return -EINVAL;
	p->pfn[i] = dst;		/* the data moves with it: stored[i] is unchanged */
	p->moved++;
	return 0;
}

static void pool_putback(void *ctx, struct hn_sim *sim, uint64_t pfn)
{
	struct pool *p = ctx;

	(void)sim, (void)pfn;
	p->put_back++;
}

static const struct hn_movable_operations pool_ops = {
	.isolate_page = pool_isolate,
	.migrate_page = pool_migrate,
	.putback_page = pool_putback,
};

static uint64_t vmstat(struct hn_sim *sim, const char *name)
{
	uint64_t v = 0;

	hn_sim_vmstat(sim, name, &v);
	return v;
}

int main(void)
{
	struct hn_memdev_desc dram = {
		.name = "dram0", .kind = HN_MEM_DRAM, .nid = 0, .base = 0, .size = 64 << 20,
		.read_latency_ns = 90, .read_bw_mbps = 20000,
	};
	struct hn_initiator_desc cpu = { .name = "socket0", .kind = HN_INIT_CPU, .nid = 0, .cpus = "0" };
	struct hn_sim_config cfg = { .seed = 1, .kernel_image_size = 1 << 20 };
	struct pool *p = calloc(1, sizeof(*p));
	struct hn_machine *m;
	struct hn_sim *sim;
	unsigned int live = 0, bad = 0, moved;

	if (!p || hn_machine_new(&m, "pool") || hn_machine_add_memdev(m, &dram) ||
	    hn_machine_add_initiator(m, &cpu) || hn_sim_create(&sim, m, &cfg) ||
	    hn_movable_register(sim, &pool_ops, p, &p->owner)) {
		fprintf(stderr, "movable_pool: cannot set the machine up\n");
		return 1;
	}

	/* Fill the pool: each page movable, its cookie the object's index. */
	for (uint64_t i = 0; i < NR_PAGES; i++) {
		if (hn_alloc_pages(sim, GFP_HIGHUSER_MOVABLE, 0, 0, NULL, &p->pfn[i]) ||
		    hn_set_page_movable(sim, p->pfn[i], p->owner, i)) {
			fprintf(stderr, "movable_pool: page %" PRIu64 " would not come\n", i);
			return 1;
		}
		p->value[i] = p->stored[i] = i * 2654435761u;
	}
	/* Free every third object: the node is now full of holes. */
	for (uint64_t i = 0; i < NR_PAGES; i += 3) {
		hn_put_movable_page(sim, p->pfn[i]);
		p->pfn[i] = HN_PFN_NONE;
	}
	printf("== before compaction\n");
	hn_sim_show_unusable_index(sim, stdout);

	hn_compact_node(sim, 0);

	printf("\n== after compaction\n");
	hn_sim_show_unusable_index(sim, stdout);
	printf("\nthe pool: %u pages isolated, %u moved, %u put back\n", p->isolated, p->moved,
	       p->put_back);
	printf("vmstat: pgmigrate_success %" PRIu64 ", compact_isolated %" PRIu64 "\n",
	       vmstat(sim, "pgmigrate_success"), vmstat(sim, "compact_isolated"));

	/* Every live object is where the table says, and holds its value. */
	for (uint64_t i = 0; i < NR_PAGES; i++) {
		unsigned int owner;
		uint64_t cookie;

		if (p->pfn[i] == HN_PFN_NONE)
			continue;
		live++;
		if (hn_page_movable(sim, p->pfn[i], &owner, &cookie) || owner != p->owner ||
		    cookie != i || p->stored[i] != p->value[i])
			bad++;
	}
	printf("%u objects live, %u misplaced\n", live, bad);
	moved = p->moved;
	for (uint64_t i = 0; i < NR_PAGES; i++)
		if (p->pfn[i] != HN_PFN_NONE)
			hn_put_movable_page(sim, p->pfn[i]);
	if (hn_sim_check(sim))
		bad++;
	hn_sim_destroy(sim);
	hn_machine_free(m);
	free(p);
	/* a pool compaction moved nothing from would show nothing */
	return bad || !moved ? 1 : 0;
}

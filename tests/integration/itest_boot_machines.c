/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * itest_boot_machines - whole boots, run by Check in fork mode (one process
 * per test, so a crash is a failed test, not a dead suite).
 *
 * Every built-in machine boots in every page geometry and passes
 * hn_sim_check(); scaled machines boot; many instances live side by side;
 * threads booting the same machine and seed produce byte-identical views
 * (there are no globals to share); machines survive an export/import round
 * trip unchanged as far as the booted kernel can tell.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hnuma.h>

#define GiB (1ULL << 30)

static int nr_builtins(void)
{
	int n = 0;

	while (hn_machine_builtin_name(n, NULL))
		n++;
	return n;
}

static char *render(const struct hn_sim *sim, int (*view)(const struct hn_sim *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(view(sim, f), 0);
	fclose(f);
	return buf;
}

static struct hn_sim *boot_builtin(const char *name, const struct hn_sim_config *cfg)
{
	struct hn_machine *m;
	struct hn_sim *sim;
	int ret;

	ck_assert_int_eq(hn_machine_builtin(&m, name), 0);
	ret = hn_sim_create(&sim, m, cfg);
	hn_machine_free(m);
	ck_assert_msg(ret == 0, "%s: %s", name, hn_strerror(ret));
	return sim;
}

/* Free pages == managed pages right after boot, in every zone. */
static void assert_all_free(const struct hn_sim *sim)
{
	for (int nid = 0; nid < hn_sim_nr_node_ids(sim); nid++) {
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			struct hn_zone_info zi;

			if (hn_sim_zone_info(sim, nid, (enum hn_zone_type)z, &zi))
				continue;
			ck_assert_uint_eq(zi.free_pages, zi.managed_pages);
			ck_assert_uint_le(zi.managed_pages, zi.present_pages);
			ck_assert_uint_le(zi.present_pages, zi.spanned_pages);
		}
	}
}

START_TEST(every_builtin_boots_and_checks)
{
	const char *name = hn_machine_builtin_name(_i, NULL);
	struct hn_sim *sim = boot_builtin(name, NULL);
	int (*views[])(const struct hn_sim *, FILE *) = {
		hn_sim_dmesg, hn_sim_show_zoneinfo, hn_sim_show_hardware, hn_sim_show_memblock,
		hn_sim_show_summary,
	};

	ck_assert_int_eq(hn_sim_check(sim), 0);
	assert_all_free(sim);
	for (unsigned int v = 0; v < sizeof(views) / sizeof(views[0]); v++)
		free(render(sim, views[v]));
	hn_sim_destroy(sim);
}
END_TEST

/* Each built-in × page size 4K, 64K, 2M (MAX_PAGE_ORDER scaled down for 2M). */
START_TEST(every_builtin_in_every_page_geometry)
{
	static const struct {
		unsigned int shift, max_order;
	} geo[] = { { 12, 10 }, { 16, 8 }, { 21, 8 } };
	int nb = nr_builtins();
	const char *name = hn_machine_builtin_name(_i % nb, NULL);
	struct hn_sim_config cfg = { .page_shift = geo[_i / nb].shift,
				     .max_page_order = geo[_i / nb].max_order };
	struct hn_sim *sim = boot_builtin(name, &cfg);

	ck_assert_int_eq(hn_sim_check(sim), 0);
	assert_all_free(sim);
	hn_sim_destroy(sim);
}
END_TEST

START_TEST(scaled_machines_boot)
{
	static const uint64_t sizes[] = { 16 * GiB, 64 * GiB, 1024 * GiB };
	struct hn_machine *m;
	struct hn_sim *sim;
	struct hn_node_info ni;
	uint64_t present = 0;

	ck_assert_int_eq(hn_machine_builtin_scaled(&m, "default", sizes[_i]), 0);
	ck_assert_int_eq(hn_sim_create(&sim, m, NULL), 0);
	ck_assert_int_eq(hn_sim_check(sim), 0);
	for (int nid = 0; nid < hn_sim_nr_node_ids(sim); nid++)
		if (!hn_sim_node_info(sim, nid, &ni))
			present += ni.node_present_pages;
	/* the x86 low holes cost 98 pages; every other page of every device is present */
	ck_assert_uint_le(present << 12, hn_machine_total_memory(m));
	ck_assert_uint_ge(present << 12, hn_machine_total_memory(m) - 98 * 4096);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}
END_TEST

/* Many machines alive at once: nothing is shared, each checks on its own. */
START_TEST(many_instances_side_by_side)
{
	enum { N = 24 };
	struct hn_sim *sims[N];
	int nb = nr_builtins();

	for (int i = 0; i < N; i++) {
		struct hn_sim_config cfg = { .seed = (uint64_t)i };

		sims[i] = boot_builtin(hn_machine_builtin_name(i % nb, NULL), &cfg);
	}
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(hn_sim_check(sims[i]), 0);
	for (int i = N - 1; i >= 0; i--)
		hn_sim_destroy(sims[i]);
}
END_TEST

struct thread_arg {
	char *zoneinfo;
	char *dmesg;
	uint64_t rnd;
};

static void *thread_boot(void *p)
{
	struct thread_arg *a = p;
	struct hn_sim_config cfg = { .seed = 99 };
	struct hn_sim *sim = boot_builtin("default", &cfg);

	a->zoneinfo = render(sim, hn_sim_show_zoneinfo);
	a->dmesg = render(sim, hn_sim_dmesg);
	a->rnd = hn_sim_random(sim);
	hn_sim_destroy(sim);
	return NULL;
}

START_TEST(threads_booting_the_same_seed_agree)
{
	enum { T = 4 };
	pthread_t th[T];
	struct thread_arg args[T];

	memset(args, 0, sizeof(args));
	for (int i = 0; i < T; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, thread_boot, &args[i]), 0);
	for (int i = 0; i < T; i++)
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
	for (int i = 1; i < T; i++) {
		ck_assert_str_eq(args[i].zoneinfo, args[0].zoneinfo);
		ck_assert_str_eq(args[i].dmesg, args[0].dmesg);
		ck_assert_uint_eq(args[i].rnd, args[0].rnd);
	}
	for (int i = 0; i < T; i++) {
		free(args[i].zoneinfo);
		free(args[i].dmesg);
	}
}
END_TEST

/* Different seeds may only change random draws, never the boot itself. */
START_TEST(seed_changes_draws_not_boot)
{
	struct hn_sim_config a_cfg = { .seed = 1 }, b_cfg = { .seed = 2 };
	struct hn_sim *a = boot_builtin("cxl-tiered", &a_cfg);
	struct hn_sim *b = boot_builtin("cxl-tiered", &b_cfg);
	char *za = render(a, hn_sim_show_zoneinfo), *zb = render(b, hn_sim_show_zoneinfo);

	ck_assert_str_eq(za, zb);
	ck_assert_uint_ne(hn_sim_random(a), hn_sim_random(b));
	free(za);
	free(zb);
	hn_sim_destroy(a);
	hn_sim_destroy(b);
}
END_TEST

/* Export to QEMU arguments and import again: the booted view is the same. */
START_TEST(qemu_round_trip_boots_the_same_nodes)
{
	const char *name = hn_machine_builtin_name(_i, NULL);
	struct hn_machine *m, *back;
	struct hn_sim *a, *b;
	char *buf = NULL, *copy, *tok;
	size_t len = 0;
	const char *argv[512];
	int argc = 0;
	FILE *f = open_memstream(&buf, &len);
	char *ha, *hb;

	ck_assert_int_eq(hn_machine_builtin(&m, name), 0);
	ck_assert_int_eq(hn_machine_export_qemu(m, f), 0);
	fclose(f);
	copy = strdup(buf);
	for (tok = strtok(copy, "\n"); tok && argc < 512; tok = strtok(NULL, "\n"))
		argv[argc++] = tok;
	ck_assert_int_eq(hn_machine_import_qemu(&back, argc, argv, NULL), 0);
	ck_assert_int_eq(hn_sim_create(&a, m, NULL), 0);
	ck_assert_int_eq(hn_sim_create(&b, back, NULL), 0);
	ck_assert_int_eq(hn_sim_check(b), 0);
	ha = render(a, hn_sim_show_hardware);
	hb = render(b, hn_sim_show_hardware);
	/* node ids, CPUs and distances survive; sizes may differ only by layout */
	ck_assert_int_eq(hn_sim_nr_node_ids(a), hn_sim_nr_node_ids(b));
	ck_assert_uint_eq(hn_machine_total_memory(m), hn_machine_total_memory(back));
	ck_assert_ptr_nonnull(strstr(hb, "node distances:"));
	ck_assert_str_eq(strstr(ha, "node distances:"), strstr(hb, "node distances:"));
	free(ha);
	free(hb);
	hn_sim_destroy(a);
	hn_sim_destroy(b);
	hn_machine_free(m);
	hn_machine_free(back);
	free(copy);
	free(buf);
}
END_TEST

static Suite *boot_suite(void)
{
	Suite *s = suite_create("boot-machines");
	TCase *tc = tcase_create("builtins");
	int nb = nr_builtins();

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, every_builtin_boots_and_checks, 0, nb);
	tcase_add_loop_test(tc, every_builtin_in_every_page_geometry, 0, nb * 3);
	tcase_add_loop_test(tc, scaled_machines_boot, 0, 3);
	tcase_add_test(tc, many_instances_side_by_side);
	tcase_add_test(tc, threads_booting_the_same_seed_agree);
	tcase_add_test(tc, seed_changes_draws_not_boot);
	tcase_add_loop_test(tc, qemu_round_trip_boots_the_same_nodes, 0, nb);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(boot_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_scenario_schema.c - every key of the scenario schema, three ways.
 *
 * A complete scenario file is a table of rows (indent, key, value); each
 * test below derives one bad file from it per row:
 *
 *   scenario: s              <- row 0
 *   tasks:                   <- row 4 (a list: its rows follow, indented)
 *     - cpu: 0               <- row 5
 *       ...
 *       phases:
 *         - workload: uniform
 *           theta: 0.5
 *         - move-pages: 1    <- the phases that are calls follow
 *         ...
 *           flags: move      <- the last row
 *
 * and expects hn_scenario_load_yaml_string() to refuse it with -EINVAL and
 * one log line "<t>:LINE:COL: PATH: ..." whose PATH names the key:
 *   - wrong kind: a list where a value goes, a number where a list goes;
 *   - out of range: each key's first value outside its documented bounds;
 *   - an unknown sibling: "colour: red" beside the key, named with the
 *     sibling's path and "unknown key 'colour'".
 * The untouched table itself must load, so each refusal is the row's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hnuma.h>

struct row {
	int indent;		/* in spaces; a "- " list entry counts as its indent + 2 */
	bool entry;		/* the first key of a list entry ("- key: value") */
	const char *key;
	const char *value;	/* NULL: a container whose rows follow */
	const char *path;	/* the path its messages name */
	const char *wrong;	/* a value of the wrong kind */
	const char *outside;	/* a value outside the key's bounds */
};

static char long_name[5000];

static struct row rows[] = {
	{ 0, false, "scenario", "s", "scenario", "[1, 2]", "\"\"" },
	{ 0, false, "machine", "default", "machine", "{ a: 1 }", long_name },
	{ 0, false, "seed", "1", "seed", "[1]", "-1" },
	{ 0, false, "epoch-ns", "1000", "epoch-ns", "[1]", "0" },
	{ 0, false, "tasks", NULL, "tasks", "5", "[]" },
	{ 4, true, "cpu", "0", "tasks[0].cpu", "[0]", "4096" },
	{ 4, false, "repeat", "1", "tasks[0].repeat", "{ n: 1 }", "65" },
	{ 4, false, "policy", "default", "tasks[0].policy", "[bind]", "bind:99" },
	{ 4, false, "working-set", "4K", "tasks[0].working-set", "[4K]", "128T" },
	{ 4, false, "access-size", "64", "tasks[0].access-size", "[64]", "3" },
	{ 4, false, "phases", NULL, "tasks[0].phases", "uniform", "[]" },
	{ 8, true, "workload", "uniform", "tasks[0].phases[0].workload", "[uniform]", "walk" },
	{ 8, false, "accesses", "1", "tasks[0].phases[0].accesses", "{ n: 1 }", "1000000000000001" },
	{ 8, false, "write-pct", "0", "tasks[0].phases[0].write-pct", "[0]", "101" },
	{ 8, false, "theta", "0.5", "tasks[0].phases[0].theta", "[0.5]", "1.0" },
	{ 8, true, "move-pages", "1", "tasks[0].phases[1].move-pages", "[1]", "64" },
	{ 8, true, "migrate-pages", NULL, "tasks[0].phases[2].migrate-pages", "1", "{}" },
	{ 10, false, "from", "0", "tasks[0].phases[2].migrate-pages.from", "[0]", "64" },
	{ 10, false, "to", "1", "tasks[0].phases[2].migrate-pages.to", "{ n: 1 }", "x" },
	{ 8, true, "mbind", NULL, "tasks[0].phases[3].mbind", "bind", "{}" },
	{ 10, false, "policy", "bind:0", "tasks[0].phases[3].mbind.policy", "[bind]", "bind:99" },
	{ 10, false, "flags", "move", "tasks[0].phases[3].mbind.flags", "[move]", "fast" },
};

#define NR_ROWS (sizeof(rows) / sizeof(rows[0]))

enum change { NONE, WRONG, OUTSIDE, SIBLING };

/* The table as YAML, row @k changed as @how says. */
static char *render(size_t k, enum change how)
{
	size_t cap = 16384, off = 0;
	char *text = malloc(cap);
	int skip_below = -1, sibling_at = -1;

	assert_non_null(text);
	text[0] = '\0';
	for (size_t i = 0; i <= NR_ROWS; i++) {
		const struct row *r = &rows[i < NR_ROWS ? i : 0];
		const char *value = r->value;
		int lead = r->entry ? r->indent - 2 : r->indent;

		/* a container's sibling goes after the container's own rows */
		if (sibling_at >= 0 && (i == NR_ROWS || r->indent <= sibling_at)) {
			off += (size_t)snprintf(text + off, cap - off, "%*scolour: red\n", sibling_at, "");
			sibling_at = -1;
		}
		if (i == NR_ROWS)
			break;

		/* the rows inside a container replaced by a scalar go too */
		if (skip_below >= 0 && r->indent > skip_below)
			continue;
		skip_below = -1;
		if (i == k && how == WRONG)
			value = r->wrong;
		if (i == k && how == OUTSIDE)
			value = r->outside;
		if (i == k && !r->value && (how == WRONG || how == OUTSIDE))
			skip_below = r->indent;
		off += (size_t)snprintf(text + off, cap - off, "%*s%s%s:%s%s\n", lead, "",
					r->entry ? "- " : "", r->key, value ? " " : "", value ? value : "");
		if (i == k && how == SIBLING && r->value)
			off += (size_t)snprintf(text + off, cap - off, "%*scolour: red\n", r->indent, "");
		else if (i == k && how == SIBLING)
			sibling_at = r->indent;
		assert_true(off < cap);
	}
	return text;
}

struct capture {
	int lines;
	char last[1024];
};

static void capture(void *ctx, enum hn_log_level level, const char *msg)
{
	struct capture *c = ctx;

	if (level != HN_LOG_ERR)
		return;
	c->lines++;
	snprintf(c->last, sizeof(c->last), "%s", msg);
}

/* Load @text; return the error and the one message. */
static int load(const char *text, struct capture *c)
{
	struct hn_scenario *sc = calloc(1, sizeof(*sc));
	struct hn_log_sink log = { capture, c };
	int ret;

	assert_non_null(sc);
	memset(c, 0, sizeof(*c));
	ret = hn_scenario_load_yaml_string("<t>", text, strlen(text), sc, NULL, 0, NULL, &log);
	free(sc);
	return ret;
}

/* "<t>:L:C: PATH: " at the start of @msg. */
static void assert_names(const char *msg, const char *path, const char *text)
{
	char want[256];
	const char *p = msg;
	char *end;

	if (strncmp(p, "<t>:", 4))
		fail_msg("no location in '%s' for:\n%s", msg, text);
	p += 4;
	if (strtoul(p, &end, 10) == 0 || *end != ':' || strtoul(end + 1, &end, 10) == 0 ||
	    strncmp(end, ": ", 2))
		fail_msg("no line and column in '%s' for:\n%s", msg, text);
	snprintf(want, sizeof(want), "%s: ", path);
	if (strncmp(end + 2, want, strlen(want)))
		fail_msg("'%s' does not name %s for:\n%s", msg, path, text);
	if (strlen(end + 2) <= strlen(want) + 5)
		fail_msg("'%s' gives no reason", msg);
}

static void the_table_loads(void **state)
{
	struct capture c;
	char *text = render(NR_ROWS, NONE);

	(void)state;
	if (load(text, &c))
		fail_msg("the complete table does not load: %s\n%s", c.last, text);
	free(text);
}

static void each(enum change how)
{
	for (size_t k = 0; k < NR_ROWS; k++) {
		struct capture c;
		char *text = render(k, how);
		char sibling[256];
		int ret = load(text, &c);

		if (ret != -EINVAL || c.lines != 1)
			fail_msg("row %s: %d, %d log lines for:\n%s", rows[k].path, ret, c.lines, text);
		if (how == SIBLING) {
			const char *dot = strrchr(rows[k].path, '.');

			snprintf(sibling, sizeof(sibling), "%.*scolour",
				 dot ? (int)(dot - rows[k].path + 1) : 0, rows[k].path);
			assert_names(c.last, sibling, text);
			assert_non_null(strstr(c.last, "unknown key 'colour'"));
		} else {
			assert_names(c.last, rows[k].path, text);
		}
		free(text);
	}
}

/* Expect a value of the wrong kind refused, naming its key. */
static void wrong_kind_named(void **state)
{
	(void)state;
	each(WRONG);
}

/* Expect every bound enforced, naming the key. */
static void out_of_range_named(void **state)
{
	(void)state;
	each(OUTSIDE);
}

/* Expect an unknown key beside each key refused, naming the unknown one. */
static void unknown_sibling_named(void **state)
{
	(void)state;
	each(SIBLING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_table_loads),
		cmocka_unit_test(wrong_kind_named),
		cmocka_unit_test(out_of_range_named),
		cmocka_unit_test(unknown_sibling_named),
	};

	memset(long_name, 'm', sizeof(long_name) - 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

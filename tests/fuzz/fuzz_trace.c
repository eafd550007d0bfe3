/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_trace.c - libFuzzer harness for trace replay (hn_run_replay()).
 *
 * Input: the bytes of a trace, replayed on one booted cxl-tiered machine
 * scaled to 8 GiB (booted once: a replay's tasks exit at its end, so the
 * instance comes back to an idle state).  Promises checked:
 *   - the result is a documented errno: 0, -EINVAL, -ENOSPC, -ENOMEM, -EIO;
 *   - every -EINVAL and -ENOSPC carries a log line with a location and a
 *     reason, "<fuzz>:LINE:COL: directive.field: ..." (or a line that is
 *     too long: "<fuzz>:LINE:1024: ..."), never a bare errno; no log line
 *     holds a newline;
 *   - on success the result counts no more tasks than the trace may have;
 *   - hn_sim_check() passes after every replay, and the instance holds no
 *     task afterwards (every page the replay faulted in is free again).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hnuma.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int located;

static void check_log(void *ctx, enum hn_log_level level, const char *msg)
{
	char *end;
	const char *p;

	(void)ctx;
	if (level < HN_LOG_ERR || level > HN_LOG_DEBUG || !msg || strchr(msg, '\n'))
		abort();
	if (getenv("FUZZ_TRACE_TRACE"))
		fprintf(stderr, "log: %s\n", msg);
	if (level != HN_LOG_ERR || strncmp(msg, "<fuzz>:", 7))
		return;
	p = msg + 7;
	if (strtoul(p, &end, 10) == 0 || *end != ':')
		return;
	if (strtoul(end + 1, &end, 10) == 0 || strncmp(end, ": ", 2) || strlen(end + 2) < 8)
		return;
	located++;
}

static struct hn_sim *machine(uint64_t *free_pages)
{
	static struct hn_sim *sim;
	static uint64_t free0;
	struct hn_machine *m;
	struct hn_sim_config cfg = { .log = { check_log, NULL } };

	if (!sim) {
		if (hn_machine_builtin_scaled(&m, "cxl-tiered", 8ULL << 30) ||
		    hn_sim_create(&sim, m, &cfg))
			abort();
		hn_machine_free(m);
		if (hn_sim_vmstat(sim, "nr_free_pages", &free0))
			abort();
	}
	*free_pages = free0;
	return sim;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hn_run_result res;
	uint64_t free0, free1;
	struct hn_sim *sim = machine(&free0);
	FILE *in = fmemopen((void *)data, size ? size : 1, "r");
	int ret;

	if (!in)
		return 0;
	if (!size)
		(void)fgetc(in);	/* fmemopen wants a size: read the one byte away */
	located = 0;
	ret = hn_run_replay(sim, in, "<fuzz>", &res, NULL);
	fclose(in);
	switch (ret) {
	case 0:
		if (res.nr_tasks > HN_RUN_MAX_TASKS)
			abort();
		break;
	case -EINVAL:
	case -ENOSPC:
		if (!located) {
			fprintf(stderr, "fuzz_trace: %d without a located reason\n", ret);
			abort();
		}
		break;
	case -ENOMEM:
	case -EIO:
		break;
	default:
		abort();
	}
	if (hn_sim_check(sim))
		abort();
	/* the tasks exited: what they held is free again (pcp lists drained) */
	hn_drain_all_pages(sim);
	if (hn_sim_vmstat(sim, "nr_free_pages", &free1) || free1 != free0) {
		fprintf(stderr, "fuzz_trace: %llu free pages after the replay, %llu before\n",
			(unsigned long long)free1, (unsigned long long)free0);
		abort();
	}
	return 0;
}

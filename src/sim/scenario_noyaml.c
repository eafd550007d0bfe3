/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scenario_noyaml.c - scenario files in a build without libcyaml.
 */
#include <errno.h>

#include <hnuma/run.h>

int hn_scenario_load_yaml_string(const char *name, const char *text, size_t len,
				 struct hn_scenario *sc, char *machine, size_t machine_len,
				 uint64_t *seed, const struct hn_log_sink *log)
{
	(void)name;
	(void)text;
	(void)len;
	(void)sc;
	(void)machine;
	(void)machine_len;
	(void)seed;
	(void)log;
	return -EOPNOTSUPP;
}

int hn_scenario_load_yaml(const char *path, struct hn_scenario *sc, char *machine, size_t machine_len,
			  uint64_t *seed, const struct hn_log_sink *log)
{
	return hn_scenario_load_yaml_string(path, NULL, 0, sc, machine, machine_len, seed, log);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * machine_noyaml.c - the machine-file entry points of a library built
 * without the "yaml" feature (no libcyaml).  hnuma/hw.h promises
 * -EOPNOTSUPP, so callers can tell "not built in" from a bad file.
 */
#include "hw/machine.h"

#include <errno.h>

#include "util/util.h"

int hn_machine_load_yaml(struct hn_machine **out, const char *path,
			 const struct hn_log_sink *log)
{
	(void)path;
	if (out)
		*out = NULL;
	hn_logf(log, HN_LOG_ERR, "machine file: hnuma was built without YAML support (libcyaml)");
	return -EOPNOTSUPP;
}

int hn_machine_load_yaml_string(struct hn_machine **out, const char *text, size_t len,
				const struct hn_log_sink *log)
{
	(void)text;
	(void)len;
	if (out)
		*out = NULL;
	hn_logf(log, HN_LOG_ERR, "machine file: hnuma was built without YAML support (libcyaml)");
	return -EOPNOTSUPP;
}

int hn_machine_save_yaml(const struct hn_machine *m, FILE *f)
{
	(void)m;
	(void)f;
	return -EOPNOTSUPP;
}

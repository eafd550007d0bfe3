/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Diagnostics.  The library never prints on its own: every message goes to a
 * callback the caller installs (per instance, or per standalone object such as
 * a memblock or a machine being loaded).  With no callback installed messages
 * are dropped.
 */
#ifndef HNUMA_LOG_H
#define HNUMA_LOG_H

#include <hnuma/export.h>

HN_BEGIN_DECLS

/* Same numbering as the kernel's console log levels. */
enum hn_log_level {
	HN_LOG_ERR = 3,
	HN_LOG_WARNING = 4,
	HN_LOG_NOTICE = 5,
	HN_LOG_INFO = 6,
	HN_LOG_DEBUG = 7,
};

/*
 * @msg is one complete line without the trailing newline.  It is only valid
 * for the duration of the call.
 */
typedef void (*hn_log_fn)(void *ctx, enum hn_log_level level, const char *msg);

struct hn_log_sink {
	hn_log_fn fn;
	void *ctx;
};

/*
 * hn_strerror - a short description of a negative errno returned by hnuma.
 * Accepts the negative or the positive form; never returns NULL.
 */
HN_EXPORT const char *hn_strerror(int err);

HN_END_DECLS

#endif /* HNUMA_LOG_H */

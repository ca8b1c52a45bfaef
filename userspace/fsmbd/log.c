// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static bool log_stderr = true;
static int log_debug;

void fsmb_log_init(bool to_stderr, int debug_level)
{
	log_stderr = to_stderr;
	log_debug = debug_level;
	if (!to_stderr)
		openlog("fsmbd", LOG_PID, LOG_DAEMON);
}

int fsmb_log_debug_level(void)
{
	return log_debug;
}

void fsmb_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (log_stderr) {
		/* One write per line: concurrent writers do not interleave. */
		char line[1024];

		vsnprintf(line, sizeof(line), fmt, ap);
		fprintf(stderr, "fsmbd: %s\n", line);
	} else {
		vsyslog(prio, fmt, ap);
	}
	va_end(ap);
}

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
	char line[1024];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/*
	 * User and domain names, pipe names and the like come from clients:
	 * a newline in one must not forge a log line of its own.
	 */
	for (i = 0; line[i]; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	if (log_stderr)
		/* One write per line: concurrent writers do not interleave. */
		fprintf(stderr, "fsmbd: %s\n", line);
	else
		syslog(prio, "%s", line);
}

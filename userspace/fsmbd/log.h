/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fsmbd logging: stderr when running in the foreground, syslog otherwise
 * (journald collects both when run as a service).
 */
#ifndef FSMBD_LOG_H
#define FSMBD_LOG_H

#include <stdbool.h>
#include <syslog.h>

void fsmb_log_init(bool to_stderr, int debug_level);
int fsmb_log_debug_level(void);
/* @prio is a syslog priority (LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO). */
void fsmb_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Debug messages of verbosity @lvl, shown with -d LEVEL >= @lvl. */
#define fsmb_dbg(lvl, ...)						\
	do {								\
		if (fsmb_log_debug_level() >= (lvl))			\
			fsmb_log(LOG_DEBUG, __VA_ARGS__);		\
	} while (0)

#endif /* FSMBD_LOG_H */

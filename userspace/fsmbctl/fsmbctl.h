/* SPDX-License-Identifier: GPL-2.0 */
/* What fsmbctl's command files share. */
#ifndef FSMBCTL_H
#define FSMBCTL_H

#include <stdbool.h>

/* Exit codes: done, failed, bad command line. */
#define FSMBCTL_EXIT_OK		0
#define FSMBCTL_EXIT_FAIL	1
#define FSMBCTL_EXIT_USAGE	2

/* `fsmbctl status`: ask fsmb.ko over generic netlink; returns the exit code. */
int fsmbctl_status(bool json);

#endif /* FSMBCTL_H */

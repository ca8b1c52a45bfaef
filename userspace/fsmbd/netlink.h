/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fsmbd's side of the generic netlink family "fsmb" (uapi/linux/fsmb.h):
 * REGISTER with the kernel, then answer its LOGIN, TREE and PIPE requests.
 * A second socket follows the family's appearance and disappearance
 * (nlctrl notifications), so that fsmbd registers again when fsmb.ko is
 * reloaded under it.
 */
#ifndef FSMBD_NETLINK_H
#define FSMBD_NETLINK_H

#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "config.h"
#include "pipes.h"

#define FSMB_GUID_LEN		16
/* How long REGISTER waits for the kernel's answer. */
#define FSMB_NL_REGISTER_TIMEOUT_MS	5000

/* What requests are answered with; owned by main.c. */
struct fsmbd_ctx {
	struct fsmb_conf conf;
	struct fsmb_auth *auth;
	struct fsmb_pipes *pipes;
	uint8_t guid[FSMB_GUID_LEN];
};

struct fsmb_nl;

/*
 * Connect and resolve the family. NULL with -ENOENT in *@err when fsmb.ko
 * is not loaded, another -errno otherwise; the caller reports it.
 */
struct fsmb_nl *fsmb_nl_open(struct fsmbd_ctx *ctx, int *err);
void fsmb_nl_close(struct fsmb_nl *nl);

/* The request socket and the family-notification socket, for epoll. */
int fsmb_nl_fd(const struct fsmb_nl *nl);
int fsmb_nl_ctrl_fd(const struct fsmb_nl *nl);

/*
 * Send REGISTER built from @nl's context (ports, dialects, signing, server
 * GUID, SPNEGO hint) and wait for the kernel's answer. Requests arriving
 * meanwhile are answered. 0 or -errno (logged, with the kernel's message
 * when it gives one).
 */
int fsmb_nl_register(struct fsmb_nl *nl);

/* Answer every request waiting on the request socket. */
void fsmb_nl_receive(struct fsmb_nl *nl);

/*
 * Read family notifications. True when fsmb.ko (re)appeared: the caller
 * registers again.
 */
bool fsmb_nl_ctrl_receive(struct fsmb_nl *nl);

#endif /* FSMBD_NETLINK_H */

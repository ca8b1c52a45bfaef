/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel -> daemon requests over the fsmb generic netlink family.
 *
 * A caller builds a request with fsmb_upcall_new(), adds its attributes and
 * calls fsmb_upcall_call(), which sends it to the registered daemon and
 * sleeps until the daemon's *_REPLY with the same FSMB_A_REQ_ID arrives,
 * the timeout expires or the daemon goes away. At most
 * FSMB_UPCALL_MAX_PENDING requests are in flight; past that the call fails
 * at once with -EBUSY rather than queueing without bound.
 */
#ifndef FSMB_UPCALL_H
#define FSMB_UPCALL_H

#include <net/genetlink.h>
#include <linux/fsmb.h>

#define FSMB_UPCALL_MAX_PENDING	256
#define FSMB_UPCALL_TIMEOUT_MS	10000

/* A reply: attrs[] points into a private copy of the daemon's message. */
struct fsmb_reply {
	struct nlattr *attrs[FSMB_A_MAX + 1];
	void *data;
};

struct fsmb_upcall;

/**
 * fsmb_upcall_new - start a request to the daemon
 * @cmd: FSMB_CMD_LOGIN, FSMB_CMD_TREE or FSMB_CMD_PIPE
 * @size: room for the caller's attributes (nla_total_size() sums)
 *
 * Return: the request, with FSMB_A_REQ_ID already in its message, or an
 * ERR_PTR (-ENOTCONN when no daemon is registered, -EBUSY when too many
 * requests are pending, -ENOMEM).
 */
struct fsmb_upcall *fsmb_upcall_new(u8 cmd, size_t size);

/* The message to add attributes to (nla_put_*()). */
struct sk_buff *fsmb_upcall_msg(struct fsmb_upcall *up);

/**
 * fsmb_upcall_call - send the request and wait for its reply
 * @up: from fsmb_upcall_new(); consumed whatever the outcome
 * @reply: on success, the reply; free it with fsmb_reply_free()
 *
 * Return: 0, -ENOTCONN (no daemon, or it went away), -ETIMEDOUT, -EMSGSIZE
 * (attributes did not fit), -EINTR or -ENOMEM.
 */
int fsmb_upcall_call(struct fsmb_upcall *up, struct fsmb_reply **reply);

/* Drop a request that was never sent (e.g. nla_put failed). */
void fsmb_upcall_abort(struct fsmb_upcall *up);

void fsmb_reply_free(struct fsmb_reply *reply);

/* NTSTATUS of a reply (FSMB_A_STATUS), STATUS_INTERNAL_ERROR if missing. */
u32 fsmb_reply_status(const struct fsmb_reply *reply);

/* genl.c: the family, and the daemon's registration. */
extern struct genl_family fsmb_genl_family;
int fsmb_genl_init(void);
void fsmb_genl_exit(void);
/* Deliver a *_REPLY message to its waiting request (genl.c -> upcall.c). */
int fsmb_upcall_complete(struct genl_info *info);
/* The daemon unregistered or died: fail everything pending with -ENOTCONN. */
void fsmb_upcall_daemon_gone(void);
/* Netlink port id of the registered daemon (0: none). */
u32 fsmb_daemon_portid(void);

#endif /* FSMB_UPCALL_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: what fsmbd reads from the kernel over generic netlink
 * (userspace/fsmbd/netlink.c, #included here: its handlers are static).
 * fsmbd must not trust a size the kernel sends any more than one a client
 * sends; the kernel is another program, and a buggy one must not be able
 * to make the daemon read or write out of bounds.
 *
 * The input is a buffer of netlink messages as one recvmsg() gives them,
 * walked with nlmsg_ok()/nlmsg_next() as libnl's nl_recvmsgs() walks it.
 * For each message, as libnl would dispatch it:
 *   NLMSG_ERROR: a truncated one is dropped; error 0 goes to on_ack(),
 *     any other to on_error() (the extended-ack text, ext_ack_msg());
 *   anything else: on_msg() as a request of the fsmb family (LOGIN, TREE,
 *     PIPE requests, with the real auth.c, tree.c, pipes.c and RPC servers
 *     behind them), and on_ctrl() as an nlctrl notification.
 * Replies are not sent: nl_send_auto() below checks each one parses as a
 * well-formed fsmb message instead. One message buffer keeps its state
 * (pipes opened, authentications in progress) from message to message, so
 * an OPEN followed by WRITE and READ reaches the RPC servers.
 */
#include "../../userspace/fsmbd/netlink.c"

#include <stdarg.h>
#include <stdio.h>

#include "fuzz.h"

#define FUZZ_FAMILY	0x42

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- replaced: sending, and the log (which would flood stderr) ------- */

static struct nla_policy reply_policy[FSMB_A_MAX + 1] = {
	[FSMB_A_REQ_ID]		= { .type = NLA_U64 },
	[FSMB_A_STATUS]		= { .type = NLA_U32 },
	[FSMB_A_SESSION_KEY]	= { .minlen = 16 },
	[FSMB_A_UID]		= { .type = NLA_U32 },
	[FSMB_A_GID]		= { .type = NLA_U32 },
	[FSMB_A_USER_NAME]	= { .type = NLA_STRING },
	[FSMB_A_DOMAIN_NAME]	= { .type = NLA_STRING },
	[FSMB_A_SHARE_PATH]	= { .type = NLA_STRING },
	[FSMB_A_SHARE_FLAGS]	= { .type = NLA_U32 },
	[FSMB_A_SESSION_FLAGS]	= { .type = NLA_U32 },
	[FSMB_A_MORE_DATA]	= { .type = NLA_FLAG },
};

int nl_send_auto(struct nl_sock *sk, struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[FSMB_A_MAX + 1];

	fuzz_check(nlh->nlmsg_type == FUZZ_FAMILY);
	fuzz_check(genlmsg_parse(nlh, 0, tb, FSMB_A_MAX, reply_policy) == 0);
	fuzz_check(tb[FSMB_A_REQ_ID] && tb[FSMB_A_STATUS]);
	if (tb[FSMB_A_SEC_BLOB])
		fuzz_check(nla_len(tb[FSMB_A_SEC_BLOB]) <= FSMB_MAX_SEC_BLOB);
	if (tb[FSMB_A_DATA])
		fuzz_check(nla_len(tb[FSMB_A_DATA]) <= FSMB_MAX_PIPE_DATA);
	return (int)nlh->nlmsg_len;
}

void fsmb_log_init(bool to_stderr, int debug_level)
{
}

int fsmb_log_debug_level(void)
{
	return 2;		/* format the debug messages too */
}

void fsmb_log(int prio, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
}

/* ---- the daemon's configuration ---------------------------------------- */

static char *valid_alice[] = { "alice" };
static struct fsmb_share_conf shares[] = {
	{ .name = "share", .path = "/srv/share", .comment = "",
	  .browseable = true, .read_only = false },
	{ .name = "ro", .path = "/srv/ro", .comment = "read only",
	  .browseable = true, .read_only = true, .guest_ok = true },
	{ .name = "alice", .path = "/srv/alice", .comment = "",
	  .browseable = false, .valid_users = valid_alice,
	  .n_valid_users = 1 },
};

static struct fsmbd_ctx ctx = {
	.conf = {
		.netbios_name = "FUZZ",
		.workgroup = "WORKGROUP",
		/* No users file: logins get as far as the user lookup. */
		.state_dir = "/nonexistent/fsmb-fuzz",
		.guest_account = "nobody",
		.ports = { 445 },
		.nports = 1,
		.min_dialect = 0x0202,
		.max_dialect = 0x0311,
		.shares = shares,
		.nshares = sizeof(shares) / sizeof(shares[0]),
	},
};

/* ---- libnl's dispatch (lib/nl.c recvmsgs()), for one message ------------ */

static void dispatch(struct fsmb_nl *nl, struct nlmsghdr *hdr)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct nl_msg *msg;

	if (hdr->nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr *e = nlmsg_data(hdr);

		if (hdr->nlmsg_len < (uint32_t)nlmsg_size(sizeof(*e)))
			return;
		/* Half of the time, the REGISTER being waited for. */
		nl->waiting = hdr->nlmsg_flags & 1;
		nl->wait_seq = e->msg.nlmsg_seq;
		if (e->error) {
			on_error(&kernel, e, nl);
			return;
		}
		msg = nlmsg_convert(hdr);
		if (!msg)
			abort();
		on_ack(msg, nl);
		nlmsg_free(msg);
		return;
	}
	if (hdr->nlmsg_type == NLMSG_DONE || hdr->nlmsg_type == NLMSG_NOOP ||
	    hdr->nlmsg_type == NLMSG_OVERRUN)
		return;

	hdr->nlmsg_type = FUZZ_FAMILY;
	msg = nlmsg_convert(hdr);
	if (!msg)
		abort();
	on_msg(msg, nl);
	nlmsg_free(msg);

	hdr->nlmsg_type = GENL_ID_CTRL;
	msg = nlmsg_convert(hdr);
	if (!msg)
		abort();
	nl->family = FUZZ_FAMILY;
	on_ctrl(msg, nl);
	nlmsg_free(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fsmb_nl nl = { .ctx = &ctx, .family = FUZZ_FAMILY };
	struct nlmsghdr *hdr;
	uint8_t *buf;
	int len = (int)(size > 1 << 20 ? 1 << 20 : size);

	/* netlink messages are 4-byte aligned in the receive buffer */
	buf = aligned_alloc(4, (size + 3) & ~(size_t)3);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	ctx.auth = fsmb_auth_new();
	ctx.pipes = fsmb_pipes_new();
	if (!ctx.auth || !ctx.pipes)
		abort();
	for (hdr = (struct nlmsghdr *)buf; nlmsg_ok(hdr, len);
	     hdr = nlmsg_next(hdr, &len)) {
		dispatch(&nl, hdr);
		nl.family = FUZZ_FAMILY;
	}
	fsmb_pipes_free(ctx.pipes);
	fsmb_auth_free(ctx.auth);
	free(buf);
	return 0;
}

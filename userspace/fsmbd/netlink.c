// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <linux/fsmb.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "log.h"
#include "netlink.h"
#include "ntstatus.h"
#include "spnego.h"
#include "tree.h"

/*
 * Requests in flight are bounded by the kernel (256, each at most a 64 KiB
 * blob or pipe payload); the receive buffer holds a burst of them.
 */
#define NL_RCVBUF		(8 * 1024 * 1024)
/* Room in a reply for everything but its blob or pipe payload. */
#define NL_REPLY_HEADROOM	4096
#define NL_HINT_MAX		128

struct fsmb_nl {
	struct fsmbd_ctx *ctx;
	struct nl_sock *sk;		/* requests and replies */
	struct nl_cb *cb;
	struct nl_sock *ctrl;		/* nlctrl notifications */
	struct nl_cb *ctrl_cb;
	int family;			/* 0 while fsmb.ko is away */
	bool family_added;		/* set by the nlctrl callback */

	/* The REGISTER being waited for. */
	uint32_t wait_seq;
	bool waiting;
	int wait_err;
};

/*
 * Attribute types and sizes of requests. libnl checks them, and that
 * strings are NUL-terminated; lengths above 65535 (pipe data) cannot be
 * expressed here and are checked by the handlers.
 */
static struct nla_policy req_policy[FSMB_A_MAX + 1] = {
	[FSMB_A_REQ_ID]		= { .type = NLA_U64 },
	[FSMB_A_AUTH_HANDLE]	= { .type = NLA_U64 },
	[FSMB_A_SEC_BLOB]	= { .type = NLA_UNSPEC,
				    .maxlen = FSMB_MAX_SEC_BLOB },
	[FSMB_A_CLIENT_ADDR]	= { .type = NLA_STRING,
				    .maxlen = FSMB_MAX_NAME },
	[FSMB_A_DIALECT]	= { .type = NLA_U16 },
	[FSMB_A_SESSION_FLAGS]	= { .type = NLA_U32 },
	[FSMB_A_SHARE_NAME]	= { .type = NLA_STRING,
				    .maxlen = FSMB_MAX_NAME },
	[FSMB_A_USER_NAME]	= { .type = NLA_STRING,
				    .maxlen = FSMB_MAX_NAME },
	[FSMB_A_PIPE_OP]	= { .type = NLA_U8 },
	[FSMB_A_PIPE_ID]	= { .type = NLA_U64 },
	[FSMB_A_PIPE_NAME]	= { .type = NLA_STRING,
				    .maxlen = FSMB_MAX_NAME },
	[FSMB_A_DATA]		= { .type = NLA_UNSPEC },
	[FSMB_A_MAX_OUT]	= { .type = NLA_U32 },
};

/* A string attribute with exactly one NUL, at its end; NULL otherwise. */
static const char *attr_str(const struct nlattr *a)
{
	const char *s;
	int len;

	if (!a)
		return NULL;
	s = nla_data(a);
	len = nla_len(a);
	if (len <= 0 || memchr(s, '\0', (size_t)len) != s + len - 1)
		return NULL;
	return s;
}

static struct nl_msg *reply_new(struct fsmb_nl *nl, uint8_t cmd,
				uint64_t req_id, uint32_t status,
				size_t payload)
{
	struct nl_msg *msg = nlmsg_alloc_size(payload + NL_REPLY_HEADROOM);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, 0, cmd,
			 FSMB_GENL_VERSION) ||
	    nla_put_u64(msg, FSMB_A_REQ_ID, req_id) ||
	    nla_put_u32(msg, FSMB_A_STATUS, status)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void reply_send(struct fsmb_nl *nl, struct nl_msg *msg, int put_err)
{
	int ret;

	if (!msg) {
		fsmb_log(LOG_ERR, "out of memory building a reply");
		return;
	}
	if (put_err) {
		fsmb_log(LOG_ERR, "reply does not fit its message");
		nlmsg_free(msg);
		return;
	}
	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0)
		fsmb_log(LOG_ERR, "cannot send reply to the kernel: %s",
			 nl_geterror(ret));
	nlmsg_free(msg);
}

/* A reply carrying only a status, for requests we cannot even decode. */
static void reply_status(struct fsmb_nl *nl, uint8_t cmd, uint64_t req_id,
			 uint32_t status)
{
	reply_send(nl, reply_new(nl, cmd, req_id, status, 0), 0);
}

static void on_login(struct fsmb_nl *nl, struct nlattr **tb, uint64_t req_id)
{
	struct fsmb_login_result res;
	struct fsmb_login_req req = { 0 };
	struct nl_msg *msg;
	int err = 0;

	if (!tb[FSMB_A_AUTH_HANDLE] ||
	    (tb[FSMB_A_SEC_BLOB] &&
	     nla_len(tb[FSMB_A_SEC_BLOB]) > FSMB_MAX_SEC_BLOB) ||
	    (tb[FSMB_A_CLIENT_ADDR] && !attr_str(tb[FSMB_A_CLIENT_ADDR]))) {
		reply_status(nl, FSMB_CMD_LOGIN_REPLY, req_id,
			     FSMB_STATUS_INVALID_PARAMETER);
		return;
	}
	req.handle = nla_get_u64(tb[FSMB_A_AUTH_HANDLE]);
	if (tb[FSMB_A_SEC_BLOB]) {
		req.blob = nla_data(tb[FSMB_A_SEC_BLOB]);
		req.blob_len = (size_t)nla_len(tb[FSMB_A_SEC_BLOB]);
	}
	req.client_addr = attr_str(tb[FSMB_A_CLIENT_ADDR]);
	fsmb_auth_login(nl->ctx->auth, &nl->ctx->conf, &req, &res);

	msg = reply_new(nl, FSMB_CMD_LOGIN_REPLY, req_id, res.status,
			res.blob_len);
	/* Success and continuation always carry a (maybe empty) buffer. */
	if (msg && (res.blob_len || res.status == FSMB_STATUS_SUCCESS ||
		    res.status == FSMB_STATUS_MORE_PROCESSING_REQUIRED))
		err |= nla_put(msg, FSMB_A_SEC_BLOB, (int)res.blob_len,
			       res.blob);
	if (msg && res.status == FSMB_STATUS_SUCCESS) {
		err |= nla_put(msg, FSMB_A_SESSION_KEY,
			       sizeof(res.session_key), res.session_key);
		err |= nla_put_u32(msg, FSMB_A_UID, res.uid);
		err |= nla_put_u32(msg, FSMB_A_GID, res.gid);
		err |= nla_put(msg, FSMB_A_GROUPS,
			       (int)(res.ngroups * sizeof(res.groups[0])),
			       res.groups);
		err |= nla_put_string(msg, FSMB_A_USER_NAME, res.user);
		err |= nla_put_string(msg, FSMB_A_DOMAIN_NAME, res.domain);
		err |= nla_put_u32(msg, FSMB_A_SESSION_FLAGS,
				   res.session_flags);
	}
	fsmb_login_result_free(&res);
	reply_send(nl, msg, err);
}

static void on_tree(struct fsmb_nl *nl, struct nlattr **tb, uint64_t req_id)
{
	const char *share = attr_str(tb[FSMB_A_SHARE_NAME]);
	const char *user = attr_str(tb[FSMB_A_USER_NAME]);
	uint32_t flags = 0;
	struct fsmb_tree_result res;
	struct nl_msg *msg;
	int err = 0;

	if (!share || !user) {
		reply_status(nl, FSMB_CMD_TREE_REPLY, req_id,
			     FSMB_STATUS_INVALID_PARAMETER);
		return;
	}
	if (tb[FSMB_A_SESSION_FLAGS])
		flags = nla_get_u32(tb[FSMB_A_SESSION_FLAGS]);
	fsmb_tree_connect(&nl->ctx->conf, share, user, flags, &res);
	msg = reply_new(nl, FSMB_CMD_TREE_REPLY, req_id, res.status,
			res.path ? strlen(res.path) : 0);
	if (msg && res.status == FSMB_STATUS_SUCCESS) {
		err |= nla_put_u32(msg, FSMB_A_SHARE_FLAGS, res.flags);
		if (res.path)
			err |= nla_put_string(msg, FSMB_A_SHARE_PATH, res.path);
	}
	reply_send(nl, msg, err);
}

static void on_pipe(struct fsmb_nl *nl, struct nlattr **tb, uint64_t req_id)
{
	struct fsmb_pipe_req req = { 0 };
	struct fsmb_pipe_result res;
	struct nl_msg *msg;
	bool ok, reads;
	int err = 0;

	ok = tb[FSMB_A_PIPE_OP] && tb[FSMB_A_PIPE_ID];
	if (ok) {
		req.op = nla_get_u8(tb[FSMB_A_PIPE_OP]);
		req.id = nla_get_u64(tb[FSMB_A_PIPE_ID]);
	}
	reads = req.op == FSMB_PIPE_READ || req.op == FSMB_PIPE_TRANSCEIVE;
	if (ok && req.op == FSMB_PIPE_OPEN) {
		req.name = attr_str(tb[FSMB_A_PIPE_NAME]);
		req.user = attr_str(tb[FSMB_A_USER_NAME]);
		ok = req.name && req.user;
	}
	if (ok && (req.op == FSMB_PIPE_WRITE ||
		   req.op == FSMB_PIPE_TRANSCEIVE)) {
		ok = tb[FSMB_A_DATA] &&
		     nla_len(tb[FSMB_A_DATA]) <= FSMB_MAX_PIPE_DATA;
		if (ok) {
			req.data = nla_data(tb[FSMB_A_DATA]);
			req.data_len = (size_t)nla_len(tb[FSMB_A_DATA]);
		}
	}
	if (ok && reads) {
		ok = tb[FSMB_A_MAX_OUT] != NULL;
		if (ok)
			req.max_out = nla_get_u32(tb[FSMB_A_MAX_OUT]);
	}
	if (!ok || req.op > FSMB_PIPE_OP_MAX) {
		reply_status(nl, FSMB_CMD_PIPE_REPLY, req_id,
			     FSMB_STATUS_INVALID_PARAMETER);
		return;
	}

	fsmb_pipes_handle(nl->ctx->pipes, &nl->ctx->conf, &req, &res);
	msg = reply_new(nl, FSMB_CMD_PIPE_REPLY, req_id, res.status,
			res.data_len);
	if (msg && reads && res.status == FSMB_STATUS_SUCCESS) {
		err |= nla_put(msg, FSMB_A_DATA, (int)res.data_len, res.data);
		if (res.more)
			err |= nla_put_flag(msg, FSMB_A_MORE_DATA);
	}
	fsmb_pipe_result_free(&res);
	reply_send(nl, msg, err);
}

static int on_msg(struct nl_msg *msg, void *arg)
{
	struct fsmb_nl *nl = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[FSMB_A_MAX + 1];
	struct genlmsghdr *gh;
	uint64_t req_id;
	int ret;

	/* Only the kernel may ask: anything else is not a request. */
	if (nlmsg_get_src(msg)->nl_pid != 0 || !nl->family ||
	    nlh->nlmsg_type != nl->family)
		return NL_SKIP;
	ret = genlmsg_parse(nlh, 0, tb, FSMB_A_MAX, req_policy);
	if (ret < 0 || !tb[FSMB_A_REQ_ID]) {
		fsmb_log(LOG_WARNING, "ignoring a malformed kernel request: %s",
			 ret < 0 ? nl_geterror(ret) : "no request id");
		return NL_SKIP;
	}
	gh = nlmsg_data(nlh);
	req_id = nla_get_u64(tb[FSMB_A_REQ_ID]);
	fsmb_dbg(2, "kernel request %llu, command %u",
		 (unsigned long long)req_id, gh->cmd);
	switch (gh->cmd) {
	case FSMB_CMD_LOGIN:
		on_login(nl, tb, req_id);
		break;
	case FSMB_CMD_TREE:
		on_tree(nl, tb, req_id);
		break;
	case FSMB_CMD_PIPE:
		on_pipe(nl, tb, req_id);
		break;
	default:
		fsmb_dbg(1, "ignoring kernel command %u", gh->cmd);
		break;
	}
	return NL_OK;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct fsmb_nl *nl = arg;

	if (nl->waiting && nlmsg_hdr(msg)->nlmsg_seq == nl->wait_seq) {
		nl->waiting = false;
		nl->wait_err = 0;
	}
	return NL_OK;
}

/* The kernel's extended-ack message, if it sent one. */
static const char *ext_ack_msg(const struct nlmsgerr *e)
{
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	size_t off = sizeof(*e);
	const struct nlattr *a;
	int len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		/* The echoed request: its length is the kernel's word. */
		if (e->msg.nlmsg_len < NLMSG_HDRLEN ||
		    e->msg.nlmsg_len > nlh->nlmsg_len)
			return NULL;
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	if (nlh->nlmsg_len < NLMSG_HDRLEN + off)
		return NULL;
	len = (int)(nlh->nlmsg_len - NLMSG_HDRLEN - off);
	a = nla_find((const struct nlattr *)((const char *)e + off), len,
		     NLMSGERR_ATTR_MSG);
	return attr_str(a);
}

/*
 * The error of an NLMSG_ERROR as a -errno. Anything else the kernel might
 * put there (a positive value, INT_MIN, which cannot be negated) is
 * -EPROTO: callers negate it for strerror() and return it as a -errno.
 */
static int kernel_errno(int error)
{
	return error < 0 && error >= -4095 ? error : -EPROTO;
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct fsmb_nl *nl = arg;
	const char *why = ext_ack_msg(e);
	int err = kernel_errno(e->error);

	if (nl->waiting && e->msg.nlmsg_seq == nl->wait_seq) {
		nl->waiting = false;
		nl->wait_err = err;
		if (why)
			fsmb_log(LOG_ERR, "the kernel says: %s", why);
		return NL_SKIP;
	}
	/* A reply the kernel no longer waits for (it timed out): harmless. */
	fsmb_dbg(1, "kernel refused a reply: %s%s%s", strerror(-err),
		 why ? ": " : "", why ? why : "");
	return NL_SKIP;
}

/* Read what the socket has; false on a socket error. */
static bool drain(struct nl_sock *sk, struct nl_cb *cb)
{
	for (;;) {
		int ret = nl_recvmsgs(sk, cb);

		if (ret == -NLE_AGAIN)
			return true;
		if (ret == -NLE_NOMEM) {
			/* ENOBUFS: requests were lost; the kernel times out. */
			fsmb_log(LOG_WARNING,
				 "netlink receive queue overflowed: some kernel requests were lost");
			continue;
		}
		if (ret < 0) {
			fsmb_log(LOG_ERR, "netlink receive: %s",
				 nl_geterror(ret));
			return false;
		}
	}
}

void fsmb_nl_receive(struct fsmb_nl *nl)
{
	drain(nl->sk, nl->cb);
}

static int nl_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOMEM:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

static long ms_until(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 +
	       (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

static int put_register(struct fsmb_nl *nl, struct nl_msg *msg)
{
	const struct fsmb_conf *conf = &nl->ctx->conf;
	uint8_t hint[NL_HINT_MAX];
	struct nlattr *ports;
	ssize_t hint_len;
	size_t i;

	hint_len = fsmb_spnego_hint(hint, sizeof(hint));
	if (hint_len < 0 ||
	    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_ACK, FSMB_CMD_REGISTER, FSMB_GENL_VERSION) ||
	    nla_put_u32(msg, FSMB_A_VERSION, FSMB_GENL_VERSION))
		return -1;
	ports = nla_nest_start(msg, FSMB_A_PORTS);
	if (!ports)
		return -1;
	for (i = 0; i < conf->nports; i++)
		if (nla_put_u16(msg, FSMB_A_PORT, conf->ports[i]))
			return -1;
	nla_nest_end(msg, ports);
	if (nla_put_u16(msg, FSMB_A_MIN_DIALECT, conf->min_dialect) ||
	    nla_put_u16(msg, FSMB_A_MAX_DIALECT, conf->max_dialect) ||
	    nla_put_u8(msg, FSMB_A_SIGNING, (uint8_t)conf->signing) ||
	    nla_put(msg, FSMB_A_SERVER_GUID, FSMB_GUID_LEN, nl->ctx->guid) ||
	    nla_put(msg, FSMB_A_SPNEGO_HINT, (int)hint_len, hint) ||
	    nla_put_u32(msg, FSMB_A_MAX_IP_CONNS, conf->max_ip_conns) ||
	    nla_put_u32(msg, FSMB_A_AUTH_TIMEOUT, conf->auth_timeout) ||
	    nla_put_u32(msg, FSMB_A_IDLE_TIMEOUT, conf->idle_timeout))
		return -1;
	return 0;
}

int fsmb_nl_register(struct fsmb_nl *nl)
{
	struct pollfd pfd = {
		.fd = nl_socket_get_fd(nl->sk),
		.events = POLLIN,
	};
	struct timespec deadline;
	struct nl_msg *msg;
	int ret;

	if (!nl->family)
		return -ENOENT;
	msg = nlmsg_alloc();
	if (!msg)
		return -ENOMEM;
	if (put_register(nl, msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	ret = nl_send_auto(nl->sk, msg);
	nl->wait_seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (ret < 0) {
		fsmb_log(LOG_ERR, "cannot send REGISTER: %s", nl_geterror(ret));
		return nl_errno(ret);
	}

	nl->waiting = true;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += FSMB_NL_REGISTER_TIMEOUT_MS / 1000;
	while (nl->waiting) {
		long left = ms_until(&deadline);

		if (left <= 0) {
			nl->waiting = false;
			fsmb_log(LOG_ERR, "the kernel did not answer REGISTER");
			return -ETIMEDOUT;
		}
		ret = poll(&pfd, 1, (int)left);
		if (ret < 0 && errno != EINTR)
			return -errno;
		if (ret > 0 && !drain(nl->sk, nl->cb)) {
			nl->waiting = false;
			return -EIO;
		}
	}
	if (nl->wait_err)
		fsmb_log(LOG_ERR, "the kernel refused REGISTER: %s",
			 strerror(-nl->wait_err));
	return nl->wait_err;
}

static int on_ctrl(struct nl_msg *msg, void *arg)
{
	struct fsmb_nl *nl = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlh);
	const char *name;

	if (nlh->nlmsg_type != GENL_ID_CTRL ||
	    genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) < 0)
		return NL_SKIP;
	name = attr_str(tb[CTRL_ATTR_FAMILY_NAME]);
	if (!name || strcmp(name, FSMB_GENL_NAME) ||
	    !tb[CTRL_ATTR_FAMILY_ID] ||
	    nla_len(tb[CTRL_ATTR_FAMILY_ID]) < (int)sizeof(uint16_t))
		return NL_SKIP;
	if (gh->cmd == CTRL_CMD_NEWFAMILY) {
		nl->family = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
		nl->family_added = true;
		fsmb_log(LOG_NOTICE, "fsmb.ko is loaded");
	} else if (gh->cmd == CTRL_CMD_DELFAMILY) {
		nl->family = 0;
		nl->family_added = false;
		fsmb_log(LOG_WARNING,
			 "fsmb.ko was unloaded; waiting for it to come back");
	}
	return NL_OK;
}

bool fsmb_nl_ctrl_receive(struct fsmb_nl *nl)
{
	nl->family_added = false;
	drain(nl->ctrl, nl->ctrl_cb);
	return nl->family_added;
}

int fsmb_nl_fd(const struct fsmb_nl *nl)
{
	return nl_socket_get_fd(nl->sk);
}

int fsmb_nl_ctrl_fd(const struct fsmb_nl *nl)
{
	return nl_socket_get_fd(nl->ctrl);
}

void fsmb_nl_close(struct fsmb_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	nl_cb_put(nl->cb);
	nl_socket_free(nl->ctrl);
	nl_cb_put(nl->ctrl_cb);
	free(nl);
}

static int open_sock(struct nl_sock **sk, struct nl_cb **cb)
{
	*cb = nl_cb_alloc(NL_CB_DEFAULT);
	*sk = *cb ? nl_socket_alloc_cb(*cb) : NULL;
	if (!*sk)
		return -NLE_NOMEM;
	/* Kernel requests carry sequence numbers of their own. */
	nl_socket_disable_seq_check(*sk);
	nl_socket_disable_auto_ack(*sk);
	nl_socket_enable_msg_peek(*sk);
	return genl_connect(*sk);
}

/* Receive buffer above rmem_max when we may (root), else what we get. */
static void set_rcvbuf(int fd)
{
	int size = NL_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

/*
 * The family and group look-ups block for their answers with libnl's own
 * handlers, so they come before our handlers and non-blocking mode.
 */
static int nl_setup(struct fsmb_nl *nl)
{
	int one = 1, fd, grp, ret;

	ret = open_sock(&nl->sk, &nl->cb);
	if (ret < 0)
		return ret;
	ret = open_sock(&nl->ctrl, &nl->ctrl_cb);
	if (ret < 0)
		return ret;
	grp = genl_ctrl_resolve_grp(nl->ctrl, "nlctrl", "notify");
	if (grp < 0)
		return grp;
	ret = nl_socket_add_membership(nl->ctrl, grp);
	if (ret < 0)
		return ret;
	ret = genl_ctrl_resolve(nl->sk, FSMB_GENL_NAME);
	if (ret < 0)
		return ret;
	nl->family = ret;

	nl_cb_set(nl->cb, NL_CB_VALID, NL_CB_CUSTOM, on_msg, nl);
	nl_cb_set(nl->cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, nl);
	nl_cb_err(nl->cb, NL_CB_CUSTOM, on_error, nl);
	nl_cb_set(nl->ctrl_cb, NL_CB_VALID, NL_CB_CUSTOM, on_ctrl, nl);
	fd = nl_socket_get_fd(nl->sk);
	set_rcvbuf(fd);
	/* The kernel's error text for REGISTER, without our message echoed. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	ret = nl_socket_set_nonblocking(nl->sk);
	if (ret < 0)
		return ret;
	return nl_socket_set_nonblocking(nl->ctrl);
}

struct fsmb_nl *fsmb_nl_open(struct fsmbd_ctx *ctx, int *err)
{
	struct fsmb_nl *nl = calloc(1, sizeof(*nl));
	int ret;

	if (!nl) {
		*err = -ENOMEM;
		return NULL;
	}
	nl->ctx = ctx;
	ret = nl_setup(nl);
	if (ret < 0) {
		*err = nl_errno(ret);
		fsmb_nl_close(nl);
		return NULL;
	}
	*err = 0;
	return nl;
}

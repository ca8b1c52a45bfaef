/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * fsmb: the generic netlink contract between fsmb.ko and its daemon fsmbd
 * (and the admin tool fsmbctl). This header is the only definition of it;
 * Documentation/netlink/fsmb.yaml describes the same family.
 *
 * Kernel -> daemon requests (LOGIN, TREE, PIPE) are unicast to the daemon
 * that registered last. Each carries FSMB_A_REQ_ID; the daemon answers with
 * the matching *_REPLY command and the same id. The kernel bounds the number
 * of requests in flight and gives up on a request after a timeout; a reply
 * for an unknown or expired id is rejected with ENOENT.
 */
#ifndef _UAPI_LINUX_FSMB_H
#define _UAPI_LINUX_FSMB_H

#define FSMB_GENL_NAME		"fsmb"
/* Bumped on any incompatible change; the daemon sends its own in REGISTER. */
#define FSMB_GENL_VERSION	1

enum fsmb_cmd {
	FSMB_CMD_UNSPEC,
	/*
	 * daemon -> kernel, admin. The sender becomes the daemon; carries the
	 * global configuration (ports, dialect range, signing, server GUID,
	 * SPNEGO hint). The kernel (re)starts its listeners to match.
	 */
	FSMB_CMD_REGISTER,
	/* kernel -> daemon: authenticate one SESSION_SETUP security blob. */
	FSMB_CMD_LOGIN,
	/* daemon -> kernel, admin: result of LOGIN. */
	FSMB_CMD_LOGIN_REPLY,
	/* kernel -> daemon: may this session connect to this share? */
	FSMB_CMD_TREE,
	/* daemon -> kernel, admin: result of TREE. */
	FSMB_CMD_TREE_REPLY,
	/* kernel -> daemon: one operation on a named pipe (IPC$). */
	FSMB_CMD_PIPE,
	/* daemon -> kernel, admin: result of PIPE. */
	FSMB_CMD_PIPE_REPLY,
	/*
	 * anyone -> kernel: counters and state (read-only). The daemon's port
	 * id is only told to a caller with CAP_NET_ADMIN.
	 */
	FSMB_CMD_STATUS_GET,

	__FSMB_CMD_MAX,
};
#define FSMB_CMD_MAX (__FSMB_CMD_MAX - 1)

enum fsmb_attr {
	FSMB_A_UNSPEC,
	FSMB_A_VERSION,		/* u32: FSMB_GENL_VERSION of the sender */
	FSMB_A_REQ_ID,		/* u64: request id, echoed in the reply */
	FSMB_A_STATUS,		/* u32: NTSTATUS of the reply */

	/* REGISTER */
	FSMB_A_PORTS,		/* nest of FSMB_A_PORT */
	FSMB_A_PORT,		/* u16: TCP port to listen on */
	FSMB_A_MIN_DIALECT,	/* u16: e.g. 0x0202 */
	FSMB_A_MAX_DIALECT,	/* u16: e.g. 0x0311 */
	FSMB_A_SIGNING,		/* u8: enum fsmb_signing */
	FSMB_A_SERVER_GUID,	/* binary, 16 bytes */
	FSMB_A_SPNEGO_HINT,	/* binary: NEGOTIATE response security buffer */

	/* LOGIN */
	FSMB_A_AUTH_HANDLE,	/* u64: one authentication conversation */
	FSMB_A_SEC_BLOB,	/* binary: security buffer in/out */
	FSMB_A_CLIENT_ADDR,	/* string: client IP address, for logs */
	FSMB_A_DIALECT,		/* u16: negotiated dialect */
	FSMB_A_SESSION_KEY,	/* binary, 16 bytes (NTLMSSP exported key) */
	FSMB_A_UID,		/* u32 */
	FSMB_A_GID,		/* u32 */
	FSMB_A_GROUPS,		/* binary: array of u32 gids, host order */
	FSMB_A_USER_NAME,	/* string, UTF-8 */
	FSMB_A_DOMAIN_NAME,	/* string, UTF-8 */
	FSMB_A_SESSION_FLAGS,	/* u32: FSMB_SESSION_* */

	/* TREE */
	FSMB_A_SHARE_NAME,	/* string, UTF-8 */
	FSMB_A_SHARE_PATH,	/* string: absolute path of the share root */
	FSMB_A_SHARE_FLAGS,	/* u32: FSMB_SHARE_* */

	/* PIPE */
	FSMB_A_PIPE_OP,		/* u8: enum fsmb_pipe_op */
	FSMB_A_PIPE_ID,		/* u64: chosen by the kernel at OPEN */
	FSMB_A_PIPE_NAME,	/* string: e.g. "srvsvc" */
	FSMB_A_DATA,		/* binary: pipe payload in/out */
	FSMB_A_MAX_OUT,		/* u32: most bytes the reply may carry */
	FSMB_A_MORE_DATA,	/* flag: bytes remain after this read */

	/* STATUS_GET */
	FSMB_A_DAEMON_PID,	/* u32: daemon's netlink port id (CAP_NET_ADMIN only) */
	FSMB_A_NUM_CONNS,	/* u32 */
	FSMB_A_NUM_SESSIONS,	/* u32 */
	FSMB_A_NUM_TREES,	/* u32 */
	FSMB_A_NUM_OPENS,	/* u32 */

	/* REGISTER: limits (absent: the kernel's defaults) */
	FSMB_A_MAX_IP_CONNS,	/* u32: connections per client address, 0: no limit */
	FSMB_A_AUTH_TIMEOUT,	/* u32: seconds until a session must be valid */
	FSMB_A_IDLE_TIMEOUT,	/* u32: seconds idle with no open file, 0: never */

	/* STATUS_GET */
	FSMB_A_DAEMON_UP,	/* u8: 1 when a daemon is registered */

	__FSMB_A_MAX,
};
#define FSMB_A_MAX (__FSMB_A_MAX - 1)

enum fsmb_signing {
	FSMB_SIGNING_AUTO,	/* sign when the client asks for it */
	FSMB_SIGNING_MANDATORY,	/* refuse unsigned sessions */
};

/* FSMB_A_SESSION_FLAGS */
#define FSMB_SESSION_GUEST	(1U << 0)
#define FSMB_SESSION_ANONYMOUS	(1U << 1)

/* FSMB_A_SHARE_FLAGS */
#define FSMB_SHARE_READ_ONLY	(1U << 0)
#define FSMB_SHARE_IPC		(1U << 1)

enum fsmb_pipe_op {
	FSMB_PIPE_OPEN,		/* PIPE_NAME, USER_NAME -> STATUS */
	FSMB_PIPE_WRITE,	/* DATA -> STATUS */
	FSMB_PIPE_READ,		/* MAX_OUT -> STATUS, DATA, MORE_DATA */
	FSMB_PIPE_TRANSCEIVE,	/* DATA, MAX_OUT -> STATUS, DATA, MORE_DATA */
	FSMB_PIPE_CLOSE,	/* -> STATUS */
	__FSMB_PIPE_OP_MAX,
};
#define FSMB_PIPE_OP_MAX (__FSMB_PIPE_OP_MAX - 1)

/*
 * Limits both sides enforce. nla_len is 16 bits and counts the 4-byte
 * attribute header, so 65531 is the largest payload one attribute can
 * carry: a longer one would wrap the length and let the payload's bytes be
 * parsed as attributes of their own.
 */
#define FSMB_MAX_ATTR_PAYLOAD	65531
#define FSMB_MAX_SEC_BLOB	FSMB_MAX_ATTR_PAYLOAD
#define FSMB_MAX_PIPE_DATA	FSMB_MAX_ATTR_PAYLOAD
#define FSMB_MAX_PORTS		8
#define FSMB_MAX_GROUPS		64
#define FSMB_MAX_NAME		256
#define FSMB_MAX_PATH		4096
/*
 * The REGISTER limits: what the kernel uses when an attribute is absent,
 * and the ranges it accepts (Documentation/security.md has the table).
 */
#define FSMB_DEFAULT_MAX_IP_CONNS	64
#define FSMB_DEFAULT_AUTH_TIMEOUT	60		/* seconds */
#define FSMB_DEFAULT_IDLE_TIMEOUT	(15 * 60)	/* seconds, 0: none */
#define FSMB_MAX_AUTH_TIMEOUT	3600
#define FSMB_MAX_IDLE_TIMEOUT	(7 * 24 * 3600)

#endif /* _UAPI_LINUX_FSMB_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fsmbd - DCE/RPC named-pipe endpoints (srvsvc, wkssvc).
 *
 * The SMB layer forwards the traffic of a named pipe opened on IPC$ here:
 * CREATE -> fsmb_pipe_open(), WRITE and the input of FSCTL_PIPE_TRANSCEIVE
 * -> fsmb_pipe_write(), READ and the output of TRANSCEIVE ->
 * fsmb_pipe_read(), CLOSE -> fsmb_pipe_close().  A pipe is not thread
 * safe; distinct pipes are independent.
 *
 * Memory per pipe is bounded whatever the client sends: the fixed pipe
 * object (one FSMB_RPC_MAX_FRAG PDU buffer), a request reassembly buffer
 * of at most FSMB_RPC_MAX_REQUEST, and unread answers of at most
 * FSMB_RPC_OUT_SOFT_LIMIT plus one response.  A response is at most
 * FSMB_RPC_MAX_RESPONSE; its size follows the share list (configuration),
 * not the request.
 */
#ifndef FSMB_RPC_H
#define FSMB_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fragment sizes.  The reassembly buffer for one PDU is FSMB_RPC_MAX_FRAG. */
#define FSMB_RPC_MIN_FRAG	1432	/* C706 MUST_RECV_FRAG_SIZE */
#define FSMB_RPC_MAX_FRAG	4280	/* our max_xmit_frag / max_recv_frag */
/* Stub bytes of one (possibly fragmented) request. */
#define FSMB_RPC_MAX_REQUEST	(64 * 1024)
/*
 * Stub bytes of one response; larger ones fault nca_s_out_args_too_big.
 * Responses are sized by the share list (configuration), not by the
 * client, so this only guards against absurd configurations.
 */
#define FSMB_RPC_MAX_RESPONSE	(4 * 1024 * 1024)
/*
 * Unread output above which the pipe stops taking requests
 * (fsmb_pipe_write() fails with -ENOBUFS): a well-behaved client reads
 * every response before it sends the next request.
 */
#define FSMB_RPC_OUT_SOFT_LIMIT	(256 * 1024)
/* Presentation contexts accepted per pipe. */
#define FSMB_RPC_MAX_CONTEXTS	16
/*
 * NetShareEnumAll returns all entries for PreferedMaximumLength
 * 0xffffffff (MAX_PREFERRED_LENGTH, what smbclient and Windows send) and
 * otherwise entries up to that many wire bytes (at least one), the rest
 * with ERROR_MORE_DATA and a resume handle.  Either way at most this many
 * bytes of entries go in one response.
 */
#define FSMB_RPC_MAX_ENUM_BYTES	(FSMB_RPC_MAX_RESPONSE - 4096)

/* Share types (MS-SRVS 2.2.2.4). */
#define FSMB_STYPE_DISKTREE	0x00000000u
#define FSMB_STYPE_PRINTQ	0x00000001u
#define FSMB_STYPE_DEVICE	0x00000002u
#define FSMB_STYPE_IPC		0x00000003u
#define FSMB_STYPE_TEMPORARY	0x40000000u
#define FSMB_STYPE_SPECIAL	0x80000000u

struct fsmb_rpc_share {
	const char *name;	/* UTF-8, required */
	const char *comment;	/* UTF-8, NULL or "" for none */
	const char *path;	/* levels 2/502; NULL or "" for none */
	uint32_t type;		/* FSMB_STYPE_* */
	bool browseable;	/* false: hidden from NetShareEnumAll only */
};

struct fsmb_rpc_env {
	const char *netbios_name;	/* server name */
	const char *workgroup;		/* domain / workgroup */
	const struct fsmb_rpc_share *shares;
	size_t nshares;			/* includes IPC$ */
	const char *user;		/* authenticated user of the session */
};

struct fsmb_pipe;

/*
 * Opens the endpoint for a pipe name: "srvsvc" or "wkssvc",
 * case-insensitive, optionally prefixed "\PIPE\" or "\" (either slash
 * direction).  Returns NULL with errno ENOENT for an unknown pipe, EINVAL
 * for a bad env (NULL share name, shares == NULL with nshares != 0),
 * ENOMEM.  The env is deep-copied: the caller may free it at once.
 */
struct fsmb_pipe *fsmb_pipe_open(const char *name,
				 const struct fsmb_rpc_env *env);

/*
 * Client -> server bytes (one SMB2 WRITE, or the input of a TRANSCEIVE).
 * Any split of the PDU stream is accepted: complete PDUs are processed at
 * once and their answers queued, a trailing partial PDU is buffered.
 *
 * Returns 0 (also when the answer is an RPC fault or a bind_nak: that is
 * a normal reply), or
 *   -EPROTO   malformed framing or a protocol violation.  A fault or
 *             bind_nak has been queued where the protocol allows it; read
 *             it out, then close the pipe.
 *   -EMSGSIZE a fragmented request grew past FSMB_RPC_MAX_REQUEST (fault
 *             queued); close after reading.
 *   -ENOBUFS  more than FSMB_RPC_OUT_SOFT_LIMIT bytes of answers are
 *             unread; close the pipe.
 *   -EPIPE    the pipe already failed with one of the above.
 *   -EINVAL   bad arguments.
 *   -ENOMEM
 * After any of these (except -EINVAL) the pipe takes no more input.
 */
int fsmb_pipe_write(struct fsmb_pipe *p, const uint8_t *buf, size_t len);

/*
 * Server -> client bytes, with message-mode named pipe semantics: each
 * queued PDU (response fragment, bind_ack, fault...) is one message and a
 * read never returns bytes of two messages.  Copies up to maxlen bytes of
 * the oldest message and returns the count (0 if nothing is queued).
 * *more (may be NULL) is set true when bytes of that same message remain
 * after this read: the SMB layer then answers STATUS_BUFFER_OVERFLOW and
 * the client reads the rest.  Further complete messages may still be
 * queued when *more is false (a fragmented response: the client keeps
 * reading until it sees PFC_LAST_FRAG); fsmb_pipe_pending() tells.
 */
size_t fsmb_pipe_read(struct fsmb_pipe *p, uint8_t *buf, size_t maxlen,
		      bool *more);

/* Total unread bytes of all queued messages. */
size_t fsmb_pipe_pending(const struct fsmb_pipe *p);

void fsmb_pipe_close(struct fsmb_pipe *p);

/* ------------------------------------------------------------------ */
/* Wire constants, shared with the tests.                             */
/* ------------------------------------------------------------------ */

#define FSMB_DCERPC_HDR_LEN		16

#define FSMB_DCERPC_PKT_REQUEST		0
#define FSMB_DCERPC_PKT_RESPONSE	2
#define FSMB_DCERPC_PKT_FAULT		3
#define FSMB_DCERPC_PKT_BIND		11
#define FSMB_DCERPC_PKT_BIND_ACK	12
#define FSMB_DCERPC_PKT_BIND_NAK	13
#define FSMB_DCERPC_PKT_ALTER		14
#define FSMB_DCERPC_PKT_ALTER_RESP	15
#define FSMB_DCERPC_PKT_AUTH3		16
#define FSMB_DCERPC_PKT_SHUTDOWN	17
#define FSMB_DCERPC_PKT_CO_CANCEL	18
#define FSMB_DCERPC_PKT_ORPHANED	19

#define FSMB_DCERPC_PFC_FIRST_FRAG	0x01
#define FSMB_DCERPC_PFC_LAST_FRAG	0x02
#define FSMB_DCERPC_PFC_PENDING_CANCEL	0x04
#define FSMB_DCERPC_PFC_CONC_MPX	0x10
#define FSMB_DCERPC_PFC_DID_NOT_EXECUTE	0x20
#define FSMB_DCERPC_PFC_MAYBE		0x40
#define FSMB_DCERPC_PFC_OBJECT_UUID	0x80

/* p_cont_def_result_t */
#define FSMB_DCERPC_ACCEPTANCE		0
#define FSMB_DCERPC_USER_REJECTION	1
#define FSMB_DCERPC_PROVIDER_REJECTION	2
#define FSMB_DCERPC_NEGOTIATE_ACK	3	/* MS-RPCE bind time features */

/* p_provider_reason_t */
#define FSMB_DCERPC_REASON_NOT_SPECIFIED		0
#define FSMB_DCERPC_REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED	1
#define FSMB_DCERPC_REASON_TRANSFER_SYNTAXES_NOT_SUPPORTED	2
#define FSMB_DCERPC_REASON_LOCAL_LIMIT_EXCEEDED		3

/* p_reject_reason_t (bind_nak) */
#define FSMB_DCERPC_NAK_REASON_NOT_SPECIFIED		0
#define FSMB_DCERPC_NAK_PROTOCOL_VERSION_NOT_SUPPORTED	4
#define FSMB_DCERPC_NAK_AUTH_TYPE_NOT_RECOGNIZED	8

/* MS-RPCE 2.2.2.14 bind time feature bits */
#define FSMB_DCERPC_BTF_SEC_CTX_MULTIPLEXING	0x0001
#define FSMB_DCERPC_BTF_KEEP_CONN_ON_ORPHAN	0x0002

/* Fault status codes (C706 appendix E, MS-RPCE 2.2.2.11). */
#define FSMB_NCA_S_FAULT_INVALID_TAG	0x1c000006u
#define FSMB_NCA_S_OP_RNG_ERROR		0x1c010002u
#define FSMB_NCA_S_UNK_IF		0x1c010003u
#define FSMB_NCA_S_PROTO_ERROR		0x1c01000bu
#define FSMB_NCA_S_OUT_ARGS_TOO_BIG	0x1c010013u
#define FSMB_NCA_S_FAULT_NDR		0x000006f7u	/* RPC_X_BAD_STUB_DATA */

/* WERROR / NET_API_STATUS values returned by the interfaces. */
#define FSMB_WERR_OK			0u
#define FSMB_WERR_ACCESS_DENIED		5u
#define FSMB_WERR_NOT_ENOUGH_MEMORY	8u
#define FSMB_WERR_INVALID_PARAMETER	87u
#define FSMB_WERR_INVALID_LEVEL		124u
#define FSMB_WERR_MORE_DATA		234u
#define FSMB_WERR_NET_NAME_NOT_FOUND	2310u

/* ------------------------------------------------------------------ */
/* Internal: between the pipe core and the interface implementations. */
/* ------------------------------------------------------------------ */

#include "ndr.h"

struct fsmb_rpc_call {
	const struct fsmb_rpc_env *env;
	uint16_t opnum;
	struct fsmb_ndr_pull *in;	/* request stub (reassembled) */
	struct fsmb_ndr_push *out;	/* response stub, empty on entry */
};

/* Returns 0 with the response stub in call->out, or a fault status. */
typedef uint32_t (*fsmb_rpc_dispatch_fn)(struct fsmb_rpc_call *call);

struct fsmb_rpc_iface {
	const char *pipe_name;		/* "srvsvc" */
	struct fsmb_uuid uuid;		/* abstract syntax */
	uint16_t vers_major;
	uint16_t vers_minor;
	fsmb_rpc_dispatch_fn dispatch;
};

extern const struct fsmb_rpc_iface fsmb_rpc_srvsvc_iface;
extern const struct fsmb_rpc_iface fsmb_rpc_wkssvc_iface;

/* ASCII-only case-insensitive compare, independent of the locale. */
int fsmb_rpc_strcasecmp(const char *a, const char *b);

#endif /* FSMB_RPC_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SMB2 NEGOTIATE ([MS-SMB2] 2.2.3, 2.2.4), its 3.1.1 negotiate contexts,
 * and the SMB1 NEGOTIATE that multi-protocol clients open with
 * ([MS-SMB] 2.2.4.5.1, [MS-SMB2] 3.3.5.3).
 */
#ifndef FSMB_PROTO_SMB2_NEGOTIATE_H
#define FSMB_PROTO_SMB2_NEGOTIATE_H

#include "smb2.h"

#define SMB2_NEGOTIATE_REQ_SIZE		36
#define SMB2_NEGOTIATE_RSP_SIZE		65
#define SMB2_PREAUTH_SALT_SIZE		32
/* Signing algorithm ids kept from a SIGNING_CAPABILITIES context. */
#define SMB2_NEG_MAX_SIGNING		8

struct smb2_negotiate_req {
	u16 dialect_count;
	u16 security_mode;
	u32 capabilities;
	u8 client_guid[16];
	u32 context_offset;		/* from the header; 3.1.1 only */
	u16 context_count;
	struct fsmb_cur dialects;	/* dialect_count little-endian u16s */
};

/*
 * @c: base at the SMB2 header, position at the body. -EINVAL for a wrong
 * StructureSize, no dialects or a dialect array outside the message.
 */
int smb2_negotiate_req_decode(struct fsmb_cur *c, struct smb2_negotiate_req *r);

/* What the 3.1.1 negotiate contexts of a request ask for. */
struct smb2_neg_contexts {
	bool preauth;			/* PREAUTH_INTEGRITY_CAPABILITIES seen */
	bool preauth_sha512;		/* ... and it offers SHA-512 */
	bool encryption;		/* ENCRYPTION_CAPABILITIES seen */
	bool signing;			/* SIGNING_CAPABILITIES seen */
	u16 nsigning;			/* signing ids kept, client order */
	u16 signing_algos[SMB2_NEG_MAX_SIGNING];
};

/*
 * Walk the @r->context_count contexts at @r->context_offset of the
 * message in @c (base at the header). Unknown context types are skipped;
 * a context that runs past the message, a list shorter than its count,
 * an algorithm count of zero, a count larger than the context's data, or
 * a repeated PREAUTH/ENCRYPTION/SIGNING context give -EINVAL.
 */
int smb2_neg_contexts_decode(const struct fsmb_cur *c,
			     const struct smb2_negotiate_req *r,
			     struct smb2_neg_contexts *ctx);

struct smb2_negotiate_rsp {
	u16 security_mode;
	u16 dialect;
	u8 server_guid[16];
	u32 capabilities;
	u32 max_transact;
	u32 max_read;
	u32 max_write;
	u64 system_time;
	u64 start_time;
	const u8 *sec_blob;
	u16 sec_len;
	/* 3.1.1 contexts: PREAUTH always, SIGNING when @signing */
	const u8 *preauth_salt;		/* SMB2_PREAUTH_SALT_SIZE bytes */
	bool signing;
	u16 signing_algo;
};

/*
 * @w: base at the response header, position at the body. Contexts are
 * written when @r->dialect is 3.1.1.
 */
void smb2_negotiate_rsp_encode(struct fsmb_wcur *w,
			       const struct smb2_negotiate_rsp *r);

/* An SMB1 message whose command is SMB_COM_NEGOTIATE (0x72)? */
bool smb1_is_negotiate(const struct fsmb_cur *c);

#define SMB1_NEG_SMB2_002	0x1	/* "SMB 2.002" offered */
#define SMB1_NEG_SMB2_ANY	0x2	/* "SMB 2.???" offered */

/*
 * Decode the dialect strings of an SMB1 NEGOTIATE (@c over the whole
 * message) into SMB1_NEG_* bits in @found. -EINVAL for a malformed
 * message: WordCount not 0, ByteCount past the end, a string not starting
 * with the 0x02 buffer format or not NUL-terminated.
 */
int smb1_negotiate_decode(struct fsmb_cur *c, unsigned int *found);

#endif /* FSMB_PROTO_SMB2_NEGOTIATE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* SMB2 CREATE request/response and create contexts ([MS-SMB2] 2.2.13-14). */
#ifndef FSMB_PROTO_SMB2_CREATE_H
#define FSMB_PROTO_SMB2_CREATE_H

#include "smb2.h"

#define SMB2_CREATE_REQ_SIZE		57
#define SMB2_CREATE_RSP_SIZE		89
#define SMB2_CREATE_RSP_FIXED		88	/* without the variable byte */

/* ImpersonationLevel */
#define SMB2_IMPERSONATION_DELEGATE	3

/* The create contexts fsmb looks at; the others are ignored. */
#define SMB2_CTX_MXAC	0x4D784163	/* "MxAc" query maximal access */
#define SMB2_CTX_QFID	0x51466964	/* "QFid" query on-disk id */
#define SMB2_CTX_ALSI	0x416C5369	/* "AlSi" allocation size */
#define SMB2_CTX_TWRP	0x54577270	/* "TWrp" timewarp (snapshot) */

struct smb2_create_req {
	u8 oplock_level;
	u32 impersonation;
	u32 desired_access;
	u32 file_attributes;
	u32 share_access;
	u32 disposition;
	u32 options;
	struct fsmb_cur name;		/* UTF-16LE, may be empty */
	struct fsmb_cur contexts;	/* the chain, may be empty */
};

/*
 * Decode a CREATE body from @in (base: SMB2 header, pos: body). Returns 0
 * or -EINVAL when the structure size is wrong or the name or the context
 * chain lie outside the message.
 */
int smb2_create_req_decode(struct fsmb_cur *in, struct smb2_create_req *req);

/* What fsmb understood of the create contexts. */
struct smb2_create_ctx {
	bool mxac;			/* MxAc present */
	bool qfid;			/* QFid present */
	bool alloc_size_set;
	u64 alloc_size;			/* AlSi */
	bool timewarp;			/* TWrp present */
};

/*
 * Walk the context chain: every entry 8-byte aligned, inside the chain,
 * name at least 4 bytes long, name and data inside the entry and not
 * overlapping its header. Returns 0 or -EINVAL (malformed chain, or a
 * known context with a malformed body).
 */
int smb2_create_ctx_parse(const struct fsmb_cur *chain,
			  struct smb2_create_ctx *ctx);

struct smb2_create_rsp {
	u8 oplock_level;
	u32 action;
	u64 creation_time;
	u64 access_time;
	u64 write_time;
	u64 change_time;
	u64 alloc_size;
	u64 eof;
	u32 attributes;
	u64 persistent_id;
	u64 volatile_id;
	/* response contexts */
	bool mxac;
	u32 mxac_status;
	u32 maximal_access;
	bool qfid;
	u64 disk_file_id;		/* QFid: DiskFileId, VolumeId */
	u64 volume_id;
};

/* Bytes smb2_create_rsp_encode() writes, for fsmb_work_reserve(). */
size_t smb2_create_rsp_size(const struct smb2_create_rsp *rsp);

/* Encode the response body at @w (base: response header). */
void smb2_create_rsp_encode(struct fsmb_wcur *w,
			    const struct smb2_create_rsp *rsp);

#endif /* FSMB_PROTO_SMB2_CREATE_H */

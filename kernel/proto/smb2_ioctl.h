/* SPDX-License-Identifier: GPL-2.0 */
/* SMB2 IOCTL ([MS-SMB2] 2.2.31-32) and the FSCTL payloads fsmb decodes. */
#ifndef FSMB_PROTO_SMB2_IOCTL_H
#define FSMB_PROTO_SMB2_IOCTL_H

#include "smb2_io.h"

#define SMB2_IOCTL_REQ_SIZE		57
#define SMB2_IOCTL_RSP_SIZE		49
#define SMB2_IOCTL_RSP_FIXED		48

#define FSCTL_DFS_GET_REFERRALS_EX	0x000601B0
#define FSCTL_SET_SPARSE		0x000900C4
#define FSCTL_SET_ZERO_DATA		0x000980C8

#define SMB2_VALIDATE_NEG_RSP_SIZE	24

struct smb2_ioctl_req {
	u32 ctl_code;
	struct smb2_file_id fid;
	struct fsmb_cur input;
	u32 max_input;
	u32 max_output;
	u32 flags;
};

int smb2_ioctl_req_decode(struct fsmb_cur *in, struct smb2_ioctl_req *req);

/*
 * IOCTL response: fixed part at @out, then room for @max output bytes
 * returned for the caller to fill (NULL if @out is too small);
 * smb2_ioctl_rsp_end() records @used of them.
 */
u8 *smb2_ioctl_rsp_begin(struct fsmb_wcur *out, const struct smb2_ioctl_req *req,
			 size_t max);
void smb2_ioctl_rsp_end(struct fsmb_wcur *out, size_t start, size_t used);

struct smb2_validate_neg_req {
	u32 capabilities;
	u8 guid[16];
	u16 security_mode;
	u16 dialect_count;
	struct fsmb_cur dialects;	/* dialect_count u16s */
};

int smb2_validate_neg_decode(struct fsmb_cur *c,
			     struct smb2_validate_neg_req *req);

struct smb2_validate_neg_rsp {
	u32 capabilities;
	u8 guid[16];
	u16 security_mode;
	u16 dialect;
};

void smb2_validate_neg_encode(struct fsmb_wcur *w,
			      const struct smb2_validate_neg_rsp *rsp);

/* FSCTL_SET_ZERO_DATA: FileOffset, BeyondFinalZero. */
int smb2_zero_data_decode(struct fsmb_cur *c, u64 *offset, u64 *beyond);

#endif /* FSMB_PROTO_SMB2_IOCTL_H */

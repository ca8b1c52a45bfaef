/* SPDX-License-Identifier: GPL-2.0 */
/* SMB2 SESSION_SETUP ([MS-SMB2] 2.2.5, 2.2.6). */
#ifndef FSMB_PROTO_SMB2_SESSION_H
#define FSMB_PROTO_SMB2_SESSION_H

#include "smb2.h"

#define SMB2_SESSION_SETUP_REQ_SIZE	25
#define SMB2_SESSION_SETUP_RSP_SIZE	9

struct smb2_session_setup_req {
	u8 flags;			/* SMB2_SESSION_FLAG_BINDING */
	u8 security_mode;
	u32 capabilities;
	u64 previous_session_id;
	struct fsmb_cur blob;		/* the security buffer */
};

/*
 * @c: base at the SMB2 header, position at the body. -EINVAL for a wrong
 * StructureSize or a security buffer that does not lie in the message.
 */
int smb2_session_setup_req_decode(struct fsmb_cur *c,
				  struct smb2_session_setup_req *r);

/* SessionFlags and the security buffer @blob of @len bytes. */
void smb2_session_setup_rsp_encode(struct fsmb_wcur *w, u16 session_flags,
				   const u8 *blob, u16 len);

#endif /* FSMB_PROTO_SMB2_SESSION_H */

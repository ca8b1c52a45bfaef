// SPDX-License-Identifier: GPL-2.0
/* SMB2 SESSION_SETUP codec. */
#include "smb2_session.h"

int smb2_session_setup_req_decode(struct fsmb_cur *c,
				  struct smb2_session_setup_req *r)
{
	u16 blob_off, blob_len;

	if (smb2_body_start(c, SMB2_SESSION_SETUP_REQ_SIZE))
		return -EINVAL;
	r->flags = fsmb_cur_u8(c);
	r->security_mode = fsmb_cur_u8(c);
	r->capabilities = fsmb_cur_le32(c);
	fsmb_cur_skip(c, 4);			/* Channel */
	blob_off = fsmb_cur_le16(c);
	blob_len = fsmb_cur_le16(c);
	r->previous_session_id = fsmb_cur_le64(c);
	fsmb_cur_sub(c, blob_off, blob_len, &r->blob);
	return fsmb_cur_ok(c) ? 0 : -EINVAL;
}

void smb2_session_setup_rsp_encode(struct fsmb_wcur *w, u16 session_flags,
				   const u8 *blob, u16 len)
{
	/* The buffer follows the 8 fixed bytes of the body. */
	size_t blob_off = w->pos + 8;

	fsmb_wcur_le16(w, SMB2_SESSION_SETUP_RSP_SIZE);
	fsmb_wcur_le16(w, session_flags);
	fsmb_wcur_le16(w, len ? blob_off : 0);
	fsmb_wcur_le16(w, len);
	if (len)
		fsmb_wcur_bytes(w, blob, len);
	else
		fsmb_wcur_u8(w, 0);	/* StructureSize 9 counts one byte */
}

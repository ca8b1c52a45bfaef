// SPDX-License-Identifier: GPL-2.0
/* SMB2 header codec ([MS-SMB2] 2.2.1). */
#include "smb2.h"

int smb2_hdr_decode(struct fsmb_cur *c, struct smb2_hdr *h)
{
	u32 proto = fsmb_cur_le32(c);
	u16 size = fsmb_cur_le16(c);

	h->credit_charge = fsmb_cur_le16(c);
	h->status = fsmb_cur_le32(c);
	h->command = fsmb_cur_le16(c);
	h->credit_request = fsmb_cur_le16(c);
	h->flags = fsmb_cur_le32(c);
	h->next_command = fsmb_cur_le32(c);
	h->message_id = fsmb_cur_le64(c);
	if (h->flags & SMB2_FLAGS_ASYNC_COMMAND) {
		h->async_id = fsmb_cur_le64(c);
		h->process_id = 0;
		h->tree_id = 0;
	} else {
		h->async_id = 0;
		h->process_id = fsmb_cur_le32(c);
		h->tree_id = fsmb_cur_le32(c);
	}
	h->session_id = fsmb_cur_le64(c);
	fsmb_cur_copy(c, h->signature, SMB2_SIG_SIZE);
	if (!fsmb_cur_ok(c) || proto != SMB2_PROTO_ID || size != SMB2_HDR_SIZE)
		return -EINVAL;
	return 0;
}

void smb2_hdr_encode(struct fsmb_wcur *w, const struct smb2_hdr *h)
{
	fsmb_wcur_le32(w, SMB2_PROTO_ID);
	fsmb_wcur_le16(w, SMB2_HDR_SIZE);
	fsmb_wcur_le16(w, h->credit_charge);
	fsmb_wcur_le32(w, h->status);
	fsmb_wcur_le16(w, h->command);
	fsmb_wcur_le16(w, h->credit_request);
	fsmb_wcur_le32(w, h->flags);
	fsmb_wcur_le32(w, h->next_command);
	fsmb_wcur_le64(w, h->message_id);
	if (h->flags & SMB2_FLAGS_ASYNC_COMMAND) {
		fsmb_wcur_le64(w, h->async_id);
	} else {
		fsmb_wcur_le32(w, h->process_id);
		fsmb_wcur_le32(w, h->tree_id);
	}
	fsmb_wcur_le64(w, h->session_id);
	fsmb_wcur_bytes(w, h->signature, SMB2_SIG_SIZE);
}

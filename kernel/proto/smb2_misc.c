// SPDX-License-Identifier: GPL-2.0
/* Compound chain, credit payload, ERROR and the four-byte bodies. */
#include "smb2_misc.h"

long smb2_chain_next(const struct fsmb_cur *msg, size_t off)
{
	struct fsmb_cur cmd = *msg;
	size_t left;
	u32 next;

	if (off >= msg->len)
		return off == msg->len ? 0 : -EINVAL;
	left = msg->len - off;
	fsmb_cur_seek(&cmd, off + SMB2_NEXT_COMMAND_OFFSET);
	next = fsmb_cur_le32(&cmd);
	if (!fsmb_cur_ok(&cmd))
		return -EINVAL;
	if (!next)
		next = left;
	else if (next % 8 || next >= left)
		return -EINVAL;
	if (next < SMB2_HDR_SIZE + 2)
		return -EINVAL;
	return next;
}

/* Sums of two u32s saturate instead of wrapping. */
static u32 sat_add(u32 a, u32 b)
{
	return a > (u32)~0u - b ? (u32)~0u : a + b;
}

u32 smb2_credit_payload(const struct fsmb_cur *body, u16 command)
{
	struct fsmb_cur c = *body;
	u32 a = 0, b = 0, x, y;

	fsmb_cur_skip(&c, 2);			/* StructureSize */
	switch (command) {
	case SMB2_READ:
		fsmb_cur_skip(&c, 2);		/* Padding, Flags */
		a = fsmb_cur_le32(&c);		/* Length */
		break;
	case SMB2_WRITE:
		fsmb_cur_skip(&c, 2);		/* DataOffset */
		a = fsmb_cur_le32(&c);		/* Length */
		break;
	case SMB2_IOCTL:
		fsmb_cur_skip(&c, 2 + 4 + 16 + 4); /* .., CtlCode, FileId, InputOffset */
		x = fsmb_cur_le32(&c);		/* InputCount */
		a = fsmb_cur_le32(&c);		/* MaxInputResponse */
		fsmb_cur_skip(&c, 4);		/* OutputOffset */
		y = fsmb_cur_le32(&c);		/* OutputCount */
		b = fsmb_cur_le32(&c);		/* MaxOutputResponse */
		a = sat_add(a, b);
		b = sat_add(x, y);
		break;
	case SMB2_QUERY_DIRECTORY:
		fsmb_cur_skip(&c, 1 + 1 + 4 + 16 + 2); /* .., FileNameOffset */
		a = fsmb_cur_le16(&c);		/* FileNameLength */
		b = fsmb_cur_le32(&c);		/* OutputBufferLength */
		break;
	case SMB2_CHANGE_NOTIFY:
		fsmb_cur_skip(&c, 2);		/* Flags */
		a = fsmb_cur_le32(&c);		/* OutputBufferLength */
		break;
	case SMB2_QUERY_INFO:
		fsmb_cur_skip(&c, 2);		/* InfoType, FileInfoClass */
		a = fsmb_cur_le32(&c);		/* OutputBufferLength */
		fsmb_cur_skip(&c, 4);		/* InputBufferOffset, Reserved */
		b = fsmb_cur_le32(&c);		/* InputBufferLength */
		break;
	case SMB2_SET_INFO:
		fsmb_cur_skip(&c, 2);		/* InfoType, FileInfoClass */
		a = fsmb_cur_le32(&c);		/* BufferLength */
		break;
	default:
		return 0;
	}
	if (!fsmb_cur_ok(&c))
		return 0;
	return a > b ? a : b;
}

void smb2_error_rsp_encode(struct fsmb_wcur *w)
{
	fsmb_wcur_le16(w, SMB2_ERROR_BODY_SIZE);
	fsmb_wcur_u8(w, 0);			/* ErrorContextCount */
	fsmb_wcur_u8(w, 0);			/* Reserved */
	fsmb_wcur_le32(w, 0);			/* ByteCount */
	fsmb_wcur_u8(w, 0);			/* ErrorData */
}

int smb2_simple_req_decode(struct fsmb_cur *c)
{
	if (smb2_body_start(c, SMB2_SIMPLE_SIZE))
		return -EINVAL;
	fsmb_cur_skip(c, 2);			/* Reserved */
	return fsmb_cur_ok(c) ? 0 : -EINVAL;
}

void smb2_simple_rsp_encode(struct fsmb_wcur *w)
{
	fsmb_wcur_le16(w, SMB2_SIMPLE_SIZE);
	fsmb_wcur_le16(w, 0);			/* Reserved */
}

void smb2_hdr_set_signature(struct fsmb_wcur *w, const u8 *sig)
{
	if (w->err || w->pos < SMB2_HDR_SIZE)
		w->err = true;
	else
		memcpy(w->base + SMB2_SIG_OFFSET, sig, SMB2_SIG_SIZE);
}

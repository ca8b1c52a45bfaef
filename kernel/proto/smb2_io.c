// SPDX-License-Identifier: GPL-2.0
/* SMB2 READ, WRITE, FLUSH and CLOSE codecs. */
#include "smb2_io.h"

int smb2_read_req_decode(struct fsmb_cur *in, struct smb2_read_req *req)
{
	if (smb2_body_start(in, SMB2_READ_REQ_SIZE))
		return -EINVAL;
	fsmb_cur_skip(in, 1);			/* Padding */
	req->flags = fsmb_cur_u8(in);
	req->length = fsmb_cur_le32(in);
	req->offset = fsmb_cur_le64(in);
	smb2_file_id_decode(in, &req->fid);
	req->min_count = fsmb_cur_le32(in);
	req->channel = fsmb_cur_le32(in);
	/* RemainingBytes and the channel info matter only for RDMA. */
	fsmb_cur_skip(in, 8);
	return fsmb_cur_ok(in) ? 0 : -EINVAL;
}

u8 *smb2_read_rsp_begin(struct fsmb_wcur *w, size_t max)
{
	size_t data_off = w->pos + SMB2_READ_RSP_FIXED;

	fsmb_wcur_le16(w, SMB2_READ_RSP_SIZE);
	fsmb_wcur_u8(w, data_off);		/* DataOffset: 80 */
	fsmb_wcur_u8(w, 0);			/* Reserved */
	fsmb_wcur_le32(w, 0);			/* DataLength, set at the end */
	fsmb_wcur_le32(w, 0);			/* DataRemaining */
	fsmb_wcur_le32(w, 0);			/* Flags */
	return fsmb_wcur_take(w, max);
}

void smb2_read_rsp_end(struct fsmb_wcur *w, size_t start, size_t nread,
		       u32 remaining)
{
	fsmb_wcur_le32_at(w, start + 4, nread);
	fsmb_wcur_le32_at(w, start + 8, remaining);
	if (!w->err && start + SMB2_READ_RSP_FIXED + nread <= w->pos)
		w->pos = start + SMB2_READ_RSP_FIXED + nread;
	else
		w->err = true;
}

void smb2_rsp_discard(struct fsmb_wcur *w, size_t start)
{
	if (start <= w->pos)
		w->pos = start;
}

int smb2_write_req_decode(struct fsmb_cur *in, struct smb2_write_req *req)
{
	u16 data_off;

	if (smb2_body_start(in, SMB2_WRITE_REQ_SIZE))
		return -EINVAL;
	data_off = fsmb_cur_le16(in);
	req->length = fsmb_cur_le32(in);
	req->offset = fsmb_cur_le64(in);
	smb2_file_id_decode(in, &req->fid);
	req->channel = fsmb_cur_le32(in);
	fsmb_cur_skip(in, 8);	/* RemainingBytes, WriteChannelInfo{Offset,Length} */
	req->flags = fsmb_cur_le32(in);
	if (!fsmb_cur_ok(in))
		return -EINVAL;
	fsmb_cur_sub(in, data_off, req->length, &req->data);
	return fsmb_cur_ok(in) ? 0 : -EINVAL;
}

void smb2_write_rsp_encode(struct fsmb_wcur *w, u32 count)
{
	fsmb_wcur_le16(w, SMB2_WRITE_RSP_SIZE);
	fsmb_wcur_le16(w, 0);			/* Reserved */
	fsmb_wcur_le32(w, count);
	fsmb_wcur_le32(w, 0);			/* Remaining */
	fsmb_wcur_le16(w, 0);			/* WriteChannelInfoOffset */
	fsmb_wcur_le16(w, 0);			/* WriteChannelInfoLength */
}

int smb2_flush_req_decode(struct fsmb_cur *in, struct smb2_file_id *fid)
{
	if (smb2_body_start(in, SMB2_FLUSH_REQ_SIZE))
		return -EINVAL;
	fsmb_cur_skip(in, 6);			/* Reserved1, Reserved2 */
	smb2_file_id_decode(in, fid);
	return fsmb_cur_ok(in) ? 0 : -EINVAL;
}

void smb2_flush_rsp_encode(struct fsmb_wcur *w)
{
	fsmb_wcur_le16(w, SMB2_FLUSH_RSP_SIZE);
	fsmb_wcur_le16(w, 0);
}

int smb2_close_req_decode(struct fsmb_cur *in, struct smb2_close_req *req)
{
	if (smb2_body_start(in, SMB2_CLOSE_REQ_SIZE))
		return -EINVAL;
	req->flags = fsmb_cur_le16(in);
	fsmb_cur_skip(in, 4);			/* Reserved */
	smb2_file_id_decode(in, &req->fid);
	return fsmb_cur_ok(in) ? 0 : -EINVAL;
}

void smb2_close_rsp_encode(struct fsmb_wcur *w,
			   const struct smb2_file_times *t)
{
	fsmb_wcur_le16(w, SMB2_CLOSE_RSP_SIZE);
	fsmb_wcur_le16(w, t ? SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB : 0);
	fsmb_wcur_le32(w, 0);			/* Reserved */
	if (!t) {
		fsmb_wcur_zero(w, 52);
		return;
	}
	fsmb_wcur_le64(w, t->creation_time);
	fsmb_wcur_le64(w, t->access_time);
	fsmb_wcur_le64(w, t->write_time);
	fsmb_wcur_le64(w, t->change_time);
	fsmb_wcur_le64(w, t->alloc_size);
	fsmb_wcur_le64(w, t->eof);
	fsmb_wcur_le32(w, t->attributes);
}

// SPDX-License-Identifier: GPL-2.0
/* SMB2 IOCTL codec. */
#include "smb2_ioctl.h"

int smb2_ioctl_req_decode(struct fsmb_cur *in, struct smb2_ioctl_req *req)
{
	u32 in_off, in_len;

	if (smb2_body_start(in, SMB2_IOCTL_REQ_SIZE))
		return -EINVAL;
	fsmb_cur_skip(in, 2);			/* Reserved */
	req->ctl_code = fsmb_cur_le32(in);
	smb2_file_id_decode(in, &req->fid);
	in_off = fsmb_cur_le32(in);
	in_len = fsmb_cur_le32(in);
	req->max_input = fsmb_cur_le32(in);
	/* The output buffer of a request carries nothing fsmb uses. */
	fsmb_cur_skip(in, 8);
	req->max_output = fsmb_cur_le32(in);
	req->flags = fsmb_cur_le32(in);
	fsmb_cur_skip(in, 4);			/* Reserved2 */
	if (!fsmb_cur_ok(in))
		return -EINVAL;
	fsmb_cur_sub(in, in_off, in_len, &req->input);
	return fsmb_cur_ok(in) ? 0 : -EINVAL;
}

u8 *smb2_ioctl_rsp_begin(struct fsmb_wcur *out, const struct smb2_ioctl_req *req,
			 size_t max)
{
	size_t data_off = out->pos + SMB2_IOCTL_RSP_FIXED;

	fsmb_wcur_le16(out, SMB2_IOCTL_RSP_SIZE);
	fsmb_wcur_le16(out, 0);			/* Reserved */
	fsmb_wcur_le32(out, req->ctl_code);
	fsmb_wcur_le64(out, req->fid.persistent);
	fsmb_wcur_le64(out, req->fid.volatile_id);
	/* No input is echoed: InputOffset points where the output starts. */
	fsmb_wcur_le32(out, data_off);		/* InputOffset */
	fsmb_wcur_le32(out, 0);			/* InputCount */
	fsmb_wcur_le32(out, data_off);		/* OutputOffset */
	fsmb_wcur_le32(out, 0);			/* OutputCount, set at the end */
	fsmb_wcur_le32(out, 0);			/* Flags */
	fsmb_wcur_le32(out, 0);			/* Reserved2 */
	return fsmb_wcur_take(out, max);
}

void smb2_ioctl_rsp_end(struct fsmb_wcur *out, size_t start, size_t used)
{
	fsmb_wcur_le32_at(out, start + 36, used);
	if (!out->err && start + SMB2_IOCTL_RSP_FIXED + used <= out->pos)
		out->pos = start + SMB2_IOCTL_RSP_FIXED + used;
	else
		out->err = true;
}

int smb2_validate_neg_decode(struct fsmb_cur *c,
			     struct smb2_validate_neg_req *req)
{
	req->capabilities = fsmb_cur_le32(c);
	fsmb_cur_copy(c, req->guid, 16);
	req->security_mode = fsmb_cur_le16(c);
	req->dialect_count = fsmb_cur_le16(c);
	if (!fsmb_cur_ok(c) || !req->dialect_count)
		return -EINVAL;
	fsmb_cur_sub(c, c->pos, (size_t)req->dialect_count * 2, &req->dialects);
	return fsmb_cur_ok(c) ? 0 : -EINVAL;
}

void smb2_validate_neg_encode(struct fsmb_wcur *w,
			      const struct smb2_validate_neg_rsp *rsp)
{
	fsmb_wcur_le32(w, rsp->capabilities);
	fsmb_wcur_bytes(w, rsp->guid, 16);
	fsmb_wcur_le16(w, rsp->security_mode);
	fsmb_wcur_le16(w, rsp->dialect);
}

int smb2_zero_data_decode(struct fsmb_cur *c, u64 *offset, u64 *beyond)
{
	*offset = fsmb_cur_le64(c);
	*beyond = fsmb_cur_le64(c);
	return fsmb_cur_ok(c) ? 0 : -EINVAL;
}

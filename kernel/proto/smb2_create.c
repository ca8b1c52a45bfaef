// SPDX-License-Identifier: GPL-2.0
/* SMB2 CREATE codec and create-context chain parser. */
#include "smb2_create.h"

#define CTX_HDR_SIZE	16
#define CTX_MXAC_RSP	32	/* header, "MxAc" + 4 pad, status + access */
#define CTX_QFID_RSP	56	/* header, "QFid" + 4 pad, 32 bytes of ids */

int smb2_create_req_decode(struct fsmb_cur *in, struct smb2_create_req *req)
{
	u16 name_off, name_len;
	u32 ctx_off, ctx_len;

	if (smb2_body_start(in, SMB2_CREATE_REQ_SIZE))
		return -EINVAL;
	fsmb_cur_skip(in, 1);			/* SecurityFlags */
	req->oplock_level = fsmb_cur_u8(in);
	req->impersonation = fsmb_cur_le32(in);
	fsmb_cur_skip(in, 16);			/* SmbCreateFlags, Reserved */
	req->desired_access = fsmb_cur_le32(in);
	req->file_attributes = fsmb_cur_le32(in);
	req->share_access = fsmb_cur_le32(in);
	req->disposition = fsmb_cur_le32(in);
	req->options = fsmb_cur_le32(in);
	name_off = fsmb_cur_le16(in);
	name_len = fsmb_cur_le16(in);
	ctx_off = fsmb_cur_le32(in);
	ctx_len = fsmb_cur_le32(in);
	if (!fsmb_cur_ok(in))
		return -EINVAL;
	fsmb_cur_sub(in, name_off, name_len, &req->name);
	fsmb_cur_sub(in, ctx_off, ctx_len, &req->contexts);
	return fsmb_cur_ok(in) ? 0 : -EINVAL;
}

static int ctx_known(u32 tag, struct fsmb_cur *data,
		     struct smb2_create_ctx *ctx)
{
	size_t len = fsmb_cur_remaining(data);

	switch (tag) {
	case SMB2_CTX_MXAC:
		/* Empty, or a timestamp we have no use for. */
		if (len != 0 && len != 8)
			return -EINVAL;
		ctx->mxac = true;
		break;
	case SMB2_CTX_QFID:
		ctx->qfid = true;
		break;
	case SMB2_CTX_ALSI:
		if (len != 8)
			return -EINVAL;
		ctx->alloc_size = fsmb_cur_le64(data);
		ctx->alloc_size_set = true;
		break;
	case SMB2_CTX_TWRP:
		if (len != 8)
			return -EINVAL;
		ctx->timewarp = true;
		break;
	}
	return 0;
}

int smb2_create_ctx_parse(const struct fsmb_cur *chain,
			  struct smb2_create_ctx *ctx)
{
	struct fsmb_cur c = *chain;
	size_t off = 0, total = fsmb_cur_remaining(&c);

	memset(ctx, 0, sizeof(*ctx));
	if (!fsmb_cur_ok(&c))
		return -EINVAL;
	while (off < total) {
		struct fsmb_cur entry, name, data;
		u32 next, data_len, tag = 0;
		u16 name_off, name_len, data_off;
		size_t len;

		fsmb_cur_seek(&c, off);
		next = fsmb_cur_le32(&c);
		name_off = fsmb_cur_le16(&c);
		name_len = fsmb_cur_le16(&c);
		fsmb_cur_skip(&c, 2);		/* Reserved */
		data_off = fsmb_cur_le16(&c);
		data_len = fsmb_cur_le32(&c);
		if (!fsmb_cur_ok(&c))
			return -EINVAL;

		len = next ? next : total - off;
		if (next && (next % 8 || next < CTX_HDR_SIZE ||
			     next > total - off))
			return -EINVAL;
		fsmb_cur_sub(&c, off, len, &entry);

		if (name_len < 4 || name_off < CTX_HDR_SIZE)
			return -EINVAL;
		fsmb_cur_sub(&entry, name_off, name_len, &name);
		if (data_len) {
			if (data_off < CTX_HDR_SIZE || data_off % 8)
				return -EINVAL;
			fsmb_cur_sub(&entry, data_off, data_len, &data);
		} else {
			fsmb_cur_init(&data, NULL, 0);
		}
		if (!fsmb_cur_ok(&entry))
			return -EINVAL;

		/* Tags are 4 bytes; longer names are GUIDs fsmb ignores. */
		if (name_len == 4)
			tag = fsmb_cur_be32(&name);
		if (ctx_known(tag, &data, ctx))
			return -EINVAL;

		if (!next)
			break;
		off += next;
	}
	return 0;
}

size_t smb2_create_rsp_size(const struct smb2_create_rsp *rsp)
{
	size_t n = SMB2_CREATE_RSP_FIXED;

	if (rsp->mxac)
		n += CTX_MXAC_RSP;
	if (rsp->qfid)
		n += CTX_QFID_RSP;
	return n;
}

static void ctx_header(struct fsmb_wcur *w, u32 next, u32 tag, u32 data_len)
{
	fsmb_wcur_le32(w, next);
	fsmb_wcur_le16(w, CTX_HDR_SIZE);	/* NameOffset */
	fsmb_wcur_le16(w, 4);			/* NameLength */
	fsmb_wcur_le16(w, 0);			/* Reserved */
	fsmb_wcur_le16(w, CTX_HDR_SIZE + 8);	/* DataOffset */
	fsmb_wcur_le32(w, data_len);
	fsmb_wcur_be32(w, tag);
	fsmb_wcur_zero(w, 4);			/* pad the data to 8 */
}

void smb2_create_rsp_encode(struct fsmb_wcur *w,
			    const struct smb2_create_rsp *rsp)
{
	size_t ctx_len = smb2_create_rsp_size(rsp) - SMB2_CREATE_RSP_FIXED;
	size_t ctx_off = w->pos + SMB2_CREATE_RSP_FIXED;

	fsmb_wcur_le16(w, SMB2_CREATE_RSP_SIZE);
	fsmb_wcur_u8(w, rsp->oplock_level);
	fsmb_wcur_u8(w, 0);			/* Flags */
	fsmb_wcur_le32(w, rsp->action);
	fsmb_wcur_le64(w, rsp->creation_time);
	fsmb_wcur_le64(w, rsp->access_time);
	fsmb_wcur_le64(w, rsp->write_time);
	fsmb_wcur_le64(w, rsp->change_time);
	fsmb_wcur_le64(w, rsp->alloc_size);
	fsmb_wcur_le64(w, rsp->eof);
	fsmb_wcur_le32(w, rsp->attributes);
	fsmb_wcur_le32(w, 0);			/* Reserved2 */
	fsmb_wcur_le64(w, rsp->persistent_id);
	fsmb_wcur_le64(w, rsp->volatile_id);
	fsmb_wcur_le32(w, ctx_len ? ctx_off : 0);
	fsmb_wcur_le32(w, ctx_len);

	if (rsp->mxac) {
		ctx_header(w, rsp->qfid ? CTX_MXAC_RSP : 0, SMB2_CTX_MXAC, 8);
		fsmb_wcur_le32(w, rsp->mxac_status);
		fsmb_wcur_le32(w, rsp->maximal_access);
	}
	if (rsp->qfid) {
		ctx_header(w, 0, SMB2_CTX_QFID, 32);
		fsmb_wcur_le64(w, rsp->disk_file_id);
		fsmb_wcur_le64(w, rsp->volume_id);
		fsmb_wcur_zero(w, 16);		/* Reserved */
	}
}

// SPDX-License-Identifier: GPL-2.0
/* SMB2 TREE_CONNECT codec. */
#include "smb2_tree.h"

#define UTF16_BACKSLASH	0x005C
#define UTF16_SLASH	0x002F

int smb2_tree_connect_req_decode(struct fsmb_cur *c,
				 struct smb2_tree_connect_req *r)
{
	u16 path_off, path_len;

	if (smb2_body_start(c, SMB2_TREE_CONNECT_REQ_SIZE))
		return -EINVAL;
	r->flags = fsmb_cur_le16(c);
	path_off = fsmb_cur_le16(c);
	path_len = fsmb_cur_le16(c);
	fsmb_cur_sub(c, path_off, path_len, &r->path);
	return fsmb_cur_ok(c) ? 0 : -EINVAL;
}

int smb2_tree_share_name(const struct fsmb_cur *path, struct fsmb_cur *share)
{
	struct fsmb_cur p = *path;
	size_t start;
	bool server = false;
	u16 ch;

	fsmb_cur_seek(&p, 0);
	if (p.len % 2 || fsmb_cur_le16(&p) != UTF16_BACKSLASH ||
	    fsmb_cur_le16(&p) != UTF16_BACKSLASH)
		return -EINVAL;
	for (;;) {
		ch = fsmb_cur_le16(&p);
		if (!fsmb_cur_ok(&p) || ch == 0 || ch == UTF16_SLASH)
			return -EINVAL;
		if (ch == UTF16_BACKSLASH)
			break;
		server = true;
	}
	if (!server)
		return -EINVAL;

	start = p.pos;
	while (fsmb_cur_remaining(&p)) {
		ch = fsmb_cur_le16(&p);
		if (ch == 0 || ch == UTF16_BACKSLASH || ch == UTF16_SLASH)
			return -EINVAL;
	}
	if (p.pos == start)
		return -EINVAL;
	fsmb_cur_sub(&p, start, p.pos - start, share);
	return fsmb_cur_ok(&p) ? 0 : -EINVAL;
}

void smb2_tree_connect_rsp_encode(struct fsmb_wcur *w,
				  const struct smb2_tree_connect_rsp *r)
{
	fsmb_wcur_le16(w, SMB2_TREE_CONNECT_RSP_SIZE);
	fsmb_wcur_u8(w, r->share_type);
	fsmb_wcur_u8(w, 0);			/* Reserved */
	fsmb_wcur_le32(w, r->share_flags);
	fsmb_wcur_le32(w, r->capabilities);
	fsmb_wcur_le32(w, r->maximal_access);
}

// SPDX-License-Identifier: GPL-2.0
/* SMB2 QUERY_DIRECTORY codec and directory entry encoders. */
#include "smb2_dir.h"
#include "utf16.h"

int smb2_query_dir_req_decode(struct fsmb_cur *in,
			      struct smb2_query_dir_req *req)
{
	u16 name_off, name_len;

	if (smb2_body_start(in, SMB2_QUERY_DIR_REQ_SIZE))
		return -EINVAL;
	req->info_class = fsmb_cur_u8(in);
	req->flags = fsmb_cur_u8(in);
	req->file_index = fsmb_cur_le32(in);
	smb2_file_id_decode(in, &req->fid);
	name_off = fsmb_cur_le16(in);
	name_len = fsmb_cur_le16(in);
	req->out_len = fsmb_cur_le32(in);
	if (!fsmb_cur_ok(in))
		return -EINVAL;
	fsmb_cur_sub(in, name_off, name_len, &req->pattern);
	return fsmb_cur_ok(in) ? 0 : -EINVAL;
}

size_t smb2_dirent_fixed_size(u8 info_class)
{
	switch (info_class) {
	case FILE_DIRECTORY_INFORMATION:
		return 64;
	case FILE_FULL_DIRECTORY_INFORMATION:
		return 68;
	case FILE_ID_FULL_DIRECTORY_INFORMATION:
		return 80;
	case FILE_BOTH_DIRECTORY_INFORMATION:
		return 94;
	case FILE_ID_BOTH_DIRECTORY_INFORMATION:
		return 104;
	case FILE_NAMES_INFORMATION:
		return 12;
	}
	return 0;
}

void smb2_query_dir_rsp_begin(struct fsmb_wcur *out, struct smb2_dir_buf *buf,
			      u8 info_class, size_t max)
{
	u8 *p;

	fsmb_wcur_le16(out, SMB2_QUERY_DIR_RSP_SIZE);
	fsmb_wcur_le16(out, out->pos + 6);	/* OutputBufferOffset: 72 */
	fsmb_wcur_le32(out, 0);			/* OutputBufferLength */
	p = fsmb_wcur_take(out, max);
	fsmb_wcur_init(&buf->w, p, p ? max : 0);
	buf->w.err = !p;
	buf->info_class = info_class;
	buf->last = 0;
	buf->count = 0;
}

void smb2_query_dir_rsp_end(struct fsmb_wcur *out, size_t start,
			    const struct smb2_dir_buf *buf)
{
	size_t used = buf->w.err ? 0 : buf->w.pos;

	fsmb_wcur_le32_at(out, start + 4, used);
	if (!out->err && start + SMB2_QUERY_DIR_RSP_FIXED + used <= out->pos)
		out->pos = start + SMB2_QUERY_DIR_RSP_FIXED + used;
	else
		out->err = true;
}

/* Everything up to FileName, with FileNameLength @name_bytes. */
static void dirent_fixed(struct fsmb_wcur *w, u8 info_class,
			 const struct smb2_dirent *d, u32 name_bytes)
{
	fsmb_wcur_le32(w, 0);			/* NextEntryOffset */
	/* FileIndex: meaningless outside FAT, but clients may show it. */
	fsmb_wcur_le32(w, (u32)d->file_id);
	if (info_class == FILE_NAMES_INFORMATION) {
		fsmb_wcur_le32(w, name_bytes);
		return;
	}
	fsmb_wcur_le64(w, d->creation_time);
	fsmb_wcur_le64(w, d->access_time);
	fsmb_wcur_le64(w, d->write_time);
	fsmb_wcur_le64(w, d->change_time);
	fsmb_wcur_le64(w, d->eof);
	fsmb_wcur_le64(w, d->alloc_size);
	fsmb_wcur_le32(w, d->attributes);
	fsmb_wcur_le32(w, name_bytes);
	if (info_class == FILE_DIRECTORY_INFORMATION)
		return;
	fsmb_wcur_le32(w, 0);			/* EaSize */
	switch (info_class) {
	case FILE_ID_FULL_DIRECTORY_INFORMATION:
		fsmb_wcur_le32(w, 0);		/* Reserved */
		fsmb_wcur_le64(w, d->file_id);
		break;
	case FILE_BOTH_DIRECTORY_INFORMATION:
	case FILE_ID_BOTH_DIRECTORY_INFORMATION:
		/* No 8.3 names: ShortNameLength 0, ShortName zeroed. */
		fsmb_wcur_zero(w, 2 + 24);
		if (info_class == FILE_ID_BOTH_DIRECTORY_INFORMATION) {
			fsmb_wcur_le16(w, 0);	/* Reserved2 */
			fsmb_wcur_le64(w, d->file_id);
		}
		break;
	}
}

/* Pad to the next entry and link the previous one to it. */
static size_t dirent_start(struct smb2_dir_buf *buf)
{
	size_t at = buf->count ? ALIGN(buf->w.pos, 8) : 0;

	if (buf->count) {
		fsmb_wcur_zero(&buf->w, at - buf->w.pos);
		fsmb_wcur_le32_at(&buf->w, buf->last, at - buf->last);
	}
	return at;
}

int smb2_dirent_add(struct smb2_dir_buf *buf, const struct smb2_dirent *d)
{
	size_t fixed = smb2_dirent_fixed_size(buf->info_class);
	int name_bytes = fsmb_utf8_utf16_len(d->name, d->name_len);
	size_t at;

	if (name_bytes < 0)
		return -EINVAL;
	if (buf->w.err || !fixed)
		return -ENOSPC;
	at = buf->count ? ALIGN(buf->w.pos, 8) : 0;
	if (at > buf->w.cap || fixed + name_bytes > buf->w.cap - at)
		return -ENOSPC;
	at = dirent_start(buf);
	dirent_fixed(&buf->w, buf->info_class, d, name_bytes);
	fsmb_utf8_to_utf16(d->name, d->name_len, &buf->w);
	buf->last = at;
	buf->count++;
	return 0;
}

void smb2_dirent_add_partial(struct smb2_dir_buf *buf,
			     const struct smb2_dirent *d)
{
	size_t fixed = smb2_dirent_fixed_size(buf->info_class);
	int name_bytes = fsmb_utf8_utf16_len(d->name, d->name_len);

	if (name_bytes < 0 || buf->count || !fixed ||
	    fsmb_wcur_room(&buf->w) < fixed)
		return;
	dirent_fixed(&buf->w, buf->info_class, d, name_bytes);
	fsmb_utf8_to_utf16_trunc(d->name, d->name_len, &buf->w,
				 fsmb_wcur_room(&buf->w) & ~(size_t)1);
	buf->count++;
}

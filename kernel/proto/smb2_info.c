// SPDX-License-Identifier: GPL-2.0
/* SMB2 QUERY_INFO / SET_INFO codecs and information class encoders. */
#include "smb2_info.h"
#include "utf16.h"

int smb2_query_info_req_decode(struct fsmb_cur *in,
			       struct smb2_query_info_req *req)
{
	u16 in_off;
	u32 in_len;

	if (smb2_body_start(in, SMB2_QUERY_INFO_REQ_SIZE))
		return -EINVAL;
	req->info_type = fsmb_cur_u8(in);
	req->info_class = fsmb_cur_u8(in);
	req->out_len = fsmb_cur_le32(in);
	in_off = fsmb_cur_le16(in);
	fsmb_cur_skip(in, 2);			/* Reserved */
	in_len = fsmb_cur_le32(in);
	req->addl_info = fsmb_cur_le32(in);
	req->flags = fsmb_cur_le32(in);
	smb2_file_id_decode(in, &req->fid);
	if (!fsmb_cur_ok(in))
		return -EINVAL;
	fsmb_cur_sub(in, in_off, in_len, &req->input);
	return fsmb_cur_ok(in) ? 0 : -EINVAL;
}

int smb2_set_info_req_decode(struct fsmb_cur *in,
			     struct smb2_set_info_req *req)
{
	u32 len;
	u16 off;

	if (smb2_body_start(in, SMB2_SET_INFO_REQ_SIZE))
		return -EINVAL;
	req->info_type = fsmb_cur_u8(in);
	req->info_class = fsmb_cur_u8(in);
	len = fsmb_cur_le32(in);
	off = fsmb_cur_le16(in);
	fsmb_cur_skip(in, 2);			/* Reserved */
	req->addl_info = fsmb_cur_le32(in);
	smb2_file_id_decode(in, &req->fid);
	if (!fsmb_cur_ok(in))
		return -EINVAL;
	fsmb_cur_sub(in, off, len, &req->buf);
	return fsmb_cur_ok(in) ? 0 : -EINVAL;
}

void smb2_set_info_rsp_encode(struct fsmb_wcur *w)
{
	fsmb_wcur_le16(w, SMB2_SET_INFO_RSP_SIZE);
}

void smb2_query_info_rsp_begin(struct fsmb_wcur *out, struct fsmb_wcur *buf,
			       size_t max)
{
	u8 *p;

	fsmb_wcur_le16(out, SMB2_QUERY_INFO_RSP_SIZE);
	fsmb_wcur_le16(out, out->pos + 6);	/* OutputBufferOffset: 72 */
	fsmb_wcur_le32(out, 0);			/* OutputBufferLength */
	p = fsmb_wcur_take(out, max);
	fsmb_wcur_init(buf, p, p ? max : 0);
	buf->err = !p;
}

void smb2_query_info_rsp_end(struct fsmb_wcur *out, size_t start,
			     const struct fsmb_wcur *buf)
{
	size_t used = buf->err ? 0 : buf->pos;

	fsmb_wcur_le32_at(out, start + 4, used);
	if (!out->err && start + SMB2_QUERY_INFO_RSP_FIXED + used <= out->pos)
		out->pos = start + SMB2_QUERY_INFO_RSP_FIXED + used;
	else
		out->err = true;
}

void smb2_error_rsp_u32(struct fsmb_wcur *w, u32 value)
{
	fsmb_wcur_le16(w, SMB2_ERROR_BODY_SIZE);
	fsmb_wcur_u8(w, 0);			/* ErrorContextCount */
	fsmb_wcur_u8(w, 0);			/* Reserved */
	fsmb_wcur_le32(w, 4);			/* ByteCount */
	fsmb_wcur_le32(w, value);
}

static void put_basic(struct fsmb_wcur *w, const struct smb2_file_times *t)
{
	fsmb_wcur_le64(w, t->creation_time);
	fsmb_wcur_le64(w, t->access_time);
	fsmb_wcur_le64(w, t->write_time);
	fsmb_wcur_le64(w, t->change_time);
	fsmb_wcur_le32(w, t->attributes);
	fsmb_wcur_le32(w, 0);			/* Reserved */
}

static void put_standard(struct fsmb_wcur *w, const struct smb2_file_info *fi)
{
	fsmb_wcur_le64(w, fi->t.alloc_size);
	fsmb_wcur_le64(w, fi->t.eof);
	fsmb_wcur_le32(w, fi->nlink);
	fsmb_wcur_u8(w, fi->delete_pending);
	fsmb_wcur_u8(w, fi->is_dir);
	fsmb_wcur_le16(w, 0);			/* Reserved */
}

/*
 * FileNameLength + FileName, as much of the name as @room allows. Returns
 * STATUS_BUFFER_OVERFLOW when it was cut.
 */
static u32 put_name(struct fsmb_wcur *w, const char *name, size_t len,
		    size_t room)
{
	int bytes = fsmb_utf8_utf16_len(name, len);
	size_t n;

	if (bytes < 0)
		bytes = 0;
	fsmb_wcur_le32(w, bytes);
	n = fsmb_utf8_to_utf16_trunc(name, len, w, (room - 4) & ~(size_t)1);
	return n < (size_t)bytes ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

#define FILE_ALL_INFO_FIXED	100	/* up to NameInformation.FileName */
#define STREAM_ENTRY_FIXED	24

static const char data_stream[] = "::$DATA";

static size_t file_info_min(u8 info_class)
{
	switch (info_class) {
	case FILE_BASIC_INFORMATION:
		return 40;
	case FILE_STANDARD_INFORMATION:
		return 24;
	case FILE_INTERNAL_INFORMATION:
	case FILE_POSITION_INFORMATION:
	case FILE_ATTRIBUTE_TAG_INFORMATION:
		return 8;
	case FILE_EA_INFORMATION:
	case FILE_ACCESS_INFORMATION:
	case FILE_MODE_INFORMATION:
	case FILE_ALIGNMENT_INFORMATION:
		return 4;
	case FILE_NETWORK_OPEN_INFORMATION:
		return 56;
	case FILE_COMPRESSION_INFORMATION:
		return 16;
	case FILE_ID_INFORMATION:
		return 24;
	case FILE_ALL_INFORMATION:
		return FILE_ALL_INFO_FIXED;
	case FILE_NAME_INFORMATION:
	case FILE_NORMALIZED_NAME_INFORMATION:
		return 8;		/* [MS-FSA]: BlockAlign(4 + 2, 4) */
	case FILE_STREAM_INFORMATION:
		return STREAM_ENTRY_FIXED;
	}
	return 0;
}

u32 smb2_file_info_encode(struct fsmb_wcur *w, u8 info_class,
			  const struct smb2_file_info *fi, size_t max)
{
	size_t min = file_info_min(info_class);
	size_t room = fsmb_wcur_room(w);

	if (!min)
		return STATUS_INVALID_INFO_CLASS;
	if (max > room)
		max = room;
	if (max < min)
		return STATUS_INFO_LENGTH_MISMATCH;

	switch (info_class) {
	case FILE_BASIC_INFORMATION:
		put_basic(w, &fi->t);
		break;
	case FILE_STANDARD_INFORMATION:
		put_standard(w, fi);
		break;
	case FILE_INTERNAL_INFORMATION:
		fsmb_wcur_le64(w, fi->file_id);
		break;
	case FILE_EA_INFORMATION:
		fsmb_wcur_le32(w, 0);
		break;
	case FILE_ACCESS_INFORMATION:
		fsmb_wcur_le32(w, fi->access_flags);
		break;
	case FILE_POSITION_INFORMATION:
		fsmb_wcur_le64(w, fi->position);
		break;
	case FILE_MODE_INFORMATION:
		fsmb_wcur_le32(w, fi->mode);
		break;
	case FILE_ALIGNMENT_INFORMATION:
		fsmb_wcur_le32(w, 0);		/* FILE_BYTE_ALIGNMENT */
		break;
	case FILE_ATTRIBUTE_TAG_INFORMATION:
		fsmb_wcur_le32(w, fi->t.attributes);
		fsmb_wcur_le32(w, 0);		/* ReparseTag */
		break;
	case FILE_NETWORK_OPEN_INFORMATION:
		fsmb_wcur_le64(w, fi->t.creation_time);
		fsmb_wcur_le64(w, fi->t.access_time);
		fsmb_wcur_le64(w, fi->t.write_time);
		fsmb_wcur_le64(w, fi->t.change_time);
		fsmb_wcur_le64(w, fi->t.alloc_size);
		fsmb_wcur_le64(w, fi->t.eof);
		fsmb_wcur_le32(w, fi->t.attributes);
		fsmb_wcur_le32(w, 0);
		break;
	case FILE_COMPRESSION_INFORMATION:
		fsmb_wcur_le64(w, fi->t.eof);	/* CompressedFileSize */
		fsmb_wcur_le16(w, 0);		/* COMPRESSION_FORMAT_NONE */
		fsmb_wcur_zero(w, 6);		/* shifts, Reserved */
		break;
	case FILE_ID_INFORMATION:
		fsmb_wcur_le64(w, fi->volume_id);
		fsmb_wcur_le64(w, fi->file_id);
		fsmb_wcur_le64(w, 0);
		break;
	case FILE_ALL_INFORMATION:
		put_basic(w, &fi->t);
		put_standard(w, fi);
		fsmb_wcur_le64(w, fi->file_id);
		fsmb_wcur_le32(w, 0);		/* EaSize */
		fsmb_wcur_le32(w, fi->access_flags);
		fsmb_wcur_le64(w, fi->position);
		fsmb_wcur_le32(w, fi->mode);
		fsmb_wcur_le32(w, 0);		/* AlignmentRequirement */
		return put_name(w, fi->name, fi->name_len, max - 96);
	case FILE_NAME_INFORMATION:
	case FILE_NORMALIZED_NAME_INFORMATION:
		return put_name(w, fi->name, fi->name_len, max);
	case FILE_STREAM_INFORMATION: {
		size_t n = sizeof(data_stream) - 1;

		if (!fi->has_stream)
			break;
		fsmb_wcur_le32(w, 0);		/* NextEntryOffset */
		fsmb_wcur_le32(w, n * 2);	/* StreamNameLength */
		fsmb_wcur_le64(w, fi->stream_size);
		fsmb_wcur_le64(w, fi->stream_alloc);
		if (fsmb_utf8_to_utf16_trunc(data_stream, n, w,
					     (max - STREAM_ENTRY_FIXED) & ~1UL)
		    < n * 2)
			return STATUS_BUFFER_OVERFLOW;
		break;
	}
	}
	return STATUS_SUCCESS;
}

static size_t fs_info_min(u8 info_class)
{
	switch (info_class) {
	case FS_VOLUME_INFORMATION:
		return 18;		/* up to VolumeLabel */
	case FS_SIZE_INFORMATION:
		return 24;
	case FS_DEVICE_INFORMATION:
		return 8;
	case FS_ATTRIBUTE_INFORMATION:
		return 12;		/* up to FileSystemName */
	case FS_FULL_SIZE_INFORMATION:
		return 32;
	case FS_SECTOR_SIZE_INFORMATION:
		return 28;
	case FS_OBJECT_ID_INFORMATION:
		return 64;
	}
	return 0;
}

/* Flags of FileFsSectorSizeInformation */
#define SSINFO_FLAGS_ALIGNED_DEVICE		0x00000001
#define SSINFO_FLAGS_PARTITION_ALIGNED_ON_DEVICE 0x00000002

u32 smb2_fs_info_encode(struct fsmb_wcur *w, u8 info_class,
			const struct smb2_fs_info *fs, size_t max)
{
	size_t min = fs_info_min(info_class);
	size_t room = fsmb_wcur_room(w), n;
	int bytes;

	if (!min)
		return STATUS_INVALID_INFO_CLASS;
	if (max > room)
		max = room;
	if (max < min)
		return STATUS_INFO_LENGTH_MISMATCH;

	switch (info_class) {
	case FS_VOLUME_INFORMATION:
		bytes = fsmb_utf8_utf16_len(fs->label, fs->label_len);
		if (bytes < 0)
			bytes = 0;
		fsmb_wcur_le64(w, fs->creation_time);
		fsmb_wcur_le32(w, fs->serial);
		fsmb_wcur_le32(w, bytes);
		fsmb_wcur_u8(w, 0);		/* SupportsObjects */
		fsmb_wcur_u8(w, 0);		/* Reserved */
		n = fsmb_utf8_to_utf16_trunc(fs->label, fs->label_len, w,
					     (max - min) & ~(size_t)1);
		return n < (size_t)bytes ? STATUS_BUFFER_OVERFLOW :
					   STATUS_SUCCESS;
	case FS_SIZE_INFORMATION:
		fsmb_wcur_le64(w, fs->total_units);
		fsmb_wcur_le64(w, fs->avail_units);
		fsmb_wcur_le32(w, fs->sectors_per_unit);
		fsmb_wcur_le32(w, fs->bytes_per_sector);
		break;
	case FS_DEVICE_INFORMATION:
		fsmb_wcur_le32(w, FILE_DEVICE_DISK);
		fsmb_wcur_le32(w, fs->device_characteristics);
		break;
	case FS_ATTRIBUTE_INFORMATION:
		bytes = fsmb_utf8_utf16_len(fs->fs_name, fs->fs_name_len);
		if (bytes < 0)
			bytes = 0;
		fsmb_wcur_le32(w, fs->fs_attributes);
		fsmb_wcur_le32(w, fs->max_name_len);
		fsmb_wcur_le32(w, bytes);
		n = fsmb_utf8_to_utf16_trunc(fs->fs_name, fs->fs_name_len, w,
					     (max - min) & ~(size_t)1);
		return n < (size_t)bytes ? STATUS_BUFFER_OVERFLOW :
					   STATUS_SUCCESS;
	case FS_FULL_SIZE_INFORMATION:
		fsmb_wcur_le64(w, fs->total_units);
		fsmb_wcur_le64(w, fs->avail_units);
		fsmb_wcur_le64(w, fs->free_units);
		fsmb_wcur_le32(w, fs->sectors_per_unit);
		fsmb_wcur_le32(w, fs->bytes_per_sector);
		break;
	case FS_SECTOR_SIZE_INFORMATION:
		fsmb_wcur_le32(w, fs->bytes_per_sector);
		fsmb_wcur_le32(w, fs->bytes_per_sector);
		fsmb_wcur_le32(w, fs->bytes_per_sector);
		fsmb_wcur_le32(w, fs->bytes_per_sector);
		fsmb_wcur_le32(w, SSINFO_FLAGS_ALIGNED_DEVICE |
			       SSINFO_FLAGS_PARTITION_ALIGNED_ON_DEVICE);
		fsmb_wcur_le32(w, 0);
		fsmb_wcur_le32(w, 0);
		break;
	case FS_OBJECT_ID_INFORMATION:
		fsmb_wcur_bytes(w, fs->object_id, 16);
		fsmb_wcur_zero(w, 48);		/* ExtendedInfo */
		break;
	}
	return STATUS_SUCCESS;
}

/* Security descriptors ([MS-DTYP] 2.4.2, 2.4.4, 2.4.5, 2.4.6). */
#define SD_HDR_SIZE		20
#define SID_UNIX_SIZE		16	/* S-1-22-x-id: two sub-authorities */
#define SID_WORLD_SIZE		12	/* S-1-1-0 */
#define ACL_HDR_SIZE		8
#define ACE_HDR_SIZE		8	/* type, flags, size, mask */
#define SE_DACL_PRESENT		0x0004
#define SE_SELF_RELATIVE	0x8000
#define ACCESS_ALLOWED_ACE_TYPE	0x00

static size_t dacl_size(void)
{
	return ACL_HDR_SIZE + 2 * (ACE_HDR_SIZE + SID_UNIX_SIZE) +
	       ACE_HDR_SIZE + SID_WORLD_SIZE;
}

size_t smb2_sd_size(u32 addl_info)
{
	size_t n = SD_HDR_SIZE;

	if (addl_info & OWNER_SECURITY_INFORMATION)
		n += SID_UNIX_SIZE;
	if (addl_info & GROUP_SECURITY_INFORMATION)
		n += SID_UNIX_SIZE;
	if (addl_info & DACL_SECURITY_INFORMATION)
		n += dacl_size();
	return n;
}

/* Samba's "Unix User" (S-1-22-1) and "Unix Group" (S-1-22-2) domains. */
static void put_unix_sid(struct fsmb_wcur *w, u32 kind, u32 id)
{
	static const u8 nt_auth22[6] = { 0, 0, 0, 0, 0, 22 };

	fsmb_wcur_u8(w, 1);			/* Revision */
	fsmb_wcur_u8(w, 2);			/* SubAuthorityCount */
	fsmb_wcur_bytes(w, nt_auth22, 6);
	fsmb_wcur_le32(w, kind);
	fsmb_wcur_le32(w, id);
}

static void put_world_sid(struct fsmb_wcur *w)
{
	static const u8 world_auth[6] = { 0, 0, 0, 0, 0, 1 };

	fsmb_wcur_u8(w, 1);
	fsmb_wcur_u8(w, 1);
	fsmb_wcur_bytes(w, world_auth, 6);
	fsmb_wcur_le32(w, 0);
}

static u32 rwx_to_mask(u32 rwx, bool is_dir)
{
	u32 mask = FILE_READ_ATTRIBUTES | READ_CONTROL | SYNCHRONIZE;

	if (rwx & 4)
		mask |= FILE_GENERIC_READ;
	if (rwx & 2) {
		mask |= FILE_GENERIC_WRITE;
		if (is_dir)
			mask |= FILE_DELETE_CHILD;
	}
	if (rwx & 1)
		mask |= FILE_GENERIC_EXECUTE;
	return mask;
}

static void put_ace(struct fsmb_wcur *w, u32 mask, size_t sid_size)
{
	fsmb_wcur_u8(w, ACCESS_ALLOWED_ACE_TYPE);
	fsmb_wcur_u8(w, 0);			/* AceFlags */
	fsmb_wcur_le16(w, ACE_HDR_SIZE + sid_size);
	fsmb_wcur_le32(w, mask);
}

void smb2_sd_encode(struct fsmb_wcur *w, u32 addl_info,
		    const struct smb2_unix_owner *o)
{
	size_t off = SD_HDR_SIZE, owner = 0, group = 0, dacl = 0;
	u16 control = SE_SELF_RELATIVE;
	u32 owner_mask;

	if (addl_info & OWNER_SECURITY_INFORMATION) {
		owner = off;
		off += SID_UNIX_SIZE;
	}
	if (addl_info & GROUP_SECURITY_INFORMATION) {
		group = off;
		off += SID_UNIX_SIZE;
	}
	if (addl_info & DACL_SECURITY_INFORMATION) {
		dacl = off;
		control |= SE_DACL_PRESENT;
	}

	fsmb_wcur_u8(w, 1);			/* Revision */
	fsmb_wcur_u8(w, 0);			/* Sbz1 */
	fsmb_wcur_le16(w, control);
	fsmb_wcur_le32(w, owner);
	fsmb_wcur_le32(w, group);
	fsmb_wcur_le32(w, 0);			/* OffsetSacl */
	fsmb_wcur_le32(w, dacl);
	if (owner)
		put_unix_sid(w, 1, o->uid);
	if (group)
		put_unix_sid(w, 2, o->gid);
	if (!dacl)
		return;

	fsmb_wcur_u8(w, 2);			/* AclRevision */
	fsmb_wcur_u8(w, 0);
	fsmb_wcur_le16(w, dacl_size());
	fsmb_wcur_le16(w, 3);			/* AceCount */
	fsmb_wcur_le16(w, 0);
	/* The owner may always change the permissions and attributes. */
	owner_mask = rwx_to_mask(o->mode >> 6 & 7, o->is_dir) | WRITE_DAC |
		     WRITE_OWNER | FILE_WRITE_ATTRIBUTES;
	put_ace(w, owner_mask, SID_UNIX_SIZE);
	put_unix_sid(w, 1, o->uid);
	put_ace(w, rwx_to_mask(o->mode >> 3 & 7, o->is_dir), SID_UNIX_SIZE);
	put_unix_sid(w, 2, o->gid);
	put_ace(w, rwx_to_mask(o->mode & 7, o->is_dir), SID_WORLD_SIZE);
	put_world_sid(w);
}

u32 smb2_basic_info_decode(struct fsmb_cur *c, struct smb2_basic_info *bi)
{
	/* 40 bytes on the wire; the trailing Reserved is optional. */
	if (fsmb_cur_remaining(c) < 36)
		return STATUS_INFO_LENGTH_MISMATCH;
	bi->creation_time = fsmb_cur_le64(c);
	bi->access_time = fsmb_cur_le64(c);
	bi->write_time = fsmb_cur_le64(c);
	bi->change_time = fsmb_cur_le64(c);
	bi->attributes = fsmb_cur_le32(c);
	return fsmb_cur_ok(c) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

u32 smb2_rename_info_decode(struct fsmb_cur *c, struct smb2_rename_info *ri)
{
	u32 len;

	/* The SMB2 form ([MS-FSCC] 2.4.42.2): RootDirectory is 8 bytes. */
	if (fsmb_cur_remaining(c) < 20)
		return STATUS_INFO_LENGTH_MISMATCH;
	ri->replace = fsmb_cur_u8(c);
	fsmb_cur_skip(c, 7);
	ri->root_dir = fsmb_cur_le64(c);
	len = fsmb_cur_le32(c);
	fsmb_cur_sub(c, c->pos, len, &ri->name);
	if (!fsmb_cur_ok(c) || !len)
		return STATUS_INVALID_PARAMETER;
	return STATUS_SUCCESS;
}

u32 smb2_info_u64_decode(struct fsmb_cur *c, size_t size, u64 *v)
{
	if (fsmb_cur_remaining(c) < size)
		return STATUS_INFO_LENGTH_MISMATCH;
	switch (size) {
	case 1:
		*v = fsmb_cur_u8(c);
		break;
	case 4:
		*v = fsmb_cur_le32(c);
		break;
	default:
		*v = fsmb_cur_le64(c);
		break;
	}
	return STATUS_SUCCESS;
}

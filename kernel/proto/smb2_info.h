/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SMB2 QUERY_INFO / SET_INFO ([MS-SMB2] 2.2.37-40), the file and file
 * system information classes of [MS-FSCC] 2.4-2.5, and a self-relative
 * security descriptor ([MS-DTYP] 2.4.6) built from unix ownership.
 */
#ifndef FSMB_PROTO_SMB2_INFO_H
#define FSMB_PROTO_SMB2_INFO_H

#include "smb2_io.h"

#define SMB2_QUERY_INFO_REQ_SIZE	41
#define SMB2_QUERY_INFO_RSP_SIZE	9
#define SMB2_QUERY_INFO_RSP_FIXED	8
#define SMB2_SET_INFO_REQ_SIZE		33
#define SMB2_SET_INFO_RSP_SIZE		2

/* AdditionalInformation for SMB2_0_INFO_SECURITY */
#define OWNER_SECURITY_INFORMATION	0x00000001
#define GROUP_SECURITY_INFORMATION	0x00000002
#define DACL_SECURITY_INFORMATION	0x00000004
#define SACL_SECURITY_INFORMATION	0x00000008

/* FileFsAttributeInformation.FileSystemAttributes */
#define FILE_CASE_SENSITIVE_SEARCH	0x00000001
#define FILE_CASE_PRESERVED_NAMES	0x00000002
#define FILE_UNICODE_ON_DISK		0x00000004
#define FILE_PERSISTENT_ACLS		0x00000008
#define FILE_SUPPORTS_SPARSE_FILES	0x00000040
#define FILE_READ_ONLY_VOLUME		0x00080000

/* FileFsDeviceInformation */
#define FILE_DEVICE_DISK		0x00000007
#define FILE_READ_ONLY_DEVICE		0x00000002
#define FILE_DEVICE_IS_MOUNTED		0x00000020

/* FileDispositionInformationEx flags */
#define FILE_DISPOSITION_DELETE		0x00000001

struct smb2_query_info_req {
	u8 info_type;
	u8 info_class;
	u32 out_len;
	u32 addl_info;
	u32 flags;
	struct smb2_file_id fid;
	struct fsmb_cur input;
};

int smb2_query_info_req_decode(struct fsmb_cur *in,
			       struct smb2_query_info_req *req);

struct smb2_set_info_req {
	u8 info_type;
	u8 info_class;
	u32 addl_info;
	struct smb2_file_id fid;
	struct fsmb_cur buf;
};

int smb2_set_info_req_decode(struct fsmb_cur *in,
			     struct smb2_set_info_req *req);
void smb2_set_info_rsp_encode(struct fsmb_wcur *w);

/*
 * QUERY_INFO response: the fixed part at @out, then @buf set up over the
 * next @max bytes (which @out must have room for); _end() records how
 * much of @buf was used and ends @out there.
 */
void smb2_query_info_rsp_begin(struct fsmb_wcur *out, struct fsmb_wcur *buf,
			       size_t max);
void smb2_query_info_rsp_end(struct fsmb_wcur *out, size_t start,
			     const struct fsmb_wcur *buf);

/* An SMB2 ERROR body carrying one u32 (e.g. the size BUFFER_TOO_SMALL wants). */
void smb2_error_rsp_u32(struct fsmb_wcur *w, u32 value);

/* What the file information classes report. */
struct smb2_file_info {
	struct smb2_file_times t;
	u32 nlink;
	bool delete_pending;
	bool is_dir;
	u64 file_id;
	u64 volume_id;
	u32 access_flags;
	u64 position;
	u32 mode;
	const char *name;	/* UTF-8, as the class shows it */
	size_t name_len;
	u64 stream_size;	/* FileStreamInformation: "::$DATA" */
	u64 stream_alloc;
	bool has_stream;	/* false for directories */
};

/*
 * Encode @info_class into @w, at most @max bytes. Returns STATUS_SUCCESS,
 * STATUS_BUFFER_OVERFLOW (a variable-length class cut short, as much as
 * fits written), STATUS_INFO_LENGTH_MISMATCH (@max below the class's
 * minimum, nothing written) or STATUS_INVALID_INFO_CLASS.
 */
u32 smb2_file_info_encode(struct fsmb_wcur *w, u8 info_class,
			  const struct smb2_file_info *fi, size_t max);

struct smb2_fs_info {
	u64 total_units;
	u64 avail_units;
	u64 free_units;
	u32 sectors_per_unit;
	u32 bytes_per_sector;
	u64 creation_time;
	u32 serial;
	const char *label;	/* UTF-8 */
	size_t label_len;
	u32 fs_attributes;
	u32 max_name_len;
	const char *fs_name;	/* UTF-8 */
	size_t fs_name_len;
	u32 device_characteristics;
	u8 object_id[16];
};

/* As smb2_file_info_encode(), for the file system classes. */
u32 smb2_fs_info_encode(struct fsmb_wcur *w, u8 info_class,
			const struct smb2_fs_info *fs, size_t max);

/* The unix view a security descriptor is derived from. */
struct smb2_unix_owner {
	u32 uid;
	u32 gid;
	u32 mode;		/* permission bits */
	bool is_dir;
};

/* Size of the descriptor smb2_sd_encode() writes for @addl_info. */
size_t smb2_sd_size(u32 addl_info);

/*
 * A self-relative descriptor: owner S-1-22-1-uid, group S-1-22-2-gid and
 * a DACL granting owner, group and Everyone what the mode bits give them,
 * each part only when @addl_info asks for it.
 */
void smb2_sd_encode(struct fsmb_wcur *w, u32 addl_info,
		    const struct smb2_unix_owner *o);

/* SET_INFO buffers. Each returns STATUS_SUCCESS or the status to answer. */
struct smb2_basic_info {
	u64 creation_time;
	u64 access_time;
	u64 write_time;
	u64 change_time;
	u32 attributes;
};

u32 smb2_basic_info_decode(struct fsmb_cur *c, struct smb2_basic_info *bi);

struct smb2_rename_info {
	bool replace;
	u64 root_dir;
	struct fsmb_cur name;	/* UTF-16LE */
};

u32 smb2_rename_info_decode(struct fsmb_cur *c, struct smb2_rename_info *ri);

/* A fixed-size little-endian value of @size bytes (1, 4 or 8). */
u32 smb2_info_u64_decode(struct fsmb_cur *c, size_t size, u64 *v);

#endif /* FSMB_PROTO_SMB2_INFO_H */

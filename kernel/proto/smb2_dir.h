/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SMB2 QUERY_DIRECTORY ([MS-SMB2] 2.2.33-34) and the directory entry
 * layouts of [MS-FSCC] 2.4 it returns.
 */
#ifndef FSMB_PROTO_SMB2_DIR_H
#define FSMB_PROTO_SMB2_DIR_H

#include "smb2_io.h"

#define SMB2_QUERY_DIR_REQ_SIZE		33
#define SMB2_QUERY_DIR_RSP_SIZE		9
#define SMB2_QUERY_DIR_RSP_FIXED	8

struct smb2_query_dir_req {
	u8 info_class;
	u8 flags;
	u32 file_index;
	struct smb2_file_id fid;
	struct fsmb_cur pattern;	/* UTF-16LE */
	u32 out_len;			/* OutputBufferLength */
};

int smb2_query_dir_req_decode(struct fsmb_cur *in,
			      struct smb2_query_dir_req *req);

/* One directory entry, as the encoders need it. */
struct smb2_dirent {
	u64 file_id;			/* inode number */
	u64 creation_time;
	u64 access_time;
	u64 write_time;
	u64 change_time;
	u64 eof;
	u64 alloc_size;
	u32 attributes;
	const char *name;		/* UTF-8, validated by the caller */
	size_t name_len;
};

/*
 * Size of the fixed part of an entry of @info_class (the offset of its
 * FileName), or 0 for a class fsmb does not list.
 */
size_t smb2_dirent_fixed_size(u8 info_class);

/*
 * Output buffer of a QUERY_DIRECTORY response being filled. Entries are
 * placed 8-byte aligned from the start of the buffer; each one's
 * NextEntryOffset is set when the next one is added.
 */
struct smb2_dir_buf {
	struct fsmb_wcur w;		/* over the output buffer only */
	u8 info_class;
	size_t last;			/* offset of the last entry */
	unsigned int count;
};

/*
 * Write the response's fixed part at @out (base: response header) and set
 * @buf up over the next @max bytes, which @out must already have room for.
 */
void smb2_query_dir_rsp_begin(struct fsmb_wcur *out, struct smb2_dir_buf *buf,
			      u8 info_class, size_t max);
/* Patch in the output buffer's length; @out then ends after the entries. */
void smb2_query_dir_rsp_end(struct fsmb_wcur *out, size_t start,
			    const struct smb2_dir_buf *buf);

/*
 * Append one entry. Returns 0; -ENOSPC when the whole entry does not fit
 * (nothing written); -EINVAL when the name is not valid UTF-8.
 */
int smb2_dirent_add(struct smb2_dir_buf *buf, const struct smb2_dirent *d);

/*
 * For a first entry that does not fit whole ([MS-FSA] 2.1.5.6.3): write
 * as much of the name as fits (FileNameLength still gives all of it).
 * The caller answers STATUS_BUFFER_OVERFLOW.
 */
void smb2_dirent_add_partial(struct smb2_dir_buf *buf,
			     const struct smb2_dirent *d);

#endif /* FSMB_PROTO_SMB2_DIR_H */

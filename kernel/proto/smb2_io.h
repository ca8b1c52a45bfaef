/* SPDX-License-Identifier: GPL-2.0 */
/* SMB2 READ, WRITE, FLUSH and CLOSE codecs ([MS-SMB2] 2.2.15-22). */
#ifndef FSMB_PROTO_SMB2_IO_H
#define FSMB_PROTO_SMB2_IO_H

#include "smb2.h"

#define SMB2_READ_REQ_SIZE	49
#define SMB2_READ_RSP_SIZE	17
#define SMB2_READ_RSP_FIXED	16
#define SMB2_WRITE_REQ_SIZE	49
#define SMB2_WRITE_RSP_SIZE	17
#define SMB2_FLUSH_REQ_SIZE	24
#define SMB2_FLUSH_RSP_SIZE	4
#define SMB2_CLOSE_REQ_SIZE	24
#define SMB2_CLOSE_RSP_SIZE	60

struct smb2_file_id {
	u64 persistent;
	u64 volatile_id;
};

struct smb2_read_req {
	u8 flags;
	u32 length;
	u64 offset;
	struct smb2_file_id fid;
	u32 min_count;
	u32 channel;
};

int smb2_read_req_decode(struct fsmb_cur *in, struct smb2_read_req *req);

/*
 * Start a READ response at @w (base: response header): the fixed part,
 * then room for @max data bytes, returned for the caller to fill (NULL
 * if @w is too small). smb2_read_rsp_end() then records how many bytes
 * were read and drops the unused room. @start is w->pos before begin.
 */
u8 *smb2_read_rsp_begin(struct fsmb_wcur *w, size_t max);
void smb2_read_rsp_end(struct fsmb_wcur *w, size_t start, size_t nread,
		       u32 remaining);

/*
 * Drop what was written to @w since @start (a response begun and then
 * abandoned for an error status, which gets the ERROR body instead).
 */
void smb2_rsp_discard(struct fsmb_wcur *w, size_t start);

struct smb2_write_req {
	u32 length;
	u64 offset;
	struct smb2_file_id fid;
	u32 channel;
	u32 flags;
	struct fsmb_cur data;		/* exactly @length bytes */
};

/* -EINVAL when the data does not lie inside the message. */
int smb2_write_req_decode(struct fsmb_cur *in, struct smb2_write_req *req);
void smb2_write_rsp_encode(struct fsmb_wcur *w, u32 count);

int smb2_flush_req_decode(struct fsmb_cur *in, struct smb2_file_id *fid);
void smb2_flush_rsp_encode(struct fsmb_wcur *w);

/* The attributes a CLOSE (POSTQUERY_ATTRIB) and a CREATE report. */
struct smb2_file_times {
	u64 creation_time;
	u64 access_time;
	u64 write_time;
	u64 change_time;
	u64 alloc_size;
	u64 eof;
	u32 attributes;
};

struct smb2_close_req {
	u16 flags;
	struct smb2_file_id fid;
};

int smb2_close_req_decode(struct fsmb_cur *in, struct smb2_close_req *req);
/* @t NULL: no POSTQUERY_ATTRIB, every attribute field zero. */
void smb2_close_rsp_encode(struct fsmb_wcur *w,
			   const struct smb2_file_times *t);

/* A FileId as it appears in requests (persistent, then volatile). */
static inline void smb2_file_id_decode(struct fsmb_cur *c,
				       struct smb2_file_id *fid)
{
	fid->persistent = fsmb_cur_le64(c);
	fid->volatile_id = fsmb_cur_le64(c);
}

#endif /* FSMB_PROTO_SMB2_IO_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * SMB2 READ, WRITE, FLUSH and CLOSE ([MS-SMB2] 3.3.5.10-13): regular files
 * through kernel_read()/kernel_write() straight into and out of the
 * message buffers, named pipes through the daemon.
 */
#include <linux/fs.h>
#include <linux/file.h>

#include "open.h"
#include "vfs.h"
#include "proto/path.h"
#include "proto/smb2_io.h"

/*
 * The largest file NTFS can hold (16 TiB - 64 KiB). Windows refuses a write
 * starting there and answers DISK_FULL for one that would reach it.
 */
#define FSMB_MAX_FILE_SIZE	0xFFFFFFF0000ULL

static u32 read_pipe(struct fsmb_work *w, struct fsmb_open *op,
		     const struct smb2_read_req *req)
{
	size_t max = min_t(size_t, req->length, FSMB_MAX_PIPE_DATA), n, start;
	u32 status;
	u8 *buf;

	if (!(op->granted_access & FILE_READ_DATA))
		return STATUS_ACCESS_DENIED;
	if (fsmb_work_reserve(w, SMB2_READ_RSP_FIXED + max))
		return STATUS_NO_MEMORY;
	start = w->out.pos;
	buf = smb2_read_rsp_begin(&w->out, max);
	if (!buf)
		return STATUS_INTERNAL_ERROR;
	status = fsmb_pipe_read(op->pipe_id, buf, max, &n);
	if (status != STATUS_SUCCESS && status != STATUS_BUFFER_OVERFLOW) {
		smb2_rsp_discard(&w->out, start);
		return status;
	}
	smb2_read_rsp_end(&w->out, start, n, 0);
	return status;
}

static u32 read_file(struct fsmb_work *w, struct fsmb_open *op,
		     const struct smb2_read_req *req)
{
	struct file *filp = op->filp;
	size_t len = req->length, total = 0, start;
	loff_t pos = req->offset;
	const struct cred *old;
	ssize_t n = 0;
	u8 *buf;

	if (op->is_dir)
		return STATUS_INVALID_DEVICE_REQUEST;
	if (!(op->granted_access & (FILE_READ_DATA | FILE_EXECUTE)) ||
	    !(filp->f_mode & FMODE_READ))
		return STATUS_ACCESS_DENIED;
	if (req->offset > S64_MAX || len > S64_MAX - req->offset)
		return STATUS_INVALID_PARAMETER;

	if (fsmb_work_reserve(w, SMB2_READ_RSP_FIXED + len))
		return STATUS_NO_MEMORY;
	start = w->out.pos;
	buf = smb2_read_rsp_begin(&w->out, len);
	if (!buf)
		return STATUS_INTERNAL_ERROR;
	old = fsmb_vfs_begin(w);
	if (!old) {
		smb2_rsp_discard(&w->out, start);
		return STATUS_ACCESS_DENIED;
	}
	while (total < len) {
		n = kernel_read(filp, buf + total, len - total, &pos);
		if (n <= 0)
			break;
		total += n;
	}
	fsmb_vfs_end(old);
	if (n < 0 && !total) {
		smb2_rsp_discard(&w->out, start);
		return fsmb_errno_to_status(n);
	}
	/* Nothing at all, or less than the client said it could use. */
	if ((len && !total) || total < req->min_count) {
		smb2_rsp_discard(&w->out, start);
		return STATUS_END_OF_FILE;
	}
	smb2_read_rsp_end(&w->out, start, total, 0);
	/* FilePositionInformation reports where the last read ended. */
	filp->f_pos = pos;
	return STATUS_SUCCESS;
}

u32 fsmb_smb2_read(struct fsmb_work *w)
{
	struct smb2_read_req req;
	struct fsmb_open *op;
	u32 status;

	if (smb2_read_req_decode(&w->in, &req))
		return STATUS_INVALID_PARAMETER;
	if (req.length > FSMB_MAX_IO || req.channel != SMB2_CHANNEL_NONE)
		return STATUS_INVALID_PARAMETER;
	op = fsmb_open_lookup(w, req.fid.persistent, req.fid.volatile_id);
	if (!op)
		return STATUS_FILE_CLOSED;
	if (op->filp)
		status = read_file(w, op, &req);
	else
		status = read_pipe(w, op, &req);
	fsmb_open_put(op);
	return status;
}

static u32 write_file(struct fsmb_work *w, struct fsmb_open *op,
		      const struct smb2_write_req *req, const u8 *data)
{
	struct file *filp = op->filp;
	size_t len = req->length, total = 0;
	loff_t pos = req->offset;
	const struct cred *old;
	ssize_t n = 0;
	int err;

	if (op->is_dir)
		return STATUS_INVALID_DEVICE_REQUEST;
	if (!(op->granted_access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) ||
	    !(filp->f_mode & FMODE_WRITE))
		return STATUS_ACCESS_DENIED;
	/* Append-only access writes at the end, whatever the offset says. */
	if (!(op->granted_access & FILE_WRITE_DATA))
		pos = i_size_read(file_inode(filp));
	else if (req->offset > S64_MAX)
		return STATUS_INVALID_PARAMETER;
	if (!len)
		return STATUS_SUCCESS;
	if (pos >= FSMB_MAX_FILE_SIZE)
		return STATUS_INVALID_PARAMETER;
	if (len >= FSMB_MAX_FILE_SIZE - pos)
		return STATUS_DISK_FULL;

	old = fsmb_vfs_begin(w);
	if (!old)
		return STATUS_ACCESS_DENIED;
	while (total < len) {
		n = kernel_write(filp, data + total, len - total, &pos);
		if (n <= 0)
			break;
		total += n;
	}
	if (total && ((req->flags & SMB2_WRITEFLAG_WRITE_THROUGH) ||
		      (op->create_options & FILE_WRITE_THROUGH))) {
		err = fsmb_vfs_fsync(filp, pos - total, pos - 1);
		if (err)
			n = err;
	}
	fsmb_vfs_end(old);
	if (n < 0 && total < len)
		return fsmb_errno_to_status(n);
	if (!total)
		return STATUS_DISK_FULL;
	filp->f_pos = pos;
	smb2_write_rsp_encode(&w->out, total);
	return STATUS_SUCCESS;
}

u32 fsmb_smb2_write(struct fsmb_work *w)
{
	struct smb2_write_req req;
	struct fsmb_open *op;
	const u8 *data;
	u32 status;

	if (smb2_write_req_decode(&w->in, &req))
		return STATUS_INVALID_PARAMETER;
	if (req.length > FSMB_MAX_IO || req.channel != SMB2_CHANNEL_NONE)
		return STATUS_INVALID_PARAMETER;
	data = fsmb_cur_take(&req.data, req.length);
	if (fsmb_work_reserve(w, SMB2_WRITE_RSP_SIZE))
		return STATUS_NO_MEMORY;
	op = fsmb_open_lookup(w, req.fid.persistent, req.fid.volatile_id);
	if (!op)
		return STATUS_FILE_CLOSED;
	if (op->filp) {
		status = write_file(w, op, &req, data);
		if (status == STATUS_SUCCESS && !req.length)
			smb2_write_rsp_encode(&w->out, 0);
	} else if (!(op->granted_access & FILE_WRITE_DATA)) {
		status = STATUS_ACCESS_DENIED;
	} else {
		status = fsmb_pipe_write(op->pipe_id, data, req.length);
		if (status == STATUS_SUCCESS)
			smb2_write_rsp_encode(&w->out, req.length);
	}
	fsmb_open_put(op);
	return status;
}

u32 fsmb_smb2_flush(struct fsmb_work *w)
{
	struct smb2_file_id fid;
	const struct cred *old;
	struct fsmb_open *op;
	u32 status = STATUS_SUCCESS;
	int err;

	if (smb2_flush_req_decode(&w->in, &fid))
		return STATUS_INVALID_PARAMETER;
	op = fsmb_open_lookup(w, fid.persistent, fid.volatile_id);
	if (!op)
		return STATUS_FILE_CLOSED;
	if (!(op->granted_access & (FILE_WRITE_DATA | FILE_APPEND_DATA))) {
		status = STATUS_ACCESS_DENIED;
	} else if (op->filp && !(op->filp->f_mode & FMODE_PATH)) {
		old = fsmb_vfs_begin(w);
		if (old) {
			err = fsmb_vfs_fsync(op->filp, 0, LLONG_MAX);
			fsmb_vfs_end(old);
			status = fsmb_errno_to_status(err);
		} else {
			status = STATUS_ACCESS_DENIED;
		}
	}
	fsmb_open_put(op);
	if (status)
		return status;
	if (fsmb_work_reserve(w, SMB2_FLUSH_RSP_SIZE))
		return STATUS_NO_MEMORY;
	smb2_flush_rsp_encode(&w->out);
	return STATUS_SUCCESS;
}

u32 fsmb_smb2_close(struct fsmb_work *w)
{
	struct smb2_file_times t, *tp = NULL;
	struct smb2_close_req req;
	const struct cred *old;
	struct fsmb_dosattrib da;
	struct fsmb_open *op;
	struct kstat st;

	if (smb2_close_req_decode(&w->in, &req))
		return STATUS_INVALID_PARAMETER;
	if (fsmb_work_reserve(w, SMB2_CLOSE_RSP_SIZE))
		return STATUS_NO_MEMORY;
	op = fsmb_open_lookup(w, req.fid.persistent, req.fid.volatile_id);
	if (!op)
		return STATUS_FILE_CLOSED;
	/* The attributes as they are before a delete-on-close removes it. */
	if ((req.flags & SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB) && op->filp) {
		old = fsmb_vfs_begin(w);
		if (old) {
			if (!fsmb_vfs_stat(&op->filp->f_path, &st, &da)) {
				fsmb_vfs_smb_times(&st, &da,
						   fsmb_path_basename(op->path),
						   &t);
				tp = &t;
			}
			fsmb_vfs_end(old);
		}
	}
	fsmb_open_close(w->sess, op);
	fsmb_open_put(op);
	smb2_close_rsp_encode(&w->out, tp);
	return STATUS_SUCCESS;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * SMB2 IOCTL ([MS-SMB2] 3.3.5.15): the FSCTLs clients depend on. Named
 * pipe transactions go to the daemon; VALIDATE_NEGOTIATE_INFO protects
 * 3.0/3.0.2 negotiation against downgrade; the rest answer the way a
 * Windows server without the feature does.
 */
#include <linux/fs.h>
#include <linux/falloc.h>

#include "open.h"
#include "vfs.h"
#include "proto/smb2_ioctl.h"

/*
 * The highest dialect both the server's range and @dialects contain, or 0.
 * 2.??? (the SMB1 negotiate wildcard) is never in this list.
 */
static u16 common_dialect(struct fsmb_cur *dialects)
{
	u16 best = 0, d;

	while (fsmb_cur_remaining(dialects) >= 2) {
		d = fsmb_cur_le16(dialects);
		if (d >= fsmb_srv.min_dialect && d <= fsmb_srv.max_dialect &&
		    d != SMB2_DIALECT_WILDCARD && d > best)
			best = d;
	}
	return best;
}

static u32 validate_negotiate(struct fsmb_work *w,
			      const struct smb2_ioctl_req *req)
{
	struct fsmb_conn *conn = w->conn;
	struct smb2_validate_neg_req vreq;
	struct smb2_validate_neg_rsp vrsp;
	struct fsmb_cur in = req->input;
	struct fsmb_wcur vw;
	size_t start;
	u8 *out;

	/*
	 * [MS-SMB2] 3.3.5.15.12: 3.1.1 protects the negotiation with the
	 * preauth hash instead, and anything that does not match what was
	 * negotiated is a downgrade attempt: the connection is dropped.
	 */
	if (conn->dialect == SMB2_DIALECT_311 ||
	    req->max_output < SMB2_VALIDATE_NEG_RSP_SIZE ||
	    smb2_validate_neg_decode(&in, &vreq) ||
	    vreq.capabilities != conn->client_capabilities ||
	    vreq.security_mode != conn->client_security_mode ||
	    memcmp(vreq.guid, conn->client_guid, 16) ||
	    common_dialect(&vreq.dialects) != conn->dialect) {
		w->drop_conn = true;
		w->no_response = true;
		return STATUS_ACCESS_DENIED;
	}

	vrsp.capabilities = conn->server_capabilities;
	memcpy(vrsp.guid, fsmb_srv.guid, 16);
	vrsp.security_mode = conn->server_security_mode;
	vrsp.dialect = conn->dialect;
	if (fsmb_work_reserve(w, SMB2_IOCTL_RSP_FIXED +
			      SMB2_VALIDATE_NEG_RSP_SIZE))
		return STATUS_NO_MEMORY;
	start = w->out.pos;
	out = smb2_ioctl_rsp_begin(&w->out, req, SMB2_VALIDATE_NEG_RSP_SIZE);
	if (!out)
		return STATUS_INTERNAL_ERROR;
	fsmb_wcur_init(&vw, out, SMB2_VALIDATE_NEG_RSP_SIZE);
	smb2_validate_neg_encode(&vw, &vrsp);
	smb2_ioctl_rsp_end(&w->out, start, SMB2_VALIDATE_NEG_RSP_SIZE);
	return STATUS_SUCCESS;
}

static u32 pipe_transceive(struct fsmb_work *w, struct fsmb_open *op,
			   const struct smb2_ioctl_req *req)
{
	size_t max = min_t(size_t, req->max_output, FSMB_MAX_PIPE_DATA), n;
	struct fsmb_cur in = req->input;
	size_t in_len = fsmb_cur_remaining(&in);
	const u8 *data = fsmb_cur_take(&in, in_len);
	size_t start;
	u32 status;
	u8 *out;

	if (op->filp)
		return STATUS_INVALID_DEVICE_REQUEST;
	if (!(op->granted_access & FILE_READ_DATA) ||
	    !(op->granted_access & FILE_WRITE_DATA))
		return STATUS_ACCESS_DENIED;
	if (fsmb_work_reserve(w, SMB2_IOCTL_RSP_FIXED + max))
		return STATUS_NO_MEMORY;
	start = w->out.pos;
	out = smb2_ioctl_rsp_begin(&w->out, req, max);
	if (!out)
		return STATUS_INTERNAL_ERROR;
	status = fsmb_pipe_transceive(op->pipe_id, data, in_len, out, max, &n);
	if (status != STATUS_SUCCESS && status != STATUS_BUFFER_OVERFLOW) {
		smb2_rsp_discard(&w->out, start);
		return status;
	}
	smb2_ioctl_rsp_end(&w->out, start, n);
	return status;
}

/* An FSCTL that succeeds with no output. */
static u32 empty_response(struct fsmb_work *w, const struct smb2_ioctl_req *req)
{
	size_t start;

	if (fsmb_work_reserve(w, SMB2_IOCTL_RSP_FIXED))
		return STATUS_NO_MEMORY;
	start = w->out.pos;
	smb2_ioctl_rsp_begin(&w->out, req, 0);
	smb2_ioctl_rsp_end(&w->out, start, 0);
	return STATUS_SUCCESS;
}

static u32 set_zero_data(struct fsmb_work *w, struct fsmb_open *op,
			 const struct smb2_ioctl_req *req)
{
	struct fsmb_cur in = req->input;
	const struct cred *old;
	u64 off, end;
	int err;

	if (!op->filp || op->is_dir)
		return STATUS_INVALID_PARAMETER;
	if (!(op->granted_access & FILE_WRITE_DATA) ||
	    !(op->filp->f_mode & FMODE_WRITE))
		return STATUS_ACCESS_DENIED;
	if (smb2_zero_data_decode(&in, &off, &end) || off > end ||
	    end > S64_MAX)
		return STATUS_INVALID_PARAMETER;
	if (off == end)
		return empty_response(w, req);
	old = fsmb_vfs_begin(w);
	if (!old)
		return STATUS_ACCESS_DENIED;
	err = fsmb_vfs_fallocate(op->filp,
				 FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				 off, end - off);
	fsmb_vfs_end(old);
	if (err)
		return fsmb_errno_to_status(err);
	return empty_response(w, req);
}

static u32 file_fsctl(struct fsmb_work *w, const struct smb2_ioctl_req *req)
{
	struct fsmb_open *op;
	u32 status;

	op = fsmb_open_lookup(w, req->fid.persistent, req->fid.volatile_id);
	if (!op)
		return STATUS_FILE_CLOSED;
	switch (req->ctl_code) {
	case FSCTL_PIPE_TRANSCEIVE:
		status = pipe_transceive(w, op, req);
		break;
	case FSCTL_SET_ZERO_DATA:
		status = set_zero_data(w, op, req);
		break;
	case FSCTL_SET_SPARSE:
		/* Every Linux file can be sparse already. */
		if (!op->filp || op->is_dir)
			status = STATUS_INVALID_PARAMETER;
		else if (!(op->granted_access &
			   (FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES)))
			status = STATUS_ACCESS_DENIED;
		else
			status = empty_response(w, req);
		break;
	case FSCTL_GET_REPARSE_POINT:
		/* Symlinks are followed, never shown as reparse points. */
		status = STATUS_NOT_A_REPARSE_POINT;
		break;
	default:
		status = STATUS_INVALID_DEVICE_REQUEST;
		break;
	}
	fsmb_open_put(op);
	return status;
}

u32 fsmb_smb2_ioctl(struct fsmb_work *w)
{
	struct smb2_ioctl_req req;

	if (smb2_ioctl_req_decode(&w->in, &req))
		return STATUS_INVALID_PARAMETER;
	if (req.flags != SMB2_0_IOCTL_IS_FSCTL)
		return STATUS_NOT_SUPPORTED;
	if (req.max_output > FSMB_MAX_TRANS || req.max_input > FSMB_MAX_TRANS)
		return STATUS_INVALID_PARAMETER;

	switch (req.ctl_code) {
	case FSCTL_VALIDATE_NEGOTIATE_INFO:
		return validate_negotiate(w, &req);
	case FSCTL_DFS_GET_REFERRALS:
	case FSCTL_DFS_GET_REFERRALS_EX:
		/* Not a DFS server: cifs asks at mount and goes on. */
		return STATUS_NOT_FOUND;
	case FSCTL_QUERY_NETWORK_INTERFACE_INFO:
		/* No multichannel yet. */
		return STATUS_NOT_SUPPORTED;
	case FSCTL_SRV_REQUEST_RESUME_KEY:
		/* Server-side copy is not offered. */
		return STATUS_NOT_SUPPORTED;
	}
	return file_fsctl(w, &req);
}

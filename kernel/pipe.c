// SPDX-License-Identifier: GPL-2.0
/*
 * Named pipes on IPC$. The daemon serves the RPC behind each pipe; the
 * kernel only carries bytes, one FSMB_CMD_PIPE upcall per operation. The
 * kernel picks the pipe ids, so a daemon restart cannot make two opens
 * share one.
 */
#include <linux/atomic.h>

#include "open.h"
#include "upcall.h"

static atomic64_t fsmb_pipe_next_id = ATOMIC64_INIT(0);

static u32 upcall_errno_to_status(int err, bool open)
{
	switch (err) {
	case -ENOMEM:
		return STATUS_NO_MEMORY;
	case -EBUSY:
		return STATUS_INSUFFICIENT_RESOURCES;
	case -EINTR:
		return STATUS_CANCELLED;
	}
	/* No daemon, or one that does not answer. */
	return open ? STATUS_PIPE_NOT_AVAILABLE : STATUS_PIPE_BROKEN;
}

/* Build a PIPE request with the common attributes and room for @extra. */
static struct fsmb_upcall *pipe_request(u8 op, u64 pipe_id, size_t extra,
					int *err)
{
	struct fsmb_upcall *up;
	struct sk_buff *skb;

	up = fsmb_upcall_new(FSMB_CMD_PIPE, nla_total_size(sizeof(u8)) +
			     nla_total_size_64bit(sizeof(u64)) + extra);
	if (IS_ERR(up)) {
		*err = PTR_ERR(up);
		return NULL;
	}
	skb = fsmb_upcall_msg(up);
	if (nla_put_u8(skb, FSMB_A_PIPE_OP, op) ||
	    nla_put_u64_64bit(skb, FSMB_A_PIPE_ID, pipe_id, FSMB_A_UNSPEC)) {
		fsmb_upcall_abort(up);
		*err = -EMSGSIZE;
		return NULL;
	}
	return up;
}

/* Send @up and give back the reply's status (and the reply if wanted). */
static u32 pipe_call(struct fsmb_upcall *up, struct fsmb_reply **out,
		     bool open)
{
	struct fsmb_reply *reply;
	u32 status;
	int err;

	err = fsmb_upcall_call(up, &reply);
	if (err)
		return upcall_errno_to_status(err, open);
	status = fsmb_reply_status(reply);
	if (out && (status == STATUS_SUCCESS ||
		    status == STATUS_BUFFER_OVERFLOW)) {
		*out = reply;
		return status;
	}
	fsmb_reply_free(reply);
	return status;
}

u32 fsmb_pipe_open(struct fsmb_work *w, const char *name, u64 *pipe_id)
{
	const char *user = w->sess->user ? w->sess->user : "";
	struct fsmb_upcall *up;
	struct sk_buff *skb;
	u64 id = atomic64_inc_return(&fsmb_pipe_next_id);
	int err;

	up = pipe_request(FSMB_PIPE_OPEN, id, nla_total_size(strlen(name) + 1) +
			  nla_total_size(strlen(user) + 1), &err);
	if (!up)
		return upcall_errno_to_status(err, true);
	skb = fsmb_upcall_msg(up);
	if (nla_put_string(skb, FSMB_A_PIPE_NAME, name) ||
	    nla_put_string(skb, FSMB_A_USER_NAME, user)) {
		fsmb_upcall_abort(up);
		return STATUS_INTERNAL_ERROR;
	}
	*pipe_id = id;
	return pipe_call(up, NULL, true);
}

u32 fsmb_pipe_write(u64 pipe_id, const u8 *data, size_t len)
{
	struct fsmb_upcall *up;
	int err;

	if (len > FSMB_MAX_PIPE_DATA)
		return STATUS_INVALID_PARAMETER;
	up = pipe_request(FSMB_PIPE_WRITE, pipe_id, nla_total_size(len), &err);
	if (!up)
		return upcall_errno_to_status(err, false);
	if (nla_put(fsmb_upcall_msg(up), FSMB_A_DATA, len, data)) {
		fsmb_upcall_abort(up);
		return STATUS_INTERNAL_ERROR;
	}
	return pipe_call(up, NULL, false);
}

/*
 * Copy the reply's data out. A daemon that sends more than was asked for
 * is broken; its bytes never go past @max.
 */
static u32 pipe_data(struct fsmb_reply *reply, u32 status, u8 *buf,
		     size_t max, size_t *len)
{
	struct nlattr *data = reply->attrs[FSMB_A_DATA];
	size_t n = data ? nla_len(data) : 0;

	*len = 0;
	if (n > max) {
		fsmb_reply_free(reply);
		return STATUS_INTERNAL_ERROR;
	}
	if (n)
		memcpy(buf, nla_data(data), n);
	*len = n;
	if (reply->attrs[FSMB_A_MORE_DATA])
		status = STATUS_BUFFER_OVERFLOW;
	fsmb_reply_free(reply);
	return status;
}

u32 fsmb_pipe_read(u64 pipe_id, u8 *buf, size_t max, size_t *len)
{
	struct fsmb_reply *reply = NULL;
	struct fsmb_upcall *up;
	u32 status;
	int err;

	*len = 0;
	max = min_t(size_t, max, FSMB_MAX_PIPE_DATA);
	up = pipe_request(FSMB_PIPE_READ, pipe_id, nla_total_size(sizeof(u32)),
			  &err);
	if (!up)
		return upcall_errno_to_status(err, false);
	if (nla_put_u32(fsmb_upcall_msg(up), FSMB_A_MAX_OUT, max)) {
		fsmb_upcall_abort(up);
		return STATUS_INTERNAL_ERROR;
	}
	status = pipe_call(up, &reply, false);
	if (!reply)
		return status;
	return pipe_data(reply, status, buf, max, len);
}

u32 fsmb_pipe_transceive(u64 pipe_id, const u8 *in, size_t in_len,
			 u8 *buf, size_t max, size_t *len)
{
	struct fsmb_reply *reply = NULL;
	struct fsmb_upcall *up;
	u32 status;
	int err;

	*len = 0;
	if (in_len > FSMB_MAX_PIPE_DATA)
		return STATUS_INVALID_PARAMETER;
	max = min_t(size_t, max, FSMB_MAX_PIPE_DATA);
	up = pipe_request(FSMB_PIPE_TRANSCEIVE, pipe_id,
			  nla_total_size(in_len) + nla_total_size(sizeof(u32)),
			  &err);
	if (!up)
		return upcall_errno_to_status(err, false);
	if (nla_put(fsmb_upcall_msg(up), FSMB_A_DATA, in_len, in) ||
	    nla_put_u32(fsmb_upcall_msg(up), FSMB_A_MAX_OUT, max)) {
		fsmb_upcall_abort(up);
		return STATUS_INTERNAL_ERROR;
	}
	status = pipe_call(up, &reply, false);
	if (!reply)
		return status;
	return pipe_data(reply, status, buf, max, len);
}

void fsmb_pipe_close(u64 pipe_id)
{
	struct fsmb_upcall *up;
	int err;

	up = pipe_request(FSMB_PIPE_CLOSE, pipe_id, 0, &err);
	if (up)
		pipe_call(up, NULL, false);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel -> daemon requests. A request is visible in the table from the
 * moment it is sent until exactly one of the waiter (timeout), the reply
 * handler or fsmb_upcall_daemon_gone() takes it out, and everything those
 * three do to a request in the table happens under the table lock. So
 * once the waiter has removed it, or found it removed, nobody else can
 * reach it and it frees the request without a reference count: a late
 * reply finds no entry and gets -ENOENT.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "fsmb.h"
#include "upcall.h"

struct fsmb_upcall {
	u32 id;
	u8 reply_cmd;
	u32 portid;			/* the daemon it went to (table lock) */
	struct sk_buff *skb;
	void *hdr;
	struct completion done;
	int err;			/* set before done completes */
	struct fsmb_reply *reply;
};

/* id -> request; ids are reserved (NULL) from new() until sent. */
static DEFINE_XARRAY_ALLOC1(fsmb_upcalls);
static u32 fsmb_upcall_next_id;
static atomic_t fsmb_upcall_pending = ATOMIC_INIT(0);

void fsmb_reply_free(struct fsmb_reply *reply)
{
	if (!reply)
		return;
	kfree(reply->data);
	kfree(reply);
}

u32 fsmb_reply_status(const struct fsmb_reply *reply)
{
	const struct nlattr *a = reply->attrs[FSMB_A_STATUS];

	return a ? nla_get_u32(a) : STATUS_INTERNAL_ERROR;
}

static void fsmb_upcall_free(struct fsmb_upcall *up)
{
	kfree_skb(up->skb);
	fsmb_reply_free(up->reply);
	kfree(up);
	atomic_dec(&fsmb_upcall_pending);
}

struct fsmb_upcall *fsmb_upcall_new(u8 cmd, size_t size)
{
	struct fsmb_upcall *up;
	u8 reply_cmd;
	int err;

	switch (cmd) {
	case FSMB_CMD_LOGIN:
		reply_cmd = FSMB_CMD_LOGIN_REPLY;
		break;
	case FSMB_CMD_TREE:
		reply_cmd = FSMB_CMD_TREE_REPLY;
		break;
	case FSMB_CMD_PIPE:
		reply_cmd = FSMB_CMD_PIPE_REPLY;
		break;
	default:
		return ERR_PTR(-EINVAL);
	}
	if (!fsmb_daemon_portid())
		return ERR_PTR(-ENOTCONN);
	if (atomic_inc_return(&fsmb_upcall_pending) > FSMB_UPCALL_MAX_PENDING) {
		atomic_dec(&fsmb_upcall_pending);
		return ERR_PTR(-EBUSY);
	}

	err = -ENOMEM;
	up = kzalloc(sizeof(*up), GFP_KERNEL);
	if (!up)
		goto err_count;
	up->reply_cmd = reply_cmd;
	init_completion(&up->done);
	up->skb = genlmsg_new(size + nla_total_size_64bit(sizeof(u64)),
			      GFP_KERNEL);
	if (!up->skb)
		goto err_free;
	up->hdr = genlmsg_put(up->skb, 0, 0, &fsmb_genl_family, 0, cmd);
	if (!up->hdr)
		goto err_free;
	err = xa_alloc_cyclic(&fsmb_upcalls, &up->id, NULL, xa_limit_32b,
			      &fsmb_upcall_next_id, GFP_KERNEL);
	if (err < 0)
		goto err_free;
	err = nla_put_u64_64bit(up->skb, FSMB_A_REQ_ID, up->id, FSMB_A_UNSPEC);
	if (err) {
		xa_erase(&fsmb_upcalls, up->id);
		goto err_free;
	}
	return up;

err_free:
	kfree_skb(up->skb);
	kfree(up);
err_count:
	atomic_dec(&fsmb_upcall_pending);
	return ERR_PTR(err);
}

struct sk_buff *fsmb_upcall_msg(struct fsmb_upcall *up)
{
	return up->skb;
}

void fsmb_upcall_abort(struct fsmb_upcall *up)
{
	xa_erase(&fsmb_upcalls, up->id);
	fsmb_upcall_free(up);
}

/* Take @up out of the table if it is still there; true if we did. */
static bool fsmb_upcall_unlink(struct fsmb_upcall *up)
{
	bool ours;

	xa_lock(&fsmb_upcalls);
	ours = xa_load(&fsmb_upcalls, up->id) == up;
	if (ours)
		__xa_erase(&fsmb_upcalls, up->id);
	xa_unlock(&fsmb_upcalls);
	return ours;
}

int fsmb_upcall_call(struct fsmb_upcall *up, struct fsmb_reply **reply)
{
	unsigned long timeout;
	struct sk_buff *skb;
	u32 portid;
	long left;
	int err;

	*reply = NULL;
	genlmsg_end(up->skb, up->hdr);
	portid = fsmb_daemon_portid();
	if (!portid) {
		fsmb_upcall_abort(up);
		return -ENOTCONN;
	}

	xa_lock(&fsmb_upcalls);
	up->portid = portid;
	/* The slot was reserved in new(): storing allocates nothing. */
	err = xa_err(__xa_store(&fsmb_upcalls, up->id, up, GFP_ATOMIC));
	xa_unlock(&fsmb_upcalls);
	if (err) {
		fsmb_upcall_abort(up);
		return err;
	}

	skb = up->skb;
	up->skb = NULL;
	err = genlmsg_unicast(&init_net, skb, portid);
	if (err) {
		/* The daemon's socket is gone or full: it is not answering. */
		if (fsmb_upcall_unlink(up)) {
			fsmb_upcall_free(up);
			return err == -ENOMEM ? err : -ENOTCONN;
		}
		/* daemon_gone() got there first and set up->err. */
	}

	timeout = msecs_to_jiffies(FSMB_UPCALL_TIMEOUT_MS);
	left = wait_for_completion_interruptible_timeout(&up->done, timeout);
	if (fsmb_upcall_unlink(up)) {
		err = left < 0 ? -EINTR : -ETIMEDOUT;
	} else {
		/* Completed (perhaps just after the timeout): use it. */
		err = up->err;
		*reply = up->reply;
		up->reply = NULL;
	}
	fsmb_upcall_free(up);
	return err;
}

int fsmb_upcall_complete(struct genl_info *info)
{
	const struct nlattr *id_attr = info->attrs[FSMB_A_REQ_ID];
	struct fsmb_reply *reply;
	struct fsmb_upcall *up;
	size_t len;
	u64 id;
	int err;

	if (!id_attr) {
		NL_SET_ERR_MSG(info->extack, "missing request id");
		return -EINVAL;
	}
	id = nla_get_u64(id_attr);
	if (!id || id > U32_MAX)
		return -ENOENT;

	/* Copy and index the reply before looking: no allocation under the lock. */
	reply = kzalloc(sizeof(*reply), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	len = genlmsg_len(info->genlhdr);
	reply->data = kmemdup(genlmsg_data(info->genlhdr), len, GFP_KERNEL);
	if (!reply->data) {
		kfree(reply);
		return -ENOMEM;
	}
	/* Already validated against the reply's policy by genetlink. */
	err = nla_parse(reply->attrs, FSMB_A_MAX, reply->data, len, NULL,
			info->extack);
	if (err) {
		fsmb_reply_free(reply);
		return err;
	}

	xa_lock(&fsmb_upcalls);
	up = xa_load(&fsmb_upcalls, id);
	if (!up) {
		err = -ENOENT;
	} else if (up->reply_cmd != info->genlhdr->cmd) {
		err = -EINVAL;
	} else if (up->portid != info->snd_portid) {
		err = -EPERM;
	} else {
		__xa_erase(&fsmb_upcalls, id);
		up->err = 0;
		up->reply = reply;
		reply = NULL;
		complete(&up->done);
	}
	xa_unlock(&fsmb_upcalls);
	fsmb_reply_free(reply);
	return err;
}

void fsmb_upcall_daemon_gone(void)
{
	struct fsmb_upcall *up;
	unsigned long id;

	xa_lock(&fsmb_upcalls);
	xa_for_each(&fsmb_upcalls, id, up) {
		__xa_erase(&fsmb_upcalls, id);
		up->err = -ENOTCONN;
		complete(&up->done);
	}
	xa_unlock(&fsmb_upcalls);
}

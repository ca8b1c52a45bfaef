// SPDX-License-Identifier: GPL-2.0
/*
 * Tree connects ([MS-SMB2] 3.3.5.7, 3.3.5.8): the daemon says whether the
 * session's user may have the share and where it is; the tree holds the
 * share root for the file commands.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/namei.h>
#include <linux/slab.h>

#include "fsmb.h"
#include "upcall.h"
#include "proto/smb2_misc.h"
#include "proto/smb2_tree.h"
#include "proto/utf16.h"

/* Tree ids are 1..this, so a session has at most this many trees. */
#define FSMB_SESSION_MAX_TREES	1024

static void fsmb_tree_release(struct kref *ref)
{
	struct fsmb_tree *tree = container_of(ref, struct fsmb_tree, ref);

	if (tree->root.dentry)
		path_put(&tree->root);
	kfree(tree->share_name);
	kfree(tree);
	atomic_dec(&fsmb_srv.ntrees);
}

void fsmb_tree_put(struct fsmb_tree *tree)
{
	kref_put(&tree->ref, fsmb_tree_release);
}

struct fsmb_tree *fsmb_tree_lookup(struct fsmb_session *sess, u32 id)
{
	struct fsmb_tree *tree;

	mutex_lock(&sess->lock);
	tree = xa_load(&sess->trees, id);
	if (tree && !tree->dead)
		kref_get(&tree->ref);
	else
		tree = NULL;
	mutex_unlock(&sess->lock);
	return tree;
}

void fsmb_tree_teardown(struct fsmb_tree *tree)
{
	struct fsmb_session *sess = tree->sess;
	bool mine;

	/* Dead under sess->lock: open.c registers no open on it after this. */
	mutex_lock(&sess->lock);
	mine = !tree->dead;
	if (mine) {
		tree->dead = true;
		xa_erase(&sess->trees, tree->id);
	}
	mutex_unlock(&sess->lock);
	if (!mine)
		return;
	fsmb_open_close_all(sess, tree);
	fsmb_tree_put(tree);		/* the table's reference */
}

/* Ask the daemon about @share for w->sess; its reply in @reply. */
static u32 fsmb_tree_upcall(struct fsmb_work *w, const char *share,
			    struct fsmb_reply **reply)
{
	struct fsmb_session *sess = w->sess;
	const char *user = sess->user ?: "";
	struct fsmb_upcall *up;
	struct sk_buff *skb;
	u32 status;
	int err;

	up = fsmb_upcall_new(FSMB_CMD_TREE,
			     nla_total_size(strlen(share) + 1) +
			     nla_total_size(strlen(user) + 1) +
			     nla_total_size(sizeof(u32)));
	if (IS_ERR(up)) {
		err = PTR_ERR(up);
		goto err;
	}
	skb = fsmb_upcall_msg(up);
	if (nla_put_string(skb, FSMB_A_SHARE_NAME, share) ||
	    nla_put_string(skb, FSMB_A_USER_NAME, user) ||
	    nla_put_u32(skb, FSMB_A_UID,
			from_kuid(&init_user_ns, sess->cred->fsuid))) {
		fsmb_upcall_abort(up);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	err = fsmb_upcall_call(up, reply);
	if (err)
		goto err;
	status = fsmb_reply_status(*reply);
	if (status == STATUS_SUCCESS || (status >> 30) == 3)
		return status;
	return STATUS_INTERNAL_ERROR;

err:
	if (err == -ENOMEM)
		return STATUS_INSUFFICIENT_RESOURCES;
	/*
	 * Without the daemon no share can be resolved or authorized. Say the
	 * share is not there (now): clients retry a failed tree connect on
	 * reconnect, and the answer tells a probing client nothing.
	 */
	return STATUS_BAD_NETWORK_NAME;
}

/* A tree (not yet visible) for the daemon's @reply about @share. */
static u32 fsmb_tree_make(struct fsmb_work *w, const char *share,
			  const struct fsmb_reply *reply,
			  struct fsmb_tree **treep)
{
	const struct nlattr *path = reply->attrs[FSMB_A_SHARE_PATH];
	const struct nlattr *flags = reply->attrs[FSMB_A_SHARE_FLAGS];
	struct fsmb_tree *tree;
	int err;

	tree = kzalloc(sizeof(*tree), GFP_KERNEL);
	if (!tree)
		return STATUS_INSUFFICIENT_RESOURCES;
	kref_init(&tree->ref);
	atomic_inc(&fsmb_srv.ntrees);
	tree->sess = w->sess;
	tree->flags = flags ? nla_get_u32(flags) : 0;
	tree->share_name = kstrdup(share, GFP_KERNEL);
	if (!tree->share_name) {
		fsmb_tree_put(tree);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	if (tree->flags & FSMB_SHARE_IPC) {
		tree->maximal_access = FILE_ALL_ACCESS;
	} else {
		if (!path || *(const char *)nla_data(path) != '/') {
			fsmb_tree_put(tree);
			return STATUS_INTERNAL_ERROR;
		}
		err = kern_path(nla_data(path), LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
				&tree->root);
		if (err) {
			pr_warn_ratelimited("share %s: %s: %d\n", share,
					    (const char *)nla_data(path), err);
			fsmb_tree_put(tree);
			return STATUS_BAD_NETWORK_NAME;
		}
		tree->maximal_access = tree->flags & FSMB_SHARE_READ_ONLY ?
				       FILE_GENERIC_READ | FILE_GENERIC_EXECUTE :
				       FILE_ALL_ACCESS;
	}
	*treep = tree;
	return STATUS_SUCCESS;
}

u32 fsmb_smb2_tree_connect(struct fsmb_work *w)
{
	struct fsmb_session *sess = w->sess;
	struct smb2_tree_connect_req req;
	struct smb2_tree_connect_rsp rsp = {};
	struct fsmb_reply *reply = NULL;
	char share[FSMB_MAX_NAME];
	struct fsmb_cur name;
	struct fsmb_tree *tree;
	u32 status, id;
	int err;

	if (smb2_tree_connect_req_decode(&w->in, &req))
		return STATUS_INVALID_PARAMETER;
	/* Tree connect contexts (remoted identity) are not supported. */
	if (req.flags & SMB2_TREE_CONNECT_FLAG_EXTENSION_PRESENT)
		return STATUS_NOT_SUPPORTED;
	if (smb2_tree_share_name(&req.path, &name) ||
	    fsmb_cur_utf16(&name, fsmb_cur_remaining(&name), share,
			   sizeof(share)) <= 0)
		return STATUS_BAD_NETWORK_NAME;

	status = fsmb_tree_upcall(w, share, &reply);
	if (!status)
		status = fsmb_tree_make(w, share, reply, &tree);
	fsmb_reply_free(reply);
	if (status)
		return status;

	/* Room for the body first: once the tree is visible nothing may fail. */
	if (fsmb_work_reserve(w, SMB2_TREE_CONNECT_RSP_SIZE)) {
		fsmb_tree_put(tree);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	mutex_lock(&sess->lock);
	if (sess->state == FSMB_SESSION_DEAD)
		err = -ENOENT;
	else
		err = xa_alloc(&sess->trees, &id, tree,
			       XA_LIMIT(1, FSMB_SESSION_MAX_TREES), GFP_KERNEL);
	if (!err)
		tree->id = id;
	mutex_unlock(&sess->lock);
	if (err) {
		fsmb_tree_put(tree);
		return STATUS_INSUFFICIENT_RESOURCES;
	}

	if (tree->flags & FSMB_SHARE_IPC) {
		rsp.share_type = SMB2_SHARE_TYPE_PIPE;
		rsp.share_flags = SMB2_SHAREFLAG_NO_CACHING;
	} else {
		rsp.share_type = SMB2_SHARE_TYPE_DISK;
		rsp.share_flags = SMB2_SHAREFLAG_MANUAL_CACHING;
	}
	rsp.maximal_access = tree->maximal_access;
	smb2_tree_connect_rsp_encode(&w->out, &rsp);

	/* Related commands that follow work on the new tree. */
	if (w->tree)
		fsmb_tree_put(w->tree);
	kref_get(&tree->ref);
	w->tree = tree;
	return STATUS_SUCCESS;
}

u32 fsmb_smb2_tree_disconnect(struct fsmb_work *w)
{
	if (smb2_simple_req_decode(&w->in))
		return STATUS_INVALID_PARAMETER;
	fsmb_tree_teardown(w->tree);
	smb2_simple_rsp_encode(&w->out);
	return STATUS_SUCCESS;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The open table. Opens live in their session's xarray, keyed by the
 * volatile id (the persistent id is the same number: no durable handles
 * yet); each holds a reference to the tree it was opened on. The table
 * holds one reference, every lookup one more. Closing marks the open dead
 * and erases it under sess->lock, so once fsmb_open_close() has started
 * no lookup can return it; the file itself is released with the last
 * reference.
 */
#include <linux/slab.h>
#include <linux/file.h>
#include <linux/cred.h>

#include "open.h"
#include "vfs.h"

struct fsmb_open *fsmb_open_alloc(struct fsmb_tree *tree)
{
	struct fsmb_open *op = kzalloc(sizeof(*op), GFP_KERNEL);

	if (!op)
		return NULL;
	kref_init(&op->ref);
	kref_get(&tree->ref);
	op->tree = tree;
	atomic_inc(&fsmb_srv.nopens);
	atomic_inc(&tree->sess->conn->nopens);
	return op;
}

static void fsmb_open_release(struct kref *ref)
{
	struct fsmb_open *op = container_of(ref, struct fsmb_open, ref);

	if (op->filp)
		fput(op->filp);
	kfree(op->path);
	kfree(op->dir_pattern);
	/* The tree's session, and so its connection, outlive the tree. */
	atomic_dec(&op->tree->sess->conn->nopens);
	fsmb_tree_put(op->tree);
	atomic_dec(&fsmb_srv.nopens);
	kfree(op);
}

void fsmb_open_put(struct fsmb_open *op)
{
	if (op)
		kref_put(&op->ref, fsmb_open_release);
}

int fsmb_open_register(struct fsmb_work *w, struct fsmb_open *op)
{
	struct fsmb_session *sess = w->sess;
	u32 id;
	int err;

	mutex_lock(&sess->lock);
	/* Teardown marks these under sess->lock before closing the opens. */
	if (sess->state == FSMB_SESSION_DEAD || op->tree->dead) {
		err = -ENOENT;
	} else {
		err = xa_alloc_cyclic(&sess->opens, &id, op,
				      XA_LIMIT(1, FSMB_MAX_OPENS_PER_SESSION),
				      &sess->next_open_id, GFP_KERNEL);
		if (err >= 0) {
			/* The table's reference; the caller keeps its own. */
			kref_get(&op->ref);
			op->volatile_id = id;
			op->persistent_id = id;
			err = 0;
		}
	}
	mutex_unlock(&sess->lock);
	return err;
}

struct fsmb_open *fsmb_open_lookup(struct fsmb_work *w, u64 pid, u64 vid)
{
	struct fsmb_session *sess = w->sess;
	struct fsmb_open *op;

	/* [MS-SMB2] 3.3.5.2.7.2: all ones names the previous CREATE's open. */
	if (pid == U64_MAX && vid == U64_MAX) {
		if (!(w->hdr.flags & SMB2_FLAGS_RELATED_OPERATIONS) ||
		    !w->related_fid_valid)
			return NULL;
		pid = w->related_pid;
		vid = w->related_vid;
	}
	if (!sess || !vid || vid > U32_MAX)
		return NULL;
	mutex_lock(&sess->lock);
	op = xa_load(&sess->opens, vid);
	if (op && (op->dead || op->persistent_id != pid || op->tree != w->tree))
		op = NULL;
	if (op)
		kref_get(&op->ref);
	mutex_unlock(&sess->lock);
	return op;
}

/* What has to happen when an open goes away, outside sess->lock. */
static void fsmb_open_finish(struct fsmb_session *sess, struct fsmb_open *op)
{
	const struct cred *old;

	if (!op->filp) {
		fsmb_pipe_close(op->pipe_id);
		return;
	}
	if (!op->delete_on_close || !sess->cred)
		return;
	old = override_creds(sess->cred);
	/* CLOSE succeeds whatever happens here, as on Windows. */
	fsmb_vfs_unlink_open(op->filp);
	revert_creds(old);
}

void fsmb_open_close(struct fsmb_session *sess, struct fsmb_open *op)
{
	bool mine;

	mutex_lock(&sess->lock);
	mine = !op->dead;
	if (mine) {
		op->dead = true;
		xa_erase(&sess->opens, op->volatile_id);
	}
	mutex_unlock(&sess->lock);
	if (!mine)
		return;
	fsmb_open_finish(sess, op);
	fsmb_open_put(op);
}

void fsmb_open_close_all(struct fsmb_session *sess, struct fsmb_tree *tree)
{
	unsigned long idx = 0;
	struct fsmb_open *op;

	for (;;) {
		mutex_lock(&sess->lock);
		op = xa_find(&sess->opens, &idx, ULONG_MAX, XA_PRESENT);
		while (op && tree && op->tree != tree)
			op = xa_find_after(&sess->opens, &idx, ULONG_MAX,
					   XA_PRESENT);
		if (op) {
			op->dead = true;
			xa_erase(&sess->opens, idx);
		}
		mutex_unlock(&sess->lock);
		if (!op)
			break;
		fsmb_open_finish(sess, op);
		fsmb_open_put(op);
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions: SESSION_SETUP ([MS-SMB2] 3.3.5.5), whose security blobs the
 * daemon authenticates, and LOGOFF. A session lives in the global table
 * (fsmb_srv.sessions, which gives its id) and on its connection's list.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "fsmb.h"
#include "crypto.h"
#include "upcall.h"
#include "proto/smb2_misc.h"
#include "proto/smb2_session.h"

/*
 * Sessions one connection may hold, and of those still authenticating.
 * Before any session of the connection is valid it may have only one (in
 * progress): an unauthenticated peer gets one conversation with the daemon
 * per connection, and one upcall at a time since a connection's requests
 * are processed in order.
 */
#define FSMB_CONN_MAX_SESSIONS		64
#define FSMB_CONN_MAX_IN_PROGRESS	4
#define FSMB_CONN_MAX_PREAUTH		1

static u32 fsmb_session_next_id;

static void fsmb_session_release(struct kref *ref)
{
	struct fsmb_session *sess = container_of(ref, struct fsmb_session, ref);
	struct fsmb_conn *conn = sess->conn;

	fsmb_signing_free(sess);
	if (sess->cred)
		put_cred(sess->cred);
	kfree(sess->user);
	kfree(sess->domain);
	xa_destroy(&sess->trees);
	xa_destroy(&sess->opens);
	memzero_explicit(sess->session_key, sizeof(sess->session_key));
	memzero_explicit(sess->signing_key, sizeof(sess->signing_key));
	kmem_cache_free(fsmb_session_cache, sess);
	atomic_dec(&fsmb_srv.nsessions);
	fsmb_conn_put(conn);
}

void fsmb_session_put(struct fsmb_session *sess)
{
	kref_put(&sess->ref, fsmb_session_release);
}

struct fsmb_session *fsmb_session_lookup(struct fsmb_conn *conn, u64 id)
{
	struct fsmb_session *sess;

	xa_lock(&fsmb_srv.sessions);
	sess = xa_load(&fsmb_srv.sessions, id);
	/* No multichannel: a session is only reachable from its connection. */
	if (sess && (sess->conn != conn || sess->state == FSMB_SESSION_DEAD))
		sess = NULL;
	if (sess)
		kref_get(&sess->ref);
	xa_unlock(&fsmb_srv.sessions);
	return sess;
}

static void fsmb_session_set_state(struct fsmb_session *sess,
				   enum fsmb_session_state state)
{
	/* Lookups read it under the table lock, open.c under sess->lock. */
	mutex_lock(&sess->lock);
	xa_lock(&fsmb_srv.sessions);
	sess->state = state;
	xa_unlock(&fsmb_srv.sessions);
	mutex_unlock(&sess->lock);
}

void fsmb_session_teardown(struct fsmb_session *sess)
{
	struct fsmb_conn *conn = sess->conn;
	struct fsmb_tree *tree;
	unsigned long idx;
	bool mine;

	/* 1. Dead and out of the global table: no lookup finds it. */
	mutex_lock(&sess->lock);
	xa_lock(&fsmb_srv.sessions);
	mine = sess->state != FSMB_SESSION_DEAD;
	if (mine) {
		sess->state = FSMB_SESSION_DEAD;
		__xa_erase(&fsmb_srv.sessions, sess->id);
	}
	xa_unlock(&fsmb_srv.sessions);
	mutex_unlock(&sess->lock);
	if (!mine)
		return;

	/* 2. Its opens. */
	fsmb_open_close_all(sess, NULL);

	/* 3. Its trees. */
	for (;;) {
		idx = 0;
		mutex_lock(&sess->lock);
		tree = xa_find(&sess->trees, &idx, ULONG_MAX, XA_PRESENT);
		if (tree)
			kref_get(&tree->ref);
		mutex_unlock(&sess->lock);
		if (!tree)
			break;
		fsmb_tree_teardown(tree);
		fsmb_tree_put(tree);
	}

	/* 4. Off the connection; the table's reference goes. */
	mutex_lock(&conn->sessions_lock);
	list_del_init(&sess->conn_node);
	mutex_unlock(&conn->sessions_lock);
	fsmb_session_put(sess);
}

/* A new IN_PROGRESS session of @conn, with a reference for the caller. */
static struct fsmb_session *fsmb_session_new(struct fsmb_conn *conn)
{
	struct fsmb_session *s, *sess;
	unsigned int n = 0, busy = 0;
	u32 id;
	int err;

	sess = kmem_cache_zalloc(fsmb_session_cache, GFP_KERNEL);
	if (!sess)
		return ERR_PTR(-ENOMEM);
	kref_init(&sess->ref);		/* the tables' */
	INIT_LIST_HEAD(&sess->conn_node);
	mutex_init(&sess->lock);
	xa_init_flags(&sess->trees, XA_FLAGS_ALLOC1);
	xa_init_flags(&sess->opens, XA_FLAGS_ALLOC1);
	sess->state = FSMB_SESSION_IN_PROGRESS;
	fsmb_conn_get(conn);
	sess->conn = conn;
	atomic_inc(&fsmb_srv.nsessions);

	mutex_lock(&conn->sessions_lock);
	list_for_each_entry(s, &conn->sessions, conn_node) {
		n++;
		if (s->state == FSMB_SESSION_IN_PROGRESS)
			busy++;
	}
	if (n >= FSMB_CONN_MAX_SESSIONS || busy >= FSMB_CONN_MAX_IN_PROGRESS ||
	    (!READ_ONCE(conn->authenticated) && n >= FSMB_CONN_MAX_PREAUTH)) {
		err = -EBUSY;
	} else {
		err = xa_alloc_cyclic(&fsmb_srv.sessions, &id, sess,
				      xa_limit_32b, &fsmb_session_next_id,
				      GFP_KERNEL);
		if (err >= 0) {
			err = 0;
			sess->id = id;
			sess->auth_handle = id;
			list_add_tail(&sess->conn_node, &conn->sessions);
		}
	}
	mutex_unlock(&conn->sessions_lock);
	if (err) {
		fsmb_session_put(sess);
		return ERR_PTR(err);
	}
	kref_get(&sess->ref);
	return sess;
}

static int fsmb_login_upcall(struct fsmb_session *sess,
			     const struct smb2_session_setup_req *req,
			     struct fsmb_reply **reply)
{
	struct fsmb_conn *conn = sess->conn;
	struct fsmb_cur blob = req->blob;
	size_t len = fsmb_cur_remaining(&blob);
	struct fsmb_upcall *up;
	struct sk_buff *skb;

	if (len > FSMB_MAX_SEC_BLOB)
		return -EMSGSIZE;
	up = fsmb_upcall_new(FSMB_CMD_LOGIN,
			     nla_total_size_64bit(sizeof(u64)) +
			     nla_total_size(len) +
			     nla_total_size(sizeof(conn->peer_str)) +
			     nla_total_size(sizeof(u16)));
	if (IS_ERR(up))
		return PTR_ERR(up);
	skb = fsmb_upcall_msg(up);
	if (nla_put_u64_64bit(skb, FSMB_A_AUTH_HANDLE, sess->auth_handle,
			      FSMB_A_UNSPEC) ||
	    nla_put(skb, FSMB_A_SEC_BLOB, len, fsmb_cur_take(&blob, len)) ||
	    nla_put_string(skb, FSMB_A_CLIENT_ADDR, conn->peer_str) ||
	    nla_put_u16(skb, FSMB_A_DIALECT, conn->dialect)) {
		fsmb_upcall_abort(up);
		return -EMSGSIZE;
	}
	return fsmb_upcall_call(up, reply);
}

/*
 * The user VFS operations run as: uid, gid and groups from the daemon,
 * and no capability at all, so the VFS enforces this user's permissions
 * (DAC included) even when the daemon maps someone to uid 0.
 */
static const struct cred *fsmb_session_cred(struct nlattr *const *a)
{
	kuid_t uid = make_kuid(&init_user_ns, nla_get_u32(a[FSMB_A_UID]));
	kgid_t gid = make_kgid(&init_user_ns, nla_get_u32(a[FSMB_A_GID]));
	const u8 *groups = NULL;
	struct group_info *gi;
	struct cred *cred;
	int i, n = 0;

	if (!uid_valid(uid) || !gid_valid(gid))
		return ERR_PTR(-EINVAL);
	if (a[FSMB_A_GROUPS]) {
		if (nla_len(a[FSMB_A_GROUPS]) % sizeof(u32))
			return ERR_PTR(-EINVAL);
		n = nla_len(a[FSMB_A_GROUPS]) / sizeof(u32);
		groups = nla_data(a[FSMB_A_GROUPS]);
	}
	gi = groups_alloc(n);
	if (!gi)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < n; i++) {
		u32 g;

		memcpy(&g, groups + i * sizeof(u32), sizeof(g));
		gi->gid[i] = make_kgid(&init_user_ns, g);
		if (!gid_valid(gi->gid[i])) {
			put_group_info(gi);
			return ERR_PTR(-EINVAL);
		}
	}
	groups_sort(gi);

	cred = prepare_kernel_cred(&init_task);
	if (!cred) {
		put_group_info(gi);
		return ERR_PTR(-ENOMEM);
	}
	cred->uid = uid;
	cred->euid = uid;
	cred->suid = uid;
	cred->fsuid = uid;
	cred->gid = gid;
	cred->egid = gid;
	cred->sgid = gid;
	cred->fsgid = gid;
	set_groups(cred, gi);
	put_group_info(gi);
	cap_clear(cred->cap_inheritable);
	cap_clear(cred->cap_permitted);
	cap_clear(cred->cap_effective);
	cap_clear(cred->cap_bset);
	cap_clear(cred->cap_ambient);
	return cred;
}

static char *fsmb_reply_strdup(const struct nlattr *a)
{
	return a ? nla_strdup(a, GFP_KERNEL) : kstrdup("", GFP_KERNEL);
}

/* The response body: SessionFlags and the daemon's security blob. */
static u32 fsmb_session_setup_rsp(struct fsmb_work *w,
				  const struct fsmb_reply *reply, u16 flags)
{
	const struct nlattr *blob = reply->attrs[FSMB_A_SEC_BLOB];
	u16 len = blob ? nla_len(blob) : 0;

	if (fsmb_work_reserve(w, SMB2_SESSION_SETUP_RSP_SIZE + len))
		return STATUS_INSUFFICIENT_RESOURCES;
	smb2_session_setup_rsp_encode(&w->out, flags, blob ? nla_data(blob) : NULL,
				      len);
	return STATUS_SUCCESS;
}

/* The daemon said yes: make the session (or its new identity) valid. */
static u32 fsmb_session_accept(struct fsmb_work *w, struct fsmb_session *sess,
			       const struct smb2_session_setup_req *req,
			       const struct fsmb_reply *reply, bool reauth)
{
	struct nlattr *const *a = reply->attrs;
	struct fsmb_conn *conn = w->conn;
	u32 flags = 0;
	u16 rsp_flags = 0;
	const struct cred *cred;
	char *user, *domain;
	bool keyless;
	u32 status;

	if (a[FSMB_A_SESSION_FLAGS])
		flags = nla_get_u32(a[FSMB_A_SESSION_FLAGS]);
	keyless = flags & (FSMB_SESSION_GUEST | FSMB_SESSION_ANONYMOUS);
	if (!a[FSMB_A_UID] || !a[FSMB_A_GID] ||
	    (!keyless && !a[FSMB_A_SESSION_KEY]))
		return STATUS_INTERNAL_ERROR;
	/* Guest and anonymous sessions have no key to sign with. */
	if (keyless && (conn->signing_required ||
			(req->security_mode & SMB2_NEGOTIATE_SIGNING_REQUIRED)))
		return STATUS_ACCESS_DENIED;
	if (flags & FSMB_SESSION_ANONYMOUS)
		rsp_flags = SMB2_SESSION_FLAG_IS_NULL;
	else if (flags & FSMB_SESSION_GUEST)
		rsp_flags = SMB2_SESSION_FLAG_IS_GUEST;

	cred = fsmb_session_cred(a);
	if (IS_ERR(cred))
		return PTR_ERR(cred) == -ENOMEM ? STATUS_INSUFFICIENT_RESOURCES :
						  STATUS_INTERNAL_ERROR;
	/*
	 * Re-authentication keeps the keys ([MS-SMB2] 3.3.5.5.3) and so
	 * must not turn the session into someone else's.
	 */
	if (reauth && (flags != sess->flags ||
		       !uid_eq(cred->fsuid, sess->cred->fsuid))) {
		put_cred(cred);
		return STATUS_ACCESS_DENIED;
	}
	user = fsmb_reply_strdup(a[FSMB_A_USER_NAME]);
	domain = fsmb_reply_strdup(a[FSMB_A_DOMAIN_NAME]);
	status = STATUS_INSUFFICIENT_RESOURCES;
	if (!user || !domain)
		goto err;

	if (!reauth && !keyless) {
		nla_memcpy(sess->session_key, a[FSMB_A_SESSION_KEY],
			   sizeof(sess->session_key));
		if (fsmb_signing_setup(sess))
			goto err;
		sess->signing_required = conn->signing_required ||
			(req->security_mode & SMB2_NEGOTIATE_SIGNING_REQUIRED);
	}
	status = fsmb_session_setup_rsp(w, reply, rsp_flags);
	if (status)
		goto err;

	sess->flags = flags;
	swap(sess->cred, cred);
	swap(sess->user, user);
	swap(sess->domain, domain);
	if (cred)
		put_cred(cred);
	kfree(user);
	kfree(domain);
	fsmb_session_set_state(sess, FSMB_SESSION_VALID);
	WRITE_ONCE(conn->authenticated, true);
	return STATUS_SUCCESS;

err:
	put_cred(cred);
	kfree(user);
	kfree(domain);
	return status;
}

/* An NTSTATUS from the daemon, or one saying why there is none. */
static u32 fsmb_login_status(int err, const struct fsmb_reply *reply)
{
	u32 status;

	if (err == -ENOMEM)
		return STATUS_INSUFFICIENT_RESOURCES;
	/* No security token needs more than one netlink attribute holds. */
	if (err == -EMSGSIZE)
		return STATUS_INVALID_PARAMETER;
	/* No daemon, it went away, is too slow or too busy: nobody to ask. */
	if (err)
		return STATUS_NO_LOGON_SERVERS;
	status = fsmb_reply_status(reply);
	if (status == STATUS_SUCCESS ||
	    status == STATUS_MORE_PROCESSING_REQUIRED ||
	    (status >> 30) == 3)
		return status;
	return STATUS_INTERNAL_ERROR;
}

u32 fsmb_smb2_session_setup(struct fsmb_work *w)
{
	struct fsmb_conn *conn = w->conn;
	struct smb2_session_setup_req req;
	struct fsmb_reply *reply = NULL;
	struct fsmb_session *sess;
	bool reauth;
	u32 status;
	int err;

	if (smb2_session_setup_req_decode(&w->in, &req))
		return STATUS_INVALID_PARAMETER;
	/* Binding a session to a second channel needs multichannel. */
	if (req.flags & SMB2_SESSION_FLAG_BINDING)
		return STATUS_REQUEST_NOT_ACCEPTED;

	if (!w->sess) {
		sess = fsmb_session_new(conn);
		if (IS_ERR(sess))
			return PTR_ERR(sess) == -ENOMEM ?
			       STATUS_INSUFFICIENT_RESOURCES :
			       STATUS_REQUEST_NOT_ACCEPTED;
		w->sess = sess;
		/* 3.1.1: the session's hash starts from the connection's. */
		memcpy(sess->preauth_hash, conn->preauth_hash,
		       sizeof(sess->preauth_hash));
	}
	sess = w->sess;
	reauth = sess->state != FSMB_SESSION_IN_PROGRESS;

	if (!reauth && conn->dialect == SMB2_DIALECT_311 &&
	    fsmb_preauth_update(conn, sess->preauth_hash, w->in.base,
				w->in.len)) {
		status = STATUS_INSUFFICIENT_RESOURCES;
		goto fail;
	}

	err = fsmb_login_upcall(sess, &req, &reply);
	status = fsmb_login_status(err, reply);
	if (status == STATUS_MORE_PROCESSING_REQUIRED) {
		if (fsmb_session_setup_rsp(w, reply, 0))
			status = STATUS_INSUFFICIENT_RESOURCES;
	} else if (status == STATUS_SUCCESS) {
		status = fsmb_session_accept(w, sess, &req, reply, reauth);
	}
	fsmb_reply_free(reply);
	if (status == STATUS_SUCCESS ||
	    status == STATUS_MORE_PROCESSING_REQUIRED)
		return status;

fail:
	/*
	 * A failed exchange leaves no session behind, not even the one
	 * being re-authenticated: its identity is no longer proven.
	 */
	pr_debug("%s: session setup failed: 0x%08x\n", conn->peer_str, status);
	fsmb_session_teardown(sess);
	return status;
}

u32 fsmb_smb2_logoff(struct fsmb_work *w)
{
	if (smb2_simple_req_decode(&w->in))
		return STATUS_INVALID_PARAMETER;
	fsmb_session_teardown(w->sess);
	smb2_simple_rsp_encode(&w->out);
	return STATUS_SUCCESS;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: their lifetime, and the processing of each received
 * message ([MS-SMB2] 3.3.5.2): the compound chain, the credit window,
 * session, signature and tree checks, dispatch to the command handlers,
 * and one response message back with every response of the chain in it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <crypto/algapi.h>
#include <net/ipv6.h>

#include "fsmb.h"
#include "crypto.h"
#include "proto/smb2_misc.h"
#include "proto/smb2_negotiate.h"

static unsigned int max_connections = 1024;
module_param(max_connections, uint, 0644);
MODULE_PARM_DESC(max_connections, "Most client connections at once");

/*
 * A connection that has no valid session auth_timeout (default 60 s) after
 * it was accepted is dropped. Before authentication a peer can only
 * NEGOTIATE and try SESSION_SETUP, yet each connection holds memory and one
 * of the max_connections slots: without a deadline, idle or stalled
 * handshakes from anyone who can reach the port would lock real users out.
 * After authentication a connection that sends nothing for idle_timeout
 * (default 15 min) while none of its sessions has a file open is dropped
 * too: clients reconnect transparently, and an abandoned connection does
 * not hold its slot for ever.
 */

/* Message ids tracked: granted ones plus room for ids used out of order. */
#define FSMB_CREDIT_BITS	(2 * FSMB_MAX_CREDITS)
/* One response message is never larger than the largest request. */
#define FSMB_MAX_RSP		FSMB_MAX_PDU
/* Without multi-credit (2.0.2) a request carries at most 64 KiB. */
#define FSMB_CREDIT_BYTES	65536

/* A message being processed: the work item plus the response chain state. */
struct fsmb_req {
	struct fsmb_work w;
	size_t rsp_end;			/* end of the responses built so far */
	bool req_signed;		/* current request's signature verified */

	/* The last response, finished except for NextCommand and signature. */
	bool pending;
	bool pending_sign;
	size_t pending_off;
	u64 pending_mid;
	struct fsmb_session *pending_sess;	/* its session; reference held */
	u8 *pending_hash;		/* 3.1.1 preauth hash to extend with it */
};

static void fsmb_conn_count_put(void)
{
	atomic_dec(&fsmb_srv.nconns);
	wake_up_var(&fsmb_srv.nconns);
}

static void fsmb_conn_release(struct kref *ref)
{
	struct fsmb_conn *conn = container_of(ref, struct fsmb_conn, ref);

	crypto_free_shash(conn->sha512);
	bitmap_free(conn->seq_bitmap);
	kmem_cache_free(fsmb_conn_cache, conn);
	fsmb_conn_count_put();
}

void fsmb_conn_get(struct fsmb_conn *conn)
{
	kref_get(&conn->ref);
}

void fsmb_conn_put(struct fsmb_conn *conn)
{
	kref_put(&conn->ref, fsmb_conn_release);
}

static void fsmb_conn_rx_work(struct work_struct *work)
{
	struct fsmb_conn *conn = container_of(work, struct fsmb_conn, rx_work);

	if (!READ_ONCE(conn->closing))
		conn->ops->recv(conn);
}

static void fsmb_conn_timer(struct work_struct *work)
{
	struct fsmb_conn *conn = container_of(to_delayed_work(work),
					      struct fsmb_conn, timer);
	unsigned long idle = READ_ONCE(fsmb_srv.idle_timeout);
	unsigned long due;

	if (READ_ONCE(conn->closing))
		return;
	if (!READ_ONCE(conn->authenticated)) {
		pr_info_ratelimited("%s: no session after %lu s, disconnecting\n",
				    conn->peer_str,
				    READ_ONCE(fsmb_srv.auth_timeout) / HZ);
		fsmb_conn_close(conn);
		return;
	}
	if (!idle)
		return;
	due = READ_ONCE(conn->last_rx) + idle;
	if (!atomic_read(&conn->nopens) && time_after_eq(jiffies, due)) {
		pr_info_ratelimited("%s: idle for %lu s with no open file, disconnecting\n",
				    conn->peer_str, idle / HZ);
		fsmb_conn_close(conn);
		return;
	}
	/* Look again when it could be idle long enough, or a period on. */
	queue_delayed_work(fsmb_srv.wq, &conn->timer,
			   time_after(due, jiffies) ? due - jiffies : idle);
}

/*
 * Teardown in the order fsmb.h gives. Runs on the workqueue, never in
 * rx_work, so it can wait for rx_work to finish.
 */
static void fsmb_conn_close_work(struct work_struct *work)
{
	struct fsmb_conn *conn = container_of(work, struct fsmb_conn,
					      close_work);
	struct fsmb_session *sess;

	spin_lock(&fsmb_srv.conns_lock);
	list_del_init(&conn->node);
	spin_unlock(&fsmb_srv.conns_lock);

	/* No more callbacks; a send blocked in rx_work fails and returns. */
	conn->ops->shutdown(conn);
	cancel_work_sync(&conn->rx_work);
	cancel_delayed_work_sync(&conn->timer);
	conn->state = FSMB_CONN_DEAD;

	for (;;) {
		mutex_lock(&conn->sessions_lock);
		sess = list_first_entry_or_null(&conn->sessions,
						struct fsmb_session, conn_node);
		if (sess)
			kref_get(&sess->ref);
		mutex_unlock(&conn->sessions_lock);
		if (!sess)
			break;
		fsmb_session_teardown(sess);
		fsmb_session_put(sess);
	}

	conn->ops->release(conn);
	fsmb_conn_put(conn);		/* the list's reference */
}

static bool fsmb_same_addr(const struct sockaddr_storage *a,
			   const struct sockaddr_storage *b)
{
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)a;
	const struct sockaddr_in6 *b6 = (const struct sockaddr_in6 *)b;
	const struct sockaddr_in *a4 = (const struct sockaddr_in *)a;
	const struct sockaddr_in *b4 = (const struct sockaddr_in *)b;

	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return ipv6_addr_equal(&a6->sin6_addr, &b6->sin6_addr);
	return false;
}

/*
 * Would one more connection from @peer exceed max_ip_conns? The list has
 * at most max_connections entries, so a walk is cheap next to an accept.
 */
static bool fsmb_ip_conns_exceeded(const struct sockaddr_storage *peer)
{
	u32 max = READ_ONCE(fsmb_srv.max_ip_conns);
	struct fsmb_conn *c;
	u32 n = 0;

	lockdep_assert_held(&fsmb_srv.conns_lock);
	if (!max)
		return false;
	list_for_each_entry(c, &fsmb_srv.conns, node)
		if (fsmb_same_addr(&c->peer, peer) && ++n >= max)
			return true;
	return false;
}

struct fsmb_conn *fsmb_conn_new(const struct fsmb_transport_ops *ops,
				void *transport,
				const struct sockaddr_storage *peer)
{
	struct fsmb_conn *conn;
	int err;

	if (atomic_inc_return(&fsmb_srv.nconns) > READ_ONCE(max_connections)) {
		fsmb_conn_count_put();
		return ERR_PTR(-EBUSY);
	}
	conn = kmem_cache_zalloc(fsmb_conn_cache, GFP_KERNEL);
	if (!conn)
		goto err_count;
	conn->seq_bitmap = bitmap_zalloc(FSMB_CREDIT_BITS, GFP_KERNEL);
	if (!conn->seq_bitmap)
		goto err_conn;

	kref_init(&conn->ref);		/* fsmb_srv.conns */
	INIT_LIST_HEAD(&conn->node);
	conn->state = FSMB_CONN_NEGOTIATE;
	conn->ops = ops;
	conn->transport = transport;
	conn->peer = *peer;
	snprintf(conn->peer_str, sizeof(conn->peer_str), "%pISc", peer);
	INIT_WORK(&conn->rx_work, fsmb_conn_rx_work);
	INIT_WORK(&conn->close_work, fsmb_conn_close_work);
	INIT_DELAYED_WORK(&conn->timer, fsmb_conn_timer);
	conn->last_rx = jiffies;
	atomic_set(&conn->nopens, 0);
	mutex_init(&conn->send_lock);
	mutex_init(&conn->sessions_lock);
	INIT_LIST_HEAD(&conn->sessions);
	/* The first NEGOTIATE may use message id 0 and nothing else. */
	conn->credits_granted = 1;

	spin_lock(&fsmb_srv.conns_lock);
	err = fsmb_srv.stopping ? -ESHUTDOWN : 0;
	/* A connection closing is still counted: it holds its memory. */
	if (!err && fsmb_ip_conns_exceeded(peer))
		err = -EMFILE;
	if (err) {
		spin_unlock(&fsmb_srv.conns_lock);
		bitmap_free(conn->seq_bitmap);
		kmem_cache_free(fsmb_conn_cache, conn);
		fsmb_conn_count_put();
		return ERR_PTR(err);
	}
	list_add_tail(&conn->node, &fsmb_srv.conns);
	queue_delayed_work(fsmb_srv.wq, &conn->timer,
			   READ_ONCE(fsmb_srv.auth_timeout));
	spin_unlock(&fsmb_srv.conns_lock);
	return conn;

err_conn:
	kmem_cache_free(fsmb_conn_cache, conn);
err_count:
	fsmb_conn_count_put();
	return ERR_PTR(-ENOMEM);
}

static void fsmb_conn_close_locked(struct fsmb_conn *conn)
{
	lockdep_assert_held(&fsmb_srv.conns_lock);
	if (conn->closing)
		return;
	WRITE_ONCE(conn->closing, true);
	/* close_work inherits the list's reference. */
	queue_work(fsmb_srv.wq, &conn->close_work);
}

void fsmb_conn_close(struct fsmb_conn *conn)
{
	spin_lock(&fsmb_srv.conns_lock);
	fsmb_conn_close_locked(conn);
	spin_unlock(&fsmb_srv.conns_lock);
}

void fsmb_conn_close_all(void)
{
	struct fsmb_conn *conn;

	spin_lock(&fsmb_srv.conns_lock);
	fsmb_srv.stopping = true;
	list_for_each_entry(conn, &fsmb_srv.conns, node)
		fsmb_conn_close_locked(conn);
	spin_unlock(&fsmb_srv.conns_lock);
	/* Until the last session let go of the last connection. */
	wait_var_event(&fsmb_srv.nconns, !atomic_read(&fsmb_srv.nconns));
}

/* ---- credits ([MS-SMB2] 3.3.1.2, 3.3.5.2.3, 3.3.5.2.5) ---- */

static bool fsmb_multi_credit(const struct fsmb_conn *conn)
{
	/* 2.1 and later over TCP, or after an SMB1 "SMB 2.???" (0x02FF). */
	return conn->dialect >= SMB2_DIALECT_210;
}

static u16 fsmb_credit_charge(const struct fsmb_conn *conn,
			      const struct smb2_hdr *h)
{
	if (!fsmb_multi_credit(conn))
		return 1;
	return max_t(u16, h->credit_charge, 1);
}

/* Use ids [mid, mid + charge); false if any is outside the window or used. */
static bool fsmb_credit_take(struct fsmb_conn *conn, u64 mid, u16 charge)
{
	unsigned long *used = conn->seq_bitmap;
	u64 off;
	u16 i;

	if (mid < conn->seq_low)
		return false;
	off = mid - conn->seq_low;
	if (off >= conn->credits_granted ||
	    charge > conn->credits_granted - off)
		return false;
	for (i = 0; i < charge; i++)
		if (test_bit((mid + i) % FSMB_CREDIT_BITS, used))
			return false;
	for (i = 0; i < charge; i++)
		__set_bit((mid + i) % FSMB_CREDIT_BITS, used);
	/* Slide the window past the ids used at its low end. */
	while (conn->credits_granted &&
	       test_bit(conn->seq_low % FSMB_CREDIT_BITS, used)) {
		__clear_bit(conn->seq_low % FSMB_CREDIT_BITS, used);
		conn->seq_low++;
		conn->credits_granted--;
	}
	return true;
}

/*
 * Grant what the client asks for, at least one so it never runs dry,
 * while it holds at most FSMB_MAX_CREDITS and the window fits the bitmap.
 */
static u16 fsmb_credit_grant(struct fsmb_conn *conn, u16 requested)
{
	u32 used = bitmap_weight(conn->seq_bitmap, FSMB_CREDIT_BITS);
	u32 outstanding = conn->credits_granted - used;
	u32 grant = max_t(u32, requested, 1);

	grant = min_t(u32, grant, FSMB_MAX_CREDITS - outstanding);
	grant = min_t(u32, grant, FSMB_CREDIT_BITS - conn->credits_granted);
	conn->credits_granted += grant;
	return grant;
}

/* ---- the response buffer ---- */

static int fsmb_rsp_grow(struct fsmb_work *w, size_t total)
{
	size_t cap;
	u8 *p;

	if (total <= w->rsp_cap)
		return 0;
	if (total > FSMB_MAX_RSP)
		return -ENOMEM;
	cap = min_t(size_t, max(total, 2 * w->rsp_cap), FSMB_MAX_RSP);
	p = kvrealloc(w->rsp, w->rsp_cap, cap, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	w->rsp = p;
	w->rsp_cap = cap;
	w->out.base = p + w->rsp_off;
	w->out.cap = cap - w->rsp_off;
	return 0;
}

int fsmb_work_reserve(struct fsmb_work *w, size_t n)
{
	if (w->out.err || n > FSMB_MAX_RSP)
		return -ENOMEM;
	return fsmb_rsp_grow(w, w->rsp_off + w->out.pos + n);
}

/* Open the next response (8-aligned in a chain), its header zeroed. */
static int fsmb_rsp_start(struct fsmb_req *r)
{
	struct fsmb_work *w = &r->w;
	size_t off = r->pending ? ALIGN(r->rsp_end, 8) : 0;
	int err;

	/* Room for the header and an ERROR body, whatever the handler does. */
	err = fsmb_rsp_grow(w, off + SMB2_HDR_SIZE + SMB2_ERROR_BODY_SIZE);
	if (err)
		return err;
	memset(w->rsp + r->rsp_end, 0, off - r->rsp_end);
	w->rsp_off = off;
	fsmb_wcur_init(&w->out, w->rsp + off, w->rsp_cap - off);
	fsmb_wcur_zero(&w->out, SMB2_HDR_SIZE);
	return 0;
}

/*
 * Complete the pending response: point its NextCommand at @next (0: it
 * is the last), sign it, and feed it to the preauth hash it belongs to.
 */
static void fsmb_rsp_finish(struct fsmb_req *r, size_t next)
{
	struct fsmb_work *w = &r->w;
	size_t end = next ? next : r->rsp_end;
	size_t len = end - r->pending_off;
	u8 *rsp = w->rsp + r->pending_off;
	struct fsmb_wcur hdr;
	u8 sig[SMB2_SIG_SIZE];

	/* A cursor over the whole finished response, to patch its header. */
	fsmb_wcur_init(&hdr, rsp, len);
	hdr.pos = len;
	if (next)
		fsmb_wcur_le32_at(&hdr, SMB2_NEXT_COMMAND_OFFSET,
				  next - r->pending_off);
	if (r->pending_sign) {
		if (fsmb_sign(r->pending_sess, rsp, len, r->pending_mid, true,
			      false, sig))
			w->drop_conn = true;
		else
			smb2_hdr_set_signature(&hdr, sig);
	}
	if (r->pending_hash &&
	    fsmb_preauth_update(w->conn, r->pending_hash, rsp, len))
		w->drop_conn = true;
	if (!fsmb_wcur_ok(&hdr))
		w->drop_conn = true;
	if (r->pending_sess) {
		fsmb_session_put(r->pending_sess);
		r->pending_sess = NULL;
	}
	r->pending = false;
}

/* ---- per-command checks ---- */

static bool fsmb_cmd_needs_tree(u16 cmd)
{
	switch (cmd) {
	case SMB2_NEGOTIATE:
	case SMB2_SESSION_SETUP:
	case SMB2_LOGOFF:
	case SMB2_TREE_CONNECT:
	case SMB2_CANCEL:
	case SMB2_ECHO:
		return false;
	default:
		return true;
	}
}

/* [MS-SMB2] 3.3.5.2.9; related requests use the previous one's session. */
static u32 fsmb_resolve_session(struct fsmb_work *w, bool related)
{
	u16 cmd = w->hdr.command;
	struct fsmb_session *sess;

	if (cmd == SMB2_NEGOTIATE)
		return STATUS_SUCCESS;
	if (!related && w->hdr.session_id)
		w->sess = fsmb_session_lookup(w->conn, w->hdr.session_id);
	sess = w->sess;

	switch (cmd) {
	case SMB2_ECHO:
		return STATUS_SUCCESS;
	case SMB2_SESSION_SETUP:
		/* 0 starts a new session; anything else must exist. */
		if (!related && !w->hdr.session_id)
			return STATUS_SUCCESS;
		break;
	}
	if (!sess)
		return related ? STATUS_INVALID_PARAMETER :
				 STATUS_USER_SESSION_DELETED;
	switch (sess->state) {
	case FSMB_SESSION_VALID:
		return STATUS_SUCCESS;
	case FSMB_SESSION_IN_PROGRESS:
		return cmd == SMB2_SESSION_SETUP || cmd == SMB2_LOGOFF ?
		       STATUS_SUCCESS : STATUS_USER_SESSION_DELETED;
	case FSMB_SESSION_EXPIRED:
		return cmd == SMB2_SESSION_SETUP || cmd == SMB2_LOGOFF ?
		       STATUS_SUCCESS : STATUS_NETWORK_SESSION_EXPIRED;
	default:
		return STATUS_USER_SESSION_DELETED;
	}
}

/* [MS-SMB2] 3.3.5.2.4. */
static u32 fsmb_check_signature(struct fsmb_req *r)
{
	struct fsmb_work *w = &r->w;
	struct fsmb_session *sess = w->sess;
	u8 sig[SMB2_SIG_SIZE];

	if (!(w->hdr.flags & SMB2_FLAGS_SIGNED)) {
		if (w->hdr.command == SMB2_NEGOTIATE || !sess ||
		    sess->state != FSMB_SESSION_VALID)
			return STATUS_SUCCESS;
		/*
		 * 3.3.5.7: in 3.1.1 a user's TREE_CONNECT is signed (or
		 * encrypted, which fsmb does not do), with a key derived
		 * from the preauth hash: that is what proves the negotiation
		 * was not tampered with. An unsigned one ends the connection.
		 */
		if (w->hdr.command == SMB2_TREE_CONNECT &&
		    w->conn->dialect == SMB2_DIALECT_311 && fsmb_can_sign(sess)) {
			pr_warn_ratelimited("%s: unsigned TREE_CONNECT in 3.1.1, disconnecting\n",
					    w->conn->peer_str);
			w->drop_conn = true;
			return STATUS_ACCESS_DENIED;
		}
		return sess->signing_required ? STATUS_ACCESS_DENIED :
						STATUS_SUCCESS;
	}
	if (w->hdr.command == SMB2_NEGOTIATE)
		return STATUS_INVALID_PARAMETER;
	if (!sess)
		return STATUS_USER_SESSION_DELETED;
	if (!fsmb_can_sign(sess))
		return STATUS_NOT_SUPPORTED;
	if (fsmb_sign(sess, w->in.base, w->in.len, w->hdr.message_id, false,
		      false, sig))
		return STATUS_INSUFFICIENT_RESOURCES;
	if (crypto_memneq(sig, w->hdr.signature, SMB2_SIG_SIZE)) {
		pr_warn_ratelimited("%s: bad signature on command %u\n",
				    w->conn->peer_str, w->hdr.command);
		return STATUS_ACCESS_DENIED;
	}
	r->req_signed = true;
	return STATUS_SUCCESS;
}

/* [MS-SMB2] 3.3.5.2.11; related requests use the previous one's tree. */
static u32 fsmb_resolve_tree(struct fsmb_work *w, bool related)
{
	if (!fsmb_cmd_needs_tree(w->hdr.command))
		return STATUS_SUCCESS;
	if (!related)
		w->tree = fsmb_tree_lookup(w->sess, w->hdr.tree_id);
	else if (!w->tree)
		return STATUS_INVALID_PARAMETER;
	if (!w->tree || w->tree->dead)
		return STATUS_NETWORK_NAME_DELETED;
	return STATUS_SUCCESS;
}

static u32 fsmb_cmd_check(struct fsmb_req *r, bool related, u16 charge)
{
	struct fsmb_work *w = &r->w;
	u32 payload, need, status;

	/* Only CANCEL may name an async operation, and nothing is async yet. */
	if (w->hdr.flags & SMB2_FLAGS_ASYNC_COMMAND)
		return STATUS_INVALID_PARAMETER;
	/* A chain cannot start with a related command: it has nothing to inherit. */
	if (related && !w->req_off)
		return STATUS_INVALID_PARAMETER;

	payload = smb2_credit_payload(&w->in, w->hdr.command);
	if (fsmb_multi_credit(w->conn)) {
		need = payload ? (payload - 1) / FSMB_CREDIT_BYTES + 1 : 1;
		if (charge < need)
			return STATUS_INVALID_PARAMETER;
	} else if (payload > FSMB_CREDIT_BYTES) {
		return STATUS_INVALID_PARAMETER;
	}

	status = fsmb_resolve_session(w, related);
	if (status)
		return status;
	status = fsmb_check_signature(r);
	if (status)
		return status;
	status = fsmb_resolve_tree(w, related);
	if (status)
		return status;
	/*
	 * A CHANGE_NOTIFY waits, and only the last command of a chain may
	 * go asynchronous: anywhere else it fails as it does on Windows.
	 */
	if (w->hdr.command == SMB2_CHANGE_NOTIFY &&
	    w->req_off + w->in.len < w->req_len)
		return STATUS_INTERNAL_ERROR;
	return STATUS_SUCCESS;
}

static u32 fsmb_smb2_echo(struct fsmb_work *w)
{
	if (smb2_simple_req_decode(&w->in))
		return STATUS_INVALID_PARAMETER;
	smb2_simple_rsp_encode(&w->out);
	return STATUS_SUCCESS;
}

/* LOCK, CHANGE_NOTIFY and OPLOCK_BREAK have no handler yet. */
static const fsmb_handler_t fsmb_handlers[SMB2_NR_COMMANDS] = {
	[SMB2_NEGOTIATE]	= fsmb_smb2_negotiate,
	[SMB2_SESSION_SETUP]	= fsmb_smb2_session_setup,
	[SMB2_LOGOFF]		= fsmb_smb2_logoff,
	[SMB2_TREE_CONNECT]	= fsmb_smb2_tree_connect,
	[SMB2_TREE_DISCONNECT]	= fsmb_smb2_tree_disconnect,
	[SMB2_CREATE]		= fsmb_smb2_create,
	[SMB2_CLOSE]		= fsmb_smb2_close,
	[SMB2_FLUSH]		= fsmb_smb2_flush,
	[SMB2_READ]		= fsmb_smb2_read,
	[SMB2_WRITE]		= fsmb_smb2_write,
	[SMB2_IOCTL]		= fsmb_smb2_ioctl,
	[SMB2_ECHO]		= fsmb_smb2_echo,
	[SMB2_QUERY_DIRECTORY]	= fsmb_smb2_query_directory,
	[SMB2_QUERY_INFO]	= fsmb_smb2_query_info,
	[SMB2_SET_INFO]		= fsmb_smb2_set_info,
};

static bool fsmb_status_is_error(u32 status)
{
	return (status >> 30) == 3;
}

/* Sign the response to this command? ([MS-SMB2] 3.3.4.1.1, 3.3.5.5.3) */
static bool fsmb_rsp_signed(struct fsmb_req *r, u32 status)
{
	struct fsmb_work *w = &r->w;
	struct fsmb_session *sess = w->sess;

	if (!sess || !fsmb_can_sign(sess))
		return false;
	if (r->req_signed)
		return true;
	/* The last SESSION_SETUP response proves the server has the key. */
	return w->hdr.command == SMB2_SESSION_SETUP && status == STATUS_SUCCESS &&
	       (w->conn->dialect >= SMB2_DIALECT_300 || sess->signing_required);
}

/* 3.1.1: which preauth hash the response goes into, if any. */
static u8 *fsmb_rsp_preauth(struct fsmb_work *w, u32 status)
{
	struct fsmb_conn *conn = w->conn;

	if (conn->dialect != SMB2_DIALECT_311)
		return NULL;
	if (w->hdr.command == SMB2_NEGOTIATE && status == STATUS_SUCCESS)
		return conn->preauth_hash;
	/* Not the final one: the signing key is derived before it. */
	if (w->hdr.command == SMB2_SESSION_SETUP &&
	    status == STATUS_MORE_PROCESSING_REQUIRED && w->sess &&
	    w->sess->state == FSMB_SESSION_IN_PROGRESS)
		return w->sess->preauth_hash;
	return NULL;
}

static void fsmb_drop_refs(struct fsmb_work *w)
{
	if (w->tree) {
		fsmb_tree_put(w->tree);
		w->tree = NULL;
	}
	if (w->sess) {
		fsmb_session_put(w->sess);
		w->sess = NULL;
	}
}

/* One command of the chain, @len bytes at @off of the message. */
static void fsmb_cmd(struct fsmb_req *r, const struct fsmb_cur *msg,
		     size_t off, size_t len)
{
	struct fsmb_work *w = &r->w;
	struct fsmb_conn *conn = w->conn;
	struct fsmb_cur all = *msg;
	struct fsmb_wcur hw;
	struct smb2_hdr h = {};
	bool related, sign, negotiated;
	fsmb_handler_t fn;
	u16 cmd, charge;
	u32 status;

	w->req_off = off;
	fsmb_cur_sub(&all, off, len, &w->in);
	/* [MS-SMB2] 3.3.5.2.6: no answer to what is not SMB2 at all. */
	if (smb2_hdr_decode(&w->in, &w->hdr)) {
		w->drop_conn = true;
		return;
	}
	cmd = w->hdr.command;
	/* 3.3.5.2.2 and 3.3.5.4: NEGOTIATE first, and only once. */
	negotiated = conn->state == FSMB_CONN_ACTIVE;
	if (cmd == SMB2_NEGOTIATE ? negotiated : !negotiated) {
		w->drop_conn = true;
		return;
	}
	/* Nothing is processed asynchronously yet: nothing to cancel. */
	if (cmd == SMB2_CANCEL)
		return;

	charge = fsmb_credit_charge(conn, &w->hdr);
	if (!fsmb_credit_take(conn, w->hdr.message_id, charge)) {
		pr_warn_ratelimited("%s: message id %llu outside the credit window\n",
				    conn->peer_str, w->hdr.message_id);
		w->drop_conn = true;
		return;
	}

	related = w->hdr.flags & SMB2_FLAGS_RELATED_OPERATIONS;
	if (!related) {
		fsmb_drop_refs(w);
		w->related_fid_valid = false;
	}
	if (fsmb_rsp_start(r)) {
		w->drop_conn = true;
		return;
	}
	r->req_signed = false;

	/*
	 * An unknown command gets an error, not a disconnect as 3.3.5.2.6
	 * has it: Windows, Samba and ksmbd answer it, and a client may put
	 * one in a compound.
	 */
	status = cmd < SMB2_NR_COMMANDS ? fsmb_cmd_check(r, related, charge) :
					  STATUS_INVALID_PARAMETER;
	if (status == STATUS_SUCCESS) {
		fn = fsmb_handlers[cmd];
		status = fn ? fn(w) : STATUS_NOT_SUPPORTED;
	}
	if (w->drop_conn || w->no_response) {
		w->no_response = false;
		return;
	}
	/* A new session cannot use a tree of another one in what follows. */
	if (w->tree && w->tree->sess != w->sess) {
		fsmb_tree_put(w->tree);
		w->tree = NULL;
	}
	w->related_status = status;

	/* A body that did not fit: the client gets an error, not half of it. */
	if (!fsmb_wcur_ok(&w->out)) {
		fsmb_wcur_init(&w->out, w->rsp + w->rsp_off,
			       w->rsp_cap - w->rsp_off);
		w->out.pos = SMB2_HDR_SIZE;
		if (!fsmb_status_is_error(status))
			status = STATUS_INSUFFICIENT_RESOURCES;
	}
	if (w->out.pos == SMB2_HDR_SIZE)
		smb2_error_rsp_encode(&w->out);

	sign = fsmb_rsp_signed(r, status);
	h.credit_charge = w->hdr.credit_charge;
	h.status = status;
	h.command = cmd;
	h.credit_request = fsmb_credit_grant(conn, w->hdr.credit_request);
	h.flags = SMB2_FLAGS_SERVER_TO_REDIR;
	if (related)
		h.flags |= SMB2_FLAGS_RELATED_OPERATIONS;
	if (sign)
		h.flags |= SMB2_FLAGS_SIGNED;
	h.message_id = w->hdr.message_id;
	h.process_id = w->hdr.process_id;
	h.tree_id = w->tree ? w->tree->id : w->hdr.tree_id;
	h.session_id = w->sess ? w->sess->id : w->hdr.session_id;
	fsmb_wcur_init(&hw, w->out.base, SMB2_HDR_SIZE);
	smb2_hdr_encode(&hw, &h);

	if (r->pending)
		fsmb_rsp_finish(r, w->rsp_off);
	r->pending = true;
	r->pending_sign = sign;
	r->pending_off = w->rsp_off;
	r->pending_mid = w->hdr.message_id;
	/* Signing and the session preauth hash need the session until then. */
	r->pending_sess = w->sess;
	if (w->sess)
		kref_get(&w->sess->ref);
	r->pending_hash = fsmb_rsp_preauth(w, status);
	r->rsp_end = w->rsp_off + w->out.pos;
}

static void fsmb_conn_smb2(struct fsmb_conn *conn, u8 *msg, size_t len)
{
	struct fsmb_req r = {};
	struct fsmb_work *w = &r.w;
	struct fsmb_cur all;
	size_t off;
	long n;

	fsmb_cur_init(&all, msg, len);
	/* The whole chain must hold together before any of it is acted on. */
	for (off = 0; (n = smb2_chain_next(&all, off)) > 0; off += n)
		;
	if (n < 0) {
		fsmb_conn_close(conn);
		return;
	}

	w->conn = conn;
	w->req = msg;
	w->req_len = len;
	w->rsp = kvmalloc(FSMB_RSP_INITIAL, GFP_KERNEL);
	if (!w->rsp) {
		fsmb_conn_close(conn);
		return;
	}
	w->rsp_cap = FSMB_RSP_INITIAL;

	for (off = 0; !w->drop_conn && (n = smb2_chain_next(&all, off)) > 0;
	     off += n)
		fsmb_cmd(&r, &all, off, n);
	if (r.pending)
		fsmb_rsp_finish(&r, 0);
	if (r.rsp_end && !w->drop_conn) {
		/* The transport owns the buffer from here on. */
		u8 *rsp = w->rsp;

		w->rsp = NULL;
		if (conn->ops->send(conn, rsp, r.rsp_end))
			w->drop_conn = true;
	}

	fsmb_drop_refs(w);
	kvfree(w->rsp);
	if (w->drop_conn)
		fsmb_conn_close(conn);
}

void fsmb_conn_process(struct fsmb_conn *conn, u8 *msg, size_t len)
{
	struct fsmb_cur c;

	WRITE_ONCE(conn->last_rx, jiffies);
	fsmb_cur_init(&c, msg, len);
	if (fsmb_cur_le32(&c) == SMB2_PROTO_ID) {
		fsmb_conn_smb2(conn, msg, len);
	} else if (smb1_is_negotiate(&c) && conn->state == FSMB_CONN_NEGOTIATE &&
		   !conn->dialect && !conn->seq_low) {
		/*
		 * [MS-SMB2] 3.3.5.3: the SMB1 NEGOTIATE counts as message id
		 * 0; the SMB2 NEGOTIATE that follows uses id 1.
		 */
		conn->seq_low = 1;
		fsmb_smb1_negotiate(conn, msg, len);
	} else {
		/* Other SMB1, encrypted or compressed messages: none negotiated. */
		fsmb_conn_close(conn);
	}
	kvfree(msg);
}

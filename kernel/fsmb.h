/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fsmb.ko object model.
 *
 *   server (one, static) ─┬─ listeners
 *                         └─ connections ── sessions ─┬─ trees
 *                                                     └─ opens (each names its tree)
 *
 * Every object is reference counted (kref). The table an object lives in
 * holds one reference; a lookup takes one more, which the request drops
 * when it is done. Lookups only succeed on objects in their live state, so
 * a request can never pick up an object that teardown has started on.
 *
 * Teardown order, the only one used anywhere (connection close, LOGOFF,
 * TREE_DISCONNECT, rmmod):
 *   1. the owner is marked dead and removed from its parent's table, so no
 *      new lookup can find it;
 *   2. its opens are closed (files fput) and removed from the session;
 *   3. its trees are removed from the session;
 *   4. the session is removed from the connection and the global table;
 *   5. the connection's socket is released, then the connection itself when
 *      its last reference goes.
 * Each step drops the table's reference; memory goes when the last request
 * holding a reference finishes.
 *
 * Requests of one connection are processed in order by that connection's
 * receive work item (nvmet-tcp style: socket callbacks queue work, there is
 * no thread per connection), so a connection's own state needs no lock
 * against itself; the locks below protect against teardown and the status
 * readers running elsewhere.
 */
#ifndef FSMB_H
#define FSMB_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/path.h>
#include <linux/cred.h>
#include <linux/socket.h>
#include <linux/uio.h>
#include <crypto/hash.h>

#include "proto/smb2.h"

#define FSMB_MAX_PDU		(8 * 1024 * 1024 + 64 * 1024)
#define FSMB_MAX_PREAUTH_PDU	(64 * 1024)	/* before a session is valid */
#define FSMB_MAX_IO		(8 * 1024 * 1024)	/* MaxRead/MaxWrite */
#define FSMB_MAX_TRANS		(1024 * 1024)	/* MaxTransactSize */
#define FSMB_MAX_CREDITS	8192
#define FSMB_RSP_INITIAL	(64 * 1024)
/*
 * Each open pins a struct file that no RLIMIT_NOFILE counts: without a cap
 * one session could exhaust the host's file table (fs.file-max).
 */
#define FSMB_MAX_OPENS_PER_SESSION	16384
#define FSMB_PREAUTH_HASH_SIZE	64

struct fsmb_conn;
struct fsmb_transport;
struct crypto_aead;
struct kmem_cache;

/* Global server state; configuration comes from the daemon's REGISTER. */
struct fsmb_server {
	struct mutex lock;		/* config, listeners, spnego_hint */
	u16 min_dialect;
	u16 max_dialect;
	bool signing_required;
	/* Limits from REGISTER; read without the lock (READ_ONCE). */
	u32 max_ip_conns;		/* connections per client address, 0: any */
	unsigned long auth_timeout;	/* jiffies until a session must be valid */
	unsigned long idle_timeout;	/* jiffies idle without opens, 0: never */
	u8 guid[16];
	u8 *spnego_hint;
	size_t spnego_hint_len;
	u64 start_time;			/* FILETIME */
	struct list_head listeners;

	spinlock_t conns_lock;		/* conns, stopping */
	struct list_head conns;
	bool stopping;

	struct xarray sessions;		/* id -> struct fsmb_session */
	struct workqueue_struct *wq;	/* receive/processing work */

	atomic_t nconns;
	atomic_t nsessions;
	atomic_t ntrees;
	atomic_t nopens;
};

extern struct fsmb_server fsmb_srv;

/* What a transport (TCP, later SMB-Direct, fd-handed QUIC) provides. */
struct fsmb_transport_ops {
	/*
	 * Send one whole message (the transport adds its framing). Takes
	 * @buf, which must be kvmalloc()ed, whatever it returns: the
	 * transport kvfree()s it once the socket has taken all of it, which
	 * may be after this returns (see transport_tcp.c).
	 */
	int (*send)(struct fsmb_conn *conn, u8 *buf, size_t len);
	/*
	 * Read what has arrived and feed each complete message to
	 * fsmb_conn_process(); runs in conn->rx_work.
	 */
	void (*recv)(struct fsmb_conn *conn);
	/* Stop callbacks and shut the socket down; may sleep. */
	void (*shutdown)(struct fsmb_conn *conn);
	void (*release)(struct fsmb_conn *conn);
};

enum fsmb_conn_state {
	FSMB_CONN_NEGOTIATE,	/* nothing negotiated yet */
	FSMB_CONN_ACTIVE,	/* NEGOTIATE done */
	FSMB_CONN_DEAD,		/* teardown started */
};

struct fsmb_conn {
	struct kref ref;
	struct list_head node;		/* fsmb_srv.conns */
	enum fsmb_conn_state state;
	const struct fsmb_transport_ops *ops;
	void *transport;		/* transport private (e.g. the socket) */
	struct sockaddr_storage peer;
	char peer_str[64];		/* "ip" for logs and the daemon */

	struct work_struct rx_work;
	struct mutex send_lock;		/* one message on the wire at a time */
	struct work_struct close_work;	/* teardown, off the receive path */
	/*
	 * Before a session is valid: drops the connection at the auth
	 * timeout. After: drops it when idle (no message for idle_timeout)
	 * with no open files.
	 */
	struct delayed_work timer;
	unsigned long last_rx;		/* jiffies of the last message */
	atomic_t nopens;		/* opens of all its sessions */
	bool closing;			/* fsmb_conn_close() ran (conns_lock) */
	bool authenticated;		/* a session became valid: full-size PDUs */

	/* Negotiated state */
	u16 dialect;
	u16 client_security_mode;
	u32 client_capabilities;
	u8 client_guid[16];
	bool signing_required;		/* server or client requires signing */
	u16 signing_algo;		/* SMB2_SIGNING_* (3.1.1 context, else per dialect) */
	u16 cipher;			/* 0: no encryption negotiated */
	u16 server_security_mode;	/* as sent in the NEGOTIATE response */
	u32 server_capabilities;	/* (FSCTL_VALIDATE_NEGOTIATE_INFO) */
	u8 preauth_hash[FSMB_PREAUTH_HASH_SIZE];	/* 3.1.1 connection hash */
	struct crypto_shash *sha512;	/* 3.1.1 preauth integrity */

	/*
	 * Credits: message ids in [seq_low, seq_low + granted) are allowed
	 * unless their bit (id modulo the window) in seq_bitmap says used.
	 */
	u64 seq_low;
	u32 credits_granted;
	unsigned long *seq_bitmap;	/* FSMB_MAX_CREDITS * 2 bits window */

	struct mutex sessions_lock;	/* sessions list vs teardown/status */
	struct list_head sessions;
};

enum fsmb_session_state {
	FSMB_SESSION_IN_PROGRESS,
	FSMB_SESSION_VALID,
	FSMB_SESSION_EXPIRED,
	FSMB_SESSION_DEAD,
};

struct fsmb_session {
	struct kref ref;
	struct list_head conn_node;	/* conn->sessions */
	struct fsmb_conn *conn;		/* holds a reference */
	u64 id;
	enum fsmb_session_state state;
	u64 auth_handle;		/* daemon conversation */
	u32 flags;			/* FSMB_SESSION_* from uapi */
	bool signing_required;
	u8 session_key[16];
	u8 signing_key[16];
	u8 preauth_hash[FSMB_PREAUTH_HASH_SIZE];
	struct crypto_shash *signer;	/* hmac(sha256) or cmac(aes); keyed */
	struct crypto_aead *gmac;	/* AES-GMAC (3.1.1) instead; keyed */
	const struct cred *cred;	/* who VFS operations run as */
	char *user;
	char *domain;

	struct mutex lock;		/* trees and opens tables vs teardown */
	struct xarray trees;		/* tree id -> struct fsmb_tree */
	struct xarray opens;		/* volatile id -> struct fsmb_open */
	u32 next_open_id;		/* xa_alloc_cyclic() hint, under lock */
};

struct fsmb_tree {
	struct kref ref;
	struct fsmb_session *sess;	/* borrowed: the session outlives it */
	u32 id;
	bool dead;
	u32 flags;			/* FSMB_SHARE_* from uapi */
	u32 maximal_access;
	char *share_name;
	struct path root;		/* share root; NULL dentry for IPC$ */
};

struct fsmb_open {
	struct kref ref;
	struct fsmb_tree *tree;		/* holds a reference */
	u64 persistent_id;
	u64 volatile_id;
	bool dead;
	struct file *filp;		/* NULL for a named pipe */
	u64 pipe_id;			/* named pipe handle in the daemon */
	u32 granted_access;
	u32 create_options;
	bool delete_on_close;
	bool is_dir;
	char *path;			/* share-relative, '/'-separated, UTF-8 */

	/* QUERY_DIRECTORY state */
	char *dir_pattern;
	loff_t dir_pos;
	bool dir_done;
};

/*
 * One received message being processed, possibly a compound chain. The
 * cursors are the only way handlers touch the request or the response.
 */
struct fsmb_work {
	struct fsmb_conn *conn;

	u8 *req;			/* whole message, without the 4-byte prefix */
	size_t req_len;
	size_t req_off;			/* current command's header */
	struct smb2_hdr hdr;		/* current command's header, decoded */
	struct fsmb_cur in;		/* base: current header; pos: its body */

	u8 *rsp;			/* kvmalloc'ed, grows with fsmb_work_reserve() */
	size_t rsp_cap;
	size_t rsp_off;			/* current response's header */
	struct fsmb_wcur out;		/* base: current response header; pos: body */

	/* Compound state: related commands inherit these. */
	struct fsmb_session *sess;	/* reference held */
	struct fsmb_tree *tree;		/* reference held */
	u64 related_pid;
	u64 related_vid;
	bool related_fid_valid;
	u32 related_status;		/* status of the previous command */

	bool no_response;		/* CANCEL, or connection to be dropped */
	bool drop_conn;			/* protocol violation: disconnect */
};

/*
 * Command handlers. Each decodes its body from @w->in with the codec layer,
 * writes its response body to @w->out and returns an NTSTATUS. A handler
 * that writes nothing gets the SMB2 ERROR body; one that writes a body keeps
 * it whatever the status (MORE_PROCESSING_REQUIRED, BUFFER_OVERFLOW).
 * The dispatcher has already resolved w->sess and w->tree where the command
 * needs them.
 */
typedef u32 (*fsmb_handler_t)(struct fsmb_work *w);

/* Make room for @n more bytes in w->out (may move the buffer). 0 or -ENOMEM. */
int fsmb_work_reserve(struct fsmb_work *w, size_t n);

/* main.c: slab caches, one per object type so /proc/slabinfo shows leaks */
extern struct kmem_cache *fsmb_conn_cache;
extern struct kmem_cache *fsmb_session_cache;

/* conn.c */
struct fsmb_conn *fsmb_conn_new(const struct fsmb_transport_ops *ops,
				void *transport,
				const struct sockaddr_storage *peer);
void fsmb_conn_get(struct fsmb_conn *conn);
void fsmb_conn_put(struct fsmb_conn *conn);
/* Feed one complete message (without the length prefix); takes ownership. */
void fsmb_conn_process(struct fsmb_conn *conn, u8 *msg, size_t len);
void fsmb_conn_close(struct fsmb_conn *conn);
void fsmb_conn_close_all(void);

/* session.c */
/* A session of @conn in any state but DEAD; callers check ->state. */
struct fsmb_session *fsmb_session_lookup(struct fsmb_conn *conn, u64 id);
void fsmb_session_put(struct fsmb_session *sess);
void fsmb_session_teardown(struct fsmb_session *sess);
u32 fsmb_smb2_session_setup(struct fsmb_work *w);
u32 fsmb_smb2_logoff(struct fsmb_work *w);

/* tree.c */
struct fsmb_tree *fsmb_tree_lookup(struct fsmb_session *sess, u32 id);
void fsmb_tree_put(struct fsmb_tree *tree);
void fsmb_tree_teardown(struct fsmb_tree *tree);
u32 fsmb_smb2_tree_connect(struct fsmb_work *w);
u32 fsmb_smb2_tree_disconnect(struct fsmb_work *w);

/* open.c: the open table (opens live in the session, name their tree) */
struct fsmb_open *fsmb_open_lookup(struct fsmb_work *w, u64 pid, u64 vid);
void fsmb_open_put(struct fsmb_open *op);
/* Close every open of @sess on @tree (NULL: all of the session's). */
void fsmb_open_close_all(struct fsmb_session *sess, struct fsmb_tree *tree);

/* negotiate.c */
u32 fsmb_smb2_negotiate(struct fsmb_work *w);
/* An SMB1 NEGOTIATE offering "SMB 2.002"/"SMB 2.???": answer with SMB2. */
void fsmb_smb1_negotiate(struct fsmb_conn *conn, u8 *msg, size_t len);

/* The file commands (create.c, io.c, dir.c, info.c, ioctl.c, pipe.c). */
u32 fsmb_smb2_create(struct fsmb_work *w);
u32 fsmb_smb2_close(struct fsmb_work *w);
u32 fsmb_smb2_flush(struct fsmb_work *w);
u32 fsmb_smb2_read(struct fsmb_work *w);
u32 fsmb_smb2_write(struct fsmb_work *w);
u32 fsmb_smb2_query_directory(struct fsmb_work *w);
u32 fsmb_smb2_query_info(struct fsmb_work *w);
u32 fsmb_smb2_set_info(struct fsmb_work *w);
u32 fsmb_smb2_ioctl(struct fsmb_work *w);

/* errno from the VFS -> NTSTATUS (vfs.c). */
u32 fsmb_errno_to_status(int err);

/* Windows FILETIME (100 ns since 1601) <-> timespec64. */
u64 fsmb_time_to_filetime(struct timespec64 ts);
struct timespec64 fsmb_filetime_to_time(u64 ft);

#endif /* FSMB_H */

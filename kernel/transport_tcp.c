// SPDX-License-Identifier: GPL-2.0
/*
 * Direct TCP transport ([MS-SMB2] 2.1): each message is a 4-byte header,
 * a zero byte and a 24-bit big-endian length, then the SMB message.
 *
 * No thread per connection (nvmet-tcp style): the listening socket's
 * sk_data_ready queues an accept work item, and a connection's
 * sk_data_ready, sk_write_space and sk_state_change queue its rx_work,
 * which reads with MSG_DONTWAIT until the socket is empty.
 *
 * Sends never block either. A response goes out with MSG_DONTWAIT; if
 * the socket does not take all of it, the transport keeps the response
 * buffer (send() takes it over, so nothing is copied) as the
 * connection's send tail, and
 * while there is a tail rx_work reads no further request: it only pushes
 * the tail, again when sk_write_space says there is room. So a client
 * that stops reading holds no worker (a blocking send would sleep in a
 * shared worker of the unbound workqueue, and enough such clients would
 * starve everyone else), it cannot make us queue more than the one
 * response it asked for (its requests stay in its own socket buffer and
 * TCP flow control stops it), and if the tail makes no progress for
 * FSMB_TCP_SEND_TIMEOUT the connection is dropped. A bounded blocking send
 * would be simpler but still holds a worker for the whole timeout per
 * stalled client, and a short timeout would drop slow but honest clients
 * in the middle of a large READ.
 *
 * Before authentication, receive buffers grow with what arrives (doubling,
 * from FSMB_TCP_RX_CHUNK) instead of being allocated for the declared
 * length: an unauthenticated peer that declares 64 KiB and sends a few
 * bytes costs us 16 KiB. After authentication a message gets its declared
 * length at once, so a large WRITE is read in place rather than copied
 * at every doubling; the connection limits bound what users can hold.
 */
#include <linux/fsmb.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "fsmb.h"
#include "transport.h"
#include "proto/framing.h"

/* Session message (0x00) and NetBIOS keepalive (0x85) header types. */
/* Messages handled per run of rx_work before it yields to other work. */
#define FSMB_TCP_RX_BUDGET	16
/* A send tail that makes no progress this long ends the connection. */
static unsigned int send_timeout = 60;
module_param(send_timeout, uint, 0644);
MODULE_PARM_DESC(send_timeout,
		 "Seconds a client may leave a response unread before it is dropped");
#define FSMB_TCP_SEND_TIMEOUT	(max(READ_ONCE(send_timeout), 1U) * HZ)
/* First allocation for a message; it doubles as more of it arrives. */
#define FSMB_TCP_RX_CHUNK	(16 * 1024)

struct fsmb_listener {
	struct list_head node;		/* fsmb_srv.listeners */
	struct socket *sock;
	u16 port;
	struct work_struct accept_work;
	void (*saved_data_ready)(struct sock *sk);
};

struct fsmb_tcp {
	struct socket *sock;
	struct fsmb_conn *conn;
	void (*saved_data_ready)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);
	void (*saved_write_space)(struct sock *sk);

	/* Receive state: the 4-byte header, then the message. */
	u8 prefix[FSMB_FRAME_HDR_SIZE];
	size_t prefix_got;
	u8 *msg;
	size_t msg_len;			/* declared length */
	size_t msg_cap;			/* allocated so far */
	size_t msg_got;

	/*
	 * Send tail: the last response, while the socket has not taken all
	 * of it. Written only by rx_work (the sender); tx_pending and
	 * tx_stamp are also read by the socket callback and the stall timer.
	 */
	u8 tx_prefix[FSMB_FRAME_HDR_SIZE];
	u8 *tx_buf;			/* the message, owned (kvmalloc) */
	size_t tx_len;			/* prefix + message */
	size_t tx_off;			/* of that, sent so far */
	bool tx_pending;
	unsigned long tx_stamp;		/* jiffies of the last progress */
	struct delayed_work tx_timer;
};

static void fsmb_tcp_data_ready(struct sock *sk)
{
	struct fsmb_tcp *t;

	read_lock_bh(&sk->sk_callback_lock);
	t = sk->sk_user_data;
	if (t)
		queue_work(fsmb_srv.wq, &t->conn->rx_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

/* Room in the send buffer: rx_work pushes the send tail on. */
static void fsmb_tcp_write_space(struct sock *sk)
{
	void (*saved)(struct sock *sk) = NULL;
	struct fsmb_tcp *t;

	read_lock_bh(&sk->sk_callback_lock);
	t = sk->sk_user_data;
	if (t) {
		saved = t->saved_write_space;
		if (READ_ONCE(t->tx_pending) && sk_stream_is_writeable(sk))
			queue_work(fsmb_srv.wq, &t->conn->rx_work);
	}
	read_unlock_bh(&sk->sk_callback_lock);
	if (saved)
		saved(sk);
}

/* FIN or RST: rx_work reads the end of the stream and closes. */
static void fsmb_tcp_state_change(struct sock *sk)
{
	void (*saved)(struct sock *sk) = NULL;
	struct fsmb_tcp *t;

	read_lock_bh(&sk->sk_callback_lock);
	t = sk->sk_user_data;
	if (t) {
		saved = t->saved_state_change;
		queue_work(fsmb_srv.wq, &t->conn->rx_work);
	}
	read_unlock_bh(&sk->sk_callback_lock);
	/* What the socket does by default (wakes waiters). */
	if (saved)
		saved(sk);
}

/* The send tail made no progress for FSMB_TCP_SEND_TIMEOUT: drop the peer. */
static void fsmb_tcp_tx_timeout(struct work_struct *work)
{
	struct fsmb_tcp *t = container_of(to_delayed_work(work),
					  struct fsmb_tcp, tx_timer);
	unsigned long due = READ_ONCE(t->tx_stamp) + FSMB_TCP_SEND_TIMEOUT;

	if (!READ_ONCE(t->tx_pending) || READ_ONCE(t->conn->closing))
		return;
	if (time_before(jiffies, due)) {
		queue_delayed_work(fsmb_srv.wq, &t->tx_timer, due - jiffies);
		return;
	}
	pr_info_ratelimited("fsmb: %s does not read its responses, disconnecting\n",
			    t->conn->peer_str);
	fsmb_conn_close(t->conn);
}

static int fsmb_tcp_read(struct fsmb_tcp *t, void *buf, size_t len)
{
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };

	return kernel_recvmsg(t->sock, &msg, &iov, 1, len, msg.msg_flags);
}

/* A whole 4-byte header is in t->prefix: 0 to go on, <0 to drop the peer. */
static int fsmb_tcp_header(struct fsmb_tcp *t)
{
	bool authenticated = READ_ONCE(t->conn->authenticated);
	struct fsmb_cur c;
	size_t len;
	int kind;

	t->prefix_got = 0;
	fsmb_cur_init(&c, t->prefix, sizeof(t->prefix));
	/*
	 * Until a session is valid only NEGOTIATE and SESSION_SETUP make
	 * sense: an unauthenticated peer cannot make us allocate more.
	 */
	kind = fsmb_frame_decode(&c, authenticated ? FSMB_MAX_PDU :
				 FSMB_MAX_PREAUTH_PDU, &len);
	if (kind != FSMB_FRAME_MSG)
		return kind == FSMB_FRAME_KEEPALIVE ? 0 : kind;
	t->msg_cap = authenticated ? len : min_t(size_t, len, FSMB_TCP_RX_CHUNK);
	t->msg = kvmalloc(t->msg_cap, GFP_KERNEL);
	if (!t->msg)
		return -ENOMEM;
	t->msg_len = len;
	t->msg_got = 0;
	return 0;
}

/* The buffer is full but the message is not: at most double it. */
static int fsmb_tcp_rx_grow(struct fsmb_tcp *t)
{
	size_t cap = min(t->msg_len, 2 * t->msg_cap);
	u8 *p;

	p = kvrealloc(t->msg, t->msg_cap, cap, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	t->msg = p;
	t->msg_cap = cap;
	return 0;
}

/*
 * Push the send tail on: 0 when it is all out, -EAGAIN when the socket is
 * full (sk_write_space will queue rx_work), another error when the
 * connection is unusable.
 */
static int fsmb_tcp_push(struct fsmb_tcp *t)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	size_t prefix = sizeof(t->tx_prefix), off;
	struct kvec iov[2];
	int n, ret;

	while (t->tx_off < t->tx_len) {
		n = 0;
		if (t->tx_off < prefix) {
			iov[n].iov_base = t->tx_prefix + t->tx_off;
			iov[n++].iov_len = prefix - t->tx_off;
		}
		off = t->tx_off > prefix ? t->tx_off - prefix : 0;
		iov[n].iov_base = t->tx_buf + off;
		iov[n++].iov_len = t->tx_len - prefix - off;
		ret = kernel_sendmsg(t->sock, &msg, iov, n,
				     t->tx_len - t->tx_off);
		if (ret == -EAGAIN)
			return -EAGAIN;
		if (ret <= 0)
			return ret ?: -EPIPE;
		t->tx_off += ret;
		WRITE_ONCE(t->tx_stamp, jiffies);
	}
	return 0;
}

static void fsmb_tcp_tx_done(struct fsmb_tcp *t)
{
	WRITE_ONCE(t->tx_pending, false);
	cancel_delayed_work(&t->tx_timer);
	kvfree(t->tx_buf);
	t->tx_buf = NULL;
}

/* rx_work: push the tail before anything else; 0 once it is gone. */
static int fsmb_tcp_flush(struct fsmb_tcp *t)
{
	int ret = fsmb_tcp_push(t);

	if (!ret)
		fsmb_tcp_tx_done(t);
	return ret;
}

static void fsmb_tcp_recv(struct fsmb_conn *conn)
{
	struct fsmb_tcp *t = conn->transport;
	int budget = FSMB_TCP_RX_BUDGET;
	int ret = 0;
	u8 *msg;

	while (!READ_ONCE(conn->closing)) {
		/* No new request while the last response is not out. */
		if (t->tx_buf) {
			ret = fsmb_tcp_flush(t);
			if (ret)
				break;
			continue;
		}
		if (!t->msg) {
			ret = fsmb_tcp_read(t, t->prefix + t->prefix_got,
					    sizeof(t->prefix) - t->prefix_got);
			if (ret <= 0)
				break;
			t->prefix_got += ret;
			if (t->prefix_got < sizeof(t->prefix))
				continue;
			ret = fsmb_tcp_header(t);
			if (ret)
				break;
			continue;
		}

		if (t->msg_got == t->msg_cap) {
			ret = fsmb_tcp_rx_grow(t);
			if (ret)
				break;
		}
		ret = fsmb_tcp_read(t, t->msg + t->msg_got,
				    t->msg_cap - t->msg_got);
		if (ret <= 0)
			break;
		t->msg_got += ret;
		if (t->msg_got < t->msg_len)
			continue;
		msg = t->msg;
		t->msg = NULL;
		fsmb_conn_process(conn, msg, t->msg_len);
		if (!--budget) {
			queue_work(fsmb_srv.wq, &conn->rx_work);
			return;
		}
	}
	if (READ_ONCE(conn->closing) || ret == -EAGAIN)
		return;
	/* 0: the peer closed; <0: error or a framing violation. */
	fsmb_conn_close(conn);
}

/*
 * Runs in rx_work (responses are sent by the request's processing), which
 * never has a send tail when it processes a request: send_lock only keeps
 * a future sender from another context off the stream.
 */
static int fsmb_tcp_send(struct fsmb_conn *conn, u8 *buf, size_t len)
{
	struct fsmb_tcp *t = conn->transport;
	struct fsmb_wcur w;
	int ret;

	if (len > FSMB_FRAME_MAX_LEN) {
		kvfree(buf);
		return -EMSGSIZE;
	}
	mutex_lock(&conn->send_lock);
	if (t->tx_buf) {
		mutex_unlock(&conn->send_lock);
		kvfree(buf);
		return -EBUSY;
	}
	fsmb_wcur_init(&w, t->tx_prefix, sizeof(t->tx_prefix));
	fsmb_frame_encode(&w, len);
	t->tx_buf = buf;
	t->tx_len = len + sizeof(t->tx_prefix);
	t->tx_off = 0;
	ret = fsmb_tcp_push(t);
	if (ret == -EAGAIN) {
		/*
		 * rx_work tries the tail again before it reads anything,
		 * after tx_pending is set: room that came before
		 * sk_write_space could see tx_pending is not missed.
		 */
		WRITE_ONCE(t->tx_stamp, jiffies);
		WRITE_ONCE(t->tx_pending, true);
		queue_delayed_work(fsmb_srv.wq, &t->tx_timer,
				   FSMB_TCP_SEND_TIMEOUT);
		ret = 0;
	} else {
		/* All out, or the stream is broken: no tail either way. */
		fsmb_tcp_tx_done(t);
	}
	mutex_unlock(&conn->send_lock);
	return ret;
}

static void fsmb_tcp_shutdown(struct fsmb_conn *conn)
{
	struct fsmb_tcp *t = conn->transport;
	struct sock *sk = t->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = t->saved_data_ready;
	sk->sk_state_change = t->saved_state_change;
	sk->sk_write_space = t->saved_write_space;
	write_unlock_bh(&sk->sk_callback_lock);
	kernel_sock_shutdown(t->sock, SHUT_RDWR);
}

static void fsmb_tcp_release(struct fsmb_conn *conn)
{
	struct fsmb_tcp *t = conn->transport;

	/* After rx_work is done for good: nothing queues the timer again. */
	cancel_delayed_work_sync(&t->tx_timer);
	sock_release(t->sock);
	kvfree(t->msg);
	kvfree(t->tx_buf);
	kfree(t);
}

static const struct fsmb_transport_ops fsmb_tcp_ops = {
	.send = fsmb_tcp_send,
	.recv = fsmb_tcp_recv,
	.shutdown = fsmb_tcp_shutdown,
	.release = fsmb_tcp_release,
};

static void fsmb_tcp_conn_start(struct socket *sock)
{
	struct sockaddr_storage peer = {};
	struct sock *sk = sock->sk;
	struct fsmb_conn *conn;
	struct fsmb_tcp *t;

	if (kernel_getpeername(sock, (struct sockaddr *)&peer) < 0)
		goto err_sock;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		goto err_sock;
	t->sock = sock;
	INIT_DELAYED_WORK(&t->tx_timer, fsmb_tcp_tx_timeout);
	conn = fsmb_conn_new(&fsmb_tcp_ops, t, &peer);
	if (IS_ERR(conn)) {
		pr_info_ratelimited("fsmb: refusing %pISc: %pe\n", &peer, conn);
		kfree(t);
		goto err_sock;
	}
	t->conn = conn;

	tcp_sock_set_nodelay(sk);
	sock_set_keepalive(sk);

	write_lock_bh(&sk->sk_callback_lock);
	t->saved_data_ready = sk->sk_data_ready;
	t->saved_state_change = sk->sk_state_change;
	t->saved_write_space = sk->sk_write_space;
	sk->sk_user_data = t;
	sk->sk_data_ready = fsmb_tcp_data_ready;
	sk->sk_state_change = fsmb_tcp_state_change;
	sk->sk_write_space = fsmb_tcp_write_space;
	write_unlock_bh(&sk->sk_callback_lock);
	/* Whatever arrived before the callbacks were in place. */
	queue_work(fsmb_srv.wq, &conn->rx_work);
	return;

err_sock:
	sock_release(sock);
}

static void fsmb_tcp_accept_work(struct work_struct *work)
{
	struct fsmb_listener *l = container_of(work, struct fsmb_listener,
					       accept_work);
	struct socket *sock;
	int err;

	for (;;) {
		err = kernel_accept(l->sock, &sock, O_NONBLOCK);
		if (err == -ECONNABORTED)
			continue;
		if (err)
			break;
		fsmb_tcp_conn_start(sock);
	}
	if (err != -EAGAIN)
		pr_warn_ratelimited("fsmb: accept on port %u: %d\n", l->port,
				    err);
}

static void fsmb_tcp_listen_data_ready(struct sock *sk)
{
	struct fsmb_listener *l;

	read_lock_bh(&sk->sk_callback_lock);
	l = sk->sk_user_data;
	if (l && sk->sk_state == TCP_LISTEN)
		queue_work(fsmb_srv.wq, &l->accept_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void fsmb_tcp_listener_close(struct fsmb_listener *l)
{
	struct sock *sk = l->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = l->saved_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	cancel_work_sync(&l->accept_work);
	sock_release(l->sock);
	kfree(l);
}

/* A listener on INADDR_ANY/in6addr_any @port, added to @list. */
static int fsmb_tcp_listener_open(u16 port, int family, struct list_head *list)
{
	struct sockaddr_storage addr = {};
	struct fsmb_listener *l;
	struct sock *sk;
	int alen, err;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	l->port = port;
	INIT_WORK(&l->accept_work, fsmb_tcp_accept_work);
	err = sock_create_kern(&init_net, family, SOCK_STREAM, IPPROTO_TCP,
			       &l->sock);
	if (err) {
		kfree(l);
		/* No IPv6 in this kernel: IPv4 alone will do. */
		return err == -EAFNOSUPPORT && family == AF_INET6 ? 0 : err;
	}
	sk = l->sock->sk;
	sock_set_reuseaddr(sk);
	if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&addr;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		alen = sizeof(*sin6);
		/* IPv4 has its own listener on the same port. */
		err = ip6_sock_set_v6only(sk);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&addr;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		alen = sizeof(*sin);
	}
	err = err ?: kernel_bind(l->sock, (struct sockaddr *)&addr, alen);
	err = err ?: kernel_listen(l->sock, SOMAXCONN);
	if (err) {
		pr_warn("fsmb: cannot listen on TCP port %u (%s): %d\n", port,
			family == AF_INET6 ? "IPv6" : "IPv4", err);
		sock_release(l->sock);
		kfree(l);
		return err;
	}

	write_lock_bh(&sk->sk_callback_lock);
	l->saved_data_ready = sk->sk_data_ready;
	sk->sk_user_data = l;
	sk->sk_data_ready = fsmb_tcp_listen_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	list_add_tail(&l->node, list);
	/* Connections queued before the callback was in place. */
	queue_work(fsmb_srv.wq, &l->accept_work);
	return 0;
}

static bool fsmb_port_listed(u16 port, const u16 *ports, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (ports[i] == port)
			return true;
	return false;
}

int fsmb_tcp_listen_start(const u16 *ports, int n)
{
	struct fsmb_listener *l, *tmp;
	LIST_HEAD(fresh);
	u16 open[FSMB_MAX_PORTS];
	int nopen = 0, i, err;

	lockdep_assert_held(&fsmb_srv.lock);
	list_for_each_entry(l, &fsmb_srv.listeners, node)
		if (nopen < ARRAY_SIZE(open) &&
		    !fsmb_port_listed(l->port, open, nopen))
			open[nopen++] = l->port;

	for (i = 0; i < n; i++) {
		if (fsmb_port_listed(ports[i], open, nopen))
			continue;
		err = fsmb_tcp_listener_open(ports[i], AF_INET, &fresh);
		err = err ?: fsmb_tcp_listener_open(ports[i], AF_INET6, &fresh);
		if (err)
			goto err_fresh;
	}

	list_for_each_entry_safe(l, tmp, &fsmb_srv.listeners, node) {
		if (fsmb_port_listed(l->port, ports, n))
			continue;
		list_del(&l->node);
		fsmb_tcp_listener_close(l);
	}
	list_splice_tail(&fresh, &fsmb_srv.listeners);
	return 0;

err_fresh:
	list_for_each_entry_safe(l, tmp, &fresh, node)
		fsmb_tcp_listener_close(l);
	return err;
}

void fsmb_tcp_listen_stop(void)
{
	struct fsmb_listener *l, *tmp;

	lockdep_assert_held(&fsmb_srv.lock);
	list_for_each_entry_safe(l, tmp, &fsmb_srv.listeners, node) {
		list_del(&l->node);
		fsmb_tcp_listener_close(l);
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * fsmb: in-kernel SMB2/3 server. Loading the module listens on nothing;
 * the daemon's REGISTER starts the listeners. Unloading works with
 * clients connected: they are disconnected and everything is freed.
 */
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "fsmb.h"
#include "transport.h"
#include "upcall.h"

struct fsmb_server fsmb_srv = {
	.lock = __MUTEX_INITIALIZER(fsmb_srv.lock),
	.min_dialect = SMB2_DIALECT_202,
	.max_dialect = SMB2_DIALECT_311,
	.max_ip_conns = FSMB_DEFAULT_MAX_IP_CONNS,
	.auth_timeout = FSMB_DEFAULT_AUTH_TIMEOUT * HZ,
	.idle_timeout = FSMB_DEFAULT_IDLE_TIMEOUT * HZ,
	.listeners = LIST_HEAD_INIT(fsmb_srv.listeners),
	.conns_lock = __SPIN_LOCK_UNLOCKED(fsmb_srv.conns_lock),
	.conns = LIST_HEAD_INIT(fsmb_srv.conns),
	.sessions = XARRAY_INIT(fsmb_srv.sessions, XA_FLAGS_ALLOC1),
};

struct kmem_cache *fsmb_conn_cache;
struct kmem_cache *fsmb_session_cache;

static int __init fsmb_init(void)
{
	int err = -ENOMEM;

	/* Until a daemon registers a GUID of its own. */
	get_random_bytes(fsmb_srv.guid, sizeof(fsmb_srv.guid));

	fsmb_conn_cache = KMEM_CACHE(fsmb_conn, 0);
	if (!fsmb_conn_cache)
		goto err;
	fsmb_session_cache = KMEM_CACHE(fsmb_session, 0);
	if (!fsmb_session_cache)
		goto err_conn_cache;
	/*
	 * A login waits for the daemon in its connection's rx_work, for up
	 * to FSMB_UPCALL_TIMEOUT_MS: with room for twice
	 * FSMB_UPCALL_MAX_PENDING work items, a slow or stopped daemon
	 * cannot take every worker from the logged-in users.
	 */
	fsmb_srv.wq = alloc_workqueue("fsmb", WQ_UNBOUND | WQ_MEM_RECLAIM,
				      2 * FSMB_UPCALL_MAX_PENDING);
	if (!fsmb_srv.wq)
		goto err_session_cache;
	err = fsmb_genl_init();
	if (err)
		goto err_wq;
	return 0;

err_wq:
	destroy_workqueue(fsmb_srv.wq);
err_session_cache:
	kmem_cache_destroy(fsmb_session_cache);
err_conn_cache:
	kmem_cache_destroy(fsmb_conn_cache);
err:
	return err;
}

static void __exit fsmb_exit(void)
{
	/* No daemon can register or answer now; pending requests fail. */
	fsmb_genl_exit();
	mutex_lock(&fsmb_srv.lock);
	fsmb_tcp_listen_stop();
	mutex_unlock(&fsmb_srv.lock);
	/* Disconnects every client and waits until all of it is freed. */
	fsmb_conn_close_all();
	/* Waits for the work items that dropped the last references. */
	destroy_workqueue(fsmb_srv.wq);
	kmem_cache_destroy(fsmb_session_cache);
	kmem_cache_destroy(fsmb_conn_cache);
	kfree(fsmb_srv.spnego_hint);
}

module_init(fsmb_init);
module_exit(fsmb_exit);
MODULE_DESCRIPTION("In-kernel SMB2/3 file server");
MODULE_LICENSE("GPL");
MODULE_ALIAS_GENL_FAMILY(FSMB_GENL_NAME);

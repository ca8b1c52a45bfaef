// SPDX-License-Identifier: GPL-2.0
/*
 * The fsmb generic netlink family: the daemon's registration, its replies
 * to kernel requests and the status query. Every operation has its own
 * strict policy, so an attribute an operation does not take is an error.
 */
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "fsmb.h"
#include "transport.h"
#include "upcall.h"

/* Netlink port id of the daemon; 0 when none is registered. */
static u32 fsmb_daemon;

u32 fsmb_daemon_portid(void)
{
	return READ_ONCE(fsmb_daemon);
}

static const struct nla_policy fsmb_port_policy[FSMB_A_PORT + 1] = {
	[FSMB_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

static struct netlink_range_validation fsmb_auth_timeout_range = {
	.min = 1,
	.max = FSMB_MAX_AUTH_TIMEOUT,
};

static struct netlink_range_validation fsmb_idle_timeout_range = {
	.max = FSMB_MAX_IDLE_TIMEOUT,
};

static const struct nla_policy fsmb_register_policy[FSMB_A_MAX + 1] = {
	[FSMB_A_VERSION] = { .type = NLA_U32 },
	[FSMB_A_PORTS] = NLA_POLICY_NESTED(fsmb_port_policy),
	[FSMB_A_MIN_DIALECT] = { .type = NLA_U16 },
	[FSMB_A_MAX_DIALECT] = { .type = NLA_U16 },
	[FSMB_A_SIGNING] = NLA_POLICY_MAX(NLA_U8, FSMB_SIGNING_MANDATORY),
	[FSMB_A_SERVER_GUID] = NLA_POLICY_EXACT_LEN(16),
	[FSMB_A_SPNEGO_HINT] = { .type = NLA_BINARY, .len = FSMB_MAX_SEC_BLOB },
	[FSMB_A_MAX_IP_CONNS] = { .type = NLA_U32 },
	[FSMB_A_AUTH_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32,
						      &fsmb_auth_timeout_range),
	[FSMB_A_IDLE_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32,
						      &fsmb_idle_timeout_range),
};

static const struct nla_policy fsmb_login_reply_policy[FSMB_A_MAX + 1] = {
	[FSMB_A_REQ_ID] = { .type = NLA_U64 },
	[FSMB_A_STATUS] = { .type = NLA_U32 },
	[FSMB_A_SEC_BLOB] = { .type = NLA_BINARY, .len = FSMB_MAX_SEC_BLOB },
	[FSMB_A_SESSION_KEY] = NLA_POLICY_EXACT_LEN(16),
	[FSMB_A_UID] = { .type = NLA_U32 },
	[FSMB_A_GID] = { .type = NLA_U32 },
	[FSMB_A_GROUPS] = { .type = NLA_BINARY,
			    .len = FSMB_MAX_GROUPS * sizeof(u32) },
	[FSMB_A_USER_NAME] = { .type = NLA_NUL_STRING, .len = FSMB_MAX_NAME - 1 },
	[FSMB_A_DOMAIN_NAME] = { .type = NLA_NUL_STRING,
				 .len = FSMB_MAX_NAME - 1 },
	[FSMB_A_SESSION_FLAGS] = NLA_POLICY_MASK(NLA_U32, FSMB_SESSION_GUEST |
						 FSMB_SESSION_ANONYMOUS),
};

static const struct nla_policy fsmb_tree_reply_policy[FSMB_A_MAX + 1] = {
	[FSMB_A_REQ_ID] = { .type = NLA_U64 },
	[FSMB_A_STATUS] = { .type = NLA_U32 },
	[FSMB_A_SHARE_PATH] = { .type = NLA_NUL_STRING,
				.len = FSMB_MAX_PATH - 1 },
	[FSMB_A_SHARE_FLAGS] = NLA_POLICY_MASK(NLA_U32, FSMB_SHARE_READ_ONLY |
					       FSMB_SHARE_IPC),
};

static const struct nla_policy fsmb_pipe_reply_policy[FSMB_A_MAX + 1] = {
	[FSMB_A_REQ_ID] = { .type = NLA_U64 },
	[FSMB_A_STATUS] = { .type = NLA_U32 },
	[FSMB_A_DATA] = { .type = NLA_BINARY, .len = FSMB_MAX_PIPE_DATA },
	[FSMB_A_MORE_DATA] = { .type = NLA_FLAG },
};

static const struct nla_policy fsmb_status_policy[FSMB_A_VERSION + 1] = {
	[FSMB_A_VERSION] = { .type = NLA_U32 },
};

static bool fsmb_dialect_known(u16 d)
{
	switch (d) {
	case SMB2_DIALECT_202:
	case SMB2_DIALECT_210:
	case SMB2_DIALECT_300:
	case SMB2_DIALECT_302:
	case SMB2_DIALECT_311:
		return true;
	default:
		return false;
	}
}

static int fsmb_nl_ports(struct genl_info *info, u16 *ports)
{
	const struct nlattr *port;
	int rem, n = 0, i;

	if (!info->attrs[FSMB_A_PORTS]) {
		NL_SET_ERR_MSG(info->extack, "no ports to listen on");
		return -EINVAL;
	}
	nla_for_each_nested(port, info->attrs[FSMB_A_PORTS], rem) {
		u16 p = nla_get_u16(port);

		for (i = 0; i < n && ports[i] != p; i++)
			;
		if (i < n)
			continue;
		if (n == FSMB_MAX_PORTS) {
			NL_SET_ERR_MSG_ATTR(info->extack, port,
					    "too many ports");
			return -EINVAL;
		}
		ports[n++] = p;
	}
	if (!n) {
		NL_SET_ERR_MSG(info->extack, "no ports to listen on");
		return -EINVAL;
	}
	return n;
}

static int fsmb_nl_register(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	u16 min = SMB2_DIALECT_202, max = SMB2_DIALECT_311;
	u16 ports[FSMB_MAX_PORTS];
	u8 *hint = NULL;
	size_t hint_len = 0;
	u32 old;
	int nports, err;

	if (!a[FSMB_A_VERSION]) {
		NL_SET_ERR_MSG(info->extack, "missing version");
		return -EINVAL;
	}
	if (nla_get_u32(a[FSMB_A_VERSION]) != FSMB_GENL_VERSION) {
		NL_SET_ERR_MSG(info->extack,
			       "fsmbd and fsmb.ko speak different versions");
		return -EPROTO;
	}
	nports = fsmb_nl_ports(info, ports);
	if (nports < 0)
		return nports;
	if (a[FSMB_A_MIN_DIALECT])
		min = nla_get_u16(a[FSMB_A_MIN_DIALECT]);
	if (a[FSMB_A_MAX_DIALECT])
		max = nla_get_u16(a[FSMB_A_MAX_DIALECT]);
	if (!fsmb_dialect_known(min) || !fsmb_dialect_known(max) || min > max) {
		NL_SET_ERR_MSG(info->extack, "bad dialect range");
		return -EINVAL;
	}
	if (a[FSMB_A_SPNEGO_HINT] && nla_len(a[FSMB_A_SPNEGO_HINT])) {
		hint_len = nla_len(a[FSMB_A_SPNEGO_HINT]);
		hint = nla_memdup(a[FSMB_A_SPNEGO_HINT], GFP_KERNEL);
		if (!hint)
			return -ENOMEM;
	}

	mutex_lock(&fsmb_srv.lock);
	err = fsmb_tcp_listen_start(ports, nports);
	if (err) {
		mutex_unlock(&fsmb_srv.lock);
		kfree(hint);
		NL_SET_ERR_MSG(info->extack, "cannot listen on the ports");
		return err;
	}
	fsmb_srv.min_dialect = min;
	fsmb_srv.max_dialect = max;
	fsmb_srv.signing_required = a[FSMB_A_SIGNING] &&
		nla_get_u8(a[FSMB_A_SIGNING]) == FSMB_SIGNING_MANDATORY;
	if (a[FSMB_A_SERVER_GUID])
		nla_memcpy(fsmb_srv.guid, a[FSMB_A_SERVER_GUID],
			   sizeof(fsmb_srv.guid));
	kfree(fsmb_srv.spnego_hint);
	fsmb_srv.spnego_hint = hint;
	fsmb_srv.spnego_hint_len = hint_len;
	/* Absent: the defaults, so a REGISTER says the whole configuration. */
	WRITE_ONCE(fsmb_srv.max_ip_conns, a[FSMB_A_MAX_IP_CONNS] ?
		   nla_get_u32(a[FSMB_A_MAX_IP_CONNS]) :
		   FSMB_DEFAULT_MAX_IP_CONNS);
	WRITE_ONCE(fsmb_srv.auth_timeout, HZ * (a[FSMB_A_AUTH_TIMEOUT] ?
		   nla_get_u32(a[FSMB_A_AUTH_TIMEOUT]) :
		   FSMB_DEFAULT_AUTH_TIMEOUT));
	WRITE_ONCE(fsmb_srv.idle_timeout, HZ * (unsigned long)
		   (a[FSMB_A_IDLE_TIMEOUT] ? nla_get_u32(a[FSMB_A_IDLE_TIMEOUT]) :
		    FSMB_DEFAULT_IDLE_TIMEOUT));
	mutex_unlock(&fsmb_srv.lock);

	/*
	 * A new daemon replaces the old one: what was sent to the old one
	 * will not be answered by the new one, so fail it now rather than
	 * at the timeout.
	 */
	old = xchg(&fsmb_daemon, info->snd_portid);
	if (old && old != info->snd_portid)
		fsmb_upcall_daemon_gone();
	return 0;
}

static int fsmb_nl_reply(struct sk_buff *skb, struct genl_info *info)
{
	return fsmb_upcall_complete(info);
}

static int fsmb_nl_status(struct sk_buff *skb, struct genl_info *info)
{
	u32 portid = fsmb_daemon_portid();
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(5 * nla_total_size(sizeof(u32)) +
			  nla_total_size(sizeof(u8)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &fsmb_genl_family, 0,
				FSMB_CMD_STATUS_GET);
	/*
	 * Anyone may ask, but only an admin learns the daemon's port id: it
	 * is all an unprivileged process needs to aim netlink messages at
	 * the daemon's socket.
	 */
	if (!hdr ||
	    nla_put_u8(msg, FSMB_A_DAEMON_UP, !!portid) ||
	    (netlink_capable(skb, CAP_NET_ADMIN) &&
	     nla_put_u32(msg, FSMB_A_DAEMON_PID, portid)) ||
	    nla_put_u32(msg, FSMB_A_NUM_CONNS, atomic_read(&fsmb_srv.nconns)) ||
	    nla_put_u32(msg, FSMB_A_NUM_SESSIONS,
			atomic_read(&fsmb_srv.nsessions)) ||
	    nla_put_u32(msg, FSMB_A_NUM_TREES, atomic_read(&fsmb_srv.ntrees)) ||
	    nla_put_u32(msg, FSMB_A_NUM_OPENS, atomic_read(&fsmb_srv.nopens))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static const struct genl_ops fsmb_genl_ops[] = {
	{
		.cmd = FSMB_CMD_REGISTER,
		.doit = fsmb_nl_register,
		.policy = fsmb_register_policy,
		.maxattr = FSMB_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = FSMB_CMD_LOGIN_REPLY,
		.doit = fsmb_nl_reply,
		.policy = fsmb_login_reply_policy,
		.maxattr = FSMB_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = FSMB_CMD_TREE_REPLY,
		.doit = fsmb_nl_reply,
		.policy = fsmb_tree_reply_policy,
		.maxattr = FSMB_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = FSMB_CMD_PIPE_REPLY,
		.doit = fsmb_nl_reply,
		.policy = fsmb_pipe_reply_policy,
		.maxattr = FSMB_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = FSMB_CMD_STATUS_GET,
		.doit = fsmb_nl_status,
		.policy = fsmb_status_policy,
		.maxattr = FSMB_A_VERSION,
	},
};

struct genl_family fsmb_genl_family __ro_after_init = {
	.name = FSMB_GENL_NAME,
	.version = FSMB_GENL_VERSION,
	.maxattr = FSMB_A_MAX,
	.module = THIS_MODULE,
	.ops = fsmb_genl_ops,
	.n_ops = ARRAY_SIZE(fsmb_genl_ops),
	/* Handlers lock what they touch: no need for the global genl_mutex. */
	.parallel_ops = true,
};

/*
 * The daemon's netlink socket went away (it exited or crashed). Sessions
 * stay; requests waiting for it fail at once instead of at the timeout,
 * and new ones fail until a daemon registers again.
 */
static int fsmb_netlink_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct netlink_notify *n = ptr;
	u32 portid = READ_ONCE(fsmb_daemon);

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net) || !portid || n->portid != portid)
		return NOTIFY_DONE;
	if (cmpxchg(&fsmb_daemon, portid, 0) == portid)
		fsmb_upcall_daemon_gone();
	return NOTIFY_DONE;
}

static struct notifier_block fsmb_netlink_notifier = {
	.notifier_call = fsmb_netlink_event,
};

int fsmb_genl_init(void)
{
	int err;

	err = netlink_register_notifier(&fsmb_netlink_notifier);
	if (err)
		return err;
	err = genl_register_family(&fsmb_genl_family);
	if (err)
		netlink_unregister_notifier(&fsmb_netlink_notifier);
	return err;
}

void fsmb_genl_exit(void)
{
	/* Waits for running handlers: no REGISTER or reply after this. */
	genl_unregister_family(&fsmb_genl_family);
	netlink_unregister_notifier(&fsmb_netlink_notifier);
	WRITE_ONCE(fsmb_daemon, 0);
	fsmb_upcall_daemon_gone();
}

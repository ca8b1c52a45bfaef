// SPDX-License-Identifier: GPL-2.0
/*
 * `fsmbctl status`: resolve the "fsmb" generic netlink family and ask the
 * module for FSMB_CMD_STATUS_GET. Read-only, so any user may run it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/fsmb.h>
#include <linux/genetlink.h>

#include "fsmbctl.h"

/* Both replies are a few attributes; a page is plenty. */
#define FSMBCTL_NL_BUF	8192

struct fsmbctl_attrs {
	const struct nlattr **tb;
	unsigned int max;
};

struct fsmbctl_family {
	uint16_t id;
	uint32_t version;
};

struct fsmbctl_counter {
	int attr;
	const char *label;	/* text output */
	const char *key;	/* JSON output */
};

static const struct fsmbctl_counter fsmbctl_counters[] = {
	{ FSMB_A_NUM_CONNS, "connections", "connections" },
	{ FSMB_A_NUM_SESSIONS, "sessions", "sessions" },
	{ FSMB_A_NUM_TREES, "tree connects", "tree_connects" },
	{ FSMB_A_NUM_OPENS, "open files", "open_files" },
};

struct fsmbctl_status {
	const struct nlattr *tb[FSMB_A_MAX + 1];
	uint32_t daemon;	/* its netlink port id, if we were told */
	bool has_portid;
	bool up;		/* a daemon is registered */
	uint32_t counters[sizeof(fsmbctl_counters) / sizeof(fsmbctl_counters[0])];
	bool has_counter[sizeof(fsmbctl_counters) / sizeof(fsmbctl_counters[0])];
	bool got;
};

static int fsmbctl_store_attr(const struct nlattr *a, void *data)
{
	struct fsmbctl_attrs *attrs = data;
	unsigned int type = mnl_attr_get_type(a);

	/* Attributes newer than this tool are skipped, not fatal. */
	if (type <= attrs->max)
		attrs->tb[type] = a;
	return MNL_CB_OK;
}

static int fsmbctl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb,
			 unsigned int max)
{
	struct fsmbctl_attrs attrs = { .tb = tb, .max = max };

	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr),
			      fsmbctl_store_attr, &attrs);
}

static int fsmbctl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { NULL };
	struct fsmbctl_family *fam = data;

	if (fsmbctl_parse(nlh, tb, CTRL_ATTR_MAX) < 0)
		return MNL_CB_ERROR;
	if (!tb[CTRL_ATTR_FAMILY_ID] ||
	    mnl_attr_validate(tb[CTRL_ATTR_FAMILY_ID], MNL_TYPE_U16) < 0)
		return MNL_CB_ERROR;
	fam->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION] &&
	    mnl_attr_validate(tb[CTRL_ATTR_VERSION], MNL_TYPE_U32) >= 0)
		fam->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	return MNL_CB_OK;
}

static bool fsmbctl_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return false;
	*v = mnl_attr_get_u32(a);
	return true;
}

static int fsmbctl_status_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fsmbctl_status *st = data;
	size_t i;

	if (fsmbctl_parse(nlh, st->tb, FSMB_A_MAX) < 0)
		return MNL_CB_ERROR;
	/*
	 * The port id comes only to CAP_NET_ADMIN; DAEMON_UP to anyone
	 * (a module without DAEMON_UP sends the port id to anyone).
	 */
	st->has_portid = fsmbctl_u32(st->tb[FSMB_A_DAEMON_PID], &st->daemon);
	if (st->tb[FSMB_A_DAEMON_UP] &&
	    mnl_attr_validate(st->tb[FSMB_A_DAEMON_UP], MNL_TYPE_U8) >= 0)
		st->up = mnl_attr_get_u8(st->tb[FSMB_A_DAEMON_UP]);
	else
		st->up = st->daemon != 0;
	for (i = 0; i < sizeof(fsmbctl_counters) / sizeof(fsmbctl_counters[0]); i++)
		st->has_counter[i] = fsmbctl_u32(st->tb[fsmbctl_counters[i].attr],
						 &st->counters[i]);
	st->got = true;
	return MNL_CB_OK;
}

/*
 * Send a genl request for @cmd and feed the answers to @cb until the
 * kernel's acknowledgement. Returns 0 or -errno (the kernel's, for a
 * refused request).
 */
static int fsmbctl_request(struct mnl_socket *nl, uint16_t type, uint8_t cmd,
			   uint8_t version, const char *family, mnl_cb_t cb,
			   void *data)
{
	static uint32_t seq;
	char buf[FSMBCTL_NL_BUF];
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	unsigned int portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int r;

	if (!seq)
		seq = time(NULL);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	if (family)
		mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, family);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		/* mnl_cb_run() leaves errno alone when a callback fails. */
		errno = 0;
		r = mnl_cb_run(buf, n, nlh->nlmsg_seq, portid, cb, data);
	} while (r > MNL_CB_STOP);
	return r < 0 ? -(errno ? errno : EPROTO) : 0;
}

static void fsmbctl_print(const struct fsmbctl_family *fam,
			  const struct fsmbctl_status *st, bool json)
{
	size_t i, n = sizeof(fsmbctl_counters) / sizeof(fsmbctl_counters[0]);

	if (json) {
		printf("{\"module\":{\"family_id\":%u,\"version\":%u},"
		       "\"daemon\":{\"registered\":%s",
		       fam->id, fam->version, st->up ? "true" : "false");
		if (st->has_portid && st->up)
			printf(",\"portid\":%u", st->daemon);
		printf("}");
		for (i = 0; i < n; i++)
			if (st->has_counter[i])
				printf(",\"%s\":%u", fsmbctl_counters[i].key,
				       st->counters[i]);
		printf("}\n");
		return;
	}
	printf("%-14s loaded (generic netlink family \"%s\", id %u, version %u)\n",
	       "module:", FSMB_GENL_NAME, fam->id, fam->version);
	if (st->up && st->has_portid)
		printf("%-14s registered (netlink port id %u)\n", "daemon:",
		       st->daemon);
	else if (st->up)
		printf("%-14s registered\n", "daemon:");
	else
		printf("%-14s not running: clients cannot log in\n", "daemon:");
	for (i = 0; i < n; i++) {
		char label[32];

		if (!st->has_counter[i])
			continue;
		snprintf(label, sizeof(label), "%s:", fsmbctl_counters[i].label);
		printf("%-14s %u\n", label, st->counters[i]);
	}
}

int fsmbctl_status(bool json)
{
	struct fsmbctl_family fam = { 0 };
	struct fsmbctl_status st = { 0 };
	struct mnl_socket *nl;
	int r, ret = FSMBCTL_EXIT_FAIL;

	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "fsmbctl: generic netlink socket: %s\n",
			strerror(errno));
		goto out;
	}
	r = fsmbctl_request(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
			    FSMB_GENL_NAME, fsmbctl_family_cb, &fam);
	if (r == -ENOENT || (!r && !fam.id)) {
		fprintf(stderr, "fsmbctl: fsmb module not loaded (modprobe fsmb)\n");
		goto out;
	}
	if (r) {
		fprintf(stderr, "fsmbctl: resolving the %s netlink family: %s\n",
			FSMB_GENL_NAME, strerror(-r));
		goto out;
	}
	if (fam.version != FSMB_GENL_VERSION)
		fprintf(stderr,
			"fsmbctl: warning: the module speaks netlink version %u, this fsmbctl %u\n",
			fam.version, FSMB_GENL_VERSION);
	r = fsmbctl_request(nl, fam.id, FSMB_CMD_STATUS_GET, FSMB_GENL_VERSION,
			    NULL, fsmbctl_status_cb, &st);
	if (r || !st.got) {
		fprintf(stderr, "fsmbctl: status request: %s\n",
			strerror(r ? -r : EPROTO));
		goto out;
	}
	fsmbctl_print(&fam, &st, json);
	ret = FSMBCTL_EXIT_OK;
out:
	if (nl)
		mnl_socket_close(nl);
	return ret;
}

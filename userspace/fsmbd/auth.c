// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "log.h"
#include "ntstatus.h"
#include "spnego.h"
#include "users.h"
#include "utf16.h"

#define AUTH_BUCKETS	1024	/* power of two */

struct auth_conv {
	uint64_t handle;
	time_t born;			/* CLOCK_MONOTONIC seconds */
	struct auth_conv *hnext;	/* hash chain */
	struct auth_conv *older, *newer;	/* creation order = expiry order */
	/*
	 * The names the conversation runs with, copied: a configuration
	 * reload must not pull them from under a conversation in progress.
	 */
	struct fsmb_ntlmssp_conf nconf;
	char *names;
	struct fsmb_spnego_srv spnego;
};

struct fsmb_auth {
	struct auth_conv *buckets[AUTH_BUCKETS];
	struct auth_conv *oldest, *newest;
	size_t count;
};

static time_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static size_t bucket_of(uint64_t handle)
{
	/* Fibonacci hashing: kernel handles may be sequential. */
	return (size_t)((handle * 0x9e3779b97f4a7c15ULL) >> 54) &
	       (AUTH_BUCKETS - 1);
}

struct fsmb_auth *fsmb_auth_new(void)
{
	return calloc(1, sizeof(struct fsmb_auth));
}

static struct auth_conv *conv_find(struct fsmb_auth *a, uint64_t handle)
{
	struct auth_conv *c;

	for (c = a->buckets[bucket_of(handle)]; c; c = c->hnext)
		if (c->handle == handle)
			return c;
	return NULL;
}

static void conv_free(struct auth_conv *c)
{
	fsmb_spnego_srv_free(&c->spnego);
	free(c->names);
	free(c);
}

static void conv_remove(struct fsmb_auth *a, struct auth_conv *c)
{
	struct auth_conv **pp = &a->buckets[bucket_of(c->handle)];

	while (*pp != c)
		pp = &(*pp)->hnext;
	*pp = c->hnext;
	if (c->older)
		c->older->newer = c->newer;
	else
		a->oldest = c->newer;
	if (c->newer)
		c->newer->older = c->older;
	else
		a->newest = c->older;
	a->count--;
	conv_free(c);
}

void fsmb_auth_free(struct fsmb_auth *a)
{
	if (!a)
		return;
	while (a->oldest)
		conv_remove(a, a->oldest);
	free(a);
}

void fsmb_auth_expire(struct fsmb_auth *a)
{
	time_t now = mono_now();

	while (a->oldest && now - a->oldest->born >= FSMB_AUTH_TIMEOUT) {
		fsmb_dbg(1, "authentication %llu expired",
			 (unsigned long long)a->oldest->handle);
		conv_remove(a, a->oldest);
	}
}

size_t fsmb_auth_count(const struct fsmb_auth *a)
{
	return a->count;
}

static bool any_guest_share(const struct fsmb_conf *conf)
{
	size_t i;

	for (i = 0; i < conf->nshares; i++)
		if (conf->shares[i].guest_ok)
			return true;
	return false;
}

/*
 * Copy the names a conversation needs into one block. The DNS names come
 * from the host name: "host.example.org" is the computer, "example.org"
 * its domain.
 */
static int conv_names(struct auth_conv *c, const struct fsmb_conf *conf)
{
	char host[HOST_NAME_MAX + 1];
	const char *dot;
	size_t nb, wg, hl, sd;
	char *p;

	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "%s", conf->netbios_name);
	host[sizeof(host) - 1] = '\0';
	nb = strlen(conf->netbios_name) + 1;
	wg = strlen(conf->workgroup) + 1;
	hl = strlen(host) + 1;
	sd = strlen(conf->state_dir) + 1;
	c->names = malloc(nb + wg + hl + sd);
	if (!c->names)
		return -ENOMEM;
	p = c->names;
	c->nconf.netbios_name = memcpy(p, conf->netbios_name, nb);
	p += nb;
	c->nconf.workgroup = memcpy(p, conf->workgroup, wg);
	p += wg;
	c->nconf.dns_name = memcpy(p, host, hl);
	dot = strchr(c->nconf.dns_name, '.');
	c->nconf.dns_domain = dot ? dot + 1 : "";
	p += hl;
	c->nconf.lookup_arg = memcpy(p, conf->state_dir, sd);
	c->nconf.lookup = fsmb_auth_lookup;
	c->nconf.allow_anonymous = any_guest_share(conf);
	return 0;
}

static struct auth_conv *conv_new(struct fsmb_auth *a,
				  const struct fsmb_conf *conf,
				  uint64_t handle)
{
	struct auth_conv *c = calloc(1, sizeof(*c));
	size_t b = bucket_of(handle);

	if (!c)
		return NULL;
	if (conv_names(c, conf)) {
		free(c);
		return NULL;
	}
	fsmb_spnego_srv_init(&c->spnego, &c->nconf);
	c->handle = handle;
	c->born = mono_now();
	c->hnext = a->buckets[b];
	a->buckets[b] = c;
	c->older = a->newest;
	if (a->newest)
		a->newest->newer = c;
	else
		a->oldest = c;
	a->newest = c;
	a->count++;
	return c;
}

struct find_user {
	const char *want;
	char *canon;
	size_t canon_size;
};

static int find_user_cb(const char *name, void *arg)
{
	struct find_user *f = arg;

	if (!fsmb_utf8_name_eq(name, f->want))
		return 0;
	snprintf(f->canon, f->canon_size, "%s", name);
	return 1;
}

int fsmb_auth_lookup(void *state_dir, const char *user, char *canon,
		     size_t canon_size, uint8_t hash[FSMB_NTLMSSP_KEY_LEN])
{
	struct find_user f = { user, canon, canon_size };
	int r;

	r = fsmb_users_foreach(state_dir, find_user_cb, &f);
	if (r < 0)
		return r;
	if (r == 0)
		return -ENOENT;
	return fsmb_users_lookup(state_dir, canon, hash);
}

/*
 * getpwnam_r() with a buffer grown as needed; *@buf is the caller's to
 * free. SMB names are case-insensitive and unix names are not, so a name
 * not found as given is tried in lower case, as Samba does.
 */
static bool get_passwd(const char *name, struct passwd *pw, char **buf)
{
	char lower[FSMB_MAX_NAME];
	const char *try[2] = { name, lower };
	size_t cap = 1024, i, t;
	struct passwd *res;
	int err;

	for (i = 0; name[i] && i < sizeof(lower) - 1; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	lower[i] = '\0';
	for (t = 0; t < 2; t++) {
		for (;;) {
			char *grown = realloc(*buf, cap);

			if (!grown)
				return false;
			*buf = grown;
			err = getpwnam_r(try[t], pw, *buf, cap, &res);
			if (err != ERANGE || cap >= 1 << 20)
				break;
			cap *= 2;
		}
		if (!err && res)
			return true;
	}
	return false;
}

/* The unix identity a successful authentication maps to. */
static uint32_t map_unix(const struct fsmb_conf *conf,
			 const struct fsmb_ntlmssp *n,
			 struct fsmb_login_result *res)
{
	const char *name = n->anonymous ? conf->guest_account : n->user;
	gid_t groups[FSMB_MAX_GROUPS];
	int ng = FSMB_MAX_GROUPS, i;
	struct passwd pw;
	char *buf = NULL;

	if (!get_passwd(name, &pw, &buf)) {
		fsmb_log(LOG_WARNING,
			 "%s '%s' has no unix account: login refused",
			 n->anonymous ? "guest account" : "user", name);
		free(buf);
		return FSMB_STATUS_LOGON_FAILURE;
	}
	res->uid = pw.pw_uid;
	res->gid = pw.pw_gid;
	/* With more groups glibc fills the first FSMB_MAX_GROUPS and fails. */
	if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &ng) < 0) {
		fsmb_log(LOG_WARNING,
			 "'%s' is in more than %d groups; only the first %d apply",
			 pw.pw_name, FSMB_MAX_GROUPS, FSMB_MAX_GROUPS);
		ng = FSMB_MAX_GROUPS;
	}
	free(buf);
	for (i = 0; i < ng; i++)
		res->groups[i] = groups[i];
	res->ngroups = (size_t)ng;

	snprintf(res->user, sizeof(res->user), "%s", name);
	snprintf(res->domain, sizeof(res->domain), "%s", conf->netbios_name);
	res->session_flags = n->anonymous ?
		FSMB_SESSION_ANONYMOUS | FSMB_SESSION_GUEST : 0;
	memcpy(res->session_key, n->session_key, sizeof(res->session_key));
	return FSMB_STATUS_SUCCESS;
}

/* A SPNEGO reject token in place of whatever was to be sent. */
static void reject_blob(const struct auth_conv *c,
			struct fsmb_login_result *res)
{
	uint8_t buf[16];
	ssize_t n;

	free(res->blob);
	res->blob = NULL;
	res->blob_len = 0;
	if (c->spnego.raw)
		return;
	n = fsmb_spnego_build_resp(buf, sizeof(buf), FSMB_SPNEGO_REJECT, false,
				   NULL, 0, NULL, 0);
	res->blob = n > 0 ? malloc((size_t)n) : NULL;
	if (res->blob) {
		memcpy(res->blob, buf, (size_t)n);
		res->blob_len = (size_t)n;
	}
}

void fsmb_auth_login(struct fsmb_auth *a, const struct fsmb_conf *conf,
		     const struct fsmb_login_req *req,
		     struct fsmb_login_result *res)
{
	const char *addr = req->client_addr ? req->client_addr : "?";
	const struct fsmb_ntlmssp *n;
	struct auth_conv *c;
	uint32_t status;

	memset(res, 0, sizeof(*res));
	fsmb_auth_expire(a);
	c = conv_find(a, req->handle);
	if (!c) {
		if (a->count >= FSMB_AUTH_MAX_CONVS) {
			fsmb_log(LOG_WARNING,
				 "%d authentications in progress: refusing one from %s",
				 FSMB_AUTH_MAX_CONVS, addr);
			res->status = FSMB_STATUS_INSUFFICIENT_RESOURCES;
			return;
		}
		c = conv_new(a, conf, req->handle);
		if (!c) {
			res->status = FSMB_STATUS_NO_MEMORY;
			return;
		}
	}

	status = fsmb_spnego_srv_step(&c->spnego, req->blob, req->blob_len,
				      &res->blob, &res->blob_len);
	if (status == FSMB_STATUS_MORE_PROCESSING_REQUIRED) {
		res->status = status;
		return;
	}
	n = &c->spnego.ntlm;
	if (status == FSMB_STATUS_SUCCESS) {
		status = map_unix(conf, n, res);
		if (status != FSMB_STATUS_SUCCESS)
			reject_blob(c, res);
	} else {
		fsmb_log(LOG_NOTICE,
			 "login from %s failed (user '%s', domain '%s'): %s",
			 addr, n->user[0] ? n->user : "?", n->domain,
			 c->spnego.fail_reason ? c->spnego.fail_reason :
						 "unknown reason");
	}
	if (status == FSMB_STATUS_SUCCESS)
		fsmb_log(LOG_INFO, "%s logged in from %s%s",
			 res->user, addr, n->anonymous ? " (anonymous)" : "");
	res->status = status;
	conv_remove(a, c);
}

void fsmb_login_result_free(struct fsmb_login_result *res)
{
	free(res->blob);
	explicit_bzero(res, sizeof(*res));
}

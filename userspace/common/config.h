/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fsmb.conf: smb.conf syntax ([global] plus one section per share). Used by
 * fsmbd and fsmbctl.
 */
#ifndef FSMB_CONFIG_H
#define FSMB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/fsmb.h>

#define FSMB_DEFAULT_CONF "/etc/fsmb/fsmb.conf"

struct fsmb_share_conf {
	char *name;		/* as written; looked up case-insensitively */
	char *path;		/* absolute */
	char *comment;		/* "" when not set */
	bool read_only;		/* default yes, as in Samba */
	bool browseable;	/* default yes */
	bool guest_ok;		/* default no */
	char **valid_users;	/* NULL: everyone who can log in */
	size_t n_valid_users;
};

struct fsmb_conf {
	char *file;		/* the path it was loaded from */
	char *netbios_name;	/* default: the host name, upper-cased */
	char *workgroup;	/* default WORKGROUP */
	char *state_dir;	/* default /var/lib/fsmb */
	char *guest_account;	/* default nobody */
	uint16_t ports[FSMB_MAX_PORTS];	/* default 445 */
	size_t nports;
	uint16_t min_dialect;	/* default 0x0202 (SMB2_02) */
	uint16_t max_dialect;	/* default 0x0311 (SMB3_11) */
	enum fsmb_signing signing;	/* default auto */
	/* Pre-authentication and idle limits, passed to the kernel. */
	uint32_t max_ip_conns;	/* default 64; 0: no limit */
	uint32_t auth_timeout;	/* seconds, default 60 */
	uint32_t idle_timeout;	/* seconds, default 900; 0: never */
	struct fsmb_share_conf *shares;	/* IPC$ is not listed here */
	size_t nshares;
};

/*
 * Load @path. Warnings (unknown options, options in the wrong section) go
 * to @diag as "file:line: message" and do not fail the load; errors (bad
 * syntax, bad values, a share without path, duplicate shares, a missing
 * file) are printed the same way and return -1 with @conf left empty.
 */
int fsmb_conf_load(const char *path, struct fsmb_conf *conf, FILE *diag);
void fsmb_conf_free(struct fsmb_conf *conf);
const struct fsmb_share_conf *fsmb_conf_find_share(const struct fsmb_conf *conf,
						   const char *name);
/* Is @user allowed on @share by "valid users"? Case-insensitive. */
bool fsmb_share_user_allowed(const struct fsmb_share_conf *share,
			     const char *user);

#endif /* FSMB_CONFIG_H */

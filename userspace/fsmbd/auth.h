/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LOGIN requests: one SPNEGO/NTLMSSP conversation per FSMB_A_AUTH_HANDLE,
 * created by its first security buffer and freed when it succeeds, fails
 * or is FSMB_AUTH_TIMEOUT seconds old, in a table of at most
 * FSMB_AUTH_MAX_CONVS conversations. Independent of netlink.
 */
#ifndef FSMBD_AUTH_H
#define FSMBD_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/fsmb.h>

#include "config.h"
#include "ntlmssp.h"

#define FSMB_AUTH_MAX_CONVS	4096
/* Seconds from a conversation's first buffer to its expiry. */
#define FSMB_AUTH_TIMEOUT	60

struct fsmb_auth;

struct fsmb_login_req {
	uint64_t handle;
	const uint8_t *blob;
	size_t blob_len;
	const char *client_addr;	/* for logs; may be NULL */
};

struct fsmb_login_result {
	uint32_t status;	/* SUCCESS, MORE_PROCESSING_REQUIRED or failure */
	uint8_t *blob;		/* security buffer to return; may be NULL */
	size_t blob_len;

	/* With FSMB_STATUS_SUCCESS only. */
	uint8_t session_key[FSMB_NTLMSSP_KEY_LEN];
	uint32_t uid;
	uint32_t gid;
	uint32_t groups[FSMB_MAX_GROUPS];	/* supplementary, gid included */
	size_t ngroups;
	char user[FSMB_MAX_NAME];
	char domain[FSMB_MAX_NAME];
	uint32_t session_flags;			/* FSMB_SESSION_* */
};

struct fsmb_auth *fsmb_auth_new(void);
void fsmb_auth_free(struct fsmb_auth *a);

/*
 * Run one step of the conversation @req->handle with the configuration
 * @conf. Always fills @res; free it with fsmb_login_result_free().
 */
void fsmb_auth_login(struct fsmb_auth *a, const struct fsmb_conf *conf,
		     const struct fsmb_login_req *req,
		     struct fsmb_login_result *res);
void fsmb_login_result_free(struct fsmb_login_result *res);

/* Drop conversations older than FSMB_AUTH_TIMEOUT. */
void fsmb_auth_expire(struct fsmb_auth *a);
size_t fsmb_auth_count(const struct fsmb_auth *a);

/*
 * The NT hash of @user from the user database in @state_dir (a
 * fsmb_ntlmssp_conf lookup callback): names match case-insensitively and
 * @canon gets the database's spelling.
 */
int fsmb_auth_lookup(void *state_dir, const char *user, char *canon,
		     size_t canon_size, uint8_t hash[FSMB_NTLMSSP_KEY_LEN]);

#endif /* FSMBD_AUTH_H */

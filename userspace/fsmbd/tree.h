/* SPDX-License-Identifier: GPL-2.0 */
/* TREE requests: may this session's user connect to this share? */
#ifndef FSMBD_TREE_H
#define FSMBD_TREE_H

#include <stdint.h>

#include "config.h"

struct fsmb_tree_result {
	uint32_t status;	/* SUCCESS, BAD_NETWORK_NAME or ACCESS_DENIED */
	const char *path;	/* share root, in the config; NULL for IPC$ */
	uint32_t flags;		/* FSMB_SHARE_* */
};

/*
 * @share is a share name, or a UNC path whose last component is one.
 * @session_flags are the FSMB_SESSION_* of the session; a session whose
 * user is the guest account counts as a guest session too.
 */
void fsmb_tree_connect(const struct fsmb_conf *conf, const char *share,
		       const char *user, uint32_t session_flags,
		       struct fsmb_tree_result *res);

#endif /* FSMBD_TREE_H */

// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "log.h"
#include "ntstatus.h"
#include "tree.h"
#include "utf16.h"

void fsmb_tree_connect(const struct fsmb_conf *conf, const char *share,
		       const char *user, uint32_t session_flags,
		       struct fsmb_tree_result *res)
{
	const struct fsmb_share_conf *s;
	const char *name = strrchr(share, '\\');
	bool guest;

	memset(res, 0, sizeof(*res));
	name = name ? name + 1 : share;
	if (fsmb_utf8_name_eq(name, "IPC$")) {
		res->status = FSMB_STATUS_SUCCESS;
		res->flags = FSMB_SHARE_IPC;
		return;
	}
	s = fsmb_conf_find_share(conf, name);
	if (!s) {
		fsmb_dbg(1, "%s asked for unknown share '%s'", user, name);
		res->status = FSMB_STATUS_BAD_NETWORK_NAME;
		return;
	}
	guest = (session_flags &
		 (FSMB_SESSION_GUEST | FSMB_SESSION_ANONYMOUS)) ||
		fsmb_utf8_name_eq(user, conf->guest_account);
	/* A guest must also pass "valid users", as the guest account. */
	if ((guest && !s->guest_ok) || !fsmb_share_user_allowed(s, user)) {
		fsmb_log(LOG_NOTICE, "%s%s may not use share '%s'",
			 guest ? "guest " : "", user, s->name);
		res->status = FSMB_STATUS_ACCESS_DENIED;
		return;
	}
	res->status = FSMB_STATUS_SUCCESS;
	res->path = s->path;
	res->flags = s->read_only ? FSMB_SHARE_READ_ONLY : 0;
}

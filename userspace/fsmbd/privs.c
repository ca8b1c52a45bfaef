// SPDX-License-Identifier: GPL-2.0
/*
 * What fsmbd keeps once it serves: CAP_NET_ADMIN, because the kernel checks
 * it on every message of the admin operations (REGISTER and the *_REPLY
 * commands, GENL_ADMIN_PERM) and not just when the socket is opened; and
 * its uid, so that it can read the users file (mode 0600, owned by root)
 * and the configuration at each login and on SIGHUP. Everything else is
 * dropped after start-up: the other capabilities (effective, permitted,
 * inheritable, ambient and the bounding set, so that not even an execve()
 * of a set-uid file could bring them back) and, with PR_SET_NO_NEW_PRIVS,
 * any way to gain privileges again. The process is made non-dumpable too:
 * its memory holds NT hashes and session keys.
 *
 * Without libcap: capset(2) and prctl(2) are all it takes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "log.h"
#include "privs.h"

/* The highest capability this kernel knows (it may know more than us). */
static int cap_last(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	int last = CAP_LAST_CAP;

	if (f) {
		if (fscanf(f, "%d", &last) != 1 || last < 0 || last > 63)
			last = CAP_LAST_CAP;
		fclose(f);
	}
	return last;
}

int fsmbd_drop_privileges(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	int cap, last = cap_last(), bset_err = 0, err;

	/* The bounding set needs CAP_SETPCAP: drop it before anything else. */
	for (cap = 0; cap <= last; cap++) {
		if (cap == CAP_NET_ADMIN)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL &&
		    !bset_err)
			bset_err = errno;
	}
	if (bset_err)
		fsmb_log(LOG_NOTICE,
			 "cannot shrink the capability bounding set: %s",
			 strerror(bset_err));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) &&
	    errno != EINVAL)
		fsmb_log(LOG_NOTICE, "cannot clear ambient capabilities: %s",
			 strerror(errno));

	memset(data, 0, sizeof(data));
	data[CAP_TO_INDEX(CAP_NET_ADMIN)].effective = CAP_TO_MASK(CAP_NET_ADMIN);
	data[CAP_TO_INDEX(CAP_NET_ADMIN)].permitted = CAP_TO_MASK(CAP_NET_ADMIN);
	/* errno is kept before logging, which may change it. */
	if (syscall(SYS_capset, &hdr, data)) {
		err = errno;
		fsmb_log(LOG_ERR, "cannot drop capabilities: %s",
			 strerror(err));
		return -err;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		err = errno;
		fsmb_log(LOG_ERR, "cannot set no_new_privs: %s",
			 strerror(err));
		return -err;
	}
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		fsmb_log(LOG_NOTICE, "cannot make the process non-dumpable: %s",
			 strerror(errno));
	return 0;
}

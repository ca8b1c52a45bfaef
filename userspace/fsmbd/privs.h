/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FSMBD_PRIVS_H
#define FSMBD_PRIVS_H

/*
 * Keep CAP_NET_ADMIN and the uid, drop every other capability and set
 * no_new_privs (see privs.c for why those). 0 or -errno.
 */
int fsmbd_drop_privileges(void);

#endif /* FSMBD_PRIVS_H */

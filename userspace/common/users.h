/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Local SMB users: STATE_DIR/users, mode 0600, one "name:NT-hash-hex" line
 * each. Only the NT hash (MD4 of the UTF-16LE password) is stored. The file
 * is replaced atomically and read on every lookup, so users added while
 * fsmbd runs can log in at once.
 */
#ifndef FSMB_USERS_H
#define FSMB_USERS_H

#include <stddef.h>
#include <stdint.h>

#define FSMB_NT_HASH_LEN 16

/* NT hash of a UTF-8 password. 0, or -EINVAL for invalid UTF-8. */
int fsmb_nt_hash(const char *password, uint8_t hash[FSMB_NT_HASH_LEN]);

/* 0 and @hash filled, -ENOENT when unknown, other -errno on I/O errors. */
int fsmb_users_lookup(const char *state_dir, const char *name,
		      uint8_t hash[FSMB_NT_HASH_LEN]);
/* Add or replace. -EINVAL for a name with ':' or control characters. */
int fsmb_users_set(const char *state_dir, const char *name,
		   const char *password);
/* -ENOENT when unknown. */
int fsmb_users_del(const char *state_dir, const char *name);
/* Calls @fn for every user name in file order; stops on non-zero. */
int fsmb_users_foreach(const char *state_dir,
		       int (*fn)(const char *name, void *arg), void *arg);

#endif /* FSMB_USERS_H */

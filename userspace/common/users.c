// SPDX-License-Identifier: GPL-2.0
/*
 * The local users file. Writers serialise on STATE_DIR/users.lock and
 * publish a complete new file by rename(), so readers (fsmbd, on every
 * login) never see a half-written one and need no lock. Password material
 * is wiped from memory as soon as it is no longer needed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fsmb.h>
#include <nettle/md4.h>

#include "users.h"
#include "hex.h"
#include "utf16.h"

#define FSMB_USERS_FILE	"users"
#define FSMB_USERS_TMP	"users.tmp"
#define FSMB_USERS_LOCK	"users.lock"
/* "name:hash\n" with the longest name, and room to see a longer line. */
#define FSMB_USERS_LINE	(FSMB_MAX_NAME + 1 + 2 * FSMB_NT_HASH_LEN + 2)

struct fsmb_user {
	char name[FSMB_MAX_NAME];
	uint8_t hash[FSMB_NT_HASH_LEN];
};

int fsmb_nt_hash(const char *password, uint8_t hash[FSMB_NT_HASH_LEN])
{
	size_t len = strlen(password);
	struct md4_ctx ctx;
	uint8_t *u16;
	ssize_t n;

	/* Each UTF-8 byte gives at most one UTF-16 code unit. */
	u16 = malloc(2 * len + 1);
	if (!u16)
		return -ENOMEM;
	n = fsmb_utf8_to_utf16le(password, len, u16, 2 * len);
	if (n >= 0) {
		md4_init(&ctx);
		md4_update(&ctx, n, u16);
		md4_digest(&ctx, FSMB_NT_HASH_LEN, hash);
		explicit_bzero(&ctx, sizeof(ctx));
	}
	explicit_bzero(u16, 2 * len + 1);
	free(u16);
	return n < 0 ? -EINVAL : 0;
}

static bool fsmb_user_name_ok(const char *name)
{
	uint8_t u16[2 * FSMB_MAX_NAME];
	size_t len = strlen(name), i;

	if (!len || len >= FSMB_MAX_NAME)
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7F ||
		    name[i] == ':')
			return false;
	return fsmb_utf8_to_utf16le(name, len, u16, sizeof(u16)) >= 0;
}

/*
 * Read the next entry of @f. Returns 1, 0 at the end, or -EBADMSG for a
 * line that is not "name:32-hex-digits" (a damaged file must not silently
 * lose or invent users), -errno on a read error.
 */
static int fsmb_users_next(FILE *f, struct fsmb_user *u)
{
	char line[FSMB_USERS_LINE + 1];
	size_t len, name_len;
	char *colon;
	int r = -EBADMSG;

	if (!fgets(line, sizeof(line), f))
		return ferror(f) ? -EIO : 0;
	len = strlen(line);
	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	else if (!feof(f))
		goto out;
	colon = strrchr(line, ':');
	if (!colon || len - (colon + 1 - line) != 2 * FSMB_NT_HASH_LEN)
		goto out;
	name_len = colon - line;
	*colon = '\0';
	if (!fsmb_user_name_ok(line))
		goto out;
	if (fsmb_hex_decode(colon + 1, u->hash, FSMB_NT_HASH_LEN))
		goto out;
	memcpy(u->name, line, name_len + 1);
	r = 1;
out:
	explicit_bzero(line, sizeof(line));
	return r;
}

/* The users file of @state_dir for reading; NULL with errno set. */
static FILE *fsmb_users_open(int dirfd)
{
	FILE *f;
	int fd;

	fd = openat(dirfd, FSMB_USERS_FILE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

int fsmb_users_lookup(const char *state_dir, const char *name,
		      uint8_t hash[FSMB_NT_HASH_LEN])
{
	struct fsmb_user u;
	int dirfd, r;
	FILE *f;

	if (!fsmb_user_name_ok(name))
		return -ENOENT;
	dirfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	f = fsmb_users_open(dirfd);
	r = -errno;
	close(dirfd);
	if (!f)
		return r;
	while ((r = fsmb_users_next(f, &u)) > 0) {
		if (fsmb_utf8_name_eq(u.name, name)) {
			memcpy(hash, u.hash, FSMB_NT_HASH_LEN);
			break;
		}
	}
	explicit_bzero(&u, sizeof(u));
	fclose(f);
	if (!r)
		return -ENOENT;
	return r > 0 ? 0 : r;
}

int fsmb_users_foreach(const char *state_dir,
		       int (*fn)(const char *name, void *arg), void *arg)
{
	struct fsmb_user u;
	int dirfd, r;
	FILE *f;

	dirfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return errno == ENOENT ? 0 : -errno;
	f = fsmb_users_open(dirfd);
	r = errno;
	close(dirfd);
	if (!f)
		return r == ENOENT ? 0 : -r;
	while ((r = fsmb_users_next(f, &u)) > 0) {
		r = fn(u.name, arg);
		if (r)
			break;
	}
	explicit_bzero(&u, sizeof(u));
	fclose(f);
	return r;
}

static int fsmb_users_write(FILE *out, const char *name,
			    const uint8_t hash[FSMB_NT_HASH_LEN])
{
	size_t i;

	if (fprintf(out, "%s:", name) < 0)
		return -EIO;
	for (i = 0; i < FSMB_NT_HASH_LEN; i++)
		if (fprintf(out, "%02x", hash[i]) < 0)
			return -EIO;
	return fputc('\n', out) == EOF ? -EIO : 0;
}

/*
 * Copy the users file into a new users.tmp with @name replaced by (or, when
 * absent, @name appended with) @hash, or with @name left out when @hash is
 * NULL. Returns 0, -ENOENT when deleting an unknown name, or -errno.
 */
static int fsmb_users_rewrite(int dirfd, const char *name,
			      const uint8_t *hash)
{
	struct fsmb_user u;
	bool found = false;
	FILE *in, *out;
	int fd, r = 0;

	/* Holding the lock, a users.tmp left by a crash is ours to remove. */
	if (unlinkat(dirfd, FSMB_USERS_TMP, 0) && errno != ENOENT)
		return -errno;
	fd = openat(dirfd, FSMB_USERS_TMP,
		    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	/* Exactly 0600, whatever the umask. */
	if (fchmod(fd, 0600)) {
		r = -errno;
		close(fd);
		return r;
	}
	out = fdopen(fd, "w");
	if (!out) {
		r = -errno;
		close(fd);
		return r;
	}
	in = fsmb_users_open(dirfd);
	if (!in && errno != ENOENT)
		r = -errno;
	while (in && !r && (r = fsmb_users_next(in, &u)) > 0) {
		if (!fsmb_utf8_name_eq(u.name, name))
			r = fsmb_users_write(out, u.name, u.hash);
		else if (!found && hash)
			r = fsmb_users_write(out, name, hash);
		else
			r = 0;
		found |= fsmb_utf8_name_eq(u.name, name);
	}
	explicit_bzero(&u, sizeof(u));
	if (in)
		fclose(in);
	if (!r && !found)
		r = hash ? fsmb_users_write(out, name, hash) : -ENOENT;
	if (!r && (fflush(out) || fsync(fd)))
		r = -errno;
	if (fclose(out) && !r)
		r = -EIO;
	return r;
}

static int fsmb_users_update(const char *state_dir, const char *name,
			     const uint8_t *hash)
{
	int dirfd, lockfd, r;

	if (hash && mkdir(state_dir, 0700) && errno != EEXIST)
		return -errno;
	dirfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	lockfd = openat(dirfd, FSMB_USERS_LOCK, O_RDWR | O_CREAT | O_CLOEXEC,
			0600);
	if (lockfd < 0 || flock(lockfd, LOCK_EX)) {
		r = -errno;
		goto out;
	}
	r = fsmb_users_rewrite(dirfd, name, hash);
	if (!r && renameat(dirfd, FSMB_USERS_TMP, dirfd, FSMB_USERS_FILE))
		r = -errno;
	/* The rename is only durable once the directory is. */
	if (!r && fsync(dirfd))
		r = -errno;
	if (r)
		unlinkat(dirfd, FSMB_USERS_TMP, 0);
out:
	if (lockfd >= 0)
		close(lockfd);
	close(dirfd);
	return r;
}

int fsmb_users_set(const char *state_dir, const char *name,
		   const char *password)
{
	uint8_t hash[FSMB_NT_HASH_LEN];
	int r;

	if (!fsmb_user_name_ok(name))
		return -EINVAL;
	r = fsmb_nt_hash(password, hash);
	if (!r)
		r = fsmb_users_update(state_dir, name, hash);
	explicit_bzero(hash, sizeof(hash));
	return r;
}

int fsmb_users_del(const char *state_dir, const char *name)
{
	if (!fsmb_user_name_ok(name))
		return -ENOENT;
	return fsmb_users_update(state_dir, name, NULL);
}

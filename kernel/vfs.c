// SPDX-License-Identifier: GPL-2.0
/*
 * VFS access, confined to a share.
 *
 * Confinement: every lookup is vfs_path_lookup() from the share root with
 * LOOKUP_BENEATH. vfs_path_lookup() presets the root of the walk
 * (ND_ROOT_PRESET), so the walk starts at the share root, and with
 * LOOKUP_BENEATH set namei refuses with -EXDEV every step that would leave
 * it: ".." at the root, an absolute symlink (nd_jump_root()) and a magic
 * /proc link (nd_jump_link()); and since LOOKUP_BENEATH is a scoped lookup,
 * a ".." that races with a rename or mount fails with -EAGAIN instead of
 * possibly escaping, the hole a plain chroot-like walk has.
 * file_open_root() was not used: it presets the root too but cannot pass
 * LOOKUP_BENEATH, so it neither refuses escaping symlinks nor catches the
 * rename race. Names reach here only through fsmb_path_decode(), which
 * already refuses "..", "." and leading separators; lookup_one_len() is
 * only given single components under a parent resolved as above.
 */
#include <linux/namei.h>
#include <linux/file.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/cred.h>
#include <linux/math64.h>
#include <linux/uidgid.h>
#include <linux/capability.h>
#include <linux/xattr.h>
#include <linux/fsnotify.h>

#include "vfs.h"

/* New files and directories: rw-r--r-- and rwxr-xr-x without POSIX ACLs. */
#define FSMB_CREATE_UMASK	0022
#define FSMB_LOOKUP_TRIES	3

const struct cred *fsmb_vfs_begin(struct fsmb_work *w)
{
	if (!w->sess || !w->sess->cred)
		return NULL;
	return override_creds(w->sess->cred);
}

void fsmb_vfs_end(const struct cred *old)
{
	revert_creds(old);
}

int fsmb_vfs_lookup(const struct path *root, const char *rel,
		    unsigned int flags, struct path *out)
{
	int tries = FSMB_LOOKUP_TRIES, err;

	if (!*rel) {
		*out = *root;
		path_get(out);
		return 0;
	}
	/* -EAGAIN: a rename raced with "..": safe to walk again. */
	do {
		err = vfs_path_lookup(root->dentry, root->mnt, rel,
				      LOOKUP_BENEATH | LOOKUP_FOLLOW | flags,
				      out);
	} while (err == -EAGAIN && --tries);
	return err;
}

/* The parent directory of @rel, and its last component. */
static int lookup_parent(const struct path *root, const char *rel,
			 struct path *parent, const char **last)
{
	const char *slash = strrchr(rel, '/');
	char *dir;
	int err;

	if (!slash) {
		*last = rel;
		*parent = *root;
		path_get(parent);
		return 0;
	}
	dir = kstrndup(rel, slash - rel, GFP_KERNEL);
	if (!dir)
		return -ENOMEM;
	err = fsmb_vfs_lookup(root, dir, LOOKUP_DIRECTORY, parent);
	kfree(dir);
	*last = slash + 1;
	return err;
}

int fsmb_vfs_create(const struct path *root, const char *rel, bool dir,
		    struct path *out)
{
	struct user_namespace *ns;
	struct dentry *dentry, *again;
	struct path parent;
	struct inode *dinode;
	const char *last;
	umode_t mode;
	int err;

	if (!*rel)
		return -EEXIST;
	err = lookup_parent(root, rel, &parent, &last);
	if (err)
		return err;
	err = mnt_want_write(parent.mnt);
	if (err)
		goto out_put;
	ns = mnt_user_ns(parent.mnt);
	dinode = d_inode(parent.dentry);
	inode_lock_nested(dinode, I_MUTEX_PARENT);
	dentry = lookup_one_len(last, parent.dentry, strlen(last));
	if (IS_ERR(dentry)) {
		err = PTR_ERR(dentry);
		goto out_unlock;
	}
	if (d_is_positive(dentry)) {
		err = -EEXIST;
		goto out_dput;
	}
	mode = dir ? 0777 : 0666;
	/* With POSIX ACLs the directory's default ACL decides instead. */
	if (!IS_POSIXACL(dinode))
		mode &= ~FSMB_CREATE_UMASK;
	if (dir)
		err = vfs_mkdir(ns, dinode, dentry, mode);
	else
		err = vfs_create(ns, dinode, dentry, mode, true);
	if (!err && (d_unhashed(dentry) || d_really_is_negative(dentry))) {
		/* Some file systems instantiate another dentry (NFS, FUSE). */
		again = lookup_one_len(last, parent.dentry, strlen(last));
		if (IS_ERR(again)) {
			err = PTR_ERR(again);
		} else {
			dput(dentry);
			dentry = again;
			if (d_really_is_negative(dentry))
				err = -ENOENT;
		}
	}
	if (!err) {
		out->mnt = mntget(parent.mnt);
		out->dentry = dget(dentry);
	}
out_dput:
	dput(dentry);
out_unlock:
	inode_unlock(dinode);
	mnt_drop_write(parent.mnt);
out_put:
	path_put(&parent);
	return err;
}

struct file *fsmb_vfs_open(const struct path *path, int flags)
{
	return dentry_open(path, flags | O_LARGEFILE, current_cred());
}

int fsmb_vfs_getattr(const struct path *path, struct kstat *st)
{
	return vfs_getattr(path, st, STATX_BASIC_STATS | STATX_BTIME,
			   AT_STATX_SYNC_AS_STAT);
}

static void get_dosattrib(const struct path *path, struct fsmb_dosattrib *da)
{
	u8 buf[FSMB_DOSATTRIB_MAX];
	struct fsmb_cur c;
	ssize_t len;

	memset(da, 0, sizeof(*da));
	len = vfs_getxattr(mnt_user_ns(path->mnt), path->dentry,
			   FSMB_DOSATTRIB_XATTR, buf, sizeof(buf));
	if (len <= 0)
		return;
	fsmb_cur_init(&c, buf, len);
	/* A record we cannot read counts as none; @da stays empty then. */
	fsmb_dosattrib_decode(&c, da);
}

int fsmb_vfs_stat(const struct path *path, struct kstat *st,
		  struct fsmb_dosattrib *da)
{
	int err = fsmb_vfs_getattr(path, st);

	if (!err)
		get_dosattrib(path, da);
	return err;
}

int fsmb_vfs_permission(const struct path *path, int mask)
{
	return inode_permission(mnt_user_ns(path->mnt), d_inode(path->dentry),
				mask);
}

bool fsmb_vfs_is_owner(const struct path *path)
{
	return inode_owner_or_capable(mnt_user_ns(path->mnt),
				      d_inode(path->dentry));
}

u32 fsmb_vfs_flag_denied_rights(const struct path *path)
{
	struct inode *inode = d_inode(path->dentry);

	if (IS_IMMUTABLE(inode))
		return FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA |
		       FILE_WRITE_ATTRIBUTES | WRITE_DAC | WRITE_OWNER;
	if (IS_APPEND(inode))
		return FILE_WRITE_DATA;
	return 0;
}

bool fsmb_vfs_may_delete(const struct path *path)
{
	struct user_namespace *ns = mnt_user_ns(path->mnt);
	struct inode *inode = d_inode(path->dentry), *dir;
	struct dentry *parent;
	bool ok;

	if (path->dentry == path->mnt->mnt_root)
		return false;
	parent = dget_parent(path->dentry);
	dir = d_inode(parent);
	ok = !inode_permission(ns, dir, MAY_WRITE | MAY_EXEC) &&
	     !IS_APPEND(dir) && !IS_APPEND(inode) && !IS_IMMUTABLE(inode);
	/* The sticky-directory rule of may_delete(). */
	if (ok && (dir->i_mode & S_ISVTX)) {
		kuid_t fsuid = current_fsuid();

		ok = uid_eq(i_uid_into_mnt(ns, inode), fsuid) ||
		     uid_eq(i_uid_into_mnt(ns, dir), fsuid) ||
		     capable_wrt_inode_uidgid(ns, inode, CAP_FOWNER);
	}
	dput(parent);
	return ok;
}

int fsmb_vfs_truncate(struct file *filp, loff_t size)
{
	if (!(filp->f_mode & FMODE_WRITE))
		return -EBADF;
	return vfs_truncate(&filp->f_path, size);
}

int fsmb_vfs_truncate_path(const struct path *path, loff_t size)
{
	return vfs_truncate(path, size);
}

int fsmb_vfs_fallocate(struct file *filp, int mode, loff_t off, loff_t len)
{
	return vfs_fallocate(filp, mode, off, len);
}

int fsmb_vfs_fsync(struct file *filp, loff_t start, loff_t end)
{
	return vfs_fsync_range(filp, start, end, 0);
}

int fsmb_vfs_setattr(const struct path *path, struct iattr *attr)
{
	struct inode *inode = d_inode(path->dentry);
	int err;

	err = mnt_want_write(path->mnt);
	if (err)
		return err;
	inode_lock(inode);
	err = notify_change(mnt_user_ns(path->mnt), path->dentry, attr, NULL);
	inode_unlock(inode);
	mnt_drop_write(path->mnt);
	return err;
}

int fsmb_vfs_set_times(const struct path *path,
		       const struct timespec64 *atime,
		       const struct timespec64 *mtime)
{
	struct iattr attr = { .ia_valid = ATTR_CTIME };

	if (atime) {
		attr.ia_valid |= ATTR_ATIME | ATTR_ATIME_SET;
		attr.ia_atime = *atime;
	}
	if (mtime) {
		attr.ia_valid |= ATTR_MTIME | ATTR_MTIME_SET;
		attr.ia_mtime = *mtime;
	}
	return fsmb_vfs_setattr(path, &attr);
}

int fsmb_vfs_set_readonly(const struct path *path, bool readonly)
{
	umode_t mode = READ_ONCE(d_inode(path->dentry)->i_mode);
	struct iattr attr = { .ia_valid = ATTR_MODE | ATTR_CTIME };

	attr.ia_mode = readonly ? mode & ~0222 : mode | 0200;
	if (attr.ia_mode == mode)
		return 0;
	return fsmb_vfs_setattr(path, &attr);
}

static int set_dosattrib(const struct path *path,
			 const struct fsmb_dosattrib *da)
{
	struct user_namespace *ns = mnt_user_ns(path->mnt);
	struct dentry *dentry = path->dentry;
	u8 buf[FSMB_DOSATTRIB_SIZE];
	struct fsmb_wcur w;
	int err;

	fsmb_wcur_init(&w, buf, sizeof(buf));
	fsmb_dosattrib_encode(&w, da);
	if (!fsmb_wcur_ok(&w))
		return -EINVAL;
	err = mnt_want_write(path->mnt);
	if (err)
		return err;
	err = vfs_setxattr(ns, dentry, FSMB_DOSATTRIB_XATTR, buf, w.pos, 0);
	mnt_drop_write(path->mnt);
	return err;
}

/* The creation time SMB shows: stored, else the birth time if known. */
static u64 creation_time(const struct kstat *st,
			 const struct fsmb_dosattrib *da)
{
	if (da && (da->valid & XATTR_DOSINFO_CREATE_TIME))
		return da->create_time;
	if (st->result_mask & STATX_BTIME)
		return fsmb_time_to_filetime(st->btime);
	/* Neither: the oldest time the inode has kept. */
	return fsmb_time_to_filetime(timespec64_compare(&st->mtime,
							&st->ctime) < 0 ?
				     st->mtime : st->ctime);
}

int fsmb_vfs_set_dos(const struct path *path, bool set_attrs, u32 attrs,
		     u64 create_time)
{
	struct fsmb_dosattrib da;
	struct kstat st;
	int err;

	err = fsmb_vfs_stat(path, &st, &da);
	if (err)
		return err;
	/* User xattrs exist only on files and directories. */
	if (!S_ISREG(st.mode) && !S_ISDIR(st.mode))
		return 0;
	if (!set_attrs)
		attrs = fsmb_vfs_attributes(&st, &da, NULL);
	if (!create_time)
		create_time = creation_time(&st, &da);
	da.valid = XATTR_DOSINFO_ATTRIB | XATTR_DOSINFO_CREATE_TIME;
	da.attrib = attrs & FSMB_DOS_STORED_ATTRIBUTES;
	da.create_time = create_time;
	err = set_dosattrib(path, &da);
	return err == -EOPNOTSUPP ? 0 : err;
}

int fsmb_vfs_unlink_open(struct file *filp)
{
	struct dentry *dentry = filp->f_path.dentry, *parent;
	struct vfsmount *mnt = filp->f_path.mnt;
	struct inode *dir;
	int err;

	err = mnt_want_write(mnt);
	if (err)
		return err;
	/*
	 * The unlink makes the file's dentry negative under us; our own
	 * reference keeps it alive until the file's last fput.
	 */
	dget(dentry);
	parent = dget_parent(dentry);
	dir = d_inode(parent);
	inode_lock_nested(dir, I_MUTEX_PARENT);
	/* It may have been renamed or removed since it was opened. */
	if (parent == dentry || dentry->d_parent != parent ||
	    d_unhashed(dentry) || d_really_is_negative(dentry))
		err = -ENOENT;
	else if (d_is_dir(dentry))
		err = vfs_rmdir(mnt_user_ns(mnt), dir, dentry);
	else
		err = vfs_unlink(mnt_user_ns(mnt), dir, dentry, NULL);
	inode_unlock(dir);
	dput(parent);
	dput(dentry);
	mnt_drop_write(mnt);
	return err;
}

int fsmb_vfs_rename(const struct path *root, struct file *filp,
		    const char *new_rel, bool replace)
{
	struct dentry *src = filp->f_path.dentry, *sparent, *target, *trap;
	struct vfsmount *mnt = filp->f_path.mnt;
	struct renamedata rd = {};
	struct path tparent;
	const char *last;
	int err;

	if (!*new_rel)
		return -EINVAL;
	err = lookup_parent(root, new_rel, &tparent, &last);
	if (err)
		return err;
	if (tparent.mnt != mnt) {
		err = -EXDEV;
		goto out_put;
	}
	err = mnt_want_write(mnt);
	if (err)
		goto out_put;
	sparent = dget_parent(src);
	trap = lock_rename(tparent.dentry, sparent);
	if (sparent == src || src->d_parent != sparent || d_unhashed(src)) {
		err = -ENOENT;
		goto out_unlock;
	}
	if (src == trap) {
		err = -EINVAL;		/* a directory into itself */
		goto out_unlock;
	}
	target = lookup_one_len(last, tparent.dentry, strlen(last));
	if (IS_ERR(target)) {
		err = PTR_ERR(target);
		goto out_unlock;
	}
	if (target == src) {
		err = 0;
		goto out_dput;
	}
	if (target == trap) {
		err = -ENOTEMPTY;
		goto out_dput;
	}
	if (d_is_positive(target)) {
		/* Windows never replaces a directory by rename. */
		err = !replace ? -EEXIST : d_is_dir(target) ? -EISDIR : 0;
		if (err)
			goto out_dput;
	}
	rd.old_mnt_userns = mnt_user_ns(mnt);
	rd.old_dir = d_inode(sparent);
	rd.old_dentry = src;
	rd.new_mnt_userns = rd.old_mnt_userns;
	rd.new_dir = d_inode(tparent.dentry);
	rd.new_dentry = target;
	err = vfs_rename(&rd);
out_dput:
	dput(target);
out_unlock:
	unlock_rename(tparent.dentry, sparent);
	dput(sparent);
	mnt_drop_write(mnt);
out_put:
	path_put(&tparent);
	return err;
}

int fsmb_vfs_statfs(const struct path *path, struct kstatfs *st)
{
	return vfs_statfs(path, st);
}

struct empty_ctx {
	struct dir_context ctx;
	bool empty;
};

static bool empty_actor(struct dir_context *ctx, const char *name, int len,
			loff_t off, u64 ino, unsigned int type)
{
	struct empty_ctx *e = container_of(ctx, struct empty_ctx, ctx);

	if (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')))
		return true;
	e->empty = false;
	return false;
}

int fsmb_vfs_dir_is_empty(const struct path *path)
{
	struct empty_ctx e = { .ctx.actor = empty_actor, .empty = true };
	struct file *f;
	loff_t prev;
	int err;

	f = fsmb_vfs_open(path, O_RDONLY | O_DIRECTORY);
	if (IS_ERR(f))
		return PTR_ERR(f);
	do {
		prev = e.ctx.pos;
		err = iterate_dir(f, &e.ctx);
	} while (!err && e.empty && e.ctx.pos != prev);
	fput(f);
	return err ? err : e.empty;
}

int fsmb_vfs_iterate(struct file *dir, struct dir_context *ctx)
{
	return iterate_dir(dir, ctx);
}

int fsmb_vfs_seek_dir(struct file *dir, loff_t pos)
{
	loff_t r = vfs_llseek(dir, pos, SEEK_SET);

	return r < 0 ? r : 0;
}

int fsmb_vfs_stat_child(const struct path *root, const char *dir_rel,
			const struct path *dir, const char *name, size_t len,
			struct kstat *st, struct fsmb_dosattrib *da)
{
	struct dentry *d;
	struct path p;
	char *rel;
	int err;

	d = lookup_one_len_unlocked(name, dir->dentry, len);
	if (IS_ERR(d))
		return PTR_ERR(d);
	if (d_really_is_negative(d)) {
		dput(d);
		return -ENOENT;
	}
	if (!d_is_symlink(d) && !d_mountpoint(d)) {
		p.mnt = dir->mnt;
		p.dentry = d;
		err = fsmb_vfs_stat(&p, st, da);
		dput(d);
		return err;
	}
	dput(d);
	/* Symlinks and mount points: the confined walk decides. */
	rel = kasprintf(GFP_KERNEL, "%s%s%.*s", dir_rel, *dir_rel ? "/" : "",
			(int)len, name);
	if (!rel)
		return -ENOMEM;
	err = fsmb_vfs_lookup(root, rel, 0, &p);
	kfree(rel);
	if (err)
		return err;
	err = fsmb_vfs_stat(&p, st, da);
	path_put(&p);
	return err;
}

int fsmb_vfs_stat_parent(const struct path *dir, struct kstat *st,
			 struct fsmb_dosattrib *da)
{
	struct path p = { .mnt = dir->mnt };
	int err;

	p.dentry = dget_parent(dir->dentry);
	err = fsmb_vfs_stat(&p, st, da);
	dput(p.dentry);
	return err;
}

u32 fsmb_vfs_attributes(const struct kstat *st,
			const struct fsmb_dosattrib *da, const char *name)
{
	u32 attrs;

	if (da && (da->valid & XATTR_DOSINFO_ATTRIB))
		attrs = da->attrib & FSMB_DOS_STORED_ATTRIBUTES;
	else
		attrs = S_ISDIR(st->mode) ? 0 : FILE_ATTRIBUTE_ARCHIVE;
	/*
	 * A file without write bits is read-only whatever is stored: unix
	 * enforces that. A stored READONLY counts too: Samba stores it
	 * without touching the mode.
	 */
	if (S_ISDIR(st->mode))
		attrs |= FILE_ATTRIBUTE_DIRECTORY;
	else if (!(st->mode & 0222))
		attrs |= FILE_ATTRIBUTE_READONLY;
	/* Dot files are hidden, as unix users expect and Samba does. */
	if (name && name[0] == '.' && name[1] && strcmp(name, ".."))
		attrs |= FILE_ATTRIBUTE_HIDDEN;
	/* What Windows shows for a file with none of the others. */
	return attrs ? attrs : FILE_ATTRIBUTE_NORMAL;
}

void fsmb_vfs_smb_times(const struct kstat *st,
			const struct fsmb_dosattrib *da, const char *name,
			struct smb2_file_times *t)
{
	t->creation_time = creation_time(st, da);
	t->access_time = fsmb_time_to_filetime(st->atime);
	t->write_time = fsmb_time_to_filetime(st->mtime);
	t->change_time = fsmb_time_to_filetime(st->ctime);
	/* Windows reports no size for directories. */
	if (S_ISDIR(st->mode)) {
		t->alloc_size = 0;
		t->eof = 0;
	} else {
		t->alloc_size = st->blocks << 9;
		t->eof = st->size;
	}
	t->attributes = fsmb_vfs_attributes(st, da, name);
}

u32 fsmb_vfs_volume_serial(const struct path *path)
{
	const struct super_block *sb = path->mnt->mnt_sb;

	if (!uuid_is_null(&sb->s_uuid))
		return get_unaligned_le32(sb->s_uuid.b) ^
		       get_unaligned_le32(sb->s_uuid.b + 12);
	return new_encode_dev(sb->s_dev);
}

u32 fsmb_vfs_uid(const struct kstat *st)
{
	return from_kuid_munged(&init_user_ns, st->uid);
}

u32 fsmb_vfs_gid(const struct kstat *st)
{
	return from_kgid_munged(&init_user_ns, st->gid);
}

u32 fsmb_errno_to_status(int err)
{
	switch (err) {
	case 0:
		return STATUS_SUCCESS;
	case -ENOENT:
		return STATUS_OBJECT_NAME_NOT_FOUND;
	case -ENOTDIR:
		return STATUS_OBJECT_PATH_NOT_FOUND;
	case -EACCES:
	case -EPERM:
	case -EXDEV:		/* a symlink leading out of the share */
	case -EBUSY:
		return STATUS_ACCESS_DENIED;
	case -EEXIST:
		return STATUS_OBJECT_NAME_COLLISION;
	case -ENOTEMPTY:
		return STATUS_DIRECTORY_NOT_EMPTY;
	case -EISDIR:
		return STATUS_FILE_IS_A_DIRECTORY;
	case -ENOSPC:
	case -EFBIG:
		return STATUS_DISK_FULL;
	case -EDQUOT:
		return STATUS_DISK_QUOTA_EXCEEDED;
	case -EROFS:
		return STATUS_MEDIA_WRITE_PROTECTED;
	case -ENAMETOOLONG:
	case -ELOOP:
		return STATUS_OBJECT_NAME_INVALID;
	case -ENOMEM:
		return STATUS_NO_MEMORY;
	case -EINVAL:
		return STATUS_INVALID_PARAMETER;
	case -EOPNOTSUPP:
		return STATUS_NOT_SUPPORTED;
	case -ETXTBSY:
	case -EWOULDBLOCK:
		return STATUS_SHARING_VIOLATION;
	case -EIO:
		return STATUS_DATA_ERROR;
	case -EBADF:
		return STATUS_INVALID_HANDLE;
	case -EINTR:
	case -ERESTARTSYS:
		return STATUS_CANCELLED;
	case -EMFILE:
	case -ENFILE:
		return STATUS_TOO_MANY_OPENED_FILES;
	}
	return STATUS_UNSUCCESSFUL;
}

/* 100 ns intervals from 1601-01-01 to 1970-01-01. */
#define FILETIME_UNIX_EPOCH	116444736000000000ULL
#define FILETIME_PER_SEC	10000000LL

u64 fsmb_time_to_filetime(struct timespec64 ts)
{
	s64 t;

	if (ts.tv_sec < -(s64)(FILETIME_UNIX_EPOCH / FILETIME_PER_SEC))
		return 0;
	if (ts.tv_sec > (S64_MAX - (s64)FILETIME_UNIX_EPOCH) / FILETIME_PER_SEC - 1)
		return S64_MAX;
	t = ts.tv_sec * FILETIME_PER_SEC + ts.tv_nsec / 100;
	return t + FILETIME_UNIX_EPOCH;
}

struct timespec64 fsmb_filetime_to_time(u64 ft)
{
	struct timespec64 ts;
	s32 rem;
	s64 t;

	if (ft > S64_MAX)
		ft = S64_MAX;
	t = (s64)ft - (s64)FILETIME_UNIX_EPOCH;
	ts.tv_sec = div_s64_rem(t, FILETIME_PER_SEC, &rem);
	if (rem < 0) {
		ts.tv_sec--;
		rem += FILETIME_PER_SEC;
	}
	ts.tv_nsec = rem * 100;
	return ts;
}

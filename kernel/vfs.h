/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything fsmb does to the VFS goes through here, and every path it
 * resolves stays under a share root. The calls whose signatures changed
 * across kernel versions (user_namespace vs mnt_idmap) live only in
 * vfs.c, so a compat layer touches one file.
 *
 * Callers run VFS operations with the session's credentials:
 * fsmb_vfs_begin() / fsmb_vfs_end() bracket them.
 */
#ifndef FSMB_VFS_H
#define FSMB_VFS_H

#include <linux/fs.h>
#include <linux/stat.h>
#include <linux/statfs.h>
#include <linux/namei.h>

#include "fsmb.h"
#include "proto/smb2_io.h"
#include "proto/dosattrib.h"

/*
 * Exported by fs/namei.c on every kernel fsmb supports, but declared only
 * in fs/internal.h on some (Debian's 6.1 among them).
 */
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt,
		    const char *name, unsigned int flags, struct path *path);

/* Become the session's user; NULL when the session has no credentials. */
const struct cred *fsmb_vfs_begin(struct fsmb_work *w);
void fsmb_vfs_end(const struct cred *old);

/*
 * Resolve the share-relative @rel ("" is the root) under @root, following
 * symlinks only while they stay inside the share. @flags: extra LOOKUP_*.
 */
int fsmb_vfs_lookup(const struct path *root, const char *rel,
		    unsigned int flags, struct path *out);

/*
 * Create @rel (a directory when @dir) under @root; fails with -EEXIST if
 * the name exists, whatever it is. @out gets the new object.
 */
int fsmb_vfs_create(const struct path *root, const char *rel, bool dir,
		    struct path *out);

/* Open @path with @flags (O_*); no permission check, callers did it. */
struct file *fsmb_vfs_open(const struct path *path, int flags);

int fsmb_vfs_getattr(const struct path *path, struct kstat *st);
/*
 * fsmb_vfs_getattr() and the DOS attributes and creation time stored with
 * @path; @da->valid is 0 where none are (or the session may not read
 * them, or the file system keeps no user xattrs).
 */
int fsmb_vfs_stat(const struct path *path, struct kstat *st,
		  struct fsmb_dosattrib *da);
/* inode_permission() of @path's inode: 0 or -EACCES/-EPERM/-EROFS. */
int fsmb_vfs_permission(const struct path *path, int mask);
bool fsmb_vfs_is_owner(const struct path *path);
/* May the caller unlink @path from its parent (write+search, sticky)? */
bool fsmb_vfs_may_delete(const struct path *path);
/*
 * Rights the inode's immutable or append-only flag takes away whatever
 * its mode says: inode_permission() does not look at them (may_open()
 * does, but SMB opens go through dentry_open()).
 */
u32 fsmb_vfs_flag_denied_rights(const struct path *path);

/* Truncate or extend an open file (needs FMODE_WRITE) or a path. */
int fsmb_vfs_truncate(struct file *filp, loff_t size);
int fsmb_vfs_truncate_path(const struct path *path, loff_t size);
int fsmb_vfs_fallocate(struct file *filp, int mode, loff_t off, loff_t len);
int fsmb_vfs_fsync(struct file *filp, loff_t start, loff_t end);

/* notify_change() on @path's inode: times and mode. */
int fsmb_vfs_setattr(const struct path *path, struct iattr *attr);

/* Set the access and last write times (NULL: leave it). Needs the owner. */
int fsmb_vfs_set_times(const struct path *path,
		       const struct timespec64 *atime,
		       const struct timespec64 *mtime);

/* READONLY attribute: drop every write bit, or give the owner one back. */
int fsmb_vfs_set_readonly(const struct path *path, bool readonly);

/*
 * Make @attrs (FILE_ATTRIBUTE_*, only if @set_attrs) and @create_time (a
 * FILETIME, 0 to keep it) what SMB shows of @path, and keep what is not
 * changed as it shows now, by storing both in user.DOSATTRIB. Where the
 * file system has no user xattrs nothing is stored and SMB goes on
 * showing what the unix metadata says.
 */
int fsmb_vfs_set_dos(const struct path *path, bool set_attrs, u32 attrs,
		     u64 create_time);

/* Unlink (or rmdir) the object an open refers to, wherever it now is. */
int fsmb_vfs_unlink_open(struct file *filp);

/*
 * Move the object @filp names to @new_rel under @root. -EEXIST when
 * the target exists and !@replace, -EISDIR when it is a directory,
 * -EXDEV across mounts, -EINVAL for a directory moved into itself.
 */
int fsmb_vfs_rename(const struct path *root, struct file *filp,
		    const char *new_rel, bool replace);

int fsmb_vfs_statfs(const struct path *path, struct kstatfs *st);
/* 1 when the directory has no entry besides "." and "..", 0 if it has. */
int fsmb_vfs_dir_is_empty(const struct path *path);

int fsmb_vfs_iterate(struct file *dir, struct dir_context *ctx);
int fsmb_vfs_seek_dir(struct file *dir, loff_t pos);
/*
 * fsmb_vfs_stat() the entry @name of the directory @dir (share path
 * @dir_rel): the entry itself, or for a symlink its target if that is
 * inside the share.
 */
int fsmb_vfs_stat_child(const struct path *root, const char *dir_rel,
			const struct path *dir, const char *name, size_t len,
			struct kstat *st, struct fsmb_dosattrib *da);

/* fsmb_vfs_stat() the parent of the directory @dir (itself at a mount root). */
int fsmb_vfs_stat_parent(const struct path *dir, struct kstat *st,
			 struct fsmb_dosattrib *da);

/*
 * DOS attributes, times and sizes as SMB reports them, from the unix
 * metadata and what fsmb_vfs_stat() found stored (@da may be NULL).
 */
u32 fsmb_vfs_attributes(const struct kstat *st,
			const struct fsmb_dosattrib *da, const char *name);
void fsmb_vfs_smb_times(const struct kstat *st,
			const struct fsmb_dosattrib *da, const char *name,
			struct smb2_file_times *t);

/* A stable 32-bit volume serial number for the file system of @path. */
u32 fsmb_vfs_volume_serial(const struct path *path);

/* uid/gid as the daemon and security descriptors see them. */
u32 fsmb_vfs_uid(const struct kstat *st);
u32 fsmb_vfs_gid(const struct kstat *st);

#endif /* FSMB_VFS_H */

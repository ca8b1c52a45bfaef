// SPDX-License-Identifier: GPL-2.0
/*
 * SMB2 CREATE ([MS-SMB2] 3.3.5.9): files and directories on disk shares,
 * named pipes on IPC$.
 *
 * Access is decided from the unix permissions as the session's user: the
 * rights the user could have ("maximal access") come from
 * inode_permission() on the object and its parent, and a request for a
 * right outside them is refused. The file is then opened with the
 * O_ACCMODE those rights need; dentry_open() checks no permission itself.
 */
#include <linux/slab.h>
#include <linux/file.h>
#include <linux/falloc.h>

#include "open.h"
#include "vfs.h"
#include "proto/path.h"
#include "proto/smb2_create.h"

#define FILE_CREATE_TREE_CONNECTION	0x00000080
/* CreateOptions Windows refuses with STATUS_NOT_SUPPORTED. */
#define CREATE_OPTIONS_UNSUPPORTED	(FILE_CREATE_TREE_CONNECTION | \
					 FILE_OPEN_BY_FILE_ID | \
					 FILE_RESERVE_OPFILTER)
/* Access mask bits no object defines ([MS-DTYP] 2.4.3). */
#define ACCESS_MASK_RESERVED		0x0CE0FE00

#define FILE_WRITE_RIGHTS	(FILE_WRITE_DATA | FILE_APPEND_DATA | \
				 FILE_WRITE_EA | FILE_WRITE_ATTRIBUTES | \
				 FILE_DELETE_CHILD | DELETE | WRITE_DAC | \
				 WRITE_OWNER)

/* What a pipe open reports: Windows shows a 4 KiB buffer. */
#define PIPE_ALLOC_SIZE		4096

static u32 map_generic(u32 access)
{
	if (access & GENERIC_READ)
		access |= FILE_GENERIC_READ;
	if (access & GENERIC_WRITE)
		access |= FILE_GENERIC_WRITE;
	if (access & GENERIC_EXECUTE)
		access |= FILE_GENERIC_EXECUTE;
	if (access & GENERIC_ALL)
		access |= FILE_ALL_ACCESS;
	return access & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE |
			  GENERIC_ALL);
}

/* The rights the current user may have on @p, from the unix permissions. */
static u32 maximal_access(const struct path *p, bool is_dir, bool ro_share,
			  bool share_root)
{
	u32 a = FILE_READ_ATTRIBUTES | READ_CONTROL | SYNCHRONIZE;

	if (!fsmb_vfs_permission(p, MAY_READ)) {
		a |= FILE_READ_DATA | FILE_READ_EA;
		/* Windows lets execute access read the data. */
		if (!is_dir)
			a |= FILE_EXECUTE;
	}
	if (!fsmb_vfs_permission(p, MAY_EXEC))
		a |= FILE_EXECUTE;
	if (!fsmb_vfs_permission(p, MAY_WRITE))
		a |= FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA |
		     FILE_WRITE_ATTRIBUTES | FILE_DELETE_CHILD;
	if (fsmb_vfs_is_owner(p))
		a |= FILE_WRITE_ATTRIBUTES | WRITE_DAC | WRITE_OWNER;
	if (!share_root && fsmb_vfs_may_delete(p))
		a |= DELETE;
	a &= ~fsmb_vfs_flag_denied_rights(p);
	if (ro_share)
		a &= ~FILE_WRITE_RIGHTS;
	return a;
}

static u32 validate_request(const struct smb2_create_req *req)
{
	if (req->impersonation > SMB2_IMPERSONATION_DELEGATE)
		return STATUS_BAD_IMPERSONATION_LEVEL;
	if (req->options & ~FILE_CREATE_OPTIONS_MASK)
		return STATUS_INVALID_PARAMETER;
	if (req->options & CREATE_OPTIONS_UNSUPPORTED)
		return STATUS_NOT_SUPPORTED;
	if ((req->options & FILE_DIRECTORY_FILE) &&
	    (req->options & FILE_NON_DIRECTORY_FILE))
		return STATUS_INVALID_PARAMETER;
	if (req->disposition > FILE_OVERWRITE_IF)
		return STATUS_INVALID_PARAMETER;
	if ((req->options & FILE_DIRECTORY_FILE) &&
	    req->disposition != FILE_CREATE && req->disposition != FILE_OPEN &&
	    req->disposition != FILE_OPEN_IF)
		return STATUS_INVALID_PARAMETER;
	if (req->file_attributes & ~FILE_ATTRIBUTE_VALID_FLAGS)
		return STATUS_INVALID_PARAMETER;
	if (req->desired_access & ACCESS_MASK_RESERVED)
		return STATUS_ACCESS_DENIED;
	if (req->desired_access & ACCESS_SYSTEM_SECURITY)
		return STATUS_PRIVILEGE_NOT_HELD;
	return STATUS_SUCCESS;
}

/* A missing name: is it the name itself or a directory on the way? */
static u32 not_found_status(const struct path *root, const char *path)
{
	const char *slash = strrchr(path, '/');
	struct path parent;
	char *dir;
	int err;

	if (!slash)
		return STATUS_OBJECT_NAME_NOT_FOUND;
	dir = kstrndup(path, slash - path, GFP_KERNEL);
	if (!dir)
		return STATUS_NO_MEMORY;
	err = fsmb_vfs_lookup(root, dir, LOOKUP_DIRECTORY, &parent);
	kfree(dir);
	if (err)
		return STATUS_OBJECT_PATH_NOT_FOUND;
	path_put(&parent);
	return STATUS_OBJECT_NAME_NOT_FOUND;
}

static void set_related(struct fsmb_work *w, const struct fsmb_open *op)
{
	w->related_pid = op->persistent_id;
	w->related_vid = op->volatile_id;
	w->related_fid_valid = true;
}

static u32 send_response(struct fsmb_work *w, struct smb2_create_rsp *rsp)
{
	if (fsmb_work_reserve(w, smb2_create_rsp_size(rsp)))
		return STATUS_NO_MEMORY;
	smb2_create_rsp_encode(&w->out, rsp);
	return fsmb_wcur_ok(&w->out) ? STATUS_SUCCESS : STATUS_INTERNAL_ERROR;
}

static u32 create_pipe(struct fsmb_work *w, const struct smb2_create_req *req,
		       const char *name)
{
	struct smb2_create_rsp rsp = {};
	struct fsmb_open *op;
	u64 pipe_id;
	u32 status;

	/* Pipe names are single components ("srvsvc"), never paths. */
	if (!*name || strchr(name, '/'))
		return STATUS_OBJECT_NAME_NOT_FOUND;
	status = fsmb_pipe_open(w, name, &pipe_id);
	if (status)
		return status;
	op = fsmb_open_alloc(w->tree);
	if (!op) {
		fsmb_pipe_close(pipe_id);
		return STATUS_NO_MEMORY;
	}
	op->pipe_id = pipe_id;
	op->granted_access = map_generic(req->desired_access);
	op->create_options = req->options;
	op->path = kstrdup(name, GFP_KERNEL);
	if (!op->path || fsmb_open_register(w, op)) {
		fsmb_open_put(op);
		fsmb_pipe_close(pipe_id);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	rsp.action = FILE_OPENED;
	rsp.alloc_size = PIPE_ALLOC_SIZE;
	rsp.attributes = FILE_ATTRIBUTE_NORMAL;
	rsp.persistent_id = op->persistent_id;
	rsp.volatile_id = op->volatile_id;
	status = send_response(w, &rsp);
	if (status)
		fsmb_open_close(w->sess, op);
	else
		set_related(w, op);
	fsmb_open_put(op);
	return status;
}

/* The O_* flags for the rights granted on an object of @mode. */
static int open_flags(u32 granted, u32 maximal, umode_t mode)
{
	bool rd, wr;

	if (S_ISDIR(mode))
		return granted & FILE_LIST_DIRECTORY ? O_RDONLY | O_DIRECTORY :
						       O_PATH | O_DIRECTORY;
	if (!S_ISREG(mode))
		return O_PATH;	/* devices, FIFOs: attributes only */
	/* Execute access reads, but only where unix would allow reading. */
	rd = (granted & FILE_READ_DATA) ||
	     ((granted & FILE_EXECUTE) && (maximal & FILE_READ_DATA));
	wr = granted & (FILE_WRITE_DATA | FILE_APPEND_DATA);
	/*
	 * Append-only access: the VFS then places every write at the end
	 * under the inode lock, as it does for an append-only inode.
	 */
	if (wr && !(granted & FILE_WRITE_DATA))
		return (rd ? O_RDWR : O_WRONLY) | O_APPEND;
	if (rd && wr)
		return O_RDWR;
	if (wr)
		return O_WRONLY;
	return rd ? O_RDONLY : O_PATH;
}

struct create_state {
	const struct smb2_create_req *req;
	const struct smb2_create_ctx *ctx;
	const char *path;
	unsigned int path_flags;
	struct path p;
	struct kstat st;
	struct fsmb_dosattrib dos;
	u32 action;
	bool created;
};

/* Find the object or create it, as the disposition says. */
static u32 create_lookup(struct fsmb_work *w, struct create_state *cs)
{
	const struct path *root = &w->tree->root;
	u32 disp = cs->req->disposition;
	bool want_dir = cs->req->options & FILE_DIRECTORY_FILE;
	int tries = 2, err;

again:
	err = fsmb_vfs_lookup(root, cs->path, 0, &cs->p);
	if (!err) {
		if (disp == FILE_CREATE) {
			path_put(&cs->p);
			return STATUS_OBJECT_NAME_COLLISION;
		}
		cs->action = disp == FILE_SUPERSEDE ? FILE_SUPERSEDED :
			     disp == FILE_OVERWRITE ||
			     disp == FILE_OVERWRITE_IF ? FILE_OVERWRITTEN :
			     FILE_OPENED;
		return STATUS_SUCCESS;
	}
	if (err != -ENOENT)
		return fsmb_errno_to_status(err);
	if (disp == FILE_OPEN || disp == FILE_OVERWRITE)
		return not_found_status(root, cs->path);
	if (w->tree->flags & FSMB_SHARE_READ_ONLY)
		return STATUS_ACCESS_DENIED;
	if ((cs->path_flags & FSMB_PATH_TRAILING_SEP) && !want_dir)
		return STATUS_OBJECT_NAME_INVALID;
	/* Refused before it exists: the close could never delete it. */
	if (!want_dir && (cs->req->options & FILE_DELETE_ON_CLOSE) &&
	    (cs->req->file_attributes & FILE_ATTRIBUTE_READONLY))
		return STATUS_CANNOT_DELETE;
	err = fsmb_vfs_create(root, cs->path, want_dir, &cs->p);
	/* Lost a race with another creator: open what it made. */
	if (err == -EEXIST && disp != FILE_CREATE && --tries)
		goto again;
	if (err == -ENOENT || err == -ENOTDIR)
		return STATUS_OBJECT_PATH_NOT_FOUND;
	if (err)
		return fsmb_errno_to_status(err);
	cs->created = true;
	cs->action = FILE_CREATED;
	return STATUS_SUCCESS;
}

/* Is an existing object of the kind asked for? */
static u32 check_type(const struct create_state *cs, bool is_dir)
{
	u32 opts = cs->req->options, disp = cs->req->disposition;

	if ((opts & FILE_DIRECTORY_FILE) && !is_dir)
		return STATUS_NOT_A_DIRECTORY;
	if ((opts & FILE_NON_DIRECTORY_FILE) && is_dir)
		return STATUS_FILE_IS_A_DIRECTORY;
	if ((cs->path_flags & FSMB_PATH_TRAILING_SEP) && !is_dir)
		return STATUS_OBJECT_NAME_INVALID;
	if (is_dir && (disp == FILE_SUPERSEDE || disp == FILE_OVERWRITE ||
		       disp == FILE_OVERWRITE_IF))
		return STATUS_FILE_IS_A_DIRECTORY;
	return STATUS_SUCCESS;
}

/*
 * The attributes a new or overwritten object gets: those asked for, and
 * ARCHIVE on a file as Windows adds it. An overwritten file keeps HIDDEN
 * and SYSTEM, which Windows makes the caller repeat.
 */
static u32 new_attributes(const struct create_state *cs, bool is_dir)
{
	u32 attrs = cs->req->file_attributes & ~FILE_ATTRIBUTE_DIRECTORY;

	if (is_dir)
		return attrs;
	attrs |= FILE_ATTRIBUTE_ARCHIVE;
	if (!cs->created)
		attrs |= fsmb_vfs_attributes(&cs->st, &cs->dos, NULL) &
			 (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM);
	return attrs;
}

static u32 create_disk(struct fsmb_work *w, const struct smb2_create_req *req,
		       const struct smb2_create_ctx *ctx, const char *path,
		       unsigned int path_flags)
{
	struct create_state cs = {
		.req = req, .ctx = ctx, .path = path, .path_flags = path_flags,
	};
	bool ro_share = w->tree->flags & FSMB_SHARE_READ_ONLY;
	bool share_root = !*path, is_dir, readonly, truncate;
	u32 desired = map_generic(req->desired_access);
	struct smb2_create_rsp rsp = {};
	struct smb2_file_times t;
	struct fsmb_open *op;
	u32 maximal, granted, status;
	struct file *filp;
	int err;

	status = create_lookup(w, &cs);
	if (status)
		return status;
	err = fsmb_vfs_stat(&cs.p, &cs.st, &cs.dos);
	if (err) {
		status = fsmb_errno_to_status(err);
		goto out_path;
	}
	is_dir = S_ISDIR(cs.st.mode);
	readonly = !is_dir && (fsmb_vfs_attributes(&cs.st, &cs.dos, NULL) &
			       FILE_ATTRIBUTE_READONLY);
	if (!cs.created) {
		status = check_type(&cs, is_dir);
		if (status)
			goto out_path;
	}

	maximal = maximal_access(&cs.p, is_dir, ro_share, share_root);
	if (desired & MAXIMUM_ALLOWED)
		granted = maximal | (desired & ~MAXIMUM_ALLOWED);
	else
		granted = desired;
	/* The creator gets what it asked for on what it just made. */
	if (!cs.created && (granted & ~maximal)) {
		status = STATUS_ACCESS_DENIED;
		goto out_path;
	}
	granted &= ~MAXIMUM_ALLOWED;

	truncate = !cs.created && cs.action != FILE_OPENED;
	if (truncate && (!(granted & (FILE_WRITE_DATA | FILE_APPEND_DATA)) ||
			 !(maximal & FILE_WRITE_DATA))) {
		status = STATUS_ACCESS_DENIED;
		goto out_path;
	}
	if (req->options & FILE_DELETE_ON_CLOSE) {
		if (!(granted & DELETE)) {
			status = STATUS_ACCESS_DENIED;
			goto out_path;
		}
		if (share_root || readonly) {
			status = STATUS_CANNOT_DELETE;
			goto out_path;
		}
	}

	filp = fsmb_vfs_open(&cs.p, open_flags(granted, maximal, cs.st.mode));
	if (IS_ERR(filp)) {
		status = fsmb_errno_to_status(PTR_ERR(filp));
		goto out_path;
	}
	if (truncate) {
		err = filp->f_mode & FMODE_WRITE ? fsmb_vfs_truncate(filp, 0) :
		      fsmb_vfs_truncate_path(&cs.p, 0);
		if (err) {
			status = fsmb_errno_to_status(err);
			goto out_filp;
		}
	}
	if ((cs.created || truncate) && !is_dir) {
		/* A hint only: file systems without fallocate just ignore it. */
		if (ctx->alloc_size_set && ctx->alloc_size &&
		    (filp->f_mode & FMODE_WRITE))
			fsmb_vfs_fallocate(filp, FALLOC_FL_KEEP_SIZE, 0,
					   min_t(u64, ctx->alloc_size,
						 MAX_LFS_FILESIZE));
		/* After the open, so this handle keeps its write access. */
		if (req->file_attributes & FILE_ATTRIBUTE_READONLY)
			fsmb_vfs_set_readonly(&cs.p, true);
	}
	/* Like the mode, best effort: the object is there whatever fails. */
	if (cs.created || truncate)
		fsmb_vfs_set_dos(&cs.p, true, new_attributes(&cs, is_dir), 0);
	err = fsmb_vfs_stat(&cs.p, &cs.st, &cs.dos);
	if (err) {
		status = fsmb_errno_to_status(err);
		goto out_filp;
	}

	op = fsmb_open_alloc(w->tree);
	if (!op) {
		status = STATUS_NO_MEMORY;
		goto out_filp;
	}
	op->filp = filp;
	op->granted_access = granted;
	op->create_options = req->options;
	op->delete_on_close = req->options & FILE_DELETE_ON_CLOSE;
	op->is_dir = is_dir;
	op->path = kstrdup(path, GFP_KERNEL);
	if (!op->path || fsmb_open_register(w, op)) {
		fsmb_open_put(op);	/* closes the file */
		status = STATUS_INSUFFICIENT_RESOURCES;
		goto out_path;
	}

	fsmb_vfs_smb_times(&cs.st, &cs.dos, fsmb_path_basename(path), &t);
	rsp.action = cs.action;
	rsp.creation_time = t.creation_time;
	rsp.access_time = t.access_time;
	rsp.write_time = t.write_time;
	rsp.change_time = t.change_time;
	rsp.alloc_size = t.alloc_size;
	rsp.eof = t.eof;
	rsp.attributes = t.attributes;
	rsp.persistent_id = op->persistent_id;
	rsp.volatile_id = op->volatile_id;
	if (ctx->mxac) {
		rsp.mxac = true;
		rsp.maximal_access = maximal_access(&cs.p, is_dir, ro_share,
						    share_root);
	}
	if (ctx->qfid) {
		rsp.qfid = true;
		rsp.disk_file_id = cs.st.ino;
		rsp.volume_id = fsmb_vfs_volume_serial(&cs.p);
	}
	status = send_response(w, &rsp);
	if (status)
		fsmb_open_close(w->sess, op);
	else
		set_related(w, op);
	fsmb_open_put(op);
	goto out_path;

out_filp:
	fput(filp);
out_path:
	path_put(&cs.p);
	return status;
}

u32 fsmb_smb2_create(struct fsmb_work *w)
{
	struct smb2_create_req req;
	struct smb2_create_ctx ctx;
	unsigned int path_flags;
	const struct cred *old;
	char *path;
	u32 status;

	if (smb2_create_req_decode(&w->in, &req))
		return STATUS_INVALID_PARAMETER;
	status = validate_request(&req);
	if (status)
		return status;
	if (smb2_create_ctx_parse(&req.contexts, &ctx))
		return STATUS_INVALID_PARAMETER;
	/* No snapshots to travel to. */
	if (ctx.timewarp)
		return STATUS_OBJECT_NAME_NOT_FOUND;

	path = kmalloc(FSMB_PATH_MAX, GFP_KERNEL);
	if (!path)
		return STATUS_NO_MEMORY;
	status = fsmb_cur_path(&req.name, path, FSMB_PATH_MAX, 0, &path_flags);
	if (status)
		goto out;

	if (w->tree->flags & FSMB_SHARE_IPC) {
		status = create_pipe(w, &req, path);
		goto out;
	}
	old = fsmb_vfs_begin(w);
	if (!old) {
		status = STATUS_ACCESS_DENIED;
		goto out;
	}
	status = create_disk(w, &req, &ctx, path, path_flags);
	fsmb_vfs_end(old);
out:
	kfree(path);
	return status;
}

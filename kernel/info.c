// SPDX-License-Identifier: GPL-2.0
/*
 * SMB2 QUERY_INFO and SET_INFO ([MS-SMB2] 3.3.5.20-21): file and file
 * system information classes, and a security descriptor derived from the
 * unix owner and mode (read-only: there is no ACL store yet).
 */
#include <linux/slab.h>
#include <linux/file.h>
#include <linux/falloc.h>

#include "open.h"
#include "vfs.h"
#include "proto/path.h"
#include "proto/smb2_info.h"

/* FileModeInformation bits an open may report and change. */
#define MODE_CHANGEABLE		(FILE_WRITE_THROUGH | FILE_SEQUENTIAL_ONLY | \
				 FILE_NO_INTERMEDIATE_BUFFERING)
#define MODE_VALID		(MODE_CHANGEABLE | FILE_SYNCHRONOUS_IO_ALERT | \
				 FILE_SYNCHRONOUS_IO_NONALERT)
#define FILE_DISPOSITION_IGNORE_READONLY	0x00000010
#define PIPE_ALLOC_SIZE		4096

/*
 * The name FileNameInformation and FileAllInformation show: the path from
 * the share root with a leading backslash; FileNormalizedNameInformation
 * omits the leading one. Returns a kmalloc'ed string or NULL.
 */
static char *windows_name(const char *path, bool leading)
{
	size_t len = strlen(path), i;
	char *name = kmalloc(len + 2, GFP_KERNEL);
	char *p = name;

	if (!name)
		return NULL;
	if (leading)
		*p++ = '\\';
	for (i = 0; i <= len; i++)
		p[i] = path[i] == '/' ? '\\' : path[i];
	return name;
}

/* Classes that show attributes or times need FILE_READ_ATTRIBUTES. */
static bool needs_read_attributes(u8 info_class)
{
	return info_class == FILE_BASIC_INFORMATION ||
	       info_class == FILE_ALL_INFORMATION ||
	       info_class == FILE_NETWORK_OPEN_INFORMATION ||
	       info_class == FILE_ATTRIBUTE_TAG_INFORMATION;
}

/* Encode into the QUERY_INFO response; errors leave no body. */
typedef u32 (*info_encoder_t)(struct fsmb_wcur *buf, size_t max, void *arg);

static u32 query_respond(struct fsmb_work *w, size_t out_len,
			 info_encoder_t enc, void *arg)
{
	struct fsmb_wcur buf;
	size_t start;
	u32 status;

	if (fsmb_work_reserve(w, SMB2_QUERY_INFO_RSP_FIXED + out_len))
		return STATUS_NO_MEMORY;
	start = w->out.pos;
	smb2_query_info_rsp_begin(&w->out, &buf, out_len);
	status = enc(&buf, out_len, arg);
	if (status != STATUS_SUCCESS && status != STATUS_BUFFER_OVERFLOW) {
		smb2_rsp_discard(&w->out, start);
		return status;
	}
	smb2_query_info_rsp_end(&w->out, start, &buf);
	return status;
}

struct file_enc_arg {
	u8 info_class;
	struct smb2_file_info *fi;
};

static u32 file_encoder(struct fsmb_wcur *buf, size_t max, void *arg)
{
	struct file_enc_arg *a = arg;

	return smb2_file_info_encode(buf, a->info_class, a->fi, max);
}

static u32 query_file(struct fsmb_work *w, struct fsmb_open *op,
		      const struct smb2_query_info_req *req, size_t out_len)
{
	struct file_enc_arg arg = { .info_class = req->info_class };
	struct smb2_file_info fi = {};
	struct fsmb_dosattrib da;
	const struct cred *old;
	struct kstat st;
	char *name = NULL;
	u32 status;
	int err;

	arg.fi = &fi;
	fi.access_flags = op->granted_access;
	fi.mode = op->create_options & MODE_VALID;
	fi.nlink = 1;
	if (!op->filp) {
		/* A pipe: only what clients of pipes ask for. */
		if (req->info_class != FILE_STANDARD_INFORMATION)
			return STATUS_NOT_SUPPORTED;
		fi.t.alloc_size = PIPE_ALLOC_SIZE;
		return query_respond(w, out_len, file_encoder, &arg);
	}
	if (needs_read_attributes(req->info_class) &&
	    !(op->granted_access & FILE_READ_ATTRIBUTES))
		return STATUS_ACCESS_DENIED;
	if (req->info_class == FILE_NORMALIZED_NAME_INFORMATION &&
	    w->conn->dialect < SMB2_DIALECT_311)
		return STATUS_NOT_SUPPORTED;
	if (req->info_class == FILE_ALTERNATE_NAME_INFORMATION)
		return STATUS_OBJECT_NAME_NOT_FOUND;	/* no 8.3 names */

	old = fsmb_vfs_begin(w);
	if (!old)
		return STATUS_ACCESS_DENIED;
	err = fsmb_vfs_stat(&op->filp->f_path, &st, &da);
	fsmb_vfs_end(old);
	if (err)
		return fsmb_errno_to_status(err);

	fsmb_vfs_smb_times(&st, &da, fsmb_path_basename(op->path), &fi.t);
	fi.nlink = st.nlink;
	fi.delete_pending = op->delete_on_close;
	fi.is_dir = op->is_dir;
	fi.file_id = st.ino;
	fi.volume_id = fsmb_vfs_volume_serial(&op->filp->f_path);
	fi.position = op->is_dir ? 0 : op->filp->f_pos;
	fi.has_stream = !op->is_dir;
	fi.stream_size = st.size;
	fi.stream_alloc = st.blocks << 9;
	if (req->info_class == FILE_ALL_INFORMATION ||
	    req->info_class == FILE_NAME_INFORMATION ||
	    req->info_class == FILE_NORMALIZED_NAME_INFORMATION) {
		name = windows_name(op->path, req->info_class !=
				    FILE_NORMALIZED_NAME_INFORMATION);
		if (!name)
			return STATUS_NO_MEMORY;
		fi.name = name;
		fi.name_len = strlen(name);
	}
	status = query_respond(w, out_len, file_encoder, &arg);
	kfree(name);
	return status;
}

struct fs_enc_arg {
	u8 info_class;
	struct smb2_fs_info *fs;
};

static u32 fs_encoder(struct fsmb_wcur *buf, size_t max, void *arg)
{
	struct fs_enc_arg *a = arg;

	return smb2_fs_info_encode(buf, a->info_class, a->fs, max);
}

#define FSMB_SECTOR_SIZE	512

static u32 query_fs(struct fsmb_work *w, struct fsmb_open *op,
		    const struct smb2_query_info_req *req, size_t out_len)
{
	static const char fs_name[] = "NTFS";
	struct fs_enc_arg arg = { .info_class = req->info_class };
	bool ro = w->tree->flags & FSMB_SHARE_READ_ONLY;
	const struct path *path;
	struct smb2_fs_info fs = {};
	const struct cred *old;
	struct kstatfs sfs;
	u64 unit;
	int err;

	if (!op->filp)
		return STATUS_NOT_SUPPORTED;
	path = &op->filp->f_path;
	old = fsmb_vfs_begin(w);
	if (!old)
		return STATUS_ACCESS_DENIED;
	err = fsmb_vfs_statfs(path, &sfs);
	fsmb_vfs_end(old);
	if (err)
		return fsmb_errno_to_status(err);

	unit = sfs.f_frsize ? sfs.f_frsize : sfs.f_bsize;
	if (unit < FSMB_SECTOR_SIZE)
		unit = FSMB_SECTOR_SIZE;
	fs.total_units = sfs.f_blocks;
	fs.avail_units = sfs.f_bavail;
	fs.free_units = sfs.f_bfree;
	fs.bytes_per_sector = FSMB_SECTOR_SIZE;
	fs.sectors_per_unit = unit / FSMB_SECTOR_SIZE;
	fs.serial = fsmb_vfs_volume_serial(path);
	fs.label = w->tree->share_name ? w->tree->share_name : "";
	fs.label_len = strlen(fs.label);
	/* Windows clients and cifs expect an NTFS-like volume. */
	fs.fs_attributes = FILE_CASE_SENSITIVE_SEARCH |
			   FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK |
			   FILE_SUPPORTS_SPARSE_FILES |
			   (ro ? FILE_READ_ONLY_VOLUME : 0);
	fs.max_name_len = FSMB_NAME_MAX;
	fs.fs_name = fs_name;
	fs.fs_name_len = sizeof(fs_name) - 1;
	fs.device_characteristics = FILE_DEVICE_IS_MOUNTED |
				    (ro ? FILE_READ_ONLY_DEVICE : 0);
	memcpy(fs.object_id, path->mnt->mnt_sb->s_uuid.b, 16);
	arg.fs = &fs;
	return query_respond(w, out_len, fs_encoder, &arg);
}

struct sd_enc_arg {
	u32 addl_info;
	struct smb2_unix_owner owner;
};

static u32 sd_encoder(struct fsmb_wcur *buf, size_t max, void *arg)
{
	struct sd_enc_arg *a = arg;

	smb2_sd_encode(buf, a->addl_info, &a->owner);
	return fsmb_wcur_ok(buf) ? STATUS_SUCCESS : STATUS_INTERNAL_ERROR;
}

static u32 query_security(struct fsmb_work *w, struct fsmb_open *op,
			  const struct smb2_query_info_req *req,
			  size_t out_len)
{
	struct sd_enc_arg arg = {};
	const struct cred *old;
	struct kstat st;
	size_t need;
	int err;

	if (!op->filp)
		return STATUS_NOT_SUPPORTED;
	if (!(op->granted_access & READ_CONTROL))
		return STATUS_ACCESS_DENIED;
	/* No SACL to show; asking for one is not an error worth failing. */
	arg.addl_info = req->addl_info & (OWNER_SECURITY_INFORMATION |
					  GROUP_SECURITY_INFORMATION |
					  DACL_SECURITY_INFORMATION);
	need = smb2_sd_size(arg.addl_info);
	if (out_len < need) {
		if (fsmb_work_reserve(w, SMB2_ERROR_BODY_SIZE + 3))
			return STATUS_NO_MEMORY;
		smb2_error_rsp_u32(&w->out, need);
		return STATUS_BUFFER_TOO_SMALL;
	}
	old = fsmb_vfs_begin(w);
	if (!old)
		return STATUS_ACCESS_DENIED;
	err = fsmb_vfs_getattr(&op->filp->f_path, &st);
	fsmb_vfs_end(old);
	if (err)
		return fsmb_errno_to_status(err);
	arg.owner.uid = fsmb_vfs_uid(&st);
	arg.owner.gid = fsmb_vfs_gid(&st);
	arg.owner.mode = st.mode & 0777;
	arg.owner.is_dir = S_ISDIR(st.mode);
	return query_respond(w, need, sd_encoder, &arg);
}

u32 fsmb_smb2_query_info(struct fsmb_work *w)
{
	struct smb2_query_info_req req;
	struct fsmb_open *op;
	size_t out_len;
	u32 status;

	if (smb2_query_info_req_decode(&w->in, &req))
		return STATUS_INVALID_PARAMETER;
	op = fsmb_open_lookup(w, req.fid.persistent, req.fid.volatile_id);
	if (!op)
		return STATUS_FILE_CLOSED;
	out_len = min_t(size_t, req.out_len, FSMB_MAX_TRANS);
	switch (req.info_type) {
	case SMB2_0_INFO_FILE:
		status = query_file(w, op, &req, out_len);
		break;
	case SMB2_0_INFO_FILESYSTEM:
		status = query_fs(w, op, &req, out_len);
		break;
	case SMB2_0_INFO_SECURITY:
		status = query_security(w, op, &req, out_len);
		break;
	case SMB2_0_INFO_QUOTA:
		status = STATUS_NOT_SUPPORTED;
		break;
	default:
		status = STATUS_INVALID_PARAMETER;
		break;
	}
	fsmb_open_put(op);
	return status;
}

/*
 * The time to set for the FILETIME @ft in @ts, or NULL to leave it: for
 * 0, and for -1 and -2 (stop and resume automatic updates, which unix
 * cannot do).
 */
static const struct timespec64 *time_arg(u64 ft, struct timespec64 *ts)
{
	if (!ft || ft >= (u64)-2)
		return NULL;
	*ts = fsmb_filetime_to_time(ft);
	return ts;
}

static u32 set_basic(struct fsmb_open *op, struct fsmb_cur *c)
{
	const struct path *path = &op->filp->f_path;
	const struct timespec64 *at, *mt;
	struct timespec64 atime, mtime;
	struct smb2_basic_info bi;
	bool readonly;
	u64 crtime;
	u32 status;
	int err;

	if (!(op->granted_access & FILE_WRITE_ATTRIBUTES))
		return STATUS_ACCESS_DENIED;
	status = smb2_basic_info_decode(c, &bi);
	if (status)
		return status;
	if (bi.attributes & ~FILE_ATTRIBUTE_VALID_FLAGS)
		return STATUS_INVALID_PARAMETER;
	if (!op->is_dir && (bi.attributes & FILE_ATTRIBUTE_DIRECTORY))
		return STATUS_INVALID_PARAMETER;
	if (op->is_dir && (bi.attributes & FILE_ATTRIBUTE_TEMPORARY))
		return STATUS_INVALID_PARAMETER;

	/*
	 * Attributes 0 leave them alone. A file's READONLY is also its
	 * write bits, and storing the attributes needs write permission:
	 * store them while the file is still writable, i.e. before the
	 * write bits go and after they come back.
	 */
	readonly = bi.attributes & FILE_ATTRIBUTE_READONLY;
	crtime = bi.creation_time < (u64)-2 ? bi.creation_time : 0;
	if (bi.attributes && !op->is_dir && !readonly) {
		err = fsmb_vfs_set_readonly(path, false);
		if (err)
			return fsmb_errno_to_status(err);
	}
	if (bi.attributes || crtime) {
		err = fsmb_vfs_set_dos(path, bi.attributes != 0,
				       bi.attributes, crtime);
		if (err)
			return fsmb_errno_to_status(err);
	}
	if (readonly && !op->is_dir) {
		err = fsmb_vfs_set_readonly(path, true);
		if (err)
			return fsmb_errno_to_status(err);
	}
	/*
	 * ChangeTime is not settable: the inode's change time is the
	 * kernel's record that the file changed, which backups and
	 * integrity tools rely on (Samba ignores it too).
	 */
	at = time_arg(bi.access_time, &atime);
	mt = time_arg(bi.write_time, &mtime);
	if (at || mt) {
		err = fsmb_vfs_set_times(path, at, mt);
		if (err)
			return fsmb_errno_to_status(err);
	}
	return STATUS_SUCCESS;
}

static u32 set_rename(struct fsmb_work *w, struct fsmb_open *op,
		      struct fsmb_cur *c)
{
	struct smb2_rename_info ri;
	unsigned int path_flags;
	char *path, *copy;
	u32 status;
	int err;

	if (!(op->granted_access & DELETE))
		return STATUS_ACCESS_DENIED;
	status = smb2_rename_info_decode(c, &ri);
	if (status)
		return status;
	if (ri.root_dir)
		return STATUS_INVALID_PARAMETER;
	if (!*op->path)
		return STATUS_ACCESS_DENIED;	/* the share root */
	path = kmalloc(FSMB_PATH_MAX, GFP_KERNEL);
	if (!path)
		return STATUS_NO_MEMORY;
	status = fsmb_cur_path(&ri.name, path, FSMB_PATH_MAX,
			       FSMB_PATH_LEADING_SEP_OK, &path_flags);
	if (status)
		goto out;
	if (!*path) {
		status = STATUS_OBJECT_NAME_INVALID;
		goto out;
	}
	err = fsmb_vfs_rename(&w->tree->root, op->filp, path, ri.replace);
	switch (err) {
	case 0:
		copy = kstrdup(path, GFP_KERNEL);
		if (copy) {
			kfree(op->path);
			op->path = copy;
		}
		status = STATUS_SUCCESS;
		break;
	case -ENOENT:
		status = STATUS_OBJECT_PATH_NOT_FOUND;
		break;
	case -EISDIR:
		status = STATUS_ACCESS_DENIED;
		break;
	case -EXDEV:
		status = STATUS_NOT_SAME_DEVICE;
		break;
	default:
		status = fsmb_errno_to_status(err);
		break;
	}
out:
	kfree(path);
	return status;
}

static u32 set_disposition(struct fsmb_open *op, bool delete, bool force)
{
	const struct path *path = &op->filp->f_path;
	struct fsmb_dosattrib da;
	struct kstat st;
	int err;

	if (!(op->granted_access & DELETE))
		return STATUS_ACCESS_DENIED;
	if (!delete) {
		op->delete_on_close = false;
		return STATUS_SUCCESS;
	}
	if (!*op->path)
		return STATUS_CANNOT_DELETE;
	err = fsmb_vfs_stat(path, &st, &da);
	if (err)
		return fsmb_errno_to_status(err);
	if (!op->is_dir && !force &&
	    (fsmb_vfs_attributes(&st, &da, NULL) & FILE_ATTRIBUTE_READONLY))
		return STATUS_CANNOT_DELETE;
	if (op->is_dir) {
		err = fsmb_vfs_dir_is_empty(path);
		if (err < 0)
			return fsmb_errno_to_status(err);
		if (!err)
			return STATUS_DIRECTORY_NOT_EMPTY;
	}
	op->delete_on_close = true;
	return STATUS_SUCCESS;
}

static u32 set_allocation(struct fsmb_open *op, u64 size)
{
	struct file *filp = op->filp;
	loff_t eof = i_size_read(file_inode(filp));
	int err;

	if (!(op->granted_access & FILE_WRITE_DATA))
		return STATUS_ACCESS_DENIED;
	if (op->is_dir || size > S64_MAX)
		return STATUS_INVALID_PARAMETER;
	/* Allocating less than the file holds cuts the file there. */
	if (size < eof)
		return fsmb_errno_to_status(fsmb_vfs_truncate(filp, size));
	err = fsmb_vfs_fallocate(filp, FALLOC_FL_KEEP_SIZE, 0, size);
	/* Reserving space is advice; not every file system takes it. */
	if (err == -EOPNOTSUPP || !size)
		err = 0;
	return fsmb_errno_to_status(err);
}

static u32 set_file(struct fsmb_work *w, struct fsmb_open *op,
		    const struct smb2_set_info_req *req)
{
	struct fsmb_cur c = req->buf;
	u64 v;
	u32 status;

	switch (req->info_class) {
	case FILE_BASIC_INFORMATION:
		return set_basic(op, &c);
	case FILE_RENAME_INFORMATION:
		return set_rename(w, op, &c);
	case FILE_DISPOSITION_INFORMATION:
		status = smb2_info_u64_decode(&c, 1, &v);
		return status ? status : set_disposition(op, v, false);
	case FILE_DISPOSITION_INFORMATION_EX:
		status = smb2_info_u64_decode(&c, 4, &v);
		return status ? status :
		       set_disposition(op, v & FILE_DISPOSITION_DELETE,
				       v & FILE_DISPOSITION_IGNORE_READONLY);
	case FILE_POSITION_INFORMATION:
		status = smb2_info_u64_decode(&c, 8, &v);
		if (status)
			return status;
		if (v > S64_MAX)
			return STATUS_INVALID_PARAMETER;
		if (!op->is_dir)
			op->filp->f_pos = v;
		return STATUS_SUCCESS;
	case FILE_MODE_INFORMATION:
		status = smb2_info_u64_decode(&c, 4, &v);
		if (status)
			return status;
		if (v & ~MODE_VALID)
			return STATUS_INVALID_PARAMETER;
		op->create_options = (op->create_options & ~MODE_CHANGEABLE) |
				     (v & MODE_CHANGEABLE);
		return STATUS_SUCCESS;
	case FILE_ALLOCATION_INFORMATION:
		status = smb2_info_u64_decode(&c, 8, &v);
		return status ? status : set_allocation(op, v);
	case FILE_END_OF_FILE_INFORMATION:
		status = smb2_info_u64_decode(&c, 8, &v);
		if (status)
			return status;
		if (!(op->granted_access & FILE_WRITE_DATA))
			return STATUS_ACCESS_DENIED;
		if (op->is_dir || v > S64_MAX)
			return STATUS_INVALID_PARAMETER;
		return fsmb_errno_to_status(fsmb_vfs_truncate(op->filp, v));
	case FILE_FULL_EA_INFORMATION:
		return STATUS_EAS_NOT_SUPPORTED;
	case FILE_LINK_INFORMATION:
	case FILE_VALID_DATA_LENGTH_INFORMATION:
		return STATUS_NOT_SUPPORTED;
	}
	return STATUS_INVALID_INFO_CLASS;
}

u32 fsmb_smb2_set_info(struct fsmb_work *w)
{
	struct smb2_set_info_req req;
	const struct cred *old;
	struct fsmb_open *op;
	u32 status;

	if (smb2_set_info_req_decode(&w->in, &req))
		return STATUS_INVALID_PARAMETER;
	op = fsmb_open_lookup(w, req.fid.persistent, req.fid.volatile_id);
	if (!op)
		return STATUS_FILE_CLOSED;
	if (!op->filp) {
		/* Pipes are in message mode already; nothing else applies. */
		status = req.info_type == SMB2_0_INFO_FILE &&
			 req.info_class == FILE_PIPE_INFORMATION ?
			 STATUS_SUCCESS : STATUS_NOT_SUPPORTED;
	} else if (req.info_type == SMB2_0_INFO_FILE) {
		old = fsmb_vfs_begin(w);
		if (old) {
			status = set_file(w, op, &req);
			fsmb_vfs_end(old);
		} else {
			status = STATUS_ACCESS_DENIED;
		}
	} else if (req.info_type == SMB2_0_INFO_FILESYSTEM ||
		   req.info_type == SMB2_0_INFO_SECURITY ||
		   req.info_type == SMB2_0_INFO_QUOTA) {
		status = STATUS_NOT_SUPPORTED;
	} else {
		status = STATUS_INVALID_PARAMETER;
	}
	fsmb_open_put(op);
	if (status)
		return status;
	if (fsmb_work_reserve(w, SMB2_SET_INFO_RSP_SIZE))
		return STATUS_NO_MEMORY;
	smb2_set_info_rsp_encode(&w->out);
	return STATUS_SUCCESS;
}

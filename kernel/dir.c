// SPDX-License-Identifier: GPL-2.0
/*
 * SMB2 QUERY_DIRECTORY ([MS-SMB2] 3.3.5.18, [MS-FSA] 2.1.5.6.3).
 *
 * Names are gathered with iterate_dir() into a preallocated batch: the
 * actor runs with the directory's i_rwsem held, so it only matches and
 * copies (no allocation, no lookup, which would take that lock again).
 * Each entry is then looked up and stat'ed on its own, so an entry deleted
 * meanwhile is simply skipped. The scan position is the file system's own
 * directory offset: the actor is told the offset of every entry, and when
 * an entry does not fit in the response the next call seeks back to it.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/file.h>

#include "open.h"
#include "vfs.h"
#include "proto/path.h"
#include "proto/utf16.h"
#include "proto/smb2_dir.h"

#define BATCH_ENTRIES	512
#define BATCH_POOL	(BATCH_ENTRIES * 64)

struct batch_entry {
	loff_t pos;		/* directory offset of this entry */
	u32 name_off;		/* in the pool, NUL-terminated */
	u16 name_len;
};

struct batch {
	struct dir_context ctx;
	const char *pattern;
	size_t fixed;		/* entry size without the name */
	size_t room;		/* output bytes the batch may fill */
	size_t est;		/* bytes the batch would take */
	bool single;
	bool stopped;		/* the actor refused an entry: more follow */
	unsigned int seen;	/* entries the actor was shown */
	unsigned int n;
	struct batch_entry *ents;
	char *pool;
	size_t pool_used;
};

static bool batch_actor(struct dir_context *ctx, const char *name, int len,
			loff_t pos, u64 ino, unsigned int type)
{
	struct batch *b = container_of(ctx, struct batch, ctx);
	struct batch_entry *e;
	size_t at, size;
	int u16len;

	b->seen++;
	if (len <= 0 || len > FSMB_NAME_MAX)
		return true;
	/* Names that cannot be shown as UTF-16 are left out. */
	u16len = fsmb_utf8_utf16_len(name, len);
	if (u16len < 0 || !fsmb_name_match(b->pattern, name, len))
		return true;
	at = b->n ? ALIGN(b->est, 8) : 0;
	size = b->fixed + u16len;
	/*
	 * The first entry is kept even if too large: the caller answers
	 * BUFFER_OVERFLOW with what fits of it.
	 */
	if ((b->n && at + size > b->room) || (b->single && b->n) ||
	    b->n == BATCH_ENTRIES || BATCH_POOL - b->pool_used < (size_t)len + 1) {
		b->stopped = true;
		return false;
	}
	e = &b->ents[b->n++];
	e->pos = pos;
	e->name_off = b->pool_used;
	e->name_len = len;
	memcpy(b->pool + b->pool_used, name, len);
	b->pool[b->pool_used + len] = '\0';
	b->pool_used += len + 1;
	b->est = at + size;
	return true;
}

static int stat_entry(struct fsmb_open *op, const char *name, size_t len,
		      struct kstat *st, struct fsmb_dosattrib *da)
{
	struct file *dir = op->filp;

	if (len == 1 && name[0] == '.')
		return fsmb_vfs_stat(&dir->f_path, st, da);
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		/* The share root's parent is not shown: ".." is the root. */
		if (!*op->path)
			return fsmb_vfs_stat(&dir->f_path, st, da);
		return fsmb_vfs_stat_parent(&dir->f_path, st, da);
	}
	return fsmb_vfs_stat_child(&op->tree->root, op->path, &dir->f_path,
				   name, len, st, da);
}

enum fill_result {
	FILL_MORE,		/* room left and entries may follow */
	FILL_FULL,		/* the response is complete */
	FILL_OVERFLOW,		/* the first entry did not fit */
	FILL_EOF,		/* the directory has been read to the end */
};

/* Read one batch from op->dir_pos and put what fits into @buf. */
static int fill_batch(struct fsmb_open *op, struct batch *b,
		      struct smb2_dir_buf *buf, enum fill_result *res)
{
	struct smb2_file_times t;
	struct fsmb_dosattrib da;
	struct smb2_dirent d;
	struct kstat st;
	unsigned int i;
	size_t at;
	int err;

	b->n = 0;
	b->seen = 0;
	b->est = 0;
	b->pool_used = 0;
	b->stopped = false;
	at = buf->count ? ALIGN(buf->w.pos, 8) : 0;
	if (at >= buf->w.cap) {
		*res = FILL_FULL;
		return 0;
	}
	b->room = buf->w.cap - at;
	err = fsmb_vfs_seek_dir(op->filp, op->dir_pos);
	if (!err)
		err = fsmb_vfs_iterate(op->filp, &b->ctx);
	if (err)
		return err;

	for (i = 0; i < b->n; i++) {
		struct batch_entry *e = &b->ents[i];
		const char *name = b->pool + e->name_off;

		if (stat_entry(op, name, e->name_len, &st, &da))
			continue;	/* gone, or a link leading outside */
		fsmb_vfs_smb_times(&st, &da, name, &t);
		d.file_id = st.ino;
		d.creation_time = t.creation_time;
		d.access_time = t.access_time;
		d.write_time = t.write_time;
		d.change_time = t.change_time;
		d.eof = t.eof;
		d.alloc_size = t.alloc_size;
		d.attributes = t.attributes;
		d.name = name;
		d.name_len = e->name_len;
		if (smb2_dirent_add(buf, &d) == -ENOSPC) {
			op->dir_pos = e->pos;
			if (buf->count) {
				*res = FILL_FULL;
			} else {
				smb2_dirent_add_partial(buf, &d);
				*res = FILL_OVERFLOW;
			}
			return 0;
		}
		if (b->single) {
			op->dir_pos = i + 1 < b->n ? b->ents[i + 1].pos :
				      op->filp->f_pos;
			*res = FILL_FULL;
			return 0;
		}
	}
	op->dir_pos = op->filp->f_pos;
	if (b->stopped)
		*res = b->n ? FILL_MORE : FILL_FULL;
	else
		*res = b->seen ? FILL_MORE : FILL_EOF;
	return 0;
}

static u32 query_dir(struct fsmb_work *w, struct fsmb_open *op,
		     const struct smb2_query_dir_req *req, size_t out_len,
		     bool first)
{
	struct batch b = { .ctx.actor = batch_actor };
	enum fill_result res = FILL_MORE;
	struct smb2_dir_buf buf;
	const struct cred *old;
	size_t start;
	int err = 0;

	b.pattern = op->dir_pattern;
	b.fixed = smb2_dirent_fixed_size(req->info_class);
	b.single = req->flags & SMB2_RETURN_SINGLE_ENTRY;
	b.ents = kvmalloc_array(BATCH_ENTRIES, sizeof(*b.ents), GFP_KERNEL);
	b.pool = kvmalloc(BATCH_POOL, GFP_KERNEL);
	if (!b.ents || !b.pool) {
		err = -ENOMEM;
		goto out_free;
	}
	if (fsmb_work_reserve(w, SMB2_QUERY_DIR_RSP_FIXED + out_len)) {
		err = -ENOMEM;
		goto out_free;
	}
	start = w->out.pos;
	smb2_query_dir_rsp_begin(&w->out, &buf, req->info_class, out_len);

	old = fsmb_vfs_begin(w);
	if (!old) {
		err = -EACCES;
	} else {
		while (res == FILL_MORE) {
			err = fill_batch(op, &b, &buf, &res);
			if (err)
				break;
		}
		fsmb_vfs_end(old);
	}
	if (res == FILL_EOF)
		op->dir_done = true;
	if (err || !buf.count) {
		smb2_rsp_discard(&w->out, start);
		goto out_free;
	}
	smb2_query_dir_rsp_end(&w->out, start, &buf);
out_free:
	kvfree(b.pool);
	kvfree(b.ents);
	if (err)
		return fsmb_errno_to_status(err);
	if (!buf.count)
		return first ? STATUS_NO_SUCH_FILE : STATUS_NO_MORE_FILES;
	return res == FILL_OVERFLOW ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

u32 fsmb_smb2_query_directory(struct fsmb_work *w)
{
	struct smb2_query_dir_req req;
	struct fsmb_open *op;
	size_t out_len;
	char *pattern = NULL;
	bool first;
	u32 status;

	if (smb2_query_dir_req_decode(&w->in, &req))
		return STATUS_INVALID_PARAMETER;
	op = fsmb_open_lookup(w, req.fid.persistent, req.fid.volatile_id);
	if (!op)
		return STATUS_FILE_CLOSED;
	if (!op->filp || !op->is_dir) {
		status = STATUS_INVALID_PARAMETER;
		goto out;
	}
	if (!(op->granted_access & FILE_LIST_DIRECTORY) ||
	    (op->filp->f_mode & FMODE_PATH)) {
		status = STATUS_ACCESS_DENIED;
		goto out;
	}
	if (!smb2_dirent_fixed_size(req.info_class)) {
		status = STATUS_INVALID_INFO_CLASS;
		goto out;
	}
	out_len = min_t(size_t, req.out_len, FSMB_MAX_TRANS);
	if (out_len < smb2_dirent_fixed_size(req.info_class)) {
		status = STATUS_INFO_LENGTH_MISMATCH;
		goto out;
	}

	/*
	 * The pattern counts on the first call of a scan and on a restart;
	 * later calls continue with the one they started with.
	 */
	first = !op->dir_pattern ||
		(req.flags & (SMB2_RESTART_SCANS | SMB2_REOPEN));
	if (first) {
		pattern = kmalloc(FSMB_NAME_MAX + 1, GFP_KERNEL);
		if (!pattern) {
			status = STATUS_NO_MEMORY;
			goto out;
		}
		status = fsmb_pattern_decode(&req.pattern, pattern,
					     FSMB_NAME_MAX + 1);
		if (status) {
			kfree(pattern);
			goto out;
		}
		kfree(op->dir_pattern);
		op->dir_pattern = pattern;
		op->dir_pos = 0;
		op->dir_done = false;
	}
	if (op->dir_done) {
		status = STATUS_NO_MORE_FILES;
		goto out;
	}
	status = query_dir(w, op, &req, out_len, first);
out:
	fsmb_open_put(op);
	return status;
}

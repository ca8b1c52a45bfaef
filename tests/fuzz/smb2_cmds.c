// SPDX-License-Identifier: GPL-2.0
/*
 * The decoding half of the kernel's command handlers, for the fuzzers: see
 * smb2_cmds.h. Each fuzz_cmd_*() follows its handler in kernel/ call
 * for call up to the point where the handler needs server state.
 */
#include <string.h>

#include <linux/fsmb.h>

#include "smb2_cmds.h"
#include "proto/path.h"
#include "proto/smb2_create.h"
#include "proto/smb2_dir.h"
#include "proto/smb2_info.h"
#include "proto/smb2_io.h"
#include "proto/smb2_ioctl.h"
#include "proto/smb2_misc.h"
#include "proto/smb2_negotiate.h"
#include "proto/smb2_session.h"
#include "proto/smb2_tree.h"
#include "proto/utf16.h"

/* kernel/fsmb.h, which does not build outside the kernel. */
#define FSMB_MAX_IO		(8 * 1024 * 1024)
#define FSMB_MAX_TRANS		(1024 * 1024)
/* Output buffers the harnesses allocate: clients may ask for FSMB_MAX_TRANS. */
#define FUZZ_MAX_OUT		65536

static volatile uint8_t sink;

void fuzz_touch(const struct fsmb_cur *c)
{
	uint8_t x = 0;
	size_t i;

	if (!fsmb_cur_ok(c))
		return;
	fuzz_check(c->pos <= c->len);
	for (i = 0; i < c->len; i++)
		x ^= c->base[i];
	sink = x;
}

uint8_t *fuzz_body_msg(uint16_t cmd, const uint8_t *body, size_t size,
		       struct fsmb_cur *c)
{
	uint8_t *msg = malloc(SMB2_HDR_SIZE + size);
	struct fsmb_wcur w;
	struct smb2_hdr h = {
		.command = cmd,
		.credit_charge = 1,
		.credit_request = 1,
		.message_id = 1,
		.tree_id = 1,
		.session_id = 1,
	};

	if (!msg)
		abort();
	fsmb_wcur_init(&w, msg, SMB2_HDR_SIZE);
	smb2_hdr_encode(&w, &h);
	fuzz_check(fsmb_wcur_ok(&w) && w.pos == SMB2_HDR_SIZE);
	if (size)
		memcpy(msg + SMB2_HDR_SIZE, body, size);
	fsmb_cur_init(c, msg, SMB2_HDR_SIZE + size);
	fsmb_cur_seek(c, SMB2_HDR_SIZE);
	return msg;
}

int fuzz_body_one(uint16_t cmd, void (*fn)(struct fsmb_cur *in),
		  const uint8_t *data, size_t size)
{
	struct fsmb_cur in;
	uint8_t *msg = fuzz_body_msg(cmd, data, size, &in);

	smb2_credit_payload(&in, cmd);
	fn(&in);
	free(msg);
	return 0;
}

/* ---- NEGOTIATE (kernel/negotiate.c) ------------------------------------ */

static const u16 dialects[] = {
	SMB2_DIALECT_311, SMB2_DIALECT_302, SMB2_DIALECT_300,
	SMB2_DIALECT_210, SMB2_DIALECT_202,
};

/* fsmb_pick_dialect() with the whole range enabled. */
static u16 pick_dialect(const struct fsmb_cur *list)
{
	bool offered[ARRAY_SIZE(dialects)] = { false };
	struct fsmb_cur c = *list;
	size_t i;

	while (fsmb_cur_remaining(&c)) {
		u16 d = fsmb_cur_le16(&c);

		for (i = 0; i < ARRAY_SIZE(dialects); i++)
			if (d == dialects[i])
				offered[i] = true;
	}
	for (i = 0; i < ARRAY_SIZE(dialects); i++)
		if (offered[i])
			return dialects[i];
	return 0;
}

static void negotiate_rsp(u16 dialect, const struct smb2_neg_contexts *ctx)
{
	static const u8 hint[74] = { 0x60, 0x48 };
	static const u8 salt[SMB2_PREAUTH_SALT_SIZE];
	/* FSMB_NEG_RSP_ROOM + the hint, as fsmb_smb2_negotiate() reserves. */
	size_t cap = SMB2_HDR_SIZE + SMB2_NEGOTIATE_RSP_SIZE + 8 + 48 + 16 +
		     sizeof(hint);
	struct smb2_negotiate_rsp rsp = {
		.dialect = dialect,
		.sec_blob = hint,
		.sec_len = sizeof(hint),
		.preauth_salt = salt,
	};
	u8 *buf = malloc(cap);
	struct fsmb_wcur w;
	u16 i;

	if (!buf)
		abort();
	for (i = 0; ctx && i < ctx->nsigning; i++) {
		if (ctx->signing_algos[i] <= SMB2_SIGNING_AES_GMAC) {
			rsp.signing = true;
			rsp.signing_algo = ctx->signing_algos[i];
			break;
		}
	}
	fsmb_wcur_init(&w, buf, cap);
	w.pos = SMB2_HDR_SIZE;
	smb2_negotiate_rsp_encode(&w, &rsp);
	/* The reservation must always be enough. */
	fuzz_check(fsmb_wcur_ok(&w));
	free(buf);
}

void fuzz_cmd_negotiate(struct fsmb_cur *in)
{
	struct smb2_negotiate_req req;
	struct smb2_neg_contexts ctx;
	u16 dialect;

	if (smb2_negotiate_req_decode(in, &req))
		return;
	fuzz_check(req.dialect_count > 0);
	fuzz_check(fsmb_cur_remaining(&req.dialects) ==
		   (size_t)req.dialect_count * 2);
	fuzz_touch(&req.dialects);
	dialect = pick_dialect(&req.dialects);
	/* The handler reads the contexts only for 3.1.1; always, here. */
	if (smb2_neg_contexts_decode(in, &req, &ctx) == 0) {
		fuzz_check(ctx.nsigning <= SMB2_NEG_MAX_SIGNING);
		fuzz_check(!ctx.preauth_sha512 || ctx.preauth);
		negotiate_rsp(SMB2_DIALECT_311, &ctx);
	}
	if (dialect && dialect != SMB2_DIALECT_311)
		negotiate_rsp(dialect, NULL);
}

/* ---- SESSION_SETUP, TREE_CONNECT (kernel/session.c, tree.c) ---------- */

void fuzz_cmd_session_setup(struct fsmb_cur *in)
{
	struct smb2_session_setup_req req;

	if (smb2_session_setup_req_decode(in, &req))
		return;
	/* The blob goes to fsmbd whole, in one netlink attribute. */
	fuzz_check(fsmb_cur_remaining(&req.blob) <= FSMB_MAX_SEC_BLOB);
	fuzz_touch(&req.blob);
}

void fuzz_cmd_tree_connect(struct fsmb_cur *in)
{
	struct smb2_tree_connect_req req;
	char share[FSMB_MAX_NAME];
	struct fsmb_cur name;
	int n;

	if (smb2_tree_connect_req_decode(in, &req))
		return;
	fuzz_touch(&req.path);
	/* Tree connect contexts are refused before the name is looked at. */
	if (req.flags & SMB2_TREE_CONNECT_FLAG_EXTENSION_PRESENT)
		return;
	if (smb2_tree_share_name(&req.path, &name))
		return;
	fuzz_touch(&name);
	fuzz_check(fsmb_cur_remaining(&name) > 0 &&
		   fsmb_cur_remaining(&name) % 2 == 0);
	n = fsmb_cur_utf16(&name, fsmb_cur_remaining(&name), share,
			   sizeof(share));
	if (n > 0) {
		fuzz_check((size_t)n < sizeof(share));
		fuzz_check(strlen(share) == (size_t)n);
		fuzz_check(!strchr(share, '\\') && !strchr(share, '/'));
	}
}

/* ---- paths (kernel/proto/path.c) -------------------------------------- */

static bool bad_name_char(unsigned char ch)
{
	return ch < 0x20 || strchr("\"*:<>?|\\", ch);
}

/* What vfs.c assumes of every path fsmb_path_decode() accepted. */
static void check_path(const char *out, size_t out_size, unsigned int result)
{
	size_t len = strlen(out), start = 0, i;

	fuzz_check(len < out_size);
	fuzz_check(!(result & ~FSMB_PATH_TRAILING_SEP));
	if (!len)
		return;
	fuzz_check(out[0] != '/' && out[len - 1] != '/');
	for (i = 0; i <= len; i++) {
		size_t n;

		if (i < len && out[i] != '/') {
			fuzz_check(!bad_name_char((unsigned char)out[i]));
			continue;
		}
		n = i - start;
		fuzz_check(n > 0 && n <= FSMB_NAME_MAX);
		fuzz_check(!(n == 1 && out[start] == '.'));
		fuzz_check(!(n == 2 && out[start] == '.' &&
			     out[start + 1] == '.'));
		start = i + 1;
	}
	fuzz_check(strcmp(fsmb_path_basename(out), "") || !len);
}

void fuzz_path(struct fsmb_cur *c, unsigned int flags, size_t out_size)
{
	char *out = malloc(out_size ? out_size : 1);
	unsigned int result = 0;

	if (!out)
		abort();
	if (fsmb_cur_path(c, out, out_size, flags, &result) == STATUS_SUCCESS)
		check_path(out, out_size, result);
	free(out);
}

/* ---- CREATE (kernel/create.c) ----------------------------------------- */

static void create_rsp(const struct smb2_create_ctx *ctx)
{
	struct smb2_create_rsp rsp = {
		.mxac = ctx->mxac,
		.qfid = ctx->qfid,
		.action = FILE_OPENED,
		.alloc_size = ctx->alloc_size,
	};
	/* create.c reserves exactly smb2_create_rsp_size(). */
	size_t cap = SMB2_HDR_SIZE + smb2_create_rsp_size(&rsp);
	u8 *buf = malloc(cap);
	struct fsmb_wcur w;

	if (!buf)
		abort();
	fsmb_wcur_init(&w, buf, cap);
	w.pos = SMB2_HDR_SIZE;
	smb2_create_rsp_encode(&w, &rsp);
	fuzz_check(fsmb_wcur_ok(&w) && w.pos == cap);
	free(buf);
}

void fuzz_cmd_create(struct fsmb_cur *in)
{
	struct smb2_create_req req;
	struct smb2_create_ctx ctx;

	if (smb2_create_req_decode(in, &req))
		return;
	fuzz_touch(&req.name);
	fuzz_touch(&req.contexts);
	/* validate_request() looks at flags only: not repeated here. */
	if (smb2_create_ctx_parse(&req.contexts, &ctx) == 0) {
		create_rsp(&ctx);
		if (ctx.timewarp)
			return;
	}
	fuzz_path(&req.name, 0, FSMB_PATH_MAX);
}

/* ---- READ, WRITE, FLUSH, CLOSE, and the 4-byte bodies (io.c, conn.c) -- */

void fuzz_cmd_read(struct fsmb_cur *in)
{
	struct smb2_read_req req;
	struct fsmb_wcur w;
	size_t start, max;
	u8 *buf, *p;

	if (smb2_read_req_decode(in, &req))
		return;
	if (req.length > FSMB_MAX_IO || req.channel != SMB2_CHANNEL_NONE)
		return;
	/* The response as read_file() builds it, with a short read. */
	max = req.length < FUZZ_MAX_OUT ? req.length : FUZZ_MAX_OUT;
	buf = malloc(SMB2_HDR_SIZE + SMB2_READ_RSP_FIXED + max);
	if (!buf)
		abort();
	fsmb_wcur_init(&w, buf, SMB2_HDR_SIZE + SMB2_READ_RSP_FIXED + max);
	w.pos = start = SMB2_HDR_SIZE;
	p = smb2_read_rsp_begin(&w, max);
	fuzz_check(p != NULL);
	memset(p, 0xa5, max / 2);
	smb2_read_rsp_end(&w, start, max / 2, 0);
	fuzz_check(fsmb_wcur_ok(&w) &&
		   w.pos == start + SMB2_READ_RSP_FIXED + max / 2);
	free(buf);
}

void fuzz_cmd_write(struct fsmb_cur *in)
{
	struct smb2_write_req req;
	const u8 *data;

	if (smb2_write_req_decode(in, &req))
		return;
	fuzz_check(fsmb_cur_remaining(&req.data) == req.length);
	if (req.length > FSMB_MAX_IO || req.channel != SMB2_CHANNEL_NONE)
		return;
	/* fsmb_smb2_write() hands these bytes to kernel_write(). */
	data = fsmb_cur_take(&req.data, req.length);
	fuzz_check(data || !req.length);
	if (req.length) {
		fuzz_check(data >= in->base &&
			   data + req.length <= in->base + in->len);
		sink = data[0] ^ data[req.length - 1];
	}
}

void fuzz_cmd_flush(struct fsmb_cur *in)
{
	struct smb2_file_id fid;

	smb2_flush_req_decode(in, &fid);
}

void fuzz_cmd_close(struct fsmb_cur *in)
{
	struct smb2_file_times t = { .eof = 1 };
	struct smb2_close_req req;
	struct fsmb_wcur w;
	u8 *buf;

	if (smb2_close_req_decode(in, &req))
		return;
	buf = malloc(SMB2_HDR_SIZE + SMB2_CLOSE_RSP_SIZE);
	if (!buf)
		abort();
	fsmb_wcur_init(&w, buf, SMB2_HDR_SIZE + SMB2_CLOSE_RSP_SIZE);
	w.pos = SMB2_HDR_SIZE;
	smb2_close_rsp_encode(&w, req.flags & SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB ?
			      &t : NULL);
	fuzz_check(fsmb_wcur_ok(&w) && w.pos == w.cap);
	free(buf);
}

void fuzz_cmd_simple(struct fsmb_cur *in)
{
	smb2_simple_req_decode(in);
}

/* ---- QUERY_DIRECTORY (kernel/dir.c) ------------------------------------ */

/* The entries' NextEntryOffset chain stays inside what was used. */
static void check_dir_chain(const struct smb2_dir_buf *buf)
{
	size_t at = 0, used = buf->w.pos;
	unsigned int n = 1;

	if (buf->w.err || !buf->count)
		return;
	for (;;) {
		u32 next;

		fuzz_check(at + 4 <= used);
		next = get_unaligned_le32(buf->w.base + at);
		if (!next)
			break;
		fuzz_check(next % 8 == 0 && next < used - at);
		at += next;
		n++;
	}
	fuzz_check(n == buf->count);
}

static void dir_encode(u8 info_class, size_t out_len, const char *const *names,
		       const size_t *lens, unsigned int nnames)
{
	size_t cap = SMB2_HDR_SIZE + SMB2_QUERY_DIR_RSP_FIXED + out_len;
	struct smb2_dir_buf buf;
	struct smb2_dirent d = { .file_id = 42, .eof = 1, .attributes = 0x20 };
	struct fsmb_wcur out;
	unsigned int i;
	size_t start;
	u8 *mem = malloc(cap);

	if (!mem)
		abort();
	fsmb_wcur_init(&out, mem, cap);
	out.pos = start = SMB2_HDR_SIZE;
	smb2_query_dir_rsp_begin(&out, &buf, info_class, out_len);
	fuzz_check(fsmb_wcur_ok(&out) && !buf.w.err);
	for (i = 0; i < nnames; i++) {
		int ret;

		d.name = names[i];
		d.name_len = lens[i];
		ret = smb2_dirent_add(&buf, &d);
		fuzz_check(buf.w.pos <= buf.w.cap);
		if (ret == -ENOSPC) {
			if (!buf.count)
				smb2_dirent_add_partial(&buf, &d);
			break;
		}
	}
	fuzz_check(!buf.w.err);
	check_dir_chain(&buf);
	if (buf.count) {
		smb2_query_dir_rsp_end(&out, start, &buf);
		fuzz_check(fsmb_wcur_ok(&out) && out.pos <= cap);
	}
	free(mem);
}

/* Names a directory may hold, matched and listed with each pattern. */
static const char *const dir_names[] = {
	".", "..", "readme.txt", "README.TXT", "a", "dir.with.dots",
	"caf\xc3\xa9.txt", "CAF\xc3\x89.TXT", "\xf0\x9f\x98\x80", "noext",
	"x.", ".hidden",
};

void fuzz_pattern_use(const char *pattern, const uint8_t *raw, size_t raw_len)
{
	size_t plen = strlen(pattern), i;
	bool literal = fsmb_pattern_is_literal(pattern);

	fuzz_check(plen <= FSMB_NAME_MAX);
	for (i = 0; i < ARRAY_SIZE(dir_names); i++)
		fsmb_name_match(pattern, dir_names[i], strlen(dir_names[i]));
	/* Names from disk are matched before their encoding is checked. */
	if (raw_len > FSMB_NAME_MAX)
		raw_len = FSMB_NAME_MAX;
	fsmb_name_match(pattern, (const char *)raw, raw_len);
	fuzz_check(fsmb_name_match("*", (const char *)raw, raw_len));
	/* A name without wildcards matches itself. */
	if (literal)
		fuzz_check(fsmb_name_match(pattern, pattern, plen));
}

void fuzz_cmd_query_dir(struct fsmb_cur *in)
{
	struct smb2_query_dir_req req;
	const char *names[ARRAY_SIZE(dir_names) + 1];
	size_t lens[ARRAY_SIZE(dir_names) + 1], fixed, out_len, i;
	unsigned int n = 0;
	struct fsmb_cur raw;
	char *pattern;
	u32 status;

	if (smb2_query_dir_req_decode(in, &req))
		return;
	fuzz_touch(&req.pattern);
	raw = req.pattern;
	fixed = smb2_dirent_fixed_size(req.info_class);
	out_len = req.out_len < FSMB_MAX_TRANS ? req.out_len : FSMB_MAX_TRANS;
	if (out_len > FUZZ_MAX_OUT)
		out_len = FUZZ_MAX_OUT;

	pattern = malloc(FSMB_NAME_MAX + 1);
	if (!pattern)
		abort();
	status = fsmb_pattern_decode(&req.pattern, pattern, FSMB_NAME_MAX + 1);
	if (status) {
		free(pattern);
		return;
	}
	fuzz_pattern_use(pattern, raw.base, fsmb_cur_remaining(&raw));
	if (fixed && out_len >= fixed) {
		/* The pattern itself is a valid UTF-8 name to list. */
		for (i = 0; i < ARRAY_SIZE(dir_names); i++) {
			if (!fsmb_name_match(pattern, dir_names[i],
					     strlen(dir_names[i])))
				continue;
			names[n] = dir_names[i];
			lens[n++] = strlen(dir_names[i]);
		}
		names[n] = pattern;
		lens[n++] = strlen(pattern);
		dir_encode(req.info_class, out_len, names, lens, n);
	}
	free(pattern);
}

/* ---- QUERY_INFO, SET_INFO (kernel/info.c) ------------------------------ */

/* A QUERY_INFO response frame whose buffer holds @out_len bytes. */
struct query_frame {
	struct fsmb_wcur out, buf;
	u8 *mem;
	size_t start;
};

static void query_frame_begin(struct query_frame *f, size_t out_len)
{
	size_t cap = SMB2_HDR_SIZE + SMB2_QUERY_INFO_RSP_FIXED + out_len;

	f->mem = malloc(cap);
	if (!f->mem)
		abort();
	fsmb_wcur_init(&f->out, f->mem, cap);
	f->out.pos = f->start = SMB2_HDR_SIZE;
	smb2_query_info_rsp_begin(&f->out, &f->buf, out_len);
}

/* The file and fs encoders: within @out_len, a frame when they succeed. */
static void query_frame_end(struct query_frame *f, size_t out_len, u32 status)
{
	fuzz_check(f->buf.pos <= out_len);
	if (status == STATUS_SUCCESS || status == STATUS_BUFFER_OVERFLOW) {
		fuzz_check(!f->buf.err);
		smb2_query_info_rsp_end(&f->out, f->start, &f->buf);
		fuzz_check(fsmb_wcur_ok(&f->out));
	}
	free(f->mem);
}

static void query_file_enc(u8 info_class, size_t out_len)
{
	static const char name[] = "\\dir\\caf\xc3\xa9 \xf0\x9f\x98\x80.txt";
	struct smb2_file_info fi = {
		.t = { .creation_time = 1, .eof = 1000, .attributes = 0x20 },
		.nlink = 1, .file_id = 7, .has_stream = true,
		.name = name, .name_len = sizeof(name) - 1,
		.stream_size = 1000,
	};
	struct query_frame f;

	query_frame_begin(&f, out_len);
	query_frame_end(&f, out_len,
			smb2_file_info_encode(&f.buf, info_class, &fi, out_len));
}

static void query_fs_enc(u8 info_class, size_t out_len)
{
	static const char fs_name[] = "NTFS";
	struct smb2_fs_info fs = {
		.total_units = 100, .sectors_per_unit = 8,
		.bytes_per_sector = 512, .label = "share",
		.label_len = 5, .fs_name = fs_name,
		.fs_name_len = sizeof(fs_name) - 1, .max_name_len = 255,
	};
	struct query_frame f;

	query_frame_begin(&f, out_len);
	query_frame_end(&f, out_len,
			smb2_fs_info_encode(&f.buf, info_class, &fs, out_len));
}

static void query_sd_enc(u32 addl_info, size_t out_len)
{
	struct smb2_unix_owner o = { .uid = 1000, .gid = 100, .mode = 0754 };
	struct query_frame f;
	size_t need;

	addl_info &= OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION |
		     DACL_SECURITY_INFORMATION;
	need = smb2_sd_size(addl_info);
	if (out_len < need)
		return;		/* BUFFER_TOO_SMALL with the size */
	/* query_respond() is called with @need as the buffer size. */
	query_frame_begin(&f, need);
	smb2_sd_encode(&f.buf, addl_info, &o);
	fuzz_check(fsmb_wcur_ok(&f.buf) && f.buf.pos == need);
	smb2_query_info_rsp_end(&f.out, f.start, &f.buf);
	fuzz_check(fsmb_wcur_ok(&f.out) &&
		   f.out.pos == SMB2_HDR_SIZE + SMB2_QUERY_INFO_RSP_FIXED + need);
	free(f.mem);
}

void fuzz_cmd_query_info(struct fsmb_cur *in)
{
	struct smb2_query_info_req req;
	size_t out_len;

	if (smb2_query_info_req_decode(in, &req))
		return;
	fuzz_touch(&req.input);
	out_len = req.out_len < FSMB_MAX_TRANS ? req.out_len : FSMB_MAX_TRANS;
	if (out_len > FUZZ_MAX_OUT)
		out_len = FUZZ_MAX_OUT;
	switch (req.info_type) {
	case SMB2_0_INFO_FILE:
		query_file_enc(req.info_class, out_len);
		break;
	case SMB2_0_INFO_FILESYSTEM:
		query_fs_enc(req.info_class, out_len);
		break;
	case SMB2_0_INFO_SECURITY:
		query_sd_enc(req.addl_info, out_len);
		break;
	}
}

/* set_file(): the class's decoder on a copy of the buffer cursor. */
static void set_file(const struct smb2_set_info_req *req)
{
	struct fsmb_cur c = req->buf;
	struct smb2_basic_info bi;
	struct smb2_rename_info ri;
	u64 v;

	switch (req->info_class) {
	case FILE_BASIC_INFORMATION:
		smb2_basic_info_decode(&c, &bi);
		break;
	case FILE_RENAME_INFORMATION:
		if (smb2_rename_info_decode(&c, &ri) == STATUS_SUCCESS) {
			fuzz_check(fsmb_cur_remaining(&ri.name) > 0);
			fuzz_touch(&ri.name);
			fuzz_path(&ri.name, FSMB_PATH_LEADING_SEP_OK,
				  FSMB_PATH_MAX);
		}
		break;
	case FILE_DISPOSITION_INFORMATION:
		if (smb2_info_u64_decode(&c, 1, &v) == STATUS_SUCCESS)
			fuzz_check(v <= 0xff);
		break;
	case FILE_DISPOSITION_INFORMATION_EX:
	case FILE_MODE_INFORMATION:
		if (smb2_info_u64_decode(&c, 4, &v) == STATUS_SUCCESS)
			fuzz_check(v <= 0xffffffffu);
		break;
	case FILE_POSITION_INFORMATION:
	case FILE_ALLOCATION_INFORMATION:
	case FILE_END_OF_FILE_INFORMATION:
		smb2_info_u64_decode(&c, 8, &v);
		break;
	}
}

void fuzz_cmd_set_info(struct fsmb_cur *in)
{
	struct smb2_set_info_req req;

	if (smb2_set_info_req_decode(in, &req))
		return;
	fuzz_touch(&req.buf);
	if (req.info_type == SMB2_0_INFO_FILE)
		set_file(&req);
}

/* ---- IOCTL (kernel/ioctl.c) -------------------------------------------- */

/* common_dialect() with the whole range enabled. */
static u16 common_dialect(struct fsmb_cur *list)
{
	u16 best = 0, d;

	while (fsmb_cur_remaining(list) >= 2) {
		d = fsmb_cur_le16(list);
		if (d >= SMB2_DIALECT_202 && d <= SMB2_DIALECT_311 &&
		    d != SMB2_DIALECT_WILDCARD && d > best)
			best = d;
	}
	return best;
}

static void ioctl_rsp(const struct smb2_ioctl_req *req, size_t max,
		      bool validate)
{
	size_t cap = SMB2_HDR_SIZE + SMB2_IOCTL_RSP_FIXED + max;
	struct fsmb_wcur w, vw;
	size_t start;
	u8 *mem = malloc(cap), *p;

	if (!mem)
		abort();
	fsmb_wcur_init(&w, mem, cap);
	w.pos = start = SMB2_HDR_SIZE;
	p = smb2_ioctl_rsp_begin(&w, req, max);
	fuzz_check(p != NULL);
	if (validate) {
		struct smb2_validate_neg_rsp vrsp = { .dialect = 0x0302 };

		fsmb_wcur_init(&vw, p, max);
		smb2_validate_neg_encode(&vw, &vrsp);
		fuzz_check(fsmb_wcur_ok(&vw) && vw.pos == max);
	}
	smb2_ioctl_rsp_end(&w, start, max);
	fuzz_check(fsmb_wcur_ok(&w) && w.pos == cap);
	free(mem);
}

void fuzz_cmd_ioctl(struct fsmb_cur *in)
{
	struct smb2_validate_neg_req vreq;
	struct smb2_ioctl_req req;
	struct fsmb_cur c;
	u64 off, end;

	if (smb2_ioctl_req_decode(in, &req))
		return;
	fuzz_touch(&req.input);
	if (req.flags != SMB2_0_IOCTL_IS_FSCTL)
		return;
	if (req.max_output > FSMB_MAX_TRANS || req.max_input > FSMB_MAX_TRANS)
		return;
	c = req.input;
	switch (req.ctl_code) {
	case FSCTL_VALIDATE_NEGOTIATE_INFO:
		if (req.max_output < SMB2_VALIDATE_NEG_RSP_SIZE ||
		    smb2_validate_neg_decode(&c, &vreq))
			break;
		fuzz_check(vreq.dialect_count > 0);
		fuzz_touch(&vreq.dialects);
		common_dialect(&vreq.dialects);
		ioctl_rsp(&req, SMB2_VALIDATE_NEG_RSP_SIZE, true);
		break;
	case FSCTL_SET_ZERO_DATA:
		if (smb2_zero_data_decode(&c, &off, &end) == 0 && off <= end)
			ioctl_rsp(&req, 0, false);
		break;
	case FSCTL_PIPE_TRANSCEIVE: {
		/* pipe_transceive(): the whole input goes to fsmbd. */
		size_t n = fsmb_cur_remaining(&c);
		const u8 *data = fsmb_cur_take(&c, n);

		fuzz_check(data || !n);
		if (n)
			sink = data[n - 1];
		ioctl_rsp(&req, req.max_output < FUZZ_MAX_OUT ?
			  req.max_output : FUZZ_MAX_OUT, false);
		break;
	}
	}
}

void fuzz_cmd_dispatch(uint16_t cmd, struct fsmb_cur *in)
{
	switch (cmd) {
	case SMB2_NEGOTIATE:
		fuzz_cmd_negotiate(in);
		break;
	case SMB2_SESSION_SETUP:
		fuzz_cmd_session_setup(in);
		break;
	case SMB2_LOGOFF:
	case SMB2_TREE_DISCONNECT:
	case SMB2_ECHO:
		fuzz_cmd_simple(in);
		break;
	case SMB2_TREE_CONNECT:
		fuzz_cmd_tree_connect(in);
		break;
	case SMB2_CREATE:
		fuzz_cmd_create(in);
		break;
	case SMB2_CLOSE:
		fuzz_cmd_close(in);
		break;
	case SMB2_FLUSH:
		fuzz_cmd_flush(in);
		break;
	case SMB2_READ:
		fuzz_cmd_read(in);
		break;
	case SMB2_WRITE:
		fuzz_cmd_write(in);
		break;
	case SMB2_IOCTL:
		fuzz_cmd_ioctl(in);
		break;
	case SMB2_QUERY_DIRECTORY:
		fuzz_cmd_query_dir(in);
		break;
	case SMB2_QUERY_INFO:
		fuzz_cmd_query_info(in);
		break;
	case SMB2_SET_INFO:
		fuzz_cmd_set_info(in);
		break;
	}
}

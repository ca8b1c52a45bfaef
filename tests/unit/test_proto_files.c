// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the file-command codecs in kernel/proto/: every refusal
 * a hostile or sloppy client can trigger, and the exact bytes and sizes
 * the encoders produce.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "proto/utf16.h"
#include "proto/path.h"
#include "proto/smb2_create.h"
#include "proto/smb2_io.h"
#include "proto/smb2_dir.h"
#include "proto/smb2_info.h"
#include "proto/smb2_ioctl.h"

/* ASCII to UTF-16LE; returns the byte count. */
static size_t ascii16(u8 *dst, const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		dst[2 * i] = (u8)s[i];
		dst[2 * i + 1] = 0;
	}
	return 2 * i;
}

/* ---- UTF-16 <-> UTF-8 ---- */

static void test_utf16_valid(void **state)
{
	/* "aé中😀" */
	static const u8 in[] = { 'a', 0, 0xE9, 0, 0x2D, 0x4E,
				 0x3D, 0xD8, 0x00, 0xDE };
	char out[32];
	u8 back[32];
	struct fsmb_wcur w;
	int n;

	n = fsmb_utf16_to_utf8(in, sizeof(in), out, sizeof(out));
	assert_int_equal(n, 1 + 2 + 3 + 4);
	assert_string_equal(out, "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80");
	assert_int_equal(fsmb_utf8_utf16_len(out, n), sizeof(in));
	fsmb_wcur_init(&w, back, sizeof(back));
	assert_int_equal(fsmb_utf8_to_utf16(out, n, &w), sizeof(in));
	assert_memory_equal(back, in, sizeof(in));
	/* Empty is valid. */
	assert_int_equal(fsmb_utf16_to_utf8(in, 0, out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

static void test_utf16_invalid(void **state)
{
	static const u8 lone_high_end[] = { 'a', 0, 0x3D, 0xD8 };
	static const u8 high_then_char[] = { 0x3D, 0xD8, 'a', 0 };
	static const u8 lone_low[] = { 0x00, 0xDE, 'a', 0 };
	static const u8 nul[] = { 'a', 0, 0, 0 };
	static const u8 odd[] = { 'a', 0, 'b' };
	static const u8 abc[] = { 'a', 0, 'b', 0, 'c', 0 };
	char out[16];

	assert_int_equal(fsmb_utf16_to_utf8(lone_high_end, 4, out, 16), -EINVAL);
	assert_int_equal(fsmb_utf16_to_utf8(high_then_char, 4, out, 16),
			 -EINVAL);
	assert_int_equal(fsmb_utf16_to_utf8(lone_low, 4, out, 16), -EINVAL);
	assert_int_equal(fsmb_utf16_to_utf8(nul, 4, out, 16), -EINVAL);
	assert_int_equal(fsmb_utf16_to_utf8(odd, 3, out, 16), -EINVAL);
	/* Room for "ab" and the NUL only. */
	assert_int_equal(fsmb_utf16_to_utf8(abc, 6, out, 3), -ENAMETOOLONG);
	assert_int_equal(fsmb_utf16_to_utf8(abc, 6, out, 4), 3);
}

static void test_utf8_invalid(void **state)
{
	u8 buf[16];
	struct fsmb_wcur w;

	assert_int_equal(fsmb_utf8_utf16_len("\xC0\x80", 2), -EINVAL);
	assert_int_equal(fsmb_utf8_utf16_len("\xED\xA0\x80", 3), -EINVAL);
	assert_int_equal(fsmb_utf8_utf16_len("\xF4\x90\x80\x80", 4), -EINVAL);
	assert_int_equal(fsmb_utf8_utf16_len("\xE4\xB8", 2), -EINVAL);
	assert_int_equal(fsmb_utf8_utf16_len("a\0b", 3), -EINVAL);
	assert_int_equal(fsmb_utf8_utf16_len("\xFF", 1), -EINVAL);
	assert_int_equal(fsmb_utf8_utf16_len("\x80", 1), -EINVAL);
	/* Nothing written for invalid input, -ENOSPC when full. */
	fsmb_wcur_init(&w, buf, sizeof(buf));
	assert_int_equal(fsmb_utf8_to_utf16("\xC0\x80", 2, &w), -EINVAL);
	assert_int_equal(w.pos, 0);
	fsmb_wcur_init(&w, buf, 3);
	assert_int_equal(fsmb_utf8_to_utf16("ab", 2, &w), -ENOSPC);
	assert_false(fsmb_wcur_ok(&w));
}

static void test_utf8_trunc(void **state)
{
	u8 buf[16];
	struct fsmb_wcur w;

	fsmb_wcur_init(&w, buf, sizeof(buf));
	assert_int_equal(fsmb_utf8_to_utf16_trunc("abcdef", 6, &w, 5), 4);
	assert_int_equal(w.pos, 4);
	/* A surrogate pair is never split. */
	fsmb_wcur_init(&w, buf, sizeof(buf));
	assert_int_equal(fsmb_utf8_to_utf16_trunc("a\xF0\x9F\x98\x80", 5, &w,
						  5), 2);
	assert_true(fsmb_wcur_ok(&w));
}

/* ---- share paths ---- */

static u32 path_of(const char *name, char *out, unsigned int flags,
		   unsigned int *res)
{
	u8 in[2 * 5000];

	return fsmb_path_decode(in, ascii16(in, name), out, FSMB_PATH_MAX,
				flags, res);
}

static void test_path_ok(void **state)
{
	char out[FSMB_PATH_MAX];
	unsigned int res;

	assert_int_equal(path_of("", out, 0, &res), STATUS_SUCCESS);
	assert_string_equal(out, "");
	assert_int_equal(path_of("a\\b\\c.txt", out, 0, &res), 0);
	assert_string_equal(out, "a/b/c.txt");
	assert_int_equal(res, 0);
	assert_int_equal(path_of("dir\\", out, 0, &res), 0);
	assert_string_equal(out, "dir");
	assert_int_equal(res, FSMB_PATH_TRAILING_SEP);
	assert_int_equal(path_of("f::$DATA", out, 0, &res), 0);
	assert_string_equal(out, "f");
	assert_int_equal(path_of("d\\f::$data", out, 0, &res), 0);
	assert_string_equal(out, "d/f");
	/* Names Windows forbids only on FAT, and dot names, are fine. */
	assert_int_equal(path_of("...", out, 0, &res), 0);
	assert_int_equal(path_of(".hidden", out, 0, &res), 0);
	assert_int_equal(path_of("CON", out, 0, &res), 0);
	assert_int_equal(path_of("a b, c; d=e+f[g]", out, 0, &res), 0);
	/* Rename targets may start with a separator. */
	assert_int_equal(path_of("\\x\\y", out, FSMB_PATH_LEADING_SEP_OK,
				 &res), 0);
	assert_string_equal(out, "x/y");
}

static void test_path_refused(void **state)
{
	static const char *const bad_chars[] = {
		"a*", "a?", "a<", "a>", "a\"b", "a|b", "a:b", "a/b", "a\x01",
		"x\\y\x1f",
	};
	char out[FSMB_PATH_MAX];
	unsigned int res;
	size_t i;

	assert_int_equal(path_of("\\a", out, 0, &res),
			 STATUS_INVALID_PARAMETER);
	assert_int_equal(path_of("\\", out, 0, &res), STATUS_INVALID_PARAMETER);
	assert_int_equal(path_of("a\\\\b", out, 0, &res),
			 STATUS_OBJECT_NAME_INVALID);
	assert_int_equal(path_of("a\\\\", out, 0, &res),
			 STATUS_OBJECT_NAME_INVALID);
	assert_int_equal(path_of(".", out, 0, &res),
			 STATUS_OBJECT_NAME_INVALID);
	assert_int_equal(path_of("a\\.\\b", out, 0, &res),
			 STATUS_OBJECT_NAME_INVALID);
	assert_int_equal(path_of("..", out, 0, &res),
			 STATUS_OBJECT_PATH_SYNTAX_BAD);
	assert_int_equal(path_of("a\\..\\..\\etc", out, 0, &res),
			 STATUS_OBJECT_PATH_SYNTAX_BAD);
	assert_int_equal(path_of("a\\..", out, 0, &res),
			 STATUS_OBJECT_PATH_SYNTAX_BAD);
	assert_int_equal(path_of("::$DATA", out, 0, &res),
			 STATUS_OBJECT_NAME_INVALID);
	assert_int_equal(path_of("f:stream:$DATA", out, 0, &res),
			 STATUS_OBJECT_NAME_INVALID);
	for (i = 0; i < ARRAY_SIZE(bad_chars); i++)
		assert_int_equal(path_of(bad_chars[i], out, 0, &res),
				 STATUS_OBJECT_NAME_INVALID);
}

static void test_path_limits(void **state)
{
	char name[5000], out[FSMB_PATH_MAX];
	u8 surrogate[] = { 'a', 0, 0x3D, 0xD8 };
	unsigned int res;
	size_t i;

	memset(name, 'n', 255);
	name[255] = '\0';
	assert_int_equal(path_of(name, out, 0, &res), STATUS_SUCCESS);
	memset(name, 'n', 256);
	name[256] = '\0';
	assert_int_equal(path_of(name, out, 0, &res),
			 STATUS_OBJECT_NAME_INVALID);
	/* 4096 bytes do not fit with the NUL; 4095 do. */
	for (i = 0; i < 4095; i++)
		name[i] = i % 100 == 99 ? '\\' : 'p';
	name[4095] = '\0';
	assert_int_equal(path_of(name, out, 0, &res), STATUS_SUCCESS);
	name[4095] = 'p';
	name[4096] = '\0';
	assert_int_equal(path_of(name, out, 0, &res), STATUS_NAME_TOO_LONG);
	assert_int_equal(fsmb_path_decode(surrogate, 4, out, FSMB_PATH_MAX, 0,
					  &res), STATUS_OBJECT_NAME_INVALID);
	assert_string_equal(fsmb_path_basename("a/b/c"), "c");
	assert_string_equal(fsmb_path_basename("c"), "c");
}

static void test_pattern_decode(void **state)
{
	u8 in[64];
	char out[FSMB_NAME_MAX + 1];
	struct fsmb_cur c;

	fsmb_cur_init(&c, in, 0);
	assert_int_equal(fsmb_pattern_decode(&c, out, sizeof(out)), 0);
	assert_string_equal(out, "*");
	fsmb_cur_init(&c, in, ascii16(in, "*.t?t"));
	assert_int_equal(fsmb_pattern_decode(&c, out, sizeof(out)), 0);
	assert_string_equal(out, "*.t?t");
	assert_false(fsmb_pattern_is_literal(out));
	fsmb_cur_init(&c, in, ascii16(in, "a\\b"));
	assert_int_equal(fsmb_pattern_decode(&c, out, sizeof(out)),
			 STATUS_OBJECT_NAME_INVALID);
	fsmb_cur_init(&c, in, ascii16(in, "file.txt"));
	assert_int_equal(fsmb_pattern_decode(&c, out, sizeof(out)), 0);
	assert_true(fsmb_pattern_is_literal(out));
}

/* ---- wildcards ---- */

static bool match(const char *pattern, const char *name)
{
	return fsmb_name_match(pattern, name, strlen(name));
}

static void test_wildcards(void **state)
{
	char longname[256], pattern[256];

	assert_true(match("*", "anything.at.all"));
	assert_true(match("*", "."));
	assert_true(match("*.txt", "a.txt"));
	assert_true(match("*.txt", "A.TXT"));
	assert_false(match("*.txt", "a.txt.bak"));
	assert_true(match("a?c", "abc"));
	assert_false(match("a?c", "ac"));
	assert_false(match("a?c", "abbc"));
	assert_true(match("*a*b*c*", "xxaxxbxxcxx"));
	assert_true(match("file.txt", "FILE.txt"));
	assert_false(match("file.txt", "file.tx"));
	/* Case folding beyond ASCII. */
	assert_true(match("\xC3\x89t\xC3\xA9", "\xC3\xA9T\xC3\x89"));
	assert_true(match("\xD0\x96", "\xD0\xB6"));
	assert_true(match("?", "\xE4\xB8\xAD"));
	/* DOS_STAR stops at the final dot. */
	assert_true(match("<.txt", "a.b.txt"));
	assert_true(match("<", "nodot"));
	assert_false(match("<", "a.b"));
	assert_true(match("<.b", "a.b"));
	assert_true(match("<.<", "a.b.c"));
	assert_true(match("<<.txt", "a.b.txt"));
	assert_false(match("<.c", "a.b.txt"));
	/* DOS_QM: one character, or none at a dot or the end. */
	assert_true(match("a>", "a"));
	assert_true(match("a>", "ab"));
	assert_false(match("a>", "abc"));
	assert_true(match("a>>.txt", "a.txt"));
	assert_true(match("a>>.txt", "abc.txt"));
	/* DOS_DOT: a dot, or nothing at the end. */
	assert_true(match("a\"", "a."));
	assert_true(match("a\"", "a"));
	assert_false(match("a\"", "ab"));
	/* Many stars against a long name end quickly, and correctly. */
	memset(longname, 'a', 255);
	longname[255] = '\0';
	assert_false(match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", longname));
	assert_true(match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a", longname));
	/* The same for DOS_STAR, whose range ends at the final dot. */
	memset(pattern, '<', 254);
	strcpy(pattern + 254, "b");
	assert_false(match(pattern, longname));
	pattern[254] = '<';
	assert_true(match(pattern, longname));
	longname[100] = '.';
	strcpy(pattern + 253, ".<");
	assert_true(match(pattern, longname));
}

/* ---- CREATE ---- */

#define HDR 64
#define CREATE_NAME_OFF (HDR + 56)

/* A CREATE message: header, body, name, then @ctx at an 8-aligned offset. */
static size_t build_create(u8 *msg, const char *name, const u8 *ctx,
			   size_t ctx_len)
{
	struct fsmb_wcur w;
	size_t name_len, ctx_off;

	memset(msg, 0, 1024);
	name_len = ascii16(msg + CREATE_NAME_OFF, name);
	ctx_off = ctx_len ? ALIGN(CREATE_NAME_OFF + name_len, 8) : 0;
	fsmb_wcur_init(&w, msg + HDR, 56);
	fsmb_wcur_le16(&w, 57);
	fsmb_wcur_u8(&w, 0);
	fsmb_wcur_u8(&w, 0);			/* oplock */
	fsmb_wcur_le32(&w, 2);			/* impersonation */
	fsmb_wcur_zero(&w, 16);
	fsmb_wcur_le32(&w, 0x0012019F);		/* desired access */
	fsmb_wcur_le32(&w, 0x80);
	fsmb_wcur_le32(&w, 7);
	fsmb_wcur_le32(&w, FILE_OPEN_IF);
	fsmb_wcur_le32(&w, FILE_NON_DIRECTORY_FILE);
	fsmb_wcur_le16(&w, CREATE_NAME_OFF);
	fsmb_wcur_le16(&w, name_len);
	fsmb_wcur_le32(&w, ctx_off);
	fsmb_wcur_le32(&w, ctx_len);
	assert_true(fsmb_wcur_ok(&w));
	if (ctx_len)
		memcpy(msg + ctx_off, ctx, ctx_len);
	return ctx_len ? ctx_off + ctx_len : CREATE_NAME_OFF + name_len;
}

static void test_create_decode(void **state)
{
	u8 msg[1024];
	struct smb2_create_req req;
	struct fsmb_cur c;
	char path[FSMB_PATH_MAX];
	unsigned int res;
	size_t len;

	len = build_create(msg, "dir\\file.txt", NULL, 0);
	fsmb_cur_init(&c, msg, len);
	c.pos = HDR;
	assert_int_equal(smb2_create_req_decode(&c, &req), 0);
	assert_int_equal(req.desired_access, 0x0012019F);
	assert_int_equal(req.disposition, FILE_OPEN_IF);
	assert_int_equal(req.options, FILE_NON_DIRECTORY_FILE);
	assert_int_equal(req.impersonation, 2);
	assert_int_equal(fsmb_cur_path(&req.name, path, sizeof(path), 0, &res),
			 0);
	assert_string_equal(path, "dir/file.txt");

	/* The name runs past the message. */
	fsmb_cur_init(&c, msg, len - 2);
	c.pos = HDR;
	assert_int_equal(smb2_create_req_decode(&c, &req), -EINVAL);

	/* A wrong StructureSize. */
	len = build_create(msg, "x", NULL, 0);
	msg[HDR] = 56;
	fsmb_cur_init(&c, msg, len);
	c.pos = HDR;
	assert_int_equal(smb2_create_req_decode(&c, &req), -EINVAL);

	/* A body cut short. */
	fsmb_cur_init(&c, msg, HDR + 40);
	c.pos = HDR;
	assert_int_equal(smb2_create_req_decode(&c, &req), -EINVAL);
}

/* One create context: @name (tag or longer), @data_len bytes of data. */
static size_t put_ctx(u8 *p, u32 next, const char *name, const u8 *data,
		      u32 data_len)
{
	size_t name_len = strlen(name);
	size_t data_off = data_len ? ALIGN(16 + name_len, 8) : 0;
	struct fsmb_wcur w;

	fsmb_wcur_init(&w, p, 256);
	fsmb_wcur_le32(&w, next);
	fsmb_wcur_le16(&w, 16);
	fsmb_wcur_le16(&w, name_len);
	fsmb_wcur_le16(&w, 0);
	fsmb_wcur_le16(&w, data_off);
	fsmb_wcur_le32(&w, data_len);
	memcpy(p + 16, name, name_len);
	if (data_len)
		memcpy(p + data_off, data, data_len);
	return data_len ? data_off + data_len : 16 + name_len;
}

static int parse_chain(const u8 *chain, size_t len, struct smb2_create_ctx *ctx)
{
	struct fsmb_cur c;

	fsmb_cur_init(&c, chain, len);
	return smb2_create_ctx_parse(&c, ctx);
}

static void test_create_contexts(void **state)
{
	static const u8 alloc[8] = { 0, 0, 0x10, 0, 0, 0, 0, 0 };
	u8 chain[512], msg[1024];
	struct smb2_create_ctx ctx;
	struct smb2_create_req req;
	struct fsmb_cur c;
	size_t a, b, len;

	/* MxAc, FooO (unknown), QFid, AlSi. */
	memset(chain, 0, sizeof(chain));
	a = put_ctx(chain, 24, "MxAc", NULL, 0);
	assert_int_equal(a, 20);
	put_ctx(chain + 24, 24, "FooO", NULL, 0);
	put_ctx(chain + 48, 24, "QFid", NULL, 0);
	b = put_ctx(chain + 72, 0, "AlSi", alloc, 8);
	len = 72 + b;
	assert_int_equal(parse_chain(chain, len, &ctx), 0);
	assert_true(ctx.mxac);
	assert_true(ctx.qfid);
	assert_true(ctx.alloc_size_set);
	assert_int_equal(ctx.alloc_size, 0x100000);
	assert_false(ctx.timewarp);

	/* Through a whole CREATE message. */
	len = build_create(msg, "f", chain, len);
	fsmb_cur_init(&c, msg, len);
	c.pos = HDR;
	assert_int_equal(smb2_create_req_decode(&c, &req), 0);
	assert_int_equal(smb2_create_ctx_parse(&req.contexts, &ctx), 0);
	assert_true(ctx.qfid);

	/* Empty chain. */
	assert_int_equal(parse_chain(chain, 0, &ctx), 0);
	assert_false(ctx.mxac);

	/* Tags shorter than four bytes. */
	len = put_ctx(chain, 0, "x", NULL, 0);
	assert_int_equal(parse_chain(chain, len, &ctx), -EINVAL);
	len = put_ctx(chain, 0, "xxx", NULL, 0);
	assert_int_equal(parse_chain(chain, len, &ctx), -EINVAL);
	len = put_ctx(chain, 0, "xxxxxxxxxxxxxxxxxxxx", NULL, 0);
	assert_int_equal(parse_chain(chain, len, &ctx), 0);

	/* Next not 8-aligned, inside the header, or past the chain. */
	put_ctx(chain, 20, "MxAc", NULL, 0);
	put_ctx(chain + 20, 0, "QFid", NULL, 0);
	assert_int_equal(parse_chain(chain, 40, &ctx), -EINVAL);
	put_ctx(chain, 8, "MxAc", NULL, 0);
	assert_int_equal(parse_chain(chain, 48, &ctx), -EINVAL);
	put_ctx(chain, 64, "MxAc", NULL, 0);
	assert_int_equal(parse_chain(chain, 48, &ctx), -EINVAL);

	/* Data overlapping the header, misaligned, or past the entry. */
	len = put_ctx(chain, 0, "AlSi", alloc, 8);
	chain[10] = 8;				/* DataOffset into the header */
	assert_int_equal(parse_chain(chain, len, &ctx), -EINVAL);
	len = put_ctx(chain, 0, "AlSi", alloc, 8);
	chain[10] = 20;				/* not 8-aligned */
	assert_int_equal(parse_chain(chain, len + 4, &ctx), -EINVAL);
	len = put_ctx(chain, 0, "AlSi", alloc, 8);
	assert_int_equal(parse_chain(chain, len - 1, &ctx), -EINVAL);
	/* Name past the entry. */
	len = put_ctx(chain, 0, "MxAc", NULL, 0);
	assert_int_equal(parse_chain(chain, len - 1, &ctx), -EINVAL);
	/* A header cut short. */
	assert_int_equal(parse_chain(chain, 10, &ctx), -EINVAL);

	/* Known contexts with bad bodies; TWrp is seen. */
	len = put_ctx(chain, 0, "AlSi", alloc, 4);
	assert_int_equal(parse_chain(chain, len, &ctx), -EINVAL);
	len = put_ctx(chain, 0, "MxAc", alloc, 3);
	assert_int_equal(parse_chain(chain, len, &ctx), -EINVAL);
	len = put_ctx(chain, 0, "TWrp", alloc, 8);
	assert_int_equal(parse_chain(chain, len, &ctx), 0);
	assert_true(ctx.timewarp);
}

static void test_create_response(void **state)
{
	struct smb2_create_rsp rsp = {
		.action = FILE_CREATED, .eof = 5, .attributes = 0x20,
		.persistent_id = 7, .volatile_id = 7,
	};
	u8 out[512];
	struct fsmb_wcur w;

	assert_int_equal(smb2_create_rsp_size(&rsp), 88);
	fsmb_wcur_init(&w, out, sizeof(out));
	w.pos = HDR;
	smb2_create_rsp_encode(&w, &rsp);
	assert_int_equal(w.pos, HDR + 88);
	assert_int_equal(get_unaligned_le16(out + HDR), 89);
	assert_int_equal(get_unaligned_le32(out + HDR + 4), FILE_CREATED);
	assert_int_equal(get_unaligned_le64(out + HDR + 48), 5);
	assert_int_equal(get_unaligned_le64(out + HDR + 64), 7);
	assert_int_equal(get_unaligned_le32(out + HDR + 80), 0);

	rsp.mxac = true;
	rsp.maximal_access = 0x1F01FF;
	rsp.qfid = true;
	rsp.disk_file_id = 0x1234;
	assert_int_equal(smb2_create_rsp_size(&rsp), 88 + 32 + 56);
	fsmb_wcur_init(&w, out, sizeof(out));
	w.pos = HDR;
	smb2_create_rsp_encode(&w, &rsp);
	assert_true(fsmb_wcur_ok(&w));
	assert_int_equal(w.pos, HDR + 88 + 32 + 56);
	assert_int_equal(get_unaligned_le32(out + HDR + 80), 152);
	assert_int_equal(get_unaligned_le32(out + HDR + 84), 88);
	/* MxAc: Next 32, name at 16, data at 24: status, access. */
	assert_int_equal(get_unaligned_le32(out + 152), 32);
	assert_memory_equal(out + 152 + 16, "MxAc", 4);
	assert_int_equal(get_unaligned_le16(out + 152 + 10), 24);
	assert_int_equal(get_unaligned_le32(out + 152 + 28), 0x1F01FF);
	/* QFid: last, 32 bytes of data. */
	assert_int_equal(get_unaligned_le32(out + 184), 0);
	assert_memory_equal(out + 184 + 16, "QFid", 4);
	assert_int_equal(get_unaligned_le32(out + 184 + 12), 32);
	assert_int_equal(get_unaligned_le64(out + 184 + 24), 0x1234);

	/* No room: the cursor fails, nothing past the end. */
	fsmb_wcur_init(&w, out, HDR + 100);
	w.pos = HDR;
	smb2_create_rsp_encode(&w, &rsp);
	assert_false(fsmb_wcur_ok(&w));
}

/* ---- READ / WRITE / FLUSH / CLOSE ---- */

static size_t build_write(u8 *msg, u16 data_off, u32 len, u64 off)
{
	struct fsmb_wcur w;

	memset(msg, 0, 512);
	fsmb_wcur_init(&w, msg + HDR, 48);
	fsmb_wcur_le16(&w, 49);
	fsmb_wcur_le16(&w, data_off);
	fsmb_wcur_le32(&w, len);
	fsmb_wcur_le64(&w, off);
	fsmb_wcur_le64(&w, 1);
	fsmb_wcur_le64(&w, 2);
	fsmb_wcur_zero(&w, 12);
	fsmb_wcur_le32(&w, SMB2_WRITEFLAG_WRITE_THROUGH);
	assert_true(fsmb_wcur_ok(&w));
	memcpy(msg + HDR + 48, "hello", 5);
	return HDR + 48 + 5;
}

static void test_write_decode(void **state)
{
	struct smb2_write_req req;
	struct fsmb_cur c;
	u8 msg[512];
	size_t len;

	len = build_write(msg, HDR + 48, 5, 100);
	fsmb_cur_init(&c, msg, len);
	c.pos = HDR;
	assert_int_equal(smb2_write_req_decode(&c, &req), 0);
	assert_int_equal(req.offset, 100);
	assert_int_equal(req.fid.persistent, 1);
	assert_int_equal(req.fid.volatile_id, 2);
	assert_int_equal(req.flags, SMB2_WRITEFLAG_WRITE_THROUGH);
	assert_int_equal(fsmb_cur_remaining(&req.data), 5);
	assert_memory_equal(fsmb_cur_take(&req.data, 5), "hello", 5);

	/* Data past the end, or an offset beyond the message. */
	len = build_write(msg, HDR + 48, 6, 0);
	fsmb_cur_init(&c, msg, len);
	c.pos = HDR;
	assert_int_equal(smb2_write_req_decode(&c, &req), -EINVAL);
	len = build_write(msg, 0xFFFF, 1, 0);
	fsmb_cur_init(&c, msg, len);
	c.pos = HDR;
	assert_int_equal(smb2_write_req_decode(&c, &req), -EINVAL);
	/* A huge length cannot wrap the check. */
	len = build_write(msg, HDR + 48, 0xFFFFFFFF, 0);
	fsmb_cur_init(&c, msg, len);
	c.pos = HDR;
	assert_int_equal(smb2_write_req_decode(&c, &req), -EINVAL);
	/* Zero bytes: any offset is accepted. */
	len = build_write(msg, 0xFFFF, 0, 0);
	fsmb_cur_init(&c, msg, len);
	c.pos = HDR;
	assert_int_equal(smb2_write_req_decode(&c, &req), 0);
	assert_int_equal(fsmb_cur_remaining(&req.data), 0);
}

static void test_read_codec(void **state)
{
	struct smb2_read_req req;
	struct fsmb_cur c;
	struct fsmb_wcur w;
	u8 msg[256], out[256], *data;

	memset(msg, 0, sizeof(msg));
	fsmb_wcur_init(&w, msg + HDR, 49);
	fsmb_wcur_le16(&w, 49);
	fsmb_wcur_u8(&w, 0);
	fsmb_wcur_u8(&w, 0);
	fsmb_wcur_le32(&w, 4096);
	fsmb_wcur_le64(&w, 8192);
	fsmb_wcur_le64(&w, 3);
	fsmb_wcur_le64(&w, 4);
	fsmb_wcur_le32(&w, 1);			/* MinimumCount */
	fsmb_wcur_zero(&w, 13);
	fsmb_cur_init(&c, msg, HDR + 49);
	c.pos = HDR;
	assert_int_equal(smb2_read_req_decode(&c, &req), 0);
	assert_int_equal(req.length, 4096);
	assert_int_equal(req.offset, 8192);
	assert_int_equal(req.min_count, 1);
	assert_int_equal(req.fid.volatile_id, 4);
	fsmb_cur_init(&c, msg, HDR + 30);
	c.pos = HDR;
	assert_int_equal(smb2_read_req_decode(&c, &req), -EINVAL);

	/* Response: DataOffset 80, unused room dropped. */
	fsmb_wcur_init(&w, out, sizeof(out));
	w.pos = HDR;
	data = smb2_read_rsp_begin(&w, 100);
	assert_non_null(data);
	memcpy(data, "abc", 3);
	smb2_read_rsp_end(&w, HDR, 3, 0);
	assert_true(fsmb_wcur_ok(&w));
	assert_int_equal(w.pos, HDR + 16 + 3);
	assert_int_equal(out[HDR + 2], 80);
	assert_int_equal(get_unaligned_le32(out + HDR + 4), 3);
	assert_memory_equal(out + 80, "abc", 3);
	/* More than the room. */
	fsmb_wcur_init(&w, out, HDR + 20);
	w.pos = HDR;
	assert_null(smb2_read_rsp_begin(&w, 100));
	/* Discarding rewinds to the start. */
	fsmb_wcur_init(&w, out, sizeof(out));
	w.pos = HDR;
	smb2_read_rsp_begin(&w, 10);
	smb2_rsp_discard(&w, HDR);
	assert_int_equal(w.pos, HDR);
}

static void test_close_flush(void **state)
{
	struct smb2_file_times t = { .eof = 9, .attributes = 0x20 };
	struct smb2_close_req req;
	struct smb2_file_id fid;
	struct fsmb_wcur w;
	struct fsmb_cur c;
	u8 msg[128], out[256];

	memset(msg, 0, sizeof(msg));
	fsmb_wcur_init(&w, msg + HDR, 24);
	fsmb_wcur_le16(&w, 24);
	fsmb_wcur_le16(&w, SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB);
	fsmb_wcur_le32(&w, 0);
	fsmb_wcur_le64(&w, 5);
	fsmb_wcur_le64(&w, 6);
	fsmb_cur_init(&c, msg, HDR + 24);
	c.pos = HDR;
	assert_int_equal(smb2_close_req_decode(&c, &req), 0);
	assert_int_equal(req.flags, SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB);
	assert_int_equal(req.fid.persistent, 5);
	/* FLUSH has the same layout after StructureSize. */
	assert_int_equal(smb2_flush_req_decode(&c, &fid), -EINVAL);
	fsmb_cur_init(&c, msg, HDR + 24);
	c.pos = HDR;
	assert_int_equal(smb2_flush_req_decode(&c, &fid), 0);
	assert_int_equal(fid.volatile_id, 6);

	fsmb_wcur_init(&w, out, sizeof(out));
	smb2_close_rsp_encode(&w, &t);
	assert_int_equal(w.pos, 60);
	assert_int_equal(get_unaligned_le16(out + 2), 1);
	assert_int_equal(get_unaligned_le64(out + 48), 9);
	assert_int_equal(get_unaligned_le32(out + 56), 0x20);
	fsmb_wcur_init(&w, out, sizeof(out));
	smb2_close_rsp_encode(&w, NULL);
	assert_int_equal(w.pos, 60);
	assert_int_equal(get_unaligned_le16(out + 2), 0);
	fsmb_wcur_init(&w, out, sizeof(out));
	smb2_flush_rsp_encode(&w);
	smb2_write_rsp_encode(&w, 77);
	assert_int_equal(w.pos, 4 + 16);
	assert_int_equal(get_unaligned_le32(out + 8), 77);
}

/* ---- QUERY_DIRECTORY ---- */

static struct smb2_dirent dirent(const char *name)
{
	struct smb2_dirent d = {
		.file_id = 0x100000042ULL, .eof = 10, .alloc_size = 4096,
		.attributes = 0x20, .write_time = 1, .name = name,
		.name_len = strlen(name),
	};

	return d;
}

static void test_dir_entries(void **state)
{
	u8 out[1024];
	struct fsmb_wcur w;
	struct smb2_dir_buf buf;
	struct smb2_dirent d;

	assert_int_equal(smb2_dirent_fixed_size(FILE_DIRECTORY_INFORMATION), 64);
	assert_int_equal(smb2_dirent_fixed_size(FILE_FULL_DIRECTORY_INFORMATION),
			 68);
	assert_int_equal(smb2_dirent_fixed_size(FILE_ID_FULL_DIRECTORY_INFORMATION),
			 80);
	assert_int_equal(smb2_dirent_fixed_size(FILE_BOTH_DIRECTORY_INFORMATION),
			 94);
	assert_int_equal(smb2_dirent_fixed_size(FILE_ID_BOTH_DIRECTORY_INFORMATION),
			 104);
	assert_int_equal(smb2_dirent_fixed_size(FILE_NAMES_INFORMATION), 12);
	assert_int_equal(smb2_dirent_fixed_size(FILE_BASIC_INFORMATION), 0);

	/* Three FileIdBoth entries: 104+2, then 8-aligned starts. */
	memset(out, 0xAA, sizeof(out));
	fsmb_wcur_init(&w, out, sizeof(out));
	w.pos = HDR;
	smb2_query_dir_rsp_begin(&w, &buf, FILE_ID_BOTH_DIRECTORY_INFORMATION,
				 500);
	d = dirent(".");
	assert_int_equal(smb2_dirent_add(&buf, &d), 0);
	d = dirent("abc");
	assert_int_equal(smb2_dirent_add(&buf, &d), 0);
	d = dirent("x");
	assert_int_equal(smb2_dirent_add(&buf, &d), 0);
	assert_int_equal(buf.count, 3);
	smb2_query_dir_rsp_end(&w, HDR, &buf);
	assert_true(fsmb_wcur_ok(&w));
	assert_int_equal(get_unaligned_le16(out + HDR), 9);
	assert_int_equal(get_unaligned_le16(out + HDR + 2), 72);
	assert_int_equal(get_unaligned_le32(out + HDR + 4), 112 + 112 + 106);
	assert_int_equal(w.pos, 72 + 330);
	/* Entry 1 at 0: Next 112; entry 2 at 112: Next 112; entry 3 last. */
	assert_int_equal(get_unaligned_le32(out + 72), 112);
	assert_int_equal(get_unaligned_le32(out + 72 + 112), 112);
	assert_int_equal(get_unaligned_le32(out + 72 + 224), 0);
	/* Padding is zero; FileNameLength; FileId; the name. */
	assert_int_equal(out[72 + 106], 0);
	assert_int_equal(out[72 + 111], 0);
	assert_int_equal(get_unaligned_le32(out + 72 + 112 + 60), 6);
	assert_int_equal(get_unaligned_le64(out + 72 + 112 + 96),
			 0x100000042ULL);
	assert_int_equal(get_unaligned_le32(out + 72 + 112 + 4), 0x42);
	assert_memory_equal(out + 72 + 112 + 104, "a\0b\0c\0", 6);
}

static void test_dir_buffer_limits(void **state)
{
	u8 out[512];
	struct fsmb_wcur w;
	struct smb2_dir_buf buf;
	struct smb2_dirent d = dirent("ab");

	/* Exactly full: 68 + 4, then 72 + 68 + 4 = 144. */
	fsmb_wcur_init(&w, out, sizeof(out));
	smb2_query_dir_rsp_begin(&w, &buf, FILE_FULL_DIRECTORY_INFORMATION,
				 144);
	assert_int_equal(smb2_dirent_add(&buf, &d), 0);
	assert_int_equal(smb2_dirent_add(&buf, &d), 0);
	assert_int_equal(buf.w.pos, 144);
	assert_int_equal(smb2_dirent_add(&buf, &d), -ENOSPC);
	assert_int_equal(buf.count, 2);
	smb2_query_dir_rsp_end(&w, 0, &buf);
	assert_int_equal(w.pos, 8 + 144);

	/* One byte short for the second: nothing written, not failed. */
	fsmb_wcur_init(&w, out, sizeof(out));
	smb2_query_dir_rsp_begin(&w, &buf, FILE_FULL_DIRECTORY_INFORMATION,
				 143);
	assert_int_equal(smb2_dirent_add(&buf, &d), 0);
	assert_int_equal(smb2_dirent_add(&buf, &d), -ENOSPC);
	assert_int_equal(buf.w.pos, 72);
	assert_true(fsmb_wcur_ok(&buf.w));
	assert_int_equal(get_unaligned_le32(out + 8), 0);

	/* The first entry too large: a partial one, full FileNameLength. */
	d = dirent("abcdef");
	fsmb_wcur_init(&w, out, sizeof(out));
	smb2_query_dir_rsp_begin(&w, &buf, FILE_NAMES_INFORMATION, 17);
	assert_int_equal(smb2_dirent_add(&buf, &d), -ENOSPC);
	smb2_dirent_add_partial(&buf, &d);
	assert_int_equal(buf.count, 1);
	assert_int_equal(buf.w.pos, 16);
	assert_int_equal(get_unaligned_le32(out + 8 + 8), 12);
	assert_memory_equal(out + 8 + 12, "a\0b\0", 4);

	/* Names that are not UTF-8 are refused. */
	d = dirent("\xFF");
	fsmb_wcur_init(&w, out, sizeof(out));
	smb2_query_dir_rsp_begin(&w, &buf, FILE_NAMES_INFORMATION, 100);
	assert_int_equal(smb2_dirent_add(&buf, &d), -EINVAL);

	/* The response cursor without room for the buffer. */
	fsmb_wcur_init(&w, out, 50);
	smb2_query_dir_rsp_begin(&w, &buf, FILE_NAMES_INFORMATION, 100);
	assert_false(fsmb_wcur_ok(&w));
	d = dirent("a");
	assert_int_equal(smb2_dirent_add(&buf, &d), -ENOSPC);
}

static void test_query_dir_decode(void **state)
{
	struct smb2_query_dir_req req;
	struct fsmb_wcur w;
	struct fsmb_cur c;
	u8 msg[256];
	size_t n;

	memset(msg, 0, sizeof(msg));
	n = ascii16(msg + HDR + 32, "*.txt");
	fsmb_wcur_init(&w, msg + HDR, 32);
	fsmb_wcur_le16(&w, 33);
	fsmb_wcur_u8(&w, FILE_ID_BOTH_DIRECTORY_INFORMATION);
	fsmb_wcur_u8(&w, SMB2_RESTART_SCANS);
	fsmb_wcur_le32(&w, 0);
	fsmb_wcur_le64(&w, 1);
	fsmb_wcur_le64(&w, 1);
	fsmb_wcur_le16(&w, HDR + 32);
	fsmb_wcur_le16(&w, n);
	fsmb_wcur_le32(&w, 65536);
	fsmb_cur_init(&c, msg, HDR + 32 + n);
	c.pos = HDR;
	assert_int_equal(smb2_query_dir_req_decode(&c, &req), 0);
	assert_int_equal(req.out_len, 65536);
	assert_int_equal(req.flags, SMB2_RESTART_SCANS);
	assert_int_equal(fsmb_cur_remaining(&req.pattern), 10);
	fsmb_cur_init(&c, msg, HDR + 32 + n - 1);
	c.pos = HDR;
	assert_int_equal(smb2_query_dir_req_decode(&c, &req), -EINVAL);
}

/* ---- QUERY_INFO / SET_INFO ---- */

static u32 encode_file(u8 info_class, const struct smb2_file_info *fi,
		       size_t max, size_t *len)
{
	static u8 out[1024];
	struct fsmb_wcur w;
	u32 st;

	memset(out, 0xAA, sizeof(out));
	fsmb_wcur_init(&w, out, sizeof(out));
	st = smb2_file_info_encode(&w, info_class, fi, max);
	assert_true(fsmb_wcur_ok(&w));
	*len = w.pos;
	return st;
}

static void test_file_info_sizes(void **state)
{
	static const struct {
		u8 info_class;
		size_t size;
	} fixed[] = {
		{ FILE_BASIC_INFORMATION, 40 },
		{ FILE_STANDARD_INFORMATION, 24 },
		{ FILE_INTERNAL_INFORMATION, 8 },
		{ FILE_EA_INFORMATION, 4 },
		{ FILE_ACCESS_INFORMATION, 4 },
		{ FILE_POSITION_INFORMATION, 8 },
		{ FILE_MODE_INFORMATION, 4 },
		{ FILE_ALIGNMENT_INFORMATION, 4 },
		{ FILE_NETWORK_OPEN_INFORMATION, 56 },
		{ FILE_ATTRIBUTE_TAG_INFORMATION, 8 },
		{ FILE_COMPRESSION_INFORMATION, 16 },
		{ FILE_ID_INFORMATION, 24 },
	};
	struct smb2_file_info fi = {
		.t = { .eof = 3, .alloc_size = 4096, .attributes = 0x20 },
		.nlink = 1, .file_id = 99, .name = "\\d\\f", .name_len = 4,
		.has_stream = true, .stream_size = 3,
	};
	size_t i, len;

	for (i = 0; i < ARRAY_SIZE(fixed); i++) {
		assert_int_equal(encode_file(fixed[i].info_class, &fi,
					     fixed[i].size, &len), 0);
		assert_int_equal(len, fixed[i].size);
		assert_int_equal(encode_file(fixed[i].info_class, &fi,
					     fixed[i].size - 1, &len),
				 STATUS_INFO_LENGTH_MISMATCH);
		assert_int_equal(len, 0);
	}
	/* All: 100 + name; cut names overflow. */
	assert_int_equal(encode_file(FILE_ALL_INFORMATION, &fi, 4096, &len), 0);
	assert_int_equal(len, 108);
	assert_int_equal(encode_file(FILE_ALL_INFORMATION, &fi, 104, &len),
			 STATUS_BUFFER_OVERFLOW);
	assert_int_equal(len, 104);
	assert_int_equal(encode_file(FILE_ALL_INFORMATION, &fi, 99, &len),
			 STATUS_INFO_LENGTH_MISMATCH);
	/* Name: at least 8 bytes. */
	assert_int_equal(encode_file(FILE_NAME_INFORMATION, &fi, 100, &len), 0);
	assert_int_equal(len, 12);
	assert_int_equal(encode_file(FILE_NAME_INFORMATION, &fi, 8, &len),
			 STATUS_BUFFER_OVERFLOW);
	assert_int_equal(len, 8);
	assert_int_equal(encode_file(FILE_NAME_INFORMATION, &fi, 7, &len),
			 STATUS_INFO_LENGTH_MISMATCH);
	/* Stream: "::$DATA" for files, nothing for directories. */
	assert_int_equal(encode_file(FILE_STREAM_INFORMATION, &fi, 100, &len),
			 0);
	assert_int_equal(len, 24 + 14);
	assert_int_equal(encode_file(FILE_STREAM_INFORMATION, &fi, 30, &len),
			 STATUS_BUFFER_OVERFLOW);
	fi.has_stream = false;
	assert_int_equal(encode_file(FILE_STREAM_INFORMATION, &fi, 100, &len),
			 0);
	assert_int_equal(len, 0);
	/* Set-only and unknown classes. */
	assert_int_equal(encode_file(FILE_RENAME_INFORMATION, &fi, 100, &len),
			 STATUS_INVALID_INFO_CLASS);
	assert_int_equal(encode_file(200, &fi, 100, &len),
			 STATUS_INVALID_INFO_CLASS);
}

static void test_fs_info(void **state)
{
	struct smb2_fs_info fs = {
		.total_units = 100, .avail_units = 50, .free_units = 60,
		.sectors_per_unit = 8, .bytes_per_sector = 512, .serial = 7,
		.label = "share", .label_len = 5, .fs_name = "NTFS",
		.fs_name_len = 4, .max_name_len = 255,
	};
	struct fsmb_wcur w;
	u8 out[256];

	fsmb_wcur_init(&w, out, sizeof(out));
	assert_int_equal(smb2_fs_info_encode(&w, FS_VOLUME_INFORMATION, &fs,
					     100), 0);
	assert_int_equal(w.pos, 18 + 10);
	assert_int_equal(get_unaligned_le32(out + 12), 10);
	fsmb_wcur_init(&w, out, sizeof(out));
	assert_int_equal(smb2_fs_info_encode(&w, FS_VOLUME_INFORMATION, &fs,
					     22), STATUS_BUFFER_OVERFLOW);
	assert_int_equal(w.pos, 22);
	fsmb_wcur_init(&w, out, sizeof(out));
	assert_int_equal(smb2_fs_info_encode(&w, FS_VOLUME_INFORMATION, &fs,
					     17), STATUS_INFO_LENGTH_MISMATCH);
	fsmb_wcur_init(&w, out, sizeof(out));
	assert_int_equal(smb2_fs_info_encode(&w, FS_ATTRIBUTE_INFORMATION, &fs,
					     100), 0);
	assert_int_equal(w.pos, 12 + 8);
	assert_int_equal(get_unaligned_le32(out + 4), 255);
	assert_memory_equal(out + 12, "N\0T\0F\0S\0", 8);
	fsmb_wcur_init(&w, out, sizeof(out));
	assert_int_equal(smb2_fs_info_encode(&w, FS_SIZE_INFORMATION, &fs, 24),
			 0);
	assert_int_equal(w.pos, 24);
	fsmb_wcur_init(&w, out, sizeof(out));
	assert_int_equal(smb2_fs_info_encode(&w, FS_FULL_SIZE_INFORMATION, &fs,
					     32), 0);
	assert_int_equal(get_unaligned_le64(out + 16), 60);
	fsmb_wcur_init(&w, out, sizeof(out));
	assert_int_equal(smb2_fs_info_encode(&w, FS_DEVICE_INFORMATION, &fs, 8),
			 0);
	assert_int_equal(get_unaligned_le32(out), FILE_DEVICE_DISK);
	fsmb_wcur_init(&w, out, sizeof(out));
	assert_int_equal(smb2_fs_info_encode(&w, FS_SECTOR_SIZE_INFORMATION,
					     &fs, 28), 0);
	assert_int_equal(w.pos, 28);
	fsmb_wcur_init(&w, out, sizeof(out));
	assert_int_equal(smb2_fs_info_encode(&w, FS_LABEL_INFORMATION, &fs, 64),
			 STATUS_INVALID_INFO_CLASS);
}

static void test_security_descriptor(void **state)
{
	struct smb2_unix_owner o = { .uid = 1000, .gid = 100, .mode = 0750 };
	u32 all = OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION |
		  DACL_SECURITY_INFORMATION;
	struct fsmb_wcur w;
	u8 out[256];

	assert_int_equal(smb2_sd_size(0), 20);
	assert_int_equal(smb2_sd_size(all), 20 + 16 + 16 + 8 + 24 + 24 + 20);
	fsmb_wcur_init(&w, out, sizeof(out));
	smb2_sd_encode(&w, all, &o);
	assert_true(fsmb_wcur_ok(&w));
	assert_int_equal(w.pos, smb2_sd_size(all));
	assert_int_equal(get_unaligned_le16(out + 2), 0x8004);
	assert_int_equal(get_unaligned_le32(out + 4), 20);	/* owner */
	assert_int_equal(get_unaligned_le32(out + 8), 36);	/* group */
	assert_int_equal(get_unaligned_le32(out + 12), 0);	/* SACL */
	assert_int_equal(get_unaligned_le32(out + 16), 52);	/* DACL */
	/* S-1-22-1-1000 */
	assert_int_equal(out[20], 1);
	assert_int_equal(out[21], 2);
	assert_int_equal(out[27], 22);
	assert_int_equal(get_unaligned_le32(out + 28), 1);
	assert_int_equal(get_unaligned_le32(out + 32), 1000);
	/* ACL header: size, three ACEs; owner ACE has full rw + WRITE_DAC. */
	assert_int_equal(get_unaligned_le16(out + 54), 76);
	assert_int_equal(get_unaligned_le16(out + 56), 3);
	assert_true(get_unaligned_le32(out + 64) & WRITE_DAC);
	assert_true(get_unaligned_le32(out + 64) & FILE_WRITE_DATA);
	/* Group r-x: no write; others nothing but the basics. */
	assert_false(get_unaligned_le32(out + 88) & FILE_WRITE_DATA);
	assert_true(get_unaligned_le32(out + 88) & FILE_EXECUTE);
	assert_false(get_unaligned_le32(out + 112) & FILE_READ_DATA);
	/* Owner only. */
	fsmb_wcur_init(&w, out, sizeof(out));
	smb2_sd_encode(&w, OWNER_SECURITY_INFORMATION, &o);
	assert_int_equal(w.pos, 36);
	assert_int_equal(get_unaligned_le16(out + 2), 0x8000);
	assert_int_equal(get_unaligned_le32(out + 16), 0);
}

static void test_set_info_decode(void **state)
{
	u8 buf[128];
	struct smb2_basic_info bi;
	struct smb2_rename_info ri;
	struct fsmb_cur c;
	u64 v;

	memset(buf, 0, sizeof(buf));
	put_unaligned_le64(5, buf + 8);
	put_unaligned_le32(0x21, buf + 32);
	fsmb_cur_init(&c, buf, 40);
	assert_int_equal(smb2_basic_info_decode(&c, &bi), 0);
	assert_int_equal(bi.access_time, 5);
	assert_int_equal(bi.attributes, 0x21);
	fsmb_cur_init(&c, buf, 36);
	assert_int_equal(smb2_basic_info_decode(&c, &bi), 0);
	fsmb_cur_init(&c, buf, 35);
	assert_int_equal(smb2_basic_info_decode(&c, &bi),
			 STATUS_INFO_LENGTH_MISMATCH);

	memset(buf, 0, sizeof(buf));
	buf[0] = 1;
	put_unaligned_le32(6, buf + 16);
	ascii16(buf + 20, "a\\b");
	fsmb_cur_init(&c, buf, 26);
	assert_int_equal(smb2_rename_info_decode(&c, &ri), 0);
	assert_true(ri.replace);
	assert_int_equal(ri.root_dir, 0);
	assert_int_equal(fsmb_cur_remaining(&ri.name), 6);
	fsmb_cur_init(&c, buf, 25);
	assert_int_equal(smb2_rename_info_decode(&c, &ri),
			 STATUS_INVALID_PARAMETER);
	fsmb_cur_init(&c, buf, 19);
	assert_int_equal(smb2_rename_info_decode(&c, &ri),
			 STATUS_INFO_LENGTH_MISMATCH);
	put_unaligned_le32(0, buf + 16);
	fsmb_cur_init(&c, buf, 26);
	assert_int_equal(smb2_rename_info_decode(&c, &ri),
			 STATUS_INVALID_PARAMETER);

	fsmb_cur_init(&c, buf, 1);
	assert_int_equal(smb2_info_u64_decode(&c, 1, &v), 0);
	assert_int_equal(v, 1);
	fsmb_cur_init(&c, buf, 7);
	assert_int_equal(smb2_info_u64_decode(&c, 8, &v),
			 STATUS_INFO_LENGTH_MISMATCH);
}

static void test_query_info_codec(void **state)
{
	struct smb2_query_info_req req;
	struct fsmb_wcur w, buf;
	struct fsmb_cur c;
	u8 msg[256], out[256];

	memset(msg, 0, sizeof(msg));
	fsmb_wcur_init(&w, msg + HDR, 40);
	fsmb_wcur_le16(&w, 41);
	fsmb_wcur_u8(&w, SMB2_0_INFO_SECURITY);
	fsmb_wcur_u8(&w, 0);
	fsmb_wcur_le32(&w, 4096);
	fsmb_wcur_le16(&w, 0);
	fsmb_wcur_le16(&w, 0);
	fsmb_wcur_le32(&w, 0);
	fsmb_wcur_le32(&w, DACL_SECURITY_INFORMATION);
	fsmb_wcur_le32(&w, 0);
	fsmb_wcur_le64(&w, 8);
	fsmb_wcur_le64(&w, 9);
	fsmb_cur_init(&c, msg, HDR + 40);
	c.pos = HDR;
	assert_int_equal(smb2_query_info_req_decode(&c, &req), 0);
	assert_int_equal(req.info_type, SMB2_0_INFO_SECURITY);
	assert_int_equal(req.addl_info, DACL_SECURITY_INFORMATION);
	assert_int_equal(req.fid.volatile_id, 9);
	/* An input buffer outside the message. */
	put_unaligned_le16(200, msg + HDR + 8);
	put_unaligned_le32(100, msg + HDR + 12);
	fsmb_cur_init(&c, msg, HDR + 40);
	c.pos = HDR;
	assert_int_equal(smb2_query_info_req_decode(&c, &req), -EINVAL);

	fsmb_wcur_init(&w, out, sizeof(out));
	w.pos = HDR;
	smb2_query_info_rsp_begin(&w, &buf, 40);
	fsmb_wcur_le32(&buf, 0x12345678);
	smb2_query_info_rsp_end(&w, HDR, &buf);
	assert_int_equal(w.pos, HDR + 8 + 4);
	assert_int_equal(get_unaligned_le16(out + HDR + 2), 72);
	assert_int_equal(get_unaligned_le32(out + HDR + 4), 4);
	fsmb_wcur_init(&w, out, sizeof(out));
	smb2_error_rsp_u32(&w, 128);
	assert_int_equal(w.pos, 12);
	assert_int_equal(get_unaligned_le32(out + 4), 4);
	assert_int_equal(get_unaligned_le32(out + 8), 128);
}

/* ---- IOCTL ---- */

static void test_ioctl_codec(void **state)
{
	struct smb2_validate_neg_req vreq;
	struct smb2_validate_neg_rsp vrsp = { .capabilities = 0x44,
					      .security_mode = 1,
					      .dialect = 0x302 };
	struct smb2_ioctl_req req;
	struct fsmb_wcur w;
	struct fsmb_cur c, in;
	u8 msg[256], out[256], *p;

	memset(msg, 0, sizeof(msg));
	fsmb_wcur_init(&w, msg + HDR, 56 + 30);
	fsmb_wcur_le16(&w, 57);
	fsmb_wcur_le16(&w, 0);
	fsmb_wcur_le32(&w, FSCTL_VALIDATE_NEGOTIATE_INFO);
	fsmb_wcur_le64(&w, ~0ULL);
	fsmb_wcur_le64(&w, ~0ULL);
	fsmb_wcur_le32(&w, HDR + 56);		/* InputOffset */
	fsmb_wcur_le32(&w, 30);			/* InputCount */
	fsmb_wcur_le32(&w, 0);
	fsmb_wcur_le32(&w, 0);
	fsmb_wcur_le32(&w, 0);
	fsmb_wcur_le32(&w, 24);			/* MaxOutputResponse */
	fsmb_wcur_le32(&w, SMB2_0_IOCTL_IS_FSCTL);
	fsmb_wcur_le32(&w, 0);
	/* VALIDATE_NEGOTIATE_INFO: caps, guid, mode, 3 dialects */
	fsmb_wcur_le32(&w, 0x7F);
	fsmb_wcur_zero(&w, 16);
	fsmb_wcur_le16(&w, 1);
	fsmb_wcur_le16(&w, 3);
	fsmb_wcur_le16(&w, 0x202);
	fsmb_wcur_le16(&w, 0x300);
	fsmb_wcur_le16(&w, 0x302);
	assert_true(fsmb_wcur_ok(&w));
	fsmb_cur_init(&c, msg, HDR + 56 + 30);
	c.pos = HDR;
	assert_int_equal(smb2_ioctl_req_decode(&c, &req), 0);
	assert_int_equal(req.ctl_code, FSCTL_VALIDATE_NEGOTIATE_INFO);
	assert_int_equal(req.max_output, 24);
	in = req.input;
	assert_int_equal(smb2_validate_neg_decode(&in, &vreq), 0);
	assert_int_equal(vreq.capabilities, 0x7F);
	assert_int_equal(vreq.dialect_count, 3);
	assert_int_equal(fsmb_cur_remaining(&vreq.dialects), 6);
	/* A count larger than the dialects sent, and a zero count. */
	put_unaligned_le16(4, msg + HDR + 56 + 22);
	in = req.input;
	assert_int_equal(smb2_validate_neg_decode(&in, &vreq), -EINVAL);
	put_unaligned_le16(0, msg + HDR + 56 + 22);
	in = req.input;
	assert_int_equal(smb2_validate_neg_decode(&in, &vreq), -EINVAL);
	/* Input outside the message. */
	fsmb_cur_init(&c, msg, HDR + 56 + 29);
	c.pos = HDR;
	assert_int_equal(smb2_ioctl_req_decode(&c, &req), -EINVAL);

	/* Response: output at 112, length patched. */
	fsmb_cur_init(&c, msg, HDR + 56 + 30);
	c.pos = HDR;
	assert_int_equal(smb2_ioctl_req_decode(&c, &req), 0);
	fsmb_wcur_init(&w, out, sizeof(out));
	w.pos = HDR;
	p = smb2_ioctl_rsp_begin(&w, &req, 24);
	assert_non_null(p);
	{
		struct fsmb_wcur vw;

		fsmb_wcur_init(&vw, p, 24);
		smb2_validate_neg_encode(&vw, &vrsp);
		assert_int_equal(vw.pos, 24);
	}
	smb2_ioctl_rsp_end(&w, HDR, 24);
	assert_true(fsmb_wcur_ok(&w));
	assert_int_equal(w.pos, HDR + 48 + 24);
	assert_int_equal(get_unaligned_le16(out + HDR), 49);
	assert_int_equal(get_unaligned_le32(out + HDR + 32), 112);
	assert_int_equal(get_unaligned_le32(out + HDR + 36), 24);
	assert_int_equal(get_unaligned_le16(out + 112 + 22), 0x302);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf16_valid),
		cmocka_unit_test(test_utf16_invalid),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_utf8_trunc),
		cmocka_unit_test(test_path_ok),
		cmocka_unit_test(test_path_refused),
		cmocka_unit_test(test_path_limits),
		cmocka_unit_test(test_pattern_decode),
		cmocka_unit_test(test_wildcards),
		cmocka_unit_test(test_create_decode),
		cmocka_unit_test(test_create_contexts),
		cmocka_unit_test(test_create_response),
		cmocka_unit_test(test_write_decode),
		cmocka_unit_test(test_read_codec),
		cmocka_unit_test(test_close_flush),
		cmocka_unit_test(test_dir_entries),
		cmocka_unit_test(test_dir_buffer_limits),
		cmocka_unit_test(test_query_dir_decode),
		cmocka_unit_test(test_file_info_sizes),
		cmocka_unit_test(test_fs_info),
		cmocka_unit_test(test_security_descriptor),
		cmocka_unit_test(test_set_info_decode),
		cmocka_unit_test(test_query_info_codec),
		cmocka_unit_test(test_ioctl_codec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

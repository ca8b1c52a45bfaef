// SPDX-License-Identifier: GPL-2.0
/*
 * The core codecs (kernel/proto: header, NEGOTIATE and its contexts,
 * SMB1 NEGOTIATE, SESSION_SETUP, TREE_CONNECT, compound chain, credit
 * payload) built for userspace. The requests are built byte by byte from
 * [MS-SMB2] 2.2, the way smbclient and the cifs client send them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "proto/framing.h"
#include "proto/smb2.h"
#include "proto/smb2_misc.h"
#include "proto/smb2_negotiate.h"
#include "proto/smb2_session.h"
#include "proto/smb2_tree.h"

/* ---- helpers ---- */

static void put_hdr(struct fsmb_wcur *w, u16 cmd, u32 flags, u32 next, u64 mid)
{
	struct smb2_hdr h = {
		.credit_charge = 1,
		.command = cmd,
		.credit_request = 31,
		.flags = flags,
		.next_command = next,
		.message_id = mid,
		.process_id = 0xfeff,
		.tree_id = 7,
		.session_id = 0x1122334455667788ULL,
	};

	smb2_hdr_encode(w, &h);
}

static void put_utf16(struct fsmb_wcur *w, const char *s)
{
	while (*s)
		fsmb_wcur_le16(w, (u8)*s++);
}

static void put_ctx_hdr(struct fsmb_wcur *w, u16 type, u16 len)
{
	fsmb_wcur_align(w, 8);
	fsmb_wcur_le16(w, type);
	fsmb_wcur_le16(w, len);
	fsmb_wcur_le32(w, 0);
}

static u16 le16_at(const u8 *p, size_t off)
{
	return get_unaligned_le16(p + off);
}

static u32 le32_at(const u8 *p, size_t off)
{
	return get_unaligned_le32(p + off);
}

/* ---- header ---- */

static void test_hdr_roundtrip(void **state)
{
	u8 buf[SMB2_HDR_SIZE];
	struct fsmb_wcur w;
	struct fsmb_cur c;
	struct smb2_hdr in = {
		.credit_charge = 3,
		.status = STATUS_MORE_PROCESSING_REQUIRED,
		.command = SMB2_SESSION_SETUP,
		.credit_request = 64,
		.flags = SMB2_FLAGS_SERVER_TO_REDIR | SMB2_FLAGS_SIGNED,
		.next_command = 0,
		.message_id = 0x0102030405060708ULL,
		.process_id = 0x11,
		.tree_id = 0x22,
		.session_id = 0xaabbccddeeff0011ULL,
		.signature = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
			       15, 16 },
	}, out;

	fsmb_wcur_init(&w, buf, sizeof(buf));
	smb2_hdr_encode(&w, &in);
	assert_true(fsmb_wcur_ok(&w));
	assert_int_equal(w.pos, SMB2_HDR_SIZE);
	assert_int_equal(le32_at(buf, 0), SMB2_PROTO_ID);
	assert_int_equal(le16_at(buf, 4), 64);
	assert_int_equal(le32_at(buf, 8), STATUS_MORE_PROCESSING_REQUIRED);
	assert_int_equal(le16_at(buf, 12), SMB2_SESSION_SETUP);

	fsmb_cur_init(&c, buf, sizeof(buf));
	assert_int_equal(smb2_hdr_decode(&c, &out), 0);
	assert_int_equal(c.pos, SMB2_HDR_SIZE);
	assert_int_equal(out.credit_charge, in.credit_charge);
	assert_int_equal(out.status, in.status);
	assert_int_equal(out.command, in.command);
	assert_int_equal(out.credit_request, in.credit_request);
	assert_int_equal(out.flags, in.flags);
	assert_int_equal(out.next_command, in.next_command);
	assert_int_equal(out.message_id, in.message_id);
	assert_int_equal(out.async_id, 0);
	assert_int_equal(out.process_id, in.process_id);
	assert_int_equal(out.tree_id, in.tree_id);
	assert_int_equal(out.session_id, in.session_id);
	assert_memory_equal(out.signature, in.signature, SMB2_SIG_SIZE);
}

static void test_hdr_async(void **state)
{
	u8 buf[SMB2_HDR_SIZE];
	struct fsmb_wcur w;
	struct fsmb_cur c;
	struct smb2_hdr in = {
		.command = SMB2_CANCEL,
		.flags = SMB2_FLAGS_ASYNC_COMMAND,
		.message_id = 9,
		.async_id = 0x1234567890ULL,
		.session_id = 5,
	}, out;

	fsmb_wcur_init(&w, buf, sizeof(buf));
	smb2_hdr_encode(&w, &in);
	fsmb_cur_init(&c, buf, sizeof(buf));
	assert_int_equal(smb2_hdr_decode(&c, &out), 0);
	assert_int_equal(out.async_id, 0x1234567890ULL);
	assert_int_equal(out.tree_id, 0);
	assert_int_equal(out.session_id, 5);
}

static void test_hdr_reject(void **state)
{
	u8 buf[SMB2_HDR_SIZE];
	struct smb2_hdr h;
	struct fsmb_wcur w;
	struct fsmb_cur c;

	fsmb_wcur_init(&w, buf, sizeof(buf));
	put_hdr(&w, SMB2_ECHO, 0, 0, 1);

	buf[0] = 0xfd;			/* transform header, not SMB2 */
	fsmb_cur_init(&c, buf, sizeof(buf));
	assert_int_equal(smb2_hdr_decode(&c, &h), -EINVAL);
	buf[0] = 0xfe;

	buf[4] = 65;			/* StructureSize */
	fsmb_cur_init(&c, buf, sizeof(buf));
	assert_int_equal(smb2_hdr_decode(&c, &h), -EINVAL);
	buf[4] = 64;

	fsmb_cur_init(&c, buf, sizeof(buf) - 1);
	assert_int_equal(smb2_hdr_decode(&c, &h), -EINVAL);

	fsmb_cur_init(&c, buf, sizeof(buf));
	assert_int_equal(smb2_hdr_decode(&c, &h), 0);
}

/* ---- NEGOTIATE request ---- */

/* A 3.1.1 NEGOTIATE as Samba 4.17's smbclient sends it. */
static size_t build_negotiate_311(u8 *buf, size_t cap)
{
	static const u16 dialects[] = { 0x0202, 0x0210, 0x0300, 0x0302,
					0x0311 };
	struct fsmb_wcur w;
	size_t ctx_off_at;
	unsigned int i;

	fsmb_wcur_init(&w, buf, cap);
	put_hdr(&w, SMB2_NEGOTIATE, 0, 0, 0);
	fsmb_wcur_le16(&w, 36);			/* StructureSize */
	fsmb_wcur_le16(&w, 5);			/* DialectCount */
	fsmb_wcur_le16(&w, SMB2_NEGOTIATE_SIGNING_ENABLED);
	fsmb_wcur_le16(&w, 0);			/* Reserved */
	fsmb_wcur_le32(&w, 0x7f);		/* Capabilities */
	for (i = 0; i < 16; i++)
		fsmb_wcur_u8(&w, 0xa0 + i);	/* ClientGuid */
	ctx_off_at = w.pos;
	fsmb_wcur_le32(&w, 0);			/* NegotiateContextOffset */
	fsmb_wcur_le16(&w, 4);			/* NegotiateContextCount */
	fsmb_wcur_le16(&w, 0);			/* Reserved2 */
	for (i = 0; i < 5; i++)
		fsmb_wcur_le16(&w, dialects[i]);
	fsmb_wcur_align(&w, 8);
	fsmb_wcur_le32_at(&w, ctx_off_at, w.pos);

	put_ctx_hdr(&w, SMB2_PREAUTH_INTEGRITY_CAPABILITIES, 38);
	fsmb_wcur_le16(&w, 1);			/* HashAlgorithmCount */
	fsmb_wcur_le16(&w, 32);			/* SaltLength */
	fsmb_wcur_le16(&w, SMB2_PREAUTH_INTEGRITY_SHA512);
	for (i = 0; i < 32; i++)
		fsmb_wcur_u8(&w, i);
	put_ctx_hdr(&w, SMB2_ENCRYPTION_CAPABILITIES, 10);
	fsmb_wcur_le16(&w, 4);
	fsmb_wcur_le16(&w, SMB2_ENCRYPTION_AES128_GCM);
	fsmb_wcur_le16(&w, SMB2_ENCRYPTION_AES128_CCM);
	fsmb_wcur_le16(&w, SMB2_ENCRYPTION_AES256_GCM);
	fsmb_wcur_le16(&w, SMB2_ENCRYPTION_AES256_CCM);
	put_ctx_hdr(&w, SMB2_NETNAME_NEGOTIATE_CONTEXT_ID, 18);
	put_utf16(&w, "localhost");
	put_ctx_hdr(&w, SMB2_SIGNING_CAPABILITIES, 8);
	fsmb_wcur_le16(&w, 3);
	fsmb_wcur_le16(&w, SMB2_SIGNING_AES_GMAC);
	fsmb_wcur_le16(&w, SMB2_SIGNING_AES_CMAC);
	fsmb_wcur_le16(&w, SMB2_SIGNING_HMAC_SHA256);
	assert_true(fsmb_wcur_ok(&w));
	return w.pos;
}

static void decode_neg(const u8 *buf, size_t len, struct fsmb_cur *c,
		       struct smb2_negotiate_req *r, int expect)
{
	struct smb2_hdr h;

	fsmb_cur_init(c, buf, len);
	assert_int_equal(smb2_hdr_decode(c, &h), 0);
	assert_int_equal(smb2_negotiate_req_decode(c, r), expect);
}

static void test_negotiate_311(void **state)
{
	u8 buf[512];
	size_t len = build_negotiate_311(buf, sizeof(buf));
	struct smb2_negotiate_req r;
	struct smb2_neg_contexts ctx;
	struct fsmb_cur c, d;

	decode_neg(buf, len, &c, &r, 0);
	assert_int_equal(r.dialect_count, 5);
	assert_int_equal(r.security_mode, SMB2_NEGOTIATE_SIGNING_ENABLED);
	assert_int_equal(r.capabilities, 0x7f);
	assert_int_equal(r.client_guid[0], 0xa0);
	assert_int_equal(r.client_guid[15], 0xaf);
	assert_int_equal(r.context_offset, 112);
	assert_int_equal(r.context_count, 4);
	d = r.dialects;
	assert_int_equal(fsmb_cur_remaining(&d), 10);
	assert_int_equal(fsmb_cur_le16(&d), 0x0202);
	fsmb_cur_skip(&d, 6);
	assert_int_equal(fsmb_cur_le16(&d), 0x0311);

	assert_int_equal(smb2_neg_contexts_decode(&c, &r, &ctx), 0);
	assert_true(ctx.preauth);
	assert_true(ctx.preauth_sha512);
	assert_true(ctx.encryption);
	assert_true(ctx.signing);
	assert_int_equal(ctx.nsigning, 3);
	assert_int_equal(ctx.signing_algos[0], SMB2_SIGNING_AES_GMAC);
	assert_int_equal(ctx.signing_algos[2], SMB2_SIGNING_HMAC_SHA256);
}

static void test_negotiate_bad_body(void **state)
{
	u8 buf[512];
	size_t len = build_negotiate_311(buf, sizeof(buf));
	struct smb2_negotiate_req r;
	struct fsmb_cur c;

	/* StructureSize */
	buf[64] = 37;
	decode_neg(buf, len, &c, &r, -EINVAL);
	buf[64] = 36;
	/* DialectCount 0 */
	buf[66] = 0;
	decode_neg(buf, len, &c, &r, -EINVAL);
	/* More dialects than the message holds */
	buf[66] = 0xff;
	buf[67] = 0x7f;
	decode_neg(buf, len, &c, &r, -EINVAL);
	buf[66] = 5;
	buf[67] = 0;
	/* Cut inside the dialect array */
	decode_neg(buf, 64 + 36 + 9, &c, &r, -EINVAL);
	decode_neg(buf, 64 + 36 + 10, &c, &r, 0);
}

static int contexts_of(u8 *buf, size_t len)
{
	struct smb2_negotiate_req r;
	struct smb2_neg_contexts ctx;
	struct fsmb_cur c;

	decode_neg(buf, len, &c, &r, 0);
	return smb2_neg_contexts_decode(&c, &r, &ctx);
}

static void test_negotiate_bad_contexts(void **state)
{
	u8 buf[512];
	size_t len = build_negotiate_311(buf, sizeof(buf));
	/* Offsets from build_negotiate_311(). */
	const size_t offset = 64 + 28, count = 64 + 32;
	const size_t pre = 112, enc = 160, sign = 216;

	assert_int_equal(contexts_of(buf, len), 0);
	/* The last context runs past the message. */
	assert_int_equal(contexts_of(buf, len - 1), -EINVAL);
	/* A DataLength that points far outside. */
	put_unaligned_le16(0xfff0, buf + pre + 2);
	assert_int_equal(contexts_of(buf, len), -EINVAL);
	put_unaligned_le16(38, buf + pre + 2);
	/* More contexts than there are. */
	put_unaligned_le16(5, buf + count);
	assert_int_equal(contexts_of(buf, len), -EINVAL);
	put_unaligned_le16(4, buf + count);
	/* The context list outside the message. */
	put_unaligned_le32(0x10000, buf + offset);
	assert_int_equal(contexts_of(buf, len), -EINVAL);
	put_unaligned_le32(pre, buf + offset);
	/* HashAlgorithmCount 0, and larger than the data. */
	put_unaligned_le16(0, buf + pre + 8);
	assert_int_equal(contexts_of(buf, len), -EINVAL);
	put_unaligned_le16(30, buf + pre + 8);
	assert_int_equal(contexts_of(buf, len), -EINVAL);
	put_unaligned_le16(1, buf + pre + 8);
	/* SaltLength past the context. */
	put_unaligned_le16(33, buf + pre + 10);
	assert_int_equal(contexts_of(buf, len), -EINVAL);
	put_unaligned_le16(32, buf + pre + 10);
	/* CipherCount 0, and larger than the data. */
	put_unaligned_le16(0, buf + enc + 8);
	assert_int_equal(contexts_of(buf, len), -EINVAL);
	put_unaligned_le16(5, buf + enc + 8);
	assert_int_equal(contexts_of(buf, len), -EINVAL);
	put_unaligned_le16(4, buf + enc + 8);
	/* SigningAlgorithmCount 0, and larger than the data. */
	put_unaligned_le16(0, buf + sign + 8);
	assert_int_equal(contexts_of(buf, len), -EINVAL);
	put_unaligned_le16(4, buf + sign + 8);
	assert_int_equal(contexts_of(buf, len), -EINVAL);
	put_unaligned_le16(3, buf + sign + 8);
	/* Two ENCRYPTION contexts (the second replaces SIGNING). */
	put_unaligned_le16(SMB2_ENCRYPTION_CAPABILITIES, buf + sign);
	assert_int_equal(contexts_of(buf, len), -EINVAL);
	/* An unknown type is skipped. */
	put_unaligned_le16(0x0100, buf + sign);
	assert_int_equal(contexts_of(buf, len), 0);
	put_unaligned_le16(SMB2_SIGNING_CAPABILITIES, buf + sign);
	assert_int_equal(contexts_of(buf, len), 0);
}

static void test_negotiate_no_sha512(void **state)
{
	u8 buf[512];
	size_t len = build_negotiate_311(buf, sizeof(buf));
	struct smb2_negotiate_req r;
	struct smb2_neg_contexts ctx;
	struct fsmb_cur c;

	put_unaligned_le16(0x0002, buf + 112 + 12);	/* not SHA-512 */
	decode_neg(buf, len, &c, &r, 0);
	assert_int_equal(smb2_neg_contexts_decode(&c, &r, &ctx), 0);
	assert_true(ctx.preauth);
	assert_false(ctx.preauth_sha512);
}

/* ---- NEGOTIATE response ---- */

static void test_negotiate_rsp_311(void **state)
{
	static const u8 blob[] = { 0x60, 0x28, 0x06, 0x06, 0x2b };
	u8 salt[SMB2_PREAUTH_SALT_SIZE];
	u8 buf[512];
	struct fsmb_wcur w;
	struct smb2_negotiate_rsp r = {
		.security_mode = SMB2_NEGOTIATE_SIGNING_ENABLED |
				 SMB2_NEGOTIATE_SIGNING_REQUIRED,
		.dialect = SMB2_DIALECT_311,
		.capabilities = SMB2_GLOBAL_CAP_LARGE_MTU,
		.max_transact = 1 << 20,
		.max_read = 8 << 20,
		.max_write = 8 << 20,
		.system_time = 0x01d9000000000001ULL,
		.start_time = 0,
		.sec_blob = blob,
		.sec_len = sizeof(blob),
		.preauth_salt = salt,
		.signing = true,
		.signing_algo = SMB2_SIGNING_AES_GMAC,
	};
	size_t ctx;
	int i;

	for (i = 0; i < 16; i++)
		r.server_guid[i] = 0x10 + i;
	for (i = 0; i < SMB2_PREAUTH_SALT_SIZE; i++)
		salt[i] = 0xc0 + i;
	memset(buf, 0xee, sizeof(buf));
	fsmb_wcur_init(&w, buf, sizeof(buf));
	fsmb_wcur_zero(&w, SMB2_HDR_SIZE);
	smb2_negotiate_rsp_encode(&w, &r);
	assert_true(fsmb_wcur_ok(&w));

	assert_int_equal(le16_at(buf, 64), 65);
	assert_int_equal(le16_at(buf, 66), 3);
	assert_int_equal(le16_at(buf, 68), SMB2_DIALECT_311);
	assert_int_equal(le16_at(buf, 70), 2);	/* NegotiateContextCount */
	assert_int_equal(buf[72], 0x10);
	assert_int_equal(buf[87], 0x1f);
	assert_int_equal(le32_at(buf, 88), SMB2_GLOBAL_CAP_LARGE_MTU);
	assert_int_equal(le32_at(buf, 92), 1 << 20);
	assert_int_equal(le32_at(buf, 96), 8 << 20);
	assert_int_equal(le32_at(buf, 100), 8 << 20);
	assert_int_equal(le32_at(buf, 104), 1);
	assert_int_equal(le32_at(buf, 108), 0x01d90000);
	assert_int_equal(le32_at(buf, 112), 0);
	assert_int_equal(le32_at(buf, 116), 0);
	assert_int_equal(le16_at(buf, 120), 128);	/* SecurityBufferOffset */
	assert_int_equal(le16_at(buf, 122), sizeof(blob));
	assert_memory_equal(buf + 128, blob, sizeof(blob));

	ctx = le32_at(buf, 124);			/* NegotiateContextOffset */
	assert_int_equal(ctx, 136);
	assert_int_equal(buf[133], 0);			/* padding */
	assert_int_equal(le16_at(buf, ctx), SMB2_PREAUTH_INTEGRITY_CAPABILITIES);
	assert_int_equal(le16_at(buf, ctx + 2), 38);
	assert_int_equal(le32_at(buf, ctx + 4), 0);
	assert_int_equal(le16_at(buf, ctx + 8), 1);
	assert_int_equal(le16_at(buf, ctx + 10), 32);
	assert_int_equal(le16_at(buf, ctx + 12), SMB2_PREAUTH_INTEGRITY_SHA512);
	assert_memory_equal(buf + ctx + 14, salt, sizeof(salt));
	ctx += 8 + 38;
	ctx = (ctx + 7) & ~(size_t)7;
	assert_int_equal(ctx, 184);
	assert_int_equal(le16_at(buf, ctx), SMB2_SIGNING_CAPABILITIES);
	assert_int_equal(le16_at(buf, ctx + 2), 4);
	assert_int_equal(le16_at(buf, ctx + 8), 1);
	assert_int_equal(le16_at(buf, ctx + 10), SMB2_SIGNING_AES_GMAC);
	assert_int_equal(w.pos, ctx + 12);
}

static void test_negotiate_rsp_21(void **state)
{
	u8 buf[256];
	struct fsmb_wcur w;
	struct smb2_negotiate_rsp r = {
		.security_mode = SMB2_NEGOTIATE_SIGNING_ENABLED,
		.dialect = SMB2_DIALECT_210,
		.signing = true,	/* ignored below 3.1.1 */
	};

	fsmb_wcur_init(&w, buf, sizeof(buf));
	fsmb_wcur_zero(&w, SMB2_HDR_SIZE);
	smb2_negotiate_rsp_encode(&w, &r);
	assert_true(fsmb_wcur_ok(&w));
	assert_int_equal(le16_at(buf, 68), SMB2_DIALECT_210);
	assert_int_equal(le16_at(buf, 70), 0);
	assert_int_equal(le16_at(buf, 120), 0);
	assert_int_equal(le16_at(buf, 122), 0);
	assert_int_equal(le32_at(buf, 124), 0);
	/* No buffer: the one byte StructureSize 65 counts. */
	assert_int_equal(w.pos, 64 + 65);

	/* Too small a buffer fails the cursor, never overflows. */
	fsmb_wcur_init(&w, buf, 100);
	fsmb_wcur_zero(&w, SMB2_HDR_SIZE);
	smb2_negotiate_rsp_encode(&w, &r);
	assert_false(fsmb_wcur_ok(&w));
}

/* ---- SMB1 NEGOTIATE ---- */

static size_t build_smb1(u8 *buf, size_t cap, const char *const *names)
{
	struct fsmb_wcur w;
	size_t bc;

	fsmb_wcur_init(&w, buf, cap);
	fsmb_wcur_le32(&w, SMB1_PROTO_ID);
	fsmb_wcur_u8(&w, 0x72);
	fsmb_wcur_zero(&w, 27);
	fsmb_wcur_u8(&w, 0);			/* WordCount */
	bc = w.pos;
	fsmb_wcur_le16(&w, 0);
	for (; *names; names++) {
		fsmb_wcur_u8(&w, 0x02);
		fsmb_wcur_bytes(&w, *names, strlen(*names) + 1);
	}
	fsmb_wcur_le16_at(&w, bc, w.pos - bc - 2);
	assert_true(fsmb_wcur_ok(&w));
	return w.pos;
}

static void test_smb1_negotiate(void **state)
{
	static const char *const all[] = { "NT LM 0.12", "SMB 2.002",
					   "SMB 2.???", NULL };
	static const char *const old[] = { "NT LM 0.12", "SMB 2.002", NULL };
	static const char *const none[] = { "NT LM 0.12", NULL };
	unsigned int found;
	struct fsmb_cur c;
	u8 buf[256];
	size_t len;

	len = build_smb1(buf, sizeof(buf), all);
	fsmb_cur_init(&c, buf, len);
	assert_true(smb1_is_negotiate(&c));
	assert_int_equal(smb1_negotiate_decode(&c, &found), 0);
	assert_int_equal(found, SMB1_NEG_SMB2_002 | SMB1_NEG_SMB2_ANY);

	len = build_smb1(buf, sizeof(buf), old);
	fsmb_cur_init(&c, buf, len);
	assert_int_equal(smb1_negotiate_decode(&c, &found), 0);
	assert_int_equal(found, SMB1_NEG_SMB2_002);

	len = build_smb1(buf, sizeof(buf), none);
	fsmb_cur_init(&c, buf, len);
	assert_int_equal(smb1_negotiate_decode(&c, &found), 0);
	assert_int_equal(found, 0);

	/* The last string without its NUL. */
	len = build_smb1(buf, sizeof(buf), all);
	put_unaligned_le16(le16_at(buf, 33) - 1, buf + 33);
	fsmb_cur_init(&c, buf, len - 1);
	assert_int_equal(smb1_negotiate_decode(&c, &found), -EINVAL);
	/* ByteCount past the end. */
	put_unaligned_le16(200, buf + 33);
	fsmb_cur_init(&c, buf, len);
	assert_int_equal(smb1_negotiate_decode(&c, &found), -EINVAL);
	/* A dialect without the 0x02 buffer format. */
	len = build_smb1(buf, sizeof(buf), all);
	buf[35] = 0x03;
	fsmb_cur_init(&c, buf, len);
	assert_int_equal(smb1_negotiate_decode(&c, &found), -EINVAL);
	/* WordCount must be 0. */
	len = build_smb1(buf, sizeof(buf), all);
	buf[32] = 1;
	fsmb_cur_init(&c, buf, len);
	assert_int_equal(smb1_negotiate_decode(&c, &found), -EINVAL);
	/* Not NEGOTIATE, or too short to tell. */
	buf[4] = 0x73;
	fsmb_cur_init(&c, buf, len);
	assert_false(smb1_is_negotiate(&c));
	fsmb_cur_init(&c, buf, 4);
	assert_false(smb1_is_negotiate(&c));
}

/* ---- SESSION_SETUP ---- */

static size_t build_session_setup(u8 *buf, size_t cap, u16 off, u16 len)
{
	struct fsmb_wcur w;
	u16 i;

	fsmb_wcur_init(&w, buf, cap);
	put_hdr(&w, SMB2_SESSION_SETUP, 0, 0, 2);
	fsmb_wcur_le16(&w, 25);
	fsmb_wcur_u8(&w, 0);			/* Flags */
	fsmb_wcur_u8(&w, SMB2_NEGOTIATE_SIGNING_ENABLED);
	fsmb_wcur_le32(&w, 1);			/* Capabilities: DFS */
	fsmb_wcur_le32(&w, 0);			/* Channel */
	fsmb_wcur_le16(&w, off);
	fsmb_wcur_le16(&w, len);
	fsmb_wcur_le64(&w, 0x42);		/* PreviousSessionId */
	for (i = 0; i < 40; i++)
		fsmb_wcur_u8(&w, i);		/* the blob */
	assert_true(fsmb_wcur_ok(&w));
	return w.pos;
}

static int decode_sess(const u8 *buf, size_t len,
		       struct smb2_session_setup_req *r)
{
	struct smb2_hdr h;
	struct fsmb_cur c;

	fsmb_cur_init(&c, buf, len);
	assert_int_equal(smb2_hdr_decode(&c, &h), 0);
	return smb2_session_setup_req_decode(&c, r);
}

static void test_session_setup_req(void **state)
{
	struct smb2_session_setup_req r;
	u8 buf[256];
	size_t len;

	len = build_session_setup(buf, sizeof(buf), 88, 40);
	assert_int_equal(decode_sess(buf, len, &r), 0);
	assert_int_equal(r.flags, 0);
	assert_int_equal(r.security_mode, SMB2_NEGOTIATE_SIGNING_ENABLED);
	assert_int_equal(r.capabilities, 1);
	assert_int_equal(r.previous_session_id, 0x42);
	assert_int_equal(fsmb_cur_remaining(&r.blob), 40);
	assert_int_equal(r.blob.base[0], 0);
	assert_int_equal(r.blob.base[39], 39);

	/* Out of bounds, by one byte and by far. */
	len = build_session_setup(buf, sizeof(buf), 88, 41);
	assert_int_equal(decode_sess(buf, len, &r), -EINVAL);
	len = build_session_setup(buf, sizeof(buf), 0xfff0, 40);
	assert_int_equal(decode_sess(buf, len, &r), -EINVAL);
	len = build_session_setup(buf, sizeof(buf), 0xffff, 0xffff);
	assert_int_equal(decode_sess(buf, len, &r), -EINVAL);
	/* No blob: the offset does not matter. */
	len = build_session_setup(buf, sizeof(buf), 0xffff, 0);
	assert_int_equal(decode_sess(buf, len, &r), 0);
	assert_int_equal(fsmb_cur_remaining(&r.blob), 0);
	/* Truncated fixed part. */
	assert_int_equal(decode_sess(buf, 64 + 20, &r), -EINVAL);
	/* Wrong StructureSize. */
	len = build_session_setup(buf, sizeof(buf), 88, 40);
	buf[64] = 24;
	assert_int_equal(decode_sess(buf, len, &r), -EINVAL);
}

static void test_session_setup_rsp(void **state)
{
	static const u8 blob[] = { 0xa1, 0x07, 0x30, 0x05 };
	struct fsmb_wcur w;
	u8 buf[128];

	fsmb_wcur_init(&w, buf, sizeof(buf));
	fsmb_wcur_zero(&w, SMB2_HDR_SIZE);
	smb2_session_setup_rsp_encode(&w, SMB2_SESSION_FLAG_IS_GUEST, blob,
				      sizeof(blob));
	assert_true(fsmb_wcur_ok(&w));
	assert_int_equal(le16_at(buf, 64), 9);
	assert_int_equal(le16_at(buf, 66), SMB2_SESSION_FLAG_IS_GUEST);
	assert_int_equal(le16_at(buf, 68), 72);
	assert_int_equal(le16_at(buf, 70), sizeof(blob));
	assert_memory_equal(buf + 72, blob, sizeof(blob));
	assert_int_equal(w.pos, 72 + sizeof(blob));

	fsmb_wcur_init(&w, buf, sizeof(buf));
	fsmb_wcur_zero(&w, SMB2_HDR_SIZE);
	smb2_session_setup_rsp_encode(&w, 0, NULL, 0);
	assert_int_equal(le16_at(buf, 68), 0);
	assert_int_equal(le16_at(buf, 70), 0);
	assert_int_equal(w.pos, 64 + 9);
}

/* ---- TREE_CONNECT ---- */

static size_t build_tree_connect(u8 *buf, size_t cap, const char *unc)
{
	struct fsmb_wcur w;
	size_t n = strlen(unc) * 2;

	fsmb_wcur_init(&w, buf, cap);
	put_hdr(&w, SMB2_TREE_CONNECT, 0, 0, 3);
	fsmb_wcur_le16(&w, 9);
	fsmb_wcur_le16(&w, 0);			/* Flags */
	fsmb_wcur_le16(&w, 72);			/* PathOffset */
	fsmb_wcur_le16(&w, n);			/* PathLength */
	put_utf16(&w, unc);
	assert_true(fsmb_wcur_ok(&w));
	return w.pos;
}

/* Decode @unc; 0 and the share name in @share, or the error. */
static int share_of(const char *unc, char *share, size_t size)
{
	struct smb2_tree_connect_req r;
	struct fsmb_cur c, name;
	struct smb2_hdr h;
	u8 buf[512];
	size_t len = build_tree_connect(buf, sizeof(buf), unc), i;
	int err;

	fsmb_cur_init(&c, buf, len);
	assert_int_equal(smb2_hdr_decode(&c, &h), 0);
	assert_int_equal(smb2_tree_connect_req_decode(&c, &r), 0);
	assert_int_equal(fsmb_cur_remaining(&r.path), strlen(unc) * 2);
	err = smb2_tree_share_name(&r.path, &name);
	if (err)
		return err;
	for (i = 0; fsmb_cur_remaining(&name) && i + 1 < size; i++)
		share[i] = fsmb_cur_le16(&name);
	share[i] = 0;
	return 0;
}

static void test_tree_connect_path(void **state)
{
	char share[64];

	assert_int_equal(share_of("\\\\server\\share", share, sizeof(share)),
			 0);
	assert_string_equal(share, "share");
	assert_int_equal(share_of("\\\\10.0.2.15\\IPC$", share, sizeof(share)),
			 0);
	assert_string_equal(share, "IPC$");

	assert_int_equal(share_of("\\server\\share", share, sizeof(share)),
			 -EINVAL);
	assert_int_equal(share_of("\\\\\\share", share, sizeof(share)),
			 -EINVAL);
	assert_int_equal(share_of("\\\\server", share, sizeof(share)),
			 -EINVAL);
	assert_int_equal(share_of("\\\\server\\", share, sizeof(share)),
			 -EINVAL);
	assert_int_equal(share_of("\\\\server\\share\\dir", share,
				  sizeof(share)), -EINVAL);
	assert_int_equal(share_of("\\\\server\\sh/are", share, sizeof(share)),
			 -EINVAL);
	assert_int_equal(share_of("//server/share", share, sizeof(share)),
			 -EINVAL);
	assert_int_equal(share_of("", share, sizeof(share)), -EINVAL);
}

static void test_tree_connect_bounds(void **state)
{
	struct smb2_tree_connect_req r;
	struct fsmb_cur c, name;
	struct smb2_hdr h;
	u8 buf[256];
	size_t len = build_tree_connect(buf, sizeof(buf), "\\\\s\\x");

	/* PathLength one past the end. */
	put_unaligned_le16(len - 72 + 1, buf + 64 + 6);
	fsmb_cur_init(&c, buf, len);
	assert_int_equal(smb2_hdr_decode(&c, &h), 0);
	assert_int_equal(smb2_tree_connect_req_decode(&c, &r), -EINVAL);
	/* An odd length is no UTF-16. */
	put_unaligned_le16(len - 72 - 1, buf + 64 + 6);
	fsmb_cur_init(&c, buf, len);
	assert_int_equal(smb2_hdr_decode(&c, &h), 0);
	assert_int_equal(smb2_tree_connect_req_decode(&c, &r), 0);
	assert_int_equal(smb2_tree_share_name(&r.path, &name), -EINVAL);
	/* An embedded NUL. */
	put_unaligned_le16(len - 72, buf + 64 + 6);
	put_unaligned_le16(0, buf + len - 2);
	fsmb_cur_init(&c, buf, len);
	assert_int_equal(smb2_hdr_decode(&c, &h), 0);
	assert_int_equal(smb2_tree_connect_req_decode(&c, &r), 0);
	assert_int_equal(smb2_tree_share_name(&r.path, &name), -EINVAL);
}

static void test_tree_connect_rsp(void **state)
{
	struct smb2_tree_connect_rsp r = {
		.share_type = SMB2_SHARE_TYPE_DISK,
		.share_flags = SMB2_SHAREFLAG_MANUAL_CACHING,
		.maximal_access = FILE_ALL_ACCESS,
	};
	struct fsmb_wcur w;
	u8 buf[128];

	fsmb_wcur_init(&w, buf, sizeof(buf));
	fsmb_wcur_zero(&w, SMB2_HDR_SIZE);
	smb2_tree_connect_rsp_encode(&w, &r);
	assert_int_equal(w.pos, 64 + 16);
	assert_int_equal(le16_at(buf, 64), 16);
	assert_int_equal(buf[66], SMB2_SHARE_TYPE_DISK);
	assert_int_equal(le32_at(buf, 68), 0);
	assert_int_equal(le32_at(buf, 72), 0);
	assert_int_equal(le32_at(buf, 76), FILE_ALL_ACCESS);
}

/* ---- compound chain, credits, ERROR, four-byte bodies ---- */

static void test_chain(void **state)
{
	u8 buf[512];
	struct fsmb_wcur w;
	struct fsmb_cur c;

	/* ECHO (72 bytes, padded) + related ECHO (68 bytes). */
	fsmb_wcur_init(&w, buf, sizeof(buf));
	put_hdr(&w, SMB2_ECHO, 0, 72, 1);
	fsmb_wcur_le16(&w, 4);
	fsmb_wcur_le16(&w, 0);
	fsmb_wcur_align(&w, 8);
	put_hdr(&w, SMB2_ECHO, SMB2_FLAGS_RELATED_OPERATIONS, 0, 2);
	fsmb_wcur_le16(&w, 4);
	fsmb_wcur_le16(&w, 0);
	assert_int_equal(w.pos, 140);

	fsmb_cur_init(&c, buf, w.pos);
	assert_int_equal(smb2_chain_next(&c, 0), 72);
	assert_int_equal(smb2_chain_next(&c, 72), 68);
	assert_int_equal(smb2_chain_next(&c, 140), 0);
	assert_int_equal(smb2_chain_next(&c, 141), -EINVAL);

	/* NextCommand not a multiple of 8. */
	put_unaligned_le32(68, buf + 20);
	assert_int_equal(smb2_chain_next(&c, 0), -EINVAL);
	/* NextCommand at or past the end. */
	put_unaligned_le32(144, buf + 20);
	assert_int_equal(smb2_chain_next(&c, 0), -EINVAL);
	put_unaligned_le32(140, buf + 20);
	assert_int_equal(smb2_chain_next(&c, 0), -EINVAL);
	/* A command shorter than a header and a StructureSize. */
	put_unaligned_le32(64, buf + 20);
	assert_int_equal(smb2_chain_next(&c, 0), -EINVAL);
	put_unaligned_le32(72, buf + 20);
	fsmb_cur_init(&c, buf, 72 + 65);
	assert_int_equal(smb2_chain_next(&c, 72), -EINVAL);
	/* A message shorter than a header. */
	fsmb_cur_init(&c, buf, 40);
	assert_int_equal(smb2_chain_next(&c, 0), -EINVAL);
}

static u32 payload_of(u16 cmd, const u8 *body, size_t len)
{
	struct fsmb_cur c;

	fsmb_cur_init(&c, body, len);
	return smb2_credit_payload(&c, cmd);
}

static void test_credit_payload(void **state)
{
	u8 body[64] = {};

	put_unaligned_le32(1 << 20, body + 4);		/* READ Length */
	assert_int_equal(payload_of(SMB2_READ, body, 49), 1 << 20);
	assert_int_equal(payload_of(SMB2_READ, body, 6), 0);
	put_unaligned_le32(300000, body + 4);		/* WRITE Length */
	assert_int_equal(payload_of(SMB2_WRITE, body, 49), 300000);

	memset(body, 0, sizeof(body));
	put_unaligned_le32(100, body + 28);		/* IOCTL InputCount */
	put_unaligned_le32(10, body + 32);		/* MaxInputResponse */
	put_unaligned_le32(20, body + 40);		/* OutputCount */
	put_unaligned_le32(65536, body + 44);		/* MaxOutputResponse */
	assert_int_equal(payload_of(SMB2_IOCTL, body, 57), 65546);
	put_unaligned_le32(0xffffffff, body + 28);
	assert_int_equal(payload_of(SMB2_IOCTL, body, 57), 0xffffffff);

	memset(body, 0, sizeof(body));
	put_unaligned_le16(40, body + 26);		/* FileNameLength */
	put_unaligned_le32(200000, body + 28);	/* OutputBufferLength */
	assert_int_equal(payload_of(SMB2_QUERY_DIRECTORY, body, 33), 200000);

	memset(body, 0, sizeof(body));
	put_unaligned_le32(70000, body + 4);		/* OutputBufferLength */
	put_unaligned_le32(80000, body + 12);		/* InputBufferLength */
	assert_int_equal(payload_of(SMB2_QUERY_INFO, body, 41), 80000);
	assert_int_equal(payload_of(SMB2_SET_INFO, body, 33), 70000);
	assert_int_equal(payload_of(SMB2_CHANGE_NOTIFY, body, 32), 70000);
	assert_int_equal(payload_of(SMB2_CREATE, body, 57), 0);
}

static void test_error_and_simple(void **state)
{
	u8 buf[16];
	struct fsmb_wcur w;
	struct fsmb_cur c;

	memset(buf, 0xee, sizeof(buf));
	fsmb_wcur_init(&w, buf, sizeof(buf));
	smb2_error_rsp_encode(&w);
	assert_int_equal(w.pos, 9);
	assert_int_equal(le16_at(buf, 0), 9);
	assert_int_equal(buf[2], 0);
	assert_int_equal(le32_at(buf, 4), 0);
	assert_int_equal(buf[8], 0);

	fsmb_wcur_init(&w, buf, sizeof(buf));
	smb2_simple_rsp_encode(&w);
	assert_int_equal(w.pos, 4);
	fsmb_cur_init(&c, buf, 4);
	assert_int_equal(smb2_simple_req_decode(&c), 0);
	fsmb_cur_init(&c, buf, 3);
	assert_int_equal(smb2_simple_req_decode(&c), -EINVAL);
	buf[0] = 5;
	fsmb_cur_init(&c, buf, 4);
	assert_int_equal(smb2_simple_req_decode(&c), -EINVAL);
}

static void test_set_signature(void **state)
{
	static const u8 sig[SMB2_SIG_SIZE] = { 0xde, 0xad, 0xbe, 0xef };
	u8 buf[SMB2_HDR_SIZE + 4] = {};
	struct fsmb_wcur w;

	fsmb_wcur_init(&w, buf, sizeof(buf));
	smb2_hdr_set_signature(&w, sig);
	assert_false(fsmb_wcur_ok(&w));		/* nothing written yet */

	fsmb_wcur_init(&w, buf, sizeof(buf));
	w.pos = sizeof(buf);
	smb2_hdr_set_signature(&w, sig);
	assert_true(fsmb_wcur_ok(&w));
	assert_memory_equal(buf + SMB2_SIG_OFFSET, sig, SMB2_SIG_SIZE);
	assert_int_equal(buf[SMB2_SIG_OFFSET - 1], 0);
	assert_int_equal(buf[SMB2_HDR_SIZE], 0);
}

/* Direct TCP headers: session messages within the limit, bare keep-alives. */
static void test_framing(void **state)
{
	static const struct {
		u8 hdr[4];
		size_t limit;
		int kind;
		size_t len;
	} cases[] = {
		{ { 0x00, 0x00, 0x00, 0x44 }, 65536, FSMB_FRAME_MSG, 0x44 },
		{ { 0x00, 0x01, 0x00, 0x00 }, 65536, FSMB_FRAME_MSG, 65536 },
		{ { 0x00, 0x01, 0x00, 0x01 }, 65536, -EPROTO, 0 },
		{ { 0x00, 0xff, 0xff, 0xff }, FSMB_FRAME_MAX_LEN, FSMB_FRAME_MSG,
		  FSMB_FRAME_MAX_LEN },
		{ { 0x00, 0x00, 0x00, 0x00 }, 65536, -EPROTO, 0 },
		{ { 0x85, 0x00, 0x00, 0x00 }, 65536, FSMB_FRAME_KEEPALIVE, 0 },
		{ { 0x85, 0x00, 0x00, 0x01 }, 65536, -EPROTO, 0 },
		{ { 0x81, 0x00, 0x00, 0x44 }, 65536, -EPROTO, 0 },
		{ { 0xfe, 'S', 'M', 'B' }, FSMB_FRAME_MAX_LEN, -EPROTO, 0 },
	};
	u8 out[FSMB_FRAME_HDR_SIZE];
	struct fsmb_wcur w;
	struct fsmb_cur c;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = 0;
		fsmb_cur_init(&c, cases[i].hdr, sizeof(cases[i].hdr));
		assert_int_equal(fsmb_frame_decode(&c, cases[i].limit, &len),
				 cases[i].kind);
		assert_int_equal(len, cases[i].len);
		if (cases[i].kind != FSMB_FRAME_MSG)
			continue;
		fsmb_wcur_init(&w, out, sizeof(out));
		fsmb_frame_encode(&w, len);
		assert_true(fsmb_wcur_ok(&w));
		assert_memory_equal(out, cases[i].hdr, sizeof(out));
	}
	/* Three bytes are not a header. */
	fsmb_cur_init(&c, cases[0].hdr, 3);
	assert_int_equal(fsmb_frame_decode(&c, 65536, &len), -EPROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr_roundtrip),
		cmocka_unit_test(test_hdr_async),
		cmocka_unit_test(test_hdr_reject),
		cmocka_unit_test(test_negotiate_311),
		cmocka_unit_test(test_negotiate_bad_body),
		cmocka_unit_test(test_negotiate_bad_contexts),
		cmocka_unit_test(test_negotiate_no_sha512),
		cmocka_unit_test(test_negotiate_rsp_311),
		cmocka_unit_test(test_negotiate_rsp_21),
		cmocka_unit_test(test_smb1_negotiate),
		cmocka_unit_test(test_session_setup_req),
		cmocka_unit_test(test_session_setup_rsp),
		cmocka_unit_test(test_tree_connect_path),
		cmocka_unit_test(test_tree_connect_bounds),
		cmocka_unit_test(test_tree_connect_rsp),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_credit_payload),
		cmocka_unit_test(test_error_and_simple),
		cmocka_unit_test(test_set_signature),
		cmocka_unit_test(test_framing),
	};

	return cmocka_run_group_tests_name("proto_core", tests, NULL, NULL);
}

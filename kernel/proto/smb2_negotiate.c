// SPDX-License-Identifier: GPL-2.0
/* SMB2 NEGOTIATE and SMB1 NEGOTIATE codecs. */
#include "smb2_negotiate.h"

#define SMB2_NEG_CTX_HDR_SIZE	8
/* Bytes of the fixed response body before NegotiateContextOffset. */
#define SMB2_NEG_RSP_CTX_OFF	60
#define SMB2_NEG_RSP_FIXED	64

#define SMB1_HDR_SIZE		32
#define SMB1_COM_NEGOTIATE	0x72
#define SMB1_DIALECT_FORMAT	0x02

int smb2_negotiate_req_decode(struct fsmb_cur *c, struct smb2_negotiate_req *r)
{
	if (smb2_body_start(c, SMB2_NEGOTIATE_REQ_SIZE))
		return -EINVAL;
	r->dialect_count = fsmb_cur_le16(c);
	r->security_mode = fsmb_cur_le16(c);
	fsmb_cur_skip(c, 2);			/* Reserved */
	r->capabilities = fsmb_cur_le32(c);
	fsmb_cur_copy(c, r->client_guid, sizeof(r->client_guid));
	/* ClientStartTime before 3.1.1: only read for 3.1.1 by the caller */
	r->context_offset = fsmb_cur_le32(c);
	r->context_count = fsmb_cur_le16(c);
	fsmb_cur_skip(c, 2);			/* Reserved2 */
	fsmb_cur_sub(c, c->pos, (size_t)r->dialect_count * 2, &r->dialects);
	if (!fsmb_cur_ok(c) || r->dialect_count == 0)
		return -EINVAL;
	return 0;
}

/* @d: the context's data. Counts and lengths checked as [MS-SMB2] 2.2.3.1 says. */
static int neg_ctx_preauth(struct fsmb_cur *d, struct smb2_neg_contexts *ctx)
{
	u16 nalgs = fsmb_cur_le16(d);
	u16 salt_len = fsmb_cur_le16(d);
	u16 i;

	if (!fsmb_cur_ok(d) || nalgs == 0 || ctx->preauth)
		return -EINVAL;
	ctx->preauth = true;
	for (i = 0; i < nalgs; i++)
		if (fsmb_cur_le16(d) == SMB2_PREAUTH_INTEGRITY_SHA512)
			ctx->preauth_sha512 = true;
	fsmb_cur_skip(d, salt_len);
	return fsmb_cur_ok(d) ? 0 : -EINVAL;
}

static int neg_ctx_encryption(struct fsmb_cur *d, struct smb2_neg_contexts *ctx)
{
	u16 nciphers = fsmb_cur_le16(d);

	if (!fsmb_cur_ok(d) || nciphers == 0 || ctx->encryption)
		return -EINVAL;
	ctx->encryption = true;
	fsmb_cur_skip(d, (size_t)nciphers * 2);
	return fsmb_cur_ok(d) ? 0 : -EINVAL;
}

static int neg_ctx_signing(struct fsmb_cur *d, struct smb2_neg_contexts *ctx)
{
	u16 nalgs = fsmb_cur_le16(d);
	u16 i;

	if (!fsmb_cur_ok(d) || nalgs == 0 || ctx->signing)
		return -EINVAL;
	ctx->signing = true;
	for (i = 0; i < nalgs; i++) {
		u16 id = fsmb_cur_le16(d);

		if (ctx->nsigning < SMB2_NEG_MAX_SIGNING)
			ctx->signing_algos[ctx->nsigning++] = id;
	}
	return fsmb_cur_ok(d) ? 0 : -EINVAL;
}

int smb2_neg_contexts_decode(const struct fsmb_cur *c,
			     const struct smb2_negotiate_req *r,
			     struct smb2_neg_contexts *ctx)
{
	struct fsmb_cur msg = *c;
	size_t off = r->context_offset;
	u16 i;

	memset(ctx, 0, sizeof(*ctx));
	for (i = 0; i < r->context_count; i++) {
		struct fsmb_cur hdr, data;
		u16 type, len;
		int err = 0;

		/* Every context after the first starts 8-byte aligned. */
		if (i)
			off = ALIGN(off, 8);
		fsmb_cur_sub(&msg, off, SMB2_NEG_CTX_HDR_SIZE, &hdr);
		type = fsmb_cur_le16(&hdr);
		len = fsmb_cur_le16(&hdr);
		fsmb_cur_sub(&msg, off + SMB2_NEG_CTX_HDR_SIZE, len, &data);
		if (!fsmb_cur_ok(&msg) || !fsmb_cur_ok(&hdr))
			return -EINVAL;
		switch (type) {
		case SMB2_PREAUTH_INTEGRITY_CAPABILITIES:
			err = neg_ctx_preauth(&data, ctx);
			break;
		case SMB2_ENCRYPTION_CAPABILITIES:
			err = neg_ctx_encryption(&data, ctx);
			break;
		case SMB2_SIGNING_CAPABILITIES:
			err = neg_ctx_signing(&data, ctx);
			break;
		default:
			/* compression, netname, transport, RDMA: not offered */
			break;
		}
		if (err)
			return err;
		off += SMB2_NEG_CTX_HDR_SIZE + len;
	}
	return 0;
}

static void neg_ctx_start(struct fsmb_wcur *w, u16 type, u16 len)
{
	fsmb_wcur_align(w, 8);
	fsmb_wcur_le16(w, type);
	fsmb_wcur_le16(w, len);
	fsmb_wcur_le32(w, 0);			/* Reserved */
}

void smb2_negotiate_rsp_encode(struct fsmb_wcur *w,
			       const struct smb2_negotiate_rsp *r)
{
	bool contexts = r->dialect == SMB2_DIALECT_311;
	u16 nctx = contexts ? 1 + r->signing : 0;
	size_t start = w->pos;

	fsmb_wcur_le16(w, SMB2_NEGOTIATE_RSP_SIZE);
	fsmb_wcur_le16(w, r->security_mode);
	fsmb_wcur_le16(w, r->dialect);
	fsmb_wcur_le16(w, nctx);
	fsmb_wcur_bytes(w, r->server_guid, sizeof(r->server_guid));
	fsmb_wcur_le32(w, r->capabilities);
	fsmb_wcur_le32(w, r->max_transact);
	fsmb_wcur_le32(w, r->max_read);
	fsmb_wcur_le32(w, r->max_write);
	fsmb_wcur_le64(w, r->system_time);
	fsmb_wcur_le64(w, r->start_time);
	fsmb_wcur_le16(w, r->sec_len ? start + SMB2_NEG_RSP_FIXED : 0);
	fsmb_wcur_le16(w, r->sec_len);
	fsmb_wcur_le32(w, 0);			/* NegotiateContextOffset */
	fsmb_wcur_bytes(w, r->sec_blob, r->sec_len);
	if (!contexts) {
		/* StructureSize 65 counts one byte of Buffer: keep it there. */
		if (!r->sec_len)
			fsmb_wcur_u8(w, 0);
		return;
	}

	fsmb_wcur_align(w, 8);
	fsmb_wcur_le32_at(w, start + SMB2_NEG_RSP_CTX_OFF, w->pos);
	neg_ctx_start(w, SMB2_PREAUTH_INTEGRITY_CAPABILITIES,
		      6 + SMB2_PREAUTH_SALT_SIZE);
	fsmb_wcur_le16(w, 1);			/* HashAlgorithmCount */
	fsmb_wcur_le16(w, SMB2_PREAUTH_SALT_SIZE);
	fsmb_wcur_le16(w, SMB2_PREAUTH_INTEGRITY_SHA512);
	fsmb_wcur_bytes(w, r->preauth_salt, SMB2_PREAUTH_SALT_SIZE);
	if (r->signing) {
		neg_ctx_start(w, SMB2_SIGNING_CAPABILITIES, 4);
		fsmb_wcur_le16(w, 1);		/* SigningAlgorithmCount */
		fsmb_wcur_le16(w, r->signing_algo);
	}
}

bool smb1_is_negotiate(const struct fsmb_cur *c)
{
	struct fsmb_cur h = *c;
	u32 proto;
	u8 cmd;

	fsmb_cur_seek(&h, 0);
	proto = fsmb_cur_le32(&h);
	cmd = fsmb_cur_u8(&h);
	return fsmb_cur_ok(&h) && proto == SMB1_PROTO_ID &&
	       cmd == SMB1_COM_NEGOTIATE;
}

static bool smb1_dialect_is(const u8 *s, size_t len, const char *name)
{
	return len == strlen(name) && !memcmp(s, name, len);
}

int smb1_negotiate_decode(struct fsmb_cur *c, unsigned int *found)
{
	struct fsmb_cur bytes;
	u8 words;
	u16 nbytes;

	*found = 0;
	fsmb_cur_seek(c, SMB1_HDR_SIZE);
	words = fsmb_cur_u8(c);
	nbytes = fsmb_cur_le16(c);
	fsmb_cur_sub(c, c->pos, nbytes, &bytes);
	if (!fsmb_cur_ok(c) || words != 0)
		return -EINVAL;

	while (fsmb_cur_remaining(&bytes)) {
		const u8 *s, *nul;
		size_t len;

		if (fsmb_cur_u8(&bytes) != SMB1_DIALECT_FORMAT)
			return -EINVAL;
		s = bytes.base + bytes.pos;
		nul = memchr(s, 0, fsmb_cur_remaining(&bytes));
		if (!nul)
			return -EINVAL;
		len = nul - s;
		fsmb_cur_skip(&bytes, len + 1);
		if (smb1_dialect_is(s, len, "SMB 2.002"))
			*found |= SMB1_NEG_SMB2_002;
		else if (smb1_dialect_is(s, len, "SMB 2.???"))
			*found |= SMB1_NEG_SMB2_ANY;
	}
	return fsmb_cur_ok(&bytes) ? 0 : -EINVAL;
}

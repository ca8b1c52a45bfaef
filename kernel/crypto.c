// SPDX-License-Identifier: GPL-2.0
/* Signing, key derivation and the preauth integrity hash. */
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <crypto/skcipher.h>

#include "crypto.h"

#define FSMB_KEY_SIZE		16
#define FSMB_GMAC_NONCE_SIZE	12

int fsmb_preauth_start(struct fsmb_conn *conn)
{
	struct crypto_shash *tfm;

	if (conn->sha512)
		return 0;
	tfm = crypto_alloc_shash("sha512", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	conn->sha512 = tfm;
	return 0;
}

int fsmb_preauth_update(struct fsmb_conn *conn, u8 *hash, const void *msg,
			size_t len)
{
	SHASH_DESC_ON_STACK(desc, conn->sha512);
	int err;

	desc->tfm = conn->sha512;
	err = crypto_shash_init(desc) ?:
	      crypto_shash_update(desc, hash, FSMB_PREAUTH_HASH_SIZE) ?:
	      crypto_shash_update(desc, msg, len) ?:
	      crypto_shash_final(desc, hash);
	shash_desc_zero(desc);
	return err;
}

/*
 * SP800-108 counter-mode KDF with HMAC-SHA256, one round: the 128-bit
 * key is the first half of HMAC(Ki, 1 || Label || 0 || Context || 128).
 * Not crypto_kdf108_*: it refuses keys shorter than the digest, and SMB
 * session keys are 16 bytes.
 */
static int fsmb_kdf(const u8 *ki, const u8 *label, size_t label_len,
		    const u8 *context, size_t context_len, u8 *out)
{
	static const u8 sep;
	struct crypto_shash *tfm;
	u8 digest[SHA256_DIGEST_SIZE];
	__be32 counter = cpu_to_be32(1);
	__be32 bits = cpu_to_be32(FSMB_KEY_SIZE * 8);
	int err;

	tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = crypto_shash_setkey(tfm, ki, FSMB_KEY_SIZE);
	if (!err) {
		SHASH_DESC_ON_STACK(desc, tfm);

		desc->tfm = tfm;
		err = crypto_shash_init(desc) ?:
		      crypto_shash_update(desc, (u8 *)&counter, 4) ?:
		      crypto_shash_update(desc, label, label_len) ?:
		      crypto_shash_update(desc, &sep, 1) ?:
		      crypto_shash_update(desc, context, context_len) ?:
		      crypto_shash_update(desc, (u8 *)&bits, 4) ?:
		      crypto_shash_final(desc, digest);
		shash_desc_zero(desc);
	}
	if (!err)
		memcpy(out, digest, FSMB_KEY_SIZE);
	memzero_explicit(digest, sizeof(digest));
	crypto_free_shash(tfm);
	return err;
}

static int fsmb_signer_shash(struct fsmb_session *sess, const char *alg,
			     const u8 *key)
{
	struct crypto_shash *tfm = crypto_alloc_shash(alg, 0, 0);
	int err;

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = crypto_shash_setkey(tfm, key, FSMB_KEY_SIZE);
	if (err) {
		crypto_free_shash(tfm);
		return err;
	}
	sess->signer = tfm;
	return 0;
}

/*
 * AES-GMAC is GCM over an empty plaintext with the message as associated
 * data. Not whatever "gcm(aes)" resolves to: the AES-NI GCM copies
 * scattered associated data into one kmalloc()ed buffer, which fails for
 * the multi-megabyte (vmalloc()ed) READ responses. The generic gcm_base
 * construction walks the scatterlist, and over the best ctr(aes) and
 * ghash it is still accelerated. An instance only answers to its driver
 * name, so that name is built from the drivers of its two parts.
 */
static int fsmb_gmac_name(char *name, size_t size)
{
	struct crypto_skcipher *ctr;
	struct crypto_ahash *ghash;
	int n;

	ctr = crypto_alloc_skcipher("ctr(aes)", 0, 0);
	if (IS_ERR(ctr))
		return PTR_ERR(ctr);
	ghash = crypto_alloc_ahash("ghash", 0, 0);
	if (IS_ERR(ghash)) {
		crypto_free_skcipher(ctr);
		return PTR_ERR(ghash);
	}
	n = snprintf(name, size, "gcm_base(%s,%s)",
		     crypto_skcipher_driver_name(ctr),
		     crypto_ahash_driver_name(ghash));
	crypto_free_ahash(ghash);
	crypto_free_skcipher(ctr);
	return n < size ? 0 : -ENAMETOOLONG;
}

static int fsmb_signer_gmac(struct fsmb_session *sess, const u8 *key)
{
	char name[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *tfm;
	int err;

	err = fsmb_gmac_name(name, sizeof(name));
	if (err)
		return err;
	tfm = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = crypto_aead_setkey(tfm, key, FSMB_KEY_SIZE) ?:
	      crypto_aead_setauthsize(tfm, SMB2_SIG_SIZE);
	if (err) {
		crypto_free_aead(tfm);
		return err;
	}
	sess->gmac = tfm;
	return 0;
}

int fsmb_signing_setup(struct fsmb_session *sess)
{
	static const u8 label_30[] = "SMB2AESCMAC";
	static const u8 context_30[] = "SmbSign";
	static const u8 label_311[] = "SMBSigningKey";
	struct fsmb_conn *conn = sess->conn;
	int err;

	if (conn->dialect < SMB2_DIALECT_300) {
		memcpy(sess->signing_key, sess->session_key, FSMB_KEY_SIZE);
	} else {
		/* The labels and "SmbSign" are used with their NUL. */
		if (conn->dialect == SMB2_DIALECT_311)
			err = fsmb_kdf(sess->session_key, label_311,
				       sizeof(label_311), sess->preauth_hash,
				       FSMB_PREAUTH_HASH_SIZE,
				       sess->signing_key);
		else
			err = fsmb_kdf(sess->session_key, label_30,
				       sizeof(label_30), context_30,
				       sizeof(context_30), sess->signing_key);
		if (err)
			return err;
	}

	switch (conn->signing_algo) {
	case SMB2_SIGNING_HMAC_SHA256:
		return fsmb_signer_shash(sess, "hmac(sha256)",
					 sess->signing_key);
	case SMB2_SIGNING_AES_CMAC:
		return fsmb_signer_shash(sess, "cmac(aes)", sess->signing_key);
	case SMB2_SIGNING_AES_GMAC:
		return fsmb_signer_gmac(sess, sess->signing_key);
	default:
		return -EINVAL;
	}
}

void fsmb_signing_free(struct fsmb_session *sess)
{
	crypto_free_shash(sess->signer);
	sess->signer = NULL;
	crypto_free_aead(sess->gmac);
	sess->gmac = NULL;
}

static unsigned int fsmb_sg_count(const u8 *buf, size_t len)
{
	if (!len)
		return 0;
	if (!is_vmalloc_addr(buf))
		return 1;
	return DIV_ROUND_UP(offset_in_page(buf) + len, PAGE_SIZE);
}

/* Describe @len bytes at @buf from @sg on; returns the next free entry. */
static struct scatterlist *fsmb_sg_fill(struct scatterlist *sg, const u8 *buf,
					size_t len)
{
	if (!len)
		return sg;
	if (!is_vmalloc_addr(buf)) {
		sg_set_buf(sg, buf, len);
		return sg_next(sg);
	}
	while (len) {
		unsigned int off = offset_in_page(buf);
		unsigned int n = min_t(size_t, len, PAGE_SIZE - off);

		sg_set_page(sg, vmalloc_to_page(buf), n, off);
		sg = sg_next(sg);
		buf += n;
		len -= n;
	}
	return sg;
}

struct fsmb_gmac_buf {
	u8 nonce[FSMB_GMAC_NONCE_SIZE];
	u8 zero_sig[SMB2_SIG_SIZE];
	u8 tag[SMB2_SIG_SIZE];
};

static int fsmb_sign_gmac(struct crypto_aead *tfm, const u8 *msg, size_t len,
			  u64 mid, bool response, bool cancel, u8 *sig)
{
	const u8 *body = msg + SMB2_HDR_SIZE;
	size_t body_len = len - SMB2_HDR_SIZE;
	struct fsmb_gmac_buf *b;
	struct aead_request *req;
	struct sg_table sgt;
	struct scatterlist *sg;
	DECLARE_CRYPTO_WAIT(wait);
	int err;

	/* Heap, not stack: the scatterlist may not point into a vmap stack. */
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	put_unaligned_le64(mid, b->nonce);
	put_unaligned_le32((response ? 1 : 0) | (cancel ? 2 : 0), b->nonce + 8);

	err = sg_alloc_table(&sgt, fsmb_sg_count(msg, SMB2_SIG_OFFSET) + 1 +
			     fsmb_sg_count(body, body_len) + 1, GFP_KERNEL);
	if (err)
		goto out_buf;
	sg = fsmb_sg_fill(sgt.sgl, msg, SMB2_SIG_OFFSET);
	sg = fsmb_sg_fill(sg, b->zero_sig, SMB2_SIG_SIZE);
	sg = fsmb_sg_fill(sg, body, body_len);
	sg_set_buf(sg, b->tag, SMB2_SIG_SIZE);

	req = aead_request_alloc(tfm, GFP_KERNEL);
	if (!req) {
		err = -ENOMEM;
		goto out_sg;
	}
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP,
				  crypto_req_done, &wait);
	aead_request_set_crypt(req, sgt.sgl, sgt.sgl, 0, b->nonce);
	aead_request_set_ad(req, len);
	err = crypto_wait_req(crypto_aead_encrypt(req), &wait);
	if (!err)
		memcpy(sig, b->tag, SMB2_SIG_SIZE);
	aead_request_free(req);
out_sg:
	sg_free_table(&sgt);
out_buf:
	kfree(b);
	return err;
}

static int fsmb_sign_shash(struct crypto_shash *tfm, const u8 *msg,
			   size_t len, u8 *sig)
{
	static const u8 zero_sig[SMB2_SIG_SIZE];
	SHASH_DESC_ON_STACK(desc, tfm);
	u8 mac[SHA256_DIGEST_SIZE];
	int err;

	desc->tfm = tfm;
	err = crypto_shash_init(desc) ?:
	      crypto_shash_update(desc, msg, SMB2_SIG_OFFSET) ?:
	      crypto_shash_update(desc, zero_sig, SMB2_SIG_SIZE) ?:
	      crypto_shash_update(desc, msg + SMB2_HDR_SIZE,
				  len - SMB2_HDR_SIZE) ?:
	      crypto_shash_final(desc, mac);
	shash_desc_zero(desc);
	/* HMAC-SHA256 is cut to its first 16 bytes; CMAC is 16 bytes. */
	if (!err)
		memcpy(sig, mac, SMB2_SIG_SIZE);
	memzero_explicit(mac, sizeof(mac));
	return err;
}

int fsmb_sign(struct fsmb_session *sess, const u8 *msg, size_t len, u64 mid,
	      bool response, bool cancel, u8 *sig)
{
	if (len < SMB2_HDR_SIZE)
		return -EINVAL;
	if (sess->gmac)
		return fsmb_sign_gmac(sess->gmac, msg, len, mid, response,
				      cancel, sig);
	if (sess->signer)
		return fsmb_sign_shash(sess->signer, msg, len, sig);
	return -EINVAL;
}

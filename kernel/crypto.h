/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Message signing ([MS-SMB2] 3.1.4.1), signing key derivation (3.1.4.2)
 * and the 3.1.1 preauthentication integrity hash (3.3.5.4, 3.3.5.5).
 * Transforms are allocated once per connection (SHA-512) or session
 * (the signer), never per message.
 */
#ifndef FSMB_CRYPTO_H
#define FSMB_CRYPTO_H

#include "fsmb.h"

/* Make sure @conn has its SHA-512 transform (3.1.1 only). */
int fsmb_preauth_start(struct fsmb_conn *conn);
/* @hash = SHA-512(@hash || @msg), FSMB_PREAUTH_HASH_SIZE bytes. */
int fsmb_preauth_update(struct fsmb_conn *conn, u8 *hash, const void *msg,
			size_t len);

/*
 * From sess->session_key, derive sess->signing_key as the connection's
 * dialect wants and key the signer of the connection's signing
 * algorithm.
 */
int fsmb_signing_setup(struct fsmb_session *sess);
void fsmb_signing_free(struct fsmb_session *sess);
static inline bool fsmb_can_sign(const struct fsmb_session *sess)
{
	return sess->signer || sess->gmac;
}

/*
 * The signature of the @len-byte message at @msg (header first), its
 * Signature field counted as zero whatever it holds. @mid, @response and
 * @cancel make the AES-GMAC nonce. -EINVAL if @len is shorter than a
 * header or the session has no signer.
 */
int fsmb_sign(struct fsmb_session *sess, const u8 *msg, size_t len, u64 mid,
	      bool response, bool cancel, u8 *sig);

#endif /* FSMB_CRYPTO_H */

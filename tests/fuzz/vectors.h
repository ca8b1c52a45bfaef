/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recorded NTLMSSP/SPNEGO exchanges for the daemon harnesses, the same
 * ones tests/unit/test_ntlmssp.c checks (tests/common/ntlmssp_vectors.c):
 * [MS-NLMP] 4.2.4 (user "User", password "Password", domain "Domain") and Samba 4.17's smbclient as
 * alice/"secret" in WORKGROUP against fsmbd. With the server's challenge
 * forced to the recorded one, the recorded AUTHENTICATE messages succeed,
 * so mutations of them reach the session key, MIC and mechListMIC code.
 */
#ifndef FUZZ_VECTORS_H
#define FUZZ_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#include "ntlmssp.h"

struct fuzz_vec {
	uint8_t *p;
	size_t len;
};

extern struct fuzz_vec vec_spec_negotiate;	/* a client NEGOTIATE */
extern struct fuzz_vec vec_spec_challenge;	/* 4.2.4.3 CHALLENGE */
extern struct fuzz_vec vec_spec_authenticate;	/* 4.2.4.3 AUTHENTICATE */
extern struct fuzz_vec vec_samba_init;		/* NegTokenInit + NEGOTIATE */
extern struct fuzz_vec vec_samba_resp1;		/* NegTokenResp + CHALLENGE */
extern struct fuzz_vec vec_samba_auth;		/* NegTokenResp + AUTHENTICATE */
extern struct fuzz_vec vec_samba_negotiate;	/* the NTLMSSP in samba_init */
extern struct fuzz_vec vec_samba_challenge;	/* the NTLMSSP in samba_resp1 */

/* Decode the vectors, compute the password hashes. Call once. */
void fuzz_vectors_init(void);

/* The users "User"/"Password" and "alice"/"secret". */
extern const struct fsmb_ntlmssp_conf fuzz_nconf;
extern const struct fsmb_ntlmssp_conf fuzz_nconf_anon;	/* anonymous allowed */

/* Replace @n's CHALLENGE_MESSAGE (and challenge, flags) with @chal. */
void fuzz_force_challenge(struct fsmb_ntlmssp *n, const struct fuzz_vec *chal);

#endif /* FUZZ_VECTORS_H */

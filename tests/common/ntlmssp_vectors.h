/* SPDX-License-Identifier: GPL-2.0 */
/* Recorded NTLMSSP/SPNEGO messages as hex strings: ntlmssp_vectors.c. */
#ifndef FSMB_TEST_NTLMSSP_VECTORS_H
#define FSMB_TEST_NTLMSSP_VECTORS_H

/* [MS-NLMP] 4.2.4.3 (NTLMv2): TargetInfo, CHALLENGE, AUTHENTICATE */
extern const char spec_target_info_hex[];
extern const char spec_challenge_hex[];
extern const char spec_authenticate_hex[];
/* Samba 4.17's client: NegTokenInit, NegTokenResp (CHALLENGE), NegTokenResp
 * (AUTHENTICATE), the server's final NegTokenResp, the session key */
extern const char samba_init_hex[];
extern const char samba_resp1_hex[];
extern const char samba_auth_hex[];
extern const char samba_final_hex[];
extern const char samba_key_hex[];

#endif

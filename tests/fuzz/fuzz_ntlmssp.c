// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: NTLMSSP messages as fsmbd gets them from a client
 * (userspace/fsmbd/ntlmssp.c). The message type in the input picks the
 * step; anything else goes through both:
 *   NEGOTIATE: fsmb_ntlmssp_negotiate(), and the CHALLENGE it builds;
 *   AUTHENTICATE: fsmb_ntlmssp_authenticate() after a recorded NEGOTIATE
 *     and CHALLENGE, three ways: the [MS-NLMP] 4.2.4 challenge (user
 *     "User"), Samba's recorded challenge (alice, with a MIC), and that one
 *     again with anonymous logons allowed. The security buffers, the
 *     NTLMv2 response, its AV pairs and the MIC are all reached; a
 *     successful login then signs (fsmb_ntlmssp_sign_first()).
 * Seeds: the recorded messages (vectors.h) and client traffic.
 */
#include <string.h>

#include "fuzz.h"
#include "ntlmssp.h"
#include "ntstatus.h"
#include "vectors.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_vectors_init();
	return 0;
}

static void negotiate(const uint8_t *in, size_t len)
{
	struct fsmb_ntlmssp n;
	const uint8_t *out;
	size_t out_len;

	fsmb_ntlmssp_init(&n, &fuzz_nconf);
	if (fsmb_ntlmssp_negotiate(&n, in, len, &out, &out_len) == 0) {
		fuzz_check(out == n.challenge_msg && out_len == n.challenge_len);
		fuzz_check(fsmb_ntlmssp_is_msg(out, out_len,
					       FSMB_NTLMSSP_CHALLENGE_MSG));
		fuzz_check(n.negotiate_len == len &&
			   !memcmp(n.negotiate_msg, in, len));
	}
	fsmb_ntlmssp_free(&n);
}

static void authenticate(const struct fsmb_ntlmssp_conf *conf,
			 const struct fuzz_vec *neg,
			 const struct fuzz_vec *chal,
			 const uint8_t *in, size_t len)
{
	static const uint8_t zero[FSMB_NTLMSSP_KEY_LEN];
	uint8_t sig[FSMB_NTLMSSP_SIG_LEN];
	struct fsmb_ntlmssp n;
	const uint8_t *out;
	size_t out_len;
	uint32_t status;

	fsmb_ntlmssp_init(&n, conf);
	if (fsmb_ntlmssp_negotiate(&n, neg->p, neg->len, &out, &out_len))
		abort();
	fuzz_force_challenge(&n, chal);
	status = fsmb_ntlmssp_authenticate(&n, in, len);
	fuzz_check(strnlen(n.user, sizeof(n.user)) < sizeof(n.user));
	fuzz_check(strnlen(n.domain, sizeof(n.domain)) < sizeof(n.domain));
	if (status == FSMB_STATUS_SUCCESS) {
		fuzz_check(n.anonymous ? conf->allow_anonymous && !n.user[0] :
			   n.user[0] != '\0');
		if (!n.anonymous)
			fsmb_ntlmssp_sign_first(&n, true, in, len, sig);
	} else {
		fuzz_check(status == FSMB_STATUS_LOGON_FAILURE);
		fuzz_check(n.fail_reason != NULL);
		/* A failed login leaves no key behind. */
		fuzz_check(!memcmp(n.session_key, zero, sizeof(zero)));
	}
	fsmb_ntlmssp_free(&n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *in = fuzz_dup(data, size);
	bool neg = fsmb_ntlmssp_is_msg(in, size, FSMB_NTLMSSP_NEGOTIATE_MSG);
	bool auth = fsmb_ntlmssp_is_msg(in, size,
					FSMB_NTLMSSP_AUTHENTICATE_MSG);

	if (neg || !auth)
		negotiate(in, size);
	if (auth || !neg) {
		authenticate(&fuzz_nconf, &vec_spec_negotiate,
			     &vec_spec_challenge, in, size);
		authenticate(&fuzz_nconf, &vec_samba_negotiate,
			     &vec_samba_challenge, in, size);
		authenticate(&fuzz_nconf_anon, &vec_samba_negotiate,
			     &vec_samba_challenge, in, size);
	}
	free(in);
	return 0;
}

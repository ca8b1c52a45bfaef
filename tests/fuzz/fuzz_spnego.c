// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: SPNEGO tokens as fsmbd gets them in SESSION_SETUP
 * security buffers (userspace/fsmbd/spnego.c, over asn1.c):
 *   - fsmb_spnego_parse_init() and fsmb_spnego_parse_resp(): every view
 *     they return lies inside the input;
 *   - a conversation (fsmb_spnego_srv_step()) that starts with the input
 *     and is fed it again while it asks for more (bare NTLMSSP too);
 *   - the input as the client's second token after a NegTokenInit that
 *     puts NTLMSSP second (no optimistic token: step_negotiate());
 *   - the input as the AUTHENTICATE token after Samba's recorded
 *     NegTokenInit and CHALLENGE (step_authenticate(), the mechListMIC).
 * Every token fsmbd answers with must parse as a NegTokenResp again.
 */
#include <string.h>

#include "fuzz.h"
#include "ntstatus.h"
#include "spnego.h"
#include "vectors.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* NegTokenInit, mechTypes { Kerberos (1.2.840.113554.1.2.2), NTLMSSP }. */
static const uint8_t init_krb5_first[] = {
	0x60, 0x27, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02,
	0xa0, 0x1d, 0x30, 0x1b, 0xa0, 0x19, 0x30, 0x17,
	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02,
	0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02,
	0x0a,
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_vectors_init();
	return 0;
}

static bool inside(const uint8_t *p, size_t n, const uint8_t *buf, size_t len)
{
	return p >= buf && n <= len && (size_t)(p - buf) <= len - n;
}

static void parse(const uint8_t *in, size_t len)
{
	struct fsmb_spnego_init ini;
	struct fsmb_spnego_resp r;

	if (fsmb_spnego_parse_init(in, len, &ini) == 0) {
		fuzz_check(inside(ini.mech_types, ini.mech_types_len, in, len));
		fuzz_check(ini.mech_types_len <= FSMB_SPNEGO_MAX_MECH_TYPES);
		fuzz_check(!ini.mech_token ||
			   inside(ini.mech_token, ini.mech_token_len, in, len));
	}
	if (fsmb_spnego_parse_resp(in, len, &r) == 0) {
		fuzz_check(r.neg_state >= FSMB_SPNEGO_NO_STATE &&
			   r.neg_state <= FSMB_SPNEGO_REQUEST_MIC);
		fuzz_check(!r.token || inside(r.token, r.token_len, in, len));
		fuzz_check(!r.mic || inside(r.mic, r.mic_len, in, len));
	}
}

/* One step; what the server answers must be a NegTokenResp. */
static uint32_t step(struct fsmb_spnego_srv *s, const uint8_t *in, size_t len)
{
	struct fsmb_spnego_resp r;
	uint8_t *out;
	size_t out_len;
	uint32_t status;

	status = fsmb_spnego_srv_step(s, in, len, &out, &out_len);
	fuzz_check(status == FSMB_STATUS_SUCCESS ||
		   status == FSMB_STATUS_MORE_PROCESSING_REQUIRED ||
		   status == FSMB_STATUS_LOGON_FAILURE ||
		   status == FSMB_STATUS_INVALID_PARAMETER);
	fuzz_check(out || !out_len);
	if (out && !s->raw && len) {
		fuzz_check(fsmb_spnego_parse_resp(out, out_len, &r) == 0);
		if (status == FSMB_STATUS_SUCCESS)
			fuzz_check(r.neg_state == FSMB_SPNEGO_ACCEPT_COMPLETED);
	}
	if (status != FSMB_STATUS_MORE_PROCESSING_REQUIRED)
		fuzz_check(s->stage == FSMB_SPNEGO_DONE);
	free(out);
	return status;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *in = fuzz_dup(data, size);
	struct fsmb_spnego_srv s;
	int i;

	parse(in, size);

	fsmb_spnego_srv_init(&s, &fuzz_nconf);
	for (i = 0; i < 3; i++)
		if (step(&s, in, size) != FSMB_STATUS_MORE_PROCESSING_REQUIRED)
			break;
	fsmb_spnego_srv_free(&s);

	fsmb_spnego_srv_init(&s, &fuzz_nconf);
	if (step(&s, init_krb5_first, sizeof(init_krb5_first)) !=
	    FSMB_STATUS_MORE_PROCESSING_REQUIRED ||
	    s.stage != FSMB_SPNEGO_WANT_NEGOTIATE)
		abort();
	step(&s, in, size);
	fsmb_spnego_srv_free(&s);

	fsmb_spnego_srv_init(&s, &fuzz_nconf_anon);
	if (step(&s, vec_samba_init.p, vec_samba_init.len) !=
	    FSMB_STATUS_MORE_PROCESSING_REQUIRED)
		abort();
	fuzz_force_challenge(&s.ntlm, &vec_samba_challenge);
	step(&s, in, size);
	fsmb_spnego_srv_free(&s);

	free(in);
	return 0;
}

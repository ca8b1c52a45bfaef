// SPDX-License-Identifier: GPL-2.0
/* See vectors.h; the recorded hex is in tests/common/ntlmssp_vectors.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ntlmssp_vectors.h"
#include "users.h"
#include "utf16.h"
#include "vectors.h"

static const char spec_negotiate_hex[] =
	"4e544c4d5353500001000000978208e200000000000000000000000000000000"
	"0a0000000000000f";

struct fuzz_vec vec_spec_negotiate, vec_spec_challenge, vec_spec_authenticate;
struct fuzz_vec vec_samba_init, vec_samba_resp1, vec_samba_auth;
struct fuzz_vec vec_samba_negotiate, vec_samba_challenge;

static uint8_t hash_user[16], hash_alice[16];

static int lookup(void *arg, const char *user, char *canon, size_t canon_size,
		  uint8_t hash[FSMB_NTLMSSP_KEY_LEN])
{
	static const char *const names[] = { "User", "alice" };
	const uint8_t *hashes[] = { hash_user, hash_alice };
	size_t i;

	for (i = 0; i < 2; i++) {
		if (fsmb_utf8_name_eq(user, names[i])) {
			if (strlen(names[i]) >= canon_size)
				return -EINVAL;
			strcpy(canon, names[i]);
			memcpy(hash, hashes[i], 16);
			return 0;
		}
	}
	return -ENOENT;
}

const struct fsmb_ntlmssp_conf fuzz_nconf = {
	.netbios_name = "FSMBVM",
	.workgroup = "WORKGROUP",
	.dns_name = "fsmbvm.example",
	.dns_domain = "example",
	.allow_anonymous = false,
	.lookup = lookup,
};

const struct fsmb_ntlmssp_conf fuzz_nconf_anon = {
	.netbios_name = "FSMBVM",
	.workgroup = "WORKGROUP",
	.dns_name = "fsmbvm.example",
	.dns_domain = "",
	.allow_anonymous = true,
	.lookup = lookup,
};

static void unhex(const char *s, struct fuzz_vec *v)
{
	size_t n = strlen(s) / 2, i;

	v->p = malloc(n);
	if (!v->p)
		abort();
	for (i = 0; i < n; i++) {
		unsigned int b;

		if (sscanf(s + 2 * i, "%2x", &b) != 1)
			abort();
		v->p[i] = (uint8_t)b;
	}
	v->len = n;
}

/* The NTLMSSP message inside a SPNEGO token (the first "NTLMSSP\0"). */
static void inner(const struct fuzz_vec *tok, size_t len, struct fuzz_vec *v)
{
	const uint8_t *p = memmem(tok->p, tok->len, "NTLMSSP", 8);

	if (!p || (size_t)(p - tok->p) + len > tok->len)
		abort();
	v->p = malloc(len);
	if (!v->p)
		abort();
	memcpy(v->p, p, len);
	v->len = len;
}

void fuzz_vectors_init(void)
{
	unhex(spec_negotiate_hex, &vec_spec_negotiate);
	unhex(spec_challenge_hex, &vec_spec_challenge);
	unhex(spec_authenticate_hex, &vec_spec_authenticate);
	unhex(samba_init_hex, &vec_samba_init);
	unhex(samba_resp1_hex, &vec_samba_resp1);
	unhex(samba_auth_hex, &vec_samba_auth);
	/* OCTET STRING lengths in the recorded tokens: 0x28 and 0xa6. */
	inner(&vec_samba_init, 0x28, &vec_samba_negotiate);
	inner(&vec_samba_resp1, 0xa6, &vec_samba_challenge);
	if (fsmb_nt_hash("Password", hash_user) ||
	    fsmb_nt_hash("secret", hash_alice))
		abort();
}

void fuzz_force_challenge(struct fsmb_ntlmssp *n, const struct fuzz_vec *chal)
{
	free(n->challenge_msg);
	n->challenge_msg = malloc(chal->len);
	if (!n->challenge_msg)
		abort();
	memcpy(n->challenge_msg, chal->p, chal->len);
	n->challenge_len = chal->len;
	memcpy(n->challenge, chal->p + 24, 8);
	n->flags = (uint32_t)chal->p[20] | (uint32_t)chal->p[21] << 8 |
		   (uint32_t)chal->p[22] << 16 | (uint32_t)chal->p[23] << 24;
}

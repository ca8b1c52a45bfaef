// SPDX-License-Identifier: GPL-2.0
/* See vectors.h; the hex is copied from tests/unit/test_ntlmssp.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "users.h"
#include "utf16.h"
#include "vectors.h"

static const char spec_negotiate_hex[] =
	"4e544c4d5353500001000000978208e200000000000000000000000000000000"
	"0a0000000000000f";
static const char spec_challenge_hex[] =
	"4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef"
	"00000000000000002400240044000000060070170000000f5300650072007600"
	"6500720002000c0044006f006d00610069006e0001000c005300650072007600"
	"6500720000000000";
static const char spec_authenticate_hex[] =
	"4e544c4d5353500003000000180018006c00000054005400840000000c000c00"
	"480000000800080054000000100010005c00000010001000d8000000358288e2"
	"0501280a0000000f44006f006d00610069006e00550073006500720043004f00"
	"4d0050005500540045005200"
	"86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa"
	"68cd0ab851e51c96aabc927bebef6a1c0101000000000000"
	"0000000000000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d006100"
	"69006e0001000c005300650072007600650072000000000000000000"
	"c5dad2544fc9799094ce1ce90bc9d03e";
static const char samba_init_hex[] =
	"604806062b0601050502a03e303ca00e300c060a2b06010401823702020aa22a"
	"04284e544c4d5353500001000000158208620000000028000000000000002800"
	"0000060100000000000f";
static const char samba_resp1_hex[] =
	"a181c23081bfa0030a0101a10c060a2b06010401823702020aa281a90481a64e"
	"544c4d53535000020000000c000c003800000015828a62e1318e2b35722b8b00"
	"0000000000000062006200440000000601b11d0000000f460053004d00420056"
	"004d0002000c00460053004d00420056004d0001000c00460053004d00420056"
	"004d0004000e006500780061006d0070006c00650003001c00660073006d0062"
	"0076006d002e006500780061006d0070006c00650007000800564d9e37f179dd"
	"0100000000";
static const char samba_auth_hex[] =
	"a18201c0308201bca28201a4048201a04e544c4d535350000300000018001800"
	"58000000f800f8007000000012001200680100000a000a007a0100000c000c00"
	"84010000100010009001000015820862060100000000000fb6830b195b70e4dd"
	"c641ff047f48cff4000000000000000000000000000000000000000000000000"
	"0c86e1e3b176f028cd9e72c392da9d300101000000000000564d9e37f179dd01"
	"497b335f2a0320710000000002000c00460053004d00420056004d0001000c00"
	"460053004d00420056004d0004000e006500780061006d0070006c0065000300"
	"1c00660073006d00620076006d002e006500780061006d0070006c0065000700"
	"0800564d9e37f179dd0106000400020000000800300030000000000000000000"
	"000000000000dc9e75f0540e8af480c5f9df1725bc7ec4135ae823e3187f291b"
	"2c84a2e1e04f0a00100000000000000000000000000000000000090016006800"
	"6f00730074002f00660073006d00620076006d000000000057004f0052004b00"
	"470052004f005500500061006c0069006300650043004c00490045004e005400"
	"6d90eb464f294b9f52bbb2cc7e40aa01a31204100100000040ce38a54cf5e2ea"
	"00000000";

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

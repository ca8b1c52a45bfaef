// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the DER reader and writer of userspace/fsmbd/asn1.c.
 * The input is walked as a sequence of DER elements with the reader
 * (fsmb_der_peek/read/skip/read_enum/oid_eq), descending into every
 * constructed element up to the writer's nesting limit, and written out
 * again with the writer. The copy is the canonical form: walking it must
 * succeed and give the same bytes again, and it is never longer than the
 * input (the reader accepts only lengths the writer can shorten).
 */
#include <string.h>

#include "asn1.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile int sink;

/* 1.3.6.1.4.1.311.2.2.10 and 1.3.6.1.5.5.2, as spnego.c compares them. */
static const uint8_t oid_ntlmssp[10] = {
	0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a
};
static const uint8_t oid_spnego[6] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 };

/* Returns 0 when all of @buf parsed; *@out_len gets the copy's length. */
static int walk(const uint8_t *buf, size_t len, uint8_t *out, size_t cap,
		ssize_t *out_len)
{
	struct fsmb_der stack[FSMB_DER_MAX_DEPTH];
	struct fsmb_der_writer w;
	unsigned int depth = 0;

	fsmb_der_writer_init(&w, out, cap);
	fsmb_der_init(&stack[0], buf, len);
	for (;;) {
		struct fsmb_der *d = &stack[depth], val, whole, save;
		unsigned int v;
		int tag;

		if (fsmb_der_empty(d)) {
			if (!depth)
				break;
			fsmb_der_end(&w);
			depth--;
			continue;
		}
		tag = fsmb_der_peek(d);
		fuzz_check(tag >= 0 && tag <= 0xff);
		if ((tag & 0x20) && depth + 1 < FSMB_DER_MAX_DEPTH) {
			if (fsmb_der_read(d, (uint8_t)tag, &val, &whole))
				return -1;
			fuzz_check(whole.p == val.p - (whole.len - val.len));
			fsmb_der_begin(&w, (uint8_t)tag);
			stack[++depth] = val;
			continue;
		}
		if (tag == FSMB_DER_ENUMERATED) {
			save = *d;
			if (fsmb_der_read_enum(d, &v) == 0) {
				fuzz_check(v <= 0x7f);
				fsmb_der_put_enum(&w, v);
				continue;
			}
			fuzz_check(d->p == save.p && d->len == save.len);
		}
		if (tag == 0x05) {		/* NULL: skipped, written empty */
			if (fsmb_der_skip(d))
				return -1;
			fsmb_der_put(&w, 0x05, NULL, 0);
			continue;
		}
		save = *d;
		if (fsmb_der_read(d, (uint8_t)tag, &val, NULL)) {
			fuzz_check(d->p == save.p && d->len == save.len);
			return -1;
		}
		if (tag == FSMB_DER_OID)
			sink = fsmb_der_oid_eq(&val, oid_ntlmssp,
					       sizeof(oid_ntlmssp)) +
			       fsmb_der_oid_eq(&val, oid_spnego,
					       sizeof(oid_spnego));
		fsmb_der_put(&w, (uint8_t)tag, val.p, val.len);
	}
	*out_len = fsmb_der_finish(&w);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *in = fuzz_dup(data, size);
	uint8_t *out1 = malloc(size + 1), *out2 = malloc(size + 1);
	ssize_t n1, n2;

	if (!out1 || !out2)
		abort();
	if (walk(in, size, out1, size, &n1) == 0) {
		/* The canonical form fits where the input did. */
		fuzz_check(n1 >= 0 && (size_t)n1 <= size);
		fuzz_check(walk(out1, n1, out2, n1, &n2) == 0);
		fuzz_check(n2 == n1 && !memcmp(out1, out2, n1));
	}
	free(out2);
	free(out1);
	free(in);
	return 0;
}

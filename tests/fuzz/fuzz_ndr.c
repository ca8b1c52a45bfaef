// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the NDR pull cursor of userspace/fsmbd/ndr.c, which
 * the RPC servers read client stubs with. The input is a small program and
 * its data:
 *   byte 0      bit 0: big-endian data (drep)
 *   byte 1      n, the number of operations
 *   n bytes     operations: low nibble the call, high nibble its argument
 *   the rest    the NDR stream
 * Every pull function is reached. Checked: the cursor never runs past its
 * buffer, errors are sticky (nothing moves once one happened, remaining is
 * 0), failed pulls give zeroes, a conformance never claims more elements
 * than bytes remain, and every string pulled is pushed back with the push
 * cursor and pulled again unchanged.
 */
#include <string.h>

#include "fuzz.h"
#include "ndr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const size_t aligns[16] = { 1, 2, 4, 8, 0, 3, 16, 5, 1, 2, 4, 8,
				   8, 4, 2, 1 };
static const uint32_t max_units[16] = { 0, 1, 2, 3, 16, 255, 256, 1024,
					65535, 65536, 0x7fffffff, 0xffffffff,
					4, 8, 32, 100 };

/* Push @s as a [string] and pull it back: the same string. */
static void roundtrip(const char *s)
{
	struct fsmb_ndr_push w;
	struct fsmb_ndr_pull r;
	char *back;

	fsmb_ndr_push_init(&w, 1 << 20);
	fsmb_ndr_push_u8(&w, 1);		/* something to align after */
	fsmb_ndr_push_align(&w, 4);
	fuzz_check(fsmb_ndr_push_wstring(&w, s) == 0);
	fsmb_ndr_pull_init(&r, w.data, w.len, false);
	fsmb_ndr_pull_skip(&r, 4);
	fuzz_check(fsmb_ndr_pull_wstring(&r, &back, 0xffffffff) == 0);
	fuzz_check(!strcmp(back, s));
	fuzz_check(fsmb_ndr_pull_remaining(&r) == 0);
	free(back);
	fsmb_ndr_push_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fsmb_ndr_pull p;
	size_t nops, i, ofs_before;
	const uint8_t *ops;
	uint8_t *stream;
	int err_before;

	if (size < 2)
		return 0;
	nops = data[1];
	if (nops > size - 2)
		nops = size - 2;
	ops = data + 2;
	stream = fuzz_dup(data + 2 + nops, size - 2 - nops);
	fsmb_ndr_pull_init(&p, stream, size - 2 - nops, data[0] & 1);

	for (i = 0; i < nops; i++) {
		unsigned int arg = ops[i] >> 4;
		uint8_t u8v = 0xaa, bytes[16];
		uint16_t u16v = 0xaaaa;
		uint32_t u32v = 0xaaaaaaaa;
		uint64_t u64v = ~0ULL;
		struct fsmb_uuid uuid;
		bool first;
		char *s;
		int ret = 0;

		err_before = fsmb_ndr_pull_error(&p);
		ofs_before = p.ofs;
		switch (ops[i] & 0x0f) {
		case 0:
			ret = fsmb_ndr_pull_u8(&p, &u8v);
			fuzz_check(!ret || !u8v);
			break;
		case 1:
			ret = fsmb_ndr_pull_u16(&p, &u16v);
			fuzz_check(!ret || !u16v);
			break;
		case 2:
			ret = fsmb_ndr_pull_u32(&p, &u32v);
			fuzz_check(!ret || !u32v);
			break;
		case 3:
			ret = fsmb_ndr_pull_u64(&p, &u64v);
			fuzz_check(!ret || !u64v);
			break;
		case 4:
			ret = fsmb_ndr_pull_align(&p, aligns[arg]);
			break;
		case 5:
			ret = fsmb_ndr_pull_skip(&p, arg * 3);
			break;
		case 6:
			ret = fsmb_ndr_pull_bytes(&p, bytes, arg);
			break;
		case 7:
			ret = fsmb_ndr_pull_uuid(&p, &uuid);
			break;
		case 8:
			ret = fsmb_ndr_pull_unique_ptr(&p, &u32v);
			break;
		case 9:
			ret = fsmb_ndr_pull_full_ptr(&p, &u32v, &first);
			fuzz_check(!first || (!ret && u32v));
			fuzz_check(p.nfull <= FSMB_NDR_MAX_FULL_PTRS);
			break;
		case 10:
			ret = fsmb_ndr_pull_conformance(&p, &u32v, arg);
			if (!ret && arg)
				fuzz_check((uint64_t)u32v * arg <=
					   fsmb_ndr_pull_remaining(&p));
			break;
		case 11:
			ret = fsmb_ndr_pull_wstring(&p, &s, max_units[arg]);
			if (!ret) {
				fuzz_check(s != NULL);
				fuzz_check(strlen(s) <= 3 * (size_t)max_units[arg]);
				roundtrip(s);
				free(s);
			} else {
				fuzz_check(s == NULL);
			}
			break;
		case 12:
			ret = fsmb_ndr_pull_wstring(&p, NULL, max_units[arg]);
			break;
		default:
			fuzz_check(fsmb_ndr_pull_remaining(&p) ==
				   (p.err ? 0 : p.len - p.ofs));
			break;
		}
		fuzz_check(p.ofs <= p.len);
		fuzz_check(ret == 0 || ret == fsmb_ndr_pull_error(&p));
		if (err_before) {
			/* Sticky: the first error stays and nothing moves. */
			fuzz_check(fsmb_ndr_pull_error(&p) == err_before);
			fuzz_check(p.ofs == ofs_before);
		}
		if (fsmb_ndr_pull_error(&p))
			fuzz_check(fsmb_ndr_pull_remaining(&p) == 0);
	}
	free(stream);
	return 0;
}

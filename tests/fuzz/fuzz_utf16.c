// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the name conversions of kernel/proto/utf16.c, both
 * ways, on the same input bytes:
 *   - as UTF-16LE: fsmb_utf16_to_utf8() and fsmb_cur_utf16() with a roomy,
 *     an exact and a short output buffer; what converts must convert back
 *     (fsmb_utf8_utf16_len(), fsmb_utf8_to_utf16()) to the same bytes;
 *   - as UTF-8 (names on disk): fsmb_utf8_utf16_len(),
 *     fsmb_utf8_to_utf16() into a buffer of exactly the size it needs and
 *     one byte less, fsmb_utf8_to_utf16_trunc() with limits taken from
 *     the input; valid UTF-8 must come back unchanged.
 */
#include "smb2_cmds.h"
#include "proto/path.h"
#include "proto/utf16.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* UTF-8 @s of @n bytes back to UTF-16: the same as @src? */
static void back_to_utf16(const char *s, size_t n, const uint8_t *src,
			  size_t src_bytes)
{
	struct fsmb_wcur w;
	uint8_t *buf = malloc(src_bytes ? src_bytes : 1);

	if (!buf)
		abort();
	fuzz_check(fsmb_utf8_utf16_len(s, n) == (int)src_bytes);
	fsmb_wcur_init(&w, buf, src_bytes);
	fuzz_check(fsmb_utf8_to_utf16(s, n, &w) == (int)src_bytes);
	fuzz_check(w.pos == src_bytes && !memcmp(buf, src, src_bytes));
	free(buf);
}

static void from_utf16(const uint8_t *src, size_t bytes)
{
	size_t sizes[3], i;
	int first = 0;

	sizes[0] = FSMB_PATH_MAX;
	sizes[1] = FSMB_UTF16_TO_UTF8_MAX(bytes) + 1;
	sizes[2] = bytes / 2 + 1;
	for (i = 0; i < 3; i++) {
		struct fsmb_cur c;
		char *dst = malloc(sizes[i]);
		int n, m;

		if (!dst)
			abort();
		n = fsmb_utf16_to_utf8(src, bytes, dst, sizes[i]);
		if (n >= 0) {
			fuzz_check((size_t)n < sizes[i]);
			fuzz_check(strlen(dst) == (size_t)n);
			fuzz_check((size_t)n <= FSMB_UTF16_TO_UTF8_MAX(bytes));
			back_to_utf16(dst, n, src, bytes);
		} else {
			fuzz_check(n == -EINVAL || n == -ENAMETOOLONG);
		}
		/* The exact-size buffer always has room. */
		if (i == 1)
			fuzz_check(n != -ENAMETOOLONG);
		if (i == 0)
			first = n;
		else if (n >= 0)
			fuzz_check(n == first || first == -ENAMETOOLONG);
		fsmb_cur_init(&c, src, bytes);
		m = fsmb_cur_utf16(&c, bytes, dst, sizes[i]);
		fuzz_check(m == n);
		free(dst);
	}
}

static void from_utf8(const char *src, size_t len, size_t limit)
{
	int need = fsmb_utf8_utf16_len(src, len);
	size_t cap = need > 0 ? (size_t)need : 1, got;
	struct fsmb_wcur w;
	uint8_t *buf = malloc(cap);
	char *back;

	if (!buf)
		abort();
	fsmb_wcur_init(&w, buf, cap);
	if (need < 0) {
		fuzz_check(need == -EINVAL);
		fuzz_check(fsmb_utf8_to_utf16(src, len, &w) == -EINVAL);
		fuzz_check(w.pos == 0 && !w.err);
	} else {
		fuzz_check(need % 2 == 0 && (size_t)need <= len * 2);
		fuzz_check(fsmb_utf8_to_utf16(src, len, &w) == need);
		fuzz_check(w.pos == (size_t)need);
		back = malloc(len + 1);
		if (!back)
			abort();
		fuzz_check(fsmb_utf16_to_utf8(buf, need, back, len + 1) ==
			   (int)len);
		fuzz_check(!memcmp(back, src, len));
		free(back);
		/* One byte short: an error, nothing written past the end. */
		if (need) {
			fsmb_wcur_init(&w, buf, need - 1);
			fuzz_check(fsmb_utf8_to_utf16(src, len, &w) == -ENOSPC);
			fuzz_check(w.err);
		}
	}
	/* Truncating: whole code points, never more than @limit. */
	fsmb_wcur_init(&w, buf, cap);
	got = fsmb_utf8_to_utf16_trunc(src, len, &w, limit);
	fuzz_check(got <= limit && got <= cap && got % 2 == 0);
	fuzz_check(w.pos == got && !w.err);
	if (need >= 0 && limit >= (size_t)need)
		fuzz_check(got == (size_t)need);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = fuzz_dup(data, size);

	from_utf16(copy, size);
	from_utf8((const char *)copy, size, size ? copy[0] * 2u : 0);
	from_utf8((const char *)copy, size, size);
	free(copy);
	return 0;
}

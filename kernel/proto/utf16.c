// SPDX-License-Identifier: GPL-2.0
/* UTF-16LE <-> UTF-8 conversion of names. */
#include "utf16.h"

#define UTF16_SURR_MASK	0xFC00
#define UTF16_HIGH	0xD800
#define UTF16_LOW	0xDC00

int fsmb_utf16_to_utf8(const u8 *src, size_t src_bytes, char *dst,
		       size_t dst_size)
{
	size_t i, o = 0;

	if (src_bytes & 1)
		return -EINVAL;
	if (!dst_size)
		return -ENAMETOOLONG;
	for (i = 0; i < src_bytes; i += 2) {
		u32 cp = get_unaligned_le16(src + i);
		u8 enc[4];
		size_t n;

		if (!cp)
			return -EINVAL;
		if ((cp & UTF16_SURR_MASK) == UTF16_LOW)
			return -EINVAL;
		if ((cp & UTF16_SURR_MASK) == UTF16_HIGH) {
			u32 lo;

			if (src_bytes - i < 4)
				return -EINVAL;
			lo = get_unaligned_le16(src + i + 2);
			if ((lo & UTF16_SURR_MASK) != UTF16_LOW)
				return -EINVAL;
			cp = 0x10000 + ((cp - UTF16_HIGH) << 10) +
			     (lo - UTF16_LOW);
			i += 2;
		}
		if (cp < 0x80) {
			enc[0] = cp;
			n = 1;
		} else if (cp < 0x800) {
			enc[0] = 0xC0 | cp >> 6;
			enc[1] = 0x80 | (cp & 0x3F);
			n = 2;
		} else if (cp < 0x10000) {
			enc[0] = 0xE0 | cp >> 12;
			enc[1] = 0x80 | ((cp >> 6) & 0x3F);
			enc[2] = 0x80 | (cp & 0x3F);
			n = 3;
		} else {
			enc[0] = 0xF0 | cp >> 18;
			enc[1] = 0x80 | ((cp >> 12) & 0x3F);
			enc[2] = 0x80 | ((cp >> 6) & 0x3F);
			enc[3] = 0x80 | (cp & 0x3F);
			n = 4;
		}
		/* Keep one byte for the terminator. */
		if (n > dst_size - 1 - o)
			return -ENAMETOOLONG;
		memcpy(dst + o, enc, n);
		o += n;
	}
	dst[o] = '\0';
	return (int)o;
}

int fsmb_cur_utf16(struct fsmb_cur *c, size_t bytes, char *dst,
		   size_t dst_size)
{
	const u8 *p = fsmb_cur_take(c, bytes);

	if (!p && bytes)
		return -EINVAL;
	return fsmb_utf16_to_utf8(p, bytes, dst, dst_size);
}

/*
 * Decode the code point at @s[*i] and advance @i. Returns the code point
 * or -1 for anything that is not the shortest encoding of a scalar value.
 */
static s32 utf8_next(const u8 *s, size_t len, size_t *i)
{
	static const u32 min_cp[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n, k, at = *i;
	u8 b = s[at];
	u32 cp;

	if (b < 0x80) {
		n = 1;
		cp = b;
	} else if ((b & 0xE0) == 0xC0) {
		n = 2;
		cp = b & 0x1F;
	} else if ((b & 0xF0) == 0xE0) {
		n = 3;
		cp = b & 0x0F;
	} else if ((b & 0xF8) == 0xF0) {
		n = 4;
		cp = b & 0x07;
	} else {
		return -1;
	}
	if (len - at < n)
		return -1;
	for (k = 1; k < n; k++) {
		if ((s[at + k] & 0xC0) != 0x80)
			return -1;
		cp = cp << 6 | (s[at + k] & 0x3F);
	}
	if (cp < min_cp[n] || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0)
		return -1;
	*i = at + n;
	return (s32)cp;
}

int fsmb_utf8_utf16_len(const char *src, size_t len)
{
	const u8 *s = (const u8 *)src;
	size_t i = 0, out = 0;

	while (i < len) {
		s32 cp = utf8_next(s, len, &i);

		if (cp < 0)
			return -EINVAL;
		out += cp >= 0x10000 ? 4 : 2;
	}
	/* A name this long is far past every limit the callers apply. */
	if (out > 0x7FFFFFFF)
		return -EINVAL;
	return (int)out;
}

int fsmb_utf8_to_utf16(const char *src, size_t len, struct fsmb_wcur *w)
{
	const u8 *s = (const u8 *)src;
	int need = fsmb_utf8_utf16_len(src, len);
	size_t i = 0;

	if (need < 0)
		return need;
	if ((size_t)need > fsmb_wcur_room(w)) {
		w->err = true;
		return -ENOSPC;
	}
	while (i < len) {
		u32 cp = (u32)utf8_next(s, len, &i);

		if (cp >= 0x10000) {
			cp -= 0x10000;
			fsmb_wcur_le16(w, UTF16_HIGH | cp >> 10);
			fsmb_wcur_le16(w, UTF16_LOW | (cp & 0x3FF));
		} else {
			fsmb_wcur_le16(w, cp);
		}
	}
	return need;
}

size_t fsmb_utf8_to_utf16_trunc(const char *src, size_t len,
				struct fsmb_wcur *w, size_t max)
{
	const u8 *s = (const u8 *)src;
	size_t i = 0, out = 0;

	if (max > fsmb_wcur_room(w))
		max = fsmb_wcur_room(w);
	while (i < len) {
		s32 cp = utf8_next(s, len, &i);

		if (cp < 0)
			break;
		if (cp >= 0x10000) {
			if (max - out < 4)
				break;
			cp -= 0x10000;
			fsmb_wcur_le16(w, UTF16_HIGH | cp >> 10);
			fsmb_wcur_le16(w, UTF16_LOW | (cp & 0x3FF));
			out += 4;
		} else {
			if (max - out < 2)
				break;
			fsmb_wcur_le16(w, cp);
			out += 2;
		}
	}
	return out;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * UTF-8 <-> UTF-16LE and the upper-casing NTLM needs. Both conversions are
 * strict (no overlong forms, no surrogate code points, no unpaired
 * surrogates, no NUL) so a name can never change meaning on the way through.
 */
#include <string.h>

#include "utf16.h"

#define FSMB_SURR_MASK	0xFC00
#define FSMB_SURR_HIGH	0xD800
#define FSMB_SURR_LOW	0xDC00

/*
 * Decode the code point at @s[*i] (@len bytes in all) and advance *@i.
 * Returns -1 for anything but the shortest encoding of a non-NUL scalar
 * value.
 */
static int32_t fsmb_utf8_next(const uint8_t *s, size_t len, size_t *i)
{
	static const uint32_t min_cp[] = { 0, 1, 0x80, 0x800, 0x10000 };
	size_t n, k, at = *i;
	uint32_t cp;

	if (s[at] < 0x80) {
		n = 1;
		cp = s[at];
	} else if ((s[at] & 0xE0) == 0xC0) {
		n = 2;
		cp = s[at] & 0x1F;
	} else if ((s[at] & 0xF0) == 0xE0) {
		n = 3;
		cp = s[at] & 0x0F;
	} else if ((s[at] & 0xF8) == 0xF0) {
		n = 4;
		cp = s[at] & 0x07;
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
	if (cp < min_cp[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*i = at + n;
	return (int32_t)cp;
}

ssize_t fsmb_utf8_to_utf16le(const char *s, size_t len, uint8_t *out,
			     size_t cap)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t i = 0, o = 0;

	while (i < len) {
		int32_t cp = fsmb_utf8_next(u, len, &i);
		uint32_t hi, lo;

		if (cp < 0)
			return -1;
		if (cp < 0x10000) {
			if (cap - o < 2)
				return -1;
			out[o++] = cp & 0xFF;
			out[o++] = cp >> 8;
			continue;
		}
		if (cap - o < 4)
			return -1;
		hi = FSMB_SURR_HIGH | ((uint32_t)(cp - 0x10000) >> 10);
		lo = FSMB_SURR_LOW | ((uint32_t)(cp - 0x10000) & 0x3FF);
		out[o++] = hi & 0xFF;
		out[o++] = hi >> 8;
		out[o++] = lo & 0xFF;
		out[o++] = lo >> 8;
	}
	return (ssize_t)o;
}

ssize_t fsmb_utf16le_to_utf8(const uint8_t *in, size_t len, char *out,
			     size_t cap)
{
	size_t i, o = 0;

	if ((len & 1) || !cap)
		return -1;
	for (i = 0; i < len; i += 2) {
		uint32_t cp = in[i] | (uint32_t)in[i + 1] << 8;
		uint8_t enc[4];
		size_t n;

		if (!cp || (cp & FSMB_SURR_MASK) == FSMB_SURR_LOW)
			return -1;
		if ((cp & FSMB_SURR_MASK) == FSMB_SURR_HIGH) {
			uint32_t lo;

			if (len - i < 4)
				return -1;
			lo = in[i + 2] | (uint32_t)in[i + 3] << 8;
			if ((lo & FSMB_SURR_MASK) != FSMB_SURR_LOW)
				return -1;
			cp = 0x10000 + ((cp - FSMB_SURR_HIGH) << 10) +
			     (lo - FSMB_SURR_LOW);
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
		if (n > cap - 1 - o)
			return -1;
		memcpy(out + o, enc, n);
		o += n;
	}
	out[o] = '\0';
	return (ssize_t)o;
}

/*
 * Simple upper-case mapping of one BMP code unit, for the blocks user and
 * share names are written in: Basic Latin, Latin-1 Supplement, Latin
 * Extended-A, the Greek alphabet and Cyrillic (with Cyrillic Supplement).
 * towupper() would depend on the process locale, which must not change
 * whether an NTLMv2 response verifies. Other characters map to themselves.
 */
static uint16_t fsmb_upper_unit(uint16_t c)
{
	if (c < 0x80)
		return c >= 'a' && c <= 'z' ? c - 0x20 : c;
	if (c < 0x100) {
		if (c == 0xB5)
			return 0x039C;	/* MICRO SIGN -> GREEK CAPITAL MU */
		if (c == 0xFF)
			return 0x0178;
		if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
			return c - 0x20;
		return c;
	}
	if (c < 0x180) {
		/*
		 * Case pairs: the capital is on the even code point, except in
		 * 0x139..0x148 and 0x179..0x17E where it is on the odd one.
		 */
		if (c == 0x131)
			return 'I';
		if (c == 0x17F)
			return 'S';
		if ((c <= 0x137 || (c >= 0x14A && c <= 0x177)) && (c & 1))
			return c - 1;
		if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) &&
		    !(c & 1))
			return c - 1;
		return c;
	}
	if (c >= 0x3AC && c <= 0x3CE) {
		if (c == 0x3AC)
			return 0x386;
		if (c <= 0x3AF)
			return c - 0x25;	/* έ ή ί -> Έ Ή Ί */
		if (c == 0x3B0)
			return c;
		if (c == 0x3C2)
			return 0x3A3;	/* final sigma */
		if (c <= 0x3CB)
			return c - 0x20;
		if (c == 0x3CC)
			return 0x38C;
		return c - 0x3F;	/* ύ ώ -> Ύ Ώ */
	}
	if (c >= 0x430 && c <= 0x44F)
		return c - 0x20;
	if (c >= 0x450 && c <= 0x45F)
		return c - 0x50;
	if (((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) ||
	     (c >= 0x4D0 && c <= 0x52F)) && (c & 1))
		return c - 1;
	if (c >= 0x4C1 && c <= 0x4CE && !(c & 1))
		return c - 1;
	if (c == 0x4CF)
		return 0x4C0;
	return c;
}

void fsmb_utf16le_upper(uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		uint16_t c = fsmb_upper_unit(buf[i] | buf[i + 1] << 8);

		buf[i] = c & 0xFF;
		buf[i + 1] = c >> 8;
	}
}

bool fsmb_utf8_name_eq(const char *a, const char *b)
{
	const uint8_t *ua = (const uint8_t *)a, *ub = (const uint8_t *)b;
	size_t la = strlen(a), lb = strlen(b), i = 0, j = 0;

	while (i < la && j < lb) {
		int32_t ca = fsmb_utf8_next(ua, la, &i);
		int32_t cb = fsmb_utf8_next(ub, lb, &j);

		if (ca < 0 || cb < 0)
			return false;
		if (ca < 0x10000)
			ca = fsmb_upper_unit(ca);
		if (cb < 0x10000)
			cb = fsmb_upper_unit(cb);
		if (ca != cb)
			return false;
	}
	return i == la && j == lb;
}

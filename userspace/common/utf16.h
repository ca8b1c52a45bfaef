/* SPDX-License-Identifier: GPL-2.0 */
/* UTF-8 <-> UTF-16LE for the daemon and the admin tool. */
#ifndef FSMB_UTF16_H
#define FSMB_UTF16_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * UTF-8 @s (@len bytes, no NUL needed) to UTF-16LE in @out. Returns the
 * bytes written, or -1 on invalid UTF-8 (overlong forms, surrogate code
 * points and U+0000 included) or when @cap is too small.
 */
ssize_t fsmb_utf8_to_utf16le(const char *s, size_t len, uint8_t *out,
			     size_t cap);
/*
 * UTF-16LE @in (@len bytes) to NUL-terminated UTF-8 in @out. Returns the
 * length without the NUL, or -1 on unpaired surrogates, an embedded U+0000
 * (it would cut the C string short), odd @len or when @cap is too small.
 */
ssize_t fsmb_utf16le_to_utf8(const uint8_t *in, size_t len, char *out,
			     size_t cap);
/*
 * Upper-case UTF-16LE in place, as NTLMv2 does to the user name. Unicode
 * simple case mapping, locale-independent, for Basic Latin, Latin-1, Latin
 * Extended-A, the Greek alphabet (U+0386..U+03CE) and Cyrillic
 * (U+0400..U+052F); every other code unit, surrogates included, is kept.
 */
void fsmb_utf16le_upper(uint8_t *buf, size_t len);
/*
 * Case-insensitive equality of two NUL-terminated UTF-8 names, with the
 * mapping of fsmb_utf16le_upper() (user and share names are compared this
 * way). Invalid UTF-8 equals nothing.
 */
bool fsmb_utf8_name_eq(const char *a, const char *b);

#endif /* FSMB_UTF16_H */

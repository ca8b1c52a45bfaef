/* SPDX-License-Identifier: GPL-2.0 */
/* UTF-8 <-> UTF-16LE for the daemon and the admin tool. */
#ifndef FSMB_UTF16_H
#define FSMB_UTF16_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * UTF-8 @s (@len bytes, no NUL needed) to UTF-16LE in @out. Returns the
 * bytes written, or -1 on invalid UTF-8 or when @cap is too small.
 */
ssize_t fsmb_utf8_to_utf16le(const char *s, size_t len, uint8_t *out,
			     size_t cap);
/*
 * UTF-16LE @in (@len bytes) to NUL-terminated UTF-8 in @out. Returns the
 * length without the NUL, or -1 on unpaired surrogates, odd @len or when
 * @cap is too small.
 */
ssize_t fsmb_utf16le_to_utf8(const uint8_t *in, size_t len, char *out,
			     size_t cap);
/* Upper-case UTF-16LE in place (Unicode simple case mapping of the BMP). */
void fsmb_utf16le_upper(uint8_t *buf, size_t len);

#endif /* FSMB_UTF16_H */

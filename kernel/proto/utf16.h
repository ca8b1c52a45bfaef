/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UTF-16LE (the wire) <-> UTF-8 (the VFS) for names. Both directions
 * validate strictly: an unpaired surrogate, a NUL, an overlong or otherwise
 * malformed UTF-8 sequence is an error, so no name the client sends can
 * turn into a different name on disk, and no on-disk name that cannot
 * round-trip is shown to clients.
 */
#ifndef FSMB_PROTO_UTF16_H
#define FSMB_PROTO_UTF16_H

#include "cursor.h"

/*
 * Worst-case UTF-8 bytes (NUL excluded) for @bytes of UTF-16: a BMP unit
 * gives at most 3 bytes, a surrogate pair (two units) gives 4.
 */
#define FSMB_UTF16_TO_UTF8_MAX(bytes)	((bytes) / 2 * 3)

/**
 * fsmb_utf16_to_utf8 - convert a UTF-16LE name to NUL-terminated UTF-8
 * @src: UTF-16LE bytes (no terminator)
 * @src_bytes: their number; must be even
 * @dst: output buffer
 * @dst_size: its size, the terminating NUL included
 *
 * Return: the UTF-8 length (NUL excluded); -EINVAL for an odd length, a NUL
 * or an unpaired surrogate; -ENAMETOOLONG when @dst is too small.
 */
int fsmb_utf16_to_utf8(const u8 *src, size_t src_bytes, char *dst,
		       size_t dst_size);

/*
 * Take @bytes from @c and convert them as fsmb_utf16_to_utf8() does. A
 * short cursor gives -EINVAL and marks @c failed.
 */
int fsmb_cur_utf16(struct fsmb_cur *c, size_t bytes, char *dst,
		   size_t dst_size);

/**
 * fsmb_utf8_utf16_len - size of a UTF-8 string once converted to UTF-16LE
 * @src: UTF-8 bytes (not necessarily NUL-terminated)
 * @len: their number
 *
 * Return: the UTF-16LE length in bytes, or -EINVAL when @src is not valid
 * UTF-8 (malformed, overlong, surrogate code point, above U+10FFFF, NUL).
 */
int fsmb_utf8_utf16_len(const char *src, size_t len);

/*
 * Write @src as UTF-16LE to @w. Returns the bytes written, -EINVAL for
 * invalid UTF-8 (nothing written) or -ENOSPC when @w is full (@w failed).
 */
int fsmb_utf8_to_utf16(const char *src, size_t len, struct fsmb_wcur *w);

/*
 * Write as many whole code points of @src (valid UTF-8) as fit in @max
 * bytes of @w, for answers that may be cut short (STATUS_BUFFER_OVERFLOW).
 * Returns the bytes written.
 */
size_t fsmb_utf8_to_utf16_trunc(const char *src, size_t len,
				struct fsmb_wcur *w, size_t max);

#endif /* FSMB_PROTO_UTF16_H */

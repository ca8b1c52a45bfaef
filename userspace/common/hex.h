/* SPDX-License-Identifier: GPL-2.0 */
/* Hex text in the daemon's state files (NT hashes, the server GUID). */
#ifndef FSMB_HEX_H
#define FSMB_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Decode exactly 2 * @n hex digits of @hex into @out; 0, or -1 on a non-digit. */
int fsmb_hex_decode(const char *hex, uint8_t *out, size_t n);

#endif /* FSMB_HEX_H */

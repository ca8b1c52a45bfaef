// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: SMB names (kernel/proto/path.c). Byte 0 of the input
 * says how to read the rest, a UTF-16LE name:
 *   bit 7 clear: fsmb_cur_path() / fsmb_path_decode() (bit 0: the
 *     FSMB_PATH_LEADING_SEP_OK a rename target gets), then the invariants
 *     vfs.c relies on: no empty, "." or ".." component, no '\', no
 *     character Windows forbids, no leading or trailing '/';
 *   bit 7 set: fsmb_pattern_decode() as QUERY_DIRECTORY calls it, then
 *     fsmb_pattern_is_literal() and fsmb_name_match() against a few names
 *     and against the raw input bytes (names from disk are matched before
 *     their encoding is checked);
 *   bits 1-3: the output buffer size (0: the size the kernel uses; else
 *     1, 2, 3, 4, 16, 255, 256 bytes).
 */
#include "smb2_cmds.h"
#include "proto/path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const size_t out_sizes[8] = { 0, 1, 2, 3, 4, 16, 255, 256 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fsmb_cur c;
	uint8_t *name;
	size_t out_size;
	char *pattern;
	uint8_t ctl;

	if (!size)
		return 0;
	ctl = data[0];
	data++;
	size--;
	name = fuzz_dup(data, size);
	fsmb_cur_init(&c, name, size);
	out_size = out_sizes[(ctl >> 1) & 7];
	if (!(ctl & 0x80)) {
		fuzz_path(&c, ctl & FSMB_PATH_LEADING_SEP_OK,
			  out_size ? out_size : FSMB_PATH_MAX);
	} else {
		out_size = out_size ? out_size : FSMB_NAME_MAX + 1;
		pattern = malloc(out_size);
		if (!pattern)
			abort();
		if (fsmb_pattern_decode(&c, pattern, out_size) ==
		    STATUS_SUCCESS) {
			fuzz_check(strlen(pattern) < out_size);
			fuzz_pattern_use(pattern, name, size);
		}
		free(pattern);
	}
	free(name);
	return 0;
}

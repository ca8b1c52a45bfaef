// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: QUERY_DIRECTORY request bodies: smb2_query_dir_req_decode(),
 * fsmb_pattern_decode(), wildcard matching with the pattern, and the
 * directory entry encoders over OutputBufferLength bytes.
 * The input is the body; a 64-byte header is put in front (offsets in the
 * body count from it, as on the wire). See smb2_cmds.c.
 */
#include "smb2_cmds.h"

FUZZ_BODY_HARNESS(SMB2_QUERY_DIRECTORY, fuzz_cmd_query_dir)

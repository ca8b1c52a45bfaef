// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: QUERY_INFO request bodies: smb2_query_info_req_decode() and the class
 * encoders (file, file system, security descriptor) over
 * OutputBufferLength bytes.
 * The input is the body; a 64-byte header is put in front (offsets in the
 * body count from it, as on the wire). See smb2_cmds.c.
 */
#include "smb2_cmds.h"

FUZZ_BODY_HARNESS(SMB2_QUERY_INFO, fuzz_cmd_query_info)

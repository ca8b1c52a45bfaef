// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: SET_INFO request bodies: smb2_set_info_req_decode(), then per class
 * smb2_basic_info_decode(), smb2_rename_info_decode() (and the target
 * path), smb2_info_u64_decode().
 * The input is the body; a 64-byte header is put in front (offsets in the
 * body count from it, as on the wire). See smb2_cmds.c.
 */
#include "smb2_cmds.h"

FUZZ_BODY_HARNESS(SMB2_SET_INFO, fuzz_cmd_set_info)

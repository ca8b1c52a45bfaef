// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: IOCTL request bodies: smb2_ioctl_req_decode(), smb2_validate_neg_decode(),
 * smb2_zero_data_decode(), the pipe transceive input, and the response
 * encoders.
 * The input is the body; a 64-byte header is put in front (offsets in the
 * body count from it, as on the wire). See smb2_cmds.c.
 */
#include "smb2_cmds.h"

FUZZ_BODY_HARNESS(SMB2_IOCTL, fuzz_cmd_ioctl)

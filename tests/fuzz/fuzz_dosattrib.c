// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the user.DOSATTRIB record (kernel/proto/dosattrib.c),
 * which a file's owner or another server may have written. The input is
 * the xattr value (vfs.c reads at most FSMB_DOSATTRIB_MAX bytes, the
 * harness takes any length). What decodes must survive
 * fsmb_dosattrib_encode() and a second decode unchanged.
 */
#include "smb2_cmds.h"
#include "proto/dosattrib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fsmb_dosattrib da, again;
	uint8_t rec[FSMB_DOSATTRIB_SIZE];
	struct fsmb_wcur w;
	struct fsmb_cur c;
	uint8_t *copy = fuzz_dup(data, size);
	int ret;

	fsmb_cur_init(&c, copy, size);
	ret = fsmb_dosattrib_decode(&c, &da);
	fuzz_check(ret == 0 || ret == -EINVAL || ret == -EOPNOTSUPP);
	if (ret == 0) {
		fuzz_check(!(da.valid & ~(XATTR_DOSINFO_ATTRIB |
					  XATTR_DOSINFO_CREATE_TIME)));
		fuzz_check(!(da.valid & XATTR_DOSINFO_CREATE_TIME) ||
			   da.create_time);
		fsmb_wcur_init(&w, rec, sizeof(rec));
		fsmb_dosattrib_encode(&w, &da);
		fuzz_check(fsmb_wcur_ok(&w) && w.pos == sizeof(rec));
		fsmb_cur_init(&c, rec, sizeof(rec));
		fuzz_check(fsmb_dosattrib_decode(&c, &again) == 0);
		fuzz_check(again.valid == da.valid &&
			   again.attrib == da.attrib &&
			   again.create_time == da.create_time);
	}
	free(copy);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the configuration parser (userspace/common/config.c).
 * Not client-controlled, but cheap to fuzz: the input is written to a
 * memfd and loaded with fsmb_conf_load() through /proc/self/fd/N, as
 * fsmbd and fsmbctl load /etc/fsmb/fsmb.conf; what loads must be
 * consistent (names set, shares findable, listed users allowed).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];
static FILE *diag;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fd = memfd_create("fsmb-fuzz.conf", 0);
	diag = fopen("/dev/null", "w");
	if (fd < 0 || !diag)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fsmb_conf conf;
	size_t i, j;

	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	memset(&conf, 0, sizeof(conf));
	if (fsmb_conf_load(path, &conf, diag) == 0) {
		fuzz_check(conf.netbios_name && conf.workgroup &&
			   conf.state_dir && conf.guest_account);
		fuzz_check(conf.nports >= 1 && conf.nports <= FSMB_MAX_PORTS);
		fuzz_check(conf.min_dialect <= conf.max_dialect);
		for (i = 0; i < conf.nshares; i++) {
			const struct fsmb_share_conf *s = &conf.shares[i];

			fuzz_check(s->name && s->path && s->comment);
			fuzz_check(s->path[0] == '/');
			fuzz_check(fsmb_conf_find_share(&conf, s->name));
			/* A listed user (not an @group) is allowed. */
			for (j = 0; j < s->n_valid_users; j++)
				if (!strchr("@+", s->valid_users[j][0]))
					fuzz_check(fsmb_share_user_allowed(
							s, s->valid_users[j]));
		}
	}
	fsmb_conf_free(&conf);
	return 0;
}

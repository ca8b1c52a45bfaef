/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel's command handlers do with a request body before they
 * touch any state: the decoder calls of kernel/{negotiate,session,tree,
 * create,io,dir,info,ioctl}.c, in their order, with the follow-up decoders
 * they run on the decoded fields (negotiate contexts, share name, create
 * contexts, paths, patterns, SET_INFO classes, FSCTL payloads), plus the
 * response encoders those handlers feed with decoded values, over bounded
 * buffers. Shared by fuzz_smb2_msg.c (whole messages, compounds) and the
 * per-command harnesses (one request body each).
 *
 * Where a handler stops early on a value that has nothing to do with the
 * bytes (no such open, wrong dialect), the harness goes on, so that every
 * decoder is reached from any input that gets past the previous one.
 *
 * Invariants the callers rely on are checked with fuzz_check() (fuzz.h).
 */
#ifndef FUZZ_SMB2_CMDS_H
#define FUZZ_SMB2_CMDS_H

#include <stdint.h>

#include "fuzz.h"
#include "proto/smb2.h"

/* Read every byte @c covers (ASan checks they are all inside the input). */
void fuzz_touch(const struct fsmb_cur *c);

/*
 * A command's message as conn.c has it for a request body: a 64-byte SMB2
 * header for @cmd followed by @size bytes of @body, on the heap at its
 * exact size. *@c gets its base at the header and its position at the
 * body, as the handlers get w->in. Free the returned buffer.
 */
uint8_t *fuzz_body_msg(uint16_t cmd, const uint8_t *body, size_t size,
		       struct fsmb_cur *c);

/* The handler-side decoding of one command; @in as the handler gets it. */
void fuzz_cmd_negotiate(struct fsmb_cur *in);
void fuzz_cmd_session_setup(struct fsmb_cur *in);
void fuzz_cmd_tree_connect(struct fsmb_cur *in);
void fuzz_cmd_create(struct fsmb_cur *in);
void fuzz_cmd_read(struct fsmb_cur *in);
void fuzz_cmd_write(struct fsmb_cur *in);
void fuzz_cmd_flush(struct fsmb_cur *in);
void fuzz_cmd_close(struct fsmb_cur *in);
void fuzz_cmd_simple(struct fsmb_cur *in);	/* ECHO, LOGOFF, TREE_DISCONNECT */
void fuzz_cmd_query_dir(struct fsmb_cur *in);
void fuzz_cmd_query_info(struct fsmb_cur *in);
void fuzz_cmd_set_info(struct fsmb_cur *in);
void fuzz_cmd_ioctl(struct fsmb_cur *in);

/* fuzz_cmd_* for @cmd (none for commands without a decoder). */
void fuzz_cmd_dispatch(uint16_t cmd, struct fsmb_cur *in);

/*
 * The UTF-16 name @c covers through fsmb_cur_path() with @flags, and the
 * invariants every decoded path keeps (vfs.c relies on them).
 */
void fuzz_path(struct fsmb_cur *c, unsigned int flags, size_t out_size);

/* A decoded QUERY_DIRECTORY pattern against names, and into an entry. */
void fuzz_pattern_use(const char *pattern, const uint8_t *raw, size_t raw_len);

/*
 * The whole of a per-command harness: @data is a request body of command
 * @cmd; conn.c computes the credit charge's payload from it
 * (smb2_credit_payload()) before the handler @fn decodes it.
 */
int fuzz_body_one(uint16_t cmd, void (*fn)(struct fsmb_cur *in),
		  const uint8_t *data, size_t size);

#define FUZZ_BODY_HARNESS(cmd, fn)					\
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);	\
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)	\
	{								\
		return fuzz_body_one(cmd, fn, data, size);		\
	}

#endif /* FUZZ_SMB2_CMDS_H */

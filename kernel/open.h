/* SPDX-License-Identifier: GPL-2.0 */
/* The open table and named pipes, shared by the file command handlers. */
#ifndef FSMB_OPEN_H
#define FSMB_OPEN_H

#include <linux/fsmb.h>

#include "fsmb.h"

/* A new open of @tree (which it holds a reference to), not yet visible. */
struct fsmb_open *fsmb_open_alloc(struct fsmb_tree *tree);
/*
 * Give @op its file id and make it visible in w->sess. On failure @op is
 * still the caller's to put (which closes its file).
 */
int fsmb_open_register(struct fsmb_work *w, struct fsmb_open *op);
/*
 * Close @op: no lookup finds it any more, delete-on-close is carried out
 * (as the session's user), a pipe is closed in the daemon, and the table's
 * reference is dropped. Closing twice is harmless.
 */
void fsmb_open_close(struct fsmb_session *sess, struct fsmb_open *op);

/* pipe.c: named pipes on IPC$, served by the daemon. */
u32 fsmb_pipe_open(struct fsmb_work *w, const char *name, u64 *pipe_id);
u32 fsmb_pipe_write(u64 pipe_id, const u8 *data, size_t len);
/*
 * Read up to @max bytes into @buf (@len: how many). STATUS_BUFFER_OVERFLOW
 * when the message continues, with the bytes of this part.
 */
u32 fsmb_pipe_read(u64 pipe_id, u8 *buf, size_t max, size_t *len);
/* Write @in, then read the answer as fsmb_pipe_read(). */
u32 fsmb_pipe_transceive(u64 pipe_id, const u8 *in, size_t in_len,
			 u8 *buf, size_t max, size_t *len);
void fsmb_pipe_close(u64 pipe_id);

#endif /* FSMB_OPEN_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PIPE requests: the named pipes opened on IPC$, keyed by the kernel's
 * FSMB_A_PIPE_ID and backed by the DCE/RPC library (rpc.h). At most
 * FSMB_PIPES_MAX are open at once.
 */
#ifndef FSMBD_PIPES_H
#define FSMBD_PIPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define FSMB_PIPES_MAX	1024

struct fsmb_pipes;

struct fsmb_pipe_req {
	uint8_t op;			/* enum fsmb_pipe_op */
	uint64_t id;
	const char *name;		/* OPEN */
	const char *user;		/* OPEN */
	const uint8_t *data;		/* WRITE, TRANSCEIVE */
	size_t data_len;
	uint32_t max_out;		/* READ, TRANSCEIVE */
};

struct fsmb_pipe_result {
	uint32_t status;
	uint8_t *data;			/* READ, TRANSCEIVE; may be NULL */
	size_t data_len;
	bool more;			/* bytes of this message remain */
};

struct fsmb_pipes *fsmb_pipes_new(void);
void fsmb_pipes_free(struct fsmb_pipes *t);
/* Always fills @res; free it with fsmb_pipe_result_free(). */
void fsmb_pipes_handle(struct fsmb_pipes *t, const struct fsmb_conf *conf,
		       const struct fsmb_pipe_req *req,
		       struct fsmb_pipe_result *res);
void fsmb_pipe_result_free(struct fsmb_pipe_result *res);

#endif /* FSMBD_PIPES_H */

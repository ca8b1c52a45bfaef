// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fsmb.h>

#include "log.h"
#include "ntstatus.h"
#include "pipes.h"
#include "rpc.h"

#define PIPE_BUCKETS	256	/* power of two */

struct pipe_ent {
	uint64_t id;
	struct pipe_ent *next;
	struct fsmb_pipe *pipe;
};

struct fsmb_pipes {
	struct pipe_ent *buckets[PIPE_BUCKETS];
	size_t count;
};

static size_t bucket_of(uint64_t id)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ULL) >> 56) &
	       (PIPE_BUCKETS - 1);
}

struct fsmb_pipes *fsmb_pipes_new(void)
{
	return calloc(1, sizeof(struct fsmb_pipes));
}

void fsmb_pipes_free(struct fsmb_pipes *t)
{
	struct pipe_ent *e, *next;
	size_t i;

	if (!t)
		return;
	for (i = 0; i < PIPE_BUCKETS; i++) {
		for (e = t->buckets[i]; e; e = next) {
			next = e->next;
			fsmb_pipe_close(e->pipe);
			free(e);
		}
	}
	free(t);
}

static struct pipe_ent **pipe_slot(struct fsmb_pipes *t, uint64_t id)
{
	struct pipe_ent **pp = &t->buckets[bucket_of(id)];

	while (*pp && (*pp)->id != id)
		pp = &(*pp)->next;
	return pp;
}

/*
 * What srvsvc reports: the configured shares and IPC$. The RPC library
 * copies it, so it only lives for the call.
 */
static uint32_t pipe_open(struct fsmb_pipes *t, const struct fsmb_conf *conf,
			  const struct fsmb_pipe_req *req)
{
	struct pipe_ent **slot = pipe_slot(t, req->id), *e;
	struct fsmb_rpc_share *shares;
	struct fsmb_rpc_env env;
	struct fsmb_pipe *p;
	size_t i;

	if (*slot)
		return FSMB_STATUS_INVALID_PARAMETER;
	if (t->count >= FSMB_PIPES_MAX) {
		fsmb_log(LOG_WARNING, "%d named pipes open: refusing another",
			 FSMB_PIPES_MAX);
		return FSMB_STATUS_INSUFFICIENT_RESOURCES;
	}
	shares = calloc(conf->nshares + 1, sizeof(*shares));
	if (!shares)
		return FSMB_STATUS_NO_MEMORY;
	for (i = 0; i < conf->nshares; i++) {
		shares[i].name = conf->shares[i].name;
		shares[i].comment = conf->shares[i].comment;
		shares[i].path = conf->shares[i].path;
		shares[i].type = FSMB_STYPE_DISKTREE;
		shares[i].browseable = conf->shares[i].browseable;
	}
	shares[i].name = "IPC$";
	shares[i].comment = "IPC Service";
	shares[i].type = FSMB_STYPE_IPC | FSMB_STYPE_SPECIAL;
	shares[i].browseable = true;
	env = (struct fsmb_rpc_env){
		.netbios_name = conf->netbios_name,
		.workgroup = conf->workgroup,
		.shares = shares,
		.nshares = conf->nshares + 1,
		.user = req->user,
	};
	p = fsmb_pipe_open(req->name, &env);
	free(shares);
	if (!p) {
		if (errno == ENOENT) {
			fsmb_dbg(1, "no pipe '%s'", req->name);
			return FSMB_STATUS_OBJECT_NAME_NOT_FOUND;
		}
		return errno == ENOMEM ? FSMB_STATUS_NO_MEMORY :
					 FSMB_STATUS_INVALID_PARAMETER;
	}
	e = malloc(sizeof(*e));
	if (!e) {
		fsmb_pipe_close(p);
		return FSMB_STATUS_NO_MEMORY;
	}
	e->id = req->id;
	e->next = NULL;
	e->pipe = p;
	*slot = e;
	t->count++;
	return FSMB_STATUS_SUCCESS;
}

static uint32_t pipe_write(struct fsmb_pipe *p, const struct fsmb_pipe_req *req)
{
	int ret = fsmb_pipe_write(p, req->data, req->data_len);

	switch (ret) {
	case 0:
		return FSMB_STATUS_SUCCESS;
	case -EPROTO:
	case -EMSGSIZE:
		/* A fault was queued, where the protocol allows: read it. */
		if (fsmb_pipe_pending(p))
			return FSMB_STATUS_SUCCESS;
		return FSMB_STATUS_PIPE_BROKEN;
	case -ENOMEM:
		return FSMB_STATUS_NO_MEMORY;
	case -EINVAL:
		return FSMB_STATUS_INVALID_PARAMETER;
	default:
		return FSMB_STATUS_PIPE_BROKEN;
	}
}

static uint32_t pipe_read(struct fsmb_pipe *p, uint32_t max_out,
			  struct fsmb_pipe_result *res)
{
	size_t cap = max_out;

	if (cap > FSMB_MAX_PIPE_DATA)
		cap = FSMB_MAX_PIPE_DATA;

	if (cap == 0)
		return FSMB_STATUS_SUCCESS;
	res->data = malloc(cap);
	if (!res->data)
		return FSMB_STATUS_NO_MEMORY;
	res->data_len = fsmb_pipe_read(p, res->data, cap, &res->more);
	return FSMB_STATUS_SUCCESS;
}

void fsmb_pipes_handle(struct fsmb_pipes *t, const struct fsmb_conf *conf,
		       const struct fsmb_pipe_req *req,
		       struct fsmb_pipe_result *res)
{
	struct pipe_ent **slot, *e;

	memset(res, 0, sizeof(*res));
	if (req->op == FSMB_PIPE_OPEN) {
		res->status = pipe_open(t, conf, req);
		return;
	}
	slot = pipe_slot(t, req->id);
	e = *slot;
	if (!e) {
		res->status = FSMB_STATUS_INVALID_HANDLE;
		return;
	}
	switch (req->op) {
	case FSMB_PIPE_WRITE:
		res->status = pipe_write(e->pipe, req);
		break;
	case FSMB_PIPE_READ:
		res->status = pipe_read(e->pipe, req->max_out, res);
		break;
	case FSMB_PIPE_TRANSCEIVE:
		res->status = pipe_write(e->pipe, req);
		if (res->status == FSMB_STATUS_SUCCESS)
			res->status = pipe_read(e->pipe, req->max_out, res);
		break;
	case FSMB_PIPE_CLOSE:
		*slot = e->next;
		fsmb_pipe_close(e->pipe);
		free(e);
		t->count--;
		res->status = FSMB_STATUS_SUCCESS;
		break;
	default:
		res->status = FSMB_STATUS_INVALID_PARAMETER;
		break;
	}
}

void fsmb_pipe_result_free(struct fsmb_pipe_result *res)
{
	free(res->data);
	memset(res, 0, sizeof(*res));
}

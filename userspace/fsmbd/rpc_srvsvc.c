// SPDX-License-Identifier: GPL-2.0
/*
 * fsmbd - srvsvc (MS-SRVS) 4b324fc8-1670-01d3-1278-5a47bf6ee188 v3.0.
 *
 * Implemented: NetrShareEnum (15, Samba's NetShareEnumAll) and
 * NetrShareEnumSticky (36) at levels 0, 1, 2, 501, 502; NetrShareGetInfo
 * (16) at levels 0, 1, 2, 501, 502, 1005; NetrServerGetInfo (21) at levels
 * 100, 101, 102; NetrRemoteTOD (28).  Everything else faults with
 * nca_s_op_rng_error.
 *
 * All pointers below the top level are unique pointers
 * (pointer_default(unique)); their referents follow the enclosing
 * top-level parameter in order (C706 14.3.12.3).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* tm_gmtoff */
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ndr.h"
#include "rpc.h"

#define SRVSVC_NETR_SHARE_ENUM		15
#define SRVSVC_NETR_SHARE_GET_INFO	16
#define SRVSVC_NETR_SERVER_GET_INFO	21
#define SRVSVC_NETR_REMOTE_TOD		28
#define SRVSVC_NETR_SHARE_ENUM_STICKY	36

/* longest string accepted in a request, in UTF-16 code units */
#define SRVSVC_MAX_IN_STRING		1024

#define PLATFORM_ID_NT			500
#define SRV_VERSION_MAJOR		6
#define SRV_VERSION_MINOR		1
/* SV_TYPE_WORKSTATION | SV_TYPE_SERVER | SV_TYPE_NT | SV_TYPE_SERVER_NT */
#define SRV_TYPE			0x00009003u
#define SHI_USES_UNLIMITED		0xffffffffu

static uint32_t srvsvc_dispatch(struct fsmb_rpc_call *call);

const struct fsmb_rpc_iface fsmb_rpc_srvsvc_iface = {
	.pipe_name = "srvsvc",
	.uuid = { 0x4b324fc8, 0x1670, 0x01d3, { 0x12, 0x78 },
		  { 0x5a, 0x47, 0xbf, 0x6e, 0xe1, 0x88 } },
	.vers_major = 3,
	.vers_minor = 0,
	.dispatch = srvsvc_dispatch,
};

/* [in, string, unique] SRVSVC_HANDLE ServerName: validated, ignored. */
static void pull_server_name(struct fsmb_ndr_pull *in)
{
	uint32_t ref;

	if (!fsmb_ndr_pull_unique_ptr(in, &ref) && ref)
		fsmb_ndr_pull_wstring(in, NULL, SRVSVC_MAX_IN_STRING);
}

/* ------------------------------------------------------------------ */
/* SHARE_INFO_x                                                       */
/* ------------------------------------------------------------------ */

/* arms of SHARE_ENUM_UNION (MS-SRVS 2.2.3.2); it has no default arm */
static bool enum_level_known(uint32_t level)
{
	return level == 0 || level == 1 || level == 2 || level == 501 ||
	       level == 502 || level == 503;
}

/* pointer arms of the SHARE_INFO union (MS-SRVS 2.2.3.6) */
static bool info_level_known(uint32_t level)
{
	switch (level) {
	case 0: case 1: case 2: case 501: case 502: case 503:
	case 1004: case 1005: case 1006: case 1501:
		return true;
	default:
		return false;
	}
}

static bool enum_level_supported(uint32_t level)
{
	return level == 0 || level == 1 || level == 2 || level == 501 ||
	       level == 502;
}

static bool info_level_supported(uint32_t level)
{
	return enum_level_supported(level) || level == 1005;
}

/* Bytes SHARE_INFO_<level> of s takes on the wire, referents included. */
static size_t share_wire_size(uint32_t level, const struct fsmb_rpc_share *s)
{
	size_t n = fsmb_ndr_wstring_size(s->name);

	switch (level) {
	case 0:
		return 4 + n;
	case 1:
		return 12 + n + fsmb_ndr_wstring_size(s->comment);
	case 501:
		return 16 + n + fsmb_ndr_wstring_size(s->comment);
	case 2:
		return 32 + n + fsmb_ndr_wstring_size(s->comment) +
		       fsmb_ndr_wstring_size(s->path);
	default: /* 502 */
		return 40 + n + fsmb_ndr_wstring_size(s->comment) +
		       fsmb_ndr_wstring_size(s->path);
	}
}

/* Scalars of SHARE_INFO_<level> (enum_level_supported or 1005). */
static void push_share_scalars(struct fsmb_ndr_push *o, uint32_t level,
			       const struct fsmb_rpc_share *s)
{
	if (level == 1005) {
		fsmb_ndr_push_u32(o, 0);	/* shi1005_flags: manual CSC */
		return;
	}
	fsmb_ndr_push_unique_ptr(o, true);	/* netname */
	if (level == 0)
		return;
	fsmb_ndr_push_u32(o, s->type);
	fsmb_ndr_push_unique_ptr(o, true);	/* remark */
	if (level == 501) {
		fsmb_ndr_push_u32(o, 0);	/* shi501_flags */
		return;
	}
	if (level == 1)
		return;
	/* 2 and 502 */
	fsmb_ndr_push_u32(o, 0);		/* permissions (share level) */
	fsmb_ndr_push_u32(o, SHI_USES_UNLIMITED); /* max_uses */
	fsmb_ndr_push_u32(o, 0);		/* current_uses */
	fsmb_ndr_push_unique_ptr(o, true);	/* path */
	fsmb_ndr_push_unique_ptr(o, false);	/* passwd */
	if (level == 502) {
		fsmb_ndr_push_u32(o, 0);	/* reserved: SD length */
		fsmb_ndr_push_unique_ptr(o, false); /* security descriptor */
	}
}

/* Deferred referents of SHARE_INFO_<level>, in field order. */
static void push_share_buffers(struct fsmb_ndr_push *o, uint32_t level,
			       const struct fsmb_rpc_share *s)
{
	if (level == 1005)
		return;
	fsmb_ndr_push_wstring(o, s->name);
	if (level == 0)
		return;
	fsmb_ndr_push_wstring(o, s->comment);
	if (level == 2 || level == 502)
		fsmb_ndr_push_wstring(o, s->path);
}

/* ------------------------------------------------------------------ */
/* NetrShareEnum / NetrShareEnumSticky                                */
/* ------------------------------------------------------------------ */

/* The first browseable share at index *i or later (*i moves past it). */
static const struct fsmb_rpc_share *next_browseable(const struct fsmb_rpc_env *env,
						    size_t *i)
{
	for (; *i < env->nshares; (*i)++)
		if (env->shares[*i].browseable)
			return &env->shares[(*i)++];
	return NULL;
}

/*
 * NET_API_STATUS NetrShareEnum(
 *	[in, string, unique] SRVSVC_HANDLE ServerName,
 *	[in, out] LPSHARE_ENUM_STRUCT InfoStruct,
 *	[in] DWORD PreferedMaximumLength,
 *	[out] DWORD *TotalEntries,
 *	[in, out, unique] DWORD *ResumeHandle);
 *
 * SHARE_ENUM_STRUCT { DWORD Level; [switch_is(Level)] SHARE_ENUM_UNION; }
 * each arm a unique pointer to SHARE_INFO_x_CONTAINER
 *	{ DWORD EntriesRead; [size_is(EntriesRead)] LPSHARE_INFO_x Buffer; }
 */
static uint32_t srvsvc_share_enum(struct fsmb_rpc_call *c)
{
	const struct fsmb_rpc_env *env = c->env;
	struct fsmb_ndr_pull *in = c->in;
	struct fsmb_ndr_push *o = c->out;
	const struct fsmb_rpc_share *s;
	uint32_t level, sw, ctr_ref, count = 0, array_ref = 0, max_len;
	uint32_t resume_ref, resume = 0, resume_out = 0, werr = FSMB_WERR_OK;
	uint32_t total = 0, n = 0, k;
	size_t budget, used = 0, i;

	pull_server_name(in);
	fsmb_ndr_pull_u32(in, &level);
	fsmb_ndr_pull_u32(in, &sw);		/* union discriminant */
	if (fsmb_ndr_pull_error(in) || sw != level)
		return FSMB_NCA_S_FAULT_NDR;
	if (!enum_level_known(level))
		return FSMB_NCA_S_FAULT_INVALID_TAG;
	fsmb_ndr_pull_unique_ptr(in, &ctr_ref);
	if (ctr_ref) {
		fsmb_ndr_pull_u32(in, &count);
		fsmb_ndr_pull_unique_ptr(in, &array_ref);
	}
	/* clients send an empty container; we do not parse entries */
	if (array_ref)
		return FSMB_NCA_S_FAULT_NDR;
	fsmb_ndr_pull_u32(in, &max_len);
	fsmb_ndr_pull_unique_ptr(in, &resume_ref);
	if (resume_ref)
		fsmb_ndr_pull_u32(in, &resume);
	if (fsmb_ndr_pull_error(in))
		return FSMB_NCA_S_FAULT_NDR;

	if (!enum_level_supported(level))
		werr = FSMB_WERR_INVALID_LEVEL;
	else if (!ctr_ref)
		werr = FSMB_WERR_INVALID_PARAMETER;

	/* InfoStruct: Level and the union discriminant */
	fsmb_ndr_push_u32(o, level);
	fsmb_ndr_push_u32(o, level);
	if (werr != FSMB_WERR_OK) {
		fsmb_ndr_push_unique_ptr(o, ctr_ref != 0);
		if (ctr_ref) {
			fsmb_ndr_push_u32(o, 0);
			fsmb_ndr_push_unique_ptr(o, false);
		}
		fsmb_ndr_push_u32(o, 0);		/* TotalEntries */
		fsmb_ndr_push_unique_ptr(o, resume_ref != 0);
		if (resume_ref)
			fsmb_ndr_push_u32(o, resume);
		fsmb_ndr_push_u32(o, werr);
		return 0;
	}

	/* pick entries [resume, resume + n) of the browseable shares */
	budget = max_len < FSMB_RPC_MAX_ENUM_BYTES ? max_len :
		 FSMB_RPC_MAX_ENUM_BYTES;
	for (i = 0; (s = next_browseable(env, &i)); total++) {
		size_t sz;

		if (total < resume || total - resume != n)
			continue;
		sz = share_wire_size(level, s);
		/* always make progress: the first entry goes in regardless */
		if (n && (used >= budget || sz > budget - used))
			continue;
		used += sz;
		n++;
	}
	if (resume < total && resume + n < total) {
		werr = FSMB_WERR_MORE_DATA;
		resume_out = resume + n;
	}

	fsmb_ndr_push_unique_ptr(o, true);	/* container */
	fsmb_ndr_push_u32(o, n);		/* EntriesRead */
	fsmb_ndr_push_unique_ptr(o, n != 0);	/* Buffer */
	if (n) {
		fsmb_ndr_push_u32(o, n);	/* conformance */
		for (i = 0, k = 0; (s = next_browseable(env, &i)); k++)
			if (k >= resume && k - resume < n)
				push_share_scalars(o, level, s);
		for (i = 0, k = 0; (s = next_browseable(env, &i)); k++)
			if (k >= resume && k - resume < n)
				push_share_buffers(o, level, s);
	}
	fsmb_ndr_push_u32(o, total);		/* TotalEntries */
	fsmb_ndr_push_unique_ptr(o, resume_ref != 0);
	if (resume_ref)
		fsmb_ndr_push_u32(o, resume_out);
	fsmb_ndr_push_u32(o, werr);
	return 0;
}

/* ------------------------------------------------------------------ */
/* NetrShareGetInfo                                                   */
/* ------------------------------------------------------------------ */

static const struct fsmb_rpc_share *find_share(const struct fsmb_rpc_env *env,
					       const char *name)
{
	size_t i;

	for (i = 0; i < env->nshares; i++)
		if (fsmb_rpc_strcasecmp(env->shares[i].name, name) == 0)
			return &env->shares[i];
	return NULL;
}

/*
 * NET_API_STATUS NetrShareGetInfo(
 *	[in, string, unique] SRVSVC_HANDLE ServerName,
 *	[in, string] WCHAR *NetName,
 *	[in] DWORD Level,
 *	[out, switch_is(Level)] LPSHARE_INFO InfoStruct);
 */
static uint32_t srvsvc_share_get_info(struct fsmb_rpc_call *c)
{
	const struct fsmb_rpc_share *s = NULL;
	struct fsmb_ndr_push *o = c->out;
	uint32_t level, werr = FSMB_WERR_OK;
	char *name = NULL;

	pull_server_name(c->in);
	fsmb_ndr_pull_wstring(c->in, &name, SRVSVC_MAX_IN_STRING);
	fsmb_ndr_pull_u32(c->in, &level);
	if (fsmb_ndr_pull_error(c->in)) {
		free(name);
		return FSMB_NCA_S_FAULT_NDR;
	}

	if (!info_level_supported(level))
		werr = FSMB_WERR_INVALID_LEVEL;
	else if (!(s = find_share(c->env, name)))
		werr = FSMB_WERR_NET_NAME_NOT_FOUND;
	free(name);

	fsmb_ndr_push_u32(o, level);		/* union discriminant */
	if (info_level_known(level)) {
		fsmb_ndr_push_unique_ptr(o, s != NULL);
		if (s) {
			push_share_scalars(o, level, s);
			push_share_buffers(o, level, s);
		}
	}
	fsmb_ndr_push_u32(o, werr);
	return 0;
}

/* ------------------------------------------------------------------ */
/* NetrServerGetInfo                                                  */
/* ------------------------------------------------------------------ */

/* pointer arms of the SERVER_INFO union (MS-SRVS 2.2.3.7) */
static bool server_info_level_known(uint32_t level)
{
	static const uint16_t arms[] = {
		100, 101, 102, 103, 502, 503, 599, 1005, 1010, 1016, 1017,
		1018, 1107, 1501, 1502, 1503, 1506, 1510, 1511, 1512, 1513,
		1514, 1515, 1516, 1518, 1523, 1528, 1529, 1530, 1533, 1534,
		1535, 1536, 1538, 1539, 1540, 1541, 1542, 1543, 1544, 1545,
		1546, 1547, 1548, 1549, 1550, 1552, 1553, 1554, 1555, 1556,
	};
	size_t i;

	for (i = 0; i < sizeof(arms) / sizeof(arms[0]); i++)
		if (arms[i] == level)
			return true;
	return false;
}

/*
 * NET_API_STATUS NetrServerGetInfo(
 *	[in, string, unique] SRVSVC_HANDLE ServerName,
 *	[in] DWORD Level,
 *	[out, switch_is(Level)] LPSERVER_INFO InfoStruct);
 */
static uint32_t srvsvc_server_get_info(struct fsmb_rpc_call *c)
{
	const struct fsmb_rpc_env *env = c->env;
	struct fsmb_ndr_push *o = c->out;
	uint32_t level;
	bool ok;

	pull_server_name(c->in);
	fsmb_ndr_pull_u32(c->in, &level);
	if (fsmb_ndr_pull_error(c->in))
		return FSMB_NCA_S_FAULT_NDR;
	ok = level == 100 || level == 101 || level == 102;

	fsmb_ndr_push_u32(o, level);		/* union discriminant */
	if (server_info_level_known(level))
		fsmb_ndr_push_unique_ptr(o, ok);
	if (!ok) {
		fsmb_ndr_push_u32(o, FSMB_WERR_INVALID_LEVEL);
		return 0;
	}
	fsmb_ndr_push_u32(o, PLATFORM_ID_NT);
	fsmb_ndr_push_unique_ptr(o, true);	/* name */
	if (level >= 101) {
		fsmb_ndr_push_u32(o, SRV_VERSION_MAJOR);
		fsmb_ndr_push_u32(o, SRV_VERSION_MINOR);
		fsmb_ndr_push_u32(o, SRV_TYPE);
		fsmb_ndr_push_unique_ptr(o, true);	/* comment */
	}
	if (level == 102) {
		fsmb_ndr_push_u32(o, 0xffffffffu);	/* users: unlimited */
		fsmb_ndr_push_u32(o, 15);		/* disc (minutes) */
		fsmb_ndr_push_u32(o, 0);		/* hidden */
		fsmb_ndr_push_u32(o, 240);		/* announce (s) */
		fsmb_ndr_push_u32(o, 3000);		/* anndelta (ms) */
		fsmb_ndr_push_u32(o, 0);		/* licenses */
		fsmb_ndr_push_unique_ptr(o, true);	/* userpath */
	}
	fsmb_ndr_push_wstring(o, env->netbios_name);
	if (level >= 101)
		fsmb_ndr_push_wstring(o, "");		/* comment */
	if (level == 102)
		fsmb_ndr_push_wstring(o, "C:\\");
	fsmb_ndr_push_u32(o, FSMB_WERR_OK);
	return 0;
}

/* ------------------------------------------------------------------ */
/* NetrRemoteTOD                                                      */
/* ------------------------------------------------------------------ */

/*
 * NET_API_STATUS NetrRemoteTOD(
 *	[in, string, unique] SRVSVC_HANDLE ServerName,
 *	[out] LPTIME_OF_DAY_INFO *BufferPtr);
 */
static uint32_t srvsvc_remote_tod(struct fsmb_rpc_call *c)
{
	struct fsmb_ndr_push *o = c->out;
	struct timespec ts, mono;
	struct tm gm, local;
	time_t t;

	pull_server_name(c->in);
	if (fsmb_ndr_pull_error(c->in))
		return FSMB_NCA_S_FAULT_NDR;
	clock_gettime(CLOCK_REALTIME, &ts);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	t = ts.tv_sec;
	gmtime_r(&t, &gm);
	localtime_r(&t, &local);

	fsmb_ndr_push_unique_ptr(o, true);
	fsmb_ndr_push_u32(o, (uint32_t)t);			/* elapsedt */
	fsmb_ndr_push_u32(o, (uint32_t)((uint64_t)mono.tv_sec * 1000 +
					 (uint64_t)mono.tv_nsec / 1000000));
	fsmb_ndr_push_u32(o, (uint32_t)gm.tm_hour);
	fsmb_ndr_push_u32(o, (uint32_t)gm.tm_min);
	fsmb_ndr_push_u32(o, (uint32_t)gm.tm_sec);
	fsmb_ndr_push_u32(o, (uint32_t)(ts.tv_nsec / 10000000));	/* hunds */
	/* minutes west of UTC */
	fsmb_ndr_push_u32(o, (uint32_t)(int32_t)(-local.tm_gmtoff / 60));
	fsmb_ndr_push_u32(o, 310);		/* tinterval: 31 ms ticks */
	fsmb_ndr_push_u32(o, (uint32_t)gm.tm_mday);
	fsmb_ndr_push_u32(o, (uint32_t)gm.tm_mon + 1);
	fsmb_ndr_push_u32(o, (uint32_t)gm.tm_year + 1900);
	fsmb_ndr_push_u32(o, (uint32_t)gm.tm_wday);
	fsmb_ndr_push_u32(o, FSMB_WERR_OK);
	return 0;
}

static uint32_t srvsvc_dispatch(struct fsmb_rpc_call *call)
{
	switch (call->opnum) {
	case SRVSVC_NETR_SHARE_ENUM:
	case SRVSVC_NETR_SHARE_ENUM_STICKY:
		return srvsvc_share_enum(call);
	case SRVSVC_NETR_SHARE_GET_INFO:
		return srvsvc_share_get_info(call);
	case SRVSVC_NETR_SERVER_GET_INFO:
		return srvsvc_server_get_info(call);
	case SRVSVC_NETR_REMOTE_TOD:
		return srvsvc_remote_tod(call);
	default:
		return FSMB_NCA_S_OP_RNG_ERROR;
	}
}

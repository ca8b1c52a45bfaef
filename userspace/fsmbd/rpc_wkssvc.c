// SPDX-License-Identifier: GPL-2.0
/*
 * fsmbd - wkssvc (MS-WKST) 6bffd098-a112-3610-9833-46c3f87e345a v1.0.
 *
 * Implemented: NetrWkstaGetInfo (opnum 0) at levels 100, 101, 102.
 * Everything else faults with nca_s_op_rng_error.
 */
#include <errno.h>
#include <stdlib.h>

#include "ndr.h"
#include "rpc.h"

#define WKSSVC_NETR_WKSTA_GET_INFO	0

#define WKSSVC_MAX_IN_STRING		1024
#define PLATFORM_ID_NT			500
#define WKS_VERSION_MAJOR		6
#define WKS_VERSION_MINOR		1

static uint32_t wkssvc_dispatch(struct fsmb_rpc_call *call);

const struct fsmb_rpc_iface fsmb_rpc_wkssvc_iface = {
	.pipe_name = "wkssvc",
	.uuid = { 0x6bffd098, 0xa112, 0x3610, { 0x98, 0x33 },
		  { 0x46, 0xc3, 0xf8, 0x7e, 0x34, 0x5a } },
	.vers_major = 1,
	.vers_minor = 0,
	.dispatch = wkssvc_dispatch,
};

/* pointer arms of the WKSTA_INFO union (MS-WKST 2.2.4.1) */
static bool wksta_level_known(uint32_t level)
{
	return level == 100 || level == 101 || level == 102 || level == 502 ||
	       level == 1013 || level == 1018 || level == 1046;
}

/*
 * unsigned long NetrWkstaGetInfo(
 *	[in, string, unique] WKSSVC_IDENTIFY_HANDLE ServerName,
 *	[in] unsigned long Level,
 *	[out, switch_is(Level)] LPWKSTA_INFO WkstaInfo);
 *
 * WKSTA_INFO_100 { platform_id; [string] computername; [string] langroup;
 *		    ver_major; ver_minor; }
 * WKSTA_INFO_101 adds [string] lanroot, WKSTA_INFO_102 adds
 * logged_on_users.
 */
static uint32_t wkssvc_get_info(struct fsmb_rpc_call *c)
{
	const struct fsmb_rpc_env *env = c->env;
	struct fsmb_ndr_push *o = c->out;
	uint32_t ref, level;
	bool ok;

	if (!fsmb_ndr_pull_unique_ptr(c->in, &ref) && ref)
		fsmb_ndr_pull_wstring(c->in, NULL, WKSSVC_MAX_IN_STRING);
	fsmb_ndr_pull_u32(c->in, &level);
	if (fsmb_ndr_pull_error(c->in))
		return FSMB_NCA_S_FAULT_NDR;
	ok = level == 100 || level == 101 || level == 102;

	fsmb_ndr_push_u32(o, level);		/* union discriminant */
	if (wksta_level_known(level))
		fsmb_ndr_push_unique_ptr(o, ok);
	if (!ok) {
		fsmb_ndr_push_u32(o, FSMB_WERR_INVALID_LEVEL);
		return 0;
	}
	fsmb_ndr_push_u32(o, PLATFORM_ID_NT);
	fsmb_ndr_push_unique_ptr(o, true);	/* computername */
	fsmb_ndr_push_unique_ptr(o, true);	/* langroup */
	fsmb_ndr_push_u32(o, WKS_VERSION_MAJOR);
	fsmb_ndr_push_u32(o, WKS_VERSION_MINOR);
	if (level >= 101)
		fsmb_ndr_push_unique_ptr(o, true);	/* lanroot */
	if (level == 102)	/* the session's user is the one we know of */
		fsmb_ndr_push_u32(o, env->user[0] ? 1 : 0);
	fsmb_ndr_push_wstring(o, env->netbios_name);
	fsmb_ndr_push_wstring(o, env->workgroup);
	if (level >= 101)
		fsmb_ndr_push_wstring(o, "");
	fsmb_ndr_push_u32(o, FSMB_WERR_OK);
	return 0;
}

static uint32_t wkssvc_dispatch(struct fsmb_rpc_call *call)
{
	switch (call->opnum) {
	case WKSSVC_NETR_WKSTA_GET_INFO:
		return wkssvc_get_info(call);
	default:
		return FSMB_NCA_S_OP_RNG_ERROR;
	}
}

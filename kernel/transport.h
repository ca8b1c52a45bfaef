/* SPDX-License-Identifier: GPL-2.0 */
/* Transports that accept connections themselves (TCP today). */
#ifndef FSMB_TRANSPORT_H
#define FSMB_TRANSPORT_H

#include <linux/types.h>

/*
 * Listen on TCP @ports (IPv4 and, when the kernel has it, IPv6) and on
 * nothing else: listeners for ports not in the list are closed, the ones
 * already open are kept. On error the previous set is left as it was.
 * Caller holds fsmb_srv.lock.
 */
int fsmb_tcp_listen_start(const u16 *ports, int n);
/* Close every listener. Caller holds fsmb_srv.lock. */
void fsmb_tcp_listen_stop(void);

#endif /* FSMB_TRANSPORT_H */

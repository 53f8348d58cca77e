/* appio.h - what the socket applications of sim/apps (hello, chat bot,
 * upload) share: their console lines and Python's bytes repr.
 *
 * Design: an application's console output is a SIM_TR_APP trace record
 * from its node, one record per line; the text sink decides whether the
 * line is shown with a "node: " prefix (so several hosts' output stays
 * readable when interleaved), the JSON sink carries the node as a field.
 * The applications therefore never write the host name themselves.
 *
 * The seed's programs print what they receive with Python's print(bytes),
 * so sim_app_pyrepr() spells bytes exactly as CPython's bytes.__repr__
 * (Objects/bytesobject.c): b'...' quoted with ' unless the bytes hold ' and
 * no ", then with "; \\ \t \n \r and the quote escaped; other bytes below
 * 0x20 or from 0x7f up as \xNN in lower-case hex.
 */
#pragma once

#include "sim/l4/tcp.h"
#include "sim/link/node.h"
#include "sim/net/addr.h"

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

/* One line of application output from node (printf-style). */
void sim_app_line(SimNode *node, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* The node's IP stack, or NULL with an error: every app starts here. */
SimIpStack *sim_app_stack(SimNode *node, GError **error);
/* A TCP listener on port of node (any address) calling cb->accept with
 * user; NULL with an error (port in use). The caller owns the pcb. */
SimTcpPcb *sim_app_listen(SimNode *node, uint16_t port, guint backlog, const SimTcpCallbacks *cb,
                          void *user, GError **error);
/* An active open from node to dst:port with callbacks cb; NULL with an
 * error. The caller owns the pcb. */
SimTcpPcb *sim_app_connect(SimNode *node, SimIpv4 dst, uint16_t port, const SimTcpCallbacks *cb,
                           void *user, GError **error);
/* Appends Python's repr() of the bytes data[0..len) to out. */
void sim_app_pyrepr(GString *out, const uint8_t *data, size_t len);

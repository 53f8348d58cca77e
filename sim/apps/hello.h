/* hello.h - the seed tutorial's socket programs (network-programming
 * tutorial, chapter 2): the "Hello, client!" server behind `service hello
 * tcp PORT` and the one-shot client behind `send tcp TARGET:PORT "TEXT"`.
 *
 * Design: each program is the Python one turned into callbacks, call for
 * call. Server: listen(5); for each accepted connection, the first data
 * that arrives is what conn.recv(1024) returns (at most 1024 bytes, the
 * rest left unread); it prints `received b'...'` (Python's bytes repr),
 * sendall(b'Hello, client!') and close(). Client: connect, send(TEXT),
 * recv(1024), print the reply twice as the seed does (print(reply) and
 * print(reply.decode('utf-8'))), close().
 *
 * Where Linux is what a user checks against: close() with unread bytes
 * sends RST, not FIN (sim_tcp_close does so), exactly as the Python server
 * would if a client sent more than 1024 bytes. One difference: Python's
 * recv returns what the kernel holds when it is called; here it returns
 * the first segment's worth, which for a message in one segment is the
 * same. A second recv on the client is not made (the seed makes none).
 * When the server's close() resets, the reply it queued in the same
 * callback is discarded with the send buffer and the client sees
 * ECONNRESET; Linux would usually have put the reply on the wire during
 * sendall() already, so a real client might read it before the RST.
 *
 * Ownership: the objects are adopted by the node's IP stack and live until
 * the world is freed; per-connection state is freed when its pcb is given
 * up.
 */
#pragma once

#include "sim/link/node.h"
#include "sim/net/addr.h"

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_HELLO_REPLY "Hello, client!"
#define SIM_HELLO_RECV_MAX 1024 /* the seed's conn.recv(1024) */

/* The hello server on TCP port of node (backlog 5, as the seed's listen). */
gboolean sim_hello_start(SimNode *node, uint16_t port, GError **error);
/* The seed's client: sends data[0..len) to dst:port and prints the reply. */
gboolean sim_hello_send(SimNode *node, SimIpv4 dst, uint16_t port, const uint8_t *data, size_t len,
                        GError **error);

/* bulk.h - the transfer applications behind the scenario verbs `service
 * discard`, `tcp-send` and `udp-send`: a discard server (RFC 863) that
 * counts and checks what it receives, and senders that push a given number
 * of bytes of a known pattern.
 *
 * Design: the byte at stream offset i is bulk_pattern[i mod 65521] (a
 * prime period, so it never lines up with segment sizes); the receiver
 * compares what arrives against it, which checks every byte's value and
 * position, the property a hash of the stream would give, for the price of
 * a memcmp. Summaries are SIM_TR_APP records: the sender's when all its
 * bytes are acknowledged, the server's when the peer closes.
 *
 * Ownership: the objects are adopted by the node's IP stack and live until
 * the world is freed.
 */
#pragma once

#include "sim/link/node.h"
#include "sim/net/addr.h"

#include <glib.h>

typedef struct {
    size_t sndbuf, rcvbuf; /* 0: the TCP defaults */
    bool nodelay;
    bool noread;       /* discard: never consume (the window closes) */
    uint32_t dgram;    /* udp-send: payload bytes per datagram */
    uint64_t rate_bps; /* udp-send: pacing */
} SimBulkOpts;

void sim_bulk_opts_default(SimBulkOpts *o);
/* A discard server on port (TCP or UDP) of node. */
gboolean sim_discard_start(SimNode *node, bool tcp, uint16_t port, const SimBulkOpts *o,
                           GError **error);
/* Sends bytes to dst:port over TCP, or as UDP datagrams. */
gboolean sim_bulk_tcp_start(SimNode *node, SimIpv4 dst, uint16_t port, uint64_t bytes,
                            const SimBulkOpts *o, GError **error);
gboolean sim_bulk_udp_start(SimNode *node, SimIpv4 dst, uint16_t port, uint64_t bytes,
                            const SimBulkOpts *o, GError **error);

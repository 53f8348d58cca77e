/* dns_server_priv.h - what dns_server.c (socket, zones) and
 * dns_resolve.c (recursive and forwarding tasks) share. */
#pragma once

#include "sim/apps/dns_cache.h"
#include "sim/apps/dns_server.h"
#include "sim/core/world.h"
#include "sim/l4/udp.h"

struct _SimDnsServer {
    SimNode *node;
    SimWorld *w;
    SimUdpSocket *sock; /* port 53: queries in, answers out */
    SimUdpSocket *up;   /* ephemeral: our own queries to other servers */
    GPtrArray *zones;   /* SimDnsZone*, owned */
    SimDnsMode mode;
    SimIpv4 servers[SIM_DNS_MAX_UPSTREAM]; /* root hints or forwarders */
    guint n_servers;
    SimDnsCache *cache; /* resolvers only */
    GPtrArray *tasks;   /* Task*, owned (dns_resolve.c) */
    guint64 upstream;
};

void dns_server_note(SimDnsServer *s, const char *who, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Sends m (at most 512 bytes, TC beyond) from port 53 to dst:port. */
void dns_server_reply(SimDnsServer *s, const SimDnsMsg *m, SimIpv4 dst, uint16_t port);
/* A recursive or forwarded query from a client: starts a task. */
void dns_resolve_start(SimDnsServer *s, const SimDnsMsg *q, SimIpv4 client, uint16_t port);
/* A datagram on the upstream socket. */
void dns_resolve_recv(SimDnsServer *s, SimIpv4 src, uint16_t sport, const uint8_t *data,
                      size_t len);
void dns_resolve_free_tasks(SimDnsServer *s);

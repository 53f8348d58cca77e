/* bulk.c - discard server and bulk senders; see bulk.h. */
#include "sim/apps/bulk.h"

#include "sim/apps/appio.h"
#include "sim/l3/ipstack.h"
#include "sim/l4/tcp.h"
#include "sim/l4/udp.h"

#include <string.h>

#define PERIOD 65521u

static uint8_t pattern[PERIOD];

static void pattern_init(void)
{
    static gsize done;
    if (g_once_init_enter(&done)) {
        for (guint i = 0; i < PERIOD; i++)
            pattern[i] = (uint8_t)((i * 2654435761u) >> 24);
        g_once_init_leave(&done, 1);
    }
}

/* Bytes of data that differ from the pattern at stream offset off. */
static uint64_t pattern_check(uint64_t off, const uint8_t *data, size_t len)
{
    uint64_t bad = 0;
    while (len) {
        size_t at = (size_t)(off % PERIOD), n = MIN(len, PERIOD - at);
        if (memcmp(data, pattern + at, n) != 0) {
            for (size_t i = 0; i < n; i++)
                bad += data[i] != pattern[at + i];
        }
        data += n;
        off += n;
        len -= n;
    }
    return bad;
}

void sim_bulk_opts_default(SimBulkOpts *o)
{
    *o = (SimBulkOpts){.dgram = 1472, .rate_bps = 10000000};
}

static double mbps(uint64_t bytes, SimTime dt)
{
    return dt ? (double)bytes * 8 / ((double)dt / SIM_SEC) / 1e6 : 0;
}

/* ---- discard server ----------------------------------------------------------- */

typedef struct {
    SimNode *node;
    bool noread;
    uint16_t port;
    SimTcpPcb *listener;
    SimUdpSocket *udp;
    /* DiscardConn, the open connections: a run that stops before they
     * close (--until, the stepper's quit) frees them with the app, since
     * the stack frees their pcbs without a callback. */
    GPtrArray *conns;
} Discard;

typedef struct {
    Discard *d;
    uint64_t bytes, bad;
    SimTime start;
} DiscardConn;

static void dconn_recv(void *user, SimTcpPcb *pcb, const uint8_t *data, size_t len)
{
    DiscardConn *c = user;
    SimWorld *w = sim_node_world(c->d->node);
    if (len == 0) {
        SimIpv4 a;
        uint16_t p;
        char s[SIM_IPV4_STRLEN];
        sim_tcp_remote(pcb, &a, &p);
        SimTime dt = sim_world_now(w) - c->start;
        sim_app_line(c->d->node,
                     "discard :%u: %" G_GUINT64_FORMAT " bytes from %s:%u in %.6f s, %.2f Mb/s, %s",
                     c->d->port, c->bytes, sim_ipv4_format(a, s), p, (double)dt / SIM_SEC,
                     mbps(c->bytes, dt),
                     c->bad ? "bytes differ from the pattern" : "every byte as sent");
        sim_tcp_close(pcb);
        g_ptr_array_remove_fast(c->d->conns, c);
        return;
    }
    c->bad += pattern_check(c->bytes, data, len);
    c->bytes += len;
    if (!c->d->noread)
        sim_tcp_recved(pcb, len);
}

static void dconn_error(void *user, SimTcpPcb *pcb, SimTcpErr err)
{
    DiscardConn *c = user;
    sim_app_line(c->d->node, "discard :%u: %s after %" G_GUINT64_FORMAT " bytes", c->d->port,
                 sim_tcp_err_name(err), c->bytes);
    g_ptr_array_remove_fast(c->d->conns, c);
}

static void discard_accept(void *user, SimTcpPcb *listener, SimTcpPcb *pcb)
{
    Discard *d = user;
    DiscardConn *c = g_new0(DiscardConn, 1);
    c->d = d;
    c->start = sim_world_now(sim_node_world(d->node));
    g_ptr_array_add(d->conns, c);
    SimTcpCallbacks cb = {.recv = dconn_recv, .error = dconn_error};
    sim_tcp_set_callbacks(pcb, &cb, c);
}

static void discard_udp_recv(void *user, SimUdpSocket *s, SimIpv4 src, uint16_t sport,
                             const uint8_t *data, size_t len)
{
}

static void discard_free(void *p)
{
    Discard *d = p;
    sim_udp_free(d->udp);
    g_ptr_array_free(d->conns, TRUE);
    g_free(d);
}

/* The node's stack, or NULL with an error; every app starts here. */
static SimIpStack *app_stack(SimNode *node, GError **error)
{
    pattern_init();
    SimIpStack *st = sim_ip_stack(node);
    if (!st)
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_NOT_IP, "%s has no IP stack",
                    sim_node_name(node));
    return st;
}

gboolean sim_discard_start(SimNode *node, bool tcp, uint16_t port, const SimBulkOpts *o,
                           GError **error)
{
    SimIpStack *st = app_stack(node, error);
    if (!st)
        return FALSE;
    Discard *d = g_new0(Discard, 1);
    d->node = node;
    d->port = port;
    d->noread = o->noread;
    if (tcp) {
        SimTcp *t = sim_tcp_attach(node);
        d->listener = sim_tcp_new(t);
        if (o->rcvbuf)
            sim_tcp_opts(d->listener)->rcvbuf = o->rcvbuf;
        if (o->sndbuf)
            sim_tcp_opts(d->listener)->sndbuf = o->sndbuf;
        SimTcpCallbacks cb = {.accept = discard_accept};
        sim_tcp_set_callbacks(d->listener, &cb, d);
        if (!sim_tcp_bind(d->listener, 0, port, error) ||
            !sim_tcp_listen(d->listener, 128, error)) {
            sim_tcp_close(d->listener);
            g_free(d);
            return FALSE;
        }
    } else {
        d->udp = sim_udp_new(node, discard_udp_recv, NULL, d, error);
        if (!d->udp || !sim_udp_bind(d->udp, 0, port, error)) {
            sim_udp_free(d->udp);
            g_free(d);
            return FALSE;
        }
    }
    d->conns = g_ptr_array_new_with_free_func(g_free);
    sim_ip_stack_adopt(st, d, discard_free);
    return TRUE;
}

/* ---- TCP sender ------------------------------------------------------------------- */

typedef struct {
    SimNode *node;
    SimTcpPcb *pcb; /* NULL once given up */
    uint64_t total, queued, acked;
    SimTime start;
    char dst[32];
} Sender;

static void sender_fill(Sender *s)
{
    while (s->queued < s->total) {
        size_t at = (size_t)(s->queued % PERIOD);
        size_t n = (size_t)MIN((uint64_t)(PERIOD - at), s->total - s->queued);
        size_t took = sim_tcp_send(s->pcb, pattern + at, n);
        s->queued += took;
        if (took < n)
            return;
    }
    sim_tcp_shutdown(s->pcb);
}

static void sender_connected(void *user, SimTcpPcb *pcb)
{
    Sender *s = user;
    s->start = sim_world_now(sim_node_world(s->node));
    sender_fill(s);
}

static void sender_sent(void *user, SimTcpPcb *pcb, size_t acked)
{
    Sender *s = user;
    s->acked += acked;
    if (s->acked == s->total) {
        SimTcpInfo i;
        sim_tcp_info(pcb, &i);
        SimTime dt = sim_world_now(sim_node_world(s->node)) - s->start;
        sim_app_line(s->node,
                     "tcp-send %s: %" G_GUINT64_FORMAT " bytes acknowledged in %.6f s, %.2f Mb/s, "
                     "%" G_GUINT64_FORMAT " retransmitted segments (%" G_GUINT64_FORMAT " fast)",
                     s->dst, s->total, (double)dt / SIM_SEC, mbps(s->total, dt), i.retransmits,
                     i.fast_retransmits);
    }
    if (s->queued < s->total)
        sender_fill(s);
}

static void sender_recv(void *user, SimTcpPcb *pcb, const uint8_t *data, size_t len)
{
    Sender *s = user;
    if (len)
        sim_tcp_recved(pcb, len);
    else { /* the server closed its side: done */
        sim_tcp_close(pcb);
        s->pcb = NULL;
    }
}

static void sender_error(void *user, SimTcpPcb *pcb, SimTcpErr err)
{
    Sender *s = user;
    sim_app_line(s->node,
                 "tcp-send %s: %s after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                 " bytes acknowledged",
                 s->dst, sim_tcp_err_name(err), s->acked, s->total);
    s->pcb = NULL;
    sim_world_set_failed(sim_node_world(s->node));
}

gboolean sim_bulk_tcp_start(SimNode *node, SimIpv4 dst, uint16_t port, uint64_t bytes,
                            const SimBulkOpts *o, GError **error)
{
    if (!app_stack(node, error))
        return FALSE;
    SimTcp *t = sim_tcp_attach(node);
    Sender *s = g_new0(Sender, 1);
    s->node = node;
    s->total = bytes;
    char a[SIM_IPV4_STRLEN];
    g_snprintf(s->dst, sizeof s->dst, "%s:%u", sim_ipv4_format(dst, a), port);
    s->pcb = sim_tcp_new(t);
    SimTcpOpts *to = sim_tcp_opts(s->pcb);
    if (o->sndbuf)
        to->sndbuf = o->sndbuf;
    if (o->rcvbuf)
        to->rcvbuf = o->rcvbuf;
    to->nodelay = o->nodelay;
    SimTcpCallbacks cb = {.connected = sender_connected,
                          .sent = sender_sent,
                          .recv = sender_recv,
                          .error = sender_error};
    sim_tcp_set_callbacks(s->pcb, &cb, s);
    if (!sim_tcp_connect(s->pcb, dst, port, error)) {
        sim_tcp_abort(s->pcb);
        g_free(s);
        return FALSE;
    }
    sim_ip_stack_adopt(sim_ip_stack(node), s, g_free);
    return TRUE;
}

/* ---- UDP sender ---------------------------------------------------------------------- */

typedef struct {
    SimNode *node;
    SimUdpSocket *sock;
    SimIpv4 dst;
    uint16_t port;
    uint64_t total, sent;
    uint32_t dgram;
    SimTime gap;
    guint errors;
} UdpSender;

static void udp_tick(void *ctx, void *arg)
{
    UdpSender *u = ctx;
    size_t n = (size_t)MIN((uint64_t)u->dgram, u->total - u->sent);
    size_t at = (size_t)(u->sent % PERIOD);
    uint8_t buf[65535];
    for (size_t i = 0; i < n; i++)
        buf[i] = pattern[(at + i) % PERIOD];
    g_autoptr(GError) err = NULL;
    if (!sim_udp_sendto(u->sock, u->dst, u->port, buf, n, &err)) {
        sim_app_line(u->node, "udp-send: %s", err->message);
        sim_world_set_failed(sim_node_world(u->node));
        return;
    }
    u->sent += n;
    if (u->sent < u->total)
        sim_world_schedule(sim_node_world(u->node), u->gap, udp_tick, u, NULL);
    else
        sim_app_line(u->node, "udp-send: %" G_GUINT64_FORMAT " bytes sent", u->total);
}

static void udp_error(void *user, SimUdpSocket *s, const SimIpIcmpError *e)
{
    UdpSender *u = user;
    if (u->errors++ == 0) {
        char a[SIM_IPV4_STRLEN];
        sim_app_line(u->node, "udp-send: ICMP type %u code %u from %s%s", e->type, e->code,
                     sim_ipv4_format(e->from, a),
                     e->type == 3 && e->code == 3 ? " (Connection refused)" : "");
    }
}

static void udp_sender_free(void *p)
{
    UdpSender *u = p;
    sim_udp_free(u->sock);
    g_free(u);
}

gboolean sim_bulk_udp_start(SimNode *node, SimIpv4 dst, uint16_t port, uint64_t bytes,
                            const SimBulkOpts *o, GError **error)
{
    if (!app_stack(node, error))
        return FALSE;
    UdpSender *u = g_new0(UdpSender, 1);
    u->sock = sim_udp_new(node, NULL, udp_error, u, error);
    if (!u->sock) {
        g_free(u);
        return FALSE;
    }
    u->node = node;
    u->dst = dst;
    u->port = port;
    u->total = bytes;
    u->dgram = CLAMP(o->dgram, 1u, 65507u);
    uint64_t wire = (uint64_t)u->dgram + 28;
    u->gap = (SimTime)(wire * 8 * SIM_SEC / MAX(o->rate_bps, (uint64_t)1));
    sim_udp_set_broadcast(u->sock, true);
    sim_ip_stack_adopt(sim_ip_stack(node), u, udp_sender_free);
    sim_world_schedule(sim_node_world(node), 0, udp_tick, u, NULL);
    return TRUE;
}

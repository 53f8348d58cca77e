/* traceroute.c - see traceroute.h. Annotations and line layout follow
 * traceroute/traceroute.c (parse_icmp_res, print_probe). */
#include "sim/apps/traceroute.h"

#include "sim/core/world.h"
#include "sim/l3/ipstack.h"
#include "sim/net/icmp_hdr.h"
#include "sim/net/l4_hdr.h"
#include "sim/net/wire.h"

#include <string.h>

struct _SimTraceroute {
    SimIpStack *st;
    SimWorld *w;
    const char *node;
    SimIpv4 dst;
    SimTracerouteOpts o;
    uint16_t sport; /* UDP source port, or ICMP echo id */
    bool bound;
    guint ttl;    /* current hop */
    guint q;      /* probe within the hop */
    guint n_sent; /* probes so far: offsets the port / seq */
    uint16_t cur; /* port or seq of the probe in flight */
    SimTime sent_at;
    bool final; /* this hop ends the trace */
    SimTracerouteHop hop;
    uint8_t *data;
    size_t data_len;
    SimEventId timer;
    SimTracerouteResults r;
    SimTracerouteDoneFn done;
    void *done_user;
};

#define OUT(t, ...) SIM_TRACE((t)->w, SIM_TR_APP, SIM_DROP_NONE, (t)->node, NULL, NULL, __VA_ARGS__)

void sim_traceroute_opts_default(SimTracerouteOpts *o)
{
    *o = (SimTracerouteOpts){
        .max_hops = 30,
        .first_hop = 1,
        .nqueries = 3,
        .wait = 5 * SIM_SEC,
        .port = 33434,
        .packet_len = 60,
        .icmp = false,
    };
}

static void tr_free(void *obj)
{
    SimTraceroute *t = obj;
    g_array_free(t->r.hops, TRUE);
    g_free(t->data);
    g_free(t);
}

static void finish(SimTraceroute *t)
{
    if (t->r.finished)
        return;
    if (t->timer.seq)
        sim_world_cancel(t->w, t->timer);
    t->timer = SIM_EVENT_ID_NONE;
    if (t->bound) {
        if (t->o.icmp)
            sim_ip_echo_unbind(t->st, t->sport);
        else
            sim_ip_udp_unbind(t->st, t->sport);
    }
    t->bound = false;
    t->r.finished = true;
    if (t->done)
        t->done(t, t->done_user);
}

static void print_hop(SimTraceroute *t)
{
    if (!sim_trace_wants(sim_world_trace(t->w), SIM_TR_APP))
        return;
    g_autoptr(GString) s = g_string_new(NULL);
    g_string_append_printf(s, "%2u ", t->hop.ttl);
    SimIpv4 prev = 0;
    for (guint i = 0; i < t->hop.nprobes; i++) {
        const SimTracerouteProbe *p = &t->hop.probes[i];
        if (!p->addr) {
            g_string_append(s, " *");
            continue;
        }
        char a[SIM_IPV4_STRLEN];
        /* The address is printed again only when it changes. */
        if (p->addr != prev)
            g_string_append_printf(s, " %s", sim_ipv4_format(p->addr, a));
        prev = p->addr;
        g_string_append_printf(s, "  %.3f ms", (double)p->rtt / SIM_MS);
        if (p->annot[0])
            g_string_append_printf(s, " %s", p->annot);
    }
    OUT(t, "%s", s->str);
}

static void send_probe(void *ctx, void *arg);

/* The current probe is settled (answered or timed out): move on. */
static void next_probe(SimTraceroute *t)
{
    if (t->timer.seq)
        sim_world_cancel(t->w, t->timer);
    t->timer = SIM_EVENT_ID_NONE;
    t->hop.nprobes = ++t->q;
    if (t->q < t->o.nqueries) {
        t->timer = sim_world_schedule(t->w, 0, send_probe, t, NULL);
        return;
    }
    print_hop(t);
    g_array_append_val(t->r.hops, t->hop);
    if (t->final || t->ttl >= t->o.max_hops) {
        finish(t);
        return;
    }
    t->ttl++;
    t->q = 0;
    memset(&t->hop, 0, sizeof t->hop);
    t->hop.ttl = t->ttl;
    t->timer = sim_world_schedule(t->w, 0, send_probe, t, NULL);
}

static void probe_timeout(void *ctx, void *arg)
{
    SimTraceroute *t = ctx;
    t->timer = SIM_EVENT_ID_NONE;
    next_probe(t);
}

static void send_probe(void *ctx, void *arg)
{
    SimTraceroute *t = ctx;
    t->timer = SIM_EVENT_ID_NONE;
    t->cur = (uint16_t)(t->o.port + t->n_sent++);
    t->sent_at = sim_world_now(t->w);
    SimIpTxOpts tx = {.ttl = (uint8_t)t->ttl};
    g_autoptr(GError) err = NULL;
    gboolean ok;
    if (t->o.icmp)
        ok = sim_ip_echo_send(t->st, t->dst, t->sport, t->cur, t->data, t->data_len, &tx, &err);
    else
        ok = sim_ip_udp_send(t->st, t->sport, t->dst, t->cur, t->data, t->data_len, &tx, &err);
    if (!ok) {
        OUT(t, "send: %s", err->message);
        finish(t);
        return;
    }
    t->timer = sim_world_schedule(t->w, t->o.wait, probe_timeout, t, NULL);
}

static void record(SimTraceroute *t, SimIpv4 from, SimTime now, uint8_t type, uint8_t code,
                   uint16_t mtu)
{
    SimTracerouteProbe *p = &t->hop.probes[t->q];
    p->addr = from;
    p->rtt = now - t->sent_at;
    p->type = type;
    p->code = code;
    const char *s = NULL;
    if (type == SIM_ICMP_TIME_EXCEEDED && code == SIM_ICMP_EXC_TTL) {
        next_probe(t);
        return;
    }
    if (type == SIM_ICMP_ECHO_REPLY) {
        s = "";
    } else if (type == SIM_ICMP_DEST_UNREACH) {
        switch (code) {
        case 0:
        case 6:
        case 8:
        case 11:
            s = "!N";
            break;
        case 1:
        case 7:
        case 12:
            s = "!H";
            break;
        case 9:
        case 10:
        case 13:
            s = "!X";
            break;
        case 2:
            s = "!P";
            break;
        case 3:
            s = ""; /* the destination was reached */
            break;
        case 4:
            g_snprintf(p->annot, sizeof p->annot, "!F-%u", mtu);
            break;
        case 5:
            s = "!S";
            break;
        default:
            g_snprintf(p->annot, sizeof p->annot, "!<%u>", code);
            break;
        }
    } else {
        g_snprintf(p->annot, sizeof p->annot, "!<%u-%u>", type, code);
    }
    if (s)
        g_strlcpy(p->annot, s, sizeof p->annot);
    if (from == t->dst)
        t->r.reached = true;
    t->final = true;
    next_probe(t);
}

/* Is this answer about the probe in flight? Late answers to probes that
 * already timed out are ignored, as Linux ignores unknown sequence. */
static void on_error(void *user, const SimIpIcmpError *e)
{
    SimTraceroute *t = user;
    if (t->r.finished || !t->timer.seq || e->orig.dst != t->dst || e->orig_len < 8)
        return;
    uint16_t key = t->o.icmp ? sim_wire_get16(e->orig_data + 6) : sim_wire_get16(e->orig_data + 2);
    if (key != t->cur)
        return;
    record(t, e->from, e->time, e->type, e->code, e->mtu);
}

static void on_echo(void *user, const SimIpRxInfo *rx, uint16_t id, uint16_t seq,
                    const uint8_t *data, size_t len)
{
    SimTraceroute *t = user;
    if (t->r.finished || !t->timer.seq || seq != t->cur)
        return;
    record(t, rx->src, rx->time, SIM_ICMP_ECHO_REPLY, 0, 0);
}

static void on_udp(void *user, const SimIpRxInfo *rx, uint16_t sport, uint16_t dport,
                   const uint8_t *data, size_t len)
{
    /* A UDP answer to a probe means nothing to traceroute. */
}

static gboolean bind_probe_socket(SimTraceroute *t, GError **error)
{
    if (t->o.icmp) {
        t->sport = sim_ip_echo_alloc_id(t->st);
        return sim_ip_echo_bind(t->st, t->sport, on_echo, on_error, t, error);
    }
    t->sport = sim_ip_udp_alloc_port(t->st);
    return sim_ip_udp_bind(t->st, t->sport, on_udp, on_error, t, error);
}

SimTraceroute *sim_traceroute_start(SimNode *host, SimIpv4 dst, const SimTracerouteOpts *opts,
                                    GError **error)
{
    SimTracerouteOpts def;
    sim_traceroute_opts_default(&def);
    if (!opts) {
        opts = &def;
    } else if (opts->icmp && opts->port == def.port) {
        def = *opts;
        def.port = 1; /* ICMP sequence numbers start at 1 */
        opts = &def;
    }
    SimIpStack *st = sim_ip_stack(host);
    if (!st) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_NOT_IP,
                    "%s cannot run traceroute: it has no IP stack", sim_node_name(host));
        return NULL;
    }
    if (opts->max_hops == 0 || opts->max_hops > 255 || opts->first_hop == 0 ||
        opts->first_hop > opts->max_hops || opts->nqueries == 0 ||
        opts->nqueries > SIM_TRACEROUTE_MAX_QUERIES || opts->packet_len < 28 ||
        opts->packet_len > 65000) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID,
                    "traceroute: bad options (hops 1..255, queries 1..%d, length 28..65000)",
                    SIM_TRACEROUTE_MAX_QUERIES);
        return NULL;
    }
    SimTraceroute *t = g_new0(SimTraceroute, 1);
    t->st = st;
    t->w = sim_node_world(host);
    t->node = sim_node_name(host);
    t->dst = dst;
    t->o = *opts;
    t->r.hops = g_array_new(FALSE, TRUE, sizeof(SimTracerouteHop));
    t->data_len = opts->packet_len - 28; /* IP 20 + UDP or ICMP 8 */
    t->data = g_malloc0(MAX(t->data_len, 1));
    for (size_t i = 0; i < t->data_len; i++)
        t->data[i] = (uint8_t)(0x40 + (i & 0x3f));
    sim_ip_stack_adopt(st, t, tr_free);
    if (!bind_probe_socket(t, error))
        return NULL; /* the stack still owns t */
    t->bound = true;
    t->ttl = opts->first_hop;
    t->hop.ttl = t->ttl;
    char a[SIM_IPV4_STRLEN];
    sim_ipv4_format(dst, a);
    OUT(t, "traceroute to %s (%s), %u hops max, %u byte packets", opts->name ? opts->name : a, a,
        opts->max_hops, opts->packet_len);
    t->timer = sim_world_schedule(t->w, 0, send_probe, t, NULL);
    return t;
}

const SimTracerouteResults *sim_traceroute_results(const SimTraceroute *tr)
{
    return &tr->r;
}

SimIpv4 sim_traceroute_hop_addr(const SimTraceroute *tr, guint i)
{
    if (i >= tr->r.hops->len)
        return 0;
    const SimTracerouteHop *h = &g_array_index(tr->r.hops, SimTracerouteHop, i);
    for (guint k = 0; k < h->nprobes; k++)
        if (h->probes[k].addr)
            return h->probes[k].addr;
    return 0;
}

void sim_traceroute_set_done(SimTraceroute *tr, SimTracerouteDoneFn fn, void *user)
{
    tr->done = fn;
    tr->done_user = user;
}

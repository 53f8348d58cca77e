/* ping.c - see ping.h. Output strings and arithmetic follow iputils
 * (ping/ping_common.c): RTTs in microseconds, integer mean and mdev. */
#include "sim/apps/ping.h"

#include "sim/core/world.h"
#include "sim/l3/ipstack.h"
#include "sim/net/icmp_hdr.h"
#include "sim/net/wire.h"

#include <string.h>

#define TIMESTAMP_LEN 16 /* struct timeval on LP64, as iputils writes it */

struct _SimPing {
    SimIpStack *st;
    SimWorld *w;
    const char *node;
    SimIpv4 dst;
    char dst_str[SIM_IPV4_STRLEN];
    char host[256]; /* the name typed, else dst_str (iputils' hostname) */
    SimPingOpts o;
    uint16_t id;
    bool bound;
    SimTime start, last_send;
    GArray *sent_at; /* SimTime per seq - 1 */
    GArray *seen;    /* guint8 per seq - 1: reply received */
    uint8_t *data;   /* the request payload, rebuilt per send */
    SimEventId timer;
    int64_t tsum, tsum2, tmin, tmax; /* microseconds */
    guint pipe;
    SimPingResults r;
    SimPingDoneFn done;
    void *done_user;
};

#define OUT(p, ...) SIM_TRACE((p)->w, SIM_TR_APP, SIM_DROP_NONE, (p)->node, NULL, NULL, __VA_ARGS__)

void sim_ping_opts_default(SimPingOpts *o)
{
    *o = (SimPingOpts){
        .count = 4,
        .interval = SIM_SEC,
        .size = 56,
        .ttl = SIM_IPV4_DEFAULT_TTL,
        .timeout = 10 * SIM_SEC,
        .pmtudisc = SIM_IP_PMTUDISC_WANT,
    };
}

static void ping_free(void *obj)
{
    SimPing *p = obj;
    /* Runs at world teardown: the event queue is gone, touch only memory. */
    g_array_free(p->sent_at, TRUE);
    g_array_free(p->seen, TRUE);
    g_array_free(p->r.rtts, TRUE);
    g_free(p->data);
    g_free(p);
}

/* iputils' llsqrt (ping_common.c), Newton's method on integers, copied in
 * behaviour: it returns floor(sqrt(a)) except when a + 1 is a perfect
 * square, where it returns sqrt(a + 1) (a = 3 gives 2): iterating until x
 * stops falling ends one step past the floor there. Linux's ping prints
 * that value, so mdev matches it to the microsecond; libm's sqrt would not. */
static int64_t llsqrt(int64_t a)
{
    int64_t prev = INT64_MAX, x = a;
    if (x > 0) {
        while (x < prev) {
            prev = x;
            x = (x + a / x) / 2;
        }
    }
    return x;
}
static void print_summary(SimPing *p)
{
    if (!sim_trace_wants(sim_world_trace(p->w), SIM_TR_APP))
        return;
    SimPingResults *r = &p->r;
    OUT(p, "--- %s ping statistics ---", p->host);
    g_autoptr(GString) s = g_string_new(NULL);
    g_string_append_printf(s, "%u packets transmitted, %u received", r->transmitted, r->received);
    if (r->duplicates)
        g_string_append_printf(s, ", +%u duplicates", r->duplicates);
    if (r->errors)
        g_string_append_printf(s, ", +%u errors", r->errors);
    if (r->transmitted) {
        double loss =
            (double)(r->transmitted - MIN(r->received, r->transmitted)) * 100.0 / r->transmitted;
        g_string_append_printf(s, ", %g%% packet loss, time %" G_GUINT64_FORMAT "ms", loss,
                               (p->last_send - p->start + SIM_MS / 2) / SIM_MS);
    }
    OUT(p, "%s", s->str);
    g_string_truncate(s, 0);
    const char *comma = "";
    guint total = r->received + r->duplicates;
    if (r->received && p->o.size >= TIMESTAMP_LEN) {
        int64_t avg = p->tsum / total;
        int64_t var = p->tsum2 / total - avg * avg;
        int64_t mdev = llsqrt(var);
        g_string_append_printf(s,
                               "rtt min/avg/max/mdev = %" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT
                               "/%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
                               ".%03" G_GINT64_FORMAT "/%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT
                               " ms",
                               p->tmin / 1000, p->tmin % 1000, avg / 1000, avg % 1000,
                               p->tmax / 1000, p->tmax % 1000, mdev / 1000, mdev % 1000);
        comma = ", ";
    }
    if (p->pipe > 1)
        g_string_append_printf(s, "%spipe %u", comma, p->pipe);
    if (s->len)
        OUT(p, "%s", s->str);
}

static void finish(SimPing *p)
{
    if (p->r.finished)
        return;
    if (p->timer.seq)
        sim_world_cancel(p->w, p->timer);
    p->timer = SIM_EVENT_ID_NONE;
    if (p->bound)
        sim_ip_echo_unbind(p->st, p->id);
    p->bound = false;
    p->r.finished = true;
    if (!p->r.no_route)
        print_summary(p);
    if (p->done)
        p->done(p, p->done_user);
}

static void maybe_finish(SimPing *p)
{
    if (p->r.transmitted == p->o.count && p->r.received + p->r.errors >= p->o.count)
        finish(p);
}

static void send_next(void *ctx, void *arg);

static void linger_expired(void *ctx, void *arg)
{
    SimPing *p = ctx;
    p->timer = SIM_EVENT_ID_NONE;
    finish(p);
}

/* iputils __schedule_exit: wait for stragglers after the last request. */
static void schedule_exit(SimPing *p)
{
    SimTime wait = p->o.timeout;
    if (p->r.received) {
        wait = 2 * (SimTime)p->tmax * SIM_US;
        if (wait < p->o.interval)
            wait = p->o.interval;
    }
    p->timer = sim_world_schedule(p->w, wait, linger_expired, p, NULL);
}

static void fill_payload(SimPing *p, SimTime now)
{
    if (p->o.size < TIMESTAMP_LEN)
        return;
    /* struct timeval, little-endian as an x86-64 Linux host writes it. */
    uint64_t sec = now / SIM_SEC, usec = now % SIM_SEC / SIM_US;
    for (int i = 0; i < 8; i++) {
        p->data[i] = (uint8_t)(sec >> (8 * i));
        p->data[8 + i] = (uint8_t)(usec >> (8 * i));
    }
}

static void send_next(void *ctx, void *arg)
{
    SimPing *p = ctx;
    p->timer = SIM_EVENT_ID_NONE;
    SimTime now = sim_world_now(p->w);
    uint16_t seq = (uint16_t)(p->r.transmitted + 1);
    if (p->r.transmitted == 0)
        p->start = now;
    p->last_send = now;
    fill_payload(p, now);
    g_array_index(p->sent_at, SimTime, seq - 1) = now;
    p->r.transmitted++;
    SimIpTxOpts tx = {.ttl = p->o.ttl, .pmtudisc = p->o.pmtudisc};
    g_autoptr(GError) err = NULL;
    if (!sim_ip_echo_send(p->st, p->dst, p->id, seq, p->data, p->o.size, &tx, &err)) {
        p->r.errors++;
        if (g_error_matches(err, SIM_IP_ERROR, SIM_IP_ERROR_MSG_SIZE))
            OUT(p, "ping: local error: %s", err->message);
        else
            OUT(p, "ping: sendmsg: %s", err->message);
    }
    guint outstanding = p->r.transmitted - MIN(p->r.transmitted, p->r.received + p->r.errors);
    p->pipe = MAX(p->pipe, outstanding);
    if (p->r.transmitted < p->o.count)
        p->timer = sim_world_schedule(p->w, p->o.interval, send_next, p, NULL);
    else
        schedule_exit(p);
    maybe_finish(p);
}

/* iputils' time=: three significant digits. */
static void format_rtt(int64_t us, char *buf, size_t n)
{
    if (us >= 100000 - 50)
        g_snprintf(buf, n, "%" G_GINT64_FORMAT, (us + 500) / 1000);
    else if (us >= 10000 - 5)
        g_snprintf(buf, n, "%" G_GINT64_FORMAT ".%01" G_GINT64_FORMAT, (us + 50) / 1000,
                   (us + 50) % 1000 / 100);
    else if (us >= 1000)
        g_snprintf(buf, n, "%" G_GINT64_FORMAT ".%02" G_GINT64_FORMAT, (us + 5) / 1000,
                   (us + 5) % 1000 / 10);
    else
        g_snprintf(buf, n, "%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT, us / 1000, us % 1000);
}

static void on_reply(void *user, const SimIpRxInfo *rx, uint16_t id, uint16_t seq,
                     const uint8_t *data, size_t len)
{
    SimPing *p = user;
    if (seq == 0 || seq > p->r.transmitted)
        return; /* not one of ours */
    SimTime rtt = rx->time - g_array_index(p->sent_at, SimTime, seq - 1);
    int64_t us = (int64_t)(rtt / SIM_US);
    guint8 *seen = &g_array_index(p->seen, guint8, seq - 1);
    bool dup = *seen;
    *seen = 1;
    if (dup) {
        p->r.duplicates++;
    } else {
        p->r.received++;
        g_array_append_val(p->r.rtts, rtt);
    }
    p->r.last_ttl = rx->ttl;
    p->tsum += us;
    p->tsum2 += us * us;
    p->tmin = p->r.received + p->r.duplicates == 1 ? us : MIN(p->tmin, us);
    p->tmax = MAX(p->tmax, us);
    if (sim_trace_wants(sim_world_trace(p->w), SIM_TR_APP)) {
        char from[SIM_IPV4_STRLEN], t[32] = "";
        sim_ipv4_format(rx->src, from);
        if (p->o.size >= TIMESTAMP_LEN) {
            char v[24];
            format_rtt(us, v, sizeof v);
            g_snprintf(t, sizeof t, " time=%s ms", v);
        }
        OUT(p, "%u bytes from %s: icmp_seq=%u ttl=%u%s%s", (unsigned)len + 8, from, seq, rx->ttl, t,
            dup ? " (DUP!)" : "");
    }
    maybe_finish(p);
}

/* iputils pr_icmph() wording. */
static const char *error_text(const SimIpIcmpError *e, char *buf, size_t n)
{
    static const char *const unreach[] = {
        "Destination Net Unreachable",
        "Destination Host Unreachable",
        "Destination Protocol Unreachable",
        "Destination Port Unreachable",
        NULL,
        "Source Route Failed",
        "Destination Net Unknown",
        "Destination Host Unknown",
        "Source Host Isolated",
        "Destination Net Prohibited",
        "Destination Host Prohibited",
        "Destination Net Unreachable for Type of Service",
        "Destination Host Unreachable for Type of Service",
        "Packet filtered",
        "Precedence Violation",
        "Precedence Cutoff",
    };
    if (e->type == SIM_ICMP_DEST_UNREACH) {
        if (e->code == SIM_ICMP_UNREACH_FRAG_NEEDED)
            g_snprintf(buf, n, "Frag needed and DF set (mtu = %u)", e->mtu);
        else if (e->code < G_N_ELEMENTS(unreach))
            g_snprintf(buf, n, "%s", unreach[e->code]);
        else
            g_snprintf(buf, n, "Dest Unreachable, Bad Code: %u", e->code);
    } else if (e->type == SIM_ICMP_TIME_EXCEEDED) {
        g_snprintf(buf, n, "%s",
                   e->code == 0 ? "Time to live exceeded" : "Frag reassembly time exceeded");
    } else {
        g_snprintf(buf, n, "Bad ICMP type: %u", e->type);
    }
    return buf;
}

static void on_error(void *user, const SimIpIcmpError *e)
{
    SimPing *p = user;
    uint16_t seq = e->orig_len >= 8 ? sim_wire_get16(e->orig_data + 6) : 0;
    if (seq == 0 || seq > p->r.transmitted)
        return;
    p->r.errors++;
    p->r.last_error_from = e->from;
    p->r.last_error_type = e->type;
    p->r.last_error_code = e->code;
    if (sim_trace_wants(sim_world_trace(p->w), SIM_TR_APP)) {
        char from[SIM_IPV4_STRLEN], msg[80];
        OUT(p, "From %s icmp_seq=%u %s", sim_ipv4_format(e->from, from), seq,
            error_text(e, msg, sizeof msg));
    }
    maybe_finish(p);
}

static void no_route(void *ctx, void *arg)
{
    SimPing *p = ctx;
    p->timer = SIM_EVENT_ID_NONE;
    OUT(p, "ping: connect: Network is unreachable");
    finish(p);
}

static SimPing *ping_new(SimIpStack *st, SimNode *host, SimIpv4 dst, const SimPingOpts *o)
{
    SimPing *p = g_new0(SimPing, 1);
    p->st = st;
    p->w = sim_node_world(host);
    p->node = sim_node_name(host);
    p->dst = dst;
    sim_ipv4_format(dst, p->dst_str);
    g_strlcpy(p->host, o->name ? o->name : p->dst_str, sizeof p->host);
    p->o = *o;
    p->o.name = NULL;
    p->sent_at = g_array_sized_new(FALSE, TRUE, sizeof(SimTime), o->count);
    g_array_set_size(p->sent_at, o->count);
    p->seen = g_array_sized_new(FALSE, TRUE, sizeof(guint8), o->count);
    g_array_set_size(p->seen, o->count);
    /* Sized for every reply up front: no allocation while pinging. */
    p->r.rtts = g_array_sized_new(FALSE, FALSE, sizeof(SimTime), o->count);
    p->r.last_ttl = -1;
    p->data = g_malloc0(MAX(o->size, 1));
    /* iputils' fill pattern: byte i of the data is i (the timestamp then
     * overwrites the first 16). */
    for (guint i = 0; i < o->size; i++)
        p->data[i] = (uint8_t)i;
    sim_ip_stack_adopt(st, p, ping_free);
    return p;
}

SimPing *sim_ping_start(SimNode *host, SimIpv4 dst, const SimPingOpts *opts, GError **error)
{
    SimPingOpts def;
    sim_ping_opts_default(&def);
    const SimPingOpts *o = opts ? opts : &def;
    SimIpStack *st = sim_ip_stack(host);
    if (!st) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_NOT_IP, "%s cannot ping: it has no IP stack",
                    sim_node_name(host));
        return NULL;
    }
    if (o->count == 0 || o->count > 65535 || o->size > 65507 || o->interval == 0) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID,
                    "ping: count must be 1..65535, size at most 65507, interval > 0");
        return NULL;
    }
    SimPing *p = ping_new(st, host, dst, o);
    if (!sim_ip_route_lookup(st, dst, NULL, NULL, NULL, NULL) && !sim_ip_is_local(st, dst) &&
        (dst >> 24) != 127) {
        /* Reported from an event, so the caller can still set a done hook. */
        p->r.no_route = true;
        p->timer = sim_world_schedule(p->w, 0, no_route, p, NULL);
        return p;
    }
    p->id = sim_ip_echo_alloc_id(st);
    if (!sim_ip_echo_bind(st, p->id, on_reply, on_error, p, error))
        return NULL; /* the stack still owns p */
    p->bound = true;
    OUT(p, "PING %s (%s) %u(%u) bytes of data.", p->host, p->dst_str, o->size, o->size + 8 + 20);
    p->timer = sim_world_schedule(p->w, 0, send_next, p, NULL);
    return p;
}

const SimPingResults *sim_ping_results(const SimPing *ping)
{
    return &ping->r;
}

void sim_ping_set_done(SimPing *ping, SimPingDoneFn fn, void *user)
{
    ping->done = fn;
    ping->done_user = user;
}

uint16_t sim_ping_id(const SimPing *ping)
{
    return ping->id;
}

/* stp.c - 802.1D STP and RSTP; see stp.h for what is modelled.
 *
 * One function decides roles for both protocols (update_roles: the root
 * port from the received priority vectors, then each port's role), and
 * set_role applies a role with the protocol's state rules. Timers are
 * ordinary world events, one per running timer, cancelled when stopped:
 * a per-bridge 1 s tick (802.1D's model) was rejected because it rounds
 * every transition to a second and costs an event per bridge per second
 * even when nothing runs.
 */
#include "sim/l2/stp_priv.h"

#include "sim/link/iface.h"
#include "sim/link/link.h"
#include "sim/link/node.h"
#include "sim/net/bpdu.h"
#include "sim/net/packet.h"

#include <string.h>

#define AGE_INCREMENT 256 /* message age increment, 1 s (802.1D-1998 8.10.2) */

void sim_stp_config_default(SimStpConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->mode = SIM_STP_IEEE;
    cfg->priority = SIM_STP_DEFAULT_PRIORITY;
    cfg->hello = SIM_STP_DEFAULT_HELLO;
    cfg->max_age = SIM_STP_DEFAULT_MAX_AGE;
    cfg->forward_delay = SIM_STP_DEFAULT_FWD_DELAY;
}

uint32_t sim_stp_cost_for_rate(uint64_t rate_bps)
{
    static const struct {
        uint64_t rate;
        uint32_t cost;
    } table[] = {{10000000000ULL, 2}, {1000000000ULL, 4}, {100000000ULL, 19},
                 {16000000ULL, 62},   {10000000ULL, 100}, {4000000ULL, 250}};
    for (gsize i = 0; i < G_N_ELEMENTS(table); i++)
        if (rate_bps >= table[i].rate)
            return table[i].cost;
    return 250;
}

const char *sim_stp_role_name(SimStpRole role)
{
    static const char *const names[] = {"disabled", "root", "designated", "alternate", "backup"};
    return names[role];
}

const char *sim_stp_state_name(SimStpMode mode, SimStpState st)
{
    static const char *const names[] = {"disabled", "blocking", "listening", "learning",
                                        "forwarding"};
    if (mode == SIM_STP_RSTP && (st == SIM_STP_BLOCKING || st == SIM_STP_LISTENING))
        return "discarding";
    return names[st];
}

const char *sim_stp_mode_name(SimStpMode mode)
{
    return mode == SIM_STP_RSTP ? "rstp" : mode == SIM_STP_IEEE ? "ieee" : "off";
}

static int vec_cmp(const StpVec *a, const StpVec *b)
{
    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    if (a->cost != b->cost)
        return a->cost < b->cost ? -1 : 1;
    if (a->bridge != b->bridge)
        return a->bridge < b->bridge ? -1 : 1;
    if (a->port != b->port)
        return a->port < b->port ? -1 : 1;
    return 0;
}

static SimTime now(const SimStp *s)
{
    return sim_world_now(s->w);
}

static const char *plabel(const StpPort *p)
{
    return sim_bridge_label(p->stp->bridge, p->idx);
}

static const char *pname(const StpPort *p)
{
    return sim_iface_name(sim_bridge_port(p->stp->bridge, p->idx));
}

static bool tracing(const SimStp *s, SimTraceKind k)
{
    return sim_trace_wants(sim_world_trace(s->w), k);
}

/* ---- timers --------------------------------------------------------------- */

static void timer_stop(SimStp *s, StpTimer *t)
{
    if (t->on)
        sim_world_cancel(s->w, t->id);
    t->on = false;
}

static void timer_start(SimStp *s, StpTimer *t, SimTime delay, SimEventFn fn, void *ctx)
{
    timer_stop(s, t);
    t->on = true;
    t->id = sim_world_schedule(s->w, delay, fn, ctx, NULL);
}

/* ---- sending -------------------------------------------------------------- */

static uint8_t role_bits(const StpPort *p)
{
    switch (p->role) {
    case SIM_STP_ROLE_ROOT:
        return SIM_BPDU_ROLE_ROOT << 2;
    case SIM_STP_ROLE_DESIGNATED:
        return SIM_BPDU_ROLE_DESIGNATED << 2;
    case SIM_STP_ROLE_ALTERNATE:
    case SIM_STP_ROLE_BACKUP:
        return SIM_BPDU_ROLE_ALT_BACKUP << 2;
    default:
        return 0;
    }
}

static void transmit(SimStp *s, StpPort *p, const SimBpdu *b, const char *why)
{
    if (!p->enabled)
        return;
    SimPacket *pkt = sim_bpdu_emit(sim_world_pool(s->w), &s->cfg.mac, b);
    s->stats.bpdu_tx++;
    p->tx++;
    if (tracing(s, SIM_TR_BPDU)) {
        char root[SIM_BRIDGE_ID_STRLEN], br[SIM_BRIDGE_ID_STRLEN], pid[SIM_PORT_ID_STRLEN];
        if (b->type == SIM_BPDU_TYPE_TCN)
            sim_world_tracef(s->w, SIM_TR_BPDU, SIM_DROP_NONE, s->name, pname(p), pkt,
                             "sends a TCN BPDU on %s toward the root (%s)", plabel(p), why);
        else
            sim_world_tracef(
                s->w, SIM_TR_BPDU, SIM_DROP_NONE, s->name, pname(p), pkt,
                "sends %s BPDU on %s (%s): root %s cost %u bridge %s port %s age %us%s%s%s%s (%s)",
                b->type == SIM_BPDU_TYPE_RST ? "an RST" : "a Configuration", plabel(p),
                sim_stp_role_name(p->role), sim_bridge_id_format(b->root_id, root), b->root_cost,
                sim_bridge_id_format(b->bridge_id, br), sim_port_id_format(b->port_id, pid),
                b->message_age / 256, b->flags & SIM_BPDU_F_TC ? ", TC" : "",
                b->flags & SIM_BPDU_F_TCA ? ", TCA" : "",
                b->flags & SIM_BPDU_F_PROPOSAL ? ", proposal" : "",
                b->flags & SIM_BPDU_F_AGREEMENT ? ", agreement" : "", why);
    }
    sim_bridge_send(s->bridge, p->idx, pkt);
}

static void emit_config(SimStp *s, StpPort *p, const char *why)
{
    bool rst = stp_rstp(s) && !p->send_stp;
    SimBpdu b = {
        .version = rst ? 2 : 0,
        .type = rst ? SIM_BPDU_TYPE_RST : SIM_BPDU_TYPE_CONFIG,
        .root_id = s->root.root,
        .root_cost = s->root.cost,
        .bridge_id = s->id,
        .port_id = p->id,
        .message_age = s->root_port < 0 ? 0 : (uint16_t)(s->root_msg_age + AGE_INCREMENT),
        .max_age = s->times.max_age,
        .hello_time = s->times.hello,
        .forward_delay = s->times.fwd_delay,
    };
    if (!stp_rstp(s)) {
        b.flags = (s->tc ? SIM_BPDU_F_TC : 0) | (p->tca_pending ? SIM_BPDU_F_TCA : 0);
        p->tca_pending = false;
    } else if (rst) {
        b.flags = role_bits(p);
        if (p->proposing && p->role == SIM_STP_ROLE_DESIGNATED)
            b.flags |= SIM_BPDU_F_PROPOSAL;
        if (p->state >= SIM_STP_LEARNING)
            b.flags |= SIM_BPDU_F_LEARNING;
        if (p->state == SIM_STP_FORWARDING)
            b.flags |= SIM_BPDU_F_FORWARDING;
        if (p->agree_pending || (p->agreed && p->role == SIM_STP_ROLE_ROOT))
            b.flags |= SIM_BPDU_F_AGREEMENT;
        if (now(s) < p->tc_until)
            b.flags |= SIM_BPDU_F_TC;
        p->agree_pending = false;
    } else { /* RSTP toward an 802.1D neighbour */
        b.flags =
            (now(s) < p->tc_until ? SIM_BPDU_F_TC : 0) | (p->tca_pending ? SIM_BPDU_F_TCA : 0);
        p->tca_pending = false;
    }
    transmit(s, p, &b, why);
}

static void tx_flush(void *ctx, void *arg);

/* Transmit hold (802.1D-2004 17.13.12 TxHoldCount 6; 802.1D-1998 8.5.3.14
 * Hold Time 1 s, one BPDU): at most `hold` BPDUs a second per port. */
static bool tx_allowed(SimStp *s, StpPort *p)
{
    SimTime t = now(s);
    uint64_t secs = (t - p->tx_at) / SIM_SEC;
    if (secs) {
        p->tx_count = secs >= p->tx_count ? 0 : p->tx_count - (guint)secs;
        p->tx_at += secs * SIM_SEC;
    }
    return p->tx_count < (stp_rstp(s) ? 6u : 1u);
}

static void tx_schedule(SimStp *s, SimTime at)
{
    if (s->tx_pending && s->tx_at <= at)
        return;
    if (s->tx_pending)
        sim_world_cancel(s->w, s->tx_ev);
    s->tx_pending = true;
    s->tx_at = at;
    s->tx_ev = sim_world_schedule_at(s->w, at, tx_flush, s, NULL);
}

/* Sends everything news asked for in one BPDU per port, after the event
 * that made the news (so that a burst of changes is one BPDU). */
static void tx_flush(void *ctx, void *arg)
{
    SimStp *s = ctx;
    s->tx_pending = false;
    for (guint i = 0; i < s->n; i++) {
        StpPort *p = &s->ports[i];
        if (!p->new_info)
            continue;
        if (!p->enabled) {
            p->new_info = false;
        } else if (tx_allowed(s, p)) {
            p->new_info = false;
            if (p->tx_count == 0)
                p->tx_at = now(s);
            p->tx_count++;
            emit_config(s, p, p->tx_why);
        } else {
            tx_schedule(s, p->tx_at + SIM_SEC);
        }
    }
}

/* why must be a string literal: it is read when the BPDU goes out. */
static void send_config(SimStp *s, StpPort *p, const char *why)
{
    if (!p->new_info)
        p->tx_why = why;
    p->new_info = true;
    tx_schedule(s, now(s));
}

static void send_designated(SimStp *s, const char *why)
{
    for (guint i = 0; i < s->n; i++)
        if (s->ports[i].role == SIM_STP_ROLE_DESIGNATED)
            send_config(s, &s->ports[i], why);
}

static void hello_expired(void *ctx, void *arg);

static void start_hello(SimStp *s)
{
    timer_start(s, &s->hello_timer, sim_bpdu_time(s->times.hello), hello_expired, s);
}

static void hello_expired(void *ctx, void *arg)
{
    SimStp *s = ctx;
    s->hello_timer.on = false;
    if (stp_rstp(s) || s->root_port < 0) {
        send_designated(s, "hello timer");
        start_hello(s);
    }
}

/* ---- states ---------------------------------------------------------------- */

static void set_state(SimStp *s, StpPort *p, SimStpState st, const char *why)
{
    if (p->state == st)
        return;
    SimStpState old = p->state;
    p->state = st;
    sim_bridge_set_blocked(s->bridge, p->idx, st != SIM_STP_FORWARDING);
    if (tracing(s, SIM_TR_STP)) {
        const char *o = sim_stp_state_name(s->cfg.mode, old);
        const char *n = sim_stp_state_name(s->cfg.mode, st);
        if (strcmp(o, n) != 0)
            sim_world_tracef(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, pname(p), NULL,
                             "%s %s: %s → %s (%s)", plabel(p), sim_stp_role_name(p->role), o, n,
                             why);
    }
}

static void topology_change(SimStp *s, StpPort *p, const char *why);

static void fwd_expired(void *ctx, void *arg)
{
    StpPort *p = ctx;
    SimStp *s = p->stp;
    p->fwd_timer.on = false;
    char why[64];
    g_snprintf(why, sizeof why, "forward delay %us expired", s->times.fwd_delay / 256);
    if (p->state == SIM_STP_BLOCKING || p->state == SIM_STP_LISTENING) {
        set_state(s, p, SIM_STP_LEARNING, why);
        timer_start(s, &p->fwd_timer, sim_bpdu_time(s->times.fwd_delay), fwd_expired, p);
    } else if (p->state == SIM_STP_LEARNING) {
        set_state(s, p, SIM_STP_FORWARDING, why);
        p->proposing = false;
        topology_change(s, p, "a port started forwarding");
    }
}

/* The port forwards; RSTP's rapid transitions skip learning's wait. */
static void forward_now(SimStp *s, StpPort *p, const char *why)
{
    timer_stop(s, &p->fwd_timer);
    timer_stop(s, &p->edge_timer);
    p->proposing = false;
    if (p->state == SIM_STP_FORWARDING)
        return;
    set_state(s, p, SIM_STP_FORWARDING, why);
    if (!p->oper_edge)
        topology_change(s, p, "a port started forwarding");
}

static void discard(SimStp *s, StpPort *p, const char *why)
{
    timer_stop(s, &p->fwd_timer);
    timer_stop(s, &p->edge_timer);
    bool was = p->state >= SIM_STP_LEARNING;
    set_state(s, p, p->enabled ? SIM_STP_BLOCKING : SIM_STP_DISABLED, why);
    if (was && !stp_rstp(s) && p->enabled)
        topology_change(s, p, "a forwarding port was blocked");
}

static void edge_expired(void *ctx, void *arg)
{
    StpPort *p = ctx;
    SimStp *s = p->stp;
    p->edge_timer.on = false;
    if (p->rcvd_bpdu || p->role != SIM_STP_ROLE_DESIGNATED)
        return;
    p->oper_edge = true;
    forward_now(s, p, "no BPDU heard for the 3 s migrate time: an edge port (802.1D-2004 17.25)");
}

/* A designated port that does not forward yet: STP listens; RSTP proposes
 * and waits for an agreement, else forward delay twice. */
static void designated_start(SimStp *s, StpPort *p, const char *why)
{
    if (p->oper_edge || p->admin_edge) {
        p->oper_edge = true;
        forward_now(s, p, "edge port");
        return;
    }
    if (p->state == SIM_STP_FORWARDING)
        return;
    if (!stp_rstp(s)) {
        if (p->state == SIM_STP_BLOCKING) {
            set_state(s, p, SIM_STP_LISTENING, why);
            timer_start(s, &p->fwd_timer, sim_bpdu_time(s->times.fwd_delay), fwd_expired, p);
        }
        return;
    }
    p->agreed = false;
    if (!p->send_stp)
        p->proposing = true;
    if (!p->fwd_timer.on)
        timer_start(s, &p->fwd_timer, sim_bpdu_time(s->times.fwd_delay), fwd_expired, p);
    if (!p->rcvd_bpdu && !p->edge_timer.on)
        timer_start(s, &p->edge_timer, SIM_STP_MIGRATE_TIME, edge_expired, p);
}

/* ---- topology change ------------------------------------------------------- */

static void tc_expired(void *ctx, void *arg);
static void tcn_expired(void *ctx, void *arg);

static void set_tc_flag(SimStp *s, bool on, const char *why)
{
    if (s->tc == on)
        return;
    s->tc = on;
    SimTime fd = sim_bpdu_time(s->times.fwd_delay);
    if (s->ops && s->ops->set_aging)
        s->ops->set_aging(s->owner, on ? fd : 0);
    SIM_TRACE(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, NULL, NULL,
              on ? "topology change flag set (%s): MAC entries age after the forward delay, %us"
                 : "topology change flag cleared (%s): MAC aging back to normal",
              why, s->times.fwd_delay / 256);
}

static void send_tcn(SimStp *s)
{
    StpPort *rp = &s->ports[s->root_port];
    SimBpdu b = {.version = 0, .type = SIM_BPDU_TYPE_TCN};
    transmit(s, rp, &b, s->tcn_pending ? "no acknowledgement yet" : "topology change");
    timer_start(s, &s->tcn_timer, sim_bpdu_time(s->times.hello), tcn_expired, s);
}

static void tcn_expired(void *ctx, void *arg)
{
    SimStp *s = ctx;
    s->tcn_timer.on = false;
    if (s->tcn_pending && s->root_port >= 0)
        send_tcn(s);
}

static void tc_expired(void *ctx, void *arg)
{
    SimStp *s = ctx;
    s->tc_timer.on = false;
    set_tc_flag(s, false, "topology change time over");
}

static void root_tc(SimStp *s)
{
    set_tc_flag(s, true, "this bridge is the root");
    SimTime t = sim_bpdu_time(s->times.max_age) + sim_bpdu_time(s->times.fwd_delay);
    timer_start(s, &s->tc_timer, t, tc_expired, s);
}

/* RSTP: flush the other ports and tell the neighbours (17.29 TCM). */
static void rstp_propagate(SimStp *s, StpPort *from, const char *why)
{
    if (s->ops && s->ops->flush)
        s->ops->flush(s->owner, from ? (int)from->idx : -1, why);
    SimTime until = now(s) + sim_bpdu_time(s->times.hello) + SIM_SEC;
    for (guint i = 0; i < s->n; i++) {
        StpPort *q = &s->ports[i];
        if (q == from || q->oper_edge || !q->enabled ||
            (q->role != SIM_STP_ROLE_ROOT && q->role != SIM_STP_ROLE_DESIGNATED))
            continue;
        if (now(s) >= q->tc_until) {
            q->tc_until = until;
            send_config(s, q, "topology change");
        }
    }
}

static void topology_change(SimStp *s, StpPort *p, const char *why)
{
    if (!s->started)
        return;
    if (stp_rstp(s)) {
        if (p && p->oper_edge)
            return;
        s->stats.topology_changes++;
        s->stats.last_topology_change = now(s);
        SIM_TRACE(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, p ? pname(p) : NULL, NULL,
                  "topology change on %s (%s): flush MAC entries of the other ports, TC to the "
                  "neighbours",
                  p ? plabel(p) : "the bridge", why);
        rstp_propagate(s, p, why);
        return;
    }
    /* 802.1D-1998 8.6.14: only a bridge designated for some LAN reports. */
    bool designated = false;
    for (guint i = 0; i < s->n; i++)
        designated |= s->ports[i].role == SIM_STP_ROLE_DESIGNATED;
    if (!designated && p && p->state != SIM_STP_BLOCKING)
        return;
    s->stats.topology_changes++;
    s->stats.last_topology_change = now(s);
    SIM_TRACE(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, p ? pname(p) : NULL, NULL,
              "topology change on %s (%s): %s", p ? plabel(p) : "the bridge", why,
              s->root_port < 0 ? "the root sets TC in its BPDUs"
                               : "TCN to the root until acknowledged");
    if (s->root_port < 0) {
        root_tc(s);
        send_designated(s, "topology change");
    } else if (!s->tcn_pending) {
        send_tcn(s);
        s->tcn_pending = true;
    }
}

/* ---- roles ----------------------------------------------------------------- */

static StpVec designated_vec(const SimStp *s, const StpPort *p)
{
    return (StpVec){s->root.root, s->root.cost, s->id, p->id};
}

static void age_expired(void *ctx, void *arg);
static void update_roles(SimStp *s, const char *why);

static void set_role(SimStp *s, StpPort *p, SimStpRole r, const char *why)
{
    SimStpRole old = p->role;
    if (old != r) {
        p->role = r;
        SIM_TRACE(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, pname(p), NULL, "%s role %s → %s (%s)",
                  plabel(p), sim_stp_role_name(old), sim_stp_role_name(r), why);
    }
    switch (r) {
    case SIM_STP_ROLE_DISABLED:
        p->proposing = p->agreed = false;
        discard(s, p, "link down");
        break;
    case SIM_STP_ROLE_ALTERNATE:
    case SIM_STP_ROLE_BACKUP:
        p->proposing = p->agreed = false;
        if (p->state != SIM_STP_BLOCKING && tracing(s, SIM_TR_STP))
            sim_world_tracef(
                s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, pname(p), NULL,
                "blocks %s: %s offers a better path to the root than this bridge could, so a "
                "forwarding %s would close a loop",
                plabel(p),
                r == SIM_STP_ROLE_BACKUP ? "another port of this bridge" : "its neighbour",
                plabel(p));
        discard(s, p, r == SIM_STP_ROLE_BACKUP ? "backup port" : "alternate port");
        break;
    case SIM_STP_ROLE_ROOT:
        p->proposing = false;
        if (old != r)
            p->agreed = false;
        if (stp_rstp(s)) {
            forward_now(s, p, "a new root port forwards at once (802.1D-2004 17.29.2)");
        } else if (p->state == SIM_STP_BLOCKING) {
            set_state(s, p, SIM_STP_LISTENING, "root port");
            timer_start(s, &p->fwd_timer, sim_bpdu_time(s->times.fwd_delay), fwd_expired, p);
        }
        break;
    case SIM_STP_ROLE_DESIGNATED:
        /* RSTP: a former root port may still be forwarding toward a
         * bridge that now reaches the root through us: re-sync it. */
        if (stp_rstp(s) && old == SIM_STP_ROLE_ROOT && !p->oper_edge)
            discard(s, p, "former root port re-syncs as designated");
        designated_start(s, p, "designated port");
        break;
    }
}

/* Root selection (802.1D-1998 8.6.8, 802.1D-2004 17.21.25) and then each
 * port's role. Ports that stop forwarding change first, so that no
 * instant has both an old and a new path forwarding. */
static void update_roles(SimStp *s, const char *why)
{
    StpVec best = {s->id, 0, s->id, 0};
    int rp = -1;
    uint16_t rp_id = 0;
    for (guint i = 0; i < s->n; i++) {
        const StpPort *p = &s->ports[i];
        if (!p->enabled || !p->has_info || p->info.bridge == s->id)
            continue;
        StpVec c = {p->info.root, p->info.cost + p->cost, p->info.bridge, p->info.port};
        int k = vec_cmp(&c, &best);
        if (k < 0 || (k == 0 && rp >= 0 && p->id < rp_id)) {
            best = c;
            rp = (int)i;
            rp_id = p->id;
        }
    }
    uint64_t old_root = s->root.root;
    int old_rp = s->root_port;
    s->root = best;
    s->root_port = rp;
    if (rp >= 0) {
        s->root_msg_age = s->ports[rp].msg_age;
        s->times = s->ports[rp].msg_times;
    } else {
        s->root_msg_age = 0;
        s->times = (StpTimes){sim_bpdu_units(s->cfg.max_age), sim_bpdu_units(s->cfg.hello),
                              sim_bpdu_units(s->cfg.forward_delay)};
    }
    if ((old_root != s->root.root || old_rp != rp) && tracing(s, SIM_TR_STP)) {
        char id[SIM_BRIDGE_ID_STRLEN];
        if (rp < 0)
            sim_world_tracef(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, NULL, NULL,
                             "this bridge %s is the root: no port hears a better bridge id (%s)",
                             sim_bridge_id_format(s->id, id), why);
        else
            sim_world_tracef(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, pname(&s->ports[rp]), NULL,
                             "root is %s at cost %u through %s (%s)",
                             sim_bridge_id_format(s->root.root, id), s->root.cost,
                             plabel(&s->ports[rp]), why);
    }
    SimStpRole *roles = g_newa(SimStpRole, s->n);
    for (guint i = 0; i < s->n; i++) {
        StpPort *p = &s->ports[i];
        StpVec d = designated_vec(s, p);
        if (!p->enabled)
            roles[i] = SIM_STP_ROLE_DISABLED;
        else if ((int)i == rp)
            roles[i] = SIM_STP_ROLE_ROOT;
        else if (!p->has_info || vec_cmp(&d, &p->info) <= 0)
            roles[i] = SIM_STP_ROLE_DESIGNATED;
        else if (p->info.bridge == s->id)
            roles[i] = SIM_STP_ROLE_BACKUP;
        else
            roles[i] = SIM_STP_ROLE_ALTERNATE;
        if (roles[i] == SIM_STP_ROLE_DESIGNATED && p->has_info) {
            p->has_info = false; /* the port's info is ours from now on */
            timer_stop(s, &p->age_timer);
        }
    }
    for (int pass = 0; pass < 2; pass++) {
        for (guint i = 0; i < s->n; i++) {
            bool blocks = roles[i] == SIM_STP_ROLE_ALTERNATE || roles[i] == SIM_STP_ROLE_BACKUP ||
                          roles[i] == SIM_STP_ROLE_DISABLED;
            if (blocks == (pass == 0))
                set_role(s, &s->ports[i], roles[i], why);
        }
    }
    if (!stp_rstp(s) && rp < 0 && old_rp >= 0) {
        /* Became the root: hellos start here, a pending TCN is moot. */
        s->tcn_pending = false;
        timer_stop(s, &s->tcn_timer);
        topology_change(s, NULL, "this bridge became the root");
        if (!s->hello_timer.on)
            start_hello(s);
    }
}

static void age_expired(void *ctx, void *arg)
{
    StpPort *p = ctx;
    SimStp *s = p->stp;
    p->age_timer.on = false;
    if (!p->has_info)
        return;
    p->has_info = false;
    char why[96];
    g_snprintf(why, sizeof why, "information on %s aged out after %s", plabel(p),
               stp_rstp(s) ? "3 x hello" : "max age");
    SIM_TRACE(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, pname(p), NULL, "%s", why);
    update_roles(s, why);
    send_designated(s, "new information");
}

/* ---- receiving ------------------------------------------------------------- */

static void trace_rx(SimStp *s, StpPort *p, const SimPacket *pkt, const SimBpdu *b,
                     const char *verdict)
{
    if (!tracing(s, SIM_TR_BPDU))
        return;
    char root[SIM_BRIDGE_ID_STRLEN], br[SIM_BRIDGE_ID_STRLEN], pid[SIM_PORT_ID_STRLEN];
    if (b->type == SIM_BPDU_TYPE_TCN) {
        sim_world_tracef(s->w, SIM_TR_BPDU, SIM_DROP_NONE, s->name, pname(p), pkt,
                         "received a TCN BPDU on %s: %s", plabel(p), verdict);
        return;
    }
    sim_world_tracef(
        s->w, SIM_TR_BPDU, SIM_DROP_NONE, s->name, pname(p), pkt,
        "received %s BPDU on %s: root %s cost %u bridge %s port %s age %us%s%s%s%s: %s",
        b->type == SIM_BPDU_TYPE_RST ? "an RST" : "a Configuration", plabel(p),
        sim_bridge_id_format(b->root_id, root), b->root_cost,
        sim_bridge_id_format(b->bridge_id, br), sim_port_id_format(b->port_id, pid),
        b->message_age / 256, b->flags & SIM_BPDU_F_TC ? ", TC" : "",
        b->flags & SIM_BPDU_F_TCA ? ", TCA" : "",
        b->flags & SIM_BPDU_F_PROPOSAL ? ", proposal" : "",
        b->flags & SIM_BPDU_F_AGREEMENT ? ", agreement" : "", verdict);
}

/* RSTP: a proposal heard on the root port. Sync: every other non-edge
 * designated port stops forwarding (and proposes downstream), then agree. */
static void rstp_sync(SimStp *s, StpPort *rp)
{
    for (guint i = 0; i < s->n; i++) {
        StpPort *q = &s->ports[i];
        if (q == rp || q->role != SIM_STP_ROLE_DESIGNATED || q->oper_edge || !q->enabled)
            continue;
        if (q->state != SIM_STP_BLOCKING)
            discard(s, q, "sync: the root port heard a proposal");
        designated_start(s, q, "sync");
    }
    rp->agreed = true;
    rp->agree_pending = true;
    send_config(s, rp, "agreement: all other designated ports are synced");
    send_designated(s, "proposal after sync");
}

static void tcn_received(SimStp *s, StpPort *p, const SimPacket *pkt, const SimBpdu *b)
{
    if (p->role != SIM_STP_ROLE_DESIGNATED) {
        trace_rx(s, p, pkt, b, "ignored, not a designated port");
        return;
    }
    trace_rx(s, p, pkt, b, "acknowledge it and pass the change toward the root");
    p->tca_pending = true;
    if (stp_rstp(s)) {
        topology_change(s, p, "TCN from an 802.1D neighbour");
    } else {
        s->stats.topology_changes++;
        if (s->root_port < 0) {
            root_tc(s);
        } else if (!s->tcn_pending) {
            s->tcn_pending = true;
            send_tcn(s);
        }
    }
    send_config(s, p, "acknowledge TCN");
}

/* The root port's info carries the root's TC flag and may acknowledge our
 * TCN (802.1D-1998 8.7.1). */
static void stp_root_port_flags(SimStp *s, const SimBpdu *b)
{
    if ((b->flags & SIM_BPDU_F_TCA) && s->tcn_pending) {
        s->tcn_pending = false;
        timer_stop(s, &s->tcn_timer);
        SIM_TRACE(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, NULL, NULL,
                  "the designated bridge acknowledged our TCN");
    }
    set_tc_flag(s, (b->flags & SIM_BPDU_F_TC) != 0, "heard from the root");
}

static void config_received(SimStp *s, StpPort *p, const SimPacket *pkt, const SimBpdu *b)
{
    bool rstp = stp_rstp(s);
    SimBpduRole brole = b->type == SIM_BPDU_TYPE_RST ? sim_bpdu_role(b) : SIM_BPDU_ROLE_DESIGNATED;
    if (rstp && (b->flags & SIM_BPDU_F_AGREEMENT) && p->role == SIM_STP_ROLE_DESIGNATED &&
        b->type == SIM_BPDU_TYPE_RST) {
        trace_rx(s, p, pkt, b, "the neighbour agrees");
        p->agreed = true;
        forward_now(s, p, "agreement received: the neighbour has synced (802.1D-2004 17.29.3)");
        if (brole != SIM_BPDU_ROLE_DESIGNATED)
            return;
    }
    if (rstp && brole != SIM_BPDU_ROLE_DESIGNATED) {
        if (b->flags & SIM_BPDU_F_AGREEMENT)
            return;
        trace_rx(s, p, pkt, b, "from a root or alternate port, nothing to record");
        return;
    }
    StpVec m = {b->root_id, b->root_cost, b->bridge_id, b->port_id};
    StpVec d = designated_vec(s, p);
    bool same_sender = p->has_info && p->info.bridge == m.bridge && p->info.port == m.port;
    bool accept;
    if (p->has_info)
        accept = vec_cmp(&m, &p->info) <= 0 || (rstp && same_sender);
    else
        accept = vec_cmp(&m, &d) < 0;
    if (!accept) {
        bool reply = p->role == SIM_STP_ROLE_DESIGNATED;
        trace_rx(s, p, pkt, b,
                 reply ? "worse than ours: this port stays designated and replies"
                       : "worse than the recorded information: ignored");
        if (reply)
            send_config(s, p, "reply to inferior information");
        return;
    }
    bool changed = !p->has_info || vec_cmp(&m, &p->info) != 0 ||
                   memcmp(&p->msg_times, &(StpTimes){b->max_age, b->hello_time, b->forward_delay},
                          sizeof p->msg_times) != 0;
    trace_rx(s, p, pkt, b,
             !changed                                   ? "same as recorded, timer restarted"
             : p->has_info && vec_cmp(&m, &p->info) > 0 ? "worse news from the designated bridge, "
                                                          "recorded"
                                                        : "better than recorded, recorded");
    p->has_info = true;
    p->info = m;
    p->msg_age = b->message_age;
    p->msg_times = (StpTimes){b->max_age, b->hello_time, b->forward_delay};
    SimTime life = rstp ? 3 * sim_bpdu_time(b->hello_time)
                        : sim_bpdu_time(b->max_age) - sim_bpdu_time(b->message_age);
    timer_start(s, &p->age_timer, life, age_expired, p);
    if (changed) {
        char why[48];
        g_snprintf(why, sizeof why, "BPDU on %s", plabel(p));
        update_roles(s, why);
        if (rstp)
            send_designated(s, "new information");
    }
    if (p->role == SIM_STP_ROLE_ROOT) {
        if (!rstp) {
            stp_root_port_flags(s, b);
            send_designated(s, "relaying the root's BPDU");
        } else if ((b->flags & SIM_BPDU_F_PROPOSAL) && (changed || !p->agreed)) {
            rstp_sync(s, p);
        } else if (b->flags & SIM_BPDU_F_PROPOSAL) {
            p->agree_pending = true; /* synced already for this information */
            send_config(s, p, "agreement: still synced");
        }
    } else if (rstp && (b->flags & SIM_BPDU_F_PROPOSAL) &&
               (p->role == SIM_STP_ROLE_ALTERNATE || p->role == SIM_STP_ROLE_BACKUP)) {
        p->agree_pending = true;
        send_config(s, p, "an alternate port agrees: it discards anyway");
    }
    if (rstp && (b->flags & SIM_BPDU_F_TC) && p->state == SIM_STP_FORWARDING &&
        (p->role == SIM_STP_ROLE_ROOT || p->role == SIM_STP_ROLE_DESIGNATED)) {
        s->stats.topology_changes++;
        s->stats.last_topology_change = now(s);
        char why[64];
        g_snprintf(why, sizeof why, "TC heard on %s", plabel(p));
        rstp_propagate(s, p, why);
    }
}

bool sim_stp_input(SimStp *s, guint port, SimPacket *pkt)
{
    const uint8_t *f = sim_packet_cdata(pkt);
    size_t len = sim_packet_len(pkt);
    if (!sim_bpdu_is_group_frame(f, len))
        return false;
    StpPort *p = &s->ports[port];
    SimBpdu b;
    g_autoptr(GError) err = NULL;
    if (!sim_bpdu_parse(f, len, &b, &err)) {
        sim_iface_count_drop(sim_bridge_port(s->bridge, port), SIM_DROP_MALFORMED);
        SIM_TRACE(s->w, SIM_TR_DROP, SIM_DROP_MALFORMED, s->name, pname(p), pkt,
                  "not relayed: frames to 01:80:c2:00:00:00 are for the bridge (%s)", err->message);
        sim_packet_unref(pkt);
        return true;
    }
    s->stats.bpdu_rx++;
    p->rx++;
    if (!p->enabled || !s->started) {
        sim_packet_unref(pkt);
        return true;
    }
    p->rcvd_bpdu = true;
    timer_stop(s, &p->edge_timer);
    if (p->oper_edge && !p->admin_edge) {
        p->oper_edge = false;
        SIM_TRACE(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, pname(p), NULL,
                  "%s heard a BPDU: not an edge port", plabel(p));
    }
    if (stp_rstp(s) && b.type != SIM_BPDU_TYPE_RST && !p->send_stp) {
        p->send_stp = true;
        p->proposing = false;
        SIM_TRACE(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, pname(p), NULL,
                  "%s hears an 802.1D bridge: it sends 802.1D BPDUs there from now on "
                  "(802.1D-2004 17.24)",
                  plabel(p));
    } else if (stp_rstp(s) && b.type == SIM_BPDU_TYPE_RST && p->send_stp) {
        p->send_stp = false;
    }
    if (!stp_rstp(s) && b.type == SIM_BPDU_TYPE_RST) {
        trace_rx(s, p, pkt, &b, "ignored: an 802.1D-1998 bridge knows no RST BPDU");
    } else if (b.type == SIM_BPDU_TYPE_TCN) {
        tcn_received(s, p, pkt, &b);
    } else if (b.message_age >= b.max_age) {
        trace_rx(s, p, pkt, &b, "message age reached max age: discarded");
    } else {
        config_received(s, p, pkt, &b);
    }
    sim_packet_unref(pkt);
    return true;
}

/* ---- ports, lifetime ---------------------------------------------------------- */

static uint32_t auto_cost(const StpPort *p)
{
    SimLink *l = sim_iface_link(sim_bridge_port(p->stp->bridge, p->idx));
    return sim_stp_cost_for_rate(l ? sim_link_params(l)->rate_bps : 100000000ULL);
}

static void port_enable(SimStp *s, StpPort *p)
{
    p->enabled = true;
    p->rcvd_bpdu = false;
    p->oper_edge = p->admin_edge;
    p->send_stp = false;
    if (!p->cost_set)
        p->cost = auto_cost(p);
    p->state = SIM_STP_DISABLED;
    set_state(s, p, SIM_STP_BLOCKING, "link up");
}

void sim_stp_link_changed(SimStp *s, guint port, bool up)
{
    StpPort *p = &s->ports[port];
    if (!s->started || p->enabled == up)
        return;
    if (up) {
        port_enable(s, p);
        update_roles(s, "link up");
        send_config(s, p, "link up");
        return;
    }
    p->enabled = false;
    p->has_info = false;
    timer_stop(s, &p->age_timer);
    bool was_root = (int)port == s->root_port;
    update_roles(s, was_root ? "the root port's link went down" : "link down");
    send_designated(s, "new information");
}

static void power_on(void *ctx, void *arg)
{
    SimStp *s = ctx;
    s->started = true;
    for (guint i = 0; i < s->n; i++)
        if (sim_iface_is_up(sim_bridge_port(s->bridge, i)))
            port_enable(s, &s->ports[i]);
    s->root.root = 0; /* so that update_roles reports the first root */
    update_roles(s, "power on");
    send_designated(s, "power on");
    start_hello(s);
}

SimStp *sim_stp_new(SimBridge *bridge, const SimStpConfig *cfg, const SimStpOps *ops, void *owner)
{
    SimStp *s = g_new0(SimStp, 1);
    SimNode *node = sim_bridge_node(bridge);
    s->w = sim_node_world(node);
    s->bridge = bridge;
    s->name = sim_node_name(node);
    s->cfg = *cfg;
    s->ops = ops;
    s->owner = owner;
    s->id = sim_bridge_id(cfg->priority, &cfg->mac);
    s->n = sim_bridge_n_ports(bridge);
    s->ports = g_new0(StpPort, MAX(s->n, 1));
    s->stats.last_topology_change = SIM_TIME_MAX;
    for (guint i = 0; i < s->n; i++) {
        StpPort *p = &s->ports[i];
        p->stp = s;
        p->idx = i;
        p->id = (uint16_t)(0x8000 | ((i + 1) & 0x0fff));
        sim_bridge_set_blocked(bridge, i, true);
    }
    s->root.root = s->id;
    s->root_port = -1;
    s->times = (StpTimes){sim_bpdu_units(cfg->max_age), sim_bpdu_units(cfg->hello),
                          sim_bpdu_units(cfg->forward_delay)};
    sim_world_schedule(s->w, 0, power_on, s, NULL);
    return s;
}

void sim_stp_free(SimStp *s)
{
    if (!s)
        return;
    /* Pending timers die with the event queue, which is freed first. */
    g_free(s->ports);
    g_free(s);
}

void sim_stp_set_port_cost(SimStp *s, guint port, uint32_t cost)
{
    g_return_if_fail(port < s->n);
    s->ports[port].cost_set = cost != 0;
    s->ports[port].cost = cost ? cost : auto_cost(&s->ports[port]);
}

void sim_stp_set_port_edge(SimStp *s, guint port, bool edge)
{
    g_return_if_fail(port < s->n);
    s->ports[port].admin_edge = edge;
}

bool sim_stp_port_learns(const SimStp *s, guint port)
{
    return port < s->n && s->ports[port].state >= SIM_STP_LEARNING;
}

bool sim_stp_port_forwards(const SimStp *s, guint port)
{
    return port < s->n && s->ports[port].state == SIM_STP_FORWARDING;
}

SimStpMode sim_stp_mode(const SimStp *s)
{
    return s->cfg.mode;
}

uint64_t sim_stp_bridge_id(const SimStp *s)
{
    return s->id;
}

uint64_t sim_stp_root_id(const SimStp *s)
{
    return s->root.root;
}

uint32_t sim_stp_root_cost(const SimStp *s)
{
    return s->root.cost;
}

int sim_stp_root_port(const SimStp *s)
{
    return s->root_port;
}

SimStpRole sim_stp_port_role(const SimStp *s, guint port)
{
    return port < s->n ? s->ports[port].role : SIM_STP_ROLE_DISABLED;
}

SimStpState sim_stp_port_state(const SimStp *s, guint port)
{
    return port < s->n ? s->ports[port].state : SIM_STP_DISABLED;
}

uint32_t sim_stp_port_cost(const SimStp *s, guint port)
{
    return port < s->n ? s->ports[port].cost : 0;
}

const SimStpStats *sim_stp_stats(const SimStp *s)
{
    return &s->stats;
}

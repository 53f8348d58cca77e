/* stp.c - 802.1D STP and RSTP: timers, sending, port states, roles and
 * topology change; see stp.h for what is modelled. Receiving is in
 * stp_rx.c, the `show spanning-tree` table in stp_show.c.
 *
 * One function decides roles for both protocols (stp_update_roles: the root
 * port from the received priority vectors, then each port's role), and
 * set_role applies a role with the protocol's state rules. Timers are
 * ordinary world events, one per running timer, cancelled when stopped:
 * a per-bridge 1 s tick (802.1D's model) was rejected because it rounds
 * every transition to a second and costs an event per bridge per second
 * even when nothing runs. BPDUs are not sent where the news is made but
 * flagged per port and sent by one flush event right after (tx_flush), so
 * that the several changes one BPDU causes go out as one BPDU, under the
 * transmit hold limit: sending at once gave ten times the BPDUs on a grid.
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

/* ---- timers --------------------------------------------------------------- */

void stp_timer_stop(SimStp *s, StpTimer *t)
{
    if (t->on)
        sim_world_cancel(s->w, t->id);
    t->on = false;
}

void stp_timer_start(SimStp *s, StpTimer *t, SimTime delay, SimEventFn fn, void *ctx)
{
    stp_timer_stop(s, t);
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
    if (stp_tracing(s, SIM_TR_BPDU)) {
        char root[SIM_BRIDGE_ID_STRLEN], br[SIM_BRIDGE_ID_STRLEN], pid[SIM_PORT_ID_STRLEN];
        if (b->type == SIM_BPDU_TYPE_TCN)
            sim_world_tracef(s->w, SIM_TR_BPDU, SIM_DROP_NONE, s->name, stp_pname(p), pkt,
                             "sends a TCN BPDU on %s toward the root (%s)", stp_plabel(p), why);
        else
            sim_world_tracef(
                s->w, SIM_TR_BPDU, SIM_DROP_NONE, s->name, stp_pname(p), pkt,
                "sends %s BPDU on %s (%s): root %s cost %u bridge %s port %s age %us%s%s%s%s (%s)",
                b->type == SIM_BPDU_TYPE_RST ? "an RST" : "a Configuration", stp_plabel(p),
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
        if (stp_now(s) < p->tc_until)
            b.flags |= SIM_BPDU_F_TC;
        p->agree_pending = false;
    } else { /* RSTP toward an 802.1D neighbour */
        b.flags =
            (stp_now(s) < p->tc_until ? SIM_BPDU_F_TC : 0) | (p->tca_pending ? SIM_BPDU_F_TCA : 0);
        p->tca_pending = false;
    }
    transmit(s, p, &b, why);
}

static void tx_flush(void *ctx, void *arg);

/* Transmit hold (802.1D-2004 17.13.12 TxHoldCount 6; 802.1D-1998 8.5.3.14
 * Hold Time 1 s, one BPDU): at most `hold` BPDUs a second per port. */
static bool tx_allowed(SimStp *s, StpPort *p)
{
    SimTime t = stp_now(s);
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
                p->tx_at = stp_now(s);
            p->tx_count++;
            emit_config(s, p, p->tx_why);
        } else {
            tx_schedule(s, p->tx_at + SIM_SEC);
        }
    }
}

/* why must be a string literal: it is read when the BPDU goes out. */
void stp_send_config(SimStp *s, StpPort *p, const char *why)
{
    if (!p->new_info)
        p->tx_why = why;
    p->new_info = true;
    tx_schedule(s, stp_now(s));
}

void stp_send_designated(SimStp *s, const char *why)
{
    for (guint i = 0; i < s->n; i++)
        if (s->ports[i].role == SIM_STP_ROLE_DESIGNATED)
            stp_send_config(s, &s->ports[i], why);
}

static void hello_expired(void *ctx, void *arg);

static void start_hello(SimStp *s)
{
    stp_timer_start(s, &s->hello_timer, sim_bpdu_time(s->times.hello), hello_expired, s);
}

static void hello_expired(void *ctx, void *arg)
{
    SimStp *s = ctx;
    s->hello_timer.on = false;
    if (stp_rstp(s) || s->root_port < 0) {
        stp_send_designated(s, "hello timer");
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
    if (stp_tracing(s, SIM_TR_STP)) {
        const char *o = sim_stp_state_name(s->cfg.mode, old);
        const char *n = sim_stp_state_name(s->cfg.mode, st);
        if (strcmp(o, n) != 0)
            sim_world_tracef(
                s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, stp_pname(p), NULL,
                "%s%s%s: %s → %s (%s)", stp_plabel(p), p->role == SIM_STP_ROLE_DISABLED ? "" : " ",
                p->role == SIM_STP_ROLE_DISABLED ? "" : sim_stp_role_name(p->role), o, n, why);
    }
}

static void fwd_expired(void *ctx, void *arg)
{
    StpPort *p = ctx;
    SimStp *s = p->stp;
    p->fwd_timer.on = false;
    char why[64];
    g_snprintf(why, sizeof why, "forward delay %us expired", s->times.fwd_delay / 256);
    if (p->state == SIM_STP_BLOCKING || p->state == SIM_STP_LISTENING) {
        set_state(s, p, SIM_STP_LEARNING, why);
        stp_timer_start(s, &p->fwd_timer, sim_bpdu_time(s->times.fwd_delay), fwd_expired, p);
    } else if (p->state == SIM_STP_LEARNING) {
        set_state(s, p, SIM_STP_FORWARDING, why);
        p->proposing = false;
        stp_topology_change(s, p, "a port started forwarding");
    }
}

/* The port forwards; RSTP's rapid transitions skip learning's wait. */
void stp_forward_now(SimStp *s, StpPort *p, const char *why)
{
    stp_timer_stop(s, &p->fwd_timer);
    stp_timer_stop(s, &p->edge_timer);
    p->proposing = false;
    if (p->state == SIM_STP_FORWARDING)
        return;
    set_state(s, p, SIM_STP_FORWARDING, why);
    if (!p->oper_edge)
        stp_topology_change(s, p, "a port started forwarding");
}

void stp_discard(SimStp *s, StpPort *p, const char *why)
{
    stp_timer_stop(s, &p->fwd_timer);
    stp_timer_stop(s, &p->edge_timer);
    bool was = p->state >= SIM_STP_LEARNING;
    set_state(s, p, p->enabled ? SIM_STP_BLOCKING : SIM_STP_DISABLED, why);
    if (was && !stp_rstp(s) && p->enabled)
        stp_topology_change(s, p, "a forwarding port was blocked");
}

static void edge_expired(void *ctx, void *arg)
{
    StpPort *p = ctx;
    SimStp *s = p->stp;
    p->edge_timer.on = false;
    if (p->rcvd_bpdu || p->role != SIM_STP_ROLE_DESIGNATED)
        return;
    p->oper_edge = true;
    stp_forward_now(s, p,
                    p->p2p ? "no BPDU heard for the 3 s migrate time: an edge port (802.1D-2004 "
                             "17.25)"
                           : "no BPDU heard for max age on a shared LAN: an edge port (802.1D-2004 "
                             "17.25)");
}

/* A designated port that does not forward yet: STP listens; RSTP proposes
 * and waits for an agreement, else forward delay twice. */
void stp_designated_start(SimStp *s, StpPort *p, const char *why)
{
    if (p->oper_edge || p->admin_edge) {
        p->oper_edge = true;
        stp_forward_now(s, p, "edge port");
        return;
    }
    if (p->state == SIM_STP_FORWARDING)
        return;
    if (!stp_rstp(s)) {
        if (p->state == SIM_STP_BLOCKING) {
            set_state(s, p, SIM_STP_LISTENING, why);
            stp_timer_start(s, &p->fwd_timer, sim_bpdu_time(s->times.fwd_delay), fwd_expired, p);
        }
        return;
    }
    p->agreed = false;
    if (!p->send_stp && p->p2p)
        p->proposing = true;
    if (!p->fwd_timer.on)
        stp_timer_start(s, &p->fwd_timer, sim_bpdu_time(s->times.fwd_delay), fwd_expired, p);
    /* 17.25 edgeDelay: migrate time on a point-to-point link, max age on
     * a shared one. */
    SimTime edge_delay = p->p2p ? SIM_STP_MIGRATE_TIME : sim_bpdu_time(s->times.max_age);
    if (!p->rcvd_bpdu && !p->edge_timer.on)
        stp_timer_start(s, &p->edge_timer, edge_delay, edge_expired, p);
}

/* ---- topology change ------------------------------------------------------- */

static void tc_expired(void *ctx, void *arg);
static void tcn_expired(void *ctx, void *arg);

void stp_set_tc_flag(SimStp *s, bool on, const char *why)
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

void stp_send_tcn(SimStp *s)
{
    StpPort *rp = &s->ports[s->root_port];
    SimBpdu b = {.version = 0, .type = SIM_BPDU_TYPE_TCN};
    transmit(s, rp, &b, s->tcn_pending ? "no acknowledgement yet" : "topology change");
    stp_timer_start(s, &s->tcn_timer, sim_bpdu_time(s->times.hello), tcn_expired, s);
}

static void tcn_expired(void *ctx, void *arg)
{
    SimStp *s = ctx;
    s->tcn_timer.on = false;
    if (s->tcn_pending && s->root_port >= 0)
        stp_send_tcn(s);
}

static void tc_expired(void *ctx, void *arg)
{
    SimStp *s = ctx;
    s->tc_timer.on = false;
    stp_set_tc_flag(s, false, "topology change time over");
}

void stp_root_tc(SimStp *s)
{
    stp_set_tc_flag(s, true, "this bridge is the root");
    SimTime t = sim_bpdu_time(s->times.max_age) + sim_bpdu_time(s->times.fwd_delay);
    stp_timer_start(s, &s->tc_timer, t, tc_expired, s);
}

/* RSTP: flush the other ports and tell the neighbours (17.29 TCM). */
void stp_rstp_propagate(SimStp *s, StpPort *from, bool detected, const char *why)
{
    if (s->ops && s->ops->flush)
        s->ops->flush(s->owner, from ? (int)from->idx : -1, why);
    SimTime until = stp_now(s) + sim_bpdu_time(s->times.hello) + SIM_SEC;
    for (guint i = 0; i < s->n; i++) {
        StpPort *q = &s->ports[i];
        if ((q == from && !detected) || q->oper_edge || !q->enabled ||
            (q->role != SIM_STP_ROLE_ROOT && q->role != SIM_STP_ROLE_DESIGNATED))
            continue;
        if (stp_now(s) >= q->tc_until) {
            q->tc_until = until;
            stp_send_config(s, q, "topology change");
        }
    }
}

void stp_topology_change(SimStp *s, StpPort *p, const char *why)
{
    if (!s->started)
        return;
    if (stp_rstp(s)) {
        if (p && p->oper_edge)
            return;
        s->stats.topology_changes++;
        s->stats.last_topology_change = stp_now(s);
        SIM_TRACE(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, p ? stp_pname(p) : NULL, NULL,
                  "topology change on %s (%s): flush MAC entries of the other ports, TC to the "
                  "neighbours",
                  p ? stp_plabel(p) : "the bridge", why);
        stp_rstp_propagate(s, p, true, why);
        return;
    }
    /* 802.1D-1998 8.6.14: only a bridge designated for some LAN reports. */
    bool designated = false;
    for (guint i = 0; i < s->n; i++)
        designated |= s->ports[i].role == SIM_STP_ROLE_DESIGNATED;
    if (!designated && p && p->state != SIM_STP_BLOCKING)
        return;
    s->stats.topology_changes++;
    s->stats.last_topology_change = stp_now(s);
    SIM_TRACE(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, p ? stp_pname(p) : NULL, NULL,
              "topology change on %s (%s): %s", p ? stp_plabel(p) : "the bridge", why,
              s->root_port < 0 ? "the root sets TC in its BPDUs"
                               : "TCN to the root until acknowledged");
    if (s->root_port < 0) {
        stp_root_tc(s);
        stp_send_designated(s, "topology change");
    } else if (!s->tcn_pending) {
        stp_send_tcn(s);
        s->tcn_pending = true;
    }
}

/* ---- roles ----------------------------------------------------------------- */

static void set_role(SimStp *s, StpPort *p, SimStpRole r, const char *why)
{
    SimStpRole old = p->role;
    if (old != r) {
        p->role = r;
        SIM_TRACE(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, stp_pname(p), NULL,
                  "%s role %s → %s (%s)", stp_plabel(p), sim_stp_role_name(old),
                  sim_stp_role_name(r), why);
    }
    switch (r) {
    case SIM_STP_ROLE_DISABLED:
        p->proposing = p->agreed = false;
        stp_discard(s, p, "link down");
        break;
    case SIM_STP_ROLE_ALTERNATE:
    case SIM_STP_ROLE_BACKUP:
        p->proposing = p->agreed = false;
        if (p->state != SIM_STP_BLOCKING && stp_tracing(s, SIM_TR_STP))
            sim_world_tracef(
                s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, stp_pname(p), NULL,
                "%s blocks: %s offers a better path to the root than this bridge could, so a "
                "forwarding %s would close a loop",
                stp_plabel(p),
                r == SIM_STP_ROLE_BACKUP ? "another port of this bridge" : "its neighbour",
                stp_plabel(p));
        stp_discard(s, p, r == SIM_STP_ROLE_BACKUP ? "backup port" : "alternate port");
        break;
    case SIM_STP_ROLE_ROOT:
        p->proposing = false;
        if (old != r)
            p->agreed = false;
        if (stp_rstp(s)) {
            stp_forward_now(s, p, "a new root port forwards at once (802.1D-2004 17.29.2)");
        } else if (p->state == SIM_STP_BLOCKING) {
            set_state(s, p, SIM_STP_LISTENING, "root port");
            stp_timer_start(s, &p->fwd_timer, sim_bpdu_time(s->times.fwd_delay), fwd_expired, p);
        }
        break;
    case SIM_STP_ROLE_DESIGNATED:
        /* RSTP: a former root port may still be forwarding toward a
         * bridge that now reaches the root through us: re-sync it. */
        if (stp_rstp(s) && old == SIM_STP_ROLE_ROOT && !p->oper_edge)
            stp_discard(s, p, "former root port re-syncs as designated");
        stp_designated_start(s, p, "designated port");
        break;
    }
}

/* Root selection (802.1D-1998 8.6.8, 802.1D-2004 17.21.25) and then each
 * port's role. Ports that stop forwarding change first, so that no
 * instant has both an old and a new path forwarding. */
void stp_update_roles(SimStp *s, const char *why)
{
    StpVec best = {s->id, 0, s->id, 0};
    int rp = -1;
    uint16_t rp_id = 0;
    for (guint i = 0; i < s->n; i++) {
        const StpPort *p = &s->ports[i];
        if (!p->enabled || !p->has_info || p->info.bridge == s->id)
            continue;
        StpVec c = {p->info.root, p->info.cost + p->cost, p->info.bridge, p->info.port};
        int k = stp_vec_cmp(&c, &best);
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
    if ((old_root != s->root.root || old_rp != rp) && stp_tracing(s, SIM_TR_STP)) {
        char id[SIM_BRIDGE_ID_STRLEN];
        if (rp < 0)
            sim_world_tracef(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, NULL, NULL,
                             "this bridge %s is the root: no port hears a better bridge id (%s)",
                             sim_bridge_id_format(s->id, id), why);
        else
            sim_world_tracef(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, stp_pname(&s->ports[rp]),
                             NULL, "root is %s at cost %u through %s (%s)",
                             sim_bridge_id_format(s->root.root, id), s->root.cost,
                             stp_plabel(&s->ports[rp]), why);
    }
    SimStpRole *roles = g_newa(SimStpRole, s->n);
    for (guint i = 0; i < s->n; i++) {
        StpPort *p = &s->ports[i];
        StpVec d = stp_designated_vec(s, p);
        if (!p->enabled)
            roles[i] = SIM_STP_ROLE_DISABLED;
        else if ((int)i == rp)
            roles[i] = SIM_STP_ROLE_ROOT;
        else if (!p->has_info || stp_vec_cmp(&d, &p->info) <= 0)
            roles[i] = SIM_STP_ROLE_DESIGNATED;
        else if (p->info.bridge == s->id)
            roles[i] = SIM_STP_ROLE_BACKUP;
        else
            roles[i] = SIM_STP_ROLE_ALTERNATE;
        if (roles[i] == SIM_STP_ROLE_DESIGNATED && p->has_info) {
            p->has_info = false; /* the port's info is ours from now on */
            stp_timer_stop(s, &p->age_timer);
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
        stp_timer_stop(s, &s->tcn_timer);
        stp_topology_change(s, NULL, "this bridge became the root");
        if (!s->hello_timer.on)
            start_hello(s);
    }
}

void stp_age_expired(void *ctx, void *arg)
{
    StpPort *p = ctx;
    SimStp *s = p->stp;
    p->age_timer.on = false;
    if (!p->has_info)
        return;
    p->has_info = false;
    char why[96];
    g_snprintf(why, sizeof why, "information on %s aged out after %s", stp_plabel(p),
               stp_rstp(s) ? "3 x hello" : "max age");
    SIM_TRACE(s->w, SIM_TR_STP, SIM_DROP_NONE, s->name, stp_pname(p), NULL, "%s", why);
    stp_update_roles(s, why);
    stp_send_designated(s, "new information");
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
    /* A cable to a hub is a shared LAN: no proposal/agreement there. */
    SimIface *peer = sim_iface_peer(sim_bridge_port(s->bridge, p->idx));
    p->p2p = !peer || sim_node_kind(sim_iface_node(peer)) != SIM_NODE_HUB;
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
        stp_update_roles(s, "link up");
        stp_send_config(s, p, "link up");
        return;
    }
    p->enabled = false;
    p->has_info = false;
    stp_timer_stop(s, &p->age_timer);
    bool was_root = (int)port == s->root_port;
    stp_update_roles(s, was_root ? "the root port's link went down" : "link down");
    stp_send_designated(s, "new information");
}

static void power_on(void *ctx, void *arg)
{
    SimStp *s = ctx;
    s->started = true;
    for (guint i = 0; i < s->n; i++)
        if (sim_iface_is_up(sim_bridge_port(s->bridge, i)))
            port_enable(s, &s->ports[i]);
    s->root.root = 0; /* so that update_roles reports the first root */
    stp_update_roles(s, "power on");
    stp_send_designated(s, "power on");
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

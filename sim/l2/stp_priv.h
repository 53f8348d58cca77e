/* stp_priv.h - the state of one spanning tree, shared by stp.c (the
 * protocol) and stp_show.c (the `show spanning-tree` table). Not part of
 * the public API. */
#pragma once

#include "sim/l2/bridge.h"
#include "sim/l2/stp.h"
#include "sim/link/iface.h"

typedef struct {
    uint64_t root;
    uint32_t cost;
    uint64_t bridge;
    uint16_t port;
} StpVec; /* a priority vector; lower is better */

typedef struct {
    SimEventId id;
    bool on;
} StpTimer;

typedef struct {
    uint16_t max_age, hello, fwd_delay; /* 1/256 s, as in BPDUs */
} StpTimes;

typedef struct {
    SimStp *stp;
    guint idx;
    uint16_t id; /* 0x8000 | port number */
    uint32_t cost;
    bool cost_set, admin_edge;
    bool enabled; /* linked and up */
    bool p2p;     /* point-to-point (a cable to a bridge or host); false to a hub */
    SimStpRole role;
    SimStpState state;
    bool has_info; /* received info is stored (else the port's info is ours) */
    StpVec info;
    uint16_t msg_age;
    StpTimes msg_times;
    StpTimer age_timer, fwd_timer, edge_timer;
    bool tca_pending;          /* STP: acknowledge a TCN in the next BPDU */
    bool proposing, agreed;    /* RSTP */
    bool agree_pending;        /* RSTP: send Agreement in the next BPDU */
    bool oper_edge, rcvd_bpdu; /* RSTP edge detection */
    bool send_stp;             /* RSTP: this port talks 802.1D */
    SimTime tc_until;          /* RSTP: set TC in BPDUs until then */
    bool new_info;             /* a BPDU is due on this port */
    const char *tx_why;        /* why (a string literal) */
    guint tx_count;            /* BPDUs sent in the second from tx_at */
    SimTime tx_at;
    uint64_t tx, rx;
} StpPort;

struct _SimStp {
    SimWorld *w;
    SimBridge *bridge;
    const char *name; /* the switch's */
    SimStpConfig cfg;
    const SimStpOps *ops;
    void *owner;
    uint64_t id;
    guint n;
    StpPort *ports;
    StpVec root; /* root id, root path cost (bridge/port unused) */
    int root_port;
    uint16_t root_msg_age;
    StpTimes times; /* the root's, as learned on the root port (own when root) */
    StpTimer hello_timer, tcn_timer, tc_timer;
    bool tc;          /* STP: topology change flag (the root's, or heard from it) */
    bool tcn_pending; /* STP: TCNs sent on the root port until acknowledged */
    bool started;
    bool tx_pending; /* a tx_flush event is scheduled at tx_at */
    SimTime tx_at;
    SimEventId tx_ev;
    SimStpStats stats;
};

static inline bool stp_rstp(const SimStp *s)
{
    return s->cfg.mode == SIM_STP_RSTP;
}

static inline int stp_vec_cmp(const StpVec *a, const StpVec *b)
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
static inline SimTime stp_now(const SimStp *s)
{
    return sim_world_now(s->w);
}
static inline const char *stp_plabel(const StpPort *p)
{
    return sim_bridge_label(p->stp->bridge, p->idx);
}
static inline const char *stp_pname(const StpPort *p)
{
    return sim_iface_name(sim_bridge_port(p->stp->bridge, p->idx));
}
static inline bool stp_tracing(const SimStp *s, SimTraceKind k)
{
    return sim_trace_wants(sim_world_trace(s->w), k);
}
static inline StpVec stp_designated_vec(const SimStp *s, const StpPort *p)
{
    return (StpVec){s->root.root, s->root.cost, s->id, p->id};
}

/* Shared by stp.c (timers, sending, roles, topology change) and stp_rx.c
 * (receiving). */
void stp_timer_stop(SimStp *s, StpTimer *t);
void stp_timer_start(SimStp *s, StpTimer *t, SimTime delay, SimEventFn fn, void *ctx);
/* Asks for a BPDU on p after the current event; why is a string literal. */
void stp_send_config(SimStp *s, StpPort *p, const char *why);
void stp_send_designated(SimStp *s, const char *why);
void stp_send_tcn(SimStp *s);
void stp_update_roles(SimStp *s, const char *why);
void stp_designated_start(SimStp *s, StpPort *p, const char *why);
void stp_discard(SimStp *s, StpPort *p, const char *why);
void stp_forward_now(SimStp *s, StpPort *p, const char *why);
void stp_topology_change(SimStp *s, StpPort *p, const char *why);
/* RSTP topology change (17.29 TCM): flush the MAC entries of every port
 * but `from`, and set TC for hello + 1 s on the root and designated ports
 * other than `from` (and on `from` too when this bridge detected the
 * change there, so that the news leaves by the port that caused it). */
void stp_rstp_propagate(SimStp *s, StpPort *from, bool detected, const char *why);
void stp_root_tc(SimStp *s);
void stp_set_tc_flag(SimStp *s, bool on, const char *why);
void stp_age_expired(void *ctx, void *arg);

/* stp_priv.h - the state of one spanning tree, shared by stp.c (the
 * protocol) and stp_show.c (the `show spanning-tree` table). Not part of
 * the public API. */
#pragma once

#include "sim/l2/stp.h"

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

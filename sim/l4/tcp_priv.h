/* tcp_priv.h - internals shared by tcp.c (API, demux, show), tcp_in.c
 * (segment arrival, RFC 9293 §3.10.7), tcp_out.c (sending, timers) and
 * tcp_cc.c (congestion control). Nothing outside sim/l4 includes this.
 */
#pragma once

#include "sim/l4/tcp.h"
#include "sim/l4/tcp_sndq.h"
#include "sim/net/l4_hdr.h"

/* Sequence-space comparisons (RFC 9293 §3.4: arithmetic modulo 2^32). */
#define SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b) SEQ_LT(b, a)
#define SEQ_GEQ(a, b) SEQ_LEQ(b, a)

#define TCP_RTO_INIT (1 * SIM_SEC)  /* RFC 6298 §2.1 */
#define TCP_RTO_MIN (200 * SIM_MS)  /* Linux TCP_RTO_MIN */
#define TCP_RTO_MAX (120 * SIM_SEC) /* Linux TCP_RTO_MAX */
#define TCP_DEFAULT_MSS 536         /* RFC 9293 §3.7.1 without the option */
#define TCP_IW_SEGS 10              /* RFC 6928, Linux's initial window */
#define TCP_EPHEMERAL_LO 32768      /* Linux ip_local_port_range */
#define TCP_EPHEMERAL_HI 60999
#define TCP_MAX_WSCALE 14 /* RFC 7323 §2.3 */

typedef struct {
    SimIpv4 laddr, raddr;
    uint16_t lport, rport;
} TcpKey;

/* An out-of-order segment held by reference until the hole before it fills. */
typedef struct {
    uint32_t seq, len;
    bool fin;
    SimPacket *pkt; /* one reference */
    size_t off;     /* its data in pkt */
} TcpOoo;

/* The congestion-control step (tcp_cc.c); NewReno is the one built in.
 * Fast retransmit and recovery bookkeeping stays in tcp_in.c; an algorithm
 * decides how cwnd grows on an ACK and what ssthresh becomes on a loss, the
 * two places where NewReno and CUBIC differ. */
typedef struct {
    const char *name;
    /* acked new bytes outside recovery: grow cwnd. */
    void (*on_ack)(SimTcpPcb *pcb, uint32_t acked);
    /* The new ssthresh after a loss (fast retransmit or RTO). */
    uint32_t (*ssthresh)(SimTcpPcb *pcb);
} TcpCcOps;
const TcpCcOps *tcp_cc_find(const char *name);

struct _SimTcp {
    SimIpStack *ip;
    SimWorld *w;
    const char *name;   /* the node's */
    GHashTable *conns;  /* TcpKey* (in the pcb) -> pcb, synchronized or opening */
    GHashTable *listen; /* GUINT_TO_POINTER(port) -> listening pcb */
    GPtrArray *all;     /* every pcb, creation order (show, teardown) */
    GPtrArray *udp;     /* the node's SimUdpSockets, for show (udp.c); borrowed */
    SimTcpOpts defaults;
    uint16_t next_port;
};

struct _SimTcpPcb {
    SimTcp *tcp;
    SimTcpState state;
    TcpKey key;
    bool hashed;   /* in conns or listen */
    bool listener; /* listen() was called: the table is listen */
    bool app_gone; /* close/abort called: no more callbacks */
    bool dead;     /* freed as soon as nobody is inside it */
    guint busy;    /* nesting depth of stack code running on it */
    SimTcpCallbacks cb;
    void *user;
    SimTcpOpts o;
    const TcpCcOps *cc;
    /* listener / child */
    SimTcpPcb *parent; /* the listener of a SYN_RECEIVED child */
    guint backlog, pending;

    /* send side (RFC 9293 §3.3.1 names) */
    uint32_t iss, snd_una, snd_nxt, snd_max, snd_wl1, snd_wl2;
    uint32_t snd_wnd, max_snd_wnd;
    uint8_t snd_wscale, rcv_wscale;
    bool ws_ok;
    uint16_t mss;              /* effective send MSS */
    uint16_t my_mss;           /* advertised */
    TcpSndq sq;                /* at most o.sndbuf bytes, from snd_una (plus the SYN) */
    bool fin_queued, fin_sent; /* FIN after the buffer's last byte */
    /* receive side */
    uint32_t irs, rcv_nxt, rcv_adv; /* rcv_adv: right edge advertised */
    size_t rcv_unread;              /* given to the app, not yet recved */
    bool fin_rcvd;
    GArray *ooo; /* TcpOoo, by seq; lazy */
    size_t ooo_bytes;

    /* timers: one event per pcb, at the earliest deadline */
    SimEventId tev;
    SimTime tev_at; /* 0: none pending */
    SimTime rto_at, delack_at, persist_at, tw_at;
    /* RTT (RFC 6298) */
    SimTime srtt, rttvar, rto;
    bool rtt_timing;
    uint32_t rtt_seq;
    SimTime rtt_start;
    guint backoff;
    /* congestion control */
    uint32_t cwnd, ssthresh, bytes_acked;
    uint32_t dupacks;
    bool in_recovery;
    uint32_t recover;
    /* delayed ACK */
    guint unacked_segs;
    bool zero_wnd_traced;
    SimTcpInfo st;
};

/* ---- tcp.c ---------------------------------------------------------------- */
SimTcpPcb *tcp_pcb_alloc(SimTcp *tcp, const SimTcpOpts *o);
void tcp_hash(SimTcpPcb *pcb);
void tcp_unhash(SimTcpPcb *pcb);
void tcp_set_state(SimTcpPcb *pcb, SimTcpState s, const char *why);
/* Tells the app (unless gone) and frees the pcb once nothing is inside it. */
void tcp_fail(SimTcpPcb *pcb, SimTcpErr err);
/* Marks the pcb for freeing (done when busy drops to 0). */
void tcp_release(SimTcpPcb *pcb);
void tcp_enter(SimTcpPcb *pcb);
void tcp_leave(SimTcpPcb *pcb);
/* Writes "10.0.0.1:32768 > 10.0.0.2:9" for traces. */
const char *tcp_conn_str(const SimTcpPcb *pcb, char *buf, size_t n);
/* Allocates send buffer and chooses MSS and window scale (on first use). */
void tcp_setup_buffers(SimTcpPcb *pcb);
uint32_t tcp_rcv_window(const SimTcpPcb *pcb);

/* ---- tcp_in.c -------------------------------------------------------------- */
void tcp_input(void *user, const SimIpRxInfo *rx, SimPacket *pkt, size_t off, size_t len);
void tcp_icmp_error(void *user, const SimIpIcmpError *err);
void tcp_ooo_free(SimTcpPcb *pcb);

/* ---- tcp_out.c ------------------------------------------------------------- */
/* Sends what the windows, Nagle and SWS allow. */
void tcp_output(SimTcpPcb *pcb);
/* A bare segment with our current ACK and window (flags: ACK, maybe FIN/SYN). */
void tcp_send_ctl(SimTcpPcb *pcb, uint32_t seq, uint8_t flags);
void tcp_send_ack(SimTcpPcb *pcb);
/* RST in answer to a segment that has no connection (RFC 9293 §3.10.7.1). */
void tcp_send_reset(SimTcp *tcp, SimIpv4 src, SimIpv4 dst, const SimTcpHdr *h, uint32_t seg_len);
/* Retransmits the first unacknowledged segment. */
void tcp_retransmit_first(SimTcpPcb *pcb, const char *why);
void tcp_timer_arm(SimTcpPcb *pcb);
void tcp_timer_cancel(SimTcpPcb *pcb);
void tcp_rto_restart(SimTcpPcb *pcb);
void tcp_rtt_sample(SimTcpPcb *pcb, SimTime r);
/* An ACK for received data: now, or delayed per RFC 1122. */
void tcp_ack_received_data(SimTcpPcb *pcb, bool full_segment, bool now);
/* Relative sequence numbers for traces (Wireshark's tcp.seq). */
static inline uint32_t tcp_rel_snd(const SimTcpPcb *p, uint32_t s)
{
    return s - p->iss;
}
static inline uint32_t tcp_rel_rcv(const SimTcpPcb *p, uint32_t s)
{
    return s - p->irs;
}
/* Unsent data bytes in the send buffer (synchronized states only: the
 * buffer's first byte is snd_una). */
static inline size_t tcp_unsent(const SimTcpPcb *p)
{
    uint32_t off = p->snd_nxt - p->snd_una;
    return off >= p->sq.len ? 0 : p->sq.len - off;
}

#define TCP_TRACE(pcb, pkt, ...)                                                                   \
    SIM_TRACE((pcb)->tcp->w, SIM_TR_TCP, SIM_DROP_NONE, (pcb)->tcp->name, NULL, (pkt), __VA_ARGS__)

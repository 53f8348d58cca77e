/* tcp_out.c - building and sending segments, the send policy (windows,
 * Nagle, sender SWS avoidance), and the timers: retransmission (RFC 6298),
 * delayed ACK (RFC 1122 §4.2.3.2), persist (RFC 9293 §3.8.6.1) and
 * TIME_WAIT.
 *
 * A data segment is a shared view of a send-queue chunk when it starts at
 * one (no payload copy: tcp_sndq.h), else a fresh packet from the world's
 * pool with the data copied out of the queue.
 *
 * One timer event per connection serves all four timers: each has a
 * deadline field, and the event is scheduled at the earliest. Restarting
 * the RTO on every ACK only moves a deadline later, which needs no event
 * at all: the pending event fires early, finds nothing due, and re-arms.
 */
#include "sim/l4/tcp_priv.h"

#include <string.h>

static uint16_t window_field(SimTcpPcb *pcb, bool syn)
{
    uint32_t avail = tcp_rcv_window(pcb);
    uint32_t cur = SEQ_GT(pcb->rcv_adv, pcb->rcv_nxt) ? pcb->rcv_adv - pcb->rcv_nxt : 0;
    /* RFC 9293 §3.8.6.2.2: hold the right edge until it can move by
     * min(rcvbuf / 2, MSS); never move it left (§3.8.6: no shrinking). */
    if (avail < cur || avail - cur < MIN(pcb->o.rcvbuf / 2, pcb->my_mss))
        avail = cur;
    if (syn) /* RFC 7323 §2.2: the window of a SYN is never scaled */
        return (uint16_t)MIN(avail, 0xffffu);
    uint8_t ws = pcb->ws_ok ? pcb->rcv_wscale : 0;
    return (uint16_t)MIN(avail >> ws, 0xffffu);
}

/* Sends one segment; data is [off, off+len) of the send queue. */
static void send_segment(SimTcpPcb *pcb, uint32_t seq, size_t off, size_t len, uint8_t flags)
{
    SimTcp *tcp = pcb->tcp;
    SimPacket *p = tcp_sndq_share(&pcb->sq, off, len);
    if (!p) {
        p = sim_packet_new(sim_world_pool(tcp->w), len ? TCP_DATA_HEADROOM : TCP_HEADROOM, len);
        tcp_sndq_copy(&pcb->sq, off, sim_packet_data(p), len);
    }
    bool syn = flags & SIM_TCP_SYN;
    SimTcpHdr h = {
        .sport = pcb->key.lport,
        .dport = pcb->key.rport,
        .seq = seq,
        .ack = (flags & SIM_TCP_ACK) ? pcb->rcv_nxt : 0,
        .flags = flags,
        .window = (flags & SIM_TCP_RST) ? 0 : window_field(pcb, syn),
    };
    if (syn) {
        h.mss = pcb->my_mss;
        /* RFC 7323 §2.2: offer scaling in a SYN; in a SYN-ACK only when
         * the SYN offered it. */
        h.has_wscale = !(flags & SIM_TCP_ACK) || pcb->ws_ok;
        h.wscale = pcb->rcv_wscale;
    }
    sim_tcp_hdr_encode(p, pcb->key.laddr, pcb->key.raddr, &h);
    if (flags & SIM_TCP_ACK) {
        uint32_t edge =
            pcb->rcv_nxt + ((uint32_t)h.window << (syn || !pcb->ws_ok ? 0 : pcb->rcv_wscale));
        if (SEQ_GT(edge, pcb->rcv_adv) || pcb->rcv_adv == 0)
            pcb->rcv_adv = edge;
        pcb->unacked_segs = 0;
        pcb->delack_at = 0;
        if (h.window == 0 && !pcb->zero_wnd_traced) {
            char c[64];
            TCP_TRACE(pcb, NULL, "zero window advertised %s: %zu bytes unread by the application",
                      tcp_conn_str(pcb, c, sizeof c), pcb->rcv_unread);
            pcb->zero_wnd_traced = true;
        } else if (h.window) {
            pcb->zero_wnd_traced = false;
        }
    }
    pcb->st.segs_out++;
    SimIpTxOpts o = {.src = pcb->key.laddr, .df = true}; /* Linux sets DF on TCP */
    g_autoptr(GError) err = NULL;
    if (!sim_ip_output(tcp->ip, p, pcb->key.raddr, SIM_IPPROTO_TCP, &o, &err)) {
        char c[64];
        TCP_TRACE(pcb, NULL, "%s: segment not sent: %s", tcp_conn_str(pcb, c, sizeof c),
                  err->message);
    }
}

void tcp_send_ctl(SimTcpPcb *pcb, uint32_t seq, uint8_t flags)
{
    send_segment(pcb, seq, 0, 0, flags);
}

void tcp_send_ack(SimTcpPcb *pcb)
{
    tcp_send_ctl(pcb, pcb->snd_nxt, SIM_TCP_ACK);
}

void tcp_send_reset(SimTcp *tcp, SimIpv4 src, SimIpv4 dst, const SimTcpHdr *h, uint32_t seg_len)
{
    /* RFC 9293 §3.10.7.1: with ACK, <SEQ=SEG.ACK><CTL=RST>; else
     * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
    SimPacket *p = sim_packet_new(sim_world_pool(tcp->w), TCP_HEADROOM, 0);
    SimTcpHdr r = {.sport = h->dport, .dport = h->sport};
    if (h->flags & SIM_TCP_ACK) {
        r.seq = h->ack;
        r.flags = SIM_TCP_RST;
    } else {
        r.ack = h->seq + seg_len;
        r.flags = SIM_TCP_RST | SIM_TCP_ACK;
    }
    sim_tcp_hdr_encode(p, dst, src, &r);
    SimIpTxOpts o = {.src = dst, .df = true};
    sim_ip_output(tcp->ip, p, src, SIM_IPPROTO_TCP, &o, NULL);
}

void tcp_rto_restart(SimTcpPcb *pcb)
{
    pcb->rto_at = sim_world_now(pcb->tcp->w) + pcb->rto;
    tcp_timer_arm(pcb);
}

void tcp_rtt_sample(SimTcpPcb *pcb, SimTime r)
{
    /* RFC 6298 §2.2 and §2.3, alpha = 1/8, beta = 1/4, G = 1 ns. */
    if (pcb->srtt == 0) {
        pcb->srtt = r;
        pcb->rttvar = r / 2;
    } else {
        SimTime d = pcb->srtt > r ? pcb->srtt - r : r - pcb->srtt;
        pcb->rttvar = (3 * pcb->rttvar + d) / 4;
        pcb->srtt = (7 * pcb->srtt + r) / 8;
    }
    pcb->rto = CLAMP(pcb->srtt + MAX((SimTime)1, 4 * pcb->rttvar), TCP_RTO_MIN, TCP_RTO_MAX);
}

void tcp_ack_received_data(SimTcpPcb *pcb, bool full_segment, bool now)
{
    pcb->unacked_segs += full_segment ? 1 : 0;
    if (now || pcb->unacked_segs >= 2) {
        tcp_send_ack(pcb);
        return;
    }
    if (!pcb->delack_at) {
        pcb->delack_at = sim_world_now(pcb->tcp->w) + pcb->o.delack;
        tcp_timer_arm(pcb);
    }
}

static bool can_send_data(SimTcpState s)
{
    return s == SIM_TCP_ESTABLISHED || s == SIM_TCP_CLOSE_WAIT || s == SIM_TCP_FIN_WAIT_1 ||
           s == SIM_TCP_CLOSING || s == SIM_TCP_LAST_ACK;
}

/* One segment at snd_nxt; returns the sequence space it used. */
static uint32_t send_at_nxt(SimTcpPcb *pcb, size_t len, bool fin)
{
    size_t off = pcb->snd_nxt - pcb->snd_una;
    uint8_t flags = SIM_TCP_ACK;
    if (len && len + off == pcb->sq.len)
        flags |= SIM_TCP_PSH;
    if (fin)
        flags |= SIM_TCP_FIN;
    bool rexmit = SEQ_LT(pcb->snd_nxt, pcb->snd_max);
    if (rexmit)
        pcb->st.retransmits++;
    send_segment(pcb, pcb->snd_nxt, off, len, flags);
    uint32_t used = (uint32_t)len + (fin ? 1 : 0);
    pcb->snd_nxt += used;
    if (fin)
        pcb->fin_sent = true;
    if (SEQ_GT(pcb->snd_nxt, pcb->snd_max))
        pcb->snd_max = pcb->snd_nxt;
    /* RFC 6298 §3 (Karn): time only segments sent once. */
    if (!pcb->rtt_timing && !rexmit && used) {
        pcb->rtt_timing = true;
        pcb->rtt_seq = pcb->snd_nxt;
        pcb->rtt_start = sim_world_now(pcb->tcp->w);
    }
    if (!pcb->rto_at)
        tcp_rto_restart(pcb);
    return used;
}

static void arm_persist(SimTcpPcb *pcb)
{
    if (pcb->persist_at)
        return;
    pcb->persist_at = sim_world_now(pcb->tcp->w) + pcb->rto;
    pcb->rto_at = 0;
    tcp_timer_arm(pcb);
}

void tcp_output(SimTcpPcb *pcb)
{
    if (pcb->dead || !can_send_data(pcb->state))
        return;
    for (;;) {
        uint32_t flight = pcb->snd_nxt - pcb->snd_una;
        size_t unsent = tcp_unsent(pcb);
        bool fin_due = pcb->fin_queued && flight == pcb->sq.len;
        if (!unsent && !fin_due)
            return;
        uint32_t wnd = MIN(pcb->snd_wnd, pcb->cwnd);
        uint32_t usable = wnd > flight ? wnd - flight : 0;
        size_t len = MIN(MIN(unsent, (size_t)pcb->mss), (size_t)usable);
        if (unsent && len == 0) {
            if (pcb->snd_wnd == 0 && pcb->snd_una == pcb->snd_max)
                arm_persist(pcb); /* RFC 9293 §3.8.6.1: probe a zero window */
            return;
        }
        if (len < pcb->mss && unsent) {
            /* RFC 9293 §3.8.6.2.1 (sender SWS) with Nagle (RFC 896): a
             * short segment goes only when it ends the queued data and
             * nothing is outstanding (or nodelay), or fills half the
             * largest window the peer offered. */
            bool last = len == unsent;
            bool idle = flight == 0 || pcb->o.nodelay;
            if (!((last && idle) || (idle && len >= pcb->max_snd_wnd / 2))) {
                /* Nothing in flight to clock us: the override timeout of
                 * §3.8.6.2.1 (Linux arms its probe timer the same way). */
                if (flight == 0)
                    arm_persist(pcb);
                return;
            }
        }
        bool fin = pcb->fin_queued && len == unsent;
        send_at_nxt(pcb, len, fin);
    }
}

void tcp_retransmit_first(SimTcpPcb *pcb, const char *why)
{
    size_t len = MIN(pcb->sq.len, (size_t)pcb->mss);
    bool fin = pcb->fin_sent && len == pcb->sq.len;
    uint8_t flags = SIM_TCP_ACK | (fin ? SIM_TCP_FIN : 0) | (len ? SIM_TCP_PSH : 0);
    pcb->st.retransmits++;
    char c[64];
    TCP_TRACE(pcb, NULL, "retransmit seq %u len %zu (%s) %s", tcp_rel_snd(pcb, pcb->snd_una), len,
              why, tcp_conn_str(pcb, c, sizeof c));
    send_segment(pcb, pcb->snd_una, 0, len, flags);
    if (pcb->rtt_timing) /* Karn: that sample is ambiguous now */
        pcb->rtt_timing = false;
}

/* ---- timers -------------------------------------------------------------------- */

static void timer_fire(void *ctx, void *arg);

void tcp_timer_arm(SimTcpPcb *pcb)
{
    SimTime t = 0;
    const SimTime d[] = {pcb->rto_at, pcb->delack_at, pcb->persist_at, pcb->tw_at};
    for (guint i = 0; i < G_N_ELEMENTS(d); i++) {
        if (d[i] && (!t || d[i] < t))
            t = d[i];
    }
    if (!t || (pcb->tev_at && pcb->tev_at <= t))
        return; /* nothing due, or the pending event comes first */
    if (pcb->tev_at)
        sim_world_cancel(pcb->tcp->w, pcb->tev);
    pcb->tev = sim_world_schedule_at(pcb->tcp->w, t, timer_fire, pcb, NULL);
    pcb->tev_at = t;
}

void tcp_timer_cancel(SimTcpPcb *pcb)
{
    if (pcb->tev_at)
        sim_world_cancel(pcb->tcp->w, pcb->tev);
    pcb->tev_at = 0;
    pcb->rto_at = pcb->delack_at = pcb->persist_at = pcb->tw_at = 0;
}

static void rto_expired(SimTcpPcb *pcb)
{
    char c[64], ss[16];
    bool syn = pcb->state == SIM_TCP_SYN_SENT || pcb->state == SIM_TCP_SYN_RECEIVED;
    if (!syn && pcb->snd_una == pcb->snd_max)
        return; /* nothing outstanding */
    pcb->backoff++;
    pcb->st.rto_expiries++;
    if (pcb->backoff > (syn ? pcb->o.syn_retries : pcb->o.retries)) {
        tcp_fail(pcb, SIM_TCP_ERR_TIMEOUT);
        return;
    }
    /* RFC 6298 §5.5: back off; §5.6 restarts the timer below. */
    pcb->rto = MIN(pcb->rto * 2, TCP_RTO_MAX);
    pcb->rtt_timing = false;
    if (syn) {
        TCP_TRACE(pcb, NULL,
                  "retransmit %s (RTO, attempt %u, next timeout %" G_GUINT64_FORMAT " ms) %s",
                  pcb->state == SIM_TCP_SYN_SENT ? "SYN" : "SYN, ACK", pcb->backoff,
                  pcb->rto / SIM_MS, tcp_conn_str(pcb, c, sizeof c));
        pcb->st.retransmits++;
        tcp_send_ctl(pcb, pcb->iss,
                     SIM_TCP_SYN | (pcb->state == SIM_TCP_SYN_RECEIVED ? SIM_TCP_ACK : 0));
        tcp_rto_restart(pcb);
        return;
    }
    /* RFC 5681 §3.1 eq. 4 and §3.1 "loss window": ssthresh from the flight,
     * cwnd to one segment; RFC 6582 §3.2 step 4's recover for NewReno. */
    uint32_t old_cwnd = pcb->cwnd, old_ss = pcb->ssthresh;
    pcb->ssthresh = pcb->cc->ssthresh(pcb);
    pcb->cwnd = pcb->mss;
    pcb->bytes_acked = 0;
    pcb->in_recovery = false;
    pcb->dupacks = 0;
    pcb->recover = pcb->snd_max;
    TCP_TRACE(pcb, NULL,
              "RTO expired after %" G_GUINT64_FORMAT " ms with seq %u unacknowledged → "
              "retransmit, cwnd %u → %u, ssthresh %s → %u %s",
              pcb->rto / 2 / SIM_MS, tcp_rel_snd(pcb, pcb->snd_una), old_cwnd, pcb->cwnd,
              old_ss == UINT32_MAX ? "∞" : (g_snprintf(ss, sizeof ss, "%u", old_ss), ss),
              pcb->ssthresh, tcp_conn_str(pcb, c, sizeof c));
    /* Go back N: everything after snd_una is resent as the window allows. */
    pcb->snd_nxt = pcb->snd_una;
    TCP_TRACE(pcb, NULL, "retransmit seq %u (RTO) %s", tcp_rel_snd(pcb, pcb->snd_una),
              tcp_conn_str(pcb, c, sizeof c));
    pcb->rto_at = 0;
    tcp_output(pcb);
    if (!pcb->rto_at)
        tcp_rto_restart(pcb);
}

static void persist_expired(SimTcpPcb *pcb)
{
    if (tcp_unsent(pcb) == 0 || pcb->snd_nxt != pcb->snd_una) {
        tcp_output(pcb);
        return;
    }
    char c[64];
    if (pcb->snd_wnd > 0) {
        size_t len = MIN(MIN(tcp_unsent(pcb), (size_t)pcb->snd_wnd), (size_t)pcb->mss);
        TCP_TRACE(pcb, NULL,
                  "window of %u bytes is below one segment: sending %zu anyway (SWS "
                  "override timeout) %s",
                  pcb->snd_wnd, len, tcp_conn_str(pcb, c, sizeof c));
        send_at_nxt(pcb, len, pcb->fin_queued && len == tcp_unsent(pcb));
        return;
    }
    TCP_TRACE(pcb, NULL, "zero-window probe, 1 byte at seq %u %s", tcp_rel_snd(pcb, pcb->snd_nxt),
              tcp_conn_str(pcb, c, sizeof c));
    /* One byte of new data (§3.8.6.1); it moves snd_max, not snd_nxt, so
     * that the window decides whether it was taken. */
    send_segment(pcb, pcb->snd_nxt, pcb->snd_nxt - pcb->snd_una, 1, SIM_TCP_ACK);
    if (SEQ_GT(pcb->snd_nxt + 1, pcb->snd_max))
        pcb->snd_max = pcb->snd_nxt + 1;
    pcb->backoff = MIN(pcb->backoff + 1, 20u);
    SimTime next = MIN(pcb->rto << MIN(pcb->backoff, 10u), 60 * SIM_SEC);
    pcb->persist_at = sim_world_now(pcb->tcp->w) + next;
}

static void timer_fire(void *ctx, void *arg)
{
    SimTcpPcb *pcb = ctx;
    SimTime now = sim_world_now(pcb->tcp->w);
    pcb->tev_at = 0;
    tcp_enter(pcb);
    if (pcb->tw_at && now >= pcb->tw_at) {
        pcb->tw_at = 0;
        tcp_set_state(pcb, SIM_TCP_CLOSED, "2 MSL elapsed");
        tcp_release(pcb);
    }
    if (!pcb->dead && pcb->delack_at && now >= pcb->delack_at) {
        pcb->delack_at = 0;
        tcp_send_ack(pcb);
    }
    if (!pcb->dead && pcb->persist_at && now >= pcb->persist_at) {
        pcb->persist_at = 0;
        persist_expired(pcb);
    }
    if (!pcb->dead && pcb->rto_at && now >= pcb->rto_at) {
        pcb->rto_at = 0;
        rto_expired(pcb);
    }
    if (!pcb->dead)
        tcp_timer_arm(pcb);
    tcp_leave(pcb);
}

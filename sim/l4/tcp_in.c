/* tcp_in.c - segment arrival, in the order of RFC 9293 §3.10.7 ("SEGMENT
 * ARRIVES"): closed port, LISTEN, SYN_SENT, then the synchronized states
 * (acceptability, RST, SYN, ACK, data, FIN), with RFC 5961's challenge
 * ACKs for RSTs and SYNs that are not exactly where expected, RFC 5681's
 * duplicate-ACK counting and RFC 6582's NewReno recovery.
 *
 * The segment is borrowed from the IP stack; only an out-of-order segment
 * is kept, by taking a reference to its packet. Every length comes from the
 * decoded header, which sim_tcp_hdr_decode bounds by the IP payload.
 */
#include "sim/l4/tcp_priv.h"

#include "sim/link/iface.h"
#include "sim/net/icmp_hdr.h"
#include "sim/net/wire.h"

typedef struct {
    SimTcpHdr h;
    const SimIpRxInfo *rx;
    SimPacket *pkt;
    size_t data_off; /* payload offset in pkt */
    uint32_t dlen;   /* payload bytes */
    bool syn, fin;
    bool probe; /* data into a zero window: its ACK field counts, it draws an ACK */
} Seg;

static void drop(SimTcp *tcp, const SimIpRxInfo *rx, const SimPacket *frame, SimDropReason r,
                 const char *fmt, const char *what)
{
    SIM_TRACE(tcp->w, SIM_TR_DROP, r, tcp->name, rx->iface ? sim_iface_name(rx->iface) : NULL,
              frame, fmt, what);
}

/* ---- out-of-order queue --------------------------------------------------------- */

void tcp_ooo_free(SimTcpPcb *pcb)
{
    if (!pcb->ooo)
        return;
    for (guint i = 0; i < pcb->ooo->len; i++)
        sim_packet_unref(g_array_index(pcb->ooo, TcpOoo, i).pkt);
    g_array_free(pcb->ooo, TRUE);
    pcb->ooo = NULL;
    pcb->ooo_bytes = 0;
}

static void ooo_insert(SimTcpPcb *pcb, const Seg *s)
{
    if (!pcb->ooo)
        pcb->ooo = g_array_new(FALSE, FALSE, sizeof(TcpOoo));
    guint i = 0;
    while (i < pcb->ooo->len && SEQ_LT(g_array_index(pcb->ooo, TcpOoo, i).seq, s->h.seq))
        i++;
    if (i < pcb->ooo->len) {
        const TcpOoo *e = &g_array_index(pcb->ooo, TcpOoo, i);
        if (e->seq == s->h.seq && e->len >= s->dlen)
            return; /* a copy of what we hold */
    }
    if (pcb->ooo_bytes + s->dlen > pcb->o.rcvbuf)
        return; /* duplicates must not grow it past the window */
    TcpOoo e = {s->h.seq, s->dlen, s->fin, sim_packet_ref(s->pkt), s->data_off};
    g_array_insert_val(pcb->ooo, i, e);
    pcb->ooo_bytes += s->dlen;
    pcb->st.ooo_segs++;
}

/* ---- delivery -------------------------------------------------------------------- */

static void deliver(SimTcpPcb *pcb, const uint8_t *data, uint32_t len)
{
    pcb->rcv_nxt += len;
    pcb->st.bytes_received += len;
    if (pcb->app_gone || !pcb->cb.recv)
        return; /* nobody reads: the bytes are consumed (RFC 9293 leaves it open) */
    pcb->rcv_unread += len;
    pcb->cb.recv(pcb->user, pcb, data, len);
}

static void enter_time_wait(SimTcpPcb *pcb, const char *why)
{
    tcp_set_state(pcb, SIM_TCP_TIME_WAIT, why);
    pcb->rto_at = pcb->persist_at = pcb->delack_at = 0;
    pcb->tw_at = sim_world_now(pcb->tcp->w) + pcb->o.time_wait;
    tcp_timer_arm(pcb);
}

/* RFC 9293 §3.10.7.4, eighth step. */
static void fin_arrived(SimTcpPcb *pcb)
{
    pcb->rcv_nxt++;
    pcb->fin_rcvd = true;
    tcp_send_ack(pcb);
    switch (pcb->state) {
    case SIM_TCP_SYN_RECEIVED:
    case SIM_TCP_ESTABLISHED:
        tcp_set_state(pcb, SIM_TCP_CLOSE_WAIT, "FIN received");
        break;
    case SIM_TCP_FIN_WAIT_1:
        if (pcb->fin_sent && pcb->snd_una == pcb->snd_max)
            enter_time_wait(pcb, "FIN received, ours acknowledged");
        else
            tcp_set_state(pcb, SIM_TCP_CLOSING, "FIN received: simultaneous close");
        break;
    case SIM_TCP_FIN_WAIT_2:
        enter_time_wait(pcb, "FIN received");
        break;
    default:
        break;
    }
    if (!pcb->app_gone && pcb->cb.recv)
        pcb->cb.recv(pcb->user, pcb, NULL, 0);
}

static void drain_ooo(SimTcpPcb *pcb)
{
    while (!pcb->dead && pcb->ooo && pcb->ooo->len &&
           SEQ_LEQ(g_array_index(pcb->ooo, TcpOoo, 0).seq, pcb->rcv_nxt)) {
        TcpOoo e = g_array_index(pcb->ooo, TcpOoo, 0);
        g_array_remove_index(pcb->ooo, 0);
        pcb->ooo_bytes -= e.len;
        uint32_t end = e.seq + e.len;
        if (SEQ_GT(end, pcb->rcv_nxt)) {
            uint32_t skip = pcb->rcv_nxt - e.seq;
            deliver(pcb, sim_packet_cdata(e.pkt) + e.off + skip, e.len - skip);
        }
        if (e.fin && end == pcb->rcv_nxt && !pcb->dead && !pcb->fin_rcvd)
            fin_arrived(pcb);
        sim_packet_unref(e.pkt);
        if (pcb->fin_rcvd && !pcb->dead)
            tcp_ooo_free(pcb); /* nothing lies past a FIN */
    }
}

/* ---- connection setup --------------------------------------------------------------- */

/* MSS and window scale from a SYN (RFC 9293 §3.7.1, RFC 7323 §2.2). */
static void syn_options(SimTcpPcb *pcb, const SimTcpHdr *h)
{
    uint16_t peer = h->mss ? h->mss : TCP_DEFAULT_MSS;
    pcb->mss = MIN(pcb->my_mss, peer);
    pcb->ws_ok = h->has_wscale;
    pcb->snd_wscale = h->has_wscale ? MIN(h->wscale, TCP_MAX_WSCALE) : 0;
    if (!pcb->ws_ok)
        pcb->rcv_wscale = 0;
    pcb->snd_wnd = h->window; /* never scaled in a SYN */
    pcb->max_snd_wnd = pcb->snd_wnd;
    pcb->snd_wl1 = h->seq;
    pcb->snd_wl2 = h->ack;
}

static void established(SimTcpPcb *pcb, const char *why)
{
    tcp_set_state(pcb, SIM_TCP_ESTABLISHED, why);
    /* RFC 6928 (Linux): an initial window of 10 segments. */
    pcb->cwnd = TCP_IW_SEGS * pcb->mss;
    pcb->recover = pcb->iss - 1; /* RFC 6582 §3.2 step 1: before any data */
    pcb->backoff = 0;
    pcb->rto_at = 0;
}

static void listen_input(SimTcpPcb *lp, Seg *s)
{
    SimTcp *tcp = lp->tcp;
    const SimTcpHdr *h = &s->h;
    char c[64];
    if (h->flags & SIM_TCP_RST)
        return;
    if (h->flags & SIM_TCP_ACK) {
        SIM_TRACE(tcp->w, SIM_TR_TCP, SIM_DROP_NONE, tcp->name, NULL, NULL,
                  "RST sent: ACK to listening port %u without a connection", h->dport);
        tcp_send_reset(tcp, s->rx->src, s->rx->dst, h, s->dlen + s->syn + s->fin);
        return;
    }
    if (!s->syn)
        return;
    if (lp->pending >= lp->backlog) {
        SIM_TRACE(tcp->w, SIM_TR_DROP, SIM_DROP_QUEUE_FULL, tcp->name, NULL, NULL,
                  "SYN to port %u dropped: backlog of %u full", h->dport, lp->backlog);
        return;
    }
    SimTcpPcb *p = tcp_pcb_alloc(tcp, &lp->o);
    p->key = (TcpKey){s->rx->dst, s->rx->src, h->dport, h->sport};
    p->parent = lp;
    p->cb = lp->cb;
    p->user = lp->user;
    lp->pending++;
    tcp_setup_buffers(p);
    p->irs = h->seq;
    p->rcv_nxt = h->seq + 1;
    p->iss = (uint32_t)sim_rng_u64(sim_world_rng(tcp->w));
    p->snd_una = p->iss;
    p->snd_nxt = p->snd_max = p->iss + 1;
    syn_options(p, h);
    p->state = SIM_TCP_LISTEN;
    tcp_set_state(p, SIM_TCP_SYN_RECEIVED, "SYN received");
    tcp_hash(p);
    TCP_TRACE(p, NULL, "SYN from %s: MSS %u, window scale %s → SYN, ACK",
              tcp_conn_str(p, c, sizeof c), h->mss, h->has_wscale ? "offered" : "not offered");
    tcp_enter(p);
    tcp_send_ctl(p, p->iss, SIM_TCP_SYN | SIM_TCP_ACK);
    tcp_rto_restart(p);
    tcp_leave(p);
}

/* RFC 9293 §3.10.7.3. */
static void syn_sent_input(SimTcpPcb *pcb, Seg *s)
{
    const SimTcpHdr *h = &s->h;
    bool has_ack = h->flags & SIM_TCP_ACK;
    if (has_ack && (SEQ_LEQ(h->ack, pcb->iss) || SEQ_GT(h->ack, pcb->snd_max))) {
        if (!(h->flags & SIM_TCP_RST))
            tcp_send_reset(pcb->tcp, s->rx->src, s->rx->dst, h, s->dlen + s->syn + s->fin);
        return;
    }
    if (h->flags & SIM_TCP_RST) {
        if (has_ack)
            tcp_fail(pcb, SIM_TCP_ERR_REFUSED);
        return;
    }
    if (!s->syn)
        return;
    pcb->irs = h->seq;
    pcb->rcv_nxt = h->seq + 1;
    syn_options(pcb, h);
    if (!has_ack) {
        /* Simultaneous open: both sides sent SYN (§3.5, figure 7). */
        tcp_set_state(pcb, SIM_TCP_SYN_RECEIVED, "SYN received: simultaneous open");
        tcp_send_ctl(pcb, pcb->iss, SIM_TCP_SYN | SIM_TCP_ACK);
        return;
    }
    pcb->snd_una = h->ack;
    if (pcb->backoff == 0) /* Karn: only a SYN sent once gives a sample */
        tcp_rtt_sample(pcb, sim_world_now(pcb->tcp->w) - (pcb->rto_at - pcb->rto));
    established(pcb, "SYN, ACK received");
    tcp_send_ack(pcb);
    if (!pcb->app_gone && pcb->cb.connected)
        pcb->cb.connected(pcb->user, pcb);
    if (!pcb->dead) {
        if (pcb->fin_queued)
            tcp_set_state(pcb, SIM_TCP_FIN_WAIT_1, "close before the handshake ended");
        tcp_output(pcb);
    }
}

/* ---- synchronized states --------------------------------------------------------- */

/* First step: trims the segment to the receive window; false when nothing
 * of it is acceptable. */
static bool acceptable(SimTcpPcb *pcb, Seg *s)
{
    uint32_t wnd = SEQ_GT(pcb->rcv_adv, pcb->rcv_nxt) ? pcb->rcv_adv - pcb->rcv_nxt : 0;
    uint32_t len = s->dlen + s->syn + s->fin;
    uint32_t seq = s->h.seq;
    if (len == 0)
        return wnd == 0 ? seq == pcb->rcv_nxt
                        : SEQ_LEQ(pcb->rcv_nxt, seq) && SEQ_LT(seq, pcb->rcv_nxt + wnd);
    if (wnd == 0) {
        /* Only the ACK of a segment into a zero window is taken (§3.10.7.4). */
        if (seq != pcb->rcv_nxt)
            return false;
        s->dlen = 0;
        s->syn = s->fin = false;
        s->probe = true;
        return true;
    }
    uint32_t end = seq + len - 1;
    bool ok = (SEQ_LEQ(pcb->rcv_nxt, seq) && SEQ_LT(seq, pcb->rcv_nxt + wnd)) ||
              (SEQ_LEQ(pcb->rcv_nxt, end) && SEQ_LT(end, pcb->rcv_nxt + wnd));
    if (!ok)
        return false;
    if (SEQ_LT(seq, pcb->rcv_nxt)) { /* already have the front */
        uint32_t cut = pcb->rcv_nxt - seq;
        if (s->syn) {
            s->syn = false;
            cut--;
        }
        s->data_off += cut;
        s->dlen -= cut;
        s->h.seq = pcb->rcv_nxt;
    }
    if (SEQ_GT(s->h.seq + s->dlen, pcb->rcv_nxt + wnd)) { /* past the right edge */
        s->dlen = pcb->rcv_nxt + wnd - s->h.seq;
        s->fin = false;
    }
    return true;
}

static bool fin_acked(const SimTcpPcb *pcb)
{
    return pcb->fin_queued && pcb->fin_sent && pcb->sq.len == 0 && pcb->snd_una == pcb->snd_max;
}

static void enter_recovery(SimTcpPcb *pcb)
{
    uint32_t old = pcb->cwnd;
    pcb->ssthresh = pcb->cc->ssthresh(pcb);
    pcb->recover = pcb->snd_max;
    pcb->cwnd = pcb->ssthresh + 3 * pcb->mss; /* RFC 6582 §3.2 step 2 */
    pcb->in_recovery = true;
    pcb->st.fast_retransmits++;
    TCP_TRACE(pcb, NULL, "3 duplicate ACKs for %u → fast retransmit, cwnd %u → %u, ssthresh %u",
              tcp_rel_snd(pcb, pcb->snd_una), old, pcb->cwnd, pcb->ssthresh);
    tcp_retransmit_first(pcb, "fast retransmit");
}

/* RFC 9293 §3.10.7.4 fifth step for the established family: returns
 * false when the segment is to be dropped. */
static bool ack_process(SimTcpPcb *pcb, Seg *s)
{
    const SimTcpHdr *h = &s->h;
    if (SEQ_GT(h->ack, pcb->snd_max)) {
        tcp_send_ack(pcb); /* acknowledges something not yet sent */
        return false;
    }
    uint32_t new_wnd = (uint32_t)h->window << pcb->snd_wscale;
    bool wnd_update =
        SEQ_LT(pcb->snd_wl1, h->seq) || (pcb->snd_wl1 == h->seq && SEQ_LEQ(pcb->snd_wl2, h->ack));
    if (SEQ_GT(h->ack, pcb->snd_una)) {
        uint32_t acked = h->ack - pcb->snd_una;
        uint32_t data = MIN(acked, (uint32_t)pcb->sq.len);
        tcp_sndq_drop(&pcb->sq, data);
        pcb->snd_una = h->ack;
        if (SEQ_LT(pcb->snd_nxt, pcb->snd_una))
            pcb->snd_nxt = pcb->snd_una;
        pcb->st.bytes_acked += data;
        if (pcb->rtt_timing && SEQ_GEQ(h->ack, pcb->rtt_seq)) {
            tcp_rtt_sample(pcb, sim_world_now(pcb->tcp->w) - pcb->rtt_start);
            pcb->rtt_timing = false;
        }
        pcb->backoff = 0;
        if (pcb->in_recovery && SEQ_GEQ(h->ack, pcb->recover)) {
            /* RFC 6582 §3.2 step 3: full ACK, deflate. */
            uint32_t old = pcb->cwnd, flight = pcb->snd_max - pcb->snd_una;
            pcb->cwnd = MIN(pcb->ssthresh, MAX(flight, (uint32_t)pcb->mss) + pcb->mss);
            pcb->in_recovery = false;
            TCP_TRACE(pcb, NULL, "full ACK %u ends fast recovery, cwnd %u → %u",
                      tcp_rel_snd(pcb, h->ack), old, pcb->cwnd);
        } else if (pcb->in_recovery) {
            /* Step 4: partial ACK, retransmit the next hole, deflate. */
            pcb->cwnd = pcb->cwnd > acked ? pcb->cwnd - acked : pcb->mss;
            if (acked >= pcb->mss)
                pcb->cwnd += pcb->mss;
            char c[64];
            TCP_TRACE(pcb, NULL, "partial ACK %u during fast recovery %s", tcp_rel_snd(pcb, h->ack),
                      tcp_conn_str(pcb, c, sizeof c));
            tcp_retransmit_first(pcb, "partial ACK");
        } else if (2 * (pcb->snd_max - pcb->snd_una + acked) >= pcb->cwnd) {
            /* Grow only while the window is what limits the sender (RFC
             * 7661's idea, Linux tcp_is_cwnd_limited): an application- or
             * receiver-limited flow must not inflate cwnd it never used. */
            uint32_t below = pcb->cwnd < pcb->ssthresh;
            pcb->cc->on_ack(pcb, data);
            if (below && pcb->cwnd >= pcb->ssthresh)
                TCP_TRACE(pcb, NULL,
                          "cwnd %u reaches ssthresh %u: slow start → congestion avoidance",
                          pcb->cwnd, pcb->ssthresh);
        }
        pcb->dupacks = 0;
        if (pcb->snd_una == pcb->snd_max)
            pcb->rto_at = 0;
        else
            tcp_rto_restart(pcb);
        if (data && !pcb->app_gone && pcb->cb.sent) {
            pcb->cb.sent(pcb->user, pcb, data);
            if (pcb->dead)
                return false;
        }
    } else if (h->ack == pcb->snd_una && s->dlen == 0 && !s->syn && !s->fin &&
               new_wnd == pcb->snd_wnd && pcb->snd_una != pcb->snd_max) {
        /* RFC 5681 §2: a duplicate ACK. */
        pcb->dupacks++;
        pcb->st.dupacks_in++;
        /* RFC 6582 §3.2 step 2: not again for losses of the same window. */
        if (pcb->dupacks == 3 && !pcb->in_recovery && SEQ_GT(h->ack - 1, pcb->recover))
            enter_recovery(pcb);
        else if (pcb->in_recovery)
            pcb->cwnd += pcb->mss; /* step 4 inflation */
    }
    if (wnd_update) {
        char c[64];
        if (new_wnd == 0 && pcb->snd_wnd != 0)
            TCP_TRACE(pcb, NULL, "zero window from %s: sending stops",
                      tcp_conn_str(pcb, c, sizeof c));
        else if (new_wnd != 0 && pcb->snd_wnd == 0) {
            TCP_TRACE(pcb, NULL, "window opens to %u bytes: sending resumes", new_wnd);
            pcb->persist_at = 0;
            pcb->backoff = 0;
        }
        pcb->snd_wnd = new_wnd;
        pcb->max_snd_wnd = MAX(pcb->max_snd_wnd, new_wnd);
        pcb->snd_wl1 = h->seq;
        pcb->snd_wl2 = h->ack;
    }
    return true;
}

static void data_input(SimTcpPcb *pcb, Seg *s)
{
    bool had_ooo = pcb->ooo && pcb->ooo->len;
    if (s->h.seq != pcb->rcv_nxt) {
        if (s->dlen || s->fin)
            ooo_insert(pcb, s);
        tcp_send_ack(pcb); /* RFC 5681 §4.2: a duplicate ACK at once */
        return;
    }
    if (s->dlen)
        deliver(pcb, sim_packet_cdata(s->pkt) + s->data_off, s->dlen);
    if (pcb->dead)
        return;
    if (s->fin) {
        if (had_ooo)
            tcp_ooo_free(pcb); /* nothing can lie past a FIN */
        fin_arrived(pcb);
        return;
    }
    drain_ooo(pcb);
    if (pcb->dead || pcb->fin_rcvd || !s->dlen)
        return;
    tcp_ack_received_data(pcb, s->dlen >= pcb->mss, had_ooo);
}

static void synced_input(SimTcpPcb *pcb, Seg *s)
{
    const SimTcpHdr *h = &s->h;
    char c[64];
    if (!acceptable(pcb, s)) {
        if (!(h->flags & SIM_TCP_RST))
            tcp_send_ack(pcb);
        return;
    }
    if (h->flags & SIM_TCP_RST) {
        /* RFC 5961 §3.2: reset only at exactly RCV.NXT; in the window,
         * answer with a challenge ACK. */
        if (h->seq != pcb->rcv_nxt) {
            TCP_TRACE(pcb, NULL,
                      "RST at seq %u is in the window but not RCV.NXT %u → challenge ACK",
                      tcp_rel_rcv(pcb, h->seq), tcp_rel_rcv(pcb, pcb->rcv_nxt));
            tcp_send_ack(pcb);
            return;
        }
        TCP_TRACE(pcb, NULL, "RST received in %s %s", sim_tcp_state_name(pcb->state),
                  tcp_conn_str(pcb, c, sizeof c));
        switch (pcb->state) {
        case SIM_TCP_SYN_RECEIVED:
            if (pcb->parent) { /* passive open: back to LISTEN, quietly */
                tcp_set_state(pcb, SIM_TCP_CLOSED, "RST");
                tcp_release(pcb);
            } else {
                tcp_fail(pcb, SIM_TCP_ERR_REFUSED);
            }
            return;
        case SIM_TCP_CLOSING:
        case SIM_TCP_LAST_ACK:
        case SIM_TCP_TIME_WAIT:
            tcp_set_state(pcb, SIM_TCP_CLOSED, "RST");
            tcp_release(pcb);
            return;
        default:
            tcp_fail(pcb, SIM_TCP_ERR_RESET);
            return;
        }
    }
    if (s->syn) {
        /* RFC 5961 §4.2: a SYN on a synchronized connection draws a
         * challenge ACK, whatever its sequence number. */
        TCP_TRACE(pcb, NULL, "SYN in %s → challenge ACK", sim_tcp_state_name(pcb->state));
        tcp_send_ack(pcb);
        return;
    }
    if (!(h->flags & SIM_TCP_ACK))
        return;
    if (pcb->state == SIM_TCP_SYN_RECEIVED) {
        if (!(SEQ_LT(pcb->snd_una, h->ack) && SEQ_LEQ(h->ack, pcb->snd_max))) {
            tcp_send_reset(pcb->tcp, s->rx->src, s->rx->dst, h, s->dlen + s->fin);
            return;
        }
        if (pcb->backoff == 0)
            tcp_rtt_sample(pcb, sim_world_now(pcb->tcp->w) - (pcb->rto_at - pcb->rto));
        pcb->snd_una = h->ack;
        pcb->snd_wnd = (uint32_t)h->window << pcb->snd_wscale;
        pcb->max_snd_wnd = MAX(pcb->max_snd_wnd, pcb->snd_wnd);
        pcb->snd_wl1 = h->seq;
        pcb->snd_wl2 = h->ack;
        established(pcb, "ACK of our SYN");
        SimTcpPcb *lp = pcb->parent;
        if (lp) {
            lp->pending--;
            pcb->parent = NULL;
            if (!lp->dead && !lp->app_gone && lp->cb.accept)
                lp->cb.accept(lp->user, lp, pcb);
            else
                pcb->app_gone = true;
        } else if (!pcb->app_gone && pcb->cb.connected) {
            pcb->cb.connected(pcb->user, pcb);
        }
        if (pcb->dead)
            return;
        if (pcb->fin_queued)
            tcp_set_state(pcb, SIM_TCP_FIN_WAIT_1, "close before the handshake ended");
    } else if (!ack_process(pcb, s)) {
        return;
    }
    if (s->probe)
        tcp_send_ack(pcb); /* tells the prober the window is still shut */
    switch (pcb->state) {
    case SIM_TCP_FIN_WAIT_1:
        if (fin_acked(pcb)) {
            tcp_set_state(pcb, SIM_TCP_FIN_WAIT_2, "our FIN acknowledged");
            if (pcb->app_gone) { /* Linux tcp_fin_timeout for an orphan */
                pcb->tw_at = sim_world_now(pcb->tcp->w) + pcb->o.time_wait;
                tcp_timer_arm(pcb);
            }
        }
        break;
    case SIM_TCP_CLOSING:
        if (fin_acked(pcb))
            enter_time_wait(pcb, "our FIN acknowledged");
        return;
    case SIM_TCP_LAST_ACK:
        if (fin_acked(pcb)) {
            tcp_set_state(pcb, SIM_TCP_CLOSED, "our FIN acknowledged");
            tcp_release(pcb);
        }
        return;
    case SIM_TCP_TIME_WAIT:
        if (s->fin) { /* a retransmitted FIN: ack it, restart 2 MSL */
            tcp_send_ack(pcb);
            enter_time_wait(pcb, "FIN retransmitted");
        }
        return;
    case SIM_TCP_CLOSE_WAIT:
        tcp_output(pcb);
        return;
    default:
        break;
    }
    if (s->dlen || s->fin)
        data_input(pcb, s);
    if (!pcb->dead)
        tcp_output(pcb);
}

/* ---- entry points ------------------------------------------------------------------- */

void tcp_input(void *user, const SimIpRxInfo *rx, SimPacket *pkt, size_t off, size_t len)
{
    SimTcp *tcp = user;
    const SimPacket *frame = off > 0 ? pkt : NULL;
    Seg s = {.rx = rx, .pkt = pkt};
    g_autoptr(GError) err = NULL;
    if (!sim_tcp_hdr_decode(sim_packet_cdata(pkt) + off, len, rx->src, rx->dst, &s.h, &err)) {
        drop(tcp, rx, frame, SIM_DROP_MALFORMED, "%s", err->message);
        return;
    }
    if (!s.h.checksum_ok) {
        drop(tcp, rx, frame, SIM_DROP_CHECKSUM, "%s", "TCP checksum is wrong");
        return;
    }
    if (rx->broadcast) {
        drop(tcp, rx, frame, SIM_DROP_NOT_FOR_US, "%s", "TCP segment to a broadcast address");
        return;
    }
    s.data_off = off + s.h.hdr_len;
    s.dlen = (uint32_t)(len - s.h.hdr_len);
    s.syn = s.h.flags & SIM_TCP_SYN;
    s.fin = s.h.flags & SIM_TCP_FIN;
    TcpKey k = {rx->dst, rx->src, s.h.dport, s.h.sport};
    SimTcpPcb *pcb = g_hash_table_lookup(tcp->conns, &k);
    if (!pcb) {
        SimTcpPcb *lp = g_hash_table_lookup(tcp->listen, GUINT_TO_POINTER(s.h.dport));
        if (lp && (!lp->key.laddr || lp->key.laddr == rx->dst)) {
            tcp_enter(lp);
            listen_input(lp, &s);
            tcp_leave(lp);
            return;
        }
        char a[SIM_IPV4_STRLEN];
        drop(tcp, rx, frame, SIM_DROP_NO_LISTENER, "TCP to closed port %s", "");
        if (!(s.h.flags & SIM_TCP_RST)) {
            SIM_TRACE(tcp->w, SIM_TR_TCP, SIM_DROP_NONE, tcp->name, NULL, NULL,
                      "RST sent: segment from %s:%u to closed port %u", sim_ipv4_format(rx->src, a),
                      s.h.sport, s.h.dport);
            tcp_send_reset(tcp, rx->src, rx->dst, &s.h, s.dlen + s.syn + s.fin);
        }
        return;
    }
    tcp_enter(pcb);
    pcb->st.segs_in++;
    if (pcb->state == SIM_TCP_SYN_SENT)
        syn_sent_input(pcb, &s);
    else
        synced_input(pcb, &s);
    if (!pcb->dead && pcb->unacked_segs >= 2 && pcb->state >= SIM_TCP_ESTABLISHED)
        tcp_send_ack(pcb);
    tcp_leave(pcb);
}

void tcp_icmp_error(void *user, const SimIpIcmpError *e)
{
    SimTcp *tcp = user;
    if (e->orig_len < 4)
        return;
    TcpKey k = {e->orig.src, e->orig.dst, sim_wire_get16(e->orig_data),
                sim_wire_get16(e->orig_data + 2)};
    SimTcpPcb *pcb = g_hash_table_lookup(tcp->conns, &k);
    if (!pcb || e->type != SIM_ICMP_DEST_UNREACH)
        return;
    /* RFC 1122 §4.2.3.9: port and protocol unreachable are hard errors
     * while connecting (Linux aborts the connect); others are soft. */
    bool hard = e->code == SIM_ICMP_UNREACH_PORT || e->code == SIM_ICMP_UNREACH_PROTO;
    char c[64];
    TCP_TRACE(pcb, NULL, "ICMP unreachable (code %u) for %s: %s", e->code,
              tcp_conn_str(pcb, c, sizeof c),
              hard && pcb->state == SIM_TCP_SYN_SENT ? "connect fails" : "soft error, ignored");
    if (hard && pcb->state == SIM_TCP_SYN_SENT) {
        tcp_enter(pcb);
        tcp_fail(pcb, SIM_TCP_ERR_UNREACH);
        tcp_leave(pcb);
    }
}

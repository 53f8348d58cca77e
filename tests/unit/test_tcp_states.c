/* test_tcp_states.c - TCP transitions driven by crafted segments, the way
 * packetdrill scripts are written: a peer host without TCP (its stack hands
 * protocol 6 to this test) injects a segment and the test expects the
 * segment the stack under test answers with. */
#include "tests/scenario/helpers.h"

#include "sim/l4/tcp.h"
#include "sim/net/l4_hdr.h"

typedef struct {
    SimWorld *w;
    SimNode *h, *peer; /* h: 10.0.0.1 with TCP; peer 10.0.0.2 raw */
    SimTcp *tcp;
    GArray *got; /* SimTcpHdr received by the peer */
    GString *events;
} T;

static void peer_input(void *user, const SimIpRxInfo *rx, SimPacket *pkt, size_t off, size_t len)
{
    T *t = user;
    SimTcpHdr h;
    cr_assert(sim_tcp_hdr_decode(sim_packet_cdata(pkt) + off, len, rx->src, rx->dst, &h, NULL));
    cr_assert(h.checksum_ok);
    h.urgent = (uint16_t)(len - h.hdr_len); /* the test keeps the data length here */
    g_array_append_val(t->got, h);
}

static void run_ms(T *t, guint ms)
{
    sim_world_run(t->w, sim_world_now(t->w) + ms * SIM_MS, 0);
}

static T *t_new(void)
{
    T *t = g_new0(T, 1);
    t->w = sim_world_new(7);
    t->h = mk_host(t->w, "h", "10.0.0.1/24", NULL);
    t->peer = mk_host(t->w, "peer", "10.0.0.2/24", NULL);
    mk_link(t->w, eth0(t->h), eth0(t->peer), 0);
    t->tcp = sim_tcp_attach(t->h);
    t->got = g_array_new(FALSE, FALSE, sizeof(SimTcpHdr));
    t->events = g_string_new(NULL);
    sim_ip_register_proto(sim_ip_stack(t->peer), SIM_IPPROTO_TCP, peer_input, NULL, t);
    return t;
}

static void t_free(T *t)
{
    sim_world_free(t->w);
    g_array_free(t->got, TRUE);
    g_string_free(t->events, TRUE);
    g_free(t);
}

/* Injects a segment from the peer (port 5000) to h. */
static void inject(T *t, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags, size_t len,
                   uint16_t win)
{
    SimPacket *p = sim_packet_new(sim_world_pool(t->w), SIM_PACKET_HEADROOM + 40, len);
    SimTcpHdr h = {
        .sport = 5000, .dport = dport, .seq = seq, .ack = ack, .flags = flags, .window = win};
    if (flags & SIM_TCP_SYN)
        h.mss = 1460;
    sim_tcp_hdr_encode(p, ip4("10.0.0.2"), ip4("10.0.0.1"), &h);
    SimIpTxOpts o = {.src = ip4("10.0.0.2")};
    cr_assert(sim_ip_output(sim_ip_stack(t->peer), p, ip4("10.0.0.1"), SIM_IPPROTO_TCP, &o, NULL));
    run_ms(t, 5);
}

static SimTcpHdr last(T *t)
{
    cr_assert_gt(t->got->len, 0, "expected a segment");
    return g_array_index(t->got, SimTcpHdr, t->got->len - 1);
}

static void on_accept(void *user, SimTcpPcb *l, SimTcpPcb *c)
{
    T *t = user;
    g_string_append(t->events, "accept;");
    SimTcpCallbacks cb = {0};
    sim_tcp_set_callbacks(c, &cb, t);
}

static void on_connected(void *user, SimTcpPcb *pcb)
{
    g_string_append(((T *)user)->events, "connected;");
}

static void on_recv(void *user, SimTcpPcb *pcb, const uint8_t *d, size_t len)
{
    g_string_append_printf(((T *)user)->events, "recv %zu;", len);
}

static void on_error(void *user, SimTcpPcb *pcb, SimTcpErr e)
{
    g_string_append_printf(((T *)user)->events, "error %s;", sim_tcp_err_name(e));
}

static SimTcpPcb *listener(T *t, uint16_t port)
{
    SimTcpPcb *l = sim_tcp_new(t->tcp);
    SimTcpCallbacks cb = {.accept = on_accept};
    sim_tcp_set_callbacks(l, &cb, t);
    cr_assert(sim_tcp_bind(l, 0, port, NULL));
    cr_assert(sim_tcp_listen(l, 4, NULL));
    return l;
}

/* A listener on 80 and the peer's SYN; returns the SYN-ACK. */
static SimTcpHdr passive_syn(T *t)
{
    listener(t, 80);
    inject(t, 80, 1000, 0, SIM_TCP_SYN, 0, 8192);
    SimTcpHdr sa = last(t);
    cr_assert_eq(sa.flags, SIM_TCP_SYN | SIM_TCP_ACK);
    cr_assert_eq(sa.ack, 1001);
    return sa;
}

Test(tcp_states, syn_to_closed_port_draws_rst_ack)
{
    T *t = t_new();
    inject(t, 81, 1000, 0, SIM_TCP_SYN, 0, 8192);
    SimTcpHdr r = last(t);
    cr_assert_eq(r.flags, SIM_TCP_RST | SIM_TCP_ACK);
    cr_assert_eq(r.seq, 0);
    cr_assert_eq(r.ack, 1001); /* SEG.SEQ + SEG.LEN, the SYN counting one */
    /* An ACK-bearing segment gets <SEQ=SEG.ACK><CTL=RST>. */
    inject(t, 81, 1000, 777, SIM_TCP_ACK, 10, 8192);
    r = last(t);
    cr_assert_eq(r.flags, SIM_TCP_RST);
    cr_assert_eq(r.seq, 777);
    /* A RST never draws a RST. */
    guint n = t->got->len;
    inject(t, 81, 1000, 0, SIM_TCP_RST, 0, 0);
    cr_assert_eq(t->got->len, n);
    t_free(t);
}

/* LISTEN -> SYN_RECEIVED -> ESTABLISHED, data with FIN -> CLOSE_WAIT. */
Test(tcp_states, passive_open_data_and_fin)
{
    T *t = t_new();
    SimTcpHdr sa = passive_syn(t);
    cr_assert_eq(sa.mss, 1460);
    cr_assert(!sa.has_wscale, "no window scale in a SYN-ACK to a SYN without one");
    inject(t, 80, 1001, sa.seq + 1, SIM_TCP_ACK, 0, 8192);
    cr_assert_str_eq(t->events->str, "accept;");
    /* FIN with data: both are taken, the ACK covers data and FIN at once. */
    inject(t, 80, 1001, sa.seq + 1, SIM_TCP_ACK | SIM_TCP_FIN | SIM_TCP_PSH, 100, 8192);
    SimTcpHdr a = last(t);
    cr_assert_eq(a.flags, SIM_TCP_ACK);
    cr_assert_eq(a.ack, 1001 + 100 + 1);
    t_free(t);
}

Test(tcp_states, retransmitted_syn_gets_the_same_syn_ack)
{
    T *t = t_new();
    SimTcpHdr a = passive_syn(t);
    /* The same SYN again (its SYN-ACK was lost): the same ISN, acked again. */
    inject(t, 80, 1000, 0, SIM_TCP_SYN, 0, 8192);
    SimTcpHdr b = last(t);
    cr_assert_eq(b.flags & SIM_TCP_ACK, SIM_TCP_ACK);
    cr_assert_eq(b.ack, 1001);
    (void)a;
    /* Our own SYN-ACK is retransmitted after the 1 s initial RTO. */
    guint n = t->got->len;
    run_ms(t, 1100);
    cr_assert_gt(t->got->len, n);
    cr_assert_eq(last(t).flags, SIM_TCP_SYN | SIM_TCP_ACK);
    cr_assert_eq(last(t).seq, a.seq);
    t_free(t);
}

static SimTcpPcb *active(T *t, SimTcpHdr *syn)
{
    SimTcpPcb *c = sim_tcp_new(t->tcp);
    SimTcpCallbacks cb = {.connected = on_connected, .recv = on_recv, .error = on_error};
    sim_tcp_set_callbacks(c, &cb, t);
    cr_assert(sim_tcp_connect(c, ip4("10.0.0.2"), 5000, NULL));
    run_ms(t, 5);
    *syn = last(t);
    cr_assert_eq(syn->flags, SIM_TCP_SYN);
    cr_assert(syn->has_wscale);
    return c;
}

Test(tcp_states, rst_in_syn_sent_refuses)
{
    T *t = t_new();
    SimTcpHdr syn;
    active(t, &syn);
    /* RST with an unacceptable ACK is ignored; with an acceptable one it
     * refuses the connection (RFC 9293 §3.10.7.3). */
    inject(t, 32768, 0, syn.seq + 5, SIM_TCP_RST | SIM_TCP_ACK, 0, 0);
    cr_assert_str_eq(t->events->str, "");
    inject(t, 32768, 0, syn.seq + 1, SIM_TCP_RST | SIM_TCP_ACK, 0, 0);
    cr_assert_str_eq(t->events->str, "error Connection refused;");
    t_free(t);
}

Test(tcp_states, simultaneous_open)
{
    T *t = t_new();
    SimTcpHdr syn;
    SimTcpPcb *c = active(t, &syn);
    inject(t, 32768, 5000, 0, SIM_TCP_SYN, 0, 8192); /* their SYN crosses ours */
    cr_assert_eq(sim_tcp_state(c), SIM_TCP_SYN_RECEIVED);
    SimTcpHdr sa = last(t);
    cr_assert_eq(sa.flags, SIM_TCP_SYN | SIM_TCP_ACK);
    cr_assert_eq(sa.seq, syn.seq);
    cr_assert_eq(sa.ack, 5001);
    inject(t, 32768, 5001, syn.seq + 1, SIM_TCP_SYN | SIM_TCP_ACK, 0, 8192);
    /* A SYN in SYN_RECEIVED draws a challenge ACK (RFC 5961 §4)... */
    inject(t, 32768, 5001, syn.seq + 1, SIM_TCP_ACK, 0, 8192);
    cr_assert_eq(sim_tcp_state(c), SIM_TCP_ESTABLISHED);
    cr_assert_str_eq(t->events->str, "connected;");
    t_free(t);
}

static SimTcpPcb *established(T *t, SimTcpHdr *syn)
{
    SimTcpPcb *c = active(t, syn);
    inject(t, 32768, 5000, syn->seq + 1, SIM_TCP_SYN | SIM_TCP_ACK, 0, 8192);
    cr_assert_eq(sim_tcp_state(c), SIM_TCP_ESTABLISHED);
    cr_assert_eq(last(t).flags, SIM_TCP_ACK);
    cr_assert_eq(last(t).ack, 5001);
    return c;
}

Test(tcp_states, rst_validation_in_established)
{
    T *t = t_new();
    SimTcpHdr syn;
    SimTcpPcb *c = established(t, &syn);
    /* In the window but not RCV.NXT: a challenge ACK, no reset. */
    inject(t, 32768, 5100, 0, SIM_TCP_RST, 0, 0);
    cr_assert_eq(last(t).flags, SIM_TCP_ACK);
    cr_assert_eq(last(t).ack, 5001);
    cr_assert_eq(sim_tcp_state(c), SIM_TCP_ESTABLISHED);
    /* Out of the window: dropped silently. */
    guint n = t->got->len;
    inject(t, 32768, 5001 + 10000000, 0, SIM_TCP_RST, 0, 0);
    cr_assert_eq(t->got->len, n);
    /* Exactly RCV.NXT: reset. */
    inject(t, 32768, 5001, 0, SIM_TCP_RST, 0, 0);
    cr_assert_str_eq(t->events->str, "connected;error Connection reset by peer;");
    t_free(t);
}

Test(tcp_states, zero_window_then_window_opens)
{
    T *t = t_new();
    SimTcpHdr syn;
    SimTcpPcb *c = active(t, &syn);
    inject(t, 32768, 5000, syn.seq + 1, SIM_TCP_SYN | SIM_TCP_ACK, 0, 0); /* window 0 */
    uint8_t data[100] = {0};
    cr_assert_eq(sim_tcp_send(c, data, sizeof data), sizeof data);
    run_ms(t, 5);
    cr_assert_eq(last(t).urgent, 0, "nothing may be sent into a zero window");
    /* The persist timer probes with one byte after the RTO. */
    run_ms(t, 1100);
    cr_assert_eq(last(t).urgent, 1, "a one-byte window probe");
    cr_assert_eq(last(t).seq, syn.seq + 1);
    /* The window opens: everything goes. */
    inject(t, 32768, 5001, syn.seq + 1, SIM_TCP_ACK, 0, 8192);
    SimTcpHdr d = last(t);
    cr_assert_eq(d.seq, syn.seq + 1);
    cr_assert_eq(d.urgent, 100);
    t_free(t);
}

Test(tcp_states, close_fin_wait_and_time_wait)
{
    T *t = t_new();
    SimTcpHdr syn;
    SimTcpPcb *c = established(t, &syn);
    sim_tcp_shutdown(c);
    run_ms(t, 5);
    cr_assert_eq(last(t).flags, SIM_TCP_FIN | SIM_TCP_ACK);
    cr_assert_eq(sim_tcp_state(c), SIM_TCP_FIN_WAIT_1);
    inject(t, 32768, 5001, syn.seq + 2, SIM_TCP_ACK, 0, 8192);
    cr_assert_eq(sim_tcp_state(c), SIM_TCP_FIN_WAIT_2);
    inject(t, 32768, 5001, syn.seq + 2, SIM_TCP_ACK | SIM_TCP_FIN, 0, 8192);
    cr_assert_eq(sim_tcp_state(c), SIM_TCP_TIME_WAIT);
    cr_assert_eq(last(t).ack, 5002);
    cr_assert(strstr(t->events->str, "recv 0;"), "%s", t->events->str);
    GString *s = g_string_new(NULL);
    sim_tcp_show(t->tcp, s);
    cr_assert(strstr(s->str, "TIME-WAIT"), "%s", s->str);
    g_string_free(s, TRUE);
    sim_tcp_close(c);
    run_ms(t, 61000); /* 2 MSL = 60 s */
    s = g_string_new(NULL);
    sim_tcp_show(t->tcp, s);
    cr_assert_null(strstr(s->str, "TIME-WAIT"), "%s", s->str);
    g_string_free(s, TRUE);
    t_free(t);
}

Test(tcp_states, simultaneous_close)
{
    T *t = t_new();
    SimTcpHdr syn;
    SimTcpPcb *c = established(t, &syn);
    sim_tcp_shutdown(c);
    run_ms(t, 5);
    inject(t, 32768, 5001, syn.seq + 1, SIM_TCP_ACK | SIM_TCP_FIN, 0, 8192); /* crossed FINs */
    cr_assert_eq(sim_tcp_state(c), SIM_TCP_CLOSING);
    inject(t, 32768, 5002, syn.seq + 2, SIM_TCP_ACK, 0, 8192);
    cr_assert_eq(sim_tcp_state(c), SIM_TCP_TIME_WAIT);
    t_free(t);
}

static guint n_sockets(T *t, const char *state)
{
    GString *s = g_string_new(NULL);
    sim_tcp_show(t->tcp, s);
    guint n = 0;
    for (const char *p = s->str; (p = strstr(p, state)); p++)
        n++;
    g_string_free(s, TRUE);
    return n;
}

/* A RST at RCV.NXT ends the connection in every synchronized state; the
 * application hears "reset" only where it still owns the socket. */
Test(tcp_states, rst_in_each_state)
{
    static const struct {
        const char *steps; /* s: shutdown, f: peer FIN, a: peer ACKs our FIN */
        SimTcpState before;
        const char *event;
    } cases[] = {
        {"", SIM_TCP_ESTABLISHED, "error Connection reset by peer;"},
        {"s", SIM_TCP_FIN_WAIT_1, "error Connection reset by peer;"},
        {"sa", SIM_TCP_FIN_WAIT_2, "error Connection reset by peer;"},
        {"f", SIM_TCP_CLOSE_WAIT, "error Connection reset by peer;"},
        {"fs", SIM_TCP_LAST_ACK, ""},
        {"sf", SIM_TCP_CLOSING, ""},
        {"saf", SIM_TCP_TIME_WAIT, ""},
    };
    for (guint k = 0; k < G_N_ELEMENTS(cases); k++) {
        T *t = t_new();
        SimTcpHdr syn;
        SimTcpPcb *c = established(t, &syn);
        uint32_t rcv = 5001, snd = syn.seq + 1;
        for (const char *s = cases[k].steps; *s; s++) {
            if (*s == 's') {
                sim_tcp_shutdown(c);
                run_ms(t, 5);
                snd++;
            } else if (*s == 'f') {
                inject(t, 32768, rcv, syn.seq + 1, SIM_TCP_ACK | SIM_TCP_FIN, 0, 8192);
                rcv++;
            } else {
                inject(t, 32768, rcv, snd, SIM_TCP_ACK, 0, 8192);
            }
        }
        cr_assert_eq(sim_tcp_state(c), cases[k].before, "case %u: %s", k,
                     sim_tcp_state_name(sim_tcp_state(c)));
        g_string_truncate(t->events, 0);
        inject(t, 32768, rcv, 0, SIM_TCP_RST, 0, 0);
        cr_assert_str_eq(t->events->str, cases[k].event, "case %u", k);
        cr_assert_eq(n_sockets(t, "tcp "), 0, "case %u: the connection is gone", k);
        t_free(t);
    }
}

Test(tcp_states, rst_in_syn_received_returns_to_listen)
{
    T *t = t_new();
    passive_syn(t);
    cr_assert_eq(n_sockets(t, "SYN-RECV"), 1);
    inject(t, 80, 1001, 0, SIM_TCP_RST, 0, 0);
    cr_assert_eq(n_sockets(t, "SYN-RECV"), 0);
    cr_assert_eq(n_sockets(t, "LISTEN"), 1);
    cr_assert_str_eq(t->events->str, "");
    t_free(t);
}

/* Closing a listener resets the half-open connections it never handed
 * to the application. */
Test(tcp_states, closing_listener_resets_its_syn_received)
{
    T *t = t_new();
    SimTcpPcb *l = sim_tcp_new(t->tcp);
    SimTcpCallbacks cb = {.accept = on_accept};
    sim_tcp_set_callbacks(l, &cb, t);
    cr_assert(sim_tcp_bind(l, 0, 80, NULL));
    cr_assert(sim_tcp_listen(l, 4, NULL));
    inject(t, 80, 1000, 0, SIM_TCP_SYN, 0, 8192);
    inject(t, 80, 2000, 0, SIM_TCP_SYN, 0, 8192); /* the same peer port: a duplicate */
    cr_assert_eq(n_sockets(t, "SYN-RECV"), 1);
    sim_tcp_close(l);
    run_ms(t, 5);
    cr_assert_eq(last(t).flags, SIM_TCP_RST | SIM_TCP_ACK);
    cr_assert_eq(n_sockets(t, "tcp "), 0);
    t_free(t);
}

/* tcp.c - TCP per stack: attaching to the IP stack, connection tables,
 * the socket calls of tcp.h, state changes and their trace records, and
 * `show NODE sockets`.
 *
 * Connections are found by their 4-tuple in one hash table and listeners by
 * port in another (RFC 9293 §3.10.7: a segment goes to the connection, else
 * to a listener, else draws a RST). A pcb is freed only when no stack code
 * is running on it (busy == 0), because an application callback may close
 * or abort the connection whose segment is being processed.
 */
#include "sim/l4/tcp_priv.h"

#include "sim/l4/udp.h"
#include "sim/link/iface.h"

#include <string.h>

static const char *const state_names[] = {
    "CLOSED",     "LISTEN",     "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
    "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",  "LAST_ACK",     "TIME_WAIT",
};

/* ss(8)'s names for the same states. */
static const char *const ss_names[] = {
    "CLOSED",     "LISTEN",     "SYN-SENT", "SYN-RECV", "ESTAB",     "FIN-WAIT-1",
    "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",  "LAST-ACK", "TIME-WAIT",
};

const char *sim_tcp_state_name(SimTcpState s)
{
    return s <= SIM_TCP_TIME_WAIT ? state_names[s] : "?";
}

const char *sim_tcp_err_name(SimTcpErr e)
{
    switch (e) {
    case SIM_TCP_ERR_REFUSED:
        return "Connection refused";
    case SIM_TCP_ERR_RESET:
        return "Connection reset by peer";
    case SIM_TCP_ERR_TIMEOUT:
        return "Connection timed out";
    case SIM_TCP_ERR_UNREACH:
        return "No route to host";
    }
    return "?";
}

void sim_tcp_opts_default(SimTcpOpts *o)
{
    *o = (SimTcpOpts){
        .sndbuf = SIM_TCP_DEFAULT_SNDBUF,
        .rcvbuf = SIM_TCP_DEFAULT_RCVBUF,
        .time_wait = 60 * SIM_SEC,
        .retries = 15,
        .syn_retries = 6,
        .delack = 40 * SIM_MS,
        .cc = "newreno",
    };
}

/* ---- tables ----------------------------------------------------------------- */

static guint key_hash(gconstpointer p)
{
    const TcpKey *k = p;
    uint64_t x = ((uint64_t)k->laddr << 32 | k->raddr) ^ ((uint64_t)k->lport << 16 | k->rport);
    x *= 0x9E3779B97F4A7C15ull;
    return (guint)(x >> 32);
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
    const TcpKey *x = a, *y = b;
    return x->laddr == y->laddr && x->raddr == y->raddr && x->lport == y->lport &&
           x->rport == y->rport;
}

void tcp_hash(SimTcpPcb *pcb)
{
    if (pcb->hashed)
        return;
    pcb->listener = pcb->state == SIM_TCP_LISTEN;
    if (pcb->listener)
        g_hash_table_insert(pcb->tcp->listen, GUINT_TO_POINTER(pcb->key.lport), pcb);
    else
        g_hash_table_insert(pcb->tcp->conns, &pcb->key, pcb);
    pcb->hashed = true;
}

void tcp_unhash(SimTcpPcb *pcb)
{
    if (!pcb->hashed)
        return;
    if (pcb->listener)
        g_hash_table_remove(pcb->tcp->listen, GUINT_TO_POINTER(pcb->key.lport));
    else
        g_hash_table_remove(pcb->tcp->conns, &pcb->key);
    pcb->hashed = false;
}

static bool port_in_use(SimTcp *tcp, uint16_t port)
{
    if (g_hash_table_contains(tcp->listen, GUINT_TO_POINTER(port)))
        return true;
    for (guint i = 0; i < tcp->all->len; i++) {
        const SimTcpPcb *p = g_ptr_array_index(tcp->all, i);
        if (!p->dead && p->key.lport == port)
            return true;
    }
    return false;
}

/* ---- lifetime ---------------------------------------------------------------- */

static void pcb_free(SimTcpPcb *pcb)
{
    tcp_timer_cancel(pcb);
    tcp_ooo_free(pcb);
    tcp_sndq_clear(&pcb->sq);
    g_free(pcb);
}

SimTcpPcb *tcp_pcb_alloc(SimTcp *tcp, const SimTcpOpts *o)
{
    SimTcpPcb *pcb = g_new0(SimTcpPcb, 1);
    pcb->tcp = tcp;
    pcb->o = *o;
    pcb->cc = tcp_cc_find(o->cc);
    pcb->rto = TCP_RTO_INIT;
    pcb->ssthresh = UINT32_MAX; /* RFC 5681 §3.1: arbitrarily high */
    tcp_sndq_init(&pcb->sq, sim_world_pool(tcp->w));
    g_ptr_array_add(tcp->all, pcb);
    return pcb;
}

void tcp_enter(SimTcpPcb *pcb)
{
    pcb->busy++;
}

void tcp_leave(SimTcpPcb *pcb)
{
    if (--pcb->busy == 0 && pcb->dead) {
        g_ptr_array_remove(pcb->tcp->all, pcb);
        pcb_free(pcb);
    }
}

void tcp_release(SimTcpPcb *pcb)
{
    if (pcb->dead)
        return;
    tcp_unhash(pcb);
    if (pcb->parent && pcb->state == SIM_TCP_SYN_RECEIVED)
        pcb->parent->pending--;
    pcb->parent = NULL;
    /* Children of a closed listener that the app never saw go with it
     * (releasing one may shrink the array: start over after each). */
    for (guint i = 0; pcb->listener && i < pcb->tcp->all->len; i++) {
        SimTcpPcb *c = g_ptr_array_index(pcb->tcp->all, i);
        if (c->parent == pcb) {
            c->parent = NULL;
            pcb->pending--;
            tcp_send_ctl(c, c->snd_nxt, SIM_TCP_RST | SIM_TCP_ACK);
            tcp_release(c);
            i = (guint)-1;
        }
    }
    pcb->dead = true;
    tcp_timer_cancel(pcb);
    tcp_enter(pcb);
    tcp_leave(pcb);
}

void tcp_fail(SimTcpPcb *pcb, SimTcpErr err)
{
    if (pcb->dead)
        return;
    tcp_enter(pcb);
    char c[64];
    TCP_TRACE(pcb, NULL, "%s %s: %s, connection closed", tcp_conn_str(pcb, c, sizeof c),
              sim_tcp_state_name(pcb->state), sim_tcp_err_name(err));
    pcb->state = SIM_TCP_CLOSED;
    tcp_unhash(pcb);
    pcb->dead = true; /* calls from the error callback are ignored */
    if (!pcb->app_gone && pcb->cb.error)
        pcb->cb.error(pcb->user, pcb, err);
    pcb->dead = false;
    tcp_release(pcb);
    tcp_leave(pcb);
}

const char *tcp_conn_str(const SimTcpPcb *pcb, char *buf, size_t n)
{
    char l[SIM_IPV4_STRLEN], r[SIM_IPV4_STRLEN];
    g_snprintf(buf, n, "%s:%u > %s:%u", sim_ipv4_format(pcb->key.laddr, l), pcb->key.lport,
               sim_ipv4_format(pcb->key.raddr, r), pcb->key.rport);
    return buf;
}

void tcp_set_state(SimTcpPcb *pcb, SimTcpState s, const char *why)
{
    if (pcb->state == s)
        return;
    char c[64];
    TCP_TRACE(pcb, NULL, "tcp-state %s → %s (%s) %s", sim_tcp_state_name(pcb->state),
              sim_tcp_state_name(s), why, tcp_conn_str(pcb, c, sizeof c));
    pcb->state = s;
}

/* ---- attaching ----------------------------------------------------------------- */

static void tcp_free(void *p)
{
    SimTcp *tcp = p;
    for (guint i = 0; i < tcp->all->len; i++)
        pcb_free(g_ptr_array_index(tcp->all, i));
    g_ptr_array_free(tcp->all, TRUE);
    g_ptr_array_free(tcp->udp, TRUE);
    g_hash_table_destroy(tcp->conns);
    g_hash_table_destroy(tcp->listen);
    g_free(tcp);
}

SimTcp *sim_tcp_of(SimNode *node)
{
    SimIpStack *ip = sim_ip_stack(node);
    return ip ? sim_ip_proto_user(ip, SIM_IPPROTO_TCP) : NULL;
}

SimTcp *sim_tcp_attach(SimNode *node)
{
    SimIpStack *ip = sim_ip_stack(node);
    if (!ip)
        return NULL;
    SimTcp *tcp = sim_ip_proto_user(ip, SIM_IPPROTO_TCP);
    if (tcp)
        return tcp;
    tcp = g_new0(SimTcp, 1);
    tcp->ip = ip;
    tcp->w = sim_ip_stack_world(ip);
    tcp->name = sim_node_name(node);
    tcp->conns = g_hash_table_new(key_hash, key_equal);
    tcp->listen = g_hash_table_new(g_direct_hash, g_direct_equal);
    tcp->all = g_ptr_array_new();
    tcp->udp = g_ptr_array_new();
    sim_tcp_opts_default(&tcp->defaults);
    tcp->next_port = TCP_EPHEMERAL_LO;
    sim_ip_register_proto(ip, SIM_IPPROTO_TCP, tcp_input, tcp_icmp_error, tcp);
    sim_ip_stack_adopt(ip, tcp, tcp_free);
    return tcp;
}

SimTcpOpts *sim_tcp_defaults(SimTcp *tcp)
{
    return &tcp->defaults;
}

/* ---- the socket calls -------------------------------------------------------- */

SimTcpPcb *sim_tcp_new(SimTcp *tcp)
{
    return tcp_pcb_alloc(tcp, &tcp->defaults);
}

void sim_tcp_set_callbacks(SimTcpPcb *pcb, const SimTcpCallbacks *cb, void *user)
{
    pcb->cb = *cb;
    pcb->user = user;
}

SimTcpOpts *sim_tcp_opts(SimTcpPcb *pcb)
{
    return &pcb->o;
}

gboolean sim_tcp_bind(SimTcpPcb *pcb, SimIpv4 addr, uint16_t port, GError **error)
{
    SimTcp *tcp = pcb->tcp;
    if (pcb->state != SIM_TCP_CLOSED || pcb->key.lport) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID, "socket is already bound");
        return FALSE;
    }
    if (addr && !sim_ip_is_local(tcp->ip, addr)) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID, "Cannot assign requested address");
        return FALSE;
    }
    if (port == 0) {
        for (guint n = 0; n <= TCP_EPHEMERAL_HI - TCP_EPHEMERAL_LO && !port; n++) {
            uint16_t p = tcp->next_port;
            tcp->next_port = p >= TCP_EPHEMERAL_HI ? TCP_EPHEMERAL_LO : (uint16_t)(p + 1);
            if (!port_in_use(tcp, p))
                port = p;
        }
        if (!port) {
            g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_IN_USE, "no free ephemeral port");
            return FALSE;
        }
    } else if (port_in_use(tcp, port)) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_IN_USE, "TCP port %u: Address in use", port);
        return FALSE;
    }
    pcb->key.laddr = addr;
    pcb->key.lport = port;
    return TRUE;
}

gboolean sim_tcp_listen(SimTcpPcb *pcb, guint backlog, GError **error)
{
    if (pcb->state != SIM_TCP_CLOSED || !pcb->key.lport) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID, "listen needs a bound socket");
        return FALSE;
    }
    pcb->backlog = MAX(backlog, 1u);
    tcp_set_state(pcb, SIM_TCP_LISTEN, "listen");
    tcp_hash(pcb);
    return TRUE;
}

uint32_t tcp_rcv_window(const SimTcpPcb *pcb)
{
    size_t used = pcb->rcv_unread;
    return used >= pcb->o.rcvbuf ? 0 : (uint32_t)(pcb->o.rcvbuf - used);
}

void tcp_setup_buffers(SimTcpPcb *pcb)
{
    pcb->o.sndbuf = CLAMP(pcb->o.sndbuf, 1024, SIM_TCP_MAX_BUF);
    pcb->o.rcvbuf = CLAMP(pcb->o.rcvbuf, 1024, SIM_TCP_MAX_BUF);
    /* RFC 7323 §2.3: the smallest shift that lets the buffer be advertised. */
    uint8_t ws = 0;
    while (ws < TCP_MAX_WSCALE && (pcb->o.rcvbuf >> ws) > 0xffff)
        ws++;
    pcb->rcv_wscale = ws;
    /* RFC 9293 §3.7.1: MSS = MTU of the outgoing interface minus the
     * fixed IP and TCP headers. */
    SimIface *ifc = NULL;
    uint32_t mtu = 1500;
    if (sim_ip_route_lookup(pcb->tcp->ip, pcb->key.raddr, &ifc, NULL, NULL, NULL) && ifc)
        mtu = sim_iface_mtu(ifc);
    pcb->my_mss = (uint16_t)MIN(mtu - SIM_IPV4_HLEN - SIM_TCP_HLEN, 0xffffu);
    pcb->mss = pcb->my_mss;
}

static uint32_t new_iss(SimTcp *tcp)
{
    return (uint32_t)sim_rng_u64(sim_world_rng(tcp->w));
}

gboolean sim_tcp_connect(SimTcpPcb *pcb, SimIpv4 addr, uint16_t port, GError **error)
{
    SimTcp *tcp = pcb->tcp;
    if (pcb->state != SIM_TCP_CLOSED || pcb->dead) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID, "socket is not closed");
        return FALSE;
    }
    if (port == 0) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID, "port 0");
        return FALSE;
    }
    SimIpv4 src = pcb->key.laddr;
    if (!src && !sim_ip_route_lookup(tcp->ip, addr, NULL, NULL, &src, error))
        return FALSE;
    if (sim_ip_is_local(tcp->ip, addr))
        src = addr;
    if (!pcb->key.lport && !sim_tcp_bind(pcb, pcb->key.laddr, 0, error))
        return FALSE;
    pcb->key.laddr = src;
    pcb->key.raddr = addr;
    pcb->key.rport = port;
    if (g_hash_table_contains(tcp->conns, &pcb->key)) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_IN_USE, "connection already exists");
        return FALSE;
    }
    tcp_setup_buffers(pcb);
    pcb->iss = new_iss(tcp);
    pcb->snd_una = pcb->iss;
    pcb->snd_nxt = pcb->snd_max = pcb->iss + 1;
    pcb->ssthresh = UINT32_MAX;
    tcp_set_state(pcb, SIM_TCP_SYN_SENT, "connect");
    tcp_hash(pcb);
    tcp_enter(pcb);
    tcp_send_ctl(pcb, pcb->iss, SIM_TCP_SYN);
    tcp_rto_restart(pcb);
    tcp_leave(pcb);
    return TRUE;
}

size_t sim_tcp_sndbuf_free(const SimTcpPcb *pcb)
{
    if (pcb->dead || pcb->fin_queued)
        return 0;
    return pcb->o.sndbuf - pcb->sq.len;
}

size_t sim_tcp_send(SimTcpPcb *pcb, const uint8_t *data, size_t len)
{
    switch (pcb->state) {
    case SIM_TCP_SYN_SENT:
    case SIM_TCP_SYN_RECEIVED:
    case SIM_TCP_ESTABLISHED:
    case SIM_TCP_CLOSE_WAIT:
        break;
    default:
        return 0;
    }
    if (pcb->dead || pcb->fin_queued)
        return 0;
    size_t n = MIN(len, pcb->o.sndbuf - pcb->sq.len);
    tcp_sndq_append(&pcb->sq, data, n, pcb->mss ? pcb->mss : TCP_DEFAULT_MSS);
    if (n && pcb->busy == 0) {
        tcp_enter(pcb);
        tcp_output(pcb);
        tcp_leave(pcb);
    }
    return n;
}

void sim_tcp_recved(SimTcpPcb *pcb, size_t len)
{
    if (pcb->dead)
        return;
    uint32_t before = tcp_rcv_window(pcb);
    pcb->rcv_unread -= MIN(len, pcb->rcv_unread);
    uint32_t after = tcp_rcv_window(pcb);
    /* RFC 9293 §3.8.6.2.2 (receiver SWS avoidance): announce the opening
     * only once it reaches min(rcvbuf / 2, MSS) beyond the advertised edge. */
    uint32_t edge = pcb->rcv_adv - pcb->rcv_nxt;
    bool sync = pcb->state >= SIM_TCP_ESTABLISHED && pcb->state != SIM_TCP_TIME_WAIT;
    if (sync && after > before && after >= edge + MIN(pcb->o.rcvbuf / 2, pcb->my_mss)) {
        if (edge == 0 || before < pcb->my_mss) {
            char c[64];
            TCP_TRACE(pcb, NULL, "window update %s: %u bytes free (the application read %zu)",
                      tcp_conn_str(pcb, c, sizeof c), after, len);
        }
        if (pcb->busy == 0) {
            tcp_enter(pcb);
            tcp_send_ack(pcb);
            tcp_leave(pcb);
        } else {
            pcb->unacked_segs = 2; /* the input path acks on its way out */
        }
    }
}

void sim_tcp_shutdown(SimTcpPcb *pcb)
{
    if (pcb->dead || pcb->fin_queued)
        return;
    switch (pcb->state) {
    case SIM_TCP_LISTEN:
    case SIM_TCP_SYN_SENT:
    case SIM_TCP_CLOSED:
        return;
    default:
        break;
    }
    pcb->fin_queued = true;
    if (pcb->state == SIM_TCP_ESTABLISHED)
        tcp_set_state(pcb, SIM_TCP_FIN_WAIT_1, "shutdown");
    else if (pcb->state == SIM_TCP_CLOSE_WAIT)
        tcp_set_state(pcb, SIM_TCP_LAST_ACK, "close after the peer's FIN");
    /* In SYN_RECEIVED the FIN waits for ESTABLISHED (RFC 9293 §3.10.4). */
    if (pcb->state != SIM_TCP_SYN_RECEIVED && pcb->busy == 0) {
        tcp_enter(pcb);
        tcp_output(pcb);
        tcp_leave(pcb);
    }
}

void sim_tcp_close(SimTcpPcb *pcb)
{
    if (pcb->dead)
        return;
    pcb->app_gone = true;
    switch (pcb->state) {
    case SIM_TCP_CLOSED:
    case SIM_TCP_LISTEN:
    case SIM_TCP_SYN_SENT:
        tcp_set_state(pcb, SIM_TCP_CLOSED, "close");
        tcp_release(pcb);
        return;
    default:
        break;
    }
    /* RFC 9293 §3.10.4: closing with unread data sends RST (Linux does). */
    if (pcb->rcv_unread > 0) {
        sim_tcp_abort(pcb);
        return;
    }
    sim_tcp_shutdown(pcb);
}

void sim_tcp_abort(SimTcpPcb *pcb)
{
    if (pcb->dead)
        return;
    pcb->app_gone = true;
    switch (pcb->state) {
    case SIM_TCP_SYN_RECEIVED:
    case SIM_TCP_ESTABLISHED:
    case SIM_TCP_FIN_WAIT_1:
    case SIM_TCP_FIN_WAIT_2:
    case SIM_TCP_CLOSE_WAIT: {
        char c[64];
        TCP_TRACE(pcb, NULL, "RST sent: %s aborted by the application in %s",
                  tcp_conn_str(pcb, c, sizeof c), sim_tcp_state_name(pcb->state));
        tcp_send_ctl(pcb, pcb->snd_nxt, SIM_TCP_RST | SIM_TCP_ACK);
        break;
    }
    default:
        break;
    }
    tcp_set_state(pcb, SIM_TCP_CLOSED, "abort");
    tcp_release(pcb);
}

SimTcpState sim_tcp_state(const SimTcpPcb *pcb)
{
    return pcb->state;
}

void sim_tcp_local(const SimTcpPcb *pcb, SimIpv4 *addr, uint16_t *port)
{
    if (addr)
        *addr = pcb->key.laddr;
    if (port)
        *port = pcb->key.lport;
}

void sim_tcp_remote(const SimTcpPcb *pcb, SimIpv4 *addr, uint16_t *port)
{
    if (addr)
        *addr = pcb->key.raddr;
    if (port)
        *port = pcb->key.rport;
}

void sim_tcp_info(const SimTcpPcb *pcb, SimTcpInfo *out)
{
    *out = pcb->st;
    out->cwnd = pcb->cwnd;
    out->ssthresh = pcb->ssthresh;
    out->mss = pcb->mss;
    out->snd_wnd = pcb->snd_wnd;
    out->srtt = pcb->srtt;
    out->rto = pcb->rto;
}

/* ---- show ------------------------------------------------------------------------ */

static void endpoint(char *buf, size_t n, SimIpv4 a, uint16_t port)
{
    char s[SIM_IPV4_STRLEN];
    if (port)
        g_snprintf(buf, n, "%s:%u", sim_ipv4_format(a, s), port);
    else
        g_snprintf(buf, n, "%s:*", sim_ipv4_format(a, s));
}

void sim_tcp_show(SimTcp *tcp, GString *out)
{
    g_string_append(out,
                    "Netid State      Recv-Q Send-Q Local Address:Port    Peer Address:Port\n");
    for (guint i = 0; i < tcp->all->len; i++) {
        const SimTcpPcb *p = g_ptr_array_index(tcp->all, i);
        if (p->dead || p->state == SIM_TCP_CLOSED)
            continue;
        char l[32], r[32];
        endpoint(l, sizeof l, p->key.laddr, p->key.lport);
        endpoint(r, sizeof r, p->key.raddr, p->key.rport);
        /* ss -tan: a listener's Recv-Q is its accept queue, Send-Q the
         * backlog; otherwise unread and unacknowledged bytes. */
        size_t rq = p->state == SIM_TCP_LISTEN ? p->pending : p->rcv_unread;
        size_t sq = p->state == SIM_TCP_LISTEN ? p->backlog : p->sq.len;
        g_string_append_printf(out, "tcp   %-10s %-6zu %-6zu %-24s %s\n", ss_names[p->state], rq,
                               sq, l, r);
    }
    for (guint i = 0; i < tcp->udp->len; i++) {
        SimIpv4 a, ra;
        uint16_t port, rport;
        sim_udp_addresses(g_ptr_array_index(tcp->udp, i), &a, &port, &ra, &rport);
        char l[32], r[32];
        endpoint(l, sizeof l, a, port);
        endpoint(r, sizeof r, ra, rport);
        g_string_append_printf(out, "udp   %-10s %-6u %-6u %-24s %s\n", ra ? "ESTAB" : "UNCONN", 0u,
                               0u, l, r);
    }
}

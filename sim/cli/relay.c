/* relay.c - real loopback TCP to simulated TCP; see relay.h. */
#define _GNU_SOURCE /* accept4 */
#include "sim/cli/relay.h"

#include "sim/l4/tcp.h"
#include "sim/link/node.h"
#include "sim/link/network.h"

#include <glib/gi18n-lib.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define RELAY_BUF (64 * 1024)

typedef struct _Conn Conn;

struct _SimRelay {
    SimWorld *w;
    SimNode *from;
    SimIpv4 dst;
    uint16_t dport;
    int lfd;
    guint16 lport;
    GPtrArray *conns; /* Conn*, owned */
    char *name;       /* "127.0.0.1:8001 → cloud:8001 from pc" */
};

struct _Conn {
    SimRelay *r;
    int fd;         /* -1 once closed */
    SimTcpPcb *pcb; /* NULL once given up */
    GByteArray *to_sim, *to_real;
    bool real_eof;  /* the real client sent EOF */
    bool sim_eof;   /* the simulated server sent FIN */
    bool sim_shut;  /* we sent the simulated FIN */
    bool real_shut; /* we did shutdown(SHUT_WR) */
};

// clang-format off
G_DEFINE_QUARK(sim-relay-error-quark, sim_relay_error)
// clang-format on

static gboolean fail(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static gboolean fail(GError **error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *m = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(error, sim_relay_error_quark(), 0, m);
    return FALSE;
}

static bool parse_port(const char *s, guint16 *out, bool zero_ok)
{
    char *end;
    guint64 v = g_ascii_strtoull(s, &end, 10);
    if (end == s || *end || v > 65535 || (v == 0 && !zero_ok))
        return false;
    *out = (guint16)v;
    return true;
}

/* The node must run a TCP service on port in the scenario. */
static bool has_service(const SimTopo *t, const char *node, guint16 port)
{
    for (guint i = 0; i < t->cmds->len; i++) {
        const SimTopoCmd *c = sim_topo_cmd(t, i);
        if (c->kind == SIM_TOPO_CMD_SERVICE && !c->xfer.udp && c->xfer.port == port &&
            strcmp(c->node, node) == 0)
            return true;
    }
    return false;
}

static const SimTopoNode *first_host(const SimTopo *t, const char * not )
{
    for (guint i = 0; i < t->nodes->len; i++) {
        const SimTopoNode *n = sim_topo_node(t, i);
        if (n->kind == SIM_TOPO_HOST && strcmp(n->name, not ) != 0)
            return n;
    }
    return NULL;
}

static bool first_addr(const SimTopoNode *n, SimIpv4 *a)
{
    for (guint i = 0; i < n->ifaces->len; i++) {
        const SimTopoIface *f = g_ptr_array_index(n->ifaces, i);
        if (f->has_ip) {
            *a = f->ip.addr;
            return true;
        }
    }
    return false;
}

SimRelay *sim_relay_new(SimScenario *sc, const char *spec, const char *from, GError **error)
{
    const SimTopo *t = sim_scenario_topo(sc);
    const char *eq = strchr(spec, '=');
    if (!eq) {
        fail(error, "--relay %s: expected [ADDR:]PORT=NODE:PORT", spec);
        return NULL;
    }
    g_autofree char *local = g_strndup(spec, (gsize)(eq - spec));
    const char *colon = strrchr(local, ':');
    g_autofree char *addr = g_strdup(colon ? local : "127.0.0.1");
    if (colon)
        addr[colon - local] = '\0';
    guint16 lport, dport;
    struct in_addr ia;
    if (!parse_port(colon ? colon + 1 : local, &lport, true) ||
        inet_pton(AF_INET, addr, &ia) != 1) {
        fail(error, "--relay %s: bad local address '%s' (expected e.g. 127.0.0.1:8001)", spec,
             local);
        return NULL;
    }
    const char *rc = strrchr(eq + 1, ':');
    g_autofree char *node = rc ? g_strndup(eq + 1, (gsize)(rc - eq - 1)) : NULL;
    if (!rc || !parse_port(rc + 1, &dport, false)) {
        fail(error, "--relay %s: expected NODE:PORT after '='", spec);
        return NULL;
    }
    const SimTopoNode *tn = sim_topo_find_node(t, node);
    SimIpv4 dst = 0;
    if (!tn) {
        fail(error, "--relay %s: no node '%s' in %s", spec, node, t->file);
        return NULL;
    }
    if (!first_addr(tn, &dst)) {
        fail(error, "--relay %s: node '%s' has no IP address in %s", spec, node, t->file);
        return NULL;
    }
    if (!has_service(t, node, dport)) {
        fail(error, "--relay %s: %s runs no TCP service on port %u in %s", spec, node, dport,
             t->file);
        return NULL;
    }
    const SimTopoNode *gw = from ? sim_topo_find_node(t, from) : first_host(t, node);
    SimIpv4 unused;
    if (!gw || gw->kind != SIM_TOPO_HOST || !first_addr(gw, &unused)) {
        fail(error, "--relay-from %s: no host with an address of that name in %s",
             from ? from : "(first host)", t->file);
        return NULL;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int one = 1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(lport), .sin_addr = ia};
    socklen_t slen = sizeof sa;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &slen) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        fail(error, "--relay %s: cannot listen on %s:%u: %s", spec, addr, lport, g_strerror(e));
        return NULL;
    }
    SimRelay *r = g_new0(SimRelay, 1);
    r->w = sim_scenario_world(sc);
    r->from = sim_network_find_node(sim_network_of(r->w), gw->name);
    r->dst = dst;
    r->dport = dport;
    r->lfd = fd;
    r->lport = ntohs(sa.sin_port);
    r->conns = g_ptr_array_new();
    r->name = g_strdup_printf("%s:%u → %s:%u from %s", addr, r->lport, node, dport, gw->name);
    return r;
}

guint16 sim_relay_port(const SimRelay *r)
{
    return r->lport;
}

const char *sim_relay_name(const SimRelay *r)
{
    return r->name;
}

static void conn_free(Conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    if (c->pcb)
        sim_tcp_abort(c->pcb);
    g_byte_array_unref(c->to_sim);
    g_byte_array_unref(c->to_real);
    g_ptr_array_remove(c->r->conns, c);
    g_free(c);
}

void sim_relay_free(SimRelay *r)
{
    if (!r)
        return;
    while (r->conns->len)
        conn_free(g_ptr_array_index(r->conns, 0));
    g_ptr_array_free(r->conns, TRUE);
    close(r->lfd);
    g_free(r->name);
    g_free(r);
}

/* Resets the real connection (RST, as the simulated side did). */
static void real_reset(Conn *c)
{
    struct linger l = {.l_onoff = 1, .l_linger = 0};
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close(c->fd);
    c->fd = -1;
}

/* Moves what is waiting into the simulated connection. */
static void push_sim(Conn *c)
{
    if (!c->pcb || sim_tcp_state(c->pcb) == SIM_TCP_SYN_SENT)
        return;
    if (c->to_sim->len) {
        size_t n = sim_tcp_send(c->pcb, c->to_sim->data, c->to_sim->len);
        g_byte_array_remove_range(c->to_sim, 0, (guint)n);
    }
    if (c->real_eof && !c->to_sim->len && !c->sim_shut) {
        sim_tcp_shutdown(c->pcb);
        c->sim_shut = true;
    }
}

static void sim_connected(void *user, SimTcpPcb *pcb)
{
    push_sim(user);
}

static void sim_sent(void *user, SimTcpPcb *pcb, size_t acked)
{
    push_sim(user);
}

static void sim_recv(void *user, SimTcpPcb *pcb, const uint8_t *data, size_t len)
{
    Conn *c = user;
    if (len == 0)
        c->sim_eof = true;
    else
        g_byte_array_append(c->to_real, data, (guint)len);
    /* No sim_tcp_recved here: the window reopens as the real side takes
     * the bytes (serve), which bounds to_real by the receive window. */
}

static void sim_error(void *user, SimTcpPcb *pcb, SimTcpErr err)
{
    Conn *c = user;
    c->pcb = NULL;
    fprintf(stderr, _("netsim: relay: simulated connection: %s\n"), sim_tcp_err_name(err));
    if (c->fd >= 0)
        real_reset(c);
}

static void accept_one(SimRelay *r)
{
    int fd = accept4(r->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
        return;
    Conn *c = g_new0(Conn, 1);
    c->r = r;
    c->fd = fd;
    c->to_sim = g_byte_array_new();
    c->to_real = g_byte_array_new();
    g_ptr_array_add(r->conns, c);
    c->pcb = sim_tcp_new(sim_tcp_attach(r->from));
    SimTcpCallbacks cb = {
        .connected = sim_connected, .sent = sim_sent, .recv = sim_recv, .error = sim_error};
    sim_tcp_set_callbacks(c->pcb, &cb, c);
    g_autoptr(GError) err = NULL;
    if (!sim_tcp_connect(c->pcb, r->dst, r->dport, &err)) {
        fprintf(stderr, _("netsim: relay: %s\n"), err->message);
        conn_free(c);
    }
}

/* Real-socket side of one connection after poll; false when it is done. */
static bool serve(Conn *c, short revents)
{
    if (c->fd >= 0 && (revents & (POLLIN | POLLHUP | POLLERR)) && !c->real_eof &&
        c->to_sim->len < RELAY_BUF) {
        uint8_t buf[16384];
        ssize_t n = read(c->fd, buf, sizeof buf);
        if (n > 0) {
            g_byte_array_append(c->to_sim, buf, (guint)n);
        } else if (n == 0) {
            c->real_eof = true;
        } else if (errno != EAGAIN && errno != EINTR) {
            close(c->fd); /* a real reset: abort the simulated side */
            c->fd = -1;
            return false;
        }
        push_sim(c);
    }
    if (c->fd >= 0 && c->to_real->len) {
        ssize_t n = send(c->fd, c->to_real->data, c->to_real->len, MSG_NOSIGNAL);
        if (n > 0) {
            g_byte_array_remove_range(c->to_real, 0, (guint)n);
            if (c->pcb)
                sim_tcp_recved(c->pcb, (size_t)n);
        } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
            close(c->fd);
            c->fd = -1;
            return false;
        }
    }
    if (c->fd >= 0 && c->sim_eof && !c->to_real->len && !c->real_shut) {
        shutdown(c->fd, SHUT_WR);
        c->real_shut = true;
    }
    if (c->fd < 0) /* reset by the simulated side */
        return false;
    if (c->real_eof && c->real_shut) { /* both directions closed in order */
        if (c->pcb)
            sim_tcp_close(c->pcb);
        c->pcb = NULL;
        return false;
    }
    return true;
}

static gint64 wall_ns(void)
{
    return g_get_monotonic_time() * 1000;
}

SimRunStatus sim_relay_run(SimWorld *w, GPtrArray *relays, double factor, SimTime until,
                           volatile sig_atomic_t *stop)
{
    gint64 start = wall_ns();
    SimTime base = sim_world_now(w);
    g_autoptr(GArray) pfd = g_array_new(FALSE, FALSE, sizeof(struct pollfd));
    g_autoptr(GPtrArray) who = g_ptr_array_new(); /* Conn* or SimRelay* per pollfd */
    for (;;) {
        if (*stop)
            return SIM_RUN_STOPPED;
        SimTime now = base + (SimTime)((double)(wall_ns() - start) / factor);
        if (now >= until)
            now = until;
        sim_world_run(w, now, 0);
        fflush(stdout);
        if (now >= until)
            return SIM_RUN_UNTIL;
        SimTime next;
        bool pending = sim_evq_peek_time(sim_world_evq(w), &next);
        if (!pending && relays->len == 0)
            return SIM_RUN_IDLE; /* nothing can happen any more */
        g_array_set_size(pfd, 0);
        g_ptr_array_set_size(who, 0);
        for (guint i = 0; i < relays->len; i++) {
            SimRelay *r = g_ptr_array_index(relays, i);
            struct pollfd p = {.fd = r->lfd, .events = POLLIN};
            g_array_append_val(pfd, p);
            g_ptr_array_add(who, NULL);
            for (guint k = 0; k < r->conns->len; k++) {
                Conn *c = g_ptr_array_index(r->conns, k);
                struct pollfd q = {.fd = c->fd, .events = 0};
                if (c->fd >= 0 && !c->real_eof && c->to_sim->len < RELAY_BUF)
                    q.events |= POLLIN;
                if (c->fd >= 0 && c->to_real->len)
                    q.events |= POLLOUT;
                g_array_append_val(pfd, q);
                g_ptr_array_add(who, c);
            }
        }
        /* Sleep until the next event is due in wall time, at most 10 ms. */
        int timeout = 10;
        if (pending) {
            double ms = (double)(next - sim_world_now(w)) * factor / 1e6;
            timeout = ms < 0 ? 0 : ms < 10 ? (int)ms : 10;
        }
        int n = poll((struct pollfd *)(void *)pfd->data, pfd->len, timeout);
        if (n < 0 && errno != EINTR)
            return SIM_RUN_STOPPED;
        /* The simulated clock catches up before a real byte goes in. */
        now = base + (SimTime)((double)(wall_ns() - start) / factor);
        sim_world_run(w, MIN(now, until), 0);
        guint ri = 0;
        for (guint i = 0; i < pfd->len; i++) {
            struct pollfd *p = &g_array_index(pfd, struct pollfd, i);
            Conn *c = g_ptr_array_index(who, i);
            if (!c) {
                SimRelay *r = g_ptr_array_index(relays, ri++);
                if (p->revents & POLLIN)
                    accept_one(r);
                continue;
            }
            if (!serve(c, n > 0 ? p->revents : 0))
                conn_free(c);
        }
    }
}

/* test_udp_sock.c - UDP sockets (sim/l4/udp.c): ephemeral ports, receive
 * with the source, port unreachable reported to the sender's error
 * callback, bound-address and connected filters, SO_BROADCAST. */
#include "tests/scenario/helpers.h"

#include "sim/l4/tcp.h"
#include "sim/l4/udp.h"
#include "sim/net/icmp_hdr.h"

typedef struct {
    GString *log;
} Log;

static void on_recv(void *user, SimUdpSocket *s, SimIpv4 src, uint16_t sport, const uint8_t *d,
                    size_t len)
{
    char a[SIM_IPV4_STRLEN];
    g_string_append_printf(((Log *)user)->log, "recv %s:%u %.*s;", sim_ipv4_format(src, a), sport,
                           (int)len, (const char *)d);
}

static void on_err(void *user, SimUdpSocket *s, const SimIpIcmpError *e)
{
    g_string_append_printf(((Log *)user)->log, "icmp %u/%u;", e->type, e->code);
}

typedef struct {
    SimWorld *w;
    SimNode *a, *b;
    Log la, lb;
} U;

static U *u_new(void)
{
    U *u = g_new0(U, 1);
    u->w = sim_world_new(3);
    u->a = mk_host(u->w, "a", "10.0.0.1/24", NULL);
    u->b = mk_host(u->w, "b", "10.0.0.2/24", NULL);
    mk_link(u->w, eth0(u->a), eth0(u->b), 0);
    u->la.log = g_string_new(NULL);
    u->lb.log = g_string_new(NULL);
    return u;
}

static void u_free(U *u)
{
    sim_world_free(u->w);
    g_string_free(u->la.log, TRUE);
    g_string_free(u->lb.log, TRUE);
    g_free(u);
}

static void run(U *u)
{
    sim_world_run(u->w, sim_world_now(u->w) + 100 * SIM_MS, 0);
}

Test(udp_sock, send_receive_and_ephemeral_ports)
{
    U *u = u_new();
    SimUdpSocket *srv = sim_udp_new(u->b, on_recv, on_err, &u->lb, NULL);
    cr_assert(sim_udp_bind(srv, 0, 53, NULL));
    SimUdpSocket *c1 = sim_udp_new(u->a, on_recv, on_err, &u->la, NULL);
    SimUdpSocket *c2 = sim_udp_new(u->a, on_recv, on_err, &u->la, NULL);
    cr_assert(sim_udp_sendto(c1, ip4("10.0.0.2"), 53, (const uint8_t *)"hi", 2, NULL));
    cr_assert(sim_udp_sendto(c2, ip4("10.0.0.2"), 53, (const uint8_t *)"yo", 2, NULL));
    run(u);
    cr_assert_eq(sim_udp_port(c1), 32768);
    cr_assert_eq(sim_udp_port(c2), 32769);
    cr_assert_str_eq(u->lb.log->str, "recv 10.0.0.1:32768 hi;recv 10.0.0.1:32769 yo;");
    GString *s = g_string_new(NULL);
    sim_tcp_show(sim_tcp_of(u->a), s);
    cr_assert(strstr(s->str, "udp   UNCONN     0      0      0.0.0.0:32769"), "%s", s->str);
    g_string_free(s, TRUE);
    sim_udp_free(c1);
    sim_udp_free(c2);
    sim_udp_free(srv);
    u_free(u);
}

Test(udp_sock, closed_port_reports_port_unreachable)
{
    U *u = u_new();
    sim_tcp_attach(u->b);
    SimUdpSocket *c = sim_udp_new(u->a, on_recv, on_err, &u->la, NULL);
    cr_assert(sim_udp_sendto(c, ip4("10.0.0.2"), 9999, (const uint8_t *)"x", 1, NULL));
    run(u);
    cr_assert_str_eq(u->la.log->str, "icmp 3/3;");
    sim_udp_free(c);
    u_free(u);
}

Test(udp_sock, filters_and_broadcast)
{
    U *u = u_new();
    SimUdpSocket *srv = sim_udp_new(u->b, on_recv, on_err, &u->lb, NULL);
    cr_assert(sim_udp_bind(srv, 0, 67, NULL));
    SimUdpSocket *c = sim_udp_new(u->a, on_recv, on_err, &u->la, NULL);
    g_autoptr(GError) err = NULL;
    /* EACCES without SO_BROADCAST, for limited and directed broadcast. */
    cr_assert_not(sim_udp_sendto(c, 0xffffffffu, 67, (const uint8_t *)"d", 1, &err));
    cr_assert(strstr(err->message, "SO_BROADCAST"));
    cr_assert_not(sim_udp_sendto(c, ip4("10.0.0.255"), 67, (const uint8_t *)"d", 1, NULL));
    sim_udp_set_broadcast(c, true);
    /* Linux: 255.255.255.255 needs a route, or the socket bound to a device. */
    cr_assert_not(sim_udp_sendto(c, 0xffffffffu, 67, (const uint8_t *)"b0", 2, NULL));
    sim_udp_bind_iface(c, eth0(u->a));
    cr_assert(sim_udp_sendto(c, 0xffffffffu, 67, (const uint8_t *)"b1", 2, NULL));
    cr_assert(sim_udp_sendto(c, ip4("10.0.0.255"), 67, (const uint8_t *)"b2", 2, NULL));
    run(u);
    cr_assert_str_eq(u->lb.log->str, "recv 10.0.0.1:32768 b1;recv 10.0.0.1:32768 b2;");
    /* A connected socket hears only its peer. */
    g_string_truncate(u->lb.log, 0);
    sim_udp_connect(srv, ip4("10.0.0.1"), 1234);
    cr_assert(sim_udp_sendto(c, ip4("10.0.0.2"), 67, (const uint8_t *)"no", 2, NULL));
    run(u);
    cr_assert_str_eq(u->lb.log->str, "");
    /* Port 0 and binding twice are refused. */
    cr_assert_not(sim_udp_sendto(c, ip4("10.0.0.2"), 0, (const uint8_t *)"x", 1, NULL));
    cr_assert_not(sim_udp_bind(srv, 0, 68, NULL));
    SimUdpSocket *dup = sim_udp_new(u->b, NULL, NULL, NULL, NULL);
    cr_assert_not(sim_udp_bind(dup, 0, 67, NULL));
    sim_udp_free(dup);
    sim_udp_free(c);
    sim_udp_free(srv);
    u_free(u);
}

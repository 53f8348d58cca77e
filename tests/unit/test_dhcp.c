/* test_dhcp.c - DHCP server and client over the simulated LAN: DORA
 * installs address, mask, gateway and DNS; two clients never share an
 * address; a static binding is honoured; an exhausted pool answers
 * nothing; T1 = 0.5 and T2 = 0.875 of the lease; renewal at T1; with the
 * server gone, RENEWING, REBINDING and expiry drop the address; a
 * wrong-subnet REQUEST draws a DHCPNAK; release frees the lease; a link
 * going down drops the address and coming back re-checks the lease
 * (INIT-REBOOT);
 * an address answered for during the ARP probe is declined and held by
 * the server for a day. */
#include "tests/scenario/helpers.h"

#include "sim/apps/dhcp_client.h"
#include "sim/apps/dhcp_relay.h"
#include "sim/apps/dhcp_server.h"
#include "sim/l2/switch.h"
#include "sim/l4/udp.h"
#include "sim/net/dhcp_msg.h"

typedef struct {
    SimWorld *w;
    SimNode *srv, *pc[4];
    SimLink *srv_link, *link[4];
    SimDhcpServer *s;
    SimDhcpClient *c[4];
} Lan;

#define LEASE 600

static Lan *lan_new(guint clients)
{
    Lan *l = g_new0(Lan, 1);
    l->w = sim_world_new(16);
    l->srv = mk_host(l->w, "srv", "10.0.0.1/24", NULL);
    SimNode *sw = sim_switch_new(l->w, "sw", 5, NULL);
    l->srv_link = mk_link(l->w, eth0(l->srv), sim_node_iface(sw, 0), 0);
    g_autoptr(GError) err = NULL;
    l->s = sim_dhcp_server_start(l->srv, eth0(l->srv), &err);
    cr_assert_not_null(l->s, "%s", err ? err->message : "");
    SimDhcpPool p = {.first = ip4("10.0.0.100"),
                     .last = ip4("10.0.0.101"),
                     .mask = ip4("255.255.255.0"),
                     .router = ip4("10.0.0.254"),
                     .dns = ip4("10.0.0.53"),
                     .domain = "dorm.test",
                     .lease = LEASE};
    cr_assert(sim_dhcp_server_add_pool(l->s, &p, NULL));
    for (guint i = 0; i < clients; i++) {
        g_autofree char *name = g_strdup_printf("pc%u", i + 1);
        l->pc[i] = sim_host_new(l->w, name);
        sim_ip_add_iface(l->pc[i], "eth0", NULL);
        l->link[i] = mk_link(l->w, eth0(l->pc[i]), sim_node_iface(sw, i + 1), 0);
    }
    return l;
}

static void start_all(Lan *l, guint n)
{
    for (guint i = 0; i < n; i++) {
        l->c[i] = sim_dhcp_client_start(l->pc[i], eth0(l->pc[i]), NULL);
        cr_assert_not_null(l->c[i]);
    }
}

static void run_to(Lan *l, SimTime t)
{
    sim_world_run(l->w, t, 0);
}

Test(dhcp, dora_configures_distinct_addresses_static_and_exhaustion)
{
    Lan *l = lan_new(4);
    SimMac m3 = *sim_iface_mac(eth0(l->pc[2]));
    sim_dhcp_server_add_static(l->s, &m3, ip4("10.0.0.50"));
    start_all(l, 4);
    run_to(l, 20 * SIM_SEC);
    /* Boot order is random (1..10 s, RFC 2131 §4.4.1): whichever dynamic
     * client came last finds the two-address pool spent and keeps looking. */
    cr_assert_eq(sim_dhcp_client_address(l->c[2]), ip4("10.0.0.50"), "static binding");
    SimIpv4 got[2];
    guint bound = 0, waiting = 3;
    for (guint i = 0; i < 4; i++) {
        if (i == 2)
            continue;
        if (sim_dhcp_client_state(l->c[i]) == SIM_DHCPC_SELECTING) {
            cr_assert_eq(sim_dhcp_client_address(l->c[i]), 0);
            waiting = i;
            continue;
        }
        cr_assert_eq(sim_dhcp_client_state(l->c[i]), SIM_DHCPC_BOUND);
        cr_assert_lt(bound, 2);
        got[bound++] = sim_dhcp_client_address(l->c[i]);
        /* What the server records matches, and the stack got it all. */
        cr_assert_eq(sim_dhcp_server_lease_of(l->s, sim_iface_mac(eth0(l->pc[i]))), got[bound - 1]);
        cr_assert_eq(sim_ip_iface_primary(eth0(l->pc[i])), got[bound - 1]);
        cr_assert_eq(sim_dhcp_client_dns(l->c[i]), ip4("10.0.0.53"));
        SimIface *out;
        SimIpv4 nh, src;
        cr_assert(
            sim_ip_route_lookup(sim_ip_stack(l->pc[i]), ip4("8.8.8.8"), &out, &nh, &src, NULL));
        cr_assert_eq(nh, ip4("10.0.0.254"));
        cr_assert_eq(src, got[bound - 1]);
    }
    cr_assert_eq(bound, 2);
    cr_assert_neq(waiting, 3, "the pool (two addresses) is spent: one client is still looking");
    cr_assert_neq(got[0], got[1], "two clients never share an address");
    for (guint k = 0; k < 2; k++)
        cr_assert(got[k] == ip4("10.0.0.100") || got[k] == ip4("10.0.0.101"));
    GString *s = g_string_new(NULL);
    sim_dhcp_server_show(l->s, s);
    cr_assert_eq(strstr(s->str, "10.0.0.50") != NULL, true, "%s", s->str);
    g_string_free(s, TRUE);
    sim_world_free(l->w);
    g_free(l);
}

Test(dhcp, t1_t2_renewal_and_expiry)
{
    Lan *l = lan_new(1);
    start_all(l, 1);
    run_to(l, 20 * SIM_SEC);
    SimTime t1, t2, exp;
    sim_dhcp_client_times(l->c[0], &t1, &t2, &exp);
    SimTime bound = exp - LEASE * SIM_SEC;
    cr_assert_lt(bound, 20 * SIM_SEC);
    cr_assert_eq(t1 - bound, LEASE * SIM_SEC / 2, "T1 = 0.5 x lease");
    cr_assert_eq(t2 - bound, LEASE * SIM_SEC * 7 / 8, "T2 = 0.875 x lease");
    /* At T1 the client renews by unicast and is bound again, times moved. */
    run_to(l, t1 + SIM_SEC);
    cr_assert_eq(sim_dhcp_client_state(l->c[0]), SIM_DHCPC_BOUND);
    SimTime t1b, t2b, expb;
    sim_dhcp_client_times(l->c[0], &t1b, &t2b, &expb);
    /* The ACK came back within a round trip of T1. */
    cr_assert_geq(t1b, t1 + LEASE * SIM_SEC / 2, "renewed at T1");
    cr_assert_lt(t1b, t1 + LEASE * SIM_SEC / 2 + SIM_MS);
    cr_assert_eq(t1b - (expb - LEASE * SIM_SEC), LEASE * SIM_SEC / 2);
    /* Server gone: RENEWING at T1, REBINDING at T2, address dropped at expiry. */
    sim_link_set_up(l->srv_link, false);
    run_to(l, t1b + SIM_SEC);
    cr_assert_eq(sim_dhcp_client_state(l->c[0]), SIM_DHCPC_RENEWING);
    run_to(l, t2b + SIM_SEC);
    cr_assert_eq(sim_dhcp_client_state(l->c[0]), SIM_DHCPC_REBINDING);
    cr_assert_neq(sim_ip_iface_primary(eth0(l->pc[0])), 0);
    run_to(l, expb - SIM_MS);
    cr_assert_neq(sim_ip_iface_primary(eth0(l->pc[0])), 0, "still usable until expiry");
    run_to(l, expb + SIM_MS);
    cr_assert_eq(sim_dhcp_client_state(l->c[0]), SIM_DHCPC_SELECTING);
    cr_assert_eq(sim_ip_iface_primary(eth0(l->pc[0])), 0, "expiry drops the address");
    SimIface *out;
    SimIpv4 nh, src;
    cr_assert_not(
        sim_ip_route_lookup(sim_ip_stack(l->pc[0]), ip4("8.8.8.8"), &out, &nh, &src, NULL),
        "and the default route through it");
    /* The server back on the wire, the client gets an address again. */
    sim_link_set_up(l->srv_link, true);
    run_to(l, expb + 120 * SIM_SEC);
    cr_assert_eq(sim_dhcp_client_state(l->c[0]), SIM_DHCPC_BOUND);
    sim_world_free(l->w);
    g_free(l);
}

static void on_reply(void *user, SimUdpSocket *s, SimIpv4 src, uint16_t sport, const uint8_t *d,
                     size_t len)
{
    SimDhcpMsg *m = user;
    cr_assert(sim_dhcp_msg_parse(d, len, m, NULL));
}

Test(dhcp, wrong_subnet_request_is_naked_and_release_frees)
{
    Lan *l = lan_new(2);
    start_all(l, 1);
    run_to(l, 20 * SIM_SEC);
    SimIpv4 a1 = sim_dhcp_client_address(l->c[0]);
    /* pc2 asks, by hand, for an address in another subnet. */
    SimDhcpMsg got = {0};
    SimUdpSocket *sock = sim_udp_new(l->pc[1], on_reply, NULL, &got, NULL);
    cr_assert(sim_udp_bind(sock, 0, SIM_DHCP_CLIENT_PORT, NULL));
    sim_udp_set_broadcast(sock, true);
    sim_udp_bind_iface(sock, eth0(l->pc[1]));
    SimDhcpMsg req = {.op = 1,
                      .xid = 77,
                      .flags = SIM_DHCP_FLAG_BROADCAST,
                      .chaddr = *sim_iface_mac(eth0(l->pc[1])),
                      .type = SIM_DHCPREQUEST,
                      .has_requested = true,
                      .requested = ip4("192.168.7.7"),
                      .has_server_id = true,
                      .server_id = ip4("10.0.0.1")};
    uint8_t buf[SIM_DHCP_MAX_LEN];
    size_t n = sim_dhcp_msg_emit(&req, buf);
    cr_assert(sim_udp_sendto(sock, 0xffffffffu, 67, buf, n, NULL));
    run_to(l, 21 * SIM_SEC);
    cr_assert_eq(got.type, SIM_DHCPNAK);
    cr_assert_eq(got.xid, 77);
    /* Asking for pc1's address is refused too. */
    req.requested = a1;
    req.xid = 78;
    n = sim_dhcp_msg_emit(&req, buf);
    cr_assert(sim_udp_sendto(sock, 0xffffffffu, 67, buf, n, NULL));
    run_to(l, 22 * SIM_SEC);
    cr_assert_eq(got.type, SIM_DHCPNAK);
    cr_assert_eq(got.xid, 78);
    /* pc1 releases; now the same request is granted. */
    sim_dhcp_client_release(l->c[0]);
    run_to(l, 23 * SIM_SEC);
    cr_assert_eq(sim_dhcp_client_state(l->c[0]), SIM_DHCPC_STOPPED);
    cr_assert_eq(sim_ip_iface_primary(eth0(l->pc[0])), 0);
    cr_assert_eq(sim_dhcp_server_lease_of(l->s, sim_iface_mac(eth0(l->pc[0]))), 0);
    req.xid = 79;
    n = sim_dhcp_msg_emit(&req, buf);
    cr_assert(sim_udp_sendto(sock, 0xffffffffu, 67, buf, n, NULL));
    run_to(l, 24 * SIM_SEC);
    cr_assert_eq(got.type, SIM_DHCPACK);
    cr_assert_eq(got.yiaddr, a1);
    sim_udp_free(sock);
    sim_world_free(l->w);
    g_free(l);
}

Test(dhcp, relay_fills_giaddr_and_server_picks_the_pool_by_it)
{
    SimWorld *w = sim_world_new(5);
    SimNode *srv = mk_host(w, "srv", "10.0.0.5/24", "10.0.0.1");
    SimNode *r = sim_router_new(w, "r");
    mk_if(r, "eth0", "10.0.0.1/24");
    SimIface *lan = mk_if(r, "eth1", "192.168.30.1/24");
    SimNode *pc = sim_host_new(w, "pc");
    sim_ip_add_iface(pc, "eth0", NULL);
    mk_link(w, eth0(srv), sim_node_iface(r, 0), 0);
    mk_link(w, lan, eth0(pc), 0);
    SimDhcpServer *s = sim_dhcp_server_start(srv, eth0(srv), NULL);
    SimDhcpPool own = {.first = ip4("10.0.0.100"),
                       .last = ip4("10.0.0.110"),
                       .mask = ip4("255.255.255.0"),
                       .router = ip4("10.0.0.1"),
                       .lease = 600};
    SimDhcpPool far = {.first = ip4("192.168.30.100"),
                       .last = ip4("192.168.30.110"),
                       .mask = ip4("255.255.255.0"),
                       .router = ip4("192.168.30.1"),
                       .lease = 600};
    cr_assert(sim_dhcp_server_add_pool(s, &own, NULL));
    cr_assert(sim_dhcp_server_add_pool(s, &far, NULL));
    g_autoptr(GError) err = NULL;
    SimDhcpRelay *relay = sim_dhcp_relay_new(r, &err);
    cr_assert_not_null(relay, "%s", err ? err->message : "");
    cr_assert(sim_dhcp_relay_add(relay, lan, ip4("10.0.0.5"), NULL));
    SimDhcpClient *c = sim_dhcp_client_start(pc, eth0(pc), NULL);
    sim_world_run(w, 20 * SIM_SEC, 0);
    cr_assert_eq(sim_dhcp_client_state(c), SIM_DHCPC_BOUND);
    cr_assert_eq(sim_dhcp_client_address(c), ip4("192.168.30.100"), "the pool of giaddr");
    /* Through its new gateway the PC reaches the server's subnet. */
    SimIface *out;
    SimIpv4 nh, src;
    cr_assert(sim_ip_route_lookup(sim_ip_stack(pc), ip4("10.0.0.5"), &out, &nh, &src, NULL));
    cr_assert_eq(nh, ip4("192.168.30.1"));
    cr_assert_eq(sim_dhcp_server_lease_of(s, sim_iface_mac(eth0(pc))), ip4("192.168.30.100"));
    /* Renewal at T1 goes straight to the server (no relay needed). */
    SimTime t1, t2, exp;
    sim_dhcp_client_times(c, &t1, &t2, &exp);
    sim_world_run(w, t1 + SIM_SEC, 0);
    SimTime t1b;
    sim_dhcp_client_times(c, &t1b, &t2, &exp);
    cr_assert_gt(t1b, t1);
    cr_assert_eq(sim_dhcp_client_state(c), SIM_DHCPC_BOUND);
    sim_world_free(w);
}

/* The cable pulled: the address goes, the lease is remembered. Plugged
 * back: INIT-REBOOT at once, then the ARP check, and the lease counts from
 * the new ACK. Pulled for longer than the lease: DORA instead. */
Test(dhcp, link_down_drops_the_address_link_up_rechecks_the_lease)
{
    Lan *l = lan_new(1);
    start_all(l, 1);
    run_to(l, 20 * SIM_SEC);
    SimIpv4 a = sim_dhcp_client_address(l->c[0]);
    cr_assert_neq(a, 0);
    sim_link_set_up(l->link[0], false);
    cr_assert_eq(sim_dhcp_client_state(l->c[0]), SIM_DHCPC_INIT_REBOOT);
    cr_assert_eq(sim_ip_iface_primary(eth0(l->pc[0])), 0, "the address goes with the carrier");
    run_to(l, 30 * SIM_SEC);
    sim_link_set_up(l->link[0], true);
    cr_assert_eq(sim_dhcp_client_state(l->c[0]), SIM_DHCPC_REBOOTING);
    run_to(l, 30 * SIM_SEC + SIM_MS);
    cr_assert_eq(sim_dhcp_client_state(l->c[0]), SIM_DHCPC_PROBING, "ACKed, now checked");
    run_to(l, 31 * SIM_SEC);
    cr_assert_eq(sim_dhcp_client_state(l->c[0]), SIM_DHCPC_BOUND);
    cr_assert_eq(sim_dhcp_client_address(l->c[0]), a);
    SimTime t1, t2, exp;
    sim_dhcp_client_times(l->c[0], &t1, &t2, &exp);
    cr_assert_lt(exp - LEASE * SIM_SEC - 30 * SIM_SEC, SIM_MS, "lease counted from the new ACK");
    /* Unplugged past the lease's end: a new DORA when it comes back. */
    sim_link_set_up(l->link[0], false);
    run_to(l, exp + SIM_SEC);
    sim_link_set_up(l->link[0], true);
    cr_assert_eq(sim_dhcp_client_state(l->c[0]), SIM_DHCPC_SELECTING);
    run_to(l, exp + 2 * SIM_SEC);
    cr_assert_eq(sim_dhcp_client_state(l->c[0]), SIM_DHCPC_BOUND);
    sim_world_free(l->w);
    g_free(l);
}

/* pc2 holds 10.0.0.100 by hand. The client offered it probes, is
 * answered, declines it and takes .101; the server offers .100 to nobody
 * for 24 h, then again. */
Test(dhcp, conflict_decline_and_the_servers_day_long_hold)
{
    Lan *l = lan_new(2);
    SimPrefix squat = {ip4("10.0.0.100"), 24};
    cr_assert(sim_ip_add_address(l->pc[1], eth0(l->pc[1]), &squat, NULL));
    start_all(l, 1);
    run_to(l, 40 * SIM_SEC);
    cr_assert_eq(sim_dhcp_client_state(l->c[0]), SIM_DHCPC_BOUND);
    cr_assert_eq(sim_dhcp_client_address(l->c[0]), ip4("10.0.0.101"));
    GString *s = g_string_new(NULL);
    sim_dhcp_server_show(l->s, s);
    char m[SIM_MAC_STRLEN];
    g_autofree char *row = g_strdup_printf("10.0.0.100       %s  declined  ",
                                           sim_mac_format(sim_iface_mac(eth0(l->pc[0])), m));
    cr_assert(strstr(s->str, row), "the decliner's MAC: %s", s->str);
    /* Released and restarted: still not .100. */
    sim_dhcp_client_release(l->c[0]);
    run_to(l, 41 * SIM_SEC);
    sim_dhcp_client_reboot(l->c[0]);
    cr_assert_eq(sim_dhcp_client_state(l->c[0]), SIM_DHCPC_INIT, "no lease to reboot with");
    run_to(l, 60 * SIM_SEC);
    cr_assert_eq(sim_dhcp_client_address(l->c[0]), ip4("10.0.0.101"));
    /* A day later, with the squatter gone, .100 is offered again. */
    sim_dhcp_client_release(l->c[0]);
    sim_ip_del_address(l->pc[1], eth0(l->pc[1]), ip4("10.0.0.100"));
    run_to(l, (24 * 3600 + 20) * SIM_SEC);
    sim_dhcp_client_reboot(l->c[0]);
    run_to(l, (24 * 3600 + 40) * SIM_SEC);
    cr_assert_eq(sim_dhcp_client_address(l->c[0]), ip4("10.0.0.100"));
    g_string_free(s, TRUE);
    sim_world_free(l->w);
    g_free(l);
}

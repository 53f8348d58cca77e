/* test_vlan_ports.c - the 802.1Q port rules of vlan.h, one by one. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/l2/vlan.h"

static SimEthHdr tagged(uint16_t vid)
{
    SimEthHdr h = {.tagged = TRUE, .vid = vid, .ethertype = SIM_ETHERTYPE_ARP};
    return h;
}

Test(vlan_ports, defaults_are_access_vlan_1)
{
    g_autoptr(SimVlanPorts) vp = sim_vlan_ports_new(4);
    cr_assert(sim_vlan_ports_trivial(vp));
    SimEthHdr u = {.ethertype = SIM_ETHERTYPE_ARP};
    uint16_t vid = 0;
    char why[96];
    cr_assert(sim_vlan_ingress(vp, 0, "p1", &u, &vid, why, sizeof why));
    cr_assert_eq(vid, 1);
    cr_assert_eq(sim_vlan_egress(vp, 3, 1), SIM_VLAN_EGRESS_UNTAGGED);
    cr_assert_eq(sim_vlan_egress(vp, 3, 2), SIM_VLAN_EGRESS_NONE);
    sim_vlan_set_access(vp, 1, 1); /* still VLAN 1 everywhere */
    cr_assert(sim_vlan_ports_trivial(vp));
    sim_vlan_set_access(vp, 1, 10);
    cr_assert_not(sim_vlan_ports_trivial(vp));
}

Test(vlan_ports, access_port_tags)
{
    g_autoptr(SimVlanPorts) vp = sim_vlan_ports_new(2);
    sim_vlan_set_access(vp, 0, 10);
    uint16_t vid = 0;
    char why[96];
    SimEthHdr t10 = tagged(10), t20 = tagged(20), prio = tagged(0);
    cr_assert(sim_vlan_ingress(vp, 0, "p1", &t10, &vid, why, sizeof why), "member VID accepted");
    cr_assert_eq(vid, 10);
    cr_assert(sim_vlan_ingress(vp, 0, "p1", &prio, &vid, why, sizeof why), "priority tag");
    cr_assert_eq(vid, 10);
    cr_assert_not(sim_vlan_ingress(vp, 0, "p1", &t20, &vid, why, sizeof why));
    cr_assert_str_eq(why, "tagged frame (vlan 20) on access port p1 (vlan 10)");
}

Test(vlan_ports, trunk_allowed_and_native)
{
    g_autoptr(SimVlanPorts) vp = sim_vlan_ports_new(3);
    uint8_t map[SIM_VLAN_BITMAP_BYTES] = {0};
    for (guint v = 30; v <= 39; v++)
        map[v >> 3] |= (uint8_t)(1u << (v & 7));
    map[10 >> 3] |= 1u << (10 & 7);
    sim_vlan_set_trunk(vp, 0, map, 99); /* native 99 not allowed: untagged dropped */
    sim_vlan_set_trunk(vp, 1, NULL, 1);
    uint16_t vid = 0;
    char why[96];
    SimEthHdr u = {.ethertype = SIM_ETHERTYPE_ARP}, t20 = tagged(20), t35 = tagged(35),
              t4095 = tagged(4095);
    cr_assert_not(sim_vlan_ingress(vp, 0, "p1", &u, &vid, why, sizeof why));
    cr_assert_str_eq(why, "untagged frame: native vlan 99 not allowed on p1");
    cr_assert(sim_vlan_ingress(vp, 0, "p1", &t35, &vid, why, sizeof why));
    cr_assert_not(sim_vlan_ingress(vp, 0, "p1", &t20, &vid, why, sizeof why));
    cr_assert_str_eq(why, "vlan 20 not allowed on p1");
    cr_assert_not(sim_vlan_ingress(vp, 1, "p2", &t4095, &vid, why, sizeof why), "reserved VID");
    cr_assert(sim_vlan_ingress(vp, 1, "p2", &u, &vid, why, sizeof why));
    cr_assert_eq(vid, 1);
    cr_assert_eq(sim_vlan_egress(vp, 1, 1), SIM_VLAN_EGRESS_UNTAGGED);
    cr_assert_eq(sim_vlan_egress(vp, 1, 4094), SIM_VLAN_EGRESS_TAGGED);
    cr_assert_eq(sim_vlan_egress(vp, 0, 10), SIM_VLAN_EGRESS_TAGGED);
    cr_assert_eq(sim_vlan_egress(vp, 0, 11), SIM_VLAN_EGRESS_NONE);
    g_autofree char *a0 = sim_vlan_format_allowed(vp, 0);
    g_autofree char *a1 = sim_vlan_format_allowed(vp, 1);
    g_autofree char *a2 = sim_vlan_format_allowed(vp, 2);
    cr_assert_str_eq(a0, "10,30-39");
    cr_assert_str_eq(a1, "all");
    cr_assert_str_eq(a2, "1");
    cr_assert(sim_vlan_carried(vp, 4094));
    sim_vlan_set_access(vp, 1, 5); /* a trunk back to access drops its map */
    cr_assert_not(sim_vlan_carried(vp, 4094));
}

Test(vlan_ports, show_vlan_brief)
{
    g_autoptr(SimVlanPorts) vp = sim_vlan_ports_new(3);
    sim_vlan_declare(vp, 10, "dormA");
    sim_vlan_declare(vp, 30, NULL);
    sim_vlan_set_access(vp, 0, 10);
    sim_vlan_set_trunk(vp, 2, NULL, 1);
    char *labels[] = {"p1", "p2", "p3", NULL};
    g_autoptr(GString) s = g_string_new(NULL);
    sim_vlan_format_brief(vp, labels, s);
    cr_assert(strstr(s->str, "\n1    default                          active    p2\n"), "%s",
              s->str);
    cr_assert(strstr(s->str, "\n10   dormA                            active    p1\n"), "%s",
              s->str);
    cr_assert(strstr(s->str, "\n30   VLAN0030                         active\n"), "%s", s->str);
    cr_assert(strstr(s->str, "\np3     trunk  1       all\n"), "%s", s->str);
}

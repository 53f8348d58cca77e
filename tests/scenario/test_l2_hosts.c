/* test_l2_hosts.c - the dorm room: four hosts on one learning switch.
 * The first ping floods its ARP request to every other port and gets a
 * unicast reply; afterwards the switch knows exactly the two hosts that
 * spoke; a second ping needs neither ARP nor flooding. The frames the
 * hosts sent are captured and dissected by tshark. */
#include "helpers.h"

#include "sim/apps/ping.h"
#include "sim/l2/switch.h"
#include "sim/l3/arp.h"

typedef struct {
    SimWorld *w;
    SimNode *sw;
    SimNode *h[4];
} Dorm;

static const char *const NAMES[4] = {"alex", "yuchao", "bob", "dave"};

static Dorm dorm_new(void)
{
    Dorm d = {.w = sim_world_new(7)};
    d.sw = sim_switch_new(d.w, "swA", 8, NULL);
    for (int i = 0; i < 4; i++) {
        char addr[32];
        g_snprintf(addr, sizeof addr, "192.168.10.%d/24", i + 1);
        d.h[i] = mk_host(d.w, NAMES[i], addr, "192.168.10.254");
        mk_link(d.w, eth0(d.h[i]), sim_node_iface(d.sw, (guint)i), 0);
    }
    return d;
}

static SimPing *ping(Dorm *d, int from, const char *to, guint count)
{
    SimPingOpts o;
    sim_ping_opts_default(&o);
    o.count = count;
    g_autoptr(GError) err = NULL;
    SimPing *p = sim_ping_start(d->h[from], ip4(to), &o, &err);
    cr_assert_not_null(p, "%s", err ? err->message : "");
    return p;
}

/* Frames received by a host's NIC from index `from` of the trace. */
static guint rx_at(const Recorder *r, const char *node, guint from)
{
    return rec_count(r, SIM_TR_RX, node, NULL, from);
}

Test(dorm, first_ping_floods_arp_then_unicast)
{
    Dorm d = dorm_new();
    Recorder *r = recorder_new(d.w, "dorm.pcap", true);
    SimPing *p = ping(&d, 0, "192.168.10.2", 1);
    sim_world_run(d.w, 1 * SIM_SEC, 0);
    const SimPingResults *res = sim_ping_results(p);
    cr_assert(res->finished);
    cr_assert_eq(res->received, 1);
    cr_assert_eq(res->last_ttl, 64);

    /* One broadcast request from alex, flooded by the switch to the three
     * other hosts, and one unicast reply from yuchao, forwarded. */
    cr_assert_eq(rec_count(r, SIM_TR_ARP_REQUEST, "alex", "who-has 192.168.10.2", 0), 1);
    cr_assert_eq(rec_count(r, SIM_TR_ARP_REPLY, "yuchao", "192.168.10.2 is-at", 0), 1);
    cr_assert_eq(rec_count(r, SIM_TR_ARP_REQUEST, NULL, NULL, 0), 1);
    cr_assert_eq(rec_count(r, SIM_TR_ARP_REPLY, NULL, NULL, 0), 1);
    cr_assert_eq(rec_count(r, SIM_TR_FLOOD, "swA", NULL, 0), 1);
    cr_assert_eq(rx_at(r, "bob", 0), 1, "bob sees only the flooded request");
    cr_assert_eq(rx_at(r, "dave", 0), 1);
    cr_assert_eq(rec_count(r, SIM_TR_DROP, "bob", "who-has 192.168.10.2", 0), 1);
    /* request + echo reply reach alex; ARP reply + echo request reach yuchao */
    cr_assert_eq(rx_at(r, "alex", 0), 2);
    cr_assert_eq(rx_at(r, "yuchao", 0), 2);

    /* RFC 826: the target learns the requester; bystanders learn nothing. */
    SimMac mac;
    SimArpState st;
    cr_assert(sim_arp_lookup(eth0(d.h[0]), ip4("192.168.10.2"), &mac, &st));
    cr_assert(sim_mac_equal(&mac, sim_iface_mac(eth0(d.h[1]))));
    cr_assert_eq(st, SIM_ARP_REACHABLE);
    cr_assert(sim_arp_lookup(eth0(d.h[1]), ip4("192.168.10.1"), &mac, NULL));
    cr_assert(sim_mac_equal(&mac, sim_iface_mac(eth0(d.h[0]))));
    cr_assert_eq(sim_arp_count(d.h[2]), 0);
    cr_assert_eq(sim_arp_count(d.h[3]), 0);

    /* The switch learned exactly the two hosts that spoke, on their ports. */
    cr_assert_eq(sim_switch_mac_count(d.sw), 2);
    guint port;
    cr_assert(sim_switch_lookup(d.sw, sim_iface_mac(eth0(d.h[0])), 1, &port));
    cr_assert_eq(port, 0);
    cr_assert(sim_switch_lookup(d.sw, sim_iface_mac(eth0(d.h[1])), 1, &port));
    cr_assert_eq(port, 1);

    /* Second ping, well inside the 5 s before yuchao re-probes its STALE
     * entry (Linux's DELAY state): no ARP, no flooding, nothing for bob. */
    guint mark = r->recs->len;
    SimPing *p2 = ping(&d, 0, "192.168.10.2", 1);
    sim_world_run(d.w, 2 * SIM_SEC, 0);
    cr_assert(sim_ping_results(p2)->finished);
    cr_assert_eq(sim_ping_results(p2)->received, 1);
    cr_assert_eq(rec_count(r, SIM_TR_ARP_REQUEST, NULL, NULL, mark), 0);
    cr_assert_eq(rec_count(r, SIM_TR_ARP_REPLY, NULL, NULL, mark), 0);
    cr_assert_eq(rec_count(r, SIM_TR_FLOOD, NULL, NULL, mark), 0);
    cr_assert_eq(rec_count(r, SIM_TR_FORWARD, "swA", NULL, mark), 2);
    cr_assert_eq(rx_at(r, "bob", mark), 0);
    cr_assert_eq(rx_at(r, "dave", mark), 0);

    /* What the hosts sent, as Wireshark sees it: clean, and the same number
     * of ARP and ICMP messages as the trace reports. */
    recorder_close_pcap(r);
    guint n_arp = r->counts[SIM_TR_ARP_REQUEST] + r->counts[SIM_TR_ARP_REPLY];
    guint n_icmp = rec_count(r, SIM_TR_ICMP, NULL, "echo reply", 0) +
                   sim_ping_results(p)->transmitted + sim_ping_results(p2)->transmitted;
    cr_assert_eq(r->frames, n_arp + n_icmp);
    tshark_check_clean(r->pcap_path, r->frames);
    cr_assert_eq(tshark_count_proto(r->pcap_path, "arp"), n_arp);
    cr_assert_eq(tshark_count_proto(r->pcap_path, "icmp"), n_icmp);
    cr_assert_eq(n_arp, 2);
    cr_assert_eq(n_icmp, 4);
    recorder_free(r);
    sim_world_free(d.w);
}

Test(dorm, ping_output_is_linux_format)
{
    Dorm d = dorm_new();
    Recorder *r = recorder_new(d.w, NULL, false);
    SimPing *p = ping(&d, 2, "192.168.10.4", 3);
    sim_world_run(d.w, 10 * SIM_SEC, 0);
    const SimPingResults *res = sim_ping_results(p);
    cr_assert(res->finished);
    cr_assert_eq(res->transmitted, 3);
    cr_assert_eq(res->received, 3);
    cr_assert_eq(res->rtts->len, 3);
    g_autofree char *out = app_output(r, "bob");
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    cr_assert_eq(g_strv_length(lines), 8, "%s", out); /* 7 lines + "" */
    cr_assert_str_eq(lines[0], "PING 192.168.10.4 (192.168.10.4) 56(84) bytes of data.");
    for (int i = 1; i <= 3; i++) {
        g_autofree char *pre = g_strdup_printf("64 bytes from 192.168.10.4: icmp_seq=%d ttl=64 "
                                               "time=0.",
                                               i);
        cr_assert(g_str_has_prefix(lines[i], pre), "%s", lines[i]);
        cr_assert(g_str_has_suffix(lines[i], " ms"), "%s", lines[i]);
    }
    cr_assert_str_eq(lines[4], "--- 192.168.10.4 ping statistics ---");
    cr_assert_str_eq(lines[5], "3 packets transmitted, 3 received, 0% packet loss, time 2000ms");
    cr_assert(g_str_has_prefix(lines[6], "rtt min/avg/max/mdev = 0."), "%s", lines[6]);
    /* The first reply waited for ARP, so it is the slowest. */
    SimTime *rtt = (SimTime *)res->rtts->data;
    cr_assert_gt(rtt[0], rtt[1]);
    cr_assert_eq(rtt[1], rtt[2]);
    recorder_free(r);
    sim_world_free(d.w);
}

Test(dorm, ping_unknown_host_reports_host_unreachable_locally)
{
    Dorm d = dorm_new();
    Recorder *r = recorder_new(d.w, NULL, false);
    SimPing *p = ping(&d, 0, "192.168.10.99", 3);
    sim_world_run(d.w, 30 * SIM_SEC, 0);
    const SimPingResults *res = sim_ping_results(p);
    cr_assert(res->finished);
    cr_assert_eq(res->received, 0);
    cr_assert_eq(res->errors, 3);
    /* Three broadcast requests one second apart, then Linux's message, with
     * the host's own address as the reporter. */
    cr_assert_eq(rec_count(r, SIM_TR_ARP_REQUEST, "alex", "who-has 192.168.10.99", 0), 3);
    cr_assert_eq(rec_count(r, SIM_TR_DROP, "alex", "no ARP reply from 192.168.10.99", 0), 3);
    g_autofree char *out = app_output(r, "alex");
    cr_assert(strstr(out, "From 192.168.10.1 icmp_seq=1 Destination Host Unreachable\n"), "%s",
              out);
    cr_assert(strstr(out, "From 192.168.10.1 icmp_seq=3 Destination Host Unreachable\n"), "%s",
              out);
    cr_assert(strstr(out, "3 packets transmitted, 0 received, +3 errors, 100% packet loss, "
                          "time 2000ms\npipe 3\n"),
              "%s", out);
    recorder_free(r);
    sim_world_free(d.w);
}

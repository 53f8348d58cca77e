/* test_stp.c - the spanning tree checked against the standard, not against
 * the implementation: roles worked out by hand from 802.1D's rules, the
 * 802.1D and RSTP reconvergence times, no storm on a loop with STP, a storm
 * without it, 802.1D fallback, and tshark on every BPDU a run sends. */
#include "../unit/topo_fixtures.h"
#include "helpers.h"
#include "sim/l2/bridge.h"
#include "sim/l2/stp.h"
#include "sim/l2/switch.h"
#include "sim/net/bpdu.h"
#include "sim/topo/scenario.h"
#include "sim/link/network.h"

static SimScenario *load(const char *text)
{
    g_autoptr(GError) err = NULL;
    SimScenario *sc = sim_scenario_new(fx_load_text(text), 1, &err);
    cr_assert_not_null(sc, "%s", err ? err->message : "");
    return sc;
}

static SimStp *stp_of(SimScenario *sc, const char *name)
{
    SimNode *n = sim_network_find_node(sim_network_of(sim_scenario_world(sc)), name);
    cr_assert_not_null(n);
    SimStp *s = sim_switch_stp(n);
    cr_assert_not_null(s, "%s runs no spanning tree", name);
    return s;
}

static void expect_port(SimScenario *sc, const char *sw, guint port, SimStpRole role,
                        SimStpState state)
{
    SimStp *s = stp_of(sc, sw);
    SimStpMode m = sim_stp_mode(s);
    cr_assert_eq(sim_stp_port_role(s, port - 1), role, "%s p%u is %s, the standard says %s", sw,
                 port, sim_stp_role_name(sim_stp_port_role(s, port - 1)), sim_stp_role_name(role));
    cr_assert_eq(sim_stp_port_state(s, port - 1), state, "%s p%u is %s, expected %s", sw, port,
                 sim_stp_state_name(m, sim_stp_port_state(s, port - 1)),
                 sim_stp_state_name(m, state));
}

/* A ring of four bridges. s1 (priority 4096) and s2 (8192) are joined at
 * 1 Gb/s (cost 4), every other link is 100 Mb/s (cost 19). By 802.1D:
 * s1 is the root (lowest bridge id); root path costs are s2 4 (direct),
 * s4 19 (direct), s3 min(4+19, 19+19) = 23 through s2. On each segment the
 * designated port is the one with the lower root path cost: s1 on s1-s2
 * and s1-s4, s2 on s2-s3 (4 < 23), s4 on s3-s4 (19 < 23). The one port that
 * is neither root nor designated is s3's port to s4: it blocks. */
static const char RING[] = "switch s1 ports 2 stp %s priority 4096\n"
                           "switch s2 ports 2 stp %s priority 8192\n"
                           "switch s3 ports 2 stp %s\n"
                           "switch s4 ports 2 stp %s\n"
                           "link s1.1 s2.1 rate 1Gbps\n"
                           "link s2.2 s3.1\n"
                           "link s3.2 s4.1\n"
                           "link s4.2 s1.2\n";

static void check_ring(const char *mode, SimStpState fwd, SimStpState blk)
{
    g_autofree char *text = g_strdup_printf(RING, mode, mode, mode, mode);
    g_autoptr(SimScenario) sc = load(text);
    sim_world_run(sim_scenario_world(sc), 40 * SIM_SEC, 0);
    SimStp *s1 = stp_of(sc, "s1");
    for (int i = 1; i <= 4; i++) {
        char name[4];
        g_snprintf(name, sizeof name, "s%d", i);
        cr_assert_eq(sim_stp_root_id(stp_of(sc, name)), sim_stp_bridge_id(s1), "%s root", name);
    }
    cr_assert_eq(sim_stp_root_port(s1), -1);
    cr_assert_eq(sim_stp_root_cost(stp_of(sc, "s2")), 4);
    cr_assert_eq(sim_stp_root_cost(stp_of(sc, "s3")), 23);
    cr_assert_eq(sim_stp_root_cost(stp_of(sc, "s4")), 19);
    expect_port(sc, "s1", 1, SIM_STP_ROLE_DESIGNATED, fwd);
    expect_port(sc, "s1", 2, SIM_STP_ROLE_DESIGNATED, fwd);
    expect_port(sc, "s2", 1, SIM_STP_ROLE_ROOT, fwd);
    expect_port(sc, "s2", 2, SIM_STP_ROLE_DESIGNATED, fwd);
    expect_port(sc, "s3", 1, SIM_STP_ROLE_ROOT, fwd);
    expect_port(sc, "s3", 2, SIM_STP_ROLE_ALTERNATE, blk);
    expect_port(sc, "s4", 1, SIM_STP_ROLE_DESIGNATED, fwd);
    expect_port(sc, "s4", 2, SIM_STP_ROLE_ROOT, fwd);
}

Test(stp, ring_of_four_ieee_matches_the_worked_example)
{
    check_ring("on", SIM_STP_FORWARDING, SIM_STP_BLOCKING);
}

Test(stp, ring_of_four_rstp_gives_the_same_roles)
{
    check_ring("rstp", SIM_STP_FORWARDING, SIM_STP_BLOCKING);
}

/* The textbook indirect failure: root a, b and c each linked to a and to
 * each other, all 100 Mb/s. b (8192) beats c (12288) on the b-c segment, so
 * c's port to b (c.2) is the alternate. When a-b fails, b claims to be the
 * root, but c ignores that worse information from its designated bridge
 * until it ages out (max age less its message age of 1 s); only then does
 * c.2 become designated and, like b's new root port, listen and learn for
 * two forward delays. */
static const char TRIANGLE[] = "switch a ports 3 stp %s priority 4096\n"
                               "switch b ports 3 stp %s priority 8192\n"
                               "switch c ports 3 stp %s priority 12288\n"
                               "host ha ip 10.0.0.1/24\n"
                               "host hb ip 10.0.0.2/24\n"
                               "link a.1 b.1\n"
                               "link a.2 c.1\n"
                               "link b.2 c.2\n"
                               "link ha a.3\n"
                               "link hb b.3\n"
                               "at %s link a.1 b.1 down\n"
                               "at %s hb ping 10.0.0.1 count 1\n";

/* When (after `after`) a record says node's port went to forwarding. */
static SimTime forwarding_at(const Recorder *r, const char *node, const char *port, SimTime after)
{
    for (guint i = 0; i < r->recs->len; i++) {
        const Rec *x = &g_array_index(r->recs, Rec, i);
        if (x->kind == SIM_TR_STP && x->time > after && g_strcmp0(x->node, node) == 0 &&
            g_strcmp0(x->iface, port) == 0 && strstr(x->detail, "→ forwarding"))
            return x->time;
    }
    return SIM_TIME_MAX;
}

/* The triangle in `mode`, a-b failing at 60 s, hb pinging ha at ping_at;
 * run to 59 s, where c.2 must be the one blocked port. */
static SimScenario *triangle_before_failure(const char *mode, const char *ping_at, Recorder **r)
{
    g_autofree char *text = g_strdup_printf(TRIANGLE, mode, mode, mode, "60s", ping_at);
    SimScenario *sc = load(text);
    SimWorld *w = sim_scenario_world(sc);
    *r = recorder_new(w, NULL, false);
    sim_world_run(w, 59 * SIM_SEC, 0);
    expect_port(sc, "c", 2, SIM_STP_ROLE_ALTERNATE, SIM_STP_BLOCKING);
    expect_port(sc, "b", 2, SIM_STP_ROLE_DESIGNATED, SIM_STP_FORWARDING);
    return sc;
}

Test(stp, ieee_indirect_failure_takes_max_age_and_two_forward_delays)
{
    Recorder *r;
    g_autoptr(SimScenario) sc = triangle_before_failure("on", "111s", &r);
    SimWorld *w = sim_scenario_world(sc);
    sim_world_run(w, 115 * SIM_SEC, 0);
    SimTime c2 = forwarding_at(r, "c", "2", 60 * SIM_SEC);
    /* b.2 was designated and forwarding; as b's new root port it goes on
     * forwarding (a role change alone does not block a port), so the path
     * opens when c.2 forwards. c's info from b was last refreshed by a hello 0-2 s before the
     * failure and carries message age 1 s: it ages out 17-19 s after the
     * failure, then 2 x 15 s. The textbook bound is 20 + 2 x 15 = 50 s. */
    cr_assert(c2 >= 107 * SIM_SEC && c2 <= 110 * SIM_SEC, "c.2 forwarded at %.3f s", c2 / 1e9);
    cr_assert_lt(forwarding_at(r, "b", "2", 0), 60 * SIM_SEC);
    cr_assert_eq(forwarding_at(r, "b", "2", 60 * SIM_SEC), SIM_TIME_MAX);
    cr_log_info("802.1D: c.2 forwarding %.3f s after the failure", (c2 - 60 * SIM_SEC) / 1e9);
    expect_port(sc, "c", 2, SIM_STP_ROLE_DESIGNATED, SIM_STP_FORWARDING);
    expect_port(sc, "b", 2, SIM_STP_ROLE_ROOT, SIM_STP_FORWARDING);
    cr_assert_gt(rec_count(r, SIM_TR_STP, "c", "information on p2 aged out after max age", 0), 0);
    g_autofree char *out = app_output(r, "hb");
    cr_assert_not_null(strstr(out, "1 received"), "%s", out);
    /* c.2's move to forwarding is a topology change: c sends TCNs to the
     * root, the root sets TC for max age + forward delay, and while it is
     * set the switches age MAC entries after the forward delay (15 s), so
     * the stations the ping taught (last seen at 116 s, an ARP check) are
     * gone by 131 s, long before 300 s. */
    cr_assert_gt(rec_count(r, SIM_TR_BPDU, "c", "sends a TCN BPDU", 0), 0);
    cr_assert_gt(rec_count(r, SIM_TR_STP, "a", "topology change flag set", 0), 0);
    sim_world_run(w, 140 * SIM_SEC, 0);
    cr_assert_gt(rec_count(r, SIM_TR_AGE, "a", "aged out (15s without a frame)", 0), 0);
    cr_assert_eq(sim_switch_mac_count(sim_network_find_node(sim_network_of(w), "a")), 0);
    recorder_free(r);
}

Test(stp, show_spanning_tree_reads_like_cisco)
{
    g_autofree char *text = g_strdup_printf(RING, "on", "on", "on", "on");
    g_autoptr(SimScenario) sc = load(text);
    sim_world_run(sim_scenario_world(sc), 40 * SIM_SEC, 0);
    g_autoptr(GString) s1 = g_string_new(NULL), s3 = g_string_new(NULL);
    sim_stp_show(stp_of(sc, "s1"), s1);
    sim_stp_show(stp_of(sc, "s3"), s3);
    cr_assert_not_null(strstr(s1->str, "This bridge is the root"), "%s", s1->str);
    cr_assert_not_null(strstr(s3->str, "  Spanning tree enabled protocol ieee\n"
                                       "  Root ID    Priority    4096\n"
                                       "             Address     02:b0:00:00:00:01\n"
                                       "             Cost        23\n"
                                       "             Port        1 (p1)\n"),
                       "%s", s3->str);
    cr_assert_not_null(strstr(s3->str, "p1               Root FWD 19        128.1    P2p\n"
                                       "p2               Altn BLK 19        128.2    P2p\n"),
                       "%s", s3->str);
}

Test(stp, rstp_reconverges_within_one_second)
{
    Recorder *r;
    g_autoptr(SimScenario) sc = triangle_before_failure("rstp", "60500ms", &r);
    SimWorld *w = sim_scenario_world(sc);
    sim_world_run(w, 61 * SIM_SEC, 0);
    SimTime c2 = forwarding_at(r, "c", "2", 60 * SIM_SEC);
    cr_assert(c2 < 61 * SIM_SEC, "c.2 forwarding at %.6f s", c2 / 1e9);
    expect_port(sc, "c", 2, SIM_STP_ROLE_DESIGNATED, SIM_STP_FORWARDING);
    expect_port(sc, "b", 2, SIM_STP_ROLE_ROOT, SIM_STP_FORWARDING);
    /* b accepted c's better information at once: nothing aged out. */
    cr_assert_eq(rec_count(r, SIM_TR_STP, NULL, "aged out", 0), 0);
    g_autofree char *out = app_output(r, "hb");
    cr_assert_not_null(strstr(out, "1 received"), "%s", out);
    cr_log_info("RSTP: c.2 forwarding %.6f s after the failure", (c2 - 60 * SIM_SEC) / 1e9);
    recorder_free(r);
}

/* broadcast-storm.topo's triangle, with and without STP. */
static const char LOOP[] = "host alex ip 192.168.10.1/24\n"
                           "host bob  ip 192.168.10.2/24\n"
                           "switch swA ports 4 %s\n"
                           "switch swB ports 4 %s\n"
                           "switch swC ports 4 %s\n"
                           "link alex  swA.1\n"
                           "link bob   swC.1\n"
                           "link swA.2 swB.2\n"
                           "link swB.3 swC.3\n"
                           "link swC.4 swA.4\n"
                           "at %s alex ping 192.168.10.2 count 3\n";

static bool any_storm(SimScenario *sc)
{
    const char *names[] = {"swA", "swB", "swC"};
    bool storm = false;
    for (int i = 0; i < 3; i++)
        storm |= sim_switch_storm_detected(
            sim_network_find_node(sim_network_of(sim_scenario_world(sc)), names[i]));
    return storm;
}

Test(stp, loop_with_stp_has_no_storm_and_every_ping_succeeds)
{
    g_autofree char *text = g_strdup_printf(LOOP, "stp on", "stp on", "stp on", "31s");
    g_autoptr(SimScenario) sc = load(text);
    SimWorld *w = sim_scenario_world(sc);
    Recorder *r = recorder_new(w, "loop.pcap", false);
    sim_world_run(w, 40 * SIM_SEC, 0);
    cr_assert(!any_storm(sc));
    cr_assert_eq(r->counts[SIM_TR_STORM], 0);
    g_autofree char *out = app_output(r, "alex");
    cr_assert_not_null(strstr(out, "3 packets transmitted, 3 received, 0% packet loss"), "%s", out);
    /* Exactly one port of the triangle blocks, and frames hit it. */
    guint blocked = 0;
    const char *names[] = {"swA", "swB", "swC"};
    for (int i = 0; i < 3; i++)
        for (guint p = 1; p < 4; p++)
            blocked += sim_stp_port_state(stp_of(sc, names[i]), p) == SIM_STP_BLOCKING;
    cr_assert_eq(blocked, 1);
    cr_assert_gt(rec_count(r, SIM_TR_DROP, NULL, "is blocking (spanning tree)", 0), 0);
    recorder_close_pcap(r);
    tshark_check_clean(r->pcap_path, r->frames);
    recorder_free(r);
}

Test(stp, loop_without_stp_still_storms_and_is_reported)
{
    g_autofree char *text = g_strdup_printf(LOOP, "", "", "", "1ms");
    g_autoptr(SimScenario) sc = load(text);
    SimWorld *w = sim_scenario_world(sc);
    Recorder *r = recorder_new(w, NULL, false);
    sim_world_run(w, 3 * SIM_MS, 0);
    cr_assert(any_storm(sc));
    cr_assert_gt(r->counts[SIM_TR_STORM], 0);
    recorder_free(r);
}

/* The drop says what the port state did to the frame (802.1D-2004 7.4):
 * alex's port on swA listens until 15 s and learns until 30 s. An ARP
 * request at 5 s is neither learned nor forwarded; one at 20 s is learned
 * (alex is in swA's table, on p1) but still not forwarded. Under RSTP the
 * same port is discarding for its first 3 s (no BPDU makes it an edge port
 * yet): not learned either. */
Test(stp, drop_words_follow_the_port_state)
{
    static const struct {
        const char *mode, *at;
        SimTime t;
        const char *state, *words, *wrong;
        guint macs; /* swA's MAC table after the request */
    } steps[] = {
        {"stp on", "5s", 5 * SIM_SEC, "p1 is listening (spanning tree)",
         ": not learned, not forwarded", ": learned, not forwarded", 0},
        {"stp on", "20s", 20 * SIM_SEC, "p1 is learning (spanning tree)",
         ": learned, not forwarded", ": not learned, not forwarded", 1},
        {"stp rstp", "1s", 1 * SIM_SEC, "p1 is discarding (spanning tree)",
         ": not learned, not forwarded", ": learned, not forwarded", 0},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(steps); i++) {
        g_autofree char *text =
            g_strdup_printf(LOOP, steps[i].mode, steps[i].mode, steps[i].mode, steps[i].at);
        g_autoptr(SimScenario) sc = load(text);
        SimWorld *w = sim_scenario_world(sc);
        Recorder *r = recorder_new(w, NULL, false);
        sim_world_run(w, steps[i].t + SIM_MS, 0);
        g_autofree char *words = g_strconcat(steps[i].state, steps[i].words, NULL);
        g_autofree char *wrong = g_strconcat(steps[i].state, steps[i].wrong, NULL);
        cr_assert_gt(rec_count(r, SIM_TR_DROP, "swA", words, 0), 0, "%s at %s: no '%s'",
                     steps[i].mode, steps[i].at, words);
        cr_assert_eq(rec_count(r, SIM_TR_DROP, "swA", wrong, 0), 0, "%s", wrong);
        cr_assert_eq(sim_switch_mac_count(sim_network_find_node(sim_network_of(w), "swA")),
                     steps[i].macs, "%s at %s", steps[i].mode, steps[i].at);
        recorder_free(r);
    }
}

Test(stp, rstp_talks_8021d_to_an_8021d_neighbour)
{
    g_autoptr(SimScenario) sc = load("switch new ports 2 stp rstp priority 4096\n"
                                     "switch old ports 2 stp on\n"
                                     "link new.1 old.1\n"
                                     "link new.2 old.2\n");
    SimWorld *w = sim_scenario_world(sc);
    Recorder *r = recorder_new(w, NULL, false);
    sim_world_run(w, 40 * SIM_SEC, 0);
    cr_assert_eq(sim_stp_root_id(stp_of(sc, "old")), sim_stp_bridge_id(stp_of(sc, "new")));
    expect_port(sc, "old", 1, SIM_STP_ROLE_ROOT, SIM_STP_FORWARDING);
    expect_port(sc, "old", 2, SIM_STP_ROLE_ALTERNATE, SIM_STP_BLOCKING);
    cr_assert_eq(rec_count(r, SIM_TR_STP, "new", "hears an 802.1D bridge", 0), 2);
    cr_assert_gt(rec_count(r, SIM_TR_BPDU, "old", "knows no RST BPDU", 0), 0);
    /* After the fallback every BPDU new sends is a Configuration BPDU. */
    guint last_rst = 0, i;
    for (i = 0; i < r->recs->len; i++) {
        const Rec *x = &g_array_index(r->recs, Rec, i);
        if (x->kind == SIM_TR_BPDU && g_strcmp0(x->node, "new") == 0 &&
            strstr(x->detail, "sends an RST"))
            last_rst = i;
    }
    cr_assert_lt(last_rst, r->recs->len / 4, "RST BPDUs went on being sent");
    recorder_free(r);
}

/* A hub joins s.2 and s.3: s is designated for that LAN, and 802.1D's
 * rules make the port with the higher id hear the better information of its
 * own sibling (root, cost 19, bridge s, port 128.2): a backup port. */
Test(stp, two_ports_on_one_lan_give_a_backup_port)
{
    for (int rstp = 0; rstp < 2; rstp++) {
        g_autofree char *text = g_strdup_printf("switch r ports 1 stp %s priority 4096\n"
                                                "switch s ports 3 stp %s\n"
                                                "hub h ports 3\n"
                                                "host pc ip 10.0.0.1/24\n"
                                                "link r.1 s.1\n"
                                                "link s.2 h.1\n"
                                                "link s.3 h.2\n"
                                                "link pc h.3\n",
                                                rstp ? "rstp" : "on", rstp ? "rstp" : "on");
        g_autoptr(SimScenario) sc = load(text);
        Recorder *r = recorder_new(sim_scenario_world(sc), NULL, false);
        sim_world_run(sim_scenario_world(sc), 40 * SIM_SEC, 0);
        expect_port(sc, "s", 1, SIM_STP_ROLE_ROOT, SIM_STP_FORWARDING);
        expect_port(sc, "s", 2, SIM_STP_ROLE_DESIGNATED, SIM_STP_FORWARDING);
        expect_port(sc, "s", 3, SIM_STP_ROLE_BACKUP, SIM_STP_BLOCKING);
        /* A hub segment is shared: no proposal/agreement, even in RSTP, so
         * s.2 forwards after two forward delays. */
        cr_assert_eq(forwarding_at(r, "s", "2", 0), 30 * SIM_SEC);
        g_autoptr(GString) show = g_string_new(NULL);
        sim_stp_show(stp_of(sc, "s"), show);
        cr_assert_not_null(strstr(show->str, "p3               Back BLK 19        128.3    Shr\n"),
                           "%s", show->str);
        recorder_free(r);
    }
}

typedef struct {
    GString *want; /* one line per transmitted frame, as tshark prints it */
} Sent;

/* What each transmitted frame carries, in tshark -T fields form (empty
 * fields for frames that are no BPDU). */
static void note_sent(const SimTraceRecord *t, void *user)
{
    Sent *s = user;
    SimBpdu b;
    if (!t->packet ||
        !sim_bpdu_parse(sim_packet_cdata(t->packet), sim_packet_len(t->packet), &b, NULL)) {
        g_string_append(s->want, ",,,,,,\n");
        return;
    }
    if (b.type == SIM_BPDU_TYPE_TCN) {
        g_string_append_printf(s->want, "%u,0x%02x,,,,,\n", b.version, b.type);
        return;
    }
    SimMac root = sim_mac_from_u64(b.root_id & 0xffffffffffffULL);
    SimMac br = sim_mac_from_u64(b.bridge_id & 0xffffffffffffULL);
    char m1[SIM_MAC_STRLEN], m2[SIM_MAC_STRLEN];
    g_string_append_printf(s->want, "%u,0x%02x,0x%02x,%s,%u,%s,0x%04x\n", b.version, b.type,
                           b.flags, sim_mac_format(&root, m1), b.root_cost, sim_mac_format(&br, m2),
                           b.port_id);
}

/* Every kind of BPDU (Configuration with TC and TCA, TCN, RST with
 * proposal and agreement) from two runs, in one capture: tshark finds no
 * malformed frame and no expert error, and reads in every frame the
 * version, type, flags, root, cost, bridge and port that were sent. */
Test(stp, tshark_dissects_every_bpdu_clean)
{
    for (int rstp = 0; rstp < 2; rstp++) {
        g_autofree char *text =
            g_strdup_printf(TRIANGLE, rstp ? "rstp" : "on", rstp ? "rstp" : "on",
                            rstp ? "rstp" : "on", "40s", "41s");
        g_autoptr(SimScenario) sc = load(text);
        SimWorld *w = sim_scenario_world(sc);
        Recorder *r = recorder_new(w, "bpdu.pcap", false);
        Sent sent = {g_string_new(NULL)};
        guint sub =
            sim_trace_subscribe(sim_world_trace(w), SIM_TRACE_BIT(SIM_TR_TX), note_sent, &sent);
        sim_world_run(w, 60 * SIM_SEC, 0);
        sim_trace_unsubscribe(sim_world_trace(w), sub);
        cr_assert_gt(rec_count(r, SIM_TR_BPDU, NULL, rstp ? "an RST" : "a TCN", 0), 0);
        recorder_close_pcap(r);
        tshark_check_clean(r->pcap_path, r->frames);
        const char *args[] = {"-n", "-r",     r->pcap_path, "-Y",          "stp",
                              "-T", "fields", "-e",         "stp.version", NULL};
        g_autofree char *v = tshark_run(args);
        cr_assert_not_null(strstr(v, rstp ? "2\n" : "0\n"), "%s", v);
        const char *fa[] = {"stp.version",   "stp.type",      "stp.flags", "stp.root.hw",
                            "stp.root.cost", "stp.bridge.hw", "stp.port",  NULL};
        g_autofree char *got = tshark_fields(r->pcap_path, fa);
        cr_assert_str_eq(got, sent.want->str);
        g_string_free(sent.want, TRUE);
        recorder_free(r);
    }
}

/* topologies/rstp-ring.topo: the TC that s3 sends when its alternate port
 * takes over travels round the ring (s4 hears it from s3's root port, s1
 * from s4's) and flushes the stale entries for bob on the way, so no ping
 * is lost across the failure. */
Test(stp, rstp_ring_topology_loses_no_ping_across_the_failure)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(SimScenario) sc =
        sim_scenario_new(fx_load_file("topologies/rstp-ring.topo"), 1, &err);
    cr_assert_not_null(sc, "%s", err ? err->message : "");
    SimWorld *w = sim_scenario_world(sc);
    Recorder *r = recorder_new(w, NULL, false);
    sim_world_run(w, 20 * SIM_SEC, 0);
    g_autofree char *out = app_output(r, "alex");
    cr_assert_not_null(strstr(out, "10 packets transmitted, 10 received, 0% packet loss"), "%s",
                       out);
    cr_assert_gt(rec_count(r, SIM_TR_AGE, "s4", "flushed (topology change: TC heard on p1)", 0), 0);
    cr_assert_gt(rec_count(r, SIM_TR_AGE, "s1", "flushed (topology change: TC heard on p2)", 0), 0);
    expect_port(sc, "s3", 2, SIM_STP_ROLE_ROOT, SIM_STP_FORWARDING);
    recorder_free(r);
}

/* One spanning tree over 802.1Q trunks: two switches joined by two trunks
 * carrying VLANs 10 and 20, the `port` lines mixing VLAN and STP words.
 * s1 is the root; s2's trunk on p7 costs 100 (written on its VLAN line),
 * so its root port is p8 (cost 19) and p7 is an alternate port, discarding
 * the frames of both VLANs. Each VLAN's pings go through, no storm, and the
 * BPDUs and tagged frames dissect clean. */
Test(stp, rstp_over_vlan_trunks_blocks_one_trunk_for_every_vlan)
{
    g_autoptr(SimScenario) sc = load("host a1 ip 10.0.10.1/24\n"
                                     "host a2 ip 10.0.10.2/24\n"
                                     "host b1 ip 10.0.20.1/24\n"
                                     "host b2 ip 10.0.20.2/24\n"
                                     "switch s1 stp rstp priority 4096\n"
                                     "  port 1 access 10 edge\n"
                                     "  port 2 access 20 edge\n"
                                     "  port 7-8 trunk allowed 10,20\n"
                                     "switch s2 stp rstp\n"
                                     "  port 1 access 10 edge\n"
                                     "  port 2 access 20\n"
                                     "  port 2 edge\n"
                                     "  port 7 trunk allowed 10,20 cost 100\n"
                                     "  port 8 trunk allowed 10,20\n"
                                     "link a1 s1.1\n"
                                     "link b1 s1.2\n"
                                     "link a2 s2.1\n"
                                     "link b2 s2.2\n"
                                     "link s1.7 s2.7\n"
                                     "link s1.8 s2.8\n"
                                     "at 5s a1 ping 10.0.10.2 count 3\n"
                                     "at 5s b1 ping 10.0.20.2 count 3\n");
    SimWorld *w = sim_scenario_world(sc);
    Recorder *r = recorder_new(w, "vlan-stp.pcap", false);
    sim_world_run(w, 12 * SIM_SEC, 0);
    cr_assert_eq(sim_stp_port_cost(stp_of(sc, "s2"), 6), 100);
    expect_port(sc, "s2", 8, SIM_STP_ROLE_ROOT, SIM_STP_FORWARDING);
    expect_port(sc, "s2", 7, SIM_STP_ROLE_ALTERNATE, SIM_STP_BLOCKING);
    expect_port(sc, "s1", 7, SIM_STP_ROLE_DESIGNATED, SIM_STP_FORWARDING);
    cr_assert(!sim_switch_storm_detected(sim_network_find_node(sim_network_of(w), "s1")));
    cr_assert(!sim_switch_storm_detected(sim_network_find_node(sim_network_of(w), "s2")));
    g_autofree char *oa = app_output(r, "a1");
    g_autofree char *ob = app_output(r, "b1");
    cr_assert_not_null(strstr(oa, "3 packets transmitted, 3 received, 0% packet loss"), "%s", oa);
    cr_assert_not_null(strstr(ob, "3 packets transmitted, 3 received, 0% packet loss"), "%s", ob);
    /* Tagged floods reached s2's alternate port and were refused there. */
    cr_assert_gt(rec_count(r, SIM_TR_DROP, "s2", "p7 is discarding (spanning tree)", 0), 0);
    cr_assert_gt(r->counts[SIM_TR_TAG], 0);
    cr_assert_gt(r->counts[SIM_TR_BPDU], 0);
    recorder_close_pcap(r);
    tshark_check_clean(r->pcap_path, r->frames);
    recorder_free(r);
}

/* How many of a switch's ports block (unplugged ones are disabled). */
static guint blocked_ports(SimScenario *sc, const char *name)
{
    SimStp *s = stp_of(sc, name);
    guint n = 0, ports = sim_bridge_n_ports(sim_switch_bridge(
                     sim_network_find_node(sim_network_of(sim_scenario_world(sc)), name)));
    for (guint p = 0; p < ports; p++)
        n += sim_stp_port_state(s, p) == SIM_STP_BLOCKING;
    return n;
}

/* topologies/enterprise.topo, and the same file with 802.1D. By 802.1D's
 * rules coresw (4096) is the root, each floor's uplink is its root port
 * (cost 4), and on the floor-to-floor trunk sw-eng (28672, cost 4) is
 * designated over sw-floor2 (32768, cost 4): sw-floor2 p47 is the one
 * blocked port. Edge ports let the 1 s ping through. When sw-floor2's
 * uplink fails at 16.5 s, RSTP forwards on p47 at once; 802.1D needs two
 * forward delays of listening and learning (the failure is local, so no
 * max age). */
Test(stp, enterprise_fails_over_at_once_where_8021d_takes_30_s)
{
    g_autofree char *file = NULL;
    cr_assert(g_file_get_contents("topologies/enterprise.topo", &file, NULL, NULL));
    const char *floors[] = {"coresw", "sw-eng", "sw-floor2", "sw-srv"};
    for (int ieee = 0; ieee < 2; ieee++) {
        g_auto(GStrv) parts = g_strsplit(file, "stp rstp", -1);
        g_autofree char *text = g_strjoinv(ieee ? "stp on" : "stp rstp", parts);
        g_autoptr(SimScenario) sc = load(text);
        SimWorld *w = sim_scenario_world(sc);
        Recorder *r = recorder_new(w, NULL, false);
        sim_world_run(w, 16 * SIM_SEC, 0);
        SimStpState fwd = SIM_STP_FORWARDING, blk = SIM_STP_BLOCKING;
        if (!ieee) {
            cr_assert_eq(sim_stp_root_id(stp_of(sc, "sw-srv")),
                         sim_stp_bridge_id(stp_of(sc, "coresw")));
            expect_port(sc, "sw-floor2", 47, SIM_STP_ROLE_ALTERNATE, blk);
            expect_port(sc, "sw-floor2", 48, SIM_STP_ROLE_ROOT, fwd);
            expect_port(sc, "sw-eng", 23, SIM_STP_ROLE_DESIGNATED, fwd);
            expect_port(sc, "sw-eng", 24, SIM_STP_ROLE_ROOT, fwd);
            expect_port(sc, "coresw", 8, SIM_STP_ROLE_DESIGNATED, fwd);
            guint blocked = 0;
            for (gsize i = 0; i < G_N_ELEMENTS(floors); i++)
                blocked += blocked_ports(sc, floors[i]);
            cr_assert_eq(blocked, 1);
            g_autofree char *eng1 = app_output(r, "eng1");
            cr_assert_not_null(strstr(eng1, "2 packets transmitted, 2 received"), "%s", eng1);
        } else {
            /* 802.1D: the trunks open after 30 s, so nothing crossed them. */
            g_autofree char *eng1 = app_output(r, "eng1");
            cr_assert_not_null(strstr(eng1, "2 packets transmitted, 0 received"), "%s", eng1);
        }
        sim_world_run(w, 50 * SIM_SEC, 0);
        SimTime p47 = forwarding_at(r, "sw-floor2", "47", 16 * SIM_SEC);
        g_autofree char *sales1 = app_output(r, "sales1");
        if (!ieee) {
            cr_assert_eq(p47, 16500 * SIM_MS, "p47 forwarding at %.6f s", p47 / 1e9);
            cr_assert_not_null(strstr(sales1, "6 packets transmitted, 6 received, 0% packet loss"),
                               "%s", sales1);
        } else {
            cr_assert_eq(p47, (16500 + 30000) * SIM_MS, "p47 forwarding at %.6f s", p47 / 1e9);
            cr_assert_null(strstr(sales1, "6 received"), "%s", sales1);
        }
        expect_port(sc, "sw-floor2", 47, SIM_STP_ROLE_ROOT, fwd);
        for (gsize i = 0; i < G_N_ELEMENTS(floors); i++)
            cr_assert(
                !sim_switch_storm_detected(sim_network_find_node(sim_network_of(w), floors[i])));
        recorder_free(r);
    }
}

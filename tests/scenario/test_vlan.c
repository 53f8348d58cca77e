/* test_vlan.c - 802.1Q scenarios through topology files: VLAN isolation,
 * trunk allowed lists, the native VLAN, tagged frames on access ports,
 * router-on-a-stick and an L3 switch routing between VLANs (TTL 64 -> 63).
 * Every frame sent is captured; tshark must dissect it cleanly and read the
 * same 802.1Q VID and PCP as the bytes we sent. */
#include "helpers.h"

#include "../unit/topo_fixtures.h"
#include "sim/net/eth.h"
#include "sim/topo/scenario.h"

/* What each transmitted frame carried, in capture order. */
typedef struct {
    bool tagged;
    uint16_t vid;
    uint8_t pcp;
    size_t len;
} Sent;

typedef struct {
    SimScenario *sc;
    Recorder *rec;
    GArray *sent; /* Sent */
    guint sub;
} Run;

static void sent_cb(const SimTraceRecord *t, void *user)
{
    GArray *sent = user;
    if (t->kind != SIM_TR_TX || !t->packet)
        return;
    SimEthHdr eh;
    cr_assert(sim_eth_decode(sim_packet_cdata(t->packet), sim_packet_len(t->packet), &eh, NULL));
    Sent s = {eh.tagged, eh.vid, eh.pcp, sim_packet_len(t->packet)};
    g_array_append_val(sent, s);
}

static Run run_text(const char *text, SimTime until)
{
    Run r = {0};
    g_autoptr(GError) err = NULL;
    r.sc = sim_scenario_new(fx_load_text(text), 1, &err);
    cr_assert_not_null(r.sc, "%s", err ? err->message : "");
    SimWorld *w = sim_scenario_world(r.sc);
    r.sent = g_array_new(FALSE, FALSE, sizeof(Sent));
    r.sub = sim_trace_subscribe(sim_world_trace(w), 1u << SIM_TR_TX, sent_cb, r.sent);
    r.rec = recorder_new(w, "vlan.pcap", false);
    sim_world_run(w, until, 0);
    return r;
}

static Run run_file(const char *path, SimTime until)
{
    g_autofree char *text = NULL;
    cr_assert(g_file_get_contents(path, &text, NULL, NULL), "%s", path);
    return run_text(text, until);
}

/* tshark dissects every frame cleanly, and its 802.1Q fields are ours. */
static void check_capture(Run *r)
{
    recorder_close_pcap(r->rec);
    cr_assert_eq(r->rec->frames, r->sent->len);
    tshark_check_clean(r->rec->pcap_path, r->rec->frames);
    const char *args[] = {"-n",           "-r", r->rec->pcap_path, "-T", "fields",        "-E",
                          "occurrence=f", "-e", "vlan.id",         "-e", "vlan.priority", "-e",
                          "frame.len",    NULL};
    g_autofree char *out = tshark_run(args);
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    guint tagged = 0;
    for (guint i = 0; i < r->sent->len; i++) {
        const Sent *s = &g_array_index(r->sent, Sent, i);
        cr_assert_not_null(lines[i], "frame %u missing", i + 1);
        g_auto(GStrv) f = g_strsplit(lines[i], "\t", -1);
        cr_assert_eq(g_strv_length(f), 3, "%s", lines[i]);
        if (s->tagged) {
            tagged++;
            cr_assert_eq(atoi(f[0]), s->vid, "frame %u: %s", i + 1, lines[i]);
            cr_assert_eq(atoi(f[1]), s->pcp, "frame %u: %s", i + 1, lines[i]);
        } else {
            cr_assert_str_empty(f[0], "frame %u: tshark sees a tag we did not send", i + 1);
        }
        cr_assert_geq(s->len, SIM_ETH_MIN_FRAME, "frame %u is a runt", i + 1);
        cr_assert_eq((size_t)atoi(f[2]), s->len);
    }
    cr_assert_gt(tagged, 0, "no tagged frame crossed a trunk");
}

static void run_free(Run *r)
{
    sim_trace_unsubscribe(sim_world_trace(sim_scenario_world(r->sc)), r->sub);
    recorder_free(r->rec);
    g_array_unref(r->sent);
    sim_scenario_free(r->sc);
}

/* Checks the capture (with the 802.1Q comparison when tagged frames were
 * expected, else tshark's verdict alone) and frees the run. */
static void finish(Run *r, bool tagged)
{
    if (tagged) {
        check_capture(r);
    } else {
        recorder_close_pcap(r->rec);
        tshark_check_clean(r->rec->pcap_path, r->rec->frames);
    }
    run_free(r);
}

Test(vlan, vlans_topology_isolates_vlans_and_trunks_carry_both)
{
    Run r = run_file("topologies/vlans.topo", 10 * SIM_SEC);
    g_autofree char *alex = app_output(r.rec, "alex");
    g_autofree char *carol = app_output(r.rec, "carol");
    g_autofree char *bob = app_output(r.rec, "bob");
    cr_assert(strstr(alex, "from 192.168.10.2: icmp_seq=1 ttl=64"), "%s", alex);
    cr_assert(strstr(alex, "from 192.168.10.4: icmp_seq=1 ttl=64"), "across the trunk: %s", alex);
    cr_assert(strstr(carol, "from 192.168.20.4: icmp_seq=1"), "VLAN 20 over the trunk: %s", carol);
    /* bob has a VLAN-10 address but sits in VLAN 20: nothing reaches alex. */
    cr_assert(strstr(bob, "1 packets transmitted, 0 received"), "%s", bob);
    /* Every frame bob sent was flooded inside VLAN 20 only: p4 and the trunk. */
    guint from_bob = 0;
    for (guint i = 0; i < r.rec->recs->len; i++) {
        const Rec *x = &g_array_index(r.rec->recs, Rec, i);
        if (x->kind != SIM_TR_FLOOD || g_strcmp0(x->node, "sw1") || g_strcmp0(x->iface, "3"))
            continue;
        from_bob++;
        cr_assert_str_eq(strstr(x->detail, "→ "), "→ p4,p8", "%s", x->detail);
    }
    cr_assert_gt(from_bob, 0);
    /* ARP for VLAN 10 crossed the trunk tagged and came off it untagged. */
    cr_assert_gt(rec_count(r.rec, SIM_TR_TAG, "sw1", "vlan 10 (pcp 0) tagged → p8", 0), 0);
    cr_assert_gt(rec_count(r.rec, SIM_TR_UNTAG, "sw2", "vlan 10 tag removed → p1", 0), 0);
    cr_assert_gt(rec_count(r.rec, SIM_TR_SHOW, "sw1", "10   dormA", 0), 0);
    finish(&r, true);
}

/* Two switches, each with a host in VLAN 10 (port 1) and one in VLAN 20
 * (port 2), joined by their ports 8 configured as `trunk1` and `trunk2`;
 * then the scenario lines `cmds`. */
static Run run_two_switches(const char *trunk1, const char *trunk2, const char *cmds)
{
    g_autofree char *text = g_strdup_printf(
        "switch sw1\n  port 1 access 10\n  port 2 access 20\n  port 8 %s\n"
        "switch sw2\n  port 1 access 10\n  port 2 access 20\n  port 8 %s\n"
        "host a1 ip 10.0.10.1/24\nhost a2 ip 10.0.20.1/24\n"
        "host b1 ip 10.0.10.2/24\nhost b2 ip 10.0.20.2/24\n"
        "link a1 sw1.1\nlink a2 sw1.2\nlink b1 sw2.1\nlink b2 sw2.2\nlink sw1.8 sw2.8\n%s",
        trunk1, trunk2, cmds);
    return run_text(text, 5 * SIM_SEC);
}

/* sw1 port 8 allows only VLAN 10; sw2's trunk allows both, so sw2 sends
 * VLAN 20 frames that sw1 must drop at ingress. */
Test(vlan, trunk_allowed_list_drops_other_vlans)
{
    Run r = run_two_switches("trunk allowed 10", "trunk",
                             "at 1s a1 ping b1 count 1\nat 2s b2 ping a2 count 1\n");
    g_autofree char *a1 = app_output(r.rec, "a1");
    g_autofree char *b2 = app_output(r.rec, "b2");
    cr_assert(strstr(a1, "1 received"), "%s", a1);
    cr_assert(strstr(b2, "0 received"), "%s", b2);
    cr_assert_gt(rec_count(r.rec, SIM_TR_DROP, "sw1", "vlan 20 not allowed on p8", 0), 0);
    /* sw1 never sends VLAN 20 into the trunk (its flood list leaves p8 out). */
    cr_assert_eq(rec_count(r.rec, SIM_TR_TAG, "sw1", "vlan 20", 0), 0);
    finish(&r, true);
}

/* Native VLAN 10 crosses the trunk untagged, VLAN 20 tagged. */
Test(vlan, native_vlan_is_untagged_on_the_trunk)
{
    Run r = run_two_switches("trunk allowed 10,20 native 10", "trunk allowed 10,20 native 10",
                             "at 1s a1 ping b1 count 1\nat 2s a2 ping b2 count 1\n");
    g_autofree char *a1 = app_output(r.rec, "a1");
    g_autofree char *a2 = app_output(r.rec, "a2");
    cr_assert(strstr(a1, "1 received"), "%s", a1);
    cr_assert(strstr(a2, "1 received"), "%s", a2);
    cr_assert_eq(rec_count(r.rec, SIM_TR_TAG, NULL, "vlan 10", 0), 0, "native VLAN tagged");
    cr_assert_gt(rec_count(r.rec, SIM_TR_TAG, "sw1", "vlan 20 (pcp 0) tagged → p8", 0), 0);
    for (guint i = 0; i < r.sent->len; i++) {
        const Sent *s = &g_array_index(r.sent, Sent, i);
        cr_assert(!s->tagged || s->vid == 20, "VID %u on the wire", s->vid);
    }
    finish(&r, true);
}

/* A host that tags its frames plugged into access ports: VID 20 on an
 * access port of VLAN 10 is dropped; VID 10 there is accepted as the
 * member VLAN (the Linux vlan_filtering rule) and leaves untagged. */
Test(vlan, tagged_frame_on_access_port)
{
    Run r = run_text("switch sw\n  port 1-3 access 10\n"
                     "host t\n  interface eth0\n  interface eth0.20 ip 10.0.20.9/24\n"
                     "  interface eth1\n  interface eth1.10 ip 10.0.10.9/24\n"
                     "host a ip 10.0.10.1/24\nhost c ip 10.0.20.1/24\n"
                     "link t.eth0 sw.1\nlink t.eth1 sw.2\nlink a sw.3\n"
                     "switch other\nlink c other.1\n"
                     "at 1s t ping 10.0.20.1 count 1\nat 2s t ping 10.0.10.1 count 1\n",
                     5 * SIM_SEC);
    cr_assert_gt(rec_count(r.rec, SIM_TR_DROP, "sw",
                           "tagged frame (vlan 20) on access port p1 (vlan 10)", 0),
                 0);
    /* a hears the request and answers; the answer goes back untagged, so it
     * reaches t's eth1 and not eth1.10 (as on Linux): no echo completes. */
    cr_assert_gt(rec_count(r.rec, SIM_TR_ARP_REPLY, "a", NULL, 0), 0);
    g_autofree char *t = app_output(r.rec, "t");
    cr_assert(strstr(t, "1 packets transmitted, 0 received"), "%s", t);
    cr_assert_gt(rec_count(r.rec, SIM_TR_UNTAG, "sw", "vlan 10 tag removed → p1,p3", 0), 0);
    finish(&r, false);
}

Test(vlan, l3_switch_routes_between_vlans_with_one_hop)
{
    Run r = run_file("topologies/l3-switch.topo", 10 * SIM_SEC);
    g_autofree char *alex = app_output(r.rec, "alex");
    g_autofree char *yuchao = app_output(r.rec, "yuchao");
    cr_assert(strstr(alex, "from 192.168.10.2: icmp_seq=1 ttl=64"), "switched: %s", alex);
    cr_assert(strstr(alex, "from 192.168.20.1: icmp_seq=1 ttl=63"), "routed once: %s", alex);
    cr_assert(strstr(yuchao, " 1  192.168.10.254 "), "%s", yuchao);
    cr_assert(strstr(yuchao, " 2  192.168.20.2 "), "%s", yuchao);
    cr_assert_null(strstr(yuchao, " 3  "), "%s", yuchao);
    /* The SVI's stack made the routing decisions, with the TTL it wrote. */
    cr_assert_gt(rec_count(r.rec, SIM_TR_ROUTE, "core", "TTL 64→63", 0), 0);
    cr_assert_gt(rec_count(r.rec, SIM_TR_SHOW, "core", "dev vlan20", 0), 0);
    finish(&r, false);
}

Test(vlan, router_on_a_stick_routes_over_one_trunk)
{
    Run r = run_file("topologies/router-on-a-stick.topo", 8 * SIM_SEC);
    g_autofree char *alex = app_output(r.rec, "alex");
    cr_assert(strstr(alex, "from 192.168.20.1: icmp_seq=1 ttl=63"), "%s", alex);
    /* r1 sends VID 10 and VID 20 frames on its one cable. */
    guint v10 = 0, v20 = 0;
    for (guint i = 0; i < r.sent->len; i++) {
        const Sent *s = &g_array_index(r.sent, Sent, i);
        v10 += s->tagged && s->vid == 10;
        v20 += s->tagged && s->vid == 20;
    }
    cr_assert_gt(v10, 0);
    cr_assert_gt(v20, 0);
    finish(&r, true);
}

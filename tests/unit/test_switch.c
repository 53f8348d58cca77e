/* test_switch.c - the learning switch and the hub, driven through the C API
 * by "probe" hosts that send hand-built Ethernet frames and record what
 * they receive. */
#include "sim/core/world.h"
#include "sim/l2/hub.h"
#include "sim/l2/switch.h"
#include "sim/link/iface.h"
#include "sim/link/link.h"
#include "sim/link/node.h"
#include "sim/net/eth.h"
#include "sim/net/packet.h"

#include <criterion/criterion.h>
#include <string.h>

/* ---- probe host ---------------------------------------------------------- */

typedef struct {
    SimNode *node;
    SimIface *nic;
    GPtrArray *frames; /* SimPacket*, one reference each */
} Probe;

static void probe_input(SimNode *node, SimIface *in, SimPacket *pkt)
{
    Probe *p = sim_node_priv(node);
    g_ptr_array_add(p->frames, pkt); /* keeps the reference */
}

static void probe_free(void *priv)
{
    Probe *p = priv;
    g_ptr_array_free(p->frames, TRUE);
    g_free(p);
}

static const SimNodeOps probe_ops = {.input = probe_input, .free_priv = probe_free};

static Probe *probe_new(SimWorld *w, const char *name, uint32_t mac_index)
{
    Probe *p = g_new0(Probe, 1);
    p->frames = g_ptr_array_new_with_free_func((GDestroyNotify)sim_packet_unref);
    p->node = sim_node_new(w, name, SIM_NODE_HOST, &probe_ops, p);
    SimMac mac = sim_mac_local(mac_index);
    p->nic = sim_node_add_iface(p->node, "eth0", &mac);
    sim_iface_set_promisc(p->nic, true); /* record everything on the wire */
    return p;
}

static SimMac probe_mac(const Probe *p)
{
    return *sim_iface_mac(p->nic);
}

/* Sends a 60-byte frame to dst; tag goes into the payload so that frames
 * are distinct. */
static void probe_send(SimWorld *w, Probe *p, const SimMac *dst, uint8_t tag)
{
    SimPacket *pkt = sim_packet_new(sim_world_pool(w), SIM_PACKET_HEADROOM, 46);
    memset(sim_packet_data(pkt), tag, 46);
    SimEthHdr h = {.dst = *dst, .src = probe_mac(p), .ethertype = 0x88b5};
    sim_eth_encode(pkt, &h);
    sim_iface_send(p->nic, pkt);
}

static guint probe_count(const Probe *p)
{
    return p->frames->len;
}

static const uint8_t *probe_last(const Probe *p)
{
    return sim_packet_cdata(g_ptr_array_index(p->frames, p->frames->len - 1));
}

/* ---- trace recorder ------------------------------------------------------ */

typedef struct {
    SimTraceKind kind;
    char *node, *iface, *detail;
    SimTime time;
} Rec;

static void rec_free(gpointer data)
{
    Rec *r = data;
    g_free(r->node);
    g_free(r->iface);
    g_free(r->detail);
    g_free(r);
}

static void record(const SimTraceRecord *tr, void *user)
{
    Rec *r = g_new0(Rec, 1);
    r->kind = tr->kind;
    r->node = g_strdup(tr->node);
    r->iface = g_strdup(tr->iface);
    r->detail = g_strdup(tr->detail);
    r->time = tr->time;
    g_ptr_array_add(user, r);
}

/* Records of `kind` at `node` whose detail contains `sub` (NULL: any). */
static guint count_recs(GPtrArray *recs, SimTraceKind kind, const char *node, const char *sub)
{
    guint n = 0;
    for (guint i = 0; i < recs->len; i++) {
        Rec *r = g_ptr_array_index(recs, i);
        if (r->kind == kind && (!node || g_strcmp0(r->node, node) == 0) &&
            (!sub || strstr(r->detail, sub)))
            n++;
    }
    return n;
}

static Rec *last_rec(GPtrArray *recs, SimTraceKind kind)
{
    for (guint i = recs->len; i-- > 0;) {
        Rec *r = g_ptr_array_index(recs, i);
        if (r->kind == kind)
            return r;
    }
    return NULL;
}

/* ---- fixture: one switch, four probes ------------------------------------ */

typedef struct {
    SimWorld *w;
    GPtrArray *recs;
    SimNode *sw;
    Probe *p[4];
} Lan;

static void link_up(SimWorld *w, SimIface *a, SimIface *b)
{
    SimLinkParams lp;
    sim_link_params_default(&lp);
    sim_link_new(w, a, b, &lp);
}

static void lan_init(Lan *l, const SimSwitchConfig *cfg)
{
    l->w = sim_world_new(1);
    l->recs = g_ptr_array_new_with_free_func(rec_free);
    sim_trace_subscribe(sim_world_trace(l->w), SIM_TRACE_ALL, record, l->recs);
    l->sw = sim_switch_new(l->w, "swA", 4, cfg);
    for (int i = 0; i < 4; i++) {
        char name[8];
        g_snprintf(name, sizeof name, "h%d", i + 1);
        l->p[i] = probe_new(l->w, name, (uint32_t)(0x10 * (i + 1)));
        link_up(l->w, l->p[i]->nic, sim_node_iface(l->sw, (guint)i));
    }
}

static void lan_fini(Lan *l)
{
    sim_world_free(l->w);
    g_ptr_array_free(l->recs, TRUE);
}

static void run_for(SimWorld *w, SimTime dt)
{
    sim_world_run(w, sim_world_now(w) + dt, 0);
}

Test(switch, ports_are_named_and_promiscuous)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    SimNode *sw = sim_switch_new(w, "sw", 3, NULL);
    cr_assert_eq(sim_node_kind(sw), SIM_NODE_SWITCH);
    cr_assert_eq(sim_node_n_ifaces(sw), 3);
    cr_assert_str_eq(sim_iface_name(sim_node_iface(sw, 0)), "1");
    cr_assert_str_eq(sim_iface_name(sim_node_iface(sw, 2)), "3");
    cr_assert(sim_iface_promisc(sim_node_iface(sw, 1)));
    cr_assert_str_eq(sim_bridge_label(sim_switch_bridge(sw), 2), "p3");
    cr_assert_eq(sim_fdb_capacity(sim_switch_fdb(sw)), 8192);
    cr_assert_eq(sim_fdb_aging(sim_switch_fdb(sw)), 300 * SIM_SEC);
    cr_assert_null(sim_switch_fdb(sim_hub_new(w, "hub", 2)));
}

Test(switch, first_frame_floods_then_reply_is_forwarded)
{
    Lan l;
    lan_init(&l, NULL);
    SimMac m1 = probe_mac(l.p[0]), m2 = probe_mac(l.p[1]);
    probe_send(l.w, l.p[0], &m2, 1);
    run_for(l.w, SIM_MS);
    /* Unknown destination: every other port gets it, the sender does not. */
    cr_assert_eq(probe_count(l.p[0]), 0);
    for (int i = 1; i < 4; i++)
        cr_assert_eq(probe_count(l.p[i]), 1, "h%d", i + 1);
    cr_assert_eq(count_recs(l.recs, SIM_TR_LEARN, "swA", "02:00:00:00:00:11 on p1"), 1);
    Rec *fl = last_rec(l.recs, SIM_TR_FLOOD);
    cr_assert_not_null(fl);
    cr_assert_str_eq(fl->detail, "→ p2,p3,p4");
    cr_assert_str_eq(fl->node, "swA");
    cr_assert_str_eq(fl->iface, "1");

    probe_send(l.w, l.p[1], &m1, 2);
    run_for(l.w, SIM_MS);
    cr_assert_eq(probe_count(l.p[0]), 1);
    cr_assert_eq(probe_count(l.p[2]), 1, "a known unicast is not flooded");
    cr_assert_eq(probe_count(l.p[3]), 1);
    Rec *fw = last_rec(l.recs, SIM_TR_FORWARD);
    cr_assert_not_null(fw);
    cr_assert_str_eq(fw->detail, "→ p1 (02:00:00:00:00:11 known on p1)");
    cr_assert_str_eq(fw->iface, "2");
    cr_assert_eq(count_recs(l.recs, SIM_TR_FLOOD, "swA", NULL), 1);

    /* The table holds exactly the two stations that spoke. */
    cr_assert_eq(sim_switch_mac_count(l.sw), 2);
    guint port;
    cr_assert(sim_switch_lookup(l.sw, &m1, 1, &port));
    cr_assert_eq(port, 0);
    cr_assert(sim_switch_lookup(l.sw, &m2, 1, &port));
    cr_assert_eq(port, 1);
    SimMac m3 = probe_mac(l.p[2]);
    cr_assert_not(sim_switch_lookup(l.sw, &m3, 1, &port));

    const SimSwitchStats *st = sim_switch_stats(l.sw);
    cr_assert_eq(st->flooded, 1);
    cr_assert_eq(st->forwarded, 1);
    cr_assert_eq(st->learned, 2);
    const SimBridgePortStats *p1 = sim_switch_port_stats(l.sw, 0);
    cr_assert_eq(p1->rx_frames, 1);
    cr_assert_eq(p1->tx_frames, 1);
    cr_assert_eq(p1->flooded, 1);
    cr_assert_eq(sim_switch_port_stats(l.sw, 2)->flood_out, 1);
    cr_assert_eq(sim_switch_port_stats(l.sw, 1)->forwarded, 1);
    lan_fini(&l);
}

Test(switch, broadcast_always_floods)
{
    Lan l;
    lan_init(&l, NULL);
    SimMac m2 = probe_mac(l.p[1]);
    probe_send(l.w, l.p[1], &SIM_MAC_BROADCAST, 1); /* m2 is now known */
    run_for(l.w, SIM_MS);
    probe_send(l.w, l.p[0], &SIM_MAC_BROADCAST, 2);
    run_for(l.w, SIM_MS);
    cr_assert_eq(probe_count(l.p[1]), 1);
    cr_assert_eq(probe_count(l.p[2]), 2);
    cr_assert_eq(count_recs(l.recs, SIM_TR_FLOOD, "swA", "→ p2,p3,p4"), 1);
    cr_assert_eq(count_recs(l.recs, SIM_TR_FLOOD, "swA", "→ p1,p3,p4"), 1);
    /* A multicast group (01:...) floods too. */
    SimMac mc = {{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}};
    probe_send(l.w, l.p[0], &mc, 3);
    run_for(l.w, SIM_MS);
    cr_assert_eq(probe_count(l.p[3]), 3);
    (void)m2;
    lan_fini(&l);
}

Test(switch, entries_age_out_after_300s_and_flooding_resumes)
{
    Lan l;
    lan_init(&l, NULL);
    SimMac m1 = probe_mac(l.p[0]), m2 = probe_mac(l.p[1]);
    probe_send(l.w, l.p[0], &m2, 1);
    run_for(l.w, SIM_MS);
    probe_send(l.w, l.p[1], &m1, 2);
    run_for(l.w, SIM_MS);
    cr_assert_eq(sim_switch_mac_count(l.sw), 2);
    SimTime learned_at = 0;
    for (guint i = 0; i < l.recs->len; i++) {
        Rec *r = g_ptr_array_index(l.recs, i);
        if (r->kind == SIM_TR_LEARN && strstr(r->detail, "on p2"))
            learned_at = r->time;
    }
    cr_assert_gt(learned_at, 0);

    /* Silence. Just before h2's entry expires it is still there. */
    sim_world_run(l.w, learned_at + 300 * SIM_SEC - 1, 0);
    cr_assert_eq(sim_switch_mac_count(l.sw), 1, "h1 (learned earlier) has gone");
    cr_assert(sim_switch_lookup(l.sw, &m2, 1, NULL));
    sim_world_run(l.w, learned_at + 300 * SIM_SEC, 0);
    cr_assert_eq(sim_switch_mac_count(l.sw), 0);
    cr_assert_eq(sim_fdb_count(sim_switch_fdb(l.sw)), 0, "swept, not only hidden");
    cr_assert_eq(count_recs(l.recs, SIM_TR_AGE, "swA", "02:00:00:00:00:11 on p1 aged out"), 1);
    cr_assert_eq(count_recs(l.recs, SIM_TR_AGE, "swA", "02:00:00:00:00:21 on p2 aged out"), 1);
    Rec *age = last_rec(l.recs, SIM_TR_AGE);
    cr_assert_eq(age->time, learned_at + 300 * SIM_SEC, "a sweep at the exact expiry");
    cr_assert_eq(sim_switch_stats(l.sw)->aged, 2);
    cr_assert_eq(sim_switch_stats(l.sw)->sweeps, 2, "one sweep per distinct expiry");
    cr_assert_eq(sim_evq_size(sim_world_evq(l.w)), 0, "no sweep left with an empty table");

    guint before = probe_count(l.p[2]);
    probe_send(l.w, l.p[1], &m1, 3);
    run_for(l.w, SIM_MS);
    cr_assert_eq(probe_count(l.p[2]), before + 1, "unknown again: flooded");
    cr_assert_eq(count_recs(l.recs, SIM_TR_FLOOD, "swA", NULL), 2);
    lan_fini(&l);
}

Test(switch, traffic_keeps_entries_alive)
{
    Lan l;
    lan_init(&l, NULL);
    SimMac m2 = probe_mac(l.p[1]);
    for (int t = 0; t < 10; t++) { /* h1 speaks every 99 s */
        probe_send(l.w, l.p[0], &m2, (uint8_t)t);
        run_for(l.w, 99 * SIM_SEC);
    }
    SimMac m1 = probe_mac(l.p[0]);
    cr_assert(sim_switch_lookup(l.sw, &m1, 1, NULL));
    cr_assert_eq(count_recs(l.recs, SIM_TR_AGE, "swA", NULL), 0);
    cr_assert_eq(sim_switch_stats(l.sw)->learned, 1);
    /* Sweeps run at most once per aging period here. */
    cr_assert_leq(sim_switch_stats(l.sw)->sweeps, 4);
    lan_fini(&l);
}

Test(switch, filter_when_destination_is_on_ingress_port)
{
    /* h1 and h5 share port 1 through a hub. */
    g_autoptr(SimWorld) w = sim_world_new(1);
    g_autoptr(GPtrArray) recs = g_ptr_array_new_with_free_func(rec_free);
    sim_trace_subscribe(sim_world_trace(w), SIM_TRACE_ALL, record, recs);
    SimNode *sw = sim_switch_new(w, "swA", 2, NULL);
    SimNode *hub = sim_hub_new(w, "hub", 3);
    Probe *h1 = probe_new(w, "h1", 1), *h5 = probe_new(w, "h5", 5), *h2 = probe_new(w, "h2", 2);
    link_up(w, sim_node_iface(hub, 0), sim_node_iface(sw, 0));
    link_up(w, h1->nic, sim_node_iface(hub, 1));
    link_up(w, h5->nic, sim_node_iface(hub, 2));
    link_up(w, h2->nic, sim_node_iface(sw, 1));
    SimMac m1 = probe_mac(h1), m5 = probe_mac(h5);
    probe_send(w, h5, &SIM_MAC_BROADCAST, 1);
    sim_world_run(w, SIM_MS, 0);
    probe_send(w, h1, &m5, 2);
    sim_world_run(w, 2 * SIM_MS, 0);
    cr_assert_eq(probe_count(h5), 1, "the hub delivered it");
    cr_assert_eq(probe_count(h2), 1, "the switch kept it off port 2");
    Rec *f = last_rec(recs, SIM_TR_FILTER);
    cr_assert_not_null(f);
    char mac[SIM_MAC_STRLEN], want[64];
    g_snprintf(want, sizeof want, "destination %s is on ingress port p1", sim_mac_format(&m5, mac));
    cr_assert_str_eq(f->detail, want);
    cr_assert_str_eq(f->node, "swA");
    cr_assert_str_eq(f->iface, "1");
    cr_assert_eq(sim_switch_port_stats(sw, 0)->filtered, 1);
    cr_assert_eq(sim_switch_stats(sw)->filtered, 1);
    guint port;
    cr_assert(sim_switch_lookup(sw, &m1, 1, &port));
    cr_assert_eq(port, 0);
}

Test(switch, station_move_updates_the_port)
{
    Lan l;
    lan_init(&l, NULL);
    /* h3 takes h1's MAC, as if h1 had been re-plugged into port 3. */
    SimMac m1 = probe_mac(l.p[0]), m4 = probe_mac(l.p[3]);
    sim_iface_set_mac(l.p[2]->nic, &m1);
    probe_send(l.w, l.p[0], &m4, 1);
    run_for(l.w, SIM_MS);
    probe_send(l.w, l.p[2], &m4, 2);
    run_for(l.w, SIM_MS);
    cr_assert_eq(count_recs(l.recs, SIM_TR_LEARN, "swA", "02:00:00:00:00:11 moved from p1 to p3"),
                 1);
    guint port;
    cr_assert(sim_switch_lookup(l.sw, &m1, 1, &port));
    cr_assert_eq(port, 2);
    cr_assert_eq(sim_switch_mac_count(l.sw), 1);
    cr_assert_eq(sim_switch_stats(l.sw)->moved, 1);
    guint before1 = probe_count(l.p[0]);
    probe_send(l.w, l.p[3], &m1, 3);
    run_for(l.w, SIM_MS);
    cr_assert_eq(probe_count(l.p[0]), before1, "old port no longer gets its frames");
    cr_assert_eq(probe_count(l.p[2]), 2, "the flood of frame 1, then frame 3");
    lan_fini(&l);
}

Test(switch, full_table_fails_open)
{
    SimSwitchConfig cfg;
    sim_switch_config_default(&cfg);
    cfg.table_capacity = 2;
    Lan l;
    lan_init(&l, &cfg);
    SimMac m[4];
    for (int i = 0; i < 4; i++)
        m[i] = probe_mac(l.p[i]);
    for (int i = 0; i < 4; i++) { /* everyone says hello */
        probe_send(l.w, l.p[i], &SIM_MAC_BROADCAST, (uint8_t)i);
        run_for(l.w, SIM_MS);
    }
    cr_assert_eq(sim_switch_mac_count(l.sw), 2);
    cr_assert(sim_switch_lookup(l.sw, &m[0], 1, NULL));
    cr_assert(sim_switch_lookup(l.sw, &m[1], 1, NULL));
    cr_assert_not(sim_switch_lookup(l.sw, &m[2], 1, NULL));
    cr_assert_eq(sim_switch_stats(l.sw)->learn_full, 2);
    cr_assert_eq(sim_switch_port_stats(l.sw, 3)->learn_full, 1);
    cr_assert_eq(count_recs(l.recs, SIM_TR_LEARN, "swA", "MAC table full"), 1,
                 "reported once, not per frame");
    /* Frames to the unlearned h3 are flooded: everyone sees them. */
    guint before = probe_count(l.p[3]);
    probe_send(l.w, l.p[0], &m[2], 9);
    run_for(l.w, SIM_MS);
    cr_assert_eq(probe_count(l.p[2]), 4);
    cr_assert_eq(probe_count(l.p[3]), before + 1);
    /* Known stations are still switched. */
    probe_send(l.w, l.p[2], &m[1], 10);
    run_for(l.w, SIM_MS);
    cr_assert_eq(probe_count(l.p[3]), before + 1);
    /* After a clear the table has room and learns again; the next full
     * episode is reported again. */
    cr_assert_eq(sim_switch_clear_mac(l.sw, false), 2);
    for (int i = 2; i >= 0; i--) {
        probe_send(l.w, l.p[i], &SIM_MAC_BROADCAST, (uint8_t)(20 + i));
        run_for(l.w, SIM_MS);
    }
    cr_assert(sim_switch_lookup(l.sw, &m[2], 1, NULL));
    cr_assert_eq(count_recs(l.recs, SIM_TR_LEARN, "swA", "MAC table full"), 2);
    lan_fini(&l);
}

Test(switch, hub_repeats_everything_switch_does_not)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    g_autoptr(GPtrArray) recs = g_ptr_array_new_with_free_func(rec_free);
    sim_trace_subscribe(sim_world_trace(w), SIM_TRACE_ALL, record, recs);
    SimNode *hub = sim_hub_new(w, "hub", 3);
    SimNode *sw = sim_switch_new(w, "sw", 3, NULL);
    Probe *hp[3], *sp[3];
    for (int i = 0; i < 3; i++) {
        char name[8];
        g_snprintf(name, sizeof name, "a%d", i);
        hp[i] = probe_new(w, name, (uint32_t)(100 + i));
        link_up(w, hp[i]->nic, sim_node_iface(hub, (guint)i));
        g_snprintf(name, sizeof name, "b%d", i);
        sp[i] = probe_new(w, name, (uint32_t)(200 + i));
        link_up(w, sp[i]->nic, sim_node_iface(sw, (guint)i));
    }
    SimMac ha0 = probe_mac(hp[0]), ha1 = probe_mac(hp[1]);
    SimMac sb0 = probe_mac(sp[0]), sb1 = probe_mac(sp[1]);
    /* A conversation between stations 0 and 1 on each device. */
    for (int k = 0; k < 5; k++) {
        probe_send(w, hp[0], &ha1, (uint8_t)k);
        probe_send(w, sp[0], &sb1, (uint8_t)k);
        sim_world_run(w, sim_world_now(w) + SIM_MS, 0);
        probe_send(w, hp[1], &ha0, (uint8_t)k);
        probe_send(w, sp[1], &sb0, (uint8_t)k);
        sim_world_run(w, sim_world_now(w) + SIM_MS, 0);
    }
    cr_assert_eq(probe_count(hp[2]), 10, "the hub repeats every frame to the bystander");
    cr_assert_eq(probe_count(sp[2]), 1, "the switch floods only the first, unknown one");
    cr_assert_eq(memcmp(probe_last(hp[2]), &ha0, 6), 0);
    cr_assert_eq(count_recs(recs, SIM_TR_FLOOD, "hub", "→ p2,p3"), 5);
    cr_assert_eq(count_recs(recs, SIM_TR_FLOOD, "hub", "→ p1,p3"), 5);
    cr_assert_eq(count_recs(recs, SIM_TR_LEARN, "hub", NULL), 0);
    cr_assert_eq(sim_hub_port_stats(hub, 2)->flood_out, 10);
    cr_assert_not(sim_hub_storm_detected(hub));
}

Test(switch, link_down_flushes_the_port)
{
    Lan l;
    lan_init(&l, NULL);
    SimMac m2 = probe_mac(l.p[1]);
    probe_send(l.w, l.p[1], &SIM_MAC_BROADCAST, 1);
    probe_send(l.w, l.p[0], &SIM_MAC_BROADCAST, 2);
    run_for(l.w, SIM_MS);
    cr_assert_eq(sim_switch_mac_count(l.sw), 2);
    sim_link_set_up(sim_iface_link(l.p[1]->nic), false);
    cr_assert_not(sim_switch_lookup(l.sw, &m2, 1, NULL));
    cr_assert_eq(sim_switch_mac_count(l.sw), 1);
    cr_assert_eq(count_recs(l.recs, SIM_TR_AGE, "swA", "on p2 flushed (p2 went down)"), 1);
    /* Floods skip the down port. */
    probe_send(l.w, l.p[0], &SIM_MAC_BROADCAST, 3);
    run_for(l.w, SIM_MS);
    cr_assert_str_eq(last_rec(l.recs, SIM_TR_FLOOD)->detail, "→ p3,p4");
    lan_fini(&l);
}

Test(switch, static_entries_and_show_mac)
{
    Lan l;
    lan_init(&l, NULL);
    SimMac m4 = probe_mac(l.p[3]);
    g_autoptr(GError) err = NULL;
    cr_assert(sim_switch_add_static(l.sw, &m4, 1, 3, &err));
    cr_assert_not(sim_switch_add_static(l.sw, &m4, 1, 9, &err));
    cr_assert_not_null(err);
    cr_assert(strstr(err->message, "no port 10"));
    /* Static: forwarded without h4 ever speaking, and it never ages. */
    probe_send(l.w, l.p[0], &m4, 1);
    run_for(l.w, SIM_MS);
    cr_assert_eq(probe_count(l.p[3]), 1);
    cr_assert_eq(probe_count(l.p[1]), 0);
    run_for(l.w, 1000 * SIM_SEC);
    cr_assert(sim_switch_lookup(l.sw, &m4, 1, NULL));
    cr_assert_eq(sim_switch_mac_count(l.sw), 1, "h1 aged out, the static entry stayed");

    probe_send(l.w, l.p[1], &m4, 2);
    run_for(l.w, 1500 * SIM_MS);
    g_autofree char *table = sim_switch_format_mac_table(l.sw);
    cr_assert_str_eq(table, "MAC address table of swA (2 entries)\n"
                            "VLAN  MAC address        Type     Port   Age\n"
                            "   1  02:00:00:00:00:21  dynamic  p2     1.49s\n"
                            "   1  02:00:00:00:00:41  static   p4     -\n");
    g_autoptr(GArray) e = sim_switch_mac_entries(l.sw);
    cr_assert_eq(e->len, 2);
    cr_assert_eq(g_array_index(e, SimFdbEntry, 0).port, 1);
    cr_assert_eq(sim_switch_clear_mac(l.sw, false), 1);
    cr_assert_eq(sim_switch_mac_count(l.sw), 1);
    cr_assert_eq(sim_switch_clear_mac(l.sw, true), 1);
    cr_assert_eq(sim_switch_mac_count(l.sw), 0);
    lan_fini(&l);
}

Test(switch, bad_frames_are_dropped)
{
    Lan l;
    lan_init(&l, NULL);
    /* A frame with a multicast source address. */
    SimPacket *pkt = sim_packet_new(sim_world_pool(l.w), SIM_PACKET_HEADROOM, 46);
    SimEthHdr h = {.dst = SIM_MAC_BROADCAST, .src = {{0x01, 0, 0, 0, 0, 1}}, .ethertype = 0x88b5};
    sim_eth_encode(pkt, &h);
    sim_iface_send(l.p[0]->nic, pkt);
    run_for(l.w, SIM_MS);
    cr_assert_eq(probe_count(l.p[1]), 0);
    cr_assert_eq(sim_switch_mac_count(l.sw), 0);
    cr_assert_eq(sim_switch_stats(l.sw)->dropped, 1);
    cr_assert_eq(count_recs(l.recs, SIM_TR_DROP, "swA", "invalid source MAC 01:00:00:00:00:01"), 1);
    lan_fini(&l);
}

Test(switch, no_trace_sink_no_formatting_same_forwarding)
{
    /* Without sinks the switch takes the same decisions. */
    g_autoptr(SimWorld) w = sim_world_new(1);
    SimNode *sw = sim_switch_new(w, "sw", 2, NULL);
    Probe *a = probe_new(w, "a", 1), *b = probe_new(w, "b", 2);
    link_up(w, a->nic, sim_node_iface(sw, 0));
    link_up(w, b->nic, sim_node_iface(sw, 1));
    SimMac mb = probe_mac(b);
    probe_send(w, a, &mb, 1);
    sim_world_run(w, SIM_MS, 0);
    cr_assert_eq(probe_count(b), 1);
    cr_assert_eq(sim_switch_stats(sw)->flooded, 1);
    cr_assert_eq(sim_trace_count(sim_world_trace(w)), 0);
}

/* test_viz_live.c - diagrams of a running scenario (viz/live.h): device
 * tables (tables.h) as label rows, a traced packet's path, the stepper's
 * sim_viz_write_live, and `netsim dot --at/--tables/--path`. The central
 * checks hold the drawing against the JSON trace of `netsim run` on the
 * shipped topologies: the MAC table drawn for a switch is exactly what the
 * trace says it learned by then, and the links a packet is drawn crossing
 * are exactly those its tx records name, numbered in hop order, floods
 * included. Tests run in the source directory. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <graphviz/cgraph.h>
#include <string.h>
#include <sys/wait.h>

#include "../unit/graph_fixtures.h"
#include "../unit/json_dom.h"
#include "../unit/topo_fixtures.h"
#include "run_netsim.h"
#include "sim/core/world.h"
#include "sim/link/node.h"
#include "sim/net/dissect.h"
#include "sim/net/packet.h"
#include "sim/topo/scenario.h"
#include "viz/live.h"
#include "viz/path.h"
#include "viz/tables.h"
#include "sim/link/network.h"

/* ---- helpers ------------------------------------------------------------- */

static char *tmpdir;

static void make_tmp(void)
{
    tmpdir = fx_tmpdir("test_viz_live-XXXXXX");
}

static void remove_tmp(void)
{
    fx_rm_dir(tmpdir);
    g_free(tmpdir);
}

/* Its standard output; it must succeed. */
static char *netsim_ok(const char *const *args)
{
    Run r = netsim(args);
    cr_assert_eq(r.status, 0, "netsim %s failed: %s", args[0], r.err);
    g_free(r.err);
    return r.out;
}

/* One JSON trace record, as far as these tests need it. */
typedef struct {
    char *node, *iface, *kind, *summary, *detail;
    uint64_t uid; /* 0: no packet */
} Rec;

static void rec_free(gpointer p)
{
    Rec *r = p;
    g_free(r->node);
    g_free(r->iface);
    g_free(r->kind);
    g_free(r->summary);
    g_free(r->detail);
    g_free(r);
}

/* `netsim run FILE --trace json [--until T]`, parsed. */
static GPtrArray *json_trace(const char *file, const char *until)
{
    const char *args[] = {"run", file, "--trace", "json", until ? "--until" : NULL, until, NULL};
    g_autofree char *out = netsim_ok(args);
    GPtrArray *recs = g_ptr_array_new_with_free_func(rec_free);
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        if (!lines[i][0])
            continue;
        const char *why = NULL;
        Jv *v = jv_parse(lines[i], -1, &why);
        cr_assert_not_null(v, "line %u: %s", i + 1, why);
        Rec *r = g_new0(Rec, 1);
        r->node = g_strdup(jv_str(v, "node"));
        r->iface = g_strdup(jv_str(v, "iface"));
        r->kind = g_strdup(jv_str(v, "kind"));
        r->summary = g_strdup(jv_str(v, "summary"));
        r->detail = g_strdup(jv_str(v, "detail"));
        Jv *pkt = jv_get(v, "packet");
        if (pkt)
            cr_assert(jv_uint(pkt, "uid", &r->uid));
        g_ptr_array_add(recs, r);
        jv_free(v);
    }
    cr_assert_gt(recs->len, 0);
    return recs;
}

static Agraph_t *dot_graph(const char *const *args)
{
    g_autofree char *out = netsim_ok(args);
    Agraph_t *g = agmemread(out);
    cr_assert_not_null(g, "netsim dot wrote no DOT");
    return g;
}

/* All matches of group 1 (or 0) of pattern in s, in order. */
static GPtrArray *matches(const char *pattern, const char *s)
{
    g_autoptr(GRegex) re = g_regex_new(pattern, 0, 0, NULL);
    g_autoptr(GMatchInfo) mi = NULL;
    GPtrArray *all = g_ptr_array_new_with_free_func(g_free);
    for (g_regex_match(re, s, 0, &mi); g_match_info_matches(mi); g_match_info_next(mi, NULL))
        g_ptr_array_add(all, g_match_info_fetch(mi, g_match_info_get_match_count(mi) > 1));
    return all;
}

/* ---- --tables ------------------------------------------------------------ */

/* "00:0a:a4:2a:3e:4b on p1" -> mac = port, from swA's learn records. */
static GHashTable *learned(const GPtrArray *recs, const char *sw)
{
    GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (guint i = 0; i < recs->len; i++) {
        const Rec *r = g_ptr_array_index(recs, i);
        if (strcmp(r->kind, "learn") || g_strcmp0(r->node, sw))
            continue;
        g_auto(GStrv) w = g_strsplit(r->detail, " ", -1);
        cr_assert(g_strv_length(w) >= 3 && strcmp(w[1], "on") == 0, "%s", r->detail);
        g_hash_table_insert(t, g_strdup(w[0]), g_strdup(w[2])); /* a move overwrites */
    }
    return t;
}

static void check_tables_at(const char *until, guint expect)
{
    g_autoptr(GPtrArray) recs = json_trace("topologies/dorm-room.topo", until);
    g_autoptr(GHashTable) want = learned(recs, "swA");
    cr_assert_eq(g_hash_table_size(want), expect, "at %s", until);
    const char *args[] = {"dot", "topologies/dorm-room.topo", "--at", until, "--tables", NULL};
    g_autoptr(Agraph_t) g = dot_graph(args);
    Agnode_t *sw = agnode(g, (char *)"swA", 0);
    cr_assert_not_null(sw);
    const char *label = attr(sw, "label");
    /* Every MAC in swA's label, with the port in the next cell. */
    g_autoptr(GPtrArray) macs = matches("([0-9a-f]{2}(:[0-9a-f]{2}){5})", label);
    g_autoptr(GPtrArray) rows =
        matches("([0-9a-f]{2}(?::[0-9a-f]{2}){5}</FONT></TD><TD[^>]*><FONT[^>]*>p[0-9]+)<", label);
    cr_assert_eq(macs->len, g_hash_table_size(want), "at %s: %s", until, label);
    cr_assert_eq(rows->len, macs->len, "%s", label);
    for (guint i = 0; i < rows->len; i++) {
        const char *row = g_ptr_array_index(rows, i);
        g_autofree char *mac = g_strndup(row, 17);
        const char *port = strrchr(row, '>') + 1;
        const char *want_port = g_hash_table_lookup(want, mac);
        cr_assert_not_null(want_port, "at %s: %s is drawn but was never learned", until, mac);
        cr_assert_str_eq(port, want_port, "at %s: %s", until, mac);
    }
}

Test(viz_live, tables_show_exactly_the_macs_the_trace_learned)
{
    /* After alex's pings only alex and yuchao; after chen's, all four. */
    check_tables_at("2s", 2);
    check_tables_at("6s", 4);
}

/* ---- --path -------------------------------------------------------------- */

/* The uid of the first frame transmitted whose summary starts with what. */
static uint64_t first_uid(const GPtrArray *recs, const char *what)
{
    for (guint i = 0; i < recs->len; i++) {
        const Rec *r = g_ptr_array_index(recs, i);
        if (strcmp(r->kind, "tx") == 0 && r->uid && g_str_has_prefix(r->summary, what))
            return r->uid;
    }
    cr_assert_fail("no tx of '%s'", what);
    return 0;
}

/* "alex-swA" for an edge, its two ends sorted. */
static char *edge_name(Agedge_t *e)
{
    const char *t = agnameof(agtail(e)), *h = agnameof(aghead(e));
    return strcmp(t, h) < 0 ? g_strconcat(t, "-", h, NULL) : g_strconcat(h, "-", t, NULL);
}

/* Hop numbers drawn on each edge of the path colour: "alex-swA" -> "1". */
static GHashTable *drawn_hops(Agraph_t *g, guint *n_coloured)
{
    GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    *n_coloured = 0;
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
        for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e)) {
            if (strcmp(attr(e, "color"), SIM_VIZ_PATH_COLOUR) != 0) {
                cr_assert_null(strstr(attr(e, "xlabel"), SIM_VIZ_PATH_COLOUR),
                               "an uncoloured edge carries a hop number");
                continue;
            }
            (*n_coloured)++;
            g_autoptr(GPtrArray) m =
                matches("COLOR=\"" SIM_VIZ_PATH_COLOUR "\"[^>]*>([^<]*)<", attr(e, "xlabel"));
            cr_assert_eq(m->len, 1, "%s", attr(e, "xlabel"));
            g_hash_table_insert(t, edge_name(e), g_strdup(g_ptr_array_index(m, 0)));
        }
    return t;
}

static Agraph_t *path_graph(const char *file, uint64_t uid)
{
    g_autofree char *n = g_strdup_printf("%" G_GUINT64_FORMAT, uid);
    const char *args[] = {"dot", file, "--path", n, NULL};
    return dot_graph(args);
}

Test(viz_live, path_colours_exactly_the_edges_crossed_in_hop_order)
{
    g_autoptr(GPtrArray) recs = json_trace("topologies/dorms-router.topo", NULL);
    uint64_t uid = first_uid(recs, "ICMP echo request 192.168.10.1 > 192.168.20.1");
    /* The trace's own account: the devices that transmitted it, in order. */
    g_autoptr(GString) senders = g_string_new(NULL);
    for (guint i = 0; i < recs->len; i++) {
        const Rec *r = g_ptr_array_index(recs, i);
        if (r->uid == uid && strcmp(r->kind, "tx") == 0)
            g_string_append_printf(senders, "%s ", r->node);
    }
    cr_assert_str_eq(senders->str, "alex swA r1 swB ");

    g_autoptr(Agraph_t) g = path_graph("topologies/dorms-router.topo", uid);
    guint coloured;
    g_autoptr(GHashTable) hops = drawn_hops(g, &coloured);
    static const char *const want[][2] = {
        {"alex-swA", "1"}, {"r1-swA", "2"}, {"r1-swB", "3"}, {"bob-swB", "4"}};
    cr_assert_eq(coloured, G_N_ELEMENTS(want), "no other edge is coloured");
    for (gsize k = 0; k < G_N_ELEMENTS(want); k++) {
        const char *got = g_hash_table_lookup(hops, want[k][0]);
        cr_assert_not_null(got, "%s is not coloured", want[k][0]);
        cr_assert_str_eq(got, want[k][1], "%s", want[k][0]);
    }
    cr_assert(strstr(attr(agnode(g, (char *)"bob", 0), "label"), "delivered"));
}

Test(viz_live, a_flooded_frame_marks_every_flooded_edge_and_the_droppers)
{
    g_autoptr(GPtrArray) recs = json_trace("topologies/dorms-router.topo", NULL);
    uint64_t uid = first_uid(recs, "ARP who-has 192.168.10.254");
    /* Where the trace says swA flooded it ("→ p2,p8"). */
    const char *flood = NULL;
    for (guint i = 0; i < recs->len && !flood; i++) {
        const Rec *r = g_ptr_array_index(recs, i);
        if (r->uid == uid && strcmp(r->kind, "flood") == 0 && g_strcmp0(r->node, "swA") == 0)
            flood = r->detail;
    }
    cr_assert_not_null(flood);
    g_autoptr(GPtrArray) ports = matches("(p[0-9]+)", flood);
    cr_assert_eq(ports->len, 2, "%s", flood);

    g_autoptr(Agraph_t) g = path_graph("topologies/dorms-router.topo", uid);
    guint coloured;
    g_autoptr(GHashTable) hops = drawn_hops(g, &coloured);
    cr_assert_eq(coloured, 1 + ports->len);
    cr_assert_str_eq(g_hash_table_lookup(hops, "alex-swA"), "1");
    /* Each flooded port's edge (its swA end labelled with the port, or
     * leaving from the port's cell of swA's panel) is hop 2. */
    Agnode_t *sw = agnode(g, (char *)"swA", 0);
    for (guint k = 0; k < ports->len; k++) {
        const char *port = g_ptr_array_index(ports, k);
        g_autofree char *cell = g_strconcat(port, ":s", NULL);
        bool found = false;
        for (Agedge_t *e = agfstedge(g, sw); e; e = agnxtedge(g, e, sw)) {
            const char *end = attr(e, agtail(e) == sw ? "taillabel" : "headlabel");
            if (strcmp(end, port) && (agtail(e) != sw || strcmp(attr(e, "tailport"), cell)))
                continue;
            g_autofree char *name = edge_name(e);
            cr_assert_str_eq(g_hash_table_lookup(hops, name), "2", "%s (%s)", name, port);
            found = true;
        }
        cr_assert(found, "no edge on swA %s", port);
    }
    cr_assert(strstr(attr(sw, "label"), "flooded"));
    cr_assert(strstr(attr(agnode(g, (char *)"yuchao", 0), "label"), "dropped: not for us"));
}

Test(viz_live, same_input_gives_byte_identical_dot)
{
    const char *args[] = {
        "dot", "topologies/enterprise.topo", "--at", "7s", "--tables", "--path", "19", NULL};
    g_autofree char *a = netsim_ok(args);
    g_autofree char *b = netsim_ok(args);
    cr_assert_str_eq(a, b);
    cr_assert(strstr(a, SIM_VIZ_PATH_COLOUR));
}

/* ---- tables (tables.h) on a scenario run for real ------------------------- */

static SimScenario *scenario_at(const char *file, SimTime until)
{
    g_autoptr(GError) err = NULL;
    SimScenario *sc = sim_scenario_new(fx_load_file(file), 1, &err);
    cr_assert_not_null(sc, "%s", err ? err->message : "");
    sim_world_run(sim_scenario_world(sc), until, 0);
    return sc;
}

static char *rows_of(SimScenario *sc, const char *node, guint max_rows, guint *n_tables)
{
    SimNode *n = sim_network_find_node(sim_network_of(sim_scenario_world(sc)), node);
    cr_assert_not_null(n, "%s", node);
    GString *rows = g_string_new(NULL);
    *n_tables = sim_viz_table_rows(n, max_rows, rows);
    return g_string_free(rows, FALSE);
}

static guint count_matches(const char *pattern, const char *s)
{
    g_autoptr(GPtrArray) m = matches(pattern, s);
    return m->len;
}

#define MAC_RE "[0-9a-f]{2}(:[0-9a-f]{2}){5}"

Test(viz_tables, switch_rows_list_the_learned_stations_with_port_and_age)
{
    /* dorm-room: alex pings yuchao at 1s; at 2s swA knows exactly those two. */
    g_autoptr(SimScenario) sc = scenario_at("topologies/dorm-room.topo", 2 * SIM_SEC);
    guint n;
    g_autofree char *rows = rows_of(sc, "swA", SIM_VIZ_TABLE_MAX_ROWS, &n);
    cr_assert_eq(n, 1);
    cr_assert(strstr(rows, "MAC table (2)"), "%s", rows);
    cr_assert_eq(count_matches(MAC_RE, rows), 2, "%s", rows);
    /* The MAC and its port in one row (the MAC cell, then the port cell). */
    cr_assert(
        g_regex_match_simple("02:00:00:00:00:02</FONT></TD><TD[^>]*><FONT[^>]*>p2<", rows, 0, 0),
        "%s", rows);
    cr_assert_eq(count_matches(">p1<", rows), 1, "%s", rows);
    cr_assert_eq(count_matches(">p2<", rows), 1, "%s", rows);
    /* Ages as `show` prints them: "0.99s" and the like. */
    cr_assert_eq(count_matches(">[0-9]+\\.[0-9]{2}s<", rows), 2, "%s", rows);
    /* The label must stay HTML-like: balanced tables and rows. */
    cr_assert_eq(count_matches("<TABLE", rows), count_matches("</TABLE>", rows));
    cr_assert_eq(count_matches("<TR>", rows), count_matches("</TR>", rows));
}

Test(viz_tables, long_tables_are_capped_with_a_count_of_the_rest)
{
    g_autoptr(SimScenario) sc = scenario_at("topologies/dorm-room.topo", 6 * SIM_SEC);
    guint n;
    g_autofree char *all = rows_of(sc, "swA", SIM_VIZ_TABLE_MAX_ROWS, &n);
    cr_assert_eq(count_matches(MAC_RE, all), 4, "%s", all);
    cr_assert_null(strstr(all, "more"));
    g_autofree char *capped = rows_of(sc, "swA", 3, &n);
    cr_assert(strstr(capped, "MAC table (4)"), "%s", capped);
    cr_assert_eq(count_matches(MAC_RE, capped), 3, "%s", capped);
    cr_assert(strstr(capped, "+1 more"), "%s", capped);
}

Test(viz_tables, hosts_show_arp_routers_arp_and_routes_hubs_nothing)
{
    g_autoptr(SimScenario) sc = scenario_at("topologies/dorms-router.topo", 8 * SIM_SEC);
    guint n;
    g_autofree char *alex = rows_of(sc, "alex", SIM_VIZ_TABLE_MAX_ROWS, &n);
    cr_assert_eq(n, 1);
    /* alex reaches bob through r1: its cache holds the gateway, not bob. */
    cr_assert(strstr(alex, "ARP (1)"), "%s", alex);
    cr_assert(strstr(alex, ">192.168.10.254<"), "%s", alex);
    cr_assert_null(strstr(alex, "192.168.20.1<"), "%s", alex);
    cr_assert_null(strstr(alex, ">eth0<"), "one interface: no dev column: %s", alex);
    g_autofree char *r1 = rows_of(sc, "r1", SIM_VIZ_TABLE_MAX_ROWS, &n);
    cr_assert_eq(n, 2);
    cr_assert(strstr(r1, "ARP (4)"), "%s", r1);
    cr_assert(strstr(r1, "Routes (2)"), "%s", r1);
    cr_assert(strstr(r1, ">192.168.20.0/24<"), "%s", r1);
    cr_assert(strstr(r1, ">direct<"), "%s", r1);
    cr_assert(strstr(r1, ">eth1<"), "%s", r1);

    g_autoptr(SimScenario) hub = scenario_at("topologies/hub-vs-switch.topo", 0);
    SimWorld *w = sim_scenario_world(hub);
    for (guint i = 0; i < sim_network_n_nodes(sim_network_of(w)); i++) {
        SimNode *node = sim_network_node(sim_network_of(w), i);
        g_autoptr(GString) rows = g_string_new(NULL);
        guint k = sim_viz_table_rows(node, 4, rows);
        if (sim_node_kind(node) == SIM_NODE_HUB) {
            cr_assert_eq(k, 0);
            cr_assert_str_empty(rows->str);
        } else {
            cr_assert_geq(k, 1);
            cr_assert(strstr(rows->str, "empty"), "at t=0 every table is empty: %s", rows->str);
        }
    }
}

Test(viz_tables, routes_with_a_gateway_show_it)
{
    g_autoptr(SimScenario) sc = scenario_at("topologies/enterprise.topo", 0);
    guint n;
    g_autofree char *core = rows_of(sc, "core", SIM_VIZ_TABLE_MAX_ROWS, &n);
    cr_assert(g_regex_match_simple(">default<.*?>203\\.0\\.113\\.1<.*?>uplink<", core, 0, 0), "%s",
              core);
}

/* ---- live diagrams (live.h) ----------------------------------------------- */

typedef struct {
    const char *want; /* summary substring */
    uint64_t uid;
} FirstTx;

static void first_tx_cb(const SimTraceRecord *rec, void *user)
{
    FirstTx *f = user;
    char sum[SIM_DISSECT_SUMMARY_LEN];
    if (f->uid || !rec->packet)
        return;
    sim_dissect_summary(sim_packet_cdata(rec->packet), sim_packet_len(rec->packet), sum,
                        sizeof sum);
    if (strstr(sum, f->want))
        f->uid = sim_packet_uid(rec->packet);
}

/* Runs file to `until` following the first frame whose summary contains
 * want; returns the scenario and the path (free the path first). */
static SimScenario *run_following(const char *file, const char *want, SimTime until,
                                  SimVizPath **path)
{
    g_autoptr(GError) err = NULL;
    SimScenario *sc = sim_scenario_new(fx_load_file(file), 1, &err);
    cr_assert_not_null(sc);
    SimWorld *w = sim_scenario_world(sc);
    /* Find the uid in a first run, then follow it in this one: the runs are
     * identical, and the path must be subscribed before the packet exists. */
    g_autoptr(GError) err2 = NULL;
    g_autoptr(SimScenario) probe = sim_scenario_new(fx_load_file(file), 1, &err2);
    FirstTx f = {want, 0};
    SimTraceBus *bus = sim_world_trace(sim_scenario_world(probe));
    guint sub = sim_trace_subscribe(bus, SIM_TRACE_BIT(SIM_TR_TX), first_tx_cb, &f);
    sim_world_run(sim_scenario_world(probe), until, 0);
    sim_trace_unsubscribe(bus, sub);
    cr_assert_neq(f.uid, 0, "no frame like '%s' in %s", want, file);
    *path = sim_viz_path_new(w, sim_scenario_topo(sc), f.uid);
    sim_world_run(w, until, 0);
    return sc;
}

Test(viz_live, a_path_is_coloured_numbered_and_directed_hop_by_hop)
{
    SimVizPath *path;
    g_autoptr(SimScenario) sc =
        run_following("topologies/dorms-router.topo", "ICMP echo request", SIM_TIME_MAX, &path);
    SimVizLive live = {.path = path};
    g_autoptr(Agraph_t) g = sim_viz_scenario_graph(sc, NULL, &live);
    /* Links in file order: alex-swA, yuchao-swA, bob-swB, wei-swB,
     * swA.8-r1.eth0, swB.8-r1.eth1. Edges run from the uplink down. */
    static const struct {
        guint link;
        const char *hop, *dir;
    } want[] = {{0, "1", "back"}, {4, "2", "back"}, {5, "3", "forward"}, {2, "4", "forward"}};
    for (gsize k = 0; k < G_N_ELEMENTS(want); k++) {
        Agedge_t *e = edge_of_link(g, want[k].link);
        cr_assert_str_eq(attr(e, "color"), SIM_VIZ_PATH_COLOUR, "link %u", want[k].link);
        g_autofree char *num = g_strdup_printf(">%s<", want[k].hop);
        cr_assert(strstr(attr(e, "xlabel"), num), "link %u: %s", want[k].link, attr(e, "xlabel"));
        cr_assert_str_eq(attr(e, "dir"), want[k].dir, "link %u", want[k].link);
    }
    cr_assert(strstr(attr(edge_of_link(g, 4), "xlabel"), "1Gbps 5us"), "link parameters stay");
    for (guint l = 1; l <= 3; l += 2) {
        Agedge_t *e = edge_of_link(g, l);
        cr_assert(g_str_has_suffix(attr(e, "color"), "50"), "faded: %s", attr(e, "color"));
        cr_assert_str_empty(attr(e, "xlabel"));
    }
    cr_assert(strstr(attr(node_named(g, "alex"), "label"), "sent"));
    cr_assert_str_eq(attr(node_named(g, "alex"), "color"), SIM_VIZ_PATH_COLOUR);
    cr_assert(strstr(attr(node_named(g, "bob"), "label"), "delivered"));
    cr_assert_str_eq(attr(node_named(g, "bob"), "color"), SIM_VIZ_DELIVER_COLOUR);
    cr_assert_null(strstr(attr(node_named(g, "wei"), "label"), "dropped"));
    cr_assert(strstr(attr(g, "label"), "ICMP echo request 192.168.10.1 &gt; 192.168.20.1") ||
                  strstr(attr(g, "label"), "ICMP echo request 192.168.10.1 > 192.168.20.1"),
              "%s", attr(g, "label"));
    cr_assert(strstr(attr(g, "label"), "(4 hops)"), "%s", attr(g, "label"));
    sim_viz_path_free(path);
}

Test(viz_live, a_flood_marks_the_switch_and_every_flooded_link)
{
    SimVizPath *path;
    g_autoptr(SimScenario) sc = run_following("topologies/dorms-router.topo",
                                              "ARP who-has 192.168.10.254", SIM_TIME_MAX, &path);
    SimVizLive live = {.path = path};
    g_autoptr(Agraph_t) g = sim_viz_scenario_graph(sc, NULL, &live);
    cr_assert(strstr(attr(edge_of_link(g, 0), "xlabel"), ">1<"));
    cr_assert(strstr(attr(edge_of_link(g, 1), "xlabel"), ">2<"));
    cr_assert(strstr(attr(edge_of_link(g, 4), "xlabel"), ">2<"));
    for (guint l = 2; l <= 5; l += l == 3 ? 2 : 1)
        cr_assert_str_neq(attr(edge_of_link(g, l), "color"), SIM_VIZ_PATH_COLOUR, "link %u", l);
    cr_assert(strstr(attr(node_named(g, "swA"), "label"), "flooded"));
    cr_assert_str_eq(attr(node_named(g, "swA"), "color"), SIM_VIZ_FLOOD_COLOUR);
    cr_assert(strstr(attr(node_named(g, "yuchao"), "label"), "dropped: not for us"));
    cr_assert_str_eq(attr(node_named(g, "yuchao"), "color"), SIM_VIZ_DROP_COLOUR);
    sim_viz_path_free(path);
}

static void count_hook(const SimTopo *topo, guint node, Agnode_t *n, GString *rows, gpointer data)
{
    (*(guint *)data)++;
    g_string_append(rows, "<TR><TD>USER-ROW</TD></TR>");
}

Test(viz_live, write_live_draws_tables_deterministically_and_keeps_user_hooks, .init = make_tmp,
     .fini = remove_tmp)
{
    g_autofree char *p1 = g_build_filename(tmpdir, "1.dot", NULL);
    g_autofree char *p2 = g_build_filename(tmpdir, "2.dot", NULL);
    guint calls = 0;
    SimVizOptions o = {.node_hook = count_hook, .hook_data = &calls, .caption = "step 12"};
    for (int i = 0; i < 2; i++) {
        g_autoptr(SimScenario) sc = scenario_at("topologies/dorms-router.topo", 8 * SIM_SEC);
        g_autoptr(GError) err = NULL;
        cr_assert(sim_viz_write_live(sc, &o, i ? p2 : p1, &err), "%s", err ? err->message : "");
    }
    cr_assert_eq(calls, 2 * 7);
    g_autofree char *a = NULL, *b = NULL;
    cr_assert(g_file_get_contents(p1, &a, NULL, NULL));
    cr_assert(g_file_get_contents(p2, &b, NULL, NULL));
    cr_assert_str_eq(a, b);
    g_autoptr(Agraph_t) g = read_dot(p1);
    cr_assert(strstr(attr(node_named(g, "swA"), "label"), "MAC table (3)"));
    cr_assert(strstr(attr(node_named(g, "r1"), "label"), "Routes (2)"));
    cr_assert(strstr(attr(node_named(g, "bob"), "label"), "USER-ROW"));
    cr_assert(strstr(attr(g, "label"), "step 12"));
    cr_assert(strstr(attr(g, "label"), "tables at t=8s"), "%s", attr(g, "label"));
    /* Same nodes and edges as the static drawing. */
    cr_assert_eq(agnnodes(g), 7);
    cr_assert_eq(count_edges(g), 6);
}

Test(viz_live, cli_draws_tables_and_paths_and_rejects_bad_input, .init = make_tmp,
     .fini = remove_tmp)
{
    const char *tables[] = {"dot", "topologies/dorm-room.topo", "--at", "2s", "--tables", NULL};
    g_autofree char *out = netsim_ok(tables);
    g_autoptr(Agraph_t) g = agmemread(out);
    cr_assert_not_null(g);
    cr_assert(strstr(attr(node_named(g, "swA"), "label"), "MAC table (2)"));
    cr_assert(strstr(attr(g, "label"), "tables at t=2s"));

    g_autofree char *png = g_build_filename(tmpdir, "p.png", NULL);
    const char *path[] = {
        "dot", "topologies/dorms-router.topo", "--path", "1", "--tables", "-o", png, NULL};
    g_free(netsim_ok(path));
    g_autofree char *img = NULL;
    gsize len = 0;
    cr_assert(g_file_get_contents(png, &img, &len, NULL));
    cr_assert(len > 8 && memcmp(img, "\x89PNG", 4) == 0);

    const char *bad[][8] = {
        {"dot", "topologies/dorms-router.topo", "--path", "999999", NULL},
        {"dot", "topologies/dorms-router.topo", "--path", "1", "--at", "1ms", NULL},
        {"dot", "topologies/dorms-router.topo", "--path", "x", NULL},
        {"dot", "topologies/dorms-router.topo", "--at", "soon", "--tables", NULL},
        {"dot", "topologies/dorms-router.topo", "--seed", "-1", "--tables", NULL},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        Run r = netsim(bad[i]);
        cr_assert_eq(r.status, 2, "case %zu", i);
        cr_assert_str_empty(r.out, "case %zu", i);
        cr_assert_str_not_empty(r.err, "case %zu", i);
        if (i == 0)
            cr_assert(strstr(r.err, "never appears"), "%s", r.err);
        run_free(&r);
    }
}

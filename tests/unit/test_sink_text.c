/* test_sink_text.c - the text trace's layout (time column, deliver lines,
 * flood port ranges, compact --width mode) and its fast path: the sink's
 * cached summaries and batched writes print exactly what the reference
 * formatter (sim_text_sink_format, no cache) prints, record by record. */
#include "sim/cli/sink_text.h"
#include "sim/core/world.h"
#include "sim/link/node.h"
#include "sim/net/packet.h"
#include "sim/topo/scenario.h"
#include "topo_fixtures.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *fmt(const SimTraceRecord *rec)
{
    GString *out = g_string_new(NULL);
    sim_text_sink_format(rec, out);
    return g_string_free(out, FALSE);
}

/* The node column starts at the same place for every time below 1000 s. */
Test(sink_text, times_up_to_999_s_line_up)
{
    static const SimTime times[] = {
        0, 5 * SIM_MS, 9 * SIM_SEC, 42 * SIM_SEC, 100 * SIM_SEC, 999 * SIM_SEC + 999999999};
    for (size_t i = 0; i < G_N_ELEMENTS(times); i++) {
        SimTraceRecord r = {
            .time = times[i], .kind = SIM_TR_LINK_UP, .node = "r1", .iface = "eth0", .detail = ""};
        g_autofree char *s = fmt(&r);
        cr_assert_eq(strstr(s, "  r1      eth0   link-up") - s, 15, "%s", s);
    }
    SimTraceRecord r = {.time = 1000 * SIM_SEC,
                        .kind = SIM_TR_LINK_UP,
                        .node = "r1",
                        .iface = "eth0",
                        .detail = ""};
    g_autofree char *s = fmt(&r);
    cr_assert_str_eq(s, "  1000.000000000  r1      eth0   link-up");
}

static SimPacket *frame_of(SimWorld *w, const uint8_t *bytes, size_t len)
{
    SimPacket *p = sim_packet_new(sim_world_pool(w), 0, len);
    memcpy(sim_packet_data(p), bytes, len);
    return p;
}

/* An ARP request from 02:00:00:00:00:01 (10.0.0.1) for 10.0.0.2. */
static const uint8_t arp_req[60] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0,  0, 0, 0, 1, 0x08, 0x06, 0, 1, 0x08, 0,  6, 4, 0,
    1,    0x02, 0,    0,    0,    0,    1,    10, 0, 0, 1, 0, 0,    0,    0, 0, 0,    10, 0, 0, 2};

Test(sink_text, deliver_prints_its_detail_once_and_floods_print_port_ranges)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    SimPacket *p = frame_of(w, arp_req, sizeof arp_req);
    SimTraceRecord d = {.time = SIM_SEC,
                        .kind = SIM_TR_DELIVER,
                        .node = "b",
                        .iface = "eth0",
                        .packet = p,
                        .detail = "ICMP echo request id=0x0001 seq=1 from 10.0.0.1"};
    g_autofree char *s = fmt(&d);
    cr_assert_str_eq(s, "    1.000000000  b       eth0   deliver      ICMP echo request "
                        "id=0x0001 seq=1 from 10.0.0.1");
    SimTraceRecord f = {.time = SIM_SEC,
                        .kind = SIM_TR_FLOOD,
                        .node = "sw",
                        .iface = "1",
                        .packet = p,
                        .detail = "→ p2,p3,p4,p5,p8,p10,p11,p13,p14,p15"};
    g_autofree char *s2 = fmt(&f);
    cr_assert_str_eq(s2, "    1.000000000  sw      p1     flood        ARP who-has 10.0.0.2 tell "
                         "10.0.0.1 → p2-p5,p8,p10,p11,p13-p15");
    SimTraceRecord none = f;
    none.detail = "→ (no other port is up)";
    g_autofree char *s3 = fmt(&none);
    cr_assert(g_str_has_suffix(s3, "10.0.0.1 → (no other port is up)"), "%s", s3);
    sim_packet_unref(p);
}

/* Runs a topology with a text sink (optionally compact) into a string and,
 * beside it, formats every record with the uncached reference formatter. */
typedef struct {
    GString *ref;
    guint width;
    GHashTable *labels; /* dorms-router labels yuchao: the node column widens */
} Ref;

static void on_ref(const SimTraceRecord *rec, void *user)
{
    Ref *r = user;
    sim_text_sink_format_labelled(rec, r->labels, r->ref);
    g_string_append_c(r->ref, '\n');
}

static char *run_topology(const char *path, guint width, GString *ref)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(SimScenario) sc = sim_scenario_new(fx_load_file(path), 1, &err);
    cr_assert_not_null(sc, "%s", err ? err->message : "");
    SimWorld *w = sim_scenario_world(sc);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    SimTextSink *sink = sim_text_sink_new(w, f, SIM_TRACE_ALL);
    sim_text_sink_set_width(sink, width);
    Ref r = {ref, width, sim_node_label_table(w)};
    guint sub = ref ? sim_trace_subscribe(sim_world_trace(w), SIM_TRACE_ALL, on_ref, &r) : 0;
    sim_world_run(w, 400 * SIM_SEC, 0);
    if (sub)
        sim_trace_unsubscribe(sim_world_trace(w), sub);
    if (r.labels)
        g_hash_table_unref(r.labels);
    sim_text_sink_finish(sink);
    sim_text_sink_free(sink);
    fclose(f);
    return buf;
}

Test(sink_text, cached_and_batched_output_equals_the_reference_formatter)
{
    static const char *const topos[] = {"topologies/dorms-router.topo",
                                        "topologies/enterprise.topo", "topologies/internet.topo"};
    for (size_t i = 0; i < G_N_ELEMENTS(topos); i++) {
        g_autoptr(GString) ref = g_string_new(NULL);
        g_autofree char *out = run_topology(topos[i], 0, ref);
        cr_assert_gt(ref->len, 10000, "%s", topos[i]);
        cr_assert_str_eq(out, ref->str, "%s", topos[i]);
    }
}

/* --width 80: every trace line fits in 80 columns, cut ones end in "…";
 * application output and tables are not cut. */
Test(sink_text, compact_mode_fits_the_width)
{
    g_autofree char *full = run_topology("topologies/internet.topo", 0, NULL);
    g_autofree char *out = run_topology("topologies/internet.topo", 80, NULL);
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    guint cut = 0, trace = 0;
    for (char **l = lines; *l; l++) {
        glong cols = g_utf8_strlen(*l, -1);
        bool is_trace = g_ascii_isdigit((*l)[0]) || ((*l)[0] == ' ' && g_ascii_isdigit((*l)[2]));
        if (!is_trace)
            continue;
        trace++;
        cr_assert_leq(cols, 80, "%ld columns: %s", cols, *l);
        cut += g_str_has_suffix(*l, "…");
    }
    cr_assert_gt(trace, 300);
    cr_assert_gt(cut, 50, "long lines are cut");
    cr_assert(strstr(out, "\n  1.034821 cloud  eth0  deliver      ICMP echo request id=0xf42b "
                          "seq=1 from 192…\n"),
              "%s", out);
    /* ping and traceroute output is the same as in the full layout */
    cr_assert(strstr(out, "4008 bytes from 203.0.113.10: icmp_seq=1 ttl=60"), "%s", out);
    cr_assert(strstr(full, "4008 bytes from 203.0.113.10: icmp_seq=1 ttl=60"));
}

/* With the app prefix, every line of a multi-line app record names the
 * host; tables (show) and trace lines do not change. */
Test(sink_text, app_prefix_on_every_line)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    SimTextSink *sink = sim_text_sink_new(w, f, SIM_TRACE_ALL);
    sim_text_sink_set_app_prefix(sink, true);
    sim_world_tracef(w, SIM_TR_APP, SIM_DROP_NONE, "alex", NULL, NULL, "%s",
                     "--- 10.0.0.2 ping statistics ---\n1 packets transmitted, 1 received\n");
    sim_world_tracef(w, SIM_TR_SHOW, SIM_DROP_NONE, "swA", NULL, NULL, "%s", "swA# show swA mac");
    sim_world_tracef(w, SIM_TR_APP, SIM_DROP_NONE, NULL, NULL, NULL, "%s", "no host");
    sim_text_sink_free(sink);
    fclose(f);
    cr_assert_str_eq(buf, "alex: --- 10.0.0.2 ping statistics ---\n"
                          "alex: 1 packets transmitted, 1 received\n"
                          "swA# show swA mac\n"
                          "no host\n");
    free(buf);
}

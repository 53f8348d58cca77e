/* test_sinks.c - text, JSON and pcap trace sinks on a hand-built world:
 * two hosts on one link exchange an ARP request and an ICMP echo, a frame
 * is sent out of an unconnected NIC, and a few switch/app records are
 * emitted directly. The pcap files are checked byte by byte and by tshark. */
#include "json_dom.h"
#include "sim/cli/sink_json.h"
#include "sim/cli/sink_pcap.h"
#include "sim/cli/sink_text.h"
#include "sim/core/world.h"
#include "sim/link/iface.h"
#include "sim/link/link.h"
#include "sim/link/node.h"
#include "sim/net/arp_hdr.h"
#include "sim/net/eth.h"
#include "sim/net/icmp_hdr.h"
#include "sim/net/ipv4_hdr.h"
#include "sim/net/packet.h"
#include "sim/link/network.h"

#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

static const SimMac MAC_ALEX = {{0x00, 0x0a, 0xa4, 0x2a, 0x3e, 0x4b}};
static const SimMac MAC_YUCHAO = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}};
static const SimMac MAC_BCAST = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
#define IP_ALEX 0xc0a80a01u   /* 192.168.10.1 */
#define IP_YUCHAO 0xc0a80a02u /* 192.168.10.2 */

static void drop_input(SimNode *node, SimIface *in, SimPacket *pkt)
{
    sim_packet_unref(pkt);
}
static const SimNodeOps host_ops = {.input = drop_input};

/* ---- frames ------------------------------------------------------------ */

static SimPacket *arp_request(SimWorld *w)
{
    SimPacket *p = sim_packet_new(sim_world_pool(w), SIM_PACKET_HEADROOM, 0);
    SimArpHdr arp = {.oper = SIM_ARP_REQUEST, .sha = MAC_ALEX, .spa = IP_ALEX, .tpa = IP_YUCHAO};
    sim_arp_hdr_encode(p, &arp);
    SimEthHdr eth = {.dst = MAC_BCAST, .src = MAC_ALEX, .ethertype = SIM_ETHERTYPE_ARP};
    sim_eth_encode(p, &eth);
    return p; /* 42 bytes: the NIC pads it */
}

static SimPacket *echo_request(SimWorld *w)
{
    SimPacket *p = sim_packet_new(sim_world_pool(w), SIM_PACKET_HEADROOM, 56);
    uint8_t *d = sim_packet_data(p);
    for (int i = 0; i < 56; i++)
        d[i] = (uint8_t)(0x10 + i);
    SimIcmpHdr icmp = {.type = SIM_ICMP_ECHO_REQUEST, .id = 1, .seq = 1};
    sim_icmp_hdr_encode(p, &icmp);
    SimIpv4Hdr ip = {.id = 0x1234,
                     .df = TRUE,
                     .ttl = 64,
                     .proto = SIM_IPPROTO_ICMP,
                     .src = IP_ALEX,
                     .dst = IP_YUCHAO};
    sim_ipv4_hdr_encode(p, &ip);
    SimEthHdr eth = {.dst = MAC_YUCHAO, .src = MAC_ALEX, .ethertype = SIM_ETHERTYPE_IPV4};
    sim_eth_encode(p, &eth);
    return p; /* 98 bytes */
}

/* ---- scenario ---------------------------------------------------------- */

typedef struct {
    SimWorld *w;
    SimPacket *flooded; /* reference held for the flood record */
} Scene;

static void switch_records(void *ctx, void *arg)
{
    Scene *s = ctx;
    SIM_TRACE(s->w, SIM_TR_LEARN, SIM_DROP_NONE, "swA", "p1", NULL, "00:0a:a4:2a:3e:4b on p1");
    SIM_TRACE(s->w, SIM_TR_FLOOD, SIM_DROP_NONE, "swA", "p1", s->flooded, "\u2192 p2,p3,p8");
}

static void app_records(void *ctx, void *arg)
{
    Scene *s = ctx;
    SIM_TRACE(s->w, SIM_TR_APP, SIM_DROP_NONE, "alex", NULL, NULL,
              "64 bytes from 192.168.10.2: icmp_seq=1 ttl=64 time=0.014 ms");
    SIM_TRACE(s->w, SIM_TR_SHOW, SIM_DROP_NONE, "swA", NULL, NULL,
              "MAC table of swA\n  00:0a:a4:2a:3e:4b  p1\n");
}

/* Builds alex.eth0 <-> yuchao.eth0 (alex.eth1 unconnected) and queues the
 * traffic; the sinks must be subscribed before this, since the first tx
 * record is emitted during setup. */
static void scene_start(Scene *s)
{
    SimWorld *w = s->w;
    SimNode *alex = sim_node_new(w, "alex", SIM_NODE_HOST, &host_ops, NULL);
    SimNode *yuchao = sim_node_new(w, "yuchao", SIM_NODE_HOST, &host_ops, NULL);
    SimIface *a0 = sim_node_add_iface(alex, "eth0", &MAC_ALEX);
    SimIface *a1 = sim_node_add_iface(alex, "eth1", &MAC_ALEX);
    SimIface *y0 = sim_node_add_iface(yuchao, "eth0", &MAC_YUCHAO);
    SimLinkParams lp;
    sim_link_params_default(&lp); /* 100 Mbps, 1 us */
    sim_link_new(w, a0, y0, &lp);
    sim_iface_send(a0, arp_request(w));
    sim_iface_send(a0, echo_request(w)); /* queued behind the ARP request */
    sim_iface_send(a1, arp_request(w));  /* dropped: not connected */
    s->flooded = arp_request(w);
    sim_world_schedule_at(w, 12300, switch_records, s, NULL);
    sim_world_schedule_at(w, 20000, app_records, s, NULL);
}

static void scene_finish(Scene *s)
{
    cr_assert_eq(sim_world_run(s->w, SIM_TIME_MAX, 0), SIM_RUN_IDLE);
    sim_packet_unref(s->flooded);
    s->flooded = NULL;
}

static const char *const expected_text[] = {
    "    0.000000000  alex    eth0   tx           ARP who-has 192.168.10.2 tell 192.168.10.1 "
    "(60 bytes)",
    "    0.000000000  alex    eth1   drop         ARP who-has 192.168.10.2 tell 192.168.10.1 "
    "\u2014 interface not connected",
    "    0.000004800  alex    eth0   tx           ICMP echo request 192.168.10.1 > 192.168.10.2 "
    "id=0x0001 seq=1 ttl=64 (98 bytes)",
    "    0.000005800  yuchao  eth0   rx           ARP who-has 192.168.10.2 tell 192.168.10.1 "
    "(60 bytes)",
    "    0.000012300  swA     p1     learn        00:0a:a4:2a:3e:4b on p1",
    "    0.000012300  swA     p1     flood        ARP who-has 192.168.10.2 tell 192.168.10.1 "
    "\u2192 p2,p3,p8",
    "    0.000013640  yuchao  eth0   rx           ICMP echo request 192.168.10.1 > 192.168.10.2 "
    "id=0x0001 seq=1 ttl=64 (98 bytes)",
    "64 bytes from 192.168.10.2: icmp_seq=1 ttl=64 time=0.014 ms",
    "MAC table of swA",
    "  00:0a:a4:2a:3e:4b  p1",
};

/* Runs the scene with a text sink of the given mask; returns the output. */
static char *run_text(SimTraceMask mask)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    Scene s = {sim_world_new(1), NULL};
    SimTextSink *sink = sim_text_sink_new(s.w, f, mask);
    scene_start(&s);
    scene_finish(&s);
    sim_text_sink_free(sink);
    sim_world_free(s.w);
    fclose(f);
    return buf;
}

static char *run_json(void)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    Scene s = {sim_world_new(1), NULL};
    SimJsonSink *sink = sim_json_sink_new(s.w, f, SIM_TRACE_ALL);
    scene_start(&s);
    scene_finish(&s);
    cr_assert_eq(sim_json_sink_count(sink), 9);
    sim_json_sink_free(sink);
    sim_world_free(s.w);
    fclose(f);
    return buf;
}

/* ---- text -------------------------------------------------------------- */

Test(sinks, text_lines_are_exact)
{
    g_autofree char *out = run_text(SIM_TRACE_ALL);
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    guint n = g_strv_length(lines);
    cr_assert_eq(n, G_N_ELEMENTS(expected_text) + 1, "got:\n%s", out);
    for (guint i = 0; i < G_N_ELEMENTS(expected_text); i++)
        cr_assert_str_eq(lines[i], expected_text[i], "line %u", i);
    cr_assert_str_eq(lines[n - 1], "", "output ends with a newline");
}

Test(sinks, text_quiet_mask_prints_only_app_and_show)
{
    g_autofree char *out = run_text(SIM_TEXT_SINK_QUIET_MASK);
    cr_assert_str_eq(out, "64 bytes from 192.168.10.2: icmp_seq=1 ttl=64 time=0.014 ms\n"
                          "MAC table of swA\n  00:0a:a4:2a:3e:4b  p1\n");
}

static char *format_one(const SimTraceRecord *rec)
{
    GString *out = g_string_new("> "); /* format appends */
    sim_text_sink_format(rec, out);
    return g_string_free(out, FALSE);
}

Test(sinks, text_format_edge_cases)
{
    /* Long names push the columns instead of being cut; no node prints "-". */
    SimTraceRecord r1 = {.time = 12 * SIM_SEC + 5,
                         .kind = SIM_TR_ARP_REQUEST,
                         .node = "core-router-7",
                         .iface = "GigabitEthernet0/1",
                         .detail = "who-has 10.0.0.1"};
    g_autofree char *s1 = format_one(&r1);
    cr_assert_str_eq(s1, ">    12.000000005  core-router-7 GigabitEthernet0/1 arp-request  "
                         "who-has 10.0.0.1");
    /* Drop without a packet: the reason, then a detail that says more. */
    SimTraceRecord r2 = {.kind = SIM_TR_DROP, .reason = SIM_DROP_NO_ROUTE, .detail = "to 10.9.9.9"};
    g_autofree char *s2 = format_one(&r2);
    cr_assert_str_eq(s2, ">     0.000000000  -       -      drop         no route (to 10.9.9.9)");
    /* No detail at all: no trailing blanks. */
    SimTraceRecord r3 = {.kind = SIM_TR_LINK_UP, .node = "r1", .iface = "eth0", .detail = ""};
    g_autofree char *s3 = format_one(&r3);
    cr_assert_str_eq(s3, ">     0.000000000  r1      eth0   link-up");
    /* show keeps inner newlines, loses the trailing one. */
    SimTraceRecord r4 = {.kind = SIM_TR_SHOW, .detail = "a\n b\n\n"};
    g_autofree char *s4 = format_one(&r4);
    cr_assert_str_eq(s4, "> a\n b");
}

/* ---- json -------------------------------------------------------------- */

static GPtrArray *parse_lines(const char *out)
{
    GPtrArray *recs = g_ptr_array_new_with_free_func((GDestroyNotify)jv_free);
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    guint n = g_strv_length(lines);
    cr_assert_str_eq(lines[n - 1], "");
    for (guint i = 0; i + 1 < n; i++) {
        const char *err = NULL;
        Jv *v = jv_parse(lines[i], -1, &err);
        cr_assert_not_null(v, "line %u: %s: %s", i, err, lines[i]);
        g_ptr_array_add(recs, v);
    }
    return recs;
}

Test(sinks, json_lines_have_keys_and_values)
{
    g_autofree char *out = run_json();
    g_autoptr(GPtrArray) recs = parse_lines(out);
    cr_assert_eq(recs->len, 9);
    static const struct {
        const char *kind, *node, *iface, *reason;
        uint64_t time;
        bool packet;
    } want[] = {
        {"tx", "alex", "eth0", "", 0, true},
        {"drop", "alex", "eth1", "interface not connected", 0, true},
        {"tx", "alex", "eth0", "", 4800, true},
        {"rx", "yuchao", "eth0", "", 5800, true},
        {"learn", "swA", "p1", "", 12300, false},
        {"flood", "swA", "p1", "", 12300, true},
        {"rx", "yuchao", "eth0", "", 13640, true},
        {"app", "alex", "", "", 20000, false},
        {"show", "swA", "", "", 20000, false},
    };
    for (guint i = 0; i < recs->len; i++) {
        const Jv *r = g_ptr_array_index(recs, i);
        uint64_t id, t, ev;
        cr_assert(jv_uint(r, "id", &id) && id == i + 1);
        cr_assert(jv_uint(r, "event", &ev));
        cr_assert(jv_uint(r, "time_ns", &t) && t == want[i].time, "record %u", i);
        cr_assert_eq(ev == 0, t == 0, "only setup records have event 0");
        cr_assert_str_eq(jv_str(r, "kind"), want[i].kind);
        cr_assert_str_eq(jv_str(r, "node"), want[i].node);
        cr_assert_str_eq(jv_str(r, "iface"), want[i].iface);
        cr_assert_str_eq(jv_str(r, "reason"), want[i].reason);
        cr_assert_not_null(jv_str(r, "summary"));
        cr_assert_not_null(jv_str(r, "detail"));
        cr_assert_eq(jv_get(r, "packet") != NULL, want[i].packet, "record %u", i);
    }
    const Jv *echo = g_ptr_array_index(recs, 2);
    cr_assert_str_eq(jv_str(echo, "summary"),
                     "ICMP echo request 192.168.10.1 > 192.168.10.2 id=0x0001 seq=1 ttl=64");
    cr_assert_str_eq(jv_str(echo, "detail"), "98 bytes");
    const Jv *pkt = jv_get(echo, "packet");
    uint64_t len;
    cr_assert(jv_uint(pkt, "len", &len) && len == 98);
    const Jv *layers = jv_get(pkt, "layers");
    static const char *const names[] = {"eth", "ip", "icmp", "data"};
    cr_assert_eq(layers->items->len, G_N_ELEMENTS(names));
    for (guint i = 0; i < G_N_ELEMENTS(names); i++)
        cr_assert_str_eq(jv_str(g_ptr_array_index(layers->items, i), "name"), names[i]);
    const Jv *ipf = jv_get(g_ptr_array_index(layers->items, 1), "fields");
    cr_assert_str_eq(jv_str(ipf, "ip.src"), "192.168.10.1");
    cr_assert_str_eq(jv_str(ipf, "ip.dst"), "192.168.10.2");
    cr_assert_str_eq(jv_str(ipf, "ip.ttl"), "64");
    cr_assert_str_eq(jv_str(ipf, "ip.checksum.status"), "Good");
    /* The same frame keeps its uid from tx to rx. */
    uint64_t uid_tx, uid_rx;
    cr_assert(jv_uint(pkt, "uid", &uid_tx));
    cr_assert(jv_uint(jv_get(g_ptr_array_index(recs, 6), "packet"), "uid", &uid_rx));
    cr_assert_eq(uid_tx, uid_rx);
    /* Records without a packet: summary is the detail. */
    const Jv *show = g_ptr_array_index(recs, 8);
    cr_assert_str_eq(jv_str(show, "summary"), "MAC table of swA\n  00:0a:a4:2a:3e:4b  p1\n");
    cr_assert_str_eq(jv_str(show, "detail"), jv_str(show, "summary"));
}

/* ---- pcap -------------------------------------------------------------- */

static void rm_rf(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
        const char *name;
        while (d && (name = g_dir_read_name(d))) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            rm_rf(child);
        }
    }
    g_remove(path);
}

typedef struct {
    uint64_t t;
    GBytes *frame;
} PcapRec;

/* Reads a classic little-endian nanosecond pcap; asserts on its header. */
static GArray *read_pcap(const char *path)
{
    g_autofree char *data = NULL;
    gsize n = 0;
    cr_assert(g_file_get_contents(path, &data, &n, NULL), "%s missing", path);
    const uint8_t *b = (const uint8_t *)data;
    cr_assert_geq(n, 24);
    cr_assert_eq(GUINT32_FROM_LE(*(const uint32_t *)b), 0xa1b23c4du);
    cr_assert_eq(GUINT32_FROM_LE(*(const uint32_t *)(b + 20)), 1u); /* Ethernet */
    GArray *recs = g_array_new(FALSE, FALSE, sizeof(PcapRec));
    for (gsize off = 24; off < n;) {
        cr_assert_leq(off + 16, n);
        uint32_t sec = GUINT32_FROM_LE(*(const uint32_t *)(b + off));
        uint32_t ns = GUINT32_FROM_LE(*(const uint32_t *)(b + off + 4));
        uint32_t caplen = GUINT32_FROM_LE(*(const uint32_t *)(b + off + 8));
        uint32_t origlen = GUINT32_FROM_LE(*(const uint32_t *)(b + off + 12));
        cr_assert_eq(caplen, origlen);
        cr_assert_leq(off + 16 + caplen, n);
        PcapRec r = {(uint64_t)sec * SIM_SEC + ns, g_bytes_new(b + off + 16, caplen)};
        g_array_append_val(recs, r);
        off += 16 + caplen;
    }
    return recs;
}

static void free_pcap(GArray *recs)
{
    for (guint i = 0; i < recs->len; i++)
        g_bytes_unref(g_array_index(recs, PcapRec, i).frame);
    g_array_free(recs, TRUE);
}

/* tshark must read the file, count `frames` frames, and flag nothing. */
static void tshark_check(const char *path, guint frames, const char *times)
{
    g_autofree char *tshark = g_find_program_in_path("tshark");
    cr_assert_not_null(tshark, "tshark is required (apt-get install tshark)");
    const char *argv[] = {tshark, "-n", "-r", path, "-V", "-o", "ip.check_checksum:TRUE", NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = 0;
    cr_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                           &status, NULL));
    cr_assert(g_spawn_check_wait_status(status, NULL), "tshark failed: %s", err);
    cr_assert_null(strstr(out, "Malformed"), "%s", out);
    cr_assert_null(strstr(out, "Expert Info (Error"), "%s", out);
    cr_assert_null(strstr(out, "[Bad"), "%s", out);
    g_autofree char *last = g_strdup_printf("\nFrame %u:", frames);
    g_autofree char *extra = g_strdup_printf("\nFrame %u:", frames + 1);
    cr_assert(g_str_has_prefix(out, "Frame 1:") && (frames == 1 || strstr(out, last)), "%s", out);
    cr_assert_null(strstr(out, extra));
    /* Timestamps are simulated time since the epoch, to the nanosecond. */
    const char *argv2[] = {tshark, "-n", "-r", path, "-T", "fields", "-e", "frame.time_epoch",
                           NULL};
    g_autofree char *out2 = NULL, *err2 = NULL;
    cr_assert(g_spawn_sync(NULL, (char **)argv2, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out2, &err2,
                           &status, NULL));
    cr_assert_str_eq(out2, times);
}

Test(sinks, pcap_one_file_per_interface)
{
    g_autofree char *tmp = g_dir_make_tmp("netsim-sinks-XXXXXX", NULL);
    cr_assert_not_null(tmp);
    g_autofree char *dir = g_build_filename(tmp, "caps", "run1", NULL); /* parents created */
    Scene s = {sim_world_new(1), NULL};
    g_autoptr(GError) error = NULL;
    SimPcapSink *sink = sim_pcap_sink_new(s.w, dir, &error);
    cr_assert_not_null(sink, "%s", error ? error->message : "");
    scene_start(&s);
    scene_finish(&s);
    cr_assert(sim_pcap_sink_close(sink, &error), "%s", error ? error->message : "");
    cr_assert_eq(sim_pcap_sink_n_files(sink), 2);
    cr_assert_eq(sim_pcap_sink_frames(sink), 4);
    g_autofree char *pa = g_build_filename(dir, "alex-eth0.pcap", NULL);
    g_autofree char *py = g_build_filename(dir, "yuchao-eth0.pcap", NULL);
    g_autofree char *pnone = g_build_filename(dir, "alex-eth1.pcap", NULL);
    cr_assert_str_eq(sim_pcap_sink_path(sink, 0), pa);
    cr_assert_str_eq(sim_pcap_sink_path(sink, 1), py);
    cr_assert_not(g_file_test(pnone, G_FILE_TEST_EXISTS), "no frame, no file");
    sim_pcap_sink_free(sink);
    sim_world_free(s.w);

    GArray *ra = read_pcap(pa), *ry = read_pcap(py);
    cr_assert_eq(ra->len, 2);
    cr_assert_eq(ry->len, 2);
    static const uint64_t ta[] = {0, 4800}, ty[] = {5800, 13640};
    static const size_t lens[] = {60, 98};
    for (guint i = 0; i < 2; i++) {
        PcapRec *a = &g_array_index(ra, PcapRec, i), *y = &g_array_index(ry, PcapRec, i);
        cr_assert_eq(a->t, ta[i]);
        cr_assert_eq(y->t, ty[i]);
        cr_assert_eq(g_bytes_get_size(a->frame), lens[i]);
        cr_assert(g_bytes_equal(a->frame, y->frame), "the same bytes on both ends");
    }
    const uint8_t *arp = g_bytes_get_data(g_array_index(ra, PcapRec, 0).frame, NULL);
    cr_assert(memcmp(arp, MAC_BCAST.b, 6) == 0);
    free_pcap(ra);
    free_pcap(ry);
    tshark_check(pa, 2, "0.000000000\n0.000004800\n");
    tshark_check(py, 2, "0.000005800\n0.000013640\n");
    rm_rf(tmp);
}

static void one_frame_between(SimWorld *w, const char *n1, const char *i1, const char *n2,
                              const char *i2)
{
    SimNode *a = sim_node_new(w, n1, SIM_NODE_HOST, &host_ops, NULL);
    SimNode *b = sim_node_new(w, n2, SIM_NODE_HOST, &host_ops, NULL);
    SimIface *ia = sim_node_add_iface(a, i1, &MAC_ALEX);
    SimIface *ib = sim_node_add_iface(b, i2, &MAC_YUCHAO);
    SimLinkParams lp;
    sim_link_params_default(&lp);
    sim_link_new(w, ia, ib, &lp);
    sim_iface_send(ia, arp_request(w));
}

Test(sinks, pcap_names_are_sanitized_and_unique)
{
    g_autofree char *tmp = g_dir_make_tmp("netsim-sinks-XXXXXX", NULL);
    g_autoptr(SimWorld) w = sim_world_new(1);
    SimPcapSink *sink = sim_pcap_sink_new(w, tmp, NULL);
    cr_assert_not_null(sink);
    /* "a-b" + "c" and "a" + "b-c" both want a-b-c.pcap. */
    one_frame_between(w, "a-b", "c", "a", "b-c");
    one_frame_between(w, "r/1", "Gi 0/1", "h", "e0");
    sim_world_run(w, SIM_TIME_MAX, 0);
    cr_assert(sim_pcap_sink_close(sink, NULL));
    static const char *const want[] = {"a-b-c.pcap", "r_1-Gi_0_1.pcap", "a-b-c-2.pcap",
                                       "h-e0.pcap"};
    cr_assert_eq(sim_pcap_sink_n_files(sink), G_N_ELEMENTS(want));
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
        g_autofree char *base = g_path_get_basename(sim_pcap_sink_path(sink, i));
        cr_assert_str_eq(base, want[i]);
        cr_assert(g_file_test(sim_pcap_sink_path(sink, i), G_FILE_TEST_IS_REGULAR));
    }
    sim_pcap_sink_free(sink);
    rm_rf(tmp);
}

Test(sinks, pcap_errors_are_reported)
{
    g_autofree char *tmp = g_dir_make_tmp("netsim-sinks-XXXXXX", NULL);
    /* The directory cannot be created under a regular file. */
    g_autofree char *file = g_build_filename(tmp, "plain", NULL);
    cr_assert(g_file_set_contents(file, "x", 1, NULL));
    g_autofree char *bad = g_build_filename(file, "caps", NULL);
    g_autoptr(SimWorld) w = sim_world_new(1);
    g_autoptr(GError) error = NULL;
    cr_assert_null(sim_pcap_sink_new(w, bad, &error));
    cr_assert_not_null(error);
    cr_assert(strstr(error->message, "caps"), "%s", error->message);
    g_clear_error(&error);
    /* A capture file that cannot be opened: the run goes on, close reports. */
    g_autofree char *blocker = g_build_filename(tmp, "alex-eth0.pcap", NULL);
    cr_assert_eq(g_mkdir(blocker, 0700), 0);
    SimPcapSink *sink = sim_pcap_sink_new(w, tmp, &error);
    cr_assert_not_null(sink);
    one_frame_between(w, "alex", "eth0", "yuchao", "eth0");
    sim_iface_send(sim_node_iface(sim_network_find_node(sim_network_of(w), "alex"), 0),
                   arp_request(w));
    sim_world_run(w, SIM_TIME_MAX, 0);
    cr_assert_not(sim_pcap_sink_close(sink, &error));
    cr_assert(strstr(error->message, "alex-eth0.pcap"), "%s", error->message);
    cr_assert_eq(sim_pcap_sink_frames(sink), 2, "yuchao-eth0 still got both frames");
    sim_pcap_sink_free(sink);
    rm_rf(tmp);
}

/* ---- determinism ------------------------------------------------------- */

static GBytes *slurp(const char *path)
{
    char *data = NULL;
    gsize n = 0;
    cr_assert(g_file_get_contents(path, &data, &n, NULL));
    return g_bytes_new_take(data, n);
}

Test(sinks, same_run_same_bytes)
{
    g_autofree char *t1 = run_text(SIM_TRACE_ALL), *t2 = run_text(SIM_TRACE_ALL);
    cr_assert_str_eq(t1, t2);
    g_autofree char *j1 = run_json(), *j2 = run_json();
    cr_assert_str_eq(j1, j2);
    g_autofree char *tmp = g_dir_make_tmp("netsim-sinks-XXXXXX", NULL);
    GBytes *caps[2];
    for (int run = 0; run < 2; run++) {
        g_autofree char *dir = g_strdup_printf("%s/run%d", tmp, run);
        Scene s = {sim_world_new(1), NULL};
        SimPcapSink *sink = sim_pcap_sink_new(s.w, dir, NULL);
        scene_start(&s);
        scene_finish(&s);
        sim_pcap_sink_free(sink);
        sim_world_free(s.w);
        g_autofree char *path = g_build_filename(dir, "yuchao-eth0.pcap", NULL);
        caps[run] = slurp(path);
    }
    cr_assert(g_bytes_equal(caps[0], caps[1]));
    g_bytes_unref(caps[0]);
    g_bytes_unref(caps[1]);
    rm_rf(tmp);
}

/* test_wire.c - frames built by the codecs, written with the pcap writer,
 * must be dissected by tshark with no complaint and decode to what was
 * built. tshark is a required test dependency: without it this test fails. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <string.h>

#include "frames.h"
#include "sim/net/pcap.h"

static SimPacketPool *pool;
static char *tmpdir;

static void setup(void)
{
    pool = sim_packet_pool_new();
    tmpdir = g_dir_make_tmp("netsim-wire-XXXXXX", NULL);
    cr_assert_not_null(tmpdir);
}

static void teardown(void)
{
    /* After a failed assertion the cases are still referenced; leak them
     * rather than trip the pool's assertion and hide the real message. */
    if (sim_packet_pool_in_use(pool) == 0)
        sim_packet_pool_free(pool);
    /* Remove whatever the test left in its directory. */
    GDir *d = g_dir_open(tmpdir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(tmpdir, name, NULL);
        g_unlink(path);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(tmpdir);
    g_free(tmpdir);
}

TestSuite(wire, .init = setup, .fini = teardown);

/* Columns requested from tshark -T fields (first occurrence of each, i.e.
 * the outer header when an ICMP error quotes an inner one). */
static const char *const FIELDS[] = {
    "eth.src",
    "eth.dst",
    "vlan.id",
    "arp.opcode",
    "arp.src.proto_ipv4",
    "arp.dst.proto_ipv4",
    "ip.src",
    "ip.dst",
    "ip.ttl",
    "ip.proto",
    "ip.frag_offset",
    "ip.flags.mf",
    "icmp.type",
    "icmp.code",
    "icmp.ident",
    "icmp.seq",
    "icmp.mtu",
    "udp.srcport",
    "udp.dstport",
    "udp.length",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.seq_raw",
    "tcp.flags.syn",
    "tcp.options.mss_val",
    "data.len",
};

typedef struct {
    const char *field;
    const char *value;
} Kv;

typedef struct {
    SimPacket *p;
    Kv expect[16]; /* NULL-terminated */
} Case;

#define MAC_A "02:00:00:00:00:01"
#define MAC_B "02:00:00:00:00:02"
#define MAC_R "02:00:00:00:00:fe"
#define MAC_C "02:00:00:00:00:03"

static size_t build_cases(Case *c)
{
    size_t n = 0;
    c[n++] = (Case){frame_arp(pool, SIM_ARP_REQUEST, &EP_A, &EP_B),
                    {{"eth.src", MAC_A},
                     {"eth.dst", "ff:ff:ff:ff:ff:ff"},
                     {"arp.opcode", "1"},
                     {"arp.src.proto_ipv4", "192.168.10.1"},
                     {"arp.dst.proto_ipv4", "192.168.10.2"},
                     {"ip.src", ""}}};
    c[n++] = (Case){frame_arp(pool, SIM_ARP_REPLY, &EP_B, &EP_A),
                    {{"eth.src", MAC_B},
                     {"eth.dst", MAC_A},
                     {"arp.opcode", "2"},
                     {"arp.src.proto_ipv4", "192.168.10.2"},
                     {"arp.dst.proto_ipv4", "192.168.10.1"}}};
    c[n++] = (Case){frame_echo(pool, SIM_ICMP_ECHO_REQUEST, &EP_A, &EP_C, 1, 1, 56, -1),
                    {{"eth.src", MAC_A},
                     {"eth.dst", MAC_C},
                     {"ip.src", "192.168.10.1"},
                     {"ip.dst", "192.168.20.1"},
                     {"ip.ttl", "64"},
                     {"icmp.type", "8"},
                     {"icmp.code", "0"},
                     {"icmp.ident", "1"},
                     {"icmp.seq", "1"},
                     {"data.len", "56"},
                     {"vlan.id", ""}}};
    c[n++] = (Case){frame_echo(pool, SIM_ICMP_ECHO_REPLY, &EP_C, &EP_A, 1, 1, 56, -1),
                    {{"ip.src", "192.168.20.1"},
                     {"ip.dst", "192.168.10.1"},
                     {"icmp.type", "0"},
                     {"icmp.ident", "1"},
                     {"icmp.seq", "1"}}};
    SimPacket *probe = frame_udp(pool, &EP_A, &EP_C, 33434, 33435, "traceroute probe", 1);
    c[n++] = (Case){sim_packet_ref(probe),
                    {{"ip.ttl", "1"},
                     {"ip.proto", "17"},
                     {"udp.srcport", "33434"},
                     {"udp.dstport", "33435"},
                     {"udp.length", "24"},
                     {"icmp.type", ""}}};
    c[n++] = (Case){
        frame_icmp_error(pool, SIM_ICMP_TIME_EXCEEDED, SIM_ICMP_EXC_TTL, 0, &EP_R, &EP_A, probe),
        {{"eth.src", MAC_R},
         {"ip.src", "192.168.10.254"},
         {"ip.dst", "192.168.10.1"},
         {"ip.ttl", "255"},
         {"icmp.type", "11"},
         {"icmp.code", "0"},
         {"udp.srcport", "33434"},
         {"udp.dstport", "33435"}}};
    c[n++] = (Case){frame_icmp_error(pool, SIM_ICMP_DEST_UNREACH, SIM_ICMP_UNREACH_PORT, 0, &EP_C,
                                     &EP_A, probe),
                    {{"ip.src", "192.168.20.1"},
                     {"icmp.type", "3"},
                     {"icmp.code", "3"},
                     {"udp.dstport", "33435"}}};
    sim_packet_unref(probe);
    SimPacket *syn = frame_tcp_syn(pool, &EP_A, &EP_C, 40000, 80, 1000);
    c[n++] = (Case){sim_packet_ref(syn),
                    {{"ip.proto", "6"},
                     {"tcp.srcport", "40000"},
                     {"tcp.dstport", "80"},
                     {"tcp.seq_raw", "1000"},
                     {"tcp.flags.syn", "1"},
                     {"tcp.options.mss_val", "1460"}}};
    c[n++] = (Case){frame_icmp_error(pool, SIM_ICMP_DEST_UNREACH, SIM_ICMP_UNREACH_FRAG_NEEDED,
                                     1400, &EP_R, &EP_A, syn),
                    {{"icmp.type", "3"},
                     {"icmp.code", "4"},
                     {"icmp.mtu", "1400"},
                     {"tcp.srcport", "40000"},
                     {"tcp.dstport", "80"}}};
    sim_packet_unref(syn);
    c[n++] = (Case){frame_echo(pool, SIM_ICMP_ECHO_REQUEST, &EP_A, &EP_C, 2, 3, 32, 10),
                    {{"vlan.id", "10"},
                     {"ip.src", "192.168.10.1"},
                     {"icmp.type", "8"},
                     {"icmp.ident", "2"},
                     {"icmp.seq", "3"}}};
    SimPacket *frag[2];
    cr_assert_eq(frame_fragments(pool, &EP_A, &EP_C, 2000, 1480, frag, 2), 2);
    c[n++] = (Case){
        frag[0],
        {{"ip.frag_offset", "0"}, {"ip.flags.mf", "1"}, {"ip.proto", "1"}, {"icmp.type", ""}}};
    /* tshark reassembles the pair and dissects ICMP in the last fragment. */
    c[n++] = (Case){frag[1],
                    /* -T fields prints the wire value, in 8-byte units */
                    {{"ip.frag_offset", "185"},
                     {"ip.flags.mf", "0"},
                     {"icmp.type", "8"},
                     {"icmp.ident", "119"},
                     {"icmp.seq", "9"},
                     {"data.len", "2000"}}};
    return n;
}

/* Runs tshark with argv (after the program name); fails the test when
 * tshark is missing or exits non-zero. Returns its stdout. */
static char *run_tshark(const char *const *args)
{
    g_autofree char *prog = g_find_program_in_path("tshark");
    if (!prog)
        cr_assert_fail("tshark not found in PATH: it is a required test dependency "
                       "(apt-get install tshark)");
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, prog);
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add(argv, (char *)args[i]);
    g_ptr_array_add(argv, NULL);
    char *out = NULL, *err = NULL;
    int status = 0;
    g_autoptr(GError) error = NULL;
    gboolean ok = g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error);
    g_ptr_array_free(argv, TRUE);
    cr_assert(ok, "cannot run tshark: %s", error ? error->message : "?");
    cr_assert(g_spawn_check_wait_status(status, NULL), "tshark failed: %s", err);
    g_free(err);
    return out;
}

static void write_pcap(const char *path, Case *c, size_t n)
{
    g_autoptr(GError) error = NULL;
    SimPcap *pc = sim_pcap_open(path, &error);
    cr_assert_not_null(pc, "%s", error ? error->message : "");
    for (size_t i = 0; i < n; i++) {
        cr_assert_geq(sim_packet_len(c[i].p), SIM_ETH_MIN_FRAME);
        cr_assert(sim_pcap_write(pc, (SimTime)(i + 1) * SIM_MS + 123, sim_packet_cdata(c[i].p),
                                 sim_packet_len(c[i].p)));
    }
    cr_assert_eq(sim_pcap_count(pc), n);
    cr_assert(sim_pcap_close_checked(pc, &error));
}

static size_t count_substr(const char *hay, const char *needle)
{
    size_t k = 0;
    for (const char *s = hay; (s = strstr(s, needle)); s += strlen(needle))
        k++;
    return k;
}

static int field_index(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(FIELDS); i++)
        if (!strcmp(FIELDS[i], name))
            return (int)i;
    cr_assert_fail("test asks for field %s not in FIELDS", name);
    return -1;
}

Test(wire, tshark_accepts_and_decodes_every_frame)
{
    Case cases[16];
    size_t n = build_cases(cases);
    g_autofree char *pcap = g_build_filename(tmpdir, "wire.pcap", NULL);
    write_pcap(pcap, cases, n);

    const char *verbose[] = {"-r",
                             pcap,
                             "-V",
                             "-o",
                             "ip.check_checksum:TRUE",
                             "-o",
                             "udp.check_checksum:TRUE",
                             "-o",
                             "tcp.check_checksum:TRUE",
                             NULL};
    g_autofree char *v = run_tshark(verbose);
    cr_assert_eq(count_substr(v, " bytes on wire "), n, "tshark read every frame:\n%s", v);
    cr_assert_null(strstr(v, "Malformed"), "%s", v);
    cr_assert_null(strstr(v, "Expert Info (Error"), "%s", v);
    cr_assert_null(strstr(v, "Expert Info (Warning"), "%s", v);
    cr_assert_null(strstr(v, "[Bad"), "%s", v);
    cr_assert_null(strstr(v, "incorrect"), "%s", v);
    cr_assert_null(strstr(v, "Bad]"), "%s", v);
    /* The checks really ran: one Good per IPv4 header (10 outer + 3 quoted),
     * per UDP (1) and TCP (1) header, and per complete ICMP message (7, one
     * of them reassembled from the fragments). Quoted L4 headers are cut
     * short, so tshark leaves them unverified. */
    cr_assert_eq(count_substr(v, "[Header checksum status: Good]"), 13, "%s", v);
    cr_assert_eq(count_substr(v, "[Checksum Status: Good]"), 1 + 1 + 7, "%s", v);
    cr_assert_not_null(strstr(v, "[2 IPv4 Fragments (2008 bytes): #11(1480), #12(528)]"), "%s", v);

    GPtrArray *args = g_ptr_array_new();
    const char *head[] = {"-r", pcap, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f"};
    for (size_t i = 0; i < G_N_ELEMENTS(head); i++)
        g_ptr_array_add(args, (char *)head[i]);
    for (size_t i = 0; i < G_N_ELEMENTS(FIELDS); i++) {
        g_ptr_array_add(args, "-e");
        g_ptr_array_add(args, (char *)FIELDS[i]);
    }
    g_ptr_array_add(args, NULL);
    g_autofree char *f = run_tshark((const char *const *)args->pdata);
    g_ptr_array_free(args, TRUE);

    g_auto(GStrv) lines = g_strsplit(f, "\n", -1);
    cr_assert_eq(g_strv_length(lines), n + 1, "one line per frame:\n%s", f);
    for (size_t i = 0; i < n; i++) {
        g_auto(GStrv) cols = g_strsplit(lines[i], "\t", -1);
        cr_assert_eq(g_strv_length(cols), G_N_ELEMENTS(FIELDS), "frame %zu: %s", i + 1, lines[i]);
        for (const Kv *kv = cases[i].expect; kv->field; kv++) {
            int k = field_index(kv->field);
            cr_assert_str_eq(cols[k], kv->value, "frame %zu %s: tshark says '%s', built '%s'",
                             i + 1, kv->field, cols[k], kv->value);
        }
        sim_packet_unref(cases[i].p);
    }
}

Test(wire, pcap_header_and_record_layout)
{
    g_autofree char *path = g_build_filename(tmpdir, "layout.pcap", NULL);
    g_autoptr(GError) error = NULL;
    {
        g_autoptr(SimPcap) pc = sim_pcap_open(path, &error);
        cr_assert_not_null(pc);
        const uint8_t frame[3] = {1, 2, 3};
        cr_assert(sim_pcap_write(pc, 5 * SIM_SEC + 42, frame, 3));
    }
    g_autofree char *data = NULL;
    gsize len = 0;
    cr_assert(g_file_get_contents(path, &data, &len, NULL));
    cr_assert_eq(len, 24 + 16 + 3);
    const uint8_t expect_hdr[24] = {0x4d, 0x3c, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
                                    0,    0,    0,    0,    0, 0, 4, 0, 1, 0, 0, 0};
    cr_assert_eq(memcmp(data, expect_hdr, 24), 0);
    const uint8_t expect_rec[19] = {5, 0, 0, 0, 42, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 1, 2, 3};
    cr_assert_eq(memcmp(data + 24, expect_rec, 19), 0);
}

Test(wire, pcap_open_error)
{
    g_autoptr(GError) error = NULL;
    SimPcap *pc = sim_pcap_open("/nonexistent-dir/x.pcap", &error);
    cr_assert_null(pc);
    cr_assert(g_error_matches(error, SIM_PCAP_ERROR, SIM_PCAP_ERROR_IO));
    sim_pcap_close(NULL);
}

/* test_tcp_xfer.c - TCP end to end (sim/l4, sim/apps/bulk.c): transfers
 * across a router over clean and lossy links, byte-exact and deterministic,
 * with tshark's TCP analysis as the judge of what went on the wire. */
#include "tests/scenario/helpers.h"

#include "sim/apps/bulk.h"
#include "sim/l4/tcp.h"

typedef struct {
    SimWorld *w;
    SimNode *a, *b, *r;
    Recorder *rec;
    SimPcap *pcap; /* what a and b transmit: the two end hosts' own view */
    char *pcap_path;
    guint sub;
} Net;

static void capture(const SimTraceRecord *t, void *user)
{
    Net *n = user;
    if (t->packet && (g_strcmp0(t->node, "a") == 0 || g_strcmp0(t->node, "b") == 0))
        sim_pcap_write(n->pcap, t->time, sim_packet_cdata(t->packet), sim_packet_len(t->packet));
}

/* a 10.0.1.1 -- r -- b 10.0.2.1, both links at rate and one-way delay;
 * loss on the r -> b direction only... on both directions of the b link. */
static Net *net_new(uint64_t seed, uint64_t rate, SimTime delay, double loss, const char *pcap)
{
    Net *n = g_new0(Net, 1);
    n->w = sim_world_new(seed);
    n->rec = recorder_new(n->w, NULL, true);
    if (pcap) {
        g_autofree char *dir = g_dir_make_tmp("netsim-tcp-XXXXXX", NULL);
        n->pcap_path = g_build_filename(dir, pcap, NULL);
        n->pcap = sim_pcap_open(n->pcap_path, NULL);
        cr_assert_not_null(n->pcap);
        n->sub = sim_trace_subscribe(sim_world_trace(n->w), SIM_TRACE_BIT(SIM_TR_TX), capture, n);
    }
    n->a = mk_host(n->w, "a", "10.0.1.1/24", "10.0.1.254");
    n->b = mk_host(n->w, "b", "10.0.2.1/24", "10.0.2.254");
    n->r = sim_router_new(n->w, "r");
    SimIface *r0 = mk_if(n->r, "eth0", "10.0.1.254/24");
    SimIface *r1 = mk_if(n->r, "eth1", "10.0.2.254/24");
    SimLinkParams lp;
    sim_link_params_default(&lp);
    lp.rate_bps = rate;
    lp.delay = delay;
    sim_link_new(n->w, eth0(n->a), r0, &lp);
    lp.loss = loss;
    sim_link_new(n->w, r1, eth0(n->b), &lp);
    return n;
}

/* Closes the capture so that tshark can read it. */
static void net_close_pcap(Net *n)
{
    if (n->pcap) {
        sim_trace_unsubscribe(sim_world_trace(n->w), n->sub);
        cr_assert(sim_pcap_close_checked(n->pcap, NULL));
        n->pcap = NULL;
    }
}

static void net_free(Net *n)
{
    net_close_pcap(n);
    if (n->pcap_path) {
        g_remove(n->pcap_path);
        g_autofree char *dir = g_path_get_dirname(n->pcap_path);
        g_rmdir(dir);
        g_free(n->pcap_path);
    }
    recorder_free(n->rec);
    sim_world_free(n->w);
    g_free(n);
}

static const char *app_line_with(Net *n, const char *node, const char *needle)
{
    for (guint i = 0; i < n->rec->recs->len; i++) {
        const Rec *x = &g_array_index(n->rec->recs, Rec, i);
        if (x->kind == SIM_TR_APP && g_strcmp0(x->node, node) == 0 && strstr(x->detail, needle))
            return x->detail;
    }
    return NULL;
}

Test(tcp_xfer, clean_transfer_is_exact)
{
    Net *n = net_new(1, 100000000, SIM_MS, 0, "clean.pcap");
    SimBulkOpts o;
    sim_bulk_opts_default(&o);
    g_autoptr(GError) err = NULL;
    cr_assert(sim_discard_start(n->b, true, 9, &o, &err));
    cr_assert(sim_bulk_tcp_start(n->a, ip4("10.0.2.1"), 9, 1000000, &o, &err), "%s",
              err ? err->message : "");
    sim_world_run(n->w, 30 * SIM_SEC, 0);
    const char *s = app_line_with(n, "b", "discard :9");
    cr_assert_not_null(s);
    cr_assert(strstr(s, "1000000 bytes from 10.0.1.1:32768") && strstr(s, "every byte as sent"),
              "%s", s);
    cr_assert_not_null(app_line_with(n, "a", "1000000 bytes acknowledged"));
    net_free(n);
}

/* tshark's expert messages for the flagged TCP frames of the capture, as
 * "SRC<TAB>message,message" lines. */
static char *tshark_flags(Net *n)
{
    net_close_pcap(n);
    const char *args[] = {"-n",
                          "-r",
                          n->pcap_path,
                          "-o",
                          "tcp.check_checksum:TRUE",
                          "-Y",
                          "tcp.analysis.flags || tcp.checksum.status == 0 || _ws.malformed",
                          "-T",
                          "fields",
                          "-e",
                          "ip.src",
                          "-e",
                          "_ws.expert.message",
                          NULL};
    return tshark_run(args);
}

/* Every flag must be one a lossy path explains. */
static void assert_only_loss_flags(const char *flags)
{
    static const char *const ok[] = {
        "This frame is a (suspected) fast retransmission",
        "This frame is a (suspected) retransmission",
        "This frame is a (suspected) out-of-order segment",
        "Duplicate ACK",
        "Connection finish (FIN)",
        "This frame initiates the connection closing",
        "This frame undergoes the connection closing",
        "Connection establish request (SYN)",
        "Connection establish acknowledge (SYN+ACK)",
    };
    g_auto(GStrv) lines = g_strsplit(flags, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (!**l)
            continue;
        const char *msgs = strchr(*l, '\t');
        cr_assert_not_null(msgs, "%s", *l);
        g_auto(GStrv) parts = g_strsplit(msgs + 1, ",", -1);
        for (char **m = parts; *m; m++) {
            bool known = false;
            for (guint i = 0; i < G_N_ELEMENTS(ok); i++)
                known |= g_str_has_prefix(*m, ok[i]);
            cr_assert(known, "unexpected tshark flag: %s", *l);
        }
    }
}

static uint64_t run_transfer(Net *n, uint64_t bytes, size_t buf, SimTime until)
{
    SimBulkOpts o;
    sim_bulk_opts_default(&o);
    o.sndbuf = o.rcvbuf = buf;
    g_autoptr(GError) err = NULL;
    cr_assert(sim_discard_start(n->b, true, 9, &o, &err));
    cr_assert(sim_bulk_tcp_start(n->a, ip4("10.0.2.1"), 9, bytes, &o, &err));
    sim_world_run(n->w, until, 0);
    return sim_world_events(n->w);
}

Test(tcp_xfer, clean_link_has_no_tcp_analysis_flags)
{
    Net *n = net_new(3, 100000000, 5 * SIM_MS, 0, "clean.pcap");
    run_transfer(n, 2000000, 512 * 1024, 30 * SIM_SEC);
    cr_assert_not_null(app_line_with(n, "b", "every byte as sent"));
    g_autofree char *flags = tshark_flags(n);
    cr_assert_str_empty(flags, "%s", flags);
    net_free(n);
}

static void lossy(double loss, uint64_t bytes, uint64_t seed)
{
    Net *n = net_new(seed, 100000000, 5 * SIM_MS, loss, "loss.pcap");
    run_transfer(n, bytes, 256 * 1024, 600 * SIM_SEC);
    g_autofree char *want = g_strdup_printf("%" G_GUINT64_FORMAT " bytes from", bytes);
    const char *line = app_line_with(n, "b", want);
    cr_assert_not_null(line);
    cr_assert(strstr(line, "every byte as sent"), "%s", line);
    cr_assert_gt(rec_count(n->rec, SIM_TR_TCP, "a", "fast retransmit", 0), 0);
    g_autofree char *flags = tshark_flags(n);
    cr_assert_str_not_empty(flags);
    assert_only_loss_flags(flags);
    cr_log_info("loss %.0f%%: %s", loss * 100, app_line_with(n, "a", "acknowledged"));
    net_free(n);
}

Test(tcp_xfer, one_percent_loss_flags_are_explained)
{
    lossy(0.01, 2000000, 5);
}

Test(tcp_xfer, five_percent_loss_flags_are_explained)
{
    lossy(0.05, 500000, 6);
}

/* 10 MB over 1% loss arrives byte-exact, and the same seed gives the same
 * run to the event. */
Test(tcp_xfer, ten_megabytes_over_loss_exact_and_deterministic, .timeout = 300)
{
    char *lines[2];
    uint64_t events[2];
    for (int k = 0; k < 2; k++) {
        Net *n = net_new(42, 100000000, 5 * SIM_MS, 0.01, NULL);
        events[k] = run_transfer(n, 10000000, 256 * 1024, 3600 * SIM_SEC);
        const char *l = app_line_with(n, "b", "10000000 bytes from");
        cr_assert_not_null(l);
        cr_assert(strstr(l, "every byte as sent"), "%s", l);
        lines[k] = g_strdup(app_line_with(n, "a", "acknowledged"));
        net_free(n);
    }
    cr_assert_str_eq(lines[0], lines[1]);
    cr_assert_eq(events[0], events[1]);
    fprintf(stderr, "10 MB over 1%% loss: %s\n", lines[0]);
    g_free(lines[0]);
    g_free(lines[1]);
}

/* A receiver that never reads: its window closes, the sender stops and
 * probes, and the model's packet memory stays flat however long it runs. */
Test(tcp_xfer, never_reading_receiver_keeps_memory_flat)
{
    Net *n = net_new(8, 100000000, SIM_MS, 0, NULL);
    SimBulkOpts o;
    sim_bulk_opts_default(&o);
    o.noread = true;
    cr_assert(sim_discard_start(n->b, true, 9, &o, NULL));
    o.noread = false;
    cr_assert(sim_bulk_tcp_start(n->a, ip4("10.0.2.1"), 9, 100000000, &o, NULL));
    SimPacketPool *pool = sim_world_pool(n->w);
    sim_world_run(n->w, 10 * SIM_SEC, 0);
    uint64_t alloc10 = sim_packet_pool_allocated(pool);
    sim_world_run(n->w, 300 * SIM_SEC, 0);
    cr_assert_eq(sim_packet_pool_allocated(pool), alloc10, "buffers grew while stalled");
    /* The sender's full 16 KB send buffer (12 chunks of 1460 bytes, in the
     * pool since tcp_sndq.h) and a few frames in flight. */
    cr_assert_lt(sim_packet_pool_in_use(pool), 8 + (SIM_TCP_DEFAULT_SNDBUF + 1459) / 1460);
    cr_assert_gt(rec_count(n->rec, SIM_TR_TCP, "b", "zero window advertised", 0), 0);
    cr_assert_gt(rec_count(n->rec, SIM_TR_TCP, "a", "zero-window probe", 0), 1);
    cr_assert_null(app_line_with(n, "a", "acknowledged"));
    net_free(n);
}

/* Throughput against what a network engineer expects, printed: a clean
 * 100 Mb/s path with 10 ms RTT and buffers above its bandwidth-delay
 * product reaches at least 90% of the link rate; with loss the Mathis et
 * al. bound MSS / RTT * 1.22 / sqrt(p) gives the order of magnitude. */
Test(tcp_xfer, throughput_sanity)
{
    Net *n = net_new(9, 100000000, 2500 * SIM_US, 0, NULL); /* 4 x 2.5 ms = 10 ms RTT */
    run_transfer(n, 50000000, 1 << 20, 60 * SIM_SEC);
    const char *l = app_line_with(n, "a", "acknowledged");
    cr_assert_not_null(l);
    double mbps = 0;
    cr_assert(sscanf(strstr(l, " s, ") + 4, "%lf", &mbps) == 1);
    fprintf(stderr, "clean 100 Mb/s, 10 ms RTT: %s\n", l);
    cr_assert_geq(mbps, 90.0 * 1460 / 1538 * 0.98, "%s", l); /* payload share of the wire */
    net_free(n);
    n = net_new(9, 100000000, 2500 * SIM_US, 0.01, NULL);
    run_transfer(n, 5000000, 1 << 20, 600 * SIM_SEC);
    fprintf(stderr, "1%% loss: %s (Mathis bound %.1f Mb/s)\n",
            app_line_with(n, "a", "acknowledged"), 1460 * 8 / 0.010 * 1.22 / 0.1 / 1e6);
    net_free(n);
}

/* SYNs into the void: retransmitted with exponential backoff (1, 2, 4 ...
 * s), then the connect fails with ETIMEDOUT after tcp_syn_retries. */
Test(tcp_xfer, syn_retries_then_timeout)
{
    Net *n = net_new(10, 100000000, SIM_MS, 0, NULL);
    SimBulkOpts o;
    sim_bulk_opts_default(&o);
    cr_assert(sim_bulk_tcp_start(n->a, ip4("10.0.2.99"), 9, 1000, &o, NULL));
    sim_world_run(n->w, 300 * SIM_SEC, 0);
    cr_assert_eq(rec_count(n->rec, SIM_TR_TCP, "a", "retransmit SYN (RTO", 0), 6);
    cr_assert_eq(rec_count(n->rec, SIM_TR_TCP, "a", "next timeout 64000 ms", 0), 1);
    const char *l = app_line_with(n, "a", "Connection timed out");
    cr_assert_not_null(l);
    /* 1 + 2 + 4 + 8 + 16 + 32 + 64 s after the first SYN at t = 0. */
    for (guint i = 0; i < n->rec->recs->len; i++) {
        const Rec *x = &g_array_index(n->rec->recs, Rec, i);
        if (x->kind == SIM_TR_APP && strstr(x->detail, "timed out"))
            cr_assert_eq(x->time, 127 * SIM_SEC);
    }
    net_free(n);
}

/* The path goes away mid-transfer: RTOs back off and, after `retries`
 * expirations, the connection aborts and the application is told. */
Test(tcp_xfer, retries_exhausted_abort)
{
    Net *n = net_new(11, 100000000, SIM_MS, 0, NULL);
    SimTcp *t = sim_tcp_attach(n->a);
    sim_tcp_defaults(t)->retries = 3;
    SimBulkOpts o;
    sim_bulk_opts_default(&o);
    cr_assert(sim_discard_start(n->b, true, 9, &o, NULL));
    cr_assert(sim_bulk_tcp_start(n->a, ip4("10.0.2.1"), 9, 10000000, &o, NULL));
    sim_world_run(n->w, 200 * SIM_MS, 0);
    sim_link_set_up(sim_world_link(n->w, 1), false);
    sim_world_run(n->w, 600 * SIM_SEC, 0);
    cr_assert_eq(rec_count(n->rec, SIM_TR_TCP, "a", "RTO expired", 0), 3);
    cr_assert_not_null(app_line_with(n, "a", "Connection timed out"));
    GString *s = g_string_new(NULL);
    sim_tcp_show(t, s);
    cr_assert_null(strstr(s->str, "\ntcp "), "the connection is gone: %s", s->str);
    g_string_free(s, TRUE);
    net_free(n);
}

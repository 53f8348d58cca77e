/* cmd_run.c - `netsim run FILE`: load, build, run the scenario, print the
 * trace. Application output (ping, traceroute, show) is always printed. */
#include "sim/cli/commands.h"
#include "sim/cli/load.h"
#include "sim/cli/relay.h"
#include "sim/cli/run_dist.h"
#include "sim/cli/sink_json.h"
#include "sim/cli/sink_pcap.h"
#include "sim/cli/sink_text.h"
#include "sim/link/iface.h"
#include "sim/link/node.h"
#include "sim/net/packet.h"
#include "sim/net/pcap.h"
#include "sim/topo/horizon.h"
#include "sim/topo/scenario.h"
#include "sim/link/network.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_MAX_EVENTS 20000000ULL
/* A run without --until stops this long after the first storm report: a
 * loop without STP never ends by itself, and two seconds of it show its
 * rate and, here, the queue drops it leads to (4 million events, about
 * two seconds of wall time). */
#define STORM_STOP_AFTER SIM_RUN_STORM_STOP_AFTER
#define EXIT_CUT_SHORT 3

typedef struct {
    char *until, *seed, *max_events, *trace, *pcap, *buffer_limit, *width;
    gboolean quiet;
    char *files_out; /* service upload writes here; NULL: nowhere */
    gboolean overwrite;
    char *realtime;   /* wall seconds per simulated second; NULL: as fast as possible */
    char **relays;    /* --relay specs (relay.h) */
    char *relay_from; /* the host relayed connections start from */
    char *partition;  /* --partition auto|FILE: an MPI run (run_dist.h) */
    char *sync;       /* --sync window|null: its synchronisation */
} RunOpts;

static const char *run_status_text(SimRunStatus st)
{
    switch (st) {
    case SIM_RUN_IDLE:
        return "no events left";
    case SIM_RUN_UNTIL:
        return "reached --until";
    case SIM_RUN_MAX_EVENTS:
        return "reached --max-events";
    case SIM_RUN_STOPPED:
        return "stopped";
    }
    return "?";
}

/* Frames delivered: frames that arrived at an interface (its rx counter),
 * whether the device then used, forwarded or dropped them. A flood to N
 * ports is N deliveries. The benchmarks divide the run time by this. */
static uint64_t frames_delivered(SimWorld *w)
{
    uint64_t n = 0;
    for (guint i = 0; i < sim_network_n_nodes(sim_network_of(w)); i++) {
        SimNode *node = sim_network_node(sim_network_of(w), i);
        for (guint k = 0; k < sim_node_n_ifaces(node); k++)
            n += sim_iface_counters(sim_node_iface(node, k))->rx_frames;
    }
    return n;
}

/* Classic pcap stamps 32-bit seconds (until 2106 in its epoch): a scenario
 * whose commands run past that is refused before the run rather than left
 * to fail in the middle (the writer reports a later stray frame itself).
 * pcapng's 64-bit stamps were the alternative; rejected because every file
 * we write would change format for the sake of runs of over 136 years. */
static bool pcap_can_stamp(const SimTopo *topo)
{
    SimTime end;
    if (sim_topo_scenario_end(topo, &end) && end <= SIM_PCAP_LAST_TIME)
        return true;
    char t[SIM_TIME_STRLEN];
    fprintf(stderr,
            _("netsim run: error: --pcap: classic pcap stamps times up to 4294967295.999999999s, "
              "and this scenario's commands run to %ss; drop --pcap or schedule them earlier\n"),
            sim_time_format_sec(end, t));
    return false;
}

/* sim_world_run in slices of RUN_SLICE events, so that a trace whose
 * standard output failed (a full disk) stops the run within a slice rather
 * than simulate to the end for nothing; main then reports the write error
 * (exit 2). Slicing changes nothing else: the world keeps its clock and
 * queue between calls. A check per 65,536 events costs nothing. */
#define RUN_SLICE 65536ULL

static SimRunStatus run_watching_stdout(SimWorld *w, SimTime until, uint64_t max_events)
{
    for (uint64_t left = max_events;;) {
        uint64_t slice = max_events && left < RUN_SLICE ? left : RUN_SLICE;
        SimRunStatus st = sim_world_run(w, until, slice);
        if (st != SIM_RUN_MAX_EVENTS)
            return st;
        if (max_events && (left -= slice) == 0)
            return SIM_RUN_MAX_EVENTS;
        if (ferror(stdout))
            return SIM_RUN_STOPPED;
    }
}

/* Hosts that run an application (every scenario command but show, link
 * and clear acts on a host). */
static guint app_hosts(const SimTopo *topo)
{
    g_autoptr(GHashTable) hosts = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < topo->cmds->len; i++) {
        const SimTopoCmd *c = sim_topo_cmd(topo, i);
        if (c->kind != SIM_TOPO_CMD_SHOW && c->kind != SIM_TOPO_CMD_LINK &&
            c->kind != SIM_TOPO_CMD_CLEAR && c->node)
            g_hash_table_add(hosts, c->node);
    }
    return g_hash_table_size(hosts);
}

typedef struct {
    SimWorld *w;
    SimTime reported; /* first storm report */
    bool seen, stopped;
} StormStop;

static void storm_stop_now(void *ctx, void *arg)
{
    (void)arg;
    StormStop *ss = ctx;
    ss->stopped = true;
    sim_world_stop(ss->w);
}

static void on_storm(const SimTraceRecord *rec, void *user)
{
    StormStop *ss = user;
    if (ss->seen)
        return;
    ss->seen = true;
    ss->reported = rec->time;
    sim_world_schedule(ss->w, STORM_STOP_AFTER, storm_stop_now, ss, NULL);
}

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    interrupted = 1;
}

/* --realtime: paced by the wall clock until --until or SIGINT (relay.h). */
static SimRunStatus run_realtime(SimWorld *w, GPtrArray *relays, double factor, SimTime until)
{
    struct sigaction sa = {.sa_handler = on_sigint}, old;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    sigaction(SIGTERM, &sa, NULL);
    SimRunStatus st = sim_relay_run(w, relays, factor, until, &interrupted);
    sigaction(SIGINT, &old, NULL);
    return st;
}

/* --partition: the run split across an MPI job's ranks (run_dist.h);
 * takes topo. */
static int run_partitioned(SimTopo *topo, const RunOpts *o, SimTime until, uint64_t seed,
                           uint64_t max_events, uint64_t buffer_bytes, guint width)
{
    const char *refused = o->realtime    ? "--realtime"
                          : o->relays    ? "--relay"
                          : o->files_out ? "--files-out"
                                         : NULL;
#ifndef NETSIM_MPI
    refused = "this build (it needs -DNETSIM_MPI=ON, with Open MPI and METIS)";
#endif
    if (refused) {
        fprintf(stderr, _("netsim run: error: --partition does not work with %s\n"), refused);
        sim_topo_free(topo);
        return 2;
    }
#ifdef NETSIM_MPI
    SimTime settle = 0, end = 0;
    const char *busy = o->until ? NULL : sim_cli_never_idle(topo, &settle);
    if (busy && sim_topo_scenario_end(topo, &end))
        until = MAX(end, settle);
    else
        busy = NULL;
    g_autofree char *goal = o->until ? g_strdup_printf("--until %s", o->until) : NULL;
    SimRunDistOpts d = {
        .partition = o->partition,
        .sync_null = o->sync && strcmp(o->sync, "null") == 0,
        .until = until,
        .goal = goal,
        .busy = busy,
        .seed = seed,
        .max_events = max_events,
        .buffer_bytes = buffer_bytes,
        .trace = o->trace ? o->trace : "text",
        .pcap = o->pcap,
        .quiet = o->quiet,
        .app_prefix = app_hosts(topo) > 1,
        .width = width,
    };
    return sim_cli_run_dist(topo, &d);
#else
    (void)until, (void)seed, (void)max_events, (void)buffer_bytes, (void)width;
    return 2;
#endif
}

static int run_file(const char *path, const RunOpts *o)
{
    SimTime until = SIM_TIME_MAX;
    uint64_t seed = 1, max_events = DEFAULT_MAX_EVENTS;
    uint64_t buffer_mb = SIM_PACKET_DEFAULT_LIMIT >> 20;
    if ((o->until && !sim_cli_parse_time("run", "--until", o->until, &until)) ||
        (o->seed && !sim_cli_parse_u64("run", "--seed", o->seed, &seed)) ||
        (o->max_events && !sim_cli_parse_u64("run", "--max-events", o->max_events, &max_events)) ||
        (o->buffer_limit &&
         !sim_cli_parse_u64("run", "--buffer-limit", o->buffer_limit, &buffer_mb)))
        return 2;
    if (buffer_mb > (UINT64_MAX >> 20)) {
        fprintf(stderr, _("netsim run: error: --buffer-limit %s is too large\n"), o->buffer_limit);
        return 2;
    }
    uint64_t width = 0;
    if (o->width && (!sim_cli_parse_u64("run", "--width", o->width, &width) ||
                     width < SIM_TEXT_MIN_WIDTH || width > 100000)) {
        if (width)
            fprintf(stderr, _("netsim run: error: --width must be %d or more, not %s\n"),
                    SIM_TEXT_MIN_WIDTH, o->width);
        return 2;
    }
    if (o->sync && strcmp(o->sync, "window") && strcmp(o->sync, "null")) {
        fprintf(stderr, _("netsim run: error: --sync must be window or null, not '%s'\n"), o->sync);
        return 2;
    }
    if (o->sync && !o->partition) {
        fprintf(stderr, _("netsim run: error: --sync needs --partition (an MPI run)\n"));
        return 2;
    }
    const char *trace = o->trace ? o->trace : "text";
    if (strcmp(trace, "text") && strcmp(trace, "json") && strcmp(trace, "none")) {
        fprintf(stderr, _("netsim run: error: --trace must be text, json or none, not '%s'\n"),
                trace);
        return 2;
    }
    /* Under mpirun every rank loads the file: only rank 0 prints warnings. */
    const char *mpi_rank = g_getenv("OMPI_COMM_WORLD_RANK");
    bool other_rank = o->partition && mpi_rank && strcmp(mpi_rank, "0") != 0;
    SimTopo *topo = sim_cli_load(path, other_rank ? NULL : stderr, NULL);
    if (!topo)
        return 2;
    if (o->pcap && !pcap_can_stamp(topo)) {
        sim_topo_free(topo);
        return 2;
    }
    if (o->partition)
        return run_partitioned(topo, o, until, seed, max_events, buffer_mb << 20, (guint)width);
    g_autoptr(GError) err = NULL;
    g_autoptr(SimScenario) sc = sim_scenario_new(topo, seed, &err);
    if (!sc) {
        fprintf(stderr, "%s\n", err->message);
        return 2;
    }
    if (o->files_out) {
        if (!g_file_test(o->files_out, G_FILE_TEST_IS_DIR) || access(o->files_out, W_OK) != 0) {
            fprintf(stderr, _("netsim run: error: --files-out %s: %s\n"), o->files_out,
                    g_file_test(o->files_out, G_FILE_TEST_EXISTS) &&
                            !g_file_test(o->files_out, G_FILE_TEST_IS_DIR)
                        ? "not a directory"
                        : g_strerror(errno));
            return 2;
        }
        sim_scenario_set_files_out(sc, o->files_out, o->overwrite);
    }
    SimWorld *w = sim_scenario_world(sc);
    SimTime stp_end = 0, settle = 0;
    const char *busy = o->until ? NULL : sim_cli_never_idle(sim_scenario_topo(sc), &settle);
    if (busy && sim_topo_scenario_end(sim_scenario_topo(sc), &stp_end)) {
        until = MAX(stp_end, settle);
        stp_end = until;
    }
    sim_packet_pool_set_limit(sim_world_pool(w), buffer_mb << 20);
    /* What --quiet and --trace none still print: what the user asked to see
     * (application output, tables) and the one storm report per switch. */
    const SimTraceMask app =
        SIM_TRACE_BIT(SIM_TR_APP) | SIM_TRACE_BIT(SIM_TR_SHOW) | SIM_TRACE_BIT(SIM_TR_STORM);
    g_autoptr(SimTextSink) text = NULL;
    g_autoptr(SimJsonSink) json = NULL;
    g_autoptr(SimPcapSink) pcap = NULL;
    if (strcmp(trace, "json") == 0)
        json = sim_json_sink_new(w, stdout, o->quiet ? app : SIM_TRACE_ALL);
    else /* text, and none: application output is always printed */
        text = sim_text_sink_new(w, stdout,
                                 (o->quiet || strcmp(trace, "none") == 0) ? app : SIM_TRACE_ALL);
    if (text) {
        sim_text_sink_summarise_storms(text);
        sim_text_sink_set_width(text, (guint)width);
        sim_text_sink_set_app_prefix(text, app_hosts(sim_scenario_topo(sc)) > 1);
    }
    if (o->pcap && !(pcap = sim_pcap_sink_new(w, o->pcap, &err))) {
        fprintf(stderr, _("netsim run: error: %s\n"), err->message);
        return 2;
    }
    double factor = 0;
    if (o->realtime) {
        char *end;
        factor = g_ascii_strtod(o->realtime, &end);
        if (*end || end == o->realtime || !(factor > 0 && factor <= 1e6)) {
            fprintf(stderr, _("netsim run: error: --realtime %s: expected a factor above 0\n"),
                    o->realtime);
            return 2;
        }
    }
    if (o->relays && !o->realtime) {
        fprintf(stderr, _("netsim run: error: --relay needs --realtime\n"));
        return 2;
    }
    g_autoptr(GPtrArray) relays = g_ptr_array_new_with_free_func((GDestroyNotify)sim_relay_free);
    for (char **spec = o->relays; spec && *spec; spec++) {
        SimRelay *r = sim_relay_new(sc, *spec, o->relay_from, &err);
        if (!r) {
            fprintf(stderr, _("netsim run: error: %s\n"), err->message);
            return 2;
        }
        fprintf(stderr, _("netsim: relay %s\n"), sim_relay_name(r));
        g_ptr_array_add(relays, r);
    }
    StormStop ss = {.w = w};
    guint storm_sub = o->until ? 0
                               : sim_trace_subscribe(sim_world_trace(w),
                                                     SIM_TRACE_BIT(SIM_TR_STORM), on_storm, &ss);
    gint64 t0 = g_get_monotonic_time();
    SimRunStatus st = o->realtime ? run_realtime(w, relays, factor, until)
                                  : run_watching_stdout(w, until, max_events);
    double wall = (double)(g_get_monotonic_time() - t0) / 1e6;
    if (storm_sub)
        sim_trace_unsubscribe(sim_world_trace(w), storm_sub);
    if (text)
        sim_text_sink_finish(text);
    sim_cli_flush_stdout(); /* before the summary on stderr; main reports a failure */
    if (pcap && !sim_pcap_sink_close(pcap, &err)) {
        fprintf(stderr, _("netsim run: error: %s\n"), err->message);
        return 2;
    }
    char tbuf[SIM_TIME_STRLEN];
    if (!o->quiet) {
        g_autofree char *why =
            stp_end && st == SIM_RUN_UNTIL
                ? g_strdup_printf("reached the scenario's end (%s; --until T runs longer)", busy)
                : NULL;
        fprintf(stderr, _("netsim: %s after %llu events at t=%s (%.3f s wall)\n"),
                why ? why : run_status_text(st), (unsigned long long)sim_world_events(w),
                sim_time_format_sec(sim_world_now(w), tbuf), wall);
        uint64_t frames = frames_delivered(w);
        fprintf(stderr,
                "netsim: stats events=%llu frames_delivered=%llu run_s=%.3f ns_per_frame=%.1f\n",
                (unsigned long long)sim_world_events(w), (unsigned long long)frames, wall,
                frames ? wall * 1e9 / (double)frames : 0.0);
    }
    if (st == SIM_RUN_STOPPED && ss.stopped) {
        /* Printed even with --quiet: the run did not reach its end. */
        char rbuf[SIM_TIME_STRLEN], after[SIM_TIME_STRLEN];
        fprintf(stderr,
                _("netsim: stopped at t=%s, %s after the broadcast storm reported at t=%s "
                  "(a loop without STP never ends; --until T runs longer)\n"),
                sim_time_format_sec(sim_world_now(w), tbuf),
                sim_time_format(STORM_STOP_AFTER, after), sim_time_format_sec(ss.reported, rbuf));
        return SIM_CLI_EXIT_CUT_SHORT;
    }
    g_autofree char *goal = o->until ? g_strdup_printf("--until %s", o->until) : NULL;
    int cut = sim_cli_report_cut_short("run", w, st, max_events, goal);
    if (cut)
        return cut; /* before 1: a truncated run's failures may be the truncation's */
    return sim_world_failed(w) ? 1 : 0;
}

int sim_cmd_run(int argc, char **argv)
{
    RunOpts o = {0};
    GOptionEntry entries[] = {
        {"until", 'u', 0, G_OPTION_ARG_STRING, &o.until, N_("Stop at simulated time T (e.g. 10s)"),
         "T"},
        {"seed", 's', 0, G_OPTION_ARG_STRING, &o.seed, N_("Seed of the world's RNG (default 1)"),
         "N"},
        {"max-events", 'm', 0, G_OPTION_ARG_STRING, &o.max_events,
         N_("Stop after N events (default 20000000)"), "N"},
        {"trace", 't', 0, G_OPTION_ARG_STRING, &o.trace,
         N_("Trace format: text (default), json, none"), "FMT"},
        {"pcap", 'p', 0, G_OPTION_ARG_FILENAME, &o.pcap,
         N_("Write DIR/<node>-<iface>.pcap for every interface"), "DIR"},
        {"buffer-limit", 0, 0, G_OPTION_ARG_STRING, &o.buffer_limit,
         N_("Frame buffers the simulated network may hold at once, in MB; past it, frames "
            "that would wait in a link queue are dropped ('buffer memory limit'). "
            "Default 2048; 0: no limit"),
         "MB"},
        {"width", 'w', 0, G_OPTION_ARG_STRING, &o.width,
         N_("Compact text trace cut to N columns (40 or more), for a narrow terminal or a "
            "projector"),
         "N"},
        {"files-out", 0, 0, G_OPTION_ARG_FILENAME, &o.files_out,
         N_("service upload saves received files in DIR (default: verify, write nothing)"), "DIR"},
        {"overwrite", 0, 0, G_OPTION_ARG_NONE, &o.overwrite,
         N_("service upload may replace a file in the --files-out DIR"), NULL},
        {"realtime", 0, 0, G_OPTION_ARG_STRING, &o.realtime,
         N_("Pace the run by the wall clock, FACTOR wall seconds per simulated second "
            "(--realtime alone: 1); runs until --until or Ctrl-C"),
         "FACTOR"},
        {"relay", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.relays,
         N_("With --realtime: accept real TCP connections on [ADDR:]PORT (ADDR defaults to "
            "127.0.0.1) and carry each to NODE:PORT in the simulation"),
         "[ADDR:]PORT=NODE:PORT"},
        {"relay-from", 0, 0, G_OPTION_ARG_STRING, &o.relay_from,
         N_("The host relayed connections start from (default: the topology's first host)"),
         "HOST"},
        {"partition", 0, 0, G_OPTION_ARG_STRING, &o.partition,
         N_("Under mpirun: split the network across the job's ranks, 'auto' (METIS) or by a "
            "FILE of 'NODE RANK' lines; the output is the one-process run's (MPI builds only)"),
         "auto|FILE"},
        {"sync", 0, 0, G_OPTION_ARG_STRING, &o.sync,
         N_("With --partition: synchronise the ranks by windows bounded by a global lower bound "
            "('window', the default) or by null messages between neighbouring ranks ('null'); "
            "the output is the same"),
         "window|null"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet,
         N_("Print only application output (ping, traceroute, show)"), NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE");
    g_option_context_set_translation_domain(ctx, GETTEXT_PACKAGE);
    g_option_context_set_summary(
        ctx, "Run a topology's scenario and print the trace.\n"
             "Without --until, a broadcast storm stops the run 2 s after it is reported,\n"
             "and a network with spanning tree stops when its last command has ended\n"
             "(50 s at the earliest: hellos never let it go idle).\n"
             "Exit status: 0 ok, 1 scenario failure, 2 bad input or a write error,\n"
             "3 cut short by --max-events or a storm (output incomplete).");
    g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
    /* `--realtime` takes an optional FACTOR: make the bare flag explicit. */
    g_autoptr(GPtrArray) args = g_ptr_array_new();
    for (int i = 0; i < argc; i++) {
        bool bare = strcmp(argv[i], "--realtime") == 0;
        bool has_factor = bare && i + 1 < argc && g_ascii_isdigit(argv[i + 1][0]);
        g_ptr_array_add(args, bare && !has_factor ? (char *)"--realtime=1" : argv[i]);
    }
    g_ptr_array_add(args, NULL);
    argc = (int)args->len - 1;
    argv = (char **)args->pdata;
    const char *path = sim_cli_parse_file_args(ctx, "run", &argc, &argv);
    int rc = path ? run_file(path, &o) : 2;
    g_free(o.until);
    g_free(o.seed);
    g_free(o.max_events);
    g_free(o.trace);
    g_free(o.pcap);
    g_free(o.buffer_limit);
    g_free(o.width);
    g_free(o.files_out);
    g_free(o.realtime);
    g_strfreev(o.relays);
    g_free(o.relay_from);
    g_free(o.partition);
    g_free(o.sync);
    return rc;
}

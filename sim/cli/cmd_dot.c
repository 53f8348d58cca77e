/* cmd_dot.c - `netsim dot FILE [-o OUT] [--layout L] [--mac] [--at T] [--dpi N]
 * [--tables] [--path N] [--seed N]`: draw a topology, or with --at, --tables
 * or --path the scenario's world after running it (to T, else to its end).
 * The output's extension picks DOT, SVG or PNG; with no -o, DOT goes to
 * standard output (so warnings go to stderr, never into the DOT). Drawing
 * is in viz/diagram.h and viz/live.h; this file parses options and runs. */
#include "sim/cli/commands.h"
#include "sim/cli/load.h"
#include "sim/net/bpdu.h"
#include "sim/topo/horizon.h"
#include "sim/topo/scenario.h"
#include "viz/diagram.h"
#include "viz/live.h"
#include "viz/path.h"

#include <glib/gi18n-lib.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

/* As `netsim run`: a scenario that never goes idle (a storm) still ends. */
#define DEFAULT_MAX_EVENTS 20000000ULL

typedef struct {
    char *output, *layout, *at, *path, *seed, *dpi;
    gboolean mac, tables;
} DotOpts;

static void dot_opts_clear(DotOpts *o)
{
    g_free(o->output);
    g_free(o->layout);
    g_free(o->at);
    g_free(o->path);
    g_free(o->seed);
    g_free(o->dpi);
}

static int fail(const GError *err)
{
    fprintf(stderr, _("netsim dot: error: %s\n"), err->message);
    return 2;
}

/* Runs the scenario to `until` and draws what it asked for. */
static int draw_live(SimTopo *topo, const DotOpts *o, const SimVizOptions *opts, SimTime until,
                     uint64_t seed, uint64_t uid)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(SimScenario) sc = sim_scenario_new(topo, seed, &err);
    if (!sc) {
        fprintf(stderr, "%s\n", err->message);
        return 2;
    }
    SimWorld *w = sim_scenario_world(sc);
    g_autoptr(SimVizPath) path = o->path ? sim_viz_path_new(w, topo, uid) : NULL;
    SimRunStatus st = sim_world_run(w, until, DEFAULT_MAX_EVENTS);
    if (path && sim_viz_path_n_records(path) == 0) {
        char t[SIM_TIME_STRLEN];
        fprintf(stderr,
                _("netsim dot: error: packet %llu never appears in the trace "
                  "(ran to t=%ss; take a packet uid from `netsim run --trace json`)\n"),
                (unsigned long long)uid, sim_time_format_sec(sim_world_now(w), t));
        return 2;
    }
    SimVizLive live = {.tables = o->tables, .path = path};
    if (!sim_viz_write_scenario(sc, opts, &live, o->output, &err))
        return fail(err);
    /* Drawn as it stood when the limit stopped it, and said so. */
    g_autofree char *goal = o->at ? g_strdup_printf("--at %s", o->at) : NULL;
    return sim_cli_report_cut_short("dot", w, st, DEFAULT_MAX_EVENTS, goal);
}

/* A frame other than a BPDU: spanning tree hellos are not the traffic
 * whose end --tables waits for. */
static void note_frame(const SimTraceRecord *rec, void *user)
{
    if (rec->packet && sim_packet_len(rec->packet) >= 6 &&
        memcmp(sim_packet_cdata(rec->packet), SIM_MAC_STP.b, 6) == 0)
        return;
    *(SimTime *)user = rec->time;
}

/* --tables without --at: the end of the last scenario command, that is
 * the last frame on any wire once the last command has been given (or the
 * command's own time if it sends nothing). Found by one run of its own, as
 * runs are deterministic; running on to the very end instead would show
 * tables after aging had emptied them. A network that never goes idle
 * (spanning tree, DHCP) runs as `netsim run` runs it, to its scenario's
 * end; it ran to the event limit (enterprise.topo: 344806 s, exit 3). */
static bool tables_time(const char *file, uint64_t seed, SimTime *out)
{
    SimTopo *topo = sim_cli_load(file, NULL, NULL);
    if (!topo)
        return false;
    SimTime until = SIM_TIME_MAX, settle = 0, end = 0;
    if (sim_cli_never_idle(topo, &settle) && sim_topo_scenario_end(topo, &end))
        until = MAX(end, settle);
    g_autoptr(GError) err = NULL;
    g_autoptr(SimScenario) sc = sim_scenario_new(topo, seed, &err);
    if (!sc)
        return false;
    SimWorld *w = sim_scenario_world(sc);
    SimTime last = 0;
    guint sub = sim_trace_subscribe(
        sim_world_trace(w), SIM_TRACE_BIT(SIM_TR_TX) | SIM_TRACE_BIT(SIM_TR_RX), note_frame, &last);
    sim_world_run(w, until, DEFAULT_MAX_EVENTS);
    sim_trace_unsubscribe(sim_world_trace(w), sub);
    *out = MAX(last, sim_scenario_last_command(sc));
    return true;
}

static int dot_file(const char *file, const DotOpts *o)
{
    SimVizOptions opts = {.layout = SIM_VIZ_LAYOUT_DOT, .show_mac = o->mac};
    g_autoptr(GError) err = NULL;
    if ((o->layout && !sim_viz_layout_parse(o->layout, &opts.layout, &err)) ||
        (o->output && !sim_viz_format_for_path(o->output, &err)))
        return fail(err);
    SimTime until = SIM_TIME_MAX;
    uint64_t seed = 1, uid = 0;
    if ((o->at && !sim_cli_parse_time("dot", "--at", o->at, &until)) ||
        (o->seed && !sim_cli_parse_u64("dot", "--seed", o->seed, &seed)) ||
        (o->path && !sim_cli_parse_u64("dot", "--path", o->path, &uid)))
        return 2;
    uint64_t dpi = 0;
    if (o->dpi && (!sim_cli_parse_u64("dot", "--dpi", o->dpi, &dpi) || dpi < 10 || dpi > 2400)) {
        if (dpi)
            fprintf(stderr, _("netsim dot: error: --dpi must be 10 to 2400, not %s\n"), o->dpi);
        return 2;
    }
    opts.dpi = (double)dpi;
    SimTopo *topo = sim_cli_load(file, stderr, NULL);
    if (!topo)
        return 2;
    if (o->tables && !o->at && !o->path && !tables_time(file, seed, &until)) {
        sim_topo_free(topo);
        return 2;
    }
    if (o->at || o->tables || o->path)
        return draw_live(topo, o, &opts, until, seed, uid); /* takes topo */
    gboolean ok = sim_viz_write(topo, &opts, o->output, &err);
    sim_topo_free(topo);
    return ok ? 0 : fail(err);
}

int sim_cmd_dot(int argc, char **argv)
{
    DotOpts o = {0};
    GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
         N_("Write to OUT; .dot, .svg, .png or .pdf picks the format (default: DOT on stdout)"),
         "OUT"},
        {"dpi", 0, 0, G_OPTION_ARG_STRING, &o.dpi,
         N_("PNG resolution (default: as sharp as a 1920-pixel-wide projection needs)"), "N"},
        {"layout", 0, 0, G_OPTION_ARG_STRING, &o.layout,
         N_("Graphviz layout engine: dot (default), neato or fdp"), "ENGINE"},
        {"mac", 0, 0, G_OPTION_ARG_NONE, &o.mac, N_("Show each interface's MAC address"), NULL},
        {"at", 0, 0, G_OPTION_ARG_STRING, &o.at,
         N_("Run the scenario to time T first (default with --tables: to the end of the last "
            "scenario command; with --path: to the end of the run)"),
         "T"},
        {"tables", 0, 0, G_OPTION_ARG_NONE, &o.tables,
         N_("Show MAC, ARP and routing tables as they stand then"), NULL},
        {"path", 0, 0, G_OPTION_ARG_STRING, &o.path,
         N_("Highlight the links packet N crossed, hop by hop (N: packet.uid in the JSON trace)"),
         "N"},
        {"seed", 's', 0, G_OPTION_ARG_STRING, &o.seed, N_("Seed of the world's RNG (default 1)"),
         "N"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE");
    g_option_context_set_translation_domain(ctx, GETTEXT_PACKAGE);
    g_option_context_set_summary(ctx, "Draw a topology's network diagram with Graphviz: one "
                                      "shape per device kind, links labelled with their "
                                      "interfaces or ports, subnets grouped and coloured.\n"
                                      "With --at, --tables or --path the scenario runs first "
                                      "and the diagram shows its world then.");
    g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
    const char *path = sim_cli_parse_file_args(ctx, "dot", &argc, &argv);
    int rc = path ? dot_file(path, &o) : 2;
    dot_opts_clear(&o);
    return rc;
}

/* cmd_dot.c - `netsim dot FILE [-o OUT] [--layout L] [--mac]`: draw a
 * topology. The output's extension picks DOT, SVG or PNG; with no -o, DOT
 * goes to standard output (so warnings go to stderr, never into the DOT).
 * Drawing is in viz/diagram.h; this file only parses options. */
#include "sim/cli/commands.h"
#include "sim/cli/load.h"
#include "viz/diagram.h"

#include <glib.h>
#include <stdio.h>

int sim_cmd_dot(int argc, char **argv)
{
    g_autofree char *output = NULL;
    g_autofree char *layout = NULL;
    gboolean mac = FALSE;
    GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
         "Write to OUT; .dot, .svg or .png picks the format (default: DOT on stdout)", "OUT"},
        {"layout", 0, 0, G_OPTION_ARG_STRING, &layout,
         "Graphviz layout engine: dot (default), neato or fdp", "ENGINE"},
        {"mac", 0, 0, G_OPTION_ARG_NONE, &mac, "Show each interface's MAC address", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE");
    g_option_context_set_summary(ctx, "Draw a topology's network diagram with Graphviz: one "
                                      "shape per device kind, links labelled with their "
                                      "interfaces or ports, subnets grouped and coloured.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "netsim dot: %s\n", err->message);
        return 2;
    }
    if (argc != 2) {
        fprintf(stderr, "netsim dot: expected one topology file (see netsim dot --help)\n");
        return 2;
    }
    SimVizOptions opts = {.layout = SIM_VIZ_LAYOUT_DOT, .show_mac = mac};
    if ((layout && !sim_viz_layout_parse(layout, &opts.layout, &err)) ||
        (output && !sim_viz_format_for_path(output, &err))) {
        fprintf(stderr, "netsim dot: error: %s\n", err->message);
        return 2;
    }
    g_autoptr(SimTopo) topo = sim_cli_load(argv[1], stderr, NULL);
    if (!topo)
        return 2;
    if (!sim_viz_write(topo, &opts, output, &err)) {
        fprintf(stderr, "netsim dot: error: %s\n", err->message);
        return 2;
    }
    return 0;
}

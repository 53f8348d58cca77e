/* live.h - diagrams of a running scenario: each device's tables as they
 * stand now, and the path one traced packet took.
 *
 * Design: the static builder (diagram.h) draws the topology; this module
 * only plugs into its node and edge hooks, so a live diagram has exactly
 * the nodes, edges, clusters and layout of the static one and differs only
 * in labels and styles:
 *   - tables (tables.h): MAC, ARP and route tables as rows under each
 *     device's name;
 *   - path (path.h): every link the packet crossed is drawn in
 *     SIM_VIZ_PATH_COLOUR, thick, with an arrow the way it travelled and
 *     its hop number(s) as the edge xlabel (e.g. "2", or "2, 6" for a link
 *     crossed twice); every other link fades to its colour at low alpha.
 *     Devices that flooded, dropped (with the reasons) or delivered it, and
 *     the one that sent it, get a coloured border and a line in their
 *     label saying so ("✗ dropped: not for us").
 * A caption under the title says when ("tables at t=8s") and which packet.
 *
 * Determinism: everything comes from the world's state and trace, which
 * are deterministic, so the same file, seed and options give byte-identical
 * DOT.
 */
#pragma once

#include "sim/topo/scenario.h"
#include "viz/diagram.h"
#include "viz/path.h"

#include <glib.h>
#include <stdbool.h>

#define SIM_VIZ_PATH_COLOUR "#e6007e"
#define SIM_VIZ_FLOOD_COLOUR "#f08c00"
#define SIM_VIZ_DROP_COLOUR "#c00000"
#define SIM_VIZ_DELIVER_COLOUR "#1a9a1a"
/* Hop numbers listed on one link before "...". */
#define SIM_VIZ_PATH_MAX_LABELS 4

typedef struct {
    bool tables;            /* draw each device's tables as of now */
    guint max_rows;         /* entries listed per table; 0: SIM_VIZ_TABLE_MAX_ROWS */
    const SimVizPath *path; /* NULL: no packet highlighted; made on sc's world */
} SimVizLive;

/* The diagram of sc's world as it stands now, as sim_viz_graph would build
 * it with these extras. opts NULL: defaults; a caller's hooks and caption in
 * opts still apply (its hooks run after ours). Caller agcloses. */
Agraph_t *sim_viz_scenario_graph(SimScenario *sc, const SimVizOptions *opts,
                                 const SimVizLive *live);
/* Renders it to out as sim_viz_write does (extension picks the format,
 * NULL: DOT on stdout). */
gboolean sim_viz_write_scenario(SimScenario *sc, const SimVizOptions *opts, const SimVizLive *live,
                                const char *out, GError **error);
/* The stepper's `dot FILE`: the diagram as of the current step, with every
 * device's tables and no path. */
gboolean sim_viz_write_live(SimScenario *sc, const SimVizOptions *opts, const char *out,
                            GError **error);

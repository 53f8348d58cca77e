/* diagram.h - network diagrams of a topology, built with cgraph and drawn
 * with gvc (DOT, SVG or PNG).
 *
 * Design: sim_viz_graph builds a plain cgraph graph from the validated AST
 * (one node per device, named as the device; one edge per link, keyed
 * "l<link index>"), with every visual decision expressed as Graphviz
 * attributes, so the DOT text is the complete drawing and tests can read it
 * back with agread. sim_viz_write lays it out and renders it. What a later
 * live view needs (per-device tables at time T, a traced packet's hops) is
 * added through the hooks in SimVizOptions rather than by editing the
 * builder: a node hook may append HTML-like table rows to a device's label
 * and restyle the node; an edge hook may restyle an edge. live.h is that
 * live view.
 *
 * Devices (SimVizDevice): host = rounded box, hub = hexagon, switch = plain
 * filled box, L3 switch = 3-D box, router = double octagon, cloud = ellipse
 * with a cloud glyph. Labels are HTML-like tables: the name in bold, then
 * each address (interface name first when the device has several), the MAC
 * too with show_mac.
 *
 * Links carry the interface or port at each end ("eth0", "p3") as
 * taillabel/headlabel (on a port panel, below, the port's cell instead),
 * and, as an xlabel placed clear of them, rate/delay/loss/MTU when they
 * differ from the file's link defaults (`defaults link`, else the built-in
 * ones). Each Layer-2 segment with hosts or switches is a cluster labelled
 * with its subnet(s), tinted with the subnet's colour (segments.h); its
 * links take the same colour. The graph label is the `network` title with
 * a legend of the subnet colours and the link defaults. Labels are at
 * least 14 pt, so a drawing stays legible on a projector.
 *
 * Layout hints (dot): devices are ranked by hop distance from the Internet
 * side - from clouds if any, else routers, else switches and hubs - so the
 * drawing reads top-down from the uplink to the hosts; links between equal
 * ranks do not constrain ranking (they stay side by side). A switch with
 * more than SIM_VIZ_ROW_MAX single-homed hosts deals them into staggered
 * rows (edge minlen) rather than one very wide rank. One with two hosts or
 * more than SIM_VIZ_PANEL_MIN cables is drawn as a port panel: rows of at
 * most SIM_VIZ_PANEL_COLUMNS cells, one per cabled port, each host's cable
 * leaving from its cell (tailport), so port names cannot collide; a link
 * between two devices of one rank leaves a panel by its side, not through
 * the hosts' cables. When the LANs under one device would hold more than
 * SIM_VIZ_WRAP_HOSTS hosts side by side, every second LAN hangs one tier
 * lower, so wide networks wrap rather than grow sideways. A LAN's title
 * sits at its bottom left, where no edge enters; a cable leaving the LAN
 * downwards starts at its device's lower right. Hints never add nodes or
 * edges.
 */
#pragma once

#include <glib.h>
#include <graphviz/cgraph.h>
#include <stdbool.h>

#include "sim/net/addr.h"
#include "sim/topo/ast.h"

#define SIM_VIZ_ROW_MAX 7
/* A switch or hub with more cables than this is drawn as a port panel
 * (so is one with two hosts below it): end labels under a box touch. */
#define SIM_VIZ_PANEL_MIN 3
/* Port cells per row of a port panel before it wraps into rows. */
#define SIM_VIZ_PANEL_COLUMNS 32
/* Hosts side by side under one device past which its LANs wrap (below). */
#define SIM_VIZ_WRAP_HOSTS 14

#define SIM_VIZ_ERROR (sim_viz_error_quark())
GQuark sim_viz_error_quark(void);
typedef enum {
    SIM_VIZ_ERROR_FORMAT, /* unknown output extension or layout name */
    SIM_VIZ_ERROR_RENDER, /* Graphviz failed (layout, writing the file) */
} SimVizError;

typedef enum {
    SIM_VIZ_LAYOUT_DOT,
    SIM_VIZ_LAYOUT_NEATO,
    SIM_VIZ_LAYOUT_FDP,
} SimVizLayout;

typedef enum {
    SIM_VIZ_DEV_HOST,
    SIM_VIZ_DEV_HUB,
    SIM_VIZ_DEV_SWITCH,
    SIM_VIZ_DEV_L3_SWITCH, /* no AST kind yet; drawn once switches route */
    SIM_VIZ_DEV_ROUTER,
    SIM_VIZ_DEV_CLOUD,
} SimVizDevice;

/* Called once per device after its node is made. May append rows to `rows`
 * (each a complete HTML-like "<TR>...</TR>", escaped by the hook) and set
 * attributes on `n`. */
typedef void (*SimVizNodeHook)(const SimTopo *topo, guint node, Agnode_t *n, GString *rows,
                               gpointer user_data);
/* Called once per link after its edge is styled; may override attributes. */
typedef void (*SimVizEdgeHook)(const SimTopo *topo, guint link, Agedge_t *e, gpointer user_data);

typedef struct {
    SimVizLayout layout; /* the engine; also decides which hints are added */
    bool show_mac;
    SimVizNodeHook node_hook; /* NULL: none */
    SimVizEdgeHook edge_hook; /* NULL: none */
    gpointer hook_data;
    /* Plain text added to the legend under the title (what a live view
     * shows: "tables at t=8s"); lines split at '\n'. NULL: none. */
    const char *caption;
    /* Resolution of a PNG, in dots per inch; 0: chosen so that the image
     * is SIM_VIZ_SHARP_WIDTH pixels wide (at least 96, at most
     * SIM_VIZ_MAX_AUTO_DPI). Vector formats (SVG, PDF) ignore it. */
    double dpi;
} SimVizOptions;

#define SIM_VIZ_SHARP_WIDTH 1920
#define SIM_VIZ_MAX_AUTO_DPI 300

/* Builds the graph. topo must be validated; opts NULL = defaults (dot, no
 * MACs, no hooks). The caller closes the result with agclose. */
Agraph_t *sim_viz_graph(const SimTopo *topo, const SimVizOptions *opts);

/* Builds, lays out and renders to `path`, whose extension (.dot, .svg,
 * .png or .pdf, any case) picks the format; NULL writes DOT to stdout. The DOT
 * output is Graphviz's laid-out DOT (with positions), valid input for any
 * Graphviz tool. A file that cannot be written, or a write error, is an
 * error (and no partial file is left); Graphviz messages go into the
 * GError on failure. Not thread-safe: it uses one process-wide Graphviz
 * context (see render.c) and installs cgraph's global error handler for
 * the duration. */
gboolean sim_viz_write(const SimTopo *topo, const SimVizOptions *opts, const char *path,
                       GError **error);

/* Builds, lays out and renders in `format` ("svg", "dot", ...) into out,
 * appending; for callers that embed the drawing (the player). */
gboolean sim_viz_render_data(const SimTopo *topo, const SimVizOptions *opts, const char *format,
                             GString *out, GError **error);

/* "dot", "svg", "png" or "pdf" for a path's extension; NULL and an error else. */
const char *sim_viz_format_for_path(const char *path, GError **error);
gboolean sim_viz_layout_parse(const char *name, SimVizLayout *out, GError **error);
const char *sim_viz_layout_name(SimVizLayout layout);

/* How a device is drawn. The cloud rule: a host or router named "internet"
 * or "cloud" (any case), or a host whose every address is public
 * (sim_viz_ipv4_is_public) and that is cabled to no switch or hub - a
 * server out on the Internet, not on a LAN.
 * Routers with public addresses stay routers: they are hops a traceroute
 * shows. */
SimVizDevice sim_viz_device(const SimTopo *topo, guint node);
const char *sim_viz_device_name(SimVizDevice dev); /* "host", "l3-switch", ... */
/* False for RFC 1918 private, RFC 6598 shared (100.64/10), loopback,
 * link-local, "this network" (0/8), IETF protocol (192.0.0/24), multicast
 * and reserved space. The RFC 5737 documentation ranges count as public:
 * topologies use them to stand for public addresses. */
bool sim_viz_ipv4_is_public(SimIpv4 a);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Agraph_t, agclose)

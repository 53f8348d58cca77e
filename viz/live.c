/* live.c - tables and packet paths through the diagram hooks (see live.h). */
#include "viz/live.h"

#include "sim/core/simtime.h"
#include "sim/l2/switch.h"
#include "viz/tables.h"
#include "sim/link/network.h"

#include <stdlib.h>
#include <string.h>

#define BOLD "Helvetica-Bold"
/* Alpha for the links a highlighted packet did not cross. */
#define FADED_ALPHA "50"

/* One drawing: what the hooks need. */
typedef struct {
    SimScenario *sc;
    const SimVizLive *live;
    const SimVizOptions *user; /* the caller's options (hooks to chain) */
    char *caption;
} Ctx;

static void set(void *obj, const char *name, const char *value)
{
    agsafeset(obj, (char *)name, (char *)value, (char *)"");
}

static void set_html(void *obj, const char *name, const char *html)
{
    Agraph_t *root = agroot(obj);
    char *s = agstrdup_html(root, (char *)html); /* see diagram.c */
    set(obj, name, s);
    agstrfree(root, s);
}

/* ---- devices ---------------------------------------------------------------- */

static void add_note(GString *rows, const char *colour, const char *text)
{
    g_autofree char *esc = g_markup_escape_text(text, -1);
    g_string_append_printf(
        rows, "<TR><TD><FONT POINT-SIZE=\"14\" COLOR=\"%s\" FACE=\"" BOLD "\">%s</FONT></TD></TR>",
        colour, esc);
}

/* A coloured border and a line in the label for what the device did with
 * the packet. The label rather than an xlabel: dot places external labels
 * wherever there is room, often nearer a neighbour. The worst outcome
 * decides the border: dropped, then flooded, delivered, sent. */
static void mark_node(const SimVizPath *path, guint i, Agnode_t *n, GString *rows)
{
    guint m = sim_viz_path_node_marks(path, i);
    if (!m)
        return;
    const char *border = NULL;
    if (m & SIM_VIZ_MARK_SENT) {
        add_note(rows, SIM_VIZ_PATH_COLOUR, "\u25b6 sent");
        border = SIM_VIZ_PATH_COLOUR;
    }
    if (m & SIM_VIZ_MARK_DELIVERED) {
        add_note(rows, SIM_VIZ_DELIVER_COLOUR, "\u2713 delivered");
        border = SIM_VIZ_DELIVER_COLOUR;
    }
    if (m & SIM_VIZ_MARK_FLOODED) {
        add_note(rows, SIM_VIZ_FLOOD_COLOUR, "\u2731 flooded");
        border = SIM_VIZ_FLOOD_COLOUR;
    }
    if (m & SIM_VIZ_MARK_DROPPED) {
        g_autofree char *t =
            g_strdup_printf("\u2717 dropped: %s", sim_viz_path_drop_reasons(path, i));
        add_note(rows, SIM_VIZ_DROP_COLOUR, t);
        border = SIM_VIZ_DROP_COLOUR;
    }
    set(n, "color", border);
    set(n, "penwidth", "3");
}

static void node_hook(const SimTopo *topo, guint i, Agnode_t *n, GString *rows, gpointer data)
{
    Ctx *c = data;
    if (c->live->path)
        mark_node(c->live->path, i, n, rows);
    if (c->live->tables) {
        SimNode *node = sim_network_find_node(sim_network_of(sim_scenario_world(c->sc)),
                                              sim_topo_node(topo, i)->name);
        guint max = c->live->max_rows ? c->live->max_rows : SIM_VIZ_TABLE_MAX_ROWS;
        /* An octagon grows with the square of its label: a router with its
         * tables is drawn as a box with the router's double border, so the
         * tables do not balloon it. */
        if (node && sim_viz_table_rows(node, max, rows) > 0 &&
            sim_viz_device(topo, i) == SIM_VIZ_DEV_ROUTER) {
            agsafeset(n, (char *)"shape", (char *)"box", (char *)"");
            agsafeset(n, (char *)"peripheries", (char *)"2", (char *)"");
        }
    }
    if (c->user->node_hook)
        c->user->node_hook(topo, i, n, rows, c->user->hook_data);
}

/* ---- links ------------------------------------------------------------------ */

/* "2", "2, 6", or for a loop "1, 5, 6, 9, … ×812" (the crossings). */
static char *hop_numbers(const GArray *hops)
{
    GString *s = g_string_new(NULL);
    for (guint k = 0; k < hops->len && k < SIM_VIZ_PATH_MAX_LABELS; k++)
        g_string_append_printf(s, "%s%u", k ? ", " : "", g_array_index(hops, guint, k));
    if (hops->len > SIM_VIZ_PATH_MAX_LABELS)
        g_string_append_printf(s, ", \u2026 \u00d7%u", hops->len);
    return g_string_free(s, FALSE);
}

/* The arrow the packet's way: forward when it went from the edge's tail. */
static const char *edge_dir(const SimTopo *topo, guint l, Agedge_t *e, guint dirs)
{
    const SimTopoLink *link = sim_topo_link(topo, l);
    const char *a = sim_topo_node(topo, (guint)link->a.node_index)->name;
    bool a_is_tail = strcmp(agnameof(agtail(e)), a) == 0;
    bool from_tail = dirs & (a_is_tail ? SIM_VIZ_DIR_A_TO_B : SIM_VIZ_DIR_B_TO_A);
    bool from_head = dirs & (a_is_tail ? SIM_VIZ_DIR_B_TO_A : SIM_VIZ_DIR_A_TO_B);
    return from_tail && from_head ? "both" : from_tail ? "forward" : "back";
}

static void highlight_edge(const SimVizPath *path, const SimTopo *topo, guint l, Agedge_t *e)
{
    const GArray *hops = sim_viz_path_link_hops(path, l);
    if (!hops->len) {
        const char *c = agget(e, (char *)"color");
        if (c && strlen(c) == 7) { /* "#rrggbb" from the builder */
            g_autofree char *faded = g_strconcat(c, FADED_ALPHA, NULL);
            set(e, "color", faded);
        }
        return;
    }
    g_autofree char *nums = hop_numbers(hops);
    g_autofree char *esc = g_markup_escape_text(nums, -1);
    const char *params = agget(e, (char *)"xlabel");
    g_autofree char *pesc = params && *params ? g_markup_escape_text(params, -1) : NULL;
    g_autofree char *html = g_strdup_printf("<FONT POINT-SIZE=\"16\" COLOR=\"" SIM_VIZ_PATH_COLOUR
                                            "\" FACE=\"" BOLD "\">%s</FONT>%s%s",
                                            esc, pesc ? "<BR/>" : "", pesc ? pesc : "");
    set_html(e, "xlabel", html); /* placed clear of the port labels */
    /* and with room for it between them (as diagram.c does for rates) */
    const char *ml = agget(e, (char *)"minlen");
    if ((!ml || atoi(ml) < 2) && g_strcmp0(agget(e, (char *)"constraint"), "false") != 0)
        set(e, "minlen", "2");
    set(e, "color", SIM_VIZ_PATH_COLOUR);
    set(e, "penwidth", "3.5");
    set(e, "dir", edge_dir(topo, l, e, sim_viz_path_link_dirs(path, l)));
    set(e, "arrowsize", "0.8");
    set(e, "labeldistance", "1.6"); /* port names clear of the arrowheads */
    g_autofree char *tip = g_strdup_printf("hop %s", nums);
    set(e, "tooltip", tip);
    set(e, "class", "path");
}

/* A port the spanning tree blocks: "p8 ✖ blocked" on its end, dashed. */
static void mark_blocked(SimScenario *sc, const SimTopo *topo, guint l, Agedge_t *e)
{
    const SimTopoLink *link = sim_topo_link(topo, l);
    const SimTopoEndpoint *ends[2] = {&link->a, &link->b};
    for (int k = 0; k < 2; k++) {
        const SimTopoNode *tn = sim_topo_node(topo, (guint)ends[k]->node_index);
        SimNode *n = sim_network_find_node(sim_network_of(sim_scenario_world(sc)), tn->name);
        SimStp *stp = n ? sim_switch_stp(n) : NULL;
        if (!stp || !ends[k]->port || sim_stp_port_forwards(stp, ends[k]->port - 1) ||
            sim_stp_port_role(stp, ends[k]->port - 1) == SIM_STP_ROLE_DISABLED)
            continue;
        const char *attr = strcmp(agnameof(agtail(e)), tn->name) == 0 ? "taillabel" : "headlabel";
        g_autofree char *lab = g_strdup_printf(
            "p%u \u2716 %s", ends[k]->port,
            sim_stp_state_name(sim_stp_mode(stp), sim_stp_port_state(stp, ends[k]->port - 1)));
        set(e, attr, lab);
        set(e, "style", "dashed");
    }
}

static void edge_hook(const SimTopo *topo, guint l, Agedge_t *e, gpointer data)
{
    Ctx *c = data;
    mark_blocked(c->sc, topo, l, e);
    if (c->live->path)
        highlight_edge(c->live->path, topo, l, e);
    if (c->user->edge_hook)
        c->user->edge_hook(topo, l, e, c->user->hook_data);
}

/* ---- the drawing ------------------------------------------------------------ */

/* "8s", "1.00002256s": seconds as the trace prints them, without the
 * trailing zeros. */
static char *format_now(SimScenario *sc)
{
    char t[SIM_TIME_STRLEN];
    sim_time_format_sec(sim_world_now(sim_scenario_world(sc)), t);
    char *end = t + strlen(t);
    while (end > t && end[-1] == '0')
        *--end = 0;
    if (end > t && end[-1] == '.')
        *--end = 0;
    return g_strconcat(t, "s", NULL);
}

static char *make_caption(SimScenario *sc, const SimVizLive *live, const char *user)
{
    GString *s = g_string_new(user);
    if (live->tables) {
        g_autofree char *t = format_now(sc);
        g_string_append_printf(s, "%stables at t=%s", s->len ? "\n" : "", t);
    }
    if (live->path) {
        const SimVizPath *p = live->path;
        guint hops = sim_viz_path_n_hops(p);
        g_string_append_printf(s, "%spacket %" G_GUINT64_FORMAT ": %s (%u hop%s)",
                               s->len ? "\n" : "", sim_viz_path_uid(p), sim_viz_path_summary(p),
                               hops, hops == 1 ? "" : "s");
    }
    return g_string_free(s, FALSE);
}

static void prepare(Ctx *c, SimScenario *sc, const SimVizOptions *opts, const SimVizLive *live,
                    SimVizOptions *o)
{
    static const SimVizOptions defaults = {0};
    static const SimVizLive no_extras = {0};
    c->sc = sc;
    c->live = live ? live : &no_extras;
    c->user = opts ? opts : &defaults;
    c->caption = make_caption(sc, c->live, c->user->caption);
    *o = *c->user;
    o->node_hook = node_hook;
    o->edge_hook = edge_hook;
    o->hook_data = c;
    o->caption = *c->caption ? c->caption : NULL;
}

Agraph_t *sim_viz_scenario_graph(SimScenario *sc, const SimVizOptions *opts, const SimVizLive *live)
{
    Ctx c;
    SimVizOptions o;
    prepare(&c, sc, opts, live, &o);
    Agraph_t *g = sim_viz_graph(sim_scenario_topo(sc), &o);
    g_free(c.caption);
    return g;
}

gboolean sim_viz_write_scenario(SimScenario *sc, const SimVizOptions *opts, const SimVizLive *live,
                                const char *out, GError **error)
{
    Ctx c;
    SimVizOptions o;
    prepare(&c, sc, opts, live, &o);
    gboolean ok = sim_viz_write(sim_scenario_topo(sc), &o, out, error);
    g_free(c.caption);
    return ok;
}

gboolean sim_viz_write_live(SimScenario *sc, const SimVizOptions *opts, const char *out,
                            GError **error)
{
    const SimVizLive live = {.tables = true};
    return sim_viz_write_scenario(sc, opts, &live, out, error);
}

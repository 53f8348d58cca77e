/* test_viz_vlan.c - the 802.1Q view in diagrams: access links in their
 * VLAN's colour (the colour of the VLAN's subnet), trunks drawn heavy and
 * labelled with what they carry, a legend row per VLAN, and L3 switches
 * with their own shape and their SVI addresses. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <graphviz/cgraph.h>
#include <string.h>

#include "graph_fixtures.h"
#include "topo_fixtures.h"
#include "viz/diagram.h"
#include "viz/segments.h"
#include "viz/vlans.h"

static char *tmpdir;

static void make_tmp(void)
{
    tmpdir = fx_tmpdir("test_viz_vlan-XXXXXX");
}

static void remove_tmp(void)
{
    fx_rm_dir(tmpdir);
    g_free(tmpdir);
}

static Agraph_t *build_dot(const SimTopo *topo)
{
    g_autofree char *path = g_build_filename(tmpdir, "g.dot", NULL);
    g_autoptr(GError) err = NULL;
    cr_assert(sim_viz_write(topo, NULL, path, &err), "%s", err ? err->message : "");
    return read_dot(path);
}

static int link_index(const SimTopo *t, const char *a, const char *b)
{
    for (guint l = 0; l < t->links->len; l++) {
        const SimTopoLink *k = sim_topo_link(t, l);
        const char *x = sim_topo_node(t, (guint)k->a.node_index)->name;
        const char *y = sim_topo_node(t, (guint)k->b.node_index)->name;
        if ((!strcmp(x, a) && !strcmp(y, b)) || (!strcmp(x, b) && !strcmp(y, a)))
            return (int)l;
    }
    cr_assert_fail("no link %s-%s", a, b);
    return -1;
}

Test(viz_vlan, access_links_coloured_trunks_labelled, .init = make_tmp, .fini = remove_tmp)
{
    g_autoptr(SimTopo) t = fx_load_file("topologies/vlans.topo");
    g_autoptr(Agraph_t) g = build_dot(t);
    Agedge_t *trunk = edge_of_link(g, (guint)link_index(t, "sw1", "sw2"));
    cr_assert_str_eq(attr(trunk, "label"), "trunk 10,20");
    cr_assert_str_eq(attr(trunk, "penwidth"), "3.5");
    /* alex and dave are both in VLAN 10 on different switches: one colour,
     * which is the colour of their subnet; carol (VLAN 20) has another. */
    const char *alex = attr(edge_of_link(g, (guint)link_index(t, "alex", "sw1")), "color");
    const char *dave = attr(edge_of_link(g, (guint)link_index(t, "dave", "sw2")), "color");
    const char *carol = attr(edge_of_link(g, (guint)link_index(t, "carol", "sw1")), "color");
    cr_assert_str_eq(alex, dave);
    cr_assert_str_neq(alex, carol);
    g_autoptr(SimVizSegments) segs = sim_viz_segments_new(t);
    cr_assert_str_eq(alex, sim_viz_colour_dark(0), "192.168.10.0/24 is the first subnet");
    const char *legend = attr(g, "label");
    cr_assert(strstr(legend, "VLAN 10 dormA") && strstr(legend, "VLAN 20 dormB"), "%s", legend);
    cr_assert_null(strstr(legend, "VLAN 1 "), "no link is in VLAN 1: %s", legend);
}

Test(viz_vlan, l3_switch_shape_and_svis, .init = make_tmp, .fini = remove_tmp)
{
    g_autoptr(SimTopo) t = fx_load_file("topologies/l3-switch.topo");
    cr_assert_eq(sim_viz_device(t, (guint)sim_topo_node_index(t, "core")), SIM_VIZ_DEV_L3_SWITCH);
    g_autoptr(Agraph_t) g = build_dot(t);
    Agnode_t *core = node_named(g, "core");
    cr_assert_str_eq(attr(core, "shape"), "box3d");
    const char *label = attr(core, "label");
    cr_assert(strstr(label, "vlan10 192.168.10.254/24"), "%s", label);
    cr_assert(strstr(label, "vlan20 192.168.20.254/24"), "%s", label);
    cr_assert(strstr(label, "L3 switch, 8 ports"), "%s", label);
    /* A plain switch without port lines keeps its subnet colours. */
    g_autoptr(SimTopo) p = fx_load_file("topologies/dorm-room.topo");
    for (guint l = 0; l < p->links->len; l++) {
        SimVizLinkVlan v = sim_viz_link_vlan(p, l);
        cr_assert(!v.vlan_switch);
        sim_viz_link_vlan_clear(&v);
    }
}

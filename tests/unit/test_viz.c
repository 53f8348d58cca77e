/* test_viz.c - network diagrams: the DOT of every shipped topology reads
 * back with agread as one node per device and one edge per link with the
 * right end labels; `dot -Tsvg` accepts it; SVG is well-formed XML and PNG
 * a real image; device classification, subnet segments and colours, link
 * labels, layout hints, hooks and the `netsim dot` command line; following a
 * packet through trace records (path.h). Live diagrams of a running
 * scenario are tested in tests/scenario/test_viz_live.c. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <graphviz/cgraph.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "../scenario/run_netsim.h"
#include "frames.h"
#include "graph_fixtures.h"
#include "topo_fixtures.h"
#include "sim/core/world.h"
#include "viz/diagram.h"
#include "viz/path.h"
#include "viz/segments.h"

/* ---- helpers ------------------------------------------------------------ */

static char *tmpdir;

static void make_tmp(void)
{
    tmpdir = fx_tmpdir("test_viz-XXXXXX");
}

static void remove_tmp(void)
{
    fx_rm_dir(tmpdir);
    g_free(tmpdir);
}

static char *out_path(const char *topo_path, const char *ext)
{
    g_autofree char *base = g_path_get_basename(topo_path);
    g_autofree char *stem = g_strndup(base, strlen(base) - strlen(".topo"));
    g_autofree char *file = g_strconcat(stem, ext, NULL);
    return g_build_filename(tmpdir, file, NULL);
}

/* What a link end must be labelled, derived from the AST independently of
 * the code under test. */
static char *expected_end(const SimTopo *topo, const SimTopoEndpoint *ep)
{
    const SimTopoNode *node = sim_topo_node(topo, (guint)ep->node_index);
    if (node->kind == SIM_TOPO_HOST || node->kind == SIM_TOPO_ROUTER)
        return g_strdup(sim_topo_node_iface(node, (guint)ep->iface_index)->name);
    return g_strdup_printf("p%u", ep->port);
}

static Agraph_t *build_dot(const SimTopo *topo, const SimVizOptions *opts)
{
    g_autofree char *path = g_build_filename(tmpdir, "g.dot", NULL);
    g_autoptr(GError) err = NULL;
    cr_assert(sim_viz_write(topo, opts, path, &err), "%s", err ? err->message : "");
    return read_dot(path);
}

/* ---- the shipped topologies, through DOT, SVG and PNG --------------------- */

static void check_nodes(const char *file, const SimTopo *topo, Agraph_t *g)
{
    cr_assert_eq((guint)agnnodes(g), topo->nodes->len, "%s: %d nodes for %u devices", file,
                 agnnodes(g), topo->nodes->len);
    for (guint i = 0; i < topo->nodes->len; i++) {
        const SimTopoNode *node = sim_topo_node(topo, i);
        Agnode_t *n = agnode(g, node->name, 0);
        cr_assert_not_null(n, "%s: no node %s", file, node->name);
        const char *label = attr(n, "label");
        cr_assert(strstr(label, node->name), "%s: %s label lacks its name", file, node->name);
        for (guint k = 0; node->ifaces && k < node->ifaces->len; k++) {
            const SimTopoIface *f = sim_topo_node_iface(node, k);
            char ip[SIM_PREFIX_STRLEN];
            if (f->has_ip)
                cr_assert(strstr(label, sim_prefix_format(&f->ip, ip)), "%s: %s label lacks %s",
                          file, node->name, ip);
        }
        cr_assert_str_eq(attr(n, "class"), sim_viz_device_name(sim_viz_device(topo, i)));
    }
}

/* The LAN box (cluster) that holds n, or NULL. */
static Agraph_t *cluster_of(Agraph_t *g, Agnode_t *n)
{
    for (Agraph_t *c = agfstsubg(g); c; c = agnxtsubg(c))
        if (g_str_has_prefix(agnameof(c), "cluster") && agsubnode(c, n, 0))
            return c;
    return NULL;
}

static void check_edges(const char *file, const SimTopo *topo, Agraph_t *g)
{
    cr_assert_eq(count_edges(g), topo->links->len, "%s: %u edges for %u links", file,
                 count_edges(g), topo->links->len);
    for (guint l = 0; l < topo->links->len; l++) {
        const SimTopoLink *link = sim_topo_link(topo, l);
        Agedge_t *e = edge_of_link(g, l);
        cr_assert_not_null(e, "%s: no edge for link %u", file, l);
        const SimTopoEndpoint *t = &link->a, *h = &link->b;
        const char *tail = agnameof(agtail(e));
        if (strcmp(tail, sim_topo_node(topo, (guint)t->node_index)->name) != 0) {
            t = &link->b;
            h = &link->a;
        }
        cr_assert_str_eq(tail, sim_topo_node(topo, (guint)t->node_index)->name, "%s", file);
        cr_assert_str_eq(agnameof(aghead(e)), sim_topo_node(topo, (guint)h->node_index)->name, "%s",
                         file);
        g_autofree char *tl = expected_end(topo, t);
        g_autofree char *hl = expected_end(topo, h);
        const char *tport = attr(e, "tailport");
        if (strcmp(tport, "w") == 0) {
            /* A side-by-side link leaves a port panel by its side and
             * keeps its end label; it does not constrain the ranks. */
            cr_assert_str_eq(attr(e, "constraint"), "false", "%s link %u", file, l);
        } else if (strcmp(tport, "se") == 0) {
            /* A cable leaving a LAN box downwards, clear of its title
             * (bottom left): the tail is in a cluster, the head outside. */
            Agraph_t *box = cluster_of(g, agtail(e));
            cr_assert_not_null(box, "%s link %u", file, l);
            cr_assert_null(agsubnode(box, aghead(e), 0), "%s link %u", file, l);
            cr_assert_str_eq(attr(box, "labelloc"), "b", "%s link %u", file, l);
            cr_assert_str_eq(attr(box, "labeljust"), "l", "%s link %u", file, l);
        } else if (*tport) {
            /* A cable from a port panel: the port's cell is its label. */
            g_autofree char *cell = g_strdup_printf("PORT=\"%s\"", tl);
            g_autofree char *port = g_strdup_printf("%s:s", tl);
            cr_assert_str_eq(tport, port, "%s link %u", file, l);
            cr_assert(strstr(attr(agtail(e), "label"), cell), "%s link %u", file, l);
            g_free(tl);
            tl = g_strdup("");
        }
        cr_assert_str_eq(attr(e, "taillabel"), tl, "%s link %u", file, l);
        cr_assert_str_eq(attr(e, "headlabel"), hl, "%s link %u", file, l);
    }
}

Test(viz, shipped_dot_reads_back_one_node_per_device_one_edge_per_link, .init = make_tmp,
     .fini = remove_tmp)
{
    g_autoptr(GPtrArray) files = fx_shipped_topologies();
    for (guint i = 0; i < files->len; i++) {
        const char *file = g_ptr_array_index(files, i);
        g_autoptr(SimTopo) topo = fx_load_file(file);
        g_autofree char *path = out_path(file, ".dot");
        g_autoptr(GError) err = NULL;
        cr_assert(sim_viz_write(topo, NULL, path, &err), "%s: %s", file, err->message);
        g_autoptr(Agraph_t) g = read_dot(path);
        cr_assert(agisundirected(g));
        check_nodes(file, topo, g);
        check_edges(file, topo, g);
        cr_assert_not_null(topo->title, "%s: no network title", file);
        cr_assert(strstr(attr(g, "label"), topo->title), "%s: title not in the graph label", file);
    }
}

Test(viz, shipped_dot_is_accepted_by_dot_tsvg, .init = make_tmp, .fini = remove_tmp)
{
    g_autoptr(GPtrArray) files = fx_shipped_topologies();
    for (guint i = 0; i < files->len; i++) {
        const char *file = g_ptr_array_index(files, i);
        g_autoptr(SimTopo) topo = fx_load_file(file);
        g_autofree char *dot = out_path(file, ".dot");
        g_autofree char *svg = out_path(file, ".tool.svg");
        cr_assert(sim_viz_write(topo, NULL, dot, NULL));
        const char *argv[] = {"dot", "-Tsvg", dot, "-o", svg, NULL};
        g_autofree char *out = NULL, *errs = NULL;
        int status = -1;
        g_autoptr(GError) err = NULL;
        cr_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &errs, &status, &err),
                  "cannot run dot: %s", err ? err->message : "");
        cr_assert(g_spawn_check_wait_status(status, NULL), "%s: dot failed: %s", file, errs);
        cr_assert_str_empty(errs, "%s: dot complained: %s", file, errs);
        cr_assert(g_file_test(svg, G_FILE_TEST_IS_REGULAR));
    }
}

/* A small XML well-formedness check: declaration first; comments, PIs,
 * DOCTYPE and CDATA skipped; every tag's name and quoted attributes
 * parsed; end tags match; one root; entities are &name; or &#n;. Returns
 * NULL or the reason. */
static const char *xml_check(const char *s, const char **root_out)
{
    if (!g_str_has_prefix(s, "<?xml "))
        return "no XML declaration";
    g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func(g_free);
    guint roots = 0;
    const char *p = s;
    while (*p) {
        if (*p != '<') {
            if (*p == '&') {
                const char *q = p + 1;
                q += *q == '#';
                while (g_ascii_isalnum(*q))
                    q++;
                if (*q != ';' || q == p + 1)
                    return "bad entity";
            } else if (!stack->len && !g_ascii_isspace(*p))
                return "text outside the root element";
            p++;
            continue;
        }
        const char *end;
        if (g_str_has_prefix(p, "<?"))
            end = strstr(p, "?>");
        else if (g_str_has_prefix(p, "<!--"))
            end = strstr(p + 4, "-->");
        else if (g_str_has_prefix(p, "<![CDATA["))
            end = strstr(p, "]]>");
        else if (g_str_has_prefix(p, "<!DOCTYPE"))
            end = strchr(p, '>');
        else
            end = NULL;
        if (end || g_str_has_prefix(p, "<!")) {
            if (!end)
                return "unterminated markup declaration";
            p = strchr(end, '>') + 1;
            continue;
        }
        bool closing = p[1] == '/';
        const char *q = p + 1 + closing;
        const char *name = q;
        while (g_ascii_isalnum(*q) || strchr("_:-.", *q))
            q++;
        if (q == name)
            return "tag without a name";
        g_autofree char *tag = g_strndup(name, (gsize)(q - name));
        while (!closing) { /* attributes */
            while (g_ascii_isspace(*q))
                q++;
            if (*q == '>' || g_str_has_prefix(q, "/>"))
                break;
            const char *an = q;
            while (g_ascii_isalnum(*q) || strchr("_:-.", *q))
                q++;
            if (q == an || *q != '=' || (q[1] != '"' && q[1] != '\''))
                return "bad attribute";
            const char *close = strchr(q + 2, q[1]);
            if (!close || memchr(q + 2, '<', (gsize)(close - q - 2)))
                return "bad attribute value";
            q = close + 1;
        }
        while (closing && g_ascii_isspace(*q))
            q++;
        if (closing) {
            if (*q != '>' || !stack->len)
                return "stray end tag";
            if (strcmp(g_ptr_array_index(stack, stack->len - 1), tag) != 0)
                return "mismatched end tag";
            g_ptr_array_remove_index(stack, stack->len - 1);
            p = q + 1;
        } else if (*q == '>') {
            if (!stack->len && roots++)
                return "two root elements";
            if (!stack->len && root_out)
                *root_out = g_intern_string(tag);
            g_ptr_array_add(stack, g_steal_pointer(&tag));
            p = q + 1;
        } else {
            if (!stack->len && roots++)
                return "two root elements";
            p = q + 2;
        }
    }
    if (stack->len)
        return "unclosed element";
    return roots == 1 ? NULL : "no root element";
}

Test(viz, xml_checker_rejects_broken_documents)
{
    const char *ok = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<!-- c -->\n"
                     "<svg a=\"1 &lt; 2\"><g><text>x &amp; y</text><p/></g></svg>\n";
    const char *root = NULL;
    cr_assert_null(xml_check(ok, &root));
    cr_assert_str_eq(root, "svg");
    cr_assert_not_null(xml_check("<svg></svg>", NULL));
    cr_assert_not_null(xml_check("<?xml version=\"1.0\"?><svg><g></svg></g>", NULL));
    cr_assert_not_null(xml_check("<?xml version=\"1.0\"?><svg><g></svg>", NULL));
    cr_assert_not_null(xml_check("<?xml version=\"1.0\"?><svg a=1></svg>", NULL));
    cr_assert_not_null(xml_check("<?xml version=\"1.0\"?><svg>a & b</svg>", NULL));
    cr_assert_not_null(xml_check("<?xml version=\"1.0\"?><svg/><svg/>", NULL));
}

static guint count_substr(const char *s, const char *needle)
{
    guint n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

Test(viz, shipped_svg_is_well_formed, .init = make_tmp, .fini = remove_tmp)
{
    g_autoptr(GPtrArray) files = fx_shipped_topologies();
    for (guint i = 0; i < files->len; i++) {
        const char *file = g_ptr_array_index(files, i);
        g_autoptr(SimTopo) topo = fx_load_file(file);
        g_autofree char *svg = out_path(file, ".svg");
        g_autoptr(GError) err = NULL;
        cr_assert(sim_viz_write(topo, NULL, svg, &err), "%s: %s", file, err->message);
        g_autofree char *text = NULL;
        cr_assert(g_file_get_contents(svg, &text, NULL, NULL));
        const char *root = NULL;
        const char *why = xml_check(text, &root);
        cr_assert_null(why, "%s: SVG not well-formed: %s", file, why);
        cr_assert_str_eq(root, "svg");
        cr_assert_eq(count_substr(text, "class=\"node "), topo->nodes->len, "%s", file);
        cr_assert_eq(count_substr(text, "class=\"edge\""), topo->links->len, "%s", file);
    }
}

Test(viz, shipped_png_is_a_real_image, .init = make_tmp, .fini = remove_tmp)
{
    g_autoptr(GPtrArray) files = fx_shipped_topologies();
    for (guint i = 0; i < files->len; i++) {
        const char *file = g_ptr_array_index(files, i);
        g_autoptr(SimTopo) topo = fx_load_file(file);
        g_autofree char *png = out_path(file, ".png");
        g_autoptr(GError) err = NULL;
        cr_assert(sim_viz_write(topo, NULL, png, &err), "%s: %s", file, err->message);
        g_autofree guchar *d = NULL;
        gsize len = 0;
        cr_assert(g_file_get_contents(png, (char **)&d, &len, NULL));
        cr_assert_gt(len, 5000, "%s: PNG only %zu bytes", file, len);
        cr_assert_arr_eq(d, "\x89PNG\r\n\x1a\n", 8, "%s: no PNG signature", file);
        cr_assert_arr_eq(d + 8, "\0\0\0\x0dIHDR", 8, "%s: no IHDR first", file);
        guint32 w, h;
        memcpy(&w, d + 16, 4);
        memcpy(&h, d + 20, 4);
        w = GUINT32_FROM_BE(w);
        h = GUINT32_FROM_BE(h);
        cr_assert(w >= 200 && h >= 150 && w < 20000 && h < 20000, "%s: %ux%u", file, w, h);
        cr_assert_arr_eq(d + len - 8, "IEND\xae\x42\x60\x82", 8, "%s: no IEND last", file);
    }
}

/* ---- devices, segments, colours ------------------------------------------ */

Test(viz, public_addresses)
{
    const char *private[] = {"10.1.2.3",   "172.16.0.1",  "172.31.255.254", "192.168.1.1",
                             "100.64.0.1", "100.127.0.1", "127.0.0.1",      "169.254.1.1",
                             "0.1.2.3",    "192.0.0.9",   "224.0.0.1",      "240.0.0.1"};
    const char *public[] = {"8.8.8.8",      "172.32.0.1", "100.128.0.1", "203.0.113.10",
                            "198.51.100.1", "192.0.2.1",  "11.0.0.1"};
    for (gsize i = 0; i < G_N_ELEMENTS(private); i++) {
        SimIpv4 a;
        cr_assert(sim_ipv4_parse(private[i], &a, NULL));
        cr_assert_not(sim_viz_ipv4_is_public(a), "%s", private[i]);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(public); i++) {
        SimIpv4 a;
        cr_assert(sim_ipv4_parse(public[i], &a, NULL));
        cr_assert(sim_viz_ipv4_is_public(a), "%s", public[i]);
    }
}

static SimVizDevice device_named(const SimTopo *topo, const char *name)
{
    int i = sim_topo_node_index(topo, name);
    cr_assert_geq(i, 0, "no node %s", name);
    return sim_viz_device(topo, (guint)i);
}

Test(viz, device_kinds_and_the_cloud_rule)
{
    g_autoptr(SimTopo) t = fx_load_file("topologies/internet.topo");
    cr_assert_eq(device_named(t, "cloud"), SIM_VIZ_DEV_CLOUD);
    cr_assert_eq(device_named(t, "transit"), SIM_VIZ_DEV_ROUTER); /* public, still a hop */
    cr_assert_eq(device_named(t, "laptop"), SIM_VIZ_DEV_HOST);
    cr_assert_eq(device_named(t, "homesw"), SIM_VIZ_DEV_SWITCH);
    g_autoptr(SimTopo) e = fx_load_file("topologies/enterprise.topo");
    cr_assert_eq(device_named(e, "web"), SIM_VIZ_DEV_CLOUD);
    cr_assert_eq(device_named(e, "isp"), SIM_VIZ_DEV_ROUTER);
    cr_assert_eq(device_named(e, "files"), SIM_VIZ_DEV_HOST);
    g_autoptr(SimTopo) h = fx_load_file("topologies/hub-vs-switch.topo");
    cr_assert_eq(device_named(h, "hub1"), SIM_VIZ_DEV_HUB);
    /* A router named "internet" is drawn as the cloud; a private host
     * named "Cloud" too (the name says what it stands for). */
    g_autoptr(SimTopo) n =
        fx_load_text("router internet\n  interface a ip 10.0.0.1/30\n"
                     "host Cloud ip 10.0.0.2/30\nhost pc\nlink internet Cloud\n");
    cr_assert_eq(device_named(n, "internet"), SIM_VIZ_DEV_CLOUD);
    cr_assert_eq(device_named(n, "Cloud"), SIM_VIZ_DEV_CLOUD);
    cr_assert_eq(device_named(n, "pc"), SIM_VIZ_DEV_HOST); /* no address: not public */
    cr_assert_str_eq(sim_viz_device_name(SIM_VIZ_DEV_L3_SWITCH), "l3-switch");
}

Test(viz, segments_follow_cables_and_take_the_hosts_subnet)
{
    g_autoptr(SimTopo) t = fx_load_file("topologies/dorms-router.topo");
    g_autoptr(SimVizSegments) s = sim_viz_segments_new(t);
    int swA = sim_topo_node_index(t, "swA"), swB = sim_topo_node_index(t, "swB");
    int r1 = sim_topo_node_index(t, "r1"), alex = sim_topo_node_index(t, "alex");
    int sa = sim_viz_segments_of_bridge(s, (guint)swA),
        sb = sim_viz_segments_of_bridge(s, (guint)swB);
    cr_assert_neq(sa, sb);
    cr_assert_eq(sim_viz_segments_of_iface(s, (guint)r1, 0), sa);
    cr_assert_eq(sim_viz_segments_of_iface(s, (guint)r1, 1), sb);
    cr_assert_eq(sim_viz_segments_of_iface(s, (guint)alex, 0), sa);
    cr_assert_eq(sim_viz_segments_of_iface(s, (guint)alex, 1), -1);
    cr_assert_eq(sim_viz_segments_of_bridge(s, (guint)alex), -1);
    /* 4 host ifaces + 2 switches + 2 router ifaces, joined into two LANs. */
    cr_assert_eq(sim_viz_segments_count(s), 2);
    cr_assert_eq(sim_viz_segments_n_subnets(s), 2);
    const GArray *subs = sim_viz_segments_subnets_of(s, (guint)sa);
    cr_assert_eq(subs->len, 1);
    SimPrefix p = sim_viz_segments_subnet(s, g_array_index(subs, guint, 0));
    char buf[SIM_PREFIX_STRLEN];
    cr_assert_str_eq(sim_prefix_format(&p, buf), "192.168.10.0/24");
    /* Subnets are numbered in declaration order: colour 0 is dorm A. */
    cr_assert_eq(sim_viz_segments_colour(s, (guint)sa), 0);
    cr_assert_eq(sim_viz_segments_colour(s, (guint)sb), 1);
    for (guint l = 0; l < t->links->len; l++) {
        const SimTopoLink *link = sim_topo_link(t, l);
        int want = (link->a.node_index == swA || link->b.node_index == swA) ? sa : sb;
        cr_assert_eq(sim_viz_segments_of_link(s, l), want, "link %u", l);
    }
    cr_assert_str_neq(sim_viz_colour_dark(0), sim_viz_colour_dark(1));
    cr_assert_str_eq(sim_viz_colour_dark(SIM_VIZ_PALETTE_SIZE + 1), sim_viz_colour_dark(1));
}

Test(viz, one_segment_for_joined_switches_and_none_for_a_bare_switch)
{
    g_autoptr(SimTopo) t = fx_load_file("topologies/two-dorms-joined.topo");
    g_autoptr(SimVizSegments) s = sim_viz_segments_new(t);
    cr_assert_eq(sim_viz_segments_count(s), 1);
    g_autoptr(SimTopo) b = fx_load_text("switch lonely\nhost a ip 10.0.0.1/24\n"
                                        "host b ip 10.0.0.2/24\nlink a b\n");
    g_autoptr(SimVizSegments) sb = sim_viz_segments_new(b);
    cr_assert_eq(sim_viz_segments_count(sb), 2);
    int seg = sim_viz_segments_of_bridge(sb, 0);
    cr_assert_eq(sim_viz_segments_colour(sb, (guint)seg), -1);
    cr_assert_eq(sim_viz_segments_subnets_of(sb, (guint)seg)->len, 0);
}

/* ---- what the graph says ------------------------------------------------- */

Test(viz, clusters_hold_lans_and_routers_stay_outside, .init = make_tmp, .fini = remove_tmp)
{
    g_autoptr(SimTopo) t = fx_load_file("topologies/dorms-router.topo");
    g_autoptr(Agraph_t) g = build_dot(t, NULL);
    Agraph_t *c0 = agsubg(g, "cluster_s0", 0);
    cr_assert_not_null(c0);
    cr_assert_str_eq(attr(c0, "label"), "192.168.10.0/24");
    cr_assert_not_null(agnode(c0, "alex", 0));
    cr_assert_not_null(agnode(c0, "swA", 0));
    cr_assert_null(agnode(c0, "bob", 0));
    for (Agraph_t *c = agfstsubg(g); c; c = agnxtsubg(c))
        cr_assert_null(agnode(c, "r1", 0), "router inside %s", agnameof(c));
    /* The cluster and its links wear the same colour. */
    Agedge_t *e = edge_of_link(g, 4); /* swA.8 - r1.eth0 */
    cr_assert_str_eq(attr(e, "color"), attr(c0, "color"));
    cr_assert_str_eq(attr(e, "color"), sim_viz_colour_dark(0));
    cr_assert_str_eq(attr(edge_of_link(g, 0), "color"), sim_viz_colour_dark(0));
    cr_assert_str_eq(attr(edge_of_link(g, 2), "color"), sim_viz_colour_dark(1));
}

Test(viz, links_are_oriented_from_the_uplink_down, .init = make_tmp, .fini = remove_tmp)
{
    g_autoptr(SimTopo) t = fx_load_file("topologies/dorms-router.topo");
    g_autoptr(Agraph_t) g = build_dot(t, NULL);
    Agedge_t *up = edge_of_link(g, 4); /* written swA.8 r1.eth0 */
    cr_assert_str_eq(agnameof(agtail(up)), "r1");
    cr_assert_str_eq(attr(up, "taillabel"), "eth0");
    cr_assert_str_eq(attr(up, "headlabel"), "p8");
    Agedge_t *down = edge_of_link(g, 0); /* written alex swA */
    cr_assert_str_eq(agnameof(agtail(down)), "swA");
    cr_assert_str_eq(attr(down, "headlabel"), "eth0");
    /* Two switches on one rank: side by side, not constraining. */
    g_autoptr(SimTopo) j = fx_load_file("topologies/two-dorms-joined.topo");
    g_autoptr(Agraph_t) gj = build_dot(j, NULL);
    cr_assert_str_eq(attr(edge_of_link(gj, 4), "constraint"), "false");
    cr_assert_str_eq(attr(edge_of_link(gj, 0), "constraint"), "true");
}

Test(viz, link_labels_show_only_what_differs_from_the_defaults, .init = make_tmp,
     .fini = remove_tmp)
{
    g_autoptr(SimTopo) t = fx_load_file("topologies/dorms-router.topo");
    g_autoptr(Agraph_t) g = build_dot(t, NULL);
    cr_assert_str_eq(attr(edge_of_link(g, 0), "xlabel"), "");
    cr_assert_str_eq(attr(edge_of_link(g, 4), "xlabel"), "1Gbps 5us");
    cr_assert(strstr(attr(g, "label"), "links are 100Mbps 1us unless labelled"));
    /* `defaults link` moves the baseline. */
    g_autoptr(SimTopo) e = fx_load_file("topologies/enterprise.topo");
    g_autoptr(Agraph_t) ge = build_dot(e, NULL);
    cr_assert_str_eq(attr(edge_of_link(ge, 0), "xlabel"), "100Mbps 1ms");
    cr_assert_str_eq(attr(edge_of_link(ge, 1), "xlabel"), "");
    cr_assert(strstr(attr(ge, "label"), "links are 1Gbps 2us unless labelled"));
    g_autoptr(SimTopo) x = fx_load_text("host a ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\n"
                                        "host c ip 10.0.0.3/24\nswitch s\n"
                                        "link a s rate 1.5Gbps loss 2% mtu 9000\n"
                                        "link b s rate 64kbps delay 250ns queue 7\n"
                                        "link c s rate 1234bps\n");
    g_autoptr(Agraph_t) gx = build_dot(x, NULL);
    cr_assert_str_eq(attr(edge_of_link(gx, 0), "xlabel"), "1.5Gbps loss 2% mtu 9000");
    cr_assert_str_eq(attr(edge_of_link(gx, 1), "xlabel"), "64kbps 250ns queue 7");
    cr_assert_str_eq(attr(edge_of_link(gx, 2), "xlabel"), "1.234kbps");
}

Test(viz, labels_carry_addresses_and_macs_on_request, .init = make_tmp, .fini = remove_tmp)
{
    g_autoptr(SimTopo) t = fx_load_file("topologies/dorms-router.topo");
    g_autoptr(Agraph_t) g = build_dot(t, NULL);
    const char *alex = attr(agnode(g, "alex", 0), "label");
    cr_assert(strstr(alex, "192.168.10.1/24"));
    cr_assert_null(strstr(alex, "00:0a:a4:2a:3e:4b"));
    cr_assert(aghtmlstr((char *)agget(agnode(g, "alex", 0), "label")));
    const char *r1 = attr(agnode(g, "r1", 0), "label");
    cr_assert(strstr(r1, "eth0 192.168.10.254/24") && strstr(r1, "eth1 192.168.20.254/24"));
    cr_assert(strstr(attr(agnode(g, "swA", 0), "label"), "switch, 8 ports"));
    SimVizOptions o = {.show_mac = true};
    g_autoptr(Agraph_t) gm = build_dot(t, &o);
    cr_assert(strstr(attr(agnode(gm, "alex", 0), "label"), "00:0a:a4:2a:3e:4b"));
    /* Auto-assigned MACs are shown too, with the interface on routers. */
    cr_assert(strstr(attr(agnode(gm, "r1", 0), "label"), "eth1 02:"));
    /* A title needing escapes stays intact in the HTML label. */
    g_autoptr(SimTopo) q = fx_load_text("network \"R&D <lab>\"\nhost a ip 10.0.0.1/24\n");
    g_autoptr(Agraph_t) gq = build_dot(q, NULL);
    cr_assert(strstr(attr(gq, "label"), "R&amp;D &lt;lab&gt;"));
}

Test(viz, big_lans_are_dealt_into_staggered_rows, .init = make_tmp, .fini = remove_tmp)
{
    g_autoptr(SimTopo) t = fx_load_file("topologies/enterprise.topo");
    g_autoptr(Agraph_t) g = build_dot(t, NULL);
    guint rows[4] = {0};
    for (guint l = 0; l < t->links->len; l++) {
        const SimTopoLink *link = sim_topo_link(t, l);
        if (strcmp(sim_topo_node(t, (guint)link->b.node_index)->name, "sw-eng") != 0 ||
            sim_topo_node(t, (guint)link->a.node_index)->kind != SIM_TOPO_HOST)
            continue;
        int ml = atoi(attr(edge_of_link(g, l), "minlen"));
        cr_assert(ml >= 1 && ml <= 3, "minlen %d", ml);
        rows[ml]++;
    }
    /* 20 hosts, at most SIM_VIZ_ROW_MAX per row: 7, 7, 6. */
    cr_assert_eq(rows[1], 7);
    cr_assert_eq(rows[2], 7);
    cr_assert_eq(rows[3], 6);
    cr_assert_gt(atof(attr(agnode(g, "sw-eng", 0), "width")), 5.0);
    /* Small LANs stay on one row. */
    g_autoptr(SimTopo) d = fx_load_file("topologies/dorm-room.topo");
    g_autoptr(Agraph_t) gd = build_dot(d, NULL);
    for (guint l = 0; l < d->links->len; l++)
        cr_assert_str_eq(attr(edge_of_link(gd, l), "minlen"), "1");
}

Test(viz, neato_colours_nodes_instead_of_clusters, .init = make_tmp, .fini = remove_tmp)
{
    g_autoptr(SimTopo) t = fx_load_file("topologies/dorms-router.topo");
    SimVizOptions o = {.layout = SIM_VIZ_LAYOUT_NEATO};
    g_autoptr(Agraph_t) g = build_dot(t, &o);
    cr_assert_null(agfstsubg(g));
    cr_assert_str_eq(attr(agnode(g, "alex", 0), "fillcolor"), sim_viz_colour_light(0));
    cr_assert_str_eq(attr(agnode(g, "swB", 0), "color"), sim_viz_colour_dark(1));
    cr_assert_eq((guint)agnnodes(g), t->nodes->len);
    cr_assert_eq(count_edges(g), t->links->len);
    SimVizOptions f = {.layout = SIM_VIZ_LAYOUT_FDP};
    g_autoptr(Agraph_t) gf = build_dot(t, &f);
    cr_assert_not_null(agsubg(gf, "cluster_s0", 0));
}

static void row_hook(const SimTopo *topo, guint node, Agnode_t *n, GString *rows, gpointer data)
{
    (*(guint *)data)++;
    if (strcmp(sim_topo_node(topo, node)->name, "r1") == 0) {
        g_string_append(rows, "<TR><TD>ROUTE-TABLE-ROW</TD></TR>");
        agsafeset(n, (char *)"penwidth", (char *)"3", (char *)"");
    }
}

static void path_hook(const SimTopo *topo, guint link, Agedge_t *e, gpointer data)
{
    (*(guint *)data)++;
    if (link == 4)
        agsafeset(e, (char *)"color", (char *)"red", (char *)"");
}

Test(viz, hooks_add_label_rows_and_restyle_edges, .init = make_tmp, .fini = remove_tmp)
{
    g_autoptr(SimTopo) t = fx_load_file("topologies/dorms-router.topo");
    guint calls = 0;
    SimVizOptions o = {.node_hook = row_hook, .edge_hook = path_hook, .hook_data = &calls};
    g_autoptr(Agraph_t) g = build_dot(t, &o);
    cr_assert_eq(calls, t->nodes->len + t->links->len);
    cr_assert(strstr(attr(agnode(g, "r1", 0), "label"), "ROUTE-TABLE-ROW"));
    cr_assert_str_eq(attr(agnode(g, "r1", 0), "penwidth"), "3");
    cr_assert_str_eq(attr(edge_of_link(g, 4), "color"), "red");
    cr_assert_str_eq(attr(edge_of_link(g, 3), "color"), sim_viz_colour_dark(1));
}

/* ---- writing ------------------------------------------------------------- */

Test(viz, formats_and_layout_names)
{
    cr_assert_str_eq(sim_viz_format_for_path("a/b.DOT", NULL), "dot");
    cr_assert_str_eq(sim_viz_format_for_path("x.svg", NULL), "svg");
    cr_assert_str_eq(sim_viz_format_for_path("x.Png", NULL), "png");
    g_autoptr(GError) err = NULL;
    cr_assert_null(sim_viz_format_for_path("x.gif", &err));
    cr_assert(g_error_matches(err, SIM_VIZ_ERROR, SIM_VIZ_ERROR_FORMAT));
    cr_assert_null(sim_viz_format_for_path("dir.png/x", NULL));
    SimVizLayout l;
    cr_assert(sim_viz_layout_parse("fdp", &l, NULL));
    cr_assert_eq(l, SIM_VIZ_LAYOUT_FDP);
    cr_assert_not(sim_viz_layout_parse("circo", &l, NULL));
    cr_assert_str_eq(sim_viz_layout_name(SIM_VIZ_LAYOUT_NEATO), "neato");
}

/* Also within one process: the first drawing and later ones once listed
 * the clusters in different orders (cgraph ordered them by heap address). */
Test(viz, output_is_deterministic, .init = make_tmp, .fini = remove_tmp)
{
    static const char *const files[] = {"topologies/dorms-router.topo",
                                        "topologies/enterprise.topo", "topologies/internet.topo"};
    for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
        g_autoptr(SimTopo) t = fx_load_file(files[i]);
        g_autofree char *p1 = g_build_filename(tmpdir, "1.dot", NULL);
        g_autofree char *p2 = g_build_filename(tmpdir, "2.dot", NULL);
        cr_assert(sim_viz_write(t, NULL, p1, NULL));
        cr_assert(sim_viz_write(t, NULL, p2, NULL));
        g_autofree char *a = NULL, *b = NULL;
        cr_assert(g_file_get_contents(p1, &a, NULL, NULL));
        cr_assert(g_file_get_contents(p2, &b, NULL, NULL));
        cr_assert_str_eq(a, b, "%s", files[i]);
    }
}

Test(viz, unwritable_output_is_an_error)
{
    g_autoptr(SimTopo) t = fx_load_file("topologies/two-pcs.topo");
    g_autoptr(GError) err = NULL;
    cr_assert_not(sim_viz_write(t, NULL, "/nonexistent-dir/x.svg", &err));
    cr_assert(g_error_matches(err, SIM_VIZ_ERROR, SIM_VIZ_ERROR_RENDER));
    cr_assert(strstr(err->message, "/nonexistent-dir/x.svg"), "%s", err->message);
    g_clear_error(&err);
    cr_assert_not(sim_viz_write(t, NULL, "x.jpg", &err));
    cr_assert(g_error_matches(err, SIM_VIZ_ERROR, SIM_VIZ_ERROR_FORMAT));
}

/* ---- the command line ----------------------------------------------------- */

Test(viz, cli_writes_dot_to_stdout)
{
    Run r = netsim((const char *[]){"dot", "topologies/dorms-router.topo", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    g_autoptr(Agraph_t) g = agmemread(r.out);
    cr_assert_not_null(g);
    cr_assert_eq(agnnodes(g), 7);
    cr_assert_eq(count_edges(g), 6);
    run_free(&r);
    /* Warnings never end up in the DOT. */
    r = netsim((const char *[]){"dot", "topologies/broadcast-storm.topo", NULL});
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.err, "warning"));
    g_autoptr(Agraph_t) g2 = agmemread(r.out);
    cr_assert_not_null(g2);
    run_free(&r);
}

Test(viz, cli_writes_files_by_extension, .init = make_tmp, .fini = remove_tmp)
{
    g_autofree char *svg = g_build_filename(tmpdir, "x.svg", NULL);
    Run r = netsim((const char *[]){"dot", "topologies/internet.topo", "-o", svg, "--layout", "fdp",
                                    "--mac", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_empty(r.out);
    run_free(&r);
    g_autofree char *text = NULL;
    cr_assert(g_file_get_contents(svg, &text, NULL, NULL));
    cr_assert_null(xml_check(text, NULL));
    cr_assert(strstr(text, "02:00:00:00:00:")); /* --mac: an auto MAC is shown */
}

Test(viz, cli_rejects_bad_usage)
{
    const char *cases[][6] = {
        {"dot", NULL},
        {"dot", "topologies/two-pcs.topo", "-o", "x.gif", NULL},
        {"dot", "topologies/two-pcs.topo", "--layout", "circo", NULL},
        {"dot", "no-such-file.topo", NULL},
        {"dot", "topologies/two-pcs.topo", "--bogus", NULL},
        {"dot", "topologies/two-pcs.topo", "-o", "/nonexistent-dir/x.png", NULL},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        Run r = netsim(cases[i]);
        cr_assert_eq(r.status, 2, "case %zu", i);
        cr_assert_str_empty(r.out, "case %zu", i);
        cr_assert_str_not_empty(r.err, "case %zu", i);
        run_free(&r);
    }
    Run r = netsim((const char *[]){"dot", "--help", NULL});
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "--layout"));
    run_free(&r);
}

/* ---- following a packet (path.h), with records emitted by hand ------------ */

static const char *const STAR_TOPO = "host a ip 10.0.0.1/24\n"
                                     "host b ip 10.0.0.2/24\n"
                                     "host c ip 10.0.0.3/24\n"
                                     "switch sw ports 4\n"
                                     "link a sw.1\n"
                                     "link sw.2 b\n"
                                     "link c sw.3\n";

static void emit(SimWorld *w, SimTraceKind kind, SimDropReason why, const char *node,
                 const char *iface, const SimPacket *pkt)
{
    sim_world_tracef(w, kind, why, node, iface, pkt, "by hand");
}

static guint hop_at(const GArray *hops, guint k)
{
    cr_assert_lt(k, hops->len);
    return g_array_index(hops, guint, k);
}

Test(viz_path, hops_count_links_from_the_sender_and_floods_share_a_number)
{
    g_autoptr(SimTopo) t = fx_load_text(STAR_TOPO);
    g_autoptr(SimWorld) w = sim_world_new(1);
    g_autoptr(SimPacket) arp = frame_arp(sim_world_pool(w), SIM_ARP_REQUEST, &EP_A, &EP_B);
    g_autoptr(SimPacket) other = sim_packet_copy(arp);
    sim_packet_set_uid(arp, 7);
    sim_packet_set_uid(other, 8);
    g_autoptr(SimVizPath) p = sim_viz_path_new(w, t, 7);
    cr_assert_eq(sim_viz_path_n_records(p), 0);
    cr_assert_str_empty(sim_viz_path_summary(p));

    emit(w, SIM_TR_TX, SIM_DROP_NONE, "b", "eth0", other); /* another packet */
    emit(w, SIM_TR_INFO, SIM_DROP_NONE, "a", "eth0", NULL);
    emit(w, SIM_TR_TX, SIM_DROP_NONE, "a", "eth0", arp);
    emit(w, SIM_TR_RX, SIM_DROP_NONE, "sw", "1", arp);
    emit(w, SIM_TR_FLOOD, SIM_DROP_NONE, "sw", "1", arp);
    emit(w, SIM_TR_TX, SIM_DROP_NONE, "sw", "2", arp);
    emit(w, SIM_TR_TX, SIM_DROP_NONE, "sw", "3", arp);
    emit(w, SIM_TR_TX, SIM_DROP_NONE, "sw", "4", arp); /* unconnected port */
    emit(w, SIM_TR_RX, SIM_DROP_NONE, "b", "eth0", arp);
    emit(w, SIM_TR_DROP, SIM_DROP_NOT_FOR_US, "b", "eth0", arp);
    emit(w, SIM_TR_DROP, SIM_DROP_NOT_FOR_US, "b", "eth0", arp);
    emit(w, SIM_TR_DROP, SIM_DROP_QUEUE_FULL, "b", "eth0", arp);
    emit(w, SIM_TR_RX, SIM_DROP_NONE, "c", "eth0", arp);
    emit(w, SIM_TR_DELIVER, SIM_DROP_NONE, "c", NULL, arp);
    emit(w, SIM_TR_TX, SIM_DROP_NONE, "c", "eth0", arp); /* back the same way */

    cr_assert_eq(sim_viz_path_uid(p), 7);
    cr_assert_eq(sim_viz_path_n_records(p), 13);
    cr_assert_eq(sim_viz_path_n_crossings(p), 5);
    cr_assert_eq(sim_viz_path_n_hops(p), 3);
    const GArray *h0 = sim_viz_path_link_hops(p, 0), *h1 = sim_viz_path_link_hops(p, 1),
                 *h2 = sim_viz_path_link_hops(p, 2);
    cr_assert_eq(h0->len, 1);
    cr_assert_eq(hop_at(h0, 0), 1);
    cr_assert_eq(h1->len, 1);
    cr_assert_eq(hop_at(h1, 0), 2, "flooded copies share the hop number");
    cr_assert_eq(h2->len, 2);
    cr_assert_eq(hop_at(h2, 0), 2);
    cr_assert_eq(hop_at(h2, 1), 3);
    /* Directions: link 0 is "a sw.1" (a to b end); link 1 is "sw.2 b". */
    cr_assert_eq(sim_viz_path_link_dirs(p, 0), SIM_VIZ_DIR_A_TO_B);
    cr_assert_eq(sim_viz_path_link_dirs(p, 1), SIM_VIZ_DIR_A_TO_B);
    cr_assert_eq(sim_viz_path_link_dirs(p, 2), SIM_VIZ_DIR_A_TO_B | SIM_VIZ_DIR_B_TO_A);

    int a = sim_topo_node_index(t, "a"), b = sim_topo_node_index(t, "b"),
        c = sim_topo_node_index(t, "c"), sw = sim_topo_node_index(t, "sw");
    cr_assert_eq(sim_viz_path_node_marks(p, (guint)a), SIM_VIZ_MARK_SENT);
    cr_assert_eq(sim_viz_path_node_marks(p, (guint)sw), SIM_VIZ_MARK_FLOODED);
    cr_assert_eq(sim_viz_path_node_marks(p, (guint)b), SIM_VIZ_MARK_DROPPED);
    cr_assert_eq(sim_viz_path_node_marks(p, (guint)c), SIM_VIZ_MARK_DELIVERED);
    cr_assert_str_eq(sim_viz_path_drop_reasons(p, (guint)b), "not for us, queue full");
    cr_assert_null(sim_viz_path_drop_reasons(p, (guint)c));
    cr_assert_str_eq(sim_viz_path_summary(p), "ARP who-has 192.168.10.2 tell 192.168.10.1");
}

Test(viz_path, a_packet_never_seen_leaves_everything_blank)
{
    g_autoptr(SimTopo) t = fx_load_text(STAR_TOPO);
    g_autoptr(SimWorld) w = sim_world_new(1);
    g_autoptr(SimPacket) arp = frame_arp(sim_world_pool(w), SIM_ARP_REQUEST, &EP_A, &EP_B);
    sim_packet_set_uid(arp, 1);
    g_autoptr(SimVizPath) p = sim_viz_path_new(w, t, 2);
    emit(w, SIM_TR_TX, SIM_DROP_NONE, "a", "eth0", arp);
    cr_assert_eq(sim_viz_path_n_records(p), 0);
    cr_assert_eq(sim_viz_path_n_hops(p), 0);
    for (guint l = 0; l < t->links->len; l++)
        cr_assert_eq(sim_viz_path_link_hops(p, l)->len, 0);
    for (guint i = 0; i < t->nodes->len; i++)
        cr_assert_eq(sim_viz_path_node_marks(p, i), SIM_VIZ_MARK_NONE);
    /* Unsubscribed on free: later records reach nobody (ASan would see a
     * use after free otherwise). */
    sim_viz_path_free(g_steal_pointer(&p));
    emit(w, SIM_TR_TX, SIM_DROP_NONE, "a", "eth0", arp);
}

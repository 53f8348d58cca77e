/* test_dot_projector.c - `netsim dot` for a projector: a PNG is sharp at
 * 1920 pixels by default, --dpi sets its resolution, .pdf writes a PDF,
 * and --tables without --at shows the tables when the last command's
 * traffic has ended, not after aging has emptied them. */
#include "run_netsim.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>

#define DORMS "topologies/dorms-router.topo"

static char *out_path(const char *name)
{
    char *dir = g_build_filename(NETSIM_BUILD_DIR, "dot-projector", NULL);
    g_mkdir_with_parents(dir, 0755);
    char *p = g_build_filename(dir, name, NULL);
    g_free(dir);
    return p;
}

/* Width of a PNG from its IHDR chunk (bytes 16-19, big-endian). */
static guint32 png_width(const char *path)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    cr_assert(g_file_get_contents(path, &data, &len, NULL));
    cr_assert_geq(len, 24);
    cr_assert_eq(memcmp(data, "\x89PNG\r\n\x1a\n", 8), 0);
    const guint8 *p = (const guint8 *)data + 16;
    return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static void dot(const char *const *args)
{
    Run r = netsim(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
}

Test(dot_projector, png_is_sharp_at_1920_by_default_and_dpi_sets_it)
{
    g_autofree char *def = out_path("default.png");
    g_autofree char *low = out_path("72.png");
    dot((const char *[]){"dot", DORMS, "-o", def, NULL});
    dot((const char *[]){"dot", DORMS, "-o", low, "--dpi", "72", NULL});
    guint32 w = png_width(def), w72 = png_width(low);
    cr_assert_geq(w, 1920, "default PNG is %u px wide", w);
    cr_assert_lt(w72, 1000, "--dpi 72 gives %u px", w72);
    Run r = netsim((const char *[]){"dot", DORMS, "-o", low, "--dpi", "1", NULL});
    cr_assert_eq(r.status, 2);
    run_free(&r);
}

Test(dot_projector, pdf)
{
    g_autofree char *pdf = out_path("d.pdf");
    dot((const char *[]){"dot", DORMS, "-o", pdf, NULL});
    g_autofree char *data = NULL;
    gsize len = 0;
    cr_assert(g_file_get_contents(pdf, &data, &len, NULL));
    cr_assert(len > 1000 && memcmp(data, "%PDF-", 5) == 0);
}

/* dorms-router's last command is at 8 s; its traffic (the traceroute
 * started at 5 s) ends near 10 s; the run goes on to 310 s, when the MAC
 * and ARP entries have aged out. */
Test(dot_projector, tables_default_to_the_end_of_the_last_command)
{
    Run r = netsim((const char *[]){"dot", DORMS, "--tables", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "tables at t=10."), "%.300s", strstr(r.out, "tables at") ?: r.out);
    cr_assert(strstr(r.out, "00:0a:a4:2a:3e:4b"), "alex's MAC is still in the tables");
    run_free(&r);
    r = netsim((const char *[]){"dot", DORMS, "--tables", "--at", "400s", NULL});
    cr_assert_eq(r.status, 0);
    cr_assert_null(strstr(r.out, "MAC table (3)"), "by 400 s swA's entries have aged");
    run_free(&r);
    /* Spanning tree hellos never let enterprise.topo go idle, and BPDUs
     * are not the traffic: its tables are those after the last command,
     * the show at 20 s (it ran to the event limit, at 344806 s). */
    r = netsim((const char *[]){"dot", "topologies/enterprise.topo", "--tables", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "tables at t=20s"), "%.300s", strstr(r.out, "tables at") ?: r.out);
    run_free(&r);
}

/* The labels a projector needs to read are at least 14 pt. */
Test(dot_projector, labels_are_at_least_14_pt)
{
    Run r = netsim((const char *[]){"dot", DORMS, NULL});
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "fontsize=16"), "node names");
    cr_assert(strstr(r.out, "labelfontsize=14"), "port labels");
    cr_assert_null(strstr(r.out, "POINT-SIZE=\"9\""));
    cr_assert_null(strstr(r.out, "POINT-SIZE=\"10\""));
    run_free(&r);
}

/* No cable enters a LAN box where its title is (the titles sit at the
 * bottom), a big switch is a port panel whose cables leave from their
 * cells, and link rates are xlabels, placed clear of the port names. */
Test(dot_projector, titles_panels_and_rate_labels)
{
    Run r = netsim((const char *[]){"dot", "topologies/enterprise.topo", NULL});
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "labelloc=b"));
    cr_assert(strstr(r.out, "PORT=\"p20\""), "sw-eng's panel has a cell for p20");
    cr_assert(strstr(r.out, "\"sw-eng\":p20:s -- hr10"), "hr10's cable leaves from p20");
    cr_assert(strstr(r.out, "xlabel=\"100Mbps 1ms\""));
    /* A rate gets a rank of room between the port names (minlen 2). */
    const char *up = strstr(r.out, "isp -- core");
    cr_assert_not_null(up);
    const char *ml = strstr(up, "minlen=2");
    cr_assert(ml && ml < strstr(up, "];"), "isp -- core is one rank long");
    run_free(&r);
    /* A modem (a hub) is a LAN box between two routers: its cable down
     * leaves from the lower right, clear of the title at the bottom left. */
    g_autofree char *topo = out_path("transit-lan.topo");
    cr_assert(g_file_set_contents(topo,
                                  "host cloud ip 203.0.113.10/24\n"
                                  "router isp\n"
                                  "  interface up ip 203.0.113.1/24\n"
                                  "  interface cust ip 100.64.0.1/30\n"
                                  "hub modem ports 2\n"
                                  "router home\n"
                                  "  interface wan ip 100.64.0.2/30\n"
                                  "link cloud isp.up\n"
                                  "link isp.cust modem.2\n"
                                  "link modem.1 home.wan\n",
                                  -1, NULL));
    r = netsim((const char *[]){"dot", topo, NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "modem:se -- home"), "%s", r.out);
    cr_assert_null(strstr(r.out, "isp:se"), "isp is in no LAN box");
    run_free(&r);
}

/* The y coordinate (points, origin at the bottom) of a node in laid-out
 * DOT: the second number of its pos="x,y". */
static double node_y(const char *dot_text, const char *node)
{
    g_autofree char *head = g_strdup_printf("\t%s\t[", node);
    const char *n = strstr(dot_text, head);
    cr_assert_not_null(n, "no node %s", node);
    const char *end = strstr(n, "];");
    const char *pos = strstr(n, "pos=\"");
    cr_assert(pos && pos < end, "no pos for %s", node);
    const char *comma = strchr(pos, ',');
    return g_ascii_strtod(comma + 1, NULL);
}

/* The width in pixels of file drawn to build/dot-projector/NAME.png at
 * the default resolution. */
static guint32 drawn_width(const char *file, const char *name)
{
    g_autofree char *base = g_strconcat(name, ".png", NULL);
    g_autofree char *png = out_path(base);
    dot((const char *[]){"dot", file, "-o", png, NULL});
    return png_width(png);
}

/* `netsim gen KIND N` into build/dot-projector/NAME.topo, and its DOT. */
static Run generated(const char *kind, const char *n, const char *name, char **topo)
{
    g_autofree char *base = g_strconcat(name, ".topo", NULL);
    *topo = out_path(base);
    dot((const char *[]){"gen", kind, n, "-o", *topo, NULL});
    Run r = netsim((const char *[]){"dot", *topo, NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    return r;
}

/* Wide LANs wrap. enterprise.topo has 54 PCs and servers under one core
 * switch: its floors hang on two tiers (sw-floor2 below sw-eng's hosts),
 * and at the default resolution the picture fits 2400 pixels across (it
 * was 3993 when dot ranked each LAN box on its own and ignored the
 * tiers). The floor-to-floor trunk leaves both panels by their sides. */
Test(dot_projector, enterprise_wraps_into_tiers)
{
    Run r = netsim((const char *[]){"dot", "topologies/enterprise.topo", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "newrank=true"));
    double eng = node_y(r.out, "\"sw-eng\""), floor2 = node_y(r.out, "\"sw-floor2\"");
    double eng3 = node_y(r.out, "eng3"); /* sw-eng's third row of hosts */
    cr_assert_lt(floor2, eng3, "sw-floor2 (y %.0f) not below sw-eng's hosts (y %.0f)", floor2,
                 eng3);
    cr_assert_lt(eng3, eng);
    cr_assert(strstr(r.out, "\"sw-eng\":w -- \"sw-floor2\":w"), "trunk by the panels' sides");
    run_free(&r);
    guint32 w = drawn_width("topologies/enterprise.topo", "enterprise-wrap");
    cr_assert(w >= 1920 && w <= 2400, "enterprise is %u pixels wide", w);
}

/* A generated flat LAN of 60 hosts: the hosts are dealt into rows of at
 * most 7 and the switch's panel wraps into two rows of 30 cells, so the
 * drawing is no wider than 2500 pixels (2782 with one row of 60 cells). */
Test(dot_projector, generated_wide_lan_wraps)
{
    g_autofree char *topo = NULL;
    Run r = generated("flat-lan", "60", "flat-lan-60", &topo);
    /* Two rows of port cells: p1-p30, then p31-p60. */
    const char *p30 = strstr(r.out, "PORT=\"p30\"");
    cr_assert_not_null(p30);
    cr_assert(g_str_has_prefix(strstr(p30, "</TD>"), "</TD></TR><TR><TD PORT=\"p31\""));
    cr_assert_null(strstr(r.out, "PORT=\"p61\""));
    /* Nine rows of hosts under the switch: minlen 1 to 9, none longer. */
    cr_assert(strstr(r.out, "minlen=9"));
    cr_assert_null(strstr(r.out, "minlen=10"));
    run_free(&r);
    guint32 w = drawn_width(topo, "flat-lan-60");
    cr_assert(w >= 1920 && w <= 2500, "flat-lan 60 is %u pixels wide", w);
}

/* `netsim gen two-lans 40`: LAN b is numbered from 192.169/16, public
 * space, yet its hosts sit on a switch, so they are hosts, not 40 clouds
 * in a row (9490 pixels across); and two LANs of 40 under one router are
 * too wide side by side, so swB hangs below swA's last row. */
Test(dot_projector, generated_two_lans_wrap_and_stay_hosts)
{
    g_autofree char *topo = NULL;
    Run r = generated("two-lans", "40", "two-lans-40", &topo);
    cr_assert_null(strstr(r.out, "class=cloud"));
    cr_assert_lt(node_y(r.out, "swB"), node_y(r.out, "a5"), "swB is not below swA's hosts");
    run_free(&r);
    guint32 w = drawn_width(topo, "two-lans-40");
    cr_assert(w <= 3500, "two-lans 40 is %u pixels wide", w);
}

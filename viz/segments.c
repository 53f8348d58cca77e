/* segments.c - see segments.h. */
#include "viz/segments.h"

struct _SimVizSegments {
    guint n_nodes;
    guint n_elems;
    guint *base;      /* per node: first element index */
    bool *bridge;     /* per node: switch or hub (one element) */
    int *seg_of_elem; /* per element: segment index */
    int *seg_of_link; /* per link */
    guint n_segs;
    GArray *subnets;   /* SimPrefix, distinct, first-appearance order */
    GPtrArray *by_seg; /* per segment: GArray of guint subnet indexes */
};

/* Tableau-like palette: distinct hues that stay legible on white, and pale
 * tints of the same hues for cluster backgrounds. */
static const char *const dark[SIM_VIZ_PALETTE_SIZE] = {
    "#1f77b4", "#d62728", "#2ca02c", "#e8710a", "#9467bd",
    "#8c564b", "#d8509f", "#1498a6", "#9a9a1e", "#7f7f7f",
};
static const char *const light[SIM_VIZ_PALETTE_SIZE] = {
    "#e3eef8", "#fbe3e3", "#e3f4e3", "#fff0e0", "#eee7f5",
    "#f1e8e5", "#fbeaf6", "#e0f6f9", "#f6f6dc", "#eeeeee",
};

const char *sim_viz_colour_dark(guint subnet)
{
    return dark[subnet % SIM_VIZ_PALETTE_SIZE];
}

const char *sim_viz_colour_light(guint subnet)
{
    return light[subnet % SIM_VIZ_PALETTE_SIZE];
}

static guint uf_find(guint *parent, guint x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]]; /* path halving */
        x = parent[x];
    }
    return x;
}

static void uf_union(guint *parent, guint a, guint b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    /* The smaller index stays root, so a segment is named by its first
     * element in declaration order whatever the link order. */
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

static guint elem_of(const SimVizSegments *s, const SimTopoEndpoint *ep)
{
    guint n = (guint)ep->node_index;
    return s->bridge[n] ? s->base[n] : s->base[n] + (guint)ep->iface_index;
}

static guint subnet_index(GArray *subnets, SimPrefix net)
{
    for (guint i = 0; i < subnets->len; i++) {
        SimPrefix *p = &g_array_index(subnets, SimPrefix, i);
        if (p->addr == net.addr && p->len == net.len)
            return i;
    }
    g_array_append_val(subnets, net);
    return subnets->len - 1;
}

static void add_subnet_to_seg(GArray *list, guint subnet)
{
    guint i = 0;
    while (i < list->len && g_array_index(list, guint, i) < subnet)
        i++;
    if (i < list->len && g_array_index(list, guint, i) == subnet)
        return;
    g_array_insert_val(list, i, subnet);
}

/* Numbers the union-find roots 0.. in element order. */
static void number_segments(SimVizSegments *s, guint *parent, guint n_elems)
{
    int *seg_of_root = g_new(int, n_elems);
    for (guint e = 0; e < n_elems; e++)
        seg_of_root[e] = -1;
    s->seg_of_elem = g_new(int, n_elems ? n_elems : 1);
    for (guint e = 0; e < n_elems; e++) {
        guint r = uf_find(parent, e);
        if (seg_of_root[r] < 0) {
            seg_of_root[r] = (int)s->n_segs++;
            g_ptr_array_add(s->by_seg, g_array_new(FALSE, FALSE, sizeof(guint)));
        }
        s->seg_of_elem[e] = seg_of_root[r];
    }
    g_free(seg_of_root);
}

static void collect_subnets(SimVizSegments *s, const SimTopo *topo)
{
    for (guint n = 0; n < topo->nodes->len; n++) {
        const SimTopoNode *node = sim_topo_node(topo, n);
        if (s->bridge[n] || !node->ifaces)
            continue;
        for (guint i = 0; i < node->ifaces->len; i++) {
            const SimTopoIface *f = sim_topo_node_iface(node, i);
            if (!f->has_ip)
                continue;
            SimPrefix net = {sim_prefix_network(&f->ip), f->ip.len};
            guint idx = subnet_index(s->subnets, net);
            add_subnet_to_seg(g_ptr_array_index(s->by_seg, s->seg_of_elem[s->base[n] + i]), idx);
        }
    }
}

SimVizSegments *sim_viz_segments_new(const SimTopo *topo)
{
    SimVizSegments *s = g_new0(SimVizSegments, 1);
    guint nn = topo->nodes->len;
    s->n_nodes = nn;
    s->base = g_new0(guint, nn ? nn : 1);
    s->bridge = g_new0(bool, nn ? nn : 1);
    s->subnets = g_array_new(FALSE, FALSE, sizeof(SimPrefix));
    s->by_seg = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);

    guint n_elems = 0;
    for (guint n = 0; n < nn; n++) {
        const SimTopoNode *node = sim_topo_node(topo, n);
        s->base[n] = n_elems;
        s->bridge[n] = !sim_topo_node_has_ifaces(node->kind);
        n_elems += s->bridge[n] ? 1 : (node->ifaces ? node->ifaces->len : 0);
    }
    s->n_elems = n_elems;
    guint *parent = g_new(guint, n_elems ? n_elems : 1);
    for (guint e = 0; e < n_elems; e++)
        parent[e] = e;
    guint nl = topo->links->len;
    for (guint l = 0; l < nl; l++) {
        const SimTopoLink *link = sim_topo_link(topo, l);
        uf_union(parent, elem_of(s, &link->a), elem_of(s, &link->b));
    }
    number_segments(s, parent, n_elems);
    s->seg_of_link = g_new(int, nl ? nl : 1);
    for (guint l = 0; l < nl; l++)
        s->seg_of_link[l] = s->seg_of_elem[elem_of(s, &sim_topo_link(topo, l)->a)];
    g_free(parent);
    collect_subnets(s, topo);
    return s;
}

void sim_viz_segments_free(SimVizSegments *s)
{
    if (!s)
        return;
    g_free(s->base);
    g_free(s->bridge);
    g_free(s->seg_of_elem);
    g_free(s->seg_of_link);
    g_array_unref(s->subnets);
    g_ptr_array_unref(s->by_seg);
    g_free(s);
}

guint sim_viz_segments_count(const SimVizSegments *s)
{
    return s->n_segs;
}

int sim_viz_segments_of_link(const SimVizSegments *s, guint link)
{
    return s->seg_of_link[link];
}

int sim_viz_segments_of_iface(const SimVizSegments *s, guint node, guint iface)
{
    if (node >= s->n_nodes || s->bridge[node])
        return -1;
    guint end = node + 1 < s->n_nodes ? s->base[node + 1] : s->n_elems;
    guint e = s->base[node] + iface;
    return e < end ? s->seg_of_elem[e] : -1;
}

int sim_viz_segments_of_bridge(const SimVizSegments *s, guint node)
{
    if (node >= s->n_nodes || !s->bridge[node])
        return -1;
    return s->seg_of_elem[s->base[node]];
}

guint sim_viz_segments_n_subnets(const SimVizSegments *s)
{
    return s->subnets->len;
}

SimPrefix sim_viz_segments_subnet(const SimVizSegments *s, guint subnet)
{
    return g_array_index(s->subnets, SimPrefix, subnet);
}

const GArray *sim_viz_segments_subnets_of(const SimVizSegments *s, guint seg)
{
    return g_ptr_array_index(s->by_seg, seg);
}

int sim_viz_segments_colour(const SimVizSegments *s, guint seg)
{
    const GArray *list = g_ptr_array_index(s->by_seg, seg);
    return list->len ? (int)g_array_index(list, guint, 0) : -1;
}

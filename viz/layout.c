/* layout.c - the ranking hints of a diagram (see diagram_priv.h): the tier
 * of every device (hops from the Internet side), hosts dealt into staggered
 * rows under a busy switch, and wide networks wrapped by hanging every
 * second LAN one tier lower. Hints only lengthen edges (minlen) and never
 * add any, so the drawing stays a picture of the topology's own links.
 * O(N + L) for the ranks, O(N x L) for the wrap (stagger_lans: fine for
 * shipped and generated topologies up to some thousands of links).
 */
#include "viz/diagram_priv.h"

static int priority(SimVizDevice d)
{
    switch (d) {
    case SIM_VIZ_DEV_CLOUD:
        return 0;
    case SIM_VIZ_DEV_ROUTER:
    case SIM_VIZ_DEV_L3_SWITCH:
        return 1;
    case SIM_VIZ_DEV_SWITCH:
    case SIM_VIZ_DEV_HUB:
        return 2;
    case SIM_VIZ_DEV_HOST:
        break;
    }
    return 3;
}

/* Multi-source BFS from the highest-priority devices present; a component
 * without any of them starts from its own best class. A round reaches every
 * component holding a source, so each round leaves no node of its class
 * unreached: at most four rounds of O(N + L). */
void sim_viz_layout_ranks(Build *b)
{
    guint nn = b->topo->nodes->len;
    g_autoptr(GPtrArray) adj = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    for (guint i = 0; i < nn; i++)
        g_ptr_array_add(adj, g_array_new(FALSE, FALSE, sizeof(guint)));
    for (guint l = 0; l < b->topo->links->len; l++) {
        const SimTopoLink *link = sim_topo_link(b->topo, l);
        guint a = (guint)link->a.node_index, z = (guint)link->b.node_index;
        g_array_append_val(g_ptr_array_index(adj, a), z);
        g_array_append_val(g_ptr_array_index(adj, z), a);
    }
    for (guint i = 0; i < nn; i++)
        b->rank[i] = -1;
    g_autofree guint *queue = g_new(guint, nn ? nn : 1);
    for (;;) {
        int best = 99;
        for (guint i = 0; i < nn; i++)
            if (b->rank[i] < 0 && priority(b->dev[i]) < best)
                best = priority(b->dev[i]);
        if (best == 99)
            break;
        guint head = 0, tail = 0;
        for (guint i = 0; i < nn; i++)
            if (b->rank[i] < 0 && priority(b->dev[i]) == best) {
                b->rank[i] = 0;
                queue[tail++] = i;
            }
        while (head < tail) {
            guint u = queue[head++];
            GArray *nb = g_ptr_array_index(adj, u);
            for (guint k = 0; k < nb->len; k++) {
                guint v = g_array_index(nb, guint, k);
                if (b->rank[v] < 0) {
                    b->rank[v] = b->rank[u] + 1;
                    queue[tail++] = v;
                }
            }
        }
    }
}

/* A switch with many single-homed hosts below it would make one rank as
 * wide as all of them: deal them into ceil(n / SIM_VIZ_ROW_MAX) rows
 * instead, by lengthening the edges to later rows. Dealing round-robin
 * (host k to row k mod rows) staggers the rows, so each cable to a lower
 * row runs down the gap between two hosts above it; filling row by row
 * made the cables to the last rows sweep around the first ones. */
/* Wide networks wrap: when the LANs below one device (switches with hosts
 * of their own) would together put more than SIM_VIZ_WRAP_HOSTS hosts side
 * by side, every second LAN, in file order, hangs one tier lower - its
 * uplink made long enough to clear the tallest LAN of the upper tier - so
 * the drawing grows down instead of to 3800 pixels across. */
/* Hosts side by side that a LAN of n dealt hosts spans: dot offsets each
 * row from the one above so the cables pass between, which widens the
 * block by about one host per extra row (flat-lan 60: 9 rows of 7 span
 * 12 to 15 hosts). Counting 7 per LAN left two LANs of 40 side by side. */
static guint lan_width(guint n)
{
    guint rows = (n + SIM_VIZ_ROW_MAX - 1) / SIM_VIZ_ROW_MAX;
    return n <= SIM_VIZ_ROW_MAX ? n : SIM_VIZ_ROW_MAX + rows - 1;
}

static void stagger_lans(Build *b, const guint *leaf_count)
{
    const SimTopo *t = b->topo;
    g_autofree int *uplink = g_new(int, t->nodes->len ? t->nodes->len : 1);
    for (guint p = 0; p < t->nodes->len; p++) {
        guint width = 0, n = 0, tall = 0;
        for (guint l = 0; l < t->links->len; l++) {
            const SimTopoLink *link = sim_topo_link(t, l);
            guint a = (guint)link->a.node_index, z = (guint)link->b.node_index;
            guint down = a == p ? z : a;
            if ((a != p && z != p) || b->rank[down] <= b->rank[p] || leaf_count[down] == 0)
                continue;
            width += lan_width(leaf_count[down]);
            if (n % 2 == 0)
                tall = MAX(tall, (leaf_count[down] + SIM_VIZ_ROW_MAX - 1) / SIM_VIZ_ROW_MAX);
            uplink[n++] = (int)l;
        }
        if (n < 2 || width <= SIM_VIZ_WRAP_HOSTS)
            continue;
        for (guint k = 1; k < n; k += 2) {
            const SimTopoLink *link = sim_topo_link(t, (guint)uplink[k]);
            guint a = (guint)link->a.node_index, z = (guint)link->b.node_index;
            b->minlen[uplink[k]] = tall + 2;
            b->hung[a == p ? z : a] = true;
        }
    }
}

void sim_viz_layout_rows(Build *b)
{
    const SimTopo *t = b->topo;
    for (guint l = 0; l < t->links->len; l++)
        b->minlen[l] = 1;
    if (b->opts->layout != SIM_VIZ_LAYOUT_DOT)
        return;
    guint *leaf_count = b->leaves;
    g_autofree int *leaf_parent = g_new(int, t->links->len ? t->links->len : 1);
    for (guint l = 0; l < t->links->len; l++) {
        const SimTopoLink *link = sim_topo_link(t, l);
        guint a = (guint)link->a.node_index, z = (guint)link->b.node_index;
        guint up = b->rank[a] <= b->rank[z] ? a : z, down = up == a ? z : a;
        leaf_parent[l] = -1;
        if ((b->dev[up] == SIM_VIZ_DEV_SWITCH || b->dev[up] == SIM_VIZ_DEV_HUB) &&
            b->dev[down] == SIM_VIZ_DEV_HOST && b->rank[down] > b->rank[up] &&
            b->degree[down] == 1) {
            leaf_parent[l] = (int)up;
            leaf_count[up]++;
        }
    }
    g_autofree guint *seen = g_new0(guint, t->nodes->len ? t->nodes->len : 1);
    for (guint l = 0; l < t->links->len; l++) {
        if (leaf_parent[l] < 0)
            continue;
        guint p = (guint)leaf_parent[l], n = leaf_count[p];
        if (n <= SIM_VIZ_ROW_MAX)
            continue;
        guint rows = (n + SIM_VIZ_ROW_MAX - 1) / SIM_VIZ_ROW_MAX;
        b->minlen[l] = 1 + seen[p]++ % rows;
    }
    stagger_lans(b, leaf_count);
}

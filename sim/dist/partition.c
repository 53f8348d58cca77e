/* partition.c - see partition.h.
 *
 * Zero-delay groups are found with a union-find over the links (O(links
 * * alpha)); METIS then partitions the group graph in CSR form. Cost: the
 * graph is O(nodes + links) and METIS is near-linear in it; a 100,000-host
 * campus partitions in well under a second. */
#include "sim/dist/partition.h"

#include "sim/net/eth.h"

#include <errno.h>
#include <stdarg.h>
#include <metis.h>
#include <string.h>

struct _SimPartition {
    const SimTopo *topo; /* borrowed */
    guint nparts;
    guint *rank; /* by node index */
    bool *cut;   /* by link index */
    guint n_cut;
    SimTime lookahead;
    const char *how; /* "metis", "one rank" or the file name */
    char *file;
};

static guint node_weight(const SimTopo *topo, guint i, const guint *degree)
{
    (void)topo;
    return 1 + degree[i];
}

static guint find(guint *parent, guint x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

static SimPartition *partition_new(const SimTopo *topo, guint nparts)
{
    SimPartition *p = g_new0(SimPartition, 1);
    p->topo = topo;
    p->nparts = nparts;
    p->rank = g_new0(guint, MAX(topo->nodes->len, 1));
    p->cut = g_new0(bool, MAX(topo->links->len, 1));
    return p;
}

void sim_partition_free(SimPartition *p)
{
    if (!p)
        return;
    g_free(p->rank);
    g_free(p->cut);
    g_free(p->file);
    g_free(p);
}

/* Serialisation of the smallest frame, rounded up as link.c rounds. */
static SimTime min_serialisation(uint64_t rate_bps)
{
    unsigned __int128 bits_ns = (unsigned __int128)SIM_ETH_MIN_FRAME * 8u * 1000000000u;
    return (SimTime)((bits_ns + rate_bps - 1) / rate_bps);
}

/* Marks cut links and computes the lookahead; the first cut zero-delay
 * link, if any, is returned (-1: none). */
static int finish(SimPartition *p)
{
    const SimTopo *topo = p->topo;
    p->lookahead = SIM_TIME_MAX;
    p->n_cut = 0;
    int zero = -1;
    for (guint i = 0; i < topo->links->len; i++) {
        const SimTopoLink *l = sim_topo_link(topo, i);
        p->cut[i] = p->rank[l->a.node_index] != p->rank[l->b.node_index];
        if (!p->cut[i])
            continue;
        p->n_cut++;
        if (l->params.delay == 0 && zero < 0)
            zero = (int)i;
        p->lookahead = MIN(p->lookahead, sim_partition_link_lookahead(p, i));
    }
    return zero;
}

static gboolean metis_fail(GError **error, int status)
{
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                "netsim: error: METIS could not partition the topology (status %d)", status);
    return FALSE;
}

/* What cutting a link costs: the lookahead it would impose, relative to
 * the longest delay in the topology (1 for the longest links, up to
 * MAX_CUT_COST for the shortest), so that METIS cuts 1 ms links before
 * 1 us ones. */
#define MAX_CUT_COST 1000
static guint cut_cost(const SimTopoLink *l, SimTime dmax)
{
    SimTime d = MAX(l->params.delay, 1);
    return (guint)MIN((dmax + d - 1) / d, MAX_CUT_COST);
}

/* Allowed imbalance, in thousandths above the mean part weight: 30%. A
 * short cut link slows every rank (the global lookahead is the smallest),
 * a heavier part only its own; METIS's defaults (0.1%, 3%) cut 1 us LAN
 * links to balance a campus of small LANs to the last host. */
#define UFACTOR 300

static gint key_cmp(gconstpointer a, gconstpointer b)
{
    guint x = GPOINTER_TO_UINT(a), y = GPOINTER_TO_UINT(b);
    return x < y ? -1 : x > y;
}

/* METIS over the zero-delay groups; group g goes to part[g]. */
static gboolean partition_groups(const SimTopo *topo, const guint *group, guint ngroups,
                                 const guint *degree, guint nparts, idx_t *part, GError **error)
{
    if (nparts == 1 || ngroups <= nparts) {
        for (guint g = 0; g < ngroups; g++)
            part[g] = nparts == 1 ? 0 : (idx_t)g;
        return TRUE;
    }
    /* Edge weights between groups, accumulated in one hash per group. */
    g_autofree idx_t *vwgt = g_new0(idx_t, ngroups);
    for (guint i = 0; i < topo->nodes->len; i++)
        vwgt[group[i]] += (idx_t)node_weight(topo, i, degree);
    SimTime dmax = 1;
    for (guint i = 0; i < topo->links->len; i++)
        dmax = MAX(dmax, sim_topo_link(topo, i)->params.delay);
    GHashTable **adj = g_new0(GHashTable *, ngroups);
    for (guint g = 0; g < ngroups; g++)
        adj[g] = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint i = 0; i < topo->links->len; i++) {
        const SimTopoLink *l = sim_topo_link(topo, i);
        guint a = group[l->a.node_index], b = group[l->b.node_index];
        if (a == b)
            continue;
        for (int s = 0; s < 2; s++) {
            guint from = s ? b : a, to = s ? a : b;
            gpointer key = GUINT_TO_POINTER(to + 1);
            guint w = GPOINTER_TO_UINT(g_hash_table_lookup(adj[from], key));
            g_hash_table_insert(adj[from], key, GUINT_TO_POINTER(w + cut_cost(l, dmax)));
        }
    }
    g_autofree idx_t *xadj = g_new0(idx_t, ngroups + 1);
    for (guint g = 0; g < ngroups; g++)
        xadj[g + 1] = xadj[g] + (idx_t)g_hash_table_size(adj[g]);
    g_autofree idx_t *adjncy = g_new0(idx_t, MAX(xadj[ngroups], 1));
    g_autofree idx_t *adjwgt = g_new0(idx_t, MAX(xadj[ngroups], 1));
    for (guint g = 0; g < ngroups; g++) {
        /* Sorted neighbours: METIS's result must not depend on hash order. */
        GList *keys = g_list_sort(g_hash_table_get_keys(adj[g]), key_cmp);
        idx_t k = xadj[g];
        for (GList *e = keys; e; e = e->next) {
            adjncy[k] = (idx_t)(GPOINTER_TO_UINT(e->data) - 1);
            adjwgt[k++] = (idx_t)GPOINTER_TO_UINT(g_hash_table_lookup(adj[g], e->data));
        }
        g_list_free(keys);
        g_hash_table_destroy(adj[g]);
    }
    g_free(adj);
    idx_t nv = (idx_t)ngroups, ncon = 1, np = (idx_t)nparts, objval = 0;
    idx_t options[METIS_NOPTIONS];
    METIS_SetDefaultOptions(options);
    options[METIS_OPTION_SEED] = 1;
    options[METIS_OPTION_NUMBERING] = 0;
    options[METIS_OPTION_UFACTOR] = UFACTOR;
    int st = nparts <= 8 ? METIS_PartGraphRecursive(&nv, &ncon, xadj, adjncy, vwgt, NULL, adjwgt,
                                                    &np, NULL, NULL, options, &objval, part)
                         : METIS_PartGraphKway(&nv, &ncon, xadj, adjncy, vwgt, NULL, adjwgt, &np,
                                               NULL, NULL, options, &objval, part);
    return st == METIS_OK ? TRUE : metis_fail(error, st);
}

SimPartition *sim_partition_auto(const SimTopo *topo, guint nparts, GError **error)
{
    g_assert(nparts >= 1 && nparts <= SIM_PARTITION_MAX_RANKS);
    guint n = topo->nodes->len;
    g_autofree guint *parent = g_new(guint, MAX(n, 1));
    g_autofree guint *degree = g_new0(guint, MAX(n, 1));
    for (guint i = 0; i < n; i++)
        parent[i] = i;
    for (guint i = 0; i < topo->links->len; i++) {
        const SimTopoLink *l = sim_topo_link(topo, i);
        degree[l->a.node_index]++;
        degree[l->b.node_index]++;
        if (l->params.delay == 0)
            parent[find(parent, (guint)l->a.node_index)] = find(parent, (guint)l->b.node_index);
    }
    for (guint i = 0; i < topo->cmds->len; i++) {
        const SimTopoCmd *c = sim_topo_cmd(topo, i);
        if (c->kind != SIM_TOPO_CMD_LINK)
            continue;
        const SimTopoLink *l = sim_topo_link(topo, (guint)c->link_index);
        parent[find(parent, (guint)l->a.node_index)] = find(parent, (guint)l->b.node_index);
    }
    /* Groups numbered in order of their first device. */
    g_autofree guint *group = g_new(guint, MAX(n, 1));
    g_autofree guint *root_group = g_new(guint, MAX(n, 1));
    guint ngroups = 0;
    for (guint i = 0; i < n; i++)
        root_group[i] = G_MAXUINT;
    for (guint i = 0; i < n; i++) {
        guint r = find(parent, i);
        if (root_group[r] == G_MAXUINT)
            root_group[r] = ngroups++;
        group[i] = root_group[r];
    }
    g_autofree idx_t *part = g_new0(idx_t, MAX(ngroups, 1));
    if (!partition_groups(topo, group, ngroups, degree, nparts, part, error))
        return NULL;
    SimPartition *p = partition_new(topo, nparts);
    p->how = nparts == 1 ? "one rank" : "METIS";
    for (guint i = 0; i < n; i++)
        p->rank[i] = (guint)part[group[i]];
    int zero = finish(p);
    g_assert(zero < 0); /* contraction makes a zero-delay cut impossible */
    return p;
}

static gboolean file_error(GError **error, const char *path, guint line, guint col, const char *fmt,
                           ...) G_GNUC_PRINTF(5, 6);

static gboolean file_error(GError **error, const char *path, guint line, guint col, const char *fmt,
                           ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%u:%u: error: %s", path, line, col,
                msg);
    return FALSE;
}

/* One `NODE RANK` line; FALSE with *error set on a bad one. */
static gboolean parse_line(SimPartition *p, bool *seen, const char *path, guint lineno, char *s,
                           GError **error)
{
    char *hash = strchr(s, '#');
    if (hash)
        *hash = '\0';
    char *start = s + strspn(s, " \t\r");
    if (!*start)
        return TRUE;
    guint col = (guint)(start - s) + 1;
    char *name_end = start + strcspn(start, " \t\r");
    char *num = name_end + strspn(name_end, " \t\r");
    guint num_col = (guint)(num - s) + 1;
    if (!*num)
        return file_error(error, path, lineno, num_col, "expected 'NODE RANK'");
    *name_end = '\0';
    int idx = sim_topo_node_index(p->topo, start);
    if (idx < 0)
        return file_error(error, path, lineno, col, "no device '%s' in %s", start, p->topo->file);
    if (seen[idx])
        return file_error(error, path, lineno, col, "'%s' is assigned twice", start);
    char *end;
    errno = 0;
    unsigned long r = strtoul(num, &end, 10);
    end += strspn(end, " \t\r");
    if (*num == '-' || errno || *end || end == num || r >= p->nparts)
        return file_error(error, path, lineno, num_col,
                          "expected a rank from 0 to %u (the run has %u rank%s)", p->nparts - 1,
                          p->nparts, p->nparts == 1 ? "" : "s");
    seen[idx] = true;
    p->rank[idx] = (guint)r;
    return TRUE;
}

SimPartition *sim_partition_load(const SimTopo *topo, const char *path, guint nparts,
                                 GError **error)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, error))
        return NULL;
    g_autoptr(SimPartition) p = partition_new(topo, nparts);
    p->file = g_strdup(path);
    p->how = p->file;
    g_autofree bool *seen = g_new0(bool, MAX(topo->nodes->len, 1));
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i]; i++)
        if (!parse_line(p, seen, path, i + 1, lines[i], error))
            return NULL;
    for (guint i = 0; i < topo->nodes->len; i++)
        if (!seen[i]) {
            file_error(error, path, 1, 1, "device '%s' is not assigned a rank",
                       sim_topo_node(topo, i)->name);
            return NULL;
        }
    int zero = finish(p);
    for (guint i = 0; i < topo->cmds->len && zero < 0; i++) {
        const SimTopoCmd *c = sim_topo_cmd(topo, i);
        if (c->kind == SIM_TOPO_CMD_LINK && p->cut[c->link_index]) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                        "%s:%u:%u: error: the partition %s cuts the link this command takes %s; "
                        "a cut link cannot go down or up: put both ends on one rank",
                        c->pos.file, c->pos.line, c->pos.col, path, c->up ? "up" : "down");
            return NULL;
        }
    }
    if (zero >= 0) {
        const SimTopoLink *l = sim_topo_link(topo, (guint)zero);
        g_autofree char *a = sim_topo_endpoint_format(topo, &l->a);
        g_autofree char *b = sim_topo_endpoint_format(topo, &l->b);
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "%s:%u:%u: error: the partition %s cuts link %s - %s, which has zero delay "
                    "(%s on rank %u, %s on rank %u): a cut link needs a positive delay, its "
                    "lookahead; put both ends on one rank",
                    l->pos.file, l->pos.line, l->pos.col, path, a, b, l->a.node,
                    p->rank[l->a.node_index], l->b.node, p->rank[l->b.node_index]);
        return NULL;
    }
    return g_steal_pointer(&p);
}

guint sim_partition_nparts(const SimPartition *p)
{
    return p->nparts;
}

guint sim_partition_rank(const SimPartition *p, guint node_index)
{
    return p->rank[node_index];
}

bool sim_partition_link_cut(const SimPartition *p, guint link_index)
{
    return p->cut[link_index];
}

guint sim_partition_n_cut(const SimPartition *p)
{
    return p->n_cut;
}

SimTime sim_partition_link_lookahead(const SimPartition *p, guint link_index)
{
    const SimTopoLink *l = sim_topo_link(p->topo, link_index);
    return l->params.delay + min_serialisation(l->params.rate_bps);
}

SimTime sim_partition_lookahead(const SimPartition *p)
{
    return p->lookahead;
}

void sim_partition_print(const SimPartition *p, FILE *out)
{
    const SimTopo *topo = p->topo;
    g_autofree guint *degree = g_new0(guint, MAX(topo->nodes->len, 1));
    for (guint i = 0; i < topo->links->len; i++) {
        degree[sim_topo_link(topo, i)->a.node_index]++;
        degree[sim_topo_link(topo, i)->b.node_index]++;
    }
    fprintf(out, "partition: %u rank%s (%s), %u cut link%s\n", p->nparts, p->nparts == 1 ? "" : "s",
            p->how, p->n_cut, p->n_cut == 1 ? "" : "s");
    for (guint r = 0; r < p->nparts; r++) {
        guint count = 0, weight = 0;
        for (guint i = 0; i < topo->nodes->len; i++)
            if (p->rank[i] == r) {
                count++;
                weight += node_weight(topo, i, degree);
            }
        fprintf(out, "# rank %u: %u device%s, weight %u\n", r, count, count == 1 ? "" : "s",
                weight);
        for (guint i = 0; i < topo->nodes->len; i++)
            if (p->rank[i] == r)
                fprintf(out, "%s %u\n", sim_topo_node(topo, i)->name, r);
    }
    for (guint i = 0; i < topo->links->len; i++) {
        if (!p->cut[i])
            continue;
        const SimTopoLink *l = sim_topo_link(topo, i);
        g_autofree char *a = sim_topo_endpoint_format(topo, &l->a);
        g_autofree char *b = sim_topo_endpoint_format(topo, &l->b);
        char d[SIM_TIME_STRLEN];
        fprintf(out, "# cut: %s - %s (rank %u - rank %u), delay %s\n", a, b,
                p->rank[l->a.node_index], p->rank[l->b.node_index],
                sim_time_format(l->params.delay, d));
    }
    char la[SIM_TIME_STRLEN];
    if (p->lookahead == SIM_TIME_MAX)
        fprintf(out, "# lookahead: none (no link is cut)\n");
    else
        fprintf(out, "# lookahead: %s (smallest cut-link delay + 60-byte serialisation)\n",
                sim_time_format(p->lookahead, la));
}

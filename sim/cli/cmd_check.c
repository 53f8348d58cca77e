/* cmd_check.c - `netsim check FILE`: parse, validate and summarise a
 * topology: nodes by kind, links, each subnet and who is on it, the
 * scenario, and the warnings. */
#include "sim/cli/commands.h"
#include "sim/cli/load.h"
#ifdef NETSIM_MPI
#include "sim/dist/partition.h"
#endif

#include <glib/gi18n-lib.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    SimPrefix net; /* network address and length */
    GString *members;
    guint n;
} Subnet;

/* Members listed per subnet before "(+N more)": enough to see who the
 * gateway is and recognise the subnet without a page-wide line. */
#define MAX_LISTED 6

static gint subnet_cmp(gconstpointer a, gconstpointer b)
{
    const Subnet *x = *(Subnet *const *)a, *y = *(Subnet *const *)b;
    if (x->net.addr != y->net.addr)
        return x->net.addr < y->net.addr ? -1 : 1;
    return (int)x->net.len - (int)y->net.len;
}

static void subnet_free(gpointer p)
{
    Subnet *s = p;
    g_string_free(s->members, TRUE);
    g_free(s);
}

static void print_subnets(const SimTopo *topo)
{
    g_autoptr(GPtrArray) subnets = g_ptr_array_new_with_free_func(subnet_free);
    for (guint i = 0; i < topo->nodes->len; i++) {
        const SimTopoNode *n = sim_topo_node(topo, i);
        if (!sim_topo_node_has_ifaces(n->kind) && !n->l3) /* an L3 switch: its SVIs */
            continue;
        for (guint k = 0; k < n->ifaces->len; k++) {
            const SimTopoIface *ifc = sim_topo_node_iface(n, k);
            if (!ifc->has_ip)
                continue;
            SimPrefix net = {sim_prefix_network(&ifc->ip), ifc->ip.len};
            Subnet *s = NULL;
            for (guint j = 0; j < subnets->len && !s; j++) {
                Subnet *c = g_ptr_array_index(subnets, j);
                if (c->net.addr == net.addr && c->net.len == net.len)
                    s = c;
            }
            if (!s) {
                s = g_new0(Subnet, 1);
                s->net = net;
                s->members = g_string_new(NULL);
                g_ptr_array_add(subnets, s);
            }
            char ip[SIM_IPV4_STRLEN];
            if (s->n++ >= MAX_LISTED)
                continue;
            if (s->members->len)
                g_string_append(s->members, ", ");
            if (n->kind == SIM_TOPO_HOST && n->ifaces->len == 1)
                g_string_append_printf(s->members, "%s %s", n->name,
                                       sim_ipv4_format(ifc->ip.addr, ip));
            else
                g_string_append_printf(s->members, "%s.%s %s", n->name, ifc->name,
                                       sim_ipv4_format(ifc->ip.addr, ip));
        }
    }
    g_ptr_array_sort(subnets, subnet_cmp);
    printf(_("subnets: %u\n"), subnets->len);
    for (guint j = 0; j < subnets->len; j++) {
        Subnet *s = g_ptr_array_index(subnets, j);
        char pfx[SIM_PREFIX_STRLEN];
        printf("  %-18s %s", sim_prefix_format(&s->net, pfx), s->members->str);
        if (s->n > MAX_LISTED)
            printf(_(" (+%u more)"), s->n - MAX_LISTED);
        printf("\n");
    }
}

static void print_summary(const SimTopo *topo)
{
    guint count[SIM_TOPO_ROUTER + 1] = {0}, l3 = 0;
    for (guint i = 0; i < topo->nodes->len; i++) {
        count[sim_topo_node(topo, i)->kind]++;
        l3 += sim_topo_node(topo, i)->l3;
    }
    printf("%s", topo->file);
    if (topo->title)
        printf(": \"%s\"", topo->title);
    /* The counts are translated; the kind words stay the language's keywords. */
    printf(_("\nnodes: %u ("), topo->nodes->len);
    const char *sep = "";
    for (int k = 0; k <= SIM_TOPO_ROUTER; k++) {
        if (!count[k])
            continue;
        const char *name = sim_topo_node_kind_name((SimTopoNodeKind)k);
        printf("%s%u %s%s", sep, count[k], name,
               count[k] == 1 ? "" : (k == SIM_TOPO_SWITCH ? "es" : "s"));
        if (k == SIM_TOPO_SWITCH && l3)
            printf(" (%u L3)", l3);
        sep = ", ";
    }
    printf(_(")\nlinks: %u\n"), topo->links->len);
    print_subnets(topo);
    if (topo->cmds->len) {
        char a[SIM_TIME_STRLEN], b[SIM_TIME_STRLEN];
        SimTime first = SIM_TIME_MAX, last = 0;
        for (guint i = 0; i < topo->cmds->len; i++) {
            SimTime t = sim_topo_cmd(topo, i)->at;
            first = MIN(first, t);
            last = MAX(last, t);
        }
        printf(g_dngettext(GETTEXT_PACKAGE, "scenario: %u command from %s to %s\n",
                           "scenario: %u commands from %s to %s\n", topo->cmds->len),
               topo->cmds->len, sim_time_format(first, a), sim_time_format(last, b));
    } else {
        printf("%s", _("scenario: none\n"));
    }
}

/* --partition auto|FILE with -np K: the assignment and the lookahead
 * (partition.h). Returns the exit status. */
static int print_partition(const SimTopo *topo, const char *spec, const char *np_text)
{
    uint64_t np = 1;
    if (np_text && (!sim_cli_parse_u64("check", "-np", np_text, &np) || np < 1 || np > 4096)) {
        if (np < 1 || np > 4096)
            fprintf(stderr, "netsim check: error: -np must be from 1 to 4096, not %s\n", np_text);
        return 2;
    }
#ifdef NETSIM_MPI
    g_autoptr(GError) err = NULL;
    g_autoptr(SimPartition) p = strcmp(spec, "auto") == 0
                                    ? sim_partition_auto(topo, (guint)np, &err)
                                    : sim_partition_load(topo, spec, (guint)np, &err);
    if (!p) {
        fprintf(stderr, "%s\n", err->message);
        return 2;
    }
    sim_partition_print(p, stdout);
    return 0;
#else
    (void)topo;
    return 2; /* refused before loading: see sim_cmd_check */
#endif
}

int sim_cmd_check(int argc, char **argv)
{
    g_autofree char *partition = NULL, *np = NULL;
    GOptionEntry entries[] = {
        {"partition", 0, 0, G_OPTION_ARG_STRING, &partition,
         "Also print how the devices split across -np ranks: 'auto' (METIS) or a FILE of "
         "'NODE RANK' lines; and the lookahead (MPI builds only)",
         "auto|FILE"},
        {"np", 0, 0, G_OPTION_ARG_STRING, &np, "Ranks for --partition (default 1)", "K"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    /* mpirun's spelling, -np K, as well as --np K. */
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-np") == 0)
            argv[i] = (char *)"--np";
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE");
    g_option_context_set_translation_domain(ctx, GETTEXT_PACKAGE);
    g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
    g_option_context_set_summary(ctx, "Parse and validate a topology, then summarise it: nodes, "
                                      "links, subnets and who is on them, and warnings about "
                                      "likely mistakes.\nExit status: 0 ok, 2 errors.");
    const char *path = sim_cli_parse_file_args(ctx, "check", &argc, &argv);
    if (!path)
        return 2;
#ifndef NETSIM_MPI
    if (partition) {
        fprintf(stderr, "netsim check: error: --partition needs a build with -DNETSIM_MPI=ON "
                        "(Open MPI and METIS)\n");
        return 2;
    }
#endif
    guint warnings = 0;
    /* Warnings on stdout: they are the point of `check`. */
    g_autoptr(SimTopo) topo = sim_cli_load(path, stdout, &warnings);
    if (!topo)
        return 2;
    print_summary(topo);
    printf(g_dngettext(GETTEXT_PACKAGE, "%u warning\n", "%u warnings\n", warnings), warnings);
    if (partition)
        return print_partition(topo, partition, np);
    return 0;
}

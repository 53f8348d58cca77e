/* validate_dns.c - a node's DNS lines and the DNS names of commands.
 *
 * Zone files are read now, so `netsim check` reports their mistakes at
 * their own file:line:col (the loader's message) with a note at the
 * dns-zone line, and the run never starts with a broken zone. Paths are
 * resolved against the topology's directory, as chatbot rules are.
 */
#include <stdio.h>
#include <string.h>

#include "sim/apps/dns_zone.h"
#include "sim/topo/validate_priv.h"

#define KIND(n) sim_topo_node_kind_name((n)->kind)

/* The loader's "path:line:col: error: msg" as a diagnostic of its own. */
static void zone_error(SimValidate *v, const char *path, SimTopoPos at, const char *message)
{
    guint line = 0, col = 0;
    int off = 0;
    size_t plen = strlen(path);
    const char *rest = strncmp(message, path, plen) == 0 ? message + plen : NULL;
    if (rest && sscanf(rest, ":%u:%u: error: %n", &line, &col, &off) == 2 && off > 0) {
        sim_diag_report(v->diag, SIM_DIAG_ERROR, path, line, col, "%s", rest + off);
        sim_validate_note(v, at, "zone file '%s' is loaded here", path);
        return;
    }
    sim_validate_error(v, at, "bad zone file: %s", message);
}

void sim_validate_dns(SimValidate *v, SimTopoNode *n)
{
    SimTopoDns *d = n->dns;
    if (!d)
        return;
    GHashTable *apexes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; d->zone_files && i < d->zone_files->len; i++) {
        char *file = g_ptr_array_index(d->zone_files, i);
        SimTopoPos at = g_array_index(d->zone_pos, SimTopoPos, i);
        if (!g_path_is_absolute(file)) {
            g_autofree char *dir = g_path_get_dirname(at.file);
            d->zone_files->pdata[i] = g_build_filename(dir, file, NULL);
            g_free(file);
            file = g_ptr_array_index(d->zone_files, i);
        }
        g_autoptr(GError) err = NULL;
        g_autoptr(SimDnsZone) z = sim_dns_zone_load(file, &err);
        if (!z) {
            zone_error(v, file, at, err->message);
            continue;
        }
        char *apex = g_ascii_strdown(sim_dns_zone_origin(z), -1);
        if (g_hash_table_contains(apexes, apex)) {
            sim_validate_error(v, at, "%s '%s' loads zone '%s.' twice", KIND(n), n->name, apex);
            g_free(apex);
        } else {
            g_hash_table_add(apexes, apex);
        }
    }
    g_hash_table_destroy(apexes);
}

/* A command's DNS name: the node resolves it when the command runs, so it
 * needs a server: a `dns` line or a DHCP lease (option 6). */
void sim_validate_dns_target(SimValidate *v, SimTopoCmd *c, SimTopoNode *n, const char *what)
{
    if (n->dns && n->dns->has_server)
        return;
    for (guint i = 0; i < n->ifaces->len; i++)
        if (((SimTopoIface *)g_ptr_array_index(n->ifaces, i))->dhcp)
            return;
    sim_validate_error(v, c->target_pos,
                       "%s '%s' has no DNS server to look up '%s' for its %s (add 'dns ADDRESS' "
                       "or give it an address by dhcp)",
                       KIND(n), n->name, c->target_name, what);
}

/* scenario_dns.h - starts the DNS servers a topology asks for, keeps each
 * node's stub resolver, and resolves the DNS names of commands.
 *
 * Design: as scenario_dhcp.h, one registry (node -> server, node -> stub);
 * the apps are owned by the nodes' IP stacks. A stub is made the first
 * time a node resolves or shows its cache (most nodes of a large topology
 * never do). Its server is the `dns` line if written (it wins, as a
 * hand-written resolv.conf does), else the DNS server its DHCP lease
 * gave (option 6), looked up at each lookup so a renewed lease counts.
 */
#pragma once

#include <glib.h>

#include "sim/link/node.h"
#include "sim/topo/ast.h"
#include "sim/topo/scenario_dhcp.h"

typedef struct _SimScenarioDns SimScenarioDns;

/* Called once per lookup: error NULL on success. */
typedef void (*SimScenarioDnsFn)(void *user, const char *name, SimIpv4 addr, const char *error);

SimScenarioDns *sim_scenario_dns_new(SimScenarioDhcp *dhcp);
void sim_scenario_dns_free(SimScenarioDns *d); /* NULL is a no-op */
/* Starts tn's dns-zone and dns-resolver lines on n and notes its `dns`. */
gboolean sim_scenario_dns_node(SimScenarioDns *d, const SimTopoNode *tn, SimNode *n,
                               GError **error);
void sim_scenario_dns_resolve(SimScenarioDns *d, SimNode *n, const char *name, SimScenarioDnsFn fn,
                              void *user);
/* `show NODE dns-cache` (a resolver's cache, else the stub's) and `show
 * NODE zone`. FALSE when n has no such table. */
gboolean sim_scenario_dns_show(SimScenarioDns *d, SimNode *n, SimTopoTable table, GString *out);

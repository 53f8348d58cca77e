/* scenario_dhcp.h - starts the DHCP servers and clients a topology asks
 * for, and finds them again for `show NODE dhcp`, `dhcp release` and
 * `dhcp reboot`.
 *
 * Design: the scenario keeps one registry (node -> server, node -> its
 * clients); the apps themselves are owned by the nodes' IP stacks.
 */
#pragma once

#include <glib.h>

#include "sim/link/node.h"
#include "sim/topo/ast.h"

typedef struct _SimScenarioDhcp SimScenarioDhcp;

SimScenarioDhcp *sim_scenario_dhcp_new(void);
void sim_scenario_dhcp_free(SimScenarioDhcp *d); /* NULL is a no-op */
/* Starts tn's dhcp-server lines and `dhcp` interfaces on n. Errors carry
 * file:line:col of the offending line. */
gboolean sim_scenario_dhcp_node(SimScenarioDhcp *d, const SimTopoNode *tn, SimNode *n,
                                GError **error);
/* `at T NODE dhcp release`: every client of n releases its lease. */
void sim_scenario_dhcp_release(SimScenarioDhcp *d, SimNode *n);
/* `at T NODE dhcp reboot`: every client of n restarts (INIT-REBOOT). */
void sim_scenario_dhcp_reboot(SimScenarioDhcp *d, SimNode *n);
/* `show NODE dhcp`: the server's leases and the clients' states. FALSE
 * when n has neither. */
gboolean sim_scenario_dhcp_show(SimScenarioDhcp *d, SimNode *n, GString *out);
/* The DNS server (option 6) of n's first client that has one, else 0. */
SimIpv4 sim_scenario_dhcp_dns(SimScenarioDhcp *d, SimNode *n);

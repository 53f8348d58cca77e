/* scenario.h - a loaded topology: the world built from a validated AST, with
 * its `at` commands scheduled.
 *
 * Design: the builder walks the AST once, in file order, so node, interface
 * and link creation order (and hence every trace) follows the file. Scenario
 * commands become ordinary events whose ctx is the scenario and whose arg is
 * the command in the AST, which the scenario keeps alive.
 *
 * Ownership: the scenario owns the topo it was given, the world it built,
 * and the applications its commands started.
 */
#pragma once

#include "sim/core/world.h"
#include "sim/topo/ast.h"

#include <glib.h>

typedef struct _SimScenario SimScenario;
typedef struct _SimNode SimNode;
typedef struct _SimLink SimLink;

#define SIM_SCENARIO_ERROR (sim_scenario_error_quark())
GQuark sim_scenario_error_quark(void);

/* Builds a world from a validated topo (takes ownership of topo, even on
 * failure). Returns NULL with error set when the model rejects something
 * the validator let through. */
SimScenario *sim_scenario_new(SimTopo *topo, uint64_t seed, GError **error);
/* Builds only the nodes with local[i] set, for a run split across
 * processes (sim/dist/): each node keeps its entity (index + 1), a link
 * with one end here gets a stand-in node for the far end (a "proxy": no
 * behaviour, the far node's name and the far interface's name), links with
 * no end here are left out, and only commands acting on local nodes are
 * scheduled, under the same keys as in a whole build. local has one entry
 * per topo node and must outlive the call. */
SimScenario *sim_scenario_new_part(SimTopo *topo, uint64_t seed, const bool *local, GError **error);
void sim_scenario_free(SimScenario *sc);

SimWorld *sim_scenario_world(const SimScenario *sc);
const SimTopo *sim_scenario_topo(const SimScenario *sc);
/* The link built for topo link i; NULL when a partial build left it out. */
SimLink *sim_scenario_link(const SimScenario *sc, guint i);
/* The time of the last scheduled command (0 if none). */
SimTime sim_scenario_last_command(const SimScenario *sc);

/* Appends the `show NODE TABLE` text for a node as it stands now; FALSE if
 * the node has no such table (e.g. `mac` on a host). */
gboolean sim_scenario_show(SimScenario *sc, SimNode *node, SimTopoTable table, GString *out);
/* The same; with cisco, a route table is printed as Cisco's `show ip route`
 * (`show R route cisco`). */
gboolean sim_scenario_show_style(SimScenario *sc, SimNode *node, SimTopoTable table, bool cisco,
                                 GString *out);

/* Where `service upload` writes received files (NULL: nowhere, it only
 * verifies), and whether it may replace one; set before running. */
void sim_scenario_set_files_out(SimScenario *sc, const char *dir, bool overwrite);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimScenario, sim_scenario_free)

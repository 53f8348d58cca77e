/* graph_ids.h - opening the diagrams' cgraph graphs with stable object IDs.
 *
 * cgraph's default ID discipline orders subgraphs by heap address, so the
 * clusters of a drawing came out in a different order in later drawings of
 * the same process (the stepper draws many). Graphs opened here number
 * their objects in creation order instead; graph_ids.c has the details.
 */
#pragma once

#include <graphviz/cgraph.h>

/* An undirected graph named name whose object IDs follow creation order.
 * Freed with agclose. */
Agraph_t *sim_viz_graph_open(const char *name);

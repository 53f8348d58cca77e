/* segments.h - the Layer-2 segments of a validated topology, their IPv4
 * subnets, and the colour the diagram gives each subnet.
 *
 * Design: a segment is one broadcast domain as cabled: host and router
 * interfaces, switches and hubs joined by links (a switch or hub bridges all
 * its ports, so it is one element; each interface of a host or router is
 * its own element, since a router does not bridge). Union-find over those
 * elements, one union per link, gives every segment in O((N + L) a(N))
 * with no recursion. A segment's subnets are the networks of the addressed
 * interfaces in it, so a switch and its links take the colour of the hosts
 * behind them. Rejected: flooding from each switch (same result, more code)
 * and colouring by node (a router sits on several subnets).
 *
 * Colours are deterministic: subnets are numbered in order of first
 * appearance (nodes and interfaces in declaration order) and the number
 * indexes a fixed palette, wrapping after SIM_VIZ_PALETTE_SIZE. The same
 * subnet therefore always has the same colour, in every diagram of a file.
 *
 * Ownership: the result keeps no pointer into the topology; the caller
 * frees it with sim_viz_segments_free.
 */
#pragma once

#include <glib.h>

#include "sim/net/addr.h"
#include "sim/topo/ast.h"

#define SIM_VIZ_PALETTE_SIZE 10

typedef struct _SimVizSegments SimVizSegments;

/* topo must be validated (every link endpoint resolved). */
SimVizSegments *sim_viz_segments_new(const SimTopo *topo);
void sim_viz_segments_free(SimVizSegments *segs); /* NULL is a no-op */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimVizSegments, sim_viz_segments_free)

guint sim_viz_segments_count(const SimVizSegments *segs);
/* Segment of a link, of an interface, of a switch or hub; -1 if none. */
int sim_viz_segments_of_link(const SimVizSegments *segs, guint link);
int sim_viz_segments_of_iface(const SimVizSegments *segs, guint node, guint iface);
int sim_viz_segments_of_bridge(const SimVizSegments *segs, guint node);

/* Distinct subnets (network address and length), in first-appearance order. */
guint sim_viz_segments_n_subnets(const SimVizSegments *segs);
SimPrefix sim_viz_segments_subnet(const SimVizSegments *segs, guint subnet);
/* Subnet indexes found on a segment, ascending; NULL-free, maybe empty. */
const GArray *sim_viz_segments_subnets_of(const SimVizSegments *segs, guint seg);
/* The segment's colour: its first subnet's index, -1 with no subnet. */
int sim_viz_segments_colour(const SimVizSegments *segs, guint seg);

/* Palette entries for a subnet index (wraps): a saturated colour for edges
 * and borders, a pale one for backgrounds. "#rrggbb" static strings. */
const char *sim_viz_colour_dark(guint subnet);
const char *sim_viz_colour_light(guint subnet);

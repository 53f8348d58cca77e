/* diagram_priv.h - the state diagram.c shares with layout.c while it
 * builds one graph. Private to viz/: not part of the diagram's interface. */
#pragma once

#include "viz/diagram.h"
#include "viz/segments.h"

#include <glib.h>
#include <graphviz/cgraph.h>

/* Shared state of one build. */
typedef struct {
    const SimTopo *topo;
    const SimVizOptions *opts;
    Agraph_t *g;
    SimVizSegments *segs;
    SimVizDevice *dev;        /* per node */
    int *rank;                /* per node: hops from the Internet side */
    guint *minlen;            /* per link */
    guint *degree;            /* per node: links */
    guint *leaves;            /* per node: single-homed hosts below it */
    bool *hung;               /* per node: its LAN hangs a tier lower */
    GArray *vlans;            /* uint16_t VIDs of VLAN switches (vlans.h) */
    const char **vlan_colour; /* [4096]: a VLAN's colour, see vlan_colours() */
    Agraph_t **clusters;      /* per segment, created on first member */
    Agnode_t **nodes;         /* per node */
} Build;

/* Tiers: b->rank from a BFS out of the highest-priority devices (clouds,
 * then routers, then switches). */
void sim_viz_layout_ranks(Build *b);
/* Rows and wrap: b->minlen per link, b->leaves and b->hung per node, from
 * b->rank (dot layout only; other layouts keep minlen 1). */
void sim_viz_layout_rows(Build *b);

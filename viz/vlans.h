/* vlans.h - the 802.1Q view of a topology for diagrams: which VLAN an
 * access link is in, which links are trunks and what they carry, and one
 * colour per VLAN for the links and the legend.
 *
 * Only switches with `port` lines have VLANs to show; links of other
 * switches keep their subnet colours. Colours come from a palette of its
 * own (distinct from the subnet palette's order), by the VLAN's position in
 * the sorted list of VLANs of the file, so a VLAN has one colour everywhere.
 */
#pragma once

#include "sim/topo/ast.h"

#include <glib.h>

typedef struct {
    bool vlan_switch; /* the link touches a switch with VLAN configuration */
    bool trunk;
    uint16_t vid;  /* access VLAN (0 for a trunk) */
    char *allowed; /* trunk: "10,20" or "all"; owned */
} SimVizLinkVlan;

/* The VLAN role of link l (from its switch end; a trunk wins). */
SimVizLinkVlan sim_viz_link_vlan(const SimTopo *topo, guint l);
void sim_viz_link_vlan_clear(SimVizLinkVlan *v);
/* Sorted VLAN ids of the file's VLAN switches: declared, access, and any
 * other VLAN a link is in (VLAN 1 of an unconfigured port). */
GArray *sim_viz_vlans(const SimTopo *topo);
/* The colour of vid among vlans (the array above). */
const char *sim_viz_vlan_colour(const GArray *vlans, uint16_t vid);
/* The name a switch gives vid (`vlan 10 name dormA`), or NULL. */
const char *sim_viz_vlan_name(const SimTopo *topo, uint16_t vid);

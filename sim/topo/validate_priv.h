/* validate_priv.h - state shared by validate.c (nodes, addresses, links)
 * and validate_scen.c (commands, warnings). Not part of the public API. */
#pragma once

#include <glib.h>

#include "sim/topo/ast.h"
#include "sim/topo/diag.h"

typedef struct {
    SimTopo *topo;
    SimDiag *diag;
    GPtrArray *names;  /* node names (borrowed), for did-you-mean */
    gboolean *link_ok; /* per link: both endpoints resolved */
} SimValidate;

void sim_validate_error(SimValidate *v, SimTopoPos pos, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void sim_validate_warning(SimValidate *v, SimTopoPos pos, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void sim_validate_note(SimValidate *v, SimTopoPos pos, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Looks a node up; reports "unknown node" (unless the name is poisoned).
 * Returns the index or -1. */
int sim_validate_node(SimValidate *v, const char *name, SimTopoPos pos);
/* Resolves ep->sub on its node (ep->node_index set) to iface_index or port,
 * without claiming it. Reports when `report`. */
gboolean sim_validate_sub(SimValidate *v, SimTopoEndpoint *ep, gboolean report);

/* Index of the first interface of n whose subnet holds a, or -1. */
int sim_validate_subnet_of(const SimTopoNode *n, SimIpv4 a);
gboolean sim_validate_has_address(const SimTopoNode *n);
gboolean sim_validate_is_l2(const SimTopoNode *n); /* switch or hub */

/* validate_nat.c: a router's nat and forward lines. */
void sim_validate_nat(SimValidate *v, SimTopoNode *n);
void sim_validate_commands(SimValidate *v);
/* validate_dns.c: zone files (read now) and DNS names as targets. */
void sim_validate_dns(SimValidate *v, SimTopoNode *n);
void sim_validate_dns_target(SimValidate *v, SimTopoCmd *c, SimTopoNode *n, const char *what);
/* validate_vlan.c: switch ports and SVIs; sub-interfaces get their
 * parent's MAC (run after MAC assignment). */
void sim_validate_vlans(SimValidate *v);
void sim_validate_subif_macs(SimValidate *v);
void sim_validate_horizon(SimValidate *v); /* horizon.c */
void sim_validate_warnings(SimValidate *v);

/* vlan.h - the IEEE 802.1Q port model of a switch: which VLAN a received
 * frame belongs to, and how (or whether) it may leave by each port.
 *
 * Ports are access ports (one VLAN, frames untagged) or trunk ports (a set
 * of allowed VLANs; frames tagged, except those of the native VLAN, which
 * travel untagged). Defaults: every port is an access port in VLAN 1; a
 * trunk allows every VLAN (1-4094) and its native VLAN is 1, as on Cisco
 * (`switchport mode trunk`) and a Linux bridge port with `pvid 1 untagged`.
 *
 * Ingress (802.1Q 6.9, Linux br_allowed_ingress):
 *  - untagged or priority-tagged (VID 0): the port's VLAN (access) or
 *    native VLAN (trunk), dropped if the trunk does not allow it;
 *  - tagged with VID v: a trunk accepts it when v is allowed. An access port
 *    in VLAN a accepts v == a and drops any other VID. That is the Linux
 *    bridge with vlan_filtering 1 (a is the port's one member VLAN, and a
 *    member VID is accepted tagged or not); a Cisco access port drops a tag
 *    it does not expect the same way. The accepted frame leaves untagged
 *    wherever VLAN a is untagged.
 * Egress (Linux br_handle_vlan): a port carries v if it is an access port in
 * v or a trunk allowing v; the frame leaves untagged on an access port and
 * on a trunk whose native VLAN is v, tagged otherwise. A tag keeps the PCP
 * it arrived with (0 for a frame that arrived untagged).
 *
 * Cost: the allowed set is a 4096-bit map per trunk port (512 bytes), so
 * every check is O(1); access ports carry no map. Rejected: a sorted list of
 * ranges (smaller, but a search per port per flooded frame).
 *
 * Ownership: the switch owns its SimVlanPorts.
 */
#pragma once

#include "sim/net/eth.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimVlanPorts SimVlanPorts;

typedef enum { SIM_VLAN_ACCESS, SIM_VLAN_TRUNK } SimVlanMode;

typedef enum {
    SIM_VLAN_EGRESS_NONE,     /* the port does not carry the VLAN */
    SIM_VLAN_EGRESS_UNTAGGED, /* access port, or the trunk's native VLAN */
    SIM_VLAN_EGRESS_TAGGED,
} SimVlanEgress;

#define SIM_VLAN_DEFAULT 1
#define SIM_VLAN_BITMAP_BYTES 512 /* one bit per VID 0..4095 */

SimVlanPorts *sim_vlan_ports_new(guint n_ports);
void sim_vlan_ports_free(SimVlanPorts *vp); /* NULL is a no-op */

/* Configuration (port is an index, 0 = "1"; vids 1..4094). allowed is a
 * SIM_VLAN_BITMAP_BYTES bitmap (bit v of byte v/8, LSB first), copied; NULL
 * allows every VLAN. */
void sim_vlan_set_access(SimVlanPorts *vp, guint port, uint16_t vid);
void sim_vlan_set_trunk(SimVlanPorts *vp, guint port, const uint8_t *allowed, uint16_t native);
/* A VLAN name for `show vlan` (copied); VLAN 1 is "default", others
 * "VLAN0010" unless named. Declares the VLAN even if no port carries it. */
void sim_vlan_declare(SimVlanPorts *vp, uint16_t vid, const char *name);

/* True while every port is an access port in VLAN 1: the switch's fast path. */
bool sim_vlan_ports_trivial(const SimVlanPorts *vp);
/* The same, as a flag the switch reads on every frame without a call; it
 * lives as long as vp. */
const bool *sim_vlan_ports_trivial_flag(const SimVlanPorts *vp);
SimVlanMode sim_vlan_port_mode(const SimVlanPorts *vp, guint port);
/* The access VLAN, or the trunk's native VLAN. */
uint16_t sim_vlan_port_pvid(const SimVlanPorts *vp, guint port);
bool sim_vlan_port_allows(const SimVlanPorts *vp, guint port, uint16_t vid);
/* Whether any port carries vid. */
bool sim_vlan_carried(const SimVlanPorts *vp, uint16_t vid);

/* The VLAN of a frame received on port with header eh. On refusal returns
 * false and writes why into why[whylen] ("vlan 30 not allowed on p3"). */
bool sim_vlan_ingress(const SimVlanPorts *vp, guint port, const char *label, const SimEthHdr *eh,
                      uint16_t *vid, char *why, size_t whylen);
SimVlanEgress sim_vlan_egress(const SimVlanPorts *vp, guint port, uint16_t vid);

/* "10,20,30-40" or "all" for a trunk's allowed set; caller frees. */
char *sim_vlan_format_allowed(const SimVlanPorts *vp, guint port);
/* `show vlan brief`: VLAN, Name, Status, Ports (access ports, and trunks in
 * their native VLAN are not listed, as on Cisco); then the trunks with their
 * native and allowed VLANs. labels[p] names port p. Appends to out. */
void sim_vlan_format_brief(const SimVlanPorts *vp, char *const *labels, GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimVlanPorts, sim_vlan_ports_free)

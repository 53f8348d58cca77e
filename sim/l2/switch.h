/* switch.h - a transparent learning switch (IEEE 802.1D bridge).
 *
 * For each received frame, in this order:
 *  1. a runt (< 14 bytes) or a frame from a group/zero source MAC is dropped
 *     (Linux br_handle_frame does the same);
 *  2. the source MAC is learned on the ingress port in the MAC table, or
 *     moved there from another port;
 *  3. broadcast, multicast and unknown unicast are flooded out of every
 *     other port that is up; a known unicast whose port is the ingress port
 *     is filtered (INET's behaviour: the station already has it); any other
 *     known unicast is forwarded out of its one port.
 * Each step is one trace record (learn, flood, forward, filter, drop; age
 * when an entry expires; storm once when a loop is detected), with node =
 * switch name and iface = ingress port name ("3"; details say "p3").
 *
 * Aging follows Linux br_fdb.c: the table checks expiry on lookup, and one
 * sweep event, scheduled at the earliest expiry, removes the dead entries
 * and reschedules itself. A port whose link goes down has its dynamic
 * entries flushed, as a bridge does when a port is disabled.
 * When the table is full, new sources are not learned, so frames to them
 * are flooded: a switch fails open under MAC flooding. The first refused
 * learn of each full episode is traced; all of them are counted.
 *
 * VLANs (vlan.h has the 802.1Q port rules): each port is an access or a
 * trunk port; a frame is switched only among the ports of its VLAN, and
 * learned and looked up under (MAC, VLAN). While every port is an access
 * port in VLAN 1 and frames arrive untagged, the plain path above runs; any
 * other frame takes the 802.1Q path, whose drops (`vlan 30 not allowed on
 * p3`) carry reason vlan-mismatch and whose tag changes are `tag` and
 * `untag` records.
 *
 * An L3 switch (sim/l3/l3switch.c) is this switch plus an IP stack above
 * it: each SVI is a virtual interface of the node bound to one VLAN. A frame
 * in that VLAN addressed to the SVI's MAC goes up to the stack instead of
 * being switched; a broadcast or multicast is flooded and a copy goes up;
 * a frame the stack sends on the SVI enters the VLAN as if from a port.
 *
 * Spanning tree (stp.h, optional): a BPDU (to 01:80:c2:00:00:00) goes to
 * the STP module before any VLAN classification; a frame arriving on a port
 * that does not learn is dropped (`STP blocking`, not learned), one on a
 * port that learns but does not forward is learned and dropped, and no
 * copy leaves by a port that does not forward, on the plain and the 802.1Q
 * path alike (one spanning tree for all VLANs, as in 802.1D/802.1w).
 */
#pragma once

#include "sim/core/world.h"
#include "sim/l2/bridge.h"
#include "sim/l2/fdb.h"
#include "sim/l2/stp.h"
#include "sim/net/addr.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimNode SimNode;

#define SIM_SWITCH_DEFAULT_VLAN 1

#define SIM_SWITCH_ERROR (sim_switch_error_quark())
GQuark sim_switch_error_quark(void);
typedef enum {
    SIM_SWITCH_ERROR_INVALID, /* bad port, MAC or VLAN */
    SIM_SWITCH_ERROR_FULL,    /* the MAC table is full */
} SimSwitchError;

typedef struct {
    SimTime aging;         /* idle time before an entry expires; 0: never */
    guint table_capacity;  /* maximum MAC table entries, static included */
    guint storm_threshold; /* repeats of one frame on one port; 0: no detection */
    SimTime storm_window;  /* ... within this time */
    bool l3;               /* node kind SIM_NODE_L3SWITCH (it will get SVIs) */
} SimSwitchConfig;

typedef struct _SimVlanPorts SimVlanPorts;
/* Hands a frame addressed to an SVI (or a group frame in its VLAN) to the
 * layer above. Consumes pkt (untagged). */
typedef void (*SimSwitchUpperInput)(void *upper, SimIface *svi, SimPacket *pkt);

typedef struct {
    uint64_t learned;    /* entries created */
    uint64_t moved;      /* stations seen on a new port */
    uint64_t aged;       /* entries removed by aging */
    uint64_t flushed;    /* entries removed by link down or a clear */
    uint64_t learn_full; /* sources not learned because the table was full */
    uint64_t sweeps;     /* aging sweep events run */
    uint64_t flooded, forwarded, filtered, dropped; /* frame decisions */
} SimSwitchStats;

/* aging 300 s, capacity 8192, storm threshold 4 within 1 s, not l3. */
void sim_switch_config_default(SimSwitchConfig *cfg);

/* A switch with ports "1".."ports" (labelled p1..). cfg NULL: defaults.
 * The world owns the node. */
SimNode *sim_switch_new(SimWorld *w, const char *name, guint ports, const SimSwitchConfig *cfg);

/* The accessors below return NULL/false/0 when node is not a switch. */
SimFdb *sim_switch_fdb(const SimNode *node);
SimBridge *sim_switch_bridge(const SimNode *node);
const SimSwitchStats *sim_switch_stats(const SimNode *node);
const SimBridgePortStats *sim_switch_port_stats(const SimNode *node, guint port);

/* Static entry for (mac, vlan) on port (an index, 0 = "1"). Fails (with a
 * message in error) for a bad port, a group MAC or a full table. */
gboolean sim_switch_add_static(SimNode *node, const SimMac *mac, uint16_t vlan, guint port,
                               GError **error);
/* The port index where mac is known in vlan now, ignoring expired entries. */
bool sim_switch_lookup(const SimNode *node, const SimMac *mac, uint16_t vlan, guint *port);
/* Live entries. */
guint sim_switch_mac_count(const SimNode *node);
/* Live entries sorted by port, MAC, VLAN (GArray of SimFdbEntry; caller
 * unrefs). */
GArray *sim_switch_mac_entries(const SimNode *node);
/* `show NODE mac`: a table, one line per entry in that order, columns VLAN,
 * MAC address, type (dynamic/static), port, age in seconds. Caller frees. */
char *sim_switch_format_mac_table(const SimNode *node);
/* `clear NODE mac`: removes the dynamic entries (and the static ones too
 * when include_static). Returns how many were removed. */
guint sim_switch_clear_mac(SimNode *node, bool include_static);

/* Runs a spanning tree (cfg->mode IEEE or RSTP) on the switch from now
 * on: frames to 01:80:c2:00:00:00 go to it, and a port learns and
 * forwards only in the states that allow it (drops say `stp blocking`). */
SimStp *sim_switch_enable_stp(SimNode *node, const SimStpConfig *cfg);
SimStp *sim_switch_stp(const SimNode *node); /* NULL when off */

bool sim_switch_storm_detected(const SimNode *node);
/* The loop named when the storm was reported ("swA.2-swB.1, ..."), ""
 * when none was found, NULL before any storm. */
const char *sim_switch_storm_loop(const SimNode *node);

/* The port VLAN configuration (configure it before traffic flows). */
SimVlanPorts *sim_switch_vlan(const SimNode *node);
/* `show NODE vlan`: vlan.h's brief table, then the SVIs. Caller frees. */
char *sim_switch_format_vlan(const SimNode *node);

/* The layer above an L3 switch: input for SVI frames; free_fn(upper) runs
 * when the switch is freed. Once per switch. */
void sim_switch_set_upper(SimNode *node, void *upper, SimSwitchUpperInput input,
                          GDestroyNotify free_fn);
void *sim_switch_upper(const SimNode *node); /* NULL when none */
/* Makes iface, an interface of node that no link attaches, the SVI of VLAN
 * vid: frames sent on it are switched in vid. Needs an upper layer. */
gboolean sim_switch_add_svi(SimNode *node, uint16_t vid, SimIface *iface, GError **error);

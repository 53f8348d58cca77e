/* stp.h - the spanning tree of one switch: IEEE 802.1D-1998 STP (clause 8)
 * or RSTP (802.1w, 802.1D-2004 clause 17), one instance for the whole
 * switch (not per VLAN).
 *
 * What is modelled:
 *  - Bridge id = priority (default 32768, a multiple of 4096) and the
 *    bridge MAC; port id = priority 128 and the port number. Path cost by
 *    link rate from the 802.1D-1998 table (10 Mb/s 100, 100 Mb/s 19,
 *    1 Gb/s 4, 10 Gb/s 2; 4 Mb/s 250, 16 Mb/s 62), for STP and RSTP alike
 *    (Cisco's "short" path cost method), unless `port N cost C` sets it.
 *  - Priority vectors {root, cost, designated bridge, designated port} and
 *    the receiving port id decide the root port; a port whose own vector
 *    beats what it hears is designated; the rest are alternate (the better
 *    info came from another bridge) or backup (from this bridge).
 *  - STP: blocking, listening, learning, forwarding with forward delay
 *    between them; received info ages out after max age less its message
 *    age; only the root sends hellos, others relay on receipt at the root
 *    port; worse info from the designated bridge is ignored until it ages
 *    (Linux br_supersedes_port_info), which is why an indirect failure
 *    takes max age + 2 x forward delay. Topology change: TCN on the root
 *    port every hello until acknowledged (TCA), the root sets TC in its
 *    Configuration BPDUs for max age + forward delay, and every bridge
 *    that sees TC ages its MAC table with forward delay instead of 300 s.
 *  - RSTP: roles root/designated/alternate/backup, states discarding
 *    (shown as blocking inside), learning, forwarding. Every bridge sends
 *    hellos on its designated ports; received info lasts 3 x hello; worse
 *    info from the designated bridge replaces the stored info at once.
 *    A designated port that is not forwarding sets Proposal; the bridge
 *    that receives it on its root port syncs (puts its other non-edge
 *    designated ports to discarding, which then propose downstream) and
 *    answers with Agreement, and a designated port that receives Agreement
 *    forwards at once. An alternate port that hears a proposal agrees. A
 *    new root port forwards at once. A port that has heard no BPDU for
 *    3 s (migrate time) while proposing becomes an edge port (auto-edge,
 *    17.25) and forwards; `port N edge` makes one at once. Topology
 *    change: a non-edge port that starts forwarding, or a TC flag heard on
 *    a root or designated port, flushes the MAC entries of the bridge's
 *    other ports and sets TC on its other root and designated ports for
 *    hello + 1 s. A port that hears a Configuration or TCN BPDU talks
 *    802.1D on that port from then on (17.24, no mcheck), so an 802.1D
 *    neighbour sees Configuration BPDUs it understands; an 802.1D-1998
 *    bridge ignores RST BPDUs, as the 1998 standard discards unknown types.
 *
 * A port cabled to a hub is on a shared LAN (802.1D-2004 operPointToPoint
 * false): no proposal or agreement there, so it forwards after two forward
 * delays, and its edge delay is max age; every other port is
 * point-to-point (netsim cables are full duplex). BPDUs are coalesced per
 * event and held to TxHoldCount 6 a second per port (RSTP) or one a
 * second (802.1D-1998's hold time).
 *
 * Simplifications (named, not hidden): a proposal's sync is instantaneous
 * (the designated ports are put to discarding in the same event); no
 * mcheck (a port that fell back to 802.1D returns to RSTP when it hears an
 * RST BPDU); BPDUs are sent from the bridge MAC on every port; port ids
 * have 802.1D-2004's 12-bit port number, so a switch with spanning tree
 * has at most 4095 ports. Frames to the bridge
 * group address 01:80:c2:00:00:00 are never relayed and not learned.
 *
 * Every decision is a trace record: `bpdu` for each BPDU sent or received
 * (root, cost, bridge, port and what was made of it), `stp` for root, role
 * and state changes with the reason, and topology changes.
 *
 * Ownership: a SimStp belongs to its switch, which calls sim_stp_input for
 * every frame, sim_stp_link_changed for link events and asks
 * sim_stp_port_learns/forwards before learning and sending. The ops let
 * the STP flush and re-age the switch's MAC table.
 */
#pragma once

#include "sim/core/world.h"
#include "sim/l2/bridge.h"
#include "sim/net/addr.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimStp SimStp;

typedef enum { SIM_STP_OFF, SIM_STP_IEEE, SIM_STP_RSTP } SimStpMode;

typedef enum {
    SIM_STP_ROLE_DISABLED,
    SIM_STP_ROLE_ROOT,
    SIM_STP_ROLE_DESIGNATED,
    SIM_STP_ROLE_ALTERNATE,
    SIM_STP_ROLE_BACKUP,
} SimStpRole;

/* RSTP's discarding is SIM_STP_BLOCKING. */
typedef enum {
    SIM_STP_DISABLED,
    SIM_STP_BLOCKING,
    SIM_STP_LISTENING,
    SIM_STP_LEARNING,
    SIM_STP_FORWARDING,
} SimStpState;

#define SIM_STP_DEFAULT_PRIORITY 32768
#define SIM_STP_DEFAULT_HELLO (2 * SIM_SEC)
#define SIM_STP_DEFAULT_MAX_AGE (20 * SIM_SEC)
#define SIM_STP_DEFAULT_FWD_DELAY (15 * SIM_SEC)
#define SIM_STP_MIGRATE_TIME (3 * SIM_SEC)

typedef struct {
    SimStpMode mode;
    uint16_t priority; /* multiple of 4096 */
    SimTime hello, max_age, forward_delay;
    SimMac mac; /* the bridge address */
} SimStpConfig;

typedef struct {
    /* Removes the dynamic MAC entries of every port except `except` (-1:
     * none excepted). */
    void (*flush)(void *owner, int except, const char *why);
    /* Sets the MAC aging time; 0 restores the configured one. */
    void (*set_aging)(void *owner, SimTime aging);
} SimStpOps;

typedef struct {
    uint64_t bpdu_tx, bpdu_rx;    /* BPDUs of every type */
    uint64_t topology_changes;    /* detected or notified */
    SimTime last_topology_change; /* SIM_TIME_MAX when none */
} SimStpStats;

void sim_stp_config_default(SimStpConfig *cfg);
/* 802.1D-1998 path cost for a link rate. */
uint32_t sim_stp_cost_for_rate(uint64_t rate_bps);

/* Starts at the current time (an event at now): every port claims to be
 * designated for a bridge that believes it is the root. */
SimStp *sim_stp_new(SimBridge *bridge, const SimStpConfig *cfg, const SimStpOps *ops, void *owner);
void sim_stp_free(SimStp *stp); /* NULL is a no-op */

/* Configuration (before or during the run). cost 0: by link rate. */
void sim_stp_set_port_cost(SimStp *stp, guint port, uint32_t cost);
void sim_stp_set_port_edge(SimStp *stp, guint port, bool edge);

/* A frame arrived on port. Returns true when it was a frame to the bridge
 * group address, which the STP consumed (pkt unreffed); false otherwise
 * (pkt untouched). */
bool sim_stp_input(SimStp *stp, guint port, SimPacket *pkt);
void sim_stp_link_changed(SimStp *stp, guint port, bool up);
bool sim_stp_port_learns(const SimStp *stp, guint port);
bool sim_stp_port_forwards(const SimStp *stp, guint port);

SimStpMode sim_stp_mode(const SimStp *stp);
uint64_t sim_stp_bridge_id(const SimStp *stp);
uint64_t sim_stp_root_id(const SimStp *stp);
uint32_t sim_stp_root_cost(const SimStp *stp);
int sim_stp_root_port(const SimStp *stp); /* -1 on the root */
SimStpRole sim_stp_port_role(const SimStp *stp, guint port);
SimStpState sim_stp_port_state(const SimStp *stp, guint port);
uint32_t sim_stp_port_cost(const SimStp *stp, guint port);
const SimStpStats *sim_stp_stats(const SimStp *stp);
const char *sim_stp_role_name(SimStpRole role);                  /* "alternate" */
const char *sim_stp_state_name(SimStpMode mode, SimStpState st); /* "discarding" */
const char *sim_stp_mode_name(SimStpMode mode);                  /* "ieee", "rstp" */

/* `show SW spanning-tree`, laid out as Cisco IOS `show spanning-tree`. */
void sim_stp_show(const SimStp *stp, GString *out);

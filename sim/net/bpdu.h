/* bpdu.h - IEEE 802.1D bridge protocol data units: Configuration, Topology
 * Change Notification (802.1D-1998 clause 9) and Rapid Spanning Tree BPDUs
 * (802.1D-2004 clause 9.3.3), inside an IEEE 802.3 frame with an LLC header.
 *
 * On the wire: destination 01:80:c2:00:00:00, the sending port's MAC, an
 * 802.3 length (3 + BPDU bytes), LLC DSAP 0x42 SSAP 0x42 control 0x03 (UI),
 * then the BPDU: protocol id 0x0000, version (0 STP, 2 RSTP), type (0x00
 * Config, 0x80 TCN, 0x02 RST), flags, root id, root path cost, bridge id,
 * port id and four times in units of 1/256 s. A Config BPDU is 35 bytes,
 * an RST BPDU 36 (Version 1 Length = 0), a TCN 4; the frame is padded to
 * the 60-byte minimum. Bridge ids are 64-bit integers: priority in the top
 * 16 bits (a multiple of 4096; the low 12 bits are the system id extension,
 * 0 here: one spanning tree), the bridge MAC in the low 48.
 *
 * Design: smoltcp style, a plain repr with parse and emit; parsing never
 * reads past len and accepts what 802.1D 9.3.4 says a bridge must accept
 * (a longer BPDU of a later version is read as the version it knows).
 * Times are kept as the 1/256 s wire units so that relaying a message age
 * is exact; sim_bpdu_time converts.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/core/simtime.h"
#include "sim/net/addr.h"
#include "sim/net/packet.h"

extern const SimMac SIM_MAC_STP; /* 01:80:c2:00:00:00, the Bridge Group Address */

#define SIM_BPDU_TYPE_CONFIG 0x00
#define SIM_BPDU_TYPE_TCN 0x80
#define SIM_BPDU_TYPE_RST 0x02

/* Flags (802.1D-2004 9.3.3; Config BPDUs use only TC and TCA). */
#define SIM_BPDU_F_TC 0x01
#define SIM_BPDU_F_PROPOSAL 0x02
#define SIM_BPDU_F_ROLE_MASK 0x0c
#define SIM_BPDU_F_LEARNING 0x10
#define SIM_BPDU_F_FORWARDING 0x20
#define SIM_BPDU_F_AGREEMENT 0x40
#define SIM_BPDU_F_TCA 0x80

/* Port Role field values (bits 2-3 of flags). */
typedef enum {
    SIM_BPDU_ROLE_UNKNOWN = 0,
    SIM_BPDU_ROLE_ALT_BACKUP = 1,
    SIM_BPDU_ROLE_ROOT = 2,
    SIM_BPDU_ROLE_DESIGNATED = 3,
} SimBpduRole;

#define SIM_BPDU_CONFIG_LEN 35
#define SIM_BPDU_RST_LEN 36
#define SIM_BPDU_TCN_LEN 4
#define SIM_LLC_LEN 3

typedef struct {
    uint8_t version; /* 0 STP, 2 RSTP */
    uint8_t type;    /* SIM_BPDU_TYPE_* */
    uint8_t flags;
    uint64_t root_id;
    uint32_t root_cost;
    uint64_t bridge_id;
    uint16_t port_id;
    uint16_t message_age, max_age, hello_time, forward_delay; /* 1/256 s */
} SimBpdu;

static inline SimBpduRole sim_bpdu_role(const SimBpdu *b)
{
    return (SimBpduRole)((b->flags & SIM_BPDU_F_ROLE_MASK) >> 2);
}

/* 1/256 s units <-> time; whole seconds convert exactly. */
static inline SimTime sim_bpdu_time(uint16_t v)
{
    return (SimTime)v * SIM_SEC / 256;
}
static inline uint16_t sim_bpdu_units(SimTime t)
{
    uint64_t u = t * 256 / SIM_SEC;
    return (uint16_t)(u > 0xffff ? 0xffff : u);
}

/* Bridge and port ids. */
static inline uint64_t sim_bridge_id(uint16_t priority, const SimMac *mac)
{
    return (uint64_t)priority << 48 | sim_mac_to_u64(mac);
}
/* "32768.02:00:00:00:00:01" (Cisco's and Linux's priority.MAC reading);
 * buf holds SIM_BRIDGE_ID_STRLEN. */
#define SIM_BRIDGE_ID_STRLEN 24
const char *sim_bridge_id_format(uint64_t id, char *buf);
/* "128.3" */
#define SIM_PORT_ID_STRLEN 12
const char *sim_port_id_format(uint16_t id, char *buf);

/* Parses the frame at buf (Ethernet header included). Fails (error set)
 * when it is not an LLC 42/42/03 frame to the bridge group address or the
 * BPDU is truncated or of an unknown type. */
gboolean sim_bpdu_parse(const uint8_t *buf, size_t len, SimBpdu *out, GError **error);
/* True when the frame's destination is the bridge group address (a BPDU
 * or something else a bridge must not relay). */
bool sim_bpdu_is_group_frame(const uint8_t *buf, size_t len);
/* A whole frame from src: header, LLC, the BPDU (its type and version
 * decide the length), padding. Returns one reference. */
SimPacket *sim_bpdu_emit(SimPacketPool *pool, const SimMac *src, const SimBpdu *b);
/* A one-line summary in tshark's Info style: "Conf. Root = 4096/0/02:..
 * Cost = 19  Port = 0x8001", "RST. ...", "Topology Change Notification". */
size_t sim_bpdu_summary(const SimBpdu *b, char *buf, size_t size);

/* uid.h - packet identities across ranks.
 *
 * Each rank's packet pool numbers the packets it makes 1, 2, 3 ... as one
 * process does; the numbers of different ranks collide. A frame leaving
 * for another rank carries a global form, the top bit set over (rank << 40
 * | local uid), and keeps it on the far side; sim_dist_merge turns every
 * form back into the number the single-process run would have given
 * (merge.h). */
#pragma once

#include "sim/net/packet.h"

#include <stdint.h>
#include <string.h>

#define SIM_DIST_UID_GLOBAL (UINT64_C(1) << 63)

static inline uint64_t sim_dist_uid_global(int rank, uint64_t uid)
{
    return (uid & SIM_DIST_UID_GLOBAL) ? uid : SIM_DIST_UID_GLOBAL | (uint64_t)rank << 40 | uid;
}

/* A received frame as a packet of the pool, with its global uid. */
static inline SimPacket *sim_dist_uid_packet(SimPacketPool *pool, const uint8_t *data, size_t len,
                                             uint64_t uid)
{
    SimPacket *p = sim_packet_new_uid(pool, SIM_PACKET_HEADROOM, len, uid);
    memcpy(sim_packet_data(p), data, len);
    return p;
}

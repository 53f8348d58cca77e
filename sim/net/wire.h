/* wire.h - shared pieces of the header codecs: the decode error domain and
 * big-endian byte access.
 *
 * Design: decoders read straight from the frame bytes with these helpers
 * rather than casting to packed structs, so alignment and byte order never
 * matter and every read is visibly preceded by a length check. Rejected:
 * ntohs() on struct casts (unaligned access traps on some targets, and
 * UBSan flags it).
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#define SIM_WIRE_ERROR (sim_wire_error_quark())
GQuark sim_wire_error_quark(void);
typedef enum {
    SIM_WIRE_ERROR_TRUNCATED,   /* fewer bytes than the header claims or needs */
    SIM_WIRE_ERROR_MALFORMED,   /* inconsistent lengths or impossible values */
    SIM_WIRE_ERROR_UNSUPPORTED, /* well formed, but not something netsim speaks */
} SimWireError;

static inline uint16_t sim_wire_get16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t sim_wire_get32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void sim_wire_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void sim_wire_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

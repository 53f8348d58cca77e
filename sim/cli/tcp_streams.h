/* tcp_streams.h - the TCP connections a reader has seen so far, for
 * Wireshark's derived fields in the stepper's `detail` (relative sequence
 * and acknowledgment numbers, the scaled window).
 *
 * Design: Wireshark tracks each conversation from its SYNs; this does the
 * same with less: per direction the ISN and the window-scale shift its SYN
 * offered. A SYN without ACK that carries a new ISN on a known 4-tuple
 * starts a new connection (the other direction is forgotten), as
 * Wireshark starts a new stream. Frames are observed once per trace record
 * (a frame is seen at every hop; observing it again changes nothing).
 * Costs: one hash lookup per record with a TCP frame; memory is two small
 * entries per connection for the life of the stepper session.
 */
#pragma once

#include "sim/net/dissect.h"

#include <glib.h>

typedef struct _SimTcpStreams SimTcpStreams;

SimTcpStreams *sim_tcp_streams_new(void);
void sim_tcp_streams_free(SimTcpStreams *s);
/* Forgets every connection (the stepper rebuilt its world). */
void sim_tcp_streams_clear(SimTcpStreams *s);
void sim_tcp_streams_observe(SimTcpStreams *s, const uint8_t *frame, size_t len);
/* SimDissectVisitor.tcp_stream, with user = the SimTcpStreams. */
bool sim_tcp_streams_lookup(const SimTcpStreams *s, const SimDissectTcpKey *key,
                            SimDissectTcpStream *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimTcpStreams, sim_tcp_streams_free)

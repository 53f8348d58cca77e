/* frame_view.h - the stepper's two views of one frame: its layers with
 * every field (`detail`) and a hex/ASCII dump with the layer boundaries
 * marked (`hex`).
 *
 * Design: both views come from sim_dissect_walk, so the stepper shows the
 * same layers and Wireshark field names as the JSON trace and never parses
 * bytes itself. The walk is collected into a small array first (a frame
 * has a handful of layers and a few dozen fields) so that the field column
 * can be aligned and quoted headers (inside an ICMP error) indented; a
 * single pass printing as it walks was rejected because it cannot align.
 * The hex dump keeps Wireshark's 16-bytes-per-row columns but starts a new
 * row at every layer boundary, labelled with the layer, rather than
 * drawing brackets under shared rows, which is unreadable in a terminal.
 */
#pragma once

#include "sim/cli/tcp_streams.h"

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

/* Appends the decoded layers of frame[0..len): one heading per layer
 * ("Internet Protocol Version 4 (ip), bytes 14-33") and one line per field
 * ("    ip.ttl            64"); a TCP field also gets Wireshark's name for
 * it ("    tcp.seq   1   Sequence Number"). With tcp (may be NULL), TCP
 * segments also show the fields Wireshark derives from the connection:
 * relative seq/ack, the calculated window and its scaling factor. Every
 * line ends with '\n'. */
void sim_frame_view_layers(const uint8_t *frame, size_t len, const SimTcpStreams *tcp,
                           GString *out);

/* Appends a hex and ASCII dump of frame[0..len): rows of up to 16 bytes at
 * their Wireshark columns, the offset first and the layer's name last; a
 * row never spans two layers. Bytes no layer claims (Ethernet padding)
 * are labelled "padding". Every line ends with '\n'. */
void sim_frame_view_hex(const uint8_t *frame, size_t len, GString *out);

/* The long name of a layer as Wireshark titles it ("ip" -> "Internet
 * Protocol Version 4"); unknown names are returned unchanged. */
const char *sim_frame_view_layer_title(const char *name);

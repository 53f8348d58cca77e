/* port_table.h - `show SWITCH interfaces`: a switch's or hub's ports with
 * their state and counters, as `show interfaces status` and the counters of
 * `show interfaces` give them on a Cisco switch, in one table:
 *
 *   Port   Peer          State         Rate  RX-frames  RX-bytes  TX-frames  TX-bytes  Drops  Queue
 *   p1     alex.eth0     up         100Mbps          3       180          5       300      0    0/1
 *   p3     -             unconnected
 *
 * Peer is the far end of the cable as topology files name it; State is up,
 * down (the link is down) or unconnected; Drops counts every frame dropped
 * at the port (full queue, link down, ...); Queue is the frames waiting to
 * be sent now / the most that ever waited. Counters are the interface's
 * own (sim_iface_counters), so they agree with the trace.
 */
#pragma once

#include <glib.h>

typedef struct _SimNode SimNode;

/* Appends the table for any node's interfaces (the columns suit switch and
 * hub ports, named "pN"); lines end in '\n'. */
void sim_port_table_format(const SimNode *node, GString *out);

/* tables.h - a device's live tables as HTML-like rows for its diagram
 * label: a switch's MAC table, a host's ARP cache, a router's ARP cache and
 * routing table, as they stand at the world's current time.
 *
 * Design: each table is one nested <TABLE> in one row under the device's
 * name, with a title ("MAC table (3)"), a header and one compact row per
 * entry: MAC / port / age for a switch, IP / MAC (/ interface, on a device
 * with several) for ARP, prefix / via / interface for routes. At most
 * max_rows entries are listed, then "+N more". The MAC table comes from
 * sim_switch_mac_entries(), the ARP cache from sim_arp_foreach() and the
 * routes from sim_fib_foreach() on sim_ip_fib(): the same entries, in the
 * same order, as `show` prints, read as fields. Replaced: parsing the text
 * of sim_scenario_show(), which tied the diagram to the `ip neigh` and
 * `ip route` line layouts. The destination and interface columns come
 * from the FIB (sim_fib_route_dst, sim_fib_route_dev), so they follow the
 * same display rules as `show ROUTER route`.
 *
 * Cost: O(entries) per device (plus the table's own sort), once per drawing.
 */
#pragma once

#include "sim/link/node.h"

#include <glib.h>

#define SIM_VIZ_TABLE_MAX_ROWS 8

/* Appends one row per table of node (none for a hub) to rows. Returns how
 * many tables were added. */
guint sim_viz_table_rows(SimNode *node, guint max_rows, GString *rows);

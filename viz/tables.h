/* tables.h - a device's live tables as HTML-like rows for its diagram
 * label: a switch's MAC table, a host's ARP cache, a router's ARP cache and
 * routing table, as they stand at the world's current time.
 *
 * Design: each table is one nested <TABLE> in one row under the device's
 * name, with a title ("MAC table (3)"), a header and one compact row per
 * entry: MAC / port / age for a switch, IP / MAC (/ interface, on a device
 * with several) for ARP, prefix / via / interface for routes. At most
 * max_rows entries are listed, then "+N more". The MAC table comes from
 * sim_switch_mac_entries(); ARP and routes are read from the text of
 * sim_scenario_show() (the ipstack has no other public view of them), so a
 * label always agrees with what `show` prints. Rejected: reaching into the
 * ipstack's private FIB and caches (a second copy of the display rules).
 *
 * Cost: O(entries) per device (plus the table's own sort), once per drawing.
 */
#pragma once

#include "sim/link/node.h"
#include "sim/topo/scenario.h"

#include <glib.h>

#define SIM_VIZ_TABLE_MAX_ROWS 8

/* Appends one row per table of node (none for a hub) to rows. Returns how
 * many tables were added. */
guint sim_viz_table_rows(SimScenario *sc, SimNode *node, guint max_rows, GString *rows);

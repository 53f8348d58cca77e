/* validate.h - semantic checks on a parsed topology, and resolution.
 *
 * sim_topo_validate checks what the grammar cannot (the full list, with
 * examples, is in docs/topology-language.md):
 *   errors:   duplicate node names, IPs or MACs; unusable addresses (network,
 *             broadcast, loopback, multicast); a port out of range or used
 *             twice; an interface linked twice; a link from a device to
 *             itself; an unknown node or interface; a gateway outside the
 *             host's subnets; a next hop not on a connected subnet;
 *             overlapping subnets on one node; commands a node cannot run;
 *   warnings: an unconnected interface or device; a switch loop (it will
 *             storm without STP); a ping off-subnet from a host without a
 *             gateway or route; two subnets on one segment.
 * and resolves the tree in place:
 *   - every link endpoint names a concrete interface (host, router) or port
 *     (switch, hub): the first free one, in file order, when none is written;
 *     written ones are claimed first, so `link a sw` never takes the port a
 *     later `link b sw.1` names;
 *   - every interface without a MAC gets sim_mac_local(n), n counting up in
 *     declaration order and skipping MACs written in the file;
 *   - link parameters take `defaults link` values, then built-in ones;
 *   - command targets written as node names become that node's first IPv4
 *     address; `at T link A B` commands point at their link.
 *
 * It may run on a tree that had syntax errors: names and nodes marked as
 * broken by the parser are not reported again.
 */
#pragma once

#include <glib.h>

#include "sim/topo/ast.h"
#include "sim/topo/diag.h"

/* Returns TRUE (and sets topo->validated) when diag holds no error at all,
 * counting the parser's. Warnings do not count. Sorts the diag by position
 * at the end (sim_diag_sort). Does nothing when the diag's error cap is
 * already reached. */
gboolean sim_topo_validate(SimTopo *topo, SimDiag *diag);

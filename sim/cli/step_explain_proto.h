/* step_explain_proto.h - the stepper's words for protocol decisions: the
 * spanning tree (`stp`, `bpdu` records), TCP (`tcp`), VLAN tagging (`tag`,
 * `untag`), NAT (`nat`), MAC, ARP and path MTU entries flushed or aged out
 * (`age`), datagrams handed to TCP, UDP or ICMP (`deliver`), fragments
 * (`fragment`, `reassemble`), broadcast storms (`storm`), ICMP messages sent
 * (`icmp`, `ttl-exceeded`, `unreachable`), links (`link-down`, `link-up`)
 * and the DHCP, DNS, upload, path MTU and `clear` notes (`info`).
 *
 *   "sw-eng: port 24 role designated → root (BPDU on port 24)"
 *   "sw-eng：端口 24 的角色：指定端口 → 根端口（端口 24 收到 BPDU）"
 *
 * Design: the records carry their decision as an English detail (the trace
 * is an API and stays English), so each detail shape the producers write
 * (sim/l2/stp.c, stp_rx.c, switch.c, sim/l4/tcp*.c, sim/l3/nat.c, arp.c,
 * icmp.c, reasm.c, sim/apps/dhcp_*.c, dns_*.c …) has one
 * pattern here, the producer's format with "{}" for its parts, and one
 * translatable sentence with a %s per part. The parts are put in words too:
 * port labels ("p24" -> "port 24"), STP roles and states, and the reasons in
 * parentheses, which are a closed set of literals in the producers. A BPDU's
 * fields are read from the frame itself (sim_bpdu_parse), not the text.
 * The English sentence is the detail with ports in words, so LANG=C reads
 * as before. A detail no pattern matches, or a part that is not a known
 * word, is not guessed at: the caller keeps its English text.
 *
 * Rejected: structured fields on SimTraceRecord (sim/core is not the CLI's
 * to change, and every producer would need a second path); sscanf per
 * shape (cannot anchor a reason that itself holds parentheses).
 */
#pragma once

#include "sim/core/trace.h"

#include <glib.h>
#include <stdbool.h>

/* Appends r's decision in words to out and sets *verb when the phrase reads
 * after the device's name ("home translated …") rather than after "name: ".
 * FALSE (out untouched) when r is not a record this module knows or its
 * detail has an unknown shape. */
bool sim_step_explain_proto(const SimTraceRecord *r, GString *out, bool *verb);

/* TRUE when r says the node is sending a BPDU, an ICMP message or
 * fragments: the tx record that follows only restates it. */
bool sim_step_explain_proto_announces(const SimTraceRecord *r);

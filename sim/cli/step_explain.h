/* step_explain.h - the stepper's one-line decision in words.
 *
 * Given the trace records of one event, composes one sentence per node
 * that acted, e.g.
 *
 *   "swA learned 00:0a:a4:2a:3e:4b on port 1; destination is broadcast →
 *    flooded to ports 2, 3 and 8"
 *   "r1: 192.168.20.1 matches 192.168.20.0/24 → eth1, TTL 64→63; forwarded
 *    it out of eth1"
 *   "chen dropped ARP who-has 192.168.10.2 tell 192.168.10.1: not for us"
 *
 * Design: the sentence is built only from the records (principle 4: no
 * sink re-derives what happened) plus the frame's destination MAC, to say
 * whether a flood was for a broadcast, a multicast or an unknown unicast.
 * Records that only restate another (the rx before a learn, the tx after a
 * flood or an ARP request) are left out, since the record lines printed
 * above the sentence already show them. Parsing the free-text details was
 * kept to the few fixed forms the switch emits (port lists); anything
 * unexpected is quoted as is rather than guessed at.
 */
#pragma once

#include "sim/core/trace.h"
#include "sim/core/world.h"

#include <glib.h>

/* Appends, for each node in order of its first record, `prefix`, its
 * sentence and '\n'. Nodes whose records say nothing worth a sentence
 * (application output only) get no line. w (may be NULL) is used only to
 * tell a hub from a switch. */
void sim_step_explain(const SimTraceRecord *recs, guint n, const SimWorld *w, const char *prefix,
                      GString *out);

/* Rewrites a switch port list as words: "p2,p3,p8" -> "ports 2, 3 and 8",
 * "p1" -> "port 1". A list with other names keeps them ("ports p1 and
 * uplink" is not produced: "ports 1 and uplink"). */
void sim_step_explain_ports(const char *list, GString *out);

/* Copies text to out, turning each word "pN" (a switch port label) into
 * "port N": "p2 root" -> "port 2 root". */
void sim_step_explain_port_words(GString *out, const char *text);

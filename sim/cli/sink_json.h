/* sink_json.h - the machine-readable trace (`--trace json`): JSON lines.
 *
 * One object per record and per line, keys always present and always in
 * this order (docs/trace.md is the reference):
 *
 *   id, event, time_ns (integers), node, iface, kind, reason, summary,
 *   detail (strings; "" when absent), and `packet` only when the record
 *   carries a frame: {"uid", "len", "layers": [{"name", "offset", "length",
 *   "fields": {"<wireshark field name>": "<display value>", ...}}, ...]}.
 *
 * `summary` is the packet's one-line summary, or the detail when there is
 * no packet. Scripts and scenario tests read this form.
 *
 * Design: the packet's layers come from sim_dissect_walk, so this file
 * never parses bytes. Speed (tests/bench/trace-cost.sh; a JSON trace costs
 * about 12x a run without trace on two LANs of 1,000 hosts, was 165x):
 *   - a frame appears in several records in a row, so its quoted summary
 *     and "packet" object are formatted once and kept in a small cache
 *     keyed by uid and bytes (compared in full: routers rewrite in place);
 *   - the record's fixed keys are literal text and numbers are formatted
 *     by hand: no printf per record;
 *   - lines collect in one buffer written in 64 KB blocks, so the output
 *     reaches the FILE only in whole blocks (and at sim_json_sink_free).
 * The bytes written are the same as the plain SimJson writer's.
 */
#pragma once

#include "sim/core/trace.h"
#include "sim/core/world.h"

#include <glib.h>
#include <stdio.h>

typedef struct _SimJsonSink SimJsonSink;

/* Subscribes to w's trace bus for the kinds in mask and writes one JSON
 * object plus '\n' per record to out (borrowed: the caller closes it after
 * sim_json_sink_free). */
SimJsonSink *sim_json_sink_new(SimWorld *w, FILE *out, SimTraceMask mask);
/* Unsubscribes and flushes out; NULL is a no-op. Call before freeing w. */
void sim_json_sink_free(SimJsonSink *s);
/* Replaces the node labels the sink took from its world (name -> label;
 * the sink takes a reference; NULL: none), as sim_text_sink_set_labels. */
void sim_json_sink_set_labels(SimJsonSink *s, GHashTable *labels);
uint64_t sim_json_sink_count(const SimJsonSink *s);

/* Appends the JSON object of one record to out, without a newline. Used
 * by the stepper. */
void sim_json_sink_format(const SimTraceRecord *rec, GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimJsonSink, sim_json_sink_free)

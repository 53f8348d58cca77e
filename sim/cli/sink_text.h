/* sink_text.h - the human-readable trace (`--trace text`, the default).
 *
 * One line per record, in columns like Packet Tracer's event list:
 *
 *   "    0.000012300  swA     p1     learn        00:0a:a4:2a:3e:4b on p1"
 *    time (s, 9 decimals), node, iface, kind, text
 *
 * The time is right-aligned so that times up to 999.999999999 s line up
 * (SIM_TEXT_TIME_WIDTH); later ones take more room. Node and iface columns
 * have minimum widths (SIM_TEXT_NODE_WIDTH, SIM_TEXT_IFACE_WIDTH) and are
 * never truncated: a longer name pushes the rest of its line right. A
 * missing node or iface prints as "-". The text of a record with a packet
 * is the packet's one-line summary (see sim_dissect_summary) followed by
 * the detail: "(98 bytes)" for tx/rx, " — <reason>" for drop, the ports
 * with runs written "p2-p9" for flood, " <detail>" otherwise; a `deliver`
 * prints its detail only (it names what was delivered, so the summary
 * would repeat it). `app` and `show` records are what the user reads (ping
 * output, tables), so they are printed as is, without columns; a
 * multi-line detail stays multi-line. With sim_text_sink_set_app_prefix
 * (`netsim run` sets it when more than one host runs applications), each
 * application line starts with "<host>: ".
 *
 * Compact mode (`--width N`, sim_text_sink_set_width): the time in
 * microseconds (truncated), no margin, narrower columns, one space between
 * them, and every trace line cut to N columns, ending in "…", for an
 * 80-column terminal or a projector. `app` and `show` lines are not cut.
 *
 * Design: see sink_text.c (a summary cache, no printf, batched writes).
 */
#pragma once

#include "sim/core/trace.h"
#include "sim/core/world.h"

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

#define SIM_TEXT_TIME_WIDTH 13 /* "999.999999999" */
#define SIM_TEXT_NODE_WIDTH 7
#define SIM_TEXT_IFACE_WIDTH 6
#define SIM_TEXT_KIND_WIDTH 12         /* "ttl-exceeded", the longest kind name */
#define SIM_TEXT_COMPACT_TIME_WIDTH 10 /* "999.999999" */
#define SIM_TEXT_COMPACT_NODE_WIDTH 6
#define SIM_TEXT_COMPACT_IFACE_WIDTH 5
#define SIM_TEXT_MIN_WIDTH 40 /* the narrowest --width */

/* What `--quiet` shows: application output and tables only. */
#define SIM_TEXT_SINK_QUIET_MASK (SIM_TRACE_BIT(SIM_TR_APP) | SIM_TRACE_BIT(SIM_TR_SHOW))

typedef struct _SimTextSink SimTextSink;

/* Subscribes to w's trace bus for the kinds in mask and writes each record
 * as one line (plus '\n') to out. out is borrowed: the caller closes it
 * after sim_text_sink_free. */
SimTextSink *sim_text_sink_new(SimWorld *w, FILE *out, SimTraceMask mask);
/* Unsubscribes and flushes out; NULL is a no-op. Must be called before the
 * world is freed. */
void sim_text_sink_free(SimTextSink *s);
/* Compact mode cut to width columns (>= SIM_TEXT_MIN_WIDTH); 0: the full
 * layout, never cut (the default). */
void sim_text_sink_set_width(SimTextSink *s, guint width);
/* Replaces the node labels the sink took from its world (name -> label;
 * the sink takes a reference; NULL: none): a partitioned run's merged
 * output is written through a world that holds no nodes (run_dist.c). */
void sim_text_sink_set_labels(SimTextSink *s, GHashTable *labels);
/* With on, each line of application output (ping, traceroute) starts with
 * its host's name, "alex: 64 bytes from ...", so that the output of
 * several hosts can be told apart. */
void sim_text_sink_set_app_prefix(SimTextSink *s, bool on);
/* From now on, once a broadcast storm is reported, hide the per-frame
 * records of its LAN (see storm_watch.h). */
void sim_text_sink_summarise_storms(SimTextSink *s);
/* Writes the storm summaries, if any storm was reported, and everything
 * still batched; call after the run, before sim_text_sink_free. Lines are
 * batched in memory (64 KB) until then, so the caller must not write to
 * the same stream in between without calling this first. */
void sim_text_sink_finish(SimTextSink *s);
/* Lines written so far. */
uint64_t sim_text_sink_count(const SimTextSink *s);

/* Appends the text of one record to out, exactly as the sink prints it but
 * without the final newline (a trailing newline of an app/show detail is
 * dropped too; inner newlines are kept). Used by the stepper. */
void sim_text_sink_format(const SimTraceRecord *rec, GString *out);
/* The same with labelled nodes shown by their label (labels: name -> label,
 * as sim_node_label_table gives; NULL = none), the node column as wide as
 * the widest label. */
void sim_text_sink_format_labelled(const SimTraceRecord *rec, GHashTable *labels, GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimTextSink, sim_text_sink_free)

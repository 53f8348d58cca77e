/* sink_text.h - the human-readable trace (`--trace text`, the default).
 *
 * One line per record, in columns like Packet Tracer's event list:
 *
 *   "  0.000012300  swA     p1     learn        00:0a:a4:2a:3e:4b on p1"
 *    time (s, 9 decimals), node, iface, kind, text
 *
 * Node and iface columns have minimum widths (SIM_TEXT_NODE_WIDTH,
 * SIM_TEXT_IFACE_WIDTH) and are never truncated: a longer name pushes the
 * rest of its line right. A missing node or iface prints as "-". The text
 * of a record with a packet is the packet's one-line summary (see
 * sim_dissect_summary) followed by the detail: "(98 bytes)" for tx/rx,
 * " — <reason>" for drop, " <detail>" otherwise. `app` and `show` records
 * are what the user reads (ping output, tables), so they are printed as
 * is, without columns; a multi-line detail stays multi-line.
 *
 * Design: the sink reuses one GString and formats into stack buffers, so
 * steady state does no malloc per record; nothing is formatted for kinds
 * outside the mask, because the bus does not call the sink for them.
 */
#pragma once

#include "sim/core/trace.h"
#include "sim/core/world.h"

#include <glib.h>
#include <stdio.h>

#define SIM_TEXT_NODE_WIDTH 7
#define SIM_TEXT_IFACE_WIDTH 6
#define SIM_TEXT_KIND_WIDTH 12 /* "ttl-exceeded", the longest kind name */

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
/* From now on, once a broadcast storm is reported, hide the per-frame
 * records of its LAN (see storm_watch.h). */
void sim_text_sink_summarise_storms(SimTextSink *s);
/* Writes the storm summaries, if any storm was reported; call after the
 * run, before sim_text_sink_free. */
void sim_text_sink_finish(SimTextSink *s);
/* Lines written so far. */
uint64_t sim_text_sink_count(const SimTextSink *s);

/* Appends the text of one record to out, exactly as the sink prints it but
 * without the final newline (a trailing newline of an app/show detail is
 * dropped too; inner newlines are kept). Used by the stepper. */
void sim_text_sink_format(const SimTraceRecord *rec, GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimTextSink, sim_text_sink_free)

/* storm_watch.h - what the text trace does once a broadcast storm is
 * reported: stop tracing every copy, and summarise at the end.
 *
 * A loop without STP re-delivers the same frames forever (Ethernet has no
 * TTL), so a traced storm is millions of identical lines a student cannot
 * read. Once a switch or hub reports a storm (a `storm` record, see
 * sim/l2/storm.h), the watch marks the storm's LAN: every L2 device
 * reachable from the reporting device over links, and every interface of a
 * host or router attached to one of them. From then on the text trace
 * hides the per-frame records (tx, rx, drop, learn, flood, forward, filter,
 * ARP, route, deliver ...) of that LAN, and keeps application output,
 * tables, storm reports, link up/down and everything outside the LAN. At
 * the end of the run, sim_storm_watch_summary() says what the hidden lines
 * held: frames and frames per second per link since the report, queue
 * drops, the longest queue, and the loop.
 *
 * Hiding lasts until the end of the run even if a scenario later breaks
 * the loop: the detectors report once per device, so a storm that resumed
 * could not be told apart from one that ended; the per-link figures show
 * when traffic stopped.
 *
 * Cost: before any storm, one branch per record. After, one hash lookup of
 * the record's node name (and one of its interface name for hosts and
 * routers) per record.
 */
#pragma once

#include "sim/core/trace.h"
#include "sim/core/world.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimStormWatch SimStormWatch;

/* w is borrowed and must outlive the watch. */
SimStormWatch *sim_storm_watch_new(SimWorld *w);
void sim_storm_watch_free(SimStormWatch *sw); /* NULL is a no-op */

/* Feeds one record. A storm record from a device outside every marked LAN
 * marks its LAN and returns true ("a new storm": the caller says that
 * tracing stops there); any other record returns false. */
bool sim_storm_watch_note(SimStormWatch *sw, const SimTraceRecord *rec);
/* True when rec is a per-frame record of a LAN in a storm. Counts it. */
bool sim_storm_watch_hides(SimStormWatch *sw, const SimTraceRecord *rec);
/* Storms seen, and records hidden so far. */
guint sim_storm_watch_n_storms(const SimStormWatch *sw);
uint64_t sim_storm_watch_hidden(const SimStormWatch *sw);

/* The one line printed after a new storm's report. */
void sim_storm_watch_notice(const SimStormWatch *sw, GString *out);
/* Appends, per storm, the summary described above (lines end in '\n');
 * nothing when there was no storm. now is the end of the run. */
void sim_storm_watch_summary(const SimStormWatch *sw, SimTime now, GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimStormWatch, sim_storm_watch_free)

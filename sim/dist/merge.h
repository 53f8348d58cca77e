/* merge.h - one trace from K ranks, as the single-process run writes it.
 *
 * Design. Every rank captures the trace records its sinks would want, with
 * the ordering key of the event that emitted them, into a file of its own
 * (binary, host-endian; a shared temporary directory). After the run rank
 * 0 merges the files K ways by (time, key) - the order the single-process
 * engine pops events in (world.h) - and replays the records, in that
 * order, onto the trace bus of an empty world that carries the real text,
 * JSON and pcap sinks. The bus numbers the records as it always does, so
 * the output is byte for byte the single-process output.
 *
 * Two numbers in the JSON trace are global counts a rank cannot know:
 * the event number and the packet uid. With `events` on (JSON), each rank
 * also writes a marker after every event and a note of every packet its
 * pool makes; the merge counts markers in merged order for event numbers
 * and numbers packets in the merged order of their creation, which is the
 * order one process would have made them in (uid.h).
 *
 * Rejected: sending records to rank 0 as they happen (rank 0 would need
 * every rank's window before it could write anything, holding them in
 * memory; a file per rank costs a sequential write and read); each rank
 * writing its own output and sorting the lines afterwards (records of one
 * event keep their emission order only through the key, and the JSON
 * numbers would still be per rank).
 *
 * Cost: about 40 bytes per record plus its packet, and with JSON 17 bytes
 * per event and 25 per packet; the merge is O(records * K). Records made
 * while building (before the first event) are ordered by the entity that
 * made them, which is build order.
 */
#pragma once

#include "sim/core/trace.h"
#include "sim/core/world.h"

#include <glib.h>
#include <stdbool.h>

typedef struct _SimDistCapture SimDistCapture;

/* Captures w's records of the kinds in mask into path; with events, also
 * event markers (feed sim_dist_capture_event to sim_dist_run) and packet
 * creations. */
SimDistCapture *sim_dist_capture_new(SimWorld *w, SimTraceMask mask, bool events, const char *path,
                                     GError **error);
/* A SimDistEventFn. */
void sim_dist_capture_event(void *capture, SimTime t, uint64_t key);
/* Flushes and closes; FALSE with error if any write failed. */
gboolean sim_dist_capture_close(SimDistCapture *c, GError **error);
void sim_dist_capture_free(SimDistCapture *c);

/* Replays the K capture files, merged, onto bus (the sinks' world's). */
gboolean sim_dist_merge(char **paths, guint k, bool events, SimTraceBus *bus, SimPacketPool *pool,
                        GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimDistCapture, sim_dist_capture_free)

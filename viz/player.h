/* player.h - `netsim play`: one self-contained HTML page that replays a
 * scenario over its diagram, in the manner of Packet Tracer's simulation
 * mode (docs/player.md describes what the page shows).
 *
 * Design: the simulation runs here, once, event by event; the page only
 * replays what it recorded, so nothing is re-derived in JavaScript:
 *   - the diagram is the Graphviz SVG of diagram.h, with stable ids:
 *     "dev-NAME" on each device, "linkL" on the edge of link L (its index
 *     in the file), "a_linkL-taillabel"/"a_linkL-headlabel" on its port
 *     labels;
 *   - every trace record, as the JSON trace has it, but in arrays;
 *   - every distinct frame once (deduplicated by content): its bytes in hex
 *     and its layers and fields with their byte offsets and lengths, from
 *     sim_dissect_walk (the same walk the JSON trace and the stepper use);
 *   - the stepper's decision sentence for each event (step_explain.h);
 *   - table snapshots: each device's `show` text for MAC, ARP and routes at
 *     the start, and again after every event in which that device emitted a
 *     record that can change a table (learn, age, arp-learn, link-up/down,
 *     info for `clear`). The page shows the last snapshot at or before the
 *     current record. Rejected: replaying table-change records in JS, which
 *     would duplicate aging and the FIB's display rules.
 * The player's script and style (viz/player/player.js, player.css) are
 * compiled into the binary at build time (CMake turns them into a C array)
 * and inlined into the page, with the data as one JSON object in a
 * <script type="application/json"> element, '<' escaped as \u003c so that
 * no string can close it. The page makes no network request.
 *
 * Big runs: at most max_events events are recorded; when the run would have
 * gone on, the page says it holds only the first part. Cost: O(records +
 * distinct frames x their size) memory while the page is built.
 *
 * Dependencies: this module uses the CLI's JSON writer and the stepper's
 * explainer (sim/cli/json.h, sim/cli/step_explain.h), which sit beside it
 * at the top of the stack; nothing below includes it.
 */
#pragma once

#include "sim/core/world.h"
#include "sim/topo/scenario.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define SIM_PLAYER_DEFAULT_LIMIT 200000

typedef struct {
    SimTime until;       /* SIM_TIME_MAX: run to the end */
    uint64_t max_events; /* the run stops after this many events; 0: no limit */
    uint64_t limit;      /* events recorded; 0: SIM_PLAYER_DEFAULT_LIMIT */
    uint64_t seed;       /* shown in the page */
    const char *source;  /* the topology file's name, shown in the page */
} SimPlayerOptions;

typedef struct {
    SimRunStatus status; /* how the run ended */
    uint64_t events;     /* events recorded */
    uint64_t records;    /* trace records recorded */
    uint64_t frames;     /* distinct frames */
    bool capped;         /* stopped at the limit with events left */
} SimPlayerResult;

/* Runs sc's scenario (from its current state, normally the start) and
 * appends the whole HTML page to out. FALSE with error set if the diagram
 * cannot be drawn. res may be NULL. */
gboolean sim_player_page(SimScenario *sc, const SimPlayerOptions *opts, GString *out,
                         SimPlayerResult *res, GError **error);

/* The player's script and style as compiled in (NUL-terminated). */
extern const char sim_player_js[];
extern const char sim_player_css[];

/* storm.h - broadcast storm detection for hubs and switches, and naming the
 * loop that causes it.
 *
 * Design: a storm is a loop re-delivering the frames a device floods. The
 * detector remembers recently flooded frames in a small direct-mapped
 * table keyed by a hash of (frame bytes, ingress port); each slot holds a
 * sighting count and the time of the first sighting. When one frame comes
 * back on the same port `threshold` times within `window`, that is a storm.
 * Exact repeats are the signature a loop leaves and a healthy LAN does not
 * (even an ARP retry is a second apart, and a burst of distinct broadcasts,
 * say 10,000 hosts ARPing at once, never trips it), which a pure
 * broadcast-rate threshold cannot tell apart.
 * Cost per flooded frame: one hash over its bytes and one slot update, no
 * allocation. A collision just evicts the older frame, which can delay
 * detection by a lap of the loop but never causes a false report.
 *
 * Once detected, the storm is reported once: sim_storm_find_loop walks the
 * topology (switches, hubs and L3 switches only, through up links) for the
 * shortest cycle through the ingress link, falling back to any cycle
 * reachable from it, and names its links "swA.2-swB.1".
 */
#pragma once

#include "sim/core/simtime.h"

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _SimStorm SimStorm;
typedef struct _SimIface SimIface;

#define SIM_STORM_DEFAULT_THRESHOLD 4
#define SIM_STORM_DEFAULT_WINDOW SIM_SEC

/* threshold: sightings of one frame on one port that make a storm (0
 * disables detection). */
SimStorm *sim_storm_new(guint n_ports, guint threshold, SimTime window);
void sim_storm_free(SimStorm *s); /* NULL is a no-op */

/* Records a flooded frame that arrived on `port`. Returns true exactly
 * once per detector: on the sighting that first reaches the threshold. */
bool sim_storm_observe(SimStorm *s, const uint8_t *frame, size_t len, guint port, SimTime now);

bool sim_storm_detected(const SimStorm *s);
/* Sightings of a frame already seen on the same port within the window. */
uint64_t sim_storm_repeats(const SimStorm *s);
/* Sightings of the frame that tripped the detector, and how long they took. */
guint sim_storm_trip_count(const SimStorm *s);
SimTime sim_storm_trip_span(const SimStorm *s);
/* Flooded frames per second on `port` over its current window. */
double sim_storm_port_rate(const SimStorm *s, guint port, SimTime now);

/* The loop found when the storm was reported ("swA.2-swB.1, swB.2-swA.1"),
 * "" if none could be found, NULL before detection. Owned by s. */
const char *sim_storm_loop(const SimStorm *s);
void sim_storm_set_loop(SimStorm *s, const char *loop);

/* Finds a loop through the link of `ingress` (see above). Returns a newly
 * allocated "A.x-B.y, B.z-C.w, ..." or NULL when there is none. */
char *sim_storm_find_loop(SimIface *ingress);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimStorm, sim_storm_free)

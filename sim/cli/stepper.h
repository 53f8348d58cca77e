/* stepper.h - `netsim step`: walk through a scenario one event at a time.
 *
 * A *step* is one world event that produced at least one trace record
 * carrying a frame, or application/table output (ping lines, `show`).
 * Events that did neither (timers, aging sweeps) run silently between
 * steps. A step prints every record of its event as the text trace does,
 * then one sentence per node saying what it decided (step_explain.h).
 *
 * Commands (one per line; sim_stepper_exec):
 *   (empty line) | n | next [N]   the next N steps (default 1)
 *   until T                       run to the first step at or after time T
 *   continue | c                  run to the end, printing application output
 *   back [N]                      return to the step N shown steps earlier
 *   detail [F] | hex [F]          the current step's frame F (default 1)
 *   show NODE TABLE               a table as it stands now: mac, arp, route
 *                                 [cisco|cache], interfaces, vlan, sockets,
 *                                 spanning-tree
 *   filter arp,icmp,... | filter all     show only steps with those protocols
 *   where | help | quit
 *
 * Design: the world cannot run backwards, so `back` (and `until` an earlier
 * time) rebuilds the scenario from the topology text, with the same seed,
 * and replays silently to the target step; determinism (design §1.2) makes
 * the replayed state identical, which the tests check. Snapshotting the
 * world was rejected: every module would need a deep copy, and a replay of
 * a classroom scenario takes milliseconds. The stepper keeps the records
 * of the current step only, copying their strings and frames (into its own
 * packet pool, never the world's, so it cannot change what the model does
 * with its buffers). Output goes to a GString, so the stepper is driven
 * the same way by a terminal, a pipe and the unit tests, and contains no
 * wall-clock time or address: the same commands give the same bytes.
 */
#pragma once

#include "sim/core/world.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

typedef struct _SimStepper SimStepper;

#define SIM_STEPPER_ERROR (sim_stepper_error_quark())
GQuark sim_stepper_error_quark(void);

/* The default bound on events per session, as `netsim run` has. */
#define SIM_STEPPER_MAX_EVENTS 20000000ULL

/* Parses, validates and builds the topology in text[0..len) (name is the
 * file name used in messages). Warnings go to warn_out (may be NULL). On a
 * bad topology returns NULL with the diagnostics, rendered as `netsim
 * check` prints them, as the error message. text is copied. */
SimStepper *sim_stepper_new(const char *name, const char *text, gsize len, uint64_t seed,
                            FILE *warn_out, GError **error);
void sim_stepper_free(SimStepper *st); /* NULL is a no-op */

/* Stops any advance once the world has processed this many events
 * (0: no limit). */
void sim_stepper_set_max_events(SimStepper *st, uint64_t max_events);

/* Appends the greeting: title, size, seed and how to get help. */
void sim_stepper_intro(SimStepper *st, GString *out);
/* Runs one command line and appends its output. Returns FALSE once the
 * user asked to quit. Mistakes (unknown command, bad argument) print a
 * message and return TRUE; they are counted in sim_stepper_errors. */
gboolean sim_stepper_exec(SimStepper *st, const char *line, GString *out);
/* Appends the prompt, e.g. "(netsim) ". */
void sim_stepper_prompt(const SimStepper *st, GString *out);

/* Steps completed so far (0: no event has run yet). */
uint64_t sim_stepper_position(const SimStepper *st);
/* Commands that were rejected. */
guint sim_stepper_errors(const SimStepper *st);
/* The current world (replaced by `back`: do not keep the pointer). */
SimWorld *sim_stepper_world(const SimStepper *st);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimStepper, sim_stepper_free)

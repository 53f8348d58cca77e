/* load.h - shared front half of the run/check/step/dot commands: parse and
 * validate a topology file, printing diagnostics the same way everywhere. */
#pragma once

#include "sim/core/world.h"
#include "sim/topo/ast.h"
#include "sim/topo/diag.h"

#include <stdbool.h>
#include <stdio.h>

/* Parses and validates path. Errors (with source lines and carets) go to
 * stderr and NULL is returned: the caller exits 2. Warnings are printed to
 * `warn_out` (NULL: not printed) and counted in *n_warnings if non-NULL. */
SimTopo *sim_cli_load(const char *path, FILE *warn_out, guint *n_warnings);

/* Parses the command line with ctx (whose options write into the caller's
 * variables) and returns the one topology file it must leave, a pointer
 * into *argv. On an option error or a wrong file count, prints
 * "netsim CMD: ..." and returns NULL: the caller exits 2. */
const char *sim_cli_parse_file_args(GOptionContext *ctx, const char *cmd, int *argc, char ***argv);

/* Parses a --seed/--max-events style unsigned number; prints an error. */
bool sim_cli_parse_u64(const char *cmd, const char *opt, const char *text, uint64_t *out);
/* Parses a --until style time; prints an error naming the option. */
bool sim_cli_parse_time(const char *cmd, const char *opt, const char *text, SimTime *out);

/* Exit status of a run the event limit stopped before its end (idle or
 * --until): its output is incomplete. Distinct from 1 (the scenario found a
 * failure) and 2 (bad input, or output that could not be written) so that
 * scripts notice; README "Exit status" documents all four. */
#define SIM_CLI_EXIT_CUT_SHORT 3

/* If st is SIM_RUN_MAX_EVENTS, says on stderr, whatever --quiet says, that
 * the run was cut short (events, simulated time reached, what was asked
 * for) and returns SIM_CLI_EXIT_CUT_SHORT; otherwise prints nothing and
 * returns 0. `goal` is what the run was heading for ("--at 10s"), NULL for
 * "its end". */
int sim_cli_report_cut_short(const char *cmd, SimWorld *w, SimRunStatus st, uint64_t max_events,
                             const char *goal);

/* Flushes stdout; false if that or any earlier write to it failed, the
 * first failure's errno being kept for sim_cli_finish_stdout. A failed
 * write (a full disk, /dev/full) sets the stream's error flag, which stays
 * set, so checking once at the end catches every lost line. */
bool sim_cli_flush_stdout(void);
/* The command's exit status rc, or 2 after "netsim: error: cannot write
 * standard output: REASON" on stderr if anything written there was lost.
 * main() wraps every command in it. */
int sim_cli_finish_stdout(int rc);

/* A switch running a spanning tree sends hellos for ever, so its scenario
 * never goes idle. Without --until such a run ends with the scenario: at the
 * end of its last command (horizon.h), and not before SIM_CLI_STP_SETTLE, 802.1D's
 * worst-case convergence with the default timers (max age 20 s + 2 x
 * forward delay 15 s). Rejected: running to --max-events (20 M events of
 * hellos, then a "cut short" exit 3 for a run that did all it was asked). */
#define SIM_CLI_STP_SETTLE (50 * SIM_SEC)
/* DHCP clients renew their leases for ever too; the same rule holds, with
 * at least a minute for every client's DORA (the first DISCOVER waits up to
 * 10 s, a lost one is retried after 4 s, then 8, 16 ...). */
#define SIM_CLI_DHCP_SETTLE (60 * SIM_SEC)
/* What keeps the scenario of topo from going idle (spanning tree hellos,
 * DHCP renewals), with how long a run without --until lasts at least in
 * *settle; NULL when nothing does (*settle untouched). `run` and `dot
 * --tables` end such a run with its scenario. */
const char *sim_cli_never_idle(const SimTopo *topo, SimTime *settle);

/* run_dist.h - `netsim run FILE --partition auto|FILE` under mpirun: the
 * same run split across the job's ranks (sim/dist/dist.h), its text, JSON
 * and pcap output merged by rank 0 into exactly what one process writes.
 * Only in a -DNETSIM_MPI=ON build; cmd_run.c refuses --partition otherwise.
 *
 * Not supported with --partition (refused): --realtime, --relay,
 * --files-out. The stepper and `dot --at` stay single-process.
 */
#pragma once

#include "sim/core/simtime.h"
#include "sim/topo/ast.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* A run without --until stops this long after the first storm report, in
 * one process (cmd_run.c) and across ranks alike. */
#define SIM_RUN_STORM_STOP_AFTER (2 * SIM_SEC)

typedef struct {
    const char *partition; /* "auto" or a FILE of `NODE RANK` lines */
    bool sync_null;        /* --sync null: null messages, not windows (dist.h) */
    SimTime until;         /* SIM_TIME_MAX: none */
    const char *goal;      /* "--until T" for the cut-short message, or NULL */
    const char *busy;      /* never_idle's reason when until is the scenario's end */
    uint64_t seed, max_events, buffer_bytes;
    const char *trace; /* text, json or none */
    const char *pcap;  /* directory or NULL */
    bool quiet, app_prefix;
    guint width;
} SimRunDistOpts;

/* Runs topo (taken) across the MPI job; returns the exit status, the same
 * on every rank. */
int sim_cli_run_dist(SimTopo *topo, const SimRunDistOpts *o);

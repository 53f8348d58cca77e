/* run_dist.c - see run_dist.h. Every rank partitions the topology the same
 * way (METIS with a fixed seed, or the same file), builds its part, runs,
 * and captures its records into a file in a temporary directory rank 0
 * makes (it must be shared when the ranks run on several machines); rank
 * 0 then merges them into the real sinks (merge.h). */
#ifdef NETSIM_MPI
#include "sim/cli/run_dist.h"

#include "sim/cli/load.h"
#include "sim/cli/sink_json.h"
#include "sim/cli/sink_pcap.h"
#include "sim/cli/sink_text.h"
#include "sim/dist/dist.h"
#include "sim/dist/merge.h"
#include "sim/net/packet.h"
#include "sim/topo/scenario.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text or JSON sink's mask, as cmd_run.c gives it. */
static SimTraceMask sink_mask(const SimRunDistOpts *o)
{
    const SimTraceMask app =
        SIM_TRACE_BIT(SIM_TR_APP) | SIM_TRACE_BIT(SIM_TR_SHOW) | SIM_TRACE_BIT(SIM_TR_STORM);
    return (o->quiet || strcmp(o->trace, "none") == 0) ? app : SIM_TRACE_ALL;
}

/* What all of rank 0's sinks want: the mask every rank captures. */
static SimTraceMask wanted(const SimRunDistOpts *o)
{
    return sink_mask(o) | (o->pcap ? SIM_TRACE_BIT(SIM_TR_TX) | SIM_TRACE_BIT(SIM_TR_RX) : 0);
}

/* Rank 0: the merged output through the real sinks. Returns the status. */
/* name -> label of the topology's labelled devices (strings borrowed from
 * topo), NULL when none: rank 0's merging world holds no nodes, so the
 * sinks get the labels every rank's own world has. */
static GHashTable *topo_labels(const SimTopo *topo)
{
    GHashTable *t = NULL;
    for (guint i = 0; i < topo->nodes->len; i++) {
        const SimTopoNode *n = g_ptr_array_index(topo->nodes, i);
        if (!n->label)
            continue;
        if (!t)
            t = g_hash_table_new(g_str_hash, g_str_equal);
        g_hash_table_insert(t, n->name, n->label);
    }
    return t;
}

static int write_merged(const SimRunDistOpts *o, const SimTopo *topo, char **paths, guint k,
                        SimTime end)
{
    g_autoptr(SimWorld) mw = sim_world_new(o->seed);
    g_autoptr(SimTextSink) text = NULL;
    g_autoptr(SimJsonSink) json = NULL;
    g_autoptr(SimPcapSink) pcap = NULL;
    SimTraceMask sinkmask = sink_mask(o);
    if (strcmp(o->trace, "json") == 0)
        json = sim_json_sink_new(mw, stdout, sinkmask);
    else
        text = sim_text_sink_new(mw, stdout, sinkmask);
    GHashTable *labels = topo_labels(topo);
    if (json)
        sim_json_sink_set_labels(json, labels);
    if (text)
        sim_text_sink_set_labels(text, labels);
    if (labels)
        g_hash_table_unref(labels);
    if (text) {
        sim_text_sink_summarise_storms(text);
        sim_text_sink_set_width(text, o->width);
        sim_text_sink_set_app_prefix(text, o->app_prefix);
    }
    g_autoptr(GError) err = NULL;
    if (o->pcap && !(pcap = sim_pcap_sink_new(mw, o->pcap, &err))) {
        fprintf(stderr, "netsim run: error: %s\n", err->message);
        return 2;
    }
    if (!sim_dist_merge(paths, k, json != NULL, sim_world_trace(mw), sim_world_pool(mw), &err)) {
        fprintf(stderr, "netsim run: error: merging the ranks' traces: %s\n", err->message);
        return 2;
    }
    sim_world_run(mw, end, 0); /* the clock the text sink's summary reads */
    if (text)
        sim_text_sink_finish(text);
    sim_cli_flush_stdout();
    if (pcap && !sim_pcap_sink_close(pcap, &err)) {
        fprintf(stderr, "netsim run: error: %s\n", err->message);
        return 2;
    }
    return 0;
}

static const char *status_text(SimRunStatus st, bool scenario_end)
{
    switch (st) {
    case SIM_RUN_IDLE:
        return "no events left";
    case SIM_RUN_UNTIL:
        return scenario_end ? "reached the scenario's end" : "reached --until";
    case SIM_RUN_MAX_EVENTS:
        return "reached --max-events";
    case SIM_RUN_STOPPED:
        return "stopped";
    }
    return "?";
}

/* A run without --until stops 2 s after the first storm report, as
 * cmd_run.c's does: the stop takes the key its event would have had. */
typedef struct {
    SimDist *d;
    SimWorld *w;
    bool seen;
} StormStop;

static void on_storm(const SimTraceRecord *rec, void *user)
{
    StormStop *ss = user;
    if (ss->seen)
        return;
    ss->seen = true;
    sim_dist_stop_at(ss->d, rec->time + SIM_RUN_STORM_STOP_AFTER, sim_world_take_key(ss->w));
}

static SimPartition *partition(SimDist *d, const SimTopo *topo, const char *spec)
{
    g_autoptr(GError) err = NULL;
    guint k = (guint)sim_dist_size(d);
    SimPartition *p = strcmp(spec, "auto") == 0 ? sim_partition_auto(topo, k, &err)
                                                : sim_partition_load(topo, spec, k, &err);
    if (!p && sim_dist_rank(d) == 0)
        fprintf(stderr, "%s\n", err->message);
    return p;
}

static int run(SimDist *d, SimTopo *topo, const SimRunDistOpts *o)
{
    int me = sim_dist_rank(d), k = sim_dist_size(d);
    g_autoptr(SimPartition) p = partition(d, topo, o->partition);
    if (!p) {
        sim_topo_free(topo);
        return 2;
    }
    g_autofree bool *local = g_new0(bool, MAX(topo->nodes->len, 1));
    for (guint i = 0; i < topo->nodes->len; i++)
        local[i] = (int)sim_partition_rank(p, i) == me;
    g_autoptr(GError) err = NULL;
    g_autoptr(SimScenario) sc = sim_scenario_new_part(topo, o->seed, local, &err);
    if (!sc)
        sim_dist_abort(d, err->message); /* every rank fails alike, but not in step */
    SimWorld *w = sim_scenario_world(sc);
    sim_packet_pool_set_limit(sim_world_pool(w), o->buffer_bytes);
    sim_dist_connect(d, sc, p);
    sim_dist_set_sync(d, o->sync_null ? SIM_DIST_SYNC_NULL : SIM_DIST_SYNC_WINDOW);

    g_autofree char *made = NULL;
    if (me == 0) {
        g_autofree char *tmpl = g_build_filename(g_get_tmp_dir(), "netsim-mpi-XXXXXX", NULL);
        made = g_mkdtemp(g_steal_pointer(&tmpl));
        if (!made)
            sim_dist_abort(d, "cannot make a temporary directory for the ranks' traces");
    }
    g_autofree char *dir = sim_dist_bcast_string(d, me == 0 ? made : "");
    g_autofree char *mine = g_strdup_printf("%s/rank-%d", dir, me);
    bool json = strcmp(o->trace, "json") == 0;
    SimDistCapture *cap = sim_dist_capture_new(w, wanted(o), json, mine, &err);
    if (!cap)
        sim_dist_abort(d, err->message);

    StormStop ss = {d, w, false};
    guint storm_sub = o->goal ? 0
                              : sim_trace_subscribe(sim_world_trace(w), SIM_TRACE_BIT(SIM_TR_STORM),
                                                    on_storm, &ss);
    SimRunStatus st =
        sim_dist_run(d, w, o->until, o->max_events, json ? sim_dist_capture_event : NULL, cap);
    if (storm_sub)
        sim_trace_unsubscribe(sim_world_trace(w), storm_sub);
    bool cap_ok = sim_dist_capture_close(cap, &err);
    if (!cap_ok)
        fprintf(stderr, "netsim: rank %d: error: %s\n", me, err->message);
    sim_dist_capture_free(cap);
    const SimDistStats *s = sim_dist_stats(d);
    uint64_t bad = sim_dist_sum(d, !cap_ok);
    uint64_t failed = sim_dist_sum(d, sim_world_failed(w));
    /* Each rank ran a copy of the stop event; one process runs one. */
    uint64_t events =
        sim_dist_sum(d, sim_world_events(w)) - (st == SIM_RUN_STOPPED ? (uint64_t)k - 1 : 0);
    uint64_t frames = sim_dist_sum(d, s->frames);
    uint64_t nulls = sim_dist_sum(d, s->nulls), msgs = sim_dist_sum(d, s->messages);
    SimTime end = sim_dist_max(d, sim_world_now(w));
    uint64_t wait_us = sim_dist_max(d, (uint64_t)(s->wait_s * 1e6));
    uint64_t run_us = sim_dist_max(d, (uint64_t)(s->run_s * 1e6));
    /* The busiest rank's CPU time outside MPI calls: the critical path's
     * work, which the machine's load does not change. */
    uint64_t cpu_us = sim_dist_max(d, (uint64_t)(MAX(s->cpu_s - s->wait_cpu_s, 0) * 1e6));
    /* Balance: the busiest and the idlest rank's events. */
    uint64_t ev_max = sim_dist_max(d, sim_world_events(w));
    uint64_t ev_min = UINT64_MAX - sim_dist_max(d, UINT64_MAX - sim_world_events(w));
    sim_dist_barrier(d); /* every capture is closed */

    int rc = bad ? 2 : 0;
    if (me == 0 && !bad) {
        g_autofree char **paths = g_new0(char *, k + 1);
        for (int r = 0; r < k; r++)
            paths[r] = g_strdup_printf("%s/rank-%d", dir, r);
        rc = write_merged(o, sim_scenario_topo(sc), paths, (guint)k, end);
        for (int r = 0; r < k; r++) {
            g_remove(paths[r]);
            g_free(paths[r]);
        }
    }
    if (me == 0) {
        g_rmdir(dir);
        char tb[SIM_TIME_STRLEN], lb[SIM_TIME_STRLEN];
        SimTime la = sim_partition_lookahead(p);
        if (!o->quiet) {
            fprintf(stderr, "netsim: %s after %llu events at t=%s (%.3f s wall, %d ranks)\n",
                    status_text(st, o->busy != NULL), (unsigned long long)events,
                    sim_time_format_sec(end, tb), run_us / 1e6, k);
            /* window: rounds; null: null messages, all messages, waves */
            g_autofree char *sync =
                o->sync_null
                    ? g_strdup_printf("sync=null null_msgs=%llu msgs=%llu waves=%llu",
                                      (unsigned long long)nulls, (unsigned long long)msgs,
                                      (unsigned long long)s->waves)
                    : g_strdup_printf("sync=window rounds=%llu", (unsigned long long)s->rounds);
            fprintf(
                stderr,
                "netsim: mpi ranks=%d cut_links=%u lookahead=%s %s "
                "cut_frames=%llu run_s=%.3f work_cpu_s=%.3f wait_s=%.3f events=%llu "
                "rank_events=%llu-%llu\n",
                k, sim_partition_n_cut(p), la == SIM_TIME_MAX ? "none" : sim_time_format(la, lb),
                sync, (unsigned long long)frames, run_us / 1e6, cpu_us / 1e6, wait_us / 1e6,
                (unsigned long long)events, (unsigned long long)ev_min, (unsigned long long)ev_max);
        }
        if (st == SIM_RUN_STOPPED) {
            char rb[SIM_TIME_STRLEN], ab[SIM_TIME_STRLEN];
            fprintf(stderr,
                    "netsim: stopped at t=%s, %s after the broadcast storm reported at t=%s "
                    "(a loop without STP never ends; --until T runs longer)\n",
                    sim_time_format_sec(end, tb), sim_time_format(SIM_RUN_STORM_STOP_AFTER, ab),
                    sim_time_format_sec(sim_dist_stop_time(d) - SIM_RUN_STORM_STOP_AFTER, rb));
        }
        if (st == SIM_RUN_MAX_EVENTS)
            fprintf(stderr,
                    "netsim run: warning: run cut short by the event limit: %llu events reached "
                    "at t=%ss, before %s; output is incomplete (exit status 3)\n",
                    (unsigned long long)events, sim_time_format_sec(end, tb),
                    o->goal ? o->goal : "its end");
    }
    if (!rc && (st == SIM_RUN_MAX_EVENTS || st == SIM_RUN_STOPPED))
        rc = SIM_CLI_EXIT_CUT_SHORT;
    if (!rc && failed)
        rc = 1;
    /* Rank 0 decides (a merge or write error is only known there). */
    g_autofree char *rc_text = g_strdup_printf("%d", rc);
    g_autofree char *agreed = sim_dist_bcast_string(d, rc_text);
    return atoi(agreed);
}

int sim_cli_run_dist(SimTopo *topo, const SimRunDistOpts *o)
{
    SimDist *d = sim_dist_new(NULL, NULL);
    int rc = run(d, topo, o);
    sim_dist_free(d);
    return rc;
}
#endif

/* fuzz_run.c - libFuzzer target: what fuzz_topo parses and validates, this
 * one also builds and runs, for at most RUN_EVENTS events, with the text,
 * JSON and pcap sinks attached, so that the builder, every device model,
 * the applications and the sinks see inputs no hand-written test chose.
 * Any crash, sanitizer report, leak or abort is a bug: a file `check`
 * accepts must run.
 *
 * Bounds, so that an execution stays in milliseconds: RUN_EVENTS events
 * (a flood to thousands of ports still ends), a 64 MB frame-buffer budget
 * (the default 2 GB would let one input reach libFuzzer's RSS limit), and
 * -max_len in .ci/run. The sinks write to /dev/null, and the captures to
 * one scratch directory made at start (files are replaced each run and
 * removed at exit).
 *
 * Build: clang -fsanitize=fuzzer,address,undefined (NETSIM_FUZZ=ON).
 * Corpus: tests/fuzz/corpus/ (the shipped topologies and small scenarios;
 * add any crashing input there once fixed).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/cli/sink_json.h"
#include "sim/cli/sink_pcap.h"
#include "sim/cli/sink_text.h"
#include "sim/net/packet.h"
#include "sim/topo/parser.h"
#include "sim/topo/scenario.h"
#include "sim/topo/validate.h"

#define RUN_EVENTS 3000
#define BUFFER_LIMIT (64u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;
static char *capdir;

static void cleanup(void)
{
    if (capdir) {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", capdir);
        if (system(cmd) != 0)
            fprintf(stderr, "fuzz_run: could not remove %s\n", capdir);
    }
}

static void setup(void)
{
    devnull = fopen("/dev/null", "w");
    capdir = g_dir_make_tmp("netsim-fuzz-XXXXXX", NULL);
    if (!devnull || !capdir)
        abort();
    atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!devnull)
        setup();
    SimDiag *diag = sim_diag_new();
    SimTopo *topo = sim_topo_parse_buffer("fuzz.topo", (const char *)data, size, diag);
    if (topo == NULL)
        abort(); /* only an unreadable file may yield NULL */
    gboolean ok = sim_topo_validate(topo, diag);
    sim_diag_free(diag);
    if (!ok) {
        sim_topo_free(topo);
        return 0;
    }
    GError *err = NULL;
    SimScenario *sc = sim_scenario_new(topo, 1, &err); /* takes topo */
    if (!sc) {
        g_error_free(err); /* the model refused what the validator let through */
        return 0;
    }
    SimWorld *w = sim_scenario_world(sc);
    sim_packet_pool_set_limit(sim_world_pool(w), BUFFER_LIMIT);
    SimTextSink *text = sim_text_sink_new(w, devnull, SIM_TRACE_ALL);
    SimJsonSink *json = sim_json_sink_new(w, devnull, SIM_TRACE_ALL);
    SimPcapSink *pcap = sim_pcap_sink_new(w, capdir, &err);
    if (!pcap) {
        fprintf(stderr, "fuzz_run: %s\n", err->message);
        abort(); /* the scratch directory must always work */
    }
    sim_world_run(w, SIM_TIME_MAX, RUN_EVENTS);
    /* A close error is a reported outcome, not a bug: a frame stamped past
     * classic pcap's 2^32 s (netsim run refuses such scenarios up front). */
    if (!sim_pcap_sink_close(pcap, &err))
        g_clear_error(&err);
    sim_pcap_sink_free(pcap);
    sim_json_sink_free(json);
    sim_text_sink_free(text);
    sim_scenario_free(sc);
    return 0;
}

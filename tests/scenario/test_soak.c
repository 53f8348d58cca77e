/* test_soak.c - every shipped topology, run for a bounded number of events
 * with every sink on at once (text, JSON, pcap), twice: the two runs must
 * give byte-identical text, JSON and capture files. Under the ASan/UBSan
 * build (.ci/run) this is the soak test of issue #12: the whole model, the
 * builder and all three sinks on real inputs, with leak checking.
 *
 * SOAK_EVENTS bounds each run: enough for every scenario's ARP, pings and
 * the storm's first hundreds of loops, little enough that the ASan suite
 * stays in seconds. */
#include "../unit/topo_fixtures.h"

#include "sim/cli/sink_json.h"
#include "sim/cli/sink_pcap.h"
#include "sim/cli/sink_text.h"
#include "sim/topo/scenario.h"

#include <stdio.h>
#include <string.h>

#define SOAK_EVENTS 100000

typedef struct {
    char *text, *json;
    size_t text_len, json_len;
    GPtrArray *pcap_names; /* base names, in the sink's order */
    GPtrArray *pcaps;      /* GBytes *, the same order */
    uint64_t events;
} Outcome;

static void outcome_clear(Outcome *o)
{
    free(o->text);
    free(o->json);
    g_ptr_array_unref(o->pcap_names);
    g_ptr_array_unref(o->pcaps);
}

static Outcome run_once(const char *path, const char *capdir)
{
    Outcome o = {.pcap_names = g_ptr_array_new_with_free_func(g_free),
                 .pcaps = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref)};
    SimTopo *topo = fx_load_file(path);
    g_autoptr(GError) err = NULL;
    SimScenario *sc = sim_scenario_new(topo, 1, &err);
    cr_assert_not_null(sc, "%s: %s", path, err ? err->message : "");
    SimWorld *w = sim_scenario_world(sc);
    FILE *tf = open_memstream(&o.text, &o.text_len);
    FILE *jf = open_memstream(&o.json, &o.json_len);
    SimTextSink *text = sim_text_sink_new(w, tf, SIM_TRACE_ALL);
    SimJsonSink *json = sim_json_sink_new(w, jf, SIM_TRACE_ALL);
    SimPcapSink *pcap = sim_pcap_sink_new(w, capdir, &err);
    cr_assert_not_null(pcap, "%s", err ? err->message : "");
    sim_world_run(w, SIM_TIME_MAX, SOAK_EVENTS);
    o.events = sim_world_events(w);
    cr_assert(sim_pcap_sink_close(pcap, &err), "%s: %s", path, err ? err->message : "");
    for (guint i = 0; i < sim_pcap_sink_n_files(pcap); i++) {
        const char *p = sim_pcap_sink_path(pcap, i);
        char *data = NULL;
        gsize n = 0;
        cr_assert(g_file_get_contents(p, &data, &n, NULL), "%s", p);
        g_ptr_array_add(o.pcap_names, g_path_get_basename(p));
        g_ptr_array_add(o.pcaps, g_bytes_new_take(data, n));
    }
    sim_pcap_sink_free(pcap);
    sim_json_sink_free(json);
    sim_text_sink_free(text);
    fclose(tf);
    fclose(jf);
    sim_scenario_free(sc);
    return o;
}

Test(soak, every_shipped_topology_twice_byte_identical, .timeout = 900)
{
    g_autoptr(GPtrArray) files = fx_shipped_topologies();
    for (guint i = 0; i < files->len; i++) {
        const char *path = g_ptr_array_index(files, i);
        g_autofree char *d1 = fx_tmpdir("netsim-soak-XXXXXX");
        g_autofree char *d2 = fx_tmpdir("netsim-soak-XXXXXX");
        Outcome a = run_once(path, d1), b = run_once(path, d2);
        cr_assert_gt(a.events, 0, "%s ran no event", path);
        cr_assert_gt(a.text_len, 0, "%s: empty text trace", path);
        cr_assert_gt(a.pcaps->len, 0, "%s: no capture file", path);
        cr_assert_eq(a.events, b.events, "%s", path);
        cr_assert(a.text_len == b.text_len && memcmp(a.text, b.text, a.text_len) == 0,
                  "%s: text traces differ", path);
        cr_assert(a.json_len == b.json_len && memcmp(a.json, b.json, a.json_len) == 0,
                  "%s: JSON traces differ", path);
        cr_assert_eq(a.pcaps->len, b.pcaps->len, "%s", path);
        for (guint k = 0; k < a.pcaps->len; k++) {
            cr_assert_str_eq(g_ptr_array_index(a.pcap_names, k),
                             g_ptr_array_index(b.pcap_names, k));
            cr_assert(g_bytes_equal(g_ptr_array_index(a.pcaps, k), g_ptr_array_index(b.pcaps, k)),
                      "%s: %s differs", path, (char *)g_ptr_array_index(a.pcap_names, k));
        }
        outcome_clear(&a);
        outcome_clear(&b);
        fx_rm_dir(d1);
        fx_rm_dir(d2);
    }
}

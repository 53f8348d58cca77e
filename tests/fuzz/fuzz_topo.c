/* fuzz_topo.c - libFuzzer target: parse, validate and render any input as a
 * topology file. Any crash, sanitizer report or leak is a bug: the parser
 * must handle every byte string (NULs included) with diagnostics.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined (NETSIM_FUZZ=ON).
 * Seed it with the files in topologies/ for faster coverage.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sim/topo/parser.h"
#include "sim/topo/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SimDiag *diag = sim_diag_new();
    SimTopo *topo = sim_topo_parse_buffer("fuzz.topo", (const char *)data, size, diag);
    if (topo == NULL)
        abort(); /* only an unreadable file may yield NULL */
    sim_topo_validate(topo, diag);
    for (guint i = 0; i < sim_diag_count(diag); i++)
        g_free(sim_diag_format(diag, i));
    g_free(sim_diag_render(diag));
    sim_topo_free(topo);
    sim_diag_free(diag);
    return 0;
}

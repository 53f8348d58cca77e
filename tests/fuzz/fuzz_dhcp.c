/* fuzz_dhcp.c - libFuzzer target: any bytes as a DHCP message, the UDP
 * payload any simulated host may send to port 67 or 68. The parser must
 * refuse or accept without reading past the input; what it accepts must
 * emit within SIM_DHCP_MAX_LEN and parse back to the same representation.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined (NETSIM_FUZZ=ON).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/net/dhcp_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, so ASan sees any read past the end. */
    uint8_t *in = malloc(size ? size : 1);
    memcpy(in, data, size);
    SimDhcpMsg m, back;
    if (sim_dhcp_msg_parse(in, size, &m, NULL)) {
        uint8_t out[SIM_DHCP_MAX_LEN];
        size_t n = sim_dhcp_msg_emit(&m, out);
        if (n > SIM_DHCP_MAX_LEN || !sim_dhcp_msg_parse(out, n, &back, NULL) ||
            memcmp(&m, &back, sizeof m) != 0)
            abort();
    }
    free(in);
    return 0;
}

/* fuzz_dns.c - libFuzzer target: any bytes as a DNS message, the UDP
 * payload any simulated host may send to or from port 53. The parser must
 * refuse (compression loops included) or accept without reading past the
 * input; what it accepts must emit, compressed, to bytes that parse back
 * with the same header, questions and record names.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined (NETSIM_FUZZ=ON).
 */
#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/net/dns_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *in = malloc(size ? size : 1);
    memcpy(in, data, size);
    static SimDnsMsg m, back; /* ~40 KiB each: keep them off the stack */
    if (sim_dns_msg_parse(in, size, &m, NULL)) {
        static uint8_t out[65535];
        size_t n = sim_dns_msg_emit(&m, out, sizeof out);
        if (!sim_dns_msg_parse(out, n, &back, NULL) || back.id != m.id || back.n_qd != m.n_qd ||
            back.n_an != m.n_an || back.n_ns != m.n_ns || back.n_ar != m.n_ar)
            abort();
        for (size_t i = 0; i < m.n_qd; i++)
            if (g_ascii_strcasecmp(m.qd[i].name, back.qd[i].name) != 0)
                abort();
        for (size_t i = 0; i < (size_t)m.n_an + m.n_ns + m.n_ar; i++)
            if (g_ascii_strcasecmp(m.rr[i].name, back.rr[i].name) != 0 ||
                m.rr[i].type != back.rr[i].type || m.rr[i].ttl != back.rr[i].ttl)
                abort();
    }
    free(in);
    return 0;
}

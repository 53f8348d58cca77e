/* fuzz_zone.c - libFuzzer target: any bytes as a zone file (a teacher's
 * or student's input, read by `netsim check`). The loader must refuse with
 * a file:line:col message or accept; what it accepts must answer any of
 * its own names, and a name below each, for every type without reading
 * out of bounds, and show itself.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined (NETSIM_FUZZ=ON).
 */
#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/apps/dns_zone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = g_malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    GError *err = NULL;
    SimDnsZone *z = sim_dns_zone_parse("fuzz.zone", text, size, &err);
    if (!z) {
        if (!err || !g_str_has_prefix(err->message, "fuzz.zone:"))
            abort();
        g_error_free(err);
        g_free(text);
        return 0;
    }
    static SimDnsMsg m; /* ~40 KiB: off the stack */
    static const uint16_t types[] = {
        SIM_DNS_T_A,   SIM_DNS_T_NS, SIM_DNS_T_CNAME, SIM_DNS_T_SOA, SIM_DNS_T_MX,
        SIM_DNS_T_TXT, 255};
    GString *shown = g_string_new(NULL);
    sim_dns_zone_show(z, shown);
    g_auto(GStrv) lines = g_strsplit(shown->str, "\n", -1);
    for (char **l = lines + 1; *l && **l; l++) {
        char *sp = strchr(*l, ' ');
        *sp = '\0';
        size_t n = strlen(*l);
        if (n > 1)
            (*l)[n - 1] = '\0'; /* the trailing dot */
        for (int below = 0; below < 2; below++) {
            for (size_t t = 0; t < G_N_ELEMENTS(types); t++) {
                memset(&m, 0, sizeof m);
                m.n_qd = 1;
                g_snprintf(m.qd[0].name, sizeof m.qd[0].name, "%s%s%s", below ? "x" : "",
                           below && n > 1 ? "." : "", n > 1 ? *l : "");
                m.qd[0].type = types[t];
                m.qd[0].klass = SIM_DNS_CLASS_IN;
                sim_dns_zone_answer(z, &m.qd[0], &m);
                if ((size_t)m.n_an + m.n_ns + m.n_ar > SIM_DNS_MAX_RR)
                    abort();
            }
        }
    }
    g_string_free(shown, TRUE);
    sim_dns_zone_free(z);
    g_free(text);
    return 0;
}

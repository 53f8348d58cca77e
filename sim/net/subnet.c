/* subnet.c - the `netsim subnet` report.
 *
 * Design: parse once into a SimPrefix, then print each line from the prefix
 * helpers in addr.c, so the report and the simulator share one definition
 * of network, broadcast and mask. The host count is 64-bit because /0 has
 * 2^32 - 2 usable hosts. /31 follows RFC 3021 (both addresses are hosts,
 * there is no broadcast) and /32 is a single host.
 */
#include "sim/net/subnet.h"

#include <stdint.h>
#include <string.h>

#include "sim/net/addr.h"

/* "a.b.c.d m.m.m.m": the netmask form ipcalc and ifconfig also accept. */
static gboolean parse_with_mask(const char *s, const char *space, SimPrefix *out, GError **error)
{
    g_autofree char *addr_part = g_strndup(s, (size_t)(space - s));
    SimIpv4 mask;
    if (!sim_ipv4_parse(addr_part, &out->addr, error) || !sim_ipv4_parse(space + 1, &mask, error))
        return FALSE;
    if (!sim_ipv4_mask_len(mask, &out->len)) {
        char buf[SIM_IPV4_STRLEN];
        g_autofree char *quoted = g_strescape(s, NULL);
        g_set_error(error, SIM_ADDR_ERROR, SIM_ADDR_ERROR_INVALID,
                    "'%s': netmask %s is not contiguous", quoted, sim_ipv4_format(mask, buf));
        return FALSE;
    }
    return TRUE;
}

static gboolean parse_subnet(const char *s, SimPrefix *out, GError **error)
{
    const char *space = s != NULL ? strchr(s, ' ') : NULL;
    if (space != NULL && strchr(s, '/') == NULL)
        return parse_with_mask(s, space, out, error);
    return sim_prefix_parse(s, out, NULL, error);
}

static void add_line(GString *r, const char *label, SimIpv4 a)
{
    char buf[SIM_IPV4_STRLEN];
    g_string_append_printf(r, "%-11s%s\n", label, sim_ipv4_format(a, buf));
}

char *sim_subnet_report(const char *cidr, GError **error)
{
    SimPrefix p;
    if (!parse_subnet(cidr, &p, error))
        return NULL;

    SimIpv4 mask = sim_ipv4_mask(p.len);
    SimIpv4 net = sim_prefix_network(&p);
    SimIpv4 bcast = sim_prefix_broadcast(&p);
    SimPrefix netp = {.addr = net, .len = p.len};
    char pbuf[SIM_PREFIX_STRLEN], ibuf[SIM_IPV4_STRLEN];

    GString *r = g_string_new(NULL);
    g_string_append_printf(r, "Address:   %s\n", sim_prefix_format(&p, pbuf));
    g_string_append_printf(r, "Network:   %s\n", sim_prefix_format(&netp, pbuf));
    g_string_append_printf(r, "Netmask:   %s = %u\n", sim_ipv4_format(mask, ibuf), p.len);
    add_line(r, "Wildcard:", ~mask);
    if (p.len == 32) {
        g_string_append(r, "Broadcast: none (/32 is a single host)\n");
        add_line(r, "HostMin:", net);
        add_line(r, "HostMax:", net);
        g_string_append(r, "Hosts:     1\n");
    } else if (p.len == 31) {
        g_string_append(r, "Broadcast: none (/31 point-to-point link, RFC 3021)\n");
        add_line(r, "HostMin:", net);
        add_line(r, "HostMax:", bcast);
        g_string_append(r, "Hosts:     2\n");
    } else {
        add_line(r, "Broadcast:", bcast);
        add_line(r, "HostMin:", net + 1);
        add_line(r, "HostMax:", bcast - 1);
        uint64_t hosts = (UINT64_C(1) << (32 - p.len)) - 2;
        g_string_append_printf(r, "Hosts:     %" G_GUINT64_FORMAT "\n", (guint64)hosts);
    }
    return g_string_free(r, FALSE);
}

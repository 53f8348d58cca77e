/* subnet.c - the `netsim subnet` report.
 *
 * Design: parse once into a SimPrefix, then print each line from the prefix
 * helpers in addr.c, so the report and the simulator share one definition
 * of network, broadcast and mask. The host count is 64-bit because /0 has
 * 2^32 - 2 usable hosts. /31 follows RFC 3021 (both addresses are hosts,
 * there is no broadcast) and /32 is a single host.
 *
 * As ipcalc does, each address line also shows the address in binary with a
 * space where the prefix ends, and the report ends with the address's kind
 * from IANA's IPv4 special-purpose registry (RFC 6890): private (RFC 1918),
 * shared CGN space (RFC 6598), loopback, link-local, documentation,
 * multicast, ... or public. Several prefixes give several reports, one
 * blank line apart.
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

/* "a.b.c.d/m.m.m.m": a dotted netmask after the slash, as ipcalc accepts. */
static gboolean parse_slash_mask(const char *s, const char *slash, SimPrefix *out, GError **error)
{
    g_autofree char *with_space = g_strdup(s);
    with_space[slash - s] = ' ';
    if (parse_with_mask(with_space, with_space + (slash - s), out, error))
        return TRUE;
    /* Name what the user wrote, not the rewritten text. */
    g_autofree char *quoted_space = g_strescape(with_space, NULL);
    g_autofree char *quoted = g_strescape(s, NULL);
    g_autofree char *old = g_strdup_printf("'%s'", quoted_space);
    if (g_str_has_prefix((*error)->message, old)) {
        g_autofree char *msg = g_strdup_printf("'%s'%s", quoted, (*error)->message + strlen(old));
        g_free((*error)->message);
        (*error)->message = g_steal_pointer(&msg);
    }
    return FALSE;
}

static gboolean parse_subnet(const char *s, SimPrefix *out, GError **error)
{
    const char *space = s != NULL ? strchr(s, ' ') : NULL;
    const char *slash = s != NULL ? strchr(s, '/') : NULL;
    if (space != NULL && slash == NULL)
        return parse_with_mask(s, space, out, error);
    if (slash != NULL && strchr(slash, '.') != NULL && space == NULL)
        return parse_slash_mask(s, slash, out, error);
    return sim_prefix_parse(s, out, NULL, error);
}

/* "11000000.10101000.00001010. 01001101": the prefix ends at the space. */
static void append_binary(GString *r, SimIpv4 a, uint8_t len)
{
    for (int bit = 31; bit >= 0; bit--) {
        if (31 - bit == len && len > 0)
            g_string_append_c(r, ' ');
        g_string_append_c(r, (a >> bit) & 1 ? '1' : '0');
        if (bit % 8 == 0 && bit > 0)
            g_string_append_c(r, '.');
    }
}

/* label, the value padded to 21 columns, then the binary form. */
static void add_text(GString *r, const char *label, const char *text, SimIpv4 a, uint8_t len)
{
    g_string_append_printf(r, "%-11s%-21s", label, text);
    append_binary(r, a, len);
    g_string_append_c(r, '\n');
}

static void add_line(GString *r, const char *label, SimIpv4 a, uint8_t len)
{
    char buf[SIM_IPV4_STRLEN];
    add_text(r, label, sim_ipv4_format(a, buf), a, len);
}

/* IANA IPv4 Special-Purpose Address Registry (RFC 6890 and the RFCs it
 * lists), most specific first; what is left is public. */
static const struct {
    uint32_t net;
    uint8_t len;
    const char *kind;
} kinds[] = {
    {0xffffffffu, 32, "limited broadcast, RFC 919 (never forwarded by a router)"},
    {0x00000000u, 8,
     "\"this network\", RFC 1122 (a source address only, before a host "
     "knows its own)"},
    {0x0a000000u, 8, "private, RFC 1918 (not routed on the Internet; reaches it through NAT)"},
    {0xac100000u, 12, "private, RFC 1918 (not routed on the Internet; reaches it through NAT)"},
    {0xc0a80000u, 16, "private, RFC 1918 (not routed on the Internet; reaches it through NAT)"},
    {0x64400000u, 10, "shared address space, RFC 6598 (inside a carrier-grade NAT)"},
    {0x7f000000u, 8, "loopback, RFC 1122 (never leaves the host)"},
    {0xa9fe0000u, 16, "link-local, RFC 3927 (self-assigned; not routed)"},
    {0xc0000000u, 24, "IETF protocol assignments, RFC 6890"},
    {0xc0000200u, 24, "documentation (TEST-NET-1), RFC 5737 (for examples; not routed)"},
    {0xc6336400u, 24, "documentation (TEST-NET-2), RFC 5737 (for examples; not routed)"},
    {0xcb007100u, 24, "documentation (TEST-NET-3), RFC 5737 (for examples; not routed)"},
    {0xc6120000u, 15, "benchmarking, RFC 2544 (not routed)"},
    {0xe0000000u, 4, "multicast, RFC 5771 (a group, not one host)"},
    {0xf0000000u, 4, "reserved, RFC 1112 (not used)"},
};

static const char *address_kind(SimIpv4 a)
{
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
        if ((a & sim_ipv4_mask(kinds[i].len)) == kinds[i].net)
            return kinds[i].kind;
    return "public (routed on the Internet)";
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
    uint8_t n = p.len;
    add_text(r, "Address:", sim_prefix_format(&p, pbuf), p.addr, n);
    add_text(r, "Network:", sim_prefix_format(&netp, pbuf), net, n);
    g_autofree char *masktext = g_strdup_printf("%s = %u", sim_ipv4_format(mask, ibuf), n);
    add_text(r, "Netmask:", masktext, mask, n);
    add_line(r, "Wildcard:", ~mask, n);
    if (p.len == 32) {
        g_string_append(r, "Broadcast: none (/32 is a single host)\n");
        add_line(r, "HostMin:", net, n);
        add_line(r, "HostMax:", net, n);
        g_string_append(r, "Hosts:     1\n");
    } else if (p.len == 31) {
        g_string_append(r, "Broadcast: none (/31 point-to-point link, RFC 3021)\n");
        add_line(r, "HostMin:", net, n);
        add_line(r, "HostMax:", bcast, n);
        g_string_append(r, "Hosts:     2\n");
    } else {
        add_line(r, "Broadcast:", bcast, n);
        add_line(r, "HostMin:", net + 1, n);
        add_line(r, "HostMax:", bcast - 1, n);
        uint64_t hosts = (UINT64_C(1) << (32 - p.len)) - 2;
        g_string_append_printf(r, "Hosts:     %" G_GUINT64_FORMAT "\n", (guint64)hosts);
    }
    g_string_append_printf(r, "Kind:      %s\n", address_kind(p.addr));
    return g_string_free(r, FALSE);
}

char *sim_subnet_report_args(const char *const *args, gsize n, GError **error)
{
    g_autoptr(GString) all = g_string_new(NULL);
    for (gsize i = 0; i < n; i++) {
        g_autofree char *one = NULL;
        SimIpv4 ignored;
        /* "a.b.c.d m.m.m.m" as two arguments: the second is a netmask. */
        if (!strchr(args[i], '/') && i + 1 < n && !strchr(args[i + 1], '/') &&
            sim_ipv4_parse(args[i + 1], &ignored, NULL)) {
            g_autofree char *pair = g_strdup_printf("%s %s", args[i], args[i + 1]);
            one = sim_subnet_report(pair, error);
            i++;
        } else {
            one = sim_subnet_report(args[i], error);
        }
        if (!one)
            return NULL;
        if (all->len)
            g_string_append_c(all, '\n');
        g_string_append(all, one);
    }
    return g_string_free(g_steal_pointer(&all), FALSE);
}

/* dissect_app.c - DHCP and DNS summaries; see dissect_app.h. */
#include "sim/net/dissect_app.h"

#include <glib.h>

#include "sim/net/dhcp_msg.h"
#include "sim/net/dns_msg.h"

static void dhcp(const uint8_t *p, size_t len, char *buf, size_t cap)
{
    SimDhcpMsg m;
    if (!sim_dhcp_msg_parse(p, len, &m, NULL)) {
        g_snprintf(buf, cap, " (malformed DHCP)");
        return;
    }
    char a[SIM_IPV4_STRLEN], g[SIM_IPV4_STRLEN];
    size_t n = (size_t)g_snprintf(buf, cap, " %s xid=0x%08x", sim_dhcp_type_name(m.type), m.xid);
    if (m.yiaddr && n < cap)
        n += (size_t)g_snprintf(buf + n, cap - n, " yiaddr=%s", sim_ipv4_format(m.yiaddr, a));
    else if (m.has_requested && n < cap)
        n += (size_t)g_snprintf(buf + n, cap - n, " requested=%s", sim_ipv4_format(m.requested, a));
    if (m.giaddr && n < cap)
        g_snprintf(buf + n, cap - n, " giaddr=%s", sim_ipv4_format(m.giaddr, g));
}

static void dns(const uint8_t *p, size_t len, char *buf, size_t cap)
{
    static SimDnsMsg m; /* ~40 KiB: not on the stack; the simulator is single-threaded */
    if (!sim_dns_msg_parse(p, len, &m, NULL)) {
        g_snprintf(buf, cap, " (malformed DNS)");
        return;
    }
    char t[12];
    const char *q = m.n_qd ? m.qd[0].name : "";
    const char *qt = m.n_qd ? sim_dns_type_name(m.qd[0].type, t) : "";
    if (!(m.flags & SIM_DNS_QR)) {
        g_snprintf(buf, cap, " DNS query id=0x%04x %s %s", m.id, qt, q);
        return;
    }
    size_t n =
        (size_t)g_snprintf(buf, cap, " DNS response id=0x%04x %s %s %s an=%u ns=%u ar=%u", m.id, qt,
                           q, sim_dns_rcode_name(SIM_DNS_RCODE(m.flags)), m.n_an, m.n_ns, m.n_ar);
    if (m.n_an && m.rr[0].type == SIM_DNS_T_A && n < cap) {
        char a[SIM_IPV4_STRLEN];
        g_snprintf(buf + n, cap - n, " A %s", sim_ipv4_format(m.rr[0].a, a));
    }
}

void sim_dissect_app_udp(uint16_t sport, uint16_t dport, const uint8_t *payload, size_t len,
                         char *buf, size_t cap)
{
    buf[0] = '\0';
    if ((sport == SIM_DHCP_SERVER_PORT || sport == SIM_DHCP_CLIENT_PORT) &&
        (dport == SIM_DHCP_SERVER_PORT || dport == SIM_DHCP_CLIENT_PORT))
        dhcp(payload, len, buf, cap);
    else if (sport == SIM_DNS_PORT || dport == SIM_DNS_PORT)
        dns(payload, len, buf, cap);
}

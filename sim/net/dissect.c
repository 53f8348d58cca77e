/* dissect.c - summary line and layered walk over a frame.
 *
 * Both halves decode with the codecs in sim/net, so the display can never
 * disagree with what the stack accepted. The summary writes into the
 * caller's buffer through Out (bounded appends, no allocation).
 */
#include "sim/net/dissect.h"
#include "sim/net/dissect_app.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/net/addr.h"
#include "sim/net/arp_hdr.h"
#include "sim/net/bpdu.h"
#include "sim/net/eth.h"
#include "sim/net/icmp_hdr.h"
#include "sim/net/ipv4_hdr.h"
#include "sim/net/l4_hdr.h"
#include "sim/net/wire.h"

/* ---- names ---------------------------------------------------------- */

static const char *ethertype_name(uint16_t t)
{
    switch (t) {
    case SIM_ETHERTYPE_IPV4:
        return "IPv4";
    case SIM_ETHERTYPE_ARP:
        return "ARP";
    case SIM_ETHERTYPE_VLAN:
        return "802.1Q Virtual LAN";
    case 0x86dd:
        return "IPv6";
    default:
        return "Unknown";
    }
}

static const char *proto_name(uint8_t p)
{
    switch (p) {
    case SIM_IPPROTO_ICMP:
        return "ICMP";
    case SIM_IPPROTO_TCP:
        return "TCP";
    case SIM_IPPROTO_UDP:
        return "UDP";
    default:
        return "Unknown";
    }
}

/* Wireshark's names, used in the walk. */
static const char *icmp_type_name(uint8_t type)
{
    switch (type) {
    case SIM_ICMP_ECHO_REPLY:
        return "Echo (ping) reply";
    case SIM_ICMP_DEST_UNREACH:
        return "Destination unreachable";
    case 4:
        return "Source quench (flow control)";
    case 5:
        return "Redirect";
    case SIM_ICMP_ECHO_REQUEST:
        return "Echo (ping) request";
    case SIM_ICMP_TIME_EXCEEDED:
        return "Time-to-live exceeded";
    case 12:
        return "Parameter problem";
    default:
        return "Unknown";
    }
}

/* Short lowercase forms, used in the summary; NULL when not known. */
static const char *icmp_code_name(uint8_t type, uint8_t code)
{
    static const char *const unreach[] = {"net unreachable", "host unreachable",
                                          "protocol unreachable", "port unreachable",
                                          "fragmentation needed"};
    static const char *const exceeded[] = {"ttl exceeded in transit", "reassembly time exceeded"};
    if (type == SIM_ICMP_DEST_UNREACH && code < G_N_ELEMENTS(unreach))
        return unreach[code];
    if (type == SIM_ICMP_TIME_EXCEEDED && code < G_N_ELEMENTS(exceeded))
        return exceeded[code];
    return NULL;
}

static const char *icmp_summary_type(uint8_t type)
{
    switch (type) {
    case SIM_ICMP_ECHO_REPLY:
        return "echo reply";
    case SIM_ICMP_ECHO_REQUEST:
        return "echo request";
    case SIM_ICMP_DEST_UNREACH:
        return "dest-unreachable";
    case SIM_ICMP_TIME_EXCEEDED:
        return "time-exceeded";
    default:
        return NULL;
    }
}

static gboolean icmp_is_echo(uint8_t type)
{
    return type == SIM_ICMP_ECHO_REQUEST || type == SIM_ICMP_ECHO_REPLY;
}

static gboolean is_fragment(const SimIpv4Hdr *ip)
{
    return ip->mf || ip->frag_off != 0;
}

/* ---- summary ---------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t size;
    size_t pos; /* chars written, always < size */
} Out;

static void G_GNUC_PRINTF(2, 3) out(Out *o, const char *fmt, ...)
{
    if (o->pos + 1 >= o->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->pos, o->size - o->pos, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->pos = MIN(o->pos + (size_t)n, o->size - 1);
}

static void summary_arp(Out *o, const uint8_t *b, size_t len)
{
    SimArpHdr a;
    g_autoptr(GError) error = NULL;
    if (!sim_arp_hdr_decode(b, len, &a, &error)) {
        out(o, "malformed %s", error->message);
        return;
    }
    char s1[SIM_IPV4_STRLEN], s2[SIM_IPV4_STRLEN], m[SIM_MAC_STRLEN];
    sim_ipv4_format(a.spa, s1);
    sim_ipv4_format(a.tpa, s2);
    if (a.oper == SIM_ARP_REPLY)
        out(o, "ARP %s is-at %s", s1, sim_mac_format(&a.sha, m));
    else if (a.spa == 0)
        out(o, "ARP probe who-has %s", s2);
    else if (a.spa == a.tpa)
        out(o, "ARP announce %s is-at %s (gratuitous)", s1, sim_mac_format(&a.sha, m));
    else
        out(o, "ARP who-has %s tell %s", s2, s1);
}

/* The datagram an ICMP error quotes: header plus at least 8 bytes. */
static void summary_quoted(Out *o, const uint8_t *b, size_t len)
{
    SimIpv4Hdr ip;
    if (!sim_ipv4_hdr_decode_quoted(b, len, &ip, NULL)) {
        out(o, ", quoting a malformed header");
        return;
    }
    char s[SIM_IPV4_STRLEN], d[SIM_IPV4_STRLEN];
    sim_ipv4_format(ip.src, s);
    sim_ipv4_format(ip.dst, d);
    const uint8_t *l4 = b + ip.hdr_len;
    size_t l4_len = len - ip.hdr_len;
    gboolean ports = ip.frag_off == 0 && l4_len >= 4 &&
                     (ip.proto == SIM_IPPROTO_UDP || ip.proto == SIM_IPPROTO_TCP);
    if (ports)
        out(o, ", quoting %s %s:%u > %s:%u", proto_name(ip.proto), s, sim_wire_get16(l4), d,
            sim_wire_get16(l4 + 2));
    else if (ip.frag_off == 0 && ip.proto == SIM_IPPROTO_ICMP && l4_len >= 8 && icmp_is_echo(l4[0]))
        out(o, ", quoting ICMP %s %s > %s id=0x%04x seq=%u", icmp_summary_type(l4[0]), s, d,
            sim_wire_get16(l4 + 4), sim_wire_get16(l4 + 6));
    else
        out(o, ", quoting IPv4 %s > %s proto=%u", s, d, ip.proto);
}

static void summary_icmp(Out *o, const SimIpv4Hdr *ip, const uint8_t *b, size_t len, const char *s,
                         const char *d)
{
    SimIcmpHdr h;
    g_autoptr(GError) error = NULL;
    if (!sim_icmp_hdr_decode(b, len, &h, &error)) {
        out(o, "malformed %s", error->message);
        return;
    }
    const char *tname = icmp_summary_type(h.type);
    if (tname)
        out(o, "ICMP %s %s > %s", tname, s, d);
    else
        out(o, "ICMP type=%u code=%u %s > %s", h.type, h.code, s, d);
    if (icmp_is_echo(h.type))
        out(o, " id=0x%04x seq=%u", h.id, h.seq);
    out(o, " ttl=%u", ip->ttl);
    const char *cname = icmp_code_name(h.type, h.code);
    if (h.type == SIM_ICMP_DEST_UNREACH && h.code == SIM_ICMP_UNREACH_FRAG_NEEDED)
        out(o, " (%s, mtu=%u)", cname, h.mtu);
    else if (cname)
        out(o, " (%s)", cname);
    else if (sim_icmp_is_error(h.type))
        out(o, " (code %u)", h.code);
    if (sim_icmp_is_error(h.type) && len > SIM_ICMP_HLEN)
        summary_quoted(o, b + SIM_ICMP_HLEN, len - SIM_ICMP_HLEN);
    if (!h.checksum_ok)
        out(o, " [bad ICMP checksum]");
}

static void summary_l4(Out *o, const SimIpv4Hdr *ip, const uint8_t *b, size_t len, const char *s,
                       const char *d)
{
    g_autoptr(GError) error = NULL;
    if (ip->proto == SIM_IPPROTO_UDP) {
        SimUdpHdr u;
        if (!sim_udp_hdr_decode(b, len, ip->src, ip->dst, &u, &error)) {
            out(o, "malformed %s", error->message);
            return;
        }
        out(o, "UDP %s:%u > %s:%u len=%u", s, u.sport, d, u.dport, u.length - SIM_UDP_HLEN);
        char app[160];
        sim_dissect_app_udp(u.sport, u.dport, b + SIM_UDP_HLEN, u.length - SIM_UDP_HLEN, app,
                            sizeof app);
        out(o, "%s", app);
        if (!u.checksum_ok)
            out(o, " [bad UDP checksum]");
    } else {
        SimTcpHdr t;
        if (!sim_tcp_hdr_decode(b, len, ip->src, ip->dst, &t, &error)) {
            out(o, "malformed %s", error->message);
            return;
        }
        char fl[SIM_TCP_FLAGS_STRLEN];
        out(o, "TCP %s:%u > %s:%u [%s] seq=%u", s, t.sport, d, t.dport,
            sim_tcp_flags_format(t.flags, fl), t.seq);
        if (t.flags & SIM_TCP_ACK)
            out(o, " ack=%u", t.ack);
        out(o, " win=%u len=%zu", t.window, len - t.hdr_len);
        if (t.mss)
            out(o, " mss=%u", t.mss);
        if (!t.checksum_ok)
            out(o, " [bad TCP checksum]");
    }
}

static void summary_ipv4(Out *o, const uint8_t *b, size_t len)
{
    SimIpv4Hdr ip;
    g_autoptr(GError) error = NULL;
    if (!sim_ipv4_hdr_decode(b, len, &ip, &error)) {
        out(o, "malformed %s", error->message);
        return;
    }
    char s[SIM_IPV4_STRLEN], d[SIM_IPV4_STRLEN];
    sim_ipv4_format(ip.src, s);
    sim_ipv4_format(ip.dst, d);
    const uint8_t *pl = b + ip.hdr_len;
    size_t pl_len = ip.total_len - ip.hdr_len;
    if (is_fragment(&ip)) {
        out(o, "IPv4 fragment %s > %s id=0x%04x proto=%s off=%u len=%zu%s", s, d, ip.id,
            proto_name(ip.proto), ip.frag_off, pl_len, ip.mf ? " MF" : "");
    } else if (ip.proto == SIM_IPPROTO_ICMP) {
        summary_icmp(o, &ip, pl, pl_len, s, d);
    } else if (ip.proto == SIM_IPPROTO_UDP || ip.proto == SIM_IPPROTO_TCP) {
        summary_l4(o, &ip, pl, pl_len, s, d);
    } else {
        out(o, "IPv4 %s > %s proto=%u len=%zu ttl=%u", s, d, ip.proto, pl_len, ip.ttl);
    }
    if (!ip.checksum_ok)
        out(o, " [bad IP checksum]");
}

/* "STP Conf. Root = 4096/0/02:b0:00:00:00:03  Cost = 0  Port = 0x8001";
 * FALSE when the frame is no BPDU. */
static gboolean summary_stp(Out *o, const uint8_t *frame, size_t len)
{
    SimBpdu b;
    if (!sim_bpdu_parse(frame, len, &b, NULL))
        return FALSE;
    char s[160];
    sim_bpdu_summary(&b, s, sizeof s);
    out(o, "%s %s", b.version >= 2 ? "RSTP" : "STP", s);
    return TRUE;
}

size_t sim_dissect_summary(const uint8_t *frame, size_t len, char *buf, size_t size)
{
    if (size == 0)
        return 0;
    Out o = {buf, size, 0};
    buf[0] = '\0';
    SimEthHdr eth;
    g_autoptr(GError) error = NULL;
    if (!sim_eth_decode(frame, len, &eth, &error)) {
        out(&o, "malformed %s", error->message);
        return o.pos;
    }
    if (eth.tagged)
        out(&o, "802.1Q vlan %u, ", eth.vid);
    const uint8_t *pl = frame + eth.hdr_len;
    size_t pl_len = len - eth.hdr_len;
    char m1[SIM_MAC_STRLEN], m2[SIM_MAC_STRLEN];
    sim_mac_format(&eth.src, m1);
    sim_mac_format(&eth.dst, m2);
    if (eth.ethertype == SIM_ETHERTYPE_ARP)
        summary_arp(&o, pl, pl_len);
    else if (eth.ethertype == SIM_ETHERTYPE_IPV4)
        summary_ipv4(&o, pl, pl_len);
    else if (eth.ethertype <= SIM_ETH_MAX_8023_LEN && summary_stp(&o, frame, len))
        ;
    else if (eth.ethertype <= SIM_ETH_MAX_8023_LEN)
        out(&o, "802.3 %s > %s len=%u", m1, m2, eth.ethertype);
    else
        out(&o, "Ethernet %s > %s type=0x%04x len=%zu", m1, m2, eth.ethertype, len);
    return o.pos;
}

/* ---- walk -------------------------------------------------------------- */

typedef struct {
    const uint8_t *f;
    size_t len;
    const SimDissectVisitor *v;
    void *user;
} Walk;

static void layer(Walk *w, const char *name, size_t off, size_t length)
{
    if (w->v->layer)
        w->v->layer(w->user, name, off, length);
}

static void G_GNUC_PRINTF(5, 6)
    field(Walk *w, const char *abbrev, size_t off, size_t length, const char *fmt, ...)
{
    if (!w->v->field)
        return;
    char val[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(val, sizeof val, fmt, ap);
    va_end(ap);
    w->v->field(w->user, abbrev, val, off, length);
}

static void field_mac(Walk *w, const char *abbrev, size_t off)
{
    SimMac m;
    memcpy(m.b, w->f + off, 6);
    char s[SIM_MAC_STRLEN];
    field(w, abbrev, off, 6, "%s", sim_mac_format(&m, s));
}

static void field_ipv4(Walk *w, const char *abbrev, size_t off)
{
    char s[SIM_IPV4_STRLEN];
    field(w, abbrev, off, 4, "%s", sim_ipv4_format(sim_wire_get32(w->f + off), s));
}

/* Stops the walk: nothing is reported after a malformed layer. */
static void malformed(Walk *w, size_t off, const GError *error)
{
    layer(w, "malformed", off, w->len - off);
    field(w, "_ws.malformed", off, w->len - off, "%s", error ? error->message : "malformed");
}

static void walk_data(Walk *w, size_t off, size_t length)
{
    if (length == 0)
        return;
    layer(w, "data", off, length);
    char hex[2 * 32 + 4];
    size_t n = MIN(length, 32);
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", w->f[off + i]);
    if (length > n)
        g_strlcat(hex, "...", sizeof hex);
    field(w, "data.data", off, length, "%s", hex);
    field(w, "data.len", off, length, "%zu", length);
}

static const char *csum_status(gboolean ok)
{
    return ok ? "Good" : "Bad";
}

static void walk_arp(Walk *w, size_t off, size_t avail)
{
    SimArpHdr a;
    g_autoptr(GError) error = NULL;
    gboolean ok = sim_arp_hdr_decode(w->f + off, avail, &a, &error);
    if (!ok && !g_error_matches(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_UNSUPPORTED)) {
        malformed(w, off, error);
        return;
    }
    /* An unsupported pair still has the 28 bytes the check demanded. */
    const uint8_t *b = w->f + off;
    layer(w, "arp", off, SIM_ARP_LEN);
    uint16_t htype = sim_wire_get16(b), ptype = sim_wire_get16(b + 2);
    uint16_t oper = sim_wire_get16(b + 6);
    field(w, "arp.hw.type", off, 2, "%s (%u)", htype == 1 ? "Ethernet" : "Unknown", htype);
    field(w, "arp.proto.type", off + 2, 2, "%s (0x%04x)", ethertype_name(ptype), ptype);
    field(w, "arp.hw.size", off + 4, 1, "%u", b[4]);
    field(w, "arp.proto.size", off + 5, 1, "%u", b[5]);
    field(w, "arp.opcode", off + 6, 2, "%s (%u)",
          oper == 1   ? "request"
          : oper == 2 ? "reply"
                      : "unknown",
          oper);
    if (!ok)
        return;
    field_mac(w, "arp.src.hw_mac", off + 8);
    field_ipv4(w, "arp.src.proto_ipv4", off + 14);
    field_mac(w, "arp.dst.hw_mac", off + 18);
    field_ipv4(w, "arp.dst.proto_ipv4", off + 24);
}

static void walk_ipv4(Walk *w, size_t off, size_t avail, gboolean quoted);

/* Fields of the 8 bytes every ICMP message starts with. */
static void walk_icmp_fields(Walk *w, size_t off, const SimIcmpHdr *h, const char *status)
{
    field(w, "icmp.type", off, 1, "%s (%u)", icmp_type_name(h->type), h->type);
    field(w, "icmp.code", off + 1, 1, "%u", h->code);
    field(w, "icmp.checksum", off + 2, 2, "0x%04x", h->checksum);
    field(w, "icmp.checksum.status", off + 2, 2, "%s", status);
    if (icmp_is_echo(h->type)) {
        field(w, "icmp.ident", off + 4, 2, "%u (0x%04x)", h->id, h->id);
        field(w, "icmp.seq", off + 6, 2, "%u (0x%04x)", h->seq, h->seq);
    } else if (h->type == SIM_ICMP_DEST_UNREACH && h->code == SIM_ICMP_UNREACH_FRAG_NEEDED) {
        field(w, "icmp.unused", off + 4, 2, "%04x", h->id);
        field(w, "icmp.mtu", off + 6, 2, "%u", h->mtu);
    } else if (sim_icmp_is_error(h->type)) {
        field(w, "icmp.unused", off + 4, 4, "%08x", h->rest);
    }
}

static void walk_icmp(Walk *w, size_t off, size_t length, gboolean quoted)
{
    SimIcmpHdr h;
    g_autoptr(GError) error = NULL;
    if (!sim_icmp_hdr_decode(w->f + off, length, &h, &error)) {
        malformed(w, off, error);
        return;
    }
    layer(w, "icmp", off, length);
    /* A quoted message is cut short, so its checksum cannot be checked. */
    walk_icmp_fields(w, off, &h, quoted ? "Unverified" : csum_status(h.checksum_ok));
    size_t body = off + SIM_ICMP_HLEN, body_len = length - SIM_ICMP_HLEN;
    if (sim_icmp_is_error(h.type) && !quoted && body_len > 0)
        walk_ipv4(w, body, body_len, TRUE);
    else
        walk_data(w, body, body_len);
}

static void walk_udp_fields(Walk *w, size_t off, const uint8_t *b, const char *status)
{
    field(w, "udp.srcport", off, 2, "%u", sim_wire_get16(b));
    field(w, "udp.dstport", off + 2, 2, "%u", sim_wire_get16(b + 2));
    field(w, "udp.length", off + 4, 2, "%u", sim_wire_get16(b + 4));
    field(w, "udp.checksum", off + 6, 2, "0x%04x", sim_wire_get16(b + 6));
    field(w, "udp.checksum.status", off + 6, 2, "%s", status);
}

static void walk_udp(Walk *w, const SimIpv4Hdr *ip, size_t off, size_t length, gboolean quoted)
{
    const uint8_t *b = w->f + off;
    g_autoptr(GError) error = NULL;
    if (quoted) {
        if (length < SIM_UDP_HLEN) {
            g_set_error(&error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_TRUNCATED,
                        "UDP: quoted header cut to %zu bytes", length);
            malformed(w, off, error);
            return;
        }
        layer(w, "udp", off, SIM_UDP_HLEN);
        walk_udp_fields(w, off, b, "Unverified");
        return;
    }
    SimUdpHdr u;
    if (!sim_udp_hdr_decode(b, length, ip->src, ip->dst, &u, &error)) {
        malformed(w, off, error);
        return;
    }
    layer(w, "udp", off, SIM_UDP_HLEN);
    walk_udp_fields(w, off, b, u.checksum == 0 ? "Not present" : csum_status(u.checksum_ok));
    walk_data(w, off + SIM_UDP_HLEN, u.length - SIM_UDP_HLEN);
}

static void walk_tcp_flags(Walk *w, size_t off, uint8_t flags)
{
    static const char *const names[8] = {"tcp.flags.fin",  "tcp.flags.syn", "tcp.flags.reset",
                                         "tcp.flags.push", "tcp.flags.ack", "tcp.flags.urg",
                                         "tcp.flags.ece",  "tcp.flags.cwr"};
    char fl[SIM_TCP_FLAGS_STRLEN];
    field(w, "tcp.flags", off, 2, "0x%03x (%s)", flags, sim_tcp_flags_format(flags, fl));
    for (int bit = 7; bit >= 0; bit--)
        field(w, names[bit], off + 1, 1, "%s", (flags >> bit) & 1 ? "Set" : "Not set");
}

static void walk_tcp(Walk *w, const SimIpv4Hdr *ip, size_t off, size_t length, gboolean quoted)
{
    const uint8_t *b = w->f + off;
    g_autoptr(GError) error = NULL;
    if (quoted) {
        /* RFC 792 guarantees the ports and the sequence number only. */
        if (length < 8) {
            g_set_error(&error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_TRUNCATED,
                        "TCP: quoted header cut to %zu bytes", length);
            malformed(w, off, error);
            return;
        }
        layer(w, "tcp", off, MIN(length, (size_t)SIM_TCP_HLEN));
        field(w, "tcp.srcport", off, 2, "%u", sim_wire_get16(b));
        field(w, "tcp.dstport", off + 2, 2, "%u", sim_wire_get16(b + 2));
        field(w, "tcp.seq_raw", off + 4, 4, "%u", sim_wire_get32(b + 4));
        return;
    }
    SimTcpHdr t;
    if (!sim_tcp_hdr_decode(b, length, ip->src, ip->dst, &t, &error)) {
        malformed(w, off, error);
        return;
    }
    layer(w, "tcp", off, t.hdr_len);
    field(w, "tcp.srcport", off, 2, "%u", t.sport);
    field(w, "tcp.dstport", off + 2, 2, "%u", t.dport);
    SimDissectTcpKey key = {ip->src, ip->dst, t.sport, t.dport};
    SimDissectTcpStream s;
    bool st = w->v->tcp_stream && w->v->tcp_stream(w->user, &key, &s);
    bool syn = t.flags & SIM_TCP_SYN, ack = t.flags & SIM_TCP_ACK;
    /* Wireshark: relative to the ISN; an ACK number without the ACK flag
     * is shown as it is. */
    if (st && s.isn_known)
        field(w, "tcp.seq", off + 4, 4, "%u", t.seq - s.isn);
    field(w, "tcp.seq_raw", off + 4, 4, "%u", t.seq);
    if (st && (!ack || s.peer_isn_known))
        field(w, "tcp.ack", off + 8, 4, "%u", ack ? t.ack - s.peer_isn : t.ack);
    field(w, "tcp.ack_raw", off + 8, 4, "%u", t.ack);
    field(w, "tcp.hdr_len", off + 12, 1, "%zu", t.hdr_len);
    walk_tcp_flags(w, off + 12, t.flags);
    field(w, "tcp.window_size_value", off + 14, 2, "%u", t.window);
    if (st) { /* RFC 7323 §2.2: a SYN's window is never scaled */
        uint64_t win = !syn && s.scale > 0 ? (uint64_t)t.window * (uint32_t)s.scale : t.window;
        field(w, "tcp.window_size", off + 14, 2, "%" G_GUINT64_FORMAT, win);
        if (!syn)
            field(w, "tcp.window_size_scalefactor", off + 14, 2, "%d", s.scale);
    }
    field(w, "tcp.checksum", off + 16, 2, "0x%04x", t.checksum);
    field(w, "tcp.checksum.status", off + 16, 2, "%s", csum_status(t.checksum_ok));
    field(w, "tcp.urgent_pointer", off + 18, 2, "%u", t.urgent);
    if (t.hdr_len > SIM_TCP_HLEN)
        field(w, "tcp.options", off + SIM_TCP_HLEN, t.hdr_len - SIM_TCP_HLEN, "%zu bytes",
              t.hdr_len - SIM_TCP_HLEN);
    if (t.mss)
        field(w, "tcp.options.mss_val", off + SIM_TCP_HLEN, t.hdr_len - SIM_TCP_HLEN, "%u", t.mss);
    if (t.has_wscale)
        field(w, "tcp.options.wscale.shift", off + SIM_TCP_HLEN, t.hdr_len - SIM_TCP_HLEN, "%u",
              t.wscale);
    if (t.has_wscale && st) /* Wireshark caps the shift at 14 (RFC 7323 §2.3) */
        field(w, "tcp.options.wscale.multiplier", off + SIM_TCP_HLEN, t.hdr_len - SIM_TCP_HLEN,
              "%u", 1u << MIN(t.wscale, 14));
    field(w, "tcp.len", off + t.hdr_len, length - t.hdr_len, "%zu", length - t.hdr_len);
    walk_data(w, off + t.hdr_len, length - t.hdr_len);
}

static void walk_ipv4_fields(Walk *w, size_t off, const SimIpv4Hdr *ip)
{
    field(w, "ip.version", off, 1, "%u", ip->version);
    field(w, "ip.hdr_len", off, 1, "%zu", ip->hdr_len);
    field(w, "ip.dsfield", off + 1, 1, "0x%02x", ip->tos);
    field(w, "ip.len", off + 2, 2, "%u", ip->total_len);
    field(w, "ip.id", off + 4, 2, "0x%04x (%u)", ip->id, ip->id);
    unsigned flags = (ip->rf ? 4u : 0) | (ip->df ? 2u : 0) | (ip->mf ? 1u : 0);
    field(w, "ip.flags", off + 6, 1, "0x%02x%s%s", flags << 5, ip->df ? ", Don't fragment" : "",
          ip->mf ? ", More fragments" : "");
    field(w, "ip.flags.rb", off + 6, 1, "%s", ip->rf ? "Set" : "Not set");
    field(w, "ip.flags.df", off + 6, 1, "%s", ip->df ? "Set" : "Not set");
    field(w, "ip.flags.mf", off + 6, 1, "%s", ip->mf ? "Set" : "Not set");
    field(w, "ip.frag_offset", off + 6, 2, "%u", ip->frag_off);
    field(w, "ip.ttl", off + 8, 1, "%u", ip->ttl);
    field(w, "ip.proto", off + 9, 1, "%s (%u)", proto_name(ip->proto), ip->proto);
    field(w, "ip.checksum", off + 10, 2, "0x%04x", ip->checksum);
    field(w, "ip.checksum.status", off + 10, 2, "%s", csum_status(ip->checksum_ok));
    field_ipv4(w, "ip.src", off + 12);
    field_ipv4(w, "ip.dst", off + 16);
    if (ip->hdr_len > SIM_IPV4_HLEN)
        field(w, "ip.options", off + SIM_IPV4_HLEN, ip->hdr_len - SIM_IPV4_HLEN, "%zu bytes",
              ip->hdr_len - SIM_IPV4_HLEN);
}

/* quoted: the header inside an ICMP error, whose datagram is cut short. */
static void walk_ipv4(Walk *w, size_t off, size_t avail, gboolean quoted)
{
    SimIpv4Hdr ip;
    g_autoptr(GError) error = NULL;
    gboolean ok = quoted ? sim_ipv4_hdr_decode_quoted(w->f + off, avail, &ip, &error)
                         : sim_ipv4_hdr_decode(w->f + off, avail, &ip, &error);
    if (!ok) {
        malformed(w, off, error);
        return;
    }
    layer(w, "ip", off, ip.hdr_len);
    walk_ipv4_fields(w, off, &ip);
    size_t pl = off + ip.hdr_len;
    size_t pl_len = MIN(avail, (size_t)ip.total_len) - ip.hdr_len;
    if (is_fragment(&ip)) {
        /* Without reassembly a fragment's payload is opaque (Wireshark shows
         * it as data too, until the last fragment arrives). */
        walk_data(w, pl, pl_len);
        return;
    }
    switch (ip.proto) {
    case SIM_IPPROTO_ICMP:
        walk_icmp(w, pl, pl_len, quoted);
        break;
    case SIM_IPPROTO_UDP:
        walk_udp(w, &ip, pl, pl_len, quoted);
        break;
    case SIM_IPPROTO_TCP:
        walk_tcp(w, &ip, pl, pl_len, quoted);
        break;
    default:
        walk_data(w, pl, pl_len);
    }
}

static void field_bridge_id(Walk *w, const char *which, size_t off)
{
    char name[32];
    uint16_t prio = sim_wire_get16(w->f + off);
    g_snprintf(name, sizeof name, "stp.%s.prio", which);
    field(w, name, off, 2, "%u", prio & 0xf000u);
    g_snprintf(name, sizeof name, "stp.%s.ext", which);
    field(w, name, off, 2, "%u", prio & 0x0fffu);
    g_snprintf(name, sizeof name, "stp.%s.hw", which);
    field_mac(w, name, off + 2);
}

static void field_stp_time(Walk *w, const char *abbrev, size_t off)
{
    uint16_t v = sim_wire_get16(w->f + off);
    field(w, abbrev, off, 2, "%g", v / 256.0);
}

/* LLC and the BPDU (Wireshark's llc and stp fields). */
static void walk_stp(Walk *w, size_t off, size_t length)
{
    SimBpdu b;
    g_autoptr(GError) error = NULL;
    if (!sim_bpdu_parse(w->f, w->len, &b, &error)) {
        walk_data(w, off, length);
        return;
    }
    layer(w, "llc", off, SIM_LLC_LEN);
    field(w, "llc.dsap", off, 1, "Spanning Tree BPDU (0x42)");
    field(w, "llc.ssap", off + 1, 1, "Spanning Tree BPDU (0x42)");
    field(w, "llc.control", off + 2, 1, "U, func=UI (0x03)");
    size_t p = off + SIM_LLC_LEN;
    layer(w, "stp", p, length - SIM_LLC_LEN);
    field(w, "stp.protocol", p, 2, "Spanning Tree Protocol (0x0000)");
    field(w, "stp.version", p + 2, 1, "%s (%u)",
          b.version >= 2 ? "Rapid Spanning Tree" : "Spanning Tree", b.version);
    field(w, "stp.type", p + 3, 1, "%s (0x%02x)",
          b.type == SIM_BPDU_TYPE_TCN   ? "Topology Change Notification"
          : b.type == SIM_BPDU_TYPE_RST ? "Rapid/Multiple Spanning Tree"
                                        : "Configuration",
          b.type);
    if (b.type == SIM_BPDU_TYPE_TCN)
        return;
    static const char *const roles[] = {"Unknown", "Alternate or Backup", "Root", "Designated"};
    field(w, "stp.flags", p + 4, 1, "0x%02x", b.flags);
    field(w, "stp.flags.tcack", p + 4, 1, "%u", !!(b.flags & SIM_BPDU_F_TCA));
    if (b.type == SIM_BPDU_TYPE_RST) {
        field(w, "stp.flags.agreement", p + 4, 1, "%u", !!(b.flags & SIM_BPDU_F_AGREEMENT));
        field(w, "stp.flags.forwarding", p + 4, 1, "%u", !!(b.flags & SIM_BPDU_F_FORWARDING));
        field(w, "stp.flags.learning", p + 4, 1, "%u", !!(b.flags & SIM_BPDU_F_LEARNING));
        field(w, "stp.flags.port_role", p + 4, 1, "%s (%u)", roles[sim_bpdu_role(&b)],
              sim_bpdu_role(&b));
        field(w, "stp.flags.proposal", p + 4, 1, "%u", !!(b.flags & SIM_BPDU_F_PROPOSAL));
    }
    field(w, "stp.flags.tc", p + 4, 1, "%u", !!(b.flags & SIM_BPDU_F_TC));
    field_bridge_id(w, "root", p + 5);
    field(w, "stp.root.cost", p + 13, 4, "%u", b.root_cost);
    field_bridge_id(w, "bridge", p + 17);
    field(w, "stp.port", p + 25, 2, "0x%04x", b.port_id);
    field_stp_time(w, "stp.msg_age", p + 27);
    field_stp_time(w, "stp.max_age", p + 29);
    field_stp_time(w, "stp.hello", p + 31);
    field_stp_time(w, "stp.forward", p + 33);
    if (b.type == SIM_BPDU_TYPE_RST)
        field(w, "stp.version_1_length", p + 35, 1, "0");
}

/* Bytes of the payload the network layer claims, to report the rest as
 * Ethernet padding; everything when the length is unknown. */
static size_t l3_len(const uint8_t *b, size_t avail, uint16_t ethertype)
{
    if (ethertype == SIM_ETHERTYPE_ARP)
        return MIN(avail, (size_t)SIM_ARP_LEN);
    if (ethertype == SIM_ETHERTYPE_IPV4 && avail >= 4 && (b[0] >> 4) == 4)
        return MIN(avail, (size_t)sim_wire_get16(b + 2));
    if (ethertype <= SIM_ETH_MAX_8023_LEN)
        return MIN(avail, (size_t)ethertype);
    return avail;
}

bool sim_dissect_tcp_segment(const uint8_t *frame, size_t len, SimDissectTcpKey *key,
                             SimTcpHdr *hdr)
{
    SimEthHdr eth;
    SimIpv4Hdr ip;
    if (!sim_eth_decode(frame, len, &eth, NULL) || eth.ethertype != SIM_ETHERTYPE_IPV4)
        return false;
    const uint8_t *b = frame + eth.hdr_len;
    if (!sim_ipv4_hdr_decode(b, len - eth.hdr_len, &ip, NULL) || is_fragment(&ip) ||
        ip.proto != SIM_IPPROTO_TCP)
        return false;
    if (!sim_tcp_hdr_decode(b + ip.hdr_len, ip.total_len - ip.hdr_len, ip.src, ip.dst, hdr, NULL))
        return false;
    *key = (SimDissectTcpKey){ip.src, ip.dst, hdr->sport, hdr->dport};
    return true;
}

void sim_dissect_walk(const uint8_t *frame, size_t len, const SimDissectVisitor *v, void *user)
{
    Walk w = {frame, len, v, user};
    SimEthHdr eth;
    g_autoptr(GError) error = NULL;
    if (!sim_eth_decode(frame, len, &eth, &error)) {
        malformed(&w, 0, error);
        return;
    }
    layer(&w, "eth", 0, SIM_ETH_HLEN);
    field_mac(&w, "eth.dst", 0);
    field_mac(&w, "eth.src", 6);
    uint16_t outer = sim_wire_get16(frame + 12);
    if (outer <= SIM_ETH_MAX_8023_LEN)
        field(&w, "eth.len", 12, 2, "%u", outer);
    else
        field(&w, "eth.type", 12, 2, "%s (0x%04x)", ethertype_name(outer), outer);
    size_t off = eth.hdr_len, avail = len - off;
    size_t inner = l3_len(frame + off, avail, eth.ethertype);
    if (inner < avail)
        field(&w, "eth.padding", off + inner, avail - inner, "%zu bytes", avail - inner);
    if (eth.tagged) {
        layer(&w, "vlan", SIM_ETH_HLEN, SIM_ETH_VLAN_TAGLEN);
        field(&w, "vlan.priority", 14, 1, "%u", eth.pcp);
        field(&w, "vlan.dei", 14, 1, "%u", eth.dei);
        field(&w, "vlan.id", 14, 2, "%u", eth.vid);
        field(&w, "vlan.etype", 16, 2, "%s (0x%04x)", ethertype_name(eth.ethertype), eth.ethertype);
    }
    if (eth.ethertype == SIM_ETHERTYPE_ARP)
        walk_arp(&w, off, avail);
    else if (eth.ethertype == SIM_ETHERTYPE_IPV4)
        walk_ipv4(&w, off, avail, FALSE);
    else if (eth.ethertype <= SIM_ETH_MAX_8023_LEN && sim_bpdu_is_group_frame(frame, len))
        walk_stp(&w, off, inner);
    else
        walk_data(&w, off, inner);
}

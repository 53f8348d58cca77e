/* addr.c - MAC, IPv4 and prefix parsing, formatting and arithmetic.
 *
 * Design: hand-written single-pass parsers rather than sscanf/inet_pton.
 * sscanf accepts leading blanks, signs and trailing junk, and inet_aton
 * accepts "1.2.3" and octal "010.0.0.1"; both would let typos in a topology
 * file turn into a different address silently. Each parser walks the string
 * once (O(n)) and stops at the first fault with a message that quotes the
 * input and names the faulty part.
 *
 * Policy choices:
 * - IPv4 octets with a leading zero ("01.2.3.4") are rejected: inet_aton
 *   reads them as octal, most other tools as decimal, so either reading would
 *   surprise someone. The prefix length follows the same rule ("/08").
 * - A MAC must use one separator throughout, ':' or '-', and exactly two hex
 *   digits per byte.
 */
#include "sim/net/addr.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* clang-format would put spaces into the quark's name. */
// clang-format off
G_DEFINE_QUARK(sim-addr-error-quark, sim_addr_error)
// clang-format on

const SimMac SIM_MAC_BROADCAST = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
const SimMac SIM_MAC_ZERO = {{0, 0, 0, 0, 0, 0}};

/* Sets an error whose message starts with the quoted (escaped) input, so a
 * control character or stray quote in the input cannot garble the message. */
G_GNUC_PRINTF(3, 4)
static void set_error(GError **error, const char *input, const char *fmt, ...)
{
    if (error == NULL)
        return;
    g_autofree char *quoted = g_strescape(input, NULL);
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *reason = g_strdup_vprintf(_(fmt), ap);
    va_end(ap);
    g_set_error(error, SIM_ADDR_ERROR, SIM_ADDR_ERROR_INVALID, "'%s': %s", quoted, reason);
}

/* Describes one character for an error message: 'x' or a hex escape. */
static char *describe_char(char c)
{
    unsigned char u = (unsigned char)c;
    if (g_ascii_isprint(c) && c != '\'')
        return g_strdup_printf("'%c'", c);
    return g_strdup_printf("0x%02x", u);
}

/* ---- MAC ---------------------------------------------------------------- */

gboolean sim_mac_parse(const char *s, SimMac *out, GError **error)
{
    if (s == NULL || *s == '\0') {
        set_error(error, "", "empty MAC address");
        return FALSE;
    }
    SimMac mac = {{0}};
    const char *p = s;
    char sep = 0;
    int nbytes = 0;
    for (;;) {
        const char *start = p;
        while (g_ascii_isxdigit(*p))
            p++;
        size_t ndigits = (size_t)(p - start);
        if (*p != '\0' && *p != ':' && *p != '-') {
            g_autofree char *what = describe_char(*p);
            set_error(error, s, "unexpected character %s", what);
            return FALSE;
        }
        nbytes++;
        if (ndigits == 0) {
            set_error(error, s, "byte %d is empty", nbytes);
            return FALSE;
        }
        if (ndigits != 2) {
            set_error(error, s, "byte %d '%.*s' must be exactly 2 hex digits", nbytes, (int)ndigits,
                      start);
            return FALSE;
        }
        if (nbytes <= 6)
            mac.b[nbytes - 1] =
                (uint8_t)(g_ascii_xdigit_value(start[0]) * 16 + g_ascii_xdigit_value(start[1]));
        if (*p == '\0')
            break;
        if (sep == 0) {
            sep = *p;
        } else if (*p != sep) {
            set_error(error, s, "mixed ':' and '-' separators");
            return FALSE;
        }
        p++;
    }
    if (nbytes != 6) {
        set_error(error, s, "expected 6 bytes, got %d", nbytes);
        return FALSE;
    }
    *out = mac;
    return TRUE;
}

/* By hand rather than with snprintf: the text trace formats addresses
 * millions of times, and a printf call costs ten times this. */
char *sim_mac_format(const SimMac *mac, char *buf)
{
    static const char hex[] = "0123456789abcdef";
    char *p = buf;
    for (int i = 0; i < 6; i++) {
        if (i)
            *p++ = ':';
        *p++ = hex[mac->b[i] >> 4];
        *p++ = hex[mac->b[i] & 15];
    }
    *p = '\0';
    return buf;
}

bool sim_mac_equal(const SimMac *a, const SimMac *b)
{
    return memcmp(a->b, b->b, sizeof a->b) == 0;
}

bool sim_mac_is_broadcast(const SimMac *m)
{
    return sim_mac_equal(m, &SIM_MAC_BROADCAST);
}

bool sim_mac_is_multicast(const SimMac *m)
{
    return (m->b[0] & 0x01) != 0;
}

uint64_t sim_mac_to_u64(const SimMac *m)
{
    uint64_t v = 0;
    for (int i = 0; i < 6; i++)
        v = (v << 8) | m->b[i];
    return v;
}

SimMac sim_mac_from_u64(uint64_t v)
{
    SimMac m;
    for (int i = 5; i >= 0; i--) {
        m.b[i] = (uint8_t)(v & 0xff);
        v >>= 8;
    }
    return m;
}

/* 02:00:00:00:00:00 + index + 1, so index 0 -> 02:00:00:00:00:01 and the
 * all-zero host part is never produced. The sum is done in 48 bits, so the
 * largest index gives 02:01:00:00:00:00: still unique, still locally
 * administered (bit 1 of byte 0) and unicast (bit 0 clear). */
SimMac sim_mac_local(uint32_t index)
{
    return sim_mac_from_u64(UINT64_C(0x020000000000) + (uint64_t)index + 1);
}

/* ---- IPv4 --------------------------------------------------------------- */

/* Parses s[0..n) as a dotted quad. Error messages quote `whole`, so a prefix
 * parser can report faults in its address part against the full input. */
static gboolean parse_ipv4(const char *s, size_t n, const char *whole, SimIpv4 *out, GError **error)
{
    if (n == 0) {
        set_error(error, whole, "empty IPv4 address");
        return FALSE;
    }
    const char *p = s, *end = s + n;
    uint32_t addr = 0;
    int noctets = 0;
    for (;;) {
        const char *start = p;
        while (p < end && g_ascii_isdigit(*p))
            p++;
        size_t ndigits = (size_t)(p - start);
        if (p < end && *p != '.') {
            g_autofree char *what = describe_char(*p);
            set_error(error, whole, "unexpected character %s", what);
            return FALSE;
        }
        noctets++;
        if (ndigits == 0) {
            set_error(error, whole, "octet %d is empty", noctets);
            return FALSE;
        }
        if (ndigits > 1 && start[0] == '0') {
            set_error(error, whole, "octet '%.*s' has a leading zero (ambiguous octal)",
                      (int)ndigits, start);
            return FALSE;
        }
        unsigned value = 0;
        for (const char *d = start; d < p && value <= 255; d++)
            value = value * 10 + (unsigned)(*d - '0');
        if (value > 255) {
            set_error(error, whole, "octet %.*s is out of range 0-255", (int)ndigits, start);
            return FALSE;
        }
        addr = (addr << 8) | value;
        if (p == end)
            break;
        p++; /* the '.' */
    }
    if (noctets != 4) {
        set_error(error, whole, "expected 4 octets, got %d", noctets);
        return FALSE;
    }
    *out = addr;
    return TRUE;
}

gboolean sim_ipv4_parse(const char *s, SimIpv4 *out, GError **error)
{
    if (s == NULL)
        s = "";
    return parse_ipv4(s, strlen(s), s, out, error);
}

/* By hand, as sim_mac_format. */
char *sim_ipv4_format(SimIpv4 a, char *buf)
{
    char *p = buf;
    for (int shift = 24; shift >= 0; shift -= 8) {
        unsigned o = (a >> shift) & 0xff;
        if (o >= 100)
            *p++ = (char)('0' + o / 100);
        if (o >= 10)
            *p++ = (char)('0' + o / 10 % 10);
        *p++ = (char)('0' + o % 10);
        if (shift)
            *p++ = '.';
    }
    *p = '\0';
    return buf;
}

SimIpv4 sim_ipv4_mask(uint8_t len)
{
    /* A shift by 32 is undefined, so /0 and /32+ are special-cased. */
    if (len == 0)
        return 0;
    if (len >= 32)
        return UINT32_MAX;
    return UINT32_MAX << (32 - len);
}

bool sim_ipv4_mask_len(SimIpv4 mask, uint8_t *len)
{
    uint32_t host = ~mask;
    /* Contiguous iff the host part is 2^k - 1. */
    if ((host & (host + 1)) != 0)
        return false;
    if (len != NULL)
        *len = (uint8_t)(32 - __builtin_popcount(host));
    return true;
}

/* ---- prefix ------------------------------------------------------------- */

static gboolean parse_prefix_len(const char *p, const char *whole, uint8_t *out, GError **error)
{
    size_t n = strlen(p);
    if (n == 0) {
        set_error(error, whole, "prefix length is empty");
        return FALSE;
    }
    for (size_t i = 0; i < n; i++) {
        if (!g_ascii_isdigit(p[i])) {
            set_error(error, whole, "prefix length '%s' is not a decimal number", p);
            return FALSE;
        }
    }
    if (n > 1 && p[0] == '0') {
        set_error(error, whole, "prefix length '%s' has a leading zero", p);
        return FALSE;
    }
    /* Three or more digits without a leading zero are >= 100: no need to
     * accumulate (and risk overflow on a long digit string). */
    unsigned value = 33;
    if (n <= 2)
        value =
            n == 2 ? (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0') : (unsigned)(p[0] - '0');
    if (value > 32) {
        set_error(error, whole, "prefix length %s is out of range 0-32", p);
        return FALSE;
    }
    *out = (uint8_t)value;
    return TRUE;
}

gboolean sim_prefix_parse(const char *s, SimPrefix *out, bool *host_bits_set, GError **error)
{
    if (s == NULL || *s == '\0') {
        set_error(error, "", "empty prefix");
        return FALSE;
    }
    const char *slash = strchr(s, '/');
    if (slash == NULL) {
        set_error(error, s, "missing '/length' (write e.g. 10.0.0.0/8)");
        return FALSE;
    }
    SimPrefix p;
    if (!parse_ipv4(s, (size_t)(slash - s), s, &p.addr, error))
        return FALSE;
    if (!parse_prefix_len(slash + 1, s, &p.len, error))
        return FALSE;
    if (host_bits_set != NULL)
        *host_bits_set = (p.addr & ~sim_ipv4_mask(p.len)) != 0;
    *out = p;
    return TRUE;
}

char *sim_prefix_format(const SimPrefix *p, char *buf)
{
    char ip[SIM_IPV4_STRLEN];
    g_snprintf(buf, SIM_PREFIX_STRLEN, "%s/%u", sim_ipv4_format(p->addr, ip), p->len);
    return buf;
}

SimIpv4 sim_prefix_network(const SimPrefix *p)
{
    return p->addr & sim_ipv4_mask(p->len);
}

SimIpv4 sim_prefix_broadcast(const SimPrefix *p)
{
    return p->addr | ~sim_ipv4_mask(p->len);
}

bool sim_prefix_contains(const SimPrefix *p, SimIpv4 a)
{
    SimIpv4 mask = sim_ipv4_mask(p->len);
    return (a & mask) == (p->addr & mask);
}

bool sim_prefix_overlaps(const SimPrefix *a, const SimPrefix *b)
{
    /* Two prefixes overlap iff one contains the other, i.e. they agree on
     * the bits of the shorter mask. */
    SimIpv4 mask = sim_ipv4_mask(a->len < b->len ? a->len : b->len);
    return (a->addr & mask) == (b->addr & mask);
}

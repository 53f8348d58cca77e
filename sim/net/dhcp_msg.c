/* dhcp_msg.c - BOOTP/DHCP codec; see dhcp_msg.h for what is kept. */
#include "sim/net/dhcp_msg.h"

#include <string.h>

#include "sim/net/wire.h"

static gboolean fail(GError **error, int code, const char *what, unsigned v)
{
    g_set_error(error, SIM_WIRE_ERROR, code, "DHCP: %s (%u)", what, v);
    return FALSE;
}

/* Reads up to max addresses from an option body of n bytes (n % 4 == 0). */
static uint8_t get_addrs(const uint8_t *v, size_t n, SimIpv4 *out)
{
    size_t k = n / 4 < SIM_DHCP_MAX_ADDRS ? n / 4 : SIM_DHCP_MAX_ADDRS;
    memset(out, 0, SIM_DHCP_MAX_ADDRS * sizeof *out); /* a repeated option replaces */
    for (size_t i = 0; i < k; i++)
        out[i] = sim_wire_get32(v + 4 * i);
    return (uint8_t)k;
}

/* One known option. Lengths follow RFC 2132: an address 4, a list of
 * addresses a non-zero multiple of 4, a 32-bit time 4, the type 1. */
static gboolean option(SimDhcpMsg *m, uint8_t code, const uint8_t *v, size_t n, GError **error)
{
    gboolean four = n == 4, list = n >= 4 && n % 4 == 0;
    switch (code) {
    case SIM_DHCP_OPT_TYPE:
        if (n != 1 || v[0] < SIM_DHCPDISCOVER || v[0] > SIM_DHCPINFORM)
            return fail(error, SIM_WIRE_ERROR_MALFORMED, "bad message type option", n ? v[0] : 0);
        m->type = v[0];
        return TRUE;
    case SIM_DHCP_OPT_MASK:
    case SIM_DHCP_OPT_REQUESTED:
    case SIM_DHCP_OPT_SERVER_ID:
        if (!four)
            return fail(error, SIM_WIRE_ERROR_MALFORMED, "address option of wrong length", code);
        if (code == SIM_DHCP_OPT_MASK)
            m->has_mask = true, m->mask = sim_wire_get32(v);
        else if (code == SIM_DHCP_OPT_REQUESTED)
            m->has_requested = true, m->requested = sim_wire_get32(v);
        else
            m->has_server_id = true, m->server_id = sim_wire_get32(v);
        return TRUE;
    case SIM_DHCP_OPT_LEASE:
    case SIM_DHCP_OPT_T1:
    case SIM_DHCP_OPT_T2:
        if (!four)
            return fail(error, SIM_WIRE_ERROR_MALFORMED, "time option of wrong length", code);
        if (code == SIM_DHCP_OPT_LEASE)
            m->has_lease = true, m->lease = sim_wire_get32(v);
        else if (code == SIM_DHCP_OPT_T1)
            m->has_t1 = true, m->t1 = sim_wire_get32(v);
        else
            m->has_t2 = true, m->t2 = sim_wire_get32(v);
        return TRUE;
    case SIM_DHCP_OPT_ROUTER:
    case SIM_DHCP_OPT_DNS:
        if (!list)
            return fail(error, SIM_WIRE_ERROR_MALFORMED, "address list of wrong length", code);
        if (code == SIM_DHCP_OPT_ROUTER)
            m->n_routers = get_addrs(v, n, m->routers);
        else
            m->n_dns = get_addrs(v, n, m->dns);
        return TRUE;
    case SIM_DHCP_OPT_DOMAIN:
        if (n == 0 || memchr(v, 0, n))
            return fail(error, SIM_WIRE_ERROR_MALFORMED, "empty domain or NUL in it", (unsigned)n);
        n = MIN(n, SIM_DHCP_MAX_DOMAIN);
        memset(m->domain, 0, sizeof m->domain);
        memcpy(m->domain, v, n);
        m->domain[n] = '\0';
        return TRUE;
    case SIM_DHCP_OPT_PARAMS:
        if (n == 0)
            return fail(error, SIM_WIRE_ERROR_MALFORMED, "empty parameter request list", 0);
        m->n_params = (uint8_t)MIN(n, SIM_DHCP_MAX_PARAMS);
        memset(m->params, 0, sizeof m->params);
        memcpy(m->params, v, m->n_params);
        return TRUE;
    case SIM_DHCP_OPT_CLIENT_ID:
        if (n < 2) /* RFC 2132 §9.14: type plus at least one byte */
            return fail(error, SIM_WIRE_ERROR_MALFORMED, "client identifier too short",
                        (unsigned)n);
        m->clientid_len = (uint8_t)MIN(n, SIM_DHCP_MAX_CLIENTID);
        memset(m->clientid, 0, sizeof m->clientid);
        memcpy(m->clientid, v, m->clientid_len);
        return TRUE;
    default:
        return TRUE; /* not ours: skipped */
    }
}

gboolean sim_dhcp_msg_parse(const uint8_t *buf, size_t len, SimDhcpMsg *out, GError **error)
{
    memset(out, 0, sizeof *out);
    if (len < SIM_DHCP_MIN_LEN)
        return fail(error, SIM_WIRE_ERROR_TRUNCATED, "message shorter than 240 bytes",
                    (unsigned)len);
    if (buf[0] != SIM_DHCP_BOOTREQUEST && buf[0] != SIM_DHCP_BOOTREPLY)
        return fail(error, SIM_WIRE_ERROR_MALFORMED, "op is neither request nor reply", buf[0]);
    if (buf[1] != 1 || buf[2] != 6)
        return fail(error, SIM_WIRE_ERROR_UNSUPPORTED, "hardware type is not Ethernet", buf[1]);
    if (sim_wire_get32(buf + SIM_DHCP_FIXED_LEN) != SIM_DHCP_MAGIC)
        return fail(error, SIM_WIRE_ERROR_UNSUPPORTED, "no DHCP magic cookie", 0);
    out->op = buf[0];
    out->hops = buf[3];
    out->xid = sim_wire_get32(buf + 4);
    out->secs = sim_wire_get16(buf + 8);
    out->flags = sim_wire_get16(buf + 10);
    out->ciaddr = sim_wire_get32(buf + 12);
    out->yiaddr = sim_wire_get32(buf + 16);
    out->siaddr = sim_wire_get32(buf + 20);
    out->giaddr = sim_wire_get32(buf + 24);
    memcpy(out->chaddr.b, buf + 28, 6);
    for (size_t i = SIM_DHCP_MIN_LEN; i < len;) {
        uint8_t code = buf[i];
        if (code == SIM_DHCP_OPT_END)
            return TRUE;
        if (code == SIM_DHCP_OPT_PAD) {
            i++;
            continue;
        }
        if (i + 2 > len || i + 2 + buf[i + 1] > len)
            return fail(error, SIM_WIRE_ERROR_TRUNCATED, "option runs past the message", code);
        if (!option(out, code, buf + i + 2, buf[i + 1], error))
            return FALSE;
        i += 2 + (size_t)buf[i + 1];
    }
    return fail(error, SIM_WIRE_ERROR_TRUNCATED, "no end option", (unsigned)len);
}

static uint8_t *put_opt(uint8_t *p, uint8_t code, const void *v, size_t n)
{
    p[0] = code;
    p[1] = (uint8_t)n;
    memcpy(p + 2, v, n);
    return p + 2 + n;
}

static uint8_t *put_u32(uint8_t *p, uint8_t code, uint32_t v)
{
    uint8_t b[4];
    sim_wire_put32(b, v);
    return put_opt(p, code, b, 4);
}

static uint8_t *put_addrs(uint8_t *p, uint8_t code, const SimIpv4 *a, uint8_t n)
{
    uint8_t b[4 * SIM_DHCP_MAX_ADDRS];
    n = MIN(n, SIM_DHCP_MAX_ADDRS);
    for (uint8_t i = 0; i < n; i++)
        sim_wire_put32(b + 4 * i, a[i]);
    return n ? put_opt(p, code, b, 4u * n) : p;
}

size_t sim_dhcp_msg_emit(const SimDhcpMsg *m, uint8_t *buf)
{
    memset(buf, 0, SIM_DHCP_EMIT_MIN);
    buf[0] = m->op;
    buf[1] = 1;
    buf[2] = 6;
    buf[3] = m->hops;
    sim_wire_put32(buf + 4, m->xid);
    sim_wire_put16(buf + 8, m->secs);
    sim_wire_put16(buf + 10, m->flags);
    sim_wire_put32(buf + 12, m->ciaddr);
    sim_wire_put32(buf + 16, m->yiaddr);
    sim_wire_put32(buf + 20, m->siaddr);
    sim_wire_put32(buf + 24, m->giaddr);
    memcpy(buf + 28, m->chaddr.b, 6);
    sim_wire_put32(buf + SIM_DHCP_FIXED_LEN, SIM_DHCP_MAGIC);
    /* Worst case 209 bytes of options (3 + 34 + 6 * 6 + 2 * 18 + 65 + 34 +
     * 1), so the message stays under SIM_DHCP_MAX_LEN. */
    uint8_t *p = buf + SIM_DHCP_MIN_LEN;
    if (m->type != SIM_DHCP_NONE) {
        uint8_t t = (uint8_t)m->type;
        p = put_opt(p, SIM_DHCP_OPT_TYPE, &t, 1);
    }
    if (m->clientid_len)
        p = put_opt(p, SIM_DHCP_OPT_CLIENT_ID, m->clientid,
                    MIN(m->clientid_len, SIM_DHCP_MAX_CLIENTID));
    if (m->has_requested)
        p = put_u32(p, SIM_DHCP_OPT_REQUESTED, m->requested);
    if (m->has_server_id)
        p = put_u32(p, SIM_DHCP_OPT_SERVER_ID, m->server_id);
    if (m->has_lease)
        p = put_u32(p, SIM_DHCP_OPT_LEASE, m->lease);
    if (m->has_t1)
        p = put_u32(p, SIM_DHCP_OPT_T1, m->t1);
    if (m->has_t2)
        p = put_u32(p, SIM_DHCP_OPT_T2, m->t2);
    if (m->has_mask)
        p = put_u32(p, SIM_DHCP_OPT_MASK, m->mask);
    p = put_addrs(p, SIM_DHCP_OPT_ROUTER, m->routers, m->n_routers);
    p = put_addrs(p, SIM_DHCP_OPT_DNS, m->dns, m->n_dns);
    size_t dl = strnlen(m->domain, SIM_DHCP_MAX_DOMAIN);
    if (dl)
        p = put_opt(p, SIM_DHCP_OPT_DOMAIN, m->domain, dl);
    if (m->n_params)
        p = put_opt(p, SIM_DHCP_OPT_PARAMS, m->params, MIN(m->n_params, SIM_DHCP_MAX_PARAMS));
    *p++ = SIM_DHCP_OPT_END;
    size_t n = (size_t)(p - buf);
    return n < SIM_DHCP_EMIT_MIN ? SIM_DHCP_EMIT_MIN : n;
}

const char *sim_dhcp_type_name(SimDhcpType t)
{
    static const char *const names[] = {"BOOTP",       "DHCPDISCOVER", "DHCPOFFER",
                                        "DHCPREQUEST", "DHCPDECLINE",  "DHCPACK",
                                        "DHCPNAK",     "DHCPRELEASE",  "DHCPINFORM"};
    return (unsigned)t < G_N_ELEMENTS(names) ? names[t] : "DHCP?";
}

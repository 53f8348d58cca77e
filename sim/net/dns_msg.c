/* dns_msg.c - DNS codec; see dns_msg.h for loop protection and compression. */
#include "sim/net/dns_msg.h"

#include <stdio.h>
#include <string.h>

#include "sim/net/wire.h"

static gboolean fail(GError **error, int code, const char *what, size_t at)
{
    g_set_error(error, SIM_WIRE_ERROR, code, "DNS: %s at offset %zu", what, at);
    return FALSE;
}

static bool label_char_ok(uint8_t c)
{
    return c > 0x20 && c < 0x7f && c != '.' && c != '\\';
}

/* Reads the name at *off into out (text), decompressing. *off moves past
 * the name as it appears at that place (a pointer counts two bytes). */
static gboolean read_name(const uint8_t *buf, size_t len, size_t *off, char *out, GError **error)
{
    size_t pos = *off, run = *off, wire = 0, text = 0;
    bool jumped = false;
    out[0] = '\0';
    for (;;) {
        if (pos >= len)
            return fail(error, SIM_WIRE_ERROR_TRUNCATED, "name runs past the message", pos);
        uint8_t c = buf[pos];
        if ((c & 0xc0) == 0xc0) {
            if (pos + 2 > len)
                return fail(error, SIM_WIRE_ERROR_TRUNCATED, "pointer cut short", pos);
            size_t target = sim_wire_get16(buf + pos) & 0x3fff;
            if (target >= run)
                return fail(error, SIM_WIRE_ERROR_MALFORMED,
                            "compression pointer does not point backwards (loop)", pos);
            if (!jumped)
                *off = pos + 2;
            jumped = true;
            pos = run = target;
            continue;
        }
        if (c & 0xc0)
            return fail(error, SIM_WIRE_ERROR_MALFORMED, "reserved label type", pos);
        wire += 1u + c;
        if (wire > SIM_DNS_NAME_MAX)
            return fail(error, SIM_WIRE_ERROR_MALFORMED, "name longer than 255 bytes", pos);
        if (c == 0) {
            if (!jumped)
                *off = pos + 1;
            out[text] = '\0';
            return TRUE;
        }
        if (pos + 1 + c > len)
            return fail(error, SIM_WIRE_ERROR_TRUNCATED, "label runs past the message", pos);
        if (text)
            out[text++] = '.';
        for (size_t i = 0; i < c; i++) {
            uint8_t b = buf[pos + 1 + i];
            if (!label_char_ok(b))
                return fail(error, SIM_WIRE_ERROR_UNSUPPORTED, "label byte netsim cannot name",
                            pos + 1 + i);
            out[text++] = (char)b; /* wire <= 255 keeps text < 255 */
        }
        pos += 1u + c;
    }
}

static gboolean need(size_t off, size_t n, size_t len, GError **error)
{
    return off + n <= len ||
           fail(error, SIM_WIRE_ERROR_TRUNCATED, "record runs past the message", off);
}

/* RDATA of rr at [off, off + rdlen). */
static gboolean read_rdata(const uint8_t *buf, size_t off, size_t rdlen, SimDnsRr *rr,
                           GError **error)
{
    size_t end = off + rdlen, p = off;
    switch (rr->type) {
    case SIM_DNS_T_A:
        if (rdlen != 4)
            return fail(error, SIM_WIRE_ERROR_MALFORMED, "A record not 4 bytes", off);
        rr->a = sim_wire_get32(buf + off);
        return TRUE;
    case SIM_DNS_T_NS:
    case SIM_DNS_T_CNAME:
        if (!read_name(buf, end, &p, rr->target, error))
            return FALSE;
        break;
    case SIM_DNS_T_MX:
        if (rdlen < 3)
            return fail(error, SIM_WIRE_ERROR_MALFORMED, "MX record too short", off);
        rr->pref = sim_wire_get16(buf + off);
        p += 2;
        if (!read_name(buf, end, &p, rr->target, error))
            return FALSE;
        break;
    case SIM_DNS_T_SOA:
        if (!read_name(buf, end, &p, rr->target, error) ||
            !read_name(buf, end, &p, rr->rname, error))
            return FALSE;
        if (p + 20 != end)
            return fail(error, SIM_WIRE_ERROR_MALFORMED, "SOA record of wrong length", off);
        rr->serial = sim_wire_get32(buf + p);
        rr->refresh = sim_wire_get32(buf + p + 4);
        rr->retry = sim_wire_get32(buf + p + 8);
        rr->expire = sim_wire_get32(buf + p + 12);
        rr->minimum = sim_wire_get32(buf + p + 16);
        return TRUE;
    case SIM_DNS_T_TXT:
        if (rdlen == 0)
            return fail(error, SIM_WIRE_ERROR_MALFORMED, "empty TXT record", off);
        while (p < end) {
            size_t n = buf[p];
            if (p + 1 + n > end)
                return fail(error, SIM_WIRE_ERROR_MALFORMED, "TXT string past its record", p);
            size_t k = MIN(n, (size_t)SIM_DNS_MAX_TXT - rr->data_len);
            memcpy(rr->data + rr->data_len, buf + p + 1, k);
            rr->data_len = (uint16_t)(rr->data_len + k);
            p += 1 + n;
        }
        rr->data[rr->data_len] = '\0';
        return TRUE;
    default:
        if (rdlen > SIM_DNS_MAX_RAW)
            return fail(error, SIM_WIRE_ERROR_UNSUPPORTED, "unknown RDATA too long", off);
        memcpy(rr->data, buf + off, rdlen);
        rr->data_len = (uint16_t)rdlen;
        return TRUE;
    }
    /* A name-ending record must end where its name does. */
    return p == end || fail(error, SIM_WIRE_ERROR_MALFORMED, "RDATA longer than its name", p);
}

gboolean sim_dns_msg_parse(const uint8_t *buf, size_t len, SimDnsMsg *out, GError **error)
{
    memset(out, 0, offsetof(SimDnsMsg, qd));
    if (len < SIM_DNS_HLEN)
        return fail(error, SIM_WIRE_ERROR_TRUNCATED, "message shorter than its header", len);
    out->id = sim_wire_get16(buf);
    out->flags = sim_wire_get16(buf + 2);
    out->n_qd = sim_wire_get16(buf + 4);
    out->n_an = sim_wire_get16(buf + 6);
    out->n_ns = sim_wire_get16(buf + 8);
    out->n_ar = sim_wire_get16(buf + 10);
    size_t n_rr = (size_t)out->n_an + out->n_ns + out->n_ar;
    if (out->n_qd > SIM_DNS_MAX_QD || n_rr > SIM_DNS_MAX_RR)
        return fail(error, SIM_WIRE_ERROR_UNSUPPORTED, "more records than netsim keeps", 4);
    size_t off = SIM_DNS_HLEN;
    for (size_t i = 0; i < out->n_qd; i++) {
        SimDnsQuestion *q = &out->qd[i];
        if (!read_name(buf, len, &off, q->name, error) || !need(off, 4, len, error))
            return FALSE;
        q->type = sim_wire_get16(buf + off);
        q->klass = sim_wire_get16(buf + off + 2);
        off += 4;
    }
    for (size_t i = 0; i < n_rr; i++) {
        SimDnsRr *rr = &out->rr[i];
        memset(rr, 0, sizeof *rr);
        if (!read_name(buf, len, &off, rr->name, error) || !need(off, 10, len, error))
            return FALSE;
        rr->type = sim_wire_get16(buf + off);
        rr->klass = sim_wire_get16(buf + off + 2);
        /* RFC 2181 §8: a TTL with the top bit set is treated as zero. */
        uint32_t ttl = sim_wire_get32(buf + off + 4);
        rr->ttl = ttl & 0x80000000u ? 0 : ttl;
        size_t rdlen = sim_wire_get16(buf + off + 8);
        off += 10;
        if (!need(off, rdlen, len, error) || !read_rdata(buf, off, rdlen, rr, error))
            return FALSE;
        off += rdlen;
    }
    return TRUE;
}

/* Emission state: the buffer and the suffixes written so far. */
#define MAX_SUFFIX 128
typedef struct {
    uint8_t *buf;
    size_t cap, len;
    bool full;
    size_t n_sfx;
    uint16_t sfx_off[MAX_SUFFIX];
} Out;

static void put(Out *o, const void *v, size_t n)
{
    if (o->full || o->len + n > o->cap) {
        o->full = true;
        return;
    }
    memcpy(o->buf + o->len, v, n);
    o->len += n;
}

static void put16(Out *o, uint16_t v)
{
    uint8_t b[2];
    sim_wire_put16(b, v);
    put(o, b, 2);
}

static void put32(Out *o, uint32_t v)
{
    uint8_t b[4];
    sim_wire_put32(b, v);
    put(o, b, 4);
}

/* Does the name written at off equal the text suffix s (case-insensitive)? */
static bool written_equals(const Out *o, size_t off, const char *s)
{
    char text[SIM_DNS_NAME_BUF];
    size_t p = off;
    if (!read_name(o->buf, o->len, &p, text, NULL))
        return false;
    return g_ascii_strcasecmp(text, s) == 0;
}

static void put_name(Out *o, const char *name)
{
    const char *s = name;
    while (*s) {
        for (size_t i = 0; i < o->n_sfx; i++)
            if (written_equals(o, o->sfx_off[i], s)) {
                put16(o, (uint16_t)(0xc000 | o->sfx_off[i]));
                return;
            }
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        if (o->len < 0x4000 && o->n_sfx < MAX_SUFFIX && !o->full)
            o->sfx_off[o->n_sfx++] = (uint16_t)o->len;
        uint8_t l = (uint8_t)MIN(n, 63);
        put(o, &l, 1);
        put(o, s, l);
        s = dot ? dot + 1 : s + n;
    }
    put(o, "", 1);
}

static void put_rr(Out *o, const SimDnsRr *rr)
{
    put_name(o, rr->name);
    put16(o, rr->type);
    put16(o, rr->klass);
    put32(o, rr->ttl);
    size_t at = o->len;
    put16(o, 0); /* RDLENGTH, patched below */
    switch (rr->type) {
    case SIM_DNS_T_A:
        put32(o, rr->a);
        break;
    case SIM_DNS_T_NS:
    case SIM_DNS_T_CNAME:
        put_name(o, rr->target);
        break;
    case SIM_DNS_T_MX:
        put16(o, rr->pref);
        put_name(o, rr->target);
        break;
    case SIM_DNS_T_SOA:
        put_name(o, rr->target);
        put_name(o, rr->rname);
        put32(o, rr->serial);
        put32(o, rr->refresh);
        put32(o, rr->retry);
        put32(o, rr->expire);
        put32(o, rr->minimum);
        break;
    case SIM_DNS_T_TXT: {
        uint8_t l = (uint8_t)MIN(rr->data_len, SIM_DNS_MAX_TXT);
        put(o, &l, 1);
        put(o, rr->data, l);
        break;
    }
    default:
        put(o, rr->data, MIN(rr->data_len, SIM_DNS_MAX_RAW));
    }
    if (!o->full)
        sim_wire_put16(o->buf + at, (uint16_t)(o->len - at - 2));
}

size_t sim_dns_msg_emit(const SimDnsMsg *m, uint8_t *buf, size_t cap)
{
    Out o = {.buf = buf, .cap = cap};
    uint16_t counts[3] = {m->n_an, m->n_ns, m->n_ar}, sent[3] = {0, 0, 0};
    put16(&o, m->id);
    put16(&o, m->flags);
    put16(&o, m->n_qd);
    o.len += 6; /* section counts, written at the end */
    for (size_t i = 0; i < m->n_qd && i < SIM_DNS_MAX_QD; i++) {
        put_name(&o, m->qd[i].name);
        put16(&o, m->qd[i].type);
        put16(&o, m->qd[i].klass);
    }
    size_t k = 0;
    for (int s = 0; s < 3 && !o.full; s++)
        for (uint16_t i = 0; i < counts[s] && k < SIM_DNS_MAX_RR; i++, k++) {
            size_t mark = o.len, n_sfx = o.n_sfx;
            put_rr(&o, &m->rr[k]);
            if (o.full) { /* cut at the record boundary (RFC 2181 §9) */
                o.len = mark;
                o.n_sfx = n_sfx;
                break;
            }
            sent[s]++;
        }
    uint16_t flags = m->flags | (o.full ? SIM_DNS_TC : 0);
    sim_wire_put16(buf + 2, flags);
    for (int s = 0; s < 3; s++)
        sim_wire_put16(buf + 6 + 2 * s, sent[s]);
    return o.len;
}

const char *sim_dns_type_name(uint16_t type, char *buf)
{
    switch (type) {
    case SIM_DNS_T_A:
        return "A";
    case SIM_DNS_T_NS:
        return "NS";
    case SIM_DNS_T_CNAME:
        return "CNAME";
    case SIM_DNS_T_SOA:
        return "SOA";
    case SIM_DNS_T_MX:
        return "MX";
    case SIM_DNS_T_TXT:
        return "TXT";
    default:
        snprintf(buf, 12, "TYPE%u", type);
        return buf;
    }
}

const char *sim_dns_rcode_name(unsigned rcode)
{
    static const char *const names[] = {"NOERROR",  "FORMERR", "SERVFAIL",
                                        "NXDOMAIN", "NOTIMP",  "REFUSED"};
    return rcode < G_N_ELEMENTS(names) ? names[rcode] : "RCODE?";
}

SimDnsRr *sim_dns_msg_add_rr(SimDnsMsg *m, int section, const char *name, uint16_t type,
                             uint32_t ttl)
{
    size_t n = (size_t)m->n_an + m->n_ns + m->n_ar;
    if (n >= SIM_DNS_MAX_RR || section < 0 || section > 2)
        return NULL;
    SimDnsRr *rr = &m->rr[n];
    memset(rr, 0, sizeof *rr);
    g_strlcpy(rr->name, name, sizeof rr->name);
    rr->type = type;
    rr->klass = SIM_DNS_CLASS_IN;
    rr->ttl = ttl;
    if (section == 0)
        m->n_an++;
    else if (section == 1)
        m->n_ns++;
    else
        m->n_ar++;
    return rr;
}

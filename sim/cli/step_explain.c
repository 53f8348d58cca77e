/* step_explain.c - see step_explain.h. */
#include "sim/cli/step_explain.h"

#include "sim/link/node.h"
#include "sim/net/dissect.h"
#include "sim/net/packet.h"
#include "sim/link/network.h"

#include <stdbool.h>
#include <string.h>

typedef struct {
    GString *text;
    bool verb; /* reads after the node's name ("swA learned ..."), else "r1: ..." */
} Phrase;

typedef struct {
    const SimWorld *w;
    const char *node;
    GArray *phrases; /* Phrase */
    bool switching;  /* the node flooded, forwarded or filtered a frame */
    bool announced;  /* a record already said a frame is being sent */
    bool only_rx;
    bool routed, asked, sent_rx, dropped; /* to tell that a datagram waits for ARP */
} Sentence;

static bool is_port_number(const char *s)
{
    return s && *s && strspn(s, "0123456789") == strlen(s);
}

void sim_step_explain_ports(const char *list, GString *out)
{
    g_auto(GStrv) items = g_strsplit(list, ",", -1);
    guint n = g_strv_length(items);
    g_string_append(out, n == 1 ? "port " : "ports ");
    for (guint i = 0; i < n; i++) {
        const char *it = g_strstrip(items[i]);
        if (it[0] == 'p' && is_port_number(it + 1))
            it++;
        if (i > 0)
            g_string_append(out, i + 1 == n ? " and " : ", ");
        g_string_append(out, it);
    }
}

/* Copies text, turning each word "pN" (a switch port label) into "port N". */
static void append_port_words(GString *out, const char *text)
{
    for (const char *p = text; *p;) {
        bool word_start = p == text || p[-1] == ' ' || p[-1] == '(';
        size_t digits = p[0] == 'p' ? strspn(p + 1, "0123456789") : 0;
        char after = digits ? p[1 + digits] : 'x';
        if (word_start && digits &&
            (after == '\0' || after == ' ' || after == ',' || after == ')' || after == ';')) {
            /* "ingress port p2" must not become "port port 2" */
            if (!g_str_has_suffix(out->str, "port "))
                g_string_append(out, "port ");
            g_string_append_len(out, p + 1, (gssize)digits);
            p += 1 + digits;
        } else {
            g_string_append_c(out, *p++);
        }
    }
}

static void append_iface(GString *out, const char *iface)
{
    if (is_port_number(iface))
        g_string_append_printf(out, "port %s", iface);
    else
        g_string_append(out, iface ? iface : "?");
}

static void append_summary(GString *out, const SimPacket *p)
{
    char buf[SIM_DISSECT_SUMMARY_LEN];
    sim_dissect_summary(sim_packet_cdata(p), sim_packet_len(p), buf, sizeof buf);
    g_string_append(out, buf);
}

static GString *phrase(Sentence *s, bool verb)
{
    Phrase ph = {g_string_new(NULL), verb};
    g_array_append_val(s->phrases, ph);
    return ph.text;
}

/* "destination is broadcast" / "... multicast" / "destination X is unknown". */
static bool is_hub(const Sentence *s)
{
    const SimNode *n =
        s->w && s->node ? sim_network_find_node(sim_network_of(s->w), s->node) : NULL;
    return n && sim_node_kind(n) == SIM_NODE_HUB;
}

static void append_flood_cause(Sentence *s, GString *t, const SimTraceRecord *r)
{
    if (is_hub(s)) {
        g_string_append(t, "a hub repeats every frame");
        return;
    }
    const uint8_t *d =
        r->packet && sim_packet_len(r->packet) >= 6 ? sim_packet_cdata(r->packet) : NULL;
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    if (!d)
        g_string_append(t, "flooding");
    else if (memcmp(d, bcast, 6) == 0)
        g_string_append(t, "destination is broadcast");
    else if (d[0] & 1)
        g_string_append(t, "destination is multicast");
    else
        g_string_append_printf(t, "destination %02x:%02x:%02x:%02x:%02x:%02x is unknown", d[0],
                               d[1], d[2], d[3], d[4], d[5]);
}

static void explain_flood(Sentence *s, const SimTraceRecord *r)
{
    GString *t = phrase(s, false);
    append_flood_cause(s, t, r);
    const char *list = g_str_has_prefix(r->detail, "→ ") ? r->detail + strlen("→ ") : NULL;
    if (list && list[0] != '(') {
        g_string_append(t, is_hub(s) ? " → sent out of " : " → flooded to ");
        sim_step_explain_ports(list, t);
    } else {
        g_string_append_printf(t, " → %s", list ? list : r->detail);
    }
}

static void explain_forward(Sentence *s, const SimTraceRecord *r)
{
    GString *t = phrase(s, false);
    /* detail: "→ p1 (02:00:00:00:00:01 known on p1)" */
    const char *open = strchr(r->detail, '(');
    const char *close = open ? strrchr(open, ')') : NULL;
    if (g_str_has_prefix(r->detail, "→ ") && open && close) {
        g_autofree char *why = g_strndup(open + 1, (gsize)(close - open - 1));
        g_autofree char *out = g_strstrip(
            g_strndup(r->detail + strlen("→ "), (gsize)(open - r->detail - strlen("→ "))));
        g_string_append(t, "destination ");
        /* "02:00:00:00:00:01 known on p1" -> "... is known on port 1" */
        const char *known = strstr(why, " known on ");
        if (known) {
            g_string_append_len(t, why, known - why);
            g_string_append(t, " is");
            append_port_words(t, known);
        } else {
            append_port_words(t, why);
        }
        g_string_append(t, " → forwarded to ");
        sim_step_explain_ports(out, t);
        g_string_append(t, " only");
    } else {
        g_string_append(t, "forwarded ");
        append_port_words(t, r->detail);
    }
}

static void explain_route(Sentence *s, const SimTraceRecord *r)
{
    GString *t = phrase(s, false);
    /* The record line above keeps "(on-link)"; the sentence stays short. */
    const char *onlink = strstr(r->detail, " (on-link)");
    if (onlink) {
        g_string_append_len(t, r->detail, onlink - r->detail);
        g_string_append(t, onlink + strlen(" (on-link)"));
    } else {
        g_string_append(t, r->detail);
    }
}

static void explain_drop(Sentence *s, const SimTraceRecord *r)
{
    GString *t = phrase(s, true);
    g_string_append(t, "dropped ");
    if (r->packet)
        append_summary(t, r->packet);
    else if (strcmp(r->detail, sim_trace_reason_name(r->reason)) != 0 && *r->detail)
        g_string_append(t, r->detail);
    else
        g_string_append(t, "a datagram");
    g_string_append_printf(t, ": %s", sim_trace_reason_name(r->reason));
}

static void explain_tx(Sentence *s, const SimTraceRecord *r, const GArray *rx_uids)
{
    if (s->switching || s->announced || !r->packet)
        return;
    GString *t = phrase(s, true);
    uint64_t uid = sim_packet_uid(r->packet);
    bool forwarded = false;
    for (guint i = 0; i < rx_uids->len; i++)
        forwarded |= g_array_index(rx_uids, uint64_t, i) == uid;
    if (forwarded) {
        s->sent_rx = true;
        g_string_append(t, "forwarded it out of ");
    } else {
        g_string_append(t, "sent ");
        append_summary(t, r->packet);
        g_string_append(t, " on ");
    }
    append_iface(t, r->iface);
}

static void explain_rx(Sentence *s, const SimTraceRecord *r)
{
    if (!s->only_rx || !r->packet)
        return;
    GString *t = phrase(s, true);
    g_string_append(t, "received ");
    append_summary(t, r->packet);
    g_string_append(t, " on ");
    append_iface(t, r->iface);
}

/* Kinds whose detail is a complete statement: "r1: <detail>". */
static void explain_plain(Sentence *s, const SimTraceRecord *r, const char *lead)
{
    GString *t = phrase(s, lead != NULL && lead[0] != '\0' && lead[strlen(lead) - 1] == ' ');
    if (lead)
        g_string_append(t, lead);
    append_port_words(t, r->detail);
}

static void explain_record(Sentence *s, const SimTraceRecord *r, const GArray *rx_uids)
{
    switch (r->kind) {
    case SIM_TR_RX:
        explain_rx(s, r);
        break;
    case SIM_TR_TX:
        explain_tx(s, r, rx_uids);
        break;
    case SIM_TR_DROP:
        explain_drop(s, r);
        break;
    case SIM_TR_LEARN:
        explain_plain(s, r, strstr(r->detail, " moved from ") ? "saw " : "learned ");
        break;
    case SIM_TR_FLOOD:
        explain_flood(s, r);
        break;
    case SIM_TR_FORWARD:
        explain_forward(s, r);
        break;
    case SIM_TR_FILTER:
        explain_plain(s, r, NULL);
        g_string_append(g_array_index(s->phrases, Phrase, s->phrases->len - 1).text,
                        " → filtered, not forwarded");
        break;
    case SIM_TR_ROUTE:
        explain_route(s, r);
        break;
    case SIM_TR_ARP_REQUEST:
        explain_plain(s, r, strstr(r->detail, "unicast") ? "sent ARP " : "broadcast ARP ");
        s->announced = true;
        break;
    case SIM_TR_ARP_REPLY:
        explain_plain(s, r, "replied ");
        s->announced = true;
        break;
    case SIM_TR_ARP_LEARN:
        explain_plain(s, r, "cached ");
        break;
    case SIM_TR_DELIVER:
        explain_plain(s, r, "received ");
        break;
    case SIM_TR_ICMP:
        explain_plain(
            s, r, g_str_has_prefix(r->detail, "echo reply") ? "answered with ICMP " : "sent ICMP ");
        s->announced = true;
        break;
    case SIM_TR_TTL_EXCEEDED:
    case SIM_TR_UNREACHABLE:
        explain_plain(s, r, "answered with ");
        s->announced = true;
        break;
    case SIM_TR_FRAGMENT:
        explain_plain(s, r, "fragmented a ");
        s->announced = true;
        break;
    case SIM_TR_AGE:
        explain_plain(s, r, "aged out ");
        break;
    case SIM_TR_NAT: /* "home translated udp 192.168.1.10:40001 → 100.64.0.2:40001 (...)" */
        explain_plain(s, r, strstr(r->detail, " expired ") ? "forgot NAT mapping " : "translated ");
        break;
    case SIM_TR_LINK_DOWN:
        explain_plain(s, r, "link down: ");
        break;
    case SIM_TR_LINK_UP:
        explain_plain(s, r, "link up: ");
        break;
    case SIM_TR_APP:
    case SIM_TR_SHOW:
        break; /* printed verbatim above; nothing to add */
    default:
        explain_plain(s, r, NULL);
        break;
    }
}

static void sentence_flush(Sentence *s, const char *prefix, GString *out)
{
    if (s->phrases->len == 0)
        return;
    g_string_append(out, prefix);
    for (guint i = 0; i < s->phrases->len; i++) {
        const Phrase *ph = &g_array_index(s->phrases, Phrase, i);
        if (i == 0 && s->node)
            g_string_append_printf(out, "%s%s", s->node, ph->verb ? " " : ": ");
        else if (i > 0)
            g_string_append(out, "; ");
        g_string_append(out, ph->text->str);
    }
    g_string_append_c(out, '\n');
}

static void phrase_clear(void *p)
{
    g_string_free(((Phrase *)p)->text, TRUE);
}

static void explain_node(const SimTraceRecord *recs, guint n, const SimWorld *w, const char *node,
                         const char *prefix, GString *out)
{
    Sentence s = {.w = w,
                  .node = node,
                  .phrases = g_array_new(FALSE, FALSE, sizeof(Phrase)),
                  .only_rx = true};
    g_array_set_clear_func(s.phrases, phrase_clear);
    GArray *rx_uids = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    for (guint i = 0; i < n; i++) {
        const SimTraceRecord *r = &recs[i];
        if (g_strcmp0(r->node, node) != 0)
            continue;
        if (r->kind == SIM_TR_FLOOD || r->kind == SIM_TR_FORWARD || r->kind == SIM_TR_FILTER)
            s.switching = true;
        if (r->kind != SIM_TR_RX)
            s.only_rx = false;
        s.routed |= r->kind == SIM_TR_ROUTE;
        s.asked |= r->kind == SIM_TR_ARP_REQUEST;
        s.dropped |= r->kind == SIM_TR_DROP;
        if (r->kind == SIM_TR_RX && r->packet) {
            uint64_t uid = sim_packet_uid(r->packet);
            g_array_append_val(rx_uids, uid);
        }
    }
    for (guint i = 0; i < n; i++)
        if (g_strcmp0(recs[i].node, node) == 0)
            explain_record(&s, &recs[i], rx_uids);
    /* A router that received a datagram, routed it and had to ask ARP for
     * the next hop keeps it queued: say so, or the datagram seems lost. */
    if (rx_uids->len && s.routed && s.asked && !s.sent_rx && !s.dropped)
        g_string_append(phrase(&s, false), "the datagram waits for the ARP reply");
    sentence_flush(&s, prefix, out);
    g_array_free(rx_uids, TRUE);
    g_array_free(s.phrases, TRUE);
}

void sim_step_explain(const SimTraceRecord *recs, guint n, const SimWorld *w, const char *prefix,
                      GString *out)
{
    /* Nodes in order of first appearance; NULL (no node) is a node too. */
    for (guint i = 0; i < n; i++) {
        bool seen = false;
        for (guint j = 0; j < i && !seen; j++)
            seen = g_strcmp0(recs[j].node, recs[i].node) == 0;
        if (!seen)
            explain_node(recs, n, w, recs[i].node, prefix, out);
    }
}

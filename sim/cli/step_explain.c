/* step_explain.c - see step_explain.h.
 *
 * The sentences are for people, so they go through gettext: each phrase is
 * one translatable format with the record's parts (addresses, ports,
 * interfaces) as arguments, parsed back out of the English detail, so that
 * a translation can reorder them ("destination %s is known on %s" reads
 * "目的 MAC 地址 %s 位于%s"). The record lines above a sentence stay as the
 * trace writes them. A detail that does not parse keeps its English text.
 */
#include "sim/cli/step_explain.h"

#include "sim/cli/step_explain_proto.h"

#include "sim/link/node.h"
#include "sim/net/dissect.h"
#include "sim/net/packet.h"
#include "sim/link/network.h"

#include <glib/gi18n-lib.h>
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
    /* TRANSLATORS: before a list of switch port numbers, "port 2" / "ports 2 and 8". */
    g_string_append(out, g_dngettext(GETTEXT_PACKAGE, "port ", "ports ", n));
    for (guint i = 0; i < n; i++) {
        const char *it = g_strstrip(items[i]);
        if (it[0] == 'p' && is_port_number(it + 1))
            it++;
        if (i > 0)
            /* TRANSLATORS: separators in a list of ports: "2, 3 and 8". */
            g_string_append(out, i + 1 == n ? _(" and ") : _(", "));
        g_string_append(out, it);
    }
}

void sim_step_explain_port_words(GString *out, const char *text)
{
    for (const char *p = text; *p;) {
        bool word_start = p == text || p[-1] == ' ' || p[-1] == '(';
        size_t digits = p[0] == 'p' ? strspn(p + 1, "0123456789") : 0;
        char after = digits ? p[1 + digits] : 'x';
        if (word_start && digits &&
            (after == '\0' || after == ' ' || after == ',' || after == ')' || after == ';')) {
            /* "ingress port p2" must not become "port port 2" */
            g_autofree char *n = g_strndup(p + 1, digits);
            if (g_str_has_suffix(out->str, "port "))
                g_string_append(out, n);
            else
                g_string_append_printf(out, _("port %s"), n);
            p += 1 + digits;
        } else {
            g_string_append_c(out, *p++);
        }
    }
}

static void append_iface(GString *out, const char *iface)
{
    if (is_port_number(iface))
        g_string_append_printf(out, _("port %s"), iface);
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
        g_string_append(t, _("a hub repeats every frame"));
        return;
    }
    const uint8_t *d =
        r->packet && sim_packet_len(r->packet) >= 6 ? sim_packet_cdata(r->packet) : NULL;
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    if (!d) {
        g_string_append(t, _("flooding"));
    } else if (memcmp(d, bcast, 6) == 0) {
        g_string_append(t, _("destination is broadcast"));
    } else if (d[0] & 1) {
        g_string_append(t, _("destination is multicast"));
    } else {
        char mac[18];
        g_snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", d[0], d[1], d[2], d[3], d[4],
                   d[5]);
        g_string_append_printf(t, _("destination %s is unknown"), mac);
    }
}

static void explain_flood(Sentence *s, const SimTraceRecord *r)
{
    GString *t = phrase(s, false);
    append_flood_cause(s, t, r);
    const char *list = g_str_has_prefix(r->detail, "→ ") ? r->detail + strlen("→ ") : NULL;
    if (list && list[0] != '(') {
        g_autoptr(GString) ports = g_string_new(NULL);
        sim_step_explain_ports(list, ports);
        /* TRANSLATORS: follows the cause, "destination is broadcast"; %s: "ports 2 and 8". */
        g_string_append_printf(t, is_hub(s) ? _(" → sent out of %s") : _(" → flooded to %s"),
                               ports->str);
    } else if (list && strcmp(list, "(no other port is up)") == 0) {
        g_string_append_printf(t, " → %s", _("(no other port is up)"));
    } else {
        g_string_append_printf(t, " → %s", list ? list : r->detail);
    }
}

/* Splits "A<sep>B" at the first sep into a and b (caller frees); FALSE when
 * sep is absent. */
static bool split2(const char *s, const char *sep, char **a, char **b)
{
    const char *m = strstr(s, sep);
    if (!m)
        return false;
    *a = g_strndup(s, (gsize)(m - s));
    *b = g_strdup(m + strlen(sep));
    return true;
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
        g_autoptr(GString) ports = g_string_new(NULL);
        sim_step_explain_ports(out, ports);
        /* "02:00:00:00:00:01 known on p1" -> "... is known on port 1" */
        const char *known = strstr(why, " known on ");
        if (known) {
            g_autofree char *mac = g_strndup(why, (gsize)(known - why));
            g_autoptr(GString) where = g_string_new(NULL);
            g_autofree char *port = NULL, *vlan = NULL;
            if (split2(known + strlen(" known on "), " in vlan ", &port, &vlan)) {
                g_autoptr(GString) p = g_string_new(NULL);
                sim_step_explain_port_words(p, port);
                /* TRANSLATORS: where a MAC address is known: "port 1 in vlan 10". */
                g_string_append_printf(where, _("%s in vlan %s"), p->str, vlan);
            } else {
                sim_step_explain_port_words(where, known + strlen(" known on "));
            }
            g_string_append_printf(t, _("destination %s is known on %s → forwarded to %s only"),
                                   mac, where->str, ports->str);
        } else {
            g_autoptr(GString) w = g_string_new(NULL);
            sim_step_explain_port_words(w, why);
            g_string_append_printf(t, _("destination %s → forwarded to %s only"), w->str,
                                   ports->str);
        }
    } else {
        g_autoptr(GString) w = g_string_new(NULL);
        sim_step_explain_port_words(w, r->detail);
        g_string_append_printf(t, _("forwarded %s"), w->str);
    }
}

/* "DST matches PREFIX → IFACE[ via GW| (on-link)][, TTL A→B]" (ipv4_out.c)
 * in words; FALSE when the detail has another form. The record line above
 * keeps "(on-link)"; the English sentence stays short without it. */
static bool route_words(GString *t, const char *d)
{
    static const char arrow[] = " \xe2\x86\x92 "; /* " → " */
    const char *m = strstr(d, " matches ");
    const char *a = m ? strstr(m, arrow) : NULL;
    if (!a)
        return false;
    g_autofree char *dst = g_strndup(d, (gsize)(m - d));
    g_autofree char *pfx = g_strndup(m + strlen(" matches "), (gsize)(a - m - strlen(" matches ")));
    const char *rest = a + strlen(arrow);
    gsize n = strcspn(rest, " ,");
    g_autofree char *out = g_strndup(rest, n);
    rest += n;
    g_autofree char *gw = NULL;
    if (g_str_has_prefix(rest, " via ")) {
        rest += strlen(" via ");
        n = strcspn(rest, " ,");
        gw = g_strndup(rest, n);
        rest += n;
    } else if (g_str_has_prefix(rest, " (on-link)")) {
        rest += strlen(" (on-link)");
    }
    const char *ttl = g_str_has_prefix(rest, ", TTL ") ? rest + strlen(", TTL ") : NULL;
    if (*rest && !ttl)
        return false;
    if (gw)
        /* TRANSLATORS: a routing decision: destination, matched prefix, interface, gateway. */
        g_string_append_printf(t, _("%s matches %s → %s via %s"), dst, pfx, out, gw);
    else
        /* TRANSLATORS: a routing decision to a directly connected (on-link) destination. */
        g_string_append_printf(t, _("%s matches %s → %s"), dst, pfx, out);
    if (ttl)
        /* TRANSLATORS: %s is "64→63": the TTL before and after the router. */
        g_string_append_printf(t, _(", TTL %s"), ttl);
    return true;
}

static void explain_route(Sentence *s, const SimTraceRecord *r)
{
    GString *t = phrase(s, false);
    if (!route_words(t, r->detail))
        g_string_append(t, r->detail);
}

/* The drop reasons of sim/core/trace.c, marked here for translation (the
 * trace itself keeps them in English: they are JSON values). */
static const char *const reason_words[] G_GNUC_UNUSED = {
    N_("queue full"),
    N_("link loss"),
    N_("link down"),
    N_("TTL expired"),
    N_("no route"),
    N_("no ARP reply"),
    N_("ARP queue full"),
    N_("bad checksum"),
    N_("needs fragmentation, DF set"),
    N_("not for us"),
    N_("reassembly timeout"),
    N_("reassembly memory limit"),
    N_("VLAN mismatch"),
    N_("STP blocking"),
    N_("malformed"),
    N_("no listener"),
    N_("broadcast not forwarded"),
    N_("interface not connected"),
    N_("buffer memory limit"),
    N_("NAT"),
    N_("private destination"),
};

static const char *reason_text(SimDropReason reason)
{
    const char *why = sim_trace_reason_name(reason);
    return *why ? _(why) : why; /* _("") would be the catalogue's header */
}

static void explain_drop(Sentence *s, const SimTraceRecord *r)
{
    GString *t = phrase(s, true);
    g_autoptr(GString) what = g_string_new(NULL);
    if (r->packet)
        append_summary(what, r->packet);
    else if (strcmp(r->detail, sim_trace_reason_name(r->reason)) != 0 && *r->detail)
        g_string_append(what, r->detail);
    else
        g_string_append(what, _("a datagram"));
    /* TRANSLATORS: what was dropped, then the reason ("not for us"). */
    g_string_append_printf(t, _("dropped %s: %s"), what->str, reason_text(r->reason));
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
    g_autoptr(GString) where = g_string_new(NULL);
    append_iface(where, r->iface);
    if (forwarded) {
        s->sent_rx = true;
        g_string_append_printf(t, _("forwarded it out of %s"), where->str);
    } else {
        g_autoptr(GString) what = g_string_new(NULL);
        append_summary(what, r->packet);
        g_string_append_printf(t, _("sent %s on %s"), what->str, where->str);
    }
}

static void explain_rx(Sentence *s, const SimTraceRecord *r)
{
    if (!s->only_rx || !r->packet)
        return;
    GString *t = phrase(s, true);
    g_autoptr(GString) what = g_string_new(NULL), where = g_string_new(NULL);
    append_summary(what, r->packet);
    append_iface(where, r->iface);
    g_string_append_printf(t, _("received %s on %s"), what->str, where->str);
}

/* "<node> <fmt with the detail>" (fmt: a translated format with one %s), or
 * with fmt NULL a detail that is a complete statement: "r1: <detail>". */
static void explain_plain(Sentence *s, const SimTraceRecord *r, const char *fmt)
{
    GString *t = phrase(s, fmt != NULL);
    g_autoptr(GString) d = g_string_new(NULL);
    sim_step_explain_port_words(d, r->detail);
    if (fmt)
        g_string_append_printf(t, fmt, d->str);
    else
        g_string_append(t, d->str);
}

/* MAC learning: "MAC on pN" or "MAC moved from pA to pB" (switch.c). */
static void explain_learn(Sentence *s, const SimTraceRecord *r)
{
    g_autofree char *mac = NULL, *where = NULL, *from = NULL, *to = NULL;
    g_autoptr(GString) p1 = g_string_new(NULL), p2 = g_string_new(NULL);
    if (split2(r->detail, " moved from ", &mac, &where) && split2(where, " to ", &from, &to) &&
        !strchr(to, ' ')) {
        sim_step_explain_port_words(p1, from);
        sim_step_explain_port_words(p2, to);
        g_string_append_printf(phrase(s, true), _("saw %s move from %s to %s"), mac, p1->str,
                               p2->str);
    } else if (!mac && split2(r->detail, " on ", &mac, &where) && !strchr(where, ' ')) {
        sim_step_explain_port_words(p1, where);
        g_string_append_printf(phrase(s, true), _("learned %s on %s"), mac, p1->str);
    } else {
        explain_plain(s, r, _("learned %s"));
    }
}

/* The parenthesis after a request (arp.c send_request, send_acd): a
 * unicast probe of a cached MAC, or RFC 5227's probe and announcement. */
static void append_arp_request_note(GString *t, const char *note)
{
    static const char probe[] = " (unicast probe to ";
    gsize len = strlen(note);
    if (g_str_has_prefix(note, probe) && note[len - 1] == ')') {
        g_autofree char *mac = g_strndup(note + strlen(probe), len - strlen(probe) - 1);
        g_string_append_printf(t, _(" (unicast probe to %s)"), mac);
    } else if (strcmp(note, " (ARP probe)") == 0) {
        g_string_append(t, _(" (ARP probe)"));
    } else if (strcmp(note, " (ARP announcement)") == 0) {
        g_string_append(t, _(" (ARP announcement)"));
    } else {
        g_string_append(t, note);
    }
}

/* "who-has T tell S[ (…)]" (arp.c). */
static void explain_arp_request(Sentence *s, const SimTraceRecord *r)
{
    bool unicast = strstr(r->detail, "unicast") != NULL;
    g_autofree char *target = NULL, *rest = NULL;
    if (!g_str_has_prefix(r->detail, "who-has ") ||
        !split2(r->detail + strlen("who-has "), " tell ", &target, &rest)) {
        explain_plain(s, r, unicast ? _("sent ARP %s") : _("broadcast ARP %s"));
        return;
    }
    gsize n = strcspn(rest, " ");
    g_autofree char *sender = g_strndup(rest, n);
    GString *t = phrase(s, true);
    g_string_append_printf(
        t, unicast ? _("sent ARP who-has %s tell %s") : _("broadcast ARP who-has %s tell %s"),
        target, sender);
    append_arp_request_note(t, rest + n);
}

/* The parenthesis after an ARP detail: " (to IP)" of a reply, or " (HOW,
 * STATE)" of a cache entry, where HOW is arp.c's word for what happened and
 * STATE the Linux neighbour state, which stays as `ip neigh` prints it. */
static void append_arp_note(GString *t, const char *note)
{
    static const char *const how[] = {N_("new"), N_("resolved"), N_("changed"), N_("confirmed")};
    gsize len = strlen(note);
    g_autofree char *inner = g_str_has_prefix(note, " (") && len > 3 && note[len - 1] == ')'
                                 ? g_strndup(note + 2, len - 3)
                                 : NULL;
    const char *comma = inner ? strstr(inner, ", ") : NULL;
    if (inner && g_str_has_prefix(inner, "to ")) {
        g_string_append_printf(t, _(" (to %s)"), inner + 3);
        return;
    }
    for (guint i = 0; comma && i < G_N_ELEMENTS(how); i++) {
        if (strlen(how[i]) == (size_t)(comma - inner) && g_str_has_prefix(inner, how[i])) {
            /* TRANSLATORS: what happened to an ARP cache entry, then its state (REACHABLE…). */
            g_string_append_printf(t, _(" (%s, %s)"), _(how[i]), comma + 2);
            return;
        }
    }
    g_string_append(t, note);
}

/* "IP is-at MAC (…)" (arp.c): a reply sent, or an entry cached. */
static void explain_arp_is_at(Sentence *s, const SimTraceRecord *r, bool reply)
{
    g_autofree char *ip = NULL, *rest = NULL;
    if (!split2(r->detail, " is-at ", &ip, &rest)) {
        explain_plain(s, r, reply ? _("replied %s") : _("cached %s"));
        return;
    }
    gsize n = strcspn(rest, " ");
    g_autofree char *mac = g_strndup(rest, n);
    GString *t = phrase(s, true);
    /* TRANSLATORS: ARP: "replied 10.0.0.2 is-at 02:00:00:00:00:01", then "(to 10.0.0.1)" as is. */
    g_string_append_printf(t, reply ? _("replied %s is-at %s") : _("cached %s is-at %s"), ip, mac);
    append_arp_note(t, rest + n);
}

/* "destination MAC is on ingress port pN" (switch.c). */
static void explain_filter(Sentence *s, const SimTraceRecord *r)
{
    static const char lead[] = "destination ", mid[] = " is on ingress port ";
    const char *m = strstr(r->detail, mid);
    GString *t = phrase(s, false);
    if (g_str_has_prefix(r->detail, lead) && m) {
        g_autofree char *mac =
            g_strndup(r->detail + strlen(lead), (gsize)(m - r->detail) - strlen(lead));
        g_autoptr(GString) port = g_string_new(NULL);
        sim_step_explain_port_words(port, m + strlen(mid));
        g_string_append_printf(t, _("destination %s is on ingress %s → filtered, not forwarded"),
                               mac, port->str);
    } else {
        sim_step_explain_port_words(t, r->detail);
        g_string_append(t, _(" → filtered, not forwarded"));
    }
}

/* STP, TCP, VLAN and NAT decisions (step_explain_proto.c); FALSE when r is
 * none of those or has a detail of a shape it does not know. */
static bool explain_proto(Sentence *s, const SimTraceRecord *r)
{
    g_autoptr(GString) t = g_string_new(NULL);
    bool verb = false;
    if (!sim_step_explain_proto(r, t, &verb))
        return false;
    g_string_append(phrase(s, verb), t->str);
    s->announced |= sim_step_explain_proto_announces(r);
    return true;
}

static void explain_record(Sentence *s, const SimTraceRecord *r, const GArray *rx_uids)
{
    if (explain_proto(s, r))
        return;
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
        explain_learn(s, r);
        break;
    case SIM_TR_FLOOD:
        explain_flood(s, r);
        break;
    case SIM_TR_FORWARD:
        explain_forward(s, r);
        break;
    case SIM_TR_FILTER:
        explain_filter(s, r);
        break;
    case SIM_TR_ROUTE:
        explain_route(s, r);
        break;
    case SIM_TR_ARP_REQUEST:
        explain_arp_request(s, r);
        s->announced = true;
        break;
    case SIM_TR_ARP_REPLY:
        explain_arp_is_at(s, r, true);
        s->announced = true;
        break;
    case SIM_TR_ARP_LEARN:
        explain_arp_is_at(s, r, false);
        break;
    case SIM_TR_DELIVER:
        explain_plain(s, r, _("received %s"));
        break;
    case SIM_TR_ICMP:
        explain_plain(s, r,
                      g_str_has_prefix(r->detail, "echo reply") ? _("answered with ICMP %s")
                                                                : _("sent ICMP %s"));
        s->announced = true;
        break;
    case SIM_TR_TTL_EXCEEDED:
    case SIM_TR_UNREACHABLE:
        explain_plain(s, r, _("answered with %s"));
        s->announced = true;
        break;
    case SIM_TR_FRAGMENT:
        explain_plain(s, r, _("fragmented a %s"));
        s->announced = true;
        break;
    case SIM_TR_AGE:
        explain_plain(s, r, _("aged out %s"));
        break;
    case SIM_TR_NAT: /* "home translated udp 192.168.1.10:40001 → 100.64.0.2:40001 (...)" */
        explain_plain(
            s, r, strstr(r->detail, " expired ") ? _("forgot NAT mapping %s") : _("translated %s"));
        break;
    case SIM_TR_LINK_DOWN:
        explain_plain(s, r, _("link down: %s"));
        break;
    case SIM_TR_LINK_UP:
        explain_plain(s, r, _("link up: %s"));
        break;
    case SIM_TR_APP:
    case SIM_TR_SHOW:
        break; /* printed verbatim above; nothing to add */
    default:
        explain_plain(s, r, NULL);
        break;
    }
}

/* The node's label when it has one: the sentence is for people. */
static const char *display_name(const Sentence *s)
{
    const SimNode *n = s->w ? sim_network_find_node(sim_network_of(s->w), s->node) : NULL;
    return n ? sim_node_display_name(n) : s->node;
}

static void sentence_flush(Sentence *s, const char *prefix, GString *out)
{
    if (s->phrases->len == 0)
        return;
    g_string_append(out, prefix);
    for (guint i = 0; i < s->phrases->len; i++) {
        const Phrase *ph = &g_array_index(s->phrases, Phrase, i);
        if (i == 0 && s->node)
            /* TRANSLATORS: between a device's name and a statement about it, "r1: …". */
            g_string_append_printf(out, "%s%s", display_name(s), ph->verb ? " " : _(": "));
        else if (i > 0)
            /* TRANSLATORS: between the phrases of one device's sentence. */
            g_string_append(out, _("; "));
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
        g_string_append(phrase(&s, false), _("the datagram waits for the ARP reply"));
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

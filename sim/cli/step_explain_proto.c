/* step_explain_proto.c - see step_explain_proto.h.
 *
 * A pattern is matched left to right: a literal must be next in the detail,
 * a "{}" takes everything up to the first occurrence of the literal after
 * it, except that a pattern's last literal is anchored at the end of the
 * detail, so that a reason holding parentheses of its own ("(a new root
 * port forwards at once (802.1D-2004 17.29.2))") is one part. There is no
 * backtracking: the tables are ordered so that the first match is the
 * right one, and a miss only means the English detail is kept. Every
 * search is bounded by the detail's NUL.
 */
#include "sim/cli/step_explain_proto.h"

#include "sim/cli/step_explain.h"
#include "sim/net/bpdu.h"
#include "sim/net/packet.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

/* A plural pair in a table, for xgettext (po/update.sh: --keyword=NP_:1,2). */
#define NP_(singular, plural) singular, plural

/* How a part is put in words:
 *   .  as it is (numbers, addresses, TCP state names, protocol names)
 *   p  a port label: "p24" -> "port 24"
 *   l  a port list: "p23,p24" -> "ports 23 and 24"
 *   r  an STP port role, s an STP port state (anything else: no match)
 *   w  a reason: a known phrase, a known shape (why_pats), else ports in words
 *   f  a BPDU's fields, from the record's frame
 *   e  the remote end of a TCP connection "L > R": R */
typedef struct {
    const char *pat;    /* the producer's format, "{}" for each part */
    const char *msgid;  /* one %s per part, in order */
    const char *plural; /* NULL, or msgid's plural; part `count` is the number */
    const char *parts;  /* one letter per part, see above */
    bool verb;
    int count;
} Pat;

#define MAX_PARTS 7

/* The parts of s as pat reads them (a NULL-terminated vector), or NULL. */
static char **match(const char *s, const char *pat)
{
    GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
    bool ok = true;
    for (const char *p = pat; *p && ok;) {
        bool part = g_str_has_prefix(p, "{}");
        if (part)
            p += 2;
        const char *next = strstr(p, "{}");
        gsize n = next ? (gsize)(next - p) : strlen(p);
        if (!part) {
            ok = strncmp(s, p, n) == 0;
            s += ok ? n : 0;
            p += n;
            continue;
        }
        const char *end = NULL;
        if (!next) { /* the last literal: anchored at the end */
            gsize len = strlen(s);
            end = len >= n && strcmp(s + len - n, p) == 0 ? s + len - n : NULL;
        } else if (n) {
            g_autofree char *lit = g_strndup(p, n);
            end = strstr(s, lit);
        }
        ok = end && end > s;
        if (ok) {
            g_ptr_array_add(parts, g_strndup(s, (gsize)(end - s)));
            s = end;
        }
    }
    if (!ok || *s || parts->len > MAX_PARTS) {
        g_ptr_array_free(parts, TRUE);
        return NULL;
    }
    g_ptr_array_add(parts, NULL);
    return (char **)g_ptr_array_free(parts, FALSE);
}

/* ---- words ------------------------------------------------------------------ */

/* The reasons the producers put in parentheses or after a colon: closed
 * sets of string literals (stp.c, stp_rx.c, tcp*.c, nat.c). */
static const char *const phrases[] = {
    /* STP: why a role, state or BPDU changed (the argument of set_role,
     * set_state, stp_send_config, stp_topology_change …) */
    N_("power on"),
    N_("link up"),
    N_("link down"),
    N_("the root port's link went down"),
    N_("new information"),
    N_("hello timer"),
    N_("no acknowledgement yet"),
    N_("topology change"),
    N_("acknowledge TCN"),
    N_("reply to inferior information"),
    N_("relaying the root's BPDU"),
    N_("agreement: all other designated ports are synced"),
    N_("proposal after sync"),
    N_("agreement: still synced"),
    N_("an alternate port agrees: it discards anyway"),
    N_("backup port"),
    N_("alternate port"),
    N_("root port"),
    N_("designated port"),
    N_("edge port"),
    N_("a new root port forwards at once (802.1D-2004 17.29.2)"),
    N_("former root port re-syncs as designated"),
    N_("sync: the root port heard a proposal"),
    N_("sync"),
    N_("agreement received: the neighbour has synced (802.1D-2004 17.29.3)"),
    N_("no BPDU heard for the 3 s migrate time: an edge port (802.1D-2004 17.25)"),
    N_("no BPDU heard for max age on a shared LAN: an edge port (802.1D-2004 17.25)"),
    N_("a port started forwarding"),
    N_("a forwarding port was blocked"),
    N_("this bridge became the root"),
    N_("TCN from an 802.1D neighbour"),
    N_("this bridge is the root"),
    N_("topology change time over"),
    N_("heard from the root"),
    N_("the bridge"),
    N_("3 x hello"),
    N_("max age"),
    /* STP: what a bridge made of a BPDU (stp_rx.c's verdicts) */
    N_("ignored, not a designated port"),
    N_("acknowledge it and pass the change toward the root"),
    N_("the neighbour agrees"),
    N_("from a root or alternate port: only its TC counts"),
    N_("from a root or alternate port, nothing to record"),
    N_("worse than ours: this port stays designated and replies"),
    N_("worse than the recorded information: ignored"),
    N_("same as recorded, timer restarted"),
    N_("worse news from the designated bridge, recorded"),
    N_("better than recorded, recorded"),
    N_("ignored: an 802.1D-1998 bridge knows no RST BPDU"),
    N_("message age reached max age: discarded"),
    /* TCP: why the state changed (tcp_set_state's callers), why a segment
     * is resent, and the errors (strerror's words, which glibc translates) */
    N_("listen"),
    N_("connect"),
    N_("shutdown"),
    N_("close after the peer's FIN"),
    N_("close"),
    N_("abort"),
    N_("FIN received, ours acknowledged"),
    N_("FIN received"),
    N_("FIN received: simultaneous close"),
    N_("SYN received"),
    N_("SYN received: simultaneous open"),
    N_("close before the handshake ended"),
    N_("SYN, ACK received"),
    N_("ACK of our SYN"),
    N_("our FIN acknowledged"),
    N_("FIN retransmitted"),
    N_("RST"),
    N_("2 MSL elapsed"),
    N_("fast retransmit"),
    N_("partial ACK"),
    N_("offered"),
    N_("not offered"),
    N_("connect fails"),
    N_("soft error, ignored"),
    N_("Connection refused"),
    N_("Connection reset by peer"),
    N_("Connection timed out"),
    N_("No route to host"),
    /* NAT: what a rewrite was (nat.c) */
    N_("new mapping"),
    N_("existing mapping"),
    N_("reply"),
    N_("port forward"),
    N_("reply to the router itself"),
    N_("ICMP error: quoted header translated"),
    N_("the router's own ICMP error: quoted header translated back"),
    /* IP: why a segment or datagram could not be sent (ipv4_out.c's
     * GErrors; strerror's words, which glibc translates) */
    N_("Network is unreachable"),
    /* ICMP: the reasons in an error's parentheses (icmp.c trace_error) */
    N_("TTL expired in transit"),
    N_("fragment reassembly time exceeded"),
    N_("net unreachable"),
    N_("host unreachable"),
    N_("protocol unreachable"),
    N_("port unreachable"),
    N_("fragmentation needed"),
    N_("source route failed"),
    N_("destination net unknown"),
    N_("destination host unknown"),
    N_("unreachable"),
    /* ICMP: why no error is sent (icmp.c no_error_reason, RFC 1122 3.2.2) */
    N_("it is a non-first fragment"),
    N_("it was sent to a broadcast or multicast address"),
    N_("its source is not a unicast host"),
    N_("it is an ICMP error itself"),
};

/* Reasons with a part of their own. */
static const Pat why_pats[] = {
    {"BPDU on {}", N_("BPDU on %s"), NULL, "p", false, -1},
    {"TC heard on {}", N_("TC heard on %s"), NULL, "p", false, -1},
    {"forward delay {}s expired", N_("forward delay %ss expired"), NULL, ".", false, -1},
    {"information on {} aged out after {}", N_("information on %s aged out after %s"), NULL, "pw",
     false, -1},
    {"message too long, mtu={}", N_("message too long, mtu=%s"), NULL, ".", false, -1},
};

static bool render(GString *out, const SimTraceRecord *r, const char *s, const Pat *pats, gsize n,
                   bool *verb);

static void put_why(GString *out, const SimTraceRecord *r, const char *why)
{
    for (gsize i = 0; i < G_N_ELEMENTS(phrases); i++) {
        if (strcmp(why, phrases[i]) == 0) {
            g_string_append(out, _(phrases[i]));
            return;
        }
    }
    bool verb;
    if (!render(out, r, why, why_pats, G_N_ELEMENTS(why_pats), &verb))
        sim_step_explain_port_words(out, why);
}

/* sim_stp_role_name's and sim_stp_state_name's words. */
static const char *const roles[] = {NC_("STP role", "disabled"), NC_("STP role", "root"),
                                    NC_("STP role", "designated"), NC_("STP role", "alternate"),
                                    NC_("STP role", "backup")};
static const char *const states[] = {
    NC_("STP state", "disabled"), NC_("STP state", "blocking"),   NC_("STP state", "listening"),
    NC_("STP state", "learning"), NC_("STP state", "forwarding"), NC_("STP state", "discarding")};

static bool put_word(GString *out, const char *ctx, const char *const *words, gsize n,
                     const char *w)
{
    for (gsize i = 0; i < n; i++) {
        if (strcmp(w, words[i]) == 0) {
            g_string_append(out, g_dpgettext2(GETTEXT_PACKAGE, ctx, words[i]));
            return true;
        }
    }
    return false;
}

/* "root 4096.02:b0:00:00:00:04 cost 0 bridge … port 128.1 age 0s, proposal"
 * from the frame; FALSE when the record carries no configuration BPDU. */
static bool put_bpdu_fields(GString *out, const SimTraceRecord *r)
{
    SimBpdu b;
    if (!r->packet ||
        !sim_bpdu_parse(sim_packet_cdata(r->packet), sim_packet_len(r->packet), &b, NULL) ||
        b.type == SIM_BPDU_TYPE_TCN)
        return false;
    char root[SIM_BRIDGE_ID_STRLEN], br[SIM_BRIDGE_ID_STRLEN], pid[SIM_PORT_ID_STRLEN];
    /* TRANSLATORS: a BPDU's fields: root bridge id, root path cost, sending
     * bridge id, port id, message age in seconds. */
    g_string_append_printf(out, _("root %s cost %u bridge %s port %s age %us"),
                           sim_bridge_id_format(b.root_id, root), b.root_cost,
                           sim_bridge_id_format(b.bridge_id, br),
                           sim_port_id_format(b.port_id, pid), b.message_age / 256);
    if (b.flags & SIM_BPDU_F_TC)
        g_string_append(out, _(", TC"));
    if (b.flags & SIM_BPDU_F_TCA)
        g_string_append(out, _(", TCA"));
    if (b.type == SIM_BPDU_TYPE_RST && (b.flags & SIM_BPDU_F_PROPOSAL))
        g_string_append(out, _(", proposal"));
    if (b.type == SIM_BPDU_TYPE_RST && (b.flags & SIM_BPDU_F_AGREEMENT))
        g_string_append(out, _(", agreement"));
    return true;
}

static bool put_part(GString *out, const SimTraceRecord *r, char how, const char *part)
{
    const char *gt;
    switch (how) {
    case '.':
        g_string_append(out, part);
        return true;
    case 'p':
        sim_step_explain_port_words(out, part);
        return true;
    case 'l':
        sim_step_explain_ports(part, out);
        return true;
    case 'r':
        return put_word(out, "STP role", roles, G_N_ELEMENTS(roles), part);
    case 's':
        return put_word(out, "STP state", states, G_N_ELEMENTS(states), part);
    case 'w':
        put_why(out, r, part);
        return true;
    case 'f':
        return put_bpdu_fields(out, r);
    case 'e':
        gt = strstr(part, " > ");
        g_string_append(out, gt ? gt + 3 : part);
        return true;
    default:
        return false;
    }
}

/* pt's sentence from its parts; FALSE when a part is not a word it knows. */
static bool render_one(GString *out, const SimTraceRecord *r, const Pat *pt, char **parts)
{
    guint n = g_strv_length(parts);
    if (n != strlen(pt->parts) || n > MAX_PARTS)
        return false;
    GString *words[MAX_PARTS] = {NULL};
    const char *a[MAX_PARTS];
    bool ok = true;
    for (guint k = 0; k < MAX_PARTS; k++) {
        words[k] = g_string_new(NULL);
        if (k < n && ok)
            ok = put_part(words[k], r, pt->parts[k], parts[k]);
        a[k] = words[k]->str;
    }
    if (ok) {
        const char *fmt = pt->plural && pt->count >= 0 && (guint)pt->count < n
                              ? g_dngettext(GETTEXT_PACKAGE, pt->msgid, pt->plural,
                                            strtoul(parts[pt->count], NULL, 10))
                              : _(pt->msgid);
        g_string_append_printf(out, fmt, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    }
    for (guint k = 0; k < MAX_PARTS; k++)
        g_string_free(words[k], TRUE);
    return ok;
}

/* The first of pats that matches s, in words; FALSE when none does. */
static bool render(GString *out, const SimTraceRecord *r, const char *s, const Pat *pats, gsize n,
                   bool *verb)
{
    for (gsize i = 0; i < n; i++) {
        g_auto(GStrv) parts = match(s, pats[i].pat);
        if (parts && render_one(out, r, &pats[i], parts)) {
            *verb = pats[i].verb;
            return true;
        }
    }
    return false;
}

/* ---- the records' shapes ---------------------------------------------------------- */

/* sim/l2/stp.c and stp_rx.c: roles, states, the root, topology change. */
static const Pat stp_pats[] = {
    {"{} role {} → {} ({})", N_("%s role %s → %s (%s)"), NULL, "prrw", false, -1},
    {"{} {}: {} → {} ({})", N_("%s %s: %s → %s (%s)"), NULL, "prssw", false, -1},
    {"{}: {} → {} ({})", N_("%s: %s → %s (%s)"), NULL, "pssw", false, -1},
    {"topology change on {} ({}): flush MAC entries of the other ports, TC to the neighbours",
     N_("topology change on %s (%s): flush MAC entries of the other ports, TC to the neighbours"),
     NULL, "ww", false, -1},
    {"topology change on {} ({}): the root sets TC in its BPDUs",
     N_("topology change on %s (%s): the root sets TC in its BPDUs"), NULL, "ww", false, -1},
    {"topology change on {} ({}): TCN to the root until acknowledged",
     N_("topology change on %s (%s): TCN to the root until acknowledged"), NULL, "ww", false, -1},
    {"topology change flag set ({}): MAC entries age after the forward delay, {}s",
     N_("topology change flag set (%s): MAC entries age after the forward delay, %ss"), NULL, "w.",
     false, -1},
    {"topology change flag cleared ({}): MAC aging back to normal",
     N_("topology change flag cleared (%s): MAC aging back to normal"), NULL, "w", false, -1},
    {"{} blocks: its neighbour offers a better path to the root than this bridge could, so a "
     "forwarding {} would close a loop",
     N_("%s blocks: its neighbour offers a better path to the root than this bridge could, so a "
        "forwarding %s would close a loop"),
     NULL, "pp", false, -1},
    {"{} blocks: another port of this bridge offers a better path to the root than this bridge "
     "could, so a forwarding {} would close a loop",
     N_("%s blocks: another port of this bridge offers a better path to the root than this bridge "
        "could, so a forwarding %s would close a loop"),
     NULL, "pp", false, -1},
    {"this bridge {} is the root: no port hears a better bridge id ({})",
     N_("this bridge %s is the root: no port hears a better bridge id (%s)"), NULL, ".w", false,
     -1},
    {"root is {} at cost {} through {} ({})", N_("root is %s at cost %s through %s (%s)"), NULL,
     "..pw", false, -1},
    {"information on {} aged out after {}", N_("information on %s aged out after %s"), NULL, "pw",
     false, -1},
    {"the designated bridge acknowledged our TCN", N_("the designated bridge acknowledged our TCN"),
     NULL, "", false, -1},
    {"{} heard a BPDU: not an edge port", N_("%s heard a BPDU: not an edge port"), NULL, "p", false,
     -1},
    {"{} hears an 802.1D bridge: it sends 802.1D BPDUs there from now on (802.1D-2004 17.24)",
     N_("%s hears an 802.1D bridge: it sends 802.1D BPDUs there from now on (802.1D-2004 17.24)"),
     NULL, "p", false, -1},
};

/* BPDUs sent (stp.c transmit) and received (stp_rx.c trace_rx). */
static const Pat bpdu_pats[] = {
    {"sends a TCN BPDU on {} toward the root ({})",
     N_("sends a TCN BPDU on %s toward the root (%s)"), NULL, "pw", false, -1},
    {"sends an RST BPDU on {} ({}): {} ({})", N_("sends an RST BPDU on %s (%s): %s (%s)"), NULL,
     "prfw", false, -1},
    {"sends a Configuration BPDU on {} ({}): {} ({})",
     N_("sends a Configuration BPDU on %s (%s): %s (%s)"), NULL, "prfw", false, -1},
    {"received a TCN BPDU on {}: {}", N_("received a TCN BPDU on %s: %s"), NULL, "pw", false, -1},
    {"received an RST BPDU on {}: {}: {}", N_("received an RST BPDU on %s: %s: %s"), NULL, "pfw",
     false, -1},
    {"received a Configuration BPDU on {}: {}: {}",
     N_("received a Configuration BPDU on %s: %s: %s"), NULL, "pfw", false, -1},
};

/* sim/l4/tcp.c, tcp_in.c, tcp_out.c. Connections ("L > R"), sequence
 * numbers and state names stay as they are. */
static const Pat tcp_pats[] = {
    {"tcp-state {} → {} ({}) {}", N_("tcp-state %s → %s (%s) %s"), NULL, "..w.", false, -1},
    {"{} > {} {}: {}, connection closed", N_("%s > %s %s: %s, connection closed"), NULL, "...w",
     false, -1},
    {"SYN from {}: MSS {}, window scale {} → SYN, ACK",
     N_("SYN from %s: MSS %s, window scale %s → SYN, ACK"), NULL, "e.w", false, -1},
    {"3 duplicate ACKs for {} → fast retransmit, cwnd {} → {}, ssthresh {}",
     N_("3 duplicate ACKs for %s → fast retransmit, cwnd %s → %s, ssthresh %s"), NULL, "....",
     false, -1},
    {"full ACK {} ends fast recovery, cwnd {} → {}",
     N_("full ACK %s ends fast recovery, cwnd %s → %s"), NULL, "...", false, -1},
    {"partial ACK {} during fast recovery {}", N_("partial ACK %s during fast recovery %s"), NULL,
     "..", false, -1},
    {"cwnd {} reaches ssthresh {}: slow start → congestion avoidance",
     N_("cwnd %s reaches ssthresh %s: slow start → congestion avoidance"), NULL, "..", false, -1},
    {"RTO expired after {} ms with seq {} unacknowledged → retransmit, cwnd {} → {}, ssthresh {} → "
     "{} {}",
     N_("RTO expired after %s ms with seq %s unacknowledged → retransmit, cwnd %s → %s, ssthresh "
        "%s → %s %s"),
     NULL, ".......", false, -1},
    {"retransmit seq {} (RTO) {}", N_("retransmit seq %s (RTO) %s"), NULL, "..", false, -1},
    {"retransmit seq {} len {} ({}) {}", N_("retransmit seq %s len %s (%s) %s"), NULL, "..w.",
     false, -1},
    {"retransmit {} (RTO, attempt {}, next timeout {} ms) {}",
     N_("retransmit %s (RTO, attempt %s, next timeout %s ms) %s"), NULL, "....", false, -1},
    {"zero window from {}: sending stops", N_("zero window from %s: sending stops"), NULL, ".",
     false, -1},
    {"window opens to {} bytes: sending resumes",
     NP_("window opens to %s byte: sending resumes", "window opens to %s bytes: sending resumes"),
     ".", false, 0},
    {"window update {}: {} bytes free (the application read {})",
     NP_("window update %s: %s byte free (the application read %s)",
         "window update %s: %s bytes free (the application read %s)"),
     "...", false, 1},
    {"zero window advertised {}: {} bytes unread by the application",
     NP_("zero window advertised %s: %s byte unread by the application",
         "zero window advertised %s: %s bytes unread by the application"),
     "..", false, 1},
    {"window of {} bytes is below one segment: sending {} anyway (SWS override timeout) {}",
     NP_("window of %s byte is below one segment: sending %s anyway (SWS override timeout) %s",
         "window of %s bytes is below one segment: sending %s anyway (SWS override timeout) %s"),
     "...", false, 0},
    {"zero-window probe, 1 byte at seq {} {}", N_("zero-window probe, 1 byte at seq %s %s"), NULL,
     "..", false, -1},
    {"RST at seq {} is in the window but not RCV.NXT {} → challenge ACK",
     N_("RST at seq %s is in the window but not RCV.NXT %s → challenge ACK"), NULL, "..", false,
     -1},
    {"RST received in {} {}", N_("RST received in %s %s"), NULL, "..", false, -1},
    {"SYN in {} → challenge ACK", N_("SYN in %s → challenge ACK"), NULL, ".", false, -1},
    {"RST sent: {} aborted by the application in {}",
     N_("RST sent: %s aborted by the application in %s"), NULL, "..", false, -1},
    {"RST sent: ACK to listening port {} without a connection",
     N_("RST sent: ACK to listening port %s without a connection"), NULL, ".", false, -1},
    {"RST sent: segment from {} to closed port {}",
     N_("RST sent: segment from %s to closed port %s"), NULL, "..", false, -1},
    {"ICMP unreachable (code {}) for {}: {}", N_("ICMP unreachable (code %s) for %s: %s"), NULL,
     "..w", false, -1},
    {"{}: segment not sent: {}", N_("%s: segment not sent: %s"), NULL, ".w", false, -1},
};

/* sim/l2/switch.c trace_tagging: the ports a frame leaves tagged by (a
 * trunk) or untagged by (an access port, a trunk's native VLAN). */
static const Pat vlan_pats[] = {
    {"vlan {} (pcp {}) tagged → {}", N_("vlan %s (pcp %s) tagged → %s"), NULL, "..l", false, -1},
    {"vlan {} tag removed → {}", N_("vlan %s tag removed → %s"), NULL, ".l", false, -1},
};

/* sim/l3/nat.c trace_rewrite and trace_map. */
static const Pat nat_pats[] = {
    {"{} {} → {} ({})", N_("translated %s %s → %s (%s)"), NULL, "...w", true, -1},
    {"{} {} ↔ {} expired (idle {} s)", N_("forgot NAT mapping %s %s ↔ %s: idle for %s s"), NULL,
     "....", true, -1},
};

/* sim/l3/ipv4_in.c: a datagram handed to TCP, UDP or another protocol. */
static const Pat deliver_pats[] = {
    {"UDP {}:{} → port {}, {} bytes",
     NP_("received UDP %s:%s → port %s, %s byte", "received UDP %s:%s → port %s, %s bytes"), "....",
     true, 3},
    {"ICMP type {} code {} from {} about a datagram to {}",
     N_("received ICMP type %s code %s from %s about a datagram to %s"), NULL, "....", true, -1},
    {"ICMP echo request id=0x{} seq={} from {}",
     N_("received ICMP echo request id=0x%s seq=%s from %s"), NULL, "...", true, -1},
    {"ICMP echo reply id=0x{} seq={} from {}",
     N_("received ICMP echo reply id=0x%s seq=%s from %s"), NULL, "...", true, -1},
    {"{} from {}, {} bytes", NP_("received %s from %s, %s byte", "received %s from %s, %s bytes"),
     "...", true, 2},
};

/* sim/l2/switch.c trace_removed: MAC entries a topology change or a link
 * failure flushed (the aging sweep's records keep the generic sentence). */
static const Pat age_pats[] = {
    {"{} on {} flushed (topology change: {})", N_("flushed %s on %s (topology change: %s)"), NULL,
     ".pw", true, -1},
    {"{} on {} flushed ({} went down)", N_("flushed %s on %s (%s went down)"), NULL, ".pp", true,
     -1},
    /* switch.c sweep, arp.c entry_get and the probe timer, pmtu.c */
    {"{} on {} aged out ({} without a frame)",
     N_("MAC entry %s on %s aged out (%s without a frame)"), NULL, ".p.", false, -1},
    {"ARP entry {} aged out (stale and unused for {}s)",
     N_("ARP entry %s aged out (stale and unused for %ss)"), NULL, "..", false, -1},
    {"ARP entry {} aged out (failed and unused for {}s)",
     N_("ARP entry %s aged out (failed and unused for %ss)"), NULL, "..", false, -1},
    {"ARP entry {} FAILED: no reply to {} probes", N_("ARP entry %s FAILED: no reply to %s probes"),
     NULL, "..", false, -1},
    {"path MTU {} to {} expired ({}s)", N_("path MTU %s to %s expired (%ss)"), NULL, "...", false,
     -1},
};

/* sim/l3/ipv4_out.c, reasm.c: fragments made and joined. */
static const Pat frag_pats[] = {
    {"{}-byte datagram id 0x{} to {} → {} fragments (MTU {})",
     N_("fragmented a %s-byte datagram id 0x%s to %s → %s fragments (MTU %s)"), NULL, ".....", true,
     -1},
    {"datagram id 0x{} from {} reassembled from {} fragments, {} bytes",
     N_("datagram id 0x%s from %s reassembled from %s fragments, %s bytes"), NULL, "....", false,
     -1},
};

/* sim/l2/bridge.c report_storm. */
static const Pat storm_pats[] = {
    {"broadcast storm: the same frame arrived {} times on {} within {} ({} flooded frames/s on "
     "{}); loop: {}",
     N_("broadcast storm: the same frame arrived %s times on %s within %s (%s flooded frames/s on "
        "%s); loop: %s"),
     NULL, ".p..p.", false, -1},
};

/* sim/l3/icmp.c: errors and echo replies sent (trace_error, echo_request). */
static const Pat icmp_pats[] = {
    {"ICMP time exceeded ({}, code {}) → {}",
     N_("answered with ICMP time exceeded (%s, code %s) → %s"), NULL, "w..", true, -1},
    {"ICMP destination unreachable (fragmentation needed and DF set, next-hop MTU {}, code 4) → {}",
     N_("answered with ICMP destination unreachable (fragmentation needed and DF set, next-hop "
        "MTU %s, code 4) → %s"),
     NULL, "..", true, -1},
    {"ICMP destination unreachable ({}, code {}) → {}",
     N_("answered with ICMP destination unreachable (%s, code %s) → %s"), NULL, "w..", true, -1},
    {"echo reply id=0x{} seq={} to {}", N_("answered with ICMP echo reply id=0x%s seq=%s to %s"),
     NULL, "...", true, -1},
};

/* sim/link/link.c: a link's state. */
static const Pat link_pats[] = {
    {"link {} down", N_("link %s went down"), NULL, ".", false, -1},
    {"link {} up", N_("link %s came up"), NULL, ".", false, -1},
};

/* `info` records: the DHCP client and server (sim/apps/dhcp_*.c), the DNS
 * stub resolver, server and resolver (dns_*.c), uploads, path MTU, ICMP
 * errors withheld, and the scenario's `clear`. Numbers, names, addresses
 * and message names (DHCPDECLINE, NXDOMAIN, INIT-REBOOT) stay as they are. */
static const Pat info_pats[] = {
    {"dhcp: bound to {}/{}, gateway none", N_("dhcp: bound to %s/%s, no gateway"), NULL, "..",
     false, -1},
    {"dhcp: bound to {}/{}, gateway {}", N_("dhcp: bound to %s/%s, gateway %s"), NULL, "...", false,
     -1},
    {"dhcp: address {} removed", N_("dhcp: address %s removed"), NULL, ".", false, -1},
    {"dhcp: INIT-REBOOT: asking to keep {}", N_("dhcp: INIT-REBOOT: asking to keep %s"), NULL, ".",
     false, -1},
    {"dhcp: no answer to INIT-REBOOT: INIT", N_("dhcp: no answer to INIT-REBOOT: INIT"), NULL, "",
     false, -1},
    {"dhcp: lease expired", N_("dhcp: lease expired"), NULL, "", false, -1},
    {"dhcp: T2 reached: REBINDING", N_("dhcp: T2 reached: REBINDING"), NULL, "", false, -1},
    {"dhcp: T1 reached: RENEWING", N_("dhcp: T1 reached: RENEWING"), NULL, "", false, -1},
    {"dhcp: {} probes for {} too: DHCPDECLINE", N_("dhcp: %s probes for %s too: DHCPDECLINE"), NULL,
     "..", false, -1},
    {"dhcp: {} is in use by {}: DHCPDECLINE", N_("dhcp: %s is in use by %s: DHCPDECLINE"), NULL,
     "..", false, -1},
    {"dhcp: DHCPNAK: restarting", N_("dhcp: DHCPNAK: restarting"), NULL, "", false, -1},
    {"dhcp server: DHCPDECLINE from {}: {} is in use, not offered for 24 h",
     N_("dhcp server: DHCPDECLINE from %s: %s is in use, not offered for 24 h"), NULL, "..", false,
     -1},
    {"dns: asks {} for {} A (id 0x{}, attempt {} of {})",
     N_("dns: asks %s for %s A (id 0x%s, attempt %s of %s)"), NULL, ".....", false, -1},
    {"dns: no answer from {} for {} in 5 s", N_("dns: no answer from %s for %s in 5 s"), NULL, "..",
     false, -1},
    {"dns: {} does not exist (NXDOMAIN)", N_("dns: %s does not exist (NXDOMAIN)"), NULL, ".", false,
     -1},
    {"dns: {} has no A record", N_("dns: %s has no A record"), NULL, ".", false, -1},
    {"dns: {} is {}, from the cache (TTL {} s left): nothing sent",
     N_("dns: %s is %s, from the cache (TTL %s s left): nothing sent"), NULL, "...", false, -1},
    {"dns: {} is {} via its CNAME chain (TTL {} s, cached)",
     N_("dns: %s is %s via its CNAME chain (TTL %s s, cached)"), NULL, "...", false, -1},
    {"dns: {} is {} (TTL {} s, cached)", N_("dns: %s is %s (TTL %s s, cached)"), NULL, "...", false,
     -1},
    {"dns: no DNS server configured to ask for {}",
     N_("dns: no DNS server configured to ask for %s"), NULL, ".", false, -1},
    {"dns server: {} {} from {}: answer {} (authoritative)",
     N_("dns server: %s %s from %s: answer %s (authoritative)"), NULL, "....", false, -1},
    {"dns server: {} {} from {}: answer {}", N_("dns server: %s %s from %s: answer %s"), NULL,
     "....", false, -1},
    {"dns server: {} {} from {}: referral to {}", N_("dns server: %s %s from %s: referral to %s"),
     NULL, "....", false, -1},
    {"dns server: {} {} from {}: no data for that type (NODATA) (authoritative)",
     N_("dns server: %s %s from %s: no data for that type (NODATA) (authoritative)"), NULL, "...",
     false, -1},
    {"dns server: {} {} from {}: NXDOMAIN (authoritative)",
     N_("dns server: %s %s from %s: NXDOMAIN (authoritative)"), NULL, "...", false, -1},
    {"dns resolver: query from {}: {} {} (id 0x{})",
     N_("dns resolver: query from %s: %s %s (id 0x%s)"), NULL, "....", false, -1},
    {"dns resolver: asks {}, a server of zone ., for {} {} (id 0x{}) again",
     N_("dns resolver: asks %s, a server of the root zone, for %s %s (id 0x%s) again"), NULL,
     "....", false, -1},
    {"dns resolver: asks {}, a server of zone ., for {} {} (id 0x{})",
     N_("dns resolver: asks %s, a server of the root zone, for %s %s (id 0x%s)"), NULL, "....",
     false, -1},
    {"dns resolver: asks {}, a server of zone {}., for {} {} (id 0x{}) again",
     N_("dns resolver: asks %s, a server of zone %s., for %s %s (id 0x%s) again"), NULL, ".....",
     false, -1},
    {"dns resolver: asks {}, a server of zone {}., for {} {} (id 0x{})",
     N_("dns resolver: asks %s, a server of zone %s., for %s %s (id 0x%s)"), NULL, ".....", false,
     -1},
    {"dns resolver: forwards {} {} to {} (id 0x{})",
     N_("dns resolver: forwards %s %s to %s (id 0x%s)"), NULL, "....", false, -1},
    {"dns resolver: referral from {}: zone {}. is served by {} (glue cached)",
     N_("dns resolver: referral from %s: zone %s. is served by %s (glue cached)"), NULL, "...",
     false, -1},
    {"dns resolver: referral from {}: zone {}. is served by {} (no glue)",
     N_("dns resolver: referral from %s: zone %s. is served by %s (no glue)"), NULL, "...", false,
     -1},
    {"dns resolver: answer from {}: {} (cached)", N_("dns resolver: answer from %s: %s (cached)"),
     NULL, "..", false, -1},
    {"dns resolver: answers {} for {} {}: {}", N_("dns resolver: answers %s for %s %s: %s"), NULL,
     "....", false, -1},
    {"dns resolver: cache hit: {} does not exist (NXDOMAIN, {} s left)",
     N_("dns resolver: cache hit: %s does not exist (NXDOMAIN, %s s left)"), NULL, "..", false, -1},
    {"dns resolver: cache hit: {} has no {} record (NODATA, {} s left)",
     N_("dns resolver: cache hit: %s has no %s record (NODATA, %s s left)"), NULL, "...", false,
     -1},
    {"dns resolver: cache hit: {} and more", N_("dns resolver: cache hit: %s and more"), NULL, ".",
     false, -1},
    {"dns resolver: cache hit: {}", N_("dns resolver: cache hit: %s"), NULL, ".", false, -1},
    {"dns resolver: NXDOMAIN from {}: {} does not exist; cached for {} s (the SOA's TTL, RFC 2308)",
     N_("dns resolver: NXDOMAIN from %s: %s does not exist; cached for %s s (the SOA's TTL, RFC "
        "2308)"),
     NULL, "...", false, -1},
    {"dns resolver: NODATA from {}: {} has no record of that type; cached for {} s (the SOA's TTL, "
     "RFC 2308)",
     N_("dns resolver: NODATA from %s: %s has no record of that type; cached for %s s (the SOA's "
        "TTL, RFC 2308)"),
     NULL, "...", false, -1},
    {"dns resolver: {} is an alias (CNAME) of {}: following it",
     N_("dns resolver: %s is an alias (CNAME) of %s: following it"), NULL, "..", false, -1},
    {"dns resolver: no answer from {} in {} ms", N_("dns resolver: no answer from %s in %s ms"),
     NULL, "..", false, -1},
    {"upload {}: {}% ({} of {} bytes)", N_("upload %s: %s%% (%s of %s bytes)"), NULL, "....", false,
     -1},
    {"path MTU to {} is now {} (locked: below the 552-byte minimum) (cached for {}s)",
     N_("path MTU to %s is now %s (locked: below the 552-byte minimum) (cached for %ss)"), NULL,
     "...", false, -1},
    {"path MTU to {} is now {} (cached for {}s)", N_("path MTU to %s is now %s (cached for %ss)"),
     NULL, "...", false, -1},
    {"no ICMP error to {}: {} (RFC 1122)", N_("no ICMP error to %s: %s (RFC 1122)"), NULL, ".w",
     false, -1},
    {"clear {} mac", N_("cleared the MAC table of %s"), NULL, ".", false, -1},
    {"clear {} arp", N_("cleared the ARP cache of %s"), NULL, ".", false, -1},
};

bool sim_step_explain_proto(const SimTraceRecord *r, GString *out, bool *verb)
{
    switch (r->kind) {
    case SIM_TR_STP:
        return render(out, r, r->detail, stp_pats, G_N_ELEMENTS(stp_pats), verb);
    case SIM_TR_BPDU:
        return render(out, r, r->detail, bpdu_pats, G_N_ELEMENTS(bpdu_pats), verb);
    case SIM_TR_TCP:
        return render(out, r, r->detail, tcp_pats, G_N_ELEMENTS(tcp_pats), verb);
    case SIM_TR_TAG:
    case SIM_TR_UNTAG:
        return render(out, r, r->detail, vlan_pats, G_N_ELEMENTS(vlan_pats), verb);
    case SIM_TR_NAT:
        return render(out, r, r->detail, nat_pats, G_N_ELEMENTS(nat_pats), verb);
    case SIM_TR_DELIVER:
        return render(out, r, r->detail, deliver_pats, G_N_ELEMENTS(deliver_pats), verb);
    case SIM_TR_AGE:
        return render(out, r, r->detail, age_pats, G_N_ELEMENTS(age_pats), verb);
    case SIM_TR_FRAGMENT:
    case SIM_TR_REASSEMBLE:
        return render(out, r, r->detail, frag_pats, G_N_ELEMENTS(frag_pats), verb);
    case SIM_TR_STORM:
        return render(out, r, r->detail, storm_pats, G_N_ELEMENTS(storm_pats), verb);
    case SIM_TR_ICMP:
    case SIM_TR_TTL_EXCEEDED:
    case SIM_TR_UNREACHABLE:
        return render(out, r, r->detail, icmp_pats, G_N_ELEMENTS(icmp_pats), verb);
    case SIM_TR_LINK_DOWN:
    case SIM_TR_LINK_UP:
        return render(out, r, r->detail, link_pats, G_N_ELEMENTS(link_pats), verb);
    case SIM_TR_INFO:
        return render(out, r, r->detail, info_pats, G_N_ELEMENTS(info_pats), verb);
    default:
        return false;
    }
}

bool sim_step_explain_proto_announces(const SimTraceRecord *r)
{
    switch (r->kind) {
    case SIM_TR_BPDU:
        return g_str_has_prefix(r->detail, "sends ");
    case SIM_TR_ICMP: /* an ICMP message or fragments go out: the tx restates it */
    case SIM_TR_TTL_EXCEEDED:
    case SIM_TR_UNREACHABLE:
    case SIM_TR_FRAGMENT:
        return true;
    default:
        return false;
    }
}

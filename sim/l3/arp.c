/* arp.c - see arp.h for the protocol rules, states and timers.
 *
 * Data structure: per interface, up to ARP_FEW entries inline in the
 * SimIpIf (found by scanning their addresses: a host has a neighbour or
 * two, and it looks up the sender of every broadcast ARP on its LAN, so the
 * common miss must not leave the interface's cache line), then a
 * GHashTable, GUINT_TO_POINTER(ip) -> ArpEntry*, O(1) expected per packet.
 * A table that empties goes back to the inline form. Neither form has a
 * value destructor: entries are removed through entry_remove(), which also
 * cancels the entry's timer, except at teardown (arp_free), when the event
 * queue is already gone and only memory is released. Whatever walks the
 * entries sorts them first, so neither form's order is ever observable.
 *
 * Each entry holds at most one pending event (retransmission, delay or
 * probe timer). REACHABLE -> STALE and garbage collection are evaluated
 * lazily from timestamps, so steady-state traffic schedules nothing.
 */
#include "sim/l3/ipstack_priv.h"

#include "sim/net/arp_hdr.h"
#include "sim/net/eth.h"
#include "sim/net/icmp_hdr.h"
#include "sim/net/wire.h"

/* A datagram waiting for resolution: a singly linked FIFO per entry. One
 * allocation per queued packet, only on the unresolved path; a fixed ring
 * (the old 3-slot one) cannot hold Linux's byte budget without making every
 * entry large. */
typedef struct _ArpPending ArpPending;
struct _ArpPending {
    SimPacket *pkt; /* IP datagram, header at offset 0 */
    SimIpIf *in;    /* arrival interface when forwarded, NULL when ours */
    ArpPending *next;
};

struct _ArpEntry {
    SimIpIf *ifp;
    SimIpv4 ip;
    SimMac mac;
    SimArpState state; /* REACHABLE may be stale in fact: see eff_state() */
    uint8_t probes;    /* requests sent in the current INCOMPLETE/PROBE round */
    uint32_t qbytes;   /* sum of dgram_truesize() over q */
    SimTime confirmed; /* last reachability confirmation */
    SimTime updated;   /* last change of any kind */
    SimTime used;      /* last packet sent through the entry */
    SimEventId timer;
    ArpPending *q, *qtail; /* oldest first */
};

const char *sim_arp_state_name(SimArpState s)
{
    switch (s) {
    case SIM_ARP_INCOMPLETE:
        return "INCOMPLETE";
    case SIM_ARP_REACHABLE:
        return "REACHABLE";
    case SIM_ARP_STALE:
        return "STALE";
    case SIM_ARP_DELAY:
        return "DELAY";
    case SIM_ARP_PROBE:
        return "PROBE";
    case SIM_ARP_FAILED:
        return "FAILED";
    }
    return "?";
}

static SimArpState eff_state(const ArpEntry *e, SimTime now)
{
    if (e->state == SIM_ARP_REACHABLE && now - e->confirmed >= SIM_ARP_REACHABLE_TIME)
        return SIM_ARP_STALE;
    return e->state;
}

/* Garbage: STALE or FAILED, and unused for GC_STALE_TIME (see arp.h). */
static bool is_expired(const ArpEntry *e, SimTime now)
{
    SimArpState s = eff_state(e, now);
    return (s == SIM_ARP_STALE || s == SIM_ARP_FAILED) &&
           now - MAX(e->updated, e->used) >= SIM_ARP_GC_STALE_TIME;
}

static bool has_mac(SimArpState s)
{
    return s != SIM_ARP_INCOMPLETE && s != SIM_ARP_FAILED;
}

static const char *ifname(const SimIpIf *ifp)
{
    return sim_iface_name(ifp->iface);
}

/* "ICMP 192.168.10.1 → 192.168.20.9" for a queued datagram. Trace records
 * carry frames, and a queued datagram has no Ethernet header yet, so drops
 * of one describe it in words and pass no packet. */
static const char *dgram_desc(const SimPacket *dgram, char *buf, size_t n)
{
    const uint8_t *d = sim_packet_cdata(dgram);
    char s[SIM_IPV4_STRLEN], t[SIM_IPV4_STRLEN];
    const char *proto = d[9] == 1 ? "ICMP" : d[9] == 6 ? "TCP" : d[9] == 17 ? "UDP" : "IP";
    g_snprintf(buf, n, "%s %s → %s", proto, sim_ipv4_format(sim_wire_get32(d + 12), s),
               sim_ipv4_format(sim_wire_get32(d + 16), t));
    return buf;
}

/* ---- sending ------------------------------------------------------------- */

static void send_arp(SimIpStack *st, SimIpIf *ifp, const SimArpHdr *a, const SimMac *dst)
{
    SimPacket *p = sim_packet_new(sim_world_pool(st->w), SIM_PACKET_HEADROOM, 0);
    sim_arp_hdr_encode(p, a);
    ip_link_output(ifp, dst, SIM_ETHERTYPE_ARP, p);
}

/* dst NULL: broadcast (resolution); else a unicast probe of a known MAC. */
static void send_request(SimIpStack *st, SimIpIf *ifp, SimIpv4 target, const SimMac *dst)
{
    SimArpHdr a = {
        .oper = SIM_ARP_REQUEST,
        .sha = *sim_iface_mac(ifp->iface),
        .spa = ip_if_source_for(ifp, target),
        .tha = SIM_MAC_ZERO,
        .tpa = target,
    };
    if (sim_trace_wants(sim_world_trace(st->w), SIM_TR_ARP_REQUEST)) {
        char t[SIM_IPV4_STRLEN], s[SIM_IPV4_STRLEN], m[SIM_MAC_STRLEN];
        sim_ipv4_format(target, t);
        sim_ipv4_format(a.spa, s);
        if (dst)
            sim_world_tracef(st->w, SIM_TR_ARP_REQUEST, SIM_DROP_NONE, st->name, ifname(ifp), NULL,
                             "who-has %s tell %s (unicast probe to %s)", t, s,
                             sim_mac_format(dst, m));
        else
            sim_world_tracef(st->w, SIM_TR_ARP_REQUEST, SIM_DROP_NONE, st->name, ifname(ifp), NULL,
                             "who-has %s tell %s", t, s);
    }
    send_arp(st, ifp, &a, dst ? dst : &SIM_MAC_BROADCAST);
}

/* RFC 5227 §2.1.1 and §2.3: a broadcast request with a zero target
 * hardware address; a probe's sender IP is 0.0.0.0, an announcement's is
 * the address itself. */
static gboolean send_acd(SimIface *iface, SimIpv4 spa, SimIpv4 tpa)
{
    SimIpIf *ifp = ip_if(iface);
    if (!ifp)
        return FALSE;
    SimIpStack *st = ifp->st;
    SimArpHdr a = {.oper = SIM_ARP_REQUEST,
                   .sha = *sim_iface_mac(iface),
                   .spa = spa,
                   .tha = SIM_MAC_ZERO,
                   .tpa = tpa};
    if (sim_trace_wants(sim_world_trace(st->w), SIM_TR_ARP_REQUEST)) {
        char t[SIM_IPV4_STRLEN], s[SIM_IPV4_STRLEN];
        sim_world_tracef(st->w, SIM_TR_ARP_REQUEST, SIM_DROP_NONE, st->name, ifname(ifp), NULL,
                         "who-has %s tell %s (%s)", sim_ipv4_format(tpa, t),
                         sim_ipv4_format(spa, s), spa ? "ARP announcement" : "ARP probe");
    }
    send_arp(st, ifp, &a, &SIM_MAC_BROADCAST);
    return TRUE;
}

gboolean sim_arp_probe(SimIface *iface, SimIpv4 target)
{
    return send_acd(iface, 0, target);
}

gboolean sim_arp_announce(SimIface *iface, SimIpv4 addr)
{
    return send_acd(iface, addr, addr);
}

void sim_arp_watch(SimIface *iface, SimIpv4 addr, SimArpConflictFn fn, void *user)
{
    SimIpIf *ifp = ip_if(iface);
    if (!ifp)
        return;
    ifp->acd_fn = fn;
    ifp->acd_user = fn ? user : NULL;
    ifp->acd_addr = fn ? addr : 0;
}

static void send_reply(SimIpStack *st, SimIpIf *ifp, const SimArpHdr *req)
{
    SimArpHdr a = {
        .oper = SIM_ARP_REPLY,
        .sha = *sim_iface_mac(ifp->iface),
        .spa = req->tpa,
        .tha = req->sha,
        .tpa = req->spa,
    };
    if (sim_trace_wants(sim_world_trace(st->w), SIM_TR_ARP_REPLY)) {
        char s[SIM_IPV4_STRLEN], t[SIM_IPV4_STRLEN], m[SIM_MAC_STRLEN];
        sim_world_tracef(st->w, SIM_TR_ARP_REPLY, SIM_DROP_NONE, st->name, ifname(ifp), NULL,
                         "%s is-at %s (to %s)", sim_ipv4_format(a.spa, s),
                         sim_mac_format(&a.sha, m), sim_ipv4_format(a.tpa, t));
    }
    send_arp(st, ifp, &a, &req->sha);
}

/* ---- entries -------------------------------------------------------------- */

static void entry_timer(void *ctx, void *arg);

static void arm(SimIpStack *st, ArpEntry *e, SimTime delay)
{
    e->timer = sim_world_schedule(st->w, delay, entry_timer, e, NULL);
}

static void disarm(SimIpStack *st, ArpEntry *e)
{
    if (e->timer.seq)
        sim_world_cancel(st->w, e->timer);
    e->timer = SIM_EVENT_ID_NONE;
}

/* ---- the table: inline while small, then hashed (see the top) ------------ */

static inline ArpEntry *tab_lookup(const SimIpIf *ifp, SimIpv4 ip)
{
    if (G_UNLIKELY(ifp->arp != NULL))
        return g_hash_table_lookup(ifp->arp, GUINT_TO_POINTER(ip));
    for (guint k = 0; k < ifp->n_few; k++)
        if (ifp->few_ip[k] == ip)
            return ifp->few[k];
    return NULL;
}

/* The earliest time e could age out (is_expired needs this much idleness;
 * updated and used only grow, so the bound only moves later). */
static SimTime safe_until(const ArpEntry *e)
{
    return MAX(e->updated, e->used) + SIM_ARP_GC_STALE_TIME;
}

static void tab_insert(SimIpIf *ifp, ArpEntry *e)
{
    if (!ifp->arp && ifp->n_few < ARP_FEW) {
        ifp->few_safe = ifp->n_few ? MIN(ifp->few_safe, safe_until(e)) : safe_until(e);
        ifp->few_ip[ifp->n_few] = e->ip;
        ifp->few_mac[ifp->n_few] = e->mac;
        ifp->few[ifp->n_few++] = e;
        return;
    }
    if (!ifp->arp) {
        ifp->arp = g_hash_table_new(g_direct_hash, g_direct_equal);
        for (guint k = 0; k < ifp->n_few; k++)
            g_hash_table_insert(ifp->arp, GUINT_TO_POINTER(ifp->few_ip[k]), ifp->few[k]);
        ifp->n_few = 0;
    }
    g_hash_table_insert(ifp->arp, GUINT_TO_POINTER(e->ip), e);
}

static void tab_remove(SimIpIf *ifp, const ArpEntry *e)
{
    if (ifp->arp) {
        g_hash_table_remove(ifp->arp, GUINT_TO_POINTER(e->ip));
        if (g_hash_table_size(ifp->arp) == 0)
            g_clear_pointer(&ifp->arp, g_hash_table_destroy);
        return;
    }
    for (guint k = 0; k < ifp->n_few; k++) {
        if (ifp->few[k] == e) {
            ifp->n_few--;
            ifp->few_ip[k] = ifp->few_ip[ifp->n_few];
            ifp->few_mac[k] = ifp->few_mac[ifp->n_few];
            ifp->few[k] = ifp->few[ifp->n_few];
            return; /* few_safe stays a valid (if early) bound */
        }
    }
}

/* Call after changing e->mac. */
static void tab_sync_mac(SimIpIf *ifp, const ArpEntry *e)
{
    for (guint k = 0; k < ifp->n_few; k++)
        if (ifp->few[k] == e)
            ifp->few_mac[k] = e->mac;
}

/* True when the sender <spa, sha> of an ARP packet is cached with that MAC
 * and cannot have aged out, so that RFC 826's merge would change nothing
 * (unless the packet confirms reachability: the caller rules that out).
 * Reads only ifp, not the entry. An incomplete entry's MAC is all zeros,
 * which no sender has (arp_input drops it), so it never matches. */
static bool known_unchanged(SimIpIf *ifp, SimIpv4 spa, const SimMac *sha, SimTime now)
{
    if (ifp->arp)
        return false;
    if (now >= ifp->few_safe) {
        /* The bound is stale or an entry is old: recompute it. */
        if (!ifp->n_few)
            return false;
        ifp->few_safe = safe_until(ifp->few[0]);
        for (guint k = 1; k < ifp->n_few; k++)
            ifp->few_safe = MIN(ifp->few_safe, safe_until(ifp->few[k]));
        if (now >= ifp->few_safe)
            return false;
    }
    for (guint k = 0; k < ifp->n_few; k++)
        if (ifp->few_ip[k] == spa)
            return sim_mac_equal(&ifp->few_mac[k], sha);
    return false;
}

/* Appends every entry of ifp to v, in no particular order. */
static void tab_collect(const SimIpIf *ifp, GPtrArray *v)
{
    if (ifp->arp) {
        GHashTableIter it;
        gpointer val;
        g_hash_table_iter_init(&it, ifp->arp);
        while (g_hash_table_iter_next(&it, NULL, &val))
            g_ptr_array_add(v, val);
    }
    for (guint k = 0; k < ifp->n_few; k++)
        g_ptr_array_add(v, ifp->few[k]);
}

static ArpEntry *entry_new(SimIpIf *ifp, SimIpv4 ip, SimTime now)
{
    ArpEntry *e = g_new0(ArpEntry, 1);
    e->ifp = ifp;
    e->ip = ip;
    e->updated = e->used = now;
    tab_insert(ifp, e);
    return e;
}

/* Unlinks e and frees it; pending packets must have been taken out. */
static void entry_remove(SimIpStack *st, ArpEntry *e)
{
    disarm(st, e);
    tab_remove(e->ifp, e);
    g_free(e);
}

/* The live entry for ip, removing it first if it has aged out. */
static ArpEntry *entry_get(SimIpStack *st, SimIpIf *ifp, SimIpv4 ip)
{
    ArpEntry *e = tab_lookup(ifp, ip);
    if (!e)
        return NULL;
    SimTime now = sim_world_now(ifp->w); /* not st->w: a line fewer per frame */
    if (is_expired(e, now)) {
        char a[SIM_IPV4_STRLEN];
        SIM_TRACE(st->w, SIM_TR_AGE, SIM_DROP_NONE, st->name, ifname(ifp), NULL,
                  "ARP entry %s aged out (%s and unused for %us)", sim_ipv4_format(ip, a),
                  e->state == SIM_ARP_FAILED ? "failed" : "stale",
                  (unsigned)(SIM_ARP_GC_STALE_TIME / SIM_SEC));
        entry_remove(st, e);
        return NULL;
    }
    return e;
}

guint sim_arp_skb_truesize(size_t frame_len)
{
    /* A linear skb as alloc_skb makes it on x86-64 Linux 6.3 and later:
     * about 64 bytes of headroom and the 320-byte skb_shared_info share
     * one object with the data; a head of up to 576 bytes comes from
     * skb_small_head_cache (SKB_SMALL_HEAD_CACHE_SIZE), a bigger one from
     * the power-of-two kmalloc size class; SKB_TRUESIZE adds the 256-byte
     * struct sk_buff. A ping or small UDP frame costs 832 bytes (checked
     * against Linux 6.18 in network namespaces: of 400 one-byte UDP
     * datagrams sent to an unresolved neighbour, 256 waited and 144 were
     * counted in unresolved_discards; 256 x 832 = 212,992), a 1,514-byte
     * frame 2,304. */
    size_t obj = frame_len + 64 + 320, size_class = 1024;
    if (obj <= 576)
        return 576 + 256;
    while (size_class < obj)
        size_class <<= 1;
    return (guint)(size_class + 256);
}

static guint dgram_truesize(const SimPacket *dgram)
{
    return sim_arp_skb_truesize(SIM_ETH_HLEN + sim_packet_len(dgram));
}

/* Linux's __neigh_event_send: while the new packet would take the queue
 * past unres_qlen_bytes, push out the oldest, keeping the freshest. */
static void enqueue(SimIpStack *st, ArpEntry *e, SimPacket *dgram, SimIpIf *in)
{
    guint size = dgram_truesize(dgram);
    while (e->q && e->qbytes + size > SIM_ARP_UNRES_QLEN_BYTES) {
        ArpPending *old = e->q;
        char a[SIM_IPV4_STRLEN], dd[64];
        IP_DROP(st, e->ifp, NULL, SIM_DROP_ARP_QUEUE_FULL,
                "%s: %u bytes already wait for ARP of %s (unres_qlen_bytes %u)",
                dgram_desc(old->pkt, dd, sizeof dd), e->qbytes, sim_ipv4_format(e->ip, a),
                (unsigned)SIM_ARP_UNRES_QLEN_BYTES);
        e->qbytes -= dgram_truesize(old->pkt);
        e->q = old->next;
        sim_packet_unref(old->pkt);
        g_free(old);
    }
    ArpPending *p = g_new(ArpPending, 1);
    *p = (ArpPending){dgram, in, NULL};
    if (e->q)
        e->qtail->next = p;
    else
        e->q = p;
    e->qtail = p;
    e->qbytes += size;
}

/* Detaches the pending packets (FIFO order); the caller frees each node. */
static ArpPending *take_pending(ArpEntry *e)
{
    ArpPending *q = e->q;
    e->q = e->qtail = NULL;
    e->qbytes = 0;
    return q;
}

static void trace_learn(SimIpStack *st, const ArpEntry *e, const char *how)
{
    if (!sim_trace_wants(sim_world_trace(st->w), SIM_TR_ARP_LEARN))
        return;
    char a[SIM_IPV4_STRLEN], m[SIM_MAC_STRLEN];
    sim_world_tracef(st->w, SIM_TR_ARP_LEARN, SIM_DROP_NONE, st->name, ifname(e->ifp), NULL,
                     "%s is-at %s (%s, %s)", sim_ipv4_format(e->ip, a), sim_mac_format(&e->mac, m),
                     how, sim_arp_state_name(e->state));
}

/* RFC 826 merge of <spa, sha> into an existing entry. reachable: a unicast
 * reply to us, which confirms the neighbour (Linux: NUD_REACHABLE);
 * anything else can only make an entry STALE. */
static void merge(SimIpStack *st, ArpEntry *e, const SimMac *mac, bool reachable)
{
    SimTime now = sim_world_now(e->ifp->w);
    SimArpState old = eff_state(e, now);
    bool changed = !has_mac(old) || !sim_mac_equal(&e->mac, mac);
    if (!reachable && !changed)
        return; /* same MAC, no news */
    e->mac = *mac;
    tab_sync_mac(e->ifp, e);
    e->updated = now;
    disarm(st, e);
    e->probes = 0;
    if (reachable) {
        e->state = SIM_ARP_REACHABLE;
        e->confirmed = now;
    } else {
        e->state = SIM_ARP_STALE;
    }
    trace_learn(st, e, !has_mac(old) ? "resolved" : changed ? "changed" : "confirmed");
    if (old == SIM_ARP_INCOMPLETE) {
        e->used = now;
        for (ArpPending *q = take_pending(e), *next; q; q = next) {
            next = q->next;
            ip_link_output(e->ifp, &e->mac, SIM_ETHERTYPE_IPV4, q->pkt);
            g_free(q);
        }
    }
}

/* Linux NUD_FAILED: kept (without a MAC) until used again or collected. */
static void set_failed(ArpEntry *e)
{
    e->state = SIM_ARP_FAILED;
    e->mac = SIM_MAC_ZERO;
    tab_sync_mac(e->ifp, e);
    e->probes = 0;
    e->updated = sim_world_now(e->ifp->w);
}

/* Resolution failed: drop what waited and tell each sender, as Linux's
 * neigh_invalidate -> ipv4_link_failure does. */
static void entry_fail(SimIpStack *st, ArpEntry *e)
{
    ArpPending *q = take_pending(e);
    SimIpIf *ifp = e->ifp;
    SimIpv4 ip = e->ip;
    /* FAILED first: an error below routed through this very entry starts a
     * new resolution, as it would in Linux. */
    set_failed(e);
    char a[SIM_IPV4_STRLEN], dd[64];
    for (ArpPending *next; q; q = next) {
        next = q->next;
        IP_DROP(st, ifp, NULL, SIM_DROP_NO_ARP, "%s: no ARP reply from %s after %u requests",
                dgram_desc(q->pkt, dd, sizeof dd), sim_ipv4_format(ip, a),
                (unsigned)SIM_ARP_MCAST_SOLICIT);
        icmp_send_error(st, q->pkt, 0, q->in, SIM_ICMP_DEST_UNREACH, SIM_ICMP_UNREACH_HOST, 0);
        sim_packet_unref(q->pkt);
        g_free(q);
    }
}

static void entry_timer(void *ctx, void *arg)
{
    ArpEntry *e = ctx;
    SimIpStack *st = e->ifp->st;
    e->timer = SIM_EVENT_ID_NONE;
    switch (e->state) {
    case SIM_ARP_INCOMPLETE:
        if (e->probes < SIM_ARP_MCAST_SOLICIT) {
            e->probes++;
            send_request(st, e->ifp, e->ip, NULL);
            arm(st, e, SIM_ARP_RETRANS_TIME);
        } else {
            entry_fail(st, e);
        }
        return;
    case SIM_ARP_DELAY:
        e->state = SIM_ARP_PROBE;
        e->probes = 1;
        send_request(st, e->ifp, e->ip, &e->mac);
        arm(st, e, SIM_ARP_RETRANS_TIME);
        return;
    case SIM_ARP_PROBE:
        if (e->probes < SIM_ARP_UCAST_SOLICIT) {
            e->probes++;
            send_request(st, e->ifp, e->ip, &e->mac);
            arm(st, e, SIM_ARP_RETRANS_TIME);
        } else {
            char a[SIM_IPV4_STRLEN];
            SIM_TRACE(st->w, SIM_TR_AGE, SIM_DROP_NONE, st->name, ifname(e->ifp), NULL,
                      "ARP entry %s FAILED: no reply to %u probes", sim_ipv4_format(e->ip, a),
                      (unsigned)SIM_ARP_UCAST_SOLICIT);
            set_failed(e);
        }
        return;
    case SIM_ARP_REACHABLE:
    case SIM_ARP_STALE:
    case SIM_ARP_FAILED:
        return; /* no timer runs in these states */
    }
}

/* ---- the two entry points ------------------------------------------------- */

void arp_output(SimIpStack *st, SimIpIf *ifp, SimIpv4 nh, SimPacket *dgram, SimIpIf *in)
{
    SimTime now = sim_world_now(st->w);
    ArpEntry *e = entry_get(st, ifp, nh);
    if (!e || e->state == SIM_ARP_FAILED) {
        /* A new neighbour, or a failed one tried again (Linux's
         * __neigh_event_send restarts resolution from FAILED). */
        if (!e)
            e = entry_new(ifp, nh, now);
        e->state = SIM_ARP_INCOMPLETE;
        e->probes = 1;
        e->updated = e->used = now;
        enqueue(st, e, dgram, in);
        send_request(st, ifp, nh, NULL);
        arm(st, e, SIM_ARP_RETRANS_TIME);
        return;
    }
    e->used = now;
    switch (eff_state(e, now)) {
    case SIM_ARP_FAILED: /* handled above */
    case SIM_ARP_INCOMPLETE:
        enqueue(st, e, dgram, in);
        return;
    case SIM_ARP_STALE:
        /* Use it, but make sure it is still there (Linux: DELAY, then PROBE). */
        e->state = SIM_ARP_DELAY;
        arm(st, e, SIM_ARP_DELAY_TIME);
        break;
    case SIM_ARP_REACHABLE:
    case SIM_ARP_DELAY:
    case SIM_ARP_PROBE:
        break;
    }
    ip_link_output(ifp, &e->mac, SIM_ETHERTYPE_IPV4, dgram);
}

static bool is_if_addr(const SimIpIf *ifp, SimIpv4 a)
{
    for (guint i = 0; i < ifp->addrs->len; i++)
        if (g_array_index(ifp->addrs, SimPrefix, i).addr == a)
            return true;
    return false;
}

/* True when mac belongs to one of st's interfaces. Only asked when a
 * sender claims one of our addresses, so a scan is fine. */
static bool is_own_mac(const SimIpStack *st, const SimMac *mac)
{
    for (guint i = 0; i < st->ifs->len; i++)
        if (sim_mac_equal(sim_iface_mac(((SimIpIf *)g_ptr_array_index(st->ifs, i))->iface), mac))
            return true;
    return false;
}

void arp_input(SimIpStack *st, SimIpIf *ifp, SimPacket *pkt, size_t off)
{
    const uint8_t *d = sim_packet_cdata(pkt);
    SimArpHdr a;
    g_autoptr(GError) err = NULL;
    if (!sim_arp_hdr_decode(d + off, sim_packet_len(pkt) - off, &a, &err)) {
        IP_DROP(st, ifp, pkt, SIM_DROP_MALFORMED, "ARP: %s", err->message);
        goto out;
    }
    char s[SIM_IPV4_STRLEN], t[SIM_IPV4_STRLEN], m[SIM_MAC_STRLEN];
    if (sim_mac_is_multicast(&a.sha) || sim_mac_equal(&a.sha, &SIM_MAC_ZERO) ||
        (a.spa >> 28) == 0xe || a.spa == 0xffffffffu) {
        IP_DROP(st, ifp, pkt, SIM_DROP_MALFORMED, "ARP with bogus sender %s",
                sim_mac_format(&a.sha, m));
        goto out;
    }
    /* RFC 5227 §2.1.1: while an address is being checked, its use by
     * another MAC, or another host's probe for it, is a conflict. */
    if (G_UNLIKELY(ifp->acd_addr != 0) &&
        (a.spa == ifp->acd_addr ||
         (a.spa == 0 && a.oper == SIM_ARP_REQUEST && a.tpa == ifp->acd_addr)) &&
        !is_own_mac(st, &a.sha)) {
        ifp->acd_fn(ifp->acd_user, &a.sha, a.spa == 0);
        goto out;
    }
    if (a.spa != 0 && ip_if_maybe_local(ifp, a.spa) && sim_ip_is_local(st, a.spa)) {
        if (is_own_mac(st, &a.sha)) {
            /* Our own request came back (a loop, or a second NIC on the same
             * LAN). Linux ignores it: ip_route_input rejects our own address
             * as a source, so it is neither answered nor learned. */
            IP_DROP(st, ifp, pkt, SIM_DROP_NOT_FOR_US, "ARP from our own MAC %s: ignored",
                    sim_mac_format(&a.sha, m));
            goto out;
        }
        /* Someone else claims one of our addresses: never learn that. */
        IP_DROP(st, ifp, pkt, SIM_DROP_NOT_FOR_US, "address conflict: %s is also used by %s",
                sim_ipv4_format(a.spa, s), sim_mac_format(&a.sha, m));
        goto out;
    }
    /* The stack-wide checks first: they are the cheap ones (the filter does
     * not even read the stack), and most requests a host sees are for
     * somebody else. */
    bool for_us =
        ip_if_maybe_local(ifp, a.tpa) && sim_ip_is_local(st, a.tpa) && is_if_addr(ifp, a.tpa);
    bool unicast = (d[0] & 1) == 0;
    bool confirms = a.oper == SIM_ARP_REPLY && unicast && for_us;
    /* spa 0.0.0.0 is an RFC 5227 probe: answer it, learn nothing. */
    if (a.spa && (confirms || !known_unchanged(ifp, a.spa, &a.sha, sim_world_now(ifp->w)))) {
        ArpEntry *e = entry_get(st, ifp, a.spa);
        if (e) {
            merge(st, e, &a.sha, confirms);
        } else if (for_us) {
            e = entry_new(ifp, a.spa, sim_world_now(st->w));
            e->mac = a.sha;
            tab_sync_mac(ifp, e);
            e->state = SIM_ARP_STALE;
            trace_learn(st, e, "new");
        }
    }
    if (a.oper == SIM_ARP_REQUEST && for_us) {
        send_reply(st, ifp, &a);
    } else if (!for_us) {
        /* IP_DROP, spelled out so that the untraced case reads ifp, not st. */
        sim_iface_count_drop(ifp->iface, SIM_DROP_NOT_FOR_US);
        SIM_TRACE(ifp->w, SIM_TR_DROP, SIM_DROP_NOT_FOR_US, st->name, ifname(ifp), pkt,
                  "ARP %s %s: not our address", a.oper == SIM_ARP_REQUEST ? "who-has" : "reply for",
                  sim_ipv4_format(a.tpa, t));
    }
out:
    sim_packet_unref(pkt);
}

/* ---- flush, inspection ---------------------------------------------------- */

static int cmp_entry(const void *a, const void *b)
{
    const ArpEntry *x = *(ArpEntry *const *)a, *y = *(ArpEntry *const *)b;
    guint ix = sim_iface_index(x->ifp->iface), iy = sim_iface_index(y->ifp->iface);
    if (ix != iy)
        return ix < iy ? -1 : 1;
    return x->ip < y->ip ? -1 : x->ip > y->ip;
}

/* The entries of ifp sorted by address, so that anything done to them
 * happens in an order that does not depend on the hash table. */
static GPtrArray *sorted_entries(SimIpIf *ifp)
{
    GPtrArray *v = g_ptr_array_new();
    tab_collect(ifp, v);
    g_ptr_array_sort(v, cmp_entry);
    return v;
}

void arp_flush(SimIpStack *st, SimIpIf *ifp, const char *why)
{
    g_autoptr(GPtrArray) v = sorted_entries(ifp);
    char a[SIM_IPV4_STRLEN], dd[64];
    for (guint i = 0; i < v->len; i++) {
        ArpEntry *e = g_ptr_array_index(v, i);
        for (ArpPending *q = take_pending(e), *next; q; q = next) {
            next = q->next;
            IP_DROP(st, ifp, NULL, SIM_DROP_NO_ARP, "%s waiting for ARP of %s: %s",
                    dgram_desc(q->pkt, dd, sizeof dd), sim_ipv4_format(e->ip, a), why);
            sim_packet_unref(q->pkt);
            g_free(q);
        }
        entry_remove(st, e);
    }
}

void arp_free(SimIpIf *ifp)
{
    g_autoptr(GPtrArray) v = g_ptr_array_new();
    tab_collect(ifp, v);
    for (guint k = 0; k < v->len; k++) {
        ArpEntry *e = g_ptr_array_index(v, k);
        for (ArpPending *q = e->q, *next; q; q = next) {
            next = q->next;
            sim_packet_unref(q->pkt);
            g_free(q);
        }
        g_free(e);
    }
    g_clear_pointer(&ifp->arp, g_hash_table_destroy);
    ifp->n_few = 0;
}

gboolean sim_arp_lookup(SimIface *iface, SimIpv4 ip, SimMac *mac, SimArpState *state)
{
    SimIpIf *ifp = ip_if(iface);
    if (!ifp)
        return FALSE;
    ArpEntry *e = tab_lookup(ifp, ip);
    SimTime now = sim_world_now(ifp->st->w);
    if (!e || is_expired(e, now))
        return FALSE;
    if (mac && has_mac(e->state))
        *mac = e->mac;
    if (state)
        *state = eff_state(e, now);
    return TRUE;
}

static GPtrArray *live_entries(SimNode *node)
{
    SimIpStack *st = sim_ip_stack(node);
    GPtrArray *all = g_ptr_array_new();
    if (!st)
        return all;
    SimTime now = sim_world_now(st->w);
    for (guint i = 0; i < st->ifs->len; i++) {
        g_autoptr(GPtrArray) v = sorted_entries(g_ptr_array_index(st->ifs, i));
        for (guint k = 0; k < v->len; k++)
            if (!is_expired(g_ptr_array_index(v, k), now))
                g_ptr_array_add(all, g_ptr_array_index(v, k));
    }
    g_ptr_array_sort(all, cmp_entry);
    return all;
}

guint sim_arp_count(SimNode *node)
{
    g_autoptr(GPtrArray) v = live_entries(node);
    return v->len;
}

void sim_arp_foreach(SimNode *node, SimArpForeachFunc func, gpointer user_data)
{
    g_autoptr(GPtrArray) v = live_entries(node);
    if (v->len == 0)
        return;
    SimTime now = sim_world_now(sim_ip_stack(node)->w);
    for (guint i = 0; i < v->len; i++) {
        const ArpEntry *e = g_ptr_array_index(v, i);
        SimArpView view = {.ip = e->ip, .state = eff_state(e, now), .iface = e->ifp->iface};
        if (has_mac(view.state))
            view.mac = e->mac;
        func(&view, user_data);
    }
}

static void format_one(const SimArpView *e, gpointer user_data)
{
    GString *out = user_data;
    char a[SIM_IPV4_STRLEN], m[SIM_MAC_STRLEN];
    g_string_append_printf(out, "%s dev %s", sim_ipv4_format(e->ip, a), sim_iface_name(e->iface));
    if (has_mac(e->state))
        g_string_append_printf(out, " lladdr %s", sim_mac_format(&e->mac, m));
    g_string_append_printf(out, " %s\n", sim_arp_state_name(e->state));
}

void sim_arp_format(SimNode *node, GString *out)
{
    gsize before = out->len;
    sim_arp_foreach(node, format_one, out);
    if (out->len == before)
        g_string_append(out, "(no ARP entries)\n");
}

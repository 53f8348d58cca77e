/* dhcp_client.c - DHCP client; see dhcp_client.h for the design. */
#include "sim/apps/dhcp_client.h"

#include <string.h>

#include "sim/core/rng.h"
#include "sim/core/world.h"
#include "sim/l3/arp.h"
#include "sim/l4/udp.h"
#include "sim/link/iface.h"
#include "sim/link/node.h"
#include "sim/net/dhcp_msg.h"

struct _SimDhcpClient {
    SimNode *node;
    SimWorld *w;
    SimIface *iface;
    SimUdpSocket *sock;
    SimDhcpClientState state;
    uint32_t xid;
    unsigned tries;      /* retransmissions of the current message */
    SimEventId timer;    /* retransmission, probe, T1, T2 or expiry */
    SimEventId announce; /* the second ARP announcement */
    SimTime start;       /* when this exchange began (secs field) */
    SimDhcpMsg lease;    /* the OFFER taken, then the ACK (kept for INIT-REBOOT) */
    SimTime acked, bound_at, t1, t2, expiry; /* acked: when the ACK being probed came */
    unsigned probes;                         /* ARP probes sent for lease.yiaddr */
    SimIpv4 addr, gw, dns;                   /* installed in the stack; 0 = none */
};

/* RFC 5227 §1.1's constants in units of ACD_UNIT: PROBE_WAIT 1, PROBE_MIN
 * 1, PROBE_MAX 2, ANNOUNCE_WAIT 2, so that the whole check (4 to 7 units)
 * fits in ACD_TIMEOUT, as systemd-networkd scales them. */
#define ACD_TIMEOUT (200 * SIM_MS) /* networkd IPv4DuplicateAddressDetectionTimeoutSec */
#define ACD_UNIT (ACD_TIMEOUT / 7)
#define PROBE_NUM 3
#define ANNOUNCE_INTERVAL (2 * SIM_SEC) /* not scaled, as in networkd */
#define DECLINE_WAIT (10 * SIM_SEC)     /* RFC 2131 §3.1 step 5 */
#define REBOOT_TIMEOUT (10 * SIM_SEC)   /* dhclient's `reboot` default */

static void client_free(void *p)
{
    SimDhcpClient *c = p;
    sim_udp_free(c->sock);
    sim_ip_watch_link(c->iface, NULL, NULL);
    sim_arp_watch(c->iface, 0, NULL, NULL);
    g_free(c);
}

static void note(SimDhcpClient *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void note(SimDhcpClient *c, const char *fmt, ...)
{
    if (!sim_trace_wants(sim_world_trace(c->w), SIM_TR_INFO))
        return;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    sim_world_tracef(c->w, SIM_TR_INFO, SIM_DROP_NONE, sim_node_name(c->node),
                     sim_iface_name(c->iface), NULL, "dhcp: %s", s);
}

static void set_timer(SimDhcpClient *c, SimTime at);

static void send_msg(SimDhcpClient *c, SimDhcpType type, SimIpv4 dst)
{
    SimDhcpMsg m = {.op = SIM_DHCP_BOOTREQUEST,
                    .xid = c->xid,
                    .flags = SIM_DHCP_FLAG_BROADCAST,
                    .chaddr = *sim_iface_mac(c->iface),
                    .type = type,
                    .n_params = 4,
                    .params = {1, 3, 6, 15},
                    .clientid_len = 7};
    SimTime secs = (sim_world_now(c->w) - c->start) / SIM_SEC;
    m.secs = (uint16_t)MIN(secs, 0xffff);
    m.clientid[0] = 1;
    memcpy(m.clientid + 1, m.chaddr.b, 6);
    if (type == SIM_DHCPREQUEST && c->state == SIM_DHCPC_REQUESTING) {
        m.has_requested = m.has_server_id = true;
        m.requested = c->lease.yiaddr;
        m.server_id = c->lease.server_id;
    } else if (type == SIM_DHCPREQUEST && c->state == SIM_DHCPC_REBOOTING) {
        m.has_requested = true; /* §4.3.2 INIT-REBOOT: no server id, no ciaddr */
        m.requested = c->lease.yiaddr;
    } else if (type == SIM_DHCPDECLINE) {
        /* §4.4.1 table 5: requested address and server id; flags, secs,
         * ciaddr 0; no parameter list. */
        m.has_requested = m.has_server_id = true;
        m.requested = c->lease.yiaddr;
        m.server_id = c->lease.server_id;
        m.flags = m.secs = 0;
        m.n_params = 0;
    } else if (type == SIM_DHCPREQUEST || type == SIM_DHCPRELEASE) {
        m.ciaddr = c->addr; /* RENEWING, REBINDING, release: §4.3.2 */
        m.flags = 0;
        if (type == SIM_DHCPRELEASE) {
            m.has_server_id = true;
            m.server_id = c->lease.server_id;
            m.n_params = 0;
        }
    }
    uint8_t buf[SIM_DHCP_MAX_LEN];
    size_t n = sim_dhcp_msg_emit(&m, buf);
    sim_udp_bind_iface(c->sock, dst == 0xffffffffu ? c->iface : NULL);
    g_autoptr(GError) err = NULL;
    if (!sim_udp_sendto(c->sock, dst, SIM_DHCP_SERVER_PORT, buf, n, &err))
        note(c, "cannot send %s: %s", sim_dhcp_type_name(type), err->message);
}

/* §4.1: 4, 8, 16, 32, 64 s, each plus a uniform -1..+1 s. */
static SimTime backoff(SimDhcpClient *c)
{
    unsigned k = MIN(c->tries, 4u);
    c->tries++;
    SimTime base = (SimTime)(4u << k) * SIM_SEC;
    return base - SIM_SEC + sim_rng_below(sim_world_rng(c->w), 2 * SIM_SEC + 1);
}

static void unconfigure(SimDhcpClient *c)
{
    if (c->addr) {
        char a[SIM_IPV4_STRLEN];
        sim_ip_del_address(c->node, c->iface, c->addr);
        note(c, "address %s removed", sim_ipv4_format(c->addr, a));
    }
    c->addr = c->gw = c->dns = 0;
}

static void cancel(SimDhcpClient *c, SimEventId *ev)
{
    if (ev->seq)
        sim_world_cancel(c->w, *ev);
    *ev = SIM_EVENT_ID_NONE;
}

static void discover(SimDhcpClient *c)
{
    c->state = SIM_DHCPC_SELECTING;
    c->xid = (uint32_t)sim_rng_u64(sim_world_rng(c->w));
    c->tries = 0;
    c->start = sim_world_now(c->w);
    send_msg(c, SIM_DHCPDISCOVER, 0xffffffffu);
    set_timer(c, sim_world_now(c->w) + backoff(c));
}

/* INIT-REBOOT (§4.4.2): the remembered address asked for again by a
 * broadcast DHCPREQUEST with no server identifier. */
static void reboot_request(SimDhcpClient *c)
{
    char a[SIM_IPV4_STRLEN];
    c->state = SIM_DHCPC_REBOOTING;
    c->xid = (uint32_t)sim_rng_u64(sim_world_rng(c->w));
    c->tries = 0;
    c->start = sim_world_now(c->w);
    note(c, "INIT-REBOOT: asking to keep %s", sim_ipv4_format(c->lease.yiaddr, a));
    send_msg(c, SIM_DHCPREQUEST, 0xffffffffu);
    set_timer(c, sim_world_now(c->w) + backoff(c));
}

/* Renewal retries: half the time left to `until`, at least 60 s (§4.4.5). */
static SimTime renew_retry(SimDhcpClient *c, SimTime until)
{
    SimTime now = sim_world_now(c->w), left = until > now ? until - now : 0;
    return now + MAX(left / 2, 60 * SIM_SEC);
}

static void configure(SimDhcpClient *c, const SimDhcpMsg *ack, SimTime acked);

static void announce_again(void *ctx, void *arg)
{
    SimDhcpClient *c = ctx;
    c->announce = SIM_EVENT_ID_NONE;
    if (c->addr)
        sim_arp_announce(c->iface, c->addr);
}

/* PROBING: PROBE_NUM probes PROBE_MIN..PROBE_MAX apart, then ANNOUNCE_WAIT
 * of silence, and the address is ours (RFC 5227 §2.1.1). */
static void probe_step(SimDhcpClient *c)
{
    SimTime now = sim_world_now(c->w);
    if (c->probes < PROBE_NUM) {
        sim_arp_probe(c->iface, c->lease.yiaddr);
        c->probes++;
        set_timer(c, c->probes < PROBE_NUM
                         ? now + ACD_UNIT + sim_rng_below(sim_world_rng(c->w), ACD_UNIT + 1)
                         : now + 2 * ACD_UNIT);
        return;
    }
    sim_arp_watch(c->iface, 0, NULL, NULL);
    configure(c, &c->lease, c->acked);
    if (!c->addr)
        return;
    /* §2.3: two announcements ANNOUNCE_INTERVAL apart. */
    sim_arp_announce(c->iface, c->addr);
    cancel(c, &c->announce);
    c->announce = sim_world_schedule(c->w, ANNOUNCE_INTERVAL, announce_again, c, NULL);
}

static void on_timer(void *ctx, void *arg)
{
    SimDhcpClient *c = ctx;
    SimTime now = sim_world_now(c->w);
    c->timer = SIM_EVENT_ID_NONE;
    switch (c->state) {
    case SIM_DHCPC_INIT:
        discover(c);
        return;
    case SIM_DHCPC_INIT_REBOOT:
        reboot_request(c);
        return;
    case SIM_DHCPC_SELECTING:
        send_msg(c, SIM_DHCPDISCOVER, 0xffffffffu);
        set_timer(c, now + backoff(c));
        return;
    case SIM_DHCPC_REQUESTING:
    case SIM_DHCPC_REBOOTING:
        /* No ACK: start over (§4.4.1), after 4 tries, or after dhclient's
         * 10 s when rebooting. */
        if (c->state == SIM_DHCPC_REQUESTING ? c->tries >= 4 : now - c->start >= REBOOT_TIMEOUT) {
            if (c->state == SIM_DHCPC_REBOOTING)
                note(c, "no answer to INIT-REBOOT: INIT");
            unconfigure(c);
            discover(c);
            return;
        }
        send_msg(c, SIM_DHCPREQUEST, 0xffffffffu);
        set_timer(c, now + backoff(c));
        return;
    case SIM_DHCPC_PROBING:
        probe_step(c);
        return;
    case SIM_DHCPC_BOUND:
    case SIM_DHCPC_RENEWING:
    case SIM_DHCPC_REBINDING:
        break;
    default:
        return;
    }
    if (now >= c->expiry) {
        note(c, "lease expired");
        unconfigure(c);
        discover(c);
    } else if (now >= c->t2) {
        if (c->state != SIM_DHCPC_REBINDING)
            note(c, "T2 reached: REBINDING");
        c->state = SIM_DHCPC_REBINDING;
        send_msg(c, SIM_DHCPREQUEST, 0xffffffffu);
        set_timer(c, MIN(renew_retry(c, c->expiry), c->expiry));
    } else if (now >= c->t1) {
        if (c->state != SIM_DHCPC_RENEWING)
            note(c, "T1 reached: RENEWING");
        c->state = SIM_DHCPC_RENEWING;
        send_msg(c, SIM_DHCPREQUEST, c->lease.server_id);
        set_timer(c, MIN(renew_retry(c, c->t2), c->t2));
    }
}

static void set_timer(SimDhcpClient *c, SimTime at)
{
    cancel(c, &c->timer);
    c->timer = sim_world_schedule_at(c->w, at, on_timer, c, NULL);
}

/* RFC 2131 §4.4.1: 1..10 s before the first message after a (re)start, so
 * that hosts powered on together do not all ask at once. */
static void start_wait(SimDhcpClient *c)
{
    set_timer(c,
              sim_world_now(c->w) + SIM_SEC + sim_rng_below(sim_world_rng(c->w), 9 * SIM_SEC + 1));
}

static void configure(SimDhcpClient *c, const SimDhcpMsg *ack, SimTime acked)
{
    char a[SIM_IPV4_STRLEN], g[SIM_IPV4_STRLEN];
    uint8_t len = 24;
    if (ack->has_mask && !sim_ipv4_mask_len(ack->mask, &len))
        len = 24;
    if (c->addr != ack->yiaddr) {
        unconfigure(c);
        SimPrefix p = {ack->yiaddr, len};
        g_autoptr(GError) err = NULL;
        if (!sim_ip_add_address(c->node, c->iface, &p, &err)) {
            note(c, "cannot install %s: %s", sim_ipv4_format(ack->yiaddr, a), err->message);
            return;
        }
        c->addr = ack->yiaddr;
        if (ack->n_routers && sim_ip_set_gateway(c->node, ack->routers[0], NULL))
            c->gw = ack->routers[0];
        c->dns = ack->n_dns ? ack->dns[0] : 0;
        note(c, "bound to %s/%u, gateway %s", sim_ipv4_format(c->addr, a), len,
             c->gw ? sim_ipv4_format(c->gw, g) : "none");
    }
    /* Lease times count from the ACK, not from the end of the probe. */
    uint32_t lease = ack->has_lease ? ack->lease : 3600;
    c->bound_at = acked;
    c->expiry = acked + (SimTime)lease * SIM_SEC;
    c->t1 = acked + (ack->has_t1 ? (SimTime)ack->t1 * SIM_SEC : (SimTime)lease * SIM_SEC / 2);
    c->t2 = acked + (ack->has_t2 ? (SimTime)ack->t2 * SIM_SEC : (SimTime)lease * SIM_SEC * 7 / 8);
    c->state = SIM_DHCPC_BOUND;
    set_timer(c, c->t1);
}

/* RFC 5227 §2.1.1: someone answered for the address, or probes for it too.
 * RFC 2131 §3.1 step 5: DHCPDECLINE, then INIT again after 10 s. */
static void on_conflict(void *user, const SimMac *sha, bool probe)
{
    SimDhcpClient *c = user;
    char a[SIM_IPV4_STRLEN], m[SIM_MAC_STRLEN];
    if (c->state != SIM_DHCPC_PROBING)
        return;
    sim_arp_watch(c->iface, 0, NULL, NULL);
    if (probe)
        note(c, "%s probes for %s too: DHCPDECLINE", sim_mac_format(sha, m),
             sim_ipv4_format(c->lease.yiaddr, a));
    else
        note(c, "%s is in use by %s: DHCPDECLINE", sim_ipv4_format(c->lease.yiaddr, a),
             sim_mac_format(sha, m));
    send_msg(c, SIM_DHCPDECLINE, 0xffffffffu);
    c->lease = (SimDhcpMsg){0};
    c->expiry = 0;
    c->state = SIM_DHCPC_INIT;
    set_timer(c, sim_world_now(c->w) + DECLINE_WAIT);
}

static void on_ack(SimDhcpClient *c, const SimDhcpMsg *m)
{
    c->lease = *m;
    if (c->addr == m->yiaddr) { /* a renewal, or INIT-REBOOT keeping it */
        configure(c, m, sim_world_now(c->w));
        return;
    }
    /* A new address: check that nobody uses it first (RFC 2131 §4.4.1
     * SHOULD, RFC 5227). */
    unconfigure(c);
    c->state = SIM_DHCPC_PROBING;
    c->acked = sim_world_now(c->w);
    c->probes = 0;
    sim_arp_watch(c->iface, m->yiaddr, on_conflict, c);
    set_timer(c, c->acked + sim_rng_below(sim_world_rng(c->w), ACD_UNIT + 1)); /* PROBE_WAIT */
}

static void on_recv(void *user, SimUdpSocket *sock, SimIpv4 src, uint16_t sport,
                    const uint8_t *data, size_t len)
{
    SimDhcpClient *c = user;
    SimDhcpMsg m;
    if (!sim_dhcp_msg_parse(data, len, &m, NULL) || m.op != SIM_DHCP_BOOTREPLY || m.xid != c->xid ||
        !sim_mac_equal(&m.chaddr, sim_iface_mac(c->iface)))
        return; /* another client's exchange, or not DHCP */
    bool asking = c->state == SIM_DHCPC_REQUESTING || c->state == SIM_DHCPC_REBOOTING ||
                  c->state == SIM_DHCPC_RENEWING || c->state == SIM_DHCPC_REBINDING;
    if (m.type == SIM_DHCPOFFER && c->state == SIM_DHCPC_SELECTING && m.has_server_id) {
        c->lease = m;
        c->state = SIM_DHCPC_REQUESTING;
        c->tries = 0;
        send_msg(c, SIM_DHCPREQUEST, 0xffffffffu);
        set_timer(c, sim_world_now(c->w) + backoff(c));
    } else if (m.type == SIM_DHCPACK && asking) {
        on_ack(c, &m);
    } else if (m.type == SIM_DHCPNAK && asking) {
        note(c, "DHCPNAK: restarting");
        unconfigure(c);
        discover(c);
    }
}

/* Stops whatever is under way: probes, announcements, timers. */
static void halt(SimDhcpClient *c)
{
    sim_arp_watch(c->iface, 0, NULL, NULL);
    cancel(c, &c->timer);
    cancel(c, &c->announce);
}

/* An unexpired lease the client got (kept in c->lease for INIT-REBOOT). */
static bool remembers_lease(const SimDhcpClient *c)
{
    bool held = c->state == SIM_DHCPC_BOUND || c->state == SIM_DHCPC_RENEWING ||
                c->state == SIM_DHCPC_REBINDING || c->state == SIM_DHCPC_INIT_REBOOT ||
                c->state == SIM_DHCPC_REBOOTING;
    return held && c->lease.yiaddr && c->expiry > sim_world_now(c->w);
}

/* Carrier lost and back, as Windows (media sense) and systemd-networkd
 * handle it: the address goes with the carrier, the lease is remembered;
 * when the link returns, INIT-REBOOT at once (the PC may be on another
 * network now), or DORA if the lease ran out meanwhile. */
static void on_link(void *user, SimIface *iface, bool up)
{
    SimDhcpClient *c = user;
    if (c->state == SIM_DHCPC_STOPPED)
        return;
    if (!up) {
        bool remembered = remembers_lease(c);
        halt(c);
        unconfigure(c);
        c->state = remembered ? SIM_DHCPC_INIT_REBOOT : SIM_DHCPC_INIT;
        return; /* nothing to do until the link is back */
    }
    if (remembers_lease(c) && c->state == SIM_DHCPC_INIT_REBOOT)
        reboot_request(c);
    else if (c->state == SIM_DHCPC_INIT || c->state == SIM_DHCPC_INIT_REBOOT)
        discover(c);
}

SimDhcpClient *sim_dhcp_client_start(SimNode *node, SimIface *iface, GError **error)
{
    SimDhcpClient *c = g_new0(SimDhcpClient, 1);
    c->node = node;
    c->w = sim_node_world(node);
    c->iface = iface;
    c->sock = sim_udp_new(node, on_recv, NULL, c, error);
    if (!c->sock || !sim_udp_bind(c->sock, 0, SIM_DHCP_CLIENT_PORT, error)) {
        sim_udp_free(c->sock);
        g_free(c);
        return NULL;
    }
    sim_udp_set_broadcast(c->sock, true);
    sim_ip_stack_adopt(sim_ip_stack(node), c, client_free);
    sim_ip_watch_link(iface, on_link, c);
    c->state = SIM_DHCPC_INIT;
    start_wait(c);
    return c;
}

void sim_dhcp_client_release(SimDhcpClient *c)
{
    if (c->addr) {
        c->xid = (uint32_t)sim_rng_u64(sim_world_rng(c->w));
        send_msg(c, SIM_DHCPRELEASE, c->lease.server_id);
    }
    unconfigure(c);
    halt(c);
    c->lease = (SimDhcpMsg){0};
    c->expiry = 0;
    c->state = SIM_DHCPC_STOPPED;
}

void sim_dhcp_client_reboot(SimDhcpClient *c)
{
    bool remembered = remembers_lease(c);
    halt(c);
    unconfigure(c); /* a rebooted host starts without an address */
    c->state = remembered ? SIM_DHCPC_INIT_REBOOT : SIM_DHCPC_INIT;
    start_wait(c);
}

SimDhcpClientState sim_dhcp_client_state(const SimDhcpClient *c)
{
    return c->state;
}

const char *sim_dhcp_client_state_name(SimDhcpClientState st)
{
    static const char *const names[] = {"INIT",        "SELECTING", "REQUESTING", "PROBING",
                                        "BOUND",       "RENEWING",  "REBINDING",  "STOPPED",
                                        "INIT-REBOOT", "REBOOTING"};
    return (unsigned)st < G_N_ELEMENTS(names) ? names[st] : "?";
}

SimIpv4 sim_dhcp_client_address(const SimDhcpClient *c)
{
    return c->addr;
}

SimIpv4 sim_dhcp_client_dns(const SimDhcpClient *c)
{
    return c->dns;
}

void sim_dhcp_client_times(const SimDhcpClient *c, SimTime *t1, SimTime *t2, SimTime *expiry)
{
    *t1 = c->t1;
    *t2 = c->t2;
    *expiry = c->expiry;
}

void sim_dhcp_client_show(const SimDhcpClient *c, GString *out)
{
    char a[SIM_IPV4_STRLEN], s[SIM_IPV4_STRLEN];
    g_string_append_printf(out, "%s: %s", sim_iface_name(c->iface),
                           sim_dhcp_client_state_name(c->state));
    if (c->addr)
        g_string_append_printf(out, " %s server %s T1 %.3fs T2 %.3fs expires %.3fs",
                               sim_ipv4_format(c->addr, a), sim_ipv4_format(c->lease.server_id, s),
                               (double)c->t1 / SIM_SEC, (double)c->t2 / SIM_SEC,
                               (double)c->expiry / SIM_SEC);
    g_string_append_c(out, '\n');
}

/* arp.h - RFC 826 ARP: resolution, the neighbour cache and its aging.
 *
 * Design: one cache per IP interface, a GHashTable keyed by
 * GUINT_TO_POINTER(ip) (no allocated keys), created on first use so that a
 * 20,000-host world does not pay for empty tables. An entry is allocated
 * when a neighbour is first resolved, never per packet.
 *
 * States and timers follow Linux's neighbour code with its defaults:
 *   INCOMPLETE  resolving: a broadcast request every RETRANS (1 s), at most
 *               MCAST_SOLICIT (3); then the entry fails: queued packets are
 *               dropped ("no ARP reply") and each sender gets an ICMP host
 *               unreachable (a local sender sees it as Linux's ping does).
 *   REACHABLE   confirmed by a reply less than REACHABLE_TIME (30 s) ago.
 *   STALE       older than that, still used. Sending through a stale entry
 *               moves it to DELAY.
 *   DELAY       wait DELAY_TIME (5 s) for a confirmation, then PROBE.
 *   PROBE       unicast requests every RETRANS, at most UCAST_SOLICIT (3);
 *               no answer fails the entry.
 *   FAILED      resolution or probing failed (Linux neigh_invalidate). The
 *               entry stays, listed without a MAC as `ip neigh` shows it,
 *               until it is garbage-collected (below) or used again: a
 *               packet for it starts a new INCOMPLETE round, as Linux's
 *               __neigh_event_send does.
 * REACHABLE -> STALE is computed from timestamps on access instead of with
 * a timer per entry; an entry left STALE or FAILED and unused for
 * GC_STALE_TIME (60 s) is removed on access and hidden from `show` (Linux
 * only garbage-collects above gc_thresh1 = 128 entries, where its periodic
 * sweep removes FAILED entries at once and STALE ones unused for
 * gc_stale_time; aging every table the same way keeps small labs tidy).
 * Linux randomises the reachable time (15-45 s); netsim keeps 30 s so runs
 * stay easy to read (they are deterministic either way).
 *
 * RFC 826 merge rule: a packet from a sender already in the cache updates
 * it; a request or reply whose target is us adds the sender (as STALE, like
 * Linux's neigh_event_ns); anything else (gratuitous ARP about an unknown
 * host) leaves the cache alone. Only a reply to our own request makes an
 * entry REACHABLE. Requests are answered only for addresses of the
 * receiving interface (Linux arp_ignore=1), which avoids ARP flux.
 *
 * A sender claiming one of our addresses from another MAC is an address
 * conflict: traced, never learned.
 *
 * Address conflict detection (RFC 5227) for a client about to take an
 * address (the DHCP client): sim_arp_probe sends an ARP Probe (sender IP
 * 0.0.0.0, target hardware address zero), sim_arp_announce an ARP
 * Announcement (sender IP = target IP = the address), and sim_arp_watch
 * reports, until it is stopped, every ARP packet from another MAC whose
 * sender IP is the address, or that is a probe for it (RFC 5227 §2.1.1).
 * A watched packet goes to the watcher only (neither learned nor traced as
 * a drop). The timing of the probes is the caller's. From one of our own MACs it is our own
 * request come back (a loop, or two NICs on one LAN): ignored, as Linux
 * does (ip_route_input rejects a local source address, so arp_process
 * neither answers nor learns it).
 *
 * Packets waiting for an unresolved address are bounded by bytes, as in
 * current Linux (unres_qlen_bytes, 212,992 by default; the old limit of 3
 * packets, unres_qlen, is now derived from it): a packet that would take
 * the queue past the bound pushes out the oldest ones, traced as "ARP queue
 * full". Linux counts each packet's skb->truesize, its buffer's memory
 * rather than its length; netsim charges what alloc_skb would take for the
 * frame (sim_arp_skb_truesize), so 256 small pings or 92 full-size frames
 * wait, as on a Linux 6.x host. A NIC driver's receive buffers may be
 * larger than that for forwarded packets; that detail is not modelled.
 */
#pragma once

#include "sim/core/simtime.h"
#include "sim/link/iface.h"
#include "sim/link/node.h"
#include "sim/net/addr.h"

#include <glib.h>
#include <stdbool.h>

#define SIM_ARP_REACHABLE_TIME (30 * SIM_SEC)
#define SIM_ARP_RETRANS_TIME (1 * SIM_SEC)
#define SIM_ARP_DELAY_TIME (5 * SIM_SEC)
#define SIM_ARP_GC_STALE_TIME (60 * SIM_SEC)
#define SIM_ARP_MCAST_SOLICIT 3
#define SIM_ARP_UCAST_SOLICIT 3
#define SIM_ARP_UNRES_QLEN_BYTES 212992 /* Linux's default (SK_WMEM_MAX) */

typedef enum {
    SIM_ARP_INCOMPLETE,
    SIM_ARP_REACHABLE,
    SIM_ARP_STALE,
    SIM_ARP_DELAY,
    SIM_ARP_PROBE,
    SIM_ARP_FAILED,
} SimArpState;

/* An ARP packet from sha claims the watched address (probe: it is another
 * host's probe for it, not a use of it). */
typedef void (*SimArpConflictFn)(void *user, const SimMac *sha, bool probe);
/* RFC 5227 ARP Probe for target out of iface (traced as arp-request). FALSE
 * when iface is not an interface of an IP stack. */
gboolean sim_arp_probe(SimIface *iface, SimIpv4 target);
/* RFC 5227 ARP Announcement of addr. */
gboolean sim_arp_announce(SimIface *iface, SimIpv4 addr);
/* Watches addr on iface (one watch per interface; a new call replaces it;
 * fn NULL stops it). */
void sim_arp_watch(SimIface *iface, SimIpv4 addr, SimArpConflictFn fn, void *user);

/* The bytes a queued frame of frame_len bytes is charged (Linux's
 * skb->truesize of a freshly allocated linear skb on x86-64). */
guint sim_arp_skb_truesize(size_t frame_len);

/* "INCOMPLETE", "REACHABLE", ... as `ip neigh` prints them. */
const char *sim_arp_state_name(SimArpState s);

/* Looks ip up in the cache of iface (an interface of an IP node) as it
 * stands now, without side effects. mac is left alone for INCOMPLETE and
 * FAILED. */
gboolean sim_arp_lookup(SimIface *iface, SimIpv4 ip, SimMac *mac, SimArpState *state);
/* Live entries (aged ones excluded) over all interfaces of the node. */
guint sim_arp_count(SimNode *node);
/* A live cache entry as the tables show it. mac is all zero while
 * INCOMPLETE or FAILED. */
typedef struct {
    SimIpv4 ip;
    SimMac mac;
    SimArpState state; /* as of now */
    SimIface *iface;
} SimArpView;
typedef void (*SimArpForeachFunc)(const SimArpView *entry, gpointer user_data);
/* Calls func for every live entry of the node, in sim_arp_format's order.
 * For diagrams and other readers that want the fields, not the text. */
void sim_arp_foreach(SimNode *node, SimArpForeachFunc func, gpointer user_data);
/* One `ip neigh` line per entry, sorted by interface then address:
 *   192.168.10.254 dev eth0 lladdr 00:0a:a4:2a:3e:4b REACHABLE
 *   192.168.10.7 dev eth0 INCOMPLETE
 *   192.168.10.9 dev eth0 FAILED
 * or "(no ARP entries)\n". */
void sim_arp_format(SimNode *node, GString *out);

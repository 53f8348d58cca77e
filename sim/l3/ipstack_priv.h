/* ipstack_priv.h - internals shared by the files of the IPv4 stack
 * (ipstack.c, arp.c, ipv4_in.c, ipv4_out.c, icmp.c, udp_demux.c, reasm.c,
 * node_ip.c). Nothing outside sim/l3 includes this.
 */
#pragma once

#include "sim/l3/arp.h"
#include "sim/l3/fib.h"
#include "sim/l3/ipstack.h"
#include "sim/net/ipv4_hdr.h"

typedef struct _SimIpIf SimIpIf;
typedef struct _ArpEntry ArpEntry;
typedef struct _Reasm Reasm;
typedef struct _SimNat SimNat;

/* Up to this many ARP entries per interface live inline in SimIpIf. */
#define ARP_FEW 4

/* Per-interface IP state, reached from the SimIface through its l3 slot.
 *
 * Cache-line aligned, with everything a received broadcast ARP reads in its
 * first two lines. Every host on a LAN handles every ARP request it hears:
 * it checks both addresses against its own and looks up the sender (RFC
 * 826 refreshes a known sender whatever the target), and nearly always
 * finds nothing to do. So a 64-bit Bloom filter of the stack's addresses
 * answers "certainly not ours" without reading the stack; a host's few ARP
 * entries are inline (a miss is a scan of four integers, not a trip
 * through a hash table); and their MACs are mirrored here with a bound
 * before which none can age out, so that a known sender with an unchanged
 * MAC (the router, heard by every host) is settled without reading its
 * entry. With a LAN of N hosts this runs N times per broadcast; each cache
 * line it avoids was a miss per delivery at N = 10,000. */
struct _SimIpIf {
    SimIpStack *st;
    SimWorld *w;
    SimIface *iface;
    GHashTable *arp;      /* GUINT_TO_POINTER(ip) -> ArpEntry*, owned, once more
                             than ARP_FEW entries were held; else NULL */
    uint64_t local_bloom; /* ip_addr_bloom_bit() of every address of st */
    guint n_few;          /* entries in few[] (0 while arp is in use) */
    SimIpv4 few_ip[ARP_FEW];
    SimMac few_mac[ARP_FEW]; /* few[k]->mac, kept equal by arp.c */
    SimIpv4 acd_addr;        /* sim_arp_watch's address, 0 = none (in the padding
                                before few_safe: every ARP packet reads it) */
    SimTime few_safe;        /* no entry in few[] can expire before this */
    ArpEntry *few[ARP_FEW];  /* owned; few[k] is the entry for few_ip[k] */
    GArray *addrs;           /* SimPrefix, with host bits (the address itself) */
    /* sim_arp_watch (RFC 5227 conflict detection), set with acd_addr */
    SimArpConflictFn acd_fn;
    void *acd_user;
    SimIpLinkFn link_fn; /* sim_ip_watch_link; NULL: none */
    void *link_user;
};

static inline uint64_t ip_addr_bloom_bit(SimIpv4 a)
{
    return UINT64_C(1) << ((a * 0x9E3779B1u) >> 26); /* Fibonacci hash to 0..63 */
}

/* False when a is certainly not an address of ifp's stack; true when it may
 * be (then ask sim_ip_is_local). */
static inline bool ip_if_maybe_local(const SimIpIf *ifp, SimIpv4 a)
{
    return (ifp->local_bloom & ip_addr_bloom_bit(a)) != 0;
}

/* Any callback type; cast back to the real one before calling (GCC treats
 * void (*)(void) as compatible with every function pointer type). */
typedef void (*IpAnyFn)(void);

/* A bound echo id or UDP port, or a registered protocol. */
typedef struct {
    IpAnyFn fn; /* SimIpEchoFn / SimIpUdpFn / SimIpProtoFn */
    SimIpErrorFn err;
    void *user;
} IpBinding;

typedef struct {
    uint8_t proto;
    IpBinding b;
} IpProto;

typedef struct {
    void *obj;
    GDestroyNotify free_fn;
} IpAdopted;

/* One configured address and its directed broadcast (0 for /31, /32). */
typedef struct {
    SimIpv4 addr, bcast;
} IpAddrEnt;

/* Up to this many addresses, "is it ours" scans an array (a host has one
 * or two: a scan of a cache line beats hashing); past it, hash tables. */
#define IP_ADDR_SCAN_MAX 8

/* The fields every received packet reads come first (one cache line for a
 * host with one address). */
struct _SimIpStack {
    SimWorld *w;
    const char *name;  /* the node's, for traces */
    GHashTable *local; /* addr set; NULL while n_addrs <= IP_ADDR_SCAN_MAX */
    GHashTable *bcast; /* directed broadcast set; likewise */
    guint n_addrs;
    bool forwarding;
    uint64_t local_bloom; /* copied into every SimIpIf */
    /* Every address of every interface: inline while few (no pointer to
     * chase on the per-packet path), in two hash sets past that. */
    IpAddrEnt addr_small[IP_ADDR_SCAN_MAX];
    SimNode *node;
    guint ordinal; /* node count at creation: seeds default MACs */
    SimFib *fib;
    GPtrArray *ifs;     /* SimIpIf*, owned, in attach order */
    GHashTable *echo;   /* GUINT_TO_POINTER(id) -> IpBinding*, owned; lazy */
    GHashTable *udp;    /* GUINT_TO_POINTER(port) -> IpBinding*, owned; lazy */
    GArray *protos;     /* IpProto; lazy */
    GArray *adopted;    /* IpAdopted; lazy */
    GHashTable *pmtu;   /* GUINT_TO_POINTER(dst) -> PmtuEnt*, owned; lazy */
    Reasm *reasm;       /* in-progress reassemblies, oldest first */
    size_t reasm_bytes; /* bytes held by them */
    uint16_t next_ip_id;
    uint16_t next_echo_id;
    uint16_t next_port;
    SimIpStats stats;
    SimNat *nat;       /* NULL unless NAT is on (nat.c) */
    bool drop_private; /* drop RFC 1918 destinations when forwarding */
};

/* ---- ipstack.c ----------------------------------------------------------- */
SimIpStack *ip_stack_new(SimWorld *w, bool forwarding);
void ip_stack_set_node(SimIpStack *st, SimNode *node);
void ip_stack_free(void *st);
static inline SimIpIf *ip_if(const SimIface *iface)
{
    return iface ? (SimIpIf *)sim_iface_l3(iface) : NULL;
}
SimIpIf *ip_if_by_index(const SimIpStack *st, int ifindex);
/* The address of ifp to use towards dst: one whose subnet holds dst, else
 * the first; 0 if the interface has none. */
SimIpv4 ip_if_source_for(const SimIpIf *ifp, SimIpv4 dst);
/* True when a is the directed broadcast address of one of ifp's subnets. */
bool ip_if_is_bcast(const SimIpIf *ifp, SimIpv4 a);
/* Limited broadcast, or the directed broadcast of any of our subnets. */
bool ip_is_bcast(const SimIpStack *st, SimIpv4 a);
IpBinding *ip_proto_binding(const SimIpStack *st, uint8_t proto);
/* Frame-level input: the node's SimNodeOps.input. Consumes pkt. */
void ip_node_input(SimNode *node, SimIface *in, SimPacket *pkt);
void ip_node_link_changed(SimNode *node, SimIface *iface, bool up);
/* Pushes an Ethernet header and sends. Consumes pkt. */
void ip_link_output(SimIpIf *ifp, const SimMac *dst, uint16_t ethertype, SimPacket *pkt);
/* Traces a drop and counts it on the interface (NULL: not counted). */
#define IP_DROP(st, ifp, pkt, reason, ...)                                                         \
    do {                                                                                           \
        SimIpIf *ip_drop_if_ = (ifp);                                                              \
        if (ip_drop_if_)                                                                           \
            sim_iface_count_drop(ip_drop_if_->iface, (reason));                                    \
        SIM_TRACE((st)->w, SIM_TR_DROP, (reason), (st)->name,                                      \
                  ip_drop_if_ ? sim_iface_name(ip_drop_if_->iface) : NULL, (pkt), __VA_ARGS__);    \
    } while (0)

/* ---- arp.c --------------------------------------------------------------- */
/* A received ARP packet at [off, len). Consumes pkt. */
void arp_input(SimIpStack *st, SimIpIf *ifp, SimPacket *pkt, size_t off);
/* Sends the IP datagram dgram (consumed; IP header at offset 0) to the
 * on-link neighbour nh, resolving it first. in is the arrival interface of
 * a forwarded datagram (NULL when locally generated): a failure is reported
 * through it. */
void arp_output(SimIpStack *st, SimIpIf *ifp, SimIpv4 nh, SimPacket *dgram, SimIpIf *in);
/* Drops every entry of ifp (pending packets traced as `why`). */
void arp_flush(SimIpStack *st, SimIpIf *ifp, const char *why);
/* Frees the cache without tracing (teardown). */
void arp_free(SimIpIf *ifp);

/* ---- ipv4_in.c ----------------------------------------------------------- */
/* A received IPv4 packet whose header starts at off. l2_group: the frame was
 * sent to a broadcast/multicast MAC. Consumes pkt. */
void ip_input(SimIpStack *st, SimIpIf *ifp, SimPacket *pkt, size_t off, bool l2_group);
/* Local delivery of a datagram starting at off (ifp NULL when looped back).
 * Consumes pkt. */
void ip_local_deliver(SimIpStack *st, SimIpIf *ifp, SimPacket *pkt, size_t off, const SimIpv4Hdr *h,
                      bool bcast);

/* ---- ipv4_out.c ---------------------------------------------------------- */
/* Sends a datagram with a complete header at offset 0 (consumed) out of ifp
 * to neighbour nh, fragmenting it when it exceeds the MTU (the caller has
 * checked DF). in as for arp_output. */
void ip_send_dgram(SimIpStack *st, SimIpIf *ifp, SimIpv4 nh, SimPacket *dgram, SimIpIf *in);
/* Builds the header for payload (consumed) and sends it: the common path of
 * sim_ip_output and of ICMP messages. */
gboolean ip_output(SimIpStack *st, SimPacket *payload, SimIpv4 dst, uint8_t proto,
                   const SimIpTxOpts *opts, GError **error);
/* A "route" trace record; ttl_in < 0 when no TTL changed (our own traffic). */
void ip_trace_route(SimIpStack *st, SimIpv4 dst, const SimFibNextHop *nh, const SimIpIf *out,
                    int ttl_in, int ttl_out);

/* A datagram being delivered locally, as the L4 input functions see it. */
typedef struct {
    SimIpIf *ifp;           /* arrival interface; NULL when looped back */
    SimPacket *pkt;         /* borrowed */
    size_t ip_off;          /* IP header */
    size_t l4_off, l4_len;  /* the L4 message */
    const SimPacket *frame; /* pkt when it is a whole frame (for traces), else NULL */
} IpRx;

/* ---- icmp.c -------------------------------------------------------------- */
void icmp_input(SimIpStack *st, const IpRx *in, const SimIpRxInfo *rx);
/* Reports the datagram at [off, ...) of orig (borrowed) to its sender with
 * an ICMP error, unless RFC 1122 forbids it (then returns FALSE). in: the
 * arrival interface (NULL when the datagram was our own); the error's source
 * address does not depend on it (routing picks it, as in Linux). */
bool icmp_send_error(SimIpStack *st, const SimPacket *orig, size_t off, SimIpIf *in, uint8_t type,
                     uint8_t code, uint16_t mtu);
const char *icmp_unreach_name(uint8_t code);

/* ---- udp_demux.c --------------------------------------------------------- */
void udp_input(SimIpStack *st, const IpRx *in, const SimIpRxInfo *rx);
/* The binding of the port that sent the UDP datagram an error quotes. */
IpBinding *udp_error_binding(SimIpStack *st, const SimIpIcmpError *err);

/* ---- pmtu.c -------------------------------------------------------------- */
#define SIM_IP_PMTU_EXPIRES (10 * 60 * SIM_SEC) /* Linux ip_rt_mtu_expires */
#define SIM_IP_MIN_PMTU 552                     /* Linux ip_rt_min_pmtu */
/* The live cached path MTU to dst, or 0; *locked (if non-NULL) tells
 * whether it is locked (DF must then stay clear). Ages entries lazily. */
uint32_t ip_pmtu_get(SimIpStack *st, SimIpv4 dst, bool *locked);
/* A Fragmentation Needed error reported mtu for our datagram to dst. */
void ip_pmtu_learn(SimIpStack *st, SimIpv4 dst, uint32_t mtu);

/* ---- reasm.c ------------------------------------------------------------- */
#define SIM_IP_REASM_TIMEOUT (30 * SIM_SEC) /* Linux ipfrag_time */
#define SIM_IP_REASM_MEM (256 * 1024)       /* bytes held per stack */
/* A fragment at off (consumed). Returns the whole datagram (header at
 * offset 0, one reference) once complete, else NULL. */
SimPacket *reasm_input(SimIpStack *st, SimIpIf *ifp, SimPacket *pkt, size_t off,
                       const SimIpv4Hdr *h);
void reasm_free_all(SimIpStack *st);

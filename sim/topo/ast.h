/* ast.h - the syntax tree of a topology file (*.topo).
 *
 * Design: the tree is a plain data structure handed from the parser to the
 * validator, then to the builder, `netsim check` and the diagram code. Its
 * structs are public on purpose: every consumer walks all of it, and
 * accessors for each field would double the API without hiding anything.
 * SimTopo itself is created and freed only through sim_topo_new/free.
 *
 * Nodes, links and commands are GPtrArrays in file order, because order is
 * meaningful (MAC auto-assignment, automatic port choice and same-time
 * commands all follow it). Names map to indexes through one GHashTable
 * (O(1) lookup); interfaces per node are few and found by linear scan.
 * Rejected: linking nodes and endpoints with pointers; indexes survive array
 * growth and make "not resolved" (-1) explicit.
 *
 * Lifecycle: the parser fills what is written in the file, with a source
 * position for every item. sim_topo_validate (validate.h) then resolves
 * every link endpoint to a concrete interface or port, assigns MACs, and
 * applies link defaults; the "resolved" fields below are meaningful only
 * after it returned TRUE.
 *
 * Ownership: the SimTopo owns everything reachable from it, including every
 * string. SimTopoPos.file points at SimTopo.file.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/core/simtime.h"
#include "sim/net/addr.h"

typedef struct {
    const char *file; /* SimTopo.file */
    guint line;       /* 1-based */
    guint col;        /* 1-based, in characters */
} SimTopoPos;

/* Built-in values used when neither the statement nor `defaults` sets one. */
#define SIM_TOPO_DEFAULT_PORTS 8
#define SIM_TOPO_MAX_PORTS 65536
#define SIM_TOPO_DEFAULT_AGING (300 * SIM_SEC)
#define SIM_TOPO_DEFAULT_MAC_TABLE 8192
#define SIM_TOPO_DEFAULT_MTU 1500
#define SIM_TOPO_DEFAULT_RATE UINT64_C(100000000) /* 100 Mbps */
#define SIM_TOPO_DEFAULT_DELAY (1 * SIM_US)
#define SIM_TOPO_DEFAULT_QUEUE 1000 /* packets, per direction (as the link model) */
#define SIM_TOPO_DEFAULT_METRIC 0

typedef enum {
    SIM_TOPO_HOST,
    SIM_TOPO_HUB,
    SIM_TOPO_SWITCH,
    SIM_TOPO_ROUTER,
} SimTopoNodeKind;

typedef struct {
    char *name;
    SimTopoPos pos;
    bool implicit; /* eth0 made from the host declaration line */
    bool has_ip;
    SimPrefix ip; /* address with its prefix length (host bits set) */
    SimTopoPos ip_pos;
    bool has_mac;  /* after validation always true */
    bool mac_auto; /* assigned by validation, not written */
    SimMac mac;
    SimTopoPos mac_pos;
    bool mtu_set;
    uint32_t mtu; /* after validation: SIM_TOPO_DEFAULT_MTU if not set */
    int link;     /* resolved: index into SimTopo.links, -1 if unconnected */
    /* VLAN interfaces: a host/router sub-interface "eth0.10" (parent = the
     * index of eth0), or an L3 switch's SVI "vlan10" (parent -1). Never
     * linked; a sub-interface takes its parent's MAC unless one is written. */
    uint16_t vid; /* 0: a plain NIC */
    int parent;   /* -1 unless a sub-interface */
    SimTopoPos vid_pos;
    char *vlan_name; /* SVI: `vlan 10 name dormA`, NULL when not written */
    bool dhcp;       /* address from a DHCP client (`dhcp`) */
    SimTopoPos dhcp_pos;
} SimTopoIface;

/* `port LIST access VID` / `port LIST trunk [allowed LIST] [native VID]`
 * on a switch: one record per range of the list. */
typedef struct {
    SimTopoPos pos;       /* the port list */
    uint32_t first, last; /* the range (first <= last) */
    bool trunk;
    uint16_t access;  /* access VLAN */
    uint8_t *allowed; /* trunk: bitmap of SIM_TOPO_VLAN_BITMAP bytes, owned; NULL: all */
    uint16_t native;  /* trunk: native VLAN (1 unless written) */
} SimTopoPortCfg;

/* `vlan VID [name NAME]` on a switch without an address (with `ip` it is an
 * SVI and lives in ifaces). */
typedef struct {
    SimTopoPos pos;
    uint16_t vid;
    char *name; /* NULL when not written */
} SimTopoVlan;

#define SIM_TOPO_VLAN_BITMAP 512 /* bits for VIDs 0..4095 */

/* dhcp-server IFACE pool FIRST-LAST [dns IPV4] [domain NAME] [lease TIME]
 * [router IPV4] [static MAC IPV4]... on a host or router. */
typedef struct {
    SimTopoPos pos;
    char *iface;
    SimIpv4 first, last, dns, router, mask; /* mask 0: the interface's */
    bool has_router;
    char *domain; /* NULL: none */
    SimTime lease;
    GArray *statics; /* SimTopoDhcpStatic */
} SimTopoDhcpServer;

typedef struct {
    SimMac mac;
    SimIpv4 addr;
} SimTopoDhcpStatic;

/* dhcp-relay IFACE to IPV4 on a router (or host). */
typedef struct {
    SimTopoPos pos;
    char *iface;
    SimIpv4 server;
} SimTopoDhcpRelay;

/* DNS lines of a host or router (sim/topo/parse_dns.c):
 *   dns IPV4                      the stub resolver's server (also a host attribute)
 *   dns-zone FILE                 an authoritative zone from a master file
 *   dns-resolver root|forward IPV4...   a recursive resolver or a forwarder */
typedef enum { SIM_TOPO_DNS_NONE, SIM_TOPO_DNS_RECURSIVE, SIM_TOPO_DNS_FORWARD } SimTopoDnsMode;

typedef struct {
    bool has_server;
    SimIpv4 server;
    SimTopoPos server_pos;
    GPtrArray *zone_files; /* char*, resolved against the topology's directory by validation */
    GArray *zone_pos;      /* SimTopoPos of each dns-zone file token */
    SimTopoDnsMode mode;
    SimIpv4 upstream[8]; /* root hints or forwarders */
    guint n_upstream;
    SimTopoPos mode_pos;
} SimTopoDns;

typedef struct {
    SimTopoPos pos;
    SimPrefix dst; /* host bits are never set (checked by the parser) */
    bool has_via;
    SimIpv4 via;
    SimTopoPos via_pos;
    char *dev; /* NULL when not written */
    SimTopoPos dev_pos;
    int dev_index; /* resolved: index in the node's ifaces; -1 if dev not written */
    uint32_t metric;
} SimTopoRoute;

/* forward tcp|udp PORT to ADDR:PORT (router, with nat). */
typedef struct {
    SimTopoPos pos;
    uint8_t proto; /* SIM_IPPROTO_TCP or _UDP */
    uint16_t outside_port, inside_port;
    SimIpv4 addr;
    SimTopoPos addr_pos;
} SimTopoForward;

/* nat inside IFACE outside IFACE [pool PREFIX] [capacity N] (router). */
typedef struct {
    SimTopoPos pos; /* line 0: no nat line (only forwards were written) */
    char *inside, *outside;
    SimTopoPos inside_pos, outside_pos;
    int inside_index, outside_index; /* resolved; -1 until then */
    bool has_pool;
    SimPrefix pool;
    SimTopoPos pool_pos;
    uint32_t capacity; /* 0: default */
    GArray *forwards;  /* SimTopoForward */
} SimTopoNat;

typedef enum { SIM_TOPO_STP_OFF, SIM_TOPO_STP_IEEE, SIM_TOPO_STP_RSTP } SimTopoStpMode;

#define SIM_TOPO_DEFAULT_STP_PRIORITY 32768

typedef struct {
    SimTopoPos pos;
    uint32_t first, last; /* port range */
    uint32_t cost;        /* 0: not written (by link rate) */
    bool edge;
} SimTopoStpPort;

typedef struct {
    SimTopoNodeKind kind;
    char *name;
    SimTopoPos pos;
    /* The declaration or its block had a syntax error: validation skips the
     * checks on this node that would only repeat it. */
    bool bad;
    /* host, router */
    GPtrArray *ifaces; /* SimTopoIface*, owned, in declaration order */
    GPtrArray *routes; /* SimTopoRoute*, owned */
    bool has_gateway;  /* host only */
    SimIpv4 gateway;
    SimTopoPos gateway_pos;
    /* router */
    SimTopoNat *nat;         /* owned; NULL when neither nat nor forward is written */
    bool drop_private;       /* `drop-private`: RFC 1918 destinations are dropped */
    GPtrArray *dhcp_servers; /* SimTopoDhcpServer*, owned; NULL if none */
    GPtrArray *dhcp_relays;  /* SimTopoDhcpRelay*, owned; NULL if none */
    SimTopoDns *dns;         /* host, router: owned; NULL when no DNS line */
    /* switch, hub */
    uint32_t ports; /* numbered 1..ports */
    bool ports_set;
    /* switch */
    SimTime aging;
    bool aging_set;
    uint32_t mac_table; /* capacity in entries */
    bool mac_table_set;
    /* switch: spanning tree (`stp on|rstp|off`, `priority`, times, and
     * `port N cost C|edge` lines); times 0 = the 802.1D default */
    SimTopoStpMode stp;
    SimTopoPos stp_pos;
    uint32_t stp_priority; /* SIM_TOPO_DEFAULT_STP_PRIORITY unless written */
    SimTime stp_hello, stp_max_age, stp_fwd_delay;
    bool stp_setting_set;       /* priority or a time was written */
    SimTopoPos stp_setting_pos; /* the first such keyword */
    GArray *stp_ports;          /* SimTopoStpPort, in file order */
    bool l3;                    /* `l3` written, or an SVI declared: an L3 switch */
    GPtrArray *port_cfgs;       /* SimTopoPortCfg*, owned, file order */
    GPtrArray *vlans;           /* SimTopoVlan*, owned */
    /* resolved, switch and hub: port_link[p] = link index or -1, p in
     * 1..ports (index 0 unused). NULL before validation. */
    int *port_link;
} SimTopoNode;

typedef enum {
    SIM_TOPO_LP_RATE = 1 << 0,
    SIM_TOPO_LP_DELAY = 1 << 1,
    SIM_TOPO_LP_LOSS = 1 << 2,
    SIM_TOPO_LP_QUEUE = 1 << 3,
    SIM_TOPO_LP_MTU = 1 << 4,
} SimTopoLinkParam;

typedef struct {
    guint set;         /* SimTopoLinkParam bits written on this line */
    uint64_t rate_bps; /* > 0 */
    SimTime delay;     /* one-way propagation delay */
    double loss;       /* probability 0..1 (the file says a percentage) */
    uint32_t queue;    /* drop-tail limit in packets, per direction */
    uint32_t mtu;      /* largest IP packet the link carries, in bytes */
} SimTopoLinkParams;

typedef struct {
    char *node; /* as written */
    SimTopoPos pos;
    char *sub; /* text after the '.', NULL when not written */
    SimTopoPos sub_pos;
    /* resolved */
    int node_index;  /* index into SimTopo.nodes */
    int iface_index; /* host/router: index in the node's ifaces, else -1 */
    uint32_t port;   /* switch/hub: 1..ports, else 0 */
    bool auto_assigned;
} SimTopoEndpoint;

typedef struct {
    SimTopoPos pos;
    SimTopoEndpoint a, b;
    /* After validation every field holds the effective value (this line,
     * else `defaults link`, else built-in); `set` still tells what this line
     * wrote. */
    SimTopoLinkParams params;
} SimTopoLink;

typedef enum {
    SIM_TOPO_CMD_PING,
    SIM_TOPO_CMD_TRACEROUTE,
    SIM_TOPO_CMD_SHOW,
    SIM_TOPO_CMD_LINK,
    SIM_TOPO_CMD_CLEAR,
    SIM_TOPO_CMD_TCP_SEND, /* at T NODE tcp-send TARGET:PORT bytes SIZE ... */
    SIM_TOPO_CMD_UDP_SEND, /* at T NODE udp-send TARGET:PORT bytes SIZE ... */
    SIM_TOPO_CMD_SERVICE,  /* at T NODE service discard|hello tcp|udp PORT ... */
    SIM_TOPO_CMD_SEND,     /* at T NODE send tcp TARGET:PORT "TEXT" (sim/apps/hello) */
    SIM_TOPO_CMD_CHAT,     /* at T NODE chat tcp TARGET:PORT "LINE"... [every T] */
    SIM_TOPO_CMD_UPLOAD,   /* at T NODE upload FILE to TARGET:PORT [as NAME] */
    SIM_TOPO_CMD_DHCP,     /* at T NODE dhcp release|reboot */
} SimTopoCmdKind;

#define SIM_TOPO_UPLOAD_MAX (256 << 20) /* bytes of one `upload` file, read whole */

/* What `service` runs. */
typedef enum {
    SIM_TOPO_SVC_DISCARD, /* RFC 863, sim/apps/bulk */
    SIM_TOPO_SVC_HELLO,   /* the seed's "Hello, client!" server, sim/apps/hello */
    SIM_TOPO_SVC_CHATBOT, /* keyword chat bot, sim/apps/chatbot */
    SIM_TOPO_SVC_UPLOAD,  /* file upload server, sim/apps/upload */
} SimTopoService;

typedef enum {
    SIM_TOPO_TABLE_MAC,
    SIM_TOPO_TABLE_ARP,
    SIM_TOPO_TABLE_ROUTE,
    SIM_TOPO_TABLE_INTERFACES,
    SIM_TOPO_TABLE_ROUTE_CACHE, /* `route cache`: the path MTU cache */
    SIM_TOPO_TABLE_VLAN,
    SIM_TOPO_TABLE_SOCKETS,
    SIM_TOPO_TABLE_NAT,
    SIM_TOPO_TABLE_DHCP,
    SIM_TOPO_TABLE_STP, /* `spanning-tree` */
    SIM_TOPO_TABLE_DNS_CACHE,
    SIM_TOPO_TABLE_ZONE,
} SimTopoTable;
#define SIM_TOPO_TABLE_LAST SIM_TOPO_TABLE_ZONE

#define SIM_TOPO_PING_COUNT 4
#define SIM_TOPO_PING_INTERVAL SIM_SEC
#define SIM_TOPO_PING_SIZE 56
#define SIM_TOPO_PING_TTL 64
#define SIM_TOPO_PING_TIMEOUT (10 * SIM_SEC) /* iputils -W default (MAXWAIT) */
#define SIM_TOPO_TRACE_MAX_HOPS 30
#define SIM_TOPO_TRACE_PROBES 3

typedef struct {
    uint32_t count;
    SimTime interval;
    uint32_t size; /* ICMP payload bytes */
    uint32_t ttl;
    SimTime timeout;  /* wait for each reply */
    bool df;          /* `df`: the same as `pmtudisc do` */
    uint8_t pmtudisc; /* SimIpPmtuDisc; 0 (DEFAULT) means ping's own, WANT */
} SimTopoPingOpts;

typedef struct {
    bool icmp; /* ICMP echo probes; default UDP probes as Linux traceroute */
    uint32_t max_hops;
    uint32_t probes; /* per hop */
} SimTopoTraceOpts;

/* Transfer and service options (sizes in bytes; 0 = default). */
typedef struct {
    uint32_t port; /* 1..65535 after parsing */
    SimTopoPos port_pos;
    bool udp; /* service: the protocol */
    uint64_t bytes;
    uint64_t sndbuf, rcvbuf;
    bool nodelay, noread;
    uint32_t dgram;    /* udp-send datagram payload */
    uint64_t rate_bps; /* udp-send pacing */
} SimTopoXfer;

typedef struct {
    SimTopoCmdKind kind;
    SimTopoPos pos; /* the `at` keyword */
    SimTime at;     /* absolute simulated time */
    SimTopoPos at_pos;
    /* ping, traceroute, show, clear: the acting/shown node */
    char *node;
    SimTopoPos node_pos;
    int node_index; /* resolved */
    /* ping, traceroute: target written as an address or a node name */
    char *target_name; /* NULL when an address was written */
    bool resolve;      /* target_name has a dot: a DNS name, looked up when the command runs */
    SimIpv4 target;    /* resolved: a node target becomes its first address */
    SimTopoPos target_pos;
    SimTopoPingOpts ping;
    SimTopoTraceOpts trace;
    /* show, clear */
    SimTopoTable table;
    bool cisco; /* show NODE route cisco */
    /* link */
    SimTopoEndpoint a, b;
    bool up;
    int link_index; /* resolved */
    /* tcp-send, udp-send: target as above plus port; service: port */
    SimTopoXfer xfer;
    SimTopoService service;
    /* send: the message (unescaped string, text_len bytes, owned);
     * service chatbot: the rules file; upload: the file to send (both
     * resolved against the topology's directory by validation) */
    char *text;
    gsize text_len;
    SimTopoPos text_pos;
    /* chat: the lines (owned) and the time between them */
    char **lines;
    SimTime every;
    /* upload: the name to send it under (NULL: the file's base name) */
    char *as_name;
    /* dhcp: reboot (INIT-REBOOT) rather than release */
    bool dhcp_reboot;
} SimTopoCmd;

typedef struct _SimTopo SimTopo;
struct _SimTopo {
    char *file;
    char *title; /* NULL when there is no `network` line */
    SimTopoPos title_pos;
    GPtrArray *nodes;           /* SimTopoNode*, owned, declaration order */
    GHashTable *node_by_name;   /* name -> index + 1 of its first declaration */
    GPtrArray *links;           /* SimTopoLink*, owned, file order */
    GPtrArray *cmds;            /* SimTopoCmd*, owned, file order */
    SimTopoLinkParams defaults; /* `defaults link`; set = bits given */
    SimTopoPos defaults_pos[5]; /* where each default was set, by bit index */
    /* Names whose declaration had an error: references to them are not
     * reported again as unknown. */
    GHashTable *poisoned;
    guint dropped_links; /* link lines left out for a syntax error */
    bool validated;
};

SimTopo *sim_topo_new(const char *file);
void sim_topo_free(SimTopo *topo); /* NULL is a no-op */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimTopo, sim_topo_free)

/* Constructors used by the parser; the topo takes ownership of the result.
 * sim_topo_add_node registers the name unless it is already taken (the
 * validator reports duplicates). */
SimTopoNode *sim_topo_add_node(SimTopo *topo, SimTopoNodeKind kind, const char *name,
                               SimTopoPos pos);
SimTopoIface *sim_topo_node_add_iface(SimTopoNode *node, const char *name, SimTopoPos pos);
SimTopoRoute *sim_topo_node_add_route(SimTopoNode *node, SimTopoPos pos);
SimTopoPortCfg *sim_topo_node_add_port_cfg(SimTopoNode *node, SimTopoPos pos);
SimTopoVlan *sim_topo_node_add_vlan(SimTopoNode *node, uint16_t vid, SimTopoPos pos);
SimTopoLink *sim_topo_add_link(SimTopo *topo, SimTopoPos pos);
SimTopoCmd *sim_topo_add_cmd(SimTopo *topo, SimTopoCmdKind kind, SimTopoPos pos);

/* Lookups; -1 / NULL when absent. */
int sim_topo_node_index(const SimTopo *topo, const char *name);
SimTopoNode *sim_topo_find_node(const SimTopo *topo, const char *name);
SimTopoNode *sim_topo_node(const SimTopo *topo, guint i);
SimTopoLink *sim_topo_link(const SimTopo *topo, guint i);
SimTopoCmd *sim_topo_cmd(const SimTopo *topo, guint i);
int sim_topo_node_iface_index(const SimTopoNode *node, const char *name);
SimTopoIface *sim_topo_node_iface(const SimTopoNode *node, guint i);

const char *sim_topo_node_kind_name(SimTopoNodeKind kind); /* "host", "switch", ... */
const char *sim_topo_table_name(SimTopoTable table);       /* "mac", "arp", ... */
bool sim_topo_node_has_ifaces(SimTopoNodeKind kind);       /* host, router */
/* A resolved endpoint as users write it: "r1.eth0" or "swA.3". Caller frees. */
char *sim_topo_endpoint_format(const SimTopo *topo, const SimTopoEndpoint *ep);

/* storm.c - broadcast storm detector and loop finder; see storm.h. */
#include "sim/l2/storm.h"

#include "sim/link/iface.h"
#include "sim/link/link.h"
#include "sim/link/node.h"

#include <string.h>

#define N_SLOTS 256u /* a storm is a few frames repeated; 256 is plenty */

typedef struct {
    uint64_t hash; /* 0: empty */
    guint count;
    SimTime first;
} Sighting;

typedef struct {
    SimTime start;
    uint64_t frames;
} PortWindow;

struct _SimStorm {
    guint threshold;
    SimTime window;
    bool detected;
    uint64_t repeats;
    guint trip_count;
    SimTime trip_span;
    char *loop;
    guint n_ports;
    PortWindow *ports;
    Sighting slots[N_SLOTS];
};

SimStorm *sim_storm_new(guint n_ports, guint threshold, SimTime window)
{
    SimStorm *s = g_new0(SimStorm, 1);
    s->threshold = threshold;
    s->window = window ? window : SIM_STORM_DEFAULT_WINDOW;
    s->n_ports = n_ports;
    s->ports = g_new0(PortWindow, MAX(n_ports, 1));
    return s;
}

void sim_storm_free(SimStorm *s)
{
    if (!s)
        return;
    g_free(s->loop);
    g_free(s->ports);
    g_free(s);
}

static inline uint64_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

/* A word-at-a-time multiplicative hash; only needs to tell frames apart. */
static uint64_t frame_hash(const uint8_t *p, size_t len, guint port)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ len ^ ((uint64_t)port << 32);
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    uint64_t tail = 0;
    memcpy(&tail, p + i, len - i);
    h = mix(h ^ tail);
    return h ? h : 1;
}

bool sim_storm_observe(SimStorm *s, const uint8_t *frame, size_t len, guint port, SimTime now)
{
    if (port < s->n_ports) {
        PortWindow *pw = &s->ports[port];
        if (pw->frames == 0 || now - pw->start >= s->window) {
            pw->start = now;
            pw->frames = 0;
        }
        pw->frames++;
    }
    if (!s->threshold)
        return false;
    uint64_t h = frame_hash(frame, len, port);
    Sighting *slot = &s->slots[h % N_SLOTS];
    if (slot->hash != h || now - slot->first >= s->window) {
        *slot = (Sighting){.hash = h, .count = 1, .first = now};
        return false;
    }
    slot->count++;
    s->repeats++;
    if (s->detected || slot->count < s->threshold)
        return false;
    s->detected = true;
    s->trip_count = slot->count;
    s->trip_span = now - slot->first;
    return true;
}

bool sim_storm_detected(const SimStorm *s)
{
    return s->detected;
}

uint64_t sim_storm_repeats(const SimStorm *s)
{
    return s->repeats;
}

guint sim_storm_trip_count(const SimStorm *s)
{
    return s->trip_count;
}

SimTime sim_storm_trip_span(const SimStorm *s)
{
    return s->trip_span;
}

double sim_storm_port_rate(const SimStorm *s, guint port, SimTime now)
{
    if (port >= s->n_ports || s->ports[port].frames == 0)
        return 0.0;
    const PortWindow *pw = &s->ports[port];
    SimTime span = now > pw->start ? now - pw->start : 1; /* a burst in one instant */
    return (double)pw->frames * (double)SIM_SEC / (double)span;
}

const char *sim_storm_loop(const SimStorm *s)
{
    return s->loop;
}

void sim_storm_set_loop(SimStorm *s, const char *loop)
{
    g_free(s->loop);
    s->loop = g_strdup(loop ? loop : "");
}

/* ---- loop finding ------------------------------------------------------ */

static bool is_l2(const SimNode *n)
{
    SimNodeKind k = sim_node_kind(n);
    return k == SIM_NODE_SWITCH || k == SIM_NODE_HUB || k == SIM_NODE_L3SWITCH;
}

/* The far end of a usable link from x, or NULL: up, not `skip`, and to an
 * L2 device. */
static SimIface *l2_peer(SimIface *x, const SimLink *skip)
{
    SimLink *l = sim_iface_link(x);
    if (!l || l == skip || !sim_link_is_up(l))
        return NULL;
    SimIface *y = sim_link_peer(l, x);
    return y && is_l2(sim_iface_node(y)) ? y : NULL;
}

static void append_link(GString *s, SimIface *x, SimIface *y)
{
    if (s->len)
        g_string_append(s, ", ");
    g_string_append_printf(s, "%s.%s-%s.%s", sim_node_name(sim_iface_node(x)), sim_iface_name(x),
                           sim_node_name(sim_iface_node(y)), sim_iface_name(y));
}

/* Shortest path from `from` to `to` avoiding `skip` (BFS, interfaces in
 * index order, so the answer is deterministic). Appends its links to out. */
static bool append_path(GString *out, SimNode *from, SimNode *to, const SimLink *skip)
{
    /* node -> interface on that node through which BFS reached it */
    g_autoptr(GHashTable) via = g_hash_table_new(NULL, NULL);
    GQueue q = G_QUEUE_INIT;
    g_hash_table_insert(via, from, NULL);
    g_queue_push_tail(&q, from);
    bool found = false;
    while (!found && !g_queue_is_empty(&q)) {
        SimNode *n = g_queue_pop_head(&q);
        for (guint i = 0; i < sim_node_n_ifaces(n); i++) {
            SimIface *y = l2_peer(sim_node_iface(n, i), skip);
            SimNode *m = y ? sim_iface_node(y) : NULL;
            if (!m || g_hash_table_contains(via, m))
                continue;
            g_hash_table_insert(via, m, y);
            if (m == to) {
                found = true;
                break;
            }
            g_queue_push_tail(&q, m);
        }
    }
    g_queue_clear(&q);
    if (!found)
        return false;
    g_autoptr(GPtrArray) hops = g_ptr_array_new(); /* arrival interfaces, to -> from */
    for (SimNode *n = to; n != from;) {
        SimIface *y = g_hash_table_lookup(via, n);
        g_ptr_array_add(hops, y);
        n = sim_iface_node(sim_iface_peer(y));
    }
    for (guint i = hops->len; i-- > 0;) {
        SimIface *y = g_ptr_array_index(hops, i);
        append_link(out, sim_iface_peer(y), y);
    }
    return true;
}

/* The shortest cycle that uses the link from a to its peer. */
static char *cycle_through(SimIface *a)
{
    SimIface *b = l2_peer(a, NULL);
    if (!b || !is_l2(sim_iface_node(a)))
        return NULL;
    g_autoptr(GString) s = g_string_new(NULL);
    append_link(s, a, b);
    SimNode *start = sim_iface_node(a), *next = sim_iface_node(b);
    if (next != start && !append_path(s, next, start, sim_iface_link(a)))
        return NULL;
    return g_string_free(g_steal_pointer(&s), FALSE);
}

char *sim_storm_find_loop(SimIface *ingress)
{
    char *loop = cycle_through(ingress);
    if (loop)
        return loop;
    /* The ingress link is a bridge into a loop further away: try the links
     * of the L2 component in BFS order from the ingress device. */
    SimNode *start = sim_iface_node(ingress);
    g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
    GQueue q = G_QUEUE_INIT;
    g_hash_table_add(seen, start);
    g_queue_push_tail(&q, start);
    while (!loop && !g_queue_is_empty(&q)) {
        SimNode *n = g_queue_pop_head(&q);
        for (guint i = 0; i < sim_node_n_ifaces(n) && !loop; i++) {
            SimIface *x = sim_node_iface(n, i);
            SimIface *y = l2_peer(x, NULL);
            if (!y)
                continue;
            loop = cycle_through(x);
            SimNode *m = sim_iface_node(y);
            if (!g_hash_table_contains(seen, m)) {
                g_hash_table_add(seen, m);
                g_queue_push_tail(&q, m);
            }
        }
    }
    g_queue_clear(&q);
    return loop;
}

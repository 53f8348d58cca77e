/* trace.c - the trace bus; see trace.h. Subscribers live in a small array:
 * there are a handful of sinks, and emission walks them in order. */
#include "sim/core/trace.h"

#include <string.h>

typedef struct {
    guint id;
    SimTraceMask mask;
    SimTraceFn fn;
    void *user;
} Sub;

struct _SimTraceBus {
    struct _SimTraceBusPublic pub; /* must stay first: sim_trace_wants */
    GArray *subs;
    guint next_id;
    uint64_t count;
};

static const char *const kind_names[SIM_TR_N_KINDS] = {
    [SIM_TR_TX] = "tx",
    [SIM_TR_RX] = "rx",
    [SIM_TR_DROP] = "drop",
    [SIM_TR_LEARN] = "learn",
    [SIM_TR_AGE] = "age",
    [SIM_TR_FLOOD] = "flood",
    [SIM_TR_FORWARD] = "forward",
    [SIM_TR_FILTER] = "filter",
    [SIM_TR_DELIVER] = "deliver",
    [SIM_TR_ARP_REQUEST] = "arp-request",
    [SIM_TR_ARP_REPLY] = "arp-reply",
    [SIM_TR_ARP_LEARN] = "arp-learn",
    [SIM_TR_ROUTE] = "route",
    [SIM_TR_ICMP] = "icmp",
    [SIM_TR_TTL_EXCEEDED] = "ttl-exceeded",
    [SIM_TR_UNREACHABLE] = "unreachable",
    [SIM_TR_FRAGMENT] = "fragment",
    [SIM_TR_REASSEMBLE] = "reassemble",
    [SIM_TR_STORM] = "storm",
    [SIM_TR_LINK_DOWN] = "link-down",
    [SIM_TR_LINK_UP] = "link-up",
    [SIM_TR_APP] = "app",
    [SIM_TR_SHOW] = "show",
    [SIM_TR_INFO] = "info",
    [SIM_TR_TAG] = "tag",
    [SIM_TR_UNTAG] = "untag",
    [SIM_TR_TCP] = "tcp",
    [SIM_TR_NAT] = "nat",
    [SIM_TR_STP] = "stp",
    [SIM_TR_BPDU] = "bpdu",
};

static const char *const reason_names[SIM_DROP_N_REASONS] = {
    [SIM_DROP_NONE] = "",
    [SIM_DROP_QUEUE_FULL] = "queue full",
    [SIM_DROP_LOSS] = "link loss",
    [SIM_DROP_LINK_DOWN] = "link down",
    [SIM_DROP_TTL_EXPIRED] = "TTL expired",
    [SIM_DROP_NO_ROUTE] = "no route",
    [SIM_DROP_NO_ARP] = "no ARP reply",
    [SIM_DROP_ARP_QUEUE_FULL] = "ARP queue full",
    [SIM_DROP_CHECKSUM] = "bad checksum",
    [SIM_DROP_MTU] = "needs fragmentation, DF set",
    [SIM_DROP_NOT_FOR_US] = "not for us",
    [SIM_DROP_REASM_TIMEOUT] = "reassembly timeout",
    [SIM_DROP_REASM_LIMIT] = "reassembly memory limit",
    [SIM_DROP_VLAN_MISMATCH] = "VLAN mismatch",
    [SIM_DROP_STP_BLOCKING] = "STP blocking",
    [SIM_DROP_MALFORMED] = "malformed",
    [SIM_DROP_NO_LISTENER] = "no listener",
    [SIM_DROP_BROADCAST] = "broadcast not forwarded",
    [SIM_DROP_NO_PORT] = "interface not connected",
    [SIM_DROP_BUFFER_LIMIT] = "buffer memory limit",
    [SIM_DROP_NAT] = "NAT",
    [SIM_DROP_PRIVATE] = "private destination",
};

SimTraceBus *sim_trace_bus_new(void)
{
    SimTraceBus *bus = g_new0(SimTraceBus, 1);
    bus->subs = g_array_new(FALSE, FALSE, sizeof(Sub));
    bus->next_id = 1;
    return bus;
}

void sim_trace_bus_free(SimTraceBus *bus)
{
    if (!bus)
        return;
    g_array_free(bus->subs, TRUE);
    g_free(bus);
}

static void recompute_mask(SimTraceBus *bus)
{
    SimTraceMask m = 0;
    for (guint i = 0; i < bus->subs->len; i++)
        m |= g_array_index(bus->subs, Sub, i).mask;
    bus->pub.wanted = m;
}

guint sim_trace_subscribe(SimTraceBus *bus, SimTraceMask mask, SimTraceFn fn, void *user)
{
    Sub s = {bus->next_id++, mask, fn, user};
    g_array_append_val(bus->subs, s);
    recompute_mask(bus);
    return s.id;
}

void sim_trace_unsubscribe(SimTraceBus *bus, guint id)
{
    for (guint i = 0; i < bus->subs->len; i++) {
        if (g_array_index(bus->subs, Sub, i).id == id) {
            g_array_remove_index(bus->subs, i);
            break;
        }
    }
    recompute_mask(bus);
}

void sim_trace_emit(SimTraceBus *bus, SimTraceRecord *rec)
{
    if (!rec->detail)
        rec->detail = "";
    rec->id = ++bus->count;
    /* Index loop: a sink may not subscribe or unsubscribe from inside. */
    for (guint i = 0; i < bus->subs->len; i++) {
        const Sub *s = &g_array_index(bus->subs, Sub, i);
        if (s->mask & SIM_TRACE_BIT(rec->kind))
            s->fn(rec, s->user);
    }
}

uint64_t sim_trace_count(const SimTraceBus *bus)
{
    return bus->count;
}

const char *sim_trace_kind_name(SimTraceKind kind)
{
    return kind < SIM_TR_N_KINDS ? kind_names[kind] : "?";
}

const char *sim_trace_reason_name(SimDropReason reason)
{
    return reason < SIM_DROP_N_REASONS ? reason_names[reason] : "?";
}

bool sim_trace_kind_parse(const char *name, SimTraceKind *out)
{
    for (int k = 0; k < SIM_TR_N_KINDS; k++) {
        if (strcmp(kind_names[k], name) == 0) {
            *out = (SimTraceKind)k;
            return true;
        }
    }
    return false;
}

/* vlan.c - the 802.1Q port model; see vlan.h. */
#include "sim/l2/vlan.h"

#include <string.h>

typedef struct {
    SimVlanMode mode;
    uint16_t pvid;    /* access VLAN, or trunk native VLAN */
    uint8_t *allowed; /* trunk: SIM_VLAN_BITMAP_BYTES, owned; NULL for access */
} Port;

struct _SimVlanPorts {
    guint n_ports;
    Port *ports;
    bool trivial;
    GHashTable *names; /* GUINT_TO_POINTER(vid) -> char*, owned */
};

static bool bit(const uint8_t *map, uint16_t v)
{
    return (map[v >> 3] >> (v & 7)) & 1;
}

SimVlanPorts *sim_vlan_ports_new(guint n_ports)
{
    SimVlanPorts *vp = g_new0(SimVlanPorts, 1);
    vp->n_ports = n_ports;
    vp->ports = g_new0(Port, MAX(n_ports, 1));
    for (guint i = 0; i < n_ports; i++)
        vp->ports[i] = (Port){SIM_VLAN_ACCESS, SIM_VLAN_DEFAULT, NULL};
    vp->trivial = true;
    vp->names = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    return vp;
}

void sim_vlan_ports_free(SimVlanPorts *vp)
{
    if (!vp)
        return;
    for (guint i = 0; i < vp->n_ports; i++)
        g_free(vp->ports[i].allowed);
    g_free(vp->ports);
    g_hash_table_unref(vp->names);
    g_free(vp);
}

void sim_vlan_set_access(SimVlanPorts *vp, guint port, uint16_t vid)
{
    g_return_if_fail(port < vp->n_ports && vid >= 1 && vid <= SIM_VLAN_VID_MAX);
    Port *p = &vp->ports[port];
    g_clear_pointer(&p->allowed, g_free);
    p->mode = SIM_VLAN_ACCESS;
    p->pvid = vid;
    if (vid != SIM_VLAN_DEFAULT)
        vp->trivial = false;
}

void sim_vlan_set_trunk(SimVlanPorts *vp, guint port, const uint8_t *allowed, uint16_t native)
{
    g_return_if_fail(port < vp->n_ports && native >= 1 && native <= SIM_VLAN_VID_MAX);
    Port *p = &vp->ports[port];
    if (!p->allowed)
        p->allowed = g_malloc(SIM_VLAN_BITMAP_BYTES);
    if (allowed) {
        memcpy(p->allowed, allowed, SIM_VLAN_BITMAP_BYTES);
    } else {
        memset(p->allowed, 0xff, SIM_VLAN_BITMAP_BYTES);
        p->allowed[0] &= (uint8_t)~1u;                            /* VID 0 */
        p->allowed[SIM_VLAN_BITMAP_BYTES - 1] &= (uint8_t)~0x80u; /* VID 4095 */
    }
    p->mode = SIM_VLAN_TRUNK;
    p->pvid = native;
    vp->trivial = false;
}

void sim_vlan_declare(SimVlanPorts *vp, uint16_t vid, const char *name)
{
    g_return_if_fail(vid >= 1 && vid <= SIM_VLAN_VID_MAX);
    g_hash_table_replace(vp->names, GUINT_TO_POINTER(vid),
                         g_strdup(name ? name : (vid == SIM_VLAN_DEFAULT ? "default" : "")));
}

bool sim_vlan_ports_trivial(const SimVlanPorts *vp)
{
    return vp->trivial;
}

const bool *sim_vlan_ports_trivial_flag(const SimVlanPorts *vp)
{
    return &vp->trivial;
}

SimVlanMode sim_vlan_port_mode(const SimVlanPorts *vp, guint port)
{
    return vp->ports[port].mode;
}

uint16_t sim_vlan_port_pvid(const SimVlanPorts *vp, guint port)
{
    return vp->ports[port].pvid;
}

bool sim_vlan_port_allows(const SimVlanPorts *vp, guint port, uint16_t vid)
{
    const Port *p = &vp->ports[port];
    return p->mode == SIM_VLAN_ACCESS ? p->pvid == vid : bit(p->allowed, vid);
}

bool sim_vlan_carried(const SimVlanPorts *vp, uint16_t vid)
{
    for (guint i = 0; i < vp->n_ports; i++) {
        if (sim_vlan_port_allows(vp, i, vid))
            return true;
    }
    return false;
}

bool sim_vlan_ingress(const SimVlanPorts *vp, guint port, const char *label, const SimEthHdr *eh,
                      uint16_t *vid, char *why, size_t whylen)
{
    const Port *p = &vp->ports[port];
    if (!eh->tagged || eh->vid == 0) {
        *vid = p->pvid;
        if (p->mode == SIM_VLAN_ACCESS || bit(p->allowed, p->pvid))
            return true;
        g_snprintf(why, whylen, "untagged frame: native vlan %u not allowed on %s", p->pvid, label);
        return false;
    }
    *vid = eh->vid;
    if (p->mode == SIM_VLAN_ACCESS) {
        if (eh->vid == p->pvid)
            return true; /* the member VID, as Linux accepts it; see vlan.h */
        g_snprintf(why, whylen, "tagged frame (vlan %u) on access port %s (vlan %u)", eh->vid,
                   label, p->pvid);
        return false;
    }
    if (eh->vid <= SIM_VLAN_VID_MAX && bit(p->allowed, eh->vid))
        return true;
    g_snprintf(why, whylen, "vlan %u not allowed on %s", eh->vid, label);
    return false;
}

SimVlanEgress sim_vlan_egress(const SimVlanPorts *vp, guint port, uint16_t vid)
{
    const Port *p = &vp->ports[port];
    if (p->mode == SIM_VLAN_ACCESS)
        return p->pvid == vid ? SIM_VLAN_EGRESS_UNTAGGED : SIM_VLAN_EGRESS_NONE;
    if (!bit(p->allowed, vid))
        return SIM_VLAN_EGRESS_NONE;
    return p->pvid == vid ? SIM_VLAN_EGRESS_UNTAGGED : SIM_VLAN_EGRESS_TAGGED;
}

/* Ranges of set bits in 1..4094 as "10,20,30-40". */
static void append_ranges(GString *s, const uint8_t *map)
{
    bool first = true;
    for (guint v = 1; v <= SIM_VLAN_VID_MAX; v++) {
        if (!bit(map, (uint16_t)v))
            continue;
        guint end = v;
        while (end + 1 <= SIM_VLAN_VID_MAX && bit(map, (uint16_t)(end + 1)))
            end++;
        g_string_append_printf(s, first ? "%u" : ",%u", v);
        if (end > v)
            g_string_append_printf(s, "-%u", end);
        first = false;
        v = end;
    }
    if (first)
        g_string_append(s, "none");
}

char *sim_vlan_format_allowed(const SimVlanPorts *vp, guint port)
{
    const Port *p = &vp->ports[port];
    GString *s = g_string_new(NULL);
    if (p->mode == SIM_VLAN_ACCESS) {
        g_string_append_printf(s, "%u", p->pvid);
    } else {
        uint8_t all[SIM_VLAN_BITMAP_BYTES];
        memset(all, 0xff, sizeof all);
        all[0] &= (uint8_t)~1u;
        all[SIM_VLAN_BITMAP_BYTES - 1] &= (uint8_t)~0x80u;
        if (memcmp(all, p->allowed, sizeof all) == 0)
            g_string_append(s, "all");
        else
            append_ranges(s, p->allowed);
    }
    return g_string_free(s, FALSE);
}

static int cmp_vid(gconstpointer a, gconstpointer b)
{
    return (int)*(const guint *)a - (int)*(const guint *)b;
}

void sim_vlan_format_brief(const SimVlanPorts *vp, char *const *labels, GString *out)
{
    /* The VLANs to list: declared ones, VLAN 1, and every access VLAN. */
    g_autoptr(GArray) vids = g_array_new(FALSE, FALSE, sizeof(guint));
    uint8_t seen[SIM_VLAN_BITMAP_BYTES] = {0};
    seen[0] = 2; /* VLAN 1 */
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, vp->names);
    while (g_hash_table_iter_next(&it, &k, NULL))
        seen[GPOINTER_TO_UINT(k) >> 3] |= (uint8_t)(1u << (GPOINTER_TO_UINT(k) & 7));
    for (guint i = 0; i < vp->n_ports; i++) {
        uint16_t v = vp->ports[i].pvid;
        if (vp->ports[i].mode == SIM_VLAN_ACCESS)
            seen[v >> 3] |= (uint8_t)(1u << (v & 7));
    }
    for (guint v = 1; v <= SIM_VLAN_VID_MAX; v++) {
        if (bit(seen, (uint16_t)v))
            g_array_append_val(vids, v);
    }
    g_array_sort(vids, cmp_vid);
    g_string_append(out, "VLAN Name                             Status    Ports\n");
    g_string_append(out, "---- -------------------------------- --------- "
                         "-------------------------------\n");
    for (guint i = 0; i < vids->len; i++) {
        guint v = g_array_index(vids, guint, i);
        const char *name = g_hash_table_lookup(vp->names, GUINT_TO_POINTER(v));
        char dflt[16];
        if (!name || !*name) {
            if (v == SIM_VLAN_DEFAULT)
                name = "default";
            else {
                g_snprintf(dflt, sizeof dflt, "VLAN%04u", v);
                name = dflt;
            }
        }
        gsize start = out->len;
        g_string_append_printf(out, "%-4u %-32s %-9s", v, name, "active");
        bool first = true;
        for (guint p = 0; p < vp->n_ports; p++) {
            if (vp->ports[p].mode != SIM_VLAN_ACCESS || vp->ports[p].pvid != v)
                continue;
            g_string_append_printf(out, first ? " %s" : ", %s", labels[p]);
            first = false;
        }
        while (out->len > start && out->str[out->len - 1] == ' ') /* no ports: no padding */
            g_string_truncate(out, out->len - 1);
        g_string_append_c(out, '\n');
    }
    bool header = false;
    for (guint p = 0; p < vp->n_ports; p++) {
        if (vp->ports[p].mode != SIM_VLAN_TRUNK)
            continue;
        if (!header)
            g_string_append(out, "\nPort   Mode   Native  Vlans allowed on trunk\n");
        header = true;
        g_autofree char *allowed = sim_vlan_format_allowed(vp, p);
        g_string_append_printf(out, "%-6s trunk  %-6u  %s\n", labels[p], vp->ports[p].pvid,
                               allowed);
    }
}

/* parse_vlan.c - the 802.1Q statements: a switch's `vlan` and `port` lines
 * and host/router sub-interfaces (`interface eth0.10 ...`).
 *
 *   vlan 10 [name dormA] [ip 192.168.10.254/24] [mac M]   (switch block)
 *   port 1-4,7 access 10                                    (switch block)
 *   port 8 trunk [10,20] [allowed 10,20,30-39] [native 99]
 *   port 3 access 10 cost 4 edge                            (with STP words)
 *
 * The words follow Cisco's (`switchport access vlan`, `switchport trunk
 * allowed vlan`, `switchport trunk native vlan`). A bad VLAN id is reported
 * at its own column, even inside a list. A VLAN with an address is an SVI:
 * it becomes an interface "vlan10" of the switch (so the address checks,
 * routes and ping targets of hosts and routers apply to it unchanged) and
 * makes the switch an L3 switch. Port numbers are checked here against the
 * switch's `ports`; a port configured twice is the validator's (it needs
 * every line).
 */
#include "sim/topo/parser.h"
#include "sim/topo/parser_priv.h"

#include <string.h>

#define VID_MAX 4094

/* Parses the digits text[0..len) (at column col) as a VLAN id. */
static gboolean vid_at(SimParser *p, guint line, guint col, const char *text, gsize len,
                       uint16_t *vid)
{
    g_autofree char *s = g_strndup(text, len);
    if (len == 0 || len > 6 || strspn(s, "0123456789") != len) {
        sim_parser_error(p, line, col, "bad VLAN id '%s': expected a number 1-4094", s);
        return FALSE;
    }
    guint64 v = g_ascii_strtoull(s, NULL, 10);
    if (v == 0) {
        sim_parser_error(p, line, col,
                         "bad VLAN id '%s': 0 is not a VLAN (it marks a priority-only tag); "
                         "use 1-4094",
                         s);
        return FALSE;
    }
    if (v > VID_MAX) {
        sim_parser_error(p, line, col, "bad VLAN id '%s': %s; use 1-4094", s,
                         v == 4095 ? "4095 is reserved by 802.1Q" : "VLAN ids stop at 4094");
        return FALSE;
    }
    *vid = (uint16_t)v;
    return TRUE;
}

static gboolean vid_tok(SimParser *p, const SimTokLine *ln, const SimTok *t, uint16_t *vid)
{
    if (t->kind != SIM_TOK_WORD) {
        sim_parser_error(p, ln->line, t->col, "expected a VLAN id, got a string");
        return FALSE;
    }
    return vid_at(p, ln->line, t->col, t->text, strlen(t->text), vid);
}

/* "10,20,30-40" into a bitmap (bits set, nothing cleared). */
static gboolean vid_list(SimParser *p, const SimTokLine *ln, const SimTok *t, uint8_t *map)
{
    if (t->kind != SIM_TOK_WORD) {
        sim_parser_error(p, ln->line, t->col, "expected a VLAN list such as 10,20,30-39");
        return FALSE;
    }
    const char *s = t->text;
    gboolean ok = TRUE;
    while (*s) {
        gsize n = strcspn(s, ",");
        const char *dash = memchr(s, '-', n);
        guint col = t->col + (guint)(s - t->text);
        uint16_t a = 0, b = 0;
        if (dash) {
            gboolean ra = vid_at(p, ln->line, col, s, (gsize)(dash - s), &a);
            gboolean rb = ra && vid_at(p, ln->line, col + (guint)(dash + 1 - s), dash + 1,
                                       n - (gsize)(dash + 1 - s), &b);
            if (ra && rb && b < a) {
                sim_parser_error(p, ln->line, col, "bad VLAN range '%.*s': %u is above %u", (int)n,
                                 s, a, b);
                rb = FALSE;
            }
            ok = ok && ra && rb;
        } else if (vid_at(p, ln->line, col, s, n, &a)) {
            b = a;
        } else {
            ok = FALSE;
        }
        for (guint v = a; a && b && v <= b; v++)
            map[v >> 3] |= (uint8_t)(1u << (v & 7));
        s += n;
        if (*s == ',')
            s++;
        if (*s == '\0' && s[-1] == ',') {
            sim_parser_error(p, ln->line, t->col, "VLAN list '%s' ends with a comma", t->text);
            return FALSE;
        }
    }
    return ok;
}

/* ---- vlan VID [name NAME] [ip PREFIX] [mac MAC] ---------------------------- */

enum { V_NAME, V_IP, V_MAC };
static const SimAttrSpec vlan_attrs[] = {
    {"name", SIM_VAL_NAME, 0, 0, V_NAME},
    {"ip", SIM_VAL_PREFIX, 0, 0, V_IP},
    {"mac", SIM_VAL_MAC, 0, 0, V_MAC},
};

typedef struct {
    char *name;
    SimTopoPos name_pos;
    gboolean has_ip, has_mac;
    SimAttrVal ip, mac;
} VlanLine;

static void store_vlan(SimParser *p, void *ctx, const SimAttrSpec *spec, const SimAttrVal *v)
{
    VlanLine *l = ctx;
    switch (spec->id) {
    case V_NAME:
        g_free(l->name);
        l->name = g_strdup(v->tok->text);
        break;
    case V_IP:
        l->has_ip = TRUE;
        l->ip = *v;
        break;
    case V_MAC:
        l->has_mac = TRUE;
        l->mac = *v;
        break;
    }
}

void sim_parser_blk_vlan(SimParser *p, const SimTokLine *ln)
{
    SimTopoNode *n = p->block;
    const SimTok *kw = &ln->toks[0];
    if (ln->ntoks < 2) {
        sim_parser_expected(p, ln, kw, "a VLAN id");
        n->bad = true;
        return;
    }
    uint16_t vid;
    if (!vid_tok(p, ln, &ln->toks[1], &vid)) {
        n->bad = true;
        return;
    }
    SimTopoPos pos = sim_parser_tok_pos(p, ln, &ln->toks[1]);
    for (guint i = 0; i < n->vlans->len; i++) {
        SimTopoVlan *o = g_ptr_array_index(n->vlans, i);
        if (o->vid == vid) {
            sim_parser_error(p, ln->line, ln->toks[1].col, "VLAN %u is declared twice on '%s'", vid,
                             n->name);
            sim_parser_note(p, o->pos, "first declared here");
            n->bad = true;
            return;
        }
    }
    VlanLine l = {0};
    gboolean ok = sim_parser_attrs(p, ln, 2, vlan_attrs, G_N_ELEMENTS(vlan_attrs), "vlan attribute",
                                   store_vlan, &l);
    SimTopoVlan *v = sim_topo_node_add_vlan(n, vid, pos);
    v->name = g_strdup(l.name);
    if (l.has_ip || l.has_mac) {
        char ifname[16];
        g_snprintf(ifname, sizeof ifname, "vlan%u", vid);
        SimTopoIface *f = sim_topo_node_add_iface(n, ifname, pos);
        f->vid = vid;
        f->vid_pos = pos;
        f->vlan_name = l.name;
        l.name = NULL;
        if (l.has_ip) {
            f->has_ip = true;
            f->ip = l.ip.pfx;
            f->ip_pos = l.ip.pos;
        }
        if (l.has_mac) {
            f->has_mac = true;
            f->mac = l.mac.mac;
            f->mac_pos = l.mac.pos;
        }
        n->l3 = true;
    }
    g_free(l.name);
    if (!ok)
        n->bad = true;
}

/* ---- port LIST access VID | trunk [LIST] [allowed LIST] [native VID] -------- */

static const char *const port_words[] = {"access", "trunk", "allowed", "native", "cost", "edge"};

/* "1-4,7" into ranges; appends one config per range to n. Returns the
 * index of the first added, or -1 after an error (nothing added). */
static int port_list(SimParser *p, const SimTokLine *ln, const SimTok *t, SimTopoNode *n)
{
    const char *s = t->text;
    guint start = n->port_cfgs->len;
    SimTopoPos pos = sim_parser_tok_pos(p, ln, t);
    while (t->kind == SIM_TOK_WORD && *s) {
        gsize len = strcspn(s, ",");
        g_autofree char *item = g_strndup(s, len);
        guint col = t->col + (guint)(s - t->text);
        char *dash = strchr(item, '-');
        if (dash)
            *dash = '\0';
        const char *hi = dash ? dash + 1 : item;
        guint64 a = 0, b = 0;
        gboolean digits = *item && *hi && strspn(item, "0123456789") == strlen(item) &&
                          strspn(hi, "0123456789") == strlen(hi) && strlen(item) < 8 &&
                          strlen(hi) < 8;
        if (digits) {
            a = g_ascii_strtoull(item, NULL, 10);
            b = g_ascii_strtoull(hi, NULL, 10);
        }
        if (!digits || a < 1 || b < a || b > n->ports) {
            if (digits && (a < 1 || b > n->ports))
                sim_parser_error(p, ln->line, col,
                                 "port %llu out of range on switch '%s' (ports 1-%u)",
                                 (unsigned long long)(a < 1 ? a : b), n->name, n->ports);
            else
                sim_parser_error(p, ln->line, col,
                                 "bad port list '%s': expected ports such as 1-4,7", t->text);
            g_ptr_array_set_size(n->port_cfgs, start);
            return -1;
        }
        SimTopoPortCfg *c = sim_topo_node_add_port_cfg(n, pos);
        c->first = (uint32_t)a;
        c->last = (uint32_t)b;
        s += len;
        if (*s == ',')
            s++;
    }
    if (n->port_cfgs->len == start) {
        sim_parser_error(p, ln->line, t->col, "expected a port list such as 1-4,7");
        return -1;
    }
    return (int)start;
}

/* The 802.1Q words of a port line. Returns -1 after an error (reported, n
 * marked bad, nothing added), 1 when a mode was given (configs added), 0
 * when none was and stp_words says the line has spanning tree words
 * instead (configs added, for their port ranges). */
static int vlan_port(SimParser *p, const SimTokLine *ln, gboolean stp_words)
{
    SimTopoNode *n = p->block;
    guint before = n->port_cfgs->len;
    int first = port_list(p, ln, &ln->toks[1], n);
    if (first < 0) {
        n->bad = true;
        return -1;
    }
    SimTopoPortCfg proto = {0};
    proto.access = proto.native = 1;
    const SimTok *mode = NULL, *allowed = NULL, *native = NULL;
    uint8_t map[SIM_TOPO_VLAN_BITMAP] = {0};
    gboolean ok = TRUE;
    guint i = 2;
    while (ok && i < ln->ntoks) {
        const SimTok *t = &ln->toks[i];
        const char *w = t->kind == SIM_TOK_WORD ? t->text : "";
        gboolean is_access = strcmp(w, "access") == 0, is_trunk = strcmp(w, "trunk") == 0;
        if (is_access || is_trunk) {
            if (mode) {
                sim_parser_error(p, ln->line, t->col, "a port cannot be both access and trunk");
                ok = FALSE;
                break;
            }
            mode = t;
            proto.trunk = is_trunk;
            i++;
            if (is_access) {
                if (i >= ln->ntoks) {
                    sim_parser_expected(p, ln, t, "a VLAN id");
                    ok = FALSE;
                } else {
                    ok = vid_tok(p, ln, &ln->toks[i++], &proto.access);
                }
            } else if (i < ln->ntoks && ln->toks[i].kind == SIM_TOK_WORD &&
                       g_ascii_isdigit(ln->toks[i].text[0])) {
                allowed = &ln->toks[i];
                ok = vid_list(p, ln, &ln->toks[i++], map);
            }
        } else if (strcmp(w, "allowed") == 0 || strcmp(w, "native") == 0) {
            gboolean is_native = w[0] == 'n';
            if (!mode || !proto.trunk) {
                sim_parser_error(p, ln->line, t->col,
                                 "'%s' applies to trunk ports only "
                                 "(write 'trunk' before it)",
                                 w);
                ok = FALSE;
                break;
            }
            if (i + 1 >= ln->ntoks) {
                sim_parser_expected(p, ln, t, is_native ? "a VLAN id" : "a VLAN list");
                ok = FALSE;
                break;
            }
            if ((is_native ? native : allowed) != NULL) {
                sim_parser_error(p, ln->line, t->col, "'%s' given twice", w);
                ok = FALSE;
                break;
            }
            if (is_native) {
                native = &ln->toks[i + 1];
                ok = vid_tok(p, ln, native, &proto.native);
            } else {
                allowed = &ln->toks[i + 1];
                ok = vid_list(p, ln, allowed, map);
            }
            i += 2;
        } else {
            sim_parser_unknown_word(p, ln, t, "port setting", port_words, G_N_ELEMENTS(port_words));
            ok = FALSE;
        }
    }
    if (ok && !mode) {
        if (stp_words)
            return 0;
        sim_parser_expected(p, ln, &ln->toks[ln->ntoks - 1], "'access VLAN' or 'trunk'");
        ok = FALSE;
    }
    if (!ok) {
        g_ptr_array_set_size(n->port_cfgs, before);
        n->bad = true;
        return -1;
    }
    for (guint k = (guint)first; k < n->port_cfgs->len; k++) {
        SimTopoPortCfg *c = g_ptr_array_index(n->port_cfgs, k);
        c->trunk = proto.trunk;
        c->access = proto.access;
        c->native = proto.native;
        if (allowed)
            c->allowed = g_memdup2(map, sizeof map);
    }
    return 1;
}

static gboolean is_stp_word(const SimTok *t)
{
    return t->kind == SIM_TOK_WORD &&
           (strcmp(t->text, "cost") == 0 || strcmp(t->text, "edge") == 0);
}

/* port LIST [802.1Q words] [cost N] [edge]: the words are split into the
 * 802.1Q ones (above) and the spanning tree ones (parser.c), each checked
 * with its own messages at its own columns. A line with only spanning tree
 * words and one port or range keeps that syntax's own messages. */
void sim_parser_blk_port(SimParser *p, const SimTokLine *ln)
{
    SimTopoNode *n = p->block;
    if (ln->ntoks < 2) {
        sim_parser_expected(p, ln, &ln->toks[0], "a port list");
        n->bad = true;
        return;
    }
    g_autofree SimTok *vt = g_new(SimTok, ln->ntoks);
    g_autofree SimTok *st = g_new(SimTok, ln->ntoks);
    guint nv = 2, ns = 2;
    vt[0] = st[0] = ln->toks[0];
    vt[1] = st[1] = ln->toks[1];
    for (guint i = 2; i < ln->ntoks; i++) {
        if (!is_stp_word(&ln->toks[i])) {
            vt[nv++] = ln->toks[i];
            continue;
        }
        st[ns++] = ln->toks[i];
        if (strcmp(ln->toks[i].text, "cost") == 0 && i + 1 < ln->ntoks)
            st[ns++] = ln->toks[++i];
    }
    if (nv == 2 && ns > 2 && !strchr(ln->toks[1].text, ',')) {
        sim_parser_blk_stp_port(p, ln);
        return;
    }
    SimTokLine vl = *ln, sl = *ln;
    vl.toks = vt;
    vl.ntoks = nv;
    sl.toks = st;
    sl.ntoks = ns;
    guint before = n->port_cfgs->len;
    int mode = vlan_port(p, &vl, ns > 2);
    if (mode < 0 || ns == 2)
        return;
    SimTopoStpPort sp = {.pos = sim_parser_tok_pos(p, ln, &ln->toks[0])};
    if (!sim_parser_stp_port_attrs(p, &sl, &sp)) {
        g_ptr_array_set_size(n->port_cfgs, before);
        n->bad = true;
        return;
    }
    for (guint k = before; k < n->port_cfgs->len; k++) {
        const SimTopoPortCfg *c = g_ptr_array_index(n->port_cfgs, k);
        sp.first = c->first;
        sp.last = c->last;
        g_array_append_val(n->stp_ports, sp);
    }
    if (mode == 0) /* no 802.1Q words: the ports keep their VLAN settings */
        g_ptr_array_set_size(n->port_cfgs, before);
}

/* ---- interface NAME.VID ------------------------------------------------------ */

SimTopoIface *sim_parser_subif(SimParser *p, const SimTokLine *ln, const SimTok *name,
                               SimTopoNode *n)
{
    const char *dot = strchr(name->text, '.');
    g_autofree char *parent = g_strndup(name->text, (gsize)(dot - name->text));
    if (!sim_parser_is_name(parent)) {
        sim_parser_error(p, ln->line, name->col,
                         "bad interface name '%s': a VLAN sub-interface is PARENT.VLAN, "
                         "e.g. eth0.10",
                         name->text);
        return NULL;
    }
    uint16_t vid;
    guint vcol = name->col + (guint)(dot + 1 - name->text);
    if (!vid_at(p, ln->line, vcol, dot + 1, strlen(dot + 1), &vid))
        return NULL;
    int pi = sim_topo_node_iface_index(n, parent);
    if (pi < 0) {
        sim_parser_error(p, ln->line, name->col,
                         "sub-interface '%s' needs its parent: declare 'interface %s' first",
                         name->text, parent);
        return NULL;
    }
    SimTopoIface *pf = g_ptr_array_index(n->ifaces, pi);
    if (pf->parent >= 0) {
        sim_parser_error(p, ln->line, name->col, "'%s' is itself a sub-interface", parent);
        return NULL;
    }
    g_autofree char *canon = g_strdup_printf("%s.%u", parent, vid);
    if (sim_topo_node_iface_index(n, canon) >= 0) {
        sim_parser_error(p, ln->line, name->col, "duplicate interface '%s' on '%s'", canon,
                         n->name);
        return NULL;
    }
    SimTopoIface *f = sim_topo_node_add_iface(n, canon, sim_parser_tok_pos(p, ln, name));
    f->vid = vid;
    f->parent = pi;
    f->vid_pos = sim_parser_pos(p, ln->line, vcol);
    return f;
}

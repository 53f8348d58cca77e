/* parser.c - the parse driver, `network`, device declarations and their
 * indented blocks.
 *
 * The driver dispatches each top-level line on its first word through a
 * table; indented lines go to the block table of the last device. A host
 * with no `interface` lines gets an implicit eth0 when its block ends, so
 * `host h` alone is a one-NIC host (and `ip`, `mac`, `mtu` on the host line
 * describe that eth0).
 */
#include "sim/topo/parser.h"
#include "sim/topo/parser_priv.h"

#include <string.h>

enum {
    A_IP,
    A_GATEWAY,
    A_MAC,
    A_MTU,
    A_PORTS,
    A_AGING,
    A_MAC_TABLE,
    A_VIA,
    A_DEV,
    A_METRIC,
    A_L3,
    A_DHCP,
    A_STP,
    A_PRIORITY,
    A_HELLO,
    A_MAX_AGE,
    A_FWD_DELAY,
    A_COST,
    A_EDGE,
    A_DNS,
};

static const SimAttrSpec host_attrs[] = {
    {"ip", SIM_VAL_PREFIX, 0, 0, A_IP},   {"gateway", SIM_VAL_IPV4, 0, 0, A_GATEWAY},
    {"mac", SIM_VAL_MAC, 0, 0, A_MAC},    {"mtu", SIM_VAL_UINT, 68, 65535, A_MTU},
    {"dhcp", SIM_VAL_FLAG, 0, 0, A_DHCP}, {"dns", SIM_VAL_IPV4, 0, 0, A_DNS},
};
static const SimAttrSpec iface_attrs[] = {
    {"ip", SIM_VAL_PREFIX, 0, 0, A_IP},
    {"mac", SIM_VAL_MAC, 0, 0, A_MAC},
    {"mtu", SIM_VAL_UINT, 68, 65535, A_MTU},
    {"dhcp", SIM_VAL_FLAG, 0, 0, A_DHCP},
};
static const SimAttrSpec switch_attrs[] = {
    {"ports", SIM_VAL_UINT, 1, SIM_TOPO_MAX_PORTS, A_PORTS},
    {"aging", SIM_VAL_TIME, 1, 0, A_AGING},
    {"mac-table", SIM_VAL_UINT, 1, 1000000, A_MAC_TABLE},
    {"l3", SIM_VAL_FLAG, 0, 0, A_L3},
    {"stp", SIM_VAL_NAME, 0, 0, A_STP},
    {"priority", SIM_VAL_UINT, 0, 61440, A_PRIORITY},
    {"hello", SIM_VAL_TIME, 1, 0, A_HELLO},
    {"max-age", SIM_VAL_TIME, 1, 0, A_MAX_AGE},
    {"forward-delay", SIM_VAL_TIME, 1, 0, A_FWD_DELAY},
};
/* The spanning tree words of a switch block's `port` line. */
static const SimAttrSpec port_attrs[] = {
    {"cost", SIM_VAL_UINT, 1, 65535, A_COST},
    {"edge", SIM_VAL_FLAG, 0, 0, A_EDGE},
};
static const SimAttrSpec hub_attrs[] = {
    {"ports", SIM_VAL_UINT, 1, SIM_TOPO_MAX_PORTS, A_PORTS},
};
static const SimAttrSpec route_attrs[] = {
    {"via", SIM_VAL_IPV4, 0, 0, A_VIA},
    {"dev", SIM_VAL_NAME, 0, 0, A_DEV},
    {"metric", SIM_VAL_UINT, 0, 65535, A_METRIC},
};

/* Words that start an `at` command without a node; they cannot name one. */
static const char *const reserved_names[] = {"show", "link", "clear"};

/* ---- attribute stores ----------------------------------------------------- */

static void store_iface(SimParser *p, void *ctx, const SimAttrSpec *spec, const SimAttrVal *v)
{
    SimTopoIface *f = ctx;
    switch (spec->id) {
    case A_IP:
        f->has_ip = true;
        f->ip = v->pfx;
        f->ip_pos = v->pos;
        break;
    case A_MAC:
        f->has_mac = true;
        f->mac = v->mac;
        f->mac_pos = v->pos;
        break;
    case A_MTU:
        f->mtu_set = true;
        f->mtu = (uint32_t)v->u;
        break;
    case A_DHCP:
        f->dhcp = true;
        f->dhcp_pos = v->pos;
        break;
    }
}

/* kwpos: the `gateway` keyword (for errors); pos: the address. */
static void set_gateway(SimParser *p, SimTopoNode *n, SimIpv4 gw, SimTopoPos kwpos, SimTopoPos pos)
{
    if (n->has_gateway) {
        sim_parser_error(p, kwpos.line, kwpos.col, "'gateway' given twice for '%s'", n->name);
        sim_parser_note(p, n->gateway_pos, "first gateway is here");
        n->bad = true;
        return;
    }
    n->has_gateway = true;
    n->gateway = gw;
    n->gateway_pos = pos;
}

static void store_host(SimParser *p, void *ctx, const SimAttrSpec *spec, const SimAttrVal *v)
{
    SimTopoNode *n = ctx;
    if (spec->id == A_GATEWAY) {
        set_gateway(p, n, v->ip, v->kwpos, v->pos);
        return;
    }
    if (spec->id == A_DNS) {
        sim_parser_set_dns(p, n, v->ip, v->kwpos, v->pos);
        return;
    }
    if (n->ifaces->len == 0) {
        SimTopoIface *f = sim_topo_node_add_iface(n, "eth0", v->kwpos);
        f->implicit = true;
    }
    store_iface(p, g_ptr_array_index(n->ifaces, 0), spec, v);
}

static void store_switch(SimParser *p, void *ctx, const SimAttrSpec *spec, const SimAttrVal *v)
{
    SimTopoNode *n = ctx;
    switch (spec->id) {
    case A_PORTS:
        n->ports = (uint32_t)v->u;
        n->ports_set = true;
        break;
    case A_AGING:
        n->aging = v->t;
        n->aging_set = true;
        break;
    case A_MAC_TABLE:
        n->mac_table = (uint32_t)v->u;
        n->mac_table_set = true;
        break;
    case A_L3:
        n->l3 = true;
        break;
    default:
        sim_parser_store_stp(p, n, spec->id - A_STP, v);
        break;
    }
}

static void store_port(SimParser *p, void *ctx, const SimAttrSpec *spec, const SimAttrVal *v)
{
    SimTopoStpPort *sp = ctx;
    if (spec->id == A_COST)
        sp->cost = (uint32_t)v->u;
    else
        sp->edge = true;
}

static void store_route(SimParser *p, void *ctx, const SimAttrSpec *spec, const SimAttrVal *v)
{
    SimTopoRoute *r = ctx;
    switch (spec->id) {
    case A_VIA:
        r->has_via = true;
        r->via = v->ip;
        r->via_pos = v->pos;
        break;
    case A_DEV:
        r->dev = g_strdup(v->tok->text);
        r->dev_pos = v->pos;
        break;
    case A_METRIC:
        r->metric = (uint32_t)v->u;
        break;
    }
}

/* ---- block statements --------------------------------------------------- */

static void blk_interface(SimParser *p, const SimTokLine *ln)
{
    SimTopoNode *n = p->block;
    const SimTok *kw = &ln->toks[0];
    if (ln->ntoks < 2) {
        sim_parser_expected(p, ln, kw, "an interface name");
        n->bad = true;
        return;
    }
    const SimTok *name = &ln->toks[1];
    if (name->kind == SIM_TOK_WORD && strchr(name->text, '.')) {
        SimTopoIface *sub = sim_parser_subif(p, ln, name, n);
        if (!sub || !sim_parser_attrs(p, ln, 2, iface_attrs, G_N_ELEMENTS(iface_attrs),
                                      "interface attribute", store_iface, sub))
            n->bad = true;
        return;
    }
    if (!sim_parser_name(p, ln, name, "interface name")) {
        n->bad = true;
        return;
    }
    int old = sim_topo_node_iface_index(n, name->text);
    if (old >= 0) {
        SimTopoIface *f = g_ptr_array_index(n->ifaces, old);
        sim_parser_error(p, ln->line, name->col, "duplicate interface '%s' on '%s'", name->text,
                         n->name);
        sim_parser_note(p, f->pos, "'%s' is first declared here%s", f->name,
                        f->implicit ? " (by the host line)" : "");
        n->bad = true;
        return;
    }
    SimTopoIface *f = sim_topo_node_add_iface(n, name->text, sim_parser_tok_pos(p, ln, name));
    if (!sim_parser_attrs(p, ln, 2, iface_attrs, G_N_ELEMENTS(iface_attrs), "interface attribute",
                          store_iface, f))
        n->bad = true;
}

static void blk_gateway(SimParser *p, const SimTokLine *ln)
{
    SimAttrVal v;
    if (!sim_parser_blk_ipv4(p, ln, "an IPv4 address", &v))
        return;
    set_gateway(p, p->block, v.ip, sim_parser_tok_pos(p, ln, v.kw),
                sim_parser_tok_pos(p, ln, v.tok));
    sim_parser_end(p, ln, 2);
}

/* route DST [via IP] [dev IFACE] [metric N]; DST is a prefix or `default`. */
static void blk_route(SimParser *p, const SimTokLine *ln)
{
    SimTopoNode *n = p->block;
    const SimTok *kw = &ln->toks[0];
    if (ln->ntoks < 2) {
        sim_parser_expected(p, ln, kw, "a destination prefix");
        n->bad = true;
        return;
    }
    const SimTok *d = &ln->toks[1];
    SimPrefix dst = {0, 0};
    if (d->kind == SIM_TOK_WORD && strcmp(d->text, "default") != 0) {
        const SimAttrSpec spec = {"route", SIM_VAL_PREFIX, 0, 0, 0};
        SimAttrVal v = {.kw = kw, .tok = d};
        if (!sim_parser_value(p, ln, &spec, &v)) {
            n->bad = true;
            return;
        }
        dst = v.pfx;
        if (sim_prefix_network(&dst) != dst.addr) {
            char net[SIM_IPV4_STRLEN];
            sim_ipv4_format(sim_prefix_network(&dst), net);
            sim_parser_error(p, ln->line, d->col,
                             "bad route '%s': host bits set (did you mean %s/%u?)", d->text, net,
                             dst.len);
            n->bad = true;
            return;
        }
    } else if (d->kind == SIM_TOK_STRING) {
        sim_parser_error(p, ln->line, d->col, "expected a destination prefix, got a string");
        n->bad = true;
        return;
    }
    SimTopoRoute *r = sim_topo_node_add_route(n, sim_parser_tok_pos(p, ln, kw));
    r->dst = dst;
    if (!sim_parser_attrs(p, ln, 2, route_attrs, G_N_ELEMENTS(route_attrs), "route option",
                          store_route, r)) {
        n->bad = true;
        return;
    }
    if (!r->has_via && r->dev == NULL) {
        sim_parser_error(p, ln->line, kw->col, "route needs 'via ADDRESS' or 'dev INTERFACE'");
        n->bad = true;
    }
}

gboolean sim_parser_stp_port_attrs(SimParser *p, const SimTokLine *ln, SimTopoStpPort *sp)
{
    return sim_parser_attrs(p, ln, 2, port_attrs, G_N_ELEMENTS(port_attrs), "port setting",
                            store_port, sp);
}

/* port N[-M] (cost C | edge)...: a line with spanning tree settings only. */
void sim_parser_blk_stp_port(SimParser *p, const SimTokLine *ln)
{
    SimTopoNode *n = p->block;
    SimTopoStpPort sp = {.pos = sim_parser_tok_pos(p, ln, &ln->toks[0])};
    if (!sim_parser_port_range(p, ln, &ln->toks[1], n->ports, &sp.first, &sp.last) ||
        !sim_parser_stp_port_attrs(p, ln, &sp)) {
        n->bad = true;
        return;
    }
    g_array_append_val(n->stp_ports, sp);
}

typedef struct {
    const char *kw;
    void (*fn)(SimParser *p, const SimTokLine *ln);
} Stmt;

static const Stmt host_block[] = {{"interface", blk_interface},
                                  {"gateway", blk_gateway},
                                  {"route", blk_route},
                                  {"dhcp-server", sim_parser_blk_dhcp_server},
                                  {"dhcp-static", sim_parser_blk_dhcp_static},
                                  {"dns", sim_parser_blk_dns},
                                  {"dns-zone", sim_parser_blk_dns_zone},
                                  {"dns-resolver", sim_parser_blk_dns_resolver}};
static const Stmt router_block[] = {{"interface", blk_interface},
                                    {"route", blk_route},
                                    {"nat", sim_parser_blk_nat},
                                    {"forward", sim_parser_blk_forward},
                                    {"drop-private", sim_parser_blk_drop_private},
                                    {"dhcp-server", sim_parser_blk_dhcp_server},
                                    {"dhcp-static", sim_parser_blk_dhcp_static},
                                    {"dhcp-relay", sim_parser_blk_dhcp_relay},
                                    {"dns", sim_parser_blk_dns},
                                    {"dns-zone", sim_parser_blk_dns_zone},
                                    {"dns-resolver", sim_parser_blk_dns_resolver}};
static const Stmt switch_block[] = {
    {"vlan", sim_parser_blk_vlan}, {"port", sim_parser_blk_port}, {"route", blk_route}};

static gboolean dispatch(SimParser *p, const SimTokLine *ln, const Stmt *tab, gsize n,
                         const char *what)
{
    const SimTok *t = &ln->toks[0];
    for (gsize i = 0; t->kind == SIM_TOK_WORD && i < n; i++) {
        if (strcmp(tab[i].kw, t->text) == 0) {
            tab[i].fn(p, ln);
            return TRUE;
        }
    }
    const char *kws[16];
    g_assert(n <= G_N_ELEMENTS(kws));
    for (gsize i = 0; i < n; i++)
        kws[i] = tab[i].kw;
    sim_parser_unknown_word(p, ln, t, what, kws, n);
    return FALSE;
}

static void block_line(SimParser *p, const SimTokLine *ln)
{
    if (p->skip_block)
        return;
    SimTopoNode *n = p->block;
    if (n == NULL) {
        if (!p->block_error_reported) {
            if (p->last_kw != NULL)
                sim_parser_error(p, ln->line, ln->toks[0].col,
                                 "unexpected indented line: '%s' lines have no block", p->last_kw);
            else
                sim_parser_error(p, ln->line, ln->toks[0].col,
                                 "unexpected indented line outside a device block");
        }
        p->block_error_reported = TRUE;
        return;
    }
    gboolean ok;
    switch (n->kind) {
    case SIM_TOPO_HOST:
        ok = dispatch(p, ln, host_block, G_N_ELEMENTS(host_block), "host statement");
        break;
    case SIM_TOPO_ROUTER:
        ok = dispatch(p, ln, router_block, G_N_ELEMENTS(router_block), "router statement");
        break;
    case SIM_TOPO_SWITCH:
        ok = dispatch(p, ln, switch_block, G_N_ELEMENTS(switch_block), "switch statement");
        break;
    default:
        ok = dispatch(p, ln, NULL, 0, "hub statement");
        break;
    }
    if (!ok)
        n->bad = true;
}

/* ---- top-level statements --------------------------------------------- */

static void st_network(SimParser *p, const SimTokLine *ln)
{
    const SimTok *kw = &ln->toks[0];
    if (ln->ntoks < 2) {
        sim_parser_expected(p, ln, kw, "a title");
        return;
    }
    if (p->topo->title != NULL) {
        sim_parser_error(p, ln->line, kw->col, "'network' given twice");
        sim_parser_note(p, p->topo->title_pos, "the title is first set here");
        return;
    }
    const SimTok *t = &ln->toks[1];
    if (!sim_parser_end(p, ln, 2))
        return;
    p->topo->title = g_strdup(t->text);
    p->topo->title_pos = sim_parser_tok_pos(p, ln, t);
}

static gboolean device_name(SimParser *p, const SimTokLine *ln)
{
    const SimTok *kw = &ln->toks[0];
    if (ln->ntoks < 2) {
        sim_parser_expected(p, ln, kw, "a name");
        return FALSE;
    }
    const SimTok *name = &ln->toks[1];
    if (!sim_parser_name(p, ln, name, "node name")) {
        sim_parser_poison(p, name);
        return FALSE;
    }
    for (gsize i = 0; i < G_N_ELEMENTS(reserved_names); i++) {
        if (strcmp(name->text, reserved_names[i]) == 0) {
            sim_parser_error(p, ln->line, name->col,
                             "'%s' is a command word and cannot name a node", name->text);
            sim_parser_poison(p, name);
            return FALSE;
        }
    }
    return TRUE;
}

static void st_device(SimParser *p, const SimTokLine *ln, SimTopoNodeKind kind)
{
    if (!device_name(p, ln)) {
        p->skip_block = TRUE;
        return;
    }
    const SimTok *name = &ln->toks[1];
    SimTopoNode *n = sim_topo_add_node(p->topo, kind, name->text, sim_parser_tok_pos(p, ln, name));
    p->block = n;
    gboolean ok = TRUE;
    switch (kind) {
    case SIM_TOPO_HOST:
        ok = sim_parser_attrs(p, ln, 2, host_attrs, G_N_ELEMENTS(host_attrs), "host attribute",
                              store_host, n);
        break;
    case SIM_TOPO_SWITCH:
        ok = sim_parser_attrs(p, ln, 2, switch_attrs, G_N_ELEMENTS(switch_attrs),
                              "switch attribute", store_switch, n);
        ok = sim_parser_stp_check(p, n) && ok;
        break;
    case SIM_TOPO_HUB:
        ok = sim_parser_attrs(p, ln, 2, hub_attrs, G_N_ELEMENTS(hub_attrs), "hub attribute",
                              store_switch, n);
        break;
    case SIM_TOPO_ROUTER:
        if (ln->ntoks > 2) {
            sim_parser_error(p, ln->line, ln->toks[2].col,
                             "unexpected '%s': router settings go on indented lines, "
                             "e.g. '  interface eth0 ip 10.0.0.1/24'",
                             ln->toks[2].text);
            ok = FALSE;
        }
        break;
    }
    if (!ok)
        n->bad = true;
}

static void st_host(SimParser *p, const SimTokLine *ln)
{
    st_device(p, ln, SIM_TOPO_HOST);
}

static void st_hub(SimParser *p, const SimTokLine *ln)
{
    st_device(p, ln, SIM_TOPO_HUB);
}

static void st_switch(SimParser *p, const SimTokLine *ln)
{
    st_device(p, ln, SIM_TOPO_SWITCH);
}

static void st_router(SimParser *p, const SimTokLine *ln)
{
    st_device(p, ln, SIM_TOPO_ROUTER);
}

static const Stmt top_level[] = {
    {"network", st_network},
    {"host", st_host},
    {"hub", st_hub},
    {"switch", st_switch},
    {"router", st_router},
    {"link", sim_parser_link},
    {"defaults", sim_parser_defaults},
    {"at", sim_parser_at},
};

/* Ends the block of the previous device. */
static void finish_block(SimParser *p)
{
    SimTopoNode *n = p->block;
    if (n != NULL && n->kind == SIM_TOPO_SWITCH && n->stp == SIM_TOPO_STP_OFF &&
        n->stp_ports->len > 0 && !n->bad) {
        SimTopoPos at = g_array_index(n->stp_ports, SimTopoStpPort, 0).pos;
        sim_parser_error(p, at.line, at.col,
                         "port cost and edge are spanning tree settings: switch '%s' needs 'stp "
                         "on' or 'stp rstp'",
                         n->name);
        n->bad = true;
    }
    if (n != NULL && n->kind == SIM_TOPO_HOST && n->ifaces->len == 0) {
        SimTopoIface *f = sim_topo_node_add_iface(n, "eth0", n->pos);
        f->implicit = true;
    }
    p->block = NULL;
    p->skip_block = FALSE;
    p->block_error_reported = FALSE;
}

static void top_line(SimParser *p, const SimTokLine *ln)
{
    finish_block(p);
    const SimTok *t = &ln->toks[0];
    p->last_kw = NULL;
    if (t->kind == SIM_TOK_WORD &&
        (strcmp(t->text, "interface") == 0 || strcmp(t->text, "route") == 0 ||
         strcmp(t->text, "gateway") == 0)) {
        sim_parser_error(p, ln->line, t->col, "'%s' must be indented under a host or router",
                         t->text);
        p->skip_block = TRUE;
        return;
    }
    for (gsize i = 0; t->kind == SIM_TOK_WORD && i < G_N_ELEMENTS(top_level); i++) {
        if (strcmp(top_level[i].kw, t->text) == 0) {
            p->last_kw = top_level[i].kw;
            top_level[i].fn(p, ln);
            return;
        }
    }
    dispatch(p, ln, top_level, G_N_ELEMENTS(top_level), "statement");
    p->skip_block = TRUE; /* its block, if any, would only add noise */
}

SimTopo *sim_topo_parse_buffer(const char *name, const char *text, gsize len, SimDiag *diag)
{
    /* A UTF-8 byte order mark (Windows editors write one) is skipped, as
     * most tools do; columns on line 1 count from after it. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    SimTopo *topo = sim_topo_new(name);
    sim_diag_add_source(diag, topo->file, text, len);
    SimParser p = {.topo = topo, .diag = diag, .file = topo->file};
    g_autoptr(SimLexer) lx = sim_lexer_new(topo->file, text, len, diag);
    const SimTokLine *ln;
    while (!sim_diag_full(diag) && (ln = sim_lexer_next(lx)) != NULL) {
        if (ln->bad) {
            if (!ln->indented) { /* a broken header: its block is noise */
                finish_block(&p);
                p.skip_block = TRUE;
            } else if (p.block != NULL) {
                p.block->bad = true;
            }
            continue;
        }
        if (ln->indented)
            block_line(&p, ln);
        else
            top_line(&p, ln);
    }
    finish_block(&p);
    return topo;
}

SimTopo *sim_topo_parse_string(const char *name, const char *text, SimDiag *diag)
{
    return sim_topo_parse_buffer(name, text, strlen(text), diag);
}

SimTopo *sim_topo_parse_file(const char *path, SimDiag *diag)
{
    return sim_topo_parse_file_max(path, SIM_TOPO_MAX_INPUT_DEFAULT, diag);
}

SimTopo *sim_topo_parse_file_max(const char *path, gsize max_bytes, SimDiag *diag)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    g_autoptr(GError) err = NULL;
    if (!sim_topo_read_input(path, max_bytes, &text, &len, &err)) {
        sim_diag_report(diag, SIM_DIAG_ERROR, path, 0, 0, "cannot read file: %s", err->message);
        return NULL;
    }
    return sim_topo_parse_buffer(path, text, len, diag);
}

/* parse_stmts.c - `link`, `defaults link` and the `at` scenario commands.
 *
 * A statement that fails to parse is left out of the tree entirely (its
 * half-built record is removed), so the validator never reports a second
 * error that merely follows from the first.
 */
#include "sim/topo/parser.h"
#include "sim/topo/parser_priv.h"

#include "sim/l3/ipstack.h"

#include <string.h>

/* Ids are bit indexes of SimTopoLinkParam. */
const SimAttrSpec sim_parser_link_params[] = {
    {"rate", SIM_VAL_RATE, 0, 0, 0},     {"delay", SIM_VAL_TIME, 0, 0, 1},
    {"loss", SIM_VAL_PERCENT, 0, 0, 2},  {"queue", SIM_VAL_UINT, 1, 1000000, 3},
    {"mtu", SIM_VAL_UINT, 68, 65535, 4},
};
const gsize sim_parser_n_link_params = G_N_ELEMENTS(sim_parser_link_params);

void sim_parser_store_link_param(SimTopoLinkParams *lp, const SimAttrSpec *spec,
                                 const SimAttrVal *v)
{
    lp->set |= 1u << spec->id;
    switch (spec->id) {
    case 0:
        lp->rate_bps = v->u;
        break;
    case 1:
        lp->delay = v->t;
        break;
    case 2:
        lp->loss = v->d;
        break;
    case 3:
        lp->queue = (uint32_t)v->u;
        break;
    case 4:
        lp->mtu = (uint32_t)v->u;
        break;
    }
}

static void store_link(SimParser *p, void *ctx, const SimAttrSpec *spec, const SimAttrVal *v)
{
    sim_parser_store_link_param(ctx, spec, v);
}

/* Parses two endpoints at toks[i], toks[i+1] after `prev`. */
static gboolean two_endpoints(SimParser *p, const SimTokLine *ln, guint i, SimTopoEndpoint *a,
                              SimTopoEndpoint *b)
{
    if (i >= ln->ntoks) {
        sim_parser_expected(p, ln, &ln->toks[i - 1], "two endpoints");
        return FALSE;
    }
    if (!sim_parser_endpoint(p, ln, &ln->toks[i], a))
        return FALSE;
    if (i + 1 >= ln->ntoks) {
        sim_parser_expected(p, ln, &ln->toks[i], "a second endpoint");
        return FALSE;
    }
    return sim_parser_endpoint(p, ln, &ln->toks[i + 1], b);
}

void sim_parser_link(SimParser *p, const SimTokLine *ln)
{
    SimTopo *t = p->topo;
    SimTopoLink *l = sim_topo_add_link(t, sim_parser_tok_pos(p, ln, &ln->toks[0]));
    if (!two_endpoints(p, ln, 1, &l->a, &l->b)) {
        g_ptr_array_remove_index(t->links, t->links->len - 1);
        t->dropped_links++;
        return;
    }
    sim_parser_attrs(p, ln, 3, sim_parser_link_params, sim_parser_n_link_params, "link parameter",
                     store_link, &l->params);
}

static const char *const param_names[] = {"rate", "delay", "loss", "queue", "mtu"};

static void store_default(SimParser *p, void *ctx, const SimAttrSpec *spec, const SimAttrVal *v)
{
    SimTopo *t = p->topo;
    if (t->defaults.set & (1u << spec->id)) {
        sim_parser_error(p, v->kwpos.line, v->kwpos.col, "link default '%s' is already set",
                         param_names[spec->id]);
        sim_parser_note(p, t->defaults_pos[spec->id], "set here");
        return;
    }
    sim_parser_store_link_param(&t->defaults, spec, v);
    t->defaults_pos[spec->id] = v->kwpos;
}

void sim_parser_defaults(SimParser *p, const SimTokLine *ln)
{
    static const char *const targets[] = {"link"};
    const SimTok *kw = &ln->toks[0];
    if (ln->ntoks < 2) {
        sim_parser_expected(p, ln, kw, "'link'");
        return;
    }
    const SimTok *what = &ln->toks[1];
    if (what->kind != SIM_TOK_WORD || strcmp(what->text, "link") != 0) {
        sim_parser_unknown_word(p, ln, what, "defaults target", targets, G_N_ELEMENTS(targets));
        return;
    }
    if (ln->ntoks < 3) {
        sim_parser_expected(p, ln, what, "link parameters");
        return;
    }
    sim_parser_attrs(p, ln, 2, sim_parser_link_params, sim_parser_n_link_params, "link parameter",
                     store_default, NULL);
}

/* ---- at TIME ... ------------------------------------------------------------ */

enum { O_COUNT, O_INTERVAL, O_SIZE, O_TTL, O_TIMEOUT, O_DF, O_ICMP, O_MAX_HOPS, O_PROBES };
enum { O_PMTU = O_PROBES + 1 };

static const SimAttrSpec ping_opts[] = {
    {"count", SIM_VAL_UINT, 1, 65535, O_COUNT}, {"interval", SIM_VAL_TIME, 1, 0, O_INTERVAL},
    {"size", SIM_VAL_UINT, 0, 65507, O_SIZE},   {"ttl", SIM_VAL_UINT, 1, 255, O_TTL},
    {"timeout", SIM_VAL_TIME, 1, 0, O_TIMEOUT}, {"df", SIM_VAL_FLAG, 0, 0, O_DF},
    {"pmtudisc", SIM_VAL_NAME, 0, 0, O_PMTU},
};

/* ping's -M argument, in SimIpPmtuDisc order from DONT. */
static const char *const pmtudisc_modes[] = {"dont", "want", "do"};

static const SimAttrSpec trace_opts[] = {
    {"icmp", SIM_VAL_FLAG, 0, 0, O_ICMP},
    {"max-hops", SIM_VAL_UINT, 1, 255, O_MAX_HOPS},
    {"probes", SIM_VAL_UINT, 1, 10, O_PROBES},
};

static void store_opt(SimParser *p, void *ctx, const SimAttrSpec *spec, const SimAttrVal *v)
{
    SimTopoCmd *c = ctx;
    switch (spec->id) {
    case O_COUNT:
        c->ping.count = (uint32_t)v->u;
        break;
    case O_INTERVAL:
        c->ping.interval = v->t;
        break;
    case O_SIZE:
        c->ping.size = (uint32_t)v->u;
        break;
    case O_TTL:
        c->ping.ttl = (uint32_t)v->u;
        break;
    case O_TIMEOUT:
        c->ping.timeout = v->t;
        break;
    case O_DF:
        c->ping.df = true;
        c->ping.pmtudisc = SIM_IP_PMTUDISC_DO;
        break;
    case O_PMTU:
        for (guint i = 0; i < G_N_ELEMENTS(pmtudisc_modes); i++)
            if (strcmp(v->tok->text, pmtudisc_modes[i]) == 0)
                c->ping.pmtudisc = (uint8_t)(SIM_IP_PMTUDISC_DONT + i);
        if (!c->ping.pmtudisc)
            sim_parser_error(p, v->pos.line, v->pos.col,
                             "bad pmtudisc '%s': expected do, want or dont (ping -M)",
                             v->tok->text);
        break;
    case O_ICMP:
        c->trace.icmp = true;
        break;
    case O_MAX_HOPS:
        c->trace.max_hops = (uint32_t)v->u;
        break;
    case O_PROBES:
        c->trace.probes = (uint32_t)v->u;
        break;
    }
}

/* A target is an IPv4 address (starts with a digit) or a node name. */
static gboolean target(SimParser *p, const SimTokLine *ln, guint i, SimTopoCmd *c)
{
    if (i >= ln->ntoks) {
        sim_parser_expected(p, ln, &ln->toks[i - 1], "a target address or node");
        return FALSE;
    }
    const SimTok *t = &ln->toks[i];
    c->target_pos = sim_parser_tok_pos(p, ln, t);
    if (t->kind == SIM_TOK_WORD && g_ascii_isdigit(t->text[0])) {
        const SimAttrSpec spec = {"target", SIM_VAL_IPV4, 0, 0, 0};
        SimAttrVal v = {.kw = &ln->toks[i - 1], .tok = t};
        if (!sim_parser_value(p, ln, &spec, &v))
            return FALSE;
        c->target = v.ip;
        return TRUE;
    }
    if (t->kind == SIM_TOK_WORD && strchr(t->text, '.'))
        return sim_parser_domain_target(p, ln->line, t->col, t->text, c);
    if (!sim_parser_name(p, ln, t, "target"))
        return FALSE;
    c->target_name = g_strdup(t->text);
    return TRUE;
}

/* at T NODE ping|traceroute TARGET [options] */
static gboolean cmd_probe(SimParser *p, const SimTokLine *ln, SimTopoCmd *c)
{
    if (!target(p, ln, 4, c))
        return FALSE;
    if (c->kind == SIM_TOPO_CMD_PING)
        return sim_parser_attrs(p, ln, 5, ping_opts, G_N_ELEMENTS(ping_opts), "ping option",
                                store_opt, c);
    return sim_parser_attrs(p, ln, 5, trace_opts, G_N_ELEMENTS(trace_opts), "traceroute option",
                            store_opt, c);
}

/* ---- transfers and services ---------------------------------------------------- */

enum { X_BYTES, X_SNDBUF, X_RCVBUF, X_NODELAY, X_NOREAD, X_SIZE, X_RATE };

static const SimAttrSpec tcp_send_opts[] = {
    {"bytes", SIM_VAL_SIZE, 0, 0, X_BYTES},
    {"sndbuf", SIM_VAL_SIZE, 1024, 256u << 20, X_SNDBUF},
    {"rcvbuf", SIM_VAL_SIZE, 1024, 256u << 20, X_RCVBUF},
    {"nodelay", SIM_VAL_FLAG, 0, 0, X_NODELAY},
};
static const SimAttrSpec udp_send_opts[] = {
    {"bytes", SIM_VAL_SIZE, 0, 0, X_BYTES},
    {"size", SIM_VAL_UINT, 1, 65507, X_SIZE},
    {"rate", SIM_VAL_RATE, 0, 0, X_RATE},
};
static const SimAttrSpec service_opts[] = {
    {"rcvbuf", SIM_VAL_SIZE, 1024, 256u << 20, X_RCVBUF},
    {"noread", SIM_VAL_FLAG, 0, 0, X_NOREAD},
};

static void store_xfer(SimParser *p, void *ctx, const SimAttrSpec *spec, const SimAttrVal *v)
{
    SimTopoXfer *x = &((SimTopoCmd *)ctx)->xfer;
    switch (spec->id) {
    case X_BYTES:
        x->bytes = v->u;
        break;
    case X_SNDBUF:
        x->sndbuf = v->u;
        break;
    case X_RCVBUF:
        x->rcvbuf = v->u;
        break;
    case X_NODELAY:
        x->nodelay = true;
        break;
    case X_NOREAD:
        x->noread = true;
        break;
    case X_SIZE:
        x->dgram = (uint32_t)v->u;
        break;
    case X_RATE:
        x->rate_bps = v->u;
        break;
    }
}

/* A port number 1..65535 written at line/col. */
static gboolean port_value(SimParser *p, guint line, guint col, const char *s, SimTopoCmd *c)
{
    uint16_t v;
    if (!sim_parser_port(p, line, col, s, &v))
        return FALSE;
    c->xfer.port = v;
    c->xfer.port_pos = sim_parser_pos(p, line, col);
    return TRUE;
}

/* TARGET:PORT at toks[i] (the caller checked it is there). */
static gboolean target_port(SimParser *p, const SimTokLine *ln, guint i, SimTopoCmd *c)
{
    const SimTok *t = &ln->toks[i];
    const char *colon = t->kind == SIM_TOK_WORD ? strrchr(t->text, ':') : NULL;
    if (!colon) {
        sim_parser_error(p, ln->line, t->col, "expected TARGET:PORT (e.g. 192.168.20.1:9)");
        return FALSE;
    }
    g_autofree char *host = g_strndup(t->text, (gsize)(colon - t->text));
    guint pcol = t->col + (guint)g_utf8_strlen(t->text, colon - t->text) + 1;
    c->target_pos = sim_parser_tok_pos(p, ln, t);
    if (g_ascii_isdigit(host[0])) {
        g_autoptr(GError) err = NULL;
        if (!sim_ipv4_parse(host, &c->target, &err)) {
            sim_parser_error(p, ln->line, t->col, "bad target '%s': %s", host, err->message);
            return FALSE;
        }
    } else if (sim_parser_is_name(host)) {
        c->target_name = g_strdup(host);
    } else if (strchr(host, '.')) {
        if (!sim_parser_domain_target(p, ln->line, t->col, host, c))
            return FALSE;
    } else {
        sim_parser_error(p, ln->line, t->col, "bad target '%s': expected an address or a node",
                         host);
        return FALSE;
    }
    return port_value(p, ln->line, pcol, colon + 1, c);
}

/* at T NODE tcp-send|udp-send TARGET:PORT bytes SIZE [options] */
static gboolean cmd_xfer(SimParser *p, const SimTokLine *ln, SimTopoCmd *c)
{
    if (ln->ntoks < 5) {
        sim_parser_expected(p, ln, &ln->toks[3], "a destination TARGET:PORT");
        return FALSE;
    }
    if (!target_port(p, ln, 4, c))
        return FALSE;
    bool tcp = c->kind == SIM_TOPO_CMD_TCP_SEND;
    const SimAttrSpec *specs = tcp ? tcp_send_opts : udp_send_opts;
    gsize n = tcp ? G_N_ELEMENTS(tcp_send_opts) : G_N_ELEMENTS(udp_send_opts);
    c->xfer.bytes = G_MAXUINT64;
    if (!sim_parser_attrs(p, ln, 5, specs, n, tcp ? "tcp-send option" : "udp-send option",
                          store_xfer, c))
        return FALSE;
    if (c->xfer.bytes == G_MAXUINT64) {
        sim_parser_error(p, ln->line, ln->toks[3].col, "%s needs 'bytes SIZE' (e.g. bytes 1MB)",
                         ln->toks[3].text);
        return FALSE;
    }
    return TRUE;
}

/* at T NODE send tcp TARGET:PORT "TEXT"; chat shares the start. */
static gboolean cmd_send(SimParser *p, const SimTokLine *ln, SimTopoCmd *c, gboolean chat)
{
    static const char *const protos[] = {"tcp"};
    if (ln->ntoks < 5) {
        sim_parser_expected(p, ln, &ln->toks[3], "'tcp'");
        return FALSE;
    }
    const SimTok *pr = &ln->toks[4];
    if (pr->kind != SIM_TOK_WORD || strcmp(pr->text, "tcp") != 0) {
        sim_parser_unknown_word(p, ln, pr, "protocol", protos, G_N_ELEMENTS(protos));
        return FALSE;
    }
    if (ln->ntoks < 6) {
        sim_parser_expected(p, ln, pr, "a destination TARGET:PORT");
        return FALSE;
    }
    if (!target_port(p, ln, 5, c))
        return FALSE;
    if (ln->ntoks < 7 || ln->toks[6].kind != SIM_TOK_STRING) {
        if (ln->ntoks < 7)
            sim_parser_expected(p, ln, &ln->toks[5], "a quoted message");
        else
            sim_parser_error(p, ln->line, ln->toks[6].col,
                             "expected a quoted message (e.g. \"hello\\n\"), got '%s'",
                             ln->toks[6].text);
        return FALSE;
    }
    if (chat)
        return TRUE;
    c->text = g_strdup(ln->toks[6].text);
    c->text_len = strlen(c->text);
    return sim_parser_end(p, ln, 7);
}

/* at T NODE chat tcp TARGET:PORT "LINE" ["LINE"...] [every T] */
static gboolean cmd_chat(SimParser *p, const SimTokLine *ln, SimTopoCmd *c)
{
    if (!cmd_send(p, ln, c, TRUE))
        return FALSE;
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    guint i = 6;
    for (; i < ln->ntoks && ln->toks[i].kind == SIM_TOK_STRING; i++)
        g_ptr_array_add(lines, g_strdup(ln->toks[i].text));
    g_ptr_array_add(lines, NULL);
    c->lines = (char **)g_ptr_array_free(g_steal_pointer(&lines), FALSE);
    c->every = SIM_SEC;
    if (i < ln->ntoks && ln->toks[i].kind == SIM_TOK_WORD &&
        strcmp(ln->toks[i].text, "every") == 0) {
        if (i + 1 >= ln->ntoks) {
            sim_parser_expected(p, ln, &ln->toks[i], "a time");
            return FALSE;
        }
        const SimAttrSpec spec = {"every", SIM_VAL_TIME, 1, 0, 0};
        SimAttrVal v = {.kw = &ln->toks[i], .tok = &ln->toks[i + 1]};
        if (!sim_parser_value(p, ln, &spec, &v))
            return FALSE;
        c->every = v.t;
        i += 2;
    }
    return sim_parser_end(p, ln, i);
}

/* at T NODE upload FILE to TARGET:PORT [as NAME] */
static gboolean cmd_upload(SimParser *p, const SimTokLine *ln, SimTopoCmd *c)
{
    if (ln->ntoks < 5) {
        sim_parser_expected(p, ln, &ln->toks[3], "a file to upload");
        return FALSE;
    }
    c->text = g_strdup(ln->toks[4].text);
    c->text_pos = sim_parser_tok_pos(p, ln, &ln->toks[4]);
    if (ln->ntoks < 7 || ln->toks[5].kind != SIM_TOK_WORD || strcmp(ln->toks[5].text, "to") != 0) {
        sim_parser_expected(p, ln, &ln->toks[ln->ntoks < 6 ? 4 : 5], "'to TARGET:PORT'");
        return FALSE;
    }
    if (!target_port(p, ln, 6, c))
        return FALSE;
    if (ln->ntoks > 7 && ln->toks[7].kind == SIM_TOK_WORD && strcmp(ln->toks[7].text, "as") == 0) {
        if (ln->ntoks < 9) {
            sim_parser_expected(p, ln, &ln->toks[7], "a file name");
            return FALSE;
        }
        c->as_name = g_strdup(ln->toks[8].text);
        return sim_parser_end(p, ln, 9);
    }
    return sim_parser_end(p, ln, 7);
}

/* at T NODE service discard|hello|chatbot|upload tcp|udp PORT [options] */
static gboolean cmd_service(SimParser *p, const SimTokLine *ln, SimTopoCmd *c)
{
    static const char *const services[] = {"discard", "hello", "chatbot", "upload"};
    static const char *const protos[] = {"tcp", "udp"};
    if (ln->ntoks < 5) {
        sim_parser_expected(p, ln, &ln->toks[3], "a service (discard, hello, chatbot or upload)");
        return FALSE;
    }
    const SimTok *s = &ln->toks[4];
    gsize k = 0;
    while (k < G_N_ELEMENTS(services) &&
           (s->kind != SIM_TOK_WORD || strcmp(s->text, services[k]) != 0))
        k++;
    if (k == G_N_ELEMENTS(services)) {
        sim_parser_unknown_word(p, ln, s, "service", services, G_N_ELEMENTS(services));
        return FALSE;
    }
    static const SimTopoService kinds[] = {SIM_TOPO_SVC_DISCARD, SIM_TOPO_SVC_HELLO,
                                           SIM_TOPO_SVC_CHATBOT, SIM_TOPO_SVC_UPLOAD};
    c->service = kinds[k];
    if (ln->ntoks < 6) {
        sim_parser_expected(p, ln, s, "'tcp' or 'udp'");
        return FALSE;
    }
    const SimTok *pr = &ln->toks[5];
    if (pr->kind != SIM_TOK_WORD ||
        (strcmp(pr->text, "tcp") != 0 && strcmp(pr->text, "udp") != 0)) {
        sim_parser_unknown_word(p, ln, pr, "protocol", protos, G_N_ELEMENTS(protos));
        return FALSE;
    }
    c->xfer.udp = strcmp(pr->text, "udp") == 0;
    if (c->xfer.udp && c->service != SIM_TOPO_SVC_DISCARD) {
        sim_parser_error(p, ln->line, pr->col, "service %s runs over tcp only", s->text);
        return FALSE;
    }
    if (ln->ntoks < 7) {
        sim_parser_expected(p, ln, pr, "a port");
        return FALSE;
    }
    if (!port_value(p, ln->line, ln->toks[6].col, ln->toks[6].text, c))
        return FALSE;
    if (c->service == SIM_TOPO_SVC_HELLO || c->service == SIM_TOPO_SVC_UPLOAD)
        return sim_parser_end(p, ln, 7);
    if (c->service == SIM_TOPO_SVC_CHATBOT) {
        if (ln->ntoks < 8 || ln->toks[7].kind != SIM_TOK_WORD ||
            strcmp(ln->toks[7].text, "rules") != 0 || ln->ntoks < 9) {
            sim_parser_expected(p, ln, &ln->toks[ln->ntoks < 8 ? 6 : 7],
                                "'rules FILE' (e.g. rules files/chatbot.rules)");
            return FALSE;
        }
        c->text = g_strdup(ln->toks[8].text);
        c->text_len = strlen(c->text);
        c->text_pos = sim_parser_tok_pos(p, ln, &ln->toks[8]);
        return sim_parser_end(p, ln, 9);
    }
    return sim_parser_attrs(p, ln, 7, service_opts, G_N_ELEMENTS(service_opts), "service option",
                            store_xfer, c);
}

/* at T NODE dhcp release|reboot */
static gboolean cmd_dhcp(SimParser *p, const SimTokLine *ln, SimTopoCmd *c)
{
    if (ln->ntoks < 5 || ln->toks[4].kind != SIM_TOK_WORD ||
        (strcmp(ln->toks[4].text, "release") != 0 && strcmp(ln->toks[4].text, "reboot") != 0)) {
        sim_parser_error(p, ln->line, ln->toks[3].col, "expected 'dhcp release' or 'dhcp reboot'");
        return FALSE;
    }
    c->dhcp_reboot = strcmp(ln->toks[4].text, "reboot") == 0;
    return sim_parser_end(p, ln, 5);
}

static const char *const show_tables[] = {"mac",           "arp",       "route", "interfaces",
                                          "vlan",          "sockets",   "nat",   "dhcp",
                                          "spanning-tree", "dns-cache", "zone"};
static const char *const clear_tables[] = {"arp", "mac"};

/* at T show|clear NODE TABLE */
static gboolean cmd_table(SimParser *p, const SimTokLine *ln, SimTopoCmd *c)
{
    gboolean show = c->kind == SIM_TOPO_CMD_SHOW;
    const char *const *tabs = show ? show_tables : clear_tables;
    gsize ntabs = show ? G_N_ELEMENTS(show_tables) : G_N_ELEMENTS(clear_tables);
    const char *hint =
        show ? "a table (mac, arp, route, interfaces, vlan, sockets, nat, dhcp, spanning-tree, "
               "dns-cache or zone)"
             : "a table (arp or mac)";
    if (ln->ntoks < 4) {
        sim_parser_expected(p, ln, &ln->toks[2], "a node name");
        return FALSE;
    }
    const SimTok *node = &ln->toks[3];
    if (!sim_parser_name(p, ln, node, "node name"))
        return FALSE;
    c->node = g_strdup(node->text);
    c->node_pos = sim_parser_tok_pos(p, ln, node);
    if (ln->ntoks < 5) {
        sim_parser_expected(p, ln, node, hint);
        return FALSE;
    }
    const SimTok *tab = &ln->toks[4];
    for (gsize i = 0; tab->kind == SIM_TOK_WORD && i < ntabs; i++) {
        if (strcmp(tabs[i], tab->text) != 0)
            continue;
        for (SimTopoTable k = SIM_TOPO_TABLE_MAC; k <= SIM_TOPO_TABLE_LAST; k++) {
            if (strcmp(sim_topo_table_name(k), tabs[i]) == 0)
                c->table = k;
        }
        /* `show NODE route cache`: the path MTU cache (ip route show cache);
         * `show NODE route cisco`: Cisco's `show ip route` layout. */
        if (show && c->table == SIM_TOPO_TABLE_ROUTE && ln->ntoks > 5) {
            const SimTok *style = &ln->toks[5];
            if (style->kind == SIM_TOK_WORD && strcmp(style->text, "cache") == 0) {
                c->table = SIM_TOPO_TABLE_ROUTE_CACHE;
            } else if (style->kind == SIM_TOK_WORD && strcmp(style->text, "cisco") == 0) {
                c->cisco = true;
            } else {
                sim_parser_error(p, ln->line, style->col,
                                 "unknown route table '%s' (route cache or route cisco)",
                                 style->text);
                return FALSE;
            }
            return sim_parser_end(p, ln, 6);
        }
        return sim_parser_end(p, ln, 5);
    }
    for (gsize i = 0; !show && tab->kind == SIM_TOK_WORD && i < G_N_ELEMENTS(show_tables); i++) {
        if (strcmp(show_tables[i], tab->text) == 0) {
            sim_parser_error(p, ln->line, tab->col, "cannot clear the %s table (only arp or mac)",
                             tab->text);
            return FALSE;
        }
    }
    sim_parser_unknown_word(p, ln, tab, "table", tabs, ntabs);
    return FALSE;
}

/* at T link A B up|down */
static gboolean cmd_link(SimParser *p, const SimTokLine *ln, SimTopoCmd *c)
{
    static const char *const states[] = {"up", "down"};
    if (!two_endpoints(p, ln, 3, &c->a, &c->b))
        return FALSE;
    if (ln->ntoks < 6) {
        sim_parser_expected(p, ln, &ln->toks[4], "'up' or 'down'");
        return FALSE;
    }
    const SimTok *s = &ln->toks[5];
    if (s->kind == SIM_TOK_WORD && (strcmp(s->text, "up") == 0 || strcmp(s->text, "down") == 0)) {
        c->up = strcmp(s->text, "up") == 0;
        return sim_parser_end(p, ln, 6);
    }
    sim_parser_unknown_word(p, ln, s, "link state", states, G_N_ELEMENTS(states));
    return FALSE;
}

static const struct {
    const char *kw;
    SimTopoCmdKind kind;
    gboolean takes_node; /* written after the node: `at T NODE ping ...` */
} commands[] = {
    {"ping", SIM_TOPO_CMD_PING, TRUE},         {"traceroute", SIM_TOPO_CMD_TRACEROUTE, TRUE},
    {"show", SIM_TOPO_CMD_SHOW, FALSE},        {"link", SIM_TOPO_CMD_LINK, FALSE},
    {"clear", SIM_TOPO_CMD_CLEAR, FALSE},      {"tcp-send", SIM_TOPO_CMD_TCP_SEND, TRUE},
    {"udp-send", SIM_TOPO_CMD_UDP_SEND, TRUE}, {"service", SIM_TOPO_CMD_SERVICE, TRUE},
    {"send", SIM_TOPO_CMD_SEND, TRUE},         {"chat", SIM_TOPO_CMD_CHAT, TRUE},
    {"upload", SIM_TOPO_CMD_UPLOAD, TRUE},     {"dhcp", SIM_TOPO_CMD_DHCP, TRUE},
};

static int find_command(const SimTok *t, gboolean takes_node)
{
    for (guint i = 0; t->kind == SIM_TOK_WORD && i < G_N_ELEMENTS(commands); i++) {
        if (commands[i].takes_node == takes_node && strcmp(commands[i].kw, t->text) == 0)
            return (int)i;
    }
    return -1;
}

static void unknown_command(SimParser *p, const SimTokLine *ln, const SimTok *t)
{
    const char *kws[G_N_ELEMENTS(commands)];
    for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
        kws[i] = commands[i].kw;
    sim_parser_unknown_word(p, ln, t, "command", kws, G_N_ELEMENTS(kws));
}

/* Works out which command toks[2..] is; reports and returns -1 if none. */
static int classify(SimParser *p, const SimTokLine *ln)
{
    const SimTok *w = &ln->toks[2];
    int k = find_command(w, FALSE);
    if (k >= 0)
        return k;
    k = ln->ntoks > 3 ? find_command(&ln->toks[3], TRUE) : -1;
    if (k >= 0)
        return sim_parser_name(p, ln, w, "node name") ? k : -1;
    if (find_command(w, TRUE) >= 0) {
        sim_parser_error(p, ln->line, w->col, "'%s' needs a node first: 'at TIME NODE %s ...'",
                         w->text, w->text);
        return -1;
    }
    /* Neither "CMD ..." nor "NODE CMD ...": blame the word most like a
     * command, else the one where a command should be. */
    static const char *const global_cmds[] = {"show", "link", "clear"};
    if (w->kind == SIM_TOK_WORD && sim_diag_suggest(w->text, global_cmds, 3) != NULL)
        unknown_command(p, ln, w);
    else if (ln->ntoks > 3)
        unknown_command(p, ln, &ln->toks[3]);
    else
        sim_parser_expected(p, ln, w,
                            "a command (ping, traceroute, tcp-send, udp-send, service, send, "
                            "chat, upload, dhcp, show, link or clear)");
    return -1;
}

void sim_parser_at(SimParser *p, const SimTokLine *ln)
{
    const SimTok *kw = &ln->toks[0];
    if (ln->ntoks < 2) {
        sim_parser_expected(p, ln, kw, "a time");
        return;
    }
    const SimAttrSpec tspec = {"time", SIM_VAL_TIME, 0, 0, 0};
    SimAttrVal tv = {.kw = kw, .tok = &ln->toks[1]};
    if (!sim_parser_value(p, ln, &tspec, &tv))
        return;
    if (ln->ntoks < 3) {
        sim_parser_expected(p, ln, tv.tok, "a command");
        return;
    }
    int k = classify(p, ln);
    if (k < 0)
        return;
    SimTopo *t = p->topo;
    SimTopoCmd *c = sim_topo_add_cmd(t, commands[k].kind, sim_parser_tok_pos(p, ln, kw));
    c->at = tv.t;
    c->at_pos = sim_parser_tok_pos(p, ln, tv.tok);
    gboolean ok;
    if (commands[k].takes_node) {
        c->node = g_strdup(ln->toks[2].text);
        c->node_pos = sim_parser_tok_pos(p, ln, &ln->toks[2]);
        ok = c->kind == SIM_TOPO_CMD_SERVICE  ? cmd_service(p, ln, c)
             : c->kind == SIM_TOPO_CMD_SEND   ? cmd_send(p, ln, c, FALSE)
             : c->kind == SIM_TOPO_CMD_CHAT   ? cmd_chat(p, ln, c)
             : c->kind == SIM_TOPO_CMD_UPLOAD ? cmd_upload(p, ln, c)
             : c->kind == SIM_TOPO_CMD_DHCP   ? cmd_dhcp(p, ln, c)
             : c->kind == SIM_TOPO_CMD_TCP_SEND || c->kind == SIM_TOPO_CMD_UDP_SEND
                 ? cmd_xfer(p, ln, c)
                 : cmd_probe(p, ln, c);
    } else if (c->kind == SIM_TOPO_CMD_LINK) {
        ok = cmd_link(p, ln, c);
    } else {
        ok = cmd_table(p, ln, c);
    }
    if (!ok)
        g_ptr_array_remove_index(t->cmds, t->cmds->len - 1);
}

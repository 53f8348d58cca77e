/* parse_dhcp.c - the `dhcp-server` and `dhcp-static` block lines of a
 * host or router:
 *
 *   dhcp-server IFACE pool FIRST-LAST [mask IPV4] [router IPV4] [dns IPV4]
 *               [domain NAME.NAME] [lease TIME]
 *               (several lines on one interface: one pool each; a pool
 *               outside the interface's subnet serves relayed clients and
 *               needs mask and router)
 *   dhcp-static MAC IPV4        (a binding for the last dhcp-server)
 *   dhcp-relay IFACE to IPV4    (routers: relay IFACE's clients to a server)
 *
 * A line of keyword/value pairs parsed here rather than by
 * sim_parser_attrs because the range and the dotted domain are not value
 * kinds of the shared table (rejected: a new SimValKind for each, used by
 * nothing else). Checks that need the interface (it exists, has an
 * address, the range is in its subnet) are made when the world is built.
 */
#include "sim/topo/parser_priv.h"

#include <string.h>

static void server_free(void *p)
{
    SimTopoDhcpServer *s = p;
    g_free(s->iface);
    g_free(s->domain);
    g_array_unref(s->statics);
    g_free(s);
}

static gboolean typed(SimParser *p, const SimTokLine *ln, guint i, SimValKind kind, SimAttrVal *v)
{
    const SimAttrSpec spec = {ln->toks[i].text, kind, 1, 0, 0};
    if (i + 1 >= ln->ntoks) {
        sim_parser_expected(p, ln, &ln->toks[i], kind == SIM_VAL_TIME ? "a time" : "a value");
        return FALSE;
    }
    *v = (SimAttrVal){.kw = &ln->toks[i], .tok = &ln->toks[i + 1]};
    return sim_parser_value(p, ln, &spec, v);
}

static gboolean domain_ok(const char *s)
{
    if (!*s || *s == '.' || strlen(s) > 63)
        return FALSE;
    for (; *s; s++)
        if (!g_ascii_isalnum(*s) && *s != '-' && !(*s == '.' && s[1] && s[1] != '.'))
            return FALSE;
    return TRUE;
}

static gboolean range(SimParser *p, const SimTokLine *ln, const SimTok *t, SimTopoDhcpServer *s)
{
    g_auto(GStrv) ab = g_strsplit(t->text, "-", 2);
    if (g_strv_length(ab) != 2 || !sim_ipv4_parse(ab[0], &s->first, NULL) ||
        !sim_ipv4_parse(ab[1], &s->last, NULL) || s->first > s->last) {
        sim_parser_error(p, ln->line, t->col,
                         "bad pool '%s': expected FIRST-LAST, e.g. 192.168.1.100-192.168.1.199",
                         t->text);
        return FALSE;
    }
    return TRUE;
}

void sim_parser_blk_dhcp_server(SimParser *p, const SimTokLine *ln)
{
    SimTopoNode *n = p->block;
    const SimTok *kw = &ln->toks[0];
    if (ln->ntoks < 2 || !sim_parser_name(p, ln, &ln->toks[1], "interface name")) {
        if (ln->ntoks < 2)
            sim_parser_expected(p, ln, kw, "an interface name");
        n->bad = true;
        return;
    }
    SimTopoDhcpServer *s = g_new0(SimTopoDhcpServer, 1);
    s->pos = sim_parser_tok_pos(p, ln, kw);
    s->iface = g_strdup(ln->toks[1].text);
    s->lease = 3600 * SIM_SEC; /* ISC dhcpd's default-lease-time is 600 s; an hour reads better */
    s->statics = g_array_new(FALSE, FALSE, sizeof(SimTopoDhcpStatic));
    if (!n->dhcp_servers)
        n->dhcp_servers = g_ptr_array_new_with_free_func(server_free);
    g_ptr_array_add(n->dhcp_servers, s);
    bool pool = false;
    for (guint i = 2; i < ln->ntoks; i += 2) {
        const SimTok *k = &ln->toks[i];
        SimAttrVal v;
        if (k->kind == SIM_TOK_WORD && strcmp(k->text, "pool") == 0 && i + 1 < ln->ntoks) {
            pool = range(p, ln, &ln->toks[i + 1], s);
            if (!pool)
                goto bad;
        } else if (k->kind == SIM_TOK_WORD && strcmp(k->text, "domain") == 0 && i + 1 < ln->ntoks) {
            if (!domain_ok(ln->toks[i + 1].text)) {
                sim_parser_error(p, ln->line, ln->toks[i + 1].col, "bad domain '%s'",
                                 ln->toks[i + 1].text);
                goto bad;
            }
            g_free(s->domain);
            s->domain = g_strdup(ln->toks[i + 1].text);
        } else if (k->kind == SIM_TOK_WORD && strcmp(k->text, "dns") == 0) {
            if (!typed(p, ln, i, SIM_VAL_IPV4, &v))
                goto bad;
            s->dns = v.ip;
        } else if (k->kind == SIM_TOK_WORD && strcmp(k->text, "mask") == 0) {
            if (!typed(p, ln, i, SIM_VAL_IPV4, &v))
                goto bad;
            s->mask = v.ip;
        } else if (k->kind == SIM_TOK_WORD && strcmp(k->text, "router") == 0) {
            if (!typed(p, ln, i, SIM_VAL_IPV4, &v))
                goto bad;
            s->router = v.ip;
            s->has_router = true;
        } else if (k->kind == SIM_TOK_WORD && strcmp(k->text, "lease") == 0) {
            if (!typed(p, ln, i, SIM_VAL_TIME, &v))
                goto bad;
            s->lease = v.t;
        } else {
            static const char *const kws[] = {"pool", "mask", "router", "dns", "domain", "lease"};
            if (k->kind == SIM_TOK_WORD && i + 1 >= ln->ntoks)
                sim_parser_expected(p, ln, k, "a value");
            else
                sim_parser_unknown_word(p, ln, k, "dhcp-server option", kws, G_N_ELEMENTS(kws));
            goto bad;
        }
    }
    if (pool)
        return;
    sim_parser_error(p, ln->line, kw->col, "dhcp-server needs 'pool FIRST-LAST'");
bad:
    n->bad = true;
}

void sim_parser_blk_dhcp_static(SimParser *p, const SimTokLine *ln)
{
    SimTopoNode *n = p->block;
    const SimTok *kw = &ln->toks[0];
    if (!n->dhcp_servers) {
        sim_parser_error(p, ln->line, kw->col, "dhcp-static needs a dhcp-server line before it");
        n->bad = true;
        return;
    }
    SimAttrVal mac, ip;
    const SimAttrSpec ms = {"dhcp-static", SIM_VAL_MAC, 0, 0, 0};
    const SimAttrSpec is = {"dhcp-static", SIM_VAL_IPV4, 0, 0, 0};
    if (ln->ntoks < 3) {
        sim_parser_expected(p, ln, &ln->toks[ln->ntoks - 1],
                            ln->ntoks < 2 ? "a MAC" : "an address");
        n->bad = true;
        return;
    }
    mac = (SimAttrVal){.kw = kw, .tok = &ln->toks[1]};
    ip = (SimAttrVal){.kw = kw, .tok = &ln->toks[2]};
    if (!sim_parser_value(p, ln, &ms, &mac) || !sim_parser_value(p, ln, &is, &ip) ||
        !sim_parser_end(p, ln, 3)) {
        n->bad = true;
        return;
    }
    SimTopoDhcpServer *s = g_ptr_array_index(n->dhcp_servers, n->dhcp_servers->len - 1);
    SimTopoDhcpStatic st = {mac.mac, ip.ip};
    g_array_append_val(s->statics, st);
}

static void relay_free(void *p)
{
    SimTopoDhcpRelay *r = p;
    g_free(r->iface);
    g_free(r);
}

void sim_parser_blk_dhcp_relay(SimParser *p, const SimTokLine *ln)
{
    SimTopoNode *n = p->block;
    const SimTok *kw = &ln->toks[0];
    if (ln->ntoks < 4 || !sim_parser_name(p, ln, &ln->toks[1], "interface name") ||
        ln->toks[2].kind != SIM_TOK_WORD || strcmp(ln->toks[2].text, "to") != 0) {
        sim_parser_error(p, ln->line, kw->col, "expected 'dhcp-relay IFACE to SERVER-ADDRESS'");
        n->bad = true;
        return;
    }
    SimAttrVal v;
    if (!typed(p, ln, 2, SIM_VAL_IPV4, &v) || !sim_parser_end(p, ln, 4)) {
        n->bad = true;
        return;
    }
    SimTopoDhcpRelay *r = g_new0(SimTopoDhcpRelay, 1);
    r->pos = sim_parser_tok_pos(p, ln, kw);
    r->iface = g_strdup(ln->toks[1].text);
    r->server = v.ip;
    if (!n->dhcp_relays)
        n->dhcp_relays = g_ptr_array_new_with_free_func(relay_free);
    g_ptr_array_add(n->dhcp_relays, r);
}

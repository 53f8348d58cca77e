/* parse_dns.c - the DNS lines of a host or router block:
 *
 *   dns IPV4                           the stub resolver's server (also
 *                                      written on the host line)
 *   dns-zone FILE                      serve a zone from a master file
 *                                      (several lines: several zones)
 *   dns-resolver root IPV4 [IPV4...]   a recursive resolver with these
 *                                      root hints
 *   dns-resolver forward IPV4 [IPV4...] a forwarder to these servers
 *
 * and a dotted target of ping, traceroute or a transfer, which is a DNS
 * name (node names have no dots). The zone files are read by validation,
 * which reports their errors at their own file:line:col.
 */
#include "sim/topo/parser_priv.h"

#include <string.h>

static SimTopoDns *dns_of(SimTopoNode *n)
{
    if (!n->dns)
        n->dns = g_new0(SimTopoDns, 1);
    return n->dns;
}

void sim_parser_set_dns(SimParser *p, SimTopoNode *n, SimIpv4 server, SimTopoPos kwpos,
                        SimTopoPos pos)
{
    SimTopoDns *d = dns_of(n);
    if (d->has_server) {
        sim_parser_error(p, kwpos.line, kwpos.col, "'dns' given twice for '%s'", n->name);
        sim_parser_note(p, d->server_pos, "first dns server is here");
        n->bad = true;
        return;
    }
    d->has_server = true;
    d->server = server;
    d->server_pos = pos;
}

void sim_parser_blk_dns(SimParser *p, const SimTokLine *ln)
{
    SimAttrVal v;
    if (!sim_parser_blk_ipv4(p, ln, "the DNS server's IPv4 address", &v))
        return;
    sim_parser_set_dns(p, p->block, v.ip, sim_parser_tok_pos(p, ln, v.kw),
                       sim_parser_tok_pos(p, ln, v.tok));
    sim_parser_end(p, ln, 2);
}

void sim_parser_blk_dns_zone(SimParser *p, const SimTokLine *ln)
{
    SimTopoNode *n = p->block;
    if (ln->ntoks < 2) {
        sim_parser_expected(p, ln, &ln->toks[0], "a zone file");
        n->bad = true;
        return;
    }
    SimTopoDns *d = dns_of(n);
    if (!d->zone_files) {
        d->zone_files = g_ptr_array_new_with_free_func(g_free);
        d->zone_pos = g_array_new(FALSE, FALSE, sizeof(SimTopoPos));
    }
    SimTopoPos pos = sim_parser_tok_pos(p, ln, &ln->toks[1]);
    g_ptr_array_add(d->zone_files, g_strdup(ln->toks[1].text));
    g_array_append_val(d->zone_pos, pos);
    sim_parser_end(p, ln, 2);
}

void sim_parser_blk_dns_resolver(SimParser *p, const SimTokLine *ln)
{
    SimTopoNode *n = p->block;
    const SimTok *kw = &ln->toks[0];
    const SimTok *m = ln->ntoks > 1 ? &ln->toks[1] : NULL;
    bool root = m && m->kind == SIM_TOK_WORD && strcmp(m->text, "root") == 0;
    bool fwd = m && m->kind == SIM_TOK_WORD && strcmp(m->text, "forward") == 0;
    if (!root && !fwd) {
        sim_parser_error(p, ln->line, m ? m->col : kw->col,
                         "expected 'dns-resolver root ADDRESS...' or 'dns-resolver forward "
                         "ADDRESS...'");
        n->bad = true;
        return;
    }
    SimTopoDns *d = dns_of(n);
    if (d->mode != SIM_TOPO_DNS_NONE) {
        sim_parser_error(p, ln->line, kw->col, "'dns-resolver' given twice for '%s'", n->name);
        sim_parser_note(p, d->mode_pos, "first dns-resolver is here");
        n->bad = true;
        return;
    }
    if (ln->ntoks < 3) {
        sim_parser_expected(p, ln, m, "an IPv4 address");
        n->bad = true;
        return;
    }
    if (ln->ntoks > 2 + G_N_ELEMENTS(d->upstream)) {
        sim_parser_error(p, ln->line, ln->toks[2 + G_N_ELEMENTS(d->upstream)].col,
                         "at most %u servers", (guint)G_N_ELEMENTS(d->upstream));
        n->bad = true;
        return;
    }
    for (guint i = 2; i < ln->ntoks; i++) {
        const SimAttrSpec spec = {m->text, SIM_VAL_IPV4, 0, 0, 0};
        SimAttrVal v = {.kw = m, .tok = &ln->toks[i]};
        if (!sim_parser_value(p, ln, &spec, &v)) {
            n->bad = true;
            return;
        }
        d->upstream[d->n_upstream++] = v.ip;
    }
    d->mode = root ? SIM_TOPO_DNS_RECURSIVE : SIM_TOPO_DNS_FORWARD;
    d->mode_pos = sim_parser_tok_pos(p, ln, kw);
}

gboolean sim_parser_domain_target(SimParser *p, guint line, guint col, const char *name,
                                  SimTopoCmd *c)
{
    size_t len = strlen(name);
    bool ok = len > 0 && len <= 254 && name[0] != '.' && !g_ascii_isdigit(name[len - 1]);
    for (const char *s = name; ok && *s;) {
        size_t l = strcspn(s, ".");
        ok = l <= 63 && (l > 0 || s[0] == '\0');
        for (size_t i = 0; ok && i < l; i++)
            ok = g_ascii_isalnum(s[i]) || s[i] == '-' || s[i] == '_';
        s += l;
        if (*s == '.')
            s++;
        ok = ok && !(l == 0 && *s);
    }
    if (!ok) {
        sim_parser_error(p, line, col,
                         "bad target '%s': a DNS name is labels of letters, digits or '-' "
                         "separated by dots (e.g. www.example.com)",
                         name);
        return FALSE;
    }
    c->target_name = g_strndup(name, name[len - 1] == '.' ? len - 1 : len);
    c->resolve = true;
    return TRUE;
}

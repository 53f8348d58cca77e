/* parse_nat.c - the router statements of NAT (sim/l3/nat.h):
 *   nat inside IFACE outside IFACE [pool PREFIX] [capacity N]
 *   forward tcp|udp PORT to ADDRESS:PORT
 *   drop-private
 * Names are resolved and addresses checked later, in validate_nat.c.
 */
#include "sim/net/ipv4_hdr.h"
#include "sim/topo/parser.h"
#include "sim/topo/parser_priv.h"

#include <string.h>

enum { N_INSIDE, N_OUTSIDE, N_POOL, N_CAPACITY };

static const SimAttrSpec nat_attrs[] = {
    {"inside", SIM_VAL_NAME, 0, 0, N_INSIDE},
    {"outside", SIM_VAL_NAME, 0, 0, N_OUTSIDE},
    {"pool", SIM_VAL_PREFIX, 0, 0, N_POOL},
    {"capacity", SIM_VAL_UINT, 1, 1000000, N_CAPACITY},
};

static SimTopoNat *node_nat(SimTopoNode *n)
{
    if (!n->nat) {
        n->nat = g_new0(SimTopoNat, 1);
        n->nat->inside_index = n->nat->outside_index = -1;
        n->nat->forwards = g_array_new(FALSE, TRUE, sizeof(SimTopoForward));
    }
    return n->nat;
}

static void store_nat(SimParser *p, void *ctx, const SimAttrSpec *spec, const SimAttrVal *v)
{
    SimTopoNat *nat = ctx;
    switch (spec->id) {
    case N_INSIDE:
        g_free(nat->inside);
        nat->inside = g_strdup(v->tok->text);
        nat->inside_pos = v->pos;
        break;
    case N_OUTSIDE:
        g_free(nat->outside);
        nat->outside = g_strdup(v->tok->text);
        nat->outside_pos = v->pos;
        break;
    case N_POOL:
        nat->has_pool = true;
        nat->pool = v->pfx;
        nat->pool_pos = v->pos;
        break;
    case N_CAPACITY:
        nat->capacity = (uint32_t)v->u;
        break;
    }
}

void sim_parser_blk_nat(SimParser *p, const SimTokLine *ln)
{
    SimTopoNode *n = p->block;
    const SimTok *kw = &ln->toks[0];
    SimTopoNat *nat = node_nat(n);
    if (nat->pos.line) {
        sim_parser_error(p, ln->line, kw->col, "'nat' given twice for '%s'", n->name);
        sim_parser_note(p, nat->pos, "the first nat line is here");
        n->bad = true;
        return;
    }
    nat->pos = sim_parser_tok_pos(p, ln, kw);
    if (!sim_parser_attrs(p, ln, 1, nat_attrs, G_N_ELEMENTS(nat_attrs), "nat option", store_nat,
                          nat)) {
        n->bad = true;
        return;
    }
    if (!nat->inside || !nat->outside) {
        sim_parser_error(p, ln->line, kw->col, "nat needs 'inside IFACE' and 'outside IFACE'");
        n->bad = true;
    }
}

/* forward tcp|udp PORT to ADDRESS:PORT */
void sim_parser_blk_forward(SimParser *p, const SimTokLine *ln)
{
    static const char *const protos[] = {"tcp", "udp"};
    SimTopoNode *n = p->block;
    SimTopoForward f = {.pos = sim_parser_tok_pos(p, ln, &ln->toks[0])};
    n->bad = true;
    if (ln->ntoks < 2) {
        sim_parser_expected(p, ln, &ln->toks[0], "'tcp' or 'udp'");
        return;
    }
    const SimTok *pr = &ln->toks[1];
    if (pr->kind != SIM_TOK_WORD || (strcmp(pr->text, "tcp") && strcmp(pr->text, "udp"))) {
        sim_parser_unknown_word(p, ln, pr, "protocol", protos, G_N_ELEMENTS(protos));
        return;
    }
    f.proto = strcmp(pr->text, "tcp") == 0 ? SIM_IPPROTO_TCP : SIM_IPPROTO_UDP;
    if (ln->ntoks < 3) {
        sim_parser_expected(p, ln, pr, "an outside port");
        return;
    }
    if (!sim_parser_port(p, ln->line, ln->toks[2].col, ln->toks[2].text, &f.outside_port))
        return;
    if (ln->ntoks < 4 || strcmp(ln->toks[3].text, "to") != 0) {
        sim_parser_expected(p, ln, &ln->toks[2], "'to ADDRESS:PORT'");
        return;
    }
    if (ln->ntoks < 5) {
        sim_parser_expected(p, ln, &ln->toks[3], "ADDRESS:PORT");
        return;
    }
    const SimTok *t = &ln->toks[4];
    const char *colon = strchr(t->text, ':');
    if (!colon) {
        sim_parser_error(p, ln->line, t->col, "bad forward target '%s': expected ADDRESS:PORT",
                         t->text);
        return;
    }
    g_autofree char *addr = g_strndup(t->text, (gsize)(colon - t->text));
    if (!sim_ipv4_parse(addr, &f.addr, NULL)) {
        sim_parser_error(p, ln->line, t->col, "bad forward address '%s'", addr);
        return;
    }
    f.addr_pos = sim_parser_tok_pos(p, ln, t);
    guint pcol = t->col + (guint)(colon - t->text) + 1;
    if (!sim_parser_port(p, ln->line, pcol, colon + 1, &f.inside_port))
        return;
    if (!sim_parser_end(p, ln, 5))
        return;
    n->bad = false;
    g_array_append_val(node_nat(n)->forwards, f);
}

void sim_parser_blk_drop_private(SimParser *p, const SimTokLine *ln)
{
    p->block->drop_private = true;
    sim_parser_end(p, ln, 1);
}

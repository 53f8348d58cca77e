/* parser_priv.h - shared state and helpers of the topology parser, split
 * over parser.c (driver, devices and their blocks), parse_values.c (value
 * and attribute parsing) and parse_stmts.c (link, defaults, at).
 *
 * Design: every statement family describes its keywords with a table of
 * SimAttrSpec rows (keyword, value kind, range, id) and one store callback,
 * so extending the language (vlan, dhcp, nat ...) adds rows, and
 * did-you-mean suggestions come from the same table that drives parsing.
 * Recovery is per line: an unknown keyword ends the line's parse, a bad value
 * is reported and parsing goes on with the next keyword, so several mistakes
 * on one line are all reported when that is safe.
 * Not part of the public API.
 */
#pragma once

#include <glib.h>

#include "sim/topo/ast.h"
#include "sim/topo/diag.h"
#include "sim/topo/lexer.h"

#define SIM_NAME_MAX 64 /* longest node or interface name */

typedef struct {
    SimTopo *topo;
    SimDiag *diag;
    const char *file;    /* topo->file */
    SimTopoNode *block;  /* device whose block indented lines extend, or NULL */
    const char *last_kw; /* keyword of the last top-level statement */
    gboolean skip_block; /* drop indented lines: their header failed */
    gboolean block_error_reported;
} SimParser;

typedef enum {
    SIM_VAL_FLAG, /* keyword alone */
    SIM_VAL_UINT,
    SIM_VAL_TIME,
    SIM_VAL_RATE,
    SIM_VAL_PERCENT,
    SIM_VAL_IPV4,
    SIM_VAL_PREFIX,
    SIM_VAL_MAC,
    SIM_VAL_NAME,
    SIM_VAL_SIZE, /* bytes: 1500B, 64KB, 1MB, 1GB, 4MiB */
} SimValKind;

typedef struct {
    const char *kw;
    SimValKind kind;
    guint64 min, max; /* SIM_VAL_UINT, SIM_VAL_TIME (max 0 = none) */
    int id;           /* meaning for the store callback */
} SimAttrSpec;

typedef struct {
    const SimTok *kw;
    const SimTok *tok; /* the value; NULL for a flag */
    SimTopoPos kwpos;
    SimTopoPos pos; /* of the value (of the keyword for a flag) */
    guint64 u;      /* UINT, RATE */
    SimTime t;
    double d; /* PERCENT, as a 0..1 fraction */
    SimIpv4 ip;
    SimPrefix pfx;
    SimMac mac;
} SimAttrVal;

typedef void (*SimAttrStore)(SimParser *p, void *ctx, const SimAttrSpec *spec, const SimAttrVal *v);

/* Diagnostics at a position of the current file. */
void sim_parser_error(SimParser *p, guint line, guint col, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
void sim_parser_note(SimParser *p, SimTopoPos pos, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
SimTopoPos sim_parser_pos(const SimParser *p, guint line, guint col);
SimTopoPos sim_parser_tok_pos(const SimParser *p, const SimTokLine *ln, const SimTok *t);

/* Finds the row for `word` in a table, or NULL. */
const SimAttrSpec *sim_parser_lookup(const SimAttrSpec *specs, gsize n, const char *word);
/* Reports "unknown <what> 'word'" with a suggestion drawn from the table. */
void sim_parser_unknown(SimParser *p, const SimTokLine *ln, const SimTok *t, const char *what,
                        const SimAttrSpec *specs, gsize n);
void sim_parser_unknown_word(SimParser *p, const SimTokLine *ln, const SimTok *t, const char *what,
                             const char *const *kws, gsize n);
/* parse_dhcp.c: the dhcp-server and dhcp-static block lines. */
void sim_parser_blk_dhcp_server(SimParser *p, const SimTokLine *ln);
void sim_parser_blk_dhcp_static(SimParser *p, const SimTokLine *ln);
void sim_parser_blk_dhcp_relay(SimParser *p, const SimTokLine *ln);
/* parse_dns.c: `dns`, `dns-zone`, `dns-resolver` block lines; the host
 * attribute `dns IPV4`; a dotted ping/transfer target as a DNS name. */
void sim_parser_blk_dns(SimParser *p, const SimTokLine *ln);
/* A block line `KEYWORD IPV4` (gateway, dns): the address in v, or FALSE
 * with the error reported and the block marked bad. */
gboolean sim_parser_blk_ipv4(SimParser *p, const SimTokLine *ln, const char *what, SimAttrVal *v);
void sim_parser_blk_dns_zone(SimParser *p, const SimTokLine *ln);
void sim_parser_blk_dns_resolver(SimParser *p, const SimTokLine *ln);
void sim_parser_set_dns(SimParser *p, SimTopoNode *n, SimIpv4 server, SimTopoPos kwpos,
                        SimTopoPos pos);
gboolean sim_parser_domain_target(SimParser *p, guint line, guint col, const char *name,
                                  SimTopoCmd *c);
/* Remembers a name whose declaration failed (see SimTopo.poisoned). */
void sim_parser_poison(SimParser *p, const SimTok *t);

/* Parses `keyword value` pairs from toks[start] to the end of the line and
 * calls store for each good one. `what` names the keywords in messages
 * ("switch attribute", "ping option"). Returns FALSE if anything was
 * reported. */
gboolean sim_parser_attrs(SimParser *p, const SimTokLine *ln, guint start, const SimAttrSpec *specs,
                          gsize n, const char *what, SimAttrStore store, void *ctx);
/* A port 1..65535 written as s, or "bad port 's'" at col. */
gboolean sim_parser_port(SimParser *p, guint line, guint col, const char *s, uint16_t *out);
/* Parses one value token of the given spec, reporting "bad <kw> ...". */
gboolean sim_parser_value(SimParser *p, const SimTokLine *ln, const SimAttrSpec *spec,
                          SimAttrVal *v);

/* Identifier check: [A-Za-z_][A-Za-z0-9_-]*, at most SIM_NAME_MAX chars. */
gboolean sim_parser_is_name(const char *s);
/* Checks that t is a valid name; reports "bad <what> 'x': ..." if not. */
gboolean sim_parser_name(SimParser *p, const SimTokLine *ln, const SimTok *t, const char *what);
/* Reports "expected <what> after '<prev>'" at the end of prev. */
void sim_parser_expected(SimParser *p, const SimTokLine *ln, const SimTok *prev, const char *what);
/* Reports anything from toks[i] on as unexpected; TRUE if there was nothing. */
gboolean sim_parser_end(SimParser *p, const SimTokLine *ln, guint i);
/* Parses "NODE[.IFACE|.PORT]" into ep (strings copied). */
gboolean sim_parser_endpoint(SimParser *p, const SimTokLine *ln, const SimTok *t,
                             SimTopoEndpoint *ep);

/* Statement handlers (parse_stmts.c). */
void sim_parser_link(SimParser *p, const SimTokLine *ln);
/* Router block statements of parse_nat.c. */
void sim_parser_blk_nat(SimParser *p, const SimTokLine *ln);
void sim_parser_blk_forward(SimParser *p, const SimTokLine *ln);
void sim_parser_blk_drop_private(SimParser *p, const SimTokLine *ln);
void sim_parser_defaults(SimParser *p, const SimTokLine *ln);
void sim_parser_at(SimParser *p, const SimTokLine *ln);

/* Spanning tree settings of a switch (parse_stp.c). `which` is 0 stp,
 * 1 priority, 2 hello, 3 max-age, 4 forward-delay. */
void sim_parser_store_stp(SimParser *p, SimTopoNode *n, int which, const SimAttrVal *v);
/* After the switch line: settings that need `stp on|rstp` and the
 * 802.1D relation between the times. FALSE if anything was reported. */
gboolean sim_parser_stp_check(SimParser *p, SimTopoNode *n);
/* "3" or "1-8" within 1..ports. */
gboolean sim_parser_port_range(SimParser *p, const SimTokLine *ln, const SimTok *t, uint32_t ports,
                               uint32_t *first, uint32_t *last);
/* A `port` line's spanning tree words (cost N, edge) from toks[2] on, into
 * sp (parser.c); and a `port N[-M]` line that has only those. */
gboolean sim_parser_stp_port_attrs(SimParser *p, const SimTokLine *ln, SimTopoStpPort *sp);
void sim_parser_blk_stp_port(SimParser *p, const SimTokLine *ln);

/* 802.1Q statements (parse_vlan.c): a switch's `vlan` and `port` lines, and
 * a sub-interface NAME.VID of node n (added to n; NULL after an error).
 * A `port` line takes the VLAN words and the spanning tree words together
 * (`port 3 access 10 cost 4`). */
void sim_parser_blk_vlan(SimParser *p, const SimTokLine *ln);
void sim_parser_blk_port(SimParser *p, const SimTokLine *ln);
SimTopoIface *sim_parser_subif(SimParser *p, const SimTokLine *ln, const SimTok *name,
                               SimTopoNode *n);

/* Shared table of link parameters (ids are bit indexes of SimTopoLinkParam). */
extern const SimAttrSpec sim_parser_link_params[];
extern const gsize sim_parser_n_link_params;
void sim_parser_store_link_param(SimTopoLinkParams *lp, const SimAttrSpec *spec,
                                 const SimAttrVal *v);

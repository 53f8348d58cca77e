/* parse_stp.c - the spanning tree settings of a switch: `stp on|rstp|off`,
 * `priority N` (a multiple of 4096, as 802.1t bridge ids require),
 * `hello T`, `max-age T`, `forward-delay T` (802.1D-1998 Table 8-3 ranges,
 * and the relation 2 x (forward delay - 1 s) >= max age >= 2 x (hello +
 * 1 s) of 8.10.2), and `port N[-M]` ranges for `port ... cost|edge`. */
#include "sim/topo/parser_priv.h"

#include <stdlib.h>
#include <string.h>

static const char *const modes[] = {"off", "on", "rstp"};

static gboolean time_in(SimParser *p, const SimAttrVal *v, SimTime lo, SimTime hi)
{
    if (v->t >= lo && v->t <= hi)
        return TRUE;
    sim_parser_error(p, v->pos.line, v->pos.col, "bad %s '%s': must be %llus to %llus (802.1D)",
                     v->kw->text, v->tok->text, (unsigned long long)(lo / SIM_SEC),
                     (unsigned long long)(hi / SIM_SEC));
    return FALSE;
}

void sim_parser_store_stp(SimParser *p, SimTopoNode *n, int which, const SimAttrVal *v)
{
    if (which != 0 && !n->stp_setting_set) {
        n->stp_setting_set = true;
        n->stp_setting_pos = v->kwpos;
    }
    switch (which) {
    case 0:
        for (gsize i = 0; i < G_N_ELEMENTS(modes); i++) {
            if (strcmp(v->tok->text, modes[i]) == 0) {
                n->stp = (SimTopoStpMode)i;
                n->stp_pos = v->pos;
                return;
            }
        }
        sim_parser_error(p, v->pos.line, v->pos.col, "bad stp '%s': expected on, rstp or off",
                         v->tok->text);
        n->bad = true;
        return;
    case 1:
        if (v->u % 4096 != 0) {
            sim_parser_error(p, v->pos.line, v->pos.col,
                             "bad priority '%s': must be a multiple of 4096 (0, 4096, 8192, ... "
                             "61440)",
                             v->tok->text);
            n->bad = true;
            return;
        }
        n->stp_priority = (uint32_t)v->u;
        return;
    default: { /* hello, max-age, forward-delay: 802.1D-1998 Table 8-3 ranges */
        static const SimTime lo[] = {1 * SIM_SEC, 6 * SIM_SEC, 4 * SIM_SEC};
        static const SimTime hi[] = {10 * SIM_SEC, 40 * SIM_SEC, 30 * SIM_SEC};
        SimTime *dst[] = {&n->stp_hello, &n->stp_max_age, &n->stp_fwd_delay};
        if (time_in(p, v, lo[which - 2], hi[which - 2]))
            *dst[which - 2] = v->t;
        else
            n->bad = true;
        return;
    }
    }
}

gboolean sim_parser_stp_check(SimParser *p, SimTopoNode *n)
{
    if (n->bad)
        return TRUE; /* already reported */
    if (n->stp_setting_set && n->stp == SIM_TOPO_STP_OFF) {
        sim_parser_error(p, n->stp_setting_pos.line, n->stp_setting_pos.col,
                         "spanning tree settings need 'stp on' or 'stp rstp' on switch '%s'",
                         n->name);
        return FALSE;
    }
    if (n->stp != SIM_TOPO_STP_OFF && n->ports > 4095) {
        sim_parser_error(p, n->stp_pos.line, n->stp_pos.col,
                         "a switch with spanning tree has at most 4095 ports (802.1D port ids "
                         "have 12 bits); '%s' has %u",
                         n->name, n->ports);
        return FALSE;
    }
    SimTime hello = n->stp_hello ? n->stp_hello : 2 * SIM_SEC;
    SimTime max_age = n->stp_max_age ? n->stp_max_age : 20 * SIM_SEC;
    SimTime fd = n->stp_fwd_delay ? n->stp_fwd_delay : 15 * SIM_SEC;
    if (max_age > 2 * (fd - SIM_SEC) || max_age < 2 * (hello + SIM_SEC)) {
        char a[SIM_TIME_STRLEN], b[SIM_TIME_STRLEN], c[SIM_TIME_STRLEN];
        sim_parser_error(p, n->stp_setting_pos.line, n->stp_setting_pos.col,
                         "spanning tree times of '%s' break 2 x (forward-delay - 1s) >= max-age "
                         ">= 2 x (hello + 1s) (802.1D 8.10.2): forward-delay %s, max-age %s, "
                         "hello %s",
                         n->name, sim_time_format(fd, a), sim_time_format(max_age, b),
                         sim_time_format(hello, c));
        return FALSE;
    }
    return TRUE;
}

static gboolean port_number(const char *s, guint64 *out)
{
    if (*s == '\0' || strlen(s) > 6 || strspn(s, "0123456789") != strlen(s))
        return FALSE;
    *out = g_ascii_strtoull(s, NULL, 10);
    return TRUE;
}

gboolean sim_parser_port_range(SimParser *p, const SimTokLine *ln, const SimTok *t, uint32_t ports,
                               uint32_t *first, uint32_t *last)
{
    g_auto(GStrv) parts = g_strsplit(t->text, "-", 2);
    guint64 a = 0, b = 0;
    gboolean ok = t->kind == SIM_TOK_WORD && port_number(parts[0], &a) &&
                  (parts[1] == NULL ? (b = a, TRUE) : port_number(parts[1], &b));
    if (!ok) {
        sim_parser_error(p, ln->line, t->col, "bad port '%s': expected a number or a range (1-8)",
                         t->text);
        return FALSE;
    }
    if (a < 1 || b > ports || a > b) {
        sim_parser_error(p, ln->line, t->col, "bad port '%s': the switch has ports 1-%u", t->text,
                         ports);
        return FALSE;
    }
    *first = (uint32_t)a;
    *last = (uint32_t)b;
    return TRUE;
}

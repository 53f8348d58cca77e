/* test_topo_input.c - the diagnostics issue #12 found wrong: each case is
 * the whole list of messages a file gets, so a spurious extra error or
 * warning fails it as surely as a wrong one. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/topo/parser.h"
#include "sim/topo/validate.h"

/* Every message for text (parsed as t.topo), one per line, no source. */
static char *messages(const char *text, gsize len)
{
    g_autoptr(SimDiag) diag = sim_diag_new();
    g_autoptr(SimTopo) topo = sim_topo_parse_buffer("t.topo", text, len, diag);
    sim_topo_validate(topo, diag);
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < sim_diag_count(diag); i++) {
        g_autofree char *m = sim_diag_format(diag, i);
        g_string_append_printf(out, "%s\n", m);
    }
    return g_string_free(out, FALSE);
}

typedef struct {
    const char *text;
    const char *want;
} Case;

static const Case cases[] = {
    /* A bad name: one error where it is declared, none where it is used,
     * and no "not connected" for the other end of its dropped link. */
    {"host 1pc ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\nlink 1pc b\nat 1s 1pc ping b\n",
     "t.topo:1:6: error: bad node name '1pc': a name starts with a letter or '_' and goes on "
     "with letters, digits, '_' or '-'\n"},
    /* Not "bad node name ''". */
    {"host a ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\nlink ../etc b\n",
     "t.topo:3:6: error: bad endpoint '../etc': expected NODE or NODE.IFACE\n"},
    {"host a ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\nlink .eth0 b\n",
     "t.topo:3:6: error: bad endpoint '.eth0': expected NODE or NODE.IFACE\n"},
    /* Not "unknown unit 'e30bps'". */
    {"host a ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\nlink a b rate 1e30bps\n",
     "t.topo:3:15: error: bad rate '1e30bps': exponents are not accepted: write the digits with "
     "a unit (bps, kbps, Mbps or Gbps)\n"},
    {"host a ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\nlink a b\nat 1E3s a ping b\n",
     "t.topo:4:4: error: bad time '1E3s': exponents are not accepted: write the digits with a "
     "unit (ns, us, ms, s, m or h)\n"},
    /* The port is taken by line 4's link only if that link is whole: line
     * 4 is the mistake, line 5 is fine. */
    {"host a ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\nswitch s ports 4\nlink s.1 a.eth9\n"
     "link b s.1\n",
     "t.topo:4:12: error: unknown interface 'eth9' on host 'a' (did you mean 'eth0'?)\n"},
    {"host a ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\nhost c ip 10.0.0.3/24\nswitch s ports 4\n"
     "link a.eth0 s.3\nlink s.1 a.eth0\nlink c s.1\nlink b s\n",
     "t.topo:6:12: error: interface a.eth0 is already linked on line 5\n"},
    /* Nothing to simulate is worth a warning. */
    {"", "t.topo: warning: no devices: the file declares no host, switch, hub or router\n"},
    {"# comments only\n\n   # and blanks\n",
     "t.topo: warning: no devices: the file declares no host, switch, hub or router\n"},
};

Test(topo_input, each_mistake_gets_one_right_message)
{
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *got = messages(cases[i].text, strlen(cases[i].text));
        cr_expect_str_eq(got, cases[i].want, "case %zu:\n%s", i, cases[i].text);
    }
}

Test(topo_input, utf8_bom_is_skipped)
{
    static const char text[] = "\xEF\xBB\xBFhost a ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\n"
                               "link a b\n";
    g_autofree char *got = messages(text, sizeof text - 1);
    cr_assert_str_eq(got, "", "%s", got);
    /* Columns on line 1 count from after the mark. */
    static const char bad[] = "\xEF\xBB\xBFhots a\n";
    g_autofree char *msg = messages(bad, sizeof bad - 1);
    cr_assert(g_str_has_prefix(msg, "t.topo:1:1: error: unknown statement 'hots'"), "%s", msg);
    /* A BOM anywhere else is still a non-ASCII character. */
    static const char mid[] = "host a\n\xEF\xBB\xBFhost b\n";
    g_autofree char *m2 = messages(mid, sizeof mid - 1);
    cr_assert(strstr(m2, "t.topo:2:1: error: non-ASCII character outside a quoted string"), "%s",
              m2);
}

/* test_topo_diag.c - diagnostics: formatting, caret rendering, the error
 * cap, ordering and did-you-mean suggestions. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/topo/diag.h"

static const char *src = "network \"x\"\n"
                         "link swC alex\n"
                         "\tlink\tswA  r1\r\n";

Test(topo_diag, format_and_render)
{
    g_autoptr(SimDiag) d = sim_diag_new();
    sim_diag_add_source(d, "t.topo", src, strlen(src));
    sim_diag_report(d, SIM_DIAG_ERROR, "t.topo", 2, 6, "unknown node '%s' (did you mean '%s'?)",
                    "swC", "swA");
    sim_diag_report(d, SIM_DIAG_NOTE, "t.topo", 3, 7, "declared here");
    sim_diag_report(d, SIM_DIAG_WARNING, "t.topo", 1, 0, "no column");
    sim_diag_report(d, SIM_DIAG_ERROR, "other.topo", 0, 0, "cannot read file");
    sim_diag_report(d, SIM_DIAG_ERROR, NULL, 0, 0, "no file at all");
    cr_assert_eq(sim_diag_errors(d), 3);
    cr_assert_eq(sim_diag_warnings(d), 1);
    g_autofree char *f0 = sim_diag_format(d, 0);
    cr_assert_str_eq(f0, "t.topo:2:6: error: unknown node 'swC' (did you mean 'swA'?)");
    g_autofree char *f2 = sim_diag_format(d, 2);
    cr_assert_str_eq(f2, "t.topo:1: warning: no column");
    g_autofree char *f3 = sim_diag_format(d, 3);
    cr_assert_str_eq(f3, "other.topo: error: cannot read file");
    g_autofree char *f4 = sim_diag_format(d, 4);
    cr_assert_str_eq(f4, "error: no file at all");
    g_autofree char *r = sim_diag_render(d);
    /* The caret keeps the line's tabs so it lines up; CR is dropped. */
    cr_assert_str_eq(r, "t.topo:2:6: error: unknown node 'swC' (did you mean 'swA'?)\n"
                        "link swC alex\n"
                        "     ^\n"
                        "t.topo:3:7: note: declared here\n"
                        "\tlink\tswA  r1\n"
                        "\t    \t^\n"
                        "t.topo:1: warning: no column\n"
                        "network \"x\"\n"
                        "^\n"
                        "other.topo: error: cannot read file\n"
                        "error: no file at all\n");
}

Test(topo_diag, caret_counts_characters_and_sanitises)
{
    /* "é" is one column; the control byte and the bad UTF-8 byte print as
     * '?', one column each. */
    static const char text[] = "\"\xc3\xa9\" \x01 \xff x";
    g_autoptr(SimDiag) d = sim_diag_new();
    sim_diag_add_source(d, "u.topo", text, sizeof text - 1);
    sim_diag_report(d, SIM_DIAG_ERROR, "u.topo", 1, 9, "here");
    g_autofree char *r = sim_diag_render(d);
    cr_assert_str_eq(r, "u.topo:1:9: error: here\n"
                        "\"\xc3\xa9\" ? ? x\n"
                        "        ^\n");
}

Test(topo_diag, caret_past_end_of_line)
{
    g_autoptr(SimDiag) d = sim_diag_new();
    sim_diag_add_source(d, "t.topo", "link a\n", 7);
    sim_diag_report(d, SIM_DIAG_ERROR, "t.topo", 1, 7, "expected a second endpoint after 'a'");
    g_autofree char *r = sim_diag_render(d);
    cr_assert_str_eq(r, "t.topo:1:7: error: expected a second endpoint after 'a'\n"
                        "link a\n"
                        "      ^\n");
}

Test(topo_diag, long_lines_show_a_window)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < 1000; i++)
        g_string_append_c(s, (char)('a' + i % 26));
    g_autoptr(SimDiag) d = sim_diag_new();
    sim_diag_add_source(d, "l.topo", s->str, s->len);
    sim_diag_report(d, SIM_DIAG_ERROR, "l.topo", 1, 500, "deep in the line");
    g_autofree char *r = sim_diag_render(d);
    g_auto(GStrv) lines = g_strsplit(r, "\n", -1);
    cr_assert_eq(g_strv_length(lines), 4);
    cr_assert(g_str_has_prefix(lines[1], "..."));
    cr_assert(g_str_has_suffix(lines[1], "..."));
    cr_assert_lt(strlen(lines[1]), 200);
    /* The caret sits under character 500 of the source. */
    const char *caret = strchr(lines[2], '^');
    cr_assert_not_null(caret);
    gsize at = (gsize)(caret - lines[2]);
    cr_assert_eq(lines[1][at], s->str[499]);
    g_string_free(s, TRUE);
}

Test(topo_diag, error_cap_drops_errors_and_their_notes)
{
    g_autoptr(SimDiag) d = sim_diag_new();
    sim_diag_set_max_errors(d, 2);
    for (guint i = 1; i <= 4; i++) {
        cr_assert_eq(sim_diag_full(d), i > 3);
        sim_diag_report(d, SIM_DIAG_ERROR, "t.topo", i, 1, "error %u", i);
        sim_diag_report(d, SIM_DIAG_NOTE, "t.topo", i, 2, "note %u", i);
    }
    sim_diag_report(d, SIM_DIAG_WARNING, "t.topo", 9, 1, "warnings still count");
    cr_assert_eq(sim_diag_errors(d), 4);
    cr_assert_eq(sim_diag_count(d), 5);
    cr_assert_str_eq(sim_diag_get(d, 3)->message, "note 2");
    cr_assert_eq(sim_diag_get(d, 4)->kind, SIM_DIAG_WARNING);
    g_autofree char *r = sim_diag_render(d);
    cr_assert(g_str_has_suffix(r, "note: too many errors; only the first 2 are shown\n"));

    g_autoptr(SimDiag) u = sim_diag_new();
    sim_diag_set_max_errors(u, 0);
    for (guint i = 0; i < 100; i++)
        sim_diag_report(u, SIM_DIAG_ERROR, "t.topo", 1, 1, "e");
    cr_assert_eq(sim_diag_count(u), 100);
    cr_assert(!sim_diag_full(u));
}

Test(topo_diag, sort_keeps_notes_with_their_message)
{
    g_autoptr(SimDiag) d = sim_diag_new();
    sim_diag_report(d, SIM_DIAG_ERROR, "t.topo", 5, 1, "five");
    sim_diag_report(d, SIM_DIAG_NOTE, "t.topo", 1, 1, "note of five");
    sim_diag_report(d, SIM_DIAG_WARNING, "t.topo", 3, 4, "three");
    sim_diag_report(d, SIM_DIAG_ERROR, "t.topo", 3, 2, "three earlier column");
    sim_diag_report(d, SIM_DIAG_ERROR, "t.topo", 3, 2, "same place, reported later");
    sim_diag_sort(d);
    static const char *want[] = {"three earlier column", "same place, reported later", "three",
                                 "five", "note of five"};
    cr_assert_eq(sim_diag_count(d), 5);
    for (guint i = 0; i < 5; i++)
        cr_expect_str_eq(sim_diag_get(d, i)->message, want[i]);
    cr_assert_eq(sim_diag_find(d, SIM_DIAG_WARNING), 2);
    cr_assert_eq(sim_diag_find(d, SIM_DIAG_NOTE), 4);
}

Test(topo_diag, levenshtein)
{
    cr_assert_eq(sim_diag_levenshtein("kitten", "sitting"), 3);
    cr_assert_eq(sim_diag_levenshtein("", "abc"), 3);
    cr_assert_eq(sim_diag_levenshtein("abc", ""), 3);
    cr_assert_eq(sim_diag_levenshtein("swA", "swA"), 0);
    cr_assert_eq(sim_diag_levenshtein("swC", "swA"), 1);
    cr_assert_eq(sim_diag_levenshtein("prots", "ports"), 1, "a transposition costs 1");
    cr_assert_eq(sim_diag_levenshtein("flaw", "lawn"), 2);
}

Test(topo_diag, suggest)
{
    static const char *nodes[] = {"alex", "swA", "swB", "router1"};
    cr_assert_str_eq(sim_diag_suggest("swC", nodes, 4), "swA", "ties go to the first");
    cr_assert_str_eq(sim_diag_suggest("SWB", nodes, 4), "swB", "case-insensitive match");
    cr_assert_str_eq(sim_diag_suggest("alx", nodes, 4), "alex");
    cr_assert_str_eq(sim_diag_suggest("routre1", nodes, 4), "router1");
    cr_assert_null(sim_diag_suggest("bob", nodes, 4));
    cr_assert_null(sim_diag_suggest("x", nodes, 4));
    cr_assert_null(sim_diag_suggest("anything", nodes, 0));
    g_autoptr(GPtrArray) arr = g_ptr_array_new();
    g_ptr_array_add(arr, "eth0");
    g_ptr_array_add(arr, "eth1");
    cr_assert_str_eq(sim_diag_suggest_array("eth2", arr), "eth0");
    cr_assert_str_eq(sim_diag_suggest_array("eht1", arr), "eth1");
    cr_assert_null(sim_diag_suggest_array("wlan0", arr));
    cr_assert_null(sim_diag_suggest_array("eth0", NULL));
}

Test(topo_diag, source_replaced_and_unknown_lines)
{
    g_autoptr(SimDiag) d = sim_diag_new();
    sim_diag_add_source(d, "t.topo", "old\n", 4);
    sim_diag_add_source(d, "t.topo", "new line\n", 9);
    sim_diag_report(d, SIM_DIAG_ERROR, "t.topo", 1, 5, "x");
    sim_diag_report(d, SIM_DIAG_ERROR, "t.topo", 99, 1, "past the end: no source line");
    g_autofree char *r = sim_diag_render(d);
    cr_assert_str_eq(r, "t.topo:1:5: error: x\n"
                        "new line\n"
                        "    ^\n"
                        "t.topo:99:1: error: past the end: no source line\n");
}

/* The stepper's `detail` of TCP segments against tshark: a transfer is
 * stepped through in-process and every TCP frame's fields are read from
 * `detail`; the same scenario run by the binary writes a pcap, and tshark's
 * values for Wireshark's fields - relative and raw sequence and
 * acknowledgment numbers, flags, the window as sent, the calculated window
 * and its scaling factor, the MSS and window-scale options - must be the
 * stepper's, frame by frame (matched on the raw fields). */
#include "helpers.h"
#include "run_netsim.h"
#include "sim/cli/stepper.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

static const char TOPO[] = "host a ip 10.0.1.1/24\n"
                           "host b ip 10.0.1.2/24\n"
                           "link a b rate 100Mbps delay 1ms\n"
                           "at 0s b service discard tcp 9\n"
                           "at 1s a tcp-send 10.0.1.2:9 bytes 20000B\n";

/* Matched on (identity of a segment on the wire, flags included); compared
 * (what Wireshark derives or decodes). tcp.flags is matched as a number:
 * tshark prints 0x0010 where the stepper adds the names, "0x010 (ACK)". */
static const char *const KEY[] = {"tcp.srcport", "tcp.seq_raw", "tcp.ack_raw",
                                  "tcp.len",     "tcp.flags",   NULL};
static const char *const CMP[] = {"tcp.seq",
                                  "tcp.ack",
                                  "tcp.window_size_value",
                                  "tcp.window_size",
                                  "tcp.window_size_scalefactor",
                                  "tcp.options.mss_val",
                                  "tcp.options.wscale.shift",
                                  "tcp.options.wscale.multiplier",
                                  NULL};

static char *norm(const char *abbrev, const char *value)
{
    if (strcmp(abbrev, "tcp.flags") == 0 && *value)
        return g_strdup_printf("%lu", strtoul(value, NULL, 16));
    return g_strdup(value);
}

/* "k1=v1,k2=v2..." over names, from a lookup of abbrev -> value. */
static char *join(GHashTable *vals, const char *const *names)
{
    GString *s = g_string_new(NULL);
    for (const char *const *n = names; *n; n++) {
        const char *v = g_hash_table_lookup(vals, *n);
        g_autofree char *nv = norm(*n, v ? v : "");
        g_string_append_printf(s, "%s%s=%s", n == names ? "" : ",", *n, nv);
    }
    return g_string_free(s, FALSE);
}

/* Wireshark's name of every field, from `tshark -G fields`. */
static GHashTable *wireshark_names(void)
{
    g_autofree char *all = tshark_run((const char *[]){"-G", "fields", NULL});
    GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    /* Line by line with memchr, not g_strsplit: the listing is tens of MB,
     * and ASan's strstr interceptor measures the whole rest of the string at
     * every call, which made g_strsplit quadratic (minutes under ASan). */
    for (char *l = all, *end = all + strlen(all); l < end;) {
        char *nl = memchr(l, '\n', (size_t)(end - l));
        if (!nl)
            nl = end;
        *nl = '\0';
        if (strstr(l, "\ttcp.")) {
            g_auto(GStrv) c = g_strsplit(l, "\t", -1);
            if (g_strv_length(c) > 2 && g_str_has_prefix(c[2], "tcp."))
                g_hash_table_insert(names, g_strdup(c[2]), g_strdup(c[1]));
        }
        l = nl + 1;
    }
    return names;
}

/* Every TCP field line of a `detail` output ("    tcp.seq   1   Sequence
 * Number": columns apart by two or more spaces) names the field as
 * Wireshark does. Returns how many lines were checked. */
static guint check_labels(const char *text, GHashTable *ws)
{
    guint n = 0;
    g_autoptr(GRegex) re = g_regex_new("^ +(tcp\\.[a-z_.]+) {2,}(.+?) {2,}(.+)$", 0, 0, NULL);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        g_autoptr(GMatchInfo) m = NULL;
        if (!g_regex_match(re, *l, 0, &m))
            continue;
        g_autofree char *abbrev = g_match_info_fetch(m, 1);
        g_autofree char *label = g_match_info_fetch(m, 3);
        const char *want = g_hash_table_lookup(ws, abbrev);
        cr_assert_not_null(want, "%s is not a Wireshark field", abbrev);
        cr_assert_str_eq(label, want, "%s", abbrev);
        n++;
    }
    return n;
}

/* The TCP fields of one `detail` output: the value is the word after the
 * name ("    tcp.seq      1      Sequence Number"). */
static GHashTable *detail_fields(const char *text)
{
    GHashTable *vals = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        g_auto(GStrv) w = g_strsplit_set(g_strstrip(*l), " ", -1);
        guint n = 0;
        char *words[2] = {0};
        for (char **x = w; *x && n < 2; x++)
            if (**x)
                words[n++] = *x;
        if (n == 2 && g_str_has_prefix(words[0], "tcp."))
            g_hash_table_insert(vals, g_strdup(words[0]), g_strdup(words[1]));
    }
    return vals;
}

/* Steps to the end; every frame of every step that is TCP goes into
 * `seen` as key -> compared fields. */
static void step_all(GHashTable *seen)
{
    g_autoptr(GHashTable) ws = wireshark_names();
    guint labels = 0;
    g_autoptr(GError) err = NULL;
    g_autoptr(SimStepper) st = sim_stepper_new("tcp.topo", TOPO, strlen(TOPO), 1, NULL, &err);
    cr_assert_not_null(st, "%s", err ? err->message : "");
    for (;;) {
        uint64_t before = sim_stepper_position(st);
        g_autoptr(GString) out = g_string_new(NULL);
        sim_stepper_exec(st, "n", out);
        if (sim_stepper_position(st) == before)
            break;
        for (guint f = 1;; f++) {
            g_autoptr(GString) d = g_string_new(NULL);
            g_autofree char *cmd = g_strdup_printf("detail %u", f);
            sim_stepper_exec(st, cmd, d);
            if (!g_str_has_prefix(d->str, "frame "))
                break;
            g_autoptr(GHashTable) vals = detail_fields(d->str);
            if (g_hash_table_contains(vals, "tcp.seq_raw"))
                g_hash_table_insert(seen, join(vals, KEY), join(vals, CMP));
            labels += check_labels(d->str, ws);
            guint of = 0;
            cr_assert(sscanf(d->str, "frame %*u of %u", &of) == 1, "%s", d->str);
            if (f == of)
                break;
        }
    }
    cr_assert_gt(labels, 100, "%u labelled lines", labels);
}

Test(step_tcp, detail_fields_equal_tsharks)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-steptcp-XXXXXX", NULL);
    g_autofree char *topo = g_build_filename(dir, "tcp.topo", NULL);
    cr_assert(g_file_set_contents(topo, TOPO, -1, NULL));
    Run r = netsim((const char *[]){"run", topo, "--trace", "none", "--pcap", dir, NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);

    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    step_all(seen);

    g_autofree char *pcap = g_build_filename(dir, "a-eth0.pcap", NULL);
    GPtrArray *names = g_ptr_array_new();
    for (const char *const *k = KEY; *k; k++)
        g_ptr_array_add(names, (char *)*k);
    for (const char *const *c = CMP; *c; c++)
        g_ptr_array_add(names, (char *)*c);
    g_ptr_array_add(names, NULL);
    g_autofree char *fields = tshark_fields(pcap, (const char *const *)names->pdata);
    g_auto(GStrv) lines = g_strsplit(fields, "\n", -1);
    guint compared = 0, syns = 0, scaled = 0;
    for (char **l = lines; *l; l++) {
        g_auto(GStrv) v = g_strsplit(*l, ",", -1);
        if (g_strv_length(v) != names->len - 1 || !*v[1])
            continue; /* ARP */
        g_autoptr(GHashTable) vals = g_hash_table_new(g_str_hash, g_str_equal);
        for (guint i = 0; i + 1 < names->len; i++)
            g_hash_table_insert(vals, g_ptr_array_index(names, i), v[i]);
        g_autofree char *key = join(vals, KEY);
        g_autofree char *want = join(vals, CMP);
        const char *got = g_hash_table_lookup(seen, key);
        cr_assert_not_null(got, "tshark's segment %s never shown by the stepper", key);
        cr_assert_str_eq(got, want, "segment %s:\nstepper %s\ntshark  %s", key, got, want);
        compared++;
        if (*(char *)g_hash_table_lookup(vals, "tcp.options.mss_val"))
            syns++;
        if (strcmp(g_hash_table_lookup(vals, "tcp.window_size_scalefactor"), "4") == 0)
            scaled++;
    }
    g_ptr_array_free(names, TRUE);
    /* SYN, SYN-ACK, 14 data segments and FIN, the ACKs: both directions. */
    cr_assert_geq(compared, 20, "%u segments", compared);
    cr_assert_eq(syns, 2);
    cr_assert_geq(scaled, compared - 2, "128 KB rcvbuf: shift 2 both ways");
    const char *files[] = {"tcp.topo", "a-eth0.pcap", "b-eth0.pcap"};
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        g_autofree char *p = g_build_filename(dir, files[i], NULL);
        cr_assert_eq(g_remove(p), 0, "%s", p);
    }
    cr_assert_eq(g_rmdir(dir), 0);
}

/* The trace outputs of every shipped topology, as a user gets them from
 * `netsim run`: the JSON trace parses line by line with the keys
 * docs/trace.md documents; every pcap is dissected by tshark without a
 * malformed frame, a bad checksum or an error-level expert note; the echo
 * replies in a pinging host's capture match its ping summary; and the
 * text, JSON and pcap outputs are byte-identical for one seed and change
 * with the seed when a link is lossy. */
#include "../unit/json_dom.h"
#include "../unit/topo_fixtures.h"
#include "sim/core/trace.h"

#include "run_netsim.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

/* The storm never goes idle: it is bounded by time. */
static const char *until_for(const char *path)
{
    return strstr(path, "broadcast-storm") ? "2ms" : "20s";
}

/* Sorted file names of a directory. */
static GPtrArray *dir_files(const char *dir)
{
    GPtrArray *list = g_ptr_array_new_with_free_func(g_free);
    GDir *d = g_dir_open(dir, 0, NULL);
    cr_assert_not_null(d, "%s", dir);
    for (const char *n; (n = g_dir_read_name(d));)
        g_ptr_array_add(list, g_strdup(n));
    g_dir_close(d);
    g_ptr_array_sort(list, fx_cmp_strp);
    return list;
}

/* ---- JSON ---------------------------------------------------------------- */

static const char *const record_keys[] = {"id",   "event",  "time_ns", "node",   "iface",
                                          "kind", "reason", "summary", "detail", "packet"};
/* A labelled node's records carry "label" right after "node". */
static const char *const labelled_keys[] = {"id",   "event",  "time_ns", "node",   "label", "iface",
                                            "kind", "reason", "summary", "detail", "packet"};
static const char *const layer_names[] = {"eth", "vlan", "arp",  "ip",   "icmp", "udp",      "tcp",
                                          "llc", "stp",  "data", "dhcp", "dns",  "malformed"};

static bool known_reason(const char *s)
{
    for (SimDropReason r = SIM_DROP_NONE + 1; r < SIM_DROP_N_REASONS; r++)
        if (strcmp(s, sim_trace_reason_name(r)) == 0)
            return true;
    return false;
}

static void check_keys(const Jv *o, const char *const *keys, guint min, guint max, const char *what,
                       const char *line)
{
    cr_assert(o && o->t == JV_OBJ, "%s is not an object: %s", what, line);
    cr_assert(o->keys->len >= min && o->keys->len <= max, "%s has %u keys: %s", what, o->keys->len,
              line);
    for (guint i = 0; i < o->keys->len; i++)
        cr_assert_str_eq(g_ptr_array_index(o->keys, i), keys[i], "%s key %u: %s", what, i, line);
}

static void check_packet(const Jv *p, const char *line)
{
    static const char *const keys[] = {"uid", "len", "layers"};
    static const char *const lkeys[] = {"name", "offset", "length", "fields"};
    check_keys(p, keys, 3, 3, "packet", line);
    uint64_t uid, len;
    cr_assert(jv_uint(p, "uid", &uid) && uid > 0 && jv_uint(p, "len", &len) && len >= 14, "%s",
              line);
    const Jv *layers = jv_get(p, "layers");
    cr_assert(layers->t == JV_ARR && layers->items->len > 0, "%s", line);
    for (guint i = 0; i < layers->items->len; i++) {
        const Jv *l = g_ptr_array_index(layers->items, i);
        check_keys(l, lkeys, 4, 4, "layer", line);
        const char *name = jv_str(l, "name");
        cr_assert_not_null(name, "%s", line);
        bool known = false;
        for (size_t k = 0; k < G_N_ELEMENTS(layer_names); k++)
            known |= strcmp(name, layer_names[k]) == 0;
        cr_assert(known, "unknown layer '%s': %s", name, line);
        uint64_t off, n;
        cr_assert(jv_uint(l, "offset", &off) && jv_uint(l, "length", &n) && off + n <= len, "%s",
                  line);
        cr_assert(i > 0 || (strcmp(name, "eth") == 0 && off == 0), "first layer: %s", line);
        const Jv *fields = jv_get(l, "fields");
        cr_assert(fields && fields->t == JV_OBJ, "%s", line);
        g_autofree char *prefix = g_strconcat(name, ".", NULL);
        for (guint f = 0; f < fields->keys->len; f++) {
            const Jv *v = g_ptr_array_index(fields->items, f);
            cr_assert_eq(v->t, JV_STR, "%s", line);
            cr_assert(strcmp(name, "malformed") == 0 ||
                          g_str_has_prefix(g_ptr_array_index(fields->keys, f), prefix),
                      "field %s in layer %s: %s", (char *)g_ptr_array_index(fields->keys, f), name,
                      line);
        }
    }
}

/* Checks one JSON trace; returns the number of records. */
static guint check_json_trace(const char *path, const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    uint64_t prev_event = 0, prev_time = 0;
    guint n = 0;
    for (char **l = lines; *l; l++) {
        if (!**l) {
            cr_assert_null(l[1], "%s: empty line inside the trace", path);
            break;
        }
        const char *perr = NULL;
        g_autoptr(Jv) o = jv_parse(*l, -1, &perr);
        cr_assert_not_null(o, "%s line %u: %s: %s", path, n + 1, perr, *l);
        if (jv_get(o, "label")) {
            check_keys(o, labelled_keys, 10, 11, "record", *l);
            cr_assert(jv_get(o, "label")->t == JV_STR, "%s", *l);
        } else {
            check_keys(o, record_keys, 9, 10, "record", *l);
        }
        uint64_t id, event, time;
        cr_assert(jv_uint(o, "id", &id) && jv_uint(o, "event", &event) &&
                      jv_uint(o, "time_ns", &time),
                  "%s", *l);
        cr_assert_eq(id, (uint64_t)n + 1, "%s: ids must count from 1: %s", path, *l);
        cr_assert(event >= prev_event && time >= prev_time, "%s: out of order: %s", path, *l);
        prev_event = event;
        prev_time = time;
        const char *node = jv_str(o, "node"), *iface = jv_str(o, "iface");
        const char *kind = jv_str(o, "kind"), *reason = jv_str(o, "reason");
        const char *summary = jv_str(o, "summary"), *detail = jv_str(o, "detail");
        cr_assert(node && iface && kind && reason && summary && detail, "%s", *l);
        SimTraceKind k;
        cr_assert(sim_trace_kind_parse(kind, &k), "%s: unknown kind: %s", path, *l);
        if (k == SIM_TR_DROP)
            cr_assert(known_reason(reason), "%s: drop without a known reason: %s", path, *l);
        else
            cr_assert_str_empty(reason, "%s", *l);
        const Jv *packet = jv_get(o, "packet");
        if (packet)
            check_packet(packet, *l);
        else
            cr_assert_str_eq(summary, detail, "%s: without a frame summary is the detail", path);
        if (k == SIM_TR_TX || k == SIM_TR_RX) {
            uint64_t len = 0;
            cr_assert(packet && jv_uint(packet, "len", &len), "%s: tx/rx without frame", path);
            g_autofree char *want = g_strdup_printf("%" G_GUINT64_FORMAT " bytes", len);
            cr_assert_str_eq(detail, want, "%s", *l);
        }
        n++;
    }
    return n;
}

Test(traces, json_of_every_topology_has_the_documented_keys)
{
    g_autoptr(GPtrArray) topos = fx_shipped_topologies();
    for (guint i = 0; i < topos->len; i++) {
        const char *path = g_ptr_array_index(topos, i);
        Run r = netsim(
            (const char *[]){"run", path, "--trace", "json", "--until", until_for(path), NULL});
        cr_assert_eq(r.status, 0, "%s: %s", path, r.err);
        guint n = check_json_trace(path, r.out);
        cr_assert_gt(n, 10, "%s: only %u records", path, n);
        run_free(&r);
    }
}

/* ---- pcap and tshark ------------------------------------------------------ */

static char *tool_path(const char *name)
{
    char *t = g_find_program_in_path(name);
    cr_assert_not_null(t, "%s is required (apt-get install tshark)", name);
    return t;
}

/* Runs argv; returns stdout. */
static char *spawn_out(const char *const *argv)
{
    char *out = NULL;
    g_autofree char *err = NULL;
    int wait = 0;
    cr_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                           &wait, NULL),
              "cannot run %s", argv[0]);
    cr_assert(WIFEXITED(wait) && WEXITSTATUS(wait) == 0, "%s failed: %s", argv[0], err);
    return out;
}

/* The first thing tshark flags in its -V output of pcap, or NULL. */
static const char *tshark_flag(const char *pcap, char **out)
{
    g_autofree char *tshark = tool_path("tshark");
    const char *argv[] = {tshark,
                          "-n",
                          "-r",
                          pcap,
                          "-V",
                          "-o",
                          "ip.check_checksum:TRUE",
                          "-o",
                          "udp.check_checksum:TRUE",
                          "-o",
                          "tcp.check_checksum:TRUE",
                          NULL};
    *out = spawn_out(argv);
    static const char *const flags[] = {"Malformed", "Expert Info (Error", "[Bad", "Bad checksum",
                                        "incorrect"};
    for (size_t f = 0; f < G_N_ELEMENTS(flags); f++)
        if (strstr(*out, flags[f]))
            return flags[f];
    return NULL;
}

/* tshark -V over every capture in dir must flag nothing. tshark's start-up
 * costs about 0.3 s and the topologies write some 180 captures, so the
 * captures of one run are concatenated (mergecap -a: each file's frames
 * unchanged, one after another) and dissected at once; only if that flags
 * something is each file dissected alone, to name the culprit. */
static guint tshark_check_dir(const char *dir)
{
    g_autofree char *mergecap = tool_path("mergecap");
    g_autoptr(GPtrArray) files = dir_files(dir);
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *all = g_build_filename(dir, "all.pcap.merged", NULL);
    g_ptr_array_add(argv, g_strdup(mergecap));
    g_ptr_array_add(argv, g_strdup("-a"));
    g_ptr_array_add(argv, g_strdup("-w"));
    g_ptr_array_add(argv, g_strdup(all));
    guint frames = 0;
    for (guint i = 0; i < files->len; i++) {
        char *f = g_build_filename(dir, g_ptr_array_index(files, i), NULL);
        guint n = pcap_frames(f);
        cr_assert_gt(n, 0, "%s: a capture file without frames", f);
        frames += n;
        g_ptr_array_add(argv, f);
    }
    g_ptr_array_add(argv, NULL);
    g_free(spawn_out((const char *const *)argv->pdata));
    g_autofree char *out = NULL;
    const char *flag = tshark_flag(all, &out);
    g_unlink(all);
    g_autofree char *last = g_strdup_printf("\nFrame %u:", frames);
    g_autofree char *extra = g_strdup_printf("\nFrame %u:", frames + 1);
    cr_assert(strstr(out, last) && !strstr(out, extra), "%s: tshark did not see %u frames", dir,
              frames);
    for (guint i = 0; flag && i < files->len; i++) {
        g_autofree char *f = g_build_filename(dir, g_ptr_array_index(files, i), NULL);
        g_autofree char *one = NULL;
        const char *why = tshark_flag(f, &one);
        const char *at = why ? strstr(one, why) : NULL;
        cr_assert_null(why, "%s: tshark reports \"%s\":\n%.800s", f, why,
                       at && at - one > 400 ? at - 400 : one);
    }
    cr_assert_null(flag, "%s: tshark reports \"%s\" in the concatenated captures only", dir, flag);
    return files->len;
}

/* Echo replies from `from` to `to` in one capture. */
static guint tshark_count_replies(const char *pcap, const char *from, const char *to)
{
    if (!g_file_test(pcap, G_FILE_TEST_EXISTS))
        return 0;
    g_autofree char *tshark = tool_path("tshark");
    g_autofree char *filter = g_strdup_printf("icmp.type==0 && ip.src==%s && ip.dst==%s", from, to);
    const char *argv[] = {tshark, "-n",     "-r", pcap,           "-Y", filter,
                          "-T",   "fields", "-e", "frame.number", NULL};
    g_autofree char *out = spawn_out(argv);
    guint n = 0;
    for (const char *p = out; *p; p++)
        n += *p == '\n';
    return n;
}

/* A host's own address: the source of the first IPv4 frame it sends
 * (after DHCP's from 0.0.0.0). */
static const char *host_address(GPtrArray *recs, const char *node)
{
    for (guint i = 0; i < recs->len; i++) {
        const Jv *o = g_ptr_array_index(recs, i);
        const Jv *p = jv_get(o, "packet");
        if (!p || g_strcmp0(jv_str(o, "node"), node) || g_strcmp0(jv_str(o, "kind"), "tx"))
            continue;
        const Jv *layers = jv_get(p, "layers");
        for (guint l = 0; l < layers->items->len; l++) {
            const Jv *layer = g_ptr_array_index(layers->items, l);
            const char *src = strcmp(jv_str(layer, "name"), "ip") == 0
                                  ? jv_str(jv_get(layer, "fields"), "ip.src")
                                  : NULL;
            if (src && strcmp(src, "0.0.0.0") != 0)
                return src;
        }
    }
    return NULL;
}

/* Compares each ping summary in the JSON trace with tshark's count of the
 * echo replies in the pinging host's capture; returns the summaries seen. */
static guint check_ping_summaries(const char *topo, const char *json, const char *dir)
{
    g_auto(GStrv) lines = g_strsplit(json, "\n", -1);
    g_autoptr(GPtrArray) recs = g_ptr_array_new_with_free_func((GDestroyNotify)jv_free);
    for (char **l = lines; *l && **l; l++)
        g_ptr_array_add(recs, jv_parse(*l, -1, NULL));
    /* node -> target of the "--- X ping statistics ---" line just printed */
    g_autoptr(GHashTable) target = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    /* "node to" -> replies received, summed over that host's pings */
    g_autoptr(GHashTable) received = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    guint summaries = 0;
    for (guint i = 0; i < recs->len; i++) {
        const Jv *o = g_ptr_array_index(recs, i);
        if (strcmp(jv_str(o, "kind"), "app") != 0)
            continue;
        const char *node = jv_str(o, "node"), *detail = jv_str(o, "detail");
        char ip[64], host[256];
        unsigned sent, got;
        /* "PING www.example.com (93.184.216.34) ...": a DNS name's address */
        if (sscanf(detail, "PING %255s (%63[0-9.])", host, ip) == 2) {
            g_hash_table_insert(target, (char *)node, g_strdup(ip));
        } else if (sscanf(detail, "%u packets transmitted, %u received", &sent, &got) == 2) {
            const char *to = g_hash_table_lookup(target, node);
            cr_assert_not_null(to, "%s: summary without its header", topo);
            char *key = g_strdup_printf("%s %s", node, to);
            guint before = GPOINTER_TO_UINT(g_hash_table_lookup(received, key));
            g_hash_table_insert(received, key, GUINT_TO_POINTER(before + got));
            summaries++;
        }
    }
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, received);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        g_auto(GStrv) parts = g_strsplit(k, " ", 2);
        const char *self = host_address(recs, parts[0]);
        if (!self) { /* never got past ARP (the storm): nothing can have come back */
            cr_assert_eq(GPOINTER_TO_UINT(v), 0, "%s: %s sent no IPv4 frame", topo, parts[0]);
            continue;
        }
        g_autofree char *name = g_strdup_printf("%s-eth0.pcap", parts[0]);
        g_autofree char *pcap = g_build_filename(dir, name, NULL);
        guint seen = tshark_count_replies(pcap, parts[1], self);
        cr_assert_eq(seen, GPOINTER_TO_UINT(v),
                     "%s: %s's ping of %s says %u received, its capture holds %u echo replies",
                     topo, parts[0], parts[1], GPOINTER_TO_UINT(v), seen);
    }
    return summaries;
}

Test(traces, every_pcap_dissects_clean_and_replies_match_ping_summaries)
{
    g_autoptr(GPtrArray) topos = fx_shipped_topologies();
    guint files = 0, summaries = 0;
    for (guint i = 0; i < topos->len; i++) {
        const char *path = g_ptr_array_index(topos, i);
        g_autofree char *dir = fx_tmpdir("netsim-traces-XXXXXX");
        Run r = netsim((const char *[]){"run", path, "--trace", "json", "--until", until_for(path),
                                        "--pcap", dir, NULL});
        cr_assert_eq(r.status, 0, "%s: %s", path, r.err);
        files += tshark_check_dir(dir);
        summaries += check_ping_summaries(path, r.out, dir);
        run_free(&r);
        fx_rm_dir(dir);
    }
    cr_assert_gt(files, 100, "only %u captures", files);
    cr_assert_geq(summaries, 8, "only %u ping summaries", summaries);
}

/* ---- determinism --------------------------------------------------------- */

static bool same_file(const char *a, const char *b)
{
    g_autofree char *x = NULL;
    g_autofree char *y = NULL;
    gsize nx = 0, ny = 0;
    cr_assert(g_file_get_contents(a, &x, &nx, NULL) && g_file_get_contents(b, &y, &ny, NULL));
    return nx == ny && memcmp(x, y, nx) == 0;
}

/* Runs path twice per output kind with one seed; returns TRUE when all
 * outputs are byte-identical. With `expect_same`, asserts it. */
typedef struct {
    char *text, *json, *dir;
} Outputs;

static Outputs run_outputs(const char *path, const char *until, const char *seed)
{
    Outputs o = {.dir = fx_tmpdir("netsim-traces-XXXXXX")};
    Run t = netsim((const char *[]){"run", path, "--until", until, "--seed", seed, NULL});
    Run j = netsim((const char *[]){"run", path, "--trace", "json", "--until", until, "--seed",
                                    seed, "--pcap", o.dir, NULL});
    cr_assert(t.status == 0 && j.status == 0, "%s: %s%s", path, t.err, j.err);
    o.text = g_steal_pointer(&t.out);
    o.json = g_steal_pointer(&j.out);
    run_free(&t);
    run_free(&j);
    return o;
}

static void outputs_free(Outputs *o)
{
    g_free(o->text);
    g_free(o->json);
    fx_rm_dir(o->dir);
    g_free(o->dir);
}

/* Which outputs differ: bit 0 text, 1 JSON, 2 pcap files. */
static unsigned outputs_diff(const Outputs *a, const Outputs *b)
{
    unsigned d = 0;
    if (strcmp(a->text, b->text) != 0)
        d |= 1;
    if (strcmp(a->json, b->json) != 0)
        d |= 2;
    g_autoptr(GPtrArray) fa = dir_files(a->dir);
    g_autoptr(GPtrArray) fb = dir_files(b->dir);
    if (fa->len != fb->len)
        return d | 4;
    for (guint i = 0; i < fa->len; i++) {
        g_autofree char *pa = g_build_filename(a->dir, g_ptr_array_index(fa, i), NULL);
        g_autofree char *pb = g_build_filename(b->dir, g_ptr_array_index(fb, i), NULL);
        if (strcmp(g_ptr_array_index(fa, i), g_ptr_array_index(fb, i)) || !same_file(pa, pb))
            d |= 4;
    }
    return d;
}

Test(traces, same_seed_gives_byte_identical_text_json_and_pcap)
{
    g_autoptr(GPtrArray) topos = fx_shipped_topologies();
    for (guint i = 0; i < topos->len; i++) {
        const char *path = g_ptr_array_index(topos, i);
        Outputs a = run_outputs(path, until_for(path), "7");
        Outputs b = run_outputs(path, until_for(path), "7");
        unsigned d = outputs_diff(&a, &b);
        cr_assert_eq(d, 0, "%s: outputs differ between two runs (text %u, JSON %u, pcap %u)", path,
                     d & 1, (d >> 1) & 1, (d >> 2) & 1);
        cr_assert_gt(strlen(a.text), 0);
        outputs_free(&a);
        outputs_free(&b);
    }
}

Test(traces, another_seed_changes_a_lossy_run)
{
    g_autofree char *dir = fx_tmpdir("netsim-traces-XXXXXX");
    g_autofree char *path = g_build_filename(dir, "lossy.topo", NULL);
    cr_assert(g_file_set_contents(path,
                                  "network \"Lossy cable\"\n"
                                  "host a ip 10.0.0.1/24\n"
                                  "host b ip 10.0.0.2/24\n"
                                  "link a b loss 20%\n"
                                  "at 1s a ping 10.0.0.2 count 20\n",
                                  -1, NULL));
    Outputs s1 = run_outputs(path, "60s", "1");
    Outputs again = run_outputs(path, "60s", "1");
    Outputs s2 = run_outputs(path, "60s", "2");
    cr_assert_eq(outputs_diff(&s1, &again), 0, "a lossy run must still be deterministic");
    cr_assert_eq(outputs_diff(&s1, &s2), 7, "seed 1 and seed 2 should lose different frames");
    /* The loss really happened (20 pings, 20% per frame: P(no loss) < 1e-3). */
    cr_assert(strstr(s1.text, "20 packets transmitted, ") &&
                  !strstr(s1.text, "20 packets transmitted, 20 received"),
              "%s", s1.text);
    outputs_free(&s1);
    outputs_free(&again);
    outputs_free(&s2);
    g_unlink(path);
    g_rmdir(dir);
}

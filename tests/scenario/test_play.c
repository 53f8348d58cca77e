/* test_play.c - `netsim play`: the page is self-contained, and the data it
 * carries is the run's trace (the same records, frames and dissected
 * fields as `netsim run --trace json`), with decision lines and table
 * snapshots. The page's behaviour in a browser is tests/browser/. Also the
 * JSON sink's frame cache across a router's in-place rewrite. */
#include "../unit/json_dom.h"
#include "run_netsim.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>

#define DORMS "topologies/dorms-router.topo"

static char *out_path(const char *name)
{
    char *dir = g_build_filename(NETSIM_BUILD_DIR, "play-pages", NULL);
    g_mkdir_with_parents(dir, 0755);
    char *p = g_build_filename(dir, name, NULL);
    g_free(dir);
    return p;
}

/* The page's text, after checking `netsim play` succeeded. */
static char *play(const char *topo, const char *name, const char *extra)
{
    g_autofree char *out = out_path(name);
    const char *args[] = {"play", topo, "-o", out, extra, extra ? "10" : NULL, NULL};
    Run r = netsim(args);
    cr_assert_eq(r.status, 0, "netsim play: %s", r.err);
    char *page = NULL;
    cr_assert(g_file_get_contents(out, &page, NULL, NULL));
    run_free(&r);
    return page;
}

/* The JSON object of the page's <script id="netsim-data">. */
static Jv *page_data(const char *page)
{
    const char *open = "<script type=\"application/json\" id=\"netsim-data\">";
    const char *s = strstr(page, open);
    cr_assert(s);
    s += strlen(open);
    const char *e = strstr(s, "</script>");
    cr_assert(e);
    const char *err = NULL;
    Jv *v = jv_parse(s, e - s, &err);
    cr_assert(v, "page data is not JSON: %s", err);
    return v;
}

static Jv *item(const Jv *arr, guint i)
{
    cr_assert(arr && arr->t == JV_ARR && i < arr->items->len);
    return g_ptr_array_index(arr->items, i);
}

static const char *str_at(const Jv *arr, guint i)
{
    Jv *v = item(arr, i);
    cr_assert_eq(v->t, JV_STR);
    return v->str->str;
}

static long num_at(const Jv *arr, guint i)
{
    Jv *v = item(arr, i);
    cr_assert_eq(v->t, JV_NUM);
    return strtol(v->num, NULL, 10);
}

Test(play, page_is_self_contained)
{
    g_autofree char *page = play(DORMS, "dorms.html", NULL);
    cr_assert(strstr(page, "Content-Security-Policy\" content=\"default-src 'none'"));
    cr_assert_null(strstr(page, "<script src"));
    cr_assert_null(strstr(page, "<link"));
    cr_assert_null(strstr(page, "@import"));
    cr_assert_null(strstr(page, "url(http"));
    /* The diagram, with the ids the player finds things by. */
    cr_assert(strstr(page, "<svg"));
    cr_assert(strstr(page, "id=\"dev&#45;swA\""));
    cr_assert(strstr(page, "id=\"link4\""));
    cr_assert(strstr(page, "id=\"a_link4&#45;taillabel\""));
    /* The script and style as compiled in. */
    cr_assert(strstr(page, "netsimPlayer"));
    cr_assert(strstr(page, "#diagram"));
}

/* Every record of the JSON trace is in the page, in order, with the same
 * frame, layers, offsets and field values. */
Test(play, data_is_the_trace)
{
    g_autofree char *page = play(DORMS, "dorms2.html", NULL);
    g_autoptr(Jv) d = page_data(page);
    const char *args[] = {"run", DORMS, "--trace", "json", NULL};
    Run r = netsim(args);
    cr_assert_eq(r.status, 0);
    g_auto(GStrv) lines = g_strsplit(g_strchomp(r.out), "\n", -1);
    Jv *recs = jv_get(d, "records"), *frames = jv_get(d, "frames"), *nodes = jv_get(d, "nodes");
    cr_assert_eq(recs->items->len, g_strv_length(lines));
    guint checked_layers = 0;
    for (guint i = 0; lines[i]; i++) {
        g_autoptr(Jv) t = jv_parse(lines[i], -1, NULL);
        Jv *rec = item(recs, i);
        uint64_t id, time;
        cr_assert(jv_uint(t, "id", &id) && jv_uint(t, "time_ns", &time));
        cr_assert_eq(num_at(rec, 0), (long)id);
        cr_assert_eq(num_at(rec, 2), (long)time);
        long node = num_at(rec, 3);
        cr_assert_str_eq(node >= 0 ? str_at(item(nodes, node), 0) : "", jv_str(t, "node"));
        cr_assert_str_eq(str_at(rec, 5), jv_str(t, "kind"));
        cr_assert_str_eq(str_at(rec, 7), jv_str(t, "detail"));
        Jv *pkt = jv_get(t, "packet");
        long fi = num_at(rec, 8);
        cr_assert_eq(fi >= 0, pkt != NULL, "record %u", i);
        if (!pkt)
            continue;
        Jv *f = item(frames, fi);
        uint64_t uid, len;
        cr_assert(jv_uint(pkt, "uid", &uid) && jv_uint(pkt, "len", &len));
        cr_assert_eq(strlen(jv_str(f, "hex")), 2 * len);
        cr_assert_str_eq(jv_str(f, "summary"), jv_str(t, "summary"));
        Jv *tl = jv_get(pkt, "layers"), *fl = jv_get(f, "layers");
        cr_assert_eq(tl->items->len, fl->items->len);
        for (guint k = 0; k < tl->items->len; k++) {
            Jv *a = item(tl, k), *b = item(fl, k);
            uint64_t off, n;
            cr_assert(jv_uint(a, "offset", &off) && jv_uint(a, "length", &n));
            cr_assert_str_eq(jv_str(a, "name"), str_at(b, 0));
            cr_assert_eq(num_at(b, 1), (long)off);
            cr_assert_eq(num_at(b, 2), (long)n);
            Jv *tf = jv_get(a, "fields"), *ff = item(b, 3);
            cr_assert_eq(tf->items->len, ff->items->len);
            for (guint m = 0; m < tf->items->len; m++) {
                Jv *fld = item(ff, m);
                cr_assert_str_eq(g_ptr_array_index(tf->keys, m), str_at(fld, 0));
                cr_assert_str_eq(((Jv *)g_ptr_array_index(tf->items, m))->str->str, str_at(fld, 1));
                /* The field's bytes lie inside the frame. */
                cr_assert_leq(num_at(fld, 2) + num_at(fld, 3), (long)len);
            }
            checked_layers++;
        }
    }
    cr_assert_gt(checked_layers, 100);
    run_free(&r);
}

/* ip.ttl's offset and length come from the dissector: byte 22 of an
 * untagged frame. */
Test(play, field_offsets)
{
    g_autofree char *page = play(DORMS, "dorms3.html", NULL);
    g_autoptr(Jv) d = page_data(page);
    Jv *frames = jv_get(d, "frames");
    bool seen = false;
    for (guint i = 0; i < frames->items->len; i++) {
        Jv *ip = NULL, *layers = jv_get(item(frames, i), "layers");
        for (guint k = 0; k < layers->items->len; k++)
            if (strcmp(str_at(item(layers, k), 0), "ip") == 0 && !ip)
                ip = item(layers, k);
        if (!ip || strcmp(str_at(item(layers, 0), 0), "eth") != 0)
            continue;
        Jv *fields = item(ip, 3);
        for (guint m = 0; m < fields->items->len; m++) {
            Jv *fld = item(fields, m);
            if (strcmp(str_at(fld, 0), "ip.ttl") == 0) {
                cr_assert_eq(num_at(fld, 2), 22);
                cr_assert_eq(num_at(fld, 3), 1);
                const char *hex = jv_str(item(frames, i), "hex");
                long ttl = strtol(str_at(fld, 1), NULL, 10);
                char byte[3] = {hex[44], hex[45], 0};
                cr_assert_eq(strtol(byte, NULL, 16), ttl);
                seen = true;
            }
        }
    }
    cr_assert(seen);
}

/* Decision lines and table snapshots: swA's MAC table is empty at the
 * start and holds alex's MAC once alex's first frame has arrived. */
Test(play, decisions_and_tables)
{
    g_autofree char *page = play(DORMS, "dorms4.html", NULL);
    g_autoptr(Jv) d = page_data(page);
    Jv *dec = jv_get(d, "decisions"), *tables = jv_get(d, "tables");
    bool router = false;
    for (guint i = 0; i < dec->items->len; i++)
        router |= strstr(str_at(item(dec, i), 1), "r1: 192.168.20.1 matches 192.168.20.0/24") &&
                  strstr(str_at(item(dec, i), 1), "TTL 64\u219263");
    cr_assert(router);
    long swa = -1;
    Jv *nodes = jv_get(d, "nodes");
    for (guint i = 0; i < nodes->items->len; i++)
        if (strcmp(str_at(item(nodes, i), 0), "swA") == 0)
            swa = i;
    int n_swa = 0;
    for (guint i = 0; i < tables->items->len; i++) {
        Jv *s = item(tables, i);
        if (num_at(s, 1) != swa)
            continue;
        const char *mac = jv_str(item(s, 2), "mac");
        cr_assert(mac);
        if (n_swa++ == 0) {
            cr_assert_eq(num_at(s, 0), 0);
            cr_assert_null(strstr(mac, "00:0a:a4:2a:3e:4b"));
        } else if (n_swa == 2) {
            cr_assert(strstr(mac, "00:0a:a4:2a:3e:4b"), "%s", mac);
        }
    }
    cr_assert_geq(n_swa, 2);
}

Test(play, limit_says_so)
{
    g_autofree char *out = out_path("limit.html");
    const char *args[] = {"play", DORMS, "-o", out, "--limit", "10", NULL};
    Run r = netsim(args);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.err, "went on past --limit 10"), "%s", r.err);
    g_autofree char *page = NULL;
    cr_assert(g_file_get_contents(out, &page, NULL, NULL));
    g_autoptr(Jv) d = page_data(page);
    uint64_t events;
    cr_assert_str_eq(jv_str(d, "status"), "limit");
    cr_assert(jv_uint(d, "events", &events) && events == 10);
    run_free(&r);
}

/* Spanning tree hellos never let stp-loop.topo go idle: like `run`, the
 * page ends with the scenario (its last ping ends by 77 s; 802.1D needs
 * 50 s to settle) instead of 200000 events of hellos (55 MB). */
Test(play, a_network_that_never_idles_ends_with_its_scenario)
{
    g_autofree char *out = out_path("stp-loop.html");
    const char *args[] = {"play", "topologies/stp-loop.topo", "-o", out, NULL};
    Run r = netsim(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strstr(r.err, "went on past"), "%s", r.err);
    g_autofree char *page = NULL;
    cr_assert(g_file_get_contents(out, &page, NULL, NULL));
    g_autoptr(Jv) d = page_data(page);
    uint64_t events;
    cr_assert_str_eq(jv_str(d, "status"), "until");
    cr_assert(jv_uint(d, "events", &events) && events > 100 && events < 5000, "%" G_GUINT64_FORMAT,
              events);
    cr_assert(strstr(page, "ping statistics"), "the pings' output is in the page");
    run_free(&r);
}

Test(play, bad_input)
{
    g_autofree char *out = out_path("bad.html");
    const char *no_o[] = {"play", DORMS, NULL};
    Run r = netsim(no_o);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "-o"));
    run_free(&r);
    g_autofree char *topo = out_path("bad.topo");
    cr_assert(g_file_set_contents(topo, "host a ip 10.0.0.1/24\nlink a b\n", -1, NULL));
    const char *bad[] = {"play", topo, "-o", out, NULL};
    r = netsim(bad);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "bad.topo:2:"), "%s", r.err);
    cr_assert_not(g_file_test(out, G_FILE_TEST_EXISTS));
    run_free(&r);
    const char *zero[] = {"play", DORMS, "-o", out, "--limit", "0", NULL};
    r = netsim(zero);
    cr_assert_eq(r.status, 2);
    run_free(&r);
}

/* The JSON sink formats a frame once and reuses it while its bytes are
 * unchanged: a router decrements TTL in place under the same uid, and the
 * records after the rewrite must show the new bytes. */
Test(json_sink, cache_sees_in_place_rewrite)
{
    const char *args[] = {"run", DORMS, "--trace", "json", NULL};
    Run r = netsim(args);
    cr_assert_eq(r.status, 0);
    g_auto(GStrv) lines = g_strsplit(r.out, "\n", -1);
    int found = 0;
    for (guint i = 0; lines[i] && found < 2; i++) {
        if (!strstr(lines[i], "\"node\":\"r1\"") || !strstr(lines[i], "echo request"))
            continue;
        if (strstr(lines[i], "\"kind\":\"rx\"")) {
            cr_assert(strstr(lines[i], "\"ip.ttl\":\"64\""));
            found = 1;
        } else if (found == 1 && strstr(lines[i], "\"kind\":\"tx\"")) {
            cr_assert(strstr(lines[i], "\"ip.ttl\":\"63\""), "%s", lines[i]);
            cr_assert(strstr(lines[i], "ttl=63"));
            found = 2;
        }
    }
    cr_assert_eq(found, 2);
    run_free(&r);
}

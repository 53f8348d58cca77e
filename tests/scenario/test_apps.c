/* test_apps.c - the seed's socket programs run by the netsim binary
 * (sim/apps/hello): what each host prints, and the TCP payloads tshark
 * decodes from the captures, against the seed tutorial's strings. */
#include "../unit/json_dom.h"
#include "helpers.h"
#include "run_netsim.h"

#include <glib/gstdio.h>

#define SEED_REQUEST "GET / HTTP/1.0\r\n\r\nhello!"
#define SEED_REPLY "Hello, client!"

/* The application lines of a `--quiet --trace json` run, as "node: detail". */
static GPtrArray *app_lines(const char *json)
{
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) recs = g_strsplit(json, "\n", -1);
    for (char **l = recs; *l; l++) {
        if (**l == '\0')
            continue;
        const char *err = NULL;
        Jv *v = jv_parse(*l, -1, &err);
        cr_assert_not_null(v, "bad JSON (%s): %s", err, *l);
        if (g_strcmp0(jv_str(v, "kind"), "app") == 0)
            g_ptr_array_add(lines,
                            g_strdup_printf("%s: %s", jv_str(v, "node"), jv_str(v, "detail")));
        jv_free(v);
    }
    return lines;
}

static GPtrArray *run_apps(const char *topo, int expect_status)
{
    const char *args[] = {"run", topo, "--quiet", "--trace", "json", NULL};
    Run r = netsim(args);
    cr_assert_eq(r.status, expect_status, "status %d: %s", r.status, r.err);
    GPtrArray *lines = app_lines(r.out);
    run_free(&r);
    return lines;
}

static void expect_lines(GPtrArray *got, const char *const *want, guint n)
{
    for (guint i = 0; i < got->len; i++)
        cr_log_info("%s", (char *)g_ptr_array_index(got, i));
    cr_assert_eq(got->len, n, "%u application lines, expected %u", got->len, n);
    for (guint i = 0; i < n; i++)
        cr_assert_str_eq(g_ptr_array_index(got, i), want[i]);
}

Test(apps, hello_prints_what_the_seed_programs_print)
{
    g_autoptr(GPtrArray) got = run_apps("topologies/cloud-server.topo", 0);
    /* Python's print(client_data) on the server; print(reply) and
     * print(reply.decode('utf-8')) on each client, in turn. */
    static const char *const want[] = {
        "cloud: received b'GET / HTTP/1.0\\r\\n\\r\\nhello!'",
        "pc: b'Hello, client!'",
        "pc: Hello, client!",
        "cloud: received b'GET / HTTP/1.0\\r\\n\\r\\nhello again!'",
        "pc2: b'Hello, client!'",
        "pc2: Hello, client!",
    };
    expect_lines(got, want, G_N_ELEMENTS(want));
}

/* The TCP payloads of a capture as "src payload-bytes" lines, tshark's view. */
static char *payloads(const char *pcap)
{
    const char *args[] = {"-n",     "-r", pcap,     "-Y", "tcp.len > 0", "-T",
                          "fields", "-e", "ip.src", "-e", "tcp.payload", NULL};
    return tshark_run(args);
}

static char *hex_of(const char *s)
{
    GString *h = g_string_new(NULL);
    for (const char *p = s; *p; p++)
        g_string_append_printf(h, "%02x", (guchar)*p);
    return g_string_free(h, FALSE);
}

Test(apps, hello_bytes_on_the_wire_are_the_seed_strings)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-apps-XXXXXX", NULL);
    cr_assert_not_null(dir);
    const char *args[] = {"run", "topologies/cloud-server.topo", "--quiet", "--pcap", dir, NULL};
    Run r = netsim(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    g_autofree char *req = hex_of(SEED_REQUEST), *rep = hex_of(SEED_REPLY);
    /* Both ends see exactly one request and one reply, byte for byte. */
    static const char *const ends[] = {"pc-eth0.pcap", "cloud-eth0.pcap"};
    for (guint i = 0; i < G_N_ELEMENTS(ends); i++) {
        g_autofree char *path = g_build_filename(dir, ends[i], NULL);
        g_autofree char *got = payloads(path);
        g_autofree char *want = g_strdup_printf("192.168.1.10\t%s\n203.0.113.10\t%s\n", req, rep);
        if (i == 1) { /* the cloud also served pc2 */
            g_autofree char *again = hex_of("GET / HTTP/1.0\r\n\r\nhello again!");
            g_autofree char *all =
                g_strdup_printf("%s192.168.1.11\t%s\n203.0.113.10\t%s\n", want, again, rep);
            g_free(want);
            want = g_steal_pointer(&all);
        }
        cr_assert_str_eq(got, want, "%s", ends[i]);
        const char *v[] = {
            "-n", "-r", path, "-V", "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
            NULL};
        g_autofree char *out = tshark_run(v);
        cr_assert_null(strstr(out, "Malformed"), "%s", out);
        cr_assert_null(strstr(out, "[Bad"), "%s", out);
        cr_assert_null(strstr(out, "Expert Info (Error"), "%s", out);
        cr_assert_null(strstr(out, "Expert Info (Warning"), "%s", out);
    }
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    for (const char *f; (f = g_dir_read_name(d));) {
        g_autofree char *p = g_build_filename(dir, f, NULL);
        g_unlink(p);
    }
    g_rmdir(dir);
}

/* Writes text to a temporary .topo file; returns its path. */
static char *topo_file(const char *text)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-apps-XXXXXX", NULL);
    char *path = g_build_filename(dir, "t.topo", NULL);
    cr_assert(g_file_set_contents(path, text, -1, NULL));
    return path;
}

static void remove_topo(const char *path)
{
    g_unlink(path);
    g_autofree char *dir = g_path_get_dirname(path);
    g_rmdir(dir);
}

#define TWO_HOSTS "host a ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\nlink a b\n"

Test(apps, send_to_a_closed_port_is_refused)
{
    g_autofree char *path = topo_file(TWO_HOSTS "at 1s a send tcp b:8001 \"hi\"\n");
    g_autoptr(GPtrArray) got = run_apps(path, 1);
    static const char *const want[] = {"a: send: Connection refused"};
    expect_lines(got, want, G_N_ELEMENTS(want));
    remove_topo(path);
}

Test(apps, a_long_message_is_cut_at_1024_and_the_close_resets)
{
    /* 1,100 bytes in one segment: the server's recv(1024) leaves 76 unread,
     * so its close() sends RST (RFC 9293 §3.10.4, as Linux) and the client's
     * recv fails with ECONNRESET. */
    GString *t =
        g_string_new(TWO_HOSTS "at 0s b service hello tcp 8001\nat 1s a send tcp b:8001 \"");
    GString *first = g_string_new("b: received b'");
    for (int i = 0; i < 1100; i++) {
        g_string_append_c(t, (char)('a' + i % 26));
        if (i < 1024)
            g_string_append_c(first, (char)('a' + i % 26));
    }
    g_string_append(t, "\"\n");
    g_string_append_c(first, '\'');
    g_autofree char *path = topo_file(t->str);
    g_string_free(t, TRUE);
    g_autoptr(GPtrArray) got = run_apps(path, 1);
    const char *want[] = {first->str, "a: send: Connection reset by peer"};
    expect_lines(got, want, G_N_ELEMENTS(want));
    g_string_free(first, TRUE);
    const char *args[] = {"run", path, NULL};
    Run r = netsim(args);
    cr_assert_not_null(strstr(r.out, "TCP 10.0.0.2:8001 > 10.0.0.1:32768 [RST"), "%s", r.out);
    run_free(&r);
    remove_topo(path);
}

typedef struct {
    const char *text, *error;
} Bad;

Test(apps, bad_send_and_service_lines)
{
    static const Bad cases[] = {
        {TWO_HOSTS "at 1s a send udp b:1 \"x\"\n", "t.topo:4:14: error: unknown protocol 'udp'"},
        {TWO_HOSTS "at 1s a send tcp b:1 x\n",
         "t.topo:4:22: error: expected a quoted message (e.g. \"hello\\n\"), got 'x'"},
        {TWO_HOSTS "at 1s a send tcp b:1\n",
         "t.topo:4:21: error: expected a quoted message after 'b:1'"},
        {TWO_HOSTS "at 0s b service hello udp 1\n",
         "t.topo:4:23: error: service hello runs over tcp only"},
        {TWO_HOSTS "at 1s a send tcp nobody:1 \"x\"\n",
         "t.topo:4:18: error: unknown node 'nobody'"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = topo_file(cases[i].text);
        const char *args[] = {"check", path, NULL};
        Run r = netsim(args);
        cr_assert_eq(r.status, 2, "%s", cases[i].text);
        cr_assert_not_null(strstr(r.err, cases[i].error), "%s\ngot: %s", cases[i].text, r.err);
        run_free(&r);
        remove_topo(path);
    }
}

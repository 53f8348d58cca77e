/* test_apps.c - the seed's socket programs run by the netsim binary
 * (sim/apps/hello): what each host prints, and the TCP payloads tshark
 * decodes from the captures, against the seed tutorial's strings. */
#include "../unit/json_dom.h"
#include "helpers.h"
#include "run_netsim.h"

#include <glib/gstdio.h>
#include <unistd.h>

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

typedef struct {
    const char *text, *error;
} Bad;

/* `netsim check` on each text fails with exit 2 and its error. */
static void expect_check_errors(const Bad *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        g_autofree char *path = topo_file(cases[i].text);
        const char *args[] = {"check", path, NULL};
        Run r = netsim(args);
        cr_assert_eq(r.status, 2, "%s", cases[i].text);
        cr_assert_not_null(strstr(r.err, cases[i].error), "%s\ngot: %s", cases[i].text, r.err);
        run_free(&r);
        remove_topo(path);
    }
}

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
    expect_check_errors(cases, G_N_ELEMENTS(cases));
}

/* ---- chat bot ------------------------------------------------------------------ */

Test(apps, chatbot_answers_two_interleaved_clients)
{
    g_autoptr(GPtrArray) got = run_apps("topologies/chatbot.topo", 0);
    /* The longest keyword wins (多少钱 over nothing, 退货地址 over 退货,
     * "return address" over "return"), English is matched case-folded,
     * and each answer goes back on its own connection. */
    static const char *const want[] = {
        "cloud: chatbot: 192.168.1.10:32768 asked \"你好\": keyword \"你好\"",
        "li: 您好！我是智障客服，请问有什么可以帮您？",
        "cloud: chatbot: 192.168.1.11:32768 asked \"Hello there\": keyword \"hello\"",
        "amy: Hello! I am the customer-service bot. How can I help?",
        "cloud: chatbot: 192.168.1.10:32768 asked \"这个多少钱？\": keyword \"多少钱\"",
        "li: 本产品售价 99 元，包邮。",
        "cloud: chatbot: 192.168.1.11:32768 asked \"What is the PRICE?\": keyword \"price\"",
        "amy: It costs 99 yuan.",
        "cloud: chatbot: 192.168.1.10:32768 asked \"我想退货\": keyword \"退货\"",
        "li: 七天无理由退货，请在订单页点击“申请退货”。",
        "cloud: chatbot: 192.168.1.11:32768 asked \"return address please\": keyword \"return "
        "address\"",
        "amy: Return address: 1 Xueyuan Road, Haidian, Beijing.",
        "cloud: chatbot: 192.168.1.10:32768 asked \"退货地址在哪\": keyword \"退货地址\"",
        "li: 退货地址：北京市海淀区学院路 1 号。",
        "cloud: chatbot: 192.168.1.11:32768 asked \"bye\": keyword \"bye\"",
        "amy: Goodbye, have a nice day!",
        "cloud: chatbot: 192.168.1.10:32768 asked \"天气怎么样\": no keyword, default answer",
        "li: 抱歉，我没听懂。Sorry, I did not understand.",
        "cloud: chatbot: 192.168.1.10:32768 asked \"再见\": keyword \"再见\"",
        "li: 再见，祝您生活愉快！",
    };
    expect_lines(got, want, G_N_ELEMENTS(want));
}

Test(apps, chatbot_line_split_across_segments)
{
    /* MTU 100: MSS 60, so a 130-byte line arrives in three segments and
     * the keyword at its end is still found; a second line follows at once. */
    g_autofree char *rules_dir = g_dir_make_tmp("netsim-apps-XXXXXX", NULL);
    g_autofree char *rules = g_build_filename(rules_dir, "r.rules", NULL);
    cr_assert(g_file_set_contents(rules, "needle => found it\n* => nothing\n", -1, NULL));
    GString *line = g_string_new(NULL);
    for (int i = 0; i < 124; i++)
        g_string_append_c(line, 'x');
    g_string_append(line, "needle");
    g_autofree char *text =
        g_strdup_printf("host a ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\nlink a b mtu 100\n"
                        "at 0s b service chatbot tcp 9000 rules \"%s\"\n"
                        "at 1s a chat tcp b:9000 \"%s\" \"hay\" every 1ms\n",
                        rules, line->str);
    g_autofree char *path = topo_file(text);
    g_autoptr(GPtrArray) got = run_apps(path, 0);
    g_autofree char *asked =
        g_strdup_printf("b: chatbot: 10.0.0.1:32768 asked \"%s\": keyword \"needle\"", line->str);
    const char *want[] = {asked, "a: found it",
                          "b: chatbot: 10.0.0.1:32768 asked \"hay\": no keyword, default answer",
                          "a: nothing"};
    expect_lines(got, want, G_N_ELEMENTS(want));
    const char *args[] = {"run", path, NULL};
    Run r = netsim(args);
    cr_assert_not_null(strstr(r.out, "len=60"), "the line was not split: %s", r.out);
    run_free(&r);
    g_string_free(line, TRUE);
    remove_topo(path);
    g_unlink(rules);
    g_rmdir(rules_dir);
}

Test(apps, chatbot_rules_errors_are_reported_at_check_time)
{
    static const Bad cases[] = {
        {TWO_HOSTS "at 0s b service chatbot tcp 9000 rules nowhere.rules\n",
         "t.topo:4:40: error: bad rules file: Failed to open file"},
        {TWO_HOSTS "at 0s b service chatbot tcp 9000 rules /dev/zero\n",
         "t.topo:4:40: error: bad rules file: /dev/zero: not a regular file"},
        {TWO_HOSTS "at 0s b service chatbot tcp 9000\n",
         "t.topo:4:33: error: expected 'rules FILE' (e.g. rules files/chatbot.rules) after '9000'"},
        {TWO_HOSTS "at 1s a chat tcp b:1 \"hi\" every 0s\n", "t.topo:4:33: error: bad every"},
    };
    expect_check_errors(cases, G_N_ELEMENTS(cases));
}

/* ---- file upload ----------------------------------------------------------------- */

#include "sim/apps/upload.h"

static gint str_ptr_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of the files in dir, sorted, joined by spaces ("" if none). */
static char *dir_list(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    cr_assert_not_null(d, "%s", dir);
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    for (const char *f; (f = g_dir_read_name(d));)
        g_ptr_array_add(names, (char *)f);
    g_ptr_array_sort(names, str_ptr_cmp);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(" ", (char **)names->pdata);
}

static void rm_dir(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    for (const char *f; d && (f = g_dir_read_name(d));) {
        g_autofree char *p = g_build_filename(dir, f, NULL);
        g_unlink(p);
    }
    g_rmdir(dir);
}

static Run run_upload(const char *topo, const char *out, bool overwrite)
{
    const char *args[] = {"run",     topo,
                          "--quiet", "--trace",
                          "json",    out ? "--files-out" : NULL,
                          out,       overwrite ? "--overwrite" : NULL,
                          NULL};
    return netsim(args);
}

Test(apps, upload_saves_the_exact_bytes_over_a_lossy_link)
{
    g_autofree char *out = g_dir_make_tmp("netsim-up-XXXXXX", NULL);
    Run r = run_upload("topologies/file-upload.topo", out, false);
    cr_assert_eq(r.status, 0, "%s", r.err);
    g_autoptr(GPtrArray) got = app_lines(r.out);
    run_free(&r);
    cr_assert_eq(got->len, 2);
    const char *saved = g_ptr_array_index(got, 0);
    cr_assert(g_str_has_prefix(saved, "cloud: saved photo.bin (262,144 bytes, sha256 ok) in "),
              "%s", saved);
    cr_assert(g_str_has_suffix(saved, " Mb/s"), "%s", saved);
    cr_assert_str_eq(g_ptr_array_index(got, 1),
                     "pc: upload photo.bin to 203.0.113.10:9100: OK saved");
    g_autofree char *a = NULL, *b = NULL;
    gsize alen, blen;
    g_autofree char *saved_path = g_build_filename(out, "photo.bin", NULL);
    cr_assert(g_file_get_contents("topologies/files/photo.bin", &a, &alen, NULL));
    cr_assert(g_file_get_contents(saved_path, &b, &blen, NULL));
    cr_assert_eq(alen, blen);
    cr_assert(memcmp(a, b, alen) == 0, "the saved bytes differ");
    g_autofree char *list = dir_list(out);
    cr_assert_str_eq(list, "photo.bin", "no temporary file is left");
    /* The loss made TCP repair something, and progress came every 10%. */
    const char *args[] = {"run", "topologies/file-upload.topo", NULL};
    Run t = netsim(args);
    cr_assert_not_null(strstr(t.out, "retransmit seq"), "no loss repaired on a 2%% link");
    for (int p = 10; p <= 100; p += 10) {
        g_autofree char *s = g_strdup_printf("upload photo.bin: %d%% (", p);
        cr_assert_not_null(strstr(t.out, s), "no %d%% progress line", p);
    }
    run_free(&t);
    /* A second run refuses to replace it; --overwrite does. */
    Run again = run_upload("topologies/file-upload.topo", out, false);
    cr_assert_eq(again.status, 1);
    cr_assert_not_null(strstr(again.out, "refused photo.bin: it exists"), "%s", again.out);
    run_free(&again);
    Run over = run_upload("topologies/file-upload.topo", out, true);
    cr_assert_eq(over.status, 0, "%s", over.err);
    run_free(&over);
    rm_dir(out);
}

Test(apps, upload_without_files_out_writes_nothing)
{
    /* Run from an empty directory: it stays empty, and the server verifies. */
    g_autofree char *cwd = g_dir_make_tmp("netsim-up-XXXXXX", NULL);
    g_autofree char *topo = g_canonicalize_filename("topologies/file-upload.topo", NULL);
    const char *argv[] = {NETSIM_BIN, "run", topo, "--quiet", NULL};
    g_autofree char *out = NULL;
    gint status;
    cr_assert(g_spawn_sync(cwd, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                           NULL, &status, NULL));
    cr_assert(g_spawn_check_wait_status(status, NULL));
    cr_assert_not_null(strstr(out, "verified photo.bin (262,144 bytes, sha256 ok)"), "%s", out);
    g_autofree char *list = dir_list(cwd);
    cr_assert_str_eq(list, "");
    rm_dir(cwd);
}

Test(apps, upload_refuses_unsafe_names)
{
    static const Bad cases[] = {
        {"../escape.bin", "name contains a path separator"},
        {"a/b.bin", "name contains a path separator"},
        {"x..y", "name contains '..'"},
        {"..", "name contains '..'"},
        {".hidden", "name starts with '.'"},
        {"bell\\x07", "name contains a control character"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *text = g_strdup_printf(
            TWO_HOSTS "at 0s b service upload tcp 9100\n"
                      "at 1s a upload \"%s/topologies/files/photo.bin\" to b:9100 as \"%s\"\n",
            NETSIM_SOURCE_DIR, cases[i].text);
        g_autofree char *path = topo_file(text);
        g_autofree char *dir = g_path_get_dirname(path);
        g_autofree char *out = g_build_filename(dir, "in", NULL);
        cr_assert(g_mkdir(out, 0755) == 0);
        Run r = run_upload(path, out, false);
        cr_assert_eq(r.status, 1, "%s: %d %s", cases[i].text, r.status, r.err);
        cr_assert_not_null(strstr(r.out, cases[i].error), "%s: %s", cases[i].text, r.out);
        run_free(&r);
        g_autofree char *in = dir_list(out), *around = dir_list(dir);
        cr_assert_str_eq(in, "", "%s", cases[i].text);
        cr_assert_str_eq(around, "in t.topo", "%s: %s", cases[i].text, around);
        g_rmdir(out);
        remove_topo(path);
    }
    /* NUL cannot be written in a topology; the check refuses it anyway. */
    cr_assert_not_null(sim_upload_name_problem(""));
    cr_assert_null(sim_upload_name_problem("电影.bin"));
}

Test(apps, upload_cut_off_leaves_no_file)
{
    /* The link goes down for good mid-transfer: the client times out, and
     * neither the file nor its temporary copy is left in the directory. */
    g_autofree char *text =
        g_strdup_printf("host a ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\nlink a b rate 1Mbps\n"
                        "at 0s b service upload tcp 9100\n"
                        "at 1s a upload \"%s/topologies/files/photo.bin\" to b:9100\n"
                        "at 2s link a b down\n",
                        NETSIM_SOURCE_DIR);
    g_autofree char *path = topo_file(text);
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *out = g_build_filename(dir, "in", NULL);
    cr_assert(g_mkdir(out, 0755) == 0);
    Run r = run_upload(path, out, false);
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "Connection timed out"), "%s", r.out);
    run_free(&r);
    g_autofree char *in = dir_list(out);
    cr_assert_str_eq(in, "");
    g_rmdir(out);
    remove_topo(path);
}

Test(apps, upload_files_out_must_be_a_writable_directory)
{
    const char *args[] = {"run", "topologies/file-upload.topo", "--files-out", "/nonexistent/in",
                          NULL};
    Run r = netsim(args);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err,
                     "netsim run: error: --files-out /nonexistent/in: No such file or directory\n");
    run_free(&r);
    const char *args2[] = {"run", "topologies/file-upload.topo", "--files-out",
                           "topologies/files/photo.bin", NULL};
    Run f = netsim(args2);
    cr_assert_eq(f.status, 2);
    cr_assert_str_eq(
        f.err, "netsim run: error: --files-out topologies/files/photo.bin: not a directory\n");
    run_free(&f);
}

/* A disk that fills during the upload: the server says why, the client is
 * told, and nothing is left under the final name or as a temporary file.
 * The full disk is a 100 KiB tmpfs (the upload is 256 KiB) that the test
 * mounts itself; without root or mount it is skipped, saying so. */
Test(apps, upload_to_a_full_disk_leaves_no_file)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-full-XXXXXX", NULL);
    g_autofree char *mount =
        g_strdup_printf("mount -t tmpfs -o size=100k tmpfs '%s' 2>/dev/null", dir);
    if (geteuid() != 0 || system(mount) != 0) {
        g_rmdir(dir);
        cr_skip_test("needs root to mount a small tmpfs as a full disk");
    }
    const char *args[] = {"run", "topologies/file-upload.topo", "--quiet", "--files-out", dir,
                          NULL};
    Run r = netsim(args);
    GDir *d = g_dir_open(dir, 0, NULL);
    g_autofree char *left_copy = d ? g_strdup(g_dir_read_name(d)) : NULL;
    if (d)
        g_dir_close(d); /* before the umount, which a open directory blocks */
    g_autofree char *umount = g_strdup_printf("umount '%s'", dir);
    cr_assert_eq(system(umount), 0);
    g_rmdir(dir);
    cr_assert_eq(r.status, 1, "exit %d\n%s%s", r.status, r.out, r.err);
    cr_assert(strstr(r.out, "cloud: upload: cannot write photo.bin in "), "%s", r.out);
    cr_assert(strstr(r.out, ": No space left on device"), "%s", r.out);
    cr_assert(strstr(r.out, "pc: upload photo.bin to 203.0.113.10:9100: ERR cannot write"), "%s",
              r.out);
    cr_assert_null(left_copy, "left behind: %s", left_copy);
    run_free(&r);
}

/* The server's TCP records of a `--trace json` run that match detail. */
static guint server_tcp(const char *json, const char *node, const char *detail)
{
    guint n = 0;
    g_auto(GStrv) recs = g_strsplit(json, "\n", -1);
    for (char **l = recs; *l; l++) {
        Jv *v = **l ? jv_parse(*l, -1, NULL) : NULL;
        n += v && g_strcmp0(jv_str(v, "kind"), "tcp") == 0 &&
             g_strcmp0(jv_str(v, "node"), node) == 0 && strstr(jv_str(v, "detail"), detail);
        jv_free(v);
    }
    return n;
}

/* A run stopped while a service's connection is open (--until; the
 * stepper's quit ends the same way): the stack frees the pcb without a
 * callback, so whatever the service keeps per connection must go with the
 * service. Under ASan (CI) a leak makes the run exit non-zero. */
Test(apps, services_stopped_mid_connection_free_their_state)
{
    static const struct {
        const char *topo, *until, *server;
    } runs[] = {
        {"topologies/cloud-server.topo", "3.07761s", "cloud"}, /* hello */
        {"topologies/chatbot.topo", "1.08s", "cloud"},
        {"topologies/file-upload.topo", "5.2s", "cloud"},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(runs); i++) {
        const char *args[] = {"run",     runs[i].topo, "--until", runs[i].until,
                              "--trace", "json",       NULL};
        Run r = netsim(args);
        cr_assert_eq(r.status, 0, "%s: status %d: %s", runs[i].topo, r.status, r.err);
        cr_assert_null(strstr(r.err, "LeakSanitizer"), "%s: %s", runs[i].topo, r.err);
        /* the connection is open when the run stops */
        cr_assert_gt(server_tcp(r.out, runs[i].server, "→ ESTABLISHED"), 0, "%s", runs[i].topo);
        cr_assert_eq(server_tcp(r.out, runs[i].server, "ESTABLISHED → "), 0, "%s", runs[i].topo);
        run_free(&r);
    }
}

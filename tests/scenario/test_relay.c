/* test_relay.c - the seed's own Python client, unchanged but for its port,
 * against the simulated hello server through `netsim run --realtime
 * --relay`. Real traffic stays on 127.0.0.1. */
#include "run_netsim.h"

#include <arpa/inet.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

/* A loopback port nobody listens on now. */
static guint16 free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    cr_assert(bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
    cr_assert(getsockname(fd, (struct sockaddr *)&sa, &len) == 0);
    close(fd);
    return ntohs(sa.sin_port);
}

static bool can_connect(guint16 port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {
        .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(fd);
    return ok;
}

Test(relay, the_seed_client_gets_its_reply_from_the_simulated_server, .timeout = 60)
{
    g_autofree char *python = g_find_program_in_path("python3");
    cr_assert_not_null(python, "python3 is required");
    guint16 port = free_port();
    g_autofree char *dir = g_dir_make_tmp("netsim-relay-XXXXXX", NULL);
    /* The client as shipped, its port patched only if 8001 is not ours. */
    g_autofree char *src = NULL;
    cr_assert(g_file_get_contents("topologies/files/seed_client.py", &src, NULL, NULL));
    cr_assert_not_null(strstr(src, "client.connect(('127.0.0.1', 8001))"));
    g_autofree char *want_port = g_strdup_printf("client.connect(('127.0.0.1', %u))", port);
    g_auto(GStrv) parts = g_strsplit(src, "client.connect(('127.0.0.1', 8001))", 2);
    g_autofree char *patched = g_strjoin(want_port, parts[0], parts[1], NULL);
    g_autofree char *client = g_build_filename(dir, "seed_client.py", NULL);
    cr_assert(g_file_set_contents(client, patched, -1, NULL));

    g_autofree char *relay = g_strdup_printf("127.0.0.1:%u=cloud:8001", port);
    g_autofree char *out_path = g_build_filename(dir, "out", NULL);
    g_autofree char *err_path = g_build_filename(dir, "err", NULL);
    g_autofree char *cmd = g_strdup_printf(
        "exec '%s' run topologies/cloud-server.topo --realtime --relay %s >'%s' 2>'%s'", NETSIM_BIN,
        relay, out_path, err_path);
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    GPid pid;
    cr_assert(g_spawn_async(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                            NULL));
    bool up = false;
    for (int i = 0; i < 100 && !up; i++) {
        g_usleep(50000);
        up = can_connect(port);
    }
    cr_assert(up, "netsim did not listen on 127.0.0.1:%u", port);

    const char *py[] = {python, client, NULL};
    g_autofree char *pyout = NULL, *pyerr = NULL;
    gint st;
    cr_assert(g_spawn_sync(NULL, (char **)py, NULL, G_SPAWN_DEFAULT, NULL, NULL, &pyout, &pyerr,
                           &st, NULL));
    cr_assert(g_spawn_check_wait_status(st, NULL), "client failed: %s", pyerr);
    cr_assert_str_eq(pyout, "b'Hello, client!'\nHello, client!\n");

    /* Ctrl-C: a clean exit with the summary. */
    kill(pid, SIGINT);
    int status;
    cr_assert(waitpid(pid, &status, 0) == pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
    g_autofree char *out = NULL, *err = NULL;
    cr_assert(g_file_get_contents(out_path, &out, NULL, NULL));
    cr_assert(g_file_get_contents(err_path, &err, NULL, NULL));
    cr_assert_not_null(strstr(err, "netsim: stopped after "), "%s", err);
    /* The server saw the seed's bytes, carried across the simulated routers. */
    cr_assert_not_null(strstr(out, "received b'GET / HTTP/1.0\\r\\n\\r\\nhello!'"), "%s", out);
    cr_assert_not_null(strstr(out, "internet dc     tx           TCP 192.168.1.10:"), "%s", out);
    g_spawn_close_pid(pid);
    g_unlink(client);
    g_unlink(out_path);
    g_unlink(err_path);
    g_rmdir(dir);
}

Test(relay, bad_relays_are_usage_errors)
{
    static const struct {
        const char *spec, *err;
    } cases[] = {
        {"127.0.0.1:1=nobody:8001", "--relay 127.0.0.1:1=nobody:8001: no node 'nobody'"},
        {"127.0.0.1:1=cloud:9999", "cloud runs no TCP service on port 9999"},
        {"8001", "expected [ADDR:]PORT=NODE:PORT"},
        {"localhost:1=cloud:8001", "bad local address 'localhost:1'"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *args[] = {
            "run", "topologies/cloud-server.topo", "--realtime", "--relay", cases[i].spec, NULL};
        Run r = netsim(args);
        cr_assert_eq(r.status, 2, "%s", cases[i].spec);
        cr_assert_not_null(strstr(r.err, cases[i].err), "%s: %s", cases[i].spec, r.err);
        run_free(&r);
    }
    const char *norel[] = {"run", "topologies/cloud-server.topo", "--relay", "1=cloud:8001", NULL};
    Run r = netsim(norel);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "netsim run: error: --relay needs --realtime\n");
    run_free(&r);
}

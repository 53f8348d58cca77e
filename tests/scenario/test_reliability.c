/* Nothing lost, nothing silent (issue #12): output that cannot be written
 * is exit 2 with a message, a run cut short by the event limit says so on
 * stderr and exits 3, inputs are bounded, pcap files are opened before the
 * run. Each test runs the netsim binary as a user would. */
#include "run_netsim.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* Child setup: stdout goes to the file named by user_data (/dev/full). */
static void stdout_to(gpointer user_data)
{
    int fd = open(user_data, O_WRONLY);
    if (fd >= 0)
        dup2(fd, 1);
}

/* Runs netsim with stdout on `out_path`, capturing stderr. */
static Run netsim_out(const char *out_path, const char *const *args)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)NETSIM_BIN);
    for (const char *const *a = args; *a; a++)
        g_ptr_array_add(argv, (char *)*a);
    g_ptr_array_add(argv, NULL);
    Run r = {0};
    g_autoptr(GError) err = NULL;
    gint wait = 0;
    cr_assert(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, stdout_to,
                           (gpointer)out_path, NULL, &r.err, &wait, &err),
              "spawn: %s", err ? err->message : "?");
    r.out = g_strdup("");
    r.status = WIFEXITED(wait) ? WEXITSTATUS(wait) : -1;
    return r;
}

/* A file in a fresh temporary directory holding `text`; returns its path. */
static char *temp_file(const char *name, const char *text)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("netsim-rel-XXXXXX", &err);
    cr_assert(dir, "%s", err ? err->message : "");
    char *path = g_build_filename(dir, name, NULL);
    cr_assert(g_file_set_contents(path, text, -1, &err), "%s", err ? err->message : "");
    return path;
}

/* A triangle of switches without STP: never idle, so only the event limit
 * (or --until) ends it. Inline so that changes to the shipped storm's
 * classroom defaults do not move these tests. */
static const char storm[] = "host a ip 10.0.0.1/24\n"
                            "host b ip 10.0.0.2/24\n"
                            "switch s1 ports 4\nswitch s2 ports 4\nswitch s3 ports 4\n"
                            "link a s1.1\nlink b s3.1\n"
                            "link s1.2 s2.2\nlink s2.3 s3.3\nlink s3.4 s1.4\n"
                            "at 1ms a ping 10.0.0.2 count 1 timeout 1ms\n";

#define FULL "/dev/full"

Test(reliability, stdout_write_errors_are_exit_2_for_every_command)
{
    const char *const cmds[][6] = {
        {"run", "topologies/two-pcs.topo", NULL},
        {"run", "topologies/two-pcs.topo", "--quiet", NULL},
        {"run", "topologies/two-pcs.topo", "--trace", "json", NULL},
        {"check", "topologies/two-pcs.topo", NULL},
        {"gen", "flat-lan", "10", NULL},
        {"subnet", "10.0.0.0/24", NULL},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
        Run r = netsim_out(FULL, cmds[i]);
        cr_expect_eq(r.status, 2, "netsim %s %s > /dev/full: exit %d", cmds[i][0], cmds[i][1],
                     r.status);
        cr_expect(strstr(r.err, "cannot write standard output: No space left on device"),
                  "netsim %s: stderr was:\n%s", cmds[i][0], r.err);
        run_free(&r);
    }
    /* The same commands to /dev/null succeed: the status is the write's. */
    for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
        Run r = netsim_out("/dev/null", cmds[i]);
        cr_expect_eq(r.status, 0, "netsim %s > /dev/null: exit %d\n%s", cmds[i][0], r.status,
                     r.err);
        run_free(&r);
    }
}

Test(reliability, max_events_cut_short_says_so_and_exits_3_even_quiet)
{
    g_autofree char *path = temp_file("storm.topo", storm);
    const char *const quiet[] = {"run", path, "--quiet", "--max-events", "5000", NULL};
    Run r = netsim(quiet);
    cr_assert_eq(r.status, 3, "exit %d\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "netsim run: warning: run cut short by the event limit: 5000 events "
                            "reached at t="),
              "%s", r.err);
    cr_assert(strstr(r.err, "before its end; output is incomplete (exit status 3)"), "%s", r.err);
    run_free(&r);
    const char *const until[] = {"run", path, "--trace", "none", "--max-events", "5000",
                                 "--until", "1s", NULL};
    r = netsim(until);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "before --until 1s;"), "%s", r.err);
    run_free(&r);
    /* Reaching --until first is a complete run: no warning, exit 0. */
    const char *const enough[] = {"run", path, "--quiet", "--until", "1200us", NULL};
    r = netsim(enough);
    cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
    cr_assert_null(strstr(r.err, "cut short"), "%s", r.err);
    run_free(&r);
    /* And so is a run that goes idle. */
    const char *const idle[] = {"run", "topologies/two-pcs.topo", "--quiet", NULL};
    r = netsim(idle);
    cr_assert_eq(r.status, 0);
    cr_assert_null(strstr(r.err, "cut short"));
    run_free(&r);
}

Test(reliability, dot_at_past_the_event_limit_says_where_it_stopped)
{
    g_autofree char *path = temp_file("storm.topo", storm);
    const char *const args[] = {"dot", path, "--at", "60s", NULL};
    Run r = netsim(args);
    cr_assert_eq(r.status, 3, "exit %d\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "netsim dot: warning: run cut short by the event limit: 20000000 "
                            "events reached at t="),
              "%s", r.err);
    cr_assert(strstr(r.err, "before --at 60s;"), "%s", r.err);
    cr_assert(strstr(r.out, "graph"), "the diagram is still drawn");
    run_free(&r);
}

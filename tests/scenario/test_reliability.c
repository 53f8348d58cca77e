/* Nothing lost, nothing silent (issue #12): output that cannot be written
 * is exit 2 with a message, a run cut short by the event limit says so on
 * stderr and exits 3, inputs are bounded, pcap files are opened before the
 * run. Each test runs the netsim binary as a user would. */
#include "run_netsim.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Child setup: stdout goes to the file named by user_data (/dev/full). */
static void stdout_to(gpointer user_data)
{
    int fd = open(user_data, O_WRONLY);
    if (fd >= 0)
        dup2(fd, 1);
}

/* Child setup: regular files may not grow past 300 bytes, and writing past
 * that fails with EFBIG instead of killing the process: a full disk. */
static void small_disk(gpointer user_data)
{
    struct rlimit rl = {300, 300};
    signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &rl);
}

/* Child setup: stdin from the file named by user_data. */
static void stdin_from(gpointer user_data)
{
    int fd = open(user_data, O_RDONLY);
    if (fd >= 0)
        dup2(fd, 0);
}

/* small_disk, and stdin from the file named by user_data. */
static void small_disk_stdin(gpointer user_data)
{
    small_disk(NULL);
    stdin_from(user_data);
}

static Run netsim_setup(GSpawnChildSetupFunc setup, const char *const *args)
{
    return netsim_spawn(args, NULL, setup, NULL, TRUE);
}

/* Runs netsim with stdout on `out_path`, capturing stderr. */
static Run netsim_out(const char *out_path, const char *const *args)
{
    return netsim_spawn(args, NULL, stdout_to, (gpointer)out_path, FALSE);
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
    const char *const until[] = {"run",  path,      "--trace", "none", "--max-events",
                                 "5000", "--until", "1s",      NULL};
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

static guint n_entries(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    guint n = 0;
    while (d && g_dir_read_name(d))
        n++;
    return n;
}

Test(reliability, pcap_files_are_opened_before_the_run_and_symlinks_refused)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-rel-XXXXXX", NULL);
    g_autofree char *caps = g_build_filename(dir, "caps", NULL);
    g_autofree char *victim = g_build_filename(dir, "victim", NULL);
    g_autofree char *link = g_build_filename(caps, "alex-eth0.pcap", NULL);
    g_autofree char *blocker = g_build_filename(caps, "yuchao-eth0.pcap", NULL);
    cr_assert_eq(g_mkdir(caps, 0700), 0);
    cr_assert(g_file_set_contents(victim, "keep me", -1, NULL));
    cr_assert_eq(symlink(victim, link), 0);
    cr_assert_eq(g_mkdir(blocker, 0700), 0); /* cannot be opened as a file */
    const char *const args[] = {"run", "topologies/two-pcs.topo", "--pcap", caps, NULL};
    Run r = netsim(args);
    cr_assert_eq(r.status, 2, "exit %d\n%s", r.status, r.err);
    /* Both failures are named, before the run: nothing was simulated. */
    cr_assert(strstr(r.err, "netsim run: error: cannot create capture files:"), "%s", r.err);
    cr_assert(strstr(r.err, "alex-eth0.pcap: is a symbolic link; not following it"), "%s", r.err);
    cr_assert(strstr(r.err, "yuchao-eth0.pcap: Is a directory"), "%s", r.err);
    cr_assert_str_eq(r.out, "", "the run must not start");
    g_autofree char *kept = NULL;
    cr_assert(g_file_get_contents(victim, &kept, NULL, NULL));
    cr_assert_str_eq(kept, "keep me", "the symlink's target was written");
    cr_assert_eq(n_entries(caps), 2, "only the symlink and the directory remain");
    run_free(&r);
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(reliability, pcap_write_errors_name_every_file_and_remove_it)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-rel-XXXXXX", NULL);
    const char *const args[] = {"run", "topologies/two-pcs.topo", "--quiet", "--pcap", dir, NULL};
    Run r = netsim_setup(small_disk, args);
    cr_assert_eq(r.status, 2, "exit %d\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "netsim run: error: cannot write capture files (partial files "
                            "removed):"),
              "%s", r.err);
    cr_assert(strstr(r.err, "alex-eth0.pcap: write failed: File too large"), "%s", r.err);
    cr_assert(strstr(r.err, "yuchao-eth0.pcap: write failed: File too large"), "%s", r.err);
    cr_assert_eq(n_entries(dir), 0, "partial captures are removed");
    run_free(&r);
    /* Without the limit the same run writes both files. */
    const char *const ok_args[] = {"run", "topologies/two-pcs.topo", "--quiet", "--pcap", dir,
                                   NULL};
    r = netsim(ok_args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(n_entries(dir), 2);
    run_free(&r);
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(reliability, pcap_past_2_32_seconds_is_refused_before_the_run)
{
    g_autofree char *path = temp_file("late.topo", "host a ip 10.0.0.1/24\n"
                                                   "host b ip 10.0.0.2/24\nlink a b\n"
                                                   "at 5000000000s a ping b count 1\n");
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *caps = g_build_filename(dir, "caps", NULL);
    const char *const args[] = {"run", path, "--quiet", "--pcap", caps, NULL};
    Run r = netsim(args);
    cr_assert_eq(r.status, 2, "exit %d (134 was the assertion)\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "--pcap: classic pcap stamps times up to 4294967295.999999999s, and "
                            "this scenario's commands run to 5000000010.000000000s"),
              "%s", r.err);
    cr_assert_not(g_file_test(caps, G_FILE_TEST_EXISTS), "no capture directory was made");
    run_free(&r);
    /* Without --pcap the run is fine: the ping succeeds. */
    const char *const plain[] = {"run", path, "--quiet", NULL};
    r = netsim(plain);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "1 packets transmitted, 1 received"), "%s", r.out);
    run_free(&r);
}

Test(reliability, time_past_the_end_is_a_check_error)
{
    g_autofree char *path =
        temp_file("end.topo", "host a ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\nlink a b\n"
                              "at 18446744073.709551615s a ping b count 3\n"
                              "at 1s a ping b count 65535 interval 18446744073s\n"
                              "at 18446000000s a ping b count 3\n");
    const char *const args[] = {"check", path, NULL};
    Run r = netsim(args);
    cr_assert_eq(r.status, 2, "exit %d\n%s%s", r.status, r.out, r.err);
    cr_assert(strstr(r.err, "end.topo:4:4: error: ping at 18446744073.709551615s runs past the "
                            "end of simulated time: it and the timers it starts need 86412s more "
                            "(schedule it at 18446657661.709551615s at the latest)"),
              "%s", r.err);
    cr_assert(strstr(r.err, "end.topo:5:1: error: this ping runs too long to fit in simulated "
                            "time"),
              "%s", r.err);
    cr_assert_null(strstr(r.err, "end.topo:6:"), "a ping that fits is fine:\n%s", r.err);
    run_free(&r);
}

Test(reliability, graphviz_write_errors_are_reported_and_leave_no_partial_file)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-rel-XXXXXX", NULL);
    g_autofree char *png = g_build_filename(dir, "x.png", NULL);
    g_autofree char *svg = g_build_filename(dir, "old.svg", NULL);
    cr_assert(g_file_set_contents(svg, "old picture", -1, NULL));
    /* Graphviz's own writer called exit(1) here: no message, status 1, a
     * 4 KB stub of a PNG left behind. */
    const char *const args[] = {"dot", "topologies/enterprise.topo", "-o", png, NULL};
    Run r = netsim_setup(small_disk, args);
    cr_assert_eq(r.status, 2, "exit %d\n%s", r.status, r.err);
    g_autofree char *want =
        g_strdup_printf("netsim dot: error: cannot write %s: File too large", png);
    cr_assert(strstr(r.err, want), "%s", r.err);
    run_free(&r);
    const char *const args2[] = {"dot", "topologies/enterprise.topo", "-o", svg, NULL};
    r = netsim_setup(small_disk, args2);
    cr_assert_eq(r.status, 2, "exit %d\n%s", r.status, r.err);
    run_free(&r);
    g_autofree char *kept = NULL;
    cr_assert(g_file_get_contents(svg, &kept, NULL, NULL));
    cr_assert_str_eq(kept, "old picture", "a failed write replaced the old file");
    cr_assert_eq(n_entries(dir), 1, "no partial or temporary file is left");
    /* With room, the same command writes the picture. */
    r = netsim(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(g_file_test(png, G_FILE_TEST_IS_REGULAR));
    run_free(&r);
    /* DOT on a full standard output. */
    const char *const args3[] = {"dot", "topologies/enterprise.topo", NULL};
    r = netsim_out(FULL, args3);
    cr_assert_eq(r.status, 2, "exit %d\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "cannot write standard output: No space left on device"), "%s", r.err);
    run_free(&r);
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(reliability, stepper_survives_a_failed_dot)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-rel-XXXXXX", NULL);
    g_autofree char *png = g_build_filename(dir, "s.png", NULL);
    g_autofree char *script_text = g_strdup_printf("dot %s\nwhere\nquit\n", png);
    g_autofree char *script = g_build_filename(dir, "script", NULL);
    cr_assert(g_file_set_contents(script, script_text, -1, NULL));
    const char *const args[] = {"step", "topologies/enterprise.topo", NULL};
    Run r = netsim_spawn(args, NULL, small_disk_stdin, script, TRUE);
    cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
    g_autofree char *want = g_strdup_printf("error: dot: cannot write %s: File too large", png);
    cr_assert(strstr(r.out, want) || strstr(r.err, want), "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "(netsim) where\nseed 1, 0 events run"), "the session went on:\n%s",
              r.out);
    cr_assert_not(g_file_test(png, G_FILE_TEST_EXISTS));
    run_free(&r);
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(reliability, input_is_bounded_and_must_be_a_regular_file_or_stdin)
{
    /* /dev/zero was read for 4.2 GB before failing. */
    const char *const zero[] = {"check", "/dev/zero", NULL};
    Run r = netsim(zero);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "/dev/zero: error: cannot read file: not a regular file (a character "
                            "device); give a topology file, or '-' for standard input"),
              "%s", r.err);
    run_free(&r);
    const char *const dir[] = {"run", "topologies", NULL};
    r = netsim(dir);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "not a regular file (a directory)"), "%s", r.err);
    run_free(&r);
    /* '-' reads standard input, under the same bound. */
    const char *const dash[] = {"check", "-", NULL};
    r = netsim_spawn(dash, NULL, stdin_from, (gpointer) "topologies/two-pcs.topo", TRUE);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(g_str_has_prefix(r.out, "-: \"Two PCs and one cable\""), "%s", r.out);
    run_free(&r);
    /* A 2 MB topology under a 1 MB limit, as a file and on stdin. */
    g_autofree char *big = temp_file("big.topo", "");
    g_autoptr(GString) text = g_string_new("host a ip 10.0.0.1/24\n");
    while (text->len < (2u << 20))
        g_string_append(text, "# a comment line to make the file large enough ........\n");
    cr_assert(g_file_set_contents(big, text->str, (gssize)text->len, NULL));
    char **env = g_environ_setenv(g_get_environ(), "NETSIM_MAX_INPUT_MB", "1", TRUE);
    const char *const file[] = {"check", big, NULL};
    r = netsim_spawn(file, env, NULL, NULL, TRUE);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "cannot read file: larger than the 1 MB input limit (set "
                            "NETSIM_MAX_INPUT_MB to raise it)"),
              "%s", r.err);
    run_free(&r);
    r = netsim_spawn(dash, env, stdin_from, big, TRUE);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "-: error: cannot read file: larger than the 1 MB input limit"), "%s",
              r.err);
    run_free(&r);
    /* Under the default 64 MB it is fine. */
    r = netsim(file);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    g_strfreev(env);
}

Test(reliability, a_run_whose_trace_cannot_be_written_stops_early)
{
    /* A storm that would run for billions of events: with its trace going
     * to a full disk it stops within a slice (65,536 events), exit 2. JSON,
     * because the text trace sums a storm up instead of printing it. */
    g_autofree char *path = temp_file("storm.topo", storm);
    const char *const args[] = {"run", path,      "--until", "1000s", "--max-events",
                                "0",   "--trace", "json",    NULL};
    Run r = netsim_out(FULL, args);
    cr_assert_eq(r.status, 2, "exit %d\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "netsim: stopped after 65536 events at t="), "%s", r.err);
    cr_assert(strstr(r.err, "cannot write standard output: No space left on device"), "%s", r.err);
    run_free(&r);
}

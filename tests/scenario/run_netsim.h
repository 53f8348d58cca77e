/* run_netsim.h - running the netsim binary as a user would, for the tests
 * that check the command line (test_cli, test_gen, test_traces).
 * Header-only (static functions) because CMake builds each test_*.c alone;
 * NETSIM_BIN is the built binary's path, defined by CMake. */
#pragma once

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>
#include <sys/wait.h>

/* One finished run. out and err are owned by the Run: free with run_free. */
typedef struct {
    char *out, *err;
    int status; /* exit status; -1 if killed by a signal */
} Run;

/* Runs NETSIM_BIN with the NULL-terminated args (argv[1] onwards) from the
 * test's cwd, with environment envp (NULL: ours) and `setup(data)` run in
 * the child before exec (NULL: none), capturing stderr, and stdout too
 * when capture_out (else the child keeps it, or setup points it
 * elsewhere, and out is ""); fails the test if it cannot be spawned. */
static inline Run netsim_spawn(const char *const *args, char **envp, GSpawnChildSetupFunc setup,
                               gpointer data, gboolean capture_out)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)NETSIM_BIN);
    for (const char *const *a = args; *a; a++)
        g_ptr_array_add(argv, (char *)*a);
    g_ptr_array_add(argv, NULL);
    Run r = {0};
    g_autoptr(GError) err = NULL;
    gint wait = 0;
    cr_assert(g_spawn_sync(NULL, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, setup, data,
                           capture_out ? &r.out : NULL, &r.err, &wait, &err),
              "spawn: %s", err ? err->message : "?");
    if (!capture_out)
        r.out = g_strdup("");
    r.status = WIFEXITED(wait) ? WEXITSTATUS(wait) : -1;
    return r;
}

/* netsim_spawn as a user runs it: our environment, stdout captured. */
static inline Run netsim(const char *const *args)
{
    return netsim_spawn(args, NULL, NULL, NULL, TRUE);
}

static inline void run_free(Run *r)
{
    g_free(r->out);
    g_free(r->err);
}

/* Frames in a classic pcap file, counted from its record headers (written
 * in host order, as libpcap does). */
static inline guint pcap_frames(const char *path)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    cr_assert(g_file_get_contents(path, &data, &len, NULL) && len >= 24, "%s", path);
    guint n = 0;
    for (gsize at = 24; at + 16 <= len; n++) {
        guint32 incl;
        memcpy(&incl, data + at + 8, 4);
        at += 16 + incl;
        cr_assert_leq(at, len, "%s: truncated record", path);
    }
    return n;
}

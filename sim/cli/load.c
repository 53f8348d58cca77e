/* load.c - see load.h. */
#include "sim/cli/load.h"

#include "sim/topo/parser.h"
#include "sim/topo/validate.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* NETSIM_MAX_INPUT_MB, if set to a whole number of MB (0: no limit), else
 * the default bound. A malformed value is ignored with a warning. */
static gsize max_input(void)
{
    const char *env = g_getenv("NETSIM_MAX_INPUT_MB");
    if (!env)
        return SIM_TOPO_MAX_INPUT_DEFAULT;
    char *end;
    errno = 0;
    guint64 mb = g_ascii_strtoull(env, &end, 10);
    if (!*env || *end || errno || env[0] == '-' || mb > (G_MAXSIZE >> 20)) {
        fprintf(stderr,
                _("netsim: warning: ignoring NETSIM_MAX_INPUT_MB='%s' (expected a whole "
                  "number of MB)\n"),
                env);
        return SIM_TOPO_MAX_INPUT_DEFAULT;
    }
    return mb ? (gsize)mb << 20 : G_MAXSIZE;
}

SimTopo *sim_cli_load(const char *path, FILE *warn_out, guint *n_warnings)
{
    g_autoptr(SimDiag) diag = sim_diag_new();
    g_autoptr(SimTopo) topo = sim_topo_parse_file_max(path, max_input(), diag);
    /* Validation runs even after syntax errors (it skips what they broke),
     * so one run reports every error in the file. */
    if (topo)
        sim_topo_validate(topo, diag);
    if (n_warnings)
        *n_warnings = sim_diag_warnings(diag);
    /* With errors, every message (warnings too) goes to stderr, in file
     * order; without, only warnings exist and go where the caller says. */
    if (!topo || sim_diag_has_errors(diag)) {
        sim_diag_print(diag, stderr);
        return NULL;
    }
    if (warn_out && sim_diag_warnings(diag))
        sim_diag_print(diag, warn_out);
    return g_steal_pointer(&topo);
}

const char *sim_cli_parse_file_args(GOptionContext *ctx, const char *cmd, int *argc, char ***argv)
{
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(ctx, argc, argv, &err)) {
        fprintf(stderr, _("netsim %s: %s\n"), cmd, err->message);
        return NULL;
    }
    if (*argc != 2) {
        fprintf(stderr, _("netsim %s: expected one topology file (see netsim %s --help)\n"), cmd,
                cmd);
        return NULL;
    }
    return (*argv)[1];
}

bool sim_cli_parse_u64(const char *cmd, const char *opt, const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (!*text || *end || errno || text[0] == '-') {
        fprintf(stderr, _("netsim %s: error: %s expects a whole number, got '%s'\n"), cmd, opt,
                text);
        return false;
    }
    *out = v;
    return true;
}

bool sim_cli_parse_time(const char *cmd, const char *opt, const char *text, SimTime *out)
{
    g_autoptr(GError) err = NULL;
    if (!sim_time_parse(text, out, &err)) {
        fprintf(stderr, _("netsim %s: error: %s: %s\n"), cmd, opt, err->message);
        return false;
    }
    return true;
}

int sim_cli_report_cut_short(const char *cmd, SimWorld *w, SimRunStatus st, uint64_t max_events,
                             const char *goal)
{
    if (st != SIM_RUN_MAX_EVENTS)
        return 0;
    char t[SIM_TIME_STRLEN];
    fprintf(stderr,
            "netsim %s: warning: run cut short by the event limit: %" G_GUINT64_FORMAT
            " events reached at t=%ss, before %s; output is incomplete (exit status 3)\n",
            cmd, max_events, sim_time_format_sec(sim_world_now(w), t), goal ? goal : "its end");
    return SIM_CLI_EXIT_CUT_SHORT;
}

static int stdout_errno; /* the first failed write's, once known */

bool sim_cli_flush_stdout(void)
{
    /* A write that failed inside the run left its errno; nothing since has
     * reason to fail, so it is still the write's (EIO if it was cleared). */
    int before = ferror(stdout) ? errno : 0;
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return true;
    if (!stdout_errno)
        stdout_errno = errno ? errno : before ? before : EIO;
    return false;
}

int sim_cli_finish_stdout(int rc)
{
    if (sim_cli_flush_stdout())
        return rc;
    fprintf(stderr, _("netsim: error: cannot write standard output: %s\n"),
            g_strerror(stdout_errno));
    return 2;
}

/* What keeps the scenario from going idle (spanning tree hellos, DHCP
 * renewals), with how long a run without --until lasts at least; NULL when
 * nothing does. */
const char *sim_cli_never_idle(const SimTopo *topo, SimTime *settle)
{
    const char *what = NULL;
    for (guint i = 0; i < topo->nodes->len; i++) {
        const SimTopoNode *n = g_ptr_array_index(topo->nodes, i);
        if (n->kind == SIM_TOPO_SWITCH && n->stp != SIM_TOPO_STP_OFF && !what) {
            what = "spanning tree timers never go idle";
            *settle = SIM_CLI_STP_SETTLE;
        }
        for (guint j = 0; j < n->ifaces->len; j++) {
            if (((const SimTopoIface *)g_ptr_array_index(n->ifaces, j))->dhcp) {
                *settle = MAX(*settle, SIM_CLI_DHCP_SETTLE);
                return what ? "spanning tree and DHCP timers never go idle"
                            : "DHCP clients renew their leases for ever";
            }
        }
    }
    return what;
}

/* cmd_play.c - `netsim play FILE -o lesson.html [--until T] [--seed N]
 * [--max-events N] [--limit N]`: runs the scenario once and writes the
 * classroom player, one HTML file with everything inlined (viz/player.h).
 * --until, --seed and --max-events mean what they mean to `netsim run`;
 * --limit bounds the events the page holds (the page says when the run
 * went on past it). The file is written whole or not at all.
 */
#include "sim/cli/commands.h"
#include "sim/cli/load.h"
#include "sim/topo/horizon.h"
#include "viz/player.h"

#include <glib/gi18n-lib.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>

#define DEFAULT_MAX_EVENTS 20000000ULL

typedef struct {
    char *output, *until, *seed, *max_events, *limit;
} PlayOpts;

static int play_file(const char *path, const PlayOpts *o)
{
    SimPlayerOptions po = {.until = SIM_TIME_MAX,
                           .seed = 1,
                           .max_events = DEFAULT_MAX_EVENTS,
                           .limit = SIM_PLAYER_DEFAULT_LIMIT,
                           .source = path};
    if (!o->output) {
        fprintf(stderr, _("netsim play: error: -o FILE.html is required\n"));
        return 2;
    }
    if ((o->until && !sim_cli_parse_time("play", "--until", o->until, &po.until)) ||
        (o->seed && !sim_cli_parse_u64("play", "--seed", o->seed, &po.seed)) ||
        (o->max_events &&
         !sim_cli_parse_u64("play", "--max-events", o->max_events, &po.max_events)) ||
        (o->limit && !sim_cli_parse_u64("play", "--limit", o->limit, &po.limit)))
        return 2;
    if (po.limit == 0) {
        fprintf(stderr, _("netsim play: error: --limit must be at least 1\n"));
        return 2;
    }
    SimTopo *topo = sim_cli_load(path, stderr, NULL);
    if (!topo)
        return 2;
    /* As `run`: a network that never idles ends with its scenario, where it
     * filled the page's event limit with hellos (stp-loop: 55 MB). */
    SimTime settle = 0, end = 0;
    if (!o->until && sim_cli_never_idle(topo, &settle) && sim_topo_scenario_end(topo, &end))
        po.until = MAX(end, settle);
    g_autoptr(GError) err = NULL;
    g_autoptr(SimScenario) sc = sim_scenario_new(topo, po.seed, &err);
    if (!sc) {
        fprintf(stderr, "%s\n", err->message);
        return 2;
    }
    g_autoptr(GString) page = g_string_new(NULL);
    SimPlayerResult res;
    if (!sim_player_page(sc, &po, page, &res, &err)) {
        fprintf(stderr, _("netsim play: error: %s\n"), err->message);
        return 2;
    }
    if (!g_file_set_contents(o->output, page->str, (gssize)page->len, &err)) {
        fprintf(stderr, _("netsim play: error: %s\n"), err->message);
        return 2;
    }
    fprintf(stderr,
            _("netsim play: wrote %s: %llu events, %llu records, %llu distinct frames, %.1f MB\n"),
            o->output, (unsigned long long)res.events, (unsigned long long)res.records,
            (unsigned long long)res.frames, (double)page->len / 1e6);
    if (res.capped)
        fprintf(stderr,
                _("netsim play: the run went on past --limit %llu events; the page holds the "
                  "first %llu and says so\n"),
                (unsigned long long)po.limit, (unsigned long long)res.events);
    else if (res.status == SIM_RUN_MAX_EVENTS)
        fprintf(stderr, _("netsim play: stopped at --max-events %llu\n"),
                (unsigned long long)po.max_events);
    return sim_world_failed(sim_scenario_world(sc)) ? 1 : 0;
}

int sim_cmd_play(int argc, char **argv)
{
    PlayOpts o = {0};
    GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
         N_("Write the player page to OUT.html"), "OUT"},
        {"until", 'u', 0, G_OPTION_ARG_STRING, &o.until, N_("Stop at simulated time T (e.g. 10s)"),
         "T"},
        {"seed", 's', 0, G_OPTION_ARG_STRING, &o.seed, N_("Seed of the world's RNG (default 1)"),
         "N"},
        {"max-events", 'm', 0, G_OPTION_ARG_STRING, &o.max_events,
         N_("Stop after N events (default 20000000)"), "N"},
        {"limit", 0, 0, G_OPTION_ARG_STRING, &o.limit,
         N_("Keep at most N events in the page (default 200000); the page says when the run "
            "went on"),
         "N"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE");
    g_option_context_set_translation_domain(ctx, GETTEXT_PACKAGE);
    g_option_context_set_summary(ctx, "Run a topology's scenario and write one self-contained "
                                      "HTML file that replays it over the diagram: animation, "
                                      "event list, PDU view, device tables. It opens offline "
                                      "in any browser.\n"
                                      "Exit status: 0 ok, 1 scenario failure, 2 bad input.");
    g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
    const char *path = sim_cli_parse_file_args(ctx, "play", &argc, &argv);
    int rc = path ? play_file(path, &o) : 2;
    g_free(o.output);
    g_free(o.until);
    g_free(o.seed);
    g_free(o.max_events);
    g_free(o.limit);
    return rc;
}

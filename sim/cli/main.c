/* netsim - command-line entry point: dispatches to subcommands.
 * Exit status: 0 ok, 1 the scenario found a failure, 2 bad input or usage,
 * or output that could not be written, 3 a run cut short by the event
 * limit (see load.h). Standard output is checked here for every command
 * (sim_cli_finish_stdout): a lost write is exit 2, never a silent 0. */
#include "sim/cli/commands.h"
#include "sim/cli/i18n.h"
#include "sim/cli/load.h"
#include "sim/topo/diag.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} Command;

static const Command commands[] = {
    {"run", sim_cmd_run, N_("run a topology's scenario and print the trace")},
    {"check", sim_cmd_check, N_("parse and validate a topology, print a summary")},
    {"step", sim_cmd_step, N_("step through a scenario one event at a time")},
    {"dot", sim_cmd_dot, N_("draw a topology (DOT, SVG or PNG)")},
    {"play", sim_cmd_play, N_("write a self-contained HTML player of a scenario")},
    {"subnet", sim_cmd_subnet, N_("explain an IPv4 prefix: network, mask, hosts")},
    {"gen", sim_cmd_gen, N_("generate benchmark topologies")},
};

static void usage(FILE *out)
{
    fprintf(out, "%s", _("Usage: netsim COMMAND [OPTIONS] ...\n\nCommands:\n"));
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, _(commands[i].summary));
    fprintf(out, "%s",
            _("\nRun 'netsim help COMMAND' (or 'netsim COMMAND --help') for a command's "
              "options.\n"));
}

static const Command *find_command(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        if (strcmp(name, commands[i].name) == 0)
            return &commands[i];
    return NULL;
}

/* Runs cmd with argv[0] = its name. The program name GOption prints in
 * usage lines ("Usage: netsim run [OPTION…] FILE") is "netsim CMD". */
static int run_command(const Command *c, int argc, char **argv)
{
    g_autofree char *prg = g_strdup_printf("netsim %s", c->name);
    g_set_prgname(prg);
    return sim_cli_finish_stdout(c->fn(argc, argv));
}

static int unknown_command(const char *cmd)
{
    const char *names[G_N_ELEMENTS(commands)];
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        names[i] = commands[i].name;
    const char *near = sim_diag_suggest(cmd, names, G_N_ELEMENTS(names));
    if (near)
        fprintf(stderr, _("netsim: unknown command '%s' (did you mean '%s'?)\n"), cmd, near);
    else
        fprintf(stderr, _("netsim: unknown command '%s'\n"), cmd);
    usage(stderr);
    return 2;
}

/* `netsim help` lists the commands; `netsim help CMD` is `netsim CMD --help`. */
static int help(int argc, char **argv)
{
    if (argc < 3) {
        usage(stdout);
        return 0;
    }
    const Command *c = find_command(argv[2]);
    if (!c)
        return unknown_command(argv[2]);
    char *args[] = {(char *)c->name, "--help", NULL};
    return run_command(c, 2, args);
}

int main(int argc, char **argv)
{
    sim_i18n_init();
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0)
        return help(argc, argv);
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("netsim %s\n", NETSIM_VERSION);
        return 0;
    }
    const Command *c = find_command(cmd);
    return c ? run_command(c, argc - 1, argv + 1) : unknown_command(cmd);
}

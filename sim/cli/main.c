/* netsim - command-line entry point: dispatches to subcommands.
 * Exit status: 0 ok, 1 the scenario found a failure, 2 bad input or usage. */
#include "sim/cli/commands.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} Command;

static const Command commands[] = {
    {"run", sim_cmd_run, "run a topology's scenario and print the trace"},
    {"check", sim_cmd_check, "parse and validate a topology, print a summary"},
    {"step", sim_cmd_step, "step through a scenario one event at a time"},
    {"dot", sim_cmd_dot, "draw a topology (DOT, SVG or PNG)"},
    {"play", sim_cmd_play, "write a self-contained HTML player of a scenario"},
    {"subnet", sim_cmd_subnet, "explain an IPv4 prefix: network, mask, hosts"},
    {"gen", sim_cmd_gen, "generate benchmark topologies"},
};

static void usage(FILE *out)
{
    fprintf(out, "Usage: netsim COMMAND [OPTIONS] ...\n\nCommands:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'netsim COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("netsim %s\n", NETSIM_VERSION);
        return 0;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "netsim: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}

/* cmd_stub.c - subcommands whose capability has not landed yet. Each says
 * so plainly and exits 2 rather than pretending to work. Remove an entry
 * when its real implementation arrives. */
#include "sim/cli/commands.h"

#include <stdio.h>

static int not_yet(const char *name)
{
    fprintf(stderr, "netsim %s: not implemented yet\n", name);
    return 2;
}

int sim_cmd_step(int argc, char **argv)
{
    return not_yet("step");
}


/* cmd_subnet.c - `netsim subnet CIDR`: the subnet-mask lesson as a tool. */
#include "sim/cli/commands.h"
#include "sim/net/subnet.h"

#include <glib.h>
#include <stdio.h>

int sim_cmd_subnet(int argc, char **argv)
{
    g_autoptr(GOptionContext) ctx = g_option_context_new("CIDR");
    g_option_context_set_summary(ctx, "Print network, broadcast, mask, wildcard, first and last "
                                      "host, and host count for an IPv4 prefix.");
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "netsim subnet: %s\n", err->message);
        return 2;
    }
    if (argc < 2) {
        fprintf(stderr, "netsim subnet: expected a prefix such as 192.168.10.0/24\n");
        return 2;
    }
    g_autofree char *joined = g_strjoinv(" ", argv + 1);
    g_autofree char *report = sim_subnet_report(joined, &err);
    if (!report) {
        fprintf(stderr, "netsim subnet: error: %s\n", err->message);
        return 2;
    }
    fputs(report, stdout);
    return 0;
}

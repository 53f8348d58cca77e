/* cmd_subnet.c - `netsim subnet PREFIX...`: the subnet-mask lesson as a tool. */
#include "sim/cli/commands.h"
#include "sim/net/subnet.h"

#include <glib/gi18n-lib.h>
#include <glib.h>
#include <stdio.h>

int sim_cmd_subnet(int argc, char **argv)
{
    g_autoptr(GOptionContext) ctx = g_option_context_new("CIDR");
    g_option_context_set_translation_domain(ctx, GETTEXT_PACKAGE);
    g_option_context_set_summary(ctx, "Print network, broadcast, mask, wildcard, first and last "
                                      "host, and host count for each IPv4 prefix, each address "
                                      "in binary, and what kind of address it is (private, "
                                      "loopback, ...).\n"
                                      "A prefix is 10.1.2.3/24, 10.1.2.3/255.255.255.0 or "
                                      "10.1.2.3 255.255.255.0.");
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, _("netsim subnet: %s\n"), err->message);
        return 2;
    }
    if (argc < 2) {
        fprintf(stderr, _("netsim subnet: expected a prefix such as 192.168.10.0/24\n"));
        return 2;
    }
    g_autofree char *report =
        sim_subnet_report_args((const char *const *)argv + 1, (gsize)argc - 1, &err);
    if (!report) {
        fprintf(stderr, _("netsim subnet: error: %s\n"), err->message);
        return 2;
    }
    fputs(report, stdout);
    return 0;
}

/* subnet.h - the report printed by `netsim subnet CIDR`.
 *
 * Design: a pure function from the argument text to the report text, so the
 * CLI only prints it and the tests compare strings without running a
 * process. The layout follows ipcalc's, which students already know.
 */
#pragma once

#include <glib.h>

/* Accepts "a.b.c.d/n" (host bits may be set: the report names the network
 * the address belongs to), "a.b.c.d/m.m.m.m" or "a.b.c.d m.m.m.m" with a
 * contiguous netmask.
 * Returns a newly allocated, newline-terminated report (caller frees with
 * g_free), or NULL with *error set in the SIM_ADDR_ERROR domain. */
char *sim_subnet_report(const char *cidr, GError **error);
/* The reports for n command-line arguments, one blank line apart: each
 * argument is a prefix as above, or an address followed by a netmask
 * argument. NULL with *error at the first bad one. */
char *sim_subnet_report_args(const char *const *args, gsize n, GError **error);

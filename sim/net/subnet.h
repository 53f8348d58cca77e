/* subnet.h - the report printed by `netsim subnet CIDR`.
 *
 * Design: a pure function from the argument text to the report text, so the
 * CLI only prints it and the tests compare strings without running a
 * process. The layout follows ipcalc's, which students already know.
 */
#pragma once

#include <glib.h>

/* Accepts "a.b.c.d/n" (host bits may be set: the report names the network
 * the address belongs to) or "a.b.c.d m.m.m.m" with a contiguous netmask.
 * Returns a newly allocated, newline-terminated report (caller frees with
 * g_free), or NULL with *error set in the SIM_ADDR_ERROR domain. */
char *sim_subnet_report(const char *cidr, GError **error);

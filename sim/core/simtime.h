/* simtime.h - simulated time: integer nanoseconds.
 *
 * Design: a uint64_t count of nanoseconds gives ~584 years of range with no
 * rounding, so event order never depends on floating point. Parsing accepts
 * a decimal number with a unit (ns, us, ms, s, m, h) such as "250ns", "3us",
 * "1.5ms", "2s", "1m"; fractions finer than 1 ns and values past the range
 * are errors, never silently rounded or wrapped.
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t SimTime;

#define SIM_NS ((SimTime)1)
#define SIM_US ((SimTime)1000)
#define SIM_MS ((SimTime)1000000)
#define SIM_SEC ((SimTime)1000000000)
#define SIM_TIME_MAX UINT64_MAX
#define SIM_TIME_STRLEN 32

#define SIM_TIME_ERROR (sim_time_error_quark())
GQuark sim_time_error_quark(void);
typedef enum { SIM_TIME_ERROR_INVALID, SIM_TIME_ERROR_OVERFLOW } SimTimeError;

/* Parses "<decimal><unit>". A bare "0" is accepted; any other number needs a
 * unit. Errors say why ("missing unit", "unknown unit 'x'", "overflow", ...). */
gboolean sim_time_parse(const char *s, SimTime *out, GError **error);
/* Shortest exact form with the largest unit that keeps it exact to 3
 * decimals: 1500000 -> "1.5ms", 2000000000 -> "2s", 250 -> "250ns".
 * Round-trips through sim_time_parse. buf >= SIM_TIME_STRLEN; returns buf. */
char *sim_time_format(SimTime t, char *buf);
/* Seconds with 9 decimals, as the trace prints time: "0.000012300". */
char *sim_time_format_sec(SimTime t, char *buf);
/* Whether p, the text after a number's digits, starts an exponent ("e30",
 * "E-3", "e+6"): the time and rate parsers name that instead of reading
 * "e30bps" as an unknown unit. */
gboolean sim_time_is_exponent(const char *p);
/* Overflow-checked add; returns FALSE on overflow. */
gboolean sim_time_add(SimTime a, SimTime b, SimTime *out);

/* simtime.c - parse and format simulated times.
 *
 * Design: the parser reads the integer and fraction digits as integers and
 * scales them with 128-bit arithmetic, never through a double: strtod would
 * turn "0.3ms" into 299999.99999999997 ns and silently round. A fraction is
 * accepted only when it is a whole number of nanoseconds in the given unit
 * ("1.5us" = 1500 ns is fine, "1.5ns" is an error). O(n) in the input length.
 *
 * sim_time_format picks the largest of s/ms/us/ns in which the value is at
 * least 1 and exact with at most 3 decimals (0 prints as "0s"); ns always
 * qualifies, so every value has a form and the
 * result parses back to the same value. m and h are accepted on input only,
 * since "1.5m" is less readable in a trace than "90s".
 */
#include "sim/core/simtime.h"

#include <stdio.h>
#include <string.h>

/* clang-format would put spaces into the quark's name. */
// clang-format off
G_DEFINE_QUARK(sim-time-error-quark, sim_time_error)
// clang-format on

#define UNITS_HINT "ns, us, ms, s, m or h"

static const struct {
    const char *name;
    SimTime ns;
} units[] = {
    {"ns", SIM_NS}, {"us", SIM_US},      {"ms", SIM_MS},
    {"s", SIM_SEC}, {"m", 60 * SIM_SEC}, {"h", 3600 * SIM_SEC},
};

G_GNUC_PRINTF(4, 5)
static void set_error(GError **error, SimTimeError code, const char *input, const char *fmt, ...)
{
    if (error == NULL)
        return;
    g_autofree char *quoted = g_strescape(input, NULL);
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *reason = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, SIM_TIME_ERROR, code, "'%s': %s", quoted, reason);
}

static const char *skip_digits(const char *p)
{
    while (g_ascii_isdigit(*p))
        p++;
    return p;
}

gboolean sim_time_is_exponent(const char *p)
{
    if (*p != 'e' && *p != 'E')
        return FALSE;
    p++;
    if (*p == '+' || *p == '-')
        p++;
    return g_ascii_isdigit(*p);
}

/* Checks the shape "<digits>[.<digits>]<unit>" and finds the unit. */
static gboolean split_number(const char *s, const char **int_end, const char **frac,
                             const char **frac_end, SimTime *unit, GError **error)
{
    if (*s == '-') {
        set_error(error, SIM_TIME_ERROR_INVALID, s, "negative times are not allowed");
        return FALSE;
    }
    if (!g_ascii_isdigit(*s)) {
        set_error(error, SIM_TIME_ERROR_INVALID, s, "expected a number before the unit");
        return FALSE;
    }
    const char *p = skip_digits(s);
    *int_end = *frac = *frac_end = p;
    if (*p == '.') {
        *frac = p + 1;
        *frac_end = p = skip_digits(p + 1);
        if (*frac == *frac_end) {
            set_error(error, SIM_TIME_ERROR_INVALID, s, "expected a digit after '.'");
            return FALSE;
        }
        if (*p == '.') {
            set_error(error, SIM_TIME_ERROR_INVALID, s, "more than one decimal point");
            return FALSE;
        }
    }
    if (*p == '\0') {
        set_error(error, SIM_TIME_ERROR_INVALID, s, "missing unit (" UNITS_HINT ")");
        return FALSE;
    }
    if (sim_time_is_exponent(p)) {
        set_error(error, SIM_TIME_ERROR_INVALID, s,
                  "exponents are not accepted: write the digits with a unit (" UNITS_HINT ")");
        return FALSE;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
        if (strcmp(p, units[i].name) == 0) {
            *unit = units[i].ns;
            return TRUE;
        }
    }
    set_error(error, SIM_TIME_ERROR_INVALID, s, "unknown unit '%s' (expected " UNITS_HINT ")", p);
    return FALSE;
}

gboolean sim_time_parse(const char *s, SimTime *out, GError **error)
{
    if (s == NULL || *s == '\0') {
        set_error(error, SIM_TIME_ERROR_INVALID, "", "empty time");
        return FALSE;
    }
    if (strcmp(s, "0") == 0) {
        *out = 0;
        return TRUE;
    }
    const char *int_end, *frac, *frac_end;
    SimTime unit;
    if (!split_number(s, &int_end, &frac, &frac_end, &unit, error))
        return FALSE;

    /* Trailing zeros of the fraction carry no precision ("1.500ms"). */
    while (frac_end > frac && frac_end[-1] == '0')
        frac_end--;
    /* With the last digit non-zero, frac/10^d can be a whole number of ns
     * only if 2^d or 5^d divides the unit; the hour (2^13 * 3^2 * 5^11 ns)
     * allows d <= 13, so 18 digits (fits in uint64) is a safe cut-off. */
    size_t d = (size_t)(frac_end - frac);
    if (d > 18) {
        set_error(error, SIM_TIME_ERROR_INVALID, s, "fraction is finer than 1ns");
        return FALSE;
    }
    unsigned __int128 frac_num = 0, pow10 = 1;
    for (const char *p = frac; p < frac_end; p++) {
        frac_num = frac_num * 10 + (unsigned)(*p - '0');
        pow10 *= 10;
    }
    unsigned __int128 frac_ns = frac_num * unit;
    if (frac_ns % pow10 != 0) {
        set_error(error, SIM_TIME_ERROR_INVALID, s, "fraction is finer than 1ns");
        return FALSE;
    }
    frac_ns /= pow10;

    /* Accumulate the integer part, stopping as soon as it cannot fit. */
    unsigned __int128 total = 0;
    for (const char *p = s; p < int_end; p++) {
        total = total * 10 + (unsigned)(*p - '0');
        if (total * unit > SIM_TIME_MAX)
            break;
    }
    total = total * unit + frac_ns;
    if (total > SIM_TIME_MAX) {
        set_error(error, SIM_TIME_ERROR_OVERFLOW, s,
                  "overflow: the maximum is %" G_GUINT64_FORMAT "ns (about 584 years)",
                  (guint64)SIM_TIME_MAX);
        return FALSE;
    }
    *out = (SimTime)total;
    return TRUE;
}

char *sim_time_format(SimTime t, char *buf)
{
    static const struct {
        const char *name;
        SimTime ns;
    } out_units[] = {{"s", SIM_SEC}, {"ms", SIM_MS}, {"us", SIM_US}};
    for (size_t i = 0; i < G_N_ELEMENTS(out_units); i++) {
        SimTime u = out_units[i].ns;
        /* Whole part >= 1 too: 250 ns reads "250ns", not "0.25us". */
        if (t % (u / 1000) != 0 || (t < u && t != 0))
            continue;
        unsigned long long whole = t / u;
        unsigned milli = (unsigned)((t % u) / (u / 1000));
        if (milli == 0) {
            snprintf(buf, SIM_TIME_STRLEN, "%llu%s", whole, out_units[i].name);
        } else {
            char frac[4] = {(char)('0' + milli / 100), (char)('0' + milli / 10 % 10),
                            (char)('0' + milli % 10), '\0'};
            for (int k = 2; k > 0 && frac[k] == '0'; k--)
                frac[k] = '\0';
            snprintf(buf, SIM_TIME_STRLEN, "%llu.%s%s", whole, frac, out_units[i].name);
        }
        return buf;
    }
    snprintf(buf, SIM_TIME_STRLEN, "%lluns", (unsigned long long)t);
    return buf;
}

char *sim_time_format_sec(SimTime t, char *buf)
{
    snprintf(buf, SIM_TIME_STRLEN, "%llu.%09llu", (unsigned long long)(t / SIM_SEC),
             (unsigned long long)(t % SIM_SEC));
    return buf;
}

gboolean sim_time_add(SimTime a, SimTime b, SimTime *out)
{
    SimTime sum;
    if (__builtin_add_overflow(a, b, &sum))
        return FALSE;
    *out = sum;
    return TRUE;
}

/* test_simtime.c - parsing and formatting simulated time. */
#include <criterion/criterion.h>

#include "sim/core/simtime.h"

static SimTime parse_ok(const char *s)
{
    SimTime t = 12345;
    g_autoptr(GError) err = NULL;
    cr_assert(sim_time_parse(s, &t, &err), "'%s': %s", s, err ? err->message : "");
    cr_assert_null(err);
    return t;
}

Test(simtime, parse_units)
{
    cr_assert_eq(parse_ok("0"), 0);
    cr_assert_eq(parse_ok("0s"), 0);
    cr_assert_eq(parse_ok("250ns"), 250);
    cr_assert_eq(parse_ok("3us"), 3 * SIM_US);
    cr_assert_eq(parse_ok("1.5ms"), 1500 * SIM_US);
    cr_assert_eq(parse_ok("2s"), 2 * SIM_SEC);
    cr_assert_eq(parse_ok("1m"), 60 * SIM_SEC);
    cr_assert_eq(parse_ok("1h"), 3600 * SIM_SEC);
    cr_assert_eq(parse_ok("1.5m"), 90 * SIM_SEC);
    cr_assert_eq(parse_ok("0.25h"), 900 * SIM_SEC);
    cr_assert_eq(parse_ok("300s"), 300 * SIM_SEC);
    cr_assert_eq(parse_ok("007ms"), 7 * SIM_MS, "leading zeros are harmless here");
}

Test(simtime, parse_fractions_exactly)
{
    /* 0.3 is not representable in binary; a strtod-based parser gets this
     * wrong by one nanosecond. */
    cr_assert_eq(parse_ok("0.3ms"), 300000);
    cr_assert_eq(parse_ok("0.000000001s"), 1);
    cr_assert_eq(parse_ok("1.001us"), 1001);
    cr_assert_eq(parse_ok("1.0ns"), 1, "a zero fraction is still exact");
    cr_assert_eq(parse_ok("1.500000000000000000000000000ms"), 1500000, "trailing zeros");
    cr_assert_eq(parse_ok("0.0000000001h"), 360);
    /* 13 significant decimals, yet exact: 5^13 / 10^13 h = 3.6e12 / 2^13 ns. */
    cr_assert_eq(parse_ok("0.0001220703125h"), 439453125);
    cr_assert_eq(parse_ok("123456.789123456s"), UINT64_C(123456789123456));
}

Test(simtime, parse_limits)
{
    cr_assert_eq(parse_ok("18446744073709551615ns"), SIM_TIME_MAX);
    cr_assert_eq(parse_ok("18446744073.709551615s"), SIM_TIME_MAX);
    cr_assert_eq(parse_ok("5124095h"), UINT64_C(5124095) * 3600 * SIM_SEC);
}

static void assert_rejected(const char *input, SimTimeError code, const char *message)
{
    SimTime t = 777;
    g_autoptr(GError) err = NULL;
    cr_assert_not(sim_time_parse(input, &t, &err), "accepted '%s'", input);
    cr_assert(g_error_matches(err, SIM_TIME_ERROR, code), "'%s': wrong domain/code", input);
    cr_assert_str_eq(err->message, message);
    cr_assert_eq(t, 777, "output untouched on error");
}

#define INVALID SIM_TIME_ERROR_INVALID
#define OVERFLOW SIM_TIME_ERROR_OVERFLOW
#define UNITS "ns, us, ms, s, m or h"
#define MAXMSG "overflow: the maximum is 18446744073709551615ns (about 584 years)"

Test(simtime, rejects_with_reason)
{
    assert_rejected("", INVALID, "'': empty time");
    assert_rejected("1.5ns", INVALID, "'1.5ns': fraction is finer than 1ns");
    assert_rejected("1.0001us", INVALID, "'1.0001us': fraction is finer than 1ns");
    assert_rejected("0.0000000001s", INVALID, "'0.0000000001s': fraction is finer than 1ns");
    assert_rejected("0.00000000000001h", INVALID,
                    "'0.00000000000001h': fraction is finer than 1ns");
    assert_rejected("1.0000000000000000000000001s", INVALID,
                    "'1.0000000000000000000000001s': fraction is finer than 1ns");
    assert_rejected("-1s", INVALID, "'-1s': negative times are not allowed");
    assert_rejected("10", INVALID, "'10': missing unit (" UNITS ")");
    assert_rejected("1.5", INVALID, "'1.5': missing unit (" UNITS ")");
    assert_rejected("00", INVALID, "'00': missing unit (" UNITS ")");
    assert_rejected("10x", INVALID, "'10x': unknown unit 'x' (expected " UNITS ")");
    assert_rejected("10 ms", INVALID, "'10 ms': unknown unit ' ms' (expected " UNITS ")");
    assert_rejected("10ms ", INVALID, "'10ms ': unknown unit 'ms ' (expected " UNITS ")");
    assert_rejected("10MS", INVALID, "'10MS': unknown unit 'MS' (expected " UNITS ")");
    assert_rejected("10sec", INVALID, "'10sec': unknown unit 'sec' (expected " UNITS ")");
    assert_rejected("1.2.3s", INVALID, "'1.2.3s': more than one decimal point");
    assert_rejected("ms", INVALID, "'ms': expected a number before the unit");
    assert_rejected(".5s", INVALID, "'.5s': expected a number before the unit");
    assert_rejected(" 1s", INVALID, "' 1s': expected a number before the unit");
    assert_rejected("+1s", INVALID, "'+1s': expected a number before the unit");
    assert_rejected("5.s", INVALID, "'5.s': expected a digit after '.'");
    assert_rejected("999999999999h", OVERFLOW, "'999999999999h': " MAXMSG);
    assert_rejected("18446744073709551616ns", OVERFLOW, "'18446744073709551616ns': " MAXMSG);
    assert_rejected("18446744073.709551616s", OVERFLOW, "'18446744073.709551616s': " MAXMSG);
    assert_rejected("5124096h", OVERFLOW, "'5124096h': " MAXMSG);
    assert_rejected("99999999999999999999999999999999999999999999ns", OVERFLOW,
                    "'99999999999999999999999999999999999999999999ns': " MAXMSG);
}

static const char *fmt(SimTime t)
{
    static char buf[SIM_TIME_STRLEN];
    return sim_time_format(t, buf);
}

Test(simtime, format_picks_largest_exact_unit)
{
    cr_assert_str_eq(fmt(0), "0s");
    cr_assert_str_eq(fmt(1), "1ns");
    cr_assert_str_eq(fmt(250), "250ns");
    cr_assert_str_eq(fmt(1000), "1us");
    cr_assert_str_eq(fmt(1500), "1.5us");
    cr_assert_str_eq(fmt(1501), "1.501us");
    cr_assert_str_eq(fmt(999), "999ns");
    cr_assert_str_eq(fmt(1234567), "1234.567us");
    cr_assert_str_eq(fmt(1000001), "1000.001us");
    cr_assert_str_eq(fmt(1500000), "1.5ms");
    cr_assert_str_eq(fmt(1234000), "1.234ms");
    cr_assert_str_eq(fmt(1234500), "1234.5us");
    cr_assert_str_eq(fmt(2000000000), "2s");
    cr_assert_str_eq(fmt(2050000000), "2.05s");
    cr_assert_str_eq(fmt(60 * SIM_SEC), "60s", "minutes are input-only");
    cr_assert_str_eq(fmt(5 * SIM_US), "5us");
    cr_assert_str_eq(fmt(SIM_TIME_MAX), "18446744073709551.615us");
    cr_assert_str_eq(fmt(SIM_TIME_MAX - SIM_TIME_MAX % SIM_MS), "18446744073.709s");
}

Test(simtime, format_round_trips)
{
    char buf[SIM_TIME_STRLEN];
    GRand *rng = g_rand_new_with_seed(42);
    for (int i = 0; i < 100000; i++) {
        SimTime t = ((SimTime)g_rand_int(rng) << 32) | g_rand_int(rng);
        /* Bias towards round values so every unit and decimal count shows. */
        static const SimTime round_to[] = {1, 10, 1000, 100000, 1000000, 1000000000};
        t = t >> g_rand_int_range(rng, 0, 64);
        t -= t % round_to[g_rand_int_range(rng, 0, G_N_ELEMENTS(round_to))];
        sim_time_format(t, buf);
        cr_assert_eq(parse_ok(buf), t, "'%s' for %" G_GUINT64_FORMAT, buf, (guint64)t);
    }
    g_rand_free(rng);
}

Test(simtime, format_sec)
{
    char buf[SIM_TIME_STRLEN];
    cr_assert_str_eq(sim_time_format_sec(0, buf), "0.000000000");
    cr_assert_str_eq(sim_time_format_sec(12300, buf), "0.000012300");
    cr_assert_str_eq(sim_time_format_sec(2 * SIM_SEC + 5, buf), "2.000000005");
    cr_assert_str_eq(sim_time_format_sec(SIM_TIME_MAX, buf), "18446744073.709551615");
}

Test(simtime, add_checks_overflow)
{
    SimTime out = 9;
    cr_assert(sim_time_add(1, 2, &out));
    cr_assert_eq(out, 3);
    cr_assert(sim_time_add(SIM_TIME_MAX - 1, 1, &out));
    cr_assert_eq(out, SIM_TIME_MAX);
    out = 9;
    cr_assert_not(sim_time_add(SIM_TIME_MAX, 1, &out));
    cr_assert_not(sim_time_add(SIM_TIME_MAX / 2 + 1, SIM_TIME_MAX / 2 + 1, &out));
    cr_assert_eq(out, 9, "output untouched on overflow");
}

/* test_addr.c - MAC, IPv4 and prefix value types. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/net/addr.h"

/* ---- MAC ---------------------------------------------------------------- */

Test(mac, parse_colon_and_dash_any_case)
{
    SimMac m;
    char buf[SIM_MAC_STRLEN];
    cr_assert(sim_mac_parse("00:0a:a4:2a:3e:4b", &m, NULL));
    cr_assert_str_eq(sim_mac_format(&m, buf), "00:0a:a4:2a:3e:4b");
    cr_assert(sim_mac_parse("00-0A-A4-2a-3E-4b", &m, NULL));
    cr_assert_str_eq(sim_mac_format(&m, buf), "00:0a:a4:2a:3e:4b");
    cr_assert_eq(m.b[0], 0x00);
    cr_assert_eq(m.b[2], 0xa4);
    cr_assert_eq(m.b[5], 0x4b);
}

Test(mac, round_trip_many)
{
    char buf[SIM_MAC_STRLEN];
    for (uint64_t v = 0; v < (UINT64_C(1) << 48); v += UINT64_C(0x0001234567891)) {
        SimMac m = sim_mac_from_u64(v), back;
        cr_assert_eq(sim_mac_to_u64(&m), v);
        sim_mac_format(&m, buf);
        cr_assert_eq(strlen(buf), SIM_MAC_STRLEN - 1);
        cr_assert(sim_mac_parse(buf, &back, NULL), "%s", buf);
        cr_assert(sim_mac_equal(&m, &back));
    }
}

Test(mac, u64_is_big_endian_48_bits)
{
    SimMac m = {{0x00, 0x0a, 0xa4, 0x2a, 0x3e, 0x4b}};
    cr_assert_eq(sim_mac_to_u64(&m), UINT64_C(0x000aa42a3e4b));
    SimMac hi = sim_mac_from_u64(UINT64_C(0xabcd112233445566));
    cr_assert_eq(sim_mac_to_u64(&hi), UINT64_C(0x112233445566), "upper 16 bits are dropped");
}

Test(mac, predicates)
{
    SimMac uni, mcast;
    cr_assert(sim_mac_is_broadcast(&SIM_MAC_BROADCAST));
    cr_assert(sim_mac_is_multicast(&SIM_MAC_BROADCAST));
    cr_assert_not(sim_mac_is_broadcast(&SIM_MAC_ZERO));
    cr_assert_not(sim_mac_is_multicast(&SIM_MAC_ZERO));
    cr_assert(sim_mac_parse("01:00:5e:00:00:01", &mcast, NULL));
    cr_assert(sim_mac_is_multicast(&mcast));
    cr_assert_not(sim_mac_is_broadcast(&mcast));
    cr_assert(sim_mac_parse("00:0a:a4:2a:3e:4b", &uni, NULL));
    cr_assert_not(sim_mac_is_multicast(&uni));
    cr_assert_not(sim_mac_equal(&uni, &mcast));
}

Test(mac, local_is_deterministic_unique_and_local_unicast)
{
    char buf[SIM_MAC_STRLEN];
    SimMac m0 = sim_mac_local(0);
    cr_assert_str_eq(sim_mac_format(&m0, buf), "02:00:00:00:00:01");
    SimMac m1 = sim_mac_local(0x12345678);
    cr_assert_str_eq(sim_mac_format(&m1, buf), "02:00:12:34:56:79");
    SimMac last = sim_mac_local(UINT32_MAX);
    cr_assert_str_eq(sim_mac_format(&last, buf), "02:01:00:00:00:00");
    SimMac again = sim_mac_local(0x12345678);
    cr_assert(sim_mac_equal(&m1, &again));
    for (uint32_t i = 0; i < 1000; i++) {
        SimMac a = sim_mac_local(i), b = sim_mac_local(i + 1);
        cr_assert_not(sim_mac_equal(&a, &b));
        cr_assert_eq(a.b[0] & 0x03, 0x02, "locally administered unicast");
    }
}

static void assert_mac_rejected(const char *input, const char *message)
{
    SimMac m = sim_mac_local(7), before = m;
    g_autoptr(GError) err = NULL;
    cr_assert_not(sim_mac_parse(input, &m, &err), "accepted '%s'", input);
    cr_assert_not_null(err);
    cr_assert(g_error_matches(err, SIM_ADDR_ERROR, SIM_ADDR_ERROR_INVALID));
    cr_assert_str_eq(err->message, message);
    cr_assert(sim_mac_equal(&m, &before), "output untouched on error");
}

Test(mac, rejects_with_reason)
{
    assert_mac_rejected("", "'': empty MAC address");
    assert_mac_rejected("00:11:22:33:44", "'00:11:22:33:44': expected 6 bytes, got 5");
    assert_mac_rejected("00:11:22:33:44:55:66", "'00:11:22:33:44:55:66': expected 6 bytes, got 7");
    assert_mac_rejected("00:11-22:33:44:55", "'00:11-22:33:44:55': mixed ':' and '-' separators");
    assert_mac_rejected("00-11-22-33-44:55", "'00-11-22-33-44:55': mixed ':' and '-' separators");
    assert_mac_rejected("0:11:22:33:44:55",
                        "'0:11:22:33:44:55': byte 1 '0' must be exactly 2 hex digits");
    assert_mac_rejected("00:11:22:33:44:555",
                        "'00:11:22:33:44:555': byte 6 '555' must be exactly 2 hex digits");
    assert_mac_rejected("00:11:22:33:44:5g", "'00:11:22:33:44:5g': unexpected character 'g'");
    assert_mac_rejected("00:11:22:33:44:55 ", "'00:11:22:33:44:55 ': unexpected character ' '");
    assert_mac_rejected(" 00:11:22:33:44:55", "' 00:11:22:33:44:55': unexpected character ' '");
    assert_mac_rejected("00:11:22:33:44:55:", "'00:11:22:33:44:55:': byte 7 is empty");
    assert_mac_rejected("00::22:33:44:55", "'00::22:33:44:55': byte 2 is empty");
    assert_mac_rejected("001122334455",
                        "'001122334455': byte 1 '001122334455' must be exactly 2 hex digits");
    assert_mac_rejected("0011.2233.4455", "'0011.2233.4455': unexpected character '.'");
    assert_mac_rejected("00:11:22:33:44:55\n", "'00:11:22:33:44:55\\n': unexpected character 0x0a");
}

Test(mac, null_error_is_allowed)
{
    SimMac m;
    cr_assert_not(sim_mac_parse("zz", &m, NULL));
}

/* ---- IPv4 --------------------------------------------------------------- */

Test(ipv4, parse_and_format)
{
    SimIpv4 a;
    char buf[SIM_IPV4_STRLEN];
    cr_assert(sim_ipv4_parse("192.168.10.1", &a, NULL));
    cr_assert_eq(a, 0xc0a80a01u, "host byte order");
    cr_assert_str_eq(sim_ipv4_format(a, buf), "192.168.10.1");
    cr_assert(sim_ipv4_parse("0.0.0.0", &a, NULL));
    cr_assert_eq(a, 0);
    cr_assert(sim_ipv4_parse("255.255.255.255", &a, NULL));
    cr_assert_eq(a, UINT32_MAX);
    cr_assert_str_eq(sim_ipv4_format(a, buf), "255.255.255.255");
    cr_assert(sim_ipv4_parse("10.0.100.0", &a, NULL), "zero octets and inner zeros are fine");
    cr_assert_eq(a, 0x0a006400u);
}

Test(ipv4, round_trip_many)
{
    char buf[SIM_IPV4_STRLEN];
    GRand *rng = g_rand_new_with_seed(1);
    for (int i = 0; i < 20000; i++) {
        SimIpv4 a = g_rand_int(rng), back = ~a;
        cr_assert(sim_ipv4_parse(sim_ipv4_format(a, buf), &back, NULL), "%s", buf);
        cr_assert_eq(back, a);
    }
    g_rand_free(rng);
}

Test(ipv4, masks)
{
    cr_assert_eq(sim_ipv4_mask(0), 0);
    cr_assert_eq(sim_ipv4_mask(1), 0x80000000u);
    cr_assert_eq(sim_ipv4_mask(8), 0xff000000u);
    cr_assert_eq(sim_ipv4_mask(24), 0xffffff00u);
    cr_assert_eq(sim_ipv4_mask(31), 0xfffffffeu);
    cr_assert_eq(sim_ipv4_mask(32), 0xffffffffu);
    for (uint8_t len = 0; len <= 32; len++) {
        uint8_t back = 99;
        cr_assert(sim_ipv4_mask_len(sim_ipv4_mask(len), &back));
        cr_assert_eq(back, len);
    }
    uint8_t l = 99;
    cr_assert_not(sim_ipv4_mask_len(0xff00ff00u, &l));
    cr_assert_not(sim_ipv4_mask_len(0x00ffffffu, &l));
    cr_assert_not(sim_ipv4_mask_len(0x00000001u, &l));
    cr_assert_not(sim_ipv4_mask_len(0xfffffffdu, &l));
    cr_assert_eq(l, 99, "len untouched for a bad mask");
}

static void assert_ipv4_rejected(const char *input, const char *message)
{
    SimIpv4 a = 0x01020304;
    g_autoptr(GError) err = NULL;
    cr_assert_not(sim_ipv4_parse(input, &a, &err), "accepted '%s'", input);
    cr_assert(g_error_matches(err, SIM_ADDR_ERROR, SIM_ADDR_ERROR_INVALID));
    cr_assert_str_eq(err->message, message);
    cr_assert_eq(a, 0x01020304, "output untouched on error");
}

Test(ipv4, rejects_with_reason)
{
    assert_ipv4_rejected("", "'': empty IPv4 address");
    assert_ipv4_rejected("300.1.1.1", "'300.1.1.1': octet 300 is out of range 0-255");
    assert_ipv4_rejected("1.2.3.256", "'1.2.3.256': octet 256 is out of range 0-255");
    assert_ipv4_rejected("1.2.3.99999999999999999999",
                         "'1.2.3.99999999999999999999': octet 99999999999999999999 is out of "
                         "range 0-255");
    assert_ipv4_rejected("1.2.3", "'1.2.3': expected 4 octets, got 3");
    assert_ipv4_rejected("1.2.3.4.5", "'1.2.3.4.5': expected 4 octets, got 5");
    assert_ipv4_rejected("1", "'1': expected 4 octets, got 1");
    assert_ipv4_rejected("01.2.3.4", "'01.2.3.4': octet '01' has a leading zero (ambiguous octal)");
    assert_ipv4_rejected("1.2.3.00", "'1.2.3.00': octet '00' has a leading zero (ambiguous octal)");
    assert_ipv4_rejected("1..3.4", "'1..3.4': octet 2 is empty");
    assert_ipv4_rejected(".1.2.3", "'.1.2.3': octet 1 is empty");
    assert_ipv4_rejected("1.2.3.4.", "'1.2.3.4.': octet 5 is empty");
    assert_ipv4_rejected("1.2.3.4 ", "'1.2.3.4 ': unexpected character ' '");
    assert_ipv4_rejected(" 1.2.3.4", "' 1.2.3.4': unexpected character ' '");
    assert_ipv4_rejected("1.2.3.4x", "'1.2.3.4x': unexpected character 'x'");
    assert_ipv4_rejected("-1.2.3.4", "'-1.2.3.4': unexpected character '-'");
    assert_ipv4_rejected("+1.2.3.4", "'+1.2.3.4': unexpected character '+'");
    assert_ipv4_rejected("0x1.2.3.4", "'0x1.2.3.4': unexpected character 'x'");
    assert_ipv4_rejected("1.2.3.4/24", "'1.2.3.4/24': unexpected character '/'");
    assert_ipv4_rejected("1,2,3,4", "'1,2,3,4': unexpected character ','");
    assert_ipv4_rejected("1.2.3.4\t", "'1.2.3.4\\t': unexpected character 0x09");
    assert_ipv4_rejected("a.b.c.d", "'a.b.c.d': unexpected character 'a'");
}

/* ---- prefix ------------------------------------------------------------- */

Test(prefix, parse_and_format)
{
    SimPrefix p;
    bool hb = true;
    char buf[SIM_PREFIX_STRLEN];
    cr_assert(sim_prefix_parse("192.168.10.0/24", &p, &hb, NULL));
    cr_assert_eq(p.addr, 0xc0a80a00u);
    cr_assert_eq(p.len, 24);
    cr_assert_not(hb);
    cr_assert_str_eq(sim_prefix_format(&p, buf), "192.168.10.0/24");

    cr_assert(sim_prefix_parse("192.168.10.77/24", &p, &hb, NULL));
    cr_assert(hb, "host bits reported");
    cr_assert_eq(p.addr, 0xc0a80a4du, "host bits kept");
    cr_assert_str_eq(sim_prefix_format(&p, buf), "192.168.10.77/24");
    cr_assert_eq(sim_prefix_network(&p), 0xc0a80a00u);
    cr_assert_eq(sim_prefix_broadcast(&p), 0xc0a80affu);

    cr_assert(sim_prefix_parse("255.255.255.255/32", &p, NULL, NULL), "NULL host_bits_set ok");
    cr_assert_str_eq(sim_prefix_format(&p, buf), "255.255.255.255/32");
    cr_assert_eq(strlen(buf), SIM_PREFIX_STRLEN - 1);

    cr_assert(sim_prefix_parse("0.0.0.0/0", &p, &hb, NULL));
    cr_assert_not(hb);
    cr_assert_eq(sim_prefix_network(&p), 0);
    cr_assert_eq(sim_prefix_broadcast(&p), UINT32_MAX);

    cr_assert(sim_prefix_parse("1.2.3.4/0", &p, &hb, NULL));
    cr_assert(hb);
}

Test(prefix, round_trip_many)
{
    char buf[SIM_PREFIX_STRLEN];
    GRand *rng = g_rand_new_with_seed(2);
    for (int i = 0; i < 20000; i++) {
        SimPrefix p = {.addr = g_rand_int(rng), .len = (uint8_t)g_rand_int_range(rng, 0, 33)};
        SimPrefix back = {0};
        bool hb;
        cr_assert(sim_prefix_parse(sim_prefix_format(&p, buf), &back, &hb, NULL), "%s", buf);
        cr_assert_eq(back.addr, p.addr);
        cr_assert_eq(back.len, p.len);
        cr_assert_eq(hb, sim_prefix_network(&p) != p.addr);
    }
    g_rand_free(rng);
}

static SimPrefix pfx(const char *s)
{
    SimPrefix p;
    g_autoptr(GError) err = NULL;
    cr_assert(sim_prefix_parse(s, &p, NULL, &err), "%s", err ? err->message : "");
    return p;
}

static SimIpv4 ip(const char *s)
{
    SimIpv4 a;
    cr_assert(sim_ipv4_parse(s, &a, NULL), "%s", s);
    return a;
}

Test(prefix, contains)
{
    SimPrefix p = pfx("192.168.10.77/24");
    cr_assert(sim_prefix_contains(&p, ip("192.168.10.0")));
    cr_assert(sim_prefix_contains(&p, ip("192.168.10.255")));
    cr_assert_not(sim_prefix_contains(&p, ip("192.168.11.0")));
    cr_assert_not(sim_prefix_contains(&p, ip("192.168.9.255")));
    SimPrefix all = pfx("0.0.0.0/0");
    cr_assert(sim_prefix_contains(&all, ip("255.255.255.255")));
    cr_assert(sim_prefix_contains(&all, 0));
    SimPrefix one = pfx("10.0.0.1/32");
    cr_assert(sim_prefix_contains(&one, ip("10.0.0.1")));
    cr_assert_not(sim_prefix_contains(&one, ip("10.0.0.0")));
    SimPrefix p2p = pfx("10.0.0.0/31");
    cr_assert(sim_prefix_contains(&p2p, ip("10.0.0.1")));
    cr_assert_not(sim_prefix_contains(&p2p, ip("10.0.0.2")));
}

Test(prefix, overlaps)
{
    SimPrefix a = pfx("10.0.0.0/8"), b = pfx("10.20.0.0/16"), c = pfx("11.0.0.0/8");
    SimPrefix d = pfx("10.20.30.40/32"), all = pfx("0.0.0.0/0");
    cr_assert(sim_prefix_overlaps(&a, &b));
    cr_assert(sim_prefix_overlaps(&b, &a), "symmetric");
    cr_assert_not(sim_prefix_overlaps(&a, &c));
    cr_assert_not(sim_prefix_overlaps(&c, &a));
    cr_assert(sim_prefix_overlaps(&b, &d));
    cr_assert(sim_prefix_overlaps(&all, &c));
    cr_assert(sim_prefix_overlaps(&a, &a));
    SimPrefix x = pfx("192.168.1.0/25"), y = pfx("192.168.1.128/25"), z = pfx("192.168.1.5/24");
    cr_assert_not(sim_prefix_overlaps(&x, &y), "adjacent halves do not overlap");
    cr_assert(sim_prefix_overlaps(&x, &z), "host bits of the longer side are ignored");
    cr_assert(sim_prefix_overlaps(&y, &z));
}

static void assert_prefix_rejected(const char *input, const char *message)
{
    SimPrefix p = {.addr = 42, .len = 7};
    bool hb = true;
    g_autoptr(GError) err = NULL;
    cr_assert_not(sim_prefix_parse(input, &p, &hb, &err), "accepted '%s'", input);
    cr_assert(g_error_matches(err, SIM_ADDR_ERROR, SIM_ADDR_ERROR_INVALID));
    cr_assert_str_eq(err->message, message);
    cr_assert(p.addr == 42 && p.len == 7, "output untouched on error");
}

Test(prefix, rejects_with_reason)
{
    assert_prefix_rejected("", "'': empty prefix");
    assert_prefix_rejected("10.0.0.0", "'10.0.0.0': missing '/length' (write e.g. 10.0.0.0/8)");
    assert_prefix_rejected("10.0.0.0/33", "'10.0.0.0/33': prefix length 33 is out of range 0-32");
    assert_prefix_rejected("10.0.0.0/99", "'10.0.0.0/99': prefix length 99 is out of range 0-32");
    assert_prefix_rejected("10.0.0.0/4294967320",
                           "'10.0.0.0/4294967320': prefix length 4294967320 is out of range 0-32");
    assert_prefix_rejected("10.0.0.0/", "'10.0.0.0/': prefix length is empty");
    assert_prefix_rejected("10.0.0.0/08", "'10.0.0.0/08': prefix length '08' has a leading zero");
    assert_prefix_rejected("10.0.0.0/-1",
                           "'10.0.0.0/-1': prefix length '-1' is not a decimal number");
    assert_prefix_rejected("10.0.0.0/24 ",
                           "'10.0.0.0/24 ': prefix length '24 ' is not a decimal number");
    assert_prefix_rejected("10.0.0.0/24/8",
                           "'10.0.0.0/24/8': prefix length '24/8' is not a decimal number");
    assert_prefix_rejected("10.0.0/8", "'10.0.0/8': expected 4 octets, got 3");
    assert_prefix_rejected("10.0.0.256/8", "'10.0.0.256/8': octet 256 is out of range 0-255");
    assert_prefix_rejected("/8", "'/8': empty IPv4 address");
    assert_prefix_rejected("010.0.0.0/8",
                           "'010.0.0.0/8': octet '010' has a leading zero (ambiguous octal)");
}

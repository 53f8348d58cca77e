/* test_subnet.c - the `netsim subnet` report. */
#include <criterion/criterion.h>

#include "sim/net/addr.h"
#include "sim/net/subnet.h"

#include <string.h>

static void assert_report(const char *input, const char *expected)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *r = sim_subnet_report(input, &err);
    cr_assert_not_null(r, "'%s': %s", input, err ? err->message : "");
    cr_assert_null(err);
    cr_assert_str_eq(r, expected);
}

static void assert_rejected(const char *input, const char *message)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *r = sim_subnet_report(input, &err);
    cr_assert_null(r, "accepted '%s'", input);
    cr_assert(g_error_matches(err, SIM_ADDR_ERROR, SIM_ADDR_ERROR_INVALID));
    cr_assert_str_eq(err->message, message);
}

Test(subnet, slash24_with_host_bits)
{
    assert_report(
        "192.168.10.77/24",
        "Address:   192.168.10.77/24     11000000.10101000.00001010. 01001101\n"
        "Network:   192.168.10.0/24      11000000.10101000.00001010. 00000000\n"
        "Netmask:   255.255.255.0 = 24   11111111.11111111.11111111. 00000000\n"
        "Wildcard:  0.0.0.255            00000000.00000000.00000000. 11111111\n"
        "Broadcast: 192.168.10.255       11000000.10101000.00001010. 11111111\n"
        "HostMin:   192.168.10.1         11000000.10101000.00001010. 00000001\n"
        "HostMax:   192.168.10.254       11000000.10101000.00001010. 11111110\n"
        "Hosts:     254\n"
        "Kind:      private, RFC 1918 (not routed on the Internet; reaches it through NAT)\n");
}

Test(subnet, slash8)
{
    assert_report(
        "10.0.0.0/8",
        "Address:   10.0.0.0/8           00001010. 00000000.00000000.00000000\n"
        "Network:   10.0.0.0/8           00001010. 00000000.00000000.00000000\n"
        "Netmask:   255.0.0.0 = 8        11111111. 00000000.00000000.00000000\n"
        "Wildcard:  0.255.255.255        00000000. 11111111.11111111.11111111\n"
        "Broadcast: 10.255.255.255       00001010. 11111111.11111111.11111111\n"
        "HostMin:   10.0.0.1             00001010. 00000000.00000000.00000001\n"
        "HostMax:   10.255.255.254       00001010. 11111111.11111111.11111110\n"
        "Hosts:     16777214\n"
        "Kind:      private, RFC 1918 (not routed on the Internet; reaches it through NAT)\n");
}

Test(subnet, slash0)
{
    assert_report("0.0.0.0/0",
                  "Address:   0.0.0.0/0            00000000.00000000.00000000.00000000\n"
                  "Network:   0.0.0.0/0            00000000.00000000.00000000.00000000\n"
                  "Netmask:   0.0.0.0 = 0          00000000.00000000.00000000.00000000\n"
                  "Wildcard:  255.255.255.255      11111111.11111111.11111111.11111111\n"
                  "Broadcast: 255.255.255.255      11111111.11111111.11111111.11111111\n"
                  "HostMin:   0.0.0.1              00000000.00000000.00000000.00000001\n"
                  "HostMax:   255.255.255.254      11111111.11111111.11111111.11111110\n"
                  "Hosts:     4294967294\n"
                  "Kind:      \"this network\", RFC 1122 (a source address only, before a host "
                  "knows its own)\n");
}

Test(subnet, slash30)
{
    assert_report("100.64.0.2/30",
                  "Address:   100.64.0.2/30        01100100.01000000.00000000.000000 10\n"
                  "Network:   100.64.0.0/30        01100100.01000000.00000000.000000 00\n"
                  "Netmask:   255.255.255.252 = 30 11111111.11111111.11111111.111111 00\n"
                  "Wildcard:  0.0.0.3              00000000.00000000.00000000.000000 11\n"
                  "Broadcast: 100.64.0.3           01100100.01000000.00000000.000000 11\n"
                  "HostMin:   100.64.0.1           01100100.01000000.00000000.000000 01\n"
                  "HostMax:   100.64.0.2           01100100.01000000.00000000.000000 10\n"
                  "Hosts:     2\n"
                  "Kind:      shared address space, RFC 6598 (inside a carrier-grade NAT)\n");
}

Test(subnet, slash31_rfc3021)
{
    assert_report(
        "10.1.1.1/31",
        "Address:   10.1.1.1/31          00001010.00000001.00000001.0000000 1\n"
        "Network:   10.1.1.0/31          00001010.00000001.00000001.0000000 0\n"
        "Netmask:   255.255.255.254 = 31 11111111.11111111.11111111.1111111 0\n"
        "Wildcard:  0.0.0.1              00000000.00000000.00000000.0000000 1\n"
        "Broadcast: none (/31 point-to-point link, RFC 3021)\n"
        "HostMin:   10.1.1.0             00001010.00000001.00000001.0000000 0\n"
        "HostMax:   10.1.1.1             00001010.00000001.00000001.0000000 1\n"
        "Hosts:     2\n"
        "Kind:      private, RFC 1918 (not routed on the Internet; reaches it through NAT)\n");
}

Test(subnet, slash32_single_host)
{
    assert_report("203.0.113.10/32",
                  "Address:   203.0.113.10/32      11001011.00000000.01110001.00001010\n"
                  "Network:   203.0.113.10/32      11001011.00000000.01110001.00001010\n"
                  "Netmask:   255.255.255.255 = 32 11111111.11111111.11111111.11111111\n"
                  "Wildcard:  0.0.0.0              00000000.00000000.00000000.00000000\n"
                  "Broadcast: none (/32 is a single host)\n"
                  "HostMin:   203.0.113.10         11001011.00000000.01110001.00001010\n"
                  "HostMax:   203.0.113.10         11001011.00000000.01110001.00001010\n"
                  "Hosts:     1\n"
                  "Kind:      documentation (TEST-NET-3), RFC 5737 (for examples; not routed)\n");
}

Test(subnet, netmask_form)
{
    assert_report(
        "192.168.1.9 255.255.255.128",
        "Address:   192.168.1.9/25       11000000.10101000.00000001.0 0001001\n"
        "Network:   192.168.1.0/25       11000000.10101000.00000001.0 0000000\n"
        "Netmask:   255.255.255.128 = 25 11111111.11111111.11111111.1 0000000\n"
        "Wildcard:  0.0.0.127            00000000.00000000.00000000.0 1111111\n"
        "Broadcast: 192.168.1.127        11000000.10101000.00000001.0 1111111\n"
        "HostMin:   192.168.1.1          11000000.10101000.00000001.0 0000001\n"
        "HostMax:   192.168.1.126        11000000.10101000.00000001.0 1111110\n"
        "Hosts:     126\n"
        "Kind:      private, RFC 1918 (not routed on the Internet; reaches it through NAT)\n");
}

Test(subnet, invalid_input)
{
    assert_rejected("", "'': empty prefix");
    assert_rejected("192.168.1.0", "'192.168.1.0': missing '/length' (write e.g. 10.0.0.0/8)");
    assert_rejected("10.0.0.0/33", "'10.0.0.0/33': prefix length 33 is out of range 0-32");
    assert_rejected("300.0.0.0/8", "'300.0.0.0/8': octet 300 is out of range 0-255");
    assert_rejected("192.168.1.0 255.0.255.0",
                    "'192.168.1.0 255.0.255.0': netmask 255.0.255.0 is not contiguous");
    assert_rejected("192.168.1.0 255.255.255", "'255.255.255': expected 4 octets, got 3");
    assert_rejected("192.168.1.0/24 ", "'192.168.1.0/24 ': prefix length '24 ' is not a decimal "
                                       "number");
}

/* A dotted netmask after the slash, as ipcalc accepts it. */
Test(subnet, slash_netmask_form)
{
    g_autofree char *a = sim_subnet_report("10.1.2.3/255.255.255.0", NULL);
    g_autofree char *b = sim_subnet_report("10.1.2.3/24", NULL);
    cr_assert_not_null(a);
    cr_assert_str_eq(a, b);
    assert_rejected("10.1.2.3/255.0.255.0",
                    "'10.1.2.3/255.0.255.0': netmask 255.0.255.0 is not contiguous");
    assert_rejected("10.1.2.3/255.255.0", "'255.255.0': expected 4 octets, got 3");
}

static void assert_kind(const char *prefix, const char *kind)
{
    g_autofree char *r = sim_subnet_report(prefix, NULL);
    cr_assert_not_null(r, "%s", prefix);
    const char *k = strstr(r, "\nKind:      ");
    cr_assert(k, "%s", r);
    cr_assert(g_str_has_prefix(k + strlen("\nKind:      "), kind), "%s: %s", prefix, k);
}

/* What the seed's chapter teaches: the special-purpose blocks (RFC 6890). */
Test(subnet, address_kinds)
{
    assert_kind("10.255.255.255/8", "private, RFC 1918");
    assert_kind("172.16.0.1/12", "private, RFC 1918");
    assert_kind("172.31.255.1/16", "private, RFC 1918");
    assert_kind("172.32.0.1/16", "public");
    assert_kind("172.15.255.255/16", "public");
    assert_kind("192.168.0.1/24", "private, RFC 1918");
    assert_kind("100.64.0.1/10", "shared address space, RFC 6598");
    assert_kind("100.127.255.254/10", "shared address space, RFC 6598");
    assert_kind("100.128.0.1/10", "public");
    assert_kind("127.0.0.1/8", "loopback");
    assert_kind("169.254.1.2/16", "link-local, RFC 3927");
    assert_kind("224.0.0.5/4", "multicast, RFC 5771");
    assert_kind("239.255.255.250/32", "multicast");
    assert_kind("203.0.113.10/24", "documentation (TEST-NET-3), RFC 5737");
    assert_kind("198.18.0.1/15", "benchmarking, RFC 2544");
    assert_kind("255.255.255.255/32", "limited broadcast");
    assert_kind("240.0.0.1/4", "reserved");
    assert_kind("8.8.8.8/32", "public");
}

/* Each line's binary form puts a space where the prefix ends. */
Test(subnet, binary_columns)
{
    g_autofree char *r = sim_subnet_report("172.20.5.9/20", NULL);
    cr_assert(strstr(r, "Address:   172.20.5.9/20        10101100.00010100.0000 0101.00001001\n"),
              "%s", r);
    cr_assert(strstr(r, "Netmask:   255.255.240.0 = 20   11111111.11111111.1111 0000.00000000\n"),
              "%s", r);
}

/* Several prefixes, and an address and a netmask as two arguments. */
Test(subnet, several_arguments)
{
    const char *args[] = {"192.168.10.0/24", "192.168.20.0/24", "10.0.0.9", "255.0.0.0"};
    g_autoptr(GError) err = NULL;
    g_autofree char *r = sim_subnet_report_args(args, G_N_ELEMENTS(args), &err);
    cr_assert_not_null(r, "%s", err ? err->message : "");
    g_autofree char *a = sim_subnet_report("192.168.10.0/24", NULL);
    g_autofree char *b = sim_subnet_report("192.168.20.0/24", NULL);
    g_autofree char *c = sim_subnet_report("10.0.0.9 255.0.0.0", NULL);
    g_autofree char *want = g_strdup_printf("%s\n%s\n%s", a, b, c);
    cr_assert_str_eq(r, want);
    const char *bad[] = {"192.168.10.0/24", "192.168.20.0/33"};
    g_autofree char *none = sim_subnet_report_args(bad, 2, &err);
    cr_assert_null(none);
    cr_assert_str_eq(err->message, "'192.168.20.0/33': prefix length 33 is out of range 0-32");
}

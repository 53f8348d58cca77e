/* test_subnet.c - the `netsim subnet` report. */
#include <criterion/criterion.h>

#include "sim/net/addr.h"
#include "sim/net/subnet.h"

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
    assert_report("192.168.10.77/24", "Address:   192.168.10.77/24\n"
                                      "Network:   192.168.10.0/24\n"
                                      "Netmask:   255.255.255.0 = 24\n"
                                      "Wildcard:  0.0.0.255\n"
                                      "Broadcast: 192.168.10.255\n"
                                      "HostMin:   192.168.10.1\n"
                                      "HostMax:   192.168.10.254\n"
                                      "Hosts:     254\n");
}

Test(subnet, slash8)
{
    assert_report("10.0.0.0/8", "Address:   10.0.0.0/8\n"
                                "Network:   10.0.0.0/8\n"
                                "Netmask:   255.0.0.0 = 8\n"
                                "Wildcard:  0.255.255.255\n"
                                "Broadcast: 10.255.255.255\n"
                                "HostMin:   10.0.0.1\n"
                                "HostMax:   10.255.255.254\n"
                                "Hosts:     16777214\n");
}

Test(subnet, slash0)
{
    assert_report("0.0.0.0/0", "Address:   0.0.0.0/0\n"
                               "Network:   0.0.0.0/0\n"
                               "Netmask:   0.0.0.0 = 0\n"
                               "Wildcard:  255.255.255.255\n"
                               "Broadcast: 255.255.255.255\n"
                               "HostMin:   0.0.0.1\n"
                               "HostMax:   255.255.255.254\n"
                               "Hosts:     4294967294\n");
}

Test(subnet, slash30)
{
    assert_report("100.64.0.2/30", "Address:   100.64.0.2/30\n"
                                   "Network:   100.64.0.0/30\n"
                                   "Netmask:   255.255.255.252 = 30\n"
                                   "Wildcard:  0.0.0.3\n"
                                   "Broadcast: 100.64.0.3\n"
                                   "HostMin:   100.64.0.1\n"
                                   "HostMax:   100.64.0.2\n"
                                   "Hosts:     2\n");
}

Test(subnet, slash31_rfc3021)
{
    assert_report("10.1.1.1/31", "Address:   10.1.1.1/31\n"
                                 "Network:   10.1.1.0/31\n"
                                 "Netmask:   255.255.255.254 = 31\n"
                                 "Wildcard:  0.0.0.1\n"
                                 "Broadcast: none (/31 point-to-point link, RFC 3021)\n"
                                 "HostMin:   10.1.1.0\n"
                                 "HostMax:   10.1.1.1\n"
                                 "Hosts:     2\n");
}

Test(subnet, slash32_single_host)
{
    assert_report("203.0.113.10/32", "Address:   203.0.113.10/32\n"
                                     "Network:   203.0.113.10/32\n"
                                     "Netmask:   255.255.255.255 = 32\n"
                                     "Wildcard:  0.0.0.0\n"
                                     "Broadcast: none (/32 is a single host)\n"
                                     "HostMin:   203.0.113.10\n"
                                     "HostMax:   203.0.113.10\n"
                                     "Hosts:     1\n");
}

Test(subnet, netmask_form)
{
    assert_report("192.168.1.9 255.255.255.128", "Address:   192.168.1.9/25\n"
                                                 "Network:   192.168.1.0/25\n"
                                                 "Netmask:   255.255.255.128 = 25\n"
                                                 "Wildcard:  0.0.0.127\n"
                                                 "Broadcast: 192.168.1.127\n"
                                                 "HostMin:   192.168.1.1\n"
                                                 "HostMax:   192.168.1.126\n"
                                                 "Hosts:     126\n");
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

/* test_appio.c - Python's bytes repr as the seed programs print it. */
#include "sim/apps/appio.h"

#include <criterion/criterion.h>

static char *repr(const char *s, size_t len)
{
    GString *out = g_string_new(NULL);
    sim_app_pyrepr(out, (const uint8_t *)s, len);
    return g_string_free(out, FALSE);
}

Test(appio, pyrepr_matches_cpython)
{
    /* Each expected value is what python3 prints for the bytes. */
    static const struct {
        const char *in;
        size_t len;
        const char *out;
    } cases[] = {
        {"GET / HTTP/1.0\r\n\r\nhello!", 24, "b'GET / HTTP/1.0\\r\\n\\r\\nhello!'"},
        {"", 0, "b''"},
        {NULL, 0, "b''"}, /* a FIN without data: recv(1024) returns b'' */
        {"it's", 4, "b\"it's\""},
        {"it's \"x\"", 8, "b'it\\'s \"x\"'"},
        {"a\\b\tc", 5, "b'a\\\\b\\tc'"},
        {"\x00\x1f\x7f\x80\xff", 5, "b'\\x00\\x1f\\x7f\\x80\\xff'"},
        {"\xe4\xbd\xa0", 3, "b'\\xe4\\xbd\\xa0'"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *got = repr(cases[i].in, cases[i].len);
        cr_assert_str_eq(got, cases[i].out);
    }
}

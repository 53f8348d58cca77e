/* test_tracef.c - sim_world_tracef formats details without printf for the
 * simple formats (%s %u %d %zu %%) and with vsnprintf for the rest; both
 * must give exactly what printf gives, including near the 512-byte buffer
 * and for long `show` tables. */
#include "sim/core/world.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <limits.h>
#include <string.h>

static void keep_detail(const SimTraceRecord *rec, void *user)
{
    g_free(*(char **)user);
    *(char **)user = g_strdup(rec->detail);
}

#define CHECK(w, got, ...)                                                                         \
    do {                                                                                           \
        sim_world_tracef((w), SIM_TR_INFO, SIM_DROP_NONE, "n", NULL, NULL, __VA_ARGS__);           \
        g_autofree char *want = g_strdup_printf(__VA_ARGS__);                                      \
        cr_assert_str_eq((got), want);                                                             \
    } while (0)

Test(tracef, details_match_printf)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    char *got = NULL;
    sim_trace_subscribe(sim_world_trace(w), SIM_TRACE_ALL, keep_detail, &got);
    CHECK(w, got, "%zu bytes", (size_t)60);
    CHECK(w, got, "%zu bytes", (size_t)0);
    CHECK(w, got, "%zu bytes", (size_t)-1);
    CHECK(w, got, "no conversion at all");
    CHECK(w, got, "%s", "");
    CHECK(w, got, "→ %s", "p2,p3");
    CHECK(w, got, "%s on %s (%u%%)", "00:0a:a4:2a:3e:4b", "p1", 100u);
    CHECK(w, got, "%u %u", 0u, UINT_MAX);
    CHECK(w, got, "%d %d %d", 0, INT_MIN, INT_MAX);
    CHECK(w, got, "ttl %d→%d", 64, 63);
    /* Not on the fast path: flags, widths, hex, floats. */
    CHECK(w, got, "id=0x%04x seq=%u", 0x8d65u, 1u);
    CHECK(w, got, "%.0f frames/s", 76628.4);
    CHECK(w, got, "%5u|%-3s|", 7u, "a");
    /* Around the 512-byte buffer, and beyond it (a `show` table). */
    for (size_t n = 500; n < 530; n++) {
        g_autofree char *s = g_strnfill(n, 'x');
        CHECK(w, got, "%s", s);
        CHECK(w, got, "%s%zu", s, n);
    }
    g_autofree char *big = g_strnfill(5000, 'y');
    CHECK(w, got, "table:\n%s\n", big);
    g_free(got);
}

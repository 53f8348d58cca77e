/* The stepper's `back` goes exactly one step back from wherever the user
 * is - after next, until (forwards or backwards) and continue - and
 * `filter` refuses a protocol netsim does not model, naming those it does
 * (issue 13). */
#include "sim/cli/stepper.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

static SimStepper *open_dorm_room(void)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    cr_assert(g_file_get_contents("topologies/dorm-room.topo", &text, &len, NULL));
    g_autoptr(GError) err = NULL;
    SimStepper *st = sim_stepper_new("topologies/dorm-room.topo", text, len, 1, NULL, &err);
    cr_assert_not_null(st, "%s", err ? err->message : "");
    return st;
}

static char *exec1(SimStepper *st, const char *line)
{
    GString *out = g_string_new(NULL);
    sim_stepper_exec(st, line, out);
    return g_string_free(out, FALSE);
}

/* What a fresh stepper prints for step k, reached with `n k`: the last
 * step block of that output. */
static char *step_alone(guint64 k, const char *filter)
{
    g_autoptr(SimStepper) st = open_dorm_room();
    if (filter) {
        g_autofree char *f = g_strdup_printf("filter %s", filter);
        g_free(exec1(st, f));
    }
    g_autofree char *cmd = g_strdup_printf("n %" G_GUINT64_FORMAT, k);
    g_autofree char *out = exec1(st, cmd);
    const char *last = out;
    for (const char *p = out; (p = strstr(p, "step ")); p++)
        if (p == out || p[-1] == '\n')
            last = p;
    return g_strdup(last);
}

/* `back` lands on step pos-1 and prints what stepping to it prints. */
static void check_back_from_here(SimStepper *st, const char *how)
{
    guint64 pos = sim_stepper_position(st);
    cr_assert_gt(pos, 1, "%s", how);
    g_autofree char *landed = exec1(st, "back");
    cr_assert_eq(sim_stepper_position(st), pos - 1,
                 "%s: back went from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT, how, pos,
                 sim_stepper_position(st));
    g_autofree char *want = step_alone(pos - 1, NULL);
    cr_assert_str_eq(landed, want, "%s", how);
}

Test(step_back, one_step_back_after_until_both_ways)
{
    g_autoptr(SimStepper) st = open_dorm_room();
    g_free(exec1(st, "until 4s"));
    g_free(exec1(st, "until 2s"));
    check_back_from_here(st, "until 4s, until 2s, back");
    check_back_from_here(st, "and back again");
    g_free(exec1(st, "until 3s"));
    check_back_from_here(st, "until 3s, back");
}

Test(step_back, one_step_back_after_continue)
{
    g_autoptr(SimStepper) st = open_dorm_room();
    g_free(exec1(st, "n 3"));
    g_autofree char *over = exec1(st, "continue");
    cr_assert(strstr(over, "the simulation is over"), "%s", over);
    check_back_from_here(st, "continue, back");
}

Test(step_back, back_after_back_and_next_mixes)
{
    g_autoptr(SimStepper) st = open_dorm_room();
    g_free(exec1(st, "n 6"));
    check_back_from_here(st, "n 6, back");
    g_free(exec1(st, "n 2"));
    check_back_from_here(st, "n 6, back, n 2, back");
    g_autofree char *three = exec1(st, "back 3");
    cr_assert_eq(sim_stepper_position(st), 3);
    g_autofree char *want = step_alone(3, NULL);
    cr_assert_str_eq(three, want);
}

/* Under a filter, back counts the steps the filter shows, also after an
 * `until` that jumped over some. */
Test(step_back, back_under_a_filter_after_until)
{
    g_autoptr(SimStepper) st = open_dorm_room();
    g_free(exec1(st, "filter icmp"));
    g_free(exec1(st, "until 2s"));
    guint64 pos = sim_stepper_position(st);
    g_autofree char *landed = exec1(st, "back");
    guint64 at = sim_stepper_position(st);
    cr_assert_lt(at, pos);
    cr_assert(strstr(landed, "ICMP echo"), "%s", landed);
    /* ... the last ICMP step before pos: none between at and pos. */
    g_autofree char *fwd = exec1(st, "n");
    cr_assert_geq(sim_stepper_position(st), pos, "%s", fwd);
}

Test(step_back, filter_refuses_unmodelled_protocols)
{
    g_autoptr(SimStepper) st = open_dorm_room();
    static const char *const unmodelled[] = {"dhcp", "dns", "ipv6", "ospf"};
    for (size_t i = 0; i < G_N_ELEMENTS(unmodelled); i++) {
        g_autofree char *cmd = g_strdup_printf("filter %s", unmodelled[i]);
        g_autofree char *out = exec1(st, cmd);
        g_autofree char *want = g_strdup_printf(
            "error: filter: netsim does not model '%s'; it models eth, vlan, arp, ip, icmp, udp, "
            "tcp, stp, data (or: all)\n",
            unmodelled[i]);
        cr_assert_str_eq(out, want);
    }
    g_autofree char *typo = exec1(st, "filter icpm");
    cr_assert_str_eq(typo, "error: filter: unknown protocol 'icpm' (did you mean 'icmp'?); netsim "
                           "models eth, vlan, arp, ip, icmp, udp, tcp, stp, data (or: all)\n");
    g_autofree char *where = exec1(st, "where");
    cr_assert(strstr(where, "filter all"), "a refused filter changes nothing: %s", where);
}

/* The stepper's `show` knows the same tables as the scenario's: a switch's
 * ports and a router's routes in Cisco's layout. */
Test(step_back, stepper_shows_switch_ports_and_cisco_routes)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    cr_assert(g_file_get_contents("topologies/dorms-router.topo", &text, &len, NULL));
    g_autoptr(SimStepper) st = sim_stepper_new("dorms-router.topo", text, len, 1, NULL, NULL);
    cr_assert_not_null(st);
    g_free(exec1(st, "until 2s"));
    g_autofree char *ports = exec1(st, "show swA interfaces");
    cr_assert(g_str_has_prefix(ports, "swA# show swA interfaces\nPort   Peer "), "%s", ports);
    cr_assert(strstr(ports, "\np8     r1.eth0          up            1Gbps "), "%s", ports);
    g_autofree char *routes = exec1(st, "show r1 route cisco");
    cr_assert_str_eq(routes, "r1# show r1 route cisco\n"
                             "Codes: C - connected, S - static, * - candidate default\n\n"
                             "Gateway of last resort is not set\n\n"
                             "C    192.168.10.0/24 is directly connected, eth0\n"
                             "C    192.168.20.0/24 is directly connected, eth1\n");
    g_autofree char *bad = exec1(st, "show r1 route juniper");
    cr_assert(strstr(bad, "usage: show NODE mac|arp|route [cisco|cache]|interfaces|vlan"), "%s",
              bad);
}

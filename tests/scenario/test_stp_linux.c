/* test_stp_linux.c - netsim's 802.1D against the Linux bridge (stp_state 1,
 * the kernel's 802.1D), the reference a network engineer would check.
 * The test builds test_stp.c's ring of four in a network namespace of its
 * own (four bridges, veth cables, the same priorities, bridge addresses
 * and port costs; Linux's minimum forward delay of 2 s to keep it short),
 * lets it converge, and compares every port's state and every bridge's
 * root path cost and root port with netsim's. It needs root (to create the
 * namespace) and is skipped, saying so, without it. */
#include "../unit/topo_fixtures.h"
#include "sim/l2/stp.h"
#include "sim/l2/switch.h"
#include "sim/topo/scenario.h"
#include "sim/link/network.h"

#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

static const char SCRIPT[] =
    "set -e\n"
    "NS=netsim-stp-$$\n"
    "ip netns add $NS\n"
    "trap 'ip netns del $NS' EXIT\n"
    "x() { ip netns exec $NS \"$@\"; }\n"
    "for i in 1 2 3 4; do x ip link add br$i type bridge; "
    "x ip link set br$i address 02:b0:00:00:00:0$i; done\n"
    "x ip link set br1 type bridge priority 4096\n"
    "x ip link set br2 type bridge priority 8192\n"
    "cable() { x ip link add $1 type veth peer name $2; x ip link set $1 master $3; "
    "x ip link set $2 master $4; x ip link set $1 up; x ip link set $2 up; "
    "x bridge link set dev $1 cost $5; x bridge link set dev $2 cost $5; }\n"
    "cable s1p1 s2p1 br1 br2 4\n"
    "cable s2p2 s3p1 br2 br3 19\n"
    "cable s3p2 s4p1 br3 br4 19\n"
    "cable s4p2 s1p2 br4 br1 19\n"
    "for i in 1 2 3 4; do x ip link set br$i type bridge forward_delay 200 hello_time 100 "
    "max_age 600 stp_state 1; x ip link set br$i up; done\n"
    "sleep 6\n"
    "for i in 1 2 3 4; do for p in 1 2; do "
    "echo s${i}p$p $(x cat /sys/class/net/s${i}p$p/brport/state); done; "
    "echo s$i cost $(x cat /sys/class/net/br$i/bridge/root_path_cost) "
    "port $(x cat /sys/class/net/br$i/bridge/root_port); done\n";

/* The same ring in netsim (test_stp.c's RING with stp on). */
static const char RING[] = "switch s1 ports 2 stp on priority 4096\n"
                           "switch s2 ports 2 stp on priority 8192\n"
                           "switch s3 ports 2 stp on\n"
                           "switch s4 ports 2 stp on\n"
                           "link s1.1 s2.1 rate 1Gbps\n"
                           "link s2.2 s3.1\n"
                           "link s3.2 s4.1\n"
                           "link s4.2 s1.2\n";

Test(stp_linux, ring_of_four_matches_the_linux_bridge)
{
    g_autofree char *ip = g_find_program_in_path("ip");
    if (geteuid() != 0 || !ip)
        cr_skip_test("needs root and iproute2 to build the Linux bridges in a namespace");
    const char *argv[] = {"bash", "-c", SCRIPT, NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = 0;
    cr_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                           &status, NULL));
    if (!g_spawn_check_wait_status(status, NULL) && strstr(err, "netns"))
        cr_skip_test("network namespaces are not available here: %s", err);
    cr_assert(g_spawn_check_wait_status(status, NULL), "%s", err);

    g_autoptr(GError) e = NULL;
    g_autoptr(SimScenario) sc = sim_scenario_new(fx_load_text(RING), 1, &e);
    cr_assert_not_null(sc);
    SimWorld *w = sim_scenario_world(sc);
    sim_world_run(w, 40 * SIM_SEC, 0);
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    guint checked = 0;
    for (char **l = lines; *l && **l; l++) {
        char name[8];
        guint sw = 0, port = 0, state = 0, cost = 0, rport = 0;
        if (sscanf(*l, "s%up%u %u", &sw, &port, &state) == 3) {
            g_snprintf(name, sizeof name, "s%u", sw);
            SimStp *s = sim_switch_stp(sim_network_find_node(sim_network_of(w), name));
            /* Linux BR_STATE_*: 3 forwarding, 4 blocking. */
            guint ours = sim_stp_port_state(s, port - 1) == SIM_STP_FORWARDING ? 3
                         : sim_stp_port_state(s, port - 1) == SIM_STP_BLOCKING ? 4
                                                                               : 0;
            cr_assert_eq(ours, state, "%s: Linux says %u, netsim %u", *l, state, ours);
            checked++;
        } else if (sscanf(*l, "s%u cost %u port %u", &sw, &cost, &rport) == 3) {
            g_snprintf(name, sizeof name, "s%u", sw);
            SimStp *s = sim_switch_stp(sim_network_find_node(sim_network_of(w), name));
            cr_assert_eq(sim_stp_root_cost(s), cost, "%s", *l);
            /* Linux numbers ports from 1 in enslaving order, as netsim
             * numbers them here; 0 is none (the root). */
            cr_assert_eq(sim_stp_root_port(s) + 1, (int)rport, "%s", *l);
            checked++;
        }
    }
    cr_assert_eq(checked, 12, "Linux output:\n%s", out);
}

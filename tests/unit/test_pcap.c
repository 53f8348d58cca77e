/* pcap writer limits (issue #12): a time the classic header cannot hold
 * fails the file with a reason instead of aborting, and a symlink at the
 * capture's path is refused, not followed. */
#include "sim/net/pcap.h"

#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

Test(pcap, time_past_2_32_seconds_fails_the_file_with_a_reason)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-pcap-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "x.pcap", NULL);
    g_autoptr(GError) error = NULL;
    SimPcap *pc = sim_pcap_open(path, &error);
    cr_assert_not_null(pc, "%s", error ? error->message : "");
    static const uint8_t frame[60] = {0xff};
    cr_assert(sim_pcap_write(pc, SIM_PCAP_LAST_TIME, frame, sizeof frame), "the last second fits");
    cr_assert_not(sim_pcap_write(pc, SIM_PCAP_LAST_TIME + 1, frame, sizeof frame));
    cr_assert_not(sim_pcap_write(pc, 1, frame, sizeof frame), "the file stays failed");
    cr_assert_eq(sim_pcap_count(pc), 1);
    cr_assert_not(sim_pcap_close_checked(pc, &error));
    cr_assert(strstr(error->message, "a frame at t=4294967296.000000000s is past the last time "
                                     "classic pcap can stamp (4294967295.999999999s)"),
              "%s", error->message);
    g_remove(path);
    g_rmdir(dir);
}

Test(pcap, symlink_at_the_path_is_refused)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-pcap-XXXXXX", NULL);
    g_autofree char *target = g_build_filename(dir, "target", NULL);
    g_autofree char *path = g_build_filename(dir, "x.pcap", NULL);
    cr_assert(g_file_set_contents(target, "data", -1, NULL));
    cr_assert_eq(symlink(target, path), 0);
    g_autoptr(GError) error = NULL;
    cr_assert_null(sim_pcap_open(path, &error));
    cr_assert(strstr(error->message, "x.pcap: is a symbolic link; not following it"), "%s",
              error->message);
    g_autofree char *kept = NULL;
    cr_assert(g_file_get_contents(target, &kept, NULL, NULL));
    cr_assert_str_eq(kept, "data");
    g_remove(path);
    g_remove(target);
    g_rmdir(dir);
}

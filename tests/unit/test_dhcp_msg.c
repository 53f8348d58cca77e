/* test_dhcp_msg.c - the DHCP codec: round trip of every option, rejection
 * of bad input with a reason, and tshark decoding what it emits to the
 * same field values. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <string.h>

#include "frames.h"
#include "sim/net/dhcp_msg.h"
#include "sim/net/wire.h"
#include "tshark_run.h"

static const SimMac CLIENT = {{0x02, 0, 0, 0, 0, 0x31}};

static SimDhcpMsg full_ack(void)
{
    SimDhcpMsg m = {.op = SIM_DHCP_BOOTREPLY,
                    .hops = 1,
                    .xid = 0x3903f326,
                    .secs = 3,
                    .flags = SIM_DHCP_FLAG_BROADCAST,
                    .yiaddr = 0xc0a80a64,
                    .giaddr = 0xc0a80afe,
                    .chaddr = CLIENT,
                    .type = SIM_DHCPACK,
                    .has_mask = true,
                    .mask = 0xffffff00,
                    .has_lease = true,
                    .lease = 3600,
                    .has_t1 = true,
                    .t1 = 1800,
                    .has_t2 = true,
                    .t2 = 3150,
                    .has_server_id = true,
                    .server_id = 0x0a000005,
                    .n_routers = 1,
                    .routers = {0xc0a80afe},
                    .n_dns = 2,
                    .dns = {0x0a000035, 0x08080808},
                    .domain = "dorm.example"};
    return m;
}

Test(dhcp_msg, round_trip_keeps_every_field)
{
    SimDhcpMsg m = full_ack(), back;
    m.has_requested = true;
    m.requested = 0xc0a80a64;
    m.n_params = 4;
    memcpy(m.params, (uint8_t[]){1, 3, 6, 15}, 4);
    m.clientid_len = 7;
    m.clientid[0] = 1;
    memcpy(m.clientid + 1, CLIENT.b, 6);
    uint8_t buf[SIM_DHCP_MAX_LEN];
    size_t n = sim_dhcp_msg_emit(&m, buf);
    cr_assert_eq(n, 240 + 85, "fixed part, cookie and 85 bytes of options");
    cr_assert_eq(sim_wire_get32(buf + 236), SIM_DHCP_MAGIC);
    cr_assert_eq(buf[240], SIM_DHCP_OPT_TYPE, "option 53 comes first");
    g_autoptr(GError) error = NULL;
    cr_assert(sim_dhcp_msg_parse(buf, n, &back, &error), "%s", error ? error->message : "");
    cr_assert_eq(memcmp(&m, &back, sizeof m), 0, "parse(emit(m)) == m");
}

/* A DISCOVER with a byte changed at `at`, or cut to len, must be refused
 * with the given code. */
static void refused(size_t at, uint8_t v, size_t len, int code)
{
    SimDhcpMsg m = {.op = SIM_DHCP_BOOTREQUEST,
                    .xid = 1,
                    .chaddr = CLIENT,
                    .type = SIM_DHCPDISCOVER,
                    .n_params = 2,
                    .params = {1, 3}};
    uint8_t buf[SIM_DHCP_MAX_LEN];
    size_t n = sim_dhcp_msg_emit(&m, buf);
    if (at < n)
        buf[at] = v;
    SimDhcpMsg out;
    g_autoptr(GError) error = NULL;
    cr_assert_not(sim_dhcp_msg_parse(buf, MIN(len, n), &out, &error), "at %zu len %zu", at, len);
    cr_assert(g_error_matches(error, SIM_WIRE_ERROR, code), "at %zu: %s", at, error->message);
}

Test(dhcp_msg, bad_input_is_refused_with_a_reason)
{
    /* Options of this DISCOVER: 53 1 1 | 55 2 1 3 | 255 at offset 247. */
    refused(999, 0, 239, SIM_WIRE_ERROR_TRUNCATED);      /* shorter than 240 */
    refused(0, 3, 999, SIM_WIRE_ERROR_MALFORMED);        /* op 3 */
    refused(1, 6, 999, SIM_WIRE_ERROR_UNSUPPORTED);      /* htype IEEE 802 */
    refused(236, 0x64, 999, SIM_WIRE_ERROR_UNSUPPORTED); /* cookie */
    refused(241, 2, 999, SIM_WIRE_ERROR_MALFORMED);      /* type option of length 2 */
    refused(242, 9, 999, SIM_WIRE_ERROR_MALFORMED);      /* message type 9 */
    refused(247, 0, 999, SIM_WIRE_ERROR_TRUNCATED);      /* end replaced by pad: no end */
    refused(999, 0, 245, SIM_WIRE_ERROR_TRUNCATED);      /* option 55 cut short */
    refused(244, 200, 999, SIM_WIRE_ERROR_TRUNCATED);    /* option 55 runs past the end */
    refused(243, SIM_DHCP_OPT_MASK, 999, SIM_WIRE_ERROR_MALFORMED); /* mask of length 2 */
    refused(243, SIM_DHCP_OPT_ROUTER, 999, SIM_WIRE_ERROR_MALFORMED);
    refused(243, SIM_DHCP_OPT_LEASE, 999, SIM_WIRE_ERROR_MALFORMED);
    /* An unknown option is skipped, not refused. */
    SimDhcpMsg m = {.op = 1, .chaddr = CLIENT, .type = SIM_DHCPDISCOVER, .n_params = 2};
    uint8_t buf[SIM_DHCP_MAX_LEN];
    size_t n = sim_dhcp_msg_emit(&m, buf);
    cr_assert_eq(n, SIM_DHCP_EMIT_MIN, "a short message pads to the BOOTP minimum");
    buf[243] = 250;
    SimDhcpMsg out;
    cr_assert(sim_dhcp_msg_parse(buf, n, &out, NULL));
    cr_assert_eq(out.n_params, 0);
    cr_assert_eq(out.type, SIM_DHCPDISCOVER);
}

static SimPacket *dhcp_frame(SimPacketPool *pool, const SimDhcpMsg *m, const Ep *s, const Ep *d)
{
    uint8_t buf[SIM_DHCP_MAX_LEN];
    size_t n = sim_dhcp_msg_emit(m, buf);
    bool to_server = m->op == SIM_DHCP_BOOTREQUEST;
    return frame_udp_bytes(pool, s, d, to_server ? SIM_DHCP_CLIENT_PORT : SIM_DHCP_SERVER_PORT,
                           to_server ? SIM_DHCP_SERVER_PORT : SIM_DHCP_CLIENT_PORT, buf, n);
}

static const char *const FIELDS[] = {
    "dhcp.option.dhcp",
    "dhcp.id",
    "dhcp.flags.bc",
    "dhcp.ip.your",
    "dhcp.ip.relay",
    "dhcp.hw.mac_addr",
    "dhcp.option.subnet_mask",
    "dhcp.option.router",
    "dhcp.option.domain_name_server",
    "dhcp.option.domain_name",
    "dhcp.option.ip_address_lease_time",
    "dhcp.option.renewal_time_value",
    "dhcp.option.rebinding_time_value",
    "dhcp.option.dhcp_server_id",
    "dhcp.option.requested_ip_address",
    "dhcp.option.request_list_item",
};

Test(dhcp_msg, tshark_decodes_dora_nak_decline_release)
{
    SimPacketPool *pool = sim_packet_pool_new();
    const Ep any = {CLIENT, 0}, bcast = {SIM_MAC_BROADCAST, 0xffffffff};
    const Ep srv = {{{0x02, 0, 0, 0, 0, 0x05}}, 0x0a000005};
    const Ep cli = {CLIENT, 0xc0a80a64};

    SimDhcpMsg disc = {.op = 1,
                       .xid = 0x3903f326,
                       .flags = SIM_DHCP_FLAG_BROADCAST,
                       .chaddr = CLIENT,
                       .type = SIM_DHCPDISCOVER,
                       .n_params = 4,
                       .params = {1, 3, 6, 15}};
    SimDhcpMsg offer = full_ack();
    offer.type = SIM_DHCPOFFER;
    SimDhcpMsg req = disc;
    req.type = SIM_DHCPREQUEST;
    req.has_requested = req.has_server_id = true;
    req.requested = 0xc0a80a64;
    req.server_id = 0x0a000005;
    SimDhcpMsg ack = full_ack();
    SimDhcpMsg nak = {.op = 2,
                      .xid = 7,
                      .chaddr = CLIENT,
                      .type = SIM_DHCPNAK,
                      .has_server_id = true,
                      .server_id = 0x0a000005};
    SimDhcpMsg decline = {.op = 1,
                          .xid = 8,
                          .chaddr = CLIENT,
                          .type = SIM_DHCPDECLINE,
                          .has_requested = true,
                          .requested = 0xc0a80a64,
                          .has_server_id = true,
                          .server_id = 0x0a000005};
    SimDhcpMsg release = {.op = 1,
                          .xid = 9,
                          .ciaddr = 0xc0a80a64,
                          .chaddr = CLIENT,
                          .type = SIM_DHCPRELEASE,
                          .has_server_id = true,
                          .server_id = 0x0a000005};
    SimPacket *f[] = {
        dhcp_frame(pool, &disc, &any, &bcast), dhcp_frame(pool, &offer, &srv, &bcast),
        dhcp_frame(pool, &req, &any, &bcast),  dhcp_frame(pool, &ack, &srv, &bcast),
        dhcp_frame(pool, &nak, &srv, &bcast),  dhcp_frame(pool, &decline, &any, &bcast),
        dhcp_frame(pool, &release, &cli, &srv)};

    const char *expect[][G_N_ELEMENTS(FIELDS)] = {
        {"1", "0x3903f326", "1", "0.0.0.0", "0.0.0.0", "02:00:00:00:00:31", "", "", "", "", "", "",
         "", "", "", "1,3,6,15"},
        {"2", "0x3903f326", "1", "192.168.10.100", "192.168.10.254", "02:00:00:00:00:31",
         "255.255.255.0", "192.168.10.254", "10.0.0.53,8.8.8.8", "dorm.example", "3600", "1800",
         "3150", "10.0.0.5", "", ""},
        {"3", "0x3903f326", "1", "0.0.0.0", "0.0.0.0", "02:00:00:00:00:31", "", "", "", "", "", "",
         "", "10.0.0.5", "192.168.10.100", "1,3,6,15"},
        {"5", "0x3903f326", "1", "192.168.10.100", "192.168.10.254", "02:00:00:00:00:31",
         "255.255.255.0", "192.168.10.254", "10.0.0.53,8.8.8.8", "dorm.example", "3600", "1800",
         "3150", "10.0.0.5", "", ""},
        {"6", "0x00000007", "0", "0.0.0.0", "0.0.0.0", "02:00:00:00:00:31", "", "", "", "", "", "",
         "", "10.0.0.5", "", ""},
        {"4", "0x00000008", "0", "0.0.0.0", "0.0.0.0", "02:00:00:00:00:31", "", "", "", "", "", "",
         "", "10.0.0.5", "192.168.10.100", ""},
        {"7", "0x00000009", "0", "0.0.0.0", "0.0.0.0", "02:00:00:00:00:31", "", "", "", "", "", "",
         "", "10.0.0.5", "", ""},
    };
    assert_frames_decode(pool, f, G_N_ELEMENTS(f), FIELDS, G_N_ELEMENTS(FIELDS), &expect[0][0]);
}

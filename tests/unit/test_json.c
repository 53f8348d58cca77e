/* test_json.c - the JSON writer (escaping, UTF-8, nesting, misuse) and the
 * JSON form of one trace record, read back with an independent parser. */
#include "json_dom.h"
#include "sim/cli/json.h"
#include "sim/cli/sink_json.h"
#include "sim/core/trace.h"
#include "sim/net/arp_hdr.h"
#include "sim/net/eth.h"
#include "sim/net/packet.h"

#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <string.h>

/* The quoted form of n bytes of s. */
static char *quote(const char *s, gssize n)
{
    GString *out = g_string_new(NULL);
    sim_json_append_quoted(out, s, n);
    return g_string_free(out, FALSE);
}

static void assert_quoted(const char *in, gssize n, const char *want)
{
    g_autofree char *got = quote(in, n);
    cr_assert_str_eq(got, want);
    const char *err = NULL;
    g_autoptr(Jv) v = jv_parse(got, -1, &err);
    cr_assert_not_null(v, "%s does not parse: %s", got, err);
    cr_assert_eq(v->t, JV_STR);
}

Test(json, escapes_quotes_backslash_and_controls)
{
    assert_quoted("plain", -1, "\"plain\"");
    assert_quoted("", -1, "\"\"");
    assert_quoted("say \"hi\"", -1, "\"say \\\"hi\\\"\"");
    assert_quoted("C:\\dir\\", -1, "\"C:\\\\dir\\\\\"");
    assert_quoted("a\nb\tc\rd\be\ff", -1, "\"a\\nb\\tc\\rd\\be\\ff\"");
    assert_quoted("\x01\x1f", -1, "\"\\u0001\\u001f\"");
    assert_quoted("\x7f/", -1, "\"\x7f/\""); /* DEL and '/' need no escape */
    assert_quoted("a\0b", 3, "\"a\\u0000b\"");
}

Test(json, utf8_passes_through_and_invalid_bytes_are_replaced)
{
    assert_quoted("\xe2\x86\x92 caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80", -1,
                  "\"\xe2\x86\x92 caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80\"");
#define FFFD "\xef\xbf\xbd"
    assert_quoted("a\xff"
                  "b",
                  -1, "\"a" FFFD "b\"");
    assert_quoted("\xe2\x82", -1, "\"" FFFD FFFD "\"");                   /* truncated sequence */
    assert_quoted("\xc0\xaf", -1, "\"" FFFD FFFD "\"");                   /* overlong '/' */
    assert_quoted("\xed\xa0\x80", -1, "\"" FFFD FFFD FFFD "\"");          /* surrogate */
    assert_quoted("\xf4\x90\x80\x80", -1, "\"" FFFD FFFD FFFD FFFD "\""); /* > U+10FFFF */
    assert_quoted("\x80x", -1, "\"" FFFD "x\"");                          /* lone continuation */
    /* Valid JSON, but line terminators in JavaScript. */
    assert_quoted("\xe2\x80\xa8|\xe2\x80\xa9", -1, "\"\\u2028|\\u2029\"");
}

/* Whatever the bytes, the output is valid JSON, and valid UTF-8 input comes
 * back unchanged. */
Test(json, random_bytes_always_give_valid_json)
{
    g_autoptr(GRand) r = g_rand_new_with_seed(42);
    for (int iter = 0; iter < 2000; iter++) {
        char buf[24];
        size_t n = (size_t)g_rand_int_range(r, 0, sizeof buf);
        for (size_t i = 0; i < n; i++) {
            /* Bias towards ASCII and the interesting bytes. */
            int pick = g_rand_int_range(r, 0, 4);
            buf[i] = (char)(pick == 0   ? g_rand_int_range(r, 0, 0x20)
                            : pick == 1 ? g_rand_int_range(r, 0x80, 0x100)
                                        : g_rand_int_range(r, 0x20, 0x80));
        }
        g_autofree char *q = quote(buf, (gssize)n);
        const char *err = NULL;
        g_autoptr(Jv) v = jv_parse(q, -1, &err);
        cr_assert_not_null(v, "iteration %d: %s", iter, err);
        if (g_utf8_validate_len(buf, n, NULL)) {
            cr_assert_eq(v->str->len, n);
            cr_assert(memcmp(v->str->str, buf, n) == 0);
        }
    }
}

Test(json, nesting_and_commas)
{
    g_autoptr(GString) out = g_string_new("prefix:");
    g_autoptr(SimJson) j = sim_json_new(out);
    cr_assert_not(sim_json_complete(j));
    sim_json_begin_object(j);
    sim_json_key(j, "a");
    sim_json_begin_array(j);
    sim_json_int(j, 1);
    sim_json_begin_object(j);
    sim_json_key(j, "b");
    sim_json_begin_array(j);
    sim_json_end_array(j);
    sim_json_end_object(j);
    sim_json_begin_object(j);
    sim_json_end_object(j);
    sim_json_string(j, NULL);
    sim_json_end_array(j);
    sim_json_key(j, "c");
    sim_json_begin_object(j);
    sim_json_key(j, "d");
    sim_json_null(j);
    sim_json_member_bool(j, "e", true);
    sim_json_member_int(j, "f", -5);
    sim_json_member_uint(j, "g", UINT64_MAX);
    sim_json_key(j, "h");
    sim_json_double(j, 1.5);
    sim_json_key(j, "i");
    sim_json_double(j, INFINITY);
    sim_json_member_string(j, "k\"ey", "v");
    sim_json_end_object(j);
    cr_assert_not(sim_json_complete(j));
    sim_json_end_object(j);
    cr_assert(sim_json_complete(j));
    cr_assert_str_eq(out->str, "prefix:{\"a\":[1,{\"b\":[]},{},null],\"c\":{\"d\":null,\"e\":true,"
                               "\"f\":-5,\"g\":18446744073709551615,\"h\":1.5,\"i\":null,"
                               "\"k\\\"ey\":\"v\"}}");
    const char *err = NULL;
    g_autoptr(Jv) v = jv_parse(out->str + 7, -1, &err);
    cr_assert_not_null(v, "%s", err);
    uint64_t g = 0;
    cr_assert(jv_uint(jv_get(v, "c"), "g", &g));
    cr_assert_eq(g, UINT64_MAX);

    /* reset starts a new document, here in a new string. */
    g_autoptr(GString) out2 = g_string_new(NULL);
    sim_json_reset(j, out2);
    cr_assert_not(sim_json_complete(j));
    sim_json_begin_array(j);
    for (int i = 0; i < SIM_JSON_MAX_DEPTH - 1; i++)
        sim_json_begin_array(j);
    for (int i = 0; i < SIM_JSON_MAX_DEPTH; i++)
        sim_json_end_array(j);
    cr_assert(sim_json_complete(j));
    cr_assert_eq(out2->len, 2 * SIM_JSON_MAX_DEPTH);
    cr_assert_str_eq(out->str + out->len - 2, "}}", "the old string is untouched");
}

Test(json, value_without_key_in_object_asserts, .signal = SIGABRT)
{
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(SimJson) j = sim_json_new(out);
    sim_json_begin_object(j);
    sim_json_int(j, 1);
}

Test(json, key_in_array_asserts, .signal = SIGABRT)
{
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(SimJson) j = sim_json_new(out);
    sim_json_begin_array(j);
    sim_json_key(j, "x");
}

Test(json, mismatched_close_asserts, .signal = SIGABRT)
{
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(SimJson) j = sim_json_new(out);
    sim_json_begin_array(j);
    sim_json_end_object(j);
}

Test(json, second_top_level_value_asserts, .signal = SIGABRT)
{
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(SimJson) j = sim_json_new(out);
    sim_json_int(j, 1);
    sim_json_int(j, 2);
}

/* ---- records ------------------------------------------------------------ */

static Jv *format_record(const SimTraceRecord *rec)
{
    g_autoptr(GString) out = g_string_new(NULL);
    sim_json_sink_format(rec, out);
    cr_assert_null(strchr(out->str, '\n'), "one line: %s", out->str);
    const char *err = NULL;
    Jv *v = jv_parse(out->str, (gssize)out->len, &err);
    cr_assert_not_null(v, "%s: %s", out->str, err);
    cr_assert_eq(v->t, JV_OBJ);
    return v;
}

static void assert_keys(const Jv *v, const char *const *keys, guint n)
{
    cr_assert_eq(v->keys->len, n);
    for (guint i = 0; i < n; i++)
        cr_assert_str_eq(g_ptr_array_index(v->keys, i), keys[i]);
}

Test(json, record_without_packet_has_every_key)
{
    SimTraceRecord rec = {.id = 7,
                          .event = 3,
                          .time = 12300,
                          .kind = SIM_TR_LEARN,
                          .reason = SIM_DROP_NONE,
                          .node = "swA",
                          .iface = NULL,
                          .packet = NULL,
                          .detail = "00:0a:a4:2a:3e:4b on p1 \"q\"\n"};
    g_autoptr(Jv) v = format_record(&rec);
    static const char *const keys[] = {"id",   "event",  "time_ns", "node",  "iface",
                                       "kind", "reason", "summary", "detail"};
    assert_keys(v, keys, G_N_ELEMENTS(keys));
    uint64_t x;
    cr_assert(jv_uint(v, "id", &x) && x == 7);
    cr_assert(jv_uint(v, "event", &x) && x == 3);
    cr_assert(jv_uint(v, "time_ns", &x) && x == 12300);
    cr_assert_str_eq(jv_str(v, "node"), "swA");
    cr_assert_str_eq(jv_str(v, "iface"), "");
    cr_assert_str_eq(jv_str(v, "kind"), "learn");
    cr_assert_str_eq(jv_str(v, "reason"), "");
    cr_assert_str_eq(jv_str(v, "summary"), rec.detail);
    cr_assert_str_eq(jv_str(v, "detail"), rec.detail);
}

Test(json, drop_record_with_packet_has_layers_and_fields)
{
    g_autoptr(SimPacketPool) pool = sim_packet_pool_new();
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 0);
    SimArpHdr arp = {.oper = SIM_ARP_REQUEST,
                     .sha = {{0x00, 0x0a, 0xa4, 0x2a, 0x3e, 0x4b}},
                     .spa = 0xc0a80a01,
                     .tpa = 0xc0a80a02};
    sim_arp_hdr_encode(p, &arp);
    SimEthHdr eth = {.dst = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
                     .src = arp.sha,
                     .ethertype = SIM_ETHERTYPE_ARP};
    sim_eth_encode(p, &eth);
    sim_eth_pad(p);
    SimTraceRecord rec = {.id = UINT64_MAX,
                          .event = 0,
                          .time = 1500000000,
                          .kind = SIM_TR_DROP,
                          .reason = SIM_DROP_QUEUE_FULL,
                          .node = "alex",
                          .iface = "eth0",
                          .packet = p,
                          .detail = "queue full"};
    g_autoptr(Jv) v = format_record(&rec);
    sim_packet_unref(p);
    static const char *const keys[] = {"id",   "event",  "time_ns", "node",   "iface",
                                       "kind", "reason", "summary", "detail", "packet"};
    assert_keys(v, keys, G_N_ELEMENTS(keys));
    uint64_t x;
    cr_assert(jv_uint(v, "id", &x) && x == UINT64_MAX);
    cr_assert(jv_uint(v, "event", &x) && x == 0);
    cr_assert(jv_uint(v, "time_ns", &x) && x == 1500000000);
    cr_assert_str_eq(jv_str(v, "kind"), "drop");
    cr_assert_str_eq(jv_str(v, "reason"), "queue full");
    cr_assert_str_eq(jv_str(v, "summary"), "ARP who-has 192.168.10.2 tell 192.168.10.1");
    cr_assert_str_eq(jv_str(v, "detail"), "queue full");

    Jv *pkt = jv_get(v, "packet");
    static const char *const pkeys[] = {"uid", "len", "layers"};
    assert_keys(pkt, pkeys, 3);
    cr_assert(jv_uint(pkt, "len", &x) && x == 60);
    cr_assert(jv_uint(pkt, "uid", &x));
    Jv *layers = jv_get(pkt, "layers");
    cr_assert_eq(layers->t, JV_ARR);
    cr_assert_eq(layers->items->len, 2);
    Jv *l0 = g_ptr_array_index(layers->items, 0), *l1 = g_ptr_array_index(layers->items, 1);
    static const char *const lkeys[] = {"name", "offset", "length", "fields"};
    assert_keys(l0, lkeys, 4);
    cr_assert_str_eq(jv_str(l0, "name"), "eth");
    cr_assert(jv_uint(l0, "offset", &x) && x == 0);
    cr_assert(jv_uint(l0, "length", &x) && x == 14);
    Jv *f0 = jv_get(l0, "fields");
    cr_assert_str_eq(jv_str(f0, "eth.dst"), "ff:ff:ff:ff:ff:ff");
    cr_assert_str_eq(jv_str(f0, "eth.src"), "00:0a:a4:2a:3e:4b");
    cr_assert_str_eq(jv_str(f0, "eth.padding"), "18 bytes");
    cr_assert_str_eq(jv_str(l1, "name"), "arp");
    cr_assert(jv_uint(l1, "offset", &x) && x == 14);
    cr_assert(jv_uint(l1, "length", &x) && x == 28);
    Jv *f1 = jv_get(l1, "fields");
    cr_assert_str_eq(jv_str(f1, "arp.opcode"), "request (1)");
    cr_assert_str_eq(jv_str(f1, "arp.src.proto_ipv4"), "192.168.10.1");
    cr_assert_str_eq(jv_str(f1, "arp.dst.proto_ipv4"), "192.168.10.2");
}

/* A frame cut inside its header still gives valid JSON, with the
 * malformed layer the dissector reports. */
Test(json, truncated_frame_reports_malformed_layer)
{
    g_autoptr(SimPacketPool) pool = sim_packet_pool_new();
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 10);
    SimTraceRecord rec = {
        .kind = SIM_TR_RX, .node = "n", .iface = "i", .packet = p, .detail = "10 bytes"};
    g_autoptr(Jv) v = format_record(&rec);
    sim_packet_unref(p);
    Jv *layers = jv_get(jv_get(v, "packet"), "layers");
    cr_assert_eq(layers->items->len, 1);
    cr_assert_str_eq(jv_str(g_ptr_array_index(layers->items, 0), "name"), "malformed");
    cr_assert(g_str_has_prefix(jv_str(v, "summary"), "malformed"));
}

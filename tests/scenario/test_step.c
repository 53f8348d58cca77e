/* The stepper (`netsim step`): a scripted session through the dorm-room
 * ping shows ARP broadcast, flood, reply, learn, then echo and reply;
 * `back N` then `n N` reproduces the same state and output; `detail` and
 * `hex` decode an ICMP echo with the right values; tables, filters, until
 * and continue behave; the binary reads commands from a pipe and echoes
 * them. Most tests drive the stepper in-process (sim_stepper_exec), which
 * is what the binary does line by line. */
#include "sim/cli/frame_view.h"
#include "sim/cli/step_explain.h"
#include "sim/cli/stepper.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static SimStepper *open_topology(const char *name, uint64_t seed)
{
    g_autofree char *path = g_strdup_printf("topologies/%s.topo", name);
    g_autofree char *text = NULL;
    gsize len = 0;
    cr_assert(g_file_get_contents(path, &text, &len, NULL), "%s", path);
    g_autoptr(GError) err = NULL;
    SimStepper *st = sim_stepper_new(path, text, len, seed, NULL, &err);
    cr_assert_not_null(st, "%s", err ? err->message : "");
    return st;
}

/* Runs each line of script; returns everything printed. */
static char *exec_script(SimStepper *st, const char *script)
{
    GString *out = g_string_new(NULL);
    g_auto(GStrv) lines = g_strsplit(script, "\n", -1);
    for (char **l = lines; *l; l++)
        if (!sim_stepper_exec(st, *l, out))
            break;
    return g_string_free(out, FALSE);
}

static char *exec1(SimStepper *st, const char *line)
{
    GString *out = g_string_new(NULL);
    sim_stepper_exec(st, line, out);
    return g_string_free(out, FALSE);
}

/* Asserts that the needles occur in text in this order; returns the
 * position after the last one. */
static const char *expect_in_order(const char *text, const char *const *needles)
{
    const char *at = text;
    for (const char *const *n = needles; *n; n++) {
        const char *hit = strstr(at, *n);
        cr_assert_not_null(hit, "expected \"%s\" after offset %td in:\n%s", *n, at - text, text);
        at = hit + strlen(*n);
    }
    return at;
}

/* ---- the dorm-room ping, step by step ----------------------------------- */

static const char *const dorm_sequence[] = {
    /* step 1: the scenario starts the ping */
    "step 1 · event 1 · t=1.000000000 s\nPING 192.168.10.2",
    /* alex must ask who has 192.168.10.2: a broadcast */
    "arp-request  who-has 192.168.10.2 tell 192.168.10.1",
    "tx           ARP who-has 192.168.10.2 tell 192.168.10.1 (60 bytes)",
    "⇒ alex: 192.168.10.2 matches 192.168.10.0/24 → eth0; broadcast ARP who-has 192.168.10.2",
    /* the switch learns alex and floods the broadcast */
    "⇒ swA learned 02:00:00:00:00:01 on port 1; destination is broadcast → flooded to ports 2, "
    "3 and 4",
    /* yuchao replies; the others drop what is not for them */
    "⇒ yuchao cached 192.168.10.1 is-at 02:00:00:00:00:01 (new, STALE); replied 192.168.10.2 "
    "is-at 02:00:00:00:00:02",
    "⇒ chen dropped ARP who-has 192.168.10.2 tell 192.168.10.1: not for us",
    "⇒ dana dropped ARP who-has 192.168.10.2 tell 192.168.10.1: not for us",
    /* the reply is unicast: learned, then forwarded to alex only */
    "⇒ swA learned 02:00:00:00:00:02 on port 2; destination 02:00:00:00:00:01 is known on port 1 "
    "→ forwarded to port 1 only",
    /* echo request, forwarded, answered, forwarded back, received */
    "⇒ alex cached 192.168.10.2 is-at 02:00:00:00:00:02 (resolved, REACHABLE); sent ICMP echo "
    "request 192.168.10.1 > 192.168.10.2",
    "⇒ swA: destination 02:00:00:00:00:02 is known on port 2 → forwarded to port 2 only",
    "⇒ yuchao received ICMP echo request",
    "answered with ICMP echo reply",
    "⇒ swA: destination 02:00:00:00:00:01 is known on port 1 → forwarded to port 1 only",
    "64 bytes from 192.168.10.2: icmp_seq=1 ttl=64",
    "⇒ alex received ICMP echo reply id=0x8d65 seq=1 from 192.168.10.2",
    NULL,
};

Test(step, dorm_room_ping_in_order)
{
    g_autoptr(SimStepper) st = open_topology("dorm-room", 1);
    g_autofree char *out = exec_script(st, "n\nn\nn\nn\nn\nn\nn\nn\nn\nn\nn\nn\nn");
    expect_in_order(out, dorm_sequence);
    cr_assert_eq(sim_stepper_position(st), 13);
    cr_assert_eq(sim_stepper_errors(st), 0);
    /* The flood step lists every record of its event, as the text trace does. */
    cr_assert(strstr(out, "    1.000005800  swA     p1     flood        ARP who-has 192.168.10.2 "
                          "tell 192.168.10.1 → p2-p4\n"),
              "%s", out);
    cr_assert(strstr(out, "  1.000005800  swA     p4     tx           ARP who-has"), "%s", out);
}

/* ---- the binary on a pipe ------------------------------------------------- */

static void stdin_from(gpointer path)
{
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
        dup2(fd, STDIN_FILENO);
        close(fd);
    }
}

typedef struct {
    char *out, *err;
    int status;
} Run;

static Run netsim_step(const char *const *args, const char *script)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-step-XXXXXX", NULL);
    g_autofree char *input = g_build_filename(dir, "commands", NULL);
    cr_assert(g_file_set_contents(input, script, -1, NULL));
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)NETSIM_BIN);
    g_ptr_array_add(argv, (char *)"step");
    for (const char *const *a = args; *a; a++)
        g_ptr_array_add(argv, (char *)*a);
    g_ptr_array_add(argv, NULL);
    Run r = {0};
    int wait = 0;
    cr_assert(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, stdin_from, input,
                           &r.out, &r.err, &wait, NULL));
    r.status = WIFEXITED(wait) ? WEXITSTATUS(wait) : -1;
    g_ptr_array_free(argv, TRUE);
    g_unlink(input);
    g_rmdir(dir);
    return r;
}

static void run_free(Run *r)
{
    g_free(r->out);
    g_free(r->err);
}

Test(step, binary_reads_a_script_on_stdin_and_echoes_it)
{
    /* Thirteen empty lines: Enter is `next`. */
    Run r = netsim_step((const char *[]){"topologies/dorm-room.topo", NULL},
                        "\n\n\n\n\n\n\n\n\n\n\n\n\nshow swA mac\nquit\n");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(g_str_has_prefix(r.out, "netsim step: topologies/dorm-room.topo \"Dorm room 301\", "
                                      "5 nodes, 4 links, seed 1\n"),
              "%s", r.out);
    expect_in_order(r.out, dorm_sequence);
    expect_in_order(r.out, (const char *[]){"(netsim) \nstep 1 ·", "(netsim) show swA mac\n",
                                            "swA# show swA mac\nMAC address table of swA (2 "
                                            "entries)",
                                            "(netsim) quit\n", NULL});
    cr_assert(g_str_has_suffix(r.out, "(netsim) quit\n"), "%s", r.out);
    /* The same script gives the same bytes (no wall time, no addresses). */
    Run again = netsim_step((const char *[]){"topologies/dorm-room.topo", NULL},
                            "\n\n\n\n\n\n\n\n\n\n\n\n\nshow swA mac\nquit\n");
    cr_assert_str_eq(r.out, again.out);
    run_free(&again);
    run_free(&r);
}

Test(step, binary_usage_and_bad_input)
{
    Run r = netsim_step((const char *[]){"--help", NULL}, "");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "--seed") && strstr(r.out, "Step through"), "%s", r.out);
    run_free(&r);
    r = netsim_step((const char *[]){"no/such.topo", NULL}, "");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "no/such.topo"), "%s", r.err);
    run_free(&r);
    r = netsim_step((const char *[]){NULL}, "");
    cr_assert_eq(r.status, 2);
    run_free(&r);
    g_autofree char *dir = g_dir_make_tmp("netsim-step-XXXXXX", NULL);
    g_autofree char *bad = g_build_filename(dir, "bad.topo", NULL);
    cr_assert(g_file_set_contents(bad, "host a ip 10.0.0.1/24\nlink a swZ\n", -1, NULL));
    r = netsim_step((const char *[]){bad, NULL}, "n\n");
    cr_assert_eq(r.status, 2);
    g_autofree char *want = g_strdup_printf("%s:2:8: error: unknown node 'swZ'", bad);
    cr_assert(strstr(r.err, want), "%s", r.err);
    run_free(&r);
    /* End of input quits cleanly; mistakes are reported and the session goes on. */
    r = netsim_step((const char *[]){"topologies/two-pcs.topo", "--seed", "3", NULL},
                    "frobnicate\nn 0\nn\n");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "error: unknown command 'frobnicate'"), "%s", r.out);
    cr_assert(strstr(r.out, "error: next expects a number of steps"), "%s", r.out);
    cr_assert(strstr(r.out, "(netsim) n\nstep 1 ·"), "%s", r.out);
    run_free(&r);
    g_unlink(bad);
    g_rmdir(dir);
}

/* ---- back ------------------------------------------------------------------ */

/* Splits stepper output into its step blocks (each from "step N" on). */
static GPtrArray *step_blocks(const char *out)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func(g_free);
    const char *p = strstr(out, "step ");
    while (p) {
        const char *next = strstr(p + 1, "\nstep ");
        g_ptr_array_add(blocks, next ? g_strndup(p, (gsize)(next + 1 - p)) : g_strdup(p));
        p = next ? next + 1 : NULL;
    }
    return blocks;
}

static void check_back_then_forward(const char *topo, guint steps, guint back)
{
    g_autoptr(SimStepper) st = open_topology(topo, 1);
    g_autofree char *cmd = g_strdup_printf("n %u", steps);
    g_autofree char *first = exec1(st, cmd);
    g_autoptr(GPtrArray) blocks = step_blocks(first);
    cr_assert_eq(blocks->len, steps);
    g_autofree char *where1 = exec1(st, "where");
    g_autofree char *table1 = exec1(st, "show swA mac");
    uint64_t events = sim_world_events(sim_stepper_world(st));

    g_autofree char *bcmd = g_strdup_printf("back %u", back);
    g_autofree char *landed = exec1(st, bcmd);
    cr_assert_str_eq(landed, g_ptr_array_index(blocks, steps - back - 1),
                     "back %u must show the step shown %u steps earlier", back, back);
    cr_assert_eq(sim_stepper_position(st), steps - back);
    g_autofree char *fcmd = g_strdup_printf("n %u", back);
    g_autofree char *again = exec1(st, fcmd);
    GString *want = g_string_new(NULL);
    for (guint i = steps - back; i < steps; i++)
        g_string_append(want, g_ptr_array_index(blocks, i));
    cr_assert_str_eq(again, want->str, "n %u after back %u differs", back, back);
    g_string_free(want, TRUE);
    /* Same state: position, clock, event count, tables. */
    g_autofree char *where2 = exec1(st, "where");
    g_autofree char *table2 = exec1(st, "show swA mac");
    cr_assert_str_eq(where1, where2);
    cr_assert_str_eq(table1, table2);
    cr_assert_eq(sim_world_events(sim_stepper_world(st)), events);
    cr_assert_eq(sim_stepper_errors(st), 0);
}

Test(step, back_3_then_next_3_is_identical)
{
    check_back_then_forward("dorm-room", 10, 3);
    check_back_then_forward("dorms-router", 25, 3);
    check_back_then_forward("dorm-room", 5, 4);
}

Test(step, back_past_the_start_and_back_under_a_filter)
{
    g_autoptr(SimStepper) st = open_topology("dorm-room", 1);
    g_free(exec1(st, "n 4"));
    g_autofree char *start = exec1(st, "back 10");
    cr_assert_str_eq(start, "at the start: no event has run yet (t=0)\n");
    cr_assert_eq(sim_stepper_position(st), 0);
    /* Under a filter, back counts the steps that were shown. */
    g_autofree char *f = exec1(st, "filter icmp");
    cr_assert_str_eq(f, "filter: icmp (other steps run but are not shown)\n");
    g_autofree char *icmp = exec1(st, "n 4");
    g_autoptr(GPtrArray) blocks = step_blocks(icmp);
    cr_assert_eq(blocks->len, 4);
    for (guint i = 0; i < blocks->len; i++)
        cr_assert(strstr(g_ptr_array_index(blocks, i), "ICMP echo"), "%s",
                  (char *)g_ptr_array_index(blocks, i));
    g_autofree char *landed = exec1(st, "back 2");
    cr_assert_str_eq(landed, g_ptr_array_index(blocks, 1));
    g_autofree char *again = exec1(st, "n 2");
    g_autofree char *want =
        g_strconcat(g_ptr_array_index(blocks, 2), g_ptr_array_index(blocks, 3), NULL);
    cr_assert_str_eq(again, want);
}

/* ---- detail and hex ------------------------------------------------------- */

/* The value printed for a field in `detail` output ("    ip.ttl   64"). */
static char *field_value(const char *detail, const char *field)
{
    g_autofree char *needle = g_strdup_printf("\n    %s ", field);
    const char *at = strstr(detail, needle);
    cr_assert_not_null(at, "no field %s in:\n%s", field, detail);
    at += strlen(needle);
    while (*at == ' ')
        at++;
    const char *end = strchr(at, '\n');
    return g_strndup(at, (gsize)(end - at));
}

static void expect_field(const char *detail, const char *field, const char *want)
{
    g_autofree char *v = field_value(detail, field);
    cr_assert_str_eq(v, want, "%s", field);
}

/* Internet checksum (RFC 1071); 0 over a header that carries a correct one. */
static guint16 csum(const guint8 *b, size_t n)
{
    guint32 s = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (guint32)(b[i] << 8 | b[i + 1]);
    if (n & 1)
        s += (guint32)b[n - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (guint16)~s;
}

/* The frame's bytes, read back from the `hex` output. */
static GByteArray *bytes_of_hex(const char *hex)
{
    GByteArray *b = g_byte_array_new();
    g_auto(GStrv) lines = g_strsplit(hex, "\n", -1);
    for (char **l = lines + 1; *l && **l; l++) { /* line 0 is the heading */
        unsigned off = 0;
        cr_assert_eq(sscanf(*l, "%4x", &off), 1, "%s", *l);
        cr_assert_eq(off, b->len, "each row starts where the previous one ended: %s", *l);
        size_t col = 0;
        const char *p = *l + 6;
        /* 16 slots of "xx " with one extra space after the eighth */
        for (int i = 0; i < 16; i++) {
            const char *slot = p + col;
            if (g_ascii_isxdigit(slot[0]) && g_ascii_isxdigit(slot[1])) {
                guint8 v =
                    (guint8)(g_ascii_xdigit_value(slot[0]) << 4 | g_ascii_xdigit_value(slot[1]));
                g_byte_array_append(b, &v, 1);
            }
            col += 3 + (i == 7);
        }
    }
    return b;
}

Test(step, detail_and_hex_of_an_icmp_echo)
{
    g_autoptr(SimStepper) st = open_topology("dorm-room", 1);
    /* step 9: swA forwards alex's first echo request (one frame) */
    g_autofree char *steps = exec1(st, "n 9");
    cr_assert(strstr(steps, "step 9 · event 16") && strstr(steps, "forward      ICMP echo request"),
              "%s", steps);
    g_autofree char *d = exec1(st, "detail");
    expect_in_order(d, (const char *[]){
                           "frame 1 of 1 (uid ",
                           "), 98 bytes: ICMP echo request 192.168.10.1 > 192.168.10.2 id=0x",
                           "\nEthernet II (eth), bytes 0-13\n",
                           "\nInternet Protocol Version 4 (ip), bytes 14-33\n",
                           "\nInternet Control Message Protocol (icmp), bytes 34-97\n",
                           "\nData (data), bytes 42-97\n",
                           NULL,
                       });
    expect_field(d, "eth.dst", "02:00:00:00:00:02");
    expect_field(d, "eth.src", "02:00:00:00:00:01");
    expect_field(d, "eth.type", "IPv4 (0x0800)");
    expect_field(d, "ip.version", "4");
    expect_field(d, "ip.hdr_len", "20");
    expect_field(d, "ip.len", "84");
    expect_field(d, "ip.flags.df", "Set"); /* iputils ping: -M want */
    expect_field(d, "ip.frag_offset", "0");
    expect_field(d, "ip.ttl", "64");
    expect_field(d, "ip.proto", "ICMP (1)");
    expect_field(d, "ip.checksum.status", "Good");
    expect_field(d, "ip.src", "192.168.10.1");
    expect_field(d, "ip.dst", "192.168.10.2");
    expect_field(d, "icmp.type", "Echo (ping) request (8)");
    expect_field(d, "icmp.code", "0");
    expect_field(d, "icmp.checksum.status", "Good");
    expect_field(d, "icmp.seq", "1 (0x0001)");
    expect_field(d, "data.len", "56");
    /* The identifier shown in the summary is the one in the header. */
    const char *id = strstr(d, "id=0x");
    g_autofree char *ident = field_value(d, "icmp.ident");
    cr_assert(strstr(ident, (char[7]){id[3], id[4], id[5], id[6], id[7], id[8], 0}), "%s vs %s",
              ident, id);

    g_autofree char *x = exec1(st, "hex");
    cr_assert(
        g_str_has_prefix(strchr(x, '\n') + 1, "0000  02 00 00 00 00 02 02 00  00 00 00 01 08 00  "),
        "%s", x);
    expect_in_order(x, (const char *[]){"  eth\n000e  ", "  ip\n0010  ", "  ip\n0020  ",
                                        "  ip\n0022  ", "  icmp\n002a  ", "  data\n", NULL});
    /* The bytes are the frame: the checksums shown as Good verify. */
    g_autoptr(GByteArray) b = bytes_of_hex(x);
    cr_assert_eq(b->len, 98);
    cr_assert_eq(csum(b->data + 14, 20), 0, "IPv4 header checksum");
    cr_assert_eq(csum(b->data + 34, 64), 0, "ICMP checksum");
    g_autofree char *ipck = field_value(d, "ip.checksum");
    g_autofree char *want = g_strdup_printf("0x%02x%02x", b->data[24], b->data[25]);
    cr_assert_str_eq(ipck, want);
}

Test(step, detail_of_an_icmp_error_indents_the_quoted_header)
{
    g_autoptr(SimStepper) st = open_topology("dorms-router", 1);
    GString *out = g_string_new(NULL);
    sim_stepper_exec(st, "filter icmp", out);
    bool found = false;
    for (int i = 0; i < 400 && !found; i++) {
        g_string_truncate(out, 0);
        sim_stepper_exec(st, "n", out);
        found = strstr(out->str, "tx           ICMP time-exceeded") != NULL;
    }
    cr_assert(found, "no time-exceeded step");
    g_autofree char *d = exec1(st, "detail 2");
    expect_in_order(d, (const char *[]){"Internet Control Message Protocol (icmp), bytes 34-69\n",
                                        "    icmp.type", "Time-to-live exceeded (11)",
                                        "\n  Internet Protocol Version 4 (ip), bytes 42-61, "
                                        "quoted by the ICMP error\n",
                                        "\n      ip.ttl", " 1\n",
                                        "\n  User Datagram Protocol (udp), bytes 62-69", NULL});
    g_autofree char *x = exec1(st, "hex 2");
    cr_assert(strstr(x, "  ip (quoted)\n") && strstr(x, "  udp (quoted)\n"), "%s", x);
    g_autofree char *bad = exec1(st, "hex 3");
    cr_assert(strstr(bad, "error: hex: this step has 2 frames"), "%s", bad);
    g_string_free(out, TRUE);
}

/* ---- tables, filters, until, continue --------------------------------------- */

Test(step, show_tables_as_they_stand_now)
{
    g_autoptr(SimStepper) st = open_topology("dorm-room", 1);
    g_autofree char *empty = exec1(st, "show swA mac");
    cr_assert(strstr(empty, "MAC address table of swA (0 entries)"), "%s", empty);
    g_free(exec1(st, "n 3")); /* swA has learned alex */
    g_autofree char *one = exec1(st, "show swA mac");
    cr_assert(strstr(one, "(1 entries)") || strstr(one, "(1 entry)"), "%s", one);
    cr_assert(strstr(one, "02:00:00:00:00:01  dynamic  p1"), "%s", one);
    g_autofree char *arp = exec1(st, "show yuchao arp");
    cr_assert_null(strstr(arp, "192.168.10.1"), "yuchao has not heard alex yet: %s", arp);
    g_free(exec1(st, "n"));
    g_autofree char *arp2 = exec1(st, "show yuchao arp");
    cr_assert(strstr(arp2, "192.168.10.1 dev eth0 lladdr 02:00:00:00:00:01"), "%s", arp2);
    g_autofree char *route = exec1(st, "show alex route");
    cr_assert(strstr(route, "192.168.10.0/24"), "%s", route);
    g_autofree char *ifs = exec1(st, "show alex interfaces");
    cr_assert(strstr(ifs, "192.168.10.1"), "%s", ifs);
    g_autofree char *typo = exec1(st, "show swB mac");
    cr_assert(strstr(typo, "error: show: unknown node 'swB' (did you mean 'swA'?)"), "%s", typo);
    g_autofree char *notab = exec1(st, "show alex mac");
    cr_assert(strstr(notab, "has no mac table"), "%s", notab);
    g_autofree char *badtab = exec1(st, "show alex fib");
    cr_assert(strstr(badtab, "error: show: unknown table 'fib'"), "%s", badtab);
    cr_assert_eq(sim_stepper_errors(st), 2);
}

Test(step, filter_shows_only_those_protocols)
{
    g_autoptr(SimStepper) st = open_topology("dorm-room", 1);
    g_autofree char *f = exec1(st, "filter arp");
    cr_assert_str_eq(f, "filter: arp (other steps run but are not shown)\n");
    g_autofree char *out = exec1(st, "n 8");
    g_autoptr(GPtrArray) blocks = step_blocks(out);
    cr_assert_eq(blocks->len, 8, "%s", out);
    for (guint i = 0; i < blocks->len; i++) {
        const char *b = g_ptr_array_index(blocks, i);
        cr_assert(strstr(b, " ARP "), "not an ARP step:\n%s", b);
    }
    /* chen's ARP at 4 s comes after the first ping's ARP exchange */
    cr_assert(strstr(out, "who-has 192.168.10.4 tell 192.168.10.3"), "%s", out);
    g_autofree char *typo = exec1(st, "filter icpm");
    cr_assert(strstr(typo, "unknown protocol 'icpm' (did you mean 'icmp'?)"), "%s", typo);
    g_autofree char *all = exec1(st, "filter all");
    cr_assert_str_eq(all, "filter: all (every step is shown)\n");
    g_autofree char *several = exec1(st, "filter arp, icmp");
    cr_assert_str_eq(several, "filter: arp,icmp (other steps run but are not shown)\n");

    /* Under a filter, `detail` opens the first frame the filter asks for:
     * alex's step that takes in the ARP reply and sends the echo. */
    g_autoptr(SimStepper) r = open_topology("dorms-router", 1);
    g_free(exec1(r, "filter icmp"));
    g_autofree char *first = exec1(r, "n");
    cr_assert(strstr(first, "step 7 ·"), "%s", first);
    g_autofree char *d = exec1(r, "detail");
    cr_assert(g_str_has_prefix(d, "frame 2 of 2 (uid 1), 98 bytes: ICMP echo request"), "%s", d);
    g_autofree char *d1 = exec1(r, "detail 1");
    cr_assert(g_str_has_prefix(d1, "frame 1 of 2 (uid 3), 60 bytes: ARP 192.168.10.254 is-at"),
              "%s", d1);
}

Test(step, until_forward_and_backward_and_continue)
{
    g_autoptr(SimStepper) st = open_topology("dorm-room", 1);
    g_autofree char *u = exec1(st, "until 2s");
    /* On the way: the first ping's output; then the step at 2 s. */
    expect_in_order(u, (const char *[]){"64 bytes from 192.168.10.2: icmp_seq=1",
                                        "step 13 · event 23 · t=2.000000000 s\n", NULL});
    cr_assert_eq(strstr(u, "step "), strstr(u, "step 13 "), "until prints no other step:\n%s", u);
    g_autofree char *b = exec1(st, "until 1.00001s");
    cr_assert(g_str_has_prefix(b, "step 4 · event 8 · t=1.000011600 s\n"), "%s", b);
    cr_assert_null(strstr(b, "64 bytes"), "going back replays silently:\n%s", b);
    g_autofree char *c = exec1(st, "continue");
    expect_in_order(c, (const char *[]){"2 packets transmitted, 2 received",
                                        "MAC address table of swA (4 entries)",
                                        "the simulation is over: no events left after", NULL});
    g_autofree char *n = exec1(st, "n");
    cr_assert(g_str_has_prefix(n, "the simulation is over"), "%s", n);
    g_autofree char *bad = exec1(st, "until soon");
    cr_assert(strstr(bad, "error: until expects a time"), "%s", bad);
    g_autofree char *help = exec1(st, "help");
    cr_assert(strstr(help, "back [N]") && strstr(help, "filter"), "%s", help);
    GString *q = g_string_new(NULL);
    cr_assert_not(sim_stepper_exec(st, "quit", q));
    cr_assert(sim_stepper_exec(st, "where", q));
    g_string_free(q, TRUE);
}

Test(step, max_events_bounds_a_storm)
{
    g_autoptr(SimStepper) st = open_topology("broadcast-storm", 1);
    sim_stepper_set_max_events(st, 5000);
    g_autofree char *c = exec1(st, "continue");
    cr_assert(strstr(c, "stopped: the event limit (--max-events) was reached after 5000 events"),
              "%s", c);
    cr_assert(strstr(c, "broadcast storm"), "the storm report is application output:\n%s", c);
}

/* ---- the decision in words and the frame views -------------------------- */

Test(step, port_lists_in_words)
{
    const char *cases[][2] = {{"p2,p3,p8", "ports 2, 3 and 8"},
                              {"p1", "port 1"},
                              {"p1,p2", "ports 1 and 2"},
                              {"p1,uplink", "ports 1 and uplink"}};
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GString) s = g_string_new(NULL);
        sim_step_explain_ports(cases[i][0], s);
        cr_assert_str_eq(s->str, cases[i][1]);
    }
}

Test(step, router_decision_in_words)
{
    g_autoptr(SimStepper) st = open_topology("dorms-router", 1);
    g_autofree char *out = exec1(st, "n 18");
    expect_in_order(
        out, (const char *[]){"⇒ r1: 192.168.20.1 matches 192.168.20.0/24 → eth1, TTL 64→63; "
                              "broadcast ARP who-has 192.168.20.1 tell 192.168.20.254; the "
                              "datagram waits for the ARP reply\n",
                              "⇒ r1 cached 192.168.20.1 is-at 02:00:00:00:00:02 (resolved, "
                              "REACHABLE); sent ICMP echo request 192.168.10.1 > 192.168.20.1",
                              "⇒ r1: 192.168.10.1 matches 192.168.10.0/24 → eth0, TTL 64→63; "
                              "forwarded it out of eth0\n",
                              NULL});
}

Test(step, hex_of_a_short_frame_marks_padding)
{
    /* An ARP request: 14 + 28 bytes, then 18 bytes of padding. */
    guint8 f[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0,   1,   0x08, 0x06,
                    0,    1,    0x08, 0,    6,    4,    0, 1, 2, 0, 0,   0,   0,    1,
                    192,  168,  10,   1,    0,    0,    0, 0, 0, 0, 192, 168, 10,   2};
    g_autoptr(GString) s = g_string_new(NULL);
    sim_frame_view_hex(f, sizeof f, s);
    expect_in_order(s->str,
                    (const char *[]){"0000  ff ff ff ff ff ff 02 00  00 00 00 01 08 06", "  eth\n",
                                     "000e  ", "  arp\n", "002a  ", "  padding\n", NULL});
    g_autoptr(GString) l = g_string_new(NULL);
    sim_frame_view_layers(f, sizeof f, NULL, l);
    expect_in_order(l->str, (const char *[]){"Address Resolution Protocol (arp), bytes 14-41",
                                             "arp.opcode", "request (1)", NULL});
}

Test(step, dot_draws_the_tables_as_of_the_current_step)
{
    /* After the first ARP exchange, swA has learned exactly alex (p1) and
     * the router (p8); the drawing must show that, not the end of the run. */
    SimStepper *st = open_topology("dorms-router", 1);
    g_autofree char *dir = g_dir_make_tmp("netsim-stepdot-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "now.dot", NULL);
    g_autofree char *cmd = g_strdup_printf("n 12\ndot %s\n", path);
    g_autofree char *out = exec_script(st, cmd);
    cr_assert(strstr(out, "wrote "), "%s", out);
    g_autofree char *dot = NULL;
    cr_assert(g_file_get_contents(path, &dot, NULL, NULL));
    cr_assert(strstr(dot, "MAC table (2)"), "swA should hold 2 entries at step 12");
    cr_assert(strstr(dot, "step 12"));
    g_autofree char *bad = exec1(st, "dot");
    cr_assert(strstr(bad, "usage: dot FILE"), "%s", bad);
    g_unlink(path);
    g_rmdir(dir);
    sim_stepper_free(st);
}

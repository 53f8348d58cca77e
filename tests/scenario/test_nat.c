/* test_nat.c - NAT44/PAT (sim/l3/nat.h) end to end, through the netsim
 * binary: home.topo's two PCs behind one address, what the outside server
 * captures, ICMP errors translated both ways, mapping timers and TCP
 * FIN/RST, port forwarding, unsolicited and private drops, a full table,
 * the errors of bad nat/forward lines, and the router's own errors about
 * translated datagrams (host unreachable, fragmentation needed, time
 * exceeded after a forward; fragmentation needed before source NAT). Every
 * capture is dissected by tshark with checksum validation on (ICMP's is
 * always checked). */
#include "helpers.h"
#include "run_netsim.h"
#include "../unit/topo_fixtures.h"

#include <glib/gstdio.h>
#include <string.h>

static void expect(const Run *r, const char *what)
{
    cr_assert(strstr(r->out, what), "missing \"%s\" in:\n%s", what, r->out);
}

static char *fields(const char *pcap, const char *filter, const char *const *f)
{
    const char *args[16] = {"-n", "-r", pcap, "-Y", filter, "-T", "fields"};
    guint n = 7;
    for (; *f && n < 14; f++) {
        args[n++] = "-e";
        args[n++] = *f;
    }
    args[n] = NULL;
    return tshark_run(args);
}

static guint lines(const char *s)
{
    guint n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Every capture in dir dissects clean: concatenated with mergecap -a (each
 * file's frames unchanged) so that tshark starts once. */
static void check_dir_clean(const char *dir)
{
    g_autofree char *mergecap = g_find_program_in_path("mergecap");
    cr_assert_not_null(mergecap, "mergecap is required (it comes with tshark)");
    g_autofree char *all = g_build_filename(dir, "all.merged", NULL);
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(argv, g_strdup(mergecap));
    g_ptr_array_add(argv, g_strdup("-a"));
    g_ptr_array_add(argv, g_strdup("-w"));
    g_ptr_array_add(argv, g_strdup(all));
    GDir *d = g_dir_open(dir, 0, NULL);
    cr_assert_not_null(d);
    for (const char *n; (n = g_dir_read_name(d));)
        g_ptr_array_add(argv, g_build_filename(dir, n, NULL));
    g_dir_close(d);
    cr_assert_gt(argv->len, 6);
    g_ptr_array_add(argv, NULL);
    int wait = 0;
    cr_assert(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                           NULL, NULL, &wait, NULL) &&
              g_spawn_check_wait_status(wait, NULL));
    const char *args[] = {"-n", "-r", all, "-T", "fields", "-e", "frame.number", NULL};
    g_autofree char *out = tshark_run(args);
    tshark_check_clean(all, lines(out));
    g_unlink(all);
}

Test(nat, home_two_pcs_one_address)
{
    g_autofree char *dir = fx_tmpdir("netsim-nat-XXXXXX");
    Run r = netsim((const char *[]){"run", "topologies/home.topo", "--pcap", dir, NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* Both PCs connect from port 32768; the server sees two outside ports
     * of one address, and both transfers are acknowledged end to end. */
    expect(&r, "discard :80: 20000 bytes from 100.64.0.2:32768");
    expect(&r, "discard :80: 20000 bytes from 100.64.0.2:32769");
    expect(&r,
           "home    wan    nat          tcp 192.168.1.10:32768 → 100.64.0.2:32768 (new mapping)");
    expect(&r,
           "home    wan    nat          tcp 192.168.1.11:32768 → 100.64.0.2:32769 (new mapping)");
    cr_assert_eq(g_strstr_len(r.out, -1, "tcp-send 203.0.113.10:80: 20000 bytes acknowledged") !=
                     NULL,
                 true);
    /* pc1's stub resolver holds its UDP port 32768 and the home router's
     * DNS forwarder the outside 32768, so pc1 sends from 32769 and the
     * phone's 32768 moves to 32770. */
    expect(&r, "udp   100.64.0.2:32769      192.168.1.10:32769    203.0.113.10:9");
    expect(&r, "udp   100.64.0.2:32770      192.168.1.12:32768    203.0.113.10:9");
    /* Every device got its address by DHCP, and names resolve through the
     * home router's forwarder, which asks from its public address. */
    expect(&r, "192.168.1.10     02:00:00:00:01:10  bound");
    expect(&r, "192.168.1.12     02:00:00:00:01:12  bound");
    expect(&r, "phone: PING www.example.net (203.0.113.10) 56(84) bytes of data.");
    expect(&r, "dns resolver: forwards www.example.net A to 203.0.113.53");
    expect(&r, "www.example.net. 289 IN A 203.0.113.10");
    /* traceroute through the NAT: every hop, the last by port unreachable. */
    expect(&r, " 1  192.168.1.1 ");
    expect(&r, " 2  100.64.0.1 ");
    expect(&r, " 3  203.0.113.10 ");
    expect(&r, "64 bytes from 203.0.113.10: icmp_seq=2 ttl=62");
    /* forward tcp 8080 → pc1:80; an unsolicited datagram; a private target. */
    expect(&r, "discard :80: 10000 bytes from 203.0.113.10:32768");
    expect(&r, "tcp 100.64.0.2:8080 → 192.168.1.10:80 (port forward)");
    expect(&r, "NAT (NAT: no mapping or forward for udp port 4000 (unsolicited))");
    expect(&r, "private destination (192.168.1.10 is private (RFC 1918)");

    /* The server's own capture: no private address anywhere, quoted
     * headers included; every IPv4 source is the home or the server. */
    g_autofree char *web = g_build_filename(dir, "web-eth0.pcap", NULL);
    g_autofree char *priv = fields(web,
                                   "ip.src == 192.168.0.0/16 || (ip.dst == 192.168.0.0/16 "
                                   "&& !icmp.type == 8)",
                                   (const char *[]){"frame.number", NULL});
    cr_assert_str_empty(priv, "private addresses reached the server: %s", priv);
    g_autofree char *srcs = fields(web, "ip && !icmp.type == 8", (const char *[]){"ip.src", NULL});
    cr_assert_gt(lines(srcs), 50);
    g_auto(GStrv) ls = g_strsplit(srcs, "\n", -1);
    for (char **l = ls; *l && **l; l++)
        cr_assert(g_str_has_prefix(*l, "100.64.0.2") || g_str_has_prefix(*l, "203.0.113.10"), "%s",
                  *l);
    /* The cloud's DNS server too sees only the home's public address; pc1
     * asked the home router (its DHCP lease's DNS server) by name. */
    g_autofree char *ns = g_build_filename(dir, "ns-eth0.pcap", NULL);
    g_autofree char *nsrc = fields(ns, "dns", (const char *[]){"ip.src", NULL});
    cr_assert_gt(lines(nsrc), 1);
    g_auto(GStrv) nl = g_strsplit(nsrc, "\n", -1);
    for (char **l = nl; *l && **l; l++)
        cr_assert(!strcmp(*l, "100.64.0.2") || !strcmp(*l, "203.0.113.53"), "%s", *l);
    g_autofree char *pc1 = g_build_filename(dir, "pc1-eth0.pcap", NULL);
    g_autofree char *q =
        fields(pc1, "dns.flags.response == 0", (const char *[]){"ip.dst", "dns.qry.name", NULL});
    cr_assert_str_eq(q, "192.168.1.1\twww.example.net\n");
    /* pc2 gets the server's port unreachable with the quoted header
     * translated back to its own address and port. */
    g_autofree char *pc2 = g_build_filename(dir, "pc2-eth0.pcap", NULL);
    g_autofree char *unr =
        fields(pc2, "icmp.type == 3 && icmp.code == 3",
               (const char *[]){"ip.src", "ip.dst", "udp.srcport", "udp.dstport", NULL});
    cr_assert(
        g_str_has_prefix(unr, "203.0.113.10,192.168.1.11\t192.168.1.11,203.0.113.10\t32769\t"),
        "%s", unr);
    /* Time exceeded from the ISP likewise. */
    g_autofree char *tex =
        fields(pc2, "icmp.type == 11", (const char *[]){"ip.src", "ip.dst", NULL});
    cr_assert(strstr(tex, "100.64.0.1,192.168.1.11\t192.168.1.11,203.0.113.10"), "%s", tex);
    check_dir_clean(dir);
    run_free(&r);
    fx_rm_dir(dir);
}

static const char *const small_net =
    "host h1 ip 192.168.1.10/24 gateway 192.168.1.1\n"
    "host h2 ip 192.168.1.11/24 gateway 192.168.1.1\n"
    "switch sw ports 3\n"
    "router r\n"
    "  interface lan ip 192.168.1.1/24\n"
    "  interface wan ip 100.64.0.2/30\n"
    "  route 0.0.0.0/0 via 100.64.0.1\n"
    "  nat inside lan outside wan capacity %u\n"
    "  forward udp 5000 to 192.168.1.10:5000\n"
    "router isp\n"
    "  interface a ip 100.64.0.1/30\n"
    "  interface b ip 203.0.113.1/24\n"
    "host s ip 203.0.113.10/24 gateway 203.0.113.1\n"
    "link h1 sw\nlink h2 sw\nlink sw.3 r.lan\nlink r.wan isp.a\nlink isp.b s\n";

static Run run_cap(const char *dir, guint capacity, const char *scenario, bool pcap)
{
    g_autofree char *path = g_build_filename(dir, "t.topo", NULL);
    g_autofree char *net = g_strdup_printf(small_net, capacity);
    g_autofree char *text = g_strconcat(net, scenario, NULL);
    cr_assert(g_file_set_contents(path, text, -1, NULL));
    g_autofree char *caps = g_build_filename(dir, "pcap", NULL);
    if (pcap)
        return netsim((const char *[]){"run", path, "--pcap", caps, NULL});
    return netsim((const char *[]){"run", path, NULL});
}

static Run run_text(const char *dir, const char *scenario, bool pcap)
{
    return run_cap(dir, 3, scenario, pcap);
}

Test(nat, timers_fin_rst_and_a_full_table)
{
    g_autofree char *dir = fx_tmpdir("netsim-nat-XXXXXX");
    Run r = run_text(dir,
                     "at 0s s service discard udp 9\n"
                     "at 0s s service discard tcp 80\n"
                     "at 1s h1 udp-send 203.0.113.10:9 bytes 100B size 100\n"
                     "at 2s h1 tcp-send 203.0.113.10:80 bytes 3KB\n"
                     "at 3s h2 tcp-send 203.0.113.10:81 bytes 3KB\n"
                     "at 4s h2 ping 203.0.113.10 count 1\n"
                     "at 5s show r nat\n"
                     "at 20s show r nat\n"
                     "at 200s s udp-send 100.64.0.2:32768 bytes 100B size 100\n"
                     "at 600s s udp-send 100.64.0.2:32768 bytes 100B size 100\n",
                     false);
    cr_assert_eq(r.status, 1, "%s", r.err); /* h2's connection is refused, as meant */
    expect(&r, "tcp-send 203.0.113.10:81: Connection refused");
    /* FIN both ways: closed (transitory timer); RST: reset, gone in 10 s. */
    expect(&r, "tcp   100.64.0.2:32768      192.168.1.10:32768    203.0.113.10:80       "
               "203.0.113.10:80            3s closed\n");
    expect(&r, "tcp   100.64.0.2:32769      192.168.1.11:32768    203.0.113.10:81       "
               "203.0.113.10:81            2s reset\n");
    expect(&r, "3 dynamic of 3, 1 forwards\n");
    expect(&r, "r       lan    drop         ICMP echo request 192.168.1.11 > 203.0.113.10 "
               "id=0xea6d seq=1 ttl=64 — NAT (NAT: translation table full)");
    expect(&r, "20.000000000  r       wan    nat          tcp 192.168.1.11:32768 ↔ "
               "100.64.0.2:32769 expired (idle 17 s)");
    expect(&r, "2 dynamic of 3, 1 forwards\n");
    /* A reply within 300 s of the last outbound packet passes; one later
     * finds the mapping expired and is dropped. */
    expect(&r, "200.000047920  r       wan    nat          udp 100.64.0.2:32768 → "
               "192.168.1.10:32768 (reply)");
    expect(&r, "600.000047920  r       wan    nat          udp 192.168.1.10:32768 ↔ "
               "100.64.0.2:32768 expired (idle 599 s)");
    expect(&r, "600.000047920  r       wan    drop         UDP 203.0.113.10:32769 > "
               "100.64.0.2:32768 len=100 — NAT (NAT: no mapping or forward for udp port 32768 "
               "(unsolicited))");
    run_free(&r);
    fx_rm_dir(dir);
}

Test(nat, forward_to_a_closed_port_returns_a_translated_error)
{
    g_autofree char *dir = fx_tmpdir("netsim-nat-XXXXXX");
    Run r = run_text(dir, "at 1s s udp-send 100.64.0.2:5000 bytes 100B size 100\n", true);
    cr_assert_eq(r.status, 0, "%s", r.err);
    expect(&r, "udp 100.64.0.2:5000 → 192.168.1.10:5000 (port forward)");
    expect(&r, "udp 192.168.1.10:5000 → 100.64.0.2:5000 (ICMP error: quoted header translated)");
    g_autofree char *pc = g_build_filename(dir, "pcap", "s-eth0.pcap", NULL);
    g_autofree char *unr =
        fields(pc, "icmp.type == 3 && icmp.code == 3",
               (const char *[]){"ip.src", "ip.dst", "udp.srcport", "udp.dstport", NULL});
    cr_assert_str_eq(unr, "100.64.0.2,203.0.113.10\t203.0.113.10,100.64.0.2\t32768\t5000\n");
    g_autofree char *caps = g_build_filename(dir, "pcap", NULL);
    check_dir_clean(caps);
    run_free(&r);
    fx_rm_dir(dir);
}

Test(nat, bad_nat_and_forward_lines_exit_2_at_their_column)
{
    static const struct {
        const char *router, *want;
    } cases[] = {
        {"  interface lan ip 192.168.1.1/24\n  interface wan\n  nat inside lan outside wan\n",
         "t.topo:4:26: error: nat interface r.wan has no address"},
        {"  interface lan ip 192.168.1.1/24\n  nat inside lan outside lan\n",
         "t.topo:3:26: error: 'lan' cannot be both inside and outside"},
        {"  interface lan ip 192.168.1.1/24\n  interface wan ip 100.64.0.2/30\n"
         "  nat inside lan outside wan pool 192.168.0.0/16\n",
         "t.topo:4:35: error: NAT pool overlaps the inside subnet 192.168.1.0/24"},
        {"  interface lan ip 192.168.1.1/24\n  interface wan ip 100.64.0.2/30\n"
         "  nat inside lan outside wan\n  forward tcp 8080 to 10.0.0.5:80\n",
         "t.topo:5:23: error: forward target 10.0.0.5 is not a host of the inside subnet of "
         "r.lan"},
        {"  interface lan ip 192.168.1.1/24\n  interface wan ip 100.64.0.2/30\n"
         "  nat inside lan outside wan\n  forward tcp 8080 to 192.168.1.10:0\n",
         "t.topo:5:36: error: bad port '0': expected a number from 1 to 65535"},
        {"  interface lan ip 192.168.1.1/24\n  interface wan ip 100.64.0.2/30\n"
         "  nat inside lan outside wan\n  forward udp 0 to 192.168.1.10:53\n",
         "t.topo:5:15: error: bad port '0': expected a number from 1 to 65535"},
        {"  interface lan ip 192.168.1.1/24\n  forward tcp 80 to 192.168.1.10:80\n",
         "t.topo:3:3: error: 'forward' on 'r' needs a 'nat' line"},
    };
    g_autofree char *dir = fx_tmpdir("netsim-nat-XXXXXX");
    g_autofree char *path = g_build_filename(dir, "t.topo", NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *text = g_strconcat("router r\n", cases[i].router, NULL);
        cr_assert(g_file_set_contents(path, text, -1, NULL));
        Run r = netsim((const char *[]){"check", path, NULL});
        cr_assert_eq(r.status, 2, "case %zu: %s", i, r.out);
        cr_assert(strstr(r.err, cases[i].want), "case %zu: want %s, got %s", i, cases[i].want,
                  r.err);
        run_free(&r);
    }
    fx_rm_dir(dir);
}

/* The router's own flows from its outside address are tracked too: a clash
 * with an inside host's port is remapped, and replies reach the router. */
Test(nat, the_routers_own_traffic)
{
    g_autofree char *dir = fx_tmpdir("netsim-nat-XXXXXX");
    Run r = run_cap(dir, 10,
                    "at 0s s service discard tcp 80\n"
                    "at 1s h1 tcp-send 203.0.113.10:80 bytes 3KB\n"
                    "at 2s r tcp-send 203.0.113.10:80 bytes 3KB\n"
                    "at 3s r ping 203.0.113.10 count 1\n"
                    "at 4s r traceroute 203.0.113.10\n"
                    "at 5s show r nat\n",
                    true);
    cr_assert_eq(r.status, 0, "%s", r.err);
    expect(&r, "discard :80: 3000 bytes from 100.64.0.2:32768");
    expect(&r, "discard :80: 3000 bytes from 100.64.0.2:32769");
    expect(&r, "tcp 100.64.0.2:32768 → 100.64.0.2:32769 (new mapping)");
    expect(&r, "1 packets transmitted, 1 received");
    expect(&r, " 1  100.64.0.1 ");
    expect(&r, " 2  203.0.113.10 ");
    expect(&r, "tcp   100.64.0.2:32769      100.64.0.2:32768      203.0.113.10:80       "
               "203.0.113.10:80 ");
    g_autofree char *caps = g_build_filename(dir, "pcap", NULL);
    check_dir_clean(caps);
    run_free(&r);
    fx_rm_dir(dir);
}

/* internet.topo: two homes and a campus (a pool) reach the cloud from
 * public addresses only; the ISPs never route private space. */
Test(nat, internet_homes_and_campus)
{
    Run r = netsim((const char *[]){"run", "topologies/internet.topo", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    expect(&r, "discard :80: 10000 bytes from 100.64.0.2:32768");
    expect(&r, "discard :80: 10000 bytes from 100.64.0.6:32768");
    expect(&r, "discard :80: 10000 bytes from 192.0.2.5:32768");
    expect(&r, "campus  wan    nat          tcp 10.20.1.5:32768 → 192.0.2.5:32768 (new mapping)");
    expect(&r,
           "transit cloud  drop         ICMP echo request 203.0.113.10 > 192.168.1.10 id=0x33cd "
           "seq=1 ttl=64 — private destination (192.168.1.10 is private (RFC 1918): never "
           "routed on the public Internet)");
    expect(&r, " 5  203.0.113.10 ");
    cr_assert_null(strstr(r.out, "bytes from 192.168."), "a private source reached the cloud");
    cr_assert_null(strstr(r.out, "bytes from 10.20."), "a private source reached the cloud");
    run_free(&r);
}

/* home with a smaller MTU on the LAN (%u) or on the WAN (%u), forwards to
 * pc:80, to a host that does not exist (.99), and of the port of the
 * second hop of a one-probe traceroute. */
static const char *const mtu_net =
    "host h1 ip 192.168.1.10/24 gateway 192.168.1.1\n"
    "switch sw ports 3\n"
    "router r\n"
    "  interface lan ip 192.168.1.1/24\n"
    "  interface wan ip 100.64.0.2/30\n"
    "  route 0.0.0.0/0 via 100.64.0.1\n"
    "  nat inside lan outside wan\n"
    "  forward tcp 8080 to 192.168.1.10:80\n"
    "  forward tcp 8081 to 192.168.1.99:80\n"
    "  forward udp 33435 to 192.168.1.10:33435\n"
    "router isp\n"
    "  interface a ip 100.64.0.1/30\n"
    "  interface b ip 203.0.113.1/24\n"
    "host s ip 203.0.113.10/24 gateway 203.0.113.1\n"
    "link h1 sw\nlink sw.3 r.lan mtu %u\nlink r.wan isp.a mtu %u\nlink isp.b s\n";

/* Every capture of a run_mtu run is clean; then the run is freed. */
static void finish_clean(const char *dir, Run *r)
{
    g_autofree char *caps = g_build_filename(dir, "pcap", NULL);
    check_dir_clean(caps);
    run_free(r);
    fx_rm_dir(dir);
}

static Run run_mtu(const char *dir, unsigned lan, unsigned wan, const char *scenario)
{
    g_autofree char *path = g_build_filename(dir, "t.topo", NULL);
    g_autofree char *net = g_strdup_printf(mtu_net, lan, wan);
    g_autofree char *text = g_strconcat(net, scenario, NULL);
    cr_assert(g_file_set_contents(path, text, -1, NULL));
    g_autofree char *caps = g_build_filename(dir, "pcap", NULL);
    return netsim((const char *[]){"run", path, "--pcap", caps, NULL});
}

/* Errors the NAT router raises itself about a datagram it translated in
 * (Linux nf_nat_icmp_reply_translation): the quote shows the global
 * address and port the outside sender used, so it recognises its packet. */
Test(nat, the_routers_own_errors_about_forwarded_datagrams_are_translated_back)
{
    g_autofree char *dir = fx_tmpdir("netsim-nat-XXXXXX");
    Run r = run_mtu(dir, 1400, 1500,
                    "at 1s h1 service discard tcp 80\n"
                    "at 2s s tcp-send 100.64.0.2:8080 bytes 3000B\n"
                    "at 3s s tcp-send 100.64.0.2:8081 bytes 100B\n");
    /* netsim's TCP does no PMTU discovery (sim/l4/tcp.h): both fail. */
    cr_assert_eq(r.status, 1, "%s", r.err);
    expect(&r, "tcp 192.168.1.10:80 → 100.64.0.2:8080 (the router's own ICMP error: quoted "
               "header translated back)");
    expect(&r, "tcp 192.168.1.99:80 → 100.64.0.2:8081 (the router's own ICMP error: quoted "
               "header translated back)");
    /* The sender's IP layer files the MTU under the address it used... */
    expect(&r, "path MTU to 100.64.0.2 is now 1400");
    /* ...and its TCP finds the connection the host unreachable is about. */
    expect(&r, "ICMP unreachable (code 1) for 203.0.113.10:32769 > 100.64.0.2:8081");
    g_autofree char *pc = g_build_filename(dir, "pcap", "s-eth0.pcap", NULL);
    const char *const f[] = {"ip.src", "ip.dst", "tcp.srcport", "tcp.dstport", NULL};
    g_autofree char *frag = fields(pc, "icmp.type == 3 && icmp.code == 4 && icmp.mtu == 1400", f);
    cr_assert(g_str_has_prefix(frag, "100.64.0.2,203.0.113.10\t203.0.113.10,100.64.0.2\t32768\t"
                                     "8080\n"),
              "%s", frag);
    g_autofree char *host = fields(pc, "icmp.type == 3 && icmp.code == 1", f);
    cr_assert(g_str_has_prefix(host, "100.64.0.2,203.0.113.10\t203.0.113.10,100.64.0.2\t32769\t"
                                     "8081\n"),
              "%s", host);
    g_autofree char *priv = fields(pc, "ip.addr == 192.168.0.0/16", f);
    cr_assert_str_empty(priv, "an inside address reached the outside: %s", priv);
    finish_clean(dir, &r);
}

/* An outbound datagram too big for the outside link is refused before it
 * is translated (Linux: ip_forward's MTU check precedes POSTROUTING), so
 * the error quotes the inside source and reaches the inside host. */
Test(nat, frag_needed_about_an_outbound_datagram_reaches_the_inside_host)
{
    g_autofree char *dir = fx_tmpdir("netsim-nat-XXXXXX");
    Run r = run_mtu(dir, 1500, 1400,
                    "at 1s s service discard tcp 9\n"
                    "at 2s h1 tcp-send 203.0.113.10:9 bytes 3000B\n");
    cr_assert_eq(r.status, 1, "%s", r.err);
    expect(&r, "ICMP destination unreachable (fragmentation needed and DF set, next-hop MTU 1400, "
               "code 4) → 192.168.1.10");
    expect(&r, "h1      -      info         path MTU to 203.0.113.10 is now 1400");
    cr_assert_null(strstr(r.out, "r       -      info         path MTU"), "%s", r.out);
    g_autofree char *pc = g_build_filename(dir, "pcap", "h1-eth0.pcap", NULL);
    const char *const f[] = {"ip.src", "ip.dst", "tcp.srcport", "tcp.dstport", NULL};
    g_autofree char *frag = fields(pc, "icmp.type == 3 && icmp.code == 4", f);
    cr_assert(g_str_has_prefix(frag, "192.168.1.1,192.168.1.10\t192.168.1.10,203.0.113.10\t32768\t"
                                     "9\n"),
              "%s", frag);
    finish_clean(dir, &r);
}

/* A traceroute from outside whose second probe (TTL 2) matches a forward:
 * its TTL runs out on the NAT router after translation, and the Time
 * Exceeded quotes the probe as sent, so traceroute shows the hop. */
Test(nat, time_exceeded_after_a_forward_quotes_the_probe_as_sent)
{
    g_autofree char *dir = fx_tmpdir("netsim-nat-XXXXXX");
    Run r = run_mtu(dir, 1500, 1500, "at 1s s traceroute 100.64.0.2 probes 1 max-hops 3\n");
    cr_assert_eq(r.status, 0, "%s", r.err);
    expect(&r, "udp 192.168.1.10:33435 → 100.64.0.2:33435 (the router's own ICMP error: quoted "
               "header translated back)");
    expect(&r, " 2  100.64.0.2 ");
    g_autofree char *pc = g_build_filename(dir, "pcap", "s-eth0.pcap", NULL);
    const char *const f[] = {"ip.src", "ip.dst", "udp.dstport", NULL};
    g_autofree char *tex = fields(pc, "icmp.type == 11 && ip.src == 100.64.0.2", f);
    cr_assert_str_eq(tex, "100.64.0.2,203.0.113.10\t203.0.113.10,100.64.0.2\t33435\n");
    finish_clean(dir, &r);
}

/* test_zh_cn.c - the Chinese classroom (issue #19): the same scenario under
 * LC_ALL=zh_CN.UTF-8 and LC_ALL=C, device labels everywhere people read
 * them, and diagnostics whose carets land under the right character after
 * Chinese text. The netsim binary is run as a user would (run_netsim.h);
 * display widths and carets are also checked in-process. Needs the
 * zh_CN.UTF-8 locale (README's install line and .ci/run generate it). */
#include "run_netsim.h"
#include "sim/topo/diag.h"
#include "sim/topo/parser.h"
#include "sim/util/textwidth.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#define DORMS "topologies/dorms-router.topo"

/* Our environment with LC_ALL=locale and no LANGUAGE list. */
static char **env_for(const char *locale)
{
    char **env = g_get_environ();
    env = g_environ_setenv(env, "LC_ALL", locale, TRUE);
    env = g_environ_unsetenv(env, "LANGUAGE");
    return env;
}

static void stdin_from(gpointer path)
{
    int fd = open(path, O_RDONLY);
    if (fd >= 0)
        dup2(fd, STDIN_FILENO);
}

/* `netsim step [--seed SEED] FILE` under locale, fed `script` on stdin. */
static Run step_seeded(const char *locale, const char *file, const char *seed, const char *script)
{
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("zh-step-XXXXXX", &path, NULL);
    cr_assert(fd >= 0);
    cr_assert(write(fd, script, strlen(script)) == (ssize_t)strlen(script));
    close(fd);
    g_auto(GStrv) env = env_for(locale);
    const char *seeded[] = {"step", "--seed", seed, file, NULL}, *plain[] = {"step", file, NULL};
    Run r = netsim_spawn(seed ? seeded : plain, env, stdin_from, path, TRUE);
    g_unlink(path);
    return r;
}

static Run step_in(const char *locale, const char *file, const char *script)
{
    return step_seeded(locale, file, NULL, script);
}

static Run run_in(const char *locale, const char *const *args)
{
    g_auto(GStrv) env = env_for(locale);
    return netsim_spawn(args, env, NULL, NULL, TRUE);
}

static const char nine_steps[] = "n\nn\nn\nn\nn\nn\nn\nn\nn\n";

Test(zh_cn, locale_is_installed)
{
    cr_assert_not_null(newlocale(LC_ALL_MASK, "zh_CN.UTF-8", (locale_t)0),
                       "zh_CN.UTF-8 is missing: sed -i 's/^# zh_CN.UTF-8/zh_CN.UTF-8/' "
                       "/etc/locale.gen && locale-gen");
}

Test(zh_cn, stepper_explains_a_flood_and_a_route_in_chinese)
{
    Run r = step_in("zh_CN.UTF-8", DORMS, nine_steps);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "  ⇒ swA 学习到 MAC 地址 00:0a:a4:2a:3e:4b 位于端口 1；"
                            "目的地址是广播地址 → 泛洪到端口 2 和 8\n"),
              "flood:\n%s", r.out);
    cr_assert(strstr(r.out, "  ⇒ r1：192.168.20.1 匹配路由 192.168.20.0/24 → 从接口 eth1 "
                            "直接交付（直连网络），生存时间 TTL 64→63；"),
              "route:\n%s", r.out);
    cr_assert(strstr(r.out, "  ⇒ alex：192.168.20.1 匹配路由 0.0.0.0/0 → 从接口 eth0 "
                            "发往下一跳（网关）192.168.10.254；"),
              "route via the gateway:\n%s", r.out);
    /* the labelled PC, in its record lines and its sentence */
    cr_assert(strstr(r.out, "    1.000011600  于超的电脑 eth0   drop  "), "%s", r.out);
    cr_assert(strstr(r.out, "  ⇒ 于超的电脑 丢弃了 ARP who-has 192.168.10.254 tell "
                            "192.168.10.1：不是发给本机的\n"),
              "%s", r.out);
    cr_assert(strstr(r.out, "第 3 步 · 事件 4 · t=1.000005800 s\n"), "%s", r.out);
    run_free(&r);
}

Test(zh_cn, the_same_run_under_c_speaks_english)
{
    Run r = step_in("C", DORMS, nine_steps);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "  ⇒ swA learned 00:0a:a4:2a:3e:4b on port 1; destination is "
                            "broadcast → flooded to ports 2 and 8\n"),
              "%s", r.out);
    cr_assert(strstr(r.out, "  ⇒ r1: 192.168.20.1 matches 192.168.20.0/24 → eth1, TTL 64→63; "),
              "%s", r.out);
    cr_assert(strstr(r.out, "step 3 · event 4 · t=1.000005800 s\n"), "%s", r.out);
    cr_assert_null(strstr(r.out, "学习到"), "%s", r.out);
    cr_assert_null(strstr(r.out, "匹配路由"), "%s", r.out);
    cr_assert_null(strstr(r.out, "第 "), "%s", r.out);
    /* the label is data, not a translation: it shows in every locale */
    cr_assert(strstr(r.out, "  ⇒ 于超的电脑 dropped ARP who-has 192.168.10.254 tell "
                            "192.168.10.1: not for us\n"),
              "%s", r.out);
    run_free(&r);
}

Test(zh_cn, json_trace_is_byte_identical_under_both_locales)
{
    const char *args[] = {"run", DORMS, "--trace", "json", NULL};
    Run zh = run_in("zh_CN.UTF-8", args), c = run_in("C", args);
    cr_assert_eq(zh.status, 0, "%s", zh.err);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_gt(strlen(c.out), 10000);
    cr_assert(strcmp(zh.out, c.out) == 0, "the JSON trace depends on the locale");
    cr_assert(strstr(c.out, "\"node\":\"yuchao\",\"label\":\"于超的电脑\",\"iface\":\"eth0\""),
              "label key in JSON");
    run_free(&zh);
    run_free(&c);
}

Test(zh_cn, text_trace_aligns_the_label_by_display_width)
{
    const char *args[] = {"run", DORMS, NULL};
    Run r = run_in("zh_CN.UTF-8", args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* 于超的电脑 is 5 characters, 15 bytes and 10 columns: the column after it
     * starts where it does after "swA" padded to 10. */
    const char *lab = strstr(r.out, "\n    1.000011600  于超的电脑 eth0   rx ");
    const char *sw = strstr(r.out, "\n    1.000005800  swA        p1     rx ");
    cr_assert(lab && sw, "%s", r.out);
    cr_assert_eq(sim_text_width("    1.000011600  于超的电脑 ", -1),
                 sim_text_width("    1.000005800  swA        ", -1));
    /* ping output stays English, as iputils' does under zh_CN */
    cr_assert(strstr(r.out, "alex: 3 packets transmitted, 3 received, 0% packet loss"), "%s",
              r.out);
    run_free(&r);
}

Test(zh_cn, diagrams_carry_the_label)
{
    g_autofree char *dir = g_dir_make_tmp("zh-dot-XXXXXX", NULL);
    g_autofree char *svg = g_build_filename(dir, "d.svg", NULL);
    const char *dot_args[] = {"dot", DORMS, NULL};
    const char *svg_args[] = {"dot", DORMS, "-o", svg, NULL};
    Run d = run_in("zh_CN.UTF-8", dot_args), s = run_in("zh_CN.UTF-8", svg_args);
    cr_assert_eq(d.status, 0, "%s", d.err);
    cr_assert_eq(s.status, 0, "%s", s.err);
    /* DOT: the label is the title, the name beneath it; the node id stays */
    cr_assert(strstr(d.out, "于超的电脑"), "%s", d.out);
    cr_assert(strstr(d.out, "yuchao"), "%s", d.out);
    cr_assert(strstr(d.out, "Noto Sans CJK SC"), "a CJK font in the font list: %s", d.out);
    g_autofree char *text = NULL;
    cr_assert(g_file_get_contents(svg, &text, NULL, NULL));
    cr_assert(strstr(text, ">于超的电脑</text>"), "SVG text");
    cr_assert(strstr(text, ">交换机，8 个端口</text>"), "legend in Chinese");
    cr_assert(strstr(text, "未标注的链路均为 100Mbps 1us"), "legend in Chinese");
    g_unlink(svg);
    g_rmdir(dir);
    run_free(&d);
    run_free(&s);
}

/* A topology with a label and a mistake after it on the same line. */
static const char bad_topo[] = "network \"宿舍\"\n"
                               "host yuchao label \"于超的电脑\" ip 10.0.0.2/24 bogus 1\n"
                               "host 于超 ip 10.0.0.3/24\n";

Test(zh_cn, errors_keep_file_line_col_and_the_caret_after_chinese_text)
{
    g_autofree char *dir = g_dir_make_tmp("zh-err-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "t.topo", NULL);
    cr_assert(g_file_set_contents(path, bad_topo, -1, NULL));
    const char *args[] = {"check", path, NULL};
    Run zh = run_in("zh_CN.UTF-8", args), c = run_in("C", args);
    cr_assert_eq(zh.status, 2);
    cr_assert_eq(c.status, 2);
    /* "host yuchao label " is 18 columns, the label 10 + 2 quotes, then
     * " ip 10.0.0.2/24 " 16: bogus starts at column 47 (byte 57). */
    g_autofree char *head = g_strdup_printf("%s:2:47: 错误：未知的主机属性 'bogus'\n", path);
    g_autofree char *caret =
        g_strdup_printf("host yuchao label \"于超的电脑\" ip 10.0.0.2/24 bogus 1\n%*s^\n", 46, "");
    cr_assert(strstr(zh.err, head), "%s", zh.err);
    cr_assert(strstr(zh.err, caret), "caret under 'b':\n%s", zh.err);
    g_autofree char *head_c =
        g_strdup_printf("%s:2:47: error: unknown host attribute 'bogus'\n", path);
    cr_assert(strstr(c.err, head_c), "%s", c.err);
    cr_assert(strstr(c.err, caret), "%s", c.err);
    /* a Chinese word where a name is expected says to use label */
    g_autofree char *name = g_strdup_printf("%s:3:6: 错误：引号外出现了非 ASCII 字符", path);
    cr_assert(strstr(zh.err, name), "%s", zh.err);
    cr_assert(strstr(zh.err, "label"), "%s", zh.err);
    g_unlink(path);
    g_rmdir(dir);
    run_free(&zh);
    run_free(&c);
}

Test(zh_cn, display_width_counts_wide_characters_twice)
{
    cr_assert_eq(sim_text_width("alex", -1), 4);
    cr_assert_eq(sim_text_width("于超的电脑", -1), 10);
    cr_assert_eq(sim_text_width("交换机 A", -1), 8);
    cr_assert_eq(sim_text_width("e\xcc\x81", -1), 1, "a combining accent takes no column");
    cr_assert_eq(sim_text_width("，", -1), 2, "fullwidth comma");
}

Test(zh_cn, in_process_caret_counts_display_columns)
{
    g_autoptr(SimDiag) diag = sim_diag_new();
    const char text[] = "host a label \"网关\" bogus\n";
    SimTopo *t = sim_topo_parse_buffer("t.topo", text, strlen(text), diag);
    sim_topo_free(t);
    int e = sim_diag_find(diag, SIM_DIAG_ERROR);
    cr_assert_geq(e, 0);
    /* "host a label " 13 + "网关" in quotes 6 + " " = 20: bogus at 21 */
    cr_assert_eq(sim_diag_get(diag, (guint)e)->col, 21);
    g_autofree char *out = sim_diag_render(diag);
    cr_assert(strstr(out, "host a label \"网关\" bogus\n                    ^\n"), "%s", out);
}

/* ---- protocol decisions: spanning tree, TCP, VLAN tagging, NAT ---------------- */

#define ENTERPRISE "topologies/enterprise.topo"

/* The "  ⇒ " line of out that starts with head (NULL-safe, caller frees). */
static char *decision(const char *out, const char *head)
{
    g_autofree char *needle = g_strconcat("\n  ⇒ ", head, NULL);
    const char *at = strstr(out, needle);
    if (!at)
        return NULL;
    at += strlen("\n  ");
    const char *nl = strchr(at, '\n');
    return g_strndup(at, nl ? (gsize)(nl - at) : strlen(at));
}

/* Asserts line holds none of the English words of the details it explains. */
static void no_english(const char *line, const char *const *words)
{
    cr_assert_not_null(line);
    for (const char *const *w = words; *w; w++)
        cr_assert_null(strstr(line, *w), "English '%s' left in: %s", *w, line);
}

static const char *const stp_english[] = {
    "role",     "received", "BPDU on",   "designated", "alternate", "forwarding", "discarding",
    "recorded", "root is",  "proposal",  "topology",   "port 2",    "cost",       "better",
    " p24",     " p47",     "flush MAC", "neighbours", NULL};

Test(zh_cn, stepper_explains_spanning_tree_in_chinese)
{
    Run zh = step_in("zh_CN.UTF-8", ENTERPRISE, "n 95\n"), c = step_in("C", ENTERPRISE, "n 95\n");
    cr_assert_eq(zh.status, 0, "%s", zh.err);
    cr_assert_eq(c.status, 0, "%s", c.err);
    /* sw-eng hears the root's proposal on p24: a BPDU received, the root
     * found, a role and a state change, and the topology change */
    g_autofree char *eng = decision(zh.out, "sw-eng：在端口 24 收到 RST BPDU");
    cr_assert_str_eq(eng,
                     "⇒ sw-eng：在端口 24 收到 RST BPDU：根桥 4096.02:b0:00:00:00:04，"
                     "根路径开销 0，发送桥 4096.02:b0:00:00:00:04，端口 ID 128.1，消息寿命 "
                     "0 秒，提议：优于已记录的信息，记录下来；根桥是 4096.02:b0:00:00:00:04，"
                     "经端口 24（根端口）的根路径开销为 4（端口 24 收到 BPDU）；端口 24 的角色："
                     "指定端口 → 根端口（端口 24 收到 BPDU）；端口 24（根端口）的状态：丢弃 → "
                     "转发（新的根端口立即转发（802.1D-2004 17.29.2））；端口 24 发生拓扑变更"
                     "（有端口开始转发）：清除其他端口的 MAC 地址表项，并向邻居发送 TC");
    no_english(eng, stp_english);
    /* sw-floor2's p47 loses to sw-eng's p23: the alternate port */
    g_autofree char *alt = decision(zh.out, "sw-floor2：在端口 47 收到 RST BPDU：根桥 4096.");
    cr_assert(g_str_has_suffix(alt, "，拓扑变更 TC，提议：优于已记录的信息，记录下来；端口 47 "
                                    "的角色：指定端口 → 替代端口（端口 47 收到 BPDU）"),
              "%s", alt);
    no_english(alt, stp_english);
    /* BPDUs sent: the sentence says it, the tx record is not restated */
    g_autofree char *sent = decision(zh.out, "coresw：从端口 1（指定端口）发送 RST BPDU");
    cr_assert(strstr(sent, "：根桥 4096.02:b0:00:00:00:04，根路径开销 0，"), "%s", sent);
    no_english(sent, stp_english);
    cr_assert_null(strstr(sent, "在 p1 上发送"), "%s", sent);
    /* LANG=C: the same decisions in English */
    cr_assert(strstr(c.out,
                     "\n  ⇒ sw-eng: received an RST BPDU on port 24: root "
                     "4096.02:b0:00:00:00:04 cost 0 bridge 4096.02:b0:00:00:00:04 port 128.1 "
                     "age 0s, proposal: better than recorded, recorded; root is "
                     "4096.02:b0:00:00:00:04 at cost 4 through port 24 (BPDU on port 24); "
                     "port 24 role designated → root (BPDU on port 24); port 24 root: "
                     "discarding → forwarding (a new root port forwards at once (802.1D-2004 "
                     "17.29.2)); topology change on port 24 (a port started forwarding): "
                     "flush MAC entries of the other ports, TC to the neighbours\n"),
              "%s", c.out);
    cr_assert(strstr(c.out, "; port 47 role designated → alternate (BPDU on port 47)\n"), "%s",
              c.out);
    cr_assert_null(strstr(c.out, "根桥"));
    run_free(&zh);
    run_free(&c);
}

/* A lossy link (3%): with seed 1 the sender's fourth window loses a
 * segment (three duplicate ACKs), with seed 3 a whole flight (the RTO). */
static const char LOSSY[] = "host a ip 10.0.1.1/24\n"
                            "host b ip 10.0.1.2/24\n"
                            "link a b rate 100Mbps delay 1ms loss 3%\n"
                            "at 0s b service discard tcp 9\n"
                            "at 1s a tcp-send 10.0.1.2:9 bytes 100000B\n";

static const char *const tcp_english[] = {
    "duplicate", "fast retransmit", "retransmit",   "expired",   "unacknowledged",
    "received",  "SYN from",        "window scale", "tcp-state", "(connect)",
    "bytes",     " from 10.0.1",    "three-way",    NULL};

Test(zh_cn, stepper_explains_tcp_in_chinese)
{
    g_autofree char *dir = g_dir_make_tmp("zh-tcp-XXXXXX", NULL);
    g_autofree char *topo = g_build_filename(dir, "lossy.topo", NULL);
    cr_assert(g_file_set_contents(topo, LOSSY, -1, NULL));
    const char script[] = "n 7\nu 2.01137s\n";
    Run zh = step_in("zh_CN.UTF-8", topo, script), c = step_in("C", topo, script);
    Run rto = step_seeded("zh_CN.UTF-8", topo, "3", "u 1.208s\n");
    cr_assert_eq(zh.status, 0, "%s", zh.err);
    cr_assert_eq(rto.status, 0, "%s", rto.err);
    g_autofree char *fast = decision(zh.out, "a 收到来自 10.0.1.2 的 TCP 分组，20 字节；收到 3");
    cr_assert(g_str_has_prefix(fast,
                               "⇒ a 收到来自 10.0.1.2 的 TCP 分组，20 字节；收到 3 个重复确认"
                               "（确认号 36501）→ 快速重传，拥塞窗口 cwnd 33580 → 12410，"
                               "慢启动阈值 ssthresh 8030；重传序号 36501，长度 1460（快速重传）"
                               "10.0.1.1:32768 > 10.0.1.2:9；"),
              "%s", fast);
    no_english(fast, tcp_english);
    /* a state change: the passive open, SYN received */
    g_autofree char *syn = decision(zh.out, "b 收到来自 10.0.1.1 的 TCP 分组，28 字节；TCP 状态");
    cr_assert(g_str_has_prefix(syn, "⇒ b 收到来自 10.0.1.1 的 TCP 分组，28 字节；TCP 状态 LISTEN → "
                                    "SYN_RECEIVED（收到 SYN：三次握手第一步）10.0.1.2:9 > "
                                    "10.0.1.1:32768；收到来自 10.0.1.1:32768 的 SYN：MSS 1460，"
                                    "窗口扩大选项已提供 → 回复 SYN, ACK；"),
              "%s", syn);
    no_english(syn, tcp_english);
    g_autofree char *timeout = decision(rto.out, "a：重传计时器 RTO 超时");
    cr_assert(g_str_has_prefix(timeout, "⇒ a：重传计时器 RTO 超时（200 毫秒），序号 16061 "
                                        "仍未被确认 → 超时重传，拥塞窗口 cwnd 21170 → 1460，"
                                        "慢启动阈值 ssthresh 8030 → 8030 10.0.1.1:32768 > "
                                        "10.0.1.2:9；超时重传：序号 16061 10.0.1.1:32768 > "
                                        "10.0.1.2:9；"),
              "%s", timeout);
    no_english(timeout, tcp_english);
    /* LANG=C */
    cr_assert(strstr(c.out, "\n  ⇒ a received TCP from 10.0.1.2, 20 bytes; 3 duplicate ACKs for "
                            "36501 → fast retransmit, cwnd 33580 → 12410, ssthresh 8030; "
                            "retransmit seq 36501 len 1460 (fast retransmit) 10.0.1.1:32768 > "
                            "10.0.1.2:9; "),
              "%s", c.out);
    cr_assert(strstr(c.out, "; tcp-state LISTEN → SYN_RECEIVED (SYN received) 10.0.1.2:9 > "
                            "10.0.1.1:32768; SYN from 10.0.1.1:32768: MSS 1460, window scale "
                            "offered → SYN, ACK; "),
              "%s", c.out);
    run_free(&zh);
    run_free(&c);
    run_free(&rto);
    g_unlink(topo);
    g_rmdir(dir);
}

Test(zh_cn, stepper_explains_vlan_tagging_and_nat_in_chinese)
{
    const char vscript[] = "u 1.0000058s\nu 1.0000119s\n", nscript[] = "u 13.037s\n";
    Run vz = step_in("zh_CN.UTF-8", "topologies/vlans.topo", vscript),
        vc = step_in("C", "topologies/vlans.topo", vscript);
    Run nz = step_in("zh_CN.UTF-8", "topologies/home.topo", nscript),
        nc = step_in("C", "topologies/home.topo", nscript);
    cr_assert_eq(vz.status + vc.status + nz.status + nc.status, 0, "%s%s", vz.err, nz.err);
    const char *const vlan_english[] = {"vlan", "tagged", "removed", "pcp", "learned", NULL};
    g_autofree char *tag = decision(vz.out, "sw1 ");
    cr_assert_str_eq(tag, "⇒ sw1 学习到 MAC 地址 02:00:00:00:00:01 位于端口 1；打上 VLAN 10 标签"
                          "（PCP 0）→ 从端口 8 带标签发出（trunk）；目的地址是广播地址 → 泛洪到"
                          "端口 2 和 8");
    no_english(tag, vlan_english);
    g_autofree char *untag = decision(vz.out, "sw2 ");
    cr_assert_str_eq(untag, "⇒ sw2 学习到 MAC 地址 02:00:00:00:00:01 位于端口 8；去掉 VLAN 10 "
                            "标签 → 从端口 1 不带标签发出；目的地址是广播地址 → 泛洪到端口 1");
    no_english(untag, vlan_english);
    const char *const nat_english[] = {"translated", "mapping", "new", "(", NULL};
    g_autofree char *nat = decision(nz.out, "home ");
    cr_assert(g_str_has_prefix(nat, "⇒ home 进行 NAT 地址转换：tcp 192.168.1.10:32768 → "
                                    "100.64.0.2:32768（新建映射：内部地址 → 外部地址）；"),
              "%s", nat);
    no_english(nat, nat_english);
    cr_assert(strstr(vc.out, "\n  ⇒ sw1 learned 02:00:00:00:00:01 on port 1; vlan 10 (pcp 0) "
                             "tagged → port 8; destination is broadcast → flooded to ports 2 and "
                             "8\n"),
              "%s", vc.out);
    cr_assert(strstr(vc.out, "; vlan 10 tag removed → port 1; "), "%s", vc.out);
    cr_assert(strstr(nc.out, "\n  ⇒ home translated tcp 192.168.1.10:32768 → 100.64.0.2:32768 "
                             "(new mapping); "),
              "%s", nc.out);
    run_free(&vz);
    run_free(&vc);
    run_free(&nz);
    run_free(&nc);
}

/* ---- aging, DHCP, DNS, storms: the rest of the stepper's English -------------- */

/* a pings b twice, 99 s apart: both ARP entries have been STALE and unused
 * for over 60 s, so the second ping finds them aged out. */
static const char AGING[] = "host a ip 10.0.0.1/24\n"
                            "host b ip 10.0.0.2/24\n"
                            "link a b\n"
                            "at 1s a ping 10.0.0.2 count 1\n"
                            "at 100s a ping 10.0.0.2 count 1\n";

/* Words of the details these sentences explain that must not be left. */
static const char *const info_english[] = {
    "aged out", "stale",    "unused",     "dhcp:",    "bound to",      "gateway", "dns:",
    "asks",     "attempt",  "dns server", "from 10.", "authoritative", "answer ", "broadcast storm",
    "arrived",  "times on", "within",     "flooded",  "loop:",         "port ",   "bytes",
    NULL};

/* zh's decision line starting with head is zh_line, with none of
 * info_english's words; c (if any) prints c_line as a whole line. */
static void says(const Run *zh, const char *head, const char *zh_line, const Run *c,
                 const char *c_line)
{
    g_autofree char *got = decision(zh->out, head);
    cr_assert_str_eq(got, zh_line);
    no_english(got, info_english);
    g_autofree char *whole = c ? g_strconcat("\n  ", c_line, "\n", NULL) : NULL;
    cr_assert(!c || strstr(c->out, whole), "%s", c ? c->out : "");
}

Test(zh_cn, stepper_explains_aging_dhcp_dns_and_storms_in_chinese)
{
    g_autofree char *dir = g_dir_make_tmp("zh-age-XXXXXX", NULL);
    g_autofree char *topo = g_build_filename(dir, "aging.topo", NULL);
    cr_assert(g_file_set_contents(topo, AGING, -1, NULL));
    const char age_s[] = "filter all\nu 100s\nn\n", dhcp_s[] = "filter all\nu 4.8277s\n",
               dns_s[] = "u 1.068s\n", stub_s[] = "u 1s\nn\n",
               storm_s[] = "filter all\nu 1.06ms\nn 30\n";
    Run az = step_in("zh_CN.UTF-8", topo, age_s), ac = step_in("C", topo, age_s);
    Run hz = step_in("zh_CN.UTF-8", "topologies/dhcp-dorm.topo", dhcp_s),
        hc = step_in("C", "topologies/dhcp-dorm.topo", dhcp_s);
    Run dz = step_in("zh_CN.UTF-8", "topologies/dns-lookup.topo", dns_s),
        dc = step_in("C", "topologies/dns-lookup.topo", dns_s);
    Run sz = step_in("zh_CN.UTF-8", "topologies/dns-lookup.topo", stub_s);
    Run tz = step_in("zh_CN.UTF-8", "topologies/broadcast-storm.topo", storm_s),
        tc = step_in("C", "topologies/broadcast-storm.topo", storm_s);
    cr_assert_eq(az.status + ac.status + hz.status + hc.status + dz.status + dc.status + sz.status +
                     tz.status + tc.status,
                 0, "%s%s%s%s", az.err, hz.err, dz.err, tz.err);

    says(&az, "a：",
         "⇒ a：10.0.0.2 匹配路由 10.0.0.0/24 → 从接口 eth0 直接交付（直连网络）；ARP 缓存表项 "
         "10.0.0.2 已老化删除（处于 STALE 状态且 60 秒未使用）；广播 ARP 请求：谁是 10.0.0.2？"
         "请告诉 10.0.0.1",
         &ac,
         "⇒ a: 10.0.0.2 matches 10.0.0.0/24 → eth0; ARP entry 10.0.0.2 aged out (stale and "
         "unused for 60s); broadcast ARP who-has 10.0.0.2 tell 10.0.0.1");
    says(&hz, "pc1：",
         "⇒ pc1：DHCP 客户端绑定了地址 192.168.10.101/24，网关 192.168.10.254；广播 ARP 请求："
         "谁是 192.168.10.101？请告诉 192.168.10.101（ARP 通告）",
         &hc,
         "⇒ pc1: dhcp: bound to 192.168.10.101/24, gateway 192.168.10.254; broadcast ARP "
         "who-has 192.168.10.101 tell 192.168.10.101 (ARP announcement)");
    says(&sz, "pc：",
         "⇒ pc：向 DNS 服务器 10.0.0.53 查询 www.example.com 的 A 记录（id 0x6888，第 1 次，"
         "最多 2 次）；10.0.0.53 匹配路由 10.0.0.0/24 → 从接口 eth0 直接交付（直连网络）；"
         "广播 ARP 请求：谁是 10.0.0.53？请告诉 10.0.0.10",
         NULL, NULL);
    says(&tz, "swB：广播风暴",
         "⇒ swB：广播风暴：同一帧在 52.2us 内从端口 2 到达了 4 次（端口 2 每秒泛洪 76628 帧）；"
         "环路：swB.2-swA.2, swA.4-swC.4, swC.3-swB.3；目的地址是广播地址 → 泛洪到端口 3",
         &tc,
         "⇒ swB: broadcast storm: the same frame arrived 4 times on port 2 within 52.2us (76628 "
         "flooded frames/s on port 2); loop: swB.2-swA.2, swA.4-swC.4, swC.3-swB.3; destination "
         "is broadcast → flooded to port 3");
    /* the DNS server's answer; the frame summary at the end (DNS response …)
     * stays as tshark prints it */
    g_autofree char *ns = decision(dz.out, "ns ");
    cr_assert(g_str_has_prefix(ns, "⇒ ns 收到来自 10.0.0.53:32768、发往端口 53 的 UDP 数据报，33 "
                                   "字节；DNS 服务器收到 10.0.0.53 对 www.example.com A 的查询，"
                                   "回答 www.example.com. 300 IN A 93.184.216.34（权威回答）；"),
              "%s", ns);
    g_autofree char *ns_words = g_strndup(ns, (gsize)(strstr(ns, "在 eth0 上发送") - ns));
    no_english(ns_words, info_english);
    cr_assert(strstr(dc.out, "\n  ⇒ ns received UDP 10.0.0.53:32768 → port 53, 33 bytes; dns "
                             "server: www.example.com A from 10.0.0.53: answer www.example.com. "
                             "300 IN A 93.184.216.34 (authoritative); "),
              "%s", dc.out);
    Run *all[] = {&az, &ac, &hz, &hc, &dz, &dc, &sz, &tz, &tc};
    for (gsize i = 0; i < G_N_ELEMENTS(all); i++)
        run_free(all[i]);
    g_unlink(topo);
    g_rmdir(dir);
}

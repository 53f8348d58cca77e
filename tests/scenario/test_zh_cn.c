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

/* `netsim step FILE` under locale, fed `script` on stdin. */
static Run step_in(const char *locale, const char *file, const char *script)
{
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("zh-step-XXXXXX", &path, NULL);
    cr_assert(fd >= 0);
    cr_assert(write(fd, script, strlen(script)) == (ssize_t)strlen(script));
    close(fd);
    g_auto(GStrv) env = env_for(locale);
    const char *args[] = {"step", file, NULL};
    Run r = netsim_spawn(args, env, stdin_from, path, TRUE);
    g_unlink(path);
    return r;
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

/* chatbot.c - keyword chat bot and its line client; see chatbot.h. */
#include "sim/apps/chatbot.h"

#include "sim/apps/appio.h"
#include "sim/l3/ipstack.h"
#include "sim/l4/tcp.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

/* ---- rules ----------------------------------------------------------------- */

typedef struct {
    char *keyword, *folded, *answer;
    glong chars;
    guint order;
} Rule;

struct _SimChatRules {
    GArray *rules; /* Rule, longest keyword first, then file order */
    char *fallback;
};

static int rule_cmp(gconstpointer a, gconstpointer b)
{
    const Rule *x = a, *y = b;
    if (x->chars != y->chars)
        return x->chars > y->chars ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void rule_clear(gpointer p)
{
    Rule *r = p;
    g_free(r->keyword);
    g_free(r->folded);
    g_free(r->answer);
}

void sim_chat_rules_free(SimChatRules *r)
{
    if (!r)
        return;
    g_array_unref(r->rules);
    g_free(r->fallback);
    g_free(r);
}

SimChatRules *sim_chat_rules_load(const char *path, GError **error)
{
    g_autofree char *text = NULL;
    gsize len;
    GStatBuf st;
    /* A regular file only: a FIFO or /dev/zero named by a topology file
     * must not hang or exhaust memory at check time. */
    if (g_stat(path, &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size > SIM_CHAT_RULES_MAX)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: %s", path,
                    S_ISREG(st.st_mode) ? "larger than 1 MiB" : "not a regular file");
        return NULL;
    }
    if (!g_file_get_contents(path, &text, &len, error))
        return NULL;
    if (!g_utf8_validate(text, (gssize)len, NULL) || memchr(text, 0, len)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: not UTF-8 text", path);
        return NULL;
    }
    g_autoptr(SimChatRules) r = g_new0(SimChatRules, 1);
    r->rules = g_array_new(FALSE, FALSE, sizeof(Rule));
    g_array_set_clear_func(r->rules, rule_clear);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        g_strstrip(lines[i]);
        if (lines[i][0] == '\0' || lines[i][0] == '#')
            continue;
        char *arrow = strstr(lines[i], "=>");
        if (!arrow) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                        "%s:%u: expected 'KEYWORD => ANSWER' (or '* => DEFAULT')", path, i + 1);
            return NULL;
        }
        *arrow = '\0';
        g_autofree char *kw = g_strstrip(g_strdup(lines[i]));
        g_autofree char *ans = g_strstrip(g_strdup(arrow + 2));
        if (kw[0] == '\0' || ans[0] == '\0') {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%u: empty %s", path, i + 1,
                        kw[0] ? "answer" : "keyword");
            return NULL;
        }
        if (strcmp(kw, "*") == 0) {
            g_free(r->fallback);
            r->fallback = g_steal_pointer(&ans);
            continue;
        }
        /* Initializers are evaluated in no fixed order: fold first. */
        char *folded = g_utf8_casefold(kw, -1);
        glong chars = g_utf8_strlen(kw, -1);
        Rule rule = {.folded = folded,
                     .chars = chars,
                     .order = r->rules->len,
                     .keyword = g_steal_pointer(&kw),
                     .answer = g_steal_pointer(&ans)};
        g_array_append_val(r->rules, rule);
    }
    g_array_sort(r->rules, rule_cmp);
    if (!r->fallback)
        r->fallback = g_strdup("Sorry, I do not understand.");
    return g_steal_pointer(&r);
}

const char *sim_chat_rules_answer(const SimChatRules *r, const char *msg, const char **keyword)
{
    g_autofree char *folded = g_utf8_casefold(msg, -1);
    for (guint i = 0; i < r->rules->len; i++) {
        const Rule *rule = &g_array_index(r->rules, Rule, i);
        if (strstr(folded, rule->folded)) {
            *keyword = rule->keyword;
            return rule->answer;
        }
    }
    *keyword = NULL;
    return r->fallback;
}

/* ---- line framing ---------------------------------------------------------- */

typedef struct {
    GString *buf;
    bool skipping; /* discarding the rest of an over-long line */
} Lines;

typedef void (*LineFn)(void *user, SimTcpPcb *pcb, const char *line, bool too_long);

/* Feeds data; calls fn for each complete line (without \r\n). */
static void lines_feed(Lines *l, const uint8_t *data, size_t len, LineFn fn, void *user,
                       SimTcpPcb *pcb)
{
    for (size_t i = 0; i < len; i++) {
        char c = (char)data[i];
        if (c == '\n') {
            if (l->buf->len && l->buf->str[l->buf->len - 1] == '\r')
                g_string_truncate(l->buf, l->buf->len - 1);
            if (!l->skipping)
                fn(user, pcb, l->buf->str, false);
            l->skipping = false;
            g_string_truncate(l->buf, 0);
        } else if (l->skipping) {
            continue;
        } else if (l->buf->len >= SIM_CHAT_LINE_MAX) {
            fn(user, pcb, NULL, true);
            l->skipping = true;
            g_string_truncate(l->buf, 0);
        } else {
            g_string_append_c(l->buf, c);
        }
    }
}

static void send_line(SimTcpPcb *pcb, const char *text)
{
    g_autofree char *l = g_strconcat(text, "\n", NULL);
    sim_tcp_send(pcb, (const uint8_t *)l, strlen(l)); /* lines are far below sndbuf */
}

/* ---- server ----------------------------------------------------------------- */

typedef struct {
    SimNode *node;
    SimChatRules *rules;
    /* BotConn, the open connections: a run that stops before they close
     * (--until, the stepper's quit) frees them with the app, since the
     * stack frees their pcbs without a callback. */
    GPtrArray *conns;
} Bot;

typedef struct {
    Bot *bot;
    Lines in;
    char peer[32];
} BotConn;

static void bot_conn_free(void *p)
{
    BotConn *c = p;
    g_string_free(c->in.buf, TRUE);
    g_free(c);
}

static void bot_line(void *user, SimTcpPcb *pcb, const char *line, bool too_long)
{
    BotConn *c = user;
    if (too_long) {
        sim_app_line(c->bot->node, "chatbot: a line from %s over %d bytes", c->peer,
                     SIM_CHAT_LINE_MAX);
        send_line(pcb, "(line too long)");
        return;
    }
    if (!g_utf8_validate(line, -1, NULL)) {
        send_line(pcb, "(not UTF-8)");
        return;
    }
    const char *kw;
    const char *ans = sim_chat_rules_answer(c->bot->rules, line, &kw);
    if (kw)
        sim_app_line(c->bot->node, "chatbot: %s asked \"%s\": keyword \"%s\"", c->peer, line, kw);
    else
        sim_app_line(c->bot->node, "chatbot: %s asked \"%s\": no keyword, default answer", c->peer,
                     line);
    send_line(pcb, ans);
}

static void bot_recv(void *user, SimTcpPcb *pcb, const uint8_t *data, size_t len)
{
    BotConn *c = user;
    if (len == 0) {
        sim_tcp_close(pcb);
        g_ptr_array_remove_fast(c->bot->conns, c);
        return;
    }
    lines_feed(&c->in, data, len, bot_line, c, pcb);
    sim_tcp_recved(pcb, len);
}

static void bot_error(void *user, SimTcpPcb *pcb, SimTcpErr err)
{
    BotConn *c = user;
    sim_app_line(c->bot->node, "chatbot: %s: %s", c->peer, sim_tcp_err_name(err));
    g_ptr_array_remove_fast(c->bot->conns, c);
}

static void bot_accept(void *user, SimTcpPcb *listener, SimTcpPcb *pcb)
{
    BotConn *c = g_new0(BotConn, 1);
    c->bot = user;
    c->in.buf = g_string_new(NULL);
    SimIpv4 a;
    uint16_t p;
    char s[SIM_IPV4_STRLEN];
    sim_tcp_remote(pcb, &a, &p);
    g_snprintf(c->peer, sizeof c->peer, "%s:%u", sim_ipv4_format(a, s), p);
    g_ptr_array_add(c->bot->conns, c);
    SimTcpCallbacks cb = {.recv = bot_recv, .error = bot_error};
    sim_tcp_set_callbacks(pcb, &cb, c);
}

static void bot_free(void *p)
{
    Bot *b = p;
    sim_chat_rules_free(b->rules);
    g_ptr_array_free(b->conns, TRUE);
    g_free(b);
}

gboolean sim_chatbot_start(SimNode *node, uint16_t port, const char *path, GError **error)
{
    SimIpStack *st = sim_app_stack(node, error);
    SimChatRules *rules = st ? sim_chat_rules_load(path, error) : NULL;
    if (!rules)
        return FALSE;
    Bot *b = g_new0(Bot, 1);
    b->node = node;
    b->rules = rules;
    b->conns = g_ptr_array_new_with_free_func(bot_conn_free);
    SimTcpCallbacks cb = {.accept = bot_accept};
    if (!sim_app_listen(node, port, 128, &cb, b, error)) {
        bot_free(b);
        return FALSE;
    }
    sim_ip_stack_adopt(st, b, bot_free);
    return TRUE;
}

/* ---- client ------------------------------------------------------------------ */

typedef struct {
    SimNode *node;
    SimTcpPcb *pcb; /* NULL once closed or failed */
    GStrv lines;
    guint n, sent, answered;
    SimTime every;
    Lines in;
} Chat;

static void chat_tick(void *ctx, void *arg)
{
    Chat *c = ctx;
    if (!c->pcb || c->sent >= c->n)
        return;
    send_line(c->pcb, c->lines[c->sent++]);
    if (c->sent < c->n)
        sim_world_schedule(sim_node_world(c->node), c->every, chat_tick, c, NULL);
}

static void chat_connected(void *user, SimTcpPcb *pcb)
{
    chat_tick(user, NULL);
}

static void chat_line(void *user, SimTcpPcb *pcb, const char *line, bool too_long)
{
    Chat *c = user;
    sim_app_line(c->node, "%s", too_long ? "(an answer over 4096 bytes)" : line);
    if (++c->answered == c->n && c->pcb) {
        sim_tcp_close(c->pcb);
        c->pcb = NULL;
    }
}

static void chat_recv(void *user, SimTcpPcb *pcb, const uint8_t *data, size_t len)
{
    Chat *c = user;
    if (len == 0) {
        sim_app_line(c->node, "chat: the server closed after %u of %u answers", c->answered, c->n);
        sim_tcp_close(pcb);
        c->pcb = NULL;
        return;
    }
    sim_tcp_recved(pcb, len);
    lines_feed(&c->in, data, len, chat_line, c, pcb);
}

static void chat_error(void *user, SimTcpPcb *pcb, SimTcpErr err)
{
    Chat *c = user;
    c->pcb = NULL;
    sim_app_line(c->node, "chat: %s", sim_tcp_err_name(err));
    sim_world_set_failed(sim_node_world(c->node));
}

static void chat_free(void *p)
{
    Chat *c = p;
    g_strfreev(c->lines);
    g_string_free(c->in.buf, TRUE);
    g_free(c);
}

gboolean sim_chat_start(SimNode *node, SimIpv4 dst, uint16_t port, const char *const *lines,
                        SimTime every, GError **error)
{
    SimIpStack *st = sim_app_stack(node, error);
    if (!st)
        return FALSE;
    Chat *c = g_new0(Chat, 1);
    c->node = node;
    c->lines = g_strdupv((char **)lines);
    c->n = g_strv_length(c->lines);
    c->every = every;
    c->in.buf = g_string_new(NULL);
    SimTcpCallbacks cb = {.connected = chat_connected, .recv = chat_recv, .error = chat_error};
    c->pcb = sim_app_connect(node, dst, port, &cb, c, error);
    if (!c->pcb) {
        chat_free(c);
        return FALSE;
    }
    sim_ip_stack_adopt(st, c, chat_free);
    return TRUE;
}

/* json.c - see json.h. Strings are copied in runs between the bytes that
 * need escaping, so plain ASCII costs one append per string. */
#include "sim/cli/json.h"

#include <math.h>
#include <string.h>

typedef struct {
    bool is_object;
    bool has_items;
} Level;

struct _SimJson {
    GString *out;
    int depth;
    bool key_pending; /* a key was written; its value comes next */
    bool done;        /* a complete top-level value was written */
    Level stack[SIM_JSON_MAX_DEPTH];
};

SimJson *sim_json_new(GString *out)
{
    SimJson *j = g_new0(SimJson, 1);
    j->out = out;
    return j;
}

void sim_json_free(SimJson *j)
{
    g_free(j);
}

void sim_json_reset(SimJson *j, GString *out)
{
    j->out = out;
    j->depth = 0;
    j->key_pending = false;
    j->done = false;
}

bool sim_json_complete(const SimJson *j)
{
    return j->done && j->depth == 0;
}

/* ---- strings ----------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at p (n bytes available), or 0
 * when p[0] does not start one (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF). */
static size_t utf8_seq_len(const uint8_t *p, size_t n)
{
    uint8_t c = p[0];
    size_t len;
    uint32_t cp, min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3, cp = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

static void append_escape(GString *out, uint8_t c)
{
    switch (c) {
    case '"':
        g_string_append_len(out, "\\\"", 2);
        break;
    case '\\':
        g_string_append_len(out, "\\\\", 2);
        break;
    case '\b':
        g_string_append_len(out, "\\b", 2);
        break;
    case '\f':
        g_string_append_len(out, "\\f", 2);
        break;
    case '\n':
        g_string_append_len(out, "\\n", 2);
        break;
    case '\r':
        g_string_append_len(out, "\\r", 2);
        break;
    case '\t':
        g_string_append_len(out, "\\t", 2);
        break;
    default:
        g_string_append_printf(out, "\\u%04x", c);
    }
}

void sim_json_append_quoted(GString *out, const char *s, gssize len)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t n = len < 0 ? strlen(s) : (size_t)len;
    size_t run = 0, i = 0;
    sim_json_put(out, "\"", 1);
    while (i < n) {
        uint8_t c = p[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        size_t seq = c < 0x80 ? 0 : utf8_seq_len(p + i, n - i);
        /* U+2028/2029 are legal JSON but end a line in JavaScript. */
        bool line_sep = seq == 3 && c == 0xe2 && p[i + 1] == 0x80 && (p[i + 2] & 0xfe) == 0xa8;
        if (seq > 0 && !line_sep) {
            i += seq;
            continue;
        }
        sim_json_put(out, (const char *)p + run, i - run);
        if (c < 0x80) {
            append_escape(out, c);
            i++;
        } else if (line_sep) {
            g_string_append(out, p[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
            i += 3;
        } else {
            g_string_append(out, "\xef\xbf\xbd"); /* U+FFFD for one bad byte */
            i++;
        }
        run = i;
    }
    sim_json_put(out, (const char *)p + run, n - run);
    sim_json_put(out, "\"", 1);
}

/* ---- structure --------------------------------------------------------- */

static Level *top(SimJson *j)
{
    return j->depth > 0 ? &j->stack[j->depth - 1] : NULL;
}

/* Places the separator a value needs and checks that one may come here. */
static void before_value(SimJson *j)
{
    Level *l = top(j);
    if (!l) {
        g_assert(!j->done);
        return;
    }
    if (l->is_object) {
        g_assert(j->key_pending);
        j->key_pending = false;
        return;
    }
    if (l->has_items)
        g_string_append_c(j->out, ',');
    l->has_items = true;
}

static void after_value(SimJson *j)
{
    if (j->depth == 0)
        j->done = true;
}

static void begin(SimJson *j, bool is_object)
{
    before_value(j);
    g_assert(j->depth < SIM_JSON_MAX_DEPTH);
    j->stack[j->depth++] = (Level){is_object, false};
    g_string_append_c(j->out, is_object ? '{' : '[');
}

static void end(SimJson *j, bool is_object)
{
    Level *l = top(j);
    g_assert(l && l->is_object == is_object && !j->key_pending);
    j->depth--;
    g_string_append_c(j->out, is_object ? '}' : ']');
    after_value(j);
}

void sim_json_begin_object(SimJson *j)
{
    begin(j, true);
}

void sim_json_end_object(SimJson *j)
{
    end(j, true);
}

void sim_json_begin_array(SimJson *j)
{
    begin(j, false);
}

void sim_json_end_array(SimJson *j)
{
    end(j, false);
}

void sim_json_key(SimJson *j, const char *key)
{
    Level *l = top(j);
    g_assert(l && l->is_object && !j->key_pending);
    if (l->has_items)
        g_string_append_c(j->out, ',');
    l->has_items = true;
    sim_json_append_quoted(j->out, key, -1);
    g_string_append_c(j->out, ':');
    j->key_pending = true;
}

/* ---- scalars ----------------------------------------------------------- */

void sim_json_string_len(SimJson *j, const char *s, gssize len)
{
    before_value(j);
    sim_json_append_quoted(j->out, s, len);
    after_value(j);
}

void sim_json_string(SimJson *j, const char *s)
{
    if (!s) {
        sim_json_null(j);
        return;
    }
    sim_json_string_len(j, s, -1);
}

void sim_json_int(SimJson *j, int64_t v)
{
    before_value(j);
    g_string_append_printf(j->out, "%" G_GINT64_FORMAT, (gint64)v);
    after_value(j);
}

void sim_json_uint(SimJson *j, uint64_t v)
{
    before_value(j);
    g_string_append_printf(j->out, "%" G_GUINT64_FORMAT, (guint64)v);
    after_value(j);
}

void sim_json_double(SimJson *j, double v)
{
    if (!isfinite(v)) {
        sim_json_null(j);
        return;
    }
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    before_value(j);
    g_string_append(j->out, g_ascii_dtostr(buf, sizeof buf, v)); /* locale-independent */
    after_value(j);
}

void sim_json_bool(SimJson *j, bool v)
{
    before_value(j);
    g_string_append(j->out, v ? "true" : "false");
    after_value(j);
}

void sim_json_null(SimJson *j)
{
    before_value(j);
    g_string_append(j->out, "null");
    after_value(j);
}

void sim_json_member_string(SimJson *j, const char *key, const char *s)
{
    sim_json_key(j, key);
    sim_json_string(j, s);
}

void sim_json_member_int(SimJson *j, const char *key, int64_t v)
{
    sim_json_key(j, key);
    sim_json_int(j, v);
}

void sim_json_member_uint(SimJson *j, const char *key, uint64_t v)
{
    sim_json_key(j, key);
    sim_json_uint(j, v);
}

void sim_json_member_bool(SimJson *j, const char *key, bool v)
{
    sim_json_key(j, key);
    sim_json_bool(j, v);
}

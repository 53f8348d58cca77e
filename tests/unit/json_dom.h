/* json_dom.h - a tiny strict JSON parser for tests (RFC 8259).
 *
 * json-glib is not a dependency, and the point is to check the writer
 * against an independent reader: this one rejects everything RFC 8259
 * rejects (raw control characters, bad escapes, lone surrogates, leading
 * zeros, trailing commas, invalid UTF-8, trailing garbage) and, stricter
 * than the RFC, duplicate keys. Header-only, included by the tests that read
 * JSON.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef enum { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ } JvType;

typedef struct Jv {
    JvType t;
    bool b;
    char *num;        /* the number's text, for exact comparisons */
    GString *str;     /* decoded string (may hold NUL) */
    GPtrArray *items; /* JV_ARR: Jv *; JV_OBJ: values, in order */
    GPtrArray *keys;  /* JV_OBJ: char *, parallel to items */
} Jv;

typedef struct {
    const char *p, *end;
    const char *err;
    int depth;
} JvParser;

G_GNUC_UNUSED static void jv_free(Jv *v)
{
    if (!v)
        return;
    g_free(v->num);
    if (v->str)
        g_string_free(v->str, TRUE);
    if (v->items)
        g_ptr_array_free(v->items, TRUE);
    if (v->keys)
        g_ptr_array_free(v->keys, TRUE);
    g_free(v);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Jv, jv_free)

static Jv *jv_value(JvParser *ps);

static void jv_ws(JvParser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static Jv *jv_fail(JvParser *ps, const char *why, Jv *partial)
{
    if (!ps->err)
        ps->err = why;
    jv_free(partial);
    return NULL;
}

static int jv_hex4(JvParser *ps)
{
    if (ps->end - ps->p < 4)
        return -1;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int d = g_ascii_xdigit_value(ps->p[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    ps->p += 4;
    return v;
}

/* After the opening quote; appends the decoded bytes to out. */
static bool jv_string_body(JvParser *ps, GString *out)
{
    while (ps->p < ps->end) {
        unsigned char c = (unsigned char)*ps->p++;
        if (c == '"')
            return true;
        if (c < 0x20)
            return false;
        if (c != '\\') {
            g_string_append_c(out, (char)c);
            continue;
        }
        if (ps->p >= ps->end)
            return false;
        char e = *ps->p++;
        const char *simple = strchr("\"\\/bfnrt", e);
        if (e && simple) {
            static const char map[] = "\"\\/\b\f\n\r\t";
            g_string_append_c(out, map[simple - "\"\\/bfnrt"]);
            continue;
        }
        if (e != 'u')
            return false;
        int u = jv_hex4(ps);
        if (u < 0 || (u >= 0xdc00 && u <= 0xdfff))
            return false;
        gunichar cp = (gunichar)u;
        if (u >= 0xd800 && u <= 0xdbff) {
            if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
                return false;
            ps->p += 2;
            int lo = jv_hex4(ps);
            if (lo < 0xdc00 || lo > 0xdfff)
                return false;
            cp = 0x10000 + (((gunichar)u - 0xd800) << 10) + ((gunichar)lo - 0xdc00);
        }
        g_string_append_unichar(out, cp);
    }
    return false;
}

static bool jv_digits(JvParser *ps)
{
    const char *s = ps->p;
    while (ps->p < ps->end && g_ascii_isdigit(*ps->p))
        ps->p++;
    return ps->p > s;
}

static Jv *jv_number(JvParser *ps)
{
    const char *s = ps->p;
    if (*ps->p == '-')
        ps->p++;
    if (ps->p < ps->end && *ps->p == '0')
        ps->p++;
    else if (!jv_digits(ps))
        return jv_fail(ps, "bad number", NULL);
    if (ps->p < ps->end && *ps->p == '.') {
        ps->p++;
        if (!jv_digits(ps))
            return jv_fail(ps, "bad fraction", NULL);
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
            ps->p++;
        if (!jv_digits(ps))
            return jv_fail(ps, "bad exponent", NULL);
    }
    Jv *v = g_new0(Jv, 1);
    v->t = JV_NUM;
    v->num = g_strndup(s, (gsize)(ps->p - s));
    return v;
}

static Jv *jv_container(JvParser *ps, bool obj)
{
    Jv *v = g_new0(Jv, 1);
    v->t = obj ? JV_OBJ : JV_ARR;
    v->items = g_ptr_array_new_with_free_func((GDestroyNotify)jv_free);
    if (obj)
        v->keys = g_ptr_array_new_with_free_func(g_free);
    if (++ps->depth > 100)
        return jv_fail(ps, "too deep", v);
    ps->p++; /* [ or { */
    jv_ws(ps);
    char close = obj ? '}' : ']';
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        ps->depth--;
        return v;
    }
    for (;;) {
        jv_ws(ps);
        if (obj) {
            if (ps->p >= ps->end || *ps->p != '"')
                return jv_fail(ps, "expected key", v);
            ps->p++;
            GString *k = g_string_new(NULL);
            if (!jv_string_body(ps, k)) {
                g_string_free(k, TRUE);
                return jv_fail(ps, "bad key", v);
            }
            for (guint i = 0; i < v->keys->len; i++) {
                if (strcmp(g_ptr_array_index(v->keys, i), k->str) == 0) {
                    g_string_free(k, TRUE);
                    return jv_fail(ps, "duplicate key", v);
                }
            }
            g_ptr_array_add(v->keys, g_string_free(k, FALSE));
            jv_ws(ps);
            if (ps->p >= ps->end || *ps->p++ != ':')
                return jv_fail(ps, "expected ':'", v);
        }
        Jv *item = jv_value(ps);
        if (!item)
            return jv_fail(ps, "bad value", v);
        g_ptr_array_add(v->items, item);
        jv_ws(ps);
        if (ps->p >= ps->end)
            return jv_fail(ps, "unterminated container", v);
        char c = *ps->p++;
        if (c == close)
            break;
        if (c != ',')
            return jv_fail(ps, "expected ',' or close", v);
    }
    ps->depth--;
    return v;
}

static bool jv_lit(JvParser *ps, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, lit, n) != 0)
        return false;
    ps->p += n;
    return true;
}

static Jv *jv_value(JvParser *ps)
{
    jv_ws(ps);
    if (ps->p >= ps->end)
        return jv_fail(ps, "unexpected end", NULL);
    char c = *ps->p;
    if (c == '{' || c == '[')
        return jv_container(ps, c == '{');
    if (c == '"') {
        ps->p++;
        Jv *v = g_new0(Jv, 1);
        v->t = JV_STR;
        v->str = g_string_new(NULL);
        return jv_string_body(ps, v->str) ? v : jv_fail(ps, "bad string", v);
    }
    if (c == '-' || g_ascii_isdigit(c))
        return jv_number(ps);
    Jv *v = g_new0(Jv, 1);
    if (jv_lit(ps, "true") || jv_lit(ps, "false")) {
        v->t = JV_BOOL;
        v->b = ps->p[-1] == 'e' && ps->p[-2] == 'u';
        return v;
    }
    if (jv_lit(ps, "null")) {
        v->t = JV_NULL;
        return v;
    }
    return jv_fail(ps, "unexpected character", v);
}

/* Parses exactly one value spanning s[0..len); NULL (and *err) if invalid. */
G_GNUC_UNUSED static Jv *jv_parse(const char *s, gssize len, const char **err)
{
    size_t n = len < 0 ? strlen(s) : (size_t)len;
    JvParser ps = {s, s + n, NULL, 0};
    if (!g_utf8_validate_len(s, n, NULL)) {
        if (err)
            *err = "invalid UTF-8";
        return NULL;
    }
    Jv *v = jv_value(&ps);
    if (v) {
        jv_ws(&ps);
        if (ps.p != ps.end)
            v = jv_fail(&ps, "trailing garbage", v);
    }
    if (err)
        *err = ps.err;
    return v;
}

/* Member of an object, or NULL. */
G_GNUC_UNUSED static Jv *jv_get(const Jv *obj, const char *key)
{
    if (!obj || obj->t != JV_OBJ)
        return NULL;
    for (guint i = 0; i < obj->keys->len; i++) {
        if (strcmp(g_ptr_array_index(obj->keys, i), key) == 0)
            return g_ptr_array_index(obj->items, i);
    }
    return NULL;
}

/* String member, or NULL when absent or not a string. */
G_GNUC_UNUSED static const char *jv_str(const Jv *obj, const char *key)
{
    Jv *v = jv_get(obj, key);
    return v && v->t == JV_STR ? v->str->str : NULL;
}

/* Unsigned integer member; false when absent or not a plain integer. */
G_GNUC_UNUSED static bool jv_uint(const Jv *obj, const char *key, uint64_t *out)
{
    Jv *v = jv_get(obj, key);
    if (!v || v->t != JV_NUM || strpbrk(v->num, "-.eE"))
        return false;
    *out = g_ascii_strtoull(v->num, NULL, 10);
    return true;
}

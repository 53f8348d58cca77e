/* json.h - a small streaming JSON writer that appends to a GString.
 *
 * Design: the trace sinks emit one JSON object per record, millions per
 * run, so the writer is a push API (begin/key/value/end) with no tree and
 * no allocation after creation: it keeps a fixed stack of open containers
 * (SIM_JSON_MAX_DEPTH levels) to place commas and colons, and appends
 * straight to a caller-owned GString that the caller may reuse. Misuse (a
 * value without a key inside an object, a key inside an array, closing the
 * wrong container, nesting too deep) is a programming error and asserts.
 * Rejected: json-glib (a dependency and a DOM per record for output only)
 * and ad-hoc printf, which gets escaping wrong.
 *
 * Strings: `"` and `\` are escaped; control characters become \b \f \n \r
 * \t or \u00XX (as Python's json.dumps writes them); U+2028/U+2029 become
 * \u2028/\u2029 so that a line is also a valid JavaScript literal; valid
 * UTF-8 passes through unchanged; every byte that is not part of a valid
 * UTF-8 sequence (including overlong forms and surrogates) is replaced by
 * U+FFFD, so the output is always valid UTF-8 and valid JSON.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define SIM_JSON_MAX_DEPTH 32

typedef struct _SimJson SimJson;

/* A writer appending to out (borrowed; must outlive the writer or be
 * replaced with sim_json_reset before the next call). */
SimJson *sim_json_new(GString *out);
void sim_json_free(SimJson *j); /* NULL is a no-op */
/* Starts a new top-level value appended to out (which may be the same
 * GString, truncated by the caller). Forgets any unclosed containers. */
void sim_json_reset(SimJson *j, GString *out);
/* True when exactly one complete top-level value has been written. */
bool sim_json_complete(const SimJson *j);

void sim_json_begin_object(SimJson *j);
void sim_json_end_object(SimJson *j);
void sim_json_begin_array(SimJson *j);
void sim_json_end_array(SimJson *j);
/* The key of the next member; only inside an object. */
void sim_json_key(SimJson *j, const char *key);

/* NUL-terminated; NULL writes null. */
void sim_json_string(SimJson *j, const char *s);
/* len bytes, which may include NUL (written as \u0000); len < 0: up to NUL. */
void sim_json_string_len(SimJson *j, const char *s, gssize len);
void sim_json_int(SimJson *j, int64_t v);
void sim_json_uint(SimJson *j, uint64_t v);
/* Non-finite values have no JSON form and are written as null. */
void sim_json_double(SimJson *j, double v);
void sim_json_bool(SimJson *j, bool v);
void sim_json_null(SimJson *j);

/* key + value in one call. */
void sim_json_member_string(SimJson *j, const char *key, const char *s);
void sim_json_member_int(SimJson *j, const char *key, int64_t v);
void sim_json_member_uint(SimJson *j, const char *key, uint64_t v);
void sim_json_member_bool(SimJson *j, const char *key, bool v);

/* Appends s (len bytes, or up to NUL when len < 0) to out as a quoted JSON
 * string, escaped as described above. Usable without a writer. */
void sim_json_append_quoted(GString *out, const char *s, gssize len);

/* Appends n bytes to out: g_string_append_len without its out-of-line
 * insert path, for the trace sinks' hot loops (one compare and a memcpy
 * while the buffer has room). */
static inline void sim_json_put(GString *out, const char *p, size_t n)
{
    size_t old = out->len;
    if (old + n < out->allocated_len) {
        memcpy(out->str + old, p, n);
        out->len = old + n;
        out->str[out->len] = '\0';
    } else {
        g_string_append_len(out, p, (gssize)n);
    }
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimJson, sim_json_free)

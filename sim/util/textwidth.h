/* textwidth.h - display width of UTF-8 text in a terminal's columns.
 *
 * East Asian Wide and Fullwidth characters (于, 超, ，) take two columns,
 * combining marks and other zero-width characters none, everything else
 * one, as wcwidth(3) and GCC's diagnostics count (UAX #11 through glib's
 * g_unichar_iswide / g_unichar_iszerowidth). Used to align the text trace
 * and `show` tables around Chinese labels and to put diagnostic carets
 * under the right character. Rejected: wcwidth(3), which depends on the
 * process locale (it returns -1 for CJK under LANG=C), so output would
 * change with the user's locale.
 *
 * Pure functions over bytes; invalid UTF-8 bytes count one column each.
 */
#pragma once

#include <glib.h>

/* Columns of one character. */
guint sim_unichar_width(gunichar c);
/* Columns of s[0..n) (n < 0: up to the NUL). ASCII costs one byte test. */
gsize sim_text_width(const char *s, gssize n);
/* Appends s and then spaces up to `width` columns (nothing when s is wider). */
void sim_text_pad(GString *out, const char *s, gsize width);

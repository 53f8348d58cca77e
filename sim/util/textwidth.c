/* textwidth.c - see textwidth.h. */
#include "sim/util/textwidth.h"

#include <string.h>

guint sim_unichar_width(gunichar c)
{
    if (g_unichar_iszerowidth(c))
        return 0;
    return g_unichar_iswide(c) ? 2 : 1;
}

gsize sim_text_width(const char *s, gssize n)
{
    gsize len = n < 0 ? strlen(s) : (gsize)n;
    gsize i = 0;
    while (i < len && (guchar)s[i] < 0x80)
        i++;
    if (i == len)
        return len;
    gsize cols = i;
    const char *p = s + i, *end = s + len;
    while (p < end) {
        gunichar c = g_utf8_get_char_validated(p, end - p);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            cols++;
            p++;
            continue;
        }
        cols += sim_unichar_width(c);
        p = g_utf8_next_char(p);
    }
    return cols;
}

void sim_text_pad(GString *out, const char *s, gsize width)
{
    g_string_append(out, s);
    gsize w = sim_text_width(s, -1);
    for (; w < width; w++)
        g_string_append_c(out, ' ');
}

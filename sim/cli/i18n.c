/* i18n.c - see i18n.h.
 *
 * The build-tree check compares /proc/self/exe's directory with the build
 * directory CMake compiled in: `./build/netsim` speaks Chinese without an
 * install, and an installed copy never reads a stale build tree. Rejected:
 * trying the build tree first whenever it exists (an installed binary would
 * pick up whatever a later build left there).
 */
#include "sim/cli/i18n.h"

#include <libintl.h>
#include <locale.h>
#include <string.h>

static const char *locale_dir(void)
{
    const char *env = g_getenv("NETSIM_LOCALEDIR");
    if (env && *env)
        return env;
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *dir = exe ? g_path_get_dirname(exe) : NULL;
    g_autofree char *build = g_path_get_dirname(NETSIM_BUILD_DIR_LOCALE);
    if (dir && strcmp(dir, build) == 0)
        return NETSIM_BUILD_DIR_LOCALE;
    return NETSIM_LOCALEDIR;
}

void sim_i18n_init(void)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    bindtextdomain(GETTEXT_PACKAGE, locale_dir());
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE); /* for ngettext, which gi18n-lib.h leaves domain-less */
}

static locale_t pushed, saved;

gboolean sim_i18n_push(const char *lang)
{
    g_autofree char *name =
        strcmp(lang, "en") == 0 ? g_strdup("C") : g_strdup_printf("%s.UTF-8", lang);
    locale_t l = newlocale(LC_MESSAGES_MASK, name, (locale_t)0);
    if (l == (locale_t)0)
        return FALSE;
    /* Start from the global locale so only LC_MESSAGES changes. */
    locale_t base = duplocale(LC_GLOBAL_LOCALE);
    freelocale(l);
    l = newlocale(LC_MESSAGES_MASK, name, base);
    if (l == (locale_t)0) {
        freelocale(base);
        return FALSE;
    }
    pushed = l;
    saved = uselocale(l);
    return TRUE;
}

void sim_i18n_pop(void)
{
    if (pushed == (locale_t)0)
        return;
    uselocale(saved);
    freelocale(pushed);
    pushed = (locale_t)0;
}

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
    /* No textdomain(GETTEXT_PACKAGE): glib's g_dgettext (behind _()) decides
     * once, at its first call, to stop translating when the default domain
     * is not "messages" and has no catalogue for the locale of that moment
     * (C.UTF-8, say), which would also silence sim_i18n_push("zh_CN") later.
     * Plurals use g_dngettext(GETTEXT_PACKAGE, ...) instead. */
}

/* The process is single-threaded, so a language is switched with
 * setlocale(LC_MESSAGES) and switched back. Rejected: uselocale(), which
 * would be thread-safe, but glibc 2.36's gettext keeps answering in the
 * global locale's language once it has looked a message up there. */
static char *saved;

gboolean sim_i18n_push(const char *lang)
{
    g_autofree char *name =
        strcmp(lang, "en") == 0 ? g_strdup("C") : g_strdup_printf("%s.UTF-8", lang);
    char *old = g_strdup(setlocale(LC_MESSAGES, NULL));
    if (!setlocale(LC_MESSAGES, name)) {
        g_free(old);
        return FALSE;
    }
    g_free(saved);
    saved = old;
    return TRUE;
}

void sim_i18n_pop(void)
{
    if (!saved)
        return;
    setlocale(LC_MESSAGES, saved);
    g_free(saved);
    saved = NULL;
}

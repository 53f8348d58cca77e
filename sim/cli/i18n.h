/* i18n.h - the locale and the message catalogue (gettext through glib's
 * <glib/gi18n-lib.h>: _() for a message, N_() to mark a static string that is
 * translated where it is used, g_dngettext(GETTEXT_PACKAGE, …) for plurals:
 * plain ngettext would use the default domain, which netsim leaves alone).
 *
 * What is translated: everything written for a person (CLI messages and
 * usage, topology diagnostics, the stepper's decisions in words and its
 * help, `show` table headers, diagram legends, the player's interface).
 * What is not: the JSON trace (keys, `kind` values, details), the text
 * trace's record lines (kind and detail: a format scripts read, like
 * tcpdump's), protocol and Wireshark field names, and ping/traceroute
 * output, which stays English as iputils' does under zh_CN. po/README has
 * the glossary.
 *
 * Only LC_MESSAGES and LC_CTYPE follow the environment: numbers keep the C
 * locale's decimal point (LC_NUMERIC would turn "0.5" into "0,5" in some
 * locales, and the traces must not depend on the locale).
 */
#pragma once

#include <glib.h>
#include <glib/gi18n-lib.h>

/* setlocale from the environment and binds the "netsim" domain: to the build
 * tree's locale/ when the running binary is the build tree's, else to the
 * installed locale directory; $NETSIM_LOCALEDIR overrides both. */
void sim_i18n_init(void);

/* Switches the messages (LC_MESSAGES, process-wide: netsim is
 * single-threaded) to `lang` ("zh_CN", or "en" for the untranslated
 * strings) until sim_i18n_pop; FALSE (and no switch) when the system lacks
 * that locale. Used to write both languages into one player page. Not
 * nested. */
gboolean sim_i18n_push(const char *lang);
void sim_i18n_pop(void);

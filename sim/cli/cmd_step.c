/* cmd_step.c - `netsim step FILE`: the interactive stepper on a terminal
 * or a pipe.
 *
 * Input: in a terminal, libedit's readline() gives line editing (cursor
 * keys, Ctrl-A/E) and history (up arrow repeats `n 10`). libedit rather
 * than GNU readline because it is BSD-licensed, small, and Debian ships its
 * readline-compatible header (libedit-dev); the two calls used here
 * (readline, add_history) exist in both, so switching is one include. When
 * stdin is not a terminal, commands are read line by line and echoed after
 * the prompt, so a piped session reads like the interactive one and tests
 * and scripted demos can drive it. End of input quits. libedit is loaded
 * on the first terminal prompt (viz/lazylib.h), not at start-up.
 */
#include "sim/cli/commands.h"
#include "sim/cli/load.h"
#include "sim/cli/stepper.h"
#include "viz/lazylib.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads one line of any length without its newline; FALSE at end of input. */
static gboolean read_line(FILE *in, GString *line)
{
    g_string_truncate(line, 0);
    char buf[512];
    while (fgets(buf, sizeof buf, in)) {
        g_string_append(line, buf);
        if (line->len && line->str[line->len - 1] == '\n') {
            g_string_truncate(line, line->len - 1);
            return TRUE;
        }
    }
    return line->len > 0;
}

/* A terminal: libedit prints the prompt and edits the line. */
static gboolean read_line_tty(SimStepper *st, GString *line)
{
    g_autoptr(GString) prompt = g_string_new(NULL);
    sim_stepper_prompt(st, prompt);
    static char *(*readline_fn)(const char *);
    static int (*add_history_fn)(const char *);
    if (!readline_fn) {
        *(void **)&readline_fn = sim_lazylib_sym(NETSIM_LIBEDIT, "readline");
        *(void **)&add_history_fn = sim_lazylib_sym(NETSIM_LIBEDIT, "add_history");
    }
    char *s = readline_fn(prompt->str);
    if (!s)
        return FALSE;
    g_string_assign(line, s);
    if (*s)
        add_history_fn(s);
    free(s); /* readline's buffer comes from malloc */
    return TRUE;
}

static int step_session(SimStepper *st, FILE *in, FILE *out, gboolean tty)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    g_autoptr(GString) line = g_string_new(NULL);
    sim_stepper_intro(st, buf);
    for (;;) {
        if (!tty)
            sim_stepper_prompt(st, buf);
        fputs(buf->str, out);
        fflush(out);
        g_string_truncate(buf, 0);
        if (!(tty ? read_line_tty(st, line) : read_line(in, line))) {
            fputc('\n', out);
            break;
        }
        if (!tty)
            fprintf(out, "%s\n", line->str);
        gboolean more = sim_stepper_exec(st, line->str, buf);
        fputs(buf->str, out);
        g_string_truncate(buf, 0);
        if (!more)
            break;
    }
    fflush(out);
    return 0;
}

static int step_file(const char *path, const char *seed_text, const char *max_text)
{
    uint64_t seed = 1, max_events = SIM_STEPPER_MAX_EVENTS;
    if ((seed_text && !sim_cli_parse_u64("step", "--seed", seed_text, &seed)) ||
        (max_text && !sim_cli_parse_u64("step", "--max-events", max_text, &max_events)))
        return 2;
    g_autofree char *text = NULL;
    gsize len = 0;
    g_autoptr(GError) err = NULL;
    if (!g_file_get_contents(path, &text, &len, &err)) {
        fprintf(stderr, "%s: error: cannot read: %s\n", path, err->message);
        return 2;
    }
    /* The stepper keeps the text: `back` rebuilds from it, never from a
     * file that may have changed since. */
    g_autoptr(SimStepper) st = sim_stepper_new(path, text, len, seed, stderr, &err);
    if (!st) {
        fputs(err->message, stderr);
        return 2;
    }
    sim_stepper_set_max_events(st, max_events);
    return step_session(st, stdin, stdout, isatty(STDIN_FILENO));
}

int sim_cmd_step(int argc, char **argv)
{
    char *seed = NULL, *max_events = NULL;
    GOptionEntry entries[] = {
        {"seed", 's', 0, G_OPTION_ARG_STRING, &seed, "Seed of the world's RNG (default 1)", "N"},
        {"max-events", 'm', 0, G_OPTION_ARG_STRING, &max_events,
         "Stop after N events (default 20000000)", "N"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE");
    g_option_context_set_summary(
        ctx, "Step through a topology's scenario one event at a time.\n"
             "Each step prints the trace records of one event that touched a frame, then\n"
             "what each device decided, in words. Type help at the prompt for the\n"
             "commands (next, until, continue, back, detail, hex, show, filter, where).\n"
             "When stdin is not a terminal, commands are read from it and echoed.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    const char *path = sim_cli_parse_file_args(ctx, "step", &argc, &argv);
    int rc = path ? step_file(path, seed, max_events) : 2;
    g_free(seed);
    g_free(max_events);
    return rc;
}

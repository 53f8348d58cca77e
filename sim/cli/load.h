/* load.h - shared front half of the run/check/step/dot commands: parse and
 * validate a topology file, printing diagnostics the same way everywhere. */
#pragma once

#include "sim/topo/ast.h"
#include "sim/topo/diag.h"

#include <stdbool.h>
#include <stdio.h>

/* Parses and validates path. Errors (with source lines and carets) go to
 * stderr and NULL is returned: the caller exits 2. Warnings are printed to
 * `warn_out` (NULL: not printed) and counted in *n_warnings if non-NULL. */
SimTopo *sim_cli_load(const char *path, FILE *warn_out, guint *n_warnings);

/* Parses the command line with ctx (whose options write into the caller's
 * variables) and returns the one topology file it must leave, a pointer
 * into *argv. On an option error or a wrong file count, prints
 * "netsim CMD: ..." and returns NULL: the caller exits 2. */
const char *sim_cli_parse_file_args(GOptionContext *ctx, const char *cmd, int *argc, char ***argv);

/* Parses a --seed/--max-events style unsigned number; prints an error. */
bool sim_cli_parse_u64(const char *cmd, const char *opt, const char *text, uint64_t *out);
/* Parses a --until style time; prints an error naming the option. */
bool sim_cli_parse_time(const char *cmd, const char *opt, const char *text, SimTime *out);

/* parser.h - topology text -> SimTopo AST (syntax only).
 *
 * The grammar is in docs/topology-language.md. Parsing recovers at line
 * boundaries: every line is parsed even after an error, so one run reports
 * every syntax error (up to the SimDiag error cap). Semantic checks (names,
 * addresses, ports, links) are in validate.h.
 *
 * The returned tree is never NULL except when a file cannot be read, even if
 * errors were reported; lines with errors are left out of it (or, for a
 * device, the device is kept and marked `bad`). Check
 * sim_diag_has_errors(diag) before using it.
 */
#pragma once

#include <glib.h>

#include "sim/topo/ast.h"
#include "sim/topo/diag.h"
#include "sim/topo/input.h"

#define SIM_TOPO_ERROR (sim_topo_error_quark())
GQuark sim_topo_error_quark(void);
typedef enum { SIM_TOPO_ERROR_INVALID } SimTopoError;

/* Value parsers of the language, for other front ends (CLI flags). Errors
 * are in SIM_TOPO_ERROR and start with the quoted input, as addr.h does.
 * Rate: "<decimal><unit>", unit bps, kbps, Mbps or Gbps -> bits per second,
 * exact (no floating point), > 0. Percentage: "<decimal>%", 0..100, ->
 * fraction 0..1. */
gboolean sim_topo_parse_rate(const char *s, guint64 *bps, GError **error);
gboolean sim_topo_parse_percent(const char *s, double *frac, GError **error);

/* Reads and parses a file ("-": standard input; see input.h for the
 * rules and the SIM_TOPO_MAX_INPUT_DEFAULT bound). On a read error reports
 * "path: error: cannot read file: ..." to diag and returns NULL. The caller
 * frees the result. */
SimTopo *sim_topo_parse_file(const char *path, SimDiag *diag);
/* The same with a bound of max_bytes. */
SimTopo *sim_topo_parse_file_max(const char *path, gsize max_bytes, SimDiag *diag);
/* Parses a NUL-terminated text; `name` is the file name used in messages. */
SimTopo *sim_topo_parse_string(const char *name, const char *text, SimDiag *diag);
/* Parses text[0..len), which may contain NUL bytes (reported as errors). */
SimTopo *sim_topo_parse_buffer(const char *name, const char *text, gsize len, SimDiag *diag);

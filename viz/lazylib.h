/* lazylib.h - Graphviz and libedit, loaded on first use.
 *
 * Design: netsim links neither libgvc/libcgraph nor libedit. Loading them
 * at start-up (with their own dependencies: expat, zlib, ltdl, libbsd,
 * tinfo...) costs about 1.1 MB of resident memory in every process, also in
 * `netsim run`, which draws nothing; that was a quarter of the bulk-transfer
 * benchmark's footprint (docs/performance.md). lazylib.c defines the
 * Graphviz functions netsim calls with their real prototypes (from the
 * Graphviz headers, so the compiler checks them); each one dlopen()s the
 * library the first time and forwards to it. `netsim step` gets readline
 * the same way, and only on a terminal.
 * Rejected: a viz plugin (a shared module of viz/ plus the CLI commands
 * that draw): more build machinery and an install path for the module, for
 * the same saving.
 *
 * A library that cannot be loaded ends the process with a message naming it
 * and exit status 2 (the installation is broken: netsim was built against
 * it). The shared-object names come from the build (CMake reads each
 * library's SONAME), so they match the headers compiled against.
 */
#pragma once

#include <graphviz/cgraph.h>

/* The address of `sym` in the shared library `soname`, loading the library
 * (once, RTLD_NOW | RTLD_GLOBAL) on the first call. Never returns NULL. */
void *sim_lazylib_sym(const char *soname, const char *sym);

/* cgraph's data objects, which a program linked against the library would
 * name directly (Agundirected, AgMemDisc, AgIoDisc). */
Agdesc_t sim_lazylib_undirected(void);
Agmemdisc_t *sim_lazylib_mem_disc(void);
Agiodisc_t *sim_lazylib_io_disc(void);

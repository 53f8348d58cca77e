/* topo_fixtures.h - fixtures the diagram and trace tests share: loading a
 * topology that must be valid, the list of shipped topologies, and a
 * scratch directory. Header-only (static functions) because CMake builds
 * each test_*.c alone. Tests run in the source directory, so "topologies/"
 * is the shipped set. */
#pragma once

#include "sim/topo/diag.h"
#include "sim/topo/parser.h"
#include "sim/topo/validate.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>

/* Parses and validates a topology; fails the test, printing the
 * diagnostics, if it has errors. The caller owns the result. */
static inline SimTopo *fx_topo_validated(SimTopo *topo, SimDiag *diag, const char *what)
{
    cr_assert_not_null(topo, "%s unreadable", what);
    if (!sim_topo_validate(topo, diag)) {
        g_autofree char *out = sim_diag_render(diag);
        cr_assert_fail("%s has errors:\n%s", what, out);
    }
    return topo;
}

static inline SimTopo *fx_load_file(const char *path)
{
    g_autoptr(SimDiag) diag = sim_diag_new();
    return fx_topo_validated(sim_topo_parse_file(path, diag), diag, path);
}

/* text is parsed as if from a file named t.topo. */
static inline SimTopo *fx_load_text(const char *text)
{
    g_autoptr(SimDiag) diag = sim_diag_new();
    return fx_topo_validated(sim_topo_parse_string("t.topo", text, diag), diag, "topology");
}

/* For g_ptr_array_sort, which passes pointers to the elements. */
static inline gint fx_cmp_strp(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* The topologies/NAME.topo paths, sorted by name. The caller frees the
 * array. */
static inline GPtrArray *fx_shipped_topologies(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GDir) dir = g_dir_open("topologies", 0, &err);
    cr_assert_not_null(dir, "no topologies/ (cwd must be the source dir): %s",
                       err ? err->message : "");
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    for (const char *name; (name = g_dir_read_name(dir));)
        if (g_str_has_suffix(name, ".topo"))
            g_ptr_array_add(files, g_build_filename("topologies", name, NULL));
    g_ptr_array_sort(files, fx_cmp_strp);
    cr_assert_geq(files->len, 8, "expected the shipped topologies");
    return files;
}

/* A new empty directory under the system temp dir, named from tmpl (which
 * ends in XXXXXX). The caller frees the string and removes it with
 * fx_rm_dir. */
static inline char *fx_tmpdir(const char *tmpl)
{
    char *dir = g_dir_make_tmp(tmpl, NULL);
    cr_assert_not_null(dir, "cannot make a temp dir %s", tmpl);
    return dir;
}

/* Removes a flat directory (files only, as the tests leave them). */
static inline void fx_rm_dir(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    for (const char *name; d && (name = g_dir_read_name(d));) {
        g_autofree char *p = g_build_filename(dir, name, NULL);
        g_unlink(p);
    }
    g_rmdir(dir);
}

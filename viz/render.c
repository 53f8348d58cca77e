/* render.c - lays out and renders a diagram with gvc (see diagram.h).
 *
 * One GVC_t for the whole process, created on first use and never freed.
 * A context per call is what the API suggests, but Graphviz 2.42's pango
 * plugin caches a pointer to the last font name, which lives in the
 * context: after gvFreeContext the next context's first text measurement
 * reads freed memory (AddressSanitizer: heap-use-after-free in
 * pango_textlayout). Keeping the context alive keeps that name valid, and
 * what it owns stays reachable, so LeakSanitizer does not count it.
 * Everything a layout allocates is released with gvFreeLayout before the
 * graph is closed.
 */
#include "viz/diagram.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <graphviz/gvc.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// clang-format off: it would put spaces into the quark's name
G_DEFINE_QUARK(sim - viz - error - quark, sim_viz_error)
// clang-format on

static const struct {
    const char *ext, *format;
} formats[] = {{".dot", "dot"}, {".gv", "dot"}, {".svg", "svg"}, {".png", "png"}};

static const char *const layouts[] = {"dot", "neato", "fdp"};

const char *sim_viz_format_for_path(const char *path, GError **error)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash))
        for (gsize i = 0; i < G_N_ELEMENTS(formats); i++)
            if (g_ascii_strcasecmp(dot, formats[i].ext) == 0)
                return formats[i].format;
    g_set_error(error, SIM_VIZ_ERROR, SIM_VIZ_ERROR_FORMAT,
                "'%s': cannot tell the format (use a .dot, .svg or .png name)", path);
    return NULL;
}

gboolean sim_viz_layout_parse(const char *name, SimVizLayout *out, GError **error)
{
    for (gsize i = 0; i < G_N_ELEMENTS(layouts); i++)
        if (strcmp(name, layouts[i]) == 0) {
            *out = (SimVizLayout)i;
            return TRUE;
        }
    g_set_error(error, SIM_VIZ_ERROR, SIM_VIZ_ERROR_FORMAT,
                "unknown layout '%s' (use dot, neato or fdp)", name);
    return FALSE;
}

const char *sim_viz_layout_name(SimVizLayout layout)
{
    return (guint)layout < G_N_ELEMENTS(layouts) ? layouts[layout] : "dot";
}

/* cgraph reports through a global callback; collect for the GError. */
static GString *gv_messages;

static int collect(char *msg)
{
    if (gv_messages)
        g_string_append(gv_messages, msg);
    return 0;
}

/* Lays out and renders into memory: Graphviz's own writer calls exit(1)
 * when a write fails (gvdevice.c, "gvwrite_no_z problem"), which ended the
 * process, and the stepper session with it, with no message and a
 * truncated file. In memory nothing can fail but the allocation; the
 * caller writes the bytes and checks every write. The picture is at most a
 * few MB (a PNG of thousands of devices), so holding it once is cheap. */
/* The process umask, for the temporary file's mode (mkstemp makes 0600;
 * the picture should get what fopen would have given it). */
static mode_t current_umask(void)
{
    mode_t m = umask(0);
    umask(m);
    return m;
}

static gboolean render(GVC_t *gvc, Agraph_t *g, const SimVizOptions *opts, const char *format,
                       char **data, unsigned int *len)
{
    SimVizLayout layout = opts ? opts->layout : SIM_VIZ_LAYOUT_DOT;
    if (gvLayout(gvc, g, sim_viz_layout_name(layout)) != 0)
        return FALSE;
    int rc = gvRenderData(gvc, g, format, data, len);
    gvFreeLayout(gvc, g);
    return rc == 0;
}

/* Writes all of data to fd; 0, or the errno of the write that failed. */
static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : EIO;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Replaces path with data: a temporary file in the same directory, every
 * write and the close checked, then rename, so a failure (a full disk)
 * leaves the old file, if any, untouched and no partial one. 0, or errno. */
static int replace_file(const char *path, const char *data, size_t len)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0666 & ~current_umask());
    if (fd < 0)
        return errno;
    int e = write_all(fd, data, len);
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e)
        unlink(tmp);
    return e;
}

/* We write the output ourselves rather than call gvRenderFilename: in
 * Graphviz 2.42 that returns success, silently, when the file cannot be
 * created, and its writer exits the process on a failed write. */
gboolean sim_viz_write(const SimTopo *topo, const SimVizOptions *opts, const char *path,
                       GError **error)
{
    const char *format = path ? sim_viz_format_for_path(path, error) : "dot";
    if (!format)
        return FALSE;
    g_autoptr(Agraph_t) g = sim_viz_graph(topo, opts);
    gv_messages = g_string_new(NULL);
    agusererrf prev = agseterrf(collect);
    static GVC_t *gvc;
    if (!gvc)
        gvc = gvContext();
    char *data = NULL;
    unsigned int len = 0;
    gboolean ok = render(gvc, g, opts, format, &data, &len);
    agseterrf(prev);
    g_autofree char *msgs = g_strstrip(g_string_free(gv_messages, FALSE));
    gv_messages = NULL;
    if (!ok) {
        if (data)
            gvFreeRenderData(data);
        g_set_error(error, SIM_VIZ_ERROR, SIM_VIZ_ERROR_RENDER, "cannot draw %s: %s",
                    path ? path : "to standard output", *msgs ? msgs : "Graphviz failed");
        return FALSE;
    }
    int e = 0;
    if (path) {
        e = replace_file(path, data, len);
    } else {
        errno = 0;
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            e = errno ? errno : EIO;
        clearerr(stdout); /* reported here, not again by the caller's final check */
    }
    gvFreeRenderData(data);
    if (e)
        g_set_error(error, SIM_VIZ_ERROR, SIM_VIZ_ERROR_RENDER, "cannot write %s: %s",
                    path ? path : "standard output", g_strerror(e));
    return e == 0;
}

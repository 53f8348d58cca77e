/* input.c - see input.h. */
#include "sim/topo/input.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static gboolean fail_errno(GError **error, int e)
{
    g_set_error_literal(error, G_FILE_ERROR, g_file_error_from_errno(e), g_strerror(e));
    return FALSE;
}

static gboolean too_large(GError **error, gsize max_bytes)
{
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                "larger than the %" G_GSIZE_FORMAT " MB input limit (set NETSIM_MAX_INPUT_MB "
                "to raise it)",
                max_bytes >> 20);
    return FALSE;
}

/* Reads fd to its end, failing once more than max_bytes arrive. */
static gboolean read_bounded(int fd, gsize max_bytes, char **text, gsize *len, GError **error)
{
    GByteArray *buf = g_byte_array_new();
    guint8 chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            g_byte_array_unref(buf);
            return fail_errno(error, e);
        }
        if (n == 0)
            break;
        if (buf->len + (gsize)n > max_bytes) {
            g_byte_array_unref(buf);
            return too_large(error, max_bytes);
        }
        g_byte_array_append(buf, chunk, (guint)n);
    }
    *len = buf->len;
    g_byte_array_append(buf, (const guint8 *)"", 1);
    *text = (char *)g_byte_array_free(buf, FALSE);
    return TRUE;
}

gboolean sim_topo_read_input(const char *path, gsize max_bytes, char **text, gsize *len,
                             GError **error)
{
    if (strcmp(path, "-") == 0)
        return read_bounded(STDIN_FILENO, max_bytes, text, len, error);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not block here */
    if (fd < 0)
        return fail_errno(error, errno);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return fail_errno(error, e);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "not a regular file (%s); give a topology file, or '-' for standard input",
                    S_ISDIR(st.st_mode)    ? "a directory"
                    : S_ISFIFO(st.st_mode) ? "a pipe"
                    : S_ISCHR(st.st_mode)  ? "a character device"
                    : S_ISBLK(st.st_mode)  ? "a block device"
                                           : "a socket or other special file");
        return FALSE;
    }
    if ((guint64)st.st_size > max_bytes) {
        close(fd);
        return too_large(error, max_bytes);
    }
    gboolean ok = read_bounded(fd, max_bytes, text, len, error); /* it may grow meanwhile */
    close(fd);
    return ok;
}

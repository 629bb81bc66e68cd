/*
** ingest.c: walks a path (file, directory, "-" for stdin), reads each file
** through zlib (plain or gzip alike), splits JSON Lines with a capped line
** buffer, and hands records to record.c's parsers. Good articles go to the
** article sink in file order; problems go to the reject sink and reading
** goes on.
*/
#include "ingest.h"
#include "util/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define READ_CHUNK (1u << 16)
#define MAX_DIR_DEPTH 64     /* deeper directories are reported, not walked */

typedef enum file_kind {
    KIND_NONE = 0,   /* not ours: skipped in a directory walk */
    KIND_JSONL,
    KIND_TEXT,
    KIND_HTML,
    KIND_SNIFF       /* decided from the first bytes */
} file_kind;

/* A chunked reader over a gzFile (zlib reads plain files transparently). */
typedef struct reader {
    gzFile gz;
    char buf[READ_CHUNK];
    size_t pos, len;
    int eof;
    char error[256];          /* set when zlib reports a read error */
    uint64_t *bytes;
} reader;

typedef struct ingest_ctx {
    td_article_sink on_article;
    td_reject_sink on_reject;
    void *ud;
    uint64_t *bytes;
    td_status stop;           /* a sink's non-OK status stops everything */
    dev_t dir_dev[MAX_DIR_DEPTH];
    ino_t dir_ino[MAX_DIR_DEPTH];
    size_t n_dirs;            /* directories on the current walk path */
} ingest_ctx;

static void reject(ingest_ctx *ctx, const td_error *err)
{
    if (ctx->on_reject)
        ctx->on_reject(ctx->ud, err);
}

static void reject_msg(ingest_ctx *ctx, td_status code, const char *where,
                       const char *msg, const char *detail)
{
    td_error err;
    td__error_set(&err, code, where, 0, "%s%s%s", msg, detail ? ": " : "",
                  detail ? detail : "");
    reject(ctx, &err);
}

/* Hands a parsed article to the sink, then clears what the sink left. */
static void deliver(ingest_ctx *ctx, td_article *art)
{
    td_status rc = ctx->on_article ? ctx->on_article(ctx->ud, art) : TD_OK;
    td__article_clear(art);
    if (rc != TD_OK)
        ctx->stop = rc;
}

/* zlib prefixes its messages with "<fd:N>: " for a gzdopen'd file. */
static const char *zlib_message(const char *msg)
{
    const char *colon;
    if (msg && strncmp(msg, "<fd:", 4) == 0 && (colon = strstr(msg, ">: ")))
        return colon + 3;
    return msg ? msg : "unknown zlib error";
}

/* Makes data available at r->buf[r->pos..r->len); 0 at the end or on a read
** error (then r->error says why). */
static int reader_fill(reader *r)
{
    int n;
    if (r->pos < r->len)
        return 1;
    if (r->eof)
        return 0;
    r->pos = r->len = 0;
    n = gzread(r->gz, r->buf, sizeof r->buf);
    if (n < 0) {
        int errnum = 0;
        const char *msg = gzerror(r->gz, &errnum);
        snprintf(r->error, sizeof r->error, "%s",
                 errnum == Z_ERRNO ? strerror(errno) : zlib_message(msg));
        r->eof = 1;
        return 0;
    }
    if (n == 0) {
        int errnum = 0;
        const char *msg = gzerror(r->gz, &errnum);
        /* A gzip stream cut short reads as Z_BUF_ERROR at the end. */
        if (errnum != Z_OK && errnum != Z_STREAM_END)
            snprintf(r->error, sizeof r->error, "%s", zlib_message(msg));
        r->eof = 1;
        return 0;
    }
    r->len = (size_t)n;
    if (r->bytes)
        *r->bytes += (uint64_t)n;
    return 1;
}

static int is_blank(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n' &&
            s[i] != '\f' && s[i] != '\v')
            return 0;
    return 1;
}

static void json_line(ingest_ctx *ctx, const char *name, size_t lineno,
                      td_buf *line, int overflow)
{
    char where[512];
    td_article art;
    td_error err;
    td_status rc;
    const char *data = line->data ? line->data : "";
    size_t len = line->len;
    snprintf(where, sizeof where, "%s:%zu", name, lineno);
    if (overflow) {
        td__error_set(&err, overflow == 1 ? TD_ETOOBIG : TD_ENOMEM, where, 0,
                      overflow == 1 ? "line over %u bytes" : "out of memory "
                      "reading a line of up to %u bytes",
                      (unsigned)TD_MAX_RECORD);
        reject(ctx, &err);
        /* Out of memory is the engine failing, not the record: stop. */
        if (overflow == 2)
            ctx->stop = TD_ENOMEM;
        return;
    }
    if (len && data[len - 1] == '\r')
        len--;
    if (lineno == 1 && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    if (is_blank(data, len))
        return;
    memset(&art, 0, sizeof art);
    rc = td__parse_json_record(data, len, where, &art, &err);
    if (rc == TD_OK)
        deliver(ctx, &art);
    else if (rc == TD_ENOMEM)
        ctx->stop = rc;   /* the engine failing, not the record: stop */
    else
        reject(ctx, &err);
}

/* Reads JSON Lines: each line is collected into a buffer capped at
** TD_MAX_RECORD; past the cap the rest of the line is skipped, not kept. */
static void read_jsonl(ingest_ctx *ctx, reader *r, const char *name)
{
    td_buf line;
    size_t lineno = 0;
    int overflow = 0;   /* 1: over the cap, 2: out of memory */
    td__buf_init(&line, TD_MAX_RECORD);
    while (ctx->stop == TD_OK && reader_fill(r)) {
        const char *start = r->buf + r->pos;
        const char *nl = memchr(start, '\n', r->len - r->pos);
        size_t n = nl ? (size_t)(nl - start) : r->len - r->pos;
        if (!overflow) {
            td_status rc = td__buf_append(&line, start, n);
            if (rc != TD_OK) {
                overflow = rc == TD_ETOOBIG ? 1 : 2;
                td__buf_free(&line);
            }
        }
        r->pos += n;
        if (nl) {
            r->pos++;
            json_line(ctx, name, ++lineno, &line, overflow);
            td__buf_reset(&line);
            overflow = 0;
        }
    }
    if (ctx->stop == TD_OK && (line.len > 0 || overflow))
        json_line(ctx, name, ++lineno, &line, overflow);
    td__buf_free(&line);
}

/* Reads a whole document into b (capped); 0 after reporting a problem. */
static int read_whole(ingest_ctx *ctx, reader *r, const char *name, td_buf *b)
{
    while (reader_fill(r)) {
        td_status rc = td__buf_append(b, r->buf + r->pos, r->len - r->pos);
        r->pos = r->len;
        if (rc == TD_ETOOBIG) {
            td_error err;
            td__error_set(&err, rc, name, 0, "file over %u bytes",
                          (unsigned)TD_MAX_RECORD);
            reject(ctx, &err);
            return 0;
        }
        if (rc != TD_OK) {
            reject_msg(ctx, rc, name, "out of memory", NULL);
            return 0;
        }
    }
    if (r->error[0]) {
        reject_msg(ctx, TD_EIO, name, "read error", r->error);
        return 0;
    }
    return 1;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

static void read_document(ingest_ctx *ctx, reader *r, const char *name,
                          const char *id, file_kind kind)
{
    td_buf b;
    td_article art;
    td_error err;
    td_status rc;
    td__buf_init(&b, TD_MAX_RECORD);
    if (read_whole(ctx, r, name, &b)) {
        memset(&art, 0, sizeof art);
        if (kind == KIND_HTML)
            rc = td__parse_html_doc(b.data ? b.data : "", b.len, id, name,
                                    &art, &err);
        else
            rc = td__parse_text_doc(b.data ? b.data : "", b.len, id, name,
                                    &art, &err);
        if (rc == TD_OK)
            deliver(ctx, &art);
        else
            reject(ctx, &err);
    }
    td__buf_free(&b);
}

/* Decides a kind from the first bytes: '{' JSON Lines, '<' HTML, else text.
** KIND_NONE for empty input. */
static file_kind sniff(reader *r)
{
    size_t i;
    if (!reader_fill(r))
        return KIND_NONE;
    i = r->pos;
    if (r->len - i >= 3 && memcmp(r->buf + i, "\xEF\xBB\xBF", 3) == 0)
        i += 3;
    while (i < r->len && (r->buf[i] == ' ' || r->buf[i] == '\t' ||
                          r->buf[i] == '\r' || r->buf[i] == '\n'))
        i++;
    if (i < r->len && r->buf[i] == '{')
        return KIND_JSONL;
    if (i < r->len && r->buf[i] == '<')
        return KIND_HTML;
    return KIND_TEXT;
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

static file_kind kind_of(const char *path)
{
    const char *name = base_name(path);
    size_t len = strlen(name);
    if (ends_with(name, len, ".gz"))
        len -= 3;
    if (ends_with(name, len, ".jsonl") || ends_with(name, len, ".ndjson") ||
        ends_with(name, len, ".json"))
        return KIND_JSONL;
    if (ends_with(name, len, ".txt"))
        return KIND_TEXT;
    if (ends_with(name, len, ".html") || ends_with(name, len, ".htm"))
        return KIND_HTML;
    return KIND_NONE;
}

/* Reads an open descriptor (taken over and closed here) of the given kind.
** name is for messages, id for documents. */
static td_status read_fd(ingest_ctx *ctx, int fd, const char *name,
                         const char *id, file_kind kind, td_error *err)
{
    reader *r;
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        close(fd);
        return td__error_set(err, TD_ENOMEM, name, 0, "out of memory");
    }
    r = malloc(sizeof *r);
    if (!r) {
        gzclose(gz);
        return td__error_set(err, TD_ENOMEM, name, 0, "out of memory");
    }
    r->gz = gz;
    r->pos = r->len = 0;
    r->eof = 0;
    r->error[0] = '\0';
    r->bytes = ctx->bytes;
    if (kind == KIND_SNIFF)
        kind = sniff(r);
    if (kind == KIND_JSONL) {
        read_jsonl(ctx, r, name);
        if (r->error[0] && ctx->stop == TD_OK)
            reject_msg(ctx, TD_EIO, name, "read error", r->error);
    } else if (kind == KIND_TEXT || kind == KIND_HTML) {
        read_document(ctx, r, name, id, kind);
    }
    gzclose(gz);
    free(r);
    return TD_OK;
}

/* Opens and reads one file. A file that cannot be opened is an error for
** the top-level path and a rejected record inside a directory. */
static td_status read_file(ingest_ctx *ctx, const char *path, file_kind kind,
                           int top, td_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (top)
            return td__error_set(err, TD_EIO, path, 0, "cannot open: %s",
                                 strerror(errno));
        reject_msg(ctx, TD_EIO, path, "cannot open", strerror(errno));
        return TD_OK;
    }
    return read_fd(ctx, fd, path, base_name(path), kind, err);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static td_status walk_dir(ingest_ctx *ctx, const char *path,
                          const struct stat *st, int top, td_error *err);

/* One directory entry: a file of a known kind or a directory. */
static void walk_entry(ingest_ctx *ctx, const char *path, td_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        reject_msg(ctx, TD_EIO, path, "cannot stat", strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        walk_dir(ctx, path, &st, 0, err);
    } else if (S_ISREG(st.st_mode)) {
        file_kind kind = kind_of(path);
        if (kind != KIND_NONE)
            read_file(ctx, path, kind, 0, err);
    }
    /* FIFOs, sockets and devices in a tree are skipped: they may block. */
}

static td_status walk_dir(ingest_ctx *ctx, const char *path,
                          const struct stat *st, int top, td_error *err)
{
    DIR *dir;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, size = 0, k;
    td_status rc = TD_OK;
    for (k = 0; k < ctx->n_dirs; k++)
        if (ctx->dir_dev[k] == st->st_dev && ctx->dir_ino[k] == st->st_ino)
            return TD_OK;   /* a symlink loop: already being walked */
    if (ctx->n_dirs >= MAX_DIR_DEPTH) {
        reject_msg(ctx, TD_ETOOBIG, path, "directories nested too deep",
                   NULL);
        return TD_OK;
    }
    dir = opendir(path);
    if (!dir) {
        if (top)
            return td__error_set(err, TD_EIO, path, 0, "cannot open: %s",
                                 strerror(errno));
        reject_msg(ctx, TD_EIO, path, "cannot open", strerror(errno));
        return TD_OK;
    }
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.')
            continue;   /* hidden files, "." and ".." */
        if (n == size) {
            size_t new_size = size ? size * 2 : 64;
            char **grown = realloc(names, new_size * sizeof *names);
            if (!grown) {
                rc = TD_ENOMEM;
                break;
            }
            names = grown;
            size = new_size;
        }
        names[n] = td__strdup(de->d_name);
        if (!names[n]) {
            rc = TD_ENOMEM;
            break;
        }
        n++;
    }
    closedir(dir);
    if (rc != TD_OK) {
        reject_msg(ctx, rc, path, "out of memory listing directory", NULL);
    } else {
        size_t plen = strlen(path);
        if (n > 1)   /* names is NULL in an empty directory */
            qsort(names, n, sizeof *names, compare_names);
        ctx->dir_dev[ctx->n_dirs] = st->st_dev;
        ctx->dir_ino[ctx->n_dirs] = st->st_ino;
        ctx->n_dirs++;
        for (k = 0; k < n && ctx->stop == TD_OK; k++) {
            size_t nlen = strlen(names[k]);
            int slash = plen > 0 && path[plen - 1] != '/';
            char *child = malloc(plen + (size_t)slash + nlen + 1);
            if (!child) {
                reject_msg(ctx, TD_ENOMEM, path, "out of memory", NULL);
                break;
            }
            memcpy(child, path, plen);
            if (slash)
                child[plen] = '/';
            memcpy(child + plen + (size_t)slash, names[k], nlen + 1);
            walk_entry(ctx, child, err);
            free(child);
        }
        ctx->n_dirs--;
    }
    for (k = 0; k < n; k++)
        free(names[k]);
    free(names);
    return TD_OK;
}

td_status td__ingest_path(const char *path, td_article_sink on_article,
                          td_reject_sink on_reject, void *ud, uint64_t *bytes,
                          td_error *err)
{
    ingest_ctx ctx;
    struct stat st;
    td_status rc;
    if (!path || !*path)
        return td__error_set(err, TD_EINVAL, NULL, 0, "no path");
    memset(&ctx, 0, sizeof ctx);
    ctx.on_article = on_article;
    ctx.on_reject = on_reject;
    ctx.ud = ud;
    ctx.bytes = bytes;
    ctx.stop = TD_OK;
    if (strcmp(path, "-") == 0) {
        /* Duplicated so that closing the gzFile leaves stdin open. */
        int fd = dup(STDIN_FILENO);
        if (fd < 0)
            return td__error_set(err, TD_EIO, "stdin", 0,
                                 "cannot read stdin: %s", strerror(errno));
        rc = read_fd(&ctx, fd, "stdin", "stdin", KIND_SNIFF, err);
    } else if (stat(path, &st) != 0) {
        return td__error_set(err, TD_EIO, path, 0, "cannot read: %s",
                             strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        rc = walk_dir(&ctx, path, &st, 1, err);
    } else {
        file_kind kind = kind_of(path);
        rc = read_file(&ctx, path, kind == KIND_NONE ? KIND_SNIFF : kind, 1,
                       err);
    }
    if (rc != TD_OK)
        return rc;
    if (ctx.stop != TD_OK)
        return td__error_set(err, ctx.stop, path, 0,
                             "stopped by the article sink: %s",
                             td_strerror(ctx.stop));
    return TD_OK;
}

/*
** gen.c: the `gen` program: writes a synthetic multilingual news stream as
** JSON Lines to stdout, one article a line, sorted by date, with the gold
** story id in "story". The model lives in bench/gen.h (shared with bench.c);
** docs/internals/bench.md describes it.
**
**   gen N [--seed S] [--size BYTES]
*/
#include "gen.h"

#include <errno.h>

/* Output goes through one large buffer: stdio's per-call cost would
** dominate at gigabytes. */
typedef struct out_buf {
    char data[1 << 20];
    size_t len;
} out_buf;

static void out_flush(out_buf *o)
{
    if (o->len && fwrite(o->data, 1, o->len, stdout) != o->len) {
        fprintf(stderr, "gen: write failed: %s\n", strerror(errno));
        exit(1);
    }
    o->len = 0;
}

static void out_put(out_buf *o, const char *s, size_t len)
{
    while (len) {
        if (o->len == sizeof o->data)
            out_flush(o);
        size_t room = sizeof o->data - o->len;
        size_t n = len < room ? len : room;
        memcpy(o->data + o->len, s, n);
        o->len += n;
        s += n;
        len -= n;
    }
}

static void out_str(out_buf *o, const char *s)
{
    out_put(o, s, strlen(s));
}

/* Writes s as a JSON string, quotes included. Runs of bytes that need no
** escape are copied whole. */
static void out_json(out_buf *o, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    out_put(o, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out_put(o, s + run, i - run);
        run = i + 1;
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        if (c == '\n')
            out_put(o, "\\n", 2);
        else if (c == '"' || c == '\\') {
            esc[1] = (char)c;
            out_put(o, esc, 2);
        } else
            out_put(o, esc, 6);
    }
    out_put(o, s + run, len - run);
    out_put(o, "\"", 1);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: gen N [--seed S] [--size BYTES]\n"
            "  writes N synthetic articles as JSON Lines to stdout\n"
            "  --seed S      random seed (default 1); same seed, same stream\n"
            "  --size BYTES  mean text bytes per article (default 3000)\n");
    exit(2);
}

static uint64_t parse_u64(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-')
        usage();
    return v;
}

int main(int argc, char **argv)
{
    uint64_t n = 0, seed = 1, size = 3000;
    int have_n = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = parse_u64(argv[++i]);
        else if (!strcmp(argv[i], "--size") && i + 1 < argc)
            size = parse_u64(argv[++i]);
        else if (argv[i][0] != '-' && !have_n) {
            n = parse_u64(argv[i]);
            have_n = 1;
        } else
            usage();
    }
    if (!have_n || size > (64u << 20))
        usage();

    static gen g;
    static out_buf out;
    gen_open(&g, n, seed, (size_t)size);
    gen_article *a;
    char num[32];
    while (gen_next(&g, &a)) {
        out_str(&out, "{\"id\":\"");
        out_str(&out, a->id);
        snprintf(num, sizeof num, "\",\"story\":%llu,\"date\":\"",
                 (unsigned long long)a->story);
        out_str(&out, num);
        out_str(&out, a->date);
        out_str(&out, "\",\"lang\":\"");
        out_str(&out, a->lang);
        out_str(&out, "\",\"source\":");
        out_json(&out, a->source, strlen(a->source));
        out_str(&out, ",\"url\":");
        out_json(&out, a->url, strlen(a->url));
        out_str(&out, ",\"title\":");
        out_json(&out, a->title.data, a->title.len);
        out_str(&out, ",\"text\":");
        out_json(&out, a->text.data, a->text.len);
        out_str(&out, "}\n");
    }
    out_flush(&out);
    gen_close(&g);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "gen: write failed: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}

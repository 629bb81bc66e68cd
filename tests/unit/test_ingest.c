/*
** test_ingest.c: the ingest stage: JSON Lines records good and bad (each
** rejection with its message and "file:line"), the line cap, plain text and
** HTML files, gzip, directory walk order, stdin sniffing and the sinks.
** Every input is generated into a fresh temporary directory.
*/
#include "check.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "util/util.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MAX_SEEN 64

/* What the sinks saw: copies of good articles and of rejections. */
typedef struct seen {
    td_article arts[MAX_SEEN];
    size_t n_arts;
    td_error errs[MAX_SEEN];
    size_t n_errs;
    size_t stop_after;    /* the article sink fails after this many, or 0 */
    int steal;            /* the article sink takes the text */
} seen;

static char tmp[256];

static td_status on_article(void *ud, td_article *art)
{
    seen *s = ud;
    td_article *copy;
    if (s->stop_after && s->n_arts >= s->stop_after)
        return TD_ESTORE;
    if (s->n_arts >= MAX_SEEN)
        return TD_OK;
    copy = &s->arts[s->n_arts++];
    memset(copy, 0, sizeof *copy);
    copy->id = td__strdup(art->id);
    copy->url = td__strdup(art->url);
    copy->source = td__strdup(art->source);
    copy->title = td__strdup(art->title);
    copy->html = td__strdup(art->html);
    copy->lang_hint = td__strdup(art->lang_hint);
    copy->date = art->date;
    memcpy(copy->where, art->where, sizeof copy->where);
    if (s->steal) {
        copy->text = art->text;   /* the sink owns it now */
        art->text = NULL;
    } else {
        copy->text = td__strdup(art->text);
    }
    return TD_OK;
}

static void on_reject(void *ud, const td_error *err)
{
    seen *s = ud;
    if (s->n_errs < MAX_SEEN)
        s->errs[s->n_errs++] = *err;
}

static void seen_clear(seen *s)
{
    size_t k;
    for (k = 0; k < s->n_arts; k++)
        td__article_clear(&s->arts[k]);
    memset(s, 0, sizeof *s);
}

/* Path of name inside the temporary directory (static buffer per slot). */
static const char *in_tmp(const char *name)
{
    static char paths[4][512];
    static int slot;
    char *p = paths[slot++ % 4];
    snprintf(p, 512, "%s/%s", tmp, name);
    return p;
}

static void write_file(const char *name, const void *data, size_t len)
{
    FILE *f = fopen(in_tmp(name), "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK(fwrite(data, 1, len, f) == len);
    fclose(f);
}

static void write_str(const char *name, const char *text)
{
    write_file(name, text, strlen(text));
}

static void write_gz(const char *name, const char *data, size_t len)
{
    gzFile gz = gzopen(in_tmp(name), "wb");
    CHECK(gz != NULL);
    if (!gz)
        return;
    CHECK(gzwrite(gz, data, (unsigned)len) == (int)len);
    gzclose(gz);
}

static td_status ingest(const char *name, seen *s)
{
    td_error err;
    return td__ingest_path(in_tmp(name), on_article, on_reject, s, NULL, &err);
}

static const char jsonl[] =
    "{\"id\":\"a\",\"title\":\" T  one \",\"text\":\" Body\\n\\n two \","
    "\"url\":\"https://x/a\",\"source\":\"Daily\",\"date\":\"2023-07-06\","
    "\"lang\":\"en-GB\"}\n"
    "   \n"
    "{\"id\":\"b\",\"text\":\"x\"\n"
    "{\"id\":\"c\"}\n"
    "{\"text\":\"no id\"}\n"
    "{\"id\":7,\"text\":\"numeric id\"}\r\n"
    "{\"id\":\"d\",\"text\":\"bad \xff\xfe\xfd\xfc\xfb bytes\"}\n"
    "{\"id\":\"e\",\"text\":\"caf\xe9 ok\"}\n"
    "{\"id\":\"f\",\"text\":\"a\0b\"}\n"
    "{\"id\":\"g\",\"text\":\"a\\u0000b\"}\n"
    "{\"id\":\"h\",\"html\":\"<p>Hello <b>web</b></p>\"}\n"
    "[1,2]\n"
    "{\"id\":\"i\",\"text\":\"x\",\"date\":\"last tuesday\"}\n"
    "{\"id\":\"j\",\"text\":\" \\n \"}\n"
    "{\"id\":\"k\",\"text\":\"x\"} junk\n"
    "{\"id\":\"l\",\"published\":\"2023-07-06T12:00:00+02:00\",\"text\":\"p\","
    "\"path\\\\u0000\":\"escaped backslash is fine\"}\n"
    "\n"
    "{\"id\":\"z\",\"text\":\"last line, no newline\"}";

TEST(jsonl_records)
{
    seen s;
    char where[600];
    memset(&s, 0, sizeof s);
    write_file("mixed.jsonl", jsonl, sizeof jsonl - 1);
    CHECK(ingest("mixed.jsonl", &s) == TD_OK);
    CHECK(s.n_arts == 7);
    if (s.n_arts == 7) {
        CHECK_STR(s.arts[0].id, "a");
        CHECK_STR(s.arts[0].title, "T one");
        CHECK_STR(s.arts[0].text, "Body\ntwo");
        CHECK_STR(s.arts[0].url, "https://x/a");
        CHECK_STR(s.arts[0].source, "Daily");
        CHECK_STR(s.arts[0].lang_hint, "en");
        CHECK(s.arts[0].date == 1688601600);
        snprintf(where, sizeof where, "%s:1", in_tmp("mixed.jsonl"));
        CHECK_STR(s.arts[0].where, where);
        CHECK_STR(s.arts[1].id, "7");
        CHECK_STR(s.arts[1].text, "numeric id");
        CHECK_STR(s.arts[2].id, "e");
        CHECK_STR(s.arts[2].text, "caf\xEF\xBF\xBD ok");   /* repaired */
        CHECK_STR(s.arts[3].id, "h");
        CHECK(s.arts[3].text == NULL);
        CHECK_STR(s.arts[3].html, "<p>Hello <b>web</b></p>");
        CHECK_STR(s.arts[4].id, "i");
        CHECK(s.arts[4].date == TD_NO_DATE);   /* bad date: kept, undated */
        CHECK_STR(s.arts[5].id, "l");
        CHECK(s.arts[5].date == 1688637600);
        CHECK_STR(s.arts[6].id, "z");
        snprintf(where, sizeof where, "%s:18", in_tmp("mixed.jsonl"));
        CHECK_STR(s.arts[6].where, where);
    }
    CHECK(s.n_errs == 9);
    if (s.n_errs == 9) {
        static const struct {
            int line;
            td_status code;
            const char *msg;
            size_t offset;
        } want[9] = {
            {3, TD_EPARSE, "malformed JSON at byte 19", 19},
            {4, TD_EMISSING, "missing text", 0},
            {5, TD_EMISSING, "missing id", 0},
            {7, TD_EUTF8, "invalid UTF-8 in field \"text\" at byte 22", 22},
            {9, TD_ENUL, "NUL byte at byte 19", 19},
            {10, TD_ENUL, "NUL escape (\\u0000) at byte 19", 19},
            {12, TD_EPARSE, "record is not a JSON object", 0},
            {14, TD_EMISSING, "missing text", 0},
            {15, TD_EPARSE, "malformed JSON at byte 22", 22}};
        size_t k;
        for (k = 0; k < 9; k++) {
            snprintf(where, sizeof where, "%s:%d", in_tmp("mixed.jsonl"),
                     want[k].line);
            CHECK_STR(s.errs[k].where, where);
            CHECK(s.errs[k].code == want[k].code);
            CHECK_STR(s.errs[k].msg, want[k].msg);
            CHECK(s.errs[k].offset == want[k].offset);
        }
    }
    seen_clear(&s);
}

TEST(jsonl_line_cap)
{
    /* A 9 MiB line between two good ones: rejected, never buffered whole. */
    size_t big = 9u << 20, k;
    char *data = malloc(big + 200), *p = data;
    seen s;
    char where[600];
    memset(&s, 0, sizeof s);
    CHECK(data != NULL);
    if (!data)
        return;
    p += sprintf(p, "{\"id\":\"1\",\"text\":\"before\"}\n{\"id\":\"2\",\"text\":\"");
    for (k = 0; k < big; k++)
        *p++ = 'x';
    p += sprintf(p, "\"}\n{\"id\":\"3\",\"text\":\"after\"}\n");
    write_file("big.jsonl", data, (size_t)(p - data));
    free(data);
    CHECK(ingest("big.jsonl", &s) == TD_OK);
    CHECK(s.n_arts == 2 && s.n_errs == 1);
    if (s.n_arts == 2 && s.n_errs == 1) {
        CHECK_STR(s.arts[0].id, "1");
        CHECK_STR(s.arts[1].id, "3");
        snprintf(where, sizeof where, "%s:3", in_tmp("big.jsonl"));
        CHECK_STR(s.arts[1].where, where);
        snprintf(where, sizeof where, "%s:2", in_tmp("big.jsonl"));
        CHECK_STR(s.errs[0].where, where);
        CHECK(s.errs[0].code == TD_ETOOBIG);
        CHECK_STR(s.errs[0].msg, "line over 8388608 bytes");
    }
    seen_clear(&s);
}

TEST(jsonl_field_cap)
{
    /* A 5 MiB text field on a line under TD_MAX_RECORD: the record is
    ** rejected (TD_MAX_FIELD), the next one is read. */
    size_t big = 5u << 20, k;
    char *data = malloc(big + 200), *p = data;
    seen s;
    memset(&s, 0, sizeof s);
    CHECK(data != NULL);
    if (!data)
        return;
    p += sprintf(p, "{\"id\":\"big\",\"text\":\"");
    for (k = 0; k < big; k++)
        *p++ = k % 6 == 5 ? ' ' : 'x';
    p += sprintf(p, "\"}\n{\"id\":\"after\",\"text\":\"after\"}\n");
    write_file("field.jsonl", data, (size_t)(p - data));
    free(data);
    CHECK(ingest("field.jsonl", &s) == TD_OK);
    CHECK(s.n_arts == 1 && s.n_errs == 1);
    if (s.n_arts == 1 && s.n_errs == 1) {
        CHECK_STR(s.arts[0].id, "after");
        CHECK(s.errs[0].code == TD_ETOOBIG);
    }
    seen_clear(&s);
}

TEST(text_files)
{
    static const char doc[] =
        "\xEF\xBB\xBF\n  \n  Former US officials \xC2\xAB secretly \xC2\xBB "
        "met  \r\n\r\nFirst paragraph.\r\n\r\n   Second paragraph.  \n\n";
    seen s;
    memset(&s, 0, sizeof s);
    write_file("000_87303ff5cc23dedd.txt", doc, sizeof doc - 1);
    write_file("nul.txt", "Title\nbody\0more", 15);
    write_str("latin1.txt", "Caf\xe9\n\xe0 la cr\xe8me br\xfbl\xe9" "e");
    write_str("title_only.txt", "Just a title\n\n");
    write_str("empty.txt", "");
    CHECK(ingest("000_87303ff5cc23dedd.txt", &s) == TD_OK);
    CHECK(ingest("nul.txt", &s) == TD_OK);
    CHECK(ingest("latin1.txt", &s) == TD_OK);
    CHECK(ingest("title_only.txt", &s) == TD_OK);
    CHECK(ingest("empty.txt", &s) == TD_OK);
    CHECK(s.n_arts == 1);
    if (s.n_arts == 1) {
        CHECK_STR(s.arts[0].id, "000_87303ff5cc23dedd.txt");
        CHECK_STR(s.arts[0].title,
                  "Former US officials \xC2\xAB secretly \xC2\xBB met");
        CHECK_STR(s.arts[0].text, "First paragraph.\nSecond paragraph.");
        CHECK(s.arts[0].date == TD_NO_DATE);
        CHECK_STR(s.arts[0].where, in_tmp("000_87303ff5cc23dedd.txt"));
    }
    CHECK(s.n_errs == 4);
    if (s.n_errs == 4) {
        CHECK(s.errs[0].code == TD_ENUL);
        CHECK_STR(s.errs[0].msg, "NUL byte at byte 10");
        CHECK_STR(s.errs[0].where, in_tmp("nul.txt"));
        CHECK(s.errs[1].code == TD_EUTF8);
        CHECK(s.errs[1].offset == 3);
        CHECK(s.errs[2].code == TD_EMISSING);
        CHECK_STR(s.errs[2].msg, "missing text");
        CHECK(s.errs[3].code == TD_EMISSING);
    }
    seen_clear(&s);
}

TEST(html_files)
{
    static const char page[] =
        "<html lang=nb><head><title>Hemmelige samtaler</title></head>"
        "<body><nav>Meny</nav><p>Tidligere tjenestemenn.</p>"
        "<script>x()</script></body></html>";
    seen s;
    memset(&s, 0, sizeof s);
    write_file("page.HTM", page, sizeof page - 1);
    CHECK(ingest("page.HTM", &s) == TD_OK);
    CHECK(s.n_arts == 1 && s.n_errs == 0);
    if (s.n_arts == 1) {
        td_error err;
        CHECK_STR(s.arts[0].id, "page.HTM");
        CHECK_STR(s.arts[0].html, page);
        /* What the pipeline does next. */
        CHECK(td__extract_html(s.arts[0].html, strlen(s.arts[0].html),
                               &s.arts[0], &err) == TD_OK);
        CHECK_STR(s.arts[0].title, "Hemmelige samtaler");
        CHECK_STR(s.arts[0].text, "Tidligere tjenestemenn.");
        CHECK_STR(s.arts[0].lang_hint, "nb");
    }
    seen_clear(&s);
}

TEST(gzip_files)
{
    static const char lines[] = "{\"id\":\"g1\",\"text\":\"one\"}\n"
                                "{\"id\":\"g2\",\"text\":\"two\"}\n";
    static const char doc[] = "Gzipped title\n\nGzipped body.\n";
    seen s;
    uint64_t bytes = 0;
    td_error err;
    FILE *f;
    memset(&s, 0, sizeof s);
    write_gz("recs.jsonl.gz", lines, sizeof lines - 1);
    write_gz("doc.txt.gz", doc, sizeof doc - 1);
    CHECK(td__ingest_path(in_tmp("recs.jsonl.gz"), on_article, on_reject, &s,
                          &bytes, &err) == TD_OK);
    CHECK(bytes == sizeof lines - 1);
    CHECK(ingest("doc.txt.gz", &s) == TD_OK);
    CHECK(s.n_arts == 3 && s.n_errs == 0);
    if (s.n_arts == 3) {
        CHECK_STR(s.arts[0].id, "g1");
        CHECK_STR(s.arts[1].id, "g2");
        CHECK_STR(s.arts[2].id, "doc.txt.gz");
        CHECK_STR(s.arts[2].title, "Gzipped title");
        CHECK_STR(s.arts[2].text, "Gzipped body.");
    }
    /* A gzip file cut in half: what was read goes in, then a rejection. */
    {
        static char half[4096];
        size_t n;
        f = fopen(in_tmp("doc.txt.gz"), "rb");
        n = f ? fread(half, 1, sizeof half, f) : 0;
        if (f)
            fclose(f);
        write_file("cut.txt.gz", half, n / 2);
    }
    seen_clear(&s);
    CHECK(ingest("cut.txt.gz", &s) == TD_OK);
    CHECK(s.n_arts == 0 && s.n_errs == 1);
    if (s.n_errs == 1) {
        CHECK(s.errs[0].code == TD_EIO);
        CHECK_STR(s.errs[0].msg, "read error: unexpected end of file");
        CHECK_STR(s.errs[0].where, in_tmp("cut.txt.gz"));
    }
    seen_clear(&s);
}

TEST(directory_walk)
{
    seen s;
    char dangling[600];
    memset(&s, 0, sizeof s);
    CHECK(mkdir(in_tmp("tree"), 0700) == 0);
    CHECK(mkdir(in_tmp("tree/sub"), 0700) == 0);
    CHECK(mkdir(in_tmp("tree/.git"), 0700) == 0);
    CHECK(mkdir(in_tmp("tree/empty"), 0700) == 0);   /* nothing to sort */
    write_str("tree/b.txt", "B title\nB body");
    write_str("tree/B.txt", "Upper title\nUpper body");
    write_str("tree/a.jsonl", "{\"id\":\"a1\",\"text\":\"x\"}\n"
                               "{\"id\":\"a2\",\"text\":\"y\"}\n");
    write_str("tree/sub/c.html", "<title>C</title><p>c body");
    write_str("tree/.hidden.txt", "Hidden\nnot read");
    write_str("tree/.git/d.txt", "Hidden dir\nnot read");
    write_str("tree/notes.md", "# not ours");
    write_gz("tree/z.txt.gz", "Z title\nZ body", 14);
    snprintf(dangling, sizeof dangling, "%s", in_tmp("tree/m.txt"));
    CHECK(symlink("/nonexistent/tidings/file.txt", dangling) == 0);
    CHECK(symlink(".", in_tmp("tree/sub/loop")) == 0);
    CHECK(ingest("tree", &s) == TD_OK);
    CHECK(s.n_arts == 6);
    if (s.n_arts == 6) {
        CHECK_STR(s.arts[0].id, "B.txt");
        CHECK_STR(s.arts[1].id, "a1");
        CHECK_STR(s.arts[2].id, "a2");
        CHECK_STR(s.arts[3].id, "b.txt");
        CHECK_STR(s.arts[4].id, "c.html");
        CHECK_STR(s.arts[5].id, "z.txt.gz");
        CHECK_STR(s.arts[4].where, in_tmp("tree/sub/c.html"));
    }
    CHECK(s.n_errs == 1);
    if (s.n_errs == 1) {
        CHECK_STR(s.errs[0].where, dangling);
        CHECK_STR(s.errs[0].msg, "cannot stat: No such file or directory");
    }
    seen_clear(&s);
}

TEST(bad_top_level)
{
    seen s;
    td_error err;
    memset(&s, 0, sizeof s);
    CHECK(td__ingest_path(in_tmp("no/such/file.jsonl"), on_article, on_reject,
                          &s, NULL, &err) == TD_EIO);
    CHECK_STR(err.where, in_tmp("no/such/file.jsonl"));
    CHECK_STR(err.msg, "cannot read: No such file or directory");
    CHECK(td__ingest_path("", on_article, on_reject, &s, NULL, &err) ==
          TD_EINVAL);
    CHECK(s.n_arts == 0 && s.n_errs == 0);
}

TEST(sniffing)
{
    seen s;
    memset(&s, 0, sizeof s);
    write_str("recs.data", "\n {\"id\":\"s1\",\"text\":\"x\"}\n");
    write_str("page.data", "  <p>sniffed html</p>");
    write_str("doc.data", "Sniffed title\nSniffed text");
    CHECK(ingest("recs.data", &s) == TD_OK);
    CHECK(ingest("page.data", &s) == TD_OK);
    CHECK(ingest("doc.data", &s) == TD_OK);
    CHECK(s.n_arts == 3 && s.n_errs == 0);
    if (s.n_arts == 3) {
        CHECK_STR(s.arts[0].id, "s1");
        CHECK_STR(s.arts[1].html, "  <p>sniffed html</p>");
        CHECK_STR(s.arts[2].title, "Sniffed title");
    }
    seen_clear(&s);
}

TEST(stdin_input)
{
    seen s;
    td_error err;
    int saved = dup(0), fd;
    memset(&s, 0, sizeof s);
    write_str("stdin.jsonl", "{\"id\":\"in1\",\"text\":\"x\"}\n{bad\n");
    fd = open(in_tmp("stdin.jsonl"), O_RDONLY);
    CHECK(fd >= 0 && saved >= 0);
    if (fd < 0 || saved < 0)
        return;
    dup2(fd, 0);
    close(fd);
    CHECK(td__ingest_path("-", on_article, on_reject, &s, NULL, &err) == TD_OK);
    dup2(saved, 0);
    close(saved);
    CHECK(s.n_arts == 1 && s.n_errs == 1);
    if (s.n_arts == 1 && s.n_errs == 1) {
        CHECK_STR(s.arts[0].id, "in1");
        CHECK_STR(s.arts[0].where, "stdin:1");
        CHECK_STR(s.errs[0].where, "stdin:2");
    }
    seen_clear(&s);
}

TEST(sink_control)
{
    static const char lines[] = "{\"id\":\"1\",\"text\":\"one\"}\n"
                                "{\"id\":\"2\",\"text\":\"two\"}\n"
                                "{\"id\":\"3\",\"text\":\"three\"}\n";
    seen s;
    td_error err;
    memset(&s, 0, sizeof s);
    write_file("three.jsonl", lines, sizeof lines - 1);
    s.steal = 1;
    CHECK(ingest("three.jsonl", &s) == TD_OK);
    CHECK(s.n_arts == 3);
    if (s.n_arts == 3)
        CHECK_STR(s.arts[2].text, "three");
    seen_clear(&s);
    s.stop_after = 2;
    CHECK(td__ingest_path(in_tmp("three.jsonl"), on_article, on_reject, &s,
                          NULL, &err) == TD_ESTORE);
    CHECK(s.n_arts == 2);
    seen_clear(&s);
    /* No sinks at all is allowed. */
    CHECK(td__ingest_path(in_tmp("three.jsonl"), NULL, NULL, NULL, NULL,
                          NULL) == TD_OK);
}

static td_status parse(const char *line, td_article *art, td_error *err)
{
    return td__parse_json_record(line, strlen(line), "w:1", art, err);
}

TEST(record_parser)
{
    td_article art;
    td_error err;
    static const char many_bad[] = "{\"id\":\"x\",\"text\":\"\xff\xff\xff\xff\xff"
                                   "\",\"title\":\"fine\"}";
    memset(&art, 0, sizeof art);
    CHECK(parse("{\"id\":\"x\",\"text\":\"y\",\"title\":5,\"lang\":\"??\"}",
                &art, &err) == TD_OK);
    CHECK(art.title == NULL && art.lang_hint == NULL);
    CHECK_STR(art.text, "y");
    td__article_clear(&art);
    CHECK(td__parse_json_record(many_bad, sizeof many_bad - 1, "w:2", &art,
                                &err) == TD_EUTF8);
    CHECK(err.offset == 18);
    CHECK(art.id == NULL && art.text == NULL);
    CHECK(parse("{\"id\":true,\"text\":\"y\"}", &art, &err) == TD_EPARSE);
    CHECK_STR(err.msg, "id is not a string or number");
    CHECK(parse("{\"id\":1e300,\"text\":\"y\"}", &art, &err) == TD_OK);
    CHECK_STR(art.id, "1.0000000000000001e+300");
    td__article_clear(&art);
    CHECK(td__parse_json_record("", 0, "w:5", &art, &err) == TD_EPARSE);
    CHECK(parse("{\"id\":\"q\",\"text\":\"t\",\"date\":1700000000}", &art,
                &err) == TD_OK);
    CHECK(art.date == 1700000000);
    td__article_clear(&art);
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/tidings_ingest_XXXXXX");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(jsonl_records);
    RUN(jsonl_line_cap);
    RUN(jsonl_field_cap);
    RUN(text_files);
    RUN(html_files);
    RUN(gzip_files);
    RUN(directory_walk);
    RUN(bad_top_level);
    RUN(sniffing);
    RUN(stdin_input);
    RUN(sink_control);
    RUN(record_parser);
    {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmp);
    }
    return check_report();
}

/*
** test_prepared.c: the pipeline split in two (td_prepare_record, then
** td_engine_add_prepared, as a Kafka worker and the clusterer run it) gives
** the same stored articles as the whole pipeline (td_engine_add), also when
** the stateful site step removes learned boilerplate lines after the worker
** analysed the page: the clusterer then analyses the cleaned text again.
*/
#include "check.h"
#include "pipeline.h"
#include "tidings.h"

#include <unistd.h>

#define N_PAGES 6

static char tmp[256];

static const char *bodies[N_PAGES] = {
    "Storm Ingrid closed the harbour of Bergen on Tuesday morning.",
    "Ferries between Oslo and Kiel were cancelled as the storm moved south.",
    "The national weather service raised its warning to red for the coast.",
    "Power was cut to twelve thousand homes in Rogaland overnight.",
    "Schools in Stavanger stay closed on Wednesday, the city council said.",
    "Insurers expect claims of several hundred million kroner after Ingrid.",
};

/* Page i as a JSON Lines record: the same site, the same two boilerplate
** lines around a text of its own. */
static void record(int i, char *buf, size_t cap)
{
    snprintf(buf, cap,
             "{\"id\":\"p%d\",\"url\":\"https://www.nordkyst.example/%d\","
             "\"source\":\"Nordkyst\",\"date\":\"2024-02-0%dT10:00:00Z\","
             "\"title\":\"Storm Ingrid, day %d\",\"text\":\"Subscribe to the "
             "Nordkyst newsletter today\\n%s Officials said more wind is "
             "coming.\\nFollow Nordkyst on every platform\"}",
             i, i, i + 1, i + 1, bodies[i]);
}

static char *describe(td_engine *eng, const char *id)
{
    td_article_list *l = NULL;
    char *s = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&s, &len);
    if (!f)
        return NULL;
    if (td_engine_article(eng, id, &l, NULL) == TD_OK && l->n == 1) {
        const td_article_row *r = &l->rows[0];
        fprintf(f, "%s story=%lld lang=%s seq=%lld group=%lld text=%s|"
                "terms=%s|entities=%s", r->id, (long long)r->story,
                r->lang ? r->lang : "-", (long long)r->seq,
                (long long)r->copy_group, r->text ? r->text : "-",
                r->terms ? r->terms : "-", r->entities ? r->entities : "-");
    }
    td_article_list_free(l);
    fclose(f);
    return s;
}

TEST(split_equals_whole)
{
    td_engine *whole = NULL, *split = NULL;
    td_preparer *prep = NULL;
    char path[300], buf[1024];
    int i;
    snprintf(path, sizeof path, "%s/whole.db", tmp);
    CHECK(td_engine_open(path, &whole, NULL) == TD_OK);
    snprintf(path, sizeof path, "%s/split.db", tmp);
    CHECK(td_engine_open(path, &split, NULL) == TD_OK);
    CHECK(td_preparer_new(&prep, NULL) == TD_OK);
    if (!whole || !split || !prep)
        return;
    for (i = 0; i < N_PAGES; i++) {
        td_prepared *p = NULL;
        td_input in;
        char title[64], url[64], date[32], id[16];
        record(i, buf, sizeof buf);
        CHECK(td_prepare_record(prep, buf, strlen(buf), "t", &p, NULL) == TD_OK);
        CHECK(td_engine_add_prepared(split, p, NULL, NULL) == TD_OK);
        td_prepared_free(p);
        memset(&in, 0, sizeof in);
        snprintf(id, sizeof id, "p%d", i);
        snprintf(url, sizeof url, "https://www.nordkyst.example/%d", i);
        snprintf(title, sizeof title, "Storm Ingrid, day %d", i + 1);
        snprintf(date, sizeof date, "2024-02-0%dT10:00:00Z", i + 1);
        snprintf(buf, sizeof buf, "Subscribe to the Nordkyst newsletter "
                 "today\n%s Officials said more wind is coming.\nFollow "
                 "Nordkyst on every platform", bodies[i]);
        in.id = id;
        in.url = url;
        in.source = "Nordkyst";
        in.title = title;
        in.text = buf;
        CHECK(td_date_parse(date, &in.date) == TD_OK);
        CHECK(td_engine_add(whole, &in, NULL, NULL) == TD_OK);
    }
    /* Pages 4 to 6 lost the two learned lines after the worker's analysis. */
    CHECK(td__engine_reanalysed(split) == N_PAGES - 3);
    for (i = 0; i < N_PAGES; i++) {
        char id[16], *a, *b;
        snprintf(id, sizeof id, "p%d", i);
        a = describe(whole, id);
        b = describe(split, id);
        CHECK(a && b && strlen(a) > 20);
        CHECK_STR(b, a);
        if (i == N_PAGES - 1)
            CHECK(a && strstr(a, "newsletter") == NULL);
        free(a);
        free(b);
    }
    td_preparer_free(prep);
    td_engine_free(whole);
    td_engine_free(split);
}

int main(void)
{
    char cmd[300];
    snprintf(tmp, sizeof tmp, "/tmp/tidings_prepared_XXXXXX");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(split_equals_whole);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return check_report();
}

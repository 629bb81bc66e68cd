/*
** cmd_eval.c: `tidings eval clusters [--json] [--errors] GOLD.jsonl...` and
** `tidings eval pairs DOCS.jsonl PAIRS.jsonl`. The gold files are ingested with the normal
** pipeline into a fresh temporary store (rows ordered by date then id;
** undated rows after them in file order); the engine never sees the gold
** `story` field, which only this command reads, to score the result.
*/
#include "cli.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_LINE (16u << 20)

typedef struct row {
    char *line;        /* the raw JSON line, ingested as it is */
    char *id;
    char *gold;        /* gold story label, as text */
    int64_t date;
    size_t order;      /* position in the input, for a stable sort */
    int file;          /* which input file (argv index) */
} row;

typedef struct rows {
    row *v;
    size_t n, cap;
} rows;

static void rows_free(rows *r)
{
    size_t i;
    for (i = 0; i < r->n; i++) {
        free(r->v[i].line);
        free(r->v[i].id);
        free(r->v[i].gold);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

static char *json_text(const cJSON *item)
{
    char buf[64];
    if (cJSON_IsString(item) && item->valuestring)
        return strdup(item->valuestring);
    if (cJSON_IsNumber(item)) {
        snprintf(buf, sizeof buf, "%.17g", item->valuedouble);
        return strdup(buf);
    }
    if (cJSON_IsBool(item))
        return strdup(cJSON_IsTrue(item) ? "true" : "false");
    return NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads a gold JSON Lines file; rows without id (or, when need_story, without
** story) are an error. */
static int read_rows(const char *path, rows *out, int need_story)
{
    FILE *f = fopen(path, "rb");
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t len;
    if (!f) {
        fprintf(stderr, "tidings: eval: cannot open %s\n", path);
        return -1;
    }
    while ((len = getline(&line, &cap, f)) >= 0) {
        cJSON *doc;
        const cJSON *date;
        row r;
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        if ((size_t)len > MAX_LINE || !(doc = cJSON_ParseWithLength(line, (size_t)len))) {
            fprintf(stderr, "tidings: eval: %s:%zu: malformed JSON\n", path, lineno);
            free(line);
            fclose(f);
            return -1;
        }
        memset(&r, 0, sizeof r);
        r.id = json_text(cJSON_GetObjectItemCaseSensitive(doc, "id"));
        r.gold = json_text(cJSON_GetObjectItemCaseSensitive(doc, "story"));
        date = cJSON_GetObjectItemCaseSensitive(doc, "date");
        if (!cJSON_IsString(date))
            date = cJSON_GetObjectItemCaseSensitive(doc, "published");
        r.date = TD_NO_DATE;
        if (cJSON_IsString(date) && date->valuestring &&
            td_date_parse(date->valuestring, &r.date) != TD_OK)
            r.date = TD_NO_DATE;
        cJSON_Delete(doc);
        if (!r.gold && !need_story)
            r.gold = strdup("");
        if (!r.id || !r.gold) {
            fprintf(stderr, "tidings: eval: %s:%zu: row without id or story\n",
                    path, lineno);
            free(r.id);
            free(r.gold);
            free(line);
            fclose(f);
            return -1;
        }
        r.line = strdup(line);
        if (out->n == out->cap) {
            size_t c = out->cap ? out->cap * 2 : 256;
            row *v = realloc(out->v, c * sizeof *v);
            if (!v || !r.line) {
                free(r.id);
                free(r.gold);
                free(r.line);
                free(line);
                fclose(f);
                return -1;
            }
            out->v = v;
            out->cap = c;
        }
        r.order = out->n;
        out->v[out->n++] = r;
    }
    free(line);
    fclose(f);
    return 0;
}

static int row_order(const void *a, const void *b)
{
    const row *x = a, *y = b;
    int c;
    if ((x->date == TD_NO_DATE) != (y->date == TD_NO_DATE))
        return x->date == TD_NO_DATE ? 1 : -1;
    if (x->date != TD_NO_DATE) {
        if (x->date != y->date)
            return x->date < y->date ? -1 : 1;
        if ((c = strcmp(x->id, y->id)) != 0)
            return c;
    }
    return x->order < y->order ? -1 : x->order > y->order;
}

static int read_gold(const char *path, rows *out)
{
    return read_rows(path, out, 1);
}

static int read_gold_docs(const char *path, rows *out)
{
    return read_rows(path, out, 0);
}

/* Index of the row with this id (linear: pairs files are small). */
static int find_row(const rows *r, const char *id, size_t *at)
{
    size_t i;
    for (i = 0; i < r->n; i++) {
        if (strcmp(r->v[i].id, id) == 0) {
            *at = i;
            return 1;
        }
    }
    return 0;
}

typedef struct assigned {
    struct pair {
        char *id;
        int64_t story;
    } *v;
    size_t n, cap;
} assigned;

static td_status collect(void *ud, const td_article_row *r)
{
    assigned *a = ud;
    if (a->n == a->cap) {
        size_t c = a->cap ? a->cap * 2 : 256;
        struct pair *v = realloc(a->v, c * sizeof *v);
        if (!v)
            return TD_ENOMEM;
        a->v = v;
        a->cap = c;
    }
    if (!(a->v[a->n].id = strdup(r->id)))
        return TD_ENOMEM;
    a->v[a->n++].story = r->story;
    return TD_OK;
}

static void assigned_free(assigned *a)
{
    size_t i;
    for (i = 0; i < a->n; i++)
        free(a->v[i].id);
    free(a->v);
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct pair *)a)->id, ((const struct pair *)b)->id);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void remove_store(const char *db_path)
{
    char p[4200];
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
}

/* Ingests the rows (sorted into the eval order first) into a fresh store in
** dir and gives each row's story in story_of (a unique negative number for
** a row that did not get in). */
static int run_engine(rows *r, const char *dir, int64_t *story_of)
{
    char in_path[4096], db_path[4096];
    FILE *f;
    size_t i;
    td_engine *eng = NULL;
    td_error err;
    td_ingest_stats stats;
    assigned a;
    int rc = -1;

    snprintf(in_path, sizeof in_path, "%s/in.jsonl", dir);
    snprintf(db_path, sizeof db_path, "%s/eval.db", dir);
    remove_store(db_path);
    qsort(r->v, r->n, sizeof *r->v, row_order);
    if (!(f = fopen(in_path, "wb")))
        return -1;
    for (i = 0; i < r->n; i++)
        fprintf(f, "%s\n", r->v[i].line);
    fclose(f);
    memset(&err, 0, sizeof err);
    memset(&stats, 0, sizeof stats);
    memset(&a, 0, sizeof a);
    if (td_engine_open(db_path, &eng, &err) != TD_OK ||
        td_engine_ingest_path(eng, in_path, &stats, NULL, NULL, NULL, &err) != TD_OK ||
        td_engine_each_article(eng, collect, &a, &err) != TD_OK) {
        cli_error("eval", &err);
        goto done;
    }
    if (stats.rejected || stats.duplicates)
        fprintf(stderr, "tidings: eval: %llu rows rejected, %llu duplicate ids\n",
                (unsigned long long)stats.rejected,
                (unsigned long long)stats.duplicates);
    qsort(a.v, a.n, sizeof *a.v, by_id);
    for (i = 0; i < r->n; i++) {
        struct pair key, *hit;
        key.id = r->v[i].id;
        hit = a.n ? bsearch(&key, a.v, a.n, sizeof *a.v, by_id) : NULL;
        story_of[i] = hit ? hit->story : -1 - (int64_t)i;
    }
    rc = 0;
done:
    td_engine_free(eng);
    assigned_free(&a);
    unlink(in_path);
    remove_store(db_path);
    return rc;
}

/* Gold labels as integers: equal text, equal number (sorted + search). */
static int gold_numbers(const rows *r, int64_t *out)
{
    char **labels = malloc((r->n + 1) * sizeof *labels);
    size_t i, k = 0;
    if (!labels)
        return -1;
    for (i = 0; i < r->n; i++)
        labels[i] = r->v[i].gold;
    qsort(labels, r->n, sizeof *labels, cmp_str);
    for (i = 0; i < r->n; i++)
        if (k == 0 || strcmp(labels[k - 1], labels[i]) != 0)
            labels[k++] = labels[i];
    for (i = 0; i < r->n; i++) {
        char **hit = bsearch(&r->v[i].gold, labels, k, sizeof *labels, cmp_str);
        out[i] = hit ? hit - labels : -1;
    }
    free(labels);
    return 0;
}

static void print_scores(const char *name, const td_cluster_scores *s,
                         double secs, int json, int *first)
{
    if (json) {
        printf("%s{\"set\": ", *first ? "" : ",\n  ");
        cli_json_str(stdout, name);
        printf(", \"articles\": %zu, \"gold\": %zu, \"stories\": %zu, "
               "\"b3_p\": %.4f, \"b3_r\": %.4f, \"b3_f1\": %.4f, "
               "\"pair_p\": %.4f, \"pair_r\": %.4f, \"pair_f1\": %.4f, "
               "\"ari\": %.4f, \"seconds\": %.3f",
               s->n, s->n_gold, s->n_pred, s->b3_p, s->b3_r, s->b3_f1,
               s->pair_p, s->pair_r, s->pair_f1, s->ari, secs);
    } else {
        if (*first)
            printf("%-30s %6s %5s %6s  %6s %6s %6s  %6s %6s %6s  %6s %7s\n",
                   "set", "arts", "gold", "pred", "B3 P", "B3 R", "B3 F1",
                   "pair P", "pair R", "pairF1", "ARI", "secs");
        printf("%-30s %6zu %5zu %6zu  %6.3f %6.3f %6.3f  %6.3f %6.3f %6.3f  %6.3f %7.2f\n",
               name, s->n, s->n_gold, s->n_pred, s->b3_p, s->b3_r, s->b3_f1,
               s->pair_p, s->pair_r, s->pair_f1, s->ari, secs);
    }
    *first = 0;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Scores of the rows of one file inside a stream of several (pred and gold
** hold the whole stream's labels; the subset's are copied to the end). */
static int score_file_in_stream(const rows *r, const int64_t *pred,
                                const int64_t *gold, int file,
                                td_cluster_scores *s)
{
    int64_t *p = malloc((r->n + 1) * sizeof *p);
    int64_t *g = malloc((r->n + 1) * sizeof *g);
    size_t i, n = 0;
    int rc = -1;
    if (p && g) {
        for (i = 0; i < r->n; i++)
            if (r->v[i].file == file) {
                p[n] = pred[i];
                g[n++] = gold[i];
            }
        if (td_eval_clustering(p, g, n, s) == TD_OK)
            rc = 0;
    }
    free(p);
    free(g);
    return rc;
}

/* The split groups and mixed stories of one scored stream (--errors). */
static int print_errors(const rows *r, const int64_t *pred,
                        const int64_t *gold, const td_cluster_scores *s,
                        int json)
{
    const char **ids = malloc((r->n + 1) * sizeof *ids);
    const char **labels = malloc((r->n + 1) * sizeof *labels);
    size_t i;
    int rc = -1;
    if (ids && labels) {
        for (i = 0; i < r->n; i++) {
            ids[i] = r->v[i].id;
            labels[i] = r->v[i].gold;
        }
        rc = cli_eval_errors(stdout, pred, gold, ids, labels, r->n,
                             s->n_gold, s->n_pred, json);
    }
    free(ids);
    free(labels);
    return rc;
}

/* Scores one stream of rows; rows is sorted in place. With files (argv of
** the stream's n_files inputs), each file's articles are also scored inside
** the stream, so that a file's score alone and in company can be compared;
** *f1 gets the stream's B3 F1. With errors, the split gold groups and the
** mixed stories follow the scores. */
static int score_rows(const char *name, rows *r, const char *dir, int json,
                      int errors, int *first, char **files, int n_files,
                      double *f1)
{
    int64_t *pred = malloc((r->n + 1) * sizeof *pred);
    int64_t *gold = malloc((r->n + 1) * sizeof *gold);
    td_cluster_scores s;
    double t0 = now_seconds(), secs;
    int rc = -1, i;
    if (pred && gold && run_engine(r, dir, pred) == 0 &&
        gold_numbers(r, gold) == 0 &&
        td_eval_clustering(pred, gold, r->n, &s) == TD_OK) {
        secs = now_seconds() - t0;
        print_scores(name, &s, secs, json, first);
        *f1 = s.b3_f1;
        /* JSON: the errors inside the stream's object; text: after the
        ** files' lines, so that the list ends the stream's block. */
        rc = errors && json ? print_errors(r, pred, gold, &s, json) : 0;
        if (json)
            fputc('}', stdout);
        for (i = 0; i < n_files && rc == 0; i++) {
            char label[256];
            td_cluster_scores fs;
            snprintf(label, sizeof label, "  in stream: %s",
                     base_name(files[i]));
            rc = score_file_in_stream(r, pred, gold, i, &fs);
            if (rc == 0) {
                print_scores(label, &fs, 0, json, first);
                if (json)
                    fputc('}', stdout);
            }
        }
        if (rc == 0 && errors && !json)
            rc = print_errors(r, pred, gold, &s, json);
    }
    free(pred);
    free(gold);
    return rc;
}

static int make_tmpdir(char *dir, size_t cap)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, cap, "%s/tidings-eval.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "tidings: eval: cannot make a temporary directory\n");
        return -1;
    }
    return 0;
}

static int eval_clusters(int argc, char **argv)
{
    int i, json = cli_has_flag(argc, argv, "--json"), first = 1, n_files = 0;
    int errors = cli_has_flag(argc, argv, "--errors"), failed = 0;
    rows all;
    char dir[4096], **files = calloc((size_t)argc + 1, sizeof *files);
    double f1, weighted = 0, stream_f1 = 0;
    memset(&all, 0, sizeof all);
    if (!files || make_tmpdir(dir, sizeof dir) != 0) {
        free(files);
        return 1;
    }
    if (json)
        fputs("[", stdout);
    for (i = 1; i < argc; i++) {
        rows one;
        size_t k;
        if (strncmp(argv[i], "--", 2) == 0)
            continue;
        memset(&one, 0, sizeof one);
        if (read_gold(argv[i], &one) != 0 ||
            score_rows(base_name(argv[i]), &one, dir, json, errors, &first,
                       NULL, 0, &f1) != 0) {
            rows_free(&one);
            failed = 1;
            break;
        }
        weighted += f1 * (double)one.n;
        /* Move the rows into the combined stream (order restored by sort). */
        for (k = 0; k < one.n; k++) {
            if (all.n == all.cap) {
                size_t c = all.cap ? all.cap * 2 : 1024;
                row *v = realloc(all.v, c * sizeof *v);
                if (!v) {
                    failed = 1;
                    break;
                }
                all.v = v;
                all.cap = c;
            }
            all.v[all.n] = one.v[k];
            all.v[all.n].order = all.n;
            all.v[all.n].file = n_files;
            all.n++;
            memset(&one.v[k], 0, sizeof one.v[k]);
        }
        files[n_files++] = argv[i];
        rows_free(&one);
    }
    if (!failed && n_files > 1 &&
        score_rows("all (one stream)", &all, dir, json, errors, &first,
                   files, n_files, &stream_f1) != 0)
        failed = 1;
    /* The stream's B3 F1 is a mean over all its articles: compare it with
    ** the files' scores alone weighted the same way. */
    if (!failed && n_files > 1 && !json && all.n)
        printf("one stream B3 F1 %.3f; the files alone, weighted by "
               "articles, %.3f (%+.3f)\n", stream_f1,
               weighted / (double)all.n, stream_f1 - weighted / (double)all.n);
    if (json)
        fputs("]\n", stdout);
    rows_free(&all);
    free(files);
    rmdir(dir);
    if (!n_files && !failed) {
        fputs("usage: tidings eval clusters [--json] [--errors] GOLD.jsonl...\n", stderr);
        return 2;
    }
    return failed;
}

/* Pairs: {"a": id, "b": id, "same_story": bool} per line. */
static int eval_pairs(int argc, char **argv)
{
    const char *docs = NULL, *pairs_path = NULL;
    int i, json = cli_has_flag(argc, argv, "--json"), rc = 1;
    rows r;
    int64_t *pred = NULL;
    char dir[4096], *line = NULL;
    size_t cap = 0, tp = 0, fp = 0, fn = 0, tn = 0, missing = 0;
    FILE *f = NULL;
    double t0 = now_seconds();

    for (i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) == 0)
            continue;
        if (!docs)
            docs = argv[i];
        else if (!pairs_path)
            pairs_path = argv[i];
    }
    if (!docs || !pairs_path) {
        fputs("usage: tidings eval pairs [--json] DOCS.jsonl PAIRS.jsonl\n", stderr);
        return 2;
    }
    memset(&r, 0, sizeof r);
    if (make_tmpdir(dir, sizeof dir) != 0)
        return 1;
    if (read_gold_docs(docs, &r) != 0)
        goto done;
    if (!(pred = malloc((r.n + 1) * sizeof *pred)) || run_engine(&r, dir, pred) != 0)
        goto done;
    if (!(f = fopen(pairs_path, "rb"))) {
        fprintf(stderr, "tidings: eval: cannot open %s\n", pairs_path);
        goto done;
    }
    while (getline(&line, &cap, f) >= 0) {
        cJSON *doc = cJSON_Parse(line);
        const cJSON *a, *b, *same;
        size_t ia, ib;
        if (!doc)
            continue;
        a = cJSON_GetObjectItemCaseSensitive(doc, "a");
        b = cJSON_GetObjectItemCaseSensitive(doc, "b");
        same = cJSON_GetObjectItemCaseSensitive(doc, "same_story");
        if (cJSON_IsString(a) && cJSON_IsString(b) && cJSON_IsBool(same) &&
            find_row(&r, a->valuestring, &ia) && find_row(&r, b->valuestring, &ib)) {
            int p = pred[ia] == pred[ib], g = cJSON_IsTrue(same);
            tp += p && g;
            fp += p && !g;
            fn += !p && g;
            tn += !p && !g;
        } else {
            missing++;
        }
        cJSON_Delete(doc);
    }
    {
        double n = (double)(tp + fp + fn + tn);
        double prec = tp + fp ? (double)tp / (tp + fp) : 1.0;
        double rec = tp + fn ? (double)tp / (tp + fn) : 1.0;
        double f1 = prec + rec > 0 ? 2 * prec * rec / (prec + rec) : 0;
        double acc = n > 0 ? (tp + tn) / n : 0;
        if (json)
            printf("{\"pairs\": %.0f, \"accuracy\": %.4f, \"precision\": %.4f, "
                   "\"recall\": %.4f, \"f1\": %.4f, \"unmatched\": %zu, "
                   "\"seconds\": %.3f}\n", n, acc, prec, rec, f1, missing,
                   now_seconds() - t0);
        else
            printf("%-22s %6s %8s %9s %6s %6s %7s\n%-22s %6.0f %8.3f %9.3f %6.3f %6.3f %7.2f\n",
                   "set", "pairs", "accuracy", "precision", "recall", "F1", "secs",
                   base_name(pairs_path), n, acc, prec, rec, f1, now_seconds() - t0);
        if (missing)
            fprintf(stderr, "tidings: eval: %zu pairs name unknown ids or are malformed\n",
                    missing);
    }
    rc = 0;
done:
    if (f)
        fclose(f);
    free(line);
    free(pred);
    rows_free(&r);
    rmdir(dir);
    return rc;
}

int cmd_eval(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "clusters") == 0)
        return eval_clusters(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "pairs") == 0)
        return eval_pairs(argc - 1, argv + 1);
    fputs("usage: tidings eval clusters [--json] [--errors] GOLD.jsonl...\n"
          "       tidings eval pairs [--json] DOCS.jsonl PAIRS.jsonl\n", stderr);
    return 2;
}

/*
** cmd_eval_extract.c: `tidings eval extract [--dump DIR] GOLD.json
** HTML_DIR`: extracts HTML_DIR/KEY.html.gz (or KEY.html) for every KEY of
** the gold file ({KEY: {"articleBody": ...}}) and scores the bodies with
** the shingle metric: mean precision and recall over pages, F1 of the two
** means, and the 10 worst pages. --dump writes each extracted text to
** DIR/KEY.txt.
*/
#include "cli.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct page_score {
    const char *key;
    double p, r, f1;
} page_score;

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    size_t cap = 0, n = 0;
    if (!f)
        return NULL;
    for (;;) {
        size_t got;
        if (n + 65536 + 1 > cap) {
            char *grown;
            cap = (n + 65536 + 1) * 2;
            grown = realloc(data, cap);
            if (!grown) {
                free(data);
                fclose(f);
                return NULL;
            }
            data = grown;
        }
        got = fread(data + n, 1, 65536, f);
        n += got;
        if (got < 65536)
            break;
    }
    fclose(f);
    data[n] = '\0';
    *len = n;
    return data;
}

static int cmp_score(const void *a, const void *b)
{
    const page_score *x = a, *y = b;
    if (x->f1 != y->f1)
        return x->f1 < y->f1 ? -1 : 1;
    return strcmp(x->key, y->key);
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void dump(const char *dir, const char *key, const char *text)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s.txt", dir, key);
    f = fopen(path, "wb");
    if (!f)
        return;
    fputs(text ? text : "", f);
    fclose(f);
}

int cmd_eval_extract(int argc, char **argv)
{
    const char *gold_path = NULL, *dir = NULL, *dump_dir = NULL;
    char *json, **keys = NULL;
    size_t len = 0, n = 0, k, n_p = 0, n_r = 0;
    double sum_p = 0, sum_r = 0, mean_p, mean_r, f1, secs;
    uint64_t bytes = 0;
    page_score *scores;
    cJSON *doc, *item;
    struct timespec t0, t1;
    int i, rc = 0;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc)
            dump_dir = argv[++i];
        else if (!gold_path)
            gold_path = argv[i];
        else if (!dir)
            dir = argv[i];
    }
    if (!gold_path || !dir) {
        fputs("usage: tidings eval extract [--dump DIR] GOLD.json HTML_DIR\n",
              stderr);
        return 2;
    }
    json = read_all(gold_path, &len);
    if (!json) {
        fprintf(stderr, "tidings: eval extract: cannot read %s\n", gold_path);
        return 1;
    }
    doc = cJSON_ParseWithLength(json, len);
    free(json);
    if (!cJSON_IsObject(doc)) {
        fprintf(stderr, "tidings: eval extract: %s is not a JSON object\n",
                gold_path);
        cJSON_Delete(doc);
        return 1;
    }
    cJSON_ArrayForEach(item, doc) n++;
    keys = calloc(n ? n : 1, sizeof *keys);
    scores = calloc(n ? n : 1, sizeof *scores);
    if (!keys || !scores) {
        free(keys);
        free(scores);
        cJSON_Delete(doc);
        return 1;
    }
    n = 0;
    cJSON_ArrayForEach(item, doc) keys[n++] = item->string;
    qsort(keys, n, sizeof *keys, cmp_key);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (k = 0; k < n; k++) {
        const cJSON *body = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(doc, keys[k]), "articleBody");
        const char *gold = cJSON_IsString(body) ? body->valuestring : "";
        char path[4096];
        td_extract_result *res = NULL;
        td_shingle_counts c;
        td_error err;
        uint64_t got = 0;
        int has_p, has_r;
        memset(&err, 0, sizeof err);
        snprintf(path, sizeof path, "%s/%s.html.gz", dir, keys[k]);
        if (access(path, R_OK) != 0)
            snprintf(path, sizeof path, "%s/%s.html", dir, keys[k]);
        if (td_extract_file(path, &res, &got, &err) != TD_OK) {
            cli_error("eval extract", &err);
            res = NULL;
        }
        bytes += got;
        if (dump_dir)
            dump(dump_dir, keys[k], res ? res->text : NULL);
        if (td_eval_extract_page(res ? res->text : NULL, gold, &c) != TD_OK) {
            fputs("tidings: eval extract: out of memory\n", stderr);
            rc = 1;
            td_extract_result_free(res);
            break;
        }
        td_extract_result_free(res);
        scores[k].key = keys[k];
        td_eval_extract_scores(&c, &scores[k].p, &has_p, &scores[k].r, &has_r);
        scores[k].f1 = scores[k].p + scores[k].r > 0
                           ? 2 * scores[k].p * scores[k].r /
                                 (scores[k].p + scores[k].r)
                           : 0;
        if (has_p) {
            sum_p += scores[k].p;
            n_p++;
        }
        if (has_r) {
            sum_r += scores[k].r;
            n_r++;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) +
           (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (rc == 0) {
        mean_p = n_p ? sum_p / (double)n_p : 0;
        mean_r = n_r ? sum_r / (double)n_r : 0;
        f1 = mean_p + mean_r > 0 ? 2 * mean_p * mean_r / (mean_p + mean_r) : 0;
        printf("pages %zu  F1 %.4f  P %.4f  R %.4f\n", n, f1, mean_p, mean_r);
        printf("%.1f MB in %.3f s: %.0f pages/s, %.1f MB/s\n",
               (double)bytes / 1e6, secs, secs > 0 ? (double)n / secs : 0,
               secs > 0 ? (double)bytes / 1e6 / secs : 0);
        qsort(scores, n, sizeof *scores, cmp_score);
        printf("worst pages (F1 P R key):\n");
        for (k = 0; k < n && k < 10; k++)
            printf("  %.3f %.3f %.3f %s\n", scores[k].f1, scores[k].p,
                   scores[k].r, scores[k].key);
    }
    free(keys);
    free(scores);
    cJSON_Delete(doc);
    return rc;
}

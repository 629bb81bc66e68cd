/*
** cmd_eval_errors.c: what `tidings eval clusters --errors` lists under a
** set's scores: each gold group split over several stories, and each story
** that mixes gold groups, with the first article of every piece (in stream
** order: the article that started the piece, or brought its group into a
** mixed story). Read from the contingency table (td_eval_cells).
*/
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int by_pred(const void *a, const void *b)
{
    const td_eval_cell *x = a, *y = b;
    if (x->pred != y->pred)
        return x->pred < y->pred ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->gold < y->gold ? -1 : x->gold > y->gold;
}

/* Cells [from, to) share a label: counts summed. */
static size_t run_total(const td_eval_cell *c, size_t from, size_t to)
{
    size_t total = 0;
    for (; from < to; from++)
        total += c[from].count;
    return total;
}

static void print_story(FILE *out, int64_t story, int json)
{
    if (json && story < 0)
        fputs("null", out);      /* the article was not stored */
    else if (json)
        fprintf(out, "%lld", (long long)story);
    else if (story < 0)
        fputs("not stored", out);
    else
        fprintf(out, "story %lld", (long long)story);
}

/* One piece of a split group or of a mixed story: its other label, its
** size and its first article. */
static void print_piece(FILE *out, const td_eval_cell *c, int of_story,
                        const char *const *ids, const char *const *labels,
                        int json, int first)
{
    if (json) {
        fprintf(out, "%s{\"%s\": ", first ? "" : ", ",
                of_story ? "gold" : "story");
        if (of_story)
            cli_json_str(out, labels[c->first]);
        else
            print_story(out, c->pred, 1);
        fprintf(out, ", \"articles\": %zu, \"first\": ", c->count);
        cli_json_str(out, ids[c->first]);
        fputc('}', out);
        return;
    }
    fputs(first ? " " : "; ", out);
    if (of_story)
        fputs(labels[c->first], out);
    else
        print_story(out, c->pred, 0);
    fprintf(out, " x%zu from %s", c->count, ids[c->first]);
}

/* Lists the runs of cells (sorted so that a run shares gold, or pred when
** of_story) that hold more than one cell. Returns how many. */
static size_t print_runs(FILE *out, const td_eval_cell *c, size_t n,
                         int of_story, const char *const *ids,
                         const char *const *labels, int json)
{
    size_t i = 0, j, listed = 0;
    while (i < n) {
        for (j = i + 1; j < n && (of_story ? c[j].pred == c[i].pred
                                           : c[j].gold == c[i].gold);
             j++)
            ;
        if (j - i > 1) {
            size_t k;
            if (json) {
                fputs(listed ? ", {" : "{", out);
                if (of_story) {
                    fputs("\"story\": ", out);
                    print_story(out, c[i].pred, 1);
                } else {
                    fputs("\"gold\": ", out);
                    cli_json_str(out, labels[c[i].first]);
                }
                fprintf(out, ", \"articles\": %zu, \"pieces\": [",
                        run_total(c, i, j));
            } else {
                fputs(of_story ? "  mixed " : "  split ", out);
                if (of_story)
                    print_story(out, c[i].pred, 0);
                else
                    fputs(labels[c[i].first], out);
                fprintf(out, " (%zu articles):", run_total(c, i, j));
            }
            for (k = i; k < j; k++)
                print_piece(out, &c[k], of_story, ids, labels, json, k == i);
            fputs(json ? "]}" : "\n", out);
            listed++;
        }
        i = j;
    }
    return listed;
}

int cli_eval_errors(FILE *out, const int64_t *pred, const int64_t *gold,
                    const char *const *ids, const char *const *labels,
                    size_t n, size_t n_gold, size_t n_pred, int json)
{
    td_eval_cell *c;
    size_t n_cells;
    if (td_eval_cells(pred, gold, n, &c, &n_cells) != TD_OK)
        return -1;
    if (json) {
        fputs(", \"split\": [", out);
        print_runs(out, c, n_cells, 0, ids, labels, 1);
        qsort(c, n_cells, sizeof *c, by_pred);
        fputs("], \"mixed\": [", out);
        print_runs(out, c, n_cells, 1, ids, labels, 1);
        fputc(']', out);
    } else {
        size_t split = print_runs(out, c, n_cells, 0, ids, labels, 0), mixed;
        qsort(c, n_cells, sizeof *c, by_pred);
        mixed = print_runs(out, c, n_cells, 1, ids, labels, 0);
        fprintf(out, "  errors: %zu of %zu gold groups split, %zu of %zu "
                "stories mixed\n", split, n_gold, mixed, n_pred);
    }
    free(c);
    return 0;
}

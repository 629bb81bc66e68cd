/* test_metrics.c: clustering metrics on small cases computed by hand. */
#include "check.h"
#include "tidings.h"

#include <math.h>
#include <stdlib.h>

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

static const int64_t gold[6] = {1, 1, 1, 2, 2, 3};

TEST(perfect)
{
    const int64_t pred[6] = {7, 7, 7, 9, 9, 4};
    td_cluster_scores s;
    CHECK(td_eval_clustering(pred, gold, 6, &s) == TD_OK);
    CHECK(s.n == 6 && s.n_gold == 3 && s.n_pred == 3);
    CHECK(NEAR(s.b3_p, 1) && NEAR(s.b3_r, 1) && NEAR(s.b3_f1, 1));
    CHECK(NEAR(s.pair_p, 1) && NEAR(s.pair_r, 1) && NEAR(s.pair_f1, 1));
    CHECK(NEAR(s.ari, 1));
}

TEST(all_in_one)
{
    const int64_t pred[6] = {0, 0, 0, 0, 0, 0};
    td_cluster_scores s;
    CHECK(td_eval_clustering(pred, gold, 6, &s) == TD_OK);
    /* B3 P: (3*3/6 + 2*2/6 + 1/6) / 6 = (14/6)/6 = 7/18. R = 1. */
    CHECK(NEAR(s.b3_p, 7.0 / 18));
    CHECK(NEAR(s.b3_r, 1));
    CHECK(NEAR(s.b3_f1, 2 * (7.0 / 18) / (7.0 / 18 + 1)));
    /* Pairs: gold 3 + 1 = 4 of 15 predicted. */
    CHECK(NEAR(s.pair_p, 4.0 / 15));
    CHECK(NEAR(s.pair_r, 1));
    CHECK(NEAR(s.ari, 0));
}

TEST(all_singletons)
{
    const int64_t pred[6] = {1, 2, 3, 4, 5, 6};
    td_cluster_scores s;
    CHECK(td_eval_clustering(pred, gold, 6, &s) == TD_OK);
    CHECK(NEAR(s.b3_p, 1));
    /* B3 R: (3 * 1/3 + 2 * 1/2 + 1) / 6 = 3/6. */
    CHECK(NEAR(s.b3_r, 0.5));
    CHECK(NEAR(s.pair_p, 1)); /* no predicted pair: precision 1 by definition */
    CHECK(NEAR(s.pair_r, 0));
    CHECK(NEAR(s.pair_f1, 0));
    CHECK(NEAR(s.ari, 0));
}

TEST(one_split)
{
    /* Gold group 1 split into {a,b} and {c}. */
    const int64_t pred[6] = {1, 1, 5, 2, 2, 3};
    td_cluster_scores s;
    CHECK(td_eval_clustering(pred, gold, 6, &s) == TD_OK);
    CHECK(NEAR(s.b3_p, 1));
    /* R: a,b 2/3 each, c 1/3, others 1: (2/3+2/3+1/3+3)/6 = (14/3)/6 = 7/9. */
    CHECK(NEAR(s.b3_r, 7.0 / 9));
    /* Pairs: predicted {ab},{de} = 2, all true; gold 3 + 1 = 4. */
    CHECK(NEAR(s.pair_p, 1));
    CHECK(NEAR(s.pair_r, 0.5));
    /* ARI: index 2, expected 2*4/15 = 8/15, max 3:
    ** (2 - 8/15) / (3 - 8/15) = (22/15) / (37/15) = 22/37. */
    CHECK(NEAR(s.ari, 22.0 / 37));
}

TEST(one_merge)
{
    /* Gold groups 2 and 3 merged. */
    const int64_t pred[6] = {1, 1, 1, 2, 2, 2};
    td_cluster_scores s;
    CHECK(td_eval_clustering(pred, gold, 6, &s) == TD_OK);
    /* P: group 1 items 1 each (3); d,e 2/3 each; f 1/3: (3+4/3+1/3)/6 = 14/18. */
    CHECK(NEAR(s.b3_p, 14.0 / 18));
    CHECK(NEAR(s.b3_r, 1));
    /* Pairs: predicted 3 + 3 = 6, true 3 + 1 = 4. */
    CHECK(NEAR(s.pair_p, 4.0 / 6));
    CHECK(NEAR(s.pair_r, 1));
}

TEST(empty_input)
{
    td_cluster_scores s;
    CHECK(td_eval_clustering(NULL, NULL, 0, &s) == TD_OK);
    CHECK(s.n == 0 && s.n_gold == 0 && s.n_pred == 0);
}

TEST(cells_split_and_mixed)
{
    /* Gold group 1 split over stories 5 and 8; story 8 mixes 1 and 2. */
    const int64_t pred[6] = {5, 8, 5, 8, 8, 6};
    td_eval_cell *c;
    size_t n;
    CHECK(td_eval_cells(pred, gold, 6, &c, &n) == TD_OK);
    CHECK(n == 4);
    /* By gold, then largest first: (1,5) x2 from item 0, (1,8) x1 from
    ** item 1, (2,8) x2 from item 3, (3,6) x1 from item 5. */
    CHECK(c[0].gold == 1 && c[0].pred == 5 && c[0].count == 2 && c[0].first == 0);
    CHECK(c[1].gold == 1 && c[1].pred == 8 && c[1].count == 1 && c[1].first == 1);
    CHECK(c[2].gold == 2 && c[2].pred == 8 && c[2].count == 2 && c[2].first == 3);
    CHECK(c[3].gold == 3 && c[3].pred == 6 && c[3].count == 1 && c[3].first == 5);
    free(c);
}

TEST(cells_ties_and_empty)
{
    /* Equal counts: the lower pred label first; first is the lowest index
    ** even when the items of a cell are not adjacent. */
    const int64_t pred[4] = {9, 3, 3, 9};
    const int64_t g[4] = {4, 4, 4, 4};
    td_eval_cell *c;
    size_t n;
    CHECK(td_eval_cells(pred, g, 4, &c, &n) == TD_OK);
    CHECK(n == 2);
    CHECK(c[0].pred == 3 && c[0].count == 2 && c[0].first == 1);
    CHECK(c[1].pred == 9 && c[1].count == 2 && c[1].first == 0);
    free(c);
    CHECK(td_eval_cells(NULL, NULL, 0, &c, &n) == TD_OK);
    CHECK(n == 0);
    free(c);
}

int main(void)
{
    RUN(perfect);
    RUN(all_in_one);
    RUN(all_singletons);
    RUN(one_split);
    RUN(one_merge);
    RUN(empty_input);
    RUN(cells_split_and_mixed);
    RUN(cells_ties_and_empty);
    return check_report();
}

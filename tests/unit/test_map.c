/* test_map.c: the uint64 hash map: insert, lookup, delete with
** backward shift, growth, iteration; the sorts of util.c; the string
** cache (memo.c); a buffer over the caller's storage. */
#include "check.h"
#include "util/map.h"
#include "util/memo.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

TEST(insert_get_delete)
{
    td_map m;
    uint64_t i, *v;
    int added;
    td__map_init(&m);
    CHECK(td__map_get(&m, 7) == NULL);
    CHECK(td__map_del(&m, 7) == 0);
    for (i = 0; i < 10000; i++) {
        v = td__map_put(&m, i * 3, &added);
        CHECK(v && added);
        *v = i;
    }
    CHECK(m.n == 10000);
    v = td__map_put(&m, 30, &added);
    CHECK(v && !added && *v == 10);
    for (i = 0; i < 10000; i += 2)
        CHECK(td__map_del(&m, i * 3) == 1);
    CHECK(m.n == 5000);
    for (i = 0; i < 10000; i++) {
        v = td__map_get(&m, i * 3);
        if (i % 2)
            CHECK(v && *v == i);
        else
            CHECK(v == NULL);
    }
    td__map_free(&m);
}

TEST(iteration_sees_every_entry_once)
{
    td_map m;
    size_t it = 0, seen = 0;
    uint64_t k, v, sum = 0, i;
    td__map_init(&m);
    for (i = 1; i <= 500; i++)
        *td__map_put(&m, i << 40, NULL) = i;
    while (td__map_next(&m, &it, &k, &v)) {
        CHECK(k == v << 40);
        sum += v;
        seen++;
    }
    CHECK(seen == 500);
    CHECK(sum == 500 * 501 / 2);
    td__map_free(&m);
}

TEST(zero_key_kept_apart)
{
    /* The key 0 marks empty slots inside the table, so it lives outside:
    ** get, put, iteration, delete and clear must still see it. */
    td_map m;
    size_t it = 0, seen = 0;
    uint64_t k, v, sum = 0;
    td__map_init(&m);
    CHECK(td__map_get(&m, 0) == NULL);
    *td__map_put(&m, 0, NULL) = 7;
    CHECK(m.n == 1 && td__map_get(&m, 0) && *td__map_get(&m, 0) == 7);
    while (td__map_next(&m, &it, &k, &v)) {
        CHECK(k == 0 && v == 7);
        seen++;
    }
    CHECK(seen == 1);
    *td__map_put(&m, 5, NULL) = 50;
    *td__map_put(&m, 6, NULL) = 60;
    for (it = 0, seen = 0; td__map_next(&m, &it, &k, &v); seen++)
        sum += k + v;
    CHECK(seen == 3 && sum == 7 + 5 + 50 + 6 + 60);
    CHECK(td__map_del(&m, 0) == 1 && td__map_del(&m, 0) == 0);
    CHECK(td__map_get(&m, 0) == NULL && m.n == 2);
    *td__map_put(&m, 0, NULL) = 1;
    td__map_clear(&m);
    CHECK(m.n == 0 && !td__map_get(&m, 0) && !td__map_get(&m, 5));
    for (it = 0, seen = 0; td__map_next(&m, &it, &k, &v); seen++)
        ;
    CHECK(seen == 0);
    td__map_free(&m);
}

TEST(random_against_reference)
{
    /* Random puts and deletes checked against a plain array. */
    enum { KEYS = 512 };
    uint64_t ref[KEYS];
    uint8_t present[KEYS] = {0};
    uint64_t x = 88172645463325252ULL;
    td_map m;
    int step, k;
    td__map_init(&m);
    for (step = 0; step < 200000; step++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        k = (int)(x % KEYS);
        if (x & (1u << 20)) {
            *td__map_put(&m, (uint64_t)k * 0x9E3779B97F4A7C15ULL, NULL) = x;
            ref[k] = x;
            present[k] = 1;
        } else {
            CHECK(td__map_del(&m, (uint64_t)k * 0x9E3779B97F4A7C15ULL) == present[k]);
            present[k] = 0;
        }
    }
    for (k = 0; k < KEYS; k++) {
        uint64_t *v = td__map_get(&m, (uint64_t)k * 0x9E3779B97F4A7C15ULL);
        CHECK(present[k] ? (v && *v == ref[k]) : v == NULL);
    }
    td__map_free(&m);
}

static int cmp_ref(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* td__sort_unique_u64 against qsort + a plain unique pass, for sizes around
** the insertion-sort cut-off and values that share high or low bytes. */
static void sort_unique_matches_reference(void)
{
    static const size_t sizes[] = {0, 1, 2, 31, 32, 33, 200, 5000};
    uint64_t a[5000], ref[5000], state = 42;
    size_t s, i, n, d, bad;
    for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int shape;
        for (shape = 0; shape < 3; shape++) {
            n = sizes[s];
            for (i = 0; i < n; i++) {
                state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                a[i] = shape == 0 ? state
                     : shape == 1 ? state >> 56           /* many repeats */
                                  : (state >> 60) << 40;  /* one busy byte */
                ref[i] = a[i];
            }
            qsort(ref, n, sizeof *ref, cmp_ref);
            for (i = 0, d = 0; i < n; i++)
                if (d == 0 || ref[i] != ref[d - 1])
                    ref[d++] = ref[i];
            CHECK(td__sort_unique_u64(a, n) == d);
            for (i = 0, bad = 0; i < d; i++)
                bad += a[i] != ref[i];
            CHECK(bad == 0);
        }
    }
}

/* td__sort_by_key on records that begin with a key: sorted by key, the
** payload moved with its key, for even and for clustered keys. */
static void sort_by_key_moves_records(void)
{
    typedef struct rec {
        uint64_t key;
        uint64_t twin;   /* = key * 3: must travel with it */
        char pad[5];
    } rec;
    static rec r[3000];
    uint64_t state = 7;
    size_t sizes[] = {0, 1, 2, 5, 40, 600, 3000}, s, i, bad;
    int shape;
    for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (shape = 0; shape < 2; shape++) {
            size_t n = sizes[s];
            for (i = 0; i < n; i++) {
                state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                r[i].key = shape ? state >> 50 : state;  /* one bucket */
                r[i].twin = r[i].key * 3;
            }
            td__sort_by_key(r, n, sizeof r[0]);
            for (i = 0, bad = 0; i < n; i++)
                bad += (i && r[i - 1].key > r[i].key) ||
                       r[i].twin != r[i].key * 3;
            CHECK(bad == 0);
        }
}

/* The direct-mapped cache answers what was put, misses what was not or was
** replaced, skips long strings, and uses every slot: two keys whose hashes
** differ in their high half both stay in a cache of two slots. */
TEST(memo_keeps_and_replaces)
{
    td_memo *m = td__memo_new(1);
    const char *v;
    size_t n = 0;
    const char *longer = "abcdefghijklmnopqrstuvwxyz0123456789";
    CHECK(m != NULL);
    if (!m)
        return;
    CHECK(td__memo_get(m, 42, "word", 4, &n) == NULL);
    td__memo_put(m, 0, "häuser", 7, "haus", 4);
    td__memo_put(m, 1ull << 32, "runs", 4, "run", 3);
    v = td__memo_get(m, 0, "häuser", 7, &n);
    CHECK(v && n == 4 && strcmp(v, "haus") == 0);
    v = td__memo_get(m, 1ull << 32, "runs", 4, &n);
    CHECK(v && n == 3 && strcmp(v, "run") == 0);
    /* Same hash, other key: a miss, not a wrong answer. */
    CHECK(td__memo_get(m, 0, "hauser", 6, &n) == NULL);
    /* A newer entry of the same slot replaces the older. */
    td__memo_put(m, 2ull << 32, "ran", 3, "run", 3);
    CHECK(td__memo_get(m, 0, "häuser", 7, &n) == NULL);
    CHECK(td__memo_get(m, 2ull << 32, "ran", 3, &n) != NULL);
    td__memo_put(m, 5, longer, strlen(longer), "x", 1);
    CHECK(td__memo_get(m, 5, longer, strlen(longer), &n) == NULL);
    td__memo_free(m);
    CHECK(td__memo_get(NULL, 1, "a", 1, &n) == NULL);
    td__memo_free(NULL);
}

TEST(fixed_buffer_never_grows)
{
    char storage[8];
    td_buf b;
    td__buf_fixed(&b, storage, sizeof storage);
    CHECK(td__buf_append(&b, "abcd", 4) == TD_OK);
    CHECK(td__buf_append(&b, "efg", 3) == TD_OK);
    CHECK(b.data == storage && b.len == 7 && strcmp(storage, "abcdefg") == 0);
    /* A byte more would need the NUL's room: refused, nothing written. */
    CHECK(td__buf_putc(&b, 'h') == TD_ETOOBIG);
    CHECK(b.data == storage && b.len == 7 && strcmp(storage, "abcdefg") == 0);
    td__buf_reset(&b);
    CHECK(b.len == 0 && storage[0] == '\0' && b.data == storage);
}

int main(void)
{
    RUN(sort_by_key_moves_records);
    RUN(sort_unique_matches_reference);
    RUN(insert_get_delete);
    RUN(iteration_sees_every_entry_once);
    RUN(zero_key_kept_apart);
    RUN(random_against_reference);
    RUN(memo_keeps_and_replaces);
    RUN(fixed_buffer_never_grows);
    return check_report();
}

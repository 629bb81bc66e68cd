/*
** dedup_bench.c: the copies stage at scale. Indexes 10k, 100k and 1M
** synthetic documents (~300 words each, Zipf-like vocabulary of 50,000
** words; every 20th document an edited copy of an earlier one) and prints
** docs/s (signature + LSH add), index bytes per document, query latency and
** the share of planted copies found. Usage: dedup_bench [SIZE...]
*/
#include "dedup/dedup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define VOCAB 50000
#define DOC_WORDS 300
#define COPY_EVERY 20

static uint64_t mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static char vocab[VOCAB][12];

static void make_vocab(void)
{
    static const char *const syl[] = {"ka", "lo", "mi", "ne", "ru", "sa",
        "to", "vi", "de", "ba", "po", "le", "an", "er", "in", "os"};
    int i, k;
    for (i = 0; i < VOCAB; i++) {
        uint64_t h = mix((uint64_t)i);
        vocab[i][0] = 0;
        for (k = 0; k < 2 + (int)(h % 3); k++)
            strcat(vocab[i], syl[(h >> (8 + 4 * k)) & 15]);
    }
}

/* Document i's original text into buf; returns its length. */
static size_t original(uint64_t i, char *buf)
{
    uint64_t s = mix(i * 7919 + 1);
    size_t len = 0;
    int w;
    for (w = 0; w < DOC_WORDS; w++) {
        /* Zipf-like: a uniform draw below a uniform bound. */
        uint64_t r = mix(s + (uint64_t)w);
        uint32_t bound = (uint32_t)(r % VOCAB) + 1;
        const char *word = vocab[(r >> 32) % bound];
        size_t l = strlen(word);
        memcpy(buf + len, word, l);
        len += l;
        buf[len++] = w % 15 == 14 ? '.' : ' ';
    }
    buf[len] = 0;
    return len;
}

/* An edited copy of document src: new first line, every 40th word dropped,
** the last tenth cut. */
static size_t copy_of(uint64_t src, char *buf)
{
    static char orig[DOC_WORDS * 16];
    size_t n = original(src, orig), len, i, w = 0;
    len = (size_t)sprintf(buf, "Breaking: latest update from our desk\n");
    for (i = 0; i < n * 9 / 10; i++) {
        if (orig[i] == ' ')
            w++;
        if (w % 40 == 39 && orig[i] != ' ')
            continue;
        buf[len++] = orig[i];
    }
    buf[len] = 0;
    return len;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int run(uint64_t n_docs)
{
    static char buf[DOC_WORDS * 16 + 128];
    td_dedup_index *ix = td__dedup_index_new();
    td_dedup_match m[16];
    td_dedup_sig sig;
    uint64_t i, planted = 0, found = 0, false_pos = 0, q;
    size_t n, len;
    uint32_t id;
    double t0, t_add, t_query, t_sig = 0;
    if (!ix)
        return 1;
    t0 = now();
    for (i = 0; i < n_docs; i++) {
        int is_copy = i % COPY_EVERY == COPY_EVERY - 1;
        uint64_t src = is_copy ? mix(i) % (i - 1) : i;
        double ts = now();
        len = is_copy ? copy_of(src, buf) : original(i, buf);
        ts = now() - ts;
        t_sig -= ts;    /* text generation is not the stage's time */
        if (td__dedup_signature(buf, len, &sig) != TD_OK ||
            td__dedup_index_add(ix, &sig, &id, m, 16, &n) != TD_OK) {
            fprintf(stderr, "dedup_bench: failed at %llu\n", (unsigned long long)i);
            return 1;
        }
        if (is_copy && src % COPY_EVERY != COPY_EVERY - 1) {
            planted++;
            found += n > 0 && m[0].doc == src;
        } else if (!is_copy) {
            false_pos += n > 0;
        }
    }
    t_add = now() - t0 + t_sig;
    /* Query latency: 10,000 queries (half copies, half fresh). */
    t_query = 0;
    for (q = 0; q < 10000; q++) {
        double ts;
        len = q % 2 ? copy_of(mix(q) % n_docs, buf) : original(n_docs + q, buf);
        td__dedup_signature(buf, len, &sig);
        ts = now();
        td__dedup_index_query(ix, &sig, m, 16, &n);
        t_query += now() - ts;
    }
    printf("%9llu docs  %8.0f docs/s  %6.1f index bytes/doc  query %6.2f us"
           "  copies found %llu/%llu  false matches %llu\n",
           (unsigned long long)n_docs, (double)n_docs / t_add,
           (double)td__dedup_index_bytes(ix) / (double)n_docs,
           t_query / 10000 * 1e6, (unsigned long long)found,
           (unsigned long long)planted, (unsigned long long)false_pos);
    td__dedup_index_free(ix);
    return 0;
}

int main(int argc, char **argv)
{
    static const uint64_t sizes[] = {10000, 100000, 1000000};
    int i;
    make_vocab();
    printf("dedup: %d hashes x 16 bits, %d bands x %d rows, shingles of %d words\n",
           TD_DEDUP_HASHES, TD_DEDUP_BANDS, TD_DEDUP_ROWS, TD_DEDUP_SHINGLE);
    if (argc > 1) {
        for (i = 1; i < argc; i++)
            if (run(strtoull(argv[i], NULL, 10)))
                return 1;
        return 0;
    }
    for (i = 0; i < 3; i++)
        if (run(sizes[i]))
            return 1;
    return 0;
}

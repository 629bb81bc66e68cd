# Tidings build. `make` builds libtidings and the tidings program;
# `make check` runs every test; `make demo` runs on the bundled sample;
# `make bench` runs the benchmarks (`make bench-http` the HTTP load test
# alone); `make asan` builds and tests with
# AddressSanitizer + UBSan. `make deps` installs the Debian packages.

CC      ?= cc
CXX     ?= c++
BUILD   ?= build
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2
CFLAGS  += -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(EXTRA_CFLAGS) -Iinclude -Ilib \
           -I/usr/include/postgresql
CXXFLAGS+= -std=c++11 $(OPT) -Wall -Wextra $(EXTRA_CFLAGS) -Iinclude -Ilib
ifeq ($(CI),true)
CFLAGS  += -Werror
CXXFLAGS+= -Werror
endif
LDLIBS  := -lcld2 -lstemmer -lutf8proc -licui18n -licuuc -licudata -ldeflate \
           -lcjson -lsqlite3 -lpq -lxxhash -lz -lmicrohttpd -lrdkafka -lstdc++ \
           -lm -lpthread \
           $(EXTRA_LDLIBS)

LIB_C   := $(sort $(shell find lib -name '*.c'))
LIB_CC  := $(sort $(shell find lib -name '*.cc'))
LIB_OBJ := $(LIB_C:%.c=$(BUILD)/%.o) $(LIB_CC:%.cc=$(BUILD)/%.o)
CLI_C   := $(sort $(wildcard cli/*.c))
CLI_OBJ := $(CLI_C:%.c=$(BUILD)/%.o)
# server/page_data.c is generated from server/page/* by tools/embed.sh.
SERVER_C:= $(sort $(wildcard server/*.c) server/page_data.c)
SERVER_OBJ := $(SERVER_C:%.c=$(BUILD)/%.o)
PAGE    := $(sort $(wildcard server/page/*))
TEST_C  := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN:= $(TEST_C:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_C  := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_REPLAY := $(FUZZ_C:fuzz/fuzz_%.c=$(BUILD)/tests/test_fuzz_%)
BENCH_C := $(sort $(wildcard bench/*.c))
BENCH_BIN := $(BENCH_C:bench/%.c=$(BUILD)/bench/%)
HEADERS := $(shell find include lib -name '*.h')

DEPS_PKGS := libcld2-dev libstemmer-dev libutf8proc-dev libicu-dev \
             libdeflate-dev libcjson-dev libsqlite3-dev libxxhash-dev \
             zlib1g-dev libmicrohttpd-dev librdkafka-dev libpq-dev \
             postgresql-15 curl pkg-config \
             gcc g++ make \
             chromium chromium-driver wrk
DEPS_FILES := /usr/include/cld2/public/compact_lang_det.h \
              /usr/include/libstemmer.h /usr/include/utf8proc.h \
              /usr/include/unicode/ubrk.h /usr/include/libdeflate.h \
              /usr/include/cjson/cJSON.h /usr/include/sqlite3.h \
              /usr/include/xxhash.h /usr/include/zlib.h \
              /usr/include/microhttpd.h /usr/bin/curl /usr/bin/chromium \
              /usr/bin/wrk \
              /usr/include/librdkafka/rdkafka_mock.h \
              /usr/include/postgresql/libpq-fe.h \
              /usr/lib/postgresql/15/bin/initdb

.PHONY: all deps check demo bench bench-http quality asan valgrind fuzz clean
all: $(BUILD)/tidings $(BUILD)/libtidings.a

deps:
	@missing=0; for f in $(DEPS_FILES); do [ -e $$f ] || missing=1; done; \
	if [ $$missing = 1 ]; then \
	  echo "make deps: installing $(DEPS_PKGS)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq $(DEPS_PKGS) >/dev/null || exit 1; \
	fi; \
	if command -v npm >/dev/null 2>&1 && \
	   [ ! -d tests/browser/node_modules/playwright-core ]; then \
	  echo "make deps: npm ci in tests/browser (playwright-core)"; \
	  (cd tests/browser && { npm ci --no-audit --no-fund || \
	    npm install --no-audit --no-fund; }) >/dev/null || exit 1; \
	fi

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.cc $(HEADERS)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -c $< -o $@

$(BUILD)/libtidings.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/server/%.o: server/%.c server/server.h $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

server/page_data.c: $(PAGE) tools/embed.sh
	sh tools/embed.sh server/page $@

$(BUILD)/tidings: $(CLI_OBJ) $(SERVER_OBJ) $(BUILD)/libtidings.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(SERVER_OBJ) $(BUILD)/libtidings.a $(LDLIBS)

# The failing-allocator test wraps the library's malloc/calloc/realloc.
$(BUILD)/tests/test_oom: tests/unit/test_oom.c tests/unit/check.h $(BUILD)/libtidings.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libtidings.a \
	  -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h $(BUILD)/libtidings.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libtidings.a $(LDLIBS)

# Each fuzz harness also builds as a replay of its corpus, run by `make check`.
# The HTTP harnesses compile the server's files they test in.
$(BUILD)/tests/test_fuzz_http: server/ingest.c server/json.c server/server.h
$(BUILD)/tests/test_fuzz_query: server/api.c server/entity.c server/http.c \
  server/ingest.c server/json.c server/page_data.c server/reader.c server/story.c \
  server/server.h
$(BUILD)/tests/test_fuzz_%: fuzz/fuzz_%.c fuzz/replay.h $(BUILD)/libtidings.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DTD_FUZZ_REPLAY -o $@ $< $(BUILD)/libtidings.a $(LDLIBS)

$(BUILD)/bench/%: bench/%.c $(wildcard bench/*.h) $(BUILD)/libtidings.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libtidings.a $(LDLIBS)

check: deps
	@$(MAKE) --no-print-directory all $(TEST_BIN) $(FUZZ_REPLAY)
	@BUILD=$(BUILD) sh tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@rm -f $(BUILD)/demo.db $(BUILD)/demo.db-wal $(BUILD)/demo.db-shm
	$(BUILD)/tidings ingest --db $(BUILD)/demo.db samples/corpus
	$(BUILD)/tidings stories --db $(BUILD)/demo.db

quality: all
	@BUILD=$(BUILD) sh bench/quality.sh $(DATA)

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@BUILD=$(BUILD) sh bench/run.sh

# The HTTP load test alone (also the last part of `make bench`).
bench-http: deps
	@$(MAKE) --no-print-directory all $(BUILD)/bench/gen
	@BUILD=$(BUILD) sh bench/http.sh

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  EXTRA_LDLIBS="-fsanitize=address,undefined" check

# The unit tests under valgrind: any error or definite leak fails.
valgrind: all $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do \
	  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	    $$t >/dev/null 2>$(BUILD)/valgrind.log || { echo "valgrind: $$t"; cat $(BUILD)/valgrind.log; fail=1; }; \
	done; [ $$fail = 0 ] && echo "valgrind: $(words $(TEST_BIN)) unit test programs clean"

# libFuzzer builds (clang): build-fuzz/fuzz_NAME; run it on fuzz/corpus/NAME.
fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang CXX=clang++ \
	  OPT="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" build-fuzz/libtidings.a
	for f in $(FUZZ_C); do n=$$(basename $$f .c); \
	  clang -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -Iinclude -Ilib -o build-fuzz/$$n $$f build-fuzz/libtidings.a $(LDLIBS) || exit 1; \
	done
	@echo "run e.g.: build-fuzz/fuzz_extract -max_total_time=60 fuzz/corpus/extract"

clean:
	rm -rf build build-asan build-fuzz

#!/bin/sh
# gen_dict.sh: generates lib/text/dict_table.c, the English-pivot
# dictionaries, from Debian's FreeDict packages (see docs/internals/dict.md).
# Needs a built libtidings (the generator folds and stems with the analyze
# stage's own functions) and the dict-freedict-* packages listed below.
# Usage: sh tools/gen_dict.sh [DICTD_DIR]   (default /usr/share/dictd)
#   apt-get install dict-freedict-{ces,dan,deu,fin,fra,isl,ita,nld,pol,por,\
#       spa,swe}-eng dict-freedict-eng-{ces,nor,rus}
set -eu
export LC_ALL=C
BUILD=${BUILD:-build}
DIR=${1:-/usr/share/dictd}
LDLIBS="-lcld2 -lstemmer -lutf8proc -licui18n -licuuc -licudata -lgumbo \
-lcjson -lsqlite3 -lxxhash -lz -lstdc++ -lm -lpthread"
make --no-print-directory "$BUILD/libtidings.a" >/dev/null
mkdir -p "$BUILD/tools"
# shellcheck disable=SC2086
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Iinclude -Ilib \
    -o "$BUILD/tools/gen_dict" tools/gen_dict.c "$BUILD/libtidings.a" $LDLIBS
"$BUILD/tools/gen_dict" "$DIR" > lib/text/dict_table.c.tmp
mv lib/text/dict_table.c.tmp lib/text/dict_table.c

#!/bin/sh
# run.sh: the browser end-to-end tests (e2e.mjs) in Debian's headless
# Chromium with playwright-core. Chromium and node_modules come from
# `make deps`; when either is missing this fails (it does not skip).
# Prints "N passed, N failed".
BUILD=${BUILD:-build}
export BUILD
dir=$(dirname "$0")
if [ ! -x /usr/bin/chromium ]; then
    echo "FAIL: /usr/bin/chromium is missing; run make deps" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
if ! command -v node >/dev/null 2>&1 ||
    [ ! -d "$dir/node_modules/playwright-core" ]; then
    echo "FAIL: node or $dir/node_modules/playwright-core is missing; run make deps" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
# e2e.mjs bounds itself at 55 s; this is the backstop.
timeout -k 5 90 node "$dir/e2e.mjs"

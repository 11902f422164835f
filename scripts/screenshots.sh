#!/usr/bin/env bash
# Saves full-page screenshots of each role's main pages into docs/screenshots/ (and its README.md index).
#
#   scripts/screenshots.sh [DIR]     DIR defaults to docs/screenshots
#
# Runs the opt-in browser test ScreenshotTests (Category=Screenshots) through ./test.sh: the app starts on its demo
# defaults with the demo's sample activity on, and Debian's chromium photographs every page listed in
# ScreenshotPages.All (tests/LeadExchange.BrowserTests/ScreenshotTests.cs). Without LEADEX_SCREENSHOTS_DIR that
# test is skipped, so the ordinary test run never rewrites the committed images.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export LEADEX_SCREENSHOTS_DIR
LEADEX_SCREENSHOTS_DIR=$(realpath -m "${1:-docs/screenshots}")
mkdir -p "$LEADEX_SCREENSHOTS_DIR"
./test.sh "Category=Screenshots"
ls -l "$LEADEX_SCREENSHOTS_DIR"

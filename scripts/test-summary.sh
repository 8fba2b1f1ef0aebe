#!/usr/bin/env bash
# Adds up the TRX result files of a test run, names the failed tests and prints one closing line:
# "Total: N passed, N failed, N skipped".
set -euo pipefail
passed=0; failed=0; skipped=0
for trx in "$1"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(get total); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted)
  passed=$((passed + p)); failed=$((failed + f + e + t + a)); skipped=$((skipped + total - p - f - e - t - a))
done
# node's test runner (TAP): the web client's JavaScript tests.
for tap in "$1"/*.tap; do
  [ -f "$tap" ] || continue
  p=$(grep -oE '^# pass [0-9]+' "$tap" | grep -oE '[0-9]+' || echo 0)
  f=$(grep -oE '^# fail [0-9]+' "$tap" | grep -oE '[0-9]+' || echo 0)
  s=$(grep -oE '^# skipped [0-9]+' "$tap" | grep -oE '[0-9]+' || echo 0)
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done
# The failed tests, last, so that the tail of a CI log names them: the test's name and the first lines of its message.
for trx in "$1"/*.trx; do
  [ -f "$trx" ] || continue
  perl -0777 -ne '
    while (/<UnitTestResult\b([^>]*?)(?:\/>|>(.*?)<\/UnitTestResult>)/gs) {
      my ($attrs, $body) = ($1, $2 // "");
      next unless $attrs =~ /outcome="(Failed|Error|Timeout|Aborted)"/;
      my ($name) = $attrs =~ /testName="([^"]*)"/;
      my ($message) = $body =~ /<Message>(.*?)<\/Message>/s;
      $message //= "";
      for ($name, $message) { s/&quot;/"/g; s/&apos;/\x27/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/&/g; }
      my @lines = grep { /\S/ } split /\n/, $message;
      print "FAILED: $name\n";
      print "    $_\n" for @lines[0 .. ($#lines < 5 ? $#lines : 5)];
    }' "$trx"
done
for tap in "$1"/*.tap; do
  [ -f "$tap" ] || continue
  grep -E '^not ok ' "$tap" | sed 's/^/FAILED (JavaScript): /' || true
done
echo "Total: $passed passed, $failed failed, $skipped skipped"

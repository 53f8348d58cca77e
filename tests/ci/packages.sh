#!/usr/bin/env bash
# ctest install_line: the README's first apt-get line installs exactly the
# packages .ci/run's PKGS list checks for (same names, same order), so a
# fresh machine set up from either has the same dependencies.
set -euo pipefail
readme=$(grep -m1 '^apt-get update && apt-get install -y ' README.md |
  sed 's/^apt-get update && apt-get install -y //; s/ &&.*//')
ci=$(sed -n '/^PKGS=(/,/)/p' .ci/run | tr -d '()\n' | sed 's/^PKGS=//' | tr -s ' ')
readme=$(echo "$readme" | tr -s ' ')
ci=$(echo "$ci" | sed 's/^ //; s/ $//')
if [ "$readme" != "$ci" ]; then
  echo "README: $readme"
  echo "CI:     $ci"
  echo "the README's apt-get line and .ci/run's PKGS differ"
  exit 1
fi
echo "same $(echo "$ci" | wc -w) packages: $ci"

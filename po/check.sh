#!/usr/bin/env bash
# The catalogue check (ctest po_catalogue): po/zh_CN.po compiles with
# `msgfmt --check`, has no untranslated or fuzzy message, and translates
# every string the sources mark with _(), N_(), ngettext() (xgettext
# regenerates the template from sim/ and viz/, msgcmp compares).
# Usage: po/check.sh MSGFMT XGETTEXT MSGCMP OUTDIR  (from the source root)
set -euo pipefail
msgfmt=$1 xgettext=$2 msgcmp=$3 out=$4
mkdir -p "$out"
for po in po/*.po; do
  stats=$("$msgfmt" --check --statistics -o /dev/null "$po" 2>&1) || { echo "$stats"; exit 1; }
  echo "$po: $stats"
  case "$stats" in
    *untranslated*|*fuzzy*) echo "$po: translate the untranslated and fuzzy messages"; exit 1 ;;
  esac
done
bash po/update.sh --pot-only "$xgettext" "$out/netsim.pot"
for po in po/*.po; do
  "$msgcmp" "$po" "$out/netsim.pot" ||
    { echo "$po lacks a translation for a string above (po/update.sh merges new strings)"; exit 1; }
done
echo "catalogue complete: $(grep -c '^msgid ' "$out/netsim.pot") messages in the template"

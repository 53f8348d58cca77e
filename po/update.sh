#!/usr/bin/env bash
# Regenerates the message template from the sources and merges it into
# every po/*.po (new strings arrive untranslated, changed ones fuzzy:
# translate them, then `ctest -R po_catalogue`).
#   po/update.sh                       from the source root
#   po/update.sh --pot-only XGETTEXT OUT.pot   (used by po/check.sh)
set -euo pipefail
xgettext=xgettext pot=$(mktemp --suffix=.pot)
if [ "${1:-}" = --pot-only ]; then xgettext=$2 pot=$3; fi
find sim viz -name '*.[ch]' | LC_ALL=C sort >"$pot.files"
"$xgettext" --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --add-comments=TRANSLATORS: \
  --package-name=netsim --add-location=file --msgid-bugs-address=netsim --sort-by-file \
  -o "$pot" -f "$pot.files"
rm -f "$pot.files"
[ "${1:-}" = --pot-only ] && exit 0
for po in po/*.po; do
  msgmerge --quiet --update --backup=none --no-wrap --add-location=file "$po" "$pot"
done
rm -f "$pot"

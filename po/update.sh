#!/usr/bin/env bash
# Regenerates the message template from the sources and merges it into
# every po/*.po (new strings arrive untranslated, changed ones fuzzy:
# translate them, then `ctest -R po_catalogue`). Diagnostics are found by
# the reporting functions' names (the --keyword list), as GCC's are; sim/core
# is left out: it prints nothing for people, and its set_error(error, code,
# input, fmt) would match the keyword set_error:3.
#   po/update.sh                       from the source root
#   po/update.sh --pot-only XGETTEXT OUT.pot   (used by po/check.sh)
set -euo pipefail
xgettext=xgettext pot=$(mktemp --suffix=.pot)
if [ "${1:-}" = --pot-only ]; then xgettext=$2 pot=$3; fi
find sim viz -name '*.[ch]' -not -path 'sim/core/*' | LC_ALL=C sort >"$pot.files"
"$xgettext" --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=NP_:1,2 --keyword=g_dngettext:2,3 \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --add-comments=TRANSLATORS: \
  --keyword=sim_diag_report:6 --keyword=sim_parser_error:4 --keyword=sim_parser_note:3 \
  --keyword=sim_validate_error:3 --keyword=sim_validate_warning:3 \
  --keyword=sim_validate_note:3 --keyword=lex_error:3 --keyword=set_error:3 \
  --keyword=sim_parser_expected:4 --keyword=sim_parser_unknown_word:4 \
  --keyword=sim_parser_unknown:4 --keyword=sim_parser_attrs:6 --keyword=sim_parser_name:4 \
  --keyword=dispatch:5 --keyword=g_option_context_new:1 \
  --keyword=g_option_context_set_summary:2 --keyword=g_option_context_set_description:2 \
  --flag=sim_diag_report:6:c-format --flag=sim_parser_error:4:c-format \
  --flag=sim_parser_note:3:c-format --flag=sim_validate_error:3:c-format \
  --flag=sim_validate_warning:3:c-format --flag=sim_validate_note:3:c-format \
  --flag=lex_error:3:c-format --flag=set_error:3:c-format \
  --package-name=netsim --add-location=file --msgid-bugs-address=netsim --sort-by-file \
  -o "$pot" -f "$pot.files"
rm -f "$pot.files"
[ "${1:-}" = --pot-only ] && exit 0
for po in po/*.po; do
  msgmerge --quiet --update --backup=none --no-wrap --add-location=file "$po" "$pot"
done
rm -f "$pot"

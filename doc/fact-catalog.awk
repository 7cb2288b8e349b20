# SPDX-License-Identifier: MIT
# awk -f fact-catalog.awk CATALOG TEMPLATE: TEMPLATE (scdoc) with its line "@FACT_CATALOG@"
# replaced by CATALOG, the output of `dockaudit facts --catalog` (a header, then NAME  TYPE
# DESCRIPTION columns), as one scdoc entry per fact. Names and types hold no spaces; the
# description is the rest of the line. Fails on anything else, or on no facts.
function esc(s) {
        gsub(/\\/, "\\\\", s)
        gsub(/\*/, "\\*", s)
        gsub(/_/, "\\_", s)
        gsub(/`/, "\\`", s)
        # a leading "-" would start a scdoc list entry
        sub(/^-/, "\\-", s)
        return s
}
function fail(msg) {
        print "fact-catalog.awk: " FILENAME ":" FNR ": " msg > "/dev/stderr"
        bad = 1
        exit 1
}
FNR == NR && FNR == 1 {
        if ($1 != "NAME" || $2 != "TYPE" || $3 != "DESCRIPTION")
                fail("expected the header of dockaudit facts --catalog")
        next
}
FNR == NR {
        if (NF < 3)
                fail("expected NAME TYPE DESCRIPTION")
        desc = $0
        sub(/^[^ ]+ +[^ ]+ +/, "", desc)
        entries = entries sprintf("*%s* (%s)\n\t%s\n\n", esc($1), $2, esc(desc))
        n++
        next
}
$0 == "@FACT_CATALOG@" {
        if (n == 0)
                fail("no facts in the catalog")
        printf "%s", entries
        done++
        next
}
{ print }
END {
        if (bad)
                exit 1
        if (done != 1) {
                print "fact-catalog.awk: the template needs exactly one @FACT_CATALOG@ line" > "/dev/stderr"
                exit 1
        }
}

#!/usr/bin/awk -f
# A writebench external strategy in an interpreter writebench has no name for
# (tests/integration/test_external.sh): results must give its language as the
# interpreter's name from the #! line, "awk". It cannot write SQLite, so it skips (77).
BEGIN {
    print "skip.awk: awk cannot write SQLite" > "/dev/stderr"
    exit 77
}

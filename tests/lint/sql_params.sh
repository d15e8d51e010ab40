#!/usr/bin/env bash
# sql_params.sh - refuses SQL built in C from values known only at run time (sql_params.pl says
# how it judges): every value goes to PostgreSQL as a parameter. Checks the platform's code
# (common/, services/, the tools) or the files given. Prints each finding; exit 1 if any.
# Usage: sql_params.sh [FILE.c ...]
set -uo pipefail
cd "$(dirname "$0")/../.."
command -v perl > /dev/null || { echo "sql_params: perl not found" >&2; exit 2; }
if [ "$#" = 0 ]; then
    # The tests' own SQL (tests/integration/*/*.c) formats the tests' constants: not checked.
    set -- $(ls common/*.[ch] services/*/*.[ch] tests/tools/*.c bench/tools/*.c 2>/dev/null)
fi
perl tests/lint/sql_params.pl "$@"

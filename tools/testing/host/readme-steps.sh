#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The commands of README.md's "Installing on a host" section, as written
# there: its indented lines (a code block in Markdown), with a line that
# ends in a backslash joined to the next, one command line per output
# line.  `make check-host` runs these and nothing of its own in their
# place (tools/testing/host/check-host.sh says where each one runs), so
# that a change to README.md's steps that no longer works fails it.
#
# usage: readme-steps.sh [README.md]
set -euo pipefail

readme=${1:-$(cd "$(dirname "$0")/../../.." && pwd)/README.md}
awk '
/^## / { insec = ($0 == "## Installing on a host") ; next }
!insec { next }
/^    / {
	line = substr($0, 5)
	if (cont != "") { sub(/^ +/, "", line); line = cont " " line }
	if (line ~ /\\$/) { sub(/ *\\$/, "", line); cont = line; next }
	cont = ""
	print line
}
' "$readme"

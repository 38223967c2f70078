#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run apt-get or apt-cache on the package lists of Debian distribution
# DIST (tools/build/kver.sh -d names a kernel series' one).  The machine's
# own distribution (VERSION_CODENAME in /etc/os-release) uses the
# machine's apt configuration, unchanged.  Another one (trixie on a
# Debian 12 machine) uses a private configuration in BUILD/apt-DIST, made
# here and never touching the machine's: its own sources.list (DIST, its
# -updates and -security suites, main only, from deb.debian.org), package
# lists and cache; Debian 12's debian-archive-keyring has trixie's keys.
# "update" fetches its lists (or the machine's, for the machine's own
# distribution).  apt-get download writes into the current directory, as
# usual; nothing is ever installed from another distribution.  Needs BUILD
# (the Makefile exports it).
#
# usage: apt-dist.sh DIST update
#        apt-dist.sh DIST apt-get|apt-cache ARGS...
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: apt-dist.sh DIST update|apt-get|apt-cache ARGS..." >&2; exit 2; }
dist=$1
shift
host=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")

if [ "$dist" = "$host" ]; then
	case $1 in
	update) exec apt-get update -qq ;;
	apt-get | apt-cache) exec "$@" ;;
	*) echo "apt-dist: unknown command '$1'" >&2; exit 2 ;;
	esac
fi

case $dist in
trixie) ;;
*) echo "apt-dist: no private apt configuration for '$dist'" >&2; exit 2 ;;
esac
dir=${BUILD:?}/apt-$dist
opts=(-o "Dir::Etc::sourcelist=$dir/sources.list"
      -o Dir::Etc::sourceparts=-
      -o "Dir::State::Lists=$dir/lists"
      -o "Dir::Cache=$dir/cache"
      -o "Dir::Cache::archives=$dir/cache/archives")

case $1 in
update)
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	cat >"$dir/sources.list" <<-EOF
	deb http://deb.debian.org/debian $dist main
	deb http://deb.debian.org/debian $dist-updates main
	deb http://deb.debian.org/debian-security $dist-security main
	EOF
	exec apt-get "${opts[@]}" update -qq
	;;
apt-get | apt-cache)
	[ -f "$dir/sources.list" ] ||
		{ echo "apt-dist: no package lists for $dist: run 'apt-dist.sh $dist update' first" >&2; exit 1; }
	cmd=$1
	shift
	exec "$cmd" "${opts[@]}" "$@"
	;;
*) echo "apt-dist: unknown command '$1'" >&2; exit 2 ;;
esac

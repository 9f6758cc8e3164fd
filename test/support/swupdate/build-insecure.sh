#!/usr/bin/env bash
# Builds the insecure swupdate of the update fixture: Debian's own swupdate source, rebuilt with Debian's
# pkg.swupdate.nosigning build profile (CONFIG_SIGNED_IMAGES unset), so that it installs images whatever their
# signature. Needs root, a deb-src entry for the archive and `apt-get build-dep swupdate` (.ci/run does both).
# Usage: build-insecure.sh [OUT_DIR]   (default: .cache/swupdate-nosigning in the repository)
# Writes OUT_DIR/swupdate and OUT_DIR/VERSION (the Debian source version built); does nothing when they exist.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
out=${1:-$repo/.cache/swupdate-nosigning}
if [ -x "$out/swupdate" ] && [ -s "$out/VERSION" ]; then
  echo "insecure swupdate $(cat "$out/VERSION") already built in $out"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# The installed version first; the security archive's sources are not always on the mirror, so then the others.
version=
for v in $(dpkg-query -W -f '${Version}' swupdate) $(apt-cache showsrc swupdate | sed -n 's/^Version: //p' | sort -rV); do
  if apt-get source -qq "swupdate=$v" >/dev/null 2>&1; then version=$v; break; fi
done
[ -n "$version" ] || { echo "apt-get source swupdate failed: is there a deb-src entry?" >&2; exit 1; }
cd swupdate-*/
# Only the binary is needed: configure as debian/rules does for these profiles, then make, with Debian's flags.
export DEB_BUILD_PROFILES="pkg.swupdate.nosigning nodoc" DEB_BUILD_OPTIONS="nodoc nocheck"
debian/rules override_dh_auto_configure >"$work/configure.log" 2>&1 || { tail -20 "$work/configure.log"; exit 1; }
if grep -q '^CONFIG_SIGNED_IMAGES=y' .config; then echo "nosigning profile did not unset CONFIG_SIGNED_IMAGES" >&2; exit 1; fi
eval "$(dpkg-buildflags --export=sh)"
make -j"$(nproc)" swupdate >"$work/build.log" 2>&1 || { tail -20 "$work/build.log"; exit 1; }
mkdir -p "$out"
install -m 0755 swupdate "$out/swupdate"
echo "$version" >"$out/VERSION"
echo "built insecure swupdate $version into $out"

#!/usr/bin/env bash
# Build KenLM's own estimation tools (lmplz, build_binary) from the kenlm sdist that PyPI serves.
# Output: $KENLM_BIN (default .cache/kenlm/bin). Idempotent: does nothing when both binaries exist.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache="${KENLM_CACHE:-$root/.cache/kenlm}"
bin="$cache/bin"
version="${KENLM_VERSION:-0.3.0}"
python="${PYTHON:-python3}"

if [[ -x "$bin/lmplz" && -x "$bin/build_binary" ]]; then
  echo "kenlm tools: already built in $bin"
  exit 0
fi
mkdir -p "$cache/src" "$bin"
sdist=$(ls "$cache"/src/kenlm-"$version".tar.gz 2>/dev/null || true)
if [[ -z "$sdist" ]]; then
  echo "kenlm tools: downloading the kenlm $version source distribution from PyPI"
  "$python" -m pip download --quiet --no-deps "kenlm==$version" -d "$cache/src"
  sdist="$cache/src/kenlm-$version.tar.gz"
fi
rm -rf "$cache/build-src" && mkdir -p "$cache/build-src"
tar -xzf "$sdist" -C "$cache/build-src" --strip-components=1
mkdir -p "$cache/build-src/build"
cd "$cache/build-src/build"
echo "kenlm tools: compiling lmplz and build_binary (about a minute on 2 cores)"
# FORCE_STATIC gives binaries that need no Boost at run time.
cmake .. -DCMAKE_BUILD_TYPE=Release -DFORCE_STATIC=ON >"$cache/cmake.log" 2>&1 \
  || { tail -n 30 "$cache/cmake.log"; echo "kenlm tools: cmake failed; install the build deps with 'make system-deps'" >&2; exit 1; }
make -j"$(nproc)" lmplz build_binary >"$cache/make.log" 2>&1 \
  || { tail -n 30 "$cache/make.log"; echo "kenlm tools: compile failed (log: $cache/make.log)" >&2; exit 1; }
cp bin/lmplz bin/build_binary "$bin/"
rm -rf "$cache/build-src"
echo "kenlm tools: built $bin/lmplz and $bin/build_binary"

#!/usr/bin/env bash
# Puts the two Go reference CLIs into the tools cache for the interoperability tests:
#   ${PYOCM_TOOLS:-$HOME/.cache/pyocm-tools}/bin/ocm-go-v2 (Go v2 CLI 0.13.0)
#   ${PYOCM_TOOLS:-$HOME/.cache/pyocm-tools}/bin/ocm-go-v1 (legacy v1 CLI 0.48.0)
# From, in order: PYOCM_GO_OCM_V2 / PYOCM_GO_OCM_V1 (other binaries, used as they are, nothing
# is copied); the prebuilt, xz-compressed binaries in ../shared/tools/go-ocm/ beside this
# repository (checked against its SHA256SUMS); `go install` from the Go module proxy.
# Prints one line per tool; a tool that cannot be had is reported and skipped (the interop
# tests then skip with that reason, and fail under CI).  Called by install-test-tools.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

tools_dir=${PYOCM_TOOLS:-$HOME/.cache/pyocm-tools}
bin_dir=$tools_dir/bin
prebuilt=${PYOCM_GO_OCM_DIR:-../shared/tools/go-ocm}
mkdir -p "$bin_dir"

# name  env variable  prebuilt file (without .xz)  go install target
entries=(
  "ocm-go-v2 PYOCM_GO_OCM_V2 ocm-v2-cli-0.13.0-linux-amd64 ocm.software/open-component-model/cli@v0.13.0"
  "ocm-go-v1 PYOCM_GO_OCM_V1 ocm-v1-0.48.0-linux-amd64 ocm.software/ocm/cmds/ocm@v0.48.0"
)

# xz's output, or Python's lzma where Debian's xz-utils is not installed
unxz() {
  if command -v xz >/dev/null 2>&1; then
    xz -dc "$1"
  else
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"
  fi
}

for entry in "${entries[@]}"; do
  read -r name variable file target <<<"$entry"
  given=${!variable:-}
  if [ -n "$given" ]; then
    echo "$name: given by $variable ($given)"
    continue
  fi
  want=""
  if [ -f "$prebuilt/SHA256SUMS" ]; then
    want=$(awk -v f="$file" '$2 == f {print $1}' "$prebuilt/SHA256SUMS")
  fi
  if [ -x "$bin_dir/$name" ] && [ -n "$want" ] \
      && [ "$(sha256sum "$bin_dir/$name" | cut -d' ' -f1)" = "$want" ]; then
    echo "$name: cached ($file)"
    continue
  fi
  if [ -f "$prebuilt/$file.xz" ] && [ -n "$want" ]; then
    tmp=$(mktemp "$bin_dir/.$name.XXXXXX")
    if ! unxz "$prebuilt/$file.xz" >"$tmp"; then
      rm -f "$tmp"
      echo "install-go-ocm: cannot unpack $prebuilt/$file.xz (needs xz or python3)" >&2
      exit 1
    fi
    got=$(sha256sum "$tmp" | cut -d' ' -f1)
    if [ "$got" != "$want" ]; then
      rm -f "$tmp"
      echo "install-go-ocm: $prebuilt/$file.xz unpacks to SHA-256 $got, SHA256SUMS says $want" >&2
      exit 1
    fi
    chmod +x "$tmp"
    mv -f "$tmp" "$bin_dir/$name"
    echo "$name: unpacked ($file)"
    continue
  fi
  if [ -x "$bin_dir/$name" ]; then
    echo "$name: cached (no SHA256SUMS to check it against)"
    continue
  fi
  go_bin=$(command -v go || true)
  [ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ] && go_bin=/usr/local/go/bin/go
  log=$tools_dir/$name.log
  if [ -n "$go_bin" ] && GOBIN=$bin_dir/.go-install-$name GOFLAGS=-trimpath CGO_ENABLED=0 \
      "$go_bin" install -ldflags='-s -w' "$target" >"$log" 2>&1; then
    mv -f "$bin_dir/.go-install-$name"/* "$bin_dir/$name"
    rmdir "$bin_dir/.go-install-$name"
    echo "$name: built ($target)"
  else
    echo "$name: not available (no $prebuilt/$file.xz; go install $target failed, see $log); the interop tests will skip"
  fi
done

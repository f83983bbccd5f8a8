#!/usr/bin/env bash
# Installs the real programs the OCI tests run against, each only when it is missing:
#   - Debian packages: docker-registry (CNCF distribution), apache2-utils (htpasswd), skopeo,
#     gpg (signs the helm test chart);
#   - oras, crane and helm, built with `go install` from the Go module proxy at pinned
#     versions into ${PYOCM_TOOLS:-$HOME/.cache/pyocm-tools}/bin (a stamp file per tool
#     records the version, so a second run only checks and returns in seconds).
# Prints one line per tool.  Called by scripts/test.sh before pytest.
#
# Before anything slow it checks what it cannot install itself and stops at once with one line
# naming it: root for the Debian packages that are missing, and Go >= go_min below (the newest `go`
# line of the pinned modules' go.mod files) for the Go tools not yet built.  Go is taken from
# $PYOCM_GO when set, else `go` on PATH, else /usr/local/go/bin/go.
# `install-test-tools.sh --check` runs only these checks (scripts/test.sh runs it first).
set -euo pipefail

tools_dir=${PYOCM_TOOLS:-$HOME/.cache/pyocm-tools}
bin_dir=$tools_dir/bin
stamp_dir=$tools_dir/stamps

# name  go package@version (the pins: newest patch releases served by the module proxy)
go_tools=(
  "oras oras.land/oras/cmd/oras@v1.3.6"
  "crane github.com/google/go-containerregistry/cmd/crane@v0.22.1"
  "helm helm.sh/helm/v3/cmd/helm@v3.22.0"
)
# The Go the pins need: the highest `go` line of their modules' go.mod (oras v1.3.6: 1.26.7,
# helm v3.22.0: 1.26.0, go-containerregistry v0.22.1: 1.25.0).  After changing a pin, read
#   go mod download -json MODULE@VERSION   (its "GoMod" file's `go` line)
# for each module and put the highest here.
go_min=1.26.7

check_only=false
if [ "${1:-}" = --check ]; then
  check_only=true
fi

# --- Debian packages -------------------------------------------------------------------
declare -A deb_binary=([docker-registry]=docker-registry [apache2-utils]=htpasswd [skopeo]=skopeo [gpg]=gpg)
missing=()
present=()
for pkg in docker-registry apache2-utils skopeo gpg; do
  if command -v "${deb_binary[$pkg]}" >/dev/null 2>&1; then
    present+=("$pkg: present ($(command -v "${deb_binary[$pkg]}"))")
  else
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" -ne 0 ]; then
  echo "install-test-tools: need root to install ${missing[*]}, or install them first:" \
    "sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

# --- Go, for the tools not built yet -----------------------------------------------------
go_bin=${PYOCM_GO-$(command -v go || true)}
if [ -z "${PYOCM_GO+set}" ] && [ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ]; then
  go_bin=/usr/local/go/bin/go
fi
to_build=()
for entry in "${go_tools[@]}"; do
  read -r name target <<<"$entry"
  if ! [ -x "$bin_dir/$name" ] || [ "$(cat "$stamp_dir/$name" 2>/dev/null)" != "$target" ]; then
    to_build+=("$name")
  fi
done
if [ ${#to_build[@]} -gt 0 ]; then
  found=none
  if [ -n "$go_bin" ] && [ -x "$go_bin" ]; then
    found=$(GOTOOLCHAIN=local "$go_bin" env GOVERSION 2>/dev/null || true)
    found=${found:-unknown}
  fi
  have=${found#go}
  have=${have%% *} # "go1.26.8 X:exp" -> 1.26.8
  if [ "$found" = none ] || [ "$found" = unknown ] \
      || [ "$(printf '%s\n%s\n' "$go_min" "$have" | sort -V | head -n1)" != "$go_min" ]; then
    where=${go_bin:-not on PATH nor in /usr/local/go/bin}
    echo "install-test-tools: building ${to_build[*]} needs Go >= $go_min (found: $found, $where):" \
      "install Go $go_min or newer into /usr/local/go (Debian 12's golang-go 1.19 is too old)" >&2
    exit 1
  fi
fi

if $check_only; then
  exit 0
fi

for line in "${present[@]}"; do
  echo "$line"
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt_log=$(mktemp)
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
      >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    exit 1
  fi
  rm -f "$apt_log"
  for pkg in "${missing[@]}"; do
    echo "$pkg: installed ($(dpkg-query -W -f='${Version}' "$pkg"))"
  done
fi

# --- Go tools ----------------------------------------------------------------------------
mkdir -p "$bin_dir" "$stamp_dir"
for entry in "${go_tools[@]}"; do
  read -r name target <<<"$entry"
  if [ -x "$bin_dir/$name" ] && [ "$(cat "$stamp_dir/$name" 2>/dev/null)" = "$target" ]; then
    echo "$name: cached ($target)"
    continue
  fi
  start=$SECONDS
  rm -f "$stamp_dir/$name"
  if ! GOBIN=$bin_dir GOFLAGS=-trimpath CGO_ENABLED=0 GOTOOLCHAIN=local \
      "$go_bin" install -ldflags='-s -w' "$target" >"$tools_dir/$name.log" 2>&1; then
    cat "$tools_dir/$name.log" >&2
    exit 1
  fi
  echo "$target" >"$stamp_dir/$name"
  echo "$name: built ($target, $((SECONDS - start)) s)"
done

# --- the Go reference CLIs (interoperability tests) ---------------------------------------
bash "$(dirname "$0")/install-go-ocm.sh"

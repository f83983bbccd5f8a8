#!/usr/bin/env bash
# Installs the real programs the OCI tests run against, each only when it is missing:
#   - Debian packages: docker-registry (CNCF distribution), apache2-utils (htpasswd), skopeo,
#     gpg (signs the helm test chart);
#   - oras, crane and helm, built with `go install` from the Go module proxy at pinned
#     versions into ${PYOCM_TOOLS:-$HOME/.cache/pyocm-tools}/bin (a stamp file per tool
#     records the version, so a second run only checks and returns in seconds).
# Prints one line per tool.  Called by scripts/test.sh before pytest.
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

# --- Debian packages -------------------------------------------------------------------
declare -A deb_binary=([docker-registry]=docker-registry [apache2-utils]=htpasswd [skopeo]=skopeo [gpg]=gpg)
missing=()
for pkg in docker-registry apache2-utils skopeo gpg; do
  if command -v "${deb_binary[$pkg]}" >/dev/null 2>&1; then
    echo "$pkg: present ($(command -v "${deb_binary[$pkg]}"))"
  else
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-tools: need root to install ${missing[*]} (apt-get)" >&2
    exit 1
  fi
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
go_bin=$(command -v go || true)
if [ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ]; then
  go_bin=/usr/local/go/bin/go
fi
mkdir -p "$bin_dir" "$stamp_dir"
for entry in "${go_tools[@]}"; do
  read -r name target <<<"$entry"
  if [ -x "$bin_dir/$name" ] && [ "$(cat "$stamp_dir/$name" 2>/dev/null)" = "$target" ]; then
    echo "$name: cached ($target)"
    continue
  fi
  if [ -z "$go_bin" ]; then
    echo "install-test-tools: go not found, cannot build $name ($target)" >&2
    exit 1
  fi
  start=$SECONDS
  rm -f "$stamp_dir/$name"
  if ! GOBIN=$bin_dir GOFLAGS=-trimpath CGO_ENABLED=0 \
      "$go_bin" install -ldflags='-s -w' "$target" >"$tools_dir/$name.log" 2>&1; then
    cat "$tools_dir/$name.log" >&2
    exit 1
  fi
  echo "$target" >"$stamp_dir/$name"
  echo "$name: built ($target, $((SECONDS - start)) s)"
done

# --- the Go reference CLIs (interoperability tests) ---------------------------------------
bash "$(dirname "$0")/install-go-ocm.sh"

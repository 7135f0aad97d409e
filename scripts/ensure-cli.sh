#!/usr/bin/env bash
# Usage: scripts/ensure-cli.sh [--no-build] terraform|tofu VERSION
#
# Prints the path of that exact CLI, building it from source through the Go
# module proxy the first time (these machines cannot reach releases.hashicorp.com
# or GitHub releases). Builds are cached per machine, outside the repository:
#
#   ${TF_CLI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-alicloud/cli}/<name>-<version>/<name>
#
# A build happens in a temporary directory beside the cache entry and is moved
# into place with one rename, so an interrupted build is never mistaken for a
# good one; a lock keeps two concurrent callers from building the same CLI twice.
#
# How each is built:
#   terraform <= 1.5.x   go install github.com/hashicorp/terraform@vX (the module builds as published).
#   terraform >= 1.6     the module's go.mod replaces its remote-state backends with nested modules that
#                        the module zip leaves out, so `go install` refuses it. We copy the module, drop
#                        those backends from internal/backend/init/init.go and every require/replace of a
#                        nested module from go.mod, and `go build` the copy. The local, remote, cloud, http
#                        and inmem backends stay; azurerm, consul, cos, gcs, kubernetes, oci, oss, pg and s3
#                        are gone, which nothing in this project uses.
#   tofu                 copy github.com/opentofu/opentofu@vX and `go build ./cmd/tofu`.
#
# With --no-build it only looks: it prints the path and succeeds when the CLI
# is already built, and fails quietly otherwise.
# Progress goes to stderr; stdout is only the path.
#
# Everything runs from main, called on the last line, so bash has read the
# whole file before it runs any of it: editing or pulling this script during a
# long build cannot change what a running build does.
set -euo pipefail
# The built CLI's `version` check below would otherwise ask checkpoint-api.hashicorp.com for updates.
export CHECKPOINT_DISABLE=1

usage() {
	echo "usage: $0 [--no-build] terraform|tofu VERSION (for example: $0 tofu 1.12.6)" >&2
	exit 2
}

# copy_module PATH VERSION DIR: downloads a module through the proxy and copies
# it to DIR, writable (the module cache is read-only).
copy_module() {
	local json dir
	json="$(go mod download -json "$1@v$2")"
	dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
	if [ -z "$dir" ] || [ ! -d "$dir" ]; then
		printf '%s\n' "$json" >&2
		echo "ensure-cli: go mod download gave no module directory" >&2
		exit 1
	fi
	cp -R "$dir" "$3"
	chmod -R u+w "$3"
}

# build_terraform_patched VERSION SRC OUT: builds Terraform >= 1.6 from a copy
# of its module without the nested backend modules.
build_terraform_patched() {
	local version="$1" src="$2" out="$3" nested m alias init_go
	local -a edit_args=()
	copy_module github.com/hashicorp/terraform "$version" "$src"
	# Every require/replace of a module path under internal/ names a nested
	# module the zip leaves out (the backends, and internal/legacy, which only
	# tests import): drop them all.
	nested="$(go mod edit -json "$src/go.mod" |
		sed -n 's/^[[:space:]]*"Path": "\(github\.com\/hashicorp\/terraform\/internal\/[^"]*\)".*/\1/p' | sort -u)"
	for m in $nested; do
		edit_args+=("-droprequire=$m" "-dropreplace=$m")
	done
	if [ ${#edit_args[@]} -gt 0 ]; then
		go mod edit "${edit_args[@]}" "$src/go.mod"
	fi
	# Drop the imports of the backends that came from those modules, and the
	# lines of the backends map that use them.
	init_go="$src/internal/backend/init/init.go"
	for m in $nested; do
		case "$m" in */internal/backend/remote-state/*) ;; *) continue ;; esac
		alias="$(sed -n "s|^[[:space:]]*\([A-Za-z0-9_]*\) \"$m\"\$|\1|p" "$init_go")"
		[ -n "$alias" ] || continue
		sed -i -e "\|\"$m\"\$|d" -e "/[^A-Za-z0-9_]$alias\.New(/d" "$init_go"
	done
	if grep -n 'remote-state/\(azure\|consul\|cos\|gcs\|kubernetes\|oci\|oss\|pg\|s3\)"' "$init_go" >&2; then
		echo "ensure-cli: could not remove every nested backend from $init_go" >&2
		exit 1
	fi
	(cd "$src" && go build -trimpath -buildvcs=false -ldflags "$(release_ldflags terraform)" -o "$out" .) >&2
}

# release_ldflags terraform|tofu: what release builds link in, so the CLI
# reports its version without the "-dev" marker (which version checks such as
# terraform-plugin-testing's tfversion would see as a pre-release).
release_ldflags() {
	case "$1" in
	terraform) echo "-X github.com/hashicorp/terraform/version.dev=no" ;;
	tofu) echo "-X github.com/opentofu/opentofu/version.dev=no" ;;
	esac
}

main() {
	local build=yes name version cache_root dest bin major rest minor start got
	if [ "${1:-}" = "--no-build" ]; then
		build=no
		shift
	fi
	[ $# -eq 2 ] || usage
	name="$1"
	version="${2#v}"
	case "$name" in terraform | tofu) ;; *) usage ;; esac
	[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || usage

	cache_root="${TF_CLI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-alicloud/cli}"
	dest="$cache_root/$name-$version"
	bin="$dest/$name"

	if [ -x "$bin" ]; then
		echo "$bin"
		return 0
	fi
	[ "$build" = yes ] || return 1

	mkdir -p "$cache_root"
	# One builder at a time per CLI; the others wait, then find its result.
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$cache_root/.$name-$version.lock"
		flock 9
		if [ -x "$bin" ]; then
			echo "$bin"
			return 0
		fi
	fi

	tmp="$(mktemp -d "$cache_root/.$name-$version.build.XXXXXX")"
	# The module copy is read-only as go mod download leaves it: make it removable.
	trap 'chmod -R u+w "$tmp" 2>/dev/null || true; rm -rf "$tmp"' EXIT

	major="${version%%.*}"
	rest="${version#*.}"
	minor="${rest%%.*}"
	start=$SECONDS
	case "$name" in
	terraform)
		if [ "$major" -eq 1 ] && [ "$minor" -le 5 ]; then
			echo "Building terraform v$version with go install (about two minutes, once per machine)." >&2
			GOBIN="$tmp/out" go install -ldflags "$(release_ldflags terraform)" "github.com/hashicorp/terraform@v$version" >&2
		else
			echo "Building terraform v$version from a patched copy of its module (about three minutes, once per machine)." >&2
			build_terraform_patched "$version" "$tmp/src" "$tmp/out/terraform"
		fi
		;;
	tofu)
		echo "Building tofu v$version from its module (about five minutes, once per machine)." >&2
		copy_module github.com/opentofu/opentofu "$version" "$tmp/src"
		(cd "$tmp/src" && go build -trimpath -buildvcs=false -ldflags "$(release_ldflags tofu)" -o "$tmp/out/tofu" ./cmd/tofu) >&2
		;;
	esac

	: >"$tmp/empty.tfrc" # so the CLI configuration of this machine cannot add warnings
	got="$(TF_CLI_CONFIG_FILE="$tmp/empty.tfrc" "$tmp/out/$name" version 2>/dev/null | grep -m 1 -E '^(Terraform|OpenTofu) v' || true)"
	case "$got" in
	*" v$version") ;;
	*)
		echo "ensure-cli: the built $name says '$got', expected v$version" >&2
		exit 1
		;;
	esac

	# Keep only the binary: the sources are large. One rename publishes it.
	mkdir -p "$tmp/final"
	mv "$tmp/out/$name" "$tmp/final/$name"
	rm -rf "$dest" # an entry without its binary, left by hand
	mv "$tmp/final" "$dest"
	echo "Built $got into $dest in $((SECONDS - start)) s." >&2
	echo "$bin"
}

main "$@"
exit

#!/usr/bin/env bash
# make release-snapshot: the release of the current commit, as the Terraform
# and OpenTofu registries take it, into dist/:
#
#   terraform-provider-alicloud_<version>_<os>_<arch>.zip    one per platform
#   terraform-provider-alicloud_<version>_SHA256SUMS         the zips and the manifest
#   terraform-provider-alicloud_<version>_SHA256SUMS.sig     detached, binary, by GPG_FINGERPRINT's key
#   terraform-provider-alicloud_<version>_manifest.json      terraform-registry-manifest.json
#
# <version> is the top entry of CHANGELOG.md (scripts/provider-version.sh), as
# for make install, not goreleaser's 0.0.0-SNAPSHOT-<commit> pre-release.
# Only the host platform is built unless ALL_PLATFORMS=1. It needs the GPG key
# that GPG_FINGERPRINT names in the keyring (GNUPGHOME is honoured), installs
# the pinned goreleaser (GORELEASER_VERSION) with `go install` when it is
# missing, and needs no git tag, no remote and no network but the Go module
# proxy.
set -euo pipefail

main() {
	cd "$(dirname "$0")/.."
	: "${GPG_FINGERPRINT:?set GPG_FINGERPRINT to the fingerprint of the signing key (gpg --list-secret-keys)}"
	local goreleaser_version="${GORELEASER_VERSION:?the GNUmakefile sets GORELEASER_VERSION}"
	local gobin goreleaser version config target project=terraform-provider-alicloud
	gobin="$(go env GOPATH)/bin"
	goreleaser="$gobin/goreleaser"
	if ! [ -x "$goreleaser" ] || ! "$goreleaser" --version 2>/dev/null | grep -q "^GitVersion: *v\{0,1\}${goreleaser_version#v}\$"; then
		echo "==> go install github.com/goreleaser/goreleaser/v2@$goreleaser_version" >&2
		go install "github.com/goreleaser/goreleaser/v2@$goreleaser_version"
	fi
	version="$(./scripts/provider-version.sh)"

	tmp="$(mktemp -d)" # global: the EXIT trap runs after main returns
	trap 'rm -rf "$tmp"' EXIT
	trap "exit 130" INT TERM
	config=.goreleaser.yml
	if [ "${ALL_PLATFORMS:-}" != 1 ]; then
		# goreleaser release has no --single-target: the same configuration,
		# with targets (which take precedence over goos/goarch) set to the host.
		target="$(go env GOOS)_$(go env GOARCH)"
		config="$tmp/goreleaser.yml"
		awk -v target="$target" '
			{ print }
			/^  - id: terraform-provider-alicloud$/ { print "    targets: [" target "]"; found = 1 }
			END { if (!found) exit 1 }
		' .goreleaser.yml >"$config" || {
			echo "release-snapshot: no '  - id: terraform-provider-alicloud' build in .goreleaser.yml" >&2
			exit 1
		}
		echo "==> Building $project $version for $target only (ALL_PLATFORMS=1 builds every platform)" >&2
	else
		echo "==> Building $project $version for every platform" >&2
	fi

	PROVIDER_VERSION="$version" "$goreleaser" release --snapshot --clean --skip=publish --config "$config" >&2

	# The manifest is a release asset, which --skip=publish leaves out, but
	# SHA256SUMS lists it and a registry reads its protocol versions.
	cp terraform-registry-manifest.json "dist/${project}_${version}_manifest.json"
	(
		cd dist
		if command -v sha256sum >/dev/null; then
			sha256sum --check --strict --quiet "${project}_${version}_SHA256SUMS"
		else # macOS
			shasum -a 256 --check --strict --quiet "${project}_${version}_SHA256SUMS"
		fi
		grep -q "  ${project}_${version}_manifest.json\$" "${project}_${version}_SHA256SUMS"
		gpg --batch --quiet --verify "${project}_${version}_SHA256SUMS.sig" "${project}_${version}_SHA256SUMS" 2>"$tmp/gpg.log" ||
			{ cat "$tmp/gpg.log" >&2; exit 1; }
	)
	echo "==> dist/:" >&2
	ls -1 dist/"${project}_${version}"_* >&2
}

main "$@"

#!/usr/bin/env bash
# make install: builds the provider, versioned by the top entry of
# CHANGELOG.md, into the implied local mirror directory that Terraform and
# OpenTofu search on their own:
#
#   ~/.terraform.d/plugins/registry.terraform.io/pcorder/alicloud/<version>/<os>_<arch>/terraform-provider-alicloud_v<version>
#   ~/.terraform.d/plugins/registry.opentofu.org/pcorder/alicloud/<version>/<os>_<arch>/terraform-provider-alicloud_v<version>
#
# `terraform init` (or `tofu init`) then installs source = "pcorder/alicloud",
# version = "~> 0.2", with no registry and no dev_overrides, as long as the CLI
# configuration has no provider_installation block (one replaces the implied
# mirror). scripts/test-install.sh proves it.
set -euo pipefail
cd "$(dirname "$0")/.."

version="$(./scripts/provider-version.sh)"
target="$(go env GOOS)_$(go env GOARCH)"
exe="terraform-provider-alicloud_v${version}$(go env GOEXE)"
plugins="$HOME/.terraform.d/plugins"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# -trimpath: the same source gives the same binary wherever it is checked out,
# so the checksum in a configuration's .terraform.lock.hcl stays valid.
go build -trimpath -ldflags "-X main.version=${version}" -o "$tmp/$exe" .

for host in registry.terraform.io registry.opentofu.org; do
	dir="$plugins/$host/pcorder/alicloud/$version/$target"
	mkdir -p "$dir"
	# Copy beside, then rename: a running init never sees half a binary.
	cp "$tmp/$exe" "$dir/.$exe.tmp"
	chmod 0755 "$dir/.$exe.tmp"
	mv -f "$dir/.$exe.tmp" "$dir/$exe"
	echo "Installed $dir/$exe"
done

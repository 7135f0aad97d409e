#!/usr/bin/env bash
# make test-install: proves that `make install` is enough for `terraform init`.
# It installs the provider into a temporary HOME, then runs `init` and
# `validate` on a configuration asking for pcorder/alicloud "~> 0.2", with an
# empty CLI configuration file and every HTTP(S) request sent to a dead proxy,
# so that nothing but the implied local mirror can satisfy it. A control run
# with an empty HOME must fail the same init. OpenTofu is tried too when
# scripts/ensure-cli.sh has already built it (make test-matrix does).
set -euo pipefail
# No update check: nothing but the implied local mirror may be asked for anything.
export CHECKPOINT_DISABLE=1

# All in main, called on the last line: bash reads the whole file before it
# runs, so editing or pulling this script mid-run cannot change the run.
main() {
	cd "$(dirname "$0")/.."

	# Find the CLIs and pin Go's caches before HOME moves.
	clis=("terraform=$(./scripts/ensure-terraform.sh)")
	if tofu="$(./scripts/ensure-cli.sh --no-build tofu "${TOFU_VERSION:-1.12.6}")"; then
		clis+=("tofu=$tofu")
	else
		echo "(OpenTofu is not built yet: testing Terraform only; make test-matrix builds it.)"
	fi
	for v in GOPATH GOCACHE GOMODCACHE GOENV; do
		export "$v=$(go env "$v")"
	done

	work="$(mktemp -d)"
	trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
	home="$work/home"
	mkdir -p "$home" "$work/empty-home"
	: >"$work/empty.tfrc"

	echo "==> make install, into a temporary HOME"
	HOME="$home" ./scripts/install.sh

	cat >"$work/main.tf" <<'CFG'
terraform {
  required_providers {
    alicloud = {
      source  = "pcorder/alicloud"
      version = "~> 0.2"
    }
  }
}

provider "alicloud" {
  region = "cn-hangzhou"
}

resource "alicloud_pc_occupancy_order" "dc1" {
  physical_connection_id = "pc-bp1hp0wr072f6ambni141"
}
CFG

	# cli HOME NAME PATH ARGS...: runs a CLI offline, with the empty CLI
	# configuration and nothing else from the machine.
	cli() {
		local h="$1" bin="$3"
		shift 3
		env -u TF_PLUGIN_CACHE_DIR -u TF_DATA_DIR -u TOFU_CLI_CONFIG_FILE -u XDG_DATA_HOME -u TF_CLI_ARGS -u TF_CLI_ARGS_init \
			HOME="$h" TF_CLI_CONFIG_FILE="$work/empty.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 \
			HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
			NO_PROXY= no_proxy= TF_REGISTRY_CLIENT_TIMEOUT=5 "$bin" "$@"
	}

	version="$(./scripts/provider-version.sh)"
	failed=0
	for entry in "${clis[@]}"; do
		name="${entry%%=*}"
		bin="${entry#*=}"
		echo "==> $name ($(cli "$home" "$name" "$bin" version | grep -m 1 -E '^(Terraform|OpenTofu) v')): init from the implied local mirror"
		dir="$work/$name"
		mkdir -p "$dir"
		cp "$work/main.tf" "$dir/main.tf"
		if ! out="$(cli "$home" "$name" "$bin" -chdir="$dir" init -input=false -no-color 2>&1)"; then
			echo "$out"
			echo "FAIL: $name init with the provider installed by make install" >&2
			failed=1
			continue
		fi
		echo "$out" | grep -E 'pcorder/alicloud' || true
		if ! grep -q "version *= *\"$version\"" "$dir/.terraform.lock.hcl"; then
			cat "$dir/.terraform.lock.hcl"
			echo "FAIL: $name locked another version than $version" >&2
			failed=1
			continue
		fi
		# validate starts the installed provider to read its schema.
		if ! cli "$home" "$name" "$bin" -chdir="$dir" validate -no-color; then
			echo "FAIL: $name validate with the installed provider" >&2
			failed=1
			continue
		fi

		echo "==> $name: the control, with nothing installed, must fail"
		control="$work/$name-control"
		mkdir -p "$control"
		cp "$work/main.tf" "$control/main.tf"
		if out="$(cli "$work/empty-home" "$name" "$bin" -chdir="$control" init -input=false -no-color 2>&1)"; then
			echo "$out"
			echo "FAIL: $name init succeeded with nothing installed: the test proves nothing here" >&2
			failed=1
			continue
		fi
		echo "    failed as it should: $(echo "$out" | grep -m 1 -E 'Error:' || echo "$out" | tail -n 1)"
		echo "PASS: $name"
	done
	exit "$failed"
}

main "$@"

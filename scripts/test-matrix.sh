#!/usr/bin/env bash
# make test-matrix: the acceptance suite once per supported CLI.
#
#   terraform 1.5.7   the oldest Terraform this project supports
#   terraform 1.13.3  the newest Terraform tested
#   tofu 1.12.6       OpenTofu
#
# Each CLI is built from source once per machine by scripts/ensure-cli.sh
# (none can be downloaded here). Override the list with MATRIX, for example
# MATRIX="tofu@1.12.6" make test-matrix, and the packages with
# MATRIX_PACKAGES (default ./internal/provider/..., the only package that runs
# a CLI). Every CLI runs even when one fails; the summary says which failed.
set -euo pipefail
# No update check from the CLIs the tests run (nor from a CLI built here).
export CHECKPOINT_DISABLE=1

# All in main, called on the last line: bash reads the whole file before it
# runs, so editing or pulling this script mid-run cannot change the run.
main() {
	cd "$(dirname "$0")/.."

	matrix="${MATRIX:-terraform@1.5.7 terraform@1.13.3 tofu@1.12.6}"
	read -r -a packages <<<"${MATRIX_PACKAGES:-./internal/provider/...}"

	# Build (or find) every CLI first, so a broken build shows before any test.
	declare -a names bins
	for entry in $matrix; do
		name="${entry%@*}"
		version="${entry#*@}"
		names+=("$name $version")
		bins+=("$(./scripts/ensure-cli.sh "$name" "$version")")
	done

	logs="$(mktemp -d)"
	trap 'rm -rf "$logs"' EXIT
	summary=()
	failed=0
	for i in "${!names[@]}"; do
		label="${names[$i]}"
		bin="${bins[$i]}"
		host=registry.terraform.io
		case "$label" in tofu*) host=registry.opentofu.org ;; esac
		echo "--- test-matrix: $label ($bin)"
		log="$logs/$i.log"
		start=$SECONDS
		set +e
		env -u TF_CLI_ARGS -u TOFU_CLI_CONFIG_FILE \
			TF_ACC=1 TF_ACC_TERRAFORM_PATH="$bin" TF_ACC_PROVIDER_HOST="$host" \
			TF_CLI_CONFIG_FILE="$PWD/scripts/empty.tfrc" CHECKPOINT_DISABLE=1 \
			go test -v -race -count=1 -timeout 30m "${packages[@]}" >"$log" 2>&1 &
		pid=$!
		# Show what `go test` without -v would, plus the skips: the full log
		# (-v) is needed to list the tests each CLI skipped.
		tail -n +1 -f --pid="$pid" "$log" | grep --line-buffered -v -E '^[[:space:]]*(=== (RUN|PAUSE|CONT|NAME)|--- PASS)' || true
		wait "$pid"
		rc=$?
		set -e
		took=$((SECONDS - start))
		skipped="$(grep -oE -- '--- SKIP: [^ ]+' "$log" | sed 's/--- SKIP: //' | sort -u | paste -sd ' ' - || true)"
		if [ "$rc" -eq 0 ]; then
			summary+=("PASS  $label  ${took}s${skipped:+  skipped: $skipped}")
		else
			failed=1
			tests="$(grep -oE -- '--- FAIL: [^ ]+' "$log" | sed 's/--- FAIL: //' | sort -u | paste -sd ' ' - || true)"
			summary+=("FAIL  $label  ${took}s  ${tests:-(build or setup failure: see its output above)}")
		fi
	done

	echo "--- test-matrix summary"
	printf '%s\n' "${summary[@]}"
	exit "$failed"
}

main "$@"

#!/usr/bin/env bash
# Prints the path of a Terraform CLI, building one when none is installed.
# terraform-plugin-testing and tfplugindocs need one; this project must not
# download release binaries (the machines it runs on cannot reach them), so
# the CLI is built from source through the Go module proxy.
set -euo pipefail

version="${TERRAFORM_VERSION:-1.5.7}" # the newest tag `go install` can build

if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ] && [ -x "${TF_ACC_TERRAFORM_PATH}" ]; then
	echo "${TF_ACC_TERRAFORM_PATH}"
	exit 0
fi
if command -v terraform >/dev/null 2>&1; then
	command -v terraform
	exit 0
fi
gobin="$(go env GOBIN)"
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
if [ ! -x "$gobin/terraform" ]; then
	echo "No Terraform CLI on PATH: building terraform v${version} with go install (about two minutes, once)." >&2
	go install "github.com/hashicorp/terraform@v${version}" >&2
fi
echo "$gobin/terraform"

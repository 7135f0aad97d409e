#!/usr/bin/env bash
# Prints the path of the Terraform CLI every make target uses: the one in
# TF_ACC_TERRAFORM_PATH, else `terraform` on PATH, else Terraform v1.5.7 (the
# oldest version this project supports) built from source by
# scripts/ensure-cli.sh, once per machine. This project must not download
# release binaries (the machines it runs on cannot reach them), so the CLI is
# built through the Go module proxy.
set -euo pipefail

version="${TERRAFORM_VERSION:-1.5.7}" # the newest tag `go install` can build as published

if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ] && [ -x "${TF_ACC_TERRAFORM_PATH}" ]; then
	echo "${TF_ACC_TERRAFORM_PATH}"
	exit 0
fi
if command -v terraform >/dev/null 2>&1; then
	command -v terraform
	exit 0
fi
exec "$(dirname "$0")/ensure-cli.sh" terraform "$version"

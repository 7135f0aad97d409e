#!/usr/bin/env bash
# Prints the provider's version: the one in the top entry of CHANGELOG.md,
# whose heading reads "## 0.1.0 (Unreleased)" or "## 0.1.0 (March 3, 2027)".
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(sed -n 's/^## v\{0,1\}\([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\)\([ (].*\)\{0,1\}$/\1/p' CHANGELOG.md | head -n 1)"
[ -n "$version" ] || { echo "provider-version: no '## X.Y.Z' heading in CHANGELOG.md" >&2; exit 1; }
echo "$version"

#!/usr/bin/env bash
# make test-release: proves that a dist/ built by `make release-snapshot`
# installs like any published provider, offline, with the real CLIs:
#
#  1. a throwaway signing key (gpg, in a temporary GNUPGHOME) signs the
#     snapshot; a throwaway CA (openssl) certifies localhost for a loopback
#     HTTPS registry (internal/testregistry), which the CLIs trust through
#     SSL_CERT_FILE;
#  2. each CLI runs `init` for source "localhost:PORT/pcorder/alicloud" through
#     the registry protocol, with no dev overrides and no local mirror, and
#     must report the signature's key ID; the lock file must hold the
#     archive's signed checksum; then `apply` places an order at the fake
#     Alibaba Cloud API (cmd/fakealicloud);
#  3. the same release with one archive altered, and with SHA256SUMS signed by
#     another key, must be refused, with the CLI saying why;
#  4. `terraform providers mirror` copies the release from the registry into a
#     folder, which the same server then serves as a network mirror for
#     "pcorder/alicloud" (registry.terraform.io and registry.opentofu.org):
#     each CLI must `init` from it, with no registry, and `validate`.
#
# Variables: RELEASE_TEST_CLIS (default "terraform@1.13.3 tofu@1.12.6
# terraform@1.5.7", each built once per machine by scripts/ensure-cli.sh),
# CIRCUIT_STATUS (the state of the fake's circuit, one that takes an occupancy
# order: default Complete, which does in the fake's old life cycle, where
# Enabled does too, and in the published one, where Confirmed does too and
# Enabled does not). Everything runs on 127.0.0.1; every
# other HTTP(S) request goes to a dead proxy. Temporary files, the gpg-agent and
# the servers are removed or stopped on exit.
set -euo pipefail

# All in main, called on the last line: bash reads the whole file before it
# runs, so editing or pulling this script mid-run cannot change the run.
main() {
	cd "$(dirname "$0")/.."
	local clis="${RELEASE_TEST_CLIS:-terraform@1.13.3 tofu@1.12.6 terraform@1.5.7}"
	local circuit_status="${CIRCUIT_STATUS:-Complete}"
	local circuit=pc-bp1hp0wr072f6ambni141 project=terraform-provider-alicloud
	local start=$SECONDS

	# Find the CLIs and pin Go's caches before HOME moves.
	local entry name ver
	local -a cli_names=() cli_paths=()
	for entry in $clis; do
		name="${entry%@*}"
		ver="${entry#*@}"
		cli_names+=("$name $ver")
		cli_paths+=("$(./scripts/ensure-cli.sh "$name" "$ver")")
	done
	for v in GOPATH GOCACHE GOMODCACHE GOENV; do
		export "$v=$(go env "$v")"
	done

	work="$(mktemp -d)"
	pids=()
	trap cleanup EXIT
	trap "exit 130" INT TERM # so that the EXIT trap runs
	mkdir -p "$work/bin" "$work/home" "$work/mirror" "$work/gnupg" "$work/gnupg-other"
	chmod 700 "$work/gnupg" "$work/gnupg-other"
	export GNUPGHOME="$work/gnupg"

	echo "==> Building the test registry and the fake Alibaba Cloud API"
	go build -o "$work/bin/testregistry" ./internal/testregistry
	go build -o "$work/bin/fakealicloud" ./cmd/fakealicloud

	echo "==> A throwaway signing key, and another one that the registry does not publish"
	local fpr keyid
	gen_key "$work/gnupg" "release test"
	gen_key "$work/gnupg-other" "someone else"
	fpr="$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '/^fpr:/ { print $10; exit }')"
	keyid="${fpr: -16}"
	gpg --batch --armor --export "$fpr" >"$work/public.asc"
	echo "    key ID $keyid"

	echo "==> make release-snapshot"
	GPG_FINGERPRINT="$fpr" make --no-print-directory release-snapshot
	local version target sums zip
	version="$(./scripts/provider-version.sh)"
	target="$(go env GOOS)_$(go env GOARCH)"
	sums="${project}_${version}_SHA256SUMS"
	zip="${project}_${version}_${target}.zip"
	[ -f "dist/$zip" ] || { echo "FAIL: dist/$zip is missing" >&2; exit 1; }

	# The same release, altered: one archive changed after signing, and the
	# checksums signed by a key that is not the namespace's.
	local f
	for f in tampered othersig; do
		mkdir -p "$work/$f"
		cp dist/"${project}_${version}"_* "$work/$f/"
	done
	printf 'tampered' >>"$work/tampered/$zip"
	GNUPGHOME="$work/gnupg-other" gpg --batch --yes --output "$work/othersig/$sums.sig" --detach-sign "$work/othersig/$sums"

	echo "==> A throwaway CA and a certificate for localhost"
	make_certificates "$work/tls"

	echo "==> Starting the registry and the fake Alibaba Cloud API"
	"$work/bin/testregistry" -tls-cert "$work/tls/server.pem" -tls-key "$work/tls/server.key" \
		-gpg-key "$work/public.asc" -gpg-key-id "$keyid" -addr-file "$work/registry.addr" \
		-provider pcorder/alicloud=dist -provider tampered/alicloud="$work/tampered" \
		-provider othersig/alicloud="$work/othersig" -mirror "$work/mirror" >"$work/registry.log" 2>&1 &
	pids+=($!)
	export ALICLOUD_ACCESS_KEY=LTAI5tDEMOACCESSKEY ALICLOUD_SECRET_KEY=demo-secret-not-a-real-key
	"$work/bin/fakealicloud" -access-key "$ALICLOUD_ACCESS_KEY" -secret-key "$ALICLOUD_SECRET_KEY" \
		-connection "$circuit:cn-hangzhou:$circuit_status" -addr-file "$work/fake.addr" >"$work/fake.log" 2>&1 &
	pids+=($!)
	wait_for "$work/registry.addr" "$work/registry.log"
	wait_for "$work/fake.addr" "$work/fake.log"
	local port fake host
	port="$(sed 's/.*://' "$work/registry.addr")"
	fake="$(cat "$work/fake.addr")"
	host="localhost:$port"
	echo "    registry https://$host/, fake API http://$fake"

	cat >"$work/registry.tfrc" <<CFG
disable_checkpoint = true
provider_installation {
  direct {}
}
CFG
	cat >"$work/mirror.tfrc" <<CFG
disable_checkpoint = true
provider_installation {
  network_mirror {
    url = "https://$host/mirror/"
  }
}
CFG

	local failed=0 i label bin dir out sum
	sum="$(sha256sum "dist/$zip" | cut -d' ' -f1)"
	for i in "${!cli_names[@]}"; do
		label="${cli_names[$i]}"
		bin="${cli_paths[$i]}"
		echo "==> $label: init from the registry"
		dir="$work/${label// /-}/registry"
		write_config "$dir" "$host/pcorder/alicloud" "$version" "$fake"
		if ! out="$(cli registry "$bin" -chdir="$dir" init -input=false -no-color 2>&1)"; then
			report "$out" "$label init from the registry"
			continue
		fi
		echo "$out" | grep -E 'pcorder/alicloud' || true
		if ! echo "$out" | grep -qi "key ID $keyid"; then
			report "$out" "$label installed the provider without naming the signing key $keyid"
			continue
		fi
		if ! grep -q "version *= *\"$version\"" "$dir/.terraform.lock.hcl" || ! grep -q "\"zh:$sum\"" "$dir/.terraform.lock.hcl"; then
			report "$(cat "$dir/.terraform.lock.hcl")" "$label did not lock $version with the signed checksum zh:$sum"
			continue
		fi
		echo "==> $label: apply against the fake API (circuit $circuit_status)"
		if ! out="$(cli registry "$bin" -chdir="$dir" apply -auto-approve -input=false -no-color 2>&1)"; then
			report "$out" "$label apply with the installed provider"
			continue
		fi
		local order
		order="$(cli registry "$bin" -chdir="$dir" output -raw order_id)"
		if [ -z "$order" ] || ! curl -fsS "http://$fake/_fake/orders" | grep -q "$order"; then
			report "$out" "$label: order '$order' is not among the fake's orders"
			continue
		fi
		echo "    order $order placed"

		echo "==> $label: a tampered archive must be refused"
		expect_refusal "$bin" "$dir-tampered" "$host/tampered/alicloud" "$version" "$fake" \
			'incorrect checksum|checksum mismatch|does not match' "$label: a tampered archive" || continue
		echo "==> $label: checksums signed by another key must be refused"
		expect_refusal "$bin" "$dir-othersig" "$host/othersig/alicloud" "$version" "$fake" \
			'unknown issuer|unknown entity' "$label: checksums signed by another key" || continue

		if [ ! -f "$work/mirror/registry.terraform.io/pcorder/alicloud/index.json" ]; then
			echo "==> $label: terraform providers mirror, from the registry into a folder"
			if ! out="$(cli registry "$bin" -chdir="$dir" providers mirror -platform="$target" "$work/mirror-src" 2>&1)"; then
				report "$out" "$label providers mirror"
				continue
			fi
			local src
			src="$(dirname "$(find "$work/mirror-src" -name index.json | head -n 1)")"
			[ -f "$src/$version.json" ] || { report "$(find "$work/mirror-src")" "providers mirror wrote no $version.json"; continue; }
			# Served as the provider a configuration names "pcorder/alicloud".
			for f in registry.terraform.io registry.opentofu.org; do
				mkdir -p "$work/mirror/$f/pcorder"
				cp -R "$src" "$work/mirror/$f/pcorder/alicloud"
			done
		fi
		echo "==> $label: init from the network mirror"
		dir="$work/${label// /-}/mirror"
		write_config "$dir" "pcorder/alicloud" "$version" "$fake"
		local before after h1
		before="$(grep -c ' /mirror/.* 200$' "$work/registry.log" || true)"
		if ! out="$(cli mirror "$bin" -chdir="$dir" init -input=false -no-color 2>&1)" ||
			! out+=$'\n'"$(cli mirror "$bin" -chdir="$dir" validate -no-color 2>&1)"; then
			report "$out" "$label init from the network mirror"
			continue
		fi
		after="$(grep -c ' /mirror/.* 200$' "$work/registry.log" || true)"
		if [ "$after" -le "$before" ]; then
			report "$out" "$label did not ask the mirror (requests served $before, then $after)"
			continue
		fi
		# The mirror's <version>.json gives the h1: checksum: the same
		# package as the signed one installed from the registry.
		h1="$(grep -o '"h1:[^"]*"' "$dir/.terraform.lock.hcl" | head -n 1)"
		if [ -z "$h1" ] || ! grep -qF "$h1" "$work/${label// /-}/registry/.terraform.lock.hcl"; then
			report "$(cat "$dir/.terraform.lock.hcl")" "$label installed from the mirror another package than from the registry"
			continue
		fi
		echo "$out" | grep -E 'Installed|valid' || true
		echo "PASS: $label"
	done
	echo "==> make test-release: $((SECONDS - start)) s"
	exit "$failed"
}

# cleanup stops the servers and the gpg-agents and removes the work directory.
cleanup() {
	local pid
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	gpgconf --homedir "$work/gnupg" --kill all 2>/dev/null || true
	gpgconf --homedir "$work/gnupg-other" --kill all 2>/dev/null || true
	chmod -R u+w "$work" 2>/dev/null || true
	rm -rf "$work"
}

# gen_key GNUPGHOME NAME: an RSA signing key without a passphrase.
gen_key() {
	GNUPGHOME="$1" gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
		--quick-gen-key "$2 <release-test@example.invalid>" rsa2048 sign 1d 2>/dev/null
}

# make_certificates DIR: ca.pem, and server.pem/server.key for localhost and
# 127.0.0.1 signed by it.
make_certificates() {
	local d="$1"
	mkdir -p "$d"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
		-keyout "$d/ca.key" -out "$d/ca.pem" -subj "/CN=terraform-provider-alicloud release test CA" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$d/server.key" -out "$d/server.csr" -subj "/CN=localhost" 2>/dev/null
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' >"$d/ext"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
		-days 1 -extfile "$d/ext" -out "$d/server.pem" 2>/dev/null
}

# wait_for FILE LOG: waits for a server to write its address.
wait_for() {
	local _
	for _ in $(seq 100); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	cat "$2" >&2
	echo "FAIL: a server did not start" >&2
	exit 1
}

# write_config DIR SOURCE VERSION FAKE: a configuration that places one order
# for main's $circuit.
write_config() {
	mkdir -p "$1"
	cat >"$1/main.tf" <<CFG
terraform {
  required_providers {
    alicloud = {
      source  = "$2"
      version = "~> ${3%.*}"
    }
  }
}

provider "alicloud" {
  region   = "cn-hangzhou"
  protocol = "HTTP" # the fake listens without TLS
  endpoints {
    vpc        = "$4"
    bssopenapi = "$4"
  }
}

resource "alicloud_pc_occupancy_order" "dc1" {
  physical_connection_id = "$circuit"
  instance_charge_type   = "PrePaid"
  period                 = 1
}

output "order_id" {
  value = alicloud_pc_occupancy_order.dc1.order_id
}
CFG
}

# cli registry|mirror PATH ARGS...: runs a CLI with the CLI configuration
# named, a temporary HOME, the test CA, and nothing else from the machine.
cli() {
	local tfrc="$work/$1.tfrc" bin="$2"
	shift 2
	env -u TF_PLUGIN_CACHE_DIR -u TF_DATA_DIR -u TOFU_CLI_CONFIG_FILE -u XDG_DATA_HOME -u TF_CLI_ARGS \
		-u TF_CLI_ARGS_init -u TF_LOG -u SSL_CERT_DIR \
		HOME="$work/home" TF_CLI_CONFIG_FILE="$tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 \
		SSL_CERT_FILE="$work/tls/ca.pem" \
		HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
		NO_PROXY=localhost,127.0.0.1 no_proxy=localhost,127.0.0.1 TF_REGISTRY_CLIENT_TIMEOUT=10 "$bin" "$@"
}

# expect_refusal PATH DIR SOURCE VERSION FAKE REGEX WHAT: init must fail, and
# its error must match REGEX.
expect_refusal() {
	local out
	write_config "$2" "$3" "$4" "$5"
	if out="$(cli registry "$1" -chdir="$2" init -input=false -no-color 2>&1)"; then
		report "$out" "$7 was installed"
		return 1
	fi
	if ! echo "$out" | grep -qiE "$6"; then
		report "$out" "$7 failed init, but not with an error matching /$6/"
		return 1
	fi
	echo "    refused: $(echo "$out" | grep -iE -B 1 -m 1 "$6" | sed 's/^[│ ]*//' | tr '\n' ' ')"
}

# report OUTPUT MESSAGE: prints a failure and marks the run failed.
report() {
	echo "$1"
	echo "FAIL: $2" >&2
	failed=1
}

main "$@"

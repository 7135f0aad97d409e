package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

// The guide docs/guides/beside-official-provider.md shows this file; the test
// applies it as it is, with an override file that points this provider at the
// fake VPC API.
const besideOfficialExample = "../../examples/guides/beside-official-provider/main.tf"

// deadProxy is a proxy address nothing listens on.
const deadProxy = "http://127.0.0.1:9"

// TestAccBesideOfficial_localNames applies the guide's configuration, in
// which the official aliyun/alicloud provider keeps the local name
// "alicloud" and this provider is "pcorder", through the real CLI. A
// stand-in for the official provider (testdata/officialstandin, state-only)
// and this provider, both built here, are found through dev_overrides. The
// apply must place exactly one order, through this provider, with the
// example's arguments, and leave each resource with its own provider.
func TestAccBesideOfficial_localNames(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test does)")
	}
	t.Parallel()
	cli := terraformCLI(t)
	host := "registry.terraform.io"
	if h := os.Getenv("TF_ACC_PROVIDER_HOST"); h != "" {
		host = h // registry.opentofu.org under OpenTofu
	}
	const (
		accessKey = "LTAI5tBESIDEOFFICIAL01"
		secretKey = "beside-official-secret-Jx4Tq9"
		region    = "cn-hangzhou" // the example's
		pcID      = "pc-bp1besideofficial00001"
	)

	fake := fakealicloud.New(fakealicloud.Config{Credentials: map[string]fakealicloud.Credential{accessKey: {AccessKeySecret: secretKey}}})
	fake.AddPhysicalConnection(pcID, region, "Confirmed")
	addr, err := fake.Start()
	if err != nil {
		t.Fatalf("starting the fake VPC API: %v", err)
	}
	t.Cleanup(fake.Close)

	dir := t.TempDir()
	ours := providerPlugins(t)
	official := filepath.Join(dir, "official")
	besideBuild(t, filepath.Join(official, "terraform-provider-alicloud"), "./testdata/officialstandin")
	rc := filepath.Join(dir, "cli.tfrc")
	besideWrite(t, rc, fmt.Sprintf(`provider_installation {
  dev_overrides {
    %q = %q
    %q = %q
  }
  direct {}
}
`, host+"/pcorder/alicloud", ours, host+"/aliyun/alicloud", official))

	example, err := os.ReadFile(besideOfficialExample)
	if err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	besideWrite(t, filepath.Join(work, "main.tf"), string(example))
	// The fake serves the VPC and the billing API on one address.
	besideWrite(t, filepath.Join(work, "override.tf"), fmt.Sprintf(`provider "pcorder" {
  protocol = "HTTP"
  endpoints {
    vpc        = %q
    bssopenapi = %q
  }
}
`, addr, addr))
	env := besideEnv(rc,
		"ALICLOUD_ACCESS_KEY="+accessKey, "ALICLOUD_SECRET_KEY="+secretKey,
		"OFFICIALSTANDIN_PHYSICAL_CONNECTION_ID="+pcID,
		// Anything that would leave loopback meets a dead proxy instead
		// (Go never proxies loopback addresses, so the fake is reached).
		"HTTP_PROXY="+deadProxy, "HTTPS_PROXY="+deadProxy, "http_proxy="+deadProxy, "https_proxy="+deadProxy,
		"NO_PROXY=", "no_proxy=")
	run := func(args ...string) ([]byte, error) {
		cmd := exec.Command(cli, append([]string{"-chdir=" + work}, args...)...)
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.Bytes(), err
	}

	out, err := run("apply", "-auto-approve", "-input=false", "-no-color")
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	if bytes.Contains(out, []byte("aliyuncs.com")) || bytes.Contains(out, []byte(deadProxy)) {
		t.Errorf("the apply tried to reach Alibaba Cloud, not only the fake:\n%s", out)
	}

	// Exactly one order, through this provider, as the example asks.
	orders := fake.Orders()
	if len(orders) != 1 {
		t.Fatalf("the fake holds %d orders, want 1: %+v", len(orders), orders)
	}
	o := orders[0]
	for _, f := range []struct{ name, got, want string }{
		{"RegionId", o.RegionID, region},
		{"PhysicalConnectionId", o.PhysicalConnectionID, pcID},
		{"InstanceChargeType", o.InstanceChargeType, "PrePaid"},
		{"Period", o.Period, "6"},
		{"PricingCycle", o.PricingCycle, "Month"},
		{"AutoPay", o.AutoPay, "false"},
	} {
		if f.got != f.want {
			t.Errorf("the order's %s is %q, want %q (the example's)", f.name, f.got, f.want)
		}
	}
	if o.ClientToken == "" {
		t.Error("the order was placed without a client token")
	}
	creates := 0
	for _, r := range fake.Requests() {
		if r.Action == "CreatePhysicalConnectionOccupancyOrder" {
			creates++
		}
	}
	if creates != 1 {
		t.Errorf("the fake received %d create requests, want 1", creates)
	}

	// Each resource is in state, with its own provider.
	out, err = run("show", "-json", "-no-color")
	if err != nil {
		t.Fatalf("show -json: %v\n%s", err, out)
	}
	var state struct {
		Values struct {
			Outputs map[string]struct {
				Value any `json:"value"`
			} `json:"outputs"`
			RootModule struct {
				Resources []struct {
					Address      string         `json:"address"`
					ProviderName string         `json:"provider_name"`
					Values       map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal(out, &state); err != nil {
		t.Fatalf("show -json: %v\n%s", err, out)
	}
	wantResources := map[string]struct{ provider, attr, value string }{
		"alicloud_express_connect_physical_connection.dc1": {host + "/aliyun/alicloud", "id", pcID},
		"alicloud_pc_occupancy_order.dc1":                  {host + "/pcorder/alicloud", "order_id", o.ID},
	}
	for _, r := range state.Values.RootModule.Resources {
		w, ok := wantResources[r.Address]
		if !ok {
			t.Errorf("unexpected resource %s (%s) in state", r.Address, r.ProviderName)
			continue
		}
		delete(wantResources, r.Address)
		if r.ProviderName != w.provider {
			t.Errorf("%s belongs to %s, want %s", r.Address, r.ProviderName, w.provider)
		}
		if got := fmt.Sprint(r.Values[w.attr]); got != w.value {
			t.Errorf("%s.%s = %s, want %s", r.Address, w.attr, got, w.value)
		}
	}
	for addr := range wantResources {
		t.Errorf("%s is not in state", addr)
	}
	if got := fmt.Sprint(state.Values.Outputs["order_id"].Value); got != o.ID {
		t.Errorf("output order_id = %s, want %s", got, o.ID)
	}

	// A second plan changes nothing and orders nothing.
	if out, err := run("plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		t.Errorf("plan after apply: %v (exit code 2 means changes)\n%s", err, out)
	}
	if n := len(fake.Orders()); n != 1 {
		t.Errorf("after the second plan the fake holds %d orders, want 1", n)
	}

	// Without `provider = pcorder`, the order resource goes to the official
	// provider, which has no such type: the guide says so, the CLI agrees.
	without := strings.Replace(string(example), "provider = pcorder", "", 1)
	if without == string(example) {
		t.Fatal("the example has no `provider = pcorder` line")
	}
	besideWrite(t, filepath.Join(work, "main.tf"), without)
	out, err = run("validate", "-json", "-no-color")
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		t.Fatalf("validate without `provider = pcorder`: %v, want a failure\n%s", err, out)
	}
	var validation struct {
		Diagnostics []struct {
			Summary string `json:"summary"`
			Detail  string `json:"detail"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal(out, &validation); err != nil {
		t.Fatalf("validate -json: %v\n%s", err, out)
	}
	found := false
	for _, d := range validation.Diagnostics {
		if d.Summary == "Invalid resource type" && strings.Contains(d.Detail, `does not support resource type "alicloud_pc_occupancy_order"`) {
			found = true
		}
	}
	if !found {
		t.Errorf("validate without `provider = pcorder` did not say the official provider lacks the type:\n%s", out)
	}
}

// besideBuild builds the main package pkg (relative to this directory) into
// out.
func besideBuild(t *testing.T, out, pkg string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-o", out, pkg)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
}

func besideWrite(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// besideEnv is the process environment without anything that would make the
// CLI or the providers depend on the machine (Alibaba Cloud settings, a CLI
// configuration, reattached providers), plus rc as the CLI configuration and
// extra.
func besideEnv(rc string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "ALICLOUD_") || strings.HasPrefix(k, "ALIBABA_CLOUD_") ||
			k == "TF_CLI_CONFIG_FILE" || k == "TOFU_CLI_CONFIG_FILE" || k == "TF_REATTACH_PROVIDERS" || k == "TF_CLI_ARGS" || strings.HasPrefix(k, "TF_CLI_ARGS_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, append([]string{"TF_CLI_CONFIG_FILE=" + rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"}, extra...)...)
}

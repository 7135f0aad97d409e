package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

// TestAccProvider_traceLogHasNoSecrets runs a whole apply through the real
// Terraform CLI and the built provider binary with TF_LOG=TRACE, through
// throttling and a lost answer, and searches everything Terraform and the
// provider printed for the secret key, the security token and signatures.
func TestAccProvider_traceLogHasNoSecrets(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	tfBin := terraformCLI(t)
	const (
		key    = "LTAI5tSTSTEMPORARYKEY"
		secret = "sts-secret-V9q2Lm5Xw8Rt"
		token  = "CAIS-sts-security-token-Pk3Jd7Hs1Qa"
	)
	fake := fakealicloud.New(fakealicloud.Config{Credentials: map[string]fakealicloud.Credential{key: {AccessKeySecret: secret, SecurityToken: token}}})
	addr, err := fake.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	fake.AddPhysicalConnection(testPCID, testRegion, "Confirmed")
	fake.Inject(fakealicloud.Fault{Kind: fakealicloud.Throttle}, fakealicloud.Fault{Kind: fakealicloud.LoseResponse})

	dir := t.TempDir()
	plugins := providerPlugins(t)
	rc := filepath.Join(dir, "terraformrc")
	writeFile(t, rc, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", "pcorder/alicloud", plugins))
	work := filepath.Join(dir, "work")
	writeFile(t, filepath.Join(work, "main.tf"), fmt.Sprintf(`
terraform {
  required_providers {
    alicloud = { source = "pcorder/alicloud" }
  }
}
provider "alicloud" {
  protocol = "HTTP"
  endpoints {
    vpc        = %q
    bssopenapi = %q
  }
}
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = %q
}
`, addr, addr, testPCID))

	cmd := exec.Command(tfBin, "-chdir="+work, "apply", "-auto-approve", "-input=false", "-no-color")
	cmd.Env = append(os.Environ(),
		"TF_LOG=TRACE", "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"ALICLOUD_REGION="+testRegion, "ALICLOUD_ACCESS_KEY="+key, "ALICLOUD_SECRET_KEY="+secret, "ALICLOUD_SECURITY_TOKEN="+token,
	)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, tail(out))
	}
	log := string(out)

	reqs := fake.Requests()
	creates := 0
	for _, r := range reqs {
		if r.Action == client.ActionCreateOccupancyOrder {
			creates++
		}
	}
	if creates != 3 || len(fake.Orders()) != 1 {
		t.Fatalf("the fake saw %d create requests and holds %d orders, want 3 and 1", creates, len(fake.Orders()))
	}
	for _, r := range reqs {
		if r.SecurityToken != token {
			t.Fatalf("request %s carried token %q", r.RequestID, r.SecurityToken)
		}
	}
	// The log must be the real thing: the provider's attempt lines are in it.
	if n := strings.Count(log, "Alibaba Cloud API attempt"); n != len(reqs) {
		t.Fatalf("the trace log has %d attempt lines, want one per request the fake saw (%d):\n%s", n, len(reqs), tail(out))
	}
	for _, leak := range []struct {
		what string
		re   *regexp.Regexp
	}{
		{"the secret key", regexp.MustCompile(regexp.QuoteMeta(secret))},
		{"the security token", regexp.MustCompile(regexp.QuoteMeta(token))},
		{"an ACS3 signature", regexp.MustCompile(`Signature=[0-9a-fA-F]{32,}`)},
		{"an Authorization header value", regexp.MustCompile(`ACS3-HMAC-SHA256 Credential=`)},
	} {
		if loc := leak.re.FindStringIndex(log); loc != nil {
			t.Errorf("the TRACE log contains %s: ...%s...", leak.what, log[max(0, loc[0]-200):min(len(log), loc[1]+50)])
		}
	}
}

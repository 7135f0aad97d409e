package provider

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

// TestAccProvider_https orders over HTTPS, the default protocol, from a
// client that trusts the fake's throwaway certificate, and checks that a
// client that does not trust it stops at once without ordering.
func TestAccProvider_https(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	fake := fakealicloud.New(fakealicloud.Config{Credentials: map[string]fakealicloud.Credential{testAccessKey: {AccessKeySecret: testSecretKey}}})
	addr, certPEM, err := fake.StartTLS()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	fake.AddPhysicalConnection(testPCID, testRegion, "Confirmed")
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(certPEM) {
		t.Fatal("the fake's certificate does not parse")
	}
	trusting := client.NewHTTPClient()
	transport, ok := trusting.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("the client's transport is a %T", trusting.Transport)
	}
	transport.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}

	cfg := fmt.Sprintf(`
provider "alicloud" {
  region     = %q
  access_key = %q
  secret_key = %q
  endpoints {
    vpc        = %q
    bssopenapi = %q
  }
}
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = %q
}
`, testRegion, testAccessKey, testSecretKey, addr, addr, testPCID)

	for _, tc := range []struct {
		name    string
		client  *http.Client
		wantErr *regexp.Regexp
		orders  int
	}{
		{"trusted certificate", trusting, nil, 1},
		{"untrusted certificate", nil, words(`x509: certificate signed by unknown authority`), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(fake.Requests())
			e := &testEnv{t: t, fake: fake, addr: addr, env: map[string]string{}}
			e.opts = Options{HTTPClient: tc.client}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps:                    []resource.TestStep{{Config: cfg, ExpectError: tc.wantErr}},
				CheckDestroy:             e.checkOrderCount(tc.orders),
			})
			// An untrusted certificate is not retried: no request reached
			// the API's handler.
			if tc.wantErr != nil && len(fake.Requests()) != before {
				t.Fatalf("the fake received %d requests through an untrusted connection", len(fake.Requests())-before)
			}
		})
	}
}

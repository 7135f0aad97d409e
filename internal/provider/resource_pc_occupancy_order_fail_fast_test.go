package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccPCOccupancyOrder_failsFast: a setting no retry can mend stops the
// create at its first attempt, says nothing was placed, and names the
// setting; an endpoint that is never reached stops the create long before
// its timeout.
func TestAccPCOccupancyOrder_failsFast(t *testing.T) {
	skipUnlessAcc(t)
	for _, tc := range []struct {
		name     string
		opts     []envOption
		provider map[string]string
		want     *regexp.Regexp
		maxDials int64
	}{
		{
			name:     "HTTPS to a plain-HTTP port",
			provider: map[string]string{"protocol": `"HTTPS"`},
			want:     regexp.MustCompile(`(?s)Endpoint Does Not Speak HTTPS.*` + words(`No order was placed`).String() + `.*` + words(`Set protocol = "HTTP"`).String()),
			// One connection for each of the two circuit lookups (plan
			// and apply) and one for the create: no retries.
			maxDials: 3,
		},
		{
			name:     "HTTP to an HTTPS port",
			opts:     []envOption{withTLS()},
			provider: map[string]string{"protocol": `"HTTP"`},
			want:     regexp.MustCompile(`(?s)Endpoint Requires HTTPS.*` + words(`No order was placed`).String() + `.*` + words(`Remove protocol`).String()),
			maxDials: 3,
		},
		{
			name:     "connection refused",
			opts:     []envOption{withUnreachableAfter(time.Second)},
			provider: map[string]string{"endpoints": "{\n    vpc        = \"127.0.0.1:1\"\n    bssopenapi = \"127.0.0.1:1\"\n  }"},
			want:     regexp.MustCompile(`(?s)Endpoint Unreachable.*` + words(`No order was placed`).String() + `.*127\.0\.0\.1:1`),
			maxDials: 1000,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, tc.opts...)
			start := time.Now()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: e.providerBlock(tc.provider) + fmt.Sprintf(`
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = %q
  timeouts {
    create = "10m"
  }
}
`, testPCID),
					ExpectError: tc.want,
				}},
				CheckDestroy: func(*terraform.State) error {
					if n := len(e.fake.Orders()); n != 0 {
						return fmt.Errorf("the fake holds %d orders, want none", n)
					}
					if n := e.dials.Load(); n > tc.maxDials {
						return fmt.Errorf("the provider opened %d connections, want at most %d: it retried what no retry can mend", n, tc.maxDials)
					}
					return nil
				},
			})
			// Not a timing test: a stop at the 10-minute create timeout
			// would fail the suite's timeout long before this line.
			t.Logf("failed after %s", time.Since(start).Round(time.Millisecond))
		})
	}
}

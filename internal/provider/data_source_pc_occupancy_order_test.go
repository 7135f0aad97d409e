package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

const dataAddr = "data.alicloud_pc_occupancy_order.test"

// unpaidOrderWithData is an order left for payment and the data source
// reading it; extra goes into the data source.
func unpaidOrderWithData(extra string) string {
	return fmt.Sprintf(`
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = %q
  instance_charge_type   = "PrePaid"
  period                 = 2
  auto_pay               = false
}

data "alicloud_pc_occupancy_order" "test" {
  order_id = alicloud_pc_occupancy_order.test.order_id
  %s
}
`, testPCID, extra)
}

func TestAccPCOccupancyOrderDataSource_liveStatus(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	cfg := e.providerBlock(nil) + unpaidOrderWithData(fmt.Sprintf("physical_connection_id = %q", testPCID))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("payment_status"), knownvalue.StringExact("Unpaid")),
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("payment_time"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("subscription_type"), knownvalue.StringExact("Subscription")),
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("region"), knownvalue.StringExact(testRegion)),
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("currency"), knownvalue.StringExact("CNY")),
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("instance_ids"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(testPCID)})),
				},
				Check: func(*terraform.State) error {
					// The resource placed the order without auto-pay and
					// asked nothing; every question is the data source's.
					for _, id := range e.billingAsks() {
						if id != e.fake.Orders()[0].ID {
							return fmt.Errorf("GetOrderDetail asked for %s, want %s", id, e.fake.Orders()[0].ID)
						}
					}
					if len(e.billingAsks()) == 0 {
						return fmt.Errorf("the data source asked nothing")
					}
					e.fake.SetPaymentStatus(e.fake.Orders()[0].ID, fakealicloud.PaymentPaid)
					return nil
				},
			},
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("payment_status"), knownvalue.StringExact("Paid")),
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("payment_time"), knownvalue.StringRegexp(regexp.MustCompile(`^20\d\d-`))),
				},
				Check: e.checkOrderCount(1),
			},
		},
	})
}

func TestAccPCOccupancyOrderDataSource_errors(t *testing.T) {
	skipUnlessAcc(t)
	for _, tc := range []struct {
		name, config string
		want         *regexp.Regexp
	}{
		{"unknown order", `
data "alicloud_pc_occupancy_order" "test" {
  order_id = "999999999"
}`, regexp.MustCompile(`(?s)Occupancy Order Not Found.*999999999`)},
		{"order of another circuit", unpaidOrderWithData(fmt.Sprintf("physical_connection_id = %q", testPCID2)),
			regexp.MustCompile(`(?s)Order Is For Another Physical Connection.*` + testPCID2)},
		{"order ID not a number", `
data "alicloud_pc_occupancy_order" "test" {
  order_id = "ord-1"
}`, regexp.MustCompile(`must be the order's decimal number`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps:                    []resource.TestStep{{Config: e.providerBlock(nil) + tc.config, ExpectError: tc.want}},
			})
		})
	}
}

// TestAccPCOccupancyOrderDataSource_readTimeout: timeouts.read bounds a
// read whose answer is held back (for less than the default, so that only
// the configured timeout can end it), and the next read, answered at once,
// succeeds.
func TestAccPCOccupancyOrderDataSource_readTimeout(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.fake.InjectFor(fakealicloud.ActionGetOrderDetail, fakealicloud.Fault{Kind: fakealicloud.Slow, Delay: orderReadTimeout - 10*time.Second})
	cfg := e.providerBlock(nil) + unpaidOrderWithData(`timeouts {
    read = "1s"
  }`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Error Reading Occupancy Order.*timeouts\.read`),
			},
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("payment_status"), knownvalue.StringExact("Unpaid")),
				},
				Check: func(*terraform.State) error {
					// Two questions for the order: the one held back, which the
					// read gave up on, and the one answered.
					asks := e.requestsFor(fakealicloud.ActionGetOrderDetail)
					var slow int
					for _, r := range asks {
						if r.Params["OrderId"] != e.fake.Orders()[0].ID {
							return fmt.Errorf("GetOrderDetail asked for %s, want %s", r.Params["OrderId"], e.fake.Orders()[0].ID)
						}
						if r.Fault == fakealicloud.Slow.String() {
							slow++
						}
					}
					if len(asks) != 2 || slow != 1 {
						return fmt.Errorf("the fake received %d GetOrderDetail requests, %d of them held back; want 2 and 1", len(asks), slow)
					}
					return nil
				},
			},
		},
	})
}

// TestAccPCOccupancyOrderDataSource_checkBlock: in a check block, an unpaid
// order warns on every plan, and once paid it does not.
func TestAccPCOccupancyOrderDataSource_checkBlock(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e.cliProviderBlock()+fmt.Sprintf(`
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = %q
  instance_charge_type   = "PrePaid"
  period                 = 2
  auto_pay               = false
}

check "occupancy_fee_paid" {
  data "alicloud_pc_occupancy_order" "test" {
    order_id               = alicloud_pc_occupancy_order.test.order_id
    physical_connection_id = alicloud_pc_occupancy_order.test.physical_connection_id
  }

  assert {
    condition     = data.alicloud_pc_occupancy_order.test.payment_status == "Paid"
    error_message = "Occupancy order is ${data.alicloud_pc_occupancy_order.test.payment_status}."
  }
}
`, testPCID))
	out := w.apply()
	if !strings.Contains(out, "Occupancy order is Unpaid.") || !hasWarning(out, "Check block assertion failed") {
		t.Fatalf("the apply did not warn about the unpaid order:\n%s", out)
	}
	// A check block's data source is read on every plan, so the plan is
	// never "no changes"; it adds, changes and destroys nothing.
	out = w.mustRun("plan", "-input=false", "-no-color")
	if !strings.Contains(out, "Occupancy order is Unpaid.") || !strings.Contains(out, "0 to add, 0 to change, 0 to destroy") {
		t.Fatalf("the plan did not warn about the unpaid order, or plans a change:\n%s", out)
	}
	e.fake.SetPaymentStatus(e.fake.Orders()[0].ID, fakealicloud.PaymentPaid)
	out = w.mustRun("plan", "-input=false", "-no-color")
	if hasWarning(out, "Check block assertion failed") || !strings.Contains(out, "0 to add, 0 to change, 0 to destroy") {
		t.Fatalf("the plan still warns once the order is paid, or plans a change:\n%s", out)
	}
	if n := len(e.fake.Orders()); n != 1 {
		t.Fatalf("the fake holds %d orders, want 1", n)
	}
}

// hasWarning reports whether a CLI output carries a warning with summary.
func hasWarning(out, summary string) bool {
	for _, w := range providerWarnings(out) {
		if strings.Contains(w, summary) {
			return true
		}
	}
	return false
}

package provider

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

// paymentOrder is one auto-paid PrePaid order on testPCID.
var paymentOrder = fmt.Sprintf(`
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = %q
  instance_charge_type   = "PrePaid"
  period                 = 1
}
`, testPCID)

// billingAsks returns the OrderId of every GetOrderDetail the fake received.
func (e *testEnv) billingAsks() []string {
	var ids []string
	for _, r := range e.requestsFor(client.ActionGetOrderDetail) {
		ids = append(ids, r.Params["OrderId"])
	}
	return ids
}

// billingReads counts the billing requests the fake received: GetOrderDetail
// and QueryOrders.
func (e *testEnv) billingReads() int {
	return len(e.requestsFor(client.ActionGetOrderDetail)) + len(e.requestsFor(client.ActionQueryOrders))
}

// listedAll checks that every order the fake holds was created within the
// window of some QueryOrders it received.
func (e *testEnv) listedAll() error {
	queries := e.requestsFor(client.ActionQueryOrders)
	for _, o := range e.fake.BillingOrders() {
		created := o.CreateTime.UTC().Truncate(time.Second)
		if !slices.ContainsFunc(queries, func(r fakealicloud.Request) bool {
			from, err1 := time.Parse(time.RFC3339, r.Params["CreateTimeStart"])
			to, err2 := time.Parse(time.RFC3339, r.Params["CreateTimeEnd"])
			return err1 == nil && err2 == nil && !created.Before(from) && !created.After(to)
		}) {
			return fmt.Errorf("order %s, created %s, is in the window of none of the %d QueryOrders", o.ID, o.CreateTime, len(queries))
		}
	}
	return nil
}

// applyThenQuiet applies config through the CLI, then checks that the next
// plan is empty and sends nothing at all; it returns the apply's output.
func applyThenQuiet(t *testing.T, e *testEnv, config string, env ...string) string {
	t.Helper()
	w := newCLIWorkspace(t, config, env...)
	out := w.apply()
	if n := len(e.fake.Orders()); n != 1 {
		t.Fatalf("the fake holds %d orders, want 1:\n%s", n, out)
	}
	if !strings.Contains(w.mustRun("state", "list"), "alicloud_pc_occupancy_order.test") {
		t.Fatalf("the order is not in state after:\n%s", out)
	}
	before := len(e.fake.Requests())
	w.planIsEmpty()
	if after := len(e.fake.Requests()); after != before {
		t.Fatalf("the plan after the apply sent %d requests, want none", after-before)
	}
	return out
}

func TestAccPCOccupancyOrder_paymentPaid(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	out := applyThenQuiet(t, e, e.cliProviderBlock()+paymentOrder)
	if ws := providerWarnings(out); len(ws) != 0 {
		t.Fatalf("a paid order warned %q:\n%s", ws, out)
	}
	// One billing request: the list of the orders created about then, which
	// shows it.
	if n, got := len(e.requestsFor(client.ActionQueryOrders)), e.billingAsks(); n != 1 || len(got) != 0 {
		t.Fatalf("the payment check sent %d QueryOrders and GetOrderDetail for %v, want one QueryOrders alone", n, got)
	}
	if err := e.listedAll(); err != nil {
		t.Fatal(err)
	}
}

// TestAccPCOccupancyOrder_paymentListRefused: when QueryOrders is refused,
// for want of its RAM action or because the API (as an older reference
// has it) wants parameters the provider cannot know, the order is asked
// for alone, without a warning.
func TestAccPCOccupancyOrder_paymentListRefused(t *testing.T) {
	skipUnlessAcc(t)
	for _, tc := range []struct {
		name  string
		setup func(*fakealicloud.Server)
	}{
		{"no bss:DescribeOrderList", func(f *fakealicloud.Server) { f.Deny(client.ActionQueryOrders, "Forbidden.RAM") }},
		{"ProductCode required", func(f *fakealicloud.Server) { f.SetQueryOrdersRules(fakealicloud.QueryOrdersRequired) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			tc.setup(e.fake)
			out := applyThenQuiet(t, e, e.cliProviderBlock()+paymentOrder)
			if ws := providerWarnings(out); len(ws) != 0 {
				t.Fatalf("a paid order warned %q:\n%s", ws, out)
			}
			if n, got := len(e.requestsFor(client.ActionQueryOrders)), e.billingAsks(); n != 1 || len(got) != 1 || got[0] != e.fake.Orders()[0].ID {
				t.Fatalf("the payment check sent %d QueryOrders and GetOrderDetail for %v, want one of each, for order %s", n, got, e.fake.Orders()[0].ID)
			}
		})
	}
}

func TestAccPCOccupancyOrder_paymentCancelled(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.fake.SetBalanceSufficient(false)
	out := applyThenQuiet(t, e, e.cliProviderBlock()+paymentOrder)
	id := e.fake.Orders()[0].ID
	for _, want := range []string{"Warning: Occupancy Order Voided", id, "Cancelled", "balance", "set client_token to a value not used before"} {
		if !strings.Contains(unwrap(out), want) {
			t.Errorf("the apply's output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Error:") {
		t.Fatalf("a voided order failed the apply:\n%s", out)
	}
}

// TestAccPCOccupancyOrder_paymentUnpaidPastTheBound: an auto-paid order the
// billing system keeps Unpaid is asked about a bounded number of times and
// the apply succeeds; TestConfirmPayment_warnings checks the warning's text.
func TestAccPCOccupancyOrder_paymentUnpaidPastTheBound(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	var fake atomic.Pointer[fakealicloud.Server]
	e := newTestEnv(t, withPaymentWait(time.Second, 200*time.Millisecond), withFakeConfig(func(c *fakealicloud.Config) {
		c.OnRequest = func(r fakealicloud.Request) {
			if r.Action == client.ActionCreateOccupancyOrder && r.OrderID != "" {
				fake.Load().SetPaymentStatus(r.OrderID, fakealicloud.PaymentUnpaid)
			}
		}
	}))
	fake.Store(e.fake)
	// The CLI runs the built binary, which takes the bounds from Options'
	// defaults; the unit of this test is the in-process provider.
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.providerBlock(nil) + paymentOrder,
			Check: func(*terraform.State) error {
				if n := e.billingReads(); n < 2 || n > 7 {
					return fmt.Errorf("the billing API was asked %d times in a 1 s bound polled every 200 ms, want 2-7", n)
				}
				return e.checkOrderCount(1)(nil)
			},
		}},
	})
}

func TestAccPCOccupancyOrder_paymentLagThenPaid(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t, withPaymentWait(20*time.Second, 200*time.Millisecond))
	e.fake.SetBillingLag(700 * time.Millisecond)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.providerBlock(nil) + paymentOrder,
			Check: func(*terraform.State) error {
				if n := e.billingReads(); n < 2 || n > 10 {
					return fmt.Errorf("the billing API was asked %d times across a 700 ms lag, want 2-10", n)
				}
				return e.checkOrderCount(1)(nil)
			},
		}},
	})
}

func TestAccPCOccupancyOrder_paymentForbidden(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.fake.SetBillingMode(fakealicloud.BillingForbidden)
	out := applyThenQuiet(t, e, e.cliProviderBlock()+paymentOrder)
	for _, want := range []string{"Warning: Occupancy Order Payment Not Checked", "bss:DescribeOrderDetail", "Forbidden.RAM", "skip_payment_check", e.fake.Orders()[0].ID} {
		if !strings.Contains(out, want) {
			t.Errorf("the apply's output lacks %q:\n%s", want, out)
		}
	}
}

// TestAccPCOccupancyOrder_paymentNotAsked: no billing request without
// auto-pay, nor when the check is switched off in the block or the
// environment.
func TestAccPCOccupancyOrder_paymentNotAsked(t *testing.T) {
	skipUnlessAcc(t)
	for _, tc := range []struct {
		name, extra, resource string
		env                   []string
	}{
		{"auto_pay false", "", strings.Replace(paymentOrder, "period", "auto_pay = false\n  period", 1), nil},
		{"skip_payment_check", "  skip_payment_check = true", paymentOrder, nil},
		{"ALICLOUD_SKIP_PAYMENT_CHECK", "", paymentOrder, []string{"ALICLOUD_SKIP_PAYMENT_CHECK=true"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			out := applyThenQuiet(t, e, e.cliProviderBlock(tc.extra)+tc.resource, tc.env...)
			if n := e.billingReads(); n != 0 {
				t.Fatalf("the billing API was asked %d times, want none:\n%s", n, out)
			}
			if ws := providerWarnings(out); len(ws) != 0 {
				t.Fatalf("unexpected warnings %q:\n%s", ws, out)
			}
		})
	}
}

// TestAccPCOccupancyOrder_hundredOrdersPaymentChecked: the creates share
// their billing questions (lists of the orders created about then, which
// show every order) and never place a second order.
func TestAccPCOccupancyOrder_hundredOrdersPaymentChecked(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.addCircuits(100)
	cfg := e.providerBlock(nil) + `
resource "alicloud_pc_occupancy_order" "test" {
  count                  = 100
  physical_connection_id = ` + bulkCircuit + `
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(*terraform.State) error {
				if err := e.checkOrderCount(100)(nil); err != nil {
					return err
				}
				if asks := e.billingAsks(); len(asks) != 0 {
					return fmt.Errorf("GetOrderDetail was asked about %d orders, want none: the lists show every one", len(asks))
				}
				if n := len(e.requestsFor(client.ActionQueryOrders)); n >= 100 {
					return fmt.Errorf("%d QueryOrders for 100 orders: the creates did not share them", n)
				}
				return e.listedAll()
			},
		}},
	})
}

// TestConfirmPayment_warnings runs the create's payment check against the
// fake for each answer the billing API can give: only warnings, each
// naming the order and what to do.
func TestConfirmPayment_warnings(t *testing.T) {
	const pcID = testPCID
	for _, tc := range []struct {
		name  string
		setup func(*fakealicloud.Server, string)
		want  []string // in the one warning; none when empty
	}{
		{"paid", nil, nil},
		{"cancelled", func(f *fakealicloud.Server, id string) { f.SetPaymentStatus(id, fakealicloud.PaymentCancelled) },
			[]string{"Occupancy Order Voided", "balance", "set client_token to a value not used before"}},
		{"canceled, as the SDK spells it", func(f *fakealicloud.Server, id string) {
			f.SetPaymentSpelling(fakealicloud.PaymentSpellingSDK)
			f.SetPaymentStatus(id, fakealicloud.PaymentCancelled)
		}, []string{"Occupancy Order Voided", "canceled"}},
		{"Canceled, with one l", func(f *fakealicloud.Server, id string) {
			f.SetPaymentSpelling(fakealicloud.PaymentSpellingCanceled)
			f.SetPaymentStatus(id, fakealicloud.PaymentCancelled)
		}, []string{"Occupancy Order Voided", "Canceled"}},
		{"paid, in lower case", func(f *fakealicloud.Server, _ string) { f.SetPaymentSpelling(fakealicloud.PaymentSpellingSDK) }, nil},
		{"Success false", func(f *fakealicloud.Server, _ string) {
			f.SetOrderDetailFailure("InternalError.Billing", "The billing system failed.")
		},
			[]string{"Occupancy Order Payment Not Checked", "InternalError.Billing"}},
		{"unpaid", func(f *fakealicloud.Server, id string) { f.SetPaymentStatus(id, fakealicloud.PaymentUnpaid) },
			[]string{"Occupancy Order Not Paid", "Unpaid", "balance", "check block"}},
		{"not shown within the bound", func(f *fakealicloud.Server, _ string) { f.SetBillingLag(time.Hour) },
			[]string{"Occupancy Order Payment Not Confirmed", "did not show it within"}},
		{"QueryOrders denied", func(f *fakealicloud.Server, _ string) { f.Deny(client.ActionQueryOrders, "Forbidden.RAM") }, nil},
		{"QueryOrders wants ProductCode", func(f *fakealicloud.Server, _ string) { f.SetQueryOrdersRules(fakealicloud.QueryOrdersRequired) }, nil},
		{"forbidden", func(f *fakealicloud.Server, _ string) { f.SetBillingMode(fakealicloud.BillingForbidden) },
			[]string{"Occupancy Order Payment Not Checked", "bss:DescribeOrderDetail", "skip_payment_check"}},
		{"billing unreachable", func(f *fakealicloud.Server, _ string) { f.Close() },
			[]string{"Occupancy Order Payment Not Checked", "could not be asked"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, withPaymentWait(300*time.Millisecond, 100*time.Millisecond))
			c := e.unitClient(t)
			sent := time.Now()
			order, err := c.CreateOccupancyOrder(t.Context(), client.OccupancyOrderInput{PhysicalConnectionID: pcID, AutoPay: true,
				InstanceChargeType: client.ChargeTypePostPaid, ClientToken: "payment-" + tc.name})
			if err != nil {
				t.Fatal(err)
			}
			if tc.setup != nil {
				tc.setup(e.fake, order.OrderID)
			}
			r := &pcOccupancyOrderResource{data: &providerData{client: c, region: testRegion, payments: c.NewPaymentWatcher(),
				paymentWait: e.opts.PaymentWait, paymentPoll: e.opts.PaymentPoll}}
			var diags diag.Diagnostics
			placed := client.PlacedOrder{ID: order.OrderID, Sent: sent, Answered: time.Now()}
			r.confirmPayment(t.Context(), &diags, placed, client.OccupancyOrderInput{PhysicalConnectionID: pcID, AutoPay: true, ClientToken: "payment-" + tc.name})
			if diags.HasError() {
				t.Fatalf("the payment check returned an error: %v", diags)
			}
			if len(tc.want) == 0 {
				if diags.WarningsCount() != 0 {
					t.Fatalf("warnings %v, want none", diags)
				}
				return
			}
			if diags.WarningsCount() != 1 {
				t.Fatalf("diagnostics %v, want one warning", diags)
			}
			w := diags.Warnings()[0]
			text := w.Summary() + ": " + w.Detail()
			for _, want := range append(tc.want, order.OrderID, pcID, "alicloud_pc_occupancy_order data source") {
				if want == "alicloud_pc_occupancy_order data source" && strings.Contains(tc.name, "anceled") || tc.name == "cancelled" {
					continue
				}
				if !strings.Contains(text, want) {
					t.Errorf("the warning lacks %q:\n%s", want, text)
				}
			}
		})
	}
}

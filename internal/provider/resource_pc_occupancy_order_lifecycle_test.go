package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

// orderOn is a configuration of one order on circuit pc, for the CLI tests.
func (e *testEnv) orderOn(pc string, extra ...string) string {
	return e.cliProviderBlock() + fmt.Sprintf(`
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = %q
  instance_charge_type   = "PrePaid"
  period                 = 1
%s
}
`, pc, strings.Join(extra, "\n"))
}

// TestAccPCOccupancyOrder_waitingCircuitsTurnEnabled: a circuit waiting for
// payment, Confirmed or Complete, takes the order with no warning, and the
// create follows it until it is Enabled.
func TestAccPCOccupancyOrder_waitingCircuitsTurnEnabled(t *testing.T) {
	skipUnlessAcc(t)
	for _, status := range []string{fakealicloud.StatusConfirmed, fakealicloud.StatusComplete} {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			const pc = "pc-waitingforpayment01"
			e.fake.AddPhysicalConnection(pc, testRegion, status)
			w := newCLIWorkspace(t, e.orderOn(pc))
			out := w.apply()
			if ws := providerWarnings(out); len(ws) != 0 {
				t.Fatalf("an order on a %s circuit warned %q:\n%s", status, ws, out)
			}
			if got, _ := e.fake.PhysicalConnectionStatus(pc); got != fakealicloud.StatusEnabled {
				t.Fatalf("the circuit is %q after the apply, want Enabled", got)
			}
			// After the create: the payment, then lookups of the circuit
			// until it showed Enabled.
			reqs := e.fake.Requests()
			var after []string
			for i, r := range reqs {
				if r.Action == client.ActionCreateOccupancyOrder {
					for _, later := range reqs[i+1:] {
						after = append(after, later.Action)
					}
				}
			}
			if len(after) < 2 || after[0] != client.ActionQueryOrders || after[len(after)-1] != client.ActionDescribePhysicalConnections {
				t.Fatalf("after the create the provider sent %v, want QueryOrders, then DescribePhysicalConnections until Enabled", after)
			}
			if n := len(e.fake.Orders()); n != 1 {
				t.Fatalf("%d orders, want 1", n)
			}
			w.planIsEmpty()
		})
	}
}

// TestAccPCOccupancyOrder_paidNeverEnabled: a paid order whose circuit is
// not Enabled by the bound stays in state (a warning, tested in
// TestFollowCircuit_warnings), and the next plan is empty.
func TestAccPCOccupancyOrder_paidNeverEnabled(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t, withPaymentWait(time.Second, 200*time.Millisecond))
	e.fake.SetEnableLag(time.Hour)
	cfg := e.config(fmt.Sprintf("physical_connection_id = %q\ninstance_charge_type = \"PrePaid\"\nperiod = 1", testPCID))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: cfg, Check: func(*terraform.State) error {
				if n := e.lookups(); n < 2 {
					return fmt.Errorf("%d DescribePhysicalConnections, want the plan's and at least one after the order", n)
				}
				return e.checkOrderCount(1)(nil)
			}},
			{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

// TestFollowCircuit_warnings: what the follow-up says when the circuit is
// not Enabled by the bound.
func TestFollowCircuit_warnings(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.fake.SetPhysicalConnectionStatus(testPCID, fakealicloud.StatusConfirmed)
	c := e.unitClient(t)
	r := &pcOccupancyOrderResource{data: &providerData{client: c, region: testRegion, watcher: c.NewCircuitWatcher(),
		paymentWait: 300 * time.Millisecond, paymentPoll: 50 * time.Millisecond}}
	var diags diag.Diagnostics
	r.followCircuit(t.Context(), &diags, "203167309740138", testPCID)
	if diags.HasError() || diags.WarningsCount() != 1 {
		t.Fatalf("diagnostics %v, want one warning", diags)
	}
	w := diags.Warnings()[0]
	text := w.Summary() + ": " + w.Detail()
	for _, want := range []string{"Physical Connection Not Enabled Yet", testPCID, "203167309740138", `"Confirmed"`} {
		if !strings.Contains(text, want) {
			t.Errorf("the warning lacks %q:\n%s", want, text)
		}
	}
}

// TestAccPCOccupancyOrder_circuitNotWaiting: an Enabled circuit and one
// under construction warn at plan; the apply's refusal is explained, and
// nothing is in state.
func TestAccPCOccupancyOrder_circuitNotWaiting(t *testing.T) {
	skipUnlessAcc(t)
	for _, tc := range []struct{ status, warning, code string }{
		{fakealicloud.StatusEnabled, "Warning: Physical Connection Already Enabled", "Forbidden.NotAllowedInState"},
		{fakealicloud.StatusAllocating, "Warning: Physical Connection Not Ready For An Order", "IncorrectStatus.PhysicalConnection"},
	} {
		t.Run(tc.status, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			const pc = "pc-notwaiting00000001"
			e.fake.AddPhysicalConnection(pc, testRegion, tc.status)
			w := newCLIWorkspace(t, e.orderOn(pc))
			out, code := w.run("apply", "-auto-approve", "-input=false", "-no-color")
			if code == 0 {
				t.Fatalf("the apply on a %s circuit succeeded:\n%s", tc.status, out)
			}
			flat := unwrap(out)
			for _, want := range []string{tc.warning, "Error: Physical Connection Not Waiting For Payment", tc.code, "Confirmed", "No order was placed"} {
				if !strings.Contains(flat, want) {
					t.Errorf("the output lacks %q:\n%s", want, out)
				}
			}
			if ids := w.stateOrderIDs(); len(ids) != 0 {
				t.Errorf("state holds %v after a refused order", ids)
			}
			if n := len(e.fake.Orders()); n != 0 {
				t.Errorf("%d orders, want none", n)
			}
		})
	}
}

// TestAccPCOccupancyOrder_transientAnswers: each transient VPC answer is
// retried with the same token: one order, one token.
func TestAccPCOccupancyOrder_transientAnswers(t *testing.T) {
	skipUnlessAcc(t)
	for _, code := range fakealicloud.TransientCodes {
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			e.fake.InjectTransient(code, 2)
			token := tokenOf("PostPaid", 0, "")
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: e.config(fmt.Sprintf("physical_connection_id = %q", testPCID)),
					Check:  resource.ComposeAggregateTestCheckFunc(e.checkOrderCount(1), e.checkRequestCount(3), e.checkOneToken(token)),
				}},
			})
		})
	}
}

// TestAccPCOccupancyOrder_documentedCreateErrors: each error the reference
// documents for the create gets a diagnostic that names what to do.
func TestAccPCOccupancyOrder_documentedCreateErrors(t *testing.T) {
	skipUnlessAcc(t)
	for code, want := range map[string]string{
		client.CodeChargeTypeMalformed:       `instance_charge_type = "PrePaid"`,
		client.CodePeriodMalformed:           `Set period to 1-9 with pricing_cycle = "Month", or 1-5 with "Year"`,
		client.CodePricingCycleMalformed:     `Set pricing_cycle = "Month" or "Year"`,
		client.CodeNotAllowedInState:         "only while the circuit waits for payment",
		client.CodeIncorrectConnectionStatus: "only while the circuit waits for payment",
		client.CodeInstanceStatusNotAllow:    "business status",
		client.CodeStatusValueNotSupported:   "present status",
		client.CodeInstanceNotExist:          "has no record of physical connection",
		client.CodeRegionNotFound:            "Check the provider's region",
		client.CodePriceNotFound:             "has no price for this circuit",
		client.CodeConnectionNotFound:        "Check physical_connection_id",
	} {
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			e.fake.InjectFor(client.ActionCreateOccupancyOrder, fakealicloud.Fault{Kind: fakealicloud.Answer, Code: code})
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config:      e.config(fmt.Sprintf("physical_connection_id = %q\ninstance_charge_type = \"PrePaid\"\nperiod = 1", testPCID)),
					ExpectError: regexp.MustCompile(`(?s)` + regexp.QuoteMeta(code) + `.*` + words(want).String() + `.*No[\s│]+order[\s│]+was[\s│]+placed`),
				}},
			})
			if n := len(e.fake.Orders()); n != 0 {
				t.Errorf("%d orders after %s, want none", n, code)
			}
		})
	}
}

// TestAccPCOccupancyOrder_postPaidRefused: an API that takes only PrePaid,
// as the current reference lists, is answered with what to set.
func TestAccPCOccupancyOrder_postPaidRefused(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.fake.SetPostPaidRefused(true)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:      e.config(fmt.Sprintf("physical_connection_id = %q", testPCID)),
			ExpectError: regexp.MustCompile(`(?s)Charge Type Refused.*` + words(`set instance_charge_type = "PrePaid"`).String()),
		}},
	})
	if n := len(e.fake.Orders()); n != 0 {
		t.Errorf("%d orders, want none", n)
	}
}

// TestAccPCOccupancyOrder_unlistedCircuitFoundByID: a circuit the region's
// listing leaves out (created a moment ago) is found by its ID, so the
// plan does not fail.
func TestAccPCOccupancyOrder_unlistedCircuitFoundByID(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	for i := range 12 {
		e.fake.AddPhysicalConnection(fmt.Sprintf("pc-listed%03d", i), testRegion, fakealicloud.StatusConfirmed)
	}
	e.fake.SetUnlisted("pc-listed007", true)
	w := newCLIWorkspace(t, e.cliProviderBlock()+`
resource "alicloud_pc_occupancy_order" "test" {
  count                  = 12
  physical_connection_id = format("pc-listed%03d", count.index)
}
`)
	out := w.mustRun("plan", "-input=false", "-no-color")
	if !strings.Contains(out, "12 to add") || strings.Contains(out, "Not Found") {
		t.Fatalf("the plan did not find every circuit:\n%s", out)
	}
	// The listing never shows it, so only a lookup filtered by its ID can
	// have found it: alone, after a listing missed it, or in a batch of
	// filters, as the plan's timing decides (TestCircuitLookup_aMissIsAskedAgainAlone
	// covers the first).
	var byID bool
	for _, r := range e.requestsFor(client.ActionDescribePhysicalConnections) {
		if r.Params["Filter.1.Key"] != "PhysicalConnectionId" {
			continue
		}
		for k, v := range r.Params {
			if strings.HasPrefix(k, "Filter.1.Value.") && v == "pc-listed007" {
				byID = true
			}
		}
	}
	if !byID {
		t.Errorf("the unlisted circuit was not asked for by its ID: %+v", e.requestsFor(client.ActionDescribePhysicalConnections))
	}
}

// TestAccPCOccupancyOrder_importIntoAnotherCircuit: an import whose circuit
// differs from the configuration's fails the plan, naming both.
func TestAccPCOccupancyOrder_importIntoAnotherCircuit(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e.cliProviderBlock()+fmt.Sprintf(`
import {
  to = alicloud_pc_occupancy_order.test
  id = "%s:203167309740999"
}
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = %q
}
`, testPCID, testPCID2))
	out, code := w.run("apply", "-auto-approve", "-input=false", "-no-color")
	if code == 0 {
		t.Fatalf("an import into another circuit was applied:\n%s", out)
	}
	flat := unwrap(out)
	for _, want := range []string{"Error: Imported Order Is For Another Physical Connection", "imported for physical connection " + testPCID, "the configuration says " + testPCID2} {
		if !strings.Contains(flat, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if len(e.fake.Requests()) != 0 {
		t.Errorf("the plan sent %d requests, want none", len(e.fake.Requests()))
	}
}

// TestAccPCOccupancyOrder_rejectedCredentialsFailThePlan: credentials the
// API refuses fail the plan, before any approval and with no create.
func TestAccPCOccupancyOrder_rejectedCredentialsFailThePlan(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	cfg := strings.Replace(e.orderOn(testPCID), testSecretKey, "not-the-secret", 1)
	w := newCLIWorkspace(t, cfg)
	out, code := w.run("plan", "-input=false", "-no-color")
	if code == 0 {
		t.Fatalf("a plan with a wrong secret succeeded:\n%s", out)
	}
	flat := unwrap(out)
	for _, want := range []string{"Error: Credentials Rejected", "SignatureDoesNotMatch", "secret_key"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(flat, "Circuit Check Skipped") {
		t.Errorf("rejected credentials were also reported as a skipped check:\n%s", out)
	}
	if n := len(e.createRequests()); n != 0 {
		t.Errorf("%d creates, want none", n)
	}
}

// TestFollowOrder_orderNotNew: a token that answers an order the billing
// system dates before the create, or one this process removed from state,
// is reported as not new, naming the order and the token.
func TestFollowOrder_orderNotNew(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		removed bool
		started time.Time
	}{
		{"dated before the create", false, time.Now().Add(time.Hour)},
		{"removed from state by this apply", true, time.Now()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			c := e.unitClient(t)
			in := client.OccupancyOrderInput{PhysicalConnectionID: testPCID, AutoPay: true, InstanceChargeType: client.ChargeTypePostPaid, ClientToken: "tok-not-new"}
			order, err := c.CreateOccupancyOrder(t.Context(), in)
			if err != nil {
				t.Fatal(err)
			}
			r := &pcOccupancyOrderResource{data: &providerData{client: c, region: testRegion, checkPayment: true, payments: c.NewPaymentWatcher(),
				paymentWait: time.Second, paymentPoll: 50 * time.Millisecond, orderAgeSlack: time.Minute}}
			if tc.removed {
				r.data.removed.claim(order.OrderID)
			}
			var diags diag.Diagnostics
			r.followOrder(t.Context(), &diags, order.OrderID, in, tc.started)
			var text string
			for _, w := range diags.Warnings() {
				if w.Summary() == "Occupancy Order Not New" {
					text = w.Detail()
				}
			}
			for _, want := range []string{order.OrderID, "tok-not-new", "set client_token to a value not used before"} {
				if !strings.Contains(text, want) {
					t.Errorf("the Not New warning lacks %q: %v", want, diags)
				}
			}
			if diags.HasError() {
				t.Errorf("errors %v, want warnings only", diags)
			}
		})
	}
	// A new order is not reported.
	e := newTestEnv(t)
	c := e.unitClient(t)
	in := client.OccupancyOrderInput{PhysicalConnectionID: testPCID, AutoPay: true, InstanceChargeType: client.ChargeTypePostPaid, ClientToken: "tok-new"}
	started := time.Now()
	order, err := c.CreateOccupancyOrder(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	r := &pcOccupancyOrderResource{data: &providerData{client: c, region: testRegion, checkPayment: true, payments: c.NewPaymentWatcher(),
		paymentWait: time.Second, paymentPoll: 50 * time.Millisecond, orderAgeSlack: time.Minute}}
	var diags diag.Diagnostics
	r.followOrder(t.Context(), &diags, order.OrderID, in, started)
	for _, w := range diags.Warnings() {
		if w.Summary() == "Occupancy Order Not New" {
			t.Errorf("a new order was reported as not new: %s", w.Detail())
		}
	}
}

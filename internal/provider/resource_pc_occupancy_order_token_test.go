package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
)

// tokenOf is the client token the provider derives for an auto-paid order
// on testPCID in the test region; period 0 and cycle "" stand for null.
func tokenOf(chargeType string, period int64, cycle string) string {
	m := pcOccupancyOrderModel{
		PhysicalConnectionID: types.StringValue(testPCID), AutoPay: types.BoolValue(true), InstanceChargeType: types.StringValue(chargeType),
		Period: types.Int64Null(), PricingCycle: types.StringNull(), AutoRenew: types.BoolNull(), AutoRenewDuration: types.Int64Null(),
	}
	if period != 0 {
		m.Period = types.Int64Value(period)
	}
	if cycle != "" {
		m.PricingCycle = types.StringValue(cycle)
	}
	token, ok := derivedToken(testRegion, m.tokenInputs())
	if !ok {
		panic("tokenOf: an input is unknown")
	}
	return token
}

// tokenForParams is the token the provider derives for the order whose
// other parameters the fake recorded (an absent parameter was null).
func tokenForParams(p map[string]string) string {
	m := pcOccupancyOrderModel{
		PhysicalConnectionID: types.StringValue(p["PhysicalConnectionId"]), AutoPay: types.BoolValue(p["AutoPay"] == "true"),
		InstanceChargeType: types.StringValue(p["InstanceChargeType"]),
		Period:             types.Int64Null(), PricingCycle: types.StringNull(), AutoRenew: types.BoolNull(), AutoRenewDuration: types.Int64Null(),
	}
	if v, ok := p["Period"]; ok {
		n, _ := strconv.ParseInt(v, 10, 64)
		m.Period = types.Int64Value(n)
	}
	if v, ok := p["PricingCycle"]; ok {
		m.PricingCycle = types.StringValue(v)
	}
	if v, ok := p["AutoRenew"]; ok {
		m.AutoRenew = types.BoolValue(v == "true")
	}
	if v, ok := p["AutoRenewDuration"]; ok {
		n, _ := strconv.ParseInt(v, 10, 64)
		m.AutoRenewDuration = types.Int64Value(n)
	}
	token, _ := derivedToken(testRegion, m.tokenInputs())
	return token
}

var derivedTokenPattern = regexp.MustCompile(`^tf1-[0-9a-f]{32}$`)

func TestDerivedToken_stableAndSensitive(t *testing.T) {
	base := tokenOf("PrePaid", 3, "Month")
	if !derivedTokenPattern.MatchString(base) || len(base) > 64 {
		t.Fatalf("derived token %q is not tf1- and 32 hex digits", base)
	}
	if again := tokenOf("PrePaid", 3, "Month"); again != base {
		t.Fatalf("the same order derived %q, then %q", base, again)
	}
	m := pcOccupancyOrderModel{
		PhysicalConnectionID: types.StringValue(testPCID), AutoPay: types.BoolValue(true), InstanceChargeType: types.StringValue("PrePaid"),
		Period: types.Int64Value(3), PricingCycle: types.StringValue("Month"), AutoRenew: types.BoolNull(), AutoRenewDuration: types.Int64Null(),
	}
	changes := map[string]func(m *pcOccupancyOrderModel){
		"physical_connection_id": func(m *pcOccupancyOrderModel) { m.PhysicalConnectionID = types.StringValue(testPCID2) },
		"auto_pay":               func(m *pcOccupancyOrderModel) { m.AutoPay = types.BoolValue(false) },
		"instance_charge_type":   func(m *pcOccupancyOrderModel) { m.InstanceChargeType = types.StringValue("PostPaid") },
		"period":                 func(m *pcOccupancyOrderModel) { m.Period = types.Int64Value(4) },
		"pricing_cycle":          func(m *pcOccupancyOrderModel) { m.PricingCycle = types.StringValue("Year") },
		"auto_renew":             func(m *pcOccupancyOrderModel) { m.AutoRenew = types.BoolValue(false) },
		"auto_renew_duration":    func(m *pcOccupancyOrderModel) { m.AutoRenewDuration = types.Int64Value(1) },
	}
	seen := map[string]string{base: "the base order"}
	for name, change := range changes {
		changed := m
		change(&changed)
		token, ok := derivedToken(testRegion, changed.tokenInputs())
		if !ok {
			t.Fatalf("%s: no token", name)
		}
		if other, dup := seen[token]; dup {
			t.Errorf("changing %s derives the token of %s", name, other)
		}
		seen[token] = "a change of " + name
	}
	if other, _ := derivedToken(testRegion2, m.tokenInputs()); other == base {
		t.Error("another region derives the same token")
	}
	unknown := m
	unknown.Period = types.Int64Unknown()
	if _, ok := derivedToken(testRegion, unknown.tokenInputs()); ok {
		t.Error("an unknown period derived a token")
	}

	// Every argument whose change places a new order, but client_token
	// itself, is an input of the token: the schema's list and this one
	// cannot drift apart.
	var resp fwresource.SchemaResponse
	(&pcOccupancyOrderResource{}).Schema(context.Background(), fwresource.SchemaRequest{}, &resp)
	var replacing []string
	for name, a := range resp.Schema.Attributes {
		if name != "client_token" && placesNewOrder(a) {
			replacing = append(replacing, name)
		}
	}
	slices.Sort(replacing)
	inputs := make([]string, 0, len(changes))
	for name := range changes {
		inputs = append(inputs, name)
	}
	slices.Sort(inputs)
	if !slices.Equal(replacing, inputs) || len(m.tokenInputs()) != len(inputs) {
		t.Errorf("the arguments that place a new order are %v; the token's inputs are %v (%d values)", replacing, inputs, len(m.tokenInputs()))
	}
}

// placesNewOrder reports whether an attribute's plan modifiers replace the
// order when it changes.
func placesNewOrder(a schema.Attribute) bool {
	var descriptions []string
	switch a := a.(type) {
	case schema.StringAttribute:
		for _, m := range a.PlanModifiers {
			descriptions = append(descriptions, m.Description(context.Background()))
		}
	case schema.BoolAttribute:
		for _, m := range a.PlanModifiers {
			descriptions = append(descriptions, m.Description(context.Background()))
		}
	case schema.Int64Attribute:
		for _, m := range a.PlanModifiers {
			descriptions = append(descriptions, m.Description(context.Background()))
		}
	}
	return slices.Contains(descriptions, replaceUnlessImportedDescription)
}

// TestAccPCOccupancyOrder_tokenInPlan: the plan shows the derived token,
// the apply-time plan keeps it (Terraform fails an apply whose known
// planned value changes), and the create sends it.
func TestAccPCOccupancyOrder_tokenInPlan(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	want := tokenOf("PrePaid", 2, "Month")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(fmt.Sprintf("physical_connection_id = %q\ninstance_charge_type = \"PrePaid\"\nperiod = 2", testPCID)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("client_token"), knownvalue.StringExact(want)),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("client_token"), knownvalue.StringExact(want)),
			},
			Check: e.checkOneToken(want),
		}},
	})
}

// TestAccPCOccupancyOrder_tokenUnknownWithItsInputs: while a term is
// unknown at plan, so is the token; the apply derives it from the known
// value.
func TestAccPCOccupancyOrder_tokenUnknownWithItsInputs(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	cfg := e.providerBlock(nil) + fmt.Sprintf(`
resource "terraform_data" "period" {
  input = 3
}
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = %q
  instance_charge_type   = "PrePaid"
  period                 = terraform_data.period.output
}
`, testPCID)
	want := tokenOf("PrePaid", 3, "Month")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(resourceAddr, tfjsonpath.New("client_token")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("client_token"), knownvalue.StringExact(want)),
			},
			Check: e.checkOneToken(want),
		}},
	})
}

// TestAccPCOccupancyOrder_twoOrdersForOneCircuit: two resources on one
// circuit fail the plan, naming the circuit, and nothing is ordered.
func TestAccPCOccupancyOrder_twoOrdersForOneCircuit(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e.cliProviderBlock()+fmt.Sprintf(`
resource "alicloud_pc_occupancy_order" "test" {
  count                  = 2
  physical_connection_id = %q
}
`, testPCID))
	out, code := w.run("apply", "-auto-approve", "-input=false", "-no-color")
	if code == 0 {
		t.Fatalf("the apply of two orders for one circuit succeeded:\n%s", out)
	}
	flat := unwrap(out)
	for _, want := range []string{"Error: Two Orders For One Physical Connection", "two occupancy-fee orders for physical connection " + testPCID} {
		if !strings.Contains(flat, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if n := len(e.createRequests()); n != 0 {
		t.Errorf("the fake received %d creates, want none", n)
	}
}

// unwrap joins the lines of a CLI output's diagnostics, without their box
// drawing, so that a phrase the CLI wrapped can be found.
func unwrap(out string) string {
	var b strings.Builder
	for _, line := range strings.Split(out, "\n") {
		b.WriteString(strings.TrimSpace(strings.TrimLeft(line, "│╷╵ ")))
		b.WriteString(" ")
	}
	return b.String()
}

// TestAccPCOccupancyOrder_configuredTokenUnknownAtPlan: a client_token that
// is configured but unknown at plan is never replaced by a derived one.
func TestAccPCOccupancyOrder_configuredTokenUnknownAtPlan(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	cfg := e.providerBlock(nil) + fmt.Sprintf(`
resource "terraform_data" "token" {
  input = "token-from-elsewhere"
}
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = %q
  client_token           = terraform_data.token.output
}
`, testPCID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(resourceAddr, tfjsonpath.New("client_token")),
			}},
			Check: e.checkOneToken("token-from-elsewhere"),
		}},
	})
}

// TestDerivedToken_sameFromPlanAndModel: ModifyPlan reads the token's
// inputs from the plan by tokenAttributes, Create from the model by
// tokenInputs; both must read the same values in the same order.
func TestDerivedToken_sameFromPlanAndModel(t *testing.T) {
	ctx := context.Background()
	var resp fwresource.SchemaResponse
	(&pcOccupancyOrderResource{}).Schema(ctx, fwresource.SchemaRequest{}, &resp)
	m := pcOccupancyOrderModel{
		ID: types.StringUnknown(), OrderID: types.StringUnknown(), PhysicalConnectionID: types.StringValue(testPCID),
		AutoPay: types.BoolValue(true), InstanceChargeType: types.StringValue("PrePaid"), Period: types.Int64Value(3),
		PricingCycle: types.StringValue("Year"), AutoRenew: types.BoolValue(true), AutoRenewDuration: types.Int64Value(2),
		ClientToken: types.StringUnknown(), RequestID: types.StringUnknown(), RegionID: types.StringUnknown(),
		Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"create": types.StringType})},
	}
	plan := tfsdk.Plan{Schema: resp.Schema}
	if diags := plan.Set(ctx, &m); diags.HasError() {
		t.Fatal(diags)
	}
	got, diags := planValues(ctx, plan, tokenAttributes)
	if diags.HasError() {
		t.Fatal(diags)
	}
	want := m.tokenInputs()
	if len(got) != len(want) {
		t.Fatalf("read %d values, want %d", len(got), len(want))
	}
	for i := range want {
		if !got[i].Equal(want[i]) {
			t.Errorf("%s: read %s from the plan, the model has %s", tokenAttributes[i], got[i], want[i])
		}
	}
	a, _ := derivedToken(testRegion, got)
	b, _ := derivedToken(testRegion, want)
	if a != b {
		t.Errorf("token from the plan %s, from the model %s", a, b)
	}
}

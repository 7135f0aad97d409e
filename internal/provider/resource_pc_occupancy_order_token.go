package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// derivedTokenPrefix starts every client token the provider derives, so
// that a token in the billing console or a log can be told from one a user
// chose. The version digit changes only if the derivation ever must.
const derivedTokenPrefix = "tf1-"

// derivedToken returns the client token of an order whose client_token is
// not set: a hash of what identifies the order (the region, the circuit and
// every term sent with it), so that the same order asked again, by the
// apply after an interrupted one, carries the same token and the API
// answers with the order it already placed instead of placing another.
//
// The account is not part of it: it cannot be known without a request,
// and the API keeps client tokens per account, so two accounts never share
// one. ok is false while any input is unknown; the plan then shows the
// token as known after apply, and the apply-time plan, with every input
// known, derives it.
//
// Every argument of tokenInputs is an argument whose change places a new
// order (TestDerivedToken_coversEveryOrderArgument ties the two lists).
func derivedToken(region string, inputs []attr.Value) (token string, ok bool) {
	if region == "" {
		return "", false
	}
	h := sha256.New()
	h.Write([]byte(region))
	for _, v := range inputs {
		if v.IsUnknown() {
			return "", false
		}
		h.Write([]byte{0})
		h.Write([]byte(canonical(v)))
	}
	return derivedTokenPrefix + hex.EncodeToString(h.Sum(nil))[:32], true
}

// tokenInputs are the arguments that identify an order, in a fixed order:
// the attributes tokenAttributes names. A null value and its default are
// not the same input: the plan resolves defaults before the token is
// derived, so both apply-time and plan-time derivations see the resolved
// value.
func (m pcOccupancyOrderModel) tokenInputs() []attr.Value {
	return []attr.Value{m.PhysicalConnectionID, m.AutoPay, m.InstanceChargeType, m.Period, m.PricingCycle, m.AutoRenew, m.AutoRenewDuration}
}

// tokenAttributes names the attributes of tokenInputs, in its order
// (TestDerivedToken_sameFromPlanAndModel ties the two).
var tokenAttributes = []string{"physical_connection_id", "auto_pay", "instance_charge_type", "period", "pricing_cycle", "auto_renew", "auto_renew_duration"}

// planValues reads the attributes names of a plan. It decodes only those,
// where Plan.Get decodes the whole model through reflection (the framework
// compiles a regular expression per struct field on every call): ModifyPlan
// runs for every resource of every plan.
func planValues(ctx context.Context, p tfsdk.Plan, names []string) ([]attr.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	var obj map[string]tftypes.Value
	if err := p.Raw.As(&obj); err != nil {
		diags.AddError("Error Reading Plan", "The plan could not be read: "+err.Error()+". This is a bug in the provider; please report it.")
		return nil, diags
	}
	attrs := p.Schema.GetAttributes()
	out := make([]attr.Value, len(names))
	for i, name := range names {
		a, ok := attrs[name]
		if !ok {
			diags.AddError("Error Reading Plan", "The schema has no attribute "+name+". This is a bug in the provider; please report it.")
			return nil, diags
		}
		v, err := a.GetType().ValueFromTerraform(ctx, obj[name])
		if err != nil {
			diags.AddAttributeError(path.Root(name), "Error Reading Plan", "The plan's "+name+" could not be read: "+err.Error()+". This is a bug in the provider; please report it.")
			return nil, diags
		}
		out[i] = v
	}
	return out, diags
}

// canonical writes a known value so that no two different values (null
// included) write the same text.
func canonical(v attr.Value) string {
	if v.IsNull() {
		return "null"
	}
	switch v := v.(type) {
	case types.String:
		return "s" + strconv.Quote(v.ValueString())
	case types.Bool:
		return "b" + strconv.FormatBool(v.ValueBool())
	case types.Int64:
		return "i" + strconv.FormatInt(v.ValueInt64(), 10)
	}
	return "?" + strings.ReplaceAll(v.String(), "\x00", "")
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

// After an import, state holds only the IDs; the arguments are null there.
// The first plan must record the configuration's values in place: replacing
// the resource would buy a second order. Every other change of an argument,
// from null to a value included, places a new order.
const replaceUnlessImportedDescription = "Changing this value places a new order, except when recording the configuration's value after an import."

// importPending reports whether state is an import whose arguments have not
// been recorded yet: instance_charge_type, which every create and every
// recording sets, is still null.
func importPending(ctx context.Context, state tfsdk.State) bool {
	if state.Raw.IsNull() {
		return false
	}
	var chargeType types.String
	diags := state.GetAttribute(ctx, path.Root("instance_charge_type"), &chargeType)
	return !diags.HasError() && chargeType.IsNull()
}

func replaceStringUnlessImported() planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !importPending(ctx, req.State)
	}, replaceUnlessImportedDescription, replaceUnlessImportedDescription)
}

func replaceBoolUnlessImported() planmodifier.Bool {
	return boolplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.BoolRequest, resp *boolplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !importPending(ctx, req.State)
	}, replaceUnlessImportedDescription, replaceUnlessImportedDescription)
}

func replaceInt64UnlessImported() planmodifier.Int64 {
	return int64planmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.Int64Request, resp *int64planmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !importPending(ctx, req.State)
	}, replaceUnlessImportedDescription, replaceUnlessImportedDescription)
}

// pricingCycleDefault plans "Month" for a PrePaid order whose pricing_cycle
// is not configured, and nothing for a PostPaid one.
type pricingCycleDefault struct{}

var _ planmodifier.String = pricingCycleDefault{}

func (pricingCycleDefault) Description(context.Context) string {
	return "defaults to Month when instance_charge_type is PrePaid"
}

func (m pricingCycleDefault) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (pricingCycleDefault) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if !req.ConfigValue.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var chargeType types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("instance_charge_type"), &chargeType)...)
	switch {
	case chargeType.IsUnknown():
		resp.PlanValue = types.StringUnknown()
	case chargeType.ValueString() == client.ChargeTypePrePaid:
		resp.PlanValue = types.StringValue(client.CycleMonth)
	default:
		resp.PlanValue = types.StringNull()
	}
}

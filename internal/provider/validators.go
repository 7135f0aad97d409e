package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

// orderTermsValidator checks the rules that tie instance_charge_type,
// period and pricing_cycle together.
type orderTermsValidator struct{}

var _ resource.ConfigValidator = orderTermsValidator{}

func (orderTermsValidator) Description(context.Context) string {
	return "period and pricing_cycle are set only with instance_charge_type PrePaid, which requires period: 1-9 months or 1-5 years"
}

func (v orderTermsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (orderTermsValidator) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var chargeType, cycle types.String
	var period types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("instance_charge_type"), &chargeType)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("period"), &period)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("pricing_cycle"), &cycle)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if chargeType.IsNull() {
		chargeType = types.StringValue(client.ChargeTypePostPaid) // the schema default
	}
	resp.Diagnostics.Append(validateOrderTerms(chargeType, period, cycle)...)
}

// validateOrderTerms holds the cross-attribute rules. Unknown values are
// skipped; Create calls it again once every value is known.
func validateOrderTerms(chargeType types.String, period types.Int64, cycle types.String) diag.Diagnostics {
	var diags diag.Diagnostics
	if chargeType.IsUnknown() {
		return diags
	}
	switch chargeType.ValueString() {
	case client.ChargeTypePostPaid:
		if !period.IsNull() {
			diags.AddAttributeError(path.Root("period"), "Period Not Allowed With PostPaid",
				"period applies only to instance_charge_type = \"PrePaid\" (subscription); the API would ignore it for \"PostPaid\". "+
					"Remove period, or set instance_charge_type = \"PrePaid\".")
		}
		if !cycle.IsNull() && !cycle.IsUnknown() {
			diags.AddAttributeError(path.Root("pricing_cycle"), "Pricing Cycle Not Allowed With PostPaid",
				"pricing_cycle applies only to instance_charge_type = \"PrePaid\" (subscription); the API would ignore it for \"PostPaid\". "+
					"Remove pricing_cycle, or set instance_charge_type = \"PrePaid\".")
		}
	case client.ChargeTypePrePaid:
		if period.IsNull() {
			diags.AddAttributeError(path.Root("period"), "Missing Period",
				"instance_charge_type = \"PrePaid\" requires period: 1-9 when pricing_cycle is \"Month\" (the default), 1-5 when it is \"Year\".")
			return diags
		}
		if period.IsUnknown() || cycle.IsUnknown() {
			return diags
		}
		if cycle.ValueString() == client.CycleYear && (period.ValueInt64() < 1 || period.ValueInt64() > 5) {
			diags.AddAttributeError(path.Root("period"), "Invalid Period",
				fmt.Sprintf("period must be 1-5 when pricing_cycle is \"Year\", got %d. For a longer term, order by year up to 5.", period.ValueInt64()))
		}
		if cycle.ValueString() != client.CycleYear && (period.ValueInt64() < 1 || period.ValueInt64() > 9) {
			diags.AddAttributeError(path.Root("period"), "Invalid Period",
				fmt.Sprintf("period must be 1-9 when pricing_cycle is \"Month\", got %d. For 12 months or more, set pricing_cycle = \"Year\".", period.ValueInt64()))
		}
	}
	return diags
}

// endpointValidator accepts "host" or "host:port".
type endpointValidator struct{}

var _ validator.String = endpointValidator{}

func (endpointValidator) Description(context.Context) string {
	return "must be a host name with an optional port, without a scheme or path"
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := client.ValidateEndpoint(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Endpoint", err.Error()+".")
	}
}

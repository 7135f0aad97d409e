package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

// orderTermsValidator checks the rules that tie instance_charge_type,
// period, pricing_cycle, auto_renew and auto_renew_duration together.
type orderTermsValidator struct{}

var _ resource.ConfigValidator = orderTermsValidator{}

func (orderTermsValidator) Description(context.Context) string {
	return "period, pricing_cycle, auto_renew and auto_renew_duration are set only with instance_charge_type PrePaid, which requires period: " +
		"1-9 months or 1-5 years; auto_renew_duration requires auto_renew = true"
}

func (v orderTermsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (orderTermsValidator) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var t orderTerms
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("instance_charge_type"), &t.chargeType)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("period"), &t.period)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("pricing_cycle"), &t.cycle)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("auto_renew"), &t.autoRenew)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("auto_renew_duration"), &t.autoRenewDuration)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if t.chargeType.IsNull() {
		t.chargeType = types.StringValue(client.ChargeTypePostPaid) // the schema default
	}
	resp.Diagnostics.Append(t.validate()...)
}

// orderTerms are the arguments the cross-attribute rules tie together.
type orderTerms struct {
	chargeType, cycle types.String
	period            types.Int64
	autoRenew         types.Bool
	autoRenewDuration types.Int64
}

// Period ranges by pricing cycle, as Alibaba Cloud documents them.
const (
	maxMonths = 9
	maxYears  = 5
)

// validate reports each mistake once. Unknown values are skipped; Create
// calls it again once every value is known.
func (t orderTerms) validate() diag.Diagnostics {
	var diags diag.Diagnostics
	postPaid := !t.chargeType.IsUnknown() && t.chargeType.ValueString() == client.ChargeTypePostPaid
	notWithPostPaid := func(name string, v attr.Value) {
		if postPaid && !v.IsNull() {
			diags.AddAttributeError(path.Root(name), "Not Allowed With PostPaid",
				name+" applies only to instance_charge_type = \"PrePaid\" (subscription); the API would ignore it for \"PostPaid\". "+
					"Remove "+name+", or set instance_charge_type = \"PrePaid\".")
		}
	}
	notWithPostPaid("period", t.period)
	notWithPostPaid("pricing_cycle", t.cycle)
	notWithPostPaid("auto_renew", t.autoRenew)
	notWithPostPaid("auto_renew_duration", t.autoRenewDuration)
	if postPaid {
		return diags
	}

	prePaid := !t.chargeType.IsUnknown() && t.chargeType.ValueString() == client.ChargeTypePrePaid
	switch {
	case t.period.IsNull() && prePaid:
		diags.AddAttributeError(path.Root("period"), "Missing Period",
			fmt.Sprintf("instance_charge_type = \"PrePaid\" requires period: 1-%d when pricing_cycle is \"Month\" (the default), 1-%d when it is \"Year\".", maxMonths, maxYears))
	case t.period.IsNull() || t.period.IsUnknown():
	case t.cycle.IsUnknown() && (t.period.ValueInt64() < 1 || t.period.ValueInt64() > maxMonths):
		diags.AddAttributeError(path.Root("period"), "Invalid Period",
			fmt.Sprintf("period must be 1-%d when pricing_cycle is \"Month\" and 1-%d when it is \"Year\", got %d.", maxMonths, maxYears, t.period.ValueInt64()))
	case t.cycle.ValueString() == client.CycleYear && (t.period.ValueInt64() < 1 || t.period.ValueInt64() > maxYears):
		diags.AddAttributeError(path.Root("period"), "Invalid Period",
			fmt.Sprintf("period must be 1-%d when pricing_cycle is \"Year\", got %d. For a longer term, order by year up to %d.", maxYears, t.period.ValueInt64(), maxYears))
	case !t.cycle.IsUnknown() && t.cycle.ValueString() != client.CycleYear && (t.period.ValueInt64() < 1 || t.period.ValueInt64() > maxMonths):
		diags.AddAttributeError(path.Root("period"), "Invalid Period",
			fmt.Sprintf("period must be 1-%d when pricing_cycle is \"Month\", got %d. For 12 months or more, set pricing_cycle = \"Year\".", maxMonths, t.period.ValueInt64()))
	}

	if !t.autoRenewDuration.IsNull() && !t.autoRenew.IsUnknown() && !t.autoRenew.ValueBool() {
		diags.AddAttributeError(path.Root("auto_renew_duration"), "Auto-Renew Duration Without Auto-Renew",
			"auto_renew_duration is the length of each automatic renewal and needs auto_renew = true. Set auto_renew = true, or remove auto_renew_duration.")
	}
	return diags
}

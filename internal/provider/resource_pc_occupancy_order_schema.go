package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

const forcesNew = " Changing this places a new order; the old order is not cancelled."

func (r *pcOccupancyOrderResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Orders the **resource occupancy fee** of an Alibaba Cloud Express Connect physical connection " +
			"(VPC API `CreatePhysicalConnectionOccupancyOrder`, version 2016-04-28) and records the order ID.\n\n" +
			"An order cannot be changed or cancelled through the API. So every argument forces a new order when it changes, " +
			"reading the resource makes no API call, and destroying it only removes it from Terraform state: " +
			"the order itself stays in your Alibaba Cloud account and is billed as ordered.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The order ID, the same as `order_id`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"order_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the order Alibaba Cloud placed, as a decimal string with every digit kept.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"physical_connection_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the physical connection (circuit) whose occupancy fee is ordered: `pc-` followed by lower-case letters and digits, such as `pc-bp1hp0wr072f6ambni141`. " +
					"It must exist in the provider's region, in a state that allows the order: a plan that places an order checks this (see the provider's `skip_circuit_check`)." + forcesNew,
				Required: true,
				Validators: []validator.String{
					stringvalidator.RegexMatches(physicalConnectionIDPattern, "must be \"pc-\" followed by lower-case letters and digits, such as pc-bp1hp0wr072f6ambni141"),
				},
				PlanModifiers: []planmodifier.String{replaceStringUnlessImported()},
			},
			"auto_pay": schema.BoolAttribute{
				MarkdownDescription: "Whether to pay the order automatically from the account balance. Defaults to `true`, the API's documented default; " +
					"the provider always sends it explicitly. With `true`, make sure the balance is sufficient: otherwise an abnormal order is placed " +
					"that can only be voided. With `false`, the order waits for payment in the console." + forcesNew,
				Optional:      true,
				Computed:      true,
				Default:       booldefault.StaticBool(true),
				PlanModifiers: []planmodifier.Bool{replaceBoolUnlessImported()},
			},
			"instance_charge_type": schema.StringAttribute{
				MarkdownDescription: "The billing method: `PrePaid` (subscription) or `PostPaid` (pay-as-you-go). Defaults to `PostPaid`, the API's documented default; " +
					"the provider always sends it explicitly." + forcesNew,
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString(client.ChargeTypePostPaid),
				Validators:    []validator.String{stringvalidator.OneOf(client.ChargeTypePrePaid, client.ChargeTypePostPaid)},
				PlanModifiers: []planmodifier.String{replaceStringUnlessImported()},
			},
			"period": schema.Int64Attribute{
				MarkdownDescription: "The subscription length, in units of `pricing_cycle`: 1-9 for `Month`, 1-5 for `Year`. " +
					"Required with `instance_charge_type = \"PrePaid\"`; not allowed with `PostPaid`." + forcesNew,
				Optional:      true,
				PlanModifiers: []planmodifier.Int64{replaceInt64UnlessImported()},
			},
			"pricing_cycle": schema.StringAttribute{
				MarkdownDescription: "The unit of `period`: `Month` or `Year`. Only with `instance_charge_type = \"PrePaid\"`, where it defaults to `Month` " +
					"(and is then sent); not allowed with `PostPaid`." + forcesNew,
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{stringvalidator.OneOf(client.CycleMonth, client.CycleYear)},
				PlanModifiers: []planmodifier.String{pricingCycleDefault{}, replaceStringUnlessImported()},
			},
			"auto_renew": schema.BoolAttribute{
				MarkdownDescription: "Whether Alibaba Cloud renews the subscription automatically when it ends, so that the circuit does not stop at expiry. " +
					"Only with `instance_charge_type = \"PrePaid\"`; not allowed with `PostPaid`. Sent as `AutoRenew` only when set: " +
					"without it, the request is exactly what it was before this argument existed, and the API's default (no renewal) applies." + forcesNew,
				Optional:      true,
				PlanModifiers: []planmodifier.Bool{replaceBoolUnlessImported()},
			},
			"auto_renew_duration": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("The length of each automatic renewal, in months: %d-%d. Requires `auto_renew = true`; sent as `AutoRenewDuration` only when set "+
					"(the API then renews by 1 month). The API documents 0 to 2147483647, which is the range of its integer type, not a term it sells: "+
					"0 would renew nothing, and the provider accepts 1-%d months, the renewal terms Alibaba Cloud subscriptions offer, so that a term the API may refuse fails at plan time, "+
					"before anything is bought."+forcesNew, minRenewMonths, maxRenewMonths, maxRenewMonths),
				Optional:      true,
				Validators:    []validator.Int64{int64validator.Between(minRenewMonths, maxRenewMonths)},
				PlanModifiers: []planmodifier.Int64{replaceInt64UnlessImported()},
			},
			"client_token": schema.StringAttribute{
				MarkdownDescription: "The idempotency token sent as `ClientToken`: 1-64 printable ASCII characters. " +
					"When it is not set, the provider derives it from the provider's region, the circuit and every term of the order (`" + derivedTokenPrefix + "` and 32 hex digits), " +
					"shows it in the plan once those are known, and keeps it in state. So the same order, asked again, carries the same token: " +
					"every retry of one create, and the apply after an interrupted one, get back the order the API already placed instead of placing a second. " +
					"For the same reason a replacement with unchanged terms (`-replace`) buys nothing new: to place a new order with the same terms, " +
					"for example after a voided order, set this to a value not used before. States written by earlier versions keep their random token." + forcesNew,
				Optional: true,
				Computed: true,
				Validators: []validator.String{
					stringvalidator.LengthBetween(1, 64),
					stringvalidator.RegexMatches(clientTokenPattern, "must contain only printable ASCII characters"),
				},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), replaceStringUnlessImported()},
			},
			"request_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the API request that placed the order, for Alibaba Cloud support. Empty after an import.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"region_id": schema.StringAttribute{
				MarkdownDescription: "The region the order was placed in: the provider's `region` at the time.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create:            true,
				CreateDescription: "How long a create may take, retries included, as a duration such as `\"30s\"` or `\"15m\"`. Defaults to `\"10m\"`.",
			}),
		},
	}
}

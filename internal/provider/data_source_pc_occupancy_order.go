package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

// orderReadTimeout is how long a read of the data source may take unless
// its timeouts block says otherwise.
const orderReadTimeout = 30 * time.Second

var (
	_ datasource.DataSource              = (*pcOccupancyOrderDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*pcOccupancyOrderDataSource)(nil)
)

// NewPCOccupancyOrderDataSource returns the alicloud_pc_occupancy_order
// data source: the live view of an order that the resource, whose Read is
// state-only, cannot give.
func NewPCOccupancyOrderDataSource() datasource.DataSource {
	return &pcOccupancyOrderDataSource{}
}

type pcOccupancyOrderDataSource struct {
	data *providerData
}

type pcOccupancyOrderDataModel struct {
	OrderID              types.String   `tfsdk:"order_id"`
	PhysicalConnectionID types.String   `tfsdk:"physical_connection_id"`
	PaymentStatus        types.String   `tfsdk:"payment_status"`
	PaymentTime          types.String   `tfsdk:"payment_time"`
	CreateTime           types.String   `tfsdk:"create_time"`
	OrderType            types.String   `tfsdk:"order_type"`
	SubscriptionType     types.String   `tfsdk:"subscription_type"`
	PretaxAmount         types.String   `tfsdk:"pretax_amount"`
	Currency             types.String   `tfsdk:"currency"`
	ProductCode          types.String   `tfsdk:"product_code"`
	Region               types.String   `tfsdk:"region"`
	InstanceIDs          types.List     `tfsdk:"instance_ids"`
	Timeouts             timeouts.Value `tfsdk:"timeouts"`
}

func (d *pcOccupancyOrderDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pc_occupancy_order"
}

func (d *pcOccupancyOrderDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads an order from Alibaba Cloud's billing API (BssOpenApi `GetOrderDetail`, RAM action `" + ramGetOrderDetail + "`): " +
			"whether it was paid, voided or still waits for payment. Use it in a `check` block so that every plan warns while an order is unpaid. " +
			"It reads any order by ID, such as the `order_id` of an `alicloud_pc_occupancy_order` resource.",
		Attributes: map[string]schema.Attribute{
			"order_id": schema.StringAttribute{
				MarkdownDescription: "The order's decimal number, such as `203167309740138`.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(orderIDPattern, "must be the order's decimal number, such as 203167309740138")},
			},
			"physical_connection_id": schema.StringAttribute{
				MarkdownDescription: "When set, the order must be for this physical connection (its instance IDs must include it); otherwise reading fails. " +
					"Guards against an order ID copied from another circuit.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.RegexMatches(physicalConnectionIDPattern, "must be \"pc-\" followed by lower-case letters and digits, such as pc-bp1hp0wr072f6ambni141"),
				},
			},
			"payment_status":    computed("The payment status: `Paid`, `Unpaid` (waiting for payment), or `Cancelled` (voided, for an auto-paid order usually because the balance was too low)."),
			"payment_time":      computed("When the order was paid (ISO 8601, UTC); empty while it is not."),
			"create_time":       computed("When the order was placed (ISO 8601, UTC)."),
			"order_type":        computed("The order type, such as `New` or `Renew`."),
			"subscription_type": computed("`Subscription` for a `PrePaid` order, `PayAsYouGo` for a `PostPaid` one."),
			"pretax_amount":     computed("The amount before tax, as a decimal string such as `3000.00`, in `currency`."),
			"currency":          computed("The currency of `pretax_amount`, such as `CNY` or `USD`."),
			"product_code":      computed("The product the order is for, such as `vpc`."),
			"region":            computed("The region of the order, such as `cn-hangzhou`."),
			"instance_ids": schema.ListAttribute{
				MarkdownDescription: "The IDs of the instances the order is for: for an occupancy order, its physical connection.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{
				ReadDescription: "How long reading the order may take, retries included, as a duration such as `\"10s\"` or `\"2m\"`. " +
					"Defaults to `\"" + orderReadTimeout.String() + "\"`. When it passes, reading fails and says so.",
			}),
		},
	}
}

func (d *pcOccupancyOrderDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *pcOccupancyOrderDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m pcOccupancyOrderDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.data == nil {
		resp.Diagnostics.AddError("Provider Not Configured", notConfigured)
		return
	}
	readTimeout, diags := m.Timeouts.Read(ctx, orderReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = maskSecrets(ctx, d.data.secrets)
	orderID := m.OrderID.ValueString()
	rctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	o, err := d.data.client.GetOrderDetail(rctx, orderID)
	var apiErr *client.APIError
	switch {
	case err != nil && errors.As(err, &apiErr) && apiErr.Denied():
		resp.Diagnostics.AddError("Error Reading Occupancy Order",
			fmt.Sprintf("The billing API refused to read order %s (%s, HTTP %d, request ID %s): the credentials lack the RAM action %s "+
				"(in the system policy AliyunBSSReadOnlyAccess). Grant it to read orders.", orderID, apiErr.Code, apiErr.HTTPStatus, apiErr.RequestID, ramGetOrderDetail))
		return
	case err != nil && rctx.Err() != nil && ctx.Err() == nil:
		resp.Diagnostics.AddError("Error Reading Occupancy Order",
			fmt.Sprintf("The billing API did not answer for order %s within the read timeout of %s: %s. "+
				"Try again, or raise timeouts.read in the data source if the billing API is slow.", orderID, readTimeout, client.Redact(err.Error())))
		return
	case err != nil:
		resp.Diagnostics.AddError("Error Reading Occupancy Order",
			fmt.Sprintf("The billing API could not be asked for order %s: %s.", orderID, client.Redact(err.Error())))
		return
	case o == nil:
		resp.Diagnostics.AddAttributeError(path.Root("order_id"), "Occupancy Order Not Found",
			fmt.Sprintf("The billing system has no order %s for this account. Check order_id; an order placed moments ago may take a minute to appear.", orderID))
		return
	}
	if pc := m.PhysicalConnectionID.ValueString(); pc != "" && !slices.Contains(o.InstanceIDs, pc) {
		resp.Diagnostics.AddAttributeError(path.Root("physical_connection_id"), "Order Is For Another Physical Connection",
			fmt.Sprintf("Order %s is for %s, not for physical connection %s. Check order_id and physical_connection_id.",
				orderID, orNone(strings.Join(o.InstanceIDs, ", ")), pc))
		return
	}
	m.PaymentStatus = types.StringValue(o.PaymentStatus)
	m.PaymentTime = types.StringValue(o.PaymentTime)
	m.CreateTime = types.StringValue(o.CreateTime)
	m.OrderType = types.StringValue(o.OrderType)
	m.SubscriptionType = types.StringValue(o.SubscriptionType)
	m.PretaxAmount = types.StringValue(o.PretaxAmount)
	m.Currency = types.StringValue(o.Currency)
	m.ProductCode = types.StringValue(o.ProductCode)
	m.Region = types.StringValue(o.Region)
	ids, diags := types.ListValueFrom(ctx, types.StringType, append([]string{}, o.InstanceIDs...))
	resp.Diagnostics.Append(diags...)
	m.InstanceIDs = ids
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func orNone(s string) string {
	if s == "" {
		return "no instance"
	}
	return s
}

// Command officialstandin stands in for the official aliyun/alicloud provider
// in beside_official_test.go: a provider of type name "alicloud" with one
// state-only resource, alicloud_express_connect_physical_connection, whose
// arguments are a subset of the official resource's. It calls no API, so the
// test shows what Terraform does with two providers that both want the local
// name "alicloud", not what Alibaba Cloud does.
//
// The test serves it as registry.terraform.io/aliyun/alicloud (or the
// registry.opentofu.org address) through dev_overrides.
package main

import (
	"context"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// IDVariable names the environment variable whose value becomes the ID of
// every physical connection the stand-in "creates"; the test sets it to a
// circuit the fake VPC API knows.
const IDVariable = "OFFICIALSTANDIN_PHYSICAL_CONNECTION_ID"

func main() {
	err := providerserver.Serve(context.Background(), func() provider.Provider { return standin{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/aliyun/alicloud", ProtocolVersion: 6})
	if err != nil {
		log.Fatal(err)
	}
}

var (
	_ provider.Provider = standin{}
	_ resource.Resource = physicalConnection{}
)

type standin struct{}

func (standin) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "alicloud"
}

// Schema accepts the official provider's region and static credentials and
// ignores them.
func (standin) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{Attributes: map[string]pschema.Attribute{
		"region":     pschema.StringAttribute{Optional: true},
		"access_key": pschema.StringAttribute{Optional: true},
		"secret_key": pschema.StringAttribute{Optional: true, Sensitive: true},
	}}
}

func (standin) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {}

func (standin) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return physicalConnection{} }}
}

func (standin) DataSources(context.Context) []func() datasource.DataSource { return nil }

// physicalConnection is alicloud_express_connect_physical_connection, kept
// in state and nowhere else.
type physicalConnection struct{}

type physicalConnectionModel struct {
	ID                     types.String `tfsdk:"id"`
	AccessPointID          types.String `tfsdk:"access_point_id"`
	LineOperator           types.String `tfsdk:"line_operator"`
	PhysicalConnectionName types.String `tfsdk:"physical_connection_name"`
	PortType               types.String `tfsdk:"port_type"`
	Bandwidth              types.String `tfsdk:"bandwidth"`
	Status                 types.String `tfsdk:"status"`
	Period                 types.Int64  `tfsdk:"period"`
	PricingCycle           types.String `tfsdk:"pricing_cycle"`
}

func (physicalConnection) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_express_connect_physical_connection"
}

func (physicalConnection) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":                       schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"access_point_id":          schema.StringAttribute{Required: true, PlanModifiers: replace},
		"line_operator":            schema.StringAttribute{Required: true},
		"physical_connection_name": schema.StringAttribute{Optional: true},
		"port_type":                schema.StringAttribute{Optional: true, PlanModifiers: replace},
		"bandwidth":                schema.StringAttribute{Optional: true},
		"status":                   schema.StringAttribute{Optional: true},
		"period":                   schema.Int64Attribute{Optional: true},
		"pricing_cycle":            schema.StringAttribute{Optional: true},
	}}
}

// Create is state-only: the ID comes from IDVariable.
func (physicalConnection) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m physicalConnectionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := os.Getenv(IDVariable)
	if id == "" {
		resp.Diagnostics.AddError("Missing Physical Connection ID", "The stand-in provider takes the ID of the connection it pretends to create from "+IDVariable+", which is not set.")
		return
	}
	m.ID = types.StringValue(id)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Read is state-only.
func (physicalConnection) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update is state-only.
func (physicalConnection) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m physicalConnectionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Delete is state-only.
func (physicalConnection) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

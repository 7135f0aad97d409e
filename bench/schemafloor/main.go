// Command schemafloor is the benchmark's second floor: a
// terraform-plugin-framework provider whose provider block and one resource
// (schemafloor_pc_occupancy_order) have the schema of the alicloud provider
// and of alicloud_pc_occupancy_order, but which sends nothing. Create fills
// the computed values (a counter is the order ID) and stores state; Read,
// Update and Delete touch nothing but state. Like the alicloud provider, and
// through the same internal/sdklogs, it switches the SDK's logs off unless
// TF_LOG* asks for them. So it costs what Terraform and the framework pay
// for that schema, and the benchmark reports the alicloud provider's time
// as a ratio to it; the gap between this floor and floorprovider (two
// attributes) is the schema's own cost.
//
// The schemas are the real ones, taken from internal/provider (descriptions,
// validators, defaults and plan modifiers included); what the floor leaves
// out is the provider's own work: the plan-time circuit check, the
// cross-attribute validators, the requests, and resource identity (which
// Terraform uses from 1.12 on; the benchmark's CLI is 1.11). What those cost
// is what the ratio to this floor measures.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	alicloud "github.com/pcorder/terraform-provider-alicloud/internal/provider"
	"github.com/pcorder/terraform-provider-alicloud/internal/sdklogs"
)

// Address is where the benchmark's Terraform CLI configuration finds it.
const Address = "registry.terraform.io/bench/schemafloor"

var _ provider.Provider = schemaFloorProvider{}

func main() {
	sdklogs.Silence(Address) // as the alicloud provider does
	err := providerserver.Serve(context.Background(), func() provider.Provider { return schemaFloorProvider{} },
		providerserver.ServeOpts{Address: Address, ProtocolVersion: 6})
	if err != nil {
		log.Fatal(err)
	}
}

type schemaFloorProvider struct{}

// floorData is what Configure hands to the resource.
type floorData struct {
	region string
	orders *counter
}

func (schemaFloorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "schemafloor"
}

// Schema is the alicloud provider block's, taken from the provider itself
// so that the two cannot drift apart.
func (schemaFloorProvider) Schema(ctx context.Context, req provider.SchemaRequest, resp *provider.SchemaResponse) {
	alicloud.New("floor")().Schema(ctx, req, resp)
}

// Configure reads the region, for region_id, and nothing else.
func (schemaFloorProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var region types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("region"), &region)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data := &floorData{region: region.ValueString(), orders: &counter{}}
	resp.ResourceData = data
}

func (schemaFloorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &occupancyOrder{} }}
}

func (schemaFloorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

package main

import (
	"fmt"
	"strings"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

// unusedEndpoint stands in for the fake's address in the same-schema
// floor's provider block; nothing connects to it.
const unusedEndpoint = "127.0.0.1:9"

// configuration is the main.tf of n resources of kind, one for each of the
// circuits first to first+n-1; key is the provider block's access key and
// fakeEndpoint the fake's address, for alicloud, which serves VPC and
// billing: every request stays on 127.0.0.1. The two providers with
// alicloud's schema get the same provider block and resource arguments.
func configuration(kind string, n, first int, key, fakeEndpoint string) string {
	var cfg strings.Builder
	switch kind {
	case kindData:
	case kindFloor:
		cfg.WriteString("terraform {\n  required_providers {\n    floor = { source = \"bench/floor\" }\n  }\n}\n\nprovider \"floor\" {}\n")
	case kindSchemaFloor:
		writeProviderBlock(&cfg, "schemafloor", "bench/schemafloor", key, unusedEndpoint)
	case kindAli:
		writeProviderBlock(&cfg, "alicloud", "pcorder/alicloud", key, fakeEndpoint)
	}
	for i := first; i < first+n; i++ {
		switch kind {
		case kindData:
			fmt.Fprintf(&cfg, "\nresource \"terraform_data\" \"r%d\" {\n  input = %q\n}\n", i, physicalConnectionID(i))
		case kindFloor:
			fmt.Fprintf(&cfg, "\nresource \"floor_thing\" \"r%d\" {\n  name = %q\n}\n", i, physicalConnectionID(i))
		case kindSchemaFloor, kindAli:
			fmt.Fprintf(&cfg, "\nresource \"%s_pc_occupancy_order\" \"r%d\" {\n  physical_connection_id = %q\n}\n", kind, i, physicalConnectionID(i))
		}
	}
	return cfg.String()
}

// writeProviderBlock writes the required_providers entry and the provider
// block of a provider with alicloud's schema.
func writeProviderBlock(cfg *strings.Builder, name, source, key, endpoint string) {
	fmt.Fprintf(cfg, `terraform {
  required_providers {
    %s = { source = %q }
  }
}

provider %q {
  region     = %q
  access_key = %q
  secret_key = %q
  protocol   = "HTTP"
  endpoints {
    vpc        = %q
    bssopenapi = %q
  }
}
`, name, source, name, region, key, secretKey, endpoint, endpoint)
}

// physicalConnectionID is the region's i-th physical connection.
func physicalConnectionID(i int) string { return fmt.Sprintf("pc-bench%06d", i) }

// fleetKey is the access key of the k-th working directory of the fleet
// (k = 0 for every other run), so that the fake's record tells the
// requests of the fleet's Terraform processes apart.
func fleetKey(k int) string { return fmt.Sprintf("%s%02d", accessKeyPrefix, k) }

// connectionStatus is the status the fake gives every physical connection:
// Complete, waiting for payment, which takes one occupancy order; once the
// order is paid the fake's life cycle turns the circuit Enabled, which
// refuses another.
const connectionStatus = fakealicloud.StatusComplete

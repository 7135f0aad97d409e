package main

import (
	"fmt"
	"strings"
)

// unusedEndpoint stands in for the fake's address in the same-schema
// floor's provider block; nothing connects to it.
const unusedEndpoint = "127.0.0.1:9"

// configuration is the main.tf of n resources of kind; fakeEndpoint is the
// fake's address, for alicloud, which serves VPC and billing: every
// request stays on 127.0.0.1. The two providers with alicloud's schema get
// the same provider block and resource arguments.
func configuration(kind string, n int, fakeEndpoint string) string {
	var cfg strings.Builder
	switch kind {
	case kindData:
	case kindFloor:
		cfg.WriteString("terraform {\n  required_providers {\n    floor = { source = \"bench/floor\" }\n  }\n}\n\nprovider \"floor\" {}\n")
	case kindSchemaFloor:
		writeProviderBlock(&cfg, "schemafloor", "bench/schemafloor", unusedEndpoint)
	case kindAli:
		writeProviderBlock(&cfg, "alicloud", "pcorder/alicloud", fakeEndpoint)
	}
	for i := range n {
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
func writeProviderBlock(cfg *strings.Builder, name, source, endpoint string) {
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
`, name, source, name, region, accessKey, secretKey, endpoint, endpoint)
}

// physicalConnectionID is the i-th resource's physical connection.
func physicalConnectionID(i int) string { return fmt.Sprintf("pc-bench%06d", i) }

// connectionStatus is the status the fake gives every physical connection:
// one that takes an occupancy order. Complete does so for the fake both
// before and after it learnt that Confirmed takes one and Enabled (a circuit
// already paid for) refuses it, as the published API does.
const connectionStatus = "Complete"

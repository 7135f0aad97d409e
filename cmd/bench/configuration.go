package main

import (
	"fmt"
	"strings"
)

// configuration is the main.tf of n resources of kind; vpcEndpoint is the
// fake's address, for alicloud.
func configuration(kind string, n int, vpcEndpoint string) string {
	var cfg strings.Builder
	switch kind {
	case kindData:
	case kindFloor:
		cfg.WriteString("terraform {\n  required_providers {\n    floor = { source = \"bench/floor\" }\n  }\n}\n\nprovider \"floor\" {}\n")
	case kindAli:
		fmt.Fprintf(&cfg, `terraform {
  required_providers {
    alicloud = { source = "pcorder/alicloud" }
  }
}

provider "alicloud" {
  region     = %q
  access_key = %q
  secret_key = %q
  protocol   = "HTTP"
  endpoints {
    vpc = %q
  }
}
`, region, accessKey, secretKey, vpcEndpoint)
	}
	for i := range n {
		switch kind {
		case kindData:
			fmt.Fprintf(&cfg, "\nresource \"terraform_data\" \"r%d\" {\n  input = %q\n}\n", i, physicalConnectionID(i))
		case kindFloor:
			fmt.Fprintf(&cfg, "\nresource \"floor_thing\" \"r%d\" {\n  name = %q\n}\n", i, physicalConnectionID(i))
		case kindAli:
			fmt.Fprintf(&cfg, "\nresource \"alicloud_pc_occupancy_order\" \"r%d\" {\n  physical_connection_id = %q\n}\n", i, physicalConnectionID(i))
		}
	}
	return cfg.String()
}

// physicalConnectionID is the i-th resource's physical connection.
func physicalConnectionID(i int) string { return fmt.Sprintf("pc-bench%06d", i) }

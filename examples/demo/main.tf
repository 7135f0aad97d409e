# The configuration `make demo` applies against the fake VPC API. Against
# Alibaba Cloud, drop the protocol and endpoints lines.
terraform {
  required_providers {
    alicloud = {
      source = "pcorder/alicloud"
    }
  }
}

variable "vpc_endpoint" {
  description = "The VPC API endpoint, host:port."
  type        = string
}

provider "alicloud" {
  region   = "cn-hangzhou"
  protocol = "HTTP" # the fake listens on loopback without TLS
  endpoints {
    vpc = var.vpc_endpoint
  }
}

resource "alicloud_pc_occupancy_order" "demo" {
  physical_connection_id = "pc-bp1hp0wr072f6ambni141"
  instance_charge_type   = "PrePaid"
  period                 = 3
}

output "order_id" {
  value = alicloud_pc_occupancy_order.demo.order_id
}

output "client_token" {
  value = alicloud_pc_occupancy_order.demo.client_token
}

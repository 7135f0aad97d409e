# The configuration `make demo` applies against the project's fake Alibaba
# Cloud API. Against Alibaba Cloud, drop the protocol and endpoints lines.
terraform {
  required_providers {
    alicloud = {
      source = "pcorder/alicloud"
    }
  }
}

variable "vpc_endpoint" {
  description = "The fake API's address, host:port. It serves the VPC and the billing API alike."
  type        = string
}

provider "alicloud" {
  region   = "cn-hangzhou"
  protocol = "HTTP" # the fake listens on loopback without TLS
  endpoints {
    vpc        = var.vpc_endpoint
    bssopenapi = var.vpc_endpoint
  }
}

resource "alicloud_pc_occupancy_order" "demo" {
  physical_connection_id = "pc-bp1hp0wr072f6ambni141"
  instance_charge_type   = "PrePaid"
  period                 = 3
  auto_renew             = true
  auto_renew_duration    = 1
}

# Every plan warns while the order is not paid.
check "occupancy_fee_paid" {
  data "alicloud_pc_occupancy_order" "demo" {
    order_id               = alicloud_pc_occupancy_order.demo.order_id
    physical_connection_id = alicloud_pc_occupancy_order.demo.physical_connection_id
  }

  assert {
    condition     = data.alicloud_pc_occupancy_order.demo.payment_status == "Paid"
    error_message = "Occupancy order ${data.alicloud_pc_occupancy_order.demo.order_id} is ${data.alicloud_pc_occupancy_order.demo.payment_status}."
  }
}

output "order_id" {
  value = alicloud_pc_occupancy_order.demo.order_id
}

output "client_token" {
  value = alicloud_pc_occupancy_order.demo.client_token
}

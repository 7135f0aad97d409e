terraform {
  required_providers {
    # The official provider keeps the local name "alicloud", so every
    # alicloud_* resource without a provider argument stays with it.
    alicloud = {
      source = "aliyun/alicloud"
    }
    # This provider takes another local name.
    pcorder = {
      source  = "pcorder/alicloud"
      version = "~> 0.2"
    }
  }
}

# Credentials come from the environment (ALICLOUD_ACCESS_KEY and
# ALICLOUD_SECRET_KEY), which both providers read.
provider "alicloud" {
  region = "cn-hangzhou"
}

provider "pcorder" {
  region = "cn-hangzhou"
}

# The circuit, managed by the official provider. Leave its status unset:
# status = "Enabled" makes the official provider place an occupancy order of
# its own (PrePaid, paid automatically), and with the order below you would
# pay twice.
resource "alicloud_express_connect_physical_connection" "dc1" {
  access_point_id          = "ap-cn-hangzhou-yh-B"
  line_operator            = "CT"
  physical_connection_name = "dc1"
  port_type                = "1000Base-LX"
  bandwidth                = "100"
}

# The occupancy fee order of that circuit, placed by this provider. Its type
# name starts with "alicloud_", so without the provider argument Terraform
# would give it to the official provider, which has no such resource type.
resource "alicloud_pc_occupancy_order" "dc1" {
  provider = pcorder

  physical_connection_id = alicloud_express_connect_physical_connection.dc1.id
  instance_charge_type   = "PrePaid"
  period                 = 6
  pricing_cycle          = "Month"
  auto_pay               = false # approve and pay in the console
}

output "order_id" {
  value = alicloud_pc_occupancy_order.dc1.order_id
}

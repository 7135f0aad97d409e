# Terraform 1.12+ and OpenTofu 1.12+: an import block with the resource's
# identity. As with an ID, the plan imports and records the configuration in
# place, and sends no request.
import {
  to = alicloud_pc_occupancy_order.subscription
  identity = {
    physical_connection_id = "pc-bp1ciz7ekd2grn1as4321"
    order_id               = "203167309740138"
  }
}

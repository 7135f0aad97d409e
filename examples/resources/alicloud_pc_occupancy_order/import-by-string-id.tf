# Terraform 1.5+ and OpenTofu: an import block with the ID
# "<physical_connection_id>:<order_id>". The plan shows an import and an
# in-place update that records the configuration's arguments, never a create.
import {
  to = alicloud_pc_occupancy_order.subscription
  id = "pc-bp1ciz7ekd2grn1as4321:203167309740138"
}

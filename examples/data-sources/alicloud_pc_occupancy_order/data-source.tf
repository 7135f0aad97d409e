# Read an order's live payment status from the billing API.
data "alicloud_pc_occupancy_order" "subscription" {
  order_id               = alicloud_pc_occupancy_order.subscription.order_id
  physical_connection_id = alicloud_pc_occupancy_order.subscription.physical_connection_id
}

output "payment_status" {
  value = data.alicloud_pc_occupancy_order.subscription.payment_status # Paid, Unpaid or Cancelled
}

# The recommended pattern: a check block (Terraform 1.5+, OpenTofu) makes every
# plan and apply warn while the order is not paid, without ever failing them.
check "occupancy_fee_paid" {
  data "alicloud_pc_occupancy_order" "subscription" {
    order_id               = alicloud_pc_occupancy_order.subscription.order_id
    physical_connection_id = alicloud_pc_occupancy_order.subscription.physical_connection_id
  }

  assert {
    condition     = data.alicloud_pc_occupancy_order.subscription.payment_status == "Paid"
    error_message = "Occupancy order ${data.alicloud_pc_occupancy_order.subscription.order_id} is ${data.alicloud_pc_occupancy_order.subscription.payment_status}: pay it in the Alibaba Cloud console (Expenses and Costs, Orders), or top up and re-order if it was cancelled."
  }
}

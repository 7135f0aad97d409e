# Pay-as-you-go occupancy fee, paid automatically (the API's defaults, sent
# explicitly by the provider).
resource "alicloud_pc_occupancy_order" "postpaid" {
  physical_connection_id = "pc-bp1hp0wr072f6ambni141"
}

# A six-month subscription, left unpaid for approval in the console.
resource "alicloud_pc_occupancy_order" "subscription" {
  physical_connection_id = "pc-bp1ciz7ekd2grn1as4321"
  instance_charge_type   = "PrePaid"
  period                 = 6
  pricing_cycle          = "Month"
  auto_pay               = false

  timeouts {
    create = "15m"
  }
}

# A one-year subscription that renews itself month by month, so that the
# circuit does not stop when the year ends.
resource "alicloud_pc_occupancy_order" "renewing" {
  physical_connection_id = "pc-bp1renew0connection5678"
  instance_charge_type   = "PrePaid"
  period                 = 1
  pricing_cycle          = "Year"
  auto_renew             = true
  auto_renew_duration    = 1
}

output "subscription_order_id" {
  value = alicloud_pc_occupancy_order.subscription.order_id
}

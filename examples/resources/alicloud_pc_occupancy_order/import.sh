# An order is imported by its physical connection ID and order ID. The next
# plan records the configuration's other arguments in state as an in-place
# update, with no API call: an import never places or replaces an order.
terraform import alicloud_pc_occupancy_order.subscription pc-bp1ciz7ekd2grn1as4321:203167309740138

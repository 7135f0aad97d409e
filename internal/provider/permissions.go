package provider

// The RAM actions the provider's requests need, named once for the
// diagnostics and the schema's descriptions.
const (
	// ramCreateOrder places the order (the VPC API reference of
	// CreatePhysicalConnectionOccupancyOrder).
	ramCreateOrder = "vpc:CreatePhysicalConnectionOccupancyOrder"
	// ramDescribePhysicalConnections answers the circuit check and the
	// follow-up to Enabled (the VPC API reference of
	// DescribePhysicalConnections).
	ramDescribePhysicalConnections = "vpc:DescribePhysicalConnections"
	// ramGetOrderDetail answers the payment check and the data source: the
	// BssOpenApi reference of GetOrderDetail names bss:DescribeOrderDetail
	// (older pages: bssapi:GetOrderDetail; both are accepted). There is no
	// bss:DescribeOrder.
	ramGetOrderDetail = "bss:DescribeOrderDetail"
	// ramQueryOrders lets the payment check list the orders of a process's
	// creates at once (the BssOpenApi reference of QueryOrders); without
	// it each order is asked for alone with GetOrderDetail.
	ramQueryOrders = "bss:DescribeOrderList"
)

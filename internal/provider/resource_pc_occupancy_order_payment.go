package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

// confirmPayment asks the billing API whether an auto-paid order was paid,
// within the provider's bound and what is left of the create timeout. It
// only ever adds warnings: the order exists and is in state, and an error
// would taint it, so that the next apply would buy again.
func (r *pcOccupancyOrderResource) confirmPayment(ctx context.Context, diags *diag.Diagnostics, orderID, pcID string) {
	bound := r.data.paymentWait
	if deadline, ok := ctx.Deadline(); ok {
		bound = min(bound, time.Until(deadline))
	}
	if bound <= 0 {
		diags.AddWarning("Occupancy Order Payment Not Checked",
			fmt.Sprintf("Order %s for physical connection %s was placed and is in state, but the create timeout left no time to ask the billing API whether it was paid. %s",
				orderID, pcID, checkLater(orderID)))
		return
	}
	// The bound holds even against an attempt that hangs.
	pctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	d, err := r.data.client.AwaitPayment(pctx, orderID, bound, r.data.paymentPoll)
	var apiErr *client.APIError
	switch {
	case err != nil && errors.As(err, &apiErr) && apiErr.Denied():
		diags.AddWarning("Occupancy Order Payment Not Checked",
			fmt.Sprintf("Order %s for physical connection %s was placed and is in state. The billing API refused to say whether it was paid "+
				"(%s, HTTP %d, request ID %s): the credentials lack the RAM action bss:DescribeOrder (in the system policy AliyunBSSReadOnlyAccess). "+
				"Grant it, or set skip_payment_check = true in the provider block (or ALICLOUD_SKIP_PAYMENT_CHECK=true) to stop asking. %s",
				orderID, pcID, apiErr.Code, apiErr.HTTPStatus, apiErr.RequestID, checkLater(orderID)))
	case err != nil:
		diags.AddWarning("Occupancy Order Payment Not Checked",
			fmt.Sprintf("Order %s for physical connection %s was placed and is in state, but the billing API could not be asked whether it was paid: %s. %s",
				orderID, pcID, client.Redact(err.Error()), checkLater(orderID)))
	case d == nil:
		diags.AddWarning("Occupancy Order Payment Not Confirmed",
			fmt.Sprintf("Order %s for physical connection %s was placed and is in state, but the billing system did not show it within %s. "+
				"It usually appears within a minute. %s", orderID, pcID, bound.Round(time.Second), checkLater(orderID)))
	case d.PaymentStatus == client.PaymentCancelled:
		diags.AddWarning("Occupancy Order Voided",
			fmt.Sprintf("Order %s for physical connection %s was placed with auto_pay = true, but the billing system shows it %s: "+
				"the usual cause is a balance too low to pay it, which voids an auto-paid order. Nothing was charged, and the circuit's occupancy fee is not paid. "+
				"Top up the account (or arrange credit), then place a new order with terraform apply -replace=<this resource's address>. "+
				"The voided order stays in state until then, so that this apply buys nothing twice.", orderID, pcID, d.PaymentStatus))
	case d.PaymentStatus != client.PaymentPaid:
		diags.AddWarning("Occupancy Order Not Paid",
			fmt.Sprintf("Order %s for physical connection %s was placed with auto_pay = true, but after %s the billing system still shows it %s. "+
				"The usual cause is a balance too low to pay it. Check the account's balance, and pay or void the order in the Alibaba Cloud console "+
				"(Expenses and Costs, Orders). %s", orderID, pcID, bound.Round(time.Second), d.PaymentStatus, checkLater(orderID)))
	default:
		tflog.Info(ctx, "occupancy order paid", map[string]any{"order_id": orderID, "payment_time": d.PaymentTime})
	}
}

// checkLater says how to follow the payment from now on.
func checkLater(orderID string) string {
	return "To follow its payment, read it with the alicloud_pc_occupancy_order data source (order_id = \"" + orderID + "\"), " +
		"best in a check block, so that every plan warns while it is unpaid."
}

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

// followOrder follows an order that is in state to the outcome the user
// bought: for an auto-paid order, its payment (the billing API) and then
// its circuit turning Enabled. It also tells when the client token
// answered an order that is not new. It only ever adds warnings: the order
// exists and is in state, and an error would taint it, so that the next
// apply would order again.
func (r *pcOccupancyOrderResource) followOrder(ctx context.Context, diags *diag.Diagnostics, orderID string, in client.OccupancyOrderInput, started time.Time) {
	if r.data.removed.has(orderID) {
		diags.AddWarning("Occupancy Order Not New",
			fmt.Sprintf("Client token %q answered order %s for physical connection %s, the order this apply removed from state: "+
				"the API returns the order it already placed for a token, so nothing new was bought and the same order is back in state. %s",
				in.ClientToken, orderID, in.PhysicalConnectionID, newOrderAdvice))
		return
	}
	if !in.AutoPay || !r.data.checkPayment {
		return
	}
	d, paid := r.confirmPayment(ctx, diags, client.PlacedOrder{ID: orderID, Sent: started, Answered: time.Now()}, in)
	if createdBefore(d, started.Add(-r.data.orderAgeSlack)) {
		diags.AddWarning("Occupancy Order Not New",
			fmt.Sprintf("Client token %q answered order %s for physical connection %s, placed at %s, before this apply: "+
				"the API returns the order it already placed for a token, so nothing new was bought; the order is now in state. %s",
				in.ClientToken, orderID, in.PhysicalConnectionID, d.CreateTime, newOrderAdvice))
	}
	if paid {
		r.followCircuit(ctx, diags, orderID, in.PhysicalConnectionID)
	}
}

// newOrderAdvice says how to place a new order when the token answered an
// old one.
const newOrderAdvice = "To place a new order for the same terms, set client_token to a value not used before (for example a date) and apply; " +
	"-replace alone sends the same token and buys nothing."

// withinBound returns a context bounded by the provider's bound of its own
// checks and by what is left of ctx, or nil when no time is left.
func (r *pcOccupancyOrderResource) withinBound(ctx context.Context) (context.Context, context.CancelFunc, time.Duration) {
	bound := r.data.paymentWait
	if deadline, ok := ctx.Deadline(); ok {
		bound = min(bound, time.Until(deadline))
	}
	if bound <= 0 {
		return nil, func() {}, 0
	}
	bctx, cancel := context.WithTimeout(ctx, bound)
	return bctx, cancel, bound
}

// confirmPayment asks the billing API whether an auto-paid order was paid,
// within the provider's bound and what is left of the create timeout,
// through the process's payment watcher, which shares its reads between
// every create. It returns the last answer and whether it says paid.
func (r *pcOccupancyOrderResource) confirmPayment(ctx context.Context, diags *diag.Diagnostics, o client.PlacedOrder, in client.OccupancyOrderInput) (*client.OrderDetail, bool) {
	orderID, pcID := o.ID, in.PhysicalConnectionID
	pctx, cancel, bound := r.withinBound(ctx)
	defer cancel()
	if pctx == nil {
		diags.AddWarning("Occupancy Order Payment Not Checked",
			fmt.Sprintf("Order %s for physical connection %s was placed and is in state, but the create timeout left no time to ask the billing API whether it was paid. %s",
				orderID, pcID, checkLater(orderID)))
		return nil, false
	}
	d, err := r.data.payments.AwaitPayment(maskSecrets(pctx, r.data.secrets), o, r.data.paymentPoll)
	var reqErr *client.RequestError
	if err != nil && pctx.Err() != nil && ctx.Err() == nil && !errors.As(err, &reqErr) {
		err = nil // The bound ended the wait after an answer: it stands.
	}
	var apiErr *client.APIError
	switch {
	case err != nil && errors.As(err, &apiErr) && apiErr.Denied():
		diags.AddWarning("Occupancy Order Payment Not Checked",
			fmt.Sprintf("Order %s for physical connection %s was placed and is in state. The billing API refused to say whether it was paid "+
				"(%s, HTTP %d, request ID %s): the credentials lack the RAM action %s (in the system policy AliyunBSSReadOnlyAccess). "+
				"Grant it, or set skip_payment_check = true in the provider block (or ALICLOUD_SKIP_PAYMENT_CHECK=true) to stop asking. %s",
				orderID, pcID, apiErr.Code, apiErr.HTTPStatus, apiErr.RequestID, ramGetOrderDetail, checkLater(orderID)))
	case err != nil:
		diags.AddWarning("Occupancy Order Payment Not Checked",
			fmt.Sprintf("Order %s for physical connection %s was placed and is in state, but the billing API could not be asked whether it was paid: %s. %s",
				orderID, pcID, client.Redact(err.Error()), checkLater(orderID)))
	case d == nil:
		diags.AddWarning("Occupancy Order Payment Not Confirmed",
			fmt.Sprintf("Order %s for physical connection %s was placed and is in state, but the billing system did not show it within %s. "+
				"It usually appears within a minute. %s", orderID, pcID, bound.Round(time.Second), checkLater(orderID)))
	case d.Voided():
		diags.AddWarning("Occupancy Order Voided",
			fmt.Sprintf("Order %s for physical connection %s was placed with auto_pay = true, but the billing system shows it %s: "+
				"the usual cause is a balance too low to pay it, which voids an auto-paid order. Nothing was charged, and the circuit's occupancy fee is not paid. "+
				"Top up the account (or arrange credit), then set client_token to a value not used before and apply: that places a new order "+
				"(client token %q, sent again, would answer this voided order). The voided order stays in state until then, so that this apply buys nothing twice.",
				orderID, pcID, d.PaymentStatus, in.ClientToken))
	case !d.Paid():
		diags.AddWarning("Occupancy Order Not Paid",
			fmt.Sprintf("Order %s for physical connection %s was placed with auto_pay = true, but after %s the billing system still shows it %s. "+
				"The usual cause is a balance too low to pay it. Check the account's balance, and pay or void the order in the Alibaba Cloud console "+
				"(Expenses and Costs, Orders). %s", orderID, pcID, bound.Round(time.Second), d.PaymentStatus, checkLater(orderID)))
	default:
		tflog.Info(ctx, "occupancy order paid", map[string]any{"order_id": orderID, "payment_time": d.PaymentTime})
		return d, true
	}
	return d, false
}

// followCircuit waits, within the provider's bound and what is left of the
// create timeout, until a paid order's circuit is Enabled, as the official
// provider does after its occupancy order. A circuit not Enabled at the
// bound is a warning naming its state.
func (r *pcOccupancyOrderResource) followCircuit(ctx context.Context, diags *diag.Diagnostics, orderID, pcID string) {
	if r.data.watcher == nil {
		return
	}
	wctx, cancel, bound := r.withinBound(ctx)
	defer cancel()
	if wctx == nil {
		diags.AddWarning("Physical Connection Not Followed",
			fmt.Sprintf("Order %s for physical connection %s is paid and in state, but the create timeout left no time to see the circuit turn Enabled. "+
				"It usually does within minutes; see the Express Connect console.", orderID, pcID))
		return
	}
	pc, err := r.data.watcher.AwaitStatus(maskSecrets(wctx, r.data.secrets), pcID, circuitEnabled, r.data.paymentPoll)
	switch {
	case pc != nil && pc.Status == circuitEnabled:
		tflog.Info(ctx, "physical connection enabled", map[string]any{"physical_connection_id": pcID, "order_id": orderID})
	case pc != nil:
		diags.AddWarning("Physical Connection Not Enabled Yet",
			fmt.Sprintf("Order %s for physical connection %s is paid and in state, but after %s the circuit is still %q, not Enabled. "+
				"A paid occupancy order usually enables it within minutes; nothing more needs to be ordered. "+
				"If it stays %q, check the Express Connect console or ask Alibaba Cloud support, naming order %s.",
				orderID, pcID, bound.Round(time.Second), pc.Status, pc.Status, orderID))
	default:
		why := "the circuit could not be looked up"
		if err != nil {
			why = client.Redact(err.Error())
		}
		diags.AddWarning("Physical Connection Not Followed",
			fmt.Sprintf("Order %s for physical connection %s is paid and in state, but the provider could not see whether the circuit turned Enabled: %s. "+
				"Nothing more needs to be ordered; see the Express Connect console.", orderID, pcID, why))
	}
}

// createdBefore reports whether the billing system shows the order created
// before t. A time it does not give, or in a form it does not document, is
// not before anything.
func createdBefore(d *client.OrderDetail, t time.Time) bool {
	if d == nil || d.CreateTime == "" {
		return false
	}
	created, err := time.Parse(time.RFC3339, d.CreateTime)
	return err == nil && created.Before(t)
}

// checkLater says how to follow the payment from now on.
func checkLater(orderID string) string {
	return "To follow its payment, read it with the alicloud_pc_occupancy_order data source (order_id = \"" + orderID + "\"), " +
		"best in a check block, so that every plan warns while it is unpaid."
}

// recoverOrder says how to adopt an order that exists outside state.
func recoverOrder(pcID, orderID, token string) string {
	return fmt.Sprintf("Adopt it with this import block (set to = this resource's address) and apply:\n\n"+
		"import {\n  to = alicloud_pc_occupancy_order.<name>\n  id = %q\n}\n\n"+
		"or apply again with the arguments unchanged: the order's client token %q answers this order instead of placing another.", pcID+":"+orderID, token)
}

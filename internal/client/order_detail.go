package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ActionGetOrderDetail reads an order from the billing API (BssOpenApi).
const ActionGetOrderDetail = "GetOrderDetail"

// CodeNotApplicable is what the China site's billing endpoint answers an
// account of the international site.
const CodeNotApplicable = "NotApplicable"

// Payment statuses of an order. Paid and Cancelled are final.
const (
	PaymentPaid      = "Paid"
	PaymentUnpaid    = "Unpaid"
	PaymentCancelled = "Cancelled"
)

// OrderDetail is an order as the billing API shows it.
type OrderDetail struct {
	OrderID          string
	PaymentStatus    string
	PaymentTime      string
	CreateTime       string
	OrderType        string
	SubscriptionType string
	PretaxAmount     string
	Currency         string
	ProductCode      string
	Region           string
	InstanceIDs      []string
	RequestID        string
}

// Final reports whether the payment status can no longer change.
func (d *OrderDetail) Final() bool {
	return d != nil && (d.PaymentStatus == PaymentPaid || d.PaymentStatus == PaymentCancelled)
}

// GetOrderDetail reads an order from the billing API. It returns nil and no
// error when the billing system does not know the order (yet). Transient
// failures are retried for at most maxWait (0: until ctx ends). When no
// billing endpoint was configured and the API answers NotApplicable, the
// client switches to the international site's endpoint for good and asks
// there.
func (c *Client) GetOrderDetail(ctx context.Context, orderID string, maxWait time.Duration) (*OrderDetail, error) {
	for {
		endpoint := c.billingEndpoint()
		res, err := c.do(ctx, rpcCall{action: ActionGetOrderDetail, version: BillingAPIVersion, endpoint: endpoint,
			query: map[string]string{"OrderId": orderID}, maxWait: maxWait})
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.Code == CodeNotApplicable && endpoint != InternationalBillingEndpoint && c.cfg.BillingEndpoint == "" {
			c.switchToInternationalBilling()
			continue
		}
		if err != nil {
			return nil, err
		}
		d, err := ParseOrderDetail([]byte(res.body), orderID)
		if d != nil && d.RequestID == "" {
			d.RequestID = res.requestID
		}
		return d, err
	}
}

// AwaitPayment asks for the order until its payment status is final or
// bound has passed (or ctx ends), waiting interval between questions. It
// returns the last answer: nil when the billing system never showed the
// order. An error means the billing API itself failed. The caller may bound
// ctx by the same bound, so that a hanging attempt cannot outlast it.
func (c *Client) AwaitPayment(ctx context.Context, orderID string, bound, interval time.Duration) (*OrderDetail, error) {
	start := c.cfg.Now()
	var last *OrderDetail
	for {
		left := bound - c.cfg.Now().Sub(start)
		d, err := c.GetOrderDetail(ctx, orderID, max(left, time.Millisecond))
		if err != nil && ctx.Err() != nil && last != nil {
			// The bound ended a question: the last answer stands.
			return last, nil //nolint:nilerr // The deadline is the bound, not a failure.
		}
		if err != nil || d.Final() {
			return d, err
		}
		last = d
		if c.cfg.Now().Sub(start)+interval > bound {
			return d, nil
		}
		if c.cfg.Sleep(ctx, interval) != nil {
			return d, nil //nolint:nilerr // ctx ended the wait: the last answer stands.
		}
	}
}

// ParseOrderDetail reads the order orderID from a GetOrderDetail answer; it
// returns nil when the answer lists no such order.
func ParseOrderDetail(body []byte, orderID string) (*OrderDetail, error) {
	var resp struct {
		RequestID string `json:"RequestId"`
		Data      struct {
			OrderList struct {
				Order []struct {
					OrderID          json.Number `json:"OrderId"`
					PaymentStatus    string
					PaymentTime      string
					CreateTime       string
					OrderType        string
					SubscriptionType string
					PretaxAmount     json.RawMessage
					Currency         string
					ProductCode      string
					Region           string
					InstanceIDs      string
				}
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&resp); err != nil {
		return nil, fmt.Errorf("the billing API's answer is not valid JSON: %w", err)
	}
	for _, o := range resp.Data.OrderList.Order {
		if o.OrderID.String() != orderID {
			continue
		}
		return &OrderDetail{
			OrderID:          orderID,
			PaymentStatus:    o.PaymentStatus,
			PaymentTime:      o.PaymentTime,
			CreateTime:       o.CreateTime,
			OrderType:        o.OrderType,
			SubscriptionType: o.SubscriptionType,
			PretaxAmount:     strings.Trim(string(o.PretaxAmount), `"`),
			Currency:         o.Currency,
			ProductCode:      o.ProductCode,
			Region:           o.Region,
			InstanceIDs:      ParseInstanceIDs(o.InstanceIDs),
			RequestID:        resp.RequestID,
		}, nil
	}
	return nil, nil
}

// ParseInstanceIDs reads the InstanceIDs field of an order, which holds one
// ID, a comma-separated list or a JSON array, depending on the product.
func ParseInstanceIDs(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	var ids []string
	if strings.HasPrefix(s, "[") && json.Unmarshal([]byte(s), &ids) == nil {
		return nonBlank(ids)
	}
	return nonBlank(strings.Split(s, ","))
}

func nonBlank(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ActionGetOrderDetail reads an order from the billing API (BssOpenApi).
const ActionGetOrderDetail = "GetOrderDetail"

// CodeNotApplicable is what the China site's billing endpoint answers an
// account of the international site.
const CodeNotApplicable = "NotApplicable"

// Payment statuses of an order, as the older reference and QueryOrders
// write them. The API's spelling varies (the SDK's text says "unpaid, paid,
// canceled"): compare through OrderDetail's methods, never with ==.
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

// Paid reports whether the order has been paid, in any letter case.
func (d *OrderDetail) Paid() bool {
	return d != nil && strings.EqualFold(d.PaymentStatus, PaymentPaid)
}

// Unpaid reports whether the order waits for payment, in any letter case.
func (d *OrderDetail) Unpaid() bool {
	return d != nil && strings.EqualFold(d.PaymentStatus, PaymentUnpaid)
}

// Voided reports whether the order was cancelled (voided), in either
// spelling (Cancelled, canceled) and any letter case.
func (d *OrderDetail) Voided() bool {
	return d != nil && (strings.EqualFold(d.PaymentStatus, PaymentCancelled) || strings.EqualFold(d.PaymentStatus, "Canceled"))
}

// Final reports whether the payment status can no longer change: paid or
// voided.
func (d *OrderDetail) Final() bool {
	return d.Paid() || d.Voided()
}

// GetOrderDetail reads an order from the billing API. It returns nil and no
// error when the billing system does not know the order (yet). Transient
// failures are retried until ctx ends. An answer of HTTP 200 with Success
// false is an *APIError. When no billing endpoint was configured and the
// API answers NotApplicable, the client switches to the international
// site's endpoint for good and asks there.
func (c *Client) GetOrderDetail(ctx context.Context, orderID string) (*OrderDetail, error) {
	var d *OrderDetail
	err := c.billingCall(ctx, ActionGetOrderDetail, map[string]string{"OrderId": orderID}, func(res *rpcResult) (err error) {
		d, err = ParseOrderDetail(res.body, orderID)
		if d != nil && d.RequestID == "" {
			d.RequestID = res.requestID
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// billingCall sends a billing action and hands its answer to parse.
// An *APIError of either names the action; NotApplicable switches to the
// international site's endpoint (see GetOrderDetail) and asks again.
func (c *Client) billingCall(ctx context.Context, action string, query map[string]string, parse func(res *rpcResult) error) error {
	for {
		endpoint := c.billingEndpoint()
		res, err := c.do(ctx, rpcCall{action: action, version: BillingAPIVersion, endpoint: endpoint, query: query})
		if err == nil {
			err = parse(res)
		}
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			if res != nil {
				// The parser's refusal: name the call.
				apiErr.Action, apiErr.Attempts = action, res.attempts
				if apiErr.RequestID == "" {
					apiErr.RequestID = res.requestID
				}
			}
			if apiErr.Code == CodeNotApplicable && endpoint != InternationalBillingEndpoint && c.cfg.BillingEndpoint == "" {
				c.switchToInternationalBilling()
				continue
			}
		}
		return err
	}
}

// ParseOrderDetail reads the order orderID from a GetOrderDetail answer; it
// returns nil when the answer lists no such order, and an *APIError when
// the answer says Success false.
func ParseOrderDetail(body []byte, orderID string) (*OrderDetail, error) {
	l, err := parseOrderList(body, ActionGetOrderDetail)
	if err != nil {
		return nil, err
	}
	for i := range l.Orders {
		if l.Orders[i].OrderID == orderID {
			return &l.Orders[i], nil
		}
	}
	return nil, nil
}

// orderList is the Data of a GetOrderDetail or QueryOrders answer.
type orderList struct {
	Orders     []OrderDetail
	TotalCount int
}

// parseOrderList reads the orders of a GetOrderDetail or QueryOrders
// answer (action names it in errors): their fields are strings, but an
// OrderId or an amount written as a number is read too; InstanceIDs is
// GetOrderDetail's alone. An answer that says Success false is an
// *APIError.
func parseOrderList(body []byte, action string) (orderList, error) {
	var resp struct {
		RequestID string `json:"RequestId"`
		Code      string
		Message   string
		Success   json.RawMessage
		Data      struct {
			TotalCount json.Number
			OrderList  struct {
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
		return orderList{}, fmt.Errorf("the billing API's answer to %s is not valid JSON: %w", action, err)
	}
	if ok := strings.Trim(string(bytes.TrimSpace(resp.Success)), `"`); strings.EqualFold(ok, "false") {
		// A refusal in a success's clothes: HTTP 200, Success false.
		return orderList{}, &APIError{Action: action, HTTPStatus: http.StatusOK, Code: resp.Code, Message: resp.Message, RequestID: resp.RequestID}
	}
	l := orderList{Orders: make([]OrderDetail, 0, len(resp.Data.OrderList.Order))}
	if n, err := resp.Data.TotalCount.Int64(); err == nil {
		l.TotalCount = int(n)
	}
	for _, o := range resp.Data.OrderList.Order {
		l.Orders = append(l.Orders, OrderDetail{
			OrderID:          o.OrderID.String(),
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
		})
	}
	return l, nil
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

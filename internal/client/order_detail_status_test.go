package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
)

func TestOrderDetail_statusMethods(t *testing.T) {
	for _, tc := range []struct {
		status                      string
		paid, unpaid, voided, final bool
	}{
		{"Paid", true, false, false, true},
		{"paid", true, false, false, true},
		{"PAID", true, false, false, true},
		{"Unpaid", false, true, false, false},
		{"unpaid", false, true, false, false},
		{"Cancelled", false, false, true, true},
		{"cancelled", false, false, true, true},
		{"Canceled", false, false, true, true},
		{"canceled", false, false, true, true},
		{"", false, false, false, false},
		{"Refunded", false, false, false, false},
	} {
		d := &OrderDetail{PaymentStatus: tc.status}
		if d.Paid() != tc.paid || d.Unpaid() != tc.unpaid || d.Voided() != tc.voided || d.Final() != tc.final {
			t.Errorf("%q: Paid %v Unpaid %v Voided %v Final %v; want %v %v %v %v", tc.status,
				d.Paid(), d.Unpaid(), d.Voided(), d.Final(), tc.paid, tc.unpaid, tc.voided, tc.final)
		}
	}
	var none *OrderDetail
	if none.Paid() || none.Unpaid() || none.Voided() || none.Final() {
		t.Error("a nil detail (the order not shown yet) has a status")
	}
}

// answerBilling answers every GetOrderDetail with body, HTTP 200.
func answerBilling(body map[string]any) interceptor {
	return func(w http.ResponseWriter, _ *http.Request, action string, _ url.Values) bool {
		if action != ActionGetOrderDetail {
			return false
		}
		writeAnswer(w, http.StatusOK, body)
		return true
	}
}

// TestGetOrderDetail_successFalseIsAnAPIError: HTTP 200 with Success false
// is a refusal with the API's code, message and request ID, not an order
// the billing system does not show yet.
func TestGetOrderDetail_successFalseIsAnAPIError(t *testing.T) {
	for _, success := range []any{false, "false"} {
		f := newFixture(t, func(c *Config) { c.BillingEndpoint = c.VPCEndpoint })
		f.setIntercept(answerBilling(map[string]any{"RequestId": "R-refused", "Code": "InvalidOrderId.NotFound", "Message": "no such order", "Success": success}))
		d, err := f.client.GetOrderDetail(context.Background(), "42")
		var apiErr *APIError
		if !errors.As(err, &apiErr) || d != nil {
			t.Fatalf("Success %v: got %+v, %v; want an *APIError", success, d, err)
		}
		want := APIError{Action: ActionGetOrderDetail, HTTPStatus: 200, Code: "InvalidOrderId.NotFound", Message: "no such order", RequestID: "R-refused", Attempts: 1}
		if *apiErr != want {
			t.Fatalf("Success %v: %+v, want %+v", success, *apiErr, want)
		}
		if n := len(f.requests(ActionGetOrderDetail)); n != 1 {
			t.Fatalf("%d requests, want 1 (a refusal is final)", n)
		}
	}
}

// TestGetOrderDetail_successFalseNotApplicableSwitches: the NotApplicable
// refusal moves the client to the international site in this shape too.
func TestGetOrderDetail_successFalseNotApplicableSwitches(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		// No billing endpoint configured; every host is dialled at the fixture.
		addr := c.VPCEndpoint
		c.HTTPClient = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}}}
	})
	var n atomic.Int64
	f.setIntercept(func(w http.ResponseWriter, _ *http.Request, action string, _ url.Values) bool {
		if action != ActionGetOrderDetail || n.Add(1) > 1 {
			return false
		}
		writeAnswer(w, http.StatusOK, map[string]any{"RequestId": "R-na", "Code": CodeNotApplicable, "Message": "This API is not applicable for caller.", "Success": false})
		return true
	})
	d, err := f.client.GetOrderDetail(context.Background(), "42")
	if err != nil || d != nil || f.client.billingEndpoint() != InternationalBillingEndpoint || n.Load() != 2 {
		t.Fatalf("got %+v, %v at %s after %d requests; want nil from the international site after 2", d, err, f.client.billingEndpoint(), n.Load())
	}
}

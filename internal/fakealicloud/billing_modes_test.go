package fakealicloud

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestSetPaymentSpelling(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	paid := placeOrder(t, addr, clk.Now())
	unpaid := placeOrder(t, addr, clk.Now(), "AutoPay", "false")
	cancelled := placeOrder(t, addr, clk.Now(), "AutoPay", "false")
	s.SetPaymentStatus(cancelled, PaymentCancelled)
	odd := placeOrder(t, addr, clk.Now(), "AutoPay", "false")
	s.SetPaymentStatus(odd, "Refunded")
	for _, tc := range []struct {
		spelling PaymentSpelling
		want     [4]string
	}{
		{PaymentSpellingDocs, [4]string{"Paid", "Unpaid", "Cancelled", "Refunded"}},
		{PaymentSpellingSDK, [4]string{"paid", "unpaid", "canceled", "Refunded"}},
		{PaymentSpellingCanceled, [4]string{"Paid", "Unpaid", "Canceled", "Refunded"}},
	} {
		s.SetPaymentSpelling(tc.spelling)
		for i, id := range []string{paid, unpaid, cancelled, odd} {
			if got := orderDetails(t, orderDetailCall(clk.Now(), id).do(t, addr))[0].PaymentStatus; got != tc.want[i] {
				t.Errorf("%s: order %d PaymentStatus %q, want %q", tc.spelling, i, got, tc.want[i])
			}
		}
	}
	// The record keeps the constants.
	if bo := s.BillingOrders(); bo[0].PaymentStatus != PaymentPaid || bo[2].PaymentStatus != PaymentCancelled {
		t.Errorf("billing %+v", bo)
	}
	if _, err := ParsePaymentSpelling("upper"); err == nil {
		t.Error("ParsePaymentSpelling accepted upper")
	}
	defer func() {
		if recover() == nil {
			t.Error("SetPaymentSpelling accepted an unknown spelling")
		}
	}()
	s.SetPaymentSpelling("upper")
}

func TestSetOrderDetailFailure(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	id := placeOrder(t, addr, clk.Now())
	s.SetOrderDetailFailure("InternalError", "The request processing has failed.")
	r := orderDetailCall(clk.Now(), id).do(t, addr)
	if r.err != nil || r.status != http.StatusOK || r.code != "InternalError" {
		t.Fatalf("got %d %q: %s", r.status, r.code, r.raw)
	}
	want := fmt.Sprintf(`{"RequestId":%q,"Code":"InternalError","Message":"The request processing has failed.","Success":false}`, r.requestID)
	if r.raw != want {
		t.Errorf("answer\n got %s\nwant %s", r.raw, want)
	}
	if rec := lastRequest(t, s); rec.HTTPStatus != http.StatusOK || rec.Code != "" {
		t.Errorf("record %+v", rec)
	}
	s.SetOrderDetailFailure("NotReady", "")
	if r := orderDetailCall(clk.Now(), id).do(t, addr); r.status != http.StatusOK ||
		!strings.HasSuffix(r.raw, `"Code":"NotReady","Message":"The request failed: NotReady.","Success":false}`) {
		t.Errorf("generic message: %d %s", r.status, r.raw)
	}
	s.SetOrderDetailFailure("", "")
	if got := orderDetails(t, orderDetailCall(clk.Now(), id).do(t, addr)); len(got) != 1 || got[0].OrderID != id {
		t.Errorf("after turning it off: %+v", got)
	}
}

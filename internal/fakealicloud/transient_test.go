package fakealicloud

import (
	"net/http"
	"strings"
	"testing"
)

func TestInjectTransient_nothingCommitted(t *testing.T) {
	for _, tc := range []struct {
		code   string
		status int
	}{
		{CodeOperationConflict, http.StatusBadRequest},
		{CodeSystemBusy, http.StatusBadRequest},
		{CodeServiceUnavailable, http.StatusServiceUnavailable},
	} {
		t.Run(tc.code, func(t *testing.T) {
			s, addr, clk := newTestServer(t, nil)
			s.InjectTransient(tc.code, 2)
			for i := range 2 {
				r := newCall(AlgorithmACS3, clk.Now(), orderParams("tok")).do(t, addr)
				wantErr(t, r, tc.status, tc.code)
				if rec := lastRequest(t, s); rec.Fault != "Answer" || rec.Code != tc.code {
					t.Errorf("attempt %d: record %+v", i, rec)
				}
			}
			if n := len(s.Orders()); n != 0 {
				t.Fatalf("%d orders committed by %s", n, tc.code)
			}
			// The third attempt goes through, once.
			id := wantOK(t, newCall(AlgorithmACS3, clk.Now(), orderParams("tok")).do(t, addr))
			if o := s.Orders(); len(o) != 1 || o[0].ID != id {
				t.Errorf("orders %+v", o)
			}
		})
	}
}

func TestInjectTransient_lastTokenProcessing(t *testing.T) {
	for _, code := range []string{CodeLastTokenProcessing, CodeOperationFailedLastTokenProcessing} {
		t.Run(code, func(t *testing.T) {
			s, addr, clk := newTestServer(t, nil)
			s.InjectTransient(code, 3)
			// The first attempt commits the order but answers code.
			r := newCall(AlgorithmACS3, clk.Now(), orderParams("tok")).do(t, addr)
			wantErr(t, r, http.StatusBadRequest, code)
			if !strings.Contains(r.raw, "The last token request is processing.") {
				t.Errorf("body %s", r.raw)
			}
			orders := s.Orders()
			if len(orders) != 1 || orders[0].ClientToken != "tok" {
				t.Fatalf("the first attempt did not commit: %+v", orders)
			}
			if rec := lastRequest(t, s); rec.Fault != "Processing" || rec.OrderID != "" {
				t.Errorf("record %+v", rec)
			}
			// Retries with the token say so until three answers have, then
			// the order is answered; never a second order.
			for range 2 {
				wantErr(t, newCall(AlgorithmRPC, clk.Now(), orderParams("tok")).do(t, addr), http.StatusBadRequest, code)
				if rec := lastRequest(t, s); rec.Fault != "Answer" {
					t.Errorf("record %+v", rec)
				}
			}
			for range 2 {
				if id := wantOK(t, newCall(AlgorithmRPC, clk.Now(), orderParams("tok")).do(t, addr)); id != orders[0].ID {
					t.Errorf("replay %s, want %s", id, orders[0].ID)
				}
			}
			// A retry with other parameters is still a mismatch.
			wantErr(t, newCall(AlgorithmRPC, clk.Now(), withParams(orderParams("tok"), "Period", "3")).do(t, addr),
				http.StatusBadRequest, "IdempotentParameterMismatch")
			if n := len(s.Orders()); n != 1 {
				t.Errorf("%d orders, want 1", n)
			}
			// The order counts as placed: it is billed, and paid at once.
			if bo := s.BillingOrders(); len(bo) != 1 || bo[0].PaymentStatus != PaymentPaid {
				t.Errorf("billing %+v", bo)
			}
		})
	}
}

func TestInjectTransient_onceAndRefused(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	s.InjectTransient(CodeLastTokenProcessing, 1)
	// A refused request consumes the fault and is answered as without it.
	wantErr(t, newCall(AlgorithmACS3, clk.Now(), withParams(orderParams("a"), "Period", "10")).do(t, addr),
		http.StatusBadRequest, "InvalidPhysicalConnectionPeriod.Malformed")
	wantOK(t, newCall(AlgorithmACS3, clk.Now(), orderParams("a")).do(t, addr))

	s.InjectTransient(CodeLastTokenProcessing, 1)
	wantErr(t, newCall(AlgorithmACS3, clk.Now(), orderParams("b")).do(t, addr), http.StatusBadRequest, CodeLastTokenProcessing)
	if id := wantOK(t, newCall(AlgorithmACS3, clk.Now(), orderParams("b")).do(t, addr)); id != s.Orders()[1].ID {
		t.Errorf("replay %s, orders %+v", id, s.Orders())
	}
	if n := len(s.Orders()); n != 2 {
		t.Errorf("%d orders, want 2", n)
	}

	// Faults queued after apply to the attempts after.
	s.InjectTransient(CodeOperationFailedLastTokenProcessing, 2)
	s.InjectTransient(CodeSystemBusy, 1)
	for _, code := range []string{CodeOperationFailedLastTokenProcessing, CodeOperationFailedLastTokenProcessing, CodeSystemBusy} {
		wantErr(t, newCall(AlgorithmACS3, clk.Now(), orderParams("c")).do(t, addr), http.StatusBadRequest, code)
	}
	wantOK(t, newCall(AlgorithmACS3, clk.Now(), orderParams("c")).do(t, addr))
	if n := len(s.Orders()); n != 3 {
		t.Errorf("%d orders, want 3", n)
	}
}

func TestInjectTransient_panics(t *testing.T) {
	s, _, _ := newTestServer(t, nil)
	for _, tc := range []struct {
		code string
		n    int
	}{{"Throttling.User", 1}, {CodeSystemBusy, 0}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("InjectTransient(%q, %d) did not panic", tc.code, tc.n)
				}
			}()
			s.InjectTransient(tc.code, tc.n)
		}()
	}
}

func TestAnswerFault_anyCode(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	s.InjectFor(ActionDescribePhysicalConnections, Fault{Kind: Answer, Code: "Some.Code"})
	wantErr(t, describeCall(clk.Now(), map[string]string{"RegionId": testRegion}).do(t, addr), http.StatusBadRequest, "Some.Code")
	// A Processing fault on another action does nothing.
	s.InjectFor(ActionDescribePhysicalConnections, Fault{Kind: Processing, Code: CodeLastTokenProcessing})
	wantOK(t, describeCall(clk.Now(), map[string]string{"RegionId": testRegion}).do(t, addr))
	if Answer.String() != "Answer" || Processing.String() != "Processing" {
		t.Errorf("names %s %s", Answer, Processing)
	}
}

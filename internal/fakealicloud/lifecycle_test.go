package fakealicloud

import (
	"net/http"
	"testing"
	"time"
)

func TestStatuses_onlyWaitingCircuitsTakeOrders(t *testing.T) {
	if len(Statuses) != 12 {
		t.Fatalf("%d statuses, want the 12 documented", len(Statuses))
	}
	for _, st := range Statuses {
		t.Run(st, func(t *testing.T) {
			s, addr, clk := newTestServer(t, nil)
			s.SetPhysicalConnectionStatus(testPC, st)
			r := newCall(AlgorithmACS3, clk.Now(), orderParams("")).do(t, addr)
			switch st {
			case StatusConfirmed, StatusComplete:
				wantOK(t, r)
			case StatusEnabled:
				wantErr(t, r, http.StatusBadRequest, "Forbidden.NotAllowedInState")
			default:
				wantErr(t, r, http.StatusBadRequest, "IncorrectStatus.PhysicalConnection")
			}
			want := 0
			if WaitsForPayment(st) {
				want = 1
			}
			if n := len(s.Orders()); n != want {
				t.Errorf("%d orders recorded, want %d", n, want)
			}
		})
	}
}

func TestLifecycle_paidOrderEnablesAfterLag(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	placed := clk.Now()
	id := placeOrder(t, addr, placed) // AutoPay=true, balance sufficient: Paid
	if bo := s.BillingOrders(); bo[0].PaymentStatus != PaymentPaid {
		t.Fatalf("billing %+v", bo)
	}
	// Before the default lag the circuit still waits, and takes no status
	// change from reads.
	clk.Advance(DefaultEnableLag - time.Nanosecond)
	if c := describeConnection(t, addr, clk.Now(), testPC); c.Status != StatusConfirmed || c.EnabledTime != "" {
		t.Fatalf("before the lag: %+v", c)
	}
	clk.Advance(time.Nanosecond)
	c := describeConnection(t, addr, clk.Now(), testPC)
	if c.Status != StatusEnabled || c.EnabledTime != placed.Add(DefaultEnableLag).UTC().Format(utcLayout) {
		t.Fatalf("after the lag: %+v", c)
	}
	if st, ok := s.PhysicalConnectionStatus(testPC); !ok || st != StatusEnabled {
		t.Errorf("PhysicalConnectionStatus %q %v", st, ok)
	}
	// An Enabled circuit refuses a new order, but the token of the paid
	// one still replays (the token is checked before the state).
	wantErr(t, newCall(AlgorithmACS3, clk.Now(), orderParams("")).do(t, addr), http.StatusBadRequest, "Forbidden.NotAllowedInState")
	if len(s.Orders()) != 1 || s.Orders()[0].ID != id {
		t.Errorf("orders %+v", s.Orders())
	}
}

func TestLifecycle_setEnableLag(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	s.SetEnableLag(time.Minute)
	placeOrder(t, addr, clk.Now())
	clk.Advance(59 * time.Second)
	if st, _ := s.PhysicalConnectionStatus(testPC); st != StatusConfirmed {
		t.Fatalf("status %q before a minute", st)
	}
	// The lag is read lazily: shortening it applies to the paid order.
	s.SetEnableLag(30 * time.Second)
	if st, _ := s.PhysicalConnectionStatus(testPC); st != StatusEnabled {
		t.Fatalf("status %q after shortening the lag", st)
	}
	// Lag 0 enables at once; a negative lag counts as 0.
	s2, addr2, clk2 := newTestServer(t, nil)
	s2.SetEnableLag(-time.Second)
	placeOrder(t, addr2, clk2.Now())
	if c := describeConnection(t, addr2, clk2.Now(), testPC); c.Status != StatusEnabled {
		t.Errorf("lag 0: %+v", c)
	}
}

func TestLifecycle_unpaidAndVoidedOrdersLeaveTheCircuitWaiting(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	s.AddPhysicalConnection("pc-void", testRegion, StatusComplete)
	s.SetBalanceSufficient(false)
	placeOrder(t, addr, clk.Now(), "PhysicalConnectionId", "pc-void") // Cancelled
	s.SetBalanceSufficient(true)
	unpaid := placeOrder(t, addr, clk.Now(), "AutoPay", "false")
	placeOrder(t, addr, clk.Now(), "PhysicalConnectionId", "pc-void", "AutoPay", "-") // not sent: unpaid
	clk.Advance(time.Hour)
	for _, id := range []string{testPC, "pc-void"} {
		if c := describeConnection(t, addr, clk.Now(), id); !WaitsForPayment(c.Status) {
			t.Errorf("%s: %+v", id, c)
		}
	}
	// Paying by hand (the console's stand-in) enables it after the lag,
	// counted from the payment.
	if status, _, body := httpDo(t, http.MethodPost, "http://"+addr+"/_fake/orders/"+unpaid+"/pay"); status != http.StatusOK {
		t.Fatalf("pay: %d %s", status, body)
	}
	paid := clk.Now()
	if c := describeConnection(t, addr, clk.Now(), testPC); c.Status != StatusConfirmed {
		t.Fatalf("right after paying: %+v", c)
	}
	clk.Advance(DefaultEnableLag)
	if c := describeConnection(t, addr, clk.Now(), testPC); c.Status != StatusEnabled || c.EnabledTime != paid.Add(DefaultEnableLag).UTC().Format(utcLayout) {
		t.Errorf("after paying: %+v", c)
	}
	if c := describeConnection(t, addr, clk.Now(), "pc-void"); c.Status != StatusComplete {
		t.Errorf("the voided circuit: %+v", c)
	}
}

func TestLifecycle_setPaymentStatus(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	id := placeOrder(t, addr, clk.Now(), "AutoPay", "false")
	// A payment status other than paid does not enable it.
	s.SetPaymentStatus(id, PaymentCancelled)
	clk.Advance(time.Hour)
	if st, _ := s.PhysicalConnectionStatus(testPC); st != StatusConfirmed {
		t.Fatalf("status %q after Cancelled", st)
	}
	// Paid, in the SDK's lower case too, does.
	s.SetPaymentStatus(id, "paid")
	clk.Advance(DefaultEnableLag)
	if st, _ := s.PhysicalConnectionStatus(testPC); st != StatusEnabled {
		t.Fatalf("status %q after paid", st)
	}
	if bo := s.BillingOrders()[0]; bo.PaymentTime.IsZero() {
		t.Errorf("no PaymentTime: %+v", bo)
	}
}

func TestLifecycle_explicitStatusWins(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	placeOrder(t, addr, clk.Now())
	s.SetPhysicalConnectionStatus(testPC, StatusComplete) // forgets the paid order
	clk.Advance(time.Hour)
	if st, _ := s.PhysicalConnectionStatus(testPC); st != StatusComplete {
		t.Errorf("status %q, want the explicit Complete", st)
	}
	if _, ok := s.PhysicalConnectionStatus("pc-unknown"); ok {
		t.Error("an unknown circuit is known")
	}
}

func TestTokenReplay_beforeState(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	first := wantOK(t, newCall(AlgorithmACS3, clk.Now(), orderParams("tok")).do(t, addr))
	for _, st := range []string{StatusEnabled, StatusTerminated} {
		s.SetPhysicalConnectionStatus(testPC, st)
		if again := wantOK(t, newCall(AlgorithmRPC, clk.Now(), orderParams("tok")).do(t, addr)); again != first {
			t.Errorf("%s: replay %s, want %s", st, again, first)
		}
		// Other parameters with the same token still mismatch.
		wantErr(t, newCall(AlgorithmACS3, clk.Now(), withParams(orderParams("tok"), "Period", "2")).do(t, addr),
			http.StatusBadRequest, "IdempotentParameterMismatch")
	}
	s.SetPhysicalConnectionBusinessStatus(testPC, BusinessStatusFinancialLocked)
	if again := wantOK(t, newCall(AlgorithmRPC, clk.Now(), orderParams("tok")).do(t, addr)); again != first {
		t.Errorf("locked: replay %s, want %s", again, first)
	}
	if n := len(s.Orders()); n != 1 {
		t.Errorf("%d orders, want 1", n)
	}
	if r := lastRequest(t, s); r.OrderID != first || r.HTTPStatus != http.StatusOK {
		t.Errorf("record %+v", r)
	}
}

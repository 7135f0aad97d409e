package fakealicloud

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestGetOrderDetail_answer(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	id := placeOrder(t, addr, clk.Now())
	clk.Advance(time.Hour)
	r := orderDetailCall(clk.Now(), id).do(t, addr)
	wantOK(t, r)
	want := fmt.Sprintf(`{"RequestId":%q,"Code":"Success","Message":"Successful!","Success":true,"Data":{"HostName":"business.aliyuncs.com",`+
		`"PageNum":1,"PageSize":20,"TotalCount":1,"OrderList":{"Order":[{"OrderId":"203167309740138","SubOrderId":"20316730974013801",`+
		`"PaymentStatus":"Paid","PaymentTime":"2025-03-04T05:06:07Z","CreateTime":"2025-03-04T05:06:07Z","UsageStartTime":"2025-03-04T05:06:07Z",`+
		`"UsageEndTime":"2025-04-04T05:06:07Z","OrderType":"New","SubscriptionType":"Subscription","PretaxAmount":"1000.00",`+
		`"PretaxGrossAmount":"1000.00","AfterTaxAmount":"1000.00","Tax":"0.00","Currency":"CNY","PaymentCurrency":"CNY","ProductCode":"vpc",`+
		`"ProductType":"vpc_pc_occupancy","Region":"cn-hangzhou","Quantity":"1","InstanceIDs":"[\"pc-test1\"]"}]}}}`, r.requestID)
	if r.raw != want {
		t.Errorf("answer\n got %s\nwant %s", r.raw, want)
	}
	rec := lastRequest(t, s)
	if rec.Action != ActionGetOrderDetail || rec.Version != BillingAPIVersion || rec.SignatureMethod != AlgorithmACS3 ||
		rec.AccessKeyID != testAK || rec.HTTPStatus != http.StatusOK || rec.Code != "" || rec.OrderID != "" ||
		rec.Params["OrderId"] != id || len(rec.Params) != 1 || rec.Host != addr {
		t.Errorf("record %+v", rec)
	}

	// An unknown order: Success with no order.
	r = orderDetailCall(clk.Now(), "42").do(t, addr)
	wantOK(t, r)
	if !strings.Contains(r.raw, `"TotalCount":0,"OrderList":{"Order":[]}`) {
		t.Errorf("unknown order: %s", r.raw)
	}

	// Billing requests are signed and versioned like every other.
	wantErr(t, actionCall(ActionGetOrderDetail, BillingAPIVersion, clk.Now(), nil).do(t, addr), http.StatusBadRequest, "MissingParameter")
	c := orderDetailCall(clk.Now(), id)
	c.version = APIVersion
	r = c.do(t, addr)
	wantErr(t, r, http.StatusBadRequest, "InvalidVersion")
	if !strings.Contains(r.raw, `"HostId":"business.aliyuncs.com"`) {
		t.Errorf("body %s", r.raw)
	}
	c = orderDetailCall(clk.Now(), id)
	c.algo, c.secret = AlgorithmRPC, "wrong"
	wantErr(t, c.do(t, addr), http.StatusBadRequest, "SignatureDoesNotMatch")
	c = orderDetailCall(clk.Now(), id)
	c.algo = AlgorithmRPC
	if got := orderDetails(t, c.do(t, addr)); len(got) != 1 || got[0].OrderID != id {
		t.Errorf("HMAC-SHA1: %+v", got)
	}
}

func TestGetOrderDetail_paymentAndPrice(t *testing.T) {
	for _, tc := range []struct {
		name         string
		insufficient bool
		kv           []string
		status       string
		subscription string
		amount       string
		usageEnd     string
	}{
		{"auto pay", false, nil, PaymentPaid, "Subscription", "1000.00", "2025-04-04T05:06:07Z"},
		{"auto pay, low balance", true, nil, PaymentCancelled, "Subscription", "1000.00", "2025-04-04T05:06:07Z"},
		{"no auto pay", false, []string{"AutoPay", "false"}, PaymentUnpaid, "Subscription", "1000.00", "2025-04-04T05:06:07Z"},
		{"no auto pay, low balance", true, []string{"AutoPay", "false"}, PaymentUnpaid, "Subscription", "1000.00", "2025-04-04T05:06:07Z"},
		{"AutoPay not sent", false, []string{"AutoPay", "-"}, PaymentUnpaid, "Subscription", "1000.00", "2025-04-04T05:06:07Z"},
		{"three months", false, []string{"Period", "3"}, PaymentPaid, "Subscription", "3000.00", "2025-06-04T05:06:07Z"},
		{"two years", false, []string{"Period", "2", "PricingCycle", "Year"}, PaymentPaid, "Subscription", "24000.00", "2027-03-04T05:06:07Z"},
		{"Period not sent", false, []string{"Period", "-"}, PaymentPaid, "Subscription", "1000.00", "2025-04-04T05:06:07Z"},
		{"PostPaid", false, []string{"InstanceChargeType", "PostPaid", "Period", "-", "PricingCycle", "-"}, PaymentPaid, "PayAsYouGo", "0.00", ""},
		{"InstanceChargeType not sent", false, []string{"InstanceChargeType", "-"}, PaymentPaid, "PayAsYouGo", "0.00", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, addr, clk := newTestServer(t, nil)
			s.SetBalanceSufficient(!tc.insufficient)
			id := placeOrder(t, addr, clk.Now(), tc.kv...)
			s.SetBalanceSufficient(true) // only the balance at commit time counts
			got := orderDetails(t, orderDetailCall(clk.Now(), id).do(t, addr))
			if len(got) != 1 {
				t.Fatalf("orders %+v", got)
			}
			d := got[0]
			wantPaid := ""
			if tc.status == PaymentPaid {
				wantPaid = "2025-03-04T05:06:07Z"
			}
			if d.PaymentStatus != tc.status || d.PaymentTime != wantPaid || d.SubscriptionType != tc.subscription ||
				d.PretaxAmount != tc.amount || d.PretaxGrossAmount != tc.amount || d.UsageEndTime != tc.usageEnd ||
				d.Currency != "CNY" || d.Region != testRegion || d.OrderID != id {
				t.Errorf("order %+v", d)
			}
			bo := s.BillingOrders()
			if len(bo) != 1 || bo[0].ID != id || bo[0].PaymentStatus != tc.status || !bo[0].CreateTime.Equal(clk.Now()) ||
				bo[0].PaymentTime.IsZero() != (tc.status != PaymentPaid) {
				t.Errorf("BillingOrders %+v", bo)
			}
		})
	}
}

func TestSetPaymentStatus(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	id := placeOrder(t, addr, clk.Now(), "AutoPay", "false")
	other := placeOrder(t, addr, clk.Now(), "AutoPay", "false")
	status := func() (string, string) {
		t.Helper()
		d := orderDetails(t, orderDetailCall(clk.Now(), id).do(t, addr))[0]
		return d.PaymentStatus, d.PaymentTime
	}
	if st, paid := status(); st != PaymentUnpaid || paid != "" {
		t.Fatalf("%s %q", st, paid)
	}
	clk.Advance(10 * time.Minute)
	s.SetPaymentStatus(id, PaymentPaid)
	if st, paid := status(); st != PaymentPaid || paid != "2025-03-04T05:16:07Z" {
		t.Errorf("after paying: %s %q", st, paid)
	}
	s.SetPaymentStatus(id, PaymentCancelled)
	if st, paid := status(); st != PaymentCancelled || paid != "" {
		t.Errorf("after cancelling: %s %q", st, paid)
	}
	s.SetPaymentStatus(id, "PartialPaid") // any status, for clients' sake
	if st, _ := status(); st != "PartialPaid" {
		t.Errorf("status %s", st)
	}
	s.SetPaymentStatus("42", PaymentPaid) // no effect
	if bo := s.BillingOrders(); len(bo) != 2 || bo[1].ID != other || bo[1].PaymentStatus != PaymentUnpaid {
		t.Errorf("BillingOrders %+v", bo)
	}
}

func TestSetBillingLag(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	s.SetBillingLag(5 * time.Second)
	id := placeOrder(t, addr, clk.Now())
	committed := clk.Now()
	for _, tc := range []struct {
		after time.Duration // since the commit, increasing
		shown bool
	}{
		{0, false},
		{4 * time.Second, false},
		{5*time.Second - time.Nanosecond, false},
		{5 * time.Second, true},
		{time.Hour, true},
	} {
		clk.Advance(committed.Add(tc.after).Sub(clk.Now()))
		if got := orderDetails(t, orderDetailCall(clk.Now(), id).do(t, addr)); (len(got) == 1) != tc.shown {
			t.Errorf("%v after the commit: %d orders, want shown %v", tc.after, len(got), tc.shown)
		}
	}
	// The lag applies to orders already committed.
	s.SetBillingLag(2 * time.Hour)
	if got := orderDetails(t, orderDetailCall(clk.Now(), id).do(t, addr)); len(got) != 0 {
		t.Errorf("with a longer lag: %+v", got)
	}
	s.SetBillingLag(0)
	if got := orderDetails(t, orderDetailCall(clk.Now(), id).do(t, addr)); len(got) != 1 {
		t.Errorf("without lag: %+v", got)
	}
	if bo := s.BillingOrders(); len(bo) != 1 {
		t.Errorf("BillingOrders %+v", bo)
	}
}

func TestSetInstanceIDsFormat(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	id := placeOrder(t, addr, clk.Now())
	// The default is the SDK example's JSON array in a string.
	if got := orderDetails(t, orderDetailCall(clk.Now(), id).do(t, addr))[0].InstanceIDs; got != `["pc-test1"]` {
		t.Errorf("default InstanceIDs %q", got)
	}
	for _, tc := range []struct {
		format InstanceIDsFormat
		want   string
	}{
		{InstanceIDsComma, "pc-test1,i-extra"},
		{InstanceIDsJSON, `["pc-test1"]`},
		{InstanceIDsPlain, "pc-test1"},
	} {
		s.SetInstanceIDsFormat(tc.format)
		if got := orderDetails(t, orderDetailCall(clk.Now(), id).do(t, addr))[0].InstanceIDs; got != tc.want {
			t.Errorf("%s: InstanceIDs %q, want %q", tc.format, got, tc.want)
		}
	}
}

func TestSetBillingMode(t *testing.T) {
	for _, tc := range []struct {
		mode   BillingMode
		host   string // "" for the server's address
		status int
		code   string
		msg    string
	}{
		{BillingNormal, "", http.StatusOK, "", ""},
		{BillingForbidden, "", http.StatusForbidden, "Forbidden.RAM", "User not authorized to operate on the specified resource, or this API doesn't support RAM."},
		{BillingForbidden, InternationalBillingHost, http.StatusForbidden, "Forbidden.RAM", ""},
		{BillingNotApplicable, "", http.StatusBadRequest, "NotApplicable", "This API is not applicable for caller."},
		{BillingNotApplicable, "business.aliyuncs.com", http.StatusBadRequest, "NotApplicable", ""},
		{BillingNotApplicable, InternationalBillingHost, http.StatusOK, "", ""},
		{BillingNotApplicable, InternationalBillingHost + ":443", http.StatusOK, "", ""},
	} {
		t.Run(fmt.Sprintf("%s/%s", tc.mode, tc.host), func(t *testing.T) {
			s, addr, clk := newTestServer(t, nil)
			id := placeOrder(t, addr, clk.Now())
			s.SetBillingMode(tc.mode)
			s.InjectFor(ActionGetOrderDetail, Fault{Kind: Unavailable})
			for _, algo := range []string{AlgorithmACS3, AlgorithmRPC} {
				c := orderDetailCall(clk.Now(), id)
				c.algo, c.host = algo, tc.host
				r := c.do(t, addr)
				if tc.code == "" {
					// The first success takes the fault.
					if algo == AlgorithmACS3 {
						wantErr(t, r, http.StatusServiceUnavailable, "ServiceUnavailable")
						continue
					}
					if got := orderDetails(t, r); len(got) != 1 {
						t.Errorf("orders %+v", got)
					}
					continue
				}
				wantErr(t, r, tc.status, tc.code)
				if !strings.Contains(r.raw, `"HostId":"business.aliyuncs.com"`) || !strings.Contains(r.raw, tc.msg) {
					t.Errorf("body %s", r.raw)
				}
				if rec := lastRequest(t, s); rec.Host != firstNonEmpty(tc.host, addr) || rec.Code != tc.code || rec.Fault != "" {
					t.Errorf("record %+v", rec)
				}
			}
			// Other actions are not affected.
			wantOK(t, describeCall(clk.Now(), map[string]string{"RegionId": testRegion}).do(t, addr))
			placeOrder(t, addr, clk.Now())
		})
	}
}

func TestParseBillingSettings(t *testing.T) {
	for _, s := range []string{"normal", "forbidden", "not-applicable"} {
		if m, err := ParseBillingMode(s); err != nil || string(m) != s {
			t.Errorf("ParseBillingMode(%q) = %q, %v", s, m, err)
		}
	}
	for _, s := range []string{"plain", "comma", "json"} {
		if f, err := ParseInstanceIDsFormat(s); err != nil || string(f) != s {
			t.Errorf("ParseInstanceIDsFormat(%q) = %q, %v", s, f, err)
		}
	}
	if _, err := ParseBillingMode("Normal"); err == nil || !strings.Contains(err.Error(), "normal, forbidden, not-applicable") {
		t.Errorf("ParseBillingMode(Normal): %v", err)
	}
	if _, err := ParseInstanceIDsFormat("csv"); err == nil || !strings.Contains(err.Error(), `"csv"`) {
		t.Errorf("ParseInstanceIDsFormat(csv): %v", err)
	}
	for name, set := range map[string]func(*Server){
		"SetBillingMode":       func(s *Server) { s.SetBillingMode("denied") },
		"SetInstanceIDsFormat": func(s *Server) { s.SetInstanceIDsFormat("") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s with an unknown value did not panic", name)
				}
			}()
			set(New(Config{}))
		}()
	}
}

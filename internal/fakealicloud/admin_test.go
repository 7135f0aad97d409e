package fakealicloud

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAdminEndpoints(t *testing.T) {
	_, addr, clk := newTestServer(t, nil)
	get := func(path string) (*http.Response, []byte) {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = res.Body.Close() }()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	for _, path := range []string{"/_fake/orders", "/_fake/requests"} {
		if _, body := get(path); strings.TrimSpace(string(body)) != "[]" {
			t.Errorf("empty %s: %s", path, body)
		}
	}
	wantOK(t, newCall(AlgorithmACS3, clk.Now(), orderParams("tok")).do(t, addr))
	res, body := get("/_fake/orders")
	var orders []Order
	if err := json.Unmarshal(body, &orders); err != nil || res.StatusCode != 200 || len(orders) != 1 || orders[0].ClientToken != "tok" {
		t.Errorf("orders: %d %s %v", res.StatusCode, body, err)
	}
	res, body = get("/_fake/requests")
	var reqs []Request
	if err := json.Unmarshal(body, &reqs); err != nil || res.StatusCode != 200 || len(reqs) != 1 || reqs[0].OrderID != orders[0].ID {
		t.Errorf("requests: %d %s %v", res.StatusCode, body, err)
	}
	if res, _ := get("/_fake/nothing"); res.StatusCode != 404 {
		t.Errorf("unknown admin path: %d", res.StatusCode)
	}
	res, err := http.Post("http://"+addr+"/_fake/orders", "text/plain", bytes.NewReader(nil))
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST admin: %d", res.StatusCode)
	}
}

func TestAdminBilling(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	do := func(method, path string) (int, string) {
		t.Helper()
		status, _, body := httpDo(t, method, "http://"+addr+path)
		return status, body
	}
	if status, body := do(http.MethodGet, "/_fake/billing"); status != http.StatusOK || strings.TrimSpace(body) != "[]" {
		t.Errorf("empty billing: %d %s", status, body)
	}
	paid := placeOrder(t, addr, clk.Now())
	unpaid := placeOrder(t, addr, clk.Now(), "AutoPay", "false", "AutoRenew", "true")
	_, body := do(http.MethodGet, "/_fake/billing")
	var listed []BillingOrder
	if err := json.Unmarshal([]byte(body), &listed); err != nil || len(listed) != 2 ||
		listed[0].ID != paid || listed[0].PaymentStatus != PaymentPaid || !listed[0].PaymentTime.Equal(clk.Now()) ||
		listed[1].ID != unpaid || listed[1].PaymentStatus != PaymentUnpaid || !listed[1].PaymentTime.IsZero() || listed[1].AutoRenew != "true" {
		t.Errorf("billing: %s %v", body, err)
	}
	if strings.Count(body, `"PaymentTime"`) != 1 {
		t.Errorf("an unpaid order shows a PaymentTime: %s", body)
	}

	// A person pays the unpaid order with curl.
	clk.Advance(time.Minute)
	status, body := do(http.MethodPost, "/_fake/orders/"+unpaid+"/pay")
	var bo BillingOrder
	if err := json.Unmarshal([]byte(body), &bo); err != nil || status != http.StatusOK || bo.ID != unpaid ||
		bo.PaymentStatus != PaymentPaid || !bo.PaymentTime.Equal(clk.Now()) {
		t.Errorf("pay: %d %s %v", status, body, err)
	}
	if d := orderDetails(t, orderDetailCall(clk.Now(), unpaid).do(t, addr)); d[0].PaymentStatus != PaymentPaid {
		t.Errorf("GetOrderDetail after paying: %+v", d)
	}
	if status, body := do(http.MethodPost, "/_fake/orders/42/pay"); status != http.StatusNotFound || !strings.Contains(body, "OrderNotFound") {
		t.Errorf("paying an unknown order: %d %s", status, body)
	}
	if status, _ := do(http.MethodGet, "/_fake/orders/"+unpaid+"/pay"); status != http.StatusMethodNotAllowed {
		t.Errorf("GET pay: %d", status)
	}
	if status, _ := do(http.MethodPost, "/_fake/billing"); status != http.StatusMethodNotAllowed {
		t.Errorf("POST billing: %d", status)
	}
	// Admin requests are not API requests.
	for _, r := range s.Requests() {
		if r.Action != ActionCreateOccupancyOrder && r.Action != ActionGetOrderDetail {
			t.Errorf("record %+v", r)
		}
	}
}

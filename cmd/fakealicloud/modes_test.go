package main

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

// startWith starts the server the flags (besides the keys) describe and
// returns its address.
func startWith(t *testing.T, flags ...string) string {
	t.Helper()
	o, err := parseFlags(append([]string{"-access-key", testAK, "-secret-key", testSecret, "-security-token", testToken}, flags...), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	s := o.newServer(nil)
	addr, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return addr
}

// create places an occupancy order on pc-w in cn-hangzhou with extra
// parameters, given as key-value pairs.
func create(t *testing.T, addr string, kv ...string) (int, map[string]any) {
	t.Helper()
	p := map[string]string{"RegionId": "cn-hangzhou", "PhysicalConnectionId": "pc-w"}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = kv[i+1]
	}
	return call(t, addr, fakealicloud.ActionCreateOccupancyOrder, fakealicloud.APIVersion, p)
}

// circuitStatus returns the Status DescribePhysicalConnections shows for pc,
// or "" when it is not listed; filtered says whether to filter by its ID.
func circuitStatus(t *testing.T, addr, pc string, filtered bool) string {
	t.Helper()
	p := map[string]string{"RegionId": "cn-hangzhou"}
	if filtered {
		p["Filter.1.Key"], p["Filter.1.Value.1"] = "PhysicalConnectionId", pc
	}
	status, body := call(t, addr, fakealicloud.ActionDescribePhysicalConnections, fakealicloud.APIVersion, p)
	if status != http.StatusOK {
		t.Fatalf("describe: %d %v", status, body)
	}
	set, _ := body["PhysicalConnectionSet"].(map[string]any)
	list, _ := set["PhysicalConnectionType"].([]any)
	for _, c := range list {
		if m, _ := c.(map[string]any); m["PhysicalConnectionId"] == pc {
			s, _ := m["Status"].(string)
			return s
		}
	}
	return ""
}

// placed places an order on pc-w as create does and returns its Data.OrderId.
func placed(t *testing.T, addr string, kv ...string) string {
	t.Helper()
	status, body := create(t, addr, kv...)
	data, _ := body["Data"].(map[string]any)
	id, ok := data["OrderId"].(float64)
	if status != http.StatusOK || !ok {
		t.Fatalf("create: %d %v", status, body)
	}
	b, _ := json.Marshal(id)
	return string(b)
}

// fakeOrders returns GET /_fake/orders.
func fakeOrders(t *testing.T, addr string) []fakealicloud.Order {
	t.Helper()
	res, err := http.Get("http://" + addr + "/_fake/orders")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	var orders []fakealicloud.Order
	if err := json.NewDecoder(res.Body).Decode(&orders); err != nil {
		t.Fatal(err)
	}
	return orders
}

func TestModes_payByHand(t *testing.T) {
	addr := startWith(t, "-connection", "pc-w:cn-hangzhou:Confirmed", "-enable-lag", "0")
	id := placed(t, addr, "AutoPay", "false")
	if st := circuitStatus(t, addr, "pc-w", false); st != fakealicloud.StatusConfirmed {
		t.Fatalf("unpaid: %q", st)
	}
	res, err := http.Post("http://"+addr+"/_fake/orders/"+id+"/pay", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("pay: %d", res.StatusCode)
	}
	if st := circuitStatus(t, addr, "pc-w", false); st != fakealicloud.StatusEnabled {
		t.Errorf("paid: %q", st)
	}
	// Enabled takes no further order.
	if status, body := create(t, addr); status != 400 || body["Code"] != "Forbidden.NotAllowedInState" {
		t.Errorf("order on Enabled: %d %v", status, body)
	}
}

func TestModes_enableLag(t *testing.T) {
	addr := startWith(t, "-connection", "pc-w:cn-hangzhou:Complete", "-enable-lag", "1h")
	placed(t, addr, "AutoPay", "true")
	if st := circuitStatus(t, addr, "pc-w", false); st != fakealicloud.StatusComplete {
		t.Errorf("paid, within the lag: %q", st)
	}
}

func TestModes_postPaidRefused(t *testing.T) {
	addr := startWith(t, "-connection", "pc-w:cn-hangzhou:Confirmed", "-postpaid-refused")
	if status, body := create(t, addr, "InstanceChargeType", "PostPaid"); status != 400 || body["Code"] != "InvalidPhysicalConnectionChargeType.Malformed" {
		t.Errorf("PostPaid: %d %v", status, body)
	}
	placed(t, addr, "InstanceChargeType", "PrePaid")
}

func TestModes_transient(t *testing.T) {
	addr := startWith(t, "-connection", "pc-w:cn-hangzhou:Confirmed",
		"-transient", "LastTokenProcessing=2", "-transient", "SystemBusy=1")
	// The attempts in the order of the flags: two LastTokenProcessing (the
	// first commits), one SystemBusy, then the order of the token.
	for _, code := range []string{"LastTokenProcessing", "LastTokenProcessing", "SystemBusy"} {
		if status, body := create(t, addr, "ClientToken", "tok"); status != 400 || body["Code"] != code {
			t.Fatalf("%d %v, want %s", status, body, code)
		}
	}
	first := placed(t, addr, "ClientToken", "tok")
	if o := fakeOrders(t, addr); len(o) != 1 || o[0].ID != first || o[0].ClientToken != "tok" {
		t.Errorf("orders %+v, want one %s", o, first)
	}
}

func TestModes_billing(t *testing.T) {
	addr := startWith(t, "-connection", "pc-w:cn-hangzhou:Confirmed", "-payment-spelling", "sdk")
	id := placed(t, addr, "AutoPay", "true")
	_, body := call(t, addr, fakealicloud.ActionGetOrderDetail, fakealicloud.BillingAPIVersion, map[string]string{"OrderId": id})
	data, _ := body["Data"].(map[string]any)
	list, _ := data["OrderList"].(map[string]any)
	orders, _ := list["Order"].([]any)
	if len(orders) != 1 {
		t.Fatalf("GetOrderDetail %v", body)
	}
	o, _ := orders[0].(map[string]any)
	if o["PaymentStatus"] != "paid" || o["InstanceIDs"] != `["pc-w"]` {
		t.Errorf("order %v, want PaymentStatus paid and the JSON InstanceIDs by default", o)
	}

	addr = startWith(t, "-order-detail-failure", "InternalError:try later")
	status, body := call(t, addr, fakealicloud.ActionGetOrderDetail, fakealicloud.BillingAPIVersion, map[string]string{"OrderId": id})
	if status != 200 || body["Success"] != false || body["Code"] != "InternalError" || body["Message"] != "try later" {
		t.Errorf("failure mode: %d %v", status, body)
	}
}

func TestModes_listingAndRegions(t *testing.T) {
	addr := startWith(t, "-connection", "pc-w:cn-hangzhou:Confirmed", "-connection", "pc-new:cn-hangzhou:Confirmed",
		"-unlisted", "pc-new", "-region", "cn-shanghai")
	if st := circuitStatus(t, addr, "pc-new", false); st != "" {
		t.Errorf("unfiltered listing shows the unlisted circuit: %q", st)
	}
	if st := circuitStatus(t, addr, "pc-new", true); st != fakealicloud.StatusConfirmed {
		t.Errorf("lookup by ID: %q", st)
	}
	if st := circuitStatus(t, addr, "pc-w", false); st != fakealicloud.StatusConfirmed {
		t.Errorf("a listed circuit: %q", st)
	}
	for region, code := range map[string]string{"cn-shanghai": "InvalidPhysicalConnectionId.NotFound", "cn-nowhere": "InvalidRegionId.NotFound"} {
		status, body := call(t, addr, fakealicloud.ActionCreateOccupancyOrder, fakealicloud.APIVersion,
			map[string]string{"RegionId": region, "PhysicalConnectionId": "pc-w"})
		if status != 404 || body["Code"] != code {
			t.Errorf("%s: %d %v, want 404 %s", region, status, body, code)
		}
	}
}

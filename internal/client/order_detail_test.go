package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"reflect"
	"testing"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

func TestParseInstanceIDs(t *testing.T) {
	for in, want := range map[string][]string{
		"pc-a":             {"pc-a"},
		"pc-a,i-b":         {"pc-a", "i-b"},
		" pc-a , i-b ,":    {"pc-a", "i-b"},
		`["pc-a","i-b"]`:   {"pc-a", "i-b"},
		`[]`:               {},
		"":                 nil,
		`["pc-a", ""]`:     {"pc-a"},
		`[not json, pc-a]`: {"[not json", "pc-a]"},
	} {
		if got := ParseInstanceIDs(in); !reflect.DeepEqual(got, want) {
			t.Errorf("ParseInstanceIDs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseOrderDetail(t *testing.T) {
	body := `{"RequestId":"R1","Data":{"OrderList":{"Order":[
		{"OrderId":"1","PaymentStatus":"Unpaid"},
		{"OrderId":"20316730974013899","PaymentStatus":"Paid","PaymentTime":"2026-11-27T01:02:03Z","PretaxAmount":3000.5,"Currency":"CNY","InstanceIDs":"[\"pc-a\"]"}]}}}`
	d, err := ParseOrderDetail([]byte(body), "20316730974013899")
	if err != nil {
		t.Fatal(err)
	}
	want := &OrderDetail{OrderID: "20316730974013899", PaymentStatus: PaymentPaid, PaymentTime: "2026-11-27T01:02:03Z",
		PretaxAmount: "3000.5", Currency: "CNY", InstanceIDs: []string{"pc-a"}, RequestID: "R1"}
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("got %+v\nwant %+v", d, want)
	}
	if d, err := ParseOrderDetail([]byte(`{"Data":{"OrderList":{"Order":[]}}}`), "2"); d != nil || err != nil {
		t.Fatalf("an empty list gave %+v, %v; want nil, nil", d, err)
	}
	if _, err := ParseOrderDetail([]byte(`<xml/>`), "2"); err == nil {
		t.Fatal("a non-JSON answer gave no error")
	}
}

// TestGetOrderDetail_instanceIDShapes reads an order through the fake in
// each shape the billing API gives InstanceIDs.
func TestGetOrderDetail_instanceIDShapes(t *testing.T) {
	for format, want := range map[fakealicloud.InstanceIDsFormat][]string{
		fakealicloud.InstanceIDsPlain: {testPC},
		fakealicloud.InstanceIDsComma: {testPC, fakealicloud.ExtraInstanceID},
		fakealicloud.InstanceIDsJSON:  {testPC},
	} {
		f := newFixture(t, func(c *Config) { c.BillingEndpoint = c.VPCEndpoint })
		f.fake.SetInstanceIDsFormat(format)
		o, err := f.client.CreateOccupancyOrder(context.Background(), order("tok-"+string(format)))
		if err != nil {
			t.Fatal(err)
		}
		d, err := f.client.GetOrderDetail(context.Background(), o.OrderID)
		if err != nil || d == nil {
			t.Fatalf("%s: %+v, %v", format, d, err)
		}
		if d.OrderID != o.OrderID || d.PaymentStatus != PaymentPaid || d.SubscriptionType != "Subscription" || !reflect.DeepEqual(d.InstanceIDs, want) {
			t.Errorf("%s: got %+v, want order %s Paid Subscription on %q", format, d, o.OrderID, want)
		}
		reqs := f.fake.Requests()
		if last := reqs[len(reqs)-1]; last.Action != ActionGetOrderDetail || last.Version != BillingAPIVersion || last.Params["OrderId"] != o.OrderID {
			t.Errorf("%s: the fake received %+v", format, last)
		}
	}
}

// TestGetOrderDetail_notApplicableSwitchesOnce: an account of the
// international site is answered NotApplicable by the default endpoint;
// the client moves to the international one for good, and only when no
// endpoint was configured.
func TestGetOrderDetail_notApplicableSwitchesOnce(t *testing.T) {
	fake := fakealicloud.New(fakealicloud.Config{Credentials: map[string]fakealicloud.Credential{testKey: {AccessKeySecret: testSecret}}})
	addr, err := fake.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	fake.SetBillingMode(fakealicloud.BillingNotApplicable)
	// Every host name is dialled at the fake, which sees the Host asked for.
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}}
	newClient := func(billing string) *Client {
		c, err := New(Config{RegionID: testRegion, VPCEndpoint: addr, BillingEndpoint: billing, Protocol: ProtocolHTTP,
			Credential: staticCredential(t, testSecret), HTTPClient: hc, Retry: RetryPolicy{MaxAttempts: 1}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	c := newClient("")
	for range 2 {
		if _, err := c.GetOrderDetail(context.Background(), "1"); err != nil {
			t.Fatal(err)
		}
	}
	var hosts []string
	for _, r := range fake.Requests() {
		hosts = append(hosts, r.Host)
	}
	want := []string{DefaultBillingEndpoint, InternationalBillingEndpoint, InternationalBillingEndpoint}
	if !reflect.DeepEqual(hosts, want) {
		t.Fatalf("hosts asked %q, want %q", hosts, want)
	}

	// A configured endpoint is never switched.
	_, err = newClient("business.example.internal").GetOrderDetail(context.Background(), "1")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != CodeNotApplicable {
		t.Fatalf("err = %v, want the NotApplicable answer", err)
	}
}

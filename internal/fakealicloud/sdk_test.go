package fakealicloud

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/alibabacloud-go/tea/dara"
)

// TestSDKCompatibility signs real requests with darabonba-openapi v2, with
// both signature algorithms, with and without a security token, with the
// parameters in the query and in a form body, against the fake.
func TestSDKCompatibility(t *testing.T) {
	s := New(Config{Credentials: map[string]Credential{
		testAK: {AccessKeySecret: testSecret},
		stsAK:  {AccessKeySecret: stsSecret, SecurityToken: stsToken},
	}})
	s.AddPhysicalConnection(testPC, testRegion, StatusConfirmed)
	addr := start(t, s)

	n := 0
	for _, algorithm := range []string{"", "v2"} {
		for _, sts := range []bool{false, true} {
			for _, inBody := range []bool{false, true} {
				name := fmt.Sprintf("algorithm=%q/sts=%v/body=%v", algorithm, sts, inBody)
				t.Run(name, func(t *testing.T) {
					cfg := sdkConfig(addr, "HTTP", testAK, testSecret, "", algorithm)
					if sts {
						cfg = sdkConfig(addr, "HTTP", stsAK, stsSecret, stsToken, algorithm)
					}
					// Values that need percent-encoding, to exercise the
					// canonical query of both signatures.
					p := orderParams(fmt.Sprintf("tok %d*~+/é", n))
					n++
					res, err := sdkCall(t, cfg, p, inBody)
					if err != nil {
						t.Fatalf("SDK call failed: %v", err)
					}
					raw, _ := res["body"].(string)
					var body struct {
						RequestID string `json:"RequestId"`
						Data      struct {
							OrderID json.RawMessage `json:"OrderId"`
						}
					}
					if err := json.Unmarshal([]byte(raw), &body); err != nil || body.RequestID == "" || len(body.Data.OrderID) == 0 {
						t.Fatalf("answer %q: %v", raw, err)
					}
					reqs := s.Requests()
					rec := reqs[len(reqs)-1]
					wantMethod := AlgorithmACS3
					if algorithm == "v2" {
						wantMethod = AlgorithmRPC
					}
					wantToken := ""
					if sts {
						wantToken = stsToken
					}
					if rec.SignatureMethod != wantMethod || rec.SecurityToken != wantToken || rec.HTTPStatus != 200 ||
						rec.Action != ActionCreateOccupancyOrder || rec.Version != APIVersion || fmt.Sprint(rec.Params) != fmt.Sprint(p) ||
						rec.OrderID != string(body.Data.OrderID) {
						t.Errorf("record %+v", rec)
					}

					// The same call with a wrong secret is rejected.
					bad := *cfg
					bad.AccessKeySecret = dara.String("wrong")
					if _, err := sdkCall(t, &bad, p, inBody); err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
						t.Errorf("wrong secret: %v", err)
					}
				})
			}
		}
	}
}

// TestSDKOverTLS checks the SDK against StartTLS, trusting the shared test
// certificate through the system roots (SSL_CERT_FILE) and through the
// SDK's Ca option.
func TestSDKOverTLS(t *testing.T) {
	s := New(Config{Credentials: map[string]Credential{testAK: {AccessKeySecret: testSecret}}, TLSCertificate: &testCert})
	s.AddPhysicalConnection(testPC, testRegion, StatusConfirmed)
	addr := startTLS(t, s)
	for i, ca := range []string{"", string(testCertPEM)} {
		cfg := sdkConfig(addr, "HTTPS", testAK, testSecret, "", "")
		if ca != "" {
			cfg.Ca = dara.String(ca)
		}
		if _, err := sdkCall(t, cfg, orderParams(fmt.Sprint("tls", i)), false); err != nil {
			t.Fatalf("SDK call over TLS (Ca %v) failed: %v", ca != "", err)
		}
	}
	if n := len(s.Orders()); n != 2 {
		t.Errorf("%d orders", n)
	}
}

// TestSDKOtherActions calls DescribePhysicalConnections (with filters) and
// GetOrderDetail with the real SDK, with both signature algorithms.
func TestSDKOtherActions(t *testing.T) {
	s := New(Config{Credentials: map[string]Credential{testAK: {AccessKeySecret: testSecret}}})
	s.AddPhysicalConnection(testPC, testRegion, StatusConfirmed)
	s.AddPhysicalConnection("pc-test2", testRegion, "Terminated")
	addr := start(t, s)
	for _, algorithm := range []string{"", "v2"} {
		cfg := sdkConfig(addr, "HTTP", testAK, testSecret, "", algorithm)
		res, err := sdkCallAction(t, cfg, ActionDescribePhysicalConnections, APIVersion, map[string]string{
			"RegionId": testRegion, "Filter.1.Key": "PhysicalConnectionId", "Filter.1.Value.1": "pc-test2", "Filter.1.Value.2": "pc-none",
		}, false)
		if err != nil {
			t.Fatalf("%q: DescribePhysicalConnections: %v", algorithm, err)
		}
		raw, _ := res["body"].(string)
		var d describeAnswer
		if err := json.Unmarshal([]byte(raw), &d); err != nil || d.TotalCount != 1 ||
			d.PhysicalConnectionSet.PhysicalConnectionType[0].Status != "Terminated" {
			t.Errorf("%q: answer %s: %v", algorithm, raw, err)
		}

		id := "203167309740138"
		if algorithm == "" {
			if _, err := sdkCall(t, cfg, orderParams(""), true); err != nil {
				t.Fatal(err)
			}
		}
		res, err = sdkCallAction(t, cfg, ActionGetOrderDetail, BillingAPIVersion, map[string]string{"OrderId": id}, true)
		if err != nil {
			t.Fatalf("%q: GetOrderDetail: %v", algorithm, err)
		}
		raw, _ = res["body"].(string)
		var o orderDetailAnswer
		if err := json.Unmarshal([]byte(raw), &o); err != nil || len(o.Data.OrderList.Order) != 1 || o.Data.OrderList.Order[0].OrderID != id {
			t.Errorf("%q: answer %s: %v", algorithm, raw, err)
		}
	}
}

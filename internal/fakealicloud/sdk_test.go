package fakealicloud

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
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
	s.AddPhysicalConnection(testPC, testRegion, "Enabled")
	addr := start(t, s)

	n := 0
	for _, algorithm := range []string{"", "v2"} {
		for _, sts := range []bool{false, true} {
			for _, inBody := range []bool{false, true} {
				name := fmt.Sprintf("algorithm=%q/sts=%v/body=%v", algorithm, sts, inBody)
				t.Run(name, func(t *testing.T) {
					cfg := &openapi.Config{
						AccessKeyId:     dara.String(testAK),
						AccessKeySecret: dara.String(testSecret),
						Endpoint:        dara.String(addr),
						Protocol:        dara.String("HTTP"),
					}
					if sts {
						cfg.AccessKeyId, cfg.AccessKeySecret, cfg.SecurityToken = dara.String(stsAK), dara.String(stsSecret), dara.String(stsToken)
					}
					if algorithm != "" {
						cfg.SignatureAlgorithm = dara.String(algorithm)
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
	s.AddPhysicalConnection(testPC, testRegion, "Enabled")
	addr := startTLS(t, s)
	for i, ca := range []string{"", string(testCertPEM)} {
		cfg := &openapi.Config{
			AccessKeyId:     dara.String(testAK),
			AccessKeySecret: dara.String(testSecret),
			Endpoint:        dara.String(addr),
			Protocol:        dara.String("HTTPS"),
		}
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

package fakealicloud

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestAuthenticationErrors(t *testing.T) {
	for _, algo := range []string{AlgorithmACS3, AlgorithmRPC} {
		t.Run(algo, func(t *testing.T) {
			s, addr, clk := newTestServer(t, nil)
			now := clk.Now()
			ok := func() call { return newCall(algo, now, orderParams("")) }

			c := ok()
			c.ak = "nobody"
			wantErr(t, c.do(t, addr), 404, "InvalidAccessKeyId.NotFound")

			c = ok()
			c.secret = "wrong"
			wantErr(t, c.do(t, addr), 400, "SignatureDoesNotMatch")

			// A parameter changed after signing.
			req := ok().request(t, addr)
			q := req.URL.Query()
			q.Set("Period", "2")
			req.URL.RawQuery = q.Encode()
			wantErr(t, send(t, req), 400, "SignatureDoesNotMatch")

			for _, skew := range []time.Duration{16 * time.Minute, -16 * time.Minute} {
				c = ok()
				c.date = now.Add(skew)
				wantErr(t, c.do(t, addr), 400, "InvalidTimeStamp.Expired")
			}
			c = ok()
			c.stamp = "2025-03-04 05:06:07"
			wantErr(t, c.do(t, addr), 400, "InvalidTimeStamp.Format")
			c = ok()
			c.date = now.Add(14 * time.Minute)
			wantOK(t, c.do(t, addr))

			c = ok()
			c.nonce = "same-nonce"
			wantOK(t, c.do(t, addr))
			wantErr(t, c.do(t, addr), 400, "SignatureNonceUsed")
			c.ak, c.secret, c.token = stsAK, stsSecret, stsToken
			wantOK(t, c.do(t, addr)) // nonces are per AccessKey

			c = ok()
			c.ak, c.secret = stsAK, stsSecret
			wantErr(t, c.do(t, addr), 403, "MissingSecurityToken")
			c.token = "other"
			wantErr(t, c.do(t, addr), 400, "InvalidSecurityToken.MismatchWithAccessKey")
			c = ok()
			c.token = "unexpected"
			wantErr(t, c.do(t, addr), 400, "InvalidSecurityToken.MismatchWithAccessKey")
			c = ok()
			c.ak, c.secret, c.token = stsAK, stsSecret, stsToken
			wantOK(t, c.do(t, addr))
			reqs := s.Requests()
			if last := reqs[len(reqs)-1]; last.SecurityToken != stsToken || last.AccessKeyID != stsAK {
				t.Errorf("record %+v", last)
			}

			// Unsigned request.
			req, _ = http.NewRequest(http.MethodPost, "http://"+addr+"/?Action="+ActionCreateOccupancyOrder, nil)
			wantErr(t, send(t, req), 400, "IncompleteSignature")

			// No fault is consumed by rejected requests.
			s.Inject(Fault{Kind: Unavailable})
			c = ok()
			c.secret = "wrong"
			wantErr(t, c.do(t, addr), 400, "SignatureDoesNotMatch")
			wantErr(t, ok().do(t, addr), 503, "ServiceUnavailable")
		})
	}
}

func TestACS3Specifics(t *testing.T) {
	_, addr, clk := newTestServer(t, nil)
	ok := func() call { return newCall(AlgorithmACS3, clk.Now(), orderParams("")) }

	// The body must match x-acs-content-sha256.
	c := ok()
	c.inBody = true
	req := c.request(t, addr)
	req.Body = io.NopCloser(strings.NewReader("RegionId=x"))
	req.ContentLength = int64(len("RegionId=x"))
	wantErr(t, send(t, req), 400, "SignatureDoesNotMatch")

	// A signed header changed after signing.
	c = ok()
	c.tamperHeaders = func(h map[string]string) { h["x-acs-signature-nonce"] = "changed" }
	wantErr(t, c.do(t, addr), 400, "SignatureDoesNotMatch")

	// Required headers must be signed.
	req = ok().request(t, addr)
	auth := req.Header.Get("Authorization")
	req.Header.Set("Authorization", strings.Replace(auth, "x-acs-date;", "", 1))
	wantErr(t, send(t, req), 400, "IncompleteSignature")

	// Unknown algorithm.
	req = ok().request(t, addr)
	req.Header.Set("Authorization", strings.Replace(req.Header.Get("Authorization"), "ACS3-HMAC-SHA256", "ACS3-HMAC-SM3", 1))
	wantErr(t, send(t, req), 400, "IncompleteSignature")

	// A date changed after signing.
	req = ok().request(t, addr)
	req.Header.Set("x-acs-date", "yesterday")
	wantErr(t, send(t, req), 400, "SignatureDoesNotMatch")

	// Extra unsigned headers are fine.
	req = ok().request(t, addr)
	req.Header.Set("User-Agent", "test")
	req.Header.Set("Accept", "application/json")
	wantOK(t, send(t, req))
}

// The documented examples pass the server's verifier: they fail only
// because the fake does not implement their actions.
func TestVerifierAcceptsDocumentedExamples(t *testing.T) {
	t.Run("HMAC-SHA1", func(t *testing.T) {
		s := New(Config{
			Credentials: map[string]Credential{"testid": {AccessKeySecret: "testsecret"}},
			Now:         func() time.Time { return time.Date(2016, 2, 23, 12, 46, 30, 0, time.UTC) },
		})
		addr := start(t, s)
		q := url.Values{"Signature": {rpcExampleSignature}}
		for k, v := range rpcExample {
			q.Set(k, v)
		}
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/?"+q.Encode(), nil)
		res := send(t, req)
		if res.status != http.StatusNotFound || res.code != "InvalidAction.NotFound" {
			t.Fatalf("got %d %s %s", res.status, res.code, res.raw)
		}
		r := s.Requests()[0]
		if r.SignatureMethod != AlgorithmRPC || r.AccessKeyID != "testid" || r.Action != "DescribeRegions" || len(r.Params) != 0 {
			t.Errorf("recorded %+v", r)
		}
	})
	t.Run("ACS3-HMAC-SHA256", func(t *testing.T) {
		s := New(Config{
			Credentials: map[string]Credential{"YourAccessKeyId": {AccessKeySecret: "YourAccessKeySecret"}},
			Now:         func() time.Time { return time.Date(2023, 10, 26, 10, 22, 40, 0, time.UTC) },
		})
		addr := start(t, s)
		q := url.Values{}
		for k, v := range acs3ExampleQuery {
			q.Set(k, v)
		}
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/?"+q.Encode(), nil)
		req.Host = acs3ExampleHeaders["host"]
		for k, v := range acs3ExampleHeaders {
			if k != "host" {
				req.Header.Set(k, v)
			}
		}
		req.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders="+
			ACS3SignedHeaders(acs3ExampleHeaders)+",Signature="+acs3ExampleSignature)
		res := send(t, req)
		if res.status != http.StatusNotFound || res.code != "InvalidAction.NotFound" {
			t.Fatalf("got %d %s %s", res.status, res.code, res.raw)
		}
		r := s.Requests()[0]
		if r.SignatureMethod != AlgorithmACS3 || r.AccessKeyID != "YourAccessKeyId" || r.Action != "RunInstances" || r.Params["RegionId"] != "cn-shanghai" {
			t.Errorf("recorded %+v", r)
		}
	})
}

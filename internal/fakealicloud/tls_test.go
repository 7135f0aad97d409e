package fakealicloud

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStartTLS(t *testing.T) {
	clk := &clock{t: time.Now()}
	s := New(Config{Credentials: map[string]Credential{testAK: {AccessKeySecret: testSecret}}, Now: clk.Now, TLSCertificate: &testCert})
	s.AddPhysicalConnection(testPC, testRegion, StatusConfirmed)
	addr := startTLS(t, s)
	// The shared certificate is trusted through SSL_CERT_FILE.
	client := systemRootsClient()
	_, port, _ := strings.Cut(addr, ":")
	for _, host := range []string{"127.0.0.1", "localhost"} {
		req := newCall(AlgorithmACS3, clk.Now(), orderParams("")).request(t, host+":"+port)
		req.URL.Scheme = "https"
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		_ = res.Body.Close()
		if res.StatusCode != 200 || res.Proto != "HTTP/1.1" {
			t.Errorf("%s: status %d, %s", host, res.StatusCode, res.Proto)
		}
	}
	// A lost answer works over TLS too.
	s.Inject(Fault{Kind: LoseResponse})
	req := newCall(AlgorithmACS3, clk.Now(), orderParams("")).request(t, addr)
	req.URL.Scheme = "https"
	if res, err := client.Do(req); err == nil {
		_ = res.Body.Close()
		t.Errorf("LoseResponse answered %d", res.StatusCode)
	}
	if n := len(s.Orders()); n != 3 {
		t.Errorf("%d orders, want 3", n)
	}
	// The same certificate serves a second listener and a second server.
	if _, certPEM, err := s.StartTLS(); err != nil || !bytes.Equal(certPEM, testCertPEM) {
		t.Errorf("second StartTLS: %v", err)
	}
	other := New(Config{TLSCertificate: &testCert})
	startTLS(t, other)
}

func TestStartTLSFreshCertificate(t *testing.T) {
	s := New(Config{Credentials: map[string]Credential{testAK: {AccessKeySecret: testSecret}}})
	s.AddPhysicalConnection(testPC, testRegion, StatusConfirmed)
	addr, certPEM, err := s.StartTLS()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if bytes.Equal(certPEM, testCertPEM) {
		t.Fatal("StartTLS without Config.TLSCertificate served the shared certificate")
	}
	// Not trusted by the system roots...
	req := newCall(AlgorithmACS3, time.Now(), orderParams("")).request(t, addr)
	req.URL.Scheme = "https"
	if res, err := systemRootsClient().Do(req); err == nil {
		_ = res.Body.Close()
		t.Fatal("a fresh certificate is trusted by the system roots")
	} else if !strings.Contains(err.Error(), "certificate signed by unknown authority") {
		t.Errorf("error %v", err)
	}
	// ...but by a client given its PEM.
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(certPEM) {
		t.Fatal("bad certificate PEM")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req = newCall(AlgorithmACS3, time.Now(), orderParams("")).request(t, addr)
	req.URL.Scheme = "https"
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("status %d", res.StatusCode)
	}
}

func TestNewCertificate(t *testing.T) {
	cert, certPEM, err := NewCertificate()
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if cert.Leaf == nil || !cert.Leaf.Equal(leaf) {
		t.Error("Leaf is not set")
	}
	if !leaf.IsCA || leaf.KeyUsage&x509.KeyUsageCertSign == 0 || leaf.KeyUsage&x509.KeyUsageDigitalSignature == 0 ||
		len(leaf.ExtKeyUsage) != 1 || leaf.ExtKeyUsage[0] != x509.ExtKeyUsageServerAuth {
		t.Errorf("usage: IsCA %v, KeyUsage %v, ExtKeyUsage %v", leaf.IsCA, leaf.KeyUsage, leaf.ExtKeyUsage)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(certPEM) {
		t.Fatal("bad PEM")
	}
	for _, name := range []string{"127.0.0.1", "::1", "localhost"} {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: pool}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: pool}); err == nil {
		t.Error("valid for example.com")
	}
	if _, err := tls.X509KeyPair(certPEM, nil); err == nil {
		t.Error("the PEM holds a private key")
	}
	if _, other, _ := NewCertificate(); bytes.Equal(other, certPEM) {
		t.Error("two calls made the same certificate")
	}
}

package fakealicloud

import (
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// The certificate every TLS test server of the package serves. Its PEM is
// the file SSL_CERT_FILE names, so that clients using the system roots
// (credentials-go clones http.DefaultTransport) trust it: Go loads the
// system roots once per process, at the first verification, so this must
// happen before any test runs.
var (
	testCert    tls.Certificate
	testCertPEM []byte
)

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	cert, certPEM, err := NewCertificate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "NewCertificate:", err)
		return 1
	}
	testCert, testCertPEM = cert, certPEM
	dir, err := os.MkdirTemp("", "fakealicloud-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	path := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(path, certPEM, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := os.Setenv("SSL_CERT_FILE", path); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// credentials-go prefers these to what its builders are given.
	for _, name := range []string{"ALIBABA_CLOUD_OIDC_TOKEN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "ALIBABA_CLOUD_CREDENTIALS_URI"} {
		_ = os.Unsetenv(name)
	}
	return m.Run()
}

package fakealicloud

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"time"
)

// CertificateValidity is how long a certificate made by NewCertificate is
// valid, counted from the real time it is made (it is also valid from an
// hour before, to allow for clock differences).
const CertificateValidity = 7 * 24 * time.Hour

// NewCertificate makes a self-signed ECDSA P-256 certificate for 127.0.0.1,
// ::1 and localhost, usable as its own CA (so that a client can trust it by
// adding certPEM to its roots, for instance through SSL_CERT_FILE). Its
// validity is by the real clock, not Config.Now, because clients check it
// against the real clock. It returns the certificate with its private key,
// ready for Config.TLSCertificate, and the certificate alone in PEM.
//
// One certificate can serve any number of Servers: a test process whose
// clients trust the system roots (which Go loads only once per process) can
// make one certificate, point SSL_CERT_FILE at its PEM before the first TLS
// handshake, and give it to every Server.
func NewCertificate() (cert tls.Certificate, certPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "fakealicloud"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(CertificateValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	cert = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
	return cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}

// certificatePEM encodes the certificate chain of cert in PEM.
func certificatePEM(cert *tls.Certificate) ([]byte, error) {
	if len(cert.Certificate) == 0 {
		return nil, errors.New("fakealicloud: the TLS certificate has no certificate")
	}
	var out []byte
	for _, der := range cert.Certificate {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	return out, nil
}

// serverTLSConfig returns a server TLS configuration serving cert, with
// HTTP/1.1 as the only ALPN protocol.
func serverTLSConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
		NextProtos:   []string{"http/1.1"},
	}
}

// tlsListener wraps ln so that its connections speak TLS with cfg.
func tlsListener(ln net.Listener, cfg *tls.Config) net.Listener {
	return tls.NewListener(ln, cfg)
}

package fakealicloud

import (
	"crypto/tls"
	"errors"
	"fmt"
	"maps"
	mathrand "math/rand"
	"net"
	"net/http"
	"sync"
	"time"
)

// DefaultFirstOrderID is the first order number when Config.FirstOrderID is 0.
const DefaultFirstOrderID uint64 = 203167309740138

// DefaultMaxSkew is the accepted clock skew when Config.MaxSkew is 0.
const DefaultMaxSkew = 15 * time.Minute

// Credential is the secret side of one AccessKey known to the fake.
type Credential struct {
	// AccessKeySecret signs the requests of this AccessKeyId.
	AccessKeySecret string
	// SecurityToken is "" when the key needs no token (a request that
	// carries one is then rejected); otherwise every request with this key
	// must carry exactly this token.
	SecurityToken string
	// Expiration, when not zero, is when the key stops working: a request
	// signed with it at or after Expiration (by Config.Now) is rejected
	// with InvalidSecurityToken.Expired. Keys issued by the STS actions
	// and /_fake/credentials expire.
	Expiration time.Time
}

// Config configures a Server. The zero value of every field but Credentials
// means its default.
type Config struct {
	// Credentials holds the known AccessKeys by AccessKeyId.
	Credentials map[string]Credential
	// Now is the server's clock; nil means time.Now. It dates requests,
	// checks their timestamps and refills the rate limiter.
	Now func() time.Time
	// MaxSkew is how far a request's x-acs-date or Timestamp may be from
	// Now; 0 means DefaultMaxSkew.
	MaxSkew time.Duration
	// FirstOrderID is the number of the first order; later orders count up
	// from it. 0 means DefaultFirstOrderID.
	FirstOrderID uint64
	// OrderIDAsString makes answers carry Data.OrderId as a JSON string
	// instead of a JSON number.
	OrderIDAsString bool
	// OnRequest, when set, is called with the record of every API request
	// once it has been answered (or dropped).
	OnRequest func(Request)
	// TLSCertificate, when set, is the certificate StartTLS serves (see
	// NewCertificate); nil means a fresh self-signed certificate per
	// StartTLS call.
	TLSCertificate *tls.Certificate
}

// Server is the fake endpoint. It is an http.Handler; Start, Listen and
// StartTLS also serve it on a loopback listener. All methods are safe for
// concurrent use.
type Server struct {
	cfg   Config
	done  chan struct{}
	admin http.Handler // the endpoints under /_fake/

	mu          sync.Mutex
	closed      bool
	creds       map[string]Credential
	roles       map[string]role
	oidcTokens  map[string]map[string]bool // provider ARN -> tokens
	issued      []IssuedCredential
	servers     []*http.Server
	connections map[string]physicalConnection
	regions     map[string]bool // known without a circuit (AddRegion)
	enableLag   time.Duration
	postPaidOff bool // SetPostPaidRefused
	requests    []Request
	orders      []Order
	tokens      map[string]tokenEntry
	nextOrderID uint64
	nonces      map[string]time.Time
	nonceAdds   int
	faults      map[string][]Fault // by action
	denied      map[string]string  // action -> error code
	billing     billingState
	lossRate    float64
	lossRNG     *mathrand.Rand
	rate        float64
	burst       float64
	bucket      float64
	bucketTime  time.Time
}

// New returns a Server with cfg's defaults filled in. It does not listen
// until Start, Listen or StartTLS is called.
func New(cfg Config) *Server {
	creds := maps.Clone(cfg.Credentials)
	if creds == nil {
		creds = make(map[string]Credential)
	}
	cfg.Credentials = nil // the server's keys are in creds
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxSkew <= 0 {
		cfg.MaxSkew = DefaultMaxSkew
	}
	if cfg.FirstOrderID == 0 {
		cfg.FirstOrderID = DefaultFirstOrderID
	}
	s := &Server{
		cfg:         cfg,
		done:        make(chan struct{}),
		creds:       creds,
		roles:       make(map[string]role),
		oidcTokens:  make(map[string]map[string]bool),
		connections: make(map[string]physicalConnection),
		regions:     make(map[string]bool),
		enableLag:   DefaultEnableLag,
		tokens:      make(map[string]tokenEntry),
		nonces:      make(map[string]time.Time),
		faults:      make(map[string][]Fault),
		denied:      make(map[string]string),
		billing:     newBillingState(),
		nextOrderID: cfg.FirstOrderID,
	}
	s.admin = s.adminHandler()
	return s
}

// Start serves plain HTTP on 127.0.0.1 at a free port and returns the
// address, "127.0.0.1:PORT".
func (s *Server) Start() (addr string, err error) {
	return s.Listen("127.0.0.1:0")
}

// Listen serves plain HTTP on addr ("host:port"), which must be a loopback
// address or localhost, and returns the address listened on.
func (s *Server) Listen(addr string) (string, error) {
	if err := checkLoopback(addr); err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	return s.serve(ln)
}

// StartTLS serves HTTPS (HTTP/1.1 only) on 127.0.0.1 at a free port, with
// Config.TLSCertificate when set and otherwise with a fresh certificate from
// NewCertificate. It returns the address and the certificate in PEM, for
// the client to trust.
func (s *Server) StartTLS() (addr string, certPEM []byte, err error) {
	var cert tls.Certificate
	if s.cfg.TLSCertificate != nil {
		cert = *s.cfg.TLSCertificate
		if certPEM, err = certificatePEM(&cert); err != nil {
			return "", nil, err
		}
	} else if cert, certPEM, err = NewCertificate(); err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr, err = s.serve(tlsListener(ln, serverTLSConfig(cert)))
	if err != nil {
		return "", nil, err
	}
	return addr, certPEM, nil
}

// serve starts an http.Server on ln.
func (s *Server) serve(ln net.Listener) (string, error) {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 30 * time.Second,
		// An empty map turns HTTP/2 off, so that Hijack always works.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ln.Close()
		return "", errors.New("fakealicloud: server closed")
	}
	s.servers = append(s.servers, srv)
	s.mu.Unlock()
	go srv.Serve(ln) //nolint:errcheck // Serve returns ErrServerClosed after Close.
	return ln.Addr().String(), nil
}

// checkLoopback refuses an address whose host is not a loopback IP or
// localhost.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("fakealicloud: bad listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("fakealicloud: refusing to listen on non-loopback address %q", addr)
}

// Close stops every listener, closes open connections and releases
// requests held by a Slow fault. It is safe to call more than once.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	servers := s.servers
	s.servers = nil
	close(s.done)
	s.mu.Unlock()
	for _, srv := range servers {
		_ = srv.Close()
	}
}

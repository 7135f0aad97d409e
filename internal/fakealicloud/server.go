// Package fakealicloud is an in-process fake of Alibaba Cloud's VPC RPC endpoint
// (API version 2016-04-28) for tests, demos and benchmarks.
//
// It verifies both signatures the darabonba-openapi v2 SDK produces
// (ACS3-HMAC-SHA256 in the Authorization header, and the older HMAC-SHA1
// Signature parameter), and implements one action,
// CreatePhysicalConnectionOccupancyOrder, with ClientToken idempotency.
// Faults (throttling, 5xx, lost responses, slow answers, connection resets),
// random response loss and a rate limit can be injected. Every request is
// recorded, accepted or not, and so is every committed order.
//
// The same server also fakes the parts of STS (API version 2015-04-01) that
// github.com/aliyun/credentials-go uses to obtain temporary credentials:
// AssumeRole (signed with HMAC-SHA1) for roles registered with AddRole, and
// the anonymous AssumeRoleWithOIDC for tokens registered with AddOIDCToken.
// GET /_fake/credentials answers like a credentials URI
// (ALIBABA_CLOUD_CREDENTIALS_URI). Each of them issues a fresh temporary
// AccessKey, with a SecurityToken and an expiration, that the server then
// accepts on VPC requests until it expires (by Config.Now); Issued lists
// them. credentials-go reaches STS over HTTPS only and trusts the system
// roots, so use StartTLS with a certificate from NewCertificate that the
// process trusts (see NewCertificate).
//
// The fake uses only the standard library and listens on loopback only.
package fakealicloud

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	mathrand "math/rand"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// APIVersion is the only VPC API version the fake accepts.
const APIVersion = "2016-04-28"

// ActionCreateOccupancyOrder is the only action the fake implements.
const ActionCreateOccupancyOrder = "CreatePhysicalConnectionOccupancyOrder"

// HostID is the HostId of every error answer.
const HostID = "vpc.aliyuncs.com"

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

// FaultKind says what an injected Fault does.
type FaultKind int

const (
	// Throttle answers HTTP 400 Throttling.User, with a Retry-After header
	// when Fault.RetryAfter is positive. Nothing is committed.
	Throttle FaultKind = iota + 1
	// Unavailable answers HTTP 503 ServiceUnavailable. Nothing is committed.
	Unavailable
	// Internal answers HTTP 500 InternalError. Nothing is committed.
	Internal
	// LoseResponse processes the request normally (committing the order if
	// it is valid), then closes the connection without answering.
	LoseResponse
	// Slow waits Fault.Delay, or until the client goes away or the server
	// closes, then processes the request normally.
	Slow
	// Reset closes the connection (with a TCP reset) before processing the
	// request. Nothing is committed.
	Reset
)

// String returns the name of the fault kind.
func (k FaultKind) String() string {
	switch k {
	case Throttle:
		return "Throttle"
	case Unavailable:
		return "Unavailable"
	case Internal:
		return "Internal"
	case LoseResponse:
		return "LoseResponse"
	case Slow:
		return "Slow"
	case Reset:
		return "Reset"
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// Fault is one injected misbehaviour; see Server.Inject.
type Fault struct {
	// Kind is what happens.
	Kind FaultKind
	// RetryAfter, for Throttle, sets the Retry-After header (in whole
	// seconds, rounded up) when positive.
	RetryAfter time.Duration
	// Delay, for Slow, is how long the answer is held back.
	Delay time.Duration
}

// Request is the record of one request to the API (requests under /_fake/,
// including /_fake/credentials, are not recorded).
type Request struct {
	// RequestID is the RequestId of the answer.
	RequestID string
	// Time is when the request arrived, by Config.Now.
	Time time.Time
	// Action and Version are the API action and version asked for.
	Action  string
	Version string
	// Params holds the business parameters: query and form body without the
	// common and signature parameters (Action, Version, Format, AccessKeyId,
	// Signature*, Timestamp, SecurityToken, BearerToken). A secret business
	// parameter (OIDCToken) is recorded as RedactedValue.
	Params map[string]string
	// SignatureMethod is AlgorithmACS3, AlgorithmRPC or "" when unknown.
	SignatureMethod string
	// AccessKeyID is the AccessKeyId the request claimed ("" for the
	// anonymous AssumeRoleWithOIDC).
	AccessKeyID string
	// SecurityToken is the token the request carried, or "".
	SecurityToken string
	// HTTPStatus is the status answered (or that would have been answered
	// when Lost); 0 for a Reset.
	HTTPStatus int
	// Code is the error code answered, "" on success.
	Code string
	// OrderID is the order the request created or replayed, or "".
	OrderID string
	// IssuedAccessKeyID is the temporary AccessKeyId an STS request
	// issued, or "".
	IssuedAccessKeyID string
	// Fault names the injected fault the request consumed, or "".
	Fault string
	// Lost is true when the connection was closed without an answer.
	Lost bool
}

// Order is a committed occupancy order, with its parameters as sent.
type Order struct {
	// ID is the decimal order number.
	ID string
	// RegionID is the RegionId parameter.
	RegionID string
	// PhysicalConnectionID is the PhysicalConnectionId parameter.
	PhysicalConnectionID string
	// AutoPay is "true", "false" or "" when not sent.
	AutoPay string
	// InstanceChargeType is "PrePaid", "PostPaid" or "" when not sent.
	InstanceChargeType string
	// Period is the Period parameter as sent, or "".
	Period string
	// PricingCycle is "Month", "Year" or "" when not sent.
	PricingCycle string
	// ClientToken is the idempotency token, or "" when none was sent.
	ClientToken string
}

type physicalConnection struct {
	region, status string
}

type tokenEntry struct {
	params  map[string]string
	orderID uint64
}

// IssuedCredential is the record of one temporary AccessKey the server
// issued. It holds no secret: neither the AccessKeySecret nor the
// SecurityToken.
type IssuedCredential struct {
	// Via is how the key was asked for: ViaAssumeRole, ViaAssumeRoleWithOIDC
	// or ViaCredentialsURI.
	Via string
	// RequestID is the RequestId of the STS answer, "" for ViaCredentialsURI.
	RequestID string
	// BaseAccessKeyID is the AccessKeyId that signed the AssumeRole request,
	// "" otherwise.
	BaseAccessKeyID string
	// OIDCProviderArn is the OIDC provider of an AssumeRoleWithOIDC request,
	// "" otherwise.
	OIDCProviderArn string
	// RoleArn and RoleSessionName are the role assumed and the session name
	// ("" for ViaCredentialsURI).
	RoleArn         string
	RoleSessionName string
	// DurationSeconds is the lifetime of the key.
	DurationSeconds int
	// Policy and ExternalID are the parameters as sent, or "".
	Policy     string
	ExternalID string
	// AccessKeyID is the issued temporary AccessKeyId ("STS." + random).
	AccessKeyID string
	// Expiration is when the key expires, by Config.Now, to the second.
	Expiration time.Time
}

// role is a RAM role that AssumeRole and AssumeRoleWithOIDC may assume.
type role struct {
	id         string // the RoleId, in AssumedRoleId
	externalID string
}

// Server is the fake endpoint. It is an http.Handler; Start, Listen and
// StartTLS also serve it on a loopback listener. All methods are safe for
// concurrent use.
type Server struct {
	cfg  Config
	done chan struct{}

	mu          sync.Mutex
	closed      bool
	creds       map[string]Credential
	roles       map[string]role
	oidcTokens  map[string]map[string]bool // provider ARN -> tokens
	issued      []IssuedCredential
	servers     []*http.Server
	connections map[string]physicalConnection
	requests    []Request
	orders      []Order
	tokens      map[string]tokenEntry
	nextOrderID uint64
	nonces      map[string]time.Time
	nonceAdds   int
	faults      []Fault
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
	return &Server{
		cfg:         cfg,
		done:        make(chan struct{}),
		creds:       creds,
		roles:       make(map[string]role),
		oidcTokens:  make(map[string]map[string]bool),
		connections: make(map[string]physicalConnection),
		tokens:      make(map[string]tokenEntry),
		nonces:      make(map[string]time.Time),
		nextOrderID: cfg.FirstOrderID,
	}
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

// AddPhysicalConnection adds (or replaces) a physical connection in a region
// with a status such as "Enabled", "Complete", "Confirmed" or "Terminated".
// Orders can be placed only on connections in status Enabled or Complete.
func (s *Server) AddPhysicalConnection(id, region, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.connections[id] = physicalConnection{region: region, status: status}
}

// SetPhysicalConnectionStatus changes the status of a known physical
// connection; it does nothing for an unknown one.
func (s *Server) SetPhysicalConnectionStatus(id, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pc, ok := s.connections[id]; ok {
		pc.status = status
		s.connections[id] = pc
	}
}

// Requests returns a copy of every API request received, in order of
// arrival, including rejected ones. A request still being processed shows
// what is known so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.Params = maps.Clone(r.Params)
		out[i] = r
	}
	return out
}

// Orders returns a copy of the committed orders, in order of commitment.
func (s *Server) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append(make([]Order, 0, len(s.orders)), s.orders...)
}

// Inject appends faults to a queue. Each CreatePhysicalConnectionOccupancyOrder
// request that passes authentication and the rate limit consumes the first
// queued fault, if any. Other requests consume none.
func (s *Server) Inject(f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f...)
}

// SetLossRate makes the server drop, with probability p, the answer to a
// request that has just committed a new order: the connection is closed
// without a response. Draws come from a math/rand source seeded with seed,
// so a sequence of requests is reproducible. p <= 0 turns loss off.
func (s *Server) SetLossRate(p float64, seed int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lossRate = p
	s.lossRNG = mathrand.New(mathrand.NewSource(seed))
}

// SetRateLimit limits CreatePhysicalConnectionOccupancyOrder requests with a
// token bucket of burst tokens refilled at perSecond tokens per second (by
// Config.Now). A request finding the bucket empty is answered HTTP 400
// Throttling.User before anything else happens to it. perSecond <= 0 turns
// the limit off; burst < 1 counts as 1.
func (s *Server) SetRateLimit(perSecond float64, burst int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate = perSecond
	s.burst = float64(max(burst, 1))
	s.bucket = s.burst
	s.bucketTime = s.cfg.Now()
}

// allowCreate takes a token from the rate limiter. The caller holds s.mu.
func (s *Server) allowCreate(now time.Time) bool {
	if s.rate <= 0 {
		return true
	}
	if elapsed := now.Sub(s.bucketTime).Seconds(); elapsed > 0 {
		s.bucket = min(s.burst, s.bucket+elapsed*s.rate)
	}
	s.bucketTime = now
	if s.bucket < 1 {
		return false
	}
	s.bucket--
	return true
}

// useNonce records a signature nonce of an AccessKey, reporting false when
// it was seen already. The caller holds s.mu.
func (s *Server) useNonce(accessKeyID, nonce string, stamp, now time.Time) bool {
	key := accessKeyID + "\x00" + nonce
	if _, seen := s.nonces[key]; seen {
		return false
	}
	s.nonces[key] = stamp
	s.nonceAdds++
	if s.nonceAdds >= 1024 {
		// Forget nonces whose timestamps are too old to be accepted again.
		s.nonceAdds = 0
		for k, t := range s.nonces {
			if now.Sub(t) > 2*s.cfg.MaxSkew {
				delete(s.nonces, k)
			}
		}
	}
	return true
}

// newRequestID returns a random UUID-like request ID in upper case.
func newRequestID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

// serveAdmin answers, to loopback clients only, the read-only JSON
// endpoints /_fake/orders, /_fake/requests and /_fake/issued, and the
// credentials URI /_fake/credentials.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	if r.URL.Path == CredentialsURIPath {
		s.serveCredentialsURI(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var v any
	switch r.URL.Path {
	case "/_fake/orders":
		v = s.Orders()
	case "/_fake/requests":
		v = s.Requests()
	case "/_fake/issued":
		v = s.Issued()
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v) //nolint:errcheck // The client may have gone.
}

// wait blocks for d, or until ctx is done or the server closes.
func (s *Server) wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	case <-s.done:
	}
}

// Package client talks to the Alibaba Cloud APIs the provider uses: VPC
// (the order and the circuit lookup) and BssOpenApi (the order's payment).
// It signs requests with Alibaba Cloud's own darabonba-openapi SDK, takes
// credentials from credentials-go, and knows nothing about Terraform.
//
// Every action goes through one RPC core: rpc.go builds and sends one
// signed attempt, retry.go is the retry loop and its policy, classify.go
// says what a failed attempt means, transport.go notes what reached the
// wire. An action is one small file (occupancy_order.go, ...). The one
// deadline of every call is its context's.
//
// Above the core, the circuit reads shared by all resources of a provider
// process: circuit_read.go picks the cheapest requests for a set of
// circuit IDs (filters of 5 or the region's listing), circuit_lookup.go is
// the plan-time CircuitLookup (batched, cached), circuit_watch.go the
// apply-time CircuitWatcher (shared rounds until a status is reached).
package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/credentials-go/credentials"
)

// ProtocolHTTPS and ProtocolHTTP are the accepted values of Config.Protocol.
const (
	ProtocolHTTPS = "HTTPS"
	ProtocolHTTP  = "HTTP"
)

// Config holds everything a Client needs. One Config, and so one HTTP
// connection pool and one credentials provider, serves every request of a
// provider instance.
type Config struct {
	// RegionID is sent as RegionId and used to build the default endpoint.
	RegionID string
	// VPCEndpoint is the VPC API host, with an optional port. Empty means
	// DefaultVPCEndpoint(RegionID).
	VPCEndpoint string
	// BillingEndpoint is the BssOpenApi host, with an optional port. Empty
	// means DefaultBillingEndpoint, switched once to
	// InternationalBillingEndpoint when the API answers NotApplicable.
	BillingEndpoint string
	// Protocol is ProtocolHTTPS (the default when empty) or ProtocolHTTP.
	Protocol string
	// Credential signs every request. It must be safe for concurrent use.
	Credential credentials.Credential
	// HTTPClient carries every request. Nil means a client of our own with
	// sane timeouts; certificates are always verified.
	HTTPClient *http.Client
	// UserAgent is appended to the SDK's user agent.
	UserAgent string
	// SignatureAlgorithm is empty for the SDK's default (ACS3-HMAC-SHA256) or
	// "v2" for the older HMAC-SHA1 query signature.
	SignatureAlgorithm string
	// Retry bounds the retries of one call; zero values take the defaults.
	Retry RetryPolicy
	// OnAttempt, when set, is told about every attempt once it has ended,
	// with the context of the call (for logging).
	OnAttempt func(context.Context, Attempt)
	// Sleep waits between attempts; nil means a timer that honours the context.
	Sleep Sleeper
	// Jitter returns a number in [0, 1) for backoff jitter; nil means math/rand.
	Jitter func() float64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Client calls the APIs. It is safe for concurrent use: everything the SDK
// cannot share between goroutines is made per request.
type Client struct {
	cfg     Config
	doer    dara.HttpClient
	backoff RetryPolicy
	// limiters holds the adaptive request rate of each action
	// (*rateLimiter by action name), shared by all calls of that action.
	limiters sync.Map

	// billing is the BssOpenApi endpoint in use; it may switch once.
	billingMu sync.Mutex
	billing   string
}

// New checks cfg and returns a Client. It does no network I/O. The
// endpoints are the caller's to check, with ValidateEndpoint: the provider
// does, where it can name the argument or environment variable they came
// from.
func New(cfg Config) (*Client, error) {
	if cfg.RegionID == "" {
		return nil, errors.New("a region is required")
	}
	if cfg.Credential == nil {
		return nil, errors.New("credentials are required")
	}
	switch cfg.Protocol {
	case "":
		cfg.Protocol = ProtocolHTTPS
	case ProtocolHTTPS, ProtocolHTTP:
	default:
		return nil, fmt.Errorf("protocol must be %s or %s, not %q", ProtocolHTTPS, ProtocolHTTP, cfg.Protocol)
	}
	if cfg.VPCEndpoint == "" {
		cfg.VPCEndpoint = DefaultVPCEndpoint(cfg.RegionID)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = NewHTTPClient()
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepContext
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	billing := cfg.BillingEndpoint
	if billing == "" {
		billing = DefaultBillingEndpoint
	}
	return &Client{
		cfg:     cfg,
		doer:    httpDoer{cfg.HTTPClient},
		backoff: cfg.Retry.withDefaults(),
		billing: billing,
	}, nil
}

// limiter returns the adaptive request rate of one action. Alibaba Cloud's
// flow control counts each API action of an account on its own, so the
// payment check's reads and the plan-time lookups never take the creates'
// turn, and a throttled create does not slow them.
func (c *Client) limiter(action string) *rateLimiter {
	if l, ok := c.limiters.Load(action); ok {
		return l.(*rateLimiter) //nolint:forcetypeassert // Only *rateLimiter is stored.
	}
	l, _ := c.limiters.LoadOrStore(action, newRateLimiter(c.cfg.Now))
	return l.(*rateLimiter) //nolint:forcetypeassert // Only *rateLimiter is stored.
}

// Region returns the region the client orders in.
func (c *Client) Region() string { return c.cfg.RegionID }

// VPCEndpoint returns the VPC endpoint in use.
func (c *Client) VPCEndpoint() string { return c.cfg.VPCEndpoint }

// Protocol returns the protocol in use.
func (c *Client) Protocol() string { return c.cfg.Protocol }

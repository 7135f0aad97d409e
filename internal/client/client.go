// Package client talks to the Alibaba Cloud VPC API. It signs requests with
// Alibaba Cloud's own darabonba-openapi SDK and takes credentials from
// credentials-go; it knows nothing about Terraform.
package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/credentials-go/credentials"
)

const (
	// APIVersion is the VPC API version this client speaks.
	APIVersion = "2016-04-28"

	// ProtocolHTTPS and ProtocolHTTP are the accepted values of Config.Protocol.
	ProtocolHTTPS = "HTTPS"
	ProtocolHTTP  = "HTTP"
)

// Config holds everything a Client needs. One Config, and so one HTTP
// connection pool and one credentials provider, serves every request of a
// provider instance.
type Config struct {
	// RegionID is sent as RegionId and used to build the default endpoint.
	RegionID string
	// Endpoint is the VPC API host, with an optional port. Empty means
	// vpc.<RegionID>.aliyuncs.com.
	Endpoint string
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
}

// Client calls the VPC API. It is safe for concurrent use: everything the SDK
// cannot share between goroutines is made per request.
type Client struct {
	cfg     Config
	doer    dara.HttpClient
	backoff RetryPolicy
}

// DefaultEndpoint returns the public VPC endpoint of a region.
func DefaultEndpoint(region string) string {
	return "vpc." + region + ".aliyuncs.com"
}

// New checks cfg and returns a Client. It does no network I/O.
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
	if cfg.Endpoint == "" {
		cfg.Endpoint = DefaultEndpoint(cfg.RegionID)
	}
	if err := ValidateEndpoint(cfg.Endpoint); err != nil {
		return nil, err
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = NewHTTPClient()
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepContext
	}
	return &Client{
		cfg:     cfg,
		doer:    httpDoer{cfg.HTTPClient},
		backoff: cfg.Retry.withDefaults(),
	}, nil
}

// ValidateEndpoint accepts "host" or "host:port" with no scheme, path or
// credentials, as the endpoints block and ALIBABA_CLOUD_ENDPOINT_VPC take it.
func ValidateEndpoint(endpoint string) error {
	if endpoint == "" {
		return errors.New("the endpoint is empty")
	}
	if strings.ContainsAny(endpoint, "/?#@ \t") {
		return fmt.Errorf("the endpoint %q must be a host name with an optional port, such as vpc.cn-hangzhou.aliyuncs.com or 127.0.0.1:8080, without a scheme or path", endpoint)
	}
	host := endpoint
	if h, port, err := net.SplitHostPort(endpoint); err == nil {
		host = h
		if port == "" || strings.Trim(port, "0123456789") != "" {
			return fmt.Errorf("the endpoint %q has an invalid port", endpoint)
		}
	} else if strings.Contains(endpoint, ":") && !strings.HasPrefix(endpoint, "[") {
		return fmt.Errorf("the endpoint %q must be a host name with an optional port, such as vpc.cn-hangzhou.aliyuncs.com or 127.0.0.1:8080", endpoint)
	}
	if host == "" {
		return fmt.Errorf("the endpoint %q has no host name", endpoint)
	}
	return nil
}

// NewHTTPClient returns the HTTP client a provider instance shares between all
// of its requests: one connection pool, verified TLS, bounded connection set-up.
// The overall time of a call is bounded by its context, not here.
func NewHTTPClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          100,
			MaxIdleConnsPerHost:   32,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
		},
	}
}

// httpDoer lets the SDK send through our shared http.Client instead of its
// own process-wide pool, and ignores the throwaway transport it builds.
type httpDoer struct{ c *http.Client }

func (c *Client) newSDKClient() (*openapi.Client, error) {
	cfg := &openapi.Config{
		Credential:         c.cfg.Credential,
		Endpoint:           dara.String(c.cfg.Endpoint),
		Protocol:           dara.String(c.cfg.Protocol),
		RegionId:           dara.String(c.cfg.RegionID),
		HttpClient:         c.doer,
		SignatureAlgorithm: nilIfEmpty(c.cfg.SignatureAlgorithm),
		UserAgent:          nilIfEmpty(c.cfg.UserAgent),
		// RetryOptions stays nil: the SDK makes exactly one attempt and
		// this package's retry loop is the only one.
	}
	sdk, err := openapi.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	// Keep the SDK's typed errors (status, code, request ID) instead of its
	// flattened SDKError, whose message can quote the request.
	sdk.DisableSDKError = dara.Bool(true)
	return sdk, nil
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

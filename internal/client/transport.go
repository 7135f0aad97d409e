package client

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync"
	"time"
)

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

// wireInfo is what the transport saw of one attempt.
type wireInfo struct {
	mu         sync.Mutex
	started    bool
	wrote      bool
	status     int
	requestID  string
	retryAfter time.Duration
	// plainHTTPToTLS is true when a TLS server answered a plain-HTTP
	// request with its canned refusal, without reading the request.
	plainHTTPToTLS bool
}

func (w *wireInfo) wroteRequest() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.wrote
}

type wireInfoKey struct{}

func withWireInfo(ctx context.Context, w *wireInfo) context.Context {
	return context.WithValue(ctx, wireInfoKey{}, w)
}

// httpDoer lets the SDK send through our shared http.Client instead of its
// own process-wide pool, and ignores the throwaway transport it builds.
type httpDoer struct{ c *http.Client }

// tlsRefusal is what Go's (and most) TLS servers answer, in plain HTTP, to
// a plain-HTTP request.
var tlsRefusal = []byte("Client sent an HTTP request to an HTTPS server")

// Call sends one request through the shared http.Client, noting whether the
// request was written (so that a lost answer is told from a refused
// connection) and the answer's status, request ID and Retry-After.
func (d httpDoer) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	w, _ := req.Context().Value(wireInfoKey{}).(*wireInfo)
	if w == nil {
		return d.c.Do(req)
	}
	w.started = true
	trace := &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) {
			w.mu.Lock()
			w.wrote = true
			w.mu.Unlock()
		},
	}
	resp, err := d.c.Do(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	if err != nil {
		return nil, err
	}
	w.status = resp.StatusCode
	w.requestID = resp.Header.Get("x-acs-request-id")
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		w.retryAfter = time.Duration(s) * time.Second
	}
	if resp.StatusCode == http.StatusBadRequest && req.URL.Scheme == "http" && w.requestID == "" {
		// Peek at an error answer without a request ID: it may be a TLS
		// port's refusal, which means the API never saw the request.
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		_ = resp.Body.Close()
		w.plainHTTPToTLS = bytes.Contains(body, tlsRefusal)
		resp.Body = io.NopCloser(bytes.NewReader(body))
	}
	return resp, nil
}

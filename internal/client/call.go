package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
)

// Attempt describes one attempt of a call, for logging. It holds no secret.
type Attempt struct {
	Action     string
	Number     int
	HTTPStatus int    // 0 when no answer arrived
	Code       string // the API's error code, if any
	RequestID  string
	Elapsed    time.Duration
	Err        string        // redacted failure, if any
	RetryIn    time.Duration // the wait before the next attempt; 0 when none follows
}

// rpcCall is one RPC action with its business parameters.
type rpcCall struct {
	action string
	query  map[string]string
	// clientToken is the idempotency token every attempt carries, or "".
	clientToken string
}

// rpcResult is a successful answer.
type rpcResult struct {
	body      string
	requestID string
	attempts  int
}

// verdict is what one failed attempt means for the loop.
type verdict struct {
	retry     bool
	throttled bool
	// maybePlaced is true when the request may have reached the API and
	// changed something although no success came back.
	maybePlaced bool
	retryAfter  time.Duration
	code        string
	status      int
	requestID   string
	apiErr      *APIError
	desc        string
}

// do runs the retry loop around one signed RPC request. Every attempt sends
// the same parameters, and so the same ClientToken.
func (c *Client) do(ctx context.Context, call rpcCall) (*rpcResult, error) {
	query := make(map[string]*string, len(call.query))
	for k, v := range call.query {
		query[k] = dara.String(v)
	}
	params := &openapi.Params{
		Action:      dara.String(call.action),
		Version:     dara.String(APIVersion),
		Protocol:    dara.String(c.cfg.Protocol),
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		// "string" keeps the body as sent: the SDK's JSON decoding would
		// pass a numeric order ID through a float64 and lose digits.
		BodyType: dara.String("string"),
	}

	var (
		maybePlaced bool
		last        verdict
	)
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, c.stopped(call, n-1, maybePlaced, last, err)
		}
		start := time.Now()
		wire := &wireInfo{}
		res, err := c.attempt(withWireInfo(ctx, wire), params, query)
		if err == nil {
			body, _ := res["body"].(string)
			requestID := wire.requestID
			c.report(ctx, Attempt{Action: call.action, Number: n, HTTPStatus: wire.status, RequestID: requestID, Elapsed: time.Since(start)})
			return &rpcResult{body: body, requestID: requestID, attempts: n}, nil
		}
		v := classify(err, wire)
		if v.apiErr != nil {
			v.apiErr.Action = call.action
			v.apiErr.Attempts = n
		}
		maybePlaced = maybePlaced || v.maybePlaced
		last = v
		if ctxErr := ctx.Err(); ctxErr != nil {
			c.report(ctx, Attempt{Action: call.action, Number: n, HTTPStatus: v.status, Code: v.code, RequestID: v.requestID, Elapsed: time.Since(start), Err: v.desc})
			return nil, c.stopped(call, n, maybePlaced, last, ctxErr)
		}
		var wait time.Duration
		if v.retry && (c.backoff.MaxAttempts == 0 || n < c.backoff.MaxAttempts) {
			wait = c.backoff.delay(n+1, v.throttled, v.retryAfter, c.cfg.Jitter)
		}
		c.report(ctx, Attempt{Action: call.action, Number: n, HTTPStatus: v.status, Code: v.code, RequestID: v.requestID, Elapsed: time.Since(start), Err: v.desc, RetryIn: wait})
		if wait == 0 {
			return nil, c.final(call, n, maybePlaced, last)
		}
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return nil, c.stopped(call, n, maybePlaced, last, err)
		}
	}
}

// attempt sends one request with a fresh SDK client: the SDK's client object
// is not safe for concurrent use, and making one costs a few allocations.
func (c *Client) attempt(ctx context.Context, params *openapi.Params, query map[string]*string) (map[string]interface{}, error) {
	sdk, err := c.newSDKClient()
	if err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, c.backoff.AttemptTimeout)
	defer cancel()
	return sdk.CallApiWithCtx(actx, params, &openapi.OpenApiRequest{Query: query}, &dara.RuntimeOptions{})
}

func (c *Client) report(ctx context.Context, a Attempt) {
	if c.cfg.OnAttempt != nil {
		c.cfg.OnAttempt(ctx, a)
	}
}

// final builds the error of a call whose last answer ends it.
func (c *Client) final(call rpcCall, attempts int, maybePlaced bool, last verdict) error {
	if maybePlaced && call.clientToken != "" {
		return &UnknownOutcomeError{Action: call.action, ClientToken: call.clientToken, Attempts: attempts, Last: last.desc}
	}
	if last.apiErr != nil {
		return last.apiErr
	}
	return &RequestError{Action: call.action, Msg: last.desc}
}

// stopped builds the error of a call whose context ended.
func (c *Client) stopped(call rpcCall, attempts int, maybePlaced bool, last verdict, cause error) error {
	if maybePlaced {
		desc := last.desc
		if desc == "" {
			desc = cause.Error()
		}
		return &UnknownOutcomeError{Action: call.action, ClientToken: call.clientToken, Attempts: attempts, Last: desc, Cause: cause}
	}
	msg := "stopped before any request reached the API: " + cause.Error()
	if attempts > 0 {
		msg = "stopped after " + strconv.Itoa(attempts) + " attempt(s), none of which placed an order: " + cause.Error() + "; last failure: " + last.desc
	}
	return &RequestError{Action: call.action, Msg: msg, Cause: cause}
}

// classify decides what a failed attempt means.
func classify(err error, wire *wireInfo) verdict {
	v := verdict{status: wire.status, requestID: wire.requestID, retryAfter: wire.retryAfter}

	var (
		throttled *openapi.ThrottlingError
		clientErr *openapi.ClientError
		serverErr *openapi.ServerError
	)
	switch {
	case errors.As(err, &throttled):
		v.fromAPI(dara.IntValue(throttled.StatusCode), dara.StringValue(throttled.Code), dara.StringValue(throttled.Message), dara.StringValue(throttled.RequestId))
		if ra := dara.Int64Value(throttled.RetryAfter); ra > 0 {
			v.retryAfter = max(v.retryAfter, time.Duration(ra)*time.Millisecond)
		}
		v.retry, v.throttled = true, true
		return v
	case errors.As(err, &clientErr) && wire.status != 0:
		v.fromAPI(dara.IntValue(clientErr.StatusCode), dara.StringValue(clientErr.Code), dara.StringValue(clientErr.Message), dara.StringValue(clientErr.RequestId))
		// Any throttling code is retried, whatever its spelling.
		v.throttled = strings.Contains(v.code, "Throttling")
		v.retry = v.throttled
		return v
	case errors.As(err, &serverErr):
		v.fromAPI(dara.IntValue(serverErr.StatusCode), dara.StringValue(serverErr.Code), dara.StringValue(serverErr.Message), dara.StringValue(serverErr.RequestId))
		// A 5xx may come after the order was committed.
		v.retry, v.maybePlaced = true, true
		return v
	}

	if !wire.started {
		// The SDK failed before sending: credentials or request building.
		v.desc = "could not obtain credentials or build the request: " + Redact(err.Error())
		return v
	}
	v.desc = describeTransportError(err)
	if wire.status != 0 {
		// An answer started but could not be read.
		v.retry, v.maybePlaced = true, true
		return v
	}
	if permanentTransportError(err) {
		return v
	}
	v.retry = true
	v.maybePlaced = wire.wroteRequest()
	return v
}

func (v *verdict) fromAPI(status int, code, message, requestID string) {
	if status != 0 {
		v.status = status
	}
	if requestID != "" {
		v.requestID = requestID
	}
	v.code = code
	// The SDK prefixes "code: 400, " and appends " request id: ..."; keep
	// the API's own message.
	message = strings.TrimPrefix(message, "code: "+strconv.Itoa(status)+", ")
	if i := strings.LastIndex(message, " request id: "); i >= 0 {
		message = message[:i]
	}
	v.apiErr = &APIError{HTTPStatus: v.status, Code: code, Message: message, RequestID: v.requestID}
	v.desc = "HTTP " + strconv.Itoa(v.status) + " " + code + ": " + message
}

// permanentTransportError reports failures that no retry can mend: an
// untrusted certificate or a host name that does not resolve.
func permanentTransportError(err error) bool {
	var (
		certErr     *tls.CertificateVerificationError
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		dnsErr      *net.DNSError
	)
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) {
		return true
	}
	return errors.As(err, &dnsErr) && dnsErr.IsNotFound
}

// wireInfo is what the transport saw of one attempt.
type wireInfo struct {
	mu         sync.Mutex
	started    bool
	wrote      bool
	status     int
	requestID  string
	retryAfter time.Duration
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
	return resp, nil
}

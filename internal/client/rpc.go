package client

import (
	"context"
	"fmt"
	"io"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
)

// API versions of the products this client speaks.
const (
	// VPCAPIVersion is the VPC API version.
	VPCAPIVersion = "2016-04-28"
	// BillingAPIVersion is the BssOpenApi version.
	BillingAPIVersion = "2017-12-14"
)

// Attempt describes one attempt of a call, for logging. It holds no secret.
type Attempt struct {
	Action     string
	Endpoint   string
	Number     int
	HTTPStatus int    // 0 when no answer arrived
	Code       string // the API's error code, if any
	RequestID  string
	Elapsed    time.Duration
	Err        string        // redacted failure, if any
	RetryIn    time.Duration // the wait before the next attempt; 0 when none follows
}

// rpcCall is one RPC action of one product with its business parameters.
type rpcCall struct {
	action   string
	version  string
	endpoint string
	query    map[string]string
	// clientToken is the idempotency token every attempt carries, or "".
	// A call with a token may place something: a failure after a request
	// was written is then an UnknownOutcomeError.
	clientToken string
}

// rpcResult is a successful answer.
type rpcResult struct {
	body      []byte
	requestID string
	attempts  int
}

// params returns the SDK's description of the call.
func (c *Client) params(call rpcCall) *openapi.Params {
	return &openapi.Params{
		Action:      dara.String(call.action),
		Version:     dara.String(call.version),
		Protocol:    dara.String(c.cfg.Protocol),
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		// "binary" hands over the body unread, as sent (attempt reads it):
		// the SDK's JSON decoding would pass a numeric order ID through a
		// float64 and lose digits, and its "string" puts the body in a map
		// that it encodes as JSON and decodes again (three quarters of the
		// client's allocations for a page of 100 orders).
		BodyType: dara.String("binary"),
	}
}

// attempt sends one signed request with a fresh SDK client: the SDK's
// client object is not safe for concurrent use, and making one costs a few
// allocations. It returns the body of a success, read (and closed) within
// the attempt's timeout; a failure to read it is the attempt's error, as it
// is the SDK's when the SDK reads the body.
func (c *Client) attempt(ctx context.Context, endpoint string, params *openapi.Params, query map[string]*string) ([]byte, error) {
	sdk, err := c.newSDKClient(endpoint)
	if err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, c.backoff.AttemptTimeout)
	defer cancel()
	res, err := sdk.CallApiWithCtx(actx, params, &openapi.OpenApiRequest{Query: query}, &dara.RuntimeOptions{})
	if err != nil {
		return nil, err
	}
	body, ok := res["body"].(io.ReadCloser)
	if !ok {
		return nil, fmt.Errorf("the SDK gave no body for %s (%T)", dara.StringValue(params.Action), res["body"])
	}
	defer body.Close() //nolint:errcheck // Read to the end or failed: nothing is left to report.
	return io.ReadAll(body)
}

func (c *Client) newSDKClient(endpoint string) (*openapi.Client, error) {
	cfg := &openapi.Config{
		Credential:         c.cfg.Credential,
		Endpoint:           dara.String(endpoint),
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

func (c *Client) report(ctx context.Context, a Attempt) {
	if c.cfg.OnAttempt != nil {
		c.cfg.OnAttempt(ctx, a)
	}
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

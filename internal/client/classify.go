package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
)

// verdict is what one failed attempt means for the retry loop.
type verdict struct {
	retry     bool
	throttled bool
	// busy is true for an answer that asks to come back soon (the
	// token's first request is still being processed, a conflicting
	// operation, a busy system): retried with the backoff of throttling
	// but without lowering the action's rate, which was not refused.
	busy bool
	// maybePlaced is true when the request may have reached the API and
	// changed something although no success came back.
	maybePlaced bool
	// kind says why an attempt that provably changed nothing failed.
	kind       Kind
	retryAfter time.Duration
	code       string
	status     int
	requestID  string
	apiErr     *APIError
	desc       string
}

// classify decides what a failed attempt means: retried are throttling
// answers, the VPC's "come back soon" answers (busyCodes), 5xx answers and
// transport failures that a new attempt can mend;
// final are every other API answer and failures that no retry can mend (a
// protocol mismatch, an untrusted certificate, an unknown host).
func classify(err error, wire *wireInfo) verdict {
	v := verdict{status: wire.status, requestID: wire.requestID, retryAfter: wire.retryAfter}

	var (
		throttled *openapi.ThrottlingError
		clientErr *openapi.ClientError
		serverErr *openapi.ServerError
	)
	switch {
	case wire.plainHTTPToTLS:
		// A TLS server refused a plain-HTTP request before reading it.
		v.kind = KindProtocolMismatch
		v.desc = "the endpoint speaks HTTPS, but the request was sent over plain HTTP"
		return v
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
		v.busy = busyCodes[v.code]
		v.retry = v.throttled || v.busy
		// The token's first request is still being processed: it may
		// place the order.
		v.maybePlaced = tokenProcessingCodes[v.code]
		return v
	case errors.As(err, &serverErr):
		v.fromAPI(dara.IntValue(serverErr.StatusCode), dara.StringValue(serverErr.Code), dara.StringValue(serverErr.Message), dara.StringValue(serverErr.RequestId))
		// A 5xx may come after the order was committed.
		v.retry, v.maybePlaced = true, true
		v.busy = busyCodes[v.code]
		return v
	}

	if !wire.started {
		// The SDK failed before sending: credentials or request building.
		v.kind = KindCredentials
		v.desc = "could not obtain credentials or build the request: " + Redact(err.Error())
		return v
	}
	v.desc = describeTransportError(err)
	if wire.status != 0 {
		// An answer started but could not be read.
		v.retry, v.maybePlaced = true, true
		return v
	}
	if kind := permanentTransportError(err); kind != "" {
		v.kind = kind
		return v
	}
	v.retry = true
	v.maybePlaced = wire.wroteRequest()
	return v
}

// Codes of VPC answers that mean "come back soon": the official provider
// retries exactly these on its VPC writes (aliyun/terraform-provider-alicloud,
// alicloud/service_alicloud_vpc.go and the resource_alicloud_vpc_*.go
// writes: IsExpectedErrors(err, {"OperationConflict", "LastTokenProcessing",
// "OperationFailed.LastTokenProcessing", "SystemBusy", "ServiceUnavailable",
// ...}) || NeedRetry(err), where NeedRetry in alicloud/errors.go adds
// ServiceUnavailable, any Throttling code and any 5xx). They are retried
// with the same client token until the call's context ends.
const (
	codeLastTokenProcessing                = "LastTokenProcessing"
	codeOperationFailedLastTokenProcessing = "OperationFailed.LastTokenProcessing"
	codeOperationConflict                  = "OperationConflict"
	codeSystemBusy                         = "SystemBusy"
	codeServiceUnavailable                 = "ServiceUnavailable"
)

var busyCodes = map[string]bool{
	codeLastTokenProcessing:                true,
	codeOperationFailedLastTokenProcessing: true,
	codeOperationConflict:                  true,
	codeSystemBusy:                         true,
	codeServiceUnavailable:                 true,
}

// tokenProcessingCodes say that an earlier request with the same client
// token is still at work, so the order may exist.
var tokenProcessingCodes = map[string]bool{
	codeLastTokenProcessing:                true,
	codeOperationFailedLastTokenProcessing: true,
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

// permanentTransportError returns the kind of a transport failure that no
// retry can mend and that provably reached no API: a plain-HTTP answer to a
// TLS handshake, an untrusted certificate, a host name that does not
// resolve. It returns "" for any other failure.
func permanentTransportError(err error) Kind {
	var (
		certErr     *tls.CertificateVerificationError
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		recordErr   tls.RecordHeaderError
		dnsErr      *net.DNSError
	)
	switch {
	// net/http replaces the handshake's RecordHeaderError by this text
	// when the record looks like an HTTP answer.
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"), errors.As(err, &recordErr):
		return KindProtocolMismatch
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		return KindCertificate
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return KindHostNotFound
	}
	return ""
}

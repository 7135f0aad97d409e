package client

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// Error codes of CreatePhysicalConnectionOccupancyOrder that callers treat
// specially.
const (
	CodeConnectionNotFound          = "InvalidPhysicalConnectionId.NotFound"
	CodeNotAllowedInState           = "Forbidden.NotAllowedInState"
	CodeIdempotentParameterMismatch = "IdempotentParameterMismatch"
)

// APIError is a final answer from the API: it was received, it was not a
// success, and retrying would not change it.
type APIError struct {
	Action     string
	HTTPStatus int
	Code       string
	Message    string
	RequestID  string
	Attempts   int
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s failed: HTTP %d, code %s: %s (request ID %s)", e.Action, e.HTTPStatus, e.Code, e.Message, e.RequestID)
}

// UnknownOutcomeError says that a request may have reached the API and placed
// an order, but no answer arrived before the call's context ended. Sending
// the same ClientToken again returns that order instead of placing another.
type UnknownOutcomeError struct {
	Action      string
	ClientToken string
	Attempts    int
	// Last describes the last failure, already redacted.
	Last string
	// Cause is the context's error (deadline or cancellation) when that is
	// what ended the call.
	Cause error
}

func (e *UnknownOutcomeError) Error() string {
	return fmt.Sprintf("%s: the outcome is unknown after %d attempt(s) with client token %s; last failure: %s", e.Action, e.Attempts, e.ClientToken, e.Last)
}

func (e *UnknownOutcomeError) Unwrap() error { return e.Cause }

// RequestError is a failure before any request could have placed an order
// (bad credentials configuration, a context that ended before the first
// attempt was sent, or a final transport failure that provably never reached
// the API). Its text is redacted.
type RequestError struct {
	Action string
	Msg    string
	Cause  error
}

func (e *RequestError) Error() string { return e.Action + ": " + e.Msg }

func (e *RequestError) Unwrap() error { return e.Cause }

// SecretPattern matches query-string style secrets that SDK and credentials
// errors may quote (a signed URL, say).
var SecretPattern = regexp.MustCompile(`(?i)((?:AccessKeyId|AccessKeySecret|SecurityToken|Signature|SignatureNonce|x-acs-security-token|Authorization|access_key_secret|access_key_id|security_token)["']?\s*[=:]\s*["']?)[^&\s"',}]+`)

// Redact removes credentials and signatures from an error text that may have
// come from the SDK or credentials-go, and the URL's query when the text
// quotes a URL.
func Redact(s string) string {
	s = SecretPattern.ReplaceAllString(s, "${1}***")
	return s
}

// describeTransportError gives the text of a transport failure without the
// request URL, whose query can carry a signature.
func describeTransportError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		u, perr := url.Parse(ue.URL)
		host := "the endpoint"
		if perr == nil {
			host = u.Host
		}
		return fmt.Sprintf("%s %s: %s", strings.ToUpper(ue.Op), host, Redact(ue.Err.Error()))
	}
	return Redact(err.Error())
}

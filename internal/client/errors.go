package client

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
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

// CredentialsRejected reports whether the API refused the request's
// identity: an unknown or disabled AccessKey, a signature it does not
// match, a missing, mismatched or expired security token, or a timestamp
// outside its window (a skewed clock).
func (e *APIError) CredentialsRejected() bool {
	for _, prefix := range []string{"InvalidAccessKeyId", "SignatureDoesNotMatch", "IncompleteSignature", "InvalidSecurityToken", "MissingSecurityToken", "InvalidTimeStamp"} {
		if strings.HasPrefix(e.Code, prefix) {
			return true
		}
	}
	return false
}

// Denied reports whether the API refused the action to this identity (a
// RAM policy without the permission).
func (e *APIError) Denied() bool {
	return e.HTTPStatus == 403 || strings.HasPrefix(e.Code, "Forbidden.RAM") || e.Code == "NoPermission"
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

// Kind says why a request provably changed nothing.
type Kind string

// Kinds of RequestError.
const (
	// KindProtocolMismatch: the endpoint speaks plain HTTP where HTTPS was
	// used, or the other way round.
	KindProtocolMismatch Kind = "protocol mismatch"
	// KindCertificate: the endpoint's TLS certificate is not trusted.
	KindCertificate Kind = "untrusted certificate"
	// KindHostNotFound: the endpoint's host name does not resolve.
	KindHostNotFound Kind = "unknown host"
	// KindUnreachable: no attempt reached the endpoint within
	// RetryPolicy.UnreachableAfter.
	KindUnreachable Kind = "unreachable"
	// KindCredentials: credentials could not be obtained.
	KindCredentials Kind = "credentials"
	// KindStopped: the call's context ended first.
	KindStopped Kind = "stopped"
)

// RequestError is a failure before any request could have changed anything
// (credentials that could not be obtained, a context that ended before a
// request was sent, or a transport failure that provably never reached the
// API). Its text is redacted.
type RequestError struct {
	Action string
	Kind   Kind
	// Endpoint is the host the call was sent to.
	Endpoint string
	Msg      string
	Cause    error
}

func (e *RequestError) Error() string { return e.Action + ": " + e.Msg }

func (e *RequestError) Unwrap() error { return e.Cause }

// SecretPattern matches query-string, header and JSON style secrets that
// SDK and credentials errors may quote (a signed URL, say).
var SecretPattern = regexp.MustCompile(`(?i)((?:AccessKeyId|AccessKeySecret|SecurityToken|Signature|SignatureNonce|x-acs-security-token|Authorization|access_key_secret|access_key_id|security_token)["']?\s*[=:]\s*["']?)[^&\s"',}]+`)

// Redact replaces the value of every parameter, header or JSON field that
// SecretPattern names (keys, secrets, tokens, signatures) with "***", and
// leaves the rest of the text as it is.
func Redact(s string) string {
	return SecretPattern.ReplaceAllString(s, "${1}***")
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

package fakealicloud

import (
	"maps"
	"time"
)

// Request is the record of one request to the API (requests under /_fake/,
// including /_fake/credentials, are not recorded).
type Request struct {
	// RequestID is the RequestId of the answer.
	RequestID string
	// Time is when the request arrived, by Config.Now.
	Time time.Time
	// Host is the request's Host header: the endpoint the client used.
	Host string
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

// RedactedValue replaces a secret parameter (OIDCToken) in Request.Params.
const RedactedValue = "REDACTED"

// secretParams are business parameters recorded as RedactedValue.
var secretParams = []string{"OIDCToken"}

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

// redactParams returns a copy of p with the secret parameters, when
// present, replaced by RedactedValue.
func redactParams(p map[string]string) map[string]string {
	out := maps.Clone(p)
	for _, k := range secretParams {
		if _, ok := out[k]; ok {
			out[k] = RedactedValue
		}
	}
	return out
}

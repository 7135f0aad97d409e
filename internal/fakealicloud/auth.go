package fakealicloud

import (
	"crypto/hmac"
	"maps"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// authenticate verifies the request's signature, timestamp, nonce and
// security token, and fills in rec's Action, Version and identity fields.
func (s *Server) authenticate(r *http.Request, body []byte, query, all map[string]string, rec *Request) *apiError {
	if auth := r.Header.Get("Authorization"); auth != "" {
		return s.authenticateACS3(r, auth, body, query, rec)
	}
	if all["Signature"] != "" || all["SignatureMethod"] != "" {
		return s.authenticateRPC(r, all, rec)
	}
	rec.Action, rec.Version = firstNonEmpty(all["Action"], r.Header.Get("x-acs-action")), firstNonEmpty(all["Version"], r.Header.Get("x-acs-version"))
	return incomplete("the request carries neither an Authorization header nor a Signature parameter")
}

func incomplete(detail string) *apiError {
	return errorf(http.StatusBadRequest, "IncompleteSignature", "The request signature does not conform to Aliyun standards: "+detail+".")
}

// acs3Required are the headers an ACS3 request must carry and sign.
var acs3Required = []string{"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"}

// authenticateACS3 verifies an "ACS3-HMAC-SHA256 Credential=...,
// SignedHeaders=...,Signature=..." Authorization header.
func (s *Server) authenticateACS3(r *http.Request, auth string, body []byte, query map[string]string, rec *Request) *apiError {
	rec.Action = firstNonEmpty(r.Header.Get("x-acs-action"), query["Action"])
	rec.Version = firstNonEmpty(r.Header.Get("x-acs-version"), query["Version"])
	rec.SecurityToken = r.Header.Get("x-acs-security-token")
	algorithm, rest, _ := strings.Cut(auth, " ")
	if algorithm != AlgorithmACS3 {
		return incomplete("unsupported signature algorithm " + strconv.Quote(algorithm))
	}
	rec.SignatureMethod = AlgorithmACS3
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		fields[k] = v
	}
	rec.AccessKeyID = fields["Credential"]
	if rec.AccessKeyID == "" || fields["SignedHeaders"] == "" || fields["Signature"] == "" {
		return incomplete("the Authorization header needs Credential, SignedHeaders and Signature")
	}
	signed := map[string]bool{}
	for _, h := range strings.Split(fields["SignedHeaders"], ";") {
		signed[strings.ToLower(strings.TrimSpace(h))] = true
	}
	required := acs3Required
	if rec.SecurityToken != "" {
		required = append(required[:len(required):len(required)], "x-acs-security-token")
	}
	for _, h := range required {
		if h != "host" && r.Header.Get(h) == "" {
			return incomplete("the header " + h + " is missing")
		}
		if !signed[h] {
			return incomplete("the header " + h + " must be signed")
		}
	}
	cred, ok := s.credential(rec.AccessKeyID)
	if !ok {
		return errorf(http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
	}
	payloadHash := r.Header.Get("x-acs-content-sha256")
	if payloadHash != HashPayload(body) {
		return errorf(http.StatusBadRequest, "SignatureDoesNotMatch", "The x-acs-content-sha256 header does not match the SHA-256 of the request body.")
	}
	headers := make(map[string]string, len(signed))
	for h := range signed {
		if h == "host" {
			headers[h] = r.Host
			continue
		}
		vals := r.Header.Values(h)
		for i := range vals {
			vals[i] = strings.TrimSpace(vals[i])
		}
		sort.Strings(vals)
		headers[h] = strings.Join(vals, ",")
	}
	path := r.URL.EscapedPath()
	want := SignACS3(r.Method, path, query, headers, payloadHash, cred.AccessKeySecret)
	if !hmac.Equal([]byte(want), []byte(fields["Signature"])) {
		return errorf(http.StatusBadRequest, "SignatureDoesNotMatch", "Specified signature does not match our calculation. server string to sign is:"+
			ACS3StringToSign(r.Method, path, query, headers, payloadHash))
	}
	return s.checkFreshness(cred, rec, r.Header.Get("x-acs-date"), r.Header.Get("x-acs-signature-nonce"))
}

// authenticateRPC verifies a HMAC-SHA1 Signature parameter.
func (s *Server) authenticateRPC(r *http.Request, all map[string]string, rec *Request) *apiError {
	rec.Action = firstNonEmpty(all["Action"], r.Header.Get("x-acs-action"))
	rec.Version = firstNonEmpty(all["Version"], r.Header.Get("x-acs-version"))
	rec.SecurityToken = all["SecurityToken"]
	rec.AccessKeyID = all["AccessKeyId"]
	if all["SignatureMethod"] != AlgorithmRPC {
		return incomplete("SignatureMethod must be HMAC-SHA1")
	}
	rec.SignatureMethod = AlgorithmRPC
	if v, ok := all["SignatureVersion"]; ok && v != "1.0" {
		return incomplete("SignatureVersion must be 1.0")
	}
	for _, p := range []string{"AccessKeyId", "Signature", "Timestamp", "SignatureNonce"} {
		if all[p] == "" {
			return incomplete("the parameter " + p + " is missing")
		}
	}
	cred, ok := s.credential(rec.AccessKeyID)
	if !ok {
		return errorf(http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
	}
	want := SignRPC(r.Method, all, cred.AccessKeySecret)
	if !hmac.Equal([]byte(want), []byte(all["Signature"])) {
		shown := all
		if shown["SecurityToken"] != "" {
			shown = maps.Clone(all)
			shown["SecurityToken"] = "REDACTED"
		}
		return errorf(http.StatusBadRequest, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:"+
			RPCStringToSign(r.Method, shown))
	}
	return s.checkFreshness(cred, rec, all["Timestamp"], all["SignatureNonce"])
}

// credential returns the known AccessKey accessKeyID.
func (s *Server) credential(accessKeyID string) (Credential, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.creds[accessKeyID]
	return c, ok
}

// checkFreshness checks a signed request's timestamp, security token, key
// expiration and nonce, in that order, and records the nonce.
func (s *Server) checkFreshness(cred Credential, rec *Request, stamp, nonce string) *apiError {
	t, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		return errorf(http.StatusBadRequest, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
	}
	now := s.cfg.Now()
	if d := now.Sub(t); d > s.cfg.MaxSkew || d < -s.cfg.MaxSkew {
		return errorf(http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
	}
	switch {
	case cred.SecurityToken != "" && rec.SecurityToken == "":
		return errorf(http.StatusForbidden, "MissingSecurityToken", "SecurityToken is mandatory for this access key.")
	case !hmac.Equal([]byte(cred.SecurityToken), []byte(rec.SecurityToken)):
		return errorf(http.StatusBadRequest, "InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey.")
	case !cred.Expiration.IsZero() && !now.Before(cred.Expiration):
		return errorf(http.StatusBadRequest, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.useNonce(rec.AccessKeyID, nonce, t, now) {
		return errorf(http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce was used already.")
	}
	return nil
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

// DeniedMessage is the Message of the answers refused by Deny.
const DeniedMessage = "User not authorized to operate on the specified resource, or this API doesn't support RAM."

// Deny makes the server refuse every authenticated request for action
// with HTTP 403 and the error code code (such as "Forbidden.RAM"), and
// DeniedMessage, as when the caller's RAM policy lacks the permission.
// Refused requests consume no fault and no rate-limit token. Allow undoes
// it.
func (s *Server) Deny(action, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denied[action] = code
}

// Allow undoes Deny for action.
func (s *Server) Allow(action string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.denied, action)
}

// refusal returns the error an authenticated request is refused with, by
// Deny or by the billing mode, or nil.
func (s *Server) refusal(rec *Request) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code, ok := s.denied[rec.Action]; ok {
		return errorf(http.StatusForbidden, code, DeniedMessage)
	}
	if rec.Action == ActionGetOrderDetail || rec.Action == ActionQueryOrders {
		return s.billing.refusal(rec.Host)
	}
	return nil
}

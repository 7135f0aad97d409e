package fakealicloud

import (
	"crypto/hmac"
	"crypto/tls"
	"encoding/json"
	"io"
	"maps"
	"mime"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds the request body the fake reads.
const maxBody = 1 << 20

// commonParams are the parameters that are not business parameters.
var commonParams = map[string]bool{
	"Action": true, "Version": true, "Format": true, "AccessKeyId": true,
	"Signature": true, "SignatureMethod": true, "SignatureVersion": true,
	"SignatureNonce": true, "SignatureType": true, "Timestamp": true,
	"SecurityToken": true, "BearerToken": true,
}

// apiError is an error answer.
type apiError struct {
	status     int
	code       string
	message    string
	retryAfter time.Duration
}

func errorf(status int, code, message string) *apiError {
	return &apiError{status: status, code: code, message: message}
}

// successBody is the JSON of a successful answer.
type successBody struct {
	RequestID string `json:"RequestId"`
	Data      orderData
}

// orderData is the Data of a successful answer; OrderID is a JSON number or
// string written verbatim.
type orderData struct {
	OrderID json.RawMessage `json:"OrderId"`
}

// errorBody is the JSON of an error answer.
type errorBody struct {
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
	Code      string
	Message   string
	Recommend string
}

// outcome is what the handler does after processing a request.
type outcome struct {
	err     *apiError
	orderID uint64   // valid when err and sts are nil
	sts     *stsBody // the answer of a successful STS action
	drop    bool     // close the connection without answering
	reset   bool     // like drop, with a TCP reset, before processing
}

// ServeHTTP handles one request: the API (VPC and STS actions) at any path
// but those under /_fake/: the read-only admin endpoints GET /_fake/orders,
// GET /_fake/requests and GET /_fake/issued, and the credentials URI
// GET /_fake/credentials.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_fake/") {
		s.serveAdmin(w, r)
		return
	}
	rec := Request{RequestID: newRequestID(), Time: s.cfg.Now()}
	s.mu.Lock()
	index := len(s.requests)
	s.requests = append(s.requests, rec)
	s.mu.Unlock()

	out := s.process(r, &rec)

	switch {
	case out.reset:
		rec.HTTPStatus, rec.Lost = 0, true
	case out.err != nil:
		rec.HTTPStatus, rec.Code = out.err.status, out.err.code
	case out.sts != nil:
		rec.HTTPStatus = http.StatusOK
		rec.IssuedAccessKeyID = out.sts.Credentials.AccessKeyID
	default:
		rec.HTTPStatus = http.StatusOK
		rec.OrderID = strconv.FormatUint(out.orderID, 10)
	}
	rec.Lost = rec.Lost || out.drop
	s.mu.Lock()
	s.requests[index] = rec
	s.mu.Unlock()
	if s.cfg.OnRequest != nil {
		s.cfg.OnRequest(rec)
	}

	if out.drop || out.reset {
		abort(w, out.reset)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-acs-request-id", rec.RequestID)
	var body []byte
	switch {
	case out.err != nil:
		if out.err.retryAfter > 0 {
			secs := int64((out.err.retryAfter + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		}
		hostID := HostID
		if rec.Action == ActionAssumeRole || rec.Action == ActionAssumeRoleWithOIDC {
			hostID = STSHostID
		}
		body, _ = json.Marshal(errorBody{RequestID: rec.RequestID, HostID: hostID, Code: out.err.code, Message: out.err.message})
	case out.sts != nil:
		out.sts.RequestID = rec.RequestID
		body, _ = json.Marshal(out.sts)
	default:
		id := json.RawMessage(rec.OrderID)
		if s.cfg.OrderIDAsString {
			id = json.RawMessage(strconv.Quote(rec.OrderID))
		}
		body, _ = json.Marshal(successBody{RequestID: rec.RequestID, Data: orderData{OrderID: id}})
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.HTTPStatus)
	w.Write(body) //nolint:errcheck // The client may have gone.
}

// abort closes the connection under a request without answering; with
// reset it makes the close a TCP reset.
func abort(w http.ResponseWriter, reset bool) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if reset {
				raw := conn
				if tc, ok := raw.(*tls.Conn); ok {
					raw = tc.NetConn()
				}
				if tcp, ok := raw.(*net.TCPConn); ok {
					tcp.SetLinger(0) //nolint:errcheck // Best effort.
				}
			}
			_ = conn.Close()
			return
		}
	}
	// Without hijacking (HTTP/2, recorders), abort the handler: net/http
	// then drops the stream or connection without a response.
	panic(http.ErrAbortHandler)
}

// process runs a request through parsing, authentication, dispatch, and for
// the VPC action the rate limit, faults and the action itself, filling in
// rec. AssumeRoleWithOIDC is anonymous and skips authentication.
func (s *Server) process(r *http.Request, rec *Request) outcome {
	// Parse.
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		return outcome{err: errorf(http.StatusBadRequest, "InvalidParameter", "The request body could not be read or is too large.")}
	}
	query := firstValues(r.URL.Query())
	all := maps.Clone(query)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return outcome{err: errorf(http.StatusBadRequest, "InvalidParameter", "The form body is malformed.")}
		}
		maps.Copy(all, firstValues(form))
	}
	params := make(map[string]string)
	for k, v := range all {
		if !commonParams[k] {
			params[k] = v
		}
	}
	rec.Params = redactParams(params)

	// The anonymous action: any signature is ignored.
	if action := firstNonEmpty(all["Action"], r.Header.Get("x-acs-action")); action == ActionAssumeRoleWithOIDC {
		rec.Action, rec.Version = action, firstNonEmpty(all["Version"], r.Header.Get("x-acs-version"))
		if rec.Version != STSAPIVersion {
			return outcome{err: invalidVersion()}
		}
		return s.assumeRoleWithOIDC(rec, params)
	}

	// Authenticate, then dispatch.
	if e := s.authenticate(r, body, query, all, rec); e != nil {
		return outcome{err: e}
	}
	switch rec.Action {
	case ActionAssumeRole:
		if rec.Version != STSAPIVersion {
			return outcome{err: invalidVersion()}
		}
		return s.assumeRole(rec, params)
	case ActionCreateOccupancyOrder:
		// Below.
	default:
		return outcome{err: errorf(http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")}
	}

	// Rate limit, then faults.
	s.mu.Lock()
	if !s.allowCreate(s.cfg.Now()) {
		s.mu.Unlock()
		return outcome{err: errorf(http.StatusBadRequest, "Throttling.User", "Request was denied due to user flow control.")}
	}
	var fault *Fault
	if len(s.faults) > 0 {
		f := s.faults[0]
		s.faults = s.faults[1:]
		fault = &f
		rec.Fault = f.Kind.String()
	}
	s.mu.Unlock()
	drop := false
	if fault != nil {
		switch fault.Kind {
		case Throttle:
			e := errorf(http.StatusBadRequest, "Throttling.User", "Request was denied due to user flow control.")
			e.retryAfter = fault.RetryAfter
			return outcome{err: e}
		case Unavailable:
			return outcome{err: errorf(http.StatusServiceUnavailable, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")}
		case Internal:
			return outcome{err: errorf(http.StatusInternalServerError, "InternalError", "The request processing has failed due to some unknown error, exception or failure.")}
		case Reset:
			return outcome{reset: true}
		case Slow:
			s.wait(r.Context(), fault.Delay)
		case LoseResponse:
			drop = true
		}
	}

	// The action.
	if rec.Version != APIVersion {
		return outcome{err: invalidVersion(), drop: drop}
	}
	out := s.createOrder(params)
	out.drop = out.drop || drop
	return out
}

func invalidVersion() *apiError {
	return errorf(http.StatusBadRequest, "InvalidVersion", "Specified parameter Version is not valid.")
}

// firstValues keeps the first value of every key.
func firstValues(v url.Values) map[string]string {
	m := make(map[string]string, len(v))
	for k, vs := range v {
		if len(vs) > 0 {
			m[k] = vs[0]
		}
	}
	return m
}

// createOrder validates and commits (or replays) an occupancy order.
func (s *Server) createOrder(p map[string]string) outcome {
	fail := func(status int, code, message string) outcome {
		return outcome{err: errorf(status, code, message)}
	}
	if p["PhysicalConnectionId"] == "" {
		return fail(http.StatusBadRequest, "MissingPhysicalConnectionId", "PhysicalConnectionId is mandatory for this action.")
	}
	if p["RegionId"] == "" {
		return fail(http.StatusBadRequest, "MissingParameter", `The input parameter "RegionId" that is mandatory for processing this request is not supplied.`)
	}
	invalid := func(name string) outcome {
		return fail(http.StatusBadRequest, "InvalidParameter", `The specified parameter "`+name+`" is not valid.`)
	}
	if v, ok := p["InstanceChargeType"]; ok && v != "PrePaid" && v != "PostPaid" {
		return invalid("InstanceChargeType")
	}
	if v, ok := p["PricingCycle"]; ok && v != "Month" && v != "Year" {
		return invalid("PricingCycle")
	}
	if v, ok := p["Period"]; ok {
		if n, err := strconv.Atoi(v); err != nil || n < 1 {
			return invalid("Period")
		}
	}
	if v, ok := p["AutoPay"]; ok && v != "true" && v != "false" {
		return invalid("AutoPay")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	pc, ok := s.connections[p["PhysicalConnectionId"]]
	if !ok || pc.region != p["RegionId"] {
		return fail(http.StatusNotFound, "InvalidPhysicalConnectionId.NotFound", "The PhysicalConnectionId provided does not exist in our records.")
	}
	if pc.status != "Enabled" && pc.status != "Complete" {
		return fail(http.StatusBadRequest, "Forbidden.NotAllowedInState", "The request does not allow in this state.")
	}
	token := p["ClientToken"]
	if token != "" {
		if prev, ok := s.tokens[token]; ok {
			if !maps.Equal(prev.params, p) {
				return fail(http.StatusBadRequest, "IdempotentParameterMismatch", "The request uses the same client token as a previous, but non-identical request.")
			}
			return outcome{orderID: prev.orderID}
		}
	}
	id := s.nextOrderID
	s.nextOrderID++
	s.orders = append(s.orders, Order{
		ID:                   strconv.FormatUint(id, 10),
		RegionID:             p["RegionId"],
		PhysicalConnectionID: p["PhysicalConnectionId"],
		AutoPay:              p["AutoPay"],
		InstanceChargeType:   p["InstanceChargeType"],
		Period:               p["Period"],
		PricingCycle:         p["PricingCycle"],
		ClientToken:          token,
	})
	if token != "" {
		s.tokens[token] = tokenEntry{params: maps.Clone(p), orderID: id}
	}
	drop := s.lossRate > 0 && s.lossRNG.Float64() < s.lossRate
	return outcome{orderID: id, drop: drop}
}

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

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
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

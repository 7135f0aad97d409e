package fakealicloud

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"maps"
	"mime"
	"net"
	"net/http"
	"net/url"
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
	body, query, all, e := readParams(r)
	if e != nil {
		return outcome{err: e}
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
	if e = s.authenticate(r, body, query, all, rec); e != nil {
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
	allowed := s.allowCreate(s.cfg.Now())
	s.mu.Unlock()
	if !allowed {
		return outcome{err: throttled()}
	}
	stop, drop := s.applyFault(r.Context(), s.takeFault(rec))
	if stop != nil {
		return *stop
	}

	// The action.
	if rec.Version != APIVersion {
		return outcome{err: invalidVersion(), drop: drop}
	}
	out := s.createOrder(params)
	out.drop = out.drop || drop
	return out
}

// readParams reads the request body and returns it with the query
// parameters and all parameters (query and form body, the body winning).
func readParams(r *http.Request) (body []byte, query, all map[string]string, e *apiError) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		return nil, nil, nil, errorf(http.StatusBadRequest, "InvalidParameter", "The request body could not be read or is too large.")
	}
	query = firstValues(r.URL.Query())
	all = maps.Clone(query)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, nil, errorf(http.StatusBadRequest, "InvalidParameter", "The form body is malformed.")
		}
		maps.Copy(all, firstValues(form))
	}
	return body, query, all, nil
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

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

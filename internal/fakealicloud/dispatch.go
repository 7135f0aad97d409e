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

// utcLayout is the format of the times in answers, such as the Expiration
// of issued credentials, the CreationTime of a physical connection and the
// CreateTime of an order, always in UTC.
const utcLayout = "2006-01-02T15:04:05Z"

// maxBody bounds the request body the fake reads.
const maxBody = 1 << 20

// commonParams are the parameters that are not business parameters.
var commonParams = map[string]bool{
	"Action": true, "Version": true, "Format": true, "AccessKeyId": true,
	"Signature": true, "SignatureMethod": true, "SignatureVersion": true,
	"SignatureNonce": true, "SignatureType": true, "Timestamp": true,
	"SecurityToken": true, "BearerToken": true,
}

// answer is the JSON of a successful answer. Every answer type embeds
// answerHead first, so that its RequestId comes first.
type answer interface {
	setRequestID(id string)
}

// answerHead is the RequestId of a successful answer.
type answerHead struct {
	RequestID string `json:"RequestId"`
}

func (h *answerHead) setRequestID(id string) { h.RequestID = id }

// outcome is what the handler does after processing a request.
type outcome struct {
	err     *apiError
	answer  answer // the success answer, when err is nil
	orderID string // recorded as Request.OrderID on success
	issued  string // recorded as Request.IssuedAccessKeyID on success
	drop    bool   // close the connection without answering
	reset   bool   // like drop, with a TCP reset, before processing
}

// actionSpec is an action the fake implements.
type actionSpec struct {
	version   string // the only API version accepted
	hostID    string // the HostId of error answers
	anonymous bool   // the request is not signed
	limited   bool   // SetRateLimit applies
	run       func(s *Server, rec *Request, params map[string]string) outcome
}

// actions are the actions the fake implements, by name.
var actions = map[string]actionSpec{
	ActionCreateOccupancyOrder:        {version: APIVersion, hostID: HostID, limited: true, run: (*Server).createOrder},
	ActionDescribePhysicalConnections: {version: APIVersion, hostID: HostID, run: (*Server).describePhysicalConnections},
	ActionAssumeRole:                  {version: STSAPIVersion, hostID: STSHostID, run: (*Server).assumeRole},
	ActionAssumeRoleWithOIDC:          {version: STSAPIVersion, hostID: STSHostID, anonymous: true, run: (*Server).assumeRoleWithOIDC},
	ActionGetOrderDetail:              {version: BillingAPIVersion, hostID: BillingHostID, run: (*Server).getOrderDetail},
	ActionQueryOrders:                 {version: BillingAPIVersion, hostID: BillingHostID, run: (*Server).queryOrders},
}

// hostIDOf returns the HostId of the error answers to an action.
func hostIDOf(action string) string {
	if a, ok := actions[action]; ok {
		return a.hostID
	}
	return HostID
}

// ServeHTTP handles one request: the API (the VPC, STS and billing actions)
// at any path but those under /_fake/, which are the state endpoint (see
// admin.go) and the credentials URI GET /_fake/credentials.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_fake/") {
		s.serveAdmin(w, r)
		return
	}
	rec := Request{RequestID: newRequestID(), Time: s.cfg.Now(), Host: r.Host}
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
	default:
		rec.HTTPStatus, rec.OrderID, rec.IssuedAccessKeyID = http.StatusOK, out.orderID, out.issued
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
	if out.err != nil {
		if out.err.retryAfter > 0 {
			secs := int64((out.err.retryAfter + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		}
		body, _ = json.Marshal(errorBody{RequestID: rec.RequestID, HostID: hostIDOf(rec.Action), Code: out.err.code, Message: out.err.message})
	} else {
		out.answer.setRequestID(rec.RequestID)
		body, _ = json.Marshal(out.answer)
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

// process runs a request through parsing, authentication (except for
// the anonymous AssumeRoleWithOIDC), dispatch, the refusals of Deny and the
// billing mode, the rate limit (create only), the action's faults, the
// version check and the action itself, filling in rec.
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

	if name := firstNonEmpty(all["Action"], r.Header.Get("x-acs-action")); actions[name].anonymous {
		// Any signature is ignored.
		rec.Action, rec.Version = name, firstNonEmpty(all["Version"], r.Header.Get("x-acs-version"))
	} else if e = s.authenticate(r, body, query, all, rec); e != nil {
		return outcome{err: e}
	}
	spec, ok := actions[rec.Action]
	if !ok {
		return outcome{err: errorf(http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")}
	}
	if e = s.refusal(rec); e != nil {
		return outcome{err: e}
	}
	if spec.limited {
		s.mu.Lock()
		allowed := s.allowRequest(s.cfg.Now())
		s.mu.Unlock()
		if !allowed {
			return outcome{err: throttled()}
		}
	}
	f := s.takeFault(rec)
	stop, drop := s.applyFault(r.Context(), f)
	if stop != nil {
		return *stop
	}
	if rec.Version != spec.version {
		return outcome{err: invalidVersion(), drop: drop}
	}
	var out outcome
	if f != nil && f.Kind == Processing && rec.Action == ActionCreateOccupancyOrder {
		out = s.placeOrder(params, f)
	} else {
		out = spec.run(s, rec, params)
	}
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

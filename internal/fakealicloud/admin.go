package fakealicloud

import (
	"encoding/json"
	"net"
	"net/http"
)

// serveAdmin answers, to loopback clients only, the read-only JSON
// endpoints /_fake/orders, /_fake/requests and /_fake/issued, and the
// credentials URI /_fake/credentials.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	if r.URL.Path == CredentialsURIPath {
		s.serveCredentialsURI(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var v any
	switch r.URL.Path {
	case "/_fake/orders":
		v = s.Orders()
	case "/_fake/requests":
		v = s.Requests()
	case "/_fake/issued":
		v = s.Issued()
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v) //nolint:errcheck // The client may have gone.
}

package fakealicloud

import (
	"encoding/json"
	"net"
	"net/http"
)

// adminHandler returns the handler of the endpoints under /_fake/:
//
//   - GET /_fake/orders: the committed orders (Orders);
//   - GET /_fake/requests: the API requests received (Requests);
//   - GET /_fake/issued: the temporary AccessKeys issued (Issued), without
//     secrets;
//   - GET /_fake/billing: the orders with their payment status
//     (BillingOrders);
//   - POST /_fake/orders/{id}/pay: sets the order's payment status to
//     PaymentPaid, as its owner paying it in the console, and answers its
//     BillingOrder (404 for an unknown order);
//   - GET /_fake/credentials: the credentials URI (see CredentialsURIPath).
func (s *Server) adminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(CredentialsURIPath, s.serveCredentialsURI)
	for path, state := range map[string]func() any{
		"/_fake/orders":   func() any { return s.Orders() },
		"/_fake/requests": func() any { return s.Requests() },
		"/_fake/issued":   func() any { return s.Issued() },
		"/_fake/billing":  func() any { return s.BillingOrders() },
	} {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, state()) })
	}
	mux.HandleFunc("POST /_fake/orders/{id}/pay", s.servePay)
	return mux
}

// serveAdmin answers the endpoints under /_fake/ to loopback clients only.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	s.admin.ServeHTTP(w, r)
}

// servePay answers POST /_fake/orders/{id}/pay.
func (s *Server) servePay(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !s.setPaymentStatus(id, PaymentPaid) {
		writeJSON(w, http.StatusNotFound, map[string]string{"Code": "OrderNotFound", "Message": "No order " + id + " was committed."})
		return
	}
	s.mu.Lock()
	bo, _ := s.billingOrder(id)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, bo)
}

// writeJSON answers v as indented JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v) //nolint:errcheck // The client may have gone.
}

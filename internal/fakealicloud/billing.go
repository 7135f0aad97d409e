package fakealicloud

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// BillingAPIVersion is the only BssOpenApi (billing) version the fake
// accepts.
const BillingAPIVersion = "2017-12-14"

// ActionGetOrderDetail is the billing action that describes an order and
// its payment.
const ActionGetOrderDetail = "GetOrderDetail"

// BillingHostID is the HostId of the error answers to billing actions: the
// China site's billing endpoint.
const BillingHostID = "business.aliyuncs.com"

// InternationalBillingHost is the international site's billing endpoint.
// In BillingNotApplicable mode, requests whose Host header starts with it
// are answered normally.
const InternationalBillingHost = "business.ap-southeast-1.aliyuncs.com"

// Payment statuses of an order, as the fake records them and GetOrderDetail
// shows them by default (PaymentSpellingDocs; see SetPaymentSpelling).
const (
	PaymentPaid      = "Paid"
	PaymentUnpaid    = "Unpaid"
	PaymentCancelled = "Cancelled"
)

// BillingMode says how the billing API answers the caller; see
// SetBillingMode.
type BillingMode string

const (
	// BillingNormal answers GetOrderDetail (the default).
	BillingNormal BillingMode = "normal"
	// BillingForbidden answers GetOrderDetail and QueryOrders with HTTP 403
	// Forbidden.RAM and DeniedMessage, as when the caller may read no orders
	// (neither bss:DescribeOrderDetail nor bss:DescribeOrderList).
	BillingForbidden BillingMode = "forbidden"
	// BillingNotApplicable answers GetOrderDetail and QueryOrders with HTTP
	// 400 NotApplicable,
	// "This API is not applicable for caller.", as the China site's endpoint
	// answers an international-site account, except to requests whose Host
	// starts with InternationalBillingHost.
	BillingNotApplicable BillingMode = "not-applicable"
)

// InstanceIDsFormat is the shape of the InstanceIDs of an order in
// GetOrderDetail; see SetInstanceIDsFormat.
type InstanceIDsFormat string

const (
	// InstanceIDsPlain is the physical connection ID alone: "pc-x".
	InstanceIDsPlain InstanceIDsFormat = "plain"
	// InstanceIDsComma is a comma-separated list, the physical connection
	// ID first, then ExtraInstanceID: "pc-x,i-extra".
	InstanceIDsComma InstanceIDsFormat = "comma"
	// InstanceIDsJSON is a JSON array in the string: `["pc-x"]` (the
	// default), as the SDK model's example writes it
	// (alibabacloud-go/bssopenapi-20171214, GetOrderDetail's
	// Data.OrderList.Order.InstanceIDs; NOTES.md).
	InstanceIDsJSON InstanceIDsFormat = "json"
)

// ExtraInstanceID is the second instance ID of InstanceIDsComma.
const ExtraInstanceID = "i-extra"

// ParseBillingMode returns the BillingMode named s: "normal", "forbidden" or
// "not-applicable".
func ParseBillingMode(s string) (BillingMode, error) {
	return parseChoice("billing mode", s, BillingNormal, BillingForbidden, BillingNotApplicable)
}

// ParseInstanceIDsFormat returns the InstanceIDsFormat named s: "plain",
// "comma" or "json".
func ParseInstanceIDsFormat(s string) (InstanceIDsFormat, error) {
	return parseChoice("InstanceIDs format", s, InstanceIDsPlain, InstanceIDsComma, InstanceIDsJSON)
}

// parseChoice returns s as one of choices, or an error naming them.
func parseChoice[T ~string](what, s string, choices ...T) (T, error) {
	if slices.Contains(choices, T(s)) {
		return T(s), nil
	}
	names := make([]string, len(choices))
	for i, c := range choices {
		names[i] = string(c)
	}
	return "", fmt.Errorf("fakealicloud: unknown %s %q (want %s)", what, s, strings.Join(names, ", "))
}

// mustParse panics when v is not a valid choice: a programming error.
func mustParse[T ~string](v T, parse func(string) (T, error)) T {
	if _, err := parse(string(v)); err != nil {
		panic(err)
	}
	return v
}

// BillingOrder is the billing side of a committed order.
type BillingOrder struct {
	Order
	// PaymentStatus is, at commit, PaymentPaid for an order sent with
	// AutoPay=true while the balance suffices, PaymentCancelled for one
	// sent with AutoPay=true while it does not (SetBalanceSufficient), and
	// PaymentUnpaid otherwise (AutoPay false or not sent); later, what
	// SetPaymentStatus set.
	PaymentStatus string
	// CreateTime is when the order was committed, by Config.Now.
	CreateTime time.Time
	// PaymentTime is when it was paid, zero unless PaymentStatus is
	// PaymentPaid.
	PaymentTime time.Time `json:",omitzero"`
}

// billingState is what the billing fake knows. The Server's mu guards it.
type billingState struct {
	mode         BillingMode
	spelling     PaymentSpelling
	failCode     string // SetOrderDetailFailure
	failMessage  string
	queryRules   QueryOrdersRules
	format       InstanceIDsFormat
	lag          time.Duration
	insufficient bool
	bills        map[string]*bill // by order ID
	// created is every order's creation time, in order of commitment (the
	// index of Server.orders); unsorted tells that the clock went back
	// between two commits, so that QueryOrders cannot search it.
	created  []time.Time
	unsorted bool
}

// bill is the billing side of one order.
type bill struct {
	index         int // in Server.orders
	status        string
	created, paid time.Time
}

func newBillingState() billingState {
	return billingState{mode: BillingNormal, format: InstanceIDsJSON, spelling: PaymentSpellingDocs, queryRules: QueryOrdersSDK, bills: make(map[string]*bill)}
}

// commit records the bill of an order just committed, at index in
// Server.orders: Unpaid without AutoPay=true, otherwise Paid at once, or
// Cancelled when the balance is insufficient.
func (b *billingState) commit(o Order, index int, now time.Time) {
	bl := &bill{index: index, status: PaymentUnpaid, created: now}
	if o.AutoPay == "true" {
		bl.status = PaymentPaid
		if b.insufficient {
			bl.status = PaymentCancelled
		}
	}
	if bl.status == PaymentPaid {
		bl.paid = now
	}
	b.bills[o.ID] = bl
	if n := len(b.created); n > 0 && now.Before(b.created[n-1]) {
		b.unsorted = true
	}
	b.created = append(b.created, now)
}

// refusal returns the error a billing request to host is refused
// with in the current mode, or nil.
func (b *billingState) refusal(host string) *apiError {
	switch {
	case b.mode == BillingForbidden:
		return errorf(http.StatusForbidden, "Forbidden.RAM", DeniedMessage)
	case b.mode == BillingNotApplicable && !strings.HasPrefix(host, InternationalBillingHost):
		return errorf(http.StatusBadRequest, "NotApplicable", "This API is not applicable for caller.")
	}
	return nil
}

// SetBillingMode sets how GetOrderDetail answers; it panics on a mode that
// is not one of the BillingMode constants.
func (s *Server) SetBillingMode(mode BillingMode) {
	mode = mustParse(mode, ParseBillingMode)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.billing.mode = mode
}

// SetInstanceIDsFormat sets the shape of InstanceIDs in GetOrderDetail; it
// panics on a format that is not one of the InstanceIDsFormat constants.
func (s *Server) SetInstanceIDsFormat(format InstanceIDsFormat) {
	format = mustParse(format, ParseInstanceIDsFormat)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.billing.format = format
}

// SetBillingLag makes an order show in GetOrderDetail only once Config.Now
// is at least its commit time plus d; before, GetOrderDetail answers as for
// an unknown order. It applies to every order, committed or not yet.
func (s *Server) SetBillingLag(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.billing.lag = d
}

// SetBalanceSufficient sets whether the account's balance pays the orders
// committed from now on with AutoPay=true (the default); when it does not,
// they are committed Cancelled.
func (s *Server) SetBalanceSufficient(ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.billing.insufficient = !ok
}

// SetPaymentStatus changes the payment status of a committed order, as when
// its owner pays it in the console (PaymentPaid, in any case, which sets its
// PaymentTime to Config.Now and so enables its waiting circuit after the
// enable lag, see SetEnableLag) or it is cancelled. Any status is accepted,
// so that a client can be tested against unexpected ones; GetOrderDetail
// writes the three PaymentStatus constants in the PaymentSpelling set, any
// other status as given. It does nothing for an unknown order.
func (s *Server) SetPaymentStatus(orderID, status string) {
	s.setPaymentStatus(orderID, status)
}

// setPaymentStatus is SetPaymentStatus, reporting whether the order exists.
func (s *Server) setPaymentStatus(orderID, status string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	bl, ok := s.billing.bills[orderID]
	if !ok {
		return false
	}
	bl.status, bl.paid = status, time.Time{}
	if isPaid(status) {
		bl.paid = s.cfg.Now()
	}
	return true
}

// BillingOrders returns the billing side of every committed order, in order
// of commitment, whether GetOrderDetail shows it yet or not.
func (s *Server) BillingOrders() []BillingOrder {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]BillingOrder, 0, len(s.orders))
	for _, o := range s.orders {
		out = append(out, s.billing.bills[o.ID].of(o))
	}
	return out
}

// billingOrder returns the billing side of one committed order. The caller
// holds s.mu.
func (s *Server) billingOrder(orderID string) (BillingOrder, bool) {
	bl, ok := s.billing.bills[orderID]
	if !ok {
		return BillingOrder{}, false
	}
	return bl.of(s.orders[bl.index]), true
}

// of returns the BillingOrder of bl and its order o.
func (bl *bill) of(o Order) BillingOrder {
	return BillingOrder{Order: o, PaymentStatus: bl.status, CreateTime: bl.created, PaymentTime: bl.paid}
}

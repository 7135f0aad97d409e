package fakealicloud

import "strings"

// PaymentSpelling is how GetOrderDetail writes the payment statuses; see
// SetPaymentSpelling. The sources disagree (NOTES.md, GetOrderDetail): the
// older docs and QueryOrders write Unpaid/Paid/Cancelled, the SDK's text
// (alibabacloud-go/bssopenapi-20171214, PaymentStatus) "unpaid, paid,
// canceled".
type PaymentSpelling string

const (
	// PaymentSpellingDocs writes Unpaid, Paid and Cancelled, as the older
	// docs and QueryOrders do (the default).
	PaymentSpellingDocs PaymentSpelling = "docs"
	// PaymentSpellingSDK writes unpaid, paid and canceled, in lower case,
	// as the SDK's text does.
	PaymentSpellingSDK PaymentSpelling = "sdk"
	// PaymentSpellingCanceled writes Unpaid, Paid and Canceled: the title
	// case of the docs with the SDK's spelling of cancelled.
	PaymentSpellingCanceled PaymentSpelling = "canceled"
)

// ParsePaymentSpelling returns the PaymentSpelling named s: "docs", "sdk"
// or "canceled".
func ParsePaymentSpelling(s string) (PaymentSpelling, error) {
	return parseChoice("payment spelling", s, PaymentSpellingDocs, PaymentSpellingSDK, PaymentSpellingCanceled)
}

// SetPaymentSpelling sets how GetOrderDetail writes PaymentStatus; it panics
// on a spelling that is not one of the PaymentSpelling constants. What the
// server records (BillingOrders) keeps the PaymentStatus constants.
func (s *Server) SetPaymentSpelling(spelling PaymentSpelling) {
	spelling = mustParse(spelling, ParsePaymentSpelling)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.billing.spelling = spelling
}

// spell writes a recorded payment status in the spelling; a status that is
// not one of the PaymentStatus constants is written as it is.
func (sp PaymentSpelling) spell(status string) string {
	switch {
	case sp == PaymentSpellingSDK && status == PaymentCancelled:
		return "canceled"
	case sp == PaymentSpellingSDK && (status == PaymentPaid || status == PaymentUnpaid):
		return strings.ToLower(status)
	case sp == PaymentSpellingCanceled && status == PaymentCancelled:
		return "Canceled"
	}
	return status
}

// SetOrderDetailFailure makes every GetOrderDetail and QueryOrders answer
// HTTP 200 with Success false and the given Code and Message, without
// Data, as the BssOpenApi answer can (its SDK models, GetOrderDetail's and
// QueryOrders' ResponseBody, carry
// Code, Message and Success beside Data; NOTES.md). An empty code turns it
// off; an empty message stands for a generic one.
func (s *Server) SetOrderDetailFailure(code, message string) {
	if code != "" && message == "" {
		message = "The request failed: " + code + "."
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.billing.failCode, s.billing.failMessage = code, message
}

// orderDetailFailure is the JSON of a GetOrderDetail answered with Success
// false.
type orderDetailFailure struct {
	answerHead
	Code    string
	Message string
	Success bool
}

// failure returns the HTTP 200 answer of SetOrderDetailFailure, or nil when
// it is off. The caller holds the Server's mu.
func (b *billingState) failure() *outcome {
	if b.failCode == "" {
		return nil
	}
	return &outcome{answer: &orderDetailFailure{Code: b.failCode, Message: b.failMessage}}
}

package client

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"
)

// ActionQueryOrders lists the account's orders created in a time window
// (BssOpenApi; RAM action bss:DescribeOrderList).
const ActionQueryOrders = "QueryOrders"

// queryOrdersPageSize is the PageSize of QueryOrders. Neither the reference
// nor the SDK model (alibabacloud-go/bssopenapi-20171214) gives a maximum;
// both give 20 as the example.
const queryOrdersPageSize = 100

// queryTimeLayout is the form of CreateTimeStart and CreateTimeEnd: UTC, to
// the second ("yyyy-MM-ddTHH:mm:ssZ", the SDK model's QueryOrdersRequest).
const queryTimeLayout = "2006-01-02T15:04:05Z"

// orderClockSlack widens QueryOrders' window on either side of the time an
// order's create was sent and answered, for the difference between this
// machine's clock and the billing system's. An order the window misses is
// asked for alone (GetOrderDetail), so a clock further off costs requests,
// not answers.
const orderClockSlack = 2 * time.Second

// QueryOrders returns page pageNum (from 1) of the orders created from
// `from` to `to` (rounded out to whole seconds), queryOrdersPageSize a
// page, and how many the window holds. It fails as GetOrderDetail does.
func (c *Client) QueryOrders(ctx context.Context, from, to time.Time, pageNum int) ([]OrderDetail, int, error) {
	if end := to.Truncate(time.Second); end.Before(to) {
		to = end.Add(time.Second)
	}
	q := map[string]string{
		"CreateTimeStart": from.UTC().Truncate(time.Second).Format(queryTimeLayout),
		"CreateTimeEnd":   to.UTC().Format(queryTimeLayout),
		"PageNum":         strconv.Itoa(pageNum),
		"PageSize":        strconv.Itoa(queryOrdersPageSize),
	}
	var l orderList
	err := c.billingCall(ctx, ActionQueryOrders, q, func(res *rpcResult) (err error) {
		l, err = parseOrderList(res.body, ActionQueryOrders)
		return err
	})
	return l.Orders, l.TotalCount, err
}

// paymentGather is the payment watcher's gather time (rounds.go): about
// three creates end within it at the 30 a second that Terraform's ten
// parallel operations reach on two cores.
const paymentGather = 100 * time.Millisecond

// PlacedOrder is an order to wait for: its ID, and when its create was sent
// and answered, between which the billing system dates it.
type PlacedOrder struct {
	ID             string
	Sent, Answered time.Time
}

// PaymentWatcher waits, for every auto-paid order of a provider process,
// until the billing system shows its payment final, and shares the reads
// between them in rounds (rounds.go): one billing request in flight at a
// time. Each round lists the orders created around the creates of every
// waiting order (QueryOrders, page by page until it has seen them all),
// which usually answers all of them in one request, where GetOrderDetail
// takes one per order; an order the list leaves out (an older order that
// the client token answered, or one the list does not show yet) is asked
// for alone (GetOrderDetail) in the same round and from then on. When
// QueryOrders is refused (the RAM action bss:DescribeOrderList is not
// granted, or the API wants parameters the provider cannot know: an older
// reference makes ProductCode and SubscriptionType required), every order
// is asked for alone from then on.
type PaymentWatcher struct {
	*rounds[PlacedOrder, OrderDetail]
	c *Client

	mu     sync.Mutex
	alone  map[string]bool // orders the list left out
	noList bool            // QueryOrders was refused
}

// NewPaymentWatcher returns a watcher. Share one per provider process.
func (c *Client) NewPaymentWatcher() *PaymentWatcher {
	w := &PaymentWatcher{c: c, alone: map[string]bool{}}
	w.rounds = newRounds(c, paymentGather, w.read, refusedForGood)
	return w
}

// refusedForGood reports whether a failure is one no retry mends: the
// API's refusal, or a request that could not be made (not one stopped by
// its context).
func refusedForGood(err error) bool {
	var apiErr *APIError
	var reqErr *RequestError
	return errors.As(err, &apiErr) || errors.As(err, &reqErr) && reqErr.Kind != KindStopped
}

// DefaultPaymentPoll is AwaitPayment's poll interval when it is given none.
const DefaultPaymentPoll = 2 * time.Second

// AwaitPayment waits for the order until its payment status is final or ctx
// ends, asking at least every poll (DefaultPaymentPoll when poll <= 0). It
// returns the last answer (nil when the billing system never showed the
// order) and: nil when the status is final; ctx's error when ctx ended
// first after an answer; the billing API's error when it failed for good,
// or when ctx ended before it ever answered.
func (w *PaymentWatcher) AwaitPayment(ctx context.Context, o PlacedOrder, poll time.Duration) (*OrderDetail, error) {
	if poll <= 0 {
		poll = DefaultPaymentPoll
	}
	s, err := w.await(ctx, o, poll, func(d OrderDetail) bool { return d.Final() })
	var last *OrderDetail
	if s.shown {
		last = &s.v
	}
	switch {
	case err == nil || s.answered || s.failed == nil:
		return last, err // done, or ctx ended after an answer
	case err == s.failed:
		return last, err // refused for good
	case errors.Is(s.failed, errUnanswered):
		return nil, &RequestError{Action: "the payment check", Kind: KindStopped, Endpoint: w.c.billingEndpoint(),
			Msg: "stopped before the billing API answered: " + err.Error(), Cause: err}
	}
	return nil, s.failed // ctx ended before any answer: say why
}

// read is a round: the list for the orders it may answer, then each other
// order alone.
func (w *PaymentWatcher) read(ctx context.Context, orders []PlacedOrder) (map[PlacedOrder]OrderDetail, error) {
	found := make(map[PlacedOrder]OrderDetail, len(orders))
	var listed, alone, missed []PlacedOrder
	w.mu.Lock()
	for _, o := range orders {
		if w.noList || w.alone[o.ID] {
			alone = append(alone, o)
		} else {
			listed = append(listed, o)
		}
	}
	w.mu.Unlock()
	if len(listed) > 0 {
		m, err := w.list(ctx, listed, found)
		w.mu.Lock()
		switch {
		case err != nil && ctx.Err() == nil && refusedForGood(err):
			w.noList = true
			alone = append(alone, listed...)
		case err != nil:
			w.mu.Unlock()
			return found, err
		default:
			missed = m
			for _, o := range missed {
				w.alone[o.ID] = true
			}
		}
		w.mu.Unlock()
	}
	if err := w.askAlone(ctx, alone, found); err != nil {
		return found, err
	}
	if err := w.askAlone(ctx, missed, found); err != nil && ctx.Err() == nil {
		return found, err
	}
	// The list answered without them: if ctx ended before GetOrderDetail
	// did, that answer stands.
	return found, nil
}

// askAlone asks GetOrderDetail about each order, one at a time, and puts
// what it shows in found.
func (w *PaymentWatcher) askAlone(ctx context.Context, orders []PlacedOrder, found map[PlacedOrder]OrderDetail) error {
	for _, o := range orders {
		d, err := w.c.GetOrderDetail(ctx, o.ID)
		if err != nil {
			return err
		}
		if d != nil {
			found[o] = *d
		}
	}
	return nil
}

// list pages through the orders created around every order of orders,
// until it has seen them all or the window's last page, and puts what it
// sees in found. It returns the orders it did not see.
func (w *PaymentWatcher) list(ctx context.Context, orders []PlacedOrder, found map[PlacedOrder]OrderDetail) ([]PlacedOrder, error) {
	from, to := orders[0].Sent, orders[0].Answered
	want := make(map[string][]PlacedOrder, len(orders))
	for _, o := range orders {
		if o.Sent.Before(from) {
			from = o.Sent
		}
		if o.Answered.After(to) {
			to = o.Answered
		}
		want[o.ID] = append(want[o.ID], o)
	}
	for page := 1; len(want) > 0; page++ {
		list, total, err := w.c.QueryOrders(ctx, from.Add(-orderClockSlack), to.Add(orderClockSlack), page)
		if err != nil {
			return nil, err
		}
		for _, d := range list {
			for _, o := range want[d.OrderID] {
				found[o] = d
			}
			delete(want, d.OrderID)
		}
		if len(list) == 0 || page*queryOrdersPageSize >= total {
			break
		}
	}
	var missed []PlacedOrder
	for _, os := range want {
		missed = append(missed, os...)
	}
	return missed, nil
}

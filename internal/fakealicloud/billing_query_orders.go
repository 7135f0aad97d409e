package fakealicloud

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// ActionQueryOrders is the billing action that lists the orders created in
// a time window.
const ActionQueryOrders = "QueryOrders"

// QueryOrdersRules says which source's rules QueryOrders follows; see
// SetQueryOrdersRules. The sources disagree on which parameters it
// requires (NOTES.md, QueryOrders).
type QueryOrdersRules string

const (
	// QueryOrdersSDK requires no parameter, as the SDK model
	// (alibabacloud-go/bssopenapi-20171214, QueryOrdersRequest) and the
	// current reference have it (the default).
	QueryOrdersSDK QueryOrdersRules = "sdk"
	// QueryOrdersRequired requires ProductCode and SubscriptionType, as the
	// older English reference (last updated 2019) marks them, and refuses a
	// request without them with the common MissingParameter (errors.go;
	// that page gives no error code).
	QueryOrdersRequired QueryOrdersRules = "required"
)

// ParseQueryOrdersRules returns the QueryOrdersRules named s: "sdk" or
// "required".
func ParseQueryOrdersRules(s string) (QueryOrdersRules, error) {
	return parseChoice("QueryOrders rules", s, QueryOrdersSDK, QueryOrdersRequired)
}

// SetQueryOrdersRules sets which parameters QueryOrders requires; it panics
// on rules that are not one of the QueryOrdersRules constants.
func (s *Server) SetQueryOrdersRules(rules QueryOrdersRules) {
	rules = mustParse(rules, ParseQueryOrdersRules)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.billing.queryRules = rules
}

// queryOrdersAnswer is the JSON of a successful QueryOrders: the SDK
// model's QueryOrdersResponseBody.
type queryOrdersAnswer struct {
	answerHead
	Code    string
	Message string
	Success bool
	Data    struct {
		HostName   string
		PageNum    int
		PageSize   int
		TotalCount int
		OrderList  struct {
			Order []listedOrder
		}
	}
}

// listedOrder is one order in a QueryOrders answer: the SDK model's
// QueryOrdersResponseBodyDataOrderListOrder, every field a string, with no
// InstanceIDs (NOTES.md).
type listedOrder struct {
	OrderID           string `json:"OrderId"`
	RelatedOrderID    string `json:"RelatedOrderId"`
	CreateTime        string
	PaymentTime       string `json:",omitempty"`
	PaymentStatus     string
	OrderType         string
	SubscriptionType  string
	ProductCode       string
	ProductType       string
	CommodityCode     string
	PretaxAmount      string
	PretaxAmountLocal string
	PretaxGrossAmount string
	AfterTaxAmount    string
	Tax               string
	Currency          string
	PaymentCurrency   string
}

// defaultQueryWindow is the window of a QueryOrders without CreateTimeStart
// and CreateTimeEnd: "orders within the last hour" (the SDK model).
const defaultQueryWindow = time.Hour

// queryOrders answers QueryOrders: the orders whose CreateTime is within
// [CreateTimeStart, CreateTimeEnd] (both ends included: no source says;
// an hour before the end when the start is not given, Config.Now when the
// end is not), that pass the filters ProductCode, ProductType,
// SubscriptionType, OrderType and PaymentStatus (PaymentStatus without
// regard to case), in the order they were committed (no source gives
// one), PageSize (default 20, the reference's example) a page. An order
// shows once it shows in GetOrderDetail (SetBillingLag); PaymentStatus is in
// the PaymentSpelling set; SetOrderDetailFailure applies. A time not in the
// documented form, or a page that is not a positive integer, is refused
// with the common InvalidParameter (errors.go; the page gives no code).
// It looks only at the orders of the window, and writes out only the page
// asked for (the benchmark's creates wait on this lock).
func (s *Server) queryOrders(_ *Request, p map[string]string) outcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.billing.queryRules == QueryOrdersRequired {
		for _, name := range []string{"ProductCode", "SubscriptionType"} {
			if p[name] == "" {
				return outcome{err: missingParameter(name)}
			}
		}
	}
	now := s.cfg.Now()
	end, err := queryTime(p, "CreateTimeEnd", now)
	if err != nil {
		return outcome{err: err}
	}
	start, err := queryTime(p, "CreateTimeStart", end.Add(-defaultQueryWindow))
	if err != nil {
		return outcome{err: err}
	}
	pageNum, err := queryInt(p, "PageNum", 1)
	if err != nil {
		return outcome{err: err}
	}
	pageSize, err := queryInt(p, "PageSize", 20)
	if err != nil {
		return outcome{err: err}
	}
	if f := s.billing.failure(); f != nil {
		return *f
	}
	a := &queryOrdersAnswer{Code: "Success", Message: "Successful!", Success: true}
	a.Data.HostName, a.Data.PageNum, a.Data.PageSize = BillingHostID, pageNum, pageSize
	a.Data.OrderList.Order = []listedOrder{}
	// Only the page asked for is written out: the window's orders are
	// counted, and those before the page skipped, without their details.
	from := (pageNum - 1) * pageSize
	lo, hi := s.billing.window(start, end)
	filtered := p["ProductCode"] != "" || p["ProductType"] != "" || p["SubscriptionType"] != "" || p["OrderType"] != "" || p["PaymentStatus"] != ""
	for _, o := range s.orders[lo:hi] {
		bo, _ := s.billingOrder(o.ID)
		if bo.CreateTime.Before(start) || bo.CreateTime.After(end) || now.Before(bo.CreateTime.Add(s.billing.lag)) {
			continue
		}
		n := a.Data.TotalCount
		if !filtered && (n < from || n >= from+pageSize) {
			a.Data.TotalCount++ // it matches: no filter
			continue
		}
		d := bo.detail(s.billing.format)
		if !matches(p, "ProductCode", d.ProductCode) || !matches(p, "ProductType", d.ProductType) ||
			!matches(p, "SubscriptionType", d.SubscriptionType) || !matches(p, "OrderType", d.OrderType) ||
			p["PaymentStatus"] != "" && !strings.EqualFold(p["PaymentStatus"], d.PaymentStatus) {
			continue
		}
		a.Data.TotalCount++
		if n < from || n >= from+pageSize {
			continue
		}
		a.Data.OrderList.Order = append(a.Data.OrderList.Order, listedOrder{
			OrderID: d.OrderID, CreateTime: d.CreateTime, PaymentTime: d.PaymentTime,
			PaymentStatus: s.billing.spelling.spell(d.PaymentStatus), OrderType: d.OrderType,
			SubscriptionType: d.SubscriptionType, ProductCode: d.ProductCode, ProductType: d.ProductType,
			CommodityCode: d.ProductCode, // no source gives the occupancy fee's; the fake repeats ProductCode
			PretaxAmount:  d.PretaxAmount, PretaxAmountLocal: d.PretaxAmount,
			PretaxGrossAmount: d.PretaxGrossAmount, AfterTaxAmount: d.AfterTaxAmount, Tax: d.Tax,
			Currency: d.Currency, PaymentCurrency: d.PaymentCurrency,
		})
	}
	return outcome{answer: a}
}

// queryTime reads the time parameter name, in the documented form
// (yyyy-MM-ddTHH:mm:ssZ, UTC), or def when it is not given.
func queryTime(p map[string]string, name string, def time.Time) (time.Time, *apiError) {
	v := p[name]
	if v == "" {
		return def, nil
	}
	t, err := time.Parse(utcLayout, v)
	if err != nil {
		return time.Time{}, invalidParameter(name)
	}
	return t, nil
}

// queryInt reads the positive integer parameter name, or def when it is not
// given.
func queryInt(p map[string]string, name string, def int) (int, *apiError) {
	v := p[name]
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, invalidParameter(name)
	}
	return n, nil
}

// matches reports whether the filter name, when given, equals value.
func matches(p map[string]string, name, value string) bool {
	return p[name] == "" || p[name] == value
}

// window returns the range of Server.orders (by index) that may hold the
// orders created from start to end: found by binary search while the
// creation times are in order of commitment, otherwise all of them. The
// caller holds the Server's mu.
func (b *billingState) window(start, end time.Time) (lo, hi int) {
	if b.unsorted {
		return 0, len(b.created)
	}
	lo = sort.Search(len(b.created), func(i int) bool { return !b.created[i].Before(start) })
	hi = sort.Search(len(b.created), func(i int) bool { return b.created[i].After(end) })
	return lo, max(lo, hi)
}

package fakealicloud

import (
	"encoding/json"
	"strconv"
)

// MonthlyOccupancyFee is the price the fake bills for each month of a
// PrePaid order, in CNY before tax; PostPaid orders are billed 0.00.
const MonthlyOccupancyFee = 1000

// orderDetailAnswer is the JSON of a successful GetOrderDetail.
type orderDetailAnswer struct {
	answerHead
	Code    string
	Message string
	Success bool
	Data    orderDetailData
}

// orderDetailData is the Data of a GetOrderDetail answer.
type orderDetailData struct {
	HostName   string
	PageNum    int
	PageSize   int
	TotalCount int
	OrderList  struct {
		Order []orderDetail
	}
}

// orderDetail is one order in a GetOrderDetail answer.
type orderDetail struct {
	OrderID           string `json:"OrderId"`
	SubOrderID        string `json:"SubOrderId"`
	PaymentStatus     string
	PaymentTime       string `json:",omitempty"`
	CreateTime        string
	UsageStartTime    string
	UsageEndTime      string `json:",omitempty"`
	OrderType         string
	SubscriptionType  string
	PretaxAmount      string
	PretaxGrossAmount string
	AfterTaxAmount    string
	Tax               string
	Currency          string
	PaymentCurrency   string
	ProductCode       string
	ProductType       string
	Region            string
	Quantity          string
	InstanceIDs       string
}

// getOrderDetail answers GetOrderDetail: the order OrderId, or an empty
// list when it is unknown or not shown yet (SetBillingLag); HTTP 200 with
// Success false in SetOrderDetailFailure's mode; PaymentStatus in the
// PaymentSpelling set. An order sent
// without InstanceChargeType is billed as PostPaid (PayAsYouGo).
func (s *Server) getOrderDetail(_ *Request, p map[string]string) outcome {
	id := p["OrderId"]
	if id == "" {
		return outcome{err: missingParameter("OrderId")}
	}
	a := &orderDetailAnswer{Code: "Success", Message: "Successful!", Success: true,
		Data: orderDetailData{HostName: BillingHostID, PageNum: 1, PageSize: 20}}
	a.Data.OrderList.Order = []orderDetail{}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.billing.failure(); f != nil {
		return *f
	}
	if bo, ok := s.billingOrder(id); ok && !s.cfg.Now().Before(bo.CreateTime.Add(s.billing.lag)) {
		d := bo.detail(s.billing.format)
		d.PaymentStatus = s.billing.spelling.spell(d.PaymentStatus)
		a.Data.OrderList.Order = append(a.Data.OrderList.Order, d)
	}
	a.Data.TotalCount = len(a.Data.OrderList.Order)
	return outcome{answer: a}
}

// detail describes the order as GetOrderDetail does, with its InstanceIDs
// in format.
func (bo BillingOrder) detail(format InstanceIDsFormat) orderDetail {
	months := 0
	subscription := "PayAsYouGo"
	if bo.InstanceChargeType == "PrePaid" {
		subscription = "Subscription"
		months = 1
		if n, err := strconv.Atoi(bo.Period); err == nil {
			months = n
		}
		if bo.PricingCycle == "Year" {
			months *= 12
		}
	}
	amount := strconv.Itoa(months*MonthlyOccupancyFee) + ".00"
	d := orderDetail{
		OrderID:           bo.ID,
		SubOrderID:        bo.ID + "01",
		PaymentStatus:     bo.PaymentStatus,
		CreateTime:        bo.CreateTime.UTC().Format(utcLayout),
		UsageStartTime:    bo.CreateTime.UTC().Format(utcLayout),
		OrderType:         "New",
		SubscriptionType:  subscription,
		PretaxAmount:      amount,
		PretaxGrossAmount: amount,
		AfterTaxAmount:    amount,
		Tax:               "0.00",
		Currency:          "CNY",
		PaymentCurrency:   "CNY",
		ProductCode:       "vpc",
		ProductType:       "vpc_pc_occupancy",
		Region:            bo.RegionID,
		Quantity:          "1",
		InstanceIDs:       instanceIDs(bo.PhysicalConnectionID, format),
	}
	if !bo.PaymentTime.IsZero() {
		d.PaymentTime = bo.PaymentTime.UTC().Format(utcLayout)
	}
	if months > 0 {
		d.UsageEndTime = bo.CreateTime.AddDate(0, months, 0).UTC().Format(utcLayout)
	}
	return d
}

// instanceIDs writes the InstanceIDs of an order on connection id.
func instanceIDs(id string, format InstanceIDsFormat) string {
	switch format {
	case InstanceIDsComma:
		return id + "," + ExtraInstanceID
	case InstanceIDsJSON:
		b, _ := json.Marshal([]string{id})
		return string(b)
	}
	return id
}

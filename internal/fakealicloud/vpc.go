package fakealicloud

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// APIVersion is the only VPC API version the fake accepts.
const APIVersion = "2016-04-28"

// The VPC actions the fake implements.
const (
	// ActionCreateOccupancyOrder places the resource occupancy fee order of
	// a physical connection.
	ActionCreateOccupancyOrder = "CreatePhysicalConnectionOccupancyOrder"
	// ActionDescribePhysicalConnections lists the physical connections of a region.
	ActionDescribePhysicalConnections = "DescribePhysicalConnections"
)

// HostID is the HostId of the error answers to VPC actions (and of those
// refused before their action is known).
const HostID = "vpc.aliyuncs.com"

// BusinessStatusNormal is the business (payment) status of a physical
// connection that is not locked; others are "FinancialLocked" and
// "SecurityLocked".
const BusinessStatusNormal = "Normal"

// Order is a committed occupancy order, with its parameters as sent.
type Order struct {
	// ID is the decimal order number.
	ID string
	// RegionID is the RegionId parameter.
	RegionID string
	// PhysicalConnectionID is the PhysicalConnectionId parameter.
	PhysicalConnectionID string
	// AutoPay is "true", "false" or "" when not sent.
	AutoPay string
	// InstanceChargeType is "PrePaid", "PostPaid" or "" when not sent.
	InstanceChargeType string
	// Period is the Period parameter as sent, or "".
	Period string
	// PricingCycle is "Month", "Year" or "" when not sent.
	PricingCycle string
	// AutoRenew is "true", "false" or "" when not sent.
	AutoRenew string
	// AutoRenewDuration is the AutoRenewDuration parameter as sent, or "".
	AutoRenewDuration string
	// ClientToken is the idempotency token, or "" when none was sent.
	ClientToken string
}

// physicalConnection is a physical connection known to the fake.
type physicalConnection struct {
	region, status, businessStatus string
	created                        time.Time
}

type tokenEntry struct {
	params  map[string]string
	orderID uint64
}

// AddPhysicalConnection adds (or replaces) a physical connection in a region
// with a status such as "Enabled", "Complete", "Confirmed" or "Terminated",
// and the business status BusinessStatusNormal. Orders can be placed only on
// connections in status Enabled or Complete whose business status is
// Normal. Its CreationTime in DescribePhysicalConnections is Config.Now.
func (s *Server) AddPhysicalConnection(id, region, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.connections[id] = physicalConnection{region: region, status: status, businessStatus: BusinessStatusNormal, created: s.cfg.Now()}
}

// SetPhysicalConnectionStatus changes the status of a known physical
// connection; it does nothing for an unknown one.
func (s *Server) SetPhysicalConnectionStatus(id, status string) {
	s.updateConnection(id, func(pc *physicalConnection) { pc.status = status })
}

// SetPhysicalConnectionBusinessStatus changes the business (payment) status
// of a known physical connection, such as "FinancialLocked" or
// "SecurityLocked"; it does nothing for an unknown one. While it is not
// BusinessStatusNormal, CreatePhysicalConnectionOccupancyOrder on the
// connection is answered HTTP 400 Forbidden.BusinessStatus.
func (s *Server) SetPhysicalConnectionBusinessStatus(id, businessStatus string) {
	s.updateConnection(id, func(pc *physicalConnection) { pc.businessStatus = businessStatus })
}

// updateConnection applies change to a known physical connection.
func (s *Server) updateConnection(id string, change func(*physicalConnection)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pc, ok := s.connections[id]; ok {
		change(&pc)
		s.connections[id] = pc
	}
}

// Orders returns a copy of the committed orders, in order of commitment.
func (s *Server) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append(make([]Order, 0, len(s.orders)), s.orders...)
}

// createAnswer is the JSON of a successful create.
type createAnswer struct {
	answerHead
	Data orderData
}

// orderData is the Data of a successful create; OrderID is a JSON number or
// string written verbatim.
type orderData struct {
	OrderID json.RawMessage `json:"OrderId"`
}

// orderAnswer answers a create that committed or replayed order id.
func (s *Server) orderAnswer(id uint64) outcome {
	text := strconv.FormatUint(id, 10)
	raw := json.RawMessage(text)
	if s.cfg.OrderIDAsString {
		raw = json.RawMessage(strconv.Quote(text))
	}
	return outcome{answer: &createAnswer{Data: orderData{OrderID: raw}}, orderID: text}
}

// validateOrder checks the parameters of a create that need no state.
func validateOrder(p map[string]string) *apiError {
	if p["PhysicalConnectionId"] == "" {
		return errorf(http.StatusBadRequest, "MissingPhysicalConnectionId", "PhysicalConnectionId is mandatory for this action.")
	}
	if p["RegionId"] == "" {
		return missingParameter("RegionId")
	}
	for _, c := range []struct {
		name  string
		valid func(string) bool
	}{
		{"InstanceChargeType", oneOf("PrePaid", "PostPaid")},
		{"PricingCycle", oneOf("Month", "Year")},
		{"Period", positiveInt},
		{"AutoPay", oneOf("true", "false")},
		{"AutoRenew", oneOf("true", "false")},
		{"AutoRenewDuration", positiveInt},
	} {
		if v, ok := p[c.name]; ok && !c.valid(v) {
			return invalidParameter(c.name)
		}
	}
	return nil
}

// createOrder validates and commits (or replays) an occupancy order.
func (s *Server) createOrder(_ *Request, p map[string]string) outcome {
	if e := validateOrder(p); e != nil {
		return outcome{err: e}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pc, ok := s.connections[p["PhysicalConnectionId"]]
	switch {
	case !ok || pc.region != p["RegionId"]:
		return outcome{err: errorf(http.StatusNotFound, "InvalidPhysicalConnectionId.NotFound", "The PhysicalConnectionId provided does not exist in our records.")}
	case pc.status != "Enabled" && pc.status != "Complete":
		return outcome{err: errorf(http.StatusBadRequest, "Forbidden.NotAllowedInState", "The request does not allow in this state.")}
	case pc.businessStatus != BusinessStatusNormal:
		return outcome{err: errorf(http.StatusBadRequest, "Forbidden.BusinessStatus", "The request is not allowed because the business status of the physical connection is "+pc.businessStatus+".")}
	}
	token := p["ClientToken"]
	if prev, ok := s.tokens[token]; ok && token != "" {
		if !maps.Equal(prev.params, p) {
			return outcome{err: errorf(http.StatusBadRequest, "IdempotentParameterMismatch", "The request uses the same client token as a previous, but non-identical request.")}
		}
		return s.orderAnswer(prev.orderID)
	}
	id := s.nextOrderID
	s.nextOrderID++
	order := Order{
		ID:                   strconv.FormatUint(id, 10),
		RegionID:             p["RegionId"],
		PhysicalConnectionID: p["PhysicalConnectionId"],
		AutoPay:              p["AutoPay"],
		InstanceChargeType:   p["InstanceChargeType"],
		Period:               p["Period"],
		PricingCycle:         p["PricingCycle"],
		AutoRenew:            p["AutoRenew"],
		AutoRenewDuration:    p["AutoRenewDuration"],
		ClientToken:          token,
	}
	s.orders = append(s.orders, order)
	s.billing.commit(order, len(s.orders)-1, s.cfg.Now())
	if token != "" {
		s.tokens[token] = tokenEntry{params: maps.Clone(p), orderID: id}
	}
	out := s.orderAnswer(id)
	out.drop = s.lossRate > 0 && s.lossRNG.Float64() < s.lossRate
	return out
}

// oneOf returns a check that a value is one of values.
func oneOf(values ...string) func(string) bool {
	return func(v string) bool { return slices.Contains(values, v) }
}

// positiveInt reports whether v is a decimal integer of at least 1.
func positiveInt(v string) bool {
	n, err := strconv.Atoi(v)
	return err == nil && n >= 1
}

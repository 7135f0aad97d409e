package fakealicloud

import (
	"encoding/json"
	"maps"
	"net/http"
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
	// pending holds the orders placed while the circuit waited for
	// payment; the first one paid enables it (lifecycle.go).
	pending []string
	// enabledAt is when the life cycle turned it Enabled, or zero.
	enabledAt time.Time
	// unlisted: left out of a DescribePhysicalConnections without a
	// PhysicalConnectionId filter (SetUnlisted).
	unlisted bool
}

type tokenEntry struct {
	params  map[string]string
	orderID uint64
}

// AddPhysicalConnection adds (or replaces) a physical connection in a region
// with a status (one of the Status constants, such as StatusConfirmed) and
// the business status BusinessStatusNormal; the region becomes known.
// Orders can be placed only on circuits waiting for payment (StatusConfirmed
// or StatusComplete, see WaitsForPayment) whose business status is Normal.
// Its CreationTime in DescribePhysicalConnections is Config.Now.
func (s *Server) AddPhysicalConnection(id, region, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.connections[id] = physicalConnection{region: region, status: status, businessStatus: BusinessStatusNormal, created: s.cfg.Now()}
}

// AddRegion makes a region known without any circuit, so that an order
// there is answered InvalidPhysicalConnectionId.NotFound rather than
// InvalidRegionId.NotFound. Regions of added circuits are known already.
func (s *Server) AddRegion(region string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.regions[region] = true
}

// SetPhysicalConnectionStatus changes the status of a known physical
// connection; it does nothing for an unknown one. An explicit status wins
// over the life cycle: orders placed before no longer enable the circuit.
func (s *Server) SetPhysicalConnectionStatus(id, status string) {
	s.updateConnection(id, func(pc *physicalConnection) { pc.status, pc.pending, pc.enabledAt = status, nil, time.Time{} })
}

// SetPhysicalConnectionBusinessStatus changes the business (payment) status
// of a known physical connection, such as BusinessStatusFinancialLocked or
// BusinessStatusSecurityLocked; it does nothing for an unknown one. While it
// is not BusinessStatusNormal, CreatePhysicalConnectionOccupancyOrder on the
// connection is answered HTTP 400 INSTANCE.STATUS.NOT.ALLOW.
func (s *Server) SetPhysicalConnectionBusinessStatus(id, businessStatus string) {
	s.updateConnection(id, func(pc *physicalConnection) { pc.businessStatus = businessStatus })
}

// SetUnlisted makes DescribePhysicalConnections leave a known circuit out of
// every answer that has no PhysicalConnectionId filter, while a lookup
// filtered by its ID still finds it (unlisted false undoes it). It models a
// circuit created moments ago that the listing has not caught up with; no
// published source describes this lag, it is a mode for testing clients that
// look circuits up by ID.
func (s *Server) SetUnlisted(id string, unlisted bool) {
	s.updateConnection(id, func(pc *physicalConnection) { pc.unlisted = unlisted })
}

// updateConnection applies change to a known physical connection.
func (s *Server) updateConnection(id string, change func(*physicalConnection)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pc, ok := s.connectionLocked(id); ok {
		change(&pc)
		s.connections[id] = pc
	}
}

// knownRegion reports whether region has a circuit or was added with
// AddRegion. The caller holds s.mu.
func (s *Server) knownRegion(region string) bool {
	if s.regions[region] {
		return true
	}
	for _, pc := range s.connections {
		if pc.region == region {
			return true
		}
	}
	return false
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

// createOrder validates and commits (or replays) an occupancy order.
func (s *Server) createOrder(_ *Request, p map[string]string) outcome {
	return s.placeOrder(p, nil)
}

// placeOrder validates and commits (or replays) an occupancy order; a
// Processing fault f (or nil) makes a new order answer f.Code (faults.go).
// The checks, in order: the parameters that need no state (vpc_validate.go);
// a client token already used (before any state, so that a replay answers
// its order whatever the circuit's state is now, and
// IdempotentParameterMismatch for other parameters: the VPC idempotence
// page, https://www.alibabacloud.com/help/doc-detail/36569.htm); the region;
// the circuit; its status; its business status.
func (s *Server) placeOrder(p map[string]string, f *Fault) outcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := validateOrder(p, s.postPaidOff); e != nil {
		return outcome{err: e}
	}
	token := p["ClientToken"]
	if prev, ok := s.tokens[token]; ok && token != "" {
		if !maps.Equal(prev.params, p) {
			return outcome{err: errorf(http.StatusBadRequest, "IdempotentParameterMismatch", "The request uses the same client token as a previous, but non-identical request.")}
		}
		return s.orderAnswer(prev.orderID)
	}
	id := p["PhysicalConnectionId"]
	if e := s.refuseOrderLocked(p["RegionId"], id); e != nil {
		return outcome{err: e}
	}
	orderID := s.nextOrderID
	s.nextOrderID++
	order := Order{
		ID:                   strconv.FormatUint(orderID, 10),
		RegionID:             p["RegionId"],
		PhysicalConnectionID: id,
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
	pc := s.connections[id]
	pc.pending = append(pc.pending, order.ID)
	s.connections[id] = pc
	out := s.orderAnswer(orderID)
	if f != nil {
		// The order is committed and "still being processed".
		out = outcome{err: transientError(f.Code)}
	}
	if token != "" {
		s.tokens[token] = tokenEntry{params: maps.Clone(p), orderID: orderID}
	}
	out.drop = s.lossRate > 0 && s.lossRNG.Float64() < s.lossRate
	return out
}

// refuseOrderLocked returns the error an order on circuit id in region is
// refused with, or nil. The caller holds s.mu.
func (s *Server) refuseOrderLocked(region, id string) *apiError {
	pc, ok := s.connectionLocked(id)
	switch {
	case !s.knownRegion(region):
		// 404 InvalidRegionId.NotFound, current reference page. The fake
		// knows a region when it has a circuit or was added (AddRegion).
		return errorf(http.StatusNotFound, "InvalidRegionId.NotFound", "The RegionId provided does not exist in our records.")
	case !ok || pc.region != region:
		// 404, CreatePhysicalConnectionOccupancyOrder.md and the current page.
		return errorf(http.StatusNotFound, "InvalidPhysicalConnectionId.NotFound", "The PhysicalConnectionId provided does not exist in our records.")
	case pc.status == StatusEnabled:
		// Both codes are on the current page, which does not say which
		// state answers which: Enabled (already paid, the state the official
		// provider waits for after the order) gets Forbidden.NotAllowedInState,
		// the code of CreatePhysicalConnectionOccupancyOrder.md.
		return errorf(http.StatusBadRequest, "Forbidden.NotAllowedInState", "The request does not allow in this state.")
	case !WaitsForPayment(pc.status):
		// Every other state that does not wait for payment.
		return errorf(http.StatusBadRequest, "IncorrectStatus.PhysicalConnection", "Invalid physical connection status.")
	case pc.businessStatus != BusinessStatusNormal:
		// No source names the code for a locked circuit; the current page's
		// INSTANCE.STATUS.NOT.ALLOW ("The instance in the current state does
		// not support the operation") is the closest documented one.
		return errorf(http.StatusBadRequest, "INSTANCE.STATUS.NOT.ALLOW", "Instance status not allow")
	}
	return nil
}

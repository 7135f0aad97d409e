package fakealicloud

import (
	"encoding/json"
	"maps"
	"net/http"
	"strconv"
)

// APIVersion is the only VPC API version the fake accepts.
const APIVersion = "2016-04-28"

// ActionCreateOccupancyOrder is the VPC action that places the resource
// occupancy fee order of a physical connection.
const ActionCreateOccupancyOrder = "CreatePhysicalConnectionOccupancyOrder"

// HostID is the HostId of the error answers to VPC actions (and of those
// refused before their action is known).
const HostID = "vpc.aliyuncs.com"

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
	// ClientToken is the idempotency token, or "" when none was sent.
	ClientToken string
}

type physicalConnection struct {
	region, status string
}

type tokenEntry struct {
	params  map[string]string
	orderID uint64
}

// AddPhysicalConnection adds (or replaces) a physical connection in a region
// with a status such as "Enabled", "Complete", "Confirmed" or "Terminated".
// Orders can be placed only on connections in status Enabled or Complete.
func (s *Server) AddPhysicalConnection(id, region, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.connections[id] = physicalConnection{region: region, status: status}
}

// SetPhysicalConnectionStatus changes the status of a known physical
// connection; it does nothing for an unknown one.
func (s *Server) SetPhysicalConnectionStatus(id, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pc, ok := s.connections[id]; ok {
		pc.status = status
		s.connections[id] = pc
	}
}

// Orders returns a copy of the committed orders, in order of commitment.
func (s *Server) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append(make([]Order, 0, len(s.orders)), s.orders...)
}

// successBody is the JSON of a successful answer.
type successBody struct {
	RequestID string `json:"RequestId"`
	Data      orderData
}

// orderData is the Data of a successful answer; OrderID is a JSON number or
// string written verbatim.
type orderData struct {
	OrderID json.RawMessage `json:"OrderId"`
}

// createOrder validates and commits (or replays) an occupancy order.
func (s *Server) createOrder(p map[string]string) outcome {
	fail := func(status int, code, message string) outcome {
		return outcome{err: errorf(status, code, message)}
	}
	if p["PhysicalConnectionId"] == "" {
		return fail(http.StatusBadRequest, "MissingPhysicalConnectionId", "PhysicalConnectionId is mandatory for this action.")
	}
	if p["RegionId"] == "" {
		return fail(http.StatusBadRequest, "MissingParameter", `The input parameter "RegionId" that is mandatory for processing this request is not supplied.`)
	}
	invalid := func(name string) outcome {
		return fail(http.StatusBadRequest, "InvalidParameter", `The specified parameter "`+name+`" is not valid.`)
	}
	if v, ok := p["InstanceChargeType"]; ok && v != "PrePaid" && v != "PostPaid" {
		return invalid("InstanceChargeType")
	}
	if v, ok := p["PricingCycle"]; ok && v != "Month" && v != "Year" {
		return invalid("PricingCycle")
	}
	if v, ok := p["Period"]; ok {
		if n, err := strconv.Atoi(v); err != nil || n < 1 {
			return invalid("Period")
		}
	}
	if v, ok := p["AutoPay"]; ok && v != "true" && v != "false" {
		return invalid("AutoPay")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	pc, ok := s.connections[p["PhysicalConnectionId"]]
	if !ok || pc.region != p["RegionId"] {
		return fail(http.StatusNotFound, "InvalidPhysicalConnectionId.NotFound", "The PhysicalConnectionId provided does not exist in our records.")
	}
	if pc.status != "Enabled" && pc.status != "Complete" {
		return fail(http.StatusBadRequest, "Forbidden.NotAllowedInState", "The request does not allow in this state.")
	}
	token := p["ClientToken"]
	if token != "" {
		if prev, ok := s.tokens[token]; ok {
			if !maps.Equal(prev.params, p) {
				return fail(http.StatusBadRequest, "IdempotentParameterMismatch", "The request uses the same client token as a previous, but non-identical request.")
			}
			return outcome{orderID: prev.orderID}
		}
	}
	id := s.nextOrderID
	s.nextOrderID++
	s.orders = append(s.orders, Order{
		ID:                   strconv.FormatUint(id, 10),
		RegionID:             p["RegionId"],
		PhysicalConnectionID: p["PhysicalConnectionId"],
		AutoPay:              p["AutoPay"],
		InstanceChargeType:   p["InstanceChargeType"],
		Period:               p["Period"],
		PricingCycle:         p["PricingCycle"],
		ClientToken:          token,
	})
	if token != "" {
		s.tokens[token] = tokenEntry{params: maps.Clone(p), orderID: id}
	}
	drop := s.lossRate > 0 && s.lossRNG.Float64() < s.lossRate
	return outcome{orderID: id, drop: drop}
}

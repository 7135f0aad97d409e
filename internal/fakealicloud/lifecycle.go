package fakealicloud

import (
	"strings"
	"time"
)

// The statuses of a physical connection (Express Connect circuit), as
// DescribePhysicalConnections shows them. Source: the Status list of
// DescribePhysicalConnections (VPC 2016-04-28) cited in
// /work/shared/api/NOTES.md; StatusComplete is not in that list but in the
// SDK's doc comment of CreatePhysicalConnectionOccupancyOrder
// (alibabacloud-go/vpc-20160428: "Only Express Connect circuits in the
// Waiting for Payment (Complete) state support this operation"), and
// StatusAllocationFailed is spelled with a space as that list spells it
// (one other page writes "AllocationFailed").
const (
	StatusInitial          = "Initial"
	StatusApproved         = "Approved"
	StatusAllocating       = "Allocating"
	StatusAllocated        = "Allocated"
	StatusConfirmed        = "Confirmed"
	StatusComplete         = "Complete"
	StatusEnabled          = "Enabled"
	StatusRejected         = "Rejected"
	StatusCanceled         = "Canceled"
	StatusAllocationFailed = "Allocation Failed"
	StatusTerminating      = "Terminating"
	StatusTerminated       = "Terminated"
)

// Statuses lists every documented status, in the order of the
// DescribePhysicalConnections reference (Complete after Confirmed).
var Statuses = []string{
	StatusInitial, StatusApproved, StatusAllocating, StatusAllocated, StatusConfirmed, StatusComplete,
	StatusEnabled, StatusRejected, StatusCanceled, StatusAllocationFailed, StatusTerminating, StatusTerminated,
}

// The business statuses of a locked physical connection (besides
// BusinessStatusNormal). Source: BusinessStatus of DescribePhysicalConnections,
// cited in NOTES.md.
const (
	BusinessStatusFinancialLocked = "FinancialLocked"
	BusinessStatusSecurityLocked  = "SecurityLocked"
)

// DefaultEnableLag is how long after its occupancy order is paid a circuit
// turns Enabled when SetEnableLag was not called: one second, long enough
// that a client must poll DescribePhysicalConnections at least once (as the
// official provider does: it places the order, then waits for Enabled in
// alicloud/service_alicloud_vpc.go, ModifyExpressConnectPhysicalConnectionStatus),
// short enough for acceptance tests on a real clock. No source gives the
// real delay.
const DefaultEnableLag = time.Second

// WaitsForPayment reports whether a circuit in status takes an occupancy
// order: Confirmed (after ConfirmPhysicalConnection, where the official
// provider places it) or Complete (the Waiting for Payment state of the SDK's
// doc comment and the current reference page:
// https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-createphysicalconnectionoccupancyorder).
func WaitsForPayment(status string) bool {
	return status == StatusConfirmed || status == StatusComplete
}

// SetEnableLag sets how long after its occupancy order is paid a waiting
// circuit turns Enabled (DefaultEnableLag until called; d < 0 counts as 0).
// The change is evaluated lazily against Config.Now whenever the circuit is
// read, so it applies to orders already paid as well: a circuit is Enabled
// once Config.Now >= PaymentTime + lag of one of the orders placed on it
// while it waited. Nothing runs in the background.
func (s *Server) SetEnableLag(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.enableLag = max(d, 0)
}

// PhysicalConnectionStatus returns the status of a known circuit as
// DescribePhysicalConnections would show it now, after the life cycle
// (SetEnableLag), and whether the circuit is known.
func (s *Server) PhysicalConnectionStatus(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pc, ok := s.connectionLocked(id)
	return pc.status, ok
}

// connectionLocked returns a known circuit after applying its life cycle.
// The caller holds s.mu.
func (s *Server) connectionLocked(id string) (physicalConnection, bool) {
	pc, ok := s.connections[id]
	if ok && s.settle(&pc) {
		s.connections[id] = pc
	}
	return pc, ok
}

// settle turns a waiting circuit Enabled when one of the orders placed on it
// while it waited is paid (billing status Paid, in any spelling) and the lag
// has passed since its payment, and reports whether it changed pc. An order
// that is unpaid or voided (Cancelled) leaves the circuit waiting. The caller
// holds s.mu.
func (s *Server) settle(pc *physicalConnection) bool {
	if !WaitsForPayment(pc.status) || len(pc.pending) == 0 {
		return false
	}
	now := s.cfg.Now()
	var at time.Time
	for _, orderID := range pc.pending {
		bl := s.billing.bills[orderID]
		if bl == nil || !isPaid(bl.status) || bl.paid.IsZero() {
			continue
		}
		if t := bl.paid.Add(s.enableLag); !now.Before(t) && (at.IsZero() || t.Before(at)) {
			at = t
		}
	}
	if at.IsZero() {
		return false
	}
	pc.status, pc.enabledAt, pc.pending = StatusEnabled, at, nil
	return true
}

// isPaid reports whether a payment status means paid, in any case: the
// older docs and QueryOrders write "Paid", the SDK's text "paid" (NOTES.md,
// GetOrderDetail).
func isPaid(status string) bool {
	return strings.EqualFold(status, PaymentPaid)
}

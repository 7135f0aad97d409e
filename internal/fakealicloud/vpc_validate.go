package fakealicloud

import (
	"math"
	"net/http"
	"slices"
	"strconv"
)

// Sources of the rules in this file, cited by the short names used below:
//
//   - "the current page": CreatePhysicalConnectionOccupancyOrder,
//     https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-createphysicalconnectionoccupancyorder
//     (error codes as of its 2024-07-29 change), whose Period text is also
//     the SDK model's (alibabacloud-go/vpc-20160428,
//     CreatePhysicalConnectionOccupancyOrderRequest.Period);
//   - "the seed reference": /work/shared/api/CreatePhysicalConnectionOccupancyOrder.md;
//   - "the common codes": Alibaba Cloud's common error codes
//     (https://developer.aliyun.com/ask/209782: MissingParameter and
//     InvalidParameter, HTTP 400), for parameters whose page names no code.

// Period ranges, by PricingCycle (the current page and the SDK model: "If
// PricingCycle is set to Month, set Period to a value from 1 to 9. If
// PricingCycle is set to Year, set Period to a value from 1 to 5").
const (
	MaxPeriodMonths = 9
	MaxPeriodYears  = 5
)

// SetPostPaidRefused switches between the two references on
// InstanceChargeType: false (the default) accepts PrePaid and PostPaid as
// the seed reference lists them (PostPaid its default); true refuses
// PostPaid as the current page does, which lists PrePaid only, with HTTP 400
// InvalidPhysicalConnectionChargeType.Malformed, its code for an invalid
// InstanceChargeType.
func (s *Server) SetPostPaidRefused(refused bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.postPaidOff = refused
}

// validateOrder checks the parameters of a create that need no state.
func validateOrder(p map[string]string, postPaidRefused bool) *apiError {
	// Required by both references; the SDK refuses to send a request
	// without them, so the code is the common codes' MissingParameter.
	for _, name := range []string{"RegionId", "PhysicalConnectionId"} {
		if p[name] == "" {
			return missingParameter(name)
		}
	}
	chargeTypes := []string{"PrePaid", "PostPaid"}
	if postPaidRefused {
		chargeTypes = chargeTypes[:1]
	}
	if v, ok := p["InstanceChargeType"]; ok && !slices.Contains(chargeTypes, v) {
		// 400, the current page.
		return errorf(http.StatusBadRequest, "InvalidPhysicalConnectionChargeType.Malformed", "Specified Physical Connection ChargeType is not valid.")
	}
	cycle, ok := p["PricingCycle"]
	if ok && cycle != "Month" && cycle != "Year" {
		// Month (the default) or Year: both references; 400, the current page.
		return errorf(http.StatusBadRequest, "InvalidPhysicalConnectionPricingCycle.Malformed", "Specified Physical Connection PricingCycle is not valid.")
	}
	// Period is ignored for PostPaid (an earlier version of the current
	// page: "Ignore this parameter when InstanceChargeType is set to
	// PostPaid"); otherwise in the range of its PricingCycle.
	if v, ok := p["Period"]; ok && p["InstanceChargeType"] != "PostPaid" {
		hi := MaxPeriodMonths
		if cycle == "Year" {
			hi = MaxPeriodYears
		}
		if !intIn(v, 1, hi) {
			// 400, the current page.
			return errorf(http.StatusBadRequest, "InvalidPhysicalConnectionPeriod.Malformed", "Specified Physical Connection Period is not valid.")
		}
	}
	for _, c := range []struct {
		name  string
		valid func(string) bool
	}{
		// Booleans (both references); no page names a code: the common codes.
		{"AutoPay", oneOf("true", "false")},
		{"AutoRenew", oneOf("true", "false")},
		// Months, "0~2147483647, default 1" (the current page, zh-TW
		// version, which documents AutoRenew and AutoRenewDuration); no
		// code: the common codes.
		{"AutoRenewDuration", func(v string) bool { return intIn(v, 0, math.MaxInt32) }},
	} {
		if v, ok := p[c.name]; ok && !c.valid(v) {
			return invalidParameter(c.name)
		}
	}
	return nil
}

// oneOf returns a check that a value is one of values.
func oneOf(values ...string) func(string) bool {
	return func(v string) bool { return slices.Contains(values, v) }
}

// intIn reports whether v is a decimal integer in [lo, hi].
func intIn(v string, lo, hi int) bool {
	n, err := strconv.Atoi(v)
	return err == nil && n >= lo && n <= hi
}

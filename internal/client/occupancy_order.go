package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
)

// ActionCreateOccupancyOrder orders the resource occupancy fee of an Express
// Connect physical connection (VPC).
const ActionCreateOccupancyOrder = "CreatePhysicalConnectionOccupancyOrder"

// Error codes of ActionCreateOccupancyOrder, as its reference documents them
// (Alibaba Cloud API reference, CreatePhysicalConnectionOccupancyOrder,
// "Error codes"; help/doc-detail/114591). Each is a final answer: the
// client does not retry it, and no order was placed.
const (
	// CodeConnectionNotFound (404): the physical connection does not exist.
	CodeConnectionNotFound = "InvalidPhysicalConnectionId.NotFound"
	// CodeRegionNotFound (404): the region ID is not valid.
	CodeRegionNotFound = "InvalidRegionId.NotFound"
	// CodeNotAllowedInState (400): the state of the resource does not
	// permit this action.
	CodeNotAllowedInState = "Forbidden.NotAllowedInState"
	// CodeInstanceStatusNotAllow (400): the state of the instance does not
	// allow the order.
	CodeInstanceStatusNotAllow = "INSTANCE.STATUS.NOT.ALLOW"
	// CodeIncorrectConnectionStatus (400): the physical connection is not in
	// a state that takes this order.
	CodeIncorrectConnectionStatus = "IncorrectStatus.PhysicalConnection"
	// CodeStatusValueNotSupported (400): "status is not supported", the
	// billing system's status check refused the order.
	CodeStatusValueNotSupported = "IAbs.InvalidStatus.ValueNotSupported"
	// CodeInstanceNotExist (400): the billing system knows no such instance.
	CodeInstanceNotExist = "Abs.InstanceNotExist"
	// CodePriceNotFound (400): "Pricing plan result not found", no price
	// for this combination of parameters.
	CodePriceNotFound = "InvalidPrice.NotFound"
	// CodeChargeTypeMalformed (400): InstanceChargeType is not valid.
	CodeChargeTypeMalformed = "InvalidPhysicalConnectionChargeType.Malformed"
	// CodePeriodMalformed (400): Period is not valid (1-9 months, 1-5 years).
	CodePeriodMalformed = "InvalidPhysicalConnectionPeriod.Malformed"
	// CodePricingCycleMalformed (400): PricingCycle is not Month or Year.
	CodePricingCycleMalformed = "InvalidPhysicalConnectionPricingCycle.Malformed"
	// CodeIdempotentParameterMismatch (400, common to VPC writes): the
	// client token was used before with other parameters.
	CodeIdempotentParameterMismatch = "IdempotentParameterMismatch"
)

// Valid values of OccupancyOrderInput fields.
const (
	ChargeTypePrePaid  = "PrePaid"
	ChargeTypePostPaid = "PostPaid"
	CycleMonth         = "Month"
	CycleYear          = "Year"
)

// OccupancyOrderInput is one CreatePhysicalConnectionOccupancyOrder request.
// AutoPay and InstanceChargeType are always sent, because the API's
// server-side defaults have changed over time.
type OccupancyOrderInput struct {
	PhysicalConnectionID string
	AutoPay              bool
	InstanceChargeType   string
	// Period is sent when non-zero.
	Period int64
	// PricingCycle is sent when non-empty.
	PricingCycle string
	// AutoRenew is sent when not nil.
	AutoRenew *bool
	// AutoRenewDuration (months) is sent when non-zero.
	AutoRenewDuration int64
	// ClientToken is required: every attempt carries it, so the API
	// returns the first order instead of placing a second.
	ClientToken string
}

// OccupancyOrder is the API's answer.
type OccupancyOrder struct {
	OrderID   string
	RequestID string
	Attempts  int
}

// CreateOccupancyOrder places an occupancy-fee order, retrying throttling,
// the VPC's busy answers (LastTokenProcessing, OperationConflict, ...), 5xx
// answers and transport failures with the same client token until ctx
// ends. A failure is an *APIError, an *UnknownOutcomeError (the order may
// exist) or a *RequestError (no order was placed).
func (c *Client) CreateOccupancyOrder(ctx context.Context, in OccupancyOrderInput) (*OccupancyOrder, error) {
	if in.ClientToken == "" {
		return nil, &RequestError{Action: ActionCreateOccupancyOrder, Msg: "a client token is required"}
	}
	q := map[string]string{
		"RegionId":             c.cfg.RegionID,
		"PhysicalConnectionId": in.PhysicalConnectionID,
		"AutoPay":              strconv.FormatBool(in.AutoPay),
		"InstanceChargeType":   in.InstanceChargeType,
		"ClientToken":          in.ClientToken,
	}
	if in.Period != 0 {
		q["Period"] = strconv.FormatInt(in.Period, 10)
	}
	if in.PricingCycle != "" {
		q["PricingCycle"] = in.PricingCycle
	}
	if in.AutoRenew != nil {
		q["AutoRenew"] = strconv.FormatBool(*in.AutoRenew)
	}
	if in.AutoRenewDuration != 0 {
		q["AutoRenewDuration"] = strconv.FormatInt(in.AutoRenewDuration, 10)
	}
	res, err := c.do(ctx, rpcCall{action: ActionCreateOccupancyOrder, version: VPCAPIVersion, endpoint: c.cfg.VPCEndpoint, query: q, clientToken: in.ClientToken})
	if err != nil {
		return nil, err
	}
	orderID, requestID, err := ParseOrderResponse(res.body)
	if err != nil {
		// A success without a readable order ID: the order was placed.
		return nil, &UnknownOutcomeError{Action: ActionCreateOccupancyOrder, ClientToken: in.ClientToken, Attempts: res.attempts, Last: err.Error()}
	}
	if requestID == "" {
		requestID = res.requestID
	}
	return &OccupancyOrder{OrderID: orderID, RequestID: requestID, Attempts: res.attempts}, nil
}

// ParseOrderResponse reads Data.OrderId and RequestId from a successful
// answer. The order ID may be a JSON number or a string, in either key
// spelling (Data.OrderId, data.orderId); every digit is kept.
func ParseOrderResponse(body []byte) (orderID, requestID string, err error) {
	var resp struct {
		RequestID string `json:"RequestId"`
		Data      struct {
			OrderID json.RawMessage `json:"OrderId"`
		} `json:"Data"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	// encoding/json matches keys case-insensitively, so the lower-case
	// spelling of the reference's examples decodes too.
	if err := dec.Decode(&resp); err != nil {
		return "", "", fmt.Errorf("the answer is not valid JSON: %w", err)
	}
	raw := bytes.TrimSpace(resp.Data.OrderID)
	if len(raw) == 0 || string(raw) == "null" {
		return "", resp.RequestID, fmt.Errorf("the answer (request ID %s) has no Data.OrderId", resp.RequestID)
	}
	id := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &id); err != nil {
			return "", resp.RequestID, fmt.Errorf("Data.OrderId is not a string: %w", err)
		}
	}
	if !isDigits(id) {
		return "", resp.RequestID, fmt.Errorf("Data.OrderId %q is not a decimal order number (request ID %s)", id, resp.RequestID)
	}
	return id, resp.RequestID, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

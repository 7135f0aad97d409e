package provider

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// derivedTokenPrefix starts every client token the provider derives, so
// that a token in the billing console or a log can be told from one a user
// chose. The version digit changes only if the derivation ever must.
const derivedTokenPrefix = "tf1-"

// derivedToken returns the client token of an order whose client_token is
// not set: a hash of what identifies the order (the region, the circuit and
// every term sent with it), so that the same order asked again, by the
// apply after an interrupted one, carries the same token and the API
// answers with the order it already placed instead of placing another.
//
// The account is not part of it: it cannot be known without a request,
// and the API keeps client tokens per account, so two accounts never share
// one. ok is false while any input is unknown; the plan then shows the
// token as known after apply, and the apply-time plan, with every input
// known, derives it.
//
// Every argument of tokenInputs is an argument whose change places a new
// order (TestDerivedToken_coversEveryOrderArgument ties the two lists).
func derivedToken(region string, m pcOccupancyOrderModel) (token string, ok bool) {
	if region == "" {
		return "", false
	}
	h := sha256.New()
	h.Write([]byte(region))
	for _, v := range m.tokenInputs() {
		if v.IsUnknown() {
			return "", false
		}
		h.Write([]byte{0})
		h.Write([]byte(canonical(v)))
	}
	return derivedTokenPrefix + hex.EncodeToString(h.Sum(nil))[:32], true
}

// tokenInputs are the arguments that identify an order, in a fixed order.
// A null value and its default are not the same input: the plan resolves
// defaults before the token is derived, so both apply-time and plan-time
// derivations see the resolved value.
func (m pcOccupancyOrderModel) tokenInputs() []attr.Value {
	return []attr.Value{m.PhysicalConnectionID, m.AutoPay, m.InstanceChargeType, m.Period, m.PricingCycle, m.AutoRenew, m.AutoRenewDuration}
}

// canonical writes a known value so that no two different values (null
// included) write the same text.
func canonical(v attr.Value) string {
	if v.IsNull() {
		return "null"
	}
	switch v := v.(type) {
	case types.String:
		return "s" + strconv.Quote(v.ValueString())
	case types.Bool:
		return "b" + strconv.FormatBool(v.ValueBool())
	case types.Int64:
		return "i" + strconv.FormatInt(v.ValueInt64(), 10)
	}
	return "?" + strings.ReplaceAll(v.String(), "\x00", "")
}

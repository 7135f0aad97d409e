package fakealicloud

import (
	"net/http"
	"strings"
	"testing"
)

func TestValidateOrder_documentedCodes(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	for _, tc := range []struct {
		name string
		kv   []string // changes to orderParams, see withParams
		code string   // "" for success
		msg  string
	}{
		{"month 1", []string{"Period", "1"}, "", ""},
		{"month 9", []string{"Period", "9"}, "", ""},
		{"month 10", []string{"Period", "10"}, "InvalidPhysicalConnectionPeriod.Malformed", "Specified Physical Connection Period is not valid."},
		{"default cycle is Month", []string{"PricingCycle", "-", "Period", "10"}, "InvalidPhysicalConnectionPeriod.Malformed", ""},
		{"default cycle 9", []string{"PricingCycle", "-", "Period", "9"}, "", ""},
		{"year 5", []string{"PricingCycle", "Year", "Period", "5"}, "", ""},
		{"year 6", []string{"PricingCycle", "Year", "Period", "6"}, "InvalidPhysicalConnectionPeriod.Malformed", ""},
		{"period 0", []string{"Period", "0"}, "InvalidPhysicalConnectionPeriod.Malformed", ""},
		{"period negative", []string{"Period", "-1"}, "InvalidPhysicalConnectionPeriod.Malformed", ""},
		{"period empty", []string{"Period", ""}, "InvalidPhysicalConnectionPeriod.Malformed", ""},
		{"period ignored for PostPaid", []string{"InstanceChargeType", "PostPaid", "Period", "99"}, "", ""},
		{"cycle week", []string{"PricingCycle", "Week"}, "InvalidPhysicalConnectionPricingCycle.Malformed", "Specified Physical Connection PricingCycle is not valid."},
		{"cycle lower case", []string{"PricingCycle", "month"}, "InvalidPhysicalConnectionPricingCycle.Malformed", ""},
		{"charge type", []string{"InstanceChargeType", "Free"}, "InvalidPhysicalConnectionChargeType.Malformed", "Specified Physical Connection ChargeType is not valid."},
		{"PostPaid by the seed reference", []string{"InstanceChargeType", "PostPaid"}, "", ""},
		{"charge type not sent", []string{"InstanceChargeType", "-"}, "", ""},
		{"auto pay", []string{"AutoPay", "1"}, "InvalidParameter", `The specified parameter \"AutoPay\" is not valid.`},
		{"no circuit", []string{"PhysicalConnectionId", ""}, "MissingParameter", `The input parameter \"PhysicalConnectionId\"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(s.Orders())
			r := newCall(AlgorithmACS3, clk.Now(), withParams(orderParams(""), tc.kv...)).do(t, addr)
			if tc.code == "" {
				wantOK(t, r)
				if len(s.Orders()) != before+1 {
					t.Errorf("no order recorded")
				}
				return
			}
			wantErr(t, r, http.StatusBadRequest, tc.code)
			if !strings.Contains(r.raw, tc.msg) || len(s.Orders()) != before {
				t.Errorf("body %s (message %q), %d orders", r.raw, tc.msg, len(s.Orders())-before)
			}
		})
	}
}

func TestSetPostPaidRefused(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	s.SetPostPaidRefused(true)
	r := newCall(AlgorithmACS3, clk.Now(), withParams(orderParams("pp"), "InstanceChargeType", "PostPaid")).do(t, addr)
	wantErr(t, r, http.StatusBadRequest, "InvalidPhysicalConnectionChargeType.Malformed")
	wantOK(t, newCall(AlgorithmACS3, clk.Now(), orderParams("")).do(t, addr))
	wantOK(t, newCall(AlgorithmACS3, clk.Now(), withParams(orderParams(""), "InstanceChargeType", "-")).do(t, addr))
	if n := len(s.Orders()); n != 2 {
		t.Errorf("%d orders, want 2", n)
	}
	s.SetPostPaidRefused(false)
	wantOK(t, newCall(AlgorithmACS3, clk.Now(), withParams(orderParams("pp"), "InstanceChargeType", "PostPaid")).do(t, addr))
	if o := s.Orders(); len(o) != 3 || o[2].InstanceChargeType != "PostPaid" {
		t.Errorf("orders %+v", o)
	}
}

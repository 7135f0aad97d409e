package provider

import (
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

// addCreateError turns a failed create into a diagnostic that says what
// happened and what to do next.
func addCreateError(diags *diag.Diagnostics, err error, in client.OccupancyOrderInput, c *client.Client, timeout time.Duration) {
	region := c.Region()
	var (
		apiErr     *client.APIError
		unknownErr *client.UnknownOutcomeError
		reqErr     *client.RequestError
	)
	switch {
	case errors.As(err, &unknownErr):
		diags.AddError("Occupancy Order Outcome Unknown",
			fmt.Sprintf("The order for physical connection %s in %s may have been placed: a request reached the API, but no answer came "+
				"before the create stopped (timeout %s, after %d attempt(s); last failure: %s).\n\n"+
				"It was sent with client token %q. To recover without buying a second order, apply again with the arguments unchanged: "+
				"the provider sends the same token (derived from the arguments, or the client_token you set), and the API answers with the order "+
				"if it was placed, or places it once if it was not. Do not change an argument or client_token before that apply.\n\n"+
				"To adopt the order by hand once you know its ID (console: Expenses and Costs, Orders), add this import block, "+
				"with to set to this resource's address:\n\n"+
				"import {\n  to = alicloud_pc_occupancy_order.<name>\n  id = \"%s:<order ID>\"\n}\n\n"+
				"Nothing was saved to state.",
				in.PhysicalConnectionID, region, timeout, unknownErr.Attempts, unknownErr.Last, unknownErr.ClientToken, in.PhysicalConnectionID))
	case errors.As(err, &apiErr) && documentedCreateErrors[apiErr.Code].summary != "":
		a := documentedCreateErrors[apiErr.Code]
		detail := fmt.Sprintf("The API refused the order for physical connection %s in %s: %s (HTTP %d, request ID %s): %s\n\n%s No order was placed.",
			in.PhysicalConnectionID, region, apiErr.Code, apiErr.HTTPStatus, apiErr.RequestID, apiErr.Message, a.advice(in, region))
		if a.attribute == "" {
			diags.AddError(a.summary, detail)
		} else {
			diags.AddAttributeError(path.Root(a.attribute), a.summary, detail)
		}
	case errors.As(err, &apiErr) && apiErr.Code == client.CodeIdempotentParameterMismatch:
		diags.AddAttributeError(path.Root("client_token"), "Client Token Already Used With Other Parameters",
			fmt.Sprintf("Client token %q was already used for an order with different parameters (%s, HTTP %d, request ID %s). "+
				"No new order was placed; the earlier order exists and is not in this resource's state. "+
				"To place a new order, set a client_token not used before, or remove it so that one is derived from the arguments. "+
				"To adopt the earlier order instead, find its ID in the console (Expenses and Costs, Orders) and add this import block, "+
				"with to set to this resource's address:\n\nimport {\n  to = alicloud_pc_occupancy_order.<name>\n  id = \"%s:<order ID>\"\n}",
				in.ClientToken, apiErr.Code, apiErr.HTTPStatus, apiErr.RequestID, in.PhysicalConnectionID))
	case errors.As(err, &apiErr) && apiErr.CredentialsRejected():
		diags.AddError("Credentials Rejected",
			fmt.Sprintf("The API refused the credentials of the order for physical connection %s in %s: %s: %s (HTTP %d, request ID %s). No order was placed. "+
				"Check access_key and secret_key (or the credential source in use), security_token for temporary credentials, and this machine's clock; "+
				"a retry cannot mend this, so the provider did not retry.",
				in.PhysicalConnectionID, region, apiErr.Code, apiErr.Message, apiErr.HTTPStatus, apiErr.RequestID))
	case errors.As(err, &apiErr):
		fix := "Fix the cause the message names and apply again, or give the request ID to Alibaba Cloud support."
		if apiErr.Denied() {
			fix = "The credentials may not place this order: grant the RAM action " + ramCreateOrder +
				" on the physical connection (acs:vpc:" + region + ":<account>:physicalconnection/" + in.PhysicalConnectionID + ") and apply again."
		}
		diags.AddError("Error Creating Occupancy Order",
			fmt.Sprintf("CreatePhysicalConnectionOccupancyOrder for physical connection %s in %s failed after %d attempt(s): "+
				"HTTP %d, code %s: %s (request ID %s). No order was placed. %s",
				in.PhysicalConnectionID, region, apiErr.Attempts, apiErr.HTTPStatus, apiErr.Code, apiErr.Message, apiErr.RequestID, fix))
	case errors.As(err, &reqErr) && reqErr.Kind != "" && reqErr.Kind != client.KindStopped:
		summary, fix := requestErrorAdvice(reqErr.Kind, c.Protocol(), reqErr.Endpoint)
		diags.AddError(summary,
			fmt.Sprintf("No order was placed for physical connection %s in %s: %s. %s",
				in.PhysicalConnectionID, region, client.Redact(reqErr.Msg), fix))
	default:
		diags.AddError("Error Creating Occupancy Order",
			fmt.Sprintf("No order was placed for physical connection %s in %s: %s. Check the provider's endpoint, network and credentials, then apply again.",
				in.PhysicalConnectionID, region, client.Redact(err.Error())))
	}
}

// createErrorAdvice is what a documented error of the create means for the
// user: the argument it is about, a summary, and what to do.
type createErrorAdvice struct {
	attribute, summary string
	advice             func(in client.OccupancyOrderInput, region string) string
}

// documentedCreateErrors maps the error codes that the API reference of
// CreatePhysicalConnectionOccupancyOrder documents to their advice.
var documentedCreateErrors = map[string]createErrorAdvice{
	client.CodeChargeTypeMalformed: {"instance_charge_type", "Charge Type Refused", func(in client.OccupancyOrderInput, _ string) string {
		return fmt.Sprintf("The API does not take instance_charge_type = %q for this order. The current API reference lists only PrePaid (subscription): "+
			"set instance_charge_type = \"PrePaid\" with a period (1-%d months, or 1-%d years with pricing_cycle = \"Year\").", in.InstanceChargeType, maxMonths, maxYears)
	}},
	client.CodePeriodMalformed: {"period", "Period Refused", func(in client.OccupancyOrderInput, _ string) string {
		return fmt.Sprintf("The API does not take period = %d with pricing_cycle = %q. Set period to 1-%d with pricing_cycle = \"Month\", or 1-%d with \"Year\".",
			in.Period, in.PricingCycle, maxMonths, maxYears)
	}},
	client.CodePricingCycleMalformed: {"pricing_cycle", "Pricing Cycle Refused", func(in client.OccupancyOrderInput, _ string) string {
		return fmt.Sprintf("The API does not take pricing_cycle = %q. Set pricing_cycle = \"Month\" or \"Year\" (with instance_charge_type = \"PrePaid\").", in.PricingCycle)
	}},
	client.CodeConnectionNotFound: {"physical_connection_id", "Physical Connection Not Found", func(in client.OccupancyOrderInput, region string) string {
		return fmt.Sprintf("Region %s has no physical connection %s. Check physical_connection_id and the provider's region.", region, in.PhysicalConnectionID)
	}},
	client.CodeRegionNotFound: {"", "Region Not Found", func(_ client.OccupancyOrderInput, region string) string {
		return fmt.Sprintf("The API does not know region %q. Check the provider's region (or ALIBABA_CLOUD_REGION_ID), such as cn-hangzhou.", region)
	}},
	client.CodeNotAllowedInState:         {"physical_connection_id", "Physical Connection Not Waiting For Payment", circuitStateAdvice},
	client.CodeIncorrectConnectionStatus: {"physical_connection_id", "Physical Connection Not Waiting For Payment", circuitStateAdvice},
	client.CodeInstanceStatusNotAllow: {"physical_connection_id", "Physical Connection Not Waiting For Payment", func(in client.OccupancyOrderInput, _ string) string {
		return circuitStateAdvice(in, "") + " A circuit locked for an overdue payment or a security review (its business status) is refused this way too."
	}},
	client.CodeStatusValueNotSupported: {"physical_connection_id", "Physical Connection Not Ready For Billing", func(in client.OccupancyOrderInput, _ string) string {
		return fmt.Sprintf("The billing system does not take an order for physical connection %s in its present status. "+
			"Check the circuit in the Express Connect console: it must wait for payment (Confirmed or Complete) and not be locked.", in.PhysicalConnectionID)
	}},
	client.CodeInstanceNotExist: {"physical_connection_id", "Physical Connection Unknown To Billing", func(in client.OccupancyOrderInput, _ string) string {
		return fmt.Sprintf("The billing system has no record of physical connection %s yet. A circuit confirmed a moment ago may take a while to appear there: "+
			"wait a few minutes and apply again.", in.PhysicalConnectionID)
	}},
	client.CodePriceNotFound: {"", "No Price For These Terms", func(in client.OccupancyOrderInput, _ string) string {
		return fmt.Sprintf("The billing system has no price for this circuit with instance_charge_type = %q, period = %d, pricing_cycle = %q. "+
			"Check the terms the circuit is sold with in the Express Connect console, or ask Alibaba Cloud support, naming the request ID.",
			in.InstanceChargeType, in.Period, in.PricingCycle)
	}},
}

// circuitStateAdvice explains the state errors: the API takes the order only
// while the circuit waits for payment.
func circuitStateAdvice(in client.OccupancyOrderInput, _ string) string {
	return fmt.Sprintf("The API takes an occupancy-fee order only while the circuit waits for payment: Confirmed (after ConfirmPhysicalConnection) or Complete. "+
		"An Enabled circuit's fee is already paid (import its order instead: id = \"%s:<order ID>\"); a circuit still being built (Initial, Approved, Allocating, Allocated) "+
		"cannot take it yet. Check physical_connection_id %s in the Express Connect console, and apply once it is Confirmed.", in.PhysicalConnectionID, in.PhysicalConnectionID)
}

// requestErrorAdvice names the setting to check for a failure that no
// retry can mend.
func requestErrorAdvice(kind client.Kind, protocol, endpoint string) (summary, fix string) {
	switch kind {
	case client.KindProtocolMismatch:
		if protocol == client.ProtocolHTTPS {
			return "Endpoint Does Not Speak HTTPS", "The endpoint " + endpoint + " answered in plain HTTP, but protocol is \"HTTPS\" (the default). " +
				"Set protocol = \"HTTP\" in the provider block if the endpoint listens without TLS (as the project's fake API does), or point endpoints.vpc at its HTTPS port."
		}
		return "Endpoint Requires HTTPS", "The endpoint " + endpoint + " speaks HTTPS, but protocol is \"HTTP\". " +
			"Remove protocol from the provider block (HTTPS is the default), or point endpoints.vpc at a plain-HTTP port."
	case client.KindCertificate:
		return "Untrusted Endpoint Certificate", "The TLS certificate of " + endpoint + " is not trusted by this machine. " +
			"Check endpoints.vpc (a proxy or private endpoint needs its CA in the system trust store, or in SSL_CERT_FILE); certificates are always verified."
	case client.KindHostNotFound:
		return "Unknown Endpoint Host", "The host name of " + endpoint + " does not resolve. Check endpoints.vpc (or ALIBABA_CLOUD_ENDPOINT_VPC) and region, and this machine's DNS."
	case client.KindUnreachable:
		return "Endpoint Unreachable", "No attempt reached " + endpoint + " (connection refused or no route), so the provider stopped early instead of waiting out the create timeout. " +
			"Check endpoints.vpc, protocol, and the network or proxy between this machine and the endpoint, then apply again."
	case client.KindCredentials:
		return "Credentials Unavailable", "Check the provider's credential source (access_key and secret_key, a profile, assume_role, ...): none could be used to sign the request."
	}
	return "Error Creating Occupancy Order", "Check the provider's endpoint, network and credentials, then apply again."
}

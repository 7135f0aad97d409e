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
				"It was sent with client token %q. To recover without buying a second order, set\n\n"+
				"  client_token = %q\n\n"+
				"in this resource, keep the other arguments unchanged, and apply again: the API returns the existing order for that token, "+
				"or places it once if it was never placed. Nothing was saved to state.",
				in.PhysicalConnectionID, region, timeout, unknownErr.Attempts, unknownErr.Last, unknownErr.ClientToken, unknownErr.ClientToken))
	case errors.As(err, &apiErr) && apiErr.Code == client.CodeConnectionNotFound:
		diags.AddAttributeError(path.Root("physical_connection_id"), "Physical Connection Not Found",
			fmt.Sprintf("Alibaba Cloud has no physical connection %s in region %s (%s, HTTP %d, request ID %s). "+
				"Check physical_connection_id and the provider's region. No order was placed.",
				in.PhysicalConnectionID, region, apiErr.Code, apiErr.HTTPStatus, apiErr.RequestID))
	case errors.As(err, &apiErr) && apiErr.Code == client.CodeNotAllowedInState:
		diags.AddAttributeError(path.Root("physical_connection_id"), "Physical Connection Not Ready For An Order",
			fmt.Sprintf("The state of physical connection %s in %s does not allow an occupancy-fee order yet (%s, HTTP %d, request ID %s: %s). "+
				"Wait until the circuit is complete and enabled (see DescribePhysicalConnections or the Express Connect console), then apply again. No order was placed.",
				in.PhysicalConnectionID, region, apiErr.Code, apiErr.HTTPStatus, apiErr.RequestID, apiErr.Message))
	case errors.As(err, &apiErr) && apiErr.Code == client.CodeIdempotentParameterMismatch:
		diags.AddAttributeError(path.Root("client_token"), "Client Token Already Used With Other Parameters",
			fmt.Sprintf("Client token %q was already used for an order with different parameters (%s, HTTP %d, request ID %s). "+
				"No new order was placed. To return that earlier order, set the arguments it was placed with; "+
				"to place a new order, set a different client_token or remove it so that one is generated.",
				in.ClientToken, apiErr.Code, apiErr.HTTPStatus, apiErr.RequestID))
	case errors.As(err, &apiErr) && apiErr.CredentialsRejected():
		diags.AddError("Credentials Rejected",
			fmt.Sprintf("The API refused the credentials of the order for physical connection %s in %s: %s: %s (HTTP %d, request ID %s). No order was placed. "+
				"Check access_key and secret_key (or the credential source in use), security_token for temporary credentials, and this machine's clock; "+
				"a retry cannot mend this, so the provider did not retry.",
				in.PhysicalConnectionID, region, apiErr.Code, apiErr.Message, apiErr.HTTPStatus, apiErr.RequestID))
	case errors.As(err, &apiErr):
		diags.AddError("Error Creating Occupancy Order",
			fmt.Sprintf("CreatePhysicalConnectionOccupancyOrder for physical connection %s in %s failed after %d attempt(s): "+
				"HTTP %d, code %s: %s (request ID %s). No order was placed. Fix the cause the message names and apply again, "+
				"or give the request ID to Alibaba Cloud support.",
				in.PhysicalConnectionID, region, apiErr.Attempts, apiErr.HTTPStatus, apiErr.Code, apiErr.Message, apiErr.RequestID))
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

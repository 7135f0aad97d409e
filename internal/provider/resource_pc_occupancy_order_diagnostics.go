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
func addCreateError(diags *diag.Diagnostics, err error, in client.OccupancyOrderInput, region string, timeout time.Duration) {
	var (
		apiErr     *client.APIError
		unknownErr *client.UnknownOutcomeError
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
	case errors.As(err, &apiErr):
		diags.AddError("Error Creating Occupancy Order",
			fmt.Sprintf("CreatePhysicalConnectionOccupancyOrder for physical connection %s in %s failed after %d attempt(s): "+
				"HTTP %d, code %s: %s (request ID %s). No order was placed. Fix the cause the message names and apply again, "+
				"or give the request ID to Alibaba Cloud support.",
				in.PhysicalConnectionID, region, apiErr.Attempts, apiErr.HTTPStatus, apiErr.Code, apiErr.Message, apiErr.RequestID))
	default:
		diags.AddError("Error Creating Occupancy Order",
			fmt.Sprintf("No order was placed for physical connection %s in %s: %s. Check the provider's endpoint, network and credentials, then apply again.",
				in.PhysicalConnectionID, region, client.Redact(err.Error())))
	}
}

package provider

import (
	"context"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
	"github.com/pcorder/terraform-provider-alicloud/internal/sdklogs"
)

// maskSecrets returns ctx with a logger that masks the given secret values
// and anything shaped like a signature or token in every message and field,
// so that no call site has to remember to. When the logs are off
// (sdklogs.Silenced), nothing is written and ctx is returned as it is:
// tflog would apply the masks to every line before dropping it.
func maskSecrets(ctx context.Context, secrets []string) context.Context {
	if sdklogs.Silenced() {
		return ctx
	}
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, "secret_key", "security_token", "signature", "authorization")
	ctx = tflog.MaskLogRegexes(ctx, client.SecretPattern, acs3Authorization)
	if len(secrets) > 0 {
		ctx = tflog.MaskLogStrings(ctx, secrets...)
	}
	return ctx
}

// acs3Authorization matches the signature of an ACS3 Authorization header.
var acs3Authorization = regexp.MustCompile(`Signature=[0-9a-fA-F]{16,}`)

// logAttempt logs one API attempt at DEBUG with structured fields.
func logAttempt(ctx context.Context, a client.Attempt) {
	fields := map[string]any{
		"action":      a.Action,
		"attempt":     a.Number,
		"http_status": a.HTTPStatus,
		"error_code":  a.Code,
		"request_id":  a.RequestID,
		"elapsed_ms":  a.Elapsed.Milliseconds(),
	}
	if a.Err != "" {
		fields["error"] = a.Err
	}
	if a.RetryIn > 0 {
		fields["retry_in_ms"] = a.RetryIn.Milliseconds()
	}
	tflog.Debug(ctx, "Alibaba Cloud API attempt", fields)
}

// sdkDebugFlags returns the first entry of DEBUG that turns on the SDK's or
// credentials-go's own request dumps, which print signatures and tokens.
func sdkDebugFlags(debug string) string {
	for _, part := range strings.Split(debug, ",") {
		switch strings.TrimSpace(part) {
		case "dara", "tea", "credential":
			return strings.TrimSpace(part)
		}
	}
	return ""
}

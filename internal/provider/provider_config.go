package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

// Bounds of the provider's own checks. Neither can fail a plan or an apply
// because of its own failure; these keep them short.
const (
	// paymentWait is how long a create asks the billing API whether an
	// auto-paid order was paid: the billing system may lag a few seconds
	// behind the order.
	paymentWait     = 30 * time.Second
	paymentWaitText = "30 seconds"
	// paymentPoll is the wait between two questions.
	paymentPoll = 2 * time.Second
	// orderAgeSlack: see providerData.orderAgeSlack.
	orderAgeSlack = 2 * time.Minute
	// circuitCheckWait bounds the plan-time circuit lookup, retries of
	// throttling included.
	circuitCheckWait = 15 * time.Second
)

// providerData is what Configure hands to resources and data sources.
type providerData struct {
	client *client.Client
	region string
	// secrets are masked in every log line and field of a request.
	secrets []string

	// checkPayment: ask the billing API after an auto-paid order, through
	// payments, which every create of the process shares.
	checkPayment             bool
	payments                 *client.PaymentWatcher
	paymentWait, paymentPoll time.Duration
	// circuits answers the plan-time circuit check, within circuitWait,
	// and watcher follows a paid order's circuit to Enabled; both nil when
	// the circuit check is skipped.
	circuits    *client.CircuitLookup
	circuitWait time.Duration
	watcher     *client.CircuitWatcher
	// orderAgeSlack is how much earlier than its create the billing
	// system may date a new order (the two clocks differ); an order dated
	// earlier still was not placed by this create.
	orderAgeSlack time.Duration

	// planned holds the circuits the plans of this process order, and
	// removed the orders its deletes removed from state.
	planned, removed idSet
}

// configure maps the provider block and the environment onto a client.
func (p *AlicloudProvider) configure(ctx context.Context, cfg providerModel) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if cfg.Endpoints == nil {
		cfg.Endpoints = &endpointsModel{}
	}
	diags.Append(unknownValues(cfg)...)
	if diags.HasError() {
		return nil, diags
	}
	if leaky := sdkDebugFlags(p.opts.Getenv("DEBUG")); leaky != "" {
		diags.AddError("Unsafe DEBUG Environment Variable",
			"The environment variable DEBUG contains \""+leaky+"\", which makes Alibaba Cloud's SDK print every request "+
				"header, including the request signature and security token, to the provider's output. "+
				"Unset DEBUG, or remove \""+leaky+"\" from it, and use TF_LOG=DEBUG for the provider's own masked logs.")
		return nil, diags
	}

	creds, profileRegion, credDiags := p.credentialConfig(cfg)
	diags.Append(credDiags...)
	region := firstNonEmpty(p.lookup(cfg.Region, envRegion), profileRegion)
	endpoint := p.lookup(cfg.Endpoints.VPC, envEndpointVPC)
	billingEndpoint := p.lookup(cfg.Endpoints.BSSOpenAPI, envEndpointBSS)
	protocol := cfg.Protocol.ValueString()
	skipPayment := p.lookupBool(&diags, path.Root("skip_payment_check"), cfg.SkipPaymentCheck, envSkipPayment)
	skipCircuit := p.lookupBool(&diags, path.Root("skip_circuit_check"), cfg.SkipCircuitCheck, envSkipCircuit)

	if region == "" {
		diags.AddAttributeError(path.Root("region"), "Missing Region",
			"The provider needs the region of the physical connections it orders for. "+
				"Set region in the provider block"+envAdvice(envRegion)+", or region_id in the profile used. There is no default region.")
	} else if !regionPattern.MatchString(region) {
		diags.AddAttributeError(path.Root("region"), "Invalid Region",
			"The region "+quote(region)+" is not an Alibaba Cloud region ID such as cn-hangzhou.")
	}
	checkEndpoint(&diags, "vpc", "VPC", endpoint, envEndpointVPC)
	checkEndpoint(&diags, "sts", "STS", creds.STSEndpoint, envEndpointSTS)
	checkEndpoint(&diags, "bssopenapi", "Billing", billingEndpoint, envEndpointBSS)
	if diags.HasError() {
		return nil, diags
	}

	secrets := nonEmpty(creds.SecretKey, creds.SecurityToken)
	if creds.OIDC != nil {
		secrets = append(secrets, nonEmpty(creds.OIDC.OIDCToken)...)
	}
	ctx = maskSecrets(ctx, secrets)

	cred, source, err := client.NewCredential(creds)
	if errors.Is(err, client.ErrNoCredentials) {
		diags.AddError("No Credentials", noCredentialsDetail(creds.ProfileFile))
		return nil, diags
	}
	if err != nil {
		diags.AddError("Invalid Credentials", "The credentials could not be set up: "+client.Redact(err.Error())+".")
		return nil, diags
	}

	c, err := client.New(client.Config{
		RegionID:           region,
		VPCEndpoint:        endpoint,
		BillingEndpoint:    billingEndpoint,
		Protocol:           protocol,
		Credential:         cred,
		HTTPClient:         p.opts.HTTPClient,
		UserAgent:          "terraform-provider-alicloud/" + p.version,
		SignatureAlgorithm: p.opts.SignatureAlgorithm,
		Retry:              p.opts.Retry,
		OnAttempt:          logAttempt,
	})
	if err != nil {
		diags.AddError("Invalid Provider Configuration", client.Redact(err.Error()))
		return nil, diags
	}
	tflog.Debug(ctx, "configured provider", map[string]any{
		"region":             region,
		"endpoint":           c.VPCEndpoint(),
		"protocol":           c.Protocol(),
		"credentials":        source,
		"skip_payment_check": skipPayment,
		"skip_circuit_check": skipCircuit,
	})
	data := &providerData{
		client: c, region: region, secrets: secrets,
		checkPayment:  !skipPayment,
		payments:      c.NewPaymentWatcher(),
		paymentWait:   orDefault(p.opts.PaymentWait, paymentWait),
		paymentPoll:   orDefault(p.opts.PaymentPoll, paymentPoll),
		orderAgeSlack: orDefault(p.opts.OrderAgeSlack, orderAgeSlack),
	}
	if !skipCircuit {
		data.circuits, data.watcher = c.NewCircuitLookup(), c.NewCircuitWatcher()
		data.circuitWait = orDefault(p.opts.CircuitCheckWait, circuitCheckWait)
	}
	return data, diags
}

// configuredData is what Configure of a resource or data source keeps: the
// provider's data, or nil before the provider is configured.
func configuredData(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	d, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", data))
	}
	return d
}

// notConfigured is the error of a resource or data source used before the
// provider was configured.
const notConfigured = "The provider was not configured before this was used. This is a bug in the provider; please report it."

// checkEndpoint reports an endpoint (from the endpoints block or its
// environment variable) that is not host[:port].
func checkEndpoint(diags *diag.Diagnostics, attr, product, endpoint string, env []string) {
	if endpoint == "" {
		return
	}
	if err := client.ValidateEndpoint(endpoint); err != nil {
		diags.AddAttributeError(path.Root("endpoints").AtName(attr), "Invalid "+product+" Endpoint",
			"The "+product+" endpoint (from the provider block"+envAdvice(env)+") is invalid: "+err.Error()+".")
	}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func quote(s string) string { return "\"" + s + "\"" }

// orDefault returns v, or d when v is the zero value.
func orDefault[T comparable](v, d T) T {
	var zero T
	if v == zero {
		return d
	}
	return v
}

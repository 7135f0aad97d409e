package provider

import (
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

// providerModel is the provider block.
type providerModel struct {
	Region        types.String    `tfsdk:"region"`
	AccessKey     types.String    `tfsdk:"access_key"`
	SecretKey     types.String    `tfsdk:"secret_key"`
	SecurityToken types.String    `tfsdk:"security_token"`
	Protocol      types.String    `tfsdk:"protocol"`
	Endpoints     *endpointsModel `tfsdk:"endpoints"`

	Profile               types.String     `tfsdk:"profile"`
	SharedCredentialsFile types.String     `tfsdk:"shared_credentials_file"`
	ECSRoleName           types.String     `tfsdk:"ecs_role_name"`
	CredentialsURI        types.String     `tfsdk:"credentials_uri"`
	AssumeRole            *assumeRoleModel `tfsdk:"assume_role"`
	AssumeRoleWithOIDC    *oidcModel       `tfsdk:"assume_role_with_oidc"`

	SkipPaymentCheck types.Bool `tfsdk:"skip_payment_check"`
	SkipCircuitCheck types.Bool `tfsdk:"skip_circuit_check"`
}

type endpointsModel struct {
	VPC        types.String `tfsdk:"vpc"`
	STS        types.String `tfsdk:"sts"`
	BSSOpenAPI types.String `tfsdk:"bssopenapi"`
}

type assumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	Policy            types.String `tfsdk:"policy"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	ExternalID        types.String `tfsdk:"external_id"`
}

type oidcModel struct {
	OIDCProviderARN   types.String `tfsdk:"oidc_provider_arn"`
	RoleARN           types.String `tfsdk:"role_arn"`
	OIDCToken         types.String `tfsdk:"oidc_token"`
	OIDCTokenFile     types.String `tfsdk:"oidc_token_file"`
	RoleSessionName   types.String `tfsdk:"role_session_name"`
	Policy            types.String `tfsdk:"policy"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
}

// providerSchema is the provider block: every argument documented, with
// the environment variables that stand in for it.
func providerSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "The `alicloud` provider orders Alibaba Cloud Express Connect capacity. " +
			"It signs requests to the VPC API (version 2016-04-28) and the billing API (BssOpenApi, version 2017-12-14) with Alibaba Cloud's own SDK. " +
			"Every argument may instead come from the environment variables named below; " +
			"a value in the provider block always wins over the environment.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				MarkdownDescription: "The region of the physical connections this provider orders for, such as `cn-hangzhou`. " +
					"Required in effect: when it is not set here, `ALICLOUD_REGION` is read, then `ALIBABA_CLOUD_REGION`; " +
					"if none is set, every plan fails. There is no default region, because orders cost money.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.RegexMatches(regionPattern, "must be an Alibaba Cloud region ID such as cn-hangzhou")},
			},
			"access_key": schema.StringAttribute{
				MarkdownDescription: "The AccessKey ID. When it is not set here, `ALICLOUD_ACCESS_KEY` is read, then `ALIBABA_CLOUD_ACCESS_KEY_ID`.",
				Optional:            true,
			},
			"secret_key": schema.StringAttribute{
				MarkdownDescription: "The AccessKey secret. When it is not set here, `ALICLOUD_SECRET_KEY` is read, then `ALIBABA_CLOUD_ACCESS_KEY_SECRET`. " +
					"It is never written to logs, diagnostics or state.",
				Optional:  true,
				Sensitive: true,
			},
			"security_token": schema.StringAttribute{
				MarkdownDescription: "The security token of temporary (STS) credentials, sent with `access_key` and `secret_key`. " +
					"When it is not set here, `ALICLOUD_SECURITY_TOKEN` is read, then `ALIBABA_CLOUD_SECURITY_TOKEN`. " +
					"It is never written to logs, diagnostics or state.",
				Optional:  true,
				Sensitive: true,
			},
			"protocol": schema.StringAttribute{
				MarkdownDescription: "The protocol of API requests: `HTTPS` (the default) or `HTTP`. TLS certificates are always verified.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(client.ProtocolHTTPS, client.ProtocolHTTP)},
			},
			"profile": schema.StringAttribute{
				MarkdownDescription: "The profile of the Alibaba Cloud CLI's configuration file to take credentials (and, failing all else, the region) from. " +
					"When it is not set here, `ALICLOUD_PROFILE` is read, then `ALIBABA_CLOUD_PROFILE`; the default is the file's `current` profile. " +
					"Profile modes `AK`, `StsToken`, `RamRoleArn`, `ChainableRamRoleArn`, `EcsRamRole`, `OIDC` and `External` are supported.",
				Optional: true,
			},
			"shared_credentials_file": schema.StringAttribute{
				MarkdownDescription: "The Alibaba Cloud CLI's configuration file. When it is not set here, `ALICLOUD_SHARED_CREDENTIALS_FILE` is read, " +
					"then `ALIBABA_CLOUD_CREDENTIALS_FILE`; the default is `~/.aliyun/config.json`, used only when it exists.",
				Optional: true,
			},
			"ecs_role_name": schema.StringAttribute{
				MarkdownDescription: "The RAM role of the ECS instance Terraform runs on, whose temporary credentials come from the instance metadata service. " +
					"When it is not set here, `ALICLOUD_ECS_ROLE_NAME` is read.",
				Optional: true,
			},
			"skip_payment_check": schema.BoolAttribute{
				MarkdownDescription: "Whether to skip the payment check after an order with `auto_pay = true` is placed. " +
					"By default the provider asks the billing API (BssOpenApi `QueryOrders`, RAM action `" + ramQueryOrders + "`, shared by the creates of a run; " +
					"`GetOrderDetail`, RAM action `" + ramGetOrderDetail + "`, for an order it does not list or when it is refused) for up to " + paymentWaitText + " " +
					"whether the order was paid, and warns when it was voided or is still unpaid; once it is paid, the create follows the circuit until it is `Enabled` (see `skip_circuit_check`). " +
					"The check never fails an apply and never removes an order from state; without it the circuit is not followed either. " +
					"Set this to `true` for accounts that may not read billing. When it is not set here, `ALICLOUD_SKIP_PAYMENT_CHECK` (`true` or `false`) is read; the default is `false`.",
				Optional: true,
			},
			"skip_circuit_check": schema.BoolAttribute{
				MarkdownDescription: "Whether to skip the circuit check at plan time. " +
					"By default, when a plan places a new order, the provider looks its physical connection up (VPC `DescribePhysicalConnections`, RAM action `" + ramDescribePhysicalConnections + "`) " +
					"and fails the plan when the circuit does not exist in the region, is in a state that can never take an order, or the API rejects the credentials; " +
					"it warns when the circuit is `Enabled` (its fee is paid), still being built, or locked. A lookup that cannot run only warns. " +
					"The same lookups follow a paid order's circuit to `Enabled` after the create; with this set, neither runs. " +
					"When it is not set here, `ALICLOUD_SKIP_CIRCUIT_CHECK` (`true` or `false`) is read; the default is `false`.",
				Optional: true,
			},
			"credentials_uri": schema.StringAttribute{
				MarkdownDescription: "A URL that answers temporary credentials as JSON (`AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration`). " +
					"When it is not set here, `ALICLOUD_CREDENTIALS_URI` is read, then `ALIBABA_CLOUD_CREDENTIALS_URI`.",
				Optional: true,
			},
		},
		Blocks: map[string]schema.Block{
			"endpoints": schema.SingleNestedBlock{
				MarkdownDescription: "Overrides of API endpoints, for private endpoints, proxies and tests.",
				Attributes: map[string]schema.Attribute{
					"vpc": schema.StringAttribute{
						MarkdownDescription: "The VPC API endpoint as `host` or `host:port`, without a scheme. " +
							"When it is not set here, `ALIBABA_CLOUD_ENDPOINT_VPC` is read; the default is `vpc.<region>.aliyuncs.com`.",
						Optional: true,
					},
					"bssopenapi": schema.StringAttribute{
						MarkdownDescription: "The billing API (BssOpenApi) endpoint of the payment check and the `alicloud_pc_occupancy_order` data source, as `host` or `host:port`. " +
							"When it is not set here, `ALIBABA_CLOUD_ENDPOINT_BSSOPENAPI` is read; the default is `" + client.DefaultBillingEndpoint + "`, and when that endpoint answers " +
							"`NotApplicable` (an account of the international site) the provider switches to `" + client.InternationalBillingEndpoint + "` for the rest of the run.",
						Optional: true,
					},
					"sts": schema.StringAttribute{
						MarkdownDescription: "The STS endpoint for `assume_role`, `assume_role_with_oidc` and role-assuming profiles, as `host` or `host:port`. " +
							"STS is always called over HTTPS. When it is not set here, `ALIBABA_CLOUD_ENDPOINT_STS` is read; the default is `" + client.DefaultSTSEndpoint + "`.",
						Optional: true,
					},
				},
			},
			"assume_role": schema.SingleNestedBlock{
				MarkdownDescription: "Assume a RAM role (STS `AssumeRole`) with the credentials from any other source, and sign requests with the role's temporary credentials, " +
					"refreshed before they expire. Without this block, `ALICLOUD_ASSUME_ROLE_ARN` or `ALIBABA_CLOUD_ROLE_ARN` switches it on.",
				Attributes: map[string]schema.Attribute{
					"role_arn": schema.StringAttribute{
						MarkdownDescription: "The ARN of the role, such as `acs:ram::123456789012:role/terraform`. When it is not set here, `ALICLOUD_ASSUME_ROLE_ARN` is read, then `ALIBABA_CLOUD_ROLE_ARN`.",
						Optional:            true,
					},
					"session_name": schema.StringAttribute{
						MarkdownDescription: "The role session name. When it is not set here, `ALICLOUD_ASSUME_ROLE_SESSION_NAME` is read, then `ALIBABA_CLOUD_ROLE_SESSION_NAME`; the default is `" + client.DefaultSessionName + "`.",
						Optional:            true,
					},
					"policy":             sessionPolicyAttribute,
					"session_expiration": sessionExpirationAttribute,
					"external_id": schema.StringAttribute{
						MarkdownDescription: "The external ID the role's trust policy requires, if any.",
						Optional:            true,
					},
				},
			},
			"assume_role_with_oidc": schema.SingleNestedBlock{
				MarkdownDescription: "Assume a RAM role with an OIDC token (STS `AssumeRoleWithOIDC`), as Kubernetes RRSA does. " +
					"Without this block, it is switched on when `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_ROLE_ARN` and `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set.",
				Attributes: map[string]schema.Attribute{
					"oidc_provider_arn": schema.StringAttribute{
						MarkdownDescription: "The ARN of the OIDC identity provider. When it is not set here, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` is read.",
						Optional:            true,
					},
					"role_arn": schema.StringAttribute{
						MarkdownDescription: "The ARN of the role to assume. When it is not set here, `ALIBABA_CLOUD_ROLE_ARN` is read.",
						Optional:            true,
					},
					"oidc_token": schema.StringAttribute{
						MarkdownDescription: "The OIDC token itself. Prefer `oidc_token_file`, which is re-read when the token rotates.",
						Optional:            true,
						Sensitive:           true,
					},
					"oidc_token_file": schema.StringAttribute{
						MarkdownDescription: "A file holding the OIDC token. When neither this nor `oidc_token` is set here, `ALIBABA_CLOUD_OIDC_TOKEN_FILE` is read.",
						Optional:            true,
					},
					"role_session_name": schema.StringAttribute{
						MarkdownDescription: "The role session name. Defaults to `" + client.DefaultSessionName + "`.",
						Optional:            true,
					},
					"policy":             sessionPolicyAttribute,
					"session_expiration": sessionExpirationAttribute,
				},
			},
		},
	}
}

// The arguments of a role session that assume_role and
// assume_role_with_oidc share.
var (
	sessionPolicyAttribute = schema.StringAttribute{
		MarkdownDescription: "A policy (JSON) that further restricts the role's permissions for this session.",
		Optional:            true,
	}
	sessionExpirationAttribute = schema.Int64Attribute{
		MarkdownDescription: "The session's lifetime in seconds, 900-43200. Defaults to " + strconv.Itoa(client.DefaultSessionExpiration) + ".",
		Optional:            true,
		Validators:          []validator.Int64{int64validator.Between(900, 43200)},
	}
)

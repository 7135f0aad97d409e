// Package fakealicloud is an in-process fake of the Alibaba Cloud RPC
// endpoints the provider talks to, for tests, demos and benchmarks. One
// Server answers every product at any path; it uses only the standard
// library and listens on loopback only.
//
// What it fakes, by file:
//
//   - vpc.go, vpc_validate.go and vpc_describe.go: the VPC API (version
//     2016-04-28) on physical connections registered with
//     AddPhysicalConnection, each with a status (the Status constants) and
//     a business status: CreatePhysicalConnectionOccupancyOrder, taken only
//     while the circuit waits for payment (StatusConfirmed or
//     StatusComplete), with ClientToken idempotency checked before the
//     state, the documented error codes (InvalidPhysicalConnection*.Malformed,
//     Period 1-9 months or 1-5 years, Forbidden.NotAllowedInState for
//     Enabled, IncorrectStatus.PhysicalConnection for other states,
//     INSTANCE.STATUS.NOT.ALLOW for a locked circuit, 404
//     InvalidRegionId.NotFound and InvalidPhysicalConnectionId.NotFound)
//     and the order terms AutoPay, InstanceChargeType (SetPostPaidRefused
//     for the current reference's PrePaid only), Period, PricingCycle,
//     AutoRenew and AutoRenewDuration; and DescribePhysicalConnections,
//     with the eight documented Filter.N.Key values (404
//     InvalidFilterKey.ValueNotSupported for others), at most 5 filters of
//     5 values, pages of 1-50 (default 10), and circuits left out of
//     unfiltered listings (SetUnlisted). Each rule names its source in a
//     comment.
//   - lifecycle.go: the circuit's life cycle. An order that is paid (its
//     billing status Paid: auto-paid with enough balance, paid by hand at
//     POST /_fake/orders/{id}/pay, or SetPaymentStatus) turns its waiting
//     circuit Enabled once Config.Now reaches its payment time plus the
//     enable lag (SetEnableLag, DefaultEnableLag), evaluated lazily when
//     the circuit is read; an unpaid or voided order leaves it waiting.
//   - billing.go and billing_order_detail.go: the billing API (BssOpenApi,
//     version 2017-12-14) action GetOrderDetail, showing every committed
//     order with a payment status that follows AutoPay and the balance
//     (SetBalanceSufficient) and can be changed later (SetPaymentStatus), a
//     lag before an order shows (SetBillingLag), three shapes of InstanceIDs
//     (SetInstanceIDsFormat; the SDK example's JSON array by default), and
//     the refusals of an account without permission or of the wrong site
//     (SetBillingMode). billing_modes.go: the spellings of PaymentStatus
//     (SetPaymentSpelling) and answers with Success false
//     (SetOrderDetailFailure).
//   - sts.go and credentials.go: the parts of STS (version 2015-04-01) that
//     github.com/aliyun/credentials-go uses: AssumeRole (signed) for roles
//     registered with AddRole, the anonymous AssumeRoleWithOIDC for tokens
//     registered with AddOIDCToken, and a credentials URI
//     (ALIBABA_CLOUD_CREDENTIALS_URI) at GET /_fake/credentials. Each issues
//     a fresh temporary AccessKey, with a SecurityToken and an expiration,
//     that the server then accepts until it expires (by Config.Now); Issued
//     lists them. credentials-go reaches STS over HTTPS only and trusts the
//     system roots, so use StartTLS with a certificate from NewCertificate
//     that the process trusts (see tls.go).
//   - auth.go and sign.go: independent verification of both signatures the
//     darabonba-openapi v2 SDK produces (ACS3-HMAC-SHA256 in the
//     Authorization header, and the older HMAC-SHA1 Signature parameter),
//     with timestamps, nonces and security tokens, for every action but
//     AssumeRoleWithOIDC; and Deny, which refuses an action as a RAM policy
//     without the permission does.
//   - faults.go and transient.go: faults injected per action (throttling,
//     5xx, lost responses, slow answers, connection resets, any error code),
//     the transient VPC answers the official provider retries
//     (InjectTransient; LastTokenProcessing commits the first attempt's
//     order and answers its token's retries until done), random response
//     loss and a rate limit on the create.
//   - records.go: every API request is recorded, accepted or not, with the
//     Host it was sent to (Requests); vpc.go records every committed order
//     (Orders) and billing.go its payment (BillingOrders).
//   - admin.go: the state endpoint under /_fake/ (orders, requests, issued
//     keys, billing, and paying an order by hand).
//   - dispatch.go and errors.go: parsing, dispatch by action, and the
//     encoding of answers and errors.
//   - server.go and tls.go: Config, New, the loopback listeners (HTTP and
//     HTTPS) and Close.
package fakealicloud

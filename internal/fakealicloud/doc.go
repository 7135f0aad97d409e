// Package fakealicloud is an in-process fake of the Alibaba Cloud RPC
// endpoints the provider talks to, for tests, demos and benchmarks. One
// Server answers every product at any path; it uses only the standard
// library and listens on loopback only.
//
// What it fakes, by file:
//
//   - vpc.go and vpc_describe.go: the VPC API (version 2016-04-28) on
//     physical connections registered with AddPhysicalConnection, each with
//     a status and a business status:
//     CreatePhysicalConnectionOccupancyOrder, with ClientToken idempotency
//     and the order terms AutoPay, InstanceChargeType, Period, PricingCycle,
//     AutoRenew and AutoRenewDuration; and DescribePhysicalConnections, with
//     Filter.N.Key/Filter.N.Value.M filters and pages.
//   - billing.go and billing_order_detail.go: the billing API (BssOpenApi,
//     version 2017-12-14) action GetOrderDetail, showing every committed
//     order with a payment status that follows AutoPay and the balance
//     (SetBalanceSufficient) and can be changed later (SetPaymentStatus), a
//     lag before an order shows (SetBillingLag), three shapes of InstanceIDs
//     (SetInstanceIDsFormat), and the refusals of an account without
//     permission or of the wrong site (SetBillingMode).
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
//   - faults.go: faults injected per action (throttling, 5xx, lost
//     responses, slow answers, connection resets), random response loss and
//     a rate limit on the create.
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

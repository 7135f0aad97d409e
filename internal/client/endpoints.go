package client

import (
	"errors"
	"fmt"
	"net"
	"strings"
)

// Billing endpoints: the China site's, and the international site's that
// an account of that site must use (the China endpoint answers it
// NotApplicable).
const (
	DefaultBillingEndpoint       = "business.aliyuncs.com"
	InternationalBillingEndpoint = "business.ap-southeast-1.aliyuncs.com"
)

// DefaultVPCEndpoint returns the public VPC endpoint of a region.
func DefaultVPCEndpoint(region string) string {
	return "vpc." + region + ".aliyuncs.com"
}

// ValidateEndpoint accepts "host" or "host:port" with no scheme, path or
// credentials, as the endpoints block and its environment variables take it.
func ValidateEndpoint(endpoint string) error {
	if endpoint == "" {
		return errors.New("the endpoint is empty")
	}
	if strings.ContainsAny(endpoint, "/?#@ \t") {
		return fmt.Errorf("the endpoint %q must be a host name with an optional port, such as vpc.cn-hangzhou.aliyuncs.com or 127.0.0.1:8080, without a scheme or path", endpoint)
	}
	host := endpoint
	if h, port, err := net.SplitHostPort(endpoint); err == nil {
		host = h
		if port == "" || strings.Trim(port, "0123456789") != "" {
			return fmt.Errorf("the endpoint %q has an invalid port", endpoint)
		}
	} else if strings.Contains(endpoint, ":") && !strings.HasPrefix(endpoint, "[") {
		return fmt.Errorf("the endpoint %q must be a host name with an optional port, such as vpc.cn-hangzhou.aliyuncs.com or 127.0.0.1:8080", endpoint)
	}
	if host == "" {
		return fmt.Errorf("the endpoint %q has no host name", endpoint)
	}
	return nil
}

// billingEndpoint returns the BssOpenApi endpoint in use.
func (c *Client) billingEndpoint() string {
	c.billingMu.Lock()
	defer c.billingMu.Unlock()
	return c.billing
}

// switchToInternationalBilling moves this client to the international
// site's billing endpoint for the rest of its life. The caller checks that
// no endpoint was configured.
func (c *Client) switchToInternationalBilling() {
	c.billingMu.Lock()
	defer c.billingMu.Unlock()
	c.billing = InternationalBillingEndpoint
}

package fakealicloud

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// STSAPIVersion is the only STS API version the fake accepts.
const STSAPIVersion = "2015-04-01"

// The STS actions the fake implements.
const (
	// ActionAssumeRole issues temporary credentials for a role to a caller
	// that signs the request (HMAC-SHA1 or ACS3) with a known AccessKey.
	ActionAssumeRole = "AssumeRole"
	// ActionAssumeRoleWithOIDC issues temporary credentials for a role in
	// exchange for an OIDC token; the request is anonymous (unsigned).
	ActionAssumeRoleWithOIDC = "AssumeRoleWithOIDC"
)

// STSHostID is the HostId of the error answers to STS actions.
const STSHostID = "sts.aliyuncs.com"

// Limits and default of the DurationSeconds of temporary credentials.
const (
	MinDurationSeconds     = 900
	MaxDurationSeconds     = 43200
	DefaultDurationSeconds = 3600
)

// role is a RAM role that AssumeRole and AssumeRoleWithOIDC may assume.
type role struct {
	id         string // the RoleId, in AssumedRoleId
	externalID string
}

// AddRole registers (or replaces) a RAM role, by its ARN such as
// "acs:ram::1234567890123456:role/terraform", that AssumeRole and
// AssumeRoleWithOIDC may assume. When externalID is not "", AssumeRole
// requests for the role must carry exactly that ExternalId (otherwise they
// are answered 403 NoPermission); when it is "", any ExternalId is accepted.
func (s *Server) AddRole(arn, externalID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roles[arn] = role{id: "3" + randomString(18, "0123456789"), externalID: externalID}
}

// AddOIDCToken registers an OIDC token that AssumeRoleWithOIDC accepts with
// the OIDC provider providerArn (such as
// "acs:ram::1234567890123456:oidc-provider/k8s"). The token must match
// exactly, including any trailing newline in a token file. A provider
// exists once it has a token.
func (s *Server) AddOIDCToken(providerArn, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.oidcTokens[providerArn] == nil {
		s.oidcTokens[providerArn] = make(map[string]bool)
	}
	s.oidcTokens[providerArn][token] = true
}

// assumedRoleUser is the AssumedRoleUser object of an STS answer.
type assumedRoleUser struct {
	Arn           string
	AssumedRoleID string `json:"AssumedRoleId"`
}

// stsBody is the JSON of a successful AssumeRole or AssumeRoleWithOIDC
// answer.
type stsBody struct {
	answerHead
	AssumedRoleUser assumedRoleUser
	Credentials     stsCredentials
}

// stsParams are the validated parameters common to both STS actions.
type stsParams struct {
	roleArn, sessionName, policy string
	duration                     int
}

// validateSTS checks the RoleArn, RoleSessionName, DurationSeconds and Policy
// parameters. RoleSessionName is required only when requireSession is set.
func validateSTS(p map[string]string, requireSession bool) (stsParams, *apiError) {
	v := stsParams{roleArn: p["RoleArn"], sessionName: p["RoleSessionName"], policy: p["Policy"], duration: DefaultDurationSeconds}
	if v.roleArn == "" {
		return v, errorf(http.StatusBadRequest, "MissingRoleArn", "RoleArn is mandatory for this action.")
	}
	if v.sessionName == "" && requireSession {
		return v, errorf(http.StatusBadRequest, "MissingRoleSessionName", "RoleSessionName is mandatory for this action.")
	}
	if v.sessionName != "" && !validSessionName(v.sessionName) {
		return v, errorf(http.StatusBadRequest, "InvalidParameter.RoleSessionName", "The parameter RoleSessionName is wrongly formed: it must be 2 to 64 characters among letters, digits, '.', '@', '-' and '_'.")
	}
	if d, ok := p["DurationSeconds"]; ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < MinDurationSeconds || n > MaxDurationSeconds {
			return v, errorf(http.StatusBadRequest, "InvalidParameter.DurationSeconds", "The Min/Max value of DurationSeconds is 15min/12hr.")
		}
		v.duration = n
	}
	if v.policy != "" {
		var doc map[string]any
		if err := json.Unmarshal([]byte(v.policy), &doc); err != nil {
			return v, errorf(http.StatusBadRequest, "InvalidParameter.PolicyGrammar", "The parameter Policy has not been parsed: it must be a JSON object.")
		}
	}
	return v, nil
}

// validSessionName reports whether name is a valid RoleSessionName.
func validSessionName(name string) bool {
	if len(name) < 2 || len(name) > 64 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		letterOrDigit := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
		if !letterOrDigit && strings.IndexByte(".@-_", c) < 0 {
			return false
		}
	}
	return true
}

// assumeRole handles an authenticated AssumeRole request.
func (s *Server) assumeRole(rec *Request, p map[string]string) outcome {
	v, e := validateSTS(p, true)
	if e != nil {
		return outcome{err: e}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.roles[v.roleArn]
	if !ok {
		return outcome{err: errorf(http.StatusNotFound, "EntityNotExist.Role", "The specified Role not exists: "+v.roleArn+".")}
	}
	if r.externalID != "" && p["ExternalId"] != r.externalID {
		return outcome{err: errorf(http.StatusForbidden, "NoPermission", "You are not authorized to assume this role: the ExternalId is missing or does not match.")}
	}
	return s.issueForRole(rec, r, v, IssuedCredential{
		Via:             ViaAssumeRole,
		BaseAccessKeyID: rec.AccessKeyID,
		ExternalID:      p["ExternalId"],
	})
}

// assumeRoleWithOIDC handles an (anonymous) AssumeRoleWithOIDC request.
func (s *Server) assumeRoleWithOIDC(rec *Request, p map[string]string) outcome {
	v, e := validateSTS(p, false)
	if e != nil {
		return outcome{err: e}
	}
	providerArn, token := p["OIDCProviderArn"], p["OIDCToken"]
	if providerArn == "" {
		return outcome{err: errorf(http.StatusBadRequest, "MissingOIDCProviderArn", "OIDCProviderArn is mandatory for this action.")}
	}
	if token == "" {
		return outcome{err: errorf(http.StatusBadRequest, "MissingOIDCToken", "OIDCToken is mandatory for this action.")}
	}
	if v.sessionName == "" {
		v.sessionName = "oidc-" + randomString(12, alphanumeric)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tokens, ok := s.oidcTokens[providerArn]
	if !ok {
		return outcome{err: errorf(http.StatusNotFound, "EntityNotExist.OIDCProvider", "The specified OIDC provider not exists: "+providerArn+".")}
	}
	if !tokens[token] {
		return outcome{err: errorf(http.StatusBadRequest, "AuthenticationFail.OIDCToken.Invalid", "The specified OIDC token is not valid for the OIDC provider.")}
	}
	r, ok := s.roles[v.roleArn]
	if !ok {
		return outcome{err: errorf(http.StatusNotFound, "EntityNotExist.Role", "The specified Role not exists: "+v.roleArn+".")}
	}
	return s.issueForRole(rec, r, v, IssuedCredential{Via: ViaAssumeRoleWithOIDC, OIDCProviderArn: providerArn})
}

// issueForRole issues a temporary key for role r and builds the answer; ic
// holds the fields that depend on the action. The caller holds s.mu.
func (s *Server) issueForRole(rec *Request, r role, v stsParams, ic IssuedCredential) outcome {
	ic.RequestID = rec.RequestID
	ic.RoleArn, ic.RoleSessionName, ic.DurationSeconds, ic.Policy = v.roleArn, v.sessionName, v.duration, v.policy
	creds := s.issue(ic)
	arn := v.roleArn + "/" + v.sessionName
	if prefix, name, ok := strings.Cut(v.roleArn, ":role/"); ok {
		arn = prefix + ":assumed-role/" + name + "/" + v.sessionName
	}
	return outcome{answer: &stsBody{
		AssumedRoleUser: assumedRoleUser{Arn: arn, AssumedRoleID: r.id + ":" + v.sessionName},
		Credentials:     creds,
	}, issued: creds.AccessKeyID}
}

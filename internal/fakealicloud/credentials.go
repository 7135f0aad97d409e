package fakealicloud

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Values of IssuedCredential.Via.
const (
	ViaAssumeRole         = ActionAssumeRole
	ViaAssumeRoleWithOIDC = ActionAssumeRoleWithOIDC
	ViaCredentialsURI     = "CredentialsURI"
)

// CredentialsURIPath is the path of the credentials URI: a GET there issues
// a temporary AccessKey, answered as credentials-go's URL provider
// (ALIBABA_CLOUD_CREDENTIALS_URI) expects.
const CredentialsURIPath = "/_fake/credentials"

// IssuedCredential is the record of one temporary AccessKey the server
// issued. It holds no secret: neither the AccessKeySecret nor the
// SecurityToken.
type IssuedCredential struct {
	// Via is how the key was asked for: ViaAssumeRole, ViaAssumeRoleWithOIDC
	// or ViaCredentialsURI.
	Via string
	// RequestID is the RequestId of the STS answer, "" for ViaCredentialsURI.
	RequestID string
	// BaseAccessKeyID is the AccessKeyId that signed the AssumeRole request,
	// "" otherwise.
	BaseAccessKeyID string
	// OIDCProviderArn is the OIDC provider of an AssumeRoleWithOIDC request,
	// "" otherwise.
	OIDCProviderArn string
	// RoleArn and RoleSessionName are the role assumed and the session name
	// ("" for ViaCredentialsURI).
	RoleArn         string
	RoleSessionName string
	// DurationSeconds is the lifetime of the key.
	DurationSeconds int
	// Policy and ExternalID are the parameters as sent, or "".
	Policy     string
	ExternalID string
	// AccessKeyID is the issued temporary AccessKeyId ("STS." + random).
	AccessKeyID string
	// Expiration is when the key expires, by Config.Now, to the second.
	Expiration time.Time
}

// Issued returns a copy of the records of every temporary AccessKey issued,
// in order of issue.
func (s *Server) Issued() []IssuedCredential {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.issued)
}

// stsCredentials is the Credentials object of an STS answer, and the body
// of a credentials URI answer.
type stsCredentials struct {
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string
	SecurityToken   string
	Expiration      string
}

// credentialsURIBody is the JSON of a successful credentials URI answer.
type credentialsURIBody struct {
	Code string
	stsCredentials
	LastUpdated string
}

// issue makes a temporary AccessKey valid for ic.DurationSeconds from now,
// registers it, records it with ic (filling in AccessKeyID and Expiration)
// and returns it. The caller holds s.mu.
func (s *Server) issue(ic IssuedCredential) stsCredentials {
	now := s.cfg.Now()
	exp := now.Add(time.Duration(ic.DurationSeconds) * time.Second).UTC().Truncate(time.Second)
	c := stsCredentials{
		AccessKeySecret: randomString(44, alphanumeric),
		SecurityToken:   "CAIS" + randomBase64(190),
		Expiration:      exp.Format(utcLayout),
	}
	for {
		c.AccessKeyID = "STS." + randomString(28, alphanumeric)
		if _, taken := s.creds[c.AccessKeyID]; !taken {
			break
		}
	}
	s.creds[c.AccessKeyID] = Credential{AccessKeySecret: c.AccessKeySecret, SecurityToken: c.SecurityToken, Expiration: exp}
	ic.AccessKeyID, ic.Expiration = c.AccessKeyID, exp
	s.issued = append(s.issued, ic)
	return c
}

// serveCredentialsURI answers GET /_fake/credentials with a new temporary
// AccessKey, valid DefaultDurationSeconds or the DurationSeconds query
// parameter (1 to MaxDurationSeconds; short lifetimes make credentials-go
// refresh at every use), in the format credentials-go's URL provider parses.
func (s *Server) serveCredentialsURI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		w.WriteHeader(http.StatusMethodNotAllowed)
		json.NewEncoder(w).Encode(map[string]string{"Code": "MethodNotAllowed", "Message": "Use GET."}) //nolint:errcheck // The client may have gone.
		return
	}
	duration := DefaultDurationSeconds
	if d := r.URL.Query().Get("DurationSeconds"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > MaxDurationSeconds {
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]string{"Code": "InvalidParameter.DurationSeconds", "Message": "DurationSeconds must be 1 to 43200."}) //nolint:errcheck // The client may have gone.
			return
		}
		duration = n
	}
	s.mu.Lock()
	c := s.issue(IssuedCredential{Via: ViaCredentialsURI, DurationSeconds: duration})
	s.mu.Unlock()
	body, _ := json.Marshal(credentialsURIBody{Code: "Success", stsCredentials: c, LastUpdated: s.cfg.Now().UTC().Format(utcLayout)})
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body) //nolint:errcheck // The client may have gone.
}

package fakealicloud

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"sort"
	"strings"
)

// Signature algorithm names, as recorded in Request.SignatureMethod.
const (
	// AlgorithmACS3 is the V3 signature: an Authorization header signed
	// with HMAC-SHA256 over a canonical request.
	AlgorithmACS3 = "ACS3-HMAC-SHA256"
	// AlgorithmRPC is the V2 (RPC) signature: a Signature parameter signed
	// with HMAC-SHA1 over the sorted parameters.
	AlgorithmRPC = "HMAC-SHA1"
)

// PercentEncode encodes s the way Alibaba Cloud signatures require (RFC 3986):
// every byte except A-Z, a-z, 0-9, '-', '_', '.' and '~' becomes %XX with
// upper-case hex digits. In particular a space is "%20", '*' is "%2A" and '~'
// stays as is.
func PercentEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// sortedKeys returns the keys of m in byte order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// RPCStringToSign returns the V2 string to sign for an HTTP method and the
// request's parameters (query and form body together). A "Signature" entry
// in params is ignored. The result is
//
//	METHOD + "&" + PercentEncode("/") + "&" + PercentEncode(k1=v1&k2=v2...)
//
// where the pairs are sorted by key and each key and value is PercentEncoded.
func RPCStringToSign(method string, params map[string]string) string {
	pairs := make([]string, 0, len(params))
	for _, k := range sortedKeys(params) {
		if k == "Signature" {
			continue
		}
		pairs = append(pairs, PercentEncode(k)+"="+PercentEncode(params[k]))
	}
	return strings.ToUpper(method) + "&" + PercentEncode("/") + "&" + PercentEncode(strings.Join(pairs, "&"))
}

// SignRPC returns the V2 (HMAC-SHA1, SignatureVersion 1.0) signature of a
// request: base64(HMAC-SHA1(secret + "&", RPCStringToSign(method, params))).
// A "Signature" entry in params is ignored.
func SignRPC(method string, params map[string]string, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(RPCStringToSign(method, params)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// HashPayload returns the lower-case hex SHA-256 of a request body, the value
// of the x-acs-content-sha256 header. The empty body hashes to
// "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".
func HashPayload(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// lowerHeaders returns headers with lower-cased names and trimmed values.
func lowerHeaders(headers map[string]string) map[string]string {
	out := make(map[string]string, len(headers))
	for k, v := range headers {
		out[strings.ToLower(k)] = strings.TrimSpace(v)
	}
	return out
}

// ACS3SignedHeaders returns the SignedHeaders value for a set of headers to
// sign: their lower-cased names, sorted, joined with ';'.
func ACS3SignedHeaders(headers map[string]string) string {
	return strings.Join(sortedKeys(lowerHeaders(headers)), ";")
}

// ACS3CanonicalRequest returns the V3 canonical request:
//
//	METHOD \n URI \n canonical query \n canonical headers \n signed headers \n payload hash
//
// query holds the decoded query parameters (the body is not part of it);
// headers holds every header to sign (typically host, content-type and all
// x-acs-* headers) with its value; names are lower-cased and values trimmed.
// The canonical query is "k=v" pairs sorted by key and PercentEncoded, joined
// with '&'; an empty value gives "k=". hashedPayload is HashPayload(body).
func ACS3CanonicalRequest(method, pathname string, query, headers map[string]string, hashedPayload string) string {
	uri := pathname
	if uri == "" {
		uri = "/"
	}
	pairs := make([]string, 0, len(query))
	for _, k := range sortedKeys(query) {
		pairs = append(pairs, PercentEncode(k)+"="+PercentEncode(query[k]))
	}
	hs := lowerHeaders(headers)
	var canonHeaders strings.Builder
	for _, k := range sortedKeys(hs) {
		canonHeaders.WriteString(k + ":" + hs[k] + "\n")
	}
	return strings.ToUpper(method) + "\n" + uri + "\n" + strings.Join(pairs, "&") + "\n" +
		canonHeaders.String() + "\n" + ACS3SignedHeaders(headers) + "\n" + hashedPayload
}

// ACS3StringToSign returns "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonical
// request)); see ACS3CanonicalRequest for the arguments.
func ACS3StringToSign(method, pathname string, query, headers map[string]string, hashedPayload string) string {
	sum := sha256.Sum256([]byte(ACS3CanonicalRequest(method, pathname, query, headers, hashedPayload)))
	return AlgorithmACS3 + "\n" + hex.EncodeToString(sum[:])
}

// SignACS3 returns the V3 (ACS3-HMAC-SHA256) signature of a request, the
// lower-case hex HMAC-SHA256 of ACS3StringToSign keyed with the
// AccessKeySecret. The Authorization header is then
//
//	ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<ACS3SignedHeaders(headers)>,Signature=<signature>
func SignACS3(method, pathname string, query, headers map[string]string, hashedPayload, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ACS3StringToSign(method, pathname, query, headers, hashedPayload)))
	return hex.EncodeToString(mac.Sum(nil))
}

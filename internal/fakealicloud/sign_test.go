package fakealicloud

import (
	"net/http"
	"testing"
)

// Alibaba Cloud's documented V2 example (signature method HMAC-SHA1).
var rpcExample = map[string]string{
	"AccessKeyId":      "testid",
	"Action":           "DescribeRegions",
	"Format":           "XML",
	"SignatureMethod":  "HMAC-SHA1",
	"SignatureNonce":   "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
	"SignatureVersion": "1.0",
	"Timestamp":        "2016-02-23T12:46:24Z",
	"Version":          "2014-05-26",
}

const rpcExampleSignature = "OLeaidS1JvxuMvnyHOwuJ+uX5qY="

// Alibaba Cloud's documented V3 example (RunInstances, ACS3-HMAC-SHA256).
var (
	acs3ExampleQuery = map[string]string{
		"ImageId":  "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
		"RegionId": "cn-shanghai",
	}
	acs3ExampleHeaders = map[string]string{
		"host":                  "ecs.cn-shanghai.aliyuncs.com",
		"x-acs-action":          "RunInstances",
		"x-acs-version":         "2014-05-26",
		"x-acs-date":            "2023-10-26T10:22:32Z",
		"x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
		"x-acs-content-sha256":  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	}
)

const acs3ExampleSignature = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"

func TestPercentEncode(t *testing.T) {
	for in, want := range map[string]string{
		"abcXYZ019-_.~": "abcXYZ019-_.~",
		"a b":           "a%20b",
		"a*b":           "a%2Ab",
		"a+b/c=d&e":     "a%2Bb%2Fc%3Dd%26e",
		"é":             "%C3%A9",
		"":              "",
	} {
		if got := PercentEncode(in); got != want {
			t.Errorf("PercentEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSignRPCKnownAnswer(t *testing.T) {
	wantSTS := "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1" +
		"%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0" +
		"%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
	if got := RPCStringToSign("GET", rpcExample); got != wantSTS {
		t.Errorf("RPCStringToSign:\n got %s\nwant %s", got, wantSTS)
	}
	if got := SignRPC("GET", rpcExample, "testsecret"); got != rpcExampleSignature {
		t.Errorf("SignRPC = %s, want %s", got, rpcExampleSignature)
	}
	// The Signature parameter itself is not signed.
	withSig := map[string]string{"Signature": "x"}
	for k, v := range rpcExample {
		withSig[k] = v
	}
	if got := SignRPC("GET", withSig, "testsecret"); got != rpcExampleSignature {
		t.Errorf("SignRPC with Signature = %s, want %s", got, rpcExampleSignature)
	}
}

func TestSignACS3KnownAnswer(t *testing.T) {
	if got := HashPayload(nil); got != acs3ExampleHeaders["x-acs-content-sha256"] {
		t.Errorf("HashPayload(nil) = %s", got)
	}
	wantSigned := "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
	if got := ACS3SignedHeaders(acs3ExampleHeaders); got != wantSigned {
		t.Errorf("ACS3SignedHeaders = %s, want %s", got, wantSigned)
	}
	wantCanon := "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n" +
		"host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n" +
		"x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
		"x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\n" +
		wantSigned + "\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if got := ACS3CanonicalRequest("POST", "/", acs3ExampleQuery, acs3ExampleHeaders, HashPayload(nil)); got != wantCanon {
		t.Errorf("ACS3CanonicalRequest:\n got %q\nwant %q", got, wantCanon)
	}
	got := SignACS3("POST", "/", acs3ExampleQuery, acs3ExampleHeaders, HashPayload(nil), "YourAccessKeySecret")
	if got != acs3ExampleSignature {
		t.Errorf("SignACS3 = %s, want %s", got, acs3ExampleSignature)
	}
	// Header names are case-insensitive and values are trimmed.
	mixed := map[string]string{}
	for k, v := range acs3ExampleHeaders {
		mixed[http.CanonicalHeaderKey(k)] = " " + v + " "
	}
	if got := SignACS3("POST", "", acs3ExampleQuery, mixed, HashPayload(nil), "YourAccessKeySecret"); got != acs3ExampleSignature {
		t.Errorf("SignACS3 with mixed-case headers = %s, want %s", got, acs3ExampleSignature)
	}
}

// Command testregistry serves provider releases built by goreleaser over the
// provider registry protocol, on a loopback HTTPS address, so that
// `terraform init` and `tofu init` can install them offline with their
// signatures checked. scripts/release-test.sh runs it; it is not part of the
// provider. Standard library only.
//
//	testregistry -tls-cert cert.pem -tls-key key.pem \
//	  -gpg-key public.asc -gpg-key-id 0123456789ABCDEF \
//	  -provider pcorder/alicloud=dist -mirror mirror/ -addr-file addr
//
// It serves:
//
//	/.well-known/terraform.json                                  service discovery (providers.v1)
//	/v1/providers/{namespace}/{type}/versions                    the versions and their platforms
//	/v1/providers/{namespace}/{type}/{version}/download/{os}/{arch}
//	                                                             download_url, shasums_url, shasums_signature_url, signing_keys
//	/files/{namespace}/{type}/{version}/{file}                    the archives, SHA256SUMS and its signature
//	/mirror/...                                                  the -mirror directory as files (a network mirror)
//
// Every -provider takes the releases in its directory
// (terraform-provider-<type>_<version>_SHA256SUMS, .sig, _manifest.json and
// the zip archives SHA256SUMS lists). It prints one line per request.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "testregistry:", err)
		os.Exit(1)
	}
}

type options struct {
	listen, addrFile, cert, key, gpgKey, gpgKeyID, mirror string
	providers                                             [][3]string // namespace, type, dir
}

func parseFlags(args []string, output io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("testregistry", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "loopback `host:port` to listen on")
	fs.StringVar(&o.addrFile, "addr-file", "", "write the listening address to this `file`")
	fs.StringVar(&o.cert, "tls-cert", "", "the server's certificate chain, PEM (required)")
	fs.StringVar(&o.key, "tls-key", "", "its private key, PEM (required)")
	fs.StringVar(&o.gpgKey, "gpg-key", "", "the ASCII-armored public key that signs the releases (required)")
	fs.StringVar(&o.gpgKeyID, "gpg-key-id", "", "its key ID, 16 hex digits (required)")
	fs.StringVar(&o.mirror, "mirror", "", "a `directory` to serve under /mirror/, as written by terraform providers mirror")
	fs.Func("provider", "serve the releases in a directory as a provider, `namespace/type=dir` (repeatable)", func(v string) error {
		addr, dir, ok := strings.Cut(v, "=")
		namespace, typ, ok2 := strings.Cut(addr, "/")
		if !ok || !ok2 || namespace == "" || typ == "" || dir == "" || strings.Contains(typ, "/") {
			return fmt.Errorf("want namespace/type=dir, got %q", v)
		}
		o.providers = append(o.providers, [3]string{namespace, typ, dir})
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.cert == "" || o.key == "" || o.gpgKey == "" || o.gpgKeyID == "" || len(o.providers) == 0 {
		return nil, errors.New("-tls-cert, -tls-key, -gpg-key, -gpg-key-id and at least one -provider are required")
	}
	return o, nil
}

// newRegistry loads what o names.
func (o *options) newRegistry() (*Registry, error) {
	armor, err := os.ReadFile(o.gpgKey)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(string(armor), "-----BEGIN PGP PUBLIC KEY BLOCK-----") {
		return nil, fmt.Errorf("%s is not an ASCII-armored public key", o.gpgKey)
	}
	g := NewRegistry(Key{ID: o.gpgKeyID, ASCIIArmor: string(armor), Source: "testregistry"}, o.mirror)
	for _, p := range o.providers {
		if err := g.Add(p[0], p[1], p[2]); err != nil {
			return nil, fmt.Errorf("-provider %s/%s: %w", p[0], p[1], err)
		}
	}
	return g, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	g, err := o.newRegistry()
	if err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(o.listen)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-listen %s: only a loopback IP address", o.listen)
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	if o.addrFile != "" {
		// Beside, then renamed: a reader never sees half an address.
		if err := os.WriteFile(o.addrFile+".tmp", []byte(addr), 0o600); err != nil {
			return err
		}
		if err := os.Rename(o.addrFile+".tmp", o.addrFile); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprintf(stdout, "listening on https://%s\n", addr); err != nil {
		return err
	}
	h := g.Handler()
	logged := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(rec, r)
		fmt.Fprintf(stdout, "%s %s %d\n", r.Method, r.URL.Path, rec.code) //nolint:errcheck // A lost log line does not stop the registry.
	})
	srv := &http.Server{
		Handler:           logged,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(stderr, "testregistry: ", 0),
	}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.ServeTLS(ln, o.cert, o.key); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

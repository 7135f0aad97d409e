package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// release is one provider version as goreleaser writes it into dist/:
//
//	terraform-provider-<type>_<version>_<os>_<arch>.zip
//	terraform-provider-<type>_<version>_SHA256SUMS
//	terraform-provider-<type>_<version>_SHA256SUMS.sig
//	terraform-provider-<type>_<version>_manifest.json
type release struct {
	dir, version string
	protocols    []string
	// archives maps "<os>_<arch>" to the archive's file name.
	archives map[string]string
	// sums maps a file name to its SHA-256, as SHA256SUMS lists it.
	sums map[string]string
}

// sumsName, sigName: the checksum file and its detached signature.
func sumsName(typ, version string) string {
	return fmt.Sprintf("terraform-provider-%s_%s_SHA256SUMS", typ, version)
}

func sigName(typ, version string) string { return sumsName(typ, version) + ".sig" }

// loadReleases reads every release of provider type typ in dir. Each needs
// its SHA256SUMS, signature and manifest; archives are those SHA256SUMS lists.
func loadReleases(dir, typ string) (map[string]*release, error) {
	sumsRE := regexp.MustCompile(`^terraform-provider-` + regexp.QuoteMeta(typ) + `_([0-9][^_]*)_SHA256SUMS$`)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	releases := map[string]*release{}
	for _, e := range entries {
		m := sumsRE.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		rel, err := loadRelease(dir, typ, m[1])
		if err != nil {
			return nil, err
		}
		releases[rel.version] = rel
	}
	if len(releases) == 0 {
		return nil, fmt.Errorf("%s: no terraform-provider-%s_<version>_SHA256SUMS", dir, typ)
	}
	return releases, nil
}

func loadRelease(dir, typ, version string) (*release, error) {
	rel := &release{dir: dir, version: version, archives: map[string]string{}, sums: map[string]string{}}
	f, err := os.Open(filepath.Join(dir, sumsName(typ, version)))
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	archiveRE := regexp.MustCompile(`^terraform-provider-` + regexp.QuoteMeta(typ) + `_` + regexp.QuoteMeta(version) + `_([a-z0-9]+)_([a-z0-9]+)\.zip$`)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			return nil, fmt.Errorf("%s: not a SHA256SUMS line: %q", sumsName(typ, version), sc.Text())
		}
		rel.sums[name] = sum
		if m := archiveRE.FindStringSubmatch(name); m != nil {
			rel.archives[m[1]+"_"+m[2]] = name
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(rel.archives) == 0 {
		return nil, fmt.Errorf("%s lists no archive", sumsName(typ, version))
	}
	if _, err := os.Stat(filepath.Join(dir, sigName(typ, version))); err != nil {
		return nil, fmt.Errorf("the release is not signed: %w", err)
	}
	// The manifest says which plugin protocols the provider speaks; a
	// registry takes them from it.
	manifest := fmt.Sprintf("terraform-provider-%s_%s_manifest.json", typ, version)
	data, err := os.ReadFile(filepath.Join(dir, manifest))
	if err != nil {
		return nil, err
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", manifest, err)
	}
	if m.Version != 1 || len(m.Metadata.ProtocolVersions) == 0 {
		return nil, fmt.Errorf("%s: want version 1 with metadata.protocol_versions", manifest)
	}
	rel.protocols = m.Metadata.ProtocolVersions
	return rel, nil
}

// Key is the public key a registry gives for a provider's namespace.
type Key struct {
	ID         string `json:"key_id"`
	ASCIIArmor string `json:"ascii_armor"`
	TrustSig   string `json:"trust_signature"`
	Source     string `json:"source"`
	SourceURL  string `json:"source_url,omitempty"`
}

// Registry serves the provider registry protocol for the providers it holds,
// keyed by "<namespace>/<type>", and a network mirror's files under /mirror/.
type Registry struct {
	providers map[string]map[string]*release
	key       Key
	mirror    string
}

// NewRegistry returns a registry signing every provider with key; mirror, if
// not empty, is a directory written by `terraform providers mirror`.
func NewRegistry(key Key, mirror string) *Registry {
	return &Registry{providers: map[string]map[string]*release{}, key: key, mirror: mirror}
}

// Add serves the releases in dir as namespace/typ.
func (g *Registry) Add(namespace, typ, dir string) error {
	rels, err := loadReleases(dir, typ)
	if err != nil {
		return err
	}
	g.providers[namespace+"/"+typ] = rels
	return nil
}

// Handler routes the protocol's requests.
func (g *Registry) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/terraform.json", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]string{"providers.v1": "/v1/providers/"})
	})
	mux.HandleFunc("GET /v1/providers/{namespace}/{type}/versions", g.versions)
	mux.HandleFunc("GET /v1/providers/{namespace}/{type}/{version}/download/{os}/{arch}", g.download)
	mux.HandleFunc("GET /files/{namespace}/{type}/{version}/{file}", g.file)
	if g.mirror != "" {
		mux.Handle("GET /mirror/", http.StripPrefix("/mirror/", http.FileServer(http.Dir(g.mirror))))
	}
	return mux
}

func (g *Registry) releases(w http.ResponseWriter, r *http.Request) (map[string]*release, bool) {
	rels, ok := g.providers[r.PathValue("namespace")+"/"+r.PathValue("type")]
	if !ok {
		notFound(w, "no such provider")
	}
	return rels, ok
}

// release answers 404 and false for a provider or version it does not
// serve.
func (g *Registry) release(w http.ResponseWriter, r *http.Request) (*release, bool) {
	rels, ok := g.releases(w, r)
	if !ok {
		return nil, false
	}
	rel, ok := rels[r.PathValue("version")]
	if !ok {
		notFound(w, "no such version")
	}
	return rel, ok
}

func (g *Registry) versions(w http.ResponseWriter, r *http.Request) {
	rels, ok := g.releases(w, r)
	if !ok {
		return
	}
	type platform struct {
		OS   string `json:"os"`
		Arch string `json:"arch"`
	}
	type version struct {
		Version   string     `json:"version"`
		Protocols []string   `json:"protocols"`
		Platforms []platform `json:"platforms"`
	}
	out := struct {
		Versions []version `json:"versions"`
	}{Versions: []version{}}
	for _, rel := range rels {
		v := version{Version: rel.version, Protocols: rel.protocols}
		for target := range rel.archives {
			goos, goarch, _ := strings.Cut(target, "_")
			v.Platforms = append(v.Platforms, platform{goos, goarch})
		}
		sort.Slice(v.Platforms, func(i, j int) bool {
			return v.Platforms[i].OS+v.Platforms[i].Arch < v.Platforms[j].OS+v.Platforms[j].Arch
		})
		out.Versions = append(out.Versions, v)
	}
	sort.Slice(out.Versions, func(i, j int) bool { return out.Versions[i].Version < out.Versions[j].Version })
	writeJSON(w, out)
}

func (g *Registry) download(w http.ResponseWriter, r *http.Request) {
	rel, ok := g.release(w, r)
	if !ok {
		return
	}
	goos, goarch := r.PathValue("os"), r.PathValue("arch")
	archive, ok := rel.archives[goos+"_"+goarch]
	if !ok {
		notFound(w, "no archive for "+goos+"_"+goarch)
		return
	}
	typ := r.PathValue("type")
	base := fmt.Sprintf("https://%s/files/%s/%s/%s/", r.Host, r.PathValue("namespace"), typ, rel.version)
	writeJSON(w, map[string]any{
		"protocols":             rel.protocols,
		"os":                    goos,
		"arch":                  goarch,
		"filename":              archive,
		"download_url":          base + archive,
		"shasums_url":           base + sumsName(typ, rel.version),
		"shasums_signature_url": base + sigName(typ, rel.version),
		// As a real registry: the checksum SHA256SUMS lists, not one
		// computed from the archive served.
		"shasum":       rel.sums[archive],
		"signing_keys": map[string]any{"gpg_public_keys": []Key{g.key}},
	})
}

// file serves the archives, SHA256SUMS and its signature, nothing else.
func (g *Registry) file(w http.ResponseWriter, r *http.Request) {
	rel, ok := g.release(w, r)
	if !ok {
		return
	}
	name, typ := r.PathValue("file"), r.PathValue("type")
	archive := slices.Contains(slices.Collect(maps.Values(rel.archives)), name)
	if !archive && name != sumsName(typ, rel.version) && name != sigName(typ, rel.version) {
		notFound(w, "no such file")
		return
	}
	http.ServeFile(w, r, filepath.Join(rel.dir, name))
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func notFound(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusNotFound)
	_ = json.NewEncoder(w).Encode(map[string][]string{"errors": {msg}})
}

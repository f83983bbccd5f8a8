// Command gocheck prints what Go's standard library and the libraries the Go v2 OCM CLI
// uses make of an input, so that pyocm's constructor tests can compare against them.
//
//	gocheck expand                      JSON [[text, env], ...] on stdin -> JSON [os.Expand(...)]
//	gocheck mimetype FILE               the media type gabriel-vasile/mimetype detects
//	gocheck utf8 YAML                   the bytes of a utf8 input ({json|formattedJson|yaml: ...})
//	gocheck dirtar DIR PRESERVE INC EXC the reproducible tar of a dir input (patterns comma-separated)
package main

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"
	"sigs.k8s.io/yaml"
)

func main() {
	switch os.Args[1] {
	case "expand":
		var cases [][2]json.RawMessage
		if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
			panic(err)
		}
		out := make([]string, len(cases))
		for i, c := range cases {
			var text string
			env := map[string]string{}
			if err := json.Unmarshal(c[0], &text); err != nil {
				panic(err)
			}
			if err := json.Unmarshal(c[1], &env); err != nil {
				panic(err)
			}
			out[i] = os.Expand(text, func(k string) string { return env[k] })
		}
		if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
			panic(err)
		}
	case "mimetype":
		f, err := os.Open(os.Args[2])
		if err != nil {
			panic(err)
		}
		m, err := mimetype.DetectReader(f)
		if err != nil {
			panic(err)
		}
		fmt.Print(m.String())
	case "utf8":
		var in struct {
			JSON          json.RawMessage `json:"json,omitempty"`
			FormattedJSON json.RawMessage `json:"formattedJson,omitempty"`
			YAML          json.RawMessage `json:"yaml,omitempty"`
		}
		if err := yaml.Unmarshal([]byte(os.Args[2]), &in); err != nil {
			panic(err)
		}
		var out []byte
		var err error
		switch {
		case len(in.JSON) > 0:
			out, err = json.Marshal(in.JSON)
		case len(in.FormattedJSON) > 0:
			out, err = json.MarshalIndent(in.FormattedJSON, "", "  ")
		default:
			out, err = yaml.Marshal(in.YAML)
		}
		if err != nil {
			panic(err)
		}
		os.Stdout.Write(out)
	case "dirtar":
		// dirtar <dir> <preserve> <includes,> <excludes,>: the reproducible tar of a directory
		dir, preserve := os.Args[2], os.Args[3] == "true"
		inc, exc := split(os.Args[4]), split(os.Args[5])
		base, sub := dir, "."
		if preserve {
			base, sub = filepath.Dir(dir), filepath.Base(dir)
		}
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		err := fs.WalkDir(os.DirFS(base), sub, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			fi, err := d.Info()
			if err != nil {
				return err
			}
			if fi.IsDir() && len(exc) > 0 && !included(p, nil, exc) {
				return fs.SkipDir
			}
			if !included(p, inc, exc) {
				return nil
			}
			h, err := tar.FileInfoHeader(fi, "")
			if err != nil {
				return err
			}
			h.ModTime, h.AccessTime, h.ChangeTime = time.Unix(0, 0), time.Unix(0, 0), time.Unix(0, 0)
			h.Uid, h.Gid, h.Uname, h.Gname = 0, 0, "", ""
			h.Mode &= 0o777
			h.Name = filepath.ToSlash(p)
			if fi.IsDir() {
				if !strings.HasSuffix(h.Name, "/") {
					h.Name += "/"
				}
				return tw.WriteHeader(h)
			}
			if err := tw.WriteHeader(h); err != nil {
				return err
			}
			f, err := os.Open(filepath.Join(base, p))
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.Copy(tw, f)
			return err
		})
		if err != nil {
			panic(err)
		}
		if err := tw.Close(); err != nil {
			panic(err)
		}
		os.Stdout.Write(buf.Bytes())
	}
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func norm(s string) string {
	return strings.TrimPrefix(strings.TrimPrefix(filepath.ToSlash(s), "./"), "/")
}

func included(p string, inc, exc []string) bool {
	for _, e := range exc {
		if ok, _ := filepath.Match(norm(e), norm(p)); ok {
			return false
		}
	}
	if len(inc) == 0 {
		return true
	}
	for _, i := range inc {
		if ok, _ := filepath.Match(norm(i), norm(p)); ok {
			return true
		}
	}
	return false
}

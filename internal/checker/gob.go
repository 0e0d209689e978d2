package checker

import (
	"bytes"
	"encoding/gob"
)

// fileGob is a rules file as a site pack keeps it (internal/pack): decoded
// already, so a server starting from a pack reads no YAML. Link checks
// it again at load, as it checks files just read. Its text is left out:
// only Reread reads it, to skip files saved unchanged in the preview,
// which never serves a pack (15 MB of 2,000 files at 100,000 articles).
type fileGob struct {
	Name      string
	Keys      map[string]int
	Complaint *complaintYAML
	SiteWide  *siteWideYAML
	Cases     *casesYAML
}

// GobEncode writes the files as decoded, with the lines problems are
// reported at.
func (fs_ Files) GobEncode() ([]byte, error) {
	out := make([]fileGob, 0, len(fs_.byName))
	for _, name := range fs_.Names() {
		f := fs_.byName[name]
		out = append(out, fileGob{Name: f.name, Keys: f.keys, Complaint: f.complaint, SiteWide: f.siteWide, Cases: f.cases})
	}
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(out)
	return buf.Bytes(), err
}

// GobDecode reads what GobEncode wrote.
func (fs_ *Files) GobDecode(b []byte) error {
	var in []fileGob
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&in); err != nil {
		return err
	}
	fs_.byName = make(map[string]*rulesFile, len(in))
	for _, f := range in {
		fs_.byName[f.Name] = &rulesFile{name: f.Name, keys: f.Keys, complaint: f.Complaint, siteWide: f.SiteWide, cases: f.Cases}
	}
	return nil
}

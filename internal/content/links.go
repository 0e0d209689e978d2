package content

import (
	"bytes"
	"image"
	_ "image/jpeg" // share images may be JPEG
	_ "image/png"  // or PNG
	"io/fs"
	"strings"

	"healthsite/internal/contentfile"
)

// checkLinks reports every link of an article's text to the site that
// lands nowhere: a missing article, or a section it does not have. It
// runs over every article, since removing or renaming one can break the
// links of others; it is a map lookup per link.
func (s *Site) checkLinks() contentfile.Problems {
	var probs contentfile.Problems
	for _, a := range s.byFile {
		for _, l := range a.SiteLinks {
			target, fragment, _ := strings.Cut(l.Dest, "#")
			switch {
			case target == "" && fragment != "":
				if _, ok := a.Heading(fragment); !ok {
					probs.Add(a.File, l.Line, "link to #%s: this article has no section with that id", fragment)
				}
			case strings.HasPrefix(target, "/articles/"):
				slug := strings.TrimSuffix(strings.TrimPrefix(target, "/articles/"), "/")
				other, ok := s.bySlug[slug]
				if !ok {
					probs.Add(a.File, l.Line, "link to %s: there is no article %q", l.Dest, slug)
					continue
				}
				if _, ok := other.Heading(fragment); fragment != "" && !ok {
					probs.Add(a.File, l.Line, "link to %s: article %q has no section %q", l.Dest, slug, fragment)
				}
			}
		}
	}
	return probs
}

// checkPictures reports every picture the articles show from static/ that
// static does not have, and every share image that is missing or is not a
// PNG or JPEG picture (a link preview needs its size). Articles share
// pictures, so each file is read once.
func checkPictures(static fs.FS, articles []*Article) contentfile.Problems {
	var probs contentfile.Problems
	checked := map[string]error{}
	check := func(name string, decode bool) error {
		key := name
		if decode {
			key = "decode:" + name
		}
		if err, seen := checked[key]; seen {
			return err
		}
		var err error
		if !decode {
			_, err = fs.Stat(static, name)
		} else if body, rerr := fs.ReadFile(static, name); rerr != nil {
			err = rerr
		} else if _, _, derr := image.DecodeConfig(bytes.NewReader(body)); derr != nil {
			err = derr
		}
		checked[key] = err
		return err
	}
	for _, a := range articles {
		for _, img := range a.StaticImages {
			if check(img.Name, false) != nil {
				probs.Add(a.File, img.Line, "the picture %s%s is not in static/", StaticPrefix, img.Name)
			}
		}
		if a.Image == "" {
			continue
		}
		if check(a.Image, false) != nil {
			probs.Add(a.File, 0, "share image %q is not in static/", a.Image)
		} else if err := check(a.Image, true); err != nil {
			probs.Add(a.File, 0, "share image %q: %v: a link preview needs a PNG or JPEG picture", a.Image, err)
		}
	}
	return probs
}

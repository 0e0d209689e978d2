// Package corpus makes large synthetic article folders, for measuring
// start-up time and memory and for testing the loader at scale. Its
// articles are filler: they are never served by default.
package corpus

import (
	"fmt"
	"io/fs"
	"strings"
	"testing/fstest"
)

// Article returns the text of synthetic article i: valid front matter,
// five cause sections, daily care and the medical help section, about as
// long as the seed article.
func Article(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `---
title: Synthetic article %[1]d about test complaint %[1]d
summary: A generated article used to measure the site with many articles. It is not health advice.
author: Healthsite load generator
published: 2026-01-01
last_reviewed: 2026-%02[2]d-%02[3]d
next_review: 2027-%02[2]d-%02[3]d
tags: [tag-%[4]d, tag-%[5]d, tag-%[6]d]
sources:
  - title: Generated source %[1]d
    publisher: Healthsite load generator
    author: Generator
    date: 2025-12-01
---

This generated article number %[1]d has the shape of a real one, so that
loading and rendering it costs what a real article costs.

`, i, 1+i%12, 1+i%28, i%200, (i*7)%200, (i*13)%200)
	for s := 1; s <= 5; s++ {
		fmt.Fprintf(&b, `## Cause %d of complaint %d

**What happens:** a generated sentence that stands for the explanation of
this cause, long enough to wrap onto a second line on a phone.

**How it feels:** another generated sentence about how this cause feels.

**What helps:**

- the first generated tip
- the second generated tip
- the third generated tip

`, s, i)
	}
	b.WriteString("## Looking after yourself\n\nGenerated daily care text.\n\n## When to get medical help\n\nSee a doctor promptly if:\n\n- the generated complaint lasts more than three days\n")
	return b.String()
}

// FS is a folder of n synthetic articles.
func FS(n int) fs.FS {
	fsys := fstest.MapFS{}
	for i := 0; i < n; i++ {
		fsys[fmt.Sprintf("synthetic-%05d.md", i)] = &fstest.MapFile{Data: []byte(Article(i))}
	}
	return fsys
}

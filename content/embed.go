// Package content carries the lesson modules (content/<lang>/<module>/*.md)
// inside the binary, so a fresh checkout serves them with no other file.
package content

import "embed"

// FS holds content/en and content/fr.
//
//go:embed en fr
var FS embed.FS

// Package static carries the stylesheet, icons and the small optional
// script inside the binary; pages work without the script.
package static

import "embed"

// FS holds the static files, served under /static/.
//
//go:embed css js img
var FS embed.FS

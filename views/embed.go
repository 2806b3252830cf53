// Package views carries the HTML templates and the interface's message
// catalogues (locales/<lang>.yaml) inside the binary.
package views

import "embed"

// FS holds layouts/, partials/, the page templates and locales/.
//
//go:embed *.html layouts partials locales
var FS embed.FS

// Package quizzes carries the knowledge checks (*.yml) and sandbox scenarios
// (scenarios/*.yml) inside the binary.
package quizzes

import "embed"

// FS holds every quiz and scenario file.
//
//go:embed *.yml scenarios/*.yml
var FS embed.FS

package supportlab

import (
	"context"
	"time"
)

// Import is a quiz or scenario file a trainer uploaded, kept as uploaded so
// that it can be parsed again at every start-up.
type Import struct {
	ID       int64
	Kind     string // KindQuiz or KindSandbox
	UID      string
	Version  int
	Format   string
	Filename string
	Title    string // given at upload, for formats without a title (GIFT, Aiken)
	Lang     string // given at upload, for formats without a language
	Source   []byte
	AuthorID int64
	At       time.Time
}

// ImportService stores uploaded files.
type ImportService interface {
	// SaveImport records an upload and gives it the version of its content
	// (a new version when the content is new for that uid).
	SaveImport(ctx context.Context, imp *Import, hash string, body []byte) error
	// LatestImports returns the newest import of every (kind, uid).
	LatestImports(ctx context.Context) ([]*Import, error)
}

// Limits of a quiz or scenario file (SPEC), the same for an upload, a file
// read at start-up and validate: a larger file is refused whole, before it
// costs more to read than a legitimate one.
const (
	// MaxImportBytes caps the size of a quiz or scenario file: 1 MB.
	MaxImportBytes = 1 << 20
	// MaxQuestions caps the questions of one quiz.
	MaxQuestions = 200
	// MinChoices and MaxChoices bound the choices of one question.
	MinChoices = 2
	MaxChoices = 8
)

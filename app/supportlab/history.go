package supportlab

import (
	"context"
	"time"
)

// ItemVersion is one version of a quiz or scenario as its history shows
// it. A version is made either by a file the app was started with (no
// author, no Source: the text is the shipped file's, or, for a file since
// changed, rebuilt from Body) or by a trainer's import or edit (Source is
// the text as saved, Format and Filename how it was read).
type ItemVersion struct {
	Kind    string
	UID     string
	Version int
	At      time.Time
	// Hash identifies the graded content; Body is that content (the
	// canonical JSON a version is made of).
	Hash string
	Body []byte
	// Imported is set for a version a trainer saved; the fields below are
	// only set then.
	Imported   bool
	AuthorID   int64
	AuthorName string // "" when the account is gone
	Format     string // quizbank's format names: quiz-yaml, gift, aiken…
	Filename   string
	Title      string // typed beside a GIFT or Aiken text
	Lang       string
	Source     []byte
}

// HistoryService reads the versions of quizzes and scenarios and keeps
// which ones are retired.
type HistoryService interface {
	// ItemVersions lists every version of kind/uid, oldest first; an
	// unknown item has none.
	ItemVersions(ctx context.Context, kind, uid string) ([]*ItemVersion, error)
	// FindItemVersion returns one version, or ENOTFOUND.
	FindItemVersion(ctx context.Context, kind, uid string, version int) (*ItemVersion, error)
	// SetRetired retires kind/uid (retired true) or brings it back; by is
	// the account that did it.
	SetRetired(ctx context.Context, kind, uid string, retired bool, by int64) error
	// RetiredItems returns BestKey(kind, uid) of every retired item.
	RetiredItems(ctx context.Context) (map[string]bool, error)
}

// ShippedFiles gives the text of the quiz and scenario files the app was
// started with, so that the editor opens a shipped quiz on the file a
// trainer would have written rather than on its stored digest.
type ShippedFiles interface {
	// ShippedSource returns the file that holds kind/uid and the hash of
	// its graded content; ok is false when no shipped file holds it.
	ShippedSource(kind, uid string) (src []byte, hash string, ok bool)
}

// MinItemAnalysisAttempts is the number of first attempts below which item
// analysis says "not enough data yet" instead of flagging a question: with
// fewer, one learner's luck moves the coefficient a long way.
const MinItemAnalysisAttempts = 20

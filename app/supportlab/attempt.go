package supportlab

import (
	"context"
	"time"
)

// Kinds of attempt.
const (
	KindQuiz    = "quiz"
	KindSandbox = "sandbox"
)

// Attempt is one graded try at a quiz or a sandbox scenario. It records the
// version it answered, so that editing a quiz never rewrites old results.
type Attempt struct {
	ID      int64
	UserID  int64
	Kind    string
	UID     string
	Version int
	Score   int
	Passed  bool
	At      time.Time

	// Quiz attempts: the asked question ids in the order shown, the chosen
	// choice indexes (file order) per question id, and whether each was right.
	Asked   []string
	Answers map[string][]int
	Right   map[string]bool

	// Sandbox attempts.
	Parts    *SandboxParts
	Answer   *SandboxAnswer
	Expected string // TriageClass of the scenario's expectation
}

// AttemptService stores attempts. CreateAttempt returns only once the
// attempt is durable: the result page promises the learner it was saved.
type AttemptService interface {
	CreateAttempt(ctx context.Context, a *Attempt) error
	// ListAttempts returns a user's attempts, newest first.
	ListAttempts(ctx context.Context, userID int64) ([]*Attempt, error)
	// FindAttempt returns one attempt with its answers, or ENOTFOUND.
	FindAttempt(ctx context.Context, id int64) (*Attempt, error)
	// BestScores returns the user's best score per "kind/uid".
	BestScores(ctx context.Context, userID int64) (map[string]int, error)
}

// BestKey is the key BestScores uses for an item.
func BestKey(kind, uid string) string { return kind + "/" + uid }

// VersionService numbers the versions of quizzes and scenarios. A version is
// identified by the hash of its graded content: loading an unchanged file
// again keeps its number, an edited one gets the next.
type VersionService interface {
	EnsureVersion(ctx context.Context, kind, uid, hash string, body []byte) (int, error)
}

// PassedSandbox reports whether a sandbox score passes: SPEC fixes the mark
// at SandboxPassScore for every scenario.
func PassedSandbox(score int) bool { return score >= SandboxPassScore }

// ProgressService records which lesson units a learner has opened.
type ProgressService interface {
	MarkUnitRead(ctx context.Context, userID int64, module, unit string) error
	// UnitsRead returns, per module, the set of unit slugs the user opened.
	UnitsRead(ctx context.Context, userID int64) (map[string]map[string]bool, error)
}

// Package storetest is the conformance suite of SupportLab's stores: the
// behaviour that package sqlite and package postgres must share, written
// once against the domain interfaces (supportlab.UserService, …) and run
// by each store's own tests (Run). A rule that holds on one store and not
// on the other would make a deployment behave differently after a move to
// PostgreSQL, so every store test that is not about one engine (file
// modes, WAL, pool settings) belongs here. Only tests import it.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
)

// Store is everything a SupportLab store provides to the server: the
// domain services, the signing secret, the health check and the sweep of
// expired keys.
type Store interface {
	supportlab.UserService
	supportlab.AttemptService
	supportlab.VersionService
	supportlab.ProgressService
	supportlab.ImportService
	supportlab.TeamService
	Secret(ctx context.Context, name string) ([]byte, error)
	Ping(ctx context.Context) error
	SweepExpired(ctx context.Context, interval time.Duration)
}

// Row is one row of a raw query, as *sql.Row and pgx.Row read it.
type Row interface{ Scan(dest ...any) error }

// Harness is one freshly opened, empty store and what the suite needs
// beside its interfaces. Every field is required.
type Harness struct {
	Store Store
	// Storage and HashedStorage return the store's fiber.Storage (plain
	// keys) and its session storage (hashed keys) for a prefix.
	Storage       func(prefix string) fiber.Storage
	HashedStorage func(prefix string) fiber.Storage
	// SetNow replaces the store's clock.
	SetNow func(now func() time.Time)
	// QueryRow runs a read-only query on the store's tables, to check what
	// was written. Queries use $1, $2, … parameters and SQL both engines
	// understand; the tables and columns have the same names in both.
	QueryRow func(query string, args ...any) Row
	// Reopen opens the same database a second time, as another process
	// or a restart would; both stay usable until the test ends.
	Reopen func(t *testing.T) *Harness
}

// Opener opens a fresh, empty store that is closed when the test ends.
type Opener func(t *testing.T) *Harness

// Run runs the whole suite, each case on a store of its own.
func Run(t *testing.T, open Opener) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, open(t)) })
	}
}

// cases are the suite, by name.
var cases = []struct {
	name string
	fn   func(t *testing.T, h *Harness)
}{
	{"EnsureVersion", testEnsureVersion},
	{"Secret", testSecret},
	{"Ping", testPing},
	{"Storage", testStorage},
	{"HashedStorage", testHashedStorage},
	{"SweepExpired", testSweepExpired},
	{"CreateUserFirstIsAdmin", testCreateUserFirstIsAdmin},
	{"CreateUserConcurrentFirstAccounts", testCreateUserConcurrentFirstAccounts},
	{"CreateUserRejects", testCreateUserRejects},
	{"PasswordIsHashed", testPasswordIsHashed},
	{"Authenticate", testAuthenticate},
	{"UserAdminOperations", testUserAdminOperations},
	{"CreateAttemptQuiz", testCreateAttemptQuiz},
	{"CreateAttemptSandbox", testCreateAttemptSandbox},
	{"CreateAttemptRejects", testCreateAttemptRejects},
	{"ListAttemptsNewestFirstAndPerUser", testListAttemptsNewestFirstAndPerUser},
	{"FindAttempt", testFindAttempt},
	{"UnitsRead", testUnitsRead},
	{"Imports", testImports},
	{"JoinCodes", testJoinCodes},
	{"CreateTeamChecksTheName", testCreateTeamChecksTheName},
	{"TeamLists", testTeamLists},
	{"ItemAnalysis", testItemAnalysis},
	{"ConfusionMatrix", testConfusionMatrix},
	{"TeamStatsMatrixAndTrend", testTeamStatsMatrixAndTrend},
	{"TeamStatsSummaryOnly", testTeamStatsSummaryOnly},
	{"TeamScores", testTeamScores},
	{"TeamStatsFollowMembership", testTeamStatsFollowMembership},
	{"JoinDateRule", testJoinDateRule},
	{"ItemAnalysisPerVersion", testItemAnalysisPerVersion},
	{"Assignments", testAssignments},
	{"ItemHistory", testItemHistory},
}

// must fails the test on an error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// mustCreateUser creates an account with a fixed password.
func mustCreateUser(t *testing.T, s Store, email, name, role string) *supportlab.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), supportlab.NewUser{Email: email, Name: name, Password: "correct horse battery", Role: role})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

// wantError fails unless err is a domain error with code and key.
func wantError(t *testing.T, err error, code, key string) {
	t.Helper()
	e := supportlab.AsError(err)
	if e == nil || e.Code != code || e.Key != key {
		t.Fatalf("got %v, want %s %s", err, code, key)
	}
}

package web_test

import (
	"context"
	"database/sql"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"supportlab/app/library"
	"supportlab/app/quizbank"
	"supportlab/app/sqlite"
	"supportlab/app/supportlab"
)

// Dashboard scale: SPEC's target team.
const (
	benchLearners = 1000
	benchAttempts = 50000
)

// BenchmarkDashboard measures the trainer dashboard of a team of 1,000
// learners with 50,000 attempts (60 % quizzes with per-question marks, 40 %
// sandbox), through HTTP like a browser, and the exports beside it. Run:
//
//	go test -run XXX -bench Dashboard -benchtime 10x ./app/web
func BenchmarkDashboard(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.db")
	ctx := context.Background()
	sqlite.BcryptCost = 4
	lib, err := library.Load(library.Sources{})
	if err != nil {
		b.Fatal(err)
	}
	bank := lib.Bank

	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	trainer, err := db.CreateUser(ctx, supportlab.NewUser{Email: "trainer@example.com", Name: "Trainer", Password: teamTestPassword, Role: supportlab.RoleTrainer})
	if err != nil {
		b.Fatal(err)
	}
	team, err := db.CreateTeam(ctx, "Big team", trainer.ID)
	if err != nil {
		b.Fatal(err)
	}
	db.Close()
	start := time.Now()
	seedBigTeam(b, path, team.ID, bank)
	b.Logf("seeded %d learners and %d attempts in %s", benchLearners, benchAttempts, time.Since(start).Round(time.Millisecond))

	db, err = sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	ts := newTestServerWith(b, options{DB: db})
	c := ts.newClient()
	c.login("trainer@example.com", teamTestPassword)
	id := strconv.FormatInt(team.ID, 10)

	get := func(b *testing.B, path string) {
		for i := 0; i < b.N; i++ {
			if res := c.get(path); res.Status != 200 {
				b.Fatalf("%s: status %d", path, res.Status)
			}
		}
	}
	b.Run("page", func(b *testing.B) { get(b, "/teams/"+id) })
	b.Run("page-10", func(b *testing.B) { get(b, "/teams/"+id+"?page=10") })
	b.Run("stats-only", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := db.TeamStats(ctx, team.ID, supportlab.StatsQuery{Limit: 100}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("csv", func(b *testing.B) { get(b, "/teams/"+id+"/scores.csv") })
	b.Run("api-scores", func(b *testing.B) { get(b, "/api/v1/teams/"+id+"/scores") })
}

// seedBigTeam writes the learners, their membership and their attempts in
// one transaction with prepared statements. Marks follow a simple ability
// model (a learner's ability against a question's difficulty) so that item
// analysis has realistic, non-zero correlations; one question per quiz is
// keyed "wrong" (the strong learners miss it) to exercise the warning.
func seedBigTeam(b *testing.B, path string, teamID int64, bank *quizbank.Bank) {
	raw, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_busy_timeout=5000&_synchronous=OFF")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	tx, err := raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	prep := func(q string) *sql.Stmt {
		st, err := tx.Prepare(q)
		if err != nil {
			b.Fatal(err)
		}
		return st
	}
	insUser := prep(`INSERT INTO users (email, name, password_hash, role, created_at) VALUES (?, ?, 'x', 'learner', '2025-01-01T00:00:00Z')`)
	insMember := prep(`INSERT INTO team_members (team_id, user_id, role, joined_at) VALUES (?, ?, 'member', '2025-01-01T00:00:00Z')`)
	insAttempt := prep(`INSERT INTO attempts (user_id, kind, uid, version, score, passed, at, detail, expected, chosen, right_count) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)`)

	rng := rand.New(rand.NewPCG(1, 2))
	users := make([]int64, benchLearners)
	ability := make([]float64, benchLearners)
	for i := range users {
		res, err := insUser.Exec("learner"+strconv.Itoa(i)+"@example.com", "Learner "+strconv.Itoa(i))
		if err != nil {
			b.Fatal(err)
		}
		users[i], _ = res.LastInsertId()
		ability[i] = rng.NormFloat64()
		if _, err := insMember.Exec(teamID, users[i]); err != nil {
			b.Fatal(err)
		}
	}
	quizList := bank.Quizzes("en")
	scenarios := bank.Scenarios("en")
	t0 := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	span := int64(180 * 24 * time.Hour / time.Millisecond)
	for n := 0; n < benchAttempts; n++ {
		i := rng.IntN(benchLearners)
		at := t0.UnixMilli() + rng.Int64N(span)
		if n%5 < 3 {
			q := quizList[n%len(quizList)]
			marks := make([]int, len(q.Questions))
			right := 0
			for k := range q.Questions {
				difficulty := float64(k%5)/2 - 1
				p := 1 / (1 + math.Exp(-(ability[i] - difficulty)))
				if k == 1 { // the miskeyed question
					p = 1 - p
				}
				if rng.Float64() < p {
					marks[k] = 1
					right++
				}
			}
			score := int(math.Round(100 * float64(right) / float64(len(marks))))
			a := supportlab.Attempt{Kind: supportlab.KindQuiz, Score: score, Answers: map[string][]int{}, Right: map[string]bool{}}
			for k, qq := range q.Questions {
				a.Asked = append(a.Asked, qq.ID)
				a.Right[qq.ID] = marks[k] == 1
			}
			detail, err := a.Detail()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := insAttempt.Exec(users[i], "quiz", q.UID, score, score >= q.PassPercent, at, string(detail), nil, nil, right); err != nil {
				b.Fatal(err)
			}
			continue
		}
		s := scenarios[n%len(scenarios)]
		expected := supportlab.TriageClass(s.Expect.Action, s.Expect.Severity)
		chosen := expected
		if rng.Float64() > 0.5+ability[i]/4 {
			chosen = supportlab.TriageClasses[rng.IntN(len(supportlab.TriageClasses))]
		}
		score := 100
		if chosen != expected {
			score = rng.IntN(70)
		}
		if _, err := insAttempt.Exec(users[i], "sandbox", s.UID, score, score >= supportlab.SandboxPassScore, at, "{}", expected, chosen, nil); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := raw.Exec(`SELECT 1`); err != nil {
		b.Fatal(err)
	}
}

package storetest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"supportlab/app/supportlab"
)

// Scale is a synthetic team for the scale benchmarks: one trainer (user
// 1, TrainerEmail, TrainerPassword) and one team (id 1) of Learners
// learners who made Attempts attempts between them, 60 % quizzes with
// per-question marks and 40 % sandbox requests. Marks follow a simple
// ability model (a learner's ability against a question's difficulty), so
// that item analysis has realistic correlations. The same Scale always
// gives the same rows.
type Scale struct {
	Learners, Attempts int
	// Quizzes and Scenarios are the items attempted; empty, they are
	// synthetic (8 quizzes of 10 questions, 12 scenarios).
	Quizzes   []ScaleQuiz
	Scenarios []string
}

// ScaleQuiz is a quiz of a Scale: its uid and its question ids.
type ScaleQuiz struct {
	UID       string
	Questions []string
}

// The trainer of a Scale's team, who may open its dashboard.
const (
	TrainerEmail    = "trainer@example.com"
	TrainerPassword = "correct horse battery"
	ScaleTeamID     = 1
)

// TenThousand is the scale of issue 13: 10,000 learners, 500,000 attempts.
var TenThousand = Scale{Learners: 10_000, Attempts: 500_000}

func (s Scale) items() ([]ScaleQuiz, []string) {
	quizzes, scenarios := s.Quizzes, s.Scenarios
	if len(quizzes) == 0 {
		for i := 1; i <= 8; i++ {
			q := ScaleQuiz{UID: fmt.Sprintf("quiz-%d", i)}
			for k := 1; k <= 10; k++ {
				q.Questions = append(q.Questions, fmt.Sprintf("q%d", k))
			}
			quizzes = append(quizzes, q)
		}
	}
	if len(scenarios) == 0 {
		for i := 1; i <= 12; i++ {
			scenarios = append(scenarios, fmt.Sprintf("scenario-%d", i))
		}
	}
	return quizzes, scenarios
}

// scaleAttempt is one generated attempt and its marks.
type scaleAttempt struct {
	user             int64
	kind, uid        string
	score            int
	passed           bool
	at               int64
	expected, chosen any
	questions        []string
	marks            []int
}

// attempt generates attempt n (0-based) from its own random stream, so
// that the attempts and the marks tables, read one after the other, agree.
func (s Scale) attempt(n int, quizzes []ScaleQuiz, scenarios []string) scaleAttempt {
	rng := rand.New(rand.NewPCG(uint64(n), 13))
	learner := rng.IntN(s.Learners)
	ability := rand.New(rand.NewPCG(uint64(learner), 7)).NormFloat64()
	t0 := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC).UnixMilli()
	span := int64(180 * 24 * time.Hour / time.Millisecond)
	a := scaleAttempt{user: int64(learner) + 2, at: t0 + rng.Int64N(span)}
	if n%5 < 3 {
		q := quizzes[rng.IntN(len(quizzes))]
		a.kind, a.uid, a.questions = supportlab.KindQuiz, q.UID, q.Questions
		right := 0
		for k := range q.Questions {
			difficulty := float64(k%5)/2 - 1
			p := 1 / (1 + math.Exp(-(ability - difficulty)))
			mark := 0
			if rng.Float64() < p {
				mark, right = 1, right+1
			}
			a.marks = append(a.marks, mark)
		}
		a.score = int(math.Round(100 * float64(right) / float64(len(q.Questions))))
		a.passed = a.score >= supportlab.DefaultPassPercent
		return a
	}
	a.kind, a.uid = supportlab.KindSandbox, scenarios[rng.IntN(len(scenarios))]
	classes := supportlab.TriageClasses
	a.expected, a.chosen = classes[rng.IntN(len(classes))], classes[rng.IntN(len(classes))]
	a.score = []int{0, 30, 60, 70, 90, 100}[rng.IntN(6)]
	a.passed = supportlab.PassedSandbox(a.score)
	return a
}

// Export hands the Scale's tables to fn as (*sqlite.DB).Export hands a
// database's (parents first, values as SQLite holds them), so that
// (*postgres.DB).Load copies it with COPY and a SQLite test inserts it.
// attempt_marks comes last: a view in SQLite, which a SQLite test skips
// (the marks are in the attempts' detail), a table in PostgreSQL.
func (s Scale) Export(ctx context.Context, fn func(table string, columns []string, next func() ([]any, error)) error) error {
	quizzes, scenarios := s.items()
	hash, err := bcrypt.GenerateFromPassword([]byte(TrainerPassword), bcrypt.MinCost)
	if err != nil {
		return err
	}
	const created = "2025-01-01T00:00:00Z"
	// rows turns a generator of the i-th row into next.
	rows := func(count int, row func(i int) []any) func() ([]any, error) {
		i := 0
		return func() ([]any, error) {
			if i >= count {
				return nil, nil
			}
			i++
			return row(i - 1), ctx.Err()
		}
	}
	if err := fn("users", []string{"id", "email", "name", "password_hash", "role", "disabled", "created_at"}, rows(s.Learners+1, func(i int) []any {
		if i == 0 {
			return []any{int64(1), TrainerEmail, "Trainer", string(hash), supportlab.RoleTrainer, int64(0), created}
		}
		return []any{int64(i + 1), "learner" + strconv.Itoa(i) + "@example.com", "Learner " + strconv.Itoa(i), "x", supportlab.RoleLearner, int64(0), created}
	})); err != nil {
		return err
	}
	if err := fn("teams", []string{"id", "name", "code", "created_by", "created_at"}, rows(1, func(int) []any {
		return []any{int64(ScaleTeamID), "Big team", "SCALETEAM234", int64(1), created}
	})); err != nil {
		return err
	}
	if err := fn("team_members", []string{"team_id", "user_id", "role", "joined_at"}, rows(s.Learners+1, func(i int) []any {
		role := supportlab.TeamRoleMember
		if i == 0 {
			role = supportlab.TeamRoleTrainer
		}
		return []any{int64(ScaleTeamID), int64(i + 1), role, created}
	})); err != nil {
		return err
	}
	// Eight assignments (four quizzes, four scenarios) without due dates,
	// whose states the dashboard computes for its page of learners.
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	if err := fn("assignments", []string{"id", "team_id", "kind", "uid", "due", "created_by", "created_at"}, rows(8, func(i int) []any {
		if i < 4 {
			return []any{int64(i + 1), int64(ScaleTeamID), supportlab.KindQuiz, quizzes[i%len(quizzes)].UID, nil, int64(1), t0}
		}
		return []any{int64(i + 1), int64(ScaleTeamID), supportlab.KindSandbox, scenarios[i%len(scenarios)], nil, int64(1), t0}
	})); err != nil {
		return err
	}
	if err := fn("attempts", []string{"id", "user_id", "kind", "uid", "version", "score", "passed", "at", "detail", "expected", "chosen", "right_count"}, rows(s.Attempts, func(n int) []any {
		a := s.attempt(n, quizzes, scenarios)
		passed := int64(0)
		if a.passed {
			passed = 1
		}
		var right any // NULL for a sandbox attempt
		detail := "{}"
		if a.kind == supportlab.KindQuiz {
			// The detail holds the marks as a submission's does (SQLite
			// reads them there; PostgreSQL copies them from attempt_marks).
			d := supportlab.Attempt{Kind: a.kind, Score: a.score, Asked: a.questions, Answers: map[string][]int{}, Right: map[string]bool{}}
			total := int64(0)
			for k, m := range a.marks {
				total += int64(m)
				d.Right[a.questions[k]] = m == 1
			}
			buf, err := d.Detail()
			if err != nil {
				panic(err) // a generated attempt is always valid
			}
			right, detail = total, string(buf)
		}
		return []any{int64(n + 1), a.user, a.kind, a.uid, int64(1), int64(a.score), passed, a.at, detail, a.expected, a.chosen, right}
	})); err != nil {
		return err
	}
	// Marks: every question of every quiz attempt, in attempt order.
	n, k := 0, 0
	var cur scaleAttempt
	return fn("attempt_marks", []string{"attempt_id", "question_id", "mark"}, func() ([]any, error) {
		for k >= len(cur.marks) {
			if n >= s.Attempts {
				return nil, nil
			}
			cur, k = s.attempt(n, quizzes, scenarios), 0
			n++
		}
		k++
		return []any{int64(n), cur.questions[k-1], int64(cur.marks[k-1])}, ctx.Err()
	})
}

// BenchmarkTeam measures what the dashboard and the exports of the
// Scale's team ask of the store: TeamStats for the first page of 100
// learners (the dashboard), the summary a learner member sees, and
// TeamScores (every row of scores.csv and of the scores API).
func BenchmarkTeam(b *testing.B, s Store) {
	ctx := context.Background()
	b.Run("dashboard", func(b *testing.B) {
		for b.Loop() {
			st, err := s.TeamStats(ctx, ScaleTeamID, supportlab.StatsQuery{Limit: 100})
			if err != nil || len(st.Members) != 100 {
				b.Fatalf("TeamStats: %v (%d members)", err, len(st.Members))
			}
		}
	})
	b.Run("dashboard-summary", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.TeamStats(ctx, ScaleTeamID, supportlab.StatsQuery{SummaryOnly: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("scores", func(b *testing.B) {
		rows := 0
		for b.Loop() {
			list, err := s.TeamScores(ctx, ScaleTeamID)
			if err != nil || len(list) == 0 {
				b.Fatalf("TeamScores: %v (%d rows)", err, len(list))
			}
			rows = len(list)
		}
		b.ReportMetric(float64(rows), "rows")
	})
}

// BenchmarkSubmissions measures quiz submissions (CreateAttempt of a
// 10-question quiz attempt with its marks, committed before it returns) by
// writers goroutines at once, each for a learner of its own among the
// Scale's, and reports attempts per second.
func BenchmarkSubmissions(b *testing.B, s Store, writers int) {
	ctx := context.Background()
	asked := []string{"q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10"}
	var next atomic.Int64
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	total := int64(b.N)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= total {
				a := &supportlab.Attempt{UserID: int64(2 + w), Kind: supportlab.KindQuiz, UID: "quiz-1", Version: 1, Score: 70,
					Asked: asked, Answers: map[string][]int{"q1": {0}}, Right: map[string]bool{"q1": true, "q3": true}}
				if err := s.CreateAttempt(ctx, a); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "attempts/s")
}

package web

import (
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
)

// meItemScore is a learner's record on one quiz or scenario.
type meItemScore struct {
	Kind     string
	UID      string
	Title    string
	Link     string
	Best     int
	Attempts int
	Passed   bool // at least one attempt passed
}

// meHistoryRow is one attempt in the history table.
type meHistoryRow struct {
	Kind     string
	UID      string
	Title    string
	Link     string
	Version  int
	Score    int
	Passed   bool
	Datetime string // machine-readable, for <time datetime>
	Date     string // as shown
}

type mePage struct {
	Page
	Modules []moduleProgress
	Badges  []moduleProgress
	Quizzes []meItemScore
	Sandbox []meItemScore
	History []meHistoryRow
}

// attemptItemTitle names a quiz or scenario by its current title, or by its uid
// when the file is gone.
func (s *Server) attemptItemTitle(kind, uid string) (title, link string) {
	switch kind {
	case supportlab.KindQuiz:
		if q, err := s.cfg.Bank.Quiz(uid); err == nil {
			return q.Title, "/quiz/" + uid
		}
	case supportlab.KindSandbox:
		if sc, err := s.cfg.Bank.Scenario(uid); err == nil {
			return sc.Title, "/sandbox/" + uid
		}
	}
	return uid, ""
}

// me shows the signed-in learner's progress, badges, best scores and every
// attempt. Best scores, for the table and for progress, come from the
// attempt list itself, which the page reads anyway.
func (s *Server) me(c *fiber.Ctx) error {
	u, err := requireUser(c)
	if err != nil {
		return err
	}
	p := s.page(c, "")
	p.Title, p.Nav = p.T("me.title"), "me"
	attempts, err := s.cfg.Attempts.ListAttempts(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	data := mePage{Page: p}
	items := map[string]*meItemScore{}
	for _, a := range attempts {
		title, link := s.attemptItemTitle(a.Kind, a.UID)
		data.History = append(data.History, meHistoryRow{
			Kind: a.Kind, UID: a.UID, Title: title, Link: link, Version: a.Version,
			Score: a.Score, Passed: a.Passed,
			Datetime: a.At.UTC().Format(time.RFC3339), Date: a.At.UTC().Format("2006-01-02 15:04 UTC"),
		})
		key := supportlab.BestKey(a.Kind, a.UID)
		it := items[key]
		if it == nil {
			it = &meItemScore{Kind: a.Kind, UID: a.UID, Title: title, Link: link}
			items[key] = it
		}
		it.Attempts++
		it.Best = max(it.Best, a.Score)
		it.Passed = it.Passed || a.Passed
	}
	best := make(map[string]int, len(items))
	for key, it := range items {
		best[key] = it.Best
		if it.Kind == supportlab.KindQuiz {
			data.Quizzes = append(data.Quizzes, *it)
		} else {
			data.Sandbox = append(data.Sandbox, *it)
		}
	}
	for _, list := range [][]meItemScore{data.Quizzes, data.Sandbox} {
		sort.Slice(list, func(i, j int) bool { return list[i].Title < list[j].Title })
	}
	if data.Modules, err = s.progressFrom(c, s.cfg.Lessons.Modules(p.Lang), best); err != nil {
		return err
	}
	for _, m := range data.Modules {
		if m.Badge {
			data.Badges = append(data.Badges, m)
		}
	}
	return c.Render("me", data)
}

package training

import (
	"context"
	"slices"

	"supportlab/app/supportlab"
)

// Item analysis a trainer can trust: one version of a quiz at a time (a
// question edited between versions is another question), the questions in
// the quiz's order and by their text, discrimination as a coefficient from
// −1 to 1, and no verdict on fewer than supportlab.MinItemAnalysisAttempts
// first attempts.

// ItemAnalysis is the analysis of one version of one quiz.
type ItemAnalysis struct {
	UID, Title string
	Version    int
	// Versions are the versions with first attempts, newest first: what
	// the version picker offers.
	Versions []int
	Rows     []ItemRow
}

// ItemRow is one question of the version analysed.
type ItemRow struct {
	// Question is the question as the version has it; nil when the
	// version's text could not be read again (ID names it then).
	Question *supportlab.Question
	ID       string
	// N is the number of first attempts that asked the question.
	N int
	// Facility is the share of right answers, from 0 to 100.
	Facility    float64
	HasFacility bool
	// Discrimination is the correlation, from −1 to 1, between getting
	// the question right and the rest of the attempt.
	Discrimination    float64
	HasDiscrimination bool
	// Enough: N reaches MinItemAnalysisAttempts, so the figures may be
	// judged; Flagged: enough, and the discrimination is negative, which
	// usually means a wrong answer key or an ambiguous question.
	Enough, Flagged bool
}

// itemAnalyses builds the analysis of each quiz of qs (ordered by quiz,
// version and question, as the store gives them), for the version picks
// names or the newest with first attempts.
func (s *Service) itemAnalyses(ctx context.Context, qs []supportlab.QuestionStat, picks map[string]int) ([]ItemAnalysis, error) {
	var out []ItemAnalysis
	for start := 0; start < len(qs); {
		uid := qs[start].QuizUID
		end := start
		byVersion := map[int][]supportlab.QuestionStat{}
		var versions []int
		for ; end < len(qs) && qs[end].QuizUID == uid; end++ {
			v := qs[end].Version
			if byVersion[v] == nil {
				versions = append(versions, v)
			}
			byVersion[v] = append(byVersion[v], qs[end])
		}
		start = end
		slices.Sort(versions)
		slices.Reverse(versions)
		a := ItemAnalysis{UID: uid, Title: uid, Version: versions[0], Versions: versions}
		if v, ok := picks[uid]; ok && byVersion[v] != nil {
			a.Version = v
		}
		quiz, err := s.quizVersion(ctx, uid, a.Version)
		if err != nil {
			return nil, err
		}
		stats := map[string]supportlab.QuestionStat{}
		var order []string
		for _, st := range byVersion[a.Version] {
			stats[st.QuestionID] = st
			order = append(order, st.QuestionID)
		}
		if quiz != nil {
			a.Title = quiz.Title
			var rest []string
			for _, id := range order {
				if quiz.Question(id) == nil {
					rest = append(rest, id)
				}
			}
			order = order[:0]
			for _, q := range quiz.Questions {
				order = append(order, q.ID)
			}
			order = append(order, rest...)
		}
		for _, id := range order {
			row := itemRow(stats[id])
			row.ID = id
			if quiz != nil {
				row.Question = quiz.Question(id)
			}
			a.Rows = append(a.Rows, row)
		}
		out = append(out, a)
	}
	return out, nil
}

// itemRow turns a question's sums into its figures.
func itemRow(st supportlab.QuestionStat) ItemRow {
	row := ItemRow{N: st.N, Enough: st.N >= supportlab.MinItemAnalysisAttempts}
	row.Facility, row.HasFacility = st.Facility()
	row.Discrimination, row.HasDiscrimination = st.Discrimination()
	row.Flagged = row.Enough && row.HasDiscrimination && row.Discrimination < 0
	return row
}

// quizVersion returns version v of quiz uid with its questions: the quiz
// in the bank when it is that version (live or retired), else the version's
// text read again; nil when neither is there.
func (s *Service) quizVersion(ctx context.Context, uid string, v int) (*supportlab.Quiz, error) {
	if q, err := s.cfg.Bank.Quiz(uid); err == nil && q.Version == v {
		return q, nil
	}
	if s.cfg.History == nil {
		return nil, nil
	}
	iv, err := s.cfg.History.FindItemVersion(ctx, supportlab.KindQuiz, uid, v)
	if supportlab.ErrorCode(err) == supportlab.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	text, req, err := s.versionText(iv)
	if err != nil {
		return nil, nil // a body that cannot be read: the questions go by id
	}
	item, ps := s.cfg.Bank.ParseImport(editorFilename(req.Format), text, supportlab.ImportMeta{UID: uid, Title: req.Title, Lang: req.Lang})
	if len(ps) > 0 || item.Quiz == nil {
		return nil, nil
	}
	return item.Quiz, nil
}

package training

import (
	"context"

	"supportlab/app/supportlab"
)

// ImportRequest is an uploaded quiz or scenario file and what the trainer
// typed beside it.
type ImportRequest struct {
	Filename string
	Source   []byte
	Meta     supportlab.ImportMeta
}

// Import checks an uploaded file by the rules of the shipped files, stores
// it as the next version of its uid and makes that version live. A file
// with problems is refused with every problem (a supportlab.Problems
// error, each as path:line: message) and stores nothing.
func (s *Service) Import(ctx context.Context, actor *supportlab.User, req ImportRequest) (*supportlab.Item, error) {
	if err := requireTrainer(actor); err != nil {
		return nil, err
	}
	switch {
	case req.Meta.UID != "" && !supportlab.ValidUID(req.Meta.UID):
		return nil, supportlab.Invalid([]supportlab.FieldError{{Field: "uid", Key: "author.bad_uid", Args: []any{"UID", req.Meta.UID}}})
	case req.Filename == "" && len(req.Source) == 0:
		return nil, supportlab.Invalid([]supportlab.FieldError{{Field: "file", Key: "author.no_file"}})
	case len(req.Source) == 0:
		return nil, supportlab.Invalid([]supportlab.FieldError{{Field: "file", Key: "author.empty"}})
	case len(req.Source) > supportlab.MaxImportBytes:
		return nil, supportlab.Invalid([]supportlab.FieldError{{Field: "file", Key: "author.too_large", Args: []any{"KB", supportlab.MaxImportBytes >> 10}}})
	}
	item, ps := s.cfg.Bank.ParseImport(req.Filename, req.Source, req.Meta)
	if len(ps) > 0 {
		ps.Sort()
		return nil, ps
	}
	imp := &supportlab.Import{
		Kind: item.Kind(), UID: item.UID(), Format: item.Format, Filename: req.Filename,
		Title: req.Meta.Title, Lang: req.Meta.Lang, Source: req.Source, AuthorID: actor.ID,
	}
	if err := s.cfg.Imports.SaveImport(ctx, imp, item.Hash, item.Body); err != nil {
		return nil, err
	}
	s.publish(item, imp.Version)
	return item, nil
}

// ReloadImports makes the newest import of every uid live again at
// start-up, through the same parsing and publishing as a browser import,
// and reads which items are retired. An import that no longer validates
// (the rules changed) is logged and skipped, never deleted. On a database
// several processes share, it runs again whenever another process imported
// a file, so that their retirements reach this one too.
func (s *Service) ReloadImports(ctx context.Context) error {
	if s.cfg.History != nil {
		retired, err := s.cfg.History.RetiredItems(ctx)
		if err != nil {
			return err
		}
		s.retired.replace(retired)
	}
	imps, err := s.cfg.Imports.LatestImports(ctx)
	if err != nil {
		return err
	}
	for _, imp := range imps {
		item, ps := s.cfg.Bank.ParseImport(imp.Filename, imp.Source, supportlab.ImportMeta{UID: imp.UID, Title: imp.Title, Lang: imp.Lang})
		if len(ps) > 0 {
			s.log.Warn("imported file no longer validates; skipped", "uid", imp.UID, "problems", ps.Error())
			continue
		}
		s.publish(item, imp.Version)
	}
	return nil
}

// publish makes version of item live unless a newer one already is.
func (s *Service) publish(item *supportlab.Item, version int) {
	item.SetVersion(version)
	if !s.cfg.Bank.Publish(item) {
		s.log.Info("a newer version is already live; kept it", "uid", item.UID(), "version", version)
	}
}

// Bank lists every live quiz and scenario, of every language, for the
// authoring page of trainers and admins.
func (s *Service) Bank(actor *supportlab.User) ([]*supportlab.Quiz, []*supportlab.Scenario, error) {
	if err := requireTrainer(actor); err != nil {
		return nil, nil, err
	}
	return s.cfg.Bank.Quizzes(""), s.cfg.Bank.Scenarios(""), nil
}

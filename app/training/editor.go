package training

import (
	"context"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"supportlab/app/supportlab"
	"supportlab/app/textdiff"
)

// Editing in the browser (SPEC): a trainer writes a quiz or scenario as
// text, previews it as a learner would see it, and saves it as the next
// version, through the same checks and publishing as an uploaded file.
// Every version keeps its text, so that it can be read, compared with the
// one before and restored; a retired item disappears for learners and
// stays for trainers.

// Formats the editor's format field takes: the text's format, as a trainer
// names it (the YAML variants are told apart by their content).
const (
	FormatYAML  = "yaml"
	FormatGIFT  = "gift"
	FormatAiken = "aiken"
)

// EditorFormats lists the editor's formats in the order the form offers them.
var EditorFormats = []string{FormatYAML, FormatGIFT, FormatAiken}

// editorFilename is the name an editor text is read under: quizbank tells
// formats by extension first, and problems are located in it.
func editorFilename(format string) string {
	switch format {
	case FormatGIFT:
		return "editor.gift"
	case FormatAiken:
		return "editor.aiken"
	}
	return "editor.yml"
}

// editorFormat names the editor format of a stored import's format.
func editorFormat(importFormat string) string {
	switch importFormat {
	case FormatGIFT, FormatAiken:
		return importFormat
	}
	return FormatYAML
}

// EditorRequest is the editor's form: the text and what the trainer typed
// beside it. UID, when set, names the item whatever the text says (GIFT and
// Aiken texts have no uid and need it); Title and Lang are for GIFT and
// Aiken, which have neither.
type EditorRequest struct {
	Text, Format, UID, Title, Lang string
}

// importRequest checks the editor's fields (each problem for its field)
// and turns them into what an upload would have been. A text sent without
// a format is read as YAML, the native format.
func (req EditorRequest) importRequest() (ImportRequest, error) {
	if req.Format == "" {
		req.Format = FormatYAML
	}
	var fs []supportlab.FieldError
	add := func(field, key string, args ...any) {
		fs = append(fs, supportlab.FieldError{Field: field, Key: key, Args: args})
	}
	if !slices.Contains(EditorFormats, req.Format) {
		add("format", "editor.error.format")
	}
	switch {
	case req.UID != "" && !supportlab.ValidUID(req.UID):
		add("uid", "author.bad_uid", "UID", req.UID)
	case req.UID == "" && (req.Format == FormatGIFT || req.Format == FormatAiken):
		add("uid", "editor.error.uid_required")
	}
	switch {
	case strings.TrimSpace(req.Text) == "":
		add("text", "editor.error.empty")
	case len(req.Text) > supportlab.MaxImportBytes:
		add("text", "author.too_large", "KB", supportlab.MaxImportBytes>>10)
	case !utf8.ValidString(req.Text):
		add("text", "error.text.bad_encoding")
	}
	if req.Lang != "" && !supportlab.ValidLanguage(req.Lang) {
		add("lang", "editor.error.lang")
	}
	if err := supportlab.Invalid(fs); err != nil {
		return ImportRequest{}, err
	}
	return ImportRequest{
		Filename: editorFilename(req.Format),
		Source:   []byte(req.Text),
		Meta:     supportlab.ImportMeta{UID: req.UID, Title: strings.TrimSpace(req.Title), Lang: req.Lang},
	}, nil
}

// PreviewItem reads an editor text as a save would and returns the quiz or
// scenario it makes, storing nothing. A text with problems gives them all,
// sorted, as a supportlab.Problems error; a field the form holds wrong is
// an EINVALID error with a problem per field.
func (s *Service) PreviewItem(ctx context.Context, actor *supportlab.User, req EditorRequest) (*supportlab.Item, error) {
	if err := requireTrainer(actor); err != nil {
		return nil, err
	}
	ir, err := req.importRequest()
	if err != nil {
		return nil, err
	}
	item, ps := s.cfg.Bank.ParseImport(ir.Filename, ir.Source, ir.Meta)
	if len(ps) > 0 {
		ps.Sort()
		return nil, ps
	}
	return item, nil
}

// SaveItem stores an editor text as the next version of its item and makes
// it live, exactly as an import of the same text would (Import).
func (s *Service) SaveItem(ctx context.Context, actor *supportlab.User, req EditorRequest) (*supportlab.Item, error) {
	if err := requireTrainer(actor); err != nil {
		return nil, err
	}
	ir, err := req.importRequest()
	if err != nil {
		return nil, err
	}
	return s.Import(ctx, actor, ir)
}

// errNoItem is what an item without a version or a live copy gives.
var errNoItem = supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.item")

// errNoHistory is what the history features answer on a store that does
// not keep it yet.
var errNoHistory = supportlab.NewError(supportlab.EUNAVAILABLE, "editor.error.no_history")

// ItemKind resolves which item uid names: kind when it is quiz or sandbox,
// else the quiz of that uid if there is one (live, retired or only in the
// history), else the scenario. A quiz and a scenario may share a uid; the
// pages then tell them apart with ?kind=sandbox.
func (s *Service) ItemKind(ctx context.Context, kind, uid string) (string, error) {
	if kind == supportlab.KindQuiz || kind == supportlab.KindSandbox {
		return kind, nil
	}
	if _, err := s.cfg.Bank.Quiz(uid); err == nil {
		return supportlab.KindQuiz, nil
	}
	if _, err := s.cfg.Bank.Scenario(uid); err == nil {
		return supportlab.KindSandbox, nil
	}
	if s.cfg.History != nil && supportlab.ValidUID(uid) {
		for _, k := range []string{supportlab.KindQuiz, supportlab.KindSandbox} {
			vs, err := s.cfg.History.ItemVersions(ctx, k, uid)
			if err != nil {
				return "", err
			}
			if len(vs) > 0 {
				return k, nil
			}
		}
	}
	return "", errNoItem
}

// Draft is an item's latest text, ready for the editor.
type Draft struct {
	Kind, UID string
	Version   int
	Text      string
	EditorRequest
	Retired bool
}

// NewDraft is the editor of a new quiz or scenario: an empty YAML text in
// lang, for trainers and admins.
func (s *Service) NewDraft(actor *supportlab.User, lang string) (*Draft, error) {
	if err := requireTrainer(actor); err != nil {
		return nil, err
	}
	return &Draft{EditorRequest: EditorRequest{Format: FormatYAML, Lang: lang}}, nil
}

// SharedUID reports whether a quiz and a scenario both have uid (live or
// retired), so that the pages of the scenario must say which they mean.
func (s *Service) SharedUID(uid string) bool {
	_, qerr := s.cfg.Bank.Quiz(uid)
	_, serr := s.cfg.Bank.Scenario(uid)
	return qerr == nil && serr == nil
}

// EditItem returns the text of the latest version of kind/uid for the
// editor: the text saved by a trainer, the file shipped with the app, or
// the version rebuilt as YAML.
func (s *Service) EditItem(ctx context.Context, actor *supportlab.User, kind, uid string) (*Draft, error) {
	if err := requireTrainer(actor); err != nil {
		return nil, err
	}
	kind, err := s.ItemKind(ctx, kind, uid)
	if err != nil {
		return nil, err
	}
	d := &Draft{Kind: kind, UID: uid, Retired: s.retired.has(kind, uid)}
	if s.cfg.History != nil {
		vs, err := s.cfg.History.ItemVersions(ctx, kind, uid)
		if err != nil {
			return nil, err
		}
		if len(vs) > 0 {
			v := vs[len(vs)-1]
			text, req, err := s.versionText(v)
			if err != nil {
				return nil, err
			}
			d.Version, d.Text, d.EditorRequest = v.Version, string(text), req
			return d, nil
		}
	}
	// No history to read: the shipped file, if it is one.
	if s.cfg.Shipped != nil {
		if src, _, ok := s.cfg.Shipped.ShippedSource(kind, uid); ok {
			d.Text, d.EditorRequest = string(src), EditorRequest{Text: string(src), Format: FormatYAML, UID: uid}
			return d, nil
		}
	}
	return nil, errNoItem
}

// versionText is the text of a version and the editor form that saves it
// again: what a trainer saved, the shipped file when this version is its
// content, or the body written as YAML.
func (s *Service) versionText(v *supportlab.ItemVersion) ([]byte, EditorRequest, error) {
	if v.Imported {
		return v.Source, EditorRequest{Text: string(v.Source), Format: editorFormat(v.Format), UID: v.UID, Title: v.Title, Lang: v.Lang}, nil
	}
	if s.cfg.Shipped != nil {
		if src, hash, ok := s.cfg.Shipped.ShippedSource(v.Kind, v.UID); ok && hash == v.Hash {
			return src, EditorRequest{Text: string(src), Format: FormatYAML, UID: v.UID}, nil
		}
	}
	src, err := sourceFromBody(v.Kind, v.Body)
	if err != nil {
		return nil, EditorRequest{}, err
	}
	return src, EditorRequest{Text: string(src), Format: FormatYAML, UID: v.UID}, nil
}

// History is the version list of one quiz or scenario, newest first.
type History struct {
	Kind, UID, Title string
	// Live is the version learners get (0 when none is live).
	Live     int
	Retired  bool
	Versions []VersionEntry
}

// VersionEntry is one version with what the history page shows of it.
type VersionEntry struct {
	*supportlab.ItemVersion
	// Questions is the number of questions, -1 for a scenario.
	Questions int
	// Shipped: the version came with the app, not from a trainer.
	Shipped bool
	// Diff is the change from the version before, in hunks with three
	// lines of context; Removed and Added count its lines. The first
	// version has none.
	Diff           []textdiff.Hunk
	Removed, Added int
}

// ItemHistory lists every version of kind/uid with its diff to the one
// before, for trainers and admins.
func (s *Service) ItemHistory(ctx context.Context, actor *supportlab.User, kind, uid string) (*History, error) {
	if err := requireTrainer(actor); err != nil {
		return nil, err
	}
	if s.cfg.History == nil {
		return nil, errNoHistory
	}
	kind, err := s.ItemKind(ctx, kind, uid)
	if err != nil {
		return nil, err
	}
	vs, err := s.cfg.History.ItemVersions(ctx, kind, uid)
	if err != nil {
		return nil, err
	}
	h := &History{Kind: kind, UID: uid, Title: uid, Retired: s.retired.has(kind, uid)}
	switch kind {
	case supportlab.KindQuiz:
		if q, err := s.cfg.Bank.Quiz(uid); err == nil {
			h.Title, h.Live = q.Title, q.Version
		}
	case supportlab.KindSandbox:
		if sc, err := s.cfg.Bank.Scenario(uid); err == nil {
			h.Title, h.Live = sc.Title, sc.Version
		}
	}
	if len(vs) == 0 && h.Live == 0 {
		return nil, errNoItem
	}
	var prev []byte
	for i, v := range vs {
		text, _, err := s.versionText(v)
		if err != nil {
			return nil, err
		}
		e := VersionEntry{ItemVersion: v, Questions: questionCount(kind, v.Body), Shipped: !v.Imported}
		if i > 0 {
			lines := textdiff.Diff(string(prev), string(text))
			e.Diff = textdiff.Hunks(lines, 3)
			e.Removed, e.Added = textdiff.Counts(lines)
		}
		h.Versions = append(h.Versions, e)
		prev = text
	}
	slices.Reverse(h.Versions)
	return h, nil
}

// VersionSource returns the text of one version, as saved.
func (s *Service) VersionSource(ctx context.Context, actor *supportlab.User, kind, uid string, version int) ([]byte, error) {
	if err := requireTrainer(actor); err != nil {
		return nil, err
	}
	if s.cfg.History == nil {
		return nil, errNoHistory
	}
	kind, err := s.ItemKind(ctx, kind, uid)
	if err != nil {
		return nil, err
	}
	v, err := s.cfg.History.FindItemVersion(ctx, kind, uid, version)
	if err != nil {
		return nil, err
	}
	text, _, err := s.versionText(v)
	return text, err
}

// RestoreVersion makes a new version of kind/uid with the text of an older
// one, through the same path as a save; the older version is untouched.
// A text that no longer passes today's checks gives its problems.
func (s *Service) RestoreVersion(ctx context.Context, actor *supportlab.User, kind, uid string, version int) (*supportlab.Item, error) {
	if err := requireTrainer(actor); err != nil {
		return nil, err
	}
	if s.cfg.History == nil {
		return nil, errNoHistory
	}
	kind, err := s.ItemKind(ctx, kind, uid)
	if err != nil {
		return nil, err
	}
	if version <= 0 {
		return nil, supportlab.Invalid([]supportlab.FieldError{{Field: "version", Key: "editor.error.version"}})
	}
	v, err := s.cfg.History.FindItemVersion(ctx, kind, uid, version)
	if supportlab.ErrorCode(err) == supportlab.ENOTFOUND {
		return nil, supportlab.Invalid([]supportlab.FieldError{{Field: "version", Key: "editor.error.version"}})
	} else if err != nil {
		return nil, err
	}
	_, req, err := s.versionText(v)
	if err != nil {
		return nil, err
	}
	req.UID = uid // the version belongs to uid, whatever its text says
	return s.SaveItem(ctx, actor, req)
}

// Retire takes kind/uid away from learners (retired "true") or gives it
// back ("false"): a retired quiz or scenario answers "not found" and leaves
// every list; its versions and attempts stay, and trainers still see it on
// /author. It returns the kind of the item.
func (s *Service) Retire(ctx context.Context, actor *supportlab.User, kind, uid, retiredValue string) (string, error) {
	if err := requireTrainer(actor); err != nil {
		return "", err
	}
	if s.cfg.History == nil {
		return "", errNoHistory
	}
	var retired bool
	switch retiredValue {
	case "true":
		retired = true
	case "false":
	default:
		return "", supportlab.Invalid([]supportlab.FieldError{{Field: "retired", Key: "editor.error.retired"}})
	}
	kind, err := s.ItemKind(ctx, kind, uid)
	if err != nil {
		return "", err
	}
	if err := s.cfg.History.SetRetired(ctx, kind, uid, retired, actor.ID); err != nil {
		return "", err
	}
	s.retired.set(kind, uid, retired)
	return kind, nil
}

// Retired reports whether kind/uid is retired, for the trainers' pages.
func (s *Service) Retired(kind, uid string) bool { return s.retired.has(kind, uid) }

// retiredSet is the set of retired items, read by every learner request and
// written when a trainer retires one or the imports are reloaded.
type retiredSet struct {
	mu sync.RWMutex
	m  map[string]bool
}

func (r *retiredSet) has(kind, uid string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.m[supportlab.BestKey(kind, uid)]
}

func (r *retiredSet) set(kind, uid string, retired bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[string]bool{}
	}
	if retired {
		r.m[supportlab.BestKey(kind, uid)] = true
	} else {
		delete(r.m, supportlab.BestKey(kind, uid))
	}
}

func (r *retiredSet) replace(m map[string]bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m = m
}

package supportlab

// Curriculum is the lesson modules of every language, loaded once at
// start-up. The training use cases read it to compute progress and badges.
type Curriculum interface {
	// Modules returns the modules of lang in their order.
	Modules(lang string) []*Module
	// Module returns one module of lang, or ENOTFOUND.
	Module(lang, slug string) (*Module, error)
}

// QuizBank is the set of live quizzes and scenarios: the shipped files and
// the newest import of each uid. It is safe for concurrent use.
type QuizBank interface {
	// Quiz returns the live quiz uid, or ENOTFOUND.
	Quiz(uid string) (*Quiz, error)
	// Scenario returns the live scenario uid, or ENOTFOUND.
	Scenario(uid string) (*Scenario, error)
	// Quizzes lists the live quizzes of lang ("" for every language).
	Quizzes(lang string) []*Quiz
	// Scenarios lists the live scenarios of lang ("" for every language).
	Scenarios(lang string) []*Scenario
	// ParseImport reads an uploaded file of any supported format, checked
	// by the same rules as the shipped files; it returns every problem.
	ParseImport(name string, src []byte, meta ImportMeta) (*Item, Problems)
	// Publish makes item live unless a newer version of its uid already
	// is, so that two imports racing each other end with the newest one
	// live. It reports whether item went live.
	Publish(item *Item) bool
}

// ImportMeta is what a trainer gives beside an uploaded file, for formats
// that carry no uid, title or language of their own (GIFT, Aiken).
type ImportMeta struct {
	UID   string
	Title string
	Lang  string
}

// Item is a parsed, valid quiz or scenario file: exactly one of Quiz and
// Scenario is set. Hash and Body are what its version is made of.
type Item struct {
	Format   string
	Quiz     *Quiz
	Scenario *Scenario
	Hash     string
	Body     []byte
}

// Kind is KindQuiz or KindSandbox.
func (it *Item) Kind() string {
	if it.Scenario != nil {
		return KindSandbox
	}
	return KindQuiz
}

// UID is the uid of the quiz or scenario.
func (it *Item) UID() string {
	if it.Scenario != nil {
		return it.Scenario.UID
	}
	return it.Quiz.UID
}

// Version is the version number the store gave the item.
func (it *Item) Version() int {
	if it.Scenario != nil {
		return it.Scenario.Version
	}
	return it.Quiz.Version
}

// SetVersion records the version number the store gave the item.
func (it *Item) SetVersion(v int) {
	if it.Scenario != nil {
		it.Scenario.Version = v
	} else {
		it.Quiz.Version = v
	}
}

// Command supportlab serves SupportLab, validates its content files and
// manages accounts. It is the only package that wires the others together:
// `go run ./app` serves, `go run ./app validate` checks lessons, quizzes and
// scenarios, `go run ./app user create` adds an account.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/library"
	"supportlab/app/locale"
	"supportlab/app/postgres"
	"supportlab/app/sqlite"
	"supportlab/app/supportlab"
	"supportlab/app/textpages"
	"supportlab/app/training"
	"supportlab/app/web"
	"supportlab/static"
	"supportlab/views"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		fmt.Fprintln(os.Stderr, "supportlab:", err)
		os.Exit(1)
	}
}

// stdin is where `user create` reads the password; tests replace it.
var stdin io.Reader = os.Stdin

// exitError ends the program with a status after its output was printed.
type exitError struct{ code int }

// Error implements error, for the rare caller that prints it.
func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// config is the server's configuration: flags, each with an environment
// variable that sets its default.
type config struct {
	Addr          string
	DB            string
	Content       string // folder to read lessons from instead of the embedded ones
	Quizzes       string // folder to read quizzes and scenarios from
	SecureCookies bool
	// TrustedProxies are the addresses of reverse proxies whose
	// X-Forwarded-For names the client.
	TrustedProxies string
}

func (c *config) flags(fs *flag.FlagSet, getenv func(string) string, server bool) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	if server {
		fs.StringVar(&c.Addr, "addr", env("SUPPORTLAB_ADDR", ":3000"), "address to listen on (SUPPORTLAB_ADDR)")
		fs.BoolVar(&c.SecureCookies, "secure-cookies", env("SUPPORTLAB_SECURE_COOKIES", "") == "true", "mark cookies Secure, when served over TLS (SUPPORTLAB_SECURE_COOKIES=true)")
		fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("SUPPORTLAB_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the client (SUPPORTLAB_TRUSTED_PROXIES)")
	}
	fs.StringVar(&c.DB, "db", env("SUPPORTLAB_DB", "data/supportlab.db"), "SQLite database file, or a postgres:// URL (SUPPORTLAB_DB)")
	fs.StringVar(&c.Content, "content", env("SUPPORTLAB_CONTENT", ""), "read lessons from this folder instead of the embedded ones (SUPPORTLAB_CONTENT)")
	fs.StringVar(&c.Quizzes, "quizzes", env("SUPPORTLAB_QUIZZES", ""), "read quizzes and scenarios from this folder instead of the embedded ones (SUPPORTLAB_QUIZZES)")
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "validate":
			return runValidate(args[1:], getenv, stdout)
		case "user":
			return runUser(ctx, args[1:], getenv, stdout)
		case "migrate-db":
			return runMigrateDB(ctx, args[1:], getenv, stdout)
		case "serve":
			args = args[1:]
		default:
			if !strings.HasPrefix(args[0], "-") {
				fmt.Fprintf(stdout, "unknown command %q: the commands are serve (the default), validate, user create and migrate-db\n", args[0])
				return exitError{2}
			}
		}
	}
	return runServe(ctx, args, getenv, stdout)
}

// load reads the library from the embedded files, or from the folders the
// configuration names.
func load(cfg config) (*library.Library, error) {
	var src library.Sources
	if cfg.Content != "" {
		src.Content, src.ContentName = os.DirFS(cfg.Content), cfg.Content
	}
	if cfg.Quizzes != "" {
		src.Quizzes, src.QuizzesName = os.DirFS(cfg.Quizzes), cfg.Quizzes
	}
	return library.Load(src)
}

// parseConfig reads a command's flags. A flag given on the command line
// wins over its environment variable, which wins over the default.
func parseConfig(name string, args []string, getenv func(string) string, stdout io.Writer, server bool) (config, error) {
	var cfg config
	fset := flag.NewFlagSet(name, flag.ContinueOnError)
	fset.SetOutput(stdout)
	cfg.flags(fset, getenv, server)
	if err := fset.Parse(args); err != nil {
		return cfg, exitError{2}
	}
	if fset.NArg() > 0 {
		fmt.Fprintf(stdout, "%s: unexpected argument %q\n", name, fset.Arg(0))
		fset.Usage()
		return cfg, exitError{2}
	}
	return cfg, nil
}

func runValidate(args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := parseConfig("validate", args, getenv, stdout, false)
	if err != nil {
		return err
	}
	cats, err := load(cfg)
	var ps supportlab.Problems
	if errors.As(err, &ps) {
		fmt.Fprintln(stdout, ps.Error())
		return exitError{1}
	} else if err != nil {
		return err
	}
	// A module is counted once, whatever number of languages it is in;
	// its units are counted in every language, as files.
	modules, units, questions := map[string]bool{}, 0, 0
	for _, lang := range supportlab.Languages {
		for _, m := range cats.Lessons.Modules(lang) {
			modules[m.Slug] = true
			units += len(m.Units)
		}
	}
	qs := cats.Bank.Quizzes("")
	for _, q := range qs {
		questions += len(q.Questions)
	}
	fmt.Fprintf(stdout, "OK: %d modules with %d units, %d quizzes with %d questions, %d scenarios; languages %v.\n",
		len(modules), units, len(qs), questions, len(cats.Bank.Scenarios("")), supportlab.Languages)
	for _, w := range cats.Warnings {
		fmt.Fprintf(stdout, "warning: %s (the unit is shown without its knowledge check)\n", w)
	}
	return nil
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	start := time.Now()
	cfg, err := parseConfig("supportlab", args, getenv, stdout, true)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stdout, nil))

	cats, err := load(cfg)
	if err != nil {
		return fmt.Errorf("content has problems:\n%w", err)
	}
	for _, w := range cats.Warnings {
		logger.Warn("a lesson names a quiz that is not loaded; the unit is shown without it", "problem", w.String())
	}
	db, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := cats.RegisterVersions(ctx, db); err != nil {
		return err
	}
	secret, err := db.Secret(ctx, "forms")
	if err != nil {
		return err
	}
	// Assignments and version history are optional services: a store
	// that does not provide them yet leaves those features unavailable.
	assignments, _ := db.store.(supportlab.AssignmentService)
	history, _ := db.store.(supportlab.HistoryService)
	svc := training.New(training.Config{
		Curriculum: cats.Lessons, Bank: cats.Bank,
		Users: db, Attempts: db, Progress: db, Imports: db, Teams: db,
		Assignments: assignments, History: history, Shipped: cats,
		Secret: secret, Logger: logger,
	})
	// Imports go live again through the same code as a browser import.
	if err := svc.ReloadImports(ctx); err != nil {
		return err
	}

	srv, err := web.New(web.Config{
		App: svc, Locale: cats.Locale,
		Views: views.FS, Static: static.FS,
		Ping:           db.Ping,
		SessionStorage: db.sessions,
		LimiterStorage: db.limits,
		SecureCookies:  cfg.SecureCookies,
		TrustedProxies: splitList(cfg.TrustedProxies),
		Secret:         secret,
		Logger:         logger,
	})
	if err != nil {
		return err
	}
	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer stopSweep()
	go db.SweepExpired(sweepCtx, 10*time.Minute)
	if db.watchImports != nil {
		// Imports saved by the other processes go live here within seconds.
		go db.watchImports(sweepCtx, importCheckInterval, svc.ReloadImports, logger)
	}

	// Loading and rendering the library leaves garbage behind: hand it back
	// to the system before serving, so that idle memory is what serving
	// needs, not what loading needed.
	debug.FreeOSMemory()
	// What serving keeps live is small (about 3 MB), and at Go's default
	// the collector runs each time as much again is allocated: dozens of
	// times a second under load, a tenth of the CPU. Collecting at five
	// times the live heap instead costs some megabytes while busy, which
	// releaseIdleMemory hands back once the load is over. GOGC, when set,
	// decides instead.
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	go releaseIdleMemory(sweepCtx, 5*time.Second, 1<<20, logger)
	go func() {
		// After start-up, off its path: the code only loading ran goes back.
		if _, err := textpages.Release(); err != nil {
			logger.Warn("release start-up code pages", "err", err)
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.App().Listen(cfg.Addr) }()
	fmt.Fprintf(stdout, "SupportLab listening on %s (database %s, ready in %s)\n", cfg.Addr, displayDSN(cfg.DB), time.Since(start).Round(time.Millisecond))

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "SupportLab shutting down: finishing requests in flight")
	if err := srv.App().ShutdownWithTimeout(10 * time.Second); err != nil {
		logger.Error("shutdown", "err", err)
	}
	return nil
}

func runUser(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	const usage = "usage: supportlab user create [-db PATH] -email E -name N -role learner|trainer|admin < password"
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stdout, usage)
		return exitError{2}
	}
	var dbPath, email, name, role string
	fset := flag.NewFlagSet("user create", flag.ContinueOnError)
	fset.SetOutput(stdout)
	fset.Usage = func() {
		fmt.Fprintln(stdout, usage)
		fmt.Fprintln(stdout, "The password is read from the first line of standard input, never from the command line.")
		fset.PrintDefaults()
	}
	dbDefault := getenv("SUPPORTLAB_DB")
	if dbDefault == "" {
		dbDefault = "data/supportlab.db"
	}
	fset.StringVar(&dbPath, "db", dbDefault, "SQLite database file, or a postgres:// URL (SUPPORTLAB_DB)")
	fset.StringVar(&email, "email", "", "email address of the account (required)")
	fset.StringVar(&name, "name", "", "name shown for the account (required)")
	fset.StringVar(&role, "role", supportlab.RoleLearner, "learner, trainer or admin")
	if err := fset.Parse(args[1:]); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return exitError{2}
	}
	if fset.NArg() > 0 {
		fmt.Fprintf(stdout, "user create: unexpected argument %q (the password is read from stdin)\n%s\n", fset.Arg(0), usage)
		return exitError{2}
	}
	tr, err := englishMessages()
	if err != nil {
		return err
	}
	if !supportlab.ValidRole(role) {
		fmt.Fprintln(stdout, "user create:", tr.T("error.role.unknown", "Role", role))
		return exitError{1}
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("user create: read the password from stdin: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		fmt.Fprintln(stdout, "user create: no password: give it on the first line of stdin.")
		return exitError{1}
	}

	db, err := openStore(ctx, dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := training.New(training.Config{Users: db})
	u, err := svc.CreateAccount(ctx, supportlab.NewUser{Email: email, Name: name, Password: password, Role: role})
	switch de := supportlab.AsError(err); {
	case err == nil:
	case de != nil && de.Code == supportlab.ECONFLICT:
		fmt.Fprintf(stdout, "user create: %s already has an account in %s; an admin can change its role on /admin/users.\n", strings.TrimSpace(email), displayDSN(dbPath))
		return exitError{1}
	case de != nil && len(de.Fields) > 0:
		for _, f := range de.Fields {
			fmt.Fprintf(stdout, "user create: -%s: %s\n", f.Field, tr.T(f.Key, f.Args...))
		}
		return exitError{1}
	case de != nil:
		fmt.Fprintln(stdout, "user create:", tr.T(de.Key, de.Args...))
		return exitError{1}
	default:
		return err
	}
	fmt.Fprintf(stdout, "Created %s account %d for %s <%s> in %s.\n", u.Role, u.ID, u.Name, u.Email, displayDSN(dbPath))
	return nil
}

// englishMessages is the interface catalogue in English, for the messages
// of the command line.
func englishMessages() (*locale.Translator, error) {
	sub, err := fs.Sub(views.FS, "locales")
	if err != nil {
		return nil, err
	}
	cat, err := locale.Load(sub)
	if err != nil {
		return nil, err
	}
	return cat.Translator("en"), nil
}

// store is what the server and the commands need of a database, whichever
// engine holds it: package sqlite and package postgres both provide it.
type store interface {
	supportlab.UserService
	supportlab.AttemptService
	supportlab.VersionService
	supportlab.ProgressService
	supportlab.ImportService
	supportlab.TeamService
	Secret(ctx context.Context, name string) ([]byte, error)
	Ping(ctx context.Context) error
	SweepExpired(ctx context.Context, interval time.Duration)
	Close() error
}

// openedStore is a store with its fiber storages, and, on PostgreSQL, the
// watch that publishes the imports other processes save.
type openedStore struct {
	store
	sessions, limits fiber.Storage
	// watchImports calls reload whenever another process imported a file;
	// nil on SQLite, where one process owns the database.
	watchImports func(ctx context.Context, interval time.Duration, reload func(context.Context) error, log *slog.Logger)
}

// serveGCPercent is the collector's target while serving (see runServe).
const serveGCPercent = 400

// importCheckInterval bounds how long an import saved by another process
// takes to go live here should its notification be lost.
const importCheckInterval = 5 * time.Second

// openStore opens the database dsn names: a postgres:// or postgresql://
// URL is a PostgreSQL database shared by every app process, anything else
// a SQLite file.
func openStore(ctx context.Context, dsn string) (*openedStore, error) {
	if postgres.IsURL(dsn) {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		return &openedStore{store: db, sessions: db.HashedStorage("session:"), limits: db.Storage("limit:"), watchImports: db.WatchImports}, nil
	}
	db, err := sqlite.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	return &openedStore{store: db, sessions: db.HashedStorage("session:"), limits: db.Storage("limit:")}, nil
}

// displayDSN is dsn fit for a log or a message: a URL loses its password.
func displayDSN(dsn string) string {
	if !postgres.IsURL(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// runMigrateDB copies a SQLite database into an empty PostgreSQL one:
// accounts, sessions, attempts, teams, imports, versions and the signing
// secret, in one transaction.
func runMigrateDB(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	const usage = "usage: supportlab migrate-db [-from SQLITE-FILE] -to postgres://user:pass@host:5432/db"
	var from, to string
	fset := flag.NewFlagSet("migrate-db", flag.ContinueOnError)
	fset.SetOutput(stdout)
	fset.Usage = func() {
		fmt.Fprintln(stdout, usage)
		fmt.Fprintln(stdout, "Copies every table of the SQLite database into an empty PostgreSQL database; stop the server first.")
		fset.PrintDefaults()
	}
	fromDefault := getenv("SUPPORTLAB_DB")
	if fromDefault == "" || postgres.IsURL(fromDefault) {
		fromDefault = "data/supportlab.db"
	}
	fset.StringVar(&from, "from", fromDefault, "SQLite database file to copy (SUPPORTLAB_DB)")
	fset.StringVar(&to, "to", "", "URL of the empty PostgreSQL database to copy into (required)")
	if err := fset.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return exitError{2}
	}
	if fset.NArg() > 0 || !postgres.IsURL(to) {
		fmt.Fprintln(stdout, "migrate-db: -to must be a postgres:// URL")
		fmt.Fprintln(stdout, usage)
		return exitError{2}
	}
	if _, err := os.Stat(from); err != nil {
		fmt.Fprintf(stdout, "migrate-db: no SQLite database at %s\n", from)
		return exitError{1}
	}
	src, err := sqlite.Open(ctx, from) // brings an older file to the current schema first
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := postgres.Open(ctx, to)
	if err != nil {
		return err
	}
	defer dst.Close()
	counts, err := dst.Load(ctx, src.Export)
	if err != nil {
		fmt.Fprintln(stdout, "migrate-db:", err)
		fmt.Fprintln(stdout, "Nothing was copied.")
		return exitError{1}
	}
	for _, c := range counts {
		fmt.Fprintf(stdout, "%-16s %d rows\n", c.Table, c.Rows)
	}
	fmt.Fprintf(stdout, "Copied %s into %s. Start the servers with -db set to that URL.\n", from, displayDSN(to))
	return nil
}

// splitList reads a comma-separated setting, ignoring spaces and empty
// entries.
func splitList(v string) []string {
	var out []string
	for _, f := range strings.Split(v, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// releaseIdleMemory hands back to the system, once the program is idle
// again after being busy, the memory the busy spell used and idling does
// not need: free heap and garbage not yet collected (Go returns freed heap
// only slowly, and an idle server runs no collection), and the pages of
// code that serving brought back (textpages). It looks every interval; a
// spell in which the program allocated less than quiet bytes is idle, so
// that nothing is forced while requests keep coming.
func releaseIdleMemory(ctx context.Context, interval time.Duration, quiet uint64, log *slog.Logger) {
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return // a Go without this metric
	}
	last, busy := sample[0].Value.Uint64(), false
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			metrics.Read(sample)
			allocs := sample[0].Value.Uint64()
			if allocs-last >= quiet {
				busy = true
			} else if busy {
				busy = false
				debug.FreeOSMemory()
				if _, err := textpages.Release(); err != nil {
					log.Warn("release code pages", "err", err)
				}
			}
			last = allocs
		}
	}
}

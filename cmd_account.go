package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"agentbar/core"
	"agentbar/core/app"
	"agentbar/core/config"
	"agentbar/core/secrets"
)

// runAccount implements `agentbar account add|list|remove|platforms`.
func runAccount(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, lang string) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, pick(lang, "用法：agentbar account add|list|remove|platforms", "usage: agentbar account add|list|remove|platforms"))
		return 2
	}
	paths, err := config.DefaultPaths()
	if err != nil {
		return fail(stderr, lang, err)
	}
	store, err := config.Open(paths.ConfigDir)
	if err != nil {
		return fail(stderr, lang, err)
	}
	switch args[0] {
	case "add":
		return accountAdd(args[1:], store, secrets.NewKeyring(), stdin, stdout, stderr, lang)
	case "list":
		out := []map[string]any{}
		for _, a := range store.Accounts() {
			out = append(out, map[string]any{"name": a.Name, "platform": a.Platform, "fields": a.Fields, "remember_password": a.RememberPassword, "auto_login": a.AutoLogin})
		}
		return printJSON(stdout, out)
	case "remove":
		if len(args) != 2 {
			fmt.Fprintln(stderr, pick(lang, "用法：agentbar account remove 账号名", "usage: agentbar account remove NAME"))
			return 2
		}
		acct, ok := store.Account(args[1])
		if !ok {
			return fail(stderr, lang, &app.AccountError{Account: args[1], Err: app.ErrNoAccount})
		}
		if err := store.RemoveAccount(args[1]); err != nil {
			return fail(stderr, lang, err)
		}
		if info, ok := core.Lookup(acct.Platform); ok {
			// The keyring entries go with the account; missing ones are fine.
			for _, kind := range app.SecretKinds(info) {
				if err := secrets.NewKeyring().Delete(acct.Name, kind); err != nil && !errors.Is(err, secrets.ErrNotFound) {
					fmt.Fprintln(stderr, core.Sentence(err, lang))
				}
			}
		}
		return printJSON(stdout, map[string]any{"ok": true, "removed": args[1]})
	case "platforms":
		var out []map[string]any
		for _, info := range core.Platforms() {
			out = append(out, map[string]any{"id": info.ID, "name": info.Name.In(lang), "fields": info.Fields})
		}
		return printJSON(stdout, out)
	}
	fmt.Fprintf(stderr, pick(lang, "不认识的子命令“%s”。\n", "unknown subcommand %q\n"), args[0])
	return 2
}

// keyValues collects repeated --set KEY=VALUE flags.
type keyValues map[string]string

func (kv keyValues) String() string { return "" }
func (kv keyValues) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("want KEY=VALUE, got %q", s)
	}
	kv[strings.TrimSpace(k)] = v
	return nil
}

// stringList collects a repeated flag's values in order.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, strings.TrimSpace(s)); return nil }

func accountAdd(args []string, store *config.Store, keyring secrets.Store, stdin io.Reader, stdout, stderr io.Writer, lang string) int {
	fs := flag.NewFlagSet("account add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "account name")
	platform := fs.String("platform", "", "platform id (agentbar account platforms)")
	fields := keyValues{}
	fs.Var(fields, "set", "KEY=VALUE (repeat)")
	passStdin := fs.Bool("password-stdin", false, "read the password or token from standard input")
	var extraKeys stringList
	fs.Var(&extraKeys, "secret-stdin", "KEY: read that further secret field (e.g. encrypt_key) from the next line of standard input (repeat)")
	autoLogin := fs.Bool("auto-login", false, "sign in when agentbar starts")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *name == "" || *platform == "" {
		fmt.Fprintln(stderr, pick(lang, "需要 --name 和 --platform。", "--name and --platform are required."))
		return 2
	}
	info, ok := core.Lookup(*platform)
	if !ok {
		return fail(stderr, lang, fmt.Errorf("%w: %q", core.ErrUnknownPlatform, *platform))
	}
	checked, err := info.ValidateFields(fields)
	if err != nil {
		return fail(stderr, lang, err)
	}
	acct := config.Account{Name: *name, Platform: *platform, Fields: checked, AutoLogin: *autoLogin}
	extra := map[string]bool{}
	for _, f := range info.ExtraSecretFields() {
		extra[f.Key] = true
	}
	for _, k := range extraKeys {
		if !extra[k] {
			return fail(stderr, lang, &core.FieldError{Platform: info.ID, Key: k, Problem: "not a further secret field of this platform"})
		}
	}
	in := bufio.NewReader(stdin)
	readLine := func() (string, error) {
		line, err := in.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	var password string
	if *passStdin {
		if password, err = readLine(); err != nil {
			return fail(stderr, lang, err)
		}
	}
	extraValues := map[string]string{}
	for _, k := range extraKeys {
		v, err := readLine()
		if err != nil {
			return fail(stderr, lang, err)
		}
		if v != "" {
			extraValues[k] = v
		}
	}
	if password != "" {
		if err := keyring.Set(acct.Name, app.SecretKind(info), password); err != nil {
			// Still save the account: the agent can sign in by typing it.
			fmt.Fprintln(stderr, core.Sentence(err, lang))
		} else {
			acct.RememberPassword = true
		}
	}
	for _, k := range extraKeys {
		v, ok := extraValues[k]
		if !ok {
			continue
		}
		if err := keyring.Set(acct.Name, k, v); err != nil {
			fmt.Fprintln(stderr, core.Sentence(err, lang))
		}
	}
	if err := store.PutAccount(acct); err != nil {
		return fail(stderr, lang, err)
	}
	return printJSON(stdout, map[string]any{"ok": true, "name": acct.Name, "platform": acct.Platform, "fields": acct.Fields, "remember_password": acct.RememberPassword})
}

func printJSON(w io.Writer, v any) int {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return 1
	}
	return 0
}

// fail prints one sentence for the agent and returns exit status 1.
func fail(stderr io.Writer, lang string, err error) int {
	fmt.Fprintln(stderr, sentence(err, lang))
	return 1
}

// sentence prefers an error's own sentence, else the engine's generic one.
func sentence(err error, lang string) string {
	var s core.Sentencer
	if errors.As(err, &s) {
		if t := s.Sentence(lang); t != "" {
			return t
		}
	}
	return core.Sentence(err, lang) + " (" + err.Error() + ")"
}

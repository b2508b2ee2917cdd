package gui

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
	"agentbar/core/config"
	"agentbar/core/secrets"
)

// withAccounts saves accounts before the window lists them.
func withAccounts(accounts ...config.Account) harnessOption {
	return func(h *harness, o *Options) {
		for _, a := range accounts {
			if err := h.config.PutAccount(a); err != nil {
				h.t.Fatal(err)
			}
		}
	}
}

// loginRecorder is Options.Login for tests: it records what was asked and
// signs in to the fake platform unless told to refuse an account.
type loginRecorder struct {
	mu     sync.Mutex
	calls  []string // "account/password"
	refuse map[string]error
}

func (l *loginRecorder) option(h *harness, o *Options) {
	o.Login = func(ctx context.Context, account, password string) error {
		l.mu.Lock()
		l.calls = append(l.calls, account+"/"+password)
		err := l.refuse[account]
		l.mu.Unlock()
		if err != nil {
			return err
		}
		return h.engine.Login(ctx, core.LoginRequest{Account: account, Platform: "fake"})
	}
}

func (l *loginRecorder) last() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.calls) == 0 {
		return ""
	}
	return l.calls[len(l.calls)-1]
}

func TestSignInAndOut(t *testing.T) {
	wrong := platformError{"密码错误，请重新输入。", "Wrong password."}
	logins := &loginRecorder{refuse: map[string]error{"bob": wrong}}
	h := newHarness(t, withAccounts(
		config.Account{Name: "alice", Platform: "fake"},
		config.Account{Name: "bob", Platform: "form", Fields: map[string]string{"server": "wss://cti.example.com", "agent": "1001"}},
	), logins.option)
	w, p := h.w, h.w.signIn
	if !slices.Equal(p.accountSelect.Options, []string{"alice", "bob"}) || p.accountSelect.Selected != "" {
		t.Fatalf("accounts %q, chosen %q", p.accountSelect.Options, p.accountSelect.Selected)
	}
	test.Tap(p.signInButton)
	if p.signInError.Text != "请先选择一个账号。" {
		t.Errorf("sign-in without a choice says %q", p.signInError.Text)
	}

	p.accountSelect.SetSelected("bob")
	if !p.passwordRow.Visible() || p.passwordEntry.PlaceHolder != "请输入密码" {
		t.Errorf("bob's platform has a password: row %v, placeholder %q", p.passwordRow.Visible(), p.passwordEntry.PlaceHolder)
	}
	test.Type(p.passwordEntry, "s3cret")
	test.Tap(p.signInButton)
	if !p.signInButton.Disabled() || p.signInButton.Text != "登录…" {
		t.Errorf("signing in: disabled %v, text %q", p.signInButton.Disabled(), p.signInButton.Text)
	}
	h.waitFor("wrong password", func() bool { return p.signInError.Visible() && !p.signInButton.Disabled() })
	if p.signInError.Text != wrong.zh || p.signInButton.Text != "登录" || logins.last() != "bob/s3cret" {
		t.Errorf("after a refusal: error %q, button %q, asked %q", p.signInError.Text, p.signInButton.Text, logins.last())
	}

	p.accountSelect.SetSelected("alice")
	if p.passwordRow.Visible() {
		t.Error("alice's platform has no password, but the field shows")
	}
	test.Tap(p.signInButton)
	h.waitFor("signed in", func() bool { return w.shown.loggedIn && !w.signInBox.Visible() })
	if w.accountLabel.Text != "alice · 测试平台" || !w.signOutButton.Visible() || p.signInError.Visible() {
		t.Errorf("signed in: account %q, sign-out %v, old error shown %v", w.accountLabel.Text, w.signOutButton.Visible(), p.signInError.Visible())
	}

	test.Tap(w.signOutButton)
	h.expectOp("logout")
	h.waitFor("signed out", func() bool { return !w.shown.loggedIn && w.signInBox.Visible() })
	if w.accountLabel.Text != "未登录" || w.signOutButton.Visible() || p.accountSelect.Selected != "alice" {
		t.Errorf("signed out: account %q, sign-out %v, chosen %q", w.accountLabel.Text, w.signOutButton.Visible(), p.accountSelect.Selected)
	}
}

func TestSignInChoicesAndSentences(t *testing.T) {
	tests := []struct {
		name     string
		accounts []config.Account
		login    bool
		chosen   string
		sentence string
	}{
		{"the only account is chosen", []config.Account{{Name: "solo", Platform: "fake"}}, true, "solo", ""},
		{"the auto-login account is chosen", []config.Account{{Name: "a", Platform: "fake"}, {Name: "b", Platform: "fake", AutoLogin: true}}, true, "b", ""},
		{"no accounts", nil, true, "", "还没有保存的账号。请运行 agentbar account add 添加账号。"},
		{"no login function", []config.Account{{Name: "solo", Platform: "fake"}}, false, "solo", "此窗口不能登录；请用 agentbar account add 添加账号后重新启动。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, withAccounts(tt.accounts...), func(h *harness, o *Options) {
				if tt.login {
					o.Login = func(context.Context, string, string) error { return errors.New("not in this test") }
				}
			})
			p := h.w.signIn
			if p.accountSelect.Selected != tt.chosen {
				t.Errorf("chosen %q, want %q", p.accountSelect.Selected, tt.chosen)
			}
			if tt.sentence == "" {
				return
			}
			test.Tap(p.signInButton)
			if p.signInError.Text != tt.sentence {
				t.Errorf("sign-in says %q, want %q", p.signInError.Text, tt.sentence)
			}
		})
	}
}

// formItems returns the generated form's labels and widgets.
func formItems(t *testing.T, f *accountForm) ([]string, []fyne.CanvasObject) {
	t.Helper()
	if len(f.fieldsBox.Objects) != 1 {
		t.Fatalf("fields box holds %d objects", len(f.fieldsBox.Objects))
	}
	form := f.fieldsBox.Objects[0].(*widget.Form)
	var labels []string
	var objs []fyne.CanvasObject
	for _, it := range form.Items {
		labels = append(labels, it.Text)
		objs = append(objs, it.Widget)
	}
	return labels, objs
}

func TestAccountFormIsGeneratedFromTheRegistry(t *testing.T) {
	logins := &loginRecorder{}
	h := newHarness(t, logins.option)
	p := h.w.signIn
	test.Tap(p.addButton)
	f := p.form
	if f == nil || !slices.Contains(p.view.Objects, fyne.CanvasObject(f.view)) {
		t.Fatal("add does not open the form")
	}
	if want := []string{"全功能平台", "部分监控平台", "演示呼叫中心", "测试平台", "表单平台"}; !slices.Equal(sortedCopy(f.platform.Options), sortedCopy(want)) {
		t.Errorf("platforms %q", f.platform.Options)
	}
	f.platform.SetSelected("表单平台")
	labels, objs := formItems(t, f)
	if want := []string{"服务器地址 *", "工号 *", "端口", "接听方式", "号码加密", "密码 *"}; !slices.Equal(labels, want) {
		t.Errorf("fields %q, want %q", labels, want)
	}
	kinds := []string{}
	for _, o := range objs {
		switch o := o.(type) {
		case *widget.Select:
			kinds = append(kinds, "select:"+o.Selected)
		case *widget.Check:
			kinds = append(kinds, "check")
		case *widget.Entry:
			if o.Password {
				kinds = append(kinds, "password")
			} else {
				kinds = append(kinds, "entry:"+o.Text)
			}
		}
	}
	if want := []string{"entry:", "entry:", "entry:5060", "select:软电话", "check", "password"}; !slices.Equal(kinds, want) {
		t.Errorf("widgets %q, want %q", kinds, want)
	}
	form := f.fieldsBox.Objects[0].(*widget.Form)
	if form.Items[0].HintText != "如 wss://cti.example.com/ws" {
		t.Errorf("help %q", form.Items[0].HintText)
	}

	// Mistakes are named by the field's label.
	steps := []struct {
		fill func()
		want string
	}{
		{func() {}, "“账号名称”有误：不能为空"},
		{func() { test.Type(f.name, "office") }, "请填写“服务器地址”。"},
		{func() { test.Type(objs[0].(*widget.Entry), "http://cti.example.com") }, "“服务器地址”应为完整网址（wss, https），如 https://host:port/path。"},
		{func() { objs[0].(*widget.Entry).SetText("wss://cti.example.com/ws") }, "请填写“工号”。"},
		{func() { test.Type(objs[1].(*widget.Entry), "1001"); objs[2].(*widget.Entry).SetText("50x") }, "“端口”应为整数。"},
		{func() { objs[2].(*widget.Entry).SetText("5080") }, "请填写“密码”。"},
	}
	for _, s := range steps {
		s.fill()
		test.Tap(f.save)
		if got := h.w.errs[areaAccount]; got != s.want {
			t.Errorf("form says %q, want %q", got, s.want)
		}
	}

	objs[3].(*widget.Select).SetSelected("手机")
	objs[4].(*widget.Check).SetChecked(true)
	test.Type(objs[5].(*widget.Entry), "pa55")
	test.Tap(f.saveLogin)
	h.waitFor("saved and signing in", func() bool { return p.form == nil && logins.last() != "" })
	a, ok := h.config.Account("office")
	if !ok {
		t.Fatal("the account was not saved")
	}
	want := map[string]string{"server": "wss://cti.example.com/ws", "agent": "1001", "port": "5080", "mode": "pstn", "encrypt": "true"}
	if a.Platform != "form" || !maps.Equal(a.Fields, want) || !a.RememberPassword {
		t.Errorf("saved %+v", a)
	}
	if secret, err := h.keys.Get("office", "password"); err != nil || secret != "pa55" {
		t.Errorf("keyring has %q, %v", secret, err)
	}
	if logins.last() != "office/" {
		t.Errorf("signed in with %q (a remembered password comes from the keyring)", logins.last())
	}
	h.release()
	h.idle("sign-in done", func() bool { return h.w.shown.loggedIn && h.w.shown.conn == core.ConnConnected })

	// Edit: rename and stop remembering; the old name and its secret go.
	p.choose("office")
	test.Tap(p.editButton)
	f = p.form
	if f == nil {
		t.Fatal("edit does not open the form")
	}
	if f.name.Text != "office" || f.platform.Selected != "表单平台" {
		t.Fatalf("editing shows %q on %q", f.name.Text, f.platform.Selected)
	}
	_, objs = formItems(t, f)
	if objs[0].(*widget.Entry).Text != "wss://cti.example.com/ws" || objs[3].(*widget.Select).Selected != "手机" || !objs[4].(*widget.Check).Checked {
		t.Error("the form does not show the saved fields")
	}
	f.name.SetText("office2")
	f.remember.SetChecked(false)
	test.Tap(f.save)
	h.idle("renamed", func() bool { return p.form == nil })
	if _, ok := h.config.Account("office"); ok {
		t.Error("the old name is still saved")
	}
	if a, ok := h.config.Account("office2"); !ok || a.RememberPassword {
		t.Errorf("renamed account %+v", a)
	}
	for _, name := range []string{"office", "office2"} {
		if _, err := h.keys.Get(name, "password"); !errors.Is(err, secrets.ErrNotFound) {
			t.Errorf("keyring still has %s's secret (%v)", name, err)
		}
	}

	// Remove asks twice.
	p.choose("office2")
	test.Tap(p.removeButton)
	if p.removeButton.Text != "确认删除？" {
		t.Errorf("first tap: %q", p.removeButton.Text)
	}
	test.Tap(p.removeButton)
	h.idle("removed", func() bool { return !slices.Contains(p.accountSelect.Options, "office2") })
	if _, ok := h.config.Account("office2"); ok {
		t.Error("the account is still saved")
	}
}

func TestAccountFormInEnglish(t *testing.T) {
	h := newHarness(t, func(h *harness, o *Options) { o.Lang = "en" })
	p := h.w.signIn
	test.Tap(p.addButton)
	p.form.platform.SetSelected("Form platform")
	labels, objs := formItems(t, p.form)
	if want := []string{"Server *", "Agent ID *", "Port", "Answer on", "Encrypt numbers", "Password *"}; !slices.Equal(labels, want) {
		t.Errorf("fields %q", labels)
	}
	if objs[3].(*widget.Select).Selected != "Softphone" {
		t.Errorf("choice shows %q", objs[3].(*widget.Select).Selected)
	}
	test.Tap(p.form.cancel)
	if p.form != nil {
		t.Error("cancel does not close the form")
	}
}

// failingKeyring refuses to save, as a locked keyring does.
type failingKeyring struct{ *secrets.Memory }

func (failingKeyring) Set(account, kind, value string) error {
	return &secrets.UnavailableError{Op: "set", Reason: secrets.ReasonLocked, Err: errors.New("locked")}
}

func TestKeyringFailureKeepsTheAccount(t *testing.T) {
	h := newHarness(t, func(h *harness, o *Options) { o.Secrets = failingKeyring{secrets.NewMemory()} })
	p := h.w.signIn
	test.Tap(p.addButton)
	f := p.form
	f.platform.SetSelected("表单平台")
	_, objs := formItems(t, f)
	test.Type(f.name, "office")
	test.Type(objs[0].(*widget.Entry), "wss://cti.example.com")
	test.Type(objs[1].(*widget.Entry), "1001")
	test.Type(objs[5].(*widget.Entry), "pa55")
	test.Tap(f.save)
	h.idle("keyring refusal", func() bool { return f.errLabel.Visible() })
	if _, ok := h.config.Account("office"); !ok {
		t.Error("the account was lost with the keyring's refusal")
	}
	if p.form == nil || f.editing != "office" {
		t.Error("the form closed or forgot it edits the saved account")
	}
}

func TestDemoEntry(t *testing.T) {
	var mu sync.Mutex
	var got []string
	h := newHarness(t, func(h *harness, o *Options) {
		o.LoginDemo = func(ctx context.Context, platform string, fields map[string]string) error {
			mu.Lock()
			got = append(got, platform+":"+fields["login_as"])
			mu.Unlock()
			return h.engine.Login(ctx, core.LoginRequest{Account: "demo", Platform: "fake"})
		}
	})
	p := h.w.signIn
	if len(p.demos) != 1 {
		t.Fatalf("%d demo entries", len(p.demos))
	}
	d := p.demos[0]
	if s := d.choices["login_as"]; s.Selected != "演示坐席 8001" {
		t.Errorf("default choice %q", s.Selected)
	}
	d.choices["login_as"].SetSelected("演示班长 8000")
	test.Tap(d.button)
	h.waitFor("demo signed in", func() bool { return h.w.shown.loggedIn })
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(got, []string{"demo:8000"}) {
		t.Errorf("demo sign-ins %q", got)
	}
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

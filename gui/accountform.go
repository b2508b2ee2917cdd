package gui

import (
	"context"
	"errors"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
	"agentbar/core/app"
	"agentbar/core/config"
	"agentbar/core/secrets"
)

// accountForm adds or edits a saved account. The platform chooser lists
// the registry's platforms; choosing one shows exactly the fields that
// platform declares (core.Info.Fields): text, number, URL and secret
// entries, choices, switches, each with its label and help in the window's
// language. Nothing about any platform is written here.
type accountForm struct {
	p       *signInPanel
	editing string // the account's name before editing; "" when adding

	platforms []core.Info
	info      core.Info // the chosen platform
	inputs    []*fieldInput

	name      *widget.Entry
	platform  *widget.Select
	fieldsBox *fyne.Container
	remember  *widget.Check
	autoLogin *widget.Check
	save      *widget.Button
	saveLogin *widget.Button
	cancel    *widget.Button
	errLabel  *widget.Label
	view      *fyne.Container
}

// fieldInput is the widget for one platform field.
type fieldInput struct {
	field core.Field
	obj   fyne.CanvasObject
	get   func() string
	set   func(string)
}

func newAccountForm(p *signInPanel, a config.Account) *accountForm {
	w, tr := p.w, p.w.tr
	f := &accountForm{p: p, editing: a.Name}
	if w.o.Registry != nil {
		f.platforms = w.o.Registry.Platforms()
	}
	f.name = widget.NewEntry()
	f.name.SetPlaceHolder(tr.T("account.name.placeholder"))
	f.name.SetText(a.Name)
	labels := make([]string, len(f.platforms))
	for i, info := range f.platforms {
		labels[i] = info.Name.In(tr.lang)
	}
	f.platform = widget.NewSelect(labels, func(label string) { f.platformChosen(label, nil) })
	f.platform.PlaceHolder = tr.T("account.platform.choose")
	f.fieldsBox = container.NewVBox()
	f.remember = widget.NewCheck(tr.T("account.remember"), nil)
	f.remember.SetChecked(a.RememberPassword || a.Name == "")
	f.autoLogin = widget.NewCheck(tr.T("account.autologin"), nil)
	f.autoLogin.SetChecked(a.AutoLogin)
	f.save = widget.NewButtonWithIcon(tr.T("account.save"), theme.DocumentSaveIcon(), func() { f.submit(false) })
	f.saveLogin = widget.NewButtonWithIcon(tr.T("account.save.signin"), theme.LoginIcon(), func() { f.submit(true) })
	f.saveLogin.Importance = widget.HighImportance
	f.cancel = widget.NewButtonWithIcon(tr.T("account.cancel"), theme.CancelIcon(), p.closeForm)
	f.errLabel = errorLabel()

	title := tr.T("account.add.heading")
	if a.Name != "" {
		title = tr.T("account.edit.heading", "Name", a.Name)
	}
	f.view = container.NewVBox(
		heading(title),
		widget.NewForm(
			widget.NewFormItem(tr.T("account.name"), f.name),
			widget.NewFormItem(tr.T("account.platform"), f.platform),
		),
		f.fieldsBox, f.remember, f.autoLogin, f.errLabel,
		container.NewGridWithColumns(3, f.cancel, f.save, f.saveLogin),
	)
	for i, info := range f.platforms {
		if info.ID == a.Platform {
			f.platform.Selected = labels[i]
			f.platformChosen(labels[i], a.Fields)
		}
	}
	return f
}

// platformChosen builds the chosen platform's fields, filled from values
// (an account being edited) or the defaults.
func (f *accountForm) platformChosen(label string, values map[string]string) {
	tr := f.p.w.tr
	for _, info := range f.platforms {
		if info.Name.In(tr.lang) == label {
			f.info = info
		}
	}
	if values == nil {
		// Keep what was typed for keys the new platform shares.
		values = f.values()
	}
	f.inputs = nil
	form := widget.NewForm()
	for _, fd := range f.info.Fields {
		in := newFieldInput(fd, tr)
		v, ok := values[fd.Key]
		if !ok || v == "" {
			v = fd.Default
		}
		if fd.Kind != core.FieldSecret {
			in.set(v)
		}
		f.inputs = append(f.inputs, in)
		text := fd.Label.In(tr.lang)
		if fd.Required && fd.Default == "" {
			text += " *"
		}
		item := widget.NewFormItem(text, in.obj)
		item.HintText = fd.Help.In(tr.lang)
		form.AppendItem(item)
	}
	f.fieldsBox.Objects = []fyne.CanvasObject{form}
	f.fieldsBox.Refresh()
	f.p.w.render()
}

// newFieldInput makes the widget a field's kind calls for.
func newFieldInput(fd core.Field, tr translator) *fieldInput {
	in := &fieldInput{field: fd}
	switch fd.Kind {
	case core.FieldChoice:
		labels := make([]string, len(fd.Choices))
		for i, c := range fd.Choices {
			labels[i] = c.Label.In(tr.lang)
			if labels[i] == "" {
				labels[i] = c.Value
			}
		}
		s := widget.NewSelect(labels, nil)
		in.obj = s
		in.get = func() string {
			for i, c := range fd.Choices {
				if labels[i] == s.Selected {
					return c.Value
				}
			}
			return ""
		}
		in.set = func(v string) {
			for i, c := range fd.Choices {
				if c.Value == v {
					s.SetSelected(labels[i])
				}
			}
		}
	case core.FieldBool:
		c := widget.NewCheck("", nil)
		in.obj = c
		in.get = func() string { return strconv.FormatBool(c.Checked) }
		in.set = func(v string) { b, _ := strconv.ParseBool(v); c.SetChecked(b) }
	case core.FieldSecret:
		e := widget.NewPasswordEntry()
		e.SetPlaceHolder(tr.T("account.secret.placeholder"))
		in.obj = e
		in.get = func() string { return e.Text }
		in.set = e.SetText
	default: // text, number, URL
		e := widget.NewEntry()
		switch fd.Kind {
		case core.FieldURL:
			e.SetPlaceHolder("https://")
			if len(fd.Schemes) > 0 {
				e.SetPlaceHolder(fd.Schemes[0] + "://")
			}
		case core.FieldNumber:
			e.SetPlaceHolder("0")
		}
		in.obj = e
		in.get = func() string { return strings.TrimSpace(e.Text) }
		in.set = e.SetText
	}
	return in
}

// values are the non-secret fields as entered.
func (f *accountForm) values() map[string]string {
	out := map[string]string{}
	for _, in := range f.inputs {
		if in.field.Kind != core.FieldSecret {
			out[in.field.Key] = in.get()
		}
	}
	return out
}

// secret is the secret field's value, if the platform has one.
func (f *accountForm) secret() (string, bool) {
	for _, in := range f.inputs {
		if in.field.Kind == core.FieldSecret {
			return in.get(), true
		}
	}
	return "", false
}

// extraSecrets are the values typed into the platform's further secret
// fields (see core.FieldSecret), by key; empty ones are left out (an empty
// field keeps what the keyring has).
func (f *accountForm) extraSecrets() map[string]string {
	out := map[string]string{}
	for _, fd := range f.info.ExtraSecretFields() {
		for _, in := range f.inputs {
			if in.field.Key == fd.Key {
				if v := in.get(); v != "" {
					out[fd.Key] = v
				}
			}
		}
	}
	return out
}

// check finds the first mistake the agent can fix in the form, with a
// sentence naming the field by its label.
func (f *accountForm) check() error {
	tr := f.p.w.tr
	name := strings.TrimSpace(f.name.Text)
	if err := config.ValidateAccountName(name); err != nil {
		return &FormError{Field: tr.T("account.name"), Err: err}
	}
	if f.info.ID == "" {
		return &InputError{ErrNoPlatformChosen}
	}
	if f.editing != name && f.p.w.o.Accounts != nil {
		for _, a := range f.p.w.o.Accounts.Accounts() {
			if a.Name == name {
				return &FormError{Field: tr.T("account.name"), Err: ErrAccountExists}
			}
		}
	}
	for _, in := range f.inputs {
		v := in.get()
		label := in.field.Label.In(tr.lang)
		switch {
		case in.field.Kind == core.FieldSecret:
			// Not remembered: it is asked for at each sign-in instead.
			if in.field.Required && v == "" && f.remember.Checked && !f.secretKnown() {
				return &FormError{Field: label, Err: ErrFieldRequired}
			}
		case v == "":
			if in.field.Required && in.field.Default == "" {
				return &FormError{Field: label, Err: ErrFieldRequired}
			}
		case in.field.Kind == core.FieldNumber:
			if _, err := strconv.Atoi(v); err != nil {
				return &FormError{Field: label, Err: ErrFieldNumber}
			}
		case in.field.Kind == core.FieldURL:
			u, err := url.Parse(v)
			if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "") ||
				(len(in.field.Schemes) > 0 && !slices.Contains(in.field.Schemes, u.Scheme)) {
				return &FormError{Field: label, Err: ErrFieldURL, Schemes: in.field.Schemes}
			}
		}
	}
	if _, err := f.info.ValidateFields(f.values()); err != nil {
		return err
	}
	return nil
}

// secretKnown: editing an account whose secret is remembered, so the
// secret field may stay empty (the keyring keeps the old one).
func (f *accountForm) secretKnown() bool {
	if f.editing == "" {
		return false
	}
	a, ok := f.p.accountNamed(f.editing)
	return ok && a.RememberPassword
}

// submit saves the account (and its secret, if remembered), then returns
// to the list, signing in when asked.
func (f *accountForm) submit(signIn bool) {
	w := f.p.w
	if w.o.Accounts == nil {
		return
	}
	if err := f.check(); err != nil {
		w.fail(areaAccount, err)
		return
	}
	fields := f.values()
	for k, v := range fields {
		if v == "" {
			delete(fields, k)
		}
	}
	acct := config.Account{
		Name: strings.TrimSpace(f.name.Text), Platform: f.info.ID, Fields: maps.Clone(fields),
		RememberPassword: f.remember.Checked, AutoLogin: f.autoLogin.Checked,
	}
	secret, hasSecret := f.secret()
	kind := app.SecretKind(f.info)
	kinds := app.SecretKinds(f.info)
	extra := f.extraSecrets()
	oldName := f.editing
	store, keys := w.o.Accounts, w.o.Secrets
	w.startThen("account:save", areaAccount, func(ctx context.Context) error {
		if err := store.PutAccount(acct); err != nil {
			return err
		}
		if oldName != "" && oldName != acct.Name {
			if err := store.RemoveAccount(oldName); err != nil {
				return err
			}
			if keys != nil {
				for _, k := range kinds {
					if err := keys.Delete(oldName, k); err != nil && !errors.Is(err, secrets.ErrNotFound) {
						w.log.Warn("gui: forgetting the old account's secret", "kind", k, "err", err)
					}
				}
			}
		}
		if keys == nil || !hasSecret {
			return nil
		}
		// Further secrets (keys agreed with the platform) live only in the
		// keyring: there is nothing to type at sign-in.
		for k, v := range extra {
			if err := keys.Set(acct.Name, k, v); err != nil {
				return err
			}
		}
		switch {
		case acct.RememberPassword && secret != "":
			return keys.Set(acct.Name, kind, secret)
		case !acct.RememberPassword:
			if err := keys.Delete(acct.Name, kind); err != nil && !errors.Is(err, secrets.ErrNotFound) {
				return err
			}
		}
		return nil
	}, func(err error) {
		// The account file is written even when the keyring then failed:
		// from here on the form edits the saved account.
		f.editing = acct.Name
		if err != nil {
			return
		}
		p := f.p
		p.refresh()
		p.choose(acct.Name)
		p.closeForm()
		if signIn {
			if !acct.RememberPassword {
				p.passwordEntry.SetText(secret)
			}
			p.signIn()
		}
	})
}

// accountNamed finds a saved account.
func (p *signInPanel) accountNamed(name string) (config.Account, bool) {
	for _, a := range p.accounts {
		if a.Name == name {
			return a, true
		}
	}
	return config.Account{}, false
}

// render shows progress and the last failure.
func (f *accountForm) render() {
	w, tr := f.p.w, f.p.w.tr
	busy := w.pending["account:save"]
	setEnabled(f.save, !busy)
	setEnabled(f.saveLogin, !busy && w.o.Login != nil)
	setBusyLabel(f.save, tr.T("account.save"), busy, tr)
	showError(f.errLabel, w.errs[areaAccount])
	_, hasSecret := f.secret()
	setVisible(f.remember, hasSecret)
}

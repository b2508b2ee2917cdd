package gui

import (
	"context"
	"errors"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
	"agentbar/core/app"
	"agentbar/core/config"
	"agentbar/core/secrets"
)

// signInPanel is what a signed-out window shows: the saved accounts with
// sign-in, edit, remove and add; the password when the account's platform
// has one and it is not remembered; and the built-in demo. Adding or
// editing opens the account form in its place.
type signInPanel struct {
	w *MainWindow

	accounts []config.Account // as last listed

	accountSelect *widget.Select
	passwordEntry *widget.Entry
	passwordRow   *fyne.Container
	signInButton  *widget.Button
	editButton    *widget.Button
	removeButton  *widget.Button
	addButton     *widget.Button
	signInError   *widget.Label
	removeArmed   string // the account whose removal awaits a second tap
	demos         []*demoEntry

	listView *fyne.Container
	form     *accountForm // nil unless adding or editing
	view     *fyne.Container
}

// demoEntry is one built-in demo platform: its choice fields (sign in as
// agent or supervisor ...) and a button.
type demoEntry struct {
	info    core.Info
	choices map[string]*widget.Select // field key → select
	button  *widget.Button
}

func newSignInPanel(w *MainWindow) *signInPanel {
	tr := w.tr
	p := &signInPanel{w: w}
	p.accountSelect = widget.NewSelect(nil, func(string) { p.removeArmed = ""; w.render() })
	p.accountSelect.PlaceHolder = tr.T("signin.account")
	p.passwordEntry = widget.NewPasswordEntry()
	p.passwordEntry.OnSubmitted = func(string) { p.signIn() }
	p.passwordRow = container.NewBorder(nil, nil, widget.NewLabel(tr.T("signin.password")), nil, p.passwordEntry)
	p.passwordRow.Hide()
	p.signInButton = widget.NewButtonWithIcon(tr.T("signin.button"), theme.LoginIcon(), p.signIn)
	p.signInButton.Importance = widget.HighImportance
	p.editButton = widget.NewButtonWithIcon(tr.T("signin.edit"), theme.DocumentCreateIcon(), p.edit)
	p.removeButton = widget.NewButtonWithIcon(tr.T("signin.remove"), theme.DeleteIcon(), p.remove)
	p.addButton = widget.NewButtonWithIcon(tr.T("signin.add"), theme.ContentAddIcon(), p.add)
	p.signInError = errorLabel()

	rows := []fyne.CanvasObject{
		heading(tr.T("signin.heading")),
		container.NewBorder(nil, nil, nil, p.signInButton, p.accountSelect),
		p.passwordRow, p.signInError,
		container.NewHBox(p.editButton, p.removeButton, p.addButton),
	}
	if w.o.Registry != nil && w.o.LoginDemo != nil {
		for _, info := range w.o.Registry.Platforms() {
			if info.Demo {
				d := p.newDemoEntry(info)
				p.demos = append(p.demos, d)
				rows = append(rows, widget.NewSeparator(), d.view(tr))
			}
		}
	}
	p.listView = container.NewVBox(rows...)
	p.view = container.NewVBox(p.listView)
	return p
}

func (p *signInPanel) newDemoEntry(info core.Info) *demoEntry {
	tr := p.w.tr
	d := &demoEntry{info: info, choices: map[string]*widget.Select{}}
	for _, f := range info.Fields {
		if f.Kind != core.FieldChoice {
			continue
		}
		labels := make([]string, len(f.Choices))
		s := widget.NewSelect(nil, nil)
		for i, c := range f.Choices {
			labels[i] = c.Label.In(tr.lang)
			if c.Value == f.Default {
				s.Selected = labels[i]
			}
		}
		s.Options = labels
		d.choices[f.Key] = s
	}
	d.button = widget.NewButtonWithIcon(tr.T("signin.demo.button"), theme.MediaPlayIcon(), func() { p.signInDemo(d) })
	return d
}

// view lays a demo entry out: a heading, the choices, the button.
func (d *demoEntry) view(tr translator) fyne.CanvasObject {
	rows := []fyne.CanvasObject{heading(tr.T("signin.demo.heading", "Name", d.info.Name.In(tr.lang)))}
	for _, f := range d.info.Fields {
		if s, ok := d.choices[f.Key]; ok {
			rows = append(rows, container.NewBorder(nil, nil, widget.NewLabel(f.Label.In(tr.lang)), nil, s))
		}
	}
	rows = append(rows, d.button)
	return container.NewVBox(rows...)
}

// fields are the demo's settings as chosen.
func (d *demoEntry) fields(lang string) map[string]string {
	out := map[string]string{}
	for _, f := range d.info.Fields {
		s, ok := d.choices[f.Key]
		if !ok {
			continue
		}
		for _, c := range f.Choices {
			if c.Label.In(lang) == s.Selected {
				out[f.Key] = c.Value
			}
		}
	}
	return out
}

// refresh lists the saved accounts and keeps the choice if it is still
// there (or picks the only one, or the one that signs in by itself).
func (p *signInPanel) refresh() {
	if p.w.o.Accounts == nil {
		return
	}
	p.accounts = p.w.o.Accounts.Accounts()
	names := make([]string, len(p.accounts))
	for i, a := range p.accounts {
		names[i] = a.Name
	}
	p.accountSelect.SetOptions(names)
	chosen := p.accountSelect.Selected
	switch {
	case slices.Contains(names, chosen):
	case len(names) == 1:
		p.choose(names[0])
	default:
		p.accountSelect.ClearSelected()
		for _, a := range p.accounts {
			if a.AutoLogin {
				p.choose(a.Name)
				break
			}
		}
	}
}

// choose selects an account without a sign-in.
func (p *signInPanel) choose(name string) {
	p.accountSelect.Selected = name
	p.accountSelect.Refresh()
}

// chosen returns the selected account.
func (p *signInPanel) chosen() (config.Account, bool) {
	for _, a := range p.accounts {
		if a.Name == p.accountSelect.Selected {
			return a, true
		}
	}
	return config.Account{}, false
}

// secretField is the chosen account's platform's password or token field,
// if it has one: the sign-in panel then offers a password entry (empty
// when the keyring remembers it).
func (p *signInPanel) secretField() (core.Field, bool) {
	a, ok := p.chosen()
	if !ok || p.w.o.Registry == nil {
		return core.Field{}, false
	}
	info, ok := p.w.o.Registry.Lookup(a.Platform)
	if !ok {
		return core.Field{}, false
	}
	return info.SecretField()
}

// signIn signs in to the chosen account.
func (p *signInPanel) signIn() {
	w := p.w
	switch {
	case w.o.Login == nil:
		w.fail(areaSignIn, &InputError{ErrNoLogin})
		return
	case len(p.accounts) == 0:
		w.fail(areaSignIn, &InputError{ErrNoAccounts})
		return
	case p.accountSelect.Selected == "":
		w.fail(areaSignIn, &InputError{ErrNoAccountChosen})
		return
	}
	account, login, password := p.accountSelect.Selected, w.o.Login, p.passwordEntry.Text
	w.startThen("signin", areaSignIn, func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, commandTimeout)
		defer cancel()
		err := login(ctx, account, password)
		if errors.Is(err, core.ErrAlreadyLoggedIn) {
			return nil // signed in meanwhile (auto-login, the control API)
		}
		return err
	}, func(err error) {
		if err == nil {
			p.passwordEntry.SetText("")
		}
	})
}

// signInDemo starts the built-in demo.
func (p *signInPanel) signInDemo(d *demoEntry) {
	w := p.w
	fields, id, login := d.fields(w.tr.lang), d.info.ID, w.o.LoginDemo
	w.start("signin", areaSignIn, func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, commandTimeout)
		defer cancel()
		err := login(ctx, id, fields)
		if errors.Is(err, core.ErrAlreadyLoggedIn) {
			return nil
		}
		return err
	})
}

// add opens an empty account form.
func (p *signInPanel) add() { p.openForm(config.Account{}) }

// edit opens the chosen account in the form.
func (p *signInPanel) edit() {
	if a, ok := p.chosen(); ok {
		p.openForm(a)
	}
}

func (p *signInPanel) openForm(a config.Account) {
	p.removeArmed = ""
	p.form = newAccountForm(p, a)
	p.view.Objects = []fyne.CanvasObject{p.form.view}
	p.view.Refresh()
	p.w.render()
}

// closeForm goes back to the account list.
func (p *signInPanel) closeForm() {
	p.form = nil
	p.view.Objects = []fyne.CanvasObject{p.listView}
	p.view.Refresh()
	p.w.render()
}

// remove deletes the chosen account and its saved secret, on the second
// tap (the first arms it and says so).
func (p *signInPanel) remove() {
	w := p.w
	a, ok := p.chosen()
	if !ok || w.o.Accounts == nil {
		return
	}
	if p.removeArmed != a.Name {
		p.removeArmed = a.Name
		w.render()
		return
	}
	p.removeArmed = ""
	store, keys := w.o.Accounts, w.o.Secrets
	kinds := []string{"password"}
	if w.o.Registry != nil {
		if info, ok := w.o.Registry.Lookup(a.Platform); ok {
			kinds = app.SecretKinds(info)
		}
	}
	w.startThen("account:remove", areaSignIn, func(ctx context.Context) error {
		if err := store.RemoveAccount(a.Name); err != nil {
			return err
		}
		if keys != nil {
			for _, kind := range kinds {
				if err := keys.Delete(a.Name, kind); err != nil && !errors.Is(err, secrets.ErrNotFound) {
					return err
				}
			}
		}
		return nil
	}, func(error) { p.refresh() })
}

// render brings the panel in line with the board. UI thread.
func (p *signInPanel) render(b board) {
	w, tr := p.w, p.w.tr
	signingIn := w.pending["signin"] || b.conn == core.ConnConnecting
	setEnabled(p.signInButton, !signingIn)
	setEnabled(p.accountSelect, !signingIn && len(p.accounts) > 0)
	setBusyLabel(p.signInButton, tr.T("signin.button"), signingIn, tr)
	showError(p.signInError, w.errs[areaSignIn])

	a, chosen := p.chosen()
	canEdit := w.o.Accounts != nil
	setVisible(p.addButton, canEdit)
	setVisible(p.editButton, canEdit)
	setVisible(p.removeButton, canEdit)
	setEnabled(p.editButton, chosen && !signingIn)
	setEnabled(p.removeButton, chosen && !signingIn && !w.pending["account:remove"])
	removeText := tr.T("signin.remove")
	if chosen && p.removeArmed == a.Name {
		removeText = tr.T("signin.remove.confirm")
	}
	if p.removeButton.Text != removeText {
		p.removeButton.SetText(removeText)
	}
	if p.removeArmed != "" && p.removeButton.Importance != widget.DangerImportance {
		p.removeButton.Importance = widget.DangerImportance
		p.removeButton.Refresh()
	} else if p.removeArmed == "" && p.removeButton.Importance != widget.MediumImportance {
		p.removeButton.Importance = widget.MediumImportance
		p.removeButton.Refresh()
	}

	_, hasSecret := p.secretField()
	setVisible(p.passwordRow, hasSecret)
	if hasSecret {
		ph := tr.T("signin.password.placeholder")
		if a.RememberPassword {
			ph = tr.T("signin.password.saved")
		}
		if p.passwordEntry.PlaceHolder != ph {
			p.passwordEntry.SetPlaceHolder(ph)
		}
	}
	for _, d := range p.demos {
		setEnabled(d.button, !signingIn)
	}
	if p.form != nil {
		p.form.render()
	}
}

package gui

// setLanguage switches every window to lang ("zh" or "en") at once: the
// widgets are rebuilt from the same state (the board, what is in flight,
// what was typed in the dial field), so nothing is lost. UI thread.
func (w *MainWindow) setLanguage(lang string) {
	w.tr = mustTranslator(lang)
	number := w.numberEntry.Text
	historyOpen := w.tabs.Selected() == w.historyTab
	chosen := w.signIn.accountSelect.Selected
	clear(w.errs) // sentences in the old language

	w.popup.close()
	w.win.SetTitle(w.title())
	w.win.SetContent(w.buildUI())
	w.numberEntry.SetText(number)
	w.installShortcuts()
	w.refreshAccounts()
	if chosen != "" {
		w.signIn.choose(chosen)
	}
	if w.tray != nil && w.o.tray != nil {
		w.tray = newTray(w.o.tray, w.tr, w.trayActions())
	}
	if w.wall != nil {
		w.wall.rebuild()
	}
	if old := w.setWin; old != nil {
		w.setWin = newSettingsWindow(w)
		w.setWin.savedLabel.Show()
		w.setWin.win.Show()
		old.win.Close()
	}
	if historyOpen {
		w.tabs.Select(w.historyTab)
	}
	if w.shown.loggedIn {
		w.history.reload()
	}
	w.render()
}

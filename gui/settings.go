package gui

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"agentbar/audio"
	"agentbar/core/app"
	"agentbar/core/config"
)

// settingsSize fits every tab without scrolling on a laptop screen.
func settingsSize() fyne.Size { return fyne.NewSize(560, 600) }

// autoAnswerDelays are the delays offered for auto-answer.
var autoAnswerDelays = []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second, 5 * time.Second, 10 * time.Second}

// ringPreview is how long the ringtone plays when the agent tries it.
const ringPreview = 3 * time.Second

// settingsWindow edits the preferences: sound devices (with a live
// microphone meter, a test tone and the ringtone), calls and
// notifications, shortcuts, language, theme and start-up, and the CRM
// (screen pop, origins allowed on the control API). Save validates and
// writes settings.toml, then applies what can change at once; what needs
// a restart says so.
type settingsWindow struct {
	w   *MainWindow
	win fyne.Window

	devices       audio.DeviceList
	devicesLoaded bool

	capture, playback, ringer *widget.Select
	micMeter                  *levelBar
	testTone, tryRing         *widget.Button
	devicesStatus             *widget.Label
	ringSound                 *widget.Check
	notifications             *widget.Check
	autoAnswer                *widget.Check
	autoDelay                 *widget.Select
	screenPop                 *widget.Entry
	answerKey, hangupKey      *widget.Entry
	holdKey, muteKey          *widget.Entry
	language, themeSelect     *widget.Select
	closeToTray, startMin     *widget.Check
	startAtLogin              *widget.Check
	origins                   *widget.Entry
	save, closeButton         *widget.Button
	errLabel, savedLabel      *widget.Label
	tabs                      *container.AppTabs
}

// openSettings shows the settings window, building it the first time.
func (w *MainWindow) openSettings() {
	if w.setWin == nil {
		w.setWin = newSettingsWindow(w)
	}
	w.setWin.win.Show()
	w.setWin.win.RequestFocus()
	w.metersWanted.Store(true)
	w.poke()
	w.setWin.loadDevices()
	w.render()
}

func newSettingsWindow(w *MainWindow) *settingsWindow {
	tr := w.tr
	s := &settingsWindow{w: w}
	s.win = w.app.NewWindow(tr.T("settings.title"))
	s.win.SetCloseIntercept(s.close)

	def := tr.T("settings.device.default")
	s.capture = widget.NewSelect([]string{def}, nil)
	s.playback = widget.NewSelect([]string{def}, nil)
	s.ringer = widget.NewSelect([]string{def}, nil)
	s.micMeter = newLevelBar()
	s.testTone = widget.NewButtonWithIcon(tr.T("settings.testtone"), theme.VolumeUpIcon(), s.playTestTone)
	s.tryRing = widget.NewButtonWithIcon(tr.T("settings.ringtone.try"), theme.MediaMusicIcon(), s.tryRingtone)
	s.devicesStatus = widget.NewLabel("")
	quiet(s.devicesStatus)
	s.devicesStatus.Wrapping = fyne.TextWrapWord
	s.ringSound = widget.NewCheck(tr.T("settings.ringtone.on"), nil)
	ringerNote := widget.NewLabel(tr.T("settings.ringer.note"))
	quiet(ringerNote)
	ringerNote.Wrapping = fyne.TextWrapWord
	soundTab := container.NewVBox(
		widget.NewForm(
			widget.NewFormItem(tr.T("settings.capture"), s.capture),
			widget.NewFormItem(tr.T("settings.meter"), s.micMeter),
			widget.NewFormItem(tr.T("settings.playback"), s.playback),
			widget.NewFormItem("", s.testTone),
			widget.NewFormItem(tr.T("settings.ringer"), s.ringer),
			widget.NewFormItem(tr.T("settings.ringtone"), container.NewHBox(s.ringSound, s.tryRing)),
		),
		ringerNote, s.devicesStatus)

	s.notifications = widget.NewCheck(tr.T("settings.notifications.on"), nil)
	s.autoAnswer = widget.NewCheck(tr.T("settings.autoanswer.on"), nil)
	delays := make([]string, len(autoAnswerDelays))
	for i, d := range autoAnswerDelays {
		delays[i] = tr.T("settings.autoanswer.delay", "Seconds", formatSeconds(d))
	}
	s.autoDelay = widget.NewSelect(delays, nil)
	callsTab := widget.NewForm(
		widget.NewFormItem(tr.T("settings.notifications"), s.notifications),
		widget.NewFormItem(tr.T("settings.autoanswer"), container.NewVBox(s.autoAnswer, s.autoDelay)),
	)

	keyEntry := func() *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder("Ctrl+Alt+A")
		return e
	}
	s.answerKey, s.hangupKey, s.holdKey, s.muteKey = keyEntry(), keyEntry(), keyEntry(), keyEntry()
	keysNote := widget.NewLabel(tr.T("settings.shortcuts.note"))
	quiet(keysNote)
	keysNote.Wrapping = fyne.TextWrapWord
	keysTab := container.NewVBox(widget.NewForm(
		widget.NewFormItem(tr.T("settings.shortcut.answer"), s.answerKey),
		widget.NewFormItem(tr.T("settings.shortcut.hangup"), s.hangupKey),
		widget.NewFormItem(tr.T("settings.shortcut.hold"), s.holdKey),
		widget.NewFormItem(tr.T("settings.shortcut.mute"), s.muteKey),
	), keysNote)

	s.language = widget.NewSelect([]string{tr.T("settings.language.system"), "中文", "English"}, nil)
	s.themeSelect = widget.NewSelect([]string{tr.T("settings.theme.system"), tr.T("settings.theme.light"), tr.T("settings.theme.dark")}, nil)
	s.closeToTray = widget.NewCheck(tr.T("settings.closetotray"), nil)
	s.startMin = widget.NewCheck(tr.T("settings.startminimized"), nil)
	s.startAtLogin = widget.NewCheck(tr.T("settings.startatlogin"), nil)
	uiTab := widget.NewForm(
		widget.NewFormItem(tr.T("settings.language"), s.language),
		widget.NewFormItem(tr.T("settings.theme"), s.themeSelect),
		widget.NewFormItem(tr.T("settings.window"), container.NewVBox(s.closeToTray, s.startMin, s.startAtLogin)),
	)

	s.screenPop = widget.NewEntry()
	s.screenPop.SetPlaceHolder("https://crm.example.com/pop?tel={number}&id={call_id}")
	popHelp := widget.NewLabel(tr.T("settings.screenpop.help", "Names", "{"+strings.Join(config.ScreenPopPlaceholders(), "} {")+"}"))
	quiet(popHelp)
	popHelp.Wrapping = fyne.TextWrapWord
	s.origins = widget.NewMultiLineEntry()
	s.origins.SetPlaceHolder("https://crm.example.com")
	s.origins.SetMinRowsVisible(4)
	originsHelp := widget.NewLabel(tr.T("settings.origins.help"))
	quiet(originsHelp)
	originsHelp.Wrapping = fyne.TextWrapWord
	crmTab := container.NewVBox(widget.NewForm(
		widget.NewFormItem(tr.T("settings.screenpop"), s.screenPop),
	), popHelp, widget.NewForm(widget.NewFormItem(tr.T("settings.origins"), s.origins)), originsHelp)

	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(tr.T("settings.tab.sound"), theme.VolumeUpIcon(), container.NewVScroll(soundTab)),
		container.NewTabItemWithIcon(tr.T("settings.tab.calls"), theme.MailReplyIcon(), container.NewVScroll(callsTab)),
		container.NewTabItemWithIcon(tr.T("settings.tab.keys"), theme.ComputerIcon(), container.NewVScroll(keysTab)),
		container.NewTabItemWithIcon(tr.T("settings.tab.ui"), theme.ColorPaletteIcon(), container.NewVScroll(uiTab)),
		container.NewTabItemWithIcon(tr.T("settings.tab.crm"), theme.StorageIcon(), container.NewVScroll(crmTab)),
	)
	s.save = widget.NewButtonWithIcon(tr.T("settings.save"), theme.DocumentSaveIcon(), s.submit)
	s.save.Importance = widget.HighImportance
	s.closeButton = widget.NewButtonWithIcon(tr.T("settings.close"), theme.CancelIcon(), s.close)
	s.errLabel = errorLabel()
	s.savedLabel = widget.NewLabel(tr.T("settings.saved"))
	s.savedLabel.Importance = widget.SuccessImportance
	s.savedLabel.Hide()
	bottom := container.NewVBox(s.errLabel, container.NewBorder(nil, nil, s.savedLabel, container.NewHBox(s.closeButton, s.save)))
	s.win.SetContent(container.NewPadded(container.NewBorder(nil, bottom, nil, nil, s.tabs)))
	s.win.Resize(settingsSize())
	s.fill(w.settings)
	return s
}

func formatSeconds(d time.Duration) string { return strconv.Itoa(int(d / time.Second)) }

// fill shows settings in the widgets.
func (s *settingsWindow) fill(st config.Settings) {
	s.ringSound.SetChecked(st.Notifications.Sound)
	s.notifications.SetChecked(st.Notifications.Enabled)
	s.autoAnswer.SetChecked(st.Calls.AutoAnswer)
	i := slices.Index(autoAnswerDelays, st.Calls.AutoAnswerDelay)
	if i < 0 {
		i = 3
	}
	s.autoDelay.SetSelectedIndex(i)
	s.screenPop.SetText(st.Calls.ScreenPopURL)
	s.answerKey.SetText(st.Shortcuts.Answer)
	s.hangupKey.SetText(st.Shortcuts.Hangup)
	s.holdKey.SetText(st.Shortcuts.Hold)
	s.muteKey.SetText(st.Shortcuts.Mute)
	s.language.SetSelectedIndex(map[string]int{config.LanguageZh: 1, config.LanguageEn: 2}[st.UI.Language])
	s.themeSelect.SetSelectedIndex(map[string]int{config.ThemeLight: 1, config.ThemeDark: 2}[st.UI.Theme])
	s.closeToTray.SetChecked(st.UI.CloseToTray)
	s.startMin.SetChecked(st.UI.StartMinimized)
	s.startAtLogin.SetChecked(st.UI.StartAtLogin)
	s.origins.SetText(strings.Join(st.ControlAPI.AllowedOrigins, "\n"))
	s.fillDevices(st.Audio)
}

// fillDevices offers the devices found and selects the configured ones.
func (s *settingsWindow) fillDevices(a config.Audio) {
	def := s.w.tr.T("settings.device.default")
	pick := func(sel *widget.Select, list []audio.DeviceInfo, id string) {
		opts := []string{def}
		chosen := def
		for _, d := range list {
			opts = append(opts, d.Name)
			if d.ID == id {
				chosen = d.Name
			}
		}
		if id != "" && chosen == def && !s.devicesLoaded {
			// Not listed yet: keep the configured id visible.
			opts = append(opts, id)
			chosen = id
		}
		sel.Options = opts
		sel.Selected = chosen
		sel.Refresh()
	}
	pick(s.capture, s.devices.Capture, a.CaptureDevice)
	pick(s.playback, s.devices.Playback, a.PlaybackDevice)
	pick(s.ringer, s.devices.Playback, a.RingerDevice)
}

// deviceID maps a select's choice back to a device id.
func (s *settingsWindow) deviceID(sel *widget.Select, list []audio.DeviceInfo, configured string) string {
	if sel.SelectedIndex() <= 0 {
		return ""
	}
	for _, d := range list {
		if d.Name == sel.Selected {
			return d.ID
		}
	}
	if sel.Selected == configured {
		return configured
	}
	return ""
}

// loadDevices lists the sound devices (opening the sound system takes a
// moment, so it runs as a command).
func (s *settingsWindow) loadDevices() {
	w := s.w
	if w.o.ListDevices == nil || s.devicesLoaded {
		return
	}
	list := w.o.ListDevices
	var got audio.DeviceList
	w.startThen("devices", areaSettings, func(context.Context) (err error) {
		got, err = list()
		return err
	}, func(err error) {
		if err != nil {
			return
		}
		s.devices, s.devicesLoaded = got, true
		s.fillDevices(w.settings.Audio)
	})
}

// collect reads the widgets into a copy of the settings in force.
func (s *settingsWindow) collect() config.Settings {
	st := s.w.settings.Clone()
	st.Audio.CaptureDevice = s.deviceID(s.capture, s.devices.Capture, st.Audio.CaptureDevice)
	st.Audio.PlaybackDevice = s.deviceID(s.playback, s.devices.Playback, st.Audio.PlaybackDevice)
	st.Audio.RingerDevice = s.deviceID(s.ringer, s.devices.Playback, st.Audio.RingerDevice)
	st.Notifications.Sound = s.ringSound.Checked
	st.Notifications.Enabled = s.notifications.Checked
	st.Calls.AutoAnswer = s.autoAnswer.Checked
	if i := s.autoDelay.SelectedIndex(); i >= 0 {
		st.Calls.AutoAnswerDelay = autoAnswerDelays[i]
	}
	st.Calls.ScreenPopURL = strings.TrimSpace(s.screenPop.Text)
	st.Shortcuts = config.Shortcuts{
		Answer: strings.TrimSpace(s.answerKey.Text), Hangup: strings.TrimSpace(s.hangupKey.Text),
		Hold: strings.TrimSpace(s.holdKey.Text), Mute: strings.TrimSpace(s.muteKey.Text),
	}
	st.UI.Language = []string{config.LanguageSystem, config.LanguageZh, config.LanguageEn}[max(0, s.language.SelectedIndex())]
	st.UI.Theme = []string{config.ThemeSystem, config.ThemeLight, config.ThemeDark}[max(0, s.themeSelect.SelectedIndex())]
	st.UI.CloseToTray = s.closeToTray.Checked
	st.UI.StartMinimized = s.startMin.Checked
	st.UI.StartAtLogin = s.startAtLogin.Checked
	st.ControlAPI.AllowedOrigins = nil
	for _, line := range strings.Split(s.origins.Text, "\n") {
		if o := strings.TrimSpace(line); o != "" && !slices.Contains(st.ControlAPI.AllowedOrigins, o) {
			st.ControlAPI.AllowedOrigins = append(st.ControlAPI.AllowedOrigins, o)
		}
	}
	return st
}

// submit validates, saves and applies.
func (s *settingsWindow) submit() {
	w := s.w
	next := s.collect()
	prev := w.settings
	store := w.o.Settings
	s.savedLabel.Hide()
	autostart := next.UI.StartAtLogin != prev.UI.StartAtLogin || (next.UI.StartAtLogin && !autostartEnabled(w.o.AutostartDir))
	dir, exe := w.o.AutostartDir, w.o.Executable
	w.startThen("settings:save", areaSettings, func(context.Context) error {
		if store != nil {
			if err := store.PutSettings(next); err != nil {
				return err
			}
		}
		if autostart {
			return setAutostart(dir, exe, next.UI.StartAtLogin)
		}
		return nil
	}, func(err error) {
		if err != nil {
			return
		}
		w.applySettings(prev, next)
		if w.setWin != nil {
			w.setWin.savedLabel.Show()
		}
	})
}

// applySettings puts changed settings into force at once where they can
// be: language, theme, shortcuts, sound devices. UI thread.
func (w *MainWindow) applySettings(prev, next config.Settings) {
	w.settings = next
	if next.UI.Theme != prev.UI.Theme {
		w.app.Settings().SetTheme(calmThemeFor(next.UI.Theme))
	}
	if next.Shortcuts != prev.Shortcuts {
		w.installShortcuts()
	}
	if a := w.o.Audio; a != nil && (next.Audio.CaptureDevice != prev.Audio.CaptureDevice || next.Audio.PlaybackDevice != prev.Audio.PlaybackDevice) {
		capture, playback := next.Audio.CaptureDevice, next.Audio.PlaybackDevice
		w.start("settings:devices", areaSettings, func(context.Context) error {
			return a.SetDevices(capture, playback)
		})
	}
	if !next.Notifications.Sound {
		w.setRinging(false)
	}
	if lang := app.ResolveLang(next.UI.Language); next.UI.Language != prev.UI.Language && lang != w.tr.lang {
		w.setLanguage(lang)
		return
	}
	w.render()
}

// playTestTone plays a second of 440 Hz to the headset.
func (s *settingsWindow) playTestTone() {
	a := s.w.o.Audio
	if a == nil {
		return
	}
	s.w.worker.do(func() {
		a.PlayTone(audio.TonePattern{Name: "test", Amplitude: 0.2,
			Segments: []audio.ToneSegment{{Freqs: [2]float64{440}, Duration: time.Second}}})
	})
}

// tryRingtone rings the ringer for a few seconds (unless a call rings by
// then: the ringer is the call's).
func (s *settingsWindow) tryRingtone() {
	w := s.w
	a := w.o.Audio
	if a == nil || w.alerts.ringing {
		return
	}
	w.worker.do(func() { _ = a.Ring(audio.Ringtone()) })
	if w.alerts.preview != nil {
		w.alerts.preview.Stop()
	}
	w.alerts.preview = time.AfterFunc(ringPreview, func() {
		w.post(func() {
			if !w.alerts.ringing {
				w.worker.do(func() { _ = a.StopRinging() })
			}
		})
	})
}

// showLevel moves the microphone meter. UI thread.
func (s *settingsWindow) showLevel(v float64) { setMeter(s.micMeter, v) }

// close hides the window and stops the meter.
func (s *settingsWindow) close() {
	s.win.Hide()
	s.w.metersWanted.Store(false)
	s.w.poke()
}

// render shows progress and failures.
func (s *settingsWindow) render() {
	w, tr := s.w, s.w.tr
	busy := w.pending["settings:save"]
	setEnabled(s.save, !busy)
	setBusyLabel(s.save, tr.T("settings.save"), busy, tr)
	showError(s.errLabel, w.errs[areaSettings])
	status := ""
	switch {
	case w.o.Audio == nil:
		status = tr.T("settings.devices.none")
	case w.pending["devices"]:
		status = tr.T("settings.devices.loading")
	}
	setText(s.devicesStatus, status)
	setVisible(s.devicesStatus, status != "")
	hasAudio := w.o.Audio != nil
	setEnabled(s.testTone, hasAudio)
	setEnabled(s.tryRing, hasAudio)
}

package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"agentbar/core/config"
)

// calmTheme is fyne's default theme, light or dark as the system says, with
// softer state colours: the stock success green (#43F436) and warning
// orange glare on a screen an agent watches all day. Each colour keeps its
// contrast with the text drawn on it (dark text in the dark variant, white
// in the light one, as the stock theme does) and with the background.
//
// The variant follows the system unless the agent chose light or dark in
// the settings (config.ThemeLight, config.ThemeDark).
type calmTheme struct {
	fyne.Theme
	force   bool // use variant instead of the system's
	variant fyne.ThemeVariant
}

func newCalmTheme() fyne.Theme { return calmTheme{Theme: theme.DefaultTheme()} }

// calmThemeFor is the calm theme for a settings value: "light", "dark", or
// anything else to follow the system.
func calmThemeFor(setting string) fyne.Theme {
	t := calmTheme{Theme: theme.DefaultTheme()}
	switch setting {
	case config.ThemeLight:
		t.force, t.variant = true, theme.VariantLight
	case config.ThemeDark:
		t.force, t.variant = true, theme.VariantDark
	}
	return t
}

// Color overrides the state colours and defers everything else.
func (t calmTheme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.force {
		v = t.variant
	}
	// Like the stock theme: light only when asked for light.
	light := v == theme.VariantLight
	pick := func(d, l color.NRGBA) color.Color {
		if light {
			return l
		}
		return d
	}
	switch name {
	case theme.ColorNameSuccess:
		return pick(color.NRGBA{0x4C, 0xBB, 0x6F, 0xFF}, color.NRGBA{0x1E, 0x8A, 0x4A, 0xFF})
	case theme.ColorNameWarning:
		return pick(color.NRGBA{0xF0, 0xA5, 0x31, 0xFF}, color.NRGBA{0xA8, 0x63, 0x00, 0xFF})
	case theme.ColorNameError:
		return pick(color.NRGBA{0xE5, 0x53, 0x4B, 0xFF}, color.NRGBA{0xC9, 0x37, 0x2C, 0xFF})
	}
	return t.Theme.Color(name, v)
}

// Size makes the text a little larger than fyne's 14 px: the bar is read
// from across a desk.
func (t calmTheme) Size(name fyne.ThemeSizeName) float32 {
	switch name {
	case theme.SizeNameText:
		return 15
	case theme.SizeNameHeadingText:
		return 26
	case theme.SizeNameSubHeadingText:
		return 19
	}
	return t.Theme.Size(name)
}

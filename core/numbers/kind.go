package numbers

// Kind is what sort of line a number reaches.
type Kind int

const (
	// Unknown: a number Normalize accepts but no rule recognises, such as
	// a 9-digit string or a fixed line with an area code that does not
	// exist.
	Unknown Kind = iota
	// Mobile: a Chinese mobile number (11 digits, 13x–19x).
	Mobile
	// FixedLine: a Chinese fixed line, with area code (01012345678) or
	// local 7–8 digits without one (Region is then empty).
	FixedLine
	// Service: a Chinese service or public number: 95xxx and 96xxx bank
	// and carrier lines, 100xx, 12xxx, 110/119/120/122, 400 and 800
	// numbers.
	Service
	// Internal: an extension or short code of 3–6 digits that is not a
	// service number (8001), or a feature code with "*" or "#".
	Internal
	// International: a number outside mainland China, in "+" form.
	International
)

var kindNames = [...]string{"unknown", "mobile", "fixed-line", "service", "internal", "international"}

// String returns a stable lower-case name for logs and tests.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "unknown"
	}
	return kindNames[k]
}

var kindLabels = [...][2]string{
	{"未知号码", "Unknown"},
	{"手机", "Mobile"},
	{"固话", "Landline"},
	{"服务号码", "Service number"},
	{"内部分机", "Extension"},
	{"国际号码", "International"},
}

// Label returns the name the agent sees. lang "en" gives English, anything
// else Chinese.
func (k Kind) Label(lang string) string {
	if k < 0 || int(k) >= len(kindLabels) {
		k = Unknown
	}
	if isEnglish(lang) {
		return kindLabels[k][1]
	}
	return kindLabels[k][0]
}

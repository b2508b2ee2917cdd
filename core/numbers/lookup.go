package numbers

import (
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Info is what is known about a number without asking anyone.
type Info struct {
	// Number is the normalized number (see Normalize).
	Number string
	// Kind is the sort of line it reaches.
	Kind Kind
	// Country is the ISO 3166-1 alpha-2 code ("CN", "US"); empty for
	// extensions, feature codes and numbers no country claims.
	Country string
	// Region is where the number was first given out, as precise as the
	// data knows: "江苏省常州市" / "Changzhou, Jiangsu" for Chinese numbers;
	// "美国 San Francisco, CA" or "San Francisco, CA" abroad. Empty when
	// only the country is known for a Chinese number, and for service,
	// internal and local numbers.
	Region string
	// Carrier is the network the number was first given to ("中国移动" /
	// "China Mobile"). Numbers can be ported, so it is a hint. Empty when
	// unknown.
	Carrier string
}

// chinaRegion is the ISO code phonenumbers uses for mainland China.
const chinaRegion = "CN"

// Lookup is LookupLang in Chinese.
func Lookup(number string) (Info, error) {
	return LookupLang(number, "zh")
}

// LookupLang normalizes number and describes it, with Region and Carrier in
// lang: "en" (or "en-…") for English, anything else for Chinese. The only
// errors are Normalize's. The first call per language loads the library's
// data (see the package documentation); it is safe for concurrent use.
func LookupLang(number, lang string) (Info, error) {
	n, err := Normalize(number)
	if err != nil {
		return Info{}, err
	}
	return describe(n, dataLang(lang)), nil
}

// Preload loads the geocoding and carrier data for the given languages
// ("zh", "en"), so that a later lookup answers in microseconds. Run it in a
// goroutine at start-up. With no language it loads Chinese.
func Preload(langs ...string) {
	if len(langs) == 0 {
		langs = []string{"zh"}
	}
	for _, lang := range langs {
		describe("13912345678", dataLang(lang))
	}
}

// dataLang maps the product's language to the library's data file name.
func dataLang(lang string) string {
	if isEnglish(lang) {
		return "en"
	}
	return "zh"
}

// describe classifies a normalized number and fills in what the offline
// data knows.
func describe(n, lang string) Info {
	info := Info{Number: n}
	switch {
	case strings.ContainsAny(n, "*#"):
		info.Kind = Internal
	case n[0] == '+':
		describeInternational(&info, lang)
	case len(n) <= 6:
		if isServiceShort(n) {
			info.Kind, info.Country = Service, chinaRegion
		} else {
			info.Kind = Internal
		}
	case isNationalService(n):
		info.Kind, info.Country = Service, chinaRegion
	case isMobile(n):
		info.Kind, info.Country = Mobile, chinaRegion
		if num, err := phonenumbers.Parse(n, chinaRegion); err == nil {
			info.Region = chineseRegion(num, lang)
			info.Carrier, _ = phonenumbers.GetCarrierForNumber(num, lang)
		}
	case n[0] == '0':
		num, err := phonenumbers.Parse(n, chinaRegion)
		if err != nil || !phonenumbers.IsValidNumberForRegion(num, chinaRegion) {
			info.Country = chinaRegion
			break
		}
		switch phonenumbers.GetNumberType(num) {
		case phonenumbers.FIXED_LINE, phonenumbers.FIXED_LINE_OR_MOBILE:
			info.Kind = FixedLine
			info.Region = chineseRegion(num, lang)
		case phonenumbers.TOLL_FREE, phonenumbers.SHARED_COST, phonenumbers.PREMIUM_RATE, phonenumbers.UAN:
			info.Kind = Service
		}
		info.Country = chinaRegion
	case (len(n) == 7 || len(n) == 8) && n[0] >= '2':
		// A local fixed line dialled without its area code.
		info.Kind, info.Country = FixedLine, chinaRegion
	}
	return info
}

// chineseRegion returns the province and city of a Chinese number, or ""
// when the data only knows the country.
func chineseRegion(num *phonenumbers.PhoneNumber, lang string) string {
	region, err := phonenumbers.GetGeocodingForNumber(num, lang)
	if err != nil || region == countryName(chinaRegion, lang) {
		return ""
	}
	return region
}

func describeInternational(info *Info, lang string) {
	info.Kind = International
	num, err := phonenumbers.Parse(info.Number, phonenumbers.UNKNOWN_REGION)
	if err != nil {
		return
	}
	country := phonenumbers.GetRegionCodeForNumber(num)
	if country == phonenumbers.UNKNOWN_REGION || country == "001" { // 001: non-geographic codes such as +800
		country = ""
	}
	info.Country = country
	if country == "" {
		return
	}
	region, _ := phonenumbers.GetGeocodingForNumber(num, lang)
	// The Chinese data covers few countries; the library then answers in
	// English. Put the country's Chinese name in front so the agent still
	// reads where the call is from.
	if lang == "zh" && !hasHan(region) {
		region = strings.TrimSpace(countryName(country, lang) + " " + region)
	}
	info.Region = region
	info.Carrier, _ = phonenumbers.GetCarrierForNumber(num, lang)
}

// countryName returns a country's name in lang ("zh" or "en").
func countryName(country, lang string) string {
	region, err := language.ParseRegion(country)
	if err != nil {
		return ""
	}
	tag := language.English
	if lang == "zh" {
		tag = language.SimplifiedChinese
	}
	return display.Regions(tag).Name(region)
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// serviceShortPrefixes are Chinese public and service numbers of 5–6
// digits that phonenumbers' short-number data does not list (12306,
// 11185, 116114).
var serviceShortPrefixes = []struct {
	prefix string
	length int
}{
	{"95", 5}, {"96", 5}, {"100", 5}, {"12", 5}, {"111", 5},
	{"114", 6}, {"116", 6}, {"118", 6}, {"95", 6}, {"96", 6},
}

// isServiceShort reports whether a number of at most 6 digits is a public
// or service number rather than an extension. Of 3- and 4-digit numbers
// only emergency numbers and 114 count: the library also lists 100, 123,
// 168 and 1080–1089, which are common extensions in a call center.
func isServiceShort(n string) bool {
	for _, p := range serviceShortPrefixes {
		if len(n) == p.length && strings.HasPrefix(n, p.prefix) {
			return true
		}
	}
	if n == "114" || phonenumbers.IsEmergencyNumber(n, chinaRegion) {
		return true
	}
	if len(n) <= 4 {
		return false
	}
	num, err := phonenumbers.Parse(n, chinaRegion)
	return err == nil && phonenumbers.IsValidShortNumberForRegion(num, chinaRegion)
}

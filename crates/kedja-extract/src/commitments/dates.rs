//! Deadlines and cadences as councils write them: dates, months, years,
//! "HT 2024", "Q3", "tertial 2"; "löpande" and "årligen" are a cadence.

use std::sync::LazyLock;

use kedja_model::DateRange;
use regex::Regex;
use time::Date;

use crate::dates::{find_dates, months};
use crate::lexicon::{MONTH_ALT, month};

use super::normalize;

pub(super) static WHEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?xi)
        (?P<kw>senast|under|till|före|innan|klart?)\s+(?:i\s+|den\s+|utgången\s+av\s+|slutet\s+av\s+)?
        (?:
            (?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)
          | (?P<d>[0-3]?\d)\s+(?P<dm>{MONTH_ALT})(?:\s+(?P<dy>(?:19|20)\d\d))?
          | (?P<m>{MONTH_ALT})(?:\s+(?P<my>(?:19|20)\d\d))?
          | (?P<y>(?:19|20)\d\d)(?-u:\b)(?:[-–/]\d)?
        )
        | (?P<bare>(?-u:\b)i\s+(?P<bm>{MONTH_ALT})(?:\s+(?P<by>(?:19|20)\d\d))?)
        "
    ))
    .expect("valid regex")
});

static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?xi)(?-u:\b)(?:
            (?P<meet>{MONTH_ALT})sammanträde(?:t)?\s+(?P<meety>(?:19|20)\d\d)
          | sista\s+sammanträdet\s+(?:för\s+|under\s+)?(?P<lasty>(?:19|20)\d\d)
          | budget(?:sammanträdet|fullmäktige)\s+(?P<budgety>(?:19|20)\d\d)
          | (?P<term>HT|VT|hösttermin(?:en)?|vårtermin(?:en)?|hösten|våren)\s*(?P<termy>(?:19|20)\d\d)
          | (?:Q|kvartal\s*)(?P<q>[1-4])(?:\s*(?P<qy>(?:19|20)\d\d))?
          | tertial\s*(?P<t>[1-3])(?:\s*(?P<ty>(?:19|20)\d\d))?
        )(?-u:\b)"
    ))
    .expect("valid regex")
});

/// A period of a year as councils write it, with its span in `s`:
/// "HT 2024" (August to December), "VT 2025" (January to June), "Q3 2024",
/// "kvartal 3", "tertial 2 2026" (May to August), "junisammanträdet 2025"
/// (the meeting of June 2025), "sista sammanträdet 2025" (December),
/// "budgetsammanträdet 2024" (that year). Without a year, `year`
/// (the document's) is meant.
fn period_in(s: &str, year: Option<i32>) -> Option<(DateRange, usize, usize)> {
    for c in PERIOD.captures_iter(s) {
        let m = c.get(0).expect("whole match");
        let y =
            |g: &str| -> Option<i32> { c.name(g).and_then(|y| y.as_str().parse().ok()).or(year) };
        let range = if let Some(meeting) = c.name("meet") {
            // "junisammanträdet 2025": the council's meeting of that month.
            let mo = month(meeting.as_str())?;
            y("meety").and_then(|y| DateRange::month(y, mo))
        } else if let Some(y) = c.name("lasty") {
            // The year's last meeting: a council's is in December.
            y.as_str().parse().ok().and_then(|y| months(y, 12, 12))
        } else if let Some(y) = c.name("budgety") {
            // The budget meeting of a year: its month is the council's own.
            y.as_str().parse().ok().and_then(DateRange::year)
        } else if let Some(term) = c.name("term") {
            let t = term.as_str().to_lowercase();
            let y = y("termy");
            y.and_then(|y| crate::dates::term(y, t.starts_with('h')))
        } else if let Some(q) = c.name("q") {
            let q: u8 = q.as_str().parse().ok()?;
            y("qy").and_then(|y| months(y, 3 * q - 2, 3 * q))
        } else if let Some(t) = c.name("t") {
            let t: u8 = t.as_str().parse().ok()?;
            y("ty").and_then(|y| months(y, 4 * t - 3, 4 * t))
        } else {
            None
        };
        if let Some(r) = range {
            return Some((r, m.start(), m.end()));
        }
    }
    None
}

/// The deadline written in a sentence: "senast april 2017", "under 2017",
/// "senast 2022-06-30", "senast i oktober 2023", "under HT 2024", "senast
/// Q3 2025"; with `loose`, also a month named without a keyword ("… i juni
/// 2023").
pub(super) fn deadline_in(s: &str, loose: bool) -> Option<DateRange> {
    deadline_after(s, loose, None)
}

/// [`deadline_in`], with a day or month written without its year ("senast
/// den 30 september", "återrapportera i februari") read as the first such
/// day or month from `after` on, the day the text was decided. Without
/// `after` such a deadline is not read.
pub(super) fn deadline_after(s: &str, loose: bool, after: Option<Date>) -> Option<DateRange> {
    static BEFORE_PERIOD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(?:senast|under|klart?|till|i|senast\s+vid|före|innan|utgången\s+av|slutet\s+av)\s+$",
        )
        .expect("valid regex")
    });
    let period = period_in(s, None)
        .filter(|(_, a, _)| BEFORE_PERIOD.is_match(&s[..*a]))
        .map(|(r, a, _)| (r, a));
    let dated = deadline_by_keyword(s, loose, after);
    match (period, dated) {
        (Some((r, at)), Some((d, dat))) => Some(if at < dat { r } else { d }),
        (Some((r, _)), None) => Some(r),
        (None, Some((d, _))) => Some(d),
        (None, None) => None,
    }
}

/// A report to be given, a few words before a month named without a
/// keyword: "återrapportera i oktober 2026", "ska redovisas för nämnden i
/// mars 2031". The month is when the report is due; told as done
/// ("redovisade i mars") it is not.
static REPORTED_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:återrapportera|återredovisa|rapportera|redovisa|återkomma|presentera)s?\b(?:\s+[^\s.;:!?]+){0,6}\s+$")
        .expect("valid regex")
});

/// A due date moved: "flyttas fram", "skjuts upp", "senareläggs", just
/// before "till" ("förlängs till" lengthens what lasts, a contract).
static POSTPONED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:flyttas\s+fram|flyttats\s+fram|skjuts\s+(?:upp|fram)|senareläggs|förskjuts)\s+$")
        .expect("valid regex")
});

fn deadline_by_keyword(s: &str, loose: bool, after: Option<Date>) -> Option<(DateRange, usize)> {
    for c in WHEN.captures_iter(s) {
        let m = c.get(0).expect("whole match");
        if !crate::at_word_start(s, m.start()) {
            continue;
        }
        // The year written, or else the one that puts `(month, day)` on
        // or after `after`; a day or month with no year and no keyword
        // that sets a limit ("till maj", "under maj" may span) is none.
        let limit = c.name("kw").is_none_or(|k| {
            matches!(
                k.as_str().to_lowercase().as_str(),
                "senast" | "klar" | "klart"
            )
        });
        let year_of = |y: Option<regex::Match<'_>>, mo: time::Month, day: u8| -> Option<i32> {
            match y {
                Some(y) => y.as_str().parse().ok(),
                None => after.filter(|_| limit).map(|a| {
                    if (mo as u8, day) < (a.month() as u8, a.day()) {
                        a.year() + 1
                    } else {
                        a.year()
                    }
                }),
            }
        };
        if c.name("bare").is_some() {
            if !loose && !REPORTED_IN.is_match(&s[..m.start()]) {
                continue;
            }
            let mo = month(&c["bm"])?;
            // A month is reached when its last day is.
            let Some(y) = year_of(c.name("by"), mo, 31) else {
                continue;
            };
            return DateRange::month(y, mo).map(|d| (d, m.start()));
        }
        let kw = c["kw"].to_lowercase();
        if let Some(iso) = c.name("iso") {
            let d = kedja_model::parse_iso_date(iso.as_str())?;
            return Some((DateRange::day(d), m.start()));
        }
        if let Some(mo) = c.name("dm").and_then(|m| month(m.as_str())) {
            let d: u8 = c["d"].parse().ok()?;
            let Some(y) = year_of(c.name("dy"), mo, d) else {
                continue;
            };
            return time::Date::from_calendar_date(y, mo, d)
                .ok()
                .map(|d| (DateRange::day(d), m.start()));
        }
        if let Some(mo) = c.name("m").and_then(|m| month(m.as_str())) {
            let Some(y) = year_of(c.name("my"), mo, 31) else {
                continue;
            };
            return DateRange::month(y, mo).map(|d| (d, m.start()));
        }
        if let Some(y) = c.name("y") {
            // "under 1990-talet" is a decade, not a deadline.
            if s[y.end()..].starts_with("-tal") {
                continue;
            }
            // "till 2017", "före 2017" and "innan 2017" are not deadlines
            // of a year, unless what was due is moved there ("redovisningen
            // flyttas fram till 2027").
            if (kw == "till" && !POSTPONED.is_match(&s[..m.start()]))
                || kw == "före"
                || kw == "innan"
            {
                continue;
            }
            return DateRange::year(y.as_str().parse().ok()?).map(|d| (d, m.start()));
        }
    }
    None
}

/// A table cell that is a date: "2023-09-30", "juni 2024", "2025", "HT
/// 2024", "Q3 2025", "senast 2025-06-30", "260401" (a date written
/// YYMMDD).
pub(super) fn cell_deadline(cell: &str, year: Option<i32>) -> Option<DateRange> {
    let c = cell.trim();
    if c.is_empty() || c.len() > 40 {
        return None;
    }
    if let Some((r, a, _)) = period_in(c, year)
        && (a == 0 || deadline_in(c, false).is_none())
    {
        return Some(r);
    }
    if c.len() == 6
        && c.bytes().all(|b| b.is_ascii_digit())
        && let Some(d) =
            kedja_model::parse_iso_date(&format!("20{}-{}-{}", &c[..2], &c[2..4], &c[4..]))
    {
        return Some(DateRange::day(d));
    }
    let found = find_dates(c, year);
    if let Some(d) = found.first()
        && d.start == 0
        && d.end >= c.trim_end_matches('.').len()
    {
        return Some(d.range);
    }
    if c.len() == 4
        && let Ok(y) = c.parse::<i32>()
        && (1900..2100).contains(&y)
    {
        return DateRange::year(y);
    }
    deadline_in(c, false)
}

static CADENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?xi)
        (?P<c>årligen|varje\s+år|en\s+gång\s+per\s+år|årsvis|kvartalsvis|varje\s+kvartal
             |halvårsvis|två\s+gånger\s+per\s+år|varje\s+månad|månadsvis|varje\s+termin)
        (?:[^.]{{0,60}}?(?-u:\b)i\s+(?P<m>{MONTH_ALT})(?-u:\b))?
        "
    ))
    .expect("valid regex")
});

/// A recurrence written in a table cell: as in running text, or
/// "Löpande" (continuous work: never overdue).
pub(super) fn cell_cadence(cell: &str) -> Option<String> {
    let l = cell.trim().to_lowercase();
    if l.starts_with("löpande") || l.starts_with("kontinuerligt") || l.starts_with("fortlöpande")
    {
        return Some("löpande".to_owned());
    }
    cadence_in(cell)
}

/// A recurrence: "årligen", "årligen i mars".
pub(super) fn cadence_in(s: &str) -> Option<String> {
    let c = CADENCE.captures(s)?;
    let m = c.get(0)?;
    if !crate::word_bounded(s, &m) {
        return None;
    }
    let base = normalize(&c["c"].to_lowercase());
    Some(match c.name("m") {
        // "årligen i mars 2025" names one occasion, not the recurrence.
        Some(mo)
            if !s[mo.end()..]
                .trim_start()
                .starts_with(|ch: char| ch.is_ascii_digit()) =>
        {
            format!("{base} i {}", mo.as_str().to_lowercase())
        }
        _ => base,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commitments::test_support::range;

    #[test]
    fn deadlines_in_swedish() {
        assert_eq!(
            deadline_in(
                "ska återredovisas till kommunstyrelsen senast april 2017",
                false
            ),
            Some(range("2017-04-01", "2017-04-30"))
        );
        assert_eq!(
            deadline_in("Handlingsplanerna ska implementeras under 2017.", false),
            Some(range("2017-01-01", "2017-12-31"))
        );
        assert_eq!(
            deadline_in("ska återrapporteras senast i oktober 2023", false),
            Some(range("2023-10-01", "2023-10-31"))
        );
        assert_eq!(
            deadline_in("senast 2024-06-30", false),
            Some(range("2024-06-30", "2024-06-30"))
        );
        assert_eq!(
            deadline_in("Ärendet ska besvaras innan 14 maj 2031.", false),
            Some(range("2031-05-14", "2031-05-14"))
        );
        assert_eq!(deadline_in("gäller från 2017 till 2019", false), None);
        assert_eq!(deadline_in("vad som gjorts i juni 2023", false), None);
        assert_eq!(
            deadline_in("att utreda saken och återrapportera i oktober 2031", false),
            Some(range("2031-10-01", "2031-10-31"))
        );
        assert_eq!(
            deadline_in(
                "Uppdraget ska redovisas för fritidsnämnden i mars 2031.",
                false
            ),
            Some(range("2031-03-01", "2031-03-31"))
        );
        assert_eq!(
            deadline_in("Förvaltningen redovisade läget i mars 2031.", false),
            None,
            "a report told as given is no deadline"
        );
        assert_eq!(
            deadline_in("Arbetet redovisas. Bryggan byggdes i mars 2031.", false),
            None,
            "the report verb must be in the same sentence"
        );
        assert!(deadline_in("vad som gjorts i juni 2023", true).is_some());
    }

    #[test]
    fn cadences() {
        assert_eq!(
            cadence_in("Uppföljning redovisas årligen för kommunstyrelsen i mars.").as_deref(),
            Some("årligen i mars")
        );
        assert_eq!(
            cadence_in("årligen i november").as_deref(),
            Some("årligen i november")
        );
        assert_eq!(
            cadence_in("Nästa årliga uppföljning redovisas i mars 2025"),
            None,
            "one occasion is not a cadence"
        );
        assert_eq!(cadence_in("kvartalsvis").as_deref(), Some("kvartalsvis"));
    }

    #[test]
    fn periods_as_councils_write_them() {
        let y = Some(2031);
        assert_eq!(
            cell_deadline("HT 2030", y),
            Some(range("2030-08-01", "2030-12-31"))
        );
        assert_eq!(
            cell_deadline("VT 2031", y),
            Some(range("2031-01-01", "2031-06-30"))
        );
        assert_eq!(
            cell_deadline("Q2 2030", y),
            Some(range("2030-04-01", "2030-06-30"))
        );
        assert_eq!(
            cell_deadline("tertial 3", y),
            Some(range("2031-09-01", "2031-12-31"))
        );
        assert_eq!(
            cell_deadline("senast 2030-05-15", y),
            Some(range("2030-05-15", "2030-05-15"))
        );
        assert_eq!(
            cell_deadline("300915", y),
            Some(range("2030-09-15", "2030-09-15"))
        );
        assert_eq!(
            deadline_in("Arbetet ska vara klart under VT 2030.", false),
            Some(range("2030-01-01", "2030-06-30"))
        );
        assert_eq!(cell_cadence("Löpande").as_deref(), Some("löpande"));
        assert_eq!(cell_deadline("Löpande", y), None);
    }

    #[test]
    fn a_council_meeting_named_by_its_month_is_that_month() {
        assert_eq!(
            deadline_in(
                "Utredningen redovisas för fullmäktige senast vid novembersammanträdet 2032.",
                false
            ),
            Some(range("2032-11-01", "2032-11-30"))
        );
        // A report moved to a year is due that year; a year "till" which
        // something lasts is none.
        assert_eq!(
            deadline_in("Redovisningen av uppdraget flyttas fram till 2032.", false),
            Some(range("2032-01-01", "2032-12-31"))
        );
        assert_eq!(deadline_in("Avtalet gäller till 2032.", false), None);
        assert_eq!(deadline_in("Avtalet förlängs till 2032.", false), None);
        // The year's last meeting is in December; the budget meeting's
        // month is the council's own, so only its year is known.
        assert_eq!(
            deadline_in(
                "Utredningen ska redovisas senast vid sista sammanträdet 2032.",
                false
            ),
            Some(range("2032-12-01", "2032-12-31"))
        );
        assert_eq!(
            deadline_in(
                "Utredningen ska redovisas senast vid budgetsammanträdet 2032.",
                false
            ),
            Some(range("2032-01-01", "2032-12-31"))
        );
        assert_eq!(
            deadline_in("Frågan togs upp vid sista sammanträdet 2031.", false),
            None
        );
        // A meeting told of, or one of no month, sets no deadline.
        assert_eq!(
            deadline_in("Frågan togs upp vid junisammanträdet 2031.", false),
            None
        );
        assert_eq!(
            deadline_in("Frågan togs upp på sammanträdet 2031.", false),
            None
        );
    }
}

//! Dates in ISO and Swedish forms: "2019-12-18", "20 januari 2021",
//! "12 juni" (year from context), "februari 2022", "under 2017".

use std::sync::LazyLock;

use kedja_model::{Date, DateMention, DateRange};
use regex::Regex;

use crate::lexicon::{MONTH_ALT, month};

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?xi)
        (?-u:\b)(?P<iy>(?:19|20)\d\d)(?:-(?P<im>[01]\d)-(?P<id>[0-3]\d)|–(?P<jm>[01]\d)–(?P<jd>[0-3]\d))(?-u:\b)
        | (?-u:\b)(?P<d>[0-3]?\d)(?:\:e|\:a)?\s+(?P<m>{MONTH_ALT})(?:\s+(?P<y>(?:19|20)\d\d))?(?-u:\b)
        | (?-u:\b)(?P<m2>{MONTH_ALT})\s+(?P<y2>(?:19|20)\d\d)(?-u:\b)
        | (?P<pre>under|år|året|sedan|till|från|inför|efter|före|i|hösten|våren|sommaren|vintern|togs|antogs|beslutades|lämnades|gjordes|infördes)\s+(?P<y3>(?:19|20)\d\d)(?-u:\b)(?:[-–/]\d)?
        "
    ))
    .expect("valid regex")
});

/// Every date in `text`. A day and month without a year takes `default_year`
/// of the closest year written before it, else `default_year`.
pub(crate) fn find_dates(text: &str, default_year: Option<i32>) -> Vec<DateMention> {
    let mut out = Vec::new();
    let mut last_year: Option<i32> = None;
    for c in DATE.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        if c.name("pre").is_some() && !crate::at_word_start(text, m.start()) {
            continue;
        }
        let range = if let Some(y) = c.name("iy") {
            let y: i32 = y.as_str().parse().unwrap_or(0);
            // "2026-03-24", or typeset with en dashes, "2026–03–24".
            let part = |a: &str, b: &str| {
                c.name(a)
                    .or_else(|| c.name(b))
                    .and_then(|m| m.as_str().parse::<u8>().ok())
                    .unwrap_or(0)
            };
            let mo = part("im", "jm");
            let d = part("id", "jd");
            let date = time::Month::try_from(mo)
                .ok()
                .and_then(|mo| Date::from_calendar_date(y, mo, d).ok());
            date.map(DateRange::day)
        } else if let Some(mname) = c.name("m") {
            let Some(mo) = month(mname.as_str()) else {
                continue;
            };
            let y = c
                .name("y")
                .and_then(|y| y.as_str().parse().ok())
                .or(last_year)
                .or(default_year);
            let d: u8 = c["d"].parse().unwrap_or(0);
            y.and_then(|y| Date::from_calendar_date(y, mo, d).ok())
                .map(DateRange::day)
        } else if let Some(mname) = c.name("m2") {
            let y: i32 = c["y2"].parse().unwrap_or(0);
            month(mname.as_str()).and_then(|mo| DateRange::month(y, mo))
        } else if let Some(y) = c.name("y3") {
            y.as_str().parse().ok().and_then(DateRange::year)
        } else {
            None
        };
        if let Some(range) = range {
            last_year = Some(range.start.year());
            out.push(DateMention {
                range,
                text: m.as_str().to_owned(),
                start: m.start(),
                end: m.end(),
            });
        }
    }
    out
}

/// A term of `year` as Swedish writes it: the autumn ("hösten", "HT") is
/// August to December, the spring ("våren", "VT") January to June.
pub(crate) fn term(year: i32, autumn: bool) -> Option<DateRange> {
    if autumn {
        months(year, 8, 12)
    } else {
        months(year, 1, 6)
    }
}

/// The months `first..=last` of `year` as one range.
pub(crate) fn months(year: i32, first: u8, last: u8) -> Option<DateRange> {
    let a = DateRange::month(year, time::Month::try_from(first).ok()?)?;
    let b = DateRange::month(year, time::Month::try_from(last).ok()?)?;
    Some(DateRange {
        start: a.start,
        end: b.end,
        precision: kedja_model::Precision::Month,
    })
}

/// The first year written in `text`.
pub(crate) fn first_year(text: &str) -> Option<i32> {
    static YEAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?-u:\b)(?:19|20)\d\d(?-u:\b)").expect("valid regex"));
    YEAR.find(text).and_then(|m| m.as_str().parse().ok())
}

/// A day set as a line of its own in letter-spaced display type, as a
/// cover prints it ("2 0 3 0 - 04 - 17", "20 30 - 04 - 17"): the text layer
/// keeps the spacing as spaces, so the ordinary reading of dates, which
/// must not join numbers of a table, passes it over. Only the first lines
/// of the text, where a cover stands, are looked at.
pub(crate) fn display_day(text: &str) -> Option<Date> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(40)
        .find_map(spaced_day)
}

/// The day of a line that is a letter-spaced day and nothing else; a
/// plain "2030-04-17" is the ordinary reading's.
pub(crate) fn spaced_day(line: &str) -> Option<Date> {
    static SPACED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?P<y>(?:1 ?9|2 ?0) ?\d ?\d) ?[-–] ?(?P<m>[01] ?\d) ?[-–] ?(?P<d>[0-3] ?\d)$")
            .expect("valid regex")
    });
    let line = line.trim();
    let c = SPACED.captures(line)?;
    if !line.contains(' ') {
        return None;
    }
    let digits = |k: &str| c[k].replace(' ', "");
    kedja_model::parse_iso_date(&format!("{}-{}-{}", digits("y"), digits("m"), digits("d")))
}

/// The day a file's name gives it, when the name holds exactly one
/// ("rapport-borgensavgifter-2026-03-26.pdf"): a gap filler for a text
/// that names no date of its own. A name with two days names a period
/// ("hyresavtal-2026-03-01-till-2028-05-31"), not the document's day; only
/// the last part of a path counts, since folders name the meeting.
pub fn date_in_file_name(path: &str) -> Option<Date> {
    static ISO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"((?:19|20)\d\d)[-_]([01]\d)[-_]([0-3]\d)").expect("valid regex")
    });
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let digit_at = |i: usize| name.as_bytes().get(i).is_some_and(u8::is_ascii_digit);
    let mut days = ISO.captures_iter(name).filter_map(|c| {
        let m = c.get(0)?;
        if (m.start() > 0 && digit_at(m.start() - 1)) || digit_at(m.end()) {
            return None;
        }
        kedja_model::parse_iso_date(&format!("{}-{}-{}", &c[1], &c[2], &c[3]))
    });
    let first = days.next()?;
    days.all(|d| d == first).then_some(first)
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_letter_spaced_day_on_a_line_of_its_own_dates_a_cover() {
        let d = |t: &str| display_day(t).map(|d| d.to_string());
        assert_eq!(
            d("RAPPORT\nTAXOR\n\n2 0 3 0 - 04 - 17\n\nAB Ekbo\n").as_deref(),
            Some("2030-04-17")
        );
        assert_eq!(
            d("TAXOR 20 30 - 04 - 17 AB Ekbo\n20 30 - 04 - 17\n").as_deref(),
            Some("2030-04-17")
        );
        // Numbers of a table, a plain date (read elsewhere), no day.
        assert_eq!(d("Summa\n2 0 3 0 - 04 - 17 kr\n"), None);
        assert_eq!(d("2030-04-17\n"), None);
        assert_eq!(d("2 0 3 0 - 13 - 40\n"), None);
    }

    #[test]
    fn a_file_name_with_one_day_gives_that_day() {
        let d = |p: &str| date_in_file_name(p).map(|d| d.to_string());
        assert_eq!(
            d("kf/2026-06-10/bilagor/rapport-borgensavgifter-2026-03-26.pdf").as_deref(),
            Some("2026-03-26")
        );
        // The folder's day is the meeting's, not the document's.
        assert_eq!(d("kf/2026-06-10/bilagor/rapport.pdf"), None);
        // Two days name a period.
        assert_eq!(d("hyresavtal-2026-03-01-till-2028-05-31.pdf"), None);
        assert_eq!(d("delegationslista-2026-04-01-2026-04-30.pdf"), None);
        // Not a day, or part of a longer number.
        assert_eq!(d("plan-2026-13-40.pdf"), None);
        assert_eq!(d("ref-12026-03-26.pdf"), None);
    }
    use super::*;
    use kedja_model::Precision;

    fn check(text: &str, default_year: Option<i32>, expected: &[(&str, &str, &str)]) {
        let got: Vec<(String, String, String)> = find_dates(text, default_year)
            .into_iter()
            .map(|d| (d.text, d.range.start.to_string(), d.range.end.to_string()))
            .collect();
        let expected: Vec<(String, String, String)> = expected
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn iso_and_swedish_days() {
        check(
            "INTERPELLATION 20 januari 2021, beslut 2019-12-18/§ 334",
            None,
            &[
                ("20 januari 2021", "2021-01-20", "2021-01-20"),
                ("2019-12-18", "2019-12-18", "2019-12-18"),
            ],
        );
    }

    #[test]
    fn iso_dates_typeset_with_en_dashes() {
        check(
            "Datum: 2025–10–08, ramar 2027–2029",
            None,
            &[("2025–10–08", "2025-10-08", "2025-10-08")],
        );
    }

    #[test]
    fn months_and_years() {
        check(
            "I februari 2022 lämnades en motion. Senast april 2017. Implementeras under 2017.",
            None,
            &[
                ("februari 2022", "2022-02-01", "2022-02-28"),
                ("april 2017", "2017-04-01", "2017-04-30"),
                ("under 2017", "2017-01-01", "2017-12-31"),
            ],
        );
    }

    #[test]
    fn day_without_year_takes_context() {
        check(
            "godkände den 12 juni en avrapportering",
            Some(2023),
            &[("12 juni", "2023-06-12", "2023-06-12")],
        );
        check(
            "Den 3 maj 2022 och den 12 juni",
            None,
            &[
                ("3 maj 2022", "2022-05-03", "2022-05-03"),
                ("12 juni", "2022-06-12", "2022-06-12"),
            ],
        );
        check("den 12 juni", None, &[]);
    }

    #[test]
    fn impossible_dates_are_skipped() {
        check("2021-02-30 och 31 april 2020", None, &[]);
        assert_eq!(
            find_dates("i maj 2023", None)[0].range.precision,
            Precision::Month
        );
    }
}

//! Date ranges: a day, a month or a year as written in Swedish documents.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// How precisely a date was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Day,
    Month,
    Year,
}

/// Serde for dates as ISO strings ("2022-12-14"), in JSON and in the store.
pub mod iso {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        super::parse_iso_date(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not an ISO date: {s:?}")))
    }

    /// The same for `Option<Date>` (`null` when absent).
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};
        use time::Date;

        pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.collect_str(d),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
            match Option::<String>::deserialize(d)? {
                Some(s) => crate::parse_iso_date(&s)
                    .map(Some)
                    .ok_or_else(|| serde::de::Error::custom(format!("not an ISO date: {s:?}"))),
                None => Ok(None),
            }
        }
    }
}

/// An inclusive range of days. "april 2017" is 2017-04-01..=2017-04-30,
/// "under 2017" the whole year, "2019-12-18" one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateRange {
    #[serde(with = "iso")]
    pub start: Date,
    #[serde(with = "iso")]
    pub end: Date,
    pub precision: Precision,
}

impl DateRange {
    pub fn day(d: Date) -> DateRange {
        DateRange {
            start: d,
            end: d,
            precision: Precision::Day,
        }
    }

    /// The whole month, or `None` for an impossible year.
    pub fn month(year: i32, month: Month) -> Option<DateRange> {
        let start = Date::from_calendar_date(year, month, 1).ok()?;
        let end =
            Date::from_calendar_date(year, month, time::util::days_in_month(month, year)).ok()?;
        Some(DateRange {
            start,
            end,
            precision: Precision::Month,
        })
    }

    pub fn year(year: i32) -> Option<DateRange> {
        let start = Date::from_calendar_date(year, Month::January, 1).ok()?;
        let end = Date::from_calendar_date(year, Month::December, 31).ok()?;
        Some(DateRange {
            start,
            end,
            precision: Precision::Year,
        })
    }

    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }

    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }
}

impl DateRange {
    /// "2022" (the year), "2022-12" (the month) or "2022-12-14" (the day).
    pub fn parse(s: &str) -> Option<DateRange> {
        let s = s.trim();
        match s.len() {
            4 => DateRange::year(s.parse().ok()?),
            7 => {
                let (y, m) = s.split_once('-')?;
                DateRange::month(
                    y.parse().ok()?,
                    Month::try_from(m.parse::<u8>().ok()?).ok()?,
                )
            }
            10 => parse_iso_date(s).map(DateRange::day),
            _ => None,
        }
    }
}

/// Parse an ISO date ("2022-12-14"); anything after the tenth byte is ignored,
/// so timestamps work too.
pub fn parse_iso_date(s: &str) -> Option<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.get(..10)?, fmt).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_serialize_as_iso() {
        let r = DateRange::month(2017, Month::April).unwrap();
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(
            json,
            r#"{"start":"2017-04-01","end":"2017-04-30","precision":"month"}"#
        );
        assert_eq!(serde_json::from_str::<DateRange>(&json).unwrap(), r);
    }

    #[test]
    fn month_range_covers_the_month() {
        let r = DateRange::month(2024, Month::February).unwrap();
        assert_eq!(r.start, date!(2024 - 02 - 01));
        assert_eq!(r.end, date!(2024 - 02 - 29));
        assert!(r.contains(date!(2024 - 02 - 15)));
        assert!(!r.contains(date!(2024 - 03 - 01)));
    }

    #[test]
    fn year_overlaps_day() {
        let y = DateRange::year(2017).unwrap();
        assert!(y.overlaps(&DateRange::day(date!(2017 - 06 - 12))));
        assert!(!y.overlaps(&DateRange::day(date!(2018 - 01 - 01))));
    }
}

//! Swedish word lists: months, parties, municipalities.

use time::Month;

/// Month names and their common abbreviations.
pub(crate) fn month(word: &str) -> Option<Month> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('.');
    Some(match w {
        "januari" | "jan" => Month::January,
        "februari" | "feb" => Month::February,
        "mars" | "mar" => Month::March,
        "april" | "apr" => Month::April,
        "maj" => Month::May,
        "juni" | "jun" => Month::June,
        "juli" | "jul" => Month::July,
        "augusti" | "aug" => Month::August,
        "september" | "sep" | "sept" => Month::September,
        "oktober" | "okt" => Month::October,
        "november" | "nov" => Month::November,
        "december" | "dec" => Month::December,
        _ => return None,
    })
}

/// Regex alternation of month names (full forms first so they win).
pub(crate) const MONTH_ALT: &str =
    "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december";

/// National parties: abbreviation, full name, older or genitive forms.
const PARTIES: &[(&str, &[&str])] = &[
    ("S", &["socialdemokraterna", "socialdemokratiska arbetarepartiet"]),
    ("M", &["moderaterna", "moderata samlingspartiet"]),
    ("SD", &["sverigedemokraterna"]),
    ("C", &["centerpartiet"]),
    ("V", &["vänsterpartiet"]),
    ("KD", &["kristdemokraterna"]),
    ("L", &["liberalerna"]),
    ("FP", &["folkpartiet", "folkpartiet liberalerna"]),
    ("MP", &["miljöpartiet", "miljöpartiet de gröna"]),
    ("NYD", &["ny demokrati"]),
];

/// Abbreviations accepted inside parentheses after a name.
pub(crate) const PARTY_ABBR_ALT: &str = "S|M|SD|C|V|KD|L|FP|MP|NYD|KPL|SPI|FI|-";

/// The party abbreviation for a full party name, if it is a national party.
pub(crate) fn party_abbreviation(name: &str) -> Option<&'static str> {
    let n = name.trim().to_lowercase();
    PARTIES.iter().find(|(_, names)| names.contains(&n.as_str())).map(|(a, _)| *a)
}

/// Sweden's 290 municipalities (kommuner), in the form used before "kommun"
/// or "stad".
pub(crate) const MUNICIPALITIES: &[&str] = &[
    "Ale", "Alingsås", "Alvesta", "Aneby", "Arboga", "Arjeplog", "Arvidsjaur", "Arvika", "Askersund",
    "Avesta", "Bengtsfors", "Berg", "Bjurholm", "Bjuv", "Boden", "Bollebygd", "Bollnäs", "Borgholm",
    "Borlänge", "Borås", "Botkyrka", "Boxholm", "Bromölla", "Bräcke", "Burlöv", "Båstad", "Dals-Ed",
    "Danderyd", "Degerfors", "Dorotea", "Eda", "Ekerö", "Eksjö", "Emmaboda", "Enköping", "Eskilstuna",
    "Eslöv", "Essunga", "Fagersta", "Falkenberg", "Falköping", "Falun", "Filipstad", "Finspång",
    "Flen", "Forshaga", "Färgelanda", "Gagnef", "Gislaved", "Gnesta", "Gnosjö", "Gotland", "Grums",
    "Grästorp", "Gullspång", "Gällivare", "Gävle", "Göteborg", "Götene", "Habo", "Hagfors", "Hallsberg",
    "Hallstahammar", "Halmstad", "Hammarö", "Haninge", "Haparanda", "Heby", "Hedemora", "Helsingborg",
    "Herrljunga", "Hjo", "Hofors", "Huddinge", "Hudiksvall", "Hultsfred", "Hylte", "Håbo", "Hällefors",
    "Härjedalen", "Härnösand", "Härryda", "Hässleholm", "Höganäs", "Högsby", "Hörby", "Höör",
    "Jokkmokk", "Järfälla", "Jönköping", "Kalix", "Kalmar", "Karlsborg", "Karlshamn", "Karlskoga",
    "Karlskrona", "Karlstad", "Katrineholm", "Kil", "Kinda", "Kiruna", "Klippan", "Knivsta", "Kramfors",
    "Kristianstad", "Kristinehamn", "Krokom", "Kumla", "Kungsbacka", "Kungsör", "Kungälv", "Kävlinge",
    "Köping", "Laholm", "Landskrona", "Laxå", "Lekeberg", "Leksand", "Lerum", "Lessebo", "Lidingö",
    "Lidköping", "Lilla Edet", "Lindesberg", "Linköping", "Ljungby", "Ljusdal", "Ljusnarsberg", "Lomma",
    "Ludvika", "Luleå", "Lund", "Lycksele", "Lysekil", "Malmö", "Malung-Sälen", "Malå", "Mariestad",
    "Mark", "Markaryd", "Mellerud", "Mjölby", "Mora", "Motala", "Mullsjö", "Munkedal", "Munkfors",
    "Mölndal", "Mönsterås", "Mörbylånga", "Nacka", "Nora", "Norberg", "Nordanstig", "Nordmaling",
    "Norrköping", "Norrtälje", "Norsjö", "Nybro", "Nykvarn", "Nyköping", "Nynäshamn", "Nässjö",
    "Ockelbo", "Olofström", "Orsa", "Orust", "Osby", "Oskarshamn", "Ovanåker", "Oxelösund", "Pajala",
    "Partille", "Perstorp", "Piteå", "Ragunda", "Robertsfors", "Ronneby", "Rättvik", "Sala",
    "Salem", "Sandviken", "Sigtuna", "Simrishamn", "Sjöbo", "Skara", "Skellefteå", "Skinnskatteberg",
    "Skurup", "Skövde", "Smedjebacken", "Sollefteå", "Sollentuna", "Solna", "Sorsele", "Sotenäs",
    "Staffanstorp", "Stenungsund", "Stockholm", "Storfors", "Storuman", "Strängnäs", "Strömstad",
    "Strömsund", "Sundbyberg", "Sundsvall", "Sunne", "Surahammar", "Svalöv", "Svedala", "Svenljunga",
    "Säffle", "Säter", "Sävsjö", "Söderhamn", "Söderköping", "Södertälje", "Sölvesborg", "Tanum",
    "Tibro", "Tidaholm", "Tierp", "Timrå", "Tingsryd", "Tjörn", "Tomelilla", "Torsby", "Torsås",
    "Tranemo", "Tranås", "Trelleborg", "Trollhättan", "Trosa", "Tyresö", "Täby", "Töreboda",
    "Uddevalla", "Ulricehamn", "Umeå", "Upplands Väsby", "Upplands-Bro", "Uppsala", "Uppvidinge",
    "Vadstena", "Vaggeryd", "Valdemarsvik", "Vallentuna", "Vansbro", "Vara", "Varberg", "Vaxholm",
    "Vellinge", "Vetlanda", "Vilhelmina", "Vimmerby", "Vindeln", "Vingåker", "Vårgårda", "Vänersborg",
    "Vännäs", "Värmdö", "Värnamo", "Västervik", "Västerås", "Växjö", "Ydre", "Ystad", "Åmål", "Ånge",
    "Åre", "Årjäng", "Åsele", "Åstorp", "Åtvidaberg", "Älmhult", "Älvdalen", "Älvkarleby", "Älvsbyn",
    "Ängelholm", "Öckerö", "Ödeshög", "Örebro", "Örkelljunga", "Örnsköldsvik", "Östersund",
    "Österåker", "Östhammar", "Östra Göinge", "Överkalix", "Övertorneå",
];

/// Fold å, ä, ö, é to ASCII as web addresses do ("mjolby.se").
pub(crate) fn ascii_fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'å' | 'ä' | 'Å' | 'Ä' => 'a',
            'ö' | 'Ö' => 'o',
            'é' | 'É' => 'e',
            c => c.to_ascii_lowercase(),
        })
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect()
}

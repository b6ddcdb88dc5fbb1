//! Renders the PDF documents of the demo corpus: every
//! `data/demo-src/<municipality>/<name>.txt` becomes
//! `data/demo/<municipality>/<name>.pdf`. Run after editing a source;
//! a test checks that the committed PDFs still carry their sources' text.

use std::path::Path;

fn main() -> anyhow::Result<()> {
    let root = kedja_tests::repo_root();
    let src = root.join("data/demo-src");
    let dst = root.join("data/demo");
    let mut n = 0;
    for muni in std::fs::read_dir(&src)? {
        let muni = muni?.path();
        if !muni.is_dir() {
            continue;
        }
        let name = muni.file_name().expect("a folder name");
        for file in std::fs::read_dir(&muni)? {
            let file = file?.path();
            if file.extension().and_then(|e| e.to_str()) != Some("txt") {
                continue;
            }
            let text = std::fs::read_to_string(&file)?;
            let out = dst
                .join(name)
                .join(Path::new(file.file_name().expect("a file name")).with_extension("pdf"));
            std::fs::create_dir_all(out.parent().expect("a parent"))?;
            std::fs::write(&out, kedja_tests::pdf::text_pdf(&text))?;
            println!("wrote {}", out.display());
            n += 1;
        }
    }
    println!("{n} PDFs");
    Ok(())
}

//! Reading a PDF back with the tools .ci/run installs: pdftotext (poppler-utils) and qpdf.
//! Where one is absent, the checks that need it are skipped, with a notice.
//!
//! Shared by the integration tests and the unit tests of the PDF layer, which include this
//! file with `#[path]` (src/render/pdf/tests.rs): std only, and only what both use.

use std::path::Path;
use std::process::Command;

/// Whether `name` can be run; when not, says that its checks are skipped.
pub fn tool(name: &str) -> bool {
    let found = Command::new(name).arg("-v").output().is_ok();
    if !found {
        eprintln!(
            "{name} absent: the PDF checks that need it are skipped \
             (.ci/run installs poppler-utils and qpdf)"
        );
    }
    found
}

/// The text pdftotext reads from the PDF at `path`: one page, or all of them, each ending
/// with a form feed.
pub fn pdftotext(path: &Path, page: Option<usize>) -> String {
    let mut cmd = Command::new("pdftotext");
    if let Some(p) = page {
        cmd.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let out = cmd.arg(path).arg("-").output().expect("pdftotext");
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 text")
}

/// `qpdf --check` finds no error in the PDF at `path`.
pub fn assert_qpdf_check(path: &Path) {
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(path)
        .output()
        .expect("qpdf");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "qpdf --check failed: {report}");
    assert!(
        report.contains("No syntax or stream encoding errors"),
        "{report}"
    );
}

//! Rendering a workbook the way a person prints it: LibreOffice (`soffice --headless
//! --convert-to pdf`), installed by .ci/run when it can be. Where it is absent, the checks
//! that need it are skipped, with a notice.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The PDF LibreOffice prints from `workbook`, written beside it; `None` (with a notice) when
/// soffice is not installed.
pub fn print_to_pdf(workbook: &Path) -> Option<PathBuf> {
    if Command::new("soffice").arg("--version").output().is_err() {
        eprintln!(
            "soffice absent: the printed-page checks are skipped \
             (.ci/run installs libreoffice-calc-nogui)"
        );
        return None;
    }
    let folder = workbook.parent().expect("the workbook's folder");
    // A profile of its own: two soffice processes sharing one would wait on each other.
    let profile = folder.join(".soffice-profile");
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(folder)
        .arg(workbook)
        .output()
        .expect("soffice");
    let pdf = workbook.with_extension("pdf");
    assert!(
        out.status.success() && pdf.is_file(),
        "soffice could not print {}: {}",
        workbook.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(pdf)
}

/// The number of pages of a PDF, from pdftotext's form feeds.
pub fn pages(text: &str) -> usize {
    text.matches('\u{c}').count()
}

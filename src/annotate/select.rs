//! Which diagnostics a copy shows: those of its file, bounded like every other output
//! (at most `max_per_code` of one code, 0 for all), with how many of each code were left out.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;

/// The diagnostics of one file that its copy marks and lists.
#[derive(Debug, Default)]
pub struct Selection<'d> {
    /// In the order of the other outputs.
    pub kept: Vec<&'d Diagnostic>,
    /// Codes with diagnostics left out, and how many.
    pub truncated: Vec<(&'static str, usize)>,
    /// Diagnostics about the whole data set (no file): not in any copy.
    pub data_set_wide: usize,
}

impl Selection<'_> {
    /// The file's diagnostics, kept or not.
    pub fn total(&self) -> usize {
        self.kept.len() + self.truncated.iter().map(|(_, n)| n).sum::<usize>()
    }
}

/// The diagnostics of the `file`-th file, at most `max_per_code` of one code (0: all).
pub fn of_file(diagnostics: &[Diagnostic], file: u32, max_per_code: usize) -> Selection<'_> {
    let mut selection = Selection::default();
    let mut seen: BTreeMap<&'static str, usize> = BTreeMap::new();
    for d in diagnostics {
        match d.file_index {
            None => selection.data_set_wide += 1,
            Some(f) if f == file => {
                let n = seen.entry(d.code).or_default();
                *n += 1;
                if max_per_code == 0 || *n <= max_per_code {
                    selection.kept.push(d);
                }
            }
            Some(_) => {}
        }
    }
    selection.truncated = seen
        .into_iter()
        .filter(|&(_, n)| max_per_code > 0 && n > max_per_code)
        .map(|(code, n)| (code, n - max_per_code))
        .collect();
    selection
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Severity, Source};

    struct Rule(&'static str);
    impl Source for Rule {
        fn code(&self) -> &'static str {
            self.0
        }
        fn severity(&self) -> Severity {
            Severity::Erreur
        }
    }

    fn diag(code: &'static str, file: Option<u32>) -> Diagnostic {
        let mut d = Diagnostic::new(&Rule(code), "m");
        d.file_index = file;
        d
    }

    #[test]
    fn keeps_the_files_own_within_the_bound() {
        let all = vec![
            diag("V001", Some(0)),
            diag("V001", Some(0)),
            diag("V001", Some(0)),
            diag("R002", Some(0)),
            diag("V001", Some(1)),
            diag("O001", None),
        ];
        let s = of_file(&all, 0, 0);
        assert_eq!(s.kept.len(), 4);
        assert!(s.truncated.is_empty());
        assert_eq!(s.data_set_wide, 1);
        let s = of_file(&all, 0, 2);
        assert_eq!(s.kept.len(), 3);
        assert_eq!(s.truncated, vec![("V001", 1)]);
        assert_eq!(s.total(), 4);
    }
}

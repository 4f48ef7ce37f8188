//! Opening files in folders that others can write to (the shared input folder, an output
//! folder inside it) without being led elsewhere: no blocking on a named pipe planted where a
//! file was expected, no following of a symbolic link where the tool's own files live, and
//! the identity (device and inode) of what was found, to check that what is read later is
//! the same file.

use std::fs::{File, Metadata, OpenOptions};
use std::io;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::Path;

/// A file's identity on this machine: the same file, whatever the path it is reached by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identity {
    device: u64,
    inode: u64,
}

impl Identity {
    pub fn of(meta: &Metadata) -> Self {
        Identity {
            device: meta.dev(),
            inode: meta.ino(),
        }
    }

    /// The identity of what `path` leads to, links followed.
    pub fn of_path(path: &Path) -> io::Result<Self> {
        std::fs::metadata(path).map(|m| Identity::of(&m))
    }
}

/// Opens a submitted file for reading, as the path leads (discovery judged the links on the
/// way). Never blocks: a named pipe or a device swapped in is opened without waiting for a
/// writer, then found not to be a regular file by whoever reads it.
pub fn read_only(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// Opens `path` for reading without following a symbolic link at its last component.
pub fn read_no_follow(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

/// Opens `path` for writing, created if absent, never truncated, without following a
/// symbolic link at its last component (not even a dangling one: nothing is created
/// elsewhere).
pub fn write_no_follow(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

/// Whether an open failed because the last component is a symbolic link (`O_NOFOLLOW`), or
/// because resolving a path met a loop of links.
pub fn is_link_refusal(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_refused_where_they_must_not_be_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        std::fs::write(&target, b"secret").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();

        assert!(is_link_refusal(&read_no_follow(&link).unwrap_err()));
        assert!(is_link_refusal(&write_no_follow(&link).unwrap_err()));
        assert!(is_link_refusal(&write_no_follow(&dangling).unwrap_err()));
        assert!(
            !dir.path().join("nowhere").exists(),
            "nothing created through the link"
        );
        assert_eq!(std::fs::read(&target).unwrap(), b"secret");

        let opened = read_only(&link).unwrap();
        assert_eq!(
            Identity::of(&opened.metadata().unwrap()),
            Identity::of_path(&target).unwrap()
        );
    }

    #[test]
    fn a_named_pipe_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.csv");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let file = read_only(&fifo).unwrap();
        assert!(!file.metadata().unwrap().is_file());
        drop(file);
        // For writing, with no reader: refused at once (ENXIO) instead of waiting.
        assert!(write_no_follow(&fifo).is_err());
    }
}

//! SHA-256 fingerprints written as lowercase hex: the manifest's inputs, referential and
//! templates, and the PDF's document id. A bottom module: it imports nothing from the crate.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes`, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The SHA-256 of a file's content, read in chunks, as 64 lowercase hex digits.
pub fn sha256_file_hex(path: &Path) -> std::io::Result<String> {
    sha256_reader_hex(std::fs::File::open(path)?)
}

/// The SHA-256 of everything `reader` gives, read in chunks, as 64 lowercase hex digits.
pub fn sha256_reader_hex(mut file: impl Read) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_as_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_file_hashes_like_its_bytes() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        let bytes = vec![7u8; (1 << 16) + 3];
        std::io::Write::write_all(&mut file, &bytes).unwrap();
        assert_eq!(sha256_file_hex(file.path()).unwrap(), sha256_hex(&bytes));
    }
}

//! The bundled sample corpus, embedded in the binary so `readout serve`
//! works from any directory on a fresh machine.

use include_dir::{include_dir, Dir};

static SAMPLES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/samples");

/// Every bundled sample document as `(file name, text)`, sorted by name.
pub fn documents() -> Vec<(&'static str, &'static str)> {
    let mut docs: Vec<_> = SAMPLES
        .files()
        .filter_map(|file| {
            let name = file.path().file_name()?.to_str()?;
            Some((name, file.contents_utf8()?))
        })
        .collect();
    docs.sort_by_key(|(name, _)| *name);
    docs
}

#[cfg(test)]
mod tests {
    #[test]
    fn all_five_samples_are_embedded() {
        let docs = super::documents();
        assert_eq!(docs.len(), 5);
        assert!(docs
            .iter()
            .all(|(name, text)| name.ends_with(".txt") && !text.is_empty()));
    }
}

//! Text edits at byte ranges of one file, applied together.

use std::ops::Range;

pub struct Edits<'a> {
    text: &'a str,
    /// (range replaced, replacement); an insertion has an empty range.
    edits: Vec<(Range<usize>, String)>,
}

impl<'a> Edits<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            edits: Vec::new(),
        }
    }

    pub fn replace(&mut self, range: Range<usize>, with: String) {
        self.edits.push((range, with));
    }

    pub fn insert(&mut self, at: usize, text: String) {
        self.edits.push((at..at, text));
    }

    /// Removes `range`, with its whole line when nothing else is on it.
    pub fn remove_line(&mut self, range: Range<usize>) {
        let t = self.text;
        let start = t[..range.start].rfind('\n').map_or(0, |n| n + 1);
        let end = t[range.end..]
            .find('\n')
            .map_or(t.len(), |n| range.end + n + 1);
        let alone = t[start..range.start].trim().is_empty() && t[range.end..end].trim().is_empty();
        self.edits
            .push((if alone { start..end } else { range }, String::new()));
    }

    /// The text with every edit made. Edits are made in order of position; of two at the same
    /// place, insertions come first in the order they were added. Overlapping edits keep the
    /// first (they cannot arise from distinct syntax nodes).
    pub fn apply(mut self) -> String {
        self.edits.sort_by_key(|(r, _)| (r.start, r.end > r.start));
        let mut out = String::with_capacity(self.text.len() + 256);
        let mut at = 0;
        for (r, with) in self.edits {
            if r.start < at {
                continue;
            }
            out.push_str(&self.text[at..r.start]);
            out.push_str(&with);
            at = r.end;
        }
        out.push_str(&self.text[at..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacements_insertions_and_line_removal() {
        let text = "a = 1\n  b = 2\nc = 3\n";
        let mut e = Edits::new(text);
        e.replace(0..1, "x".into());
        e.remove_line(8..13);
        e.insert(text.len(), "d = 4\n".into());
        e.insert(0, "# top\n".into());
        assert_eq!(e.apply(), "# top\nx = 1\nc = 3\nd = 4\n");
    }

    #[test]
    fn a_removal_sharing_its_line_removes_only_itself() {
        let text = "x { a = 1 }\n";
        let mut e = Edits::new(text);
        e.remove_line(4..9);
        assert_eq!(e.apply(), "x {  }\n");
    }
}

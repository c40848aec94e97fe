//! A unified diff of two texts, line by line, for `migrate` without `--write`.

/// `---`/`+++` headers and `@@` hunks with `context` lines around each change; empty when the
/// texts are equal.
pub fn unified(name: &str, old: &str, new: &str, context: usize) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = edit_script(&a, &b);
    let mut out = format!("--- a/{name}\n+++ b/{name}\n");
    // Group the script into hunks: runs of changes with at most 2*context equal lines between.
    let mut i = 0;
    while i < ops.len() {
        if matches!(ops[i], Op::Equal(..)) {
            i += 1;
            continue;
        }
        let start = i.saturating_sub(context);
        let mut end = i;
        let mut equal_run = 0;
        let mut j = i;
        while j < ops.len() {
            if matches!(ops[j], Op::Equal(..)) {
                equal_run += 1;
                if equal_run > 2 * context {
                    break;
                }
            } else {
                equal_run = 0;
                end = j;
            }
            j += 1;
        }
        let stop = (end + context + 1).min(ops.len());
        let hunk = &ops[start..stop];
        let (a0, b0) = positions(&ops[..start]);
        let a_len = hunk.iter().filter(|o| !matches!(o, Op::Insert(_))).count();
        let b_len = hunk.iter().filter(|o| !matches!(o, Op::Delete(_))).count();
        out.push_str(&format!(
            "@@ -{},{} +{},{} @@\n",
            a0 + usize::from(a_len > 0),
            a_len,
            b0 + usize::from(b_len > 0),
            b_len
        ));
        for op in hunk {
            match op {
                Op::Equal(ai, _) => out.push_str(&format!(" {}\n", a[*ai])),
                Op::Delete(ai) => out.push_str(&format!("-{}\n", a[*ai])),
                Op::Insert(bi) => out.push_str(&format!("+{}\n", b[*bi])),
            }
        }
        i = stop;
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Equal(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// Lines of `a` and `b` consumed before the first op of a hunk.
fn positions(before: &[Op]) -> (usize, usize) {
    before.iter().fold((0, 0), |(x, y), op| match op {
        Op::Equal(..) => (x + 1, y + 1),
        Op::Delete(_) => (x + 1, y),
        Op::Insert(_) => (x, y + 1),
    })
}

/// A shortest edit script by longest common subsequence, after trimming the common prefix and
/// suffix (configuration files differ in a few places).
fn edit_script(a: &[&str], b: &[&str]) -> Vec<Op> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let (n, m) = (am.len(), bm.len());
    // lcs[i][j]: length of the LCS of am[i..] and bm[j..].
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if am[i] == bm[j] {
                lcs[at(i + 1, j + 1)] + 1
            } else {
                lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
            };
        }
    }
    let mut ops: Vec<Op> = (0..prefix).map(|k| Op::Equal(k, k)).collect();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && am[i] == bm[j] {
            ops.push(Op::Equal(prefix + i, prefix + j));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
            ops.push(Op::Delete(prefix + i));
            i += 1;
        } else {
            ops.push(Op::Insert(prefix + j));
            j += 1;
        }
    }
    ops.extend((0..suffix).map(|k| Op::Equal(a.len() - suffix + k, b.len() - suffix + k)));
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("main.tf", "a\nb\n", "a\nb\n", 3), "");
    }

    #[test]
    fn one_changed_line_with_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assert_eq!(
            unified("x.tf", old, new, 2),
            "--- a/x.tf\n+++ b/x.tf\n@@ -3,5 +3,5 @@\n 3\n 4\n-5\n+five\n 6\n 7\n"
        );
    }

    #[test]
    fn distant_changes_make_two_hunks_and_appends_are_shown() {
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let new: String = (1..=21)
            .map(|i| {
                if i == 2 {
                    "two\n".to_string()
                } else {
                    format!("{i}\n")
                }
            })
            .collect();
        let d = unified("x.tf", &old, &new, 1);
        assert_eq!(d.matches("@@ ").count(), 2, "{d}");
        assert!(d.contains("-2\n+two\n"), "{d}");
        assert!(d.contains("@@ -20,1 +20,2 @@\n 20\n+21\n"), "{d}");
    }

    #[test]
    fn new_file() {
        assert_eq!(
            unified("moved.tf", "", "a\n", 3),
            "--- a/moved.tf\n+++ b/moved.tf\n@@ -0,0 +1,1 @@\n+a\n"
        );
    }
}

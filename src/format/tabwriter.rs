//! Go's `text/tabwriter` column algorithm, as podman configures it
//! (`report.NewWriterDefault`: minwidth 12, tabwidth 2, padding 2, pad char ' ', no flags).
//!
//! Text is split into lines and tab-terminated cells; a column block is a run of consecutive
//! lines that have a tab-terminated cell in that column, and every cell of a block is padded to
//! the block's widest cell + padding (at least minwidth). The last cell of a line is never
//! padded. Widths count characters (Go counts runes, not display width).

pub const MIN_WIDTH: usize = 12;
pub const PADDING: usize = 2;

struct Tw<'a> {
    lines: Vec<Vec<&'a str>>,
    widths: Vec<usize>,
    out: String,
    minwidth: usize,
    padding: usize,
}

impl Tw<'_> {
    fn write_lines(&mut self, line0: usize, line1: usize) {
        for i in line0..line1 {
            let line = &self.lines[i];
            for (j, cell) in line.iter().enumerate() {
                self.out.push_str(cell);
                if j < self.widths.len() {
                    let n = cell.chars().count();
                    for _ in n..self.widths[j] {
                        self.out.push(' ');
                    }
                }
            }
            if i + 1 < self.lines.len() {
                self.out.push('\n');
            }
        }
    }

    fn format(&mut self, line0: usize, line1: usize) {
        let column = self.widths.len();
        let mut line0 = line0;
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            // A cell exists in this column: print the lines before the block, then size it.
            self.write_lines(line0, this);
            line0 = this;
            let mut width = self.minwidth;
            while this < line1 {
                let line = &self.lines[this];
                if column + 1 >= line.len() {
                    break;
                }
                width = width.max(line[column].chars().count() + self.padding);
                this += 1;
            }
            self.widths.push(width);
            self.format(line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(line0, line1);
    }
}

/// Align `text` with explicit settings.
pub fn align_with(text: &str, minwidth: usize, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let n = lines.len();
    let mut tw = Tw {
        lines,
        widths: Vec::new(),
        out: String::with_capacity(text.len() * 2),
        minwidth,
        padding,
    };
    tw.format(0, n);
    tw.out
}

/// Align tab-separated `text` exactly like podman's table output.
pub fn align(text: &str) -> String {
    align_with(text, MIN_WIDTH, PADDING)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn podman_ps_header_shape() {
        let t = "CONTAINER ID\tIMAGE\tNAMES\nabcdef012345\tbusybox:latest\tfoo\n";
        assert_eq!(
            align(t),
            "CONTAINER ID  IMAGE           NAMES\nabcdef012345  busybox:latest  foo\n"
        );
    }

    #[test]
    fn matches_containers_common_test_vectors() {
        // From containers/common pkg/report formatter tests (minwidth 12, padding 2).
        let t = "Identity\tValue\nc061a0839e\tone\nf10fc2e11057\ttwo\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a\tthree\n";
        assert_eq!(
            align(t),
            "Identity                          Value\nc061a0839e                        one\nf10fc2e11057                      two\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a  three\n"
        );
        let t = "Value\tIdent\nIdentity\tID\nValue\tIdent\nc061a0839e\tIDf10fc2e11057\tID1eb6fab5aa8f4b5cbfd3e66aa35e9b2a\tID\n";
        assert_eq!(
            align(t),
            "Value       Ident\nIdentity    ID\nValue       Ident\nc061a0839e  IDf10fc2e11057  ID1eb6fab5aa8f4b5cbfd3e66aa35e9b2a  ID\n"
        );
    }

    #[test]
    fn one_cell_line_breaks_blocks() {
        let t = "a\tb\nlonger-than-twelve\tc\nsingle\nx\ty";
        assert_eq!(
            align(t),
            "a                   b\nlonger-than-twelve  c\nsingle\nx           y"
        );
    }
}

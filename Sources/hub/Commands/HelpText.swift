/// The discussion of a subcommand's `--help`: an optional note, then 示例 Examples, one command a line, so every
/// subcommand shows how it is typed (a help-walking test checks each one has them).
func examples(_ lines: String..., note: String = "") -> String {
    (note.isEmpty ? "" : note + "\n\n") + "示例 Examples:\n" + lines.map { "  " + $0 }.joined(separator: "\n")
}

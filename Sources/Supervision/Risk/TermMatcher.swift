/// Finds every occurrence of a fixed set of terms in one pass over a text (Aho–Corasick over Unicode scalars).
///
/// The five models hold a few hundred terms between them and the hub evaluates them over every observation, so
/// the terms are compiled once when a model is loaded and each text is scanned once per model, whatever the
/// number of terms — rather than one search (or one regular expression) per term. Terms and texts are both
/// passed through `ScannedText.fold` first, so that full-width letters and digits, letter case and stray spaces
/// do not hide a term.
struct TermMatcher: Sendable {
    /// One occurrence: `term` indexes the list the matcher was built from; `start..<end` is in folded scalars.
    struct Hit: Sendable, Hashable {
        var term: Int
        var start: Int
        var end: Int
    }

    /// Transitions, keyed by `state << 32 | scalar` (one flat table: faster than a dictionary per state).
    private var next: [UInt64: Int32] = [:]
    private var fail: [Int32] = [0]
    /// Terms ending at each state, those of its failure chain included.
    private var outputs: [[Int32]] = [[]]
    private var lengths: [Int] = []

    /// `terms` as folded scalars (`ScannedText.fold`); an empty term never matches.
    init(terms: [[UInt32]]) {
        for (id, term) in terms.enumerated() {
            lengths.append(term.count)
            guard !term.isEmpty else { continue }
            var state: Int32 = 0
            for scalar in term {
                let key = UInt64(UInt32(state)) << 32 | UInt64(scalar)
                if let to = next[key] {
                    state = to
                } else {
                    let to = Int32(outputs.count)
                    outputs.append([])
                    fail.append(0)
                    next[key] = to
                    state = to
                }
            }
            outputs[Int(state)].append(Int32(id))
        }
        // Breadth-first over the trie: a state's failure link is the longest proper suffix that is also a state.
        var children: [[(UInt32, Int32)]] = Array(repeating: [], count: outputs.count)
        for (key, to) in next { children[Int(key >> 32)].append((UInt32(truncatingIfNeeded: key), to)) }
        var queue: [Int32] = children[0].map(\.1)
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            for (scalar, child) in children[Int(state)] {
                queue.append(child)
                if state != 0 {
                    var f = fail[Int(state)]
                    while true {
                        if let to = next[UInt64(UInt32(f)) << 32 | UInt64(scalar)] {
                            fail[Int(child)] = to
                            break
                        }
                        if f == 0 {
                            fail[Int(child)] = 0
                            break
                        }
                        f = fail[Int(f)]
                    }
                }
                outputs[Int(child)] += outputs[Int(fail[Int(child)])]
            }
        }
    }

    /// Every occurrence of every term in `scalars`, overlapping ones included, in the order they end.
    func hits(in scalars: [UInt32]) -> [Hit] {
        var out: [Hit] = []
        var state: Int32 = 0
        for (i, scalar) in scalars.enumerated() {
            while true {
                if let to = next[UInt64(UInt32(state)) << 32 | UInt64(scalar)] {
                    state = to
                    break
                }
                if state == 0 { break }
                state = fail[Int(state)]
            }
            for term in outputs[Int(state)] {
                let length = lengths[Int(term)]
                out.append(Hit(term: Int(term), start: i + 1 - length, end: i + 1))
            }
        }
        return out
    }
}

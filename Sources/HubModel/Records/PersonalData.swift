/// Masking of natural persons' personal data (个人信息) for everyone who may not see it: a natural person's
/// ID number keeps its first and last character, a mobile number its first 3 and last 4 digits
/// (DOMAIN §7, "common masking"). One pure function family, used by every console page and API answer
/// that shows a record; what is stored, hashed and delivered to the province is never masked.
public enum PersonalData {
    /// The id types (`id_type` dictionary) that identify a natural person. `001` (USCC) and `990`
    /// (other organisation document) identify organisations, whose codes are public.
    public static let personalIdTypes: Set<String> = ["111", "112", "113", "114", "414", "511", "516", "553", "999"]

    /// An ID number with everything but its first and last character replaced by `*`
    /// (`430406199001011234` → `4****************4`). Two characters or fewer keep only the first.
    public static func maskIDNumber(_ value: String) -> String {
        let chars = Array(value)
        switch chars.count {
        case 0: return ""
        case 1: return "*"
        case 2: return String(chars[0]) + "*"
        default: return String(chars[0]) + String(repeating: "*", count: chars.count - 2) + String(chars[chars.count - 1])
        }
    }

    /// A mobile number keeping its first 3 and last 4 digits (`13812345678` → `138****5678`). Shorter
    /// values keep at most their first character.
    public static func maskMobile(_ value: String) -> String {
        let chars = Array(value)
        guard chars.count >= 8 else { return chars.isEmpty ? "" : String(chars[0]) + String(repeating: "*", count: chars.count - 1) }
        return String(chars[0..<3]) + String(repeating: "*", count: chars.count - 7) + String(chars[(chars.count - 4)...])
    }

    /// Whether a record's party is a natural person: nature `1` (公民), or an id type of a natural person.
    public static func partyIsNaturalPerson(_ party: JSONValue?) -> Bool {
        guard let party else { return false }
        if party["nature"]?.stringValue == "1" { return true }
        return party["idType"]?.stringValue.map(personalIdTypes.contains) ?? false
    }

    /// Mobile numbers (`1[3-9]` and 9 more digits, not inside a longer run of digits) and 18-character
    /// resident ID numbers that pass their check digit, found inside free text, masked in place.
    public static func maskText(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        func isDigit(_ i: Int) -> Bool { i >= 0 && i < scalars.count && ("0"..."9").contains(scalars[i]) }
        func isWordChar(_ i: Int) -> Bool { isDigit(i) || (i >= 0 && i < scalars.count && scalars[i].isASCII && scalars[i].properties.isAlphabetic) }
        var i = 0
        var changed = false
        while i < scalars.count {
            guard isDigit(i) else {
                i += 1
                continue
            }
            let start = i
            var end = i
            while isDigit(end) { end += 1 }
            if end - start == 17, end < scalars.count, scalars[end] == "X" || scalars[end] == "x" { end += 1 }
            // Only a whole token: not part of a longer code such as a USCC or a decision number.
            if !isWordChar(start - 1) && !isWordChar(end) {
                let run = String(String.UnicodeScalarView(scalars[start..<end]))
                if run.count == 11, scalars[start] == "1", ("3"..."9").contains(scalars[start + 1]) {
                    scalars.replaceSubrange(start..<end, with: maskMobile(run).unicodeScalars)
                    changed = true
                } else if run.count == 18, (try? ResidentID(run)) != nil {
                    scalars.replaceSubrange(start..<end, with: maskIDNumber(run).unicodeScalars)
                    changed = true
                }
            }
            i = end
        }
        return changed ? String(String.UnicodeScalarView(scalars)) : text
    }

    /// A record tree (canonical record v1, or anything else a page shows) with personal data masked:
    /// the party's ID number when the party is a natural person, and mobile or resident ID numbers in
    /// any text except the agencies' codes (USCCs of public bodies).
    public static func masked(record tree: JSONValue) -> JSONValue {
        mask(tree, path: [])
    }

    static func mask(_ value: JSONValue, path: [String]) -> JSONValue {
        switch value {
        case .object(let members):
            let naturalParty = path.last == "party" && partyIsNaturalPerson(value)
            return .object(
                members.map { (name, member) -> (String, JSONValue) in
                    if naturalParty, name == "idNumber", case .string(let s) = member { return (name, .string(maskIDNumber(s))) }
                    return (name, mask(member, path: path + [name]))
                }
            )
        case .array(let items):
            return .array(items.map { mask($0, path: path) })
        case .string(let s):
            if path.count >= 2, path.last == "code", ["agency", "delegatedAgency"].contains(path[path.count - 2]) { return value }
            return .string(maskText(s))
        case .number(let n):
            // A mobile number sent as a JSON number is still a mobile number.
            let masked = maskText(n)
            return masked == n ? value : .string(masked)
        case .null, .bool:
            return value
        }
    }
}
